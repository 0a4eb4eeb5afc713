"""export_jobs and the reports' indexes

A report's export is written in the background to a file for the user who asked; its row
says how far it got. Reports page a range of days newest first (attentions by created_at,
id) and filter by any agent an attention was assigned to (attention_events by agent).

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-01 07:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from atiende.db.types import UTCDateTime

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "export_jobs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("report", sa.String(length=32), nullable=False),
        sa.Column("format", sa.String(length=8), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("rows_done", sa.Integer(), nullable=False),
        sa.Column("rows_total", sa.Integer(), nullable=True),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("file", sa.String(length=200), nullable=True),
        sa.Column("error_code", sa.String(length=64), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("finished_at", UTCDateTime(), nullable=True),
        sa.CheckConstraint(
            "state IN ('running', 'done', 'failed')", name=op.f("ck_export_jobs_state")
        ),
        sa.CheckConstraint("format IN ('csv', 'xlsx')", name=op.f("ck_export_jobs_format")),
        sa.ForeignKeyConstraint(
            ["owner_id"],
            ["users.id"],
            name=op.f("fk_export_jobs_owner_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_export_jobs")),
    )
    op.create_index("ix_export_jobs_owner_id_state", "export_jobs", ["owner_id", "state"])
    op.create_index("ix_export_jobs_updated_at", "export_jobs", ["updated_at"])
    op.create_index("ix_attentions_created_at_id", "attentions", ["created_at", "id"])
    op.create_index(
        "ix_attention_events_agent_id_attention_id",
        "attention_events",
        ["agent_id", "attention_id"],
    )


def downgrade() -> None:
    op.drop_index("ix_attention_events_agent_id_attention_id", table_name="attention_events")
    op.drop_index("ix_attentions_created_at_id", table_name="attentions")
    op.drop_index("ix_export_jobs_updated_at", table_name="export_jobs")
    op.drop_index("ix_export_jobs_owner_id_state", table_name="export_jobs")
    op.drop_table("export_jobs")
