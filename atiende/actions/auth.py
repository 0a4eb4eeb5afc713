"""Passwords, logins and sessions."""

import hashlib
import secrets
from datetime import timedelta
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select

from atiende.actions import presence
from atiende.actions.work import Work
from atiende.db.models import User, UserSession
from atiende.db.types import utcnow
from atiende.domain.errors import DomainError

_hasher = PasswordHasher()


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    # Verifying against this when the user does not exist keeps both paths equally slow,
    # so timing does not tell which usernames exist.
    return _hasher.hash("not a real password")


class BadCredentials(DomainError):
    status = 401


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def _password_ok(stored: str, password: str) -> bool:
    try:
        return _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def do_login(
    w: Work, username: str, password: str, hours: int, grace: timedelta
) -> tuple[User, str, str]:
    """The user, the cookie value and the CSRF token of a new session."""
    user = await w.session.scalar(select(User).where(User.username == username.strip()))
    if not _password_ok(user.password_hash if user else _dummy_hash(), password) or user is None:
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
    if user.role == "agent" and user.status == "offline":
        # Logging in is clocking in: the agent is ready unless he pauses.
        await presence.do_set_status(w, user, "available", None, grace)
    return user, token, csrf


async def session_user(w: Work, token: str) -> tuple[User, UserSession] | None:
    row = await w.session.get(UserSession, _digest(token))
    if row is None or row.expires_at <= utcnow():
        return None
    user = await w.session.get(User, row.user_id)
    return (user, row) if user is not None else None


async def do_logout(w: Work, user: User, token: str, grace: timedelta) -> None:
    """Logging out is clocking out: his open attentions start the orphan clock."""
    await w.session.execute(delete(UserSession).where(UserSession.id == _digest(token)))
    if user.role == "agent":
        await presence.do_set_status(w, user, "offline", None, grace)
