"""Background loops every app process runs: inbox, outbox, routing, timers, presence.

They coordinate only through the database (leases, SKIP LOCKED, conditional updates), so
one process or ten behave alike, and a restart loses nothing that was committed.
"""

import asyncio
import contextlib
import logging
import random
import time
from collections.abc import Awaitable, Callable
from datetime import timedelta

from atiende import heap
from atiende.actions import (
    auth,
    inbox,
    media,
    outbox,
    presence,
    queues,
    routing,
    statuses,
    timers,
    webhooks,
)
from atiende.actions.work import Work
from atiende.channels.whatsapp import graph
from atiende.channels.whatsapp.throttle import wait_turn
from atiende.db.types import utcnow
from atiende.runtime import Runtime

log = logging.getLogger(__name__)

HEARTBEAT_SECONDS = 15.0
# Logout and deactivation close sockets at once through the bus; this sweep is the backstop.
# Without Redis a command-line deactivation reaches no server, so the sweep is what closes
# them; with Redis only a session row deleted by hand needs it, and each pass sends every
# session this process holds (thousands of ids), so it runs rarely.
SESSIONS_SECONDS = 1.0
SESSIONS_SECONDS_SHARED_BUS = 15.0
# The inbox's and routing's polls are a backstop for their wake-ups. With Redis every
# process hears every commit's wake-up, so they need not look each second: idle, the polls of
# one process cost about a fifth of a core (bench.routing prints it).
WOKEN_POLL_SECONDS_SHARED_BUS = 5.0
# Bounded work per pass, so one loop never starves the others on a single connection.
BATCH = 200
# A queue's head held by another transaction (a message arriving for it): routing looks
# again after this long rather than at once, so as not to spin on the lock.
HELD_HEAD_SECONDS = 0.02
# A campaign's queue count summed from this many rows or more is folded into one.
UNFOLDED_ROWS = 100
# Deliveries applied per transaction at most: the fixed cost of a batch (its channels, its
# lookups, its routing, its commit, some 10-20 ms of CPU) is shared by all of them. A backlog
# (a worker started after a burst, or behind one) is applied in batches this large.
INBOX_BATCH = 500
# And as many as fit in this long, measured on the batches before: on SQLite the inbox's
# group commit waits for the processor's transaction to end (one writer), so the 200 of the
# deliveries that arrive meanwhile are only as late as this. On PostgreSQL they do not wait,
# but the customers' open attentions stay locked for the batch.
INBOX_BATCH_SECONDS = {"sqlite": 0.05, "postgresql": 0.25}
# But never fewer than this on PostgreSQL: a batch's fixed cost (its channels, settling the
# queues, routing, events) is tens of ms of CPU, and on a busy machine the wall-clock budget
# shrank batches to one or two deliveries, which then cost 40-90 ms of CPU each: a worker
# process applied 4-9 messages/s while the answers ran beside it, 90-144/s with a floor
# (bench.ingest, load 6-7 on 2 cores). SQLite keeps its short write lock. A batch takes only
# what is waiting: a floor never delays a delivery.
INBOX_BATCH_FLOOR = {"sqlite": 1, "postgresql": 100}
# Another process holds the processor's turn: look again this soon, in case it has just
# finished and rows committed since are waiting.
INBOX_BUSY_SECONDS = 0.05
# How long stopping waits for the processor's batch under way before cancelling it.
STOP_SECONDS = 10.0


class Workers:
    def __init__(self, rt: Runtime) -> None:
        self.rt = rt
        self._tasks: list[asyncio.Task[None]] = []
        self._inbox_batch = INBOX_BATCH
        self._processor: asyncio.Task[None] | None = None
        self._stopping = asyncio.Event()
        # None: always INBOX_BATCH (a test that counts what one whole batch costs).
        self.inbox_batch_seconds: dict[str, float] | None = INBOX_BATCH_SECONDS

    @property
    def grace(self) -> timedelta:
        return timedelta(seconds=self.rt.settings.presence_grace_seconds)

    def start(self, *, processor: bool = True) -> None:
        """Every loop; without the inbox's `processor` when other processes apply it."""
        poll = self.rt.settings.worker_poll_seconds
        if processor:
            self.start_processor()
        self._tasks += [
            asyncio.create_task(_loop("outbox", self.dispatch_once, self.rt.outbox_wakeup, poll)),
            asyncio.create_task(
                _loop("routing", self.route_once, self.rt.routing_wakeup, self.woken_poll)
            ),
            asyncio.create_task(_loop("media", self.fetch_media_once, self.rt.media_wakeup, poll)),
            asyncio.create_task(_loop("early statuses", self.early_statuses_once, None, poll)),
            asyncio.create_task(_loop("timers", self.timers_once, None, poll)),
            asyncio.create_task(_loop("presence", self.presence_once, None, HEARTBEAT_SECONDS)),
            asyncio.create_task(
                _loop("sessions", self.sessions_once, None, self.sessions_interval)
            ),
        ]

    @property
    def woken_poll(self) -> float:
        """How often a loop that wake-ups reach from every process looks without one."""
        poll = self.rt.settings.worker_poll_seconds
        return max(poll, WOKEN_POLL_SECONDS_SHARED_BUS) if self.rt.settings.redis_url else poll

    @property
    def sessions_interval(self) -> float:
        return SESSIONS_SECONDS_SHARED_BUS if self.rt.settings.redis_url else SESSIONS_SECONDS

    def start_processor(self) -> None:
        """Only the inbox's processor (tests drive the other loops by hand, but the deliveries
        the emulator sends by itself are applied as they would be)."""
        self._stopping.clear()
        self._processor = asyncio.create_task(self._process())

    async def _process(self) -> None:
        """As `_loop`, but stopped between batches, never inside one: a batch cancelled in its
        transaction could leave its connection, and with it the processors' turn, held until
        the connection is collected."""
        while not self._stopping.is_set():
            try:
                more = await self.ingest_once()
            except Exception:
                log.exception("worker inbox failed; trying again")
                more = False
            if more:
                continue
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.rt.inbox_wakeup.wait(), timeout=self.woken_poll)
            self.rt.inbox_wakeup.clear()

    async def stop_processor(self) -> None:
        """The inbox's processor stopped after its batch (the other loops keep running)."""
        if self._processor is None:
            return
        self._stopping.set()
        self.rt.inbox_wakeup.set()
        done, _ = await asyncio.wait({self._processor}, timeout=STOP_SECONDS)
        if not done:
            self._processor.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._processor
        self._processor = None

    async def stop(self) -> None:
        await self.stop_processor()
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks = []

    async def ingest_once(self) -> bool:
        """Apply the oldest batch of the inbox; True when there may be more right away."""
        applied = await self.apply_inbox()
        if applied is None:
            await asyncio.sleep(INBOX_BUSY_SECONDS)
            return True
        return applied > 0

    async def apply_inbox(self) -> int | None:
        """The number of deliveries applied in one batch; None when another process is the
        processor at the moment."""
        try:
            return await self._apply_inbox(isolated=False)
        except Exception:
            log.warning(
                "a webhook batch failed whole; applying it delivery by delivery", exc_info=True
            )
            return await self._apply_inbox(isolated=True)

    async def _apply_inbox(self, *, isolated: bool) -> int | None:
        started = time.perf_counter()
        with heap.paused():
            return await self._apply_batch(started, isolated=isolated)

    async def _apply_batch(self, started: float, *, isolated: bool) -> int | None:
        async with self.rt.work() as w:
            batch = await inbox.claim(w, self._inbox_batch)
            if batch is None:
                return None
            if not batch:
                return 0
            result = await webhooks.apply_batch(w, batch, self.grace, isolated=isolated)
            dialect = w.session.get_bind().dialect.name
        if self.inbox_batch_seconds is not None:
            each = (time.perf_counter() - started) / len(batch)
            budget = self.inbox_batch_seconds.get(dialect, 0.25)
            floor = INBOX_BATCH_FLOOR.get(dialect, 1)
            self._inbox_batch = max(floor, min(INBOX_BATCH, int(budget / max(each, 1e-6))))
        m, now = self.rt.metrics, utcnow()
        for delivery in batch:
            m.processing_lag.observe(max((now - delivery.received_at).total_seconds(), 0.0))
        m.processed.labels("stored").inc(result.stored)
        m.processed.labels("duplicate").inc(result.duplicates)
        m.processed.labels("status").inc(result.statuses + result.early_statuses)
        m.processed.labels("kept").inc(result.kept)
        m.messages_in.inc(result.stored)
        m.statuses.inc(result.statuses)
        return len(batch)

    async def route_once(self) -> bool:
        """Route every campaign with a queue and someone who may take from it, a batch per
        transaction; True when there may be more right away."""
        started = time.perf_counter()
        async with self.rt.work() as w:
            campaigns = await routing.campaigns_to_route(w, self.grace)
        # Processes woken by the same event start on different campaigns instead of queuing
        # behind each other's turn on the first one.
        random.shuffle(campaigns)
        more = False
        while campaigns:
            async with self.rt.work() as w:
                found = await routing.route_next(w, campaigns, self.grace)
            # None: the rest are being routed by other processes, which look again if
            # anything changed meanwhile (the wake-up reaches them too), or nobody has room.
            if found is None:
                break
            campaign_id, routed = found
            self._observe(routed, started)
            if routed.more and routed.assigned:
                continue
            # Held head: look again shortly.
            more = more or routed.more
            campaigns.remove(campaign_id)
        await self._fold_queue_counts()
        if more:
            await asyncio.sleep(HELD_HEAD_SECONDS)
        return more

    async def _fold_queue_counts(self) -> None:
        """Routing folds the counts of what it routes; these are the others'."""
        async with self.rt.work() as w:
            campaigns = await queues.unfolded(w, UNFOLDED_ROWS)
        for campaign_id in campaigns:
            async with self.rt.work() as w:
                await queues.fold(w, campaign_id)

    def _observe(self, routed: routing.Routed, started: float) -> None:
        if not routed.assigned:
            return
        m = self.rt.metrics
        latency = time.perf_counter() - started
        for attention in routed.assigned:
            m.assignment_seconds.observe(latency)
            if attention.assigned_at is not None:
                wait = attention.assigned_at - attention.queued_at
                m.routing_wait.observe(max(wait.total_seconds(), 0.0))

    async def early_statuses_once(self) -> bool:
        """Statuses that arrived before their message's wamid was recorded, applied now."""
        async with self.rt.work() as w:
            await statuses.sweep_early(w, BATCH)
        return False

    async def timers_once(self) -> bool:
        async with self.rt.work() as w:
            # Most passes find nothing: one statement says so instead of a transaction each.
            if not await timers.anything_due(w):
                return False
        fired = 0
        steps = (
            timers.fire_one_reassignment,
            timers.fire_one_orphan,
            timers.fire_one_unavailable,
            self._overflow,
        )
        for fire in steps:
            for _ in range(BATCH):
                async with self.rt.work() as w:
                    done = await fire(w)
                if not done:
                    break
                fired += 1
        if fired:
            self.rt.routing_wakeup.set()
        return False

    async def _overflow(self, w: Work) -> bool:
        return await timers.fire_one_overflow(w, self.grace)

    async def sessions_once(self) -> bool:
        """Close this process's sockets whose session ended where no event said so (the
        CLI deactivated a user without a shared bus, a row deleted by hand)."""
        held = self.rt.hub.sessions()
        if not held:
            return False
        async with self.rt.work() as w:
            live = await auth.live_sessions(w, held)
        await self.rt.hub.close_sessions(held - live)
        return False

    async def presence_once(self) -> bool:
        """Heartbeat for this process's sockets, then offline for agents nobody hears."""
        connected = self.rt.hub.connected_users()
        async with self.rt.work() as w:
            touched = await presence.touch_all(w, connected)
        for user_id in set(connected) - touched:
            async with self.rt.work() as w:
                await presence.touch(w, user_id)
        async with self.rt.work() as w:
            stale = await presence.stale_agents(w, self.grace)
        for user_id in stale:
            if user_id in self.rt.hub.connected_users():
                continue
            async with self.rt.work() as w:
                await presence.mark_offline_if_stale(w, user_id, self.grace)
        return False

    async def fetch_media_once(self) -> bool:
        """Download a claimed batch of inbound media into the store."""
        async with self.rt.work() as w:
            fetches = await media.claim(w)
        for fetch in fetches:
            try:
                data, mime, sha = await graph.download_media(
                    self.rt.http, fetch.target, fetch.media_id
                )
                media.check(fetch, data, sha)
            except graph.GraphError as error:
                log.warning("media of message %s not downloaded: %s", fetch.message_id, error)
                async with self.rt.work() as w:
                    await media.record_failure(w, fetch, error)
                continue
            self.rt.media.put(media.store_key(fetch.message_id), data)
            async with self.rt.work() as w:
                await media.record_done(w, fetch, len(data), mime)
        return len(fetches) > 0

    async def _upload(self, job: outbox.Job) -> str:
        assert job.upload is not None
        path = self.rt.media.path(media.store_key(job.message_id))
        if path is None:
            raise graph.GraphError(0, None, "el archivo ya no está en el servidor", False)
        data = await asyncio.to_thread(path.read_bytes)
        return await graph.upload_media(
            self.rt.http, job.target, data, job.upload.mime, job.upload.filename
        )

    async def dispatch_once(self) -> bool:
        """Send one claimed batch; True when there may be more right away."""
        async with self.rt.work() as w:
            jobs = await outbox.claim(w)
        held_back: set[int] = set()
        for job in jobs:
            if job.customer_id in held_back:
                async with self.rt.work() as w:
                    await outbox.release(w, job)
                continue
            try:
                payload = job.payload
                if job.upload is not None:
                    payload = job.with_media(await self._upload(job))
                await wait_turn(self.rt.throttle, job.target.phone_number_id)
                wamid = await asyncio.wait_for(
                    graph.send_message(self.rt.http, job.target, payload),
                    timeout=self.rt.settings.graph_timeout_seconds,
                )
            except TimeoutError:
                error = graph.GraphError(0, None, "la API no respondió a tiempo", True)
                log.warning("send of message %s timed out", job.message_id)
                held_back.add(job.customer_id)
                async with self.rt.work() as w:
                    await outbox.record_failure(w, job, error, self.rt.settings.outbox_max_attempts)
                continue
            except graph.GraphError as error:
                log.warning("send of message %s failed: %s", job.message_id, error)
                # Later messages to this customer wait, so he never reads them out of order.
                held_back.add(job.customer_id)
                async with self.rt.work() as w:
                    await outbox.record_failure(w, job, error, self.rt.settings.outbox_max_attempts)
                continue
            async with self.rt.work() as w:
                await outbox.record_sent(w, job, wamid)
        return len(jobs) > 0


async def _loop(
    name: str, step: Callable[[], Awaitable[bool]], wakeup: asyncio.Event | None, every: float
) -> None:
    while True:
        try:
            more = await step()
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("worker %s failed; trying again", name)
            more = False
        if more:
            continue
        if wakeup is None:
            await asyncio.sleep(every)
            continue
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(wakeup.wait(), timeout=every)
        wakeup.clear()
