"""Limits on what goes to Meta, held by one process or by all of them through Redis.

Meta's throughput limit is per WhatsApp number and counts every process that sends for it,
so with several app processes the spacing lives in Redis; a single process without Redis
keeps it in memory. The same goes for the typing indicator's "at most once per interval".
"""

import asyncio
import logging
import time
from dataclasses import dataclass
from typing import Protocol

import redis.asyncio as redis
from redis.exceptions import RedisError

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Slot:
    """When a send may go out: `at` on the limiter's own clock, `wait` seconds from now."""

    at: float
    wait: float


class Throttle(Protocol):
    async def reserve(self, key: str) -> Slot: ...


async def wait_turn(throttle: Throttle, key: str) -> None:
    slot = await throttle.reserve(key)
    if slot.wait > 0:
        await asyncio.sleep(slot.wait)


class LocalThrottle:
    """Sends of this process spaced evenly, `1 / per_second` apart per key."""

    def __init__(self, per_second: float) -> None:
        self._interval = 1.0 / per_second if per_second > 0 else 0.0
        self._next: dict[str, float] = {}

    async def reserve(self, key: str) -> Slot:
        # No await between the read and the write: the event loop makes it atomic.
        now = time.monotonic()
        at = max(now, self._next.get(key, now))
        self._next[key] = at + self._interval
        return Slot(at, at - now)


# GCRA with no burst: the key holds the theoretical arrival time of the next send (µs, on
# Redis's clock so hosts with skewed clocks agree); each call takes that slot and moves it
# one interval on. A counter per second would let a whole second's sends out in the same
# millisecond at the edge of two windows. Integers are formatted with %.0f because Lua 5.1's
# tostring keeps 14 digits and the times have 16.
_RESERVE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local interval = tonumber(ARGV[1])
local at = tonumber(redis.call('GET', KEYS[1]) or '0')
if at < now then at = now end
local after = at + interval
local ttl = math.ceil((after - now) / 1000) + 1000
redis.call('SET', KEYS[1], string.format('%.0f', after), 'PX', ttl)
return {string.format('%.0f', at), string.format('%.0f', at - now)}
"""


class RedisThrottle:
    """The same spacing shared by every process on this Redis. While Redis cannot be
    reached this process falls back to its own spacing: sending within Meta's limit per
    process beats not sending at all (Meta answers an excess with a retryable error)."""

    def __init__(
        self, client: "redis.Redis", per_second: float, namespace: str = "atiende"
    ) -> None:
        self._namespace = namespace
        self._interval_us = round(1_000_000 / per_second) if per_second > 0 else 0
        self._script = client.register_script(_RESERVE)
        self._fallback = LocalThrottle(per_second)

    async def reserve(self, key: str) -> Slot:
        if self._interval_us == 0:
            return Slot(time.time(), 0.0)
        try:
            name = f"{self._namespace}:throttle:{key}"
            at, wait = await self._script(keys=[name], args=[self._interval_us])
        except RedisError as error:
            log.warning("send throttle for %s kept in this process: %s", key, error)
            return await self._fallback.reserve(key)
        return Slot(int(at) / 1_000_000, int(wait) / 1_000_000)


class Once(Protocol):
    async def first(self, key: str, seconds: float) -> bool:
        """True for the first call with `key` in `seconds`; False for the others."""
        ...


class LocalOnce:
    # Past this many keys the expired ones are dropped: a process that runs for months sees
    # every attention once, and would otherwise remember each.
    PRUNE_AT = 10_000

    def __init__(self) -> None:
        self._until: dict[str, float] = {}

    async def first(self, key: str, seconds: float) -> bool:
        now = time.monotonic()
        if self._until.get(key, now) > now:
            return False
        if len(self._until) >= self.PRUNE_AT:
            self._until = {k: until for k, until in self._until.items() if until > now}
        self._until[key] = now + seconds
        return True


class RedisOnce:
    """SET NX with an expiry: the process that sets the key first wins the interval."""

    def __init__(self, client: "redis.Redis", namespace: str = "atiende") -> None:
        self._client = client
        self._namespace = namespace
        self._fallback = LocalOnce()

    async def first(self, key: str, seconds: float) -> bool:
        try:
            won = await self._client.set(
                f"{self._namespace}:once:{key}", b"1", nx=True, px=max(1, round(seconds * 1000))
            )
        except RedisError as error:
            log.warning("typing throttle for %s kept in this process: %s", key, error)
            return await self._fallback.first(key, seconds)
        return bool(won)
