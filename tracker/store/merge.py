"""Writing scrapes into the store: one transaction per source and run.

`apply_scrape` merges each scraped item into its stored row, derives status
(`tracker.store.status`; a status word it does not know is an amber note), computes
events (`tracker.store.changes`), marks items that vanished from a complete listing
(behind a guard) and records nothing as deleted, ever.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlite_utils

from crawlers.dates import parse_date
from crawlers.fields import detail_never_read
from tracker.store import changes, ids, status
from tracker.store.deadlines import deadline_time
from tracker.store.health import counted
from tracker.store.instants import now_iso
from tracker.store.instants import stored as stored_instant
from tracker.store.migrations import SEEN_BY_OTHERS
from tracker.store.queries import loads_json, select_in

#: refuse to mark more than this share of a source's open items vanished in one run
VANISH_GUARD_SHARE = 0.3
#: … unless it is at most this many items
VANISH_GUARD_MIN = 2
LIVE_STATUSES = (status.OPEN, status.UPCOMING)
#: sources that own an item found by several spiders (see `_seen_by_another`)
PRIMARY_SOURCES = frozenset({"no_regjeringen_horinger", "no_stortinget_horinger", "eu_haveyoursay"})
#: the `extra` key of an item whose consultee list was read from the list file its page links
#: (`set_consultees`): {"url": the file's link, "sha256": the version read}
CONSULTEES_FROM = "consultees_from"


@dataclass
class ApplyResult:
    source: str
    seen: int = 0
    new: int = 0
    changed: int = 0
    vanished: int = 0
    events: int = 0
    notes: list[tuple[str, str]] = field(default_factory=list)


def start_run(db: sqlite_utils.Database, *, as_of: datetime, mode: str, sources: list[str],
              replay_dir: str | None = None, backfill: bool = False) -> int:
    """A new `runs` row; `backfill`: a walk through history, whose events no digest reports as news."""
    row = {"started": now_iso(), "as_of": stored_instant(as_of), "mode": mode,
           "replay_dir": replay_dir, "sources": json.dumps(sources)}
    if backfill:
        row["backfill"] = 1
    with db.conn:
        table = db["runs"]
        table.insert(row)
        return table.last_pk


def finish_run(db: sqlite_utils.Database, run_id: int, exit_code: int, note: str | None = None) -> None:
    with db.conn:
        db["runs"].update(run_id, {"finished": now_iso(), "exit_code": exit_code, "note": note})


def complete_run(db: sqlite_utils.Database, run_id: int) -> None:
    """Everything after the run's crawl (tagging, documents, digest) has ended."""
    with db.conn:
        db["runs"].update(run_id, {"completed": now_iso()})


def known_items(db: sqlite_utils.Database, source: str, extra_keys: tuple[str, ...] = ()) -> dict[str, dict[str, Any]]:
    """What a spider may know about the store: status, hash, deadline, the state of its detail
    page's last attempt and when it was last read (`extra.detail`, `extra.detail_read`) by native
    id; for an item whose page was never read (crawlers.items.detail_never_read) its address too:
    a closed item's page is fetched again, and a backfill's retry unit reads such pages
    (`unread_details`). `extra_keys`: keys of the items' `extra` the spider asks for too (its
    `known_extra`: eu_cellar's `relations`), each under its name when the item has it."""
    if any(not re.fullmatch(r"\w+", key) for key in extra_keys):
        raise ValueError(f"extra keys are names: {extra_keys!r}")
    # `->`: the value as JSON text, whatever its type (json_extract gives a text unquoted)
    asked = "".join(f", case when json_valid(extra) then extra -> '$.{key}' end" for key in extra_keys)
    columns = f"""native_id, status, content_hash, deadline, source, extra,
                 case when json_valid(extra) then json_extract(extra, '$.detail') end,
                 case when json_valid(extra) then json_extract(extra, '$.detail_read') end, url{asked}"""
    # its own items by the source's index, the others' it saw too by the partial index of items
    # seen by more than one source (migrations.SEEN_BY_OTHERS: the same expression, or no index)
    rows = db.execute(
        f"""select {columns} from items where native_id is not null and source = ?
            union all
            select {columns} from items where {SEEN_BY_OTHERS} and native_id is not null
               and source != ? and extra like ?""",
        [source, source, f'%"{source}"%'],
    ).fetchall()
    known = {}
    for native_id, status_, chash, deadline, owner, extra, detail, read, url, *values in rows:
        # items this source found but another source owns (see _seen_by_another) count too
        if owner == source or source in json.loads(extra or "{}").get("also_seen_by", []):
            detail = detail if isinstance(detail, str) else None
            read = read if isinstance(read, str) else None
            known[native_id] = {"status": status_, "content_hash": chash, "deadline": deadline,
                                "detail": detail, "detail_read": read}
            if detail_never_read(detail, read):
                known[native_id]["url"] = url
            for key, value in zip(extra_keys, values, strict=True):
                if value is not None:
                    known[native_id][key] = json.loads(value)
    return known


def set_consultees(db: sqlite_utils.Database, item_id: str, listed: list[dict[str, Any]], *,
                   origin: dict[str, str], run_id: int | None, at: str) -> bool:
    """Store a hearing's consultee list read from the list file its page links (`origin`: the
    file's ``url`` and the ``sha256`` read) as a scrape's list is stored: `consultees`,
    `ncp_consultee` (crawlers.consultees decides it), an `updated` event when the list changed —
    so the digest, «Trenger innspill» and triage's `reconsider_named` see it as they see a list on
    the page. The item remembers the file (`CONSULTEES_FROM`); a list the page itself gives later
    replaces it (`apply_scrape`). Returns whether the list changed."""
    from crawlers.consultees import ncp_consultee

    stored = _load_many(db, [item_id]).get(item_id)
    if stored is None:
        raise KeyError(f"no item {item_id!r}")
    extra = loads_json(stored.get("extra"), {})
    extra = extra if isinstance(extra, dict) else {}
    after = {**stored, "consultees": json.dumps(listed, ensure_ascii=False, sort_keys=True),
             "ncp_consultee": 1 if ncp_consultee(listed) else 0,
             "extra": json.dumps({**extra, CONSULTEES_FROM: dict(origin)}, ensure_ascii=False, sort_keys=True)}
    events = changes.compare(stored, after)
    if events:
        after["last_changed"] = at
    with db.conn:
        db["items"].update(item_id, {k: after[k] for k in ("consultees", "ncp_consultee", "extra", "last_changed")})
        _record(db, run_id, at, item_id, events)
    return bool(events)


def unread_details(db: sqlite_utils.Database, source: str) -> int:
    """How many of `source`'s items have a page never read (what `known_items` gives an address)."""
    return sum(1 for info in known_items(db, source).values() if "url" in info)


def _prepare(scraped: dict[str, Any]) -> dict[str, Any]:
    row = {k: v for k, v in scraped.items() if k in (
        "source", "kind", "native_id", "title", "summary", "body", "language", "url", "owner",
        "published", "deadline", "status_raw", "channel", "reference", "documents", "extra",
        "consultees", "ncp_consultee")}  # fmt: skip
    if row.get("ncp_consultee") is not None:
        row["ncp_consultee"] = 1 if row["ncp_consultee"] else 0
    row["id"] = ids.item_id(row["source"], row.get("native_id"), row["url"])
    row["canonical_url"] = ids.canonical_url(row["url"])
    return row


#: the `extra` keys that say how one spider's attempt at an item's own page went (crawlers.items)
PAGE_STATE_KEYS = ("detail", "detail_read")


def _seen_by_another(stored: dict[str, Any], row: dict[str, Any]) -> dict[str, Any]:
    """The same page found by a second spider stays one item.

    Its owner is the spider that sees it as a consultation, and among those a
    primary source (a GPFG hearing found by both the hearings feed and
    Finansdepartementet's feed belongs to the hearings feed); otherwise the
    spider that found it first keeps it. So the owner does not depend on which
    spider happens to finish first.
    """
    from crawlers.fields import CONSULTATION_KINDS

    row = dict(row)
    extra = dict(row.get("extra") or {})
    seen_by = set(json.loads(stored.get("extra") or "{}").get("also_seen_by", []))
    def rank(kind: str | None, source: str) -> tuple[bool, bool]:
        return kind in CONSULTATION_KINDS, source in PRIMARY_SOURCES

    if rank(row.get("kind"), row["source"]) > rank(stored["kind"], stored["source"]):
        seen_by.add(stored["source"])  # the better owner takes the item over
    else:
        seen_by.add(row["source"])
        # a second spider only fills in what the owner has not seen: no flip-flopping
        # between two versions of the same text on every run
        row = {k: v for k, v in row.items() if stored.get(k) in (None, "", "[]")}
        # nor does the state of its own attempt at the page stand for the owner's
        extra = {k: v for k, v in extra.items() if k not in PAGE_STATE_KEYS}
        row["source"], row["kind"] = stored["source"], stored["kind"]
    extra["also_seen_by"] = sorted(seen_by - {row["source"]})
    row["extra"] = extra
    return row


def _jsonable(row: dict[str, Any]) -> dict[str, Any]:
    out = dict(row)
    for key in ("documents", "extra", "consultees"):
        if key in out and not isinstance(out[key], str | type(None)):
            out[key] = json.dumps(out[key], ensure_ascii=False, sort_keys=True)
    return out


def _derive(row: dict[str, Any], as_of: datetime) -> str:
    extra = row.get("extra") or {}
    if isinstance(extra, str):
        extra = json.loads(extra or "{}")
    opens = parse_date(extra.get("opens")) if extra.get("opens") else None
    # a deadline given as a day alone is open all that day (deadlines.deadline_time), as the digest reads it
    return status.derive_status(row.get("status_raw"), deadline_time(row.get("deadline")), as_of, opens=opens)


def _record(db, run_id: int, at: str, item_id: str, events: list[changes.Event]) -> None:
    if events:
        db["events"].insert_all(
            [{"item_id": item_id, "run_id": run_id, "at": at, **e.as_row()} for e in events]
        )


def apply_scrape(
    db: sqlite_utils.Database,
    *,
    run_id: int,
    as_of: datetime,
    source: str,
    items: list[dict[str, Any]],
    listing: dict[str, Any] | None = None,
) -> ApplyResult:
    """Merge one source's scrape into the store, in one transaction."""
    at = stored_instant(as_of)
    result = ApplyResult(source)
    batch: dict[str, dict[str, Any]] = {}
    for scraped in items:
        row = _prepare(scraped)
        if row["id"] in batch:  # a feed repeating an item: one item, merged
            row = changes.merge(batch[row["id"]], row)
        batch[row["id"]] = row
    result.seen = len(batch)
    if note := _unrecognised_status_note(batch.values()):
        result.notes.append(("amber", note))
    with db.conn:
        if not db.conn.in_transaction:
            # take the write lock before reading: a deferred transaction that reads and then writes
            # fails at once with "database is locked" when the web server wrote in between (WAL)
            db.conn.execute("BEGIN IMMEDIATE")
        stored_rows = _load_many(db, list(batch))
        upserts: list[dict[str, Any]] = []
        only_seen: list[str] = []
        new_events: list[dict[str, Any]] = []
        for item_id, row in batch.items():
            stored = stored_rows.get(item_id)
            if stored and stored["source"] != source:
                row = _seen_by_another(stored, row)
            page_read = isinstance(row.get("extra"), dict) and row["extra"].get("detail") == "ok"
            if page_read:
                # when the item's own page was last read: kept when a later attempt fails
                # (crawlers.items.detail_never_read; the item page says what it is from)
                row["extra"] = {**row["extra"], "detail_read": at}
            if stored and row.get("extra") is not None:
                # as for the item's own fields (changes.merge): a key the scrape did not observe
                # (None) keeps what is stored — e.g. a committee hearing's time whose text could
                # not be read; a key the source says is empty ("": the export gives no deadline to
                # ask to speak any more) clears it (a times_changed event, tracker.store.changes)
                seen = {k: v for k, v in row["extra"].items() if v is not None}
                stored_extra = json.loads(stored.get("extra") or "{}")
                if changes.SITTINGS in seen:  # places the fallback channel does not observe are kept
                    seen[changes.SITTINGS] = changes.merge_sittings(
                        stored_extra.get(changes.SITTINGS), seen[changes.SITTINGS],
                        places_observed=not seen.get("fallback"))
                row["extra"] = {**stored_extra, **seen}
                if row.get("consultees") is not None:  # the page lists them itself: no file's list
                    row["extra"].pop(CONSULTEES_FROM, None)
            # the documents of a page read in full are all it links (changes._merge_documents)
            merged = changes.merge(stored, row, documents_complete=page_read)
            merged["status"] = _derive(merged, as_of)
            merged["vanished_at"] = None
            merged["title_key"] = changes.title_key(merged.get("title"))
            merged = _jsonable(merged)
            events = changes.compare(stored, merged)
            merged["content_hash"] = changes.content_hash(merged)
            merged["last_seen"] = at
            if stored is None:
                merged["first_seen"] = at
                merged["last_changed"] = at
                result.new += 1
            elif events:
                merged["last_changed"] = at
                result.changed += 1
            if stored is not None and not events and _same(stored, merged):
                only_seen.append(item_id)  # nothing but "seen again": no rewrite of the row
            else:
                upserts.append(merged)
            new_events += [{"item_id": item_id, "run_id": run_id, "at": at, **e.as_row()} for e in events]
        if upserts:
            db["items"].upsert_all(upserts, pk="id", alter=False)
        if only_seen:
            db.execute("update items set last_seen = ? where id in (select value from json_each(?))",
                       [at, json.dumps(only_seen)])
        if new_events:
            db["events"].insert_all(new_events)
        result.events += len(new_events)
        _age_unseen(db, run_id, as_of, source, set(batch), result)
        _mark_vanished(db, run_id, as_of, source, set(batch), listing or {}, result)
    return result


#: how many of a run's unrecognised status words its health note names
STATUS_WORDS_SHOWN = 5


def _unrecognised_status_note(rows: Iterable[dict[str, Any]]) -> str | None:
    """The amber note for items whose status word `status.unrecognised` does not know (their
    status follows the deadline alone), or None when every word is known."""
    words: dict[str, int] = {}
    for row in rows:
        if status.unrecognised(row.get("status_raw")):
            word = row["status_raw"].strip()
            words[word] = words.get(word, 0) + 1
    if not words:
        return None
    num = sum(words.values())
    shown = ", ".join(repr(w) for w in sorted(words, key=lambda w: (-words[w], w))[:STATUS_WORDS_SHOWN])
    if len(words) > STATUS_WORDS_SHOWN:
        shown += ", …"
    return f"{counted(num, 'item')} with an unrecognised status word ({shown}): status from the deadline alone"


def _load_many(db: sqlite_utils.Database, item_ids: list[str]) -> dict[str, dict[str, Any]]:
    """Stored rows by id, read in a few queries instead of one per item."""
    return {row["id"]: row for row in select_in(db, "select * from items where id in ({marks})", item_ids)}


def _same(stored: dict[str, Any], merged: dict[str, Any]) -> bool:
    """Would writing `merged` change anything in the stored row but last_seen?"""
    return all(stored.get(k) == v for k, v in merged.items() if k != "last_seen")


def _age_unseen(db, run_id: int, as_of: datetime, source: str, seen: set[str], result: ApplyResult) -> None:
    """Items not in this scrape still close when their deadline passes."""
    at = stored_instant(as_of)
    placeholders = ",".join("?" for _ in LIVE_STATUSES)
    for row in db.query(
        f"select * from items where source = ? and status in ({placeholders})", [source, *LIVE_STATUSES]
    ):
        if row["id"] in seen:
            continue
        new_status = _derive(row, as_of)
        if new_status != row["status"]:
            db["items"].update(row["id"], {"status": new_status, "last_changed": at})
            _record(db, run_id, at, row["id"], [changes.Event("status_changed", "status", row["status"], new_status)])
            result.events += 1


def _published_since(published: str | None, start: datetime) -> bool:
    """Whether an item published at `published` (as stored) is at or after `start`; an item
    without a readable date is not (it cannot be placed in the window)."""
    when = parse_date(published) if published else None
    return when is not None and when >= start


def _mark_vanished(db, run_id: int, as_of: datetime, source: str, seen: set[str],
                   listing: dict[str, Any], result: ApplyResult) -> None:
    """An open item missing from a complete listing has vanished (never deleted)."""
    if not listing.get("complete"):
        return
    at = stored_instant(as_of)
    since = listing.get("since")
    # instants compared as instants: `published` keeps its publisher's offset, the window's start
    # its spider's (as text, 00:30+02:00 sorts after 00:00+01:00, which is half an hour later)
    start = parse_date(since) if since else None
    if since and start is None:
        result.notes.append(("red", f"start of the listing window unreadable: {since!r}, none marked vanished"))
        return
    rows = list(db.query(
        "select id, published, vanished_at from items where source = ? and status in (?, ?)",
        [source, *LIVE_STATUSES],
    ))
    in_window = [r for r in rows if start is None or _published_since(r["published"], start)]
    candidates = [r for r in in_window if r["id"] not in seen and not r["vanished_at"]]
    if not candidates:
        return
    limit = max(VANISH_GUARD_MIN, int(VANISH_GUARD_SHARE * len(in_window)))
    if len(candidates) > limit:
        result.notes.append(("red", f"vanish guard: {len(candidates)} of {len(in_window)} open items "
                                    "missing from the listing; none marked vanished (broken page?)"))
        return
    for r in candidates:
        db["items"].update(r["id"], {"vanished_at": at, "last_changed": at})
        _record(db, run_id, at, r["id"], [changes.Event("vanished", None, None, at)])
        result.vanished += 1
        result.events += 1
