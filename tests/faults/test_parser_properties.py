"""Property-based tests (hypothesis) of the date, deadline and reference parsers: whatever a
site sends, they never crash and never return a date outside a sane range."""

from __future__ import annotations

import re
from datetime import date, datetime

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from crawlers.dates import (
    MAX_YEAR,
    MIN_YEAR,
    OSLO,
    deadline_at,
    parse_date,
    parse_ms_date,
    parse_stortinget_datetime,
)
from tracker.links import references

FAST = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

MONTH_WORDS = ["januar", "feb", "mars", "mai", "juni", "okt.", "desember", "December", "sept"]
#: text that looks like dates: digits, separators, month words, time parts, offsets, junk
date_like = st.lists(
    st.one_of(
        st.integers(min_value=-99999, max_value=99999).map(str),
        st.sampled_from([".", "/", "-", ":", " ", "T", "Z", "+01:00", "-0530", "kl.", ",", "Mon,", "GMT"]),
        st.sampled_from(MONTH_WORDS),
        st.text(max_size=4),
    ),
    max_size=12,
).map("".join)
references_like = st.lists(
    st.one_of(
        st.sampled_from(["Prop.", "Innst.", "Meld. St.", "NOU", "COM(", "CELEX", "(EU)", "direktiv",
                         "forordning", "L", "S", "§", "nr.", "/", "(", ")", "–", "-", ":", " ", "32024L1760"]),
        st.integers(min_value=0, max_value=99999).map(str),
        st.text(max_size=5),
    ),
    max_size=14,
).map("".join)
reference_days = st.dates(min_value=date(1991, 1, 1), max_value=date(2099, 12, 31))


def _sane(dt: datetime | None) -> None:
    if dt is None:
        return
    assert isinstance(dt, datetime) and dt.tzinfo is not None, dt
    assert MIN_YEAR <= dt.year <= MAX_YEAR, dt


@FAST
@given(st.one_of(st.text(max_size=80), date_like), reference_days)
def test_parse_date_never_crashes_and_stays_in_range(text, reference):
    _sane(parse_date(text, reference=reference))
    _sane(parse_date(text))


@FAST
@given(st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31)))
def test_parse_date_of_any_iso_or_norwegian_date_is_that_day_or_none(moment):
    for text in (moment.isoformat(), moment.strftime("%d.%m.%Y"), f"{moment.day}. {MONTH_WORDS[0]} {moment.year}"):
        dt = parse_date(text)
        _sane(dt)
        if dt is not None and not text.startswith(str(moment.day) + ". "):
            assert dt.date() == moment.date(), (text, dt)
    if moment.year < MIN_YEAR or moment.year > MAX_YEAR:
        assert parse_date(moment.strftime("%d.%m.%Y")) is None


@FAST
@given(st.one_of(st.dates(), st.datetimes(), st.datetimes(timezones=st.just(OSLO))))
@example(date.min)
@example(date.max)
def test_deadline_at_is_aware_and_never_before_its_day(value):
    dt = deadline_at(value)
    assert dt is not None and dt.tzinfo is not None
    day = value if not isinstance(value, datetime) else value.date()
    # a time already set is kept (may shift by offset); a difference of dates, so that date.min
    # (Hypothesis found it) does not overflow the check itself
    assert (day - dt.date()).days <= 1
    if not isinstance(value, datetime):
        assert (dt.hour, dt.minute, dt.second) == (23, 59, 59) and dt.date() == value


@FAST
@given(st.integers(min_value=-(10**17), max_value=10**17), st.sampled_from(["", "+0100", "+0200", "-0500"]))
def test_ms_dates_never_crash_and_stay_in_range(ms, offset):
    _sane(parse_ms_date(f"/Date({ms}{offset})/"))
    _sane(parse_stortinget_datetime(f"/Date({ms}{offset})/"))


@FAST
@given(st.one_of(st.text(max_size=60), date_like))
def test_stortinget_datetimes_never_crash(text):
    _sane(parse_ms_date(text))
    _sane(parse_stortinget_datetime(text))


@FAST
@given(st.one_of(st.text(max_size=120), references_like))
def test_reference_parsers_never_crash_and_round_trip(text):
    keys = references.extract(text)
    assert isinstance(keys, list) and len(keys) == len(set(keys))
    for key in keys:
        assert isinstance(key, str) and ":" in key
        assert isinstance(references.label(key), str)
        assert key in references.expand(key)
    normal = references.normalise(text)
    assert normal is None or isinstance(normal, str)
    for m in re.finditer(r"3\d{4}[A-Z]\d{4}", text):
        key = references.celex_key(m.group(0))
        assert key is None or key.startswith(("celex:", "com:"))
