"""The attentions an agent attended and has left: his history, searchable."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, String, cast, func, or_, select

from atiende.actions.work import Work
from atiende.db.models import Attention, AttentionEvent, Customer
from atiende.domain.states import State


@dataclass(frozen=True)
class Attended:
    attention: Attention
    left_at: datetime
    outcome: str


async def attended_by(
    w: Work, agent_id: int, q: str | None, page: int, page_size: int
) -> tuple[list[Attended], int]:
    """Attentions he opened that are now closed or no longer his, newest first (SPEC §4)."""
    left = (
        select(AttentionEvent.attention_id, func.max(AttentionEvent.created_at).label("left_at"))
        .where(
            AttentionEvent.agent_id == agent_id,
            AttentionEvent.kind.in_(("transferred", "reassigned", "closed")),
        )
        .group_by(AttentionEvent.attention_id)
        .subquery()
    )
    opened = select(AttentionEvent.attention_id).where(
        AttentionEvent.kind == "opened", AttentionEvent.actor_id == agent_id
    )
    query: Select[Attention, datetime] = (
        select(Attention, left.c.left_at)
        .join(left, left.c.attention_id == Attention.id)
        .join(Customer, Customer.id == Attention.customer_id)
        .where(
            Attention.id.in_(opened),
            or_(
                Attention.agent_id.is_(None),
                Attention.agent_id != agent_id,
                Attention.state == State.CLOSED,
            ),
        )
    )
    if q and q.strip():
        like = f"%{q.strip().lower().lstrip('+@')}%"
        query = query.where(
            or_(
                func.lower(Customer.name).like(like),
                func.lower(Customer.username).like(like),
                Customer.phone.like(like),
                cast(Attention.id, String).like(like),
            )
        )
    total = await w.session.scalar(select(func.count()).select_from(query.subquery()))
    rows = await w.session.execute(
        query.order_by(left.c.left_at.desc(), Attention.id.desc())
        .offset((page - 1) * page_size)
        .limit(page_size)
    )
    items = [
        Attended(
            attention=a,
            left_at=left_at,
            outcome="closed"
            if a.state == State.CLOSED and a.closed_by_id == agent_id
            else "transferred",
        )
        for a, left_at in rows
    ]
    return items, int(total or 0)
