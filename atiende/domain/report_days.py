"""Days as the supervisor lives them: local midnights in his time zone, turned into UTC
instants, and spans of time cut at those midnights. Pure; a day may last 23 or 25 hours
where clocks change."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from atiende.domain.errors import Invalid


@dataclass(frozen=True)
class Day:
    day: date
    start: datetime  # UTC, inclusive
    end: datetime  # UTC, exclusive


def time_zone(name: str) -> ZoneInfo:
    """The supervisor's IANA zone (his browser's), or the one refusal every report, the
    search and the dashboard give."""
    try:
        if not name or len(name) > 64:
            raise ValueError(name)
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as e:
        raise Invalid(
            "bad_time_zone", "La zona horaria no existe.", params={"zone": name[:64]}
        ) from e


def local_day_start(d: date, tz: ZoneInfo) -> datetime:
    """The UTC instant the day begins in `tz`. A midnight a DST change skips (it does not
    exist on the clock) is read with the offset before the change, which is that very
    instant; a repeated one is read the first time (fold=0), when the day really begins."""
    return datetime.combine(d, time.min, tzinfo=tz).astimezone(UTC)


def day_bounds(
    first: date | None, last: date | None, tz: ZoneInfo
) -> tuple[datetime | None, datetime | None]:
    """From `first`'s midnight to the one after `last` (both days included), as UTC
    instants `start <= t < end`; None is unbounded."""
    if first and last and first > last:
        raise Invalid("bad_date_range", "La fecha inicial es posterior a la final.")
    start = local_day_start(first, tz) if first else None
    # Through the last representable day means no upper bound (the day after would overflow).
    end = local_day_start(last + timedelta(days=1), tz) if last and last < date.max else None
    return start, end


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
