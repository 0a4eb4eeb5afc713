"""`GET /{version}/{phone-number-id}` on the emulator, as Graph answers it: the fields asked
for (the default ones without `fields`), Meta's writing of the display number, and Meta's
errors for a wrong token, an unknown id and a field the node lacks. pywa, a maintained
client of the Cloud API, reads the answers as an oracle."""

from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI
from pywa.errors import ExpiredAccessToken, WhatsAppError
from pywa.types.others import BusinessPhoneNumber

from atiende.emulator import create_app
from atiende.emulator.recorder import WebhookRecorder
from tests.integration.test_emulator_app import AUTH, PHONE_NUMBER_ID, SECRET, TOKEN, config

NUMBER = f"/v23.0/{PHONE_NUMBER_ID}"
FIELDS = "display_phone_number,verified_name,quality_rating,code_verification_status"


@pytest.fixture
async def emulator() -> AsyncIterator[FastAPI]:
    app: FastAPI = create_app(
        config(), webhook_transport=httpx.ASGITransport(WebhookRecorder(SECRET).app)
    )
    async with app.router.lifespan_context(app):
        yield app


@pytest.fixture
async def graph(emulator: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(emulator), base_url="http://emulator.test"
    ) as client:
        yield client


async def test_the_fields_asked_for_then_the_id(graph: httpx.AsyncClient) -> None:
    r = await graph.get(NUMBER, params={"fields": FIELDS}, headers=AUTH)
    assert r.status_code == 200, r.text
    assert r.json() == {
        "display_phone_number": "+1 555-078-3881",
        "verified_name": "atiende demo",
        "quality_rating": "GREEN",
        "code_verification_status": "VERIFIED",
        "id": PHONE_NUMBER_ID,
    }
    assert list(r.json()) == [*FIELDS.split(","), "id"]
    only = await graph.get(NUMBER, params={"fields": "verified_name"}, headers=AUTH)
    assert only.json() == {"verified_name": "atiende demo", "id": PHONE_NUMBER_ID}


async def test_without_fields_the_default_ones(graph: httpx.AsyncClient) -> None:
    r = await graph.get(NUMBER, headers=AUTH)
    assert r.status_code == 200
    assert r.json() == {
        "verified_name": "atiende demo",
        "code_verification_status": "VERIFIED",
        "display_phone_number": "+1 555-078-3881",
        "quality_rating": "GREEN",
        "platform_type": "CLOUD_API",
        "throughput": {"level": "STANDARD"},
        "id": PHONE_NUMBER_ID,
    }


async def test_the_token_may_come_as_a_query_parameter(graph: httpx.AsyncClient) -> None:
    r = await graph.get(NUMBER, params={"fields": "verified_name", "access_token": TOKEN})
    assert r.status_code == 200 and r.json()["verified_name"] == "atiende demo"


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer EAAG-wrong"}])
async def test_a_wrong_or_missing_token_is_code_190(
    graph: httpx.AsyncClient, headers: dict[str, str]
) -> None:
    r = await graph.get(NUMBER, params={"fields": FIELDS}, headers=headers)
    assert r.status_code == 401
    assert "invalid_token" in r.headers["WWW-Authenticate"]
    error = r.json()["error"]
    assert error["code"] == 190 and error["type"] == "OAuthException"
    assert error["message"] == "Invalid OAuth access token - Cannot parse access token"
    assert error["fbtrace_id"]


async def test_an_unknown_id_is_code_100_subcode_33(graph: httpx.AsyncClient) -> None:
    """The token is checked first: with a wrong one, an unknown id is still a 190."""
    r = await graph.get("/v23.0/999888777666", params={"fields": FIELDS}, headers=AUTH)
    assert r.status_code == 400
    error = r.json()["error"]
    assert (error["code"], error["error_subcode"], error["type"]) == (
        100,
        33,
        "GraphMethodException",
    )
    assert error["message"].startswith("Unsupported get request. Object with ID '999888777666'")
    wrong = await graph.get("/v23.0/999888777666", headers={"Authorization": "Bearer x"})
    assert wrong.json()["error"]["code"] == 190


async def test_a_field_the_node_lacks_fails_the_request(graph: httpx.AsyncClient) -> None:
    r = await graph.get(NUMBER, params={"fields": "verified_name,colour"}, headers=AUTH)
    assert r.status_code == 400
    error = r.json()["error"]
    assert error["code"] == 100
    assert error["message"] == (
        "(#100) Tried accessing nonexisting field (colour) on node type "
        "(WhatsAppBusinessPhoneNumber)"
    )


async def test_a_display_number_graph_cannot_format_is_written_with_a_plus(
    graph: httpx.AsyncClient, emulator: FastAPI
) -> None:
    emulator.state.emulator.config.display_phone_number = "999"
    r = await graph.get(NUMBER, params={"fields": "display_phone_number"}, headers=AUTH)
    assert r.json()["display_phone_number"] == "+999"


async def test_pywa_reads_the_number_and_names_the_errors(graph: httpx.AsyncClient) -> None:
    """pywa asks for every field of the node, more than the emulator keeps; its parsers read
    the answers the app gets."""
    r = await graph.get(NUMBER, params={"fields": FIELDS}, headers=AUTH)
    number = BusinessPhoneNumber.from_dict(r.json())
    assert number.id == PHONE_NUMBER_ID
    assert number.display_phone_number == "+1 555-078-3881"
    assert number.verified_name == "atiende demo"
    assert number.code_verification_status == "VERIFIED"

    wrong = await graph.get(NUMBER, headers={"Authorization": "Bearer EAAG-wrong"})
    assert isinstance(WhatsAppError.from_dict(wrong.json()["error"]), ExpiredAccessToken)
    unknown = await graph.get("/v23.0/999888777666", headers=AUTH)
    error = WhatsAppError.from_dict(unknown.json()["error"])
    assert (error.code, error.subcode) == (100, 33)
