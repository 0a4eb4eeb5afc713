"""`/api/ws`: one socket per tab, authenticated by the session cookie, from our own pages.

Browsers send cookies with a cross-site WebSocket handshake and no CORS rule applies to it,
so the Origin is checked here: a page elsewhere (another port of this host included) must
not listen to an agent's events with his cookie. The socket lives as long as its session:
until expiry here, and until logout or deactivation through the hub.
"""

import asyncio
import contextlib
import json
from datetime import datetime

from fastapi import APIRouter, WebSocket, WebSocketDisconnect

from atiende.actions import auth, presence
from atiende.api.deps import COOKIE, get_runtime, presence_grace
from atiende.api.origins import origin_allowed
from atiende.db.types import utcnow
from atiende.domain.kinds import STAFF_ROLES
from atiende.realtime.events import Hello, Pong
from atiende.realtime.hub import CLOSE_FORBIDDEN_ORIGIN, CLOSE_UNAUTHENTICATED
from atiende.schemas.users import UserOut

router = APIRouter()


@router.websocket("/api/ws")
async def socket(ws: WebSocket) -> None:
    rt = get_runtime(ws)  # type: ignore[arg-type]
    if not origin_allowed(ws.headers, rt.settings.allowed_origins):
        await ws.close(code=CLOSE_FORBIDDEN_ORIGIN)
        return
    token = ws.cookies.get(COOKIE)
    async with rt.work() as w:
        found = await auth.session_user(w, token) if token else None
        if found is not None:
            await presence.do_connected(w, found[0], presence_grace(rt))
    if found is None:
        await ws.close(code=CLOSE_UNAUTHENTICATED)
        return
    user, session = found
    await ws.accept()
    rt.hub.add(user.id, ws, session.id, staff=user.role in STAFF_ROLES)
    try:
        await ws.send_text(Hello(user=UserOut.of(user)).model_dump_json())
        async with asyncio.timeout_at(_loop_time_at(session.expires_at)):
            while True:
                raw = await ws.receive_text()
                with contextlib.suppress(ValueError):
                    if json.loads(raw).get("type") == "ping":
                        await ws.send_text(Pong().model_dump_json())
    except TimeoutError:
        with contextlib.suppress(Exception):
            await ws.close(code=CLOSE_UNAUTHENTICATED)
    except (WebSocketDisconnect, RuntimeError):
        # Gone, or closed by the hub while this loop waited (its session ended).
        pass
    finally:
        rt.hub.remove(user.id, ws)


def _loop_time_at(moment: datetime) -> float:
    remaining = (moment - utcnow()).total_seconds()
    return asyncio.get_running_loop().time() + max(remaining, 0.0)
