"""Tagging stored items with the `nlp` tagger: new and changed items, and everything again
after a lexicon or weights change (the tagger's version is stored with each item).

Tags never alter the item's text: labels, relevance and evidence are stored beside it.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import sqlite_utils

from tracker.store.labels import marks_of, with_marks

BATCH = 200


#: only the columns the tagger reads, so a batch of BATCH rows is all that is held in memory
_COLUMNS = "rowid, id, source, title, summary, body, language, content_hash"
_UPDATE = ("update items set labels = ?, relevance = ?, relevant = ?, tagger_version = ?, tagged_hash = ?,"
           " language = ?, evidence = ?, relevance_reason = ?, relevance_reason_en = ? where rowid = ?")


def weights_file() -> Path:
    """Where calibrated weights live: `weights.toml` in the data directory (never in the package)."""
    from tracker.config import get_config

    return get_config().data_dir / "weights.toml"


def nlp_options() -> Any:
    """The tagger's options (the lemma cache's directory) from the `[nlp]` table."""
    from nlp.options import NlpOptions
    from tracker.config import get_config

    cfg = get_config()
    cache_dir = cfg.get("nlp", "cache_dir")
    return NlpOptions(cache_dir=Path(cache_dir).expanduser() if cache_dir else None)


_TAGGERS: dict[tuple[str, Any], Any] = {}


def load_tagger(weights: Path | None = None) -> Any:
    """The tagger with the shipped lexicons, the `[nlp]` options and, when the data directory
    has calibrated weights, those weights (one per weights file, options and process)."""
    from nlp import Tagger

    path = weights or weights_file()
    options = nlp_options()
    # something under its name (a folder, a link to nothing) is read and refused, never passed over
    key = (str(path.absolute()) if os.path.lexists(path) else "", options)
    if key not in _TAGGERS:
        _TAGGERS[key] = Tagger.load(weights_path=path if key[0] else None, options=options)
    return _TAGGERS[key]


def _pending(db: sqlite_utils.Database, version: str, force: bool,
             batch: int = BATCH) -> Iterator[list[dict[str, Any]]]:
    """The items to tag, in batches of at most `batch` rows, in rowid order.

    Each batch is its own query (``rowid > last``, the primary key's range), so the whole table is
    never read into memory and rows updated by an earlier batch are never read again — the
    query holds no cursor open across the updates.
    """
    where = "" if force else (" and (tagged_hash is null or tagged_hash != content_hash"
                              " or tagger_version is null or tagger_version != ?)")
    sql = f"select {_COLUMNS} from items where rowid > ?{where} order by rowid limit ?"
    last = 0
    while True:
        params: list[Any] = [last] + ([] if force else [version]) + [batch]
        rows = [dict(r) for r in db.query(sql, params)]
        if not rows:
            return
        yield rows
        last = rows[-1]["rowid"]


def tag_store(db: sqlite_utils.Database, *, tagger: Any = None, force: bool = False,
              batch: int = BATCH) -> dict[str, int]:
    """Tag every item that is new, changed or tagged by another tagger version (`force`: all).

    Streams: at most `batch` items are held at a time, each batch committed on its own, so
    tagging a million items needs the memory of one batch (and an interrupted run keeps what
    it finished: the next run resumes with the items still pending).
    """
    tagger = tagger or load_tagger()
    version = tagger.version
    counts = {"tagged": 0, "relevant": 0}
    for batch_rows in _pending(db, version, force, batch):
        records = [
            {"id": r["id"], "title": r["title"] or "", "summary": r["summary"] or "",
             "text": r["body"] or "", "language": r["language"], "source": r["source"]}
            for r in batch_rows
        ]  # fmt: skip
        results = list(tagger.tag_many(records))
        marked = marks_of(db, [r["id"] for r in batch_rows])  # an adviser's marks stay (tracker.store.labels)
        updates = []
        for row, res in zip(batch_rows, results, strict=True):
            labels = with_marks(res.labels, marked.get(row["id"], {}))
            evidence: dict[str, dict[str, Any]] = {
                label: {"strength": round(res.strengths.get(label, 0.0), 4), "instrument": "",
                        "evidence": []}
                for label in labels
            }
            for ev in res.evidence:
                if ev.label in evidence:
                    evidence[ev.label]["evidence"].append(
                        {"field": ev.field, "start": ev.start, "end": ev.end, "text": ev.text,
                         "instrument": ev.instrument})
                    if ev.instrument and not evidence[ev.label]["instrument"]:
                        evidence[ev.label]["instrument"] = ev.instrument
            updates.append((json.dumps(labels), round(res.relevance, 4), int(res.relevant), version,
                            row["content_hash"], row["language"] or res.language,
                            json.dumps(evidence, ensure_ascii=False), res.reason, res.reason_en,
                            row["rowid"]))
            counts["tagged"] += 1
            counts["relevant"] += int(res.relevant)
        with db.conn:  # one statement for the batch, by rowid (no per-row lookup)
            db.conn.executemany(_UPDATE, updates)
    return counts
