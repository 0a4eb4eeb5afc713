"""The customer's tools in the browser: Historial and the earlier conversations of a
returning customer; adding a contact from the chat header and editing it, with the custom
field a supervisor defined. Screenshots of each tool are kept as artifacts."""

from pathlib import Path

from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import Demo
from tests.e2e.lifecycle_helpers import (
    agent_page,
    assigned,
    customer_says,
    fill_ventas_form,
    opened,
    phone_page,
)


def take_and_open(agent: Page) -> None:
    expect(assigned(agent)).to_have_count(1, timeout=10_000)
    assigned(agent).first.click()
    expect(opened(agent)).to_have_count(1)


def end_it(agent: Page) -> None:
    fill_ventas_form(agent)
    agent.get_by_test_id("end-attention").click()
    agent.get_by_test_id("confirm-end").click()
    expect(opened(agent)).to_have_count(0)


def test_historial_and_earlier_conversations_of_a_returning_customer(
    browser: Browser, demo_servers: Demo, shots: Path
) -> None:
    sofia = agent_page(browser, demo_servers, "agente1")
    phone = phone_page(browser, demo_servers, "maria")
    customer_says(phone, "Quiero comprar un teléfono")
    take_and_open(sofia)
    first_id = sofia.get_by_test_id("chat-header").get_attribute("data-attention-id")
    end_it(sofia)

    customer_says(phone, "Hola de nuevo, sobre mi compra")
    take_and_open(sofia)
    chat = sofia.get_by_test_id("chat-messages")
    expect(chat).to_contain_text("Hola de nuevo")

    # Above the first message: the previous conversation, under its own header.
    sofia.get_by_test_id("earlier-load").click()
    block = sofia.get_by_test_id("earlier-block")
    expect(block).to_have_count(1)
    expect(block.get_by_test_id("earlier-header")).to_contain_text(f"#{first_id}")
    expect(block.get_by_test_id("earlier-header")).to_contain_text("Ventas · Sofía Torres")
    expect(block).to_contain_text("Quiero comprar un teléfono")
    # It was his only one: nothing older to load.
    expect(sofia.get_by_test_id("earlier-none")).to_be_visible()
    expect(sofia.get_by_test_id("earlier-load")).to_have_count(0)
    sofia.screenshot(path=str(shots / "earlier-conversation.png"))

    # Historial: the earlier attention with its path and form, and this one's timeline.
    sofia.get_by_test_id("tab-history").click()
    items = sofia.get_by_test_id("history-item")
    expect(items).to_have_count(1)
    expect(items.first).to_contain_text(f"#{first_id}")
    expect(items.first).to_contain_text("Terminada por Sofía Torres")
    expect(items.first.get_by_test_id("history-path")).to_have_text("Ventas · Sofía Torres")
    expect(items.first).to_contain_text("Motivo de contacto: Consulta")
    sofia.get_by_test_id("history-timeline-toggle").click()
    expect(sofia.get_by_test_id("timeline-event").first).to_be_visible()
    sofia.screenshot(path=str(shots / "historial.png"))

    items.first.click()
    dialog = sofia.get_by_test_id("history-dialog")
    expect(dialog.get_by_test_id("history-conversation")).to_contain_text(
        "Quiero comprar un teléfono"
    )
    segment = dialog.get_by_test_id("history-segment-form")
    expect(segment).to_have_count(1)
    expect(segment).to_contain_text("Documento de identidad")
    expect(segment).to_contain_text("12345678")
    sofia.screenshot(path=str(shots / "historial-attention.png"))
    dialog.get_by_test_id("history-dialog-close").click()
    expect(dialog).to_have_count(0)


def test_adding_and_editing_a_contact(browser: Browser, demo_servers: Demo, shots: Path) -> None:
    # The supervisor adds a field every contact has.
    boss = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
    login_supervisor(boss, demo_servers)
    boss.get_by_test_id("sup-tab-contacts").click()
    boss.get_by_test_id("contact-fields-add").click()
    boss.get_by_test_id("contact-field-label").fill("Número de cliente")
    # Its key is suggested from the label when the label loses the focus.
    boss.get_by_test_id("contact-field-key").click()
    expect(boss.get_by_test_id("contact-field-key")).to_have_value("numero_de_cliente")
    boss.get_by_test_id("contact-fields-save").click()
    expect(boss.get_by_test_id("sup-toast")).to_contain_text("guardados")
    boss.screenshot(path=str(shots / "contact-fields.png"))

    sofia = agent_page(browser, demo_servers, "agente1")
    phone = phone_page(browser, demo_servers, "juan")
    customer_says(phone, "Buenas tardes")
    take_and_open(sofia)
    expect(sofia.get_by_test_id("chat-messages")).to_contain_text("Buenas tardes")
    # His first attention: nothing earlier to offer.
    expect(sofia.get_by_test_id("earlier-load")).to_have_count(0)

    # *Agregar a contactos* in the header opens the Contacto tab's editor.
    sofia.get_by_test_id("add-contact").click()
    expect(sofia.get_by_test_id("tab-contact")).to_have_attribute("aria-selected", "true")
    expect(sofia.get_by_test_id("contact-name")).to_have_value("Juan Pérez")
    sofia.get_by_test_id("contact-name").fill("Juan Pérez Gómez")
    # A local number is read in the customer's own country (Colombia).
    sofia.get_by_test_id("contact-phones").fill("300 765 4321")
    sofia.get_by_test_id("contact-email").fill("juan@")
    sofia.get_by_test_id("contact-custom-numero_de_cliente").fill("C-778")
    sofia.get_by_test_id("contact-save").click()
    expect(sofia.get_by_test_id("contact-error-email")).to_have_text("Correo electrónico inválido.")
    sofia.screenshot(path=str(shots / "contact-refused.png"))
    sofia.get_by_test_id("contact-email").fill("juan@example.com")
    sofia.get_by_test_id("contact-save").click()

    card = sofia.get_by_test_id("contact-card")
    expect(card.get_by_test_id("contact-card-phones")).to_have_text("+573007654321")
    expect(card.get_by_test_id("contact-card-custom-numero_de_cliente")).to_have_text("C-778")
    # The header and the list name him by the contact now; the offer is gone.
    header = sofia.get_by_test_id("chat-header")
    expect(header).to_contain_text("Juan Pérez Gómez")
    expect(sofia.get_by_test_id("add-contact")).to_have_count(0)
    expect(opened(sofia).first).to_contain_text("Juan Pérez Gómez")

    sofia.get_by_test_id("contact-edit").click()
    sofia.get_by_test_id("contact-notes").fill("Prefiere que le escriban por la tarde")
    sofia.get_by_test_id("contact-save").click()
    expect(card).to_contain_text("Prefiere que le escriban")
    changes = sofia.get_by_test_id("contact-changes")
    changes.locator("summary").click()
    entries = changes.get_by_test_id("contact-change")
    expect(entries).to_have_count(2)
    expect(entries.first).to_contain_text("Editado por Sofía Torres")
    expect(entries.first).to_contain_text("Prefiere que le escriban")
    expect(entries.last).to_contain_text("Creado por Sofía Torres")
    sofia.screenshot(path=str(shots / "contacto.png"))


def login_supervisor(page: Page, demo: Demo) -> None:
    page.goto(f"{demo.app}/")
    page.get_by_test_id("login-username").fill("supervisor")
    page.get_by_test_id("login-password").fill("supervisor")
    page.get_by_test_id("login-submit").click()
    expect(page.get_by_test_id("supervisor-app")).to_be_visible()
