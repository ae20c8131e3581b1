"""Language of an item: nb, nn or en, from lingua (restricted to nb, nn, en, da) plus priors."""

from __future__ import annotations

import re
import threading
from typing import Any

from .options import DEFAULT_OPTIONS, NlpOptions

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
# Swedish, once in this list, changed no decision on the development set and cost ~37 MB
_LINGUA_LANGS = ("BOKMAL", "NYNORSK", "ENGLISH", "DANISH")
_KEYS = {"BOKMAL": "nb", "NYNORSK": "nn", "ENGLISH": "en", "DANISH": "nb"}
# lingua's low-accuracy mode (trigrams only): ~11 MB of models instead of ~130 MB; with the word
# form rule before it, as accurate on the development sets as the high-accuracy mode (nlp/README.md)
_LINGUA_LOW_ACCURACY = True


def _detector() -> Any:
    with _LOCK:
        if not _DETECTOR:
            from lingua import Language, LanguageDetectorBuilder

            langs = [getattr(Language, name) for name in _LINGUA_LANGS]
            builder = LanguageDetectorBuilder.from_languages(*langs)
            if _LINGUA_LOW_ACCURACY:
                builder = builder.with_low_accuracy_mode()
            # models load on first use (a few ms in low-accuracy mode), in the calling thread:
            # with_preloaded_language_models() loads them in a rayon thread pool that then
            # lives, idle, until the process exits
            _DETECTOR.append(builder.build())
    return _DETECTOR[0]


def preload(options: NlpOptions = DEFAULT_OPTIONS) -> None:
    """Load the word-form rule's tables and lingua's models (low-accuracy: ~11 MB, a fraction of
    a second) now rather than on first use."""
    _form_rule(options)
    _local_values(["Forslag til endringar i lova om åpenhet. Proposal for a new act."])


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


# Word forms that tell Bokmål, Nynorsk and English apart where the function words above leave a
# text open (often a short title): chosen on the tuning parts of the development sets only
# (nlp/README.md). Shared spellings are dropped from both lists.
_NN_FORMS = frozenset({
    "ikkje", "frå", "korleis", "kva", "kven", "kvar", "eg", "ho", "dei", "deira", "dykk", "vere",
    "vore", "vart", "verte", "òg", "berre", "mykje", "noko", "nokre", "nokon", "sjølv", "heile",
    "fleire", "meir", "seinare", "enno", "difor", "saman", "høyring", "høyringa", "lova",
    "regjeringa", "utval", "utvalet", "framlegg", "verksemd", "verksemder", "tilsette", "gjeld",
    "vidare", "naudsynt", "særleg", "tryggleik", "openheit", "openheitslova", "ein", "eit", "desse",
    "vert", "sjå", "hjå", "anna", "fyrst", "elles", "korfor", "innan", "utan", "medan",
    "dessutan", "berekraft", "offentleg", "vesentleg", "arbeidsgjevar", "forbrukar",
    "stortingsmelding"})
_NB_FORMS = frozenset({
    "ikke", "fra", "hvordan", "hva", "hvem", "hvor", "hvis", "jeg", "hun", "noen", "mye", "være",
    "ble", "bare", "også", "nå", "høring", "høringen", "loven", "regjeringen", "utvalget",
    "virksomhet", "virksomheter", "ansatte", "gjelder", "videre", "særlig", "sikkerhet", "åpenhet",
    "åpenhetsloven", "disse", "selv", "hele", "flere", "mer", "senere", "ennå", "sammen", "uten",
    "endringer", "deres", "innen", "da", "bærekraft", "offentlig", "vesentlig", "arbeidsgiver",
    "forbruker", "stortingsmelding"})
_NN_FORMS, _NB_FORMS = _NN_FORMS - _NB_FORMS, _NB_FORMS - _NN_FORMS
# endings of Bokmål forms, and of Nynorsk forms that are not Bokmål full forms in Norsk Ordbank
_NB_ENDINGS = ("lig", "lige", "ligt", "ligere", "het", "heten", "heter", "hetene", "inger",
               "ingen", "ingene", "else", "elsen", "elser", "ninger")
_NN_ENDINGS = ("leg", "lege", "legt", "heit", "heita", "heiter", "heitene", "ingar", "ingane",
               "ane", "ar", "aste", "ande")
_SHORT_WORDS = 2  # a text this short keeps its declared (or its source's) language
_FORM_LEAD = 1.0  # the rule decides when one language leads by this much; lingua decides the rest
_MEMO_MAX = 100_000  # words whose mark the rule keeps (bounded memory on long runs)
_RULE: list[_FormRule] = []


class _FormRule:
    """Scores a text by word forms: the lists above (2 points), English stop words that are no
    Bokmål word (2), English full forms that are no Bokmål form (½), Bokmål endings (1), and
    Nynorsk endings on words that are no Bokmål full form in Norsk Ordbank (1). Reads the
    lemmatizer's Ordbank table and spaCy's English lookup table (both loaded for tagging anyway)."""

    def __init__(self, options: NlpOptions) -> None:
        from spacy.lang.en.stop_words import STOP_WORDS as en_stop
        from spacy.lang.nb.stop_words import STOP_WORDS as nb_stop

        from .lemmatizer import _load_en, _load_nb

        self.is_nb = _load_nb(options.cache_dir).is_form
        self.en_forms = _load_en()
        self.en_stop = frozenset(w for w in en_stop if w.isalpha() and w not in nb_stop
                                 and not self.is_nb(w))
        self._memo: dict[str, tuple[str, float] | None] = {}

    def scores(self, sample: str) -> dict[str, float]:
        s = dict.fromkeys(LANGS, 0.0)
        memo = self._memo
        for w in _WORD.findall(sample.lower()):
            mark = memo.get(w, False)
            if mark is False:
                mark = self._mark(w)
                if len(memo) < _MEMO_MAX:
                    memo[w] = mark
            if mark is not None:
                s[mark[0]] += mark[1]
        return s

    def _mark(self, w: str) -> tuple[str, float] | None:
        """The language a word marks and its weight, or None."""
        if w in _NN_FORMS:
            return "nn", 2.0
        if w in _NB_FORMS:
            return "nb", 2.0
        if w in self.en_stop:
            return "en", 2.0
        nb = self.is_nb(w)
        if not nb and len(w) > 3 and w in self.en_forms:
            return "en", 0.5
        if w.endswith(_NB_ENDINGS):
            return "nb", 1.0
        if not nb and w.endswith(_NN_ENDINGS):
            return "nn", 1.0
        return None

    def decide(self, sample: str) -> str | None:
        """The leading language if it leads by ``_FORM_LEAD``, else None."""
        scores = self.scores(sample)
        first, second = sorted(LANGS, key=lambda lang: -scores[lang])[:2]
        return first if scores[first] - scores[second] >= _FORM_LEAD else None


def _form_rule(options: NlpOptions) -> _FormRule:
    with _LOCK:
        if not _RULE:
            _RULE.append(_FormRule(options))
    return _RULE[0]


def _lingua_scores(values: Any) -> dict[str, float]:
    """nb/nn/en scores from lingua's (language name, confidence) pairs, summed in lingua's order
    (da counts as nb)."""
    scores = {lang: 0.0 for lang in LANGS}
    for name, value in values:
        key = _KEYS.get(name)
        if key:
            scores[key] += value
    return scores


def _local_values(samples: list[str]) -> list[list[tuple[str, float]]]:
    """lingua in this process, one text after another; a failure leaves every sample undecided.

    Not lingua's ``..._in_parallel``: that starts a native (rayon) thread pool that lives until
    the process exits, for no gain here — lingua sees a few per cent of the texts, and in
    low-accuracy mode one text takes ~0.06-0.12 ms (265 real items: 0.015 s one by one,
    0.011-0.027 s in parallel; 178 bench texts: 0.021 s against 0.018 s; the same values)."""
    detector = _detector()
    try:
        results = [detector.compute_language_confidence_values(sample) for sample in samples]
    except Exception:  # noqa: BLE001 - detection must never stop tagging
        return [[] for _ in samples]
    return [[(cv.language.name, cv.value) for cv in values] for values in results]


def _decide(scores: dict[str, float], h: str | None, source: object) -> str:
    if h:
        scores[h] += 0.6
    p = source_prior(source)
    if p:
        scores[p] += 0.15
    if not any(scores.values()):
        return "nb"
    return max(LANGS, key=lambda lang: scores[lang])


def detect_many(items: list[tuple[str, object, object]],
                options: NlpOptions = DEFAULT_OPTIONS) -> list[str]:
    """Batch form of :func:`detect` for (text, hint, source) triples: function words and word
    forms settle most texts; lingua decides the rest, in this process (a few per cent of the
    texts, ~0.1 ms each in low-accuracy mode)."""
    out: list[str | None] = []
    todo: list[int] = []
    samples: list[str] = []
    for i, (text, hint, _source) in enumerate(items):
        sample = " ".join(text.split())[:300]
        h = normalise_hint(hint)
        fast = (_fast(sample) or _form_rule(options).decide(sample)) if sample else None
        if fast and (h is None or h == fast):
            out.append(fast)
        elif (h or source_prior(_source)) and len(_WORD.findall(sample.lower())) <= _SHORT_WORDS:
            # one or two words are too little for lingua to overrule the record's declared
            # language or, without one, its source's language
            out.append(h or source_prior(_source))
        elif not sample:
            out.append(_decide({lang: 0.0 for lang in LANGS}, h, _source))
        else:
            out.append(None)
            todo.append(i)
            samples.append(sample)
    if samples:
        for i, vals in zip(todo, _local_values(samples), strict=True):
            _text, hint, source = items[i]
            out[i] = _decide(_lingua_scores(vals), normalise_hint(hint), source)
    return [o or "nb" for o in out]


def detect(text: str, hint: object = None, source: object = None) -> str:
    """Return "nb", "nn" or "en". A valid hint is a strong prior, the source a weak one.

    A function-word fast path settles clear-cut texts; lingua (restricted to nb, nn, en, da;
    da counts as nb) decides the rest, on the first 300 characters."""
    return detect_many([(text, hint, source)])[0]
