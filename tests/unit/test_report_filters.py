"""The reports' days are the supervisor's: their bounds in UTC across DST changes, the zone
and the cursor checked; their words read as the attention search reads them."""

from datetime import UTC, date, datetime

import pytest

from atiende.actions.report_filters import decode_cursor, encode_cursor, window
from atiende.actions.text_search import words_of
from atiende.domain.errors import Invalid
from atiende.domain.search import MAX_WORDS
from atiende.schemas.reports import ReportFilters


def _window(first: date, last: date, tz: str) -> tuple[datetime | None, datetime | None]:
    win = window(ReportFilters(date_from=first, date_to=last, tz=tz), "UTC")
    return win.start, win.end


def test_a_day_runs_from_local_midnight_to_the_next() -> None:
    start, end = _window(date(2026, 12, 1), date(2026, 12, 1), "America/Lima")
    assert start == datetime(2026, 12, 1, 5, tzinfo=UTC)
    assert end == datetime(2026, 12, 2, 5, tzinfo=UTC)


def test_a_spring_forward_day_is_23_hours_and_a_fall_back_day_25() -> None:
    start, end = _window(date(2026, 3, 8), date(2026, 3, 8), "America/New_York")
    assert (start, end) == (
        datetime(2026, 3, 8, 5, tzinfo=UTC),
        datetime(2026, 3, 9, 4, tzinfo=UTC),
    )
    start, end = _window(date(2026, 11, 1), date(2026, 11, 1), "America/New_York")
    assert end is not None and start is not None
    assert (end - start).total_seconds() == 25 * 3600


def test_a_midnight_the_clock_skips_begins_the_day_at_the_change() -> None:
    # Chile moves from 00:00 to 01:00 on 6 September 2026: the day begins at 04:00 UTC.
    start, end = _window(date(2026, 9, 5), date(2026, 9, 6), "America/Santiago")
    assert start == datetime(2026, 9, 5, 4, tzinfo=UTC)
    assert end == datetime(2026, 9, 7, 3, tzinfo=UTC)


def test_the_server_zone_serves_a_browser_that_sends_none() -> None:
    win = window(ReportFilters(date_from=date(2026, 12, 1)), "Europe/Madrid")
    assert win.start == datetime(2026, 11, 30, 23, tzinfo=UTC)
    assert win.end is None
    assert window(ReportFilters(date_to=date.max), "UTC").end is None


@pytest.mark.parametrize(
    ("filters", "code"),
    [
        (ReportFilters(tz="Mars/Olympus"), "bad_time_zone"),
        (ReportFilters(tz="../../etc/passwd"), "bad_time_zone"),
        (ReportFilters(date_from=date(2026, 2, 2), date_to=date(2026, 2, 1)), "bad_date_range"),
    ],
)
def test_bad_filters_are_refused(filters: ReportFilters, code: str) -> None:
    with pytest.raises(Invalid) as refused:
        window(filters, "UTC")
    assert refused.value.code == code


def test_a_cursor_carries_its_keyset_and_nothing_else() -> None:
    at = datetime(2026, 12, 1, 6, 30, 15, 123456, tzinfo=UTC)
    assert decode_cursor(encode_cursor([at, 42]), (datetime, int)) == [at, 42]
    assert decode_cursor(None, (int,)) is None
    for bad in ("nonsense", encode_cursor([1]), encode_cursor(["x", 1]), encode_cursor([True])):
        with pytest.raises(Invalid) as refused:
            decode_cursor(bad, (datetime, int) if bad != encode_cursor([True]) else (int,))
        assert refused.value.code == "bad_cursor"


def test_words_are_read_as_the_search_reads_them() -> None:
    """Folded terms (the full-text tokenizers' words), a quoted phrase, at most MAX_WORDS:
    more are refused, not cut; a text with no word in it is refused, a blank one is none."""
    words = words_of('"Envío  de MI"')
    assert words is not None and (words.terms, words.phrase) == (("envio", "de", "mi"), True)
    assert words_of("   ") is None
    eight = words_of("a-b-c-d-e-f-g-h")
    assert eight is not None and len(eight.terms) == MAX_WORDS == 8
    for text, code in (("a-b-c-d-e-f-g-h-i", "too_many_words"), (" ¿? ", "search_words_empty")):
        with pytest.raises(Invalid) as refused:
            words_of(text)
        assert refused.value.code == code
