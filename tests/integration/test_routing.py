"""Routing modes, capacity per agent and campaign, offers to all, presence, timers."""

from datetime import timedelta
from typing import Any

import httpx
from sqlalchemy import select, update

from atiende.actions.auth import hash_password
from atiende.db.models import Attention, AttentionEvent, Campaign, CampaignMember, User
from atiende.db.types import utcnow
from tests.integration.conftest import CUSTOMERS, World


async def set_campaign(world: World, name: str, **settings: Any) -> int:
    async with world.rt.work() as w:
        campaign = await w.session.scalar(select(Campaign).where(Campaign.name == name))
        assert campaign is not None
        for key, value in settings.items():
            setattr(campaign, key, value)
        return campaign.id


async def attention_of(world: World, key: str) -> Attention:
    async with world.rt.work() as w:
        rows = (await w.session.scalars(select(Attention).order_by(Attention.id.desc()))).all()
        for a in rows:
            if a.customer.bsuid == CUSTOMERS[key].bsuid:
                return a
    raise AssertionError(f"no attention for {key}")


async def reasons(world: World, attention_id: int) -> list[str]:
    async with world.rt.work() as w:
        events = await w.session.scalars(
            select(AttentionEvent)
            .where(AttentionEvent.attention_id == attention_id, AttentionEvent.kind == "reassigned")
            .order_by(AttentionEvent.id)
        )
        return [e.data["reason"] for e in events]


async def desk(client: httpx.AsyncClient) -> dict[str, Any]:
    response = await client.get("/api/agent/attentions")
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


async def due_now(world: World, attention_id: int, column: str) -> None:
    """Move a deadline into the past instead of waiting for it."""
    async with world.rt.work() as w:
        await w.session.execute(
            update(Attention)
            .where(Attention.id == attention_id)
            .values({column: utcnow() - timedelta(seconds=1)})
        )


async def test_round_robin_takes_turns(world: World) -> None:
    await set_campaign(world, "Ventas", routing_mode="round_robin")
    await world.online("agente1", "agente2")
    for key in ("maria", "juan", "ana", "carlos"):
        await world.customer_writes(CUSTOMERS[key], "Hola")
    agents = [(await attention_of(world, k)).agent_id for k in ("maria", "juan", "ana", "carlos")]
    a1, a2 = world.users["agente1"].id, world.users["agente2"].id
    assert agents in ([a1, a2, a1, a2], [a2, a1, a2, a1])


async def test_random_gives_to_an_eligible_agent(world: World) -> None:
    """Two eligible agents and one connected agent of no campaign: every attention goes to
    one of the two, never to the outsider, and never past a capacity."""
    await set_campaign(world, "Ventas", routing_mode="random")
    async with world.rt.work() as w:
        outsider = User(
            username="agente3",
            display_name="Fuera de campaña",
            role="agent",
            password_hash=hash_password("agente3"),
            capacity=9,
        )
        w.session.add(outsider)
        await w.session.flush()
        world.users["agente3"] = outsider
    await world.online("agente1", "agente2", "agente3")
    for key in CUSTOMERS:
        await world.customer_writes(CUSTOMERS[key], "Hola")
    holders = [(await attention_of(world, key)).agent_id for key in CUSTOMERS]
    eligible = {world.users["agente1"].id, world.users["agente2"].id}
    assert set(holders) <= eligible
    # Five attentions, capacity four each: both eligible agents were chosen.
    assert set(holders) == eligible


async def test_offer_all_first_to_open_takes_it_others_see_it_vanish(world: World) -> None:
    await set_campaign(world, "Ventas", routing_mode="offer_all")
    sockets = await world.online("agente1", "agente2")
    one, two = await world.login("agente1"), await world.login("agente2")
    await world.customer_writes(CUSTOMERS["maria"], "Hola")
    attention = await attention_of(world, "maria")
    assert attention.state == "queued" and attention.offered
    for client in (one, two):
        offered = (await desk(client))["offered"]
        assert [a["id"] for a in offered] == [attention.id]
        assert offered[0]["offered"] is True
    for name in ("agente1", "agente2"):
        events = sockets[name].of_type("attention.updated")
        assert events and events[-1]["attention"]["offered"] is True

    taken = await two.post(f"/api/attentions/{attention.id}/open")
    assert taken.status_code == 200, taken.text
    assert taken.json()["state"] == "open"
    late = await one.post(f"/api/attentions/{attention.id}/open")
    assert late.status_code == 409
    assert late.json()["code"] == "already_taken"
    removed = [e["attention_id"] for e in sockets["agente1"].of_type("attention.removed")]
    assert attention.id in removed
    assert (await desk(one))["offered"] == []
    async with world.rt.work() as w:
        users = {u.username: u for u in await w.session.scalars(select(User))}
        assert users["agente2"].active_count == 1 and users["agente1"].active_count == 0


async def test_capacity_per_campaign_holds(world: World) -> None:
    campaign_id = await set_campaign(world, "Ventas")
    async with world.rt.work() as w:
        await w.session.execute(
            update(CampaignMember)
            .where(CampaignMember.campaign_id == campaign_id)
            .values(capacity=1)
        )
    await world.online("agente1")
    for key in ("maria", "juan"):
        await world.customer_writes(CUSTOMERS[key], "Hola")
    states = sorted([(await attention_of(world, k)).state for k in ("maria", "juan")])
    assert states == ["assigned", "queued"]


async def test_pausing_gives_back_assigned_but_keeps_open(world: World) -> None:
    sockets = await world.online("agente1")
    agent = await world.login("agente1")
    await world.customer_writes(CUSTOMERS["maria"], "Hola")
    await world.customer_writes(CUSTOMERS["juan"], "Hola")
    maria = await attention_of(world, "maria")
    await agent.post(f"/api/attentions/{maria.id}/open")
    paused = await agent.put("/api/agent/status", json={"status": "paused", "reason": "Almuerzo"})
    assert paused.status_code == 200
    assert (await attention_of(world, "maria")).state == "open"
    juan = await attention_of(world, "juan")
    assert juan.state == "queued" and juan.agent_id is None
    assert await reasons(world, juan.id) == ["agent_paused"]
    assert juan.id in [e["attention_id"] for e in sockets["agente1"].of_type("attention.removed")]
    no_reason = await agent.put("/api/agent/status", json={"status": "paused"})
    assert no_reason.status_code == 422

    await world.online("agente2")
    await world.route()
    assert (await attention_of(world, "juan")).agent_id == world.users["agente2"].id


async def test_an_attention_left_with_an_agent_who_paused_is_given_back_by_the_timers(
    world: World,
) -> None:
    """The status change gives back what it can; one it skipped (held by another transaction
    then) is found by the timers loop, which looks from the agents who hold something."""
    await world.online("agente1")
    await world.customer_writes(CUSTOMERS["juan"], "Hola")
    juan = await attention_of(world, "juan")
    assert juan.state == "assigned" and juan.agent_id == world.users["agente1"].id
    # Paused as if the reassignment at the change had skipped his attention.
    async with world.rt.work() as w:
        await w.session.execute(
            update(User).where(User.id == juan.agent_id).values(status="paused")
        )
    await world.timers()
    juan = await attention_of(world, "juan")
    assert juan.state == "queued" and juan.agent_id is None
    assert await reasons(world, juan.id) == ["agent_paused"]
    await world.timers()
    assert await reasons(world, juan.id) == ["agent_paused"], "given back once"


async def test_not_opened_in_time_goes_to_another_agent_then_parks(world: World) -> None:
    await set_campaign(world, "Ventas", reassign_after_seconds=30, max_reassignments=1)
    await world.online("agente1", "agente2")
    await world.customer_writes(CUSTOMERS["maria"], "Hola")
    first = await attention_of(world, "maria")
    assert first.state == "assigned" and first.reassign_at is not None

    await due_now(world, first.id, "reassign_at")
    await world.timers()
    await world.route()
    second = await attention_of(world, "maria")
    assert second.state == "assigned"
    assert second.agent_id != first.agent_id, "reassigned to another agent"
    assert second.reassignments == 1
    assert await reasons(world, first.id) == ["timeout"]

    await due_now(world, first.id, "reassign_at")
    await world.timers()
    await world.route()
    parked = await attention_of(world, "maria")
    assert parked.state == "queued" and parked.parked, "after max reassignments it waits queued"
    assert await reasons(world, first.id) == ["timeout", "timeout"]
    async with world.rt.work() as w:
        slots = {u.username: u.active_count for u in await w.session.scalars(select(User))}
    assert slots["agente1"] == 0 and slots["agente2"] == 0

    await world.customer_writes(CUSTOMERS["maria"], "¿Hay alguien?")
    assert (await attention_of(world, "maria")).state == "assigned", "a new message unparks it"


async def test_reassigned_to_the_same_agent_when_he_is_the_only_one(world: World) -> None:
    await set_campaign(world, "Ventas", reassign_after_seconds=30)
    await world.online("agente1")
    await world.customer_writes(CUSTOMERS["maria"], "Hola")
    attention = await attention_of(world, "maria")
    await due_now(world, attention.id, "reassign_at")
    await world.timers()
    await world.route()
    again = await attention_of(world, "maria")
    assert again.agent_id == world.users["agente1"].id and again.reassignments == 1


async def test_a_deadline_fires_once_only(world: World) -> None:
    await set_campaign(world, "Ventas", reassign_after_seconds=30, max_reassignments=5)
    await world.online("agente1", "agente2")
    await world.customer_writes(CUSTOMERS["maria"], "Hola")
    attention = await attention_of(world, "maria")
    await due_now(world, attention.id, "reassign_at")
    await world.timers()
    await world.timers()
    assert await reasons(world, attention.id) == ["timeout"]


async def test_offline_agent_loses_assigned_now_and_open_after_the_orphan_grace(
    world: World,
) -> None:
    await set_campaign(world, "Ventas", orphan_after_seconds=120)
    await world.online("agente1")
    agent = await world.login("agente1")
    for key in ("maria", "juan"):
        await world.customer_writes(CUSTOMERS[key], "Hola")
    maria = await attention_of(world, "maria")
    await agent.post(f"/api/attentions/{maria.id}/open")
    await agent.put(f"/api/attentions/{maria.id}/form/draft", json={"values": {"documento": "X1"}})

    # Presence loss: nobody hears his socket for longer than the grace.
    async with world.rt.work() as w:
        await w.session.execute(
            update(User)
            .where(User.username == "agente1")
            .values(last_seen_at=utcnow() - timedelta(hours=1))
        )
    world.rt.hub._sockets.clear()
    await world.app.state.workers.presence_once()
    async with world.rt.work() as w:
        user = await w.session.scalar(select(User).where(User.username == "agente1"))
        assert user is not None and user.status == "offline"
    juan = await attention_of(world, "juan")
    assert juan.state == "queued" and await reasons(world, juan.id) == ["agent_offline"]
    maria = await attention_of(world, "maria")
    assert maria.state == "open" and maria.orphan_at is not None

    await due_now(world, maria.id, "orphan_at")
    await world.timers()
    orphan = await attention_of(world, "maria")
    assert orphan.state == "queued" and orphan.orphaned
    assert await reasons(world, maria.id) == ["orphaned"]
    await world.online("agente2")
    await world.route()
    taken = await attention_of(world, "maria")
    assert taken.agent_id == world.users["agente2"].id
    other = await world.login("agente2")
    await other.post(f"/api/attentions/{maria.id}/open")
    form = (await other.get(f"/api/attentions/{maria.id}/form")).json()
    assert form["values"]["documento"] == "X1", "the draft form is kept"


async def test_coming_back_in_time_keeps_open_attentions(world: World) -> None:
    await world.online("agente1")
    agent = await world.login("agente1")
    await world.customer_writes(CUSTOMERS["maria"], "Hola")
    maria = await attention_of(world, "maria")
    await agent.post(f"/api/attentions/{maria.id}/open")
    await agent.put("/api/agent/status", json={"status": "offline"})
    assert (await attention_of(world, "maria")).orphan_at is not None
    await agent.put("/api/agent/status", json={"status": "available"})
    back = await attention_of(world, "maria")
    assert back.orphan_at is None and back.state == "open"


async def test_overflow_switches_a_waiting_attention_to_offer_all(world: World) -> None:
    await set_campaign(world, "Ventas", overflow_after_seconds=60, overflow_mode="offer_all")
    await world.customer_writes(CUSTOMERS["maria"], "Hola")
    maria = await attention_of(world, "maria")
    assert maria.state == "queued" and maria.overflow_at is not None
    sockets = await world.online("agente1")
    async with world.rt.work() as w:
        await w.session.execute(
            update(User).where(User.username == "agente1").values(status="paused")
        )
    await due_now(world, maria.id, "overflow_at")
    await world.timers()
    assert (await attention_of(world, "maria")).offered
    async with world.rt.work() as w:
        events = [
            e.kind
            for e in await w.session.scalars(
                select(AttentionEvent).where(AttentionEvent.attention_id == maria.id)
            )
        ]
    assert "overflowed" in events
    agent = await world.login("agente1")
    await agent.put("/api/agent/status", json={"status": "available"})
    assert [a["id"] for a in (await desk(agent))["offered"]] == [maria.id]
    offered = [
        e for e in sockets["agente1"].of_type("attention.updated") if e["attention"]["offered"]
    ]
    assert offered, "an agent who becomes available is shown the waiting offers"


async def test_a_newer_customer_never_passes_the_oldest_one_held_elsewhere(world: World) -> None:
    """Another transaction holds the oldest queued attention (another process assigning it,
    a message arriving for it): routing waits for it rather than take the next one, which
    with several processes let newer customers pass older ones for good."""
    import asyncio

    if not world.rt.engine.url.get_backend_name().startswith("postgresql"):
        return  # SQLite has one writer: no other transaction holds a row while routing runs
    for key in ("maria", "juan"):
        await world.customer_writes(CUSTOMERS[key], "Hola")  # nobody online: both wait
    maria, juan = [await attention_of(world, k) for k in ("maria", "juan")]
    assert maria.queued_at <= juan.queued_at and maria.state == juan.state == "queued"
    held, release = asyncio.Event(), asyncio.Event()

    async def hold_maria() -> None:
        async with world.rt.work() as w:
            await w.session.execute(
                select(Attention.id).where(Attention.id == maria.id).with_for_update()
            )
            held.set()
            await release.wait()

    holder = asyncio.create_task(hold_maria())
    await held.wait()
    await world.online("agente1")  # his handshake routes for him
    await world.app.state.workers.route_once()
    assert (await attention_of(world, "juan")).state == "queued"
    release.set()
    await holder
    await world.app.state.workers.route_once()
    assert (await attention_of(world, "maria")).state == "assigned"


async def test_an_attention_the_session_holds_reads_as_routing_wrote_it(world: World) -> None:
    """Routing writes its batch by statements, not through the session: an attention the same
    transaction had loaded before (an action that routes for an agent) reads as assigned."""
    from atiende.actions import routing

    await world.customer_writes(CUSTOMERS["maria"], "Hola")  # nobody online: it waits
    queued = await attention_of(world, "maria")
    await world.online("agente1")
    async with world.rt.work() as w:
        await w.session.execute(update(User).values(status="paused"))  # no routing at login
    async with world.rt.work() as w:
        await w.session.execute(
            update(User).where(User.id == world.users["agente1"].id).values(status="available")
        )
        loaded = await w.session.get(Attention, queued.id)
        assert loaded is not None and loaded.state == "queued"
        grace = world.app.state.workers.grace
        routed = await routing.route_campaign(w, queued.campaign_id, grace)
        assert [a.id for a in routed.assigned] == [queued.id]
        assert (loaded.state, loaded.agent_id) == ("assigned", world.users["agente1"].id)
        assert loaded.version == queued.version + 1
        assert not w.session.is_modified(loaded)
    assert (await attention_of(world, "maria")).state == "assigned"
