"""A processor killed mid-batch under load loses nothing and doubles nothing: what it had
not committed is applied by the next processor, and every delivery answered 200 ends up
stored exactly once (on PostgreSQL, with the processors' turn held by the batch itself)."""

import asyncio
import json
import random
import signal
import time
from pathlib import Path

import httpx
from pydantic import SecretStr
from sqlalchemy import func, select, text

from atiende.actions import audit
from atiende.channels.whatsapp.signature import HEADER, sign
from atiende.config import Settings
from atiende.db.models import InboxDelivery, Message
from atiende.emulator import payloads
from atiende.runtime import create_runtime
from tests.burst import BUSINESS, customers
from tests.inbox import drained
from tests.keys import SECRET_KEY
from tests.pg import fresh_database
from tests.procs import free_port, run, serving, stop
from tests.services import REDIS_URL, require_redis

SECRET = "crash-secret"
CUSTOMERS = 40
MESSAGES = 15


async def deliver_until_taken(http: httpx.AsyncClient, urls: list[str], body: bytes) -> None:
    """As Meta does: again and again, to whichever process answers, until a 200."""
    headers = {HEADER: sign(body, SECRET), "Content-Type": "application/json"}
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        try:
            answer = await http.post(
                f"{random.choice(urls)}/webhooks/whatsapp", content=body, headers=headers
            )
            if answer.status_code == 200:
                return
        except httpx.HTTPError:
            pass
        await asyncio.sleep(0.2)
    raise AssertionError("a delivery was never taken")


async def load(urls: list[str]) -> set[str]:
    """Every customer writes MESSAGES messages in a row, all customers at once."""
    sent: set[str] = set()

    async def customer_writes(http: httpx.AsyncClient, n: int) -> None:
        customer = customers(CUSTOMERS)[n]
        for i in range(MESSAGES):
            wamid = f"wamid.CRASH{n:03d}x{i:03d}"
            body = json.dumps(
                payloads.inbound_text_webhook(BUSINESS, customer, wamid, f"m{i}", time.time())
            ).encode()
            await deliver_until_taken(http, urls, body)
            sent.add(wamid)

    async with httpx.AsyncClient(timeout=30) as http:
        await asyncio.gather(*(customer_writes(http, n) for n in range(CUSTOMERS)))
    return sent


async def wait_mid_batch(url: str, writing: "asyncio.Task[set[str]]") -> None:
    """Until a processor's transaction is open (its turn held) with deliveries waiting."""
    rt = create_runtime(Settings(database_url=url, secret_key=SecretStr(SECRET_KEY)))
    deadline = time.monotonic() + 120
    try:
        while True:
            async with rt.work() as w:
                held = await w.session.scalar(
                    text("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted")
                )
                waiting = await w.session.scalar(select(func.count()).select_from(InboxDelivery))
            if held and waiting:
                return
            assert time.monotonic() < deadline, "the processor never had a backlog"
            assert not writing.done(), "the load ended before a batch could be caught"
            await asyncio.sleep(0.01)
    finally:
        await rt.close()


async def stored(url: str) -> tuple[list[str], list[str]]:
    rt = create_runtime(Settings(database_url=url, secret_key=SecretStr(SECRET_KEY)))
    try:
        async with rt.work() as w:
            problems = await audit.problems(w)
        async with rt.work() as w:
            wamids = list(
                await w.session.scalars(
                    select(Message.wa_message_id).where(Message.direction == "in")
                )
            )
        return [m for m in wamids if m], problems
    finally:
        await rt.close()


async def test_a_processor_killed_mid_batch_loses_and_doubles_nothing(tmp_path: Path) -> None:
    require_redis()
    with fresh_database("atiende_crash") as url:
        env = {
            "ATIENDE_DATABASE_URL": url,
            "ATIENDE_REDIS_URL": REDIS_URL,
            "ATIENDE_WORKER_POLL_SECONDS": "0.2",
        }
        await asyncio.to_thread(run, ["demo", "--seed-only", "--app-secret", SECRET], env)
        port_a, port_b = free_port(), free_port()
        urls = [f"http://127.0.0.1:{port_a}"]
        with serving(
            ["serve", "--port", str(port_a)], env, [f"{urls[0]}/healthz"], tmp_path / "a.log"
        ) as first:
            writing = asyncio.create_task(load(urls))
            await wait_mid_batch(url, writing)
            # Killed outright while its batch is open: nothing of it was committed.
            await asyncio.to_thread(stop, first, signal.SIGKILL)
        b_url = f"http://127.0.0.1:{port_b}"
        # The deliveries that failed meanwhile are retried on the other process, as by Meta.
        urls[:] = [b_url]
        with serving(
            ["serve", "--port", str(port_b)], env, [f"{b_url}/healthz"], tmp_path / "b.log"
        ):
            sent = await writing
            await drained(url, timeout=120)
        wamids, problems = await stored(url)
    assert len(sent) == CUSTOMERS * MESSAGES
    assert len(wamids) == len(set(wamids)), "a message stored twice"
    assert set(wamids) == sent, "a message answered 200 but never stored"
    assert problems == [], problems
