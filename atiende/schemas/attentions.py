"""Attentions: one attention, the agent's desk and attended list, its timeline and transfers."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, Field

from atiende.domain.customers import display_name
from atiende.schemas.bases import LinkedRecord
from atiende.schemas.common import Person, Ref
from atiende.schemas.params import Id

if TYPE_CHECKING:
    from atiende.db.models import Attention, Customer


class CustomerOut(BaseModel):
    id: int
    display_name: str = Field(description="The contact's name if he is one, else WhatsApp's")
    name: str | None
    username: str | None
    phone: str | None
    bsuid: str | None
    contact_id: int | None
    contact_name: str | None

    @classmethod
    def of(cls, c: Customer) -> CustomerOut:
        contact = c.contact
        return cls(
            id=c.id,
            display_name=contact.name if contact else display_name(c.name, c.username, c.phone),
            name=c.name,
            username=c.username,
            phone=c.phone,
            bsuid=c.bsuid,
            contact_id=contact.id if contact else None,
            contact_name=contact.name if contact else None,
        )


class LastMessageOut(BaseModel):
    at: datetime
    direction: Literal["in", "out"]
    type: str
    text: str | None


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
    transfer_count: int
    orphaned: bool
    parked: bool
    # The customer-base record the agent linked (Coincidencia), if any.
    base_record: LinkedRecord | None = None
    last_message: LastMessageOut | None
    # Since when the customer waits for the agent's answer; None once answered.
    awaiting_reply_since: datetime | None

    @classmethod
    def of(cls, a: Attention, *, offered: bool = False) -> AttentionOut:
        return cls(
            id=a.id,
            state=a.state,
            version=a.version,
            campaign=Ref(id=a.campaign.id, name=a.campaign.name),
            channel=Ref(id=a.channel.id, name=a.channel.name),
            customer=CustomerOut.of(a.customer),
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
            transfer_count=a.transfer_count,
            orphaned=a.orphaned,
            parked=a.parked,
            base_record=LinkedRecord.of(a.match) if a.match else None,
            last_message=_last_message(a),
            awaiting_reply_since=a.awaiting_reply_since,
        )


def _last_message(a: Attention) -> LastMessageOut | None:
    if a.last_message_at is None or a.last_message_direction not in ("in", "out"):
        return None
    return LastMessageOut(
        at=a.last_message_at,
        direction="in" if a.last_message_direction == "in" else "out",
        type=a.last_message_type or "text",
        text=a.last_message_text,
    )


class QueuedOut(BaseModel):
    """A queued attention as its campaign's members see it: who waits, and since when."""

    id: int
    customer: str
    queued_at: datetime


class QueueCount(BaseModel):
    campaign_id: int
    campaign_name: str
    queued: int
    # The longest-waiting first, at most QUEUE_SHOWN of them; `queued` counts them all.
    waiting: list[QueuedOut] = Field(default_factory=list)


class DeskOut(BaseModel):
    assigned: list[AttentionOut]
    open: list[AttentionOut]
    offered: list[AttentionOut]
    queues: list[QueueCount]


class AttendedOut(AttentionOut):
    left_at: datetime
    outcome: Literal["closed", "transferred"]


class AttendedPage(BaseModel):
    items: list[AttendedOut]
    total: int
    # Pass as `before` for the next (older) page; None on the last one.
    next_before: str | None


class LiveCursor(BaseModel):
    """Where the next page of the live list starts: the last row's queued time and id."""

    queued_at: datetime
    id: int


class LiveAttentionsPage(BaseModel):
    items: list[AttentionOut]
    total: int = Field(description="How many attentions match the filters, on every page")
    next: LiveCursor | None = Field(description="Pass as after_queued_at and after_id")


class TargetAgent(BaseModel):
    id: int
    display_name: str
    status: Literal["available", "paused", "offline"]
    free_slots: int


class TargetCampaign(BaseModel):
    id: int
    name: str
    agents: list[TargetAgent]


class TargetsOut(BaseModel):
    campaigns: list[TargetCampaign]


class TransferIn(BaseModel):
    campaign_id: Id
    agent_id: Id | None = None
    note: str | None = Field(default=None, max_length=1000)


class MoveIn(BaseModel):
    campaign_id: Id
    agent_id: Id | None = None
    reason: str = Field(max_length=1000)


class EventOut(BaseModel):
    id: int
    kind: str
    at: datetime
    segment: int
    actor: Person | None
    agent: Person | None
    campaign: Ref | None
    data: dict[str, Any]


class TimelineOut(BaseModel):
    events: list[EventOut]


class TransferOut(BaseModel):
    sequence: int
    kind: Literal["transfer", "move"]
    at: datetime
    from_campaign: Ref
    from_agent: Person | None
    to_campaign: Ref
    to_agent: Person | None
    by: Person | None
    note: str | None


class TypingOut(BaseModel):
    sent: bool
