"""A stand-in for the app's webhook endpoint, for tests of the emulator and of its users.

It records every delivery (raw body, signature check) and answers the status codes it is
told to, 200 once the script runs out.
"""

import asyncio
import json
from collections import deque
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI, Request, Response

from atiende.channels.whatsapp.signature import HEADER, verify


@dataclass(frozen=True)
class Received:
    body: bytes
    signature: str | None
    signed_correctly: bool
    answered: int

    @property
    def payload(self) -> Any:
        return json.loads(self.body)

    @property
    def value(self) -> Any:
        return self.payload["entry"][0]["changes"][0]["value"]


class WebhookRecorder:
    def __init__(self, app_secret: str, path: str = "/webhooks/whatsapp") -> None:
        self.app_secret = app_secret
        self.received: list[Received] = []
        self.script: deque[int] = deque()
        self._arrived = asyncio.Condition()
        self.app = FastAPI()
        self.app.add_api_route(path, self._receive, methods=["POST"])

    def answer(self, *status_codes: int) -> None:
        self.script.extend(status_codes)

    def accepted(self) -> list[Received]:
        return [r for r in self.received if r.answered == 200]

    def statuses(self) -> list[tuple[str, str]]:
        """(message id, status) of every accepted status webhook, in arrival order."""
        return [
            (s["id"], s["status"]) for r in self.accepted() for s in r.value.get("statuses", [])
        ]

    async def wait_for(
        self, count: int, within: float = 2.0, *, only_200: bool = True
    ) -> list[Received]:
        """Until `count` deliveries arrived (by default: were answered 200)."""

        def seen() -> list[Received]:
            return self.accepted() if only_200 else self.received

        async with asyncio.timeout(within), self._arrived:
            await self._arrived.wait_for(lambda: len(seen()) >= count)
        return seen()

    async def _receive(self, request: Request) -> Response:
        body = await request.body()
        signature = request.headers.get(HEADER)
        answer = self.script.popleft() if self.script else 200
        signed = verify(body, self.app_secret, signature)
        async with self._arrived:
            self.received.append(Received(body, signature, signed, answer))
            self._arrived.notify_all()
        return Response(status_code=answer)
