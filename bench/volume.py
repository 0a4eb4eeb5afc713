"""Reads at a year's volume: each list's and report's first page, and a month's export.

    .venv/bin/python -m bench.volume [--scale 1] [--repeat 5] [--database NAME [--reuse]]

Seeds the demo into a PostgreSQL database of its own, adds the volume (`bench/volume_seed.py`:
1,000,000 messages, 100,000 attentions, 20,000 transfers, 500 agents, a year of agent
states), then asks the API in process, over HTTP, as the supervisor (the agent for his own
lists) for each first page: the median of `--repeat` timings, the SQL statements one page costs
and the bytes it returns. A month's export is timed with the process's peak memory beside it.
`--database NAME --reuse` keeps the seeded database between runs (seeding takes minutes).
"""

import argparse
import asyncio
import base64
import hashlib
import os
import statistics
import tempfile
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg
import httpx
from pydantic import SecretStr

from atiende.api.app import create_app
from atiende.config import Settings
from atiende.runtime import Runtime
from bench.volume_seed import seed
from tests.history_seed import counting
from tests.keys import SECRET_KEY
from tests.procs import run
from tests.services import PG_ADMIN_URL, require_postgres

TZ = "America/Lima"


def _rss_mib() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


class PeakRss:
    """The process's resident memory sampled every 10 ms: the peak above where it started."""

    def __init__(self) -> None:
        self.start = _rss_mib()
        self.peak = self.start
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.wait(0.01):
            self.peak = max(self.peak, _rss_mib())

    def __enter__(self) -> "PeakRss":
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()


def load() -> str:
    one, five, _ = os.getloadavg()
    return f"load {one:.1f}/{five:.1f} on {os.cpu_count()} cores"


def reads(ids: dict[str, int]) -> Iterator[tuple[str, str, str, dict[str, Any]]]:
    """(what, who, path, query): who is 'supervisor' or 'agent'."""
    today = datetime.now(UTC).date()
    month = {"date_from": str(today - timedelta(days=30)), "date_to": str(today), "tz": TZ}
    yield "live attentions (supervisor)", "supervisor", "/api/supervisor/attentions", {}
    yield "Atendidas (agent), page 1", "agent", "/api/agent/attended", {}
    yield "Atendidas with a search term", "agent", "/api/agent/attended", {"q": "Cliente 12"}
    conv = f"/api/attentions/{ids['long']}/messages"
    yield "5,000-message conversation, all", "supervisor", conv, {}
    # What the agent's chat and the supervisor's view open with (MESSAGE_PAGE in the client).
    yield "5,000-message conversation, page 1", "supervisor", conv, {"limit": 50}
    hist = f"/api/customers/{ids['regular']}/attentions"
    yield "Historial of 200 attentions", "supervisor", hist, {}
    yield "transfers report, a month", "supervisor", "/api/reports/transfers", month
    yield "transfers report, a year", "supervisor", "/api/reports/transfers", {}
    words = {"words": "factura", **month}
    yield "transfers report, a word, a month", "supervisor", "/api/reports/transfers", words
    yield "attentions report, a month", "supervisor", "/api/reports/attentions", month
    words = {"words": "reembolso", **month}
    yield "attentions report, a word, a month", "supervisor", "/api/reports/attentions", words
    yield "summary report, a month", "supervisor", "/api/reports/summary", month
    yield "agent states, a month", "supervisor", "/api/reports/agent-states", month
    yield "agent states, a word, a month", "supervisor", "/api/reports/agent-states", words
    yield (
        "agent timeline, a month",
        "supervisor",
        f"/api/reports/agent-states/{ids['agent_id']}/timeline",
        month,
    )
    yield "search: a word, a year", "supervisor", "/api/search/attentions", {"words": "factura"}
    yield "search: two words", "supervisor", "/api/search/attentions", {"words": "reembolso cinco"}
    yield "search: a customer", "supervisor", "/api/search/attentions", {"customer": "Cliente 123"}
    yield "audit log", "supervisor", "/api/audit-log", {}
    search = "/api/search/attentions"
    yield "search: a phrase", "supervisor", search, {"words": '"cobro que no"'}
    yield "search: a word and a month", "supervisor", search, {"words": "reembolso", **month}
    yield "search: a word nobody wrote", "supervisor", search, {"words": "zzzqx"}
    yield "search: phone digits", "supervisor", search, {"customer": "9900012"}


def key_for(database: str) -> str:
    """A kept database's channel secrets stay readable from one run to the next: its key is
    derived from its name (a benchmark's, never a center's). Otherwise the run's own key."""
    if not database:
        return SECRET_KEY
    return base64.urlsafe_b64encode(hashlib.sha256(database.encode()).digest()).decode()


async def measure(url: str, repeat: int, folder: Path, key: str) -> None:
    settings = Settings(database_url=url, media_dir=folder / "media", secret_key=SecretStr(key))
    app = create_app(settings, run_workers=False)
    routes = set(app.openapi()["paths"])
    async with app.router.lifespan_context(app):
        rt: Runtime = app.state.runtime
        ids = await _ids(rt)
        transport = httpx.ASGITransport(app=app)
        clients: dict[str, httpx.AsyncClient] = {}
        for who, (user, password) in {
            "supervisor": ("supervisor", "supervisor"),
            "agent": (ids["agent_username"], "agente1"),
        }.items():
            c = httpx.AsyncClient(transport=transport, base_url="http://app.localhost")
            login = await c.post("/api/auth/login", json={"username": user, "password": password})
            c.headers["X-CSRF-Token"] = login.raise_for_status().json()["csrf_token"]
            clients[who] = c
        try:
            print(f"{'read':<34} {'median':>9} {'stmts':>6} {'bytes':>9}  ({load()})")
            for what, who, path, query in reads(ids):
                if not _routed(path, routes):
                    print(f"{what:<34} {'—':>9}  (no such route on this version)")
                    continue
                c = clients[who]
                with counting(rt) as statements:
                    first = await c.get(path, params=query)
                if first.status_code != 200:
                    print(f"{what:<34} HTTP {first.status_code}: {first.text[:120]}")
                    continue
                timings = []
                for _ in range(repeat):
                    started = time.perf_counter()
                    (await c.get(path, params=query)).raise_for_status()
                    timings.append((time.perf_counter() - started) * 1000)
                print(
                    f"{what:<34} {statistics.median(timings):>6.1f} ms {len(statements):>6}"
                    f" {len(first.content):>9}"
                )
            await _export(clients["supervisor"], routes)
        finally:
            for c in clients.values():
                await c.aclose()


def _routed(path: str, routes: set[str]) -> bool:
    parts = path.split("/")
    for r in routes:
        rp = r.split("/")
        if len(rp) == len(parts) and all(
            a == b or (a.startswith("{") and a.endswith("}"))
            for a, b in zip(rp, parts, strict=True)
        ):
            return True
    return False


async def _export(c: httpx.AsyncClient, routes: set[str]) -> None:
    """A month of each report that exports, as CSV and XLSX, through its export job."""
    today = datetime.now(UTC).date()
    month = {"date_from": str(today - timedelta(days=30)), "date_to": str(today), "tz": TZ}
    starts = sorted(r for r in routes if r.startswith("/api/reports/") and r.endswith("/exports"))
    if not starts:
        print("month export: — (no export route on this version)")
        return
    for start in starts:
        report = start.split("/")[3]
        for fmt in ("csv", "xlsx"):
            with PeakRss() as rss:
                started = time.perf_counter()
                answer = await c.post(start, json={"format": fmt, "filters": month})
                if answer.status_code != 202:
                    print(f"export {report} {fmt}: HTTP {answer.status_code} {answer.text[:120]}")
                    continue
                job = answer.json()
                while job["state"] == "running":
                    await asyncio.sleep(0.2)
                    job = (await c.get(f"/api/exports/{job['id']}")).raise_for_status().json()
                size = 0
                async with c.stream("GET", f"/api/exports/{job['id']}/file") as file:
                    async for chunk in file.aiter_bytes():
                        size += len(chunk)
                elapsed = time.perf_counter() - started
            print(
                f"month export {report} {fmt}: {job['state']}, {job['rows_done']:,} rows,"
                f" {size / 2**20:.1f} MiB in {elapsed:.1f} s; memory peak"
                f" +{rss.peak - rss.start:.0f} MiB over {rss.start:.0f} MiB ({load()})"
            )


async def _ids(rt: Runtime) -> dict[str, Any]:
    from sqlalchemy import text

    async with rt.work() as w:
        s = w.session
        long_id = await s.scalar(
            text(
                "SELECT attention_id FROM messages GROUP BY attention_id"
                " ORDER BY count(*) DESC LIMIT 1"
            )
        )
        regular = await s.scalar(
            text(
                "SELECT customer_id FROM attentions GROUP BY customer_id"
                " ORDER BY count(*) DESC LIMIT 1"
            )
        )
        agent = await s.scalar(
            text(
                "SELECT u.username FROM users u JOIN attention_events e ON e.agent_id = u.id"
                " WHERE e.kind = 'closed' AND u.username LIKE 'bench%'"
                " GROUP BY u.username ORDER BY count(*) DESC LIMIT 1"
            )
        )
        agent_id = await s.scalar(text("SELECT id FROM users WHERE username = :u"), {"u": agent})
    return {"long": long_id, "regular": regular, "agent_username": agent, "agent_id": agent_id}


def _admin(sql: str) -> Any:
    async def go() -> Any:
        conn = await asyncpg.connect(PG_ADMIN_URL)
        try:
            return await conn.fetchval(sql)
        finally:
            await conn.close()

    return asyncio.run(go())


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--database", default="")
    parser.add_argument("--reuse", action="store_true", help="keep a seeded --database")
    args = parser.parse_args()
    require_postgres()
    folder = Path(tempfile.mkdtemp(prefix="atiende-bench-volume-"))
    name = args.database or f"atiende_bench_volume_{os.getpid()}"
    key = key_for(args.database)
    base = PG_ADMIN_URL.rsplit("/", 1)[0]
    url = f"{base}/{name}".replace("postgresql://", "postgresql+asyncpg://")
    exists = _admin(f"SELECT 1 FROM pg_database WHERE datname = '{name}'")
    try:
        if not (exists and args.reuse):
            if exists:
                _admin(f'DROP DATABASE "{name}" WITH (FORCE)')
            _admin(f'CREATE DATABASE "{name}"')
            run(["demo", "--seed-only"], {"ATIENDE_DATABASE_URL": url, "ATIENDE_SECRET_KEY": key})
            started = time.perf_counter()
            counts = asyncio.run(seed(f"{base}/{name}", args.scale))
            print(f"seeded in {time.perf_counter() - started:.0f} s ({load()}):")
            print("  " + ", ".join(f"{k} {v:,}" for k, v in counts.items()))
        else:
            # A kept database follows the schema of the code being measured.
            run(["migrate"], {"ATIENDE_DATABASE_URL": url, "ATIENDE_SECRET_KEY": key})
        asyncio.run(measure(url, args.repeat, folder, key))
    finally:
        if not args.database:
            _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
