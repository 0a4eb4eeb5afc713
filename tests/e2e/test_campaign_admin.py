"""Running the center from the supervisor console, on one server: the supervisor creates a
campaign, makes an agent its member and the demo's number enter it; a customer writes and
the agent works the attention there. The supervisor then builds its form (each key derived
from its label) and the agent fills it in *Formulario*. Pause reasons edited by the supervisor
are the agent's pause menu."""

from pathlib import Path

from playwright.sync_api import Browser, Page, expect

from tests.e2e.axe import assert_accessible
from tests.e2e.conftest import Demo
from tests.e2e.lifecycle_helpers import agent_page, assigned, customer_says, opened, phone_page


def _supervisor(browser: Browser, demo: Demo) -> Page:
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.goto(f"{demo.app}/")
    page.get_by_test_id("login-username").fill("supervisor")
    page.get_by_test_id("login-password").fill("supervisor")
    page.get_by_test_id("login-submit").click()
    expect(page.get_by_test_id("supervisor-app")).to_be_visible()
    return page


def _create_campaign(sup: Page, agent_id: str) -> None:
    sup.get_by_test_id("sup-tab-campaigns").click()
    view = sup.get_by_test_id("sup-campaigns")
    view.get_by_test_id("campaign-new-name").fill(" ventas ")
    view.get_by_test_id("campaign-create").click()
    expect(view.get_by_test_id("campaign-new-error")).to_have_text(
        "Ya hay una campaña con ese nombre."
    )
    view.get_by_test_id("campaign-new-name").fill("Cobranzas")
    view.get_by_test_id("campaign-create").click()
    card = view.get_by_test_id("campaign-admin")
    expect(card.get_by_test_id("campaign-name")).to_have_value("Cobranzas")
    members = view.get_by_test_id("campaign-members")
    row = members.locator(f'[data-testid="member-row"][data-user-id="{agent_id}"]')
    row.get_by_test_id("member-check").check()
    members.get_by_test_id("campaign-members-save").click()
    expect(sup.get_by_test_id("sup-toast")).to_be_visible()
    card.locator('[data-testid^="campaign-entry-"]').first.check()
    card.get_by_test_id("campaign-channels-save").click()
    expect(card.get_by_test_id("campaign-channels-save")).to_be_disabled()
    expect(card.locator('[data-testid^="campaign-entry-"]').first).to_be_disabled()
    assert_accessible(sup, "supervisor campaign editor")


def _refuse_archiving(sup: Page) -> None:
    """Cobranzas is entered by the number (and holds the attention): refused, naming it."""
    card = sup.get_by_test_id("campaign-admin")
    card.get_by_test_id("campaign-archive").click()
    expect(card.get_by_test_id("campaign-archive-error")).to_contain_text("WhatsApp demo")
    expect(card.get_by_test_id("campaign-archived-badge")).to_have_count(0)


def _build_form(sup: Page) -> None:
    sup.get_by_test_id("sup-tab-form").click()
    builder = sup.get_by_test_id("form-builder")
    builder.get_by_test_id("form-campaign").select_option(label="Cobranzas")
    expect(builder.get_by_test_id("form-version")).to_have_attribute("data-version", "")
    for label in ("Número de contrato", "Número de contrato"):
        builder.get_by_test_id("form-add-field").click()
        builder.get_by_test_id("form-field-label").last.fill(label)
    keys = builder.get_by_test_id("form-field-key")
    expect(keys.nth(0)).to_have_value("numero_de_contrato")
    expect(keys.nth(1)).to_have_value("numero_de_contrato_2")
    # A key typed stops following its label.
    keys.nth(1).fill("monto")
    builder.get_by_test_id("form-field-label").nth(1).fill("Monto a pagar (S/)")
    expect(keys.nth(1)).to_have_value("monto")
    builder.get_by_test_id("form-field-required").nth(0).check()
    builder.get_by_test_id("form-save").click()
    expect(builder.get_by_test_id("form-version")).to_have_attribute("data-version", "1")


def _agent_fills_the_form(agent: Page) -> None:
    agent.reload()  # the panel reads the form when it shows the attention
    opened(agent).first.click()
    agent.get_by_test_id("tab-form").click()
    field = agent.get_by_test_id("form-field-numero_de_contrato")
    expect(field).to_be_visible()
    expect(agent.get_by_test_id("form-field-monto")).to_be_visible()
    field.fill("C-2026-001")
    agent.get_by_test_id("end-attention").click()
    agent.get_by_test_id("confirm-end").click()
    expect(opened(agent)).to_have_count(0)


def _edit_pause_reasons(sup: Page) -> None:
    sup.get_by_test_id("sup-tab-pauseReasons").click()
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
    assert_accessible(sup, "supervisor pause reasons")


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
    agent_id = agent.evaluate(
        "fetch('/api/auth/me').then(r => r.json()).then(s => String(s.user.id))"
    )
    _create_campaign(sup, agent_id)
    sup.screenshot(path=str(shots / "campaign-created.png"))

    phone = phone_page(browser, demo_servers, "maria")
    customer_says(phone, "Hola, quiero pagar mi deuda")
    expect(assigned(agent)).to_have_count(1, timeout=10_000)
    expect(assigned(agent).first).to_contain_text("Cobranzas")
    assigned(agent).first.click()
    expect(opened(agent)).to_have_count(1)
    agent.get_by_test_id("composer-input").fill("Con gusto le ayudo")
    agent.get_by_test_id("composer-input").press("Enter")
    expect(phone.get_by_test_id("phone-messages")).to_contain_text("Con gusto le ayudo")
    _refuse_archiving(sup)
    _build_form(sup)
    _agent_fills_the_form(agent)

    _edit_pause_reasons(sup)
    _agent_sees_pause_reasons(agent)
    sup.screenshot(path=str(shots / "pause-reasons.png"))
