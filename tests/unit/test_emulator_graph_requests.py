"""Reading Graph API bodies: what is accepted, and Meta's error for what is not."""

from typing import Any

import pytest

from atiende.emulator.graph_requests import (
    GraphError,
    MarkRead,
    SendMedia,
    SendText,
    parse_request,
)


def text(**fields: Any) -> dict[str, Any]:
    return {"messaging_product": "whatsapp", "type": "text", "text": {"body": "Hola"}, **fields}


def media(kind: str, **fields: Any) -> dict[str, Any]:
    return {"messaging_product": "whatsapp", "to": "5215512345678", "type": kind, kind: fields}


def refused(body: Any) -> dict[str, Any]:
    with pytest.raises(GraphError) as caught:
        parse_request(body)
    assert caught.value.status_code == 400
    error: dict[str, Any] = caught.value.payload["error"]
    return error


def test_text_to_a_phone_is_normalised_and_keeps_the_input() -> None:
    parsed = parse_request(text(to="+52 1 55 1234-5678", recipient_type="individual"))

    assert parsed == SendText(
        to="5215512345678",
        to_input="+52 1 55 1234-5678",
        recipient=None,
        body="Hola",
        preview_url=False,
        callback_data=None,
    )


def test_text_to_a_bsuid_with_preview_url_and_callback_data() -> None:
    body = text(
        recipient="AR.13491208655302741918",
        text={"body": "¿Le ayudo?", "preview_url": True},
        biz_opaque_callback_data="outbox-42",
    )

    parsed = parse_request(body)

    assert isinstance(parsed, SendText)
    assert (parsed.to, parsed.recipient) == (None, "AR.13491208655302741918")
    assert (parsed.preview_url, parsed.callback_data) == (True, "outbox-42")


def test_type_defaults_to_text() -> None:
    body = text(to="5215512345678")
    del body["type"]

    assert isinstance(parse_request(body), SendText)


def test_mark_as_read_with_and_without_typing_indicator() -> None:
    base = {"messaging_product": "whatsapp", "status": "read", "message_id": "wamid.1"}

    assert parse_request(base) == MarkRead("wamid.1", typing=False)
    assert parse_request(base | {"typing_indicator": {"type": "text"}}) == MarkRead(
        "wamid.1", typing=True
    )


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ({"to": "5215512345678", "text": {"body": "x"}}, "messaging_product is required"),
        (text(messaging_product="sms", to="1234567"), "must be one of {WHATSAPP}"),
        (text(), "parameter to is required"),
        (text(to="5215512345678", text={}), "text['body'] is required"),
        (text(to="5215512345678", text={"body": "x" * 4097}), "at most 4096"),
    ],
)
def test_missing_or_wrong_parameters(body: dict[str, Any], fragment: str) -> None:
    error = refused(body)

    assert error["code"] == 100
    assert fragment in error["message"]


@pytest.mark.parametrize(
    "body",
    [
        [],
        text(to="not-a-phone"),
        text(recipient="13491208655302741918"),
        text(to="5215512345678", type="hologram"),
        media("image", id="1", link="https://x.test/a.jpg"),
        media("image", id="not-a-number"),
        media("image", link="ftp://x.test/a.jpg"),
        media("audio", id="1", caption="no captions on audio"),
        media("image", id="1", filename="only documents have one"),
        text(to="5215512345678", context={"id": "wamid.1"}),
        text(to="5215512345678", recipient_type="group"),
        text(to="5215512345678", biz_opaque_callback_data="x" * 513),
        {"messaging_product": "whatsapp", "status": "delivered", "message_id": "wamid.1"},
        {
            "messaging_product": "whatsapp",
            "status": "read",
            "message_id": "m",
            "typing_indicator": {},
        },
    ],
)
def test_invalid_parameters(body: Any) -> None:
    error = refused(body)

    assert (error["message"], error["code"]) == ("(#100) Invalid parameter", 100)
    assert error["error_data"]["messaging_product"] == "whatsapp"


def test_media_by_id_and_by_link_with_caption_filename_and_reply() -> None:
    by_id = parse_request(
        media("document", id="1479537139650973", caption="Factura", filename="f.pdf")
        | {"context": {"message_id": "wamid.IN1"}}
    )
    by_link = parse_request(media("image", link="https://cdn.test/caja.jpg"))

    assert by_id == SendMedia(
        to="5215512345678",
        to_input="5215512345678",
        recipient=None,
        kind="document",
        media_id="1479537139650973",
        link=None,
        caption="Factura",
        filename="f.pdf",
        callback_data=None,
        reply_to="wamid.IN1",
    )
    assert isinstance(by_link, SendMedia)
    assert (by_link.kind, by_link.link, by_link.media_id) == (
        "image",
        "https://cdn.test/caja.jpg",
        None,
    )


def test_a_media_type_without_its_object_is_a_missing_parameter() -> None:
    body = {"messaging_product": "whatsapp", "to": "5215512345678", "type": "video"}

    assert "parameter video is required" in refused(body)["message"]


def test_a_caption_over_1024_characters_is_refused() -> None:
    error = refused(media("image", id="1", caption="x" * 1025))

    assert "at most 1024" in error["message"]
