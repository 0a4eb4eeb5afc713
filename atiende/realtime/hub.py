"""The sockets connected to this process, by user and session, and delivery of events to them.

Delivery never waits for a socket: each socket has its own queue of frames, written at once
while the socket keeps up (see `eager`). One that falls `BEHIND` frames behind (a stalled
network, a frozen tab) is closed rather than buffered without end; its tab reconnects and
reloads its snapshot, as after any drop.
"""

import asyncio
import contextlib
import logging
import time
from collections import deque
from dataclasses import dataclass, field

from starlette.websockets import WebSocket

from atiende.metrics import Metrics
from atiende.realtime.eager import start_now
from atiende.realtime.events import ALL_SESSIONS
from atiende.realtime.wire import Frame

log = logging.getLogger(__name__)

# Close codes in the application range: the client tells "log in again" from "retry".
CLOSE_UNAUTHENTICATED = 4401
CLOSE_FORBIDDEN_ORIGIN = 4403
# Standard "try again later": the socket fell behind; reconnecting resyncs it.
CLOSE_BEHIND = 1013
# Frames waiting for one socket before it is dropped: far more than a burst of events for
# one agent, far fewer than would make thousands of stalled sockets a memory problem.
BEHIND = 500
# Frames written per turn of the event loop (see `Hub._pump`).
SLICE = 256


@dataclass(eq=False, slots=True)
class _Peer:
    user_id: int
    ws: WebSocket
    session: str | None
    pending: deque[str] = field(default_factory=deque)
    sending: bool = False
    # Out of the hub: a fan-out still under way skips it.
    gone: bool = False
    # The task of a send that had to wait, kept referenced until done.
    task: asyncio.Task[None] | None = None

    def push(self, text: str) -> bool:
        """Queue a frame; False when the socket is too far behind to take it (counting the
        one being sent)."""
        if len(self.pending) + self.sending >= BEHIND:
            return False
        self.pending.append(text)
        if not self.sending:
            self.task = start_now(self._drain())
        return True

    async def _drain(self) -> None:
        self.sending = True
        try:
            while self.pending:
                text = self.pending.popleft()
                await self.ws.send_text(text)
        except Exception:
            # Gone mid-send: its own receive loop takes it out of the hub.
            self.pending.clear()
        finally:
            self.sending = False
            self.task = None


@dataclass(slots=True)
class _Fanout:
    text: str
    peers: list[_Peer]
    started: float


class Hub:
    def __init__(self, metrics: Metrics | None = None) -> None:
        self._metrics = metrics
        self._sockets: dict[int, dict[WebSocket, _Peer]] = {}
        # Supervisors' and admins' sockets: the room that hears every campaign (role at connect;
        # a change of role closes the user's sockets).
        self._staff: dict[WebSocket, _Peer] = {}
        self._closing: set[asyncio.Task[None]] = set()
        # Fan-outs not yet written to every socket, in the order they were delivered.
        self._fanouts: deque[_Fanout] = deque()
        self._pumping = False

    def add(
        self, user_id: int, ws: WebSocket, session_id: str | None = None, *, staff: bool = False
    ) -> None:
        peer = _Peer(user_id, ws, session_id)
        self._sockets.setdefault(user_id, {})[ws] = peer
        if staff:
            self._staff[ws] = peer

    def remove(self, user_id: int, ws: WebSocket) -> None:
        sockets = self._sockets.get(user_id)
        if sockets is None:
            return
        peer = sockets.pop(ws, None)
        if peer is not None:
            peer.gone = True
            peer.pending.clear()
        self._staff.pop(ws, None)
        if not sockets:
            del self._sockets[user_id]

    def connected_users(self) -> list[int]:
        return list(self._sockets)

    def socket_count(self) -> int:
        return sum(len(s) for s in self._sockets.values())

    def sessions(self) -> set[str]:
        """The sessions this process holds sockets of."""
        return {p.session for peers in self._sockets.values() for p in peers.values() if p.session}

    async def close_sessions(self, sessions: set[str]) -> None:
        self._close(list(self._sockets), sessions)

    def deliver(self, frame: Frame) -> None:
        if frame.close_sessions:
            self._close(frame.recipients, set(frame.close_sessions))
        if frame.text is None:
            return
        targets = {p for uid in frame.recipients for p in self._sockets.get(uid, {}).values()}
        if frame.staff:
            targets.update(self._staff.values())
        if not targets:
            return
        self._fanouts.append(_Fanout(frame.text, list(targets), time.perf_counter()))
        if not self._pumping:
            self._pump()

    def _pump(self) -> None:
        """Write up to `SLICE` frames, oldest fan-out first, and come back on the loop's next
        turn for the rest: a broadcast to thousands of sockets lets requests run between its
        slices, and every socket still gets its frames in the order they were published."""
        budget = SLICE
        while self._fanouts and budget > 0:
            fanout = self._fanouts[0]
            while fanout.peers and budget > 0:
                self._push(fanout.peers.pop(), fanout.text)
                budget -= 1
            if not fanout.peers:
                self._fanouts.popleft()
                if self._metrics is not None:
                    self._metrics.event_seconds.observe(time.perf_counter() - fanout.started)
                    self._metrics.events.inc()
        self._pumping = bool(self._fanouts)
        if self._pumping:
            asyncio.get_running_loop().call_soon(self._pump)

    def _push(self, peer: _Peer, text: str) -> None:
        if peer.gone or peer.push(text):
            return
        log.warning("a socket of user %s fell %s events behind: closed", peer.user_id, BEHIND)
        self.remove(peer.user_id, peer.ws)
        self._spawn_close(peer.ws, CLOSE_BEHIND)
        if self._metrics is not None:
            self._metrics.sockets_behind.inc()

    def _close(self, user_ids: list[int], sessions: set[str]) -> None:
        doomed = [
            (uid, ws)
            for uid in user_ids
            for ws, peer in list(self._sockets.get(uid, {}).items())
            if ALL_SESSIONS in sessions or peer.session in sessions
        ]
        # Out of the hub first: not one more event reaches a socket whose session ended.
        for uid, ws in doomed:
            self.remove(uid, ws)
        for _, ws in doomed:
            self._spawn_close(ws, CLOSE_UNAUTHENTICATED)

    def _spawn_close(self, ws: WebSocket, code: int) -> None:
        task = start_now(_close_one(ws, code))
        if task is not None:
            self._closing.add(task)
            task.add_done_callback(self._closing.discard)


async def _close_one(ws: WebSocket, code: int) -> None:
    with contextlib.suppress(Exception):
        await ws.close(code=code)
