"""Forbrukertilsynet (the Consumer Authority): news and guidance, incl. on åpenhetsloven.

Channel: the site's RSS ``https://www.forbrukertilsynet.no/feed`` (standard RSS
``item/title,link,description``, used by a public monitor; docs/sources.md §7).
Every item is kept (the Authority also supervises marketing and green claims,
which the NCP follows); items about the Transparency Act are marked
``extra.topic = "åpenhetsloven"`` from their own words (åpenhetsloven,
aktsomhetsvurderinger, informasjonskrav, anstendige arbeidsforhold …).

The site is WordPress (article URLs ``/<slug>``, short links ``/?p=<id>``), so
the native id is the post id from the ``guid`` when there is one, else the slug.
**Unconfirmed**: the URL of the åpenhetsloven guidance page; it is not crawled.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import urljoin, urlsplit

import feedparser
import scrapy
from scrapy.http import Response

from crawlers.dates import iso, parse_date
from crawlers.spiders.base import TrackerSpider
from crawlers.spiders.no_regjeringen_horinger import _strip_html

FEED_URL = "https://www.forbrukertilsynet.no/feed"
OWNER = "Forbrukertilsynet"
APENHETSLOVEN = re.compile(
    r"åpenhetslov|apenhetslov|aktsomhetsvurdering|informasjonskrav|anstendige\s+arbeidsforhold"
    r"|grunnleggende\s+menneskerettighet|transparency\s+act|aktsomhetsdirektiv|LOV-2021-06-18-99",
    re.IGNORECASE,
)
_WP_ID = re.compile(r"[?&]p=(\d+)")


class NoForbrukertilsynetSpider(TrackerSpider):
    name = "no_forbrukertilsynet"
    kind = "regulator_news"
    channel = "rss"
    allowed_domains = ["forbrukertilsynet.no", "www.forbrukertilsynet.no"]
    feed_url = FEED_URL

    async def start(self) -> AsyncIterator[scrapy.Request]:
        yield self.revalidate(self.feed_url, self.parse, dont_filter=True, errback=self.feed_failed)

    def parse(self, response: Response, **kwargs: Any) -> Iterator[Any]:
        """Every feed item, with its topic marked."""
        if response.status == 304:
            self.count("feed_not_modified")
            return
        if self.is_blocked(response) or response.status >= 400:
            self.note("red", f"feed answered HTTP {response.status}")
            return
        feed = feedparser.parse(response.body)
        if feed.bozo and not feed.entries:
            self.note("red", f"feed unreadable ({type(feed.get('bozo_exception')).__name__})")
            return
        if feed.bozo:
            self.note("amber", "feed not well-formed, parsed leniently")
        if not feed.entries:
            self.note("red", "feed has no items")
            return
        seen: set[str] = set()
        for entry in feed.entries:
            item = self._item_from_entry(entry, response.url)
            if item is None or item["native_id"] in seen:
                continue
            seen.add(item["native_id"])
            yield item

    def feed_failed(self, failure: Any) -> None:
        self.note("red", f"feed failed ({failure.type.__name__})")

    def _item_from_entry(self, entry: Any, base_url: str) -> Any | None:
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
        summary = _strip_html(entry.get("summary") or "")
        content = entry.get("content") or []
        body = _strip_html(content[0].get("value", "")) if content else ""
        categories = [t.get("term") for t in entry.get("tags") or [] if t.get("term")]
        return self.make_item(
            native_id=self._parse_native_id(str(entry.get("id") or entry.get("guid") or ""), url),
            url=url, title=title, summary=summary or None, body=body or None,
            published=iso(published), owner=OWNER, language="nb",
            extra={"topic": self._parse_topic(title, summary, body, categories), "categories": categories},
        )

    @staticmethod
    def _parse_topic(title: str, summary: str, body: str, categories: list[str]) -> str | None:
        text = " ".join([title, summary, body[:2000], *categories])
        return "åpenhetsloven" if APENHETSLOVEN.search(text) else None

    @staticmethod
    def _parse_native_id(guid: str, url: str) -> str:
        if m := _WP_ID.search(guid) or _WP_ID.search(url):
            return m.group(1)
        return urlsplit(url).path.strip("/") or url
