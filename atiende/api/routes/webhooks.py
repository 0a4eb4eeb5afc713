"""`/webhooks/whatsapp`: Meta's verification handshake and its deliveries.

A delivery is answered 200 only after its transaction committed; on any failure Meta gets
a 5xx and delivers again, which is harmless because ingest is idempotent.
"""

import logging

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, PlainTextResponse
from sqlalchemy.exc import DBAPIError

from atiende.actions import webhooks
from atiende.api.deps import RuntimeDep, presence_grace
from atiende.channels.whatsapp.signature import HEADER
from atiende.db.errors import is_transient

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
    for attempt in range(1, _ATTEMPTS + 1):
        try:
            async with rt.work() as w:
                result = await webhooks.do_receive(w, body, signature, presence_grace(rt))
            return JSONResponse(
                {
                    "stored": result.stored,
                    "duplicates": result.duplicates,
                    "statuses": result.statuses,
                }
            )
        except DBAPIError as exc:
            if attempt == _ATTEMPTS or not is_transient(exc):
                raise
            log.info("webhook transaction conflicted; attempt %s again", attempt + 1)
    raise AssertionError("unreachable")
