"""Run a coroutine at once, in the caller's turn, and hand it to a task only if it waits.

Python 3.12's eager task start, which 3.11 lacks. A frame written to a healthy socket never
waits (the transport takes it whole), so fanning an event out to thousands of sockets costs
one call each instead of one task each, and a socket whose buffer is full waits in its own
task without holding the others.
"""

import asyncio
from collections.abc import Coroutine, Generator
from typing import Any


def start_now(coro: Coroutine[Any, Any, None]) -> asyncio.Task[None] | None:
    """Run `coro` until it first waits; None if it finished, else the task that goes on."""
    try:
        waiting = coro.send(None)
    except StopIteration:
        return None
    task = asyncio.ensure_future(_GoOn(coro, waiting))
    # Cancelled before its first turn, the task never reaches the coroutine: closing it runs
    # its `finally` (a no-op for one that finished).
    task.add_done_callback(lambda _: coro.close())
    return task


class _GoOn:
    """An awaitable that hands the task what the started coroutine waits for, and resumes
    the coroutine each time the task wakes (what `yield from` does for a fresh one)."""

    def __init__(self, coro: Coroutine[Any, Any, None], waiting: Any) -> None:
        self._coro = coro
        self._waiting = waiting

    def __await__(self) -> Generator[Any, None, None]:
        coro, waiting = self._coro, self._waiting
        while True:
            try:
                yield waiting
            except BaseException as exc:  # the task was cancelled: the coroutine decides
                try:
                    waiting = coro.throw(exc)
                except StopIteration:
                    return
                continue
            try:
                waiting = coro.send(None)
            except StopIteration:
                return
