"""Benchmark 3 of issue 11: routing a full queue across several app processes.

    .venv/bin/python -m bench.routing [--processes 4] [--campaigns 20] [--agents 1000]
        [--capacity 5] [--queued 10000]

On PostgreSQL and Redis: the demo's schema plus CAMPAIGNS campaigns (least busy, no timers),
AGENTS agents (each a member of one campaign, CAPACITY slots there and in all) who start
paused, and QUEUED attentions queued oldest first across the campaigns. PROCESSES `atiende
serve` processes start on it; then every agent becomes available in one statement and the
processes are woken as an agent's status change would wake them. Printed: the time until every
slot is filled, whether what stays queued is the newest of each campaign, and the audit (no
attention held twice, no agent over his capacity, counters equal to rows), with the machine's
load beside the figure.
"""

import argparse
import asyncio
import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import asyncpg
from pydantic import SecretStr

from atiende.actions import audit
from atiende.config import Settings
from atiende.realtime.bus import create_bus
from atiende.realtime.events import WAKE_ROUTING, Envelope
from atiende.runtime import create_runtime
from tests.keys import SECRET_KEY
from tests.pg import fresh_database
from tests.procs import cluster, run
from tests.services import REDIS_URL

SECRET = "routing-bench"
# Far beyond the run: the agents need no sockets to count as connected.
GRACE_SECONDS = 24 * 3600
# How long the app processes' CPU is watched before the wake-up, with nothing to route.
IDLE_SECONDS = 3.0


@dataclass(frozen=True)
class Shape:
    processes: int
    campaigns: int
    agents: int
    capacity: int
    queued: int

    @property
    def slots(self) -> int:
        return self.agents * self.capacity


def dsn(url: str) -> str:
    return url.replace("postgresql+asyncpg://", "postgresql://")


async def seed(conn: asyncpg.Connection, shape: Shape) -> None:
    """Campaigns, paused agents and the queue, by set-based SQL on top of the demo."""
    channel_id, portfolio_id = await conn.fetchrow("SELECT id, portfolio_id FROM channels LIMIT 1")
    password = await conn.fetchval("SELECT password_hash FROM users WHERE username = 'agente1'")
    async with conn.transaction():
        # The demo's own agents take no part.
        await conn.execute("UPDATE users SET status = 'offline' WHERE role = 'agent'")
        campaigns = [
            r["id"]
            for r in await conn.fetch(
                """
                INSERT INTO campaigns (name, routing_mode, reassign_after_seconds,
                    max_reassignments, orphan_after_seconds, overflow_after_seconds,
                    overflow_mode, default_region, created_at)
                SELECT 'Ruteo ' || lpad(g::text, 2, '0'), 'least_busy', 0, 3, 0, 0, 'none',
                    'PE', now()
                FROM generate_series(1, $1) g
                RETURNING id
                """,
                shape.campaigns,
            )
        ]
        agents = [
            r["id"]
            for r in await conn.fetch(
                """
                INSERT INTO users (username, display_name, password_hash, role, status,
                    capacity, active_count, active, last_seen_at, created_at)
                SELECT 'ruteo' || lpad(g::text, 5, '0'), 'Agente ' || g, $1, 'agent',
                    'paused', $3, 0, true, now(), now()
                FROM generate_series(1, $2) g
                RETURNING id
                """,
                password,
                shape.agents,
                shape.capacity,
            )
        ]
        await conn.execute(
            """
            INSERT INTO campaign_members (campaign_id, user_id, capacity)
            SELECT ($1::int[])[1 + (i % array_length($1, 1))], a, $3
            FROM unnest($2::int[]) WITH ORDINALITY AS t(a, i)
            """,
            campaigns,
            agents,
            shape.capacity,
        )
        customers = [
            r["id"]
            for r in await conn.fetch(
                """
                INSERT INTO customers (portfolio_id, phone, name, created_at)
                SELECT $1, '5188' || lpad(g::text, 7, '0'), 'Cliente ' || g, now()
                FROM generate_series(1, $2) g
                RETURNING id
                """,
                portfolio_id,
                shape.queued,
            )
        ]
        # Attention g waited g milliseconds less than attention g - 1: oldest first is by g,
        # and the campaigns interleave so that each one's queue spans the whole hour.
        await conn.execute(
            """
            INSERT INTO attentions (channel_id, customer_id, campaign_id, state, version, unread,
                created_at, queued_at, offered, parked, reassignments, orphaned,
                transfer_count, segment)
            SELECT $1, c, ($2::int[])[1 + (i % array_length($2, 1))], 'queued', 1, 1,
                now() - interval '1 hour' + i * interval '1 millisecond',
                now() - interval '1 hour' + i * interval '1 millisecond',
                false, false, 0, false, 0, 1
            FROM unnest($3::int[]) WITH ORDINALITY AS t(c, i)
            """,
            channel_id,
            campaigns,
            customers,
        )
        await conn.execute(
            """
            INSERT INTO attention_events (attention_id, segment, kind, campaign_id, data,
                created_at)
            SELECT id, 1, 'queued', campaign_id, '{}', queued_at FROM attentions
            WHERE state = 'queued'
            """
        )
    await conn.execute("ANALYZE")


async def assigned(conn: asyncpg.Connection) -> int:
    return int(await conn.fetchval("SELECT count(*) FROM attentions WHERE state = 'assigned'"))


async def slots_taken(conn: asyncpg.Connection) -> int:
    """The agents' counters of what they hold, moved in the same commit as the attentions:
    polled every 10 ms while the run lasts, a scan of a thousand users instead of a count of
    the assigned attentions (up to 2 ms each, a tenth of a core taken from the run)."""
    return int(
        await conn.fetchval(
            "SELECT coalesce(sum(active_count), 0) FROM users WHERE username LIKE 'ruteo%'"
        )
    )


async def passed_over(conn: asyncpg.Connection) -> int:
    """Queued attentions older than one assigned in the same campaign: each is a customer a
    newer one went ahead of."""
    return int(
        await conn.fetchval(
            """
            SELECT count(*) FROM attentions q
            WHERE q.state = 'queued' AND q.queued_at < (
                SELECT max(a.queued_at) FROM attentions a
                WHERE a.campaign_id = q.campaign_id AND a.state = 'assigned')
            """
        )
    )


async def over_capacity(conn: asyncpg.Connection) -> int:
    return int(
        await conn.fetchval(
            """
            SELECT count(*) FROM (
                SELECT m.user_id FROM campaign_members m
                JOIN attentions a ON a.agent_id = m.user_id AND a.campaign_id = m.campaign_id
                    AND a.state IN ('assigned', 'open')
                GROUP BY m.user_id, m.capacity HAVING count(*) > m.capacity) x
            """
        )
    )


async def wake(conn: asyncpg.Connection, url: str) -> None:
    """What agents' status changes do: they become available, and every process hears that
    routing may have work (as after any commit that wakes routing)."""
    await conn.execute("UPDATE users SET status = 'available' WHERE username LIKE 'ruteo%'")
    bus = create_bus(REDIS_URL, url)
    await bus.start(lambda _: None)
    try:
        bus.publish(Envelope(recipients=[], wake=[WAKE_ROUTING]))
    finally:
        await bus.stop()  # once it is sent


async def audit_problems(url: str) -> list[str]:
    rt = create_runtime(Settings(database_url=url, secret_key=SecretStr(SECRET_KEY)))
    try:
        async with rt.work() as w:
            return await audit.problems(w)
    finally:
        await rt.close()


def cpu_seconds(pids: list[int]) -> float:
    """User and system CPU time these processes have used so far (the ones still there)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / tick


def children() -> list[int]:
    """This process's children: the app processes the cluster started."""
    me = str(os.getpid())
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    if f.read().rsplit(")", 1)[1].split()[1] == me:
                        found.append(int(entry))
            except FileNotFoundError:
                continue
    return found


async def backends(conn: asyncpg.Connection) -> list[int]:
    """The database server's processes serving this database's clients (the app processes'
    pools): not an autovacuum worker that a run's updates may start on it meanwhile."""
    rows = await conn.fetch(
        "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
        " AND pid <> pg_backend_pid() AND backend_type = 'client backend'"
    )
    return [r["pid"] for r in rows]


def busy_fraction(before: list[int], after: list[int]) -> float:
    """Share of the machine's CPU time that was not idle between two /proc/stat readings."""
    total = sum(after) - sum(before)
    idle = (after[3] + after[4]) - (before[3] + before[4])
    return 1 - idle / total if total else 0.0


def cpu_times() -> list[int]:
    with open("/proc/stat") as f:
        return [int(x) for x in f.readline().split()[1:]]


async def main(shape: Shape, logs: Path, limit: float) -> int:
    with fresh_database("atiende_routing") as url:
        env = {
            "ATIENDE_DATABASE_URL": url,
            "ATIENDE_REDIS_URL": REDIS_URL,
            "ATIENDE_PRESENCE_GRACE_SECONDS": str(GRACE_SECONDS),
        }
        run(["demo", "--seed-only", "--app-secret", SECRET], env)
        conn = await asyncpg.connect(dsn(url))
        try:
            await seed(conn, shape)
            expected = min(shape.slots, shape.queued)
            with cluster(shape.processes, env, logs):
                apps = children()
                # The pools open their connections as the processes start and keep them.
                servers = await backends(conn)
                # What the processes burn with nothing to route (their other loops' polls),
                # to tell routing's own CPU from it.
                idle_before = cpu_seconds(apps)
                await asyncio.sleep(IDLE_SECONDS)
                idle_rate = (cpu_seconds(apps) - idle_before) / IDLE_SECONDS
                load_before = os.getloadavg()
                cpu_before = cpu_times()
                app_before, db_before = cpu_seconds(apps), cpu_seconds(servers)
                started = time.perf_counter()
                await wake(conn, url)
                done = 0
                while done < expected and time.perf_counter() - started < limit:
                    await asyncio.sleep(0.01)
                    done = await slots_taken(conn)
                elapsed = time.perf_counter() - started
                busy = busy_fraction(cpu_before, cpu_times())
                app_cpu = cpu_seconds(apps) - app_before
                db_cpu = cpu_seconds(sorted(set(servers) | set(await backends(conn)))) - db_before
                load_after = os.getloadavg()
                # Anything still moving would show here: nothing more may be assigned.
                await asyncio.sleep(1.0)
                settled = await assigned(conn)
            skipped = await passed_over(conn)
            over = await over_capacity(conn)
        finally:
            await conn.close()
        problems = await audit_problems(url)
    rate = done / elapsed if elapsed else 0.0
    print(
        f"routing: {shape.queued} queued, {shape.agents} agents x {shape.capacity} slots in "
        f"{shape.campaigns} campaigns, {shape.processes} processes"
    )
    print(
        f"  {done} of {expected} slots filled in {elapsed:.2f} s ({rate:.0f} assignments/s)"
        f"{'' if done >= expected else f'  TIMED OUT after {limit:.0f} s'}"
    )
    print(
        f"  machine: load {load_before[0]:.2f} before, {load_after[0]:.2f} after "
        f"(1 min avg, {os.cpu_count()} cpus), {busy:.0%} busy during the run"
    )
    per = (app_cpu + db_cpu) / done * 1000 if done else 0.0
    print(
        f"  CPU used: app processes {app_cpu:.2f} s, their database connections {db_cpu:.2f} s"
        f" ({per:.2f} ms per assignment; on {os.cpu_count()} idle cpus that is"
        f" {(app_cpu + db_cpu) / (os.cpu_count() or 1):.2f} s)"
    )
    routing_cpu = app_cpu - idle_rate * elapsed
    print(
        f"  of the app's CPU, {idle_rate * elapsed:.2f} s is what they burn idle"
        f" ({idle_rate:.2f} s/s, measured before); routing's own: {routing_cpu:.2f} s"
        f" ({routing_cpu / done * 1000 if done else 0.0:.2f} ms per assignment)"
    )
    print(f"  assigned 1 s later: {settled}; queued older than an assigned one: {skipped}")
    print(f"  members over their campaign capacity: {over}; audit problems: {len(problems)}")
    for problem in problems[:20]:
        print("    ", problem)
    print(f"  app logs in {logs}")
    ok = done >= expected and settled == expected and not skipped and not over and not problems
    return 0 if ok else 1


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--processes", type=int, default=4)
    parser.add_argument("--campaigns", type=int, default=20)
    parser.add_argument("--agents", type=int, default=1000)
    parser.add_argument("--capacity", type=int, default=5)
    parser.add_argument("--queued", type=int, default=10_000)
    parser.add_argument("--timeout", type=float, default=300.0)
    parser.add_argument("--logs", help="folder for the app processes' logs (default: a new one)")
    args = parser.parse_args()
    logs = Path(args.logs or tempfile.mkdtemp(prefix="atiende-routing-"))
    logs.mkdir(parents=True, exist_ok=True)
    shape = Shape(args.processes, args.campaigns, args.agents, args.capacity, args.queued)
    raise SystemExit(asyncio.run(main(shape, logs, args.timeout)))
