"""What WhatsApp accepts, checked on the bytes, not the name (SPEC §5).

A file is identified by its content; its kind decides the size limit; audio in Ogg must be
Opus and MP4 video must be H.264 with AAC audio, or Meta refuses it later. The codecs are read
by FFmpeg (PyAV); what fails them may still be converted (`media_convert`).
"""

import io
import zipfile
from dataclasses import dataclass

import av
import filetype

from atiende.domain.errors import Params

MB = 1024 * 1024
# What the sniffer reads of a file (its own default).
SNIFF_BYTES = 8192
LIMITS = {
    "image": 5 * MB,
    "audio": 16 * MB,
    "video": 16 * MB,
    "document": 100 * MB,
    "sticker": 500 * 1024,
}


@dataclass(frozen=True)
class Detected:
    kind: str  # image | audio | video | document | sticker
    mime: str
    extension: str


class Refused(ValueError):
    """Why WhatsApp would refuse the file: `reason` and `params` for the client's text (the
    `file_refused.<reason>` entries of the catalogues), the message in Spanish."""

    def __init__(self, message: str, reason: str, params: Params | None = None) -> None:
        super().__init__(message)
        self.reason = reason
        self.params: Params = params or {}


# The name is taken and ignored on purpose: only the bytes decide what a file is.
def check(data: bytes, filename: str | None = None) -> Detected:  # noqa: ARG001
    if not data:
        raise Refused("El archivo está vacío.", "empty")
    detected = detect(data)
    if detected is None:
        raise Refused(
            "WhatsApp no admite este tipo de archivo (por su contenido, no por su nombre).",
            "type",
        )
    limit = LIMITS[detected.kind]
    if len(data) > limit:
        raise Refused(
            f"El archivo pesa {len(data) / MB:.1f} MB; WhatsApp admite hasta "
            f"{limit / MB:.0f} MB para {_KIND_ES[detected.kind]}.",
            "size",
            {
                "size_mb": round(len(data) / MB, 1),
                "limit_mb": round(limit / MB, 1),
                "kind": detected.kind,
            },
        )
    if detected.mime == "audio/ogg" and not _ogg_is_opus(data):
        raise Refused("El audio OGG debe estar codificado en Opus para WhatsApp.", "ogg_opus")
    if detected.kind == "video" and not _mp4_is_h264_aac(data):
        raise Refused("El video debe ser H.264 con audio AAC para WhatsApp.", "video_codec")
    return detected


_KIND_ES = {
    "image": "imágenes",
    "audio": "audios",
    "video": "videos",
    "document": "documentos",
    "sticker": "stickers",
}


# What the sniffer (filetype) names and WhatsApp takes. An animated PNG is a PNG to WhatsApp.
_SNIFFED = {
    mime: Detected(kind, sent_as, extension)
    for mime, kind, sent_as, extension in (
        ("image/jpeg", "image", "image/jpeg", "jpg"),
        ("image/png", "image", "image/png", "png"),
        ("image/apng", "image", "image/png", "png"),
        ("image/webp", "sticker", "image/webp", "webp"),
        ("audio/ogg", "audio", "audio/ogg", "ogg"),
        ("audio/amr", "audio", "audio/amr", "amr"),
        ("audio/mpeg", "audio", "audio/mpeg", "mp3"),
        ("audio/aac", "audio", "audio/aac", "aac"),
        ("application/pdf", "document", "application/pdf", "pdf"),
    )
}
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = b"PK\x03\x04"


def detect(data: bytes) -> Detected | None:
    """What the bytes are, among what WhatsApp takes. The maintained sniffer decides what it
    can; our own checks are only where it cannot (each says why). "Ogg" here is any Ogg:
    whether it holds Opus is `check`'s (and the media route's) question."""
    head = data[:64]
    # A zip is an Office document only by its member list; the sniffer guesses it from
    # bytes near the start, which any zip can be made to hold.
    if head.startswith(_ZIP):
        return _office_zip(data)
    # ISO media: the sniffer calls anything that lists `isom` MP4 and its 3GP matcher reads
    # the wrong offset; WhatsApp's kind (video, 3GPP, M4A audio) follows the major brand.
    if head[4:8] == b"ftyp":
        return _iso_media(head[8:12])
    # A legacy Office file: the sniffer names one only when Word's stream sits where it
    # looks; WhatsApp takes any of them (Word, Excel, PowerPoint) as a document.
    if head.startswith(_OLE2):
        return Detected("document", "application/vnd.ms-office", "doc")
    sniffed = sniffed_mime(data)
    if sniffed in _SNIFFED:
        return _SNIFFED[sniffed]
    # Plain text has no signature to sniff.
    if _is_text(data):
        return Detected("document", "text/plain", "txt")
    return None


def sniffed_mime(data: bytes) -> str | None:
    """The type filetype reads in the file's first bytes, when it knows one."""
    guess = filetype.guess(data[:SNIFF_BYTES])
    return str(guess.mime) if guess is not None else None


def _iso_media(brand: bytes) -> Detected | None:
    if brand.startswith(b"3g"):
        return Detected("video", "video/3gpp", "3gp")
    if brand in (b"M4A ", b"M4B "):
        return Detected("audio", "audio/mp4", "m4a")
    if brand in (b"isom", b"iso2", b"mp41", b"mp42", b"avc1", b"M4V ", b"iso4", b"iso5", b"iso6"):
        return Detected("video", "video/mp4", "mp4")
    return None


_OFFICE = {
    "word/": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
    "xl/": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "ppt/": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx"),
}


def _office_zip(data: bytes) -> Detected | None:
    try:
        names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    except (zipfile.BadZipFile, ValueError):
        return None
    return office_type(names)


def office_type(names: list[str]) -> Detected | None:
    """An Office Open XML document, by the members of its zip archive."""
    if "[Content_Types].xml" not in names:
        return None
    for prefix, (mime, extension) in _OFFICE.items():
        if any(n.startswith(prefix) for n in names):
            return Detected("document", mime, extension)
    return None


def _is_text(data: bytes) -> bool:
    sample = data[:8192]
    if b"\x00" in sample:
        return False
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError:
        # A cut in the middle of a multi-byte character at the end is still text.
        try:
            sample[:-3].decode("utf-8")
        except UnicodeDecodeError:
            return False
    return True


def _ogg_is_opus(data: bytes) -> bool:
    streams = probe(data)
    return streams is not None and bool(streams.audio) and set(streams.audio) == {"opus"}


def _mp4_is_h264_aac(data: bytes) -> bool:
    """Video H.264, audio (if any) AAC, as FFmpeg's demuxer reads the sample descriptions."""
    streams = probe(data)
    return (
        streams is not None
        and bool(streams.video)
        and set(streams.video) == {"h264"}
        and set(streams.audio) <= {"aac"}
    )


@dataclass(frozen=True)
class Streams:
    """What FFmpeg finds in a container: its format names and each stream's codec."""

    formats: frozenset[str]
    video: tuple[str, ...]
    audio: tuple[str, ...]


def probe(data: bytes) -> Streams | None:
    """The container's streams, or None when FFmpeg cannot read it (not media, or broken)."""
    try:
        with av.open(io.BytesIO(data), mode="r") as container:
            return Streams(
                frozenset(container.format.name.split(",")),
                tuple(
                    s.codec_context.name
                    for s in container.streams.video
                    # A cover picture in an audio file is a "video" stream of one frame.
                    if not s.disposition & av.stream.Disposition.attached_pic
                ),
                tuple(s.codec_context.name for s in container.streams.audio),
            )
    except (av.FFmpegError, ValueError, EOFError):
        return None
