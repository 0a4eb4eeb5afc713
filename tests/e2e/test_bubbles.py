"""What a bubble shows in the browser: the customer's formatting and links as elements, and
the ticks of a reply turning blue when the customer reads it."""

from pathlib import Path

from playwright.sync_api import Browser, expect

from tests.e2e.conftest import Demo
from tests.e2e.lifecycle_helpers import agent_page, assigned, customer_says, phone_page

TICK_READ = "rgb(26, 159, 224)"  # --tick-read in web/src/app.css


def test_formatting_links_and_blue_ticks(browser: Browser, demo_servers: Demo, shots: Path) -> None:
    agent = agent_page(browser, demo_servers, "agente1")
    phone = phone_page(browser, demo_servers, "maria")
    customer_says(phone, "*Urgente*: mira https://ejemplo.pe/pedido_42 <b>ya</b>")
    expect(assigned(agent)).to_have_count(1, timeout=10_000)
    assigned(agent).first.click()

    incoming = agent.get_by_test_id("chat-messages").locator('[data-direction="in"] .text')
    expect(incoming.locator("strong")).to_have_text("Urgente")
    link = incoming.get_by_test_id("message-link")
    expect(link).to_have_attribute("href", "https://ejemplo.pe/pedido_42")
    expect(link).to_have_attribute("target", "_blank")
    expect(link).to_have_attribute("rel", "noopener noreferrer")
    expect(incoming).to_contain_text("<b>ya</b>")
    expect(incoming.locator("b")).to_have_count(0)

    box = agent.get_by_test_id("composer-input")
    box.fill("Ya lo reviso")
    box.press("Enter")
    out = agent.get_by_test_id("chat-messages").locator(
        '[data-testid="message"][data-direction="out"]'
    )
    # The phone shows the chat, so the customer reads it: the ticks turn blue, live.
    expect(out.first).to_have_attribute("data-status", "read", timeout=10_000)
    tick = out.first.get_by_test_id("message-tick")
    expect(tick).to_have_css("color", TICK_READ)
    agent.screenshot(path=str(shots / "blue-ticks.png"))
