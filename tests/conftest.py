"""Fixtures shared by every layer: databases (SQLite and PostgreSQL), the app, users."""

import asyncio
import os
import shutil
import uuid
from collections.abc import AsyncIterator, Callable, Generator, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

import asyncpg
import pytest
import pytest_asyncio
from argon2 import PasswordHasher
from pydantic import SecretStr

from atiende.actions import auth
from atiende.config import Settings
from atiende.db.migrate import upgrade
from atiende.db.models import Base
from tests.keys import SECRET_KEY
from tests.services import PG_ADMIN_URL, require_postgres

T = TypeVar("T")

# Every table of the models, so a new one is cleaned between tests without anyone listing it;
# those that refer to others first, so they can be emptied in this order.
TABLES = ", ".join(t.name for t in reversed(Base.metadata.sorted_tables))
E2E = Path(__file__).parent / "e2e"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """On pytest-xdist's workers the browser tests are spread evenly among the others, which
    the workers are handed in this order: left last, the four workers each ran a browser, a
    demo server and its page at once for the last minutes of the run, with nothing else left
    to fill a worker that finished (the order is the same on every worker, as xdist needs)."""
    if "PYTEST_XDIST_WORKER" not in os.environ:
        return
    browser = [item for item in items if item.path.is_relative_to(E2E)]
    others = [item for item in items if not item.path.is_relative_to(E2E)]
    if not browser or not others:
        return
    step = len(others) / len(browser)
    place = {id(item): float(i) for i, item in enumerate(others)}
    place |= {id(item): (i + 0.5) * step for i, item in enumerate(browser)}
    items.sort(key=lambda item: place[id(item)])


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item: pytest.Item) -> Generator[None, object, object]:
    """Playwright's sync API marks its event loop as this thread's running loop between its
    calls and for the rest of the session, where pytest-asyncio then refuses to start a test's
    loop. Run in parallel, a worker's browser tests are not always its last: every other test
    runs with no loop marked, as if no browser had started, and the browser's is put back."""
    browser_loop = asyncio.events._get_running_loop()
    if browser_loop is None or item.path.is_relative_to(E2E):
        return (yield)
    asyncio.events._set_running_loop(None)
    try:
        return (yield)
    finally:
        asyncio.events._set_running_loop(browser_loop)


@pytest.fixture(scope="session", autouse=True)
def cheap_password_hashes() -> Iterator[None]:
    """Argon2 as the app hashes: ~0.1-0.2 s of CPU per login (64 MiB, 4 lanes, 3 passes), on
    purpose, and the suite's in-process tests log in thousands of times. They prove who may log
    in, not what a hash costs: theirs are argon2id at its least cost (1 pass, 8 KiB, 1 lane;
    the same hash and salt lengths). A verify reads the cost from the stored hash, so the
    servers tests start (which hash as the app does) are unchanged, and so is what they store."""
    app_hasher = auth._hasher
    auth._hasher = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    auth._dummy_hash.cache_clear()
    try:
        yield
    finally:
        auth._hasher = app_hasher
        auth._dummy_hash.cache_clear()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One migrated SQLite file, copied for each test: migrating per test would be slow."""
    path = tmp_path_factory.mktemp("sqlite") / "template.db"
    off_loop(upgrade, f"sqlite+aiosqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[str]:
    """A database of our own for this run, migrated once; `test` itself is never dropped."""
    require_postgres()
    name = f"atiende_test_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    off_loop(pg_admin, f'CREATE DATABASE "{name}"')
    url = PG_ADMIN_URL.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://")
    url = f"{url}/{name}"
    off_loop(upgrade, url)
    yield url
    off_loop(pg_admin, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def pg_admin(sql: str) -> None:
    async def run() -> None:
        conn = await asyncpg.connect(PG_ADMIN_URL)
        try:
            await conn.execute(sql)
        finally:
            await conn.close()

    asyncio.run(run())


def off_loop(fn: Callable[..., T], *args: Any) -> T:
    """Run blocking set-up (it may start its own event loop) outside the test's loop."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(fn, *args).result()


@pytest_asyncio.fixture(params=["sqlite", "postgres"])
async def database_url(
    request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path
) -> AsyncIterator[str]:
    if request.param == "sqlite":
        path = tmp_path / "atiende.db"
        shutil.copy(sqlite_template, path)
        yield f"sqlite+aiosqlite:///{path}"
        return
    url: str = request.getfixturevalue("postgres_database")
    await empty_postgres(url)
    yield url


async def empty_postgres(url: str) -> None:
    """What the test before left, deleted, and the ids started again. Row by row: TRUNCATE
    gives each of the tables and their indexes new files, 0.6-1.3 s for the lot on the loaded
    machine, where deleting what one test leaves takes ~50 ms. One implicit transaction."""
    conn = await asyncpg.connect(url.replace("postgresql+asyncpg://", "postgresql://", 1))
    try:
        sequences = await conn.fetch(
            "SELECT format('%I.%I', schemaname, sequencename) FROM pg_sequences"
            " WHERE schemaname = current_schema()"
        )
        deletes = [f"DELETE FROM {table}" for table in TABLES.split(", ")]
        restarts = [f"ALTER SEQUENCE {name} RESTART" for (name,) in sequences]
        await conn.execute(";\n".join([*deletes, *restarts]))
    finally:
        await conn.close()


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return Settings(
        database_url=database_url, media_dir=tmp_path / "media", secret_key=SecretStr(SECRET_KEY)
    )
