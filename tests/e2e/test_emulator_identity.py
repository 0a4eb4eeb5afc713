"""A trainer changes a customer's number and BSUID on the emulator's phone page: the agent
keeps one chat with him, live, and no second attention appears."""

from pathlib import Path

from playwright.sync_api import Browser, expect

from tests.e2e.conftest import Demo
from tests.e2e.test_first_path import customer_says, login


def test_a_new_number_and_bsuid_keep_one_chat(
    browser: Browser, demo_servers: Demo, shots: Path
) -> None:
    agent = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
    phone = browser.new_context(viewport={"width": 1100, "height": 760}).new_page()
    login(agent, demo_servers.app, "agente1")
    phone.goto(f"{demo_servers.phone}/")
    phone.get_by_test_id("customer-maria").click()
    customer_says(phone, "Hola")
    assigned = agent.get_by_test_id("list-assigned").get_by_test_id("attention-item")
    expect(assigned).to_have_count(1, timeout=10_000)

    phone.get_by_test_id("phone-attach").click()
    phone.get_by_test_id("phone-menu-number").click()
    phone.get_by_test_id("phone-new-number").fill("5215599990000")
    phone.get_by_test_id("phone-number-send").click()
    expect(phone.get_by_test_id("phone-number-form")).to_be_hidden()
    phone.get_by_test_id("phone-attach").click()
    phone.get_by_test_id("phone-new-user-id").click()
    customer_says(phone, "Sigo aquí, con otro número")
    phone.screenshot(path=str(shots / "phone-identity-changed.png"))

    assigned.first.click()
    incoming = agent.get_by_test_id("chat-messages").locator(
        '[data-testid="message"][data-direction="in"]'
    )
    expect(incoming.filter(has_text="Sigo aquí, con otro número")).to_have_count(1, timeout=10_000)
    expect(incoming.filter(has_text="Hola")).to_have_count(1)
    lists = agent.get_by_test_id("list-open").get_by_test_id("attention-item")
    expect(lists).to_have_count(1)
    expect(assigned).to_have_count(0)
    agent.screenshot(path=str(shots / "agent-after-identity-change.png"))
