"""Claiming due outbox rows and recording what the Graph API answered.

A claim is a lease (`lease_until`), committed before the HTTP call: a process that dies
mid-send leaves a lease that runs out, and another process picks the row up.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update

from atiende.actions import leases, notify, statuses
from atiende.actions.channel_settings import graph_target
from atiende.actions.work import Work
from atiende.channels.whatsapp.graph import (
    GraphError,
    GraphTarget,
    media_payload,
    template_payload,
    text_payload,
)
from atiende.db.models import Attention, Message, OutboxItem
from atiende.db.types import utcnow
from atiende.domain import meta_errors

LEASE = timedelta(seconds=60)
MEDIA_KINDS = ("image", "video", "audio", "document", "sticker")


@dataclass(frozen=True)
class Upload:
    """A file to upload to Meta first; the payload then names it by the id Meta gives."""

    kind: str
    mime: str
    filename: str
    caption: str | None


@dataclass(frozen=True)
class Job:
    outbox_id: int
    message_id: int
    customer_id: int
    target: GraphTarget
    payload: dict[str, object]
    upload: Upload | None = None
    phone: str | None = None
    bsuid: str | None = None

    def with_media(self, media_id: str) -> dict[str, object]:
        assert self.upload is not None
        return media_payload(
            phone=self.phone,
            bsuid=self.bsuid,
            kind=self.upload.kind,
            media_id=media_id,
            caption=self.upload.caption,
            filename=self.upload.filename,
        )


async def claim(w: Work, limit: int = 20) -> list[Job]:
    ids = await leases.claim_due(w, OutboxItem, LEASE, limit)
    if not ids:
        return []
    rows = await w.session.execute(
        select(OutboxItem.id, Message, Attention)
        .join(Message, Message.id == OutboxItem.message_id)
        .join(Attention, Attention.id == Message.attention_id)
        .where(OutboxItem.id.in_(ids))
        .order_by(OutboxItem.id)
    )
    return [_job(outbox_id, message, attention) for outbox_id, message, attention in rows]


def _job(outbox_id: int, message: Message, attention: Attention) -> Job:
    channel, customer = attention.channel, attention.customer
    target = graph_target(channel)
    if message.type in MEDIA_KINDS and message.content:
        upload = Upload(
            message.type,
            str(message.content.get("mime_type")),
            str(message.content.get("filename") or f"archivo-{message.id}"),
            message.content.get("caption"),
        )
        return Job(
            outbox_id, message.id, customer.id, target, {}, upload, customer.phone, customer.bsuid
        )
    if message.type == "template" and message.content:
        payload = template_payload(
            phone=customer.phone,
            bsuid=customer.bsuid,
            name=message.content["name"],
            language=message.content["language"],
            params=list(message.content["params"]),
        )
    else:
        payload = text_payload(phone=customer.phone, bsuid=customer.bsuid, body=message.text or "")
    return Job(outbox_id, message.id, customer.id, target, payload)


async def record_sent(w: Work, job: Job, wamid: str) -> None:
    now = utcnow()
    await w.session.execute(
        update(OutboxItem)
        .where(OutboxItem.id == job.outbox_id)
        .values(state="done", lease_until=None, last_error=None)
        .execution_options(synchronize_session=False)
    )
    message = await w.session.get(Message, job.message_id)
    if message is not None:
        message.wa_message_id = wamid
        message.sent_at = now
        await w.session.flush()
        await statuses.apply_early(w, message)


async def record_failure(
    w: Work, job: Job, error: GraphError, max_attempts: int, now: datetime | None = None
) -> None:
    item = await w.session.get(OutboxItem, job.outbox_id)
    if item is None:
        return
    now = now or utcnow()
    item.last_error = str(error)[:2000]
    item.lease_until = None
    if error.retryable and item.attempts < max_attempts:
        item.next_attempt_at = now + backoff(item.attempts)
        return
    item.state = "failed"
    message = await statuses.locked_message(w, job.message_id)
    if message is None:
        return
    message.status = "failed"
    message.error_code = error.code
    message.error_title = meta_errors.spanish(error.code, error.title)
    attention = await w.session.get(Attention, message.attention_id)
    if attention is not None:
        notify.message_status(w, attention, message)


async def release(w: Work, job: Job) -> None:
    """Give a claimed row back untried (an earlier message to the same customer must go first)."""
    await w.session.execute(
        update(OutboxItem)
        .where(OutboxItem.id == job.outbox_id)
        .values(lease_until=None, attempts=OutboxItem.attempts - 1)
        .execution_options(synchronize_session=False)
    )


def backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(2 ** max(attempts - 1, 0), 60))
