"""Fan-out of events between app processes: in memory, or Redis pub/sub when configured.

Each process delivers only to its own sockets; the bus makes sure every process hears
every envelope, including the ones it published itself. Publishing never waits: a request
hands its committed events over and answers; on Redis one task sends them, in the order
they were handed over, several to a message (`wire.pack`), and keeps any it could not send
until Redis takes them.
"""

import asyncio
import contextlib
import logging
from collections import deque
from collections.abc import Callable
from typing import Protocol

import redis.asyncio as redis
from sqlalchemy.engine import make_url

from atiende.realtime.events import Envelope
from atiende.realtime.wire import Frame, audience, pack, unpack

log = logging.getLogger(__name__)

Deliver = Callable[[Frame], None]
# Whether this process holds a socket that hears an event for these recipients (and the
# staff room, when the flag is set): a frame nobody here hears is not decoded.
Hears = Callable[[list[int], bool], bool]
# Envelopes sent per message to Redis (each listener pays its fixed cost once for them all).
BATCH = 256
# How long stopping waits for the envelopes not yet sent.
FLUSH_SECONDS = 5.0


class Bus(Protocol):
    async def start(self, deliver: Deliver, hears: Hears | None = None) -> None: ...
    def publish(self, envelope: Envelope) -> None: ...
    async def flush(self) -> None: ...
    async def stop(self) -> None: ...


class MemoryBus:
    def __init__(self) -> None:
        self._deliver: Deliver | None = None

    async def start(self, deliver: Deliver, hears: Hears | None = None) -> None:
        # Nothing is encoded in one process, so no decoding to spare: `hears` is for buses
        # that carry frames between processes.
        del hears
        self._deliver = deliver

    def publish(self, envelope: Envelope) -> None:
        if self._deliver is not None:
            self._deliver(Frame.of(envelope))

    async def flush(self) -> None:
        return None

    async def stop(self) -> None:
        self._deliver = None


def channel_of(database_url: str) -> str:
    """The processes of one deployment share their database: its name keeps two deployments
    (or two test runs) on one Redis from hearing each other, and `v4` keeps processes that
    speak an older message format (one envelope's JSON, or one frame, per message; frames
    without their audience first) from hearing this one."""
    return f"atiende:events:v4:{make_url(database_url).database or ''}"


class RedisBus:
    def __init__(self, url: str, channel: str) -> None:
        # RESP2: redis-py 8.1's RESP3 parser formats every pub/sub message it reads into a
        # debug line (`"Push response: " + str(message)`) whether or not anything logs it,
        # which for our messages of hundreds of frames cost more than reading them.
        self._client = redis.from_url(url, protocol=2)
        self._channel = channel
        self._listener: asyncio.Task[None] | None = None
        self._sender: asyncio.Task[None] | None = None
        self._ready = asyncio.Event()
        self._outgoing: deque[bytes] = deque()
        self._wake = asyncio.Event()
        self._sent = asyncio.Event()

    async def start(self, deliver: Deliver, hears: Hears | None = None) -> None:
        self._listener = asyncio.create_task(self._listen(deliver, hears))
        # Publishing before the subscription is live would lose the first events.
        await asyncio.wait_for(self._ready.wait(), timeout=10)

    async def _listen(self, deliver: Deliver, hears: Hears | None) -> None:
        while True:
            try:
                async with self._client.pubsub() as pubsub:
                    await pubsub.subscribe(self._channel)
                    self._ready.set()
                    async for item in pubsub.listen():
                        if item.get("type") != "message":
                            continue
                        for data in unpack(item["data"]):
                            self._deliver_one(deliver, hears, data)
            except asyncio.CancelledError:
                raise
            except Exception:  # the connection dropped: resubscribe rather than go deaf
                log.exception("redis bus listener failed; resubscribing")
                await asyncio.sleep(1)

    @staticmethod
    def _deliver_one(deliver: Deliver, hears: Hears | None, data: bytes) -> None:
        try:
            if hears is not None:
                to = audience(data)
                if to is not None and not hears(to[1], to[0]):
                    return
            deliver(Frame.decode(data))
        except Exception:
            log.exception("could not deliver an event from the bus")

    def publish(self, envelope: Envelope) -> None:
        self._outgoing.append(Frame.of(envelope).encode())
        self._sent.clear()
        self._wake.set()
        # Started by the first event, not by `start`: a command that only publishes (the
        # CLI deactivating a user closes his sockets in the servers) never listens.
        if self._sender is None:
            self._sender = asyncio.create_task(self._send())

    async def _send(self) -> None:
        while True:
            await self._wake.wait()
            self._wake.clear()
            while self._outgoing:
                batch = [self._outgoing[i] for i in range(min(BATCH, len(self._outgoing)))]
                try:
                    await self._client.publish(self._channel, pack(batch))
                except asyncio.CancelledError:
                    raise
                except Exception:  # Redis away: keep them, in order, and try again
                    log.exception("could not publish %s events; retrying", len(batch))
                    await asyncio.sleep(0.5)
                    continue
                for _ in batch:
                    self._outgoing.popleft()
            self._sent.set()

    async def flush(self) -> None:
        """Wait until every envelope published so far is on Redis."""
        if self._outgoing:
            await self._sent.wait()

    async def stop(self) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.flush(), timeout=FLUSH_SECONDS)
        for task in (self._sender, self._listener):
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        await self._client.aclose()


def create_bus(redis_url: str | None, database_url: str) -> Bus:
    return RedisBus(redis_url, channel_of(database_url)) if redis_url else MemoryBus()
