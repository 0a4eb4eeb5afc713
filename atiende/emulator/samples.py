"""Small files shipped with the emulator, so a demo or a browser test can send media without a
file picker. Made with ffmpeg (image, voice note, video, sticker) and by hand (the PDF)."""

from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Final, Literal

SampleKind = Literal["image", "png", "voice", "video", "document", "sticker"]


@dataclass(frozen=True)
class Sample:
    filename: str
    mime_type: str
    label: str
    voice: bool = False


SAMPLES: Final[dict[SampleKind, Sample]] = {
    "image": Sample("muestra.jpg", "image/jpeg", "Foto (JPEG)"),
    "png": Sample("muestra.png", "image/png", "Imagen (PNG)"),
    "voice": Sample("nota-de-voz.ogg", "audio/ogg; codecs=opus", "Nota de voz", voice=True),
    "video": Sample("muestra.mp4", "video/mp4", "Video (H.264 + AAC)"),
    "document": Sample("factura-muestra.pdf", "application/pdf", "Documento (PDF)"),
    "sticker": Sample("sticker.webp", "image/webp", "Sticker"),
}


@cache
def read_sample(kind: SampleKind) -> bytes:
    return (resources.files("atiende.emulator") / "samples" / SAMPLES[kind].filename).read_bytes()
