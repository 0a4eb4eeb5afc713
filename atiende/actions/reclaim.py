"""Taking an attention back from an agent: not opened in time, agent paused or offline,
orphaned, overflow, moved by a supervisor. Every case is recorded with its reason."""

from sqlalchemy import func, select

from atiende.actions import notify, slots
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


async def take_back(
    w: Work, attention: Attention, reason: str, actor_id: int | None = None
) -> None:
    """Back to its campaign's queue, keeping its place (oldest first) and its draft form.

    The caller holds the attention's row. It is routed elsewhere by the routing loop, to the
    same agent only if no one else can take it.
    """
    assert reason in REASONS
    agent_id = attention.agent_id
    queued_at = attention.queued_at
    if agent_id is not None:
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
