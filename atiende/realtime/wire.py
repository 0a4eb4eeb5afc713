"""An envelope as it travels: its event encoded once, where it was published.

Every process and every socket gets the same text, so nothing downstream decodes and
re-encodes the event: a frame is the routing header's JSON, a newline (JSON never holds a raw
one) and the event's JSON as the browsers receive it. On Redis one message carries several
frames (`pack`), each after its length: every process reads every message, and a batch of
assignments or deliveries is hundreds of events.
"""

import struct
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from pydantic_core import from_json, to_json

from atiende.realtime.events import Envelope


@dataclass(frozen=True, slots=True)
class Frame:
    recipients: list[int]
    staff: bool
    close_sessions: list[str]
    # The event's JSON, exactly the text each socket is sent; None for a close order.
    text: str | None
    # What every process should do now (`Envelope.wake`); no socket hears it.
    wake: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, envelope: Envelope) -> "Frame":
        text = envelope.text
        if text is None and envelope.event is not None:
            text = envelope.event.model_dump_json()
        return cls(
            envelope.recipients, envelope.staff, envelope.close_sessions, text, envelope.wake
        )

    # The header as a plain dict, not a model: every process decodes every frame (a routing
    # batch publishes two per assignment), and only processes of this version write them.
    def encode(self) -> bytes:
        header = {
            "recipients": self.recipients,
            "staff": self.staff,
            "close_sessions": self.close_sessions,
            "wake": self.wake,
        }
        return to_json(header) + b"\n" + (self.text or "").encode()

    @classmethod
    def decode(cls, data: bytes) -> "Frame":
        head, _, text = data.partition(b"\n")
        header = from_json(head)
        return cls(
            header["recipients"],
            header["staff"],
            header["close_sessions"],
            text.decode() or None,
            header["wake"],
        )


_LENGTH = struct.Struct(">I")


def pack(frames: Sequence[bytes]) -> bytes:
    """Encoded frames as one message, in their order."""
    return b"".join(_LENGTH.pack(len(f)) + f for f in frames)


def unpack(message: bytes) -> Iterator[bytes]:
    at = 0
    while at < len(message):
        (size,) = _LENGTH.unpack_from(message, at)
        at += _LENGTH.size
        yield message[at : at + size]
        at += size
