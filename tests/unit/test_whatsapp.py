"""Signature, webhook parsing and the Graph request atiende builds."""

import json
from datetime import UTC, datetime

import pytest
from pydantic import ValidationError

from atiende.channels.whatsapp.graph import GraphError, _error_from, text_payload
from atiende.channels.whatsapp.signature import sign, verify
from atiende.channels.whatsapp.webhook import parse, sent_at


def test_signature_is_hmac_sha256_of_the_raw_body() -> None:
    body = b'{"a":"Mar\\u00eda"}'
    header = sign(body, "secret")
    assert header.startswith("sha256=") and len(header) == 7 + 64
    assert verify(body, "secret", header)
    assert not verify(body + b" ", "secret", header)
    assert not verify(body, "other", header)
    assert not verify(body, "secret", None)
    assert not verify(body, "secret", header.removeprefix("sha256="))


def test_a_header_with_non_ascii_characters_is_refused_not_an_error() -> None:
    assert not verify(b"{}", "secret", "sha256=" + "é" * 64)


def test_parse_keeps_bsuid_username_and_optional_phone() -> None:
    body = json.dumps(
        {
            "object": "whatsapp_business_account",
            "entry": [
                {
                    "id": "1",
                    "changes": [
                        {
                            "field": "messages",
                            "value": {
                                "messaging_product": "whatsapp",
                                "metadata": {
                                    "display_phone_number": "15550001",
                                    "phone_number_id": "42",
                                },
                                "contacts": [
                                    {
                                        "profile": {"name": "Ana", "username": "ana.ruiz"},
                                        "user_id": "AR.134",
                                    }
                                ],
                                "messages": [
                                    {
                                        "from_user_id": "AR.134",
                                        "id": "wamid.X",
                                        "timestamp": "1700000000",
                                        "type": "text",
                                        "text": {"body": "Hola"},
                                    }
                                ],
                            },
                        }
                    ],
                }
            ],
        }
    ).encode()
    envelope = parse(body)
    value = envelope.entry[0].changes[0].value
    assert value.metadata.phone_number_id == "42"
    message = value.messages[0]
    assert message.from_ is None
    assert message.from_user_id == "AR.134"
    assert message.body == "Hola"
    assert value.contacts[0].display_username == "ana.ruiz"


def test_parse_refuses_what_is_not_the_envelope() -> None:
    with pytest.raises(ValidationError):
        parse(b'{"object": "x"}')
    with pytest.raises(ValueError):
        parse(b"not json")


def test_text_payload_uses_phone_else_bsuid() -> None:
    with_phone = text_payload(phone="5215512345678", bsuid="MX.1", body="hola")
    assert with_phone["to"] == "5215512345678" and "recipient" not in with_phone
    only_bsuid = text_payload(phone=None, bsuid="AR.1", body="mira https://x.mx")
    assert only_bsuid["recipient"] == "AR.1" and "to" not in only_bsuid
    assert only_bsuid["text"] == {"body": "mira https://x.mx", "preview_url": True}
    with pytest.raises(ValueError):
        text_payload(phone=None, bsuid=None, body="x")


@pytest.mark.parametrize(
    ("status", "code", "retryable"),
    [
        (500, 1, True),
        (429, 130429, True),
        (400, 131047, False),
        (400, 100, False),
        (401, 190, False),
        (400, 131056, True),
    ],
)
def test_graph_errors_know_when_to_retry(status: int, code: int, retryable: bool) -> None:
    error = _error_from(status, {"error": {"code": code, "message": "m", "error_user_title": "t"}})
    assert isinstance(error, GraphError)
    assert error.code == code
    assert error.retryable is retryable
    assert error.title == "t"


def test_meta_timestamps_are_unix_seconds_and_anything_else_is_none() -> None:
    assert sent_at("1700000000") == datetime(2023, 11, 14, 22, 13, 20, tzinfo=UTC)
    for bad in ("", "ayer", "1e3", "9" * 40):
        assert sent_at(bad) is None
