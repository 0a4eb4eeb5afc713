"""An independent, maintained Cloud API library (pywa) as a test-only oracle: the payloads
atiende accepts from Meta (fixtures) and the webhooks the emulator sends parse there into
the kind of update Meta means."""

import json
import time
from typing import Any

import pytest
from pywa.client import WhatsApp
from pywa.types.base_update import RawUpdate

from atiende.channels.whatsapp import graph
from atiende.emulator import payloads
from atiende.emulator.config import demo_customers
from tests.unit.test_content import MESSAGES

BUSINESS = payloads.BusinessNumber("200300400500600", "100200300400500", "5215550001000")
ORACLE = WhatsApp(
    phone_id=BUSINESS.phone_number_id,
    token="x",
    server=None,
    verify_token=None,
    filter_updates=False,
)
EXPECTED = {
    "interactive_button": "CallbackButton",
    "interactive_list": "CallbackSelection",
    "button": "CallbackButton",
    "edit": "EditedMessage",
    "revoke": "DeletedMessage",
    "system_number": "PhoneNumberChange",
    # pywa files every `system` notice as a number change; it still reads the new BSUID.
    "system_user_id": "PhoneNumberChange",
}


def parse(update: dict[str, Any]) -> str:
    raw = RawUpdate(json.dumps(update).encode(), hmac_header=None, update_hash="oracle")
    handler = ORACLE._get_handler_type(raw)
    assert handler is not None, "pywa found no handler for it"
    return type(
        ORACLE._handlers_to_updates[handler].from_update(client=ORACLE, update=raw)
    ).__name__


@pytest.mark.parametrize("name", sorted(MESSAGES))
def test_each_fixture_is_the_update_pywa_expects(name: str) -> None:
    message = MESSAGES[name]
    value: dict[str, Any] = {"messages": [message]}
    if message["type"] != "system":  # system notices come without contacts
        value["contacts"] = [payloads.inbound_contact(demo_customers()[0])]
    assert parse(payloads.messages_webhook(BUSINESS, value)) == EXPECTED.get(name, "Message")


@pytest.mark.parametrize("customer", demo_customers(), ids=lambda c: c.key)
def test_the_emulator_text_webhook_is_a_message_for_pywa(customer: Any) -> None:
    update = payloads.inbound_text_webhook(
        BUSINESS, customer, payloads.new_wamid(customer.bsuid), "Hola", time.time()
    )
    assert parse(update) == "Message"


@pytest.mark.parametrize("status", ["sent", "delivered", "read"])
def test_the_emulator_status_webhooks_are_statuses_for_pywa(status: str) -> None:
    customer = demo_customers()[0]
    update = payloads.status_webhook(BUSINESS, customer, "wamid.X", status, time.time())  # type: ignore[arg-type]
    assert parse(update) == "MessageStatus"


def _requests_pywa_builds(send: Any) -> list[dict[str, Any]]:
    """What pywa would POST for a message, captured before it leaves."""
    import httpx

    captured: list[dict[str, Any]] = []

    def answer(request: httpx.Request) -> httpx.Response:
        captured.append(json.loads(request.content))
        return httpx.Response(
            200,
            json={
                "messaging_product": "whatsapp",
                "contacts": [{"input": "1", "wa_id": "1"}],
                "messages": [{"id": "wamid.ORACLE"}],
            },
        )

    client = WhatsApp(
        phone_id=BUSINESS.phone_number_id,
        token="x",
        server=None,
        verify_token=None,
        session=httpx.Client(transport=httpx.MockTransport(answer)),
    )
    send(client)
    return captured


PHONE = "5215512345678"


@pytest.mark.parametrize(
    ("ours", "theirs"),
    [
        (
            lambda: graph.text_payload(phone=PHONE, bsuid=None, body="Vea https://tienda.mx"),
            lambda wa: wa.send_message(to=PHONE, text="Vea https://tienda.mx", preview_url=True),
        ),
        (
            lambda: graph.text_payload(phone=PHONE, bsuid=None, body="Hola 👋"),
            lambda wa: wa.send_message(to=PHONE, text="Hola 👋", preview_url=False),
        ),
        (
            lambda: graph.media_payload(
                phone=PHONE,
                bsuid=None,
                kind="image",
                media_id="77",
                caption="Foto",
                filename="f.png",
            ),
            lambda wa: wa.send_image(to=PHONE, image="77", caption="Foto"),
        ),
        (
            lambda: graph.media_payload(
                phone=PHONE,
                bsuid=None,
                kind="document",
                media_id="78",
                caption="Factura",
                filename="factura.pdf",
            ),
            lambda wa: wa.send_document(
                to=PHONE, document="78", filename="factura.pdf", caption="Factura"
            ),
        ),
        (
            lambda: graph.media_payload(
                phone=PHONE,
                bsuid=None,
                kind="audio",
                media_id="79",
                caption=None,
                filename="nota.ogg",
            ),
            lambda wa: wa.send_audio(to=PHONE, audio="79"),
        ),
        (
            lambda: graph.media_payload(
                phone=PHONE,
                bsuid=None,
                kind="video",
                media_id="80",
                caption="Así",
                filename="v.mp4",
            ),
            lambda wa: wa.send_video(to=PHONE, video="80", caption="Así"),
        ),
    ],
    ids=["text-link", "text-emoji", "image", "document", "audio", "video"],
)
def test_atiende_sends_what_pywa_would_build(ours: Any, theirs: Any) -> None:
    built = _requests_pywa_builds(theirs)
    assert built == [ours()]
