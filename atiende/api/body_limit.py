"""Request bodies capped per route before anything reads them.

A declared `Content-Length` over the limit is refused at once, with nothing read; a body that
streams (chunked, or lying about its length) is cut the moment it passes the limit. Without
this an anonymous client could make the process hold hundreds of megabytes before the
handler had a chance to refuse it.
"""

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from atiende.domain.errors import Params
from atiende.i18n import Lang, error_text

MB = 1024 * 1024


@dataclass(frozen=True)
class Allowance:
    method: str
    path: re.Pattern[str]
    limit: int


class BodyTooLarge(Exception):
    pass


class BodyLimit:
    def __init__(self, app: ASGIApp, default: int, allowances: Sequence[Allowance] = ()) -> None:
        self.app = app
        self.default = default
        self.allowances = tuple(allowances)

    def limit_for(self, method: str, path: str) -> int:
        for allowance in self.allowances:
            if allowance.method == method and allowance.path.fullmatch(path):
                return allowance.limit
        return self.default

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope["method"], scope["path"])
        declared = content_length(scope)
        if declared is not None and declared > limit:
            await refuse(scope, send, limit)
            return
        received = 0
        started = False

        async def counted_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge
            return message

        async def watched_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted_receive, watched_send)
        except BodyTooLarge:
            if started:
                raise
            await refuse(scope, send, limit)


def content_length(scope: Scope) -> int | None:
    for name, value in scope["headers"]:
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None  # the server refuses a malformed length itself
    return None


def _lang(scope: Scope) -> Lang:
    for name, value in scope["headers"]:
        if name == b"accept-language" and value.lower().startswith(b"en"):
            return "en"
    return "es"


async def refuse(scope: Scope, send: Send, limit: int) -> None:
    size = f"{limit / MB:.0f} MB" if limit >= MB else f"{limit // 1024} KB"
    params: Params = {"size": size}
    detail = error_text(_lang(scope), "body_too_large", params)
    body = json.dumps(
        {"detail": detail, "code": "body_too_large", "params": params, "limit": limit}
    ).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                # What is left of the body is never read: the connection cannot be reused.
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
