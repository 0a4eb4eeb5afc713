"""The emulator's inbound builders produce exactly the shapes in the reference fixtures the
app is tested on (tests/fixtures/inbound_messages.json)."""

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from atiende.emulator import payloads as p
from atiende.emulator.config import Customer

FIXTURES: dict[str, Any] = {
    k: v
    for k, v in json.loads(
        (Path(__file__).parent.parent / "fixtures" / "inbound_messages.json").read_text()
    ).items()
    if not k.startswith("_")
}
MARIA = Customer("maria", "María González", "MX.48210937561028374650", phone="5215512345678")
BUSINESS_PHONE = "5215550001000"


def at(name: str) -> float:
    return float(FIXTURES[name]["timestamp"]) + 0.7  # fractions are dropped, as Meta does


BUILT: dict[str, Any] = {
    "text": p.text_message(MARIA, "wamid.TEXT1", "Hola, ¿tienen envío a Monterrey?", at("text")),
    "text_reply": p.text_message(
        MARIA,
        "wamid.REPLY1",
        "Sí, ese",
        at("text_reply"),
        context=p.reply_context(BUSINESS_PHONE, "wamid.OUT1"),
    ),
    "text_forwarded": p.text_message(
        MARIA, "wamid.FWD1", "mira esto", at("text_forwarded"), context=p.forwarded_context()
    ),
    "image": p.media_message(
        MARIA,
        "wamid.IMG1",
        at("image"),
        "image",
        p.media_body(
            "image",
            media_id="1479537139650973",
            mime_type="image/jpeg",
            sha256="c8f0b1e2a3d4c5b6a7980112233445566778899aabbccddeeff00112233445566",
            caption="Así llegó la caja",
            filename="ignored-for-images.jpg",
        ),
    ),
    "audio_voice": p.media_message(
        MARIA,
        "wamid.AUD1",
        at("audio_voice"),
        "audio",
        p.media_body(
            "audio",
            media_id="1003383421387256",
            mime_type="audio/ogg; codecs=opus",
            sha256="a1b2c3",
            caption="audio has no caption",
            voice=True,
        ),
    ),
    "video": p.media_message(
        MARIA,
        "wamid.VID1",
        at("video"),
        "video",
        p.media_body(
            "video",
            media_id="1147329403288561",
            mime_type="video/mp4",
            sha256="d4e5f6",
            caption="El ruido",
        ),
    ),
    "document": p.media_message(
        MARIA,
        "wamid.DOC1",
        at("document"),
        "document",
        p.media_body(
            "document",
            media_id="1252345670097321",
            mime_type="application/pdf",
            sha256="0f1e2d",
            caption="Factura",
            filename="factura-0042.pdf",
        ),
    ),
    "sticker": p.media_message(
        MARIA,
        "wamid.STK1",
        at("sticker"),
        "sticker",
        p.media_body(
            "sticker", media_id="1095713498456371", mime_type="image/webp", sha256="9a8b7c"
        ),
    ),
    "location": p.location_message(
        MARIA,
        "wamid.LOC1",
        at("location"),
        latitude=19.4326,
        longitude=-99.1332,
        name="Oficina central",
        address="Av. Reforma 222, CDMX",
        url="https://example.com/oficina",
    ),
    "contacts": p.contacts_message(
        MARIA,
        "wamid.CON1",
        at("contacts"),
        [
            p.shared_contact(
                "Pedro Ramírez",
                first_name="Pedro",
                last_name="Ramírez",
                phones=[("+52 55 9876 5432", "CELL", "5215598765432")],
                emails=[("pedro@example.com", "WORK")],
            )
        ],
    ),
    "interactive_button": p.button_reply_message(
        MARIA,
        "wamid.INT1",
        at("interactive_button"),
        reply_id="cambiar",
        title="Cambiar pedido",
        context=p.reply_context(BUSINESS_PHONE, "wamid.OUT2"),
    ),
    "interactive_list": p.list_reply_message(
        MARIA,
        "wamid.INT2",
        at("interactive_list"),
        reply_id="envio_express",
        title="Envío exprés",
        description="Llega mañana",
        context=p.reply_context(BUSINESS_PHONE, "wamid.OUT3"),
    ),
    "button": p.template_button_message(
        MARIA,
        "wamid.BTN1",
        at("button"),
        payload="CONFIRMAR_CITA",
        text="Confirmar",
        context=p.reply_context(BUSINESS_PHONE, "wamid.TPL1"),
    ),
    "reaction": p.reaction_message(MARIA, "wamid.REA1", at("reaction"), "wamid.TEXT1", "👍"),
    "reaction_removed": p.reaction_message(
        MARIA, "wamid.REA2", at("reaction_removed"), "wamid.TEXT1", None
    ),
    "edit": p.edit_message(
        MARIA, "wamid.EDT1", at("edit"), "wamid.TEXT1", "Hola, ¿tienen envío a Guadalajara?"
    ),
    "revoke": p.revoke_message(MARIA, "wamid.REV1", at("revoke"), "wamid.TEXT1"),
    "unsupported": p.unsupported_message(MARIA, "wamid.UNS1", at("unsupported"), "poll_creation"),
    "request_welcome": p.request_welcome_message(MARIA, "wamid.WEL1", at("request_welcome")),
    "system_number": p.number_changed_message(
        MARIA, "wamid.SYS1", at("system_number"), "5215511112222", "MX.55501234567890123456"
    ),
    "system_user_id": p.user_id_changed_message(
        replace(MARIA, phone="5215511112222", bsuid="MX.55501234567890123456"),
        "wamid.SYS2",
        at("system_user_id"),
        "MX.77702345678901234567",
    ),
}


def test_every_fixture_has_a_builder() -> None:
    assert set(BUILT) == set(FIXTURES)


@pytest.mark.parametrize("name", sorted(FIXTURES))
def test_builder_produces_the_fixture_exactly(name: str) -> None:
    assert BUILT[name] == FIXTURES[name]
    # Same keys in the same order as Meta writes them, not only equal as dicts.
    assert json.dumps(BUILT[name], ensure_ascii=False) == json.dumps(
        FIXTURES[name], ensure_ascii=False
    )


def test_a_phoneless_customer_has_no_from_in_any_type() -> None:
    ana = Customer("ana", "Ana Ruiz", "AR.13491208655302741918", username="ana.ruiz")
    message = p.location_message(ana, "wamid.X", 1, latitude=1.0, longitude=2.0)

    assert "from" not in message
    assert message["from_user_id"] == ana.bsuid
    assert message["location"] == {"latitude": 1.0, "longitude": 2.0}


def test_the_envelope_carries_contacts_except_for_system_messages() -> None:
    business = p.BusinessNumber("102290129340398", "106540352242922", "15550783881")
    value = p.inbound_webhook(business, MARIA, BUILT["image"])["entry"][0]["changes"][0]["value"]
    assert value["contacts"] == [p.inbound_contact(MARIA)]
    assert value["messages"] == [BUILT["image"]]

    system = p.inbound_webhook(business, MARIA, BUILT["system_number"], contacts=False)
    assert "contacts" not in system["entry"][0]["changes"][0]["value"]
