"""Customer bases through the API, on SQLite and PostgreSQL: an import with its report, the
refusals that import nothing, re-imports by key, and Coincidencia (matches, search, link)."""

import asyncio
import io
from datetime import timedelta
from typing import Any

import httpx
from openpyxl import Workbook
from sqlalchemy import func, select

from atiende.db.models import BaseImport, BaseImportRow, BaseRecord, Campaign
from tests.integration.conftest import CUSTOMERS, World

HEADER = "documento,nombre,telefono,plan\n"


def csv_file(*lines: str, header: str = HEADER) -> bytes:
    return (header + "".join(f"{line}\n" for line in lines)).encode()


def xlsx_file(rows: list[list[Any]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


async def campaign_id(world: World, name: str = "Ventas") -> int:
    async with world.rt.work() as w:
        found = await w.session.scalar(select(Campaign.id).where(Campaign.name == name))
    assert found is not None
    return found


async def upload(
    client: httpx.AsyncClient, campaign: int, data: bytes, name: str = "clientes.csv"
) -> httpx.Response:
    return await client.post(
        f"/api/campaigns/{campaign}/base-imports", files={"file": (name, data, "text/csv")}
    )


async def finished(client: httpx.AsyncClient, import_id: int) -> dict[str, Any]:
    for _ in range(400):
        state = (await client.get(f"/api/base-imports/{import_id}")).json()
        if state["state"] in ("done", "failed"):
            return state  # type: ignore[no-any-return]
        await asyncio.sleep(0.025)
    raise AssertionError(f"import {import_id} did not end: {state}")


async def import_base(
    client: httpx.AsyncClient, campaign: int, data: bytes, **start: Any
) -> dict[str, Any]:
    uploaded = await upload(client, campaign, data, start.pop("filename", "clientes.csv"))
    assert uploaded.status_code == 201, uploaded.text
    mapping = {"key_column": "documento", "phone_column": "telefono", "name_column": "nombre"}
    started = await client.post(
        f"/api/base-imports/{uploaded.json()['id']}/start", json=mapping | start
    )
    assert started.status_code == 202, started.text
    return await finished(client, uploaded.json()["id"])


async def records(world: World) -> dict[str, dict[str, Any]]:
    async with world.rt.work() as w:
        rows = await w.session.scalars(select(BaseRecord))
        return {r.key: {"phone": r.phone, "name": r.name, "fields": r.fields} for r in rows}


async def test_an_import_maps_normalizes_and_reports_each_bad_row(world: World) -> None:
    sup = await world.login("supervisor")
    ventas = await campaign_id(world)
    uploaded = await upload(
        sup, ventas, csv_file("1,Ana,987654321,oro", "2,Beto,+51 987 000 111,plata")
    )
    assert uploaded.status_code == 201, uploaded.text
    body = uploaded.json()
    assert body["state"] == "uploaded" and body["format"] == "csv"
    assert body["columns"] == ["documento", "nombre", "telefono", "plan"]
    assert body["preview"][0] == ["1", "Ana", "987654321", "oro"]
    assert body["suggestion"] == {"key": "documento", "phone": "telefono", "name": "nombre"}

    done = await import_base(
        sup,
        ventas,
        csv_file(
            "1,Ana,987654321,oro",
            "2,Beto,+51 987 000 111,plata",
            '3,Caro,51987222333,=HYPERLINK("http://x")',
            ",Sin clave,987654000,",
            "1,Ana otra vez,987654321,",
            "5,Mal número,12,",
            "6,Sin teléfono,,bronce",
        ),
        base_name="Clientes",
    )
    assert done["state"] == "done", done
    assert (done["rows_read"], done["added"], done["error_count"]) == (7, 4, 3)
    assert [(e["row"], e["column"], e["reason"]) for e in done["errors"]] == [
        (5, "documento", "key_missing"),
        (6, "documento", "key_duplicate"),
        (7, "telefono", "phone_invalid"),
    ]
    stored = await records(world)
    assert stored["1"]["phone"] == "+51987654321"
    assert stored["2"]["phone"] == "+51987000111"
    assert stored["3"]["phone"] == "+51987222333"
    # A formula is text: stored as written, never computed.
    assert stored["3"]["fields"]["plan"] == '=HYPERLINK("http://x")'
    assert stored["6"]["phone"] is None and stored["6"]["name"] == "Sin teléfono"

    report = await sup.get(f"/api/base-imports/{done['id']}/errors")
    assert report.status_code == 200
    assert report.headers["content-type"].startswith("text/csv")
    lines = report.text.splitlines()
    assert lines[0] == "fila,columna,motivo,valor"
    assert lines[3] == "7,telefono,No es un teléfono válido.,12"
    bases = (await sup.get(f"/api/campaigns/{ventas}/bases")).json()
    assert [(b["name"], b["record_count"], b["key_column"]) for b in bases] == [
        ("Clientes", 4, "documento")
    ]


async def test_an_xlsx_is_read_by_content_and_keeps_formulas_as_text(world: World) -> None:
    sup = await world.login("supervisor")
    ventas = await campaign_id(world)
    data = xlsx_file(
        [
            ["documento", "nombre", "telefono", "saldo"],
            [10, "Dora", 987111222, "=1+1"],
            [11, "Eli", "+51 987 333 444", 12.5],
        ]
    )
    done = await import_base(sup, ventas, data, filename="base.xlsx")
    assert done["state"] == "done" and done["format"] == "xlsx", done
    stored = await records(world)
    assert stored["10"]["phone"] == "+51987111222"
    assert stored["10"]["fields"]["saldo"] == "=1+1"
    assert stored["11"]["fields"]["saldo"] == "12.5"


async def test_refused_files_import_nothing_and_say_why(world: World) -> None:
    sup = await world.login("supervisor")
    ventas = await campaign_id(world)
    png = b"\x89PNG\r\n\x1a\n" + bytes(200)
    cases = [
        (png, "clientes.csv", "base_file_type"),
        (b"", "clientes.csv", "base_file_empty"),
        (csv_file("1,a,987654321,x"), "clientes.xlsx", "base_file_disguised"),
        (xlsx_file([["a"], ["1"]]), "clientes.csv", "base_file_disguised"),
        (b"PK\x03\x04 not really a zip", "clientes.xlsx", "base_file_unreadable"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100), "viejo.xls", "base_file_type"),
        (b"a,b,a\n1,2,3\n", "dup.csv", "base_header_duplicate"),
    ]
    for data, name, code in cases:
        refused = await upload(sup, ventas, data, name)
        assert refused.status_code == 422, (name, refused.text)
        assert refused.json()["code"] == code, (name, refused.text)
    # A mapping that names no column of the file is refused before anything runs.
    uploaded = (await upload(sup, ventas, csv_file("1,a,987654321,x"))).json()
    wrong = await sup.post(
        f"/api/base-imports/{uploaded['id']}/start",
        json={"key_column": "dni", "phone_column": "telefono"},
    )
    assert wrong.status_code == 422 and wrong.json()["code"] == "base_column_unknown"
    assert await records(world) == {}
    # Refused files are not kept; the one waiting for a right mapping is.
    assert len(list(world.rt.settings.base_files_dir.iterdir())) == 1


async def test_a_file_too_large_is_refused_with_413_before_it_is_read(world: World) -> None:
    sup = await world.login("supervisor")
    ventas = await campaign_id(world)
    big = b"x" * (41 * 1024 * 1024)
    refused = await upload(sup, ventas, big)
    assert refused.status_code == 413
    assert refused.json()["code"] == "body_too_large"


async def test_a_file_broken_midway_leaves_the_base_as_it_was(world: World) -> None:
    sup = await world.login("supervisor")
    ventas = await campaign_id(world)
    first = await import_base(sup, ventas, csv_file("1,Ana,987654321,oro"), base_name="B")
    before = await records(world)
    # A quoted field never closed past csv's field limit: the reader fails at the end.
    broken = csv_file(*[f"{i},N{i},9876{i:05d},x" for i in range(2, 5000)]) + (
        b'9999,"' + b"y" * 200_000 + b"\n"
    )
    failed = await import_base(sup, ventas, broken, base_id=first["base_id"], mode="replace")
    assert failed["state"] == "failed", failed
    assert failed["failure_code"] == "base_file_unreadable"
    assert await records(world) == before
    async with world.rt.work() as w:
        assert await w.session.scalar(select(func.count()).select_from(BaseImportRow)) == 0


async def test_reimport_updates_or_replaces_by_key(world: World) -> None:
    sup = await world.login("supervisor")
    ventas = await campaign_id(world)
    first = await import_base(
        sup, ventas, csv_file("1,Ana,987654321,oro", "2,Beto,987000111,plata"), base_name="B"
    )
    base = first["base_id"]
    updated = await import_base(
        sup, ventas, csv_file("2,Beto B,987000222,oro", "3,Caro,987222333,x"), base_id=base
    )
    assert (updated["added"], updated["updated"], updated["removed"]) == (1, 1, 0)
    stored = await records(world)
    assert set(stored) == {"1", "2", "3"}
    assert stored["2"] == {
        "phone": "+51987000222",
        "name": "Beto B",
        "fields": {"documento": "2", "nombre": "Beto B", "telefono": "987000222", "plan": "oro"},
    }
    replaced = await import_base(
        sup, ventas, csv_file("3,Caro C,987222333,y"), base_id=base, mode="replace"
    )
    assert (replaced["added"], replaced["updated"], replaced["removed"]) == (0, 1, 2)
    assert set(await records(world)) == {"3"}
    bases = (await sup.get(f"/api/campaigns/{ventas}/bases")).json()
    assert bases[0]["record_count"] == 1


async def _lucia_attention(world: World) -> tuple[httpx.AsyncClient, int]:
    await world.online("agente1")
    agent = await world.login("agente1")
    await world.customer_writes(CUSTOMERS["lucia"], "Hola")
    assigned = (await agent.get("/api/agent/attentions")).json()["assigned"]
    attention = next(a for a in assigned if a["customer"]["phone"] == "51987654321")
    opened = await agent.post(f"/api/attentions/{attention['id']}/open")
    assert opened.status_code == 200, opened.text
    return agent, attention["id"]


async def test_coincidencia_matches_every_way_of_writing_the_number(world: World) -> None:
    sup = await world.login("supervisor")
    ventas = await campaign_id(world)
    await import_base(
        sup,
        ventas,
        csv_file(
            "1,Lucía F,987654321,oro",
            "2,Lucía (trabajo),+51 987 654 321,plata",
            "3,Lucía (otra),51987654321,bronce",
            "4,Otro,987000111,x",
        ),
        base_name="Clientes",
    )
    agent, attention = await _lucia_attention(world)
    found = (await agent.get(f"/api/attentions/{attention}/matches")).json()
    assert found["phone"] == "+51987654321"
    assert sorted(r["key"] for r in found["records"]) == ["1", "2", "3"]
    assert found["linked"] is None

    chosen = found["records"][0]
    linked = await agent.put(f"/api/attentions/{attention}/match", json={"record_id": chosen["id"]})
    assert linked.status_code == 200, linked.text
    shape = linked.json()["base_record"]
    assert (shape["key"], shape["base_name"], shape["record_id"]) == ("1", "Clientes", chosen["id"])
    again = (await agent.get(f"/api/attentions/{attention}")).json()
    assert again["base_record"]["name"] == "Lucía F"
    assert again["version"] == linked.json()["version"]

    # A re-import that drops the record keeps what the link said.
    await import_base(
        sup,
        ventas,
        csv_file("4,Otro,987000111,x"),
        base_id=found["records"][0]["base_id"],
        mode="replace",
    )
    kept = (await agent.get(f"/api/attentions/{attention}")).json()["base_record"]
    assert kept["record_id"] is None and kept["key"] == "1" and kept["name"] == "Lucía F"

    unlinked = await agent.delete(f"/api/attentions/{attention}/match")
    assert unlinked.status_code == 200 and unlinked.json()["base_record"] is None


async def test_search_by_any_column_is_the_way_for_a_customer_without_a_phone(
    world: World,
) -> None:
    sup = await world.login("supervisor")
    ventas = await campaign_id(world)
    soporte = await campaign_id(world, "Soporte")
    await import_base(
        sup,
        ventas,
        csv_file("A-77,Ana Ruiz,,ana.ruiz", "B-1,José Núñez,987000111,oro"),
        base_name="Clientes",
    )
    await import_base(sup, soporte, csv_file("S-1,Ana Ruiz Soporte,,x"), base_name="Soporte")
    await world.online("agente1")
    agent = await world.login("agente1")
    await world.customer_writes(CUSTOMERS["ana"], "Hola")
    assigned = (await agent.get("/api/agent/attentions")).json()["assigned"]
    attention = assigned[0]["id"]
    assert assigned[0]["customer"]["phone"] is None
    await agent.post(f"/api/attentions/{attention}/open")
    matches = (await agent.get(f"/api/attentions/{attention}/matches")).json()
    assert matches["phone"] is None and matches["records"] == []

    async def search(q: str) -> list[str]:
        r = await agent.get(f"/api/attentions/{attention}/base-records", params={"q": q})
        assert r.status_code == 200, r.text
        return [x["key"] for x in r.json()]

    # Only the bases of the attention's campaign: Soporte's record is not offered.
    assert await search("ana ruiz") == ["A-77"]
    assert await search("ANA.RUIZ") == ["A-77"]
    assert await search("jose nunez") == ["B-1"]
    assert await search("+51 987 000 111") == ["B-1"]
    assert await search("a-77") == ["A-77"]
    assert await search("%") == []
    assert await search("") == []
    record = (
        await agent.get(f"/api/attentions/{attention}/base-records", params={"q": "A-77"})
    ).json()[0]
    linked = await agent.put(f"/api/attentions/{attention}/match", json={"record_id": record["id"]})
    assert linked.json()["base_record"]["key"] == "A-77"


async def test_an_agent_reaches_only_the_bases_of_what_he_holds(world: World) -> None:
    sup = await world.login("supervisor")
    soporte = await campaign_id(world, "Soporte")
    await import_base(sup, soporte, csv_file("S-1,Lucía,987654321,x"), base_name="Soporte")
    agent, attention = await _lucia_attention(world)
    async with world.rt.work() as w:
        other = await w.session.scalar(select(BaseRecord.id))
    # Soporte's record cannot be linked to a Ventas attention.
    refused = await agent.put(f"/api/attentions/{attention}/match", json={"record_id": other})
    assert refused.status_code == 404 and refused.json()["code"] == "base_record_not_found"
    assert (await agent.get(f"/api/attentions/{attention}/matches")).json()["records"] == []
    other_agent = await world.login("agente2")
    assert (await other_agent.get(f"/api/attentions/{attention}/matches")).status_code == 404
    # Agents do not import.
    assert (await upload(agent, soporte, csv_file("1,a,987654321,x"))).status_code == 403
    assert (await agent.get(f"/api/campaigns/{soporte}/bases")).status_code == 403


async def test_the_campaign_region_reads_numbers_without_a_country_code(world: World) -> None:
    sup = await world.login("supervisor")
    ventas = await campaign_id(world)
    patched = await sup.patch(f"/api/campaigns/{ventas}", json={"default_region": "MX"})
    assert patched.status_code == 200 and patched.json()["default_region"] == "MX"
    await import_base(sup, ventas, csv_file("1,María,55 1234 5678,x"), base_name="MX")
    assert (await records(world))["1"]["phone"] == "+525512345678"
    refused = await sup.patch(f"/api/campaigns/{ventas}", json={"default_region": "XX"})
    assert refused.status_code == 422 and refused.json()["code"] == "region_unknown"


async def test_an_upload_never_started_is_dropped_a_day_later(world: World) -> None:
    sup = await world.login("supervisor")
    ventas = await campaign_id(world)
    first = (await upload(sup, ventas, csv_file("1,Ana,987654321,x"))).json()
    folder = world.rt.settings.base_files_dir
    assert len(list(folder.iterdir())) == 1
    async with world.rt.work() as w:
        job = await w.session.get(BaseImport, first["id"])
        assert job is not None
        job.created_at = job.created_at - timedelta(days=2)
    await upload(sup, ventas, csv_file("2,Beto,987000111,x"))
    dropped = (await sup.get(f"/api/base-imports/{first['id']}")).json()
    assert (dropped["state"], dropped["failure_code"]) == ("failed", "base_import_abandoned")
    assert len(list(folder.iterdir())) == 1
