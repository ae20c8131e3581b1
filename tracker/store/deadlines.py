"""Working days and deadline days: the one place calendar arithmetic for deadlines is done.

Rules (Europe/Oslo calendar):

- A *working day* is Monday–Friday that is not a Norwegian public holiday
  (``holidays.Norway``: 1 Jan, Maundy Thursday, Good Friday, Easter Monday, 1 May,
  Ascension Day, 17 May, Whit Monday, 25–26 Dec) and, unless a profile says
  ``eves_are_working_days``, not Christmas Eve or New Year's Eve: they are no public holidays,
  but offices close, so by default they are not counted. Counting and stepping use the library's
  ``get_working_days_count`` / ``get_nth_working_day``.
- A deadline is stored as an aware datetime (Oslo for Norwegian hearings, Brussels for EU
  feedback periods — both Central European Time, with the same summer-time rules). Its
  *deadline day* is its calendar date in Oslo; a deadline at exactly 00:00:00 (the EU's
  "midnight") is the end of the previous day, so "midnight Brussels, 11 Dec" is an Oslo
  deadline day of 10 Dec.
- A deadline given as a day alone («2026-11-24»: a feed from elsewhere, a store older than the
  spiders' rule) ends at 23:59:59 that day in Oslo, as the spiders write it
  (`crawlers.dates.deadline_at`): `deadline_time` reads every deadline so — the status, «needs
  input», the digest's words, working days, the calendar and the horizon all read it there — and
  `stored_deadline` writes a day so on the way in (`ncp-tracker ingest`). The same for the other
  deadlines given by day (`DEADLINE_EXTRAS`: a committee hearing's deadline to ask to take part
  and for written input).
- ``working_days_left(as_of, deadline)`` counts the working days after today up to and
  including the deadline day: 0 means "due today" (or the deadline falls on a weekend/holiday
  right after today); negative values count working days since a missed deadline.
- The *draft due* date is ``lead`` working days before the deadline day (default 5): a
  deadline on Friday 11 Dec with 5 days' lead gives draft due Friday 4 Dec.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import Any

from crawlers.dates import OSLO, deadline_at, iso

DEFAULT_LEAD_DAYS = 5
#: the deadlines an item's `extra` may hold besides its `deadline` (a Storting committee hearing's:
#: to ask to take part, for written input); read and written by the same rule as the deadline
DEADLINE_EXTRAS = ("anmodningsfrist", "innspillsfrist")
#: a day without a time of day, as ISO 8601 writes it
_BARE_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


@lru_cache(maxsize=1)
def _calendar_class() -> type:
    """The calendar class, made on first use: importing the `holidays` country data takes ~0.1 s,
    which every command that imports this module (the CLI's help included) would pay otherwise."""
    from holidays.countries import Norway

    class _Calendar(Norway):
        """Norway's public holidays (the `holidays` library), and Christmas Eve and New Year's Eve
        as days off unless `eves_are_working_days`: they are not public holidays, but ministries
        and the NCP's secretariat are closed, so a deadline's working days must not count them by
        default."""

        def __init__(self, *, eves_are_working_days: bool = False, **kwargs: Any) -> None:
            self.eves_are_working_days = eves_are_working_days
            super().__init__(include_sundays=False, language="no", **kwargs)

        def _populate(self, year: int) -> None:
            super()._populate(year)
            if not self.eves_are_working_days:
                self._add_holiday("Julaften", date(year, 12, 24))
                self._add_holiday("Nyttårsaften", date(year, 12, 31))

    return _Calendar


@lru_cache(maxsize=2)
def calendar(eves_are_working_days: bool = False) -> Any:
    """The working-day calendar (a `holidays.Norway`; years are filled in as they are asked
    for)."""
    return _calendar_class()(eves_are_working_days=eves_are_working_days)


def holiday_name(day: date, eves_are_working_days: bool = False) -> str | None:
    """The day off on `day`, if any (Norwegian name: "Grunnlovsdag", "Julaften", …)."""
    name = calendar(eves_are_working_days).get(day)
    return None if name is None else str(name)


def is_working_day(day: date, eves_are_working_days: bool = False) -> bool:
    """Monday–Friday and not a day off."""
    return calendar(eves_are_working_days).is_working_day(day)


def working_days_between(start: date, end: date, eves_are_working_days: bool = False) -> int:
    """Working days d with start < d ≤ end; negative (−count of start ≥ d > end) if end < start."""
    if end == start:
        return 0
    cal = calendar(eves_are_working_days)
    if end > start:
        return cal.get_working_days_count(start + timedelta(days=1), end)
    return -cal.get_working_days_count(end + timedelta(days=1), start)


def add_working_days(day: date, n: int, eves_are_working_days: bool = False) -> date:
    """The n-th working day after `day` (n > 0) or before it (n < 0); `day` itself if n == 0."""
    return calendar(eves_are_working_days).get_nth_working_day(day, n) if n else day


def to_datetime(value: str | datetime | None) -> datetime | None:
    """An aware datetime in Oslo time from a stored ISO string: an instant stored in UTC
    (tracker.store.instants) or a deadline with its publisher's offset; naive values are read as
    Oslo time."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        dt = value
    else:
        try:
            dt = datetime.fromisoformat(str(value).strip().replace("Z", "+00:00"))
        except ValueError:
            return None
    return dt.replace(tzinfo=OSLO) if dt.tzinfo is None else dt.astimezone(OSLO)


def oslo_date(value: str | datetime) -> date:
    """The calendar date in Oslo of an instant."""
    dt = to_datetime(value)
    if dt is None:
        raise ValueError(f"not a date: {value!r}")
    return dt.astimezone(OSLO).date()


def bare_day(value: str | datetime | None) -> date | None:
    """The day of a value given as a day alone («2026-11-24», no time of day), else None."""
    if not isinstance(value, str) or not _BARE_DAY.fullmatch(value.strip()):
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        return None


def deadline_time(deadline: str | datetime | None) -> datetime | None:
    """A deadline as the instant it ends, in Oslo time: the one reading of a stored or scraped
    deadline (the item's, and those of `DEADLINE_EXTRAS`). A day alone («2026-11-24») ends at
    23:59:59 that day in Oslo (`crawlers.dates.deadline_at`, the rule the spiders write by; as
    `to_datetime` reads it, 00:00, it had passed at dawn and read as the day before); a time is
    that instant (`to_datetime`)."""
    if (day := bare_day(deadline)) is not None:
        return deadline_at(day, OSLO)
    return to_datetime(deadline)


def stored_deadline(value: Any) -> Any:
    """A deadline in the form the store keeps it: a day alone as the end of that day in Oslo
    («2026-11-24» → «2026-11-24T23:59:59+01:00», as a spider writes it); anything else unchanged."""
    day = bare_day(value)
    return value if day is None else iso(deadline_at(day, OSLO))


def deadline_day(deadline: str | datetime | None) -> date | None:
    """The last Oslo calendar day on which an answer is in time (00:00:00 sharp → the day before;
    a day without a time, «2027-01-13», is that day: `deadline_time`)."""
    dt = deadline_time(deadline)
    if dt is None:
        return None
    local = dt.astimezone(OSLO)
    if local.time() == time(0, 0, 0):
        return local.date() - timedelta(days=1)
    return local.date()


def has_time(value: str | datetime | None) -> bool:
    """Whether a stored time says a time of day worth showing: not the start of a day (00:00) and
    not the end of one (23:59, which `crawlers.dates.deadline_at` gives a deadline known only
    by its day). "Frist i dag", not "frist i dag kl. 23.59"."""
    dt = to_datetime(value)
    if dt is None:
        return False
    local = dt.time()
    return local != time(0, 0) and (local.hour, local.minute) != (23, 59)


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
