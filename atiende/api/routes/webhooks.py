"""`/webhooks/whatsapp`: Meta's verification handshake and its deliveries.

A signed delivery is answered 200 once it is durable in the inbox (committed with the others
that arrived meanwhile); a processor applies it after, and one it cannot ingest is kept in
`webhook_failures` (Meta retries a 5xx for days, and the same body would fail the same way).
Only when the inbox cannot commit (the database is down) does Meta get a 5xx and deliver
again, which is harmless because ingest is idempotent.

The deliveries are the app's hottest request (thousands a second at peak), so they are
answered by `Deliveries`, a bare ASGI layer in front of the app's own: FastAPI's routing and
dependencies and the generic body-limit and header layers cost several times what checking
the signature and the group commit do.
"""

import json
import time

from fastapi import APIRouter, Query
from fastapi.responses import PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from atiende.actions import webhooks
from atiende.api import body_limit, security_headers
from atiende.api.deps import RuntimeDep
from atiende.channels.whatsapp.signature import HEADER
from atiende.i18n import Lang, error_text
from atiende.runtime import Runtime

PATH = "/webhooks/whatsapp"

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


_SIGNATURE = HEADER.lower().encode()
_RECEIVED = b'{"received":true}'


def _refusal(lang: Lang) -> bytes:
    """What the app's DomainError handler would answer (`api/errors.py`)."""
    detail = error_text(lang, "bad_signature", {})
    body: dict[str, object] = {"detail": detail, "code": "bad_signature", "params": {}}
    return json.dumps(body, ensure_ascii=False).encode()


_REFUSED = {False: _refusal("es"), True: _refusal("en")}
_SECURITY = {hsts: security_headers.headers_for(hsts) for hsts in (False, True)}


class Deliveries:
    """`POST /webhooks/whatsapp` answered here, outside the app's other layers; every other
    request goes on to them. Its body limit and headers are the ones they would apply
    (`body_limit.py`, `security_headers.py`)."""

    # Read by the access matrix, which lists the routes the app serves.
    routes = (("POST", PATH),)

    def __init__(self, app: ASGIApp, limit: int, secure_cookies: bool | None) -> None:
        self.app = app
        self.limit = limit
        self.secure_cookies = secure_cookies

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] != PATH or scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        rt: Runtime = scope["app"].state.runtime
        m, started = rt.metrics, time.perf_counter()
        signature, english = None, False
        for name, value in scope["headers"]:
            if name == _SIGNATURE and signature is None:
                signature = value.decode("latin-1")
            elif name == b"accept-language":
                english = value[:2].lower() == b"en"
        declared = body_limit.content_length(scope)
        if declared is not None and declared > self.limit:
            await body_limit.refuse(scope, self._send(scope, send), self.limit)
            return
        try:
            body = await _body(receive, self.limit)
            await webhooks.receive(rt.signers, rt.inbox, body, signature)
        except body_limit.BodyTooLarge:
            await body_limit.refuse(scope, self._send(scope, send), self.limit)
            return
        except webhooks.BadSignature:
            m.deliveries_refused.inc()
            m.delivery_seconds.observe(time.perf_counter() - started)
            await self._answer(scope, send, 401, _REFUSED[english])
            return
        except Exception:
            # Meta gets the server's 500 and delivers again later.
            m.deliveries_failed.inc()
            m.delivery_seconds.observe(time.perf_counter() - started)
            raise
        m.deliveries_received.inc()
        m.delivery_seconds.observe(time.perf_counter() - started)
        await self._answer(scope, send, 200, _RECEIVED)

    def _security(self, scope: Scope) -> list[tuple[bytes, bytes]]:
        hsts = security_headers.cookies_secure(self.secure_cookies, security_headers.host_of(scope))
        return _SECURITY[hsts]

    def _send(self, scope: Scope, send: Send) -> Send:
        """`send` with the security headers added to the answer's start."""
        extra = self._security(scope)

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message["headers"], *extra]}
            await send(message)

        return with_headers

    async def _answer(self, scope: Scope, send: Send, status: int, body: bytes) -> None:
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                    *self._security(scope),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


async def _body(receive: Receive, limit: int) -> bytes:
    """The whole body, or BodyTooLarge the moment it passes `limit`."""
    chunks: list[bytes] = []
    size, more = 0, True
    while more:
        message = await receive()
        if message["type"] != "http.request":
            break  # the client hung up
        chunk: bytes = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise body_limit.BodyTooLarge
        chunks.append(chunk)
        more = message.get("more_body", False)
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)
