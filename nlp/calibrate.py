"""Refit per-label weights and the relevance threshold from advisers' marks — by label, with
cross-validated estimates, and only where there is enough evidence.

``feedback`` is an iterable of ``(record, relevant, labels)``; ``labels`` is

* ``None`` — labels not marked (only relevance is known; an irrelevant item has no labels);
* a list — the full set of labels the adviser confirmed;
* a dict ``{"added": [...], "removed": [...]}`` — labels the adviser added to / removed from the
  tagger's result (the other labels are taken as they are).

Matching runs once per record; then, deterministically:

1. per label with at least ``min_per_label`` informative marks (items where the label is gold or
   predicted), multiplicative updates of the label weight (x1.15 or /1.15, up to ``rounds`` times)
   toward the larger error (missed -> up, wrong -> down), keeping a step only when that label's F1
   on the training data does not drop;
2. a grid search of ``relevance_threshold`` (0.05..0.95) maximising relevance accuracy.

Each change is estimated with ``folds``-fold cross-validation (fit on the other folds, score the
held fold; never in-sample) and kept only when its cross-validated score does not get worse.
Labels with too few marks are left unchanged and listed. ``report.changed_items`` lists the items
whose decision (relevance or labels) changes. ``save_weights(weights, path)`` writes to the path
the caller gives (the user's data directory) — never into the package.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .lexicon import LABELS, Weights
from .lexicon import save_weights as _save
from .paths import LEXICON_DIR

STEP = 1.15
MIN_PER_LABEL = 5
FOLDS = 5


def fmt(x: float | None, spec: str = ".2f") -> str:
    """A number, or ``n/a`` when it is undefined (never ``nan``): use it to print the report's
    before / after figures, which are floats with NaN for "undefined" (no predictions)."""
    if x is None or x != x:  # noqa: PLR0124 - nan check
        return "n/a"
    return format(x, spec)


@dataclass
class CalibrationReport:
    before: dict[str, Any]
    after: dict[str, Any]
    weights: Weights
    changes: dict[str, tuple[float, float]] = field(default_factory=dict)
    cv: dict[str, tuple[float | None, float | None]] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)
    changed_items: list[tuple[Any, str]] = field(default_factory=list)

    def summary(self) -> str:
        lines = ["label/source        P before  R before   P after   R after"]
        for key in sorted(set(self.before) | set(self.after)):
            b, a = self.before.get(key, (NA, NA)), self.after.get(key, (NA, NA))
            lines.append(f"{key:<18}{fmt(b[0]):>9}{fmt(b[1]):>10}{fmt(a[0]):>10}{fmt(a[1]):>10}")
        if self.cv:
            lines.append("cross-validated (never in-sample)   before     after")
            for k, (b, a) in sorted(self.cv.items()):
                lines.append(f"  {k:<32}{fmt(b):>7}{fmt(a):>10}")
        for k, (old, new) in sorted(self.changes.items()):
            lines.append(f"change {k}: {old:.4g} -> {new:.4g}")
        for k, why in sorted(self.skipped.items()):
            lines.append(f"unchanged {k}: {why}")
        if self.changed_items:
            lines.append(f"items whose decision changes ({len(self.changed_items)}):")
            lines += [f"  {rid}: {what}" for rid, what in self.changed_items]
        return "\n".join(lines)


NA = float("nan")  # undefined precision / recall: a float (callers format it), shown as n/a


def _pr(tp: int, fp: int, fn: int) -> tuple[float, float]:
    return (tp / (tp + fp) if tp + fp else NA, tp / (tp + fn) if tp + fn else NA)


def _gold(labels: Any, relevant: bool, predicted: list[str]) -> set[str] | None:
    if not relevant:
        return set()
    if labels is None:
        return None
    if isinstance(labels, dict):
        return (set(predicted) | set(labels.get("added", []))) - set(labels.get("removed", []))
    return set(labels)


def _metrics(tagger: Any, analyses: list[Any], fb: list[tuple[dict, bool, Any]],
             golds: list[set[str] | None], weights: Weights) -> dict[str, Any]:
    lab = {k: [0, 0, 0] for k in LABELS}
    src: dict[str, list[int]] = {}
    rel = [0, 0, 0]
    for an, (rec, relevant, _l), gold in zip(analyses, fb, golds, strict=True):
        res = tagger.result(an, weights)
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
    out: dict[str, Any] = {k: _pr(*v) for k, v in lab.items() if sum(v)}
    out.update({k: _pr(*v) for k, v in src.items()})
    out["relevance"] = _pr(*rel)
    return out


def _label_counts(tagger: Any, analyses: list[Any], golds: list[set[str] | None], label: str,
                  w: Weights, idx: Iterable[int]) -> tuple[int, int, int]:
    tp = fp = fn = 0
    for i in idx:
        gold = golds[i]
        if gold is None:
            continue
        pred = label in tagger.result(analyses[i], w).labels
        tp += pred and label in gold
        fp += pred and label not in gold
        fn += (not pred) and label in gold
    return tp, fp, fn


def _f1(tp: int, fp: int, fn: int) -> float:
    return 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 1.0


def _fit_label(tagger: Any, analyses: list[Any], golds: list[set[str] | None], label: str,
               w: Weights, idx: list[int], rounds: int) -> Weights:
    tp, fp, fn = _label_counts(tagger, analyses, golds, label, w, idx)
    f1 = _f1(tp, fp, fn)
    for _ in range(rounds):
        if fp == fn:
            break
        trial = w.copy()
        cur = trial.labels.setdefault(label, {"weight": 1.0, "priority": 1.0})
        cur["weight"] = round(cur.get("weight", 1.0) * (STEP if fn > fp else 1 / STEP), 4)
        t = _label_counts(tagger, analyses, golds, label, trial, idx)
        if _f1(*t) < f1:
            break
        w, f1, (tp, fp, fn) = trial, _f1(*t), t
    return w


def _rel_acc(tagger: Any, analyses: list[Any], fb: list, w: Weights, idx: Iterable[int]) -> float:
    idx = list(idx)
    ok = sum(tagger.result(analyses[i], w).relevant == fb[i][1] for i in idx)
    return ok / max(1, len(idx))


def _fit_threshold(tagger: Any, analyses: list[Any], fb: list, w: Weights,
                   idx: list[int]) -> float:
    base = w.relevance_threshold
    best_t, best_acc = base, -1.0
    for i in range(1, 20):
        t = round(i * 0.05, 2)
        trial = w.copy()
        trial.relevance_threshold = t
        acc = _rel_acc(tagger, analyses, fb, trial, idx)
        if acc > best_acc or (acc == best_acc and abs(t - base) < abs(best_t - base)):
            best_t, best_acc = t, acc
    return best_t


def _folds(n: int, k: int) -> list[list[int]]:
    k = max(2, min(k, n))
    return [list(range(i, n, k)) for i in range(k)]


def calibrate(tagger: Any, feedback: Iterable[tuple[dict, bool, Any]], rounds: int = 8,
              apply: bool = True, min_per_label: int = MIN_PER_LABEL,
              folds: int = FOLDS) -> CalibrationReport:
    """Refit label weights and the relevance threshold; see the module docstring."""
    fb = [(r if isinstance(r, dict) else {}, bool(rel), labs) for r, rel, labs in feedback]
    analyses = list(tagger.analyse_many(r for r, _, _ in fb))
    old = tagger.weights
    golds = [_gold(labs, rel, tagger.result(an, old).labels)
             for an, (_r, rel, labs) in zip(analyses, fb, strict=True)]
    n = len(fb)
    every = list(range(n))
    before = _metrics(tagger, analyses, fb, golds, old)
    w = old.copy()
    cv: dict[str, tuple[float | None, float | None]] = {}
    skipped: dict[str, str] = {}
    parts = _folds(n, folds) if n >= 2 else []
    for label in LABELS:
        informative = sum(1 for i in every if golds[i] is not None and (
            label in golds[i] or label in tagger.result(analyses[i], old).labels))
        tp, fp, fn = _label_counts(tagger, analyses, golds, label, old, every)
        if not fp and not fn:
            continue
        if informative < min_per_label:
            skipped[f"{label}.weight"] = (f"{informative} marks, need {min_per_label}")
            continue
        # cross-validated effect of refitting this label
        cb = [0, 0, 0]
        ca = [0, 0, 0]
        for held in parts:
            train = [i for i in every if i not in set(held)]
            fitted = _fit_label(tagger, analyses, golds, label, w, train, rounds)
            for acc, wt in ((cb, w), (ca, fitted)):
                c = _label_counts(tagger, analyses, golds, label, wt, held)
                for j in range(3):
                    acc[j] += c[j]
        f_before, f_after = _f1(*cb), _f1(*ca)
        cv[f"{label} F1"] = (f_before, f_after)
        if f_after >= f_before:
            w = _fit_label(tagger, analyses, golds, label, w, every, rounds)
        else:
            skipped[f"{label}.weight"] = "cross-validated F1 would drop"
    if parts and any(fb[i][1] for i in every) and not all(fb[i][1] for i in every):
        ok_b = ok_a = 0
        for held in parts:
            train = [i for i in every if i not in set(held)]
            trial = w.copy()
            trial.relevance_threshold = _fit_threshold(tagger, analyses, fb, w, train)
            ok_b += _rel_acc(tagger, analyses, fb, w, held) * len(held)
            ok_a += _rel_acc(tagger, analyses, fb, trial, held) * len(held)
        cv["relevance accuracy"] = (ok_b / n, ok_a / n)
        if ok_a >= ok_b:
            w.relevance_threshold = _fit_threshold(tagger, analyses, fb, w, every)
        else:
            skipped["relevance_threshold"] = "cross-validated accuracy would drop"
    changes = {}
    for label in LABELS:
        a, b = old.label_weight(label), w.label_weight(label)
        if abs(a - b) > 1e-9:
            changes[f"{label}.weight"] = (a, b)
    if abs(old.relevance_threshold - w.relevance_threshold) > 1e-9:
        changes["relevance_threshold"] = (old.relevance_threshold, w.relevance_threshold)
    after = _metrics(tagger, analyses, fb, golds, w)
    changed_items = []
    for an, (rec, _rel, _l) in zip(analyses, fb, strict=True):
        r0, r1 = tagger.result(an, old), tagger.result(an, w)
        if r0.relevant != r1.relevant or set(r0.labels) != set(r1.labels):
            what = []
            if r0.relevant != r1.relevant:
                what.append("relevant" if r1.relevant else "not relevant")
            added, removed = set(r1.labels) - set(r0.labels), set(r0.labels) - set(r1.labels)
            what += [f"+{k}" for k in sorted(added)] + [f"-{k}" for k in sorted(removed)]
            changed_items.append((rec.get("id"), " ".join(what)))
    if apply:
        tagger.weights = w
    return CalibrationReport(before, after, w, changes, cv, skipped, changed_items)


def save_weights(weights: Weights, path: str | Path) -> Path:
    """Write ``weights`` to ``path`` (the user's data directory) as TOML. Refuses the package's
    own ``nlp/lexicons`` directory: shipped weights are changed by a commit, not by calibration."""
    p = Path(path).resolve()
    if p.parent == LEXICON_DIR.resolve() or LEXICON_DIR.resolve() in p.parents:
        raise ValueError(f"refusing to write calibrated weights into the package ({p}); "
                         "give a path in the user's data directory")
    return _save(weights, p)
