"""OECD database of specific instances: cases handled by other countries' NCPs.

**Everything about this source's layout is unverified.** No capture of
``https://mneguidelines.oecd.org/database/`` exists in this project
(docs/sources.md has no section on it); the replay days and fixtures are
constructed. What the spider assumes, and reads tolerantly:

- the listing page links each case as ``/database/instances/<cc><nnnn>.htm``
  (two-letter lead-NCP country code + number, e.g. ``no0012``); the native id is
  that file name. Any link of that shape anywhere on the page counts;
- a case page has an H1 title (usually "<submitter> vs. <company>") and
  label/value pairs — as ``<dt>/<dd>``, ``<th>/<td>`` or "<strong>Label:</strong>
  value" — for: Lead NCP, Supporting NCP(s), Theme(s), Date, Host countr(y/ies),
  Submitter type, Company sector, Status, Company (optional), Keywords; a
  "Summary" heading followed by paragraphs; and links to PDFs (initial
  assessment, final statement …).

Health is loud: a listing with no case link, or a case page missing the lead
NCP or the status, is a red/amber note with the page named; a label the spider
does not know is counted (``tracker/unknown_labels``) so a layout change shows.

The item's body is the summary and the page's facts as "Label: value" lines (Lead NCP, Supporting
NCPs, Themes, Named enterprise, Keywords): the tagger reads the chapters a case concerns from its
themes (nlp/lexicons/relevance.toml, ``[[source_instrument]]``).

``extra.stage`` (one of ``filed``, ``accepted``, ``not_accepted``,
``final_statement``, ``closed``) is what the store turns into ``stage_changed``
events; ``status_raw`` is the database's own status word.
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

LISTING_URL = "https://mneguidelines.oecd.org/database/"
_CASE_LINK = re.compile(r"/database/instances/([a-z]{2}\d{3,5})\.htm$", re.I)

#: label on the page (lower-cased, without ":" and a plural "s") → field
LABELS = {
    "lead ncp": "lead_ncp", "supporting ncp": "supporting_ncps", "theme": "themes", "date": "date",
    "date filed": "date", "date submitted": "date", "host countrie": "host_countries", "host country": "host_countries",
    "submitter type": "submitter_type", "submitter": "submitter_type", "company sector": "sector",
    "sector": "sector", "status": "status", "company": "company", "enterprise": "company",
    "companie": "company", "keyword": "keywords",
}  # fmt: skip
LIST_FIELDS = ("supporting_ncps", "themes", "host_countries", "keywords")

#: a theme's words → the chapter code of the 2023 Guidelines (nlp label codes)
THEME_CHAPTERS = (
    ("oecd-ii", re.compile(r"general polic", re.I)),
    ("oecd-iii", re.compile(r"disclosure", re.I)),
    ("oecd-iv", re.compile(r"human rights", re.I)),
    ("oecd-v", re.compile(r"employment|industrial relations|labour|labor", re.I)),
    ("oecd-vi", re.compile(r"environment|climate|biodiversity", re.I)),
    ("oecd-vii", re.compile(r"brib|corruption|extortion", re.I)),
    ("oecd-viii", re.compile(r"consumer", re.I)),
    ("oecd-ix", re.compile(r"science|technology", re.I)),
    ("oecd-x", re.compile(r"competition", re.I)),
    ("oecd-xi", re.compile(r"taxation|\btax", re.I)),
)  # fmt: skip

#: the database's status words → the stage (checked in order)
STAGES = (
    ("not_accepted", re.compile(r"not accepted|rejected|not (?:taken|merit)", re.I)),
    ("closed", re.compile(r"concluded|closed|withdrawn", re.I)),
    ("accepted", re.compile(r"accepted|in progress|under (?:consideration|mediation)|good offices|ongoing", re.I)),
    ("filed", re.compile(r"submitted|received|initial assessment|under review|pending", re.I)),
)  # fmt: skip
_FINAL = re.compile(r"final statement|final report|slutterklæring", re.I)
_INITIAL = re.compile(r"initial assessment|første vurdering|innledende vurdering", re.I)
_VS = re.compile(r"\s+(?:vs?\.?|versus|against|mot)\s+", re.I)


def _split(value: str) -> list[str]:
    return [p for p in (" ".join(x.split()).strip(" .") for x in re.split(r"[;,|\n]", value)) if p]


def chapters_of(themes: list[str]) -> list[str]:
    """Chapter codes (``oecd-iv`` …) named by the case's themes, in chapter order."""
    found = {code for code, pattern in THEME_CHAPTERS for theme in themes if pattern.search(theme)}
    return [code for code, _ in THEME_CHAPTERS if code in found]


def stage_of(status: str, documents: list[dict[str, str]]) -> str:
    """The case's stage from its status words and its documents (a final statement wins)."""
    if any(_FINAL.search(d.get("title", "")) for d in documents):
        return "final_statement"
    for stage, pattern in STAGES:
        if pattern.search(status or ""):
            return stage
    if any(_INITIAL.search(d.get("title", "")) for d in documents):
        return "accepted"
    return "filed"


class OecdNcpCasesSpider(TrackerSpider):
    name = "oecd_ncp_cases"
    kind = "ncp_case"
    channel = "html"
    allowed_domains = ["mneguidelines.oecd.org"]
    listing_url = LISTING_URL

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.missing: set[str] = set()

    async def start(self) -> AsyncIterator[scrapy.Request]:
        yield self.revalidate(self.listing_url, self.parse, dont_filter=True, errback=self.feed_failed)

    def parse(self, response: Response, **kwargs: Any) -> Iterator[Any]:
        """The listing: one request per case page."""
        if not self.listing_readable(response, "case listing"):
            return
        seen: set[str] = set()
        for href in response.css("a::attr(href)").getall():
            url = response.urljoin(href.strip())
            m = _CASE_LINK.search(urlsplit(url).path)
            if not m or url in seen:
                continue
            seen.add(url)
            native_id = m.group(1).lower()
            # every case page is revalidated (conditional GET): a closed case can still get its final statement
            yield self.revalidate(url, self.parse_case, cb_kwargs={"native_id": native_id},
                                  errback=self.case_failed, dont_filter=True)
        if not seen:
            self.note("red", "case listing has no links to /database/instances/ pages (layout unverified, changed?)")
        self.count("cases_listed", len(seen))
        # the database is paged and sorted in ways nobody has checked: never claim the whole list
        self.set_listing(complete=False, channel="html")

    def case_failed(self, failure: Any) -> None:
        self.count("detail_failed")
        self.note("amber", f"some case pages failed ({failure.type.__name__})")

    # ------------------------------------------------------------------ case page

    def parse_case(self, response: Response, native_id: str) -> Iterator[Any]:
        if response.status == 304:
            self.count("detail_not_modified")
            return
        if self.is_blocked(response) or response.status >= 400:
            self.count("detail_failed")
            self.note("amber", f"some case pages failed (HTTP {response.status})")
            return
        title = " ".join(" ".join(response.css("h1 ::text").getall()).split())
        fields = self.read_labels(response)
        if not title:
            self.parse_error("case page without a title", response.url)
            self.note("amber", f"case page without a title: {response.url}")
            return
        for needed in ("lead_ncp", "status"):
            if not fields.get(needed):
                self.count(f"cases_without_{needed}")
                if needed not in self.missing:  # one note per field, naming the first page
                    self.missing.add(needed)
                    self.note("amber", f"case pages without '{needed}' (first: {response.url}); layout unverified")
        summary = self.read_summary(response)
        documents = [
            {"title": " ".join(" ".join(a.css("::text").getall()).split()) or "document",
             "url": response.urljoin(a.attrib["href"]), "type": "pdf"}
            for a in response.css("a[href$='.pdf'], a[href$='.PDF']")
        ]
        lists = {k: _split(fields.get(k, "")) for k in LIST_FIELDS}
        company = fields.get("company") or self.company_from_title(title)
        filed = parse_date(fields.get("date"), reference=self.today) if fields.get("date") else None
        if fields.get("date") and filed is None:
            self.parse_error(f"unparseable case date {fields['date']!r}", response.url)
        status_raw = fields.get("status") or None
        lead = fields.get("lead_ncp") or ""
        keywords = lists["keywords"]
        # the page's own facts, one "Label: value" line each: the tagger reads the case's chapters
        # from its themes (nlp/lexicons/relevance.toml: [[source_instrument]] themes)
        body_parts = [summary or "", f"Lead NCP: {lead}" if lead else "",
                      f"Supporting NCPs: {'; '.join(lists['supporting_ncps'])}" if lists["supporting_ncps"] else "",
                      f"Themes: {'; '.join(lists['themes'])}" if lists["themes"] else "",
                      f"Named enterprise: {company}" if company else "",
                      f"Keywords: {', '.join(keywords)}" if keywords else ""]
        yield self.make_item(
            native_id=native_id, url=response.url, title=title,
            summary=summary or None, body="\n".join(p for p in body_parts if p) or None,
            language="en", owner=f"NCP {lead}" if lead else None, published=iso(filed),
            status_raw=status_raw, documents=documents or None, channel="html",
            extra={
                "lead_ncp": lead or None, "supporting_ncps": lists["supporting_ncps"],
                "themes": lists["themes"], "chapters": chapters_of(lists["themes"]),
                "host_countries": lists["host_countries"], "submitter_type": fields.get("submitter_type"),
                "sector": fields.get("sector"), "company": company, "keywords": keywords,
                "stage": stage_of(status_raw or "", documents), "topic": "ncp_network",
            },
        )

    def read_labels(self, response: Response) -> dict[str, str]:
        """Label/value pairs from ``dt/dd``, ``th/td`` and "<strong>Label:</strong> value"."""
        pairs: list[tuple[str, str]] = []
        for dt in response.css("dt"):
            dd = dt.xpath("following-sibling::dd[1]")
            pairs.append((" ".join(dt.css("::text").getall()), " ".join(dd.css("::text").getall())))
        for row in response.css("tr"):
            head, cell = row.css("th"), row.css("td")
            if head and cell:
                pairs.append((" ".join(head[0].css("::text").getall()), " ".join(cell[0].css("::text").getall())))
        for strong in response.css("p > strong, p > b, li > strong, li > b"):
            label = " ".join(strong.css("::text").getall())
            value = " ".join(strong.xpath("following-sibling::text() | following-sibling::*//text()").getall())
            pairs.append((label, value))
        fields: dict[str, str] = {}
        for label, value in pairs:
            key = " ".join(label.split()).strip(" :").lower()
            if not key:
                continue
            name = LABELS.get(key) or LABELS.get(key.rstrip("s"))
            if name is None:
                self.count("unknown_labels")
                continue
            value = " ".join(value.split()).strip(" :")
            if value and name not in fields:
                fields[name] = value
        return fields

    @staticmethod
    def read_summary(response: Response) -> str:
        """The paragraphs after a heading called "Summary" (up to the next heading)."""
        for heading in response.css("h2, h3"):
            if "summary" in " ".join(heading.css("::text").getall()).lower():
                paras = []
                for sib in heading.xpath("following-sibling::*"):
                    if sib.root.tag in ("h1", "h2", "h3"):
                        break
                    if sib.root.tag == "p":
                        paras.append(" ".join(" ".join(sib.css("::text").getall()).split()))
                return "\n".join(p for p in paras if p and not p.lower().startswith("keyword"))
        return ""

    @staticmethod
    def company_from_title(title: str) -> str | None:
        """"<submitter> vs. <company>" → the company (the part after "vs.")."""
        parts = _VS.split(title, maxsplit=1)
        return parts[1].strip() if len(parts) == 2 and parts[1].strip() else None
