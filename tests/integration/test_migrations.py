"""The migrations build exactly the models' schema, CHECK constraints included (autogenerate
does not compare those: 0008 exists because 0003 left them out), and they go down to an
empty database and up again."""

import asyncio
from typing import Any

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import CheckConstraint, inspect, text
from sqlalchemy.engine import Connection

from atiende.db.engine import create_engine
from atiende.db.migrate import alembic_config
from atiende.db.models import Base
from atiende.db.search import is_search_object
from atiende.keyring import Keyring
from tests.conftest import off_loop
from tests.keys import SECRET_KEY
from tests.pg import fresh_database
from tests.procs import run


def _differences(connection: Connection) -> list[Any]:
    # SQLite neither enforces nor keeps lengths the same way (0009 widened secrets to TEXT
    # only where it matters): types are compared on PostgreSQL.
    # The full-text search's FTS5 table and expression index are not models (db/search.py).
    context = MigrationContext.configure(
        connection,
        opts={
            "compare_type": connection.dialect.name != "sqlite",
            "include_name": lambda name, type_, _parents: not is_search_object(name, type_),
        },
    )
    return list(compare_metadata(context, Base.metadata))


def _checks(connection: Connection) -> dict[str, set[str]]:
    inspector = inspect(connection)
    return {
        table: {c["name"] for c in inspector.get_check_constraints(table) if c["name"]}
        for table in Base.metadata.tables
    }


def _model_checks() -> dict[str, set[str]]:
    # The naming convention has already made these the names the database holds.
    return {
        table.name: {
            str(c.name)
            for c in table.constraints
            if isinstance(c, CheckConstraint) and c.name is not None
        }
        for table in Base.metadata.tables.values()
    }


async def _schema(url: str) -> tuple[list[Any], dict[str, set[str]]]:
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            differences = await connection.run_sync(_differences)
            checks = await connection.run_sync(_checks)
    finally:
        await engine.dispose()
    return differences, checks


async def test_head_is_the_models_and_the_way_down_and_up_again_works(empty_database: str) -> None:
    config = alembic_config(empty_database, Keyring([SECRET_KEY]))
    off_loop(command.upgrade, config, "head")
    differences, checks = await _schema(empty_database)
    assert differences == []
    assert checks == _model_checks()

    off_loop(command.downgrade, config, "base")
    off_loop(command.upgrade, config, "head")
    again, checks_again = await _schema(empty_database)
    assert again == [] and checks_again == checks


async def test_processes_that_start_together_on_postgres_migrate_once() -> None:
    """Three `atiende migrate` at once on an empty database (as three `atiende serve` of a
    new release do): one runs the migrations, the others wait and find the head."""
    with fresh_database("atiende_migrate_race") as url:
        env = {"ATIENDE_DATABASE_URL": url}
        await asyncio.gather(*(asyncio.to_thread(run, ["migrate"], env) for _ in range(3)))
        differences, _ = await _schema(url)
        assert differences == []


async def test_attentions_and_messages_leave_room_for_their_updates_on_postgres() -> None:
    """0027: pages with room for an updated row's new version (HOT updates, no index writes)."""
    with fresh_database("atiende_migrate_fill") as url:
        off_loop(command.upgrade, alembic_config(url, Keyring([SECRET_KEY])), "head")
        engine = create_engine(url)
        try:
            async with engine.connect() as connection:
                rows = await connection.execute(
                    text(
                        "SELECT relname, reloptions FROM pg_class"
                        " WHERE relname IN ('attentions', 'messages')"
                    )
                )
                options = {str(row[0]): list(row[1]) for row in rows.all()}
        finally:
            await engine.dispose()
    assert options == {"attentions": ["fillfactor=70"], "messages": ["fillfactor=90"]}
