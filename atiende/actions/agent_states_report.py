"""*Estados de agentes*: per agent and day (the supervisor's time zone) the time logged in,
available, paused by reason and offline, read from `agent_status_changes`; the attentions
he handled and their average handle time; and one agent's status history as a timeline.

A status lasts until the agent's next change; the current one lasts until now. A span that
crosses a local midnight is cut there and counted on each day. Time before an agent's first
recorded change is not counted (his status then is unknown). Handled: a segment the agent
opened and ended himself, by ending the attention or transferring it; its handle time runs
from his opening to that end, on the day it ended. Taken from him (reassigned, moved by a
supervisor) it is not handled. The handled columns count only the attentions that meet
the scope's `attentions` conditions (the shared filters on campaign, state, condition,
customer and words); the status times are the agent's, whatever he worked on.
"""

import math
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, exists, func, select, union_all
from sqlalchemy.orm import aliased

from atiende.actions.work import Work
from atiende.db.models import (
    AgentStatusChange,
    Attention,
    AttentionEvent,
    CampaignMember,
    PauseReason,
    User,
)
from atiende.domain.kinds import Presence, Role
from atiende.domain.report_days import Day, Piece, split_at_midnight

# Agents read at once, at most: a month's first page needs two (31 rows each), an export
# batch of 1,000 rows 33; idle agents make the next read twice as wide.
BATCH = 50


@dataclass(frozen=True)
class AgentScope:
    days: Sequence[Day]
    tz: ZoneInfo
    now: datetime
    agent_id: int | None = None
    campaign_id: int | None = None
    # What an attention must be to count as handled (report_filters.attention_conditions).
    attentions: Sequence[ColumnElement[bool]] = ()

    @property
    def start(self) -> datetime:
        return self.days[0].start

    @property
    def end(self) -> datetime:
        return min(self.days[-1].end, self.now)


@dataclass
class AgentDay:
    agent_id: int
    agent: str
    day: date
    available_seconds: float = 0.0
    paused_seconds: float = 0.0
    offline_seconds: float = 0.0
    paused_by_reason: dict[str, float] = field(default_factory=dict)
    handled: int = 0
    handle_seconds_total: float = 0.0

    @property
    def logged_in_seconds(self) -> float:
        return self.available_seconds + self.paused_seconds

    @property
    def avg_handle_seconds(self) -> float | None:
        return round(self.handle_seconds_total / self.handled, 1) if self.handled else None


@dataclass(frozen=True)
class Span:
    status: str
    # As the agent chose it then (the timeline prints it).
    reason: str | None
    automatic: bool
    start: datetime
    end: datetime
    # Still the agent's status now.
    ongoing: bool
    # One reason across renames: its name now, else the one recorded (the totals group by it).
    reason_key: str | None = None


async def _agents(w: Work, scope: AgentScope, from_id: int, limit: int) -> list[tuple[int, str]]:
    q = select(User.id, User.display_name).where(User.role == Role.AGENT, User.id >= from_id)
    if scope.agent_id is not None:
        q = q.where(User.id == scope.agent_id)
    if scope.campaign_id is not None:
        q = q.where(
            User.id.in_(
                select(CampaignMember.user_id).where(
                    CampaignMember.campaign_id == scope.campaign_id
                )
            )
        )
    rows = await w.session.execute(q.order_by(User.id).limit(limit))
    return [(i, n) for i, n in rows]


async def spans_of(
    w: Work, agent_ids: Sequence[int], start: datetime, end: datetime, now: datetime
) -> dict[int, list[Span]]:
    """Each agent's statuses over [start, end), clipped to it, in order: one statement."""
    c = AgentStatusChange
    # Each agent's last change before the range (his status when it begins), found by a
    # backward step on his (user_id, at) index; of two at the same instant, the later row.
    last_id = (
        select(c.id)
        .where(c.user_id == User.id, c.at < start)
        .order_by(c.at.desc(), c.id.desc())
        .limit(1)
        .correlate(User)
        .scalar_subquery()
    )
    cols = (c.id, c.user_id, c.status, c.reason, c.reason_id, c.automatic, c.at)
    changes = union_all(
        select(*cols).where(c.id.in_(select(last_id).where(User.id.in_(agent_ids)))),
        select(*cols).where(c.user_id.in_(agent_ids), c.at >= start, c.at < end),
    ).subquery()
    rows = await w.session.execute(
        select(
            changes.c.user_id,
            changes.c.status,
            changes.c.reason,
            changes.c.automatic,
            changes.c.at,
            # One reason across renames: its name now, else the one recorded.
            func.coalesce(PauseReason.name, changes.c.reason),
        )
        .outerjoin(PauseReason, PauseReason.id == changes.c.reason_id)
        .order_by(changes.c.user_id, changes.c.at, changes.c.id)
    )
    by_agent: dict[int, list[Any]] = defaultdict(list)
    for row in rows:
        by_agent[row[0]].append(row)
    out: dict[int, list[Span]] = {}
    for agent_id, changed in by_agent.items():
        spans = []
        for i, (_, status, reason, automatic, at, reason_key) in enumerate(changed):
            span_start = max(at, start)
            nxt = changed[i + 1][4] if i + 1 < len(changed) else None
            span_end = min(nxt, end) if nxt is not None else end
            if span_end > span_start:
                spans.append(
                    Span(
                        status,
                        reason,
                        automatic,
                        span_start,
                        span_end,
                        ongoing=nxt is None and span_end >= now,
                        reason_key=reason_key,
                    )
                )
        out[agent_id] = spans
    return out


def pieces(spans: Sequence[Span], tz: ZoneInfo) -> Iterator[tuple[Span, Piece]]:
    for s in spans:
        for p in split_at_midnight(s.start, s.end, tz):
            yield s, p


async def _handled(
    w: Work, agent_ids: Sequence[int], scope: AgentScope
) -> list[tuple[int, datetime, datetime | None]]:
    """(agent, ended at, opened at) for each segment an agent ended himself in the range,
    of an attention that meets the scope's conditions."""
    opened = aliased(AttentionEvent)
    end_event = AttentionEvent
    opened_at = (
        select(func.max(opened.created_at))
        .where(
            opened.attention_id == end_event.attention_id,
            opened.kind == "opened",
            opened.agent_id == end_event.agent_id,
            opened.created_at <= end_event.created_at,
        )
        .scalar_subquery()
    )
    query = select(
        end_event.agent_id, end_event.created_at, end_event.kind, end_event.data, opened_at
    ).where(
        end_event.agent_id.in_(agent_ids),
        end_event.kind.in_(("closed", "transferred")),
        end_event.created_at >= scope.start,
        end_event.created_at < scope.end,
    )
    if scope.attentions:
        # Tested per ended segment (a page has a few hundred), not over every attention.
        query = query.where(
            exists().where(Attention.id == end_event.attention_id, *scope.attentions)
        )
    rows = await w.session.execute(query.order_by(end_event.agent_id, end_event.created_at))
    out = []
    for agent_id, at, kind, data, started in rows:
        # A supervisor's move takes the attention away: not the agent's own ending.
        if kind == "transferred" and (data or {}).get("kind") != "transfer":
            continue
        out.append((agent_id, at, started))
    return out


async def agent_days(
    w: Work, scope: AgentScope, after: tuple[int, date] | None, limit: int
) -> tuple[list[AgentDay], tuple[int, date] | None]:
    """A page of (agent, day) rows that have time logged in or attentions handled, ordered
    by agent then day, and the cursor of the next page."""
    if not scope.days or scope.end <= scope.start:
        return [], None
    out: list[AgentDay] = []
    from_id = after[0] if after else 0
    # Enough agents for the page if each has a row every day; fewer rows come out when
    # some are idle, and then each read is twice as wide.
    size = min(BATCH, math.ceil((limit + 1) / len(scope.days)))
    while len(out) <= limit:
        agents = await _agents(w, scope, from_id, size)
        if not agents:
            break
        size = min(BATCH, size * 2)
        ids = [a for a, _ in agents]
        spans = await spans_of(w, ids, scope.start, scope.end, scope.now)
        handled = await _handled(w, ids, scope)
        for agent_id, name in agents:
            rows = _rows_for(agent_id, name, spans.get(agent_id, []), handled, scope)
            for row in rows:
                if after and (row.agent_id, row.day) <= after:
                    continue
                out.append(row)
        from_id = ids[-1] + 1
    more = len(out) > limit
    out = out[:limit]
    return out, ((out[-1].agent_id, out[-1].day) if more and out else None)


def _rows_for(
    agent_id: int,
    name: str,
    spans: Sequence[Span],
    handled: Sequence[tuple[int, datetime, datetime | None]],
    scope: AgentScope,
) -> list[AgentDay]:
    by_day: dict[date, AgentDay] = {}

    def row(d: date) -> AgentDay:
        return by_day.setdefault(d, AgentDay(agent_id, name, d))

    for s, p in pieces(spans, scope.tz):
        r = row(p.day)
        if s.status == Presence.AVAILABLE:
            r.available_seconds += p.seconds
        elif s.status == Presence.PAUSED:
            r.paused_seconds += p.seconds
            key = s.reason_key or ""
            r.paused_by_reason[key] = r.paused_by_reason.get(key, 0.0) + p.seconds
        else:
            r.offline_seconds += p.seconds
    for a, ended, started in handled:
        if a != agent_id:
            continue
        r = row(ended.astimezone(scope.tz).date())
        r.handled += 1
        if started is not None:
            r.handle_seconds_total += (ended - started).total_seconds()
    return [
        by_day[d]
        for d in sorted(by_day)
        if by_day[d].logged_in_seconds > 0 or by_day[d].handled > 0
    ]


async def timeline(w: Work, agent_id: int, scope: AgentScope) -> list[tuple[Span, Piece]]:
    """One agent's statuses over the days, each cut at local midnights."""
    if not scope.days or scope.end <= scope.start:
        return []
    spans = await spans_of(w, [agent_id], scope.start, scope.end, scope.now)
    return list(pieces(spans.get(agent_id, []), scope.tz))


async def pause_reason_names(w: Work) -> list[str]:
    """Every pause reason, in the menu's order (an export's columns)."""
    return list(await w.session.scalars(select(PauseReason.name).order_by(PauseReason.position)))
