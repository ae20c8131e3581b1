"""The morning read: one digest, built once from the store, rendered as Markdown, plain text,
HTML, e-mail, Atom and iCalendar.

Sections, in order: a loud banner when a source is failing; **Needs input**
(`tracker.attention.urgency.needs_input`, the one place that is decided); **New since the previous
digest**; **Changed** (deadline moved old → new, closed, withdrawn, sent on a new hearing, new
documents, vanished, reappeared); **EU** (when EU items are in the store; Norwegian links when
`tracker.links.related` is available); **GPFG** and **Åpenhetsloven** (from `tracker.links.gpfg` when it is
available, else from the store's GPFG and Forbrukertilsynet/Lovdata items when there are any);
**Coming deadlines** in 2 / 6 / 12 weeks (every open consultation in scope, relevant or not, so
nothing is silently left out); **Source health** (always, last).

"Since the previous digest": each written digest is recorded in the `digests` table with the id
of the last event it covered. The baseline of a digest for day D is the digest(s) of the latest
day before D for the same profile (the smallest `last_event_id` of that day, so an extra digest
written later that day can never hide events); regenerating day D any number of times gives
the same baseline. With no earlier digest, the window is the 24 hours before `as_of`.

Every string that comes from a source is cleaned (`clean`: control characters, bidi overrides,
lone surrogates removed; whitespace collapsed; long strings cut) and then escaped for the format
(Jinja2 autoescape for HTML, backslash escapes for Markdown, ElementTree for Atom, icalendar for
ICS); links are only ever http(s) URLs.
"""

from __future__ import annotations

import html
import importlib
import json
import re
import unicodedata
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import sqlite_utils

from crawlers.dates import OSLO
from tracker.attention import urgency
from tracker.attention.profiles import Profile, load_profile
from tracker.store import changes, deadlines
from tracker.store.queries import select_in

LANGS = ("nb", "en")
FORMATS = ("md", "html", "txt", "eml", "atom", "ics")
EXTENSIONS = {"md": "md", "html": "html", "txt": "txt", "eml": "eml", "atom": "atom.xml", "ics": "ics"}
EU_KINDS = ("eu_consultation", "eu_act_update", "eu_procedure", "eea_note")
EU_WATCH_KINDS = ("eu_act_update", "eu_procedure", "eea_note")
GPFG_KINDS = ("gpfg_document", "gpfg_recommendation", "gpfg_decision")
GPFG_SOURCES = ("no_finansdep", "no_etikkradet", "no_nbim", "no_stortinget_spu")
APL_SOURCES = ("no_forbrukertilsynet", "no_lovdata")
APL_KINDS = ("regulator_news", "law_change")
#: coming-deadline buckets: (key, up to this many calendar days ahead)
BUCKETS = (("2w", 14), ("6w", 42), ("12w", 84))
#: a source whose latest check is older than this (before the digest's clock) is flagged
STALE_AFTER = timedelta(hours=36)
#: the Atom feed carries changes from this many days back
FEED_WINDOW_DAYS = 14
#: the calendar keeps deadlines that passed up to this many days ago
CALENDAR_PAST_DAYS = 30
TITLE_LIMIT = 300
SUMMARY_LIMIT = 400
SNIPPET_LIMIT = 200
#: New/Changed list at most this many items that are below the profile's threshold
MAX_MINOR = 60

# ---------------------------------------------------------------------------- words

STRINGS: dict[str, dict[str, str]] = {
    "nb": {
        "digest": "Morgenoversikt", "for": "for", "as_of": "Stand",
        "since": "Endringer siden forrige oversikt", "since_none": "Første oversikt: endringer siste døgn",
        "needs_input": "Trenger innspill", "new": "Nytt siden forrige oversikt", "changed": "Endret",
        "eu": "EU", "gpfg": "Statens pensjonsfond utland (SPU)", "apenhetsloven": "Åpenhetsloven",
        "coming": "Kommende frister", "health": "Kildenes helse",
        "nothing": "Ingenting.", "no_deadline": "ingen frist kjent", "deadline": "Frist",
        "wd_left": "virkedager igjen", "wd_one": "virkedag igjen", "due_today": "frist i dag",
        "draft_due": "utkast klart", "draft_overdue": "utkastfristen er passert",
        "owner": "Ansvarlig", "assigned": "Tildelt", "state": "Status", "labels": "Merker",
        "evidence": "Treff", "relevance": "relevans", "open": "Åpne",
        "untagged": "{n} åpne høringer er ikke merket ennå og står bare under «Kommende frister».",
        "b2w": "Innen 2 uker", "b6w": "Innen 6 uker", "b12w": "Innen 12 uker",
        "later": "Senere eller uten kjent frist",
        "more": "… og {n} til (se `ncp-tracker items`).",
        "eu_open": "Åpne EU-konsultasjoner", "eu_stage": "Endringer i fulgte saker siste uke",
        "no_links": "Ingen norske koblinger funnet.", "links": "Norske koblinger",
        "section_failed": "Seksjonen kunne ikke lages: {error}",
        "src": "Kilde", "status": "Status", "reason": "Årsak", "items": "Saker", "checked": "Sjekket",
        "stale": "ikke sjekket på over 36 timer",
        "red_banner_one": "1 kilde feiler: {names}", "red_banner_many": "{n} kilder feiler: {names}",
        "stale_banner": "Ikke sjekket på over 36 timer: {names}",
        "no_runs": "Ingen innhenting er kjørt ennå.",
        "subject": "{title} {date}: {n} {what} trenger innspill", "subject_red": "[{n} {sources} feiler] ",
        "subject_what": "høring", "subject_whats": "høringer", "source_one": "kilde", "source_many": "kilder",
        "relevant_mark": "relevant",
        "footer": "Laget av ncp-tracker. Alle titler og tekster er hentet fra kildene.",
        "calendar_deadline": "Frist", "calendar_draft": "Utkast klart", "feed_needs": "Trenger innspill",
        "feed_new": "Ny", "feed_changed": "Endret",
    },
    "en": {
        "digest": "Morning digest", "for": "for", "as_of": "As of",
        "since": "Changes since the previous digest", "since_none": "First digest: changes in the last 24 hours",
        "needs_input": "Needs input", "new": "New since the previous digest", "changed": "Changed",
        "eu": "EU", "gpfg": "Government Pension Fund Global (GPFG)", "apenhetsloven": "Åpenhetsloven (Transparency Act)",
        "coming": "Coming deadlines", "health": "Source health",
        "nothing": "Nothing.", "no_deadline": "no deadline known", "deadline": "Deadline",
        "wd_left": "working days left", "wd_one": "working day left", "due_today": "due today",
        "draft_due": "draft due", "draft_overdue": "draft is overdue",
        "owner": "Owner", "assigned": "Assigned to", "state": "State", "labels": "Labels",
        "evidence": "Evidence", "relevance": "relevance", "open": "Open",
        "untagged": "{n} open consultations are not tagged yet and appear only under “Coming deadlines”.",
        "b2w": "Within 2 weeks", "b6w": "Within 6 weeks", "b12w": "Within 12 weeks",
        "later": "Later or no deadline known",
        "more": "… and {n} more (see `ncp-tracker items`).",
        "eu_open": "Open EU consultations", "eu_stage": "Changes to watched files this week",
        "no_links": "No Norwegian links found.", "links": "Norwegian links",
        "section_failed": "This section could not be built: {error}",
        "src": "Source", "status": "Status", "reason": "Reason", "items": "Items", "checked": "Checked",
        "stale": "not checked for over 36 hours",
        "red_banner_one": "1 source is failing: {names}", "red_banner_many": "{n} sources are failing: {names}",
        "stale_banner": "Not checked for over 36 hours: {names}",
        "no_runs": "No crawl has run yet.",
        "subject": "{title} {date}: {n} {what} need input", "subject_red": "[{n} {sources} failing] ",
        "subject_what": "consultation", "subject_whats": "consultations", "source_one": "source", "source_many": "sources",
        "relevant_mark": "relevant",
        "footer": "Made by ncp-tracker. Titles and texts are quoted from the sources.",
        "calendar_deadline": "Deadline", "calendar_draft": "Draft due", "feed_needs": "Needs input",
        "feed_new": "New", "feed_changed": "Changed",
    },
}  # fmt: skip

KIND_NAMES = {
    "nb": {"hearing": "Høring", "committee_hearing": "Komitéhøring", "eu_consultation": "EU-konsultasjon",
           "eu_act_update": "EU-rettsakt", "eu_procedure": "EU-prosedyre", "eea_note": "EØS-notat",
           "gpfg_document": "SPU-dokument", "gpfg_recommendation": "Etikkrådet", "gpfg_decision": "Norges Bank",
           "storting_case": "Stortingssak", "regulator_news": "Tilsyn", "law_change": "Lovendring"},
    "en": {"hearing": "Hearing", "committee_hearing": "Committee hearing", "eu_consultation": "EU consultation",
           "eu_act_update": "EU act", "eu_procedure": "EU procedure", "eea_note": "EEA note",
           "gpfg_document": "GPFG document", "gpfg_recommendation": "Council on Ethics",
           "gpfg_decision": "Norges Bank", "storting_case": "Storting case", "regulator_news": "Regulator",
           "law_change": "Law change"},
}  # fmt: skip

STATUS_NAMES = {
    "nb": {"open": "åpen", "closed": "lukket", "withdrawn": "trukket", "upcoming": "kommende", "unknown": "ukjent"},
    "en": {"open": "open", "closed": "closed", "withdrawn": "withdrawn", "upcoming": "upcoming", "unknown": "unknown"},
}
TRIAGE_NAMES = {
    "nb": {"new": "ny", "watching": "følges", "respond": "skal svares", "assigned": "tildelt",
           "drafting": "utkast skrives", "submitted": "sendt", "published": "publisert",
           "not_relevant": "ikke relevant", "closed_unanswered": "lukket uten svar"},
    "en": {"new": "new", "watching": "watching", "respond": "to answer", "assigned": "assigned",
           "drafting": "drafting", "submitted": "submitted", "published": "published",
           "not_relevant": "not relevant", "closed_unanswered": "closed unanswered"},
}  # fmt: skip
FIELD_NAMES = {
    "nb": {"title": "tittel", "summary": "sammendrag", "body": "tekst", "owner": "ansvarlig",
           "reference": "referanse", "url": "lenke", "published": "publisert", "kind": "type"},
    "en": {"title": "title", "summary": "summary", "body": "text", "owner": "owner",
           "reference": "reference", "url": "link", "published": "published", "kind": "kind"},
}  # fmt: skip
HEALTH_NAMES = {"nb": {"green": "OK", "amber": "advarsel", "red": "FEILER"},
                "en": {"green": "OK", "amber": "warning", "red": "FAILING"}}
MONTHS = {
    "nb": ["januar", "februar", "mars", "april", "mai", "juni", "juli", "august", "september",
           "oktober", "november", "desember"],
    "en": ["January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December"],
}  # fmt: skip
WEEKDAYS = {"nb": ["mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag"],
            "en": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]}


def fmt_date(day: date | str | None, lang: str) -> str:
    """Short date: 'fre. 11.12.2026' / 'Fri 11 Dec 2026'."""
    if day is None:
        return ""
    if isinstance(day, str):
        day = date.fromisoformat(day[:10])
    if lang == "en":
        return f"{WEEKDAYS['en'][day.weekday()][:3]} {day.day} {MONTHS['en'][day.month - 1][:3]} {day.year}"
    return f"{WEEKDAYS['nb'][day.weekday()][:3]}. {day:%d.%m.%Y}"


def fmt_long_date(day: date, lang: str) -> str:
    """'tirsdag 24. november 2026' / 'Tuesday 24 November 2026'."""
    if lang == "en":
        return f"{WEEKDAYS['en'][day.weekday()]} {day.day} {MONTHS['en'][day.month - 1]} {day.year}"
    return f"{WEEKDAYS['nb'][day.weekday()]} {day.day}. {MONTHS['nb'][day.month - 1]} {day.year}"


# ---------------------------------------------------------------------------- text safety

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
#: bidi embeddings, overrides and isolates (U+202A–E, U+2066–9): they can reorder the text
#: around them ("Trojan source"); the plain marks U+200E/U+200F are kept
_BIDI = re.compile(r"[\u202a-\u202e\u2066-\u2069]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_SPACE = re.compile(r"\s+")


def clean(value: Any, limit: int | None = None) -> str:
    """A scraped value made safe to show on one line in any format (not yet escaped)."""
    if value is None:
        return ""
    text = str(value)
    text = _SURROGATE.sub("\ufffd", text)
    text = unicodedata.normalize("NFC", text)
    text = _BIDI.sub("", _CONTROL.sub(" ", text))
    text = _SPACE.sub(" ", text).strip()
    if limit and len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return text


def safe_url(url: Any) -> str | None:
    """An http(s) URL fit for a link, or None (javascript:, data:, relative or broken URLs)."""
    text = clean(url)
    if not text or " " in text:
        return None
    try:
        parts = urlsplit(text)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return quote(text, safe=":/?#[]@!$&'()*+,;=%~-._")


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&#])")


def md(value: Any, limit: int | None = None) -> str:
    """Clean and escape for Markdown (CommonMark backslash escapes)."""
    return _MD_SPECIAL.sub(r"\\\1", clean(value, limit))


def md_escaped(text: str) -> str:
    """Escape already-cleaned text for Markdown (keeps its edge spaces)."""
    return _MD_SPECIAL.sub(r"\\\1", text)


def md_link(title: Any, url: Any, limit: int | None = TITLE_LIMIT) -> str:
    text = md(title, limit) or "(uten tittel)"
    href = safe_url(url)
    return f"[{text}](<{href}>)" if href else text


# ---------------------------------------------------------------------------- the digest


@dataclass
class Section:
    """A section built by another module (GPFG, åpenhetsloven), normalised for rendering."""

    groups: list[tuple[str, list[dict[str, Any]]]] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)
    error: str | None = None

    @property
    def empty(self) -> bool:
        return not self.lines and not self.error and not any(rows for _, rows in self.groups)


@dataclass
class Digest:
    profile: Profile
    lang: str
    as_of: datetime
    day: date
    since: datetime | None
    baseline_event_id: int
    last_event_id: int
    needs_input: list[dict[str, Any]]
    untagged_open: int
    new: list[dict[str, Any]]
    new_minor_hidden: int
    changed: list[dict[str, Any]]
    changed_minor_hidden: int
    eu: dict[str, Any] | None
    gpfg: Section | None
    apenhetsloven: Section | None
    coming: list[tuple[str, list[dict[str, Any]]]]
    health: list[dict[str, Any]]
    red: list[dict[str, Any]]
    stale: list[dict[str, Any]]

    @property
    def t(self) -> dict[str, str]:
        return STRINGS[self.lang]


def _json(value: Any) -> Any:
    if value is None or not isinstance(value, str):
        return value
    if value[:1] in "[{":
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def baseline(db: sqlite_utils.Database, profile: str, day: date) -> dict[str, Any] | None:
    """The digest a digest of `day` reports changes since (see the module docstring)."""
    rows = list(db.query(
        "select * from digests where profile = ? and date < ? order by date desc, last_event_id, id",
        [profile, day.isoformat()],
    ))  # fmt: skip
    if not rows:
        return None
    latest_day = rows[0]["date"]
    same_day = [r for r in rows if r["date"] == latest_day]
    return min(same_day, key=lambda r: (r["last_event_id"] or 0, r["id"]))


def last_event_id(db: sqlite_utils.Database, as_of: datetime) -> int:
    """The id of the last event recorded at or before `as_of` (0 if none)."""
    for row in db.query("select id, at from events order by id desc"):
        at = deadlines.to_datetime(row["at"])
        if at is not None and at <= as_of:
            return int(row["id"])
    return 0


def _event_at(db: sqlite_utils.Database, event_id: int) -> datetime | None:
    row = next(db.query("select at from events where id = ?", [event_id]), None)
    return deadlines.to_datetime(row["at"]) if row else None


def _window_events(db: sqlite_utils.Database, after_id: int, upto_id: int,
                   since: datetime | None = None) -> list[dict[str, Any]]:
    rows = []
    for row in db.query("select * from events where id > ? and id <= ? order by id", [after_id, upto_id]):
        at = deadlines.to_datetime(row["at"])
        if since is not None and (at is None or at <= since):
            continue
        row["before"], row["after"] = _json(row["before"]), _json(row["after"])
        rows.append(row)
    return rows


def _items_by_id(db: sqlite_utils.Database, ids: list[str]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    sql = """select i.*, t.state as triage_state, t.owner as triage_owner
             from items i left join triage t on t.item_id = i.id where i.id in ({marks})"""
    for row in select_in(db, sql, list(dict.fromkeys(ids))):
        row["labels"] = urgency.item_labels(row)
        out[row["id"]] = row
    return out


def _decorate(row: dict[str, Any], as_of: datetime, profile: Profile) -> dict[str, Any]:
    """Deadline facts every renderer needs."""
    day = deadlines.deadline_day(row.get("deadline"))
    row["deadline_day"] = day.isoformat() if day else None
    open_ = row.get("status") == "open" and day is not None
    passed = day is not None and (deadlines.to_datetime(row["deadline"]) or as_of) < as_of
    row["working_days_left"] = (
        deadlines.working_days_between(deadlines.oslo_date(as_of), day) if open_ and not passed else None
    )
    row["passes"] = profile.passes_threshold(row)
    return row


def _resent(db: sqlite_utils.Database, new_items: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """New consultations that repeat an earlier one: {new item id: previous item}.

    Decided by the source's own pointer (extra `previous_hearing`/`replaces`: an id or URL) or by
    the same title (`changes.title_key`: a leading "Høring –"/"(ny høring)", case and punctuation
    ignored; at least 20 characters) as an earlier consultation of another id.
    """
    consult = [i for i in new_items if i.get("kind") in urgency.CONSULTATION_KINDS]
    if not consult:
        return {}
    pointers: dict[str, str] = {}
    keys: dict[str, str] = {}
    for item in consult:
        extra = _json(item.get("extra")) or {}
        pointer = extra.get("previous_hearing") or extra.get("replaces") if isinstance(extra, dict) else None
        if isinstance(pointer, str) and pointer:
            pointers[item["id"]] = pointer
        key = changes.title_key(item.get("title"))
        if len(key) >= 20:
            keys[item["id"]] = key
    kinds = list(urgency.CONSULTATION_KINDS)
    in_kinds = f"kind in ({','.join('?' * len(kinds))})"
    by_ref: dict[str, dict[str, Any]] = {}
    for row in select_in(
        db, f"""select id, title, url, canonical_url, deadline, status, first_seen from items
                where {in_kinds} and (id in ({{marks}}) or url in ({{marks}}) or canonical_url in ({{marks}}))""",
        sorted(set(pointers.values())), before=kinds,
    ):
        for ref in (row["id"], row["url"], row["canonical_url"]):
            if ref:
                by_ref[ref] = row
    by_title: dict[str, list[dict[str, Any]]] = {}
    for row in select_in(
        db, f"""select id, title, url, canonical_url, deadline, status, first_seen, title_key from items
                where title_key in ({{marks}}) and {in_kinds}""",
        sorted(set(keys.values())), after=kinds,
    ):
        by_title.setdefault(row["title_key"], []).append(row)
    out: dict[str, dict[str, Any]] = {}
    for item in consult:
        pointer = pointers.get(item["id"])
        if pointer in by_ref and by_ref[pointer]["id"] != item["id"]:
            out[item["id"]] = by_ref[pointer]
            continue
        earlier = [r for r in by_title.get(keys.get(item["id"], ""), []) if r["id"] != item["id"]
                   and (r["first_seen"] or "") <= (item.get("first_seen") or "")]
        if earlier:
            out[item["id"]] = max(earlier, key=lambda r: r["first_seen"] or "")
    return out


def _changes(db: sqlite_utils.Database, events: list[dict[str, Any]], profile: Profile,
             as_of: datetime) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(new items, changed items with their changes) from the window's events, in scope."""
    items = _items_by_id(db, [e["item_id"] for e in events])
    new_ids = [e["item_id"] for e in events if e["kind"] == "new"]
    new = [_decorate(items[i], as_of, profile) for i in dict.fromkeys(new_ids)
           if i in items and profile.in_scope(items[i])]
    changes: dict[str, list[dict[str, Any]]] = {}
    for e in events:
        if e["kind"] == "new" or e["item_id"] in new_ids or e["item_id"] not in items:
            continue
        changes.setdefault(e["item_id"], []).append(
            {"kind": e["kind"], "field": e["field"], "before": e["before"], "after": e["after"], "at": e["at"]})
    for item_id, previous in _resent(db, new).items():
        changes.setdefault(item_id, []).append({"kind": "resent", "previous": previous})
    changed = []
    for item_id, change_list in changes.items():
        item = items.get(item_id)
        if item is None or not profile.in_scope(item):
            continue
        row = _decorate(dict(item), as_of, profile)
        row["changes"] = change_list
        changed.append(row)
    return new, changed


def _rank(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(rows, key=lambda r: (not r.get("passes"), -(r.get("relevance") or 0.0),
                                       r.get("deadline_day") or "9999", clean(r.get("title")).casefold(), r["id"]))


def _trim(rows: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], int]:
    """Every item above the threshold; the others up to MAX_MINOR (the rest counted)."""
    major = [r for r in rows if r.get("passes")]
    minor = [r for r in rows if not r.get("passes")]
    return major + minor[:MAX_MINOR], max(0, len(minor) - MAX_MINOR)


def _coming(db: sqlite_utils.Database, as_of: datetime, profile: Profile) -> list[tuple[str, list[dict[str, Any]]]]:
    today = deadlines.oslo_date(as_of)
    buckets: dict[str, list[dict[str, Any]]] = {key: [] for key, _ in BUCKETS}
    buckets["later"] = []
    for row in urgency.candidates(db):
        row["labels"] = urgency.item_labels(row)
        if not profile.in_scope(row) or row.get("vanished_at"):
            continue
        if row["status"] != "open" and not (row["status"] == "unknown" and not row.get("deadline")):
            continue
        deadline = deadlines.to_datetime(row.get("deadline"))
        if deadline is not None and deadline < as_of:
            continue
        _decorate(row, as_of, profile)
        if row.get("triage_state") in urgency.SET_ASIDE_STATES:
            row["passes"] = False  # an adviser set it aside: listed, but not starred
        day = deadlines.deadline_day(row.get("deadline"))
        key = "later"
        if day is not None:
            ahead = (day - today).days
            key = next((k for k, limit in BUCKETS if ahead <= limit), "later")
        buckets[key].append(row)
    for rows in buckets.values():
        rows.sort(key=lambda r: (r.get("deadline_day") or "9999", not r.get("passes"), clean(r.get("title")).casefold(), r["id"]))
    return [(key, buckets[key]) for key, _ in (*BUCKETS, ("later", 0))]


def _health(db: sqlite_utils.Database, as_of: datetime) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    from tracker.store import health as health_mod

    rows = health_mod.latest(db)
    run_clock = {r["id"]: deadlines.to_datetime(r["as_of"]) for r in db.query("select id, as_of from runs")}
    stale = []
    for row in rows:
        checked = run_clock.get(row["run_id"])
        row["checked"] = checked
        row["stale"] = bool(checked and as_of - checked > STALE_AFTER)
        if row["stale"]:
            stale.append(row)
    order = {"red": 0, "amber": 1, "green": 2}
    rows.sort(key=lambda r: (order.get(r["status"], 3), r["source"]))
    return rows, stale


def _module(name: str, attr: str):
    """`name.attr` if that module can be imported and has it, else None."""
    try:
        module = importlib.import_module(name)
    except ImportError:
        return None
    return getattr(module, attr, None)


def _normalise_section(result: Any, lang: str = "nb") -> Section:
    """Whatever another module's section function returns, as a Section.

    Accepted: None; a string (lines of text); a list of dicts (rows: title, url and any of
    actor, stage_label/stage, status, published, deadline, change, …) — grouped by `actor` when
    every row has one; a dict with "items"/"rows" (rows) or "groups" ({name: rows} or
    [(name, rows)]) or any other {name: rows} mapping.
    """
    section = Section()
    if result is None:
        return section
    if isinstance(result, str):
        section.lines = [clean(line) for line in result.splitlines() if clean(line)]
        return section
    if isinstance(result, list | tuple):
        rows = list(result)
        if rows and all(isinstance(r, dict) and r.get("actor") for r in rows):
            groups: dict[str, list[dict[str, Any]]] = {}
            for r in rows:
                groups.setdefault(clean(r["actor"], 120), []).append(_row(r, lang, skip=("actor",)))
            section.groups = list(groups.items())
        else:
            section.groups = [("", [_row(r, lang) for r in rows])]
        return section
    if isinstance(result, dict):
        if "items" in result or "rows" in result:
            section.groups = [("", [_row(r, lang) for r in result.get("items") or result.get("rows") or []])]
            return section
        groups = result.get("groups", result)
        pairs = groups.items() if isinstance(groups, dict) else groups
        for name, rows in pairs:
            if isinstance(rows, list | tuple):
                section.groups.append((clean(name), [_row(r, lang) for r in rows]))
        return section
    section.lines = [clean(result)]
    return section


_ROW_META = ("actor", "stage_label", "stage", "kind", "status", "owner", "date", "published", "deadline",
             "change", "company", "companies")
_CHANGE_WORDS = {"nb": {"new": "ny", "changed": "endret"}, "en": {"new": "new", "changed": "changed"}}


def _row(value: Any, lang: str = "nb", skip: tuple[str, ...] = ()) -> dict[str, Any]:
    if not isinstance(value, dict):
        return {"title": clean(value, TITLE_LIMIT), "url": None, "meta": [], "summary": ""}
    meta = []
    for key in _ROW_META:
        v = value.get(key)
        if not v or key in skip or (key == "stage" and value.get("stage_label")):
            continue
        if key in ("published", "deadline", "date") and isinstance(v, str) and re.match(r"\d{4}-\d\d-\d\d", v):
            day = deadlines.deadline_day(v) if key == "deadline" else date.fromisoformat(v[:10])
            v = (f"{STRINGS[lang]['deadline'].lower()} " if key == "deadline" else "") + fmt_date(day, lang)
        elif key == "status":
            v = STATUS_NAMES[lang].get(str(v), v)
        elif key == "change":
            v = _CHANGE_WORDS[lang].get(str(v), v)
        meta.append(clean(", ".join(map(str, v)) if isinstance(v, list | tuple) else v, 120))
    return {"title": clean(value.get("title") or value.get("name") or value.get("id"), TITLE_LIMIT),
            "url": safe_url(value.get("url")), "meta": meta,
            "summary": clean(value.get("summary") or value.get("note"), SUMMARY_LIMIT)}


def _present(db, kinds: tuple[str, ...], sources: tuple[str, ...]) -> bool:
    """Does the store hold any item of these kinds or sources (has that source ever been crawled)?"""
    kmarks, smarks = ",".join("?" for _ in kinds), ",".join("?" for _ in sources)
    return bool(next(db.query(f"select count(*) as n from items where kind in ({kmarks}) or source in ({smarks})",
                              [*kinds, *sources]))["n"])


def _store_section(db, kinds: tuple[str, ...], sources: tuple[str, ...], events: list[dict[str, Any]],
                   lang: str) -> Section | None:
    """Fallback section from the store: items of these kinds/sources new or changed in the window."""
    if not _present(db, kinds, sources):
        return None
    items = _items_by_id(db, [e["item_id"] for e in events])
    rows = []
    seen: set[str] = set()
    for e in reversed(events):
        item = items.get(e["item_id"])
        if not item or item["id"] in seen or not (item["kind"] in kinds or item["source"] in sources):
            continue
        seen.add(item["id"])
        rows.append(_row({"title": item["title"], "url": item["url"], "kind": KIND_NAMES[lang].get(item["kind"]),
                          "owner": item.get("owner"), "published": item.get("published"),
                          "summary": item.get("summary")}, lang))
    return Section(groups=[("", rows)])


def _call_section(func, db, since: datetime, as_of: datetime, lang: str = "nb") -> Section:
    try:
        return _normalise_section(func(db, since, as_of), lang)
    except Exception as exc:  # another module's bug must not cost the morning read
        return Section(error=clean(f"{type(exc).__name__}: {exc}", 200))


def _eu(db, as_of: datetime, profile: Profile, lang: str) -> dict[str, Any] | None:
    kmarks = ",".join("?" for _ in EU_KINDS)
    if not next(db.query(f"select count(*) as n from items where kind in ({kmarks})", list(EU_KINDS)))["n"]:
        return None
    related = _module("tracker.links.related", "related") if db["links"].exists() else None
    consultations = []
    for row in db.query("select * from items where kind = 'eu_consultation' and status = 'open' and vanished_at is null"):
        row["labels"] = urgency.item_labels(row)
        deadline = deadlines.to_datetime(row.get("deadline"))
        if deadline is not None and deadline < as_of:
            continue
        consultations.append(_decorate(row, as_of, profile))
    consultations.sort(key=lambda r: (r.get("deadline_day") or "9999", clean(r.get("title")).casefold(), r["id"]))
    week_ago = as_of - timedelta(days=7)
    upto = last_event_id(db, as_of)
    wmarks = ",".join("?" for _ in EU_WATCH_KINDS)
    stage = []
    rows = list(db.query(
        f"""select e.*, i.title, i.url, i.kind as item_kind, i.source, i.extra from events e
            join items i on i.id = e.item_id where i.kind in ({wmarks}) and e.id <= ? and e.at >= ?
            order by e.id""",
        # `at` prefilter (index on events.at; the exact aware comparison follows): a week of
        # events, not every event of every watched file ever
        [*EU_WATCH_KINDS, upto, (week_ago - timedelta(days=2)).date().isoformat()],
    ))  # fmt: skip
    # a source's first crawl is a backfill: its "new" events say "first seen", not "changed"
    first_run = {r["source"]: r["run_id"] for r in db.query("select source, min(run_id) as run_id from health group by source")}
    grouped: dict[str, dict[str, Any]] = {}
    for e in rows:
        at = deadlines.to_datetime(e["at"])
        if at is None or at <= week_ago:
            continue
        if e["kind"] == "new" and e["run_id"] is not None and e["run_id"] <= first_run.get(e["source"], -1):
            continue
        entry = grouped.setdefault(e["item_id"], {"id": e["item_id"], "title": e["title"], "url": e["url"],
                                                  "kind": e["item_kind"], "extra": _json(e["extra"]), "changes": []})
        entry["changes"].append({"kind": e["kind"], "field": e["field"], "before": _json(e["before"]),
                                 "after": _json(e["after"]), "at": e["at"]})
    for entry in grouped.values():
        extra = entry["extra"] if isinstance(entry["extra"], dict) else {}
        entry["stage"] = clean(extra.get("stage"), 120)
        entry["links"] = []
        if related is not None:
            try:
                links = related(db, entry["id"])
            except Exception:  # noqa: BLE001 - links are a bonus, never a failure
                links = []
            entry["links"] = [_row(link) for link in links if str(link.get("source", "")).startswith("no_")]
        stage.append(entry)
    for row in consultations:
        row["links"] = []
        if related is not None:
            try:
                row["links"] = [_row(link) for link in related(db, row["id"])
                                if str(link.get("source", "")).startswith("no_")]
            except Exception:  # noqa: BLE001
                row["links"] = []
    return {"consultations": consultations, "stage": stage, "links_available": related is not None}


def _wants(profile: Profile, kinds: tuple[str, ...], sources: tuple[str, ...], labels: tuple[str, ...]) -> bool:
    return (profile.covers_everything or any(k in profile.kinds for k in kinds)
            or any(s in profile.sources for s in sources) or any(x in profile.labels for x in labels))


def build_digest(db: sqlite_utils.Database, *, as_of: datetime, profile: Profile | str = "ncp",
                 lang: str = "nb") -> Digest:
    """Everything the morning read shows, as data (renderers only format it)."""
    if isinstance(profile, str):
        profile = load_profile(profile)
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r} (known: {', '.join(LANGS)})")
    if as_of.tzinfo is None:
        as_of = as_of.replace(tzinfo=OSLO)
    day = deadlines.oslo_date(as_of)
    base = baseline(db, profile.name, day)
    base_id = int(base["last_event_id"] or 0) if base else 0
    upto = last_event_id(db, as_of)
    if base:
        since = _event_at(db, base_id) if base_id else None
        since = since or datetime.combine(date.fromisoformat(base["date"]), datetime.min.time(), OSLO)
        events = _window_events(db, base_id, upto)
    else:
        since = None
        events = _window_events(db, 0, upto, since=as_of - timedelta(hours=24))
    needs = urgency.needs_input(db, as_of=as_of, profile=profile)
    new, changed = _changes(db, events, profile, as_of)
    new, new_hidden = _trim(_rank(new))
    changed, changed_hidden = _trim(_rank(changed))
    evidence = urgency.item_evidence(db, [r for r in new if r.get("passes")], profile.labels)
    for row in new:
        row["snippet"] = evidence.get(row["id"])
    coming = _coming(db, as_of, profile)
    untagged = sum(1 for _, rows in coming for r in rows if r.get("relevance") is None and r.get("relevant") is None)
    section_since = since or (as_of - timedelta(hours=24))
    eu = _eu(db, as_of, profile, lang) if _wants(profile, EU_KINDS, (), ()) else None
    gpfg = apl = None
    # a section appears when its items are in the store: from tracker.links.gpfg when that module is
    # there, else built from the store here
    if _wants(profile, GPFG_KINDS, GPFG_SOURCES, ("gpfg",)) and _present(db, GPFG_KINDS, GPFG_SOURCES):
        func = _module("tracker.links.gpfg", "digest_section")
        gpfg = _call_section(func, db, section_since, as_of, lang) if func else _store_section(db, GPFG_KINDS, GPFG_SOURCES, events, lang)
    if (profile.covers_everything or "apenhetsloven" in profile.labels
            or any(s in profile.sources for s in APL_SOURCES)) and _present(db, APL_KINDS, APL_SOURCES):
        func = _module("tracker.links.gpfg", "apenhetsloven_section")
        apl = _call_section(func, db, section_since, as_of, lang) if func else _store_section(db, APL_KINDS, APL_SOURCES, events, lang)
    health_rows, stale = _health(db, as_of)
    return Digest(
        profile=profile, lang=lang, as_of=as_of, day=day, since=since, baseline_event_id=base_id,
        last_event_id=upto, needs_input=needs, untagged_open=untagged, new=new, new_minor_hidden=new_hidden,
        changed=changed, changed_minor_hidden=changed_hidden, eu=eu, gpfg=gpfg, apenhetsloven=apl,
        coming=coming, health=health_rows, red=[h for h in health_rows if h["status"] == "red"], stale=stale,
    )  # fmt: skip


# ---------------------------------------------------------------------------- shared wording


def describe_change(change: dict[str, Any], lang: str) -> str:
    """One change as a plain sentence (not yet escaped)."""
    kind, before, after = change["kind"], change.get("before"), change.get("after")
    nb = lang == "nb"
    if kind == "deadline_changed":
        old = fmt_date(deadlines.deadline_day(before), lang) if before else None
        new = fmt_date(deadlines.deadline_day(after), lang) if after else None
        if old and new:
            return f"{'Fristen er flyttet' if nb else 'Deadline moved'}: {old} → {new}"
        if new:
            return f"{'Frist satt' if nb else 'Deadline set'}: {new}"
        return f"{'Fristen er fjernet, var' if nb else 'Deadline removed, was'} {old}"
    if kind == "status_changed":
        names = STATUS_NAMES[lang]
        if after == "withdrawn":
            return "Trukket tilbake" if nb else "Withdrawn"
        if after == "closed":
            return "Lukket" if nb else "Closed"
        return f"Status: {names.get(str(before), clean(before))} → {names.get(str(after), clean(after))}"
    if kind == "documents_added":
        docs = after if isinstance(after, list) else []
        titles = [clean(d.get("title") or d.get("url"), 80) for d in docs if isinstance(d, dict)]
        shown = "; ".join(titles[:3]) + (f" (+{len(titles) - 3})" if len(titles) > 3 else "")
        return f"{'Nye dokumenter' if nb else 'New documents'} ({len(titles)}): {shown}"
    if kind == "stage_changed":
        label = "Nytt trinn" if nb else "New stage"
        return f"{label}: {clean(before, 120)} → {clean(after, 120)}" if before else f"{label}: {clean(after, 120)}"
    if kind == "vanished":
        return ("Forsvant fra kildens liste (beholdt her)" if nb else "Vanished from the source's listing (kept here)")
    if kind == "reappeared":
        return "Dukket opp igjen i kildens liste" if nb else "Reappeared in the source's listing"
    if kind == "updated":
        fields = [FIELD_NAMES[lang].get(f, f) for f in str(change.get("field") or "").split(",") if f]
        text = f"{'Endret' if nb else 'Updated'}: {', '.join(fields)}"
        if isinstance(before, dict) and isinstance(after, dict) and "title" in after:
            text += f" ({'var' if nb else 'was'} «{clean(before.get('title'), 120)}»)"
        return text
    if kind == "resent":
        prev = change["previous"]
        when = fmt_date(deadlines.deadline_day(prev.get("deadline")), lang) if prev.get("deadline") else "–"
        return (f"{'Sendt på ny høring; forrige' if nb else 'Sent on a new hearing; previous'}: "
                f"«{clean(prev.get('title'), 120)}» ({'frist' if nb else 'deadline'} {when})")
    return clean(kind)


def days_left_text(n: int | None, lang: str) -> str:
    t = STRINGS[lang]
    if n is None:
        return ""
    if n <= 0:
        return t["due_today"] if n == 0 else t["due_today"]
    return f"{n} {t['wd_one'] if n == 1 else t['wd_left']}"


def deadline_text(row: dict[str, Any], lang: str) -> str:
    t = STRINGS[lang]
    if not row.get("deadline_day"):
        return t["no_deadline"]
    text = fmt_date(row["deadline_day"], lang)
    left = days_left_text(row.get("working_days_left"), lang)
    return f"{text} ({left})" if left else text


def health_banner(d: Digest) -> list[tuple[str, str]]:
    """(kind, line) for the top of the digest: failing sources ("red"), then stale ones ("stale")."""
    t = d.t
    out = []
    if d.red:
        names = ", ".join(f"{h['source']} ({clean(h['reason'], 160)})" for h in d.red)
        key = "red_banner_one" if len(d.red) == 1 else "red_banner_many"
        out.append(("red", t[key].format(n=len(d.red), names=names)))
    if d.stale:
        out.append(("stale", t["stale_banner"].format(names=", ".join(h["source"] for h in d.stale))))
    return out


def title_line(d: Digest) -> str:
    return f"{d.profile.display_title(d.lang)} – {fmt_long_date(d.day, d.lang)}"


def subject(d: Digest) -> str:
    t = d.t
    n = len(d.needs_input)
    text = t["subject"].format(title=d.profile.display_title(d.lang), date=fmt_date(d.day, d.lang), n=n,
                               what=t["subject_what"] if n == 1 else t["subject_whats"])
    if d.red:
        sources = t["source_one"] if len(d.red) == 1 else t["source_many"]
        text = t["subject_red"].format(n=len(d.red), sources=sources) + text
    return clean(text, 200)


def _labels_text(row: dict[str, Any]) -> str:
    return ", ".join(clean(label, 40) for label in row.get("labels") or [])


def _needs_meta(row: dict[str, Any], lang: str) -> list[str]:
    t = STRINGS[lang]
    parts = [f"{t['deadline']}: {deadline_text(row, lang)}"]
    if row.get("draft_due"):
        due = f"{t['draft_due'][:1].upper()}{t['draft_due'][1:]} {fmt_date(row['draft_due'], lang)}"
        if row.get("draft_overdue"):
            due += f" ⚠ {t['draft_overdue']}"
        parts.append(due)
    if row.get("owner"):
        parts.append(f"{t['owner']}: {clean(row['owner'], 120)}")
    if row.get("triage_owner"):
        parts.append(f"{t['assigned']}: {clean(row['triage_owner'], 80)}")
    if row.get("triage_state") and row["triage_state"] != "new":
        parts.append(f"{t['state']}: {TRIAGE_NAMES[lang].get(row['triage_state'], clean(row['triage_state']))}")
    return parts


def _kind(row: dict[str, Any], lang: str) -> str:
    return KIND_NAMES[lang].get(row.get("kind"), clean(row.get("kind")))


def _edges(value: Any, limit: int) -> str:
    """Like `clean`, but a space at either end is kept (the text around an evidence span)."""
    raw = "" if value is None else str(value)
    text = clean(raw, limit)
    if text and raw[:1].isspace():
        text = " " + text
    if text and raw[-1:].isspace():
        text += " "
    return text


def _evidence_parts(ev: dict[str, Any] | None) -> tuple[str, str, str, str] | None:
    """(label, text before, matched text, text after) of an evidence snippet."""
    if not ev:
        return None
    return (clean(ev.get("label"), 40), _edges(ev.get("before"), 80), clean(ev.get("text"), SNIPPET_LIMIT),
            _edges(ev.get("after"), 80))


# ---------------------------------------------------------------------------- Markdown and text


def render_markdown(d: Digest) -> str:
    t, lang = d.t, d.lang
    out = [f"# {md(title_line(d))}", ""]
    for _, line in health_banner(d):
        out += [f"> **⚠ {md(line)}**", ""]
    out += [f"_{md(t['as_of'])} {md(d.as_of.astimezone(OSLO).strftime('%Y-%m-%d %H:%M'))} · "
            f"{md(t['since'] if d.since else t['since_none'])}"
            + (f" ({md(d.since.astimezone(OSLO).strftime('%Y-%m-%d %H:%M'))})" if d.since else "") + "_", ""]

    out += [f"## {md(t['needs_input'])} ({len(d.needs_input)})", ""]
    if not d.needs_input:
        out += [md(t["nothing"]), ""]
    for i, row in enumerate(d.needs_input, 1):
        out.append(f"{i}. **{md_link(row['title'], row['url'])}** — {md(_kind(row, lang))}")
        for part in _needs_meta(row, lang):
            out.append(f"   - {md(part)}")
        if row.get("labels"):
            out.append(f"   - {md(t['labels'])}: {md(_labels_text(row))}")
        if ev := _evidence_parts(row.get("snippet")):
            out.append(f"   - {md(t['evidence'])} ({ev[0]}): “{md_escaped(ev[1])}**{md(ev[2])}**{md_escaped(ev[3])}”")
    if d.untagged_open:
        out += ["", f"_{md(t['untagged'].format(n=d.untagged_open))}_"]
    out.append("")

    out += [f"## {md(t['new'])} ({len(d.new) + d.new_minor_hidden})", ""]
    if not d.new:
        out += [md(t["nothing"])]
    for row in d.new:
        line = f"- {md_link(row['title'], row['url'])} — {md(_kind(row, lang))}"
        if row.get("owner"):
            line += f", {md(clean(row['owner'], 120))}"
        if row.get("deadline_day"):
            line += f" · {md(t['deadline'])} {md(deadline_text(row, lang))}"
        if row.get("labels"):
            line += f" · {md(_labels_text(row))}"
        out.append(line)
        if ev := _evidence_parts(row.get("snippet")):
            out.append(f"  - {md(t['evidence'])} ({ev[0]}): “{md_escaped(ev[1])}**{md(ev[2])}**{md_escaped(ev[3])}”")
    if d.new_minor_hidden:
        out.append(md(t["more"].format(n=d.new_minor_hidden)).replace("\\`", "`"))
    out.append("")

    out += [f"## {md(t['changed'])} ({len(d.changed) + d.changed_minor_hidden})", ""]
    if not d.changed:
        out += [md(t["nothing"])]
    for row in d.changed:
        out.append(f"- {md_link(row['title'], row['url'])} — {md(_kind(row, lang))}")
        for change in row["changes"]:
            out.append(f"  - {md(describe_change(change, lang))}")
    if d.changed_minor_hidden:
        out.append(md(t["more"].format(n=d.changed_minor_hidden)).replace("\\`", "`"))
    out.append("")

    if d.eu is not None:
        out += [f"## {md(t['eu'])}", "", f"### {md(t['eu_open'])} ({len(d.eu['consultations'])})", ""]
        if not d.eu["consultations"]:
            out.append(md(t["nothing"]))
        for row in d.eu["consultations"]:
            line = f"- {md_link(row['title'], row['url'])} · {md(t['deadline'])} {md(deadline_text(row, lang))}"
            if row.get("labels"):
                line += f" · {md(_labels_text(row))}"
            out.append(line)
            for link in row.get("links") or []:
                out.append(f"  - ↔ {md_link(link['title'], link['url'])}")
        out += ["", f"### {md(t['eu_stage'])} ({len(d.eu['stage'])})", ""]
        if not d.eu["stage"]:
            out.append(md(t["nothing"]))
        for entry in d.eu["stage"]:
            head = f"- {md_link(entry['title'], entry['url'])} — {md(_kind(entry, lang))}"
            if entry.get("stage"):
                head += f" ({md(entry['stage'])})"
            out.append(head)
            for change in entry["changes"]:
                text = describe_change(change, lang) if change["kind"] != "new" else ("Ny" if lang == "nb" else "New")
                out.append(f"  - {md(text)}")
            for link in entry.get("links") or []:
                out.append(f"  - ↔ {md_link(link['title'], link['url'])}")
        out.append("")

    for key, section in (("gpfg", d.gpfg), ("apenhetsloven", d.apenhetsloven)):
        if section is None:
            continue
        out += [f"## {md(t[key])}", ""]
        out += _section_markdown(section, t)
        out.append("")

    out += [f"## {md(t['coming'])}", ""]
    for key, rows in d.coming:
        out += [f"### {md(t['b' + key] if key != 'later' else t['later'])} ({len(rows)})", ""]
        if not rows:
            out.append(md(t["nothing"]))
        for row in rows:
            mark = " ★" if row.get("passes") else ""
            line = f"- {md(deadline_text(row, lang))} — {md_link(row['title'], row['url'])}{mark}"
            if row.get("owner"):
                line += f" · {md(clean(row['owner'], 120))}"
            out.append(line)
        out.append("")

    out += _health_markdown(d)
    return "\n".join(out).rstrip() + "\n"


def _section_markdown(section: Section, t: dict[str, str]) -> list[str]:
    out: list[str] = []
    if section.error:
        out.append(f"_{md(t['section_failed'].format(error=section.error))}_")
    if section.empty:
        out.append(md(t["nothing"]))
    out += [md(line) for line in section.lines]
    for k, (name, rows) in enumerate(section.groups):
        if name:
            out += ([""] if k or out else []) + [f"### {md(name)}", ""]
        for row in rows:
            line = f"- {md_link(row['title'], row['url'])}"
            if row["meta"]:
                line += " — " + md(" · ".join(row["meta"]))
            out.append(line)
            if row["summary"]:
                out.append(f"  {md(row['summary'])}")
    return out


def _health_markdown(d: Digest) -> list[str]:
    t = d.t
    out = [f"## {md(t['health'])}", ""]
    if not d.health:
        return [*out, md(t["no_runs"]), ""]
    out += [f"| {t['src']} | {t['status']} | {t['items']} | {t['checked']} | {t['reason']} |",
            "|---|---|---|---|---|"]
    for h in d.health:
        status = HEALTH_NAMES[d.lang].get(h["status"], clean(h["status"]))
        status = f"**{status}**" if h["status"] == "red" else status
        checked = h["checked"].astimezone(OSLO).strftime("%Y-%m-%d %H:%M") if h.get("checked") else ""
        if h.get("stale"):
            checked += f" ({t['stale']})"
        out.append(f"| {md(h['source'])} | {status} | {h['items_seen'] or 0} | {md(checked)} | {md(clean(h['reason'], 200))} |")
    return [*out, ""]


def render_text(d: Digest) -> str:
    """Plain text (the e-mail's text part): the same content, no markup."""
    t, lang = d.t, d.lang
    out = [title_line(d), "=" * min(len(title_line(d)), 72), ""]
    for _, line in health_banner(d):
        out += [f"!! {line}", ""]
    out += [f"{t['as_of']} {d.as_of.astimezone(OSLO):%Y-%m-%d %H:%M}. " + (t["since"] if d.since else t["since_none"]), ""]

    def link(row):
        href = safe_url(row.get("url"))
        return f"   {href}" if href else None

    out += [f"{t['needs_input'].upper()} ({len(d.needs_input)})", ""]
    if not d.needs_input:
        out.append(t["nothing"])
    for i, row in enumerate(d.needs_input, 1):
        out.append(f"{i}. {clean(row['title'], TITLE_LIMIT)} [{_kind(row, lang)}]")
        out += [f"   {part}" for part in _needs_meta(row, lang)]
        if row.get("labels"):
            out.append(f"   {t['labels']}: {_labels_text(row)}")
        if ev := _evidence_parts(row.get("snippet")):
            out.append(f"   {t['evidence']} ({ev[0]}): “{ev[1]}[{ev[2]}]{ev[3]}”")
        if href := link(row):
            out.append(href)
    if d.untagged_open:
        out += ["", t["untagged"].format(n=d.untagged_open)]
    out.append("")
    out += [f"{t['new'].upper()} ({len(d.new) + d.new_minor_hidden})", ""]
    if not d.new:
        out.append(t["nothing"])
    for row in d.new:
        extra = f" · {t['deadline']} {deadline_text(row, lang)}" if row.get("deadline_day") else ""
        out.append(f"- {clean(row['title'], TITLE_LIMIT)} [{_kind(row, lang)}]{extra}")
        if href := link(row):
            out.append(href)
    if d.new_minor_hidden:
        out.append(t["more"].format(n=d.new_minor_hidden))
    out.append("")
    out += [f"{t['changed'].upper()} ({len(d.changed) + d.changed_minor_hidden})", ""]
    if not d.changed:
        out.append(t["nothing"])
    for row in d.changed:
        out.append(f"- {clean(row['title'], TITLE_LIMIT)} [{_kind(row, lang)}]")
        out += [f"   * {describe_change(c, lang)}" for c in row["changes"]]
        if href := link(row):
            out.append(href)
    if d.changed_minor_hidden:
        out.append(t["more"].format(n=d.changed_minor_hidden))
    out.append("")
    if d.eu is not None:
        out += [t["eu"].upper(), "", f"{t['eu_open']} ({len(d.eu['consultations'])}):"]
        for row in d.eu["consultations"]:
            out.append(f"- {clean(row['title'], TITLE_LIMIT)} · {t['deadline']} {deadline_text(row, lang)}")
            out += [f"   <-> {link_row['title']}" for link_row in row.get("links") or []]
        out.append(f"{t['eu_stage']} ({len(d.eu['stage'])}):")
        for entry in d.eu["stage"]:
            out.append(f"- {clean(entry['title'], TITLE_LIMIT)}" + (f" ({entry['stage']})" if entry.get("stage") else ""))
            out += [f"   * {describe_change(c, lang) if c['kind'] != 'new' else ('Ny' if lang == 'nb' else 'New')}"
                    for c in entry["changes"]]
            out += [f"   <-> {link_row['title']}" for link_row in entry.get("links") or []]
        out.append("")
    for key, section in (("gpfg", d.gpfg), ("apenhetsloven", d.apenhetsloven)):
        if section is None:
            continue
        out += [t[key].upper(), ""]
        if section.error:
            out.append(t["section_failed"].format(error=section.error))
        if section.empty:
            out.append(t["nothing"])
        out += section.lines
        for name, rows in section.groups:
            if name:
                out.append(f"{name}:")
            for row in rows:
                out.append(f"- {row['title']}" + (" — " + " · ".join(row["meta"]) if row["meta"] else ""))
                if row["url"]:
                    out.append(f"   {row['url']}")
        out.append("")
    out += [t["coming"].upper(), ""]
    for key, rows in d.coming:
        out.append(f"{t['b' + key] if key != 'later' else t['later']} ({len(rows)}):")
        for row in rows:
            mark = " *" if row.get("passes") else ""
            out.append(f"- {deadline_text(row, lang)} — {clean(row['title'], TITLE_LIMIT)}{mark}")
        out.append("")
    out += [t["health"].upper(), ""]
    if not d.health:
        out.append(t["no_runs"])
    for h in d.health:
        status = HEALTH_NAMES[lang].get(h["status"], clean(h["status"]))
        stale = f" ({t['stale']})" if h.get("stale") else ""
        out.append(f"- {h['source']}: {status}{stale} — {clean(h['reason'], 200)}")
    return "\n".join(out).rstrip() + "\n"


# ---------------------------------------------------------------------------- HTML


def _jinja_env():
    from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

    env = Environment(
        loader=FileSystemLoader(str(Path(__file__).resolve().parent / "templates")),
        autoescape=select_autoescape(["html", "j2", "xml"], default_for_string=True, default=True),
        undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
    )
    env.filters["clean"] = clean
    env.filters["safe_url"] = safe_url
    return env


def render_html(d: Digest) -> str:
    """One self-contained HTML page (inline CSS, no scripts, no external resources)."""
    lang = d.lang
    view = {
        "lang": lang, "t": d.t, "title": title_line(d), "banner": health_banner(d),
        "as_of": d.as_of.astimezone(OSLO).strftime("%Y-%m-%d %H:%M"),
        "since": d.since.astimezone(OSLO).strftime("%Y-%m-%d %H:%M") if d.since else None,
        "needs": [{"title": clean(r["title"], TITLE_LIMIT), "url": safe_url(r.get("url")), "kind": _kind(r, lang),
                   "meta": _needs_meta(r, lang), "overdue": r.get("draft_overdue"),
                   "labels": [clean(x, 40) for x in r.get("labels") or []],
                   "evidence": _evidence_parts(r.get("snippet")),
                   "relevance": r.get("relevance")} for r in d.needs_input],
        "untagged": d.t["untagged"].format(n=d.untagged_open) if d.untagged_open else None,
        "new": [_html_row(r, lang) for r in d.new], "new_hidden": d.new_minor_hidden,
        "changed": [{**_html_row(r, lang), "changes": [describe_change(c, lang) for c in r["changes"]]}
                    for r in d.changed], "changed_hidden": d.changed_minor_hidden,
        "eu": None, "sections": [],
        "coming": [(d.t["b" + k] if k != "later" else d.t["later"], [_html_row(r, lang) for r in rows])
                   for k, rows in d.coming],
        "health": [{"source": clean(h["source"]), "status": h["status"],
                    "status_text": HEALTH_NAMES[lang].get(h["status"], clean(h["status"])),
                    "items": h["items_seen"] or 0, "reason": clean(h["reason"], 200),
                    "checked": h["checked"].astimezone(OSLO).strftime("%Y-%m-%d %H:%M") if h.get("checked") else "",
                    "stale": h.get("stale")} for h in d.health],
        "more": lambda n: d.t["more"].format(n=n).replace("`", ""),
    }  # fmt: skip
    if d.eu is not None:
        view["eu"] = {
            "consultations": [{**_html_row(r, lang), "links": r.get("links") or []} for r in d.eu["consultations"]],
            "stage": [{"title": clean(e["title"], TITLE_LIMIT), "url": safe_url(e.get("url")), "kind": _kind(e, lang),
                       "stage": e.get("stage"), "links": e.get("links") or [],
                       "changes": [describe_change(c, lang) if c["kind"] != "new" else ("Ny" if lang == "nb" else "New")
                                   for c in e["changes"]]} for e in d.eu["stage"]],
        }  # fmt: skip
    for key, section in (("gpfg", d.gpfg), ("apenhetsloven", d.apenhetsloven)):
        if section is not None:
            view["sections"].append({"id": key, "heading": d.t[key], "section": section,
                                     "error": d.t["section_failed"].format(error=section.error) if section.error else None})
    return _jinja_env().get_template("digest.html.j2").render(**view)


def _html_row(row: dict[str, Any], lang: str) -> dict[str, Any]:
    return {"title": clean(row.get("title"), TITLE_LIMIT), "url": safe_url(row.get("url")), "kind": _kind(row, lang),
            "owner": clean(row.get("owner"), 120), "deadline": deadline_text(row, lang) if row.get("deadline_day") else "",
            "deadline_full": deadline_text(row, lang), "labels": [clean(x, 40) for x in row.get("labels") or []],
            "passes": row.get("passes"), "evidence": _evidence_parts(row.get("snippet"))}


# ---------------------------------------------------------------------------- e-mail


def render_email(d: Digest, *, sender: str, recipients: list[str] | tuple[str, ...],
                 date_header: datetime | None = None):
    """A multipart/alternative message (text + HTML) with the digest's subject."""
    from tracker.digest.mailer import build_message

    return build_message(subject=subject(d), text=render_text(d), html=render_html(d), sender=sender,
                         recipients=list(recipients), date=date_header or d.as_of,
                         idstring=f"digest-{d.profile.name}-{d.day.isoformat()}")


# ---------------------------------------------------------------------------- Atom


def _uuid(*parts: str) -> str:
    return "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, "ncp-tracker:" + "/".join(parts)))


def _rfc3339(dt: datetime | None) -> str:
    dt = dt or datetime(1970, 1, 1, tzinfo=UTC)
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def render_atom(db: sqlite_utils.Database, *, as_of: datetime, profile: Profile | str = "ncp",
                lang: str = "nb") -> str:
    """An Atom feed for the profile: needs-input items, then the changes of the last 14 days.

    Entry ids are stable: a needs-input entry is the (profile, item) pair; a change entry is the
    (profile, item, kind, time) of the event(s) — the same data gives the same feed.
    """
    import xml.etree.ElementTree as ET

    if isinstance(profile, str):
        profile = load_profile(profile)
    t = STRINGS[lang]
    ns = "http://www.w3.org/2005/Atom"
    ET.register_namespace("", ns)

    def el(parent, tag, text=None, **attrs):
        node = ET.SubElement(parent, f"{{{ns}}}{tag}", {k: v for k, v in attrs.items() if v is not None})
        if text is not None:
            node.text = text
        return node

    entries: list[dict[str, Any]] = []
    for row in urgency.needs_input(db, as_of=as_of, profile=profile):
        lines = _needs_meta(row, lang)
        if row.get("labels"):
            lines.append(f"{t['labels']}: {_labels_text(row)}")
        if ev := _evidence_parts(row.get("snippet")):
            lines.append(f"{t['evidence']} ({ev[0]}): “{ev[1]}{ev[2]}{ev[3]}”")
        updated = max(filter(None, [deadlines.to_datetime(row.get("last_changed")),
                                    deadlines.to_datetime(_triage_updated(db, row["id"]))]), default=None)
        entries.append({"id": _uuid(profile.name, "needs-input", row["id"]),
                        "title": f"{t['feed_needs']}: {clean(row['title'], TITLE_LIMIT)}",
                        "url": safe_url(row.get("url")), "updated": updated,
                        "published": deadlines.to_datetime(row.get("first_seen")), "summary": "\n".join(lines)})
    upto = last_event_id(db, as_of)
    events = _window_events(db, 0, upto, since=as_of - timedelta(days=FEED_WINDOW_DAYS))
    items = _items_by_id(db, [e["item_id"] for e in events])
    grouped: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
    for e in events:
        item = items.get(e["item_id"])
        if item is None or not profile.in_scope(item):
            continue
        group = "new" if e["kind"] == "new" else "changed"
        grouped.setdefault((e["item_id"], group, e["at"]), []).append(e)
    change_entries = []
    for (item_id, group, at), evs in grouped.items():
        item = items[item_id]
        _decorate(item, as_of, profile)
        if group == "new":
            summary = [f"{_kind(item, lang)}" + (f" · {clean(item['owner'], 120)}" if item.get("owner") else ""),
                       f"{t['deadline']}: {deadline_text(item, lang)}"]
        else:
            summary = [describe_change(e, lang) for e in evs]
        change_entries.append({"id": _uuid(profile.name, group, item_id, at),
                               "title": f"{t['feed_' + group]}: {clean(item['title'], TITLE_LIMIT)}",
                               "url": safe_url(item.get("url")), "updated": deadlines.to_datetime(at),
                               "published": deadlines.to_datetime(at), "summary": "\n".join(summary)})
    change_entries.sort(key=lambda e: (e["updated"] or as_of, e["id"]), reverse=True)
    entries += change_entries
    feed = ET.Element(f"{{{ns}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": lang})
    el(feed, "id", _uuid(profile.name, "feed"))
    el(feed, "title", clean(f"ncp-tracker: {profile.display_title(lang)}"))
    el(feed, "updated", _rfc3339(max((e["updated"] for e in entries if e["updated"]), default=None)
                                 or as_of))
    author = el(feed, "author")
    el(author, "name", "ncp-tracker")
    el(feed, "generator", "ncp-tracker")
    for e in entries:
        entry = el(feed, "entry")
        el(entry, "id", e["id"])
        el(entry, "title", clean(e["title"]) or "–")
        el(entry, "updated", _rfc3339(e["updated"]))
        if e["published"]:
            el(entry, "published", _rfc3339(e["published"]))
        if e["url"]:
            el(entry, "link", href=e["url"], rel="alternate")
        el(entry, "summary", "\n".join(clean(line) for line in e["summary"].splitlines()), type="text")
    ET.indent(feed)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n"


def _triage_updated(db: sqlite_utils.Database, item_id: str) -> str | None:
    row = next(db.query("select updated_at from triage where item_id = ?", [item_id]), None)
    return row["updated_at"] if row else None


# ---------------------------------------------------------------------------- iCalendar

_UID_SAFE = re.compile(r"[^A-Za-z0-9._:-]")


def _uid(kind: str, item_id: str, profile: str) -> str:
    safe = _UID_SAFE.sub("-", item_id)
    if safe != item_id or len(safe) > 120:
        safe = uuid.uuid5(uuid.NAMESPACE_URL, item_id).hex
    return f"{kind}-{safe}-{profile}@ncp-tracker"


def render_ics(db: sqlite_utils.Database, *, as_of: datetime, profile: Profile | str = "ncp",
               lang: str = "nb") -> bytes:
    """A calendar for the profile: an all-day event on each deadline day and each draft-due day.

    Covered: consultations in scope at or above the threshold, not marked not-relevant, whose
    deadline day is at most 30 days ago. UIDs are stable; SEQUENCE is the number of times the
    deadline moved (deadline_changed events) plus one when withdrawn, so it only grows when the
    event really changes; a withdrawn hearing's events are STATUS:CANCELLED. DTSTAMP is the
    item's last change, so the same data gives the same calendar.
    """
    from icalendar import Calendar, Event, Timezone

    if isinstance(profile, str):
        profile = load_profile(profile)
    t = STRINGS[lang]
    cal = Calendar()
    cal.add("prodid", f"-//ncp-tracker//digest {profile.name}//{lang.upper()}")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", clean(f"ncp-tracker: {profile.display_title(lang)}"))
    cal.add("x-wr-timezone", "Europe/Oslo")
    cal.add_component(Timezone.from_tzid("Europe/Oslo"))
    today = deadlines.oslo_date(as_of)
    moves = {r["item_id"]: r["n"] for r in db.query(
        "select item_id, count(*) as n from events where kind = 'deadline_changed' group by item_id")}
    kinds = ",".join("?" for _ in urgency.CONSULTATION_KINDS)
    rows = list(db.query(
        f"""select i.*, t.state as triage_state, t.owner as triage_owner, t.internal_deadline
            from items i left join triage t on t.item_id = i.id
            where i.kind in ({kinds}) and i.deadline is not null order by i.deadline, i.id""",
        list(urgency.CONSULTATION_KINDS),
    ))  # fmt: skip
    for row in rows:
        row["labels"] = urgency.item_labels(row)
        day = deadlines.deadline_day(row["deadline"])
        if day is None or (today - day).days > CALENDAR_PAST_DAYS:
            continue
        if not profile.in_scope(row) or not profile.passes_threshold(row):
            continue
        state = row.get("triage_state") or "new"
        if state == "not_relevant":
            continue
        withdrawn = row["status"] == "withdrawn"
        sequence = int(moves.get(row["id"], 0)) + (1 if withdrawn else 0)
        stamp = deadlines.to_datetime(row.get("last_changed")) or deadlines.to_datetime(row.get("first_seen")) or as_of
        title = clean(row["title"], TITLE_LIMIT)
        url = safe_url(row.get("url"))
        desc = [f"{t['deadline']}: {fmt_date(day, lang)}"]
        if row.get("owner"):
            desc.append(f"{t['owner']}: {clean(row['owner'], 120)}")
        if row.get("triage_owner"):
            desc.append(f"{t['assigned']}: {clean(row['triage_owner'], 80)}")
        if row["labels"]:
            desc.append(f"{t['labels']}: {_labels_text(row)}")
        if url:
            desc.append(url)
        internal = deadlines.to_datetime(row.get("internal_deadline"))
        due = internal.astimezone(OSLO).date() if internal else deadlines.add_working_days(day, -profile.lead_days)
        plan = [("deadline", day, t["calendar_deadline"])]
        if state not in urgency.SET_ASIDE_STATES:
            plan.append(("draft", due, t["calendar_draft"]))
        for kind, when, label in plan:
            event = Event()
            event.add("uid", _uid(kind, row["id"], profile.name))
            event.add("dtstamp", stamp.astimezone(UTC))
            event.add("last-modified", stamp.astimezone(UTC))
            event.add("dtstart", when)
            event.add("dtend", when + timedelta(days=1))
            event.add("summary", f"{label}: {title}")
            event.add("description", "\n".join(desc))
            event.add("sequence", sequence)
            event.add("status", "CANCELLED" if withdrawn else "CONFIRMED")
            event.add("transp", "TRANSPARENT")
            if url:
                event.add("url", url)
            cal.add_component(event)
    return cal.to_ical()


# ---------------------------------------------------------------------------- writing


def render(db: sqlite_utils.Database, fmt: str, *, as_of: datetime, profile: Profile | str = "ncp",
           lang: str = "nb", digest: Digest | None = None, sender: str | None = None,
           recipients: list[str] | tuple[str, ...] | None = None) -> bytes:
    """The digest in one format, as bytes ready to write."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r} (known: {', '.join(FORMATS)})")
    if isinstance(profile, str):
        profile = load_profile(profile)
    if fmt == "atom":
        return render_atom(db, as_of=as_of, profile=profile, lang=lang).encode("utf-8")
    if fmt == "ics":
        return render_ics(db, as_of=as_of, profile=profile, lang=lang)
    d = digest or build_digest(db, as_of=as_of, profile=profile, lang=lang)
    if fmt == "md":
        return render_markdown(d).encode("utf-8")
    if fmt == "txt":
        return render_text(d).encode("utf-8")
    if fmt == "html":
        return render_html(d).encode("utf-8")
    from tracker.digest.mailer import default_sender

    message = render_email(d, sender=sender or default_sender(),
                           recipients=list(recipients if recipients is not None else profile.recipients))
    from email.policy import compat32

    return message.as_bytes(policy=compat32.clone(linesep="\r\n"))  # RFC 5322 line ends


def record(db: sqlite_utils.Database, d: Digest, fmt: str, path: str) -> None:
    """Remember a written (or sent) digest: the next day's "since" point."""
    with db.conn:
        db["digests"].insert({
            "profile": d.profile.name, "date": d.day.isoformat(),
            "generated_at": datetime.now(OSLO).isoformat(timespec="seconds"),
            "last_event_id": d.last_event_id, "format": fmt, "path": path,
        })  # fmt: skip


def output_name(profile: str, day: date, fmt: str) -> str:
    return f"digest-{profile}-{day.isoformat()}.{EXTENSIONS[fmt]}"


def write_for_run(db: sqlite_utils.Database, *, as_of: datetime, out_dir: Path, profile: str = "ncp",
                  formats: tuple[str, ...] | list[str] = ("md", "html"), lang: str = "nb") -> list[Path]:
    """Write the profile's digest for `as_of` in each format to `out_dir`, record it, return the paths."""
    prof = load_profile(profile)
    d = build_digest(db, as_of=as_of, profile=prof, lang=lang)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for fmt in formats:
        data = render(db, fmt, as_of=as_of, profile=prof, lang=lang, digest=d)
        path = out_dir / output_name(prof.name, d.day, fmt)
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_bytes(data)
        tmp.replace(path)
        record(db, d, fmt, str(path))
        paths.append(path)
    return paths


def escape_html(value: Any) -> str:
    """Clean and HTML-escape (for callers outside the template)."""
    return html.escape(clean(value))
