"""Media in the browser: a voice note and a video from the customer play in the agent's chat."""

from pathlib import Path

from playwright.sync_api import Browser, expect

from tests.e2e.conftest import Demo
from tests.e2e.lifecycle_helpers import agent_page, assigned, opened


def test_voice_note_and_video_play_in_the_agent_chat(
    browser: Browser, demo_servers: Demo, shots: Path
) -> None:
    agent = agent_page(browser, demo_servers, "agente1")
    phone = demo_servers.phone_api()
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


def _pdf() -> bytes:
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]"
        b"/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    )


def test_agent_sends_an_image_and_a_pdf_and_an_oversized_file_is_refused(
    browser: Browser, demo_servers: Demo, shots: Path, tmp_path: Path
) -> None:
    from tests.integration.test_media import png

    agent = agent_page(browser, demo_servers, "agente1")
    phone_api = demo_servers.phone_api()
    phone_api.post("/customers/maria/messages", json={"text": "¿Me envía la factura?"})
    expect(assigned(agent)).to_have_count(1, timeout=10_000)
    assigned(agent).first.click()
    expect(opened(agent)).to_have_count(1)

    files = {
        "foto.png": png(8, 8),
        "factura.pdf": _pdf(),
        "enorme.png": png(8, 8) + b"\x00" * (5 * 1024 * 1024 + 10),
    }
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)

    for name, caption in (("foto.png", "Su comprobante"), ("factura.pdf", "Factura de noviembre")):
        agent.get_by_test_id("attach-open").click()
        agent.get_by_test_id("attach-input").set_input_files(str(tmp_path / name))
        agent.get_by_test_id("attach-caption").fill(caption)
        agent.get_by_test_id("attach-send").click()
        expect(agent.get_by_test_id("attach-dialog")).to_have_count(0)

    outgoing = agent.get_by_test_id("chat-messages").locator(
        '[data-testid="message"][data-direction="out"]'
    )
    expect(outgoing).to_have_count(2)
    phone = browser.new_context().new_page()
    phone.goto(f"{demo_servers.phone}/")
    phone.get_by_test_id("customer-maria").click()
    received = phone.get_by_test_id("phone-messages").locator(
        '[data-testid="phone-message"][data-direction="in"]'
    )
    expect(received).to_have_count(2, timeout=15_000)
    expect(received.nth(0)).to_have_attribute("data-type", "image")
    expect(received.nth(1)).to_have_attribute("data-type", "document")
    expect(received.nth(1)).to_contain_text("factura.pdf")
    phone.screenshot(path=str(shots / "phone-received.png"))

    agent.get_by_test_id("attach-open").click()
    agent.get_by_test_id("attach-input").set_input_files(str(tmp_path / "enorme.png"))
    error = agent.get_by_test_id("attach-error")
    expect(error).to_contain_text("5 MB")
    agent.screenshot(path=str(shots / "oversized-refused.png"))
    expect(outgoing).to_have_count(2)
