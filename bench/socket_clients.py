"""A process holding many agent sockets for the connections benchmark.

Run by `bench.sockets` in a few processes (one Python process cannot read thousands of
sockets as fast as the server writes them). Each one opens its share of the sockets, says how
long each handshake took, then notes when every `queues` event arrives (the queued count
tells which webhook caused it), and on command closes them all and hands back what it saw.
"""

import asyncio
import contextlib
import json
import time
from multiprocessing.connection import Connection

from websockets.asyncio.client import ClientConnection, connect

# Handshakes in flight at once per process, as tabs reconnecting after a restart would be.
OPENING = 64


def run(url: str, tokens: list[str], campaign_id: int, pipe: Connection) -> None:
    asyncio.run(_run(url, tokens, campaign_id, pipe))


async def _run(url: str, tokens: list[str], campaign_id: int, pipe: Connection) -> None:
    arrivals: list[tuple[int, float]] = []
    handshakes: list[float] = []
    sockets: list[ClientConnection] = []
    readers: list[asyncio.Task[None]] = []
    failed = 0
    gate = asyncio.Semaphore(OPENING)
    marker = f'"campaign_id":{campaign_id},'

    async def listen(ws: ClientConnection) -> None:
        with contextlib.suppress(Exception):
            async for frame in ws:
                # Only the broadcast counts; decoding every frame would cost the client more.
                if isinstance(frame, str) and frame.startswith('{"type":"queues"'):
                    if marker in frame:
                        queued = json.loads(frame)["queues"][0]["queued"]
                        arrivals.append((queued, time.time()))

    async def open_one(token: str) -> None:
        nonlocal failed
        async with gate:
            started = time.perf_counter()
            try:
                ws = await connect(
                    url,
                    additional_headers={"Cookie": f"atiende_session={token}"},
                    ping_interval=None,
                    open_timeout=60,
                    max_queue=None,
                )
                hello = json.loads(await ws.recv())
                assert hello["type"] == "hello", hello
            except Exception:
                failed += 1
                return
            handshakes.append(time.perf_counter() - started)
            sockets.append(ws)
            readers.append(asyncio.create_task(listen(ws)))

    await asyncio.gather(*(open_one(t) for t in tokens))
    loop = asyncio.get_running_loop()
    pipe.send(("connected", handshakes, failed))
    await loop.run_in_executor(None, pipe.recv)  # the order to close
    await asyncio.gather(*(ws.close() for ws in sockets), return_exceptions=True)
    for task in readers:
        task.cancel()
    pipe.send(("closed", arrivals, time.process_time()))
