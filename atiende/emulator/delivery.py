"""Signed webhook delivery to the app, in order per customer, retried with backoff."""

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


@dataclass(frozen=True)
class RetryPolicy:
    base_seconds: float
    max_seconds: float
    max_attempts: int

    def delay_after(self, attempt: int) -> float:
        """Pause before the next attempt once attempt number `attempt` (from 1) failed."""
        return float(min(self.max_seconds, self.base_seconds * 2 ** (attempt - 1)))


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
    outcome: str = "pending"
    last_error: str | None = None
    duplicated: bool = False

    def summary(self) -> dict[str, Any]:
        return {
            "lane": self.lane,
            "queued_at": self.queued_at,
            "attempts": self.attempts,
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
        while True:
            delivery.attempts += 1
            delivery.last_error = await self._post(delivery.body)
            if delivery.last_error is None:
                self._settle(delivery, "delivered")
                if self.duplicate:
                    delivery.duplicated = True
                    await self._post(delivery.body)
                return
            if delivery.attempts >= self._policy.max_attempts:
                self._settle(delivery, "gave_up")
                return
            await asyncio.sleep(self._policy.delay_after(delivery.attempts))

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
