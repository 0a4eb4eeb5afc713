"""What a webhook delivery changes: customers, attentions, messages, statuses.

Idempotent by construction: a message id seen before is skipped, so Meta may deliver the
same webhook as often as it likes.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.attributes import set_committed_value

from atiende.actions import (
    customer_identifiers,
    customers,
    last_message,
    media,
    message_changes,
    notify,
    routing,
    statuses,
    versions,
)
from atiende.actions.timeline import record, record_all
from atiende.actions.work import Work
from atiende.channels.whatsapp import content, webhook
from atiende.channels.whatsapp.content import Content
from atiende.channels.whatsapp.webhook import Contact, InboundMessage, Status, Value
from atiende.db.among import among
from atiende.db.models import Attention, Campaign, Channel, Customer, Message
from atiende.db.types import utcnow
from atiende.domain.kinds import Direction
from atiende.domain.states import State
from atiende.domain.window import window_end


@dataclass
class IngestResult:
    stored: int = 0
    duplicates: int = 0
    statuses: int = 0
    early_statuses: int = 0
    campaigns: set[int] = field(default_factory=set)
    offers: list[Attention] = field(default_factory=list)
    # Why a part of the delivery could not be ingested; the caller keeps the body with it.
    skipped: list[str] = field(default_factory=list)
    kept: int = 0

    def add(self, other: "IngestResult") -> None:
        self.stored += other.stored
        self.duplicates += other.duplicates
        self.statuses += other.statuses
        self.early_statuses += other.early_statuses
        self.campaigns |= other.campaigns
        self.offers += other.offers
        self.kept += other.kept


@dataclass
class Lookups:
    """What a batch's deliveries would each ask the database, read for all of them in three
    statements (`prefetch`): the wamids already stored, the customers they name and those
    customers' open attentions (locked, as one delivery locks its own). Kept true as the batch
    stores; once a delivery changes identifiers (a number changed, a message edited) the rest
    of the batch asks the database again."""

    known: set[tuple[int, str]] = field(default_factory=set)
    senders: customers.CustomerIndex = field(default_factory=customers.CustomerIndex)
    attentions: dict[tuple[int, int], Attention] = field(default_factory=dict)
    stale: bool = True
    # A message's JSON and content, read once by `open_for_new_senders` for the loop after.
    read: dict[tuple[int, str], tuple[dict[str, Any], Content]] = field(default_factory=dict)
    # Messages to store, as plain values, whose ids, media downloads and events wait for one
    # INSERT of them all (`announce`).
    unannounced: list[tuple[Attention, dict[str, Any], bool]] = field(default_factory=list)


async def prefetch(w: Work, parts: list[tuple[Channel, Value]]) -> Lookups:
    wamids = {m.id for _, v in parts for m in v.messages}
    channel_ids = {c.id for c, _ in parts}
    # By portfolio: a customer is his portfolio's, and each is found on its unique indexes.
    wanted: dict[str, tuple[set[str], set[str]]] = {}
    for channel, v in parts:
        bsuids, phones = wanted.setdefault(channel.portfolio_id, (set(), set()))
        contacts = _contacts_by_sender(v.contacts)
        for m in v.messages:
            bsuid, phone = _sender(m, contacts)
            bsuids |= {bsuid} if bsuid else set()
            phones |= {phone} if phone else set()
    found = Lookups(stale=False)
    if wamids:
        found.known = {
            (channel_id, wamid)
            for channel_id, wamid in await w.session.execute(
                select(Message.channel_id, Message.wa_message_id).where(
                    among(w.dialect, Message.channel_id, channel_ids),
                    among(w.dialect, Message.wa_message_id, wamids),
                )
            )
            if wamid
        }
    found.senders = await customers.CustomerIndex.read(w, wanted)
    if found.senders.ids:
        found.attentions = {
            (a.channel_id, a.customer_id): a
            for a in await w.session.scalars(
                select(Attention)
                .where(
                    among(w.dialect, Attention.customer_id, sorted(found.senders.ids)),
                    Attention.state != State.CLOSED,
                )
                # Joined, not the relationship's own second SELECT: one round trip less.
                .options(joinedload(Attention.match))
                .order_by(Attention.id)
                .with_for_update(of=Attention)
            )
        }
        for attention in found.attentions.values():
            w.hold(attention)
    return found


async def open_for_new_senders(
    w: Work, parts: list[tuple[Channel, Value]], lookups: Lookups, result: IngestResult
) -> None:
    """Customers never seen before, and their first attentions, inserted for the whole batch
    at once (a multi-row INSERT each) rather than one customer and one attention per
    message: a burst of new customers costs two statements, not two flushes each.

    Only the batch's run of plain messages before the first one that changes identifiers or
    another message (a number change, a reaction, an edit): what follows such a message is
    found as it is after it, message by message."""
    if lookups.stale:
        return
    fresh: list[tuple[Channel, Customer]] = []
    opening: set[tuple[int, int]] = set()
    by_bsuid: dict[tuple[str, str], Customer] = {}
    by_phone: dict[tuple[str, str], Customer] = {}
    for channel, value in parts:
        contacts = _contacts_by_sender(value.contacts)
        for m in value.messages:
            key = (channel.id, m.id)
            if key in lookups.known or key in lookups.read:
                continue
            _, said = lookups.read[key] = _read(m)
            if said.type == "system" or said.changes_another:
                return await _insert_new(w, fresh, lookups, result)
            bsuid, phone = _sender(m, contacts)
            portfolio = channel.portfolio_id
            if (bsuid and lookups.senders.by_bsuid(portfolio, bsuid)) or (
                phone and lookups.senders.by_phone(portfolio, phone)
            ):
                continue
            customer = by_bsuid.get((portfolio, bsuid)) if bsuid else None
            if customer is None and phone:
                customer = by_phone.get((portfolio, phone))
                if customer is not None and bsuid and customer.bsuid != bsuid:
                    # A number another new sender of this batch came with: find_or_create
                    # settles it in the loop after (it never makes two people one).
                    continue
            if customer is None:
                if not bsuid and not phone:
                    continue
                contact = contacts.get(m.from_user_id or "") or contacts.get(m.from_ or "")
                customer = Customer(
                    portfolio_id=portfolio,
                    bsuid=bsuid,
                    phone=phone,
                    name=contact.profile.name if contact and contact.profile else None,
                    username=contact.display_username if contact else None,
                )
                if bsuid:
                    by_bsuid[(portfolio, bsuid)] = customer
                if phone:
                    by_phone[(portfolio, phone)] = customer
            if (channel.id, id(customer)) not in opening:
                opening.add((channel.id, id(customer)))
                fresh.append((channel, customer))
    await _insert_new(w, fresh, lookups, result)


async def _insert_new(
    w: Work, fresh: list[tuple[Channel, Customer]], lookups: Lookups, result: IngestResult
) -> None:
    if not fresh:
        return
    w.session.add_all({id(c): c for _, c in fresh}.values())
    await w.session.flush()
    now = utcnow()
    opened = []
    for channel, customer in fresh:
        customers.created(customer)
        lookups.senders.remember(customer)
        campaign = await w.session.get(Campaign, channel.entry_campaign_id)
        assert campaign is not None  # a foreign key
        attention = _new_attention(channel, customer.id, campaign, now)
        # Known already: no refresh after the INSERT to load what the joins would bring.
        attention.channel, attention.customer = channel, customer
        w.session.add(attention)
        opened.append(attention)
    await w.session.flush()
    await record_all(w, opened, "queued")
    for attention in opened:
        set_committed_value(attention, "match", None)
        w.hold(attention)
        _opened(w, attention, lookups, result, recorded=True)


def _new_attention(
    channel: Channel, customer_id: int, campaign: Campaign, now: datetime
) -> Attention:
    attention = Attention(
        channel_id=channel.id,
        customer_id=customer_id,
        campaign_id=campaign.id,
        version=0,
        unread=0,
        segment=1,
        reassignments=0,
        transfer_count=0,
        orphaned=False,
        # Set, though empty: an attribute never set is unknown to the object after its
        # INSERT, and the staff room's event would read the row again for it.
        opened_at=None,
        closed_at=None,
        closed_by_id=None,
        excluded_agent_id=None,
    )
    routing.enqueue(attention, campaign, now)
    return attention


def _opened(
    w: Work, attention: Attention, lookups: Lookups, result: IngestResult, *, recorded: bool = False
) -> None:
    if not recorded:
        record(w, attention, "queued")
    lookups.attentions[(attention.channel_id, attention.customer_id)] = attention
    if attention.offered:
        result.offers.append(attention)
    else:
        result.campaigns.add(attention.campaign_id)


async def announce(w: Work, lookups: Lookups) -> None:
    """The batch's messages stored, in one INSERT of plain values (not ORM objects: a unit of
    work per message cost more than the rest of the processor), then their media downloads
    and events, in the order the messages came."""
    pending, lookups.unannounced = lookups.unannounced, []
    if not pending:
        return
    # Their attentions' changes first (a new one's row must exist before its messages').
    await w.session.flush()
    stored = await w.session.execute(
        insert(Message).returning(Message.id, Message.channel_id, Message.wa_message_id),
        [row for _, row, _ in pending],
    )
    ids = {(channel_id, wamid): i for i, channel_id, wamid in stored}
    for _, row, has_media in pending:
        row["id"] = ids[(row["channel_id"], row["wa_message_id"])]
        if has_media:
            media.queue(w, row["id"])
    assigned = [row for a, row, _ in pending if a.agent_id is not None]
    replies = iter(await notify.replies_to(w, assigned) if assigned else [])
    for attention, row, _ in pending:
        if attention.agent_id is not None:
            notify.message_stored(w, attention, row, next(replies))
        notify.attention_changed(w, attention)


def _read(m: InboundMessage) -> tuple[dict[str, Any], Content]:
    payload = m.model_dump(mode="json", by_alias=True, exclude_none=True)
    return payload, content.extract(payload)


async def ingest_value(
    w: Work, channel: Channel, value: Value, result: IngestResult, lookups: Lookups | None = None
) -> None:
    """The value's messages and statuses, counted into `result`; what they mean for the queues
    is told by `settle`, once for a whole batch of deliveries."""
    contacts = _contacts_by_sender(value.contacts)
    looked = lookups or Lookups()
    for message in value.messages:
        await _ingest_message(w, channel, message, contacts, result, looked)
    if value.statuses or lookups is None:
        # A status may be of a message just stored: its event follows the message's.
        await announce(w, looked)
    for status in value.statuses:
        await _apply_status(w, channel, status, result)


async def settle(w: Work, result: IngestResult, presence_grace: timedelta) -> None:
    """New attentions offered or routed, and their campaigns' members told the counts."""
    for attention in result.offers:
        await notify.offer(w, attention, presence_grace)
    await notify.queues_changed(w, {a.campaign_id for a in result.offers})
    if result.campaigns:
        # Routed by the routing loop, in batches, once this is committed.
        routing.wake(w)
        await notify.queues_changed(w, result.campaigns)


def _contacts_by_sender(contacts: list[Contact]) -> dict[str, Contact]:
    found: dict[str, Contact] = {}
    for contact in contacts:
        for key in (contact.user_id, contact.wa_id):
            if key:
                found[key] = contact
    return found


def _sender(m: InboundMessage, contacts: dict[str, Contact]) -> tuple[str | None, str | None]:
    contact = contacts.get(m.from_user_id or "") or contacts.get(m.from_ or "")
    bsuid = m.from_user_id or (contact.user_id if contact else None)
    phone = m.from_ or (contact.wa_id if contact else None)
    return bsuid, phone


async def _ingest_message(
    w: Work,
    channel: Channel,
    m: InboundMessage,
    contacts: dict[str, Contact],
    result: IngestResult,
    lookups: Lookups,
) -> None:
    if (
        (channel.id, m.id) in lookups.known
        if not lookups.stale
        else await _known(w, channel.id, m.id)
    ):
        result.duplicates += 1
        return
    payload, said = lookups.read.get((channel.id, m.id)) or _read(m)
    if said.type == "system" or said.changes_another:
        # It changes what the messages before it were stored as: they are told first.
        await announce(w, lookups)
    if said.type == "system":
        lookups.stale = True
        await customer_identifiers.apply_notice(w, channel, m, said, payload)
        result.stored += 1
        return
    contact = contacts.get(m.from_user_id or "") or contacts.get(m.from_ or "")
    bsuid, phone = _sender(m, contacts)
    if not bsuid and not phone:
        # Guessing the sender could hand one customer's words to another: kept, not stored.
        result.skipped.append(f"mensaje {m.id} sin remitente: no trae `from` ni `from_user_id`")
        return
    customer = await customers.find_or_create(
        w,
        channel.portfolio_id,
        bsuid=bsuid,
        phone=phone,
        name=contact.profile.name if contact and contact.profile else None,
        username=contact.display_username if contact else None,
        index=None if lookups.stale else lookups.senders,
    )
    if said.changes_another:
        lookups.stale = True
        await message_changes.apply(w, channel, customer.id, m, said, payload)
        result.stored += 1
        return
    attention = await _current_attention(w, channel, customer, result, lookups)
    sent_at = webhook.sent_at(m.timestamp) or utcnow()
    message = {
        "attention_id": attention.id,
        "channel_id": channel.id,
        "direction": "in",
        "wa_message_id": m.id,
        "type": said.type,
        "text": said.text,
        "content": said.content,
        "reply_to_wamid": said.reply_to_wamid,
        "forwarded": said.forwarded,
        "status": "received",
        "payload": payload,
        "sent_at": sent_at,
        "created_at": utcnow(),
    }
    last = attention.last_customer_message_at
    if last is None or sent_at > last:
        attention.last_customer_message_at = sent_at
        attention.window_ends_at = window_end(sent_at)
    attention.unread += 1
    last_message.note(attention, Direction.IN, said.type, said.text, sent_at)
    if attention.parked:
        # The customer is still waiting: a parked attention gets another chance.
        attention.parked = False
        record(w, attention, "unparked")
        result.campaigns.add(attention.campaign_id)
    versions.bump(attention)
    lookups.known.add((channel.id, m.id))
    media_id = said.type in content.MEDIA and said.content.get("media_id")
    lookups.unannounced.append((attention, message, bool(media_id)))
    result.stored += 1


async def _known(w: Work, channel_id: int, wamid: str) -> bool:
    found = await w.session.scalar(
        select(Message.id).where(Message.channel_id == channel_id, Message.wa_message_id == wamid)
    )
    return found is not None


async def _current_attention(
    w: Work, channel: Channel, customer: Customer, result: IngestResult, lookups: Lookups
) -> Attention:
    customer_id = customer.id
    if not lookups.stale and customer_id in lookups.senders.ids:
        attention = lookups.attentions.get((channel.id, customer_id))
    else:
        attention = await w.session.scalar(
            select(Attention)
            .where(
                Attention.channel_id == channel.id,
                Attention.customer_id == customer_id,
                Attention.state != State.CLOSED,
            )
            .with_for_update(of=Attention)
        )
    if attention is not None:
        w.hold(attention)
        return attention
    campaign = await w.session.get(Campaign, channel.entry_campaign_id)
    assert campaign is not None  # a foreign key
    attention = _new_attention(channel, customer.id, campaign, utcnow())
    attention.channel, attention.customer = channel, customer
    w.session.add(attention)
    await w.session.flush()
    set_committed_value(attention, "match", None)
    w.hold(attention)
    _opened(w, attention, lookups, result)
    return attention


async def _apply_status(w: Work, channel: Channel, s: Status, result: IngestResult) -> None:
    if await statuses.receive(w, channel.id, s):
        result.statuses += 1
    else:
        result.early_statuses += 1
