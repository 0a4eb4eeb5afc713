"""Small real media made with PyAV for the tests: tones and moving pictures in the containers
and codecs an agent or a browser may hand in."""

import io
import math
import struct
from fractions import Fraction

import av
from av.audio.stream import AudioStream
from av.container import OutputContainer
from av.video.stream import VideoStream


def tone(
    container: str, codec: str, seconds: float = 1.0, rate: int = 48_000, layout: str = "mono"
) -> bytes:
    """A 440 Hz tone in `container` (ogg, webm, wav, mp4…) coded with `codec`."""
    out = io.BytesIO()
    with av.open(out, mode="w", format=container) as sink:
        stream = sink.add_stream(codec, rate=rate, layout=layout)
        assert isinstance(stream, AudioStream)
        _tone_into(sink, stream, seconds, rate)
    return out.getvalue()


def movie(
    container: str,
    codec: str,
    audio_codec: str | None = None,
    seconds: float = 1.0,
    size: tuple[int, int] = (64, 48),
) -> bytes:
    """`seconds` of a moving gradient at 10 frames a second, with a tone when `audio_codec`."""
    out = io.BytesIO()
    with av.open(out, mode="w", format=container) as sink:
        video = sink.add_stream(codec, rate=10)
        assert isinstance(video, VideoStream)
        video.width, video.height, video.pix_fmt = size[0], size[1], "yuv420p"
        audio = sink.add_stream(audio_codec, rate=48_000, layout="mono") if audio_codec else None
        assert audio is None or isinstance(audio, AudioStream)
        for i in range(int(seconds * 10)):
            frame = av.VideoFrame(size[0], size[1], "yuv420p")
            for plane in frame.planes:
                plane.update(bytes([(i * 20) % 256]) * plane.buffer_size)
            frame.pts, frame.time_base = i, Fraction(1, 10)
            sink.mux(video.encode(frame))
        sink.mux(video.encode(None))
        if audio is not None:
            _tone_into(sink, audio, seconds, 48_000)
    return out.getvalue()


def _tone_into(sink: OutputContainer, stream: AudioStream, seconds: float, rate: int) -> None:
    chunk = 960
    for start in range(0, int(seconds * rate), chunk):
        frame = av.AudioFrame(format="s16", layout="mono", samples=chunk)
        frame.planes[0].update(
            b"".join(
                struct.pack("<h", int(9000 * math.sin(2 * math.pi * 440 * n / rate)))
                for n in range(start, start + chunk)
            )
        )
        frame.sample_rate, frame.pts, frame.time_base = rate, start, Fraction(1, rate)
        sink.mux(stream.encode(frame))
    sink.mux(stream.encode(None))


def codecs(data: bytes) -> tuple[str, list[str]]:
    """The container's format name and its streams' codecs, as FFmpeg reads them."""
    with av.open(io.BytesIO(data)) as container:
        return container.format.name, [s.codec_context.name for s in container.streams]
