"""`/webhooks/whatsapp`: Meta's verification handshake and its deliveries.

A signed delivery is answered 200 once it is durable in the inbox (committed with the others
that arrived meanwhile); a processor applies it after, and one it cannot ingest is kept in
`webhook_failures` (Meta retries a 5xx for days, and the same body would fail the same way).
Only when the inbox cannot commit (the database is down) does Meta get a 5xx and deliver
again, which is harmless because ingest is idempotent.
"""

import time

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, PlainTextResponse

from atiende.actions import webhooks
from atiende.api.deps import RuntimeDep
from atiende.channels.whatsapp.signature import HEADER

router = APIRouter(prefix="/webhooks", tags=["webhooks"])


@router.get("/whatsapp", response_class=PlainTextResponse)
async def handshake(
    rt: RuntimeDep,
    mode: str = Query("", alias="hub.mode"),
    token: str = Query("", alias="hub.verify_token"),
    challenge: str = Query("", alias="hub.challenge"),
) -> PlainTextResponse:
    async with rt.work() as w:
        ok = mode == "subscribe" and bool(token) and await webhooks.verify_token_matches(w, token)
    if not ok:
        return PlainTextResponse("verify token mismatch", status_code=403)
    return PlainTextResponse(challenge)


@router.post("/whatsapp")
async def deliver(request: Request, rt: RuntimeDep) -> JSONResponse:
    m, started = rt.metrics, time.perf_counter()
    try:
        await webhooks.receive(
            rt.signers, rt.inbox, await request.body(), request.headers.get(HEADER)
        )
    except webhooks.BadSignature:
        m.deliveries.labels("bad_signature").inc()
        raise
    except Exception:
        m.deliveries.labels("error").inc()
        raise
    finally:
        m.delivery_seconds.observe(time.perf_counter() - started)
    m.deliveries.labels("received").inc()
    return JSONResponse({"received": True})
