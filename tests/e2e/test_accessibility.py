"""WCAG 2.1 AA, checked by axe-core in Chromium, on every screen an agent or a supervisor
works in all day: the login, the panel empty and with a chat open, each of the agent's
tools, and each of the console's views with its navigation. A new screen belongs here."""

from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.axe import assert_accessible
from tests.e2e.conftest import Demo
from tests.e2e.lifecycle_helpers import assigned, customer_says, login, opened, phone_page

# The tools and views are found on the page, so a new one is audited without touching this.
AGENT_TOOLS = '[role="tablist"] [data-testid^="tab-"]'
CONSOLE_VIEWS = '[data-testid="sup-nav"] [data-testid^="sup-tab-"]'


def page_of(browser: Browser) -> Page:
    return browser.new_context(viewport={"width": 1280, "height": 800}).new_page()


@pytest.mark.parametrize("lang", ["es", "en"])
def test_the_login_page(browser: Browser, demo_servers: Demo, lang: str) -> None:
    page = page_of(browser)
    page.goto(f"{demo_servers.app}/")
    expect(page.get_by_test_id("login-username")).to_be_visible()
    if lang == "en":
        page.get_by_test_id("lang-switch").select_option("en")
    assert_accessible(page, f"login ({lang})")
    # With an error shown, too.
    page.get_by_test_id("login-username").fill("agente1")
    page.get_by_test_id("login-password").fill("wrong")
    page.get_by_test_id("login-submit").click()
    expect(page.get_by_role("alert")).to_be_visible()
    assert_accessible(page, f"login with an error ({lang})")


def test_the_agent_panel_a_chat_and_every_tool(
    browser: Browser, demo_servers: Demo, shots: Path
) -> None:
    agent = page_of(browser)
    login(agent, demo_servers.app, "agente1")
    assert_accessible(agent, "empty panel")

    customer_says(phone_page(browser, demo_servers, "maria"), "Hola, quiero información")
    expect(assigned(agent)).to_have_count(1, timeout=10_000)
    assert_accessible(agent, "panel with an assigned attention")
    assigned(agent).first.click()
    expect(opened(agent)).to_have_count(1)
    box = agent.get_by_test_id("composer-input")
    box.fill("Con gusto, ¿qué necesita?")
    box.press("Enter")
    expect(agent.get_by_test_id("chat-messages").get_by_test_id("message")).to_have_count(2)
    assert_accessible(agent, "open chat")
    tools = agent.locator(AGENT_TOOLS)
    assert tools.count() >= 4, "Formulario, Contacto, Coincidencia, Historial"
    for i in range(tools.count()):
        tool = tools.nth(i)
        name = tool.get_attribute("data-testid")
        tool.click()
        agent.wait_for_load_state("networkidle")
        assert_accessible(agent, f"tool {name}")
    agent.screenshot(path=str(shots / "panel.png"))


def test_every_console_view_and_its_navigation(browser: Browser, demo_servers: Demo) -> None:
    # The admin's console: the supervisor's views and the admin's own.
    page = page_of(browser)
    page.goto(f"{demo_servers.app}/")
    page.get_by_test_id("login-username").fill("admin")
    page.get_by_test_id("login-password").fill("admin")
    page.get_by_test_id("login-submit").click()
    expect(page.get_by_test_id("supervisor-app")).to_be_visible()
    views = page.locator(CONSOLE_VIEWS)
    assert views.count() >= 16
    for i in range(views.count()):
        view = views.nth(i)
        name = view.get_attribute("data-testid")
        view.click()
        page.wait_for_load_state("networkidle")
        assert_accessible(page, f"console view {name}")
    # The navigation as a menu on a phone, open.
    page.set_viewport_size({"width": 390, "height": 844})
    page.get_by_test_id("sup-nav-toggle").click()
    expect(page.get_by_test_id("sup-nav")).to_be_visible()
    assert_accessible(page, "console menu on a phone")
