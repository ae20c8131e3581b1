"""Lovdata: changes to åpenhetsloven (LOV-2021-06-18-99) and its regulations.

Channel: Lovdata's public feed of Norsk Lovtidend,
``http://lovdata.no/feed?data=LT&type=RSS`` ("Siste fra Norsk lovtidend", about
100 items; tested in a public project 2026-03-19, docs/sources.md §7). The
feed lists every new act and regulation, so this spider keeps only those that
concern the Transparency Act: the title or description names åpenhetsloven, the
law's full title ("virksomheters åpenhet …"), its id (LOV-2021-06-18-99 /
2021-06-18-99) or a regulation under it ("forskrift … etter åpenhetsloven").

An empty *filtered* result is normal (the Act changes rarely): ``may_be_empty``.
But a feed that fails, is unreadable or has **no items at all** is red — that is
the silent-zero failure sources.md warns about.

Unverified: the item fields beyond title/link/description/pubDate; links are
expected as ``https://lovdata.no/dokument/LTI/lov/2026-11-20-75`` or
``…/LTI/forskrift/2026-11-20-2101`` and the native id is the part after
``/dokument/`` (stable across repeats of the same item).
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

FEED_URL = "http://lovdata.no/feed?data=LT&type=RSS"
LAW_ID = "LOV-2021-06-18-99"
LAW_URL = "https://lovdata.no/dokument/NL/lov/2021-06-18-99"
APENHETSLOVEN = re.compile(
    r"åpenhetslov|apenhetslov|virksomheters\s+åpenhet|(?:LOV-)?2021-06-18-99\b", re.IGNORECASE,
)
_DOC_PATH = re.compile(r"/dokument/(.+?)/?$")
_KIND = re.compile(r"^\s*(lov|forskrift|delegering|ikraftsetting|ikrafttredelse|endring)", re.IGNORECASE)


class NoLovdataSpider(TrackerSpider):
    name = "no_lovdata"
    kind = "law_change"
    channel = "rss"
    may_be_empty = True
    allowed_domains = ["lovdata.no"]
    feed_url = FEED_URL

    async def start(self) -> AsyncIterator[scrapy.Request]:
        yield self.revalidate(self.feed_url, self.parse, dont_filter=True, errback=self.feed_failed)

    def parse(self, response: Response, **kwargs: Any) -> Iterator[Any]:
        """Lovtidend's newest items, filtered to åpenhetsloven (an empty feed is broken, not a quiet day)."""
        entries = self.read_feed(response, "Lovtidend feed")
        if entries is None:
            return
        self.count("feed_items", len(entries))
        seen: set[str] = set()
        for entry in entries:
            item = self._item_from_entry(entry, response.url)
            if item is None or item["native_id"] in seen:
                continue
            seen.add(item["native_id"])
            yield item

    def feed_failed(self, failure: Any) -> None:
        self.note("red", f"Lovtidend feed failed ({failure.type.__name__})")

    def _item_from_entry(self, entry: Any, base_url: str) -> Any | None:
        fields = self.feed_entry(entry, base_url)
        if fields is None:
            return None
        if not APENHETSLOVEN.search(f"{fields.title} {fields.summary} {fields.url}"):
            self.count("filtered_out")
            return None
        url = fields.url.replace("http://", "https://", 1)
        return self.make_item(
            native_id=self._parse_native_id(url),
            url=url, title=fields.title, summary=fields.summary or None, published=iso(fields.published),
            owner=self._parse_owner(fields.summary), language="nb", reference=LAW_ID,
            extra={"topic": "åpenhetsloven", "act": self._parse_act_kind(fields.title, url), "law_url": LAW_URL},
        )

    @staticmethod
    def _parse_native_id(url: str) -> str:
        path = urlsplit(url).path
        m = _DOC_PATH.search(path)
        return m.group(1) if m else path.strip("/")

    @staticmethod
    def _parse_act_kind(title: str, url: str) -> str:
        """lov or forskrift (from the link, else the title's first word)."""
        if "/forskrift/" in url:
            return "forskrift"
        if "/lov/" in url:
            return "lov"
        m = _KIND.match(title)
        return m.group(1).lower() if m else "annet"

    @staticmethod
    def _parse_owner(summary: str) -> str | None:
        m = re.search(r"\b([A-ZÆØÅ][\w-]*(?:\s+og\s+[\w-]+)?departementet)\b", summary)
        return m.group(1) if m else None
