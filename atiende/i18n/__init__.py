"""The texts of every refusal code, one catalogue per language, shared with the web client.

`errors.<lang>.json` maps a code (or `code.reason` for a refusal with several causes) to
its text with `{name}` placeholders. The client imports the same files, so a code the
server can raise has its text on both sides or a test fails
(`tests/unit/test_error_catalogue.py`).
"""

import json
import re
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Literal

Lang = Literal["es", "en"]
LANGS: tuple[Lang, ...] = ("es", "en")
_HERE = Path(__file__).parent
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


@cache
def catalogue(lang: Lang) -> dict[str, str]:
    loaded: dict[str, str] = json.loads((_HERE / f"errors.{lang}.json").read_text("utf-8"))
    return loaded


@cache
def report_labels(lang: Lang) -> dict[str, str]:
    """The reports' column names, the same in a page (the client imports this file too) and
    in its export."""
    loaded: dict[str, str] = json.loads((_HERE / f"reports.{lang}.json").read_text("utf-8"))
    return loaded


def error_text(lang: Lang, code: str, params: Mapping[str, str | int | float]) -> str | None:
    """The text of `code` filled with `params`, the more precise `code.reason` first; None for
    a code the catalogue lacks."""
    texts = catalogue(lang)
    reason = params.get("reason")
    text = texts.get(f"{code}.{reason}") if reason is not None else None
    text = text or texts.get(code)
    if text is None:
        return None
    return _PLACEHOLDER.sub(lambda m: str(params.get(m.group(1), m.group(0))), text)
