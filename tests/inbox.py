"""Waiting for the inbox's processors: a delivery's 200 means durable, not yet applied."""

import asyncio
import time

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import create_async_engine

from atiende.db.models import InboxDelivery


async def drained(database_url: str, timeout: float = 30.0) -> None:
    """Returns once every delivery answered 200 so far has been applied (or kept): the
    processor deletes a delivery in the transaction that applies it."""
    engine = create_async_engine(database_url)
    try:
        deadline = time.monotonic() + timeout
        while True:
            async with engine.connect() as c:
                waiting = await c.scalar(select(func.count()).select_from(InboxDelivery))
            if not waiting:
                return
            if time.monotonic() > deadline:
                raise AssertionError(f"{waiting} deliveries still unprocessed after {timeout} s")
            await asyncio.sleep(0.05)
    finally:
        await engine.dispose()
