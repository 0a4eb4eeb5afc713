"""Meta's send limit per number and the typing indicator's interval hold across processes:
each process has its own limiter, and they agree through Redis."""

import asyncio
import itertools
import time
import uuid
from collections.abc import AsyncIterator

import pytest
import pytest_asyncio
import redis.asyncio as redis

from atiende.actions import receipts
from atiende.channels.whatsapp.throttle import (
    LocalThrottle,
    RedisOnce,
    RedisThrottle,
    Throttle,
)
from tests.integration.conftest import CUSTOMERS, World
from tests.services import REDIS_URL, require_redis

RATE = 25.0
SENDS_EACH = 25


@pytest_asyncio.fixture
async def clients() -> AsyncIterator[tuple[redis.Redis, redis.Redis]]:
    """Two connections, as two processes have."""
    require_redis()
    a, b = redis.from_url(REDIS_URL), redis.from_url(REDIS_URL)
    try:
        yield a, b
    finally:
        await a.aclose()
        await b.aclose()


def namespace() -> str:
    # Other runs share this Redis: keys of our own.
    return f"test-{uuid.uuid4().hex}"


async def _send_as_fast_as_allowed(throttle: Throttle, number: str) -> tuple[list[float], float]:
    """What the outbox does per send: take a slot, wait for it. The slots' times and when
    the last send went out."""
    slots = []
    for _ in range(SENDS_EACH):
        slot = await throttle.reserve(number)
        slots.append(slot.at)
        await asyncio.sleep(slot.wait)
    return slots, time.monotonic()


def _most_in_a_second(times: list[float]) -> int:
    ordered = sorted(times)
    return max(sum(1 for t in ordered[i:] if t < start + 1.0) for i, start in enumerate(ordered))


async def test_two_processes_together_stay_under_the_rate_of_a_number(
    clients: tuple[redis.Redis, redis.Redis],
) -> None:
    ns, number = namespace(), "1234567890"
    a, b = (RedisThrottle(c, RATE, namespace=ns) for c in clients)
    started = time.monotonic()
    (slots_a, done_a), (slots_b, done_b) = await asyncio.gather(
        _send_as_fast_as_allowed(a, number), _send_as_fast_as_allowed(b, number)
    )
    slots = sorted(slots_a + slots_b)
    interval = 1.0 / RATE
    assert all(later - earlier >= interval - 1e-6 for earlier, later in itertools.pairwise(slots))
    assert _most_in_a_second(slots) <= RATE
    # And the sends waited for their slots: 2 × 25 at 25/s cannot be done in under 49 gaps.
    assert max(done_a, done_b) - started >= (2 * SENDS_EACH - 1) * interval - 0.01
    # Another number has its own limit: its first send goes out at once.
    assert (await a.reserve("another number")).wait == 0


async def test_two_local_throttles_would_each_allow_the_whole_rate() -> None:
    """What each process did on its own before: the check above would catch it."""
    a, b = LocalThrottle(RATE), LocalThrottle(RATE)
    slots = [(await t.reserve("1234567890")).at for t in (a, b) for _ in range(SENDS_EACH)]
    assert _most_in_a_second(slots) == 2 * SENDS_EACH


async def test_without_redis_a_process_keeps_its_own_spacing() -> None:
    unreachable = redis.from_url("redis://127.0.0.1:1/0")
    try:
        throttle = RedisThrottle(unreachable, RATE)
        first, second = await throttle.reserve("n"), await throttle.reserve("n")
    finally:
        await unreachable.aclose()
    assert first.wait == 0
    assert second.at - first.at == pytest.approx(1.0 / RATE)


async def test_typing_from_two_processes_goes_out_once_per_interval(
    clients: tuple[redis.Redis, redis.Redis],
) -> None:
    ns = namespace()
    a, b = (RedisOnce(c, namespace=ns) for c in clients)
    assert await a.first("typing:7", 0.4) is True
    assert await b.first("typing:7", 0.4) is False
    assert await a.first("typing:7", 0.4) is False
    assert await b.first("typing:8", 0.4) is True, "another attention has its own interval"
    await asyncio.sleep(0.5)
    assert await b.first("typing:7", 0.4) is True


async def test_the_typing_route_asks_the_shared_gate(
    world: World, clients: tuple[redis.Redis, redis.Redis]
) -> None:
    """An agent's requests alternate between two processes: one indicator reaches Meta."""
    await world.online("agente1")
    agent = await world.login("agente1")
    await world.customer_writes(CUSTOMERS["maria"], "Hola")
    await world.route()
    attention = (await agent.get("/api/agent/attentions")).json()["assigned"][0]
    assert (await agent.post(f"/api/attentions/{attention['id']}/open")).status_code == 200
    ns = namespace()
    gates = [RedisOnce(c, namespace=ns) for c in clients]
    user = world.users["agente1"]
    sent = []
    for gate in (*gates, *gates):
        async with world.rt.work() as w:
            sent.append(await receipts.do_typing(w, user, attention["id"], gate))
    assert sent == [True, False, False, False]
