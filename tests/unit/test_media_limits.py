"""Files are judged by their bytes: type, size per kind, and WhatsApp's codec rules."""

import contextlib
import io
import os
import zipfile

import pytest

from atiende.domain import media_convert
from atiende.domain.media_convert import prepare
from atiende.domain.media_limits import MB, Refused, check, detect
from tests.media_samples import codecs, movie, tone


def office(folder: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr(f"{folder}document.xml", "<x/>")
    return buffer.getvalue()


JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 100
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100
OPUS = tone("ogg", "libopus")
VORBIS = tone("ogg", "libvorbis")
H264_AAC = movie("mp4", "libx264", "aac")


@pytest.mark.parametrize(
    ("data", "kind", "mime"),
    [
        (JPEG, "image", "image/jpeg"),
        (PNG, "image", "image/png"),
        (b"RIFF\x00\x00\x00\x00WEBPVP8 " + b"\x00" * 20, "sticker", "image/webp"),
        (OPUS, "audio", "audio/ogg"),
        (b"ID3\x03\x00" + b"\x00" * 50, "audio", "audio/mpeg"),
        (b"#!AMR\n" + b"\x00" * 20, "audio", "audio/amr"),
        (H264_AAC, "video", "video/mp4"),
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


def _iso(brand: bytes) -> bytes:
    return b"\x00\x00\x00\x18ftyp" + brand + b"\x00\x00\x00\x00" + b"\x00" * 40


@pytest.mark.parametrize(
    ("data", "mime"),
    [
        # What the sniffer (filetype) decides.
        (tone("mp3", "libmp3lame"), "audio/mpeg"),
        (b"\xff\xfb\x90\x00" + b"\x55" * 100, "audio/mpeg"),
        (tone("adts", "aac"), "audio/aac"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\x08acTL" + b"\x00" * 40, "image/png"),
        # What our own checks decide, where it cannot: the major brand of ISO media, any
        # legacy Office file, plain text.
        (_iso(b"3gp5"), "video/3gpp"),
        (_iso(b"M4A "), "audio/mp4"),
        (_iso(b"isom"), "video/mp4"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "application/vnd.ms-office"),
    ],
)
def test_what_decides_each_type(data: bytes, mime: str) -> None:
    found = detect(data)
    assert found is not None and found.mime == mime


@pytest.mark.parametrize(
    "data",
    [
        _iso(b"qt  "),  # QuickTime: not WhatsApp's (converted, see below)
        tone("flac", "flac"),
        b"GIF89a" + b"\x00" * 40,
        b"MZ\x90\x00" + b"\x00" * 200,
        # A zip whose first bytes look like a Word document but whose members are not one.
        b"PK\x03\x04" + b"\x00" * 26 + b"word/document.xml" + b"\x00" * 100,
    ],
)
def test_what_whatsapp_does_not_take_is_nothing(data: bytes) -> None:
    assert detect(data) is None


def test_size_limits_per_kind_say_the_limit() -> None:
    with pytest.raises(Refused, match="5 MB"):
        check(JPEG + b"\x00" * (5 * MB), "grande.jpg")
    with pytest.raises(Refused, match="vacío"):
        check(b"", "x")


def test_codec_rules() -> None:
    with pytest.raises(Refused, match="Opus"):
        check(VORBIS, "nota.ogg")
    with pytest.raises(Refused, match=r"H\.264"):
        check(movie("mp4", "mpeg4", "aac"), "video.mp4")
    with pytest.raises(Refused, match=r"H\.264"):
        check(movie("mp4", "libx264", "libopus"), "video.mp4")
    assert check(movie("mp4", "libx264"), "mudo.mp4").kind == "video"


def test_truncated_containers_do_not_crash() -> None:
    data = H264_AAC
    for cut in range(0, len(data), 997):
        detect(data[:cut])
        with contextlib.suppress(Refused):
            check(data[:cut], "cortado.mp4")


@pytest.mark.parametrize(
    ("data", "was"),
    [
        (tone("wav", "pcm_s16le"), "wav"),
        (tone("webm", "libopus"), "webm"),
        (VORBIS, "ogg"),
    ],
)
def test_audio_whatsapp_cannot_take_becomes_opus_in_ogg(data: bytes, was: str) -> None:
    assert was in codecs(data)[0]
    prepared = prepare(data)
    assert prepared.converted
    assert (prepared.found.kind, prepared.found.mime) == ("audio", "audio/ogg")
    assert codecs(prepared.data) == ("ogg", ["opus"])


@pytest.mark.parametrize(
    "data",
    [movie("mp4", "mpeg4", "aac"), movie("webm", "libvpx", "libopus"), movie("mp4", "mpeg4")],
)
def test_video_whatsapp_cannot_take_becomes_h264_and_aac_in_mp4(data: bytes) -> None:
    prepared = prepare(data)
    assert prepared.converted
    assert (prepared.found.kind, prepared.found.mime) == ("video", "video/mp4")
    name, streams = codecs(prepared.data)
    assert "mp4" in name and streams[0] == "h264" and set(streams[1:]) <= {"aac"}


def test_what_whatsapp_takes_is_sent_as_it_is() -> None:
    for data in (OPUS, H264_AAC, JPEG):
        prepared = prepare(data)
        assert (prepared.data, prepared.converted) == (data, False)


def test_what_cannot_be_converted_keeps_its_reason() -> None:
    with pytest.raises(Refused, match="tipo de archivo") as random_bytes:
        prepare(os.urandom(4096))
    assert random_bytes.value.reason == "type"
    broken = b"\x00\x00\x00\x18ftypmp42" + os.urandom(4096)
    with pytest.raises(Refused, match="no se pudo convertir") as refused:
        prepare(broken)
    assert refused.value.reason == "unconvertible"
    with pytest.raises(Refused, match="5 MB"):
        prepare(JPEG + b"\x00" * (5 * MB))


def test_conversion_is_bounded_in_duration_and_time(monkeypatch: pytest.MonkeyPatch) -> None:
    wav = tone("wav", "pcm_s16le")
    monkeypatch.setattr(media_convert, "MAX_MINUTES", 0)
    with pytest.raises(Refused, match="dura más de 0 minutos") as too_long:
        prepare(wav)
    assert too_long.value.params == {"max_minutes": 0}
    monkeypatch.setattr(media_convert, "MAX_MINUTES", 10)
    monkeypatch.setattr(media_convert, "SECONDS", 0.0)
    with pytest.raises(Refused, match="tardó demasiado") as too_slow:
        prepare(wav)
    assert too_slow.value.reason == "conversion_timeout"
