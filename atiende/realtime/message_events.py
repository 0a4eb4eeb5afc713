"""`message.created` as JSON, written straight from the stored message: for the inbox's
processor, which tells an agent of every message a batch stores (hundreds at once).

Exactly what `MessageCreated(message=MessageOut.of(m, reply_to))` encodes, field by field and
in order (tests/unit/test_message_events.py holds them equal), without building and
validating the models first.
"""

from typing import Any

from pydantic_core import to_json

from atiende.db.models import Message
from atiende.realtime.attention_events import Loaded as _Loaded
from atiende.schemas.messages import Reaction, ReplyTo


def message_created(m: Message, reply_to: ReplyTo | None = None) -> str:
    c = _Loaded(m)
    failed = c["error_code"] is not None or c["error_title"] is not None
    sender = m.sender
    inbound = c["direction"] == "in"
    message: dict[str, Any] = {
        "id": c["id"],
        "attention_id": c["attention_id"],
        "direction": c["direction"],
        "type": c["type"],
        "text": c["text"],
        "status": c["status"],
        "error": {"code": c["error_code"], "title": c["error_title"]} if failed else None,
        "created_at": c["created_at"],
        "sent_at": c["sent_at"] if inbound else None,
        "sender": {"id": sender.id, "display_name": sender.display_name} if sender else None,
        "client_id": c["client_id"],
        "content": c["content"],
        "reply_to": reply_to,
        "forwarded": c["forwarded"],
        # Validated as the schema does: what a stored reaction holds beyond it is not shown.
        "reactions": [Reaction.model_validate(r) for r in c["reactions"] or []],
        "edited": c["edited_at"] is not None,
        "previous_text": c["previous_text"],
        "deleted": c["deleted_at"] is not None,
    }
    return to_json({"type": "message.created", "message": message}).decode()
