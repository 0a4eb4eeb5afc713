"""The supervisors' live dashboard: its snapshot, and the staff room's events it applies."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, Field

from atiende.schemas.attentions import CustomerOut
from atiende.schemas.common import Ref

if TYPE_CHECKING:
    from atiende.db.models import Attention, Campaign, User

AttentionState = Literal["queued", "assigned", "open", "closed"]
AgentState = Literal["available", "paused", "offline"]


class EndedFigures(BaseModel):
    """An ended attention's times, in seconds, as the dashboard counts them."""

    wait_seconds: float = Field(
        description="From the customer's first message to the first assignment"
    )
    handle_seconds: float = Field(description="From the first assignment to the end")
    first_reply_seconds: float | None = Field(
        description="From the customer's first message to an agent's first reply; None if none"
    )


class LiveAttention(BaseModel):
    """An attention as supervisors follow it live: no message text."""

    id: int
    version: int
    state: AttentionState
    campaign: Ref
    channel: Ref
    customer: CustomerOut
    agent_id: int | None
    created_at: datetime
    queued_at: datetime
    assigned_at: datetime | None
    opened_at: datetime | None
    closed_at: datetime | None
    closed_by_id: int | None
    last_customer_message_at: datetime | None
    window_ends_at: datetime | None
    awaiting_reply_since: datetime | None
    offered: bool
    parked: bool
    orphaned: bool
    segment: int
    reassignments: int
    transfer_count: int
    # Only when it has just ended: what it adds to the day's figures.
    ended: EndedFigures | None = None

    @classmethod
    def of(cls, a: Attention, ended: EndedFigures | None = None) -> LiveAttention:
        return cls(
            id=a.id,
            version=a.version,
            state=a.state,
            campaign=Ref(id=a.campaign.id, name=a.campaign.name),
            channel=Ref(id=a.channel.id, name=a.channel.name),
            customer=CustomerOut.of(a.customer),
            agent_id=a.agent_id,
            created_at=a.created_at,
            queued_at=a.queued_at,
            assigned_at=a.assigned_at,
            opened_at=a.opened_at,
            closed_at=a.closed_at,
            closed_by_id=a.closed_by_id,
            last_customer_message_at=a.last_customer_message_at,
            window_ends_at=a.window_ends_at,
            awaiting_reply_since=a.awaiting_reply_since,
            offered=a.offered,
            parked=a.parked,
            orphaned=a.orphaned,
            segment=a.segment,
            reassignments=a.reassignments,
            transfer_count=a.transfer_count,
            ended=ended,
        )


class CampaignCapacity(BaseModel):
    campaign_id: int
    capacity: int


class LiveAgent(BaseModel):
    """A user as the dashboard lists him: it lists active agents only, so `role` and `active`
    say whether he (still) belongs on it."""

    id: int
    display_name: str
    role: Literal["agent", "supervisor", "admin"]
    active: bool
    status: AgentState
    status_changed_at: datetime | None
    pause_reason: str | None
    capacity: int = Field(
        description="What routing lets him hold at once: his overall limit, no more than the"
        " sum of his campaigns' capacities"
    )
    campaigns: list[CampaignCapacity]

    @classmethod
    def of(cls, u: User, campaigns: list[CampaignCapacity], capacity: int) -> LiveAgent:
        return cls(
            id=u.id,
            display_name=u.display_name,
            role=u.role,
            active=u.active,
            status=u.status,
            status_changed_at=u.status_changed_at,
            pause_reason=u.pause_reason,
            capacity=capacity,
            campaigns=campaigns,
        )


class LiveCampaign(BaseModel):
    """A campaign as the dashboard lists it: it lists campaigns not archived."""

    id: int
    name: str
    archived: bool
    service_level_seconds: int
    service_level_target: int

    @classmethod
    def of(cls, c: Campaign) -> LiveCampaign:
        return cls(
            id=c.id,
            name=c.name,
            archived=c.archived_at is not None,
            service_level_seconds=c.service_level_seconds,
            service_level_target=c.service_level_target,
        )


class DashAttention(BaseModel):
    """A live attention in the snapshot: enough to count queues, loads and the longest wait."""

    id: int
    version: int
    state: AttentionState
    campaign_id: int
    agent_id: int | None
    queued_at: datetime


class DashCampaign(BaseModel):
    id: int
    name: str
    service_level_seconds: int
    service_level_target: int
    # Attentions ended today (in the campaign they ended in) and their sums.
    ended: int
    wait_seconds_total: float
    handle_seconds_total: float
    answered_within: int = Field(
        description="Ended today whose first agent reply came within service_level_seconds"
    )


class DashAgent(LiveAgent):
    ended_today: int = Field(description="Attentions he ended today")


class DashboardOut(BaseModel):
    as_of: datetime
    time_zone: str
    day_start: datetime = Field(description="Today's midnight in time_zone, as an instant")
    campaigns: list[DashCampaign]
    attentions: list[DashAttention]
    agents: list[DashAgent]
