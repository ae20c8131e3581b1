"""Fetching the documents of new or changed items with the `documents` spider, and storing each
answer as it arrives (`DocumentStorePipeline`: files content-addressed, rows in `documents`).

Scrapy's reactor runs once per process. `ncp-tracker run`, `demo` and `backfill` call `after_crawl`
from their crawl plan's after-step thread, and the fetch runs on that plan's reactor
(`fetch_in_reactor`); called anywhere else after a crawl, it runs in a child process
(`python -m tracker.documents.fetch`, `fetch_in_child`); `ncp-tracker documents fetch` runs it in its
own process directly (`fetch_in_process`).
"""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

import sqlite_utils

from tracker.store.changes import UNLISTED

logger = logging.getLogger(__name__)

#: the document types read by default (regjeringen.no's link types — a hearing's list of consultees
#: as a file too: read for its names, never tagged, tracker/documents/read.py — Stortinget's
#: publications)
DEFAULT_TYPES = ("høringsnotat", "høringsbrev", "høringsinstanser", "publikasjon", "proposal", "forslag",
                 # a watched EU file's stage documents (tracker/documents/family.py)
                 "eu_proposal", "eu_council_mandate", "eu_ep_position", "eu_adopted")
#: items whose documents can still matter
LIVE_STATUSES = ("open", "upcoming", "unknown")
DB_SETTING, AS_OF_SETTING, DATA_SETTING, RUN_SETTING = (
    "TRACKER_DB", "TRACKER_AS_OF", "TRACKER_DOCUMENTS_DATA_DIR", "TRACKER_RUN_ID")
#: the crawl stats in which DocumentStorePipeline counts the results it could not store (a full
#: disk, a database that refuses the row), and the first such error
STORE_FAILED_STAT, STORE_ERROR_STAT = "documents/store_failed", "documents/store_error"


def store_failures(stats: dict[str, Any]) -> dict[str, Any]:
    """What a finished `documents` crawl could not store, from its stats: ``{"store_failed": n,
    "store_error": the first error or None}`` (the documents' health row says so, red)."""
    return {"store_failed": int(stats.get(STORE_FAILED_STAT, 0)),
            "store_error": stats.get(STORE_ERROR_STAT)}


def pending_links(db: sqlite_utils.Database, *, types: tuple[str, ...] = DEFAULT_TYPES,
                  item_ids: list[str] | None = None) -> list[dict[str, Any]]:
    """The links to fetch: documents of the wanted types of live items that were never fetched,
    failed last time, or whose item changed since they were last checked."""
    from tracker.documents.store import known_validators

    held = {}
    if "documents" in db.table_names():
        held = {(r["item_id"], r["url"]): r for r in db.query("select * from documents")}
    validators = known_validators(db)
    marks = ",".join("?" for _ in LIVE_STATUSES)
    sql = f"select id, documents, last_changed from items where vanished_at is null and status in ({marks})"
    params: list[Any] = list(LIVE_STATUSES)
    if item_ids:
        sql = "select id, documents, last_changed from items where id in (select value from json_each(?))"
        params = [json.dumps(item_ids)]
    from tracker.documents.family import pending_stage_links

    stages: dict[str, list[dict[str, Any]]] = {}
    for link in pending_stage_links(db):
        stages.setdefault(link["item_id"], []).append(link)
    out = []
    wanted = {t.lower() for t in types}
    for row in db.query(sql, params):
        try:
            docs = json.loads(row["documents"] or "[]")
        except ValueError:
            docs = []
        docs = (docs if isinstance(docs, list) else []) + stages.get(row["id"], [])
        for doc in docs if isinstance(docs, list) else []:
            if not isinstance(doc, dict) or str(doc.get("type", "")).lower() not in wanted or not doc.get("url"):
                continue
            if "#" in doc["url"]:  # a part of a page (Have your say's publication anchors), not a file
                continue
            if doc.get(UNLISTED):  # the item's page no longer links it: the copy we hold is kept
                continue
            key = (row["id"], doc["url"])
            have = held.get(key)
            # checked since the item last changed: done, unless it failed in a way worth retrying
            settled = have and (have["status"] in ("ok", "refused") or have["http_status"] in (404, 410))
            if settled and (have["checked_at"] or "") >= (row["last_changed"] or ""):
                continue
            val = validators.get(key, {})
            out.append({"item_id": row["id"], "url": doc["url"], "title": doc.get("title"),
                        "type": doc.get("type"), "etag": val.get("etag"), "last_modified": val.get("last_modified")})
    return out


class DocumentStorePipeline:
    """Stores each result of the `documents` spider when it arrives (never holds the bodies)."""

    def __init__(self, crawler):
        from scrapy.exceptions import NotConfigured

        from tracker.documents.store import documents_dir
        from tracker.store.db import open_db

        settings = crawler.settings
        if not settings.get(DB_SETTING):
            raise NotConfigured("DocumentStorePipeline needs TRACKER_DB")
        self.db = open_db(settings.get(DB_SETTING), migrate=True)
        from tracker.store.instants import to_stored_text

        self.at = to_stored_text(settings.get(AS_OF_SETTING))  # the run's clock, as stored (UTC)
        self.root = documents_dir(settings.get(DATA_SETTING))
        self.run_id = settings.getint(RUN_SETTING) or None
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_item(self, item):
        from itemadapter import ItemAdapter

        from tracker.documents.store import record_fetch

        data = dict(ItemAdapter(item).items())
        if "item_id" not in data or "status" not in data:
            return item  # the crawl report
        if "content" in data:
            data["body"] = data.pop("content")
        try:
            with self.db.conn:
                record_fetch(self.db, data, root=self.root, at=self.at, run_id=self.run_id)
        except Exception as exc:
            # Scrapy only logs what a pipeline raises: counted here for the documents' health row
            # (red), then raised on for the log's traceback
            self.stats.inc_value(STORE_FAILED_STAT)
            if self.stats.get_value(STORE_ERROR_STAT) is None:
                self.stats.set_value(STORE_ERROR_STAT, f"{type(exc).__name__}: {exc}"[:300])
            raise
        finally:  # the bytes are stored (or not): never held on, nor shown in Scrapy's log line
            if isinstance(item, dict):
                item.pop("content", None)
        return item

    def close_spider(self, spider=None) -> None:
        self.db.close()


def documents_settings(db_path: str | Path, *, as_of: datetime, replay_dir: str | None = None,
                       data_dir: str | Path | None = None, settings: dict[str, Any] | None = None,
                       run_id: int | None = None) -> Any:
    """The Scrapy settings of a `documents` crawl (the project's, plus the store pipeline and
    where it writes); a live fetch needs a contact address (ValueError)."""
    from tracker.config import get_config
    from tracker.jobs.crawl import base_settings, tracker_settings

    base = base_settings(tracker_settings(settings))
    base.set("ITEM_PIPELINES", {**base.getdict("ITEM_PIPELINES"),
                                "tracker.documents.fetch.DocumentStorePipeline": 800}, priority="cmdline")
    base.set(DB_SETTING, str(db_path), priority="cmdline")
    base.set(AS_OF_SETTING, as_of.isoformat(timespec="seconds"), priority="cmdline")
    base.set(DATA_SETTING, str(data_dir or get_config().data_dir), priority="cmdline")
    if run_id is not None:
        base.set(RUN_SETTING, run_id, priority="cmdline")
    if replay_dir:
        base.set("REPLAY_DIR", str(replay_dir), priority="cmdline")
    base.set("HTTPCACHE_ENABLED", False, priority="cmdline")
    if not replay_dir and not (base.get("CONTACT") or "").strip():
        raise ValueError("no contact address for the crawler's User-Agent: a live fetch needs one "
                         "(`[crawl] contact` in ncp-tracker.toml or -s CONTACT=you@example.org)")
    return base


def fetch_in_process(db_path: str | Path, links: list[dict[str, Any]], *, as_of: datetime,
                     replay_dir: str | None = None, data_dir: str | Path | None = None,
                     settings: dict[str, Any] | None = None, run_id: int | None = None,
                     max_bytes: int | None = None) -> dict[str, Any]:
    """Run the `documents` spider over `links` in this process (starts Scrapy's reactor: once per
    process); returns what it could not store (:func:`store_failures`), and where its log lines
    went and how many warnings and errors it logged (`log_path`, `log_warnings`, `log_errors`:
    tracker.jobs.crawl.crawl_log, the log of every crawl of the database)."""
    from scrapy.crawler import CrawlerProcess

    from tracker.jobs.crawl import crawl_log, tracker_settings

    base = documents_settings(db_path, as_of=as_of, replay_dir=replay_dir, data_dir=data_dir,
                              settings=settings, run_id=run_id)
    header = f"---- {as_of.isoformat(timespec='seconds')} documents: {len(links)} link(s) of {db_path}"
    with crawl_log(db_path, tracker_settings(settings), base, header) as log:
        process = CrawlerProcess(base)
        crawler = process.create_crawler("documents")
        process.crawl(crawler, documents=links, as_of=as_of.isoformat(), max_bytes=max_bytes)
        process.start()
    return {**store_failures(crawler.stats.get_stats()), "log_path": str(log.path) if log.path else None,
            "log_warnings": log.warnings, "log_errors": log.errors}


def fetch_in_reactor(crawls: Any, db_path: str | Path, links: list[dict[str, Any]], *,
                     as_of: datetime, replay_dir: str | None = None,
                     data_dir: str | Path | None = None, run_id: int | None = None,
                     max_bytes: int | None = None) -> dict[str, Any]:
    """The same on the reactor of a running crawl plan (``crawls``:
    :func:`tracker.jobs.crawl.running_crawls`), from its after-step thread; returns when done."""
    base = documents_settings(db_path, as_of=as_of, replay_dir=replay_dir, data_dir=data_dir,
                              run_id=run_id)
    crawler = crawls.crawl("documents", base, documents=links, as_of=as_of.isoformat(),
                           max_bytes=max_bytes)
    return store_failures(crawler.stats.get_stats())


def fetch_in_child(db_path: str | Path, links: list[dict[str, Any]], *, as_of: datetime,
                   replay_dir: str | None = None, data_dir: str | Path | None = None,
                   run_id: int | None = None, config_path: str | None = None,
                   timeout: float = 3600) -> dict[str, Any]:
    """The same, in a child process (for callers already inside a running reactor); the child
    prints what it could not store as its last line of output (JSON)."""
    import tempfile

    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8") as fh:
        json.dump(links, fh, ensure_ascii=False)
        links_path = fh.name
    try:
        cmd = [sys.executable, "-m", "tracker.documents.fetch", "--db", str(db_path), "--links", links_path,
               "--as-of", as_of.isoformat(timespec="seconds")]
        if replay_dir:
            cmd += ["--replay", str(replay_dir)]
        if data_dir:
            cmd += ["--data-dir", str(data_dir)]
        if run_id is not None:
            cmd += ["--run-id", str(run_id)]
        if config_path:
            cmd += ["--config", config_path]
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        if out.returncode != 0:
            raise RuntimeError(f"fetching documents failed (exit {out.returncode}): {out.stderr[-2000:]}")
        lines = out.stdout.strip().splitlines()
        try:
            summary = json.loads(lines[-1]) if lines else None
        except ValueError:
            summary = None
        if not isinstance(summary, dict) or "store_failed" not in summary:
            raise RuntimeError(f"the document fetcher ended without its summary: {out.stdout[-500:]!r}")
        return summary
    finally:
        Path(links_path).unlink(missing_ok=True)


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m tracker.documents.fetch")
    parser.add_argument("--db", required=True)
    parser.add_argument("--links", required=True, help="JSON file of links (pending_links)")
    parser.add_argument("--as-of", required=True)
    parser.add_argument("--replay")
    parser.add_argument("--data-dir")
    parser.add_argument("--run-id", type=int)
    parser.add_argument("--config")
    args = parser.parse_args(argv)
    from tracker.config import load_config, set_config

    set_config(load_config(args.config, db=args.db))
    links = json.loads(Path(args.links).read_text("utf-8"))
    summary = fetch_in_process(args.db, links, as_of=datetime.fromisoformat(args.as_of),
                               replay_dir=args.replay, data_dir=args.data_dir, run_id=args.run_id)
    print(json.dumps(summary))  # the last line of output: fetch_in_child reads it
    return 0


if __name__ == "__main__":
    sys.exit(main())
