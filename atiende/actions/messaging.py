"""An agent's reply: stored with its outbox row in one transaction, sent by the dispatcher."""

import asyncio
from collections.abc import Callable
from typing import Any

from sqlalchemy import select

from atiende.actions import last_message, media, notify, versions
from atiende.actions.access import access_attention
from atiende.actions.work import Work
from atiende.db.models import Attention, Message, OutboxItem, User
from atiende.db.types import utcnow
from atiende.domain import media_convert, media_limits
from atiende.domain.errors import DomainError, Invalid
from atiende.domain.kinds import Direction
from atiende.domain.served_media import safe_filename
from atiende.domain.states import check_transition
from atiende.domain.window import is_open
from atiende.media_store import MediaStore

MAX_TEXT = 4096  # WhatsApp's limit for a text message body


async def _writable(w: Work, user: User, attention_id: int) -> Attention:
    attention = await access_attention(w, user, attention_id, write=True)
    check_transition("write", attention.state)
    if not is_open(attention.window_ends_at, utcnow()):
        raise DomainError(
            "window_closed",
            "Pasaron más de 24 horas desde el último mensaje del cliente: "
            "WhatsApp solo permite enviarle una plantilla aprobada.",
        )
    return attention


async def repeated(w: Work, user: User, client_id: str | None) -> Message | None:
    """The message this agent already sent with this `client_id` (a retried request), checked
    against his access to its attention like a new one would be."""
    if not client_id:
        return None
    existing = await w.session.scalar(
        select(Message).where(Message.sender_id == user.id, Message.client_id == client_id)
    )
    if existing is not None:
        await access_attention(w, user, existing.attention_id)
    return existing


async def prepare_file(data: bytes) -> media_convert.Prepared:
    """The agent's file checked by its bytes against WhatsApp's rules, converted when only its
    codec or container is wrong. CPU work, so off the event loop and outside any
    transaction; bounded by `media_convert`'s limits."""
    try:
        return await asyncio.to_thread(media_convert.prepare, data)
    except media_limits.Refused as refused:
        raise Invalid(
            "file_refused", str(refused), params={"reason": refused.reason, **refused.params}
        ) from None


async def do_send_file(
    w: Work,
    user: User,
    attention_id: int,
    file: media_convert.Prepared,
    filename: str,
    caption: str | None,
    client_id: str | None,
    store: MediaStore,
) -> tuple[Message, bool]:
    """A file from the agent, as `prepare_file` made it: stored, sent by the dispatcher
    (uploaded to Meta first). A converted file's name gets its new extension."""
    existing = await repeated(w, user, client_id)
    if existing is not None:
        return existing, False
    attention = await _writable(w, user, attention_id)
    found, data = file.found, file.data
    caption = (caption or "").strip()[:1024] or None
    name = safe_filename(filename, found.extension)
    content = {
        "mime_type": found.mime,
        "filename": name,
        "caption": caption,
        "size": len(data),
        "url": None,
    }

    def keep_bytes(message: Message) -> None:
        message.content = {**(message.content or {}), "url": media.media_path(message.id)}
        store.put(media.store_key(message.id), data)

    message = await enqueue(
        w, attention, user, found.kind, caption, client_id, content, before_outbox=keep_bytes
    )
    return message, True


async def do_send_text(
    w: Work, user: User, attention_id: int, text: str, client_id: str | None
) -> tuple[Message, bool]:
    """The stored message and whether it is new; a repeated `client_id` returns the first."""
    existing = await repeated(w, user, client_id)
    if existing is not None:
        return existing, False
    attention = await _writable(w, user, attention_id)
    body = text.strip()
    if not body:
        raise Invalid("empty_text", "El mensaje está vacío.")
    if len(body) > MAX_TEXT:
        raise Invalid(
            "text_too_long",
            f"El mensaje supera los {MAX_TEXT} caracteres.",
            params={"max": MAX_TEXT},
        )
    return await enqueue(w, attention, user, "text", body, client_id), True


async def enqueue(
    w: Work,
    attention: Attention,
    user: User,
    message_type: str,
    text: str | None,
    client_id: str | None,
    content: dict[str, Any] | None = None,
    *,
    before_outbox: Callable[[Message], None] | None = None,
) -> Message:
    """The one way an agent's message is written: the message, its outbox row for the
    dispatcher, the dispatcher woken after commit, the agent told.

    The caller has checked access and content; `before_outbox` sees the message once it
    has an id (a file's URL and bytes are keyed by it)."""
    message = Message(
        attention_id=attention.id,
        channel_id=attention.channel_id,
        direction="out",
        type=message_type,
        text=text,
        status="pending",
        sender_id=user.id,
        client_id=client_id,
    )
    if content is not None:
        # Set only when given: an explicit None would be stored as JSON null, not SQL NULL.
        message.content = content
    w.session.add(message)
    await w.session.flush()
    if before_outbox is not None:
        before_outbox(message)
    w.session.add(OutboxItem(message_id=message.id))
    await w.session.flush()
    await w.session.refresh(message)
    last_message.note(attention, Direction.OUT, message_type, text, message.created_at)
    # The lists show the answer and stop counting the customer's wait: his tabs hear it.
    versions.bump(attention)
    w.wake_outbox = True
    await notify.message_created(w, attention, message)
    notify.attention_changed(w, attention)
    return message
