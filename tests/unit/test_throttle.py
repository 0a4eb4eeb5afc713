"""The in-memory limits a single process without Redis keeps."""

import asyncio

import pytest

from atiende.channels.whatsapp.throttle import LocalOnce, LocalThrottle


async def test_sends_of_a_number_are_spaced_and_other_numbers_are_not_held() -> None:
    throttle = LocalThrottle(per_second=10)
    first, second = await throttle.reserve("a"), await throttle.reserve("a")
    assert first.wait == 0
    assert second.at - first.at == pytest.approx(0.1)
    assert (await throttle.reserve("b")).wait == 0


async def test_once_per_interval_per_key() -> None:
    once = LocalOnce()
    assert await once.first("typing:1", 0.05) is True
    assert await once.first("typing:1", 0.05) is False
    assert await once.first("typing:2", 0.05) is True
    await asyncio.sleep(0.06)
    assert await once.first("typing:1", 0.05) is True


async def test_expired_keys_are_forgotten() -> None:
    once = LocalOnce()
    once.PRUNE_AT = 3
    for key in ("a", "b", "c"):
        assert await once.first(key, 0.01)
    await asyncio.sleep(0.02)
    assert await once.first("d", 60)
    assert set(once._until) == {"d"}
