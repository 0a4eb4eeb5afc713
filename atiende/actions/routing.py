"""Routing: queued attentions, oldest first, to eligible agents of their campaign.

Safe with any number of processes: the attention row is claimed with SKIP LOCKED (a single
writer on SQLite) and the agent's slot with a conditional update, in one transaction.
"""

from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import select, update

from atiende.actions import notify
from atiende.actions.timeline import record
from atiende.actions.work import Work
from atiende.db.models import Attention, CampaignMember, User
from atiende.db.types import utcnow
from atiende.domain.routing import Candidate, is_eligible, order_least_busy


async def campaigns_with_queue(w: Work) -> list[int]:
    rows = await w.session.scalars(
        select(Attention.campaign_id).where(Attention.state == "queued").distinct()
    )
    return list(rows)


async def route(
    w: Work, presence_grace: timedelta, campaign_ids: Iterable[int] | None = None
) -> set[int]:
    """Assign what can be assigned now; returns the campaigns whose queue changed.

    Their members are told the new queued counts here.
    """
    ids = list(campaign_ids) if campaign_ids is not None else await campaigns_with_queue(w)
    now = utcnow()
    touched: set[int] = set()
    for campaign_id in sorted(set(ids)):
        while await _assign_next(w, campaign_id, now, presence_grace):
            touched.add(campaign_id)
    if touched:
        await notify.queues_changed(w, touched)
    return touched


async def _assign_next(w: Work, campaign_id: int, now: datetime, grace: timedelta) -> bool:
    candidates = [c for c in await _candidates(w, campaign_id) if is_eligible(c, now, grace)]
    if not candidates:
        return False
    attention = await w.session.scalar(
        select(Attention)
        .where(Attention.state == "queued", Attention.campaign_id == campaign_id)
        .order_by(Attention.queued_at, Attention.id)
        .limit(1)
        .with_for_update(of=Attention, skip_locked=True)
    )
    if attention is None:
        return False
    for candidate in order_least_busy(candidates):
        if await take_slot(w, candidate.agent_id, now):
            assign(w, attention, candidate.agent_id, now)
            return True
    return False


async def _candidates(w: Work, campaign_id: int) -> list[Candidate]:
    rows = await w.session.execute(
        select(
            User.id,
            User.status,
            User.capacity,
            User.active_count,
            User.last_seen_at,
            User.last_assigned_at,
        )
        .join(CampaignMember, CampaignMember.user_id == User.id)
        .where(CampaignMember.campaign_id == campaign_id, User.role == "agent")
    )
    return [Candidate(*row) for row in rows]


async def take_slot(w: Work, agent_id: int, now: datetime) -> bool:
    """One slot of the agent's capacity, or none: the WHERE clause decides, not a prior read."""
    result = await w.session.execute(
        update(User)
        .where(
            User.id == agent_id,
            User.status == "available",
            User.active_count < User.capacity,
        )
        .values(active_count=User.active_count + 1, last_assigned_at=now)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1  # type: ignore[attr-defined, no-any-return]


async def release_slot(w: Work, agent_id: int) -> None:
    await w.session.execute(
        update(User)
        .where(User.id == agent_id, User.active_count > 0)
        .values(active_count=User.active_count - 1)
        .execution_options(synchronize_session=False)
    )


def assign(w: Work, attention: Attention, agent_id: int, now: datetime) -> None:
    attention.state = "assigned"
    attention.agent_id = agent_id
    attention.assigned_at = now
    notify.bump(attention)
    record(w, attention, "assigned", agent_id=agent_id)
    notify.attention_changed(w, attention)
