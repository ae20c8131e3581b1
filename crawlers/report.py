"""The crawl report: the last item of every finished crawl (see `crawlers.items.CrawlReport`).

When a spider has nothing left to do (Scrapy's `spider_idle`), this extension asks the engine for
one more "request" — a `data:` URL answered without any network — whose callback yields the
report. The report therefore travels the same way as the items: through the item pipelines (the
tracker's store pipeline reads it) and into any feed export (`-O items.jsonl`, a Scrapyd job's
items), which is what lets `ncp-tracker ingest` judge a crawl it did not run.

A crawl that ends early (closespider timeout, a crash, Ctrl-C) never becomes idle and has no report.
"""

from __future__ import annotations

import time
from datetime import datetime
from typing import Any

from scrapy import Request, Spider, signals
from scrapy.exceptions import DontCloseSpider
from scrapy.http import Response

from crawlers.items import REPORT_VERSION, CrawlReport

REPORT_URL = "data:text/plain,crawl-report"


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, int | float | str | bool) or value is None:
        return value
    if isinstance(value, list | tuple):  # the names of blocked pages (crawlers.notes.BLOCKED_PAGES_STAT)
        return [_jsonable(v) for v in value]
    return str(value)


def build_report(spider: Spider, stats: dict[str, Any], *, finish_reason: str = "finished",
                 duration_s: float = 0.0) -> CrawlReport:
    """The report of `spider` as it is now (TrackerSpider attributes; plain spiders give defaults)."""
    listing = dict(getattr(spider, "listing", None) or {})
    as_of = getattr(spider, "as_of", None)
    args = spider.report_args() if hasattr(spider, "report_args") else {}
    return CrawlReport(
        crawl_report=REPORT_VERSION, source=spider.name,
        as_of=as_of.isoformat(timespec="seconds") if isinstance(as_of, datetime) else None,
        notes=[list(n) for n in getattr(spider, "notes", [])], listing=listing,
        channel=listing.get("channel") or getattr(spider, "channel", None) or None,
        may_be_empty=bool(getattr(spider, "may_be_empty", False)), finish_reason=finish_reason,
        stats={k: _jsonable(v) for k, v in stats.items()}, duration_s=round(duration_s, 3), args=args,
    )  # fmt: skip


class CrawlReportExtension:
    """Yields one `CrawlReport` when the spider first runs out of work (always enabled)."""

    def __init__(self, crawler):
        self.crawler = crawler
        self.sent = False
        self.started = time.monotonic()
        crawler.signals.connect(self.spider_idle, signal=signals.spider_idle)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def spider_idle(self, spider: Spider) -> None:
        if self.sent:
            return
        self.sent = True
        # the stats before the report's own request, so they count only the crawl
        report = build_report(spider, dict(self.crawler.stats.get_stats()),
                              duration_s=time.monotonic() - self.started)
        request = Request(REPORT_URL, callback=_yield_report, cb_kwargs={"report": report},
                          dont_filter=True, priority=-1000,
                          meta={"dont_cache": True, "dont_obey_robotstxt": True, "dont_retry": True,
                                "crawl_report": True})  # fmt: skip
        self.crawler.engine.crawl(request)
        raise DontCloseSpider


def _yield_report(response: Response, report: CrawlReport):
    yield report
