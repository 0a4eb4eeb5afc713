"""The webhook inbox: deliveries made durable before their 200, applied after by a processor.

Answering Meta only needs the body on disk; everything it changes (customers, attentions,
messages, statuses, routing, events) is done later, in batches, by whichever process holds
the processor's turn.

Order per customer: one processor at a time applies the rows in id order. The turn is a
PostgreSQL advisory lock held by the batch's own transaction, so a processor that dies
mid-batch (killed, its connection dropped) gives it up at once and its batch, rolled back,
is applied by the next one; no lease has to run out. Partitioning by customer would let
several processes apply at once, but the customer is known only once the body is parsed,
and a set-based batch on one connection already applies faster than the deliveries are
answered (`python -m bench.ingest`). On SQLite the single writer (BEGIN IMMEDIATE) is the
turn.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import (
    Boolean,
    column,
    delete,
    func,
    insert,
    select,
    text,
)
from sqlalchemy.ext.asyncio import AsyncConnection

from atiende.actions.work import Work
from atiende.db.among import among
from atiende.db.models import InboxDelivery
from atiende.db.types import utcnow

# Any fixed number: the processors' advisory lock (pg_try_advisory_xact_lock's key).
_TURN = 0x61_74_69_65_6E_64_65  # "atiende"
_IDLE_LIMIT = "30s"


@dataclass(frozen=True)
class Pending:
    id: int
    received_at: datetime
    body: bytes
    signature: str


_ADD = insert(InboxDelivery)


async def add(conn: AsyncConnection, deliveries: Sequence[tuple[bytes, str]]) -> None:
    """Deliveries whose signature was checked, in one multi-row insert, in the caller's
    transaction on `conn`: a plain connection, not a unit of work (the inbox is the one
    table written without the ORM, for its speed)."""
    now = utcnow()
    await conn.execute(
        _ADD, [{"received_at": now, "body": b, "signature": s} for b, s in deliveries]
    )


async def add_committed(conn: AsyncConnection, deliveries: Sequence[tuple[bytes, str]]) -> None:
    """As `add`, committed by its own statement: `conn` autocommits on PostgreSQL (the group
    commit's connection). Straight to asyncpg, the rows as two arrays: SQLAlchemy's
    executemany cost about 0.45 ms of CPU per commit, this 0.18, and at 500 webhooks/s most
    commits carry one or two deliveries."""
    raw = (await conn.get_raw_connection()).driver_connection
    assert raw is not None
    bodies, signatures = [b for b, _ in deliveries], [s for _, s in deliveries]
    await raw.execute(_ADD_ARRAYS, utcnow(), bodies, signatures)


# In the order given (ids from the sequence as the rows come: the processor's order).
_ADD_ARRAYS = (
    "INSERT INTO webhook_inbox (received_at, body, signature) SELECT $1, body, signature"
    " FROM unnest($2::bytea[], $3::text[]) WITH ORDINALITY AS d(body, signature, n) ORDER BY n"
)


async def claim(w: Work, limit: int) -> list[Pending] | None:
    """The processor's turn and up to `limit` of the oldest deliveries, taken out of the
    inbox by this transaction (they come back if it rolls back); None when another
    transaction has the turn.

    On PostgreSQL one statement: a batch's fixed cost is mostly its round trips, each one a
    wake-up of the database's process on a busy machine, and the turn, the read and the
    delete were three. SQLite, in-process, keeps them apart."""
    if w.session.get_bind().dialect.name == "sqlite":
        batch = await oldest(w, limit)
        await done(w, [d.id for d in batch])
        return batch
    rows = (await w.session.execute(_CLAIM, {"turn": _TURN, "idle": _IDLE_LIMIT, "n": limit})).all()
    if not rows[0].taken:
        return None
    return sorted((Pending(*row[1:]) for row in rows if row.id is not None), key=_by_id)


def _by_id(p: Pending) -> int:
    return p.id


_PENDING = ("id", "received_at", "body", "signature")
# A transaction left open (a connection lost track of in its process) would keep the turn
# from every processor: PostgreSQL ends it once it idles `_IDLE_LIMIT`.
# The turn is read by the DELETE (so taken before it, once: a CTE that calls a volatile
# function is evaluated once); without it the DELETE takes nothing and the one row says so.
_CLAIM = text(
    """
    WITH turn AS (
        SELECT pg_try_advisory_xact_lock(:turn) AS taken,
               set_config('idle_in_transaction_session_timeout', :idle, true) AS idle
    ), gone AS (
        DELETE FROM webhook_inbox
        WHERE id IN (
            SELECT id FROM webhook_inbox
            WHERE (SELECT taken FROM turn)
            ORDER BY id
            LIMIT :n
        )
        RETURNING id, received_at, body, signature
    )
    SELECT turn.taken, gone.id, gone.received_at, gone.body, gone.signature
    FROM turn LEFT JOIN gone ON true
    """
).columns(
    column("taken", Boolean),
    *(column(name, InboxDelivery.__table__.c[name].type) for name in _PENDING),
)


async def oldest(w: Work, limit: int) -> list[Pending]:
    """Up to `limit` deliveries in the order they were made durable."""
    rows = await w.session.execute(
        select(
            InboxDelivery.id,
            InboxDelivery.received_at,
            InboxDelivery.body,
            InboxDelivery.signature,
        )
        .order_by(InboxDelivery.id)
        .limit(limit)
    )
    return [Pending(*row) for row in rows]


async def done(w: Work, ids: Sequence[int]) -> None:
    """Applied (or kept): gone from the inbox in the same transaction as their effects."""
    if ids:
        await w.session.execute(
            delete(InboxDelivery).where(among(w.dialect, InboxDelivery.id, ids))
        )


@dataclass(frozen=True)
class InboxBacklog:
    waiting: int
    oldest: datetime | None


async def backlog(w: Work) -> InboxBacklog:
    waiting, first = (
        await w.session.execute(select(func.count(), func.min(InboxDelivery.received_at)))
    ).one()
    return InboxBacklog(int(waiting), first)
