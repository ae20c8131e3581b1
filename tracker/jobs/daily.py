"""What happens after every crawl step, in one place: tag, link, triage housekeeping.

`ncp-tracker run` and `demo` call `after_crawl` after each day, before the digest.
"""

from __future__ import annotations

import logging
import sqlite3
from datetime import datetime
from typing import Any

import sqlite_utils

log = logging.getLogger(__name__)


def after_crawl(db: sqlite_utils.Database, as_of: datetime, *, tag: bool = True) -> dict[str, Any]:
    """Tag new and changed items, fetch and read their documents (tracker/documents), resolve
    references into links, find named companies, close triaged items whose deadline passed
    unanswered (and reopen those whose deadline was then extended), put an item marked not
    relevant back to new when the NCP is named a consultee after the mark, and refresh the query
    planner's statistics. Returns counts for the log line."""
    from tracker.links import companies
    from tracker.links import related as links
    from tracker.workbench import triage

    summary: dict[str, Any] = {}
    if tag:
        from tracker.jobs.tagging import tag_store

        summary["tagging"] = tag_store(db)
    from tracker.documents.pipeline import after_crawl as read_documents

    summary["documents"] = read_documents(db, as_of)
    summary["links"] = links.update_links(db)
    summary["companies"] = companies.update_companies(db)
    summary["reopened"] = len(triage.reopen_extended(db, as_of))  # a deadline extended after it passed
    summary["reconsidered"] = len(triage.reconsider_named(db, as_of))  # the NCP named after «not relevant»
    summary["closed_unanswered"] = len(triage.close_unanswered(db, as_of))
    from tracker.store import db as store_db

    try:  # the store grew: the query planner's statistics follow (~0.2 s)
        store_db.refresh_statistics(db.conn)
        summary["statistics"] = "refreshed"
    except sqlite3.Error as exc:  # an optimisation: the day's data is stored and tagged already
        log.warning("the query planner's statistics were not refreshed: %s", exc)
        summary["statistics"] = f"not refreshed: {exc}"
    return summary
