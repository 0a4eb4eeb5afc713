"""A webhook delivery from Meta: verified and made durable in the request; parsed, ingested
or kept for inspection by a processor after (`apply_batch`)."""

import hmac
import logging
from dataclasses import dataclass, field
from datetime import timedelta

from pydantic import ValidationError
from sqlalchemy import select

from atiende.actions import inbox, ingest
from atiende.actions.channel_signers import ChannelSigners
from atiende.actions.group_commit import InboxWriter
from atiende.actions.work import Work
from atiende.channels.whatsapp.signature import verify
from atiende.channels.whatsapp.webhook import Envelope, Value, parse
from atiende.db.errors import is_transient
from atiende.db.models import Channel, WebhookFailure
from atiende.domain.errors import DomainError

log = logging.getLogger(__name__)

# A delivery that lost a race (a deadlock, a customer created meanwhile) is tried again
# in the batch before it is kept as one that cannot be processed.
_ATTEMPTS = 3


class BadSignature(DomainError):
    status = 401


async def receive(
    signers: ChannelSigners, writer: InboxWriter, body: bytes, signature: str | None
) -> None:
    """A delivery signed by a channel's app secret, committed to the inbox (with the others
    that arrived meanwhile); raises BadSignature, or what the commit raised."""
    if signature is None or not await signers.signed(body, signature):
        raise BadSignature("bad_signature", "Firma X-Hub-Signature-256 inválida.")
    await writer.write(body, signature.strip())


@dataclass
class _Mark:
    """What a delivery's savepoint may add to the unit of work beside rows: taken back if
    the savepoint is rolled back, so no event tells of what was not stored."""

    envelopes: int
    receipts: int
    changed: set[int] = field(default_factory=set)

    @classmethod
    def of(cls, w: Work) -> "_Mark":
        return cls(len(w.envelopes), len(w.receipts), set(w.changed))

    def restore(self, w: Work) -> None:
        del w.envelopes[self.envelopes :]
        del w.receipts[self.receipts :]
        w.changed = self.changed


@dataclass
class _Prepared:
    """A delivery as the batch found it: who signed it and what it says (or why it cannot be
    read)."""

    delivery: inbox.Pending
    signers: list[Channel]
    envelope: Envelope | None = None
    unreadable: str | None = None


def _prepare(channels: list[Channel], delivery: inbox.Pending) -> _Prepared:
    signers = [c for c in channels if verify(delivery.body, c.app_secret, delivery.signature)]
    prepared = _Prepared(delivery, signers)
    if signers:
        try:
            prepared.envelope = parse(delivery.body)
        except (ValidationError, ValueError) as exc:
            prepared.unreadable = str(exc)
    return prepared


def _parts(prepared: _Prepared) -> list[tuple[Channel | None, Value, str]]:
    """Each change of the delivery with the channel it is for (None: no signer has its
    number), and that number."""
    if prepared.envelope is None:
        return []
    by_number = {c.phone_number_id: c for c in prepared.signers}
    return [
        (by_number.get(change.value.metadata.phone_number_id), change.value, number)
        for entry in prepared.envelope.entry
        for change in entry.changes
        for number in [change.value.metadata.phone_number_id]
    ]


async def apply_batch(
    w: Work, batch: list[inbox.Pending], presence_grace: timedelta, *, isolated: bool = False
) -> ingest.IngestResult:
    """Deliveries claimed from the inbox (`inbox.claim`, in this transaction) applied in
    order. The queues are settled once for the batch.

    First all together, on what `ingest.prefetch` read for them; should one fail, the caller
    runs the batch again `isolated`: each delivery in a savepoint, and one that cannot be
    ingested is kept in `webhook_failures` while the others go on."""
    channels = list(await w.session.scalars(select(Channel).order_by(Channel.id)))
    prepared = [_prepare(channels, d) for d in batch]
    lookups = None
    total = ingest.IngestResult()
    if not isolated:
        parts = [(c, v) for p in prepared for c, v, _ in _parts(p) if c is not None]
        lookups = await ingest.prefetch(w, parts)
        await ingest.open_for_new_senders(w, parts, lookups, total)
    for p in prepared:
        if isolated:
            total.add(await _apply_isolated(w, p))
        else:
            total.add(await _ingest(w, p, lookups))
    if lookups is not None:
        await ingest.announce(w, lookups)
    mark = _Mark.of(w)
    try:
        async with w.session.begin_nested():
            await ingest.settle(w, total, presence_grace)
    except Exception:
        # What was stored stays; the routing loop offers and assigns the new attentions.
        log.exception("routing after a webhook batch failed; the routing loop will do it")
        mark.restore(w)
        w.wake_routing = True
    return total


async def _apply_isolated(w: Work, prepared: _Prepared) -> ingest.IngestResult:
    for attempt in range(1, _ATTEMPTS + 1):
        mark = _Mark.of(w)
        try:
            async with w.session.begin_nested():
                return await _ingest(w, prepared, None)
        except Exception as exc:
            mark.restore(w)
            number = prepared.delivery.id
            if attempt < _ATTEMPTS and is_transient(exc):
                log.info("webhook delivery %s conflicted; attempt %s", number, attempt + 1)
                continue
            log.exception("webhook delivery %s could not be ingested; keeping it", number)
            error = f"no se pudo procesar: {type(exc).__name__}: {exc}"
            keep(w, prepared.signers[0].id, prepared.delivery.body, error)
            return ingest.IngestResult(kept=1)
    raise AssertionError("unreachable")


async def _ingest(
    w: Work, prepared: _Prepared, lookups: ingest.Lookups | None
) -> ingest.IngestResult:
    """Everything in the delivery is stored, or none of it (a failure is the caller's).

    What cannot be ingested (a secret no longer any channel's, an unreadable body, a message
    without a sender) is kept in `webhook_failures` alongside the rest.
    """
    result = ingest.IngestResult()
    body = prepared.delivery.body
    if not prepared.signers:
        # The secret that signed it was replaced after its 200: nothing it says is trusted.
        keep(w, None, body, "firmado con un app secret que ya no tiene ningún canal")
        result.kept = 1
        return result
    if prepared.unreadable is not None:
        keep(w, prepared.signers[0].id, body, f"cuerpo ilegible: {prepared.unreadable}")
        result.kept = 1
        return result
    for channel, value, number in _parts(prepared):
        if channel is None:
            keep(
                w,
                prepared.signers[0].id,
                body,
                f"phone_number_id sin canal con ese app secret: {number}",
            )
            result.kept = 1
            continue
        part = ingest.IngestResult()
        await ingest.ingest_value(w, channel, value, part, lookups)
        if part.skipped:
            keep(w, channel.id, body, "; ".join(part.skipped))
            part.kept = 1
        result.add(part)
    result.kept = min(result.kept, 1)
    return result


def keep(w: Work, channel_id: int | None, body: bytes, error: str) -> None:
    log.warning("webhook kept for inspection: %s", error)
    w.session.add(WebhookFailure(channel_id=channel_id, body=body, error=error[:2000]))


async def verify_token_matches(w: Work, token: str) -> bool:
    # Stored encrypted and non-deterministically: no WHERE can find it, every channel's is
    # decrypted and compared in constant time.
    given = token.encode()
    stored = await w.session.scalars(select(Channel.verify_token))
    return any(hmac.compare_digest(given, s.encode()) for s in stored)


async def recent_failures(w: Work, limit: int) -> list[WebhookFailure]:
    """The deliveries kept for inspection, newest first."""
    rows = await w.session.scalars(
        select(WebhookFailure).order_by(WebhookFailure.id.desc()).limit(limit)
    )
    return list(rows)
