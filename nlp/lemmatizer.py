"""Compound-aware Norwegian lemmatizer over Norsk Ordbank, plus the English lookup table.

The Norwegian full-form list (``nb_lemma_exc`` in spacy-lookups-data, Norsk Ordbank Bokmål 2005,
Språkbanken / Nasjonalbiblioteket, CC-BY-4.0) is read lazily, once per process, from marisa tries
in a cache directory (``NlpOptions.cache_dir``, default ``~/.cache/ncp-tracker``; ~5 MB on disk,
memory-mapped; the same table as Python dicts was ~90 MB of the tagger's memory). The cache is
built once, in a child process, so that the full JSON table (~190 MB as Python objects) never
sits in a tracker process; where no cache can be written, the tries are built in-process.
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

import json
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .options import NlpOptions

_LOCK = threading.Lock()
_NB: list[OrdbankTables] = []
_EN: dict[str, str] = {}
_NN_SUFFIXES = ("ane", "ene", "ar", "er", "en", "et", "a")
CACHE_MAX = 100_000  # word forms kept per lemmatizer cache (bounded memory on long runs)
_POS = ("noun", "adj", "verb", "adv")
_FORMAT = "trie1"  # the cache's layout: bump when OrdbankTables changes what it writes


def _raw_table_path() -> Path:
    import spacy_lookups_data

    return Path(spacy_lookups_data.__file__).parent / "data" / "nb_lemma_exc.json.gz"


def cache_path(cache_dir: str | Path | None = None) -> Path:
    """Where the compact tables are kept: a directory in ``cache_dir`` (default
    ``~/.cache/ncp-tracker``), named by the lookups package's version and the cache's layout."""
    import spacy_lookups_data

    base = NlpOptions(cache_dir=Path(cache_dir) if cache_dir else None).lemma_cache_dir
    version = getattr(spacy_lookups_data, "__version__", "0")
    return base / f"nb_lemma_exc-{version}-{_FORMAT}"


class OrdbankTables:
    """Norsk Ordbank's full forms as marisa tries (~5 MB; the same table as Python dicts is
    ~90 MB): per part of speech form → lemma id, the lemmas, and the noun lemmas. Read from a
    cache directory by memory-mapping (pages load on use) or built in memory."""

    def __init__(self, tries: dict[str, Any]) -> None:
        self._lemmas = tries["lemmas"]
        self._noun = tries["noun"]
        self._other = [tries[pos] for pos in _POS[1:]]
        self._noun_lemmas = tries["noun_lemmas"]

    @classmethod
    def build(cls) -> OrdbankTables:
        """From spacy-lookups-data's full-form list (~190 MB as Python objects while it runs):
        per part of speech, each form's first lemma."""
        import marisa_trie
        import srsly

        exc = srsly.read_gzip_json(_raw_table_path())
        firsts = {pos: {form: lemmas[0] for form, lemmas in exc[pos].items() if lemmas}
                  for pos in _POS}
        del exc
        lemmas = marisa_trie.Trie({lem for table in firsts.values() for lem in table.values()})
        tries: dict[str, Any] = {"lemmas": lemmas,
                                 "noun_lemmas": marisa_trie.Trie(set(firsts["noun"].values()))}
        for pos, table in firsts.items():
            tries[pos] = marisa_trie.RecordTrie("<I", [(f, (lemmas[lem],)) for f, lem in table.items()])
        return cls(tries)

    def save(self, path: Path) -> None:
        """Write the tries into the directory `path` atomically (a sibling temporary directory,
        renamed when complete; its manifest, written last, records every file's size)."""
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir()
        sizes = {}
        for name, trie in self._named().items():
            trie.save(str(tmp / f"{name}.marisa"))
            sizes[name] = (tmp / f"{name}.marisa").stat().st_size
        (tmp / "manifest.json").write_text(json.dumps(sizes), encoding="utf-8")
        try:
            tmp.rename(path)
        except OSError:  # another process finished first (or an old broken copy is in the way)
            shutil.rmtree(tmp, ignore_errors=True)
            if _open(path) is None:
                shutil.rmtree(path, ignore_errors=True)
                raise

    def _named(self) -> dict[str, Any]:
        return {"lemmas": self._lemmas, "noun_lemmas": self._noun_lemmas,
                **dict(zip(_POS, (self._noun, *self._other), strict=True))}

    def _lemma(self, hit: list[tuple[int]] | None) -> str | None:
        return self._lemmas.restore_key(hit[0][0]) if hit else None

    def noun(self, form: str) -> str | None:
        """The lemma of a noun full form, or None."""
        return self._lemma(self._noun.get(form))

    def other(self, form: str) -> str | None:
        """The lemma of an adjective, verb or adverb full form (in that order), or None."""
        for trie in self._other:
            hit = trie.get(form)
            if hit:
                return self._lemma(hit)
        return None

    def is_noun_lemma(self, word: str) -> bool:
        return word in self._noun_lemmas

    def is_form(self, word: str) -> bool:
        """Whether `word` is a full form of any part of speech in the table."""
        return word in self._noun or any(word in trie for trie in self._other)


def _open(path: Path) -> OrdbankTables | None:
    """The tables memory-mapped from the cache directory `path`, or None where it is missing,
    incomplete or unreadable."""
    import marisa_trie

    try:
        sizes = json.loads((path / "manifest.json").read_text(encoding="utf-8"))
        if set(sizes) != {"lemmas", "noun_lemmas", *_POS}:
            return None
        tries: dict[str, Any] = {}
        for name, size in sizes.items():
            file = path / f"{name}.marisa"
            if file.stat().st_size != size:
                return None
            trie = marisa_trie.RecordTrie("<I") if name in _POS else marisa_trie.Trie()
            tries[name] = trie.mmap(str(file))
    except (OSError, ValueError, TypeError, AttributeError, RuntimeError):
        return None
    return OrdbankTables(tries)


def write_cache(path: Path) -> None:
    """Build the tables and write them to the cache directory `path`."""
    OrdbankTables.build().save(path)


def _load_nb(cache_dir: str | Path | None = None) -> OrdbankTables:
    """The Norsk Ordbank tables (once per process; the first caller's ``cache_dir`` decides
    where the cache is read or built)."""
    with _LOCK:
        if not _NB:
            path = cache_path(cache_dir)
            tables = _open(path) if path.exists() else None
            if tables is None and path.exists():
                # the cache only appears complete (renamed into place): opened again in case
                # another process (a parallel test worker, a second run) just put it there
                tables = _open(path)
                if tables is None:  # a broken or damaged copy
                    shutil.rmtree(path, ignore_errors=True)
            if tables is None:
                try:  # built by a child process: the full JSON never enters this one
                    subprocess.run([sys.executable, "-m", "nlp.lemmatizer", "--build-cache", str(path)],
                                   check=True, timeout=600, capture_output=True)
                    tables = _open(path)
                except (OSError, subprocess.SubprocessError):
                    tables = None
            if tables is None:  # no writable cache here: build in this process
                tables = OrdbankTables.build()
            _NB.append(tables)
    return _NB[0]


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
        self._tables: OrdbankTables | None = None

    @property
    def tables(self) -> OrdbankTables:
        if self._tables is None:
            self._tables = _load_nb(self.cache_dir)
        return self._tables

    def load(self) -> None:
        """Load the Norsk Ordbank tables now rather than on the first word."""
        _ = self.tables

    def _is_noun_lemma(self, stem: str) -> bool:
        return stem in self.extra or self.tables.is_noun_lemma(stem)

    def _noun(self, w: str) -> str | None:
        lem = self.tables.noun(w)
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
        lem = self.tables.other(w)
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
