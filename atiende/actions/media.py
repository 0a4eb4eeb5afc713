"""Inbound media: downloaded by a worker into the media store, then shown to the agent."""

import hashlib
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select

from atiende.actions import leases, notify, statuses
from atiende.actions.channel_settings import graph_target
from atiende.actions.work import Work
from atiende.channels.whatsapp.graph import GraphError, GraphTarget
from atiende.db.models import Attention, MediaDownload, Message
from atiende.db.types import utcnow

LEASE = timedelta(seconds=120)
MAX_ATTEMPTS = 6


@dataclass(frozen=True)
class Fetch:
    download_id: int
    message_id: int
    media_id: str
    target: GraphTarget
    sha256: str | None


def queue(w: Work, message_id: int) -> None:
    """Called at ingest for a media message; the URL expires in minutes, so it goes now."""
    w.session.add(MediaDownload(message_id=message_id))
    w.wake_media = True


def store_key(message_id: int) -> str:
    return f"message/{message_id}"


def media_path(message_id: int) -> str:
    return f"/api/messages/{message_id}/media"


async def claim(w: Work, limit: int = 5) -> list[Fetch]:
    ids = await leases.claim_due(w, MediaDownload, LEASE, limit)
    if not ids:
        return []
    rows = await w.session.execute(
        select(MediaDownload.id, Message, Attention)
        .join(Message, Message.id == MediaDownload.message_id)
        .join(Attention, Attention.id == Message.attention_id)
        .where(MediaDownload.id.in_(ids))
    )
    fetches = []
    for download_id, message, attention in rows:
        channel = attention.channel
        content = message.content or {}
        fetches.append(
            Fetch(
                download_id,
                message.id,
                str(content.get("media_id")),
                graph_target(channel),
                content.get("sha256"),
            )
        )
    return fetches


def check(fetch: Fetch, data: bytes, sha256: str | None) -> None:
    """The bytes are the ones Meta described, or the download failed."""
    expected = fetch.sha256 or sha256
    if expected and len(expected) == 64 and hashlib.sha256(data).hexdigest() != expected.lower():
        raise GraphError(200, None, "el archivo no coincide con su SHA-256", True)


async def record_done(w: Work, fetch: Fetch, size: int, mime: str | None) -> None:
    message = await statuses.locked_message(w, fetch.message_id)
    download = await w.session.get(MediaDownload, fetch.download_id)
    if message is None or download is None:
        return
    download.state, download.lease_until, download.last_error = "done", None, None
    content = dict(message.content or {})
    content.update(url=media_path(message.id), size=size)
    if mime and not content.get("mime_type"):
        content["mime_type"] = mime
    message.content = content
    await _tell(w, message)


async def record_failure(w: Work, fetch: Fetch, error: GraphError) -> None:
    download = await w.session.get(MediaDownload, fetch.download_id)
    message = await statuses.locked_message(w, fetch.message_id)
    if download is None or message is None:
        return
    download.lease_until = None
    download.last_error = str(error)[:2000]
    if error.retryable and download.attempts < MAX_ATTEMPTS:
        # Quick retries: Meta's URL lives five minutes; past that a new GET /{media-id} helps.
        download.next_attempt_at = utcnow() + timedelta(seconds=min(2**download.attempts, 30))
        return
    download.state = "failed"
    message.content = {**(message.content or {}), "error": error.title}
    await _tell(w, message)


async def _tell(w: Work, message: Message) -> None:
    await w.session.flush()
    attention = await w.session.get(Attention, message.attention_id)
    if attention is not None:
        await notify.message_updated(w, attention, message)
