"""The sockets connected to this process, by user, and delivery of envelopes to them."""

import asyncio
import contextlib
import logging
from collections import defaultdict

from starlette.websockets import WebSocket

from atiende.realtime.events import Envelope

log = logging.getLogger(__name__)


class Hub:
    def __init__(self) -> None:
        self._sockets: dict[int, set[WebSocket]] = defaultdict(set)

    def add(self, user_id: int, ws: WebSocket) -> None:
        self._sockets[user_id].add(ws)

    def remove(self, user_id: int, ws: WebSocket) -> None:
        sockets = self._sockets.get(user_id)
        if sockets is None:
            return
        sockets.discard(ws)
        if not sockets:
            del self._sockets[user_id]

    def connected_users(self) -> list[int]:
        return list(self._sockets)

    async def deliver(self, envelope: Envelope) -> None:
        text = envelope.event.model_dump_json()
        targets = [ws for uid in envelope.recipients for ws in self._sockets.get(uid, ())]
        if targets:
            await asyncio.gather(*(self._send(ws, text) for ws in targets))

    @staticmethod
    async def _send(ws: WebSocket, text: str) -> None:
        # A socket that died mid-send is cleaned up by its own receive loop.
        with contextlib.suppress(Exception):
            await ws.send_text(text)
