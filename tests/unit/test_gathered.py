"""A gathered signal: the first goes at once, those right after it go as one, none is lost."""

import asyncio

from atiende.realtime.gathered import Gathered

INTERVAL = 0.05


async def test_the_first_goes_at_once_and_the_next_ones_go_together_after_the_interval() -> None:
    sent: list[float] = []
    loop = asyncio.get_running_loop()
    signal = Gathered(lambda: sent.append(loop.time()), INTERVAL)
    signal()
    assert len(sent) == 1  # no waiting for the first
    signal()
    signal()
    signal()
    assert len(sent) == 1
    await asyncio.sleep(INTERVAL * 3)
    assert len(sent) == 2  # the three after the first, as one
    assert sent[1] - sent[0] >= INTERVAL * 0.9


async def test_a_signal_after_a_quiet_interval_goes_at_once() -> None:
    sent: list[str] = []
    signal = Gathered(lambda: sent.append("wake"), INTERVAL)
    signal()
    await asyncio.sleep(INTERVAL * 2)
    signal()
    assert sent == ["wake", "wake"]


async def test_a_cancelled_signal_sends_nothing_more() -> None:
    sent: list[str] = []
    signal = Gathered(lambda: sent.append("wake"), INTERVAL)
    signal()
    signal()
    signal.cancel()
    await asyncio.sleep(INTERVAL * 3)
    assert sent == ["wake"]
