"""Delivery statuses from Meta: they only move a message forward, and may come early."""

from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, select

from atiende.actions import notify
from atiende.actions.work import Work
from atiende.channels.whatsapp.webhook import Pricing, Status
from atiende.db.models import Attention, EarlyStatus, Message
from atiende.domain import meta_errors

# Read stays read whatever arrives late; `played` (a voice note listened to) is past read.
_RANK = {"pending": 0, "sent": 1, "delivered": 2, "read": 3, "played": 4}


@dataclass(frozen=True)
class Update:
    status: str
    error_code: int | None = None
    error_title: str | None = None
    pricing: Pricing | None = None

    @classmethod
    def of(cls, s: Status) -> "Update":
        error = s.errors[0] if s.errors else None
        code = error.code if error else None
        title = (error.title or error.message) if error else None
        failed = s.status == "failed"
        return cls(
            s.status,
            code,
            meta_errors.spanish(code, title) if failed else None,
            s.pricing,
        )

    def stored_pricing(self) -> dict[str, Any] | None:
        return self.pricing.model_dump(exclude_none=True) if self.pricing else None


async def receive(w: Work, channel_id: int, s: Status) -> bool:
    """Apply a status webhook; one for a message not known yet is kept for later."""
    message = await w.session.scalar(
        select(Message)
        .where(Message.channel_id == channel_id, Message.wa_message_id == s.id)
        .with_for_update(of=Message)
    )
    update = Update.of(s)
    if message is None:
        w.session.add(
            EarlyStatus(
                channel_id=channel_id,
                wa_message_id=s.id,
                status=update.status,
                error_code=update.error_code,
                error_title=update.error_title,
                pricing=update.stored_pricing(),
            )
        )
        return False
    await apply(w, message, update)
    return True


async def apply(w: Work, message: Message, update: Update) -> None:
    # Pricing is recorded whatever the status's order: `sent` and `delivered` both carry it,
    # and a late `sent` may bring it after `read`. Repeated, it writes the same values.
    _record_pricing(message, update.pricing)
    if not _moves_forward(message.status, update.status):
        return
    message.status = update.status
    if update.status == "failed":
        message.error_code = update.error_code
        message.error_title = update.error_title
    attention = await w.session.get(Attention, message.attention_id)
    if attention is not None:
        notify.message_status(w, attention, message)


def _record_pricing(message: Message, pricing: Pricing | None) -> None:
    if pricing is None or message.direction != "out":
        return
    if pricing.category is not None:
        message.pricing_category = pricing.category[:40]
    if pricing.billable is not None:
        message.pricing_billable = pricing.billable
    if pricing.pricing_model is not None:
        message.pricing_model = pricing.pricing_model[:40]
    if pricing.type is not None:
        message.pricing_type = pricing.type[:40]


def _moves_forward(current: str, new: str) -> bool:
    if new == "failed":
        # Meta can report a failure after `sent`, never after the customer got it.
        return _RANK.get(current, 0) < _RANK["delivered"]
    return new in _RANK and _RANK[new] > _RANK.get(current, 0)


async def apply_early(w: Work, message: Message) -> None:
    """Statuses that waited for this message's wamid, in the order they came."""
    if message.wa_message_id is None:
        return
    early = (
        await w.session.scalars(
            select(EarlyStatus)
            .where(
                EarlyStatus.channel_id == message.channel_id,
                EarlyStatus.wa_message_id == message.wa_message_id,
            )
            .order_by(EarlyStatus.id)
            .with_for_update()
        )
    ).all()
    for row in early:
        pricing = Pricing.model_validate(row.pricing) if row.pricing else None
        await apply(w, message, Update(row.status, row.error_code, row.error_title, pricing))
    if early:
        await w.session.execute(
            delete(EarlyStatus).where(EarlyStatus.id.in_([r.id for r in early]))
        )


async def sweep_early(w: Work, limit: int = 200) -> int:
    """Apply waiting statuses whose message now exists.

    The fast path (`apply_early` when the wamid is recorded) can miss a status whose webhook
    committed at the same moment; this pass, run by every process's loop, catches it.
    """
    ids = (
        await w.session.scalars(
            select(Message.id)
            .join(
                EarlyStatus,
                (EarlyStatus.channel_id == Message.channel_id)
                & (EarlyStatus.wa_message_id == Message.wa_message_id),
            )
            .distinct()
            .limit(limit)
        )
    ).all()
    # Locked and read afresh: a status webhook may be changing the same message right now,
    # and applying over a stale read would undo it.
    rows = [m for i in ids if (m := await locked_message(w, i)) is not None]
    for message in rows:
        await apply_early(w, message)
    return len(rows)


async def locked_message(w: Work, message_id: int) -> Message | None:
    """The message, its row locked and read afresh, for a read-modify-write."""
    return await w.session.scalar(
        select(Message)
        .where(Message.id == message_id)
        .with_for_update(of=Message)
        .execution_options(populate_existing=True)
    )
