"""The public shapes of users, attentions and messages, shared by the API and the events.

A table row is never returned as it is: these are built from rows, secrets left out.
"""

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel

from atiende.db.models import Attention, Message, User
from atiende.domain.customers import display_name


class UserOut(BaseModel):
    id: int
    username: str
    display_name: str
    role: Literal["agent", "supervisor", "admin"]
    status: Literal["available", "paused", "offline"]
    pause_reason: str | None = None

    @classmethod
    def of(cls, user: User) -> "UserOut":
        return cls.model_validate(user, from_attributes=True)


class Ref(BaseModel):
    id: int
    name: str


class CustomerOut(BaseModel):
    id: int
    display_name: str
    name: str | None
    username: str | None
    phone: str | None
    bsuid: str | None


class AttentionOut(BaseModel):
    id: int
    state: Literal["queued", "assigned", "open", "closed"]
    version: int
    campaign: Ref
    channel: Ref
    customer: CustomerOut
    agent_id: int | None
    queued_at: datetime
    assigned_at: datetime | None
    opened_at: datetime | None
    closed_at: datetime | None
    last_customer_message_at: datetime | None
    window_ends_at: datetime | None
    unread: int
    offered: bool
    segment: int
    reassignments: int
    transfers: int
    orphaned: bool
    parked: bool

    @classmethod
    def of(cls, a: Attention, *, offered: bool = False) -> "AttentionOut":
        c = a.customer
        return cls(
            id=a.id,
            state=a.state,
            version=a.version,
            campaign=Ref(id=a.campaign.id, name=a.campaign.name),
            channel=Ref(id=a.channel.id, name=a.channel.name),
            customer=CustomerOut(
                id=c.id,
                display_name=display_name(c.name, c.username, c.phone),
                name=c.name,
                username=c.username,
                phone=c.phone,
                bsuid=c.bsuid,
            ),
            agent_id=a.agent_id,
            queued_at=a.queued_at,
            assigned_at=a.assigned_at,
            opened_at=a.opened_at,
            closed_at=a.closed_at,
            last_customer_message_at=a.last_customer_message_at,
            window_ends_at=a.window_ends_at,
            unread=a.unread,
            offered=offered,
            segment=a.segment,
            reassignments=a.reassignments,
            transfers=a.transfers,
            orphaned=a.orphaned,
            parked=a.parked,
        )


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
    def of(cls, m: Message, reply_to: ReplyTo | None = None) -> "MessageOut":
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


class QueueCount(BaseModel):
    campaign_id: int
    campaign_name: str
    queued: int
