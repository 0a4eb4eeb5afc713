"""Failures on demand: Graph sends that fail as Meta's do, webhooks delivered twice or with
statuses out of order."""

import asyncio
import dataclasses
import time
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from atiende.emulator import EmulatorConfig, create_app
from atiende.emulator.recorder import WebhookRecorder
from tests.integration.test_emulator_app import (
    AUTH,
    MESSAGES,
    SECRET,
    FakeClock,
    World,
    config,
)

MARIA_PHONE = "5215512345678"
FAULTS = "/emulator/api/faults"


async def start(settings: EmulatorConfig) -> tuple[FastAPI, WebhookRecorder]:
    recorder = WebhookRecorder(SECRET)
    app = create_app(settings, webhook_transport=httpx.ASGITransport(recorder.app))
    return app, recorder


@pytest.fixture
def settings() -> EmulatorConfig:
    return dataclasses.replace(config(), fault_hold_seconds=30.0, reorder_hold_seconds=5.0)


@pytest.fixture
async def world(settings: EmulatorConfig) -> AsyncIterator[World]:
    app, recorder = await start(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app)
        async with httpx.AsyncClient(transport=transport, base_url="http://emulator.test") as c:
            yield World(c, recorder, FakeClock())


async def fault(world: World, kind: str, count: int = 1) -> dict[str, Any]:
    response = await world.emulator.post(FAULTS, json={"next": count, "kind": kind})
    assert response.status_code == 200, response.text
    answer: dict[str, Any] = response.json()
    return answer


def failed_statuses(world: World) -> list[dict[str, Any]]:
    return [
        s
        for r in world.app.accepted()
        for s in r.value.get("statuses", [])
        if s["status"] == "failed"
    ]


@pytest.mark.parametrize(
    ("kind", "http_status", "code"),
    [("http_500", 500, 2), ("http_429_130429", 429, 130429), ("131056", 400, 131056)],
)
async def test_the_next_sends_fail_then_sending_works_again(
    world: World, kind: str, http_status: int, code: int
) -> None:
    await world.customer_writes("maria")
    assert (await fault(world, kind, 2))["pending"] == [kind, kind]

    first = await world.business_sends(to=MARIA_PHONE)
    second = await world.business_sends(to=MARIA_PHONE)
    third = await world.business_sends(to=MARIA_PHONE)

    for failed in (first, second):
        assert failed.status_code == http_status
        error = failed.json()["error"]
        assert (error["code"], error["type"]) == (code, "OAuthException")
        assert error["fbtrace_id"]
    assert third.status_code == 200
    messages = (await world.conversation("maria"))["messages"]
    assert len(messages) == 2, "a refused send leaves nothing on the phone"
    assert (await world.emulator.get(FAULTS)).json()["pending"] == []


@pytest.mark.parametrize("code", ["131047", "131026"])
async def test_webhook_faults_accept_the_send_then_fail_it(world: World, code: str) -> None:
    await world.customer_writes("maria")
    await fault(world, code)

    response = await world.business_sends(to=MARIA_PHONE, biz_opaque_callback_data="o-1")

    assert response.status_code == 200
    wamid = response.json()["messages"][0]["id"]
    await world.app.wait_for(2)
    [failed] = failed_statuses(world)
    assert (failed["id"], failed["errors"][0]["code"]) == (wamid, int(code))
    assert failed["biz_opaque_callback_data"] == "o-1"
    assert failed["recipient_id"] == MARIA_PHONE
    last = (await world.conversation("maria"))["messages"][-1]
    assert (last["status"], last["error_code"]) == ("failed", int(code))


async def test_faults_queue_up_in_order_and_mark_read_is_not_affected(world: World) -> None:
    inbound = (await world.customer_writes("maria"))["id"]
    await fault(world, "http_500")
    await fault(world, "131056")

    mark = {"messaging_product": "whatsapp", "status": "read", "message_id": inbound}
    assert (await world.emulator.post(MESSAGES, json=mark, headers=AUTH)).status_code == 200
    codes = [(await world.business_sends(to=MARIA_PHONE)).status_code for _ in range(3)]

    assert codes == [500, 400, 200]


async def test_a_timeout_holds_the_request_until_the_faults_are_cleared(world: World) -> None:
    await world.customer_writes("maria")
    await fault(world, "timeout")

    held = asyncio.create_task(world.business_sends(to=MARIA_PHONE))
    for _ in range(100):
        await asyncio.sleep(0.01)
        if (await world.emulator.get(FAULTS)).json()["held"] == 1:
            break
    assert not held.done()
    started = time.monotonic()
    cleared = await world.emulator.delete(FAULTS)
    response = await asyncio.wait_for(held, 2)

    assert cleared.json() == {"pending": [], "released": 1}
    assert time.monotonic() - started < 1
    assert response.status_code == 503
    assert len((await world.conversation("maria"))["messages"]) == 1, "it was not sent"
    assert (await world.business_sends(to=MARIA_PHONE)).status_code == 200


@pytest.mark.parametrize("settings", [dataclasses.replace(config(), fault_hold_seconds=0.2)])
async def test_a_timeout_gives_up_after_the_hold(
    world: World,
    settings: EmulatorConfig,  # noqa: ARG001 (parametrizes the emulator the world starts)
) -> None:
    await world.customer_writes("maria")
    await fault(world, "timeout")
    started = time.monotonic()

    response = await world.business_sends(to=MARIA_PHONE)

    assert time.monotonic() - started >= 0.2
    assert response.status_code == 503


async def test_unknown_fault_kinds_and_counts_are_refused(world: World) -> None:
    assert (await world.emulator.post(FAULTS, json={"kind": "boom"})).status_code == 422
    assert (
        await world.emulator.post(FAULTS, json={"next": 0, "kind": "http_500"})
    ).status_code == 422


async def test_reset_clears_faults_and_delivery_modes(world: World) -> None:
    await fault(world, "http_500", 3)
    await world.emulator.post("/emulator/api/delivery", json={"duplicate": True, "reorder": True})

    await world.emulator.post("/emulator/api/reset")

    assert (await world.emulator.get(FAULTS)).json()["pending"] == []
    modes = (await world.emulator.get("/emulator/api/delivery")).json()
    assert modes == {"duplicate": False, "reorder": False}


# --- delivery modes ---------------------------------------------------------------------------


async def test_duplicate_delivers_every_webhook_twice_signed(world: World) -> None:
    modes = await world.emulator.post("/emulator/api/delivery", json={"duplicate": True})
    assert modes.json() == {"duplicate": True, "reorder": False}

    answer = await world.customer_writes("maria", "Hola")

    assert answer["attempts"] == 1
    received = await world.app.wait_for(2)
    assert received[0].body == received[1].body
    assert all(r.signed_correctly for r in received)
    log = (await world.emulator.get("/emulator/api/webhooks")).json()
    assert log[-1]["duplicated"] is True

    await world.emulator.post("/emulator/api/delivery", json={"duplicate": False})
    await world.customer_writes("maria", "Otra vez")
    await asyncio.sleep(0.05)
    assert len(world.app.received) == 3


async def test_reorder_sends_the_status_before_its_message_and_read_before_delivered(
    world: World,
) -> None:
    await world.customer_writes("maria")
    await world.emulator.post("/emulator/api/delivery", json={"reorder": True})

    response = await world.business_sends(to=MARIA_PHONE)

    wamid = response.json()["messages"][0]["id"]
    # The app had the `sent` status before the answer that names the message reached it.
    assert world.app.statuses() == [(wamid, "sent")]
    read = await world.emulator.post("/emulator/api/customers/maria/read")
    assert read.json() == {"read": [wamid]}
    await world.app.wait_for(4)
    assert world.app.statuses() == [(wamid, "sent"), (wamid, "read"), (wamid, "delivered")]
    last = (await world.conversation("maria"))["messages"][-1]
    assert last["status"] == "read", "the late `delivered` does not undo the read on the phone"


@pytest.mark.parametrize("settings", [dataclasses.replace(config(), reorder_hold_seconds=0.05)])
async def test_reorder_without_a_read_still_delivers(
    world: World,
    settings: EmulatorConfig,  # noqa: ARG001 (parametrizes the emulator the world starts)
) -> None:
    await world.customer_writes("maria")
    await world.emulator.post("/emulator/api/delivery", json={"reorder": True})

    wamid = (await world.business_sends(to=MARIA_PHONE)).json()["messages"][0]["id"]

    await world.app.wait_for(3)
    assert world.app.statuses() == [(wamid, "sent"), (wamid, "delivered")]
