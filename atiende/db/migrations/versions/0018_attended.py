"""attended: each agent's *Atendidas*, one row per attention he opened and has left

Filled from the timeline for what happened before: his latest transfer, reassignment or
close of each attention he opened.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-01 07:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from atiende.db.types import UTCDateTime

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "attended",
        sa.Column("agent_id", sa.Integer(), nullable=False),
        sa.Column("attention_id", sa.Integer(), nullable=False),
        sa.Column("left_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agent_id"], ["users.id"], name=op.f("fk_attended_agent_id_users"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["attention_id"],
            ["attentions.id"],
            name=op.f("fk_attended_attention_id_attentions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("agent_id", "attention_id", name=op.f("pk_attended")),
    )
    op.create_index("ix_attended_agent_left", "attended", ["agent_id", "left_at", "attention_id"])
    op.create_index(op.f("ix_attended_attention_id"), "attended", ["attention_id"])
    op.execute(
        """
        INSERT INTO attended (agent_id, attention_id, left_at)
        SELECT e.agent_id, e.attention_id, max(e.created_at)
        FROM attention_events e
        WHERE e.kind IN ('transferred', 'reassigned', 'closed') AND e.agent_id IS NOT NULL
          AND EXISTS (
            SELECT 1 FROM attention_events o
            WHERE o.attention_id = e.attention_id AND o.kind = 'opened'
              AND o.actor_id = e.agent_id)
        GROUP BY e.agent_id, e.attention_id
        """
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_attended_attention_id"), table_name="attended")
    op.drop_index("ix_attended_agent_left", table_name="attended")
    op.drop_table("attended")
