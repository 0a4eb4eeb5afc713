"""System notices about a customer: he changed his number or his BSUID. The same customer
record follows him (the identifier is taken from whoever held it before), and the notice is
shown in his latest attention."""

import logging
from typing import Any

from sqlalchemy import or_, select

from atiende.actions import notify
from atiende.actions.message_changes import latest_attention
from atiende.actions.work import Work
from atiende.channels.whatsapp import webhook
from atiende.channels.whatsapp.content import Content
from atiende.channels.whatsapp.webhook import InboundMessage
from atiende.db.models import Channel, Customer, Message
from atiende.db.types import utcnow

log = logging.getLogger(__name__)


async def apply_notice(
    w: Work, channel: Channel, m: InboundMessage, said: Content, payload: dict[str, Any]
) -> None:
    """The customer changed number or BSUID: the same customer record follows him."""
    body = said.system
    known = [
        v
        for v in (
            m.from_user_id,
            m.from_,
            _s(body.get("customer")),
            _s(body.get("previous_user_id")),
        )
        if v
    ]
    customer = (
        await w.session.scalar(
            select(Customer)
            .where(
                Customer.portfolio_id == channel.portfolio_id,
                or_(Customer.bsuid.in_(known), Customer.phone.in_(known)),
            )
            .limit(1)
        )
        if known
        else None
    )
    if customer is None:
        log.warning("system notice about an unknown customer: %s", body.get("type"))
        return
    new_phone = _s(body.get("wa_id")) or _s(body.get("new_wa_id"))
    new_bsuid = _s(body.get("user_id")) or _s(body.get("new_user_id"))
    kind = body.get("type")
    if kind == "user_changed_number" and new_phone:
        await _take_from_previous_holder(
            w, channel.portfolio_id, Customer.phone, new_phone, customer.id
        )
        customer.phone = new_phone
    if kind == "user_changed_user_id" and not new_bsuid and m.from_user_id != customer.bsuid:
        new_bsuid = m.from_user_id
    # A new number regenerates the BSUID too (Meta reports both since Aug 2026): without it the
    # customer's next message, by the new BSUID, would open a second customer and attention.
    if kind in ("user_changed_number", "user_changed_user_id") and new_bsuid:
        await _take_from_previous_holder(
            w, channel.portfolio_id, Customer.bsuid, new_bsuid, customer.id
        )
        customer.bsuid = new_bsuid
    attention = await latest_attention(w, channel, customer.id)
    if attention is None:
        return
    message = Message(
        attention_id=attention.id,
        channel_id=channel.id,
        direction="in",
        wa_message_id=m.id,
        type="system",
        text=said.text,
        content=said.content,
        status="received",
        payload=payload,
        sent_at=webhook.sent_at(m.timestamp) or utcnow(),
    )
    w.session.add(message)
    await w.session.flush()
    await notify.message_created(w, attention, message)


async def _take_from_previous_holder(
    w: Work, portfolio: str, column: Any, value: str, keep: int
) -> None:
    """An identifier moving to this customer is taken from whoever held it before."""
    holder = await w.session.scalar(
        select(Customer).where(
            Customer.portfolio_id == portfolio, column == value, Customer.id != keep
        )
    )
    if holder is not None:
        setattr(holder, column.key, None)
        await w.session.flush()


def _s(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None
