"""Links between items that cite the same thing: an EU act, its EØS-notat, the hearing and the Prop.

`update_links(db)` reads each item's title, summary, body and reference through
`tracker.links.references`, stores the keys in ``refs(item_id, ref)`` and links every
pair of items that share a key in ``links(a, b, ref, how)`` — both directions.
Watched files (data/watchlist.toml) add one more key, ``watch:<id>``, to every
item that cites one of the file's identifiers (CELEX, act number, COM number,
procedure, `refs`) or that a spider attributed to the file (``extra.watch``), so an
item citing CSDDD's CELEX and one citing its procedure belong together.

``how`` says why two items are linked: ``text`` (both cite the same reference)
or ``watchlist`` (both belong to the same watched file).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from itertools import permutations
from pathlib import Path
from typing import Any

import sqlite_utils

from tracker.links import references
from tracker.links.watchlist import WatchEntry, entry_keys, watch_key
from tracker.links.watchlist import load as load_watchlist
from tracker.store.queries import select_in

TEXT_FIELDS = ("title", "summary", "body", "reference")
#: which key names a link best, most specific first
REF_PRIORITY = ("celex", "com", "proc", "eu", "prop", "innst", "meldst", "nou", "law", "watch")


def item_refs(item: dict[str, Any], entries: Iterable[WatchEntry] = ()) -> set[str]:
    """Every reference key of one item (expanded), plus ``watch:<id>`` for the watched files it belongs to."""
    keys: set[str] = set()
    for field in TEXT_FIELDS:
        for key in references.extract(item.get(field)):
            keys |= references.expand(key)
    for entry in entries:
        if entry_keys(entry) & keys:
            keys.add(watch_key(entry))
    extra = item.get("extra")
    if isinstance(extra, str):
        try:
            extra = json.loads(extra or "{}")
        except ValueError:
            extra = {}
    watched = (extra or {}).get("watch") if isinstance(extra, dict) else None
    for watch_id in [watched] if isinstance(watched, str) else (watched or []):
        keys.add(watch_key(watch_id))
    return keys


def _how(ref: str) -> str:
    return "watchlist" if ref.startswith("watch:") else "text"


def update_links(db: sqlite_utils.Database, item_ids: Iterable[str] | None = None, *,
                 watchlist: str | Path | None = None,
                 entries: list[WatchEntry] | None = None) -> dict[str, int]:
    """Recompute the references of `item_ids` (default: every item) and the links they make.

    The watchlist is read from `watchlist` (default `watchlist.configured_path()`, which falls
    back to the shipped file); a missing or invalid one raises `WatchlistError` naming it (read
    as empty, every ``watch:`` link would vanish quietly).
    Returns counts: items read, refs stored for them, links touched.
    """
    if entries is None:
        entries = load_watchlist(watchlist)
    full = item_ids is None
    if full:
        rows = list(db.query(f"select id, extra, {', '.join(TEXT_FIELDS)} from items"))
    else:
        rows = list(select_in(db, f"select id, extra, {', '.join(TEXT_FIELDS)} from items where id in ({{marks}})",
                              list(dict.fromkeys(item_ids))))
    new = {row["id"]: item_refs(row, entries) for row in rows}
    with db.conn:
        if full:
            db.execute("delete from links")
            db.execute("delete from refs")
            affected = set().union(*new.values()) if new else set()
        else:
            affected = set()
            for item_id in new:
                affected |= {r[0] for r in db.execute("select ref from refs where item_id = ?", [item_id])}
                db.execute("delete from refs where item_id = ?", [item_id])
            affected |= set().union(*new.values()) if new else set()
        db["refs"].insert_all(({"item_id": i, "ref": r} for i, refs in new.items() for r in refs),
                              pk=("item_id", "ref"), ignore=True)
        touched = 0
        for ref in sorted(affected):
            if not full:
                db.execute("delete from links where ref = ?", [ref])
            members = [r[0] for r in db.execute("select item_id from refs where ref = ? order by item_id", [ref])]
            pairs = [{"a": a, "b": b, "ref": ref, "how": _how(ref)} for a, b in permutations(members, 2)]
            if pairs:
                db["links"].insert_all(pairs, pk=("a", "b", "ref"), ignore=True)
                touched += len(pairs)
    return {"items": len(new), "refs": sum(len(v) for v in new.values()), "links": touched}


def _best(refs: list[str]) -> str:
    def rank(ref: str) -> tuple[int, str]:
        kind = ref.split(":", 1)[0]
        return (REF_PRIORITY.index(kind) if kind in REF_PRIORITY else len(REF_PRIORITY), ref)

    return min(refs, key=rank)


def related(db: sqlite_utils.Database, item_id: str) -> list[dict[str, Any]]:
    """The items linked to `item_id`: id, title, kind, source, url, language, ref (the most specific
    shared reference), refs (all shared references), how (text or watchlist)."""
    grouped: dict[str, dict[str, Any]] = {}
    for row in db.query(
        """select l.b as id, l.ref, l.how, i.title, i.kind, i.source, i.url, i.language
           from links l join items i on i.id = l.b where l.a = ? order by l.b, l.ref""",
        [item_id],
    ):
        entry = grouped.setdefault(row["id"], {k: row[k] for k in ("id", "title", "kind", "source", "url", "language")}
                                   | {"refs": []})
        entry["refs"].append(row["ref"])
    out = []
    for entry in grouped.values():
        entry["ref"] = _best(entry["refs"])
        entry["how"] = _how(entry["ref"]) if all(r.startswith("watch:") for r in entry["refs"]) else "text"
        out.append(entry)
    out.sort(key=lambda e: (e["source"], e["title"] or ""))
    return out


def related_map(db: sqlite_utils.Database) -> dict[str, list[str]]:
    """item id → the ids linked to it (for ``items --format jsonl``)."""
    out: dict[str, set[str]] = defaultdict(set)
    for a, b in db.execute("select a, b from links"):
        out[a].add(b)
    return {a: sorted(bs) for a, bs in out.items()}


def items_of_watch(db: sqlite_utils.Database, watch_id: str) -> list[dict[str, Any]]:
    """Every item that belongs to a watched file."""
    return list(db.query(
        """select i.id, i.title, i.kind, i.source, i.url, i.status, i.extra, i.last_changed, i.language
           from refs r join items i on i.id = r.item_id where r.ref = ? order by i.source, i.id""",
        [watch_key(watch_id)],
    ))
