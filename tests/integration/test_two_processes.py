"""Two app processes on PostgreSQL share events through Redis: an agent connected to one
sees what the other ingested."""

import asyncio
import json
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from websockets.asyncio.client import connect

from atiende import demo
from atiende.channels.whatsapp.signature import HEADER, sign
from atiende.emulator import payloads
from atiende.emulator.config import demo_customers
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
        async with httpx.AsyncClient(base_url=b_url) as b:
            login = await b.post(
                "/api/auth/login", json={"username": "agente1", "password": "agente1"}
            )
            assert login.status_code == 200
            cookie = f"atiende_session={login.cookies['atiende_session']}"
            async with connect(
                f"ws://127.0.0.1:{port_b}/api/ws", additional_headers={"Cookie": cookie}
            ) as ws:
                hello = json.loads(await ws.recv())
                assert hello["type"] == "hello"
                customer = demo_customers()[0]
                business = payloads.BusinessNumber(
                    demo.WABA_ID, demo.PHONE_NUMBER_ID, demo.DISPLAY_PHONE
                )
                body = json.dumps(
                    payloads.inbound_text_webhook(
                        business, customer, payloads.new_wamid(customer.bsuid), "Hola", time.time()
                    )
                ).encode()
                async with httpx.AsyncClient(base_url=a_url) as a:
                    answer = await a.post(
                        "/webhooks/whatsapp", content=body, headers={HEADER: sign(body, SECRET)}
                    )
                assert answer.status_code == 200, answer.text
                event = await _next_of(ws, "attention.updated")
                assert event["attention"]["state"] == "assigned"
                assert event["attention"]["customer"]["display_name"] == customer.name


async def _next_of(ws, kind: str, timeout: float = 10.0) -> dict:  # type: ignore[no-untyped-def, type-arg]
    async with asyncio.timeout(timeout):
        while True:
            event = json.loads(await ws.recv())
            if event["type"] == kind:
                return event  # type: ignore[no-any-return]
