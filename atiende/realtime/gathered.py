"""A signal sent at once, or gathered with the others of a short interval: never dropped.

The inbox's group commit wakes the processors through Redis after each commit, and every
process reads every wake-up: at 500 webhooks/s that was some 150 messages a second on the
bus, almost all of them for a processor already busy (it takes another batch as soon as it
ends one, wake-up or not). Only the first of an interval goes at once; those after it go as
one at the interval's end, so a commit is always followed by a wake-up within `interval`.
"""

import asyncio
from collections.abc import Callable


class Gathered:
    def __init__(self, send: Callable[[], None], interval: float) -> None:
        self._send = send
        self._interval = interval
        self._sent_at = float("-inf")
        self._due: asyncio.TimerHandle | None = None

    def __call__(self) -> None:
        if self._due is not None:
            return  # the one due at the interval's end carries this one too
        loop = asyncio.get_running_loop()
        wait = self._sent_at + self._interval - loop.time()
        if wait <= 0:
            self._fire()
        else:
            self._due = loop.call_later(wait, self._fire)

    def _fire(self) -> None:
        self._due = None
        self._sent_at = asyncio.get_running_loop().time()
        self._send()

    def cancel(self) -> None:
        if self._due is not None:
            self._due.cancel()
            self._due = None
