"""Ingest: webhooks acknowledged per second at rising rates, beside the bare insert loop of
the same rows in the same run, and the rate the inbox's processor applies them.

    .venv/bin/python -m bench.ingest                # PostgreSQL + Redis, then SQLite
    .venv/bin/python -m bench.ingest --only sqlite --seconds 3
    .venv/bin/python -m bench.ingest --only postgres --processor none   # the answers alone

One `atiende serve`; signed text webhooks from `--customers` distinct customers, built and
signed before the clock starts and replayed open-loop (each sent at its time whether or not
the ones before were answered) by `--generators` processes of `bench/replay.py` (raw
keep-alive HTTP/1.1, `--connections` each). The rate rises step by step until the p99 of
the 200s passes 200 ms (or 1 % fail). Every figure is printed with the machine's load
average beside it: the machine is shared, and a busy one shows.

Who applies the inbox (`--processor`): `process` (PostgreSQL's default) is the fast shape,
`serve` with ATIENDE_INBOX_PROCESSOR=off and one `atiende worker` beside it, which applies
while the steps run (its rate under load is printed per step, then its rate draining what
is left); `inline` (SQLite's default, the embedded shape) is the processor on the server's
own event loop, each step waiting until the inbox is empty; `none` measures the answers
alone (nothing applies the inbox). The CPU the server spends per answer is read from
/proc beside each step, as is the worker's per message applied.

PostgreSQL on 127.0.0.1:5432 (database `test` to create its own) and Redis on :6379.
"""

import argparse
import asyncio
import json
import multiprocessing
import os
import sqlite3
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import asyncpg

from atiende.channels.whatsapp.signature import sign
from atiende.emulator import payloads
from bench.generator import generate, warm
from bench.replay import signed_request
from tests.burst import BUSINESS, customers
from tests.pg import fresh_database
from tests.procs import free_port, run, serving, working
from tests.services import REDIS_URL

SECRET = "bench-ingest-secret"
TOKEN = "bench-ingest-metrics"
P99_LIMIT = 0.2
# Up to where the two generators' own CPU is near a core each: a quiet run passed 4,000/s
# with p99 137 ms, and the steps stopped there without finding the limit.
RATES = (100, 250, 500, 750, 1000, 1500, 2000, 2500, 3000, 4000, 5000, 6000, 8000)


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


def cpu_seconds(pid: int | None) -> float:
    """User and system CPU a process has used so far (0 without one)."""
    if pid is None:
        return 0.0
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


_COUNTS = (
    "SELECT (SELECT count(*) FROM messages WHERE direction = 'in'),"
    " (SELECT count(*) FROM webhook_inbox)"
)


async def processed(url: str) -> tuple[int, int]:
    """Customer messages stored so far, and deliveries waiting in the inbox: read from the
    database, as the processor may be another process than the one answering."""
    if url.startswith("sqlite"):
        path = url.split("///", 1)[1]

        def read() -> tuple[int, int]:
            with sqlite3.connect(path) as conn:
                stored, waiting = conn.execute(_COUNTS).fetchone()
            return int(stored), int(waiting)

        return await asyncio.to_thread(read)
    conn = await asyncpg.connect(url.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        row = await conn.fetchrow(_COUNTS)
    finally:
        await conn.close()
    assert row is not None
    return int(row[0]), int(row[1])


@dataclass
class Shape:
    """The processes under test: the server, and the worker when there is one."""

    url: str
    base: str
    processor: str
    server: int
    worker: int | None


@dataclass
class Step:
    rate: int
    taken: float
    p50: float
    p99: float
    failed: int
    processing: float


async def ramp(shape: Shape, args: argparse.Namespace) -> list[Step]:
    url = f"{shape.base}/webhooks/whatsapp"
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
            stored_before, _ = await processed(shape.url)
            server_cpu, worker_cpu = cpu_seconds(shape.server), cpu_seconds(shape.worker)
            # bench.replay sends its first request 0.2 s after it is called.
            began = time.monotonic() + 0.2
            results = await asyncio.to_thread(
                pool.starmap,
                generate,
                [(url, share, rate / args.generators, args.connections) for share in shares],
            )
            answered, wall = time.monotonic(), time.time()
            server_cpu = cpu_seconds(shape.server) - server_cpu
            latencies = [x for r in results for x in r.answered]
            failed = sum(r.failed for r in results)
            cpu = sum(r.cpu_seconds for r in results)
            # From the first request's scheduled departure (the generators' own clock: handing
            # them their shares takes a while) to the last answer.
            first = min(min(r.scheduled) for r in results if r.scheduled)
            taken = (len(latencies) - failed) / max(wall - first, 1e-9)
            # Inline: the processor's rate from the first delivery until the inbox is empty
            # again. In a worker process: what it applied while the step ran (it goes on).
            while shape.processor == "inline":
                stored, waiting = await processed(shape.url)
                if not waiting or time.monotonic() - answered > 120:
                    break
                await asyncio.sleep(0.2)
            stored, waiting = await processed(shape.url)
            worker_cpu = cpu_seconds(shape.worker) - worker_cpu
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
            acked = max(len(latencies) - failed, 1)
            work = ""
            if shape.processor != "none":
                work = f"processed {applied:>6} msg at {processing:>5.0f}/s (inbox {waiting:>6})  "
            if shape.worker is not None:
                work += f"worker {worker_cpu / max(applied, 1) * 1e6:>5.0f} µs CPU/msg  "
            print(
                f"  offered {rate:>5}/s  acknowledged {taken:>6.0f}/s  "
                f"p50 {step.p50 * 1000:>6.1f} ms  p99 {step.p99 * 1000:>7.1f} ms  "
                f"failed {failed:>4}  server {server_cpu / acked * 1e6:>4.0f} µs CPU/ack  {work}"
                f"generator {cpu / max(count, 1) * 1e6:.0f} µs CPU/request  {load()}",
                flush=True,
            )
            if step.p99 > P99_LIMIT or failed > count / 100:
                break
    finally:
        pool.close()
        pool.join()
    return steps


async def drain(shape: Shape, seconds: float) -> tuple[int, float, int]:
    """The worker alone, after the steps: messages applied, their rate, and what is left."""
    stored_before, waiting = await processed(shape.url)
    began = time.monotonic()
    stored = stored_before
    while waiting and time.monotonic() - began < seconds:
        await asyncio.sleep(0.5)
        stored, waiting = await processed(shape.url)
    applied = stored - stored_before
    return applied, applied / max(time.monotonic() - began, 1e-9), waiting


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


@contextmanager
def processes(
    kind: str, url: str, env: dict[str, str], folder: Path, processor: str
) -> Iterator[Shape]:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server_env = {**env, "ATIENDE_INBOX_PROCESSOR": "inline" if processor == "inline" else "off"}
    with ExitStack() as stack:
        server = stack.enter_context(
            serving(
                ["serve", "--port", str(port)],
                server_env,
                [f"{base}/healthz"],
                folder / f"{kind}.log",
            )
        )
        worker: subprocess.Popen[bytes] | None = None
        if processor == "process":
            worker = stack.enter_context(working(env, folder / f"{kind}-worker.log"))
        yield Shape(url, base, processor, server.pid, worker.pid if worker else None)


async def one_backend(kind: str, args: argparse.Namespace, folder: Path) -> None:
    processor = args.processor or ("process" if kind == "postgres" else "inline")
    shape_name = {
        "process": "one `atiende serve` answering, one `atiende worker` applying",
        "inline": "one `atiende serve`, the processor on its event loop",
        "none": "one `atiende serve` answering, nothing applying",
    }[processor]
    print(f"\n== {kind}: {shape_name}, {args.customers} customers {load()}", flush=True)
    with database(kind, folder) as url:
        env = {
            "ATIENDE_DATABASE_URL": url,
            "ATIENDE_METRICS_TOKEN": TOKEN,
            "ATIENDE_MEDIA_DIR": str(folder / "media"),
        }
        if kind == "postgres":
            env["ATIENDE_REDIS_URL"] = REDIS_URL
        await asyncio.to_thread(run, ["demo", "--seed-only", "--app-secret", SECRET], env)
        drained = None
        with processes(kind, url, env, folder, processor) as shape:
            steps = await ramp(shape, args)
            if processor == "process":
                drained = await drain(shape, args.drain_seconds)
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
    if processor == "none":
        return
    fastest = max((s.processing for s in steps), default=0.0)
    print(f"  processing: up to {fastest:.0f} messages/s applied (stored) during a step {load()}")
    if drained is not None:
        applied, per_second, left = drained
        print(
            f"  processing alone after the steps: {applied} messages at {per_second:.0f}/s,"
            f" {left} deliveries left in the inbox after {args.drain_seconds:.0f} s {load()}"
        )


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
    parser.add_argument(
        "--processor",
        choices=["process", "inline", "none"],
        help="who applies the inbox (default: process on PostgreSQL, inline on SQLite)",
    )
    parser.add_argument(
        "--drain-seconds",
        type=float,
        default=60.0,
        help="how long the worker process is timed alone on what the steps left",
    )
    asyncio.run(main(parser.parse_args()))
