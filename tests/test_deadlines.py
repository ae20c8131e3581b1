"""Working-day arithmetic: Norwegian holidays, weekends, Easter, 17 May, Christmas, year ends, EU midnight."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crawlers.dates import BRUSSELS, OSLO
from tracker.store import deadlines as dl


@pytest.mark.parametrize(("day", "working"), [
    (date(2026, 4, 1), True),    # Wednesday before Easter
    (date(2026, 4, 2), False),   # skjærtorsdag
    (date(2026, 4, 3), False),   # langfredag
    (date(2026, 4, 6), False),   # 2. påskedag
    (date(2026, 4, 7), True),
    (date(2026, 5, 1), False),   # Friday 1 May
    (date(2026, 5, 14), False),  # Kristi himmelfartsdag
    (date(2026, 5, 25), False),  # 2. pinsedag
    (date(2027, 5, 17), False),  # 17 May on a Monday
    (date(2026, 5, 18), True),   # 17 May 2026 was a Sunday: no substitute day in Norway
    (date(2026, 12, 24), False),  # julaften: no public holiday, but a day off by default
    (date(2026, 12, 25), False),
    (date(2026, 12, 31), False),  # nyttårsaften likewise
    (date(2027, 1, 1), False),
    (date(2026, 11, 28), False),  # Saturday
    (date(2026, 11, 29), False),  # Sunday
])  # fmt: skip
def test_is_working_day(day, working):
    assert dl.is_working_day(day) is working


def test_the_eves_are_working_days_when_a_profile_says_so():
    assert dl.is_working_day(date(2026, 12, 24), eves_are_working_days=True)
    assert dl.is_working_day(date(2026, 12, 31), eves_are_working_days=True)
    assert not dl.is_working_day(date(2026, 12, 25), eves_are_working_days=True)
    assert dl.holiday_name(date(2026, 12, 24)) == "Julaften"
    assert dl.holiday_name(date(2026, 12, 24), eves_are_working_days=True) is None
    assert dl.holiday_name(date(2026, 5, 17)) == "Grunnlovsdag"


def test_easter_week_has_one_working_day_between_wednesday_and_tuesday():
    assert dl.working_days_between(date(2026, 4, 1), date(2026, 4, 7)) == 1


def test_17_may_on_a_monday_is_skipped():
    # Fri 14 May 2027 → Tue 18 May 2027: Mon 17 May is a holiday, so only Tuesday counts
    assert dl.working_days_between(date(2027, 5, 14), date(2027, 5, 18)) == 1


def test_christmas_and_new_year_across_years():
    # Wed 23 Dec 2026 → Mon 4 Jan 2027: 28, 29, 30 Dec and 4 Jan (the eves are days off by default)
    assert dl.working_days_between(date(2026, 12, 23), date(2027, 1, 4)) == 4
    assert dl.working_days_between(date(2026, 12, 23), date(2027, 1, 4), eves_are_working_days=True) == 6


def test_counting_backwards_is_negative():
    assert dl.working_days_between(date(2027, 1, 4), date(2026, 12, 23)) == -4
    assert dl.working_days_between(date(2026, 11, 24), date(2026, 11, 24)) == 0


def _brute(start: date, end: date) -> int:
    sign, (a, b) = (1, (start, end)) if end >= start else (-1, (end, start))
    return sign * sum(1 for k in range(1, (b - a).days + 1) if dl.is_working_day(a + timedelta(days=k)))


@given(st.dates(min_value=date(2024, 1, 1), max_value=date(2030, 12, 31)),
       st.integers(min_value=-400, max_value=400))
def test_between_agrees_with_counting_day_by_day(start, offset):
    end = start + timedelta(days=offset)
    assert dl.working_days_between(start, end) == _brute(start, end)


@given(st.dates(min_value=date(2024, 1, 1), max_value=date(2030, 12, 31)), st.integers(min_value=1, max_value=60))
def test_add_working_days_is_the_inverse_of_counting(start, n):
    later = dl.add_working_days(start, n)
    assert dl.is_working_day(later)
    assert dl.working_days_between(start, later) == n
    earlier = dl.add_working_days(start, -n)
    assert dl.is_working_day(earlier)
    # (earlier, start] holds the n−1 working days after `earlier`, plus `start` if it is one
    assert dl.working_days_between(earlier, start) == n - 1 + int(dl.is_working_day(start))


def test_draft_due_is_five_working_days_before():
    assert dl.draft_due("2026-12-11T23:59:59+01:00") == date(2026, 12, 4)
    # deadline Tue 7 Apr 2026, right after Easter: 1 Apr, 31 Mar, 30 Mar, 27 Mar, 26 Mar
    assert dl.draft_due("2026-04-07T23:59:59+02:00") == date(2026, 3, 26)
    # deadline on a Saturday: five working days before are counted from the Friday
    assert dl.draft_due("2026-12-05T23:59:59+01:00") == date(2026, 11, 30)
    assert dl.draft_due("2026-12-11T23:59:59+01:00", lead_days=10) == date(2026, 11, 27)
    assert dl.draft_due(None) is None


def test_eu_midnight_brussels_is_the_end_of_the_previous_oslo_day():
    assert dl.deadline_day(datetime(2026, 12, 11, 0, 0, tzinfo=BRUSSELS)) == date(2026, 12, 10)
    assert dl.deadline_day("2026-12-10T23:00:00+00:00") == date(2026, 12, 10)  # same instant in UTC
    assert dl.deadline_day("2026-06-30T22:00:00Z") == date(2026, 6, 30)  # summer time, CEST midnight
    assert dl.deadline_day(datetime(2026, 12, 10, 23, 59, 59, tzinfo=BRUSSELS)) == date(2026, 12, 10)


def test_a_deadline_given_as_a_day_is_that_day():
    """«2027-01-13» (a day, no time: a feed from elsewhere, a hand-made store) was read as 00:00
    that day and so — midnight sharp — as the day before."""
    assert dl.deadline_day("2027-01-13") == date(2027, 1, 13)
    assert dl.deadline_day(" 2027-01-13 ") == date(2027, 1, 13)
    assert dl.deadline_day("2027-01-13T00:00:00+01:00") == date(2027, 1, 12)  # midnight sharp, as before
    assert dl.deadline_day("2027-13-45") is None


def test_deadlines_in_other_zones_fall_on_the_oslo_calendar_day():
    # 23:30 in New York is 05:30 the next morning in Oslo
    assert dl.deadline_day("2026-12-10T23:30:00-05:00") == date(2026, 12, 11)
    assert dl.deadline_day("2026-12-10T23:59:59+01:00") == date(2026, 12, 10)


def test_working_days_left_from_the_clock_of_the_digest():
    as_of = datetime(2026, 11, 24, 6, 0, tzinfo=OSLO)  # Tuesday
    assert dl.working_days_left(as_of, "2026-11-24T23:59:59+01:00") == 0  # due today
    assert dl.working_days_left(as_of, "2026-11-27T23:59:59+01:00") == 3
    assert dl.working_days_left(as_of, "2026-11-20T23:59:59+01:00") == -2
    assert dl.working_days_left(as_of, None) is None
    # the same instant given in UTC is the same day
    utc = datetime(2026, 11, 24, 5, 0, tzinfo=UTC)
    assert dl.working_days_left(utc, "2026-11-27T23:59:59+01:00") == 3


def test_bad_stored_values_are_none_not_errors():
    assert dl.deadline_day("not a date") is None
    assert dl.deadline_day("") is None
    assert dl.to_datetime("2026-12-10").tzinfo is not None  # naive → Oslo


def test_holiday_names_come_from_the_library():
    assert dl.holiday_name(date(2026, 5, 17))
    assert dl.holiday_name(date(2026, 11, 24)) is None


@pytest.mark.parametrize(("value", "shown"), [
    ("2026-12-04T12:00:00+01:00", True), ("2026-12-04T23:58:00+01:00", True),
    ("2026-12-04T23:59:59+01:00", False), ("2026-12-04T23:59:00+01:00", False),  # a day's deadline
    ("2026-12-04T00:00:00+01:00", False), ("2026-12-04T22:59:59+00:00", False),  # 23:59:59 in Oslo
    ("2026-12-04", False), (None, False), ("", False), ("i morgen", False),
])
def test_has_time_is_false_for_a_day_without_a_time_of_its_own(value, shown):
    from tracker.store.deadlines import has_time

    assert has_time(value) is shown


def test_a_deadline_given_as_a_day_ends_at_the_end_of_that_day_in_oslo():
    """«2026-11-24» was read as 00:00 that day (`to_datetime`): passed at dawn on its own day, so
    the store called it closed and the digest «man. 23.11.2026», while the calendar said 24.11.
    Now one reading, `deadline_time`: the end of the day, as `crawlers.dates.deadline_at` writes it."""
    from crawlers.dates import deadline_at

    assert dl.deadline_time("2026-11-24") == datetime(2026, 11, 24, 23, 59, 59, tzinfo=OSLO)
    assert dl.deadline_time(" 2026-06-30 ") == datetime(2026, 6, 30, 23, 59, 59, tzinfo=OSLO)  # summer time
    assert dl.deadline_time("2026-11-24") == deadline_at(date(2026, 11, 24))  # the spiders' rule
    assert dl.deadline_time("2026-11-24") > datetime(2026, 11, 24, 6, 0, tzinfo=OSLO)  # open all that day
    # a time is that instant; midnight sharp stays the end of the day before; nothing else is a day
    assert dl.deadline_time("2026-11-24T12:00:00+01:00") == datetime(2026, 11, 24, 12, 0, tzinfo=OSLO)
    assert dl.deadline_time("2026-12-11T00:00:00+01:00") == datetime(2026, 12, 11, 0, 0, tzinfo=OSLO)
    assert dl.deadline_time(datetime(2026, 11, 24, 12, 0, tzinfo=OSLO)) == datetime(2026, 11, 24, 12, 0, tzinfo=OSLO)
    for bad in (None, "", "2026-13-45", "not a date", "2026-11-24garbage"):
        assert dl.deadline_time(bad) is None, bad


def test_the_day_of_a_day_read_as_a_time_is_that_day():
    """The digest's words read the deadline as a time first, then its day: «2026-11-27» became
    00:00 on the 27th and so — midnight sharp — «tor. 26.11.2026» beside the calendar's 27.11."""
    for value in ("2026-11-27", dl.deadline_time("2026-11-27")):
        assert dl.deadline_day(value) == date(2026, 11, 27)
        assert not dl.has_time(value)
    as_of = datetime(2026, 11, 24, 6, 0, tzinfo=OSLO)  # Tuesday
    assert dl.working_days_left(as_of, dl.deadline_time("2026-11-27")) == 3
    assert dl.working_days_left(as_of, dl.deadline_time("2026-11-24")) == 0


def test_a_deadline_given_as_a_day_is_stored_as_a_spider_writes_it():
    assert dl.stored_deadline("2026-11-24") == "2026-11-24T23:59:59+01:00"
    assert dl.stored_deadline("2026-06-30") == "2026-06-30T23:59:59+02:00"
    for kept in ("2026-11-24T12:00:00+01:00", "2026-11-24T23:59:59+01:00", "2026-13-45", "", None):
        assert dl.stored_deadline(kept) == kept
    assert dl.bare_day("2026-11-24") == date(2026, 11, 24)
    assert dl.bare_day("2026-11-24T00:00:00+01:00") is None and dl.bare_day(date(2026, 11, 24)) is None


def test_sql_compares_a_deadline_given_as_a_day_as_python_does(tmp_path):
    """`ncp_deadline`, the SQL twin of `deadline_time` (open consultations searched in the
    workbench); `ncp_instant` reads instants, a day as its start."""
    from tracker.store.db import open_db
    from tracker.store.instants import stored

    db = open_db(tmp_path / "t.db")
    try:
        clock = stored(datetime(2026, 11, 24, 6, 0, tzinfo=OSLO))
        row = db.execute("select ncp_deadline('2026-11-24') >= ?, ncp_deadline('2026-11-24T00:00:00+01:00') >= ?,"
                         " ncp_deadline('2026-11-23') >= ?, ncp_deadline('ikke en dato'), ncp_instant('2026-11-24')",
                         [clock, clock, clock]).fetchone()
    finally:
        db.close()
    assert row == (1, 0, 0, None, "2026-11-23T23:00:00+00:00")
