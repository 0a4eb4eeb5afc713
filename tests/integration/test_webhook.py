"""The webhook: handshake, signatures, idempotency, bad bodies kept."""

import asyncio
import json
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from atiende.actions import inbox, ingest
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
    assert first.json() == second.json() == {"received": True}
    assert await count(world, Message) == 1
    processed = world.rt.metrics.processed
    assert processed.labels("stored")._value.get() == 1
    assert processed.labels("duplicate")._value.get() == 1


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
    assert response.json() == {"received": True}
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
    assert await count(world, Message) == 1
    assert len(await failures(world)) == 1


async def test_any_failure_while_ingesting_is_rolled_back_kept_and_answered_200(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = ingest.ingest_value

    async def half_then_fail(
        w: Work,
        channel: Channel,
        value: Value,
        result: ingest.IngestResult,
        lookups: ingest.Lookups | None = None,
    ) -> None:
        await real(w, channel, value, result, lookups)
        raise RuntimeError("boom after storing")

    monkeypatch.setattr(ingest, "ingest_value", half_then_fail)
    body = world.webhook_body(CUSTOMERS["maria"], "Hola")
    response = await world.deliver(body)
    assert response.status_code == 200
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


async def test_only_when_the_inbox_cannot_commit_does_meta_get_a_5xx(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def fail(*_args: object) -> None:
        raise RuntimeError("database down")

    # The group commit's insert: `add_committed` on PostgreSQL, `add` on SQLite.
    monkeypatch.setattr(inbox, "add", fail)
    monkeypatch.setattr(inbox, "add_committed", fail)
    body = world.webhook_body(CUSTOMERS["maria"], "Hola")
    transport = httpx.ASGITransport(app=world.app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url=APP_BASE) as client:
        response = await client.post(
            "/webhooks/whatsapp",
            content=body,
            headers={HEADER: sign(body, world.info.app_secret)},
        )
    assert response.status_code == 500
    monkeypatch.undo()
    await world.processed()
    assert await count(world, Message) == 0
    assert await failures(world) == []


async def post(world: World, body: bytes, secret: str | None = None) -> httpx.Response:
    """A delivery answered, and nothing applied by this call."""
    return await world.client().post(
        "/webhooks/whatsapp",
        content=body,
        headers={HEADER: sign(body, secret or world.info.app_secret)},
    )


async def test_deliveries_that_arrive_together_commit_together_and_apply_in_one_batch(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    commits: list[int] = []
    committed: list[bytes] = []
    # The group commit's insert: `add_committed` on PostgreSQL, `add` on SQLite.
    for name in ("add", "add_committed"):
        real = getattr(inbox, name)

        async def counted(
            conn: AsyncConnection,
            deliveries: Sequence[tuple[bytes, str]],
            real: Callable[..., Awaitable[None]] = real,
        ) -> None:
            commits.append(len(deliveries))
            committed.extend(body for body, _ in deliveries)
            await real(conn, deliveries)

        monkeypatch.setattr(inbox, name, counted)
    await world.app.state.workers.stop()  # the batch is applied by hand below, whole
    world.app.state.workers.inbox_batch_seconds = None
    names = ["maria", "ana", "juan"]
    bodies = [
        world.webhook_body(CUSTOMERS[names[i % 3]], f"Hola {i}", wamid=f"wamid.G{i}")
        for i in range(30)
    ]
    bodies[7] = b"\x00 not json"
    answers = await asyncio.gather(*(post(world, b) for b in bodies))
    assert [a.status_code for a in answers] == [200] * 30
    assert sum(commits) == 30 and len(commits) < 30, commits
    assert await count(world, Message) == 0, "nothing is applied in the request"
    assert await world.app.state.workers.apply_inbox() == 30
    assert await count(world, Message) == 29
    assert len(await failures(world)) == 1, "one bad body kept, the batch goes on"
    async with world.rt.work() as w:
        stored = list(
            await w.session.execute(
                select(Customer.bsuid, Message.text)
                .join(Attention, Message.attention_id == Attention.id)
                .join(Customer, Attention.customer_id == Customer.id)
                .order_by(Message.id)
            )
        )
    # Each customer's messages stored in the order they were made durable.
    texts = [
        json.loads(b)["entry"][0]["changes"][0]["value"]["messages"][0]["text"]["body"]
        for b in committed
        if b != bodies[7]
    ]
    for name in names:
        bsuid = CUSTOMERS[name].bsuid
        mine = [t for t in texts if int(t.split()[1]) % 3 == names.index(name)]
        assert [t for b, t in stored if b == bsuid] == mine
    assert await world.app.state.workers.apply_inbox() == 0


async def test_a_secret_replaced_after_the_answer_admits_nothing_it_signed(world: World) -> None:
    old = world.info.app_secret
    await world.app.state.workers.stop()  # answered before the edit, applied after it
    assert (await post(world, world.webhook_body(CUSTOMERS["maria"], "Hola"))).status_code == 200
    admin = await world.login("admin")
    async with world.rt.work() as w:
        channel_id = await w.session.scalar(select(Channel.id))
    edited = await admin.patch(
        f"/api/admin/channels/{channel_id}", json={"app_secret": "nuevo-secreto-largo"}
    )
    assert edited.status_code == 200, edited.text
    # This process forgot the old secret at once; other processes when the bus tells them.
    later = world.webhook_body(CUSTOMERS["maria"], "Otra vez")
    assert (await post(world, later, secret=old)).status_code == 401
    await world.processed()
    assert await count(world, Message) == 0
    kept = await failures(world)
    assert len(kept) == 1 and "ya no tiene ningún canal" in kept[0].error
    fresh = world.webhook_body(CUSTOMERS["maria"], "Con el nuevo")
    assert (await world.deliver(fresh, secret="nuevo-secreto-largo")).status_code == 200
    assert await count(world, Message) == 1
