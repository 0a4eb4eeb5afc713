"""Login, logout and who am I."""

from fastapi import APIRouter, Request, Response

from atiende.actions import auth
from atiende.api.deps import COOKIE, CurrentUser, RuntimeDep, WorkDep, presence_grace
from atiende.api.security_headers import cookies_secure
from atiende.schemas.auth import LoginIn, SessionOut
from atiende.schemas.users import UserOut

router = APIRouter(prefix="/api/auth", tags=["auth"])


@router.post("/login")
async def login(body: LoginIn, request: Request, response: Response, rt: RuntimeDep) -> SessionOut:
    """Throttled per account and per address: past a few failures the answer is 429 with
    `Retry-After` (seconds), growing with each failure."""
    hours = rt.settings.session_hours
    opened = await auth.login(
        rt.work, body.username, body.password, client_address(request), hours, presence_grace(rt)
    )
    response.set_cookie(
        COOKIE,
        opened.token,
        max_age=hours * 3600,
        httponly=True,
        samesite="lax",
        secure=cookies_secure(rt.settings.secure_cookies, request.url.hostname),
        path="/",
    )
    return SessionOut(user=UserOut.of(opened.user), csrf_token=opened.csrf_token)


def client_address(request: Request) -> str:
    # The peer uvicorn saw: behind a proxy, the client's from X-Forwarded-For when the proxy's
    # address is in FORWARDED_ALLOW_IPS (default 127.0.0.1; see deploy/README.md).
    return request.client.host if request.client else "unknown"


@router.post("/logout", status_code=204)
async def logout(
    request: Request, response: Response, user: CurrentUser, w: WorkDep, rt: RuntimeDep
) -> None:
    await auth.do_logout(w, user, request.cookies.get(COOKIE, ""), presence_grace(rt))
    response.delete_cookie(COOKIE, path="/")


@router.get("/me")
async def me(request: Request, user: CurrentUser, w: WorkDep) -> SessionOut:
    # CurrentUser proved the session is live.
    csrf = await auth.csrf_token(w, request.cookies.get(COOKIE, ""))
    return SessionOut(user=UserOut.of(user), csrf_token=csrf)
