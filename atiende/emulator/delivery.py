"""Signed webhook delivery to the app, in order per customer, retried on Meta's schedule."""

import asyncio
import contextlib
import json
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any

import httpx

from atiende.channels.whatsapp.signature import HEADER, sign
from atiende.emulator.payloads import JSON
from atiende.emulator.retry import RetryPolicy


@dataclass(frozen=True)
class DeliveryResult:
    delivered: bool
    attempts: int
    last_error: str | None = None


@dataclass
class Delivery:
    lane: str
    payload: JSON
    body: bytes
    result: "asyncio.Future[DeliveryResult]"
    queued_at: float = field(default_factory=time.time)
    attempts: int = 0
    next_attempt_at: float | None = None
    outcome: str = "pending"
    last_error: str | None = None
    duplicated: bool = False

    def summary(self) -> dict[str, Any]:
        return {
            "lane": self.lane,
            "queued_at": self.queued_at,
            "attempts": self.attempts,
            "next_attempt_at": self.next_attempt_at,
            "outcome": self.outcome,
            "last_error": self.last_error,
            "duplicated": self.duplicated,
            "payload": self.payload,
        }


def encode(payload: JSON) -> bytes:
    # Meta escapes non-ASCII characters as \uXXXX and signs those exact bytes; an app that
    # verifies a re-serialised body instead of the raw one fails on "María", as it would
    # against Meta.
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=True).encode()


class WebhookSender:
    """One queue and one worker per lane (a customer), so a customer's webhooks keep their
    order while a retry for one customer does not hold up the others."""

    def __init__(
        self,
        url: str,
        app_secret: str,
        client: httpx.AsyncClient,
        policy: RetryPolicy,
        log_size: int = 500,
    ) -> None:
        self._url = url
        self._secret = app_secret
        self._client = client
        self._policy = policy
        self._queues: dict[str, asyncio.Queue[Delivery]] = {}
        self._workers: dict[str, asyncio.Task[None]] = {}
        self._running = False
        self.log: deque[Delivery] = deque(maxlen=log_size)
        # Meta delivers at least once: with this set, every delivered webhook comes again.
        self.duplicate = False

    def start(self) -> None:
        self._running = True

    async def stop(self) -> None:
        self._running = False
        workers = list(self._workers.values())
        for worker in workers:
            worker.cancel()
        for worker in workers:
            with contextlib.suppress(asyncio.CancelledError):
                await worker
        for queue in self._queues.values():
            while not queue.empty():
                self._settle(queue.get_nowait(), "abandoned")
        self._workers.clear()
        self._queues.clear()

    def submit(self, lane: str, payload: JSON) -> "asyncio.Future[DeliveryResult]":
        if not self._running:
            raise RuntimeError("the webhook sender is not running")
        loop = asyncio.get_running_loop()
        delivery = Delivery(lane, payload, encode(payload), loop.create_future())
        self.log.append(delivery)
        self._queue(lane).put_nowait(delivery)
        return delivery.result

    def _queue(self, lane: str) -> "asyncio.Queue[Delivery]":
        if lane not in self._queues:
            self._queues[lane] = asyncio.Queue()
            self._workers[lane] = asyncio.create_task(
                self._work(self._queues[lane]), name=f"emulator-webhooks-{lane}"
            )
        return self._queues[lane]

    async def _work(self, queue: "asyncio.Queue[Delivery]") -> None:
        while True:
            delivery = await queue.get()
            try:
                await self._deliver(delivery)
            except asyncio.CancelledError:
                self._settle(delivery, "abandoned")
                raise
            except Exception as exc:  # a bug here must not silence the customer's lane
                delivery.last_error = repr(exc)
                self._settle(delivery, "gave_up")

    async def _deliver(self, delivery: Delivery) -> None:
        first = time.monotonic()
        while True:
            delivery.attempts += 1
            delivery.next_attempt_at = None
            delivery.last_error = await self._post(delivery.body)
            if delivery.last_error is None:
                self._settle(delivery, "delivered")
                if self.duplicate:
                    delivery.duplicated = True
                    await self._post(delivery.body)
                return
            if self._policy.gives_up(delivery.attempts, time.monotonic() - first):
                self._settle(delivery, "gave_up")
                return
            pause = self._policy.delay_after(delivery.attempts)
            delivery.next_attempt_at = time.time() + pause
            await asyncio.sleep(pause)

    async def _post(self, body: bytes) -> str | None:
        headers = {
            "Content-Type": "application/json",
            HEADER: sign(body, self._secret),
            "User-Agent": "facebookexternalua",
        }
        try:
            response = await self._client.post(self._url, content=body, headers=headers)
        except httpx.HTTPError as exc:
            return f"{type(exc).__name__}: {exc}"
        if response.status_code != 200:
            return f"HTTP {response.status_code}"
        return None

    @staticmethod
    def _settle(delivery: Delivery, outcome: str) -> None:
        delivery.outcome = outcome
        if not delivery.result.done():
            result = DeliveryResult(outcome == "delivered", delivery.attempts, delivery.last_error)
            delivery.result.set_result(result)
