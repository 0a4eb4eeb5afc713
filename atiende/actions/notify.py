"""Building the events an attention change sends, and to whom."""

from collections.abc import Iterable

from sqlalchemy import func, select

from atiende.actions.work import Work
from atiende.db.models import Attention, Campaign, CampaignMember, Message
from atiende.realtime.events import (
    AttentionRemoved,
    AttentionUpdated,
    MessageCreated,
    MessageStatusChanged,
    Queues,
)
from atiende.schemas import AttentionOut, MessageError, MessageOut, QueueCount


def bump(attention: Attention) -> None:
    attention.version += 1


def attention_changed(w: Work, attention: Attention, previous_agent_id: int | None = None) -> None:
    """Tell the holder the new state; tell a former holder it is no longer his."""
    if attention.agent_id is not None:
        w.notify(AttentionUpdated(attention=AttentionOut.of(attention)), [attention.agent_id])
    if previous_agent_id is not None and previous_agent_id != attention.agent_id:
        w.notify(AttentionRemoved(attention_id=attention.id), [previous_agent_id])


def message_created(w: Work, attention: Attention, message: Message) -> None:
    if attention.agent_id is not None:
        w.notify(MessageCreated(message=MessageOut.of(message)), [attention.agent_id])


def message_status(w: Work, attention: Attention, message: Message) -> None:
    if attention.agent_id is None:
        return
    failed = message.status == "failed"
    error = MessageError(code=message.error_code, title=message.error_title) if failed else None
    event = MessageStatusChanged(
        message_id=message.id,
        attention_id=attention.id,
        status=message.status,
        error=error,
    )
    w.notify(event, [attention.agent_id])


async def queue_counts(w: Work, campaign_ids: Iterable[int]) -> list[QueueCount]:
    ids = sorted(set(campaign_ids))
    if not ids:
        return []
    queued = (
        select(Attention.campaign_id, func.count().label("n"))
        .where(Attention.state == "queued", Attention.campaign_id.in_(ids))
        .group_by(Attention.campaign_id)
        .subquery()
    )
    rows = await w.session.execute(
        select(Campaign.id, Campaign.name, func.coalesce(queued.c.n, 0))
        .outerjoin(queued, queued.c.campaign_id == Campaign.id)
        .where(Campaign.id.in_(ids))
        .order_by(Campaign.name)
    )
    return [QueueCount(campaign_id=i, campaign_name=n, queued=q) for i, n, q in rows]


async def queues_changed(w: Work, campaign_ids: Iterable[int]) -> None:
    """Each member of a campaign hears its new queued count (the client merges by campaign)."""
    counts = await queue_counts(w, campaign_ids)
    for count in counts:
        members = await w.session.scalars(
            select(CampaignMember.user_id).where(CampaignMember.campaign_id == count.campaign_id)
        )
        w.notify(Queues(queues=[count]), members)
