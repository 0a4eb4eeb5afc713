"""`/api/reports/summary`, `/api/reports/agent-states` (and one agent's timeline), their
exports, and the price of a billable message per category: supervisors and admins. Every
report takes the shared filters (`ReportFilters`); these two need both days."""

from typing import Annotated

from fastapi import APIRouter, Query, Request

from atiende.actions import summary_exports
from atiende.actions import summary_reports as reports
from atiende.api.deps import CurrentUser, RuntimeDep, WorkDep, require_role
from atiende.api.routes.reports import start_export
from atiende.schemas.params import Id
from atiende.schemas.reports import ExportOut, ExportStart, ReportFilters
from atiende.schemas.summary_reports import (
    AgentStatesPage,
    AgentTimelineOut,
    MessagePricesIn,
    MessagePricesOut,
    SummaryPage,
)

router = APIRouter(prefix="/api/reports", tags=["reports"])
STAFF = require_role("admin", "supervisor")
Filters = Annotated[ReportFilters, Query()]


@router.get("/summary", dependencies=[STAFF])
async def attentions_summary(filters: Filters, w: WorkDep, rt: RuntimeDep) -> SummaryPage:
    """Per campaign (the one it came in by) and day (it started, in `tz`); `cursor` is the
    previous page's `next_cursor`."""
    window = reports.Window.of(filters, rt.settings.time_zone)
    return await reports.summary_page(w, window)


# No STAFF dependency: `start_export` checks the caller in its own transaction (a second
# one held open here would lock SQLite).
@router.post("/summary/exports", status_code=202)
async def export_summary(body: ExportStart, request: Request, rt: RuntimeDep) -> ExportOut:
    window = reports.Window.of(body.filters, rt.settings.time_zone)
    source = summary_exports.SummarySource(window, body.lang)
    name = "resumen-atenciones" if body.lang == "es" else "attentions-summary"
    title = "Resumen de atenciones" if body.lang == "es" else "Attentions summary"
    return await start_export(rt, request, "summary", body, name, title, source)


@router.get("/agent-states", dependencies=[STAFF])
async def agent_states(filters: Filters, w: WorkDep, rt: RuntimeDep) -> AgentStatesPage:
    """Per agent and day. The agent and the campaign (its members) choose the rows; the
    campaign, state, condition, customer and words choose which attentions count as handled
    (the status times are not filtered by them)."""
    window = reports.Window.of(filters, rt.settings.time_zone)
    return await reports.agent_states_page(w, window)


@router.post("/agent-states/exports", status_code=202)
async def export_agent_states(body: ExportStart, request: Request, rt: RuntimeDep) -> ExportOut:
    window = reports.Window.of(body.filters, rt.settings.time_zone)
    source = summary_exports.AgentStatesSource(window, body.lang)
    name = "estados-agentes" if body.lang == "es" else "agent-states"
    title = "Estados de agentes" if body.lang == "es" else "Agent states"
    return await start_export(rt, request, "agent_states", body, name, title, source)


@router.get("/agent-states/{agent_id}/timeline", dependencies=[STAFF])
async def agent_timeline(
    agent_id: Id, filters: Filters, w: WorkDep, rt: RuntimeDep
) -> AgentTimelineOut:
    window = reports.Window.of(filters, rt.settings.time_zone, reports.MAX_TIMELINE_DAYS)
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
