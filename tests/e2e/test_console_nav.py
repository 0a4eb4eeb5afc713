"""The console's navigation: every view reached from its entry, at 1280 and 1024 px with
nothing scrolling sideways; by keyboard; named in the address (a reload stays there); and on a
phone, from a menu."""

from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, ViewportSize, expect

from tests.e2e.conftest import Demo

ENTRIES = '[data-testid="sup-nav"] [data-testid^="sup-tab-"]'


def console(browser: Browser, demo: Demo, viewport: ViewportSize, user: str = "admin") -> Page:
    page = browser.new_context(viewport=viewport).new_page()
    page.goto(f"{demo.app}/")
    page.get_by_test_id("login-username").fill(user)
    page.get_by_test_id("login-password").fill(user)
    page.get_by_test_id("login-submit").click()
    expect(page.get_by_test_id("sup-dashboard")).to_be_visible()
    return page


def no_sideways_scroll(page: Page, where: str) -> None:
    scroll, client = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert scroll <= client, f"{where}: the page is {scroll} px wide in {client} px"


def view_name(entry: str) -> str:
    return entry.removeprefix("sup-tab-")


@pytest.mark.parametrize(("width", "height"), [(1280, 800), (1024, 768)])
def test_every_view_from_its_entry_without_sideways_scroll(
    browser: Browser, demo_servers: Demo, shots: Path, width: int, height: int
) -> None:
    page = console(browser, demo_servers, {"width": width, "height": height})
    nav = page.get_by_role("navigation", name="Secciones de la consola")
    expect(nav).to_be_visible()
    entries = page.locator(ENTRIES)
    names = [entries.nth(i).get_attribute("data-testid") or "" for i in range(entries.count())]
    assert len(names) == 16, names
    for entry in names:
        link = page.get_by_test_id(entry)
        link.click()
        expect(link).to_have_attribute("aria-current", "page")
        expect(page.get_by_test_id(f"sup-panel-{view_name(entry)}")).to_be_visible()
        assert page.evaluate("location.hash") == link.get_attribute("href")
        expect(nav.locator('[aria-current="page"]')).to_have_count(1)
        page.wait_for_load_state("networkidle")
        no_sideways_scroll(page, f"{entry} at {width} px")
    page.get_by_test_id("sup-tab-users").click()
    page.screenshot(path=str(shots / f"console-{width}.png"))


def test_a_supervisor_sees_no_admin_views_and_the_address_keeps_the_view(
    browser: Browser, demo_servers: Demo
) -> None:
    page = console(browser, demo_servers, {"width": 1280, "height": 800}, "supervisor")
    expect(page.get_by_test_id("sup-nav-section-reports")).to_contain_text("Reportes")
    expect(page.get_by_test_id("sup-tab-audit")).to_be_visible()
    expect(page.get_by_test_id("sup-tab-users")).to_have_count(0)
    expect(page.get_by_test_id("sup-tab-channels")).to_have_count(0)

    page.get_by_test_id("sup-tab-transfers").click()
    expect(page).to_have_url(f"{demo_servers.app}/#/reports/transfers")
    page.reload()
    expect(page.get_by_test_id("sup-tab-transfers")).to_have_attribute("aria-current", "page")
    expect(page.get_by_test_id("sup-panel-transfers")).to_be_visible()
    # Back shows the view before; an admin's address shows a supervisor the dashboard.
    page.go_back()
    expect(page.get_by_test_id("sup-tab-dashboard")).to_have_attribute("aria-current", "page")
    page.goto(f"{demo_servers.app}/#/settings/users")
    page.reload()
    expect(page.get_by_test_id("sup-panel-dashboard")).to_be_visible()
    expect(page).to_have_url(f"{demo_servers.app}/#/live/dashboard")


def test_the_nav_by_keyboard(browser: Browser, demo_servers: Demo) -> None:
    page = console(browser, demo_servers, {"width": 1280, "height": 800})
    # After the topbar's controls, Tab reaches the nav's first entry, its focus ring shown.
    page.get_by_test_id("logout").focus()
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.dataset.testid")
    assert focused == "sup-tab-dashboard", focused
    assert page.evaluate("document.activeElement.matches(':focus-visible')")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    for _ in range(10):
        if page.evaluate("document.activeElement.dataset.testid") == "sup-tab-summary":
            break
        page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("sup-tab-summary")).to_have_attribute("aria-current", "page")
    expect(page.get_by_test_id("sup-panel-summary")).to_be_visible()


def test_on_a_phone_the_nav_is_a_menu(browser: Browser, demo_servers: Demo, shots: Path) -> None:
    page = console(browser, demo_servers, {"width": 390, "height": 844})
    nav, toggle = page.get_by_test_id("sup-nav"), page.get_by_test_id("sup-nav-toggle")
    expect(nav).to_be_hidden()
    no_sideways_scroll(page, "a phone")
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(nav).to_be_visible()
    page.screenshot(path=str(shots / "menu-390.png"))
    page.get_by_test_id("sup-tab-agentStates").click()
    expect(nav).to_be_hidden()
    expect(page.get_by_test_id("sup-panel-agentStates")).to_be_visible()
    no_sideways_scroll(page, "a report on a phone")
    # Escape closes it and gives the focus back to its button.
    toggle.click()
    expect(nav).to_be_visible()
    page.keyboard.press("Escape")
    expect(nav).to_be_hidden()
    expect(toggle).to_be_focused()
