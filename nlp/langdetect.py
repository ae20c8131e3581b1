"""Language of an item: nb, nn or en, from lingua (restricted to nb, nn, en, da, sv) plus priors."""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import re
import struct
import subprocess
import sys
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
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
_HELPER: list[_Helper] = []
_LINGUA_LANGS = ("BOKMAL", "NYNORSK", "ENGLISH", "DANISH", "SWEDISH")
_KEYS = {"BOKMAL": "nb", "NYNORSK": "nn", "ENGLISH": "en", "DANISH": "nb", "SWEDISH": "nb"}
_WORKER = Path(__file__).with_name("_lingua_worker.py")
_TIMEOUT = 120.0  # seconds for one helper reply (model loading included) before falling back


def _detector() -> Any:
    with _LOCK:
        if not _DETECTOR:
            from lingua import Language, LanguageDetectorBuilder

            langs = [getattr(Language, name) for name in _LINGUA_LANGS]
            _DETECTOR.append(LanguageDetectorBuilder.from_languages(*langs)
                             .with_preloaded_language_models().build())
    return _DETECTOR[0]


class _Helper:
    """lingua in a helper process (``nlp/_lingua_worker.py``) on the second CPU core, so that
    detection for the next batch overlaps spaCy work on this one (lingua holds the GIL, so a
    thread cannot do this). One I/O thread here sends requests one at a time."""

    def __init__(self) -> None:
        self.pid = os.getpid()
        self.broken = False
        self.proc = subprocess.Popen(
            [sys.executable, "-P", str(_WORKER), *_LINGUA_LANGS],  # -P: not nlp/ on sys.path
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            close_fds=True)
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="nlp-lingua")
        self.ready = self.pool.submit(self._handshake)

    def _handshake(self) -> None:
        if _read_frame(self.proc.stdout) != "ready":
            raise RuntimeError("lingua helper did not start")

    def _call(self, samples: list[str]) -> list[list[tuple[str, float]]] | None:
        self.ready.result()
        _write_frame(self.proc.stdin, samples)
        reply = _read_frame(self.proc.stdout)
        if reply is _EOF or (reply is not None and len(reply) != len(samples)):
            raise RuntimeError("lingua helper stopped")
        return None if reply is None else [[(n, v) for n, v in values] for values in reply]

    def submit(self, samples: list[str]) -> Future:
        return self.pool.submit(self._call, samples)

    def close(self) -> None:
        self.broken = True
        self.pool.shutdown(wait=False, cancel_futures=True)
        with contextlib.suppress(Exception):
            self.proc.stdin.close()  # the helper exits on end of input
        with contextlib.suppress(Exception):
            self.proc.wait(timeout=2)
        if self.proc.poll() is None:
            self.proc.kill()
            with contextlib.suppress(Exception):
                self.proc.wait(timeout=2)


_EOF = object()


def _read_frame(stream: Any) -> Any:
    head = stream.read(4)
    if len(head) < 4:
        return _EOF
    (n,) = struct.unpack("<I", head)
    body = stream.read(n)
    if len(body) < n:
        return _EOF
    return json.loads(body.decode("utf-8"))


def _write_frame(stream: Any, obj: Any) -> None:
    body = json.dumps(obj, ensure_ascii=True).encode("utf-8")
    stream.write(struct.pack("<I", len(body)) + body)
    stream.flush()


def _helper() -> _Helper | None:
    """The process's lingua helper, started on first use; None where it cannot help (one CPU,
    ``NCP_NLP_LINGUA_PROCESS=0``) or after it failed once (then lingua runs in-process)."""
    with _LOCK:
        if _HELPER and _HELPER[0].pid != os.getpid():
            _HELPER.clear()  # forked: the parent's helper and pipes are not ours
        if _HELPER:
            return None if _HELPER[0].broken else _HELPER[0]
        if os.environ.get("NCP_NLP_LINGUA_PROCESS", "1").strip().lower() in ("0", "no", "false"):
            return None
        if len(os.sched_getaffinity(0)) < 2 if hasattr(os, "sched_getaffinity") else (
                (os.cpu_count() or 1) < 2):
            return None
        try:
            helper = _Helper()
        except Exception:  # noqa: BLE001 - no helper: lingua runs in this process
            return None
        _HELPER.append(helper)
        atexit.register(helper.close)
        return helper


def preload() -> Callable[[], None]:
    """Start loading lingua now (its models load in the helper process meanwhile); call the
    returned function to wait until it is ready (without a helper, lingua loads here then)."""
    helper = _helper()

    def wait() -> None:
        if helper is not None:
            try:
                helper.ready.result(timeout=_TIMEOUT)
                return
            except Exception:  # noqa: BLE001 - fall back to in-process detection
                helper.close()
        _detector()

    return wait


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
    """nb/nn/en scores from lingua's (language name, confidence) pairs, summed in lingua's order
    (da and sv count as nb)."""
    scores = {lang: 0.0 for lang in LANGS}
    for name, value in values:
        key = _KEYS.get(name)
        if key:
            scores[key] += value
    return scores


def _local_values(samples: list[str]) -> list[list[tuple[str, float]]]:
    """lingua in this process (parallel threads); a failure leaves every sample undecided."""
    try:
        results = _detector().compute_language_confidence_values_in_parallel(samples)
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


def detect_many_async(items: list[tuple[str, object, object]]) -> Callable[[], list[str]]:
    """Start :func:`detect_many` and return a function that returns its result: the fast path runs
    now; lingua, for the texts it leaves open, runs in the helper process meanwhile (or, without
    one, in this process when the result is asked for)."""
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
    helper = _helper() if samples else None
    future = None
    if helper is not None:
        try:
            future = helper.submit(samples)
        except Exception:  # noqa: BLE001 - pool shut down: run lingua here
            future = None

    def result() -> list[str]:
        if samples:
            values: list[list[tuple[str, float]]] | None = None
            if future is not None:
                try:
                    values = future.result(timeout=_TIMEOUT) or [[] for _ in samples]
                except Exception:  # noqa: BLE001 - helper failed: in-process from now on
                    if helper is not None:
                        helper.close()
            if values is None:
                values = _local_values(samples)
            for i, vals in zip(todo, values, strict=True):
                _text, hint, source = items[i]
                out[i] = _decide(_lingua_scores(vals), normalise_hint(hint), source)
        return [o or "nb" for o in out]

    return result


def detect_many(items: list[tuple[str, object, object]]) -> list[str]:
    """Batch form of :func:`detect` for (text, hint, source) triples; lingua runs once over the
    texts the fast path leaves open (in the helper process, or in parallel threads here)."""
    return detect_many_async(items)()


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
