"""Tables. The invariants DESIGN.md names are constraints here, not only code paths."""

from collections.abc import Iterable
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    text,
    true,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from atiende.db.secrets import EncryptedText
from atiende.db.types import UTCDateTime, utcnow
from atiende.domain.kinds import (
    Direction,
    ExportFormat,
    ExportState,
    ImportState,
    OverflowMode,
    Presence,
    Role,
    RoutingMode,
    TransferKind,
)
from atiende.domain.previews import PREVIEW_CHARS
from atiende.domain.states import HOLDS_SLOT, State

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

NOT_CLOSED = text("state <> 'closed'")
QUEUED = text("state = 'queued'")


def one_of(column: str, values: Iterable[StrEnum]) -> str:
    """A CHECK's `column IN (...)`, in the members' order (the migrations hold this text)."""
    return f"{column} IN ({', '.join(repr(str(v)) for v in values)})"


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {datetime: UTCDateTime(), dict[str, Any]: JSON()}  # noqa: RUF012


class User(Base):
    __tablename__ = "users"
    __table_args__ = (
        # The capacity rule holds even if a code path forgets the conditional update.
        CheckConstraint("active_count >= 0 AND active_count <= capacity", name="capacity"),
        CheckConstraint(one_of("role", Role), name="role"),
        CheckConstraint(one_of("status", Presence), name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    display_name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20), default="agent")
    status: Mapped[str] = mapped_column(String(20), default="offline")
    pause_reason: Mapped[str | None] = mapped_column(String(120))
    # Set when presence (not the agent) made him offline: on reconnect he gets it back.
    status_before_offline: Mapped[str | None] = mapped_column(String(20))
    status_changed_at: Mapped[datetime | None]
    capacity: Mapped[int] = mapped_column(Integer, default=3)
    # Assigned + open attentions held now; taken with a conditional update, never read-then-write.
    active_count: Mapped[int] = mapped_column(Integer, default=0)
    last_assigned_at: Mapped[datetime | None]
    last_seen_at: Mapped[datetime | None]
    # A deactivated user cannot log in and has no sessions; his history stays.
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class UserSession(Base):
    __tablename__ = "user_sessions"

    # sha256 of the cookie value: a leaked table does not hand out live sessions.
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]


class LoginThrottle(Base):
    """Failed logins counted per account, per client address and per both: each key that
    passed its free attempts is blocked until `blocked_until`."""

    __tablename__ = "login_throttle"

    key: Mapped[str] = mapped_column(String(300), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_failure_at: Mapped[datetime]
    blocked_until: Mapped[datetime | None]


class Campaign(Base):
    __tablename__ = "campaigns"
    __table_args__ = (
        CheckConstraint(one_of("routing_mode", RoutingMode), name="routing_mode"),
        CheckConstraint(one_of("overflow_mode", OverflowMode), name="overflow_mode"),
        CheckConstraint(
            "reassign_after_seconds >= 0 AND max_reassignments >= 0 AND orphan_after_seconds >= 0"
            " AND overflow_after_seconds >= 0",
            name="settings_positive",
        ),
        CheckConstraint(
            "service_level_seconds BETWEEN 1 AND 86400 AND service_level_target BETWEEN 1 AND 100",
            name="service_level",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    routing_mode: Mapped[str] = mapped_column(String(20), default="least_busy")
    # 0 = never: an assigned attention not opened within this many seconds is reassigned.
    reassign_after_seconds: Mapped[int] = mapped_column(Integer, default=0)
    max_reassignments: Mapped[int] = mapped_column(Integer, default=3)
    # An open attention whose agent went offline stays his this long, then returns to the queue.
    orphan_after_seconds: Mapped[int] = mapped_column(Integer, default=300)
    # 0 = never: after this long queued, an attention switches to the overflow mode.
    overflow_after_seconds: Mapped[int] = mapped_column(Integer, default=0)
    overflow_mode: Mapped[str] = mapped_column(String(20), default="none")
    # Round robin remembers where it stopped.
    rr_last_agent_id: Mapped[int | None] = mapped_column(Integer)
    # The country a customer base's numbers without a country code are read in (ISO 3166).
    default_region: Mapped[str] = mapped_column(String(2), default="PE", server_default="PE")
    # Archived: no number enters it, nobody transfers or moves into it; its history stays.
    archived_at: Mapped[datetime | None]
    # Service level: answered (an agent's first reply) within this many seconds of the
    # customer's first message, for this share (percent) of the attentions ended.
    service_level_seconds: Mapped[int] = mapped_column(Integer, default=60, server_default="60")
    service_level_target: Mapped[int] = mapped_column(Integer, default=80, server_default="80")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class CampaignMember(Base):
    __tablename__ = "campaign_members"

    campaign_id: Mapped[int] = mapped_column(
        ForeignKey("campaigns.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    # How many of this campaign's attentions the agent may hold at once. What he holds is
    # counted from the attentions themselves, under his row's lock (see actions/slots.py).
    capacity: Mapped[int] = mapped_column(Integer, default=3)


class Channel(Base):
    __tablename__ = "channels"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    phone_number_id: Mapped[str] = mapped_column(String(64), unique=True)
    display_phone_number: Mapped[str] = mapped_column(String(32))
    waba_id: Mapped[str] = mapped_column(String(64), default="")
    # BSUIDs are scoped to a Meta business portfolio: customers are keyed within it.
    portfolio_id: Mapped[str] = mapped_column(String(64), default="default")
    # Encrypted at rest (migration 0009); compared only after decrypting.
    access_token: Mapped[str] = mapped_column(EncryptedText())
    app_secret: Mapped[str] = mapped_column(EncryptedText())
    verify_token: Mapped[str] = mapped_column(EncryptedText())
    graph_base_url: Mapped[str] = mapped_column(String(200), default="https://graph.facebook.com")
    graph_version: Mapped[str] = mapped_column(String(16), default="v23.0")
    entry_campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Customer(Base):
    __tablename__ = "customers"
    __table_args__ = (
        Index(
            "uq_customers_portfolio_bsuid",
            "portfolio_id",
            "bsuid",
            unique=True,
            sqlite_where=text("bsuid IS NOT NULL"),
            postgresql_where=text("bsuid IS NOT NULL"),
        ),
        Index(
            "uq_customers_portfolio_phone",
            "portfolio_id",
            "phone",
            unique=True,
            sqlite_where=text("phone IS NOT NULL"),
            postgresql_where=text("phone IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    portfolio_id: Mapped[str] = mapped_column(String(64))
    bsuid: Mapped[str | None] = mapped_column(String(128))
    phone: Mapped[str | None] = mapped_column(String(32))
    username: Mapped[str | None] = mapped_column(String(128))
    name: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    # Loaded with every attention: lists and the chat header name the customer by it.
    contact: Mapped["Contact | None"] = relationship(lazy="joined", viewonly=True)


class Attention(Base):
    __tablename__ = "attentions"
    __table_args__ = (
        # One conversation at a time per customer and number, whichever process ingests.
        Index(
            "uq_attentions_not_closed",
            "channel_id",
            "customer_id",
            unique=True,
            sqlite_where=NOT_CLOSED,
            postgresql_where=NOT_CLOSED,
        ),
        Index("ix_attentions_state_campaign", "state", "campaign_id", "queued_at"),
        # A campaign's queue in routing order: routing takes its head, members see its first
        # ones, however many attentions the campaign holds or has closed.
        Index(
            "ix_attentions_queue",
            "campaign_id",
            "queued_at",
            "id",
            sqlite_where=QUEUED,
            postgresql_where=QUEUED,
        ),
        # The supervisors' live list, a keyset page at a time, in all campaigns or one.
        Index(
            "ix_attentions_live_queue",
            "queued_at",
            "id",
            sqlite_where=NOT_CLOSED,
            postgresql_where=NOT_CLOSED,
        ),
        Index(
            "ix_attentions_live_campaign",
            "campaign_id",
            "queued_at",
            "id",
            sqlite_where=NOT_CLOSED,
            postgresql_where=NOT_CLOSED,
        ),
        Index("ix_attentions_agent_state", "agent_id", "state"),
        Index("ix_attentions_reassign_at", "reassign_at"),
        Index("ix_attentions_orphan_at", "orphan_at"),
        Index("ix_attentions_overflow_at", "overflow_at"),
        # A customer's history, newest first, a page at a time (keyset on the id).
        Index("ix_attentions_customer_id_id", "customer_id", "id"),
        # Reports: a range of days, newest first, a page at a time (keyset on both).
        Index("ix_attentions_created_at_id", "created_at", "id"),
        CheckConstraint(one_of("state", State), name="state"),
        CheckConstraint(
            f"({one_of('state', HOLDS_SLOT)}) = (agent_id IS NOT NULL) OR state = '{State.CLOSED}'",
            name="agent_when_held",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    channel_id: Mapped[int] = mapped_column(ForeignKey("channels.id"))
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"))
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id"))
    state: Mapped[str] = mapped_column(String(16), default="queued")
    agent_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # Bumped on every change so a browser drops an event older than what it holds.
    version: Mapped[int] = mapped_column(Integer, default=1)
    unread: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    queued_at: Mapped[datetime] = mapped_column(default=utcnow)
    assigned_at: Mapped[datetime | None]
    opened_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    last_customer_message_at: Mapped[datetime | None]
    window_ends_at: Mapped[datetime | None]
    # Durable deadlines, claimed by whichever process's loop sees them due.
    reassign_at: Mapped[datetime | None]
    orphan_at: Mapped[datetime | None]
    overflow_at: Mapped[datetime | None]
    # Queued and offered to every eligible agent (mode "a todos" or overflow).
    offered: Mapped[bool] = mapped_column(default=False)
    # The agent it was just taken from: routed elsewhere unless he is the only one.
    excluded_agent_id: Mapped[int | None] = mapped_column(Integer)
    # Waits queued, routed no more, after too many reassignments.
    parked: Mapped[bool] = mapped_column(default=False)
    reassignments: Mapped[int] = mapped_column(Integer, default=0)
    orphaned: Mapped[bool] = mapped_column(default=False)
    # How many transfers it has had; the rows are in `transfers` (Transfer).
    transfer_count: Mapped[int] = mapped_column(Integer, default=0)
    # Segment n+1 starts with transfer n; each segment has its own form submission.
    segment: Mapped[int] = mapped_column(Integer, default=1)
    # The latest message, kept on the row so that lists show it without a query per item.
    last_message_at: Mapped[datetime | None]
    last_message_direction: Mapped[str | None] = mapped_column(String(3))
    last_message_type: Mapped[str | None] = mapped_column(String(32))
    last_message_text: Mapped[str | None] = mapped_column(String(PREVIEW_CHARS))
    # The customer's first message not yet answered by the agent: the longest wait comes first.
    awaiting_reply_since: Mapped[datetime | None]

    campaign: Mapped[Campaign] = relationship(lazy="joined", innerjoin=True)
    channel: Mapped[Channel] = relationship(lazy="joined", innerjoin=True)
    customer: Mapped[Customer] = relationship(lazy="joined", innerjoin=True)
    # Loaded by a second query, not a join: a row locked FOR UPDATE cannot be outer-joined.
    match: Mapped["AttentionMatch | None"] = relationship(lazy="selectin", viewonly=True)


class QueueChange(Base):
    """A campaign's queued count, kept as changes: +1 when an attention enters its queue, -1
    when it leaves. Written by triggers on `attentions` (migration 0025, see actions/queues.py),
    so every path that queues, assigns, moves or ends counts; only inserted, so no transaction
    waits on a counter row. Routing folds a campaign's rows into one as it goes."""

    __tablename__ = "queue_changes"

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    campaign_id: Mapped[int] = mapped_column(
        ForeignKey("campaigns.id", ondelete="CASCADE"), index=True
    )
    delta: Mapped[int] = mapped_column(Integer)


class AttentionEvent(Base):
    """The attention's timeline: every state change, in order."""

    __tablename__ = "attention_events"
    __table_args__ = (
        # Reports filtered by agent: the attentions he was ever assigned.
        Index("ix_attention_events_agent_id_attention_id", "agent_id", "attention_id"),
        # The agent-states report: an agent's openings and endings over a range of days.
        Index("ix_attention_events_agent_id_created_at", "agent_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    attention_id: Mapped[int] = mapped_column(
        ForeignKey("attentions.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(32))
    segment: Mapped[int] = mapped_column(Integer, default=1)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    agent_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    campaign_id: Mapped[int | None] = mapped_column(ForeignKey("campaigns.id"))
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class AttendedItem(Base):
    """An attention an agent opened and has left (ended, transferred, reassigned away): his
    *Atendidas*, one row per agent and attention, written when he leaves it so that the list
    reads a page of his own rows on an index instead of searching the whole timeline."""

    __tablename__ = "attended"
    __table_args__ = (Index("ix_attended_agent_left", "agent_id", "left_at", "attention_id"),)

    agent_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    attention_id: Mapped[int] = mapped_column(
        ForeignKey("attentions.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    # The last time he left it (an attention can come back to him and go again).
    left_at: Mapped[datetime]


class Message(Base):
    __tablename__ = "messages"
    __table_args__ = (
        # A webhook delivered twice stores one message.
        UniqueConstraint("channel_id", "wa_message_id", name="uq_messages_channel_wamid"),
        # A send retried by the browser stores one message.
        UniqueConstraint("sender_id", "client_id", name="uq_messages_sender_client"),
        Index("ix_messages_attention_id_id", "attention_id", "id"),
        CheckConstraint(one_of("direction", Direction), name="direction"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    attention_id: Mapped[int] = mapped_column(ForeignKey("attentions.id", ondelete="CASCADE"))
    channel_id: Mapped[int] = mapped_column(ForeignKey("channels.id"))
    direction: Mapped[str] = mapped_column(String(3))
    wa_message_id: Mapped[str | None] = mapped_column(String(200))
    type: Mapped[str] = mapped_column(String(32), default="text")
    text: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16))
    error_code: Mapped[int | None]
    error_title: Mapped[str | None] = mapped_column(String(300))
    sender_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    client_id: Mapped[str | None] = mapped_column(String(64))
    payload: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # What the agent is shown, by type (see channels/whatsapp/content.py).
    content: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    reply_to_wamid: Mapped[str | None] = mapped_column(String(200))
    forwarded: Mapped[bool] = mapped_column(default=False)
    reactions: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    # The customer edited or deleted it: the old text is kept, the chat says so.
    edited_at: Mapped[datetime | None]
    previous_text: Mapped[str | None] = mapped_column(Text)
    deleted_at: Mapped[datetime | None]
    # Reactions, edits and deletions are stored (once, by wamid) but shown on the message
    # they change, not as messages of their own.
    hidden: Mapped[bool] = mapped_column(default=False)
    sent_at: Mapped[datetime | None]
    # What Meta says an outbound message costs (`pricing` in its status webhooks): the
    # category and billable flag decide, not our guess about the 24-hour window.
    pricing_category: Mapped[str | None] = mapped_column(String(40))
    pricing_billable: Mapped[bool | None]
    pricing_model: Mapped[str | None] = mapped_column(String(40))
    pricing_type: Mapped[str | None] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    sender: Mapped[User | None] = relationship(lazy="joined")


class OutboxItem(Base):
    """A message waiting to go out through the Graph API; claimed by a lease, not a lock."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_due", "state", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(
        ForeignKey("messages.id", ondelete="CASCADE"), unique=True
    )
    state: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    lease_until: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class WebhookFailure(Base):
    """A signed delivery that could not be processed, kept as it came for inspection."""

    __tablename__ = "webhook_failures"

    id: Mapped[int] = mapped_column(primary_key=True)
    channel_id: Mapped[int | None] = mapped_column(ForeignKey("channels.id"))
    body: Mapped[bytes] = mapped_column(LargeBinary)
    error: Mapped[str] = mapped_column(Text)
    received_at: Mapped[datetime] = mapped_column(default=utcnow)


class InboxDelivery(Base):
    """A signed webhook delivery made durable before its 200, waiting for a processor.

    Deleted in the transaction that applies it (or keeps it in `webhook_failures`), so the
    table holds only the backlog. The signature travels along: the processor checks it again
    against the channels as they are then, so a secret removed meanwhile admits nothing.
    """

    __tablename__ = "webhook_inbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    body: Mapped[bytes] = mapped_column(LargeBinary)
    signature: Mapped[str] = mapped_column(String(200))


class EarlyStatus(Base):
    """A status webhook that arrived before its message was known here.

    Meta may report `sent` before our POST's answer (and its wamid) is committed; the status
    waits here and is applied as soon as the message has that wamid.
    """

    __tablename__ = "early_statuses"
    __table_args__ = (Index("ix_early_statuses_channel_wamid", "channel_id", "wa_message_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    channel_id: Mapped[int] = mapped_column(ForeignKey("channels.id", ondelete="CASCADE"))
    wa_message_id: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(16))
    error_code: Mapped[int | None]
    error_title: Mapped[str | None] = mapped_column(String(300))
    # The pricing it carried, applied with the status once the message is known.
    pricing: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    received_at: Mapped[datetime] = mapped_column(default=utcnow)


class Transfer(Base):
    """One hand-over of an attention: by its agent (transfer) or by a supervisor (move)."""

    __tablename__ = "transfers"
    __table_args__ = (
        UniqueConstraint("attention_id", "sequence", name="uq_transfers_attention_sequence"),
        CheckConstraint(one_of("kind", TransferKind), name="kind"),
        # The transfers report walks them newest first, paged on (created_at, attention_id).
        Index("ix_transfers_created_at_attention_id", "created_at", "attention_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    attention_id: Mapped[int] = mapped_column(ForeignKey("attentions.id", ondelete="CASCADE"))
    sequence: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16), default="transfer")
    from_campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id"))
    from_agent_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    to_campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id"))
    to_agent_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Form(Base):
    """One version of a campaign's form. Versions are never edited, so a stored submission
    always reads with the fields it was filled against."""

    __tablename__ = "forms"
    __table_args__ = (UniqueConstraint("campaign_id", "version", name="uq_forms_campaign_version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"))
    version: Mapped[int] = mapped_column(Integer)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    fields: Mapped[list["FormField"]] = relationship(
        lazy="selectin", order_by="FormField.position", cascade="all, delete-orphan"
    )


class FormField(Base):
    __tablename__ = "form_fields"
    __table_args__ = (UniqueConstraint("form_id", "key", name="uq_form_fields_form_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    form_id: Mapped[int] = mapped_column(ForeignKey("forms.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    key: Mapped[str] = mapped_column(String(64))
    label: Mapped[str] = mapped_column(String(200))
    type: Mapped[str] = mapped_column(String(20))
    required: Mapped[bool] = mapped_column(default=False)
    options: Mapped[list[str] | None] = mapped_column(JSON)


class FormSubmission(Base):
    """The form of one segment: a draft while `submitted_at` is empty."""

    __tablename__ = "form_submissions"
    __table_args__ = (
        UniqueConstraint("attention_id", "segment", name="uq_form_submissions_segment"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    attention_id: Mapped[int] = mapped_column(ForeignKey("attentions.id", ondelete="CASCADE"))
    segment: Mapped[int] = mapped_column(Integer)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id"))
    form_id: Mapped[int] = mapped_column(ForeignKey("forms.id"))
    values: Mapped[dict[str, Any]] = mapped_column(default=dict)
    submitted_at: Mapped[datetime | None]
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class PauseReason(Base):
    """Why an agent may pause, as supervisors keep the list: never deleted (the status
    history points at them), deactivated instead; `position` is the menu's order."""

    __tablename__ = "pause_reasons"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(60), unique=True)
    position: Mapped[int] = mapped_column(Integer)
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class AgentStatusChange(Base):
    """Every status an agent went through, for the agent-states report."""

    __tablename__ = "agent_status_changes"
    __table_args__ = (
        Index("ix_agent_status_changes_user_at", "user_id", "at"),
        # The agent-states report reads a day range across agents.
        Index("ix_agent_status_changes_at", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(20))
    # The reason's name as the agent chose it (what he saw), and the reason itself, so that a
    # report groups one reason across renames and still prints what was chosen then.
    reason: Mapped[str | None] = mapped_column(String(120))
    reason_id: Mapped[int | None] = mapped_column(ForeignKey("pause_reasons.id"))
    automatic: Mapped[bool] = mapped_column(default=False)
    at: Mapped[datetime] = mapped_column(default=utcnow)


class Template(Base):
    """A message template Meta approved for the number, offered to a campaign's agents for
    writing outside the 24-hour window. `body` uses Meta's {{1}}, {{2}} placeholders."""

    __tablename__ = "templates"
    __table_args__ = (
        UniqueConstraint("campaign_id", "name", "language", name="uq_templates_campaign_name_lang"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(512))
    language: Mapped[str] = mapped_column(String(16))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class MediaDownload(Base):
    """An inbound media file to fetch from Meta promptly (its URL lives five minutes),
    claimed by a lease like the outbox."""

    __tablename__ = "media_downloads"
    __table_args__ = (Index("ix_media_downloads_due", "state", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(
        ForeignKey("messages.id", ondelete="CASCADE"), unique=True
    )
    state: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    lease_until: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)


class ContactField(Base):
    """A field the supervisors add to every contact, beside the fixed ones. Typed like a
    form's field; a removed definition leaves the values stored, only no longer shown."""

    __tablename__ = "contact_fields"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    label: Mapped[str] = mapped_column(String(200))
    type: Mapped[str] = mapped_column(String(20))
    required: Mapped[bool] = mapped_column(default=False)
    options: Mapped[list[str] | None] = mapped_column(JSON)
    position: Mapped[int] = mapped_column(Integer)


class Contact(Base):
    """The center's address-book entry for one customer (SPEC §4, *Contacto*)."""

    __tablename__ = "contacts"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(
        ForeignKey("customers.id", ondelete="CASCADE"), unique=True
    )
    name: Mapped[str] = mapped_column(String(200))
    # E.164, "+" included, as phonenumbers formats them.
    phones: Mapped[list[str]] = mapped_column(JSON, default=list)
    email: Mapped[str | None] = mapped_column(String(254))
    document_id: Mapped[str | None] = mapped_column(String(64))
    notes: Mapped[str | None] = mapped_column(Text)
    custom: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # Raised on every change: an edit made against an older version is refused.
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class ContactChange(Base):
    """Who changed a contact, when, and each field from what to what."""

    __tablename__ = "contact_changes"
    __table_args__ = (Index("ix_contact_changes_contact_id_id", "contact_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    kind: Mapped[str] = mapped_column(String(16))
    # {field: {"from": old, "to": new}}; custom fields as "custom.<key>".
    changes: Mapped[dict[str, Any]] = mapped_column(default=dict)
    at: Mapped[datetime] = mapped_column(default=utcnow)


class CustomerBase(Base):
    """A campaign's customer base, imported from CSV or XLSX by a supervisor."""

    __tablename__ = "customer_bases"
    __table_args__ = (UniqueConstraint("campaign_id", "name", name="uq_customer_bases_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(120))
    # The file's header names: which is the key, the phone and the name; all in file order.
    key_column: Mapped[str] = mapped_column(String(120))
    phone_column: Mapped[str] = mapped_column(String(120))
    name_column: Mapped[str | None] = mapped_column(String(120))
    columns: Mapped[list[str]] = mapped_column(JSON, default=list)
    record_count: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class BaseRecord(Base):
    """One row of a base. `phone` is E.164, so every way of writing a number matches."""

    __tablename__ = "base_records"
    __table_args__ = (
        UniqueConstraint("base_id", "key", name="uq_base_records_key"),
        Index("ix_base_records_phone", "phone", "base_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    base_id: Mapped[int] = mapped_column(ForeignKey("customer_bases.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(32))
    name: Mapped[str | None] = mapped_column(String(1000))
    fields: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    # Every value folded (lower case, no accents), for a search by any column.
    search: Mapped[str] = mapped_column(Text, default="")


class BaseImport(Base):
    """One file given for a base: checked on upload, mapped, read in batches into
    `base_import_rows`, then applied in one transaction (or not at all)."""

    __tablename__ = "base_imports"
    __table_args__ = (CheckConstraint(one_of("state", ImportState), name="state"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(
        ForeignKey("campaigns.id", ondelete="CASCADE"), index=True
    )
    base_id: Mapped[int | None] = mapped_column(
        ForeignKey("customer_bases.id", ondelete="SET NULL")
    )
    base_name: Mapped[str | None] = mapped_column(String(120))
    filename: Mapped[str] = mapped_column(String(255))
    # Where the uploaded file waits (removed once the import ends) and how to read it.
    path: Mapped[str] = mapped_column(String(500))
    layout: Mapped[dict[str, Any]] = mapped_column(default=dict)
    columns: Mapped[list[str]] = mapped_column(JSON, default=list)
    preview: Mapped[list[list[str]]] = mapped_column(JSON, default=list)
    state: Mapped[str] = mapped_column(String(16), default=ImportState.UPLOADED)
    mode: Mapped[str | None] = mapped_column(String(16))
    key_column: Mapped[str | None] = mapped_column(String(120))
    phone_column: Mapped[str | None] = mapped_column(String(120))
    name_column: Mapped[str | None] = mapped_column(String(120))
    region: Mapped[str | None] = mapped_column(String(2))
    # Counted on upload (CSV lines, or the sheet's stated size) for the progress bar.
    rows_total: Mapped[int | None] = mapped_column(Integer)
    rows_read: Mapped[int] = mapped_column(Integer, default=0)
    added: Mapped[int] = mapped_column(Integer, default=0)
    updated: Mapped[int] = mapped_column(Integer, default=0)
    removed: Mapped[int] = mapped_column(Integer, default=0)
    error_count: Mapped[int] = mapped_column(Integer, default=0)
    # Why the whole file was refused while reading it (a refusal code and its params).
    failure_code: Mapped[str | None] = mapped_column(String(64))
    failure_params: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None]
    # Touched by every batch: a running import whose process died stops being touched.
    heartbeat_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]


class BaseImportError(Base):
    """A row the import skipped, and why: the per-row report."""

    __tablename__ = "base_import_errors"

    id: Mapped[int] = mapped_column(primary_key=True)
    import_id: Mapped[int] = mapped_column(
        ForeignKey("base_imports.id", ondelete="CASCADE"), index=True
    )
    row: Mapped[int] = mapped_column(Integer)
    column: Mapped[str | None] = mapped_column(String(120))
    reason: Mapped[str] = mapped_column(String(32))
    value: Mapped[str | None] = mapped_column(String(200))


class BaseImportRow(Base):
    """A record read from the file, waiting for the import's last transaction."""

    __tablename__ = "base_import_rows"
    __table_args__ = (Index("ix_base_import_rows_import_key", "import_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    import_id: Mapped[int] = mapped_column(ForeignKey("base_imports.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(32))
    name: Mapped[str | None] = mapped_column(String(1000))
    fields: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    search: Mapped[str] = mapped_column(Text, default="")


class AttentionMatch(Base):
    """The base record an agent linked to an attention. What the record said is copied, so
    the link still reads the same after a re-import changes or removes the record."""

    __tablename__ = "attention_matches"

    attention_id: Mapped[int] = mapped_column(
        ForeignKey("attentions.id", ondelete="CASCADE"), primary_key=True
    )
    record_id: Mapped[int | None] = mapped_column(
        ForeignKey("base_records.id", ondelete="SET NULL"), index=True
    )
    base_id: Mapped[int | None] = mapped_column(
        ForeignKey("customer_bases.id", ondelete="SET NULL")
    )
    base_name: Mapped[str] = mapped_column(String(120))
    key: Mapped[str] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(32))
    name: Mapped[str | None] = mapped_column(String(1000))
    fields: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    linked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    linked_at: Mapped[datetime] = mapped_column(default=utcnow)


class AuditEntry(Base):
    """One change made in the administration: who, when, what, and the changed fields before
    and after (`changes`: {field: [before, after]}), secrets masked (`actions/audit_log.py`)."""

    __tablename__ = "audit_log"
    __table_args__ = (
        Index("ix_audit_log_actor_id_id", "actor_id", "id"),
        Index("ix_audit_log_entity_id", "entity", "id"),
        Index("ix_audit_log_at", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    # None: the command line, where nobody is signed in.
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    entity: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[int | None]
    action: Mapped[str] = mapped_column(String(32))
    changes: Mapped[dict[str, Any]] = mapped_column(default=dict)


class ExportJob(Base):
    """A report written to a file in the background for the user who asked, and only him;
    kept until an hour after it finished (`actions/exports.py`)."""

    __tablename__ = "export_jobs"
    __table_args__ = (
        CheckConstraint(one_of("state", ExportState), name="state"),
        CheckConstraint(one_of("format", ExportFormat), name="format"),
        Index("ix_export_jobs_owner_id_state", "owner_id", "state"),
        Index("ix_export_jobs_updated_at", "updated_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    report: Mapped[str] = mapped_column(String(32))
    format: Mapped[str] = mapped_column(String(8))
    state: Mapped[str] = mapped_column(String(16), default=ExportState.RUNNING)
    rows_done: Mapped[int] = mapped_column(Integer, default=0)
    rows_total: Mapped[int | None] = mapped_column(Integer)
    filename: Mapped[str] = mapped_column(String(200))
    # The finished file's name inside the exports folder; never a path the client gave.
    file: Mapped[str | None] = mapped_column(String(200))
    error_code: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Touched by every batch: a running job left untouched for long lost its process.
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]


class MessagePrice(Base):
    """What a supervisor says one billable message of a Meta pricing category costs; the
    summary report multiplies. Millionths of the currency unit: exact on every database."""

    __tablename__ = "message_prices"
    __table_args__ = (CheckConstraint("price_micros >= 0", name="price_positive"),)

    category: Mapped[str] = mapped_column(String(40), primary_key=True)
    price_micros: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
