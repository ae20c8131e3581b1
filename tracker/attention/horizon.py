"""The horizon: everything with a date ahead, by week and by month.

Dates come from what the store already holds (nothing is invented here):

- ``deadline`` of open/upcoming items: hearing deadlines (regjeringen.no), Stortinget
  written-input deadlines (``committee_hearing``), EU feedback windows (``eu_consultation``),
  any other kind's deadline;
- Stortinget hearing times (``extra.hearing_times[].tidspunkt`` of ``committee_hearing`` items) and
  the deadline to ask to speak at them (``extra.anmodningsfrist``; when it is the item's deadline,
  that deadline is named so);
- an open Storting case's hearing deadline and hearing (``extra.hearing_deadline`` and
  ``extra.hearing`` of ``storting_case``: its saksgang's HOERFRIST and HOER) when no committee
  hearing item holds that case (``extra.case_ids``, `cases_with_hearing_items`): a
  representantforslag on the fund can have a hearing deadline before the committee publishes a
  hearing, or without one;
- an EU feedback window that has not opened yet (``published`` of ``eu_consultation``: the day it
  opens, ``extra.opens``);
- OEIL forecasts (``extra.forecasts[]`` of ``eu_procedure``: planned Commission adoptions,
  plenary votes, transposition deadlines);
- application and transposition dates written in the watchlist's ``note`` of each watched
  EU file (crawlers/watchlist.toml), read by pattern ("applies 14 Dec 2027") — a date the
  pattern does not see is not shown;
- the internal deadlines advisers set on items they work on (``triage.internal_deadline``, "Utkast
  innen (Kari)"), while the item is not set aside (not relevant, submitted, published, closed).

Not covered (no source holds them yet): EEA Joint Committee dates (EØS-notater carry
only the date last handled), the Commission's planned adoption dates outside OEIL.

"What the NCP follows": an item in the profile's scope that passes its relevance threshold
(the tagger's decision without one), or carries a label, or belongs to a watched EU file, or
names Kontaktpunktet as a consultee, or an adviser follows (`Profile.follows`) — unless an
adviser marked it not relevant (as the digest, search and the calendar leave it out).
``followed_only=False`` shows every dated item.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta
from typing import Any

import sqlite_utils

from crawlers.dates import OSLO, parse_date
from tracker.attention.profiles import Profile, default_profile
from tracker.attention.urgency import opens
from tracker.i18n import gettext
from tracker.store import deadlines
from tracker.store.changes import sitting_days
from tracker.store.queries import as_they_stood, cases_with_hearing_items, loads_json, stood_where
from tracker.vocabulary import N_, sender_name

#: what a date is (code → catalogue message, tracker/locale)
WHAT = {
    "hearing_deadline": N_("Consultation deadline"),
    "storting_deadline": N_("Storting input deadline"),
    "storting_hearing": N_("Storting committee hearing"),
    "storting_request": N_("Storting: deadline to ask to speak"),
    "storting_case_deadline": N_("Storting: hearing deadline of the case"),
    "eu_feedback": N_("EU feedback deadline"),
    "eu_feedback_opens": N_("EU feedback opens"),
    "eu_forecast": N_("EU: forecast"),
    "application": N_("EU act: application/deadline"),
    "deadline": N_("Deadline"),
    "internal_deadline": N_("Draft due"),
}
#: the dates that are due dates — a deadline to answer, to ask to speak, to give written input —
#: not the days something happens (a hearing sits, a window opens, a forecast, an act applies) nor
#: an adviser's own draft-due day: what the digest's GPFG section lists ahead (`tracker.links.gpfg`)
DUE = frozenset({"hearing_deadline", "storting_deadline", "storting_request", "storting_case_deadline",
                 "eu_feedback", "deadline"})
#: the items that can have a date ahead (what `_item_dates` reads), each part found by an index (a
#: LIKE over every item's extra was a scan of the store: 9 s cold at a million items), with the
#: WHAT codes it can give: an open or upcoming deadline (from the day on: the one "?"); a committee
#: hearing's times (and, while it is open, its deadline to ask to speak); a consultation's opening day; an EU
#: procedure's forecasts; an open Storting case's hearing deadline and hearing — the spiders that
#: give these extras (no_stortinget_horinger, eu_haveyoursay, eu_oeil, no_stortinget_spu) give them
#: to these kinds only
_PARTS = (
    ("(status in ('open', 'upcoming') and deadline >= ?)",
     frozenset({"hearing_deadline", "storting_deadline", "storting_request", "eu_feedback", "deadline"})),
    ("(kind = 'committee_hearing' and extra like '%hearing_times%')", frozenset({"storting_hearing"})),
    ("(kind = 'committee_hearing' and status in ('open', 'upcoming') and extra like '%hearing_times%')",
     frozenset({"storting_request"})),
    ("""(kind = 'eu_consultation' and extra like '%"opens"%')""", frozenset({"eu_feedback_opens"})),
    ("(kind = 'eu_procedure' and extra like '%forecasts%')", frozenset({"eu_forecast"})),
    ("""(kind = 'storting_case' and status = 'open' and extra like '%"hearing%')""",
     frozenset({"storting_case_deadline", "storting_hearing"})),
)
MONTHS_NB = ("januar", "februar", "mars", "april", "mai", "juni", "juli", "august", "september", "oktober",
             "november", "desember")  # fmt: skip
MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
             "November", "December")  # fmt: skip
#: a watchlist note's date of application / transposition / postponement
_NOTE_CUE = re.compile(r"appl(?:ies|ication)|transpos\w*|postponed to|\bdue\b|mandatory from|\bfrom\b", re.I)
_NOTE_DATE = re.compile(r"\d{1,2}\s+[A-Za-z]{3,9}\.?\s+\d{4}")
#: the end of a clause in a Bokmål note: ";" or a sentence's full stop (before a capital letter)
_NB_CLAUSE_END = re.compile(r";|\.\s+(?=[A-ZÆØÅ«])")


@dataclass
class Dated:
    """One date ahead."""

    day: date
    at: str  # ISO date or datetime as the source gave it
    what: str  # a WHAT code
    title: str
    item_id: str | None = None
    url: str | None = None
    owner: str | None = None
    source: str | None = None
    detail: str | None = None  # the event's own words (OEIL), the place (Stortinget), the note (watchlist)
    adviser: str | None = None  # whose internal deadline it is
    language: str | None = None  # of the item's title (items.language)

    def label(self, lang: str = "nb") -> str:
        if self.adviser:
            return gettext(lang, "Draft due (%(adviser)s)", adviser=self.adviser)
        return gettext(lang, WHAT[self.what])

    def as_dict(self, lang: str = "nb") -> dict[str, Any]:
        return {**asdict(self), "day": self.day.isoformat(), "label": self.label(lang)}


def _day(value: str | None) -> tuple[date, str] | None:
    if not value:
        return None
    dt = parse_date(value)
    return (dt.astimezone(OSLO).date(), value) if dt else None


def _deadline_day(value: str | None) -> tuple[date, str] | None:
    """A deadline's day as the digest and the inbox say it (`deadlines.deadline_day`: a day alone
    is that day, midnight sharp the day before), with the value as given."""
    day = deadlines.deadline_day(value) if value else None
    return (day, value) if day else None


def followed(item: dict[str, Any], profile: Profile, watched: set[str]) -> bool:
    """Does the NCP follow this item (see the module docstring; the row's `triage_state` is its
    triage row's state)?"""
    if not profile.in_scope(item) or item.get("triage_state") == "not_relevant":
        return False
    return profile.follows(item) or bool(item.get("labels")) or item["id"] in watched


def _item_dates(item: dict[str, Any], start: date, end: date, lang: str = "nb") -> Iterable[Dated]:
    extra = item["extra"]
    base = {"title": item["title"], "item_id": item["id"], "url": item.get("url"),
            "owner": sender_name(item, lang) or None,
            "source": item["source"], "language": item.get("language")}
    kind = item["kind"]
    is_open = item.get("status") in ("open", "upcoming")
    ask_is_deadline = kind == "committee_hearing" and extra.get("deadline_basis") == "anmodningsfrist"
    if item.get("deadline") and is_open and (d := _deadline_day(item["deadline"])):
        what = {"hearing": "hearing_deadline", "committee_hearing": "storting_deadline",
                "eu_consultation": "eu_feedback"}.get(kind, "deadline")
        yield Dated(day=d[0], at=d[1], what="storting_request" if ask_is_deadline else what, **base)
    if kind == "committee_hearing" and is_open and not ask_is_deadline and (d := _deadline_day(extra.get("anmodningsfrist"))):
        yield Dated(day=d[0], at=d[1], what="storting_request", **base)
    if kind == "committee_hearing" and item.get("status") != "withdrawn":
        # each day it sits, as the digest and the calendar name them (one day's slots are one day;
        # a start without a list of sittings is a day too)
        for when, place in sitting_days(extra):
            yield Dated(day=when.astimezone(OSLO).date(), at=when.isoformat(), what="storting_hearing",
                        detail=place, **base)
    # a Have your say consultation's `published` is the day its feedback opens (extra `opens`, the
    # same day): the tracked copy, set back for an earlier day's digest as `opens` is not
    if (when := opens(item)) is not None and (day := when.astimezone(OSLO).date()) > start:
        yield Dated(day=day, at=item["published"], what="eu_feedback_opens", **base)
    if kind == "storting_case" and item.get("status") == "open":
        # its saksgang's dates (no_stortinget_spu), shown when no committee hearing item holds them
        if d := _day(extra.get("hearing_deadline")):
            yield Dated(day=d[0], at=d[1], what="storting_case_deadline", **base)
        if d := _day(extra.get("hearing")):
            yield Dated(day=d[0], at=d[1], what="storting_hearing", **base)
    for f in extra.get("forecasts") or [] if kind == "eu_procedure" else []:
        if isinstance(f, dict) and (d := _day(f.get("date"))):
            yield Dated(day=d[0], at=d[1], what="eu_forecast", detail=f.get("event"), **base)


def watchlist_dates(entries: Iterable[Any], lang: str = "nb") -> Iterable[Dated]:
    """Application / transposition dates written in the watchlist's notes: the dates read from
    the English `note`, each with its clause in the reader's note (`WatchEntry.note_in`). Titled
    by the file's Bokmål name for a Bokmål reader where it has one («Tvangsarbeidsforordningen»),
    else by its name and the EU's English title, in English (`language`, for the pages' marks)."""
    for entry in entries:
        note = entry.note or ""
        shown = entry.note_in(lang) or note
        named = lang == "nb" and bool(entry.name_nb)
        title = entry.name_nb if named else f"{entry.name}: {entry.title or entry.act or ''}".strip(" :")
        seen: set[date] = set()
        for cue in _NOTE_CUE.finditer(note):
            # the dates of the cue's clause (up to the next ";" or sentence end)
            clause = _clause(note, cue.start(), cue.end())
            for m in _NOTE_DATE.finditer(clause):
                dt = parse_date(m.group(0))
                if dt is None or dt.date() in seen:
                    continue
                seen.add(dt.date())
                yield Dated(day=dt.date(), at=dt.date().isoformat(), what="application",
                            title=title, detail=clause if shown == note else _clause_with(shown, dt.date()),
                            source="watchlist", language=None if named else "en")


def _clause(text: str, start: int, after: int) -> str:
    """The clause of `text` from `start` up to the next ";" or sentence end after `after`."""
    end = min([i for i in (text.find(";", after), text.find(". ", after)) if i >= 0] or [len(text)])
    return text[start:end].strip(" ,.")


def _clause_with(note_nb: str, day: date) -> str:
    """The clause of a Bokmål note that names `day` ("30. desember 2026"): up to a ";" or a
    sentence's end (a full stop before a capital; "30. juni", "mrd. euro" go on); the whole note
    when no clause names it."""
    named = re.compile(rf"(?<!\d){day.day}\.\s+{MONTHS_NB[day.month - 1]}\s+{day.year}")
    for clause in _NB_CLAUSE_END.split(note_nb):
        if named.search(clause):
            return clause.strip(" ,.")
    return note_nb.strip()


def horizon(db: sqlite_utils.Database, as_of: datetime, *, weeks: int = 12, profile: Profile | None = None,
            followed_only: bool = True, watch_entries: Iterable[Any] | None = None,
            end: date | None = None, upto: int | None = None, lang: str = "nb",
            among: tuple[str, list[Any]] | None = None, whats: frozenset[str] | None = None) -> list[Dated]:
    """Every date from `as_of`'s day up to `weeks` weeks ahead (or up to, not including, `end`), earliest first;
    from the items as they stood once event `upto` was recorded (a digest of an earlier day; None: as they stand);
    the watchlist's notes in `lang`. `among`: a where-clause on `items` and its parameters, the items
    to read the dates of (the digest's GPFG section: the fund's items, not every item's dates at a
    million items). `whats`: only the dates of these `WHAT` codes (e.g. `DUE`), and only the items
    that can have one are read (None: every date)."""
    profile = profile or default_profile()
    start = as_of.astimezone(OSLO).date()
    end = end or start + timedelta(weeks=weeks)
    wanted = frozenset(WHAT) if whats is None else whats
    watched = {r["item_id"] for r in db.query("select distinct item_id from refs where ref like 'watch:%'")} \
        if "refs" in db.table_names() else set()
    columns = {c.name for c in db["items"].columns}
    consultee = "ncp_consultee" if "ncp_consultee" in columns else "0 as ncp_consultee"
    out: list[Dated] = []
    # the items that can have a date of `wanted` (_PARTS: the digest's GPFG section wants due dates
    # only, and reading the hearing times, opening days and forecasts of every item was most of
    # its time at a million items)
    parts = [part for part, gives in _PARTS if gives & wanted]
    where = f"""vanished_at is null and status != 'withdrawn' and ({" or ".join(parts) or "0"})"""
    more: list[Any] = []
    if among is not None:
        where = f"({where}) and ({among[0]})"
        more = list(among[1])
    where, later = stood_where(db, where, upto)  # as they stood then: also the items changed since
    params: list[Any] = [*(start.isoformat() for part in parts if "?" in part), *more, *later]
    rows = list(db.query(f"""select id, source, kind, native_id, title, url, owner, status, deadline, published, extra, labels,
                                    language, relevance, relevant, vanished_at, {consultee},
                                    (select t.state from triage t where t.item_id = items.id) as triage_state
                             from items where {where}""", params))
    rows = [r for r in as_they_stood(db, rows, upto) if not r.get("vanished_at") and r.get("status") != "withdrawn"]
    for row in rows:
        row["extra"] = loads_json(row["extra"], {})
        row["labels"] = loads_json(row["labels"], [])
    # the cases whose hearing a committee hearing item holds: its dates come from that item, once
    heard = cases_with_hearing_items(db, [r["native_id"] for r in rows if r["kind"] == "storting_case"], upto)
    for row in rows:
        if (row["kind"] == "storting_case" and row["native_id"] in heard) or (
                followed_only and not followed(row, profile, watched)):
            continue
        out += [d for d in _item_dates(row, start, end, lang) if start <= d.day < end and d.what in wanted]
    if "internal_deadline" in wanted:
        out += [d for d in internal_deadlines(db, profile, lang) if start <= d.day < end]
    if "application" in wanted:
        if watch_entries is None:
            from tracker.links.watchlist import load

            watch_entries = load()
        out += [d for d in watchlist_dates(watch_entries, lang) if start <= d.day < end]
    out.sort(key=lambda d: (d.day, d.at, d.what, d.title))
    return out


def internal_deadlines(db: sqlite_utils.Database, profile: Profile, lang: str = "nb") -> Iterable[Dated]:
    """The internal deadlines advisers set on items in the profile's scope that they still work on
    (an adviser's own date: the item is followed whatever its relevance). CROSS JOIN: the triage
    rows lead and each finds its item by id; left to itself SQLite scanned every item and looked
    each up in triage (12 s on a million items)."""
    from tracker.attention.urgency import SET_ASIDE_STATES

    marks = ",".join("?" for _ in SET_ASIDE_STATES)
    for row in db.query(
        f"""select i.id, i.source, i.kind, i.title, i.url, i.owner, i.labels, i.language, t.internal_deadline,
                   t.owner as adviser
            from triage t cross join items i on i.id = t.item_id
            where t.internal_deadline is not null and t.state not in ({marks})
              and i.vanished_at is null and i.status != 'withdrawn'""", list(SET_ASIDE_STATES)):  # fmt: skip
        row["labels"] = loads_json(row["labels"], [])
        if not profile.in_scope(row) or not (d := _day(row["internal_deadline"])):
            continue
        yield Dated(day=d[0], at=d[1], what="internal_deadline", title=row["title"], item_id=row["id"],
                    url=row.get("url"), owner=sender_name(row, lang) or None, source=row["source"],
                    adviser=(row.get("adviser") or "").strip() or None, language=row.get("language"))


def week_label(day: date, lang: str = "nb") -> str:
    monday = day - timedelta(days=day.weekday())
    sunday = monday + timedelta(days=6)
    return gettext(lang, "Week %(week)d (%(start)s – %(end)s)", week=day.isocalendar().week,
                   start=day_month(monday, lang), end=day_month(sunday, lang))


def day_month(day: date, lang: str = "nb") -> str:
    """'30. nov' / '30 Nov'."""
    if lang == "en":
        return f"{day.day} {MONTHS_EN[day.month - 1][:3]}"
    return f"{day.day}. {MONTHS_NB[day.month - 1][:3]}"


def month_label(day: date, lang: str = "nb") -> str:
    return f"{MONTHS_EN[day.month - 1]} {day.year}" if lang == "en" else f"{MONTHS_NB[day.month - 1]} {day.year}"


def grouped(entries: list[Dated], by: str = "week", lang: str = "nb") -> list[tuple[str, list[Dated]]]:
    """Entries under week labels ("Uke 49 (30. nov – 6. des)") or month labels ("desember 2026"), in order."""
    if by not in ("week", "month"):
        raise ValueError(f"group by 'week' or 'month', not {by!r}")
    label = week_label if by == "week" else month_label
    groups: dict[str, list[Dated]] = {}
    for entry in entries:
        groups.setdefault(label(entry.day, lang), []).append(entry)
    return list(groups.items())
