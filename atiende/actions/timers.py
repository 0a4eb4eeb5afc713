"""The durable deadlines: reassignment, orphaned, overflow.

Each is a column; every process's loop claims due rows with SKIP LOCKED (a single writer on
SQLite) and handles one per transaction, so a crash or a restart loses none and two
processes never both act on one.
"""

from datetime import datetime, timedelta

from sqlalchemy import Exists, exists, or_, select
from sqlalchemy.orm import InstrumentedAttribute

from atiende.actions import notify, reassignment, versions
from atiende.actions.timeline import record
from atiende.actions.work import Work
from atiende.db.models import Attention, User
from atiende.db.types import utcnow
from atiende.domain.kinds import OverflowMode, Presence
from atiende.domain.states import State


async def anything_due(w: Work) -> bool:
    """Whether any `fire_one_*` would find something now (each on its own index)."""
    now = utcnow()
    due = or_(
        _due(Attention.reassign_at, State.ASSIGNED, now),
        _due(Attention.orphan_at, State.OPEN, now),
        _due(Attention.overflow_at, State.QUEUED, now),
        # From the agents who hold something and are not available, each looked up on his
        # attentions' index: from the assigned attentions it was a scan of them all every
        # second in every process (9 ms at 5,000, bench.routing), finding none.
        exists().where(
            User.status != Presence.AVAILABLE,
            User.active_count > 0,
            exists().where(Attention.agent_id == User.id, Attention.state == State.ASSIGNED),
        ),
    )
    return bool(await w.session.scalar(select(due)))


def _due(column: InstrumentedAttribute[datetime | None], state: str, now: datetime) -> Exists:
    return exists().where(Attention.state == state, column <= now)


async def fire_one_reassignment(w: Work) -> bool:
    attention = await _claim_due(w, Attention.reassign_at, "assigned")
    if attention is None:
        return False
    await reassignment.reassign(w, attention, "timeout")
    return True


async def fire_one_orphan(w: Work) -> bool:
    attention = await _claim_due(w, Attention.orphan_at, "open")
    if attention is None:
        return False
    await reassignment.reassign(w, attention, "orphaned")
    return True


async def fire_one_unavailable(w: Work) -> bool:
    """An attention still assigned to an agent who paused or went offline (the reassignment at
    the status change skips rows another transaction holds at that moment)."""
    row = (
        await w.session.execute(
            select(Attention, User.status)
            .join(User, User.id == Attention.agent_id)
            .where(Attention.state == State.ASSIGNED, User.status != Presence.AVAILABLE)
            .limit(1)
            .with_for_update(of=Attention, skip_locked=True)
        )
    ).first()
    if row is None:
        return False
    attention, status = row
    await reassignment.reassign(
        w, attention, "agent_paused" if status == Presence.PAUSED else "agent_offline"
    )
    return True


async def fire_one_overflow(w: Work, grace: timedelta) -> bool:
    attention = await _claim_due(w, Attention.overflow_at, "queued")
    if attention is None:
        return False
    attention.overflow_at = None
    if attention.campaign.overflow_mode == OverflowMode.OFFER_ALL and not attention.parked:
        attention.offered = True
        versions.bump(attention)
        record(w, attention, "overflowed", data={"mode": "offer_all"})
        await notify.offer(w, attention, grace)
    return True


async def _claim_due(
    w: Work, column: InstrumentedAttribute[datetime | None], state: str
) -> Attention | None:
    return await w.session.scalar(
        select(Attention)
        .where(Attention.state == state, column <= utcnow())
        .order_by(column)
        .limit(1)
        .with_for_update(of=Attention, skip_locked=True)
    )
