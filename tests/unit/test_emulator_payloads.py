"""The emulator's payloads against the shapes in Meta's Cloud API reference (2026, BSUIDs)."""

import base64
import re

import pytest

from atiende.emulator import payloads
from atiende.emulator.config import Customer, EmulatorConfig, demo_customers

BUSINESS = payloads.BusinessNumber("102290129340398", "106540352242922", "15550783881")
MARIA = Customer("maria", "María González", "MX.48210937561028374650", phone="5215512345678")
ANA = Customer("ana", "Ana Ruiz", "AR.13491208655302741918", username="ana.ruiz")
CARLOS = Customer(
    "carlos", "Carlos Méndez", "CL.90215738461027365512", "56912345678", "carlos.mendez"
)
METADATA = {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"}


def envelope(value: dict[str, object]) -> dict[str, object]:
    return {
        "object": "whatsapp_business_account",
        "entry": [
            {
                "id": "102290129340398",
                "changes": [
                    {
                        "value": {
                            "messaging_product": "whatsapp",
                            "metadata": METADATA,
                            **value,
                        },
                        "field": "messages",
                    }
                ],
            }
        ],
    }


def test_text_from_a_customer_with_a_phone() -> None:
    payload = payloads.inbound_text_webhook(BUSINESS, MARIA, "wamid.X", "Hola", 1750000000.9)

    assert payload == envelope(
        {
            "contacts": [
                {
                    "profile": {"name": "María González"},
                    "wa_id": "5215512345678",
                    "user_id": "MX.48210937561028374650",
                }
            ],
            "messages": [
                {
                    "from": "5215512345678",
                    "from_user_id": "MX.48210937561028374650",
                    "id": "wamid.X",
                    "timestamp": "1750000000",
                    "type": "text",
                    "text": {"body": "Hola"},
                }
            ],
        }
    )


def test_text_from_a_customer_who_withholds_his_phone_has_no_wa_id_nor_from() -> None:
    payload = payloads.inbound_text_webhook(BUSINESS, ANA, "wamid.Y", "Buenas", 1750000000)
    value = payload["entry"][0]["changes"][0]["value"]

    assert value["contacts"] == [
        {"profile": {"name": "Ana Ruiz", "username": "ana.ruiz"}, "user_id": ANA.bsuid}
    ]
    message = value["messages"][0]
    assert "from" not in message
    assert message["from_user_id"] == ANA.bsuid


def test_a_username_with_a_shared_phone_carries_both() -> None:
    value = payloads.inbound_text_webhook(BUSINESS, CARLOS, "wamid.Z", "Hola", 1)["entry"][0][
        "changes"
    ][0]["value"]

    assert value["contacts"][0] == {
        "profile": {"name": "Carlos Méndez", "username": "carlos.mendez"},
        "wa_id": "56912345678",
        "user_id": CARLOS.bsuid,
    }
    assert value["messages"][0]["from"] == "56912345678"


def test_sent_status_names_the_phone_and_the_bsuid_and_reports_pricing() -> None:
    payload = payloads.status_webhook(BUSINESS, MARIA, "wamid.A", "sent", 1750000001)

    assert payload == envelope(
        {
            "contacts": [{"wa_id": "5215512345678", "user_id": MARIA.bsuid}],
            "statuses": [
                {
                    "id": "wamid.A",
                    "status": "sent",
                    "timestamp": "1750000001",
                    "recipient_id": "5215512345678",
                    "recipient_user_id": MARIA.bsuid,
                    "pricing": {
                        "billable": False,
                        "pricing_model": "PMP",
                        "category": "service",
                        "type": "free_customer_service",
                    },
                }
            ],
        }
    )


def test_read_status_for_a_phoneless_customer_has_no_recipient_id() -> None:
    value = payloads.status_webhook(BUSINESS, ANA, "wamid.B", "read", 5)["entry"][0]["changes"][0][
        "value"
    ]

    assert value["contacts"] == [{"profile": {"username": "ana.ruiz"}, "user_id": ANA.bsuid}]
    assert value["statuses"] == [
        {"id": "wamid.B", "status": "read", "timestamp": "5", "recipient_user_id": ANA.bsuid}
    ]


def test_sent_status_leaves_the_username_out() -> None:
    value = payloads.status_webhook(BUSINESS, ANA, "wamid.B", "sent", 5)["entry"][0]["changes"][0][
        "value"
    ]

    assert value["contacts"] == [{"user_id": ANA.bsuid}]


def test_callback_data_is_echoed_in_statuses() -> None:
    payload = payloads.status_webhook(BUSINESS, MARIA, "wamid.C", "delivered", 5, callback_data="7")

    assert (
        payload["entry"][0]["changes"][0]["value"]["statuses"][0]["biz_opaque_callback_data"] == "7"
    )


def test_failed_status_has_no_contacts_and_no_bsuid_when_sent_by_phone() -> None:
    error = payloads.undeliverable_error()
    payload = payloads.failed_status_webhook(
        BUSINESS, "wamid.D", 9, error, to="5215500000000", recipient=None
    )

    assert payload == envelope(
        {
            "statuses": [
                {
                    "id": "wamid.D",
                    "status": "failed",
                    "timestamp": "9",
                    "recipient_id": "5215500000000",
                    "errors": [
                        {
                            "code": 131026,
                            "title": "Message undeliverable",
                            "message": "Message undeliverable",
                            "error_data": {"details": "Message Undeliverable."},
                            "href": payloads.ERROR_CODES_HREF,
                        }
                    ],
                }
            ]
        }
    )


def test_failed_status_sent_by_bsuid_names_the_bsuid() -> None:
    status = payloads.failed_status_webhook(
        BUSINESS, "wamid.E", 9, payloads.reengagement_error(), to=None, recipient=ANA.bsuid
    )["entry"][0]["changes"][0]["value"]["statuses"][0]

    assert "recipient_id" not in status
    assert status["recipient_user_id"] == ANA.bsuid
    assert status["errors"][0]["code"] == 131047


def test_send_response_by_phone_and_by_bsuid() -> None:
    assert payloads.send_response("+52 1 55 1234 5678", "wamid.F", wa_id="5215512345678") == {
        "messaging_product": "whatsapp",
        "contacts": [{"input": "+52 1 55 1234 5678", "wa_id": "5215512345678"}],
        "messages": [{"id": "wamid.F"}],
    }
    assert payloads.send_response(ANA.bsuid, "wamid.G", user_id=ANA.bsuid)["contacts"] == [
        {"input": ANA.bsuid, "user_id": ANA.bsuid}
    ]


def test_graph_errors_have_meta_shape() -> None:
    error = payloads.invalid_token_error()["error"]
    assert error["code"] == 190
    assert error["type"] == "OAuthException"
    assert re.fullmatch(r"A[\w-]{22}", error["fbtrace_id"])

    unknown = payloads.unknown_object_error("999")["error"]
    assert (unknown["code"], unknown["error_subcode"], unknown["type"]) == (
        100,
        33,
        "GraphMethodException",
    )
    assert "'999'" in unknown["message"]

    invalid = payloads.invalid_parameter_error("why")["error"]
    assert invalid["error_data"] == {"messaging_product": "whatsapp", "details": "why"}


def test_wamids_look_like_meta_ids_and_never_repeat() -> None:
    ids = {payloads.new_wamid("5215512345678") for _ in range(500)}

    assert len(ids) == 500
    for wamid in list(ids)[:20]:
        assert wamid.startswith("wamid.")
        assert b"5215512345678" in base64.b64decode(wamid.removeprefix("wamid."))


def test_demo_customers_cover_phone_username_and_phoneless() -> None:
    customers = demo_customers()
    bsuid = re.compile(r"^[A-Z]{2}\.\d{20}$")

    assert len(customers) >= 4
    assert all(bsuid.match(c.bsuid) for c in customers)
    ana = next(c for c in customers if c.key == "ana")
    assert (ana.name, ana.username, ana.phone) == ("Ana Ruiz", "ana.ruiz", None)
    assert any(c.phone and c.username for c in customers)
    maria = next(c for c in customers if c.key == "maria")
    assert (maria.name, maria.phone) == ("María González", "5215512345678")


def test_config_refuses_customers_sharing_an_identifier() -> None:
    twin = Customer("maria2", "Otra María", "MX.1", phone=MARIA.phone)
    with pytest.raises(ValueError, match="phone"):
        EmulatorConfig("http://app", "s", "t", "1", "2", "3", customers=[MARIA, twin])
