"""What a campaign's members see of its queue: how many wait, and the longest-waiting ones.

The counts are kept, not recounted: triggers on `attentions` add a +1/-1 row to
`queue_changes` whenever an attention enters or leaves a campaign's queue (migration 0025),
whichever path does it, and a count is the sum of its campaign's rows. Routing folds a
campaign's rows into one each time it routes it (`fold`), so a sum reads a handful of rows
however long the queue.
"""

from collections.abc import Iterable

from sqlalchemy import delete, func, select, union_all

from atiende.actions.work import Work
from atiende.db.models import Attention, Campaign, Customer, QueueChange
from atiende.domain.customers import display_name
from atiende.domain.states import State
from atiende.schemas.attentions import QueueCount, QueuedOut

# Enough to see who waits and for how long; the count says how many more. Every change of a
# queue sends this to all its members, so it stays small however long the queue grows.
QUEUE_SHOWN = 20


async def queued(w: Work, campaign_ids: Iterable[int] | None = None) -> dict[int, int]:
    """How many attentions each campaign's queue holds (those with none are left out)."""
    query = select(QueueChange.campaign_id, func.sum(QueueChange.delta)).group_by(
        QueueChange.campaign_id
    )
    if campaign_ids is not None:
        query = query.where(QueueChange.campaign_id.in_(sorted(set(campaign_ids))))
    return {c: int(n) for c, n in await w.session.execute(query) if n}


async def fold(w: Work, campaign_id: int) -> int:
    """The campaign's changes, summed into one row. The rows it removes are exactly the ones
    it sums (RETURNING): a change committed meanwhile by another transaction stays as it is,
    and two folds at once each sum only the rows they removed. Returns the sum: the queue's
    count as this transaction sees it."""
    await w.session.flush()  # this transaction's own changes count too
    gone = list(
        await w.session.scalars(
            delete(QueueChange)
            .where(QueueChange.campaign_id == campaign_id)
            .returning(QueueChange.delta)
            .execution_options(synchronize_session=False)
        )
    )
    total = sum(gone)
    if total:
        w.session.add(QueueChange(campaign_id=campaign_id, delta=total))
    return total


async def unfolded(w: Work, at_least: int) -> list[int]:
    """Campaigns with at least this many change rows: those routing has not folded lately
    (offered to all, or nobody with room for a long while)."""
    rows = await w.session.scalars(
        select(QueueChange.campaign_id)
        .group_by(QueueChange.campaign_id)
        .having(func.count() >= at_least)
        .order_by(QueueChange.campaign_id)
    )
    return list(rows)


async def queue_counts(w: Work, campaign_ids: Iterable[int]) -> list[QueueCount]:
    ids = sorted(set(campaign_ids))
    if not ids:
        return []
    sizes = await queued(w, ids)
    rows = await w.session.execute(
        select(Campaign.id, Campaign.name)
        .where(Campaign.id.in_(ids), Campaign.archived_at.is_(None))
        .order_by(Campaign.name)
    )
    counts = [
        QueueCount(campaign_id=i, campaign_name=n, queued=max(sizes.get(i, 0), 0)) for i, n in rows
    ]
    await _with_longest_waiting(w, counts)
    return counts


async def queue_count(w: Work, campaign_id: int, name: str, queued: int) -> QueueCount:
    """`queue_counts` of one campaign whose name and count the caller knows already."""
    count = QueueCount(campaign_id=campaign_id, campaign_name=name, queued=max(queued, 0))
    await _with_longest_waiting(w, [count])
    return count


async def _with_longest_waiting(w: Work, counts: list[QueueCount]) -> None:
    waiting = await _longest_waiting(w, [c.campaign_id for c in counts if c.queued])
    for count in counts:
        count.waiting = waiting.get(count.campaign_id, [])


async def _longest_waiting(w: Work, campaign_ids: list[int]) -> dict[int, list[QueuedOut]]:
    """The head of each queue, each read from the queue's index (`ix_attentions_queue`)."""
    if not campaign_ids:
        return {}
    heads = [
        select(
            Attention.id,
            Attention.campaign_id,
            Attention.queued_at,
            Attention.customer_id,
        )
        .where(Attention.state == State.QUEUED, Attention.campaign_id == campaign_id)
        .order_by(Attention.queued_at, Attention.id)
        .limit(QUEUE_SHOWN)
        .subquery()
        for campaign_id in campaign_ids
    ]
    # One campaign (a routing batch's) needs no union: building one cost more than its query.
    head = heads[0] if len(heads) == 1 else union_all(*(select(h) for h in heads)).subquery()
    rows = await w.session.execute(
        select(
            head.c.id,
            head.c.campaign_id,
            head.c.queued_at,
            Customer.name,
            Customer.username,
            Customer.phone,
        )
        .join(Customer, Customer.id == head.c.customer_id)
        .order_by(head.c.campaign_id, head.c.queued_at, head.c.id)
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
