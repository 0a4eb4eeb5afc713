"""Pause reasons kept by supervisors: the agent's menu and presence follow the list; renames
and deactivations keep the status history and the agents paused with them right."""

from typing import Any

import httpx
from sqlalchemy import select

from atiende.db.models import AgentStatusChange, AuditEntry, User
from tests.integration.conftest import World

URL = "/api/supervisor/pause-reasons"


async def _listed(client: httpx.AsyncClient) -> list[dict[str, Any]]:
    r = await client.get(URL)
    assert r.status_code == 200, r.text
    return r.json()  # type: ignore[no-any-return]


def _rows(listed: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"id": x["id"], "name": x["name"], "active": x["active"]} for x in listed]


async def _save(client: httpx.AsyncClient, rows: list[dict[str, Any]]) -> httpx.Response:
    return await client.put(URL, json={"reasons": rows})


async def test_the_seeded_six_are_the_agents_menu(world: World) -> None:
    agent = await world.login("agente1")
    assert (await agent.get("/api/pause-reasons")).json() == [
        "Almuerzo",
        "Baño",
        "Capacitación",
        "Reunión",
        "Pausa activa",
        "Otro",
    ]


async def test_added_reordered_renamed_deactivated_and_audited(world: World) -> None:
    sup = await world.login("supervisor")
    rows = _rows(await _listed(sup))
    almuerzo, bano, *rest = rows
    bano["name"] = "Servicios higiénicos"
    rest[-1]["active"] = False  # Otro
    saved = await _save(
        sup, [*rest, {"name": "  Soporte técnico ", "active": True}, bano, almuerzo]
    )
    assert saved.status_code == 200, saved.text
    names = [x["name"] for x in saved.json()]
    assert names == [
        "Capacitación",
        "Reunión",
        "Pausa activa",
        "Otro",
        "Soporte técnico",
        "Servicios higiénicos",
        "Almuerzo",
    ]
    agent = await world.login("agente1")
    assert (await agent.get("/api/pause-reasons")).json() == [n for n in names if n != "Otro"]
    async with world.rt.work() as w:
        logged = list(
            await w.session.scalars(
                select(AuditEntry)
                .where(AuditEntry.entity == "pause_reason")
                .order_by(AuditEntry.id)
            )
        )
    by_action = {(e.action, e.entity_id): e.changes for e in logged}
    assert by_action[("updated", bano["id"])]["name"] == ["Baño", "Servicios higiénicos"]
    assert by_action[("updated", rest[-1]["id"])]["active"] == [True, False]
    created = [c for (action, _), c in by_action.items() if action == "created"]
    assert created == [
        {"active": [None, True], "name": [None, "Soporte técnico"], "position": [None, 5]}
    ]
    assert all(e.actor_id == world.users["supervisor"].id for e in logged)
    shown = (await sup.get("/api/audit-log", params={"entity": "pause_reason"})).json()["items"]
    assert "Servicios higiénicos" in {e["entity_name"] for e in shown}


async def test_presence_accepts_only_active_reasons(world: World) -> None:
    sup = await world.login("supervisor")
    rows = _rows(await _listed(sup))
    rows[0]["active"] = False  # Almuerzo
    assert (await _save(sup, rows)).status_code == 200
    agent = await world.login("agente1")
    refused = await agent.put("/api/agent/status", json={"status": "paused", "reason": "Almuerzo"})
    assert refused.status_code == 422 and refused.json()["code"] == "pause_reason"
    unknown = await agent.put("/api/agent/status", json={"status": "paused", "reason": "Siesta"})
    assert unknown.status_code == 422
    ok = await agent.put("/api/agent/status", json={"status": "paused", "reason": "Reunión"})
    assert ok.status_code == 200 and ok.json()["pause_reason"] == "Reunión"


async def test_paused_agents_keep_a_deactivated_reason_and_follow_a_rename(world: World) -> None:
    agent = await world.login("agente1")
    assert (
        await agent.put("/api/agent/status", json={"status": "paused", "reason": "Baño"})
    ).status_code == 200
    sup = await world.login("supervisor")
    rows = _rows(await _listed(sup))
    assert next(x for x in await _listed(sup) if x["name"] == "Baño")["in_use"] == 1
    bano = next(x for x in rows if x["name"] == "Baño")
    bano["name"], bano["active"] = "Servicios", False
    assert (await _save(sup, rows)).status_code == 200
    async with world.rt.work() as w:
        user = await w.session.get(User, world.users["agente1"].id)
        assert user is not None and user.pause_reason == "Servicios"
        history = list(
            await w.session.scalars(
                select(AgentStatusChange).where(AgentStatusChange.user_id == user.id)
            )
        )
    # The history keeps what was chosen, and the reason's id across the rename.
    paused = [(h.reason, h.reason_id) for h in history if h.status == "paused"]
    assert paused == [("Baño", bano["id"])]
    # Still valid for him (e.g. choosing it again, or a reconnect restoring it)...
    again = await agent.put("/api/agent/status", json={"status": "paused", "reason": "Servicios"})
    assert again.status_code == 200
    # ...until he leaves it.
    await agent.put("/api/agent/status", json={"status": "available"})
    gone = await agent.put("/api/agent/status", json={"status": "paused", "reason": "Servicios"})
    assert gone.status_code == 422


async def test_bad_lists_are_refused_by_row(world: World) -> None:
    sup = await world.login("supervisor")
    rows = _rows(await _listed(sup))
    bad = await _save(
        sup, [*rows, {"name": " ", "active": True}, {"name": "almuerzo ", "active": True}]
    )
    assert bad.status_code == 422
    body = bad.json()
    assert body["code"] == "pause_reasons_invalid"
    assert {k: v["code"] for k, v in body["error_codes"].items()} == {
        "6": "required",
        "7": "name_repeated",
    }
    long = await _save(sup, [*rows, {"name": "x" * 61, "active": True}])
    assert long.json()["error_codes"]["6"]["code"] == "too_long"
    stranger = await _save(sup, [*rows, {"id": 9999, "name": "X", "active": True}])
    assert stranger.json()["error_codes"]["6"]["code"] == "invalid"
    missing = await _save(sup, rows[1:])
    assert missing.status_code == 422 and missing.json()["code"] == "pause_reasons_incomplete"
    none_active = await _save(sup, [{**r, "active": False} for r in rows])
    assert none_active.json()["code"] == "pause_reasons_none_active"
    assert _rows(await _listed(sup)) == rows  # nothing changed


async def test_agents_reach_none_of_it(world: World) -> None:
    agent = await world.login("agente1")
    assert (await agent.get(URL)).status_code == 403
    assert (await agent.put(URL, json={"reasons": []})).status_code == 403
