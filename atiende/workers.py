"""Background loops every app process runs: outbox, routing, presence.

They coordinate only through the database (leases, SKIP LOCKED, conditional updates), so
one process or ten behave alike, and a restart loses nothing that was committed.
"""

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta

from atiende.actions import outbox, presence, routing, statuses
from atiende.channels.whatsapp import graph
from atiende.channels.whatsapp.throttle import Throttle
from atiende.runtime import Runtime

log = logging.getLogger(__name__)

HEARTBEAT_SECONDS = 15.0


class Workers:
    def __init__(self, rt: Runtime) -> None:
        self.rt = rt
        self.throttle = Throttle(rt.settings.outbound_rate_per_second)
        self._tasks: list[asyncio.Task[None]] = []

    @property
    def grace(self) -> timedelta:
        return timedelta(seconds=self.rt.settings.presence_grace_seconds)

    def start(self) -> None:
        poll = self.rt.settings.worker_poll_seconds
        self._tasks = [
            asyncio.create_task(_loop("outbox", self.dispatch_once, self.rt.outbox_wakeup, poll)),
            asyncio.create_task(_loop("routing", self.route_once, self.rt.routing_wakeup, poll)),
            asyncio.create_task(_loop("presence", self.heartbeat, None, HEARTBEAT_SECONDS)),
        ]

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks = []

    async def route_once(self) -> bool:
        async with self.rt.work() as w:
            touched = await routing.route(w, self.grace)
            await statuses.sweep_early(w)
        return bool(touched)

    async def heartbeat(self) -> bool:
        users = self.rt.hub.connected_users()
        if users:
            async with self.rt.work() as w:
                await presence.touch(w, users)
        return False

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
                await self.throttle.wait(job.target.phone_number_id)
                wamid = await graph.send_message(self.rt.http, job.target, job.payload)
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
