"""`/webhooks/whatsapp`: Meta's verification handshake and its deliveries.

A signed delivery is answered 200 once it is stored or, when it cannot be ingested for any
reason, once it is kept in `webhook_failures`: Meta retries a 5xx for days, and the same body
would fail the same way. Only when even keeping fails (the database is down) does Meta get a
5xx and deliver again, which is harmless because ingest is idempotent.
"""

import logging

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, PlainTextResponse
from sqlalchemy.exc import DBAPIError

from atiende.actions import ingest, webhooks
from atiende.actions.webhooks import BadSignature
from atiende.api.deps import RuntimeDep, presence_grace
from atiende.channels.whatsapp.signature import HEADER
from atiende.db.errors import is_transient
from atiende.runtime import Runtime

log = logging.getLogger(__name__)
router = APIRouter(prefix="/webhooks", tags=["webhooks"])

# Two deliveries about one new customer may race to create him; the loser tries again
# and then finds what the winner stored.
_ATTEMPTS = 3


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
    body = await request.body()
    signature = request.headers.get(HEADER)
    try:
        result = await _receive(rt, body, signature)
    except BadSignature:
        raise
    except Exception as exc:
        log.exception("webhook delivery could not be ingested; keeping it")
        async with rt.work() as w:
            await webhooks.do_keep(
                w, body, signature, f"no se pudo procesar: {type(exc).__name__}: {exc}"
            )
        result = ingest.IngestResult(kept=True)
    return JSONResponse(
        {
            "stored": result.stored,
            "duplicates": result.duplicates,
            "statuses": result.statuses,
            "kept": result.kept,
        }
    )


async def _receive(rt: Runtime, body: bytes, signature: str | None) -> ingest.IngestResult:
    """One transaction, tried again when it lost a race; a failed try leaves nothing behind."""
    for attempt in range(1, _ATTEMPTS + 1):
        try:
            async with rt.work() as w:
                return await webhooks.do_receive(w, body, signature, presence_grace(rt))
        except DBAPIError as exc:
            if attempt == _ATTEMPTS or not is_transient(exc):
                raise
            log.info("webhook transaction conflicted; attempt %s again", attempt + 1)
    raise AssertionError("unreachable")
