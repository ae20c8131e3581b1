"""An item's labels as the product shows them: the tagger's, as advisers marked them.

An adviser's mark on the item page or with `triage --label` («Tema som mangler eller er feil»)
adds a label the tagger missed (`+`) or removes one it gave wrongly (`-`); the latest mark per item
and label counts (`label_marks`). `items.labels` holds the labels with the marks applied, so every
reader — the item page, the inbox, search's label filter, exports, drafts, the digest — shows the
corrected topics; whatever writes `items.labels` (the tagger, the documents' relevance, a mark)
applies the marks here. Calibration learns from the marks themselves (`label_marks`).
"""

from __future__ import annotations

from collections.abc import Iterable

import sqlite_utils

from tracker.store.queries import select_in


def with_marks(labels: Iterable[str], marks: dict[str, str]) -> list[str]:
    """`labels` without those marked `-`, then those marked `+` it lacks (in code order)."""
    kept = [label for label in labels if marks.get(label) != "-"]
    return kept + sorted(label for label, mark in marks.items() if mark == "+" and label not in kept)


def marks_of(db: sqlite_utils.Database, item_ids: Iterable[str]) -> dict[str, dict[str, str]]:
    """{item id: {label: "+"|"-"}, in label order} for those of `item_ids` that advisers marked."""
    if not db["label_marks"].exists():
        return {}
    out: dict[str, dict[str, str]] = {}
    for r in select_in(db, "select item_id, label, mark from label_marks where item_id in ({marks}) order by item_id, label",
                       sorted(set(item_ids))):
        out.setdefault(r["item_id"], {})[r["label"]] = r["mark"]
    return out
