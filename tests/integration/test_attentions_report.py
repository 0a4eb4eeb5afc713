"""*Reporte de atenciones* on a hand-built day whose right answers are known: three campaigns,
two transfers, a reassignment, waits, first responses and handle times, and attentions on
both sides of the supervisor's midnight (America/Lima, UTC-5) that UTC would count on
another day. The page, its keyset, every filter, and both exports read back."""

import asyncio
import csv
import io
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import openpyxl
from sqlalchemy import select

from atiende.actions import exports
from atiende.actions.forms import current_form, do_define_form
from atiende.actions.work import Work
from atiende.db.models import (
    Attention,
    AttentionEvent,
    AttentionMatch,
    Campaign,
    Channel,
    Customer,
    FormSubmission,
    Message,
    Transfer,
)
from atiende.domain.forms import FieldSpec
from tests.integration.conftest import World

LIMA = "America/Lima"
DAY = "2026-11-30"


def lima(day: int, hour: int, minute: int, second: int = 0) -> datetime:
    """A time on Lima's clock (UTC-5 all year) as UTC."""
    return datetime(2026, 11, day, hour, minute, second, tzinfo=UTC) + timedelta(hours=5)


@dataclass
class Scenario:
    a1: int
    a2: int
    a3: int
    a4: int
    ventas: int
    soporte: int
    cobranzas: int


async def build(world: World) -> Scenario:
    ag1, ag2 = world.users["agente1"].id, world.users["agente2"].id
    admin = world.users["admin"].id
    async with world.rt.work() as w:
        s = w.session
        camps = {c.name: c for c in await s.scalars(select(Campaign))}
        cobranza = Campaign(name="Cobranzas")
        s.add(cobranza)
        await s.flush()
        cobranzas = cobranza.id
        await do_define_form(
            w,
            admin,
            cobranzas,
            [
                FieldSpec("monto", "Monto", "number", True),
                FieldSpec("acuerdo", "Acuerdo de pago", "checkbox"),
            ],
        )
        ventas, soporte = camps["Ventas"].id, camps["Soporte"].id
        channel = await s.scalar(select(Channel.id))
        assert channel is not None

        def customer(name: str | None, phone: str | None, username: str | None) -> Customer:
            c = Customer(portfolio_id="p-report", name=name, phone=phone, username=username)
            s.add(c)
            return c

        ana = customer("Ana Ríos", "+51911111111", None)
        beto = customer(None, "+51922222222", "beto_pe")
        caro = customer("Carolina", "+51933333333", None)
        dani = customer("Daniel", "+51944444444", None)
        await s.flush()

        def attention(c: Customer, campaign: int, at: datetime, **kw: Any) -> Attention:
            a = Attention(
                channel_id=channel,
                customer_id=c.id,
                campaign_id=campaign,
                created_at=at,
                queued_at=at,
                **kw,
            )
            s.add(a)
            return a

        def event(
            a: Attention, kind: str, at: datetime, agent: int | None, seg: int, camp: int
        ) -> None:
            s.add(
                AttentionEvent(
                    attention_id=a.id,
                    kind=kind,
                    segment=seg,
                    agent_id=agent,
                    actor_id=agent if kind == "opened" else None,
                    campaign_id=camp,
                    created_at=at,
                )
            )

        def message(
            a: Attention, at: datetime, out: bool, text: str, sender: int | None = None
        ) -> None:
            s.add(
                Message(
                    attention_id=a.id,
                    channel_id=channel,
                    direction="out" if out else "in",
                    text=text,
                    status="sent" if out else "received",
                    sender_id=sender,
                    created_at=at,
                )
            )

        # A1, Ventas, 10:00 on the day: assigned 30 s later, opened at 60 s, first reply at
        # 120 s (after an automatic greeting at 5 s, which is no agent's), ended at 600 s.
        t1 = lima(30, 10, 0)
        a1 = attention(ana, ventas, t1, state="closed", closed_at=t1 + timedelta(seconds=600))
        await s.flush()
        message(a1, t1, False, "Hola, necesito mi FACTURA de octubre")
        message(a1, t1 + timedelta(seconds=5), True, "Gracias por escribir", None)
        message(a1, t1 + timedelta(seconds=120), True, "Con gusto, ¿su documento?", ag1)
        event(a1, "assigned", t1 + timedelta(seconds=30), ag1, 1, ventas)
        event(a1, "opened", t1 + timedelta(seconds=60), ag1, 1, ventas)
        event(a1, "closed", t1 + timedelta(seconds=600), ag1, 1, ventas)
        s.add(
            FormSubmission(
                attention_id=a1.id,
                segment=1,
                campaign_id=ventas,
                form_id=await _form_id(w, ventas),
                values={"motivo": "Compra", "documento": "4455", "promociones": True},
                submitted_at=t1 + timedelta(seconds=590),
            )
        )
        s.add(AttentionMatch(attention_id=a1.id, base_name="Clientes", key="4455", name="Ana Ríos"))

        # A2, 30 s before the day ends in Lima (already 1 December in UTC): Ventas, assigned
        # to agente1 at 60 s, not opened, reassigned to agente2 at 200 s, opened at 210 s,
        # replied at 300 s, transferred to Soporte (agente1, 400 s), then to Cobranzas
        # (agente2, 500 s), ended at 900 s.
        t2 = lima(30, 23, 59, 30)
        a2 = attention(
            beto,
            cobranzas,
            t2,
            state="closed",
            closed_at=t2 + timedelta(seconds=900),
            reassignments=1,
            transfer_count=2,
            segment=3,
        )
        await s.flush()
        message(a2, t2, False, "Quiero pagar en cuotas")
        message(a2, t2 + timedelta(seconds=300), True, "Le ayudo con la próxima cuota", ag2)
        event(a2, "assigned", t2 + timedelta(seconds=60), ag1, 1, ventas)
        event(a2, "reassigned", t2 + timedelta(seconds=180), ag1, 1, ventas)
        event(a2, "assigned", t2 + timedelta(seconds=200), ag2, 1, ventas)
        event(a2, "opened", t2 + timedelta(seconds=210), ag2, 1, ventas)
        event(a2, "transferred", t2 + timedelta(seconds=390), ag2, 1, ventas)
        event(a2, "assigned", t2 + timedelta(seconds=400), ag1, 2, soporte)
        event(a2, "opened", t2 + timedelta(seconds=410), ag1, 2, soporte)
        event(a2, "transferred", t2 + timedelta(seconds=490), ag1, 2, soporte)
        event(a2, "assigned", t2 + timedelta(seconds=500), ag2, 3, cobranzas)
        event(a2, "opened", t2 + timedelta(seconds=505), ag2, 3, cobranzas)
        event(a2, "closed", t2 + timedelta(seconds=900), ag2, 3, cobranzas)
        for seq, (frm, to, f_agent, t_agent, at) in enumerate(
            [(ventas, soporte, ag2, ag1, 390), (soporte, cobranzas, ag1, ag2, 490)], start=1
        ):
            s.add(
                Transfer(
                    attention_id=a2.id,
                    sequence=seq,
                    from_campaign_id=frm,
                    to_campaign_id=to,
                    from_agent_id=f_agent,
                    to_agent_id=t_agent,
                    by_id=f_agent,
                    created_at=t2 + timedelta(seconds=at),
                )
            )
        s.add(
            FormSubmission(
                attention_id=a2.id,
                segment=3,
                campaign_id=cobranzas,
                form_id=await _form_id(w, cobranzas),
                values={"monto": 150, "acuerdo": False},
                submitted_at=t2 + timedelta(seconds=890),
            )
        )

        # A3, 10 s after midnight in Lima (the next day there, the same UTC day as A2):
        # queued in Soporte, never assigned.
        a3 = attention(caro, soporte, lima(30, 0, 0, 10) + timedelta(days=1))
        # A4, a second before the day began in Lima (30 November in UTC): closed unassigned.
        t4 = lima(29, 23, 59, 59)
        a4 = attention(dani, ventas, t4, state="closed", closed_at=t4 + timedelta(seconds=30))
        await s.flush()
        return Scenario(a1.id, a2.id, a3.id, a4.id, ventas, soporte, cobranzas)


async def _form_id(w: Work, campaign_id: int) -> int:
    form = await current_form(w, campaign_id)
    assert form is not None
    return form.id


def _q(**kw: Any) -> dict[str, Any]:
    return {"date_from": DAY, "date_to": DAY, "tz": LIMA, **kw}


async def test_the_report_gives_the_known_answers(world: World) -> None:
    sc = await build(world)
    sup = await world.login("supervisor")

    r = await sup.get("/api/reports/attentions", params=_q(limit=1))
    assert r.status_code == 200, r.text
    first = r.json()
    # Newest first; the one just before Lima's midnight belongs to Lima's day.
    assert first["total"] == 2
    assert [i["id"] for i in first["items"]] == [sc.a2]
    a2 = first["items"][0]
    assert a2["customer"] == "@beto_pe"
    assert (a2["phone"], a2["username"]) == ("+51922222222", "beto_pe")
    assert a2["campaigns"] == ["Ventas", "Soporte", "Cobranzas"]
    assert a2["agents"] == ["Sofía Torres", "Diego Morales", "Sofía Torres", "Diego Morales"]
    assert (a2["wait_seconds"], a2["first_response_seconds"], a2["handle_seconds"]) == (
        60,
        300,
        690,
    )
    assert (a2["transfers"], a2["reassignments"]) == (2, 1)
    assert a2["started_at"].startswith("2026-12-01T04:59:30")
    assert a2["record"] is None

    r = await sup.get("/api/reports/attentions", params=_q(limit=1, cursor=first["next_cursor"]))
    second = r.json()
    assert second["total"] is None and second["next_cursor"] is None
    (a1,) = second["items"]
    assert a1["id"] == sc.a1
    assert a1["customer"] == "Ana Ríos"
    assert (a1["wait_seconds"], a1["first_response_seconds"], a1["handle_seconds"]) == (
        30,
        120,
        540,
    )
    assert a1["agents"] == ["Sofía Torres"] and a1["campaigns"] == ["Ventas"]
    assert a1["record"] == "Clientes · 4455 · Ana Ríos"
    assert a1["first_reply_at"].startswith("2026-11-30T15:02:00")

    # Every campaign's form: one column per campaign and field, named by both.
    labels = {c["key"]: c["label"] for c in first["form_columns"]}
    assert labels[f"{sc.ventas}.motivo"] == "Ventas · Motivo de contacto"
    assert labels[f"{sc.cobranzas}.monto"] == "Cobranzas · Monto"
    assert a1["form"][f"{sc.ventas}.motivo"] == "Compra"
    assert a1["form"][f"{sc.ventas}.promociones"] == "Sí"
    assert a1["form"][f"{sc.cobranzas}.monto"] is None
    assert a2["form"][f"{sc.cobranzas}.monto"] == "150"
    assert a2["form"][f"{sc.cobranzas}.acuerdo"] == "No"

    # In UTC the day is another: A1 and A4, not A2.
    r = await sup.get("/api/reports/attentions", params=_q(tz="UTC"))
    assert [i["id"] for i in r.json()["items"]] == [sc.a1, sc.a4]
    # The next Lima day has A3 only.
    r = await sup.get("/api/reports/attentions", params={"date_from": "2026-12-01", "tz": LIMA})
    assert sc.a3 in [i["id"] for i in r.json()["items"]]
    assert sc.a2 not in [i["id"] for i in r.json()["items"]]


FILTER_CASES: list[tuple[dict[str, str], list[str]]] = [
    ({"campaign_id": "cobranzas"}, ["a2"]),  # where it ended
    ({"campaign_id": "soporte"}, ["a2"]),  # a campaign it passed through
    ({"campaign_id": "ventas"}, ["a2", "a1"]),
    ({"agent_id": "agente2"}, ["a2"]),
    ({"agent_id": "agente1"}, ["a2", "a1"]),
    ({"condition": "transferred"}, ["a2"]),
    ({"condition": "reassigned"}, ["a2"]),
    ({"condition": "parked"}, []),
    ({"state": "closed"}, ["a2", "a1"]),
    ({"state": "queued"}, []),
    ({"customer": "ANA"}, ["a1"]),
    ({"customer": "9222"}, ["a2"]),
    ({"customer": "beto"}, ["a2"]),
    # Words as *Buscar atenciones* reads them (full-text, accents and case ignored, each word
    # a prefix, every word in one message, a phrase in quotes).
    ({"words": "factura octubre"}, ["a1"]),
    ({"words": "FACTÚRA"}, ["a1"]),
    ({"words": "proxima"}, ["a2"]),
    ({"words": "cuota"}, ["a2"]),
    ({"words": "factur"}, ["a1"]),
    ({"words": "factura cuotas"}, []),
    ({"words": "pagar ayudo"}, []),
    ({"words": '"necesito mi factura"'}, ["a1"]),
    ({"words": '"factura necesito"'}, []),
    ({"words": "zzzqx"}, []),
    ({"words": "100%"}, []),
    ({"customer": "rios"}, ["a1"]),
    ({"customer": "@beto"}, ["a2"]),
]


async def test_each_filter(world: World) -> None:
    sc = await build(world)
    ids = {"a1": sc.a1, "a2": sc.a2, "ventas": sc.ventas, "soporte": sc.soporte}
    ids["cobranzas"] = sc.cobranzas
    ids["agente1"] = world.users["agente1"].id
    ids["agente2"] = world.users["agente2"].id
    sup = await world.login("supervisor")
    for filters, expected in FILTER_CASES:
        params = {k: ids.get(v, v) for k, v in filters.items()}
        r = await sup.get("/api/reports/attentions", params=_q(**params))
        assert r.status_code == 200, r.text
        got = [i["id"] for i in r.json()["items"]]
        assert got == [ids[e] for e in expected], filters
        # With words the total comes with the page's ids (one reading of the words), without
        # them from a count of its own: the same number either way.
        assert r.json()["total"] == len(expected), filters


async def test_one_campaign_names_its_fields_alone(world: World) -> None:
    sc = await build(world)
    sup = await world.login("supervisor")
    r = await sup.get("/api/reports/attentions", params=_q(campaign_id=sc.cobranzas))
    assert [c["label"] for c in r.json()["form_columns"]] == ["Monto", "Acuerdo de pago"]


BAD_FILTERS: list[tuple[dict[str, Any], str]] = [
    ({"tz": "Nowhere/Land"}, "bad_time_zone"),
    ({"date_from": "2026-12-02", "date_to": "2026-12-01"}, "bad_date_range"),
    ({"cursor": "garbage"}, "bad_cursor"),
    ({"condition": "lost"}, "invalid_request"),
    ({"limit": 0}, "invalid_request"),
    ({"words": "a b c d e f g h i"}, "too_many_words"),
    ({"words": " ¿? "}, "search_words_empty"),
    ({"surprise": "1"}, "invalid_request"),
]


async def test_bad_filters_are_refused(world: World) -> None:
    sup = await world.login("supervisor")
    for params, code in BAD_FILTERS:
        r = await sup.get("/api/reports/attentions", params=params)
        assert (r.status_code, r.json()["code"]) == (422, code), params


async def _export(world: World, fmt: str, lang: str = "es") -> tuple[dict[str, Any], bytes]:
    sup = await world.login("supervisor")
    r = await sup.post(
        "/api/reports/attentions/exports",
        json={"format": fmt, "lang": lang, "filters": _q()},
    )
    assert r.status_code == 202, r.text
    job = r.json()
    # The job runs beside the request; wait for it as the page does.
    await _settle(world)
    status = (await sup.get(f"/api/exports/{job['id']}")).json()
    got = await sup.get(f"/api/exports/{job['id']}/file")
    assert got.status_code == 200
    return status, got.content


async def _settle(world: World) -> None:
    while world.rt.background:
        await asyncio.wait(set(world.rt.background))


async def test_both_exports_read_back_with_the_page_values(world: World) -> None:
    sc = await build(world)
    status, content = await _export(world, "csv")
    assert (status["state"], status["rows_done"], status["rows_total"]) == ("done", 2, 2)
    assert status["filename"] == "reporte-atenciones.csv"
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))
    by_id = {int(r["ID"]): r for r in rows}
    assert list(by_id) == [sc.a2, sc.a1]
    a2, a1 = by_id[sc.a2], by_id[sc.a1]
    # Times on the supervisor's clock.
    assert a2["Inicio"] == "2026-11-30 23:59:30"
    assert a2["Fin"] == "2026-12-01 00:14:30"
    assert a2["Campañas"] == "Ventas → Soporte → Cobranzas"
    assert a2["Agentes"] == "Sofía Torres → Diego Morales → Sofía Torres → Diego Morales"
    assert (a2["Espera (s)"], a2["Primera respuesta (s)"], a2["Tiempo de gestión (s)"]) == (
        "60",
        "300",
        "690",
    )
    assert (a2["Transferencias"], a2["Reasignaciones"], a2["Estado"]) == ("2", "1", "Terminada")
    assert a2["Cobranzas · Monto"] == "150"
    assert a1["Primera respuesta del agente"] == "2026-11-30 10:02:00"
    assert a1["Registro de la base"] == "Clientes · 4455 · Ana Ríos"
    assert a1["Ventas · Acepta recibir promociones"] == "Sí"
    assert a1["Teléfono"] == "+51911111111"

    status, content = await _export(world, "xlsx", "en")
    assert status["filename"] == "attentions-report.xlsx"
    book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    sheet = book.active
    assert sheet is not None
    values = [list(r) for r in sheet.iter_rows(values_only=True)]
    header = values[0]
    assert header[:4] == ["ID", "Customer", "Phone", "Username"]
    # A read-only sheet leaves out a row's trailing empty cells.
    row = dict(zip(header, values[1] + [None] * (len(header) - len(values[1])), strict=True))
    assert row["ID"] == sc.a2
    assert row["Started"] == datetime(2026, 11, 30, 23, 59, 30)
    assert (row["Wait (s)"], row["First response (s)"], row["Handle time (s)"]) == (60, 300, 690)
    assert row["State"] == "Closed"
    assert row["Cobranzas · Acuerdo de pago"] == "No"
    assert row["Campaigns"] == "Ventas → Soporte → Cobranzas"


async def test_an_export_is_started_by_staff_only_and_checks_its_filters(world: World) -> None:
    agent = await world.login("agente1")
    body = {"format": "csv", "filters": {}}
    assert (await agent.post("/api/reports/attentions/exports", json=body)).status_code == 403
    assert (await agent.get("/api/reports/attentions")).status_code == 403
    sup = await world.login("supervisor")
    bad = {"format": "csv", "filters": {"tz": "Nowhere/Land"}}
    r = await sup.post("/api/reports/attentions/exports", json=bad)
    assert (r.status_code, r.json()["code"]) == (422, "bad_time_zone")
    assert exports.MAX_RUNNING >= 1


async def _export_transfers(world: World, fmt: str, filters: dict[str, Any]) -> bytes:
    sup = await world.login("supervisor")
    r = await sup.post("/api/reports/transfers/exports", json={"format": fmt, "filters": filters})
    assert r.status_code == 202, r.text
    await _settle(world)
    status = (await sup.get(f"/api/exports/{r.json()['id']}")).json()
    assert status["state"] == "done", status
    got = await sup.get(f"/api/exports/{r.json()['id']}/file")
    assert got.status_code == 200
    return got.content


async def test_the_transfers_export_counts_the_supervisors_days(world: World) -> None:
    sc = await build(world)
    # A2's transfers were at 00:06 and 00:07:40 on 1 December in Lima.
    lima_day = {"date_from": "2026-12-01", "date_to": "2026-12-01", "tz": LIMA}
    rows = list(
        csv.reader(
            io.StringIO((await _export_transfers(world, "csv", lima_day)).decode("utf-8-sig"))
        )
    )
    assert rows[0] == [
        "ID",
        "Cliente",
        "Teléfono",
        "Estado",
        "Campaña actual",
        "Transferencias",
        "Primera transferencia",
        "Última transferencia",
        "Recorrido",
    ]
    assert rows[1:] == [
        [
            str(sc.a2),
            "@beto_pe",
            "+51922222222",
            "Terminada",
            "Cobranzas",
            "2",
            "2026-12-01 00:06:00",
            "2026-12-01 00:07:40",
            "Ventas → Soporte → Cobranzas",
        ]
    ]
    book = openpyxl.load_workbook(
        io.BytesIO(await _export_transfers(world, "xlsx", lima_day)), read_only=True
    )
    sheet = book.active
    assert sheet is not None
    values = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert values[1] == [
        sc.a2,
        "@beto_pe",
        "+51922222222",
        "Terminada",
        "Cobranzas",
        2,
        datetime(2026, 12, 1, 0, 6),
        datetime(2026, 12, 1, 0, 7, 40),
        "Ventas → Soporte → Cobranzas",
    ]
    # The day before in Lima has none, and so has 30 November in UTC.
    for day in (
        {**lima_day, "date_from": "2026-11-30", "date_to": "2026-11-30"},
        {"date_from": "2026-11-30", "date_to": "2026-11-30", "tz": "UTC"},
    ):
        content = await _export_transfers(world, "csv", day)
        assert len(list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))) == 1
    # The page counts the same days.
    sup = await world.login("supervisor")
    page = await sup.get("/api/reports/transfers", params=lima_day)
    assert [i["attention"]["id"] for i in page.json()["items"]] == [sc.a2]
