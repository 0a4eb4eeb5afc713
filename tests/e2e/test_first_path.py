"""Steps 2–7 of the first path, through the real pages: the customer writes on the phone,
the agent sees it blink without reloading, opens it, replies, sees the ticks, ends it."""

import re
from pathlib import Path

from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import Demo


def login(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/")
    page.get_by_test_id("login-username").fill(username)
    page.get_by_test_id("login-password").fill(username)
    page.get_by_test_id("login-submit").click()
    expect(page.get_by_test_id("agent-name")).to_be_visible()


def customer_says(phone: Page, text: str) -> None:
    phone.get_by_test_id("phone-input").fill(text)
    phone.get_by_test_id("phone-input").press("Enter")


def test_message_to_agent_and_reply_to_customer(
    browser: Browser, demo_servers: Demo, shots: Path
) -> None:
    agent = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
    phone = browser.new_context(viewport={"width": 1100, "height": 760}).new_page()
    login(agent, demo_servers.app, "agente1")
    expect(agent.get_by_test_id("reconnecting")).to_have_count(0)

    # 2–3: the customer writes; the signed webhook creates an attention routed to the agent.
    phone.goto(f"{demo_servers.phone}/")
    phone.get_by_test_id("customer-maria").click()
    customer_says(phone, "Hola")

    # 4: it appears without reloading, blinking, with name and campaign.
    assigned = agent.get_by_test_id("list-assigned").get_by_test_id("attention-item")
    expect(assigned).to_have_count(1, timeout=10_000)
    expect(assigned.first).to_have_class(re.compile(r"\bblink\b"))
    expect(assigned.first).to_contain_text("María González")
    expect(assigned.first).to_contain_text("Ventas")
    agent.screenshot(path=str(shots / "1-assigned.png"))

    # Opening moves it to Abiertas and shows the chat.
    assigned.first.click()
    opened = agent.get_by_test_id("list-open").get_by_test_id("attention-item")
    expect(opened).to_have_count(1)
    expect(assigned).to_have_count(0)
    expect(agent.get_by_test_id("chat-header")).to_contain_text("María González")
    expect(agent.get_by_test_id("chat-countdown")).to_have_attribute("title", re.compile(r"\d+"))
    incoming = agent.get_by_test_id("chat-messages").locator(
        '[data-testid="message"][data-direction="in"]'
    )
    expect(incoming.locator(".text")).to_have_text(["Hola"])

    # 5: Shift+Enter adds a line, Enter sends; the reply reaches the phone and ticks come back.
    box = agent.get_by_test_id("composer-input")
    box.fill("¡Hola María! 👋")
    box.press("Shift+Enter")
    box.type("¿En qué le puedo ayudar?")
    box.press("Enter")
    expect(box).to_have_value("")
    outgoing = agent.get_by_test_id("chat-messages").locator(
        '[data-testid="message"][data-direction="out"]'
    )
    expect(outgoing).to_have_count(1)
    expect(outgoing.first).to_contain_text(
        "¡Hola María! 👋\n¿En qué le puedo ayudar?", use_inner_text=True
    )
    phone_replies = phone.get_by_test_id("phone-messages").locator(
        '[data-testid="phone-message"][data-direction="in"]'
    )
    expect(phone_replies).to_have_count(1, timeout=10_000)
    expect(phone_replies.first).to_contain_text("¿En qué le puedo ayudar?")
    # The phone shows the chat, so the customer reads it: the tick turns to read, live.
    expect(outgoing.first).to_have_attribute("data-status", "read", timeout=10_000)
    agent.screenshot(path=str(shots / "2-replied.png"))

    # 6: the customer writes again; it joins the same open attention, live.
    customer_says(phone, "Quiero saber el estado de mi pedido")
    expect(incoming.locator(".text")).to_have_text(
        ["Hola", "Quiero saber el estado de mi pedido"], timeout=10_000
    )
    expect(opened).to_have_count(1)

    # 7: ending asks for confirmation; then the next message starts a new attention.
    first_id = opened.first.get_attribute("data-attention-id")
    agent.get_by_test_id("form-field-motivo").select_option("Consulta")
    agent.get_by_test_id("form-field-documento").fill("12345678")
    agent.get_by_test_id("end-attention").click()
    agent.get_by_test_id("confirm-end").click()
    expect(opened).to_have_count(0)
    customer_says(phone, "Una consulta más")
    expect(assigned).to_have_count(1, timeout=10_000)
    assert assigned.first.get_attribute("data-attention-id") != first_id
    agent.screenshot(path=str(shots / "3-new-attention.png"))
    phone.screenshot(path=str(shots / "phone.png"))
