"""Media both ways through the emulator: inbound downloaded by the worker and served to the
agent (and nobody else); outbound checked by content, uploaded to Meta, sent by id."""

import io
import os
import struct
import zlib

from sqlalchemy import select

from atiende.actions import media
from atiende.db.models import Message
from tests.integration.conftest import World
from tests.integration.test_transfers import open_for
from tests.media_samples import codecs, movie, tone


def png(width: int = 2, height: int = 2) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


async def test_inbound_image_is_downloaded_and_only_its_agent_may_fetch_it(world: World) -> None:
    await world.online("agente1")
    agent, attention_id = await open_for(world, "agente1")
    sent = await world.phone().post(
        "/emulator/api/customers/maria/sample", json={"kind": "image", "caption": "Así llegó"}
    )
    assert sent.status_code == 200, sent.text
    await world.app.state.workers.fetch_media_once()
    messages = (await agent.get(f"/api/attentions/{attention_id}/messages")).json()["messages"]
    image = next(m for m in messages if m["type"] == "image")
    assert image["text"] == "Así llegó"
    assert image["content"]["url"] == f"/api/messages/{image['id']}/media"
    fetched = await agent.get(image["content"]["url"])
    assert fetched.status_code == 200
    assert fetched.headers["content-type"].startswith("image/")
    assert fetched.headers["x-content-type-options"] == "nosniff"
    assert len(fetched.content) == image["content"]["size"]
    other = await world.login("agente2")
    assert (await other.get(image["content"]["url"])).status_code == 404
    assert (await world.client().get(image["content"]["url"])).status_code == 401


async def test_voice_note_and_document_keep_their_kind_and_name(world: World) -> None:
    await world.online("agente1")
    agent, attention_id = await open_for(world, "agente1")
    for kind in ("voice", "document"):
        answer = await world.phone().post(
            "/emulator/api/customers/maria/sample", json={"kind": kind}
        )
        assert answer.status_code == 200, answer.text
    await world.app.state.workers.fetch_media_once()
    messages = (await agent.get(f"/api/attentions/{attention_id}/messages")).json()["messages"]
    voice = next(m for m in messages if m["type"] == "audio")
    assert voice["content"]["voice"] is True and voice["content"]["url"]
    document = next(m for m in messages if m["type"] == "document")
    got = await agent.get(document["content"]["url"])
    assert "attachment" in got.headers["content-disposition"]
    assert document["content"]["filename"] in got.headers["content-disposition"]


async def test_agent_sends_an_image_that_reaches_the_phone(world: World) -> None:
    await world.online("agente1")
    agent, attention_id = await open_for(world, "agente1")
    sent = await agent.post(
        f"/api/attentions/{attention_id}/media",
        files={"file": ("foto.png", io.BytesIO(png()), "image/png")},
        data={"caption": "Su comprobante", "client_id": "f1"},
    )
    assert sent.status_code == 201, sent.text
    assert sent.json()["type"] == "image"
    await world.dispatch()
    async with world.rt.work() as w:
        stored = await w.session.get(Message, sent.json()["id"])
        assert stored is not None
        assert stored.wa_message_id, stored.status
    chat = (await world.phone().get("/emulator/api/customers/maria/messages")).json()["messages"]
    outbound = [m for m in chat if m["direction"] == "outbound"]
    assert outbound and outbound[-1]["type"] == "image"


async def test_refused_files_say_why_and_store_nothing(world: World) -> None:
    await world.online("agente1")
    agent, attention_id = await open_for(world, "agente1")
    disguised = await agent.post(
        f"/api/attentions/{attention_id}/media",
        files={"file": ("foto.jpg", io.BytesIO(b"MZ\x90\x00" + b"\x00" * 300), "image/jpeg")},
    )
    assert disguised.status_code == 422
    assert "tipo de archivo" in disguised.json()["detail"]
    big = await agent.post(
        f"/api/attentions/{attention_id}/media",
        files={
            "file": ("grande.png", io.BytesIO(png() + b"\x00" * (5 * 1024 * 1024)), "image/png")
        },
    )
    assert big.status_code == 422 and "5 MB" in big.json()["detail"]
    async with world.rt.work() as w:
        out = (await w.session.scalars(select(Message).where(Message.direction == "out"))).all()
    assert out == []


async def _sent_file(world: World, name: str, data: bytes, mime: str) -> tuple[Message, bytes]:
    await world.online("agente1")
    agent, attention_id = await open_for(world, "agente1")
    sent = await agent.post(
        f"/api/attentions/{attention_id}/media",
        files={"file": (name, io.BytesIO(data), mime)},
    )
    assert sent.status_code == 201, sent.text
    await world.dispatch()
    async with world.rt.work() as w:
        stored = await w.session.get(Message, sent.json()["id"])
    assert stored is not None and stored.wa_message_id, stored and stored.status
    path = world.rt.media.path(media.store_key(stored.id))
    assert path is not None
    return stored, path.read_bytes()


async def test_a_wav_voice_note_goes_out_as_opus_in_ogg(world: World) -> None:
    stored, data = await _sent_file(world, "nota.wav", tone("wav", "pcm_s16le"), "audio/wav")

    assert codecs(data) == ("ogg", ["opus"])
    assert stored.type == "audio" and stored.content is not None
    assert (stored.content["mime_type"], stored.content["filename"]) == ("audio/ogg", "nota.ogg")
    assert stored.content["size"] == len(data)
    chat = (await world.phone().get("/emulator/api/customers/maria/messages")).json()["messages"]
    assert [m for m in chat if m["direction"] == "outbound"][-1]["type"] == "audio"


async def test_a_video_that_is_not_h264_goes_out_converted(world: World) -> None:
    vp8 = movie("webm", "libvpx", "libopus")
    stored, data = await _sent_file(world, "clip.webm", vp8, "video/webm")

    name, streams = codecs(data)
    assert "mp4" in name and streams == ["h264", "aac"]
    assert stored.type == "video" and stored.content is not None
    assert (stored.content["mime_type"], stored.content["filename"]) == ("video/mp4", "clip.mp4")


async def test_random_bytes_named_mp4_are_refused_with_the_reason(world: World) -> None:
    await world.online("agente1")
    agent, attention_id = await open_for(world, "agente1")
    refused = await agent.post(
        f"/api/attentions/{attention_id}/media",
        files={"file": ("video.mp4", io.BytesIO(os.urandom(8192)), "video/mp4")},
    )
    assert refused.status_code == 422
    assert "tipo de archivo" in refused.json()["detail"]
    broken = await agent.post(
        f"/api/attentions/{attention_id}/media",
        files={"file": ("roto.mp4", io.BytesIO(b"\x00\x00\x00\x18ftypmp42" + os.urandom(8192)))},
    )
    assert broken.status_code == 422
    assert "no se pudo convertir" in broken.json()["detail"]
    async with world.rt.work() as w:
        out = (await w.session.scalars(select(Message).where(Message.direction == "out"))).all()
    assert out == []
