"""An envelope as it travels: its event encoded once, where it was published.

Every process and every socket gets the same text, so nothing downstream decodes and
re-encodes the event: a frame is its audience, the routing header's JSON and the event's JSON
as the browsers receive it, each after a newline (JSON never holds a raw one). On Redis one
message carries several frames (`pack`), each after its length: every process reads every
message, and a batch of assignments or deliveries is hundreds of events.

The audience comes first, in plain ASCII: whether the frame carries an order every process
must carry out (closing sessions, a wake-up), whether the staff room hears it, and its
recipients' ids. A process that holds none of their sockets skips the frame on that alone
(`audience`), without decoding the rest: most frames are for a socket one process holds.
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
        kind = _ORDERS if self.close_sessions or self.wake else _STAFF if self.staff else _EVENT
        audience = kind + ",".join(map(str, self.recipients)).encode()
        header = {
            "recipients": self.recipients,
            "staff": self.staff,
            "close_sessions": self.close_sessions,
            "wake": self.wake,
        }
        return audience + b"\n" + to_json(header) + b"\n" + (self.text or "").encode()

    @classmethod
    def decode(cls, data: bytes) -> "Frame":
        _, _, rest = data.partition(b"\n")
        head, _, text = rest.partition(b"\n")
        header = from_json(head)
        return cls(
            header["recipients"],
            header["staff"],
            header["close_sessions"],
            text.decode() or None,
            header["wake"],
        )


_ORDERS, _STAFF, _EVENT = b"!", b"s", b"-"


def audience(data: bytes) -> tuple[bool, list[int]] | None:
    """An encoded frame's staff flag and recipients, read without decoding the frame; None
    when it carries an order that every process carries out whoever it holds."""
    if data[:1] == _ORDERS:
        return None
    ids = data[1 : data.index(b"\n")]
    return data[:1] == _STAFF, [int(i) for i in ids.split(b",")] if ids else []


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
