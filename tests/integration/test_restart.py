"""Durable deadlines: a process killed while attentions wait for their reassignment deadline
loses none of them. After a restart (with two processes racing for the due rows) every
deadline fires exactly once."""

import asyncio
import json
import signal
import time
from pathlib import Path

import httpx
from pydantic import SecretStr
from sqlalchemy import select, update
from websockets.asyncio.client import connect

from atiende.actions import audit
from atiende.channels.whatsapp.signature import HEADER, sign
from atiende.config import Settings
from atiende.db.models import Attention, AttentionEvent, Campaign, CampaignMember, User
from atiende.emulator import payloads
from atiende.runtime import create_runtime
from tests.burst import BUSINESS, customers
from tests.inbox import drained
from tests.keys import SECRET_KEY
from tests.pg import fresh_database
from tests.procs import cluster, free_port, run, serving, stop

SECRET = "restart-secret"
DEADLINE = 4
COUNT = 5


async def configure(url: str) -> None:
    rt = create_runtime(Settings(database_url=url, secret_key=SecretStr(SECRET_KEY)))
    try:
        async with rt.work() as w:
            await w.session.execute(
                update(Campaign)
                .where(Campaign.name == "Ventas")
                # Parked at the first timeout: one deadline per attention, nothing after it.
                .values(reassign_after_seconds=DEADLINE, max_reassignments=0)
            )
            await w.session.execute(update(User).values(capacity=10))
            await w.session.execute(update(CampaignMember).values(capacity=10))
    finally:
        await rt.close()


async def snapshot(url: str) -> tuple[list[Attention], dict[int, list[str]], list[str]]:
    rt = create_runtime(Settings(database_url=url, secret_key=SecretStr(SECRET_KEY)))
    try:
        async with rt.work() as w:
            found = await audit.problems(w)
            attentions = list(await w.session.scalars(select(Attention).order_by(Attention.id)))
            events: dict[int, list[str]] = {}
            for e in await w.session.scalars(select(AttentionEvent).order_by(AttentionEvent.id)):
                events.setdefault(e.attention_id, []).append(e.kind)
            return attentions, events, found
    finally:
        await rt.close()


async def test_every_deadline_fires_once_after_a_crash(tmp_path: Path) -> None:
    with fresh_database("atiende_restart") as url:
        env = {"ATIENDE_DATABASE_URL": url, "ATIENDE_WORKER_POLL_SECONDS": "0.2"}
        run(["demo", "--seed-only", "--app-secret", SECRET], env)
        await configure(url)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        with serving(
            ["serve", "--port", str(port)], env, [f"{base}/healthz"], tmp_path / "first.log"
        ) as first:
            async with httpx.AsyncClient(base_url=base) as http:
                login = await http.post(
                    "/api/auth/login", json={"username": "agente1", "password": "agente1"}
                )
                cookie = f"atiende_session={login.cookies['atiende_session']}"
                async with connect(
                    f"ws://127.0.0.1:{port}/api/ws", additional_headers={"Cookie": cookie}
                ):
                    for customer in customers(COUNT):
                        body = json.dumps(
                            payloads.inbound_text_webhook(
                                BUSINESS,
                                customer,
                                payloads.new_wamid(customer.bsuid),
                                "Hola",
                                time.time(),
                            )
                        ).encode()
                        answer = await http.post(
                            "/webhooks/whatsapp", content=body, headers={HEADER: sign(body, SECRET)}
                        )
                        assert answer.status_code == 200
                    await drained(url)
                    # Applied is not yet routed: routing runs after the batch's commit.
                    deadline = time.monotonic() + 20
                    while True:
                        held, _, _ = await snapshot(url)
                        if all(a.state == "assigned" for a in held) or time.monotonic() > deadline:
                            break
                        await asyncio.sleep(0.2)
                    assert [a.state for a in held] == ["assigned"] * COUNT
                    # Killed outright while every deadline is still ahead.
                    stop(first, signal.SIGKILL)
        latest = max(a.reassign_at for a in held if a.reassign_at)
        await asyncio.sleep(max(0.0, (latest.timestamp() - time.time())) + 0.5)
        before, events, _ = await snapshot(url)
        assert [a.state for a in before] == ["assigned"] * COUNT, "nothing fired while down"

        with cluster(2, env, tmp_path):
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline:
                after, events, problems = await snapshot(url)
                if all(a.parked for a in after):
                    break
                await asyncio.sleep(0.3)
            await asyncio.sleep(1)  # a second firing, if there were one, would show by now
            after, events, problems = await snapshot(url)
    assert [(a.state, a.parked) for a in after] == [("queued", True)] * COUNT
    for attention in after:
        assert events[attention.id].count("reassigned") == 1, events[attention.id]
        assert events[attention.id].count("parked") == 1
    assert problems == []
