"""Where media files live: a local folder by default, behind an interface an object store
can implement later."""

import hashlib
from pathlib import Path
from typing import Protocol

from atiende.private_files import private_dir, write_private


class MediaStore(Protocol):
    def put(self, key: str, data: bytes) -> None: ...
    def path(self, key: str) -> Path | None: ...


class LocalMediaStore:
    def __init__(self, root: Path) -> None:
        self.root = root

    def _file(self, key: str) -> Path:
        # Keys are ours (channel/message ids), never a customer's file name: no traversal.
        safe = hashlib.sha256(key.encode()).hexdigest()
        return self.root / safe[:2] / safe

    def put(self, key: str, data: bytes) -> None:
        target = self._file(key)
        # Customers' files: the owner's only, folders included.
        private_dir(target.parent)
        partial = target.with_suffix(".part")
        write_private(partial, data)
        partial.replace(target)

    def path(self, key: str) -> Path | None:
        target = self._file(key)
        return target if target.is_file() else None
