"""message content

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 07:42:32.307759
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from atiende.db.types import UTCDateTime

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("messages", schema=None) as batch_op:
        batch_op.add_column(sa.Column("content", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("reply_to_wamid", sa.String(length=200), nullable=True))
        batch_op.add_column(
            sa.Column("forwarded", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(sa.Column("reactions", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("edited_at", UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column("previous_text", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("deleted_at", UTCDateTime(), nullable=True))
        batch_op.add_column(
            sa.Column("hidden", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    with op.batch_alter_table("messages", schema=None) as batch_op:
        batch_op.drop_column("hidden")
        batch_op.drop_column("deleted_at")
        batch_op.drop_column("previous_text")
        batch_op.drop_column("edited_at")
        batch_op.drop_column("reactions")
        batch_op.drop_column("forwarded")
        batch_op.drop_column("reply_to_wamid")
        batch_op.drop_column("content")
