"""The collector tuned for a long-running server process.

A batch of the inbox holds thousands of ORM objects and pydantic models at once, and every
700 allocations CPython's collector walks the young ones; every tenth of those walks the
middle generation, and every so often all of it: the modules, SQLAlchemy's mappers and
compiled caches, pydantic's validators, hundreds of thousands of objects that live as long
as the process. Measured on a batch of 3,000 new customers' messages (`bench/ingest.py`'s
bodies, one worker on PostgreSQL), the collector took 30–40 % of the worker's CPU.

What the process built to start is moved out of the collector's sight (`gc.freeze`, as the
CPython documentation suggests for long-lived objects), and the young generation is
collected less often: reference counting frees almost everything; the collector is only
for cycles, which a request or a batch leaves few of.
"""

import contextlib
import gc
from collections.abc import Iterator

# Allocations between young collections (CPython's default is 700), and how many young and
# middle collections make one of the next generation (10 and 10).
_THRESHOLDS = (10_000, 50, 1_000)


def settle() -> None:
    """Once the process has imported and built what it keeps (before it serves)."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*_THRESHOLDS)


_depth = 0
_enable_after = False


@contextlib.contextmanager
def paused() -> Iterator[None]:
    """No automatic collection while a batch builds what it keeps until its end: its objects
    are all alive until then, so every young collection would walk them for nothing, and move
    them on to be walked again (a tenth of the inbox processor's CPU on 3,000 deliveries).
    What the batch leaves is freed by reference counting when it ends; a cycle it made waits
    for the next collection. Pauses may overlap (asyncio tasks): collection resumes when the
    last one ends, if it ran before the first."""
    global _depth, _enable_after
    if _depth == 0:
        _enable_after = gc.isenabled()
        gc.disable()
    _depth += 1
    try:
        yield
    finally:
        _depth -= 1
        if _depth == 0 and _enable_after:
            gc.enable()
