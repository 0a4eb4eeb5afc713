"""What the agent's lists show beyond the attentions he holds: the queue of his campaigns,
who waits there and since when, and in *Abiertas* the latest message and the customer's
unanswered wait."""

import uuid
from datetime import datetime
from typing import Any

import httpx
from sqlalchemy import select

from atiende.actions.queues import QUEUE_SHOWN
from atiende.db.models import Message
from atiende.emulator.config import Customer
from tests.integration.conftest import CUSTOMERS, FakeSocket, World


async def desk(client: httpx.AsyncClient) -> dict[str, Any]:
    response = await client.get("/api/agent/attentions")
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


def when(value: str) -> datetime:
    return datetime.fromisoformat(value)


async def test_the_queue_lists_who_waits_oldest_first_live(world: World) -> None:
    # Listening, but not touched for presence: he is offline, so nothing is assigned to him.
    socket = FakeSocket()
    world.rt.hub.add(world.users["agente1"].id, socket)  # type: ignore[arg-type]
    agent = await world.login("agente1")
    await world.customer_writes(CUSTOMERS["maria"], "Hola")
    await world.customer_writes(CUSTOMERS["juan"], "Buenas")

    ventas = next(q for q in (await desk(agent))["queues"] if q["campaign_name"] == "Ventas")
    assert ventas["queued"] == 2
    names = [item["customer"] for item in ventas["waiting"]]
    assert names == ["María González", "Juan Pérez"]
    assert when(ventas["waiting"][0]["queued_at"]) <= when(ventas["waiting"][1]["queued_at"])
    heard = [
        q
        for e in socket.of_type("queues")
        for q in e["queues"]
        if q["campaign_id"] == ventas["campaign_id"]
    ]
    assert [i["customer"] for i in heard[-1]["waiting"]] == names


async def test_a_long_queue_shows_its_oldest_and_counts_the_rest(world: World) -> None:
    agent = await world.login("agente1")
    for n in range(QUEUE_SHOWN + 3):
        customer = Customer(
            key=f"c{n}", name=f"Cliente {n:02d}", bsuid=f"PE.{n:020d}", phone=f"5190000{n:04d}"
        )
        response = await world.deliver(world.webhook_body(customer, "Hola"))
        assert response.status_code == 200, response.text

    [ventas] = [q for q in (await desk(agent))["queues"] if q["campaign_name"] == "Ventas"]
    assert ventas["queued"] == QUEUE_SHOWN + 3
    assert [i["customer"] for i in ventas["waiting"]] == [
        f"Cliente {n:02d}" for n in range(QUEUE_SHOWN)
    ]


async def test_open_shows_the_latest_message_and_the_unanswered_wait(world: World) -> None:
    await world.online("agente1")
    agent = await world.login("agente1")
    await world.customer_writes(CUSTOMERS["maria"], "Hola")
    await world.customer_writes(CUSTOMERS["maria"], "¿Tienen   envío\na Lima?")
    [held] = (await desk(agent))["assigned"]
    await agent.post(f"/api/attentions/{held['id']}/open")
    [opened] = (await desk(agent))["open"]
    async with world.rt.work() as w:
        first_sent = await w.session.scalar(
            select(Message.sent_at).where(Message.attention_id == held["id"]).order_by(Message.id)
        )
    assert first_sent is not None

    assert opened["last_message"]["direction"] == "in"
    assert opened["last_message"]["text"] == "¿Tienen envío a Lima?"
    assert when(opened["awaiting_reply_since"]) == first_sent

    sent = await agent.post(
        f"/api/attentions/{held['id']}/messages",
        json={"text": "Sí, a todo el país", "client_id": str(uuid.uuid4())},
    )
    assert sent.status_code == 201, sent.text
    [answered] = (await desk(agent))["open"]
    assert answered["awaiting_reply_since"] is None
    assert answered["last_message"]["direction"] == "out"
    assert answered["last_message"]["text"] == "Sí, a todo el país"

    await world.customer_writes(CUSTOMERS["maria"], "Gracias")
    [again] = (await desk(agent))["open"]
    assert again["awaiting_reply_since"] is not None
    # Meta dates it to the second; it came after the answer, whatever its fraction.
    answer_second = when(answered["last_message"]["at"]).replace(microsecond=0)
    assert when(again["awaiting_reply_since"]) >= answer_second
    assert again["last_message"]["text"] == "Gracias"
