"""campaign checks: the settings' CHECK constraints the model declares since 0003

Autogenerate does not emit CHECK constraints for tables that already exist, so 0003 added
the columns without them.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-25 08:50:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("campaigns", schema=None) as batch_op:
        batch_op.create_check_constraint("overflow_mode", "overflow_mode IN ('none', 'offer_all')")
        batch_op.create_check_constraint(
            "settings_positive",
            "reassign_after_seconds >= 0 AND max_reassignments >= 0 AND orphan_after_seconds >= 0"
            " AND overflow_after_seconds >= 0",
        )


def downgrade() -> None:
    with op.batch_alter_table("campaigns", schema=None) as batch_op:
        batch_op.drop_constraint("settings_positive", type_="check")
        batch_op.drop_constraint("overflow_mode", type_="check")
