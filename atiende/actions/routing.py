"""Routing: queued attentions, oldest first, to eligible agents of their campaign.

Safe with any number of processes: the attention row is claimed with SKIP LOCKED (a single
writer on SQLite) and the agent's slot with conditional updates (`slots`). Each assignment
touches one agent's row, so two transactions never hold two agents each and deadlock.
"""

from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import select

from atiende.actions import notify, slots, versions
from atiende.actions.candidates import candidates_of
from atiende.actions.timeline import record
from atiende.actions.work import Work
from atiende.db.models import Attention, Campaign, CampaignMember
from atiende.db.types import utcnow
from atiende.domain.kinds import RoutingMode
from atiende.domain.routing import is_eligible, order_for, without_excluded
from atiende.domain.states import State


def enqueue(attention: Attention, campaign: Campaign, now: datetime) -> None:
    """Put an attention in a campaign's queue, as a new one (SPEC §3.1, §3.7)."""
    attention.state = State.QUEUED
    attention.agent_id = None
    attention.campaign_id = campaign.id
    attention.campaign = campaign
    attention.queued_at = now
    attention.assigned_at = None
    attention.reassign_at = None
    attention.orphan_at = None
    attention.parked = False
    attention.offered = campaign.routing_mode == RoutingMode.OFFER_ALL
    attention.overflow_at = (
        now + timedelta(seconds=campaign.overflow_after_seconds)
        if campaign.overflow_after_seconds > 0
        and campaign.overflow_mode != "none"
        and not attention.offered
        else None
    )
    versions.bump(attention)


async def campaigns_with_queue(w: Work) -> list[int]:
    rows = await w.session.scalars(
        select(Attention.campaign_id)
        .where(Attention.state == State.QUEUED, Attention.parked.is_(False))
        .distinct()
    )
    return sorted(rows)


async def assign_one(
    w: Work,
    campaign_id: int,
    grace: timedelta,
    *,
    only_agent: int | None = None,
    attention_id: int | None = None,
) -> Attention | None:
    """Assign the oldest routable queued attention of the campaign, if anyone can take it."""
    now = utcnow()
    campaign = await w.session.get(Campaign, campaign_id)
    if campaign is None or campaign.routing_mode == RoutingMode.OFFER_ALL:
        return None
    eligible = [c for c in await candidates_of(w, campaign_id) if is_eligible(c, now, grace)]
    if only_agent is not None and all(c.agent_id != only_agent for c in eligible):
        return None
    if not eligible:
        return None
    routable = (
        Attention.state == State.QUEUED,
        Attention.campaign_id == campaign_id,
        Attention.parked.is_(False),
        Attention.offered.is_(False),
    )
    oldest = (
        select(Attention.id).where(*routable).order_by(Attention.queued_at, Attention.id).limit(1)
    )
    if attention_id is not None:
        oldest = oldest.where(Attention.id == attention_id)
    # The oldest one or none: when another transaction holds it (another process assigning
    # it, a message arriving for it), taking the next one instead would let a newer customer
    # pass an older one for good if that assignment fails. It is tried again on the next pass.
    attention = await w.session.scalar(
        select(Attention)
        .where(Attention.id == oldest.scalar_subquery(), *routable)
        .with_for_update(of=Attention, skip_locked=True)
    )
    if attention is None:
        return None
    candidates = without_excluded(eligible, attention.excluded_agent_id)
    if only_agent is not None:
        candidates = [c for c in candidates if c.agent_id == only_agent]
    ordered = order_for(campaign.routing_mode, candidates, campaign.rr_last_agent_id)
    for candidate in ordered:
        if await slots.take_slot(w, candidate.agent_id, campaign_id, now):
            assign(w, attention, campaign, candidate.agent_id, now)
            return attention
    return None


def assign(w: Work, attention: Attention, campaign: Campaign, agent_id: int, now: datetime) -> None:
    """The caller holds the attention's row and has taken the agent's slot."""
    attention.state = State.ASSIGNED
    attention.agent_id = agent_id
    attention.assigned_at = now
    attention.offered = False
    attention.excluded_agent_id = None
    attention.overflow_at = None
    attention.reassign_at = (
        now + timedelta(seconds=campaign.reassign_after_seconds)
        if campaign.reassign_after_seconds > 0
        else None
    )
    if campaign.routing_mode == RoutingMode.ROUND_ROBIN:
        # Only round robin needs the cursor; writing it always would make the campaign's row
        # a lock every assignment waits on.
        campaign.rr_last_agent_id = agent_id
    versions.bump(attention)
    record(w, attention, "assigned", agent_id=agent_id)
    notify.attention_changed(w, attention)


async def route(w: Work, grace: timedelta, campaign_ids: Iterable[int]) -> set[int]:
    """Assign at most one attention in this transaction (one agent's row, no more); the
    routing loop, woken here, assigns the rest each in its own. Returns the campaigns whose
    queue changed (their members are told the new counts)."""
    touched: set[int] = set()
    for campaign_id in sorted(set(campaign_ids)):
        if await assign_one(w, campaign_id, grace) is not None:
            touched.add(campaign_id)
            w.wake_routing = True
            break
    if touched:
        await notify.queues_changed(w, touched)
    return touched


async def route_for(w: Work, agent_id: int, grace: timedelta) -> int:
    """Fill this agent's free slots from his campaigns' queues, oldest first across them.

    Only his row is written, so it never deadlocks with routing elsewhere.
    """
    campaigns = list(
        await w.session.scalars(
            select(CampaignMember.campaign_id).where(CampaignMember.user_id == agent_id)
        )
    )
    assigned = 0
    touched: set[int] = set()
    while True:
        oldest = await w.session.execute(
            select(Attention.id, Attention.campaign_id)
            .where(
                Attention.state == State.QUEUED,
                Attention.campaign_id.in_(campaigns),
                Attention.parked.is_(False),
                Attention.offered.is_(False),
            )
            .order_by(Attention.queued_at, Attention.id)
            .limit(20)
        )
        progressed = False
        tried: set[int] = set()
        for attention_id, campaign_id in oldest:
            # Only each campaign's oldest: the routing loop, woken, sees to the rest in order.
            if campaign_id in tried:
                w.wake_routing = True
                continue
            tried.add(campaign_id)
            taken = await assign_one(
                w, campaign_id, grace, only_agent=agent_id, attention_id=attention_id
            )
            if taken is not None:
                assigned += 1
                touched.add(campaign_id)
                progressed = True
                break
        if not progressed:
            break
    if touched:
        await notify.queues_changed(w, touched)
    await notify.offers_for(w, agent_id, campaigns, grace)
    return assigned
