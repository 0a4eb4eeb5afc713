"""Agent sockets at scale, with figures (issue 11, benchmarks 5 and 2, and 1's processing).

    .venv/bin/python -m bench.sockets                      # all three
    .venv/bin/python -m bench.sockets --only connections --sockets 5000 [--pin]
    .venv/bin/python -m bench.sockets --only latency --rate 500 --seconds 10
    .venv/bin/python -m bench.sockets --only processing --messages 20000

Connections: SOCKETS agents (available, every slot taken, so each handshake meets a queue
it cannot take from) connect to one `atiende serve` on PostgreSQL and Redis. Printed: the
handshake rate, the server's memory (RSS) before, idle, under a message stream and after
every socket closed, and the delivery of the stream: each webhook queues an attention in
Ventas, whose new count goes to every socket. Delivery counts to the time a frame's bytes are
read from the socket, from the event's publication on Redis (read there by the benchmark: the
target's figure), from the webhook's send (the ingest's time too), and from the first socket
to have the event (the fan-out alone); and the server's own count of its fan-outs (/metrics).
The socket clients share the machine's two cores with the server, so `--pin` puts the server
alone on one and the clients on the other: the server's share, apart from the clients'.

Latency: two processes; a few agents' sockets on B hold every customer's attention, while the
webhooks (pre-signed, replayed at RATE/s) go to A; latency counts from a webhook's scheduled
send to its `message.created` on B. By default the inbox is applied by an `atiende worker`
beside them (`--processor process`, the shape deploy/README.md gives for volume);
`--processor inline` has the two servers apply it themselves.

Processing (benchmark 1's second half): the same two processes and agents; MESSAGES
deliveries answered by A wait in the inbox while no worker runs, then one `atiende worker`
applies them: the rate at which their `message.created` reach the agents' sockets on B, and
the worker's CPU per message.

Every figure is printed with the machine's load average and the generators' CPU time.
Needs PostgreSQL on 127.0.0.1:5432 (database `test` to create its own) and Redis on :6379.
"""

import argparse
import asyncio
import contextlib
import json
import multiprocessing
import os
import tempfile
import threading
import time
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Self

import asyncpg
import httpx
import redis
from websockets.asyncio.client import ClientConnection, connect

from atiende import demo
from atiende.channels.whatsapp.signature import HEADER, sign
from atiende.emulator import payloads
from atiende.emulator.config import Customer
from atiende.emulator.load import synthetic_customers
from atiende.realtime.bus import channel_of
from atiende.realtime.wire import unpack
from bench import socket_clients
from bench.replay import replay, signed_request
from bench.socket_seed import seed_agents
from tests.pg import fresh_database
from tests.procs import cluster, free_port, run, serving, working
from tests.services import REDIS_URL

SECRET = "bench-sockets-secret"
METRICS_TOKEN = "bench-sockets-metrics"
# --pin: the server's share of a fan-out apart from the clients' reading it (two CPUs here).
SERVER_CPU, CLIENTS_CPU = 0, 1
BUSINESS = payloads.BusinessNumber(demo.WABA_ID, demo.PHONE_NUMBER_ID, demo.DISPLAY_PHONE)


def load() -> str:
    one, five, _ = os.getloadavg()
    return f"[load {one:.2f} / {five:.2f}]"


def pin(pid: int, cpus: set[int]) -> None:
    """`taskset -a -p`: every thread of the process onto these CPUs (the ones it starts
    later inherit the mask)."""
    for task in Path(f"/proc/{pid}/task").iterdir():
        os.sched_setaffinity(int(task.name), cpus)


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for {pid}")


def cpu_seconds(pid: int) -> float:
    return sum(cpu_split(pid))


def cpu_split(pid: int) -> tuple[float, float]:
    """A process's CPU time so far: in its own code, and in the kernel on its behalf."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    tick = os.sysconf("SC_CLK_TCK")
    return int(fields[11]) / tick, int(fields[12]) / tick


def cpu_by_role(ports: dict[int, str], pids: dict[int, str]) -> dict[str, float]:
    """CPU seconds so far of this run's app processes (by their port or pid), of PostgreSQL's
    and Redis's (all of them: other databases' too, on a shared machine) and of this one."""
    tick = os.sysconf("SC_CLK_TCK")
    used: dict[str, float] = {"generator": cpu_seconds(os.getpid())}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            words = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        comm, fields = stat[stat.index("(") + 1 : stat.rindex(")")], stat.rsplit(")", 1)[1].split()
        role = pids.get(int(entry.name))
        if role is None and b"--port" in words:
            role = ports.get(int(words[words.index(b"--port") + 1]))
        if role is None and comm.startswith("postgres"):
            role = "PostgreSQL"
        if role is None and comm.startswith("redis"):
            role = "Redis"
        if role is not None:
            used[role] = used.get(role, 0.0) + (int(fields[11]) + int(fields[12])) / tick
    return used


def cpu_shares(before: dict[str, float], after: dict[str, float], seconds: float) -> str:
    return ", ".join(
        f"{role} {(after[role] - before.get(role, 0.0)) / seconds:.0%}" for role in sorted(after)
    )


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p * len(ordered)))]


def ms(values: list[float]) -> str:
    return (
        f"p50 {percentile(values, 0.5) * 1000:.0f} ms, p95 {percentile(values, 0.95) * 1000:.0f}"
        f" ms, p99 {percentile(values, 0.99) * 1000:.0f} ms, max {max(values) * 1000:.0f} ms"
        if values
        else "no samples"
    )


def webhook(customer: Customer, text: str) -> bytes:
    return json.dumps(
        payloads.inbound_text_webhook(
            BUSINESS, customer, payloads.new_wamid(customer.bsuid), text, time.time()
        )
    ).encode()


class OnRedis:
    """When each event a benchmark looks for went onto Redis, read by a thread of its own: the
    event's creation as far as its delivery is concerned (it is published after the commit).
    `_heard` picks the events and their keys."""

    def __init__(self, database_url: str) -> None:
        self._pubsub = redis.Redis.from_url(REDIS_URL).pubsub()  # type: ignore[no-untyped-call]
        self._pubsub.subscribe(channel_of(database_url))
        self.at: dict[int, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._listen, daemon=True)

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()
        self._pubsub.close()

    def _listen(self) -> None:
        while not self._stop.is_set():
            item = self._pubsub.get_message(timeout=0.2)
            if item is None or item["type"] != "message":
                continue
            now = time.time()
            for data in unpack(item["data"]):
                # A frame is its audience, its header and its text, each ending a line.
                key = self._heard(data.split(b"\n", 2)[2])
                if key is not None:
                    self.at.setdefault(key, now)

    def _heard(self, text: bytes) -> int | None:
        raise NotImplementedError


class Published(OnRedis):
    """Each `queues` event of the campaign, by its queued count."""

    def __init__(self, database_url: str, campaign_id: int) -> None:
        super().__init__(database_url)
        self._marker = f'"campaign_id":{campaign_id},'.encode()

    def _heard(self, text: bytes) -> int | None:
        if text.startswith(b'{"type":"queues"') and self._marker in text:
            return int(json.loads(text)["queues"][0]["queued"])
        return None


class PublishedMessages(OnRedis):
    """Each benchmark message's `message.created`, by its number: splits the live latency
    into the ingest and processing before it and B's delivery after."""

    def _heard(self, text: bytes) -> int | None:
        if text.startswith(b'{"type":"message.created"') and b'"text":"m' in text:
            body = json.loads(text)["message"]["text"] or ""
            if body[1:].isdigit():
                return int(body[1:])
        return None


async def connections(args: argparse.Namespace, logs: Path) -> None:
    with fresh_database("atiende_bench_ws") as url:
        env = {
            "ATIENDE_DATABASE_URL": url,
            "ATIENDE_REDIS_URL": REDIS_URL,
            "ATIENDE_METRICS_TOKEN": METRICS_TOKEN,
        }
        await asyncio.to_thread(run, ["demo", "--seed-only", "--app-secret", SECRET], env)
        # Every slot taken (capacity 0): the case where a handshake probes the queue in vain.
        seeded = await seed_agents(url, args.sockets, status="available", capacity=0)
        ventas = seeded.campaign_ids["Ventas"]
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        serve = ["serve", "--port", str(port)]
        with serving(serve, env, [f"{base}/healthz"], logs / "app.log") as proc:
            if args.pin:
                pin(proc.pid, {SERVER_CPU})
                print(
                    f"pinned: the server on CPU {SERVER_CPU}; the socket clients, the webhooks'"
                    f" sender and the Redis reader on CPU {CLIENTS_CPU}; PostgreSQL, Redis and"
                    " anything else on the machine where the kernel puts them"
                )
            async with httpx.AsyncClient(base_url=base, timeout=30) as http:
                await stream(http, 20, 10.0, offset=0)  # warm the process and fill the queue
                # With no socket open, what a webhook alone costs the server.
                cpu = cpu_seconds(proc.pid)
                await stream(http, 20, 10.0, offset=20)
                args.ingest_cpu = (cpu_seconds(proc.pid) - cpu) / 20
            await asyncio.sleep(2)
            before = rss_mib(proc.pid)
            print(f"server RSS before sockets: {before:.0f} MiB {load()}")
            count = round(args.stream_rate * args.stream_seconds)
            with Published(url, ventas) as published:
                args.published = published.at
                await _with_clients(args, base, seeded.tokens, ventas, proc.pid, before, count)
            await asyncio.sleep(5)
            after = rss_mib(proc.pid)
            print(f"server RSS 5 s after every socket closed: {after:.0f} MiB {load()}")
            # What the closed sockets held is reused, not leaked: the same again, no growth.
            await _with_clients(args, base, seeded.tokens, ventas, proc.pid, after, 0)
            await asyncio.sleep(5)
            again = rss_mib(proc.pid)
            print(f"server RSS after a second round closed: {again:.0f} MiB {load()}")


async def _with_clients(
    args: argparse.Namespace,
    base: str,
    tokens: list[str],
    ventas: int,
    pid: int,
    before: float,
    broadcasts: int,
) -> None:
    """Open every socket, idle, stream `broadcasts` events to them (none: just idle), close."""
    ctx = multiprocessing.get_context("spawn")
    pipes: list[Connection] = []
    procs = []
    ws_url = base.replace("http", "ws") + "/api/ws"
    share = -(-len(tokens) // args.clients)
    for n in range(args.clients):
        mine, theirs = ctx.Pipe()
        part = tokens[n * share : (n + 1) * share]
        p = ctx.Process(target=socket_clients.run, args=(ws_url, part, ventas, theirs))
        procs.append(p)
        pipes.append(mine)
    server_cpu = cpu_seconds(pid)
    started = time.perf_counter()
    for p in procs:
        p.start()
    handshakes: list[float] = []
    failed = 0
    for pipe in pipes:
        _, times, bad = await asyncio.to_thread(pipe.recv)
        handshakes += times
        failed += bad
    elapsed = time.perf_counter() - started
    print(
        f"handshakes: {len(handshakes)} in {elapsed:.1f} s = {len(handshakes) / elapsed:.0f}/s "
        f"({failed} failed; each {ms(handshakes)}; server CPU "
        f"{cpu_seconds(pid) - server_cpu:.1f} s) {load()}"
    )
    await asyncio.sleep(5)
    idle = rss_mib(pid)
    print(
        f"server RSS with {len(handshakes)} idle sockets: {idle:.0f} MiB "
        f"({(idle - before) * 1024 / max(len(handshakes), 1):.1f} KiB each) {load()}"
    )
    if broadcasts == 0:
        for pipe in pipes:
            pipe.send("close")
        for pipe in pipes:
            await asyncio.to_thread(pipe.recv)
        for p in procs:
            p.join()
        return
    server_cpu = cpu_seconds(pid)
    _, kernel = cpu_split(pid)
    async with httpx.AsyncClient(base_url=base, timeout=30) as http:
        fanouts = await FanOuts.read(http)
        sent, answers = await stream(http, broadcasts, args.stream_rate)
        await asyncio.sleep(3)
        fanouts = (await FanOuts.read(http)).since(fanouts)
    streamed = rss_mib(pid)
    used = cpu_seconds(pid) - server_cpu
    kernel = cpu_split(pid)[1] - kernel
    # Less what the webhooks cost with no socket open: the fan-out's own CPU per frame.
    per_frame = (used - broadcasts * args.ingest_cpu) / (broadcasts * len(handshakes))
    print(
        f"server RSS after a stream of {len(sent)} broadcasts: {streamed:.0f} MiB "
        f"(server CPU {used:.1f} s, {kernel:.1f} s of it in the kernel:"
        f" {args.ingest_cpu * 1000:.0f} ms a webhook alone, "
        f"{per_frame * 1e6:.0f} µs a frame; the webhooks answered in {ms(answers)}) {load()}"
    )
    for pipe in pipes:
        pipe.send("close")
    seen: list[tuple[int, float]] = []
    client_cpu = 0.0
    dropped: list[int] = []
    for pipe in pipes:
        _, arrivals, cpu, closed = await asyncio.to_thread(pipe.recv)
        client_cpu += cpu
        dropped += closed
        # The queue held 40 before the stream: count 41 is the stream's first webhook.
        seen += [(queued - 41, at) for queued, at in arrivals if 0 <= queued - 41 < len(sent)]
    for p in procs:
        p.join()
    delays = [at - sent[n] for n, at in seen]
    published: dict[int, float] = args.published
    after_publish = [at - published[n + 41] for n, at in seen if n + 41 in published]
    # From the first socket to have an event to each one: the fan-out alone, without the
    # webhook's ingest and the event's trip through Redis.
    first: dict[int, float] = {}
    for n, at in seen:
        first[n] = min(at, first.get(n, at))
    spread = [at - first[n] for n, at in seen]
    # Webhooks applied in one batch of the inbox publish one count, their last: a count
    # never published is not a frame lost.
    events = sum(1 for n in range(len(sent)) if n + 41 in published)
    expected = events * len(handshakes)
    print(
        f"delivery of {len(sent)} webhooks' counts ({args.stream_rate:g}/s; {events} published,"
        f" the rest within a batch's) to {len(handshakes)} sockets each: {len(delays)} of"
        f" {expected} frames arrived, {len(dropped)} sockets closed by the "
        f"server {sorted(set(dropped))} (socket clients' CPU {client_cpu:.1f} s in "
        f"{args.clients} processes from the last handshake to the close) {load()}"
    )
    print(
        f"  event on Redis -> frame read ({len(after_publish)} frames of "
        f"{len(published)} events): {ms(after_publish)} {load()}"
    )
    print(f"  webhook sent -> frame read: {ms(delays)} {load()}")
    print(f"  first socket -> each socket, per event: {ms(spread)} {load()}")
    print(f"  {fanouts} {load()}")


class FanOuts:
    """The server's own count of its fan-outs (`/metrics`): from an event reaching the hub to
    its frame written to the last socket, before any client reads it."""

    def __init__(self, total: float, count: float, buckets: dict[float, float]) -> None:
        self.total, self.count, self.buckets = total, count, buckets

    @classmethod
    async def read(cls, http: httpx.AsyncClient) -> "FanOuts":
        answer = await http.get("/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}"})
        answer.raise_for_status()
        name = "atiende_event_delivery_seconds"
        total = count = 0.0
        buckets: dict[float, float] = {}
        for line in answer.text.splitlines():
            if line.startswith(f"{name}_sum "):
                total = float(line.split()[1])
            elif line.startswith(f"{name}_count "):
                count = float(line.split()[1])
            elif line.startswith(f'{name}_bucket{{le="') and "+Inf" not in line:
                bound, value = line.split('le="', 1)[1].split('"} ')
                buckets[float(bound)] = float(value)
        return cls(total, count, buckets)

    def since(self, before: "FanOuts") -> "FanOuts":
        return FanOuts(
            self.total - before.total,
            self.count - before.count,
            {b: n - before.buckets.get(b, 0.0) for b, n in self.buckets.items()},
        )

    def __str__(self) -> str:
        if not self.count:
            return "the server's fan-outs: none counted"
        within = ", ".join(
            f"{n:.0f} within {b * 1000:.0f} ms" for b, n in self.buckets.items() if b <= 0.2
        )
        return (
            f"the server's fan-outs (event at the hub -> written to its last socket): "
            f"{self.count:.0f}, mean {self.total / self.count * 1000:.0f} ms; {within}"
        )


async def stream(
    http: httpx.AsyncClient, count: int, rate: float, offset: int = 1000
) -> tuple[list[float], list[float]]:
    """`count` webhooks from new customers, `rate` per second: each queues an attention.
    Returns when each was sent and how long each took to be answered."""
    customers = synthetic_customers(offset + count, seed=11)[offset:]
    bodies = [webhook(c, "Hola") for c in customers]
    sent: list[float] = []
    answers: list[float] = []
    start = time.time()
    for n, body in enumerate(bodies):
        await asyncio.sleep(max(0.0, start + n / rate - time.time()))
        sent.append(time.time())
        answer = await http.post(
            "/webhooks/whatsapp",
            content=body,
            headers={HEADER: sign(body, SECRET), "Content-Type": "application/json"},
        )
        answer.raise_for_status()
        answers.append(time.time() - sent[-1])
    return sent, answers


async def latency(args: argparse.Namespace, logs: Path) -> None:
    with fresh_database("atiende_bench_live") as url:
        env = {
            "ATIENDE_DATABASE_URL": url,
            "ATIENDE_REDIS_URL": REDIS_URL,
        }
        await asyncio.to_thread(run, ["demo", "--seed-only", "--app-secret", SECRET], env)
        agents = 10
        seeded = await seed_agents(url, agents, status="available", capacity=100, prefix="live")
        await _unopened_stay(url)
        if args.processor == "inline":
            with cluster(2, env, logs) as (a_url, b_url), PublishedMessages(url) as published:
                await _live(args, a_url, b_url, seeded.tokens, published)
            return
        # The production shape at volume (deploy/README.md): the processes that answer the
        # webhooks and hold the sockets leave the inbox to a worker of its own.
        env["ATIENDE_INBOX_PROCESSOR"] = "off"
        with (
            working(env, logs / "worker.log") as worker,
            cluster(2, env, logs) as (a_url, b_url),
            PublishedMessages(url) as published,
        ):
            await _live(args, a_url, b_url, seeded.tokens, published, {worker.pid: "worker"})


class Agents:
    """A few agents' sockets on B, listening: when each `m<k>` message reached them, and which
    attentions were assigned to them."""

    def __init__(self, sockets: list[ClientConnection], customers: int) -> None:
        self.arrivals: dict[int, float] = {}
        self.assigned: set[int] = set()
        self.all_assigned = asyncio.Event()
        self._customers = customers
        self._sockets = sockets
        self._readers = [asyncio.create_task(self._listen(ws)) for ws in sockets]

    @classmethod
    async def connect(cls, b_url: str, tokens: list[str], customers: int) -> "Agents":
        ws_url = b_url.replace("http", "ws") + "/api/ws"
        headers = [{"Cookie": f"atiende_session={t}"} for t in tokens]
        return cls([await connect(ws_url, additional_headers=h) for h in headers], customers)

    async def _listen(self, ws: ClientConnection) -> None:
        async for frame in ws:
            if not isinstance(frame, str):
                continue
            if '"type":"message.created"' in frame:
                text = json.loads(frame)["message"]["text"] or ""
                if text.startswith("m"):
                    self.arrivals[int(text[1:])] = time.time()
            elif '"type":"attention.updated"' in frame and '"state":"assigned"' in frame:
                self.assigned.add(json.loads(frame)["attention"]["id"])
                if len(self.assigned) >= self._customers:
                    self.all_assigned.set()

    async def close(self) -> None:
        for task in self._readers:
            task.cancel()
        for ws in self._sockets:
            await ws.close()


async def _warm_up(a_url: str, agents: Agents, customers: list[Customer]) -> None:
    """Each customer's first message opens an attention; routing gives it to an agent on B."""
    warm = [
        signed_request(f"{a_url}/webhooks/whatsapp", webhook(c, "Hola"), SECRET) for c in customers
    ]
    await replay(a_url, warm, rate=100, connections=16)
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(agents.all_assigned.wait(), timeout=60)
    print(
        f"warm-up: {len(agents.assigned)} of {len(customers)} attentions assigned to agents on B"
        f" {load()}"
    )


def _messages(a_url: str, customers: list[Customer], count: int) -> list[bytes]:
    return [
        signed_request(
            f"{a_url}/webhooks/whatsapp", webhook(customers[k % len(customers)], f"m{k}"), SECRET
        )
        for k in range(count)
    ]


async def _live(
    args: argparse.Namespace,
    a_url: str,
    b_url: str,
    tokens: list[str],
    published: PublishedMessages,
    pids: dict[int, str] | None = None,
) -> None:
    customers = synthetic_customers(args.customers, seed=13)
    agents = await Agents.connect(b_url, tokens, len(customers))
    await _warm_up(a_url, agents, customers)
    count = round(args.rate * args.seconds)
    requests = _messages(a_url, customers, count)
    ports = {int(a_url.rsplit(":", 1)[1]): "A", int(b_url.rsplit(":", 1)[1]): "B"}
    cpu = cpu_by_role(ports, pids or {})
    out = await replay(a_url, requests, rate=args.rate, connections=args.connections)
    busy = cpu_shares(cpu, cpu_by_role(ports, pids or {}), args.seconds)
    await asyncio.sleep(3)
    delays = [at - out.scheduled[k] for k, at in agents.arrivals.items() if k < count]
    print(
        f"live latency at {args.rate:.0f}/s for {args.seconds:.0f} s: {len(delays)} of {count} "
        f"events on B; {ms(delays)} {load()}"
    )
    print(
        f"  webhook answers from A: {ms(out.answered)}, {out.failed} not 200 "
        f"(generator CPU {out.cpu_seconds:.1f} s for {args.seconds:.0f} s) {load()}"
    )
    before = [at - out.scheduled[k] for k, at in published.at.items() if k < count]
    after = [at - published.at[k] for k, at in agents.arrivals.items() if k in published.at]
    print(f"  webhook to its event on Redis (ingest and processing): {ms(before)}")
    print(f"  Redis to B's socket (delivery): {ms(after)}")
    print(f"  CPU while sending (of one core): {busy}")
    await agents.close()


async def _unopened_stay(url: str) -> None:
    """The benchmark's agents never open what they are given: without this, the demo's
    campaigns move an attention nobody opened after a minute, and the messages that arrive
    while it is back in the queue go to no socket (as they should)."""
    conn = await asyncpg.connect(url.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        await conn.execute("UPDATE campaigns SET reassign_after_seconds = 86400")
    finally:
        await conn.close()


async def _left_and_stored(url: str) -> tuple[int, int]:
    conn = await asyncpg.connect(url.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        row = await conn.fetchrow(
            "SELECT (SELECT count(*) FROM webhook_inbox),"
            " (SELECT count(*) FROM messages WHERE text LIKE 'm%')"
        )
    finally:
        await conn.close()
    assert row is not None
    return int(row[0]), int(row[1])


async def processing(args: argparse.Namespace, logs: Path) -> None:
    """The processing rate, counted where it matters: messages per second that reach the
    agents' sockets. A and B answer and hold the sockets; deliveries wait in the inbox while
    no worker runs, then one worker applies them all, so the rate is the processing's own and
    not bounded by the acknowledging on the same two cores."""
    with fresh_database("atiende_bench_processing") as url:
        env = {"ATIENDE_DATABASE_URL": url, "ATIENDE_REDIS_URL": REDIS_URL}
        await asyncio.to_thread(run, ["demo", "--seed-only", "--app-secret", SECRET], env)
        seeded = await seed_agents(url, 10, status="available", capacity=100, prefix="proc")
        await _unopened_stay(url)
        env["ATIENDE_INBOX_PROCESSOR"] = "off"
        customers = synthetic_customers(args.customers, seed=17)
        count = args.messages
        with cluster(2, env, logs) as (a_url, b_url):
            agents = await Agents.connect(b_url, seeded.tokens, len(customers))
            with working(env, logs / "worker-warm.log"):
                await _warm_up(a_url, agents, customers)
            out = await replay(a_url, _messages(a_url, customers, count), rate=4000, connections=32)
            print(f"{count} deliveries answered by A and waiting ({out.failed} not 200) {load()}")
            cpu = 0.0
            with working(env, logs / "worker.log") as worker:
                started, ready_cpu = time.time(), cpu_seconds(worker.pid)
                print(f"worker {worker.pid} applying (py-spy may attach)", flush=True)
                seen, still = 0, time.monotonic()
                while len(agents.arrivals) < count and time.monotonic() - still < 10:
                    await asyncio.sleep(0.2)
                    if len(agents.arrivals) > seen:
                        seen, still = len(agents.arrivals), time.monotonic()
                cpu = cpu_seconds(worker.pid) - ready_cpu
                left, stored = await _left_and_stored(url)
            await agents.close()
        print(f"  at the end: {left} deliveries still in the inbox, {stored} messages stored")
        times = sorted(agents.arrivals.values())
        if len(times) < 2:
            print(f"processing: {len(times)} of {count} messages reached the sockets {load()}")
            return
        spread = times[-1] - times[0]
        print(
            f"processing: {len(times)} of {count} messages reached the agents' sockets on B,"
            f" {(len(times) - 1) / spread:.0f}/s from the first to the last"
            f" ({spread:.1f} s; the first {times[0] - started:.1f} s after the worker started);"
            f" worker CPU {cpu * 1000 / len(times):.2f} ms per message {load()}"
        )


async def main(args: argparse.Namespace, logs: Path) -> None:
    if args.pin:
        # Inherited by every process and thread started from here on; the server is moved
        # to its own CPU once it runs.
        pin(os.getpid(), {CLIENTS_CPU})
    if args.only in (None, "connections"):
        await connections(args, logs)
    if args.only in (None, "latency"):
        await latency(args, logs)
    if args.only in (None, "processing"):
        await processing(args, logs)
    print(f"app logs in {logs}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=["connections", "latency", "processing"])
    parser.add_argument("--sockets", type=int, default=5000)
    parser.add_argument("--clients", type=int, default=4, help="socket client processes")
    parser.add_argument("--stream-rate", type=float, default=2.0, help="broadcasts per second")
    parser.add_argument("--stream-seconds", type=float, default=20.0)
    parser.add_argument("--rate", type=float, default=500.0, help="webhooks per second (latency)")
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--customers", type=int, default=500)
    parser.add_argument(
        "--messages", type=int, default=20000, help="processing: deliveries waiting in the inbox"
    )
    parser.add_argument(
        "--processor",
        choices=["process", "inline"],
        default="process",
        help="latency: the inbox applied by an `atiende worker` or inside the two servers",
    )
    parser.add_argument("--connections", type=int, default=32, help="generator's keep-alives")
    parser.add_argument(
        "--pin",
        action="store_true",
        help=f"connections: the server alone on CPU {SERVER_CPU}, the clients on CPU {CLIENTS_CPU}",
    )
    parser.add_argument("--logs", help="folder for the app processes' logs (default: a new one)")
    args = parser.parse_args()
    logs = Path(args.logs or tempfile.mkdtemp(prefix="atiende-bench-"))
    logs.mkdir(parents=True, exist_ok=True)
    asyncio.run(main(args, logs))
