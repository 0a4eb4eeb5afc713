"""A load generator process for `bench.ingest`: `bench.replay` run in a pool's process.

Kept apart so the process imports only the replayer, not the app: what it costs is what
`bench.ingest` prints per request.
"""

import asyncio

from bench.replay import Replayed, replay


def warm(_: int) -> None:
    """Nothing: the pool's process is started and this module imported."""


def generate(url: str, requests: list[bytes], rate: float, connections: int) -> Replayed:
    return asyncio.run(replay(url, requests, rate, connections))
