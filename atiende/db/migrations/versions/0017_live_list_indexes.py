"""indexes for the supervisors' live list, paged by keyset

The live list pages the attentions not yet closed by (queued_at, id), in all campaigns or
one; partial indexes on the open work keep each page a short index range.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-01 07:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NOT_CLOSED = sa.text("state <> 'closed'")


def upgrade() -> None:
    op.create_index(
        "ix_attentions_live_queue",
        "attentions",
        ["queued_at", "id"],
        sqlite_where=NOT_CLOSED,
        postgresql_where=NOT_CLOSED,
    )
    op.create_index(
        "ix_attentions_live_campaign",
        "attentions",
        ["campaign_id", "queued_at", "id"],
        sqlite_where=NOT_CLOSED,
        postgresql_where=NOT_CLOSED,
    )


def downgrade() -> None:
    op.drop_index("ix_attentions_live_campaign", table_name="attentions")
    op.drop_index("ix_attentions_live_queue", table_name="attentions")
