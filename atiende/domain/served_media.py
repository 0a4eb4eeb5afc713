"""How a stored file is handed to a browser: decided by its bytes, never by what the
customer's payload (or the file's name) claims.

The media route lives on the app's own origin, so anything the browser renders there runs
with the agent's cookie. Only formats that cannot carry script are shown inline, and only
when their first bytes confirm them; everything else is a download under a name whose
extension says what the bytes are.
"""

import unicodedata
from dataclasses import dataclass

from atiende.domain.media_limits import Detected, detect, office_type

# What a media answer may do if a browser renders it anyway: nothing (no script, no
# requests, an opaque origin).
MEDIA_CSP = "default-src 'none'; sandbox"
# Enough for every signature `inline_mime` and `detect` look at.
SNIFF_BYTES = 4096

_INLINE = frozenset(
    {
        "image/jpeg",
        "image/png",
        "image/webp",
        "audio/ogg",
        "audio/amr",
        "audio/mpeg",
        "audio/aac",
        "audio/mp4",
        "video/mp4",
        "video/3gpp",
    }
)
# Downloads keep a useful type only when it is a document format we recognised by content.
_DOWNLOAD = frozenset(
    {
        "application/pdf",
        "application/vnd.ms-office",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "text/plain",
    }
)
_OCTET = "application/octet-stream"
_NAME_MAX = 120
_FORBIDDEN = frozenset('<>:"/\\|?*')


@dataclass(frozen=True)
class Served:
    mime: str
    inline: bool
    filename: str


def serve(
    head: bytes, claimed_name: str | None, fallback_name: str, zip_names: list[str] | None = None
) -> Served:
    """`head`: the file's first `SNIFF_BYTES` bytes; `zip_names`: the members of the file
    when it is a zip archive (Office documents are told apart by them)."""
    detected = _detected(head, zip_names)
    name = claimed_name or fallback_name
    if detected is None:
        return Served(_OCTET, False, safe_filename(name, "bin"))
    if detected.mime in _INLINE and _confirmed(detected.mime, head):
        return Served(detected.mime, True, safe_filename(name, detected.extension))
    mime = detected.mime if detected.mime in _DOWNLOAD else _OCTET
    return Served(mime, False, safe_filename(name, detected.extension))


def is_zip(head: bytes) -> bool:
    return head.startswith(b"PK\x03\x04")


def _detected(head: bytes, zip_names: list[str] | None) -> Detected | None:
    if is_zip(head):
        return office_type(zip_names) if zip_names is not None else None
    return detect(head)


def _confirmed(mime: str, head: bytes) -> bool:
    # An Ogg page is a container: only Opus (what WhatsApp sends) is known to be harmless, and
    # which codec an Ogg holds is beyond the sniffer: its first page's header says.
    return mime != "audio/ogg" or b"OpusHead" in head[:512]


def safe_filename(name: str, extension: str) -> str:
    """A name a person may trust: no folders, no control or bidirectional characters (a
    U+202E can make `fdp.exe` read `exe.pdf`), and the extension of what the bytes are."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(
        c
        for c in unicodedata.normalize("NFC", base)
        if c == " " or (c not in _FORBIDDEN and unicodedata.category(c)[0] not in ("C", "Z"))
    )
    base = base.strip(" .") or "archivo"
    stem, dot, current = base.rpartition(".")
    if not dot:
        stem = base
    elif (
        current.lower() == extension.lower()
        or (
            current.lower(),
            extension.lower(),
        )
        in _SAME_EXTENSION
    ):
        return _clip(stem, current)
    return _clip(stem or "archivo", extension)


_SAME_EXTENSION = frozenset({("jpeg", "jpg"), ("opus", "ogg"), ("oga", "ogg"), ("mpeg", "mp3")})


def _clip(stem: str, extension: str) -> str:
    stem = stem.strip(" .") or "archivo"
    return f"{stem[: _NAME_MAX - len(extension) - 1]}.{extension}"
