"""Language of an item: nb, nn or en, from lingua (restricted to nb, nn, en, da, sv) plus priors."""

from __future__ import annotations

import re
import threading
from typing import Any

LANGS = ("nb", "nn", "en")
_HINTS = {
    "nb": "nb", "nob": "nb", "no": "nb", "nor": "nb", "bokmål": "nb", "bokmal": "nb",
    "nn": "nn", "nno": "nn", "nynorsk": "nn",
    "en": "en", "eng": "en", "english": "en", "en-gb": "en", "en-us": "en",
}  # fmt: skip
_EN_SOURCES = ("eu", "europa", "eur-lex", "oecd", "un", "ilo", "ohchr", "efrag", "issb")
_NB_SOURCES = ("regjeringen", "stortinget", "lovdata", "forbrukertilsynet", "finanstilsynet",
               "nbim", "etikkradet", "okokrim", "miljodirektoratet", "konkurransetilsynet", "ncp")
# Function words that mark one language clearly (fast path; lingua decides every unclear case).
_MARKERS = {
    "nb": {"ikke", "fra", "hvordan", "hva", "høring", "endringer", "virksomheter",
           "gjennomføring", "skal", "eller", "av", "mot", "ved", "etter", "regjeringen", "deres",
           "hvor", "være", "noen", "dette", "lov", "selskaper", "loven", "ny", "nye", "bare", "en",
           "et", "også", "hvis", "meldingen", "utvalget", "gjelder", "styrke", "endring"},
    "nn": {"ikkje", "frå", "korleis", "kva", "høyring", "endringar", "framlegg", "verksemder",
           "gjennomføring", "skal", "eller", "av", "mot", "ved", "etter", "regjeringa", "ein",
           "eit", "ei", "dei", "vere", "nokon", "dette", "lova", "nye", "berre", "òg", "sine",
           "vert", "gjeld", "desse", "heile", "meldinga", "utvalet", "styrkje", "endring"},
    "en": {"the", "of", "and", "with", "are", "new", "from", "by", "rules", "proposal",
           "consultation", "report", "its", "this", "that", "which", "has", "have", "been", "in",
           "on", "is", "will", "agrees", "adopts", "publishes", "guidance", "act"},
}
_SHARED = _MARKERS["nb"] & _MARKERS["nn"]
# word -> the languages it marks (shared nb/nn words mark none); built once for the fast path
_MARKS: dict[str, tuple[str, ...]] = {}
for _lang in LANGS:
    for _w in _MARKERS[_lang] - _SHARED:
        _MARKS[_w] = (*_MARKS.get(_w, ()), _lang)
_WORD = re.compile(r"[a-zæøåòéèâôüäö]+")
_LOCK = threading.Lock()
_DETECTOR: list[Any] = []


def _detector() -> Any:
    with _LOCK:
        if not _DETECTOR:
            from lingua import Language, LanguageDetectorBuilder

            langs = [Language.BOKMAL, Language.NYNORSK, Language.ENGLISH, Language.DANISH,
                     Language.SWEDISH]
            _DETECTOR.append(LanguageDetectorBuilder.from_languages(*langs).build())
    return _DETECTOR[0]


def normalise_hint(hint: object) -> str | None:
    if not isinstance(hint, str):
        return None
    return _HINTS.get(hint.strip().lower())


def source_prior(source: object) -> str | None:
    if not isinstance(source, str) or not source:
        return None
    s = source.lower()
    tokens = set(s.replace(".", " ").replace("/", " ").replace("-", " ").split())
    if tokens & set(_EN_SOURCES):
        return "en"
    if any(n in s for n in _NB_SOURCES):
        return "nb"
    return None


def _fast(sample: str) -> str | None:
    """A clear-cut decision from function words, or None (then lingua decides)."""
    counts = dict.fromkeys(LANGS, 0)
    for marks in filter(None, map(_MARKS.get, _WORD.findall(sample.lower())[:40])):
        for lang in marks:
            counts[lang] += 1
    ranked = sorted(LANGS, key=lambda lang: -counts[lang])
    if counts[ranked[0]] >= 1 and counts[ranked[1]] == 0:
        return ranked[0]
    return None


def _lingua_scores(values: Any) -> dict[str, float]:
    scores = {lang: 0.0 for lang in LANGS}
    for cv in values:
        key = {"BOKMAL": "nb", "NYNORSK": "nn", "ENGLISH": "en", "DANISH": "nb",
               "SWEDISH": "nb"}.get(cv.language.name)
        if key:
            scores[key] += cv.value
    return scores


def _decide(scores: dict[str, float], h: str | None, source: object) -> str:
    if h:
        scores[h] += 0.6
    p = source_prior(source)
    if p:
        scores[p] += 0.15
    if not any(scores.values()):
        return "nb"
    return max(LANGS, key=lambda lang: scores[lang])


def detect_many(items: list[tuple[str, object, object]]) -> list[str]:
    """Batch form of :func:`detect` for (text, hint, source) triples; lingua runs once, in
    parallel threads, over the texts the fast path leaves open."""
    out: list[str | None] = []
    todo: list[int] = []
    samples: list[str] = []
    for i, (text, hint, _source) in enumerate(items):
        sample = " ".join(text.split())[:300]
        h = normalise_hint(hint)
        fast = _fast(sample) if sample else None
        if fast and (h is None or h == fast):
            out.append(fast)
        elif not sample:
            out.append(_decide({lang: 0.0 for lang in LANGS}, h, _source))
        else:
            out.append(None)
            todo.append(i)
            samples.append(sample)
    if samples:
        try:
            results = _detector().compute_language_confidence_values_in_parallel(samples)
        except Exception:  # noqa: BLE001 - detection must never stop tagging
            results = [[] for _ in samples]
        for i, values in zip(todo, results, strict=True):
            _text, hint, source = items[i]
            out[i] = _decide(_lingua_scores(values), normalise_hint(hint), source)
    return [o or "nb" for o in out]


def detect(text: str, hint: object = None, source: object = None) -> str:
    """Return "nb", "nn" or "en". A valid hint is a strong prior, the source a weak one.

    A function-word fast path settles clear-cut texts; lingua (restricted to nb, nn, en, da, sv;
    da/sv count as nb) decides the rest, on the first 300 characters."""
    scores = {lang: 0.0 for lang in LANGS}
    sample = " ".join(text.split())[:300]
    h = normalise_hint(hint)
    fast = _fast(sample) if sample else None
    if fast and (h is None or h == fast):
        return fast
    if sample:
        try:
            for cv in _detector().compute_language_confidence_values(sample):
                name = cv.language.name
                key = {"BOKMAL": "nb", "NYNORSK": "nn", "ENGLISH": "en",
                       "DANISH": "nb", "SWEDISH": "nb"}.get(name)
                if key:
                    scores[key] += cv.value
        except Exception:  # noqa: BLE001 - detection must never stop tagging
            pass
    if h:
        scores[h] += 0.6
    p = source_prior(source)
    if p:
        scores[p] += 0.15
    if not any(scores.values()):
        return "nb"
    return max(LANGS, key=lambda lang: scores[lang])
