"""*Reporte de transferencias* on hand-built transfers whose right answers are known: each
shared filter narrows the rows as documented (days, campaign and agent on the transfers;
state, condition, customer and words on the attention), and the keyset pages walk every
row once while transfers keep being made. Runs on SQLite and PostgreSQL (`world`)."""

import csv
import io
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select

from atiende.db.models import Attention, Campaign, Channel, Customer, Message, Transfer
from tests.integration.conftest import World
from tests.integration.test_attentions_report import LIMA, _export_transfers, lima

DAY = "2026-11-30"


@dataclass
class Scenario:
    ids: dict[str, int]

    def __getitem__(self, name: str) -> int:
        return self.ids[name]


async def build(world: World) -> Scenario:
    """T1..T5 and what each is: see the comments; times are Lima's (UTC-5)."""
    ag1, ag2 = world.users["agente1"].id, world.users["agente2"].id
    async with world.rt.work() as w:
        s = w.session
        camps = {c.name: c.id for c in await s.scalars(select(Campaign))}
        cobranza = Campaign(name="Cobranzas")
        s.add(cobranza)
        await s.flush()
        ventas, soporte, cobranzas = camps["Ventas"], camps["Soporte"], cobranza.id
        channel = await s.scalar(select(Channel.id))
        assert channel is not None

        def customer(name: str | None, phone: str | None, username: str | None) -> Customer:
            c = Customer(portfolio_id="p-transfers", name=name, phone=phone, username=username)
            s.add(c)
            return c

        ana = customer("Ana Ríos", "+51911111111", None)
        beto = customer(None, "+51922222222", "beto_pe")
        caro = customer("Carolina", "+51933333333", None)
        dani = customer("Daniel", "+51944444444", None)
        await s.flush()

        async def attention(
            c: Customer,
            campaign: int,
            text: str,
            hops: list[tuple[int, int, int | None, int | None, datetime]],
            **kw: Any,
        ) -> int:
            started = hops[0][4] - timedelta(minutes=5) if hops else lima(30, 8, 0)
            a = Attention(
                channel_id=channel,
                customer_id=c.id,
                campaign_id=campaign,
                created_at=started,
                queued_at=started,
                transfer_count=len(hops),
                segment=len(hops) + 1,
                **kw,
            )
            s.add(a)
            await s.flush()
            s.add(
                Message(
                    attention_id=a.id,
                    channel_id=channel,
                    direction="in",
                    text=text,
                    status="received",
                    created_at=started,
                )
            )
            for seq, (frm, to, f_agent, t_agent, at) in enumerate(hops, start=1):
                s.add(
                    Transfer(
                        attention_id=a.id,
                        sequence=seq,
                        from_campaign_id=frm,
                        to_campaign_id=to,
                        from_agent_id=f_agent,
                        to_agent_id=t_agent,
                        by_id=f_agent or ag1,
                        created_at=at,
                    )
                )
            return a.id

        closed: dict[str, Any] = {"state": "closed", "closed_at": lima(30, 9, 0) + timedelta(1)}
        # T1: Ventas → Soporte (agente1 → agente2) at 10:00; reassigned once.
        t1 = await attention(
            ana,
            soporte,
            "Necesito mi FACTURA de octubre",
            [(ventas, soporte, ag1, ag2, lima(30, 10, 0))],
            reassignments=1,
            **closed,
        )
        # T2: Ventas → Soporte (agente1 → any) at 12:00, then Soporte → Cobranzas (agente2 →
        # any) five minutes into 1 December in Lima.
        t2 = await attention(
            beto,
            cobranzas,
            "Quiero pagar en cuotas",
            [
                (ventas, soporte, ag1, None, lima(30, 12, 0)),
                (soporte, cobranzas, ag2, None, lima(30, 0, 5) + timedelta(days=1)),
            ],
            **closed,
        )
        # T3: Soporte → Ventas (agente2 → any) at 15:00; queued again and parked.
        t3 = await attention(
            caro,
            ventas,
            "otra factura",
            [(soporte, ventas, ag2, None, lima(30, 15, 0))],
            parked=True,
        )
        # T4: never transferred: in no page whatever the filters.
        await attention(dani, ventas, "factura cuotas octubre", [], **closed)
        # T5: Ventas → Cobranzas (agente1 → agente1) the day before; orphaned.
        t5 = await attention(
            dani,
            cobranzas,
            "Hola",
            [(ventas, cobranzas, ag1, ag1, lima(29, 9, 0))],
            orphaned=True,
            **closed,
        )
    return Scenario(
        {
            "t1": t1,
            "t2": t2,
            "t3": t3,
            "t5": t5,
            "ventas": ventas,
            "soporte": soporte,
            "cobranzas": cobranzas,
            "agente1": ag1,
            "agente2": ag2,
        }
    )


def _q(**kw: Any) -> dict[str, Any]:
    return {"date_from": DAY, "date_to": DAY, "tz": LIMA, **kw}


# (filters, rows): `_q` days unless `None` stands for "no days"; a value naming a scenario
# id is replaced by it. Rows come newest first transfer first.
FILTER_CASES: list[tuple[dict[str, str], bool, list[str]]] = [
    ({}, True, ["t3", "t2", "t1"]),
    ({}, False, ["t3", "t2", "t1", "t5"]),
    # Days of the transfers: T2's second one is on 1 December in Lima (still 30 November's
    # evening nowhere: 05:05 UTC), T5's on the 29th.
    ({"date_from": "2026-12-01", "date_to": "2026-12-01"}, False, ["t2"]),
    ({"date_to": "2026-11-29"}, False, ["t5"]),
    # Campaign, either side of a transfer of those days: T2 reached Cobranzas on the 1st.
    ({"campaign_id": "cobranzas"}, True, []),
    ({"campaign_id": "cobranzas"}, False, ["t2", "t5"]),
    ({"campaign_id": "soporte"}, True, ["t3", "t2", "t1"]),
    # Agent, either side of a transfer of those days.
    ({"agent_id": "agente2"}, True, ["t3", "t1"]),
    ({"agent_id": "agente1"}, True, ["t2", "t1"]),
    ({"agent_id": "agente1"}, False, ["t2", "t1", "t5"]),
    # The attention's own: state, condition, customer, words.
    ({"state": "closed"}, True, ["t2", "t1"]),
    ({"state": "queued"}, True, ["t3"]),
    ({"state": "open"}, True, []),
    ({"condition": "reassigned"}, True, ["t1"]),
    ({"condition": "parked"}, True, ["t3"]),
    ({"condition": "orphaned"}, False, ["t5"]),
    ({"condition": "transferred"}, True, ["t3", "t2", "t1"]),
    ({"customer": "ANA"}, True, ["t1"]),
    ({"customer": "9222"}, True, ["t2"]),
    ({"customer": "beto"}, True, ["t2"]),
    ({"words": "factura"}, True, ["t3", "t1"]),
    ({"words": "factura octubre"}, True, ["t1"]),
    ({"words": "cuotas"}, True, ["t2"]),
    ({"state": "closed", "words": "factura", "agent_id": "agente2"}, True, ["t1"]),
]


async def test_each_filter_narrows_the_transfers(world: World) -> None:
    sc = await build(world)
    sup = await world.login("supervisor")
    for filters, days, expected in FILTER_CASES:
        params = {k: sc.ids.get(v, v) for k, v in filters.items()}
        query = _q(**params) if days else {"tz": LIMA, **params}
        r = await sup.get("/api/reports/transfers", params=query)
        assert r.status_code == 200, r.text
        page = r.json()
        got = [i["attention"]["id"] for i in page["items"]]
        assert got == [sc[e] for e in expected], (filters, days)
        assert page["total"] == len(expected) and page["next_cursor"] is None


async def test_a_row_has_its_first_and_last_counted_transfer(world: World) -> None:
    sc = await build(world)
    sup = await world.login("supervisor")
    every = (await sup.get("/api/reports/transfers", params={"tz": LIMA})).json()["items"]
    t2 = next(i for i in every if i["attention"]["id"] == sc["t2"])
    assert t2["transfer_count"] == 2
    assert t2["attention"]["customer"]["username"] == "beto_pe"
    assert _utc(t2["first_transfer_at"]) == lima(30, 12, 0)
    assert _utc(t2["last_transfer_at"]) == lima(30, 0, 5) + timedelta(days=1)
    # Within one day only that day's transfers count, for both ends.
    (day,) = (await sup.get("/api/reports/transfers", params=_q(words="cuotas"))).json()["items"]
    assert _utc(day["first_transfer_at"]) == _utc(day["last_transfer_at"]) == lima(30, 12, 0)


def _utc(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


async def test_keyset_pages_walk_every_row_once_while_transfers_are_made(world: World) -> None:
    sc = await build(world)
    ag1, ag2 = world.users["agente1"].id, world.users["agente2"].id
    # Two more whose first transfers are at the very same instant: the id breaks the tie.
    tied = lima(28, 8, 0)
    async with world.rt.work() as w:
        s = w.session
        first = await s.get(Attention, sc["t1"])
        assert first is not None
        for _ in range(2):
            a = Attention(
                channel_id=first.channel_id,
                customer_id=first.customer_id,
                campaign_id=sc["soporte"],
                created_at=tied - timedelta(minutes=1),
                queued_at=tied - timedelta(minutes=1),
                state="closed",
                closed_at=tied + timedelta(minutes=1),
                transfer_count=1,
            )
            s.add(a)
            await s.flush()
            s.add(
                Transfer(
                    attention_id=a.id,
                    sequence=1,
                    from_campaign_id=sc["ventas"],
                    to_campaign_id=sc["soporte"],
                    from_agent_id=ag1,
                    by_id=ag1,
                    created_at=tied,
                )
            )
            sc.ids[f"tie{a.id}"] = a.id
    ties = sorted((v for k, v in sc.ids.items() if k.startswith("tie")), reverse=True)
    everything = [sc["t3"], sc["t2"], sc["t1"], sc["t5"], *ties]

    sup = await world.login("supervisor")
    seen: list[int] = []
    cursor: str | None = None
    pages = 0
    while True:
        params: dict[str, Any] = {"tz": LIMA, "limit": 1}
        if cursor:
            params["cursor"] = cursor
        page = (await sup.get("/api/reports/transfers", params=params)).json()
        assert page["total"] == (len(everything) if pages == 0 else None)
        seen += [i["attention"]["id"] for i in page["items"]]
        pages += 1
        if pages == 1:
            # Between the pages: a new transfer of a row not reached yet (T1), and a newly
            # transferred attention. Neither moves or adds a row behind the cursor.
            await _transfer_now(world, sc["t1"], sc["soporte"], sc["ventas"], ag2)
            await _transfer_now(world, sc["t5"], sc["cobranzas"], sc["ventas"], ag2)
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == everything
    # A new walk sees the row that appeared (T5's new transfer did not move it: its first
    # transfer stays where it was).
    again = (await sup.get("/api/reports/transfers", params={"tz": LIMA})).json()
    assert [i["attention"]["id"] for i in again["items"]] == everything


async def _transfer_now(world: World, attention_id: int, frm: int, to: int, agent: int) -> None:
    async with world.rt.work() as w:
        a = await w.session.get(Attention, attention_id)
        assert a is not None
        a.transfer_count += 1
        w.session.add(
            Transfer(
                attention_id=a.id,
                sequence=a.transfer_count,
                from_campaign_id=frm,
                to_campaign_id=to,
                from_agent_id=agent,
                by_id=agent,
                created_at=datetime.now(UTC),
            )
        )


BAD: list[tuple[dict[str, Any], str]] = [
    ({"cursor": "garbage"}, "bad_cursor"),
    ({"cursor": "WzEsMl0"}, "bad_cursor"),  # [1,2]: the shape, not the types
    ({"tz": "Nowhere/Land"}, "bad_time_zone"),
    ({"date_from": "2026-12-02", "date_to": "2026-12-01"}, "bad_date_range"),
    ({"words": "a b c d e f g h i"}, "too_many_words"),
    ({"words": " ¿? "}, "search_words_empty"),
    ({"page": "2"}, "invalid_request"),
]


async def test_bad_filters_and_cursors_are_refused(world: World) -> None:
    sup = await world.login("supervisor")
    for params, code in BAD:
        r = await sup.get("/api/reports/transfers", params=params)
        assert (r.status_code, r.json()["code"]) == (422, code), params


async def test_the_export_takes_the_same_filters(world: World) -> None:
    sc = await build(world)
    content = await _export_transfers(world, "csv", _q(state="closed", words="factura"))
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows[1:] == [
        [
            str(sc["t1"]),
            "Ana Ríos",
            "+51911111111",
            "Terminada",
            "Soporte",
            "1",
            "2026-11-30 10:00:00",
            "2026-11-30 10:00:00",
            "Ventas → Soporte",
        ]
    ]
    # Every row, by keyset batches, in the page's order.
    content = await _export_transfers(world, "csv", {"tz": LIMA, "limit": 1, "cursor": "x"})
    ids = [int(r[0]) for r in list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))[1:]]
    assert ids == [sc["t3"], sc["t2"], sc["t1"], sc["t5"]]
