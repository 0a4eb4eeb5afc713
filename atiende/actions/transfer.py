"""Transfers (by the agent, SPEC §3.7) and moves (by a supervisor): each is a record, starts
a new segment, and leaves the attention in the destination's hands or queue."""

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select

from atiende.actions import attended, audit_log, campaign_admin, notify, routing, slots
from atiende.actions.access import access_attention, is_staff
from atiende.actions.timeline import record
from atiende.actions.work import Work
from atiende.db.models import Attention, CampaignMember, Transfer, User
from atiende.db.types import utcnow
from atiende.domain.errors import DomainError, Forbidden, Invalid
from atiende.domain.states import State, check_transition

MAX_NOTE = 1000


@dataclass(frozen=True)
class Target:
    campaign_id: int
    agent_id: int | None
    note: str | None


async def do_transfer(
    w: Work, user: User, attention_id: int, target: Target, grace: timedelta
) -> Attention:
    attention = await access_attention(w, user, attention_id, write=True)
    check_transition("transfer", attention.state)
    if not await _is_member(w, user.id, target.campaign_id):
        raise Forbidden("not_your_campaign", "Solo puede transferir a una de sus campañas.")
    if target.agent_id == user.id:
        raise Invalid("transfer_to_self", "La atención ya es suya.")
    return await _hand_over(w, user, attention, target, "transfer", grace)


async def do_move(
    w: Work, user: User, attention_id: int, target: Target, grace: timedelta
) -> Attention:
    """A supervisor moves any attention that is not closed, with a reason (SPEC §6)."""
    if not is_staff(user):
        raise Forbidden("forbidden_role", "No tiene permiso para esta acción.")
    if not (target.note or "").strip():
        raise Invalid("reason_required", "Indique el motivo.")
    attention = await access_attention(w, user, attention_id)
    attention = (
        await w.session.scalar(
            select(Attention).where(Attention.id == attention.id).with_for_update(of=Attention)
        )
        or attention
    )
    if attention.state == State.CLOSED:
        raise DomainError("invalid_state_for_move", "La atención ya terminó.")
    names = await _names(w, [a for a in (attention.agent_id, target.agent_id) if a is not None])
    before = {"campaign": attention.campaign.name, "agent": names.get(attention.agent_id or 0)}
    moved = await _hand_over(w, user, attention, target, "move", grace)
    after = {
        "campaign": moved.campaign.name,
        "agent": names.get(target.agent_id or 0),
        "reason": (target.note or "").strip()[:MAX_NOTE],
    }
    audit_log.record(w, user.id, "attention", moved.id, "moved", before, after)
    return moved


async def _hand_over(
    w: Work, user: User, attention: Attention, target: Target, kind: str, grace: timedelta
) -> Attention:
    campaign = await campaign_admin.enterable(w, target.campaign_id)
    note = (target.note or "").strip()[:MAX_NOTE] or None
    if target.agent_id is not None and not await _is_member(w, target.agent_id, campaign.id):
        raise Invalid("agent_not_in_campaign", "Ese agente no pertenece a la campaña elegida.")
    now = utcnow()
    from_campaign, from_agent = attention.campaign_id, attention.agent_id
    from_campaign_name = attention.campaign.name
    names = await _names(w, [a for a in (from_agent, target.agent_id) if a is not None])
    was_offered = attention.offered
    await slots.lock_users(w, [a for a in (from_agent, target.agent_id) if a is not None])
    if from_agent is not None:
        await attended.note_left(w, attention, from_agent, now)
        await slots.release_slot(w, from_agent)
    attention.transfer_count += 1
    w.session.add(
        Transfer(
            attention_id=attention.id,
            sequence=attention.transfer_count,
            kind=kind,
            from_campaign_id=from_campaign,
            from_agent_id=from_agent,
            to_campaign_id=campaign.id,
            to_agent_id=target.agent_id,
            by_id=user.id,
            note=note,
        )
    )
    record(
        w,
        attention,
        "transferred",
        actor_id=user.id,
        agent_id=from_agent,
        data={
            "kind": kind,
            "sequence": attention.transfer_count,
            "from_campaign_id": from_campaign,
            "from_agent_id": from_agent,
            "to_campaign_id": campaign.id,
            "to_agent_id": target.agent_id,
            "note": note,
            # Names as they were then, so the timeline reads right after renames too.
            "from_campaign": from_campaign_name,
            "to_campaign": campaign.name,
            "from_agent": names.get(from_agent) if from_agent else None,
            "to_agent": names.get(target.agent_id) if target.agent_id else None,
        },
    )
    if kind == "move" and from_agent is not None:
        attention.reassignments += 1
        record(
            w,
            attention,
            "reassigned",
            actor_id=user.id,
            agent_id=from_agent,
            data={"reason": "moved_by_supervisor"},
        )
    attention.segment += 1
    attention.excluded_agent_id = None
    routing.enqueue(attention, campaign, now)
    if target.agent_id is not None:
        if not await slots.take_slot(w, target.agent_id, campaign.id, now, routing=False):
            raise DomainError("agent_full", "El agente elegido no tiene cupo o está desconectado.")
        attention.offered = False
        attention.overflow_at = None
        routing.assign(w, attention, campaign, target.agent_id, now)
    else:
        record(w, attention, "queued")
        # Routed like a new one, but not straight back to whoever just handed it over,
        # unless he is the only one there is.
        attention.excluded_agent_id = from_agent
    await w.session.flush()
    notify.attention_changed(w, attention, previous_agent_id=from_agent)
    if was_offered:
        await notify.offer_withdrawn(w, attention, from_campaign, keep=None)
    if target.agent_id is None:
        if attention.offered:
            await notify.offer(w, attention, grace)
        else:
            # Routed by the loop in its own transaction: assigning here would hold a second
            # agent's row next to the one just released.
            w.wake_routing = True
    await notify.queues_changed(w, {from_campaign, campaign.id})
    return attention


async def _names(w: Work, ids: list[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = await w.session.execute(select(User.id, User.display_name).where(User.id.in_(ids)))
    return {i: n for i, n in rows}


async def _is_member(w: Work, user_id: int, campaign_id: int) -> bool:
    found = await w.session.get(CampaignMember, (campaign_id, user_id))
    return found is not None
