"""An admin creates an agent in the browser, with a membership in Ventas; the agent logs in
with the password the admin set and receives a customer's message; *Auditoría* shows the
creation, its password masked."""

from pathlib import Path

from playwright.sync_api import Browser, Page, expect

from tests.e2e.axe import assert_accessible
from tests.e2e.conftest import Demo
from tests.e2e.lifecycle_helpers import assigned, customer_says, phone_page

PASSWORD = "clave-de-lucia-1"


def _log_in(page: Page, base: str, username: str, password: str) -> None:
    page.goto(f"{base}/")
    page.get_by_test_id("login-username").fill(username)
    page.get_by_test_id("login-password").fill(password)
    page.get_by_test_id("login-submit").click()


def test_admin_creates_an_agent_who_then_works(
    browser: Browser, demo_servers: Demo, shots: Path
) -> None:
    admin = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
    _log_in(admin, demo_servers.app, "admin", "admin")
    expect(admin.get_by_test_id("supervisor-app")).to_be_visible()
    admin.get_by_test_id("sup-tab-users").click()
    users = admin.get_by_test_id("sup-users")
    expect(users.get_by_test_id("user-row")).to_have_count(4)
    assert_accessible(admin, "supervisor view users")

    # A taken username is refused under its field; nothing else is lost.
    admin.get_by_test_id("user-username").fill("agente1")
    admin.get_by_test_id("user-name").fill("Lucía Ramos")
    admin.get_by_test_id("user-password-input").fill(PASSWORD)
    admin.get_by_test_id("user-new-member-Ventas").check()
    admin.get_by_test_id("user-new-capacity-Ventas").fill("2")
    admin.get_by_test_id("user-create-submit").click()
    expect(admin.get_by_test_id("user-username-error")).to_have_text("Ese usuario ya existe.")
    expect(admin.get_by_test_id("user-name")).to_have_value("Lucía Ramos")

    admin.get_by_test_id("user-username").fill("lucia.r")
    admin.get_by_test_id("user-create-submit").click()
    row = users.locator('[data-testid="user-row"][data-username="lucia.r"]')
    expect(row).to_be_visible()
    expect(row.get_by_test_id("user-campaigns")).to_have_text("Ventas (2)")
    admin.screenshot(path=str(shots / "users.png"))

    # The new agent logs in with the admin's password and gets the customer's message.
    agent = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
    _log_in(agent, demo_servers.app, "lucia.r", PASSWORD)
    expect(agent.get_by_test_id("agent-name")).to_have_text("Lucía Ramos")
    expect(agent.get_by_test_id("reconnecting")).to_have_count(0)
    phone = phone_page(browser, demo_servers, "maria")
    customer_says(phone, "Hola, ¿me ayudan?")
    expect(assigned(agent)).to_have_count(1, timeout=10_000)
    expect(assigned(agent).first).to_contain_text("María González")

    # Auditoría: the creation and the membership, by the admin, the password masked.
    admin.get_by_test_id("sup-tab-audit").click()
    audit = admin.get_by_test_id("sup-audit")
    created = audit.locator('[data-testid="audit-row"][data-action="created"]')
    expect(created).to_have_count(1)
    expect(created).to_contain_text("Administración")
    expect(created).to_contain_text("Lucía Ramos")
    expect(created).to_contain_text("username: ∅ → lucia.r")
    expect(created).to_contain_text("password: ∅ → ••••••")
    expect(created).not_to_contain_text(PASSWORD)
    members = audit.locator('[data-testid="audit-row"][data-action="members"]')
    expect(members.first).to_contain_text("capacity.lucia.r: ∅ → 2")
    audit.get_by_test_id("audit-entity").select_option("campaign")
    audit.get_by_test_id("audit-apply").click()
    expect(audit.locator('[data-testid="audit-row"][data-action="created"]')).to_have_count(0)
    assert_accessible(admin, "supervisor view audit")
    admin.screenshot(path=str(shots / "audit.png"))
