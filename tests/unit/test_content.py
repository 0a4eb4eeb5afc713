"""Every inbound type from the reference fixtures is understood, none dropped."""

import json
from pathlib import Path
from typing import Any

import pytest

from atiende.channels.whatsapp.content import extract

FIXTURES: dict[str, Any] = json.loads(
    (Path(__file__).parent.parent / "fixtures" / "inbound_messages.json").read_text()
)
MESSAGES = {k: v for k, v in FIXTURES.items() if not k.startswith("_")}


@pytest.mark.parametrize("name", sorted(MESSAGES))
def test_every_fixture_is_understood(name: str) -> None:
    said = extract(MESSAGES[name])
    assert said.type == MESSAGES[name]["type"]
    assert said.content is not None


def test_text_reply_and_forward() -> None:
    assert extract(MESSAGES["text"]).text == "Hola, ¿tienen envío a Monterrey?"
    assert extract(MESSAGES["text_reply"]).reply_to_wamid == "wamid.OUT1"
    forwarded = extract(MESSAGES["text_forwarded"])
    assert forwarded.forwarded and forwarded.reply_to_wamid is None


def test_media_keep_id_type_caption_and_name() -> None:
    image = extract(MESSAGES["image"])
    assert image.content["media_id"] == "1479537139650973"
    assert image.text == "Así llegó la caja"
    assert extract(MESSAGES["audio_voice"]).content["voice"] is True
    assert extract(MESSAGES["document"]).content["filename"] == "factura-0042.pdf"
    assert extract(MESSAGES["sticker"]).content["animated"] is False


def test_location_contacts_and_replies_to_buttons() -> None:
    location = extract(MESSAGES["location"]).content
    assert (location["latitude"], location["longitude"]) == (19.4326, -99.1332)
    contact = extract(MESSAGES["contacts"]).content["contacts"][0]
    assert contact == {
        "name": "Pedro Ramírez",
        "phones": ["+52 55 9876 5432"],
        "emails": ["pedro@example.com"],
    }
    assert extract(MESSAGES["interactive_button"]).text == "Cambiar pedido"
    assert extract(MESSAGES["interactive_list"]).content["description"] == "Llega mañana"
    assert extract(MESSAGES["button"]).content == {"text": "Confirmar", "payload": "CONFIRMAR_CITA"}


def test_changes_to_other_messages_name_their_target() -> None:
    reaction = extract(MESSAGES["reaction"])
    assert reaction.changes_another and reaction.target_wamid == "wamid.TEXT1"
    assert reaction.reaction == "👍"
    assert extract(MESSAGES["reaction_removed"]).reaction == ""
    edit = extract(MESSAGES["edit"])
    assert edit.target_wamid == "wamid.TEXT1" and edit.text == "Hola, ¿tienen envío a Guadalajara?"
    assert extract(MESSAGES["revoke"]).revoke


def test_unsupported_says_what_and_why() -> None:
    said = extract(MESSAGES["unsupported"])
    assert said.content["kind"] == "poll_creation"
    assert said.content["error"] == "Message type is currently not supported."


@pytest.mark.parametrize(
    "message",
    [
        {},
        {"type": 5},
        {"type": "image", "image": "x"},
        {"type": "contacts", "contacts": "x"},
        {"type": "interactive", "interactive": []},
        {"type": "brand_new_type", "brand_new_type": {}},
    ],
)
def test_odd_shapes_never_raise(message: dict[str, Any]) -> None:
    assert extract(message).type
