"""Media both ways through the emulator, as Meta does it: the business uploads and sends by id
or link; the customer sends files, voice notes, locations, contacts, reactions, edits and
deletions; the app looks media up and downloads it with its token, for five minutes."""

import base64
import hashlib
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from pywa.client import WhatsApp
from pywa.types.base_update import RawUpdate

from atiende.emulator import create_app
from atiende.emulator.opus import is_ogg_opus, ogg_pages
from atiende.emulator.recorder import WebhookRecorder
from atiende.emulator.samples import SAMPLES, SampleKind, read_sample
from tests.integration.test_emulator_app import (
    AUTH,
    MESSAGES,
    PHONE_NUMBER_ID,
    SECRET,
    TOKEN,
    FakeClock,
    config,
)

MEDIA = f"/v23.0/{PHONE_NUMBER_ID}/media"
MARIA_PHONE = "5215512345678"
JPEG = read_sample("image")
PDF = read_sample("document")
# 0.6 s of a 440 Hz tone, recorded by Chromium's MediaRecorder (audio/webm;codecs=opus): what
# the phone page's microphone button uploads.
CHROMIUM_WEBM = base64.b64decode(
    "GkXfo59ChoEBQveBAULygQRC84EIQoKEd2VibUKHgQRChYECGFOAZwH/////////FUmpZpkq17GDD0JATYCGQ2hyb21l"
    "V0GGQ2hyb21lFlSua7+uvdeBAXPFh8wjJgfFKUeDgQKGhkFfT1BVU2Oik09wdXNIZWFkAQIAAIC7AAAAAADhjbWERzuA"
    "AJ+BAmJkgSAfQ7Z1Af/////////ngQCjxoEAAIAY4XYBkEyXfnRMlK6ONpXPN7J9RYaWpslL7ojbfXxlzro7vRgAnKO9"
    "AmbtrqetHUht40SdrojPpPV+WjRV6dVaVoCjt4EAO4AY7Ul2YdFyTGJ+XcMs5EKZh+vvGl1YQlux2wvzkZm8BRI9Gm72"
    "FQADgUU81ktKKcH1ugcfQ7Z1Af/////////ngXmjt4EAAIAY7X3NuJ6RrG8W7ORQLVS5kuD+mPK1dNiTquCodbdJyom0"
    "k1Cco3lwbzZoY2uwYHHgCtyjt4EAO4AY7YFQRTTy+i2P4BKUfe2Mz5FDny8X1d08hr1hlIVn/WY1Yx7btO2tScr9vQfG"
    "IEbpUIAfQ7Z1Af/////////nge+juYEAAIAY7YFQRTTy+m01nQE6WG63usx8rJSVfcbYK69YmeL8mCGg9ju0kslO2DXa"
    "ZQZAaJmuE+H2gKOzgQA+gBjtgVBFNPL59qC5//7ELL8Qldh1aXh/KN+v9+gEKsw9g6/jpg8fP+QnBdeyNEiaH0O2dQH/"
    "////////54IBaKO3gQAAgBjtfc24npGsbi3QJjQTaOU4IEBcjBQqwrkqZQubnjGOg5PVGQSiwQ0HCDgpHzxLQoiJgKO8"
    "gQA7gBjtfc24npGtWSMu1z9chcPuoT3VSz+Ri6YDQJZA7OUO13iSFVUi0mJNrqX8Z4D3DK6hW2oEowtQH0O2dQH/////"
    "////54IB4aO/gQAAgBjtfc24nfkSzGowyph9Zznhsg1pdETB362jkMWGhbVXx91OtGvbDKtYLX/buzkbC20ADJ6MJ/kx"
    "OtZdo7qBADuAGO25b0C/beEDM56wbe8lKkn9TyzqMlWdSaEZPOecN0rgXe8qazUfZqaSvQPdA8E4GqWqK6moH0O2dQH/"
    "////////54ICV6O6gQAAgBjtuW9AUwYejfnk9vLtllgegJ6RWOD9EeZBTMRKBrhAXAtMFdARjA+8I6kba+YIf3ukHujM"
    "gA=="
)


@dataclass
class World:
    emulator: httpx.AsyncClient
    app: WebhookRecorder
    clock: FakeClock
    links: dict[str, tuple[int, str, bytes]]

    async def upload(
        self, data: bytes, mime: str, filename: str = "f", **fields: str
    ) -> httpx.Response:
        form = {"messaging_product": "whatsapp", "type": mime} | fields
        return await self.emulator.post(
            MEDIA, data=form, files={"file": (filename, data, mime)}, headers=AUTH
        )

    async def send(self, kind: str, **media: Any) -> httpx.Response:
        body = {"messaging_product": "whatsapp", "to": MARIA_PHONE, "type": kind, kind: media}
        return await self.emulator.post(MESSAGES, json=body, headers=AUTH)

    async def control(self, path: str, **body: Any) -> dict[str, Any]:
        response = await self.emulator.post(f"/emulator/api/customers/maria/{path}", json=body)
        assert response.status_code == 200, response.text
        answer: dict[str, Any] = response.json()
        return answer

    async def last_message(self) -> dict[str, Any]:
        received = await self.app.wait_for(len(self.app.accepted()))
        # The business message's statuses (sent, delivered, read) arrive on their own timers
        # and may land after the customer's message on a slow machine: skip them.
        carrying = [r for r in received if "messages" in r.value]
        message: dict[str, Any] = carrying[-1].value["messages"][0]
        return message

    async def chat(self) -> list[dict[str, Any]]:
        response = await self.emulator.get("/emulator/api/customers/maria/messages")
        messages: list[dict[str, Any]] = response.json()["messages"]
        return messages


@pytest.fixture
async def world() -> AsyncIterator[World]:
    recorder = WebhookRecorder(SECRET)
    clock = FakeClock()
    links: dict[str, tuple[int, str, bytes]] = {}

    def serve_link(request: httpx.Request) -> httpx.Response:
        status, mime, data = links.get(str(request.url), (404, "text/plain", b"no"))
        return httpx.Response(status, content=data, headers={"Content-Type": mime})

    app: FastAPI = create_app(
        config(),
        webhook_transport=httpx.ASGITransport(recorder.app),
        media_transport=httpx.MockTransport(serve_link),
        clock=clock,
    )
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app)
        async with httpx.AsyncClient(transport=transport, base_url="http://emulator.test") as c:
            yield World(c, recorder, clock, links)


async def download(world: World, media_id: str) -> httpx.Response:
    """What the app does with an inbound media id: look it up, then fetch the URL."""
    meta = await world.emulator.get(f"/v23.0/{media_id}", headers=AUTH)
    assert meta.status_code == 200, meta.text
    return await world.emulator.get(meta.json()["url"], headers=AUTH)


# --- upload, look up, download --------------------------------------------------------------


async def test_upload_then_look_up_then_download_with_the_token(world: World) -> None:
    uploaded = await world.upload(JPEG, "image/jpeg", "caja.jpg")

    assert uploaded.status_code == 200, uploaded.text
    media_id = uploaded.json()["id"]
    assert uploaded.json() == {"id": media_id} and media_id.isdigit()
    meta = (await world.emulator.get(f"/v23.0/{media_id}", headers=AUTH)).json()
    assert meta == {
        "messaging_product": "whatsapp",
        "url": meta["url"],
        "mime_type": "image/jpeg",
        "sha256": hashlib.sha256(JPEG).hexdigest(),
        "file_size": len(JPEG),
        "id": media_id,
    }
    assert meta["url"].startswith("http://emulator.test/emulator/media/")

    got = await world.emulator.get(meta["url"], headers=AUTH)
    assert got.status_code == 200
    assert got.content == JPEG
    assert got.headers["content-type"] == "image/jpeg"
    without_token = await world.emulator.get(meta["url"])
    assert without_token.status_code == 401
    assert without_token.json()["error"]["code"] == 190


async def test_the_url_expires_after_five_minutes_and_a_new_look_up_gives_another(
    world: World,
) -> None:
    media_id = (await world.upload(PDF, "application/pdf")).json()["id"]
    url = (await world.emulator.get(f"/v23.0/{media_id}", headers=AUTH)).json()["url"]

    world.clock.advance(299)
    assert (await world.emulator.get(url, headers=AUTH)).status_code == 200
    world.clock.advance(2)
    assert (await world.emulator.get(url, headers=AUTH)).status_code == 404

    again = await download(world, media_id)
    assert again.status_code == 200 and again.content == PDF


async def test_looking_up_or_deleting_unknown_media_is_an_unknown_object(world: World) -> None:
    unknown = await world.emulator.get("/v23.0/123456789", headers=AUTH)
    assert unknown.status_code == 400
    assert (unknown.json()["error"]["code"], unknown.json()["error"]["error_subcode"]) == (100, 33)
    assert (await world.emulator.get("/v23.0/123456789")).status_code == 401

    media_id = (await world.upload(JPEG, "image/jpeg")).json()["id"]
    deleted = await world.emulator.delete(f"/v23.0/{media_id}", headers=AUTH)
    assert deleted.json() == {"success": True}
    assert (await world.emulator.get(f"/v23.0/{media_id}", headers=AUTH)).status_code == 400


@pytest.mark.parametrize(
    ("mime", "size", "code"),
    [
        ("image/gif", 10, 100),
        ("application/zip", 10, 100),
        ("image/jpeg", 5 * 1024 * 1024 + 1, 131053),
        ("image/webp", 500 * 1024 + 1, 131053),
        ("audio/ogg", 16 * 1024 * 1024 + 1, 131053),
        ("video/mp4", 16 * 1024 * 1024 + 1, 131053),
    ],
)
async def test_types_and_sizes_whatsapp_refuses(
    world: World, mime: str, size: int, code: int
) -> None:
    response = await world.upload(b"\0" * size, mime)

    assert response.status_code == 400
    error = response.json()["error"]
    assert (error["code"], error["type"]) == (code, "OAuthException")
    if code == 100:
        assert f"Received file of type '{mime}'" in error["message"]
    else:
        assert error["message"] == "(#131053) Media upload error"
        assert "maximum" in error["error_data"]["details"]


@pytest.mark.parametrize(
    ("mime", "size"),
    [
        ("image/png", 5 * 1024 * 1024),
        ("image/webp", 500 * 1024),
        ("audio/ogg; codecs=opus", 1000),
        ("audio/mpeg", 1000),
        ("video/3gpp", 1000),
        ("text/csv", 1000),
        ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", 1000),
    ],
)
async def test_types_and_sizes_whatsapp_takes(world: World, mime: str, size: int) -> None:
    response = await world.upload(b"\1" * size, mime)

    assert response.status_code == 200, response.text


async def test_uploads_check_token_number_and_fields(world: World) -> None:
    no_token = await world.emulator.post(
        MEDIA, data={"messaging_product": "whatsapp"}, files={"file": ("a", b"x", "image/png")}
    )
    assert no_token.status_code == 401
    other_number = await world.emulator.post(
        "/v23.0/999/media",
        data={"messaging_product": "whatsapp"},
        files={"file": ("a", b"x", "image/png")},
        headers=AUTH,
    )
    assert other_number.json()["error"]["error_subcode"] == 33
    no_product = await world.emulator.post(
        MEDIA, files={"file": ("a", b"x", "image/png")}, headers=AUTH
    )
    assert "messaging_product is required" in no_product.json()["error"]["message"]
    no_file = await world.emulator.post(MEDIA, data={"messaging_product": "whatsapp"}, headers=AUTH)
    assert "parameter file is required" in no_file.json()["error"]["message"]
    # Without `type`, the file part's own content type counts.
    untyped = await world.emulator.post(
        MEDIA,
        data={"messaging_product": "whatsapp"},
        files={"file": ("a.png", read_sample("png"), "image/png")},
        headers=AUTH,
    )
    assert untyped.status_code == 200


# --- the business sends media ------------------------------------------------------------


async def test_an_uploaded_image_goes_out_by_id_and_the_phone_shows_it(world: World) -> None:
    await world.control("messages", text="¿Me manda la foto?")
    media_id = (await world.upload(JPEG, "image/jpeg", "caja.jpg")).json()["id"]

    response = await world.send("image", id=media_id, caption="Así salió")

    assert response.status_code == 200, response.text
    wamid = response.json()["messages"][0]["id"]
    await world.app.wait_for(3)
    assert world.app.statuses() == [(wamid, "sent"), (wamid, "delivered")]
    shown = (await world.chat())[-1]
    assert (shown["type"], shown["text"], shown["status"]) == ("image", "Así salió", "delivered")
    assert shown["content"]["caption"] == "Así salió"
    page_copy = await world.emulator.get(shown["content"]["url"])
    assert page_copy.content == JPEG and page_copy.headers["content-type"] == "image/jpeg"


@pytest.mark.parametrize("kind", ["audio", "video", "document", "sticker"])
async def test_each_media_kind_goes_out_by_id(world: World, kind: str) -> None:
    sample: dict[str, SampleKind] = {
        "audio": "voice",
        "video": "video",
        "document": "document",
        "sticker": "sticker",
    }
    chosen = SAMPLES[sample[kind]]
    await world.control("messages", text="Hola")
    data = read_sample(sample[kind])
    media_id = (await world.upload(data, chosen.mime_type, chosen.filename)).json()["id"]
    extra = {"filename": "factura.pdf", "caption": "Su factura"} if kind == "document" else {}

    wamid = (await world.send(kind, id=media_id, **extra)).json()["messages"][0]["id"]

    await world.app.wait_for(3)
    assert world.app.statuses() == [(wamid, "sent"), (wamid, "delivered")]
    shown = (await world.chat())[-1]
    assert shown["type"] == kind
    if kind == "document":
        assert (shown["content"]["filename"], shown["text"]) == ("factura.pdf", "Su factura")


async def test_by_link_meta_fetches_the_file(world: World) -> None:
    await world.control("messages", text="Hola")
    world.links["https://cdn.test/manual.pdf"] = (200, "application/pdf", PDF)

    response = await world.send("document", link="https://cdn.test/manual.pdf")

    wamid = response.json()["messages"][0]["id"]
    await world.app.wait_for(3)
    assert world.app.statuses() == [(wamid, "sent"), (wamid, "delivered")]
    shown = (await world.chat())[-1]
    assert shown["content"]["link"] == "https://cdn.test/manual.pdf"
    assert (await world.emulator.get(shown["content"]["url"])).content == PDF


@pytest.mark.parametrize(
    ("media", "details"),
    [
        ({"id": "1234567890123456"}, "does not exist"),
        ({"link": "https://cdn.test/missing.jpg"}, "http code 404"),
    ],
)
async def test_media_meta_cannot_find_fails_afterwards_with_131053(
    world: World, media: dict[str, str], details: str
) -> None:
    await world.control("messages", text="Hola")

    response = await world.send("image", **media)

    assert response.status_code == 200
    wamid = response.json()["messages"][0]["id"]
    [failed] = [
        r.value["statuses"][0] for r in await world.app.wait_for(2) if "statuses" in r.value
    ]
    assert (failed["id"], failed["status"]) == (wamid, "failed")
    assert failed["errors"][0]["code"] == 131053
    assert details in failed["errors"][0]["error_data"]["details"]
    shown = (await world.chat())[-1]
    assert (shown["status"], shown["error_code"]) == ("failed", 131053)


async def test_a_pdf_cannot_go_out_as_an_image(world: World) -> None:
    await world.control("messages", text="Hola")
    media_id = (await world.upload(PDF, "application/pdf")).json()["id"]

    await world.send("image", id=media_id)

    statuses = [
        r.value["statuses"][0] for r in await world.app.wait_for(2) if "statuses" in r.value
    ]
    assert statuses[0]["errors"][0]["code"] == 131053


# --- the customer sends media and more -------------------------------------------------------


async def test_a_customer_photo_reaches_the_app_and_the_app_can_download_it(world: World) -> None:
    response = await world.emulator.post(
        "/emulator/api/customers/maria/media",
        data={"caption": "Así llegó la caja"},
        files={"file": ("IMG_0042.jpg", JPEG, "image/jpeg")},
    )

    assert response.status_code == 200, response.text
    assert response.json()["delivered_to_app"] is True
    message = await world.last_message()
    assert message["id"] == response.json()["id"]
    assert message["type"] == "image"
    assert message["image"] == {
        "caption": "Así llegó la caja",
        "mime_type": "image/jpeg",
        "sha256": hashlib.sha256(JPEG).hexdigest(),
        "id": message["image"]["id"],
    }
    got = await download(world, message["image"]["id"])
    assert got.content == JPEG


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("image", {"type": "image", "mime_type": "image/jpeg"}),
        ("voice", {"type": "audio", "mime_type": "audio/ogg; codecs=opus", "voice": True}),
        ("video", {"type": "video", "mime_type": "video/mp4"}),
        (
            "document",
            {"type": "document", "mime_type": "application/pdf", "filename": "factura-muestra.pdf"},
        ),
        ("sticker", {"type": "sticker", "mime_type": "image/webp", "animated": False}),
    ],
)
async def test_samples_go_out_as_meta_shapes_them(
    world: World, kind: SampleKind, expected: dict[str, Any]
) -> None:
    await world.control("sample", kind=kind)

    message = await world.last_message()
    body = message[expected["type"]]
    assert message["type"] == expected["type"]
    for key, value in expected.items():
        if key != "type":
            assert body[key] == value
    data = read_sample(kind)
    assert body["sha256"] == hashlib.sha256(data).hexdigest()
    assert (await download(world, body["id"])).content == data


async def test_a_recorded_voice_note_is_turned_into_ogg_opus(world: World) -> None:
    response = await world.emulator.post(
        "/emulator/api/customers/maria/media",
        data={"voice": "true"},
        files={"file": ("nota.webm", CHROMIUM_WEBM, "audio/webm;codecs=opus")},
    )

    assert response.status_code == 200, response.text
    audio = (await world.last_message())["audio"]
    assert (audio["mime_type"], audio["voice"]) == ("audio/ogg; codecs=opus", True)
    ogg = (await download(world, audio["id"])).content
    assert is_ogg_opus(ogg)
    pages = list(ogg_pages(ogg))  # every page's CRC checked
    assert pages[0][0] == 0x02 and pages[-1][0] == 0x04  # first and last page flags
    assert 0.5 * 48_000 < pages[-1][1] < 0.8 * 48_000  # about 0.6 s of samples
    assert (await world.chat())[-1]["text"] == "🎤 Nota de voz"


async def test_a_voice_note_that_is_not_webm_opus_is_refused(world: World) -> None:
    response = await world.emulator.post(
        "/emulator/api/customers/maria/media",
        data={"voice": "true"},
        files={"file": ("nota.webm", b"not webm", "audio/webm")},
    )

    assert response.status_code == 422


async def test_location_and_contact(world: World) -> None:
    await world.control(
        "location", latitude=19.4326, longitude=-99.1332, name="Oficina", address="Reforma 222"
    )
    location = await world.last_message()
    assert location["location"] == {
        "address": "Reforma 222",
        "latitude": 19.4326,
        "longitude": -99.1332,
        "name": "Oficina",
    }

    await world.control("contacts", name="Pedro Ramírez", phone="+52 55 9876 5432")
    contact = await world.last_message()
    assert contact["type"] == "contacts"
    assert contact["contacts"] == [
        {
            "name": {
                "formatted_name": "Pedro Ramírez",
                "first_name": "Pedro",
                "last_name": "Ramírez",
            },
            "phones": [{"phone": "+52 55 9876 5432", "type": "CELL", "wa_id": "525598765432"}],
        }
    ]
    texts = [m["text"] for m in await world.chat()]
    assert texts == ["📍 Oficina", "👤 Pedro Ramírez"]


async def test_a_reply_and_a_reaction_to_a_business_message(world: World) -> None:
    await world.control("messages", text="Hola")
    reply = await world.emulator.post(
        MESSAGES,
        json={"messaging_product": "whatsapp", "to": MARIA_PHONE, "text": {"body": "¿Talla?"}},
        headers=AUTH,
    )
    business_id = reply.json()["messages"][0]["id"]

    await world.control("messages", text="M", reply_to=business_id)
    answer = await world.last_message()
    assert answer["context"] == {"from": "15550783881", "id": business_id}

    await world.control("reaction", message_id=business_id, emoji="❤️")
    reaction = await world.last_message()
    assert reaction["reaction"] == {"message_id": business_id, "emoji": "❤️"}
    chat = await world.chat()
    assert chat[1]["reactions"] == {"customer": "❤️"}
    assert chat[2]["reply_to"] == business_id
    assert len(chat) == 3, "a reaction is not a message of its own"

    await world.control("reaction", message_id=business_id, emoji=None)
    assert (await world.last_message())["reaction"] == {"message_id": business_id}
    assert (await world.chat())[1]["reactions"] == {}


async def test_edit_and_revoke_own_messages_only(world: World) -> None:
    first = (await world.control("messages", text="Envío a Monterrey"))["id"]

    await world.control("edit", message_id=first, text="Envío a Guadalajara")
    edit = await world.last_message()
    assert edit["edit"] == {
        "original_message_id": first,
        "message": {"type": "text", "text": {"body": "Envío a Guadalajara"}},
    }
    await world.control("revoke", message_id=first)
    assert (await world.last_message())["revoke"] == {"original_message_id": first}
    [shown] = await world.chat()
    assert (shown["text"], shown["edited"], shown["deleted"]) == ("Envío a Guadalajara", True, True)

    again = await world.emulator.post(
        "/emulator/api/customers/maria/edit", json={"message_id": first, "text": "x"}
    )
    assert again.status_code == 422
    unknown = await world.emulator.post(
        "/emulator/api/customers/maria/revoke", json={"message_id": "wamid.nope"}
    )
    assert unknown.status_code == 404
    reply = await world.emulator.post(
        MESSAGES,
        json={"messaging_product": "whatsapp", "to": MARIA_PHONE, "text": {"body": "Hola"}},
        headers=AUTH,
    )
    business_id = reply.json()["messages"][0]["id"]
    theirs = await world.emulator.post(
        "/emulator/api/customers/maria/revoke", json={"message_id": business_id}
    )
    assert theirs.status_code == 422


async def test_request_welcome_opens_the_window(world: World) -> None:
    answer = await world.control("welcome")

    message = await world.last_message()
    assert message == {
        "from": MARIA_PHONE,
        "from_user_id": "MX.48210937561028374650",
        "id": answer["id"],
        "timestamp": str(int(world.clock.now)),
        "type": "request_welcome",
    }
    assert await world.chat() == []
    reply = await world.emulator.post(
        MESSAGES,
        json={"messaging_product": "whatsapp", "to": MARIA_PHONE, "text": {"body": "¡Bienvenida!"}},
        headers=AUTH,
    )
    wamid = reply.json()["messages"][0]["id"]
    await world.app.wait_for(3)
    assert world.app.statuses() == [(wamid, "sent"), (wamid, "delivered")]


async def test_every_inbound_kind_the_phone_sends_is_the_update_pywa_expects(
    world: World,
) -> None:
    """pywa, a maintained Cloud API library, as an independent reader of what we send."""
    first = (await world.control("messages", text="Hola"))["id"]
    for kind in ("image", "voice", "video", "document", "sticker"):
        await world.control("sample", kind=kind)
    await world.control("location", latitude=1.5, longitude=2.5)
    await world.control("contacts", name="Pedro", phone="5215598765432")
    await world.control("reaction", message_id=first, emoji="👍")
    await world.control("edit", message_id=first, text="Hola!")
    await world.control("revoke", message_id=first)
    await world.control("welcome")

    oracle = WhatsApp(
        phone_id=PHONE_NUMBER_ID, token=TOKEN, server=None, verify_token=None, filter_updates=False
    )
    kinds = []
    for received in world.app.accepted():
        raw = RawUpdate(received.body, hmac_header=None, update_hash="oracle")
        handler = oracle._get_handler_type(raw)
        assert handler is not None, json.loads(received.body)
        update = oracle._handlers_to_updates[handler].from_update(client=oracle, update=raw)
        kinds.append(type(update).__name__)
    assert kinds == ["Message"] * 9 + ["EditedMessage", "DeletedMessage", "Message"]


@pytest.mark.parametrize(
    ("kind", "mime", "data", "details"),
    [
        ("video", "video/mp4", read_sample("video").replace(b"avc1", b"hev1"), "H.264"),
        (
            "audio",
            "audio/ogg",
            read_sample("voice").replace(b"OpusHead", b"\x01vorbis\x00", 1),
            "must be Opus",
        ),
    ],
)
async def test_audio_and_video_phones_cannot_play_fail_with_131053(
    world: World, kind: str, mime: str, data: bytes, details: str
) -> None:
    await world.control("messages", text="Hola")
    media_id = (await world.upload(data, mime)).json()["id"]

    await world.send(kind, id=media_id)

    statuses = [
        r.value["statuses"][0] for r in await world.app.wait_for(2) if "statuses" in r.value
    ]
    assert statuses[0]["errors"][0]["code"] == 131053
    assert details in statuses[0]["errors"][0]["error_data"]["details"]
