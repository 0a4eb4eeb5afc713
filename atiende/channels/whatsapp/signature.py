"""The `X-Hub-Signature-256` header Meta puts on every webhook delivery."""

import hashlib
import hmac

HEADER = "X-Hub-Signature-256"
_PREFIX = "sha256="


def sign(body: bytes, app_secret: str) -> str:
    """The header value Meta would send for `body`: HMAC-SHA256 of the raw bytes."""
    digest = hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()
    return _PREFIX + digest


def verify(body: bytes, app_secret: str, header: str | None) -> bool:
    # Constant-time compare: a timing leak would let a caller forge signatures byte by byte.
    if not header or not header.startswith(_PREFIX):
        return False
    # As bytes: compare_digest refuses non-ASCII strings, and a forged header may hold them.
    return hmac.compare_digest(sign(body, app_secret).encode(), header.strip().encode())
