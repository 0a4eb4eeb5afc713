"""A customer's file must not run script in the agent's browser, however it is opened."""

from pathlib import Path

import httpx
from playwright.sync_api import Browser, Error, Page, expect

from tests.e2e.conftest import Demo
from tests.e2e.lifecycle_helpers import agent_page, assigned, opened

# Were it run on our origin, it would leave a mark the agent's page can read.
SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40">'
    b'<rect width="40" height="40" fill="red"/><script>'
    b"try { localStorage.setItem('pwned', document.cookie || 'ran') } catch (e) {}"
    b"try { top.document.title = 'pwned' } catch (e) {}"
    b"</script></svg>"
)


def maria_in_an_open_chat(
    browser: Browser, demo: Demo, first_words: str
) -> tuple[Page, httpx.Client]:
    """agente1 with María's attention open, and her phone's API to send more."""
    agent = agent_page(browser, demo, "agente1")
    phone = demo.phone_api()
    phone.post("/customers/maria/messages", json={"text": first_words})
    expect(assigned(agent)).to_have_count(1, timeout=10_000)
    assigned(agent).first.click()
    expect(opened(agent)).to_have_count(1)
    return agent, phone


def no_script_ran(page: Page) -> None:
    assert page.evaluate("localStorage.getItem('pwned')") is None
    assert page.title() != "pwned"


def test_a_customers_svg_runs_nothing_when_the_agent_opens_it(
    browser: Browser, demo_servers: Demo, shots: Path
) -> None:
    agent, phone = maria_in_an_open_chat(browser, demo_servers, "Le mando la factura")
    phone.post(
        "/customers/maria/media",
        files={"file": ("factura.svg", SVG, "image/svg+xml")},
        data={"type": "image/svg+xml"},
    ).raise_for_status()
    card = agent.get_by_test_id("chat-messages").locator('[data-testid="message-media"]')
    expect(card).to_have_attribute("data-ready", "true", timeout=15_000)
    link = card.locator("a").first
    url = demo_servers.app + str(link.get_attribute("href"))

    # The way the panel offers it: a click opens it in a new tab, which only downloads.
    with agent.context.expect_event("download") as download:
        link.click()
    assert download.value.suggested_filename.endswith(".txt")
    no_script_ran(agent)

    # Typed into the address bar: a download too, never a page of ours.
    tab = agent.context.new_page()
    with tab.expect_download() as direct:
        try:
            tab.goto(url)
        except Error as exc:  # Chromium reports the navigation that became a download
            assert "Download is starting" in str(exc)
    assert direct.value.suggested_filename.endswith(".txt")

    # Framed inside the panel by some other trick: still nothing runs.
    agent.evaluate(
        "url => { const f = document.createElement('iframe'); f.src = url;"
        " document.body.appendChild(f) }",
        url,
    )
    agent.wait_for_timeout(1000)
    no_script_ran(agent)
    agent.screenshot(path=str(shots / "svg-as-download.png"))


def test_a_location_link_never_points_at_the_app(
    browser: Browser, demo_servers: Demo, shots: Path
) -> None:
    agent, phone = maria_in_an_open_chat(browser, demo_servers, "Aquí estoy")
    for url in (f"{demo_servers.app}/api/messages/1/media", "https://example.com/oficina"):
        phone.post(
            "/customers/maria/location",
            json={"latitude": -12.05, "longitude": -77.04, "name": "Oficina", "url": url},
        ).raise_for_status()
    cards = agent.get_by_test_id("chat-messages").get_by_test_id("message-location")
    expect(cards).to_have_count(2, timeout=10_000)
    # The link to our own API is not a link; the map and an outside address still are.
    expect(cards.nth(0).locator("a[href*='/api/']")).to_have_count(0)
    expect(cards.nth(0).locator("a.map")).to_have_count(1)
    expect(cards.nth(1).locator("a[href='https://example.com/oficina']")).to_have_count(1)
    agent.screenshot(path=str(shots / "location-links.png"))
