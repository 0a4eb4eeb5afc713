"""A long conversation opens at its newest page; the older ones come on the agent's request,
above what he was reading."""

from playwright.sync_api import Browser, expect

from tests.e2e.conftest import Demo
from tests.e2e.lifecycle_helpers import agent_page, assigned, opened

WRITTEN = 60
PAGE = 50


def test_a_long_conversation_opens_at_its_newest_page_and_pages_back(
    browser: Browser, demo_servers: Demo
) -> None:
    agent = agent_page(browser, demo_servers, "agente1")
    phone = demo_servers.phone_api()
    for n in range(1, WRITTEN + 1):
        phone.post("/customers/maria/messages", json={"text": f"mensaje {n}"}).raise_for_status()
    expect(assigned(agent)).to_have_count(1, timeout=10_000)
    chat = agent.get_by_test_id("chat-messages")
    # Every message reached the server before the chat is opened, so the first page is whole.
    agent.reload()
    assigned(agent).first.click()
    expect(opened(agent)).to_have_count(1)

    messages = chat.get_by_test_id("message")
    expect(messages).to_have_count(PAGE)
    expect(messages.last).to_contain_text(f"mensaje {WRITTEN}")
    expect(messages.first).to_contain_text(f"mensaje {WRITTEN - PAGE + 1}")

    chat.get_by_test_id("older-messages").click()
    expect(messages).to_have_count(WRITTEN)
    expect(messages.first).to_contain_text("mensaje 1")
    expect(chat.get_by_test_id("older-messages")).to_have_count(0)
    # What he was reading stays on screen: the view did not jump to either end.
    assert chat.evaluate("el => el.scrollTop") > 0
