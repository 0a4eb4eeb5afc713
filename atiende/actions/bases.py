"""A campaign's customer bases as supervisors see them: the list, an import's progress and
its per-row report, removing a base."""

import csv
import io

from sqlalchemy import select

from atiende.actions.base_import import access_import, fail_if_stale
from atiende.actions.work import Work
from atiende.db.models import BaseImport, BaseImportError, BaseRecord, Campaign, CustomerBase
from atiende.domain.base_rows import Mapper, Mapping, Record, suggest
from atiende.domain.errors import NotFound
from atiende.i18n import Lang, error_text
from atiende.schemas.bases import BaseOut, ImportOut

SHOWN_ERRORS = 50


async def campaign_bases(w: Work, campaign_id: int) -> list[BaseOut]:
    if await w.session.get(Campaign, campaign_id) is None:
        raise NotFound("campaign_not_found", "La campaña no existe.")
    found = await w.session.scalars(
        select(CustomerBase)
        .where(CustomerBase.campaign_id == campaign_id)
        .order_by(CustomerBase.name)
    )
    return [BaseOut.of(b) for b in found]


async def do_remove(w: Work, campaign_id: int, base_id: int) -> None:
    """Remove a base and its records; attentions linked to one keep what it said."""
    base = await w.session.get(CustomerBase, base_id)
    if base is None or base.campaign_id != campaign_id:
        raise NotFound("base_not_found", "La base no existe.")
    await w.session.delete(base)


async def import_out(w: Work, import_id: int) -> ImportOut:
    job = await access_import(w, import_id)
    await fail_if_stale(w, job)
    return await describe(w, job)


async def describe(w: Work, job: BaseImport) -> ImportOut:
    shown = await w.session.scalars(
        select(BaseImportError)
        .where(BaseImportError.import_id == job.id)
        .order_by(BaseImportError.row)
        .limit(SHOWN_ERRORS)
    )
    return ImportOut.of(job, list(shown), suggest(job.columns))


async def error_report(w: Work, import_id: int, lang: Lang) -> str:
    """The rows an import skipped as CSV: row, column, reason, value. A value that a
    spreadsheet would take for a formula is prefixed with an apostrophe."""
    job = await access_import(w, import_id)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(_HEADER[lang])
    found = await w.session.stream_scalars(
        select(BaseImportError)
        .where(BaseImportError.import_id == job.id)
        .order_by(BaseImportError.row)
    )
    async for e in found:
        reason = error_text(lang, f"base_row.{e.reason}", {}) or e.reason
        writer.writerow([e.row, _cell(e.column), reason, _cell(e.value)])
    return out.getvalue()


_HEADER: dict[Lang, list[str]] = {
    "es": ["fila", "columna", "motivo", "valor"],
    "en": ["row", "column", "reason", "value"],
}


def _cell(value: str | None) -> str:
    if value and value[0] in "=+-@\t\r":
        return "'" + value
    return value or ""


async def find_target(w: Work, campaign_name: str, base_name: str) -> tuple[int, int | None]:
    """The campaign of that name and its base of that name, if it has one (the CLI's
    way of naming them)."""
    campaign = await w.session.scalar(select(Campaign).where(Campaign.name == campaign_name))
    if campaign is None:
        raise NotFound("campaign_not_found", "La campaña no existe.")
    base = await w.session.scalar(
        select(CustomerBase.id).where(
            CustomerBase.campaign_id == campaign.id, CustomerBase.name == base_name
        )
    )
    return campaign.id, base


async def do_add_small_base(
    w: Work, campaign: Campaign, name: str, mapping: Mapping, rows: list[list[str]]
) -> CustomerBase | None:
    """A base given as rows in memory (the demo's), unless the campaign has one so named;
    rows that would be errors in a file are left out. Files go through `base_import`."""
    taken = await w.session.scalar(
        select(CustomerBase.id).where(
            CustomerBase.campaign_id == campaign.id, CustomerBase.name == name
        )
    )
    if taken is not None:
        return None
    base = CustomerBase(
        campaign_id=campaign.id,
        name=name,
        key_column=mapping.key,
        phone_column=mapping.phone,
        name_column=mapping.name,
        columns=list(mapping.columns),
    )
    w.session.add(base)
    await w.session.flush()
    mapper = Mapper(mapping, campaign.default_region)
    made = [mapper.record(n, cells) for n, cells in enumerate(rows, start=2)]
    for r in made:
        if isinstance(r, Record):
            w.session.add(
                BaseRecord(
                    base_id=base.id,
                    key=r.key,
                    phone=r.phone,
                    name=r.name,
                    fields=r.fields,
                    search=r.search,
                )
            )
    base.record_count = sum(isinstance(r, Record) for r in made)
    await w.session.flush()
    return base
