"""Media rules (types, sizes, URLs that expire), Opus repackaging, the shipped samples, and
faults as Graph reports them."""

import hashlib
import struct

import pytest

from atiende.emulator.faults import ASYNC_FAULTS, FAULT_KINDS, async_error, sync_failure
from atiende.emulator.media import (
    ACCEPTED,
    URL_SECONDS,
    MediaStore,
    base_mime,
    content_problem,
    inbound_kind,
    mp4_codecs,
    upload_refusal,
)
from atiende.emulator.opus import (
    NotOpusWebm,
    is_ogg_opus,
    ogg_crc,
    ogg_pages,
    webm_opus_to_ogg,
)
from atiende.emulator.samples import SAMPLES, read_sample
from tests.media_samples import codecs, tone

MB = 1024 * 1024


class Clock:
    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        return self.now


def test_mime_parameters_do_not_change_the_type() -> None:
    assert base_mime("audio/ogg; codecs=opus") == "audio/ogg"
    assert upload_refusal("audio/ogg; codecs=opus", 10) is None
    assert upload_refusal("IMAGE/PNG", 10) is None


@pytest.mark.parametrize(
    ("mime", "limit"),
    [
        ("image/jpeg", 5 * MB),
        ("audio/aac", 16 * MB),
        ("video/mp4", 16 * MB),
        ("application/pdf", 100 * MB),
        ("image/webp", 500 * 1024),
    ],
)
def test_each_type_has_whatsapps_size_limit(mime: str, limit: int) -> None:
    assert upload_refusal(mime, limit) is None
    too_big = upload_refusal(mime, limit + 1)
    assert too_big is not None and too_big["error"]["code"] == 131053


def test_unknown_types_and_empty_files_are_refused() -> None:
    unknown = upload_refusal("application/x-msdownload", 10)
    assert unknown is not None
    assert unknown["error"]["code"] == 100
    assert "image/jpeg" in unknown["error"]["message"]
    empty = upload_refusal("image/png", 0)
    assert empty is not None and empty["error"]["code"] == 131053


def test_what_a_phone_makes_of_a_file() -> None:
    assert inbound_kind("image/jpeg") == "image"
    assert inbound_kind("image/webp") == "sticker"
    assert inbound_kind("audio/ogg; codecs=opus") == "audio"
    assert inbound_kind("video/mp4") == "video"
    assert inbound_kind("image/gif") == "document"
    assert inbound_kind("application/zip") == "document"


def test_urls_last_five_minutes_and_die_with_their_media() -> None:
    clock = Clock()
    store = MediaStore(clock)
    media = store.add(b"abc", "text/plain", "a.txt")
    assert media.sha256 == hashlib.sha256(b"abc").hexdigest()
    assert (media.file_size, len(media.id)) == (3, 16)

    token = store.issue_url(media.id)
    clock.now += URL_SECONDS - 0.001
    assert store.by_token(token) == media
    clock.now += 0.001
    assert store.by_token(token) is None

    fresh = store.issue_url(media.id)
    assert store.delete(media.id)
    assert store.by_token(fresh) is None and store.get(media.id) is None
    assert not store.delete(media.id)


def test_ogg_crc_matches_the_reference_value() -> None:
    # CRC-32/OGG ("CRC-32/MPEG-2" without final xor) of "123456789".
    assert ogg_crc(b"123456789") == 0x89A1897F


def test_webm_that_is_not_opus_is_refused() -> None:
    with pytest.raises(NotOpusWebm):
        webm_opus_to_ogg(b"OggS not webm")
    ebml_header_only = bytes.fromhex("1a45dfa3") + bytes([0x80])
    with pytest.raises(NotOpusWebm):
        webm_opus_to_ogg(ebml_header_only)
    with pytest.raises(NotOpusWebm, match="no Opus track"):
        webm_opus_to_ogg(tone("webm", "libvorbis"))
    with pytest.raises(NotOpusWebm, match="not WebM"):
        webm_opus_to_ogg(tone("ogg", "libopus"))


def test_a_webm_opus_recording_moves_into_ogg_pages_unchanged() -> None:
    recording = tone("webm", "libopus", seconds=1.0)
    ogg = webm_opus_to_ogg(recording)
    assert is_ogg_opus(ogg)
    pages = list(ogg_pages(ogg))  # every page's CRC checked
    assert pages[0][0] == 0x02 and pages[-1][0] == 0x04
    assert 0.95 * 48_000 < pages[-1][1] <= 1.05 * 48_000
    assert codecs(ogg) == ("ogg", ["opus"])


def test_the_shipped_voice_note_is_ogg_opus_with_valid_pages() -> None:
    voice = read_sample("voice")
    assert is_ogg_opus(voice)
    pages = list(ogg_pages(voice))
    assert pages[0][2][0].startswith(b"OpusHead")
    channels = struct.unpack_from("<B", pages[0][2][0], 9)[0]
    assert channels == 1
    assert pages[-1][1] > 48_000  # over a second of audio


def test_samples_are_small_valid_files_whatsapp_accepts() -> None:
    magic = {
        "image": b"\xff\xd8\xff",
        "png": b"\x89PNG\r\n\x1a\n",
        "voice": b"OggS",
        "document": b"%PDF-",
    }
    for kind, sample in SAMPLES.items():
        data = read_sample(kind)
        assert len(data) < 20 * 1024, f"{kind} should stay tiny"
        assert upload_refusal(sample.mime_type, len(data)) is None
        if kind in magic:
            assert data.startswith(magic[kind])
    assert read_sample("video")[4:8] == b"ftyp"
    assert read_sample("sticker")[:4] == b"RIFF" and read_sample("sticker")[8:12] == b"WEBP"
    assert read_sample("document").rstrip().endswith(b"%%EOF")


def test_every_fault_kind_is_either_an_answer_or_a_failed_status() -> None:
    for kind in FAULT_KINDS:
        if kind in ASYNC_FAULTS:
            assert async_error(kind)["code"] == int(kind)
            with pytest.raises(ValueError):
                sync_failure(kind)
        else:
            failure = sync_failure(kind)
            assert failure.status_code >= 400
            assert "fbtrace_id" in failure.payload["error"]
    assert sync_failure("http_429_130429").payload["error"]["code"] == 130429
    assert sync_failure("http_500").payload["error"]["is_transient"] is True


def test_the_accepted_table_names_every_kind() -> None:
    assert {kind for kind, _ in ACCEPTED.values()} == {
        "image",
        "audio",
        "video",
        "document",
        "sticker",
    }


def test_mp4_codecs_are_read_from_the_sample_entries() -> None:
    video = read_sample("video")
    assert mp4_codecs(video) == ["avc1", "mp4a"]
    assert content_problem("video", "video/mp4", video) is None
    hevc = video.replace(b"avc1", b"hev1")
    assert "H.264" in (content_problem("video", "video/mp4", hevc) or "")
    assert content_problem("video", "video/mp4", b"not an mp4") is not None


def test_ogg_audio_must_be_opus() -> None:
    assert content_problem("audio", "audio/ogg; codecs=opus", read_sample("voice")) is None
    vorbis = read_sample("voice").replace(b"OpusHead", b"\x01vorbis\x00", 1)
    assert content_problem("audio", "audio/ogg", vorbis) == (
        "Unsupported audio: audio/ogg must be Opus."
    )
    assert content_problem("document", "audio/ogg", vorbis) is None, "any file as a document"
