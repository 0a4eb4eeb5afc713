"""A burst against several app processes: many customers writing while agents log in,
change status, open, fill forms and end. Used by the concurrency test and `bench/`."""

import asyncio
import json
import random
import time
from dataclasses import dataclass, field
from typing import Any

import httpx
from websockets.asyncio.client import ClientConnection, connect

from atiende import demo
from atiende.channels.whatsapp.signature import HEADER, sign
from atiende.emulator import payloads
from atiende.emulator.config import Customer

BUSINESS = payloads.BusinessNumber(demo.WABA_ID, demo.PHONE_NUMBER_ID, demo.DISPLAY_PHONE)


@dataclass
class Figures:
    sent: int = 0
    webhook_seconds: list[float] = field(default_factory=list)
    webhook_errors: int = 0
    status_changes: int = 0
    opened: int = 0
    ended: int = 0
    elapsed: float = 0.0

    def percentile(self, p: float) -> float:
        values = sorted(self.webhook_seconds)
        return values[min(len(values) - 1, int(p * len(values)))] if values else 0.0


def customers(count: int) -> list[Customer]:
    return [
        Customer(
            key=f"c{i}",
            name=f"Cliente {i}",
            bsuid=f"MX.{7_000_000_000 + i}",
            phone=f"52155{i:08d}" if i % 4 else None,
            username=None if i % 4 else f"user{i}",
        )
        for i in range(count)
    ]


@dataclass
class Agent:
    username: str
    password: str
    client: httpx.AsyncClient
    socket: ClientConnection | None = None


async def login(urls: list[str], username: str, password: str, rng: random.Random) -> Agent:
    base = rng.choice(urls)
    client = httpx.AsyncClient(base_url=base, timeout=30)
    answer = await client.post("/api/auth/login", json={"username": username, "password": password})
    answer.raise_for_status()
    client.headers["X-CSRF-Token"] = answer.json()["csrf_token"]
    ws_base = rng.choice(urls).replace("http://", "ws://")
    cookie = f"atiende_session={answer.cookies['atiende_session']}"
    socket = await connect(f"{ws_base}/api/ws", additional_headers={"Cookie": cookie})
    return Agent(username, password, client, socket)


async def _drain(agent: Agent) -> None:
    """Read the socket so the server never blocks on a slow consumer."""
    assert agent.socket is not None
    try:
        async for _ in agent.socket:
            pass
    except Exception:  # the test closes it at the end
        return


async def _write(
    http: httpx.AsyncClient,
    urls: list[str],
    secret: str,
    customer: Customer,
    messages: int,
    figures: Figures,
    rng: random.Random,
) -> None:
    for n in range(messages):
        body = json.dumps(
            payloads.inbound_text_webhook(
                BUSINESS, customer, payloads.new_wamid(customer.bsuid), f"mensaje {n}", time.time()
            )
        ).encode()
        started = time.perf_counter()
        # Meta delivers again until it gets a 200; so does this, to any process.
        for _ in range(5):
            try:
                answer = await http.post(
                    f"{rng.choice(urls)}/webhooks/whatsapp",
                    content=body,
                    headers={HEADER: sign(body, secret), "Content-Type": "application/json"},
                )
                if answer.status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            figures.webhook_errors += 1
        figures.webhook_seconds.append(time.perf_counter() - started)
        figures.sent += 1
        await asyncio.sleep(rng.uniform(0, 0.05))


async def _work_desk(agent: Agent, figures: Figures, rng: random.Random, until: float) -> None:
    """An agent at work: status changes, opens what is his, fills the form, ends some."""
    while time.monotonic() < until:
        roll = rng.random()
        if roll < 0.15:
            status = rng.choice(["paused", "available", "available"])
            body: dict[str, Any] = {"status": status}
            if status == "paused":
                body["reason"] = "Pausa activa"
            if (await agent.client.put("/api/agent/status", json=body)).status_code == 200:
                figures.status_changes += 1
        else:
            desk = (await agent.client.get("/api/agent/attentions")).json()
            for item in desk.get("assigned", [])[:1]:
                if (
                    await agent.client.post(f"/api/attentions/{item['id']}/open")
                ).status_code == 200:
                    figures.opened += 1
            for item in desk.get("open", [])[:1]:
                if rng.random() < 0.5:
                    await agent.client.post(
                        f"/api/attentions/{item['id']}/form/submit",
                        json={"values": {"motivo": "Consulta", "documento": "1"}},
                    )
                    if (
                        await agent.client.post(f"/api/attentions/{item['id']}/end")
                    ).status_code == 200:
                        figures.ended += 1
        # A person clicks every second or so; the panel itself never polls (it listens).
        await asyncio.sleep(rng.uniform(0.3, 1.0))


# The least time the agents work beside the burst: its webhooks are answered in seconds now
# that they are applied after the answer, and the desks must still meet what they start.
DESK_SECONDS = 15.0


async def burst(
    urls: list[str],
    secret: str,
    agents: list[tuple[str, str]],
    customer_count: int,
    messages_per_customer: int,
    seed: int = 7,
) -> Figures:
    rng = random.Random(seed)
    figures = Figures()
    started = time.perf_counter()
    team = [await login(urls, u, p, rng) for u, p in agents]
    drains = [asyncio.create_task(_drain(a)) for a in team]
    limits = httpx.Limits(max_connections=40)
    async with httpx.AsyncClient(timeout=30, limits=limits) as http:
        until = time.monotonic() + 60
        desks = [asyncio.create_task(_work_desk(a, figures, rng, until)) for a in team]
        await asyncio.gather(
            *(
                _write(http, urls, secret, c, messages_per_customer, figures, rng)
                for c in customers(customer_count)
            )
        )
        # Answered is not yet applied: the inbox's processor and routing run after the 200s,
        # so the agents keep working a while longer, through what the burst still causes.
        await asyncio.sleep(max(0.0, started + DESK_SECONDS - time.perf_counter()))
        # On a loaded machine the processor and routing may still be behind: the desks go on
        # until they have met what the burst gave them (or their minute is up).
        for _ in range(int(max(0.0, until - time.monotonic()) / 0.5)):
            if figures.opened and figures.status_changes:
                break
            await asyncio.sleep(0.5)
        for task in desks:
            task.cancel()
        await asyncio.gather(*desks, return_exceptions=True)
    # Everyone back at work, so whatever is queued can flow before the checks.
    for agent in team:
        await agent.client.put("/api/agent/status", json={"status": "available"})
    figures.elapsed = time.perf_counter() - started
    await asyncio.sleep(2)
    for agent in team:
        if agent.socket is not None:
            await agent.socket.close()
        await agent.client.aclose()
    for task in drains:
        task.cancel()
    return figures
