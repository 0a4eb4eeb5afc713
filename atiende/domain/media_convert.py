"""An agent's audio or video that WhatsApp would refuse for its codec, converted into what it
takes (SPEC §5): video to H.264 + AAC in MP4, audio to Opus in Ogg. Only what fails
`media_limits.check` is touched, and only when its bytes are a media container; whatever
cannot be converted keeps its refusal.

CPU work: the caller runs `prepare` off the event loop. It is bounded by the input's size (the
upload limit), the media's duration, a wall-clock budget and one conversion at a time.
"""

import io
import threading
import time
from dataclasses import dataclass
from fractions import Fraction

import av
from av.audio.stream import AudioStream
from av.container import InputContainer, OutputContainer
from av.video.stream import VideoStream

from atiende.domain.media_limits import Detected, Refused, check, sniffed_mime

SECONDS = 60.0  # wall-clock budget for one conversion
MAX_MINUTES = 10  # longer media would not fit WhatsApp's 16 MB anyway
MAX_SIDE = 1280  # larger video is scaled down: 16 MB must hold it
_AUDIO_RATE = 48_000
# One conversion at a time per process: each may take every core.
_ONE_AT_A_TIME = threading.BoundedSemaphore(1)

# Containers worth decoding, as the sniffer names them: the content check stays on the bytes,
# and FFmpeg is never asked to guess what an arbitrary file might be. ISO media (MP4, MOV,
# 3GP) is told by its `ftyp` box, as in `media_limits.detect`.
_CONTAINERS = frozenset(
    {
        "video/webm",
        "video/x-matroska",
        "audio/ogg",
        "audio/x-flac",
        "audio/x-wav",
        "video/x-msvideo",
    }
)
_FORMATS = frozenset({"matroska", "webm", "ogg", "flac", "mov", "mp4", "3gp", "wav", "avi"})
_CONVERTIBLE = frozenset({"type", "ogg_opus", "video_codec"})


@dataclass(frozen=True)
class Prepared:
    """The bytes to send and what they are; `converted` when they are not the agent's."""

    data: bytes
    found: Detected
    converted: bool


def prepare(data: bytes) -> Prepared:
    """The file as WhatsApp takes it: as it is, or converted; `Refused` when neither."""
    try:
        return Prepared(data, check(data), False)
    except Refused as refused:
        if refused.reason not in _CONVERTIBLE or not _is_media_container(data):
            raise
        converted = convert(data)
    return Prepared(converted, check(converted), True)


def _is_media_container(data: bytes) -> bool:
    if data[4:8] == b"ftyp":
        return True
    return sniffed_mime(data) in _CONTAINERS


def _unconvertible() -> Refused:
    return Refused(
        "WhatsApp no admite el formato de este audio o video y no se pudo convertir.",
        "unconvertible",
    )


def convert(data: bytes) -> bytes:
    """Video (with its first audio track) to H.264 + AAC in MP4; audio alone to Opus in Ogg."""
    deadline = time.monotonic() + SECONDS
    if not _ONE_AT_A_TIME.acquire(timeout=SECONDS):
        raise _too_slow()
    try:
        return _convert(data, deadline)
    finally:
        _ONE_AT_A_TIME.release()


def _convert(data: bytes, deadline: float) -> bytes:
    try:
        with av.open(io.BytesIO(data), mode="r") as source:
            if not _FORMATS & set(source.format.name.split(",")):
                raise _unconvertible()
            if source.duration is not None and source.duration > MAX_MINUTES * 60 * 1_000_000:
                raise Refused(
                    f"El audio o video dura más de {MAX_MINUTES} minutos; no se puede convertir "
                    "para WhatsApp.",
                    "too_long",
                    {"max_minutes": MAX_MINUTES},
                )
            video = next(
                (
                    s
                    for s in source.streams.video
                    if not s.disposition & av.stream.Disposition.attached_pic
                ),
                None,
            )
            audio = next(iter(source.streams.audio), None)
            if video is not None:
                return _to_mp4(source, video, audio, deadline)
            if audio is not None:
                return _to_ogg_opus(source, audio, deadline)
    except Refused:
        raise
    except (av.FFmpegError, ValueError, EOFError):
        pass
    raise _unconvertible()


def _in_time(deadline: float) -> None:
    if time.monotonic() > deadline:
        raise _too_slow()


def _too_slow() -> Refused:
    return Refused(
        "La conversión del archivo para WhatsApp tardó demasiado.",
        "conversion_timeout",
        {"seconds": int(SECONDS)},
    )


def _to_ogg_opus(source: InputContainer, audio: AudioStream, deadline: float) -> bytes:
    out = io.BytesIO()
    with av.open(out, mode="w", format="ogg") as sink:
        # Voice: one channel is what a phone records, and halves the size.
        opus = sink.add_stream("libopus", rate=_AUDIO_RATE, layout="mono")
        opus.bit_rate = 32_000
        _copy_audio(source, audio, opus, sink, deadline)
    return out.getvalue()


def _to_mp4(
    source: InputContainer, video: VideoStream, audio: AudioStream | None, deadline: float
) -> bytes:
    width, height = _fit(video.codec_context.width, video.codec_context.height)
    rate = Fraction(round(video.average_rate or 30)) or Fraction(30)
    out = io.BytesIO()
    with av.open(out, mode="w", format="mp4") as sink:
        h264 = sink.add_stream("libx264", rate=rate)
        h264.width, h264.height, h264.pix_fmt = width, height, "yuv420p"
        h264.options = {"preset": "veryfast", "crf": "28"}
        aac = sink.add_stream("aac", rate=_AUDIO_RATE, layout="stereo") if audio else None
        frames = 0
        samples = 0
        wanted = [video] + ([audio] if audio is not None else [])
        for packet in source.demux(*wanted):
            _in_time(deadline)
            for frame in packet.decode():
                if isinstance(frame, av.VideoFrame):
                    # Restamped at a constant rate: a recording's timestamps need not be
                    # monotonic at the encoder's time base.
                    picture = frame.reformat(width=width, height=height, format="yuv420p")
                    picture.pts, picture.time_base = frames, 1 / rate
                    frames += 1
                    sink.mux(h264.encode(picture))
                elif isinstance(frame, av.AudioFrame) and aac is not None:
                    frame.pts, frame.time_base = samples, Fraction(1, frame.sample_rate)
                    samples += frame.samples
                    sink.mux(aac.encode(frame))
        sink.mux(h264.encode(None))
        if aac is not None:
            sink.mux(aac.encode(None))
    if frames == 0:
        raise _unconvertible()
    return out.getvalue()


def _copy_audio(
    source: InputContainer,
    audio: AudioStream,
    encoder: AudioStream,
    sink: OutputContainer,
    deadline: float,
) -> None:
    samples = 0
    for packet in source.demux(audio):
        _in_time(deadline)
        for frame in packet.decode():
            assert isinstance(frame, av.AudioFrame)
            frame.pts, frame.time_base = samples, Fraction(1, frame.sample_rate)
            samples += frame.samples
            sink.mux(encoder.encode(frame))
    sink.mux(encoder.encode(None))
    if samples == 0:
        raise _unconvertible()


def _fit(width: int, height: int) -> tuple[int, int]:
    """Within MAX_SIDE, keeping the aspect, both even (what 4:2:0 H.264 needs)."""
    scale = min(1.0, MAX_SIDE / max(width, height, 1))
    return max(2, int(width * scale) // 2 * 2), max(2, int(height * scale) // 2 * 2)
