"""customer bases, their imports and the record an attention is linked to

Campaigns get the region their bases' phone numbers are read in; records keep the phone
in E.164 with an index, so a customer's number finds them in every way it was written.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01 03:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from atiende.db.types import UTCDateTime

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "customer_bases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("key_column", sa.String(length=120), nullable=False),
        sa.Column("phone_column", sa.String(length=120), nullable=False),
        sa.Column("name_column", sa.String(length=120), nullable=True),
        sa.Column("columns", sa.JSON(), nullable=False),
        sa.Column("record_count", sa.Integer(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["campaigns.id"],
            name=op.f("fk_customer_bases_campaign_id_campaigns"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_customer_bases")),
        sa.UniqueConstraint("campaign_id", "name", name="uq_customer_bases_name"),
    )
    op.create_table(
        "base_imports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("base_id", sa.Integer(), nullable=True),
        sa.Column("base_name", sa.String(length=120), nullable=True),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("path", sa.String(length=500), nullable=False),
        sa.Column("layout", sa.JSON(), nullable=False),
        sa.Column("columns", sa.JSON(), nullable=False),
        sa.Column("preview", sa.JSON(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("mode", sa.String(length=16), nullable=True),
        sa.Column("key_column", sa.String(length=120), nullable=True),
        sa.Column("phone_column", sa.String(length=120), nullable=True),
        sa.Column("name_column", sa.String(length=120), nullable=True),
        sa.Column("region", sa.String(length=2), nullable=True),
        sa.Column("rows_total", sa.Integer(), nullable=True),
        sa.Column("rows_read", sa.Integer(), nullable=False),
        sa.Column("added", sa.Integer(), nullable=False),
        sa.Column("updated", sa.Integer(), nullable=False),
        sa.Column("removed", sa.Integer(), nullable=False),
        sa.Column("error_count", sa.Integer(), nullable=False),
        sa.Column("failure_code", sa.String(length=64), nullable=True),
        sa.Column("failure_params", sa.JSON(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("started_at", UTCDateTime(), nullable=True),
        sa.Column("heartbeat_at", UTCDateTime(), nullable=True),
        sa.Column("finished_at", UTCDateTime(), nullable=True),
        sa.CheckConstraint(
            "state IN ('uploaded', 'running', 'done', 'failed')", name=op.f("ck_base_imports_state")
        ),
        sa.ForeignKeyConstraint(
            ["base_id"],
            ["customer_bases.id"],
            name=op.f("fk_base_imports_base_id_customer_bases"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["campaigns.id"],
            name=op.f("fk_base_imports_campaign_id_campaigns"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_base_imports_created_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_base_imports")),
    )
    with op.batch_alter_table("base_imports", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_base_imports_campaign_id"), ["campaign_id"], unique=False
        )

    op.create_table(
        "base_records",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("base_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("phone", sa.String(length=32), nullable=True),
        sa.Column("name", sa.String(length=1000), nullable=True),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("search", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["base_id"],
            ["customer_bases.id"],
            name=op.f("fk_base_records_base_id_customer_bases"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_base_records")),
        sa.UniqueConstraint("base_id", "key", name="uq_base_records_key"),
    )
    with op.batch_alter_table("base_records", schema=None) as batch_op:
        batch_op.create_index("ix_base_records_phone", ["phone", "base_id"], unique=False)

    op.create_table(
        "attention_matches",
        sa.Column("attention_id", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=True),
        sa.Column("base_id", sa.Integer(), nullable=True),
        sa.Column("base_name", sa.String(length=120), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("phone", sa.String(length=32), nullable=True),
        sa.Column("name", sa.String(length=1000), nullable=True),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("linked_by_id", sa.Integer(), nullable=True),
        sa.Column("linked_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["attention_id"],
            ["attentions.id"],
            name=op.f("fk_attention_matches_attention_id_attentions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["base_id"],
            ["customer_bases.id"],
            name=op.f("fk_attention_matches_base_id_customer_bases"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["linked_by_id"], ["users.id"], name=op.f("fk_attention_matches_linked_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["record_id"],
            ["base_records.id"],
            name=op.f("fk_attention_matches_record_id_base_records"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("attention_id", name=op.f("pk_attention_matches")),
    )
    with op.batch_alter_table("attention_matches", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_attention_matches_record_id"), ["record_id"], unique=False
        )

    op.create_table(
        "base_import_errors",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("import_id", sa.Integer(), nullable=False),
        sa.Column("row", sa.Integer(), nullable=False),
        sa.Column("column", sa.String(length=120), nullable=True),
        sa.Column("reason", sa.String(length=32), nullable=False),
        sa.Column("value", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(
            ["import_id"],
            ["base_imports.id"],
            name=op.f("fk_base_import_errors_import_id_base_imports"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_base_import_errors")),
    )
    with op.batch_alter_table("base_import_errors", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_base_import_errors_import_id"), ["import_id"], unique=False
        )

    op.create_table(
        "base_import_rows",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("import_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("phone", sa.String(length=32), nullable=True),
        sa.Column("name", sa.String(length=1000), nullable=True),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("search", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["import_id"],
            ["base_imports.id"],
            name=op.f("fk_base_import_rows_import_id_base_imports"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_base_import_rows")),
    )
    with op.batch_alter_table("base_import_rows", schema=None) as batch_op:
        batch_op.create_index("ix_base_import_rows_import_key", ["import_id", "key"], unique=False)

    with op.batch_alter_table("campaigns", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("default_region", sa.String(length=2), server_default="PE", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("campaigns", schema=None) as batch_op:
        batch_op.drop_column("default_region")

    with op.batch_alter_table("base_import_rows", schema=None) as batch_op:
        batch_op.drop_index("ix_base_import_rows_import_key")

    op.drop_table("base_import_rows")
    with op.batch_alter_table("base_import_errors", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_base_import_errors_import_id"))

    op.drop_table("base_import_errors")
    with op.batch_alter_table("attention_matches", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_attention_matches_record_id"))

    op.drop_table("attention_matches")
    with op.batch_alter_table("base_records", schema=None) as batch_op:
        batch_op.drop_index("ix_base_records_phone")

    op.drop_table("base_records")
    with op.batch_alter_table("base_imports", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_base_imports_campaign_id"))

    op.drop_table("base_imports")
    op.drop_table("customer_bases")
