"""A message's stored file, to whoever may read its attention, as the bytes say it is."""

import zipfile
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from atiende.actions import media
from atiende.actions.access import access_attention
from atiende.actions.work import Work
from atiende.db.models import Message, User
from atiende.domain.errors import NotFound
from atiende.domain.served_media import SNIFF_BYTES, Served, is_zip, serve
from atiende.media_store import MediaStore


@dataclass(frozen=True)
class MediaFile:
    path: Path
    served: Served


async def access_media_file(w: Work, user: User, message_id: int, store: MediaStore) -> MediaFile:
    message = await w.session.scalar(select(Message).where(Message.id == message_id))
    if message is None:
        raise NotFound("media_not_found", "El archivo no existe.")
    await access_attention(w, user, message.attention_id)
    path = store.path(media.store_key(message.id))
    if path is None:
        raise NotFound("media_not_found", "El archivo aún no se descargó o no existe.")
    content = message.content or {}
    claimed = content.get("filename")
    return MediaFile(
        path,
        served_as(path, str(claimed) if claimed else None, f"whatsapp-{message.id}"),
    )


def served_as(path: Path, claimed_name: str | None, fallback_name: str) -> Served:
    with path.open("rb") as f:
        head = f.read(SNIFF_BYTES)
    return serve(head, claimed_name, fallback_name, _zip_names(path) if is_zip(head) else None)


def _zip_names(path: Path) -> list[str] | None:
    # Reads only the archive's directory, not the whole (up to 100 MB) file.
    try:
        with zipfile.ZipFile(path) as archive:
            return archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
