"""Etikkrådet (the Council on Ethics for the GPFG): recommendations and news.

Primary channel: the site's WordPress feed ``https://etikkradet.no/feed/`` —
**unverified** (docs/sources.md §6 says the site "looks like WordPress"; nobody
has confirmed the feed). Fallback: the front page listing, read tolerantly
(``article`` elements or any link to a post, with a ``<time datetime>`` or a
date written out, "1. mars 2026" or "mandag 2. februar"); when the fallback is
used the source is amber with the reason.

Recommendation posts live at ``https://etikkradet.no/<company-slug>/`` (e.g.
``/kosmos-energy-ltd-og-cairn-energy-plc-opphevelse-av-utelukkelse/``). The
native id is the WordPress post id from the ``guid`` (``?p=1234``) when the feed
gives one, else the slug — both survive a feed that repeats old items.

Since the interim ethical guidelines of 7 Nov 2025 the Council does not
recommend exclusion or observation: it identifies companies for Norges Bank's
ownership work (eierskapsutøvelse). ``extra.action`` says which kind of post an
item is, from the Council's own words: ``exclusion``, ``observation``,
``revocation``, ``ownership_flag`` (a company identified for Norges Bank's
ownership work under the interim regime), ``interim_regime`` (news about the
pause and the interim guidelines) or ``news``.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy.http import Response

from crawlers.dates import iso, parse_date
from crawlers.spiders.base import TrackerSpider

FEED_URL = "https://etikkradet.no/feed/"
FRONT_URL = "https://etikkradet.no/"
OWNER = "Etikkrådet"

#: the Council's wording → what the post is; checked in order
ACTIONS = (
    ("revocation", re.compile(r"opphev|revocation|revoke|tilbakekall", re.I)),
    ("ownership_flag", re.compile(r"eierskapsutøvelse|eierskapsarbeid|ownership\s+(?:work|activit|exercise)"
                                  r"|identifiser|identified", re.I)),
    ("interim_regime", re.compile(r"midlertidige\s+etiske|interim\s+ethical|på\s+pause|on\s+hold", re.I)),
    ("observation", re.compile(r"observasjon|observation", re.I)),
    ("exclusion", re.compile(r"utelukk|exclu", re.I)),
)  # fmt: skip
_RECOMMENDATION = re.compile(r"tilrådning|anbefal|recommend", re.I)
_WP_ID = re.compile(r"[?&]p=(\d+)")
_POST_PATH = re.compile(r"^/(?:en/)?[a-z0-9][a-z0-9\-]{2,}/?$")
_NOT_POSTS = re.compile(r"^/(?:en/?)?(?:om-|about|kontakt|contact|category/|tag/|feed|wp-|page/)", re.I)


class NoEtikkradetSpider(TrackerSpider):
    name = "no_etikkradet"
    kind = "gpfg_recommendation"
    channel = "rss"
    allowed_domains = ["etikkradet.no"]
    feed_url = FEED_URL
    front_url = FRONT_URL

    async def start(self) -> AsyncIterator[scrapy.Request]:
        yield self.revalidate(self.feed_url, self.parse, dont_filter=True, errback=self.feed_failed)

    # ------------------------------------------------------------------ feed

    def parse(self, response: Response, **kwargs: Any) -> Iterator[Any]:
        """Read the WordPress feed; fall back to the front page when it fails."""
        if response.status == 304:
            self.count("feed_not_modified")
            return
        entries, problem = self.parse_feed(response)
        if problem:
            yield self._fallback(problem)
            return
        for entry in entries:
            item = self._item_from_entry(entry, response.url)
            if item is not None:
                yield item

    def feed_failed(self, failure: Any) -> Iterator[Any]:
        yield self._fallback(f"feed failed ({failure.type.__name__})")

    def _fallback(self, problem: str) -> scrapy.Request:
        self.note("amber", f"{problem} (feed URL unverified); using the front page listing")
        return self.revalidate(self.front_url, self.parse_front, dont_filter=True,
                               errback=self.front_failed, cb_kwargs={"problem": problem})

    def _item_from_entry(self, entry: Any, base_url: str) -> Any | None:
        fields = self.feed_entry(entry, base_url)
        if fields is None:
            return None
        return self._make(
            native_id=self._parse_native_id(fields.guid, fields.url),
            url=fields.url, title=fields.title, summary=fields.summary or None, body=fields.body or None,
            published=iso(fields.published), categories=fields.categories, channel="rss",
        )

    # ------------------------------------------------------------------ fallback

    def parse_front(self, response: Response, problem: str = "") -> Iterator[Any]:
        """The front page listing: each post link with its date where one is written."""
        self.set_listing(complete=False, channel="html")
        if self.is_blocked(response) or response.status >= 400:
            self.note("red", f"{problem}; front page answered HTTP {response.status}")
            return
        found = 0
        seen: set[str] = set()
        blocks = response.css("article, .post, li.post-item, .entry")
        for block in blocks:
            link = block.css("h2 a, h3 a, a[rel=bookmark], .entry-title a, a")
            href = link.attrib.get("href") if link else None
            if not href:
                continue
            url = response.urljoin(href)
            path = urlsplit(url).path
            if url in seen or not _POST_PATH.match(path) or _NOT_POSTS.match(path):
                continue
            seen.add(url)
            title = " ".join(" ".join(link[0].css("::text").getall()).split())
            if not title:
                self.parse_error("front page post without a title", url)
                continue
            published = self._parse_block_date(block)
            if published is None:
                self.count("undated_posts")
            summary = " ".join(" ".join(block.css("p ::text").getall()).split())
            found += 1
            yield self._make(native_id=self._parse_native_id("", url), url=url, title=title,
                             summary=summary or None, body=None, published=iso(published), categories=[],
                             channel="html")
        if not found:
            self.note("red", f"{problem}; front page listing has no recognisable posts")

    def front_failed(self, failure: Any) -> None:
        problem = failure.request.cb_kwargs.get("problem", "")
        self.note("red", f"{problem}; front page failed ({failure.type.__name__})")

    def _parse_block_date(self, block: Any):
        stamp = block.css("time::attr(datetime)").get()
        if stamp and (dt := parse_date(stamp)):
            return dt
        text = " ".join(" ".join(block.css("time ::text, .date ::text, .entry-date ::text, span ::text").getall()).split())
        return parse_date(text, reference=self.today) if text else None

    # ------------------------------------------------------------------ fields

    def _make(self, *, native_id: str, url: str, title: str, summary: str | None, body: str | None,
              published: str | None, categories: list[str], channel: str) -> Any:
        text = f"{title} {summary or ''} {' '.join(categories)}"
        action = self._parse_action(title, summary or "", categories)
        return self.make_item(
            native_id=native_id, url=url, title=title, summary=summary, body=body,
            published=published, owner=OWNER, channel=channel,
            language="en" if "/en/" in url else "nb",
            extra={"action": action, "categories": categories,
                   "recommendation": bool(_RECOMMENDATION.search(text)) or action != "news",
                   "topic": "gpfg"},
        )

    @staticmethod
    def _parse_action(title: str, summary: str, categories: list[str]) -> str:
        """What the post is, from the Council's own words (title first, then the rest)."""
        for action, pattern in ACTIONS:
            if pattern.search(title):
                return action
        # the teaser decides only for posts filed as recommendations (a news post may mention one)
        is_recommendation = any(_RECOMMENDATION.search(c) for c in categories)
        for action, pattern in ACTIONS:
            if (is_recommendation or action == "interim_regime") and pattern.search(summary):
                return action
        return "news"

    @staticmethod
    def _parse_native_id(guid: str, url: str) -> str:
        """WordPress post id from the guid (``?p=1234``), else the post slug."""
        if m := _WP_ID.search(guid) or _WP_ID.search(url):
            return m.group(1)
        path = urlsplit(url).path.strip("/")
        return path or url
