"""What one app process holds: database, bus, sockets, HTTP client, and the wake-up signals."""

import asyncio
from collections.abc import AsyncIterator, Coroutine
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx
import redis.asyncio as redis
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from atiende.actions import notify
from atiende.actions import receipts as receipt_actions
from atiende.actions.channel_signers import ChannelSigners
from atiende.actions.group_commit import InboxWriter
from atiende.actions.work import Work
from atiende.channels.whatsapp.throttle import (
    LocalOnce,
    LocalThrottle,
    Once,
    RedisOnce,
    RedisThrottle,
    Throttle,
)
from atiende.config import Settings
from atiende.db.engine import create_engine, create_sessionmaker
from atiende.keyring import load_keyring
from atiende.media_store import LocalMediaStore, MediaStore
from atiende.metrics import Metrics
from atiende.realtime.bus import Bus, create_bus
from atiende.realtime.events import WAKE_CHANNELS, WAKE_INBOX, WAKE_ROUTING, Envelope
from atiende.realtime.gathered import Gathered
from atiende.realtime.hub import Hub
from atiende.realtime.wire import Frame

# The inbox's wake-ups to the other processes: the first after a quiet spell at once, the
# commits of the next this long as one (a busy processor needs none; an idle one waits at
# most this much more for a delivery committed right after another's wake-up).
INBOX_WAKE_SECONDS = 0.01


@dataclass
class Runtime:
    settings: Settings
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    bus: Bus
    hub: Hub
    http: httpx.AsyncClient
    media: MediaStore
    # Meta's send limit and the typing indicator's interval, shared by every process that
    # uses the same Redis (in this process's memory without one).
    throttle: Throttle
    typing_once: Once
    redis: "redis.Redis | None" = None
    outbox_wakeup: asyncio.Event = field(default_factory=asyncio.Event)
    routing_wakeup: asyncio.Event = field(default_factory=asyncio.Event)
    media_wakeup: asyncio.Event = field(default_factory=asyncio.Event)
    inbox_wakeup: asyncio.Event = field(default_factory=asyncio.Event)
    background: set[asyncio.Task[None]] = field(default_factory=set)
    metrics: Metrics = field(default_factory=Metrics)
    # A routing wake-up is due to leave for the other processes.
    _ringing: bool = field(default=False, init=False)
    # Built in __post_init__: both need `work`, this object's own method.
    signers: ChannelSigners = field(init=False)
    inbox: InboxWriter = field(init=False)
    _wake_inboxes: Gathered = field(init=False)

    def __post_init__(self) -> None:
        self.signers = ChannelSigners(self.work)
        self.inbox = InboxWriter(self.engine, self._inbox_committed)
        self._wake_inboxes = Gathered(self._publish_inbox_wake, INBOX_WAKE_SECONDS)

    @asynccontextmanager
    async def work(self) -> AsyncIterator[Work]:
        """One transaction; its events go out after the commit, never before, and without
        holding up the caller (the bus takes them over; see `realtime.bus`)."""
        async with self.sessions() as session:
            work = Work(session)
            async with session.begin():
                yield work
                await notify.staff_changes(work)
        for envelope in work.envelopes:
            self.bus.publish(envelope)
        if work.receipts:
            self._spawn(self._send_receipts(work.receipts))
        if work.wake_outbox:
            self.outbox_wakeup.set()
        if work.wake_routing:
            self.routing_wakeup.set()
            self._ring_routing()
        if work.wake_media:
            self.media_wakeup.set()
        if work.channels_changed:
            self.signers.forget()
            self.bus.publish(Envelope(recipients=[], wake=[WAKE_CHANNELS]))

    def _inbox_committed(self) -> None:
        self.inbox_wakeup.set()
        # Another process may be the one whose processor is free: it hears it on the bus.
        self._wake_inboxes()

    def _publish_inbox_wake(self) -> None:
        self.bus.publish(Envelope(recipients=[], wake=[WAKE_INBOX]))

    def _ring_routing(self) -> None:
        """Tell every process's routing loop; the one routing a campaign now may be another.
        The wake-ups of one turn of the event loop travel as one message."""
        if self._ringing:
            return
        self._ringing = True
        asyncio.get_running_loop().call_soon(self._ring)

    def _ring(self) -> None:
        self._ringing = False
        self.bus.publish(Envelope(recipients=[], wake=[WAKE_ROUTING]))

    def _heard(self, frame: Frame) -> None:
        if WAKE_ROUTING in frame.wake:
            self.routing_wakeup.set()
        if WAKE_CHANNELS in frame.wake:
            self.signers.forget()
        if WAKE_INBOX in frame.wake:
            self.inbox_wakeup.set()
        if frame.text is not None or frame.close_sessions:
            self.hub.deliver(frame)

    def spawn(self, coro: Coroutine[Any, Any, None]) -> None:
        """Run `coro` beside the requests, e.g. a customer base's import after its answer."""
        self._spawn(coro)

    def _spawn(self, coro: Coroutine[Any, Any, None]) -> None:
        # Kept referenced until done: an unreferenced task may be collected mid-flight.
        task = asyncio.create_task(coro)
        self.background.add(task)
        task.add_done_callback(self.background.discard)

    async def _send_receipts(self, receipts: list[tuple[int, str, bool]]) -> None:
        await receipt_actions.send(self.work, self.http, receipts)

    async def start(self) -> None:
        await self.bus.start(self._heard, self.hub.hears)
        self.inbox.start()

    async def close(self) -> None:
        await self.inbox.stop()
        self._wake_inboxes.cancel()
        if self.background:
            await asyncio.wait(self.background, timeout=5)
        await self.bus.stop()
        if self.redis is not None:
            await self.redis.aclose()
        await self.http.aclose()
        await self.engine.dispose()


def create_runtime(settings: Settings) -> Runtime:
    engine = create_engine(settings.database_url, load_keyring(settings))
    metrics = Metrics()
    client = redis.from_url(settings.redis_url) if settings.redis_url else None
    rate = settings.outbound_rate_per_second
    return Runtime(
        settings=settings,
        engine=engine,
        sessions=create_sessionmaker(engine),
        bus=create_bus(settings.redis_url, settings.database_url),
        hub=Hub(metrics),
        http=httpx.AsyncClient(),
        media=LocalMediaStore(settings.media_dir),
        throttle=RedisThrottle(client, rate) if client else LocalThrottle(rate),
        typing_once=RedisOnce(client) if client else LocalOnce(),
        redis=client,
        metrics=metrics,
    )
