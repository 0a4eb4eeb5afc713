"""The agent's desk: what he holds, what is offered to him, his campaigns' queues."""

from collections.abc import Sequence
from datetime import timedelta

from sqlalchemy import select

from atiende.actions import candidates, queues
from atiende.actions.work import Work
from atiende.db.models import Attention, CampaignMember, User
from atiende.domain.states import HOLDS_SLOT, State
from atiende.schemas.attentions import AttentionOut, DeskOut, QueueCount


async def desk_of(w: Work, user: User, grace: timedelta) -> DeskOut:
    held = await held_by(w, user.id)
    offers = await offered_to(w, user, grace)
    return DeskOut(
        assigned=[AttentionOut.of(a) for a in held if a.state == State.ASSIGNED],
        open=[AttentionOut.of(a) for a in held if a.state == State.OPEN],
        offered=[AttentionOut.of(a, offered=True) for a in offers],
        queues=await queues_of(w, user.id),
    )


async def held_by(w: Work, agent_id: int) -> Sequence[Attention]:
    rows = await w.session.scalars(
        select(Attention)
        .where(Attention.agent_id == agent_id, Attention.state.in_(HOLDS_SLOT))
        .order_by(Attention.assigned_at, Attention.id)
    )
    return rows.all()


async def offered_to(w: Work, user: User, grace: timedelta) -> Sequence[Attention]:
    """Offers this agent sees: queued, offered, in his campaigns, while he could take them."""
    return await candidates.offers_open_to(w, user.id, grace)


async def queues_of(w: Work, user_id: int) -> list[QueueCount]:
    campaigns = await w.session.scalars(
        select(CampaignMember.campaign_id).where(CampaignMember.user_id == user_id)
    )
    return await queues.queue_counts(w, campaigns)
