"""Full-text search over items that means what it says.

Query language (what the CLI's and the workbench's search box accept)::

    klima miljø              both words (AND is the default; AND may be written)
    klima OR miljø           either word
    miljø -klima             miljø without klima (also: miljø NOT klima)
    "due diligence"          the words next to each other, in this order
    høring*                  any word starting with høring (høringsnotat, høringsfrist; also
                             åpenhets*: åpenhetsloven, though its stem is apen)
    NEAR(klima risiko, 5)    both words at most 5 words apart (default 10)
    (klima OR miljø) -olje   parentheses group
    title:åpenhetsloven      only in the title (title:, summary:, body:/text:; tittel:, tekst:)
    source:no_regjeringen_horinger  label:"OECD kapittel IV"  status:open  kind:hearing
    state:assigned           filters on the item (top level only; -source:… excludes); a status,
                             kind, source or follow-up state (state:, oppfølging:) also by the name
                             the output shows, in Bokmål or English: status:åpen kind:høring
                             oppfølging:tildelt kilde:Etikkrådet kind:"EU consultation"
    kildestatus:Avbrutt      the source's own status word (source_status:; case and æøå
                             folded): the items a health note's "unrecognised status word" means

Words match by their Snowball stem (Norwegian for Norwegian items, English for English
items) and ASCII folding, so *menneskerettighet* finds *menneskerettigheter*, *hoering* and
*horing* find *høring*. The stems are indexed (`items_norm`, tracker/store/textindex.py): a
query never scans the index vocabulary. Operators are upper-case (OR, AND, NOT, NEAR);
lower-case *or*/*and*/*not* are words. A query the grammar does not accept raises SearchError
with the reason — it never quietly returns nothing.

Ranking is bm25 (title 10, summary 3, body 1) over the newest `RANK_POOL` matching items, widened
when the filters leave fewer than asked for: scoring every match of a word found in half the
store is what made search slow. An open or upcoming item ranks as if `OPEN_BOOST` times as
relevant: an adviser searching "åpenhetsloven" looks first for the hearing that can still be
answered, then for the news about the act.
A query of filters and excluded words only lists the newest items that pass.
"""

from __future__ import annotations

import json
import operator
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from itertools import islice, repeat
from typing import Any

import sqlite_utils

from tracker.i18n import TEXT_LANGS
from tracker.store.queries import HISTORY_EVENT_SQL
from tracker.store.status import OPEN, STATUSES, UPCOMING
from tracker.store.textindex import (
    WORD,
    fold,
    fold_phrase,
    key,
    phrase_match,
    quoted,
    stem_language,
    word_keys,
    word_match,
)

#: snippet markers (private-use characters, replaced by the caller: CLI brackets, HTML <mark>)
HL_START, HL_END = "\ue000", "\ue001"
#: at most this many words in one query
MAX_TERMS = 32
NEAR_DEFAULT = 10
#: ranking (bm25) is over the newest this-many matches (see `_pool_bound`)
RANK_POOL = 2000

#: text fields → FTS column(s)
TEXT_FIELDS = {"title": "title", "tittel": "title", "summary": "summary", "sammendrag": "summary",
               "body": "body", "text": "body", "tekst": "body"}  # fmt: skip
#: item fields → column (filters, not text)
ITEM_FIELDS = {"source": "source", "kilde": "source", "label": "label", "etikett": "label",
               "status": "status", "kind": "kind", "type": "kind", "language": "language",
               "lang": "language", "språk": "language", "source_status": "status_raw",
               "kildestatus": "status_raw", "state": "state", "oppfølging": "state",
               "oppfolging": "state"}  # fmt: skip
#: the most words (and brackets) a filter's value written without quotes may run on into
#: (`_Parser._named_value`)
_MAX_NAME_WORDS = 10
#: open and upcoming items rank as if this many times as relevant (bm25 × OPEN_BOOST)
OPEN_BOOST = 1.25


class SearchError(ValueError):
    """A search that cannot be run (nothing to search for, bad syntax, bad filter)."""


class SearchIndexMissing(SearchError):
    """The database has no search index yet: the state of the house, not the search typed."""


# ---------------------------------------------------------------------------- filters


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
    new_since: str | None = None  # first seen after this instant (ISO; the digest's "new" links)
    changed_since: str | None = None  # changed after this instant, first seen before it
    not_relevant_to: str | None = None  # a profile's name: in its scope, not relevant to it (the digest's notes)
    relevant_to: str | None = None  # a profile's name: in its scope, relevant to it (the digest's "+N more")
    followed_by: str | None = None  # a profile's name: relevant to it or followed by an adviser («Endret»'s "+N more")
    not_followed_by: str | None = None  # in its scope, neither (the note under «Endret»)
    #: open consultations as the digest's «Coming deadlines» counts them, on the clock `as_of`
    #: (now without it): tracker.attention.urgency.open_consultation
    open_consultations: bool = False
    as_of: datetime | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.owner:  # as triage stores an adviser: composed (NFC)
            self.owner = unicodedata.normalize("NFC", self.owner)

    def clause(self, alias: str = "i") -> tuple[str, list[Any]]:
        where, params = [], []
        if self.source:
            source = _checked(self.source, "source")
            where.append(f"{alias}.source = ?")
            params.append(source)
        if self.status:
            status = _checked(self.status, "status")
            where.append(f"{alias}.status = ?")
            params.append(status)
        if self.label:
            where.append(_label_sql(alias))
            params += _label_params(normalise_label(self.label))
        # published and deadline are the publisher's civil dates; first_seen is a UTC instant (its Oslo day)
        day = (f"coalesce(substr({alias}.published, 1, 10), ncp_oslo_day({alias}.first_seen), "
               f"substr({alias}.deadline, 1, 10))")
        if self.date_from:
            where.append(f"{day} >= ?")
            params.append(_day(self.date_from, "--from"))
        if self.date_to:
            where.append(f"{day} <= ?")
            params.append(_day(self.date_to, "--to"))
        if self.date_from and self.date_to and params[-2] > params[-1]:  # no day is in it: "no hits" read as an answer
            raise SearchError(f"--from {params[-2]} is after --to {params[-1]}: no day lies between them")
        # first_seen and last_changed are stored instants (UTC, one form: compared as text)
        if self.new_since:
            where.append(f"{alias}.first_seen > ?")
            params.append(_instant(self.new_since, "new_since", self.as_of))
        if self.changed_since:
            where.append(f"{alias}.last_changed > ? and {alias}.first_seen <= ?")
            params += [_instant(self.changed_since, "changed_since", self.as_of)] * 2
        # what a digest lists ("+12 more in the workbench") and what its notes count ("3 other new
        # items are not relevant to this profile"): the profile's own rule (tracker.attention.profiles)
        for name, rule in ((self.relevant_to, "relevant_sql"), (self.not_relevant_to, "not_relevant_sql"),
                           (self.followed_by, "follows_sql"), (self.not_followed_by, "not_follows_sql")):
            if name:
                from tracker.attention.profiles import ProfileError, load_profile

                try:
                    profile = load_profile(name)
                except ProfileError as exc:
                    raise SearchError(str(exc)) from exc
                clause, more = getattr(profile, rule)(alias, "t")
                where.append(clause)
                params += more
        if self.open_consultations:
            from crawlers.dates import OSLO
            from tracker.attention.urgency import open_consultation_sql

            clause, more = open_consultation_sql(alias, self.as_of or datetime.now(OSLO))
            where.append(clause)
            params += more
        if self.owner:  # owner names match case-insensitively ("kari" finds "Kari"), as in the inbox
            where.append("lower(trim(t.owner)) = lower(trim(?))")
            params.append(self.owner)
        if self.state:
            state = _checked(self.state, "state")
            if state == "new":
                where.append("(t.state is null or t.state = 'new')")
            else:
                where.append("t.state = ?")
                params.append(state)
        # as in the digest whose links the since-filters are, what a backfill found or changed is
        # history, not news (tracker.store.queries.HISTORY_EVENT_SQL): an item a backfill brought
        # in, or one whose changes since are all history, is left out — tested last, on the rows
        # every other condition kept
        if self.new_since:
            where.append(f"not exists (select 1 from events e where e.item_id = {alias}.id and e.kind = 'new' "
                         f"and {HISTORY_EVENT_SQL})")
        if self.changed_since:  # the window's events once (by their `at` index), not each item's
            where.append(f"({alias}.id in (select e.item_id from events e where e.at > ? and not {HISTORY_EVENT_SQL})"
                         f" or not exists (select 1 from events e where e.item_id = {alias}.id and e.at > ?))")
            params += [_instant(self.changed_since, "changed_since", self.as_of)] * 2
        return (" and ".join(where) or "1"), params


#: the languages items are stored in (a `language:` filter's values)
LANGUAGES = TEXT_LANGS


def _valid(column: str) -> tuple[str, ...]:
    """The values a `source`, `status`, `kind` or `state` filter can have (imported when asked)."""
    if column == "status":
        return tuple(STATUSES)
    if column == "source":
        from tracker.attention.profiles import known_sources

        return tuple(known_sources())
    if column == "kind":
        from crawlers.fields import KINDS

        return tuple(KINDS)
    from tracker.workbench.triage import STATES

    return tuple(STATES)


def code(value: str, column: str) -> str:
    """A `source`, `status`, `kind` or `state` filter's value as typed → its code: the code itself,
    or the name the output shows for it, in Bokmål or English (`tracker.vocabulary.code_of`:
    «åpen», «Høring», «tildelt», «Etikkradet»); `value` itself when it is neither."""
    from tracker.vocabulary import FILTER_NAMES, code_of

    names = FILTER_NAMES.get(column)
    return code_of(value, names) if names else value


def _checked(value: str, column: str) -> str:
    """The code a `source`, `status`, `kind` or `state` filter's value names (`code`); a value that
    names none of them is refused with the valid ones (`_one_of`)."""
    value = code(value, column)
    _one_of(column, value, _valid(column))
    return value


def _one_of(name: str, value: str, valid: tuple[str, ...]) -> None:
    """A filter value that no item can have is refused with the valid ones: it would match
    nothing, and "no hits" would look like an answer."""
    if value not in valid:
        raise SearchError(f"{name}:{value} — {name} is one of {', '.join(valid)}")


def check_owner(db: sqlite_utils.Database, owner: str | None) -> None:
    """An owner filter (`Filters.owner`, the inbox's adviser) naming an adviser no item has ever
    had is refused, naming the advisers who have items: it would list nothing, and "no hits" would
    read the same for a typo as for an adviser with nothing to do."""
    from tracker.workbench.triage import has_owned, owners

    if not owner or not owner.strip() or has_owned(db, owner):
        return
    names = owners(db)
    raise SearchError(f"no item has ever been assigned to adviser {owner.strip()!r} "
                      + (f"(advisers with items: {', '.join(names)})" if names else "(no item is assigned to anyone)"))


def _label_sql(alias: str) -> str:
    # instr() first: json_each runs only on rows whose JSON mentions the label at all
    return (f"(instr({alias}.labels, ?) > 0 and exists (select 1 from "
            f"json_each(case when json_valid({alias}.labels) then {alias}.labels else '[]' end) j "
            f"where j.value = ?))")  # fmt: skip


def _label_params(code: str) -> list[str]:
    return [json.dumps(code), code]


def _day(value: str, name: str) -> str:
    from datetime import date

    try:
        return date.fromisoformat(value.strip()[:10]).isoformat()
    except ValueError as exc:
        raise SearchError(f"{name} must be a date YYYY-MM-DD, not {value!r}") from exc


#: a `new_since` / `changed_since` value: an ISO date, or date and time
_SINCE = re.compile(r"(\d{4})-\d\d-\d\d([T ][\d:.]+([+-]\d\d:?\d\d|Z)?)?")


def since_instant(value: str | None) -> datetime | None:
    """A `new_since` / `changed_since` value read as the filter reads it: an ISO date or date and
    time (Europe/Oslo when it has no offset) in a year the tracker reads dates in (crawlers.dates:
    MIN_YEAR–MAX_YEAR); None when it is not one (or empty)."""
    from crawlers.dates import MAX_YEAR, MIN_YEAR
    from tracker.store.deadlines import to_datetime

    value = (value or "").strip()
    if not _SINCE.fullmatch(value):
        return None
    when = to_datetime(value)
    return when if when is not None and MIN_YEAR <= when.year <= MAX_YEAR else None


def _instant(value: str, name: str, clock: datetime | None = None) -> str:
    """`since_instant(value)` as a stored instant; SearchError when it is no time, or one of a year
    the tracker reads no dates in (0001-01-01 ended in an OverflowError traceback: its UTC instant
    is in the year 0), or a day after `clock`'s (default now): nothing is new or changed since a
    time still to come, and «--new-since 2062-11-24» (a mistyped year) listed nothing, exit 0."""
    from crawlers.dates import MAX_YEAR, MIN_YEAR, OSLO
    from tracker.store.deadlines import oslo_date
    from tracker.store.instants import stored

    when = since_instant(value)
    if when is None:
        written = _SINCE.fullmatch((value or "").strip())
        if written and not MIN_YEAR <= int(written[1]) <= MAX_YEAR:
            raise SearchError(f"{name}: the year must be from {MIN_YEAR} to {MAX_YEAR}, not {value!r}")
        raise SearchError(f"{name} must be a date or a date and time (ISO 8601), not {value!r}")
    if oslo_date(when) > oslo_date(clock or datetime.now(OSLO)):
        raise SearchError(f"{name} {value!r} is after today: nothing is new or changed since then")
    return stored(when)


def normalise_label(text: str) -> str:
    """Any spelling of a label → its code (nlp.labels.parse_label); SearchError if unknown."""
    from nlp.labels import parse_label

    try:
        return parse_label(text)
    except ValueError as exc:
        raise SearchError(str(exc)) from exc


# ---------------------------------------------------------------------------- query language


@dataclass
class Term:
    word: str
    prefix: bool = False
    column: str | None = None


@dataclass
class Phrase:
    words: list[str]
    column: str | None = None


@dataclass
class Near:
    words: list[str]
    distance: int


@dataclass
class Not:
    child: Any


@dataclass
class And:
    children: list[Any]


@dataclass
class Or:
    children: list[Any]


@dataclass
class ItemFilter:
    column: str
    value: str
    negated: bool = False


_TOKEN = re.compile(r"""
    (?P<space>\s+)
  | (?P<field>[^\W\d_][\w]*):(?P<fvalue>"[^"]*"|[^\s()"]+)
  | (?P<phrase>"[^"]*")
  | (?P<open>\()
  | (?P<close>\))
  | (?P<comma>,)
  | (?P<minus>-(?=[^\s-]))
  | (?P<word>[^\s()",]+)
""", re.VERBOSE)


def _tokens(query: str) -> list[tuple[str, str, str]]:
    out: list[tuple[str, str, str]] = []
    pos = 0
    text = unicodedata.normalize("NFC", query)
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None:
            if text[pos] == '"':
                raise SearchError('unbalanced quote: a phrase needs a closing "')
            raise SearchError(f"cannot read the query at {text[pos:pos + 10]!r}")
        pos = m.end()
        kind = m.lastgroup
        if kind == "space":
            continue
        if kind == "fvalue":
            out.append(("field", m.group("field").lower(), m.group("fvalue")))
        else:
            out.append((kind, m.group(kind), ""))
    return out


def _words_of(text: str) -> list[str]:
    return WORD.findall(unicodedata.normalize("NFC", text).lower())


def _wordless(tok: tuple[str, str, str]) -> bool:
    """A plain token with no letters or digits («§», «–», «&»): nothing to search for in it."""
    kind, text, _ = tok
    return kind == "word" and text not in ("OR", "AND", "NOT", "NEAR") and not _words_of(text.replace("*", ""))


class _Parser:
    def __init__(self, query: str) -> None:
        toks = _tokens(query)
        # «åpenhetsloven § 4»: the § is passed over when something is left to search for; refused
        # only when nothing is (the whole search was refused for it)
        self.toks = [t for t in toks if not _wordless(t)]
        dropped = [t for t in toks if _wordless(t)]
        if dropped and not any(t[0] in ("word", "phrase", "field") for t in self.toks):
            raise SearchError(f"{dropped[0][1]!r} has no letters or digits to search for")
        self.i = 0

    def peek(self) -> tuple[str, str, str] | None:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def take(self) -> tuple[str, str, str]:
        tok = self.toks[self.i]
        self.i += 1
        return tok

    def parse(self) -> Any:
        if not self.toks:
            raise SearchError("nothing to search for: the query is empty")
        node = self.or_expr()
        if self.peek() is not None:
            kind, text, _ = self.peek()
            raise SearchError(f"unexpected {text!r}" + (" (no matching '(')" if kind == "close" else ""))
        return node

    def or_expr(self) -> Any:
        parts = [self.and_expr()]
        while (tok := self.peek()) and tok[0] == "word" and tok[1] == "OR":
            self.take()
            if self.peek() is None or self.peek()[0] == "close":
                raise SearchError("OR needs a word after it")
            parts.append(self.and_expr())
        return parts[0] if len(parts) == 1 else Or(parts)

    def and_expr(self) -> Any:
        parts = []
        while (tok := self.peek()) is not None and tok[0] != "close":
            kind, text, _ = tok
            if kind == "word" and text == "OR":
                if not parts:
                    raise SearchError("OR needs a word before it")
                break
            if kind == "word" and text == "AND":
                self.take()
                if not parts or self.peek() is None or self.peek()[0] == "close":
                    raise SearchError("AND needs a word on both sides")
                continue
            if kind == "word" and text == "NOT":
                self.take()
                if not parts:
                    raise SearchError("NOT needs a word before it (or write -word)")
                if self.peek() is None or self.peek()[0] == "close":
                    raise SearchError("NOT needs a word after it")
                parts.append(_negate(self.unary()))
                continue
            parts.append(self.unary())
        if not parts:
            raise SearchError("empty group: nothing to search for")
        return parts[0] if len(parts) == 1 else And(parts)

    def unary(self) -> Any:
        tok = self.peek()
        if tok and tok[0] == "minus":
            self.take()
            if self.peek() is None:
                raise SearchError("'-' needs a word after it")
            return _negate(self.primary())
        return self.primary()

    def primary(self) -> Any:
        kind, text, value = self.take()
        if kind == "open":
            node = self.or_expr()
            if self.peek() is None or self.peek()[0] != "close":
                raise SearchError("unbalanced parentheses: a '(' is not closed")
            self.take()
            return node
        if kind == "close":
            raise SearchError("unbalanced parentheses: ')' without '('")
        if kind == "comma":
            raise SearchError("a comma only separates NEAR's distance: NEAR(a b, 5)")
        if kind == "phrase":
            return self._phrase(text[1:-1], None)
        if kind == "field":
            return self._field(text, value)
        if text == "NEAR":
            return self._near()
        if text.endswith(":") and (name := text[:-1]).lower() in TEXT_FIELDS.keys() | ITEM_FIELDS.keys():
            # "status: open", "kildestatus:" — read as the word "status" it found nothing
            raise SearchError(f"{name}: needs its value right after the colon ({name}:…); to search "
                              f'for the word, put it in quotes: "{name}"')
        return self._word(text, None)

    def _word(self, text: str, column: str | None) -> Any:
        prefix = text.endswith("*")
        core = text.rstrip("*")
        if "*" in core:
            raise SearchError(f"'*' only ends a word (prefix search), as in høring*: {text!r}")
        ws = _words_of(core)
        if not ws:
            raise SearchError(f"{text!r} has no letters or digits to search for")
        if len(ws) > 1:  # "co2-avgift", "e-post": the words in a row
            if prefix:
                raise SearchError(f"prefix search needs one word: {text!r}")
            return Phrase(ws, column)
        if prefix and len(fold(ws[0])) < 2:
            raise SearchError(f"a prefix needs at least two letters: {text!r}")
        return Term(ws[0], prefix, column)

    def _phrase(self, inner: str, column: str | None) -> Any:
        ws = _words_of(inner)
        if not ws:
            raise SearchError(f'the phrase "{inner}" has no words')
        return Term(ws[0], False, column) if len(ws) == 1 else Phrase(ws, column)

    def _field(self, name: str, value: str) -> Any:
        raw = value[1:-1] if value.startswith('"') else value
        if name in TEXT_FIELDS:
            col = TEXT_FIELDS[name]
            return self._phrase(raw, col) if value.startswith('"') else self._word(raw, col)
        if name in ITEM_FIELDS:
            if not raw.strip():
                raise SearchError(f"{name}: needs a value")
            column = ITEM_FIELDS[name]
            if not value.startswith('"'):
                raw = self._named_value(raw, column)
            return ItemFilter(column, raw.strip())
        known = sorted(set(TEXT_FIELDS) | set(ITEM_FIELDS))
        raise SearchError(f"unknown field {name}: (fields: {', '.join(k + ':' for k in known)}); "
                          f'to search for the text, put it in quotes: "{name}:{raw}"')  # fmt: skip

    def _named_value(self, raw: str, column: str) -> str:
        """A filter's value written without quotes and the words after it, when together they name
        a value: «oppfølging:ikke relevant», «kilde:Norges Bank Investment Management (NBIM)» (the
        names the tables show) were cut at the first space — refused as «state:ikke» though the
        refusal listed «ikke relevant», or the rest searched for as words. The longest run of words
        (and brackets) that makes a name with the value is taken; anything else stays to search."""
        from tracker.vocabulary import FILTER_NAMES

        if column not in FILTER_NAMES:  # a column whose values have names (as `code` reads them)
            return raw
        valid = _valid(column)
        joined, taken, best = raw, 0, raw
        for n, (kind, text, _) in enumerate(self.toks[self.i:self.i + _MAX_NAME_WORDS], 1):
            if kind not in ("word", "open", "close"):
                break
            # «Høringer (regjeringen.no)»: a bracket as it is written, against the word it holds
            joined += text if kind == "close" or joined.endswith("(") else " " + text
            if code(joined, column) in valid:
                taken, best = n, joined
        self.i += taken
        return best

    def _near(self) -> Any:
        if self.peek() is None or self.peek()[0] != "open":
            raise SearchError("NEAR is written NEAR(word word) or NEAR(word word, 5)")
        self.take()
        ws: list[str] = []
        distance = NEAR_DEFAULT
        while True:
            tok = self.peek()
            if tok is None:
                raise SearchError("NEAR( is not closed")
            kind, text, _ = self.take()
            if kind == "close":
                break
            if kind == "comma":
                nxt = self.take() if self.peek() else None
                if not nxt or nxt[0] != "word" or not nxt[1].isdigit():
                    raise SearchError("NEAR's distance is a number: NEAR(a b, 5)")
                distance = int(nxt[1])
                if not self.peek() or self.take()[0] != "close":
                    raise SearchError("NEAR(a b, 5): ')' expected after the distance")
                break
            if kind in ("word", "phrase"):
                ws += _words_of(text.strip('"'))
            else:
                raise SearchError(f"NEAR( takes words only, not {text!r}")
        if len(ws) < 2:
            raise SearchError("NEAR needs at least two words: NEAR(klima risiko)")
        return Near(ws, distance)


def _negate(node: Any) -> Any:
    if isinstance(node, ItemFilter):
        return ItemFilter(node.column, node.value, not node.negated)
    if isinstance(node, Not):
        raise SearchError("a double negation (- NOT) is not a search")
    return Not(node)


def parse(query: str) -> Any:
    """The query's syntax tree (SearchError with the reason when it is not a valid query)."""
    node = _Parser(query or "").parse()
    if _count_words(node) > MAX_TERMS:
        raise SearchError(f"too many words: at most {MAX_TERMS} in one search")
    return node


def _count_words(node: Any) -> int:
    if isinstance(node, Term):
        return 1
    if isinstance(node, Phrase | Near):
        return len(node.words)
    if isinstance(node, Not):
        return _count_words(node.child)
    if isinstance(node, And | Or):
        return sum(_count_words(c) for c in node.children)
    return 0


# ---------------------------------------------------------------------------- compiling to FTS5


def _col(column: str | None, expr: str) -> str:
    return f"{{{column}}} : ({expr})" if column else expr


def _fts(node: Any) -> str:
    """FTS5 expression over `items_norm` for a node without item filters."""
    if isinstance(node, Term):
        return _col(node.column, word_match(node.word, node.prefix))
    if isinstance(node, Phrase):
        return _col(node.column, phrase_match(node.words))
    if isinstance(node, Near):
        alts = []
        for lang in ("nb", "en"):
            n = f"NEAR({' '.join(quoted(key(w, lang)) for w in node.words)}, {node.distance})"
            if n not in alts:
                alts.append(n)
        return " OR ".join(alts)
    if isinstance(node, Or):
        parts = []
        for c in node.children:
            if isinstance(c, Not) or (isinstance(c, And) and not _positives(c)):
                raise SearchError("a side of OR has only excluded words: write (a OR b) -c instead")
            parts.append("(" + _fts(c) + ")")
        return " OR ".join(parts)
    if isinstance(node, And):
        pos = [c for c in node.children if not isinstance(c, Not)]
        neg = [c.child for c in node.children if isinstance(c, Not)]
        if not pos:
            raise SearchError("a group has only excluded words: say what to look for as well")
        expr = " AND ".join("(" + _fts(c) + ")" for c in pos)
        if neg:
            expr = f"({expr}) NOT (" + " OR ".join("(" + _fts(c) + ")" for c in neg) + ")"
        return expr
    if isinstance(node, Not):
        raise SearchError("a query of only excluded words lists everything else: add a word to look for")
    if isinstance(node, ItemFilter):
        raise SearchError(f"{node.column}: filters apply to the whole query; they cannot stand "
                          "inside OR or parentheses")  # fmt: skip
    raise SearchError(f"cannot search for {node!r}")


def _positives(node: And) -> list[Any]:
    return [c for c in node.children if not isinstance(c, Not)]


@dataclass
class Compiled:
    """A query as FTS5 MATCH expressions and item filters."""

    match: str | None  # what must match (None: nothing positive; filters only)
    exclude: str | None  # what must not match (when there is no positive part)
    where: list[str]
    params: list[Any]
    node: Any = None  # the parsed query


def compile_query(query: str) -> Compiled:
    """The query as an FTS5 expression over `items_norm` plus SQL filters on `items i`."""
    node = parse(query)
    top = node.children if isinstance(node, And) else [node]
    filters = [c for c in top if isinstance(c, ItemFilter)]
    text = [c for c in top if not isinstance(c, ItemFilter)]
    where, params = [], []
    for f in filters:
        op = "!=" if f.negated else "="
        if f.column == "label":
            where.append(("not " if f.negated else "") + _label_sql("i"))
            params += _label_params(normalise_label(f.value))
        elif f.column == "status":
            value = _checked(f.value, "status")
            where.append(f"i.status {op} ?")
            params.append(value)
        elif f.column == "state":  # the item's follow-up (triage); no row is «new»
            value = _checked(f.value, "state")
            where.append(f"coalesce(t.state, 'new') {op} ?")
            params.append(value)
        elif f.column == "language":
            value = f.value.lower()
            _one_of("language", value, LANGUAGES)
            where.append(f"coalesce(i.language, 'nb') {op} ?")
            params.append(value)
        elif f.column == "status_raw":  # any word a source may write: no list to check it against
            where.append(f"coalesce(ncp_fold(i.status_raw), '') {op} ?")
            params.append(fold_phrase(f.value))
        else:  # source, kind: a mistyped one matched nothing and read as "no hits"
            value = _checked(f.value, f.column)
            where.append(f"i.{f.column} {op} ?")
            params.append(value)
    positives = [c for c in text if not isinstance(c, Not)]
    negatives = [c.child for c in text if isinstance(c, Not)]
    if not positives and not filters:
        raise SearchError("a query of only excluded words lists everything else: add a word to look for")
    if positives:
        return Compiled(_fts(And(text) if len(text) > 1 else text[0]), None, where, params, node)
    exclude = " OR ".join("(" + _fts(c) + ")" for c in negatives) if negatives else None
    return Compiled(None, exclude, where, params, node)


def status_word_query(word: str, source: str | None = None) -> str | None:
    """The search for the items whose source says `word` (`kildestatus:"…"`), of `source` alone
    when given; None when the query language cannot quote the word (it holds a '"')."""
    if '"' in word:
        return None
    return (f"kilde:{source} " if source else "") + f'kildestatus:"{word}"'


def fts_query(db: sqlite_utils.Database | None, query: str) -> str:
    """The FTS5 MATCH expression (over `items_norm`) of a query with no item filters."""
    compiled = compile_query(query)
    if compiled.match is None:
        raise SearchError("nothing to search for in the text")
    return compiled.match


def words(text: str) -> list[str]:
    """The words of a text (lower-case, NFC), as the index splits them."""
    return _words_of(text or "")


# ---------------------------------------------------------------------------- running


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
    """Items matching `query` (see the module doc), best first (bm25; title weighs most)."""
    import sqlite3

    filters = filters or Filters()
    compiled = compile_query(query)
    check_owner(db, filters.owner)
    fwhere, fparams = filters.clause()
    conditions = [c for c in (fwhere, *compiled.where) if c != "1"]
    where = " and ".join(conditions) or "1"
    params = [*fparams, *compiled.params]
    try:
        if compiled.match is not None:
            boost = f"case when i.status in ('{OPEN}', '{UPCOMING}') then {OPEN_BOOST} else 1.0 end"
            sql = (SELECT + f""", i.summary, i.body, r.rank * {boost} as rank
from (select rowid, bm25(items_norm, 10.0, 3.0, 1.0) as rank from items_norm
      where items_norm match ? and rowid >= ?) r
join items i on i.rowid = r.rowid
left join triage t on t.item_id = i.id
where {where}
order by rank, i.id limit ?""")  # fmt: skip
            # rank the newest RANK_POOL matches; when the filters leave fewer than `limit` of them,
            # widen the pool (×8, then every match). Asking for more than the pool ranks everything.
            pool = RANK_POOL if limit < RANK_POOL else None
            while True:
                bound = _pool_bound(db, compiled.match, pool) if pool else NO_BOUND
                rows = list(db.query(sql, [compiled.match, bound, *params, limit]))
                if len(rows) >= limit or bound == NO_BOUND:
                    break
                pool = pool * 8 if pool < RANK_POOL * 8 else None
        else:
            exclude = ""
            if compiled.exclude:
                exclude = " and i.rowid not in (select rowid from items_norm where items_norm match ?)"
                params.append(compiled.exclude)
            sql = (SELECT + f""", i.summary, i.body, 0.0 as rank
from items i left join triage t on t.item_id = i.id
where {where}{exclude}
order by coalesce(i.published, i.first_seen) desc, i.id limit ?""")  # fmt: skip
            rows = list(db.query(sql, [*params, limit]))
    except sqlite3.OperationalError as exc:
        if "no such table: items_norm" in str(exc):
            raise SearchIndexMissing("the search index (items_norm) is not in this database yet: it is built "
                              "when the database is next opened for writing (e.g. `ncp-tracker run`)") from exc
        if "fts5" in str(exc) or "no such column" in str(exc):
            raise SearchError(f"the search index cannot run this query: {exc}") from exc
        raise
    wanted = _highlight_keys(compiled.node)
    out = []
    for r in rows:
        r["snippet"] = snippet(r, wanted)
        r.pop("summary", None)
        r.pop("body", None)
        out.append(_decode(r))
    return out


#: a query of plain words only (no operator, phrase, prefix, filter or grouping): what
#: `prefix_suggestion` may widen
_PLAIN_WORDS = re.compile(r"[^\W\d_][\w'’-]*(?:\s+[^\W\d_][\w'’-]*)*")
_OPERATORS = frozenset({"OR", "AND", "NOT", "NEAR"})


def prefix_suggestion(db: sqlite_utils.Database, query: str, filters: Filters | None = None) -> tuple[str, int] | None:
    """For a query of plain words that found nothing: the same words as prefixes («taksonomi» →
    «taksonomi*», which finds «taksonomiforordningen»: a Norwegian compound is one word, and a
    word matches by its stem only) and how many items that finds (at most 100); None when it
    finds nothing either, or the query is more than plain words (the reader's own syntax). Words
    shorter than four letters stay as they are («lov*» finds every «lovforslag», «lovende» …), and
    so do words with a hyphen or an apostrophe (a prefix is one word: «eu-taksonomi*» is refused)."""
    words = query.split()
    if not _PLAIN_WORDS.fullmatch(query.strip()) or _OPERATORS.intersection(words):
        return None
    widened = " ".join(w + "*" if len(w) >= 4 and w.isalpha() else w for w in words)
    if widened == " ".join(words):
        return None
    try:
        found = len(search(db, widened, filters, limit=100))
    except SearchError:  # a suggestion, never an error of its own
        return None
    return (widened, found) if found else None


NO_BOUND = -(2**63)


def _pool_bound(db: sqlite_utils.Database, match: str, pool: int) -> int:
    """The lowest rowid of the newest `pool` items that match (NO_BOUND when fewer match).

    bm25 has to score every match before it can keep the best; a word in half of 100,000
    items would cost ~60 ms. So ranking is over the newest matches (rowids grow with
    first_seen): older items come up for rarer words, more words, or filters that leave few.
    Reading the newest rowids of a match is cheap (no scoring, no table look-ups).
    """
    row = db.execute(f"select rowid from items_norm where items_norm match ? "
                     f"order by rowid desc limit 1 offset {int(pool) - 1}", [match]).fetchone()
    return row[0] if row else NO_BOUND


def _highlight_keys(node: Any) -> tuple[set[str], tuple[str, ...]]:
    """The keys (and prefixes) of a query's positive words, for snippets."""
    keys: set[str] = set()
    prefixes: list[str] = []

    def walk(n: Any) -> None:
        if isinstance(n, Term):
            if n.prefix:  # the words that begin with it (textindex.word_match)
                prefixes.append(fold(n.word))
            else:
                keys.update(word_keys(n.word))
        elif isinstance(n, Phrase | Near):
            for w in n.words:
                keys.update(word_keys(w))
        elif isinstance(n, And | Or):
            for c in n.children:
                walk(c)

    walk(node)
    return keys, tuple(prefixes)


def snippet(row: dict[str, Any], wanted: tuple[set[str], tuple[str, ...]], width: int = 16) -> str:
    """A few words around the first match in title, summary or body, matches marked."""
    keys, prefixes = wanted
    if not keys and not prefixes:  # nothing to mark (a query of filters only)
        return ""
    lang = stem_language(row.get("language"))
    for column in ("title", "summary", "body"):
        text = row.get(column) or ""
        if not text:
            continue
        # every word's key at C speed (regex, cached key/fold through map): a hundred rows of
        # bodies word by word in Python was most of a search's time
        words = WORD.findall(text)
        flags = list(map(keys.__contains__, map(key, words, repeat(lang))))
        if prefixes:
            starts = map(operator.methodcaller("startswith", prefixes), map(fold, words))
            flags = list(map(operator.or_, flags, starts))
        try:
            hit = flags.index(True)
        except ValueError:
            continue
        first = max(0, hit - width // 4)
        last = min(len(words), first + width)
        spans = [m.span() for m in islice(WORD.finditer(text), first, last)]
        pieces = []
        cursor = spans[0][0]
        for n, (a, b) in enumerate(spans, start=first):
            pieces.append(text[cursor:a])
            pieces.append(f"{HL_START}{text[a:b]}{HL_END}" if flags[n] else text[a:b])
            cursor = b
        body = " ".join("".join(pieces).split())
        return ("…" if first > 0 else "") + body + ("…" if last < len(words) else "")
    return ""


#: the orders of a filter-only list: by id (stable, for export), or the most relevant first and
#: then the newest (for a person: the workbench's search page)
FILTERED_ORDERS = {"id": "i.id", "relevance": "coalesce(i.relevance, 0) desc, i.first_seen desc, i.id"}


def filtered(db: sqlite_utils.Database, filters: Filters | None = None,
             limit: int | None = None, order: str = "id") -> list[dict[str, Any]]:
    """Items matching the filters only, in `order` (FILTERED_ORDERS: by id, stable, for export)."""
    filters = filters or Filters()
    where, params = filters.clause()
    check_owner(db, filters.owner)
    sql = SELECT + f"from items i left join triage t on t.item_id = i.id where {where} order by {FILTERED_ORDERS[order]}"
    if limit:
        sql += f" limit {int(limit)}"
    return [_decode(r) for r in db.query(sql, params)]


def plain_snippet(snippet: str | None) -> str:
    """A snippet for the terminal: matches in [brackets]."""
    return (snippet or "").replace(HL_START, "[").replace(HL_END, "]").replace("\n", " ")
