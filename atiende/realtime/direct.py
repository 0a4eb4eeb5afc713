"""Events written to agents' sockets as prebuilt frames, past the ASGI send.

Sending one text through Starlette and uvicorn costs a coroutine per layer, a frame built by
the websockets protocol object and a join, for every socket: at thousands of sockets that is
most of an event's fan-out. A server's frame is not masked and, without compression, is the
same bytes for every socket, so the hub builds it once per event (`text_frame`) and hands it
to each socket's transport. uvicorn's sans-I/O protocol is extended (`DirectProtocol`, what
`atiende serve` runs) to offer that write to the app through the scope; under any other
server the hub sends through ASGI as before.
"""

import asyncio
import struct
from collections.abc import Mapping
from typing import Any, Protocol, cast

from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol
from websockets.http11 import Request

# The scope's extension under which a socket offers its direct writes.
EXTENSION = "atiende.direct"

_FIN_TEXT = 0x81


def text_frame(text: str) -> bytes:
    """`text` as one unmasked, uncompressed, final text frame (RFC 6455, 5.2)."""
    payload = text.encode()
    size = len(payload)
    if size < 126:
        head = struct.pack("!BB", _FIN_TEXT, size)
    elif size < 1 << 16:
        head = struct.pack("!BBH", _FIN_TEXT, 126, size)
    else:
        head = struct.pack("!BBQ", _FIN_TEXT, 127, size)
    return head + payload


class DirectWrites(Protocol):
    """What the hub needs of a socket to write to it directly."""

    # Set while the transport's buffer is under its high-water mark.
    writable: asyncio.Event
    # The same, the other way round, as a plain attribute: read for every write of a
    # fan-out, where an Event is two more objects to fetch per socket.
    paused: bool

    def write_frames(self, data: bytes) -> bool: ...

    def close_now(self, code: int) -> None: ...


def direct_of(scope: Mapping[str, Any]) -> DirectWrites | None:
    extensions = scope.get("extensions") or {}
    found: DirectWrites | None = extensions.get(EXTENSION)
    return found


class DirectProtocol(WebSocketsSansIOProtocol):
    paused = False

    def pause_writing(self) -> None:
        super().pause_writing()
        self.paused = True

    def resume_writing(self) -> None:
        super().resume_writing()
        self.paused = False

    def handle_connect(self, event: Request) -> None:
        super().handle_connect(event)
        # Only a plain socket: a negotiated extension (compression) changes the frames.
        if self.response.status_code == 101 and not self.conn.extensions:
            extensions = cast(dict[str, Any], self.scope["extensions"])
            extensions[EXTENSION] = self

    def write_frames(self, data: bytes) -> bool:
        """Write whole frames after whatever was written before; False once the socket is
        closing or gone, when nothing more may be sent on it."""
        if (
            self.close_sent
            or self.disconnected
            or not self.handshake_complete
            or self.initial_response is not None
            or self.transport.is_closing()
        ):
            return False
        self.transport.write(data)
        return True

    def close_now(self, code: int) -> None:
        """Close without waiting for the buffer to drain, as an ASGI close would: the close
        frame goes after the frames already buffered, and a peer that takes none of it in
        `close_timeout` is cut off rather than held with its buffer."""
        if self.close_sent or self.disconnected or self.transport.is_closing():
            return
        self.queue.put_nowait({"type": "websocket.disconnect", "code": code, "reason": ""})
        self.conn.send_close(code)
        self.transport.write(b"".join(self.conn.data_to_send()))
        self.close_sent = True
        if self.read_paused:
            self.read_paused = False
            self.transport.resume_reading()
        self.close_timer = self.loop.call_later(self.close_timeout, self.transport.abort)
