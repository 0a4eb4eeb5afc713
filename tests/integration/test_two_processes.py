"""Two app processes on PostgreSQL share events through Redis: an agent connected to one
sees what the other ingested."""

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.live_path import Route, message_reaches_the_agent
from tests.pg import fresh_database
from tests.procs import free_port, run, serving
from tests.services import REDIS_URL, require_redis

SECRET = "two-process-secret"


@pytest.fixture
def fresh_postgres() -> Iterator[str]:
    with fresh_database("atiende_procs") as url:
        yield url


async def test_event_ingested_by_one_process_reaches_an_agent_on_the_other(
    fresh_postgres: str, tmp_path: Path
) -> None:
    require_redis()
    env = {"ATIENDE_DATABASE_URL": fresh_postgres, "ATIENDE_REDIS_URL": REDIS_URL}
    await asyncio.to_thread(run, ["demo", "--seed-only", "--app-secret", SECRET], env)
    port_a, port_b = free_port(), free_port()
    a_url, b_url = f"http://127.0.0.1:{port_a}", f"http://127.0.0.1:{port_b}"
    with (
        serving(["serve", "--port", str(port_a)], env, [f"{a_url}/healthz"], tmp_path / "a.log"),
        serving(["serve", "--port", str(port_b)], env, [f"{b_url}/healthz"], tmp_path / "b.log"),
    ):
        route = Route(webhook=a_url, api=b_url, socket=f"ws://127.0.0.1:{port_b}/api/ws")
        await message_reaches_the_agent(route, SECRET)
