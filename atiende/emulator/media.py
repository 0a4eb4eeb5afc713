"""Media as the Cloud API keeps it: uploaded files by id, short-lived download URLs, and the
types and sizes WhatsApp accepts."""

import hashlib
import secrets
import struct
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Final

from atiende.emulator.opus import is_ogg_opus
from atiende.emulator.payloads import JSON, MediaKind, graph_error

KB: Final = 1024
MB: Final = 1024 * 1024
# `GET /{media-id}` hands out a URL that works for five minutes.
URL_SECONDS: Final = 300.0
# What a customer's phone may send at most (Meta refuses larger files with 131052).
INBOUND_MAX: Final = 100 * MB

# The types the Cloud API takes for sending, with the kind of message they make and the
# largest file of that type (Meta's "supported media types" table).
ACCEPTED: Final[dict[str, tuple[MediaKind, int]]] = {
    "image/jpeg": ("image", 5 * MB),
    "image/png": ("image", 5 * MB),
    "audio/aac": ("audio", 16 * MB),
    "audio/amr": ("audio", 16 * MB),
    "audio/mpeg": ("audio", 16 * MB),
    "audio/mp4": ("audio", 16 * MB),
    "audio/ogg": ("audio", 16 * MB),
    "video/mp4": ("video", 16 * MB),
    "video/3gpp": ("video", 16 * MB),
    "application/pdf": ("document", 100 * MB),
    "application/msword": ("document", 100 * MB),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": (
        "document",
        100 * MB,
    ),
    "application/vnd.ms-excel": ("document", 100 * MB),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ("document", 100 * MB),
    "application/vnd.ms-powerpoint": ("document", 100 * MB),
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": (
        "document",
        100 * MB,
    ),
    "text/plain": ("document", 100 * MB),
    "text/csv": ("document", 100 * MB),
    # Static stickers may be 100 KB and animated ones 500 KB; an upload does not say which.
    "image/webp": ("sticker", 500 * KB),
}
# Any accepted type may also go out as a document.
SENDABLE_AS: Final[dict[MediaKind, frozenset[str]]] = {
    "image": frozenset(m for m, (k, _) in ACCEPTED.items() if k == "image"),
    "audio": frozenset(m for m, (k, _) in ACCEPTED.items() if k == "audio"),
    "video": frozenset(m for m, (k, _) in ACCEPTED.items() if k == "video"),
    "sticker": frozenset({"image/webp"}),
    "document": frozenset(ACCEPTED),
}


def base_mime(mime_type: str) -> str:
    """`audio/ogg; codecs=opus` → `audio/ogg`."""
    return mime_type.split(";", 1)[0].strip().lower()


def human_size(size: int) -> str:
    return f"{size // MB} MB" if size >= MB else f"{size // KB} KB"


def upload_refusal(mime_type: str, size: int) -> JSON | None:
    """Meta's error for a file the Cloud API does not take, or None when it does."""
    accepted = ACCEPTED.get(base_mime(mime_type))
    if accepted is None:
        kinds = ", ".join(ACCEPTED)
        return graph_error(
            f"(#100) Param file must be a file with one of the following types: {kinds}. "
            f"Received file of type '{mime_type}'.",
            code=100,
        )
    _, limit = accepted
    if size > limit:
        return media_upload_error(
            f"File of type {base_mime(mime_type)} is {size} bytes; the maximum for this type "
            f"is {human_size(limit)}."
        )
    if size == 0:
        return media_upload_error("The file is empty.")
    return None


def media_upload_error(details: str) -> JSON:
    return graph_error("(#131053) Media upload error", code=131053, details=details)


def inbound_kind(mime_type: str) -> MediaKind:
    """The message a customer's phone makes of a file: photos and stickers by their type,
    any other file as a document."""
    mime = base_mime(mime_type)
    if mime in ("image/jpeg", "image/png"):
        return "image"
    if mime == "image/webp":
        return "sticker"
    if mime.startswith("audio/"):
        return "audio"
    if mime in ("video/mp4", "video/3gpp"):
        return "video"
    return "document"


_CONTAINERS: Final = frozenset({b"moov", b"trak", b"mdia", b"minf", b"stbl"})
_H264: Final = frozenset({"avc1", "avc3"})


def _boxes(data: bytes, start: int, end: int) -> Iterator[tuple[bytes, int, int]]:
    while start + 8 <= end:
        size, kind = struct.unpack_from(">I4s", data, start)
        header = 8
        if size == 1 and start + 16 <= end:
            size, header = struct.unpack_from(">Q", data, start + 8)[0], 16
        elif size == 0:
            size = end - start
        if size < header or start + size > end:
            return
        yield kind, start + header, start + size
        start += size


def mp4_codecs(data: bytes) -> list[str]:
    """The sample entry (codec) of each track of an MP4/3GP file: `avc1`, `mp4a`, …"""
    found: list[str] = []

    def walk(start: int, end: int) -> None:
        for kind, body, stop in _boxes(data, start, end):
            if kind in _CONTAINERS:
                walk(body, stop)
            elif kind == b"stsd" and body + 16 <= stop:
                found.append(data[body + 12 : body + 16].decode("latin-1"))

    walk(0, len(data))
    return found


def content_problem(kind: MediaKind, mime_type: str, data: bytes) -> str | None:
    """What Meta finds wrong inside a file sent as `kind`: Ogg audio must be Opus, MP4 video
    H.264 with AAC (or no) sound. None when it will play on a phone."""
    mime = base_mime(mime_type)
    # Opus or another codec inside Ogg is beyond a type sniffer: the first page's header says.
    if kind == "audio" and mime == "audio/ogg" and not is_ogg_opus(data):
        return "Unsupported audio: audio/ogg must be Opus."
    if kind == "video" and mime == "video/mp4":
        codecs = mp4_codecs(data)
        video = [c for c in codecs if c in _H264]
        others = [c for c in codecs if c not in _H264 and c != "mp4a"]
        if not video or others or codecs.count("mp4a") > 1:
            found = ", ".join(codecs) or "none"
            return f"Unsupported video: H.264 with at most one AAC track is needed (found {found})."
    return None


def new_media_id() -> str:
    return str(10**15 + secrets.randbelow(9 * 10**15))


@dataclass(frozen=True)
class StoredMedia:
    id: str
    data: bytes
    mime_type: str
    sha256: str
    created_at: float
    filename: str | None = None

    @property
    def file_size(self) -> int:
        return len(self.data)


class MediaStore:
    """Every file the emulator holds: uploaded by the business, or sent by a customer."""

    def __init__(self, clock: Callable[[], float]) -> None:
        self._clock = clock
        self._media: dict[str, StoredMedia] = {}
        self._urls: dict[str, tuple[str, float]] = {}

    def reset(self) -> None:
        self._media.clear()
        self._urls.clear()

    def add(self, data: bytes, mime_type: str, filename: str | None = None) -> StoredMedia:
        media = StoredMedia(
            new_media_id(),
            data,
            mime_type,
            hashlib.sha256(data).hexdigest(),
            self._clock(),
            filename,
        )
        self._media[media.id] = media
        return media

    def get(self, media_id: str) -> StoredMedia | None:
        return self._media.get(media_id)

    def delete(self, media_id: str) -> bool:
        self._urls = {t: (m, e) for t, (m, e) in self._urls.items() if m != media_id}
        return self._media.pop(media_id, None) is not None

    def issue_url(self, media_id: str) -> str:
        """A fresh download token for `media_id`, valid for `URL_SECONDS`."""
        self._forget_expired()
        token = secrets.token_urlsafe(24)
        self._urls[token] = (media_id, self._clock() + URL_SECONDS)
        return token

    def by_token(self, token: str) -> StoredMedia | None:
        found = self._urls.get(token)
        if found is None or found[1] <= self._clock():
            return None
        return self._media.get(found[0])

    def _forget_expired(self) -> None:
        now = self._clock()
        self._urls = {t: v for t, v in self._urls.items() if v[1] > now}
