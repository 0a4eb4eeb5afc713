"""A webhook delivery from Meta: verified, parsed, ingested, or kept for inspection."""

import hmac
import logging
from datetime import timedelta

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.exc import DBAPIError

from atiende.actions import ingest
from atiende.actions.channel_settings import channels_signed_by
from atiende.actions.work import Work, WorkFactory
from atiende.channels.whatsapp.webhook import parse
from atiende.db.errors import is_transient
from atiende.db.models import Channel, WebhookFailure
from atiende.domain.errors import DomainError

log = logging.getLogger(__name__)

# Two deliveries about one new customer may race to create him; the loser tries again
# and then finds what the winner stored.
_ATTEMPTS = 3


class BadSignature(DomainError):
    status = 401


async def deliver(
    work: WorkFactory, body: bytes, signature: str | None, presence_grace: timedelta
) -> ingest.IngestResult:
    """A signed delivery stored or, when it cannot be ingested for any reason, kept.

    A bad signature is raised; anything else that fails is kept in a transaction of its own,
    and only when even that fails does the caller see the error.
    """
    try:
        return await _receive(work, body, signature, presence_grace)
    except BadSignature:
        raise
    except Exception as exc:
        log.exception("webhook delivery could not be ingested; keeping it")
        async with work() as w:
            await do_keep(w, body, signature, f"no se pudo procesar: {type(exc).__name__}: {exc}")
        return ingest.IngestResult(kept=True)


async def _receive(
    work: WorkFactory, body: bytes, signature: str | None, presence_grace: timedelta
) -> ingest.IngestResult:
    """One transaction, tried again when it lost a race; a failed try leaves nothing behind."""
    for attempt in range(1, _ATTEMPTS + 1):
        try:
            async with work() as w:
                return await do_receive(w, body, signature, presence_grace)
        except DBAPIError as exc:
            if attempt == _ATTEMPTS or not is_transient(exc):
                raise
            log.info("webhook transaction conflicted; attempt %s again", attempt + 1)
    raise AssertionError("unreachable")


async def do_receive(
    w: Work, body: bytes, signature: str | None, presence_grace: timedelta
) -> ingest.IngestResult:
    """Everything in the delivery is stored, or none of it (the caller's transaction).

    What cannot be ingested (an unreadable body, a message without a sender) is kept in
    `webhook_failures` alongside the rest.
    """
    signers = await _signers(w, body, signature)
    try:
        envelope = parse(body)
    except (ValidationError, ValueError) as exc:
        keep(w, signers[0].id, body, f"cuerpo ilegible: {exc}")
        return ingest.IngestResult(kept=True)
    by_number = {c.phone_number_id: c for c in signers}
    total = ingest.IngestResult()
    for entry in envelope.entry:
        for change in entry.changes:
            channel = by_number.get(change.value.metadata.phone_number_id)
            if channel is None:
                keep(
                    w,
                    signers[0].id,
                    body,
                    "phone_number_id sin canal con ese app secret: "
                    f"{change.value.metadata.phone_number_id}",
                )
                total.kept = True
                continue
            result = await ingest.ingest_value(w, channel, change.value, presence_grace)
            if result.skipped:
                keep(w, channel.id, body, "; ".join(result.skipped))
                total.kept = True
            total.stored += result.stored
            total.duplicates += result.duplicates
            total.statuses += result.statuses
            total.early_statuses += result.early_statuses
    return total


async def do_keep(w: Work, body: bytes, signature: str | None, error: str) -> None:
    """A delivery that failed to be received, kept in a transaction of its own.

    The signature is checked again: only what Meta signed is worth a row.
    """
    signers = await _signers(w, body, signature)
    keep(w, signers[0].id, body, error)


async def _signers(w: Work, body: bytes, signature: str | None) -> list[Channel]:
    signers = await channels_signed_by(w, body, signature)
    if not signers:
        raise BadSignature("bad_signature", "Firma X-Hub-Signature-256 inválida.")
    return signers


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
