"""`/webhooks/whatsapp`: Meta's verification handshake and its deliveries.

A signed delivery is answered 200 once it is stored or, when it cannot be ingested for any
reason, once it is kept in `webhook_failures`: Meta retries a 5xx for days, and the same body
would fail the same way. Only when even keeping fails (the database is down) does Meta get a
5xx and deliver again, which is harmless because ingest is idempotent.
"""

import time

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, PlainTextResponse

from atiende.actions import webhooks
from atiende.api.deps import RuntimeDep, presence_grace
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
        result = await webhooks.deliver(
            rt.work, await request.body(), request.headers.get(HEADER), presence_grace(rt)
        )
    except webhooks.BadSignature:
        m.deliveries.labels("bad_signature").inc()
        raise
    except Exception:
        m.deliveries.labels("error").inc()
        raise
    finally:
        m.delivery_seconds.observe(time.perf_counter() - started)
    outcome = (
        "kept"
        if result.kept
        else "stored"
        if result.stored
        else "status"
        if result.statuses or result.early_statuses
        else "duplicate"
    )
    m.deliveries.labels(outcome).inc()
    m.messages_in.inc(result.stored)
    m.statuses.inc(result.statuses)
    return JSONResponse(
        {
            "stored": result.stored,
            "duplicates": result.duplicates,
            "statuses": result.statuses,
            "kept": result.kept,
        }
    )
