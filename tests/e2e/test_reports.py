"""Reports in the browser: a customer writes, the supervisor finds the attention in *Reporte
de atenciones*, opens it read-only from its row, and downloads both exports, which read
back (CSV parsed, XLSX opened with openpyxl) with what the page shows."""

import csv
import io
from pathlib import Path

import openpyxl
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import Demo
from tests.e2e.lifecycle_helpers import customer_says, phone_page
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
