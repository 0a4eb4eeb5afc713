"""Who may do what: every attention endpoint for its owner, another agent, a supervisor and
an anonymous caller; the admin endpoints by role; CSRF on state changes."""

from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from atiende.db.models import Attention, Channel
from tests.integration.conftest import CUSTOMERS, World, complete_form

# (method, path template, body, owner, other agent, supervisor, anonymous)
# Bodies may name "{soporte}", the id of the Soporte campaign, filled in at run time.
ATTENTION_MATRIX: list[tuple[str, str, dict[str, Any] | None, int, int, int, int]] = [
    ("GET", "/api/attentions/{id}", None, 200, 404, 200, 401),
    ("GET", "/api/attentions/{id}/messages", None, 200, 404, 200, 401),
    ("GET", "/api/attentions/{id}/timeline", None, 200, 404, 200, 401),
    ("GET", "/api/attentions/{id}/transfers", None, 200, 404, 200, 401),
    ("GET", "/api/attentions/{id}/form", None, 200, 404, 200, 401),
    ("PUT", "/api/attentions/{id}/form/draft", {"values": {"notas": "x"}}, 200, 404, 403, 401),
    (
        "POST",
        "/api/attentions/{id}/form/submit",
        {"values": {"motivo": "Compra", "documento": "1"}},
        200,
        404,
        403,
        401,
    ),
    ("POST", "/api/attentions/{id}/seen", None, 200, 404, 403, 401),
    ("POST", "/api/attentions/{id}/typing", None, 200, 404, 403, 401),
    ("POST", "/api/attentions/{id}/messages", {"text": "hola"}, 201, 404, 403, 401),
    ("POST", "/api/attentions/{id}/transfer", {"campaign_id": "{soporte}"}, 200, 404, 403, 401),
    (
        "POST",
        "/api/attentions/{id}/move",
        {"campaign_id": "{soporte}", "reason": "turno"},
        403,
        403,
        200,
        401,
    ),
    ("POST", "/api/attentions/{id}/end", None, 200, 404, 403, 401),
]

# (method, path, body, agent, supervisor, admin, anonymous)
DESK_AND_STAFF_MATRIX: list[tuple[str, str, Any, int, int, int, int]] = [
    ("GET", "/api/agent/attentions", None, 200, 200, 200, 401),
    ("GET", "/api/agent/attended", None, 200, 200, 200, 401),
    ("GET", "/api/transfer-targets", None, 200, 200, 200, 401),
    ("GET", "/api/pause-reasons", None, 200, 200, 200, 401),
    ("PUT", "/api/agent/status", {"status": "available"}, 200, 200, 200, 401),
    ("GET", "/api/campaigns", None, 403, 200, 200, 401),
    ("PATCH", "/api/campaigns/{soporte}", {"reassign_after_seconds": 10}, 403, 200, 200, 401),
    ("PUT", "/api/campaigns/{soporte}/members", [], 403, 200, 200, 401),
    ("GET", "/api/campaigns/{soporte}/form", None, 403, 200, 200, 401),
    (
        "PUT",
        "/api/campaigns/{soporte}/form",
        {"fields": [{"key": "a", "label": "A", "type": "text"}]},
        403,
        200,
        200,
        401,
    ),
    ("GET", "/api/supervisor/attentions", None, 403, 200, 200, 401),
    ("GET", "/api/users", None, 403, 200, 200, 401),
    ("GET", "/api/reports/transfers", None, 403, 200, 200, 401),
    ("GET", "/api/admin/channels", None, 403, 403, 200, 401),
    ("GET", "/api/admin/webhook-failures", None, 403, 200, 200, 401),
]


def _fill(value: Any, soporte: int) -> Any:
    if isinstance(value, str):
        return soporte if value == "{soporte}" else value.replace("{soporte}", str(soporte))
    if isinstance(value, dict):
        return {k: _fill(v, soporte) for k, v in value.items()}
    if isinstance(value, list):
        return [_fill(v, soporte) for v in value]
    return value


async def _soporte(world: World) -> int:
    from atiende.db.models import Campaign

    async with world.rt.work() as w:
        found = await w.session.scalar(select(Campaign.id).where(Campaign.name == "Soporte"))
        assert found is not None
        return found


async def _open_attention(world: World) -> tuple[int, httpx.AsyncClient]:
    await world.online("agente1")
    owner = await world.login("agente1")
    await world.customer_writes(CUSTOMERS["maria"], "Hola")
    attention_id = (await owner.get("/api/agent/attentions")).json()["assigned"][0]["id"]
    return attention_id, owner


async def test_only_the_assigned_agent_can_open(world: World) -> None:
    await world.online("agente1")
    owner = await world.login("agente1")
    await world.customer_writes(CUSTOMERS["maria"], "Hola")
    attention_id = (await owner.get("/api/agent/attentions")).json()["assigned"][0]["id"]
    other = await world.login("agente2")
    supervisor = await world.login("supervisor")
    assert (await other.post(f"/api/attentions/{attention_id}/open")).status_code == 404
    assert (await supervisor.post(f"/api/attentions/{attention_id}/open")).status_code == 403
    assert (await world.client().post(f"/api/attentions/{attention_id}/open")).status_code == 401
    assert (await owner.post(f"/api/attentions/{attention_id}/open")).status_code == 200
    assert (await owner.post(f"/api/attentions/{attention_id}/open")).status_code == 409


@pytest.mark.parametrize(
    ("method", "path", "body", "owner_s", "other_s", "sup_s", "anon_s"), ATTENTION_MATRIX
)
async def test_attention_endpoints_by_caller(
    world: World,
    method: str,
    path: str,
    body: dict[str, Any] | None,
    owner_s: int,
    other_s: int,
    sup_s: int,
    anon_s: int,
) -> None:
    attention_id, owner = await _open_attention(world)
    assert (await owner.post(f"/api/attentions/{attention_id}/open")).status_code == 200
    await complete_form(owner, attention_id)
    soporte = await _soporte(world)
    url = _fill(path.replace("{id}", str(attention_id)), soporte)
    body = _fill(body, soporte)
    callers = {
        "other agent": (await world.login("agente2"), other_s),
        "supervisor": (await world.login("supervisor"), sup_s),
        "anonymous": (world.client(), anon_s),
        "owner": (owner, owner_s),
    }
    for who, (client, expected) in callers.items():
        response = await client.request(method, url, json=body)
        assert response.status_code == expected, f"{who}: {response.status_code} {response.text}"


@pytest.mark.parametrize(
    ("method", "path", "body", "agent_s", "sup_s", "admin_s", "anon_s"), DESK_AND_STAFF_MATRIX
)
async def test_desk_and_staff_endpoints_by_role(
    world: World,
    method: str,
    path: str,
    body: Any,
    agent_s: int,
    sup_s: int,
    admin_s: int,
    anon_s: int,
) -> None:
    soporte = await _soporte(world)
    url, payload = _fill(path, soporte), _fill(body, soporte)
    callers = {
        "agent": (await world.login("agente1"), agent_s),
        "supervisor": (await world.login("supervisor"), sup_s),
        "admin": (await world.login("admin"), admin_s),
        "anonymous": (world.client(), anon_s),
    }
    for who, (client, expected) in callers.items():
        response = await client.request(method, url, json=payload)
        assert response.status_code == expected, f"{who}: {response.status_code} {response.text}"


async def test_another_agent_hears_nothing_and_sees_nothing(world: World) -> None:
    sockets = await world.online("agente1", "agente2")
    async with world.rt.work() as w:
        from atiende.db.models import User

        busy = await w.session.get(User, world.users["agente2"].id)
        assert busy is not None
        busy.status = "paused"
    owner = await world.login("agente1")
    other = await world.login("agente2")
    await world.customer_writes(CUSTOMERS["maria"], "Hola")
    attention_id = (await owner.get("/api/agent/attentions")).json()["assigned"][0]["id"]
    await owner.post(f"/api/attentions/{attention_id}/open")
    await world.customer_writes(CUSTOMERS["maria"], "Mis datos privados")
    desk = (await other.get("/api/agent/attentions")).json()
    assert desk["assigned"] == [] and desk["open"] == []
    leaked = [e for e in sockets["agente2"].sent if e["type"] != "queues"]
    assert leaked == [], "the other agent's socket got events about a chat that is not his"


async def test_state_changes_need_the_csrf_token(world: World) -> None:
    attention_id, owner = await _open_attention(world)
    del owner.headers["X-CSRF-Token"]
    refused = await owner.post(f"/api/attentions/{attention_id}/open")
    assert refused.status_code == 403
    assert refused.json()["code"] == "csrf"
    owner.headers["X-CSRF-Token"] = "forged"
    assert (await owner.post(f"/api/attentions/{attention_id}/open")).status_code == 403


async def test_login_refuses_bad_credentials_alike(world: World) -> None:
    c = world.client()
    wrong = await c.post("/api/auth/login", json={"username": "agente1", "password": "x"})
    nobody = await c.post("/api/auth/login", json={"username": "nadie", "password": "x"})
    assert wrong.status_code == nobody.status_code == 401
    assert wrong.json()["detail"] == nobody.json()["detail"]
    assert (await c.get("/api/auth/me")).status_code == 401


async def test_logout_ends_the_session(world: World) -> None:
    agent = await world.login("agente1")
    me = await agent.get("/api/auth/me")
    assert me.status_code == 200 and me.json()["user"]["role"] == "agent"
    assert (await agent.post("/api/auth/logout")).status_code == 204
    assert (await agent.get("/api/agent/attentions")).status_code == 401


CHANNEL = {
    "name": "Soporte Perú",
    "phone_number_id": "777000111",
    "display_phone_number": "51100200300",
    "access_token": "EAAG-secret-token",
    "app_secret": "app-secret-xyz",
    "verify_token": "verify-me",
    "entry_campaign_id": 1,
}


async def test_only_admins_create_channels_and_secrets_never_come_back(world: World) -> None:
    for who, expected in (("agente1", 403), ("supervisor", 403)):
        client = await world.login(who)
        assert (await client.post("/api/admin/channels", json=CHANNEL)).status_code == expected
    assert (await world.client().post("/api/admin/channels", json=CHANNEL)).status_code == 401
    admin = await world.login("admin")
    created = await admin.post("/api/admin/channels", json=CHANNEL)
    assert created.status_code == 201, created.text
    listed = (await admin.get("/api/admin/channels")).json()
    text = created.text + str(listed)
    for secret in ("EAAG-secret-token", "app-secret-xyz", "verify-me"):
        assert secret not in text
    again = await admin.post("/api/admin/channels", json=CHANNEL)
    assert again.status_code == 409
    missing = await admin.post("/api/admin/channels", json={**CHANNEL, "app_secret": ""})
    assert missing.status_code == 422
    async with world.rt.work() as w:
        assert await w.session.scalar(select(func.count()).select_from(Channel)) == 2


async def test_database_refuses_a_second_open_attention_for_one_customer(world: World) -> None:
    from sqlalchemy.exc import IntegrityError

    await world.customer_writes(CUSTOMERS["maria"], "Hola")
    with pytest.raises(IntegrityError):
        async with world.rt.work() as w:
            first = await w.session.scalar(select(Attention))
            assert first is not None
            w.session.add(
                Attention(
                    channel_id=first.channel_id,
                    customer_id=first.customer_id,
                    campaign_id=first.campaign_id,
                    state="queued",
                )
            )
            await w.session.flush()


async def test_database_refuses_impossible_campaign_settings(world: World) -> None:
    from sqlalchemy import update
    from sqlalchemy.exc import IntegrityError

    from atiende.db.models import Campaign

    for values in ({"reassign_after_seconds": -1}, {"overflow_mode": "everyone"}):
        with pytest.raises(IntegrityError):
            async with world.rt.work() as w:
                await w.session.execute(update(Campaign).values(**values))
