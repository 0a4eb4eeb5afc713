"""Reassignment: an attention taken from the agent who holds it and queued again for another
one, because it was not opened in time, the agent paused or went offline, it was orphaned, it
overflowed, or a supervisor moved it. Each is recorded as a `reassigned` event with its reason.

(Freeing the agent's slot is `slots.release_slot`, which ending and transferring do too.)"""

from sqlalchemy import func, select

from atiende.actions import attended, notify, slots
from atiende.actions.routing import enqueue
from atiende.actions.timeline import record
from atiende.actions.work import Work
from atiende.db.models import Attention, AttentionEvent
from atiende.db.types import utcnow
from atiende.domain.routing import must_park

REASONS = (
    "timeout",
    "agent_paused",
    "agent_offline",
    "orphaned",
    "overflow",
    "moved_by_supervisor",
)


async def reassign(w: Work, attention: Attention, reason: str, actor_id: int | None = None) -> None:
    """Back to its campaign's queue, keeping its place (oldest first) and its draft form.

    The caller holds the attention's row. It is routed elsewhere by the routing loop, to the
    same agent only if no one else can take it.
    """
    assert reason in REASONS
    agent_id = attention.agent_id
    queued_at = attention.queued_at
    if agent_id is not None:
        await attended.note_left(w, attention, agent_id, utcnow())
        await slots.release_slot(w, agent_id)
    enqueue(attention, attention.campaign, utcnow())
    attention.queued_at = queued_at
    attention.excluded_agent_id = agent_id
    attention.reassignments += 1
    if reason == "orphaned":
        attention.orphaned = True
    record(
        w, attention, "reassigned", actor_id=actor_id, agent_id=agent_id, data={"reason": reason}
    )
    notify.attention_changed(w, attention, previous_agent_id=agent_id)
    if reason == "timeout" and must_park(
        await reassignments_in_segment(w, attention), attention.campaign.max_reassignments
    ):
        attention.parked = True
        record(w, attention, "parked", data={"after": attention.campaign.max_reassignments})
    w.wake_routing = True


async def reassignments_in_segment(w: Work, attention: Attention) -> int:
    # The event of this very reassignment is pending in the session; flush so it counts.
    await w.session.flush()
    count = await w.session.scalar(
        select(func.count())
        .select_from(AttentionEvent)
        .where(
            AttentionEvent.attention_id == attention.id,
            AttentionEvent.segment == attention.segment,
            AttentionEvent.kind == "reassigned",
            AttentionEvent.data["reason"].as_string() == "timeout",
        )
    )
    return int(count or 0)
