"""The webhook: handshake, signatures, idempotency, bad bodies kept."""

import json

from sqlalchemy import func, select

from atiende.db.models import Attention, Message, WebhookFailure
from tests.integration.conftest import CUSTOMERS, World


async def count(world: World, model: type) -> int:
    async with world.rt.work() as w:
        return int(await w.session.scalar(select(func.count()).select_from(model)) or 0)


async def test_handshake_answers_the_challenge_only_with_the_verify_token(world: World) -> None:
    c = world.client()
    ok = await c.get(
        "/webhooks/whatsapp",
        params={
            "hub.mode": "subscribe",
            "hub.verify_token": world.info.verify_token,
            "hub.challenge": "1158201444",
        },
    )
    assert ok.status_code == 200
    assert ok.text == "1158201444"
    bad = await c.get(
        "/webhooks/whatsapp",
        params={"hub.mode": "subscribe", "hub.verify_token": "nope", "hub.challenge": "1"},
    )
    assert bad.status_code == 403


async def test_wrong_signature_is_refused_and_stores_nothing(world: World) -> None:
    body = world.webhook_body(CUSTOMERS["maria"], "Hola")
    response = await world.deliver(body, secret="not-the-secret")
    assert response.status_code == 401
    unsigned = await world.client().post("/webhooks/whatsapp", content=body)
    assert unsigned.status_code == 401
    assert await count(world, Message) == 0
    assert await count(world, Attention) == 0
    assert await count(world, WebhookFailure) == 0


async def test_a_delivery_twice_stores_one_message(world: World) -> None:
    body = world.webhook_body(CUSTOMERS["maria"], "Hola", wamid="wamid.TWICE")
    first = await world.deliver(body)
    second = await world.deliver(body)
    assert first.json()["stored"] == 1
    assert second.json() == {"stored": 0, "duplicates": 1, "statuses": 0}
    assert await count(world, Message) == 1


async def test_signed_but_unparseable_body_is_kept_and_reported(world: World) -> None:
    body = b'{"object": "whatsapp_business_account", "entry": [{"changes": [{"value": 42}]}]}'
    response = await world.deliver(body)
    assert response.status_code == 200
    assert await count(world, Message) == 0
    admin = await world.login("admin")
    kept = (await admin.get("/api/admin/webhook-failures")).json()
    assert len(kept) == 1
    assert kept[0]["body"] == body.decode()
    assert "ilegible" in kept[0]["error"]
    agent = await world.login("agente1")
    assert (await agent.get("/api/admin/webhook-failures")).status_code == 403


async def test_not_json_at_all_is_kept_too(world: World) -> None:
    response = await world.deliver(b"\x00\xffnot json")
    assert response.status_code == 200
    assert await count(world, WebhookFailure) == 1


async def test_unknown_number_signed_with_a_known_secret_is_kept(world: World) -> None:
    payload = json.loads(world.webhook_body(CUSTOMERS["maria"], "Hola"))
    payload["entry"][0]["changes"][0]["value"]["metadata"]["phone_number_id"] = "999"
    response = await world.deliver(json.dumps(payload).encode())
    assert response.status_code == 200
    assert await count(world, Message) == 0
    assert await count(world, WebhookFailure) == 1


async def test_bsuid_only_customer_is_stored_without_phone(world: World) -> None:
    await world.customer_writes(CUSTOMERS["ana"], "Hola, soy Ana")
    async with world.rt.work() as w:
        attention = await w.session.scalar(select(Attention))
        assert attention is not None
        assert attention.customer.phone is None
        assert attention.customer.bsuid == CUSTOMERS["ana"].bsuid
        assert attention.customer.username == "ana.ruiz"
