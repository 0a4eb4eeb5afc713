"""Supervisors' report: the attentions involved in transfers, filtered and paged; and its
export, read by keyset (latest transfer, attention id) a batch at a time."""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Subquery, and_, func, or_, select, true

from atiende.actions.exports import Row
from atiende.actions.report_filters import day_start, local, zone_of
from atiende.actions.segments import segments_of
from atiende.actions.work import Work
from atiende.db.models import Attention, Campaign, Transfer
from atiende.domain.customers import display_name
from atiende.domain.errors import Invalid
from atiende.i18n import Lang, report_labels
from atiende.schemas.reports import ReportFilters


@dataclass(frozen=True)
class TransferFilter:
    date_from: date | None = None
    date_to: date | None = None
    campaign_id: int | None = None
    agent_id: int | None = None
    # The supervisor's zone for the days (None: the server's).
    tz: str | None = None


def _involved(f: TransferFilter, default_zone: str) -> Subquery:
    zone = zone_of(ReportFilters(tz=f.tz), default_zone)
    if f.date_from and f.date_to and f.date_from > f.date_to:
        raise Invalid("bad_date_range", "La fecha inicial es posterior a la final.")
    conditions = []
    if f.date_from:
        conditions.append(Transfer.created_at >= day_start(f.date_from, zone))
    # Through the last representable day means no upper bound (the day after would overflow).
    if f.date_to and f.date_to < date.max:
        conditions.append(Transfer.created_at < day_start(f.date_to, zone, next_day=True))
    if f.campaign_id:
        conditions.append(
            or_(
                Transfer.from_campaign_id == f.campaign_id, Transfer.to_campaign_id == f.campaign_id
            )
        )
    if f.agent_id:
        conditions.append(
            or_(Transfer.from_agent_id == f.agent_id, Transfer.to_agent_id == f.agent_id)
        )
    return (
        select(Transfer.attention_id, func.max(Transfer.created_at).label("last_at"))
        .where(and_(true(), *conditions))
        .group_by(Transfer.attention_id)
        .subquery()
    )


async def transferred_attentions(
    w: Work, f: TransferFilter, page: int, page_size: int, default_zone: str = "UTC"
) -> tuple[list[tuple[Attention, int, datetime]], int]:
    """The attentions involved in transfers that match, newest transfer first."""
    involved = _involved(f, default_zone)
    total = await w.session.scalar(select(func.count()).select_from(involved))
    rows = await w.session.execute(
        select(Attention, Attention.transfer_count, involved.c.last_at)
        .join(involved, involved.c.attention_id == Attention.id)
        .order_by(involved.c.last_at.desc(), Attention.id.desc())
        .offset((page - 1) * page_size)
        .limit(page_size)
    )
    return [(a, n, last) for a, n, last in rows], int(total or 0)


class TransfersExport:
    """The report's rows for `exports.run`: every attention that matches, by keyset."""

    def __init__(self, f: TransferFilter, default_zone: str, lang: Lang) -> None:
        self.filters = f
        self.default_zone = default_zone
        self.lang = lang
        self.zone = zone_of(ReportFilters(tz=f.tz), default_zone)

    async def header(self, w: Work) -> list[str]:  # noqa: ARG002
        labels = report_labels(self.lang)
        keys = ("id", "customer", "phone", "state", "campaign", "count", "last", "path")
        return [labels[f"transfers.{k}"] for k in keys]

    async def count(self, w: Work) -> int:
        involved = _involved(self.filters, self.default_zone)
        return int(await w.session.scalar(select(func.count()).select_from(involved)) or 0)

    async def batch(self, w: Work, after: Any, size: int) -> tuple[list[Row], Any]:
        involved = _involved(self.filters, self.default_zone)
        query = (
            select(Attention, involved.c.last_at)
            .join(involved, involved.c.attention_id == Attention.id)
            .order_by(involved.c.last_at.desc(), Attention.id.desc())
            .limit(size + 1)
        )
        if after is not None:
            at, id_ = after
            query = query.where(
                or_(
                    involved.c.last_at < at,
                    and_(involved.c.last_at == at, Attention.id < id_),
                )
            )
        found = list(await w.session.execute(query))
        more = len(found) > size
        found = found[:size]
        attentions = [a for a, _ in found]
        segments = await segments_of(w, attentions)
        names = dict((await w.session.execute(select(Campaign.id, Campaign.name))).all())
        labels = report_labels(self.lang)
        rows: list[Row] = []
        for a, last in found:
            c = a.customer
            path: list[str] = []
            for s in segments[a.id]:
                name = names.get(s.campaign_id, "")
                if not path or path[-1] != name:
                    path.append(name)
            rows.append(
                [
                    a.id,
                    c.contact.name if c.contact else display_name(c.name, c.username, c.phone),
                    c.phone,
                    labels[f"state.{a.state}"],
                    a.campaign.name,
                    a.transfer_count,
                    local(last, self.zone),
                    " → ".join(path),
                ]
            )
        key = [found[-1][1], found[-1][0].id] if more and found else None
        return rows, key
