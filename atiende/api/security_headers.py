"""The headers every answer carries, and when cookies must be `Secure`.

The panel shows every customer's conversation and renders what customers send, so the
browser is told to run only our own scripts, never to frame us, never to guess a type, and
never to hand our URLs to the sites an agent follows a link to.
"""

import functools
import ipaddress

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSP = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        # Previews of a file the agent is about to send are blob: URLs.
        "img-src 'self' blob: data:",
        "media-src 'self' blob:",
        # Svelte and the emoji picker set style attributes; styles cannot run script.
        "style-src 'self' 'unsafe-inline'",
        "connect-src 'self'",
    )
)
HSTS = "max-age=31536000; includeSubDomains"

_ALWAYS = {
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
    "cross-origin-opener-policy": "same-origin",
}


# Every request asks about its Host header; a parse costs more than the rest of this layer.
@functools.lru_cache(maxsize=64)
def is_loopback(host: str | None) -> bool:
    if not host:
        return False
    name = host.strip("[]").lower()
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def cookies_secure(configured: bool | None, host: str | None) -> bool:
    """`configured` wins; unset means secure everywhere but on this machine (a browser does
    not send a `Secure` cookie over plain http, and a demo on localhost is plain http)."""
    return configured if configured is not None else not is_loopback(host)


def headers_for(hsts: bool) -> list[tuple[bytes, bytes]]:
    """Every header `SecurityHeaders` adds, for an answer that sets none of them itself."""
    found = {**_ALWAYS, "content-security-policy": CSP}
    if hsts:
        found["strict-transport-security"] = HSTS
    return [(name.encode(), value.encode()) for name, value in found.items()]


class SecurityHeaders:
    def __init__(self, app: ASGIApp, secure_cookies: bool | None) -> None:
        self.app = app
        self.secure_cookies = secure_cookies

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        hsts = cookies_secure(self.secure_cookies, host_of(scope))

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in _ALWAYS.items():
                    headers.setdefault(name, value)
                # A route that set its own (the media answers' sandbox) keeps it.
                headers.setdefault("content-security-policy", CSP)
                if hsts:
                    headers.setdefault("strict-transport-security", HSTS)
            await send(message)

        await self.app(scope, receive, with_headers)


def host_of(scope: Scope) -> str | None:
    host = Headers(scope=scope).get("host")
    if host is None:
        return None
    if host.startswith("["):
        return host[1:].split("]", 1)[0]
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host
