"""`message.created` as JSON, written straight from the stored message: for the inbox's
processor, which tells an agent of every message a batch stores (hundreds at once).

Exactly what `MessageCreated(message=MessageOut.of(m, reply_to))` encodes, field by field and
in order (tests/unit/test_message_events.py holds them equal), without building and
validating the models first.
"""

from collections.abc import Mapping
from typing import Any

from pydantic_core import to_json

from atiende.db.models import Message, User
from atiende.realtime.attention_events import Loaded
from atiende.schemas.messages import Reaction, ReplyTo


def message_created(m: Message, reply_to: ReplyTo | None = None) -> str:
    return _encoded(Loaded(m), m.sender, reply_to)


def stored_created(row: Mapping[str, Any], reply_to: ReplyTo | None = None) -> str:
    """The same, for a message inserted as plain values (`row`: its columns, with its `id`;
    a column it leaves out is null), with no sender: the customer's."""
    return _encoded(row, None, reply_to)


def _encoded(c: Mapping[str, Any], sender: User | None, reply_to: ReplyTo | None) -> str:
    failed = c.get("error_code") is not None or c.get("error_title") is not None
    message: dict[str, Any] = {
        "id": c["id"],
        "attention_id": c["attention_id"],
        "direction": c["direction"],
        "type": c["type"],
        "text": c.get("text"),
        "status": c["status"],
        "error": {"code": c.get("error_code"), "title": c.get("error_title")} if failed else None,
        "created_at": c["created_at"],
        "sent_at": c.get("sent_at") if c["direction"] == "in" else None,
        "sender": {"id": sender.id, "display_name": sender.display_name} if sender else None,
        "client_id": c.get("client_id"),
        "content": c.get("content"),
        "reply_to": reply_to,
        "forwarded": bool(c.get("forwarded")),
        # Validated as the schema does: what a stored reaction holds beyond it is not shown.
        "reactions": [Reaction.model_validate(r) for r in c.get("reactions") or []],
        "edited": c.get("edited_at") is not None,
        "previous_text": c.get("previous_text"),
        "deleted": c.get("deleted_at") is not None,
    }
    return to_json({"type": "message.created", "message": message}).decode()
