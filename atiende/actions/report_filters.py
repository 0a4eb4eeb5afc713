"""The filters every report shares, turned into conditions on `attentions`.

Days are the supervisor's: a day runs from its midnight in his zone to the next one, turned
into UTC instants, so a day that gains or loses an hour (DST) is 23 or 25 hours long and an
attention just after local midnight belongs to the day the supervisor sees on his clock.
"""

import base64
import binascii
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Select, exists, or_, select

from atiende.actions import text_search
from atiende.db.models import Attention, AttentionEvent, Transfer
from atiende.domain.errors import Invalid
from atiende.domain.report_days import day_bounds, local_day_start, time_zone
from atiende.schemas.reports import ReportFilters


@dataclass(frozen=True)
class Window:
    """The filters' days as UTC instants: `start <= t < end`; None is unbounded."""

    zone: ZoneInfo
    start: datetime | None
    end: datetime | None


def zone_of(f: ReportFilters, default: str) -> ZoneInfo:
    return time_zone(f.tz or default)


def day_start(day: date, zone: ZoneInfo, *, next_day: bool = False) -> datetime:
    return local_day_start(day + timedelta(days=1) if next_day else day, zone)


def window(f: ReportFilters, default_zone: str) -> Window:
    zone = zone_of(f, default_zone)
    return Window(zone, *day_bounds(f.date_from, f.date_to, zone))


def conditions(
    f: ReportFilters,
    win: Window,
    dialect: str,
    *,
    within: Select[int] | None = None,
) -> list[ColumnElement[bool]]:
    """Attentions that match every filter but the cursor, in the SQL of `dialect` (the
    session's: the words go through its own full-text index). The day range is on when
    the attention started (`created_at`). `within`: the ids the caller's query keeps
    anyway (text_search.has_words); by default the window's attentions."""
    out: list[ColumnElement[bool]] = []
    days: list[ColumnElement[bool]] = []
    if win.start is not None:
        days.append(Attention.created_at >= win.start)
    if win.end is not None:
        days.append(Attention.created_at < win.end)
    out += days
    if within is None and days:
        within = select(Attention.id).where(*days)
    if f.agent_id is not None:
        # Any agent who held it: the holder now or anyone it was assigned to.
        out.append(
            or_(
                Attention.agent_id == f.agent_id,
                exists().where(
                    AttentionEvent.agent_id == f.agent_id,
                    AttentionEvent.attention_id == Attention.id,
                    AttentionEvent.kind == "assigned",
                ),
            )
        )
    return out + attention_conditions(f, dialect, within=within)


def attention_conditions(
    f: ReportFilters,
    dialect: str,
    *,
    few: bool = False,
    within: Select[int] | None = None,
) -> list[ColumnElement[bool]]:
    """The filters on what an attention is, whoever held it and whenever it started:
    campaign, state, condition, customer, words (a report over agents applies these to the
    attentions it counts; `few` when those are a handful found otherwise; `within` as in
    `conditions`)."""
    out: list[ColumnElement[bool]] = []
    if f.campaign_id is not None:
        # Anywhere on its campaigns path: where it is now or any campaign a transfer left.
        out.append(
            or_(
                Attention.campaign_id == f.campaign_id,
                exists().where(
                    Transfer.attention_id == Attention.id,
                    Transfer.from_campaign_id == f.campaign_id,
                ),
            )
        )
    if f.state is not None:
        out.append(Attention.state == f.state)
    if f.condition == "reassigned":
        out.append(Attention.reassignments > 0)
    elif f.condition == "orphaned":
        out.append(Attention.orphaned.is_(True))
    elif f.condition == "parked":
        out.append(Attention.parked.is_(True))
    elif f.condition == "transferred":
        out.append(Attention.transfer_count > 0)
    # The same matching as *Buscar atenciones* (actions/text_search.py).
    if f.customer and f.customer.strip():
        out.append(Attention.customer_id.in_(text_search.customers(f.customer)))
    words = text_search.words_of(f.words)
    if words is not None:
        out.append(text_search.has_words(dialect, words, few=few, within=within))
    return out


def page_ids(
    where: Sequence[ColumnElement[bool]], order: Sequence[ColumnElement[Any]], limit: int
) -> Select[int]:
    """The ids of a page of attentions, for a query that reads their rows by them. Asked
    for whole rows at once, PostgreSQL joined each attention's customer, campaign and
    channel before sorting, and for a common word's month it joined thousands of matches
    to keep 50."""
    return select(Attention.id).where(*where).order_by(*order).limit(limit).correlate(None)


def encode_cursor(values: list[Any]) -> str:
    raw = json.dumps(values, separators=(",", ":"), default=_json_default).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    raise TypeError(type(value).__name__)


def decode_cursor(cursor: str | None, kinds: tuple[type, ...]) -> list[Any] | None:
    """The keyset values a `next_cursor` carried, typed by `kinds` (int, str, datetime);
    a cursor that was not made by `encode_cursor` for the same report is refused."""
    if not cursor:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        values = json.loads(raw)
        if not isinstance(values, list) or len(values) != len(kinds):
            raise ValueError("shape")
        return [_typed(v, k) for v, k in zip(values, kinds, strict=True)]
    except (ValueError, TypeError, binascii.Error) as e:
        raise Invalid("bad_cursor", "La página pedida no es válida.") from e


def _typed(value: Any, kind: type) -> Any:
    if kind is datetime:
        parsed = datetime.fromisoformat(str(value))
        if parsed.tzinfo is None:
            raise ValueError("naive")
        return parsed
    if kind is int and isinstance(value, int) and not isinstance(value, bool):
        return value
    if kind is str and isinstance(value, str):
        return value
    raise ValueError("type")


def local(value: datetime | None, zone: ZoneInfo) -> datetime | None:
    """An instant as the supervisor's wall clock, without the zone (spreadsheets take no
    zones)."""
    return value.astimezone(zone).replace(tzinfo=None) if value is not None else None
