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
