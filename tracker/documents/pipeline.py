"""After a crawl: fetch the documents of new or changed items, read them, find watched provisions,
raise items' relevance from their documents. `tracker.jobs.daily.after_crawl` calls `after_crawl`."""

from __future__ import annotations

import logging
import subprocess
from datetime import datetime
from pathlib import Path
from typing import Any

import sqlite_utils

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
    """Read what was fetched, find watched provisions, raise relevance (no network)."""
    from tracker.documents import provisions as prov
    from tracker.documents import read

    summary: dict[str, Any] = dict(read.read_pending(db, tagger=tagger))
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
        if links:
            before = {r["status"]: r["n"] for r in db.query(
                "select status, count(*) as n from documents group by status")} if "documents" in db.table_names() else {}
            replay_dir = run["replay_dir"] if run else None
            crawls = running_crawls()
            try:
                if crawls is not None:
                    fetch_in_reactor(crawls, db_file(db), links, as_of=as_of, replay_dir=replay_dir,
                                     data_dir=data_dir, run_id=run_id)
                else:
                    fetch_in_child(db_file(db), links, as_of=as_of, replay_dir=replay_dir,
                                   data_dir=data_dir, run_id=run_id, config_path=_config_path())
            except (RuntimeError, ValueError, OSError, subprocess.TimeoutExpired) as exc:
                # the crawl is stored already: a failed document fetch is reported, never loses it
                logger.error("fetching documents failed: %s", exc)
                summary["fetch_error"] = str(exc)[-500:]
            after = {r["status"]: r["n"] for r in db.query("select status, count(*) as n from documents group by status")}
            summary["documents"] = after
            summary["documents_before"] = before
    summary.update(read_and_match(db, at=at, run_id=run_id))
    return summary


def _config_path() -> str | None:
    from tracker.config import get_config

    path = getattr(get_config(), "path", None)
    return str(path) if path else None
