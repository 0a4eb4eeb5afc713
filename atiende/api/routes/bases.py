"""Customer bases, by supervisors: list and remove a campaign's bases, upload a file, map
its columns and start the import, follow its progress, download its per-row report.

The upload and the start authenticate in transactions of their own (as `uploads.py` does):
the file is read only once the caller may give it, and the import runs after the answer."""

import re
from typing import Annotated

from fastapi import APIRouter, Header, Request, Response
from starlette.datastructures import UploadFile

from atiende.actions import base_import, bases
from atiende.actions.access import check_staff
from atiende.api.body_limit import MB, Allowance
from atiende.api.deps import RuntimeDep, WorkDep, authenticate, require_role
from atiende.domain.base_rows import Mapping
from atiende.domain.errors import Invalid
from atiende.i18n import Lang
from atiende.schemas.bases import BaseOut, ImportOut, ImportStart
from atiende.schemas.params import Id

router = APIRouter(prefix="/api", tags=["bases"])
STAFF = require_role("admin", "supervisor")

# 100,000 rows of a dozen columns weigh 10 to 15 MB as CSV, less as XLSX.
MAX_FILE_BYTES = 40 * MB
ALLOWANCE = Allowance(
    "POST", re.compile(r"/api/campaigns/[^/]+/base-imports"), MAX_FILE_BYTES + 64 * 1024
)

_MULTIPART = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {"file": {"type": "string", "format": "binary"}},
                }
            }
        },
    }
}


@router.get("/campaigns/{campaign_id}/bases", dependencies=[STAFF])
async def list_bases(campaign_id: Id, w: WorkDep) -> list[BaseOut]:
    return await bases.campaign_bases(w, campaign_id)


@router.delete("/campaigns/{campaign_id}/bases/{base_id}", status_code=204, dependencies=[STAFF])
async def remove_base(campaign_id: Id, base_id: Id, w: WorkDep) -> None:
    await bases.do_remove(w, campaign_id, base_id)


@router.post("/campaigns/{campaign_id}/base-imports", status_code=201, openapi_extra=_MULTIPART)
async def upload_base(campaign_id: Id, request: Request, rt: RuntimeDep) -> ImportOut:
    """A CSV or XLSX file (multipart `file`), checked by its content; the import waits for
    its mapping (`POST /api/base-imports/{id}/start`)."""
    async with rt.work() as w:
        user = await authenticate(w, request)
        check_staff(user)
        await bases.campaign_bases(w, campaign_id)
    async with request.form(max_files=1, max_fields=1) as form:
        file = form.get("file")
        if not isinstance(file, UploadFile):
            raise Invalid("file_missing", "Falta el archivo (campo `file`).")
        job = await base_import.do_receive(
            rt.work,
            user.id,
            campaign_id,
            file.file,
            file.filename or "base",
            rt.settings.base_files_dir,
        )
    async with rt.work() as w:
        return await bases.describe(w, job)


@router.post("/base-imports/{import_id}/start", status_code=202)
async def start_import(
    import_id: Id, body: ImportStart, request: Request, rt: RuntimeDep
) -> ImportOut:
    """Map the columns and import in the background; follow `GET /api/base-imports/{id}`."""
    async with rt.work() as w:
        user = await authenticate(w, request)
        check_staff(user)
        job = await base_import.access_import(w, import_id)
        mapping = Mapping(tuple(job.columns), body.key_column, body.phone_column, body.name_column)
        job = await base_import.do_start(
            w, import_id, mapping, body.base_id, body.base_name, body.mode
        )
        out = await bases.describe(w, job)
    rt.spawn(base_import.run(rt.work, import_id))
    return out


@router.get("/base-imports/{import_id}", dependencies=[STAFF])
async def get_import(import_id: Id, w: WorkDep) -> ImportOut:
    return await bases.import_out(w, import_id)


@router.get(
    "/base-imports/{import_id}/errors",
    dependencies=[STAFF],
    response_class=Response,
    responses={200: {"content": {"text/csv": {}}}},
)
async def import_errors(
    import_id: Id, w: WorkDep, accept_language: Annotated[str, Header()] = "es"
) -> Response:
    """The whole per-row report as CSV: row, column, reason, value."""
    lang: Lang = "en" if accept_language.lower().startswith("en") else "es"
    report = await bases.error_report(w, import_id, lang)
    return Response(
        report,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="errores-{import_id}.csv"'},
    )
