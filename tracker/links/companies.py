"""Company names (and org.nr./ISIN where given) found in items, so advisers can watch a company.

A company is recognised by its legal-form suffix (ASA, AS, Ltd, Plc, Inc., S.A.,
AG, Corp, Co., N.V., SE, GmbH …): the capitalised words right before the
suffix are its name ("Procter & Gamble Co", "Nestlé S.A.", "Bank of America
Corp"). Words that start a title rather than a name ("Decision on exclusion of",
"Tilrådning om") are not capitalised or are dropped as title words; names of
public bodies that look like companies are in the maintained exception list
``data/companies_exceptions.txt``. An org.nr. (9 digits) or a valid ISIN is
attached to the nearest company named before it in the same text.

Tables (migration set ``ncp_tracker.companies``): ``companies`` (one row per
normalised name) and ``company_mentions`` (company × item, with the evidence).
``update_companies(db)`` re-extracts mentions for the given items (or all);
company rows are never deleted.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlite_utils
from stdnum import isin as stdnum_isin
from stdnum.no import orgnr as stdnum_orgnr

from tracker.store.instants import now_iso
from tracker.store.queries import select_in

#: legal-form suffixes, longest first; case-sensitive ("as" and "co" in running text are not suffixes)
SUFFIXES = (
    "S.p.A.", "S.A.S.", "S.A.B.", "S.A.", "N.V.", "B.V.", "A/S", "ASA", "AS", "AB", "Oyj", "Ltd.", "Ltd",
    "Limited", "PLC", "Plc", "plc", "Inc.", "Inc", "Incorporated", "SA", "AG", "SE", "GmbH", "LLC",
    "Corp.", "Corp", "Corporation", "Co.", "Co", "Company", "NV", "BV", "B.M.",
)  # fmt: skip
_SUFFIX = re.compile(r"(?<![\w.&])(" + "|".join(re.escape(s) for s in SUFFIXES) + r")(?![\w/]|\.\w)")
#: canonical form of each suffix in the normalised name
_SUFFIX_NORMAL = {
    "s.a.": "sa", "sa": "sa", "ltd.": "ltd", "ltd": "ltd", "limited": "ltd", "plc": "plc",
    "inc.": "inc", "inc": "inc", "incorporated": "inc", "corp.": "corp", "corp": "corp",
    "corporation": "corp", "co.": "co", "co": "co", "company": "co", "n.v.": "nv", "nv": "nv",
    "b.v.": "bv", "bv": "bv",
}  # fmt: skip
_CONNECTORS = {"&", "of", "de", "du", "la", "des", "del", "van", "der", "den", "y", "and", "og", "und", "et"}
#: connectors that may join two capitalised words of one name (not "and"/"og": they join two companies)
_NAME_CONNECTORS = {"&", "of", "de", "du", "la", "des", "del", "van", "der", "den", "y", "und", "et"}
#: capitalised words that open a title or sentence, not a name; dropped from the front of a candidate
_TITLE_WORDS = {
    "decision", "decisions", "exclusion", "exclusions", "observation", "revocation", "recommendation",
    "recommends", "excludes", "exclude", "divests", "divestment", "follow-up", "ownership", "the", "a", "an", "on", "in", "for", "by", "from", "to", "about", "under",
    "tilrådning", "tilrådninger", "anbefaling", "utelukkelse", "observasjon", "opphevelse", "vedtak",
    "beslutning", "om", "av", "mot", "til", "fra", "etter", "og", "i", "selskaper", "selskapet", "selskap",
    "company", "companies", "board", "executive", "council", "ethics", "etikkrådet", "etikkrådets",
    "høring", "høringssvar", "lager", "overtredelsesgebyr", "forbrukertilsynet", "vurdering",
}  # fmt: skip
# "lager" above is a Norwegian noun; "Lager 157 AS" survives because "157" follows it (see _strip_front)
_ORGNR = re.compile(r"(?:org(?:anisasjons)?\.?\s*(?:nr|nummer)\.?|organisasjonsnummer)\s*:?\s*(\d{3}\s?\d{3}\s?\d{3})\b", re.I)
_ISIN = re.compile(r"\b([A-Z]{2}[A-Z0-9]{9}\d)\b")
#: identifier kind → its python-stdnum validator (ISO 6166 check digit; Brønnøysund mod-11)
VALIDATORS = {"orgnr": stdnum_orgnr, "isin": stdnum_isin}
_TOKEN = re.compile(r"\S+")


@dataclass
class Mention:
    name: str
    normalised: str
    field: str
    evidence: str
    identifiers: dict[str, list[str]] = field(default_factory=dict)
    start: int = 0
    end: int = 0


# --------------------------------------------------------------------------- schema


# --------------------------------------------------------------------------- extraction


class ExceptionsFileError(ValueError):
    """The list of names that are never companies (companies_exceptions.txt) is there but cannot
    be read: the message names the file."""


def load_exceptions(path: Path | None = None) -> set[str]:
    """Normalised names that are never companies (one per line; ``#`` starts a comment); none when
    there is no list. A list that is there but cannot be read (a folder, a link to nothing, a file
    it may not read, not UTF-8) is an ExceptionsFileError, never an empty list."""
    from tracker.resources import locate, nothing_there, unreadable

    if path is None:
        path = locate("companies_exceptions.txt")
    try:  # a byte-order mark some editors write is dropped, as the configuration's is
        text = path.read_text("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        raise ExceptionsFileError(f"{path}: not UTF-8 text: {exc}") from exc
    except OSError as exc:
        if nothing_there(path, exc):
            return set()
        raise ExceptionsFileError(unreadable(path, exc)) from exc
    names = set()
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            names.add(fold(line))
    return names


def fold(text: str) -> str:
    """Lower case, no diacritics, no punctuation except &, single spaces (ø/æ/å kept as o/ae/a)."""
    text = text.replace("ø", "o").replace("Ø", "O").replace("æ", "ae").replace("Æ", "AE")
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = re.sub(r"[^\w&/ ]+", " ", text.replace(".", ""))
    return " ".join(text.split())


def normalise(name: str) -> str:
    """The key two spellings of one company share ("Nestlé S.A." = "Nestle SA", "Inc." = "Inc")."""
    words = name.split()
    if words and (canon := _SUFFIX_NORMAL.get(words[-1].lower())):
        words[-1] = canon
    return fold(" ".join(words))


def _is_name_word(token: str) -> bool:
    word = token.strip("«»\"'“”()[]")
    return bool(word) and (word[0].isupper() or word[0].isdigit()) and not word.endswith((",", ";", ":"))


def _strip_front(tokens: list[str]) -> list[str]:
    """Drop title words from the front, but keep a word followed by a number ("Lager 157")."""
    while tokens:
        head = tokens[0].strip("«»\"'“”()[]").lower()
        nxt = tokens[1] if len(tokens) > 1 else ""
        if head in _TITLE_WORDS and not nxt[:1].isdigit() or head in _CONNECTORS:
            tokens = tokens[1:]
            continue
        break
    return tokens


def extract(text: str, field_name: str = "text", exceptions: set[str] | None = None) -> list[Mention]:
    """Company mentions in one text, in order, each with its evidence and identifiers."""
    if not text:
        return []
    exceptions = load_exceptions() if exceptions is None else exceptions
    found: list[Mention] = []
    last_end = 0
    for m in _SUFFIX.finditer(text):
        start = m.start()
        # tokens before the suffix, up to the previous company or sentence break
        before = text[last_end:start]
        tokens = [t.group(0) for t in _TOKEN.finditer(before)]
        name_tokens: list[str] = []
        for i in range(len(tokens) - 1, -1, -1):
            tok = tokens[i]
            if tok in SUFFIXES or tok.rstrip(",;") in SUFFIXES or len(name_tokens) >= 7:
                break
            if _is_name_word(tok):
                name_tokens.insert(0, tok)
                continue
            if tok in _NAME_CONNECTORS and name_tokens and i > 0 and _is_name_word(tokens[i - 1]):
                name_tokens.insert(0, tok)
                continue
            break
        name_tokens = _strip_front(_strip_exception_prefix(name_tokens, exceptions))
        if not name_tokens or all(t.lower() in _TITLE_WORDS for t in name_tokens):
            continue
        name = " ".join([*(t.strip("«»\"'“”()[]") for t in name_tokens), m.group(1)])
        norm = normalise(name)
        if norm in exceptions or fold(" ".join(name_tokens)) in exceptions:
            continue
        name_start = text.rfind(name_tokens[0].strip("«»\"'“”()[]"), last_end, start)
        evidence = " ".join(text[max(0, name_start - 60): m.end() + 60].split())
        found.append(Mention(name, norm, field_name, evidence, {}, name_start, m.end()))
        last_end = m.end()
    _attach_identifiers(text, found)
    return found


def _strip_exception_prefix(tokens: list[str], exceptions: set[str]) -> list[str]:
    """"Norges Bank Caterpillar Inc." → "Caterpillar Inc.": a public body's name is not part of a company's."""
    folded = [fold(t) for t in tokens]
    for cut in range(len(tokens), 0, -1):
        if " ".join(f for f in folded[:cut] if f) in exceptions:
            return tokens[cut:]
    return tokens


def _attach_identifiers(text: str, mentions: list[Mention]) -> None:
    if not mentions:
        return
    for kind, pattern in (("orgnr", _ORGNR), ("isin", _ISIN)):
        for m in pattern.finditer(text):
            value = re.sub(r"\s", "", m.group(1))
            if not VALIDATORS[kind].is_valid(value):  # check digits (python-stdnum)
                continue
            owner = [c for c in mentions if c.end <= m.start() and m.start() - c.end < 120]
            if owner:
                ids = owner[-1].identifiers.setdefault(kind, [])
                if value not in ids:
                    ids.append(value)


def extract_item(item: dict[str, Any], exceptions: set[str] | None = None) -> list[Mention]:
    """Mentions in an item's title, summary and body; one per company (the first, with all identifiers)."""
    exceptions = load_exceptions() if exceptions is None else exceptions
    by_name: dict[str, Mention] = {}
    for field_name in ("title", "summary", "body"):
        for mention in extract(item.get(field_name) or "", field_name, exceptions):
            if mention.normalised in by_name:
                for kind, values in mention.identifiers.items():
                    have = by_name[mention.normalised].identifiers.setdefault(kind, [])
                    have.extend(v for v in values if v not in have)
            else:
                by_name[mention.normalised] = mention
    return list(by_name.values())


# --------------------------------------------------------------------------- store


def update_companies(db: sqlite_utils.Database, item_ids: Iterable[str] | None = None) -> dict[str, int]:
    """Re-extract company mentions for these items (default: all); returns counts."""
    exceptions = load_exceptions()
    if item_ids is None:
        rows = db.query("select id, title, summary, body from items")
    else:
        rows = select_in(db, "select id, title, summary, body from items where id in ({marks})", list(item_ids))
    now = now_iso()
    counts = {"items": 0, "mentions": 0, "companies_new": 0}
    with db.conn:
        for row in list(rows):
            counts["items"] += 1
            db.execute("delete from company_mentions where item_id = ?", [row["id"]])
            for mention in extract_item(row, exceptions):
                company_id, new = _company(db, mention, now)
                counts["companies_new"] += new
                db["company_mentions"].upsert(
                    {"company_id": company_id, "item_id": row["id"], "evidence": mention.evidence,
                     "field": mention.field},
                    pk=("company_id", "item_id"),
                )
                counts["mentions"] += 1
    return counts


def _company(db: sqlite_utils.Database, mention: Mention, now: str) -> tuple[int, int]:
    existing = list(db.query("select id, identifiers from companies where normalised_name = ?", [mention.normalised]))
    if existing:
        row = existing[0]
        if mention.identifiers:
            ids = json.loads(row["identifiers"] or "{}")
            changed = False
            for kind, values in mention.identifiers.items():
                have = ids.setdefault(kind, [])
                for v in values:
                    if v not in have:
                        have.append(v)
                        changed = True
            if changed:
                db["companies"].update(row["id"], {"identifiers": json.dumps(ids, sort_keys=True)})
        return row["id"], 0
    table = db["companies"]
    table.insert({"name": mention.name, "normalised_name": mention.normalised,
                  "identifiers": json.dumps(mention.identifiers, sort_keys=True), "first_seen": now})
    return table.last_pk, 1


def close_names(db: sqlite_utils.Database, name: str, limit: int = 5) -> list[str]:
    """The names of companies the store knows that are spelt close to `name` (difflib), closest
    first: for a name no company matches («caterpilar»), what the reader may have meant. The typed
    name is compared with each company's whole name, its words and its first as many words."""
    from difflib import SequenceMatcher

    wanted = fold(name)
    if not wanted:
        return []
    width = len(wanted.split())
    scored = []
    for company, key in db.execute("select c.name, c.normalised_name from companies c where exists "
                                   "(select 1 from company_mentions m where m.company_id = c.id)"):
        words = (key or "").split()
        parts = {key or "", " ".join(words[:width]), *words}
        score = max(SequenceMatcher(None, wanted, part).ratio() for part in parts)
        if score >= 0.75:
            scored.append((-score, company))
    return list(dict.fromkeys(company for _, company in sorted(scored)))[:limit]


def list_companies(db: sqlite_utils.Database, name: str | None = None) -> list[dict[str, Any]]:
    """Companies (optionally those whose name contains `name`) with the items that name them, newest first."""
    where, params = "", []
    if name:
        where = "where c.normalised_name like ?"
        params.append(f"%{fold(name)}%")
    companies = list(db.query(
        f"""select c.id, c.name, c.normalised_name, c.identifiers, count(m.item_id) as n_items
            from companies c join company_mentions m on m.company_id = c.id {where}
            group by c.id order by n_items desc, c.name""", params))  # fmt: skip
    for company in companies:
        company["identifiers"] = json.loads(company["identifiers"] or "{}")
        company["items"] = list(db.query(
            """select i.id, i.source, i.kind, i.title, i.url, i.published, i.status, i.language, m.evidence
               from company_mentions m join items i on i.id = m.item_id
               where m.company_id = ? order by coalesce(i.published, i.first_seen) desc, i.id""",
            [company["id"]]))  # fmt: skip
    return companies
