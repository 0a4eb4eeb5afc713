"""Who may do what beyond the route matrix (test_access_matrix.py): opening, what another
agent hears, CSRF on state changes, logging in and out, channels and database guards."""

import httpx
import pytest
from sqlalchemy import func, select

from atiende.db.models import Attention, Channel
from tests.integration.conftest import CUSTOMERS, World


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
    assert again.status_code == 422
    assert again.json()["error_codes"]["phone_number_id"]["code"] == "channel_exists"
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
