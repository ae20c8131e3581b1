"""The base every spider builds on: health notes, listing completeness, blocked-page detection.

A spider reports what it saw, never what it concluded about the store: the
tracker reads `spider.notes`, `spider.listing` and the crawl stats when the
spider closes and turns them into source health (green/amber/red).
"""

from __future__ import annotations

import logging
from datetime import date, datetime
from typing import Any

import scrapy
from scrapy.http import Response

from crawlers.dates import OSLO
from crawlers.items import TrackedItem

logger = logging.getLogger(__name__)

#: markers of a bot challenge / WAF page instead of data
CHALLENGE_MARKERS = (
    b"cf-chl", b"challenge-platform", b"Just a moment...", b"Attention Required! | Cloudflare",
    b"cf-browser-verification", b"_cf_chl_opt", b"Enable JavaScript and cookies to continue",
    b"awswaf", b"Request Rejected", b"captcha",
)  # fmt: skip


class TrackerSpider(scrapy.Spider):
    """Base spider.

    Spider arguments (all optional, all strings when given on the command line):
    - ``as_of``: the day the crawl is for (ISO date/datetime); defaults to now.
      Dates without a year are resolved against it.
    - ``known``: a mapping ``native_id -> {"status": ..., "content_hash": ...}`` of
      what the store already holds for this source, passed in by `ncp-tracker run`
      so a spider can skip re-downloading pages that can no longer change (a
      closed hearing's detail page). `scrapy crawl` runs without it.
    """

    #: default kind and channel of this spider's items
    kind: str = ""
    channel: str = ""
    #: an empty result is an error unless the spider says an empty day is normal
    may_be_empty: bool = False
    #: part of every `ncp-tracker run`; a spider run by its own command says False
    scheduled: bool = True

    def __init__(self, *args: Any, as_of: str | datetime | None = None, known: dict | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if isinstance(as_of, str):
            as_of = datetime.fromisoformat(as_of)
        if isinstance(as_of, datetime) and as_of.tzinfo is None:
            as_of = as_of.replace(tzinfo=OSLO)
        self.as_of: datetime = as_of or datetime.now(OSLO)
        self.known: dict[str, dict] = known or {}
        #: (level, reason) — level is "amber" or "red"; the tracker shows them in health
        self.notes: list[tuple[str, str]] = []
        #: what part of the source the spider saw in full (for "vanished" detection):
        #: {"complete": bool, "since": ISO date or None, "channel": str}
        self.listing: dict[str, Any] = {"complete": False, "since": None, "channel": self.channel}

    @property
    def today(self) -> date:
        return self.as_of.astimezone(OSLO).date()

    # ------------------------------------------------------------------ health

    def note(self, level: str, reason: str) -> None:
        """Record something health must show (amber: degraded, red: broken)."""
        assert level in ("amber", "red"), level
        if (level, reason) not in self.notes:
            self.notes.append((level, reason))
        log = logger.error if level == "red" else logger.warning
        log("%s: %s", self.name, reason)

    def parse_error(self, reason: str, url: str | None = None) -> None:
        """Count an item or field that could not be parsed; the run goes on."""
        self.crawler.stats.inc_value("tracker/parse_errors")
        self.crawler.stats.inc_value("tracker/parse_attempts")
        logger.warning("%s: parse error: %s (%s)", self.name, reason, url or "")

    def parsed_ok(self) -> None:
        self.crawler.stats.inc_value("tracker/parse_attempts")

    def count(self, key: str, n: int = 1) -> None:
        self.crawler.stats.inc_value(f"tracker/{key}", n)

    def set_listing(self, *, complete: bool, since: str | None = None, channel: str | None = None) -> None:
        self.listing = {"complete": complete, "since": since, "channel": channel or self.channel}

    # ------------------------------------------------------------------ helpers

    @staticmethod
    def is_blocked(response: Response) -> bool:
        """A 403/429/503 or a bot-challenge page where data was expected."""
        if response.status in (401, 403, 429, 503):
            return True
        head = response.body[:20000]
        return response.status == 200 and any(m in head for m in CHALLENGE_MARKERS) and b"<rss" not in head

    def revalidate(self, url: str, callback, **kwargs: Any) -> scrapy.Request:
        """A request that the HTTP cache revalidates (If-None-Match / If-Modified-Since).

        Scrapy's RFC2616Policy only revalidates when the request itself says
        `Cache-Control: max-age=0`; without it a cached feed would be served for
        days without asking the site.
        """
        headers = {"Cache-Control": "max-age=0", **kwargs.pop("headers", {})}
        return scrapy.Request(url, callback=callback, headers=headers, **kwargs)

    def make_item(self, **fields: Any) -> TrackedItem:
        fields.setdefault("source", self.name)
        fields.setdefault("kind", self.kind)
        fields.setdefault("channel", self.channel)
        item = TrackedItem()
        for key, value in fields.items():
            if value is not None:
                item[key] = value
        self.parsed_ok()
        return item
