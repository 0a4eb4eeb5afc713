"""The probe's findings that only a real server shows: bodies refused without being read
(the process does not grow), and sockets that obey their Origin and their session."""

import asyncio
import select
import socket
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.typing import Origin

from atiende.api.deps import CSRF_HEADER
from tests.procs import free_port, run, serving

MB = 1024 * 1024


@dataclass(frozen=True)
class Server:
    port: int
    pid: int
    database: Path
    env: dict[str, str]
    # Every client handed out, closed with the server (not left to the collector).
    clients: list[httpx.Client] = field(default_factory=list)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def login(self, username: str) -> httpx.Client:
        client = httpx.Client(base_url=self.base, timeout=20)
        self.clients.append(client)
        answer = client.post("/api/auth/login", json={"username": username, "password": username})
        assert answer.status_code == 200, answer.text
        client.headers[CSRF_HEADER] = answer.json()["csrf_token"]
        return client


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """`atiende serve` on a seeded demo database, alone (no Redis: one process)."""
    folder = tmp_path_factory.mktemp("security")
    database = folder / "demo.db"
    env = {
        "ATIENDE_DATABASE_URL": f"sqlite+aiosqlite:///{database}",
        "ATIENDE_MEDIA_DIR": str(folder / "media"),
        "ATIENDE_REDIS_URL": "",
    }
    run(["demo", "--seed-only"], env)
    port = free_port()
    health = [f"http://127.0.0.1:{port}/healthz"]
    with serving(["serve", "--port", str(port)], env, health, folder / "serve.log") as proc:
        running = Server(port, proc.pid, database, env)
        try:
            yield running
        finally:
            for client in running.clients:
                client.close()


def rss_bytes(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise AssertionError("no VmRSS")


def raw_request(server: Server, head: str) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", server.port), timeout=10)
    sock.sendall(head.encode() + b"\r\n")
    return sock


def status_of(sock: socket.socket) -> int:
    data = b""
    while b"\r\n" not in data:
        chunk = sock.recv(4096)
        if not chunk:
            break
        data += chunk
    return int(data.split(b" ", 2)[1])


def test_a_declared_oversized_body_is_refused_before_one_byte_is_sent(server: Server) -> None:
    for path, length, expected in (
        ("/webhooks/whatsapp", 300 * MB, 413),
        ("/api/auth/login", 2 * MB, 413),
        ("/api/attentions/1/media", 300 * MB, 413),
        # Under the upload limit, but anonymous: refused before the body is read.
        ("/api/attentions/1/media", 50 * MB, 401),
    ):
        sock = raw_request(
            server,
            f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\n"
            f"Content-Type: application/octet-stream\r\nContent-Length: {length}\r\n",
        )
        with sock:
            # Nothing of the body was sent: an answer now proves nothing waited for it.
            assert status_of(sock) == expected, path


def test_a_streamed_body_is_cut_at_the_limit_and_the_process_does_not_grow(
    server: Server,
) -> None:
    before = rss_bytes(server.pid)
    for path in ("/webhooks/whatsapp", "/api/attentions/1/media"):
        sock = raw_request(
            server,
            f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\n"
            "Content-Type: application/octet-stream\r\nTransfer-Encoding: chunked\r\n",
        )
        chunk = b"%x\r\n%s\r\n" % (64 * 1024, b"x" * 64 * 1024)
        sent = 0
        sock.settimeout(2)
        with sock:
            while sent < 300 * MB:
                if select.select([sock], [], [], 0)[0]:
                    break  # the server answered (and stopped reading)
                try:
                    sock.sendall(chunk)
                except (TimeoutError, OSError):
                    break  # nobody reads any more
                sent += len(chunk)
            sock.settimeout(10)
            status = status_of(sock)
        limit = 101 * MB if path.endswith("/media") else MB
        # 401 when the route refused first (anonymous upload); never the whole body.
        assert status in (401, 413), path
        # What the kernel's socket buffers took past the limit, at most.
        assert sent < limit + 16 * MB, (path, sent)
    growth = rss_bytes(server.pid) - before
    assert growth < 64 * MB, f"the process grew {growth / MB:.0f} MB"


def cookie_of(client: httpx.Client) -> str:
    return "; ".join(f"{name}={value}" for name, value in client.cookies.items())


async def test_a_socket_from_another_origin_is_refused(server: Server) -> None:
    agent = server.login("agente1")
    url = f"ws://127.0.0.1:{server.port}/api/ws"
    for origin in ("http://evil.example", "null", f"http://127.0.0.1:{free_port()}"):
        with pytest.raises(InvalidStatus) as refused:
            async with connect(
                url,
                origin=Origin(origin),
                additional_headers={"Cookie": cookie_of(agent)},
            ):
                pass
        assert refused.value.response.status_code == 403, origin
    async with connect(
        url,
        origin=Origin(server.base),
        additional_headers={"Cookie": cookie_of(agent)},
    ) as ws:
        assert '"hello"' in str(await asyncio.wait_for(ws.recv(), 5))


async def open_socket(server: Server, client: httpx.Client) -> ClientConnection:
    ws = await connect(
        f"ws://127.0.0.1:{server.port}/api/ws",
        origin=server.base,  # type: ignore[arg-type]
        additional_headers={"Cookie": cookie_of(client)},
    )
    assert '"hello"' in str(await asyncio.wait_for(ws.recv(), 5))
    return ws


async def closed_within(ws: ClientConnection, seconds: float) -> int:
    """The close code, if the server closed the socket within `seconds`."""
    deadline = time.monotonic() + seconds
    try:
        while True:
            await asyncio.wait_for(ws.recv(), max(deadline - time.monotonic(), 0.01))
    except ConnectionClosed as closed:
        assert closed.rcvd is not None
        return closed.rcvd.code
    except TimeoutError:
        pytest.fail(f"the socket was still open after {seconds} s")


async def pong_within(ws: ClientConnection, seconds: float) -> bool:
    """The socket still answers: a pong comes, after any event the server sent meanwhile
    (the agent's own status, told to every tab of his, may come first)."""
    deadline = time.monotonic() + seconds
    while (left := deadline - time.monotonic()) > 0:
        if '"pong"' in str(await asyncio.wait_for(ws.recv(), left)):
            return True
    return False


async def test_logout_closes_that_sessions_socket_and_only_it(server: Server) -> None:
    first, second = server.login("agente2"), server.login("agente2")
    doomed, other = await open_socket(server, first), await open_socket(server, second)
    started = time.monotonic()
    assert first.post("/api/auth/logout").status_code == 204
    assert await closed_within(doomed, 1.0) == 4401
    assert time.monotonic() - started < 2
    await other.send('{"type": "ping"}')
    assert await pong_within(other, 5)
    await other.close()
    second.post("/api/auth/logout")


async def test_deactivation_closes_every_socket_of_the_user(server: Server) -> None:
    agent, admin = server.login("agente1"), server.login("admin")
    ws = await open_socket(server, agent)
    user_id = agent.get("/api/auth/me").json()["user"]["id"]
    assert admin.post(f"/api/admin/users/{user_id}/deactivate").status_code == 200
    assert await closed_within(ws, 1.0) == 4401
    assert admin.post(f"/api/admin/users/{user_id}/reactivate").status_code == 200


async def test_deactivation_from_the_command_line_closes_sockets_too(server: Server) -> None:
    agent = server.login("agente1")
    ws = await open_socket(server, agent)
    await asyncio.to_thread(run, ["user", "deactivate", "--username", "agente1"], server.env)
    # No shared bus between the command and the server here: the sessions sweep (1 s) does it.
    assert await closed_within(ws, 2.5) == 4401
    await asyncio.to_thread(run, ["user", "reactivate", "--username", "agente1"], server.env)


async def test_a_socket_closes_when_its_session_expires(server: Server) -> None:
    agent = server.login("supervisor")
    soon = datetime.now(UTC) + timedelta(seconds=1.5)
    with sqlite3.connect(server.database) as db:
        db.execute(
            "UPDATE user_sessions SET expires_at = ? WHERE user_id = "
            "(SELECT id FROM users WHERE username = 'supervisor')",
            (soon.strftime("%Y-%m-%d %H:%M:%S.%f"),),
        )
    ws = await open_socket(server, agent)
    assert await closed_within(ws, 3.0) == 4401
