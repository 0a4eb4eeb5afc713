"""Where an agent can transfer to: his campaigns (not archived ones) and, in each, the other
agents' room."""

from sqlalchemy import select

from atiende.actions import slots
from atiende.actions.work import Work
from atiende.db.models import Campaign, CampaignMember, User
from atiende.domain.kinds import Role
from atiende.schemas.attentions import TargetAgent, TargetCampaign, TargetsOut


async def targets_for(w: Work, user_id: int) -> TargetsOut:
    mine = select(CampaignMember.campaign_id).where(CampaignMember.user_id == user_id)
    campaigns = (
        await w.session.scalars(
            select(Campaign)
            .where(Campaign.id.in_(mine), Campaign.archived_at.is_(None))
            .order_by(Campaign.name)
        )
    ).all()
    rows = (
        await w.session.execute(
            select(CampaignMember, User, slots.held_by_member())
            .join(User, User.id == CampaignMember.user_id)
            .where(
                CampaignMember.campaign_id.in_(mine), User.role == Role.AGENT, User.id != user_id
            )
            .order_by(User.display_name)
        )
    ).all()
    return TargetsOut(
        campaigns=[
            TargetCampaign(
                id=c.id,
                name=c.name,
                agents=[
                    TargetAgent(
                        id=u.id,
                        display_name=u.display_name,
                        status=u.status,
                        free_slots=max(0, min(m.capacity - held, u.capacity - u.active_count)),
                    )
                    for m, u, held in rows
                    if m.campaign_id == c.id
                ],
            )
            for c in campaigns
        ]
    )
