"""The summary reports in the browser: a customer writes and an agent logs in; *Resumen*
shows today's row of the campaign it came in by and *Estados de agentes* the agent's day and
his timeline; both exports download and read back (CSV parsed, XLSX opened with openpyxl)
with what the page shows."""

import csv
import io
from pathlib import Path

import openpyxl
from playwright.sync_api import Browser, expect

from tests.e2e.axe import assert_accessible
from tests.e2e.conftest import Demo
from tests.e2e.lifecycle_helpers import customer_says, phone_page
from tests.e2e.test_bases import supervisor_page
from tests.e2e.test_reports import download


def _xlsx(content: bytes) -> list[list[object]]:
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    assert sheet is not None
    return [list(r) for r in sheet.iter_rows(values_only=True)]


def test_summary_and_agent_states_show_and_export(
    browser: Browser, demo_servers: Demo, shots: Path
) -> None:
    agent = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
    agent.goto(f"{demo_servers.app}/")
    agent.get_by_test_id("login-username").fill("agente1")
    agent.get_by_test_id("login-password").fill("agente1")
    agent.get_by_test_id("login-submit").click()
    expect(agent.get_by_test_id("agent-name")).to_be_visible()
    customer_says(phone_page(browser, demo_servers, "maria"), "Hola, quiero un resumen")

    page = supervisor_page(browser, demo_servers)
    page.get_by_test_id("sup-tab-summary").click()
    view = page.get_by_test_id("report-summary")
    rows = view.get_by_test_id("summary-row")
    expect(rows.first).to_be_visible()
    shown = [
        (
            r.get_attribute("data-day"),
            r.get_attribute("data-campaign"),
            r.get_by_test_id("summary-received").inner_text(),
        )
        for r in rows.all()
    ]
    assert any(int(n) >= 1 for _, _, n in shown)
    assert_accessible(page, "supervisor view summary")
    page.screenshot(path=str(shots / "summary-report.png"))

    table = list(
        csv.reader(io.StringIO(download(page, "summary-export", "csv", shots).decode("utf-8-sig")))
    )
    assert table[0][:3] == ["Día", "Campaña", "Recibidas"]
    assert [(r[0], r[1], r[2]) for r in table[1:]] == shown
    sheet = _xlsx(download(page, "summary-export", "xlsx", shots))
    assert [(r[0], r[1], str(r[2])) for r in sheet[1:]] == shown

    page.get_by_test_id("sup-tab-agentStates").click()
    states = page.get_by_test_id("report-agent-states")
    agent_rows = states.get_by_test_id("agent-states-row")
    expect(agent_rows.first).to_be_visible()
    # Every shared filter is there, and the page says which columns they narrow.
    expect(states.get_by_test_id("report-words")).to_be_visible()
    expect(states.get_by_test_id("agent-states-filters-hint")).to_be_visible()
    count = agent_rows.count()
    states.get_by_test_id("agent-timeline-open").first.click()
    timeline = states.get_by_test_id("agent-timeline")
    expect(timeline).to_be_visible()
    expect(timeline.get_by_test_id("timeline-span").first).to_be_visible()
    assert_accessible(page, "supervisor view agent states")
    page.screenshot(path=str(shots / "agent-states.png"))

    table = list(
        csv.reader(
            io.StringIO(download(page, "agent-states-export", "csv", shots).decode("utf-8-sig"))
        )
    )
    assert table[0][:3] == ["Agente", "Día", "Conectado (s)"]
    assert len(table) == 1 + count
    sheet = _xlsx(download(page, "agent-states-export", "xlsx", shots))
    assert len(sheet) == 1 + count
    assert [r[0] for r in sheet[1:]] == [r[0] for r in table[1:]]
