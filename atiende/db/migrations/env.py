"""Alembic environment: runs migrations on the async engine of the configured URL."""

import asyncio

from alembic import context
from sqlalchemy.engine import Connection

from atiende.config import get_settings
from atiende.db.engine import create_engine
from atiende.db.models import Base
from atiende.db.search import is_search_object
from atiende.keyring import Keyring, load_keyring

target_metadata = Base.metadata
# Any fixed number of our own: PostgreSQL's advisory locks are named by an integer.
MIGRATION_LOCK = 7_310_252_101


def _url() -> str:
    return context.config.attributes.get("database_url") or get_settings().database_url


def _keyring() -> Keyring:
    # Migrations that rewrite secrets find it on the connection's dialect (db/secrets.py).
    given = context.config.attributes.get("keyring")
    return given if isinstance(given, Keyring) else load_keyring(get_settings())


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        # Autogenerate must not drop what the models cannot declare (db/search.py).
        include_name=lambda name, type_, _parents: not is_search_object(name, type_),
    )
    with context.begin_transaction():
        if connection.dialect.name == "postgresql":
            # Processes that start together (`atiende serve` migrates; a release on several
            # hosts) would each run the same migrations and all but one fail on what the
            # first created. The first holds this until its commit; the others then read
            # the new head and have nothing to do.
            connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK})")
        context.run_migrations()
        if connection.dialect.name == "sqlite":
            # Foreign keys were off while tables were copied: prove nothing was left dangling.
            broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            if broken:
                raise RuntimeError(f"migration left rows without their parent: {broken[:5]}")


async def _run_async() -> None:
    engine = create_engine(_url(), _keyring(), foreign_keys=False)
    try:
        async with engine.connect() as connection:
            await connection.run_sync(_run)
            await connection.commit()
    finally:
        # Also when a migration fails: an undisposed pool leaves its connection open.
        await engine.dispose()


if context.is_offline_mode():
    context.configure(url=_url(), target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    asyncio.run(_run_async())
