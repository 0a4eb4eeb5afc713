"""Messages of an attention: what the agent sends and what the chat shows."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, Field

from atiende.schemas.params import Id

if TYPE_CHECKING:
    from atiende.db.models import Message


class SenderOut(BaseModel):
    id: int
    display_name: str


class MessageError(BaseModel):
    code: int | None
    title: str | None


MessageStatus = Literal["received", "pending", "sent", "delivered", "read", "played", "failed"]


class ReplyTo(BaseModel):
    message_id: int | None
    text: str | None
    type: str | None


class Reaction(BaseModel):
    emoji: str
    by: Literal["customer", "agent"]


class MessageOut(BaseModel):
    id: int
    attention_id: int
    direction: Literal["in", "out"]
    type: str
    text: str | None
    status: MessageStatus
    error: MessageError | None
    created_at: datetime
    # When the customer wrote an inbound one (WhatsApp's timestamp, maybe hours before it
    # reached us); null for an outbound one, dated by `created_at`, when the agent wrote it.
    sent_at: datetime | None = None
    sender: SenderOut | None
    client_id: str | None
    content: dict[str, Any] | None = None
    reply_to: ReplyTo | None = None
    forwarded: bool = False
    reactions: list[Reaction] = []
    edited: bool = False
    previous_text: str | None = None
    deleted: bool = False

    @classmethod
    def of(cls, m: Message, reply_to: ReplyTo | None = None) -> MessageOut:
        failed = m.error_code is not None or m.error_title is not None
        return cls(
            id=m.id,
            attention_id=m.attention_id,
            direction=m.direction,
            type=m.type,
            text=m.text,
            status=m.status,
            error=MessageError(code=m.error_code, title=m.error_title) if failed else None,
            created_at=m.created_at,
            sent_at=m.sent_at if m.direction == "in" else None,
            sender=SenderOut(id=m.sender.id, display_name=m.sender.display_name)
            if m.sender
            else None,
            client_id=m.client_id,
            content=m.content,
            reply_to=reply_to,
            forwarded=m.forwarded,
            reactions=[Reaction.model_validate(r) for r in m.reactions or []],
            edited=m.edited_at is not None,
            previous_text=m.previous_text,
            deleted=m.deleted_at is not None,
        )


class MessagesOut(BaseModel):
    messages: list[MessageOut]
    # Asked with `limit`: older messages than these exist (page back with `before_id`).
    has_more: bool = False


class TextIn(BaseModel):
    text: str = Field(max_length=20_000)
    client_id: str | None = Field(default=None, max_length=64)


class TemplateSendIn(BaseModel):
    template_id: Id
    params: list[str] = Field(default_factory=list, max_length=20)
    client_id: str | None = Field(default=None, max_length=64)
