"""Integers out of range, in paths, query strings and bodies, are 422 naming the parameter."""

import httpx

from atiende.schemas.params import MAX_ID
from tests.integration.conftest import World
from tests.integration.test_transfers import open_for

BEYOND_INT64 = 2**63
BEYOND_ID = MAX_ID + 1


def refused(response: httpx.Response, *loc: str | int) -> None:
    assert response.status_code == 422, response.text
    body = response.json()
    assert body["code"] == "invalid_request"
    assert list(loc) in [e["loc"] for e in body["errors"]], body


async def test_ids_in_paths_beyond_the_column_are_422_and_the_largest_one_is_404(
    world: World,
) -> None:
    admin = await world.login("admin")
    for too_big in (BEYOND_INT64, BEYOND_ID, 0, -1):
        refused(await admin.get(f"/api/attentions/{too_big}"), "path", "attention_id")
    refused(await admin.delete(f"/api/campaigns/1/templates/{BEYOND_INT64}"), "path", "template_id")
    assert (await admin.get(f"/api/attentions/{MAX_ID}")).status_code == 404


async def test_pages_limits_and_filters_are_bounded(world: World) -> None:
    admin = await world.login("admin")
    agent = await world.login("agente1")
    huge = {"limit": str(10**18)}
    refused(await admin.get("/api/reports/transfers", params=huge), "query", "limit")
    long_cursor = {"cursor": "x" * 201}
    refused(await admin.get("/api/reports/transfers", params=long_cursor), "query", "cursor")
    refused(await agent.get("/api/agent/attended", params={"before": "1.x"}), "query", "before")
    refused(await agent.get("/api/agent/attended", params={"limit": 101}), "query", "limit")
    refused(
        await admin.get("/api/supervisor/attentions", params={"campaign_id": BEYOND_ID}),
        "query",
        "campaign_id",
    )
    for limit in (-1, 0, 501):
        failures = await admin.get("/api/admin/webhook-failures", params={"limit": limit})
        refused(failures, "query", "limit")
    assert (await admin.get("/api/admin/webhook-failures?limit=500")).status_code == 200
    last_day = await admin.get("/api/reports/transfers", params={"date_to": "9999-12-31"})
    assert last_day.status_code == 200, last_day.text


async def test_ids_in_bodies_beyond_the_column_are_422(world: World) -> None:
    await world.online("agente1")
    agent, attention_id = await open_for(world, "agente1")
    for body, loc in (
        ({"campaign_id": BEYOND_INT64}, ("body", "campaign_id")),
        ({"campaign_id": 1, "agent_id": BEYOND_ID}, ("body", "agent_id")),
    ):
        refused(await agent.post(f"/api/attentions/{attention_id}/transfer", json=body), *loc)
    template = {"template_id": BEYOND_INT64, "params": []}
    refused(
        await agent.post(f"/api/attentions/{attention_id}/template", json=template),
        "body",
        "template_id",
    )
    admin = await world.login("admin")
    members = [{"user_id": BEYOND_INT64, "capacity": 1}]
    refused(await admin.put("/api/campaigns/1/members", json=members), "body", 0, "user_id")
    refused(
        await admin.put("/api/campaigns/1/members", json=[{"user_id": 1, "capacity": 10**6}]),
        "body",
        0,
        "capacity",
    )


async def test_a_cursor_may_start_at_zero(world: World) -> None:
    await world.online("agente1")
    agent, attention_id = await open_for(world, "agente1")
    shown = await agent.get(f"/api/attentions/{attention_id}/messages", params={"after_id": 0})
    assert shown.status_code == 200
    assert len(shown.json()["messages"]) == 1
