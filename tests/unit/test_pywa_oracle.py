"""An independent, maintained Cloud API library (pywa) as a test-only oracle: the payloads
atiende accepts from Meta (fixtures) and the webhooks the emulator sends parse there into
the kind of update Meta means."""

import json
import time
from typing import Any

import pytest
from pywa import WhatsApp
from pywa.types.base_update import RawUpdate

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
