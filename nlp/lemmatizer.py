"""Compound-aware Norwegian lemmatizer over Norsk Ordbank, plus the English lookup table.

The Norwegian full-form list (``nb_lemma_exc`` in spacy-lookups-data, Norsk Ordbank Bokmål 2005,
Språkbanken / Nasjonalbiblioteket, CC-BY-4.0) is loaded lazily, once per process, from a compact
form → lemma cache (``NlpOptions.cache_dir``, default ``~/.cache/ncp-tracker``, ~14 MB on disk, ~85 MB in memory, 0.2 s). The cache
is built once, in a child process, so that the full JSON table (~190 MB as Python objects) never
sits in a tracker process; where no cache can be written, the table is compacted in-process.
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

import marshal
import os
import subprocess
import sys
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .options import NlpOptions

_LOCK = threading.Lock()
_NB: dict[str, Any] = {}
_EN: dict[str, str] = {}
_NN_SUFFIXES = ("ane", "ene", "ar", "er", "en", "et", "a")
CACHE_MAX = 100_000  # word forms kept per lemmatizer cache (bounded memory on long runs)


def _raw_table_path() -> Path:
    import spacy_lookups_data

    return Path(spacy_lookups_data.__file__).parent / "data" / "nb_lemma_exc.json.gz"


def cache_path(cache_dir: str | Path | None = None) -> Path:
    """Where the compact table is kept: in ``cache_dir`` (default ``~/.cache/ncp-tracker``),
    named by the lookups package's version and the marshal format."""
    import spacy_lookups_data

    base = NlpOptions(cache_dir=Path(cache_dir) if cache_dir else None).lemma_cache_dir
    version = getattr(spacy_lookups_data, "__version__", "0")
    return base / f"nb_lemma_exc-{version}-m{marshal.version}.marshal"


def compact_table() -> dict[str, Any]:
    """The full-form list reduced to what the lemmatizer reads: form → first lemma per part of
    speech (lemma strings shared), and the set of noun lemmas (as a sorted list)."""
    import srsly

    exc = srsly.read_gzip_json(_raw_table_path())
    noun = {form: sys.intern(lemmas[0]) for form, lemmas in exc["noun"].items() if lemmas}
    other = [{form: sys.intern(lemmas[0]) for form, lemmas in exc[pos].items() if lemmas}
             for pos in ("adj", "verb", "adv")]
    return {"noun": noun, "other": other, "noun_lemmas": sorted(set(noun.values()))}


def write_cache(path: Path) -> None:
    """Build the compact table and write it atomically to `path`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_bytes(marshal.dumps(compact_table()))
    tmp.replace(path)


def _read_cache(path: Path) -> dict[str, Any] | None:
    try:
        with path.open("rb") as stream:  # read incrementally: no second copy of the file in memory
            data = marshal.load(stream)
    except (OSError, EOFError, ValueError, TypeError):
        return None
    ok = isinstance(data, dict) and {"noun", "other", "noun_lemmas"} <= set(data)
    return data if ok else None


def _load_nb(cache_dir: str | Path | None = None) -> dict[str, Any]:
    """The Norsk Ordbank tables (once per process; the first caller's ``cache_dir`` decides
    where the compact cache is read or built)."""
    with _LOCK:
        if not _NB:
            path = cache_path(cache_dir)
            data = _read_cache(path) if path.exists() else None
            if data is None:
                try:  # built by a child process: the full JSON never enters this one
                    subprocess.run([sys.executable, "-m", "nlp.lemmatizer", "--build-cache", str(path)],
                                   check=True, timeout=600, capture_output=True)
                    data = _read_cache(path)
                except (OSError, subprocess.SubprocessError):
                    data = None
            if data is None:  # no writable cache here: compact in this process
                data = compact_table()
            _NB["noun"] = data["noun"]
            _NB["other"] = data["other"]
            _NB["noun_lemmas"] = set(data["noun_lemmas"])
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

    def __init__(self, extra_lemmas: Iterable[str] = (), cache_dir: str | Path | None = None) -> None:
        self.extra = {w.strip().lower() for w in extra_lemmas if w.strip()}
        self.cache_dir = cache_dir
        self._cache: dict[str, str] = {}
        self._tables: dict[str, dict] | None = None

    @property
    def tables(self) -> dict[str, dict]:
        if self._tables is None:
            self._tables = _load_nb(self.cache_dir)
        return self._tables

    def load(self) -> None:
        """Load the Norsk Ordbank tables now rather than on the first word."""
        _ = self.tables

    def _is_noun_lemma(self, stem: str) -> bool:
        return stem in self.extra or stem in self.tables["noun_lemmas"]

    def _noun(self, w: str) -> str | None:
        lem = self.tables["noun"].get(w)
        if lem:
            return lem
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
        if len(self._cache) < CACHE_MAX:
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
                return lem
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
        if len(self._cache) < CACHE_MAX:
            self._cache[word] = lemma
        return lemma


if __name__ == "__main__":  # python -m nlp.lemmatizer --build-cache PATH
    if len(sys.argv) == 3 and sys.argv[1] == "--build-cache":
        write_cache(Path(sys.argv[2]))
    else:
        sys.exit("usage: python -m nlp.lemmatizer --build-cache PATH")
