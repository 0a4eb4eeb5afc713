"""Files only the service's own user may read: the database, media, the secret key.

Modes are given where each file is created, so a permissive umask of whoever starts the
process cannot widen them."""

import os
from pathlib import Path

DIR_MODE = 0o700
FILE_MODE = 0o600


def private_dir(path: Path) -> None:
    """Create `path` and any missing parent 0700. Folders that exist keep their mode: they may
    be shared ones the database was put into, such as /tmp."""
    missing = [p for p in (path, *path.parents) if not p.exists()]
    for folder in reversed(missing):
        # Another process may create it at the same moment: its mode is ours too.
        folder.mkdir(mode=DIR_MODE, exist_ok=True)


def write_private(path: Path, data: bytes) -> None:
    """Write `data` to `path` (created or truncated), 0600 whatever mode it had."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    with os.fdopen(fd, "wb") as out:
        # A file left by an older version, or by a crash mid-write, keeps its mode on open.
        os.fchmod(fd, FILE_MODE)
        out.write(data)


def write_new_private(path: Path, data: bytes) -> bool:
    """Write `data` to `path` 0600 unless the file exists; False when it did."""
    private_dir(path.parent)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    except FileExistsError:
        return False
    with os.fdopen(fd, "wb") as out:
        out.write(data)
    return True


def restrict_umask() -> None:
    """A second layer for files created by code that gives no mode (libraries, SQLite's
    journal when the database file is not ours): nothing for group or others."""
    os.umask(0o077)
