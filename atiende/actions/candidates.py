"""Who could take an attention: campaign members as routing candidates, in one query each.

Routing picks among them, offers are shown to them, the desk lists what they could take;
all three read the same columns and apply the same rule (`domain.routing.is_eligible`).
"""

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

from sqlalchemy import Select, select

from atiende.actions import slots
from atiende.actions.work import Work
from atiende.db.models import Attention, CampaignMember, User
from atiende.db.types import utcnow
from atiende.domain.kinds import Role
from atiende.domain.routing import Candidate, is_eligible
from atiende.domain.states import State


def _members() -> Select[int, str, int, int, datetime | None, datetime | None, int, int]:
    """The columns of `Candidate`, in its order, for each agent member of a campaign."""
    return (
        select(
            User.id,
            User.status,
            User.capacity,
            User.active_count,
            User.last_seen_at,
            User.last_assigned_at,
            CampaignMember.capacity,
            slots.held_by_member(),
        )
        .join(CampaignMember, CampaignMember.user_id == User.id)
        .where(User.role == Role.AGENT)
    )


async def candidates_of(w: Work, campaign_id: int) -> list[Candidate]:
    rows = await w.session.execute(_members().where(CampaignMember.campaign_id == campaign_id))
    return [Candidate(*row) for row in rows]


async def eligible_members(w: Work, campaign_id: int, grace: timedelta) -> list[int]:
    """Members who could take an offer now: available, connected, with room."""
    now = utcnow()
    return [c.agent_id for c in await candidates_of(w, campaign_id) if is_eligible(c, now, grace)]


async def offers_open_to(
    w: Work, agent_id: int, grace: timedelta, campaign_ids: Iterable[int] | None = None
) -> Sequence[Attention]:
    """Offers this agent could take now: queued, offered, in his campaigns (these ones only,
    when given), oldest first."""
    query = (
        _members()
        .add_columns(Attention)
        .join(Attention, Attention.campaign_id == CampaignMember.campaign_id)
        .where(
            User.id == agent_id,
            Attention.state == State.QUEUED,
            Attention.offered.is_(True),
            Attention.parked.is_(False),
        )
        .order_by(Attention.queued_at, Attention.id)
    )
    if campaign_ids is not None:
        query = query.where(CampaignMember.campaign_id.in_(list(campaign_ids)))
    now = utcnow()
    return [
        row[-1]
        for row in await w.session.execute(query)
        if is_eligible(Candidate(*row[:-1]), now, grace)
    ]
