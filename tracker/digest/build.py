"""Building a digest: what the store says, gathered once, then one builder per section.

"Since the previous digest": each written digest is recorded in the `digests` table with the id
of the last event it covered. The baseline of a digest for day D is the digest(s) of the latest
day before D for the same profile (the smallest `last_event_id` of that day, so an extra digest
written later that day can never hide events); regenerating day D any number of times gives
the same baseline. With no earlier digest (the first digest of a database), the window is the
24 hours before `as_of`, and "New" lists only the relevant items.

A digest is *red* (`Digest.problems`, a red banner at the top, and `ncp-tracker digest` exits
non-zero) when no crawl has run, when the latest successful run is older than the profile's
``max_age_hours`` before the digest's clock, or when the digest's day is before the first run:
a quiet digest must mean a quiet day, never missing data.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

import sqlite_utils

from crawlers.dates import OSLO
from tracker.attention import urgency
from tracker.attention.freshness import problems
from tracker.attention.profiles import Profile, load_profile
from tracker.digest.model import Banner, Digest
from tracker.digest.text import safe_url  # noqa: F401 - tracker.web imports it from here
from tracker.digest.wording import _json
from tracker.i18n import LANGS, Translator
from tracker.links import gpfg as links_gpfg
from tracker.store import changes as store_changes
from tracker.store import deadlines
from tracker.store.queries import (
    DAILY_RUN_SQL,
    HISTORY_EVENT_SQL,
    as_they_stood,
    last_event_id,
    recorded_later,
    select_in,
)

EU_KINDS = ("eu_consultation", "eu_act_update", "eu_procedure", "eea_note")
EU_WATCH_KINDS = ("eu_act_update", "eu_procedure", "eea_note")
#: the source of the EU section's open consultations (Have your say: the one source of `eu_consultation`)
EU_CONSULTATION_SOURCE = "eu_haveyoursay"
GPFG_KINDS = ("gpfg_document", "gpfg_recommendation", "gpfg_decision")
# the sources of the SPU and Åpenhetsloven sections, as tracker.links.gpfg (which builds them) has them
GPFG_SOURCES = links_gpfg.GPFG_SOURCES
APL_SOURCES = links_gpfg.APENHETSLOVEN_SOURCES
APL_KINDS = ("regulator_news", "law_change")
#: coming-deadline buckets: (key, up to this many calendar days ahead)
BUCKETS = (("2w", 14), ("6w", 42), ("12w", 84))
#: a source whose latest check is older than this (before the digest's clock) is flagged
STALE_AFTER = timedelta(hours=36)


@dataclass
class Context:
    """What every section builder gets (one interface: ``builder(ctx) -> Section | None``)."""

    db: sqlite_utils.Database
    as_of: datetime
    profile: Profile
    lang: str
    today: date
    since: datetime | None
    first: bool  # no earlier digest of this profile: the first digest of the database
    events: list[dict[str, Any]]
    needs: list[dict[str, Any]] = field(default_factory=list)
    #: relevant consultations in scope announced but not open yet (`urgency.announced`)
    upcoming: list[dict[str, Any]] = field(default_factory=list)
    new: list[dict[str, Any]] = field(default_factory=list)
    changed: list[dict[str, Any]] = field(default_factory=list)
    coming: list[tuple[str, list[dict[str, Any]]]] = field(default_factory=list)
    eu: dict[str, Any] | None = None
    health: list[dict[str, Any]] = field(default_factory=list)
    stale: list[dict[str, Any]] = field(default_factory=list)
    #: the workbench's public address ([web] public_url; "": no links to it)
    workbench_url: str = ""
    #: the last event recorded by the digest's time: items are shown as they stood then (a digest
    #: of an earlier day; None: as they stand)
    upto: int | None = None
    #: the consultations listed (needs input, new) that repeat an earlier one: {id: the earlier
    #: item} (`urgency.resent`; their entries say so)
    resent: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: the due dates ahead of the GPFG and åpenhetsloven sections' items (`horizon.Dated`, filled as
    #: they are built; listed under them, or in their entries when new or changed): the summary
    #: counts this week's among the week's deadlines
    dates_ahead: list[Any] = field(default_factory=list)

    @property
    def _(self) -> Translator:
        return Translator(self.lang)

    @property
    def new_ids(self) -> set[str]:
        return {r["id"] for r in self.new}


# ---------------------------------------------------------------------------- since


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


def _event_at(db: sqlite_utils.Database, event_id: int) -> datetime | None:
    row = next(db.query("select at from events where id = ?", [event_id]), None)
    return deadlines.to_datetime(row["at"]) if row else None


def window_events(db: sqlite_utils.Database, after_id: int, upto_id: int,
                  since: datetime | None = None) -> list[dict[str, Any]]:
    from tracker.store.queries import digest_visible_events

    if since is not None:
        # start at the first event of the window's days (the events.at index), not at `after_id`:
        # a first digest of an earlier day read every event of the store (5,000,000: 17 s); two days
        # of margin for instants written with an offset, the exact comparison follows
        first = db.execute("select min(id) from events indexed by idx_events_at where at >= ?",
                           [(since - timedelta(days=2)).date().isoformat()]).fetchone()[0]
        after_id = max(after_id, (first or upto_id + 1) - 1)
    rows = []
    for row in digest_visible_events(db, after_id, upto_id):  # never a backfill run's events
        if since is not None:
            at = deadlines.to_datetime(row["at"])
            if at is None or at <= since:
                continue
        row["before"], row["after"] = _json(row["before"]), _json(row["after"])
        rows.append(row)
    return rows


# ---------------------------------------------------------------------------- rows


def items_by_id(db: sqlite_utils.Database, ids: list[str], upto: int | None = None) -> dict[str, dict[str, Any]]:
    """The items `ids` with their triage, as they stood once event `upto` was recorded (None:
    as they stand)."""
    out: dict[str, dict[str, Any]] = {}
    sql = """select i.*, t.state as triage_state, t.owner as triage_owner, t.internal_deadline
             from items i left join triage t on t.item_id = i.id where i.id in ({marks})"""
    for row in as_they_stood(db, list(select_in(db, sql, list(dict.fromkeys(ids)))), upto):
        row["labels"] = urgency.item_labels(row)
        out[row["id"]] = row
    return out


def decorate(row: dict[str, Any], ctx: Context) -> dict[str, Any]:
    """Deadline facts and relevance every builder needs."""
    day = deadlines.deadline_day(row.get("deadline"))
    row["deadline_day"] = day.isoformat() if day else None
    open_ = row.get("status") == "open" and day is not None
    passed = day is not None and (deadlines.deadline_time(row["deadline"]) or ctx.as_of) < ctx.as_of
    row["working_days_left"] = (
        _working_days_between(ctx.today, day, ctx.profile.eves_are_working_days) if open_ and not passed else None
    )
    row["passes"] = ctx.profile.relevant(row)
    return row


@functools.lru_cache(maxsize=8192)
def _working_days_between(today: date, day: date, eves_are_working_days: bool) -> int:
    """`deadlines.working_days_between`, once per (today, deadline day): a digest decorates
    thousands of rows that share a few hundred deadline days, and each count walks the calendar."""
    return deadlines.working_days_between(today, day, eves_are_working_days=eves_are_working_days)


def _rank(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(rows, key=lambda r: (not r.get("passes"), -urgency.rank_relevance(r),
                                       r.get("deadline_day") or "9999", (r.get("title") or "").casefold(), r["id"]))


def changes_by_item(events: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """{item id: its change events, in order} among `events` (a digest's window): an item new among
    them has none — it is listed as new (the digest's «Nytt», or «Trenger innspill» when it needs
    input) as it stands after them, not also as changed («Endret»). The Atom feed asks it of each
    crawl's events (`tracker.digest.feeds.render_atom`): one decision for both."""
    new = {e["item_id"] for e in events if e["kind"] == "new"}
    found: dict[str, list[dict[str, Any]]] = {}
    for e in events:
        if e["item_id"] not in new:
            found.setdefault(e["item_id"], []).append(e)
    return found


def new_and_changed(ctx: Context) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(new items, changed items with their changes) from the window's events, in scope, ranked."""
    items = items_by_id(ctx.db, [e["item_id"] for e in ctx.events], ctx.upto)
    new_ids = dict.fromkeys(e["item_id"] for e in ctx.events if e["kind"] == "new")  # in order
    new = [decorate(items[i], ctx) for i in new_ids if i in items and ctx.profile.in_scope(items[i])]
    found = {item_id: [{"kind": e["kind"], "field": e["field"], "before": e["before"], "after": e["after"],
                        "at": e["at"]} for e in evs]
             for item_id, evs in changes_by_item(ctx.events).items() if item_id in items}
    changed = []
    for item_id, change_list in found.items():
        item = items.get(item_id)
        if item is None or not ctx.profile.in_scope(item):
            continue
        row = decorate(dict(item), ctx)
        row["changes"] = store_changes.told(change_list)  # a hearing's sittings moved with it: "Hearing moved" says it
        changed.append(row)
    evidence = urgency.item_evidence(ctx.db, [r for r in new if r.get("passes")], ctx.profile.labels)
    for row in new:
        row["snippet"] = evidence.get(row["id"])
    return _rank(new), _rank(changed)


def coming(ctx: Context, rows: list[dict[str, Any]] | None = None) -> list[tuple[str, list[dict[str, Any]]]]:
    """Open consultations in scope by how far ahead their deadline is (every one, relevant or not;
    the section shows the relevant ones and counts the rest)."""
    buckets: dict[str, list[dict[str, Any]]] = {key: [] for key, _ in BUCKETS}
    buckets["later"] = []
    for row in urgency.candidates(ctx.db, ctx.upto) if rows is None else [dict(r) for r in rows]:
        row["labels"] = urgency.item_labels(row)
        # open as «Trenger innspill» counts it (vanished, past its deadline, of unknown status for
        # long or found by a backfill: not), and what the workbench's search selects for the note's
        # link (Filters.open_consultations)
        if not ctx.profile.in_scope(row) or not urgency.open_consultation(row, ctx.as_of):
            continue
        decorate(row, ctx)
        if row.get("triage_state") in urgency.SET_ASIDE_STATES:
            # an adviser set it aside (answered): counted, not listed; one marked not relevant
            # is not relevant to the profile already (Profile.relevant)
            row["set_aside"], row["passes"] = bool(row.get("passes")), False
        # by the next due time, as "needs input": a committee hearing's deadline to ask to speak
        # while it is ahead (tracker.attention.urgency.next_due)
        due_at, row["next_due_what"] = urgency.next_due(row, ctx.as_of)
        row["next_due"] = due_at.isoformat() if due_at else None
        day = deadlines.deadline_day(due_at)
        row["next_due_day"] = day.isoformat() if day else None
        key = "later"
        if day is not None:
            ahead = (day - ctx.today).days
            key = next((k for k, limit in BUCKETS if ahead <= limit), "later")
        buckets[key].append(row)
    for rows in buckets.values():
        rows.sort(key=lambda r: (r.get("next_due_day") or "9999", not r.get("passes"),
                                 (r.get("title") or "").casefold(), r["id"]))
    return [(key, buckets[key]) for key, _ in (*BUCKETS, ("later", 0))]


#: the reason of a scheduled source no daily run has checked (vocabulary.HEALTH_REASONS words it)
NEVER_CHECKED = "never checked by a daily crawl"


def health(db: sqlite_utils.Database, as_of: datetime) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Each source's latest check by a daily run up to `as_of` (`out_of_date` when too long ago),
    failing first, and those not checked for too long. Once a daily run has checked any source,
    every scheduled source no daily run has checked is there too, red («never checked»): a store
    crawled only with --source must not say «all sources OK» of the sources it never asked."""
    from tracker.attention.profiles import scheduled_sources
    from tracker.store import health as health_mod

    rows = health_mod.latest(db, as_of)  # a digest of an earlier day: that day's checks
    if rows:
        seen = {row["source"] for row in rows}
        rows += [{"source": source, "status": "red", "reason": NEVER_CHECKED, "run_as_of": None,
                  "items_seen": 0, "items_new": 0, "items_changed": 0, "parse_errors": 0, "never_checked": True}
                 for source in scheduled_sources() if source not in seen]
    stale = []
    for row in rows:
        checked = deadlines.to_datetime(row.pop("run_as_of"))  # the clock of the run that checked it
        row["checked"] = checked
        row["stale"] = bool(checked and as_of - checked > STALE_AFTER)
        # not checked for too long, and not failing: shown as out of date (red), whatever its last
        # check said — the digest's table and the web's health page both read this
        row["out_of_date"] = row["stale"] and row["status"] != "red"
        if row["stale"]:
            stale.append(row)
    # failing first, then the out-of-date ones, then warnings, then the rest
    order = {"red": 0, "amber": 2, "green": 3}
    rows.sort(key=lambda r: (1 if r["out_of_date"] else order.get(r["status"], 4), r["source"]))
    return rows, stale


def eu_data(ctx: Context, rows: list[dict[str, Any]] | None = None) -> dict[str, Any] | None:
    """Open EU consultations and last week's changes to watched EU files (with Norwegian links).
    `rows`: the `urgency.candidates` already read (not modified)."""
    db, as_of = ctx.db, ctx.as_of
    if not present(db, EU_KINDS, ()):
        return None
    from tracker.links.related import related

    # one look: with no link at all, no entry asks for its links (one query per entry otherwise)
    has_links = db["links"].exists() and db.execute("select exists(select 1 from links)").fetchone()[0]
    consultations = []
    for row in urgency.candidates(db, ctx.upto) if rows is None else [dict(r) for r in rows]:
        row["labels"] = urgency.item_labels(row)
        # Have your say's consultations in scope, open as «Kommende frister» takes them
        # (urgency.open_consultation), with their triage: what the section's note counts below the
        # relevance is what its link selects (source, open_consultations, not_relevant_to)
        if (row["source"] != EU_CONSULTATION_SOURCE or not ctx.profile.in_scope(row)
                or not urgency.open_consultation(row, as_of)):
            continue
        consultations.append(decorate(row, ctx))
    consultations.sort(key=lambda r: (r.get("deadline_day") or "9999", (r.get("title") or "").casefold(), r["id"]))
    week_ago = as_of - timedelta(days=7)
    upto = ctx.upto if ctx.upto is not None else last_event_id(db, as_of)
    wmarks = ",".join("?" for _ in EU_WATCH_KINDS)
    # the week's events first (the events.at index), then their items of the watched kinds in one
    # look-up by id. As one join, SQLite built a Bloom filter over every item of those kinds
    # (250,000 rows at a million items, 1.5 s) to skip a few thousand look-ups; the exact aware
    # comparison of `at` follows
    # a backfill's events are history found later, not this week's changes
    week = list(db.query(f"select * from events e indexed by idx_events_at where id <= ? and at >= ?"
                         f" and not {HISTORY_EVENT_SQL} order by id",
                         [upto, (week_ago - timedelta(days=2)).date().isoformat()]))
    watched = {r["id"]: r for r in select_in(
        db, f"select id, title, url, kind, source, extra from items where id in ({{marks}}) and +kind in ({wmarks})",
        sorted({e["item_id"] for e in week if e["item_id"] is not None}), after=EU_WATCH_KINDS)}  # fmt: skip
    rows = [{**e, "title": i["title"], "url": i["url"], "item_kind": i["kind"], "source": i["source"],
             "extra": i["extra"]} for e in week if (i := watched.get(e["item_id"])) is not None]
    # a source's first daily crawl finds what exists: its "new" events say "first seen", not "changed"
    first_run = {r["source"]: r["run_id"] for r in db.query(
        f"select h.source, min(h.run_id) as run_id from health h join runs r on r.id = h.run_id"
        f" where {DAILY_RUN_SQL} group by h.source")}
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
    stage = []
    unknown = recorded_later(db, ctx.upto) if has_links else set()  # not linked before they were known
    for entry in grouped.values():
        extra = entry["extra"] if isinstance(entry["extra"], dict) else {}
        entry["stage"] = extra.get("stage") or ""
        entry["links"] = _norwegian_links(db, entry["id"], related, unknown) if has_links else []
        stage.append(entry)
    for row in consultations:
        row["links"] = _norwegian_links(db, row["id"], related, unknown) if has_links else []
    return {"consultations": consultations, "stage": stage}


def _norwegian_links(db, item_id: str, related, unknown: set[str]) -> list[dict[str, Any]]:
    return [link for link in related(db, item_id)
            if str(link.get("source", "")).startswith("no_") and link.get("id") not in unknown]


def present(db: sqlite_utils.Database, kinds: tuple[str, ...], sources: tuple[str, ...]) -> bool:
    """Does the store hold any item of these kinds or sources (has that source ever been crawled)?"""
    kmarks, smarks = ",".join("?" for _ in kinds), ",".join("?" for _ in sources)
    # two indexed look-ups (kind, source) instead of one scan for "kind in … or source in …"
    return bool(db.execute(f"select exists(select 1 from items where kind in ({kmarks})) "
                           f"or exists(select 1 from items where source in ({smarks}))",
                           [*kinds, *sources]).fetchone()[0])


def wants(profile: Profile, kinds: tuple[str, ...], sources: tuple[str, ...], labels: tuple[str, ...]) -> bool:
    return (profile.covers_everything or any(k in profile.kinds for k in kinds)
            or any(s in profile.sources for s in sources) or any(x in profile.labels for x in labels))


# ---------------------------------------------------------------------------- freshness


# ---------------------------------------------------------------------------- the digest


def build_digest(db: sqlite_utils.Database, *, as_of: datetime, profile: Profile | str = "ncp",
                 lang: str = "nb", workbench_url: str = "") -> Digest:
    """Everything the morning read shows, as data (renderers only format it). With
    `workbench_url` (`[web] public_url`) each item links to its page in the workbench."""
    from tracker.digest import sections

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
        events = window_events(db, base_id, upto)
    else:
        since = None
        events = window_events(db, 0, upto, since=as_of - timedelta(hours=24))
    ctx = Context(db=db, as_of=as_of, profile=profile, lang=lang, today=day, since=since, first=base is None,
                  events=events, workbench_url=workbench_url, upto=upto)
    candidates = urgency.candidates(db, upto)
    ctx.needs = urgency.needs_input(db, as_of=as_of, profile=profile, rows=candidates)
    ctx.upcoming = urgency.announced(db, as_of=as_of, profile=profile, rows=candidates)
    ctx.new, ctx.changed = new_and_changed(ctx)
    # a consultation that repeats an earlier one says so on its own entry (needs input, announced,
    # new): it is no change to an item
    ctx.resent = urgency.resent(db, [*ctx.needs, *ctx.upcoming, *ctx.new])
    ctx.coming = coming(ctx, candidates)
    ctx.eu = eu_data(ctx, candidates) if wants(profile, EU_KINDS, (), ()) else None
    ctx.health, ctx.stale = health(db, as_of)
    return sections.assemble(ctx, base_id=base_id, upto=upto, problems=problems(db, as_of, profile, lang))


def trust_banners(db: sqlite_utils.Database, *, as_of: datetime, profile: Profile | str = "ncp",
                  lang: str = "nb", each_source: bool = False) -> tuple[list[str], list[Banner]]:
    """The digest's banners for the other views of the store (`inbox`, `horizon`, the web
    workbench, the Atom feed and the calendar), decided where the digest decides them: (problems —
    no crawl, no successful or no recent one, as in `problems`, which make the digest red — and
    every banner: those problems, the failing sources with their reasons, the sources not checked
    for 36 hours; `each_source`: one banner for each such source, as `sections.banners`)."""
    from tracker.digest import sections

    if isinstance(profile, str):
        profile = load_profile(profile)
    if as_of.tzinfo is None:
        as_of = as_of.replace(tzinfo=OSLO)
    ctx = Context(db=db, as_of=as_of, profile=profile, lang=lang, today=deadlines.oslo_date(as_of),
                  since=None, first=False, events=[])
    ctx.health, ctx.stale = health(db, as_of)
    found = problems(db, as_of, profile, lang, digest=False)
    return found, sections.banners(ctx, found, each_source=each_source)
