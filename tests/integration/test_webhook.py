"""The webhook: handshake, signatures, idempotency, bad bodies kept."""

import json
from datetime import timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from atiende.actions import ingest, webhooks
from atiende.actions.work import Work
from atiende.channels.whatsapp.signature import HEADER, sign
from atiende.channels.whatsapp.webhook import Value
from atiende.db.models import Attention, Channel, Customer, Message, WebhookFailure
from tests.integration.conftest import APP_BASE, CUSTOMERS, World


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
    assert second.json() == {"stored": 0, "duplicates": 1, "statuses": 0, "kept": False}
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


async def failures(world: World) -> list[WebhookFailure]:
    async with world.rt.work() as w:
        return list(await w.session.scalars(select(WebhookFailure).order_by(WebhookFailure.id)))


def without_sender(world: World) -> dict[str, Any]:
    payload: dict[str, Any] = json.loads(
        world.webhook_body(CUSTOMERS["maria"], "¿Quién soy?", wamid="wamid.NOBODY")
    )
    value = payload["entry"][0]["changes"][0]["value"]
    for message in value["messages"]:
        message.pop("from", None)
        message.pop("from_user_id", None)
    value["contacts"] = []
    return payload


async def test_a_message_without_sender_is_kept_with_a_clear_error(world: World) -> None:
    body = json.dumps(without_sender(world)).encode()
    response = await world.deliver(body)
    assert response.status_code == 200
    assert response.json() == {"stored": 0, "duplicates": 0, "statuses": 0, "kept": True}
    kept = await failures(world)
    assert len(kept) == 1
    assert kept[0].body == body
    assert "wamid.NOBODY" in kept[0].error
    assert "sin remitente" in kept[0].error
    assert await count(world, Customer) == 0
    assert await count(world, Message) == 0


async def test_the_rest_of_a_delivery_is_stored_beside_a_message_without_sender(
    world: World,
) -> None:
    payload = without_sender(world)
    good = json.loads(world.webhook_body(CUSTOMERS["maria"], "Hola", wamid="wamid.GOOD"))
    value = payload["entry"][0]["changes"][0]["value"]
    value["messages"].append(good["entry"][0]["changes"][0]["value"]["messages"][0])
    value["contacts"] = good["entry"][0]["changes"][0]["value"]["contacts"]
    response = await world.deliver(json.dumps(payload).encode())
    assert response.status_code == 200
    assert response.json()["stored"] == 1
    assert response.json()["kept"] is True
    assert await count(world, Message) == 1
    assert len(await failures(world)) == 1


async def test_any_failure_while_ingesting_is_rolled_back_kept_and_answered_200(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = ingest.ingest_value

    async def half_then_fail(
        w: Work, channel: Channel, value: Value, presence_grace: timedelta
    ) -> ingest.IngestResult:
        await real(w, channel, value, presence_grace)
        raise RuntimeError("boom after storing")

    monkeypatch.setattr(ingest, "ingest_value", half_then_fail)
    body = world.webhook_body(CUSTOMERS["maria"], "Hola")
    response = await world.deliver(body)
    assert response.status_code == 200
    assert response.json()["kept"] is True
    kept = await failures(world)
    assert len(kept) == 1
    assert kept[0].body == body
    assert kept[0].channel_id is not None
    assert "RuntimeError: boom after storing" in kept[0].error
    # What the failed delivery had written before it raised is gone.
    assert await count(world, Message) == 0
    assert await count(world, Attention) == 0
    assert await count(world, Customer) == 0


async def test_a_failing_delivery_with_a_bad_signature_is_still_401_and_not_kept(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def fail(*_args: object) -> ingest.IngestResult:
        raise RuntimeError("never reached")

    monkeypatch.setattr(ingest, "ingest_value", fail)
    body = world.webhook_body(CUSTOMERS["maria"], "Hola")
    response = await world.deliver(body, secret="not-the-secret")
    assert response.status_code == 401
    assert await failures(world) == []


async def test_only_when_keeping_fails_too_does_meta_get_a_5xx(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def fail(*_args: object) -> None:
        raise RuntimeError("database down")

    monkeypatch.setattr(ingest, "ingest_value", fail)
    monkeypatch.setattr(webhooks, "do_keep", fail)
    body = world.webhook_body(CUSTOMERS["maria"], "Hola")
    transport = httpx.ASGITransport(app=world.app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url=APP_BASE) as client:
        response = await client.post(
            "/webhooks/whatsapp",
            content=body,
            headers={HEADER: sign(body, world.info.app_secret)},
        )
    assert response.status_code == 500
