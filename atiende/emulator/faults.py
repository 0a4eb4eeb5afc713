"""Failures on demand, for testing how the app copes: Graph sends that fail, webhooks that
arrive twice or out of order."""

import asyncio
import contextlib
from collections import deque
from dataclasses import dataclass
from typing import Final, Literal, get_args

from atiende.emulator.payloads import JSON, fbtrace_id, graph_error, status_error

FaultKind = Literal["http_500", "http_429_130429", "timeout", "131047", "131026", "131056"]
FAULT_KINDS: Final = get_args(FaultKind)
# Faults Meta reports in a failed status webhook after accepting the send with 200.
ASYNC_FAULTS: Final = frozenset({"131047", "131026"})


@dataclass(frozen=True)
class SyncFailure:
    status_code: int
    payload: JSON


def transient_error() -> JSON:
    """Graph's answer when something broke on its side; worth retrying."""
    return {
        "error": {
            "message": "An unexpected error has occurred. Please retry your request later.",
            "type": "OAuthException",
            "is_transient": True,
            "code": 2,
            "fbtrace_id": fbtrace_id(),
        }
    }


def throughput_error() -> JSON:
    return graph_error(
        "(#130429) Rate limit hit",
        code=130429,
        details="Cloud API message throughput has been reached.",
    )


def pair_rate_error() -> JSON:
    return graph_error(
        "(#131056) (Business Account, Consumer Account) pair rate limit hit",
        code=131056,
        details="Message failed to send because there were too many messages sent from this "
        "phone number to the same phone number in a short period of time.",
    )


def sync_failure(kind: FaultKind) -> SyncFailure:
    """What Graph answers for a fault that fails the request itself."""
    if kind == "http_500":
        return SyncFailure(500, transient_error())
    if kind == "http_429_130429":
        return SyncFailure(429, throughput_error())
    if kind == "131056":
        return SyncFailure(400, pair_rate_error())
    if kind == "timeout":
        # Only seen by a caller that waited out the hold; the message was not sent.
        return SyncFailure(503, transient_error())
    raise ValueError(f"{kind} is reported by webhook, not by the request")


def async_error(kind: FaultKind) -> JSON:
    """The `errors[0]` of the failed status for a fault Meta reports by webhook."""
    if kind == "131047":
        return status_error(
            131047,
            "Re-engagement message",
            "Message failed to send because more than 24 hours have passed since the "
            "customer last replied to this number.",
        )
    if kind == "131026":
        return status_error(131026, "Message undeliverable", "Message Undeliverable.")
    raise ValueError(f"{kind} fails the request itself")


class Faults:
    """A queue of faults for the next Graph sends, one per send, oldest first.

    A `timeout` holds its request for `hold_seconds` (longer than any sensible client
    timeout) or until the faults are cleared, then answers 503 without sending.
    """

    def __init__(self, hold_seconds: float) -> None:
        self.hold_seconds = hold_seconds
        self._pending: deque[FaultKind] = deque()
        self._release = asyncio.Event()
        self.held = 0

    def add(self, kind: FaultKind, count: int) -> None:
        self._pending.extend([kind] * count)

    def take(self) -> FaultKind | None:
        return self._pending.popleft() if self._pending else None

    def pending(self) -> list[FaultKind]:
        return list(self._pending)

    def clear(self) -> int:
        """Forget pending faults and let every held request go; says how many were held."""
        released = self.held
        self._pending.clear()
        self._release.set()
        self._release = asyncio.Event()
        return released

    async def hold(self) -> None:
        release = self._release
        self.held += 1
        try:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(release.wait(), self.hold_seconds)
        finally:
            self.held -= 1


@dataclass
class DeliveryModes:
    """`duplicate`: every webhook is delivered twice, as Meta's at-least-once delivery may.
    `reorder`: statuses come out of order — `sent` before the send's answer names the message,
    `read` before `delivered`."""

    duplicate: bool = False
    reorder: bool = False
