"""Files are judged by their bytes: type, size per kind, and WhatsApp's codec rules."""

import io
import struct
import zipfile

import pytest

from atiende.domain.media_limits import MB, Refused, check, detect


def box(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I4s", 8 + len(payload), kind) + payload


def mp4(video: bytes = b"avc1", audio: bytes | None = b"mp4a") -> bytes:
    def track(codec: bytes) -> bytes:
        entry = struct.pack(">I4s", 16, codec) + b"\x00" * 8
        stsd = box(b"stsd", b"\x00\x00\x00\x00" + struct.pack(">I", 1) + entry)
        return box(b"trak", box(b"mdia", box(b"minf", box(b"stbl", stsd))))

    tracks = track(video) + (track(audio) if audio else b"")
    return box(b"ftyp", b"isom\x00\x00\x02\x00isomiso2avc1mp41") + box(b"moov", tracks)


def office(folder: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr(f"{folder}document.xml", "<x/>")
    return buffer.getvalue()


JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 100
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100
OPUS = b"OggS\x00\x02" + b"\x00" * 20 + b"OpusHead\x01\x02" + b"\x00" * 50
VORBIS = b"OggS\x00\x02" + b"\x00" * 20 + b"\x01vorbis" + b"\x00" * 50


@pytest.mark.parametrize(
    ("data", "kind", "mime"),
    [
        (JPEG, "image", "image/jpeg"),
        (PNG, "image", "image/png"),
        (b"RIFF\x00\x00\x00\x00WEBPVP8 " + b"\x00" * 20, "sticker", "image/webp"),
        (OPUS, "audio", "audio/ogg"),
        (b"ID3\x03\x00" + b"\x00" * 50, "audio", "audio/mpeg"),
        (b"#!AMR\n" + b"\x00" * 20, "audio", "audio/amr"),
        (mp4(), "video", "video/mp4"),
        (b"%PDF-1.7\n" + b"\x00" * 20, "document", "application/pdf"),
        (
            office("word/"),
            "document",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            office("xl/"),
            "document",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        ("nombre,teléfono\nAna,5512345678\n".encode(), "document", "text/plain"),
    ],
)
def test_known_files_are_recognised_by_content(data: bytes, kind: str, mime: str) -> None:
    found = check(data, "cualquier-nombre.bin")
    assert (found.kind, found.mime) == (kind, mime)


def test_a_disguised_file_is_judged_by_its_bytes() -> None:
    assert check(PNG, "factura.pdf").mime == "image/png"
    with pytest.raises(Refused, match="tipo de archivo"):
        check(b"MZ\x90\x00" + b"\x00" * 200, "foto.jpg")


def test_size_limits_per_kind_say_the_limit() -> None:
    with pytest.raises(Refused, match="5 MB"):
        check(JPEG + b"\x00" * (5 * MB), "grande.jpg")
    with pytest.raises(Refused, match="vacío"):
        check(b"", "x")


def test_codec_rules() -> None:
    with pytest.raises(Refused, match="Opus"):
        check(VORBIS, "nota.ogg")
    with pytest.raises(Refused, match=r"H\.264"):
        check(mp4(video=b"hev1"), "video.mp4")
    with pytest.raises(Refused, match=r"H\.264"):
        check(mp4(audio=b"Opus"), "video.mp4")
    assert check(mp4(audio=None), "mudo.mp4").kind == "video"


def test_truncated_containers_do_not_crash() -> None:
    data = mp4()
    for cut in range(0, len(data), 7):
        detect(data[:cut])
