"""The public tagger: ``Tagger.load()``, ``tagger.tag(record)``, ``tagger.tag_many(records)``."""

from __future__ import annotations

import hashlib
import math
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .langdetect import detect_many_async
from .lexicon import FIELDS, Lexicon, Weights, load_lexicon, load_weights
from .textclean import clean, repair

_INPUT_FIELDS = {"title": ("title",), "summary": ("summary", "description"),
                 "text": ("text", "body")}
_CHUNK = 64
_AHEAD = 3  # batches whose language detection runs ahead (helper process)
_SEP = "\n\n\u2029\n\n"
SPANS_KEY = "topics"
_MATCHER_CFG = {"ncp_topic_matcher": {"item_rules": False}}


@dataclass(frozen=True)
class Evidence:
    """One matched term: ``text == original_field_text[start:end]``."""

    label: str
    field: str
    start: int
    end: int
    text: str
    term: str = ""

    def to_json(self) -> dict[str, Any]:
        return {"label": self.label, "field": self.field, "start": self.start, "end": self.end,
                "text": self.text}


@dataclass
class TagResult:
    id: Any
    language: str
    labels: list[str]
    relevant: bool
    relevance: float
    strengths: dict[str, float] = field(default_factory=dict)
    evidence: list[Evidence] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "language": self.language, "labels": list(self.labels),
                "relevant": self.relevant, "relevance": self.relevance,
                "evidence": [e.to_json() for e in self.evidence]}


@dataclass
class Analysis:
    """Weight-independent matching result of one record (re-scored cheaply by calibrate)."""

    id: Any
    language: str
    hits: list[Evidence]


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
    """Return (labels by strength desc, strengths of emitted labels, relevance, evidence)."""
    per: dict[str, dict[str, list[Evidence]]] = {}
    for h in hits:
        per.setdefault(h.label, {}).setdefault(h.term, []).append(h)
    strengths: dict[str, float] = {}
    for label, terms in per.items():
        raw = 0.0
        for tid, evs in terms.items():
            tw = float(lexicon.term(label, tid).get("weight", 1.0))
            best = max(weights.fields.get(e.field, 0.4) for e in evs)
            extra = min(len(evs) - 1, weights.repeat_cap)
            raw += tw * best * (1 + weights.repeat_bonus * extra)
        s = weights.label_weight(label) * raw
        if s >= weights.label_min:
            strengths[label] = round(s, 4)
    labels = sorted(strengths, key=lambda k: (-strengths[k], k))
    total = sum(strengths[k] * weights.priority(k) for k in labels)
    relevance = round(1 - math.exp(-total), 4)
    evidence = [h for h in hits if h.label in strengths]
    return labels, strengths, relevance, evidence


class Tagger:
    """Language detection + spaCy pipelines (nb, nn, en) + lexicon scoring."""

    def __init__(self, lexicon: Lexicon, weights: Weights) -> None:
        self.lexicon = lexicon
        self.weights = weights
        self._pipes: dict[str, Any] = {}
        self._names: dict[int, str] = {}
        self._item_rules = self._compile_item_rules()

    @classmethod
    def load(cls, lexicon_dir: str | Path | None = None,
             weights_path: str | Path | None = None) -> Tagger:
        """Load lexicons (default ``<repo>/data/lexicons``) and weights (``weights.toml`` there)."""
        lexicon = load_lexicon(lexicon_dir)
        if weights_path is None and lexicon_dir is not None:
            candidate = Path(lexicon_dir) / "weights.toml"
            weights_path = candidate if candidate.exists() else None
        return cls(lexicon, load_weights(weights_path))

    @property
    def version(self) -> str:
        h = hashlib.sha256((self.lexicon.digest + self.weights.canonical()).encode()).hexdigest()
        return f"lex-{self.lexicon.version}+{h[:8]}"

    def pipeline(self, lang: str) -> Any:
        """The spaCy pipeline for ``lang`` (built once).

        Its vocab computes only the lexical attributes tagging reads (``LOWER``, and ``NORM``):
        new word forms are cheaper, and ``token.is_stop``, ``like_num``, ``shape_`` … of forms
        first seen here keep their defaults. A pipeline from :func:`nlp.components.build_pipeline`,
        ``nlp.config`` or ``to_disk`` has spaCy's full set (and the same topic spans)."""
        if lang not in self._pipes:
            from spacy.attrs import LOWER, NORM

            from .components import build_pipeline

            nlp = build_pipeline(lang, lexicon=self.lexicon)
            getters = nlp.vocab.lex_attr_getters
            nlp.vocab.lex_attr_getters = {k: v for k, v in getters.items() if k in (LOWER, NORM)}
            for other in ("nb", "nn"):
                if lang in ("nb", "nn") and other in self._pipes:
                    nlp.get_pipe("ncp_lemmatizer").share(self._pipes[other].get_pipe("ncp_lemmatizer"))
            self._pipes[lang] = nlp
        return self._pipes[lang]

    def preload(self) -> Tagger:
        """Load everything tagging needs now (lemma tables, the three pipelines and their
        matchers, lingua) instead of on first use; returns the tagger."""
        from .langdetect import preload as preload_lingua

        lingua_ready = preload_lingua()
        for lang in ("nb", "nn", "en"):
            nlp = self.pipeline(lang)
            for name in ("ncp_lemmatizer", "ncp_topic_matcher"):
                nlp.get_pipe(name).load()
        lingua_ready()
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
        prepared = {}
        for name in FIELDS:
            cleaned = clean(raw[name], name)
            prepared[name] = repair(cleaned) if cleaned.strip() else (cleaned, None)
        sample = " ".join(prepared[f][0][:300] for f in FIELDS if prepared[f][0].strip())[:400]
        return rid, (sample, record.get("language"), record.get("source")), raw, prepared

    def _evidence(self, doc: Any, bounds: list[tuple[str, int, int]],
                  prep: dict[str, tuple[str, Any]], raw: dict[str, str]) -> list[Evidence]:
        out = []
        names = self._names  # label / term id hash -> string (same in every vocab)
        for span in doc.spans.get(SPANS_KEY, []):
            s, e = span.start_char, span.end_char
            for name, lo, hi in bounds:
                if lo <= s and e <= hi:
                    s, e = s - lo, e - lo
                    omap = prep[name][1]
                    if omap is not None:
                        s, e = omap(s), omap(e)
                    label, tid = names.get(span.label), names.get(span.id)
                    if label is None:
                        label = names[span.label] = span.label_
                    if tid is None:
                        tid = names[span.id] = span.id_
                    out.append(Evidence(label, name, s, e, raw[name][s:e], tid))
                    break
        return out

    def _filter_item(self, hits: list[Evidence], texts: list[str]) -> list[Evidence]:
        rules = self._item_rules
        if not rules or not any((h.label, h.term) in rules for h in hits):
            return hits
        lower = "\n".join(texts).lower()
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
        """Match terms in every record (weight-independent), in input order.

        Records stream through in batches of ``_CHUNK``; language detection for up to ``_AHEAD``
        batches ahead runs in the lingua helper process while this batch goes through spaCy, so
        at most ``(_AHEAD + 1) * _CHUNK`` records are held."""
        pending: deque[tuple[list[Any], Any]] = deque()
        batch: list[Any] = []
        for rec in records:
            batch.append(rec)
            if len(batch) >= _CHUNK:
                pending.append(self._start_batch(batch))
                batch = []
                if len(pending) > _AHEAD:
                    yield from self._analyse_batch(*pending.popleft())
        if batch:
            pending.append(self._start_batch(batch))
        while pending:
            yield from self._analyse_batch(*pending.popleft())

    def _start_batch(self, batch: list[Any]) -> tuple[list[Any], Any]:
        prepared = [self._prepare(r) for r in batch]
        return prepared, detect_many_async([p[1] for p in prepared])

    def _analyse_batch(self, prepared: list[Any], languages: Any) -> list[Analysis]:
        langs = languages()
        prepared = [(p[0], lang, p[2], p[3]) for p, lang in zip(prepared, langs, strict=True)]
        hits: list[list[Evidence]] = [[] for _ in prepared]
        by_lang: dict[str, list[tuple[str, tuple[int, list[tuple[str, int, int]]]]]] = {}
        for i, (_rid, lang, _raw, prep) in enumerate(prepared):
            # One Doc per record: fields joined by a blank-line separator (a whitespace token, so
            # no phrase can match across fields); offsets are mapped back per field.
            parts, bounds, pos = [], [], 0
            for name in FIELDS:
                text = prep[name][0]
                if text.strip():
                    if parts:
                        parts.append(_SEP)
                        pos += len(_SEP)
                    parts.append(text)
                    bounds.append((name, pos, pos + len(text)))
                    pos += len(text)
            if parts:
                by_lang.setdefault(lang, []).append(("".join(parts), (i, bounds)))
        for lang, items in by_lang.items():
            nlp = self.pipeline(lang)
            # the whole-item context rules are applied once, by _filter_item, on the record
            for doc, (i, bounds) in nlp.pipe(items, as_tuples=True, batch_size=128,
                                             component_cfg=_MATCHER_CFG):
                hits[i].extend(self._evidence(doc, bounds, prepared[i][3], prepared[i][2]))
        out = []
        for i, (rid, lang, _raw, prep) in enumerate(prepared):
            texts = [prep[f][0] for f in FIELDS]
            out.append(Analysis(rid, lang, self._filter_item(hits[i], texts)))
        return out

    def result(self, analysis: Analysis, weights: Weights | None = None) -> TagResult:
        w = weights or self.weights
        labels, strengths, relevance, evidence = score(analysis.hits, self.lexicon, w)
        return TagResult(analysis.id, analysis.language, labels, relevance >= w.relevance_threshold,
                         relevance, strengths, evidence)

    # -- public ---------------------------------------------------------------------------------
    def tag(self, record: dict[str, Any]) -> TagResult:
        """Tag one record (keys: id, title, summary|description, text|body, language, source)."""
        return next(self.tag_many([record]))

    def tag_many(self, records: Iterable[dict[str, Any]]) -> Iterator[TagResult]:
        """Tag records lazily, in order, with ``nlp.pipe`` (single process)."""
        for analysis in self.analyse_many(records):
            yield self.result(analysis)




_DEFAULT: list[Tagger] = []


def default_tagger() -> Tagger:
    """One shared ``Tagger.load()`` per process (tests, CLI helpers)."""
    if not _DEFAULT:
        _DEFAULT.append(Tagger.load())
    return _DEFAULT[0]
