"""`/api/ws`: one socket per tab, authenticated by the session cookie, from our own pages.

Browsers send cookies with a cross-site WebSocket handshake and no CORS rule applies to it,
so the Origin is checked here: a page elsewhere (another port of this host included) must
not listen to an agent's events with his cookie. The socket lives as long as its session:
until expiry here, and until logout or deactivation through the hub.
"""

import asyncio
import contextlib
import json
from dataclasses import dataclass
from datetime import datetime

from fastapi import APIRouter, WebSocket, WebSocketDisconnect

from atiende.actions import auth, presence
from atiende.api.deps import COOKIE, presence_grace, runtime_of
from atiende.api.origins import origin_allowed
from atiende.db.types import utcnow
from atiende.domain.kinds import STAFF_ROLES
from atiende.realtime.direct import direct_of
from atiende.realtime.events import Hello, Pong
from atiende.realtime.hub import CLOSE_FORBIDDEN_ORIGIN, CLOSE_UNAUTHENTICATED
from atiende.runtime import Runtime
from atiende.schemas.users import UserOut

router = APIRouter()
PONG = Pong().model_dump_json()


@dataclass(frozen=True, slots=True)
class _Admitted:
    """What a socket keeps of its handshake for its whole life: plain values, so no unit
    of work, database session or ORM object stays alive with each of thousands of sockets."""

    user_id: int
    session_id: str
    staff: bool
    expires_at: datetime
    hello: str


async def _admit(rt: Runtime, token: str | None) -> _Admitted | None:
    async with rt.work() as w:
        found = await auth.session_user(w, token) if token else None
        if found is None:
            return None
        user, session = found
        await presence.do_connected(w, user, presence_grace(rt))
    hello = Hello(user=UserOut.of(user)).model_dump_json()
    return _Admitted(user.id, session.id, user.role in STAFF_ROLES, session.expires_at, hello)


@router.websocket("/api/ws")
async def socket(ws: WebSocket) -> None:
    rt = runtime_of(ws)
    if not origin_allowed(ws.headers, rt.settings.allowed_origins):
        await ws.close(code=CLOSE_FORBIDDEN_ORIGIN)
        return
    admitted = await _admit(rt, ws.cookies.get(COOKIE))
    if admitted is None:
        await ws.close(code=CLOSE_UNAUTHENTICATED)
        return
    await ws.accept()
    rt.hub.add(
        admitted.user_id,
        ws,
        admitted.session_id,
        staff=admitted.staff,
        direct=direct_of(ws.scope),
    )
    try:
        await ws.send_text(admitted.hello)
        async with asyncio.timeout_at(_loop_time_at(admitted.expires_at)):
            while True:
                raw = await ws.receive_text()
                with contextlib.suppress(ValueError):
                    if json.loads(raw).get("type") == "ping":
                        await ws.send_text(PONG)
    except TimeoutError:
        with contextlib.suppress(Exception):
            await ws.close(code=CLOSE_UNAUTHENTICATED)
    except (WebSocketDisconnect, RuntimeError):
        # Gone, or closed by the hub while this loop waited (its session ended).
        pass
    finally:
        rt.hub.remove(admitted.user_id, ws)


def _loop_time_at(moment: datetime) -> float:
    remaining = (moment - utcnow()).total_seconds()
    return asyncio.get_running_loop().time() + max(remaining, 0.0)
