"""Language of an item: nb, nn or en, from lingua (restricted to nb, nn, en, da, sv) plus priors."""

from __future__ import annotations

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


def detect(text: str, hint: object = None, source: object = None) -> str:
    """Return "nb", "nn" or "en". A valid hint is a strong prior, the source a weak one."""
    scores = {lang: 0.0 for lang in LANGS}
    sample = " ".join(text.split())[:1000]
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
    h = normalise_hint(hint)
    if h:
        scores[h] += 0.6
    p = source_prior(source)
    if p:
        scores[p] += 0.15
    if not any(scores.values()):
        return "nb"
    return max(LANGS, key=lambda lang: scores[lang])
