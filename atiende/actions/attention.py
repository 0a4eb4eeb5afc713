"""Opening and ending an attention (SPEC §3.5–3.6)."""

from datetime import timedelta

from atiende.actions import notify, presence, routing
from atiende.actions.access import access_attention
from atiende.actions.timeline import record
from atiende.actions.work import Work
from atiende.db.models import Attention, User
from atiende.db.types import utcnow
from atiende.domain.states import check_transition


async def do_open(w: Work, user: User, attention_id: int) -> Attention:
    attention = await access_attention(w, user, attention_id, write=True)
    check_transition("open", attention.state)
    attention.state = "open"
    attention.opened_at = utcnow()
    attention.unread = 0
    notify.bump(attention)
    record(w, attention, "opened", actor_id=user.id)
    notify.attention_changed(w, attention)
    return attention


async def do_mark_seen(w: Work, user: User, attention_id: int) -> Attention:
    """The agent has read everything so far: the unread badge goes back to zero."""
    attention = await access_attention(w, user, attention_id, write=True)
    if attention.unread:
        attention.unread = 0
        notify.bump(attention)
        notify.attention_changed(w, attention)
    return attention


async def do_end(w: Work, user: User, attention_id: int, presence_grace: timedelta) -> Attention:
    attention = await access_attention(w, user, attention_id, write=True)
    check_transition("end", attention.state)
    agent_id = attention.agent_id
    attention.state = "closed"
    attention.closed_at = utcnow()
    attention.closed_by_id = user.id
    notify.bump(attention)
    record(w, attention, "closed", actor_id=user.id)
    notify.attention_changed(w, attention)
    if agent_id is not None:
        await routing.release_slot(w, agent_id)
        # The freed slot is offered to whatever waits in the agent's campaigns, now.
        await presence.route_for(w, agent_id, presence_grace)
    return attention
