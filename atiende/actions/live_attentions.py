"""Supervisors' live view: the attentions not yet closed, filtered, oldest in the queue first,
a page at a time (keyset on queued_at and id), with how many match in all."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, func, literal, select, tuple_

from atiende.actions.work import Work
from atiende.db.models import Attention
from atiende.domain.errors import Invalid
from atiende.domain.states import State


@dataclass(frozen=True)
class LiveFilter:
    state: str | None = None
    campaign_id: int | None = None
    agent_id: int | None = None


@dataclass(frozen=True)
class LivePage:
    items: list[Attention]
    total: int
    # Where the next page starts (the last row's place), or None on the last page.
    next_after: tuple[datetime, int] | None


def _conditions(f: LiveFilter) -> list[ColumnElement[bool]]:
    where = [Attention.state != State.CLOSED]
    if f.state:
        where.append(Attention.state == f.state)
    if f.campaign_id:
        where.append(Attention.campaign_id == f.campaign_id)
    if f.agent_id:
        where.append(Attention.agent_id == f.agent_id)
    return where


def cursor(after_queued_at: datetime | None, after_id: int | None) -> tuple[datetime, int] | None:
    """A page starts after one row: both halves of its place, or neither."""
    if after_queued_at is None and after_id is None:
        return None
    if after_queued_at is None or after_id is None:
        raise Invalid("page_cursor", "Indique after_queued_at y after_id juntos.")
    return after_queued_at, after_id


async def live_attentions(
    w: Work, f: LiveFilter, limit: int, after: tuple[datetime, int] | None = None
) -> LivePage:
    where = _conditions(f)
    total = await w.session.scalar(select(func.count()).select_from(Attention).where(*where))
    query = select(Attention).where(*where)
    if after is not None:
        # Typed like the column, so SQLite compares the stored form of the time.
        place = tuple_(literal(after[0], Attention.queued_at.type), literal(after[1]))
        query = query.where(tuple_(Attention.queued_at, Attention.id) > place)
    # One more than asked tells whether another page follows.
    rows = list(
        await w.session.scalars(query.order_by(Attention.queued_at, Attention.id).limit(limit + 1))
    )
    more = len(rows) > limit
    items = rows[:limit]
    last = items[-1] if more else None
    return LivePage(
        items=items,
        total=int(total or 0),
        next_after=(last.queued_at, last.id) if last is not None else None,
    )
