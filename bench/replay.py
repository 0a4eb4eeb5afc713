"""Pre-signed webhook requests replayed open loop at a fixed rate over keep-alive connections.

The requests are built and signed before the clock starts, and written as raw HTTP/1.1 bytes:
an HTTP client library costs about a millisecond of CPU per request, which at 500/s on this
machine would take a core away from the server being measured. Each request leaves at its
scheduled time whether or not earlier ones were answered (a late one waits for a free
connection and its latency counts from the schedule, so a slow server shows as latency).
"""

import asyncio
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from atiende.channels.whatsapp.signature import HEADER, sign


def signed_request(url: str, body: bytes, secret: str) -> bytes:
    parts = urlsplit(url)
    head = (
        f"POST {parts.path} HTTP/1.1\r\n"
        f"Host: {parts.netloc}\r\n"
        "Content-Type: application/json\r\n"
        f"{HEADER}: {sign(body, secret)}\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


@dataclass
class Replayed:
    scheduled: list[float] = field(default_factory=list)  # wall clock (time.time) per request
    answered: list[float] = field(default_factory=list)  # seconds from schedule to answer
    failed: int = 0
    cpu_seconds: float = 0.0


async def replay(url: str, requests: list[bytes], rate: float, connections: int) -> Replayed:
    """Send `requests` in order, `rate` per second, over `connections` sockets."""
    parts = urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    out = Replayed(scheduled=[0.0] * len(requests))
    pending: asyncio.Queue[int | None] = asyncio.Queue()
    cpu_started = time.process_time()

    async def connection() -> None:
        reader, writer = await asyncio.open_connection(host, port)
        try:
            while (index := await pending.get()) is not None:
                writer.write(requests[index])
                head = await reader.readuntil(b"\r\n\r\n")
                length = 0
                for line in head.split(b"\r\n"):
                    if line.lower().startswith(b"content-length:"):
                        length = int(line.split(b":", 1)[1])
                await reader.readexactly(length)
                out.answered.append(time.time() - out.scheduled[index])
                if not head.startswith(b"HTTP/1.1 200"):
                    out.failed += 1
        finally:
            writer.close()

    workers = [asyncio.create_task(connection()) for _ in range(connections)]
    start = time.time() + 0.2
    for index in range(len(requests)):
        due = start + index / rate
        out.scheduled[index] = due
        delay = due - time.time()
        if delay > 0:
            await asyncio.sleep(delay)
        pending.put_nowait(index)
    for _ in workers:
        pending.put_nowait(None)
    await asyncio.gather(*workers)
    out.cpu_seconds = time.process_time() - cpu_started
    return out
