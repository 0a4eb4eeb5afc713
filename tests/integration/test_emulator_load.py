"""The load generator against a tiny receiver on 127.0.0.1: signed webhooks at a steady rate,
open loop, counted and timed."""

import asyncio
import json
import math
import subprocess
import sys
import time
from collections import Counter

import pytest
from fastapi import FastAPI, Request, Response

from atiende.channels.whatsapp.signature import HEADER, verify
from atiende.emulator.load import build_webhook, run_load, synthetic_customers
from atiende.emulator.payloads import BusinessNumber
from atiende.emulator.recorder import WebhookRecorder
from tests.integration.test_emulator_server import free_port, quiet, serving

SECRET = "load-secret"
BUSINESS = BusinessNumber("102290129340398", "106540352242922", "15550783881")


async def test_a_short_run_sends_every_webhook_signed_at_the_rate() -> None:
    recorder = WebhookRecorder(SECRET)
    port = free_port()
    customers = synthetic_customers(7)

    async with serving(quiet(recorder.app, port)):
        result = await run_load(
            f"http://127.0.0.1:{port}",
            SECRET,
            BUSINESS,
            customers,
            rate_per_second=40,
            duration_seconds=1.0,
            mix={"text": 0.5, "image": 0.25, "location": 0.25},
            seed=3,
        )

    assert (result.sent, result.failed, result.dropped) == (40, 0, 0)
    assert 0.9 < result.duration_seconds < 2.5
    assert 0 < result.p50 <= result.p90 <= result.p99 <= result.max < 1
    assert len(recorder.received) == 40
    assert all(r.signed_correctly for r in recorder.received)
    kinds = Counter(r.value["messages"][0]["type"] for r in recorder.received)
    assert kinds == result.by_kind
    assert set(kinds) == {"text", "image", "location"}
    senders = {r.value["messages"][0]["from_user_id"] for r in recorder.received}
    assert senders == {c.bsuid for c in customers}
    summary = result.summary()
    assert summary["sent"] == 40 and summary["latency_ms"]["p99"] is not None


async def test_open_loop_a_slow_app_makes_latency_grow_not_the_rate_drop() -> None:
    app = FastAPI()
    answered = 0

    @app.post("/webhooks/whatsapp")
    async def slow(request: Request) -> Response:
        nonlocal answered
        body = await request.body()
        assert verify(body, SECRET, request.headers.get(HEADER))
        await asyncio.sleep(0.3)
        answered += 1
        return Response(status_code=500 if answered % 5 == 0 else 200)

    port = free_port()
    async with serving(quiet(app, port)):
        started = time.monotonic()
        result = await run_load(
            f"http://127.0.0.1:{port}",
            SECRET,
            BUSINESS,
            synthetic_customers(3),
            rate_per_second=20,
            duration_seconds=0.5,
            seed=1,
        )
        elapsed = time.monotonic() - started

    assert result.attempted == 10
    assert result.failed == 2 and result.errors == {"HTTP 500": 2}
    assert elapsed < 1.5, "requests overlapped instead of waiting for one another"
    assert result.p50 >= 0.3


async def test_an_app_that_is_down_counts_as_failures() -> None:
    result = await run_load(
        f"http://127.0.0.1:{free_port()}",
        SECRET,
        BUSINESS,
        synthetic_customers(1),
        rate_per_second=10,
        duration_seconds=0.3,
    )

    assert (result.sent, result.failed) == (0, 3)
    assert result.errors == {"ConnectError": 3}
    assert math.isnan(result.p50)


async def test_bad_arguments_are_refused() -> None:
    customers = synthetic_customers(1)
    with pytest.raises(ValueError, match="unknown kinds"):
        await run_load("http://x", SECRET, BUSINESS, customers, 1, 1, {"video": 1.0})
    with pytest.raises(ValueError, match="positive"):
        await run_load("http://x", SECRET, BUSINESS, customers, 0, 1)
    with pytest.raises(ValueError, match="customer"):
        await run_load("http://x", SECRET, BUSINESS, [], 1, 1)


def test_synthetic_customers_and_webhooks_look_like_meta() -> None:
    import random

    customers = synthetic_customers(10)
    assert len({c.bsuid for c in customers}) == 10
    assert sum(c.phone is None for c in customers) == 2
    webhook = build_webhook(BUSINESS, customers[4], "location", random.Random(1), 1.0)
    message = webhook["entry"][0]["changes"][0]["value"]["messages"][0]
    assert "from" not in message and message["type"] == "location"


def test_the_command_line_has_help() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "atiende.emulator.load", "--help"],
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    assert "--rate" in done.stdout and "--mix" in done.stdout


def test_the_command_line_runs_and_reports_json() -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "atiende.emulator.load",
            "--app-url",
            f"http://127.0.0.1:{free_port()}",
            "--secret",
            SECRET,
            "--rate",
            "10",
            "--duration",
            "0.2",
            "--mix",
            "text=1",
        ],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert done.returncode == 1  # nothing listens there: every webhook failed
    assert json.loads(done.stdout)["failed"] == 2
