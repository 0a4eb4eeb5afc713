"""An admin manages WhatsApp numbers in the browser: creates one (a bad display number is
refused under its field), tests it against the emulator (a token Meta does not know), tests
the demo channel (all well), then replaces its token with a wrong one and sees what is
wrong; *Auditoría* shows the replacement masked."""

from pathlib import Path

from playwright.sync_api import Browser, expect

from tests.e2e.axe import assert_accessible
from tests.e2e.conftest import Demo

WRONG_TOKEN = "EAAG-not-the-one"


def test_admin_creates_a_channel_and_tests_it_against_the_emulator(
    browser: Browser, demo_servers: Demo, shots: Path
) -> None:
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.goto(f"{demo_servers.app}/")
    page.get_by_test_id("login-username").fill("admin")
    page.get_by_test_id("login-password").fill("admin")
    page.get_by_test_id("login-submit").click()
    page.get_by_test_id("sup-tab-channels").click()
    view = page.get_by_test_id("sup-channels")
    expect(view.get_by_test_id("channel-row")).to_have_count(1)

    # A new number; the display number without its country code is refused by name.
    view.get_by_test_id("channel-name").fill("Soporte Perú")
    view.get_by_test_id("channel-phone_number_id").fill("106540352242922")
    view.get_by_test_id("channel-display_phone_number").fill("12")
    view.get_by_test_id("channel-waba_id").fill("102290129340398")
    view.get_by_test_id("channel-access_token").fill("EAAG-typed-by-hand")
    view.get_by_test_id("channel-app_secret").fill("app-secret-1")
    view.get_by_test_id("channel-verify_token").fill("verify-1")
    view.locator("details.advanced summary").click()
    view.get_by_test_id("channel-graph_base_url").fill(demo_servers.phone)
    view.get_by_test_id("channel-save").click()
    expect(view.get_by_test_id("channel-display_phone_number-error")).to_contain_text(
        "código de país"
    )
    view.get_by_test_id("channel-display_phone_number").fill("+51 987 654 321")
    view.get_by_test_id("channel-save").click()
    created = view.locator('[data-testid="channel-row"][data-phone-number-id="106540352242922"]')
    expect(created).to_contain_text("+51987654321")
    # Saved and selected: its secrets show as set, never their values.
    expect(view.get_by_test_id("channel-access_token-state")).to_have_text("configurado")
    expect(view.get_by_test_id("channel-access_token")).to_have_value("")
    assert_accessible(page, "supervisor view channels")

    # The emulator does not know that token: said in plain words.
    view.get_by_test_id("channel-test").click()
    result = view.get_by_test_id("channel-test-result")
    expect(result).to_have_attribute("data-ok", "false")
    expect(result).to_contain_text("El token de acceso no es válido o expiró")

    # The demo channel answers well.
    view.locator('[data-testid="channel-row"][data-phone-number-id="100200300400500"]').click()
    expect(view.get_by_test_id("channel-test-result")).to_have_count(0)
    view.get_by_test_id("channel-test").click()
    expect(result).to_have_attribute("data-ok", "true")
    expect(result).to_contain_text("«atiende demo», calidad alta")
    page.screenshot(path=str(shots / "channel-ok.png"))

    # Its token replaced by a wrong one: the next test says so, at once.
    view.get_by_test_id("channel-access_token").fill(WRONG_TOKEN)
    view.get_by_test_id("channel-save").click()
    expect(page.get_by_test_id("sup-toast")).to_contain_text("Cambios guardados")
    expect(view.get_by_test_id("channel-access_token")).to_have_value("")
    view.get_by_test_id("channel-test").click()
    expect(result).to_have_attribute("data-ok", "false")
    expect(result).to_contain_text("El token de acceso no es válido o expiró")
    page.screenshot(path=str(shots / "channel-wrong-token.png"))

    page.get_by_test_id("sup-tab-audit").click()
    audit = page.get_by_test_id("sup-audit")
    audit.get_by_test_id("audit-entity").select_option("channel")
    audit.get_by_test_id("audit-apply").click()
    updated = audit.locator('[data-testid="audit-row"][data-action="updated"]')
    expect(updated).to_contain_text("access_token: •••••• → ••••••")
    expect(audit).not_to_contain_text(WRONG_TOKEN)
