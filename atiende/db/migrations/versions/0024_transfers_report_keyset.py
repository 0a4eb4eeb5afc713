"""the transfers report's keyset: transfers by (created_at, attention_id)

The *Reporte de transferencias* walks the transfers newest first and pages on
(created_at, attention_id); the index on created_at alone left the second column to a sort.
The composite one serves everything the old one did (created_at leads).

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-01 09:45:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0024"
down_revision: str | None = "0023"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_transfers_created_at_attention_id", "transfers", ["created_at", "attention_id"]
    )
    op.drop_index("ix_transfers_created_at", table_name="transfers")


def downgrade() -> None:
    op.create_index("ix_transfers_created_at", "transfers", ["created_at"])
    op.drop_index("ix_transfers_created_at_attention_id", table_name="transfers")
