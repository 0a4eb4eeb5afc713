"""Opening, reading and ending an attention (SPEC §3.5–3.6)."""

from datetime import timedelta

from sqlalchemy import select, update

from atiende.actions import attended, forms, notify, receipts, routing, slots, versions
from atiende.actions.access import access_attention
from atiende.actions.timeline import record
from atiende.actions.work import Work
from atiende.db.models import Attention, AttentionEvent, CampaignMember, User
from atiende.db.types import utcnow
from atiende.domain.errors import DomainError, NotFound
from atiende.domain.states import State, check_transition


async def do_open(w: Work, user: User, attention_id: int) -> Attention:
    offered = await _offered_to(w, user, attention_id)
    if offered is not None:
        return await _take_offer(w, user, offered)
    try:
        attention = await access_attention(w, user, attention_id, write=True)
    except NotFound:
        if await _offer_taken_by_another(w, user, attention_id):
            raise DomainError("already_taken", "Otro agente ya tomó esta atención.") from None
        raise
    check_transition("open", attention.state)
    attention.state = State.OPEN
    attention.opened_at = utcnow()
    attention.reassign_at = None
    attention.unread = 0
    versions.bump(attention)
    record(w, attention, "opened", actor_id=user.id)
    notify.attention_changed(w, attention)
    await receipts.queue_read(w, attention)
    return attention


async def _offered_to(w: Work, user: User, attention_id: int) -> Attention | None:
    """The attention, if it is an offer this agent may take (member of its campaign)."""
    if user.role != "agent":
        return None
    found = await w.session.execute(
        select(Attention.id)
        .join(CampaignMember, CampaignMember.campaign_id == Attention.campaign_id)
        .where(
            Attention.id == attention_id,
            Attention.offered.is_(True),
            CampaignMember.user_id == user.id,
        )
    )
    if found.first() is None:
        return None
    return await w.session.get(Attention, attention_id)


async def _offer_taken_by_another(w: Work, user: User, attention_id: int) -> bool:
    """It was offered in his campaign and someone else was first: say so, not "not found"."""
    found = await w.session.execute(
        select(AttentionEvent.id)
        .join(Attention, Attention.id == AttentionEvent.attention_id)
        .join(CampaignMember, CampaignMember.campaign_id == AttentionEvent.campaign_id)
        .where(
            AttentionEvent.attention_id == attention_id,
            AttentionEvent.kind == "assigned",
            AttentionEvent.data["offer"].as_boolean().is_(True),
            CampaignMember.user_id == user.id,
            Attention.agent_id != user.id,
        )
        .limit(1)
    )
    return found.first() is not None


async def _take_offer(w: Work, user: User, attention: Attention) -> Attention:
    """The first to open an offer takes it; the conditional update decides who is first."""
    now = utcnow()
    # The attention's row before the agent's, as everywhere (see `slots.lock_users`).
    won = await w.session.execute(
        update(Attention)
        .where(
            Attention.id == attention.id,
            Attention.state == State.QUEUED,
            Attention.offered.is_(True),
        )
        .values(
            state="open",
            agent_id=user.id,
            assigned_at=now,
            opened_at=now,
            offered=False,
            overflow_at=None,
            unread=0,
            version=Attention.version + 1,
        )
        .execution_options(synchronize_session=False)
    )
    if won.rowcount != 1:  # type: ignore[attr-defined]
        raise DomainError("already_taken", "Otro agente ya tomó esta atención.")
    if not await slots.take_slot(w, user.id, attention.campaign_id, now):
        raise DomainError("no_room", "No tiene cupo o no está disponible para tomarla.")
    await w.session.refresh(attention)
    record(w, attention, "assigned", agent_id=user.id, data={"offer": True})
    record(w, attention, "opened", actor_id=user.id)
    notify.attention_changed(w, attention)
    await receipts.queue_read(w, attention)
    await notify.offer_withdrawn(w, attention, attention.campaign_id, keep=user.id)
    await notify.queues_changed(w, [attention.campaign_id])
    return attention


async def do_mark_seen(w: Work, user: User, attention_id: int) -> Attention:
    """The agent has read everything so far: the unread badge goes back to zero."""
    attention = await access_attention(w, user, attention_id, write=True)
    if attention.unread:
        attention.unread = 0
        versions.bump(attention)
        notify.attention_changed(w, attention)
    return attention


async def do_end(w: Work, user: User, attention_id: int, grace: timedelta) -> Attention:
    attention = await access_attention(w, user, attention_id, write=True)
    check_transition("end", attention.state)
    await forms.submit_for_end(w, user, attention)
    agent_id = attention.agent_id
    await attended.note_left(w, attention, agent_id, utcnow())
    attention.state = State.CLOSED
    attention.closed_at = utcnow()
    attention.closed_by_id = user.id
    attention.orphan_at = None
    versions.bump(attention)
    record(w, attention, "closed", actor_id=user.id)
    notify.attention_changed(w, attention)
    if agent_id is not None:
        await slots.release_slot(w, agent_id)
        # The freed slot is offered to whatever waits in the agent's campaigns, now.
        await routing.route_for(w, agent_id, grace)
    return attention
