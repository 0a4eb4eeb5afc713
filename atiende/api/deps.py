"""Dependencies every router shares: the runtime, the unit of work, the current user."""

import hmac
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Annotated

from fastapi import Depends, Request, WebSocket, params

from atiende.actions.auth import session_user
from atiende.actions.work import Work
from atiende.db.models import User
from atiende.domain.errors import DomainError, Forbidden
from atiende.runtime import Runtime

COOKIE = "atiende_session"
CSRF_HEADER = "X-CSRF-Token"
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class Unauthenticated(DomainError):
    status = 401


def runtime_of(request: Request | WebSocket) -> Runtime:
    rt: Runtime = request.app.state.runtime
    return rt


async def get_runtime(request: Request) -> Runtime:
    # Async: FastAPI runs a plain function dependency in a thread, a hand-off per request.
    return runtime_of(request)


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]


async def get_work(rt: RuntimeDep) -> AsyncIterator[Work]:
    """The request's transaction: committed after the handler returns, events published then."""
    async with rt.work() as w:
        yield w


WorkDep = Annotated[Work, Depends(get_work, scope="function")]


async def authenticate(w: Work, request: Request) -> User:
    """The session's user; a state-changing request must also carry its CSRF token."""
    token = request.cookies.get(COOKIE)
    found = await session_user(w, token) if token else None
    if found is None:
        raise Unauthenticated("not_authenticated", "Inicie sesión.")
    user, session = found
    if request.method not in _SAFE_METHODS and not hmac.compare_digest(
        request.headers.get(CSRF_HEADER, "").encode(), session.csrf_token.encode()
    ):
        raise Forbidden("csrf", "Falta el token CSRF o no es válido.")
    return user


async def get_current_user(request: Request, w: WorkDep) -> User:
    return await authenticate(w, request)


CurrentUser = Annotated[User, Depends(get_current_user)]


def require_role(*roles: str) -> params.Depends:
    async def check(user: CurrentUser) -> User:
        if user.role not in roles:
            raise Forbidden("forbidden_role", "No tiene permiso para esta acción.")
        return user

    return params.Depends(check)


def presence_grace(rt: Runtime) -> timedelta:
    return timedelta(seconds=rt.settings.presence_grace_seconds)
