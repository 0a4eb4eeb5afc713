"""A socket's handshake is a few statements on indexes, however long the queues are: tabs
reconnect by the thousand after a restart, and each one's handshake must stay cheap."""

import asyncio
import json
from typing import Any

import pytest
from sqlalchemy import update

from atiende.api.deps import COOKIE
from atiende.db.models import CampaignMember, User
from tests.history_seed import counting
from tests.integration.conftest import CUSTOMERS, World

# Session, user, presence touch (and SQLite's BEGIN IMMEDIATE, which the listener sees).
MOST = 4


class Socket:
    """The ASGI side of a browser's socket, driven in process: what the route sends is kept,
    and the browser hangs up when told to."""

    def __init__(self, app: Any, cookie: str) -> None:
        self.app = app
        self.cookie = cookie
        self.sent: list[dict[str, Any]] = []
        self.incoming: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self.task: asyncio.Task[None] | None = None
        self.frame = asyncio.Event()

    async def open(self) -> dict[str, Any]:
        scope = {
            "type": "websocket",
            "asgi": {"version": "3.0"},
            "scheme": "ws",
            "path": "/api/ws",
            "raw_path": b"/api/ws",
            "query_string": b"",
            "root_path": "",
            "headers": [(b"host", b"app.localhost"), (b"cookie", self.cookie.encode())],
            "client": ("127.0.0.1", 50000),
            "server": ("app.localhost", 80),
            "subprotocols": [],
        }
        self.incoming.put_nowait({"type": "websocket.connect"})
        self.task = asyncio.create_task(self.app(scope, self.incoming.get, self._send))
        async with asyncio.timeout(10):
            while not any(m["type"] == "websocket.send" for m in self.sent):
                self.frame.clear()
                await self.frame.wait()
        return json.loads(next(m["text"] for m in self.sent if m["type"] == "websocket.send"))  # type: ignore[no-any-return]

    async def _send(self, message: dict[str, Any]) -> None:
        self.sent.append(message)
        self.frame.set()

    async def hang_up(self) -> None:
        self.incoming.put_nowait({"type": "websocket.disconnect", "code": 1000})
        assert self.task is not None
        await asyncio.wait_for(self.task, 10)


@pytest.mark.parametrize(
    ("status", "before_offline", "most"),
    [
        ("available", None, MOST),
        # Made offline by presence while away: back to available, recorded, orphan clocks
        # stopped, and the staff room's view of him (his row and campaigns): five more, by
        # key, routing still left to the loop.
        ("offline", "available", MOST + 5),
    ],
)
async def test_a_handshake_is_a_few_statements_with_a_long_queue_it_cannot_take_from(
    world: World, status: str, before_offline: str | None, most: int
) -> None:
    agente1 = world.users["agente1"].id
    # Every slot taken: before, each handshake probed the queue in vain.
    async with world.rt.work() as w:
        await w.session.execute(
            update(User)
            .where(User.id == agente1)
            .values(status=status, status_before_offline=before_offline, capacity=0)
        )
        await w.session.execute(
            update(CampaignMember).where(CampaignMember.user_id == agente1).values(capacity=0)
        )
    for customer in list(CUSTOMERS.values())[:4]:
        await world.customer_writes(customer, "Hola")
    agent = await world.login("agente1")
    async with world.rt.work() as w:  # logging in made him available: as he was, again
        await w.session.execute(
            update(User)
            .where(User.id == agente1)
            .values(status=status, status_before_offline=before_offline)
        )
    await world.without_background_processor()
    cookie = f"{COOKIE}={agent.cookies[COOKIE]}"
    socket = Socket(world.app, cookie)
    with counting(world.rt) as statements:
        hello = await socket.open()
    assert hello["type"] == "hello" and hello["user"]["username"] == "agente1"
    assert len(statements) <= most, "\n".join(s[:90] for s in statements)
    assert world.rt.hub.connected_users() == [agente1]
    await socket.hang_up()
    assert world.rt.hub.connected_users() == []


async def test_a_socket_of_an_available_agent_wakes_the_routing(world: World) -> None:
    """His free slots are filled by the routing loop, not inside his handshake."""
    agente1 = world.users["agente1"].id
    async with world.rt.work() as w:
        await w.session.execute(update(User).where(User.id == agente1).values(status="available"))
    agent = await world.login("agente1")
    world.rt.routing_wakeup.clear()
    socket = Socket(world.app, f"{COOKIE}={agent.cookies[COOKIE]}")
    await socket.open()
    assert world.rt.routing_wakeup.is_set()
    await socket.hang_up()
