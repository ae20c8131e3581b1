"""The base every spider builds on: health notes, listing completeness, blocked-page detection.

A spider reports what it saw, never what it concluded about the store: the
tracker reads `spider.notes`, `spider.listing` and the crawl stats when the
spider closes and turns them into source health (green/amber/red).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from urllib.parse import urljoin

import feedparser
import scrapy
from feedparser.exceptions import (
    CharacterEncodingOverride,
    CharacterEncodingUnknown,
    NonXMLContentType,
)
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response

from crawlers.dates import OSLO, parse_date
from crawlers.items import TrackedItem, detail_never_read
from crawlers.notes import (
    BLOCKED_PAGES_STAT,
    BLOCKING_STATUSES,
    DETAIL_BLOCKED,
    PAGES_NAMED,
    page_name,
)
from crawlers.text import answer_encodings, strip_html

logger = logging.getLogger(__name__)

#: markers of a bot challenge / WAF page instead of data
CHALLENGE_MARKERS = (
    b"cf-chl", b"challenge-platform", b"Just a moment...", b"Attention Required! | Cloudflare",
    b"cf-browser-verification", b"_cf_chl_opt", b"Enable JavaScript and cookies to continue",
    b"awswaf", b"Request Rejected", b"captcha",
)  # fmt: skip


#: feedparser's words for a feed it could not read in the encoding it declares (it read it in another,
#: or with U+FFFD for the bytes it could not): never "parsed leniently"
ENCODING_PROBLEMS = (CharacterEncodingOverride, CharacterEncodingUnknown)


@dataclass
class FeedEntry:
    """The fields every RSS/Atom entry has, already cleaned; `raw` is feedparser's entry."""

    url: str
    title: str
    guid: str
    published: datetime | None
    summary: str
    body: str
    categories: list[str] = field(default_factory=list)
    raw: Any = None


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
    #: keys of its stored items' `extra` it is given in `known` too (eu_cellar: a work's relations)
    known_extra: tuple[str, ...] = ()

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

    def page_blocked(self, name: str) -> None:
        """Count a page the site refused (HTTP 403/429/challenge) and keep its name (`page_name`:
        its title, else its URL) among the first few, which health names beside the count."""
        self.count("detail_blocked")
        names = list(self.crawler.stats.get_value(BLOCKED_PAGES_STAT) or [])
        if name not in names and len(names) < PAGES_NAMED:
            self.crawler.stats.set_value(BLOCKED_PAGES_STAT, [*names, name])

    def set_listing(self, *, complete: bool, since: str | None = None, channel: str | None = None) -> None:
        self.listing = {"complete": complete, "since": since, "channel": channel or self.channel}

    def report_args(self) -> dict[str, Any]:
        """Facts of this crawl, besides notes and listing, that storing its items needs (JSON-safe);
        they travel in the crawl report (crawlers/report.py)."""
        return {}

    # ------------------------------------------------------------------ helpers

    @staticmethod
    def is_blocked(response: Response) -> bool:
        """A 403/429/503 or a bot-challenge page where data was expected."""
        if response.status in BLOCKING_STATUSES:
            return True
        head = response.body[:20000]
        return response.status == 200 and any(m in head for m in CHALLENGE_MARKERS) and b"<rss" not in head

    def listing_readable(self, response: Response, what: str) -> bool:
        """Whether a listing page can be read: a 304 (nothing changed behind the HTTP cache) is
        counted and is not read; a blocked or failed page is not read and turns the source red."""
        if response.status == 304:
            self.count("listing_not_modified")
            return False
        if self.is_blocked(response) or response.status >= 400:
            self.note("red", f"{what} answered HTTP {response.status}")
            return False
        return True

    # ------------------------------------------------------------------ feeds

    def read_feed(self, response: Response, label: str = "feed") -> list[Any] | None:
        """The entries of an RSS/Atom response, or None when there are none to read.

        A 304 (only seen behind the HTTP cache, when nothing changed) is counted and
        gives None without a note; a blocked, failed, unreadable or empty feed gives
        None after a red note saying which; a feed that parsed only leniently is amber.
        """
        if response.status == 304:
            self.count("feed_not_modified")
            return None
        entries, problem = self.parse_feed(response, label)
        if problem:
            self.note("red", problem)
            return None
        return entries

    def parse_feed(self, response: Response, label: str = "feed") -> tuple[list[Any], str | None]:
        """(entries, None), or ([], why the feed holds nothing to read) — for spiders that fall
        back to another channel instead of turning red. A lenient parse is noted amber."""
        if self.is_blocked(response) or response.status >= 400:
            challenge = " (bot challenge)" if response.status == 200 else ""
            return [], f"{label} answered HTTP {response.status}{challenge}"
        feed = feedparser.parse(response.body)
        problem = feed.get("bozo_exception") if feed.bozo else None
        if isinstance(problem, ENCODING_PROBLEMS):
            # feedparser could not read the feed in the encoding it declares and read it in another
            # (or with U+FFFD for what it could not): nothing of it is read, as the encoding
            # middleware refuses a page (crawlers.middlewares.DeclaredEncodingMiddleware, same words)
            self.count("pages_undecodable")
            declared, _ = answer_encodings(response.body, None, xml=True)
            return [], f"pages undecodable in {declared} (declared), not read: {response.url}"
        if isinstance(problem, NonXMLContentType):  # served as another media type: said, read as it is
            self.count("feed_not_xml_media_type")
            problem = None
        if problem and not feed.entries:
            return [], f"{label} unreadable ({type(problem).__name__})"
        if not feed.entries:
            return [], f"{label} has no items"
        if problem:
            self.note("amber", f"{label} not well-formed, parsed leniently")
        return feed.entries, None

    def feed_failed(self, failure: Any) -> None:
        """Errback of a feed or listing request: the network failed (DNS, reset, timeout), or
        robots.txt forbids the URL (then it was never fetched)."""
        self.note("red", self.failure_reason(failure))

    def failure_reason(self, failure: Any) -> str:
        """One line saying why a request gave no response; "blocked by robots.txt" when the site's
        robots.txt forbids it (Scrapy's RobotsTxtMiddleware refused it: nothing was fetched)."""
        if self.robots_blocked(failure):
            return f"blocked by robots.txt (not fetched): {failure.request.url}"[:300]
        return f"{failure.request.url} failed ({failure.type.__name__}: {failure.value})"[:300]

    def robots_blocked(self, failure: Any) -> bool:
        if failure.check(IgnoreRequest) and "robots.txt" in str(failure.value):
            self.count("robots_blocked")
            return True
        return False

    def feed_entry(self, entry: Any, base_url: str) -> FeedEntry | None:
        """The common fields of one feed entry; an entry without link or title is a parse error."""
        link = (entry.get("link") or "").strip()
        title = " ".join((entry.get("title") or "").split())
        if not link or not title:
            self.parse_error("feed item without link or title", link or base_url)
            return None
        url = urljoin(base_url, link)
        published = None
        if entry.get("published"):
            published = parse_date(entry["published"], reference=self.today)
            if published is None:
                self.parse_error(f"unparseable pubDate {entry['published']!r}", url)
        content = entry.get("content") or []
        return FeedEntry(
            url=url, title=title, guid=str(entry.get("id") or entry.get("guid") or "").strip(),
            published=published,
            summary=strip_html(entry.get("summary") or entry.get("description") or ""),
            body=strip_html(content[0].get("value", "")) if content else "",
            categories=[t.get("term") for t in entry.get("tags") or [] if t.get("term")],
            raw=entry,
        )

    # ------------------------------------------------------------------ detail pages

    def page_read_before(self, native_id: str | None) -> bool:
        """Whether the store knows the item and its own page is not one it never read
        (crawlers.items.detail_never_read): the spiders' rules for not fetching a page again."""
        known = self.known.get(native_id)
        return known is not None and not detail_never_read(known.get("detail"), known.get("detail_read"))

    def follow_detail(self, item: TrackedItem, callback=None, *, url: str | None = None,
                      **kwargs: Any) -> TrackedItem | scrapy.Request:
        """A request for `item`'s detail page (`url`, default the item's own) — or the item itself
        when the store says it is closed or withdrawn: such a page no longer changes and is not
        downloaded again, unless the store never read it (`page_read_before`: a page blocked all
        the time the hearing was open still has its documents and consultees). Other keyword
        arguments (headers) go to the request."""
        native_id = item.get("native_id")
        if self.known.get(native_id, {}).get("status") in ("closed", "withdrawn") and self.page_read_before(native_id):
            self.count("detail_skipped_closed")
            item["extra"] = {**item.get("extra", {}), "detail": "skipped"}
            return item
        return self.revalidate(url or item["url"], callback or self.parse_detail, cb_kwargs={"item": item},
                               errback=self.detail_failed, dont_filter=True, **kwargs)

    def detail_usable(self, response: Response, item: TrackedItem, what: str = "detail pages") -> bool:
        """True when `response` is a page to parse; otherwise the item keeps what the listing
        gave, the reason goes into health (blocked → amber) and the caller yields it as it is."""
        if self.is_blocked(response):
            self.page_blocked(page_name(item.get("title"), response.url))
            self.note("amber", f"{what} {DETAIL_BLOCKED}")
            item["extra"] = {**item.get("extra", {}), "detail": f"blocked {response.status}"}
            return False
        if response.status == 304:
            item["extra"] = {**item.get("extra", {}), "detail": "not modified"}
            return False
        if response.status >= 400:
            self.count("detail_failed")
            self.note("amber", f"some {what} failed (HTTP {response.status})")
            item["extra"] = {**item.get("extra", {}), "detail": f"http {response.status}"}
            return False
        return True

    def detail_failed(self, failure: Any):
        """Network failure on a detail page: keep the listing's item."""
        item = failure.request.cb_kwargs["item"]
        if self.robots_blocked(failure):
            self.note("amber", "detail pages blocked by robots.txt (not fetched): fields kept from the listing")
            item["extra"] = {**item.get("extra", {}), "detail": "blocked by robots.txt"}
            yield item
            return
        self.count("detail_failed")
        self.note("amber", f"some detail pages failed ({failure.type.__name__})")
        item["extra"] = {**item.get("extra", {}), "detail": f"error {failure.type.__name__}"}
        yield item

    def parse_detail(self, response: Response, item: TrackedItem):
        raise NotImplementedError(f"{type(self).__name__} follows detail pages but has no parse_detail")

    # ------------------------------------------------------------------ requests

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
