"""member share counted: an agent's share of a campaign is counted from his attentions

A stored per-campaign counter could drift; the count under the agent's row lock cannot.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-25 08:32:32.685247
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("campaign_members", schema=None) as batch_op:
        batch_op.drop_column("active_count")


def downgrade() -> None:
    with op.batch_alter_table("campaign_members", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("active_count", sa.INTEGER(), server_default=sa.text("'0'"), nullable=False)
        )
