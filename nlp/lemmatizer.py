"""Compound-aware Norwegian lemmatizer over Norsk Ordbank, plus the English lookup table.

The Norwegian full-form list (``nb_lemma_exc`` in spacy-lookups-data, Norsk Ordbank Bokmål 2005,
Språkbanken / Nasjonalbiblioteket, CC-BY-4.0) is loaded lazily, once per process (~1 s, ~160 MB).
Rules, in order, for a lower-cased word:

1. hyphenated word: lemmatize the last part (``KI-forordningen`` -> ``ki-forordning``);
2. a known noun full form -> its lemma (``virksomheter`` -> ``virksomhet``);
3. Nynorsk / radical Bokmål endings (-a, -ar, -ane, -ene, -er, -en, -et) whose stem is a known noun
   lemma or in the Nynorsk supplement (``lova`` -> ``lov``, ``verksemder`` -> ``verksemd``);
4. a known adjective / verb / adverb full form;
5. a genitive -s on a known noun (``forbrukernes`` -> ``forbruker``);
6. the longest known noun *tail* (>= 4 letters, head >= 3) keeps the compound head
   (``aktsomhetsvurderinger`` -> ``aktsomhetsvurdering``, ``openheitslova`` -> ``openheitslov``);
7. otherwise the word itself.

Results are cached per word form.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from pathlib import Path

_LOCK = threading.Lock()
_NB: dict[str, dict] = {}
_EN: dict[str, str] = {}
_NN_SUFFIXES = ("ane", "ene", "ar", "er", "en", "et", "a")


def _load_nb() -> dict[str, dict]:
    with _LOCK:
        if not _NB:
            import spacy_lookups_data
            import srsly

            path = Path(spacy_lookups_data.__file__).parent / "data" / "nb_lemma_exc.json.gz"
            exc = srsly.read_gzip_json(path)
            noun = exc["noun"]
            _NB["noun"] = noun
            _NB["other"] = [exc["adj"], exc["verb"], exc["adv"]]
            _NB["noun_lemmas"] = {lem[0] for lem in noun.values() if lem}
    return _NB


def _load_en() -> dict[str, str]:
    with _LOCK:
        if not _EN:
            import spacy_lookups_data
            import srsly

            path = Path(spacy_lookups_data.__file__).parent / "data" / "en_lemma_lookup.json.gz"
            _EN.update(srsly.read_gzip_json(path))
    return _EN


class NorwegianLemmatizer:
    """Lemmatize Bokmål and Nynorsk word forms (lower-cased lemmas)."""

    def __init__(self, extra_lemmas: Iterable[str] = ()) -> None:
        self.extra = {w.strip().lower() for w in extra_lemmas if w.strip()}
        self._cache: dict[str, str] = {}
        self._tables: dict[str, dict] | None = None

    @property
    def tables(self) -> dict[str, dict]:
        if self._tables is None:
            self._tables = _load_nb()
        return self._tables

    def load(self) -> None:
        """Load the Norsk Ordbank tables now rather than on the first word."""
        _ = self.tables

    def _is_noun_lemma(self, stem: str) -> bool:
        return stem in self.extra or stem in self.tables["noun_lemmas"]

    def _noun(self, w: str) -> str | None:
        lem = self.tables["noun"].get(w)
        if lem:
            return lem[0]
        if w in self.extra:
            return w
        for suf in _NN_SUFFIXES:
            if w.endswith(suf) and len(w) - len(suf) >= 3:
                stem = w[: -len(suf)]
                if self._is_noun_lemma(stem):
                    return stem
        return None

    def _compound(self, w: str) -> str | None:
        for i in range(3, len(w) - 3):
            tail = self._noun(w[i:])
            if tail is not None:
                return w[:i] + tail
        return None

    def __call__(self, word: str) -> str:
        w = word.lower()
        hit = self._cache.get(w)
        if hit is not None:
            return hit
        lemma = self._lemma(w)
        if len(self._cache) < 500_000:
            self._cache[w] = lemma
        return lemma

    def _lemma(self, w: str) -> str:
        if not w or len(w) > 60 or not any(c.isalpha() for c in w):
            return w
        if "-" in w.strip("-"):
            head, _, last = w.rpartition("-")
            return f"{head}-{self(last)}" if last else w
        found = self._noun(w)
        if found:
            return found
        for table in self.tables["other"]:
            lem = table.get(w)
            if lem:
                return lem[0]
        if w.endswith("s") and len(w) > 4:
            base = self._noun(w[:-1]) or self._compound(w[:-1])
            if base:
                return base
        return self._compound(w) or w


class EnglishLemmatizer:
    """spaCy's English lookup table (``en_lemma_lookup``), lower-cased, cached."""

    def __init__(self) -> None:
        self._cache: dict[str, str] = {}

    def load(self) -> None:
        """Load the lookup table now rather than on the first word."""
        _load_en()

    def __call__(self, word: str) -> str:
        hit = self._cache.get(word)
        if hit is not None:
            return hit
        table = _load_en()
        lemma = (table.get(word) or table.get(word.lower()) or word).lower()
        if len(self._cache) < 500_000:
            self._cache[word] = lemma
        return lemma
