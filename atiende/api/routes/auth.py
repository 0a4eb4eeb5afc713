"""Login, logout and who am I."""

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel

from atiende.actions import auth
from atiende.api.deps import COOKIE, CurrentUser, RuntimeDep, WorkDep, presence_grace
from atiende.api.security_headers import cookies_secure
from atiende.db.models import UserSession
from atiende.schemas import UserOut

router = APIRouter(prefix="/api/auth", tags=["auth"])


class LoginIn(BaseModel):
    username: str
    password: str


class SessionOut(BaseModel):
    user: UserOut
    csrf_token: str


@router.post("/login")
async def login(
    body: LoginIn, request: Request, response: Response, w: WorkDep, rt: RuntimeDep
) -> SessionOut:
    hours = rt.settings.session_hours
    user, token, csrf = await auth.do_login(
        w, body.username, body.password, hours, presence_grace(rt)
    )
    response.set_cookie(
        COOKIE,
        token,
        max_age=hours * 3600,
        httponly=True,
        samesite="lax",
        secure=cookies_secure(rt.settings.secure_cookies, request.url.hostname),
        path="/",
    )
    return SessionOut(user=UserOut.of(user), csrf_token=csrf)


@router.post("/logout", status_code=204)
async def logout(
    request: Request, response: Response, user: CurrentUser, w: WorkDep, rt: RuntimeDep
) -> None:
    await auth.do_logout(w, user, request.cookies.get(COOKIE, ""), presence_grace(rt))
    response.delete_cookie(COOKIE, path="/")


@router.get("/me")
async def me(request: Request, user: CurrentUser, w: WorkDep) -> SessionOut:
    found = await auth.session_user(w, request.cookies.get(COOKIE, ""))
    session: UserSession = found[1]  # type: ignore[index]  # CurrentUser proved it exists
    return SessionOut(user=UserOut.of(user), csrf_token=session.csrf_token)
