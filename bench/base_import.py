"""A customer base of 100,000 rows imported as the supervisor page does it (upload checked,
read in batches into staging rows, applied at once), on SQLite and PostgreSQL, CSV and XLSX.

    .venv/bin/python -m bench.base_import --rows 100000

Each import runs in a process of its own, so its peak RSS is its own (`wait4`). PostgreSQL
must be on 127.0.0.1:5432 (database `test` to create its own); `--sqlite-only` skips it.
Prints rows/s of the whole import (upload check, staging and apply) and the peak RSS, with
the process's RSS before the import for comparison.
"""

import argparse
import asyncio
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from openpyxl import Workbook

from atiende.actions import base_import, campaigns
from atiende.config import Settings
from atiende.db.migrate import upgrade
from atiende.domain.base_rows import Mapping
from atiende.runtime import create_runtime
from tests.keys import SECRET_KEY
from tests.pg import fresh_database

COLUMNS = ["documento", "nombre", "telefono", "correo", "plan", "ciudad", "saldo", "alta"]


def row(i: int) -> list[str]:
    return [
        str(10_000_000 + i),
        f"Cliente Número {i}",
        f"9{i % 100_000_000:08d}" if i % 3 else f"+51 9{i % 100_000_000:08d}",
        f"cliente{i}@example.com",
        ("Básico", "Premium", "Empresas")[i % 3],
        ("Lima", "Cusco", "Arequipa", "Trujillo")[i % 4],
        f"{(i * 37) % 10_000}.{i % 100:02d}",
        f"2026-{1 + i % 12:02d}-{1 + i % 28:02d}",
    ]


def make_files(folder: Path, rows: int) -> dict[str, Path]:
    csv_path = folder / "base.csv"
    with csv_path.open("w", encoding="utf-8") as out:
        out.write(",".join(COLUMNS) + "\n")
        for i in range(rows):
            out.write(",".join(row(i)) + "\n")
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(COLUMNS)
    for i in range(rows):
        sheet.append(row(i))
    xlsx_path = folder / "base.xlsx"
    book.save(xlsx_path)
    return {"csv": csv_path, "xlsx": xlsx_path}


def child(url: str, path: Path, imports: Path) -> None:
    """One import in this process; prints its figures as JSON."""
    upgrade(url)

    async def go() -> dict[str, float | int | str]:
        settings = Settings(database_url=url, media_dir=imports / "media")
        os.environ["ATIENDE_SECRET_KEY"] = SECRET_KEY
        rt = create_runtime(settings)
        try:
            async with rt.work() as w:
                campaign = await campaigns.do_ensure_campaign(w, "Bench")
            before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            started = time.perf_counter()
            with path.open("rb") as source:
                job = await base_import.do_receive(
                    rt.work, None, campaign.id, source, path.name, settings.base_files_dir
                )
            async with rt.work() as w:
                mapping = Mapping(tuple(job.columns), "documento", "telefono", "nombre")
                await base_import.do_start(w, job.id, mapping, None, "Bench", "replace")
            await base_import.run(rt.work, job.id)
            elapsed = time.perf_counter() - started
            async with rt.work() as w:
                done = await base_import.access_import(w, job.id)
                return {
                    "state": done.state,
                    "added": done.added,
                    "errors": done.error_count,
                    "seconds": elapsed,
                    "rss_before_kb": before,
                }
        finally:
            await rt.close()

    print(json.dumps(asyncio.run(go())))


def measure(url: str, path: Path, imports: Path) -> dict[str, float | int | str]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "bench.base_import", "--child", url, str(path), str(imports)],
        stdout=subprocess.PIPE,
        env={**os.environ, "ATIENDE_SECRET_KEY": SECRET_KEY},
    )
    assert proc.stdout is not None
    output = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"the import process failed ({proc.returncode})")
    figures: dict[str, float | int | str] = json.loads(output.decode().strip().splitlines()[-1])
    figures["peak_rss_kb"] = usage.ru_maxrss
    return figures


def report(database: str, kind: str, rows: int, f: dict[str, float | int | str]) -> None:
    seconds = float(f["seconds"])
    print(
        f"{database:<10} {kind:<4} {f['state']:<5} {f['added']:>7} rows in {seconds:5.1f} s"
        f" = {rows / seconds:>7.0f} rows/s; peak RSS {int(f['peak_rss_kb']) / 1024:.0f} MB"
        f" (before the import {int(f['rss_before_kb']) / 1024:.0f} MB)"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--sqlite-only", action="store_true")
    parser.add_argument("--child", nargs=3, metavar=("URL", "FILE", "DIR"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], Path(args.child[1]), Path(args.child[2]))
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        files = make_files(folder, args.rows)
        sizes = ", ".join(f"{k} {p.stat().st_size / 1e6:.1f} MB" for k, p in files.items())
        print(f"{args.rows} rows, {len(COLUMNS)} columns ({sizes})")
        for kind, path in files.items():
            url = f"sqlite+aiosqlite:///{folder / f'{kind}.db'}"
            report("sqlite", kind, args.rows, measure(url, path, folder / f"i-{kind}"))
            if not args.sqlite_only:
                with fresh_database("atiende_bench_bases") as pg:
                    report("postgresql", kind, args.rows, measure(pg, path, folder / f"p-{kind}"))


if __name__ == "__main__":
    main()
