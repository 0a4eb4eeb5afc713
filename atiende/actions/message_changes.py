"""Inbound messages that change an earlier message: a reaction, an edit, a deletion. Each is
stored once, by its wamid (hidden), and the message it changes is updated where it is shown."""

import logging
from typing import Any

from sqlalchemy import select

from atiende.actions import notify
from atiende.actions.work import Work
from atiende.channels.whatsapp.content import Content
from atiende.channels.whatsapp.webhook import InboundMessage
from atiende.db.models import Attention, Channel, Message
from atiende.db.types import utcnow

log = logging.getLogger(__name__)


async def apply(
    w: Work,
    channel: Channel,
    customer_id: int,
    m: InboundMessage,
    said: Content,
    payload: dict[str, Any],
) -> None:
    target = await w.session.scalar(
        select(Message)
        .where(Message.channel_id == channel.id, Message.wa_message_id == said.target_wamid)
        .with_for_update(of=Message)
    )
    attention = await _home(w, channel, customer_id, target)
    if attention is None:
        log.warning("%s of an unknown message from a customer with no attention", said.type)
        return
    w.session.add(
        Message(
            attention_id=attention.id,
            channel_id=channel.id,
            direction="in",
            wa_message_id=m.id,
            type=said.type,
            text=said.text,
            content=said.content,
            status="received",
            payload=payload,
            hidden=True,
        )
    )
    if target is None:
        return
    now = utcnow()
    if said.reaction is not None:
        others = [r for r in (target.reactions or []) if r.get("by") != "customer"]
        target.reactions = others + (
            [{"emoji": said.reaction, "by": "customer"}] if said.reaction else []
        )
    elif said.edit is not None:
        if target.previous_text is None:
            target.previous_text = target.text
        target.text = said.edit.text
        if target.type == "text":
            target.content = {"body": said.edit.text}
        elif target.content is not None:
            target.content = {**target.content, "caption": said.edit.text}
        target.edited_at = now
    elif said.revoke:
        target.deleted_at = now
    await w.session.flush()
    target_attention = await w.session.get(Attention, target.attention_id)
    if target_attention is not None:
        await notify.message_updated(w, target_attention, target)


async def _home(
    w: Work, channel: Channel, customer_id: int, target: Message | None
) -> Attention | None:
    """Where the change is filed: with its message, else the customer's latest attention."""
    if target is not None:
        return await w.session.get(Attention, target.attention_id)
    return await latest_attention(w, channel, customer_id)


async def latest_attention(w: Work, channel: Channel, customer_id: int) -> Attention | None:
    """The customer's most recent attention on this channel, whatever its state."""
    return await w.session.scalar(
        select(Attention)
        .where(Attention.channel_id == channel.id, Attention.customer_id == customer_id)
        .order_by(Attention.id.desc())
        .limit(1)
    )
