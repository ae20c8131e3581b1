"""The workbench's /horizon page and the outcome chain on the item page (logic kept out of app.py)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

import sqlite_utils


class HorizonArgsError(ValueError):
    """A bad query parameter on /horizon (shown on the page, never a silent default)."""


def horizon_context(db: sqlite_utils.Database, args: Mapping[str, str], as_of: datetime) -> dict[str, Any]:
    """Template context of /horizon: ?weeks=1..104 (12), ?by=week|month, ?all=1, ?lang=nb|en."""
    from tracker.attention.horizon import grouped, horizon

    error = None
    weeks_raw = args.get("weeks") or "12"
    by = args.get("by") or "week"
    lang = args.get("lang") or "nb"
    try:
        weeks = int(weeks_raw)
        if not 1 <= weeks <= 104:
            raise ValueError
    except ValueError:
        error, weeks = f"weeks må være et heltall 1–104, ikke {weeks_raw!r}", 12
    if by not in ("week", "month"):
        error, by = f"by må være week eller month, ikke {by!r}", "week"
    if lang not in ("nb", "en"):
        error, lang = f"lang må være nb eller en, ikke {lang!r}", "nb"
    show_all = args.get("all") == "1"
    entries = horizon(db, as_of, weeks=weeks, followed_only=not show_all)
    return {"groups": grouped(entries, by, lang), "count": len(entries), "weeks": weeks, "by": by,
            "show_all": show_all, "lang": lang, "error": error, "start": as_of.date().isoformat()}


def outcome_context(db: sqlite_utils.Database, item_id: str) -> dict[str, Any] | None:
    """The item's outcome chain (None when the NCP has not answered it); a broken store shows the error."""
    from tracker.links.outcomes import outcome_chain

    try:
        return outcome_chain(db, item_id)
    except Exception as exc:  # noqa: BLE001 - a broken links table must not hide the item
        return {"error": f"utfallskjeden kunne ikke leses: {exc}", "steps": [], "text": ""}
