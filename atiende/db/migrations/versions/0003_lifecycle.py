"""lifecycle: campaign settings, durable timers, transfers, versioned forms, agent states

Columns added to existing tables get server defaults so databases with data migrate.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 06:55:46.379543
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from atiende.db.types import UTCDateTime

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "agent_status_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("reason", sa.String(length=120), nullable=True),
        sa.Column("automatic", sa.Boolean(), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_agent_status_changes_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agent_status_changes")),
    )
    with op.batch_alter_table("agent_status_changes", schema=None) as batch_op:
        batch_op.create_index("ix_agent_status_changes_user_at", ["user_id", "at"], unique=False)

    op.create_table(
        "forms",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["campaigns.id"],
            name=op.f("fk_forms_campaign_id_campaigns"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_forms_created_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_forms")),
        sa.UniqueConstraint("campaign_id", "version", name="uq_forms_campaign_version"),
    )
    op.create_table(
        "form_fields",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("form_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("type", sa.String(length=20), nullable=False),
        sa.Column("required", sa.Boolean(), nullable=False),
        sa.Column("options", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(
            ["form_id"], ["forms.id"], name=op.f("fk_form_fields_form_id_forms"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_form_fields")),
        sa.UniqueConstraint("form_id", "key", name="uq_form_fields_form_key"),
    )
    op.create_table(
        "form_submissions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("attention_id", sa.Integer(), nullable=False),
        sa.Column("segment", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("form_id", sa.Integer(), nullable=False),
        sa.Column("values", sa.JSON(), nullable=False),
        sa.Column("submitted_at", UTCDateTime(), nullable=True),
        sa.Column("submitted_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["attention_id"],
            ["attentions.id"],
            name=op.f("fk_form_submissions_attention_id_attentions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["campaigns.id"],
            name=op.f("fk_form_submissions_campaign_id_campaigns"),
        ),
        sa.ForeignKeyConstraint(
            ["form_id"], ["forms.id"], name=op.f("fk_form_submissions_form_id_forms")
        ),
        sa.ForeignKeyConstraint(
            ["submitted_by_id"],
            ["users.id"],
            name=op.f("fk_form_submissions_submitted_by_id_users"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_form_submissions")),
        sa.UniqueConstraint("attention_id", "segment", name="uq_form_submissions_segment"),
    )
    op.create_table(
        "transfers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("attention_id", sa.Integer(), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("from_campaign_id", sa.Integer(), nullable=False),
        sa.Column("from_agent_id", sa.Integer(), nullable=True),
        sa.Column("to_campaign_id", sa.Integer(), nullable=False),
        sa.Column("to_agent_id", sa.Integer(), nullable=True),
        sa.Column("by_id", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.CheckConstraint("kind IN ('transfer', 'move')", name=op.f("ck_transfers_kind")),
        sa.ForeignKeyConstraint(
            ["attention_id"],
            ["attentions.id"],
            name=op.f("fk_transfers_attention_id_attentions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(["by_id"], ["users.id"], name=op.f("fk_transfers_by_id_users")),
        sa.ForeignKeyConstraint(
            ["from_agent_id"], ["users.id"], name=op.f("fk_transfers_from_agent_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["from_campaign_id"],
            ["campaigns.id"],
            name=op.f("fk_transfers_from_campaign_id_campaigns"),
        ),
        sa.ForeignKeyConstraint(
            ["to_agent_id"], ["users.id"], name=op.f("fk_transfers_to_agent_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["to_campaign_id"], ["campaigns.id"], name=op.f("fk_transfers_to_campaign_id_campaigns")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_transfers")),
        sa.UniqueConstraint("attention_id", "sequence", name="uq_transfers_attention_sequence"),
    )
    with op.batch_alter_table("transfers", schema=None) as batch_op:
        batch_op.create_index("ix_transfers_created_at", ["created_at"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_transfers_from_agent_id"), ["from_agent_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_transfers_to_agent_id"), ["to_agent_id"], unique=False)

    with op.batch_alter_table("attention_events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("segment", sa.Integer(), nullable=False, server_default="1"))
        batch_op.create_index(
            batch_op.f("ix_attention_events_actor_id"), ["actor_id"], unique=False
        )

    with op.batch_alter_table("attentions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reassign_at", UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column("orphan_at", UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column("overflow_at", UTCDateTime(), nullable=True))
        batch_op.add_column(
            sa.Column("offered", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(sa.Column("excluded_agent_id", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("parked", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(
            sa.Column("reassignments", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.add_column(
            sa.Column("orphaned", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(
            sa.Column("transfers", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.add_column(sa.Column("segment", sa.Integer(), nullable=False, server_default="1"))
        batch_op.create_index("ix_attentions_orphan_at", ["orphan_at"], unique=False)
        batch_op.create_index("ix_attentions_overflow_at", ["overflow_at"], unique=False)
        batch_op.create_index("ix_attentions_reassign_at", ["reassign_at"], unique=False)

    with op.batch_alter_table("campaign_members", schema=None) as batch_op:
        batch_op.add_column(sa.Column("capacity", sa.Integer(), nullable=False, server_default="3"))
        batch_op.add_column(
            sa.Column("active_count", sa.Integer(), nullable=False, server_default="0")
        )

    with op.batch_alter_table("campaigns", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("reassign_after_seconds", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.add_column(
            sa.Column("max_reassignments", sa.Integer(), nullable=False, server_default="3")
        )
        batch_op.add_column(
            sa.Column("orphan_after_seconds", sa.Integer(), nullable=False, server_default="300")
        )
        batch_op.add_column(
            sa.Column("overflow_after_seconds", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.add_column(
            sa.Column("overflow_mode", sa.String(length=20), nullable=False, server_default="none")
        )
        batch_op.add_column(sa.Column("rr_last_agent_id", sa.Integer(), nullable=True))

    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("status_before_offline", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("status_changed_at", UTCDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("status_changed_at")
        batch_op.drop_column("status_before_offline")

    with op.batch_alter_table("campaigns", schema=None) as batch_op:
        batch_op.drop_column("rr_last_agent_id")
        batch_op.drop_column("overflow_mode")
        batch_op.drop_column("overflow_after_seconds")
        batch_op.drop_column("orphan_after_seconds")
        batch_op.drop_column("max_reassignments")
        batch_op.drop_column("reassign_after_seconds")

    with op.batch_alter_table("campaign_members", schema=None) as batch_op:
        batch_op.drop_column("active_count")
        batch_op.drop_column("capacity")

    with op.batch_alter_table("attentions", schema=None) as batch_op:
        batch_op.drop_index("ix_attentions_reassign_at")
        batch_op.drop_index("ix_attentions_overflow_at")
        batch_op.drop_index("ix_attentions_orphan_at")
        batch_op.drop_column("segment")
        batch_op.drop_column("transfers")
        batch_op.drop_column("orphaned")
        batch_op.drop_column("reassignments")
        batch_op.drop_column("parked")
        batch_op.drop_column("excluded_agent_id")
        batch_op.drop_column("offered")
        batch_op.drop_column("overflow_at")
        batch_op.drop_column("orphan_at")
        batch_op.drop_column("reassign_at")

    with op.batch_alter_table("attention_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_attention_events_actor_id"))
        batch_op.drop_column("segment")

    with op.batch_alter_table("transfers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_transfers_to_agent_id"))
        batch_op.drop_index(batch_op.f("ix_transfers_from_agent_id"))
        batch_op.drop_index("ix_transfers_created_at")

    op.drop_table("transfers")
    op.drop_table("form_submissions")
    op.drop_table("form_fields")
    op.drop_table("forms")
    with op.batch_alter_table("agent_status_changes", schema=None) as batch_op:
        batch_op.drop_index("ix_agent_status_changes_user_at")

    op.drop_table("agent_status_changes")
