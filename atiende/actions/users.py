"""Users as an administrator changes them: deactivated and reactivated (more to come)."""

from datetime import timedelta

from sqlalchemy import delete, select

from atiende.actions import presence
from atiende.actions.work import Work
from atiende.db.models import User, UserSession
from atiende.domain.errors import Invalid, NotFound


async def access_user(w: Work, user_id: int, *, lock: bool = False) -> User:
    query = select(User).where(User.id == user_id)
    if lock:
        query = query.with_for_update()
    user = await w.session.scalar(query)
    if user is None:
        raise NotFound("user_not_found", "El usuario no existe.")
    return user


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
    if user.role == "agent" and user.status != "offline":
        await presence.do_set_status(w, user, "offline", None, grace)
    user.active = False
    await w.session.execute(delete(UserSession).where(UserSession.user_id == user.id))
    w.close_sockets(user.id)


async def do_reactivate(w: Work, user: User) -> None:
    user.active = True
