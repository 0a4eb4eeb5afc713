"""A PostgreSQL database of a test's own, for tests that run app processes on it."""

import contextlib
import uuid
from collections.abc import Iterator

from tests.conftest import off_loop, pg_admin
from tests.services import PG_ADMIN_URL, require_postgres


@contextlib.contextmanager
def fresh_database(prefix: str) -> Iterator[str]:
    require_postgres()
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    off_loop(pg_admin, f'CREATE DATABASE "{name}"')
    base = PG_ADMIN_URL.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://")
    try:
        yield f"{base}/{name}"
    finally:
        off_loop(pg_admin, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
