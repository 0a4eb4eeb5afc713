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
from atiende.db.models import Attention, AttentionEvent, Campaign, Channel, Customer, Message
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


class Board:
    """What the dashboard holds, kept as the client keeps it (web/src/supervisor/dashboard.ts):
    the snapshot, then each `live.*` event not older than what it holds."""

    def __init__(self, snap: dict[str, Any]) -> None:
        self.live = {a["id"]: a for a in snap["attentions"]}
        self.campaigns = {c["id"]: c for c in snap["campaigns"]}
        self.agents = {a["id"]: a for a in snap["agents"]}

    def apply(self, e: dict[str, Any]) -> None:
        if e["type"] == "live.agent":
            agent = self.agents.get(e["agent"]["id"])
            if agent is not None:
                agent.update(e["agent"])
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
            return {
                k: round(v, 3) if isinstance(v, float) else v for k, v in c.items() if k != "name"
            }

        return {
            "live": self.live,
            "campaigns": {k: rounded(c) for k, c in self.campaigns.items()},
            "agents": {
                k: {x: a[x] for x in ("status", "pause_reason", "ended_today", "capacity")}
                for k, a in self.agents.items()
            },
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
    # agente2 leaves Ventas: nothing of Ventas may reach him. (A change of members or
    # capacities is not an event: the dashboard shows it from its next snapshot.)
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
