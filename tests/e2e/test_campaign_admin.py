"""Running the center from the supervisor console, on one server: pause reasons edited by the
supervisor are the agent's pause menu."""

from pathlib import Path

from playwright.sync_api import Browser, Page, expect

from tests.e2e.axe import assert_accessible
from tests.e2e.conftest import Demo
from tests.e2e.lifecycle_helpers import agent_page


def _supervisor(browser: Browser, demo: Demo) -> Page:
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.goto(f"{demo.app}/")
    page.get_by_test_id("login-username").fill("supervisor")
    page.get_by_test_id("login-password").fill("supervisor")
    page.get_by_test_id("login-submit").click()
    expect(page.get_by_test_id("supervisor-app")).to_be_visible()
    return page


def _edit_pause_reasons(sup: Page) -> None:
    sup.get_by_test_id("sup-tab-agents").click()
    editor = sup.get_by_test_id("pause-reasons")
    names = editor.get_by_test_id("pause-reason-name")
    expect(names).to_have_count(6)
    expect(names.nth(5)).to_have_value("Otro")
    names.nth(5).fill("Trámite")
    editor.get_by_test_id("pause-reason-active").nth(0).uncheck()  # Almuerzo
    editor.get_by_test_id("pause-reason-add").click()
    names.nth(6).fill("baño ")
    editor.get_by_test_id("pause-reasons-save").click()
    expect(editor.get_by_test_id("pause-reason-error")).to_have_text(
        "Ese nombre ya está en la lista."
    )
    names.nth(6).fill("Café")
    editor.get_by_test_id("pause-reasons-save").click()
    expect(sup.get_by_test_id("sup-toast")).to_contain_text("Motivos de pausa guardados.")
    assert_accessible(sup, "supervisor agents and pause reasons")


def _agent_sees_pause_reasons(agent: Page) -> None:
    agent.get_by_test_id("agent-status").select_option("paused")
    options = agent.get_by_test_id("pause-reason").locator("option")
    expect(options.filter(has_text="Café")).to_have_count(1)
    expect(options.filter(has_text="Trámite")).to_have_count(1)
    expect(options.filter(has_text="Almuerzo")).to_have_count(0)
    expect(options.filter(has_text="Otro")).to_have_count(0)
    agent.get_by_test_id("pause-reason").select_option("Café")
    agent.get_by_test_id("pause-confirm").click()
    expect(agent.get_by_test_id("pause-reason-shown")).to_have_text("Café")


def test_the_supervisor_runs_the_center(browser: Browser, demo_servers: Demo, shots: Path) -> None:
    sup = _supervisor(browser, demo_servers)
    agent = agent_page(browser, demo_servers, "agente1")
    _edit_pause_reasons(sup)
    _agent_sees_pause_reasons(agent)
    sup.screenshot(path=str(shots / "pause-reasons.png"))
