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

from tracker.i18n import gettext
from tracker.vocabulary import N_, NP_, match_message, message_table

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
    #: the cross-validated estimates the changes were decided on (nlp.calibrate: ``LABEL F1``,
    #: ``relevance accuracy``): (before, after), each scored on marks held out of the fit
    cv: dict[str, tuple[float | None, float | None]] = field(default_factory=dict)


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
                             dict(report.skipped), changed_items, dict(report.cv))


#: why a weight was left as it was (nlp.calibrate's reasons, in its English) → its catalogue message
SKIP_REASONS = message_table((
    (r"(?P<num>\d+) marks, need (?P<min>\d+)",
     NP_("%(num)s mark, need %(min)s", "%(num)s marks, need %(min)s", "num")),
    (r"cross-validated F1 would drop", N_("cross-validated F1 would drop")),
    (r"cross-validated accuracy would drop", N_("cross-validated accuracy would drop")),
))


def _source(code: str, lang: str) -> str:
    """A source of the feedback: its code in English (as the report always said it), its name in
    Bokmål (vocabulary.source_name)."""
    from tracker.vocabulary import source_name

    return code if lang == "en" else source_name(code, lang)


def _row_name(key: str, lang: str) -> str:
    """A row of the report: a label, ``source:CODE`` or ``relevance``. English keeps the codes
    (those `--label` and the weights file take); Bokmål names them, as the rest of the command
    line names labels and sources (vocabulary.label_name, source_name)."""
    from tracker.vocabulary import label_name

    if lang == "en":
        return key
    if key == "relevance":
        return gettext(lang, "relevance")
    if key.startswith("source:"):
        return gettext(lang, "source:%(source)s", source=_source(key.removeprefix("source:"), lang))
    return label_name(key, lang)


def _cv_name(key: str, lang: str) -> str:
    """A cross-validated figure (nlp.calibrate: ``LABEL F1`` or ``relevance accuracy``): the codes
    in English, as the report's other rows; the label by name in Bokmål."""
    if key == "relevance accuracy":
        return gettext(lang, "relevance accuracy")
    return f"{_row_name(key.removesuffix(' F1'), lang)} F1"


def _setting_name(key: str, lang: str) -> str:
    """A weight refitted: ``LABEL.weight`` or ``relevance_threshold`` (English: as the weights
    file spells it)."""
    if lang == "en":
        return key
    if key == "relevance_threshold":
        return gettext(lang, "relevance_threshold")
    return gettext(lang, "%(label)s.weight", label=_row_name(key.removesuffix(".weight"), lang))


def _decision(what: str, lang: str) -> str:
    """What changes for an item (nlp.calibrate: «not relevant +oecd-iv -oecd-vi»), in `lang`."""
    words = []
    for word, shown in (("not relevant", gettext(lang, "not relevant")), ("relevant", gettext(lang, "relevant"))):
        if what == word or what.startswith(word + " "):
            words.append(shown)
            what = what.removeprefix(word)
            break
    words += [mark[:1] + _row_name(mark[1:], lang) for mark in what.split()]
    return " ".join(words)


def format_report(result: CalibrationResult, lang: str = "nb") -> str:
    """What calibration found and did, as `ncp-tracker calibrate` prints it, in `lang`: figures
    with the reader's decimal mark, labels and sources by name (Bokmål), undefined figures as
    «n/a» in the reader's words."""
    from tracker.i18n import format_decimal

    def figure(x: float | None) -> str:
        return gettext(lang, "n/a") if x is None or x != x else format_decimal(x, lang, ".2f")  # noqa: PLR0124 - nan

    def weight(x: float) -> str:
        return format_decimal(x, lang, ".4g")

    sources = ", ".join(f"{_source(code, lang)}: {n}" for code, n in sorted(result.per_source_counts.items()))
    lines = [gettext(lang, "feedback: %(relevant)s relevant, %(not_relevant)s not relevant (%(sources)s)",
                     relevant=result.positives, not_relevant=result.negatives, sources=sources), ""]
    lines.append(gettext(lang, "what changed:"))
    if result.changes:
        names = {key: _setting_name(key, lang) for key in result.changes}
        width = max(28, *(len(name) + 1 for name in names.values()))  # the longest too: two spaces before its figures
        for key, (old, new) in sorted(result.changes.items()):
            arrow = "↑" if new > old else "↓"
            lines.append(f"  {names[key]:<{width}} {weight(old)} → {weight(new)} {arrow}")
    else:
        lines.append("  " + gettext(lang, "nothing (the current weights already fit the feedback best)"))
    keys = sorted(set(result.before) | set(result.after),
                  key=lambda k: (k == "relevance", k.startswith("source:"), k))
    rows = {key: _row_name(key, lang) for key in keys}
    width = max(34, *(len(name) + 2 for name in rows.values()))
    if result.cv:  # what the changes were decided on: never scored on the marks that fitted them
        cv_rows = {key: _cv_name(key, lang) for key in result.cv}
        cv_width = max(34, *(len(name) + 2 for name in cv_rows.values()))
        lines += ["", gettext(lang, "cross-validated estimate (each mark scored by weights fitted without it):"),
                  " " * cv_width + "".join(f"{h:>9}" for h in (gettext(lang, "before"), gettext(lang, "after")))]
        for key in sorted(result.cv, key=lambda k: (k == "relevance accuracy", k)):
            b, a = result.cv[key]
            lines.append(f"{cv_rows[key]:<{cv_width}}{figure(b):>9}{figure(a):>9}")
    heads = [gettext(lang, "P before"), gettext(lang, "R before"), gettext(lang, "P after"), gettext(lang, "R after")]
    lines += ["", gettext(lang, "precision and recall on the feedback itself (in-sample, not an estimate):"),
              gettext(lang, "label / source").ljust(width) + "".join(f"{h:>9}" for h in heads)]
    nan = (float("nan"), float("nan"))
    for key in keys:
        cells = [figure(x) for x in (*result.before.get(key, nan), *result.after.get(key, nan))]
        mark = "  *" if cells[:2] != cells[2:] else ""
        lines.append(f"{rows[key]:<{width}}" + "".join(f"{c:>9}" for c in cells) + mark)
    for key, why in sorted(result.skipped.items()):
        lines.append("  " + gettext(lang, "unchanged %(what)s: %(why)s", what=_setting_name(key, lang),
                                    why=match_message(SKIP_REASONS, why, lang) or why))
    if result.changed_items:
        lines += ["", gettext(lang, "items whose decision would change (%(num)s):", num=len(result.changed_items))]
        lines += [f"  {item_id}: {_decision(what, lang)}" for item_id, what in result.changed_items]
    lines.append("")
    path = str(result.weights_path)
    if result.dry_run:
        lines.append(gettext(lang, "dry run: nothing written (would write %(path)s)", path=path))
    elif result.written:
        lines.append(gettext(lang, "weights written to %(path)s; the next `ncp-tracker run` retags with them",
                             path=path))
    else:
        lines.append(gettext(lang, "no change: weights file left as it is"))
    return "\n".join(lines)
