"""Secrets masked out of log lines before any handler writes them."""

import logging
import re
from collections.abc import Mapping
from typing import Any

MASK = "***"

# A query parameter whose name says it carries a credential: Meta's `hub.verify_token`,
# `access_token`, `password`, signed URLs' `signature`/`hash`... The value goes, the name stays
# so the line still says what was sent.
_PARAM = re.compile(
    r"(?i)([?&;][^=&;\s\"'#]*(?:token|secret|passw|pwd|signature|hash|key|auth|session|csrf)"
    r"[^=&;\s\"'#]*=)[^&;\s\"'#]*"
)
_BEARER = re.compile(r"(?i)(\bbearer\s+)[\w\-.~+/]+=*")


def redact(text: str) -> str:
    return _BEARER.sub(rf"\g<1>{MASK}", _PARAM.sub(rf"\g<1>{MASK}", text))


class RedactFilter(logging.Filter):
    """Masks the message and each argument in place; the arguments keep their positions
    because formatters such as uvicorn's access formatter unpack them."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if isinstance(record.args, Mapping):
            record.args = {k: _redacted(v) for k, v in record.args.items()}
        elif isinstance(record.args, tuple):
            record.args = tuple(_redacted(v) for v in record.args)
        return True


def _redacted(value: Any) -> Any:
    # Numbers stay numbers (a `%d` needs one); anything else is judged by its text, which
    # covers URL objects such as httpx's.
    if value is None or isinstance(value, int | float):
        return value
    text = str(value)
    masked = redact(text)
    return value if masked == text else masked


def install(target: logging.Logger | logging.Handler) -> None:
    if not any(isinstance(f, RedactFilter) for f in target.filters):
        target.addFilter(RedactFilter())
