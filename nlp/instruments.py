"""The instrument register (``nlp/lexicons/instruments.toml``): every instrument the NCP follows,
its names (nb, nn, en), abbreviations, legal identifiers and the labels it implies.

Pure Python (tomllib and re only; no spaCy), so the tracker's reference resolver and EU watchlist can
read it cheaply::

    from nlp.instruments import load_register
    for ins in load_register():
        ins.id, ins.names["nb"], ins.identifiers, ins.labels, ins.norwegian_side

:class:`InstrumentMatcher` finds mentions in text (one trie-shaped regex per kind of name, matched
case-insensitively; ASCII spellings aa/oe/ae of å/ø/æ match too). A cheaper "gate" regex finds
where a mention can start and the full regex decides there (identical results, tested).
"""

from __future__ import annotations

import functools
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, NamedTuple

REGISTER_FILE = "instruments.toml"
KINDS = ("eu-act", "eu-proposal", "norwegian-act", "international", "gpfg", "state-lever", "topic")


@dataclass(frozen=True)
class Instrument:
    id: str
    kind: str
    name: str
    names: dict[str, tuple[str, ...]]
    abbreviations: tuple[str, ...]
    identifiers: tuple[str, ...]
    labels: tuple[str, ...]
    norwegian_side: tuple[str, ...] = ()
    requires: tuple[str, ...] = ()
    unless: tuple[str, ...] = ()
    weight: float = 1.0
    watchlist: tuple[str, ...] = ()
    unverified: tuple[str, ...] = ()
    name_en: str = ""  # the English display name ("" where the register has none: `name`)

    def all_names(self) -> list[str]:
        return [n for lang in ("nb", "nn", "en") for n in self.names.get(lang, ())]

    def celex(self) -> list[str]:
        return [i for i in self.identifiers if re.fullmatch(r"[0-9]{5}[A-Z]{1,2}[0-9]{4}", i)]


class Mention(NamedTuple):  # immutable and cheap to make (see nlp.tagger.Evidence)
    instrument: str
    start: int
    end: int
    text: str
    how: str  # name | abbreviation | identifier


def _register_text(path: str | Path | None) -> bytes:
    if path is not None:
        return Path(path).read_bytes()
    return resources.files("nlp.lexicons").joinpath(REGISTER_FILE).read_bytes()


def parse_register(raw: bytes | str) -> tuple[str, list[Instrument]]:
    """Parse and check a register file; return (version, instruments)."""
    from .labels import LABELS

    data = tomllib.loads(raw.decode("utf-8") if isinstance(raw, bytes) else raw)
    out: list[Instrument] = []
    seen: set[str] = set()
    for spec in data.get("instrument", []):
        iid = spec.get("id", "")
        if not re.fullmatch(r"[a-z0-9-]+", iid) or iid in seen:
            raise ValueError(f"instrument register: bad or duplicate id {iid!r}")
        seen.add(iid)
        if spec.get("kind") not in KINDS:
            raise ValueError(f"instrument {iid}: kind must be one of {KINDS}")
        labels = tuple(spec.get("labels", []))
        side = tuple(spec.get("norwegian_side", []))
        bad = set(labels + side) - set(LABELS)
        if bad or not labels:
            raise ValueError(f"instrument {iid}: unknown labels {sorted(bad)} (or none)")
        names = {lang: tuple(spec.get("names", {}).get(lang, [])) for lang in ("nb", "nn", "en")}
        out.append(Instrument(
            id=iid, kind=spec["kind"], name=spec.get("name", iid), names=names,
            name_en=spec.get("name_en", ""),
            abbreviations=tuple(spec.get("abbreviations", [])),
            identifiers=tuple(spec.get("identifiers", [])), labels=labels, norwegian_side=side,
            requires=tuple(p.lower() for p in spec.get("requires", [])),
            unless=tuple(p.lower() for p in spec.get("unless", [])),
            weight=float(spec.get("weight", 1.0)), watchlist=tuple(spec.get("watchlist", [])),
            unverified=tuple(spec.get("unverified", []))))
    return str(data.get("version", "0")), out


def load_register(path: str | Path | None = None) -> list[Instrument]:
    """The instruments of the register shipped in the package (or of ``path``)."""
    return parse_register(_register_text(path))[1]


# -- matching -----------------------------------------------------------------------------------
#: the ASCII spellings of å, ø and æ that names also match in (one table for the names' regex, the
#: scan's gate and the fold that resolves a matched name)
_ASCII_SPELLING = {"å": "aa", "ø": "oe", "æ": "ae"}
_ASCII = {ch: f"(?:{ch}|{spelled})" for ch, spelled in _ASCII_SPELLING.items()}


def _char_re(ch: str) -> str:
    if ch in _ASCII:
        return _ASCII[ch]
    if ch.isspace():
        return r"\s+"
    if ch in "-–—‐":
        return r"[-–—‐ ]?"
    if ch in "'’":
        return "['’]?"
    return re.escape(ch)


def trie_regex(words: list[str], char_re: Any = _char_re) -> str:
    """One regex alternation shaped as a trie (fast in Python's backtracking engine)."""
    trie: dict[str, Any] = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict[str, Any]) -> str:
        end = "" in node
        alts = [char_re(ch) + emit(sub) for ch, sub in sorted(node.items()) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        if end:
            return "(?:" + body + ")?"
        return body

    return emit(trie)


#: every identifier shape as (its first character, the rest), in the order they are tried: one
#: table for the identifier regex and for the scan's gate, which dispatches on the first character
_ID_SHAPES: tuple[tuple[str, str], ...] = (
    (r"\(", r"EU\)\s*(?:No\.?\s*|nr\.\s*)?\d{1,4}/\d{1,4}(?:/EU)?"),
    (r"\d", r"\d{0,3}/\d{1,4}(?:/EU\b|\s*\(COD\))?"),
    ("C", r"OM\s*\(\s*\d{4}\s*\)\s*\d{1,4}"),
    (r"\d", r"\d{4}[A-Z]{1,2}\d{4}"),
    ("L", r"OV-\d{4}-\d{2}-\d{2}-\d+"),
    ("P", r"rop\.\s*\d{1,4}\s*[A-Z]{1,2}\s*\(\s*\d{4}\s*[-–]\s*\d{4}\s*\)"),
    ("I", r"nnst\.\s*\d{1,4}\s*[A-Z]{1,2}\s*\(\s*\d{4}\s*[-–]\s*\d{4}\s*\)"),
    ("N", r"OU\s*\d{4}\s*:\s*\d{1,3}"),
)

#: one regex for every identifier shape; a match is looked up by its canonical form
_ID_RE = re.compile(r"(?<![\w/])(?=[(\dCcLlPpIiNn])(?:" + "|".join(f + r for f, r in _ID_SHAPES)
                    + r")(?![\d/])")


def _lower_id(pattern: str) -> str:
    """An identifier pattern for lower-cased text (the matcher scans text.lower(), case-sensitively:
    faster than IGNORECASE)."""
    return (pattern.replace(r"\(EU\)", r"\(eu\)").replace("No\\.", "no\\.").replace("/EU", "/eu")
            .replace(r"\(COD\)", r"\(cod\)").replace("COM", "com").replace("[A-Z]", "[a-z]")
            .replace("LOV-", "lov-").replace("Prop", "prop").replace("Innst", "innst")
            .replace("NOU", "nou"))


#: the same shapes on lower-cased text
_ID_LOWER = _lower_id("|".join(f + r for f, r in _ID_SHAPES))


@functools.lru_cache(maxsize=65536)
def canonical_identifier(text: str) -> str:
    """Canonical form of an identifier: no spaces, upper case, '-' for dashes, no '(EU)' / 'No'
    prefix or '/EU' suffix on act numbers, no leading zeros in COM numbers."""
    t = re.sub(r"\s+", "", text).upper().replace("–", "-").replace("—", "-")
    t = re.sub(r"^\(EU\)(?:NO\.?|NR\.)?", "", t)
    t = re.sub(r"/EU$", "", t)
    m = re.fullmatch(r"COM\((\d{4})\)0*(\d+)", t)
    if m:
        t = f"COM({m.group(1)}){m.group(2)}"
    return t


class InstrumentMatcher:
    """Finds register mentions in a text: names (case-insensitive, stems), abbreviations
    (case-sensitive whole words) and identifiers."""

    def __init__(self, instruments: list[Instrument]) -> None:
        self.instruments = {i.id: i for i in instruments}
        self._by_name: dict[str, str] = {}
        self._by_abbr: dict[str, str] = {}
        self._folded: dict[str, str] | None = None
        self._resolved: dict[str, str | None] = {}
        for ins in instruments:
            for n in ins.all_names():
                self._by_name.setdefault(self._key(n), ins.id)
            for a in ins.abbreviations:
                self._by_abbr.setdefault(a, ins.id)
        names = sorted(self._by_name)
        # ONE scan for names, abbreviations and identifiers (case-insensitive; an abbreviation
        # must then match its case exactly)
        alts = []  # the groups n, a and i always exist ((?!) never matches)
        alts.append(r"(?P<n>" + (trie_regex(names) if names else "(?!)") + r")\w*")
        # abbreviations as a trie too (longest first, as the alternation sorted by length was)
        abbr_trie = trie_regex(sorted({a.lower() for a in self._by_abbr}), char_re=re.escape) or "(?!)"
        alts.append(r"(?P<a>" + abbr_trie + r")(?:s|['’]s)?(?!\w)")
        alts.append(r"(?P<i>" + _ID_RE.pattern.removeprefix(r"(?<![\w/])") + ")")
        # a match consumes the character before the word (scan " " + text): the engine can then
        # skip positions inside words by a character-set test, about twice as fast as a
        # look-behind at every position
        self._re = re.compile(r"[^\w/](?P<m>" + "|".join(alts) + ")", re.IGNORECASE)
        low = []
        low.append(r"(?P<n>" + (trie_regex(names) if names else "(?!)") + r")\w*")
        low.append(r"(?P<a>" + abbr_trie + r")(?:s|['’]s)?(?!\w)")
        low.append(r"(?P<i>" + _ID_LOWER + ")")
        self._re_lower = re.compile(r"[^\w/](?P<m>" + "|".join(low) + ")")
        self._gate = _gate_regex(names, sorted({a.lower() for a in self._by_abbr}))
        for rx in (self._re, self._re_lower):  # find() reads the groups by number
            if rx.groupindex != {"m": 1, "n": 2, "a": 3, "i": 4}:
                raise ValueError(f"instrument matcher: unexpected groups {rx.groupindex}")
        self._by_id: dict[str, str] = {}
        for ins in instruments:
            for ident in ins.identifiers:
                key = canonical_identifier(ident)
                if not _ID_RE.fullmatch(ident.strip()):
                    raise ValueError(f"instrument {ins.id}: identifier {ident!r} has an "
                                     "unknown shape (see nlp/instruments.py: _ID_RE)")
                self._by_id.setdefault(key, ins.id)

    @staticmethod
    def _key(name: str) -> str:
        return re.sub(r"\s+", " ", name.strip().lower())

    @staticmethod
    def _fold(text: str) -> str:
        low = text.lower()
        for ch, spelled in _ASCII_SPELLING.items():
            low = low.replace(spelled, ch)
        return re.sub(r"[\s\-–—‐'’]+", "", low)

    def _resolve_name(self, matched: str) -> str | None:
        """The instrument whose longest name the matched text starts with (cached per form)."""
        hit = self._resolved.get(matched, "")
        if hit != "":
            return hit
        if self._folded is None:
            self._folded = {}
            for key, iid in self._by_name.items():
                self._folded.setdefault(self._fold(key), iid)
        low = self._fold(matched)
        out = None
        for n in range(len(low), 0, -1):
            out = self._folded.get(low[:n])
            if out is not None:
                break
        if len(self._resolved) < 100_000:
            self._resolved[matched] = out
        return out

    def _gated(self, padded: str, g: re.Match[str] | None = None) -> list[re.Match[str]]:
        """What ``self._re_lower.finditer(padded)`` gives, found faster: the gate (one branch per
        first character, see _gate_regex) finds the next place where a match can start, and the
        full regex decides there. Every match of the full regex starts where the gate matches, so
        the first place the gate finds at or after a position is never after the full regex's
        next match. `g`: the gate's first match in `padded`, when the caller has it. A list, not a
        generator: most texts hold one or two mentions, and resuming a generator cost more."""
        search, match = self._gate.search, self._re_lower.match
        if g is None:
            g = search(padded)
        out = []
        while g is not None:
            at = g.start()
            m = match(padded, at)
            if m is None:
                g = search(padded, at + 1)
            else:
                out.append(m)
                g = search(padded, m.end())
        return out

    def find(self, text: str) -> list[Mention]:
        """Mentions in ``text`` (offsets into ``text``), in order, not overlapping."""
        found: list[Mention] = []
        if not text or not self.instruments:  # an empty register has nothing to find
            return found
        low = text.lower()
        if len(low) == len(text):
            padded = " " + low
            first = self._gate.search(padded)
            if first is None:  # most texts name no instrument: no generator, no loop
                return found
            scan: Iterable[re.Match[str]] = self._gated(padded, first)
        else:  # rare ("İ"): scan the text case-insensitively
            scan = self._re.finditer(" " + text)
        resolved = self._resolved
        # groups by number (m = 1: the mention after its boundary character; n = 2, a = 3, i = 4:
        # what kind), fixed in __init__; a match's boundary character is the one before the
        # mention, so in `text` (" " prepended) the mention is match.start() to match.end() - 1
        for m in scan:
            start, end = m.span()
            end -= 1
            orig = text[start:end]
            if m.start(2) >= 0:
                iid = resolved.get(orig, "")
                if iid == "":
                    iid = self._resolve_name(orig)
                how = "name"
            elif m.start(3) >= 0:
                a0, a1 = m.span(3)
                iid = self._by_abbr.get(text[a0 - 1:a1 - 1])  # exact case
                how = "abbreviation"
            else:
                iid = self._by_id.get(canonical_identifier(orig))
                how = "identifier"
            if iid is not None:
                found.append(Mention(iid, start, end, orig, how))
        # in order and not overlapping already: one regex's matches, each consuming the character
        # before its mention, so the next one starts after this one's end
        return found


def _gate_regex(names: list[str], abbreviations: list[str]) -> re.Pattern[str]:
    """A regex that matches (at least) wherever the scan's full regex matches on lower-cased text,
    and is cheaper to search with: one branch per first character (Python's engine skips a branch
    by its first literal at once), holding the names, abbreviations and identifier shapes that
    start with it, without their endings (``\\w*``, a plural, look-aheads). The full regex walks
    the names, then the abbreviations, then the identifiers at every word start."""
    starts: dict[str, dict[str, list[str]]] = {}
    loose: list[str] = []  # names whose first character is not a plain letter (none today)

    def at(ch: str) -> dict[str, list[str]]:
        return starts.setdefault(ch, {"n": [], "a": [], "i": []})

    for name in names:
        first = name[0]
        if first in _ASCII:
            at(first)["n"].append(name[1:])
            at(_ASCII_SPELLING[first][0])["n"].append(_ASCII_SPELLING[first][1:] + name[1:])
        elif _char_re(first) == re.escape(first):
            at(first)["n"].append(name[1:])
        else:
            loose.append(name)
    for abbr in abbreviations:
        at(abbr[0])["a"].append(abbr[1:])
    digits = []
    for first, rest in _ID_SHAPES:
        lowered = _lower_id(first + rest)
        if first == r"\d":
            digits.append(lowered.removeprefix(first))
        else:
            ch = first.removeprefix("\\").lower()
            if not lowered.startswith(re.escape(ch)):
                raise ValueError(f"identifier shape {first + rest!r}: its first character must be "
                                 "a literal or \\d (nlp/instruments.py: _ID_SHAPES)")
            at(ch)["i"].append(lowered.removeprefix(re.escape(ch)))
    branches = []
    for ch, kinds in sorted(starts.items()):
        parts = []
        if kinds["n"]:
            parts.append(trie_regex(kinds["n"]))
        if kinds["a"]:
            parts.append(trie_regex(kinds["a"], char_re=re.escape))
        parts += kinds["i"]
        if "" in parts:  # a one-character name or abbreviation: the character itself
            branches.append(re.escape(ch))
        else:
            branches.append(re.escape(ch) + "(?:" + "|".join(parts) + ")")
    branches.append(r"\d(?:" + "|".join(digits) + ")")
    if loose:
        branches.append(trie_regex(loose))
    return re.compile(_GATE_BOUNDARY + "(?:" + "|".join(branches) + ")")


def _boundary_class() -> str:
    """A character class holding every character that ``[^\\w/]`` (the character before a
    mention) matches, and a few more: all but the word characters of Latin-1 and "/". Python's
    engine tests it by a table where ``\\w`` asks the Unicode database: a quarter of the gate's time."""
    excluded = [cp for cp in range(256) if re.match(r"[\w/]", chr(cp))]
    ranges, start = [], excluded[0]
    for prev, cp in zip(excluded, excluded[1:] + [None], strict=True):
        if cp != prev + 1:
            ranges.append(f"\\x{start:02x}" + (f"-\\x{prev:02x}" if prev > start else ""))
            start = cp
    return "[^" + "".join(ranges) + "]"


_GATE_BOUNDARY = _boundary_class()


_MATCHER: list[InstrumentMatcher] = []


def default_matcher() -> InstrumentMatcher:
    if not _MATCHER:
        _MATCHER.append(InstrumentMatcher(load_register()))
    return _MATCHER[0]
