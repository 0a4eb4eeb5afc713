"""Webhook delivery: signed, ordered per customer, retried on Meta's schedule (7 days)."""

import asyncio
import itertools
from collections.abc import AsyncIterator

import httpx
import pytest

from atiende.channels.whatsapp.signature import HEADER, sign
from atiende.emulator.delivery import WebhookSender, encode
from atiende.emulator.recorder import WebhookRecorder
from atiende.emulator.retry import RetryPolicy

SECRET = "app-secret"
URL = "http://app.test/webhooks/whatsapp"
FAST = RetryPolicy(base_seconds=0.01, max_seconds=0.04, window_seconds=0.2)


@pytest.fixture
def recorder() -> WebhookRecorder:
    return WebhookRecorder(SECRET)


@pytest.fixture
async def sender(recorder: WebhookRecorder) -> AsyncIterator[WebhookSender]:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(recorder.app)) as client:
        webhooks = WebhookSender(URL, SECRET, client, FAST)
        webhooks.start()
        yield webhooks
        await webhooks.stop()


def test_backoff_doubles_and_is_capped() -> None:
    policy = RetryPolicy(base_seconds=0.5, max_seconds=4.0)

    assert [policy.delay_after(n) for n in range(1, 7)] == [0.5, 1.0, 2.0, 4.0, 4.0, 4.0]


def test_the_default_schedule_keeps_trying_for_seven_days_like_meta() -> None:
    retries = RetryPolicy().schedule()

    # An app restart slower than the old 13 s window is no longer a lost message: the first
    # retries come within seconds, then with decreasing frequency (at most an hour apart).
    assert retries[:4] == [1.0, 3.0, 7.0, 15.0]
    assert all(b - a <= 3600 for a, b in itertools.pairwise(retries))
    assert 7 * 24 * 3600 - 3600 < retries[-1] <= 7 * 24 * 3600


def test_a_time_scale_compresses_the_schedule_without_changing_its_shape() -> None:
    full, compressed = RetryPolicy().schedule(), RetryPolicy(time_scale=0.001).schedule()

    assert len(compressed) == len(full)
    assert compressed == pytest.approx([t * 0.001 for t in full])


def test_body_escapes_non_ascii_like_meta() -> None:
    assert encode({"name": "María"}) == b'{"name":"Mar\\u00eda"}'


async def test_each_delivery_is_signed_over_its_raw_body(
    sender: WebhookSender, recorder: WebhookRecorder
) -> None:
    result = await sender.submit("maria", {"hello": "María"})

    assert (result.delivered, result.attempts) == (True, 1)
    [received] = recorder.received
    assert received.signed_correctly
    assert received.signature == sign(received.body, SECRET)
    assert received.payload == {"hello": "María"}


async def test_retries_while_the_app_fails_then_succeeds(
    sender: WebhookSender, recorder: WebhookRecorder
) -> None:
    recorder.answer(500, 503)

    result = await sender.submit("maria", {"n": 1})

    assert (result.delivered, result.attempts) == (True, 3)
    assert [r.answered for r in recorder.received] == [500, 503, 200]
    assert all(
        r.signed_correctly and r.body == recorder.received[0].body for r in recorder.received
    )


async def test_gives_up_once_the_window_has_passed(
    sender: WebhookSender, recorder: WebhookRecorder
) -> None:
    recorder.answer(*[500] * 100)
    started = asyncio.get_running_loop().time()

    result = await sender.submit("maria", {"n": 1})

    assert (result.delivered, result.last_error) == (False, "HTTP 500")
    assert result.attempts == len(recorder.received) >= 4
    assert asyncio.get_running_loop().time() - started <= FAST.window + 0.5
    assert sender.log[-1].outcome == "gave_up"
    assert sender.log[-1].next_attempt_at is None


async def test_an_app_down_longer_than_a_few_attempts_still_gets_the_message(
    recorder: WebhookRecorder,
) -> None:
    # Meta's schedule compressed ten-thousandfold: 15 refusals span four hours of it.
    recorder.answer(*[503] * 15)
    policy = RetryPolicy(time_scale=0.0001)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(recorder.app)) as client:
        webhooks = WebhookSender(URL, SECRET, client, policy)
        webhooks.start()
        result = await webhooks.submit("maria", {"n": 1})
        await webhooks.stop()

    assert (result.delivered, result.attempts) == (True, 16)


async def test_a_customer_webhooks_stay_in_order_while_another_customer_is_not_held_up(
    sender: WebhookSender, recorder: WebhookRecorder
) -> None:
    recorder.answer(500)  # maria's first delivery fails once

    first = sender.submit("maria", {"n": 1})
    second = sender.submit("maria", {"n": 2})
    other = sender.submit("juan", {"n": 3})
    await asyncio.gather(first, second, other)

    accepted = [r.payload["n"] for r in recorder.accepted()]
    assert accepted.index(1) < accepted.index(2)
    assert accepted.index(3) < accepted.index(1)  # juan went through during maria's backoff


async def test_connection_errors_are_retried() -> None:
    calls = 0

    def flaky(request: httpx.Request) -> httpx.Response:
        nonlocal calls
        calls += 1
        if calls == 1:
            raise httpx.ConnectError("refused", request=request)
        return httpx.Response(200)

    async with httpx.AsyncClient(transport=httpx.MockTransport(flaky)) as client:
        webhooks = WebhookSender(URL, SECRET, client, FAST)
        webhooks.start()
        result = await webhooks.submit("maria", {})
        await webhooks.stop()

    assert (result.delivered, result.attempts) == (True, 2)


async def test_stopping_settles_what_was_still_queued(recorder: WebhookRecorder) -> None:
    recorder.answer(*[500] * 10)
    slow = RetryPolicy(base_seconds=10, max_seconds=10)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(recorder.app)) as client:
        webhooks = WebhookSender(URL, SECRET, client, slow)
        webhooks.start()
        first = webhooks.submit("maria", {"n": 1})
        second = webhooks.submit("maria", {"n": 2})
        await recorder.wait_for(1, only_200=False)  # refused; the retry is 10 s away
        await webhooks.stop()

    assert not (await first).delivered
    assert not (await second).delivered
    with pytest.raises(RuntimeError):
        webhooks.submit("maria", {})


async def test_signature_header_is_the_one_meta_uses(
    sender: WebhookSender, recorder: WebhookRecorder
) -> None:
    await sender.submit("maria", {})

    assert HEADER == "X-Hub-Signature-256"
    assert recorder.received[0].signature is not None
    assert recorder.received[0].signature.startswith("sha256=")
