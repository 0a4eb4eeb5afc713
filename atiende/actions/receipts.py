"""Telling the customer his messages were read, and that the agent is typing.

Best effort after the commit: a receipt that fails is logged, never retried, never blocks
the agent. Typing is sent at most once per 20 s per attention, whichever process the agent's
requests reach.
"""

import logging

import httpx
from sqlalchemy import select

from atiende.actions.access import access_attention
from atiende.actions.channel_settings import graph_target
from atiende.actions.work import Work, WorkFactory
from atiende.channels.whatsapp import graph
from atiende.channels.whatsapp.throttle import Once
from atiende.db.models import Attention, Channel, Message, User
from atiende.domain.states import check_transition

log = logging.getLogger(__name__)
TYPING_EVERY_SECONDS = 20.0


async def last_inbound_wamid(w: Work, attention_id: int) -> str | None:
    return await w.session.scalar(
        select(Message.wa_message_id)
        .where(
            Message.attention_id == attention_id,
            Message.direction == "in",
            Message.wa_message_id.is_not(None),
            Message.type != "system",
        )
        .order_by(Message.id.desc())
        .limit(1)
    )


async def queue_read(w: Work, attention: Attention, *, typing: bool = False) -> None:
    wamid = await last_inbound_wamid(w, attention.id)
    if wamid is not None:
        w.receipts.append((attention.channel_id, wamid, typing))


async def do_typing(w: Work, user: User, attention_id: int, once: Once) -> bool:
    """True when a typing indicator goes out now; False when one went out recently."""
    attention = await access_attention(w, user, attention_id, write=True)
    check_transition("write", attention.state)
    if not await once.first(f"typing:{attention.id}", TYPING_EVERY_SECONDS):
        return False
    await queue_read(w, attention, typing=True)
    return True


async def send(
    work: WorkFactory, http: httpx.AsyncClient, receipts: list[tuple[int, str, bool]]
) -> None:
    """The channels are read in a short transaction of their own; the calls to Meta go out
    after it, so no database connection waits on the network."""
    async with work() as w:
        planned = await _targets(w, receipts)
    for target, wamid, typing in planned:
        try:
            await graph.mark_read(http, target, wamid, typing=typing)
        except graph.GraphError as error:
            log.info("read receipt for %s not sent: %s", wamid, error)


async def _targets(
    w: Work, receipts: list[tuple[int, str, bool]]
) -> list[tuple[graph.GraphTarget, str, bool]]:
    planned = []
    for channel_id, wamid, typing in receipts:
        channel = await w.session.get(Channel, channel_id)
        if channel is not None:
            planned.append((graph_target(channel), wamid, typing))
    return planned
