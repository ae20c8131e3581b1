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

Detail pages are fetched best effort: for hearings the deadline (Høringsfrist,
nynorsk Høyringsfrist), status and consultee list (`consultees`, `ncp_consultee`;
crawlers/consultees.py), for every document its type ("Høring | Dato: … | Finansdepartementet",
"Retningslinjer | …"), owner, documents and body text. A blocked page (403,
challenge) keeps the feed's item and turns the source amber; so does a hearing page whose
Høringsfrist cannot be read, naming the page and its words (`regjeringen.deadline_note`), the
stored deadline kept.

Kinds: ``hearing`` for hearings (they are consultations advisers can answer and
count as such everywhere), ``gpfg_document`` for everything else.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import quote

import scrapy
from scrapy.http import Response

from crawlers import consultees, regjeringen
from crawlers.dates import iso, parse_date
from crawlers.spiders.base import TrackerSpider
from crawlers.text import page_text

#: Finansdepartementet's owner id in the RSS generator — UNVERIFIED (from /no/dep/fin/id216/)
DEFAULT_OWNER = "216"
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
    return f"{regjeringen.RSS_BASE}?{query}owner={owner}"


class NoFinansdepSpider(TrackerSpider):
    name = "no_finansdep"
    kind = "gpfg_document"
    channel = "rss"

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
        entries = self.read_feed(response, f"{label} (owner={self.owner}, unverified id)")
        if entries is None:
            return
        for entry in entries:
            item = self._item_from_entry(entry, response.url, hearings_feed)
            if item is None:
                continue
            if item["native_id"] in self._seen:  # in both feeds, or repeated
                self.count("duplicates_skipped")
                continue
            self._seen.add(item["native_id"])
            yield self.follow_detail(item)

    def feed_failed(self, failure: Any) -> None:
        self.note("red", f"feed {self.failure_reason(failure)}")

    def _item_from_entry(self, entry: Any, base_url: str, hearings_feed: bool) -> Any | None:
        fields = self.feed_entry(entry, base_url)
        if fields is None:
            return None
        if not FUND_KEYWORDS.search(f"{fields.title} {fields.summary}"):
            self.count("filtered_out")
            return None
        native_id = regjeringen.page_id(fields.url, fields.guid)
        if native_id is None:
            self.parse_error("RSS item without a page id", fields.url)
            return None
        is_hearing = hearings_feed or bool(_HEARING_TITLE.match(fields.title))
        return self.make_item(
            native_id=native_id,
            kind="hearing" if is_hearing else "gpfg_document",
            url=regjeringen.clean_link(fields.url),
            title=fields.title,
            summary=fields.summary or None,
            published=iso(fields.published),
            owner=OWNER_NAME,
            language="nn" if regjeringen.is_nynorsk_title(fields.title) else None,
            extra={"detail": "pending", "feed": "hearings" if hearings_feed else "documents",
                   "topic": "gpfg"},
        )

    # ------------------------------------------------------------------ detail

    def parse_detail(self, response: Response, item: Any) -> Iterator[Any]:
        """Best effort: type, owner, deadline and status, documents and body; never lose the item."""
        if not self.detail_usable(response, item):
            yield item
            return
        text = page_text(response)
        doc_type = self._parse_doc_type(text)
        if doc_type and _HEARING_TITLE.match(doc_type):
            item["kind"] = "hearing"
        if item["kind"] == "hearing":
            read = regjeringen.read_deadline(text, self.today)
            deadline = read.when
            if deadline is None:  # named, and the stored deadline kept (the item carries none)
                self.parse_error("hearing page without a readable Høringsfrist", response.url)
                self.note("amber", regjeringen.deadline_note(item["native_id"], read.words, response.url))
            elif read.time_unreadable:  # the day kept, the time said
                self.note("amber", regjeringen.deadline_time_note(item["native_id"], read, response.url))
            listed = consultees.parse_consultees(response)
            fields = {"deadline": iso(deadline), "status_raw": regjeringen.parse_status(text), "consultees": listed}
            if listed is not None:
                item["ncp_consultee"] = consultees.ncp_consultee(listed)
        else:
            fields = {}
        fields.update({
            "reference": regjeringen.parse_reference(text),
            "owner": self._parse_owner(response, text),
            "documents": regjeringen.parse_documents(response),
            "body": regjeringen.parse_body(response),
            "summary": item.get("summary") or regjeringen.parse_ingress(response),
            "published": item.get("published") or iso(self._parse_page_date(text)),
        })
        for key, value in fields.items():
            if value:
                item[key] = value
        item["extra"] = {**item["extra"], "detail": "ok", **({"doc_type": doc_type} if doc_type else {})}
        yield item

    @staticmethod
    def _parse_doc_type(text: str) -> str | None:
        m = _DOC_TYPE.search(text)
        return m.group(1).strip() if m else None

    @staticmethod
    def _parse_owner(response: Response, text: str) -> str | None:
        """The hearing labels first, then any "Type | Dato: … | Owner" line (documents, /en pages)."""
        if owner := regjeringen.parse_owner(response, text):
            return owner
        m = re.search(r"\|\s*Dat[oe]\s*:\s*[0-9./]+\s*\|\s*([^\n|]{4,80})", text)
        return m.group(1).strip() if m else None

    def _parse_page_date(self, text: str):
        m = re.search(r"Dat[oe]\s*:\s*([0-9]{1,2}[./][0-9]{1,2}[./][0-9]{4}|\d{1,2}\.\s*\w+\s+\d{4})", text)
        return parse_date(m.group(1).replace("/", "."), reference=self.today) if m else None
