"""*Reporte de transferencias*: one row per transferred attention that matches the shared
filters, newest first, a keyset page at a time; and its export.

The filters read the transfers and the attention they belong to. The days, the campaign and
the agent pick the transfers that count (made in those days of the supervisor's zone, from
or to that campaign, from or to that agent); state, condition, customer and words pick the
attentions, as the attentions report reads them (`report_filters.conditions`).

A row stands where its first counted transfer does, not its latest: a transfer made while a
supervisor pages would otherwise lift a row he has not reached yet above his cursor, and the
walk would miss it. The rows are read by walking the transfers newest first on their
(created_at, attention_id) index, keeping the transfer that has no counted one before it in
its attention (the (attention_id, sequence) index answers that).
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, distinct, exists, func, select, tuple_
from sqlalchemy.orm import aliased
from sqlalchemy.orm.util import AliasedClass

from atiende.actions.attentions_report import collapse
from atiende.actions.exports import Row
from atiende.actions.report_filters import (
    Window,
    conditions,
    decode_cursor,
    encode_cursor,
    local,
    window,
)
from atiende.actions.segments import segments_of
from atiende.actions.work import Work
from atiende.db.models import Attention, Campaign, Transfer
from atiende.domain.customers import display_name
from atiende.i18n import Lang, report_labels
from atiende.schemas.reports import ReportFilters

HEADER = ("id", "customer", "phone", "state", "campaign", "count", "first", "last", "path")


@dataclass(frozen=True)
class TransferLine:
    attention: Attention
    first_at: datetime
    last_at: datetime


@dataclass(frozen=True)
class Page:
    lines: list[TransferLine]
    next_cursor: str | None
    total: int | None


def _counted(
    t: type[Transfer] | AliasedClass[Transfer], f: ReportFilters, win: Window
) -> list[ColumnElement[bool]]:
    """The transfers (`t`: Transfer or an alias of it) that the days, campaign and agent
    keep."""
    out: list[ColumnElement[bool]] = []
    if win.start is not None:
        out.append(t.created_at >= win.start)
    if win.end is not None:
        out.append(t.created_at < win.end)
    if f.campaign_id is not None:
        out.append((t.from_campaign_id == f.campaign_id) | (t.to_campaign_id == f.campaign_id))
    if f.agent_id is not None:
        out.append((t.from_agent_id == f.agent_id) | (t.to_agent_id == f.agent_id))
    return out


def _of_attention(f: ReportFilters, win: Window, dialect: str) -> list[ColumnElement[bool]]:
    """The attentions that state, condition, customer and words keep (the days, campaign
    and agent were the transfers')."""
    rest = f.model_copy(update={"campaign_id": None, "agent_id": None})
    # Only attentions with a counted transfer are reached: the words look no further.
    within = select(Transfer.attention_id).where(*_counted(Transfer, f, win))
    return conditions(rest, Window(win.zone, None, None), dialect, within=within)


def _rows(f: ReportFilters, win: Window, dialect: str) -> Select[Attention, datetime]:
    """Each matching attention with its first counted transfer's time, newest first."""
    earlier = aliased(Transfer)
    first = ~exists().where(
        earlier.attention_id == Transfer.attention_id,
        earlier.sequence < Transfer.sequence,
        *_counted(earlier, f, win),
    )
    return (
        select(Attention, Transfer.created_at)
        .join(Transfer, Transfer.attention_id == Attention.id)
        .where(*_counted(Transfer, f, win), first, *_of_attention(f, win, dialect))
        .order_by(Transfer.created_at.desc(), Transfer.attention_id.desc())
    )


async def count(w: Work, f: ReportFilters, win: Window) -> int:
    """One row per attention with a counted transfer: its distinct ids, no first transfer
    to find, and the attentions read only when a filter is theirs."""
    query = select(func.count(distinct(Transfer.attention_id))).where(*_counted(Transfer, f, win))
    of_attention = _of_attention(f, win, w.dialect)
    if of_attention:
        query = query.join(Attention, Attention.id == Transfer.attention_id).where(*of_attention)
    return int(await w.session.scalar(query) or 0)


async def _lines(
    w: Work, f: ReportFilters, win: Window, after: list[Any] | None, limit: int
) -> tuple[list[TransferLine], list[Any] | None]:
    query = _rows(f, win, w.dialect).limit(limit + 1)
    if after is not None:
        # A row comparison: the index scan starts at the cursor instead of filtering up to it
        # (a Python tuple, so each value is bound with its column's type).
        query = query.where(tuple_(Transfer.created_at, Transfer.attention_id) < tuple(after))
    found = list(await w.session.execute(query))
    more = len(found) > limit
    found = found[:limit]
    ids = [a.id for a, _ in found]
    last: dict[int, datetime] = {}
    if ids:
        latest = await w.session.execute(
            select(Transfer.attention_id, func.max(Transfer.created_at))
            .where(Transfer.attention_id.in_(ids), *_counted(Transfer, f, win))
            .group_by(Transfer.attention_id)
        )
        last = {attention_id: at for attention_id, at in latest}
    lines = [TransferLine(a, first_at, last[a.id]) for a, first_at in found]
    key = [found[-1][1], found[-1][0].id] if more and found else None
    return lines, key


async def page(w: Work, f: ReportFilters, default_zone: str) -> Page:
    """The page after `f.cursor` of at most `f.limit` rows; the total on the first one."""
    win = window(f, default_zone)
    after = decode_cursor(f.cursor, (datetime, int))
    lines, key = await _lines(w, f, win, after, f.limit)
    total = await count(w, f, win) if f.cursor is None else None
    return Page(lines, encode_cursor(key) if key is not None else None, total)


class TransfersExport:
    """The report's rows for `exports.run`: every row the filters match, by keyset."""

    def __init__(self, f: ReportFilters, default_zone: str, lang: Lang) -> None:
        self.filters = f.model_copy(update={"cursor": None})
        self.window = window(self.filters, default_zone)
        self.lang = lang

    async def header(self, w: Work) -> list[str]:  # noqa: ARG002
        labels = report_labels(self.lang)
        return [labels[f"transfers.{k}"] for k in HEADER]

    async def count(self, w: Work) -> int:
        return await count(w, self.filters, self.window)

    async def batch(self, w: Work, after: Any, size: int) -> tuple[list[Row], Any]:
        lines, key = await _lines(w, self.filters, self.window, after, size)
        segments = await segments_of(w, [line.attention for line in lines])
        names = {i: name for i, name in await w.session.execute(select(Campaign.id, Campaign.name))}
        labels = report_labels(self.lang)
        zone = self.window.zone
        rows: list[Row] = []
        for line in lines:
            a, c = line.attention, line.attention.customer
            path = collapse(names.get(s.campaign_id, "") for s in segments[a.id])
            rows.append(
                [
                    a.id,
                    c.contact.name if c.contact else display_name(c.name, c.username, c.phone),
                    c.phone,
                    labels[f"state.{a.state}"],
                    a.campaign.name,
                    a.transfer_count,
                    local(line.first_at, zone),
                    local(line.last_at, zone),
                    " → ".join(path),
                ]
            )
        return rows, key
