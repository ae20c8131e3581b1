"""Working days and deadline days: the one place calendar arithmetic for deadlines is done.

Rules (Europe/Oslo calendar):

- A *working day* is Monday–Friday that is not a Norwegian public holiday
  (``holidays.Norway``: 1 Jan, Maundy Thursday, Good Friday, Easter Monday, 1 May,
  Ascension Day, 17 May, Whit Monday, 25–26 Dec; Sundays are never counted as
  holidays here — they are weekend days anyway, and ``include_sundays`` is switched
  off explicitly because older versions of the library listed every Sunday).
  Christmas Eve and New Year's Eve are *not* public holidays and count as working days,
  unless the caller passes ``eves_off=True`` (the digest and needs-input do, per the profile's
  ``eves_are_working_days``, default false).
- A deadline is stored as an aware datetime (Oslo for Norwegian hearings, Brussels for EU
  feedback periods — both Central European Time, with the same summer-time rules). Its
  *deadline day* is its calendar date in Oslo; a deadline at exactly 00:00:00 (the EU's
  "midnight") is the end of the previous day, so "midnight Brussels, 11 Dec" is an Oslo
  deadline day of 10 Dec.
- ``working_days_left(as_of, deadline)`` counts the working days after today up to and
  including the deadline day: 0 means "due today" (or the deadline falls on a weekend/holiday
  right after today); negative values count working days since a missed deadline.
- The *draft due* date is ``lead`` working days before the deadline day (default 5): a
  deadline on Friday 11 Dec with 5 days' lead gives draft due Friday 4 Dec.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import lru_cache

import holidays

from crawlers.dates import OSLO

DEFAULT_LEAD_DAYS = 5


@lru_cache(maxsize=64)
def _holidays_for(year: int, eves: bool = False) -> frozenset[date]:
    """Weekday public holidays of `year`; with `eves`, Christmas Eve and New Year's Eve too
    (a digest profile's ``eves_are_working_days = false``)."""
    try:
        cal = holidays.Norway(years=year, include_sundays=False)
    except TypeError:  # a version without the switch
        cal = holidays.Norway(years=year)
    days = set(cal)
    if eves:
        days |= {date(year, 12, 24), date(year, 12, 31)}
    # whatever the version does with Sundays, only weekday holidays matter below
    return frozenset(d for d in days if d.weekday() < 5)


def holiday_name(day: date) -> str | None:
    """The public holiday on `day`, if any (English name from the holidays library)."""
    try:
        cal = holidays.Norway(years=day.year, include_sundays=False)
    except TypeError:
        cal = holidays.Norway(years=day.year)
    name = cal.get(day)
    return None if name is None or name == "Sunday" else str(name)


def is_working_day(day: date, *, eves_off: bool = False) -> bool:
    """Monday–Friday and not a Norwegian public holiday (nor 24/31 December with `eves_off`)."""
    return day.weekday() < 5 and day not in _holidays_for(day.year, eves_off)


def working_days_between(start: date, end: date, *, eves_off: bool = False) -> int:
    """Working days d with start < d ≤ end; negative (−count of start ≥ d > end) if end < start."""
    if end == start:
        return 0
    sign = 1
    if end < start:
        start, end, sign = end, start, -1
    # whole weeks first (5 weekdays each), then the rest; holidays subtracted after
    days = (end - start).days
    weeks, rest = divmod(days, 7)
    count = weeks * 5
    for k in range(1, rest + 1):
        if (start + timedelta(days=k)).weekday() < 5:
            count += 1
    for year in range(start.year, end.year + 1):
        count -= sum(1 for h in _holidays_for(year, eves_off) if start < h <= end)
    return sign * count


def add_working_days(day: date, n: int, *, eves_off: bool = False) -> date:
    """The n-th working day after `day` (n > 0) or before it (n < 0); `day` itself if n == 0."""
    step = 1 if n >= 0 else -1
    remaining = abs(n)
    current = day
    while remaining:
        current += timedelta(days=step)
        if is_working_day(current, eves_off=eves_off):
            remaining -= 1
    return current


def to_datetime(value: str | datetime | None) -> datetime | None:
    """An aware datetime from a stored ISO string (naive values are read as Oslo time)."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        dt = value
    else:
        try:
            dt = datetime.fromisoformat(str(value).strip().replace("Z", "+00:00"))
        except ValueError:
            return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=OSLO)
    return dt


def oslo_date(value: str | datetime) -> date:
    """The calendar date in Oslo of an instant."""
    dt = to_datetime(value)
    if dt is None:
        raise ValueError(f"not a date: {value!r}")
    return dt.astimezone(OSLO).date()


def deadline_day(deadline: str | datetime | None) -> date | None:
    """The last Oslo calendar day on which an answer is in time (00:00:00 sharp → the day before)."""
    dt = to_datetime(deadline)
    if dt is None:
        return None
    local = dt.astimezone(OSLO)
    if local.time() == time(0, 0, 0):
        return local.date() - timedelta(days=1)
    return local.date()


def working_days_left(as_of: datetime, deadline: str | datetime | None) -> int | None:
    """Working days from the day of `as_of` (exclusive) to the deadline day (inclusive)."""
    day = deadline_day(deadline)
    if day is None:
        return None
    return working_days_between(oslo_date(as_of), day)


def draft_due(deadline: str | datetime | None, lead_days: int = DEFAULT_LEAD_DAYS) -> date | None:
    """`lead_days` working days before the deadline day (the internal date a draft must be ready)."""
    day = deadline_day(deadline)
    if day is None:
        return None
    return add_working_days(day, -lead_days)
