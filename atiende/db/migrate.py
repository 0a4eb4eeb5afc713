"""Bring a database to the newest schema."""

import asyncio
from pathlib import Path

from alembic import command
from alembic.config import Config

from atiende.keyring import Keyring

_ROOT = Path(__file__).parent


def alembic_config(database_url: str, keyring: Keyring | None = None) -> Config:
    """Without `keyring`, migrations that touch secrets use the configured one (env.py)."""
    config = Config()
    config.set_main_option("script_location", str(_ROOT / "migrations"))
    config.attributes["database_url"] = database_url
    config.attributes["keyring"] = keyring
    return config


def upgrade(database_url: str, keyring: Keyring | None = None) -> None:
    command.upgrade(alembic_config(database_url, keyring), "head")


async def upgrade_async(database_url: str, keyring: Keyring | None = None) -> None:
    # env.py runs its own event loop, so it must not run inside the caller's.
    await asyncio.to_thread(upgrade, database_url, keyring)
