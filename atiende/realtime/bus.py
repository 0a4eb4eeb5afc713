"""Fan-out of events between app processes: in memory, or Redis pub/sub when configured.

Each process delivers only to its own sockets; the bus makes sure every process hears
every envelope, including the ones it published itself.
"""

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from typing import Protocol

import redis.asyncio as redis

from atiende.realtime.events import Envelope

log = logging.getLogger(__name__)

Deliver = Callable[[Envelope], Awaitable[None]]
CHANNEL = "atiende:events"


class Bus(Protocol):
    async def start(self, deliver: Deliver) -> None: ...
    async def publish(self, envelope: Envelope) -> None: ...
    async def stop(self) -> None: ...


class MemoryBus:
    def __init__(self) -> None:
        self._deliver: Deliver | None = None

    async def start(self, deliver: Deliver) -> None:
        self._deliver = deliver

    async def publish(self, envelope: Envelope) -> None:
        if self._deliver is not None:
            await self._deliver(envelope)

    async def stop(self) -> None:
        self._deliver = None


class RedisBus:
    def __init__(self, url: str) -> None:
        self._client = redis.from_url(url)
        self._task: asyncio.Task[None] | None = None
        self._ready = asyncio.Event()

    async def start(self, deliver: Deliver) -> None:
        self._task = asyncio.create_task(self._listen(deliver))
        # Publishing before the subscription is live would lose the first events.
        await asyncio.wait_for(self._ready.wait(), timeout=10)

    async def _listen(self, deliver: Deliver) -> None:
        while True:
            try:
                async with self._client.pubsub() as pubsub:
                    await pubsub.subscribe(CHANNEL)
                    self._ready.set()
                    async for item in pubsub.listen():
                        if item.get("type") != "message":
                            continue
                        await self._deliver_one(deliver, item["data"])
            except asyncio.CancelledError:
                raise
            except Exception:  # the connection dropped: resubscribe rather than go deaf
                log.exception("redis bus listener failed; resubscribing")
                await asyncio.sleep(1)

    @staticmethod
    async def _deliver_one(deliver: Deliver, data: bytes) -> None:
        try:
            await deliver(Envelope.model_validate_json(data))
        except Exception:
            log.exception("could not deliver an event from the bus")

    async def publish(self, envelope: Envelope) -> None:
        await self._client.publish(CHANNEL, envelope.model_dump_json())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        await self._client.aclose()


def create_bus(redis_url: str | None) -> Bus:
    return RedisBus(redis_url) if redis_url else MemoryBus()
