"""`ncp-tracker calibrate`: refit the tagger from advisers' triage marks, transparently.

Feedback comes from triage (`tracker.workbench.triage.feedback`): ``not_relevant`` is a negative,
``watching``/``respond`` and every later stage of an answer a positive; untriaged items give no
feedback. `nlp.calibrate.calibrate` refits the label weights (a not_relevant item's labels are
wrong labels) and the relevance threshold; this module prints what changed and precision /
recall per label and per source before and after, and writes the new weights unless
``--dry-run``. Nothing is retagged here: the next `ncp-tracker run` (or `tag`) uses the new
weights, since the tagger version changes with them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlite_utils

#: fewer marks than this, or no marks of one kind, and calibration would only fit noise
MIN_MARKS = 4


class CalibrationError(RuntimeError):
    """Calibration cannot run (too little feedback, tagger missing)."""


@dataclass
class CalibrationResult:
    positives: int
    negatives: int
    before: dict[str, tuple[float, float]]
    after: dict[str, tuple[float, float]]
    changes: dict[str, tuple[float, float]]
    weights_path: Path
    written: bool
    dry_run: bool
    weights: Any = None
    per_source_counts: dict[str, int] = field(default_factory=dict)


def feedback_records(db: sqlite_utils.Database) -> list[tuple[dict[str, Any], bool, list[str] | None]]:
    """(record, relevant, labels) triples for nlp.calibrate; labels unknown (None) for positives."""
    from tracker.workbench.triage import feedback

    out = []
    for row in feedback(db):
        record = {"id": row["item_id"], "title": row["title"], "summary": row["summary"],
                  "body": row["body"], "language": row["language"], "source": row["source"]}  # fmt: skip
        relevant = bool(row["marked_relevant"])
        out.append((record, relevant, None if relevant else []))
    return out


def run(db: sqlite_utils.Database, *, dry_run: bool = False, weights_path: str | Path | None = None,
        tagger: Any = None, min_marks: int = MIN_MARKS) -> CalibrationResult:
    """Calibrate the tagger on the store's feedback; write the weights unless `dry_run`."""
    records = feedback_records(db)
    positives = sum(1 for _, rel, _ in records if rel)
    negatives = len(records) - positives
    if len(records) < min_marks or not positives or not negatives:
        raise CalibrationError(
            f"not enough feedback to calibrate: {positives} relevant and {negatives} not_relevant "
            f"marks (need at least {min_marks} in all, and some of each; mark items with "
            "`ncp-tracker triage ITEM --state not_relevant|watching|respond`)")  # fmt: skip
    try:
        from nlp.calibrate import calibrate, save_weights
        from nlp.paths import LEXICON_DIR
    except ImportError as exc:  # pragma: no cover - the tagger ships with the project
        raise CalibrationError(f"the tagger (nlp) is not available: {exc}") from exc
    target = Path(weights_path) if weights_path else LEXICON_DIR / "weights.toml"
    if tagger is None:
        from nlp import Tagger

        tagger = Tagger.load(weights_path=target if target.exists() else None)
    report = calibrate(tagger, records, apply=False)
    written = False
    if not dry_run and report.changes:
        save_weights(report.weights, target)
        written = True
    sources: dict[str, int] = {}
    for rec, _, _ in records:
        sources[rec["source"]] = sources.get(rec["source"], 0) + 1
    return CalibrationResult(positives, negatives, dict(report.before), dict(report.after),
                             dict(report.changes), target, written, dry_run, report.weights, sources)


def format_report(result: CalibrationResult) -> str:
    lines = [f"feedback: {result.positives} relevant, {result.negatives} not relevant "
             f"({', '.join(f'{s}: {n}' for s, n in sorted(result.per_source_counts.items()))})", ""]
    lines.append("what changed:")
    if result.changes:
        for key, (old, new) in sorted(result.changes.items()):
            arrow = "↑" if new > old else "↓"
            lines.append(f"  {key:<28} {old:.4g} → {new:.4g} {arrow}")
    else:
        lines.append("  nothing (the current weights already fit the feedback best)")
    lines += ["", f"{'label / source':<34}{'P before':>9}{'R before':>9}{'P after':>9}{'R after':>9}"]
    keys = sorted(set(result.before) | set(result.after),
                  key=lambda k: (k == "relevance", k.startswith("source:"), k))
    for key in keys:
        b = result.before.get(key, (float("nan"), float("nan")))
        a = result.after.get(key, (float("nan"), float("nan")))
        mark = "  *" if b != a else ""
        lines.append(f"{key:<34}{b[0]:9.2f}{b[1]:9.2f}{a[0]:9.2f}{a[1]:9.2f}{mark}")
    lines.append("")
    if result.dry_run:
        lines.append(f"dry run: nothing written (would write {result.weights_path})")
    elif result.written:
        lines.append(f"weights written to {result.weights_path}; the next `ncp-tracker run` retags with them")
    else:
        lines.append("no change: weights file left as it is")
    return "\n".join(lines)
