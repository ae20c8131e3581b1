"""The one place "needs input" is decided, and in what order.

An item needs the NCP's input when it is

1. a consultation an adviser can answer: kind ``hearing`` (government hearings, including the
   Finansdepartementet's GPFG hearings), ``committee_hearing`` or ``eu_consultation``;
2. open: status ``open`` with a deadline not yet passed at `as_of`, or no deadline known
   (status ``open``, or ``unknown`` when published/first seen within the last
   `UNKNOWN_STATUS_WINDOW_DAYS` days — a hearing whose detail page was blocked must not vanish;
   for an item a backfill found, only its published day counts: the walk's clock, its first
   seen, says nothing of how old it is, and a history of unknown status is not open);
   items that vanished from their listing are left out (the digest reports them under "Changed");
3. in the profile's scope with relevance at or above the profile's threshold
   (`tracker.attention.profiles.Profile.passes_threshold`);
4. not set aside by an adviser: triage state ``not_relevant``, ``submitted``, ``published`` or
   ``closed_unanswered`` removes it.

5. **or** the NCP itself is named a consultee (``items.ncp_consultee = 1``, "Kontaktpunktet er
   høringsinstans"): such an open consultation in scope needs input whatever its relevance score
   (``row["why"] == "ncp_consultee"``; otherwise ``"relevance"``).

Points 1, 3, 4 and 5 are `asks_input`. A consultation that meets them but is announced and not
open yet (status ``upcoming``: a Have your say window that opens on a later day) does not need
input yet; `announced` lists those (the digest's «Varslet, ikke åpnet ennå»), with the day they
open when known (`opens`).

Order: by **deadline window** first — ``this_week`` (the next due day in the ISO week of
`as_of`), ``next_week`` (the week after), ``later`` (after that, or no deadline known) — and inside
a window by **relevance**, highest first (an NCP-consultee hearing counts as relevance 1.0), then
the earlier next due time, then id. The window and the relevance are both shown in the digest, so
the order can be seen: nothing due this week is ever below something due next week.

The **next due** time is the deadline, or — for a Storting committee hearing — the deadline to ask
to speak at it (``extra.anmodningsfrist``) while that is still ahead: the NCP must ask by then to
be heard, so a hearing whose written-input deadline is next week but whose asking deadline is
Thursday is due this week. Once the asking deadline has passed, the written-input deadline counts.

Each row's "draft due" date is the profile's lead time (working days, default 5) before the
deadline day, or the adviser's internal deadline from triage when one is set; `draft_overdue`
is true once the day of `as_of` is past it. Working days follow the profile's
``eves_are_working_days`` (default: Christmas Eve and New Year's Eve are not working days).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import sqlite_utils

from crawlers.fields import CONSULTATION_KINDS  # noqa: F401 - re-exported: the digest and workbench use it from here
from tracker.attention.profiles import Profile, default_profile
from tracker.store import deadlines
from tracker.store.changes import title_key
from tracker.store.instants import stored
from tracker.store.queries import (
    as_they_stood,
    found_by_backfill_sql,
    label_evidence,
    last_event_id,
    loads_json,
    select_in,
    stood_where,
)
from tracker.store.status import OPEN, UNKNOWN, UPCOMING

#: triage states that take an item out of "needs input"
SET_ASIDE_STATES = ("not_relevant", "submitted", "published", "closed_unanswered")
#: an open-looking consultation with unknown status counts only if this recent
UNKNOWN_STATUS_WINDOW_DAYS = 120
#: characters of context either side of an evidence span
SNIPPET_CONTEXT = 60
#: deadline windows of "needs input", in order
WINDOWS = ("this_week", "next_week", "later")
#: a consultation of the same title counts as sent on a new hearing only when the earlier one was
#: sent at most this long before (its `published`, else when first seen: a backfilled hearing of
#: 2019 is first seen today): a new hearing follows its first within months, while a yearly or
#: standing hearing keeps its title for years (the source's own pointer has no limit)
RESEND_WITHIN_DAYS = 730


def item_labels(row: dict[str, Any]) -> list[str]:
    """The item's label codes (from `items.labels`, a JSON list)."""
    labels = loads_json(row.get("labels"), [])
    return [str(label) for label in labels if label] if isinstance(labels, list) else []


def _table_exists(db: sqlite_utils.Database, name: str) -> bool:
    return db[name].exists()


def item_evidence(db: sqlite_utils.Database, items: list[dict[str, Any]],
                  prefer_labels: tuple[str, ...] = ()) -> dict[str, dict[str, Any] | None]:
    """One evidence snippet per item: the strongest label's first span (title spans first; a span
    inside a longer one, a word of an instrument's name, is not among them: `label_evidence`).

    Returns ``{item_id: {"label", "field", "text", "before", "after"} | None}``; `before` and
    `after` are up to `SNIPPET_CONTEXT` characters of the field around the matched text when the
    stored offsets agree with the stored text, else empty.
    """
    out: dict[str, dict[str, Any] | None] = {item["id"]: None for item in items}
    if not items:
        return out
    by_id = {item["id"]: item for item in items}
    tags: dict[str, list[dict[str, Any]]] = {}
    for row in select_in(db, "select id, labels, evidence from items where id in ({marks})", list(by_id)):
        tags[row["id"]] = label_evidence(row)
    field_rank = {"title": 0, "summary": 1, "text": 2, "body": 2}

    for item_id, rows in tags.items():
        rows.sort(key=lambda r: (r["label"] not in prefer_labels, -(r["strength"] or 0.0), r["label"]))
        for row in rows:
            spans = [s for s in row["evidence"] if isinstance(s, dict) and s.get("text")]
            if not spans:
                continue
            spans.sort(key=lambda s: (field_rank.get(str(s.get("field")), 3), s.get("start") or 0))
            out[item_id] = _snippet(by_id[item_id], row["label"], spans[0])
            break
    return out


def _snippet(item: dict[str, Any], label: str, span: dict[str, Any]) -> dict[str, Any]:
    field = str(span.get("field") or "")
    text = str(span.get("text"))
    before = after = ""
    source = item.get(field) if field in ("title", "summary", "body") else None
    start, end = span.get("start"), span.get("end")
    if isinstance(source, str) and isinstance(start, int) and isinstance(end, int) and source[start:end] == text:
        before = source[max(0, start - SNIPPET_CONTEXT) : start]
        after = source[end : end + SNIPPET_CONTEXT]
        if start > SNIPPET_CONTEXT:
            before = "…" + before.lstrip()
        if end + SNIPPET_CONTEXT < len(source):
            after = after.rstrip() + "…"
    return {"label": span.get("label") or label, "field": field, "text": text, "before": before, "after": after}


def deadline_window(today: date, day: date | None) -> str:
    """``this_week`` / ``next_week`` / ``later`` for a deadline day seen from `today`."""
    if day is None:
        return "later"
    monday = today - timedelta(days=today.weekday())
    if day < monday + timedelta(days=7):
        return "this_week"
    if day < monday + timedelta(days=14):
        return "next_week"
    return "later"


def next_due(row: dict[str, Any], as_of: datetime) -> tuple[datetime | None, str]:
    """The item's next due time and what it is: ``"request_to_speak"`` (a committee hearing's
    deadline to ask to speak, while it is ahead of `as_of` and not after the deadline) or
    ``"deadline"`` (the item's deadline, None when unknown). See the module docstring."""
    deadline = deadlines.deadline_time(row.get("deadline"))
    if row.get("kind") == "committee_hearing":
        ex = loads_json(row.get("extra"), {})
        ask = deadlines.deadline_time(ex.get("anmodningsfrist")) if isinstance(ex, dict) else None
        # (the same time when asking to speak is the hearing's only deadline: named as such)
        if ask is not None and ask >= as_of and (deadline is None or ask <= deadline):
            return ask, "request_to_speak"
    return deadline, "deadline"


def rank_relevance(row: dict[str, Any]) -> float:
    """The relevance the order uses (an NCP-consultee hearing counts as 1.0)."""
    return 1.0 if row.get("ncp_consultee") else float(row.get("relevance") or 0.0)


def open_enough(row: dict[str, Any], as_of: datetime) -> bool:
    """Whether a consultation counts as open at `as_of` (point 2 of the module docstring): the one
    test of «Trenger innspill» and of the digest's «Kommende frister»."""
    if row.get("vanished_at"):
        return False
    deadline = deadlines.deadline_time(row.get("deadline"))
    if deadline is not None:
        return row["status"] == "open" and deadline >= as_of
    if row["status"] == "open":
        return True
    if row["status"] != "unknown":
        return False
    # an item a backfill found was first seen when the walk read the past (`found_by_backfill`):
    # not a sign it is recent
    seen = deadlines.to_datetime(row.get("published")) or (
        None if row.get("found_by_backfill") else deadlines.to_datetime(row.get("first_seen")))
    return seen is not None and seen >= as_of - timedelta(days=UNKNOWN_STATUS_WINDOW_DAYS)


#: the statuses of the consultations `candidates` reads: those that may be open, and those
#: announced but not open yet (`announced`)
CANDIDATE_STATUSES = (OPEN, UNKNOWN, UPCOMING)


def candidates(db: sqlite_utils.Database, upto: int | None = None) -> list[dict[str, Any]]:
    """Consultations that may be open (status open/unknown) or are announced (upcoming), with
    their triage state; as they stood once event `upto` was recorded (a digest of an earlier day),
    else as they stand."""
    kinds = ",".join("?" for _ in CONSULTATION_KINDS)
    statuses = ",".join(f"'{status}'" for status in CANDIDATE_STATUSES)  # constants, not input
    where, later = stood_where(db, f"i.kind in ({kinds}) and i.status in ({statuses})", upto, "i")
    rows = list(db.query(f"""select i.*, t.state as triage_state, t.owner as triage_owner,
                                    t.internal_deadline as internal_deadline, t.note as triage_note,
                                    {found_by_backfill_sql("i")} as found_by_backfill
                             from items i left join triage t on t.item_id = i.id where {where}""",
                         [*CONSULTATION_KINDS, *later]))
    if not later:
        return rows
    return [r for r in as_they_stood(db, rows, upto)
            if r["status"] in CANDIDATE_STATUSES and r["kind"] in CONSULTATION_KINDS]


def open_consultation(row: dict[str, Any], as_of: datetime) -> bool:
    """An open consultation as the digest's «Coming deadlines» takes it (and counts those below the
    profile's relevance, «N other open consultations …»): a consultation kind, open at `as_of` as
    «Trenger innspill» takes it (`open_enough`). `open_consultation_sql` is the same for a search
    (the note's link in the workbench); the two are tested against each other
    (tests/test_digest.py)."""
    return row.get("kind") in CONSULTATION_KINDS and open_enough(row, as_of)


def open_consultation_sql(alias: str, as_of: datetime) -> tuple[str, list[Any]]:
    """A where-clause (and its parameters) for the items of `alias` that `open_consultation` says
    yes to at `as_of`, `open_enough` written in SQL (a deadline keeps its publisher's offset:
    ncp_deadline reads it as `deadlines.deadline_time` does, a day alone as its end, tracker.store.instants)."""
    kinds = ",".join("?" for _ in CONSULTATION_KINDS)
    a = alias
    seen = (f"coalesce(ncp_instant({a}.published),"
            f" case when {found_by_backfill_sql(a)} then null else ncp_instant({a}.first_seen) end)")
    return (f"({a}.kind in ({kinds}) and {a}.vanished_at is null and ("
            f"({a}.status = ? and coalesce(ncp_deadline({a}.deadline) >= ?, 1))"
            f" or ({a}.status = ? and ncp_deadline({a}.deadline) is null and {seen} >= ?)))",
            [*CONSULTATION_KINDS, OPEN, stored(as_of), UNKNOWN,
             stored(as_of - timedelta(days=UNKNOWN_STATUS_WINDOW_DAYS))])


def needs_input(db: sqlite_utils.Database, *, as_of: datetime, profile: Profile | None = None,
                rows: list[dict[str, Any]] | None = None) -> list[dict[str, Any]]:
    """Open consultations that need the NCP's input, in order (see the module docstring).

    Each row holds the item's fields plus: `labels` (list), `snippet` (one evidence snippet or
    None), `why` ("relevance" or "ncp_consultee"), `window` ("this_week"/"next_week"/"later", the
    week of the next due time), `next_due` (ISO time or None), `next_due_what` ("deadline" or
    "request_to_speak"; see :func:`next_due`) and `working_days_to_next_due`,
    `deadline_day` (ISO date or None), `working_days_left` (int or None), `draft_due` (ISO date
    or None), `draft_overdue` (bool), `draft_due_today` (bool), `deadline_known` (bool),
    `triage_state` (default "new"), `triage_owner`, `internal_deadline`. `rows`: the `candidates(db, upto)` already read (the digest
    reads them once for this and "Coming deadlines"); they are not modified.
    """
    profile, today, source_rows = _read(db, as_of, profile, rows)
    rows = []
    for row in source_rows:
        row["labels"] = item_labels(row)
        if not open_enough(row, as_of) or (why := asks_input(row, profile)) is None:
            continue
        row["why"] = why
        rows.append(_due_facts(row, as_of, today, profile))
    snippets = item_evidence(db, rows, profile.labels)
    for row in rows:
        row["snippet"] = snippets.get(row["id"])
    far = datetime.max.replace(tzinfo=as_of.tzinfo)
    rows.sort(key=lambda r: (WINDOWS.index(r["window"]), -rank_relevance(r),
                             deadlines.to_datetime(r["next_due"]) or far, r["id"]))
    return rows


def _read(db: sqlite_utils.Database, as_of: datetime, profile: Profile | None,
          rows: list[dict[str, Any]] | None) -> tuple[Profile, date, list[dict[str, Any]]]:
    """What `needs_input` and `announced` start from: the profile (default: the default one),
    `as_of`'s day in Oslo, and the candidates as they stood at `as_of` (an inbox of an earlier
    day), or copies of the `rows` the digest read itself."""
    if as_of.tzinfo is None:
        raise ValueError("as_of must be timezone-aware")
    source_rows = candidates(db, last_event_id(db, as_of)) if rows is None else [dict(r) for r in rows]
    return profile or default_profile(), deadlines.oslo_date(as_of), source_rows


def needs_and_announced(db: sqlite_utils.Database, *, as_of: datetime, profile: Profile | None = None,
                        ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """`needs_input` and `announced` from one read of the candidates as they stood at `as_of` (the
    inbox shows both lists, as the digest does from its own read)."""
    if as_of.tzinfo is None:
        raise ValueError("as_of must be timezone-aware")
    rows = candidates(db, last_event_id(db, as_of))
    return (needs_input(db, as_of=as_of, profile=profile, rows=rows),
            announced(db, as_of=as_of, profile=profile, rows=rows))


def asks_input(row: dict[str, Any], profile: Profile) -> str | None:
    """Why a consultation is the NCP's to answer for `profile` — ``"ncp_consultee"`` (the NCP is
    a consultee) or ``"relevance"`` (at or above the profile's threshold) — or None: out of the
    profile's scope, below its threshold, or set aside by an adviser (SET_ASIDE_STATES). The one
    rule for «Trenger innspill» (`needs_input`, the open ones) and for those announced but not
    open yet (`announced`); the row's `labels` are a list (`item_labels`)."""
    if (row.get("triage_state") or "new") in SET_ASIDE_STATES or not profile.in_scope(row):
        return None
    if row.get("ncp_consultee"):
        return "ncp_consultee"
    return "relevance" if profile.passes_threshold(row) else None


def _due_facts(row: dict[str, Any], as_of: datetime, today: date, profile: Profile) -> dict[str, Any]:
    """The row's deadline facts as `needs_input` documents them (deadline day, next due time and
    its window, working days left, draft due and whether it is overdue or today)."""
    row["triage_state"] = row.get("triage_state") or "new"
    day = deadlines.deadline_day(row.get("deadline"))
    row["deadline_known"] = day is not None
    row["deadline_day"] = day.isoformat() if day else None
    due_at, due_what = next_due(row, as_of)
    due_day = deadlines.deadline_day(due_at)
    row["next_due"] = due_at.isoformat() if due_at else None
    row["next_due_what"] = due_what
    row["window"] = deadline_window(today, due_day)
    eves = profile.eves_are_working_days
    row["working_days_left"] = deadlines.working_days_between(today, day, eves_are_working_days=eves) if day else None
    # the inbox's column, as its week: the working days to what is due first
    row["working_days_to_next_due"] = row["working_days_left"] if due_day == day else (
        deadlines.working_days_between(today, due_day, eves_are_working_days=eves) if due_day else None)
    internal = deadlines.to_datetime(row.get("internal_deadline"))
    due = internal.astimezone(deadlines.OSLO).date() if internal else (
        deadlines.add_working_days(day, -profile.lead_days, eves_are_working_days=profile.eves_are_working_days) if day else None)
    row["draft_due"] = due.isoformat() if due else None
    row["draft_overdue"] = bool(due and today > due)
    row["draft_due_today"] = due == today
    return row


def opens(row: dict[str, Any]) -> datetime | None:
    """When a consultation opens for input, when known: a Have your say consultation's
    `published` (the day its feedback opens, extra `opens`: `published` is the tracked copy, set
    back for an earlier day's digest as `opens` is not). The horizon's «EU feedback opens» and the
    digest's announced consultations (`announced`) both read it here."""
    if row.get("kind") != "eu_consultation":
        return None
    return deadlines.to_datetime(row.get("published"))


def announced(db: sqlite_utils.Database, *, as_of: datetime, profile: Profile | None = None,
              rows: list[dict[str, Any]] | None = None) -> list[dict[str, Any]]:
    """Consultations announced but not open yet (status upcoming) that the NCP will have to
    answer once they open: in the profile's scope, relevant or naming the NCP as a consultee and
    not set aside (`asks_input`, as «Trenger innspill» decides), not vanished, the deadline (if
    known) not passed. Ordered by the day they open (unknown last), then the deadline.

    Each row holds what `needs_input` gives (no evidence snippet) plus `opens` (ISO time or None,
    `opens`). `rows`: the `candidates(db, upto)` already read; they are not modified.
    """
    profile, today, source_rows = _read(db, as_of, profile, rows)
    out = []
    for row in source_rows:
        if row.get("status") != UPCOMING or row.get("vanished_at"):
            continue
        deadline = deadlines.deadline_time(row.get("deadline"))
        if deadline is not None and deadline < as_of:
            continue
        row["labels"] = item_labels(row)
        if (why := asks_input(row, profile)) is None:
            continue
        row["why"] = why
        when = opens(row)
        row["opens"] = when.isoformat() if when else None
        out.append(_due_facts(row, as_of, today, profile))
    far = datetime.max.replace(tzinfo=as_of.tzinfo)
    out.sort(key=lambda r: (deadlines.to_datetime(r["opens"]) or far, deadlines.deadline_time(r["deadline"]) or far,
                            -rank_relevance(r), r["id"]))
    return out


def _sent(row: dict[str, Any]) -> tuple[datetime, datetime] | None:
    """When a consultation was sent on hearing, for ordering same-titled ones: (its `published`,
    else when first seen; when first seen, to order two published at the same moment); None
    without a readable first-seen instant."""
    seen = deadlines.to_datetime(row.get("first_seen"))
    return None if seen is None else (deadlines.to_datetime(row.get("published")) or seen, seen)


def resent(db: sqlite_utils.Database, items: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Consultations among `items` that repeat an earlier one (a hearing sent on a new hearing):
    {item id: the earlier item}.

    Decided by the source's own pointer (extra `previous_hearing`/`replaces`: an id or URL) or by
    the same title (`changes.title_key`: a leading "Høring –"/"(ny høring)", case and punctuation
    ignored; at least 20 characters) as an earlier consultation of another id, sent at most
    `RESEND_WITHIN_DAYS` before it (`_sent`).
    """
    consult = [i for i in items if i.get("kind") in CONSULTATION_KINDS]
    if not consult:
        return {}
    pointers: dict[str, str] = {}
    keys: dict[str, str] = {}
    for item in consult:
        extra = loads_json(item.get("extra"), {})
        pointer = extra.get("previous_hearing") or extra.get("replaces") if isinstance(extra, dict) else None
        if isinstance(pointer, str) and pointer:
            pointers[item["id"]] = pointer
        key = title_key(item.get("title"))
        if len(key) >= 20:
            keys[item["id"]] = key
    kinds = list(CONSULTATION_KINDS)
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
        db, f"""select id, title, url, canonical_url, deadline, status, published, first_seen, title_key from items
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
        sent = _sent(item)
        earlier = [(when, r) for r in by_title.get(keys.get(item["id"], ""), []) if r["id"] != item["id"]
                   and (when := _sent(r)) is not None and sent is not None and when < sent
                   and sent[0] - when[0] <= timedelta(days=RESEND_WITHIN_DAYS)]
        if earlier:
            out[item["id"]] = max(earlier, key=lambda pair: pair[0])[1]
    return out
