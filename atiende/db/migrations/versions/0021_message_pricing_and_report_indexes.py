"""messages keep Meta's pricing; prices per category; indexes for the summary reports

Status webhooks carry `pricing` (category, billable, pricing_model, type); the outbound
message keeps it (an early status keeps it until its message is known). A supervisor's
price per category turns billable counts into a cost. The agent-states report reads status
changes and an agent's openings and endings over a range of days.

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-01 06:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from atiende.db.types import UTCDateTime

revision: str = "0021"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("messages", schema=None) as batch_op:
        batch_op.add_column(sa.Column("pricing_category", sa.String(40), nullable=True))
        batch_op.add_column(sa.Column("pricing_billable", sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column("pricing_model", sa.String(40), nullable=True))
        batch_op.add_column(sa.Column("pricing_type", sa.String(40), nullable=True))
    with op.batch_alter_table("early_statuses", schema=None) as batch_op:
        batch_op.add_column(sa.Column("pricing", sa.JSON(), nullable=True))
    op.create_table(
        "message_prices",
        sa.Column("category", sa.String(40), nullable=False),
        sa.Column("price_micros", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.CheckConstraint("price_micros >= 0", name=op.f("ck_message_prices_price_positive")),
        sa.PrimaryKeyConstraint("category", name=op.f("pk_message_prices")),
    )
    op.create_index("ix_agent_status_changes_at", "agent_status_changes", ["at"])
    op.create_index(
        "ix_attention_events_agent_id_created_at",
        "attention_events",
        ["agent_id", "created_at"],
    )


def downgrade() -> None:
    op.drop_index("ix_attention_events_agent_id_created_at", table_name="attention_events")
    op.drop_index("ix_agent_status_changes_at", table_name="agent_status_changes")
    op.drop_table("message_prices")
    with op.batch_alter_table("early_statuses", schema=None) as batch_op:
        batch_op.drop_column("pricing")
    with op.batch_alter_table("messages", schema=None) as batch_op:
        batch_op.drop_column("pricing_type")
        batch_op.drop_column("pricing_model")
        batch_op.drop_column("pricing_billable")
        batch_op.drop_column("pricing_category")
