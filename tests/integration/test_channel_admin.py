"""Channels as an administrator manages them from the browser: created and edited field by
field, secrets write-only (never in an answer, masked in the audit log), new secrets in force
at once for webhooks in every process, and *Probar conexión* against the emulator (and
against a Graph that fails in the ways the emulator does not play)."""

import json
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from atiende.api.app import create_app
from atiende.config import Settings
from atiende.db.models import AuditEntry, Campaign, Channel
from atiende.db.types import utcnow
from atiende.domain.audit import MASK
from tests.integration.conftest import APP_BASE, CUSTOMERS, World

SECRETS = {"access_token": "EAAG-new-token", "app_secret": "app-xyz", "verify_token": "vt-9"}
NEW = {
    "name": "Soporte Perú",
    "phone_number_id": "106540352242922",
    "display_phone_number": "+51 987 654 321",
    "waba_id": "102290129340398",
    "entry_campaign_id": 1,
    **SECRETS,
}


async def demo_channel_id(world: World) -> int:
    async with world.rt.work() as w:
        found = await w.session.scalar(
            select(Channel.id).where(Channel.phone_number_id == world.info.phone_number_id)
        )
    assert found is not None
    return found


def no_secret_in(text: str, *secrets: str) -> None:
    for secret in secrets:
        assert secret not in text


async def test_created_normalised_listed_and_logged_without_its_secrets(world: World) -> None:
    admin = await world.login("admin")
    created = await admin.post("/api/admin/channels", json=NEW)
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["display_phone_number"] == "51987654321"  # as Meta's webhooks write it
    assert body["graph_base_url"] == "https://graph.facebook.com"
    assert body["graph_version"] == "v23.0"
    assert (body["access_token_set"], body["app_secret_set"], body["verify_token_set"]) == (
        True,
        True,
        True,
    )
    assert not {"access_token", "app_secret", "verify_token"} & set(body)
    listed = await admin.get("/api/admin/channels")
    assert [c["name"] for c in listed.json()] == ["WhatsApp demo", "Soporte Perú"]
    log = await admin.get("/api/audit-log", params={"entity": "channel"})
    (entry,) = log.json()["items"]  # the demo's seed is nobody's change
    assert (entry["action"], entry["entity_name"]) == ("created", "Soporte Perú")
    assert entry["actor_name"] == "Administración"
    assert entry["changes"]["access_token"] == [None, MASK]
    assert entry["changes"]["phone_number_id"] == [None, "106540352242922"]
    no_secret_in(created.text + listed.text + log.text, *SECRETS.values())


def bad_fields(body: httpx.Response) -> dict[str, str]:
    assert body.status_code == 422, body.text
    assert body.json()["code"] == "channel_invalid"
    return {k: v["code"] for k, v in body.json()["error_codes"].items()}


async def test_each_bad_field_is_named(world: World) -> None:
    admin = await world.login("admin")
    wrong = {
        "name": " ",
        "phone_number_id": "12ab",
        "display_phone_number": "12",
        "waba_id": "WABA",
        "access_token": "",
        "app_secret": "with space",
        "verify_token": "",
        "graph_base_url": "ftp://graph",
        "graph_version": "23",
        "entry_campaign_id": 999,
    }
    refused = await admin.post("/api/admin/channels", json=wrong)
    assert bad_fields(refused) == {
        "name": "required",
        "phone_number_id": "meta_id_format",
        "display_phone_number": "display_number_format",
        "waba_id": "meta_id_format",
        "access_token": "required",
        "app_secret": "secret_spaces",
        "verify_token": "required",
        "graph_base_url": "url_format",
        "graph_version": "graph_version_format",
        "entry_campaign_id": "unknown_campaign",
    }
    # In English too, by the client's language.
    english = await admin.post("/api/admin/channels", json=wrong, headers={"Accept-Language": "en"})
    assert english.json()["detail"] == "Check the channel's details."

    taken = {**NEW, "phone_number_id": world.info.phone_number_id}
    assert bad_fields(await admin.post("/api/admin/channels", json=taken)) == {
        "phone_number_id": "channel_exists"
    }
    async with world.rt.work() as w:
        assert len(list(await w.session.scalars(select(Channel)))) == 1
        logged = await w.session.scalars(select(AuditEntry).where(AuditEntry.entity == "channel"))
        assert list(logged) == []


async def test_an_edit_changes_only_what_it_names_and_is_checked_the_same(world: World) -> None:
    admin = await world.login("admin")
    channel_id = await demo_channel_id(world)
    other = await admin.post("/api/admin/channels", json=NEW)
    url = f"/api/admin/channels/{channel_id}"
    edited = await admin.patch(url, json={"name": "Ventas MX", "graph_version": "v24.0"})
    assert edited.status_code == 200, edited.text
    assert edited.json()["name"] == "Ventas MX"
    assert edited.json()["graph_version"] == "v24.0"
    assert edited.json()["phone_number_id"] == world.info.phone_number_id

    # Another channel's id, a bad number, an empty secret: nothing of the edit is kept.
    refused = await admin.patch(
        url,
        json={
            "name": "Otro",
            "phone_number_id": other.json()["phone_number_id"],
            "display_phone_number": "+",
            "access_token": " ",
        },
    )
    assert bad_fields(refused) == {
        "phone_number_id": "channel_exists",
        "display_phone_number": "display_number_format",
        "access_token": "required",
    }
    listed = {c["id"]: c for c in (await admin.get("/api/admin/channels")).json()}
    assert listed[channel_id]["name"] == "Ventas MX"
    # Its own id is no clash; an unknown channel is a 404.
    same = await admin.patch(url, json={"phone_number_id": world.info.phone_number_id})
    assert same.status_code == 200
    missing = await admin.patch("/api/admin/channels/99999", json={"name": "x"})
    assert (missing.status_code, missing.json()["code"]) == (404, "channel_not_found")


async def test_an_archived_campaign_is_no_entry(world: World) -> None:
    admin = await world.login("admin")
    async with world.rt.work() as w:
        soporte = await w.session.scalar(select(Campaign).where(Campaign.name == "Soporte"))
        assert soporte is not None
        soporte.archived_at = utcnow()
    refused = await admin.post("/api/admin/channels", json={**NEW, "entry_campaign_id": soporte.id})
    assert bad_fields(refused) == {"entry_campaign_id": "campaign_archived"}
    assert refused.json()["error_codes"]["entry_campaign_id"]["params"] == {"campaign": "Soporte"}
    channel_id = await demo_channel_id(world)
    moved = await admin.patch(
        f"/api/admin/channels/{channel_id}", json={"entry_campaign_id": soporte.id}
    )
    assert bad_fields(moved) == {"entry_campaign_id": "campaign_archived"}


async def test_a_secret_is_replaced_never_read_and_logged_masked(world: World) -> None:
    admin = await world.login("admin")
    channel_id = await demo_channel_id(world)
    replaced = await admin.patch(
        f"/api/admin/channels/{channel_id}", json={"access_token": "  EAAG-replaced  "}
    )
    assert replaced.status_code == 200 and replaced.json()["access_token_set"] is True
    async with world.rt.work() as w:
        channel = await w.session.get(Channel, channel_id)
        assert channel is not None and channel.access_token == "EAAG-replaced"
        assert channel.app_secret == "s3cret"  # not named, not touched
    log = (await admin.get("/api/audit-log", params={"entity": "channel"})).json()["items"]
    assert [(e["action"], e["changes"]) for e in log] == [
        ("updated", {"access_token": [MASK, MASK]})
    ]
    async with world.rt.work() as w:
        stored = [e.changes for e in await w.session.scalars(select(AuditEntry))]
    no_secret_in(json.dumps(stored) + replaced.text + log.__repr__(), "EAAG-replaced")
    # Saving what is there already (no secret) logs nothing.
    await admin.patch(f"/api/admin/channels/{channel_id}", json={"name": "WhatsApp demo"})
    again = (await admin.get("/api/audit-log", params={"entity": "channel"})).json()["items"]
    assert len(again) == 1


@pytest.fixture
async def second_process(
    settings: Settings,
    world: World,  # noqa: ARG001 (the database is seeded first)
) -> AsyncIterator[httpx.AsyncClient]:
    """Another app on the same database, as a second worker process would be."""
    app = create_app(settings, run_workers=False)
    async with app.router.lifespan_context(app):
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url=APP_BASE
        ) as client:
            yield client


async def test_new_webhook_secrets_hold_at_once_in_every_process(
    world: World, second_process: httpx.AsyncClient
) -> None:
    admin = await world.login("admin")
    handshake = {"hub.mode": "subscribe", "hub.challenge": "7"}
    body = world.webhook_body(CUSTOMERS["maria"], "Hola")

    async def verifies(client: httpx.AsyncClient, token: str) -> int:
        r = await client.get("/webhooks/whatsapp", params={**handshake, "hub.verify_token": token})
        return r.status_code

    assert await verifies(second_process, world.info.verify_token) == 200
    channel_id = await demo_channel_id(world)
    changed = await admin.patch(
        f"/api/admin/channels/{channel_id}",
        json={"app_secret": "new-app-secret", "verify_token": "new-verify"},
    )
    assert changed.status_code == 200
    for client in (world.client(), second_process):
        assert await verifies(client, world.info.verify_token) == 403
        assert await verifies(client, "new-verify") == 200
    assert (await world.deliver(body)).status_code == 401  # signed with the old secret
    assert (await world.deliver(body, "new-app-secret")).status_code == 200


async def test_probar_conexion_against_the_emulator(world: World) -> None:
    admin = await world.login("admin")
    channel_id = await demo_channel_id(world)
    url = f"/api/admin/channels/{channel_id}"

    ok = (await admin.post(f"{url}/test")).json()
    assert ok["problem"] is None, ok
    assert (ok["verified_name"], ok["quality_rating"]) == ("atiende demo", "GREEN")
    assert ok["display_phone_number"] == "+52 55 5000 1000"  # Graph's writing of 525550001000
    assert ok["code_verification_status"] == "VERIFIED"
    assert ok["detail"] == "Conexión correcta: atiende demo, calidad GREEN."

    await admin.patch(url, json={"access_token": "EAAG-expired"})
    token = (await admin.post(f"{url}/test")).json()
    assert (token["problem"], token["meta_code"]) == ("invalid_token", 190)
    assert token["detail"].startswith("El token de acceso no es válido o expiró")
    no_secret_in(json.dumps(token), "EAAG-expired")

    await admin.patch(url, json={"access_token": world.info.access_token})
    await admin.patch(url, json={"display_phone_number": "+51 987 654 321"})
    mismatch = (await admin.post(f"{url}/test")).json()
    assert mismatch["problem"] == "display_mismatch"
    assert mismatch["detail"] == (
        "Meta dice que el número es +52 55 5000 1000, pero el canal tiene +51987654321."
    )

    await admin.patch(url, json={"phone_number_id": "999888777666"})
    unknown = (await admin.post(f"{url}/test")).json()
    assert (unknown["problem"], unknown["meta_code"]) == ("unknown_number", 100)
    assert "999888777666" in unknown["detail"]

    missing = await admin.post("/api/admin/channels/99999/test")
    assert missing.status_code == 404


def graph_answers(status: int, body: dict[str, Any]) -> Callable[[httpx.Request], httpx.Response]:
    return lambda _request: httpx.Response(status, json=body)


def graph_fails(error: Exception) -> Callable[[httpx.Request], httpx.Response]:
    def handler(_request: httpx.Request) -> httpx.Response:
        raise error

    return handler


def meta_error(code: int, message: str) -> dict[str, Any]:
    return {"error": {"message": message, "type": "OAuthException", "code": code}}


@pytest.mark.parametrize(
    ("handler", "problem", "code"),
    [
        (
            graph_answers(403, meta_error(10, "(#10) Application does not have permission")),
            "permission",
            10,
        ),
        (graph_answers(403, meta_error(200, "(#200) Permissions error")), "permission", 200),
        (graph_answers(500, meta_error(2, "Service temporarily unavailable")), "graph_error", 2),
        (graph_fails(httpx.ConnectError("Name or service not known")), "unreachable", None),
        (graph_fails(httpx.ConnectTimeout("timed out")), "timeout", None),
        (graph_fails(httpx.ReadTimeout("timed out")), "timeout", None),
        (graph_answers(200, {"id": "1"}), "graph_error", None),
    ],
    ids=["code10", "code200", "http500", "unreachable", "connect_timeout", "read_timeout", "odd"],
)
async def test_probar_conexion_when_graph_fails_otherwise(
    world: World,
    handler: Callable[[httpx.Request], httpx.Response],
    problem: str,
    code: int | None,
) -> None:
    """What the emulator does not play: a Graph that refuses permission, breaks, or is not
    there at all."""
    admin = await world.login("admin")
    channel_id = await demo_channel_id(world)
    emulator = world.rt.http
    world.rt.http = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    try:
        outcome = (await admin.post(f"/api/admin/channels/{channel_id}/test")).json()
    finally:
        await world.rt.http.aclose()
        world.rt.http = emulator
    assert (outcome["problem"], outcome["meta_code"]) == (problem, code)
    if problem == "unreachable":
        assert outcome["detail"] == (
            "No se pudo conectar con http://emulator.test: revise la URL base de Graph."
        )
        assert "Name or service not known" in outcome["meta_message"]
    if problem == "graph_error" and code == 2:
        assert outcome["detail"].endswith("Service temporarily unavailable")


async def test_only_admins_manage_channels(world: World) -> None:
    channel_id = await demo_channel_id(world)
    calls = [
        ("GET", "/api/admin/channels", None),
        ("POST", "/api/admin/channels", NEW),
        ("PATCH", f"/api/admin/channels/{channel_id}", {"access_token": "EAAG-stolen"}),
        ("POST", f"/api/admin/channels/{channel_id}/test", None),
    ]
    for who in ("agente1", "supervisor"):
        client = await world.login(who)
        for method, path, body in calls:
            r = await client.request(method, path, json=body)
            assert (r.status_code, r.json()["code"]) == (403, "forbidden_role"), (who, path)
    for method, path, body in calls:
        assert (await world.client().request(method, path, json=body)).status_code == 401
    async with world.rt.work() as w:
        channel = await w.session.get(Channel, channel_id)
        assert channel is not None and channel.access_token == world.info.access_token
        assert len(list(await w.session.scalars(select(Channel)))) == 1
