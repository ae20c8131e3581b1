"""Refit per-label weights and the relevance threshold from advisers' feedback.

``feedback`` is an iterable of ``(record, relevant, labels_or_None)``. Matching runs once per record;
then, deterministically:

1. per label (with label feedback), multiplicative updates of the label weight (x1.15 or /1.15,
   up to ``rounds`` times) in the direction of the larger error (missed labels -> up, wrong labels
   -> down), keeping a step only when that label's F1 does not drop;
2. a grid search of ``relevance_threshold`` over 0.05..0.95 maximising relevance accuracy (ties:
   the value closest to the current threshold).

``calibrate`` returns a :class:`CalibrationReport` with before/after precision and recall per label
and per source; ``report.weights`` are the new weights (``tagger.weights`` is updated when
``apply=True``). ``save_weights(weights, path)`` writes them as TOML.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .lexicon import LABELS, Weights
from .lexicon import save_weights as _save

STEP = 1.15


@dataclass
class CalibrationReport:
    before: dict[str, Any]
    after: dict[str, Any]
    weights: Weights
    changes: dict[str, tuple[float, float]] = field(default_factory=dict)

    def summary(self) -> str:
        lines = ["label/source        P before  R before   P after   R after"]
        for key in sorted(set(self.before) | set(self.after)):
            b, a = self.before.get(key, (0, 0)), self.after.get(key, (0, 0))
            lines.append(f"{key:<18}{b[0]:9.2f}{b[1]:10.2f}{a[0]:10.2f}{a[1]:10.2f}")
        for k, (old, new) in sorted(self.changes.items()):
            lines.append(f"change {k}: {old:.4g} -> {new:.4g}")
        return "\n".join(lines)


def _pr(tp: int, fp: int, fn: int) -> tuple[float, float]:
    return (tp / (tp + fp) if tp + fp else 1.0, tp / (tp + fn) if tp + fn else 1.0)


def _metrics(tagger: Any, analyses: list[Any], fb: list[tuple[dict, bool, list | None]],
             weights: Weights) -> dict[str, tuple[float, float]]:
    lab = {k: [0, 0, 0] for k in LABELS}
    src: dict[str, list[int]] = {}
    rel = [0, 0, 0]
    for an, (rec, relevant, labels) in zip(analyses, fb, strict=True):
        res = tagger.result(an, weights)
        gold = set(labels) if labels is not None else (set() if not relevant else None)
        if gold is not None:
            for k in LABELS:
                lab[k][0] += k in gold and k in res.labels
                lab[k][1] += k in res.labels and k not in gold
                lab[k][2] += k in gold and k not in res.labels
        s = src.setdefault(f"source:{rec.get('source') or '?'}", [0, 0, 0])
        for c in (s, rel):
            c[0] += res.relevant and relevant
            c[1] += res.relevant and not relevant
            c[2] += relevant and not res.relevant
    out = {k: _pr(*v) for k, v in lab.items() if sum(v)}
    out.update({k: _pr(*v) for k, v in src.items()})
    out["relevance"] = _pr(*rel)
    return out


def _label_f1(tagger: Any, analyses: list[Any], fb: list, label: str, w: Weights) -> tuple[float, int, int]:
    tp = fp = fn = 0
    for an, (_rec, relevant, labels) in zip(analyses, fb, strict=True):
        gold = set(labels) if labels is not None else (set() if not relevant else None)
        if gold is None:
            continue
        pred = label in tagger.result(an, w).labels
        tp += pred and label in gold
        fp += pred and label not in gold
        fn += (not pred) and label in gold
    f1 = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 1.0
    return f1, fp, fn


def _rel_accuracy(tagger: Any, analyses: list[Any], fb: list, w: Weights) -> float:
    ok = sum(tagger.result(an, w).relevant == relevant
             for an, (_r, relevant, _l) in zip(analyses, fb, strict=True))
    return ok / max(1, len(fb))


def calibrate(tagger: Any, feedback: Iterable[tuple[dict, bool, list[str] | None]],
              rounds: int = 8, apply: bool = True) -> CalibrationReport:
    """Refit label weights and the relevance threshold; see the module docstring."""
    fb = [(r if isinstance(r, dict) else {}, bool(rel), list(labs) if labs is not None else None)
          for r, rel, labs in feedback]
    analyses = list(tagger.analyse_many(r for r, _, _ in fb))
    old = tagger.weights
    w = old.copy()
    before = _metrics(tagger, analyses, fb, old)
    for label in LABELS:
        f1, fp, fn = _label_f1(tagger, analyses, fb, label, w)
        for _ in range(rounds):
            if fp == fn:
                break
            trial = w.copy()
            cur = trial.labels.setdefault(label, {"weight": 1.0, "priority": 1.0})
            cur["weight"] = round(cur.get("weight", 1.0) * (STEP if fn > fp else 1 / STEP), 4)
            f1_t, fp_t, fn_t = _label_f1(tagger, analyses, fb, label, trial)
            if f1_t < f1:
                break
            w, f1, fp, fn = trial, f1_t, fp_t, fn_t
    best_t, best_acc = w.relevance_threshold, -1.0
    for i in range(1, 20):
        t = round(i * 0.05, 2)
        trial = w.copy()
        trial.relevance_threshold = t
        acc = _rel_accuracy(tagger, analyses, fb, trial)
        closer = abs(t - old.relevance_threshold) < abs(best_t - old.relevance_threshold)
        if acc > best_acc or (acc == best_acc and closer):
            best_t, best_acc = t, acc
    w.relevance_threshold = best_t
    changes = {}
    for label in LABELS:
        a, b = old.label_weight(label), w.label_weight(label)
        if abs(a - b) > 1e-9:
            changes[f"{label}.weight"] = (a, b)
    if abs(old.relevance_threshold - w.relevance_threshold) > 1e-9:
        changes["relevance_threshold"] = (old.relevance_threshold, w.relevance_threshold)
    after = _metrics(tagger, analyses, fb, w)
    if apply:
        tagger.weights = w
    return CalibrationReport(before, after, w, changes)


def save_weights(weights: Weights, path: str | Path) -> Path:
    """Write ``weights`` (e.g. ``report.weights`` or ``tagger.weights``) to ``path`` as TOML."""
    return _save(weights, path)
