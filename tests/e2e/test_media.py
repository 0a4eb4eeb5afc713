"""Media in the browser: a voice note and a video from the customer play in the agent's chat."""

from pathlib import Path

import httpx
from playwright.sync_api import Browser, expect

from tests.e2e.conftest import Demo
from tests.e2e.lifecycle_helpers import agent_page, assigned, opened


def test_voice_note_and_video_play_in_the_agent_chat(
    browser: Browser, demo_servers: Demo, shots: Path
) -> None:
    agent = agent_page(browser, demo_servers, "agente1")
    phone = httpx.Client(base_url=f"{demo_servers.phone}/emulator/api", timeout=20)
    phone.post("/customers/maria/messages", json={"text": "Le mando el audio y el video"})
    expect(assigned(agent)).to_have_count(1, timeout=10_000)
    assigned(agent).first.click()
    expect(opened(agent)).to_have_count(1)
    for kind in ("voice", "video"):
        phone.post("/customers/maria/sample", json={"kind": kind}).raise_for_status()

    chat = agent.get_by_test_id("chat-messages")
    for media, tag in (("audio", "audio"), ("video", "video")):
        card = chat.locator(f'[data-testid="message-media"][data-media="{media}"]')
        expect(card).to_have_attribute("data-ready", "true", timeout=15_000)
        player = card.locator(tag)
        # The browser read the file's header: it can play what the worker downloaded.
        agent.wait_for_function(
            "el => el.readyState >= 1 && el.duration > 0",
            arg=player.element_handle(),
            timeout=15_000,
        )
    agent.screenshot(path=str(shots / "media-in-chat.png"))
