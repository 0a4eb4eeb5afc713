"""Columns encrypted at rest. Python sees plaintext; the table holds Fernet tokens.

The keyring travels with the engine (on its dialect, which each engine has its own of), so
two apps in one process, as in tests, can each use their own keys."""

from typing import Any

from sqlalchemy import Text
from sqlalchemy.engine import Dialect, Engine
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.types import TypeDecorator

from atiende.keyring import Keyring

_ATTRIBUTE = "atiende_keyring"


def use_keyring(engine: AsyncEngine | Engine, keyring: Keyring) -> None:
    setattr(engine.dialect, _ATTRIBUTE, keyring)


def keyring_of(dialect: Dialect) -> Keyring:
    keyring = getattr(dialect, _ATTRIBUTE, None)
    # None on an engine made without one: reading a secret there fails saying how to set a key.
    return keyring if isinstance(keyring, Keyring) else Keyring()


class EncryptedText(TypeDecorator[str]):
    """Fernet is not deterministic: never compare such a column in SQL, decrypt and compare."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        return None if value is None else keyring_of(dialect).encrypt(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> str | None:
        return None if value is None else keyring_of(dialect).decrypt(str(value))
