"""The app in process on a real database, the emulator wired to it over ASGI."""

import asyncio
import json
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
import pytest_asyncio
from fastapi import FastAPI
from sqlalchemy import select

from atiende import demo
from atiende.actions import audit
from atiende.api.app import create_app
from atiende.api.deps import CSRF_HEADER
from atiende.channels.whatsapp.signature import HEADER, sign
from atiende.config import Settings
from atiende.db.models import User
from atiende.emulator import payloads
from atiende.emulator.app import create_app as create_emulator
from atiende.emulator.config import Customer, EmulatorConfig, demo_customers
from atiende.runtime import Runtime
from tests.pg import fresh_database

# A loopback name: cookies are `Secure` by default anywhere else, and this is plain http.
APP_BASE = "http://app.localhost"
EMULATOR_BASE = "http://emulator.test"


class FakeSocket:
    """Stands where a browser's WebSocket would: the hub sends it text, we read it back."""

    def __init__(self) -> None:
        self.sent: list[dict[str, Any]] = []

    async def send_text(self, text: str) -> None:
        self.sent.append(json.loads(text))

    def of_type(self, kind: str) -> list[dict[str, Any]]:
        return [e for e in self.sent if e["type"] == kind]


@dataclass
class World:
    app: FastAPI
    rt: Runtime
    emulator: FastAPI
    info: demo.DemoInfo
    users: dict[str, User]
    clients: list[httpx.AsyncClient] = field(default_factory=list)

    @property
    def business(self) -> payloads.BusinessNumber:
        return payloads.BusinessNumber(
            self.info.waba_id, self.info.phone_number_id, self.info.display_phone_number
        )

    def client(self) -> httpx.AsyncClient:
        c = httpx.AsyncClient(transport=httpx.ASGITransport(app=self.app), base_url=APP_BASE)
        self.clients.append(c)
        return c

    async def login(self, username: str) -> httpx.AsyncClient:
        c = self.client()
        r = await c.post("/api/auth/login", json={"username": username, "password": username})
        assert r.status_code == 200, r.text
        c.headers[CSRF_HEADER] = r.json()["csrf_token"]
        return c

    async def online(self, *usernames: str) -> dict[str, FakeSocket]:
        """These users have a live socket: touched for presence and listening in the hub."""
        from atiende.actions import presence

        sockets = {}
        for name in usernames:
            sockets[name] = FakeSocket()
            self.rt.hub.add(self.users[name].id, sockets[name])  # type: ignore[arg-type]
        for name in usernames:
            async with self.rt.work() as w:
                await presence.touch(w, self.users[name].id)
                user = await w.session.get(User, self.users[name].id)
                assert user is not None
                if user.status == "offline":
                    # As logging in does: a connected agent is ready unless he pauses.
                    user.status = "available"
        return sockets

    async def route(self) -> None:
        """What the routing loop does in the background (woken by a delivery, among others):
        in tests it runs when a customer's message was delivered and when a test asks."""
        await self.app.state.workers.route_once()

    async def timers(self) -> None:
        """What the timers loop does in the background."""
        await self.app.state.workers.timers_once()

    async def processed(self) -> None:
        """What the inbox's processor does in the background: every delivery answered 200 so
        far is applied (or kept) when this returns. Deliveries are only durable at their 200;
        whoever reads what one changed waits for this first."""
        deadline = asyncio.get_running_loop().time() + 60
        while (applied := await self.app.state.workers.apply_inbox()) != 0:
            if applied is None:  # the background processor's turn: it ends with its batch
                assert asyncio.get_running_loop().time() < deadline, "the turn was never free"
                await asyncio.sleep(0.01)

    async def without_background_processor(self) -> None:
        """For a test that counts statements: the background processor's poll (every second,
        on its own connection) would otherwise be counted with the request's. Deliveries are
        still applied by `processed`, which `deliver` and the phone call."""
        await self.app.state.workers.stop_processor()

    async def early_statuses(self) -> None:
        """What the early-statuses loop does in the background: a status that arrived before
        its message's wamid was recorded is applied once it is."""
        await self.app.state.workers.early_statuses_once()

    def webhook_body(self, customer: Customer, text: str, wamid: str | None = None) -> bytes:
        import time

        payload = payloads.inbound_text_webhook(
            self.business, customer, wamid or payloads.new_wamid(customer.bsuid), text, time.time()
        )
        return json.dumps(payload).encode()

    async def deliver(self, body: bytes, secret: str | None = None) -> httpx.Response:
        """Post a signed delivery as Meta does, then let the processor apply it."""
        signature = sign(body, secret or self.info.app_secret)
        response = await self.client().post(
            "/webhooks/whatsapp",
            content=body,
            headers={HEADER: signature, "Content-Type": "application/json"},
        )
        await self.processed()
        await self.route()
        return response

    def phone(self) -> httpx.AsyncClient:
        """The emulator's control API, as the phone page uses it. What the phone sent has
        reached the app and been applied when each call returns."""

        async def applied(_response: httpx.Response) -> None:
            await self.processed()

        c = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=self.emulator),
            base_url=EMULATOR_BASE,
            event_hooks={"response": [applied]},
        )
        self.clients.append(c)
        return c

    async def customer_writes(self, customer: Customer, text: str) -> None:
        """The customer writes on the emulator's phone; it sends Meta's signed webhook."""
        response = await self.phone().post(
            f"/emulator/api/customers/{customer.key}/messages", json={"text": text}
        )
        assert response.status_code == 200, response.text
        assert response.json()["delivered_to_app"], response.text
        await self.route()

    async def dispatch(self) -> None:
        """Run the outbox once, as the background loop would."""
        await self.app.state.workers.dispatch_once()


CUSTOMERS = {c.key: c for c in demo_customers()}

SAMPLE = {
    "text": "ABC-123",
    "long_text": "Detalle de prueba",
    "number": 42,
    "date": "2026-11-25",
    "checkbox": True,
    "phone": "+5215512345678",
    "email": "cliente@example.com",
}


async def complete_form(client: httpx.AsyncClient, attention_id: int) -> dict[str, Any]:
    """Fill every required field of the current form with a valid value and submit it."""
    state = (await client.get(f"/api/attentions/{attention_id}/form")).json()
    values: dict[str, Any] = {}
    for f in state["form"]["fields"] if state["form"] else []:
        if not f["required"]:
            continue
        if f["type"] == "select":
            values[f["key"]] = f["options"][0]
        elif f["type"] == "multi_select":
            values[f["key"]] = f["options"][:1]
        else:
            values[f["key"]] = SAMPLE[f["type"]]
    response = await client.post(
        f"/api/attentions/{attention_id}/form/submit", json={"values": values}
    )
    assert response.status_code == 200, response.text
    return values


async def end(client: httpx.AsyncClient, attention_id: int) -> httpx.Response:
    """Ending as an agent does it: the form first, then *Terminar atención*."""
    await complete_form(client, attention_id)
    return await client.post(f"/api/attentions/{attention_id}/end")


@pytest_asyncio.fixture
async def world(settings: Settings) -> AsyncIterator[World]:
    app = create_app(settings, run_workers=False)
    async with app.router.lifespan_context(app):
        rt: Runtime = app.state.runtime
        app.state.workers.start_processor()
        async with rt.work() as w:
            info = await demo.seed(w, graph_base_url=EMULATOR_BASE, app_secret="s3cret")
            users = {u.username: u for u in await w.session.scalars(select(User))}
        config = EmulatorConfig(
            app_webhook_url=f"{APP_BASE}/webhooks/whatsapp",
            app_secret=info.app_secret,
            access_token=info.access_token,
            phone_number_id=info.phone_number_id,
            display_phone_number=info.display_phone_number,
            waba_id=info.waba_id,
            status_delay_seconds=0.0,
            retry_base_seconds=0.01,
            # Retries stay frequent in tests (Meta's schedule caps the pause at an hour).
            retry_max_seconds=0.2,
        )
        emulator = create_emulator(config, webhook_transport=httpx.ASGITransport(app=app))
        async with emulator.router.lifespan_context(emulator):
            await rt.http.aclose()
            rt.http = httpx.AsyncClient(transport=httpx.ASGITransport(app=emulator))
            world = World(app=app, rt=rt, emulator=emulator, info=info, users=users)
            try:
                yield world
                # Whatever the test did, the invariants still hold afterwards.
                async with rt.work() as w:
                    assert await audit.problems(w) == []
            finally:
                for c in world.clients:
                    await c.aclose()


@pytest.fixture(params=["sqlite", "postgres"])
def empty_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database with no schema at all, for tests that run the migrations themselves."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'empty.db'}"
        return
    with fresh_database("atiende_empty") as url:
        yield url
