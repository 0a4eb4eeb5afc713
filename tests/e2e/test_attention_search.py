"""A supervisor finds a closed attention by a word the customer wrote (typed without its
accent), opens it read-only from the results and sees its conversation, its form and its
timeline; its address opens it again after a reload."""

from pathlib import Path

from playwright.sync_api import Browser, expect

from tests.e2e.axe import assert_accessible
from tests.e2e.conftest import Demo
from tests.e2e.lifecycle_helpers import (
    agent_page,
    assigned,
    customer_says,
    fill_ventas_form,
    opened,
    phone_page,
)


def test_a_supervisor_finds_a_closed_attention_by_its_words_and_reads_it(
    browser: Browser, demo_servers: Demo, shots: Path
) -> None:
    agent = agent_page(browser, demo_servers, "agente1")
    phone = phone_page(browser, demo_servers, "maria")
    customer_says(phone, "Necesito información del envío")
    expect(assigned(agent)).to_have_count(1, timeout=10_000)
    assigned(agent).first.click()
    expect(opened(agent)).to_have_count(1)
    fill_ventas_form(agent)
    agent.get_by_test_id("end-attention").click()
    agent.get_by_test_id("confirm-end").click()
    expect(opened(agent)).to_have_count(0)

    sup = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
    sup.goto(f"{demo_servers.app}/")
    sup.get_by_test_id("login-username").fill("supervisor")
    sup.get_by_test_id("login-password").fill("supervisor")
    sup.get_by_test_id("login-submit").click()
    sup.get_by_test_id("sup-tab-search").click()
    sup.get_by_test_id("search-words").fill("informacion")
    sup.get_by_test_id("search-state").select_option("closed")
    sup.get_by_test_id("search-submit").click()
    results = sup.get_by_test_id("search-result")
    expect(results).to_have_count(1)
    expect(results.first).to_contain_text("María González")
    expect(results.first.get_by_test_id("search-match")).to_have_text(
        "Necesito información del envío"
    )
    assert_accessible(sup, "supervisor attention search")

    results.first.click()
    detail = sup.get_by_test_id("sup-attention-detail")
    expect(detail).to_have_attribute("data-state", "closed")
    expect(detail.get_by_test_id("sup-message").first).to_contain_text(
        "Necesito información del envío"
    )
    form = detail.get_by_test_id("sup-segment-form")
    expect(form).to_contain_text("Motivo de contacto")
    expect(form).to_contain_text("Consulta")
    expect(form).to_contain_text("12345678")
    expect(detail.locator('[data-testid="sup-timeline-event"][data-kind="closed"]')).to_have_count(
        1
    )
    assert_accessible(sup, "supervisor attention read-only")
    sup.screenshot(path=str(shots / "attention-read-only.png"))

    # Its address opens it again; closing it leaves the search as it was.
    attention_id = detail.get_attribute("data-attention-id")
    assert sup.url.endswith(f"#/attention/{attention_id}")
    sup.reload()
    expect(sup.get_by_test_id("sup-attention-detail")).to_have_attribute(
        "data-attention-id", str(attention_id)
    )
    sup.get_by_test_id("sup-detail-close").click()
    expect(sup.get_by_test_id("sup-attention-dialog")).to_have_count(0)
