"""Database, media and key files are the owner's only, whatever the umask."""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from atiende.media_store import LocalMediaStore
from atiende.private_files import private_dir, write_new_private, write_private


@pytest.fixture(autouse=True)
def permissive_umask() -> Iterator[None]:
    # The common default: without explicit modes files would come out world-readable.
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


def test_missing_folders_are_created_0700_and_existing_ones_keep_their_mode(
    tmp_path: Path,
) -> None:
    tmp_path.chmod(0o755)
    private_dir(tmp_path / "data" / "media")
    assert mode(tmp_path / "data") == 0o700
    assert mode(tmp_path / "data" / "media") == 0o700
    assert mode(tmp_path) == 0o755


def test_a_written_file_is_0600_even_over_a_world_readable_one(tmp_path: Path) -> None:
    target = tmp_path / "file"
    target.write_bytes(b"old")
    target.chmod(0o644)
    write_private(target, b"new")
    assert target.read_bytes() == b"new"
    assert mode(target) == 0o600


def test_a_new_file_is_written_once(tmp_path: Path) -> None:
    target = tmp_path / "data" / "secret.key"
    assert write_new_private(target, b"first")
    assert not write_new_private(target, b"second")
    assert target.read_bytes() == b"first"
    assert mode(target) == 0o600
    assert mode(target.parent) == 0o700


def test_media_files_and_their_folders_are_the_owners_only(tmp_path: Path) -> None:
    store = LocalMediaStore(tmp_path / "data" / "media")
    store.put("channel/1/message/2", b"\x89PNG")
    stored = store.path("channel/1/message/2")
    assert stored is not None and stored.read_bytes() == b"\x89PNG"
    assert mode(stored) == 0o600
    for folder in (stored.parent, store.root, store.root.parent):
        assert mode(folder) == 0o700
    assert not list(stored.parent.glob("*.part"))
