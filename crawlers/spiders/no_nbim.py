"""Norges Bank / NBIM: decisions on exclusion, observation and revocation, and related news.

Channel: the press release listing
``https://www.nbim.no/en/news-and-insights/the-press/press-releases/`` (HTML;
nbim.no has **no RSS**, docs/sources.md §6). Each release is an
``a.article-list_item`` (seen in a public scraper); what sits *inside* the link
is **unverified**, so the title is read from a heading or the link text and the
date from ``<time datetime>``, a date class or any date written in the link
("24 November 2026", "24.11.2026"). A release without a date is kept (its
detail page is asked for one) and counted as ``undated``.

Only governance releases are kept: exclusion, observation, revocation,
the Council on Ethics, ethical guidelines, ownership and responsible investment
(``filtered_out`` counts the rest: results, returns, staff news).
``extra.decision`` says what a release decides, from its own words.

Detail pages are fetched best effort for the body text, which is where a
decision names its companies — one release often names several. A release
already in the store is not downloaded again (press releases do not change).

**Unconfirmed**: an endpoint or page listing all exclusions and observations;
it is not used.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy.http import Response

from crawlers.dates import MONTHS, iso, parse_date
from crawlers.spiders.base import TrackerSpider

LISTING_URL = "https://www.nbim.no/en/news-and-insights/the-press/press-releases/"
OWNER = "Norges Bank"

GOVERNANCE = re.compile(
    r"exclu|observation|revo(?:ke|cation)|council\s+on\s+ethics|ethic|divest|ownership"
    r"|responsible\s+invest|human\s+rights|guidelines|utelukk|observasjon|etikkråd|opphev",
    re.IGNORECASE,
)
DECISIONS = (
    ("revocation", re.compile(r"revo(?:ke|cation)|reinclu|re-inclu|opphev", re.I)),
    ("observation", re.compile(r"observation|observasjon", re.I)),
    ("exclusion", re.compile(r"exclu|utelukk|divest", re.I)),
    ("ownership", re.compile(r"ownership|engagement|eierskap", re.I)),
)  # fmt: skip
_MONTH_NAMES = "|".join(sorted(MONTHS, key=len, reverse=True))
_DATE_TEXT = re.compile(
    rf"\b\d{{1,2}}\.?\s+(?:{_MONTH_NAMES})\.?\s+\d{{4}}\b|\b\d{{1,2}}\.\d{{1,2}}\.\d{{4}}\b|\b\d{{4}}-\d{{2}}-\d{{2}}\b",
    re.IGNORECASE,
)


class NoNbimSpider(TrackerSpider):
    name = "no_nbim"
    kind = "gpfg_decision"
    channel = "html"
    allowed_domains = ["nbim.no", "www.nbim.no"]
    listing_url = LISTING_URL

    async def start(self) -> AsyncIterator[scrapy.Request]:
        yield self.revalidate(self.listing_url, self.parse, dont_filter=True, errback=self.listing_failed)

    def parse(self, response: Response, **kwargs: Any) -> Iterator[Any]:
        """Read the press release listing; keep governance releases; ask for their pages."""
        if not self.listing_readable(response, "press release listing"):
            return
        links = response.css("a.article-list_item")
        if not links:
            self.note("red", "press release listing has no a.article-list_item (page structure changed?)")
            return
        seen: set[str] = set()
        for link in links:
            item = self._item_from_link(link, response)
            if item is None or item["native_id"] in seen:
                continue
            seen.add(item["native_id"])
            if self.page_read_before(item["native_id"]):
                self.count("detail_skipped_known")
                item["extra"] = {**item["extra"], "detail": "skipped"}
                yield item
                continue
            yield scrapy.Request(item["url"], callback=self.parse_detail, cb_kwargs={"item": item},
                                 errback=self.detail_failed, dont_filter=True)

    def listing_failed(self, failure: Any) -> None:
        self.note("red", f"press release listing failed ({failure.type.__name__})")

    def _item_from_link(self, link: Any, response: Response) -> Any | None:
        href = link.attrib.get("href")
        title = self._parse_title(link)
        if not href or not title:
            self.parse_error("listing entry without link or title", response.url)
            return None
        teaser = " ".join(" ".join(link.css("p ::text, .article-list_ingress ::text").getall()).split())
        if not GOVERNANCE.search(f"{title} {teaser}"):
            self.count("filtered_out")
            return None
        url = response.urljoin(href)
        published = self._parse_date(link)
        if published is None:
            self.count("undated")
        return self.make_item(
            native_id=self._parse_native_id(url), url=url, title=title, summary=teaser or None,
            published=iso(published), owner=OWNER, language="en" if "/en/" in url else "nb",
            extra={"decision": self._parse_decision(title, teaser), "detail": "pending", "topic": "gpfg"},
        )

    @staticmethod
    def _parse_title(link: Any) -> str | None:
        for selector in ("h2 ::text", "h3 ::text", ".article-list_title ::text", "span.title ::text"):
            if text := " ".join(" ".join(link.css(selector).getall()).split()):
                return text
        # no heading: the link text minus any date
        text = " ".join(" ".join(link.css("::text").getall()).split())
        return _DATE_TEXT.sub("", text).strip(" -–|") or None

    def _parse_date(self, node: Any):
        stamp = node.css("time::attr(datetime)").get()
        if stamp and (dt := parse_date(stamp)):
            return dt
        text = " ".join(" ".join(node.css("time ::text, .date ::text, .article-list_date ::text, ::text").getall()).split())
        m = _DATE_TEXT.search(text)
        return parse_date(m.group(0), reference=self.today) if m else None

    @staticmethod
    def _parse_decision(title: str, teaser: str) -> str | None:
        for text in (title, teaser):
            for decision, pattern in DECISIONS:
                if pattern.search(text):
                    return decision
        return None

    @staticmethod
    def _parse_native_id(url: str) -> str:
        """The release's path after ``press-releases/`` (no numeric id exists)."""
        path = urlsplit(url).path.strip("/")
        marker = "press-releases/"
        return path.split(marker, 1)[1] if marker in path else path

    # ------------------------------------------------------------------ detail

    def parse_detail(self, response: Response, item: Any) -> Iterator[Any]:
        """Body text (names the companies) and the date when the listing had none."""
        if not self.detail_usable(response, item, "release pages"):
            yield item
            return
        root = response.css("article") or response.css("main") or response.css("body")
        paragraphs = [" ".join(" ".join(p.css("::text").getall()).split()) for p in root[0].css("p, li")] if root else []
        body = "\n".join(p for p in paragraphs if p)
        if body:
            item["body"] = body
        if not item.get("published"):
            meta = response.css('meta[property="article:published_time"]::attr(content)').get()
            published = parse_date(meta) if meta else (self._parse_date(root[0]) if root else None)
            if published is not None:
                item["published"] = iso(published)
            else:
                self.count("undated_detail")
        item["extra"] = {**item["extra"], "detail": "ok"}
        yield item
