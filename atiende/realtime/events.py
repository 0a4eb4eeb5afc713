"""Every event a browser can receive; each is a schema with a literal `type`."""

from typing import Annotated, Literal

from pydantic import BaseModel, Field, TypeAdapter

from atiende.schemas.attentions import AttentionOut, QueueCount
from atiende.schemas.dashboard import LiveAgent, LiveAttention, LiveCampaign
from atiende.schemas.messages import MessageError, MessageOut, MessageStatus
from atiende.schemas.users import UserOut


class Hello(BaseModel):
    type: Literal["hello"] = "hello"
    user: UserOut


class Pong(BaseModel):
    type: Literal["pong"] = "pong"


class AgentStatus(BaseModel):
    """The agent's status changed (in one of his tabs, at login or logout, or by itself when his
    sockets went silent): every one of his tabs shows the same."""

    type: Literal["agent.status"] = "agent.status"
    user: UserOut


class AttentionUpdated(BaseModel):
    type: Literal["attention.updated"] = "attention.updated"
    attention: AttentionOut


class AttentionRemoved(BaseModel):
    type: Literal["attention.removed"] = "attention.removed"
    attention_id: int
    # The attention's version when it left: events from several processes can arrive out of
    # order, and a removal older than what the client holds (or an update older than the
    # removal) must not win.
    version: int


class MessageCreated(BaseModel):
    type: Literal["message.created"] = "message.created"
    message: MessageOut


class MessageUpdated(BaseModel):
    """The customer edited, deleted or reacted to a message already shown."""

    type: Literal["message.updated"] = "message.updated"
    message: MessageOut


class MessageStatusChanged(BaseModel):
    type: Literal["message.status"] = "message.status"
    message_id: int
    attention_id: int
    status: MessageStatus
    error: MessageError | None


class Queues(BaseModel):
    type: Literal["queues"] = "queues"
    queues: list[QueueCount]


class LiveAttentionChanged(BaseModel):
    """To supervisors and admins only: an attention changed (any campaign). No message text:
    what the dashboard and the live list need, with its version to drop an older one."""

    type: Literal["live.attention"] = "live.attention"
    attention: LiveAttention


class LiveAgentChanged(BaseModel):
    """To supervisors and admins only: a user's row on the dashboard changed (status, name,
    role, deactivated or reactivated, campaigns and capacities), as it now is."""

    type: Literal["live.agent"] = "live.agent"
    agent: LiveAgent


class LiveCampaignChanged(BaseModel):
    """To supervisors and admins only: a campaign was created, renamed, archived or
    unarchived, or its service level changed."""

    type: Literal["live.campaign"] = "live.campaign"
    campaign: LiveCampaign


Event = Annotated[
    Hello
    | Pong
    | AgentStatus
    | AttentionUpdated
    | AttentionRemoved
    | MessageCreated
    | MessageUpdated
    | MessageStatusChanged
    | Queues
    | LiveAttentionChanged
    | LiveAgentChanged
    | LiveCampaignChanged,
    Field(discriminator="type"),
]
EVENT = TypeAdapter[Event](Event)


class Envelope(BaseModel):
    """What travels on the bus: the event and exactly who may see it, or an order to close
    the recipients' sockets of these sessions (logged out, expired, deactivated), which every
    process carries out for the sockets it holds."""

    recipients: list[int]
    event: Event | None = None
    # The event already encoded, instead of `event`: by an action that publishes hundreds at
    # once and writes their JSON itself (realtime/attention_events.py).
    text: str | None = None
    # Also every supervisor's and admin's socket (the staff room), whoever they are.
    staff: bool = False
    # Session ids (digests); `ALL_SESSIONS` closes every socket of the recipients.
    close_sessions: list[str] = Field(default_factory=list)
    # Not for sockets: what every process should do now (`WAKE_ROUTING`, `WAKE_INBOX`,
    # `WAKE_CHANNELS`).
    wake: list[str] = Field(default_factory=list)


ALL_SESSIONS = "*"
# Something may be routable: every routing loop looks (the one routing a campaign right now
# looks again after its batch).
WAKE_ROUTING = "routing"
# Deliveries were made durable: a processor should look at the inbox.
WAKE_INBOX = "inbox"
# A channel was created or edited: forget the app secrets known.
WAKE_CHANNELS = "channels"
