"""Fan-out to sockets: one encoding per event, a socket that keeps up written at once, one
that stalls holding up nobody and dropped once too far behind, and the bus's wire format."""

import asyncio
import contextlib
import json
from typing import Any

from atiende.metrics import Metrics
from atiende.realtime.direct import text_frame
from atiende.realtime.eager import start_now
from atiende.realtime.events import ALL_SESSIONS, AttentionRemoved, Envelope, Pong
from atiende.realtime.hub import BEHIND, CLOSE_BEHIND, CLOSE_UNAUTHENTICATED, SLICE, Hub
from atiende.realtime.wire import Frame, audience, pack, unpack


class Quick:
    def __init__(self) -> None:
        self.sent: list[str] = []
        self.closed: int | None = None

    async def send_text(self, text: str) -> None:
        self.sent.append(text)

    async def close(self, code: int) -> None:
        self.closed = code


class Stalled(Quick):
    """A tab whose network stopped taking data: every send waits until released."""

    def __init__(self) -> None:
        super().__init__()
        self.release = asyncio.Event()

    async def send_text(self, text: str) -> None:
        await self.release.wait()
        self.sent.append(text)


def frame(recipients: list[int], n: int = 1, *, staff: bool = False) -> Frame:
    return Frame.of(
        Envelope(
            recipients=recipients, event=AttentionRemoved(attention_id=n, version=1), staff=staff
        )
    )


def hub_with(*sockets: tuple[int, Any, bool], metrics: Metrics | None = None) -> Hub:
    hub = Hub(metrics)
    for user_id, ws, staff in sockets:
        hub.add(user_id, ws, f"session-{user_id}", staff=staff)
    return hub


async def test_a_socket_that_keeps_up_has_the_frame_before_deliver_returns() -> None:
    a, b, boss = Quick(), Quick(), Quick()
    hub = hub_with((1, a, False), (2, b, False), (9, boss, True))
    hub.deliver(frame([1], 7, staff=True))
    assert a.sent == ['{"type":"attention.removed","attention_id":7,"version":1}']
    assert boss.sent == a.sent and b.sent == []


async def test_a_stalled_socket_holds_up_nobody_and_gets_its_frames_in_order() -> None:
    slow, quick = Stalled(), Quick()
    hub = hub_with((1, slow, False), (2, quick, False))
    for n in range(3):
        hub.deliver(frame([1, 2], n))
    assert len(quick.sent) == 3 and slow.sent == []
    slow.release.set()
    for _ in range(5):
        await asyncio.sleep(0)
    assert slow.sent == quick.sent


async def test_a_socket_too_far_behind_is_closed_so_its_tab_reloads() -> None:
    slow, quick = Stalled(), Quick()
    metrics = Metrics()
    hub = hub_with((1, slow, False), (2, quick, False), metrics=metrics)
    # BEHIND frames not yet taken (the first of them being sent) are as far as it goes.
    for n in range(BEHIND):
        hub.deliver(frame([1, 2], n))
    assert hub.connected_users() == [1, 2] and slow.closed is None
    hub.deliver(frame([1, 2], BEHIND))
    assert slow.closed == CLOSE_BEHIND
    assert hub.connected_users() == [2] and len(quick.sent) == BEHIND + 1
    assert metrics.registry.get_sample_value("atiende_sockets_dropped_behind_total") == 1
    slow.release.set()


async def test_a_close_order_closes_only_the_named_sessions() -> None:
    first, second = Quick(), Quick()
    hub = Hub()
    hub.add(1, first, "one")  # type: ignore[arg-type]
    hub.add(1, second, "two")  # type: ignore[arg-type]
    hub.deliver(Frame.of(Envelope(recipients=[1], close_sessions=["one"])))
    assert (first.closed, second.closed) == (CLOSE_UNAUTHENTICATED, None)
    hub.deliver(Frame.of(Envelope(recipients=[1], close_sessions=[ALL_SESSIONS])))
    assert second.closed == CLOSE_UNAUTHENTICATED and hub.connected_users() == []


def test_the_wire_carries_the_event_text_as_it_was_encoded() -> None:
    sent = Frame.of(Envelope(recipients=[3, 4], event=Pong(), staff=True))
    assert Frame.decode(sent.encode()) == sent
    order = Frame.of(Envelope(recipients=[3], close_sessions=["x"]))
    assert Frame.decode(order.encode()) == order and order.text is None
    wake = Frame.of(Envelope(recipients=[], wake=["routing"]))
    assert Frame.decode(wake.encode()) == wake and wake.wake == ["routing"]
    frames = [sent.encode(), order.encode(), wake.encode()]
    assert list(unpack(pack(frames))) == frames, "one message carries several, in order"


def test_a_frames_audience_is_read_without_decoding_it_and_orders_are_for_everyone() -> None:
    assert audience(Frame.of(Envelope(recipients=[3, 40], event=Pong())).encode()) == (
        False,
        [3, 40],
    )
    assert audience(frame([], staff=True).encode()) == (True, [])
    order = Frame.of(Envelope(recipients=[3], close_sessions=["x"], event=Pong()))
    assert audience(order.encode()) is None
    assert audience(Frame.of(Envelope(recipients=[], wake=["routing"])).encode()) is None


def test_the_hub_hears_its_users_and_the_staff_room_only_with_a_staff_socket() -> None:
    hub = hub_with((1, Quick(), False), (2, Quick(), True))
    assert hub.hears([5, 1], False)
    assert not hub.hears([5, 6], False)
    assert hub.hears([], True)
    assert not hub_with((1, Quick(), False)).hears([], True)


async def test_start_now_finishes_in_the_callers_turn_or_goes_on_in_a_task() -> None:
    done: list[str] = []

    async def quick() -> None:
        done.append("quick")

    gate = asyncio.Event()

    async def waits() -> None:
        await gate.wait()
        done.append("waited")

    assert start_now(quick()) is None and done == ["quick"]
    task = start_now(waits())
    assert task is not None and not task.done()
    gate.set()
    await task
    assert done == ["quick", "waited"]


async def test_a_task_started_now_can_be_cancelled_where_it_waits() -> None:
    seen: list[str] = []

    async def waits() -> None:
        try:
            await asyncio.Event().wait()
        finally:
            seen.append("cleaned up")

    task = start_now(waits())
    assert task is not None
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
    assert task.cancelled() and seen == ["cleaned up"]


async def test_a_broadcast_to_many_sockets_yields_the_loop_and_keeps_each_sockets_order() -> None:
    sockets = [Quick() for _ in range(3 * SLICE)]
    hub = hub_with(*((n, ws, False) for n, ws in enumerate(sockets)))
    everyone = list(range(len(sockets)))
    hub.deliver(frame(everyone, 1))
    hub.deliver(frame(everyone, 2))
    assert sum(len(ws.sent) for ws in sockets) == SLICE  # the rest on the next turns
    hub.remove(0, sockets[0])  # type: ignore[arg-type]
    hub.remove(len(sockets) - 1, sockets[-1])  # type: ignore[arg-type]
    for _ in range(10):
        await asyncio.sleep(0)
    reached = [ws for ws in sockets if ws.sent]
    assert len(reached) >= len(sockets) - 2
    for ws in reached:
        assert [json.loads(t)["attention_id"] for t in ws.sent] in ([1, 2], [1])
    assert sum(len(ws.sent) for ws in sockets) >= 2 * (len(sockets) - 2)


class Transport:
    """A socket's transport as `realtime/direct` offers it: each write kept as written."""

    def __init__(self) -> None:
        self.writes: list[bytes] = []
        self.writable = asyncio.Event()
        self.writable.set()
        self.closed: int | None = None

    @property
    def paused(self) -> bool:
        return not self.writable.is_set()

    def write_frames(self, data: bytes) -> bool:
        self.writes.append(data)
        return True

    def close_now(self, code: int) -> None:
        self.closed = code


def direct_hub(count: int) -> tuple[Hub, list[Transport]]:
    hub, transports = Hub(), [Transport() for _ in range(count)]
    for n, transport in enumerate(transports):
        hub.add(n, Quick(), f"session-{n}", direct=transport)  # type: ignore[arg-type]
    return hub, transports


def removed_frame(n: int) -> bytes:
    return text_frame(AttentionRemoved(attention_id=n, version=1).model_dump_json())


async def test_events_delivered_during_a_fan_out_reach_each_socket_in_one_write() -> None:
    hub, transports = direct_hub(3 * SLICE)
    everyone = list(range(len(transports)))
    for n in (1, 2, 3):
        hub.deliver(frame(everyone, n))
    assert sum(len(t.writes) for t in transports) == SLICE
    for _ in range(10):
        await asyncio.sleep(0)
    for t in transports:
        assert t.writes == [removed_frame(1), removed_frame(2) + removed_frame(3)]


async def test_a_direct_socket_that_cannot_take_more_gets_what_waited_in_one_write() -> None:
    hub, (slow, quick) = direct_hub(2)
    slow.writable.clear()  # its buffer over the high-water mark
    for n in range(BEHIND):
        hub.deliver(frame([0, 1], n))
    assert slow.writes == [] and len(quick.writes) == BEHIND
    slow.writable.set()
    for _ in range(3):
        await asyncio.sleep(0)
    assert slow.writes == [b"".join(removed_frame(n) for n in range(BEHIND))]
    slow.writable.clear()
    for n in range(BEHIND + 1):
        hub.deliver(frame([0, 1], n))
    assert slow.closed == CLOSE_BEHIND and hub.connected_users() == [1]


async def test_a_socket_named_twice_or_also_in_the_staff_room_is_written_once() -> None:
    hub, agent, boss = Hub(), Transport(), Transport()
    hub.add(1, Quick(), "session-1", direct=agent)  # type: ignore[arg-type]
    hub.add(2, Quick(), "session-2", staff=True, direct=boss)  # type: ignore[arg-type]
    hub.deliver(frame([1, 1, 2], 1))
    hub.deliver(frame([1, 2], 2, staff=True))
    assert agent.writes == [removed_frame(1), removed_frame(2)]
    assert boss.writes == [removed_frame(1), removed_frame(2)]
