"""What a campaign's members see of its queue: how many wait, and the longest-waiting ones."""

from collections.abc import Iterable

from sqlalchemy import func, select

from atiende.actions.work import Work
from atiende.db.models import Attention, Campaign, Customer
from atiende.domain.customers import display_name
from atiende.domain.states import State
from atiende.schemas.attentions import QueueCount, QueuedOut

# Enough to see who waits and for how long; the count says how many more. Every change of a
# queue sends this to all its members, so it stays small however long the queue grows.
QUEUE_SHOWN = 20


async def queue_counts(w: Work, campaign_ids: Iterable[int]) -> list[QueueCount]:
    ids = sorted(set(campaign_ids))
    if not ids:
        return []
    queued = (
        select(Attention.campaign_id, func.count().label("n"))
        .where(Attention.state == State.QUEUED, Attention.campaign_id.in_(ids))
        .group_by(Attention.campaign_id)
        .subquery()
    )
    rows = await w.session.execute(
        select(Campaign.id, Campaign.name, func.coalesce(queued.c.n, 0))
        .outerjoin(queued, queued.c.campaign_id == Campaign.id)
        .where(Campaign.id.in_(ids), Campaign.archived_at.is_(None))
        .order_by(Campaign.name)
    )
    counts = [QueueCount(campaign_id=i, campaign_name=n, queued=q) for i, n, q in rows]
    waiting = await _longest_waiting(w, [c.campaign_id for c in counts if c.queued])
    for count in counts:
        count.waiting = waiting.get(count.campaign_id, [])
    return counts


async def _longest_waiting(w: Work, campaign_ids: list[int]) -> dict[int, list[QueuedOut]]:
    if not campaign_ids:
        return {}
    rank = (
        func.row_number()
        .over(
            partition_by=Attention.campaign_id,
            order_by=(Attention.queued_at, Attention.id),
        )
        .label("rank")
    )
    ranked = (
        select(
            Attention.id,
            Attention.campaign_id,
            Attention.queued_at,
            Customer.name,
            Customer.username,
            Customer.phone,
            rank,
        )
        .join(Customer, Customer.id == Attention.customer_id)
        .where(Attention.state == State.QUEUED, Attention.campaign_id.in_(campaign_ids))
        .subquery()
    )
    rows = await w.session.execute(
        select(ranked)
        .where(ranked.c.rank <= QUEUE_SHOWN)
        .order_by(ranked.c.campaign_id, ranked.c.rank)
    )
    found: dict[int, list[QueuedOut]] = {}
    for row in rows:
        found.setdefault(row.campaign_id, []).append(
            QueuedOut(
                id=row.id,
                customer=display_name(row.name, row.username, row.phone),
                queued_at=row.queued_at,
            )
        )
    return found
