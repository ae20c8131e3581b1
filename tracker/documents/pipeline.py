"""After a crawl: fetch the documents of new or changed items, read them, find watched provisions,
raise items' relevance from their documents. `tracker.jobs.daily.after_crawl` calls `after_crawl`."""

from __future__ import annotations

import logging
import subprocess
from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import Any

import sqlite_utils

from tracker.documents.store import OK
from tracker.store.instants import stored

logger = logging.getLogger(__name__)


def db_file(db: sqlite_utils.Database) -> str:
    """The file behind an open database (the child process opens it again)."""
    for _, name, path in db.execute("pragma database_list").fetchall():
        if name == "main" and path:
            return path
    raise ValueError("the database has no file (an in-memory database cannot be shared with the fetcher)")


def read_and_match(db: sqlite_utils.Database, *, at: str, run_id: int | None = None,
                   tagger: Any = None, provisions: list | None = None) -> dict[str, Any]:
    """Read what was fetched, take consultee lists from list files, find watched provisions, raise
    relevance (no network)."""
    from tracker.documents import provisions as prov
    from tracker.documents import read

    summary: dict[str, Any] = dict(read.read_pending(db, tagger=tagger))
    summary["consultee_lists"] = read.read_consultee_lists(db, at=at, run_id=run_id)
    summary["provision_hits"] = read.find_provisions(db, prov.load() if provisions is None else provisions,
                                                     at=at, run_id=run_id)
    summary["raised"] = read.raise_relevance(db)
    return summary


def after_crawl(db: sqlite_utils.Database, as_of: datetime, *, fetch: bool = True,
                data_dir: str | Path | None = None) -> dict[str, Any]:
    """Fetch (on the running crawl plan's reactor when called from its after-step thread, else in a
    child process), then read and match. The run that just finished (the newest `runs` row) says
    whether this is a replayed day and owns the events."""
    from tracker.config import get_config
    from tracker.documents.fetch import fetch_in_child, fetch_in_reactor, pending_links
    from tracker.jobs.crawl import running_crawls

    data_dir = data_dir or get_config().data_dir
    at = stored(as_of)
    run = next(iter(db.query("select id, replay_dir from runs order by id desc limit 1")), None)
    run_id = run["id"] if run else None
    summary: dict[str, Any] = {"fetched_links": 0}
    if fetch:
        from tracker.documents.family import sync as sync_stages

        summary["eu_stages"] = sync_stages(db, at=at)
        links = pending_links(db)
        summary["fetched_links"] = len(links)
        error: str | None = None
        lost: dict[str, Any] = {"store_failed": 0, "store_error": None}  # results not stored
        if links:
            before = {r["status"]: r["n"] for r in db.query(
                "select status, count(*) as n from documents group by status")} if "documents" in db.table_names() else {}
            replay_dir = run["replay_dir"] if run else None
            crawls = running_crawls()
            try:
                if crawls is not None:
                    lost = fetch_in_reactor(crawls, db_file(db), links, as_of=as_of,
                                              replay_dir=replay_dir, data_dir=data_dir, run_id=run_id)
                else:
                    lost = fetch_in_child(db_file(db), links, as_of=as_of, replay_dir=replay_dir,
                                            data_dir=data_dir, run_id=run_id,
                                            config_path=_config_path())
            except (RuntimeError, ValueError, OSError, subprocess.TimeoutExpired) as exc:
                # the crawl is stored already: a failed document fetch is reported, never loses it
                logger.error("fetching documents failed: %s", exc)
                error = summary["fetch_error"] = str(exc)[-500:]
            after = {r["status"]: r["n"] for r in db.query("select status, count(*) as n from documents group by status")}
            summary["documents"] = after
            summary["documents_before"] = before
            summary.update(lost)
        if run_id is not None:
            summary["health"] = record_health(db, run_id, links, at=at, error=error, **lost)
    summary.update(read_and_match(db, at=at, run_id=run_id))
    return summary


def record_health(db: sqlite_utils.Database, run_id: int, links: list[dict[str, Any]], *, at: str,
                  error: str | None = None, store_failed: int = 0,
                  store_error: str | None = None) -> dict[str, Any]:
    """The documents' health row in run `run_id`, from what the fetch at `at` recorded for `links`:
    red when the fetch failed as a whole (`error`), gave a result for none of them, or could not
    store `store_failed` of them (the first error: `store_error`); amber when some could not be
    fetched, gave no result or are not in a replayed day's recording; else green with the
    documents fetched, new and changed."""
    from crawlers.spiders.documents import NOT_IN_RECORDING
    from tracker.store import health
    from tracker.store.instants import now_iso

    wanted = {(link["item_id"], link["url"]) for link in links}
    checked: dict[tuple[str, str], str | None] = {}  # link → None when fetched, else why not
    had_one: dict[tuple[str, str], bool] = {}  # a wanted link with a new version: had it one before?
    if wanted and "documents" in db.table_names():
        for r in db.query("select item_id, url, status, error from documents where checked_at = ?", [at]):
            if (r["item_id"], r["url"]) in wanted:
                checked[(r["item_id"], r["url"])] = None if r["status"] == OK else r["error"] or r["status"]
        for r in db.query("select item_id, url, previous from document_versions where seen_at = ?", [at]):
            if (r["item_id"], r["url"]) in wanted:
                had_one[(r["item_id"], r["url"])] = r["previous"] is not None
    fetched = sum(1 for why in checked.values() if why is None)
    # a result that could not be stored left no row: it is counted there, not as "no result"
    missing = max(0, len(wanted) - len(checked) - store_failed)
    notes: list[tuple[str, str]] = []
    if store_failed:
        notes.append(("red", f"{store_failed} of {len(wanted)} documents could not be stored: "
                             f"{store_error or 'unknown error'}"))
    if error:
        notes.append(("red", f"fetching documents failed: {error}"))
    elif wanted and not checked and not store_failed:
        notes.append(("red", f"none of {len(wanted)} documents gave a result"))
    else:
        why = Counter(e for e in checked.values() if e is not None)
        if unrecorded := why.pop(NOT_IN_RECORDING, 0):  # a replayed day without them: as the spiders'
            notes.append(("amber", f"{unrecorded} of {len(wanted)} documents not in the recording"))
        if why:
            shown = ", ".join(f"{e} ×{n}" for e, n in why.most_common(3)) + (", …" if len(why) > 3 else "")
            notes.append(("amber", f"{sum(why.values())} of {len(wanted)} documents could not be fetched "
                                   f"({shown})"))
        if missing:
            notes.append(("amber", f"{missing} of {len(wanted)} documents gave no result"))
    run = health.SourceRun(source=health.DOCUMENTS, notes=notes, items_seen=fetched,
                           items_new=list(had_one.values()).count(False),
                           items_changed=list(had_one.values()).count(True),
                           may_be_empty=True)
    with db.conn:
        return health.record(db, run_id, run, now_iso())


def _config_path() -> str | None:
    from tracker.config import get_config

    path = getattr(get_config(), "path", None)
    return str(path) if path else None
