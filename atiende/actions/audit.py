"""Consistency checks of what the database says: counters (agents' slots, queues) against
rows, and a replay of every attention's timeline. Used by the concurrency tests and
`atiende audit`."""

from collections import defaultdict

from sqlalchemy import func, select, text

from atiende.actions import queues
from atiende.actions.work import Work
from atiende.db.models import Attention, AttentionEvent, User
from atiende.domain.states import State

_TAKES = frozenset({"assigned"})
_RELEASES = frozenset({"reassigned", "transferred", "closed"})


async def problems(w: Work) -> list[str]:
    """Everything that is not as the invariants say; empty when all is well.

    Must be the transaction's first statement: the checks compare several reads, and on a
    live PostgreSQL each statement of a READ COMMITTED transaction sees a newer commit (an
    assignment between the count of held rows and the read of the counters looked like a
    broken counter). One snapshot for all of them; SQLite's single writer already gives one.
    """
    if w.session.get_bind().dialect.name == "postgresql":
        await w.session.execute(text("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY"))
    found: list[str] = []
    found += await _counters(w)
    found += await _queues(w)
    found += await _states(w)
    found += await _replay(w)
    return found


async def _counters(w: Work) -> list[str]:
    held = dict(
        (
            await w.session.execute(
                select(Attention.agent_id, func.count())
                .where(Attention.state.in_(("assigned", "open")))
                .group_by(Attention.agent_id)
            )
        ).all()
    )
    found = []
    for user in await w.session.scalars(select(User)):
        rows = held.get(user.id, 0)
        if user.active_count != rows:
            found.append(f"agent {user.id}: counter {user.active_count} but holds {rows}")
        if rows > user.capacity:
            found.append(f"agent {user.id}: holds {rows} over capacity {user.capacity}")
    return found


async def _queues(w: Work) -> list[str]:
    """The queue counts kept as changes (`queue_changes`) against the queued rows."""
    rows = dict(
        (
            await w.session.execute(
                select(Attention.campaign_id, func.count())
                .where(Attention.state == State.QUEUED)
                .group_by(Attention.campaign_id)
            )
        ).all()
    )
    kept = await queues.queued(w)
    return [
        f"campaign {c}: queue count {kept.get(c, 0)} but {rows.get(c, 0)} queued"
        for c in sorted(set(rows) | set(kept))
        if kept.get(c, 0) != rows.get(c, 0)
    ]


async def _states(w: Work) -> list[str]:
    found = []
    for a in await w.session.scalars(select(Attention).where(Attention.state != State.CLOSED)):
        held = a.state in ("assigned", "open")
        if held != (a.agent_id is not None):
            found.append(f"attention {a.id}: state {a.state} with agent {a.agent_id}")
        if a.state == State.QUEUED and (a.reassign_at or a.orphan_at):
            found.append(f"attention {a.id}: queued with a pending agent deadline")
    return found


async def _replay(w: Work) -> list[str]:
    """Replays every take and release in insertion order: no attention held twice, no agent
    over capacity at any moment. A release's row is written before its commit and the take
    that needed the freed slot after it, so the order of ids is the order that mattered."""
    capacity = dict((await w.session.execute(select(User.id, User.capacity))).all())
    holder: dict[int, int] = {}
    load: dict[int, int] = defaultdict(int)
    found = []
    events = await w.session.execute(
        select(
            AttentionEvent.id,
            AttentionEvent.attention_id,
            AttentionEvent.kind,
            AttentionEvent.agent_id,
        )
        .where(AttentionEvent.kind.in_(_TAKES | _RELEASES))
        .order_by(AttentionEvent.id)
    )
    for event_id, attention_id, kind, agent_id in events:
        if kind in _TAKES and agent_id is not None:
            if attention_id in holder:
                found.append(
                    f"event {event_id}: attention {attention_id} given to agent {agent_id} "
                    f"while agent {holder[attention_id]} held it"
                )
            holder[attention_id] = agent_id
            load[agent_id] += 1
            if load[agent_id] > capacity.get(agent_id, 0):
                found.append(f"event {event_id}: agent {agent_id} over capacity")
        elif attention_id in holder:
            load[holder.pop(attention_id)] -= 1
    return found
