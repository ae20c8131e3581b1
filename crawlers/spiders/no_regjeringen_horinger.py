"""regjeringen.no public hearings (høringer).

The HTML site sits behind Cloudflare and answers 403 to most automated clients,
so the **RSS generator is the primary channel** (about 100 newest hearings, with
title, link, description, numeric guid and pubDate — but no deadline, status or
department). Each hearing's detail page is then fetched *best effort* for
Høringsfrist, Status, department, reference and documents. A blocked detail page
never loses the item: it is kept with what the feed gave, and the source turns
amber with the reason.

Detail-page structure is **unverified** (no raw page has been published; see
docs/sources.md §1): the parser reads labels from the page text ("Høringsfrist:",
"Status:", "Vår ref.:", "Ansvarlig:") and the "Høring | Dato: … | Department"
metadata line, which covers every markup generation seen so far, and counts a
page without a deadline as a parse error rather than crashing.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import urljoin, urlsplit

import feedparser
import scrapy
from scrapy.http import Response
from w3lib.url import url_query_cleaner

from crawlers.dates import deadline_at, iso, parse_date
from crawlers.pipelines import clean_text
from crawlers.spiders.base import TrackerSpider

FEED_URL = "https://www.regjeringen.no/no/rss/Rss/2581966/?documentType=dokumenter/h%C3%B8ringer"

_DEADLINE = re.compile(r"H(?:ø|o|oe)y?ringsfrist\s*:?\s*([0-9]{1,2}[./][0-9]{1,2}[./][0-9]{4}|\d{1,2}\.\s*\w+\s+\d{4})", re.I)
_STATUS = re.compile(r"\bStatus\s*:\s*([^\n|:]{3,40}?)(?=\s*(?:\n|\||H(?:ø|o)y?ringsfrist|Vår ref|Frist|$))", re.I)
_REFERENCE = re.compile(r"(?:Vår ref\.?|Saksnr\.?|Saksnummer)\s*:?\s*([0-9]{2,4}/[0-9]+[^\n|]{0,40})", re.I)
_OWNER_LABEL = re.compile(r"(?:Ansvarlig|Departement)\s*:\s*([^\n|]{4,80})", re.I)
_META_LINE = re.compile(r"H(?:ø|o)y?ring\s*\|\s*Dato\s*:\s*[0-9./]+\s*\|\s*([^\n|]{4,80})", re.I)
TRACKING_PARAMS = ("utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content")
_PAGE_ID = re.compile(r"/id(\d{4,})/?")

DOC_TYPES = (
    ("høringsnotat", "høringsnotat"), ("notat", "høringsnotat"),
    ("høringsbrev", "høringsbrev"), ("høyringsbrev", "høringsbrev"), ("brev", "høringsbrev"),
    ("instans", "høringsinstanser"), ("liste", "høringsinstanser"),
    ("nou", "nou"), ("forskrift", "forskriftsutkast"), ("utkast", "utkast"),
)  # fmt: skip


class NoRegjeringenHoringerSpider(TrackerSpider):
    name = "no_regjeringen_horinger"
    kind = "hearing"
    channel = "rss"
    feed_url = FEED_URL

    async def start(self) -> AsyncIterator[scrapy.Request]:
        yield self.revalidate(self.feed_url, self.parse, dont_filter=True)

    # ------------------------------------------------------------------ feed

    def parse(self, response: Response, **kwargs: Any) -> Iterator[Any]:
        """Parse the RSS feed; request each hearing's detail page unless it can no longer change."""
        if self.is_blocked(response) or response.status >= 400:
            self.note("red", f"hearing RSS answered HTTP {response.status}" + (" (bot challenge)" if response.status == 200 else ""))
            return
        feed = feedparser.parse(response.body)
        if feed.bozo and not feed.entries:
            self.note("red", f"hearing RSS unreadable: {feed.get('bozo_exception')!r}"[:200])
            return
        if feed.bozo:
            self.note("amber", f"hearing RSS not well-formed, parsed leniently: {feed.get('bozo_exception')!r}"[:200])
        entries = feed.entries
        if not entries:
            self.note("red", "hearing RSS has no items")
            return
        published = []
        for entry in entries:
            item = self._item_from_entry(entry, response.url)
            if item is None:
                continue
            if urlsplit(item["url"]).hostname != urlsplit(response.url).hostname:
                self.parse_error("feed links to another site", item["url"])
                continue
            if item.get("published"):
                published.append(item["published"])
            known = self.known.get(item["native_id"], {})
            if known.get("status") in ("closed", "withdrawn"):
                # a closed hearing's page no longer changes: no re-download
                self.count("detail_skipped_closed")
                item["extra"] = {**item.get("extra", {}), "detail": "skipped"}
                yield item
                continue
            yield self.revalidate(
                item["url"], self.parse_detail, cb_kwargs={"item": item},
                errback=self.detail_failed, dont_filter=True,
            )
        # the feed holds the newest ~100 hearings: it is complete for hearings published since its oldest item
        self.set_listing(complete=True, since=min(published) if published else None, channel="rss")

    def _item_from_entry(self, entry: Any, feed_url: str) -> Any | None:
        link = (entry.get("link") or "").strip()
        title = entry.get("title")
        native_id = str(entry.get("id") or entry.get("guid") or "").strip()
        if not native_id.isdigit() and (m := _PAGE_ID.search(link)):
            native_id = m.group(1)
        if not link or not title or not native_id:
            self.parse_error("RSS item without link, title or id", link or feed_url)
            return None
        published = None
        if entry.get("published"):
            published = parse_date(entry.get("published"))
            if published is None:
                self.parse_error(f"unparseable pubDate {entry.get('published')!r}", link)
        summary = _strip_html(entry.get("summary") or entry.get("description") or "")
        return self.make_item(
            native_id=native_id,
            url=url_query_cleaner(urljoin(feed_url, link), TRACKING_PARAMS, remove=True),
            title=title,
            summary=summary or None,
            published=iso(published),
            language="nn" if re.match(r"^\s*Høyring", title) else None,
            extra={"detail": "pending"},
        )

    # ------------------------------------------------------------------ detail

    def parse_detail(self, response: Response, item: Any) -> Iterator[Any]:
        if self.is_blocked(response):
            self.count("detail_blocked")
            self.note("amber", "detail pages blocked (HTTP 403/429/challenge): deadline and status kept from earlier runs")
            item["extra"] = {**item.get("extra", {}), "detail": f"blocked {response.status}"}
            yield item
            return
        if response.status == 304:
            item["extra"] = {**item.get("extra", {}), "detail": "not modified"}
            yield item
            return
        if response.status >= 400:
            self.count("detail_failed")
            self.note("amber", f"some detail pages failed (HTTP {response.status})")
            item["extra"] = {**item.get("extra", {}), "detail": f"http {response.status}"}
            yield item
            return
        text = _page_text(response)
        deadline = self._parse_deadline(text)
        if deadline is None:
            self.parse_error("detail page without a readable Høringsfrist", response.url)
        body = self._parse_body(response)
        responses_link = response.css('a[href*="showSvar=true"]::attr(href)').get()
        fields = {
            "deadline": iso(deadline),
            "status_raw": self._parse_status(text),
            "owner": self._parse_owner(response, text),
            "reference": self._parse_reference(text),
            "documents": self._parse_documents(response),
            "body": body,
            "summary": item.get("summary") or _first(response.css(".article-ingress ::text, .ingress ::text").getall()),
        }
        for key, value in fields.items():
            if value:
                item[key] = value
        item["extra"] = {
            **item.get("extra", {}),
            "detail": "ok",
            **({"responses_url": response.urljoin(responses_link)} if responses_link else {}),
        }
        yield item

    def detail_failed(self, failure: Any) -> Iterator[Any]:
        """Network failure on a detail page: keep the feed's item."""
        item = failure.request.cb_kwargs["item"]
        self.count("detail_failed")
        self.note("amber", f"some detail pages failed ({failure.type.__name__})")
        item["extra"] = {**item.get("extra", {}), "detail": f"error {failure.type.__name__}"}
        yield item

    def _parse_deadline(self, text: str):
        m = _DEADLINE.search(text)
        if not m:
            return None
        return deadline_at(parse_date(m.group(1), reference=self.today))

    @staticmethod
    def _parse_status(text: str) -> str | None:
        m = _STATUS.search(text)
        return m.group(1).strip() if m else None

    @staticmethod
    def _parse_owner(response: Response, text: str) -> str | None:
        for pattern in (_OWNER_LABEL, _META_LINE):
            if m := pattern.search(text):
                return m.group(1).strip()
        return _first(response.css(".content-owner-dep a::text, .article-info .owner ::text").getall())

    @staticmethod
    def _parse_reference(text: str) -> str | None:
        m = _REFERENCE.search(text)
        return m.group(1).strip() if m else None

    @staticmethod
    def _parse_documents(response: Response) -> list[dict[str, str]]:
        docs = []
        seen = set()
        for link in response.css('a[href*="/contentassets/"]'):
            href = response.urljoin(link.attrib.get("href", ""))
            if href in seen:
                continue
            seen.add(href)
            title = " ".join(" ".join(link.css("::text").getall()).split()) or href.rsplit("/", 1)[-1]
            low = title.lower()
            doc_type = next((t for key, t in DOC_TYPES if key in low), "dokument")
            docs.append({"title": title, "url": href, "type": doc_type})
        return docs

    @staticmethod
    def _parse_body(response: Response) -> str | None:
        parts = response.css(".article-body ::text, #mainContent .article-body ::text").getall()
        if not parts:
            parts = response.css("main p::text, #mainContent p::text").getall()
        text = "\n".join(p.strip() for p in parts if p.strip())
        return text or None


def _strip_html(value: str) -> str:
    if "<" not in value:
        return " ".join(value.split())
    return " ".join(scrapy.Selector(text=f"<div>{value}</div>").css("::text").getall()).strip()


def _page_text(response: Response) -> str:
    """The page's main text, one text node per line, with mojibake (UTF-8 read as Latin-1) repaired."""
    root = response.css("main, #mainContent, article") or response.css("body")
    lines = [" ".join(t.split()) for t in root[0].css("::text").getall()] if root else []
    text, _ = clean_text("\n".join(line for line in lines if line))
    return text or ""


def _first(values: list[str]) -> str | None:
    for v in values:
        if v and v.strip():
            return " ".join(v.split())
    return None
