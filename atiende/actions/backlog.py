"""The backlogs an operator watches (`/metrics`): queues, outbox, media, inbox, kept
deliveries.

The queues' sizes are the counts kept as they change (actions/queues.py) and their oldest a
step into each queue's index; the rest is one aggregate on an index each (`ix_outbox_due`,
`ix_media_downloads_due`), so a scrape costs the same whatever the size of the history.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from atiende.actions import inbox
from atiende.actions import queues as queue_counts
from atiende.actions.work import Work
from atiende.db.models import Attention, Campaign, MediaDownload, OutboxItem, WebhookFailure
from atiende.domain.states import State


@dataclass(frozen=True)
class Queue:
    campaign: str
    queued: int
    oldest: datetime | None


@dataclass(frozen=True)
class Backlog:
    queues: list[Queue]
    outbox: int
    outbox_oldest: datetime | None
    media: int
    webhook_failures: int
    inbox: inbox.InboxBacklog


async def backlog(w: Work) -> Backlog:
    s = w.session
    sizes = await queue_counts.queued(w)
    # The head of each queue, one step into its index.
    head = (
        select(Attention.queued_at)
        .where(Attention.campaign_id == Campaign.id, Attention.state == State.QUEUED)
        .order_by(Attention.queued_at, Attention.id)
        .limit(1)
        .correlate(Campaign)
        .scalar_subquery()
    )
    # Every campaign is reported, an empty queue as 0, so a graph drops to zero, not to nothing.
    queues = [
        Queue(name, sizes.get(campaign_id, 0), oldest)
        for campaign_id, name, oldest in await s.execute(
            select(Campaign.id, Campaign.name, head).order_by(Campaign.id)
        )
    ]
    outbox, outbox_oldest = (
        await s.execute(
            select(func.count(), func.min(OutboxItem.created_at)).where(
                OutboxItem.state == "pending"
            )
        )
    ).one()
    media = await s.scalar(
        select(func.count()).select_from(MediaDownload).where(MediaDownload.state == "pending")
    )
    failures = await s.scalar(select(func.count()).select_from(WebhookFailure))
    return Backlog(
        queues,
        int(outbox),
        outbox_oldest,
        int(media or 0),
        int(failures or 0),
        await inbox.backlog(w),
    )
