"""Engine and sessions for SQLite (embedded default) and PostgreSQL."""

import time
from pathlib import Path
from typing import Any

from sqlalchemy import event, exc
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import ORMExecuteState, Session

from atiende.db.secrets import use_keyring
from atiende.domain.search import fold
from atiende.keyring import Keyring
from atiende.private_files import write_new_private


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def create_engine(
    url: str, keyring: Keyring | None = None, *, foreign_keys: bool = True
) -> AsyncEngine:
    """`keyring` encrypts and decrypts the channels' secrets; without one they cannot be read.
    `foreign_keys=False` is for migrations only (SQLite, see `_make_sqlite_single_writer`)."""
    # Statement errors do not carry their parameters: those reach logs and may be session
    # ids, CSRF tokens or password hashes.
    if not is_sqlite(url):
        engine = create_async_engine(url, pool_size=10, max_overflow=10, hide_parameters=True)
        _replace_dead_connections(engine)
    else:
        database = make_url(url).database
        if database and database != ":memory:":
            # SQLite creates the file with the umask's mode, and its -wal and -shm files with
            # the database file's: created here first, all three are the owner's only.
            write_new_private(Path(database), b"")
        engine = create_async_engine(url, connect_args={"timeout": 30}, hide_parameters=True)
        _make_sqlite_single_writer(engine, foreign_keys)
    if keyring is not None:
        use_keyring(engine, keyring)
    return engine


# A pooled connection unused this long is pinged before it is handed out; one in use more
# recently than that is trusted unless it knows it is closed.
PING_IDLE_SECONDS = 10.0


def _replace_dead_connections(engine: AsyncEngine) -> None:
    """What `pool_pre_ping` did at every checkout, without its three round trips (BEGIN, an
    empty statement, ROLLBACK) on the loops that check out hundreds of connections a second.

    A server that restarts or ends a backend closes its socket, and the driver marks the
    connection closed as soon as the event loop reads that: such a connection, and every one
    pooled before it, is replaced at its next checkout (as a failed pre-ping did). A connection
    that sat unused in the pool for a while (a quiet night, a network that dropped it without a
    word) is still pinged first."""

    @event.listens_for(engine.sync_engine, "checkin")
    def _returned(_dbapi_connection: Any, record: Any) -> None:
        record.info["returned_at"] = time.monotonic()

    @event.listens_for(engine.sync_engine, "checkout")
    def _checked(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        if record.driver_connection.is_closed():
            raise exc.InvalidatePoolError("the server closed the connection")
        returned = record.info.get("returned_at")
        if returned is not None and time.monotonic() - returned > PING_IDLE_SECONDS:
            try:
                engine.dialect.do_ping(dbapi_connection)
            except Exception as error:
                raise exc.InvalidatePoolError("the connection did not answer a ping") from error


def _make_sqlite_single_writer(engine: AsyncEngine, foreign_keys: bool) -> None:
    # SQLite has no row locks. Every transaction takes the write lock up front
    # (BEGIN IMMEDIATE), so routing and capacity checks read what no one else is changing:
    # the embedded database is a single writer by construction.
    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        # Off while migrating: SQLite alters a table by copying it, dropping the old one and
        # renaming the copy, and with foreign keys on, that drop fails (or cascades into the
        # rows that point at it) as soon as the table has rows referring to it.
        cursor.execute(f"PRAGMA foreign_keys={'ON' if foreign_keys else 'OFF'}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()
        # PostgreSQL has it as a function of migration 0022; the search folds names with it.
        dbapi_connection.create_function("atiende_fold", 1, _fold, deterministic=True)

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def _fold(value: str | None) -> str | None:
    return None if value is None else fold(value)


def create_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False, sync_session_class=LockingSession)


class LockingSession(Session):
    """Sessions whose rows locked FOR UPDATE always carry the locked row's values."""


@event.listens_for(LockingSession, "do_orm_execute")
def _locked_rows_are_fresh(state: ORMExecuteState) -> None:
    # A row locked FOR UPDATE is the truth the caller acts on, but the identity map keeps the
    # attributes of an object loaded earlier in the transaction: without populate_existing, a
    # reassignment could read a stale `agent_id` and free the wrong agent's slot.
    # (A textual SELECT has no FOR UPDATE of its own to read: getattr.)
    if state.is_select and getattr(state.statement, "_for_update_arg", None) is not None:
        state.update_execution_options(populate_existing=True)
