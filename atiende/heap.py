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

import gc

# Allocations between young collections (CPython's default is 700), and how many young and
# middle collections make one of the next generation (10 and 10).
_THRESHOLDS = (10_000, 50, 1_000)


def settle() -> None:
    """Once the process has imported and built what it keeps (before it serves)."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*_THRESHOLDS)
