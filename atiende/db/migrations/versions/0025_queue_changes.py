"""queue counts kept as they change, and each campaign's queue indexed in routing order

`queue_changes` holds +1/-1 rows per campaign written by triggers on `attentions` (an
attention entering a queue, leaving it, or moving between campaigns while queued), starting
from one row per campaign with today's count. A campaign's queued count is the sum of its
rows; routing folds them into one as it goes (atiende/actions/queues.py). Only inserts: no
transaction ever waits on a counter row.

`ix_attentions_queue` (campaign_id, queued_at, id) over the queued attentions only: the head
of a campaign's queue without reading the attentions it assigned or closed.

A later migration that rebuilds `attentions` on SQLite (batch mode copies the table and drops
the old one) drops its triggers with it and must create them again (`_SQLITE_TRIGGERS`);
the audit (actions/audit.py, run after every integration test) fails if the counts stop
following the attentions.

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-01 09:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0025"
down_revision: str | None = "0024"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

QUEUED = sa.text("state = 'queued'")

# Each trigger's WHEN lets only the rows that change a count reach its body.
_PG_UP = [
    """
    CREATE FUNCTION atiende_queue_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP <> 'INSERT' AND OLD.state = 'queued' THEN
            INSERT INTO queue_changes (campaign_id, delta) VALUES (OLD.campaign_id, -1);
        END IF;
        IF TG_OP <> 'DELETE' AND NEW.state = 'queued' THEN
            INSERT INTO queue_changes (campaign_id, delta) VALUES (NEW.campaign_id, 1);
        END IF;
        RETURN NULL;
    END $$
    """,
    "CREATE TRIGGER attentions_queue_insert AFTER INSERT ON attentions FOR EACH ROW "
    "WHEN (NEW.state = 'queued') EXECUTE FUNCTION atiende_queue_change()",
    "CREATE TRIGGER attentions_queue_update AFTER UPDATE OF state, campaign_id ON attentions "
    "FOR EACH ROW WHEN ((OLD.state = 'queued' OR NEW.state = 'queued') AND "
    "(OLD.state IS DISTINCT FROM NEW.state OR OLD.campaign_id IS DISTINCT FROM NEW.campaign_id)) "
    "EXECUTE FUNCTION atiende_queue_change()",
    "CREATE TRIGGER attentions_queue_delete AFTER DELETE ON attentions FOR EACH ROW "
    "WHEN (OLD.state = 'queued') EXECUTE FUNCTION atiende_queue_change()",
]

_PG_DOWN = [
    "DROP TRIGGER IF EXISTS attentions_queue_delete ON attentions",
    "DROP TRIGGER IF EXISTS attentions_queue_update ON attentions",
    "DROP TRIGGER IF EXISTS attentions_queue_insert ON attentions",
    "DROP FUNCTION IF EXISTS atiende_queue_change()",
]

_SQLITE_TRIGGERS = [
    "CREATE TRIGGER attentions_queue_insert AFTER INSERT ON attentions "
    "WHEN new.state = 'queued' BEGIN "
    "INSERT INTO queue_changes (campaign_id, delta) VALUES (new.campaign_id, 1); END",
    "CREATE TRIGGER attentions_queue_update AFTER UPDATE OF state, campaign_id ON attentions "
    "WHEN (old.state = 'queued' OR new.state = 'queued') AND "
    "(old.state IS NOT new.state OR old.campaign_id IS NOT new.campaign_id) BEGIN "
    "INSERT INTO queue_changes (campaign_id, delta) "
    "SELECT old.campaign_id, -1 WHERE old.state = 'queued'; "
    "INSERT INTO queue_changes (campaign_id, delta) "
    "SELECT new.campaign_id, 1 WHERE new.state = 'queued'; END",
    "CREATE TRIGGER attentions_queue_delete AFTER DELETE ON attentions "
    "WHEN old.state = 'queued' BEGIN "
    "INSERT INTO queue_changes (campaign_id, delta) VALUES (old.campaign_id, -1); END",
]

_SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS attentions_queue_delete",
    "DROP TRIGGER IF EXISTS attentions_queue_update",
    "DROP TRIGGER IF EXISTS attentions_queue_insert",
]


def upgrade() -> None:
    op.create_table(
        "queue_changes",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            primary_key=True,
            autoincrement=True,
        ),
        sa.Column(
            "campaign_id",
            sa.Integer(),
            sa.ForeignKey(
                "campaigns.id",
                ondelete="CASCADE",
                name="fk_queue_changes_campaign_id_campaigns",
            ),
            nullable=False,
        ),
        sa.Column("delta", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_queue_changes"),
    )
    op.create_index("ix_queue_changes_campaign_id", "queue_changes", ["campaign_id"])
    op.execute(
        "INSERT INTO queue_changes (campaign_id, delta) "
        "SELECT campaign_id, count(*) FROM attentions WHERE state = 'queued' "
        "GROUP BY campaign_id"
    )
    op.create_index(
        "ix_attentions_queue",
        "attentions",
        ["campaign_id", "queued_at", "id"],
        sqlite_where=QUEUED,
        postgresql_where=QUEUED,
    )
    sqlite = op.get_bind().dialect.name == "sqlite"
    for statement in _SQLITE_TRIGGERS if sqlite else _PG_UP:
        op.execute(statement)


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for statement in _SQLITE_DOWN if sqlite else _PG_DOWN:
        op.execute(statement)
    op.drop_index("ix_attentions_queue", table_name="attentions")
    op.drop_index("ix_queue_changes_campaign_id", table_name="queue_changes")
    op.drop_table("queue_changes")
