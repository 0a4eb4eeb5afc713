"""The supervisors' live dashboard: one snapshot in a fixed number of statements, which the
client then keeps current with the staff room's events (`live.attention`, `live.agent`,
`live.campaign`: notify.staff_changes builds them with `live_agents` and `live_campaigns`).

What is counted (docs/supervisor.md, "Tablero"):
- wait: from the customer's first message (the attention's creation) to its first assignment;
- handle time: from the first assignment to the end;
- answered within the service level: an agent's first reply (a message he sent, template
  included) came within the campaign's `service_level_seconds` of the customer's first
  message. Being assigned is not an answer: the customer still waits for a word.
Each over the attentions ended today, in the supervisor's time zone, counted in the
campaign they ended in.
"""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, func, select

from atiende.actions.work import Work
from atiende.db.models import Attention, AttentionEvent, Campaign, CampaignMember, Message, User
from atiende.db.types import utcnow
from atiende.domain import report_days
from atiende.domain.kinds import Role
from atiende.domain.states import State
from atiende.schemas.dashboard import (
    CampaignCapacity,
    DashAgent,
    DashAttention,
    DashboardOut,
    DashCampaign,
    EndedFigures,
    LiveAgent,
    LiveCampaign,
)


def day_start(zone: ZoneInfo, now: datetime) -> datetime:
    """Today's midnight in the zone, as a UTC instant."""
    local = now.astimezone(zone)
    return datetime.combine(local.date(), time.min, tzinfo=zone).astimezone(UTC)


def _first_assigned() -> ColumnElement[datetime]:
    return (
        select(func.min(AttentionEvent.created_at))
        .where(AttentionEvent.attention_id == Attention.id, AttentionEvent.kind == "assigned")
        .correlate(Attention)
        .scalar_subquery()
    )


def _first_reply() -> ColumnElement[datetime]:
    return (
        select(func.min(Message.created_at))
        .where(
            Message.attention_id == Attention.id,
            Message.direction == "out",
            Message.sender_id.is_not(None),
        )
        .correlate(Attention)
        .scalar_subquery()
    )


@dataclass(frozen=True)
class Ended:
    id: int
    campaign_id: int
    closed_by_id: int | None
    figures: EndedFigures


def _seconds(start: datetime | None, end: datetime | None) -> float | None:
    if start is None or end is None:
        return None
    return max(0.0, (end - start).total_seconds())


async def _ended(w: Work, *where: ColumnElement[bool]) -> list[Ended]:
    rows = await w.session.execute(
        select(
            Attention.id,
            Attention.campaign_id,
            Attention.closed_by_id,
            Attention.created_at,
            Attention.closed_at,
            _first_assigned(),
            _first_reply(),
        ).where(Attention.state == State.CLOSED, *where)
    )
    found = []
    for aid, campaign_id, closed_by, created, closed, assigned, reply in rows:
        found.append(
            Ended(
                id=aid,
                campaign_id=campaign_id,
                closed_by_id=closed_by,
                figures=EndedFigures(
                    wait_seconds=_seconds(created, assigned or closed) or 0.0,
                    handle_seconds=_seconds(assigned, closed) or 0.0,
                    first_reply_seconds=_seconds(created, reply),
                ),
            )
        )
    return found


async def ended_figures(w: Work, attention_ids: Sequence[int]) -> dict[int, EndedFigures]:
    """The figures of these ended attentions, in one statement."""
    if not attention_ids:
        return {}
    return {e.id: e.figures for e in await _ended(w, Attention.id.in_(attention_ids))}


async def snapshot(w: Work, time_zone: str) -> DashboardOut:
    zone = report_days.time_zone(time_zone)
    now = utcnow()
    start = day_start(zone, now)
    campaigns = (
        await w.session.execute(
            select(
                Campaign.id,
                Campaign.name,
                Campaign.service_level_seconds,
                Campaign.service_level_target,
            )
            # An archived campaign holds no live attention (archiving refuses it).
            .where(Campaign.archived_at.is_(None))
            .order_by(Campaign.name)
        )
    ).all()
    live = (
        await w.session.execute(
            select(
                Attention.id,
                Attention.version,
                Attention.state,
                Attention.campaign_id,
                Attention.agent_id,
                Attention.queued_at,
            )
            .where(Attention.state != State.CLOSED)
            .order_by(Attention.queued_at, Attention.id)
        )
    ).all()
    ended = await _ended(w, Attention.closed_at >= start)
    agents = list(
        await w.session.scalars(
            select(User)
            .where(User.role == Role.AGENT, User.active.is_(True))
            .order_by(User.display_name, User.id)
        )
    )
    member_of = await _memberships(w, User.role == Role.AGENT)

    limit = {cid: seconds for cid, _, seconds, _ in campaigns}
    sums: dict[int, list[float]] = defaultdict(lambda: [0, 0.0, 0.0, 0])
    by_agent: dict[int, int] = defaultdict(int)
    for e in ended:
        s = sums[e.campaign_id]
        s[0] += 1
        s[1] += e.figures.wait_seconds
        s[2] += e.figures.handle_seconds
        reply = e.figures.first_reply_seconds
        if reply is not None and reply <= limit.get(e.campaign_id, 0):
            s[3] += 1
        if e.closed_by_id is not None:
            by_agent[e.closed_by_id] += 1

    return DashboardOut(
        as_of=now,
        time_zone=time_zone,
        day_start=start,
        campaigns=[
            DashCampaign(
                id=cid,
                name=name,
                service_level_seconds=seconds,
                service_level_target=target,
                ended=int(sums[cid][0]),
                wait_seconds_total=sums[cid][1],
                handle_seconds_total=sums[cid][2],
                answered_within=int(sums[cid][3]),
            )
            for cid, name, seconds, target in campaigns
        ],
        attentions=[
            DashAttention(id=aid, version=v, state=st, campaign_id=cid, agent_id=ag, queued_at=q)
            for aid, v, st, cid, ag, q in live
        ],
        agents=[
            DashAgent(
                **_agent(u, member_of[u.id]).model_dump(),
                ended_today=by_agent[u.id],
            )
            for u in agents
        ],
    )


async def _memberships(
    w: Work, *where: ColumnElement[bool]
) -> defaultdict[int, list[CampaignCapacity]]:
    rows = await w.session.execute(
        select(CampaignMember.user_id, CampaignMember.campaign_id, CampaignMember.capacity)
        .join(User, User.id == CampaignMember.user_id)
        .where(*where)
        .order_by(CampaignMember.user_id, CampaignMember.campaign_id)
    )
    member_of: defaultdict[int, list[CampaignCapacity]] = defaultdict(list)
    for user_id, campaign_id, capacity in rows:
        member_of[user_id].append(CampaignCapacity(campaign_id=campaign_id, capacity=capacity))
    return member_of


def _agent(u: User, campaigns: list[CampaignCapacity]) -> LiveAgent:
    return LiveAgent.of(u, campaigns, effective_capacity(u.capacity, campaigns))


async def live_agents(w: Work, user_ids: Sequence[int]) -> list[LiveAgent]:
    """These users as the dashboard lists them now, in two statements."""
    if not user_ids:
        return []
    people = await w.session.scalars(
        select(User)
        .where(User.id.in_(user_ids))
        .order_by(User.id)
        .execution_options(populate_existing=True)
    )
    member_of = await _memberships(w, CampaignMember.user_id.in_(user_ids))
    return [_agent(u, member_of[u.id]) for u in people]


async def live_campaigns(w: Work, campaign_ids: Sequence[int]) -> list[LiveCampaign]:
    if not campaign_ids:
        return []
    found = await w.session.scalars(
        select(Campaign)
        .where(Campaign.id.in_(campaign_ids))
        .order_by(Campaign.id)
        .execution_options(populate_existing=True)
    )
    return [LiveCampaign.of(c) for c in found]


def effective_capacity(overall: int, campaigns: Sequence[CampaignCapacity]) -> int:
    """What routing lets an agent hold at once (actions/slots.py): his own limit
    (users.capacity) and, in each campaign, that membership's; so never more than their sum."""
    return min(overall, sum(c.capacity for c in campaigns))
