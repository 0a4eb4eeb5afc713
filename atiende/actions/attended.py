"""The attentions an agent attended and has left: his history, searchable.

Kept in `attended` as he leaves each one (`note_left`, called where an attention is ended,
transferred or reassigned, under its row's lock), so that a page is read from his own rows on
`ix_attended_agent_left`, newest first, by keyset, whatever the size of the timeline.
"""

import re
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import ColumnElement, Select, String, and_, cast, exists, func, or_, select

from atiende.actions.work import Work
from atiende.db.models import AttendedItem, Attention, AttentionEvent, Customer
from atiende.domain.states import State

# `before` is "<left_at in microseconds since the epoch>.<attention id>" of the last item.
CURSOR = r"^\d{1,17}\.\d{1,19}$"


@dataclass(frozen=True)
class Attended:
    attention: Attention
    left_at: datetime
    outcome: str


@dataclass(frozen=True)
class AttendedPage:
    items: list[Attended]
    total: int
    next_before: str | None


async def note_left(w: Work, attention: Attention, agent_id: int | None, at: datetime) -> None:
    """He is leaving `attention`: it joins (or moves up) his Atendidas if he ever opened it."""
    if agent_id is None:
        return
    row = await w.session.get(AttendedItem, (agent_id, attention.id))
    if row is not None:
        row.left_at = at
        return
    opened = await w.session.scalar(
        select(
            exists().where(
                AttentionEvent.attention_id == attention.id,
                AttentionEvent.kind == "opened",
                AttentionEvent.actor_id == agent_id,
            )
        )
    )
    # The event of this very opening may still be pending in the session.
    if opened or attention.state == State.OPEN:
        w.session.add(AttendedItem(agent_id=agent_id, attention_id=attention.id, left_at=at))


async def attended_by(
    w: Work, agent_id: int, q: str | None, before: str | None, limit: int
) -> AttendedPage:
    """Attentions he opened that are now closed or no longer his, newest first (SPEC §4)."""
    query: Select[Attention, datetime] = (
        select(Attention, AttendedItem.left_at)
        .join(AttendedItem, AttendedItem.attention_id == Attention.id)
        .where(
            AttendedItem.agent_id == agent_id,
            # One that came back to him is in his hands, not in his history, until he leaves
            # it again.
            or_(
                Attention.agent_id.is_(None),
                Attention.agent_id != agent_id,
                Attention.state == State.CLOSED,
            ),
        )
    )
    if q and q.strip():
        query = query.where(_matches(q))
    total = await w.session.scalar(select(func.count()).select_from(query.subquery()))
    if before is not None:
        at, attention_id = _cursor(before)
        query = query.where(
            or_(
                AttendedItem.left_at < at,
                and_(AttendedItem.left_at == at, AttendedItem.attention_id < attention_id),
            )
        )
    rows = (
        await w.session.execute(
            query.order_by(AttendedItem.left_at.desc(), AttendedItem.attention_id.desc()).limit(
                limit + 1
            )
        )
    ).all()
    items = [
        Attended(
            attention=a,
            left_at=left_at,
            outcome="closed"
            if a.state == State.CLOSED and a.closed_by_id == agent_id
            else "transferred",
        )
        for a, left_at in rows[:limit]
    ]
    last = items[-1] if len(rows) > limit else None
    return AttendedPage(
        items, int(total or 0), _cursor_of(last.left_at, last.attention.id) if last else None
    )


def _matches(q: str) -> ColumnElement[bool]:
    like = f"%{q.strip().lower().lstrip('+@')}%"
    return Attention.customer_id.in_(
        select(Customer.id).where(
            or_(
                func.lower(Customer.name).like(like),
                func.lower(Customer.username).like(like),
                Customer.phone.like(like),
            )
        )
    ) | cast(Attention.id, String).like(like)


def _cursor_of(at: datetime, attention_id: int) -> str:
    micros = (at - datetime(1970, 1, 1, tzinfo=UTC)) // _MICRO
    return f"{micros}.{attention_id}"


def _cursor(before: str) -> tuple[datetime, int]:
    # The route refuses any other shape (Query pattern); this guards other callers.
    if not re.match(CURSOR, before):
        raise ValueError(f"not a cursor of Atendidas: {before!r}")
    micros, attention_id = before.split(".")
    return datetime(1970, 1, 1, tzinfo=UTC) + int(micros) * _MICRO, int(attention_id)


_MICRO = datetime.resolution
