"""Storing a crawl: one Scrapy item pipeline for every runner, and the one function behind it.

Every crawl the tracker runs — the daily `run`/`crawl`, `record`, `answers`, `demo` — stores
through `StorePipeline` (added to ITEM_PIPELINES by tracker/jobs/crawl.py). It keeps the items a
spider yields and, when the spider closes, hands them with the crawl report (notes, listing,
stats: crawlers/report.py) to `store_crawl`: its items in one transaction (a crawl killed
half-way leaves each source's items as they were before it, or wholly stored), then its health
row. If the store step raises before that row is written, the error is kept in the crawl's stats
(`STORE_ERROR_STAT`) and the runner (tracker/jobs/crawl.py) records the source red with it.

`ncp-tracker ingest` (tracker/jobs/ingest.py) calls the same `store_crawl` with the items and
report of a feed export, so a plain `scrapy crawl X -O items.jsonl` or a Scrapyd job is stored
with the same change events and health as a crawl the tracker ran.

Which store a source goes to is decided here (`STORERS`): consultations go to `items`
(tracker.store.merge); published answers to hearings go to `answers` (tracker.workbench.answers).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlite_utils
from itemadapter import ItemAdapter

from tracker.store import health
from tracker.store import merge as store
from tracker.store.instants import now_iso

logger = logging.getLogger(__name__)

#: Scrapy settings the runner sets for the pipeline
DB_SETTING, RUN_SETTING, AS_OF_SETTING = "TRACKER_DB", "TRACKER_RUN_ID", "TRACKER_AS_OF"
#: the crawl stat that carries a failed store step's error to the runner: Scrapy logs an error
#: raised in a spider_closed handler and goes on, so the runner must look for it (crawl.py)
STORE_ERROR_STAT = "tracker/store_error"


@dataclass
class Report:
    """What the store needs to know about a crawl besides its items (a `CrawlReport`, as a dict)."""

    source: str
    notes: list[tuple[str, str]] = field(default_factory=list)
    listing: dict[str, Any] = field(default_factory=dict)
    channel: str | None = None
    may_be_empty: bool = False
    finish_reason: str = "finished"
    stats: dict[str, Any] = field(default_factory=dict)
    duration_s: float = 0.0
    args: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_item(cls, data: dict[str, Any]) -> Report:
        return cls(
            source=data["source"], notes=[(str(level), str(reason)) for level, reason in data.get("notes") or []],
            listing=dict(data.get("listing") or {}), channel=data.get("channel"),
            may_be_empty=bool(data.get("may_be_empty")), finish_reason=data.get("finish_reason") or "finished",
            stats=dict(data.get("stats") or {}), duration_s=float(data.get("duration_s") or 0.0),
            args=dict(data.get("args") or {}),
        )  # fmt: skip


def _store_items(db: sqlite_utils.Database, *, run_id: int, as_of: datetime, report: Report,
                 items: list[dict[str, Any]], spider: Any = None) -> store.ApplyResult:
    return store.apply_scrape(db, run_id=run_id, as_of=as_of, source=report.source, items=items,
                              listing=report.listing)


def _store_answers(db: sqlite_utils.Database, *, run_id: int, as_of: datetime, report: Report,
                   items: list[dict[str, Any]], spider: Any = None) -> store.ApplyResult:
    from tracker.workbench import answers

    args = spider.report_args() if spider is not None else report.args
    # only the hearings whose answer list was read are logged as checked: a blocked list was not
    read = {str(h) for h in args.get("read") or ()}
    checked = {k: v for k, v in (args.get("hearings") or {}).items() if str(k) in read}
    stored = answers.store(db, items, as_of=as_of, checked=checked, run_id=run_id)
    result = store.ApplyResult(report.source)
    result.seen, result.new = len(items), stored
    asked = args.get("hearings") or {}
    # every list asked for failed (an HTTP error, a download error, a request not in the recording)
    # or was blocked (HTTP 403/429/challenge, robots.txt): nothing was read, red, live or replayed
    # alike (a blocked list among lists read stays amber: the spider's note)
    failed = int(report.stats.get("tracker/list_failed", 0))
    blocked = int(report.stats.get("tracker/detail_blocked", 0)) + int(report.stats.get("tracker/robots_blocked", 0))
    if asked and not read and failed + blocked >= len(asked):
        reason = f"no answer list could be read (0 of {len(asked)} hearings)"
        if not failed:  # the site refused them all
            reason += ": blocked (HTTP 403/429/challenge or robots.txt)"
        result.notes.append(("red", reason))
    return result


#: source → how its items are stored (default: as tracked items)
STORERS: dict[str, Callable[..., store.ApplyResult]] = {
    "no_regjeringen_horingssvar": _store_answers,
}


def store_crawl(db: sqlite_utils.Database, *, run_id: int, as_of: datetime, report: Report,
                items: list[dict[str, Any]], spider: Any = None) -> dict[str, Any]:
    """Store one source's items and record its health; returns the health row. Never raises for
    a refusal of the store: that becomes a red health row, and the store is left as it was."""
    storer = STORERS.get(report.source, _store_items)
    notes = list(report.notes)
    try:
        applied = storer(db, run_id=run_id, as_of=as_of, report=report, items=items, spider=spider)
    except Exception as exc:  # the store refused: say so, lose nothing
        logger.exception("storing %s failed", report.source)
        applied = store.ApplyResult(report.source, notes=[("red", f"storing failed: {exc}")])
    if applied.seen == 0 and (error := report.stats.get("tracker/download_error")):
        notes.append(("red", f"no items; last download error: {error}"))
    channel = report.listing.get("channel") or report.channel
    run = health.SourceRun(
        source=report.source, finish_reason=report.finish_reason, stats=report.stats,
        notes=notes + list(applied.notes), channel=channel,
        items_seen=applied.seen, items_new=applied.new, items_changed=applied.changed,
        may_be_empty=report.may_be_empty, duration_s=report.duration_s,
        usual_items=health.usual_items(db, report.source, channel, run_id),
    )  # fmt: skip
    with db.conn:
        return health.record(db, run_id, run, now_iso())


class StorePipeline:
    """Keeps a spider's items and stores them, with its health, when the spider closes.

    Settings: TRACKER_DB (database path), TRACKER_RUN_ID (the `runs` row), TRACKER_AS_OF (the
    crawl's clock). The crawl report, when the crawl got that far, supplies notes, listing and
    stats; a crawl that ended early has none, and the spider's own state is used instead.
    """

    def __init__(self, crawler):
        from scrapy import signals
        from scrapy.exceptions import NotConfigured

        settings = crawler.settings
        if settings.get(RUN_SETTING) is None:
            raise NotConfigured("StorePipeline needs TRACKER_RUN_ID")
        self.crawler = crawler
        self.db_path = settings.get(DB_SETTING)
        self.run_id = int(settings.get(RUN_SETTING))
        self.as_of = datetime.fromisoformat(settings.get(AS_OF_SETTING))
        self.items: list[dict[str, Any]] = []
        self.report: dict[str, Any] | None = None
        self.started = 0.0
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def open_spider(self, spider=None) -> None:
        import time

        self.started = time.monotonic()

    def process_item(self, item):
        from crawlers.items import CrawlReport

        if isinstance(item, CrawlReport):
            self.report = dict(ItemAdapter(item).items())
        else:
            # a shallow copy: items are not changed once yielded
            self.items.append(dict(ItemAdapter(item).items()))
        return item

    def spider_closed(self, spider, reason) -> None:
        import time

        from crawlers.report import build_report
        from tracker.store.db import open_db

        if self.report is not None:
            report = Report.from_item(self.report)
            report.finish_reason = reason
        else:  # ended before it ran out of work: what the spider knows now
            report = Report.from_item(dict(build_report(spider, dict(self.crawler.stats.get_stats()),
                                                        finish_reason=reason)))
        report.duration_s = time.monotonic() - self.started
        try:
            db = open_db(self.db_path)
            try:
                store_crawl(db, run_id=self.run_id, as_of=self.as_of, report=report, items=self.items,
                            spider=spider)
            finally:
                db.close()
        except Exception as exc:  # no health row for this source (its items: wholly stored or not at all)
            self.crawler.stats.set_value(STORE_ERROR_STAT, f"{type(exc).__name__}: {exc}"[:300])
            raise
