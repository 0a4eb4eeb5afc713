"""attentions keep their latest message and the customer's unanswered wait

The agent's lists show the latest message and sort the open attentions by how long the
customer has waited for an answer; kept on the row so a list needs no query per item.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-01 04:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from atiende.db.types import UTCDateTime

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LATEST = (
    "(SELECT {column} FROM messages m WHERE m.attention_id = attentions.id "
    "ORDER BY m.id DESC LIMIT 1)"
)


def upgrade() -> None:
    with op.batch_alter_table("attentions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("last_message_at", UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column("last_message_direction", sa.String(3), nullable=True))
        batch_op.add_column(sa.Column("last_message_type", sa.String(32), nullable=True))
        batch_op.add_column(sa.Column("last_message_text", sa.String(120), nullable=True))
        batch_op.add_column(sa.Column("awaiting_reply_since", UTCDateTime(), nullable=True))
    op.execute(
        "UPDATE attentions SET "
        f"last_message_at = {LATEST.format(column='COALESCE(m.sent_at, m.created_at)')}, "
        f"last_message_direction = {LATEST.format(column='m.direction')}, "
        f"last_message_type = {LATEST.format(column='m.type')}, "
        f"last_message_text = {LATEST.format(column='SUBSTR(m.text, 1, 120)')}"
    )
    # Open work only: the customer's first message after the agent's latest answer.
    op.execute(
        "UPDATE attentions SET awaiting_reply_since = ("
        "SELECT MIN(COALESCE(m.sent_at, m.created_at)) FROM messages m "
        "WHERE m.attention_id = attentions.id AND m.direction = 'in' AND m.type <> 'system' "
        "AND m.id > COALESCE((SELECT MAX(o.id) FROM messages o "
        "WHERE o.attention_id = attentions.id AND o.direction = 'out'), 0)"
        ") WHERE state <> 'closed'"
    )


def downgrade() -> None:
    with op.batch_alter_table("attentions", schema=None) as batch_op:
        for column in (
            "awaiting_reply_since",
            "last_message_text",
            "last_message_type",
            "last_message_direction",
            "last_message_at",
        ):
            batch_op.drop_column(column)
