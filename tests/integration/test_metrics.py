"""`/metrics`: Prometheus's token or an administrator's session, and figures that follow what
happened (deliveries, messages, queues, routing waits, outbox, sockets)."""

from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families
from pydantic import SecretStr

from atiende.config import Settings
from tests.integration.conftest import CUSTOMERS, World
from tests.keys import SECRET_KEY

TOKEN = "prometheus-reads-this"


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return Settings(
        database_url=database_url,
        media_dir=tmp_path / "media",
        secret_key=SecretStr(SECRET_KEY),
        metrics_token=SecretStr(TOKEN),
    )


def samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


async def scrape(world: World) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    answer = await world.client().get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("text/plain")
    return samples(answer.text)


async def test_only_the_token_or_an_admin_reads_it(world: World) -> None:
    anonymous = await world.client().get("/metrics")
    assert anonymous.status_code == 401 and anonymous.json()["code"] == "metrics_token"
    wrong = await world.client().get("/metrics", headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401
    for username in ("agente1", "supervisor"):
        assert (await (await world.login(username)).get("/metrics")).status_code == 403
    assert (await (await world.login("admin")).get("/metrics")).status_code == 200


async def test_figures_follow_deliveries_queues_and_routing(world: World) -> None:
    before = await scrape(world)
    assert before[("atiende_queued_attentions", (("campaign", "Ventas"),))] == 0
    assert before[("atiende_outbox_backlog", ())] == 0

    await world.customer_writes(CUSTOMERS["maria"], "Hola")  # nobody online: it waits
    queued = await scrape(world)
    assert queued[("atiende_webhook_deliveries_total", (("outcome", "received"),))] >= 1
    assert queued[("atiende_webhook_processed_total", (("outcome", "stored"),))] == 1
    assert queued[("atiende_webhook_processing_lag_seconds_count", ())] >= 1
    assert queued[("atiende_inbox_backlog", ())] == 0
    assert queued[("atiende_messages_ingested_total", ())] == 1
    assert queued[("atiende_queued_attentions", (("campaign", "Ventas"),))] == 1
    assert queued[("atiende_oldest_queued_seconds", (("campaign", "Ventas"),))] >= 0
    assert queued[("atiende_webhook_seconds_count", ())] >= 1

    sockets = await world.online("agente1")
    await world.app.state.workers.route_once()
    assigned = await scrape(world)
    assert assigned[("atiende_queued_attentions", (("campaign", "Ventas"),))] == 0
    assert assigned[("atiende_routing_wait_seconds_count", ())] == 1
    assert assigned[("atiende_assignment_seconds_count", ())] == 1
    assert assigned[("atiende_connected_users", ())] == len(sockets)

    bad = await world.client().post(
        "/webhooks/whatsapp", content=b"{}", headers={"X-Hub-Signature-256": "sha256=00"}
    )
    assert bad.status_code == 401
    after = await scrape(world)
    assert after[("atiende_webhook_deliveries_total", (("outcome", "bad_signature"),))] == 1
