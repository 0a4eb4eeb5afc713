"""PostgreSQL connections that died in the pool are replaced before anyone gets them: the
server restarted (it ends every backend), or a connection sat unused long enough that it is
pinged first. Without the pool's pre-ping (three round trips per checkout), see db/engine.py.
"""

import asyncio
import time

import asyncpg
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from atiende.db import engine as engine_module
from atiende.db.engine import create_engine
from tests.services import PG_ADMIN_URL

# Far more than the server and the event loop need to close a socket and read that it closed.
CLOSE_SECONDS = 10.0


async def _backend(engine: AsyncEngine) -> tuple[int, asyncpg.Connection]:
    """The server process behind the pooled connection a checkout gets, and its driver
    connection (returned to the pool on leaving)."""
    async with engine.connect() as conn:
        pid = await conn.scalar(text("SELECT pg_backend_pid()"))
        raw = await conn.get_raw_connection()
        assert isinstance(pid, int)
        return pid, raw.driver_connection


async def _end_backends(pids: list[int]) -> None:
    """What a restart does to them: each is ended and its socket closed by the server."""
    admin = await asyncpg.connect(PG_ADMIN_URL)
    try:
        await admin.execute("SELECT pg_terminate_backend(pid) FROM unnest($1::int[]) pid", pids)
    finally:
        await admin.close()


async def _until_closed(driver: asyncpg.Connection) -> None:
    deadline = time.monotonic() + CLOSE_SECONDS
    while not driver.is_closed():
        assert time.monotonic() < deadline, "the driver never saw its connection close"
        await asyncio.sleep(0.01)


async def test_connections_the_server_ended_are_replaced_at_checkout(
    postgres_database: str,
) -> None:
    engine = create_engine(postgres_database)
    try:
        # Two connections in the pool, both ended by the server.
        async with engine.connect() as first, engine.connect() as second:
            pids = [
                await first.scalar(text("SELECT pg_backend_pid()")),
                await second.scalar(text("SELECT pg_backend_pid()")),
            ]
            drivers = [
                (await first.get_raw_connection()).driver_connection,
                (await second.get_raw_connection()).driver_connection,
            ]
        await _end_backends([p for p in pids if isinstance(p, int)])
        for driver in drivers:
            assert driver is not None
            await _until_closed(driver)

        # Every checkout after that gets a live connection, not an error.
        async with engine.begin() as conn:
            assert await conn.scalar(text("SELECT 1")) == 1
        async with engine.connect() as first, engine.connect() as second:
            alive = {
                await first.scalar(text("SELECT pg_backend_pid()")),
                await second.scalar(text("SELECT pg_backend_pid()")),
            }
        assert alive.isdisjoint(pids)
    finally:
        await engine.dispose()


async def test_a_connection_idle_for_long_is_pinged_and_kept_if_it_answers(
    postgres_database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = create_engine(postgres_database)
    try:
        pid, _ = await _backend(engine)
        monkeypatch.setattr(engine_module, "PING_IDLE_SECONDS", 0.0)
        pings = 0
        dialect = engine.dialect
        ping = dialect.do_ping

        def counted(dbapi_connection: object) -> bool:
            nonlocal pings
            pings += 1
            return ping(dbapi_connection)  # type: ignore[arg-type]

        monkeypatch.setattr(dialect, "do_ping", counted)
        again, _ = await _backend(engine)
        assert pings == 1
        assert again == pid
    finally:
        await engine.dispose()


async def test_a_connection_idle_for_long_that_does_not_answer_is_replaced(
    postgres_database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = create_engine(postgres_database)
    try:
        pid, _ = await _backend(engine)
        monkeypatch.setattr(engine_module, "PING_IDLE_SECONDS", 0.0)

        def silent(_dbapi_connection: object) -> bool:
            raise ConnectionResetError("no answer")

        monkeypatch.setattr(engine.dialect, "do_ping", silent)
        again, _ = await _backend(engine)
        assert again != pid
    finally:
        await engine.dispose()
