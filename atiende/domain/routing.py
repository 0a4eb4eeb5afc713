"""Which eligible agent gets the next queued attention (SPEC §3.2)."""

import bisect
import heapq
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from atiende.domain.kinds import Presence, RoutingMode

MODES = tuple(RoutingMode)


@dataclass(frozen=True)
class Candidate:
    agent_id: int
    status: str
    capacity: int
    active: int
    last_seen_at: datetime | None
    last_assigned_at: datetime | None
    campaign_capacity: int = 1_000_000
    campaign_active: int = 0


def is_eligible(c: Candidate, now: datetime, presence_grace: timedelta) -> bool:
    """Available, connected recently, and under both his capacities."""
    connected = c.last_seen_at is not None and c.last_seen_at >= now - presence_grace
    under = c.active < c.capacity and c.campaign_active < c.campaign_capacity
    return c.status == Presence.AVAILABLE and connected and under


def room_of(c: Candidate) -> int:
    """How many more he can take in this campaign: the smaller of his two free capacities."""
    return max(min(c.capacity - c.active, c.campaign_capacity - c.campaign_active), 0)


def _least_busy_key(c: Candidate) -> tuple[int, int, float, int, int]:
    """Fewest active first; ties go to whoever has waited longest since his last assignment
    (never assigned: longest of all), then by id. The fourth item orders those a plan gave
    one to at the same instant."""
    if c.last_assigned_at is None:
        return (c.active, 0, 0.0, 0, c.agent_id)
    return (c.active, 1, c.last_assigned_at.timestamp(), 0, c.agent_id)


def must_park(reassignments_in_segment: int, max_reassignments: int) -> bool:
    """After more reassignments than the campaign allows, it waits queued."""
    return reassignments_in_segment > max_reassignments


# A queued attention as a plan sees it: its id, and the agent it must avoid (or None).
Queued = tuple[int, int | None]


def plan(
    mode: str,
    candidates: Sequence[Candidate],
    queue: Sequence[Queued],
    last_agent_id: int | None,
    now: datetime,
    *,
    only_agent: int | None = None,
    rng: random.Random | None = None,
) -> list[tuple[int, int]]:
    """(attention, agent) for the head of `queue`, oldest first, each chosen by the campaign's
    mode as if the ones before had been assigned: least busy, round robin after the last one
    served (by id, wrapping around), or at random. An attention taken from an agent goes to
    someone else unless he is the only one with room. It stops at the first attention no one
    can take, so a newer one never goes ahead of it. `candidates` are the eligible ones
    (`is_eligible`). With `only_agent`, only he takes any, and not one meant to avoid him
    while someone else could take it.
    """
    seats = {c.agent_id: room_of(c) for c in candidates}
    seats = {a: n for a, n in seats.items() if n > 0}
    if only_agent is not None:
        return _plan_for(only_agent, seats, queue)
    picker: _Picker
    if mode == RoutingMode.ROUND_ROBIN:
        picker = _RoundRobin(seats, last_agent_id)
    elif mode == "random":
        picker = _Random(seats, rng or random.Random())
    else:
        picker = _LeastBusy([c for c in candidates if c.agent_id in seats], now)
    chosen: list[tuple[int, int]] = []
    for attention_id, excluded in queue:
        agent = picker.pick(excluded)
        if agent is None:
            break
        seats[agent] -= 1
        picker.took(agent, seats[agent])
        chosen.append((attention_id, agent))
    return chosen


def _plan_for(agent: int, seats: dict[int, int], queue: Sequence[Queued]) -> list[tuple[int, int]]:
    room = seats.get(agent, 0)
    someone_else = any(a != agent for a in seats)
    chosen: list[tuple[int, int]] = []
    for attention_id, excluded in queue[:room]:
        if excluded == agent and someone_else:
            break
        chosen.append((attention_id, agent))
    return chosen


class _Picker:
    def pick(self, excluded: int | None) -> int | None:
        """The next agent, not `excluded` unless he is the only one with room; None: nobody."""
        raise NotImplementedError

    def took(self, agent: int, room_left: int) -> None:
        raise NotImplementedError


class _LeastBusy(_Picker):
    """A heap on `order_least_busy`'s key: whoever took one goes back with one more active
    and the latest assignment, behind those he ties with."""

    def __init__(self, candidates: list[Candidate], now: datetime) -> None:
        self._heap = [(_least_busy_key(c), c.agent_id) for c in candidates]
        heapq.heapify(self._heap)
        self._active = {c.agent_id: c.active for c in candidates}
        self._now = now.timestamp()
        self._turn = 0

    def pick(self, excluded: int | None) -> int | None:
        if not self._heap:
            return None
        first = heapq.heappop(self._heap)
        if first[1] != excluded or not self._heap:
            return first[1]
        second = heapq.heappop(self._heap)
        heapq.heappush(self._heap, first)
        return second[1]

    def took(self, agent: int, room_left: int) -> None:
        self._active[agent] += 1
        self._turn += 1
        if room_left > 0:
            key = (self._active[agent], 1, self._now, self._turn, agent)
            heapq.heappush(self._heap, (key, agent))


class _RoundRobin(_Picker):
    """The agents with room by id, and the turn after the last one served, wrapping around."""

    def __init__(self, seats: dict[int, int], last_agent_id: int | None) -> None:
        self._ids = sorted(seats)
        self._last = last_agent_id

    def pick(self, excluded: int | None) -> int | None:
        if not self._ids:
            return None
        at = 0 if self._last is None else bisect.bisect_right(self._ids, self._last)
        first = self._ids[at % len(self._ids)]
        if first != excluded or len(self._ids) == 1:
            return first
        return self._ids[(at + 1) % len(self._ids)]

    def took(self, agent: int, room_left: int) -> None:
        self._last = agent
        if room_left == 0:
            self._ids.remove(agent)


class _Random(_Picker):
    def __init__(self, seats: dict[int, int], rng: random.Random) -> None:
        self._ids = sorted(seats)
        self._rng = rng

    def pick(self, excluded: int | None) -> int | None:
        if not self._ids:
            return None
        chosen = self._rng.choice(self._ids)
        if chosen != excluded or len(self._ids) == 1:
            return chosen
        return self._rng.choice([a for a in self._ids if a != excluded])

    def took(self, agent: int, room_left: int) -> None:
        if room_left == 0:
            self._ids.remove(agent)
