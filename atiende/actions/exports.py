"""Exports of any report as CSV or XLSX, written in the background in constant memory.

A report gives a `Source`: its header, its row count and its rows a keyset batch at a time,
each batch read in a short transaction of its own. `run` writes the batches to a file in the
exports folder as they come (CSV line by line; XLSX through openpyxl's write-only workbook,
which keeps no rows in memory) and records `rows_done` after each, so the page shows
progress; the finished file is downloaded by its owner only (anyone else is told it does not
exist). A job is kept an hour after it finished; one whose process died stops being touched
and is marked failed after `STALE`.

The route pattern, for every report: `POST /api/reports/<report>/exports` (the filters, the
format, the language) answers 202 with the job and spawns `run`; `GET /api/exports/{id}`
polls it; `GET /api/exports/{id}/file` downloads it; `DELETE /api/exports/{id}` drops it.
"""

import asyncio
import csv
import io
import logging
import re
import secrets
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Protocol

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from sqlalchemy import select, update

from atiende.actions.work import Work, WorkFactory
from atiende.db.models import ExportJob
from atiende.db.types import utcnow
from atiende.domain.errors import DomainError, NotFound
from atiende.domain.kinds import ExportFormat, ExportState

log = logging.getLogger(__name__)

# One value of a row: datetimes are the supervisor's wall clock, without a zone.
Cell = str | int | float | datetime | None
Row = Sequence[Cell]

BATCH = 1000
KEEP = timedelta(hours=1)
STALE = timedelta(minutes=10)
MAX_RUNNING = 3
DATETIME_FORMAT = "%Y-%m-%d %H:%M:%S"
XLSX_DATETIME_FORMAT = "yyyy-mm-dd hh:mm:ss"
MEDIA_TYPES = {
    ExportFormat.CSV: "text/csv; charset=utf-8",
    ExportFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class Source(Protocol):
    """One report's rows for an export. `batch` takes the key after which to read (None for
    the first batch) and answers the rows and the key of the last one, None when done."""

    async def header(self, w: Work) -> list[str]: ...

    async def count(self, w: Work) -> int: ...

    async def batch(self, w: Work, after: Any, size: int) -> tuple[list[Row], Any]: ...


class TooManyExports(DomainError):
    status = 429


# A spreadsheet reads a cell that starts with these as a formula: a customer's name must
# not become one. A phone or a number (+51 987..., -3) and a username (@ana) are left as
# they are: an "@" only calls something with a parenthesis, a pipe or a sheet reference.
_FORMULA = re.compile(r"^[=\t\r]|^@(?=.*[(|!])|^[+-](?![\d .()-]*$)")


def csv_text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime(DATETIME_FORMAT)
    if isinstance(value, str) and _FORMULA.match(value):
        return "'" + value
    return str(value)


def csv_lines(rows: Iterable[Row]) -> Iterator[str]:
    """The CSV text of the rows, one line at a time."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in rows:
        writer.writerow([csv_text(v) for v in row])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()


class _Sink(Protocol):
    def write(self, rows: Sequence[Row]) -> None: ...

    def close(self) -> None: ...


class _CsvSink:
    def __init__(self, path: Path, header: Sequence[str]) -> None:
        # With a BOM: Excel reads the accents right only then.
        self._file = path.open("w", encoding="utf-8-sig", newline="")
        self._file.writelines(csv_lines([header]))

    def write(self, rows: Sequence[Row]) -> None:
        self._file.writelines(csv_lines(rows))

    def close(self) -> None:
        self._file.close()


class _XlsxSink:
    def __init__(self, path: Path, header: Sequence[str], title: str) -> None:
        self._path = path
        self._book = Workbook(write_only=True)
        sheet = self._book.create_sheet(title[:31])
        assert isinstance(sheet, WriteOnlyWorksheet)
        self._sheet = sheet
        self._sheet.append(list(header))

    def write(self, rows: Sequence[Row]) -> None:
        for row in rows:
            self._sheet.append([self._cell(v) for v in row])

    def _cell(self, value: Cell) -> Any:
        if isinstance(value, datetime):
            cell = WriteOnlyCell(self._sheet, value)
            cell.number_format = XLSX_DATETIME_FORMAT
            return cell
        if isinstance(value, str) and value.startswith("="):
            # Kept as the text it is: openpyxl would store a formula.
            cell = WriteOnlyCell(self._sheet, value)
            cell.data_type = "s"
            return cell
        return value

    def close(self) -> None:
        self._book.save(self._path)


def _sink(fmt: str, path: Path, header: Sequence[str], title: str) -> _Sink:
    if fmt == ExportFormat.XLSX:
        return _XlsxSink(path, header, title)
    return _CsvSink(path, header)


async def do_start(
    w: Work, owner_id: int, report: str, fmt: ExportFormat, filename: str, directory: Path
) -> ExportJob:
    """A new job of `owner_id`, running; the caller spawns `run` after the commit."""
    await purge(w, directory)
    running = await w.session.scalar(
        select(ExportJob.id)
        .where(ExportJob.owner_id == owner_id, ExportJob.state == ExportState.RUNNING)
        .offset(MAX_RUNNING - 1)
        .limit(1)
    )
    if running is not None:
        raise TooManyExports(
            "too_many_exports",
            "Espere a que termine una de sus exportaciones.",
            params={"max": MAX_RUNNING},
        )
    job = ExportJob(
        owner_id=owner_id, report=report, format=fmt, filename=f"{filename}.{fmt}", rows_done=0
    )
    w.session.add(job)
    await w.session.flush()
    return job


async def job_of(w: Work, job_id: int, user_id: int) -> ExportJob:
    """The job if it is the user's; anybody else's is as if it did not exist."""
    job = await w.session.get(ExportJob, job_id)
    if job is None or job.owner_id != user_id:
        raise NotFound("export_not_found", "La exportación no existe.")
    if job.state == ExportState.RUNNING and job.updated_at < utcnow() - STALE:
        job.state = ExportState.FAILED
        job.error_code = "export_interrupted"
        job.finished_at = utcnow()
    return job


async def file_of(w: Work, job_id: int, user_id: int, directory: Path) -> tuple[Path, ExportJob]:
    job = await job_of(w, job_id, user_id)
    path = directory / job.file if job.file else None
    if job.state != ExportState.DONE or path is None or not path.is_file():
        raise DomainError("export_not_ready", "La exportación aún no está lista.")
    return path, job


async def do_delete(w: Work, job_id: int, user_id: int, directory: Path) -> None:
    """Drop the job and its file; a running one stops at its next batch."""
    job = await job_of(w, job_id, user_id)
    if job.file:
        (directory / job.file).unlink(missing_ok=True)
    await w.session.delete(job)


async def purge(w: Work, directory: Path) -> None:
    """Forget jobs finished more than `KEEP` ago, and their files."""
    old = list(
        await w.session.scalars(
            select(ExportJob).where(
                ExportJob.state != ExportState.RUNNING, ExportJob.updated_at < utcnow() - KEEP
            )
        )
    )
    for job in old:
        if job.file:
            (directory / job.file).unlink(missing_ok=True)
        await w.session.delete(job)


async def run(
    work: WorkFactory,
    job_id: int,
    source: Source,
    fmt: ExportFormat,
    title: str,
    directory: Path,
    batch_size: int = BATCH,
) -> None:
    """Write every row of `source` to the job's file, recording the progress per batch."""
    await asyncio.to_thread(directory.mkdir, parents=True, exist_ok=True)
    name = f"{job_id}-{secrets.token_hex(8)}.{fmt}"
    part = directory / f"{name}.part"
    sink: _Sink | None = None
    done = 0
    try:
        async with work() as w:
            header = await source.header(w)
            total = await source.count(w)
            if not await _touch(w, job_id, rows_total=total):
                return
        sink = _sink(fmt, part, header, title)
        after: Any = None
        while True:
            async with work() as w:
                rows, after = await source.batch(w, after, batch_size)
                if not await _touch(w, job_id, rows_done=done):
                    return
            # The file's work (an XLSX row is some CPU) stays off the event loop.
            await asyncio.to_thread(sink.write, rows)
            done += len(rows)
            if after is None or not rows:
                break
        await asyncio.to_thread(sink.close)
        sink = None
        part.rename(directory / name)
        async with work() as w:
            finished = await _touch(
                w,
                job_id,
                rows_done=done,
                state=ExportState.DONE,
                file=name,
                finished_at=utcnow(),
            )
        if not finished:
            (directory / name).unlink(missing_ok=True)
    except Exception:
        log.exception("export %s failed", job_id)
        async with work() as w:
            failed = {"state": ExportState.FAILED, "error_code": "export_failed"}
            await _touch(w, job_id, rows_done=done, finished_at=utcnow(), **failed)
    finally:
        if sink is not None:
            try:
                sink.close()
            except Exception:
                log.exception("export %s: closing its file", job_id)
        part.unlink(missing_ok=True)


async def _touch(w: Work, job_id: int, **values: Any) -> bool:
    """Record progress; False when the job is gone (its owner dropped it)."""
    result = await w.session.execute(
        update(ExportJob)
        .where(ExportJob.id == job_id, ExportJob.state == ExportState.RUNNING)
        .values(updated_at=utcnow(), **values)
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(result, "rowcount", 0))
