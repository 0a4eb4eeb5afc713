"""Read-only lookups the desk needs."""

from collections.abc import Sequence

from sqlalchemy import select

from atiende.actions import notify
from atiende.actions.work import Work
from atiende.db.models import Attention, CampaignMember, Message
from atiende.schemas import QueueCount


async def held_by(w: Work, agent_id: int) -> Sequence[Attention]:
    rows = await w.session.scalars(
        select(Attention)
        .where(Attention.agent_id == agent_id, Attention.state.in_(("assigned", "open")))
        .order_by(Attention.assigned_at, Attention.id)
    )
    return rows.all()


async def queues_of(w: Work, user_id: int) -> list[QueueCount]:
    campaigns = await w.session.scalars(
        select(CampaignMember.campaign_id).where(CampaignMember.user_id == user_id)
    )
    return await notify.queue_counts(w, campaigns)


async def messages_of(w: Work, attention_id: int, after_id: int | None) -> Sequence[Message]:
    query = select(Message).where(Message.attention_id == attention_id)
    if after_id is not None:
        query = query.where(Message.id > after_id)
    return (await w.session.scalars(query.order_by(Message.id))).all()
