"""What every regjeringen.no spider needs: the RSS generator's URLs, the hearing-page labels,
the hearings listing.

Detail pages follow two real captures (tests/fixtures/real/, July 2026, bokmål and nynorsk):
`div.article-info > p` with `span.type "Høring |"`, `span.date "Dato: dd.mm.yyyy"` and
`span.owner "| <a>Department</a>"` (the separators inside the spans); Status and Høringsfrist
(nynorsk: Høyringsfrist) as `<strong>` labels in `div.article-body > div.horing-meta`; the letter
inline in the factbox `#horingsbrev` (with `div.horing-ref` "Vår ref.: …"); notes as PDF links in
`#horingsnotater`; the consultee list inline in `#horingsinstanser` (see crawlers/consultees.py:
it is data, never body text); the answer form at svar.regjeringen.no. The parsers read the labels
from the page text, which also covers the older markup generations (`div.content-owner-dep`).

The hearings listing (`/no/dokument/hoyringar/id1763/?page=N`, 20 per page, newest first) is real
too: `li.listItem` with `h2.title a`, `span.date`, `span.type`, `span.department`, `p.excerpts`
and `p.event-details` ("Høringsfrist: dd.mm.yyyy", "Status: På høring").
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import NamedTuple
from urllib.parse import urlsplit

from scrapy.http import Response
from w3lib.url import url_query_cleaner

from crawlers.dates import deadline_at, parse_date, read_date
from crawlers.text import first_text, texts_outside

#: the hearings listing (nynorsk path; the bokmål /no/dokument/horinger/… is the same list), 20 a page
LISTING_URL = "https://www.regjeringen.no/no/dokument/hoyringar/id1763/"

RSS_BASE = "https://www.regjeringen.no/no/rss/Rss/2581966/"
TRACKING_PARAMS = ("utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content")

PAGE_ID = re.compile(r"/id(\d{4,})/?")
DEADLINE = re.compile(r"H(?:ø|o|oe)y?ringsfrist\s*:?\s*([0-9]{1,2}[./][0-9]{1,2}[./][0-9]{4}|\d{1,2}\.\s*\w+\s+\d{4})", re.I)
#: the label "Høringsfrist:" (nynorsk "Høyringsfrist:") and the words after it, on its line or the next
DEADLINE_LABEL = re.compile(r"H(?:ø|o|oe)y?ringsfrist\s*:[ \t]*\n?[ \t]*([^\n|]{0,80})", re.I)
#: where the words of a label end when the next label follows on the same line (the listing's row)
_LABEL_VALUE_END = re.compile(r"\s*(?:\bStatus\s*:|\bVår ref|\bH(?:ø|o)y?rings(?:brev|notat)).*$", re.I | re.S)
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


class Deadline(NamedTuple):
    """A Høringsfrist as `read_deadline` read it."""

    #: the deadline; None when the words are no date
    when: datetime | None
    #: the words it was read from; None when the page has no Høringsfrist label at all
    words: str | None
    #: the words give a day and a time that is no time of day («kl. 25»): `when` is the end of
    #: the day, as for a day given alone, and the caller says the time could not be read
    time_unreadable: bool = False


def read_deadline(text: str, today: date) -> Deadline:
    """The Høringsfrist of `text` and the words it was read from: a day is the end of that day in
    Europe/Oslo, a time given ("1. desember 2026 kl. 12", "23. feb. 2027 kl. 12.00") is kept
    (crawlers.dates); a day with an impossible time ("kl. 25") is the end of that day, flagged.
    (None, the words) when the page labels a Høringsfrist whose words are no date — the caller
    says so, naming them; (None, None) when the page has no Høringsfrist label at all."""
    unreadable = None
    for m in DEADLINE_LABEL.finditer(text):
        words = _LABEL_VALUE_END.sub("", m.group(1)).strip(" \t.,;")
        when, time_unreadable = read_date(words, reference=today)
        if dt := deadline_at(when):
            return Deadline(dt, words, time_unreadable)
        unreadable = words if unreadable is None else unreadable
    m = DEADLINE.search(text)  # "Høringsfrist 25.05.2016", without the colon
    if m and (dt := deadline_at(parse_date(m.group(1), reference=today))):
        return Deadline(dt, m.group(1))
    return Deadline(None, unreadable)


def deadline_note(native_id: str, words: str | None, url: str) -> str:
    """The health note (amber) of a hearing page whose Høringsfrist `read_deadline` could not read:
    its page and the words, or that it has none. The item carries no deadline from it."""
    if words is None:
        return f"hearing {native_id}: no Høringsfrist on its page {url}: deadline not read from it"
    return f"hearing {native_id}: unreadable Høringsfrist {words!r} on its page {url}: deadline not read from it"


def deadline_time_note(native_id: str, deadline: Deadline, url: str) -> str:
    """The health note (amber) of a hearing page whose Høringsfrist gives a day and a time that is
    no time of day: the page, the words, and that the deadline is the end of that day."""
    day = deadline.when.date().isoformat() if deadline.when else "?"
    return (f"hearing {native_id}: the time in Høringsfrist {deadline.words!r} on its page {url} is no time of day: "
            f"deadline taken as the end of {day}")


def parse_status(text: str) -> str | None:
    m = STATUS.search(text)
    return m.group(1).strip() if m else None


def parse_owner(response: Response, text: str) -> str | None:
    if owner := first_text(response.css(".article-info .owner a::text").getall()):
        return owner
    for pattern in (OWNER_LABEL, META_LINE):
        if m := pattern.search(text):
            return m.group(1).strip()
    return first_text(response.css(".content-owner-dep a::text, .article-info .owner ::text").getall())


def parse_reference(text: str) -> str | None:
    m = REFERENCE.search(text)
    return m.group(1).strip() if m else None


#: the factbox a document sits in says what it is (real pages)
FACTBOX_TYPES = {"horingsbrev": "høringsbrev", "horingsnotater": "høringsnotat", "horingsnotat": "høringsnotat",
                 "horingsinstanser": "høringsinstanser"}  # fmt: skip


def parse_documents(response: Response) -> list[dict[str, str]]:
    """Attachments under /contentassets/, typed by their factbox (#horingsnotater …), else by their
    link text; titled by the link's `title` attribute when it says more than the link text."""
    docs, seen = [], set()
    for link in response.css('a[href*="/contentassets/"]'):
        href = response.urljoin(link.attrib.get("href", ""))
        if href in seen:
            continue
        seen.add(href)
        text = " ".join(" ".join(link.css("::text").getall()).split())
        attr = " ".join((link.attrib.get("title") or "").split())
        attr = re.sub(r"\.(pdf|docx?|xlsx?)$", "", attr, flags=re.I)
        title = attr if len(attr) > len(text) else text or attr or href.rsplit("/", 1)[-1]
        box = link.xpath("ancestor::*[@id][1]/@id").get() or ""
        low = title.lower()
        by_text = next((t for key, t in DOC_TYPES if key in low), None)
        # a NOU or a draft regulation in the notes' factbox is that, not "a note"
        doc_type = by_text if by_text in ("nou", "forskriftsutkast", "utkast") else FACTBOX_TYPES.get(box) or by_text or "dokument"
        docs.append({"title": title, "url": href, "type": doc_type})
    return docs


#: what in the article body is not its text (an XPath predicate for `texts_outside`): scripts,
#: styles, the consultee list (data, see crawlers/consultees.py — company extraction and tagging
#: must not read it), the factbox that holds it, and the answer button
NOT_BODY = ("self::script or self::style or @id='horingsinstanser'"
            " or contains(concat(' ', @class, ' '), ' horing-cta ')"
            " or (contains(concat(' ', @class, ' '), ' factbox ') and .//*[@id='horingsinstanser'])")


def parse_body(response: Response) -> str | None:
    roots = response.css(".article-body")
    if roots:
        parts = texts_outside(roots[0].root, NOT_BODY)
    else:
        parts = response.css("main p::text, #mainContent p::text").getall()
    text = "\n".join(p.strip() for p in parts if p.strip())
    return text or None


def submit_url(response: Response) -> str | None:
    """Where answers are submitted (an open hearing's "Send inn høringssvar": svar.regjeringen.no)."""
    link = response.css('a[href*="registrer_horingsuttalelse"]::attr(href), .horing-cta a::attr(href)').get()
    return response.urljoin(link) if link else None


def parse_ingress(response: Response) -> str | None:
    return first_text(response.css(".article-ingress ::text, .ingress ::text").getall())


def responses_url(response: Response) -> str | None:
    """The link to the hearing's published answers (`?showSvar=true`), when the page has one."""
    link = response.css('a[href*="showSvar=true"]::attr(href)').get()
    return response.urljoin(link) if link else None


# --------------------------------------------------------------------------- the hearings listing

_LISTING_STATUS = re.compile(r"Status\s*:\s*(.+)", re.I)


def listing_url(page: int) -> str:
    return LISTING_URL if page <= 1 else f"{LISTING_URL}?page={page}"


def parse_listing(response: Response, today: date) -> tuple[list[dict], list[str]] | None:
    """The hearings of one listing page: ([{native_id, url, title, published, type, owner, summary,
    deadline, status_raw}], [problems]); None when the page is not a hearings listing."""
    rows = response.css("#searchResultsListing li.listItem, ul.listing li.listItem")
    if not rows:
        return None
    out, problems = [], []
    for li in rows:
        href = li.css("h2.title a::attr(href), .title a::attr(href)").get()
        title = first_text([" ".join(li.css("h2.title a ::text, .title a ::text").getall())])
        url = response.urljoin(href) if href else None
        native_id = page_id(url or "")
        if not url or not title or not native_id:
            problems.append(f"listing row without link, title or page id ({url or title or '?'})")
            continue
        details = " ".join(" ".join(li.css("p.event-details ::text").getall()).split())
        deadline, words, time_unreadable = read_deadline(details, today)
        if deadline is None and words is not None:
            problems.append(f"listing row {native_id}: unreadable Høringsfrist {words!r}")
        elif time_unreadable:
            problems.append(f"listing row {native_id}: no time of day in Høringsfrist {words!r}: the end of the day taken")
        status = None
        for span in li.css("p.event-details span"):
            text = " ".join(" ".join(span.css("::text").getall()).split())
            if m := _LISTING_STATUS.match(text):
                status = m.group(1).strip()
        published = parse_date(first_text(li.css("span.date::text").getall()) or "", reference=today)
        out.append({
            "native_id": native_id, "url": url, "title": title,
            "published": published,
            "type": first_text(li.css("span.type::text").getall()),
            "owner": first_text(li.css("span.department::text").getall()),
            "summary": first_text([" ".join(li.css("p.excerpts ::text").getall())]),
            "deadline": deadline,
            "status_raw": status,
        })  # fmt: skip
    return out, problems


def listing_has_next(response: Response, page: int) -> bool:
    """The listing links a next page (`li.next a`, or `rel=next`)."""
    nxt = response.css("ul.pagination li.next a::attr(href)").get() or response.css('link[rel="next"]::attr(href)').get()
    return bool(nxt and f"page={page + 1}" in nxt)


#: what a listing page says it shows, above its rows ("Viser 1-20 av 6960 treff.", real page of 2026-07-04)
_SHOWING = re.compile(r"Viser\s+(\d+)\s*[-–]\s*(\d+)\s+av\s+(\d+)\s+treff", re.I)
#: hearings a full listing page holds (the real one: 20)
LISTING_PAGE_SIZE = 20


def listing_shortfall(response: Response, rows: int, page: int) -> str | None:
    """Why listing page `page` holds fewer hearings (`rows` read) than it says it shows — its body
    cut short on the way — or None. The page says which it shows ("Viser 21-40 av 6960 treff."); a
    page that does not say is short when it holds fewer than a full page and its pagination says
    more pages follow, or has none (the pagination sits below the rows)."""
    count = " ".join(" ".join(response.css("p.count ::text, .statusLine ::text").getall()).split())
    if m := _SHOWING.search(count):
        first, last = int(m.group(1)), int(m.group(2))
        said = last - first + 1
        if rows < said:
            return f"hearings listing page {page} holds {rows} hearings but says it shows {said} ({m.group(0)}): cut short?"
        return None
    pages = listing_page_count(response)
    if rows < LISTING_PAGE_SIZE and (pages is None or page < pages):
        return (f"hearings listing page {page} holds {rows} hearings, without saying how many it shows, and "
                f"{'no pagination' if pages is None else f'page {page} of {pages}'}: cut short?")
    return None


_PAGE_COUNT = re.compile(r"\b(?:av|of)\s+(\d+)\b", re.I)


def listing_page_count(response: Response) -> int | None:
    """How many pages the listing has, as its pagination says ("Du er på sida 1 av 348")."""
    label = response.css("ul.pagination::attr(aria-label)").get() or " ".join(
        response.css("ul.pagination li[class^='current'] ::text").getall())
    m = _PAGE_COUNT.search(label or "")
    return int(m.group(1)) if m else None


# --------------------------------------------------------------------------- the sitemap

# robots.txt names it (`Sitemap: https://www.regjeringen.no/globalassets/sitemap/sitemap.xml`, real
# capture of 2026-07-04); it follows the sitemaps.org protocol (no real capture of the sitemap itself)

#: a document page: /no/dokumenter/<slug>/id<N>/
DOCUMENT_PATH = re.compile(r"^/(?:no|nb|nn)/dokumenter/(?P<slug>[^/]+)/id(?P<id>\d{4,})/?$")
#: a slug that names a hearing ("horing-…", "kort-horing-…", "hoyring-…", "horingsnotat-…" and
#: the real typo "horinng-…"); 17 of the 20 rows of the real listing page have one — the listing
#: walk is the complete channel, the sitemap only catches what it missed
HEARING_SLUG = re.compile(r"(?:^|-)h(?:o|oe|ø)y?rin+g", re.I)


def sitemap_hearing_url(url: str) -> str | None:
    """The page id of a sitemap URL that looks like a hearing's detail page, else None."""
    m = DOCUMENT_PATH.match(urlsplit(url).path)
    return m.group("id") if m and HEARING_SLUG.search(m.group("slug")) else None


def detail_type(response: Response) -> str | None:
    """The page type of a detail page ("Høring", "Høyring", "NOU", …): `div.article-info span.type`
    without its "|" separator (real markup)."""
    text = first_text([" ".join(" ".join(response.css(".article-info .type ::text").getall()).split())])
    return text.strip(" |") or None if text else None


def is_hearing_page(response: Response) -> bool:
    return bool(re.match(r"^H(?:ø|o)y?ring\b", detail_type(response) or ""))


def detail_title(response: Response) -> str | None:
    return first_text([" ".join(" ".join(response.css("h1 ::text").getall()).split())])


def detail_published(response: Response, today: date) -> datetime | None:
    """`span.date` "Dato: 03.07.2026" of the metadata line."""
    text = " ".join(" ".join(response.css(".article-info .date ::text").getall()).split())
    m = re.search(r"(\d{1,2}\.\d{1,2}\.\d{4})", text)
    return parse_date(m.group(1), reference=today) if m else None
