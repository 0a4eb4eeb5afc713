"""The agent panel on a phone (390 × 844): the lists, the chat and the tools as views with a
way back, and nothing scrolls sideways."""

from pathlib import Path

from playwright.sync_api import Browser, Page, ViewportSize, expect

from tests.e2e.conftest import Demo
from tests.e2e.lifecycle_helpers import assigned, customer_says, login, phone_page

PHONE: ViewportSize = {"width": 390, "height": 844}


def no_sideways_scroll(page: Page) -> None:
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page is {width} px wide"


def test_the_panel_at_390_by_844(browser: Browser, demo_servers: Demo, shots: Path) -> None:
    agent = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    login(agent, demo_servers.app, "agente1")
    phone = phone_page(browser, demo_servers, "maria")
    customer_says(phone, "Hola, escribo desde el celular de mi hija")

    # The lists first; the chat and the tools wait for a chat to show.
    expect(assigned(agent)).to_have_count(1, timeout=10_000)
    expect(agent.get_by_test_id("pane-chat")).to_be_disabled()
    expect(agent.get_by_test_id("chat-header")).to_have_count(0)
    no_sideways_scroll(agent)
    agent.screenshot(path=str(shots / "1-lists.png"))

    # Opening it shows the chat alone, full width.
    assigned(agent).first.click()
    header = agent.get_by_test_id("chat-header")
    expect(header).to_be_visible()
    expect(header).to_contain_text("María González")
    expect(agent.get_by_test_id("list-open")).to_be_hidden()
    box = agent.get_by_test_id("composer-input")
    expect(box).to_be_visible()
    assert (box.bounding_box() or {"width": 0})["width"] > 150
    no_sideways_scroll(agent)
    box.fill("Con gusto la atiendo")
    box.press("Enter")
    out = agent.get_by_test_id("chat-messages").locator('[data-direction="out"]')
    expect(out).to_have_count(1)
    agent.screenshot(path=str(shots / "2-chat.png"))

    # The tools, then back to the chat and to the lists.
    agent.get_by_test_id("pane-tools").click()
    expect(agent.get_by_test_id("tool-form")).to_be_visible()
    expect(agent.get_by_test_id("chat-header")).to_be_hidden()
    no_sideways_scroll(agent)
    agent.screenshot(path=str(shots / "3-tools.png"))
    agent.get_by_test_id("pane-chat").click()
    expect(agent.get_by_test_id("chat-header")).to_be_visible()
    agent.get_by_test_id("pane-lists").click()
    expect(agent.get_by_test_id("list-open")).to_be_visible()
    expect(agent.get_by_test_id("chat-header")).to_be_hidden()
    no_sideways_scroll(agent)
