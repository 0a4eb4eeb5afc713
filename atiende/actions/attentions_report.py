"""*Reporte de atenciones*: one row per attention that matches the shared filters, newest
first, a keyset page at a time (attentions by created_at, id); its times as defined in
`attention_times`; the form values, one column per field of each campaign's form in scope.

A page costs one query for the attentions (their first assignment, opening and reply as
correlated subqueries on the attention's own indexes) and one each for the page's segments,
assignments, linked records and forms, whatever its size.
"""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import Field
from sqlalchemy import and_, func, or_, select

from atiende.actions import attention_times as times
from atiende.actions.exports import Row
from atiende.actions.report_filters import (
    Window,
    conditions,
    decode_cursor,
    encode_cursor,
    local,
    page_ids,
    window,
)
from atiende.actions.segments import segments_of
from atiende.actions.text_search import words_of
from atiende.actions.work import Work
from atiende.db.models import (
    Attention,
    AttentionEvent,
    AttentionMatch,
    Campaign,
    Form,
    FormSubmission,
    User,
)
from atiende.domain.customers import display_name
from atiende.i18n import Lang, report_labels
from atiende.schemas.reports import AttentionReportFields, ReportFilters

FIXED = (
    "id",
    "customer",
    "phone",
    "username",
    "state",
    "campaigns",
    "agents",
    "started",
    "first_assigned",
    "first_reply",
    "ended",
    "wait",
    "first_response",
    "handle",
    "transfers",
    "reassignments",
    "record",
)


@dataclass(frozen=True)
class FormColumn:
    """One field of one campaign's form; `key` is `<campaign id>.<field key>`."""

    key: str
    label: str
    campaign_id: int
    field_key: str


class AttentionLine(AttentionReportFields):
    """A row as read: the page's columns, the form's values raw (the page and the export
    write them in the reader's language)."""

    form: dict[str, Any] = Field(default_factory=dict)


@dataclass(frozen=True)
class Page:
    columns: list[FormColumn]
    lines: list[AttentionLine]
    next_cursor: str | None
    total: int | None


async def form_columns(w: Work, f: ReportFilters) -> list[FormColumn]:
    """The filtered campaign's form fields, or every campaign's (named "Campaign · Field").
    A field a newer version dropped keeps its column after the current ones: older
    attentions were filled with it."""
    query = select(Campaign.id, Campaign.name).order_by(Campaign.name, Campaign.id)
    if f.campaign_id is not None:
        query = query.where(Campaign.id == f.campaign_id)
    campaigns = list(await w.session.execute(query))
    ids = [c for c, _ in campaigns]
    versions: dict[int, list[Form]] = defaultdict(list)
    if ids:
        for form in await w.session.scalars(
            select(Form).where(Form.campaign_id.in_(ids)).order_by(Form.version.desc())
        ):
            versions[form.campaign_id].append(form)
    several = sum(1 for c in ids if versions[c]) > 1
    out: list[FormColumn] = []
    for campaign_id, name in campaigns:
        seen: set[str] = set()
        for form in versions[campaign_id]:
            for f_ in form.fields:
                if f_.key in seen:
                    continue
                seen.add(f_.key)
                label = f"{name} · {f_.label}" if several else f_.label
                out.append(FormColumn(f"{campaign_id}.{f_.key}", label, campaign_id, f_.key))
    return out


def _after(values: list[Any] | None) -> Any:
    if values is None:
        return None
    at, id_ = values
    return or_(Attention.created_at < at, and_(Attention.created_at == at, Attention.id < id_))


async def count(w: Work, f: ReportFilters, win: Window) -> int:
    total = await w.session.scalar(
        select(func.count()).select_from(Attention).where(*conditions(f, win, w.dialect))
    )
    return int(total or 0)


async def page(
    w: Work,
    f: ReportFilters,
    default_zone: str,
    *,
    columns: list[FormColumn] | None = None,
    with_total: bool = True,
) -> Page:
    """The page after `f.cursor` of at most `f.limit` rows."""
    win = window(f, default_zone)
    after = decode_cursor(f.cursor, (datetime, int))
    cols = columns if columns is not None else await form_columns(w, f)
    total: int | None = None
    if with_total and f.cursor is None and words_of(f.words) is not None:
        # The words are most of such a page's cost (each match read through the full-text
        # index): the ids and the total in one statement read them once, not twice.
        ids, total = await _ids_and_total(w, f, win, f.limit)
        lines, last = await _lines(w, f, win, after, f.limit, cols, ids=ids)
    else:
        lines, last = await _lines(w, f, win, after, f.limit, cols)
        if with_total and f.cursor is None:
            total = await count(w, f, win)
    next_cursor = encode_cursor(last) if last is not None else None
    return Page(cols, lines, next_cursor, total)


_NEWEST = (Attention.created_at.desc(), Attention.id.desc())


async def _ids_and_total(
    w: Work, f: ReportFilters, win: Window, limit: int
) -> tuple[list[int], int]:
    """The first page's ids (one more than `limit`) and how many attentions the filters keep:
    the count is a window over the rows before the LIMIT."""
    rows = list(
        await w.session.execute(
            select(Attention.id, func.count().over())
            .where(*conditions(f, win, w.dialect))
            .order_by(*_NEWEST)
            .limit(limit + 1)
        )
    )
    return [i for i, _ in rows], int(rows[0][1]) if rows else 0


async def _lines(
    w: Work,
    f: ReportFilters,
    win: Window,
    after: list[Any] | None,
    limit: int,
    columns: Sequence[FormColumn],
    *,
    ids: list[int] | None = None,
) -> tuple[list[AttentionLine], list[Any] | None]:
    """The page's lines: of `ids` when the caller found them, else of the filters' page."""
    if ids is None:
        where = conditions(f, win, w.dialect)
        keyset = _after(after)
        if keyset is not None:
            where.append(keyset)
        wanted: Any = page_ids(where, _NEWEST, limit + 1)
    else:
        wanted = ids
    rows = list(
        await w.session.execute(
            select(
                Attention,
                times.first_assigned_at().label("first_assigned_at"),
                times.first_opened_at().label("first_opened_at"),
                times.first_reply_at().label("first_reply_at"),
            )
            .where(Attention.id.in_(wanted))
            .order_by(*_NEWEST)
        )
    )
    more = len(rows) > limit
    rows = rows[:limit]
    attentions = [r[0] for r in rows]
    ids = [a.id for a in attentions]
    segments = await segments_of(w, attentions)
    agents = await _agents_paths(w, ids)
    names = await _campaign_names(w)
    records = await _records(w, ids)
    forms = await _forms(w, ids, columns)
    lines = []
    for a, assigned, opened, replied in rows:
        customer = a.customer
        lines.append(
            AttentionLine(
                id=a.id,
                state=a.state,
                customer=customer.contact.name
                if customer.contact
                else display_name(customer.name, customer.username, customer.phone),
                phone=customer.phone,
                username=customer.username,
                campaigns=collapse(names.get(s.campaign_id, "") for s in segments[a.id]),
                agents=agents.get(a.id, []),
                started_at=a.created_at,
                first_assigned_at=assigned,
                first_reply_at=replied,
                ended_at=a.closed_at,
                wait_seconds=times.wait_seconds(a.created_at, assigned),
                first_response_seconds=times.first_response_seconds(a.created_at, replied),
                handle_seconds=times.handle_seconds(opened, assigned, a.closed_at),
                transfers=a.transfer_count,
                reassignments=a.reassignments,
                record=records.get(a.id),
                form=forms.get(a.id, {}),
            )
        )
    last = [attentions[-1].created_at, attentions[-1].id] if more and attentions else None
    return lines, last


def collapse(values: Any) -> list[str]:
    """Consecutive repeats once: a transfer to another agent of the same campaign."""
    out: list[str] = []
    for v in values:
        if not out or out[-1] != v:
            out.append(v)
    return out


async def _agents_paths(w: Work, ids: list[int]) -> dict[int, list[str]]:
    """Every agent each attention was assigned to, in order."""
    if not ids:
        return {}
    rows = await w.session.execute(
        select(AttentionEvent.attention_id, User.display_name)
        .join(User, User.id == AttentionEvent.agent_id)
        .where(AttentionEvent.attention_id.in_(ids), AttentionEvent.kind == "assigned")
        .order_by(AttentionEvent.attention_id, AttentionEvent.id)
    )
    paths: dict[int, list[str]] = defaultdict(list)
    for attention_id, name in rows:
        paths[attention_id].append(name)
    return {k: collapse(v) for k, v in paths.items()}


async def _campaign_names(w: Work) -> dict[int, str]:
    return {cid: name for cid, name in await w.session.execute(select(Campaign.id, Campaign.name))}


async def _records(w: Work, ids: list[int]) -> dict[int, str]:
    if not ids:
        return {}
    out = {}
    for m in await w.session.scalars(
        select(AttentionMatch).where(AttentionMatch.attention_id.in_(ids))
    ):
        out[m.attention_id] = " · ".join(p for p in (m.base_name, m.key, m.name) if p)
    return out


async def _forms(
    w: Work, ids: list[int], columns: Sequence[FormColumn]
) -> dict[int, dict[str, Any]]:
    """The submitted values of each attention by column key; a campaign it went through
    twice shows its later form."""
    wanted = {c.campaign_id for c in columns}
    if not ids or not wanted:
        return {}
    out: dict[int, dict[str, Any]] = defaultdict(dict)
    by_campaign: dict[int, list[FormColumn]] = defaultdict(list)
    for c in columns:
        by_campaign[c.campaign_id].append(c)
    for sub in await w.session.scalars(
        select(FormSubmission)
        .where(
            FormSubmission.attention_id.in_(ids),
            FormSubmission.campaign_id.in_(wanted),
            FormSubmission.submitted_at.is_not(None),
        )
        .order_by(FormSubmission.attention_id, FormSubmission.segment)
    ):
        for c in by_campaign[sub.campaign_id]:
            out[sub.attention_id][c.key] = sub.values.get(c.field_key)
    return out


def form_text(value: Any, lang: Lang) -> str | None:
    """A form value as one cell: lists joined, yes or no for a checkbox."""
    if value is None or value == "" or value == []:
        return None
    if isinstance(value, bool):
        return report_labels(lang)["yes" if value else "no"]
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def header(columns: Sequence[FormColumn], lang: Lang) -> list[str]:
    labels = report_labels(lang)
    return [labels[f"attentions.{k}"] for k in FIXED] + [c.label for c in columns]


def cells(line: AttentionLine, columns: Sequence[FormColumn], win: Window, lang: Lang) -> list[Any]:
    """One export row: the same values as the page, its times on the supervisor's clock."""
    labels = report_labels(lang)
    return [
        line.id,
        line.customer,
        line.phone,
        line.username,
        labels[f"state.{line.state}"],
        " → ".join(line.campaigns),
        " → ".join(line.agents),
        local(line.started_at, win.zone),
        local(line.first_assigned_at, win.zone),
        local(line.first_reply_at, win.zone),
        local(line.ended_at, win.zone),
        line.wait_seconds,
        line.first_response_seconds,
        line.handle_seconds,
        line.transfers,
        line.reassignments,
        line.record,
        *(form_text(line.form.get(c.key), lang) for c in columns),
    ]


class AttentionsExport:
    """The report's rows for `exports.run`, every row the filters match, by keyset."""

    def __init__(self, f: ReportFilters, default_zone: str, lang: Lang) -> None:
        self.filters = f.model_copy(update={"cursor": None})
        self.default_zone = default_zone
        self.lang = lang
        self._columns: list[FormColumn] | None = None

    async def _cols(self, w: Work) -> list[FormColumn]:
        if self._columns is None:
            self._columns = await form_columns(w, self.filters)
        return self._columns

    async def header(self, w: Work) -> list[str]:
        return header(await self._cols(w), self.lang)

    async def count(self, w: Work) -> int:
        return await count(w, self.filters, window(self.filters, self.default_zone))

    async def batch(self, w: Work, after: Any, size: int) -> tuple[list[Row], Any]:
        win = window(self.filters, self.default_zone)
        cols = await self._cols(w)
        lines, last = await _lines(w, self.filters, win, after, size, cols)
        return [cells(line, cols, win, self.lang) for line in lines], last
