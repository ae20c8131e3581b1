"""Full-text search over items (SQLite FTS5, bm25-ranked), æøå-correct, forgiving of ASCII spellings.

The index keeps diacritics (``unicode61 remove_diacritics 0``: *får* is not *far*), so an
ASCII query is expanded: every query word becomes an OR of its spellings —

* digraphs and bare letters: ``hoering``/``horing`` → ``høring``, ``aapenhet`` → ``åpenhet``,
  ``naering`` → ``næring`` (bounded number of combinations), and
* every word actually in the index whose *skeleton* equals the query word's skeleton
  (``skeleton("høring") == skeleton("hoering") == skeleton("horing") == "horing"``), read
  from an ``fts5vocab`` view of the index.

Each alternative is a quoted FTS5 prefix string (``"høring"*``), so Norwegian compounds are
found (``høring`` finds ``høringsnotat``). User input never reaches FTS5 syntax: only word
characters are kept, so ``"``, ``*``, ``NEAR(``, ``AND``/``OR`` are plain words, never operators.
"""

from __future__ import annotations

import itertools
import json
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

import sqlite_utils

_WORD = re.compile(r"\w+", re.UNICODE)
#: at most this many alternatives per query word
MAX_VARIANTS = 24
#: at most this many query words
MAX_TERMS = 12
#: snippet markers (private-use characters, replaced by the caller: CLI brackets, HTML <mark>)
HL_START, HL_END = "\ue000", "\ue001"


class SearchError(ValueError):
    """A search that cannot be run (nothing to search for, bad filter)."""


@dataclass
class Filters:
    """Filters shared by search and export; dates are ISO days (inclusive)."""

    label: str | None = None
    source: str | None = None
    status: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    owner: str | None = None  # triage owner
    state: str | None = None  # triage state
    extra: dict[str, Any] = field(default_factory=dict)

    def clause(self, alias: str = "i") -> tuple[str, list[Any]]:
        where, params = [], []
        if self.source:
            where.append(f"{alias}.source = ?")
            params.append(self.source)
        if self.status:
            where.append(f"{alias}.status = ?")
            params.append(self.status)
        if self.label:
            where.append(f"exists (select 1 from json_each(case when json_valid({alias}.labels) "
                         f"then {alias}.labels else '[]' end) j where j.value = ?)")  # fmt: skip
            params.append(self.label)
        day = f"substr(coalesce({alias}.published, {alias}.first_seen, {alias}.deadline), 1, 10)"
        if self.date_from:
            where.append(f"{day} >= ?")
            params.append(_day(self.date_from, "--from"))
        if self.date_to:
            where.append(f"{day} <= ?")
            params.append(_day(self.date_to, "--to"))
        if self.owner:
            where.append("t.owner = ?")
            params.append(self.owner)
        if self.state:
            if self.state == "new":
                where.append("(t.state is null or t.state = 'new')")
            else:
                where.append("t.state = ?")
                params.append(self.state)
        return (" and ".join(where) or "1"), params


def _day(value: str, name: str) -> str:
    from datetime import date

    try:
        return date.fromisoformat(value.strip()[:10]).isoformat()
    except ValueError as exc:
        raise SearchError(f"{name} must be a date YYYY-MM-DD, not {value!r}") from exc


def words(text: str) -> list[str]:
    """The words of a user's query (lower-case, NFC); everything else is dropped."""
    text = unicodedata.normalize("NFC", text or "").lower()
    return [w for w in _WORD.findall(text) if w.replace("_", "")]


def skeleton(word: str) -> str:
    """ASCII skeleton shared by a word and its ASCII spellings: høring, hoering, horing → horing."""
    s = unicodedata.normalize("NFC", word.lower())
    s = s.replace("å", "a").replace("æ", "ae").replace("ø", "o")
    s = s.replace("aa", "a").replace("oe", "o").replace("ae", "e")
    return s


_DIGRAPHS = (("aa", "å"), ("ae", "æ"), ("oe", "ø"))
_LETTERS = (("o", "ø"), ("a", "å"))
#: bare-letter spellings (horing → høring) and index look-ups only for words this long
MIN_FUZZY_LEN = 5


def spellings(word: str) -> list[str]:
    """Norwegian spellings of an ASCII-typed word (the word itself first), bounded."""
    out = [word]
    if not word.isascii():
        return out
    # digraphs: replace each occurrence or not
    spots = [(m.start(), a, b) for a, b in _DIGRAPHS for m in re.finditer(a, word)]
    spots.sort()
    # overlapping digraphs (e.g. "aae") are resolved by taking them left to right
    clean, last_end = [], -1
    for pos, a, b in spots:
        if pos >= last_end:
            clean.append((pos, a, b))
            last_end = pos + len(a)
    for choice in itertools.islice(itertools.product((False, True), repeat=min(len(clean), 4)), 16):
        chars, prev = [], 0
        for (pos, a, b), use in zip(clean, choice, strict=False):
            chars.append(word[prev:pos])
            chars.append(b if use else a)
            prev = pos + len(a)
        chars.append(word[prev:])
        candidate = "".join(chars)
        if candidate not in out:
            out.append(candidate)
    # bare letters typed for æ/ø/å: horing → høring, apenhet → åpenhet (few positions only)
    positions = [(i, b) for i, ch in enumerate(word) for a, b in _LETTERS if ch == a]
    if len(clean) == 0 and len(word) >= MIN_FUZZY_LEN and 0 < len(positions) <= 4:
        for choice in itertools.product((False, True), repeat=len(positions)):
            if not any(choice):
                continue
            chars = list(word)
            for (i, b), use in zip(positions, choice, strict=True):
                if use:
                    chars[i] = b
            candidate = "".join(chars)
            if candidate not in out:
                out.append(candidate)
    return out[:MAX_VARIANTS]


def _vocab_matches(db: sqlite_utils.Database, word: str, limit: int = 12) -> list[str]:
    """Indexed words whose skeleton equals the word's (reads an fts5vocab view of the index)."""
    conn = db.conn
    try:
        conn.execute("create virtual table if not exists temp.items_fts_vocab "
                     "using fts5vocab(main, 'items_fts', 'row')")  # fmt: skip
        conn.create_function("ncp_skeleton", 1, skeleton, deterministic=True)
    except Exception:  # noqa: BLE001 - an index without fts5vocab: expansion by rules only
        return []
    target = skeleton(word)
    first = {target[:1], *{c for c, s in (("å", "a"), ("æ", "a"), ("ø", "o")) if s == target[:1]}}
    placeholders = ",".join("?" for _ in first)
    rows = conn.execute(
        f"select term from temp.items_fts_vocab where substr(term, 1, 1) in ({placeholders}) "
        f"and ncp_skeleton(term) = ? order by doc desc limit ?",
        [*sorted(first), target, limit],
    ).fetchall()
    return [r[0] for r in rows]


def _quote(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def fts_query(db: sqlite_utils.Database | None, query: str) -> str:
    """The FTS5 MATCH expression for a user's query (every word must match, in any spelling)."""
    terms = words(query)[:MAX_TERMS]
    if not terms:
        raise SearchError("nothing to search for: the query has no words")
    groups = []
    for term in terms:
        alternatives = spellings(term)
        if db is not None and term.isascii() and len(term) >= MIN_FUZZY_LEN:
            alternatives += [t for t in _vocab_matches(db, term) if t not in alternatives]
        alternatives = alternatives[:MAX_VARIANTS]
        parts = [_quote(a) + ("*" if len(a) >= 3 else "") for a in alternatives]
        groups.append("(" + " OR ".join(parts) + ")")
    return " AND ".join(groups)


SELECT = """
select i.id, i.source, i.kind, i.title, i.url, i.owner, i.reference, i.published, i.deadline,
       i.status, i.labels, i.relevance, i.relevant, i.first_seen, i.language,
       t.state as triage_state, t.owner as triage_owner, t.internal_deadline,
       t.updated_at as triage_updated_at
"""


def _decode(row: dict[str, Any]) -> dict[str, Any]:
    labels = row.get("labels")
    if isinstance(labels, str):
        try:
            row["labels"] = json.loads(labels)
        except ValueError:
            row["labels"] = [labels]
    row["labels"] = list(row.get("labels") or [])
    row["triage_state"] = row.get("triage_state") or "new"
    return row


def search(db: sqlite_utils.Database, query: str, filters: Filters | None = None,
           limit: int = 100) -> list[dict[str, Any]]:
    """Items matching `query` (all words, any spelling), best first (bm25; title weighs most)."""
    filters = filters or Filters()
    match = fts_query(db, query)
    where, params = filters.clause()
    sql = (SELECT + f""",
       bm25(items_fts, 10.0, 3.0, 1.0) as rank,
       snippet(items_fts, -1, '{HL_START}', '{HL_END}', '…', 16) as snippet
from items_fts join items i on i.rowid = items_fts.rowid
left join triage t on t.item_id = i.id
where items_fts match ? and {where}
order by rank, i.id limit ?""")  # fmt: skip
    return [_decode(r) for r in db.query(sql, [match, *params, limit])]


def filtered(db: sqlite_utils.Database, filters: Filters | None = None,
             limit: int | None = None) -> list[dict[str, Any]]:
    """Items matching the filters only, by id (stable order, for export)."""
    filters = filters or Filters()
    where, params = filters.clause()
    sql = SELECT + f"from items i left join triage t on t.item_id = i.id where {where} order by i.id"
    if limit:
        sql += f" limit {int(limit)}"
    return [_decode(r) for r in db.query(sql, params)]


def plain_snippet(snippet: str | None) -> str:
    """A snippet for the terminal: matches in [brackets]."""
    return (snippet or "").replace(HL_START, "[").replace(HL_END, "]").replace("\n", " ")
