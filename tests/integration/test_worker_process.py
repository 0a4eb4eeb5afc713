"""`atiende serve` with ATIENDE_INBOX_PROCESSOR=off only answers the webhooks; `atiende worker`
processes apply them. While no worker runs, the deliveries answered 200 wait in the inbox,
and the next worker to start applies them (real processes, PostgreSQL and Redis)."""

import asyncio
import json
import signal
import time
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import create_async_engine

from atiende.channels.whatsapp.signature import HEADER, sign
from atiende.db.models import InboxDelivery, Message
from atiende.emulator import payloads
from tests.burst import BUSINESS, customers
from tests.inbox import drained
from tests.pg import fresh_database
from tests.procs import free_port, run, serving, stop, working
from tests.services import REDIS_URL, require_redis

SECRET = "worker-secret"


async def deliver(base: str, wamid: str, text: str) -> None:
    customer = customers(3)[len(text) % 3]
    body = json.dumps(
        payloads.inbound_text_webhook(BUSINESS, customer, wamid, text, time.time())
    ).encode()
    async with httpx.AsyncClient(timeout=30) as http:
        answer = await http.post(
            f"{base}/webhooks/whatsapp",
            content=body,
            headers={HEADER: sign(body, SECRET), "Content-Type": "application/json"},
        )
    assert answer.status_code == 200, answer.text


async def counts(url: str) -> tuple[int, set[str]]:
    """Deliveries waiting in the inbox, and the customers' messages stored."""
    engine = create_async_engine(url)
    try:
        async with engine.connect() as c:
            waiting = await c.scalar(select(func.count()).select_from(InboxDelivery))
            stored = await c.scalars(select(Message.wa_message_id).where(Message.direction == "in"))
            return int(waiting or 0), {m for m in stored if m}
    finally:
        await engine.dispose()


async def test_serve_answers_and_a_worker_process_applies(tmp_path: Path) -> None:
    require_redis()
    with fresh_database("atiende_worker") as url:
        env = {
            "ATIENDE_DATABASE_URL": url,
            "ATIENDE_REDIS_URL": REDIS_URL,
            "ATIENDE_WORKER_POLL_SECONDS": "0.2",
        }
        await asyncio.to_thread(run, ["demo", "--seed-only", "--app-secret", SECRET], env)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        answering = {**env, "ATIENDE_INBOX_PROCESSOR": "off"}
        with serving(
            ["serve", "--port", str(port)], answering, [f"{base}/healthz"], tmp_path / "serve.log"
        ):
            await deliver(base, "wamid.W1", "antes del worker")
            # Five of the server's polls: it applies nothing itself.
            await asyncio.sleep(1.0)
            assert await counts(url) == (1, set())

            with working(env, tmp_path / "worker-1.log") as worker:
                await drained(url, timeout=60)
                assert await counts(url) == (0, {"wamid.W1"})
                await deliver(base, "wamid.W2", "con el worker")
                await drained(url, timeout=60)
            # SIGTERM: the worker finishes its batch and exits cleanly.
            assert worker.returncode == 0, (tmp_path / "worker-1.log").read_text()

            with working(env, tmp_path / "worker-2.log") as killed:
                await asyncio.to_thread(stop, killed, signal.SIGKILL)
            await deliver(base, "wamid.W3", "sin worker")
            await deliver(base, "wamid.W4", "sin worker aún")
            await asyncio.sleep(1.0)
            waiting, stored = await counts(url)
            assert (waiting, stored) == (2, {"wamid.W1", "wamid.W2"}), "kept in the inbox"

            with working(env, tmp_path / "worker-3.log"):
                await drained(url, timeout=60)
        assert await counts(url) == (0, {"wamid.W1", "wamid.W2", "wamid.W3", "wamid.W4"})


def test_without_redis_neither_side_starts(tmp_path: Path) -> None:
    """The worker's events would reach no agent's socket: refused rather than silently
    applied where nobody hears them."""
    env = {
        "ATIENDE_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'a.db'}",
        "ATIENDE_REDIS_URL": "",
    }
    for args, extra in ((["worker"], {}), (["serve"], {"ATIENDE_INBOX_PROCESSOR": "off"})):
        with pytest.raises(RuntimeError, match="needs ATIENDE_REDIS_URL"):
            run(args, {**env, **extra})
