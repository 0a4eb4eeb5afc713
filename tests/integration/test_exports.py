"""Exports of any report: written in batches to a file, read back with the same values,
followed and downloaded by their owner only, stopped when dropped, failed when the source
fails."""

import csv
import io
from datetime import datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from atiende.actions import exports
from atiende.actions.work import Work
from atiende.db.models import ExportJob
from atiende.domain.kinds import ExportFormat, ExportState
from tests.integration.conftest import World

ROWS = 2_345
WHEN = datetime(2026, 11, 30, 23, 59, 58)


class Numbers:
    """A report of `n` rows read by keyset on the row number, a batch at a time."""

    def __init__(self, n: int, fail_after: int | None = None) -> None:
        self.n = n
        self.fail_after = fail_after
        self.batches: list[int] = []

    async def header(self, w: Work) -> list[str]:  # noqa: ARG002
        return ["N", "Nombre", "Cuándo", "Vacío", "Teléfono"]

    async def count(self, w: Work) -> int:  # noqa: ARG002
        return self.n

    async def batch(self, w: Work, after: Any, size: int) -> tuple[list[exports.Row], Any]:  # noqa: ARG002
        start = (after or 0) + 1
        if self.fail_after is not None and start > self.fail_after:
            raise RuntimeError("the database went away")
        rows: list[exports.Row] = [
            [i, "=HYPERLINK(1)" if i == 1 else f"Cliente {i}", WHEN, None, "+51987654321"]
            for i in range(start, min(start + size, self.n + 1))
        ]
        self.batches.append(len(rows))
        last = start + len(rows) - 1
        return rows, (last if rows and last < self.n else None)


async def _start(world: World, username: str, fmt: ExportFormat) -> int:
    async with world.rt.work() as w:
        job = await exports.do_start(
            w, world.users[username].id, "numbers", fmt, "numeros", _dir(world)
        )
        return job.id


def _dir(world: World) -> Path:
    return world.rt.settings.export_files_dir


@pytest.mark.parametrize("fmt", [ExportFormat.CSV, ExportFormat.XLSX])
async def test_an_export_reads_back_with_the_same_values(world: World, fmt: ExportFormat) -> None:
    job_id = await _start(world, "supervisor", fmt)
    source = Numbers(ROWS)
    await exports.run(world.rt.work, job_id, source, fmt, "Números", _dir(world), batch_size=500)
    # Never more than a batch in hand.
    assert max(source.batches) == 500 and sum(source.batches) == ROWS

    sup = await world.login("supervisor")
    status = (await sup.get(f"/api/exports/{job_id}")).json()
    assert status["state"] == "done"
    assert (status["rows_done"], status["rows_total"]) == (ROWS, ROWS)
    assert status["filename"] == f"numeros.{fmt}"
    got = await sup.get(f"/api/exports/{job_id}/file")
    assert got.status_code == 200
    assert f'filename="numeros.{fmt}"' in got.headers["content-disposition"]
    assert got.headers["content-type"].startswith(exports.MEDIA_TYPES[fmt].split(";")[0])

    if fmt == ExportFormat.CSV:
        rows = list(csv.reader(io.StringIO(got.content.decode("utf-8-sig"))))
        assert rows[0] == ["N", "Nombre", "Cuándo", "Vacío", "Teléfono"]
        # A customer's text never becomes a formula; a phone stays a phone.
        assert rows[1] == ["1", "'=HYPERLINK(1)", "2026-11-30 23:59:58", "", "+51987654321"]
        assert rows[ROWS] == [
            str(ROWS),
            f"Cliente {ROWS}",
            "2026-11-30 23:59:58",
            "",
            "+51987654321",
        ]
        assert len(rows) == ROWS + 1
    else:
        book = openpyxl.load_workbook(io.BytesIO(got.content), read_only=True)
        sheet = book.active
        assert sheet is not None
        values = [list(r) for r in sheet.iter_rows(values_only=True)]
        assert values[0] == ["N", "Nombre", "Cuándo", "Vacío", "Teléfono"]
        assert values[1] == [1, "=HYPERLINK(1)", WHEN, None, "+51987654321"]
        assert values[ROWS] == [ROWS, f"Cliente {ROWS}", WHEN, None, "+51987654321"]
        cell = next(sheet.iter_rows(min_row=2, max_row=2))[1]
        assert cell.data_type == "s"
        assert len(values) == ROWS + 1


async def test_only_its_owner_follows_downloads_and_drops_an_export(world: World) -> None:
    job_id = await _start(world, "supervisor", ExportFormat.CSV)
    await exports.run(world.rt.work, job_id, Numbers(3), ExportFormat.CSV, "N", _dir(world))
    admin = await world.login("admin")
    agent = await world.login("agente1")
    for path in (f"/api/exports/{job_id}", f"/api/exports/{job_id}/file"):
        assert (await admin.get(path)).status_code == 404
        assert (await agent.get(path)).status_code == 403
    assert (await admin.delete(f"/api/exports/{job_id}")).status_code == 404
    assert (await agent.delete(f"/api/exports/{job_id}")).status_code == 403

    sup = await world.login("supervisor")
    files = list(_dir(world).iterdir())
    assert len(files) == 1
    assert (await sup.delete(f"/api/exports/{job_id}")).status_code == 204
    assert not files[0].exists()
    assert (await sup.get(f"/api/exports/{job_id}")).status_code == 404


async def test_a_dropped_export_stops_and_leaves_no_file(world: World) -> None:
    job_id = await _start(world, "supervisor", ExportFormat.XLSX)

    class DroppedMidway(Numbers):
        async def batch(self, w: Work, after: Any, size: int) -> tuple[list[exports.Row], Any]:
            if after is not None:
                await w.session.delete(await w.session.get_one(ExportJob, job_id))
                await w.session.flush()
            return await super().batch(w, after, size)

    source = DroppedMidway(50)
    await exports.run(world.rt.work, job_id, source, ExportFormat.XLSX, "N", _dir(world), 10)
    assert source.batches == [10, 10]
    assert list(_dir(world).iterdir()) == []


async def test_a_failing_source_fails_the_export(world: World) -> None:
    job_id = await _start(world, "supervisor", ExportFormat.CSV)
    source = Numbers(50, fail_after=20)
    await exports.run(world.rt.work, job_id, source, ExportFormat.CSV, "N", _dir(world), 10)
    sup = await world.login("supervisor")
    status = (await sup.get(f"/api/exports/{job_id}")).json()
    assert (status["state"], status["error_code"], status["rows_done"]) == (
        "failed",
        "export_failed",
        20,
    )
    refused = await sup.get(f"/api/exports/{job_id}/file")
    assert (refused.status_code, refused.json()["code"]) == (409, "export_not_ready")
    assert list(_dir(world).iterdir()) == []


async def test_a_user_runs_a_few_exports_at_a_time(world: World) -> None:
    for _ in range(exports.MAX_RUNNING):
        await _start(world, "supervisor", ExportFormat.CSV)
    with pytest.raises(exports.TooManyExports):
        await _start(world, "supervisor", ExportFormat.CSV)
    # Another user's are his own.
    await _start(world, "admin", ExportFormat.CSV)


async def test_a_job_left_running_by_a_dead_process_reads_as_interrupted(world: World) -> None:
    job_id = await _start(world, "supervisor", ExportFormat.CSV)
    async with world.rt.work() as w:
        job = await w.session.get_one(ExportJob, job_id)
        job.updated_at = job.updated_at - exports.STALE * 2
    sup = await world.login("supervisor")
    status = (await sup.get(f"/api/exports/{job_id}")).json()
    assert (status["state"], status["error_code"]) == (ExportState.FAILED, "export_interrupted")
