"""Users as an administrator changes them: created, deactivated and reactivated."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, func, select

from atiende.actions import campaigns, presence
from atiende.actions.auth import hash_password
from atiende.actions.work import Work
from atiende.db.models import CampaignMember, User, UserSession
from atiende.domain.errors import Invalid, NotFound
from atiende.domain.kinds import Presence


@dataclass(frozen=True)
class NewUser:
    username: str
    display_name: str
    role: str
    password: str
    capacity: int


async def do_create(w: Work, new: NewUser, campaign_names: Iterable[str] = ()) -> User:
    """A user, member of these campaigns (each created if missing) with the default capacity."""
    user = User(
        username=new.username,
        display_name=new.display_name,
        role=new.role,
        password_hash=hash_password(new.password),
        capacity=new.capacity,
    )
    w.session.add(user)
    await w.session.flush()
    for name in campaign_names:
        campaign = await campaigns.do_ensure_campaign(w, name)
        w.session.add(CampaignMember(campaign_id=campaign.id, user_id=user.id))
    return user


async def access_user(w: Work, user_id: int, *, lock: bool = False) -> User:
    query = select(User).where(User.id == user_id)
    if lock:
        query = query.with_for_update()
    user = await w.session.scalar(query)
    if user is None:
        raise NotFound("user_not_found", "El usuario no existe.")
    return user


async def all_users(w: Work) -> list[User]:
    """Everyone, grouped by role, by name."""
    return list(await w.session.scalars(select(User).order_by(User.role, User.display_name)))


async def all_users_with_capacity(w: Work) -> list[tuple[User, int]]:
    """Everyone with the capacity routing enforces: his own limit (users.capacity), never
    more than the sum of his campaigns' (campaign_members.capacity), as actions/slots.py
    takes a slot only under both. One figure, the same the dashboard shows."""
    shares = dict(
        (
            await w.session.execute(
                select(CampaignMember.user_id, func.sum(CampaignMember.capacity)).group_by(
                    CampaignMember.user_id
                )
            )
        ).all()
    )
    return [(u, min(u.capacity, int(shares.get(u.id) or 0))) for u in await all_users(w)]


async def find_user(w: Work, username: str) -> User:
    user = await w.session.scalar(select(User).where(User.username == username.strip()))
    if user is None:
        raise NotFound("user_not_found", "El usuario no existe.")
    return user


async def do_deactivate(w: Work, actor: User | None, user: User, grace: timedelta) -> None:
    """He can no longer log in; every session ends and its sockets close (in every process,
    once committed); what he did stays. An agent goes offline as at logout, so what he held
    goes back to the queue or starts the orphan clock."""
    if actor is not None and actor.id == user.id:
        raise Invalid("cannot_deactivate_self", "No puede desactivar su propio usuario.")
    if user.role == "agent" and user.status != Presence.OFFLINE:
        await presence.do_set_status(w, user, "offline", None, grace)
    user.active = False
    await w.session.execute(delete(UserSession).where(UserSession.user_id == user.id))
    w.close_sockets(user.id)


def do_reactivate(user: User) -> None:
    user.active = True
