"""Spacing sends so one process stays under a number's messages-per-second limit."""

import asyncio
import time


class Throttle:
    def __init__(self, per_second: float) -> None:
        self._interval = 1.0 / per_second if per_second > 0 else 0.0
        self._next: dict[str, float] = {}
        self._lock = asyncio.Lock()

    async def wait(self, key: str) -> None:
        async with self._lock:
            now = time.monotonic()
            at = max(now, self._next.get(key, now))
            self._next[key] = at + self._interval
        if at > now:
            await asyncio.sleep(at - now)
