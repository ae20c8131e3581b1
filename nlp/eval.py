"""Evaluate the tagger on the dev set: ``python -m nlp.eval`` (``make eval``).

Prints precision / recall / F1 per label, micro-F1 over labels and relevance accuracy for the
``tune`` and ``heldout`` parts separately. Items are tagged with their ``source`` as the language
prior but without their ``language`` (detection is part of what is measured).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from .lexicon import LABELS
from .paths import DEVSET_DIR


def load_split(name: str, devset_dir: Path = DEVSET_DIR) -> list[dict[str, Any]]:
    path = devset_dir / f"{name}.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def evaluate(tagger: Any, items: list[dict[str, Any]]) -> dict[str, Any]:
    records = [{"id": it["id"], "title": it["title"], "description": it.get("description", ""),
                "source": it.get("source")} for it in items]
    counts = {lab: [0, 0, 0] for lab in LABELS}
    correct_rel = 0
    lang_ok = 0
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
        if gold != pred or res.relevant != it["relevant"]:
            errors.append((it, res))
    tp = sum(c[0] for c in counts.values())
    fp = sum(c[1] for c in counts.values())
    fn = sum(c[2] for c in counts.values())
    return {"n": len(items), "per_label": {k: prf(*v) + (v[0] + v[2],) for k, v in counts.items()},
            "micro": prf(tp, fp, fn), "relevance_accuracy": correct_rel / max(1, len(items)),
            "language_accuracy": lang_ok / max(1, len(items)), "errors": errors}


def print_report(name: str, rep: dict[str, Any], out: Any = sys.stdout) -> None:
    print(f"\n== {name} ({rep['n']} items) ==", file=out)
    print(f"{'label':<15}{'P':>7}{'R':>7}{'F1':>7}{'gold':>6}", file=out)
    for lab, (p, r, f, n) in rep["per_label"].items():
        print(f"{lab:<15}{p:7.2f}{r:7.2f}{f:7.2f}{n:6d}", file=out)
    p, r, f = rep["micro"]
    print(f"{'micro':<15}{p:7.2f}{r:7.2f}{f:7.2f}", file=out)
    print(f"relevance accuracy {rep['relevance_accuracy']:.3f}   "
          f"language accuracy {rep['language_accuracy']:.3f}", file=out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--errors", action="store_true", help="list tune-split errors (never heldout)")
    args = ap.parse_args(argv)
    from .tagger import Tagger

    tagger = Tagger.load()
    print(f"tagger {tagger.version}")
    for split in ("tune", "heldout"):
        rep = evaluate(tagger, load_split(split))
        print_report(split, rep)
        if args.errors and split == "tune":
            for it, res in rep["errors"]:
                print(f"  {it['id']} gold={it['labels']} pred={res.labels} rel={res.relevance} "
                      f"| {it['title'][:90]} | {[e.text for e in res.evidence]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
