"""The national action plan on business and human rights, and policy coherence for responsible business.

Items are recognised by their own words (title, summary, body) — no tagger label exists for these:

- ``action_plan``: the national action plan / strategy on business and human rights
  ("handlingsplan for næringsliv og menneskerettigheter", "strategi for næringsliv og
  menneskerettigheter", "national action plan on business and human rights"), from any
  regjeringen.no page (id ``regjeringen:…``) or regjeringen.no spider;
- ``policy_coherence``: policy coherence for responsible business conduct — "samstemt politikk",
  "politikksamstemthet", "policy coherence", the OECD Recommendation on the Role of Government in
  Promoting Responsible Business Conduct (OECD/LEGAL/0486) — from any source.

``grouped_items(db)`` gives both groups, newest first; an item can be in both.
"""

from __future__ import annotations

import re
from typing import Any

import sqlite_utils

from tracker.links import might_match
from tracker.store.textindex import phrase_match, word_match

THEMES: dict[str, dict[str, Any]] = {
    "action_plan": {
        "title": {"nb": "Handlingsplan for næringsliv og menneskerettigheter",
                  "en": "National action plan on business and human rights"},
        "pattern": re.compile(
            r"(?:handlingsplan\w*|strategi\w*)\s+(?:\w+\s+){0,3}?(?:for\s+)?(?:ansvarlig\s+)?næringsliv\w*\s+og\s+"
            r"menneskerettigheter|(?:national\s+)?action\s+plan\s+on\s+business\s+and\s+human\s+rights", re.I),
        # one of these words (case-folded) is in every text the pattern matches: a cheap test first
        "words": ("handlingsplan", "strategi", "action"),
        "regjeringen_only": True,
    },
    "policy_coherence": {
        "title": {"nb": "Samstemt politikk for ansvarlig næringsliv", "en": "Policy coherence for responsible business"},
        "pattern": re.compile(
            r"samstemt\s+politikk|politikksamstemthet|policy\s+coherence|"
            r"role\s+of\s+government\s+in\s+promoting\s+responsible\s+business|OECD/LEGAL/0486", re.I),
        "words": ("samstemt", "coherence", "government", "0486"),
        "regjeringen_only": False,
    },
}  # fmt: skip


def _is_regjeringen(item: dict[str, Any]) -> bool:
    return item["id"].startswith("regjeringen:") or "regjeringen" in item["source"] or \
        "regjeringen.no" in (item.get("url") or "")


def themes_of(item: dict[str, Any]) -> list[str]:
    """The themes (``action_plan``, ``policy_coherence``) one item is about."""
    text = " ".join(item.get(k) or "" for k in ("title", "summary", "body"))
    folded = text.casefold()  # the words before the case-insensitive patterns (most of the command's time)
    return [name for name, theme in THEMES.items()
            if might_match(text, folded, theme["words"]) and theme["pattern"].search(text)
            and (not theme["regjeringen_only"] or _is_regjeringen(item))]


#: the words each theme's pattern needs (a word, words in a row, or a prefix ending in *): the items
#: the text index finds for any of them hold every item the patterns can match; the patterns then
#: decide. A LIKE over every item's text was 5 s of the command's 11 s at a million items.
CANDIDATES = ("menneskerettigheter", "human rights", "samstemt politikk", "politikksamstemt*", "policy coherence",
              "role of government", "LEGAL 0486")


def candidates_match() -> str:
    """`CANDIDATES` as one FTS5 expression over `items_norm` (Norwegian and English keys)."""
    parts = []
    for text in CANDIDATES:
        words = text.rstrip("*").split()
        if text.endswith("*"):
            parts.append(word_match(words[0], prefix=True))
        else:
            parts.append(word_match(words[0]) if len(words) == 1 else phrase_match(words))
    return " OR ".join(f"({part})" for part in parts)


def grouped_items(db: sqlite_utils.Database) -> dict[str, list[dict[str, Any]]]:
    """theme → its items (id, source, kind, title, url, status, deadline, published), newest first."""
    out: dict[str, list[dict[str, Any]]] = {name: [] for name in THEMES}
    rows = db.query(
        """select id, source, kind, title, summary, body, url, status, deadline, published, first_seen from items
            where vanished_at is null and rowid in (select rowid from items_norm where items_norm match ?)
            order by coalesce(published, first_seen) desc, id""", [candidates_match()])  # fmt: skip
    for row in rows:
        for name in themes_of(row):
            out[name].append({k: row[k] for k in ("id", "source", "kind", "title", "url", "status", "deadline",
                                                  "published")})
    return out
