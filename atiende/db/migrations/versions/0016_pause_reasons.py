"""pause_reasons: the reasons an agent may pause for, kept by supervisors

Seeded with the six that were written in the code until now. A status change keeps the
reason's name as chosen and, from now on, the reason's id (renames do not split a report).

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-01 07:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from atiende.db.types import UTCDateTime, utcnow

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The list as it stood in actions/presence.py (written out: a migration never imports rules
# that may change later).
SEEDED = ("Almuerzo", "Baño", "Capacitación", "Reunión", "Pausa activa", "Otro")


def upgrade() -> None:
    table = op.create_table(
        "pause_reasons",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pause_reasons")),
        sa.UniqueConstraint("name", name=op.f("uq_pause_reasons_name")),
    )
    now = utcnow()
    op.bulk_insert(
        table,
        [
            {"name": name, "position": i, "active": True, "created_at": now}
            for i, name in enumerate(SEEDED, start=1)
        ],
    )
    with op.batch_alter_table("agent_status_changes") as batch:
        batch.add_column(sa.Column("reason_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            op.f("fk_agent_status_changes_reason_id_pause_reasons"),
            "pause_reasons",
            ["reason_id"],
            ["id"],
        )
    op.execute(
        "UPDATE agent_status_changes SET reason_id = "
        "(SELECT id FROM pause_reasons WHERE pause_reasons.name = agent_status_changes.reason)"
    )


def downgrade() -> None:
    with op.batch_alter_table("agent_status_changes") as batch:
        batch.drop_constraint(
            op.f("fk_agent_status_changes_reason_id_pause_reasons"), type_="foreignkey"
        )
        batch.drop_column("reason_id")
    op.drop_table("pause_reasons")
