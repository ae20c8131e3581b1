"""The instrument register (``nlp/lexicons/instruments.toml``): every instrument the NCP follows,
its names (nb, nn, en), abbreviations, legal identifiers and the labels it implies.

Pure Python (tomllib and re only; no spaCy), so the tracker's reference resolver and EU watchlist can
read it cheaply::

    from nlp.instruments import load_register
    for ins in load_register():
        ins.id, ins.names["nb"], ins.identifiers, ins.labels, ins.norwegian_side

:class:`InstrumentMatcher` finds mentions in text (one trie-shaped regex per kind of name, matched
case-insensitively; ASCII spellings aa/oe/ae of å/ø/æ match too).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

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
    weight: float = 1.0
    watchlist: tuple[str, ...] = ()
    unverified: tuple[str, ...] = ()

    def all_names(self) -> list[str]:
        return [n for lang in ("nb", "nn", "en") for n in self.names.get(lang, ())]

    def celex(self) -> list[str]:
        return [i for i in self.identifiers if re.fullmatch(r"[0-9]{5}[A-Z]{1,2}[0-9]{4}", i)]


@dataclass(frozen=True)
class Mention:
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
            abbreviations=tuple(spec.get("abbreviations", [])),
            identifiers=tuple(spec.get("identifiers", [])), labels=labels, norwegian_side=side,
            requires=tuple(p.lower() for p in spec.get("requires", [])),
            weight=float(spec.get("weight", 1.0)), watchlist=tuple(spec.get("watchlist", [])),
            unverified=tuple(spec.get("unverified", []))))
    return str(data.get("version", "0")), out


def load_register(path: str | Path | None = None) -> list[Instrument]:
    """The instruments of the register shipped in the package (or of ``path``)."""
    return parse_register(_register_text(path))[1]


# -- matching -----------------------------------------------------------------------------------
_ASCII = {"å": "(?:å|aa)", "ø": "(?:ø|oe)", "æ": "(?:æ|ae)"}


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


def _identifier_re(ident: str) -> list[str]:
    """Regexes for one identifier: flexible spacing and dashes; (EU) numbers also bare;
    COM numbers with or without leading zeros."""
    out = []
    m = re.fullmatch(r"COM\s*\((\d{4})\)\s*0*(\d+)", ident)
    if m:
        return [rf"COM\s*\(\s*{m.group(1)}\s*\)\s*0*{m.group(2)}(?!\d)"]
    parts = [re.escape(p) for p in ident.split()]
    pat = r"\s*".join(parts).replace("–", "[-–]").replace(r"\-", "[-–]")
    out.append(pat + r"(?![\d/])")
    m = re.search(r"\(EU\)\s*(?:No\s*|nr\.\s*)?(\d{4}/\d+)$", ident)
    if m:
        out.append(r"(?<![\d/])" + re.escape(m.group(1)) + r"(?![\d/])")
    return out


def _first_char(ident: str) -> str:
    c = ident.strip()[0]
    return "0123456789" if c.isdigit() else c


class InstrumentMatcher:
    """Finds register mentions in a text: names (case-insensitive, stems), abbreviations
    (case-sensitive whole words) and identifiers."""

    def __init__(self, instruments: list[Instrument]) -> None:
        self.instruments = {i.id: i for i in instruments}
        self._by_name: dict[str, str] = {}
        self._by_abbr: dict[str, str] = {}
        for ins in instruments:
            for n in ins.all_names():
                self._by_name.setdefault(self._key(n), ins.id)
            for a in ins.abbreviations:
                self._by_abbr.setdefault(a, ins.id)
        names = sorted(self._by_name)
        self._names_re = re.compile(r"(?<![\w])(?:" + trie_regex(names) + r")[\w]*",
                                    re.IGNORECASE) if names else None
        abbrs = sorted(self._by_abbr)
        self._abbr_re = re.compile(
            r"(?<![\w])(" + "|".join(re.escape(a) for a in sorted(abbrs, key=len, reverse=True))
            + r")(?:s|['’]s)?(?!\w)") if abbrs else None
        groups = []
        self._id_groups: list[str] = []
        for ins in instruments:
            for ident in ins.identifiers:
                for pat in _identifier_re(ident):
                    groups.append(f"(?P<i{len(self._id_groups)}>{pat})")
                    self._id_groups.append(ins.id)
        # every identifier starts with "(", a digit or a capital (COM, Prop., NOU, LOV, Innst.):
        # a case-sensitive lookahead lets the engine skip all other positions quickly
        starts = sorted({_first_char(i) for ins in instruments for i in ins.identifiers})
        lead = "(?=(?-i:[" + "".join(re.escape(c) for c in starts) + "]))" if starts else ""
        self._ids_re = re.compile(lead + "(?:" + "|".join(groups) + ")",
                                  re.IGNORECASE) if groups else None

    @staticmethod
    def _key(name: str) -> str:
        return re.sub(r"\s+", " ", name.strip().lower())

    def _resolve_name(self, matched: str) -> str | None:
        low = re.sub(r"\s+", " ", matched.lower())
        low = low.replace("aa", "å").replace("oe", "ø").replace("ae", "æ")
        low = re.sub(r"[-–—‐]", "-", low)
        best = None
        for key, iid in self._by_name.items():
            k = re.sub(r"[-–—‐]", "-", key)
            hit = low.startswith(k) or low.replace("-", "").replace(" ", "").startswith(
                k.replace("-", "").replace(" ", ""))
            if hit and (best is None or len(k) > len(best[0])):
                best = (k, iid)
        return best[1] if best else None

    def find(self, text: str) -> list[Mention]:
        """Mentions in ``text`` (offsets into ``text``), in order, not overlapping."""
        found: list[Mention] = []
        if not text:
            return found
        if self._ids_re is not None:
            for m in self._ids_re.finditer(text):
                iid = self._id_groups[int(m.lastgroup[1:])]  # type: ignore[index]
                found.append(Mention(iid, m.start(), m.end(), m.group(0), "identifier"))
        if self._names_re is not None:
            for m in self._names_re.finditer(text):
                iid = self._resolve_name(m.group(0))
                if iid:
                    found.append(Mention(iid, m.start(), m.end(), m.group(0), "name"))
        if self._abbr_re is not None:
            for m in self._abbr_re.finditer(text):
                found.append(Mention(self._by_abbr[m.group(1)], m.start(), m.end(), m.group(0),
                                     "abbreviation"))
        found.sort(key=lambda x: (x.start, -(x.end - x.start)))
        out: list[Mention] = []
        last = -1
        for mm in found:
            if mm.start >= last:
                out.append(mm)
                last = mm.end
        return out


_MATCHER: list[InstrumentMatcher] = []


def default_matcher() -> InstrumentMatcher:
    if not _MATCHER:
        _MATCHER.append(InstrumentMatcher(load_register()))
    return _MATCHER[0]
