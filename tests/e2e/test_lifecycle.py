"""The lifecycle in the browser: transfers to a campaign and to an agent, reassignment when
nobody opens in time, and *Terminar atención* refused while a required field is empty (said
before it asks "¿Seguro?")."""

import re
from pathlib import Path

from playwright.sync_api import Browser, expect

from tests.e2e.conftest import Demo
from tests.e2e.lifecycle_helpers import (
    agent_page,
    assigned,
    campaign,
    customer_says,
    fill_ventas_form,
    opened,
    phone_page,
    supervisor_api,
)


def test_end_is_refused_while_a_required_field_is_empty(
    browser: Browser, demo_servers: Demo, shots: Path
) -> None:
    agent = agent_page(browser, demo_servers, "agente1")
    phone = phone_page(browser, demo_servers, "maria")
    customer_says(phone, "Hola")
    expect(assigned(agent)).to_have_count(1, timeout=10_000)
    assigned(agent).first.click()
    expect(opened(agent)).to_have_count(1)

    # The empty fields are named before "¿Seguro?" is asked.
    agent.get_by_test_id("end-attention").click()
    error = agent.get_by_test_id("end-error")
    expect(error).to_be_visible()
    expect(agent.get_by_test_id("end-dialog")).to_have_count(0)
    expect(error).to_contain_text("Motivo de contacto")
    expect(error).to_contain_text("Documento de identidad")
    expect(opened(agent)).to_have_count(1)
    agent.screenshot(path=str(shots / "end-refused.png"))

    fill_ventas_form(agent)
    agent.get_by_test_id("end-attention").click()
    agent.get_by_test_id("confirm-end").click()
    expect(opened(agent)).to_have_count(0)


def test_transfer_to_a_campaign_then_to_an_agent(
    browser: Browser, demo_servers: Demo, shots: Path
) -> None:
    sofia = agent_page(browser, demo_servers, "agente1")
    diego = agent_page(browser, demo_servers, "agente2")
    # Both are free and neither has had an attention yet: the tie goes to Sofía.
    phone = phone_page(browser, demo_servers, "maria")
    customer_says(phone, "Quiero cambiar mi pedido")
    expect(assigned(sofia)).to_have_count(1, timeout=10_000)
    assigned(sofia).first.click()
    expect(opened(sofia)).to_have_count(1)
    fill_ventas_form(sofia)

    # To the campaign Soporte, any agent: it is queued there and routed like a new one.
    sofia.get_by_test_id("transfer-open").click()
    sofia.get_by_test_id("transfer-campaign").select_option(label="Soporte")
    sofia.get_by_test_id("transfer-agent").select_option("")
    sofia.get_by_test_id("transfer-note").fill("Es un cambio de pedido")
    sofia.get_by_test_id("transfer-confirm").click()
    expect(opened(sofia)).to_have_count(0)
    attended = sofia.get_by_test_id("list-attended").get_by_test_id("attended-item")
    expect(attended).to_have_count(1)
    expect(attended.first).to_contain_text("Transferida")

    # Routed like a new one, but not back to whoever handed it over: Diego gets it.
    expect(assigned(diego)).to_have_count(1, timeout=10_000)
    expect(assigned(diego).first).to_have_class(re.compile(r"\bblink\b"))
    expect(assigned(diego).first).to_contain_text("Soporte")
    expect(assigned(diego).first.get_by_test_id("badge-transferred")).to_be_visible()
    diego.screenshot(path=str(shots / "diego-gets-transfer.png"))
    assigned(diego).first.click()
    expect(diego.get_by_test_id("form-field-pedido")).to_be_visible()
    # The note Sofía left is on top of Diego's chat, not only in the timeline.
    expect(diego.get_by_test_id("arrival-note")).to_contain_text("Sofía Torres")
    expect(diego.get_by_test_id("arrival-note")).to_contain_text("Es un cambio de pedido")

    # Now to an agent: Diego hands it straight back to Sofía in Ventas; she sees it blink.
    diego.get_by_test_id("transfer-open").click()
    diego.get_by_test_id("transfer-campaign").select_option(label="Ventas")
    agents = diego.get_by_test_id("transfer-agent")
    sofia_id = agents.locator("option", has_text="Sofía Torres").get_attribute("value")
    assert sofia_id
    agents.select_option(sofia_id)
    diego.get_by_test_id("transfer-confirm").click()
    expect(opened(diego)).to_have_count(0)
    expect(assigned(sofia)).to_have_count(1, timeout=10_000)
    expect(assigned(sofia).first).to_have_class(re.compile(r"\bblink\b"))
    sofia.screenshot(path=str(shots / "sofia-gets-it-back.png"))

    api = supervisor_api(demo_servers)
    report = api.get("/api/reports/transfers").json()
    assert report["total"] == 1 and report["items"][0]["transfer_count"] == 2


def test_an_attention_nobody_opens_moves_to_another_agent(
    browser: Browser, demo_servers: Demo, shots: Path
) -> None:
    api = supervisor_api(demo_servers)
    ventas = campaign(api, "Ventas")
    api.patch(
        f"/api/campaigns/{ventas['id']}", json={"reassign_after_seconds": 2}
    ).raise_for_status()
    sofia = agent_page(browser, demo_servers, "agente1")
    diego = agent_page(browser, demo_servers, "agente2")
    phone = phone_page(browser, demo_servers, "juan")
    customer_says(phone, "¿Alguien me atiende?")

    # Neither has had an attention yet: the tie goes to Sofía, who does not open it.
    first, second = sofia, diego
    expect(assigned(first)).to_have_count(1, timeout=10_000)
    # Not opened within 2 s: reassigned to the other agent, blinking there.
    expect(assigned(second)).to_have_count(1, timeout=10_000)
    expect(assigned(first)).to_have_count(0)
    expect(assigned(second).first).to_have_class(re.compile(r"\bblink\b"))
    expect(assigned(second).first.get_by_test_id("badge-reassigned")).to_be_visible()
    second.screenshot(path=str(shots / "reassigned.png"))
    attention_id = assigned(second).first.get_attribute("data-attention-id")
    timeline = api.get(f"/api/attentions/{attention_id}/timeline").json()["events"]
    assert [e["data"].get("reason") for e in timeline if e["kind"] == "reassigned"][:1] == [
        "timeout"
    ]
