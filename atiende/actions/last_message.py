"""What an attention's lists show of its latest message and of the customer's wait."""

from datetime import datetime

from atiende.db.models import Attention
from atiende.domain.kinds import Direction
from atiende.domain.previews import preview


def note(
    attention: Attention, direction: str, message_type: str, text: str | None, at: datetime
) -> None:
    """A message was written in the attention: it becomes the latest unless an older one
    arrived late, and the customer's wait starts with his first unanswered message and ends
    with the agent's answer."""
    latest = attention.last_message_at
    # Meta dates a message to the second: one from the same second as the latest is newer
    # (it arrived after it); one from an earlier second was delivered late.
    cutoff = latest.replace(microsecond=0) if latest is not None else None
    newer = cutoff is None or at >= cutoff
    # A customer's message delivered late, older than the agent's latest answer, was answered.
    answered = attention.last_message_direction == Direction.OUT and not newer
    if newer:
        attention.last_message_at = at
        attention.last_message_direction = direction
        attention.last_message_type = message_type
        attention.last_message_text = preview(text)
    if direction == Direction.OUT:
        attention.awaiting_reply_since = None
    elif not answered and (
        attention.awaiting_reply_since is None or at < attention.awaiting_reply_since
    ):
        attention.awaiting_reply_since = at
