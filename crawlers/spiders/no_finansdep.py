"""Finansdepartementet: documents and hearings about the Government Pension Fund (SPU/GPFG).

Channel: regjeringen.no's RSS generator (the HTML site answers 403 to most
automated clients, docs/sources.md §0, §6), filtered by owner and then by fund
keywords. Two feeds are read: the department's hearings and all its documents.
An item is kept when its title or description mentions the fund (Statens
pensjonsfond, SPU, oljefondet, etiske retningslinjer, Etikkrådet,
forvaltningsmandat, Norges Banks eierskapsutøvelse …); everything else the department publishes
(tax, budget, financial markets) is counted as ``filtered_out`` and dropped.

Unverified (docs/sources.md §6, §10):
- the owner id of Finansdepartementet in the RSS generator: ``216`` is a
  *guess* from the department's homepage ``/no/dep/fin/id216/``. It is a
  spider argument (``-a owner=<id>``); if the filter is wrong the feeds answer
  404 or carry no fund item, and health turns red ("zero items") or shows the
  HTTP status — never a silent zero;
- whether ``&owner=`` combines with ``documentType=`` the way it is used here.

Detail pages are fetched best effort: for hearings the deadline (Høringsfrist)
and status, for every document its type ("Høring | Dato: … | Finansdepartementet",
"Retningslinjer | …"), owner, documents and body text. A blocked page (403,
challenge) keeps the feed's item and turns the source amber.

Kinds: ``hearing`` for hearings (they are consultations advisers can answer and
count as such everywhere), ``gpfg_document`` for everything else.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import quote, urljoin

import feedparser
import scrapy
from scrapy.http import Response
from w3lib.url import url_query_cleaner

from crawlers.dates import deadline_at, iso, parse_date
from crawlers.spiders.base import TrackerSpider
from crawlers.spiders.no_regjeringen_horinger import (
    _DEADLINE,
    _META_LINE,
    _OWNER_LABEL,
    _PAGE_ID,
    _STATUS,
    TRACKING_PARAMS,
    NoRegjeringenHoringerSpider,
    _first,
    _page_text,
    _strip_html,
)

#: Finansdepartementet's owner id in the RSS generator — UNVERIFIED (from /no/dep/fin/id216/)
DEFAULT_OWNER = "216"
RSS_BASE = "https://www.regjeringen.no/no/rss/Rss/2581966/"
OWNER_NAME = "Finansdepartementet"

#: words that make a department document a fund (SPU/GPFG) governance document
FUND_KEYWORDS = re.compile(
    r"statens\s+pensjonsfond|\bspu\b|\bspn\b|oljefond|pensjonsfondet|government\s+pension\s+fund|\bgpfg\b"
    r"|etiske?\s+retningslinjer|ethical\s+guidelines|etikkråd|council\s+on\s+ethics|etikkutval"
    r"|forvaltningsmandat|mandat(?:et)?\s+for\s+(?:forvaltningen|forvaltninga)|management\s+mandate"
    r"|norges\s+banks?\s+(?:eierskap|forvaltning|hovedstyre|representantskap)|\bnbim\b|observasjon\s+og\s+utelukkelse|utelukkelse\s+av\s+selskap"
    r"|gjedrem|ansvarlig\s+forvaltning|referanseindeks",
    re.IGNORECASE,
)
_HEARING_TITLE = re.compile(r"^\s*(?:Høring|Høyring|Hearing|Public consultation)\b", re.IGNORECASE)
#: "Høring | Dato: 20.11.2026 | Finansdepartementet", "Guidelines | Date: 21/01/2026 | Ministry of Finance"
_DOC_TYPE = re.compile(r"^\s*([A-ZÆØÅ][\w .()–-]{2,40}?)\s*\|\s*Dat[oe]\s*:", re.MULTILINE)


def feed_url(owner: str, document_type: str | None = None) -> str:
    """The RSS generator URL for one owner (and optionally one document type)."""
    query = f"documentType={quote(document_type, safe='/')}&" if document_type else ""
    return f"{RSS_BASE}?{query}owner={owner}"


class NoFinansdepSpider(TrackerSpider):
    name = "no_finansdep"
    kind = "gpfg_document"
    channel = "rss"
    allowed_domains = ["regjeringen.no", "www.regjeringen.no"]

    def __init__(self, *args: Any, owner: str = DEFAULT_OWNER, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.owner = str(owner)
        #: hearings first, so an item in both feeds is known as a hearing
        self.feed_urls = [feed_url(self.owner, "dokumenter/høringer"), feed_url(self.owner)]
        self._seen: set[str] = set()

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for url in self.feed_urls:
            yield self.revalidate(url, self.parse, dont_filter=True, errback=self.feed_failed,
                                  cb_kwargs={"hearings_feed": "h%C3%B8ringer" in url or "høringer" in url})

    # ------------------------------------------------------------------ feeds

    def parse(self, response: Response, hearings_feed: bool = False, **kwargs: Any) -> Iterator[Any]:
        """Read one feed; keep fund items; ask for each one's detail page."""
        label = "hearings feed" if hearings_feed else "documents feed"
        if response.status == 304:
            self.count("feed_not_modified")
            return
        if self.is_blocked(response) or response.status >= 400:
            self.note("red", f"{label} (owner={self.owner}, unverified id) answered HTTP {response.status}")
            return
        feed = feedparser.parse(response.body)
        if feed.bozo and not feed.entries:
            self.note("red", f"{label} unreadable: {feed.get('bozo_exception')!r}"[:200])
            return
        if feed.bozo:
            self.note("amber", f"{label} not well-formed, parsed leniently")
        if not feed.entries:
            self.note("red", f"{label} (owner={self.owner}) has no items")
            return
        for entry in feed.entries:
            item = self._item_from_entry(entry, response.url, hearings_feed)
            if item is None:
                continue
            if item["native_id"] in self._seen:  # in both feeds, or repeated
                self.count("duplicates_skipped")
                continue
            self._seen.add(item["native_id"])
            known = self.known.get(item["native_id"], {})
            if known.get("status") in ("closed", "withdrawn"):
                self.count("detail_skipped_closed")
                item["extra"] = {**item["extra"], "detail": "skipped"}
                yield item
                continue
            yield self.revalidate(item["url"], self.parse_detail, cb_kwargs={"item": item},
                                  errback=self.detail_failed, dont_filter=True)

    def feed_failed(self, failure: Any) -> None:
        self.note("red", f"feed {failure.request.url} failed ({failure.type.__name__})")

    def _item_from_entry(self, entry: Any, base_url: str, hearings_feed: bool) -> Any | None:
        link = (entry.get("link") or "").strip()
        title = " ".join((entry.get("title") or "").split())
        if not link or not title:
            self.parse_error("RSS item without link or title", link or base_url)
            return None
        summary = _strip_html(entry.get("summary") or entry.get("description") or "")
        if not FUND_KEYWORDS.search(f"{title} {summary}"):
            self.count("filtered_out")
            return None
        native_id = self._parse_native_id(entry, link)
        if native_id is None:
            self.parse_error("RSS item without a page id", link)
            return None
        published = parse_date(entry.get("published")) if entry.get("published") else None
        if entry.get("published") and published is None:
            self.parse_error(f"unparseable pubDate {entry.get('published')!r}", link)
        is_hearing = hearings_feed or bool(_HEARING_TITLE.match(title))
        return self.make_item(
            native_id=native_id,
            kind="hearing" if is_hearing else "gpfg_document",
            url=url_query_cleaner(urljoin(base_url, link), TRACKING_PARAMS, remove=True),
            title=title,
            summary=summary or None,
            published=iso(published),
            owner=OWNER_NAME,
            language="nn" if re.match(r"^\s*Høyring", title) else None,
            extra={"detail": "pending", "feed": "hearings" if hearings_feed else "documents",
                   "topic": "gpfg"},
        )

    @staticmethod
    def _parse_native_id(entry: Any, link: str) -> str | None:
        guid = str(entry.get("id") or entry.get("guid") or "").strip()
        if guid.isdigit():
            return guid
        m = _PAGE_ID.search(link) or _PAGE_ID.search(guid)
        return m.group(1) if m else None

    # ------------------------------------------------------------------ detail

    def parse_detail(self, response: Response, item: Any) -> Iterator[Any]:
        """Best effort: type, owner, deadline and status, documents and body; never lose the item."""
        if self.is_blocked(response):
            self.count("detail_blocked")
            self.note("amber", "detail pages blocked (HTTP 403/429/challenge): kept the feed's fields")
            item["extra"] = {**item["extra"], "detail": f"blocked {response.status}"}
            yield item
            return
        if response.status == 304 or response.status >= 400:
            if response.status >= 400:
                self.count("detail_failed")
                self.note("amber", f"some detail pages failed (HTTP {response.status})")
            item["extra"] = {**item["extra"], "detail": "not modified" if response.status == 304 else f"http {response.status}"}
            yield item
            return
        text = _page_text(response)
        doc_type = self._parse_doc_type(text)
        if doc_type and _HEARING_TITLE.match(doc_type):
            item["kind"] = "hearing"
        if item["kind"] == "hearing":
            deadline = self._parse_deadline(text)
            if deadline is None:
                self.parse_error("hearing page without a readable Høringsfrist", response.url)
            if deadline is not None:
                item["deadline"] = iso(deadline)
            if status_raw := self._parse_status(text):
                item["status_raw"] = status_raw
        if reference := NoRegjeringenHoringerSpider._parse_reference(text):
            item["reference"] = reference
        if owner := self._parse_owner(text):
            item["owner"] = owner
        if documents := NoRegjeringenHoringerSpider._parse_documents(response):
            item["documents"] = documents
        if body := NoRegjeringenHoringerSpider._parse_body(response):
            item["body"] = body
        if not item.get("summary") and (ingress := _first(response.css(".article-ingress ::text, .ingress ::text").getall())):
            item["summary"] = ingress
        if not item.get("published") and (published := self._parse_page_date(text)):
            item["published"] = iso(published)
        item["extra"] = {**item["extra"], "detail": "ok", **({"doc_type": doc_type} if doc_type else {})}
        yield item

    def detail_failed(self, failure: Any) -> Iterator[Any]:
        item = failure.request.cb_kwargs["item"]
        self.count("detail_failed")
        self.note("amber", f"some detail pages failed ({failure.type.__name__})")
        item["extra"] = {**item["extra"], "detail": f"error {failure.type.__name__}"}
        yield item

    def _parse_deadline(self, text: str):
        m = _DEADLINE.search(text)
        return deadline_at(parse_date(m.group(1), reference=self.today)) if m else None

    @staticmethod
    def _parse_status(text: str) -> str | None:
        m = _STATUS.search(text)
        return m.group(1).strip() if m else None

    @staticmethod
    def _parse_doc_type(text: str) -> str | None:
        m = _DOC_TYPE.search(text)
        return m.group(1).strip() if m else None

    @staticmethod
    def _parse_owner(text: str) -> str | None:
        for pattern in (_OWNER_LABEL, _META_LINE):
            if m := pattern.search(text):
                return m.group(1).strip()
        m = re.search(r"\|\s*Dat[oe]\s*:\s*[0-9./]+\s*\|\s*([^\n|]{4,80})", text)
        return m.group(1).strip() if m else None

    def _parse_page_date(self, text: str):
        m = re.search(r"Dat[oe]\s*:\s*([0-9]{1,2}[./][0-9]{1,2}[./][0-9]{4}|\d{1,2}\.\s*\w+\s+\d{4})", text)
        return parse_date(m.group(1).replace("/", "."), reference=self.today) if m else None
