"""The workbench's /horizon page and the outcome chain on the item page (logic kept out of app.py)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

import sqlite_utils


class HorizonArgsError(ValueError):
    """A bad query parameter on /horizon (shown on the page, never a silent default)."""


def horizon_context(db: sqlite_utils.Database, args: Mapping[str, str], as_of: datetime) -> dict[str, Any]:
    """Template context of /horizon: ?weeks=1..104 (12), ?by=week|month, ?all=1; in the request's
    language (tracker.web.lang: ?lang=nb|en or the reader's cookie)."""
    from tracker.attention.horizon import grouped, horizon
    from tracker.web.lang import _, current_lang

    error = None
    weeks_raw = args.get("weeks") or "12"
    by = args.get("by") or "week"
    lang = current_lang()
    try:
        weeks = int(weeks_raw)
        if not 1 <= weeks <= 104:
            raise ValueError
    except ValueError:
        # the fields and choices named as the form names them («Uker fremover», «per uke»)
        error, weeks = _("“%(field)s” must be a whole number from 1 to 104, not %(value)s",
                         field=_("Weeks ahead"), value=repr(weeks_raw)), 12
    if by not in ("week", "month"):
        error, by = _("“%(field)s” must be “%(week)s” or “%(month)s”, not %(value)s", field=_("Group"),
                      week=_("per week"), month=_("per month"), value=repr(by)), "week"
    show_all = args.get("all") == "1"
    entries = horizon(db, as_of, weeks=weeks, followed_only=not show_all, lang=lang)
    return {"groups": grouped(entries, by, lang), "count": len(entries), "weeks": weeks, "by": by,
            "show_all": show_all, "lang": lang, "error": error, "start": as_of.date()}


def outcome_context(db: sqlite_utils.Database, item_id: str) -> dict[str, Any] | None:
    """The item's outcome chain (None when the NCP has not answered it); a broken store shows the error."""
    from tracker.links.outcomes import outcome_chain
    from tracker.web.lang import _, current_lang

    try:
        return outcome_chain(db, item_id, current_lang())
    except Exception as exc:  # noqa: BLE001 - a broken links table must not hide the item
        return {"error": _("the outcome chain could not be read: %(error)s", error=str(exc)), "steps": [], "text": ""}
