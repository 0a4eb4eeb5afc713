"""Reports in the browser: a customer writes, the supervisor finds the attention in *Reporte
de atenciones*, opens it read-only from its row, and downloads both exports, which read
back (CSV parsed, XLSX opened with openpyxl) with what the page shows."""

import csv
import io
import time
from pathlib import Path

import httpx
import openpyxl
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import Demo
from tests.e2e.lifecycle_helpers import campaign, customer_says, phone_page, supervisor_api
from tests.e2e.test_bases import supervisor_page


def download(page: Page, scope: str, fmt: str, shots: Path) -> bytes:
    export = page.get_by_test_id(scope)
    export.get_by_test_id(f"{scope}-{fmt}").click()
    link = export.get_by_test_id(f"{scope}-download")
    expect(link).to_be_visible(timeout=30_000)
    with page.expect_download() as info:
        link.click()
    target = shots / info.value.suggested_filename
    info.value.save_as(target)
    export.get_by_test_id(f"{scope}-dismiss").click()
    return target.read_bytes()


def test_the_attentions_report_drills_down_and_exports(
    browser: Browser, demo_servers: Demo, shots: Path
) -> None:
    lucia = phone_page(browser, demo_servers, "lucia")
    customer_says(lucia, "Necesito la factura de noviembre")

    page = supervisor_page(browser, demo_servers)
    page.get_by_test_id("sup-tab-attentionsReport").click()
    view = page.get_by_test_id("report-attentions")
    view.get_by_test_id("report-words").fill("factura")
    view.get_by_test_id("report-search").click()
    rows = view.get_by_test_id("attention-report-row")
    expect(rows).to_have_count(1)
    attention_id = rows.first.get_attribute("data-attention-id")
    assert attention_id is not None
    customer = rows.first.locator("td").nth(1).locator("strong").inner_text()
    page.screenshot(path=str(shots / "attentions-report.png"))

    rows.first.click()
    dialog = page.get_by_test_id("sup-attention-dialog")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("Necesito la factura de noviembre")
    page.keyboard.press("Escape")
    expect(dialog).to_have_count(0)

    table = list(
        csv.reader(
            io.StringIO(download(page, "attentions-export", "csv", shots).decode("utf-8-sig"))
        )
    )
    assert table[0][:3] == ["ID", "Cliente", "Teléfono"]
    assert [r[0] for r in table[1:]] == [attention_id]
    assert table[1][1] == customer
    assert table[1][4] == "Encolada"

    book = openpyxl.load_workbook(io.BytesIO(download(page, "attentions-export", "xlsx", shots)))
    sheet = book.active
    assert sheet is not None
    values = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert values[0][:2] == ["ID", "Cliente"]
    assert len(values) == 2
    assert (values[1][0], values[1][1]) == (int(attention_id), customer)


def test_the_transfers_report_drills_down_and_exports(
    browser: Browser, demo_servers: Demo, shots: Path
) -> None:
    lucia = phone_page(browser, demo_servers, "lucia")
    customer_says(lucia, "Quiero hablar con soporte")
    api = supervisor_api(demo_servers)
    soporte = campaign(api, "Soporte")["id"]
    attention_id = _waiting_attention(api)
    moved = api.post(
        f"/api/attentions/{attention_id}/move", json={"campaign_id": soporte, "reason": "turno"}
    )
    assert moved.status_code == 200, moved.text

    page = supervisor_page(browser, demo_servers)
    page.get_by_test_id("sup-tab-transfers").click()
    view = page.get_by_test_id("report-transfers")
    rows = view.get_by_test_id("transfer-report-row")
    expect(rows).to_have_count(1)
    # The shared filter bar: the attention's own state and words narrow the transfers.
    view.get_by_test_id("report-state").select_option("closed")
    view.get_by_test_id("report-search").click()
    expect(view.get_by_test_id("report-empty")).to_be_visible()
    view.get_by_test_id("report-state").select_option("")
    view.get_by_test_id("report-words").fill("soporte")
    view.get_by_test_id("report-search").click()
    expect(rows).to_have_count(1)
    expect(view.get_by_test_id("report-total")).to_contain_text("1")
    page.screenshot(path=str(shots / "transfers-report.png"))
    rows.first.click()
    view.get_by_test_id("transfer-open-attention").click()
    dialog = page.get_by_test_id("sup-attention-dialog")
    expect(dialog).to_contain_text("Quiero hablar con soporte")
    page.keyboard.press("Escape")
    expect(dialog).to_have_count(0)

    text = download(page, "transfers-export", "csv", shots).decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(text)))
    assert table[0][0] == "ID" and table[0][-1] == "Recorrido"
    assert [r[0] for r in table[1:]] == [str(attention_id)]
    assert table[1][4] == "Soporte"
    assert table[1][-1] == "Ventas → Soporte"
    book = openpyxl.load_workbook(io.BytesIO(download(page, "transfers-export", "xlsx", shots)))
    sheet = book.active
    assert sheet is not None
    values = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert len(values) == 2
    assert (values[1][0], values[1][4], values[1][-1]) == (
        attention_id,
        "Soporte",
        "Ventas → Soporte",
    )


def _waiting_attention(api: httpx.Client) -> int:
    """The one attention the customer's message opened, once the server has it."""
    for _ in range(100):
        found = api.get("/api/reports/attentions").json()["items"]
        if found:
            return int(found[0]["id"])
        time.sleep(0.2)
    raise AssertionError("the customer's attention never arrived")
