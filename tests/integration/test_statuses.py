"""Statuses that come early, twice or out of order never lose ticks nor move them back."""

import json
import time

from sqlalchemy import func, select

from atiende.actions import outbox, statuses
from atiende.db.models import EarlyStatus, Message
from atiende.emulator import payloads
from tests.integration.conftest import CUSTOMERS, World


async def _pending_reply(world: World) -> int:
    await world.online("agente1")
    agent = await world.login("agente1")
    await world.customer_writes(CUSTOMERS["maria"], "Hola")
    attention_id = (await agent.get("/api/agent/attentions")).json()["assigned"][0]["id"]
    await agent.post(f"/api/attentions/{attention_id}/open")
    sent = await agent.post(f"/api/attentions/{attention_id}/messages", json={"text": "Hola"})
    assert sent.status_code == 201
    return int(sent.json()["id"])


async def _status(world: World, wamid: str, status: str) -> None:
    body = payloads.status_webhook(world.business, CUSTOMERS["maria"], wamid, status, time.time())  # type: ignore[arg-type]
    response = await world.deliver(json.dumps(body).encode())
    assert response.status_code == 200, response.text


async def _message(world: World, message_id: int) -> Message:
    async with world.rt.work() as w:
        message = await w.session.get(Message, message_id)
        assert message is not None
        return message


async def _early_count(world: World) -> int:
    async with world.rt.work() as w:
        return int(await w.session.scalar(select(func.count()).select_from(EarlyStatus)) or 0)


async def test_status_before_its_wamid_is_applied_when_the_send_is_recorded(world: World) -> None:
    message_id = await _pending_reply(world)
    async with world.rt.work() as w:
        jobs = await outbox.claim(w)
    assert [j.message_id for j in jobs] == [message_id]
    await _status(world, "wamid.EARLY1", "sent")
    await _status(world, "wamid.EARLY1", "delivered")
    assert (await _message(world, message_id)).status == "pending"
    assert await _early_count(world) == 2
    async with world.rt.work() as w:
        await outbox.record_sent(w, jobs[0], "wamid.EARLY1")
    assert (await _message(world, message_id)).status == "delivered"
    assert await _early_count(world) == 0


async def test_the_sweep_applies_a_status_the_fast_path_missed(world: World) -> None:
    message_id = await _pending_reply(world)
    await _status(world, "wamid.LATE", "read")
    async with world.rt.work() as w:
        message = await w.session.get(Message, message_id)
        assert message is not None
        message.wa_message_id = "wamid.LATE"  # recorded without looking at early statuses
    async with world.rt.work() as w:
        assert await statuses.sweep_early(w) == 1
    assert (await _message(world, message_id)).status == "read"
    assert await _early_count(world) == 0


async def test_statuses_never_move_backwards_and_repeat_harmlessly(world: World) -> None:
    message_id = await _pending_reply(world)
    async with world.rt.work() as w:
        message = await w.session.get(Message, message_id)
        assert message is not None
        message.wa_message_id = "wamid.ORDER"
    for status in ("read", "delivered", "sent", "read"):
        await _status(world, "wamid.ORDER", status)
    assert (await _message(world, message_id)).status == "read"
    failed = payloads.failed_status_webhook(
        world.business,
        "wamid.ORDER",
        time.time(),
        payloads.undeliverable_error(),
        to=CUSTOMERS["maria"].phone,
        recipient=None,
    )
    await world.deliver(json.dumps(failed).encode())
    assert (await _message(world, message_id)).status == "read", "a read message cannot fail"


async def test_a_failed_status_shows_meta_reason(world: World) -> None:
    message_id = await _pending_reply(world)
    async with world.rt.work() as w:
        message = await w.session.get(Message, message_id)
        assert message is not None
        message.wa_message_id = "wamid.FAIL"
    await _status(world, "wamid.FAIL", "sent")
    failed = payloads.failed_status_webhook(
        world.business,
        "wamid.FAIL",
        time.time(),
        payloads.undeliverable_error(),
        to=CUSTOMERS["maria"].phone,
        recipient=None,
    )
    await world.deliver(json.dumps(failed).encode())
    message = await _message(world, message_id)
    assert message.status == "failed"
    assert message.error_code == 131026
    assert message.error_title


async def test_a_voice_note_listened_to_is_played(world: World) -> None:
    message_id = await _pending_reply(world)
    async with world.rt.work() as w:
        message = await w.session.get(Message, message_id)
        assert message is not None
        message.wa_message_id = "wamid.PLAY"
    for status in ("delivered", "read"):
        await _status(world, "wamid.PLAY", status)
    body = payloads.status_webhook(
        world.business, CUSTOMERS["maria"], "wamid.PLAY", "read", time.time()
    )
    body["entry"][0]["changes"][0]["value"]["statuses"][0]["status"] = "played"
    await world.deliver(json.dumps(body).encode())
    assert (await _message(world, message_id)).status == "played"
    await _status(world, "wamid.PLAY", "read")
    assert (await _message(world, message_id)).status == "played", "never backwards"
