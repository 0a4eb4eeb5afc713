"""Local days of the reports: midnights in the supervisor's zone, spans cut at them."""

from datetime import date, timedelta
from zoneinfo import ZoneInfo

from atiende.domain.report_days import days_between, split_at_midnight


def test_days_are_cut_at_local_midnight_across_a_clock_change() -> None:
    tz = ZoneInfo("America/Santiago")  # clocks go forward on 2026-09-06
    days = days_between(date(2026, 9, 5), date(2026, 9, 6), tz)
    assert [(d.end - d.start) for d in days] == [timedelta(hours=24), timedelta(hours=23)]
    pieces = list(split_at_midnight(days[0].start + timedelta(hours=20), days[1].end, tz))
    assert [(p.day, p.seconds) for p in pieces] == [
        (date(2026, 9, 5), 4 * 3600.0),
        (date(2026, 9, 6), 23 * 3600.0),
    ]
