"""Which eligible agent gets the next queued attention (SPEC §3.2)."""

import random
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


def order_least_busy(candidates: list[Candidate]) -> list[Candidate]:
    """Fewest active first; ties go to whoever has waited longest since his last assignment."""

    def key(c: Candidate) -> tuple[int, int, float, int]:
        if c.last_assigned_at is None:
            return (c.active, 0, 0.0, c.agent_id)
        return (c.active, 1, c.last_assigned_at.timestamp(), c.agent_id)

    return sorted(candidates, key=key)


def order_round_robin(candidates: list[Candidate], last_agent_id: int | None) -> list[Candidate]:
    """The next agent after the last one served, by id, wrapping around."""
    ordered = sorted(candidates, key=lambda c: c.agent_id)
    if last_agent_id is None:
        return ordered
    after = [c for c in ordered if c.agent_id > last_agent_id]
    return after + [c for c in ordered if c.agent_id <= last_agent_id]


def order_random(candidates: list[Candidate], rng: random.Random | None = None) -> list[Candidate]:
    shuffled = list(candidates)
    (rng or random).shuffle(shuffled)
    return shuffled


def order_for(mode: str, candidates: list[Candidate], last_agent_id: int | None) -> list[Candidate]:
    if mode == RoutingMode.ROUND_ROBIN:
        return order_round_robin(candidates, last_agent_id)
    if mode == "random":
        return order_random(candidates)
    return order_least_busy(candidates)


def without_excluded(candidates: list[Candidate], excluded: int | None) -> list[Candidate]:
    """A reassigned attention goes to someone else, unless he is the only one there is."""
    others = [c for c in candidates if c.agent_id != excluded]
    return others or candidates


def must_park(reassignments_in_segment: int, max_reassignments: int) -> bool:
    """After more reassignments than the campaign allows, it waits queued."""
    return reassignments_in_segment > max_reassignments
