"""Campaigns run from the console: created, renamed, archived and unarchived, and the numbers
that enter each; every refusal by field, every change audited."""

from typing import Any

import httpx
from sqlalchemy import select

from atiende.db.models import AuditEntry, Channel
from tests.integration.conftest import CUSTOMERS, World, complete_form
from tests.integration.test_routing import attention_of


async def _create(sup: httpx.AsyncClient, name: str) -> dict[str, Any]:
    r = await sup.post("/api/campaigns", json={"name": name})
    assert r.status_code == 201, r.text
    return r.json()  # type: ignore[no-any-return]


def _field_codes(r: httpx.Response) -> dict[str, str]:
    assert r.status_code == 422, r.text
    body = r.json()
    assert body["code"] == "campaign_invalid", body
    return {k: v["code"] for k, v in body["error_codes"].items()}


async def _campaign(sup: httpx.AsyncClient, name: str) -> dict[str, Any]:
    found = [c for c in (await sup.get("/api/campaigns")).json() if c["name"] == name]
    assert found, name
    return found[0]  # type: ignore[no-any-return]


async def _channel_id(world: World) -> int:
    async with world.rt.work() as w:
        found: int | None = await w.session.scalar(select(Channel.id))
    assert found is not None
    return found


async def _logged(world: World, action: str) -> list[AuditEntry]:
    async with world.rt.work() as w:
        return list(
            await w.session.scalars(
                select(AuditEntry)
                .where(AuditEntry.entity == "campaign", AuditEntry.action == action)
                .order_by(AuditEntry.id)
            )
        )


async def test_created_renamed_and_listed_with_defaults(world: World) -> None:
    sup = await world.login("supervisor")
    made = await _create(sup, "  Cobranzas ")
    assert made["name"] == "Cobranzas" and made["archived"] is False
    assert made["members"] == [] and made["entry_channels"] == [] and made["queued"] == 0
    assert made["routing_mode"] == "least_busy"
    renamed = await sup.patch(
        f"/api/campaigns/{made['id']}", json={"name": "Cobranza temprana", "max_reassignments": 5}
    )
    assert renamed.status_code == 200, renamed.text
    assert renamed.json()["name"] == "Cobranza temprana"
    assert renamed.json()["max_reassignments"] == 5
    assert (await _campaign(sup, "Cobranza temprana"))["id"] == made["id"]
    [created] = await _logged(world, "created")
    assert created.changes["name"] == [None, "Cobranzas"]
    assert created.actor_id == world.users["supervisor"].id
    [updated] = [e for e in await _logged(world, "updated") if "name" in e.changes]
    assert updated.changes == {"name": ["Cobranzas", "Cobranza temprana"]}


async def test_bad_names_are_refused_by_field(world: World) -> None:
    admin = await world.login("admin")
    assert _field_codes(await admin.post("/api/campaigns", json={"name": "  "})) == {
        "name": "required"
    }
    assert _field_codes(await admin.post("/api/campaigns", json={"name": " VENTAS"})) == {
        "name": "campaign_name_taken"
    }
    assert _field_codes(await admin.post("/api/campaigns", json={"name": "x" * 121})) == {
        "name": "too_long"
    }
    assert _field_codes(await admin.post("/api/campaigns", json={"name": "a\tb"})) == {
        "name": "invalid"
    }
    soporte = await _campaign(admin, "Soporte")
    taken = await admin.patch(f"/api/campaigns/{soporte['id']}", json={"name": "ventas"})
    assert _field_codes(taken) == {"name": "campaign_name_taken"}
    # Its own name in other letters is no clash.
    same = await admin.patch(f"/api/campaigns/{soporte['id']}", json={"name": "SOPORTE"})
    assert same.status_code == 200 and same.json()["name"] == "SOPORTE"
    missing = await admin.patch("/api/campaigns/9999", json={"name": "Nueva"})
    assert missing.status_code == 404
    assert (await admin.post("/api/campaigns", json={})).status_code == 422


async def test_entry_channels_move_a_number_and_customers_enter_there(world: World) -> None:
    sup = await world.login("supervisor")
    made = await _create(sup, "Cobranzas")
    channel = await _channel_id(world)
    listed = (await sup.get("/api/entry-channels")).json()
    assert [(c["id"], c["entry_campaign"]["name"]) for c in listed] == [(channel, "Ventas")]
    assert "access_token" not in listed[0] and "app_secret" not in listed[0]
    put = await sup.put(
        f"/api/campaigns/{made['id']}/entry-channels", json={"channel_ids": [channel]}
    )
    assert put.status_code == 200, put.text
    assert [c["id"] for c in put.json()["entry_channels"]] == [channel]
    assert (await _campaign(sup, "Ventas"))["entry_channels"] == []
    [entry] = await _logged(world, "entry_channels")
    assert entry.entity_id == made["id"]
    assert entry.changes == {"entry.WhatsApp demo": ["Ventas", "Cobranzas"]}
    # A member of the new campaign gets its customers.
    members = await sup.put(
        f"/api/campaigns/{made['id']}/members",
        json=[{"user_id": world.users["agente1"].id, "capacity": 2}],
    )
    assert members.status_code == 200
    await world.online("agente1")
    await world.customer_writes(CUSTOMERS["maria"], "Hola")
    attention = await attention_of(world, "maria")
    assert attention.campaign_id == made["id"]
    assert attention.agent_id == world.users["agente1"].id


async def test_a_number_entering_a_campaign_cannot_be_left_without_one(world: World) -> None:
    sup = await world.login("supervisor")
    ventas = await _campaign(sup, "Ventas")
    left = await sup.put(f"/api/campaigns/{ventas['id']}/entry-channels", json={"channel_ids": []})
    assert _field_codes(left) == {"channels": "entry_channel_left"}
    assert left.json()["error_codes"]["channels"]["params"] == {"channels": "WhatsApp demo"}
    unknown = await sup.put(
        f"/api/campaigns/{ventas['id']}/entry-channels",
        json={"channel_ids": [await _channel_id(world), 9999]},
    )
    assert _field_codes(unknown) == {"channels": "invalid"}
    bad = await sup.put(f"/api/campaigns/{ventas['id']}/entry-channels", json={"channel_ids": [0]})
    assert bad.status_code == 422
    assert (await _campaign(sup, "Ventas"))["entry_channels"] != []


async def test_archiving_is_refused_while_a_number_enters_or_attentions_live(
    world: World,
) -> None:
    sup = await world.login("supervisor")
    ventas = await _campaign(sup, "Ventas")
    entered = await sup.patch(f"/api/campaigns/{ventas['id']}", json={"archived": True})
    assert _field_codes(entered) == {"archived": "campaign_entered_by"}
    assert entered.json()["error_codes"]["archived"]["params"] == {"channels": "WhatsApp demo"}
    # The number moves to Soporte; a customer still in Ventas keeps it from being archived.
    await world.online("agente1")
    await world.customer_writes(CUSTOMERS["maria"], "Hola")
    soporte = await _campaign(sup, "Soporte")
    moved = await sup.put(
        f"/api/campaigns/{soporte['id']}/entry-channels",
        json={"channel_ids": [await _channel_id(world)]},
    )
    assert moved.status_code == 200
    live = await sup.patch(f"/api/campaigns/{ventas['id']}", json={"archived": True})
    assert _field_codes(live) == {"archived": "campaign_has_attentions"}
    assert live.json()["error_codes"]["archived"]["params"] == {"n": 1}
    assert (await _campaign(sup, "Ventas"))["archived"] is False


async def test_an_archived_campaign_takes_nothing_new_and_comes_back(world: World) -> None:
    sup = await world.login("supervisor")
    made = await _create(sup, "Temporada")
    channel = await _channel_id(world)
    await sup.put(
        f"/api/campaigns/{made['id']}/members",
        json=[{"user_id": world.users["agente1"].id, "capacity": 2}],
    )
    archived = await sup.patch(f"/api/campaigns/{made['id']}", json={"archived": True})
    assert archived.status_code == 200 and archived.json()["archived"] is True
    assert [e.changes for e in await _logged(world, "archived")] == [{"archived": [False, True]}]
    # Not a transfer target, nowhere to move to, no number enters it.
    await world.online("agente1")
    agent = await world.login("agente1")
    targets = (await agent.get("/api/transfer-targets")).json()["campaigns"]
    assert "Temporada" not in [c["name"] for c in targets]
    queues = (await agent.get("/api/agent/attentions")).json()
    assert "Temporada" not in str(queues)
    await world.customer_writes(CUSTOMERS["maria"], "Hola")
    attention = await attention_of(world, "maria")
    opened = await agent.post(f"/api/attentions/{attention.id}/open")
    assert opened.status_code == 200
    await complete_form(agent, attention.id)
    refused = await agent.post(
        f"/api/attentions/{attention.id}/transfer", json={"campaign_id": made["id"]}
    )
    assert refused.status_code == 422 and refused.json()["code"] == "campaign_archived"
    no_move = await sup.post(
        f"/api/attentions/{attention.id}/move", json={"campaign_id": made["id"], "reason": "x"}
    )
    assert no_move.status_code == 422 and no_move.json()["code"] == "campaign_archived"
    no_entry = await sup.put(
        f"/api/campaigns/{made['id']}/entry-channels", json={"channel_ids": [channel]}
    )
    assert no_entry.status_code == 422 and no_entry.json()["code"] == "campaign_archived"
    # Still listed (reports and history name it), and unarchived it takes work again.
    assert (await _campaign(sup, "Temporada"))["archived"] is True
    back = await sup.patch(f"/api/campaigns/{made['id']}", json={"archived": False})
    assert back.status_code == 200 and back.json()["archived"] is False
    assert [e.changes for e in await _logged(world, "unarchived")] == [{"archived": [True, False]}]
    moved = await agent.post(
        f"/api/attentions/{attention.id}/transfer", json={"campaign_id": made["id"]}
    )
    assert moved.status_code == 200, moved.text


async def test_agents_reach_none_of_it(world: World) -> None:
    agent = await world.login("agente1")
    assert (await agent.post("/api/campaigns", json={"name": "X"})).status_code == 403
    assert (await agent.get("/api/entry-channels")).status_code == 403
    assert (await agent.patch("/api/campaigns/1", json={"archived": True})).status_code == 403
    put = await agent.put("/api/campaigns/1/entry-channels", json={"channel_ids": []})
    assert put.status_code == 403


async def test_a_new_number_cannot_enter_an_archived_campaign(world: World) -> None:
    sup = await world.login("supervisor")
    made = await _create(sup, "Cerrada")
    assert (await sup.patch(f"/api/campaigns/{made['id']}", json={"archived": True})).is_success
    admin = await world.login("admin")
    channel = {
        "name": "Otro número",
        "phone_number_id": "777000222",
        "display_phone_number": "51100200301",
        "access_token": "EAAG-secret-token",
        "app_secret": "app-secret-xyz",
        "verify_token": "verify-me",
    }
    refused = await admin.post(
        "/api/admin/channels", json={**channel, "entry_campaign_id": made["id"]}
    )
    # Refused under its field, as the channel form shows it.
    assert refused.status_code == 422 and refused.json()["code"] == "channel_invalid"
    entry = refused.json()["error_codes"]["entry_campaign_id"]
    assert entry == {"code": "campaign_archived", "params": {"campaign": "Cerrada"}}
    ventas = await _campaign(sup, "Ventas")
    ok = await admin.post(
        "/api/admin/channels", json={**channel, "entry_campaign_id": ventas["id"]}
    )
    assert ok.status_code == 201, ok.text
