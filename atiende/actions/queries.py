"""Read-only lookups: the desk, attended lists, timelines, transfers, supervisors' views."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import Select, String, and_, cast, func, or_, select, true

from atiende.actions import notify, slots
from atiende.actions.work import Work
from atiende.db.models import (
    Attention,
    AttentionEvent,
    Campaign,
    CampaignMember,
    Customer,
    Message,
    Transfer,
    User,
)
from atiende.db.types import utcnow
from atiende.domain.routing import Candidate, is_eligible
from atiende.schemas import QueueCount


async def held_by(w: Work, agent_id: int) -> Sequence[Attention]:
    rows = await w.session.scalars(
        select(Attention)
        .where(Attention.agent_id == agent_id, Attention.state.in_(("assigned", "open")))
        .order_by(Attention.assigned_at, Attention.id)
    )
    return rows.all()


async def offered_to(w: Work, user: User, grace: timedelta) -> Sequence[Attention]:
    """Offers this agent sees: queued, offered, in his campaigns, while he could take them."""
    rows = await w.session.execute(
        select(Attention, CampaignMember.capacity, slots.held_by_member())
        .join(CampaignMember, CampaignMember.campaign_id == Attention.campaign_id)
        .where(
            CampaignMember.user_id == user.id,
            Attention.state == "queued",
            Attention.offered.is_(True),
            Attention.parked.is_(False),
        )
        .order_by(Attention.queued_at, Attention.id)
    )
    now = utcnow()
    return [
        attention
        for attention, capacity, active in rows
        if is_eligible(
            Candidate(
                user.id,
                user.status,
                user.capacity,
                user.active_count,
                user.last_seen_at,
                user.last_assigned_at,
                capacity,
                active,
            ),
            now,
            grace,
        )
    ]


async def queues_of(w: Work, user_id: int) -> list[QueueCount]:
    campaigns = await w.session.scalars(
        select(CampaignMember.campaign_id).where(CampaignMember.user_id == user_id)
    )
    return await notify.queue_counts(w, campaigns)


async def messages_of(w: Work, attention_id: int, after_id: int | None) -> Sequence[Message]:
    query = select(Message).where(Message.attention_id == attention_id, Message.hidden.is_(False))
    if after_id is not None:
        query = query.where(Message.id > after_id)
    return (await w.session.scalars(query.order_by(Message.id))).all()


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
                Attention.state == "closed",
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
            if a.state == "closed" and a.closed_by_id == agent_id
            else "transferred",
        )
        for a, left_at in rows
    ]
    return items, int(total or 0)


async def timeline(w: Work, attention_id: int) -> Sequence[AttentionEvent]:
    rows = await w.session.scalars(
        select(AttentionEvent)
        .where(AttentionEvent.attention_id == attention_id)
        .order_by(AttentionEvent.id)
    )
    return rows.all()


async def users_by_id(w: Work, ids: set[int]) -> dict[int, User]:
    if not ids:
        return {}
    rows = await w.session.scalars(select(User).where(User.id.in_(ids)))
    return {u.id: u for u in rows}


async def campaigns_by_id(w: Work, ids: set[int]) -> dict[int, Campaign]:
    if not ids:
        return {}
    rows = await w.session.scalars(select(Campaign).where(Campaign.id.in_(ids)))
    return {c.id: c for c in rows}


async def transfers_of(w: Work, attention_id: int) -> Sequence[Transfer]:
    rows = await w.session.scalars(
        select(Transfer).where(Transfer.attention_id == attention_id).order_by(Transfer.sequence)
    )
    return rows.all()


@dataclass(frozen=True)
class TransferFilter:
    date_from: date | None = None
    date_to: date | None = None
    campaign_id: int | None = None
    agent_id: int | None = None


async def transferred_attentions(
    w: Work, f: TransferFilter, page: int, page_size: int
) -> tuple[list[tuple[Attention, int, datetime]], int]:
    """The attentions involved in transfers that match, newest transfer first."""
    conditions = []
    if f.date_from:
        conditions.append(
            Transfer.created_at >= datetime.combine(f.date_from, time.min, tzinfo=UTC)
        )
    # Through the last representable day means no upper bound (the day after would overflow).
    if f.date_to and f.date_to < date.max:
        conditions.append(
            Transfer.created_at
            < datetime.combine(f.date_to + timedelta(days=1), time.min, tzinfo=UTC)
        )
    if f.campaign_id:
        conditions.append(
            or_(
                Transfer.from_campaign_id == f.campaign_id, Transfer.to_campaign_id == f.campaign_id
            )
        )
    if f.agent_id:
        conditions.append(
            or_(Transfer.from_agent_id == f.agent_id, Transfer.to_agent_id == f.agent_id)
        )
    involved = (
        select(Transfer.attention_id, func.max(Transfer.created_at).label("last_at"))
        .where(and_(true(), *conditions))
        .group_by(Transfer.attention_id)
        .subquery()
    )
    total = await w.session.scalar(select(func.count()).select_from(involved))
    rows = await w.session.execute(
        select(Attention, Attention.transfers, involved.c.last_at)
        .join(involved, involved.c.attention_id == Attention.id)
        .order_by(involved.c.last_at.desc(), Attention.id.desc())
        .offset((page - 1) * page_size)
        .limit(page_size)
    )
    return [(a, n, last) for a, n, last in rows], int(total or 0)


async def live_attentions(
    w: Work, state: str | None, campaign_id: int | None, agent_id: int | None, limit: int = 500
) -> Sequence[Attention]:
    query = select(Attention).where(Attention.state != "closed")
    if state:
        query = query.where(Attention.state == state)
    if campaign_id:
        query = query.where(Attention.campaign_id == campaign_id)
    if agent_id:
        query = query.where(Attention.agent_id == agent_id)
    rows = await w.session.scalars(query.order_by(Attention.queued_at, Attention.id).limit(limit))
    return rows.all()
