"""Ingest: webhooks acknowledged per second at rising rates, beside the bare insert loop of
the same rows in the same run, and the rate the inbox's processor applies them.

    .venv/bin/python -m bench.ingest                # PostgreSQL + Redis, then SQLite
    .venv/bin/python -m bench.ingest --only sqlite --seconds 3

One `atiende serve`; signed text webhooks from `--customers` distinct customers, built and
signed before the clock starts and replayed open-loop (each sent at its time whether or not
the ones before were answered) by `--generators` processes of `bench/replay.py` (raw
keep-alive HTTP/1.1, `--connections` each). The rate rises step by step until the p99 of
the 200s passes 200 ms (or 1 % fail). Every figure is printed with the machine's load
average beside it: the machine is shared, and a busy one shows.

PostgreSQL on 127.0.0.1:5432 (database `test` to create its own) and Redis on :6379.
"""

import argparse
import asyncio
import json
import multiprocessing
import os
import sqlite3
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import asyncpg
import httpx
from prometheus_client.parser import text_string_to_metric_families

from atiende.channels.whatsapp.signature import sign
from atiende.emulator import payloads
from bench.generator import generate, warm
from bench.replay import signed_request
from tests.burst import BUSINESS, customers
from tests.pg import fresh_database
from tests.procs import free_port, run, serving
from tests.services import REDIS_URL

SECRET = "bench-ingest-secret"
TOKEN = "bench-ingest-metrics"
P99_LIMIT = 0.2
RATES = (100, 250, 500, 750, 1000, 1500, 2000, 2500, 3000, 4000)


def load() -> str:
    one, five, _ = os.getloadavg()
    return f"[load {one:.1f}/{five:.1f}]"


def bodies(count: int, distinct: int, start: int) -> list[tuple[bytes, str]]:
    """`count` signed deliveries, one message each, from `distinct` customers in turn."""
    people = customers(distinct)
    out = []
    for n in range(start, start + count):
        customer = people[n % distinct]
        payload = payloads.inbound_text_webhook(
            BUSINESS, customer, f"wamid.BENCH{n:09d}", f"mensaje {n}", time.time()
        )
        body = json.dumps(payload, separators=(",", ":")).encode()
        out.append((body, sign(body, SECRET)))
    return out


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p * len(ordered)))] if ordered else 0.0


async def processed(base: str) -> tuple[float, float]:
    """Messages the processor stored so far, and deliveries waiting in the inbox."""
    async with httpx.AsyncClient(base_url=base, timeout=30) as http:
        answer = await http.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    found = {
        s.name: s.value
        for family in text_string_to_metric_families(answer.text)
        for s in family.samples
        if s.name in ("atiende_messages_ingested_total", "atiende_inbox_backlog")
    }
    return found.get("atiende_messages_ingested_total", 0.0), found.get("atiende_inbox_backlog", 0)


@dataclass
class Step:
    rate: int
    taken: float
    p50: float
    p99: float
    failed: int
    processing: float


async def ramp(base: str, args: argparse.Namespace) -> list[Step]:
    url = f"{base}/webhooks/whatsapp"
    steps: list[Step] = []
    sent_so_far = 0
    pool = multiprocessing.get_context("spawn").Pool(args.generators)
    # Started and imported before the clock: a generator still loading would send late.
    pool.map(warm, range(args.generators))
    try:
        for rate in RATES:
            count = int(rate * args.seconds)
            ready = [
                signed_request(url, body, SECRET)
                for body, _ in bodies(count, args.customers, sent_so_far)
            ]
            sent_so_far += count
            shares = [ready[g :: args.generators] for g in range(args.generators)]
            stored_before, _ = await processed(base)
            # bench.replay sends its first request 0.2 s after it is called.
            began = time.monotonic() + 0.2
            results = await asyncio.to_thread(
                pool.starmap,
                generate,
                [(url, share, rate / args.generators, args.connections) for share in shares],
            )
            answered = time.monotonic()
            latencies = [x for r in results for x in r.answered]
            failed = sum(r.failed for r in results)
            cpu = sum(r.cpu_seconds for r in results)
            taken = (len(latencies) - failed) / max(answered - began, 1e-9)
            # The processor's rate: from the first delivery until the inbox is empty again.
            while True:
                stored, waiting = await processed(base)
                if not waiting or time.monotonic() - answered > 120:
                    break
                await asyncio.sleep(0.2)
            applied = stored - stored_before
            processing = applied / max(time.monotonic() - began, 1e-9)
            step = Step(
                rate,
                taken,
                percentile(latencies, 0.5),
                percentile(latencies, 0.99),
                failed,
                processing,
            )
            steps.append(step)
            print(
                f"  offered {rate:>5}/s  acknowledged {taken:>7.0f}/s  "
                f"p50 {step.p50 * 1000:>6.1f} ms  p99 {step.p99 * 1000:>7.1f} ms  "
                f"failed {failed:>4}  processed {applied:>6.0f} msg at {processing:>6.0f}/s  "
                f"generator {cpu / max(count, 1) * 1e6:.0f} µs CPU/request  {load()}",
                flush=True,
            )
            if step.p99 > P99_LIMIT or failed > count / 100:
                break
    finally:
        pool.close()
        pool.join()
    return steps


def sustained(steps: list[Step]) -> Step | None:
    good = [s for s in steps if s.p99 <= P99_LIMIT and s.failed == 0 and s.taken >= 0.95 * s.rate]
    return max(good, key=lambda s: s.taken) if good else None


async def bare_postgres(url: str, rows: list[tuple[bytes, str]], seconds: float) -> float:
    """The same rows inserted by a bare asyncpg loop: one transaction per row, 16 connections."""
    dsn = url.replace("postgresql+asyncpg://", "postgresql://")
    setup = await asyncpg.connect(dsn)
    await setup.execute(
        "CREATE TABLE bench_bare (id bigserial PRIMARY KEY, received_at timestamptz NOT NULL,"
        " body bytea NOT NULL, signature varchar(200) NOT NULL)"
    )
    await setup.close()
    done = 0
    until = time.monotonic() + seconds

    async def loop(offset: int) -> None:
        nonlocal done
        conn = await asyncpg.connect(dsn)
        try:
            i = offset
            while time.monotonic() < until:
                body, signature = rows[i % len(rows)]
                await conn.execute(
                    "INSERT INTO bench_bare (received_at, body, signature) VALUES (now(), $1, $2)",
                    body,
                    signature,
                )
                done += 1
                i += 16
        finally:
            await conn.close()

    started = time.monotonic()
    await asyncio.gather(*(loop(k) for k in range(16)))
    return done / (time.monotonic() - started)


def bare_sqlite(path: Path, rows: list[tuple[bytes, str]], seconds: float) -> float:
    """SQLite's one writer: one transaction per row, as the app's pragmas set it."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute(
        "CREATE TABLE bench_bare (id INTEGER PRIMARY KEY, received_at TEXT, body BLOB,"
        " signature TEXT)"
    )
    done, started = 0, time.monotonic()
    while time.monotonic() - started < seconds:
        body, signature = rows[done % len(rows)]
        conn.execute("BEGIN IMMEDIATE")
        conn.execute(
            "INSERT INTO bench_bare (received_at, body, signature) VALUES (datetime(), ?, ?)",
            (body, signature),
        )
        conn.execute("COMMIT")
        done += 1
    conn.close()
    return done / (time.monotonic() - started)


@contextmanager
def database(kind: str, folder: Path) -> Iterator[str]:
    if kind == "sqlite":
        yield f"sqlite+aiosqlite:///{folder / 'bench.db'}"
    else:
        with fresh_database("atiende_bench_ingest") as url:
            yield url


async def one_backend(kind: str, args: argparse.Namespace, folder: Path) -> None:
    print(f"\n== {kind}: one `atiende serve`, {args.customers} customers {load()}", flush=True)
    with database(kind, folder) as url:
        env = {
            "ATIENDE_DATABASE_URL": url,
            "ATIENDE_METRICS_TOKEN": TOKEN,
            "ATIENDE_MEDIA_DIR": str(folder / "media"),
        }
        if kind == "postgres":
            env["ATIENDE_REDIS_URL"] = REDIS_URL
        await asyncio.to_thread(run, ["demo", "--seed-only", "--app-secret", SECRET], env)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        log = folder / f"{kind}.log"
        with serving(["serve", "--port", str(port)], env, [f"{base}/healthz"], log):
            steps = await ramp(base, args)
        rows = bodies(5000, args.customers, 10_000_000)
        if kind == "postgres":
            bare = await bare_postgres(url, rows, args.seconds)
            bare_name = "bare asyncpg loop, one transaction per row, 16 connections"
        else:
            bare = await asyncio.to_thread(bare_sqlite, folder / "bare.db", rows, args.seconds)
            bare_name = "bare sqlite3 loop, one transaction per row, one writer"
    best = sustained(steps)
    rate = best.taken if best else 0.0
    print(f"{kind}: sustained {rate:.0f} webhooks/s with p99 ≤ 200 ms {load()}")
    if best:
        print(f"  at that step: p50 {best.p50 * 1000:.1f} ms, p99 {best.p99 * 1000:.1f} ms")
    print(f"  {bare_name}: {bare:.0f} rows/s {load()}")
    print(f"  ratio acknowledged / bare loop: {rate / bare:.2f}" if bare else "  no bare figure")
    fastest = max((s.processing for s in steps), default=0.0)
    print(f"  processing: up to {fastest:.0f} messages/s applied (stored) {load()}")


async def main(args: argparse.Namespace) -> None:
    kinds = [args.only] if args.only else ["postgres", "sqlite"]
    with tempfile.TemporaryDirectory(prefix="bench-ingest-") as tmp:
        for kind in kinds:
            folder = Path(tmp) / kind
            folder.mkdir()
            await one_backend(kind, args, folder)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=["postgres", "sqlite"])
    parser.add_argument("--customers", type=int, default=10_000)
    parser.add_argument("--seconds", type=float, default=5.0, help="per rate step")
    parser.add_argument("--generators", type=int, default=2, help="load generator processes")
    parser.add_argument("--connections", type=int, default=64, help="per generator process")
    asyncio.run(main(parser.parse_args()))
