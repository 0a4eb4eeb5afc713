"""Transfers by agents, moves by supervisors, segments with their own forms, the records,
the attended list and the timeline."""

from typing import Any

import httpx
from sqlalchemy import select

from atiende.db.models import FormSubmission, Transfer, User
from tests.integration.conftest import CUSTOMERS, World, complete_form
from tests.integration.test_routing import attention_of, desk, set_campaign


async def campaign_id(world: World, name: str) -> int:
    return await set_campaign(world, name)


async def open_for(
    world: World, username: str, key: str = "maria"
) -> tuple[httpx.AsyncClient, int]:
    client = await world.login(username)
    await world.customer_writes(CUSTOMERS[key], "Hola")
    attention = await attention_of(world, key)
    assert attention.agent_id == world.users[username].id, "routed to the agent under test"
    opened = await client.post(f"/api/attentions/{attention.id}/open")
    assert opened.status_code == 200, opened.text
    return client, attention.id


async def transfer(client: httpx.AsyncClient, attention_id: int, **body: Any) -> httpx.Response:
    return await client.post(f"/api/attentions/{attention_id}/transfer", json=body)


async def test_transfer_to_a_campaign_queues_it_there_with_its_form(world: World) -> None:
    await world.online("agente1")
    agent, attention_id = await open_for(world, "agente1")
    ventas_values = await complete_form(agent, attention_id)
    soporte = await campaign_id(world, "Soporte")

    moved = await transfer(agent, attention_id, campaign_id=soporte, note="Consulta técnica")
    assert moved.status_code == 200, moved.text
    body = moved.json()
    assert body["state"] == "queued" and body["campaign"]["name"] == "Soporte"
    assert body["segment"] == 2 and body["transfer_count"] == 1
    assert (await desk(agent))["open"] == []

    # The transferring agent may read it (Atendidas), never write.
    assert (await agent.get(f"/api/attentions/{attention_id}")).status_code == 200
    write = await agent.post(f"/api/attentions/{attention_id}/messages", json={"text": "hola"})
    assert write.status_code == 403
    attended = (await agent.get("/api/agent/attended")).json()
    assert [(i["id"], i["outcome"]) for i in attended["items"]] == [(attention_id, "transferred")]
    mine = (await agent.get(f"/api/attentions/{attention_id}/form")).json()
    assert mine["form"]["campaign"]["name"] == "Ventas"
    assert ventas_values.items() <= mine["values"].items()

    await world.online("agente2")
    await world.app.state.workers.route_once()
    async with world.rt.work() as w:
        agente1 = await w.session.get(User, world.users["agente1"].id)
        assert agente1 is not None
        agente1.status = "paused"
    other = await world.login("agente2")
    held = await attention_of(world, "maria")
    if held.agent_id != world.users["agente2"].id:
        return  # routed back to agente1, who is also in Soporte: a legitimate outcome
    await other.post(f"/api/attentions/{attention_id}/open")
    form = (await other.get(f"/api/attentions/{attention_id}/form")).json()
    assert form["form"]["campaign"]["name"] == "Soporte" and form["segment"] == 2
    assert form["values"] == {}


async def test_transfer_to_an_agent_assigns_it_to_him_live(world: World) -> None:
    sockets = await world.online("agente1", "agente2")
    agent, attention_id = await open_for(world, "agente1")
    soporte = await campaign_id(world, "Soporte")
    target = world.users["agente2"].id
    moved = await transfer(agent, attention_id, campaign_id=soporte, agent_id=target, note=None)
    assert moved.status_code == 200, moved.text
    assert moved.json()["state"] == "assigned" and moved.json()["agent_id"] == target
    updates = sockets["agente2"].of_type("attention.updated")
    assert updates[-1]["attention"]["id"] == attention_id
    assert updates[-1]["attention"]["state"] == "assigned"
    removed = [e["attention_id"] for e in sockets["agente1"].of_type("attention.removed")]
    assert attention_id in removed
    held = await attention_of(world, "maria")
    assert held.reassign_at is not None, "the destination campaign's reassignment applies"
    async with world.rt.work() as w:
        users = {u.username: u.active_count for u in await w.session.scalars(select(User))}
    assert users == {"agente1": 0, "agente2": 1, "supervisor": 0, "admin": 0}


async def test_refused_transfers_change_nothing(world: World) -> None:
    await world.online("agente1", "agente2")
    agent, attention_id = await open_for(world, "agente1")
    soporte = await campaign_id(world, "Soporte")
    async with world.rt.work() as w:
        agente2 = await w.session.get(User, world.users["agente2"].id)
        assert agente2 is not None
        agente2.capacity = 0
    full = await transfer(
        agent, attention_id, campaign_id=soporte, agent_id=world.users["agente2"].id
    )
    assert full.status_code == 409 and full.json()["code"] == "agent_full"
    to_self = await transfer(
        agent, attention_id, campaign_id=soporte, agent_id=world.users["agente1"].id
    )
    assert to_self.status_code == 422
    nobody = await transfer(
        agent, attention_id, campaign_id=soporte, agent_id=world.users["admin"].id
    )
    assert nobody.status_code == 422
    unknown = await transfer(agent, attention_id, campaign_id=999)
    assert unknown.status_code == 403
    held = await attention_of(world, "maria")
    assert held.state == "open" and held.transfer_count == 0 and held.segment == 1
    async with world.rt.work() as w:
        assert (await w.session.scalars(select(Transfer))).all() == []


async def test_supervisor_moves_any_live_attention_and_it_is_recorded(world: World) -> None:
    await world.online("agente1", "agente2")
    agent, attention_id = await open_for(world, "agente1")
    supervisor = await world.login("supervisor")
    soporte = await campaign_id(world, "Soporte")
    no_reason = await supervisor.post(
        f"/api/attentions/{attention_id}/move", json={"campaign_id": soporte, "reason": " "}
    )
    assert no_reason.status_code == 422
    denied = await agent.post(
        f"/api/attentions/{attention_id}/move", json={"campaign_id": soporte, "reason": "x"}
    )
    assert denied.status_code == 403
    moved = await supervisor.post(
        f"/api/attentions/{attention_id}/move",
        json={
            "campaign_id": soporte,
            "agent_id": world.users["agente2"].id,
            "reason": "El agente terminó su turno",
        },
    )
    assert moved.status_code == 200, moved.text
    assert moved.json()["agent_id"] == world.users["agente2"].id
    listed = (await supervisor.get(f"/api/attentions/{attention_id}/transfers")).json()
    assert len(listed) == 1
    assert listed[0]["kind"] == "move" and listed[0]["by"]["display_name"] == "Marta Sánchez"
    assert listed[0]["from_agent"]["id"] == world.users["agente1"].id
    assert listed[0]["note"] == "El agente terminó su turno"
    timeline = (await supervisor.get(f"/api/attentions/{attention_id}/timeline")).json()["events"]
    reasons = [e["data"].get("reason") for e in timeline if e["kind"] == "reassigned"]
    assert reasons == ["moved_by_supervisor"]


async def test_unlimited_transfers_and_the_report(world: World) -> None:
    await world.online("agente1", "agente2")
    agent1, attention_id = await open_for(world, "agente1")
    ventas, soporte = await campaign_id(world, "Ventas"), await campaign_id(world, "Soporte")
    agent2 = await world.login("agente2")
    one, two = world.users["agente1"].id, world.users["agente2"].id
    hops = [(agent1, soporte, two), (agent2, ventas, one), (agent1, soporte, two)]
    for client, campaign, target in hops:
        response = await transfer(
            client, attention_id, campaign_id=campaign, agent_id=target, note=f"hacia {target}"
        )
        assert response.status_code == 200, response.text
        opened = await (agent2 if target == two else agent1).post(
            f"/api/attentions/{attention_id}/open"
        )
        assert opened.status_code == 200, opened.text
    supervisor = await world.login("supervisor")
    report = (await supervisor.get("/api/reports/transfers")).json()
    assert report["total"] == 1 and report["items"][0]["transfer_count"] == 3
    by_agent = (await supervisor.get("/api/reports/transfers", params={"agent_id": two})).json()
    assert by_agent["total"] == 1
    nobody = (
        await supervisor.get(
            "/api/reports/transfers", params={"date_from": "2000-01-01", "date_to": "2000-01-02"}
        )
    ).json()
    assert nobody["total"] == 0
    listed = (await supervisor.get(f"/api/attentions/{attention_id}/transfers")).json()
    assert [t["sequence"] for t in listed] == [1, 2, 3]
    assert [t["to_campaign"]["name"] for t in listed] == ["Soporte", "Ventas", "Soporte"]
    assert (await agent1.get("/api/reports/transfers")).status_code == 403


async def test_each_segment_keeps_its_own_submission(world: World) -> None:
    await world.online("agente1", "agente2")
    agent1, attention_id = await open_for(world, "agente1")
    await complete_form(agent1, attention_id)
    soporte = await campaign_id(world, "Soporte")
    await transfer(agent1, attention_id, campaign_id=soporte, agent_id=world.users["agente2"].id)
    agent2 = await world.login("agente2")
    await agent2.post(f"/api/attentions/{attention_id}/open")
    ended = await agent2.post(f"/api/attentions/{attention_id}/end")
    assert ended.status_code == 422
    assert ended.json()["code"] == "form_incomplete"
    assert "Número de pedido" in ended.json()["detail"]
    assert set(ended.json()["fields"]) == {"pedido", "problema"}
    await complete_form(agent2, attention_id)
    assert (await agent2.post(f"/api/attentions/{attention_id}/end")).status_code == 200
    async with world.rt.work() as w:
        rows = (
            await w.session.scalars(
                select(FormSubmission)
                .where(FormSubmission.attention_id == attention_id)
                .order_by(FormSubmission.segment)
            )
        ).all()
    assert [(r.segment, sorted(r.values)) for r in rows] == [
        (1, ["documento", "motivo", "promociones"]),
        (2, ["pedido", "problema", "resuelto"]),
    ]
    assert all(r.submitted_at is not None for r in rows)
    timeline = (await agent2.get(f"/api/attentions/{attention_id}/timeline")).json()["events"]
    kinds = [e["kind"] for e in timeline]
    assert kinds == [
        "queued",
        "assigned",
        "opened",
        "form_submitted",
        "transferred",
        "assigned",
        "opened",
        "form_submitted",
        "closed",
    ]


async def test_attended_list_is_searchable_and_paginated(world: World) -> None:
    await world.online("agente1")
    agent = await world.login("agente1")
    for key in ("maria", "juan", "ana"):
        await world.customer_writes(CUSTOMERS[key], "Hola")
        attention = await attention_of(world, key)
        await agent.post(f"/api/attentions/{attention.id}/open")
        await complete_form(agent, attention.id)
        assert (await agent.post(f"/api/attentions/{attention.id}/end")).status_code == 200
    page = (await agent.get("/api/agent/attended", params={"limit": 2})).json()
    assert page["total"] == 3 and len(page["items"]) == 2
    assert [i["customer"]["name"] for i in page["items"]] == ["Ana Ruiz", "Juan Pérez"]
    after = {"limit": 2, "before": page["next_before"]}
    rest = (await agent.get("/api/agent/attended", params=after)).json()
    assert [i["customer"]["name"] for i in rest["items"]] == ["María González"]
    assert rest["total"] == 3 and rest["next_before"] is None
    by_number = (await agent.get("/api/agent/attended", params={"q": "5215512"})).json()
    assert [i["customer"]["name"] for i in by_number["items"]] == ["María González"]
    by_name = (await agent.get("/api/agent/attended", params={"q": "pérez"})).json()
    assert [i["customer"]["name"] for i in by_name["items"]] == ["Juan Pérez"]
    other = await world.login("agente2")
    assert (await other.get("/api/agent/attended")).json()["total"] == 0


async def test_supervisor_moves_a_queued_attention_to_an_agent_and_a_parked_one_to_a_queue(
    world: World,
) -> None:
    await world.customer_writes(CUSTOMERS["maria"], "Hola")  # nobody connected: queued
    await world.customer_writes(CUSTOMERS["juan"], "Hola")
    supervisor = await world.login("supervisor")
    await world.online("agente2")
    async with world.rt.work() as w:
        from atiende.db.models import Attention

        juan = await w.session.get(Attention, (await attention_of(world, "juan")).id)
        assert juan is not None
        juan.parked = True
    maria = await attention_of(world, "maria")
    ventas = await campaign_id(world, "Ventas")
    moved = await supervisor.post(
        f"/api/attentions/{maria.id}/move",
        json={"campaign_id": ventas, "agent_id": world.users["agente2"].id, "reason": "VIP"},
    )
    assert moved.status_code == 200, moved.text
    assert moved.json()["state"] == "assigned"
    juan = await attention_of(world, "juan")
    soporte = await campaign_id(world, "Soporte")
    unparked = await supervisor.post(
        f"/api/attentions/{juan.id}/move", json={"campaign_id": soporte, "reason": "reintentar"}
    )
    assert unparked.status_code == 200
    assert unparked.json()["parked"] is False and unparked.json()["campaign"]["name"] == "Soporte"
    live = (await supervisor.get("/api/supervisor/attentions")).json()["items"]
    assert {a["id"] for a in live} == {maria.id, juan.id}


async def test_atendidas_lists_what_he_opened_and_left_not_what_he_holds_again(
    world: World,
) -> None:
    await world.online("agente1", "agente2")
    agent, attention_id = await open_for(world, "agente1")
    supervisor = await world.login("supervisor")
    ventas = await campaign_id(world, "Ventas")

    async def move_to(username: str) -> None:
        moved = await supervisor.post(
            f"/api/attentions/{attention_id}/move",
            json={"campaign_id": ventas, "agent_id": world.users[username].id, "reason": "x"},
        )
        assert moved.status_code == 200, moved.text

    await move_to("agente2")
    mine = (await agent.get("/api/agent/attended")).json()
    assert [(i["id"], i["outcome"]) for i in mine["items"]] == [(attention_id, "transferred")]
    # agente2 never opened it: leaving it does not put it in his Atendidas.
    other = await world.login("agente2")
    await move_to("agente1")
    assert (await other.get("/api/agent/attended")).json()["total"] == 0
    # Back in agente1's hands: his to work, not his history, until he leaves it again.
    assert (await agent.get("/api/agent/attended")).json() == {
        "items": [],
        "total": 0,
        "next_before": None,
    }
    assert (await agent.post(f"/api/attentions/{attention_id}/open")).status_code == 200
    await complete_form(agent, attention_id)
    assert (await agent.post(f"/api/attentions/{attention_id}/end")).status_code == 200
    mine = (await agent.get("/api/agent/attended")).json()
    assert [(i["id"], i["outcome"]) for i in mine["items"]] == [(attention_id, "closed")]
    assert mine["total"] == 1
