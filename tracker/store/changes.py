"""The one place change events are decided.

`compare(before, after)` is a pure function from two versions of an item to the
events between them; `merge(stored, scraped)` decides what a fresh scrape may
overwrite. A field the scrape did not observe (``None``: a blocked detail page,
a feed without deadlines) never erases what is stored — absence of evidence is
not a change.

Event kinds: new, updated (which fields), deadline_changed (old → new),
status_changed, stage_changed (a legislative procedure's stage, `extra["stage"]`),
times_changed (a committee hearing's other times moved or removed: `extra["hearing_start"]`,
and `extra["anmodningsfrist"]` where it is not the deadline; field = the key; after = None when
removed; and its sittings, `extra["hearing_times"]`, a list of {"tidspunkt", "sted"}: a sitting
moved, added or removed, or another room or none — places the fallback channel does not observe
are kept, `merge_sittings`, and places first known are no change), forecasts_changed (an EU
procedure's forecasts, `extra["forecasts"]`, a list of {"date", "event"}: one moved, added or
dropped; and a Storting case's saksgang dates, `extra["hearing_deadline"]` and `extra["hearing"]`,
set, moved or removed), documents_added, documents_removed (a document the item's page, read
in full, no longer links: kept in the list, marked ``unlisted``), vanished, reappeared.

`revert(item, later)` is compare's inverse: the item as it stood before events recorded later (a
digest of an earlier day shows the items as they stood that day).
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from crawlers.dates import OSLO
from tracker.store.deadlines import DEADLINE_EXTRAS, deadline_time, to_datetime

#: fields whose change is an `updated` event (deadline, status and documents have their own kinds)
CONTENT_FIELDS = ("title", "summary", "body", "owner", "reference", "url", "published", "kind")
#: fields whose change is also an `updated` event but that are not content: the consultee list (JSON
#: text) is data beside the text — it is kept out of tagging, so it stays out of the content hash
DATA_FIELDS = ("consultees",)
#: fields that make up the content hash
HASH_FIELDS = (*CONTENT_FIELDS, "deadline", "status", "documents")
#: every kind of event the store holds: those decided here, and the documents' (tracker/documents:
#: a linked document's text changed; a watched provision found in a document)
EVENT_KINDS = ("new", "updated", "deadline_changed", "status_changed", "stage_changed", "times_changed",
               "forecasts_changed", "documents_added", "documents_removed", "vanished", "reappeared",
               "documents_changed", "provision_hit")
#: a committee hearing's times besides its deadline (`extra`): the hearing itself and the deadline
#: to ask to take part (the `deadline` is the written-input deadline when there is one)
HEARING_TIMES = ("hearing_start", "anmodningsfrist")
#: a Storting case's dates from its saksgang (`extra`, no_stortinget_spu): HOERFRIST and HOER
CASE_TIMES = ("hearing_deadline", "hearing")
#: a committee hearing's sittings (`extra`): [{"tidspunkt": instant, "sted": place}, …]
SITTINGS = "hearing_times"
#: an EU procedure's forecasts (`extra`, OEIL): [{"date": "YYYY-MM-DD", "event": text}, …]
FORECASTS = "forecasts"
#: the key a stored document gets when the item's page, read in full, no longer links it
UNLISTED = "unlisted"


@dataclass(frozen=True)
class Event:
    kind: str
    field: str | None = None
    before: Any = None
    after: Any = None

    def as_row(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "field": self.field,
            "before": _dump(self.before),
            "after": _dump(self.after),
        }


def _dump(value: Any) -> str | None:
    if value is None:
        return None
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, sort_keys=True)


_RESENT_PREFIX = re.compile(r"^(ny |new )?(høring|høyring|consultation)\s*[-–—:]\s*")
_RESENT_MARK = re.compile(r"\((ny høring|ny høyring|new consultation)\)")


def title_key(title: str | None) -> str:
    """A title reduced to its words (case, punctuation, a leading "Høring –" and "(ny høring)"
    ignored), stored with each item so that a consultation sent out again under the same title
    is found by an index lookup."""
    text = " ".join(unicodedata.normalize("NFC", title or "").casefold().split())
    text = _RESENT_MARK.sub("", _RESENT_PREFIX.sub("", text))
    return re.sub(r"[\W_]+", " ", text).strip()


def content_hash(item: dict[str, Any]) -> str:
    payload = {f: item.get(f) for f in HASH_FIELDS}
    docs = payload.get("documents")
    if isinstance(docs, str):
        docs = json.loads(docs or "[]")
    # the documents the item's page links now: one it no longer links changes the item (it is
    # tagged again, and only what is linked raises its relevance: tracker.documents.read)
    payload["documents"] = sorted(d.get("url", "") for d in (docs or []) if not d.get(UNLISTED))
    raw = json.dumps(payload, ensure_ascii=False, sort_keys=True)
    return hashlib.sha1(raw.encode("utf-8")).hexdigest()


def merge(stored: dict[str, Any] | None, scraped: dict[str, Any], *,
          documents_complete: bool = False) -> dict[str, Any]:
    """The item after this scrape: stored values overlaid with everything the scrape observed.
    `documents_complete`: the scrape read the item's own page, so its documents are all the page
    links (see `_merge_documents`)."""
    merged = dict(stored or {})
    for key, value in scraped.items():
        if value is None or value == "" or value == []:
            continue
        if key == "documents" and stored:
            merged[key] = _merge_documents(stored.get("documents"), value, complete=documents_complete)
        else:
            merged[key] = value
    return merged


def _docs(value: Any) -> list[dict[str, Any]]:
    if isinstance(value, str):
        return json.loads(value or "[]")
    return list(value or [])


def _extra(item: dict[str, Any]) -> dict[str, Any]:
    value = item.get("extra")
    if isinstance(value, str):
        return json.loads(value or "{}")
    return dict(value or {})


def _linked(doc: dict[str, Any]) -> dict[str, Any]:
    """A document without the ``unlisted`` mark: as its page links it."""
    return {k: v for k, v in doc.items() if k != UNLISTED}


def _merge_documents(old: Any, new: Any, *, complete: bool = False) -> list[dict[str, Any]]:
    """Documents accumulate: a page that stops listing one does not delete it (its copy, its
    history and what it said stay). But when the scrape read the page itself (`complete`), a
    document the page no longer links is marked ``unlisted`` — a høringsnotat replaced by a
    corrected one is not quoted in drafts or read for relevance any more
    (tracker.documents.store.listed) — and a document linked again loses the mark. A list from
    elsewhere (a feed, a second source) never marks one."""
    merged = {d.get("url"): d for d in _docs(old)}
    given = {d.get("url") for d in _docs(new)}
    if complete:
        for url, d in merged.items():
            if url not in given and not d.get(UNLISTED):
                merged[url] = {**d, UNLISTED: True}
    for d in _docs(new):
        merged[d.get("url")] = _linked(d)
    return list(merged.values())


def hearing_place(extra: dict[str, Any]) -> str | None:
    """Where a committee hearing is held (`extra` of the item): the place of its sitting at its
    start (`hearing_start`), else of the first sitting that names one; None when none does."""
    sittings = [s for s in extra.get(SITTINGS) or [] if isinstance(s, dict) and s.get("sted")]
    start = to_datetime(extra.get("hearing_start"))
    chosen = [s for s in sittings if start is not None and to_datetime(s.get("tidspunkt")) == start] or sittings
    return str(chosen[0]["sted"]) if chosen else None


def later_sitting_days(extra: dict[str, Any]) -> list[tuple[datetime, str | None]]:
    """The other days a committee hearing sits (`extra` of the item): for each Oslo day after the
    day of its start (`hearing_start`), the first sitting that day, as (time, place or None), in
    order. Several sittings on the start's day (one hearing's slots) add none: the hearing line
    and the calendar name the start, and one more entry for each further day."""
    start = to_datetime(extra.get("hearing_start"))
    if start is None:
        return []
    first_day = start.astimezone(OSLO).date()
    days: dict[Any, tuple[datetime, str | None]] = {}
    for s in extra.get(SITTINGS) or []:
        when = to_datetime(s.get("tidspunkt")) if isinstance(s, dict) else None
        if when is None:
            continue
        day = when.astimezone(OSLO).date()
        if day > first_day and (day not in days or when < days[day][0]):
            days[day] = (when, str(s["sted"]) if s.get("sted") else None)
    return [days[d] for d in sorted(days)]


def sitting_days(extra: dict[str, Any]) -> list[tuple[datetime, str | None]]:
    """Each day a committee hearing sits, as (time, place or None), in order: its start
    (`hearing_start`, at `hearing_place`) and `later_sitting_days`; without a start, the first
    sitting of each day."""
    times = [t for s in extra.get(SITTINGS) or [] if isinstance(s, dict) and (t := to_datetime(s.get("tidspunkt")))]
    start = to_datetime(extra.get("hearing_start")) or (min(times) if times else None)
    if start is None:
        return []
    at_start = {**extra, "hearing_start": start.isoformat()}
    return [(start, hearing_place(at_start)), *later_sitting_days(at_start)]


def merge_sittings(stored: Any, scraped: Any, *, places_observed: bool = True) -> Any:
    """A committee hearing's sittings after a scrape: the scraped list. A channel that does not
    observe the sittings' places (`places_observed` False: the Storting's fallback channel reads
    only the days from each case) keeps what the primary channel saw when it names no place where
    the stored list does, as an unobserved time keeps the stored one; the primary channel naming
    no room any more, or no sitting, is a change."""
    def named(value: Any) -> bool:
        return isinstance(value, list) and any(isinstance(s, dict) and s.get("sted") for s in value)

    return stored if not places_observed and named(stored) and not named(scraped) else scraped


def _sittings_differ(old: list[Any], new: list[Any]) -> bool:
    """Sittings moved, added, removed or in another room; places first known (the stored list
    came from a channel that does not observe them) are no change."""
    if any(isinstance(s, dict) and s.get("sted") for s in old):
        return _sittings_key(old) != _sittings_key(new)
    return [when for when, _place in _sittings_key(old)] != [when for when, _place in _sittings_key(new)]


def forecast_moves(old: list[Any], new: list[Any]) -> list[tuple[str, str | None, str | None]]:
    """What changed between two lists of forecasts ({"date", "event"}): (event, old date, new date)
    per forecast moved, added (old None) or dropped (new None), in the new list's order, then the
    dropped ones. An event named twice is matched by its place among its namesakes."""
    def keyed(rows: list[Any]) -> dict[tuple[str, int], str | None]:
        out: dict[tuple[str, int], str | None] = {}
        seen: dict[str, int] = {}
        for row in rows:
            if not isinstance(row, dict) or not str(row.get("event") or "").strip():
                continue
            name = " ".join(str(row["event"]).split())
            seen[name] = seen.get(name, 0) + 1
            out[(name, seen[name])] = row.get("date") or None
        return out

    before, after = keyed(old), keyed(new)
    moves = [(key[0], before.get(key), when) for key, when in after.items() if before.get(key, "?") != when]
    return moves + [(key[0], when, None) for key, when in before.items() if key not in after]


def _sittings_key(sittings: list[Any]) -> list[tuple[Any, Any]]:
    """Sittings as (instant, place) to compare: one instant written two ways is no change."""
    out = []
    for s in sittings:
        s = s if isinstance(s, dict) else {}
        out.append((to_datetime(s.get("tidspunkt")) or s.get("tidspunkt"), s.get("sted")))
    return out


def told(changes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """An item's changes (event rows or dicts with kind, field, before, after) worth telling
    together: a committee hearing's sittings change that only repeats its move (one `hearing_start`
    change among them, every sitting at its old time now at its new one, nothing else changed) is
    left out — "Hearing moved" says it. The item's history keeps both."""
    moves = [c for c in changes if c.get("kind") == "times_changed" and c.get("field") == "hearing_start"
             and c.get("before") and c.get("after")]
    if len(moves) != 1:
        return changes
    frm, to = to_datetime(moves[0]["before"]), to_datetime(moves[0]["after"])
    out = []
    for c in changes:
        if c.get("kind") == "times_changed" and c.get("field") == SITTINGS:
            before, after = _values(c.get("before"), []), _values(c.get("after"), [])
            placed = any(place for _when, place in _sittings_key(before))  # else places first known
            moved = [(to if when == frm else when, place if placed else None) for when, place in _sittings_key(before)]
            if before and moved == [(when, place if placed else None) for when, place in _sittings_key(after)]:
                continue
        out.append(c)
    return out


def same_deadline(old: Any, new: Any) -> bool:
    """Whether two stored deadlines say the same: the same text, or the same end
    (`deadlines.deadline_time`) — «2026-11-24», as a store older than the spiders' rule holds a
    day, and «2026-11-24T23:59:59+01:00», as a scrape gives it now, are no move of the deadline."""
    if (old or None) == (new or None):
        return True
    end = deadline_time(old)
    return end is not None and end == deadline_time(new)


def compare(before: dict[str, Any] | None, after: dict[str, Any]) -> list[Event]:
    """Events that turn `before` into `after` (both full items as stored)."""
    if before is None:
        return [Event("new", after=after.get("title"))]
    events: list[Event] = []
    changed = [f for f in (*CONTENT_FIELDS, *DATA_FIELDS) if (before.get(f) or None) != (after.get(f) or None)]
    if changed:
        events.append(
            Event(
                "updated",
                field=",".join(changed),
                before={f: before.get(f) for f in changed},
                after={f: after.get(f) for f in changed},
            )
        )
    if not same_deadline(before.get("deadline"), after.get("deadline")):
        events.append(Event("deadline_changed", "deadline", before.get("deadline"), after.get("deadline")))
    if (before.get("status") or None) != (after.get("status") or None):
        events.append(Event("status_changed", "status", before.get("status"), after.get("status")))
    old_extra, new_extra = _extra(before), _extra(after)
    old_stage, new_stage = old_extra.get("stage"), new_extra.get("stage")
    if new_stage and old_stage != new_stage:
        events.append(Event("stage_changed", "stage", old_stage, new_stage))
    for key in HEARING_TIMES:
        # a move (both known, other instants) or a removal (the source now says there is none:
        # "", see the Storting spider): a time first known, or not seen on a day another channel
        # answered (None, the stored one kept), is neither; the deadline's own moves are
        # deadline_changed
        old_time, new_time = old_extra.get(key), new_extra.get(key)
        if key == new_extra.get("deadline_basis") or not old_time:
            continue
        if new_time == "":
            events.append(Event("times_changed", key, old_time, None))
        elif new_time and (not same_deadline(old_time, new_time) if key in DEADLINE_EXTRAS
                           else to_datetime(old_time) != to_datetime(new_time)):
            events.append(Event("times_changed", key, old_time, new_time))
    # a Storting case's hearing deadline and hearing: unlike a committee hearing's times, a date
    # first given is a change too (a case followed for weeks gets its hearing deadline one day,
    # and a digest of the day before must not show it); a scrape that did not observe them keeps
    # the stored ones (tracker.store.merge), "" removes one
    if after.get("kind") == "storting_case":
        for key in CASE_TIMES:
            old_time, new_time = old_extra.get(key) or None, new_extra.get(key) or None
            if to_datetime(old_time) != to_datetime(new_time):
                events.append(Event("times_changed", key, old_time, new_time))
    # the sittings: a change of time or room, a sitting added or removed; a list first known is
    # none, as for the times above (a scrape that did not observe them keeps the stored list)
    old_sittings, new_sittings = old_extra.get(SITTINGS), new_extra.get(SITTINGS)
    if (isinstance(old_sittings, list) and old_sittings and isinstance(new_sittings, list)
            and _sittings_differ(old_sittings, new_sittings)):
        events.append(Event("times_changed", SITTINGS, old_sittings, new_sittings))
    # an EU procedure's forecasts: the page gives the whole list each time (none: an empty list)
    old_forecasts, new_forecasts = old_extra.get(FORECASTS), new_extra.get(FORECASTS)
    if (isinstance(old_forecasts, list) and isinstance(new_forecasts, list)
            and forecast_moves(old_forecasts, new_forecasts)):
        events.append(Event("forecasts_changed", FORECASTS, old_forecasts, new_forecasts))
    old_urls = {d.get("url") for d in _docs(before.get("documents"))}
    added = [d for d in _docs(after.get("documents")) if d.get("url") not in old_urls]
    if added:
        events.append(Event("documents_added", "documents", None, added))
    # documents the item's page, read in full, no longer links (marked by _merge_documents)
    was_listed = {d.get("url") for d in _docs(before.get("documents")) if not d.get(UNLISTED)}
    removed = [d for d in _docs(after.get("documents")) if d.get(UNLISTED) and d.get("url") in was_listed]
    if removed:
        events.append(Event("documents_removed", "documents", None,
                            [_linked(d) for d in removed]))
    if before.get("vanished_at") and not after.get("vanished_at"):
        events.append(Event("reappeared", None, before.get("vanished_at"), None))
    return events


def revert(item: dict[str, Any], later: list[dict[str, Any]]) -> dict[str, Any] | None:
    """`item` (a stored row) as it stood before the events `later` (its events as stored rows, in
    the order of their ids) were recorded; None when one of them is its `new` event (it was not
    known yet). Each field they changed gets its value before the first of them: the content
    fields of `updated`, deadline, status, the stage, hearing times and sittings in `extra`, `vanished_at`;
    documents they added are taken away, those they marked no longer linked are linked again. The
    tags (labels, relevance) are the tagger's and stay."""
    if any(e["kind"] == "new" for e in later):
        return None
    old, extra = dict(item), _extra(item)
    fields: dict[str, Any] = {}  # field -> its value before its first later change
    keys: dict[str, Any] = {}  # the same for keys of `extra`
    added: set[str] = set()
    removed: set[str] = set()
    for e in later:
        kind, before = e["kind"], e.get("before")
        if kind == "updated":
            values = _values(before)
            for key in (e.get("field") or "").split(","):
                if key in values:
                    fields.setdefault(key, values[key])
        elif kind in ("deadline_changed", "status_changed"):
            fields.setdefault(e["field"], before)
        elif kind == "times_changed" and e.get("field") == SITTINGS:
            if sittings := _values(before, []):  # not readable: not set back
                keys.setdefault(SITTINGS, sittings)
        elif kind == "forecasts_changed":
            keys.setdefault(FORECASTS, _values(before, []))  # [] before: none forecast then
        elif kind in ("stage_changed", "times_changed"):
            keys.setdefault(e["field"], before)
        elif kind == "vanished":
            fields.setdefault("vanished_at", None)
        elif kind == "reappeared":
            fields.setdefault("vanished_at", before)
        elif kind in ("documents_added", "documents_removed"):
            docs = _values(e.get("after"), [])
            urls = {d.get("url") for d in docs if isinstance(d, dict)} if isinstance(docs, list) else set()
            (added if kind == "documents_added" else removed).update(urls)
    old.update(fields)
    if keys:
        for key, value in keys.items():
            if value is None:
                extra.pop(key, None)
            else:
                extra[key] = value
        stored_text = isinstance(item.get("extra"), str) or item.get("extra") is None
        old["extra"] = json.dumps(extra, ensure_ascii=False, sort_keys=True) if stored_text else extra
    if added or removed:
        kept = [d if d.get("url") not in removed else _linked(d)
                for d in _docs(item.get("documents")) if d.get("url") not in added]
        old["documents"] = (json.dumps(kept, ensure_ascii=False) if isinstance(item.get("documents"), str)
                            else kept)
    return old


def _values(stored: Any, default: Any = None) -> Any:
    """An event's stored before/after as Python (a dict of fields for `updated`); `default` ({})
    for text that is not JSON (an event written by hand or by another program): that change is
    then not set back, and the digest goes on."""
    default = {} if default is None else default
    if not isinstance(stored, str):
        return stored if stored is not None else default
    try:
        value = json.loads(stored)
    except ValueError:
        return default
    return value if isinstance(value, type(default)) else default
