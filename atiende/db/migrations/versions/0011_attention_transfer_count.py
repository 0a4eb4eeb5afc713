"""attentions.transfers renamed transfer_count

The column counts the attention's rows in the `transfers` table; beside that table the old
name read like a relationship.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 03:30:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # In batch mode, as the earlier migrations: on SQLite Alembic rebuilds the table.
    with op.batch_alter_table("attentions", schema=None) as batch_op:
        batch_op.alter_column("transfers", new_column_name="transfer_count")


def downgrade() -> None:
    with op.batch_alter_table("attentions", schema=None) as batch_op:
        batch_op.alter_column("transfer_count", new_column_name="transfers")
