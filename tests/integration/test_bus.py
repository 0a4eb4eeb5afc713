"""The Redis bus between processes: publishing never waits, and every envelope arrives, in
the order it was published, encoded once."""

import asyncio
import uuid
from collections.abc import Callable

from atiende.realtime.bus import RedisBus
from atiende.realtime.events import AttentionRemoved, Envelope
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
