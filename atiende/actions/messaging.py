"""An agent's reply: stored with its outbox row in one transaction, sent by the dispatcher."""

from sqlalchemy import select

from atiende.actions import notify
from atiende.actions.access import access_attention
from atiende.actions.work import Work
from atiende.db.models import Message, OutboxItem, User
from atiende.db.types import utcnow
from atiende.domain.errors import DomainError, Invalid
from atiende.domain.states import check_transition
from atiende.domain.window import is_open

MAX_TEXT = 4096  # WhatsApp's limit for a text message body


async def do_send_text(
    w: Work, user: User, attention_id: int, text: str, client_id: str | None
) -> tuple[Message, bool]:
    """The stored message and whether it is new; a repeated `client_id` returns the first."""
    if client_id:
        existing = await w.session.scalar(
            select(Message).where(Message.sender_id == user.id, Message.client_id == client_id)
        )
        if existing is not None:
            await access_attention(w, user, existing.attention_id)
            return existing, False
    attention = await access_attention(w, user, attention_id, write=True)
    check_transition("write", attention.state)
    body = text.strip()
    if not body:
        raise Invalid("empty_text", "El mensaje está vacío.")
    if len(body) > MAX_TEXT:
        raise Invalid("text_too_long", f"El mensaje supera los {MAX_TEXT} caracteres.")
    if not is_open(attention.window_ends_at, utcnow()):
        raise DomainError(
            "window_closed",
            "Pasaron más de 24 horas desde el último mensaje del cliente: "
            "WhatsApp solo permite enviarle una plantilla aprobada.",
        )
    message = Message(
        attention_id=attention.id,
        channel_id=attention.channel_id,
        direction="out",
        type="text",
        text=body,
        status="pending",
        sender_id=user.id,
        client_id=client_id,
    )
    w.session.add(message)
    await w.session.flush()
    w.session.add(OutboxItem(message_id=message.id))
    await w.session.refresh(message)
    w.wake_outbox = True
    await notify.message_created(w, attention, message)
    return message, True
