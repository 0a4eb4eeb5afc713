"""Importing a customer base (SPEC §6): the file is checked when it arrives, mapped by the
supervisor, read in batches into staging rows (progress counted on the import's row), then
applied to the base in one transaction. A file refused at any step changes no record.

Re-importing into a base: `update` adds the file's new keys and rewrites the known ones;
`replace` also removes the records whose key the file no longer has. Records keep their id
when their key stays, so a link from an attention survives both."""

import asyncio
import contextlib
import logging
import shutil
import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import IO, Any

from sqlalchemy import delete, exists, func, insert, literal, select, update

from atiende.actions import base_files
from atiende.actions.base_files import Layout
from atiende.actions.work import Work, WorkFactory
from atiende.db.models import (
    BaseImport,
    BaseImportError,
    BaseImportRow,
    BaseRecord,
    Campaign,
    CustomerBase,
)
from atiende.db.types import utcnow
from atiende.domain.base_rows import (
    MAX_ROWS,
    Mapper,
    Mapping,
    Record,
    RowError,
)
from atiende.domain.errors import DomainError, Invalid, NotFound
from atiende.domain.kinds import ImportState
from atiende.private_files import private_dir

log = logging.getLogger(__name__)

BATCH = 2000
# The report keeps this many rows; `error_count` counts them all.
MAX_STORED_ERRORS = 10_000
# A running import touches its row every batch; one silent this long died with its process.
STALE_AFTER = timedelta(minutes=2)
# A file uploaded and never mapped is dropped when a later upload finds it this old.
ABANDONED_AFTER = timedelta(days=1)
_COPY_CHUNK = 1024 * 1024


async def do_receive(
    work: WorkFactory,
    user_id: int | None,
    campaign_id: int,
    source: IO[bytes],
    filename: str,
    imports_dir: Path,
) -> BaseImport:
    """Keep the uploaded file and check it by its content; an import waiting for its
    mapping, or a refusal with nothing kept."""
    path = imports_dir / f"{uuid.uuid4().hex}.upload"
    await asyncio.to_thread(_keep, source, path)
    try:
        seen = await asyncio.to_thread(base_files.inspect, path, filename)
    except BaseException:
        await _remove(path)
        raise
    async with work() as w:
        await _campaign(w, campaign_id)
        await _drop_abandoned(w)
        job = BaseImport(
            campaign_id=campaign_id,
            filename=filename[-255:],
            path=str(path),
            layout={
                "kind": seen.layout.kind,
                "encoding": seen.layout.encoding,
                "delimiter": seen.layout.delimiter,
            },
            columns=list(seen.columns),
            preview=seen.preview,
            rows_total=seen.rows_total,
            created_by_id=user_id,
        )
        w.session.add(job)
        await w.session.flush()
        return job


def _keep(source: IO[bytes], path: Path) -> None:
    private_dir(path.parent)
    with path.open("xb") as out:
        path.chmod(0o600)
        shutil.copyfileobj(source, out, _COPY_CHUNK)


async def do_start(
    w: Work,
    import_id: int,
    mapping: Mapping,
    base_id: int | None,
    base_name: str | None,
    mode: str,
) -> BaseImport:
    """Check the mapping and the target base, and mark the import running (the caller then
    runs it)."""
    job = await access_import(w, import_id, lock=True)
    if job.state != ImportState.UPLOADED:
        raise Invalid("base_import_state", "Esta importación ya empezó o terminó.")
    for column in (mapping.key, mapping.phone, mapping.name):
        if column is not None and column not in job.columns:
            raise Invalid(
                "base_column_unknown",
                f"La columna {column} no está en el archivo.",
                params={"column": column[:60]},
            )
    if base_id is not None:
        base = await w.session.get(CustomerBase, base_id)
        if base is None or base.campaign_id != job.campaign_id:
            raise NotFound("base_not_found", "La base no existe.")
        job.base_id, job.base_name = base.id, base.name
    else:
        name = (base_name or Path(job.filename).stem or "Base").strip()[:120]
        await _check_name_free(w, job.campaign_id, name)
        job.base_name = name
    campaign = await _campaign(w, job.campaign_id)
    job.key_column, job.phone_column, job.name_column = mapping.key, mapping.phone, mapping.name
    job.mode = mode if base_id is not None else "replace"
    job.region = campaign.default_region
    job.state = ImportState.RUNNING
    job.started_at = job.heartbeat_at = utcnow()
    await w.session.flush()
    return job


async def access_import(w: Work, import_id: int, *, lock: bool = False) -> BaseImport:
    query = select(BaseImport).where(BaseImport.id == import_id)
    if lock:
        query = query.with_for_update()
    job = await w.session.scalar(query)
    if job is None:
        raise NotFound("base_import_not_found", "La importación no existe.")
    return job


async def run(work: WorkFactory, import_id: int) -> None:
    """Read the file into staging rows batch by batch, then apply them at once. Whatever
    stops it on the way leaves the base as it was."""
    try:
        await _read(work, import_id)
        await _apply(work, import_id)
    except DomainError as refused:
        await _fail(work, import_id, refused.code, refused.params)
    except Exception:
        log.exception("customer base import %s failed", import_id)
        await _fail(work, import_id, "base_import_failed", {})
    finally:
        async with work() as w:
            job = await w.session.get(BaseImport, import_id)
            path = Path(job.path) if job else None
        if path is not None:
            await _remove(path)


async def _read(work: WorkFactory, import_id: int) -> None:
    async with work() as w:
        job = await access_import(w, import_id)
        path, layout = Path(job.path), Layout(**job.layout)
        assert job.key_column and job.phone_column and job.region
        mapping = Mapping(tuple(job.columns), job.key_column, job.phone_column, job.name_column)
        mapper = Mapper(mapping, job.region)
    rows = base_files.data_rows(path, layout)
    read = errors = 0
    # The next batch is parsed in a thread while this one is written: the file's parsing
    # and the database's writing overlap instead of taking turns.
    parsing = asyncio.ensure_future(asyncio.to_thread(_next_batch, rows, mapper))
    try:
        while batch := await parsing:
            parsing = asyncio.ensure_future(asyncio.to_thread(_next_batch, rows, mapper))
            read += len(batch)
            if read > MAX_ROWS:
                raise Invalid(
                    "base_too_many_rows",
                    f"El archivo pasa de {MAX_ROWS} filas: no se importó nada.",
                    params={"max": MAX_ROWS},
                )
            found = [r for r in batch if isinstance(r, RowError)]
            async with work() as w:
                await _stage(w, import_id, batch, found, errors, read)
            errors += len(found)
    finally:
        # The thread may still be inside the generator: it must finish before it is closed.
        with contextlib.suppress(Exception):
            await parsing
        rows.close()


def _next_batch(rows: Iterator[tuple[int, list[str]]], mapper: Mapper) -> list[Record | RowError]:
    batch: list[Record | RowError] = []
    for number, cells in rows:
        batch.append(mapper.record(number, cells))
        if len(batch) == BATCH:
            break
    return batch


async def _stage(
    w: Work,
    import_id: int,
    batch: list[Record | RowError],
    found: list[RowError],
    errors_before: int,
    read: int,
) -> None:
    records = [r for r in batch if isinstance(r, Record)]
    if records:
        await w.session.execute(
            insert(BaseImportRow),
            [
                {
                    "import_id": import_id,
                    "key": r.key,
                    "phone": r.phone,
                    "name": r.name,
                    "fields": r.fields,
                    "search": r.search,
                }
                for r in records
            ],
        )
    room = max(MAX_STORED_ERRORS - errors_before, 0)
    if found and room:
        await w.session.execute(
            insert(BaseImportError),
            [
                {
                    "import_id": import_id,
                    "row": e.row,
                    "column": e.column,
                    "reason": e.reason,
                    "value": e.value,
                }
                for e in found[:room]
            ],
        )
    await w.session.execute(
        update(BaseImport)
        .where(BaseImport.id == import_id)
        .values(rows_read=read, error_count=errors_before + len(found), heartbeat_at=utcnow())
    )


async def _apply(work: WorkFactory, import_id: int) -> None:
    async with work() as w:
        job = await access_import(w, import_id, lock=True)
        base = await _target(w, job)
        staged = BaseImportRow.import_id == job.id
        same_key = (BaseImportRow.key == BaseRecord.key) & (BaseRecord.base_id == base.id)
        if job.mode == "replace":
            gone = await w.session.execute(
                delete(BaseRecord)
                .where(BaseRecord.base_id == base.id, ~exists().where(staged, same_key))
                .execution_options(synchronize_session=False)
            )
            job.removed = _count(gone)
        changed = await w.session.execute(
            update(BaseRecord)
            .where(staged, same_key)
            .values(
                phone=BaseImportRow.phone,
                name=BaseImportRow.name,
                fields=BaseImportRow.fields,
                search=BaseImportRow.search,
            )
            .execution_options(synchronize_session=False)
        )
        job.updated = _count(changed)
        new = select(
            literal(base.id),
            BaseImportRow.key,
            BaseImportRow.phone,
            BaseImportRow.name,
            BaseImportRow.fields,
            BaseImportRow.search,
        ).where(staged, ~exists().where(same_key))
        added = await w.session.execute(
            insert(BaseRecord).from_select(
                ["base_id", "key", "phone", "name", "fields", "search"], new
            )
        )
        job.added = _count(added)
        await w.session.execute(delete(BaseImportRow).where(staged))
        base.record_count = (
            await w.session.scalar(select(func.count()).where(BaseRecord.base_id == base.id)) or 0
        )
        base.updated_at = utcnow()
        job.base_id = base.id
        job.state = ImportState.DONE
        job.finished_at = utcnow()


def _count(result: Any) -> int:
    return max(int(result.rowcount or 0), 0)


async def _target(w: Work, job: BaseImport) -> CustomerBase:
    """The base the import goes into, with the import's mapping; created for a new one."""
    assert job.key_column and job.phone_column
    base = (
        await w.session.get(CustomerBase, job.base_id, with_for_update=True)
        if job.base_id
        else None
    )
    if job.base_id is not None and base is None:  # removed while the file was read
        raise NotFound("base_not_found", "La base no existe.")
    if base is None:
        name = job.base_name or "Base"
        await _check_name_free(w, job.campaign_id, name)
        base = CustomerBase(
            campaign_id=job.campaign_id,
            name=name,
            key_column=job.key_column,
            phone_column=job.phone_column,
        )
        w.session.add(base)
    base.key_column, base.phone_column = job.key_column, job.phone_column
    base.name_column, base.columns = job.name_column, list(job.columns)
    await w.session.flush()
    return base


async def _fail(work: WorkFactory, import_id: int, code: str, params: dict[str, Any]) -> None:
    async with work() as w:
        await w.session.execute(delete(BaseImportRow).where(BaseImportRow.import_id == import_id))
        await w.session.execute(
            update(BaseImport)
            .where(BaseImport.id == import_id)
            .values(
                state=ImportState.FAILED,
                failure_code=code,
                failure_params=params,
                finished_at=utcnow(),
            )
        )


async def fail_if_stale(w: Work, job: BaseImport) -> None:
    """A running import whose process died is failed (and its staging rows dropped) when
    someone looks at it."""
    if job.state != ImportState.RUNNING or job.heartbeat_at is None:
        return
    if utcnow() - job.heartbeat_at < STALE_AFTER:
        return
    await w.session.execute(delete(BaseImportRow).where(BaseImportRow.import_id == job.id))
    job.state = ImportState.FAILED
    job.failure_code = "base_import_interrupted"
    job.failure_params = {}
    job.finished_at = utcnow()
    await _remove(Path(job.path))


async def _drop_abandoned(w: Work) -> None:
    old = await w.session.scalars(
        select(BaseImport).where(
            BaseImport.state == ImportState.UPLOADED,
            BaseImport.created_at < utcnow() - ABANDONED_AFTER,
        )
    )
    for job in old:
        job.state = ImportState.FAILED
        job.failure_code = "base_import_abandoned"
        job.failure_params = {}
        job.finished_at = utcnow()
        await _remove(Path(job.path))


async def _check_name_free(w: Work, campaign_id: int, name: str) -> None:
    taken = await w.session.scalar(
        select(CustomerBase.id).where(
            CustomerBase.campaign_id == campaign_id, CustomerBase.name == name
        )
    )
    if taken is not None:
        raise Invalid(
            "base_name_taken",
            f"La campaña ya tiene una base llamada {name}.",
            params={"name": name[:60]},
        )


async def _campaign(w: Work, campaign_id: int) -> Campaign:
    campaign = await w.session.get(Campaign, campaign_id)
    if campaign is None:
        raise NotFound("campaign_not_found", "La campaña no existe.")
    return campaign


async def _remove(path: Path) -> None:
    await asyncio.to_thread(path.unlink, True)
