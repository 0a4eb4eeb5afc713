"""The keys of channel secrets: rotation, where they come from, what is said when missing."""

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from pydantic import SecretStr

from atiende.config import Settings
from atiende.keyring import (
    Keyring,
    SecretKeyError,
    load_keyring,
    new_key,
    provide_key_file,
    required_keyring,
)


def settings(tmp_path: Path, key: str | None = None) -> Settings:
    return Settings(
        secret_key=SecretStr(key) if key is not None else None,
        secret_key_file=tmp_path / "data" / "secret.key",
    )


def test_the_first_key_encrypts_and_every_key_decrypts() -> None:
    old, new = new_key(), new_key()
    written_before = Keyring([old]).encrypt("EAAG-token")
    rotated = Keyring([new, old])
    assert rotated.decrypt(written_before) == "EAAG-token"
    written_after = rotated.encrypt("EAAG-token")
    assert Fernet(new.encode()).decrypt(written_after.encode()) == b"EAAG-token"
    with pytest.raises(SecretKeyError, match="ATIENDE_SECRET_KEY"):
        Keyring([new]).decrypt(written_before)


def test_encrypting_twice_gives_two_tokens_and_neither_holds_the_plaintext() -> None:
    keyring = Keyring([new_key()])
    first, second = keyring.encrypt("app-secret"), keyring.encrypt("app-secret")
    assert first != second
    assert "app-secret" not in first + second


def test_without_a_key_reading_or_writing_says_how_to_set_one() -> None:
    keyring = Keyring()
    assert not keyring.configured
    uses: tuple[Callable[[], str], ...] = (
        lambda: keyring.encrypt("x"),
        lambda: keyring.decrypt("x"),
    )
    for use in uses:
        with pytest.raises(SecretKeyError) as refused:
            use()
        assert "ATIENDE_SECRET_KEY" in str(refused.value)
        assert "atiende secret-key" in str(refused.value)


def test_a_malformed_key_is_refused_without_repeating_it() -> None:
    with pytest.raises(SecretKeyError) as refused:
        Keyring(["not-a-fernet-key-but-a-password"])
    assert "not-a-fernet-key" not in str(refused.value)
    assert "ATIENDE_SECRET_KEY" in str(refused.value)


def test_the_environment_wins_over_the_key_file(tmp_path: Path) -> None:
    from_env, from_file = new_key(), new_key()
    config = settings(tmp_path, f" {from_env} ")
    config.secret_key_file.parent.mkdir()
    config.secret_key_file.write_text(from_file + "\n")
    token = Fernet(from_env.encode()).encrypt(b"s").decode()
    assert load_keyring(config).decrypt(token) == "s"
    with pytest.raises(SecretKeyError):
        load_keyring(settings(tmp_path)).decrypt(token)


def test_several_keys_comma_separated_or_one_a_line(tmp_path: Path) -> None:
    old, new = new_key(), new_key()
    token = Fernet(old.encode()).encrypt(b"s").decode()
    assert load_keyring(settings(tmp_path, f"{new},{old}")).decrypt(token) == "s"
    config = settings(tmp_path)
    config.secret_key_file.parent.mkdir()
    config.secret_key_file.write_text(f"{new}\n{old}\n")
    assert load_keyring(config).decrypt(token) == "s"


def test_no_key_anywhere_is_an_empty_keyring_and_required_refuses_it(tmp_path: Path) -> None:
    assert not load_keyring(settings(tmp_path, "")).configured
    with pytest.raises(SecretKeyError, match="ATIENDE_SECRET_KEY"):
        required_keyring(settings(tmp_path))


def test_the_key_file_is_written_once_owner_only(tmp_path: Path) -> None:
    config = settings(tmp_path)
    assert provide_key_file(config)
    assert config.secret_key_file.stat().st_mode & 0o777 == 0o600
    assert config.secret_key_file.parent.stat().st_mode & 0o777 == 0o700
    written = config.secret_key_file.read_text()
    assert not provide_key_file(config)
    assert config.secret_key_file.read_text() == written
    assert required_keyring(config).configured


def test_no_key_file_when_the_environment_has_a_key(tmp_path: Path) -> None:
    config = settings(tmp_path, new_key())
    assert not provide_key_file(config)
    assert not config.secret_key_file.exists()


def test_the_command_prints_a_usable_key() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "atiende.cli", "secret-key"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
        env={**os.environ, "ATIENDE_SECRET_KEY": ""},
    )
    Keyring([done.stdout.strip()]).encrypt("works")
