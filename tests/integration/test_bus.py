"""The Redis bus between processes: publishing never waits, and every envelope arrives, in
the order it was published, encoded once."""

import asyncio
import uuid
from collections.abc import Callable

from atiende.realtime.bus import RedisBus
from atiende.realtime.events import ALL_SESSIONS, WAKE_ROUTING, AttentionRemoved, Envelope
from atiende.realtime.wire import Frame
from tests.services import REDIS_URL, require_redis

COUNT = 2000


async def test_every_envelope_arrives_in_order_at_every_process() -> None:
    require_redis()
    channel = f"atiende:test:{uuid.uuid4().hex}"
    heard: dict[str, list[Frame]] = {"a": [], "b": []}
    everything = asyncio.Event()

    def listener(name: str) -> Callable[[Frame], None]:
        def deliver(frame: Frame) -> None:
            heard[name].append(frame)
            if all(len(frames) == COUNT for frames in heard.values()):
                everything.set()

        return deliver

    a, b = RedisBus(REDIS_URL, channel), RedisBus(REDIS_URL, channel)
    await a.start(listener("a"))
    await b.start(listener("b"))
    try:
        for n in range(COUNT):
            a.publish(
                Envelope(recipients=[n % 7], event=AttentionRemoved(attention_id=n, version=1))
            )
        await a.flush()
        await asyncio.wait_for(everything.wait(), timeout=20)
    finally:
        await a.stop()
        await b.stop()
    for frames in heard.values():
        assert [f.text for f in frames] == [
            f'{{"type":"attention.removed","attention_id":{n},"version":1}}' for n in range(COUNT)
        ]
        assert [f.recipients for f in frames[:8]] == [[n % 7] for n in range(8)]


async def test_a_process_that_only_publishes_is_heard() -> None:
    """The CLI deactivating a user never listens; its order to close his sockets still goes."""
    require_redis()
    channel = f"atiende:test:{uuid.uuid4().hex}"
    heard = asyncio.Event()
    server, cli = RedisBus(REDIS_URL, channel), RedisBus(REDIS_URL, channel)
    await server.start(lambda frame: heard.set() if frame.close_sessions else None)
    try:
        cli.publish(Envelope(recipients=[5], close_sessions=[ALL_SESSIONS]))
        await asyncio.wait_for(cli.stop(), timeout=5)
        await asyncio.wait_for(heard.wait(), timeout=5)
    finally:
        await server.stop()


async def test_a_process_decodes_only_what_its_sockets_hear_and_every_order() -> None:
    """Frames for sockets held elsewhere are skipped unread; closing sessions and waking up
    reach every process whoever it holds."""
    require_redis()
    channel = f"atiende:test:{uuid.uuid4().hex}"
    heard: list[Frame] = []
    last = asyncio.Event()

    def deliver(frame: Frame) -> None:
        heard.append(frame)
        if frame.wake:
            last.set()

    server, other = RedisBus(REDIS_URL, channel), RedisBus(REDIS_URL, channel)
    await server.start(deliver, lambda recipients, _staff: 3 in recipients)
    try:
        removed = [AttentionRemoved(attention_id=n, version=1) for n in range(4)]
        other.publish(Envelope(recipients=[1, 2], event=removed[0]))
        other.publish(Envelope(recipients=[2, 3], event=removed[1]))
        other.publish(Envelope(recipients=[], event=removed[2], staff=True))
        other.publish(Envelope(recipients=[1], close_sessions=[ALL_SESSIONS]))
        other.publish(Envelope(recipients=[], wake=[WAKE_ROUTING]))
        await other.flush()
        await asyncio.wait_for(last.wait(), timeout=10)
    finally:
        await other.stop()
        await server.stop()
    assert [(f.recipients, f.text is not None, f.close_sessions, f.wake) for f in heard] == [
        ([2, 3], True, [], []),
        ([1], False, [ALL_SESSIONS], []),
        ([], False, [], [WAKE_ROUTING]),
    ]
