"""The summary reports as the API answers them: the supervisor's days turned into UTC
bounds, keyset cursors read and written, rows shaped."""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from atiende.actions import agent_states_report as states
from atiende.actions import attentions_summary as summary
from atiende.actions import message_prices, report_filters
from atiende.actions.work import Work
from atiende.db.models import User
from atiende.db.types import utcnow
from atiende.domain.errors import Invalid, NotFound
from atiende.domain.kinds import Role
from atiende.domain.report_days import Day, days_between
from atiende.schemas.common import Person
from atiende.schemas.reports import ReportFilters
from atiende.schemas.summary_reports import (
    AgentDayOut,
    AgentStatesPage,
    AgentTimelineOut,
    MessagePriceOut,
    MessagePricesOut,
    SpanOut,
    SummaryPage,
    SummaryRowOut,
    TimelineDay,
)

# A year and a day: a report over a whole year, whatever day it starts.
MAX_DAYS = 366
# The timeline draws each day: a month at most.
MAX_TIMELINE_DAYS = 31


@dataclass(frozen=True)
class Window:
    """The days asked for, in the supervisor's time zone, as the shared filters read them."""

    filters: ReportFilters
    tz: ZoneInfo
    days: list[Day]

    @classmethod
    def of(cls, f: ReportFilters, default_zone: str, max_days: int = MAX_DAYS) -> "Window":
        # The zone and the order of the dates are checked as every report checks them.
        win = report_filters.window(f, default_zone)
        if f.date_from is None or f.date_to is None:
            raise Invalid("report_days_required", "Elija el primer y el último día.")
        if (f.date_to - f.date_from).days + 1 > max_days:
            raise Invalid(
                "date_range_too_long",
                f"El rango de fechas es de {max_days} días como máximo.",
                {"max_days": max_days},
            )
        return cls(f, win.zone, days_between(f.date_from, f.date_to, win.zone))


def parse_summary_cursor(cursor: str | None) -> tuple[date, int] | None:
    values = report_filters.decode_cursor(cursor, (str, int))
    if values is None:
        return None
    try:
        return date.fromisoformat(values[0]), values[1]
    except ValueError as e:
        raise Invalid("bad_cursor", "La página pedida no es válida.") from e


def parse_agent_cursor(cursor: str | None) -> tuple[int, date] | None:
    values = report_filters.decode_cursor(cursor, (int, str))
    if values is None:
        return None
    try:
        return values[0], date.fromisoformat(values[1])
    except ValueError as e:
        raise Invalid("bad_cursor", "La página pedida no es válida.") from e


def summary_scope(window: Window, dialect: str) -> summary.Scope:
    """The shared filters' conditions on the attentions (campaign and agent anywhere on its
    path, state, condition, customer, words), over the window's days."""
    start = window.days[0].start
    end = window.days[-1].end
    conditions = report_filters.conditions(
        window.filters, report_filters.Window(window.tz, start, end), dialect
    )
    return summary.Scope(window.days, conditions)


async def summary_page(w: Work, window: Window) -> SummaryPage:
    cursor = parse_summary_cursor(window.filters.cursor)
    rows, nxt = await summary.summary(
        w, summary_scope(window, w.dialect), cursor, window.filters.limit
    )
    prices = await message_prices.current(w)
    currency = next(iter(prices.values())).currency if prices else None
    return SummaryPage(
        items=[summary_row_out(r, currency) for r in rows],
        next_cursor=report_filters.encode_cursor([nxt[0].isoformat(), nxt[1]]) if nxt else None,
        currency=currency,
        categories=[*summary.CATEGORIES, "other"],
    )


def summary_row_out(r: summary.SummaryRow, currency: str | None) -> SummaryRowOut:
    return SummaryRowOut(
        **r.model_dump(exclude={"cost_micros"}),
        cost=message_prices.from_micros(r.cost_micros) if currency else None,
    )


def agent_scope(window: Window, dialect: str, now: datetime | None = None) -> states.AgentScope:
    """Of the shared filters, the agent and the campaign (its members) choose the agents;
    the attention filters (campaign, state, condition, customer, words) choose the
    attentions counted as handled. Days are the rows'."""
    f = window.filters
    return states.AgentScope(
        window.days,
        window.tz,
        now or utcnow(),
        f.agent_id,
        f.campaign_id,
        report_filters.attention_conditions(f, dialect, few=True),
    )


async def agent_states_page(w: Work, window: Window) -> AgentStatesPage:
    cursor = parse_agent_cursor(window.filters.cursor)
    rows, nxt = await states.agent_days(
        w, agent_scope(window, w.dialect), cursor, window.filters.limit
    )
    return AgentStatesPage(
        items=[agent_day_out(r) for r in rows],
        next_cursor=report_filters.encode_cursor([nxt[0], nxt[1].isoformat()]) if nxt else None,
    )


def agent_day_out(r: states.AgentDay) -> AgentDayOut:
    return AgentDayOut(
        agent=Person(id=r.agent_id, display_name=r.agent),
        day=r.day,
        logged_in_seconds=round(r.logged_in_seconds, 1),
        available_seconds=round(r.available_seconds, 1),
        paused_seconds=round(r.paused_seconds, 1),
        paused_by_reason={k: round(v, 1) for k, v in r.paused_by_reason.items()},
        offline_seconds=round(r.offline_seconds, 1),
        handled=r.handled,
        avg_handle_seconds=r.avg_handle_seconds,
    )


async def agent_timeline(w: Work, agent_id: int, window: Window) -> AgentTimelineOut:
    agent = await w.session.get(User, agent_id)
    if agent is None or agent.role != Role.AGENT:
        raise NotFound("agent_not_found", "El agente no existe.")
    pieces = await states.timeline(w, agent_id, agent_scope(window, w.dialect))
    days: dict[date, list[SpanOut]] = {d.day: [] for d in window.days}
    for span, piece in pieces:
        days.setdefault(piece.day, []).append(
            SpanOut(
                status=span.status,
                reason=span.reason,
                automatic=span.automatic,
                start=piece.start,
                end=piece.end,
                seconds=round(piece.seconds, 1),
                ongoing=span.ongoing and piece.end == span.end,
            )
        )
    return AgentTimelineOut(
        agent=Person(id=agent.id, display_name=agent.display_name),
        days=[TimelineDay(day=d, spans=s) for d, s in sorted(days.items())],
    )


async def prices_out(w: Work) -> MessagePricesOut:
    rows = await message_prices.current(w)
    return MessagePricesOut(
        currency=next(iter(rows.values())).currency if rows else None,
        prices=[
            MessagePriceOut(
                category=r.category,
                price=message_prices.from_micros(r.price_micros),
                updated_at=r.updated_at,
            )
            for r in rows.values()
        ],
        categories=list(summary.CATEGORIES),
    )


async def do_set_prices(
    w: Work, actor_id: int, currency: str, prices: list[tuple[str, Decimal]]
) -> MessagePricesOut:
    categories = [c for c, _ in prices]
    if len(set(categories)) != len(categories):
        raise Invalid("price_category_repeated", "Una categoría aparece dos veces.")
    await message_prices.do_set_prices(w, actor_id, currency, dict(prices))
    return await prices_out(w)
