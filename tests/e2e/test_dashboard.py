"""The supervisor's dashboard changes live, without reloading: a customer writes (the
emulator's phone) and the campaign's queue goes up; an agent takes it and opens it."""

from pathlib import Path

from playwright.sync_api import Browser, Page, expect

from tests.e2e.axe import assert_accessible
from tests.e2e.conftest import Demo
from tests.e2e.lifecycle_helpers import agent_page, assigned, customer_says, phone_page


def _supervisor(browser: Browser, demo: Demo) -> Page:
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.goto(f"{demo.app}/")
    page.get_by_test_id("login-username").fill("supervisor")
    page.get_by_test_id("login-password").fill("supervisor")
    page.get_by_test_id("login-submit").click()
    expect(page.get_by_test_id("sup-dashboard")).to_be_visible()
    return page


def test_the_dashboard_follows_a_customer_and_an_agent(
    browser: Browser, demo_servers: Demo, shots: Path
) -> None:
    sup = _supervisor(browser, demo_servers)
    expect(sup.get_by_test_id("sup-tab-dashboard")).to_have_attribute("aria-current", "page")
    ventas = sup.get_by_test_id("dash-campaign").filter(has_text="Ventas")
    expect(ventas.get_by_test_id("dash-queued")).to_have_text("0")
    # A page that reloaded would lose this.
    sup.evaluate("window.__stayed = true")

    phone = phone_page(browser, demo_servers, "maria")
    customer_says(phone, "Hola, quiero información")
    expect(ventas.get_by_test_id("dash-queued")).to_have_text("1")
    expect(ventas.get_by_test_id("dash-longest")).not_to_have_text("—")

    agent = agent_page(browser, demo_servers, "agente1")
    expect(assigned(agent)).to_have_count(1)
    expect(ventas.get_by_test_id("dash-queued")).to_have_text("0")
    expect(ventas.get_by_test_id("dash-assigned")).to_have_text("1")
    row = sup.get_by_test_id("dash-agent").filter(has_text="Sofía Torres")
    expect(row).to_have_attribute("data-status", "available")
    expect(row.get_by_test_id("dash-load")).to_have_text("1 / 4")

    assigned(agent).first.click()
    expect(ventas.get_by_test_id("dash-open")).to_have_text("1")
    expect(ventas.get_by_test_id("dash-assigned")).to_have_text("0")
    assert sup.evaluate("window.__stayed === true")
    assert_accessible(sup, "supervisor dashboard")
    sup.screenshot(path=str(shots / "dashboard.png"))


def test_the_dashboard_follows_what_an_admin_changes_in_another_browser(
    browser: Browser, demo_servers: Demo
) -> None:
    sup = _supervisor(browser, demo_servers)
    sofia = sup.get_by_test_id("dash-agent").filter(has_text="Sofía Torres")
    # Her own limit (4) under her campaigns' sum (3 + 3).
    expect(sofia.get_by_test_id("dash-load")).to_have_text("0 / 4")
    expect(sup.get_by_test_id("dash-agent").filter(has_text="Diego Morales")).to_have_count(1)
    sup.evaluate("window.__stayed = true")

    admin = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    admin.goto(f"{demo_servers.app}/")
    admin.get_by_test_id("login-username").fill("admin")
    admin.get_by_test_id("login-password").fill("admin")
    admin.get_by_test_id("login-submit").click()
    admin.get_by_test_id("sup-tab-users").click()
    users = admin.get_by_test_id("sup-users")
    row = users.locator('[data-testid="user-row"][data-username="agente1"]')
    row.click()
    admin.get_by_test_id("user-edit-capacity-Ventas").fill("1")
    admin.get_by_test_id("user-save-memberships").click()
    # Saved (the form is laid again from what the server says before the next change).
    expect(row.get_by_test_id("user-campaigns")).to_contain_text("Ventas (1)")
    expect(sofia.get_by_test_id("dash-load")).to_have_text("0 / 4")
    admin.get_by_test_id("user-edit-member-Soporte").uncheck()
    admin.get_by_test_id("user-save-memberships").click()
    # Ventas alone now: 1.
    expect(sofia.get_by_test_id("dash-load")).to_have_text("0 / 1")

    # Deactivated, he leaves the board; reactivated, he is back (the board reloads for him).
    diego_row = users.locator('[data-testid="user-row"][data-username="agente2"]')
    diego_row.click()
    admin.get_by_test_id("user-toggle-active").click()
    admin.get_by_test_id("user-deactivate-confirm").click()
    expect(diego_row).to_have_attribute("data-active", "false")
    diego = sup.get_by_test_id("dash-agent").filter(has_text="Diego Morales")
    expect(diego).to_have_count(0)
    admin.get_by_test_id("user-toggle-active").click()
    expect(diego).to_have_count(1)
    expect(diego.get_by_test_id("dash-load")).to_have_text("0 / 4")
    assert sup.evaluate("window.__stayed === true")
