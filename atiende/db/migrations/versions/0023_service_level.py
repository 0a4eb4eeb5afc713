"""campaigns set a service level (answered within N seconds, for a target share)

The supervisors' dashboard shows, per campaign, the share of the attentions ended today
whose customer got an agent's first reply within `service_level_seconds`, against
`service_level_target` percent (80 % in 60 s unless set).

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-01 07:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0023"
down_revision: str | None = "0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("campaigns", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("service_level_seconds", sa.Integer(), nullable=False, server_default="60")
        )
        batch_op.add_column(
            sa.Column("service_level_target", sa.Integer(), nullable=False, server_default="80")
        )
        batch_op.create_check_constraint(
            "service_level",
            "service_level_seconds BETWEEN 1 AND 86400 AND service_level_target BETWEEN 1 AND 100",
        )


def downgrade() -> None:
    with op.batch_alter_table("campaigns", schema=None) as batch_op:
        batch_op.drop_constraint("service_level", type_="check")
        batch_op.drop_column("service_level_target")
        batch_op.drop_column("service_level_seconds")
