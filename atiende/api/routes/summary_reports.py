"""`/api/reports/summary`, `/api/reports/agent-states` (and one agent's timeline) and the
price of a billable message per category: supervisors and admins."""

from datetime import date

from fastapi import APIRouter, Query

from atiende.actions import summary_reports as reports
from atiende.api.deps import CurrentUser, WorkDep, require_role
from atiende.schemas.params import Id
from atiende.schemas.summary_reports import (
    AgentCursor,
    AgentStatesPage,
    AgentTimelineOut,
    MessagePricesIn,
    MessagePricesOut,
    SummaryCursor,
    SummaryPage,
)

router = APIRouter(prefix="/api/reports", tags=["supervision"])
STAFF = require_role("admin", "supervisor")
TZ = Query(min_length=1, max_length=64, description="The supervisor's IANA time zone")


@router.get("/summary", dependencies=[STAFF])
async def attentions_summary(
    w: WorkDep,
    date_from: date,
    date_to: date,
    tz: str = TZ,
    campaign_id: Id | None = None,
    agent_id: Id | None = None,
    after: SummaryCursor | None = None,
    limit: int = Query(default=50, ge=1, le=200),
) -> SummaryPage:
    """Per campaign (the one it came in by) and day (it started, in `tz`); `after` is the
    previous page's `next_after`."""
    window = reports.Window.of(date_from, date_to, tz)
    scope = reports.summary_scope(window, campaign_id, agent_id)
    return await reports.summary_page(w, scope, after, limit)


@router.get("/agent-states", dependencies=[STAFF])
async def agent_states(
    w: WorkDep,
    date_from: date,
    date_to: date,
    tz: str = TZ,
    campaign_id: Id | None = None,
    agent_id: Id | None = None,
    after: AgentCursor | None = None,
    limit: int = Query(default=50, ge=1, le=200),
) -> AgentStatesPage:
    window = reports.Window.of(date_from, date_to, tz)
    scope = reports.agent_scope(window, agent_id, campaign_id)
    return await reports.agent_states_page(w, scope, after, limit)


@router.get("/agent-states/{agent_id}/timeline", dependencies=[STAFF])
async def agent_timeline(
    w: WorkDep, agent_id: Id, date_from: date, date_to: date, tz: str = TZ
) -> AgentTimelineOut:
    window = reports.Window.of(date_from, date_to, tz, reports.MAX_TIMELINE_DAYS)
    return await reports.agent_timeline(w, agent_id, window)


@router.get("/message-prices", dependencies=[STAFF])
async def get_message_prices(w: WorkDep) -> MessagePricesOut:
    return await reports.prices_out(w)


@router.put("/message-prices", dependencies=[STAFF])
async def put_message_prices(
    body: MessagePricesIn, user: CurrentUser, w: WorkDep
) -> MessagePricesOut:
    """Replaces the whole list, in one currency; a category left out has no price."""
    prices = [(p.category, p.price) for p in body.prices]
    return await reports.do_set_prices(w, user.id, body.currency, prices)
