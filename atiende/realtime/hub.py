"""The sockets connected to this process, by user and session, and delivery of envelopes
to them."""

import asyncio
import contextlib
import logging
import time
from collections import defaultdict

from starlette.websockets import WebSocket

from atiende.metrics import Metrics
from atiende.realtime.events import ALL_SESSIONS, Envelope

log = logging.getLogger(__name__)

# Close codes in the application range: the client tells "log in again" from "retry".
CLOSE_UNAUTHENTICATED = 4401
CLOSE_FORBIDDEN_ORIGIN = 4403


class Hub:
    def __init__(self, metrics: Metrics | None = None) -> None:
        self._metrics = metrics
        # Each socket with the session (digest) that opened it.
        self._sockets: dict[int, dict[WebSocket, str | None]] = defaultdict(dict)
        # Supervisors' and admins' sockets: the room that hears every campaign (role at connect;
        # a change of role closes the user's sockets).
        self._staff: set[WebSocket] = set()

    def add(
        self, user_id: int, ws: WebSocket, session_id: str | None = None, *, staff: bool = False
    ) -> None:
        self._sockets[user_id][ws] = session_id
        if staff:
            self._staff.add(ws)

    def remove(self, user_id: int, ws: WebSocket) -> None:
        sockets = self._sockets.get(user_id)
        if sockets is None:
            return
        sockets.pop(ws, None)
        self._staff.discard(ws)
        if not sockets:
            del self._sockets[user_id]

    def connected_users(self) -> list[int]:
        return list(self._sockets)

    def socket_count(self) -> int:
        return sum(len(s) for s in self._sockets.values())

    def sessions(self) -> set[str]:
        """The sessions this process holds sockets of."""
        return {s for sockets in self._sockets.values() for s in sockets.values() if s}

    async def close_sessions(self, sessions: set[str]) -> None:
        await self._close(list(self._sockets), sessions)

    async def deliver(self, envelope: Envelope) -> None:
        if envelope.close_sessions:
            await self._close(envelope.recipients, set(envelope.close_sessions))
        if envelope.event is None:
            return
        text = envelope.event.model_dump_json()
        targets = {ws for uid in envelope.recipients for ws in self._sockets.get(uid, {})}
        if envelope.staff:
            targets |= self._staff
        if targets:
            started = time.perf_counter()
            await asyncio.gather(*(self._send(ws, text) for ws in targets))
            if self._metrics is not None:
                self._metrics.event_seconds.observe(time.perf_counter() - started)
                self._metrics.events.inc()

    async def _close(self, user_ids: list[int], sessions: set[str]) -> None:
        doomed = [
            (uid, ws)
            for uid in user_ids
            for ws, session in list(self._sockets.get(uid, {}).items())
            if ALL_SESSIONS in sessions or session in sessions
        ]
        # Out of the hub first: not one more event reaches a socket whose session ended.
        for uid, ws in doomed:
            self.remove(uid, ws)
        await asyncio.gather(*(self._close_one(ws) for _, ws in doomed))

    @staticmethod
    async def _close_one(ws: WebSocket) -> None:
        with contextlib.suppress(Exception):
            await ws.close(code=CLOSE_UNAUTHENTICATED)

    @staticmethod
    async def _send(ws: WebSocket, text: str) -> None:
        # A socket that died mid-send is cleaned up by its own receive loop.
        with contextlib.suppress(Exception):
            await ws.send_text(text)
