"""Evaluate the tagger: ``python -m nlp.eval`` (``make eval``).

Two sets, each in a tuning and a held-out part:

* ``real`` — the real labelled set (``data/devset/real/devset-real.jsonl``, labelled by the rules
  of docs/labelling.md), split once by ``data/devset/real-split.json`` (seed recorded there);
* ``constructed`` — the project's written development set (``data/devset/tune.jsonl`` /
  ``heldout.jsonl``, built by ``data/devset/build.py``).

Per set and part: relevance accuracy, label micro-F1, per-label precision / recall, the share of
labels that carry evidence, and — for tuning parts only — the ten worst errors. Held-out errors
are never listed. Items are tagged from title + description with their ``source`` but without
their ``language`` (detection is part of what is measured).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from .lexicon import LABELS
from .paths import DEVSET_DIR

REAL_FILE = DEVSET_DIR / "real" / "devset-real.jsonl"
REAL_SPLIT = DEVSET_DIR / "real-split.json"


def _jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip()]


def load_split(name: str, devset_dir: Path = DEVSET_DIR) -> list[dict[str, Any]]:
    """The constructed set's ``tune`` or ``heldout`` part."""
    return _jsonl(devset_dir / f"{name}.jsonl")


def load_real(part: str, devset_dir: Path = DEVSET_DIR) -> list[dict[str, Any]]:
    """The real labelled set's ``tune`` or ``heldout`` part (ids from real-split.json)."""
    split = json.loads((devset_dir / "real-split.json").read_text(encoding="utf-8"))
    ids = set(split[part])
    return [it for it in _jsonl(devset_dir / "real" / "devset-real.jsonl") if it["id"] in ids]


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def evaluate(tagger: Any, items: list[dict[str, Any]]) -> dict[str, Any]:
    records = [{"id": it["id"], "title": it["title"], "description": it.get("description", ""),
                "source": it.get("source")} for it in items]
    counts = {lab: [0, 0, 0] for lab in LABELS}
    correct_rel = lang_ok = 0
    labels_total = labels_with_evidence = 0
    errors = []
    for it, res in zip(items, tagger.tag_many(records), strict=True):
        gold, pred = set(it["labels"]), set(res.labels)
        for lab in LABELS:
            c = counts[lab]
            c[0] += lab in gold and lab in pred
            c[1] += lab in pred and lab not in gold
            c[2] += lab in gold and lab not in pred
        correct_rel += res.relevant == it["relevant"]
        lang_ok += res.language == it.get("language")
        ev_labels = {e.label for e in res.evidence}
        labels_total += len(pred)
        labels_with_evidence += len(pred & ev_labels)
        if gold != pred or res.relevant != it["relevant"]:
            cost = len(gold ^ pred) + 2 * (res.relevant != it["relevant"])
            errors.append((cost, it, res))
    errors.sort(key=lambda e: (-e[0], str(e[1]["id"])))
    tp = sum(c[0] for c in counts.values())
    fp = sum(c[1] for c in counts.values())
    fn = sum(c[2] for c in counts.values())
    n = max(1, len(items))
    return {"n": len(items), "per_label": {k: prf(*v) + (v[0] + v[2],) for k, v in counts.items()},
            "micro": prf(tp, fp, fn), "relevance_accuracy": correct_rel / n,
            "language_accuracy": lang_ok / n,
            "evidence_coverage": labels_with_evidence / labels_total if labels_total else 1.0,
            "errors": [(it, res) for _c, it, res in errors]}


def print_report(name: str, rep: dict[str, Any], out: Any = sys.stdout) -> None:
    print(f"\n== {name} ({rep['n']} items) ==", file=out)
    print(f"{'label':<15}{'P':>7}{'R':>7}{'F1':>7}{'gold':>6}", file=out)
    for lab, (p, r, f, n) in rep["per_label"].items():
        print(f"{lab:<15}{p:7.2f}{r:7.2f}{f:7.2f}{n:6d}", file=out)
    p, r, f = rep["micro"]
    print(f"{'micro':<15}{p:7.2f}{r:7.2f}{f:7.2f}", file=out)
    print(f"relevance accuracy {rep['relevance_accuracy']:.3f}   label micro-F1 {f:.3f}   "
          f"labels with evidence {rep['evidence_coverage']:.0%}   "
          f"language accuracy {rep['language_accuracy']:.3f}", file=out)


def print_errors(rep: dict[str, Any], n: int, out: Any = sys.stdout) -> None:
    print(f"-- {min(n, len(rep['errors']))} worst errors (of {len(rep['errors'])}) --", file=out)
    for it, res in rep["errors"][:n]:
        print(f"  {it['id']} gold={it['labels']} pred={res.labels} rel={res.relevance} "
              f"[{res.reason}] | {it['title'][:90]}", file=out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--errors", type=int, default=10,
                    help="how many worst errors of each tuning part to list (never held-out)")
    ap.add_argument("--set", choices=("real", "constructed", "all"), default="all")
    args = ap.parse_args(argv)
    from .tagger import Tagger

    tagger = Tagger.load()
    print(f"tagger {tagger.version}")
    parts: list[tuple[str, Any]] = []
    if args.set in ("real", "all"):
        parts += [("real tune", lambda: load_real("tune")),
                  ("real heldout", lambda: load_real("heldout"))]
    if args.set in ("constructed", "all"):
        parts += [("constructed tune", lambda: load_split("tune")),
                  ("constructed heldout", lambda: load_split("heldout"))]
    for name, loader in parts:
        rep = evaluate(tagger, loader())
        print_report(name, rep)
        if name.endswith("tune") and args.errors:
            print_errors(rep, args.errors)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
