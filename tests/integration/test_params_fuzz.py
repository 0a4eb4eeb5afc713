"""Every route's path and query parameters, fuzzed: never a 5xx, whoever asks.

The routes are read from the app itself, so a new route is fuzzed without editing this file.
"""

from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import httpx
import pytest
import pytest_asyncio
from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute, iter_route_contexts
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from atiende.api.app import create_app
from atiende.api.deps import CSRF_HEADER
from atiende.config import Settings
from tests.integration.conftest import APP_BASE, World

ODD_INTEGERS = (
    *(2**bits + delta for bits in (31, 32, 63, 64) for delta in (-1, 0)),
    *(-(2**bits) for bits in (31, 63, 64)),
    10**18,
    10**30,
    -1,
    0,
    1,
)
ODD_STRINGS = (
    "",
    " ",
    "NaN",
    "inf",
    "-0",
    "1.5",
    "1e999",
    "0x10",
    "true",
    "null",
    "ñandú 🙂",
    "\u202e\ufeff",
    "%00",
    "\x00",
    "../",
    "../../etc/passwd",
    "9999-12-31",
    "0001-01-01",
    "2026-02-30",
    "x" * 5000,
)
values = st.one_of(
    st.sampled_from(ODD_INTEGERS).map(str),
    st.sampled_from(ODD_STRINGS),
    st.integers().map(str),
    st.text(max_size=40),
)
# One user of each role, and nobody logged in.
CALLERS = ("admin", "supervisor", "agente1", None)
# Logging out ends the very session the other requests are made with: only anonymously.
SESSION_ENDING = frozenset({"/api/auth/logout"})
# The page's fallback says so when the web client was not built in this checkout: deliberate.
CLIENT_NOT_BUILT = ("/{path}", 503)


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: str
    path_params: tuple[str, ...]
    query_params: tuple[str, ...]

    def url(self, given: dict[str, str]) -> str:
        url = self.path
        for name in self.path_params:
            url = url.replace("{" + name + "}", quote(given[name], safe=""))
        return url


def endpoints(app: FastAPI) -> list[Endpoint]:
    found = []
    # Included routers are kept nested; this walks them as FastAPI's own OpenAPI does.
    for route in iter_route_contexts(app.routes):
        if not isinstance(route.original_route, APIRoute):
            continue  # the websocket and the docs take no parameters of ours
        path_params, query_params = parameters(route.dependant)
        for method in sorted(route.methods or ()):
            found.append(Endpoint(method, route.path_format or "", path_params, query_params))
    return found


def parameters(dependant: Dependant) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The path and query parameters of a route and of every dependency it has; a model
    read from the query (the reports' filters) is its fields, which are what a client sends."""
    path = [p.name for p in dependant.path_params]
    query: list[str] = []
    for p in dependant.query_params:
        model = p.field_info.annotation
        if isinstance(model, type) and issubclass(model, BaseModel):
            query += [f.alias or name for name, f in model.model_fields.items()]
        else:
            query.append(p.alias)
    for sub in dependant.dependencies:
        sub_path, sub_query = parameters(sub)
        path += sub_path
        query += sub_query
    return tuple(dict.fromkeys(path)), tuple(dict.fromkeys(query))


def request_for(endpoint: Endpoint) -> st.SearchStrategy[tuple[str, dict[str, str]]]:
    path = st.fixed_dictionaries(dict.fromkeys(endpoint.path_params, values))
    query = st.fixed_dictionaries({}, optional=dict.fromkeys(endpoint.query_params, values))
    return st.tuples(path.map(endpoint.url), query)


async def client_as(world: World, username: str | None) -> httpx.AsyncClient:
    """As `World.login`, but a 5xx is answered, not raised, so the assertion names the request."""
    transport = httpx.ASGITransport(app=world.app, raise_app_exceptions=False)
    client = httpx.AsyncClient(transport=transport, base_url=APP_BASE)
    world.clients.append(client)
    if username is not None:
        r = await client.post("/api/auth/login", json={"username": username, "password": username})
        assert r.status_code == 200, r.text
        client.headers[CSRF_HEADER] = r.json()["csrf_token"]
    return client


@pytest_asyncio.fixture(params=CALLERS, ids=lambda role: role or "anonymous")
async def caller(
    world: World, request: pytest.FixtureRequest
) -> tuple[str | None, httpx.AsyncClient]:
    """Logged in once for the whole test: the session outlives every example. A test per
    caller, so that the suite's workers share the fuzzing (one test took a minute)."""
    role: str | None = request.param
    return role, await client_as(world, role)


def test_every_route_is_found_with_its_parameters(settings: Settings) -> None:
    found = {(e.method, e.path): e for e in endpoints(create_app(settings, run_workers=False))}
    attention = found[("GET", "/api/attentions/{attention_id}")]
    assert attention.path_params == ("attention_id",)
    transfers = found[("GET", "/api/reports/transfers")].query_params
    assert {"cursor", "limit", "words", "tz"} <= set(transfers)
    assert ("DELETE", "/api/campaigns/{campaign_id}/templates/{template_id}") in found
    assert found[("GET", "/webhooks/whatsapp")].query_params == (
        "hub.mode",
        "hub.verify_token",
        "hub.challenge",
    )


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
    # Each example makes a few hundred requests, so shrinking would take minutes; the failures
    # name their requests exactly, which is what shrinking would have found.
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
)
@given(data=st.data())
async def test_no_parameter_makes_any_route_answer_5xx(
    world: World, caller: tuple[str | None, httpx.AsyncClient], data: st.DataObject
) -> None:
    role, client = caller
    failures = []
    for endpoint in endpoints(world.app):
        if role is not None and endpoint.path in SESSION_ENDING:
            continue
        url, params = data.draw(request_for(endpoint), label=f"{endpoint.method} {endpoint.path}")
        body: Any = {} if endpoint.method in ("POST", "PUT", "PATCH") else None
        response = await client.request(endpoint.method, APP_BASE + url, params=params, json=body)
        if (endpoint.path, response.status_code) == CLIENT_NOT_BUILT:
            continue
        if response.status_code >= 500:
            failures.append(
                f"{role or 'anonymous'}: {endpoint.method} {url} {params!r} -> "
                f"{response.status_code} {response.text[:200]}"
            )
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize(
    "url", ["/api/messages/9223372036854775808/media", "/%00", "/assets/%00", "/a%00b/c"]
)
async def test_what_the_fuzzer_once_found_is_not_a_5xx(world: World, url: str) -> None:
    client = await client_as(world, "admin")
    assert (await client.get(url)).status_code < 500
