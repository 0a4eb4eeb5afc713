"""Days as the supervisor lives them: local midnights in his time zone, turned into UTC
instants, and spans of time cut at those midnights. Pure; a day may last 23 or 25 hours
where clocks change."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class Day:
    day: date
    start: datetime  # UTC, inclusive
    end: datetime  # UTC, exclusive


def local_day_start(d: date, tz: ZoneInfo) -> datetime:
    return datetime.combine(d, time.min, tzinfo=tz).astimezone(UTC)


def days_between(date_from: date, date_to: date, tz: ZoneInfo) -> list[Day]:
    """Every day from `date_from` through `date_to` (inclusive), with its UTC bounds."""
    out = []
    d = date_from
    while d <= date_to:
        nxt = d + timedelta(days=1)
        out.append(Day(d, local_day_start(d, tz), local_day_start(nxt, tz)))
        d = nxt
    return out


@dataclass(frozen=True)
class Piece:
    day: date
    start: datetime
    end: datetime

    @property
    def seconds(self) -> float:
        return (self.end - self.start).total_seconds()


def split_at_midnight(start: datetime, end: datetime, tz: ZoneInfo) -> Iterator[Piece]:
    """The span [start, end) cut at each local midnight it crosses, one piece per day."""
    cursor = start
    while cursor < end:
        d = cursor.astimezone(tz).date()
        boundary = local_day_start(d + timedelta(days=1), tz)
        piece_end = min(end, boundary)
        yield Piece(d, cursor, piece_end)
        cursor = piece_end


def local_day(at: datetime, tz: ZoneInfo) -> date:
    return at.astimezone(tz).date()
