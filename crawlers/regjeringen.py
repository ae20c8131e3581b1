"""What every regjeringen.no spider needs: the RSS generator's URLs and the hearing-page labels.

Detail-page markup is **unverified** (no raw page has been published; docs/sources.md §1):
the parsers read labels from the page text ("Høringsfrist:", "Status:", "Vår ref.:",
"Ansvarlig:") and the "Høring | Dato: … | Department" metadata line, which covers every
markup generation seen so far (the 2026 `<strong>` labels, the older `div.horing-meta`
paragraphs, the oldest `div.content-owner-dep`).
"""

from __future__ import annotations

import re
from datetime import date, datetime

from scrapy.http import Response
from w3lib.url import url_query_cleaner

from crawlers.dates import deadline_at, parse_date
from crawlers.text import first_text

RSS_BASE = "https://www.regjeringen.no/no/rss/Rss/2581966/"
TRACKING_PARAMS = ("utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content")

PAGE_ID = re.compile(r"/id(\d{4,})/?")
DEADLINE = re.compile(r"H(?:ø|o|oe)y?ringsfrist\s*:?\s*([0-9]{1,2}[./][0-9]{1,2}[./][0-9]{4}|\d{1,2}\.\s*\w+\s+\d{4})", re.I)
STATUS = re.compile(r"\bStatus\s*:\s*([^\n|:]{3,40}?)(?=\s*(?:\n|\||H(?:ø|o)y?ringsfrist|Vår ref|Frist|$))", re.I)
REFERENCE = re.compile(r"(?:Vår ref\.?|Saksnr\.?|Saksnummer)\s*:?\s*([0-9]{2,4}/[0-9]+[^\n|]{0,40})", re.I)
OWNER_LABEL = re.compile(r"(?:Ansvarlig|Departement)\s*:\s*([^\n|]{4,80})", re.I)
META_LINE = re.compile(r"H(?:ø|o)y?ring\s*\|\s*Dato\s*:\s*[0-9./]+\s*\|\s*([^\n|]{4,80})", re.I)

DOC_TYPES = (
    ("høringsnotat", "høringsnotat"), ("notat", "høringsnotat"),
    ("høringsbrev", "høringsbrev"), ("høyringsbrev", "høringsbrev"), ("brev", "høringsbrev"),
    ("instans", "høringsinstanser"), ("liste", "høringsinstanser"),
    ("nou", "nou"), ("forskrift", "forskriftsutkast"), ("utkast", "utkast"),
)  # fmt: skip


def clean_link(url: str) -> str:
    """A feed link without its `utm_*` parameters."""
    return url_query_cleaner(url, TRACKING_PARAMS, remove=True)


def page_id(link: str, guid: str = "") -> str | None:
    """The numeric page id: the feed's guid, else the `/id<N>/` of the link."""
    if guid.isdigit():
        return guid
    m = PAGE_ID.search(link) or PAGE_ID.search(guid)
    return m.group(1) if m else None


def is_nynorsk_title(title: str) -> bool:
    return bool(re.match(r"^\s*Høyring", title))


def parse_deadline(text: str, today: date) -> datetime | None:
    """Høringsfrist as the end of that day in Europe/Oslo."""
    m = DEADLINE.search(text)
    return deadline_at(parse_date(m.group(1), reference=today)) if m else None


def parse_status(text: str) -> str | None:
    m = STATUS.search(text)
    return m.group(1).strip() if m else None


def parse_owner(response: Response, text: str) -> str | None:
    for pattern in (OWNER_LABEL, META_LINE):
        if m := pattern.search(text):
            return m.group(1).strip()
    return first_text(response.css(".content-owner-dep a::text, .article-info .owner ::text").getall())


def parse_reference(text: str) -> str | None:
    m = REFERENCE.search(text)
    return m.group(1).strip() if m else None


def parse_documents(response: Response) -> list[dict[str, str]]:
    """Attachments under /contentassets/, typed by their link text."""
    docs, seen = [], set()
    for link in response.css('a[href*="/contentassets/"]'):
        href = response.urljoin(link.attrib.get("href", ""))
        if href in seen:
            continue
        seen.add(href)
        title = " ".join(" ".join(link.css("::text").getall()).split()) or href.rsplit("/", 1)[-1]
        low = title.lower()
        docs.append({"title": title, "url": href, "type": next((t for key, t in DOC_TYPES if key in low), "dokument")})
    return docs


def parse_body(response: Response) -> str | None:
    parts = response.css(".article-body ::text, #mainContent .article-body ::text").getall()
    if not parts:
        parts = response.css("main p::text, #mainContent p::text").getall()
    text = "\n".join(p.strip() for p in parts if p.strip())
    return text or None


def parse_ingress(response: Response) -> str | None:
    return first_text(response.css(".article-ingress ::text, .ingress ::text").getall())


def responses_url(response: Response) -> str | None:
    """The link to the hearing's published answers (`?showSvar=true`), when the page has one."""
    link = response.css('a[href*="showSvar=true"]::attr(href)').get()
    return response.urljoin(link) if link else None
