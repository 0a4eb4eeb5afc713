"""Events written as prebuilt frames to the transport of uvicorn's sockets (`realtime/direct`):
through a real server and real clients, the same messages in the same order as through the
ASGI send, and a socket that stops reading closed once too far behind, as any other."""

import asyncio
import contextlib
import socket
from collections.abc import AsyncIterator
from typing import Any

import pytest
import uvicorn
from starlette.websockets import WebSocket, WebSocketDisconnect
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed
from websockets.frames import Frame as WsFrame
from websockets.frames import Opcode

from atiende.realtime.direct import DirectProtocol, direct_of, text_frame
from atiende.realtime.hub import BEHIND, CLOSE_BEHIND, CLOSE_UNAUTHENTICATED, Hub
from atiende.realtime.wire import Frame
from tests.procs import free_port

# A short text, one with a 16-bit length and one with a 64-bit length.
TEXTS = ["é" * 10, "ñ" * 200, "x" * 70_000]


class Served:
    """One hub behind uvicorn as `atiende serve` runs it: user 1 connects by `/direct`,
    user 2 by `/asgi` (the hub not told of the transport)."""

    def __init__(self) -> None:
        self.hub = Hub()
        self.port = free_port()
        self.offered: dict[int, bool] = {}
        self.joined = asyncio.Event()

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "websocket":
            return
        ws = WebSocket(scope, receive, send)
        user = 1 if scope["path"] == "/direct" else 2
        direct = direct_of(ws.scope)
        self.offered[user] = direct is not None
        await ws.accept()
        self.hub.add(user, ws, f"session-{user}", direct=direct if user == 1 else None)
        self.joined.set()
        try:
            while True:
                await ws.receive_text()
        except WebSocketDisconnect:
            pass
        finally:
            self.hub.remove(user, ws)

    def deliver(self, text: str, *users: int) -> None:
        self.hub.deliver(Frame(list(users), False, [], text))

    async def connect(self, path: str, **options: Any) -> ClientConnection:
        self.joined.clear()
        client = await connect(f"ws://127.0.0.1:{self.port}{path}", **options)
        await asyncio.wait_for(self.joined.wait(), 5)
        return client


@pytest.fixture
async def served() -> AsyncIterator[Served]:
    app = Served()
    config = uvicorn.Config(
        app,
        host="127.0.0.1",
        port=app.port,
        ws=DirectProtocol,
        ws_per_message_deflate=False,
        log_level="warning",
        # uvicorn's own logging setup would stay for the tests after this one.
        log_config=None,
    )
    server = uvicorn.Server(config)
    serving = asyncio.create_task(server.serve())
    async with asyncio.timeout(5):
        while not server.started:
            if serving.done():
                serving.result()
            await asyncio.sleep(0.01)
    try:
        yield app
    finally:
        server.should_exit = True
        await serving


def test_a_prebuilt_frame_is_the_one_the_websockets_library_builds() -> None:
    for text in TEXTS:
        built = WsFrame(Opcode.TEXT, text.encode()).serialize(mask=False, extensions=[])
        assert text_frame(text) == built


async def test_direct_writes_bring_the_same_messages_in_the_same_order(served: Served) -> None:
    direct = await served.connect("/direct", max_size=None)
    asgi = await served.connect("/asgi", max_size=None)
    assert served.offered == {1: True, 2: True}
    sent = [f"{n}:{TEXTS[n % 3]}" for n in range(30)]
    for text in sent:
        served.deliver(text, 1, 2)
    got_direct = [await direct.recv() for _ in sent]
    got_asgi = [await asgi.recv() for _ in sent]
    assert got_direct == sent and got_asgi == sent
    await direct.close()
    await asgi.close()


async def test_a_socket_that_stops_reading_is_closed_behind_after_what_it_was_written(
    served: Served,
) -> None:
    # A small receive window, and a client that buffers one message before it stops reading.
    raw = socket.socket()
    raw.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    raw.connect(("127.0.0.1", served.port))
    raw.setblocking(False)
    stalled = await served.connect("/direct", sock=raw, max_size=None, max_queue=1)
    text = "y" * 30_000
    n = 0
    while served.hub.connected_users() and n < 20 * BEHIND:
        served.deliver(f"{n}:{text}", 1)
        n += 1
        if n % 50 == 0:
            await asyncio.sleep(0)  # the transport writes what the kernel takes meanwhile
    assert served.hub.connected_users() == [], "dropped once BEHIND frames waited"
    got: list[str] = []
    with contextlib.suppress(ConnectionClosed):
        while True:
            got.append(str(await stalled.recv()))
    assert got == [f"{k}:{text}" for k in range(len(got))], "a prefix, in order"
    assert n - len(got) >= BEHIND
    assert stalled.close_code == CLOSE_BEHIND


async def test_a_session_closed_through_the_hub_closes_a_direct_socket(served: Served) -> None:
    client = await served.connect("/direct")
    served.deliver("before", 1)
    served.hub.deliver(Frame([1], False, ["session-1"], None))
    assert await client.recv() == "before"
    with pytest.raises(ConnectionClosed):
        await client.recv()
    assert client.close_code == CLOSE_UNAUTHENTICATED
    assert served.hub.connected_users() == []
