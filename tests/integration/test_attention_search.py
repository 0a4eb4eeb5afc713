"""Supervisors find attentions by id, customer and the words of the conversation (full-text,
accents ignored, on SQLite's FTS5 and PostgreSQL's GIN index), newest first by keyset, and
open any of them read-only: conversation in pages, every segment's form, transfers, timeline."""

from typing import Any

import httpx
from sqlalchemy import select

from atiende.db.models import Message
from tests.integration.conftest import CUSTOMERS, World
from tests.integration.test_history import end, paused, serve
from tests.integration.test_routing import attention_of, set_campaign


async def found(client: httpx.AsyncClient, **query: Any) -> list[int]:
    answer = await client.get("/api/search/attentions", params=query)
    assert answer.status_code == 200, answer.text
    return [i["id"] for i in answer.json()["items"]]


async def scene(world: World) -> tuple[httpx.AsyncClient, int, int, int]:
    """María's attention (transferred Ventas -> Soporte, closed), Juan's (closed in Ventas),
    Ana's (still waiting); the supervisor's client."""
    await world.online("agente1", "agente2")
    sofia, diego = await world.login("agente1"), await world.login("agente2")
    await paused(diego)
    maria = await serve(world, sofia, "maria", "Quiero información sobre el envío de mi pedido")
    reply = await sofia.post(
        f"/api/attentions/{maria}/messages", json={"text": "Con gusto le ayudo"}
    )
    assert reply.status_code == 201, reply.text
    await diego.put("/api/agent/status", json={"status": "available"})
    soporte = await set_campaign(world, "Soporte")
    moved = await sofia.post(
        f"/api/attentions/{maria}/transfer",
        json={"campaign_id": soporte, "agent_id": world.users["agente2"].id, "note": "Envíos"},
    )
    assert moved.status_code == 200, moved.text
    assert (await diego.post(f"/api/attentions/{maria}/open")).status_code == 200
    await end(diego, maria)
    await paused(diego)
    juan = await serve(world, sofia, "juan", "Necesito mi factura electrónica")
    await end(sofia, juan)
    await paused(sofia)
    await world.customer_writes(CUSTOMERS["ana"], "hola buenas tardes")
    ana = (await attention_of(world, "ana")).id
    return await world.login("supervisor"), maria, juan, ana


async def test_search_by_words_customer_id_filters_and_pages(world: World) -> None:
    sup, maria, juan, ana = await scene(world)

    # Words: accents and case ignored, every word in one message, prefixes, phrases in quotes.
    answer = await sup.get("/api/search/attentions", params={"words": "informacion"})
    items = answer.json()["items"]
    assert [i["id"] for i in items] == [maria]
    assert "información" in items[0]["matched_text"]
    assert items[0]["state"] == "closed" and items[0]["campaign"]["name"] == "Soporte"
    assert await found(sup, words="ENVIO pedido") == [maria]
    assert await found(sup, words="envío factura") == []
    assert await found(sup, words='"envío de mi"') == [maria]
    assert await found(sup, words='"pedido envío"') == []
    assert await found(sup, words="factur") == [juan]
    assert await found(sup, words="gusto") == [maria]  # the agent's words count too
    assert await found(sup, words="AND OR NEAR") == []  # operators are only words
    empty = await sup.get("/api/search/attentions", params={"words": " ¡¿!? "})
    assert empty.status_code == 422 and empty.json()["code"] == "search_words_empty"

    # Customer: name without accents, phone digits as typed, username with or without @.
    assert await found(sup, customer="maria gonz") == [maria]
    assert await found(sup, customer="PÉREZ") == [juan]
    assert await found(sup, customer="+52 1 55") == [maria]
    assert await found(sup, customer="300-123") == [juan]
    assert await found(sup, customer="@ana.ruiz") == [ana]
    assert await found(sup, customer="100%_") == []

    # Id, state, campaign of the path, dates in the supervisor's time zone.
    assert await found(sup, attention_id=juan) == [juan]
    assert await found(sup, attention_id=juan, words="información") == []
    assert await found(sup, state="closed") == [juan, maria]
    assert await found(sup, state="live") == [ana]
    ventas = await set_campaign(world, "Ventas")
    soporte = await set_campaign(world, "Soporte")
    assert await found(sup, campaign_id=soporte) == [maria]
    assert await found(sup, campaign_id=ventas) == [ana, juan, maria]
    today = (await sup.get(f"/api/attentions/{juan}")).json()["queued_at"][:10]
    assert await found(sup, date_from=today, date_to=today, tz="UTC") == [ana, juan, maria]
    assert await found(sup, date_from="2000-01-01", date_to="2000-01-02") == []
    assert await found(sup, date_to="9999-12-31", tz="America/Lima") == [ana, juan, maria]
    bad = await sup.get("/api/search/attentions", params={"tz": "Mars/Olympus"})
    assert bad.status_code == 422 and bad.json()["code"] == "bad_time_zone"

    # Keyset pages, newest first: nothing twice, nothing missed.
    seen: list[int] = []
    before: int | None = None
    while True:
        query: dict[str, Any] = {"limit": 1}
        if before is not None:
            query["before_id"] = before
        page = (await sup.get("/api/search/attentions", params=query)).json()
        seen += [i["id"] for i in page["items"]]
        before = page["next_before_id"]
        if before is None:
            break
    assert seen == [ana, juan, maria]

    # A message changed later (the customer edited it) is found by its new words only: the
    # index follows every write.
    async with world.rt.work() as w:
        first = await w.session.scalar(
            select(Message).where(Message.attention_id == maria).order_by(Message.id).limit(1)
        )
        assert first is not None
        first.text = "Corregí: quiero una devolución"
    assert await found(sup, words="devolucion") == [maria]
    assert await found(sup, words="informacion") == []


async def test_a_closed_attention_opens_read_only_and_agents_neither_search_nor_open_others(
    world: World,
) -> None:
    sup, maria, juan, _ana = await scene(world)

    one = (await sup.get(f"/api/attentions/{maria}")).json()
    assert one["state"] == "closed" and one["customer"]["phone"] == "5215512345678"

    # The conversation a page at a time, newest first, each page oldest first.
    newest = (await sup.get(f"/api/attentions/{maria}/messages", params={"limit": 1})).json()
    assert [m["text"] for m in newest["messages"]] == ["Con gusto le ayudo"]
    assert newest["has_more"] is True
    older = (
        await sup.get(
            f"/api/attentions/{maria}/messages",
            params={"limit": 5, "before_id": newest["messages"][0]["id"]},
        )
    ).json()
    assert [m["text"] for m in older["messages"]] == [
        "Quiero información sobre el envío de mi pedido"
    ]
    assert older["has_more"] is False
    everything = (await sup.get(f"/api/attentions/{maria}/messages")).json()
    assert len(everything["messages"]) == 2 and everything["has_more"] is False

    forms = (await sup.get(f"/api/attentions/{maria}/forms")).json()
    assert [(f["segment"], f["campaign"]["name"]) for f in forms] == [(1, "Ventas"), (2, "Soporte")]
    assert forms[1]["submitted_at"] is not None and forms[1]["values"]
    assert all(f["label"] for f in forms[1]["form"]["fields"])
    transfers = (await sup.get(f"/api/attentions/{maria}/transfers")).json()
    assert [
        (t["from_campaign"]["name"], t["to_campaign"]["name"], t["note"]) for t in transfers
    ] == [("Ventas", "Soporte", "Envíos")]
    kinds = [
        e["kind"] for e in (await sup.get(f"/api/attentions/{maria}/timeline")).json()["events"]
    ]
    assert "transferred" in kinds and kinds[-1] == "closed"

    # Nothing changes it from the supervisor's side.
    wrote = await sup.post(f"/api/attentions/{maria}/messages", json={"text": "hola"})
    assert wrote.status_code == 403
    ended = await sup.post(f"/api/attentions/{maria}/end")
    assert ended.status_code in (403, 409)

    # Agents: no search; another's attention does not exist for them.
    diego = await world.login("agente2")
    refused = await diego.get("/api/search/attentions", params={"words": "factura"})
    assert refused.status_code == 403
    # Juan's attention was Sofía's alone: for Diego it does not exist.
    assert (await diego.get(f"/api/attentions/{juan}")).status_code == 404
    assert (await diego.get(f"/api/attentions/{juan}/messages")).status_code == 404
    # María's he handled after the transfer: he may read it, not search for it.
    assert (await diego.get(f"/api/attentions/{maria}")).status_code == 200
