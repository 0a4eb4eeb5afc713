"""The summary reports on a hand-built scenario whose right answers are worked out below.

Three campaigns, two agents, two days in Lima (UTC-5): a transfer, a timeout reassignment,
an orphaned attention, first responses, pauses that cross midnight, an attention that starts
at 23:30 local (the next day in UTC), and pricing sent by Meta in repeated status webhooks,
one of them before its message was known.
"""

import asyncio
import csv
import io
import json
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

import httpx
import openpyxl
from sqlalchemy import select

from atiende.actions import agent_states_report, summary_reports
from atiende.actions.work import Work
from atiende.db.models import (
    AgentStatusChange,
    Attention,
    AttentionEvent,
    Campaign,
    Channel,
    Customer,
    Message,
    PauseReason,
    Transfer,
)
from atiende.emulator import payloads
from atiende.schemas.reports import ReportFilters
from tests.integration.conftest import World

TZ = "America/Lima"
D1, D2 = date(2026, 11, 10), date(2026, 11, 11)
RANGE = {"date_from": "2026-11-10", "date_to": "2026-11-11", "tz": TZ}


def z(text: str) -> datetime:
    """A UTC instant, written as in the notes: "11-11 04:30:00" is 2026-11-11T04:30Z."""
    return datetime.strptime(f"2026-{text}", "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)


@dataclass
class Built:
    campaigns: dict[str, int] = field(default_factory=dict)
    agents: dict[str, int] = field(default_factory=dict)
    attentions: dict[str, int] = field(default_factory=dict)


class Scenario:
    def __init__(self, w: Work, world: World, built: Built) -> None:
        self.w, self.world, self.b = w, world, built
        self.channel_id = 0
        self.customers = 0

    async def attention(self, key: str, campaign: str, created: str, **kw: Any) -> Attention:
        self.customers += 1
        customer = Customer(portfolio_id="report", phone=f"+5190000000{self.customers}")
        self.w.session.add(customer)
        await self.w.session.flush()
        a = Attention(
            channel_id=self.channel_id,
            customer_id=customer.id,
            campaign_id=self.b.campaigns[campaign],
            created_at=z(created),
            queued_at=z(created),
            **kw,
        )
        self.w.session.add(a)
        await self.w.session.flush()
        self.b.attentions[key] = a.id
        return a

    async def event(
        self,
        a: Attention,
        kind: str,
        at: str,
        agent: str | None = None,
        data: dict[str, Any] | None = None,
    ) -> None:
        self.w.session.add(
            AttentionEvent(
                attention_id=a.id,
                kind=kind,
                agent_id=self.b.agents[agent] if agent else None,
                actor_id=self.b.agents[agent] if agent and kind != "reassigned" else None,
                campaign_id=a.campaign_id,
                data=data or {},
                created_at=z(at),
            )
        )
        # Insertion order is what the invariant audit replays.
        await self.w.session.flush()

    async def message(
        self,
        a: Attention,
        direction: str,
        at: str,
        agent: str | None = None,
        wamid: str = "",
        text: str = "x",
    ) -> None:
        self.w.session.add(
            Message(
                attention_id=a.id,
                channel_id=self.channel_id,
                direction=direction,
                wa_message_id=wamid or f"wamid.{a.id}.{direction}.{at}",
                text=text,
                status="sent" if direction == "out" else "received",
                sender_id=self.b.agents[agent] if agent else None,
                created_at=z(at),
            )
        )
        await self.w.session.flush()

    async def status(self, agent: str, status: str, at: str, reason: str | None = None) -> None:
        reason_id = (
            await self.w.session.scalar(select(PauseReason.id).where(PauseReason.name == reason))
            if reason
            else None
        )
        self.w.session.add(
            AgentStatusChange(
                user_id=self.b.agents[agent],
                status=status,
                reason=reason,
                reason_id=reason_id,
                at=z(at),
            )
        )


async def _pricing_status(
    world: World, wamid: str, status: payloads.StatusName, pricing: dict[str, Any]
) -> None:
    item = payloads.status_item(
        wamid, status, time.time(), recipient_id="51900000001", recipient_user_id=None
    )
    if pricing:
        item["pricing"] = pricing
    body = payloads.messages_webhook(world.business, {"statuses": [item]})
    response = await world.deliver(json.dumps(body).encode())
    assert response.status_code == 200, response.text


SERVICE = {
    "billable": False,
    "pricing_model": "PMP",
    "category": "service",
    "type": "free_customer_service",
}
MARKETING = {"billable": True, "pricing_model": "PMP", "category": "marketing", "type": "regular"}
UTILITY = {"billable": True, "pricing_model": "PMP", "category": "utility", "type": "regular"}


async def build(world: World) -> Built:
    b = Built()
    # A5's reply: its statuses come before the message is recorded (kept as early statuses).
    await _pricing_status(world, "wamid.A5out", "sent", SERVICE)
    async with world.rt.work() as w:
        s = Scenario(w, world, b)
        channel = await w.session.scalar(select(Channel))
        assert channel is not None
        s.channel_id = channel.id
        for c in await w.session.scalars(select(Campaign)):
            b.campaigns[c.name] = c.id
        cobranzas = Campaign(name="Cobranzas")
        w.session.add(cobranzas)
        await w.session.flush()
        b.campaigns["Cobranzas"] = cobranzas.id
        b.agents = {"a1": world.users["agente1"].id, "a2": world.users["agente2"].id}

        # A1, Ventas, D1 10:00 local: wait 30, first response 120, handle 540 (a1).
        a1 = await s.attention(
            "A1", "Ventas", "11-10 15:00:00", state="closed", closed_at=z("11-10 15:10:00")
        )
        await s.message(a1, "in", "11-10 15:00:00")
        await s.event(a1, "assigned", "11-10 15:00:30", "a1")
        await s.event(a1, "opened", "11-10 15:01:00", "a1")
        await s.message(a1, "out", "11-10 15:02:00", "a1", "wamid.A1out")
        await s.event(a1, "closed", "11-10 15:10:00", "a1")

        # A2, Ventas, D1 23:30 local (D2 in UTC): a2 answers and transfers it to Soporte,
        # a1 takes it and ends it. Wait 60, first response 210, handle 1110 (from a2's
        # opening); a2 handled 510 s, a1 480 s, both on D1 local.
        a2 = await s.attention(
            "A2",
            "Soporte",
            "11-11 04:30:00",
            state="closed",
            closed_at=z("11-11 04:50:00"),
            transfer_count=1,
            segment=2,
        )
        await s.message(a2, "in", "11-11 04:30:00")
        await s.event(a2, "assigned", "11-11 04:31:00", "a2")
        await s.event(a2, "opened", "11-11 04:31:30", "a2")
        await s.message(a2, "out", "11-11 04:33:30", "a2", "wamid.A2out1")
        w.session.add(
            Transfer(
                attention_id=a2.id,
                sequence=1,
                kind="transfer",
                from_campaign_id=b.campaigns["Ventas"],
                from_agent_id=b.agents["a2"],
                to_campaign_id=b.campaigns["Soporte"],
                by_id=b.agents["a2"],
                created_at=z("11-11 04:40:00"),
            )
        )
        await s.event(a2, "transferred", "11-11 04:40:00", "a2", {"kind": "transfer"})
        await s.event(a2, "queued", "11-11 04:40:00")
        await s.event(a2, "assigned", "11-11 04:41:00", "a1")
        await s.event(a2, "opened", "11-11 04:42:00", "a1")
        await s.message(a2, "out", "11-11 04:43:00", "a1", "wamid.A2out2")
        await s.event(a2, "closed", "11-11 04:50:00", "a1")

        # A3, Soporte, D1 12:00 local: a2 does not open it in time (reassigned), a1 does.
        # Wait 10 (the first assignment), first response 180, handle 1110.
        a3 = await s.attention(
            "A3",
            "Soporte",
            "11-10 17:00:00",
            state="closed",
            closed_at=z("11-10 17:20:00"),
            reassignments=1,
        )
        await s.message(a3, "in", "11-10 17:00:00", text="Mi envío no llegó")
        await s.event(a3, "assigned", "11-10 17:00:10", "a2")
        await s.event(a3, "reassigned", "11-10 17:01:10", "a2", {"reason": "timeout"})
        await s.event(a3, "assigned", "11-10 17:01:20", "a1")
        await s.event(a3, "opened", "11-10 17:01:30", "a1")
        await s.message(a3, "out", "11-10 17:03:00", "a1", "wamid.A3out")
        await s.event(a3, "closed", "11-10 17:20:00", "a1")

        # A4, Cobranzas, D2 09:00 local: still queued, nobody took it.
        a4 = await s.attention("A4", "Cobranzas", "11-11 14:00:00")
        await s.message(a4, "in", "11-11 14:00:00")
        await s.event(a4, "queued", "11-11 14:00:00")

        # A5, Cobranzas, D2 10:00 local: a1 answers, goes offline, it is orphaned (queued
        # again). Wait 20, first response 100, no handle time (not ended), not handled.
        a5 = await s.attention("A5", "Cobranzas", "11-11 15:00:00", reassignments=1, orphaned=True)
        await s.message(a5, "in", "11-11 15:00:00")
        await s.event(a5, "assigned", "11-11 15:00:20", "a1")
        await s.event(a5, "opened", "11-11 15:00:40", "a1")
        await s.message(a5, "out", "11-11 15:01:40", "a1", "wamid.A5out")
        await s.event(a5, "reassigned", "11-11 15:30:00", "a1", {"reason": "orphaned"})

        # a1: works D1 from 08:00 local, lunch 13-14, a meeting 23:00-00:30 (crosses
        # midnight), offline 02:00-09:00 on D2, then available to the end of the range.
        await s.status("a1", "available", "11-10 13:00:00")
        await s.status("a1", "paused", "11-10 18:00:00", "Almuerzo")
        await s.status("a1", "available", "11-10 19:00:00")
        await s.status("a1", "paused", "11-11 04:00:00", "Reunión")
        await s.status("a1", "available", "11-11 05:30:00")
        await s.status("a1", "offline", "11-11 07:00:00")
        await s.status("a1", "available", "11-11 14:00:00")
        # a2: available D1 22:00 local to D2 01:00 local, then offline.
        await s.status("a2", "available", "11-11 03:00:00")
        await s.status("a2", "offline", "11-11 06:00:00")
    await world.early_statuses()
    # Meta repeats the pricing with `sent` and `delivered`, sometimes a status twice; `read`
    # carries none.
    for wamid, pricing in (
        ("wamid.A1out", SERVICE),
        ("wamid.A2out1", SERVICE),
        ("wamid.A2out2", MARKETING),
        ("wamid.A3out", UTILITY),
    ):
        await _pricing_status(world, wamid, "sent", pricing)
        await _pricing_status(world, wamid, "delivered", pricing)
        await _pricing_status(world, wamid, "delivered", pricing)
        await _pricing_status(world, wamid, "read", {})
    await _pricing_status(world, "wamid.A5out", "delivered", SERVICE)
    return b


async def _get(client: httpx.AsyncClient, url: str, **params: Any) -> Any:
    response = await client.get(url, params=params)
    assert response.status_code == 200, response.text
    return response.json()


async def test_pricing_is_stored_once_per_message_from_repeated_statuses(world: World) -> None:
    await build(world)
    async with world.rt.work() as w:
        rows = {
            m.wa_message_id: (m.pricing_category, m.pricing_billable, m.pricing_model, m.status)
            for m in await w.session.scalars(select(Message).where(Message.direction == "out"))
        }
    assert rows == {
        "wamid.A1out": ("service", False, "PMP", "read"),
        "wamid.A2out1": ("service", False, "PMP", "read"),
        "wamid.A2out2": ("marketing", True, "PMP", "read"),
        "wamid.A3out": ("utility", True, "PMP", "read"),
        # Its `sent` came before the message existed: kept early, applied with its pricing.
        "wamid.A5out": ("service", False, "PMP", "delivered"),
    }


async def test_summary_per_campaign_and_local_day(world: World) -> None:
    b = await build(world)
    sup = await world.login("supervisor")
    priced = await sup.put(
        "/api/reports/message-prices",
        json={"currency": "USD", "prices": [{"category": "marketing", "price": "0.0456"}]},
    )
    assert priced.status_code == 200, priced.text
    page = await _get(sup, "/api/reports/summary", **RANGE)
    assert page["currency"] == "USD"
    assert page["next_cursor"] is None
    got = [{k: v for k, v in r.items() if k not in ("campaign_id",)} for r in page["items"]]
    assert got == [
        {
            "day": "2026-11-10",
            "campaign": "Ventas",
            "received": 2,
            "answered": 2,
            "closed": 2,
            "still_open": 0,
            "reassigned": 0,
            "orphaned": 0,
            "transferred": 1,
            "messages_in": 2,
            "messages_out": 3,
            "avg_first_response_seconds": 165.0,
            "avg_wait_seconds": 45.0,
            "avg_handle_seconds": 825.0,
            "billable": {"marketing": 1},
            "unpriced_billable": 0,
            "cost": "0.0456",
        },
        {
            "day": "2026-11-10",
            "campaign": "Soporte",
            "received": 1,
            "answered": 1,
            "closed": 1,
            "still_open": 0,
            "reassigned": 1,
            "orphaned": 0,
            "transferred": 0,
            "messages_in": 1,
            "messages_out": 1,
            "avg_first_response_seconds": 180.0,
            "avg_wait_seconds": 10.0,
            "avg_handle_seconds": 1110.0,
            "billable": {"utility": 1},
            "unpriced_billable": 1,
            "cost": "0",
        },
        {
            "day": "2026-11-11",
            "campaign": "Cobranzas",
            "received": 2,
            "answered": 1,
            "closed": 0,
            "still_open": 2,
            "reassigned": 1,
            "orphaned": 1,
            "transferred": 0,
            "messages_in": 2,
            "messages_out": 1,
            "avg_first_response_seconds": 100.0,
            "avg_wait_seconds": 20.0,
            "avg_handle_seconds": None,
            "billable": {},
            "unpriced_billable": 0,
            "cost": "0",
        },
    ]
    # Keyset pages: one row at a time gives the same rows in the same order.
    rows, after = [], None
    while True:
        params = {**RANGE, "limit": 1, **({"cursor": after} if after else {})}
        one = await _get(sup, "/api/reports/summary", **params)
        rows += one["items"]
        after = one["next_cursor"]
        if after is None:
            break
    assert rows == page["items"]
    # Filters: a campaign (the one it came in by), an agent who held it, one day.
    soporte = await _get(sup, "/api/reports/summary", **RANGE, campaign_id=b.campaigns["Soporte"])
    # Anywhere on its path, as every report filters: A2 went through Soporte, and is counted
    # where it came in (Ventas).
    assert [(r["campaign"], r["received"]) for r in soporte["items"]] == [
        ("Ventas", 1),
        ("Soporte", 1),
    ]
    by_a2 = await _get(sup, "/api/reports/summary", **RANGE, agent_id=b.agents["a2"])
    assert [(r["campaign"], r["received"]) for r in by_a2["items"]] == [
        ("Ventas", 1),
        ("Soporte", 1),
    ]
    d2 = await _get(sup, "/api/reports/summary", **{**RANGE, "date_from": "2026-11-11"})
    assert [r["campaign"] for r in d2["items"]] == ["Cobranzas"]
    # In UTC, A2 (23:30 in Lima) belongs to the next day.
    utc = await _get(sup, "/api/reports/summary", **{**RANGE, "tz": "UTC"})
    assert [(r["day"], r["campaign"], r["received"]) for r in utc["items"]] == [
        ("2026-11-10", "Ventas", 1),
        ("2026-11-10", "Soporte", 1),
        ("2026-11-11", "Ventas", 1),
        ("2026-11-11", "Cobranzas", 2),
    ]


async def test_agent_states_per_agent_and_local_day(world: World) -> None:
    b = await build(world)
    sup = await world.login("supervisor")
    page = await _get(sup, "/api/reports/agent-states", **RANGE)
    got = [
        (
            r["agent"]["id"],
            r["day"],
            r["logged_in_seconds"],
            r["available_seconds"],
            r["paused_seconds"],
            r["paused_by_reason"],
            r["offline_seconds"],
            r["handled"],
            r["avg_handle_seconds"],
        )
        for r in page["items"]
    ]
    a1, a2 = b.agents["a1"], b.agents["a2"]
    assert got == [
        # 13:00Z-18:00Z and 19:00Z-04:00Z available, lunch 1 h, the meeting's first hour.
        (
            a1,
            "2026-11-10",
            57600.0,
            50400.0,
            7200.0,
            {"Almuerzo": 3600.0, "Reunión": 3600.0},
            0.0,
            3,
            710.0,
        ),
        # The meeting's last 30 min, 1.5 h available, 7 h offline, then 15 h available.
        (a1, "2026-11-11", 61200.0, 59400.0, 1800.0, {"Reunión": 1800.0}, 25200.0, 0, None),
        (a2, "2026-11-10", 7200.0, 7200.0, 0.0, {}, 0.0, 1, 510.0),
        (a2, "2026-11-11", 3600.0, 3600.0, 0.0, {}, 82800.0, 0, None),
    ]
    rows, after = [], None
    while True:
        params = {**RANGE, "limit": 1, **({"cursor": after} if after else {})}
        one = await _get(sup, "/api/reports/agent-states", **params)
        rows += one["items"]
        after = one["next_cursor"]
        if after is None:
            break
    assert rows == page["items"]
    # A reason renamed since is one reason, under its name now.
    async with world.rt.work() as w:
        lunch = await w.session.scalar(select(PauseReason).where(PauseReason.name == "Almuerzo"))
        assert lunch is not None
        lunch.name = "Refrigerio"
    renamed = await _get(sup, "/api/reports/agent-states", **RANGE, agent_id=a1)
    assert renamed["items"][0]["paused_by_reason"] == {"Refrigerio": 3600.0, "Reunión": 3600.0}
    only_a2 = await _get(sup, "/api/reports/agent-states", **RANGE, agent_id=a2)
    assert [r["agent"]["id"] for r in only_a2["items"]] == [a2, a2]

    timeline = await _get(sup, f"/api/reports/agent-states/{a1}/timeline", **RANGE)
    day1, day2 = timeline["days"]
    assert [(s["status"], s["reason"], s["seconds"]) for s in day1["spans"]] == [
        ("available", None, 18000.0),
        ("paused", "Almuerzo", 3600.0),
        ("available", None, 32400.0),
        ("paused", "Reunión", 3600.0),
    ]
    assert day1["spans"][-1]["end"] == "2026-11-11T05:00:00Z"
    assert [(s["status"], s["seconds"]) for s in day2["spans"]] == [
        ("paused", 1800.0),
        ("available", 5400.0),
        ("offline", 25200.0),
        ("available", 54000.0),
    ]


async def test_agent_states_count_the_handled_attentions_the_filters_match(
    world: World,
) -> None:
    """Campaign, state, condition, customer and words choose which handled attentions are
    counted; the agents' times are theirs whatever they worked on."""
    b = await build(world)
    sup = await world.login("supervisor")
    url = "/api/reports/agent-states"
    a1, a2 = b.agents["a1"], b.agents["a2"]
    d1 = "2026-11-10"

    def times(page: Any) -> dict[tuple[int, str], Any]:
        return {(r["agent"]["id"], r["day"]): r["logged_in_seconds"] for r in page["items"]}

    def handled(page: Any) -> dict[tuple[int, str], tuple[int, float | None]]:
        return {
            (r["agent"]["id"], r["day"]): (r["handled"], r["avg_handle_seconds"])
            for r in page["items"]
            if r["handled"]
        }

    everything = await _get(sup, url, **RANGE)
    assert handled(everything) == {(a1, d1): (3, 710.0), (a2, d1): (1, 510.0)}
    cases: list[tuple[dict[str, Any], dict[tuple[int, str], tuple[int, float | None]]]] = [
        ({"words": "ENVIO llego"}, {(a1, d1): (1, 1110.0)}),  # A3, accents ignored
        ({"words": '"no llegó"'}, {(a1, d1): (1, 1110.0)}),
        ({"words": "zzzqx"}, {}),
        ({"condition": "transferred"}, {(a1, d1): (1, 480.0), (a2, d1): (1, 510.0)}),  # A2
        ({"condition": "reassigned"}, {(a1, d1): (1, 1110.0)}),  # A3
        ({"state": "queued"}, {}),
        ({"customer": "900000001"}, {(a1, d1): (1, 540.0)}),  # A1's phone
        # A1 and A2 (it came in by Ventas), not A3.
        ({"campaign_id": b.campaigns["Ventas"]}, {(a1, d1): (2, 510.0), (a2, d1): (1, 510.0)}),
    ]
    for params, expected in cases:
        page = await _get(sup, url, **RANGE, **params)
        assert times(page) == times(everything), params
        assert handled(page) == expected, params


async def test_an_open_status_counts_up_to_now(world: World) -> None:
    b = await build(world)
    now = z("11-11 20:00:00")  # 15:00 on D2 in Lima
    filters = ReportFilters(date_from=D1, date_to=D2, tz=TZ, agent_id=b.agents["a1"])
    window = summary_reports.Window.of(filters, "UTC")
    async with world.rt.work() as w:
        scope = summary_reports.agent_scope(window, w.dialect, now)
        rows, _ = await agent_states_report.agent_days(w, scope, None, 10)
    # Available since 14:00Z: six hours by 20:00Z.
    assert rows[1].available_seconds == 5400.0 + 6 * 3600.0
    assert rows[1].offline_seconds == 25200.0


async def test_report_parameters_are_checked(world: World) -> None:
    sup = await world.login("supervisor")
    cases = [
        ({**RANGE, "tz": "Mars/Olympus"}, "bad_time_zone"),
        ({**RANGE, "date_from": "2026-11-12"}, "bad_date_range"),
        ({"date_from": "2026-11-12", "tz": TZ}, "report_days_required"),
        ({**RANGE, "cursor": "bm90IGEgY3Vyc29y"}, "bad_cursor"),
        ({**RANGE, "date_from": "2025-01-01"}, "date_range_too_long"),
    ]
    for params, code in cases:
        response = await sup.get("/api/reports/summary", params=params)
        assert response.status_code == 422, response.text
        assert response.json()["code"] == code
    month = await sup.get(
        "/api/reports/agent-states/1/timeline", params={**RANGE, "date_from": "2026-09-01"}
    )
    assert month.json()["code"] == "date_range_too_long"


async def test_message_prices_are_validated_and_audited(world: World) -> None:
    sup = await world.login("supervisor")
    bad = await sup.put(
        "/api/reports/message-prices",
        json={"currency": "usd", "prices": [{"category": "marketing", "price": "-1"}]},
    )
    assert bad.status_code == 422
    twice = await sup.put(
        "/api/reports/message-prices",
        json={
            "currency": "PEN",
            "prices": [
                {"category": "utility", "price": "0.1"},
                {"category": "utility", "price": "0.2"},
            ],
        },
    )
    assert twice.json()["code"] == "price_category_repeated"
    ok = await sup.put(
        "/api/reports/message-prices",
        json={"currency": "PEN", "prices": [{"category": "utility", "price": "0.0300"}]},
    )
    assert ok.status_code == 200, ok.text
    assert [(p["category"], p["price"]) for p in ok.json()["prices"]] == [("utility", "0.03")]
    again = await sup.put(
        "/api/reports/message-prices",
        json={"currency": "PEN", "prices": [{"category": "marketing", "price": "0.2"}]},
    )
    assert [p["category"] for p in again.json()["prices"]] == ["marketing"]
    log = await _get(sup, "/api/audit-log", entity="message_prices")
    assert [e["changes"] for e in log["items"]] == [
        {"marketing (PEN)": [None, "0.2"], "utility (PEN)": ["0.03", None]},
        {"utility (PEN)": [None, "0.03"]},
    ]
    agent = await world.login("agente1")
    assert (await agent.get("/api/reports/summary", params=RANGE)).status_code == 403


async def _exported(world: World, sup: httpx.AsyncClient, report: str, fmt: str) -> bytes:
    started = await sup.post(
        f"/api/reports/{report}/exports",
        json={"format": fmt, "filters": RANGE, "lang": "es"},
    )
    assert started.status_code == 202, started.text
    # The export is written beside the requests: wait for it rather than poll (SQLite has
    # one writer).
    await asyncio.gather(*world.rt.background)
    job = await _get(sup, f"/api/exports/{started.json()['id']}")
    assert job["state"] == "done", job
    got = await sup.get(f"/api/exports/{job['id']}/file")
    assert got.status_code == 200
    return got.content


def _xlsx_rows(content: bytes) -> list[list[Any]]:
    sheet = openpyxl.load_workbook(io.BytesIO(content), read_only=True).active
    assert sheet is not None
    return [list(r) for r in sheet.iter_rows(values_only=True)]


async def test_exports_read_back_with_the_report_numbers(world: World) -> None:
    await build(world)
    sup = await world.login("supervisor")
    text = (await _exported(world, sup, "summary", "csv")).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:4] == ["Día", "Campaña", "Recibidas", "Respondidas"]
    assert [r[:3] for r in rows[1:]] == [
        ["2026-11-10", "Ventas", "2"],
        ["2026-11-10", "Soporte", "1"],
        ["2026-11-11", "Cobranzas", "2"],
    ]
    header = rows[0]
    assert rows[1][header.index("Gestión prom. (s)")] == "825.0"
    assert rows[1][header.index("Facturables marketing")] == "1"
    sheet = _xlsx_rows(await _exported(world, sup, "summary", "xlsx"))
    assert [r[:3] for r in sheet[1:]] == [
        ["2026-11-10", "Ventas", 2],
        ["2026-11-10", "Soporte", 1],
        ["2026-11-11", "Cobranzas", 2],
    ]
    states = _xlsx_rows(await _exported(world, sup, "agent-states", "xlsx"))
    head = states[0]
    assert head[:3] == ["Agente", "Día", "Conectado (s)"]
    first = dict(zip(head, states[1], strict=True))
    assert (first["Agente"], first["Día"]) == ("Sofía Torres", "2026-11-10")
    assert first["Conectado (s)"] == 57600
    assert (first["Pausa: Almuerzo (s)"], first["Pausa: Reunión (s)"]) == (3600, 3600)
    assert (first["Atenciones"], first["Gestión prom. (s)"]) == (3, 710)
    text = (await _exported(world, sup, "agent-states", "csv")).decode("utf-8-sig")
    assert len(list(csv.reader(io.StringIO(text)))) == 1 + 4
