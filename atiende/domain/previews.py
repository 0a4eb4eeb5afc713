"""How a message is summed up in a list: one line, bounded."""

PREVIEW_CHARS = 120


def preview(text: str | None) -> str | None:
    """The text on one line (a list item has one), cut at PREVIEW_CHARS with an ellipsis."""
    if not text:
        return None
    line = " ".join(text.split())
    if len(line) <= PREVIEW_CHARS:
        return line or None
    return line[: PREVIEW_CHARS - 1].rstrip() + "…"
