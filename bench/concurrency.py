"""The concurrency burst at a larger size, with figures.

    .venv/bin/python -m bench.concurrency --processes 3 --customers 300 --messages 3 --agents 12

Needs PostgreSQL on 127.0.0.1:5432 (database `test` to create its own) and Redis on :6379.
Prints webhook latency percentiles, throughput, and every invariant that does not hold.
"""

import argparse
import asyncio
import tempfile
import time
from pathlib import Path

from tests.burst import burst
from tests.integration.test_concurrency import SECRET, check, prepare
from tests.pg import fresh_database
from tests.procs import cluster, run
from tests.services import REDIS_URL


def error_lines(logs: Path) -> list[str]:
    return [
        line
        for log in sorted(logs.glob("app-*.log"))
        for line in log.read_text().splitlines()
        if "Traceback" in line or "ERROR" in line
    ]


async def main(args: argparse.Namespace, logs: Path) -> int:
    with fresh_database("atiende_bench") as url:
        env = {
            "ATIENDE_DATABASE_URL": url,
            "ATIENDE_REDIS_URL": REDIS_URL,
            "ATIENDE_WORKER_POLL_SECONDS": "0.2",
        }
        run(["demo", "--seed-only", "--app-secret", SECRET], env)
        agents = await prepare(url, args.agents)
        with cluster(args.processes, env, logs) as urls:
            started = time.perf_counter()
            figures = await burst(urls, SECRET, agents, args.customers, args.messages, args.seed)
            elapsed = time.perf_counter() - started
        problems, stored = await check(url)
    print(
        f"processes {args.processes}, agents {args.agents}, customers {args.customers}, "
        f"messages {figures.sent} in {elapsed:.1f} s ({figures.sent / elapsed:.0f}/s offered)"
    )
    print(
        f"webhook latency p50 {figures.percentile(0.5) * 1000:.0f} ms, "
        f"p95 {figures.percentile(0.95) * 1000:.0f} ms, "
        f"p99 {figures.percentile(0.99) * 1000:.0f} ms, "
        f"retried {figures.webhook_errors}"
    )
    print(
        f"agents: {figures.status_changes} status changes, {figures.opened} opened, "
        f"{figures.ended} ended"
    )
    print(f"stored {stored} of {figures.sent} messages; {len(problems)} invariant problems")
    for problem in problems:
        print("  ", problem)
    failures = await asyncio.to_thread(error_lines, logs)
    print(f"app logs in {logs}: {len(failures)} error lines")
    return 1 if problems or stored != figures.sent else 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--processes", type=int, default=3)
    parser.add_argument("--customers", type=int, default=300)
    parser.add_argument("--messages", type=int, default=3)
    parser.add_argument("--agents", type=int, default=12)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--logs", help="folder for the app processes' logs (default: a new one)")
    args = parser.parse_args()
    logs = Path(args.logs or tempfile.mkdtemp(prefix="atiende-bench-"))
    logs.mkdir(parents=True, exist_ok=True)
    raise SystemExit(asyncio.run(main(args, logs)))
