"""*Historial*: a customer's earlier attentions, read by the agent serving him, page by page;
each one's conversation and forms read-only; the form of a segment after transfers."""

import dataclasses
import json
import time
from typing import Any

import httpx

from atiende.emulator import payloads
from tests.history_seed import counting, seed
from tests.integration.conftest import CUSTOMERS, World, complete_form
from tests.integration.test_routing import attention_of, set_campaign


async def serve(world: World, client: httpx.AsyncClient, key: str, text: str = "Hola") -> int:
    """The customer writes; the one agent available gets it and opens it."""
    await world.customer_writes(CUSTOMERS[key], text)
    attention = await attention_of(world, key)
    opened = await client.post(f"/api/attentions/{attention.id}/open")
    assert opened.status_code == 200, opened.text
    return attention.id


async def end(client: httpx.AsyncClient, attention_id: int) -> dict[str, Any]:
    values = await complete_form(client, attention_id)
    ended = await client.post(f"/api/attentions/{attention_id}/end")
    assert ended.status_code == 200, ended.text
    return values


async def history(client: httpx.AsyncClient, customer_id: int, **query: Any) -> httpx.Response:
    return await client.get(f"/api/customers/{customer_id}/attentions", params=query)


async def paused(client: httpx.AsyncClient) -> None:
    answer = await client.put("/api/agent/status", json={"status": "paused", "reason": "Reunión"})
    assert answer.status_code == 200, answer.text


async def test_the_history_lists_earlier_attentions_with_path_forms_and_pages(
    world: World,
) -> None:
    await world.online("agente1", "agente2")
    sofia, diego = await world.login("agente1"), await world.login("agente2")
    await paused(diego)
    first = await serve(world, sofia, "maria", "Quiero comprar")
    first_values = await end(sofia, first)

    second = await serve(world, sofia, "maria", "Otra consulta")
    await world.online("agente2")
    await diego.put("/api/agent/status", json={"status": "available"})
    soporte = await set_campaign(world, "Soporte")
    moved = await sofia.post(
        f"/api/attentions/{second}/transfer",
        json={"campaign_id": soporte, "agent_id": world.users["agente2"].id, "note": "Técnico"},
    )
    assert moved.status_code == 200, moved.text
    assert (await diego.post(f"/api/attentions/{second}/open")).status_code == 200
    await end(diego, second)
    await paused(diego)

    # He changes his number (and so his BSUID): the same customer row follows him, and so
    # does his history.
    maria = CUSTOMERS["maria"]
    new_bsuid = "MX.11112222333344445555"
    notice = payloads.number_changed_message(
        maria, payloads.new_wamid(maria.bsuid), time.time(), "5215599990000", new_bsuid
    )
    body = payloads.inbound_webhook(world.business, maria, notice, contacts=False)
    assert (await world.deliver(json.dumps(body).encode())).status_code == 200
    renumbered = dataclasses.replace(maria, phone="5215599990000", bsuid=new_bsuid)
    assert (await world.deliver(world.webhook_body(renumbered, "Volví"))).status_code == 200
    assigned = (await sofia.get("/api/agent/attentions")).json()["assigned"]
    assert len(assigned) == 1, assigned
    third = assigned[0]["id"]
    assert third not in (first, second)
    assert (await sofia.post(f"/api/attentions/{third}/open")).status_code == 200
    current = (await sofia.get(f"/api/attentions/{third}")).json()
    customer_id = current["customer"]["id"]
    assert current["customer"]["phone"] == "5215599990000"
    assert current["customer"]["bsuid"] == new_bsuid

    page = (await history(sofia, customer_id, before_id=third)).json()
    assert [i["id"] for i in page["items"]] == [second, first]
    assert page["next_before_id"] is None
    newest = page["items"][0]
    assert [(s["campaign"]["name"], s["agent"]["display_name"]) for s in newest["segments"]] == [
        ("Ventas", "Sofía Torres"),
        ("Soporte", "Diego Morales"),
    ]
    assert newest["state"] == "closed" and newest["closed_by"]["display_name"] == "Diego Morales"
    assert [f["campaign"]["name"] for f in newest["forms"]] == ["Soporte"]
    oldest = page["items"][1]
    summary = {v["key"]: v["value"] for v in oldest["forms"][0]["values"]}
    assert first_values.items() <= summary.items()  # with the unticked checkbox
    assert oldest["forms"][0]["values"][0]["label"] == "Motivo de contacto"

    everything = (await history(sofia, customer_id)).json()["items"]
    assert [i["id"] for i in everything] == [third, second, first]

    # Keyset pages: one at a time, the cursor handed back, nothing twice, nothing missed.
    seen, before = [], third
    while before is not None:
        one = (await history(sofia, customer_id, before_id=before, limit=1)).json()
        seen += [i["id"] for i in one["items"]]
        before = one["next_before_id"]
    assert seen == [second, first]

    # Opening an earlier one: its conversation and each segment's form, read-only.
    said = (await sofia.get(f"/api/attentions/{second}/messages")).json()["messages"]
    assert [m["text"] for m in said if m["type"] == "text"] == ["Otra consulta"]
    forms = (await sofia.get(f"/api/attentions/{second}/forms")).json()
    assert [(f["segment"], f["campaign"]["name"]) for f in forms] == [(1, "Ventas"), (2, "Soporte")]
    assert forms[0]["form"]["fields"][0]["key"] == "motivo" and forms[0]["submitted_at"] is None
    assert forms[1]["submitted_at"] is not None and forms[1]["agent"]["id"] == diego_id(world)


def diego_id(world: World) -> int:
    return world.users["agente2"].id


async def test_an_agent_reads_the_history_only_while_he_serves_the_customer(
    world: World,
) -> None:
    await world.online("agente1", "agente2")
    sofia, diego = await world.login("agente1"), await world.login("agente2")
    supervisor, other = await world.login("supervisor"), await world.login("agente2")
    await paused(diego)
    first = await serve(world, sofia, "juan")
    await end(sofia, first)
    await paused(sofia)
    await diego.put("/api/agent/status", json={"status": "available"})
    second = await serve(world, diego, "juan")
    customer_id = (await diego.get(f"/api/attentions/{second}")).json()["customer"]["id"]

    # Diego serves Juan now: the earlier attention is his to read, never to write in.
    assert [i["id"] for i in (await history(diego, customer_id)).json()["items"]] == [
        second,
        first,
    ]
    for path in ("", "/messages", "/forms", "/form", "/timeline", "/transfers"):
        read = await diego.get(f"/api/attentions/{first}{path}")
        assert read.status_code == 200, (path, read.text)
    write = await diego.post(f"/api/attentions/{first}/messages", json={"text": "hola"})
    assert write.status_code == 403 and write.json()["code"] == "read_only_history"

    # Sofía handled the first one (her Atendidas) but does not serve Juan now.
    refused = await history(sofia, customer_id)
    assert refused.status_code == 404 and refused.json()["code"] == "customer_not_found"
    assert (await sofia.get(f"/api/attentions/{first}/messages")).status_code == 200
    assert (await sofia.get(f"/api/attentions/{second}/messages")).status_code == 404
    assert (await history(supervisor, customer_id)).status_code == 200
    assert (await history(diego, 2**31 - 1)).status_code == 404
    assert (await history(diego, customer_id, limit=51)).status_code == 422

    # Once he ended it, he serves Juan no more.
    await end(diego, second)
    assert (await history(other, customer_id)).status_code == 404
    assert (await diego.get(f"/api/attentions/{first}/messages")).status_code == 404


async def test_a_customer_known_only_by_his_bsuid_has_a_history(world: World) -> None:
    await world.online("agente1")
    sofia = await world.login("agente1")
    assert CUSTOMERS["ana"].phone is None
    first = await serve(world, sofia, "ana", "Hola, soy Ana")
    await end(sofia, first)
    second = await serve(world, sofia, "ana", "De nuevo")
    customer = (await sofia.get(f"/api/attentions/{second}")).json()["customer"]
    assert customer["phone"] is None and customer["bsuid"] == CUSTOMERS["ana"].bsuid
    page = (await history(sofia, customer["id"], before_id=second)).json()
    assert [i["id"] for i in page["items"]] == [first]
    said = (await sofia.get(f"/api/attentions/{first}/messages")).json()["messages"]
    assert [m["text"] for m in said if m["direction"] == "in"] == ["Hola, soy Ana"]


async def test_a_segment_shows_its_own_campaigns_form_and_a_return_starts_from_the_last(
    world: World,
) -> None:
    await world.online("agente1", "agente2")
    sofia, diego = await world.login("agente1"), await world.login("agente2")
    await paused(diego)
    attention = await serve(world, sofia, "carlos")
    ventas_values = await complete_form(sofia, attention)
    await diego.put("/api/agent/status", json={"status": "available"})
    soporte, ventas = await set_campaign(world, "Soporte"), await set_campaign(world, "Ventas")

    to_diego = {"campaign_id": soporte, "agent_id": diego_id(world), "note": "Revisar pedido"}
    assert (await sofia.post(f"/api/attentions/{attention}/transfer", json=to_diego)).is_success
    assert (await diego.post(f"/api/attentions/{attention}/open")).is_success
    back = {"campaign_id": ventas, "agent_id": world.users["agente1"].id, "note": "Vuelve"}
    assert (await diego.post(f"/api/attentions/{attention}/transfer", json=back)).is_success

    # Diego filled nothing in segment 2: he is still shown Soporte's form, not Ventas'.
    his = (await diego.get(f"/api/attentions/{attention}/form")).json()
    assert his["segment"] == 2 and his["form"]["campaign"]["name"] == "Soporte"
    assert his["values"] == {} and his["prefilled_from"] is None
    forms = (await diego.get(f"/api/attentions/{attention}/forms")).json()
    assert [f["campaign"]["name"] for f in forms] == ["Ventas", "Soporte", "Ventas"]
    assert forms[1]["agent"]["id"] == diego_id(world)

    # Back in Ventas: what segment 1 submitted shows, and the draft starts from it.
    assert (await sofia.post(f"/api/attentions/{attention}/open")).is_success
    mine = (await sofia.get(f"/api/attentions/{attention}/form")).json()
    assert mine["segment"] == 3 and mine["form"]["campaign"]["name"] == "Ventas"
    assert [e["segment"] for e in mine["earlier"]] == [1]
    submitted = mine["earlier"][0]["values"]
    assert ventas_values.items() <= submitted.items()
    assert mine["values"] == submitted and mine["prefilled_from"] == 1
    # Ending without touching it: the started draft is what is submitted.
    ended = await sofia.post(f"/api/attentions/{attention}/end")
    assert ended.status_code == 200, ended.text
    final = (await sofia.get(f"/api/attentions/{attention}/forms")).json()[2]
    assert final["values"] == submitted and final["submitted_at"] is not None


async def test_a_page_costs_the_same_statements_however_long_the_history(world: World) -> None:
    """Keyset pages with their names, segments and forms looked up per page, never per item:
    the statements a page runs do not grow with its size or its depth (timings: bench/)."""
    await world.without_background_processor()
    customer_id = await seed(world.rt, 60)
    supervisor = await world.login("supervisor")
    costs = {}
    for name, query in (
        ("small", {"limit": 2}),
        ("large", {"limit": 50}),
        ("deep", {"limit": 50, "before_id": 12}),
    ):
        with counting(world.rt) as statements:
            answer = await history(supervisor, customer_id, **query)
        assert answer.status_code == 200, answer.text
        costs[name] = len(statements)
        items = answer.json()["items"]
        assert all(len(i["segments"]) == 2 and len(i["forms"]) == 1 for i in items)
    assert costs["small"] == costs["large"] == costs["deep"], costs
