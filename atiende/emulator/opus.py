"""Opus from WebM (what a browser's MediaRecorder makes) into Ogg (what a WhatsApp voice note
is), without re-encoding: FFmpeg (PyAV) moves the Opus packets from Matroska into Ogg pages.

The Ogg page reader below checks, independently of FFmpeg, what a voice note carries.
"""

import io
import struct
from collections.abc import Iterator
from typing import Final

import av


class NotOpusWebm(ValueError):
    pass


def webm_opus_to_ogg(data: bytes) -> bytes:
    """The same Opus packets, in Ogg pages with the granule positions an Ogg reader expects."""
    try:
        with av.open(io.BytesIO(data), mode="r") as source:
            if not {"matroska", "webm"} & set(source.format.name.split(",")):
                raise NotOpusWebm(f"not WebM but {source.format.name}")
            track = next((s for s in source.streams.audio if s.codec_context.name == "opus"), None)
            if track is None:
                raise NotOpusWebm("no Opus track")
            out = io.BytesIO()
            packets = 0
            with av.open(out, mode="w", format="ogg") as sink:
                copy = sink.add_stream_from_template(track)
                for packet in source.demux(track):
                    if packet.dts is None:  # the demuxer's closing empty packet
                        continue
                    packet.stream = copy
                    sink.mux(packet)
                    packets += 1
            if not packets:
                raise NotOpusWebm("no audio")
            return out.getvalue()
    except av.FFmpegError as exc:
        raise NotOpusWebm(f"unreadable: {exc}") from exc


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
