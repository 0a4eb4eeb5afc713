"""Customer bases in the browser: a supervisor imports a file (mapping, progress, the rows
refused), and an agent links a base record to an attention in *Coincidencia*, by phone for a
customer with a number and by search for one known only by his BSUID."""

from pathlib import Path

from playwright.sync_api import Browser, FilePayload, Page, expect

from tests.e2e.conftest import Demo
from tests.e2e.lifecycle_helpers import agent_page, assigned, customer_says, opened, phone_page


def supervisor_page(browser: Browser, demo: Demo) -> Page:
    page = browser.new_context(viewport={"width": 1280, "height": 860}).new_page()
    page.goto(f"{demo.app}/")
    page.get_by_test_id("login-username").fill("supervisor")
    page.get_by_test_id("login-password").fill("supervisor")
    page.get_by_test_id("login-submit").click()
    expect(page.get_by_test_id("supervisor-app")).to_be_visible()
    return page


def base_file(rows: int) -> bytes:
    lines = ["DNI;Nombre completo;Celular;Plan"]
    lines += [f"{40_000_000 + i};Cliente {i};9{i:08d};Básico" for i in range(rows)]
    lines.append(";Sin documento;987111222;Oro")
    lines.append("49999999;Número malo;12;Oro")
    return ("\n".join(lines) + "\n").encode("utf-8")


def test_a_supervisor_imports_a_base_and_sees_its_progress_and_report(
    browser: Browser, demo_servers: Demo, shots: Path
) -> None:
    page = supervisor_page(browser, demo_servers)
    page.get_by_test_id("sup-tab-bases").click()
    view = page.get_by_test_id("bases-view")
    expect(view.get_by_test_id("bases-none")).to_be_visible()  # Soporte, the first, has none
    view.get_by_test_id("bases-campaign").select_option(label="Ventas")
    expect(view.get_by_test_id("bases-row")).to_have_count(1)  # the demo's base

    view.get_by_test_id("bases-file").set_input_files(
        files=FilePayload(name="clientes.csv", mimeType="text/csv", buffer=base_file(30_000))
    )
    view.get_by_test_id("bases-upload").click()
    mapping = view.get_by_test_id("bases-mapping")
    expect(mapping).to_be_visible()
    # The server's guess from the header, for the supervisor to check.
    expect(view.get_by_test_id("bases-map-key")).to_have_value("DNI")
    expect(view.get_by_test_id("bases-map-phone")).to_have_value("Celular")
    expect(view.get_by_test_id("bases-map-name")).to_have_value("Nombre completo")
    expect(mapping).to_contain_text("Cliente 0")
    view.get_by_test_id("bases-name").fill("Campaña diciembre")
    page.screenshot(path=str(shots / "bases-mapping.png"))
    view.get_by_test_id("bases-start").click()

    job = view.get_by_test_id("bases-job")
    expect(job).to_be_visible()
    expect(view.get_by_test_id("bases-progress")).to_be_visible()
    expect(job).to_have_attribute("data-state", "done", timeout=60_000)
    expect(view.get_by_test_id("bases-done")).to_contain_text("30000 nuevos")
    expect(view.get_by_test_id("bases-error-count")).to_contain_text("2 filas con error")
    errors = view.get_by_test_id("bases-errors")
    expect(errors).to_contain_text("Falta la clave.")
    expect(errors).to_contain_text("No es un teléfono válido.")
    expect(view.get_by_test_id("bases-download")).to_have_attribute(
        "href", "/api/base-imports/1/errors"
    )
    expect(view.get_by_test_id("bases-row")).to_have_count(2)
    expect(view.get_by_test_id("bases-list")).to_contain_text("Campaña diciembre")
    page.screenshot(path=str(shots / "bases-imported.png"), full_page=True)

    # A file whose content is not what its name says is refused before anything happens.
    view.get_by_test_id("bases-again").click()
    view.get_by_test_id("bases-file").set_input_files(
        files=FilePayload(name="clientes.xlsx", mimeType="text/csv", buffer=base_file(3))
    )
    view.get_by_test_id("bases-upload").click()
    expect(view.get_by_test_id("bases-upload-error")).to_contain_text("su contenido es CSV")


def test_an_agent_links_a_match_by_phone_and_a_bsuid_customer_by_search(
    browser: Browser, demo_servers: Demo, shots: Path
) -> None:
    agent = agent_page(browser, demo_servers, "agente1")
    lucia = phone_page(browser, demo_servers, "lucia")
    customer_says(lucia, "Hola, consulto por mi plan")
    expect(assigned(agent)).to_have_count(1, timeout=10_000)
    assigned(agent).first.click()
    expect(opened(agent)).to_have_count(1)

    agent.get_by_test_id("tab-match").click()
    by_phone = agent.get_by_test_id("match-by-phone").get_by_test_id("match-record")
    # The demo base writes her number as 987654321 and as +51 987 654 321: both match.
    expect(by_phone).to_have_count(2)
    expect(agent.get_by_test_id("match-panel")).to_contain_text("+51987654321")
    by_phone.filter(has_text="Premium").get_by_test_id("match-link").click()
    linked = agent.get_by_test_id("match-linked")
    expect(linked).to_contain_text("Lucía Fernández")
    expect(linked).to_contain_text("45871236")
    agent.screenshot(path=str(shots / "coincidencia-by-phone.png"))

    # Ana writes with a username and no number: only a search finds her.
    ana = phone_page(browser, demo_servers, "ana")
    customer_says(ana, "Hola")
    expect(assigned(agent)).to_have_count(1, timeout=10_000)
    assigned(agent).first.click()
    expect(opened(agent)).to_have_count(2)
    expect(agent.get_by_test_id("match-no-phone")).to_be_visible()
    expect(agent.get_by_test_id("match-linked")).to_have_count(0)
    agent.get_by_test_id("match-search").fill("ana.ruiz")
    agent.get_by_test_id("match-search-go").click()
    results = agent.get_by_test_id("match-results").get_by_test_id("match-record")
    expect(results).to_have_count(1)
    results.first.get_by_test_id("match-link").click()
    expect(agent.get_by_test_id("match-linked")).to_contain_text("Ana Ruiz")
    agent.screenshot(path=str(shots / "coincidencia-by-search.png"))

    # The link is the attention's: back on Lucía's, hers is still shown; unlinking clears it.
    opened(agent).filter(has_text="Lucía").click()
    expect(agent.get_by_test_id("match-linked")).to_contain_text("Lucía Fernández")
    agent.get_by_test_id("match-unlink").click()
    expect(agent.get_by_test_id("match-linked")).to_have_count(0)
