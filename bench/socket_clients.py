"""A process holding many agent sockets for the connections benchmark.

Run by `bench.sockets` in a few processes. Each one opens its share of the sockets, says how
long each handshake took, then notes when every `queues` event arrives (the queued count
tells which webhook caused it), and on command closes them all and hands back what it saw.

A socket here is a bare asyncio protocol that reads the server's frames itself: a full client
library's reader (a task woken per frame, a frame object, a queue) costs the four processes
more CPU than the server spends writing, on the same two cores, and the figure would be the
client's. A frame's arrival is the time its bytes were read from the socket.
"""

import asyncio
import base64
import contextlib
import gc
import os
import re
import struct
import time
from array import array
from multiprocessing.connection import Connection
from typing import cast
from urllib.parse import urlsplit

import uvloop

# Handshakes in flight at once per process, as tabs reconnecting after a restart would be.
OPENING = 64
CLOSE_SECONDS = 10.0

_TEXT, _CLOSE, _PING = 0x1, 0x8, 0x9
_PONG = 0xA
# The campaign's count, read after its id: decoding the whole event (its queue's longest
# waiting customers along) cost the clients more per frame than the server's write.
_QUEUED = re.compile(rb'"queued":(\d+)')


def run(url: str, tokens: list[str], campaign_id: int, pipe: Connection) -> None:
    # uvloop, as the server runs: the clients share its two cores, and asyncio's own loop
    # spent more CPU reading the frames than the server spent writing them.
    uvloop.run(_run(url, tokens, campaign_id, pipe))


def masked(opcode: int, payload: bytes) -> bytes:
    """A client's frame (RFC 6455 5.3: always masked); only small control frames here."""
    mask = os.urandom(4)
    body = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
    return struct.pack("!BB", 0x80 | opcode, 0x80 | len(payload)) + mask + body


class Arrivals:
    """Which count arrived when, as numbers only: a pair per frame would be objects for the
    collector to go over while frames wait to be read."""

    def __init__(self) -> None:
        self.queued = array("q")
        self.at = array("d")


class Socket(asyncio.Protocol):
    def __init__(self, request: bytes, marker: bytes, arrivals: Arrivals) -> None:
        self._request = request
        self._marker = marker
        self._arrivals = arrivals
        self._buffer = bytearray()
        self._upgraded = False
        self.closing = False
        self.transport: asyncio.Transport | None = None
        self.hello: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.closed: asyncio.Future[int] = asyncio.get_running_loop().create_future()

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        # uvloop's transports are not asyncio's classes, only of their kind.
        self.transport = cast(asyncio.Transport, transport)
        self.transport.write(self._request)

    def connection_lost(self, exc: Exception | None) -> None:
        if not self.hello.done():
            self.hello.set_exception(ConnectionError(f"closed before the hello: {exc}"))
        if not self.closed.done():
            self.closed.set_result(1006)

    def close(self) -> None:
        if self.transport is not None and not self.closed.done():
            self.closing = True
            self.transport.write(masked(_CLOSE, struct.pack("!H", 1000)))

    def data_received(self, data: bytes) -> None:
        now = time.time()
        buf = self._buffer
        buf += data
        if not self._upgraded:
            end = buf.find(b"\r\n\r\n")
            if end < 0:
                return
            if not buf.startswith(b"HTTP/1.1 101"):
                self.hello.set_exception(ConnectionError(bytes(buf[:end]).decode()))
                return
            del buf[: end + 4]
            self._upgraded = True
        at = 0
        while len(buf) - at >= 2:
            size = buf[at + 1] & 0x7F
            head = 2
            if size == 126:
                head = 4
                if len(buf) - at < head:
                    break
                (size,) = struct.unpack_from("!H", buf, at + 2)
            elif size == 127:
                head = 10
                if len(buf) - at < head:
                    break
                (size,) = struct.unpack_from("!Q", buf, at + 2)
            if len(buf) - at < head + size:
                break
            opcode = buf[at] & 0x0F
            payload = bytes(buf[at + head : at + head + size])
            at += head + size
            self._frame(opcode, payload, now)
        del buf[:at]

    def _frame(self, opcode: int, payload: bytes, now: float) -> None:
        if opcode == _TEXT:
            if not self.hello.done():
                assert payload.startswith(b'{"type":"hello"'), payload[:80]
                self.hello.set_result(None)
            # Only the broadcast counts; decoding every frame would cost the client more.
            elif payload.startswith(b'{"type":"queues"'):
                at = payload.find(self._marker)
                found = _QUEUED.search(payload, at) if at >= 0 else None
                if found is not None:
                    self._arrivals.queued.append(int(found[1]))
                    self._arrivals.at.append(now)
        elif opcode == _PING and self.transport is not None:
            self.transport.write(masked(_PONG, payload))
        elif opcode == _CLOSE and not self.closed.done():
            code = struct.unpack_from("!H", payload)[0] if len(payload) >= 2 else 1005
            self.closed.set_result(code)
            if self.transport is not None:
                if not self.closing:
                    self.transport.write(masked(_CLOSE, payload[:2]))
                self.transport.close()


async def _run(url: str, tokens: list[str], campaign_id: int, pipe: Connection) -> None:
    arrivals = Arrivals()
    handshakes: list[float] = []
    sockets: list[Socket] = []
    failed = 0
    gate = asyncio.Semaphore(OPENING)
    marker = f'"campaign_id":{campaign_id},'.encode()
    parts = urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    loop = asyncio.get_running_loop()

    def request(token: str) -> bytes:
        key = base64.b64encode(os.urandom(16)).decode()
        return (
            f"GET {parts.path} HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\n"
            f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
            f"Cookie: atiende_session={token}\r\n\r\n"
        ).encode()

    async def open_one(token: str) -> None:
        nonlocal failed
        async with gate:
            started = time.perf_counter()
            try:
                _, sock = await loop.create_connection(
                    lambda: Socket(request(token), marker, arrivals), host, port
                )
                await asyncio.wait_for(sock.hello, timeout=60)
            except Exception:
                failed += 1
                return
            handshakes.append(time.perf_counter() - started)
            sockets.append(sock)

    await asyncio.gather(*(open_one(t) for t in tokens))
    # What the sockets hold stays for the run: the collector's passes over it would hold up
    # the reading of frames (and the figures) while the server is not to blame.
    gc.freeze()
    pipe.send(("connected", handshakes, failed))
    cpu = time.process_time()
    await loop.run_in_executor(None, pipe.recv)  # the order to close
    cpu = time.process_time() - cpu
    # Closed by the server before the order (1013: fell behind): counted, not hidden.
    dropped = [s.closed.result() for s in sockets if s.closed.done()]
    for sock in sockets:
        sock.close()
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(asyncio.gather(*(s.closed for s in sockets)), CLOSE_SECONDS)
    for sock in sockets:
        if sock.transport is not None:
            sock.transport.close()
    pipe.send(("closed", list(zip(arrivals.queued, arrivals.at, strict=True)), cpu, dropped))
