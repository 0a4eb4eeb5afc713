"""Opus from WebM (what a browser's MediaRecorder makes) into Ogg (what a WhatsApp voice note
is), without re-encoding: the Opus packets move from Matroska blocks into Ogg pages.

Reads the parts of Matroska a recorder writes: elements of unknown size (live recording),
SimpleBlocks and BlockGroups, one Opus track, no lacing.
"""

import struct
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Final

# Matroska element ids (with their length marker bits, as written).
_SEGMENT, _CLUSTER, _TRACKS, _TRACK_ENTRY = 0x18538067, 0x1F43B675, 0x1654AE6B, 0xAE
_BLOCK_GROUP, _AUDIO = 0xA0, 0xE1
_MASTERS: Final = frozenset({_SEGMENT, _CLUSTER, _TRACKS, _TRACK_ENTRY, _BLOCK_GROUP, _AUDIO})
_TRACK_NUMBER, _CODEC_ID, _CODEC_PRIVATE, _CODEC_DELAY = 0xD7, 0x86, 0x63A2, 0x56AA
_CHANNELS, _SIMPLE_BLOCK, _BLOCK = 0x9F, 0xA3, 0xA1
_EBML_HEADER = 0x1A45DFA3

_OGG_SERIAL: Final = 0x61746965  # "atie"
_PACKETS_PER_PAGE: Final = 50
_VENDOR: Final = b"atiende emulator"


class NotOpusWebm(ValueError):
    pass


@dataclass
class _Track:
    number: int | None = None
    codec: str | None = None
    private: bytes | None = None
    codec_delay_ns: int = 0
    channels: int = 1


@dataclass
class _Recording:
    tracks: list[_Track] = field(default_factory=list)
    blocks: list[tuple[int, bytes]] = field(default_factory=list)


def _vint(data: bytes, pos: int, *, keep_marker: bool) -> tuple[int, int, bool]:
    """(value, new position, all ones) of a Matroska variable-length integer at `pos`."""
    if pos >= len(data):
        raise NotOpusWebm("truncated")
    first = data[pos]
    length = 1
    while length <= 8 and not first & (0x80 >> (length - 1)):
        length += 1
    if length > 8 or pos + length > len(data):
        raise NotOpusWebm("bad variable-length integer")
    value = first if keep_marker else first & (0xFF >> length)
    for byte in data[pos + 1 : pos + length]:
        value = (value << 8) | byte
    all_ones = (first & (0xFF >> length)) == (0xFF >> length) and all(
        b == 0xFF for b in data[pos + 1 : pos + length]
    )
    return value, pos + length, all_ones


def _elements(data: bytes) -> Iterator[tuple[int, bytes]]:
    """Every leaf element in document order; masters are entered, not returned."""
    pos = 0
    while pos < len(data):
        element_id, pos, _ = _vint(data, pos, keep_marker=True)
        size, pos, unknown = _vint(data, pos, keep_marker=False)
        if element_id in _MASTERS:
            yield element_id, b""  # marks where a master starts
            continue  # its children follow, whatever its size says
        if unknown:
            raise NotOpusWebm("a leaf element of unknown size")
        yield element_id, data[pos : pos + size]
        pos += size


def _uint(payload: bytes) -> int:
    return int.from_bytes(payload, "big") if payload else 0


def _read(data: bytes) -> _Recording:
    if data[:4] != _EBML_HEADER.to_bytes(4, "big"):
        raise NotOpusWebm("not a WebM/Matroska file")
    recording = _Recording()
    for element_id, payload in _elements(data):
        if element_id == _TRACK_ENTRY:
            recording.tracks.append(_Track())
        elif recording.tracks and element_id == _TRACK_NUMBER:
            recording.tracks[-1].number = _uint(payload)
        elif recording.tracks and element_id == _CODEC_ID:
            recording.tracks[-1].codec = payload.decode("ascii", "replace").rstrip("\0")
        elif recording.tracks and element_id == _CODEC_PRIVATE:
            recording.tracks[-1].private = payload
        elif recording.tracks and element_id == _CODEC_DELAY:
            recording.tracks[-1].codec_delay_ns = _uint(payload)
        elif recording.tracks and element_id == _CHANNELS:
            recording.tracks[-1].channels = _uint(payload)
        elif element_id in (_SIMPLE_BLOCK, _BLOCK):
            track, pos, _ = _vint(payload, 0, keep_marker=False)
            if len(payload) < pos + 3:
                raise NotOpusWebm("truncated block")
            if payload[pos + 2] & 0x06:
                raise NotOpusWebm("laced blocks are not supported")
            recording.blocks.append((track, payload[pos + 3 :]))
    return recording


def opus_samples(packet: bytes) -> int:
    """Samples at 48 kHz in one Opus packet, from its TOC byte (RFC 6716, 3.1)."""
    if not packet:
        return 0
    toc = packet[0]
    config = toc >> 3
    if config < 12:
        frame = (480, 960, 1920, 2880)[config % 4]
    elif config < 16:
        frame = (480, 960)[config % 2]
    else:
        frame = (120, 240, 480, 960)[config % 4]
    code = toc & 0x03
    if code == 0:
        frames = 1
    elif code in (1, 2):
        frames = 2
    else:
        frames = packet[1] & 0x3F if len(packet) > 1 else 0
    return frame * frames


def _crc_table() -> list[int]:
    table = []
    for i in range(256):
        r = i << 24
        for _ in range(8):
            r = ((r << 1) ^ 0x04C11DB7) if r & 0x80000000 else (r << 1)
        table.append(r & 0xFFFFFFFF)
    return table


_CRC: Final = _crc_table()


def ogg_crc(page: bytes) -> int:
    crc = 0
    for byte in page:
        crc = ((crc << 8) & 0xFFFFFFFF) ^ _CRC[((crc >> 24) & 0xFF) ^ byte]
    return crc


def _page(packets: list[bytes], granule: int, sequence: int, flags: int) -> bytes:
    lacing = bytearray()
    for packet in packets:
        lacing += b"\xff" * (len(packet) // 255) + bytes([len(packet) % 255])
    if len(lacing) > 255:
        raise NotOpusWebm("packet too large for one Ogg page")
    header = struct.pack(
        "<4sBBqIIIB", b"OggS", 0, flags, granule, _OGG_SERIAL, sequence, 0, len(lacing)
    )
    page = bytearray(header + bytes(lacing) + b"".join(packets))
    page[22:26] = struct.pack("<I", ogg_crc(bytes(page)))
    return bytes(page)


def _opus_head(track: _Track) -> bytes:
    if track.private and track.private.startswith(b"OpusHead"):
        return track.private
    pre_skip = track.codec_delay_ns * 48_000 // 1_000_000_000
    return b"OpusHead" + struct.pack("<BBHIhB", 1, track.channels, pre_skip, 48_000, 0, 0)


def webm_opus_to_ogg(data: bytes) -> bytes:
    """The same Opus packets, in Ogg pages with the granule positions an Ogg reader expects."""
    recording = _read(data)
    track = next((t for t in recording.tracks if t.codec == "A_OPUS"), None)
    if track is None:
        raise NotOpusWebm("no Opus track")
    packets = [p for number, p in recording.blocks if number == track.number and p]
    if not packets:
        raise NotOpusWebm("no audio")
    tags = b"OpusTags" + struct.pack("<I", len(_VENDOR)) + _VENDOR + struct.pack("<I", 0)
    pages = [_page([_opus_head(track)], 0, 0, 0x02), _page([tags], 0, 1, 0)]
    granule = 0
    for start in range(0, len(packets), _PACKETS_PER_PAGE):
        chunk = packets[start : start + _PACKETS_PER_PAGE]
        granule += sum(opus_samples(p) for p in chunk)
        last = start + _PACKETS_PER_PAGE >= len(packets)
        pages.append(_page(chunk, granule, len(pages), 0x04 if last else 0))
    return b"".join(pages)


def ogg_pages(data: bytes) -> Iterator[tuple[int, int, list[bytes]]]:
    """(flags, granule, packets) of each page, checking each page's CRC — for tests."""
    pos = 0
    while pos < len(data):
        if data[pos : pos + 4] != b"OggS":
            raise ValueError(f"no Ogg page at {pos}")
        flags, granule = data[pos + 5], struct.unpack_from("<q", data, pos + 6)[0]
        count = data[pos + 26]
        lacing = data[pos + 27 : pos + 27 + count]
        end = pos + 27 + count + sum(lacing)
        page = bytearray(data[pos:end])
        expected = struct.unpack_from("<I", page, 22)[0]
        page[22:26] = b"\0\0\0\0"
        if ogg_crc(bytes(page)) != expected:
            raise ValueError(f"bad CRC in the page at {pos}")
        packets, current, body = [], bytearray(), pos + 27 + count
        for value in lacing:
            current += data[body : body + value]
            body += value
            if value < 255:
                packets.append(bytes(current))
                current = bytearray()
        yield flags, granule, packets
        pos = end


def is_ogg_opus(data: bytes) -> bool:
    return data[:4] == b"OggS" and data[28:36] == b"OpusHead"
