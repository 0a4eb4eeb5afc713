"""Users managed by an administrator from the browser, and the audit log of those changes."""

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import func, select

from atiende.db.models import Attention, AuditEntry, Campaign
from atiende.domain.audit import MASK
from tests.integration.conftest import CUSTOMERS, World

NEW = {
    "username": "lucia.r",
    "display_name": "Lucía Ramos",
    "role": "agent",
    "password": "s3creta-larga",
}


async def _campaign(world: World, name: str) -> int:
    async with world.rt.work() as w:
        found = await w.session.scalar(select(Campaign.id).where(Campaign.name == name))
    assert found is not None
    return found


async def _last_logged(world: World) -> int:
    """The demo's seed is logged too (its forms, its templates): tests read what follows."""
    async with world.rt.work() as w:
        return await w.session.scalar(select(func.max(AuditEntry.id))) or 0


def _after(mark: int, response: httpx.Response) -> list[dict[str, Any]]:
    assert response.status_code == 200, response.text
    return [e for e in response.json()["items"] if e["id"] > mark]


async def _create(admin: httpx.AsyncClient, **extra: Any) -> dict[str, Any]:
    r = await admin.post("/api/admin/users", json={**NEW, **extra})
    assert r.status_code == 201, r.text
    return r.json()  # type: ignore[no-any-return]


async def test_created_with_a_membership_logs_in_and_is_listed(world: World) -> None:
    admin = await world.login("admin")
    ventas = await _campaign(world, "Ventas")
    made = await _create(admin, memberships=[{"campaign_id": ventas, "capacity": 2}])
    assert made["memberships"] == [
        {"campaign_id": ventas, "campaign_name": "Ventas", "capacity": 2}
    ]
    assert made["active"] is True and "password" not in made and "password_hash" not in made
    listed = (await admin.get("/api/admin/users")).json()
    assert [u["username"] for u in listed if u["id"] == made["id"]] == ["lucia.r"]
    campaigns = (await admin.get("/api/campaigns")).json()
    members = next(c for c in campaigns if c["id"] == ventas)["members"]
    assert {"user_id": made["id"], "capacity": 2} in [
        {"user_id": m["user_id"], "capacity": m["capacity"]} for m in members
    ]
    login = await world.client().post(
        "/api/auth/login", json={"username": "lucia.r", "password": "s3creta-larga"}
    )
    assert login.status_code == 200


async def test_bad_fields_are_refused_each_by_name(world: World) -> None:
    admin = await world.login("admin")
    r = await admin.post(
        "/api/admin/users",
        json={**NEW, "username": "Con Espacios", "display_name": " ", "password": "corta"},
    )
    assert r.status_code == 422
    body = r.json()
    assert body["code"] == "user_invalid"
    assert {k: v["code"] for k, v in body["error_codes"].items()} == {
        "username": "username_format",
        "display_name": "required",
        "password": "password_short",
    }
    duplicate = await admin.post("/api/admin/users", json={**NEW, "username": "agente1"})
    assert duplicate.status_code == 422
    assert duplicate.json()["error_codes"] == {"username": {"code": "username_taken", "params": {}}}
    async with world.rt.work() as w:
        logged = await w.session.scalar(select(AuditEntry.id).where(AuditEntry.entity == "user"))
        assert logged is None, "nothing refused is logged"


async def test_edit_and_self_demotion_refused(world: World) -> None:
    admin = await world.login("admin")
    made = await _create(admin)
    r = await admin.patch(
        f"/api/admin/users/{made['id']}", json={"display_name": "Lucía R.", "role": "supervisor"}
    )
    assert r.status_code == 200, r.text
    assert (r.json()["display_name"], r.json()["role"]) == ("Lucía R.", "supervisor")
    me = world.users["admin"].id
    itself = await admin.patch(f"/api/admin/users/{me}", json={"role": "agent"})
    assert itself.status_code == 422
    assert itself.json()["error_codes"]["role"]["code"] == "cannot_demote_self"
    deactivate_self = await admin.post(f"/api/admin/users/{me}/deactivate")
    assert deactivate_self.json()["code"] == "cannot_deactivate_self"


async def test_deactivated_agent_loses_sessions_and_his_attention_goes_back(world: World) -> None:
    await world.online("agente1")
    async with world.rt.work() as w:
        # agente2 is away, so the customer's attention is agente1's.
        from atiende.db.models import User

        other = await w.session.get(User, world.users["agente2"].id)
        assert other is not None
        other.status = "offline"
    agent = await world.login("agente1")
    await world.customer_writes(CUSTOMERS["maria"], "Hola")
    async with world.rt.work() as w:
        held = await w.session.scalar(
            select(Attention).where(Attention.agent_id == world.users["agente1"].id)
        )
        assert held is not None and held.state == "assigned"
        attention_id = held.id
    admin = await world.login("admin")
    done = await admin.post(f"/api/admin/users/{world.users['agente1'].id}/deactivate")
    assert done.status_code == 200 and done.json()["active"] is False
    assert (await agent.get("/api/auth/me")).status_code == 401
    again = await world.client().post(
        "/api/auth/login", json={"username": "agente1", "password": "agente1"}
    )
    assert again.status_code == 401
    async with world.rt.work() as w:
        back = await w.session.get(Attention, attention_id)
        assert back is not None and back.state == "queued" and back.agent_id is None
    listed = (await admin.get("/api/admin/users")).json()
    assert next(u for u in listed if u["username"] == "agente1")["active"] is False


async def test_reset_password_ends_his_sessions(world: World) -> None:
    admin = await world.login("admin")
    agent = await world.login("agente2")
    target = world.users["agente2"].id
    short = await admin.post(f"/api/admin/users/{target}/password", json={"password": "x"})
    assert short.json()["error_codes"]["password"]["code"] == "password_short"
    assert (await agent.get("/api/auth/me")).status_code == 200, "a refusal changes nothing"
    r = await admin.post(f"/api/admin/users/{target}/password", json={"password": "otra-clave-9"})
    assert r.status_code == 204
    assert (await agent.get("/api/auth/me")).status_code == 401
    old = await world.client().post(
        "/api/auth/login", json={"username": "agente2", "password": "agente2"}
    )
    assert old.status_code == 401
    new = await world.client().post(
        "/api/auth/login", json={"username": "agente2", "password": "otra-clave-9"}
    )
    assert new.status_code == 200


async def test_memberships_go_through_the_campaign_members(world: World) -> None:
    admin = await world.login("admin")
    ventas, soporte = await _campaign(world, "Ventas"), await _campaign(world, "Soporte")
    made = await _create(admin, memberships=[{"campaign_id": ventas, "capacity": 2}])
    r = await admin.put(
        f"/api/admin/users/{made['id']}/memberships",
        json=[{"campaign_id": soporte, "capacity": 4}],
    )
    assert r.status_code == 200, r.text
    assert [(m["campaign_name"], m["capacity"]) for m in r.json()["memberships"]] == [
        ("Soporte", 4)
    ]
    supervisor = await world.login("supervisor")
    refused = await admin.put(
        f"/api/admin/users/{world.users['supervisor'].id}/memberships",
        json=[{"campaign_id": soporte, "capacity": 1}],
    )
    assert refused.json()["code"] == "not_agents"
    log = (await supervisor.get("/api/audit-log", params={"entity": "campaign"})).json()["items"]
    assert {"capacity.lucia.r": [2, None]} in [e["changes"] for e in log]
    assert {"capacity.lucia.r": [None, 4]} in [e["changes"] for e in log]


async def test_the_audit_log_masks_secrets_and_filters(world: World) -> None:
    mark = await _last_logged(world)
    admin = await world.login("admin")
    made = await _create(admin)
    await admin.post(f"/api/admin/users/{made['id']}/password", json={"password": "nueva-clave-1"})
    await admin.post(f"/api/admin/users/{made['id']}/deactivate")
    supervisor = await world.login("supervisor")
    await supervisor.patch(
        f"/api/campaigns/{await _campaign(world, 'Ventas')}", json={"max_reassignments": 5}
    )
    items = _after(mark, await supervisor.get("/api/audit-log"))
    assert [(e["entity"], e["action"]) for e in items] == [
        ("campaign", "updated"),
        ("user", "deactivated"),
        ("user", "password_reset"),
        ("user", "created"),
    ]
    created = items[-1]
    assert created["actor_name"] == world.users["admin"].display_name
    assert created["entity_name"] == "Lucía Ramos"
    assert created["changes"]["password"] == [None, MASK]
    assert created["changes"]["username"] == [None, "lucia.r"]
    assert items[1]["changes"] == {"active": [True, False]}
    assert items[0]["changes"]["max_reassignments"][1] == 5
    async with world.rt.work() as w:
        stored = [e.changes for e in await w.session.scalars(select(AuditEntry))]
    assert "nueva-clave-1" not in str(stored) and "s3creta-larga" not in str(stored)

    by_admin = await supervisor.get("/api/audit-log", params={"actor_id": world.users["admin"].id})
    assert len(_after(mark, by_admin)) == 3
    users_only = await supervisor.get("/api/audit-log", params={"entity": "user"})
    assert len(_after(mark, users_only)) == 3
    tomorrow = datetime.now(UTC) + timedelta(days=1)
    later = await supervisor.get("/api/audit-log", params={"since": tomorrow.isoformat()})
    assert later.json()["items"] == []
    today = await supervisor.get(
        "/api/audit-log",
        params={"since": (tomorrow - timedelta(days=2)).isoformat(), "until": tomorrow.isoformat()},
    )
    assert len(_after(mark, today)) == 4
    naive = await supervisor.get("/api/audit-log", params={"since": "2026-01-01T00:00:00"})
    assert naive.status_code == 422


async def test_the_audit_log_pages_by_key(world: World) -> None:
    admin = await world.login("admin")
    mark = await _last_logged(world)
    for i in range(5):
        await _create(admin, username=f"agente.n{i}")
    first = (await admin.get("/api/audit-log", params={"limit": 2})).json()
    ids = [e["id"] for e in first["items"]]
    seen = list(ids)
    before = first["next_before"]
    while before is not None:
        page = (await admin.get("/api/audit-log", params={"limit": 2, "before": before})).json()
        seen += [e["id"] for e in page["items"]]
        before = page["next_before"]
    seen = [i for i in seen if i > mark]
    assert len(seen) == 5 and seen == sorted(seen, reverse=True)


async def test_only_admins_manage_users_and_agents_read_no_log(world: World) -> None:
    supervisor = await world.login("supervisor")
    agent = await world.login("agente1")
    assert (await supervisor.post("/api/admin/users", json=NEW)).status_code == 403
    assert (await supervisor.get("/api/admin/users")).status_code == 403
    assert (await agent.get("/api/audit-log")).status_code == 403
    assert (await supervisor.get("/api/audit-log")).status_code == 200


async def test_the_supervisors_changes_are_logged_too(world: World) -> None:
    mark = await _last_logged(world)
    supervisor = await world.login("supervisor")
    soporte = await _campaign(world, "Soporte")
    added = await supervisor.post(
        f"/api/campaigns/{soporte}/templates",
        json={"name": "aviso", "language": "es", "body": "Hola {{1}}"},
    )
    assert added.status_code == 201, added.text
    await supervisor.delete(f"/api/campaigns/{soporte}/templates/{added.json()['id']}")
    form = await supervisor.put(
        f"/api/campaigns/{soporte}/form",
        json={"fields": [{"key": "ticket", "label": "Ticket", "type": "text", "required": True}]},
    )
    assert form.status_code == 200, form.text
    await world.customer_writes(CUSTOMERS["maria"], "Hola")
    async with world.rt.work() as w:
        attention_id = await w.session.scalar(select(Attention.id))
    moved = await supervisor.post(
        f"/api/attentions/{attention_id}/move",
        json={"campaign_id": soporte, "agent_id": None, "reason": "Es de soporte"},
    )
    assert moved.status_code == 200, moved.text
    mine = _after(mark, await supervisor.get("/api/audit-log"))
    assert [e["action"] for e in mine] == ["moved", "form", "template_removed", "template_added"]
    move, defined, removed, made = mine
    assert move["entity"] == "attention" and move["entity_id"] == attention_id
    assert move["changes"]["campaign"] == ["Ventas", "Soporte"]
    assert move["changes"]["reason"] == [None, "Es de soporte"]
    assert defined["changes"]["form_fields"][1] == ["ticket (Ticket, text, *)"]
    assert made["changes"]["template"] == [None, "aviso (es)"]
    assert removed["changes"]["template"] == ["aviso (es)", None]
    only_moves = await supervisor.get("/api/audit-log", params={"entity": "attention"})
    assert [e["action"] for e in _after(mark, only_moves)] == ["moved"]
