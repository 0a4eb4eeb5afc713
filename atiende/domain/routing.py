"""Which eligible agent gets the next queued attention (SPEC §3.2)."""

from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class Candidate:
    agent_id: int
    status: str
    capacity: int
    active: int
    last_seen_at: datetime | None
    last_assigned_at: datetime | None


def is_eligible(c: Candidate, now: datetime, presence_grace: timedelta) -> bool:
    """Available, connected recently, and under capacity."""
    connected = c.last_seen_at is not None and c.last_seen_at >= now - presence_grace
    return c.status == "available" and connected and c.active < c.capacity


def order_least_busy(candidates: list[Candidate]) -> list[Candidate]:
    """Fewest active first; ties go to whoever has waited longest since his last assignment."""

    def key(c: Candidate) -> tuple[int, int, float, int]:
        never = c.last_assigned_at is None
        stamp = 0.0 if never else c.last_assigned_at.timestamp()  # type: ignore[union-attr]
        return (c.active, 0 if never else 1, stamp, c.agent_id)

    return sorted(candidates, key=key)
