"""Date parsing for every source, and the one rule for turning a date into a deadline.

All functions return timezone-aware datetimes or ``None``; none of them raises on
bad input (a spider counts a ``None`` where a date was expected as a parse error).
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta, timezone
from email.utils import parsedate_to_datetime
from zoneinfo import ZoneInfo

OSLO = ZoneInfo("Europe/Oslo")
BRUSSELS = ZoneInfo("Europe/Brussels")

#: dates outside this range are treated as parse errors (typos, placeholders like 01.01.0001)
MIN_YEAR, MAX_YEAR = 1990, 2100

MONTHS = {
    # Bokmål, Nynorsk and English, full and abbreviated
    "januar": 1, "jan": 1, "january": 1,
    "februar": 2, "febr": 2, "feb": 2, "february": 2,
    "mars": 3, "mar": 3, "march": 3,
    "april": 4, "apr": 4,
    "mai": 5, "may": 5,
    "juni": 6, "jun": 6, "june": 6,
    "juli": 7, "jul": 7, "july": 7,
    "august": 8, "aug": 8,
    "september": 9, "sep": 9, "sept": 9,
    "oktober": 10, "okt": 10, "october": 10, "oct": 10,
    "november": 11, "nov": 11,
    "desember": 12, "des": 12, "december": 12, "dec": 12,
}  # fmt: skip

#: a time of day after a date: "12:00", "12.00", "kl. 12", "kl. 12.00", "kl 12:00", "klokka 12" (an hour
#: alone only after "kl."/"klokka", a bare number being no time)
_TIME = (r"(?:,?\s+(?:(?:kl(?:okka|okken)?\.?)\s*(\d{1,2})(?:[:.](\d{2}))?|(\d{1,2})[:.](\d{2}))"
         r"(?::(\d{2}))?(?![\d:]))?")
_NUMERIC = re.compile(r"(?<!\d)(\d{1,2})[./](\d{1,2})[./](\d{4})" + _TIME)
_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?(Z|[+-]\d{2}:?\d{2})?)?")
_SLASHED = re.compile(r"(\d{4})/(\d{2})/(\d{2})(?:\s+(\d{2}):(\d{2})(?::(\d{2}))?)?")
#: "1. mars 2026", "23. feb. 2027", "2. februar" (no year), each with an optional time (`_TIME`)
_WORDS = re.compile(
    r"(?<!\d)(\d{1,2})\.?\s+(" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")(?:\.|\b)"
    r"(?:\s+(\d{4})\b)?" + _TIME,
    re.IGNORECASE,
)
_RFC822 = re.compile(r"^\s*(?:[A-Za-z]{3},\s*)?\d{1,2}\s+[A-Za-z]{3}\s+\d{4}\s+\d{1,2}:\d{2}")
_MS_DATE = re.compile(r"/Date\((-?\d+)([+-]\d{4})?\)/")


def _sane(dt: datetime | None) -> datetime | None:
    if dt is None or not (MIN_YEAR <= dt.year <= MAX_YEAR):
        return None
    return dt


def _build(y: int, m: int, d: int, hh: int = 0, mm: int = 0, ss: int = 0, tz=OSLO) -> datetime | None:
    try:
        return _sane(datetime(y, m, d, hh, mm, ss, tzinfo=tz))
    except ValueError:
        return None


def parse_date(text: str | None, tz: ZoneInfo = OSLO, reference: date | None = None) -> datetime | None:
    """Parse the first date in `text`.

    Understands ``25.05.2016``, ``25.05.2016 kl. 12:00``, ``2026-03-01`` (with or
    without time and offset), ``2026/09/28 23:59:59``, ``1. mars 2026``, ``23. feb. 2027``,
    ``mandag 2. februar`` (year taken from `reference`, the nearest such date), RFC 822 and
    Stortinget's ``/Date(ms+0100)/``; a numeric or worded date may be followed by a time
    (``kl. 12``, ``kl. 12.00``, ``kl 12:00``, ``12:00``). Naive values are read in `tz`. A date
    whose time is no time of day (``kl. 25``) is None: see `read_date` to keep its day.
    """
    when, time_unreadable = read_date(text, tz, reference)
    return None if time_unreadable else when


def read_date(text: str | None, tz: ZoneInfo = OSLO,
              reference: date | None = None) -> tuple[datetime | None, bool]:
    """(the first date in `text`, whether the time given with it is no time of day): as
    `parse_date`, but a real day with an impossible time («23. feb. 2027 kl. 25») gives that day
    alone (midnight, as a date without a time) and True, for the caller to keep the day and say
    that the time could not be read."""
    if not text:
        return None, False
    text = str(text).strip()
    if "/Date(" in text:
        return parse_ms_date(text), False
    if _RFC822.match(text):
        return _rfc822(text, tz), False
    if m := _ISO.search(text):
        y, mo, d, hh, mi, ss, off = m.groups()
        dt, bad = _build_day(int(y), int(mo), int(d), (int(hh or 0), int(mi or 0), int(ss or 0)), tz)
        if dt and off and not bad:
            dt = dt.replace(tzinfo=_offset(off))
        return dt, bad
    if m := _SLASHED.search(text):
        y, mo, d, hh, mi, ss = m.groups()
        return _build_day(int(y), int(mo), int(d), (int(hh or 0), int(mi or 0), int(ss or 0)), tz)
    if m := _NUMERIC.search(text):
        d, mo, y, *clock = m.groups()
        return _build_day(int(y), int(mo), int(d), _clock(clock), tz)
    if m := _WORDS.search(text):
        d, month, y, *clock = m.groups()
        mo = MONTHS[month.lower()]
        if y:
            return _build_day(int(y), mo, int(d), _clock(clock), tz)
        if reference is None:
            return None, False
        # no year: the nearest such date to the reference day
        candidates = [_build_day(reference.year + k, mo, int(d), _clock(clock), tz) for k in (-1, 0, 1)]
        candidates = [c for c in candidates if c[0]]
        if not candidates:
            return None, False
        return min(candidates, key=lambda c: abs((c[0].date() - reference).days))
    return _rfc822(text, tz), False


def _build_day(y: int, m: int, d: int, clock: tuple[int, int, int], tz=OSLO) -> tuple[datetime | None, bool]:
    """(`_build` of the day at `clock`, False); (the day alone, True) when the day is real and the
    clock no time of day; (None, False) when the day is not."""
    if dt := _build(y, m, d, *clock, tz=tz):
        return dt, False
    day = _build(y, m, d, tz=tz)
    return day, day is not None and clock != (0, 0, 0)


def _clock(groups: list[str | None]) -> tuple[int, int, int]:
    """(hour, minute, second) of `_TIME`'s groups: "kl. 12" (hour, minute), "12:00" (hour, minute),
    seconds; midnight when the date has no time."""
    kl_h, kl_m, h, m, s = groups
    return int(kl_h or h or 0), int(kl_m or m or 0), int(s or 0)


def _rfc822(text: str, tz: ZoneInfo) -> datetime | None:
    try:
        dt = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=tz)
    return _sane(dt)


def _offset(off: str) -> timezone:
    if off == "Z":
        return UTC
    off = off.replace(":", "")
    sign = 1 if off[0] == "+" else -1
    return timezone(sign * timedelta(hours=int(off[1:3]), minutes=int(off[3:5])))


def parse_ms_date(text: str | None) -> datetime | None:
    """Stortinget's JSON form ``/Date(1761550200000+0100)/`` → aware datetime in Oslo."""
    if not text:
        return None
    m = _MS_DATE.search(str(text))
    if not m:
        return None
    try:
        dt = datetime.fromtimestamp(int(m.group(1)) / 1000, tz=UTC)
    except (OverflowError, OSError, ValueError):
        return None
    return _sane(dt.astimezone(OSLO))


def parse_stortinget_datetime(text: str | None) -> datetime | None:
    """Saksgang dates ``dd.MM.yyyy HH:mm:ss`` or ISO; ``01.01.0001`` means empty."""
    if not text or str(text).startswith(("01.01.0001", "0001-01-01")):
        return None
    return parse_date(text, OSLO)


def deadline_at(day: date | datetime | None, tz: ZoneInfo = OSLO) -> datetime | None:
    """The one rule for deadlines: a deadline given as a day ends at 23:59:59 that day in `tz`.

    Norwegian hearings (Høringsfrist) use Europe/Oslo; EU feedback periods end at
    midnight Brussels time. A time of 23:59 means the end of that day too; any other
    time of day is kept as it is.
    """
    if day is None:
        return None
    if isinstance(day, datetime):
        if day.tzinfo is None:
            day = day.replace(tzinfo=tz)
        if (day.hour, day.minute) == (23, 59):
            return day.replace(second=59, microsecond=0)
        if (day.hour, day.minute, day.second) != (0, 0, 0):
            return day
        day = day.astimezone(tz).date()
    return datetime.combine(day, time(23, 59, 59), tzinfo=tz)


def session_for(day: date) -> str:
    """The Storting session a day belongs to, as "2026-2027" (a session starts on 1 October):
    the Stortinget spiders' and backfill's, and the session of a Prop. or Innst. in the outcome
    chains (tracker/links/outcomes.py)."""
    year = day.year
    return f"{year}-{year + 1}" if day.month >= 10 else f"{year - 1}-{year}"


def iso(dt: datetime | None) -> str | None:
    """Serialise for items and the store: ISO 8601 with offset, seconds precision."""
    return dt.isoformat(timespec="seconds") if dt else None
