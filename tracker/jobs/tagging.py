"""Tagging stored items with the `nlp` tagger: new and changed items, and everything again
after a lexicon or weights change (the tagger's version is stored with each item).

Tags never alter the item's text: labels, relevance and evidence are stored beside it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import sqlite_utils

BATCH = 200


def _pending(db: sqlite_utils.Database, version: str, force: bool) -> Iterator[dict[str, Any]]:
    sql = "select id, source, title, summary, body, language, content_hash from items"
    if not force:
        sql += " where tagged_hash is null or tagged_hash != content_hash or tagger_version is null or tagger_version != ?"
        yield from db.query(sql, [version])
    else:
        yield from db.query(sql)


def weights_file() -> Path:
    """Where calibrated weights live: `weights.toml` in the data directory (never in the package)."""
    from tracker.config import get_config

    return get_config().data_dir / "weights.toml"


_TAGGERS: dict[str, Any] = {}


def load_tagger(weights: Path | None = None) -> Any:
    """The tagger with the shipped lexicons and, when the data directory has calibrated weights,
    those weights (one per weights file and process)."""
    from nlp import Tagger

    path = weights or weights_file()
    key = str(path.resolve()) if path.exists() else ""
    if key not in _TAGGERS:
        _TAGGERS[key] = Tagger.load(weights_path=path if key else None)
    return _TAGGERS[key]


def tag_store(db: sqlite_utils.Database, *, tagger: Any = None, force: bool = False) -> dict[str, int]:
    """Tag every item that is new, changed or tagged by another tagger version."""
    tagger = tagger or load_tagger()
    version = tagger.version
    rows = list(_pending(db, version, force))
    counts = {"tagged": 0, "relevant": 0}
    for start in range(0, len(rows), BATCH):
        batch = rows[start : start + BATCH]
        records = [
            {"id": r["id"], "title": r["title"] or "", "summary": r["summary"] or "",
             "text": r["body"] or "", "language": r["language"], "source": r["source"]}
            for r in batch
        ]  # fmt: skip
        results = list(tagger.tag_many(records))
        with db.conn:
            for row, res in zip(batch, results, strict=True):
                evidence: dict[str, dict[str, Any]] = {
                    label: {"strength": round(res.strengths.get(label, 0.0), 4), "instrument": "",
                            "evidence": []}
                    for label in res.labels
                }
                for ev in res.evidence:
                    if ev.label in evidence:
                        evidence[ev.label]["evidence"].append(
                            {"field": ev.field, "start": ev.start, "end": ev.end, "text": ev.text,
                             "instrument": ev.instrument})
                        if ev.instrument and not evidence[ev.label]["instrument"]:
                            evidence[ev.label]["instrument"] = ev.instrument
                db["items"].update(row["id"], {
                    "labels": json.dumps(res.labels), "relevance": round(res.relevance, 4),
                    "relevant": int(res.relevant), "tagger_version": version,
                    "tagged_hash": row["content_hash"],
                    "language": row["language"] or res.language,
                    "evidence": json.dumps(evidence, ensure_ascii=False),
                    "relevance_reason": res.reason,
                })  # fmt: skip
                counts["tagged"] += 1
                counts["relevant"] += int(res.relevant)
    return counts
