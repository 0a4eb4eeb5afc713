"""The supervisors' live dashboard: a snapshot whose numbers are known on a hand-built day
(waits, handle times, service level, ended today across midnight in the supervisor's time
zone), taken in a fixed number of statements, which the staff room's events then keep equal
to a fresh snapshot."""

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
from sqlalchemy import event, insert, select

from atiende.actions import dashboard
from atiende.db.models import (
    Attention,
    AttentionEvent,
    Campaign,
    Channel,
    Customer,
    Message,
    User,
)
from atiende.db.types import utcnow
from tests.integration.conftest import CUSTOMERS, FakeSocket, World

LIMA = "America/Lima"


async def _ended_day(world: World) -> dict[str, Any]:
    """Four ended attentions in Ventas (service level 60 s) and one ended yesterday in Lima."""
    now = utcnow()
    start = dashboard.day_start(ZoneInfo(LIMA), now)
    agent = world.users["agente1"].id
    # Ended just after Lima's midnight: created yesterday, ended today.
    after_midnight = start + min(timedelta(seconds=30), now - start)
    t = now - timedelta(minutes=20)
    s = timedelta(seconds=1)
    # name: created, first assigned, first agent reply (None: never), ended
    plan = {
        "fast": (t, t + 20 * s, t + 50 * s, t + 300 * s),
        "slow": (t + 10 * s, t + 100 * s, t + 130 * s, t + 400 * s),
        "silent": (t + 20 * s, t + 30 * s, None, t + 90 * s),
        "midnight": (
            after_midnight - 600 * s,
            after_midnight - 590 * s,
            after_midnight - 585 * s,
            after_midnight,
        ),
        "yesterday": (start - 900 * s, start - 890 * s, start - 880 * s, start - 60 * s),
    }
    async with world.rt.work() as w:
        channel = await w.session.scalar(select(Channel))
        ventas = await w.session.scalar(select(Campaign.id).where(Campaign.name == "Ventas"))
        assert channel is not None and ventas is not None
        for i, (name, (created, assigned, reply, ended)) in enumerate(plan.items()):
            customer = Customer(portfolio_id="day", phone=f"51999000{i:03d}", name=name)
            w.session.add(customer)
            await w.session.flush()
            attention = Attention(
                channel_id=channel.id,
                customer_id=customer.id,
                campaign_id=ventas,
                state="closed",
                created_at=created,
                queued_at=created,
                assigned_at=assigned,
                opened_at=assigned,
                closed_at=ended,
                closed_by_id=agent,
            )
            w.session.add(attention)
            await w.session.flush()
            for kind, at in (("assigned", assigned), ("closed", ended)):
                await w.session.execute(
                    insert(AttentionEvent).values(
                        attention_id=attention.id,
                        kind=kind,
                        agent_id=agent,
                        campaign_id=ventas,
                        data={},
                        created_at=at,
                    )
                )
            if reply is not None:
                await w.session.execute(
                    insert(Message).values(
                        attention_id=attention.id,
                        channel_id=channel.id,
                        direction="out",
                        type="text",
                        text="Hola",
                        status="sent",
                        sender_id=agent,
                        created_at=reply,
                    )
                )
    return {"start": start, "ventas": ventas, "agent": agent}


async def test_the_snapshot_counts_a_known_day(world: World) -> None:
    day = await _ended_day(world)
    supervisor = await world.login("supervisor")
    r = await supervisor.get("/api/supervisor/dashboard", params={"tz": LIMA})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["time_zone"] == LIMA
    assert datetime.fromisoformat(body["day_start"]) == day["start"]
    ventas = next(c for c in body["campaigns"] if c["id"] == day["ventas"])
    assert ventas["service_level_seconds"] == 60 and ventas["service_level_target"] == 80
    # fast, slow, silent and the one just after midnight; not yesterday's.
    assert ventas["ended"] == 4
    assert ventas["wait_seconds_total"] == 20 + 90 + 10 + 10
    assert ventas["handle_seconds_total"] == 280 + 300 + 60 + 590
    # Answered within 60 s of the customer's first message: fast (50 s), midnight (15 s).
    assert ventas["answered_within"] == 2
    agent = next(a for a in body["agents"] if a["id"] == day["agent"])
    assert agent["ended_today"] == 4
    # Routing's figure: his own limit (4) under his campaigns' sum (3 + 3); 3 in each.
    assert agent["capacity"] == 4
    assert sorted(c["capacity"] for c in agent["campaigns"]) == [3, 3]

    # A tighter service level counts again from the same day.
    patched = await supervisor.patch(
        f"/api/campaigns/{day['ventas']}",
        json={"service_level_seconds": 10, "service_level_target": 90},
    )
    assert patched.status_code == 200, patched.text
    assert patched.json()["service_level_seconds"] == 10
    again = (await supervisor.get("/api/supervisor/dashboard", params={"tz": LIMA})).json()
    assert next(c for c in again["campaigns"] if c["id"] == day["ventas"])["answered_within"] == 0

    # In a zone where the day began later than Lima's (its midnight after these ends), or
    # earlier, the count follows that zone's midnight.
    for zone in ("UTC", "Asia/Tokyo", "Pacific/Kiritimati"):
        z = (await supervisor.get("/api/supervisor/dashboard", params={"tz": zone})).json()
        start = dashboard.day_start(ZoneInfo(zone), utcnow())
        assert datetime.fromisoformat(z["day_start"]) == start
        async with world.rt.work() as w:
            expected = len(
                list(
                    await w.session.scalars(
                        select(Attention.id).where(
                            Attention.closed_at >= start, Attention.state == "closed"
                        )
                    )
                )
            )
        assert next(c for c in z["campaigns"] if c["id"] == day["ventas"])["ended"] == expected


async def test_a_bad_zone_or_setting_is_refused(world: World) -> None:
    supervisor = await world.login("supervisor")
    for zone in ("Mars/Olympus", "../etc/passwd", "x" * 65):
        r = await supervisor.get("/api/supervisor/dashboard", params={"tz": zone})
        assert r.status_code == 422, r.text
    bad = await supervisor.get("/api/supervisor/dashboard", params={"tz": "Mars/Olympus"})
    assert bad.json()["code"] == "bad_time_zone"
    async with world.rt.work() as w:
        ventas = await w.session.scalar(select(Campaign.id).where(Campaign.name == "Ventas"))
    for body in ({"service_level_seconds": 0}, {"service_level_target": 101}):
        r = await supervisor.patch(f"/api/campaigns/{ventas}", json=body)
        assert r.status_code == 422, r.text


async def test_the_snapshot_takes_a_fixed_number_of_statements(world: World) -> None:
    await world.without_background_processor()
    await _ended_day(world)
    await world.online("agente1", "agente2")
    for key in ("maria", "carlos"):
        await world.customer_writes(CUSTOMERS[key], "Hola")
    statements: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    engine = world.rt.engine.sync_engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        async with world.rt.work() as w:
            snap = await dashboard.snapshot(w, LIMA)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    selects = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    # campaigns, live attentions, ended today, agents, memberships: whatever the volume.
    assert len(selects) == 5, selects
    assert len(snap.attentions) == 2

    # The staff room's rows of users and campaigns a unit changed: users and their
    # memberships, the campaigns; however many changed.
    statements.clear()
    event.listen(engine, "before_cursor_execute", count)
    try:
        async with world.rt.work() as w:
            agents = await dashboard.live_agents(w, [u.id for u in world.users.values()])
            campaigns = await dashboard.live_campaigns(w, [c.id for c in snap.campaigns])
    finally:
        event.remove(engine, "before_cursor_execute", count)
    selects = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    assert len(selects) == 3, selects
    assert len(agents) == len(world.users) and len(campaigns) == len(snap.campaigns)


class Board:
    """What the dashboard holds, kept as the client keeps it (web/src/supervisor/dashboard.ts):
    the snapshot, then each `live.*` event not older than what it holds."""

    def __init__(self, snap: dict[str, Any]) -> None:
        self.live = {a["id"]: a for a in snap["attentions"]}
        self.campaigns = {c["id"]: c for c in snap["campaigns"]}
        self.agents = {a["id"]: a for a in snap["agents"]}

    def stale(self, e: dict[str, Any]) -> bool:
        """The event needs what only a snapshot has (the day's figures of an agent or a
        campaign the board does not hold, or counted again under a new service level)."""
        if e["type"] == "live.agent":
            a = e["agent"]
            return a["role"] == "agent" and a["active"] and a["id"] not in self.agents
        if e["type"] == "live.campaign":
            c = e["campaign"]
            held = self.campaigns.get(c["id"])
            if c["archived"]:
                return False
            return held is None or any(
                held[k] != c[k] for k in ("service_level_seconds", "service_level_target")
            )
        return False

    def apply(self, e: dict[str, Any]) -> None:
        if e["type"] == "live.agent":
            a = e["agent"]
            if not (a["role"] == "agent" and a["active"]):
                self.agents.pop(a["id"], None)
            elif a["id"] in self.agents:
                self.agents[a["id"]].update(a)
            return
        if e["type"] == "live.campaign":
            c = e["campaign"]
            if c["archived"]:
                self.campaigns.pop(c["id"], None)
            elif c["id"] in self.campaigns:
                self.campaigns[c["id"]]["name"] = c["name"]
            return
        if e["type"] != "live.attention":
            return
        a = e["attention"]
        held = self.live.get(a["id"])
        if held is not None and held["version"] > a["version"]:
            return
        if a["state"] == "closed":
            if held is None:
                return  # ended before the snapshot: already counted
            del self.live[a["id"]]
            c = self.campaigns[a["campaign"]["id"]]
            f = a["ended"]
            c["ended"] += 1
            c["wait_seconds_total"] += f["wait_seconds"]
            c["handle_seconds_total"] += f["handle_seconds"]
            reply = f["first_reply_seconds"]
            if reply is not None and reply <= c["service_level_seconds"]:
                c["answered_within"] += 1
            if a["closed_by_id"] in self.agents:
                self.agents[a["closed_by_id"]]["ended_today"] += 1
            return
        self.live[a["id"]] = {
            "id": a["id"],
            "version": a["version"],
            "state": a["state"],
            "campaign_id": a["campaign"]["id"],
            "agent_id": a["agent_id"],
            "queued_at": a["queued_at"],
        }

    def view(self) -> dict[str, Any]:
        def rounded(c: dict[str, Any]) -> dict[str, Any]:
            return {k: round(v, 3) if isinstance(v, float) else v for k, v in c.items()}

        return {
            "live": self.live,
            "campaigns": {k: rounded(c) for k, c in self.campaigns.items()},
            "agents": self.agents,
        }


async def _snap(client: httpx.AsyncClient) -> dict[str, Any]:
    r = await client.get("/api/supervisor/dashboard", params={"tz": LIMA})
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


async def test_the_staff_room_keeps_the_dashboard_equal_to_a_fresh_snapshot(world: World) -> None:
    """Only supervisors' and admins' sockets hear it; an agent never hears another's work."""
    supervisor = await world.login("supervisor")
    staff = FakeSocket()
    world.rt.hub.add(world.users["supervisor"].id, staff, staff=True)  # type: ignore[arg-type]
    sockets = await world.online("agente2", "agente1")
    agent = await world.login("agente1")
    # agente2 leaves Ventas: nothing of Ventas may reach him.
    async with world.rt.work() as w:
        ventas = await w.session.scalar(select(Campaign.id).where(Campaign.name == "Ventas"))
    only_one = [{"user_id": world.users["agente1"].id, "capacity": 3}]
    assert (await supervisor.put(f"/api/campaigns/{ventas}/members", json=only_one)).is_success
    board = Board(await _snap(supervisor))
    seen = 0

    async def follows(what: str) -> None:
        nonlocal seen
        for e in staff.sent[seen:]:
            board.apply(e)
        seen = len(staff.sent)
        assert board.view() == Board(await _snap(supervisor)).view(), what

    paused = await agent.put("/api/agent/status", json={"status": "paused", "reason": "Baño"})
    assert paused.is_success, paused.text
    await follows("agente1 pauses")
    assert board.agents[world.users["agente1"].id]["status"] == "paused"
    maria = CUSTOMERS["maria"]
    await world.customer_writes(maria, "Hola")
    await follows("a customer writes: queued")
    assert [a["state"] for a in board.live.values()] == ["queued"]
    back = await agent.put("/api/agent/status", json={"status": "available"})
    assert back.is_success, back.text
    await world.route()
    await follows("available: routed to agente1")
    attention_id = next(iter(board.live))
    assert board.live[attention_id]["agent_id"] == world.users["agente1"].id
    assert (await agent.post(f"/api/attentions/{attention_id}/open")).is_success
    await follows("opened")
    sent = await agent.post(f"/api/attentions/{attention_id}/messages", json={"text": "Hola"})
    assert sent.status_code == 201, sent.text
    await follows("the agent answers")
    await world.customer_writes(maria, "Gracias")
    await follows("the customer writes again")
    from tests.integration.conftest import end

    ended = await end(agent, attention_id)
    assert ended.status_code == 200, ended.text
    await follows("ended")
    ventas_now = board.campaigns[ventas]
    assert ventas_now["ended"] == 1 and ventas_now["answered_within"] == 1
    assert board.agents[world.users["agente1"].id]["ended_today"] == 1

    kinds = {e["type"] for e in staff.sent}
    assert {"live.attention", "live.agent"} <= kinds
    # The agent outside Ventas heard none of it, and no agent hears the staff room.
    assert not [e for e in sockets["agente2"].sent if e["type"].startswith("live.")]


async def test_members_capacities_users_and_campaigns_reach_the_staff_room(world: World) -> None:
    """What a supervisor or an admin changes in another browser reaches an open dashboard:
    each change is one event per row it changes, with the row as it now is, and the board
    that applies them (or reloads when it needs the day's figures) equals a fresh snapshot."""
    supervisor = await world.login("supervisor")
    admin = await world.login("admin")
    staff = FakeSocket()
    world.rt.hub.add(world.users["admin"].id, staff, staff=True)  # type: ignore[arg-type]
    agente1, agente2 = world.users["agente1"].id, world.users["agente2"].id
    async with world.rt.work() as w:
        ids = dict((await w.session.execute(select(Campaign.name, Campaign.id))).all())
    ventas, soporte = ids["Ventas"], ids["Soporte"]
    board = Board(await _snap(supervisor))
    seen = 0

    async def heard(what: str) -> list[dict[str, Any]]:
        """The events since the last step; the board follows them, as the client does."""
        nonlocal board, seen
        events = staff.sent[seen:]
        seen = len(staff.sent)
        for e in events:
            if board.stale(e):
                board = Board(await _snap(supervisor))
            else:
                board.apply(e)
        assert board.view() == Board(await _snap(supervisor)).view(), what
        return events

    def ok(r: httpx.Response) -> None:
        assert r.is_success, r.text

    # A member's capacity: his row, with routing's figure (his own 4, under 0 + 3).
    ok(
        await supervisor.put(
            f"/api/campaigns/{ventas}/members",
            json=[{"user_id": agente1, "capacity": 0}, {"user_id": agente2, "capacity": 3}],
        )
    )
    [e] = await heard("a member's capacity")
    assert e["type"] == "live.agent" and e["agent"]["id"] == agente1
    assert e["agent"]["capacity"] == 3
    assert e["agent"]["campaigns"] == [
        {"campaign_id": c, "capacity": n} for c, n in sorted([(ventas, 0), (soporte, 3)])
    ]
    assert board.agents[agente1]["capacity"] == 3

    # Out of a campaign (the membership's row is deleted by a statement, not the session).
    ok(
        await supervisor.put(
            f"/api/campaigns/{ventas}/members", json=[{"user_id": agente1, "capacity": 0}]
        )
    )
    [e] = await heard("a member removed")
    assert e["agent"]["id"] == agente2
    assert e["agent"]["campaigns"] == [{"campaign_id": soporte, "capacity": 3}]

    # The admin's user page joins him to two campaigns at once: one event, as it ends.
    both = [{"campaign_id": ventas, "capacity": 2}, {"campaign_id": soporte, "capacity": 1}]
    ok(await admin.put(f"/api/admin/users/{agente2}/memberships", json=both))
    [e] = await heard("memberships from the user page")
    assert (e["agent"]["id"], e["agent"]["capacity"]) == (agente2, 3)

    # His own limit (no route sets it yet: the action's unit stands for one).
    async with world.rt.work() as w:
        user = await w.session.get(User, agente2)
        assert user is not None
        user.capacity = 2
    [e] = await heard("a user's capacity")
    assert (e["agent"]["id"], e["agent"]["capacity"]) == (agente2, 2)

    ok(await admin.patch(f"/api/admin/users/{agente2}", json={"display_name": "Diego M."}))
    [e] = await heard("renamed")
    assert e["agent"]["display_name"] == "Diego M."

    ok(await admin.post(f"/api/admin/users/{agente2}/deactivate"))
    [e] = await heard("deactivated")
    assert (e["agent"]["id"], e["agent"]["active"]) == (agente2, False)
    assert agente2 not in board.agents
    ok(await admin.post(f"/api/admin/users/{agente2}/reactivate"))
    [e] = await heard("reactivated: the board reloads for his day")
    assert e["agent"]["active"] is True and agente2 in board.agents
    ok(await admin.patch(f"/api/admin/users/{agente2}", json={"role": "supervisor"}))
    [e] = await heard("no longer an agent")
    assert e["agent"]["role"] == "supervisor" and agente2 not in board.agents

    # Campaigns: a rename applies; a service level counts the day again (a reload).
    ok(await supervisor.patch(f"/api/campaigns/{soporte}", json={"name": "Soporte técnico"}))
    [e] = await heard("a campaign renamed")
    assert e == {
        "type": "live.campaign",
        "campaign": {
            "id": soporte,
            "name": "Soporte técnico",
            "archived": False,
            "service_level_seconds": 60,
            "service_level_target": 80,
        },
    }
    sl = {"service_level_seconds": 30, "service_level_target": 90}
    ok(await supervisor.patch(f"/api/campaigns/{soporte}", json=sl))
    [e] = await heard("a new service level")
    assert {k: e["campaign"][k] for k in sl} == sl
    assert board.campaigns[soporte]["service_level_seconds"] == 30
    # A routing setting is not on the dashboard: nothing to hear.
    ok(await supervisor.patch(f"/api/campaigns/{soporte}", json={"max_reassignments": 5}))
    assert await heard("a routing setting") == []

    made = await supervisor.post("/api/campaigns", json={"name": "Cobranzas"})
    ok(made)
    new = made.json()["id"]
    [e] = await heard("a new campaign")
    assert e["campaign"]["id"] == new and new in board.campaigns
    ok(await supervisor.patch(f"/api/campaigns/{new}", json={"archived": True}))
    [e] = await heard("archived")
    assert e["campaign"]["archived"] is True and new not in board.campaigns
    ok(await supervisor.patch(f"/api/campaigns/{new}", json={"archived": False}))
    [e] = await heard("unarchived")
    assert new in board.campaigns
