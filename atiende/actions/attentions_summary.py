"""*Resumen de atenciones*: one row per campaign and day, in the supervisor's time zone.

What a row counts (the definitions are in docs/reports.md):
- an attention belongs to the day (local) it started and to the campaign it entered by
  (the first transfer's origin, else its campaign): every attention is counted once;
- its messages, their pricing and its times are counted on that same row;
- first response = first message an agent wrote − started; wait = first assigned − started;
  handle = ended − first opened by an agent (ended attentions only).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import (
    Select,
    String,
    and_,
    case,
    false,
    func,
    literal,
    or_,
    select,
    true,
    union_all,
)
from sqlalchemy.sql.elements import ColumnElement

from atiende.actions import attention_times as times
from atiende.actions import message_prices
from atiende.actions.work import Work
from atiende.db.durations import seconds_between
from atiende.db.models import Attention, Campaign, Message, Transfer
from atiende.db.types import UTCDateTime
from atiende.domain.report_days import Day
from atiende.domain.states import State
from atiende.schemas.summary_reports import SummaryFigures

# Meta's pricing categories (per-message pricing, 2025-2026); anything else is `other`.
CATEGORIES = (
    "marketing",
    "marketing_lite",
    "utility",
    "authentication",
    "authentication_international",
    "service",
)


@dataclass(frozen=True)
class Scope:
    """Which attentions: the days (already in UTC bounds) and the conditions on them."""

    days: Sequence[Day]
    conditions: Sequence[ColumnElement[bool]] = ()


class SummaryRow(SummaryFigures):
    """A row as counted; its billable figures and cost are added after (`_add_billable`)."""

    # At the prices set, in millionths of the currency; not the unpriced ones.
    cost_micros: int = 0


def _days_table(days: Sequence[Day]) -> Any:
    selects = [
        select(
            literal(d.day.isoformat(), String()).label("day"),
            literal(d.start, UTCDateTime()).label("day_start"),
            literal(d.end, UTCDateTime()).label("day_end"),
        )
        for d in days
    ]
    return union_all(*selects).subquery("days")


def entry_campaign() -> ColumnElement[int]:
    """The campaign the attention came in by: the first transfer's origin, else its own."""
    first_from = (
        select(Transfer.from_campaign_id)
        .where(Transfer.attention_id == Attention.id, Transfer.sequence == 1)
        .scalar_subquery()
    )
    return func.coalesce(first_from, Attention.campaign_id)


def _message_count(direction: str) -> Any:
    return (
        select(func.count())
        .where(
            Message.attention_id == Attention.id,
            Message.direction == direction,
            Message.hidden == false(),
        )
        .scalar_subquery()
    )


def _within(days: Sequence[Day]) -> tuple[ColumnElement[bool], ...]:
    """The page's days as a range on the attentions' index. The join with the days table
    says the same, but the planner cannot use it to narrow the scan: without this a page of
    three days read every billable message of the whole window (115 of 190 ms at volume)."""
    return (Attention.created_at >= days[0].start, Attention.created_at < days[-1].end)


def _per_attention(scope: Scope, after: tuple[date, int] | None) -> Any:
    """One row per attention in scope with its day, entry campaign and figures."""
    page_days = [d for d in scope.days if after is None or d.day >= after[0]]
    days = _days_table(page_days)
    campaign = entry_campaign().label("campaign_id")
    q: Select[Any] = (
        select(
            days.c.day,
            campaign,
            Attention.id.label("attention_id"),
            Attention.created_at,
            Attention.state,
            Attention.closed_at,
            Attention.reassignments,
            Attention.orphaned,
            Attention.transfer_count,
            times.first_reply_at().label("first_reply_at"),
            times.first_assigned_at().label("first_assigned_at"),
            times.first_opened_at().label("first_opened_at"),
            _message_count("in").label("messages_in"),
            _message_count("out").label("messages_out"),
        )
        .join(
            days,
            and_(Attention.created_at >= days.c.day_start, Attention.created_at < days.c.day_end),
        )
        .where(and_(true(), *_within(page_days), *scope.conditions))
    )
    per = q.subquery("per")
    return per


def _keyset(per: Any, after: tuple[date, int] | None) -> ColumnElement[bool]:
    conditions: list[ColumnElement[bool]] = []
    if after is not None:
        d = after[0].isoformat()
        conditions.append(or_(per.c.day > d, and_(per.c.day == d, per.c.campaign_id > after[1])))
    return and_(true(), *conditions)


async def summary(
    w: Work, scope: Scope, after: tuple[date, int] | None, limit: int
) -> tuple[list[SummaryRow], tuple[date, int] | None]:
    """A page of rows ordered by day then campaign, and the cursor of the next page."""
    if not scope.days:
        return [], None
    per = _per_attention(scope, after)

    def count_if(cond: ColumnElement[bool]) -> Any:
        return func.sum(case((cond, 1), else_=0))

    # As every report (actions/attention_times.py): from the first opening, else the first
    # assignment (ended without being opened).
    handle = seconds_between(
        per.c.closed_at, func.coalesce(per.c.first_opened_at, per.c.first_assigned_at)
    )
    grouped = (
        select(
            per.c.day,
            per.c.campaign_id,
            func.count().label("received"),
            count_if(per.c.first_reply_at.is_not(None)).label("answered"),
            count_if(per.c.state == State.CLOSED).label("closed"),
            count_if(per.c.state != State.CLOSED).label("still_open"),
            count_if(per.c.reassignments > 0).label("reassigned"),
            count_if(per.c.orphaned == true()).label("orphaned"),
            count_if(per.c.transfer_count > 0).label("transferred"),
            func.sum(per.c.messages_in).label("messages_in"),
            func.sum(per.c.messages_out).label("messages_out"),
            func.avg(seconds_between(per.c.first_reply_at, per.c.created_at)).label("frt"),
            func.avg(seconds_between(per.c.first_assigned_at, per.c.created_at)).label("wait"),
            func.avg(case((per.c.state == State.CLOSED, handle), else_=None)).label("handle"),
        )
        .where(_keyset(per, after))
        .group_by(per.c.day, per.c.campaign_id)
        .order_by(per.c.day, per.c.campaign_id)
        .limit(limit + 1)
    )
    result = (await w.session.execute(grouped)).all()
    more = len(result) > limit
    result = result[:limit]
    names = dict(
        (
            await w.session.execute(
                select(Campaign.id, Campaign.name).where(
                    Campaign.id.in_({r.campaign_id for r in result})
                )
            )
        ).all()
    )
    rows = [
        SummaryRow(
            day=date.fromisoformat(r.day),
            campaign_id=r.campaign_id,
            campaign=names.get(r.campaign_id, ""),
            received=r.received,
            answered=int(r.answered or 0),
            closed=int(r.closed or 0),
            still_open=int(r.still_open or 0),
            reassigned=int(r.reassigned or 0),
            orphaned=int(r.orphaned or 0),
            transferred=int(r.transferred or 0),
            messages_in=int(r.messages_in or 0),
            messages_out=int(r.messages_out or 0),
            avg_first_response_seconds=_round(r.frt),
            avg_wait_seconds=_round(r.wait),
            avg_handle_seconds=_round(r.handle),
            billable={},
            unpriced_billable=0,
        )
        for r in result
    ]
    if rows:
        await _add_billable(w, scope, rows)
    cursor = (rows[-1].day, rows[-1].campaign_id) if more and rows else None
    return rows, cursor


def _round(v: Any) -> float | None:
    return None if v is None else round(float(v), 1)


def category_column(category: str | None) -> str:
    return category if category in CATEGORIES else "other"


async def _add_billable(w: Work, scope: Scope, rows: list[SummaryRow]) -> None:
    """Billable outbound messages per category, and their cost at the prices set."""
    wanted = {(r.day, r.campaign_id): r for r in rows}
    first, last = rows[0].day, rows[-1].day
    page_days = [d for d in scope.days if first <= d.day <= last]
    days = _days_table(page_days)
    campaign = entry_campaign().label("campaign_id")
    inner = (
        select(days.c.day, campaign, Message.pricing_category.label("category"))
        .select_from(Attention)
        .join(
            days,
            and_(Attention.created_at >= days.c.day_start, Attention.created_at < days.c.day_end),
        )
        .join(Message, Message.attention_id == Attention.id)
        .where(
            Message.direction == "out",
            Message.pricing_billable == true(),
            *_within(page_days),
            *scope.conditions,
        )
        .subquery("billed")
    )
    counted = await w.session.execute(
        select(inner.c.day, inner.c.campaign_id, inner.c.category, func.count())
        .where(inner.c.campaign_id.in_({r.campaign_id for r in rows}))
        .group_by(inner.c.day, inner.c.campaign_id, inner.c.category)
    )
    prices = await message_prices.current(w)
    for day, campaign_id, category, n in counted:
        row = wanted.get((date.fromisoformat(day), campaign_id))
        if row is None:
            continue
        column = category_column(category)
        row.billable[column] = row.billable.get(column, 0) + n
        price = prices.get(category or "")
        if price is None:
            row.unpriced_billable += n
        else:
            row.cost_micros += price.price_micros * n


async def count(w: Work, scope: Scope) -> int:
    """How many (day, campaign) rows the report has (an export's progress)."""
    if not scope.days:
        return 0
    per = _per_attention(scope, None)
    groups = select(per.c.day, per.c.campaign_id).group_by(per.c.day, per.c.campaign_id).subquery()
    return int(await w.session.scalar(select(func.count()).select_from(groups)) or 0)
