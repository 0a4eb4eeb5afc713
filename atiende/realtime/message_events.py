"""`message.created` as JSON, written straight from the stored message: for the inbox's
processor, which tells an agent of every message a batch stores (hundreds at once).

Exactly what `MessageCreated(message=MessageOut.of(m, reply_to))` encodes, field by field and
in order (tests/unit/test_message_events.py holds them equal), without building and
validating the models first.
"""

from typing import Any

from pydantic_core import to_json

from atiende.db.models import Message
from atiende.schemas.messages import Reaction, ReplyTo


def message_created(m: Message, reply_to: ReplyTo | None = None) -> str:
    failed = m.error_code is not None or m.error_title is not None
    sender = m.sender
    message: dict[str, Any] = {
        "id": m.id,
        "attention_id": m.attention_id,
        "direction": m.direction,
        "type": m.type,
        "text": m.text,
        "status": m.status,
        "error": {"code": m.error_code, "title": m.error_title} if failed else None,
        "created_at": m.created_at,
        "sent_at": m.sent_at if m.direction == "in" else None,
        "sender": {"id": sender.id, "display_name": sender.display_name} if sender else None,
        "client_id": m.client_id,
        "content": m.content,
        "reply_to": reply_to,
        "forwarded": m.forwarded,
        # Validated as the schema does: what a stored reaction holds beyond it is not shown.
        "reactions": [Reaction.model_validate(r) for r in m.reactions or []],
        "edited": m.edited_at is not None,
        "previous_text": m.previous_text,
        "deleted": m.deleted_at is not None,
    }
    return to_json({"type": "message.created", "message": message}).decode()
