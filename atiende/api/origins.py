"""Which pages may open a socket with an agent's cookie: our own, and those configured."""

from urllib.parse import urlsplit

from starlette.datastructures import Headers


def origin_allowed(headers: Headers, configured: list[str]) -> bool:
    """No Origin at all is not a browser (a browser always sends one on a WebSocket), so
    no page is borrowing a cookie; `null` (a sandboxed or file page) never is ours."""
    origin = headers.get("origin")
    if origin is None:
        return True
    if origin in {o.rstrip("/") for o in configured}:
        return True
    parts = urlsplit(origin)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return False
    return parts.netloc.lower() == headers.get("host", "").lower()
