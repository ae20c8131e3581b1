"""`ncp-tracker calibrate`: refit the tagger from advisers' triage marks, transparently.

Feedback comes from triage (`tracker.workbench.triage.feedback`): ``not_relevant`` is a negative,
``watching``/``respond`` and every later stage of an answer a positive, and the advisers' label
marks (``triage ITEM --label +oecd-iv``, or the item page) say which labels were missing or wrong.
`nlp.calibrate.calibrate` refits a label's weight only with enough marks for that label, keeps a
change only when its cross-validated effect is not worse, and refits the relevance threshold;
this module prints what changed, precision / recall per label and per source before and after
(``n/a`` where undefined), the items whose decision changes, and writes the new weights to the
data directory (``weights.toml``; never a file of the package) unless ``--dry-run``. Nothing is retagged here: the next `ncp-tracker run` (or `tag`) uses the new
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
    skipped: dict[str, str] = field(default_factory=dict)
    changed_items: list[tuple[Any, str]] = field(default_factory=list)


def feedback_records(db: sqlite_utils.Database) -> list[tuple[dict[str, Any], bool, list[str] | None]]:
    """(record, relevant, labels) triples for nlp.calibrate; labels unknown (None) for positives."""
    from tracker.workbench.triage import feedback

    out = []
    for row in feedback(db):
        record = {"id": row["item_id"], "title": row["title"], "summary": row["summary"],
                  "body": row["body"], "language": row["language"], "source": row["source"]}  # fmt: skip
        relevant = bool(row["marked_relevant"])
        out.append((record, relevant, row["label_marks"] if relevant else []))
    return out


def run(db: sqlite_utils.Database, *, dry_run: bool = False, weights_path: str | Path | None = None,
        tagger: Any = None, min_marks: int = MIN_MARKS) -> CalibrationResult:
    """Calibrate the tagger on the store's feedback; write the weights unless `dry_run`."""
    records = feedback_records(db)
    positives = sum(1 for _, rel, _ in records if rel)
    negatives = len(records) - positives
    label_marked = sum(1 for _, rel, labels in records if rel and labels)
    if len(records) < min_marks or (not label_marked and (not positives or not negatives)):
        raise CalibrationError(
            f"not enough feedback to calibrate: {positives} relevant and {negatives} not_relevant "
            f"marks, {label_marked} with label marks (need at least {min_marks} in all, and label marks "
            "or some relevance marks of each kind; mark items with `ncp-tracker triage ITEM "
            "--state not_relevant|watching|respond` or `--label +oecd-iv`)")  # fmt: skip
    from nlp.calibrate import calibrate, save_weights
    from tracker.jobs.tagging import load_tagger, weights_file

    target = Path(weights_path) if weights_path else weights_file()
    if tagger is None:
        try:
            tagger = load_tagger(target)
        except ValueError as exc:  # the weights file it would refit cannot be read
            raise CalibrationError(str(exc)) from exc
    report = calibrate(tagger, records, apply=False)
    changed_items = list(report.changed_items)
    written = False
    if not dry_run and report.changes:
        save_weights(report.weights, target)
        written = True
    sources: dict[str, int] = {}
    for rec, _, _ in records:
        sources[rec["source"]] = sources.get(rec["source"], 0) + 1
    return CalibrationResult(positives, negatives, dict(report.before), dict(report.after),
                             dict(report.changes), target, written, dry_run, report.weights, sources,
                             dict(report.skipped), changed_items)


def format_report(result: CalibrationResult) -> str:
    from nlp.calibrate import fmt

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
        mark = "  *" if fmt(b[0]) + fmt(b[1]) != fmt(a[0]) + fmt(a[1]) else ""
        lines.append(f"{key:<34}{fmt(b[0]):>9}{fmt(b[1]):>9}{fmt(a[0]):>9}{fmt(a[1]):>9}{mark}")
    for key, why in sorted(result.skipped.items()):
        lines.append(f"  unchanged {key}: {why}")
    if result.changed_items:
        lines += ["", f"items whose decision would change ({len(result.changed_items)}):"]
        lines += [f"  {item_id}: {what}" for item_id, what in result.changed_items]
    lines.append("")
    if result.dry_run:
        lines.append(f"dry run: nothing written (would write {result.weights_path})")
    elif result.written:
        lines.append(f"weights written to {result.weights_path}; the next `ncp-tracker run` retags with them")
    else:
        lines.append("no change: weights file left as it is")
    return "\n".join(lines)
