"""`/api/ws`: one socket per tab, authenticated by the session cookie."""

import contextlib
import json

from fastapi import APIRouter, WebSocket, WebSocketDisconnect

from atiende.actions import auth, presence
from atiende.api.deps import COOKIE, get_runtime, presence_grace
from atiende.realtime.events import Hello, Pong
from atiende.schemas import UserOut

router = APIRouter()

# Close codes in the application range: the client tells "log in again" from "retry".
CLOSE_UNAUTHENTICATED = 4401


@router.websocket("/api/ws")
async def socket(ws: WebSocket) -> None:
    rt = get_runtime(ws)  # type: ignore[arg-type]
    token = ws.cookies.get(COOKIE)
    async with rt.work() as w:
        found = await auth.session_user(w, token) if token else None
        if found is not None:
            await presence.do_connected(w, found[0], presence_grace(rt))
    if found is None:
        await ws.close(code=CLOSE_UNAUTHENTICATED)
        return
    user = found[0]
    await ws.accept()
    rt.hub.add(user.id, ws)
    try:
        await ws.send_text(Hello(user=UserOut.of(user)).model_dump_json())
        while True:
            raw = await ws.receive_text()
            with contextlib.suppress(ValueError):
                if json.loads(raw).get("type") == "ping":
                    await ws.send_text(Pong().model_dump_json())
    except WebSocketDisconnect:
        pass
    finally:
        rt.hub.remove(user.id, ws)
