"""The emulator's memory: each customer's chat with the business. Nothing is persisted."""

from dataclasses import dataclass, field
from typing import Any, Literal

from atiende.emulator.config import Customer

Direction = Literal["inbound", "outbound"]
InboundDelivery = Literal["pending", "delivered", "failed"]
OutboundStatus = Literal["accepted", "sent", "delivered", "read", "failed"]

# Meta shows the business as typing for up to 25 s, or until it sends a message.
TYPING_SECONDS = 25.0


@dataclass
class ChatMessage:
    """One message, with `direction` seen from the business as everywhere in atiende:
    inbound = customer to business, outbound = business to customer.

    `text` is what a chat list shows (the body, a caption, a file name or a label); `kind` and
    `content` say what the message is, by WhatsApp type.
    """

    id: str
    direction: Direction
    text: str
    timestamp: float
    delivery: InboundDelivery = "pending"
    read_by_business: bool = False
    status: OutboundStatus = "accepted"
    error_code: int | None = None
    callback_data: str | None = None
    kind: str = "text"
    content: dict[str, Any] = field(default_factory=dict)
    reply_to: str | None = None
    # Who reacted with what: "customer" and "business", one emoji each, as on WhatsApp.
    reactions: dict[str, str] = field(default_factory=dict)
    edited: bool = False
    deleted: bool = False

    def public(self) -> dict[str, Any]:
        common: dict[str, Any] = {
            "id": self.id,
            "direction": self.direction,
            "type": self.kind,
            "text": self.text,
            "content": self.content,
            "timestamp": int(self.timestamp),
            "reply_to": self.reply_to,
            "reactions": self.reactions,
            "edited": self.edited,
            "deleted": self.deleted,
        }
        if self.direction == "inbound":
            return common | {"delivery": self.delivery, "read_by_business": self.read_by_business}
        return common | {"status": self.status, "error_code": self.error_code}


@dataclass
class Chat:
    customer: Customer
    messages: list[ChatMessage] = field(default_factory=list)
    last_inbound_at: float | None = None
    typing_until: float = 0.0

    def unread_by_customer(self) -> list[ChatMessage]:
        return [
            m
            for m in self.messages
            if m.direction == "outbound" and m.status in ("sent", "delivered")
        ]


class Store:
    def __init__(self, customers: list[Customer]) -> None:
        self._customers = customers
        self.chats: dict[str, Chat] = {}
        self._by_id: dict[str, tuple[Chat, ChatMessage]] = {}
        self.reset()

    def reset(self) -> None:
        self.chats = {c.key: Chat(c) for c in self._customers}
        self._by_id = {}

    def chat(self, key: str) -> Chat | None:
        return self.chats.get(key)

    def add(self, chat: Chat, message: ChatMessage) -> None:
        chat.messages.append(message)
        self._by_id[message.id] = (chat, message)

    def find_message(self, message_id: str) -> tuple[Chat, ChatMessage] | None:
        return self._by_id.get(message_id)

    def by_phone(self, phone: str) -> Chat | None:
        return next((c for c in self.chats.values() if c.customer.phone == phone), None)

    def by_bsuid(self, bsuid: str) -> Chat | None:
        return next((c for c in self.chats.values() if c.customer.bsuid == bsuid), None)
