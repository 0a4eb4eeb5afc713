"""Passwords, logins and sessions."""

import asyncio
import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select

from atiende.actions import login_throttle, presence
from atiende.actions.work import Work, WorkFactory
from atiende.db.models import User, UserSession
from atiende.db.types import utcnow
from atiende.domain.errors import DomainError
from atiende.domain.kinds import Presence

_hasher = PasswordHasher()


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    # Verifying against this when the user does not exist keeps both paths equally slow,
    # so timing does not tell which usernames exist.
    return _hasher.hash("not a real password")


class BadCredentials(DomainError):
    status = 401


@dataclass(frozen=True)
class Login:
    user: User
    token: str
    csrf_token: str


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def _password_ok(stored: str, password: str) -> bool:
    try:
        return _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


async def password_ok(stored: str, password: str) -> bool:
    """Argon2 is slow on purpose (tens of milliseconds of CPU): off the event loop, so that
    someone guessing passwords does not slow every other request down."""
    return await asyncio.to_thread(_password_ok, stored, password)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def login(
    work: WorkFactory,
    username: str,
    password: str,
    address: str,
    hours: int,
    grace: timedelta,
) -> Login:
    """Three short transactions: the throttle and the stored hash are read, the password is
    checked outside any transaction, then a failure is recorded (committed, whatever the
    caller does next) or the session is opened."""
    name = username.strip()
    async with work() as w:
        await login_throttle.check(w, name, address)
        stored = await w.session.scalar(
            select(User.password_hash).where(User.username == name, User.active.is_(True))
        )
    if not await password_ok(stored or _dummy_hash(), password) or stored is None:
        async with work() as w:
            await login_throttle.record_failure(w, name, address)
        raise BadCredentials("bad_credentials", "Usuario o contraseña incorrectos.")
    async with work() as w:
        opened = await do_open_session(w, name, hours, grace)
        await login_throttle.record_success(w, name, address)
    return opened


async def do_open_session(w: Work, username: str, hours: int, grace: timedelta) -> Login:
    user = await w.session.scalar(
        select(User).where(User.username == username, User.active.is_(True))
    )
    if user is None:  # deactivated between the two transactions
        raise BadCredentials("bad_credentials", "Usuario o contraseña incorrectos.")
    token = secrets.token_urlsafe(32)
    csrf = secrets.token_urlsafe(32)
    now = utcnow()
    w.session.add(
        UserSession(
            id=_digest(token),
            user_id=user.id,
            csrf_token=csrf,
            created_at=now,
            expires_at=now + timedelta(hours=hours),
        )
    )
    if user.role == "agent" and user.status == Presence.OFFLINE:
        # Logging in is clocking in: the agent is ready unless he pauses.
        await presence.do_set_status(w, user, "available", None, grace)
    return Login(user, token, csrf)


async def session_user(w: Work, token: str) -> tuple[User, UserSession] | None:
    row = await w.session.get(UserSession, _digest(token))
    if row is None or row.expires_at <= utcnow():
        return None
    user = await w.session.get(User, row.user_id)
    return (user, row) if user is not None and user.active else None


async def live_sessions(w: Work, session_ids: set[str]) -> set[str]:
    """Those of `session_ids` that still let their user in."""
    rows = await w.session.scalars(
        select(UserSession.id)
        .join(User, User.id == UserSession.user_id)
        .where(
            UserSession.id.in_(session_ids),
            UserSession.expires_at > utcnow(),
            User.active.is_(True),
        )
    )
    return set(rows)


async def do_logout(w: Work, user: User, token: str, grace: timedelta) -> None:
    """Logging out is clocking out: his open attentions start the orphan clock, and the
    session's sockets (in any process) close."""
    session_id = _digest(token)
    await w.session.execute(delete(UserSession).where(UserSession.id == session_id))
    w.close_sockets(user.id, [session_id])
    if user.role == "agent":
        await presence.do_set_status(w, user, "offline", None, grace)


async def csrf_token(w: Work, token: str) -> str:
    """The CSRF token of a live session ("" when it has ended)."""
    found = await session_user(w, token)
    return found[1].csrf_token if found else ""
