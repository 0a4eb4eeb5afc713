"""The first end-to-end path through the API: queued, assigned, opened, replied, ended."""

import asyncio
import uuid
from typing import Any

import httpx
from sqlalchemy import select

from atiende.db.models import Attention, Message, User
from tests.integration.conftest import CUSTOMERS, World, end


async def desk(client: httpx.AsyncClient) -> dict[str, Any]:
    response = await client.get("/api/agent/attentions")
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


async def test_a_message_reaches_the_least_busy_agent_live(world: World) -> None:
    sockets = await world.online("agente1", "agente2")
    agent1 = await world.login("agente1")
    agent2 = await world.login("agente2")
    await world.customer_writes(CUSTOMERS["maria"], "Hola")
    await world.customer_writes(CUSTOMERS["juan"], "Buenas tardes")

    assigned1, assigned2 = (await desk(agent1))["assigned"], (await desk(agent2))["assigned"]
    assert len(assigned1) == 1 and len(assigned2) == 1, "least busy spreads one each"
    names = {assigned1[0]["customer"]["display_name"], assigned2[0]["customer"]["display_name"]}
    assert names == {"María González", "Juan Pérez"}
    assert assigned1[0]["campaign"]["name"] == "Ventas"
    for name in ("agente1", "agente2"):
        updates = sockets[name].of_type("attention.updated")
        assert updates and updates[-1]["attention"]["state"] == "assigned"
    await world.customer_writes(CUSTOMERS["maria"], "¿Siguen ahí?")
    maria_agent = "agente1" if assigned1[0]["customer"]["name"] == "María González" else "agente2"
    other = "agente2" if maria_agent == "agente1" else "agente1"
    heard = [e["message"]["text"] for e in sockets[maria_agent].of_type("message.created")]
    assert heard == ["¿Siguen ahí?"]
    assert sockets[other].of_type("message.created") == [], "nobody hears another's chat"


async def test_queued_until_an_agent_connects_then_assigned(world: World) -> None:
    await world.customer_writes(CUSTOMERS["maria"], "Hola")
    agent = await world.login("agente1")
    assert (await desk(agent))["assigned"] == []
    assert (await desk(agent))["queues"][-1]["queued"] == 1
    await world.online("agente1")
    async with world.rt.work() as w:
        from atiende.actions.routing import route_for

        await route_for(w, world.users["agente1"].id, world.app.state.workers.grace)
    assert len((await desk(agent))["assigned"]) == 1


async def test_open_reply_statuses_and_end(world: World) -> None:
    sockets = await world.online("agente1")
    agent = await world.login("agente1")
    await world.customer_writes(CUSTOMERS["maria"], "Hola")
    attention = (await desk(agent))["assigned"][0]

    opened = await agent.post(f"/api/attentions/{attention['id']}/open")
    assert opened.status_code == 200
    assert opened.json()["state"] == "open"
    assert (await desk(agent))["open"][0]["id"] == attention["id"]

    client_id = str(uuid.uuid4())
    sent = await agent.post(
        f"/api/attentions/{attention['id']}/messages",
        json={"text": "¡Hola María! ¿En qué le ayudo?", "client_id": client_id},
    )
    assert sent.status_code == 201, sent.text
    again = await agent.post(
        f"/api/attentions/{attention['id']}/messages",
        json={"text": "¡Hola María! ¿En qué le ayudo?", "client_id": client_id},
    )
    assert again.status_code == 200
    assert again.json()["id"] == sent.json()["id"], "a retried send is the same message"

    await world.dispatch()
    # The emulator answers with a wamid, then webhooks sent and delivered come back.
    conversation = await _phone(world, "maria")
    assert [m["text"] for m in conversation if m["direction"] == "outbound"] == [
        "¡Hola María! ¿En qué le ayudo?"
    ]
    await _until(world, lambda: _status(world, sent.json()["id"]), "delivered")
    read = await world.phone().post("/emulator/api/customers/maria/read")
    assert read.status_code == 200
    await _until(world, lambda: _status(world, sent.json()["id"]), "read")
    statuses = [e["status"] for e in sockets["agente1"].of_type("message.status")]
    # `sent` may race the recording of the wamid and be overtaken; ticks only ever go forward.
    order = ["sent", "delivered", "read"]
    assert statuses[-1] == "read"
    assert statuses == sorted(statuses, key=order.index)
    assert len(set(statuses)) == len(statuses)

    await world.customer_writes(CUSTOMERS["maria"], "Quiero saber mi saldo")
    messages = (await agent.get(f"/api/attentions/{attention['id']}/messages")).json()["messages"]
    assert [m["direction"] for m in messages] == ["in", "out", "in"]

    ended = await end(agent, attention["id"])
    assert ended.status_code == 200
    assert ended.json()["state"] == "closed"
    assert (await desk(agent))["open"] == []
    async with world.rt.work() as w:
        user = await w.session.get(User, world.users["agente1"].id)
        assert user is not None and user.active_count == 0

    await world.customer_writes(CUSTOMERS["maria"], "Otra consulta")
    async with world.rt.work() as w:
        attentions = (await w.session.scalars(select(Attention).order_by(Attention.id))).all()
        assert [a.state for a in attentions] == ["closed", "assigned"]


async def test_reply_to_a_customer_without_phone_goes_to_the_bsuid(world: World) -> None:
    await world.online("agente1")
    agent = await world.login("agente1")
    await world.customer_writes(CUSTOMERS["ana"], "Hola")
    attention = (await desk(agent))["assigned"][0]
    assert attention["customer"]["display_name"] == "Ana Ruiz"
    assert attention["customer"]["phone"] is None
    await agent.post(f"/api/attentions/{attention['id']}/open")
    sent = await agent.post(
        f"/api/attentions/{attention['id']}/messages", json={"text": "Hola Ana", "client_id": "a1"}
    )
    await world.dispatch()
    conversation = await _phone(world, "ana")
    assert [m["text"] for m in conversation if m["direction"] == "outbound"] == ["Hola Ana"]
    await _until(world, lambda: _status(world, sent.json()["id"]), "delivered")


async def test_capacity_holds_and_a_freed_slot_takes_the_oldest_queued(world: World) -> None:
    async with world.rt.work() as w:
        user = await w.session.get(User, world.users["agente1"].id)
        assert user is not None
        user.capacity = 1
    await world.online("agente1")
    agent = await world.login("agente1")
    await world.customer_writes(CUSTOMERS["maria"], "Hola")
    await world.customer_writes(CUSTOMERS["juan"], "Hola")
    view = await desk(agent)
    assert len(view["assigned"]) == 1
    assert view["queues"][-1]["queued"] == 1
    first = view["assigned"][0]["id"]
    await agent.post(f"/api/attentions/{first}/open")
    await end(agent, first)
    view = await desk(agent)
    assert [a["customer"]["display_name"] for a in view["assigned"]] == ["Juan Pérez"]


async def test_paused_agent_gets_nothing_new(world: World) -> None:
    await world.online("agente1")
    agent = await world.login("agente1")
    paused = await agent.put("/api/agent/status", json={"status": "paused", "reason": "Almuerzo"})
    assert paused.json()["status"] == "paused"
    await world.customer_writes(CUSTOMERS["maria"], "Hola")
    assert (await desk(agent))["assigned"] == []
    await agent.put("/api/agent/status", json={"status": "available"})
    assert len((await desk(agent))["assigned"]) == 1


async def test_empty_or_outside_window_sends_are_refused(world: World) -> None:
    await world.online("agente1")
    agent = await world.login("agente1")
    await world.customer_writes(CUSTOMERS["maria"], "Hola")
    attention = (await desk(agent))["assigned"][0]
    not_open = await agent.post(
        f"/api/attentions/{attention['id']}/messages", json={"text": "hola"}
    )
    assert not_open.status_code == 409
    await agent.post(f"/api/attentions/{attention['id']}/open")
    empty = await agent.post(f"/api/attentions/{attention['id']}/messages", json={"text": "  "})
    assert empty.status_code == 422
    async with world.rt.work() as w:
        row = await w.session.get(Attention, attention["id"])
        assert row is not None
        from datetime import timedelta

        assert row.window_ends_at is not None
        row.window_ends_at -= timedelta(hours=25)
    late = await agent.post(f"/api/attentions/{attention['id']}/messages", json={"text": "hola"})
    assert late.status_code == 409
    assert "24 horas" in late.json()["detail"]
    english = await agent.post(
        f"/api/attentions/{attention['id']}/messages",
        json={"text": "hola"},
        headers={"Accept-Language": "en"},
    )
    assert "24 hours" in english.json()["detail"]
    async with world.rt.work() as w:
        out = (await w.session.scalars(select(Message).where(Message.direction == "out"))).all()
        assert out == []


async def _phone(world: World, key: str) -> list[dict]:  # type: ignore[type-arg]
    response = await world.phone().get(f"/emulator/api/customers/{key}/messages")
    assert response.status_code == 200, response.text
    return response.json()["messages"]  # type: ignore[no-any-return]


async def _status(world: World, message_id: int) -> str:
    async with world.rt.work() as w:
        message = await w.session.get(Message, message_id)
        assert message is not None
        return message.status


async def _until(world: World, probe, expected: str, timeout: float = 5.0) -> None:  # type: ignore[no-untyped-def]
    """Statuses arrive by webhook on the emulator's own schedule: wait for them, bounded."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    value = None
    while loop.time() < deadline:
        # What the early-statuses loop does meanwhile: apply those that came before their wamid.
        await world.app.state.workers.early_statuses_once()
        value = await probe()
        if value == expected:
            return
        await asyncio.sleep(0.02)
    raise AssertionError(f"status stayed {value!r}, expected {expected!r}")


async def test_opening_marks_read_and_typing_shows_on_the_phone(world: World) -> None:
    await world.online("agente1")
    agent = await world.login("agente1")
    await world.customer_writes(CUSTOMERS["maria"], "Hola")
    attention = (await desk(agent))["assigned"][0]
    before = await _phone(world, "maria")
    assert [m["read_by_business"] for m in before if m["direction"] == "inbound"] == [False]
    await agent.post(f"/api/attentions/{attention['id']}/open")
    await asyncio.wait_for(asyncio.gather(*world.rt.background), timeout=5)
    after = await _phone(world, "maria")
    assert [m["read_by_business"] for m in after if m["direction"] == "inbound"] == [True]

    first = await agent.post(f"/api/attentions/{attention['id']}/typing")
    again = await agent.post(f"/api/attentions/{attention['id']}/typing")
    assert first.json() == {"sent": True} and again.json() == {"sent": False}, "once per 20 s"
    await asyncio.wait_for(asyncio.gather(*world.rt.background), timeout=5)
    chat = (await world.phone().get("/emulator/api/customers/maria/messages")).json()
    assert chat["business_typing"] is True
    other = await world.login("agente2")
    assert (await other.post(f"/api/attentions/{attention['id']}/typing")).status_code == 404
