"""Supervisors' reports and their exports.

Every report's export starts with `POST /api/reports/<report>/exports` (through
`start_export`), then is followed, downloaded and dropped through the routes below by the
user who started it; anyone else gets 404.
"""

from typing import Annotated

from fastapi import APIRouter, Header, Query, Request
from fastapi.responses import FileResponse

from atiende.actions import attentions_report, exports, report_filters, transfers_report
from atiende.actions.access import check_staff
from atiende.api.deps import CurrentUser, RuntimeDep, WorkDep, authenticate, require_role
from atiende.domain.kinds import ExportFormat
from atiende.i18n import Lang, report_labels
from atiende.runtime import Runtime
from atiende.schemas.attentions import AttentionOut
from atiende.schemas.params import Id
from atiende.schemas.reports import (
    AttentionReportPage,
    AttentionReportRow,
    ExportOut,
    ExportStart,
    ReportColumn,
    ReportFilters,
    TransferReport,
    TransferRow,
)

router = APIRouter(prefix="/api", tags=["reports"])
STAFF = require_role("admin", "supervisor")


async def start_export(
    rt: Runtime,
    request: Request,
    report: str,
    body: ExportStart,
    filename: str,
    title: str,
    source: exports.Source,
) -> ExportOut:
    """A report's export route in one call: the job is committed, then written beside the
    requests; the answer is the job to poll."""
    # Bad filters are refused now, not found by the job later.
    report_filters.window(body.filters, rt.settings.time_zone)
    fmt = ExportFormat(body.format)
    directory = rt.settings.export_files_dir
    async with rt.work() as w:
        user = await authenticate(w, request)
        check_staff(user)
        job = await exports.do_start(w, user.id, report, fmt, filename, directory)
        out = ExportOut.model_validate(job, from_attributes=True)
    rt.spawn(exports.run(rt.work, job.id, source, fmt, title, directory))
    return out


@router.get("/exports/{export_id}", dependencies=[STAFF])
async def get_export(export_id: Id, user: CurrentUser, w: WorkDep) -> ExportOut:
    job = await exports.job_of(w, export_id, user.id)
    return ExportOut.model_validate(job, from_attributes=True)


@router.get(
    "/exports/{export_id}/file",
    dependencies=[STAFF],
    response_class=FileResponse,
    responses={
        200: {
            "content": {
                exports.MEDIA_TYPES[ExportFormat.CSV]: {},
                exports.MEDIA_TYPES[ExportFormat.XLSX]: {},
            }
        }
    },
)
async def download_export(
    export_id: Id, user: CurrentUser, w: WorkDep, rt: RuntimeDep
) -> FileResponse:
    path, job = await exports.file_of(w, export_id, user.id, rt.settings.export_files_dir)
    return FileResponse(
        path, media_type=exports.MEDIA_TYPES[ExportFormat(job.format)], filename=job.filename
    )


@router.delete("/exports/{export_id}", status_code=204, dependencies=[STAFF])
async def delete_export(export_id: Id, user: CurrentUser, w: WorkDep, rt: RuntimeDep) -> None:
    await exports.do_delete(w, export_id, user.id, rt.settings.export_files_dir)


def _lang(accept_language: str) -> Lang:
    return "en" if accept_language.lower().startswith("en") else "es"


@router.get("/reports/attentions", dependencies=[STAFF])
async def attentions_page(
    filters: Annotated[ReportFilters, Query()],
    w: WorkDep,
    rt: RuntimeDep,
    accept_language: Annotated[str, Header()] = "es",
) -> AttentionReportPage:
    """*Reporte de atenciones*: a page of attentions, newest first; `next_cursor` asks for
    the next one."""
    lang = _lang(accept_language)
    page = await attentions_report.page(w, filters, rt.settings.time_zone)
    return AttentionReportPage(
        form_columns=[ReportColumn(key=c.key, label=c.label) for c in page.columns],
        items=[
            AttentionReportRow.model_validate(
                {
                    **vars(line),
                    "form": {
                        c.key: attentions_report.form_text(line.form.get(c.key), lang)
                        for c in page.columns
                    },
                }
            )
            for line in page.lines
        ],
        next_cursor=page.next_cursor,
        total=page.total,
    )


# No STAFF dependency on an export's start: its own transaction checks the caller (a request
# transaction held open beside it would lock SQLite).
@router.post("/reports/attentions/exports", status_code=202)
async def export_attentions(body: ExportStart, request: Request, rt: RuntimeDep) -> ExportOut:
    """Every attention the filters match, as CSV or XLSX; follow `GET /api/exports/{id}`."""
    labels = report_labels(body.lang)
    source = attentions_report.AttentionsExport(body.filters, rt.settings.time_zone, body.lang)
    return await start_export(
        rt,
        request,
        "attentions",
        body,
        labels["attentions.file"],
        labels["attentions.title"],
        source,
    )


@router.get("/reports/transfers", dependencies=[STAFF])
async def transfers_page(
    filters: Annotated[ReportFilters, Query()], w: WorkDep, rt: RuntimeDep
) -> TransferReport:
    """*Reporte de transferencias*: the transferred attentions, the newest first transfer
    first; the days, campaign and agent are the transfers', the rest the attention's."""
    page = await transfers_report.page(w, filters, rt.settings.time_zone)
    return TransferReport(
        items=[
            TransferRow(
                attention=AttentionOut.of(line.attention),
                transfer_count=line.attention.transfer_count,
                first_transfer_at=line.first_at,
                last_transfer_at=line.last_at,
            )
            for line in page.lines
        ],
        next_cursor=page.next_cursor,
        total=page.total,
    )


@router.post("/reports/transfers/exports", status_code=202)
async def export_transfers(body: ExportStart, request: Request, rt: RuntimeDep) -> ExportOut:
    """*Reporte de transferencias* as CSV or XLSX, with its campaigns path."""
    labels = report_labels(body.lang)
    source = transfers_report.TransfersExport(body.filters, rt.settings.time_zone, body.lang)
    return await start_export(
        rt,
        request,
        "transfers",
        body,
        labels["transfers.file"],
        labels["transfers.title"],
        source,
    )
