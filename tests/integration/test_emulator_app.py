"""The emulator app end to end in process: Graph API, control API, webhooks to a recorder."""

import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from atiende.emulator import EmulatorConfig, create_app
from atiende.emulator.recorder import WebhookRecorder

SECRET = "emulator-app-secret"
TOKEN = "EAAG-test-token"
PHONE_NUMBER_ID = "106540352242922"
MESSAGES = f"/v23.0/{PHONE_NUMBER_ID}/messages"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
MARIA = ("maria", "5215512345678", "MX.48210937561028374650")
ANA_BSUID = "AR.13491208655302741918"


class FakeClock:
    def __init__(self) -> None:
        self.now = time.time()

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@dataclass
class World:
    emulator: httpx.AsyncClient
    app: WebhookRecorder
    clock: FakeClock

    async def customer_writes(self, key: str, text: str = "Hola") -> dict[str, Any]:
        response = await self.emulator.post(
            f"/emulator/api/customers/{key}/messages", json={"text": text}
        )
        assert response.status_code == 200, response.text
        answer: dict[str, Any] = response.json()
        return answer

    async def business_sends(self, **fields: Any) -> httpx.Response:
        body = {
            "messaging_product": "whatsapp",
            "type": "text",
            "text": {"body": "¿En qué le ayudo?"},
        }
        return await self.emulator.post(MESSAGES, json=body | fields, headers=AUTH)

    async def conversation(self, key: str) -> dict[str, Any]:
        response = await self.emulator.get(f"/emulator/api/customers/{key}/messages")
        assert response.status_code == 200
        conversation: dict[str, Any] = response.json()
        return conversation


def config() -> EmulatorConfig:
    return EmulatorConfig(
        app_webhook_url="http://app.test/webhooks/whatsapp",
        app_secret=SECRET,
        access_token=TOKEN,
        phone_number_id=PHONE_NUMBER_ID,
        display_phone_number="15550783881",
        waba_id="102290129340398",
        status_delay_seconds=0.01,
        retry_base_seconds=0.01,
        retry_max_seconds=0.02,
        retry_window_seconds=0.05,
    )


@pytest.fixture
async def world() -> AsyncIterator[World]:
    recorder = WebhookRecorder(SECRET)
    clock = FakeClock()
    app: FastAPI = create_app(
        config(), webhook_transport=httpx.ASGITransport(recorder.app), clock=clock
    )
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://emulator.test"
        ) as client:
            yield World(client, recorder, clock)


# --- Graph API: authentication and addressing ---------------------------------------------


@pytest.mark.parametrize(
    "headers", [{}, {"Authorization": "Bearer wrong"}, {"Authorization": TOKEN}]
)
async def test_a_missing_or_wrong_token_is_refused_like_graph(
    world: World, headers: dict[str, str]
) -> None:
    response = await world.emulator.post(MESSAGES, json={}, headers=headers)

    assert response.status_code == 401
    error = response.json()["error"]
    assert (error["code"], error["type"]) == (190, "OAuthException")
    assert "invalid_token" in response.headers["WWW-Authenticate"]


async def test_the_token_may_come_as_a_query_parameter(world: World) -> None:
    await world.customer_writes("maria")
    body = {"messaging_product": "whatsapp", "to": MARIA[1], "text": {"body": "Hola"}}

    response = await world.emulator.post(f"{MESSAGES}?access_token={TOKEN}", json=body)

    assert response.status_code == 200


async def test_an_unknown_phone_number_id_is_an_unknown_object(world: World) -> None:
    response = await world.emulator.post("/v23.0/999/messages", json={}, headers=AUTH)

    assert response.status_code == 400
    error = response.json()["error"]
    assert (error["code"], error["error_subcode"]) == (100, 33)


async def test_a_body_that_is_not_json_is_an_invalid_parameter(world: World) -> None:
    response = await world.emulator.post(MESSAGES, content=b"{nope", headers=AUTH)

    assert response.status_code == 400
    assert response.json()["error"]["code"] == 100


# --- the customer writes --------------------------------------------------------------------


async def test_a_customer_text_reaches_the_app_signed_in_meta_shape(world: World) -> None:
    answer = await world.customer_writes("maria", "Quiero saber de mi pedido")

    assert answer["delivered_to_app"] is True
    [received] = world.app.received
    assert received.signed_correctly
    payload = received.payload
    assert payload["object"] == "whatsapp_business_account"
    assert payload["entry"][0]["id"] == "102290129340398"
    assert payload["entry"][0]["changes"][0]["field"] == "messages"
    value = received.value
    assert value["metadata"] == {
        "display_phone_number": "15550783881",
        "phone_number_id": PHONE_NUMBER_ID,
    }
    assert value["contacts"] == [
        {"profile": {"name": "María González"}, "wa_id": MARIA[1], "user_id": MARIA[2]}
    ]
    [message] = value["messages"]
    assert message["id"] == answer["id"]
    assert (message["from"], message["from_user_id"]) == (MARIA[1], MARIA[2])
    assert message["text"] == {"body": "Quiero saber de mi pedido"}
    assert message["timestamp"] == str(int(world.clock.now))


async def test_a_phoneless_customer_is_named_by_bsuid_only(world: World) -> None:
    await world.customer_writes("ana")

    value = world.app.received[0].value
    assert value["contacts"] == [
        {"profile": {"name": "Ana Ruiz", "username": "ana.ruiz"}, "user_id": ANA_BSUID}
    ]
    assert "from" not in value["messages"][0]
    assert value["messages"][0]["from_user_id"] == ANA_BSUID


async def test_the_app_failing_then_answering_gets_the_same_webhook_again(world: World) -> None:
    world.app.answer(500)

    answer = await world.customer_writes("maria")

    assert (answer["delivered_to_app"], answer["attempts"]) == (True, 2)
    assert [r.answered for r in world.app.received] == [500, 200]
    assert world.app.received[0].body == world.app.received[1].body


async def test_the_emulator_says_when_it_gave_up(world: World) -> None:
    world.app.answer(*[500] * 50)  # more than fit in the (compressed) retry window

    answer = await world.customer_writes("maria")

    assert answer["delivered_to_app"] is False
    assert answer["gave_up"] is True
    assert answer["last_error"] == "HTTP 500"
    [message] = (await world.conversation("maria"))["messages"]
    assert message["delivery"] == "failed"


async def test_without_wait_the_send_returns_before_delivery(world: World) -> None:
    response = await world.emulator.post(
        "/emulator/api/customers/juan/messages?wait=false", json={"text": "Hola"}
    )

    assert response.json()["delivered_to_app"] is None
    await world.app.wait_for(1)


# --- the business answers ---------------------------------------------------------------------


async def test_a_reply_by_phone_goes_sent_then_delivered_then_read(world: World) -> None:
    await world.customer_writes("maria")

    response = await world.business_sends(to="+52 1 55 1234 5678")

    assert response.status_code == 200
    body = response.json()
    wamid = body["messages"][0]["id"]
    assert body == {
        "messaging_product": "whatsapp",
        "contacts": [{"input": "+52 1 55 1234 5678", "wa_id": MARIA[1]}],
        "messages": [{"id": wamid}],
    }
    await world.app.wait_for(3)
    assert world.app.statuses() == [(wamid, "sent"), (wamid, "delivered")]
    status = world.app.accepted()[1].value["statuses"][0]
    assert (status["recipient_id"], status["recipient_user_id"]) == (MARIA[1], MARIA[2])

    read = await world.emulator.post("/emulator/api/customers/maria/read")

    assert read.json() == {"read": [wamid]}
    await world.app.wait_for(4)
    assert world.app.statuses()[-1] == (wamid, "read")
    outbound = (await world.conversation("maria"))["messages"][-1]
    assert (outbound["direction"], outbound["status"]) == ("outbound", "read")
    assert outbound["text"] == "¿En qué le ayudo?"


async def test_a_reply_by_bsuid_answers_with_user_id_and_statuses_without_phone(
    world: World,
) -> None:
    await world.customer_writes("ana")

    body = (await world.business_sends(recipient=ANA_BSUID)).json()

    assert body["contacts"] == [{"input": ANA_BSUID, "user_id": ANA_BSUID}]
    await world.app.wait_for(3)
    for received in world.app.accepted()[1:]:
        status = received.value["statuses"][0]
        assert "recipient_id" not in status
        assert status["recipient_user_id"] == ANA_BSUID


async def test_when_both_to_and_recipient_are_given_to_wins(world: World) -> None:
    await world.customer_writes("maria")

    body = (await world.business_sends(to=MARIA[1], recipient=ANA_BSUID)).json()

    assert body["contacts"] == [{"input": MARIA[1], "wa_id": MARIA[1]}]
    assert (await world.conversation("ana"))["messages"] == []


async def test_a_number_nobody_has_is_accepted_then_fails(world: World) -> None:
    body = (await world.business_sends(to="5215500000000")).json()

    [received] = await world.app.wait_for(1)
    value = received.value
    assert "contacts" not in value
    [status] = value["statuses"]
    assert (status["id"], status["status"]) == (body["messages"][0]["id"], "failed")
    assert status["recipient_id"] == "5215500000000"
    assert "recipient_user_id" not in status
    assert status["errors"][0]["code"] == 131026


async def test_outside_the_24_hour_window_a_text_fails_with_131047(world: World) -> None:
    never_wrote = (await world.business_sends(to=MARIA[1])).json()["messages"][0]["id"]
    await world.app.wait_for(1)
    await world.customer_writes("maria")
    world.clock.advance(25 * 3600)
    too_late = (await world.business_sends(to=MARIA[1], biz_opaque_callback_data="o-9")).json()

    accepted = await world.app.wait_for(3)
    failures = [r.value["statuses"][0] for r in accepted if "statuses" in r.value]
    assert [s["id"] for s in failures] == [never_wrote, too_late["messages"][0]["id"]]
    assert {s["errors"][0]["code"] for s in failures} == {131047}
    assert failures[1]["biz_opaque_callback_data"] == "o-9"
    last = (await world.conversation("maria"))["messages"][-1]
    assert (last["status"], last["error_code"]) == ("failed", 131047)


async def test_marking_a_message_read_shows_blue_ticks_and_typing(world: World) -> None:
    first = (await world.customer_writes("juan", "Hola"))["id"]
    second = (await world.customer_writes("juan", "¿Hay alguien?"))["id"]
    mark = {"messaging_product": "whatsapp", "status": "read", "message_id": second}

    response = await world.emulator.post(
        MESSAGES, json=mark | {"typing_indicator": {"type": "text"}}, headers=AUTH
    )

    assert response.json() == {"success": True}
    conversation = await world.conversation("juan")
    assert [m["read_by_business"] for m in conversation["messages"]] == [True, True]
    assert [m["id"] for m in conversation["messages"]] == [first, second]
    assert conversation["business_typing"] is True
    await world.business_sends(to="573001234567")
    assert (await world.conversation("juan"))["business_typing"] is False


async def test_marking_an_unknown_message_read_is_an_invalid_parameter(world: World) -> None:
    mark = {"messaging_product": "whatsapp", "status": "read", "message_id": "wamid.nope"}

    response = await world.emulator.post(MESSAGES, json=mark, headers=AUTH)

    assert response.status_code == 400
    assert response.json()["error"]["code"] == 100


# --- control API and page -----------------------------------------------------------------


async def test_customers_are_listed_with_their_identifiers(world: World) -> None:
    customers = (await world.emulator.get("/emulator/api/customers")).json()

    by_key = {c["key"]: c for c in customers}
    assert by_key["ana"]["phone"] is None
    assert by_key["ana"]["username"] == "ana.ruiz"
    assert by_key["maria"]["bsuid"] == MARIA[2]
    assert {"key", "name", "phone", "bsuid", "username", "unread"} <= set(by_key["juan"])


async def test_unknown_customers_and_empty_texts_are_refused(world: World) -> None:
    assert (await world.emulator.get("/emulator/api/customers/zz/messages")).status_code == 404
    assert (await world.emulator.post("/emulator/api/customers/zz/read")).status_code == 404
    empty = await world.emulator.post("/emulator/api/customers/maria/messages", json={"text": " "})
    assert empty.status_code == 422


async def test_health_info_webhook_log_and_reset(world: World) -> None:
    assert (await world.emulator.get("/emulator/api/health")).status_code == 200
    info = (await world.emulator.get("/emulator/api/info")).json()
    assert info["phone_number_id"] == PHONE_NUMBER_ID
    assert SECRET not in str(info) and TOKEN not in str(info)

    await world.customer_writes("maria")
    log = (await world.emulator.get("/emulator/api/webhooks")).json()
    assert [(d["lane"], d["outcome"], d["attempts"]) for d in log] == [("maria", "delivered", 1)]

    assert (await world.emulator.post("/emulator/api/reset")).status_code == 200
    assert (await world.conversation("maria"))["messages"] == []


async def test_the_phone_page_is_served_with_its_test_ids(world: World) -> None:
    response = await world.emulator.get("/")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    page = response.text
    for test_id in (
        "phone-input",
        "phone-send",
        "phone-messages",
        "phone-attach",
        "phone-attach-menu",
        "phone-record",
        "phone-emoji",
        "phone-file-media",
        "phone-file-document",
        "phone-location-form",
        "phone-contact-form",
        "phone-welcome",
        "phone-reply-bar",
    ):
        assert f'data-testid="{test_id}"' in page
    assert "innerHTML" not in page  # message text is rendered as text
    assert "src=" not in page and 'href="http' not in page  # self-contained, no CDN
