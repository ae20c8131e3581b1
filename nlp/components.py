"""spaCy factories: ``ncp_lemmatizer`` and ``ncp_topic_matcher`` (registered on import).

Build a pipeline with :func:`build_pipeline` or from a config (``nlp.config``); both components
serialise with ``nlp.to_disk`` / ``spacy.load`` (import ``nlp.components`` first).
"""

from __future__ import annotations

import re
from itertools import compress
from pathlib import Path
from typing import Any

import numpy
import srsly
from spacy.attrs import LEMMA, LOWER, ORTH, SPACY
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from .instruments import trie_regex
from .lemmatizer import EnglishLemmatizer, NorwegianLemmatizer
from .lexicon import Lexicon, load_lexicon

SPANS_KEY = "topics"
HEAD_MIN = 4
_CACHE_MAX = 100_000  # word forms per cache (lemmas, heads, strings): bounded memory


@Language.factory("ncp_lemmatizer",
                  default_config={"mode": "nb", "extra_lemmas": [], "cache_dir": ""})
def make_lemmatizer(nlp: Language, name: str, mode: str, extra_lemmas: list[str],
                    cache_dir: str) -> Lemmatizer:
    return Lemmatizer(mode, extra_lemmas, cache_dir or None)


class Lemmatizer:
    """Sets ``token.lemma_`` (lower case): Norsk Ordbank compound lemmatizer for nb/nn, English
    lookup table for en."""

    def __init__(self, mode: str, extra_lemmas: list[str] | None = None,
                 cache_dir: str | Path | None = None) -> None:
        if mode not in ("nb", "nn", "en"):
            raise ValueError(f"ncp_lemmatizer: unknown mode {mode!r}")
        self.mode = mode
        self.extra_lemmas = list(extra_lemmas or [])
        self.cache_dir = str(cache_dir) if cache_dir else ""
        self._fn: Any = None
        self._cache: dict[int, int] = {}

    @property
    def fn(self) -> Any:
        if self._fn is None:
            self._fn = (EnglishLemmatizer() if self.mode == "en"
                        else NorwegianLemmatizer(self.extra_lemmas, self.cache_dir or None))
        return self._fn

    def load(self) -> None:
        """Load the lemma tables now rather than on the first Doc."""
        self.fn.load()

    def _lemma_hash(self, strings: Any, orth: int) -> int:
        return strings.add(self._lemma_text(strings[orth]))

    def _lemma_text(self, text: str) -> str:
        if text.isupper() and len(text) <= 8:  # acronyms (AI, CSRD, NIM) are not inflected
            lemma = text.lower()
        elif len(text) > 3 and text.endswith("-") and self.mode != "en":
            lemma = self.fn(text[:-1].lower())  # truncated compound: "miljø- og sosiale"
        elif self.mode == "en":
            lemma = self.fn(text)
        else:
            lemma = self.fn(text.lower())
        return lemma

    def __call__(self, doc: Doc) -> Doc:
        """doc (Doc): The Doc object in the pipeline. RETURNS (Doc): the Doc with lemmas set.

        Works on the ORTH array (no Token objects) with a per-form cache: known forms are looked
        up in C (``map``), only new forms run Python code."""
        if len(doc):
            orths = doc.to_array(ORTH).tolist()
            self.set_lemmas(doc, orths)
            # a lemma cached while the Tagger tagged inside a memory zone may have lost its
            # string since: add it back, so that token.lemma_ reads
            strings, cache = doc.vocab.strings, self._cache
            for orth in set(orths):
                lemma = cache.get(orth)
                if lemma is not None and lemma not in strings:
                    strings.add(self._lemma_text(strings[orth]))
        return doc

    def set_lemmas(self, doc: Doc, orths: list[int]) -> None:
        """Set the lemmas of ``doc``, whose ORTH hashes are ``orths`` (non-empty)."""
        lemmas = self.lemma_hashes(doc, orths)
        doc.from_array([LEMMA], numpy.asarray(lemmas, dtype="uint64").reshape(-1, 1))

    def lemma_hashes(self, doc: Doc, orths: list[int]) -> list[int]:
        """The LEMMA hashes of the tokens of ``doc`` (ORTH hashes ``orths``), not set on it."""
        cache = self._cache
        lemmas = list(map(cache.get, orths))
        if None in lemmas:
            strings = doc.vocab.strings
            new = {o: self._lemma_hash(strings, o) for o in set(orths).difference(cache)}
            if len(cache) + len(new) <= _CACHE_MAX:
                cache.update(new)
                lemmas = list(map(cache.__getitem__, orths))
            else:  # cache full: keep it as it is (the lemmas are the same either way)
                lemmas = [cache[o] if o in cache else new[o] for o in orths]
        return lemmas

    def to_disk(self, path: str | Path, *, exclude: tuple = ()) -> None:
        p = Path(path)
        p.mkdir(parents=True, exist_ok=True)
        srsly.write_json(p / "cfg.json", {"mode": self.mode, "extra_lemmas": self.extra_lemmas,
                                          "cache_dir": self.cache_dir})

    def from_disk(self, path: str | Path, *, exclude: tuple = ()) -> Lemmatizer:
        cfg = srsly.read_json(Path(path) / "cfg.json")
        self.__init__(cfg["mode"], cfg["extra_lemmas"], cfg.get("cache_dir") or None)
        return self


@Language.factory("ncp_topic_matcher", default_config={"lexicon_dir": ""})
def make_topic_matcher(nlp: Language, name: str, lexicon_dir: str) -> TopicMatcher:
    return TopicMatcher(nlp, lexicon_dir)


_WS = ("", " ")


class _StrCache(dict):
    """Hash -> string of a StringStore, decoded once per hash (at most ``_CACHE_MAX`` kept)."""

    def __init__(self, strings: Any) -> None:
        super().__init__()
        self._strings = strings

    def __missing__(self, key: int) -> str:
        text = self._strings[key]
        if len(self) < _CACHE_MAX:
            self[key] = text
        return text


def _lower_text(doc: Doc, strs: Any = None) -> str:
    """``doc.text.lower()`` from the LOWER/SPACY arrays, token by token (no Token objects: much
    faster). ``strs`` maps a hash to its string (default: the vocab's StringStore)."""
    if not len(doc):
        return ""
    if strs is None:
        strs = doc.vocab.strings
    arr = doc.to_array([LOWER, SPACY])
    parts: list[str] = [""] * (2 * len(arr))
    parts[::2] = map(strs.__getitem__, arr[:, 0].tolist())
    parts[1::2] = map(_WS.__getitem__, arr[:, 1].tolist())
    return "".join(parts)


_ASCII = str.maketrans({"å": "aa", "Å": "Aa", "ø": "oe", "Ø": "Oe", "æ": "ae", "Æ": "Ae"})


def ascii_spelling(text: str) -> str:
    """The ASCII spelling people type without a Norwegian keyboard (åpenhet -> aapenhet)."""
    return text.translate(_ASCII)


def _prefix_regex(prefixes: list[str]) -> re.Pattern[str] | None:
    """Whether (``.search``) a word starting with one of ``prefixes`` occurs in lower-cased
    text: one trie-shaped alternation after a start or a character that is neither a word
    character nor "-" (consumed: faster than a look-behind at every position)."""
    alts = sorted({p.lower() for p in prefixes if p})
    if not alts:
        return None
    return re.compile(r"(?:^|[^\w-])(?:" + trie_regex(alts, re.escape) + ")")


class _HeadCache(dict):
    """ORTH hash -> matched head of its lower-case form (or None), computed on first lookup; at
    most ``_CACHE_MAX`` forms are kept (later new forms are recomputed each time)."""

    def __init__(self, head: Any, strings: Any) -> None:
        super().__init__()
        self._headfn, self._strings = head, strings

    def __missing__(self, orth: int) -> str | None:
        head = self._headfn(self._strings[orth].lower())  # = the LOWER attribute's string
        if len(self) < _CACHE_MAX:
            self[orth] = head
        return head


class TopicMatcher:
    """Finds lexicon terms: a PhraseMatcher on LEMMA, plus ONE alternation regex ``^(?:h1|h2|…)``
    on LOWER for terms that also match as the head of a longer compound
    (``aktsomhetsvurderingsplikten``). Token-window context rules drop misleading hits. Results go
    to ``doc.spans["topics"]`` (``span.label_`` = label, ``span.id_`` = term id)."""

    def __init__(self, nlp: Language, lexicon_dir: str = "",
                 lexicon: Lexicon | None = None) -> None:
        self.nlp = nlp
        self.lexicon_dir = lexicon_dir
        self.lexicon = lexicon
        self._ready = False

    # -- building ---------------------------------------------------------------------------
    def _lemmatize(self, text: str) -> Doc:
        doc = self.nlp.make_doc(text)
        if "ncp_lemmatizer" in self.nlp.pipe_names:
            doc = self.nlp.get_pipe("ncp_lemmatizer")(doc)
        return doc

    def _build(self) -> None:
        if self.lexicon is None:
            self.lexicon = load_lexicon(self.lexicon_dir or None)
        self.matcher = PhraseMatcher(self.nlp.vocab, attr="LEMMA")
        # the same phrases as lemma hashes (matched on a list of lemma hashes, without setting
        # them on the Doc: see ``matches``): the first lemmas of all phrases, one-token phrases
        # by lemma, longer ones by their first two lemmas, shortest first
        self._firsts: set[int] = set()
        self._singles: dict[int, list[tuple[str, str]]] = {}  # one-token phrases by lemma
        self._pairs: dict[tuple[int, int], list[tuple[int, list[int], tuple[str, str]]]] = {}
        self.heads: dict[str, list[tuple[str, str]]] = {}
        self.rules: dict[tuple[str, str], list[dict[str, Any]]] = {}
        # rules with a token window; the others (window = 0) look at the whole item
        self.window_rules: dict[tuple[str, str], list[dict[str, Any]]] = {}
        for label, spec in self.lexicon.labels.items():
            for term in spec["terms"]:
                phrases = {p for lang in ("nb", "nn", "en") for p in term[lang] if p.strip()}
                phrases |= {ascii_spelling(p) for p in phrases}  # aapenhetsloven, baerekraft
                docs = [self._lemmatize(p) for p in sorted(phrases)]
                self.matcher.add(f"{label}|{term['id']}", [d for d in docs if len(d)])
                for d in docs:
                    if len(d):
                        seq = [int(x) for x in d.to_array(LEMMA).ravel()]
                        self._firsts.add(seq[0])
                        if len(seq) == 1:
                            self._singles.setdefault(seq[0], []).append((label, term["id"]))
                        else:
                            self._pairs.setdefault((seq[0], seq[1]), []).append(
                                (len(seq), seq, (label, term["id"])))
                for h in {*term["heads"], *map(ascii_spelling, term["heads"])}:
                    if len(h) >= HEAD_MIN:
                        pairs = self.heads.setdefault(h.lower(), [])
                        if (label, term["id"]) not in pairs:
                            pairs.append((label, term["id"]))
            for rule in spec["context"]:
                compiled = dict(rule)
                compiled["_re"] = _prefix_regex(rule.get("unless", []))
                compiled["_req"] = _prefix_regex(rule.get("requires", []))
                for tid in rule.get("terms", []):
                    self.rules.setdefault((label, tid), []).append(compiled)
                    if int(rule.get("window", 0)):
                        self.window_rules.setdefault((label, tid), []).append(compiled)
        for longer in self._pairs.values():
            longer.sort(key=lambda e: e[0])
        alts = sorted(self.heads, key=lambda s: (-len(s), s))
        self.head_re = re.compile("^(?:" + "|".join(re.escape(a) for a in alts) + ")") if alts else None
        self._head_cache = _HeadCache(self._head, self.nlp.vocab.strings)
        self._match_keys: dict[int, tuple[str, str]] = {}
        self._strs = _StrCache(self.nlp.vocab.strings)
        self._ready = True

    def initialize(self, get_examples: Any = None, *, nlp: Language | None = None) -> None:
        self._build()

    def load(self) -> None:
        """Build the matcher now rather than on the first Doc."""
        if not self._ready:
            self._build()

    # -- matching ---------------------------------------------------------------------------
    def _head(self, lower: str) -> str | None:
        if len(lower) < HEAD_MIN or self.head_re is None:
            return None
        m = self.head_re.match(lower)
        return m.group(0) if m else None

    def _keep(self, doc: Doc, rules: list[dict[str, Any]], start: int, end: int,
              lowered: dict[str, Any]) -> bool:
        if not rules:
            return True

        def lower() -> str:  # the Doc's lower-cased text, made only when a rule reads it
            if "text" not in lowered:
                lowered["text"] = _lower_text(doc, self._strs)
            return lowered["text"]

        for rule in rules:
            window = int(rule.get("window", 0))
            if rule["_re"] is not None:
                if window:
                    if "lows" not in lowered:
                        lowered["lows"] = doc.to_array(LOWER).tolist()
                    lows, strs = lowered["lows"], self._strs.__getitem__
                    lo, hi = max(0, start - window), min(len(doc), end + window)
                    around = " ".join(map(strs, lows[lo:start])) + " | " + " ".join(
                        map(strs, lows[end:hi]))
                    if rule["_re"].search(around):
                        return False
                elif rule["_re"].search(lower()):
                    return False
            if rule["_req"] is not None and not rule["_req"].search(lower()):
                return False
        return True

    def __call__(self, doc: Doc, item_rules: bool = True) -> Doc:
        """doc (Doc): The Doc object in the pipeline. item_rules (bool): apply the context rules
        that look at the whole Doc (``window = 0``); the Tagger passes False because it applies
        them itself, per record, on the record's text.
        RETURNS (Doc): the Doc with ``doc.spans["topics"]`` set."""
        doc.spans[SPANS_KEY] = [Span(doc, start, end, label=label, span_id=tid)
                                for label, tid, start, end in self.matches(doc, item_rules)]
        return doc

    def matches(self, doc: Doc, item_rules: bool = True, orths: list[int] | None = None,
                lemmas: list[int] | None = None) -> list[tuple[str, str, int, int]]:
        """The kept hits of a lemmatized ``doc`` as (label, term id, start token, end token), in
        the order of ``doc.spans["topics"]``; ``orths``: its ORTH hashes, if already read (the
        Tagger reads them once for lemmas and heads, and makes no Span objects); ``lemmas``: its
        LEMMA hashes, when they are not set on the Doc (then matched here, not by the
        PhraseMatcher: the same hits)."""
        if not self._ready:
            self._build()
        rules = self.rules if item_rules else self.window_rules
        found: dict[tuple[str, str, int], tuple[int, int]] = {}
        if lemmas is None:
            keys = self._match_keys
            for match_id, start, end in self.matcher(doc):
                lt = keys.get(match_id)
                if lt is None:
                    lt = keys[match_id] = tuple(self.nlp.vocab.strings[match_id].split("|", 1))
                key = (*lt, start)
                if key not in found or found[key][1] < end:
                    found[key] = (start, end)
        else:
            singles, pairs = self._singles, self._pairs
            last = len(lemmas) - 1
            for start in compress(range(len(lemmas)), map(self._firsts.__contains__, lemmas)):
                first = lemmas[start]
                for lt in singles.get(first, ()):
                    key = (*lt, start)
                    if key not in found:
                        found[key] = (start, start + 1)
                if start < last:
                    for n, seq, lt in pairs.get((first, lemmas[start + 1]), ()):
                        end = start + n
                        if n == 2 or lemmas[start:end] == seq:
                            key = (*lt, start)
                            if key not in found or found[key][1] < end:
                                found[key] = (start, end)
        lowered: dict[str, Any] = {}
        if self.head_re is not None and len(doc):
            # Head of each token's lower-case form, looked up per form in C (``map`` over the
            # ORTH array); only forms not seen before run the regex.
            if orths is None:
                orths = doc.to_array(ORTH).tolist()
            heads = list(map(self._head_cache.__getitem__, orths))
            for i in compress(range(len(heads)), heads):
                for label, tid in self.heads[heads[i]]:
                    found.setdefault((label, tid, i), (i, i + 1))
        out = []  # by position, then label and term id (hits on one span in a fixed order)
        for (label, tid, _), (start, end) in sorted(found.items(), key=lambda kv: (kv[1], kv[0])):
            if self._keep(doc, rules.get((label, tid), ()), start, end, lowered):
                out.append((label, tid, start, end))
        return out

    # -- serialisation ----------------------------------------------------------------------
    def to_disk(self, path: str | Path, *, exclude: tuple = ()) -> None:
        if self.lexicon is None:
            self.lexicon = load_lexicon(self.lexicon_dir or None)
        p = Path(path)
        p.mkdir(parents=True, exist_ok=True)
        srsly.write_json(p / "lexicon.json", self.lexicon.to_data())

    def from_disk(self, path: str | Path, *, exclude: tuple = ()) -> TopicMatcher:
        self.lexicon = Lexicon.from_data(srsly.read_json(Path(path) / "lexicon.json"))
        self._ready = False
        return self


_CODE_FULL_STOP = (r"(?<=[A-Za-zÆØÅæøå][0-9])\.", r"(?<=[A-Za-zÆØÅæøå][0-9][0-9])\.")


def build_pipeline(lang: str, lexicon_dir: str | Path | None = None,
                   lexicon: Lexicon | None = None, cache_dir: str | Path | None = None) -> Language:
    """``spacy.blank(lang)`` + ``ncp_lemmatizer`` + ``ncp_topic_matcher``; ``cache_dir``: where
    the lemma cache lives (see :class:`nlp.options.NlpOptions`)."""
    import spacy

    if lexicon is None:
        lexicon = load_lexicon(lexicon_dir)
    nlp = spacy.blank(lang)
    if lang == "nb":
        # Bokmål's tokenizer keeps a number's full stop (the ordinal "2."), also after a code
        # ending in a digit: "IFRS S2." at a sentence's end was one token "S2." and missed the
        # term "IFRS S2". A full stop after letter(s) + one or two digits is split off.
        from spacy.util import compile_suffix_regex

        suffixes = [*nlp.Defaults.suffixes, *_CODE_FULL_STOP]
        nlp.tokenizer.suffix_search = compile_suffix_regex(suffixes).search
    nlp.add_pipe("ncp_lemmatizer", config={"mode": lang, "extra_lemmas": lexicon.extra_lemmas,
                                           "cache_dir": str(cache_dir or "")})
    matcher = nlp.add_pipe("ncp_topic_matcher", config={"lexicon_dir": str(lexicon_dir or "")})
    matcher.lexicon = lexicon
    return nlp
