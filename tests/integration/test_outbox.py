"""The outbox against an emulator told to fail: 5xx and rate limits are retried with
backoff, later messages to the same customer wait their turn, failures Meta reports by
webhook show the agent Meta's reason in Spanish."""

import asyncio
from datetime import timedelta

from sqlalchemy import select, update

from atiende.db.models import Channel, Message, OutboxItem
from atiende.db.types import utcnow
from tests.integration.conftest import World
from tests.integration.test_transfers import open_for


async def say(agent, attention_id: int, text: str) -> int:  # type: ignore[no-untyped-def]
    sent = await agent.post(f"/api/attentions/{attention_id}/messages", json={"text": text})
    assert sent.status_code == 201, sent.text
    return int(sent.json()["id"])


async def fault(world: World, kind: str, count: int = 1) -> None:
    answer = await world.phone().post("/emulator/api/faults", json={"next": count, "kind": kind})
    assert answer.status_code == 200, answer.text


async def row(world: World, message_id: int) -> tuple[Message, OutboxItem]:
    async with world.rt.work() as w:
        message = await w.session.get(Message, message_id)
        item = await w.session.scalar(select(OutboxItem).where(OutboxItem.message_id == message_id))
        assert message is not None and item is not None
        return message, item


async def due_now(world: World) -> None:
    async with world.rt.work() as w:
        await w.session.execute(
            update(OutboxItem).values(next_attempt_at=utcnow() - timedelta(seconds=1))
        )


async def test_server_errors_and_rate_limits_are_retried_in_order(world: World) -> None:
    await world.online("agente1")
    agent, attention_id = await open_for(world, "agente1")
    await fault(world, "http_500")
    await fault(world, "http_429_130429")
    first = await say(agent, attention_id, "primero")
    second = await say(agent, attention_id, "segundo")

    await world.dispatch()  # 500: retried later; the second waits behind the first
    message, item = await row(world, first)
    assert item.state == "pending" and item.attempts == 1 and message.wa_message_id is None
    assert item.next_attempt_at > utcnow()
    _, waiting = await row(world, second)
    assert waiting.attempts == 0, "held back, not tried out of order"

    await due_now(world)
    await world.dispatch()  # 429 130429: rate limit, retried too
    _, item = await row(world, first)
    assert item.attempts == 2 and item.state == "pending"

    await due_now(world)
    await world.dispatch()
    chat = (await world.phone().get("/emulator/api/customers/maria/messages")).json()["messages"]
    assert [m["text"] for m in chat if m["direction"] == "outbound"] == ["primero", "segundo"]


async def test_failure_reported_by_webhook_shows_the_reason_in_spanish(world: World) -> None:
    sockets = await world.online("agente1")
    agent, attention_id = await open_for(world, "agente1")
    await fault(world, "131026")
    message_id = await say(agent, attention_id, "hola")
    await world.dispatch()
    for _ in range(100):
        await world.app.state.workers.early_statuses_once()  # the loop that applies them
        message, _ = await row(world, message_id)
        if message.status == "failed":
            break
        await asyncio.sleep(0.05)
    assert message.status == "failed" and message.error_code == 131026
    assert message.error_title and "entregar" in message.error_title
    failed = [e for e in sockets["agente1"].of_type("message.status") if e["status"] == "failed"]
    assert failed and failed[-1]["error"]["code"] == 131026


async def test_a_permanent_refusal_is_not_retried(world: World) -> None:
    await world.online("agente1")
    agent, attention_id = await open_for(world, "agente1")
    async with world.rt.work() as w:
        await w.session.execute(update(Channel).values(access_token="revoked"))
    message_id = await say(agent, attention_id, "hola")
    await world.dispatch()
    message, item = await row(world, message_id)
    assert item.state == "failed" and item.attempts == 1
    assert message.status == "failed" and message.error_code == 190
    assert message.error_title == "El token de acceso del canal no es válido o expiró."


async def test_a_send_that_times_out_is_retried(world: World) -> None:
    world.rt.settings.graph_timeout_seconds = 0.5
    await world.online("agente1")
    agent, attention_id = await open_for(world, "agente1")
    await fault(world, "timeout")
    message_id = await say(agent, attention_id, "¿sigue ahí?")
    await world.dispatch()
    message, item = await row(world, message_id)
    assert item.state == "pending" and item.attempts == 1 and message.wa_message_id is None
    assert "a tiempo" in (item.last_error or "")
    await world.phone().delete("/emulator/api/faults")
    await due_now(world)
    await world.dispatch()
    message, item = await row(world, message_id)
    assert item.state == "done" and message.wa_message_id


async def test_outside_the_window_meta_refuses_by_webhook_131047(world: World) -> None:
    await world.online("agente1")
    agent, attention_id = await open_for(world, "agente1")
    await fault(world, "131047")
    message_id = await say(agent, attention_id, "hola")
    await world.dispatch()
    for _ in range(100):
        await world.app.state.workers.early_statuses_once()
        message, _ = await row(world, message_id)
        if message.status == "failed":
            break
        await asyncio.sleep(0.05)
    assert message.status == "failed" and message.error_code == 131047
    assert message.error_title == (
        "Pasaron más de 24 horas desde el último mensaje del cliente: envíe una plantilla."
    )
