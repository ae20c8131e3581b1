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
from urllib.parse import urlsplit

import scrapy
from scrapy.http import Response

from crawlers.dates import iso
from crawlers.spiders.base import TrackerSpider

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
        entries = self.read_feed(response)
        if entries is None:
            return
        seen: set[str] = set()
        for entry in entries:
            item = self._item_from_entry(entry, response.url)
            if item is None or item["native_id"] in seen:
                continue
            seen.add(item["native_id"])
            yield item

    def feed_failed(self, failure: Any) -> None:
        self.note("red", f"feed failed ({failure.type.__name__})")

    def _item_from_entry(self, entry: Any, base_url: str) -> Any | None:
        fields = self.feed_entry(entry, base_url)
        if fields is None:
            return None
        return self.make_item(
            native_id=self._parse_native_id(fields.guid, fields.url),
            url=fields.url, title=fields.title, summary=fields.summary or None, body=fields.body or None,
            published=iso(fields.published), owner=OWNER, language="nb",
            extra={"topic": self._parse_topic(fields.title, fields.summary, fields.body, fields.categories),
                   "categories": fields.categories},
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
