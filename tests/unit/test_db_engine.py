"""The embedded database's files are the owner's only."""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from atiende.db.engine import create_engine


@pytest.fixture(autouse=True)
def permissive_umask() -> Iterator[None]:
    previous = os.umask(0o022)
    yield
    os.umask(previous)


async def test_the_sqlite_file_its_wal_and_shm_and_its_folder_are_private(
    tmp_path: Path,
) -> None:
    database = tmp_path / "data" / "atiende.db"
    engine = create_engine(f"sqlite+aiosqlite:///{database}")
    try:
        async with engine.begin() as conn:
            await conn.execute(text("CREATE TABLE t (x TEXT)"))
            await conn.execute(text("INSERT INTO t VALUES ('secret')"))
        files = [database, Path(f"{database}-wal"), Path(f"{database}-shm")]
        for path in files:
            assert path.exists(), path
            assert path.stat().st_mode & 0o777 == 0o600, path
        assert database.parent.stat().st_mode & 0o777 == 0o700
    finally:
        await engine.dispose()
