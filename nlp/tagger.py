"""The public tagger: ``Tagger.load()``, ``tagger.tag(record)``, ``tagger.tag_many(records)``."""

from __future__ import annotations

import contextlib
import hashlib
import logging
import math
import os
import re
import tomllib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from .instruments import Instrument, InstrumentMatcher, load_register, trie_regex
from .langdetect import detect_many
from .lexicon import FIELDS, Lexicon, Weights, load_lexicon, load_weights
from .options import DEFAULT_OPTIONS, NlpOptions
from .textclean import MAX_CHARS, prepare

log = logging.getLogger("nlp.tagger")

_INPUT_FIELDS = {"title": ("title",), "summary": ("summary", "description"),
                 "text": ("text", "body")}
#: every key a record's text is read from
INPUT_KEYS = tuple(k for keys in _INPUT_FIELDS.values() for k in keys)
_FIELD_ORDER = {"title": 0, "summary": 1, "text": 2}
_CHUNK = 64
_VOCAB_KEEP = 60_000  # strings a pipeline's vocab keeps for good; later batches: memory zones
#: raised when a code change alters what tagging finds in the same text (a tokenizer rule, a
#: matching step): it is part of :attr:`Tagger.version`, so stored items are tagged again.
#: 2: "IFRS S2." at a sentence's end is the term (nlp.components.build_pipeline)
ANALYSIS_REVISION = "2"
#: the spaCy pipeline that tags each language (see :meth:`Tagger.pipeline`)
PIPELINE_OF = {"nb": "nb", "nn": "nb", "en": "en"}
_SEP = "\n\n\u2029\n\n"


class Evidence(NamedTuple):
    """One matched term: ``text == original_field_text[start:end]``. Immutable; a NamedTuple,
    not a frozen dataclass: a tagging pass makes tens of thousands, and a frozen dataclass's
    ``__init__`` (one ``object.__setattr__`` per field) took five times as long."""

    label: str
    field: str
    start: int
    end: int
    text: str
    term: str = ""
    instrument: str = ""  # register id of the instrument that implied the label, else ""

    def to_json(self) -> dict[str, Any]:
        return {"label": self.label, "field": self.field, "start": self.start, "end": self.end,
                "text": self.text, "instrument": self.instrument}


#: a reason in Bokmål and in English ("Åpenhetsloven nevnt", "Transparency Act (åpenhetsloven) mentioned")
Reason = tuple[str, str]


@dataclass
class TagResult:
    id: Any
    language: str
    labels: list[str]
    relevant: bool
    relevance: float
    strengths: dict[str, float] = field(default_factory=dict)
    evidence: list[Evidence] = field(default_factory=list)
    reason: str = ""  # one line, nb: why the item is (not) relevant
    reason_en: str = ""  # the same line in English

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "language": self.language, "labels": list(self.labels),
                "relevant": self.relevant, "relevance": self.relevance, "reason": self.reason,
                "reason_en": self.reason_en, "evidence": [e.to_json() for e in self.evidence]}


@dataclass
class Analysis:
    """Weight-independent matching result of one record (re-scored cheaply by calibrate)."""

    id: Any
    language: str
    hits: list[Evidence]
    mentions: list[Evidence] = field(default_factory=list)  # register instruments (label "")
    contexts: frozenset[str] = frozenset()
    grounds: list[Evidence] = field(default_factory=list)  # GPFG grounds (rule 6)
    source: str = ""
    context_hits: dict[str, list[Evidence]] = field(default_factory=dict)  # evidence of combos
    # a [[source_instrument]] source's case: the title (label "", the instrument's evidence where no
    # mention is) and the themes of its themes line (label = the chapter)
    case: list[Evidence] = field(default_factory=list)


def _fields(record: dict[str, Any]) -> dict[str, str]:
    out = {}
    for name, keys in _INPUT_FIELDS.items():
        val: Any = ""
        for k in keys:
            v = record.get(k)
            if v:
                val = v
                break
        if not isinstance(val, str):
            val = "" if val is None else str(val)
        out[name] = val
    return out


def score(hits: list[Evidence], lexicon: Lexicon, weights: Weights,
          ) -> tuple[list[str], dict[str, float], float, list[Evidence]]:
    """Lexicon-only strengths (kept for callers of the old API): (labels by strength desc,
    strengths of labels >= label_min, relevance from them, their evidence)."""
    raw = label_strengths(hits, lexicon, weights)
    strengths = {k: round(v, 4) for k, v in raw.items() if v >= weights.label_min}
    labels = sorted(strengths, key=lambda k: (-strengths[k], k))
    total = sum(strengths[k] * weights.priority(k) for k in labels)
    relevance = round(1 - math.exp(-total), 4)
    return labels, strengths, relevance, [h for h in hits if h.label in strengths]


def label_strengths(hits: list[Evidence], lexicon: Lexicon, weights: Weights,
                    min_term_weight: float = 0.0) -> dict[str, float]:
    """strength(label) = label weight x sum over distinct terms of term weight x best field
    weight x (1 + repeat_bonus x min(repeats, repeat_cap))."""
    per: dict[str, dict[str, list[Evidence]]] = {}
    for h in hits:
        per.setdefault(h.label, {}).setdefault(h.term, []).append(h)
    out: dict[str, float] = {}
    for label, terms in per.items():
        raw = 0.0
        for tid, evs in terms.items():
            tw = float(lexicon.term(label, tid).get("weight", 1.0))
            if tw < min_term_weight:
                continue
            best = max(weights.fields.get(e.field, 0.4) for e in evs)
            extra = min(len(evs) - 1, weights.repeat_cap)
            raw += tw * best * (1 + weights.repeat_bonus * extra)
        if raw:
            out[label] = weights.label_weight(label) * raw
    return out


_RULES_FILE = "relevance.toml"


@dataclass(frozen=True)
class SourceInstrument:
    """A ``[[source_instrument]]`` of relevance.toml: every item of ``sources`` is substantively
    about ``instrument`` (rule 4) — the OECD database of specific instances holds only complaints
    under the OECD Guidelines."""

    id: str
    sources: frozenset[str]
    instrument: str
    covers: frozenset[str]  # instruments whose mentions are part of this anchor (no reason of their own)
    themes: re.Pattern[str] | None  # the body line listing the case's themes ([[case_theme]])
    weight: float
    reason: Reason

    @classmethod
    def parse(cls, spec: dict[str, Any]) -> SourceInstrument:
        why = str(spec.get("reason", spec["id"]))
        line = spec.get("themes")
        themes = re.compile(r"^[ \t]*(?:" + line + r")[ \t]*:[ \t]*(.*)$", re.I | re.M) if line else None
        return cls(str(spec["id"]), frozenset(spec.get("sources", [])), str(spec["instrument"]),
                   frozenset(spec.get("covers", [])), themes, float(spec.get("weight", 1.0)),
                   (why, str(spec.get("reason_en", why))))


@dataclass(frozen=True)
class Combo:
    """A ``[[combo]]`` of relevance.toml: a chapter topic and contexts that make an anchor."""

    id: str
    labels: tuple[str, ...]  # chapters whose strong hits must be present
    hit_labels: frozenset[str]  # labels with any hit (only to skip the context look-up)
    needs: tuple[str, ...]  # contexts that must occur, in the order they are looked up
    unless: tuple[str, ...]  # contexts that must not occur
    implies: tuple[str, ...]  # labels the combination gives
    only: frozenset[str]  # the item's labels are limited to these (rule 9)
    weight: float
    reason: Reason  # (Bokmål, English)

    @classmethod
    def parse(cls, spec: dict[str, Any]) -> Combo:
        why = str(spec.get("reason", spec["id"]))
        return cls(str(spec["id"]), tuple(spec.get("labels", [])),
                   frozenset(spec.get("hit_labels", [])), tuple(spec.get("needs", [])),
                   tuple(spec.get("unless", [])), tuple(spec.get("implies", [])),
                   frozenset(spec.get("only", [])), float(spec.get("weight", 0.8)),
                   (why, str(spec.get("reason_en", why))))


class RelevanceRules:
    """``relevance.toml``: contexts (word-prefix patterns), combinations and GPFG grounds."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.version = str(data.get("version", "0"))
        self.contexts: dict[str, re.Pattern[str]] = {}
        self.context_sources: dict[str, tuple[str, ...]] = {}  # str.startswith takes a tuple
        for name, spec in data.get("context", {}).items():
            self.contexts[name] = _word_re(spec.get("patterns", []))
            self.context_sources[name] = tuple(spec.get("sources", []))
        self.combos = [Combo.parse(c) for c in data.get("combo", [])]
        self.grounds = [(g["label"], _word_re(g["patterns"])) for g in data.get("gpfg_ground", [])]
        self.min_term_weight = float(data.get("min_term_weight", 0.6))
        self.irrelevant_sources = tuple(data.get("sources", {}).get("irrelevant", []))
        self.source_instruments: dict[str, SourceInstrument] = {}
        for spec in data.get("source_instrument", []):
            rule = SourceInstrument.parse(spec)
            for name in rule.sources:
                self.source_instruments[name] = rule
        self.case_themes = [(t["label"], _word_re(t["patterns"])) for t in data.get("case_theme", [])]

    @classmethod
    def load(cls, lexicon_dir: str | Path | None = None) -> RelevanceRules:
        if lexicon_dir is not None and (Path(lexicon_dir) / _RULES_FILE).exists():
            raw = (Path(lexicon_dir) / _RULES_FILE).read_bytes()
        else:
            from importlib import resources

            raw = resources.files("nlp.lexicons").joinpath(_RULES_FILE).read_bytes()
        return cls(tomllib.loads(raw.decode("utf-8")))

    def find_contexts(self, text: str, source: str,
                      names: set[str] | None = None) -> frozenset[str]:
        """The contexts (of ``names``, default all) that occur in the lower-cased ``text`` or
        in ``source``."""
        padded = text if text.startswith(" ") else " " + text
        return frozenset(name for name in (self.contexts if names is None else names)
                         if self.has_context(name, padded, source))

    def has_context(self, name: str, padded: str, source: str) -> bool:
        """Whether context ``name`` occurs in ``padded`` (" " + lower-cased text) or ``source``."""
        prefixes = self.context_sources.get(name)
        if prefixes and source and source.startswith(prefixes):
            return True
        rx = self.contexts.get(name)
        return rx is not None and rx.search(padded) is not None


def _word_re(patterns: list[str]) -> re.Pattern[str]:
    """One regex for word-start patterns, matched on LOWER-CASED text with a space prepended
    (see :meth:`RelevanceRules.find_contexts`): plain words go into a trie, regex fragments are
    added as they are; the match consumes the character before the word (faster than a
    look-behind at every position)."""
    pats = [p.lower() for p in patterns]
    plain = sorted({p for p in pats if not re.search(r"[\\.^$*+?{}\[\]|()]", p)})
    other = [p for p in pats if p not in plain]
    alts = ([trie_regex(plain)] if plain else []) + other
    return re.compile(r"[^\w](?:" + ("|".join(alts) or "(?!)") + ")")


def _load_register(lexicon_dir: str | Path | None) -> list[Instrument]:
    if lexicon_dir is not None and (Path(lexicon_dir) / "instruments.toml").exists():
        return load_register(Path(lexicon_dir) / "instruments.toml")
    return load_register()


class Tagger:
    """Language detection + spaCy pipelines (nb, nn, en) + lexicon scoring."""

    def __init__(self, lexicon: Lexicon, weights: Weights,
                 register: list[Instrument] | None = None,
                 rules: RelevanceRules | None = None,
                 options: NlpOptions | None = None) -> None:
        self.options = options if options is not None else DEFAULT_OPTIONS
        self.lexicon = lexicon
        self.weights = weights
        self.register = {i.id: i for i in (register if register is not None else load_register())}
        self.rules = rules if rules is not None else RelevanceRules.load()
        self.matcher = InstrumentMatcher(list(self.register.values()))
        self._pipes: dict[str, Any] = {}
        self._item_rules = self._compile_item_rules()
        # (label, term id) -> (term weight, is anchor, (reason nb, reason en)): read per hit, so
        # looked up once
        self._terms = {(label, t["id"]): (float(t.get("weight", 1.0)), bool(t.get("anchor")),
                                          (t.get("reason") or _term_reason(t, _NB_FIRST),
                                           t.get("reason_en") or _term_reason(t, _EN_FIRST)))
                       for label, spec in lexicon.labels.items() for t in spec["terms"]}

    @classmethod
    def load(cls, lexicon_dir: str | Path | None = None,
             weights_path: str | Path | None = None,
             options: NlpOptions | None = None) -> Tagger:
        """Load lexicons, instrument register and relevance rules (default: shipped in the
        package, ``nlp/lexicons``) and weights. ``weights_path``, when given and existing,
        overrides the shipped ``weights.toml`` (calibration writes there). ``options``: the
        lemma cache directory (:class:`nlp.options.NlpOptions`; nothing is read from the
        environment)."""
        lexicon = load_lexicon(lexicon_dir)
        if weights_path is not None and not os.path.lexists(weights_path):  # something there (a folder, a
            weights_path = None  # link to nothing) is read, and refused by load_weights, never passed over
        if weights_path is None and lexicon_dir is not None:
            candidate = Path(lexicon_dir) / "weights.toml"
            weights_path = candidate if candidate.exists() else None
        return cls(lexicon, load_weights(weights_path), _load_register(lexicon_dir),
                   RelevanceRules.load(lexicon_dir), options)

    @property
    def version(self) -> str:
        h = hashlib.sha256((self.lexicon.digest + self.weights.canonical()
                            + ANALYSIS_REVISION).encode()).hexdigest()
        return f"lex-{self.lexicon.version}+{h[:8]}"

    def pipeline(self, lang: str) -> Any:
        """The spaCy pipeline for ``lang`` (built once). Bokmål and Nynorsk share one Norwegian
        pipeline (``spacy.blank("nb")``): the lemmatizer, its Ordbank tables and the lexicon's
        phrases are the same for both, and one pipeline has one vocabulary and one compiled
        matcher instead of two (about a fifth of tagging time and 17 MB, measured with
        bench/tagger.py). spaCy's Nynorsk tokenizer differs only in abbreviation exceptions and in
        splitting a digit's full stop ("S2." is one token in Bokmål, as in the ordinal "2."):
        on the development sets' 632 items no decision, score or evidence changed.

        Its vocab computes only the lexical attributes tagging reads (``LOWER``, and ``NORM``):
        new word forms are cheaper, and ``token.is_stop``, ``like_num``, ``shape_`` … of forms
        first seen here keep their defaults. A pipeline from :func:`nlp.components.build_pipeline`,
        ``nlp.config`` or ``to_disk`` has spaCy's full set (and the same topic spans)."""
        key = PIPELINE_OF[lang]
        if key not in self._pipes:
            from spacy.attrs import LOWER, NORM

            from .components import build_pipeline

            nlp = build_pipeline(key, lexicon=self.lexicon, cache_dir=self.options.cache_dir)
            getters = nlp.vocab.lex_attr_getters
            nlp.vocab.lex_attr_getters = {k: v for k, v in getters.items() if k in (LOWER, NORM)}
            self._pipes[key] = nlp
        return self._pipes[key]

    def preload(self) -> Tagger:
        """Load everything tagging needs now (lemma tables, the pipelines and their matchers,
        lingua) instead of on first use; returns the tagger."""
        from .langdetect import preload as preload_language

        preload_language(self.options)
        for key in dict.fromkeys(PIPELINE_OF.values()):  # each pipeline once
            nlp = self.pipeline(key)
            for name in ("ncp_lemmatizer", "ncp_topic_matcher"):
                nlp.get_pipe(name).load()
        return self

    def _compile_item_rules(self) -> dict[tuple[str, str], list[tuple[Any, Any]]]:
        from .components import _prefix_regex  # cheap: re only, but keeps one definition

        rules: dict[tuple[str, str], list[tuple[Any, Any]]] = {}
        for label, spec in self.lexicon.labels.items():
            for rule in spec["context"]:
                if int(rule.get("window", 0)):
                    continue
                pair = (_prefix_regex(rule.get("unless", [])), _prefix_regex(rule.get("requires", [])))
                for tid in rule.get("terms", []):
                    rules.setdefault((label, tid), []).append(pair)
        return rules

    # -- analysis -----------------------------------------------------------------------------
    def _prepare(self, record: Any) -> tuple[Any, tuple[str, Any, Any], dict[str, str],
                                             dict[str, tuple[str, Any]]]:
        if not isinstance(record, dict):
            record = {}
        rid = record.get("id")
        raw = _fields(record)
        prepared = {name: prepare(raw[name], name) for name in FIELDS}
        sample = " ".join(prepared[f][0][:300] for f in FIELDS if prepared[f][0].strip())[:400]
        return rid, (sample, record.get("language"), record.get("source")), raw, prepared

    @staticmethod
    def _to_original(prep: tuple[str, Any], s: int, e: int) -> tuple[int, int]:
        return prep[1].span(s, e) if prep[1] is not None else (s, e)

    def _evidence(self, doc: Any, matches: list[tuple[str, str, int, int]],
                  bounds: list[tuple[str, int, int]], prep: dict[str, tuple[str, Any]],
                  raw: dict[str, str]) -> list[Evidence]:
        """Evidence of the matcher's hits (token offsets in the record's Doc) with offsets into
        the original field text."""
        out = []
        for label, tid, start, end in matches:
            last = doc[end - 1]
            s, e = doc[start].idx, last.idx + len(last)
            for name, lo, hi in bounds:
                if lo <= s and e <= hi:
                    s, e = s - lo, e - lo
                    fmap = prep[name][1]
                    if fmap is not None:
                        s, e = fmap.span(s, e)
                    out.append(Evidence(label, name, s, e, raw[name][s:e], tid))
                    break
        return out

    def _instruments(self, prep: dict[str, tuple[str, Any]], raw: dict[str, str],
                     item_text: Any) -> list[Evidence]:
        """Register mentions (the whole text, also past MAX_CHARS), each inside one field. Body
        mentions count only when title and summary name no instrument: then the instruments the
        body names most often (and any named three times or more). So the body — most of the
        text — is scanned only then; title and summary are scanned together, joined by NUL (never
        in prepared text, and matched by no name, abbreviation or identifier: no mention runs from
        one field into the other)."""
        title = prep["title"][0]
        cut = len(title)
        out = []
        for m in self.matcher.find(title + "\0" + prep["summary"][0]):
            name, lo = ("title", 0) if m.end <= cut else ("summary", cut + 1)
            ev = self._mention(m, name, lo, prep, raw, item_text)
            if ev is not None:
                out.append(ev)
        if out:
            return out
        body = []
        for m in self.matcher.find(prep["text"][0]):
            ev = self._mention(m, "text", 0, prep, raw, item_text)
            if ev is not None:
                body.append(ev)
        if not body:
            return []
        counts: dict[str, int] = {}
        for ev in body:
            counts[ev.instrument] = counts.get(ev.instrument, 0) + 1
        top = max(counts.values())
        keep = {k for k, n in counts.items() if n == top or n >= 3}
        return [ev for ev in body if ev.instrument in keep]

    def _mention(self, m: Any, name: str, lo: int, prep: dict[str, tuple[str, Any]],
                 raw: dict[str, str], item_text: Any) -> Evidence | None:
        """The evidence of mention `m` (offsets from `lo` in field `name`), or None when its
        instrument `requires` a word the item lacks or has an `unless` word the item has."""
        ins = self.register[m.instrument]
        if ins.requires or ins.unless:
            text = str(item_text)  # once, not once a word
            if ins.requires and not any(r in text for r in ins.requires):
                return None
            if ins.unless and any(r in text for r in ins.unless):
                return None
        s, e = self._to_original(prep[name], m.start - lo, m.end - lo)
        return Evidence("", name, s, e, raw[name][s:e], "instrument:" + m.how, m.instrument)

    def _context_hits(self, prep: dict[str, tuple[str, Any]], raw: dict[str, str],
                      contexts: frozenset[str]) -> dict[str, list[Evidence]]:
        """Evidence for combinations that imply labels: their contexts' words in the title and
        summary (only for combinations whose contexts are all present)."""
        out: dict[str, list[Evidence]] = {}
        for combo in self.rules.combos:
            if not combo.implies or not contexts.issuperset(combo.needs):
                continue
            evs = []
            for ctx in combo.needs:
                rx = self.rules.contexts.get(ctx)
                for name in ("title", "summary"):
                    text = prep[name][0]
                    if rx is None or not text.strip():
                        continue
                    low = " " + text.lower() if len(text.lower()) == len(text) else " " + text
                    for m in rx.finditer(low):
                        s, e = self._to_original(prep[name], m.start(), m.end() - 1)
                        while e < len(raw[name]) and raw[name][e].isalnum():
                            e += 1
                        evs.append(Evidence("", name, s, e, raw[name][s:e], "combo:" + combo.id))
            out[combo.id] = evs
        return out

    def _grounds(self, prep: dict[str, tuple[str, Any]], raw: dict[str, str]) -> list[Evidence]:
        out = []
        for name in ("title", "summary"):
            text = prep[name][0]
            if not text.strip():
                continue
            low = " " + text.lower() if len(text.lower()) == len(text) else " " + text
            for label, rx in self.rules.grounds:
                for m in rx.finditer(low):
                    s, e = self._to_original(prep[name], m.start(), m.end() - 1)
                    # extend to the end of the word for readable evidence
                    while e < len(raw[name]) and raw[name][e].isalnum():
                        e += 1
                    out.append(Evidence(label, name, s, e, raw[name][s:e], "gpfg-ground"))
        return out

    def _case(self, rule: SourceInstrument, prep: dict[str, tuple[str, Any]],
              raw: dict[str, str]) -> list[Evidence]:
        """The evidence of a [[source_instrument]] item: its title (the case itself; label "") and
        each theme named on its themes line in the body (label: the theme's chapter)."""
        out = []
        if raw["title"].strip():
            out.append(Evidence("", "title", 0, len(raw["title"]), raw["title"], "source:" + rule.id,
                                rule.instrument))
        text = prep["text"][0]
        if rule.themes is None or not text.strip():
            return out
        for line in rule.themes.finditer(text):
            value, lo = line.group(1), line.start(1)
            low = " " + value.lower() if len(value.lower()) == len(value) else " " + value
            for label, rx in self.rules.case_themes:
                for m in rx.finditer(low):
                    s, e = self._to_original(prep["text"], lo + m.start(), lo + m.end() - 1)
                    while e < len(raw["text"]) and raw["text"][e].isalnum():
                        e += 1  # to the end of the word, for readable evidence
                    out.append(Evidence(label, "text", s, e, raw["text"][s:e], "case-theme"))
        return out

    def _filter_item(self, hits: list[Evidence], item_text: _LazyText) -> list[Evidence]:
        rules = self._item_rules
        if not rules or not any((h.label, h.term) in rules for h in hits):
            return hits
        # " " + the lower-cased fields: the patterns' (?<![\w-]) sees the same at the start
        lower = item_text.padded()
        keep = []
        for h in hits:
            ok = True
            for unless, requires in rules.get((h.label, h.term), ()):
                if (unless is not None and unless.search(lower)) or (
                        requires is not None and not requires.search(lower)):
                    ok = False
                    break
            if ok:
                keep.append(h)
        return keep

    def analyse_many(self, records: Iterable[Any]) -> Iterator[Analysis]:
        """Match terms in every record (weight-independent), in input order. Records stream
        through in batches of ``_CHUNK``: at most one batch is held."""
        batch: list[Any] = []
        for rec in records:
            batch.append(rec)
            if len(batch) >= _CHUNK:
                yield from self._analyse_batch(batch)
                batch = []
        if batch:
            yield from self._analyse_batch(batch)

    def _analyse_batch(self, batch: list[Any]) -> list[Analysis]:
        prepared = [self._prepare(r) for r in batch]
        langs = detect_many([p[1] for p in prepared], self.options)
        sources = [p[1][2] if isinstance(p[1][2], str) else "" for p in prepared]
        prepared = [(p[0], lang, p[2], p[3]) for p, lang in zip(prepared, langs, strict=True)]
        hits: list[list[Evidence]] = [[] for _ in prepared]
        by_pipe: dict[str, list[tuple[str, tuple[int, list[tuple[str, int, int]]]]]] = {}
        for i, (_rid, lang, _raw, prep) in enumerate(prepared):
            # One Doc per record: fields joined by a blank-line separator (a whitespace token, so
            # no phrase can match across fields); offsets are mapped back per field.
            parts, bounds, pos = [], [], 0
            for name in FIELDS:
                text = prep[name][0]
                cap = MAX_CHARS.get(name, MAX_CHARS["text"])
                if len(text) > cap:
                    log.info("item %s: %s has %d characters; the lexicons tag the first %d, the "
                             "instrument register scans all of it", _rid, name, len(text), cap)
                    text = text[:cap]
                if text.strip():
                    if parts:
                        parts.append(_SEP)
                        pos += len(_SEP)
                    parts.append(text)
                    bounds.append((name, pos, pos + len(text)))
                    pos += len(text)
            if parts:
                by_pipe.setdefault(PIPELINE_OF[lang], []).append(("".join(parts), (i, bounds)))
        from spacy.attrs import ORTH  # spaCy is imported lazily (cheap here: loaded already)

        for key, items in by_pipe.items():
            nlp = self.pipeline(key)
            # the pipeline's components run directly on each Doc: the ORTH array is read once
            # (lemmas and compound heads), lemmas are matched as a list (not set on the Doc),
            # hits come back as tuples (no Span objects); the
            # whole-item context rules are applied once, by _filter_item, on the record
            make_doc = nlp.make_doc
            lemmatizer = nlp.get_pipe("ncp_lemmatizer")
            matcher = nlp.get_pipe("ncp_topic_matcher")
            matcher.load()  # its patterns and keys are permanent strings: built outside any zone
            # Once the vocab holds _VOCAB_KEEP strings (the common forms are in it then), each
            # batch's new strings and lexemes are freed when it is done (no Doc leaves this
            # block): the vocab stops growing with the number of records tagged. Before, they
            # stay: a zone for every batch would re-create the common forms each time (2x slower)
            zone = (nlp.memory_zone() if len(nlp.vocab.strings) >= _VOCAB_KEEP
                    else contextlib.nullcontext())
            with zone:
                for text, (i, bounds) in items:
                    doc = make_doc(text)
                    if not len(doc):
                        continue
                    orths = doc.to_array(ORTH).tolist()
                    lemmas = lemmatizer.lemma_hashes(doc, orths)
                    matches = matcher.matches(doc, False, orths, lemmas)
                    if matches:
                        hits[i].extend(self._evidence(doc, matches, bounds, prepared[i][3],
                                                      prepared[i][2]))
        out = []
        for i, (rid, lang, raw, prep) in enumerate(prepared):
            texts = [prep[f][0][: MAX_CHARS.get(f, MAX_CHARS["text"])] for f in FIELDS]
            item_text = _LazyText(texts)
            source = sources[i]
            kept = self._filter_item(hits[i], item_text)
            mentions = self._instruments(prep, raw, item_text)
            # only the contexts, grounds and combination evidence the decision can use
            contexts = self._contexts(kept, mentions, item_text, source)
            gpfg = any(h.label == "gpfg" for h in kept) or any(
                "gpfg" in self.register[m.instrument].labels for m in mentions)
            rule = self.rules.source_instruments.get(source)
            out.append(Analysis(
                rid, lang, kept, mentions=mentions, contexts=contexts,
                grounds=self._grounds(prep, raw) if gpfg else [], source=source,
                context_hits=self._context_hits(prep, raw, contexts),
                case=self._case(rule, prep, raw) if rule is not None else []))
        return out

    def _strengths(self, hits: list[Evidence], w: Weights,
                   ) -> tuple[dict[str, float], dict[str, float], list[tuple[float, Reason]]]:
        """One pass over the hits: label strengths (see :func:`label_strengths`), the same from
        terms of weight >= min_term_weight only, and the anchors of anchor terms."""
        per: dict[tuple[str, str], list[Evidence]] = {}
        for h in hits:
            per.setdefault((h.label, h.term), []).append(h)
        strengths: dict[str, float] = {}
        strong: dict[str, float] = {}
        anchors: list[tuple[float, Reason]] = []
        af, fields, mt = w.anchor_fields, w.fields, self.rules.min_term_weight
        terms = self._terms
        for (label, tid), evs in per.items():
            tw, is_anchor, why = terms[(label, tid)]
            lw = w.label_weight(label)
            if len(evs) == 1:
                best = fields.get(evs[0].field, 0.4)
            else:
                best = max([fields.get(e.field, 0.4) for e in evs])
            extra = min(len(evs) - 1, w.repeat_cap)
            st = lw * tw * best * (1 + w.repeat_bonus * extra)
            strengths[label] = strengths.get(label, 0.0) + st
            if tw >= mt:
                strong[label] = strong.get(label, 0.0) + st
            if is_anchor:
                aw = tw * max([af.get(e.field, 0.5) for e in evs]) * lw
                if len(evs) == 1 and evs[0].field == "text":
                    aw *= 0.5  # one passing mention deep in a body is a weak anchor
                anchors.append((aw, why))
        return strengths, strong, anchors

    def _contexts(self, hits: list[Evidence], mentions: list[Evidence], text: Any,
                  source: str) -> frozenset[str]:
        """The contexts the decision can use, looked up lazily: the Norwegian side only for
        instruments with Norwegian-side labels; a combination's contexts only when its labels
        were matched, in order, stopping at the first that is absent."""
        rules = self.rules
        found: dict[str, bool] = {}

        def has(name: str) -> bool:
            if name not in found:
                found[name] = rules.has_context(name, text.padded(), source)
            return found[name]

        if any(self.register[m.instrument].norwegian_side for m in mentions):
            has("norwegian_side")
        mt = rules.min_term_weight
        any_hit = {h.label for h in hits}
        terms = self._terms
        labels = {h.label for h in hits if terms[(h.label, h.term)][0] >= mt}
        for combo in rules.combos:
            if labels.issuperset(combo.labels) and combo.hit_labels <= any_hit and all(
                    has(c) for c in combo.needs):
                for c in combo.unless:
                    has(c)
        return frozenset(k for k, v in found.items() if v)

    def result(self, analysis: Analysis, weights: Weights | None = None) -> TagResult:
        """Decide relevance and labels from a weight-independent analysis (see nlp/README.md).

        Relevant when the item has a business-conduct anchor (an instrument of the register, an
        anchor term, or a combination of relevance.toml) — never for a chapter word alone.
        Labels (only on relevant items): those an instrument implies (rule 4; rule 5 on the
        Norwegian side), lexicon labels of strength >= label_min, and for GPFG items only the
        chapter of a named ground (rule 6). Evidence is gathered last, for the labels given."""
        w = weights or self.weights
        af = w.anchor_fields
        contexts = analysis.contexts
        strengths, strong, anchors = self._strengths(analysis.hits, w)
        source_rule = self.rules.source_instruments.get(analysis.source)
        if not anchors and not analysis.mentions and not contexts and source_rule is None:
            return self._irrelevant(analysis, strengths, anchors, 0.0, w)  # the common case
        # 1. instruments (rule 4, 5)
        ins_labels: dict[str, float] = {}
        best_field: dict[str, float] = {}
        for ev in analysis.mentions:
            best_field[ev.instrument] = max(best_field.get(ev.instrument, 0.0),
                                            af.get(ev.field, 0.5))
        norwegian = "norwegian_side" in contexts
        for iid, fw in best_field.items():
            ins = self.register[iid]
            base = ins.weight * fw
            own = [w.label_weight(lab) for lab in ins.labels]
            for lab, lw in zip(ins.labels, own, strict=True):
                ins_labels[lab] = max(ins_labels.get(lab, 0.0), base * lw)
            if norwegian:
                for lab in ins.norwegian_side:
                    ins_labels[lab] = max(ins_labels.get(lab, 0.0), base * w.label_weight(lab))
            if source_rule is None or iid not in source_rule.covers:
                anchors.append((base * max(own), (f"{ins.name} nevnt", f"{ins.name_en or ins.name} mentioned")))
        # 2. a source whose every item is about an instrument (a specific instance: the OECD Guidelines)
        if source_rule is not None:
            ins = self.register[source_rule.instrument]
            own = [w.label_weight(lab) for lab in ins.labels]
            for lab, lw in zip(ins.labels, own, strict=True):
                ins_labels[lab] = max(ins_labels.get(lab, 0.0), source_rule.weight * lw)
            anchors.append((source_rule.weight * max(own), source_rule.reason))
        # 3. combinations of a chapter topic and a context (the contexts first: most items lack them)
        only: set[str] = set()
        implying: list[Combo] = []  # combinations that gave labels (their evidence comes last)
        for combo in self.rules.combos:
            if not contexts.issuperset(combo.needs) or not contexts.isdisjoint(combo.unless):
                continue
            if not all(strong.get(lab, 0.0) >= w.label_min for lab in combo.labels):
                continue
            aw = combo.weight * max(w.label_weight(lab) for lab in (combo.labels or combo.implies))
            anchors.append((aw, combo.reason))
            only |= combo.only
            for lab in combo.implies:
                ins_labels[lab] = max(ins_labels.get(lab, 0.0), aw)
            if combo.implies:
                implying.append(combo)
        total = sum(a for a, _ in anchors)
        relevance = round(1 - math.exp(-total), 4)
        relevant = relevance >= w.relevance_threshold
        if analysis.source in self.rules.irrelevant_sources:
            relevant, anchors = False, [(0.0, ("selskapets egenpresentasjon", "the company's own presentation"))]
        if not relevant:
            return self._irrelevant(analysis, strengths, anchors, relevance, w)
        final: dict[str, float] = {k: v for k, v in strengths.items() if v >= w.label_min}
        if ins_labels:
            # rule 4: an instrument carries its chapters; another chapter only where it is
            # named as the object (a strong hit, not a word in passing in the summary)
            final = {k: v for k, v in final.items() if k in ins_labels or v >= w.extra_min}
        grounds = "gpfg" in final or "gpfg" in ins_labels
        if grounds:
            # rule 6: a GPFG item gets a chapter only for the ground it names
            final = {k: v for k, v in final.items() if k == "gpfg"}
            for ev in analysis.grounds:
                final[ev.label] = max(final.get(ev.label, 0.0), w.label_weight(ev.label))
        themes = [ev for ev in analysis.case if ev.label] if source_rule is not None else []
        for ev in themes:  # the chapters the case's themes name (rule 4: named as the object)
            final[ev.label] = max(final.get(ev.label, 0.0), w.label_weight(ev.label))
        for lab, st in ins_labels.items():
            if st >= w.label_min:
                final[lab] = max(final.get(lab, 0.0), st) + 0.5 * min(final.get(lab, 0.0), st)
        if only and not analysis.mentions and source_rule is None:
            final = {k: v for k, v in final.items() if k in only}
        if not final:  # rule 1: a relevant item has a label: the strongest anchor's
            cand = {k: v for k, v in {**strengths, **ins_labels}.items() if v > 0}
            if only:
                cand = {k: v for k, v in cand.items() if k in only} or cand
            if cand:
                top = max(cand, key=lambda k: (cand[k], k))
                final[top] = cand[top]
        final = {k: round(v, 4) for k, v in final.items()}
        labels = sorted(final, key=lambda k: (-final[k], k))
        # the evidence of the labels given, per label in this order: lexicon hits, the contexts
        # of combinations that implied it, instrument mentions, GPFG grounds, a case's themes
        evidence: dict[str, list[Evidence]] = {lab: [] for lab in labels}
        for h in analysis.hits:
            if h.label in evidence:
                evidence[h.label].append(h)
        for combo in implying:
            evs = analysis.context_hits.get(combo.id, [])
            for lab in combo.implies:
                if lab in evidence:
                    evidence[lab].extend(Evidence(lab, h.field, h.start, h.end, h.text, h.term)
                                         for h in evs)
        for ev in analysis.mentions:
            ins = self.register[ev.instrument]
            for lab in ins.labels + (ins.norwegian_side if norwegian else ()):
                if lab in evidence:
                    evidence[lab].append(Evidence(lab, ev.field, ev.start, ev.end, ev.text,
                                                  ev.term, ev.instrument))
        if grounds:
            for ev in analysis.grounds:
                if ev.label in evidence:
                    evidence[ev.label].append(ev)
        if source_rule is not None:
            for ev in themes:  # once: a theme the lexicon matched too is its evidence already
                if ev.label in evidence and not any((h.field, h.start, h.end) == (ev.field, ev.start, ev.end)
                                                    for h in evidence[ev.label]):
                    evidence[ev.label].append(ev)
            # the instrument's labels that no mention quotes: the case (its title) is the evidence
            for ev in analysis.case:
                if ev.label:
                    continue
                for lab in self.register[source_rule.instrument].labels:
                    if lab in evidence and not evidence[lab]:
                        evidence[lab].append(Evidence(lab, ev.field, ev.start, ev.end, ev.text,
                                                      ev.term, ev.instrument))
        ev_out = sorted((e for lab in labels for e in evidence[lab]),
                        key=lambda e: (_FIELD_ORDER[e.field], e.start, e.label))
        top = _top_reasons(anchors)
        return TagResult(analysis.id, analysis.language, labels, True, relevance, final, ev_out,
                         "; ".join(nb for nb, _en in top), "; ".join(en for _nb, en in top))

    @staticmethod
    def _irrelevant(analysis: Analysis, strengths: dict[str, float],
                    anchors: list[tuple[float, Reason]], relevance: float, w: Weights) -> TagResult:
        words = sorted({h.text.lower() for h in analysis.hits
                        if strengths.get(h.label, 0.0) >= w.label_min})[:3]
        if anchors:
            top = _top_reasons(anchors)
            reason = "svak forankring: " + "; ".join(nb for nb, _en in top)
            reason_en = "weak anchor: " + "; ".join(en for _nb, en in top)
        elif words:
            reason = "bare kapittelord (" + ", ".join(words) + "), ingen næringslivsvinkel"
            reason_en = "chapter words only (" + ", ".join(words) + "), no business conduct angle"
        else:
            reason = "ingen treff på ansvarlig næringsliv"
            reason_en = "nothing on responsible business conduct"
        return TagResult(analysis.id, analysis.language, [], False, relevance, {}, [], reason,
                         reason_en)

    # -- public ---------------------------------------------------------------------------------
    def tag(self, record: dict[str, Any]) -> TagResult:
        """Tag one record (keys: id, title, summary|description, text|body, language, source)."""
        return next(self.tag_many([record]))

    def tag_many(self, records: Iterable[dict[str, Any]]) -> Iterator[TagResult]:
        """Tag records lazily, in order, with ``nlp.pipe`` (single process)."""
        for analysis in self.analyse_many(records):
            yield self.result(analysis)

    def languages(self, records: Iterable[dict[str, Any]]) -> list[str]:
        """The language ("nb", "nn", "en") each record would be tagged in (its `TagResult.language`),
        detected as tagging does, without the tagging."""
        return detect_many([self._prepare(r)[1] for r in records], self.options)




class _LazyText:
    """The lower-cased item text, joined only when a rule needs it."""

    __slots__ = ("_parts", "_text")

    def __init__(self, parts: list[str]) -> None:
        self._parts, self._text = parts, None

    def padded(self) -> str:
        """" " + the lower-cased text (what the context patterns scan)."""
        if self._text is None:
            self._text = " " + "\n".join(self._parts).lower()
        return self._text

    def __str__(self) -> str:
        return self.padded()


_NB_FIRST, _EN_FIRST = ("nb", "nn", "en"), ("en", "nb", "nn")


def _term_reason(term: dict[str, Any], langs: tuple[str, ...]) -> str:
    """A term as a reason: its first phrase in the first of `langs` that has one, else its id."""
    for lang in langs:
        if term.get(lang):
            return str(term[lang][0])
    return str(term["id"])


def _top_reasons(anchors: list[tuple[float, Reason]], n: int = 3) -> list[Reason]:
    """The `n` strongest anchors' reasons, each once (by its Bokmål wording)."""
    out: list[Reason] = []
    seen: set[str] = set()
    for _w, r in sorted(anchors, key=lambda a: -a[0]):
        if r[0] not in seen:
            seen.add(r[0])
            out.append(r)
        if len(out) == n:
            break
    return out


_DEFAULT: dict[NlpOptions, Tagger] = {}


def default_tagger(options: NlpOptions | None = None) -> Tagger:
    """One shared ``Tagger.load(options=options)`` per process and options (tests, CLI
    helpers)."""
    key = options if options is not None else DEFAULT_OPTIONS
    if key not in _DEFAULT:
        _DEFAULT[key] = Tagger.load(options=key)
    return _DEFAULT[key]
