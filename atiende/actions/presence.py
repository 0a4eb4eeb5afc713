"""Agent status and liveness."""

from collections.abc import Iterable
from datetime import timedelta

from sqlalchemy import select, update

from atiende.actions import routing
from atiende.actions.work import Work
from atiende.db.models import CampaignMember, User
from atiende.db.types import utcnow
from atiende.domain.errors import Invalid

STATUSES = ("available", "paused", "offline")


async def touch(w: Work, user_ids: Iterable[int]) -> None:
    """These agents have a live socket on this process right now."""
    ids = list(user_ids)
    if ids:
        await w.session.execute(
            update(User)
            .where(User.id.in_(ids))
            .values(last_seen_at=utcnow())
            .execution_options(synchronize_session=False)
        )


async def do_set_status(
    w: Work, user: User, status: str, reason: str | None, presence_grace: timedelta
) -> User:
    if status not in STATUSES:
        raise Invalid("invalid_status", "Estado desconocido.")
    user.status = status
    user.pause_reason = reason if status == "paused" else None
    await w.session.flush()
    if status == "available":
        await route_for(w, user.id, presence_grace)
    return user


async def route_for(w: Work, user_id: int, presence_grace: timedelta) -> None:
    """Whatever waits in this agent's campaigns gets a chance at him now."""
    campaigns = await w.session.scalars(
        select(CampaignMember.campaign_id).where(CampaignMember.user_id == user_id)
    )
    await routing.route(w, presence_grace, list(campaigns))
