"""Shared steps of the browser tests: log in, play the customer, configure by API."""

from typing import Any

import httpx
from playwright.sync_api import Browser, Locator, Page, expect

from tests.e2e.conftest import Demo


def login(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/")
    page.get_by_test_id("login-username").fill(username)
    page.get_by_test_id("login-password").fill(username)
    page.get_by_test_id("login-submit").click()
    expect(page.get_by_test_id("agent-name")).to_be_visible()


def agent_page(browser: Browser, demo: Demo, username: str) -> Page:
    page = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
    login(page, demo.app, username)
    expect(page.get_by_test_id("reconnecting")).to_have_count(0)
    return page


def phone_page(browser: Browser, demo: Demo, customer: str) -> Page:
    page = browser.new_context(viewport={"width": 1100, "height": 760}).new_page()
    page.goto(f"{demo.phone}/")
    page.get_by_test_id(f"customer-{customer}").click()
    return page


def customer_says(phone: Page, text: str) -> None:
    phone.get_by_test_id("phone-input").fill(text)
    phone.get_by_test_id("phone-input").press("Enter")


def assigned(page: Page) -> Locator:
    return page.get_by_test_id("list-assigned").get_by_test_id("attention-item")


def opened(page: Page) -> Locator:
    return page.get_by_test_id("list-open").get_by_test_id("attention-item")


def fill_ventas_form(page: Page) -> None:
    page.get_by_test_id("form-field-motivo").select_option("Consulta")
    page.get_by_test_id("form-field-documento").fill("12345678")


def supervisor_api(demo: Demo) -> httpx.Client:
    """The supervisor's HTTP API, as his pages use it."""
    client = demo.http(demo.app)
    answer = client.post(
        "/api/auth/login", json={"username": "supervisor", "password": "supervisor"}
    )
    answer.raise_for_status()
    client.headers["X-CSRF-Token"] = answer.json()["csrf_token"]
    return client


def campaign(api: httpx.Client, name: str) -> dict[str, Any]:
    found = [c for c in api.get("/api/campaigns").json() if c["name"] == name]
    assert found, name
    return found[0]  # type: ignore[no-any-return]
