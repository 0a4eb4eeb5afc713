"""The sockets connected to this process, by user and session, and delivery of events to them.

Delivery never waits for a socket: each socket has its own queue of frames, written at once
while the socket keeps up. Under `atiende serve` that is the event's frame, built once, written
to the socket's transport (`direct`); elsewhere a send through ASGI (see `eager`). One that
falls `BEHIND` frames behind (a stalled network, a frozen tab) is closed rather than buffered
without end; its tab reconnects and reloads its snapshot, as after any drop.
"""

import asyncio
import contextlib
import logging
import time
from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from starlette.websockets import WebSocket

from atiende.metrics import Metrics
from atiende.realtime.direct import DirectWrites, text_frame
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
# Sockets written per turn of the event loop (see `Hub._pump`): ~10-20 ms of direct writes
# here. Whatever else the loop does runs between two slices (a routing pass can take tens of
# milliseconds), so the last socket of a broadcast waits that long for each slice before its
# own: fewer, longer slices bring it its event sooner.
SLICE = 1024


@dataclass(frozen=True, slots=True)
class _Out:
    """One event as every socket is sent it: its text, and its frame for direct writes."""

    text: str
    frame: bytes


@dataclass(eq=False, slots=True)
class _Peer:
    user_id: int
    ws: WebSocket
    session: str | None
    # The socket's transport, when the server offers it (`direct`).
    direct: DirectWrites | None = None
    pending: deque[_Out] = field(default_factory=deque)
    sending: bool = False
    # Out of the hub: a fan-out still under way skips it.
    gone: bool = False
    # The task of a send that had to wait, kept referenced until done.
    task: asyncio.Task[None] | None = None

    def push(self, outs: Sequence[_Out]) -> bool:
        """Queue frames, in their order; False when the socket is too far behind to take
        them (the one being sent counts: it leaves `pending` once sent)."""
        direct = self.direct
        # Nothing is queued unless `sending`, so a socket that keeps up is written without
        # its queue being looked at: at thousands of sockets, each object a write reads is
        # a cache miss of its own.
        if not self.sending and direct is not None and not direct.paused:
            if len(outs) > BEHIND:
                return False
            # A closed socket's write is a no-op, and its receive loop takes it out of the hub.
            direct.write_frames(outs[0].frame if len(outs) == 1 else _joined(outs))
            return True
        if len(self.pending) + len(outs) > BEHIND:
            return False
        self.pending.extend(outs)
        if not self.sending:
            self.task = start_now(self._drain() if direct is None else self._drain_direct(direct))
        return True

    async def _drain(self) -> None:
        self.sending = True
        try:
            while self.pending:
                await self.ws.send_text(self.pending[0].text)
                if self.pending:  # not emptied by `Hub.remove` meanwhile
                    self.pending.popleft()
        except Exception:
            # Gone mid-send: its own receive loop takes it out of the hub.
            self.pending.clear()
        finally:
            self.sending = False
            self.task = None

    async def _drain_direct(self, direct: DirectWrites) -> None:
        """Wait for the transport to take data again, then write all that queued meanwhile
        in one go."""
        self.sending = True
        try:
            while self.pending:
                await direct.writable.wait()
                if self.gone:
                    break
                batch = _joined(self.pending)
                self.pending.clear()
                if not direct.write_frames(batch):
                    break
        finally:
            self.pending.clear()
            self.sending = False
            self.task = None


def _joined(outs: Iterable[_Out]) -> bytes:
    return b"".join(out.frame for out in outs)


@dataclass(slots=True)
class _Fanout:
    out: _Out
    peers: list[_Peer]
    started: float


class Hub:
    def __init__(self, metrics: Metrics | None = None) -> None:
        self._metrics = metrics
        self._sockets: dict[int, dict[WebSocket, _Peer]] = {}
        # Each user's sockets as a tuple, what a fan-out reads: no view or iterator of a
        # dict to build per recipient.
        self._reach: dict[int, tuple[_Peer, ...]] = {}
        # Supervisors' and admins' sockets: the room that hears every campaign (role at connect;
        # a change of role closes the user's sockets).
        self._staff: dict[WebSocket, _Peer] = {}
        self._closing: set[asyncio.Task[None]] = set()
        # Fan-outs not yet begun, in the order they were delivered.
        self._fanouts: deque[_Fanout] = deque()
        # The writes left of the fan-outs under way (`_merge`): each socket, and its frames.
        # Two flat lists rather than a pair per socket: thousands of small objects living
        # through a fan-out would be promoted by the garbage collector into the generation
        # that holds every socket, whose full passes (hundreds of ms at 5,000 sockets) they
        # would then bring on more often.
        self._peers: list[_Peer] = []
        self._outs: list[Sequence[_Out]] = []
        self._working: list[_Fanout] = []
        self._pumping = False

    def add(
        self,
        user_id: int,
        ws: WebSocket,
        session_id: str | None = None,
        *,
        staff: bool = False,
        direct: DirectWrites | None = None,
    ) -> None:
        peer = _Peer(user_id, ws, session_id, direct)
        sockets = self._sockets.setdefault(user_id, {})
        sockets[ws] = peer
        self._reach[user_id] = tuple(sockets.values())
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
        if sockets:
            self._reach[user_id] = tuple(sockets.values())
        else:
            del self._sockets[user_id]
            del self._reach[user_id]

    def hears(self, recipients: list[int], staff: bool) -> bool:
        """Whether any socket here would be sent an event for these recipients (and the staff
        room, when `staff`)."""
        if staff and self._staff:
            return True
        sockets = self._sockets
        return any(uid in sockets for uid in recipients)

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
        reach, recipients = self._reach, frame.recipients
        targets = [p for uid in recipients for p in reach.get(uid, ())]
        if frame.staff:
            targets = list(set(targets).union(self._staff.values()))
        elif len(set(recipients)) < len(recipients):
            targets = list(set(targets))
        if not targets:
            return
        out = _Out(frame.text, text_frame(frame.text))
        self._fanouts.append(_Fanout(out, targets, time.perf_counter()))
        if not self._pumping:
            self._pump()

    def _pump(self) -> None:
        """Write to up to `SLICE` sockets and come back on the loop's next turn for the rest:
        a broadcast to thousands of sockets lets requests run between its slices. The
        fan-outs delivered meanwhile are begun together once these end, so every socket
        still gets its frames in the order they were published."""
        budget = SLICE
        while budget > 0:
            if not self._peers:
                self._done()
                if not self._fanouts:
                    break
                self._merge()
            peers, outs = self._peers, self._outs
            while peers and budget > 0:
                self._push(peers.pop(), outs.pop())
                budget -= 1
        if not self._peers:
            self._done()
        self._pumping = bool(self._peers or self._fanouts)
        if self._pumping:
            asyncio.get_running_loop().call_soon(self._pump)

    def _merge(self) -> None:
        """The writes of every fan-out waiting: a socket that several reach (a burst, or a
        process that fell behind) is written their frames at once, in their order."""
        self._working = list(self._fanouts)
        self._fanouts.clear()
        if len(self._working) == 1:
            fanout = self._working[0]
            self._peers = fanout.peers
            self._outs = [(fanout.out,)] * len(fanout.peers)
            return
        # Which fan-outs reach each socket, as the bits of an int (not an object to collect).
        reach: dict[_Peer, int] = {}
        for bit, fanout in enumerate(self._working):
            for peer in fanout.peers:
                reach[peer] = reach.get(peer, 0) | 1 << bit
        frames = {
            mask: tuple(f.out for bit, f in enumerate(self._working) if mask >> bit & 1)
            for mask in set(reach.values())
        }
        self._peers = list(reach)
        self._outs = [frames[mask] for mask in reach.values()]

    def _done(self) -> None:
        if self._metrics is not None:
            now = time.perf_counter()
            for fanout in self._working:
                self._metrics.event_seconds.observe(now - fanout.started)
                self._metrics.events.inc()
        self._working = []

    def _push(self, peer: _Peer, outs: Sequence[_Out]) -> None:
        if peer.gone or peer.push(outs):
            return
        log.warning("a socket of user %s fell %s events behind: closed", peer.user_id, BEHIND)
        self.remove(peer.user_id, peer.ws)
        self._close_peer(peer, CLOSE_BEHIND)
        if self._metrics is not None:
            self._metrics.sockets_behind.inc()

    def _close(self, user_ids: list[int], sessions: set[str]) -> None:
        doomed = [
            peer
            for uid in user_ids
            for peer in list(self._sockets.get(uid, {}).values())
            if ALL_SESSIONS in sessions or peer.session in sessions
        ]
        # Out of the hub first: not one more event reaches a socket whose session ended.
        for peer in doomed:
            self.remove(peer.user_id, peer.ws)
        for peer in doomed:
            self._close_peer(peer, CLOSE_UNAUTHENTICATED)

    def _close_peer(self, peer: _Peer, code: int) -> None:
        if peer.direct is not None:
            # After the frames it was written, without waiting for a stalled one to drain.
            peer.direct.close_now(code)
            return
        task = start_now(_close_one(peer.ws, code))
        if task is not None:
            self._closing.add(task)
            task.add_done_callback(self._closing.discard)


async def _close_one(ws: WebSocket, code: int) -> None:
    with contextlib.suppress(Exception):
        await ws.close(code=code)
