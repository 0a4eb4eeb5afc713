"""The keys that encrypt channel secrets at rest: from ATIENDE_SECRET_KEY, else the key file.

Several keys rotate: the first encrypts, every one decrypts. A new key goes first; the old one
stays after it while rows it encrypted remain (a row is encrypted anew only when written)."""

import functools
from collections.abc import Sequence
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from atiende.config import DATA_DIR, Settings
from atiende.private_files import write_new_private

ENV = "ATIENDE_SECRET_KEY"
DEFAULT_KEY_FILE = DATA_DIR / "secret.key"
# Decrypted secrets kept: three per channel, for far more channels than one install has.
MEMO = 3000


class SecretKeyError(Exception):
    """No usable key; the message says what to do."""


def how_to(key_file: Path) -> str:
    return (
        f"Set {ENV} to a key made with `atiende secret-key` (several, comma-separated, to "
        f"rotate: the first encrypts), or put one in {key_file}."
    )


class Keyring:
    def __init__(self, keys: Sequence[str] = (), *, key_file: Path = DEFAULT_KEY_FILE) -> None:
        self._key_file = key_file
        try:
            self._fernet = MultiFernet([Fernet(k) for k in keys]) if keys else None
        except ValueError:
            # The key itself is not repeated: the message may end up in a log.
            raise SecretKeyError(
                "The secret key is not a Fernet key (32 bytes, url-safe base64). "
                + how_to(self._key_file)
            ) from None
        # Each read of a channel row decrypts its three secrets again (Fernet is a MAC and an
        # AES block each): the inbox's processor reads every channel per batch. A token always
        # decrypts to the same text, so the texts are kept by token, as many as channels.
        self._decrypted = functools.lru_cache(maxsize=MEMO)(self._decrypt)

    @property
    def configured(self) -> bool:
        return self._fernet is not None

    def _require(self) -> MultiFernet:
        if self._fernet is None:
            raise SecretKeyError(
                "No key to encrypt or decrypt channel secrets. " + how_to(self._key_file)
            )
        return self._fernet

    def encrypt(self, plaintext: str) -> str:
        return self._require().encrypt(plaintext.encode()).decode()

    def decrypt(self, token: str) -> str:
        return self._decrypted(token)

    def _decrypt(self, token: str) -> str:
        try:
            return self._require().decrypt(token.encode()).decode()
        except InvalidToken:
            raise SecretKeyError(
                "A channel secret cannot be decrypted with the configured keys: was the key "
                f"that encrypted it removed from {ENV}? Keep it after the new one while rotating."
            ) from None


def new_key() -> str:
    return Fernet.generate_key().decode()


def load_keyring(settings: Settings) -> Keyring:
    """The environment's keys if set, else the key file's; an empty keyring if neither (it
    fails when a secret is read or written, with how to set one)."""
    env = settings.secret_key.get_secret_value() if settings.secret_key else ""
    source = env if env.strip() else _read(settings.secret_key_file)
    keys = [k.strip() for k in source.replace("\n", ",").split(",") if k.strip()]
    return Keyring(keys, key_file=settings.secret_key_file)


def required_keyring(settings: Settings) -> Keyring:
    keyring = load_keyring(settings)
    if not keyring.configured:
        raise SecretKeyError("No secret key configured. " + how_to(settings.secret_key_file))
    return keyring


def provide_key_file(settings: Settings) -> bool:
    """Write a new key file (0600) when neither the environment nor the file holds a key, so
    that a local install runs without setting anything. True when it wrote one."""
    if load_keyring(settings).configured:
        return False
    return write_new_private(settings.secret_key_file, f"{new_key()}\n".encode())


def _read(path: Path) -> str:
    try:
        return path.read_text()
    except FileNotFoundError:
        return ""
