from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crawlers.dates import (
    BRUSSELS,
    OSLO,
    deadline_at,
    parse_date,
    parse_ms_date,
    parse_stortinget_datetime,
    read_date,
)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("25.05.2016", "2016-05-25T00:00:00+02:00"),
        ("Høringsfrist: 1.3.2027", "2027-03-01T00:00:00+01:00"),
        ("25.05.2016 kl. 12:00", "2016-05-25T12:00:00+02:00"),
        ("1. mars 2026", "2026-03-01T00:00:00+01:00"),
        ("17. mai 2026", "2026-05-17T00:00:00+02:00"),
        ("2026-03-01", "2026-03-01T00:00:00+01:00"),
        ("2026-03-01T10:15:00Z", "2026-03-01T10:15:00+00:00"),
        ("Thu, 17 Sep 2026 11:00:00 +0200", "2026-09-17T11:00:00+02:00"),
        ("2026/09/28 23:59:59", "2026-09-28T23:59:59+02:00"),
        ("/Date(1761550200000+0100)/", "2025-10-27T08:30:00+01:00"),
        # a time after a date ("kl. 12", "kl. 12.00", "kl 12:00") and abbreviated months, with or without a dot
        ("01.12.2026 kl. 12", "2026-12-01T12:00:00+01:00"),
        ("1. desember 2026 kl. 12", "2026-12-01T12:00:00+01:00"),
        ("23. feb. 2027 kl. 12.00", "2027-02-23T12:00:00+01:00"),
        ("23. feb 2027 kl 12:00", "2027-02-23T12:00:00+01:00"),
        ("23. febr. 2027", "2027-02-23T00:00:00+01:00"),
        ("4. sept. 2026, kl. 09.30", "2026-09-04T09:30:00+02:00"),
        ("17. mai 2026 klokka 15", "2026-05-17T15:00:00+02:00"),
        ("1. mars 2026 12 høringer", "2026-03-01T00:00:00+01:00"),  # a bare number is no time
    ],
)
def test_parse_date(text, expected):
    assert parse_date(text).isoformat() == expected


@pytest.mark.parametrize("text", [None, "", "snart", "99.99.2026", "01.01.0001", "31.02.2026", "1. smarch 2026"])
def test_unparseable_dates_are_none(text):
    assert parse_date(text) is None


def test_weekday_and_day_without_year_takes_nearest_year():
    assert parse_date("mandag 2. februar", reference=date(2026, 11, 24)).date() == date(2027, 2, 2)
    assert parse_date("2. februar", reference=date(2026, 3, 1)).date() == date(2026, 2, 2)
    assert parse_date("2. februar") is None  # no year and no reference: unknown, not a guess
    assert parse_date("23. feb. kl. 12", reference=date(2026, 11, 24)).isoformat() == "2027-02-23T12:00:00+01:00"


def test_a_deadline_given_with_a_time_keeps_it():
    assert deadline_at(parse_date("1. desember 2026 kl. 12")).isoformat() == "2026-12-01T12:00:00+01:00"
    assert deadline_at(parse_date("1. desember 2026")).isoformat() == "2026-12-01T23:59:59+01:00"


@pytest.mark.parametrize(("text", "day"), [
    ("23. feb. 2027 kl. 25", "2027-02-23"), ("23.02.2027 kl. 12.61", "2027-02-23"),
    ("mandag 22. feb. kl. 24", "2027-02-22"), ("2027-02-23T25:00", "2027-02-23"),
])
def test_a_day_with_a_time_that_is_no_time_of_day_keeps_the_day_and_says_so(text, day):
    """«23. feb. 2027 kl. 25» was no date at all: read_date keeps the day (a deadline is then the
    end of it, as a day given alone) and says the time could not be read; parse_date, whose
    callers have no way to say so, still gives none."""
    when, time_unreadable = read_date(text, reference=date(2026, 11, 24))
    assert (when.isoformat(), time_unreadable) == (f"{day}T00:00:00+01:00", True)
    assert deadline_at(when).isoformat() == f"{day}T23:59:59+01:00"
    assert parse_date(text, reference=date(2026, 11, 24)) is None
    assert read_date("23. feb. 2027 kl. 12") == (parse_date("23. feb. 2027 kl. 12"), False)
    assert read_date("31.02.2027 kl. 12") == (None, False)  # no such day: nothing kept


def test_stortinget_empty_date():
    assert parse_stortinget_datetime("01.01.0001 00:00:00") is None
    assert parse_stortinget_datetime("15.01.2026 12:00:00").isoformat() == "2026-01-15T12:00:00+01:00"


def test_ms_date_garbage():
    assert parse_ms_date("/Date(abc)/") is None


def test_deadline_is_end_of_day_in_zone():
    assert deadline_at(date(2026, 12, 1)).isoformat() == "2026-12-01T23:59:59+01:00"
    assert deadline_at(date(2026, 12, 1), BRUSSELS).isoformat() == "2026-12-01T23:59:59+01:00"
    exact = datetime(2026, 9, 28, 23, 59, 59, tzinfo=BRUSSELS)
    assert deadline_at(exact) == exact
    assert deadline_at(datetime(2026, 12, 1, tzinfo=OSLO)).isoformat() == "2026-12-01T23:59:59+01:00"
    assert deadline_at(datetime(2026, 12, 1, 23, 59, tzinfo=OSLO)).isoformat() == "2026-12-01T23:59:59+01:00"
    assert deadline_at(datetime(2026, 12, 1, 12, 0, tzinfo=OSLO)).isoformat() == "2026-12-01T12:00:00+01:00"
    assert deadline_at(None) is None


@given(st.text(max_size=80))
def test_parse_date_never_crashes_and_stays_sane(text):
    result = parse_date(text, reference=date(2026, 11, 24))
    assert result is None or (1990 <= result.year <= 2100 and result.tzinfo is not None)


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31)))
def test_numeric_round_trip(day):
    assert parse_date(day.strftime("%d.%m.%Y")).date() == day
