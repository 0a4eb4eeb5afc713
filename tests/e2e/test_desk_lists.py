"""The agent's lists through the real panel: who waits in his campaigns' queues, Abiertas by
the customer's longest wait with the latest message, and the ring for a customer's message
in a chat that is not on screen."""

import re
from pathlib import Path

from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import Demo
from tests.e2e.lifecycle_helpers import (
    assigned,
    customer_says,
    login,
    opened,
    phone_page,
)

# Records what the panel asks of the Notification API. The permission starts unasked on every
# page load, as for an agent whose session outlived the login where he was asked.
NOTIFICATIONS = """
window.__notified = [];
class RecordedNotification {
  static permission = 'default';
  static async requestPermission() {
    RecordedNotification.permission = 'granted';
    return 'granted';
  }
  constructor(title, options) {
    window.__notified.push({ title, body: options && options.body });
  }
  close() {}
}
window.Notification = RecordedNotification;
"""


def agent_with_recorded_alerts(browser: Browser, demo: Demo, username: str) -> Page:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.add_init_script(NOTIFICATIONS)
    page = context.new_page()
    login(page, demo.app, username)
    expect(page.get_by_test_id("reconnecting")).to_have_count(0)
    return page


def test_encoladas_lists_who_waits_live(browser: Browser, demo_servers: Demo, shots: Path) -> None:
    agent = agent_with_recorded_alerts(browser, demo_servers, "agente1")
    # Offline, so routing leaves them queued; the panel still shows his campaigns' queues.
    agent.get_by_test_id("agent-status").select_option("offline")
    for customer, text in (("maria", "Hola"), ("juan", "Buenas tardes")):
        customer_says(phone_page(browser, demo_servers, customer), text)

    queued = agent.get_by_test_id("queue-list").get_by_test_id("queued-item")
    expect(queued).to_have_count(2, timeout=10_000)
    expect(queued.nth(0)).to_contain_text("María González")
    expect(queued.nth(1)).to_contain_text("Juan Pérez")
    expect(queued.nth(0)).to_contain_text(re.compile(r"espera \d+:\d\d"))
    expect(agent.get_by_test_id("queue-list").locator("button, a")).to_have_count(0)
    agent.screenshot(path=str(shots / "encoladas.png"))

    # Available again: both are routed to him and leave the queue, live.
    agent.get_by_test_id("agent-status").select_option("available")
    expect(assigned(agent)).to_have_count(2, timeout=10_000)
    expect(queued).to_have_count(0)


def test_abiertas_by_longest_wait_and_a_ring_for_a_chat_not_on_screen(
    browser: Browser, demo_servers: Demo, shots: Path
) -> None:
    agent = agent_with_recorded_alerts(browser, demo_servers, "agente1")
    # Back in the panel without logging in again: the panel asks for the permission itself.
    agent.reload()
    agent.get_by_test_id("alerts-enable").click()
    expect(agent.get_by_test_id("alerts-enable")).to_have_count(0)
    maria = phone_page(browser, demo_servers, "maria")
    juan = phone_page(browser, demo_servers, "juan")
    customer_says(maria, "Hola, soy María")
    customer_says(juan, "Hola, soy Juan")
    expect(assigned(agent)).to_have_count(2, timeout=10_000)
    assigned(agent).filter(has_text="María González").click()
    expect(opened(agent)).to_have_count(1)
    assigned(agent).filter(has_text="Juan Pérez").click()
    expect(opened(agent)).to_have_count(2)

    # Juan's chat is on screen; María has waited longest for an answer: she is first.
    expect(opened(agent).first).to_contain_text("María González")
    expect(opened(agent).first.get_by_test_id("last-message")).to_have_text("Hola, soy María")
    expect(opened(agent).first.get_by_test_id("awaiting")).to_contain_text("Sin respuesta hace")

    box = agent.get_by_test_id("composer-input")
    box.fill("Hola Juan, dime")
    box.press("Enter")
    juan_item = opened(agent).filter(has_text="Juan Pérez")
    expect(juan_item.get_by_test_id("last-message")).to_have_text("Tú: Hola Juan, dime")
    expect(juan_item.get_by_test_id("awaiting")).to_have_count(0)

    # María writes again while Juan's chat is on screen: it rings and notifies.
    customer_says(maria, "¿Sigue ahí?")
    expect(opened(agent).first.get_by_test_id("last-message")).to_have_text(
        "¿Sigue ahí?", timeout=10_000
    )
    agent.wait_for_function("window.__notified.some(n => n.title.includes('María'))")
    notified = agent.evaluate("window.__notified")
    assert {"title": "Nuevo mensaje de María González", "body": "¿Sigue ahí?"} in notified
    assert not any(n["title"] == "Nuevo mensaje de Juan Pérez" for n in notified)
    agent.screenshot(path=str(shots / "abiertas.png"))
