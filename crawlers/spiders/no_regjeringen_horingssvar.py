"""regjeringen.no: other actors' published answers (høringssvar) to closed hearings.

For each closed hearing the spider reads the published-responses list
``<detail-url>?showSvar=true&consterm=&page=N&isFilterOpen=true`` and yields one item per answer:
who answered (`extra.responder`), their type when the name tells it (`extra.responder_type`:
business, union, ngo, public_body), the link (an HTML answer ``?uid=<UUID>`` or a PDF under
``/contentassets/``) and the date when the list shows one.

Structure is **unverified** (docs/sources.md §1: ``ul[data-horingssvar-list] > li[data-instans]``
with ``a[href^="?uid="]`` or ``/contentassets/…pdf`` links, seen only in a public MCP server's
parser). The parser is tolerant: when that list is missing it falls back to any ``?uid=`` or
``/contentassets/…pdf`` link in the main content and turns the source amber; a blocked page
(Cloudflare 403/challenge) is amber with the reason, never a silent zero.

Which hearings: the spider needs the closed hearings of ``no_regjeringen_horinger``. It reads them
from the ``hearings`` argument (``native_id -> {"url", "status", "title"}``; a JSON string on the command
line) — `ncp-tracker answers` passes it — and from ``known`` entries that are closed hearings
(numeric page ids; the short URL ``/no/dokumenter/id<N>/`` redirects to the hearing page). With
neither, there is nothing to check: the run is empty and health says why (amber).

robots.txt (the real file, tests/fixtures/real/no_regjeringen_horinger/): the list URL
``…/id<N>/?showSvar=true&consterm=…`` is allowed (``Disallow: /*/?consterm`` matches only when
``consterm`` is the first parameter; matching is case-sensitive, Protego), but every ``?uid=`` answer
page is disallowed: the spider only *lists* those links (a person opens them), it never fetches one.
If robots.txt ever forbids the list, the request is refused by Scrapy's RobotsTxtMiddleware and
health says "blocked by robots.txt" (amber) — the answers cannot be read, and the spider says so.
Open hearings have no published answers (their page links svar.regjeringen.no, where answers are
*submitted*); the spider asks only for closed ones.

Its items are *not* consultations: `tracker.workbench.answers` stores them in the ``answers`` table, not in
``items`` (kind ``hearing_response``). The spider imports nothing from ``tracker``.
"""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import scrapy
from scrapy.http import Response

from crawlers import consultees
from crawlers.dates import iso, parse_date
from crawlers.notes import ANSWER_LISTS_BLOCKED, page_name
from crawlers.spiders.base import TrackerSpider

BASE = "https://www.regjeringen.no"
LIST_QUERY = "?showSvar=true&consterm=&page={page}&isFilterOpen=true"
MAX_PAGES = 40
_PREFIX = re.compile(r"^\s*H(?:ø|o|oe)y?ringssvar\s+(?:fra|frå)\s+", re.I)
_DATE = re.compile(r"(\d{1,2}\.\d{1,2}\.\d{4})")

# checked in order: the first group whose pattern matches the responder's name decides
_NGO = re.compile(
    r"amnesty|framtiden i våre hender|fremtiden i våre hender|kirkens nødhjelp|\bforum\b|"
    r"forum for utvikling og miljø|redd barna|regnskogfondet|naturvernforbundet|norwatch|"
    r"transparency international|greenpeace|\bwwf\b|bellona|norsk folkehjelp|plan international|"
    r"changemaker|caritas|etisk handel|human rights watch|fian\b|spire\b|attac|"
    r"utviklingsfondet|care norge|leger uten grenser|fairtrade|stiftelsen",
    re.I,
)
_BUSINESS_ORG = re.compile(
    r"\bnho\b|næringslivets hovedorganisasjon|\bvirke\b|finans norge|norsk industri|"
    r"rederiforbund|\bspekter\b|\babelia\b|arbeidsgiverforening|bedriftsforbund|"
    r"norsk olje og gass|offshore norge|sjømat norge|handelskammer|næringsforening|"
    r"regnskap norge|revisorforening|advokatforening|\bdnb\b|storebrand|\bkpmg\b|deloitte|"
    r"\bpwc\b|\bey\b|bdo\b",
    re.I,
)
_COMPANY = re.compile(r"\b(?:AS|ASA|SA|ANS|DA|BA|AB|ApS|Oyj|Ltd|Limited|GmbH|Inc|LLC|plc|SE)\.?\s*$")
_UNION = re.compile(
    r"\blo\b|landsorganisasjonen|forbund|\bys\b|\bunio\b|akademikerne|fagforening|"
    r"fellesorganisasjonen|\bparat\b|\bnegotia\b|\btekna\b|handel og kontor|\bnito\b|"
    r"tjenestemannslag|industri energi",
    re.I,
)
_PUBLIC = re.compile(
    r"departement|direktorat|kommune|tilsyn|etaten\b|etat\b|statsforvalter|riksrevisjon|"
    r"sametinget|universitet|høgskule|høgskole|norges bank|domstol|politi|"
    r"institusjon for menneskerettigheter|kontaktpunkt|regjeringsadvokat|forbrukerrådet|"
    r"ombud|nav\b|eksfin|norad|norfund|innovasjon norge|brønnøysundregistr|finanstilsyn|"
    r"konkurransetilsyn|økokrim|statistisk sentralbyrå|riksadvokat|stortinget",
    re.I,
)


def classify_responder(name: str | None) -> str | None:
    """business, union, ngo or public_body when the name tells it; else None.

    >>> classify_responder("Norsk Hydro ASA"), classify_responder("Fellesforbundet")
    ('business', 'union')
    >>> classify_responder("Naturvernforbundet"), classify_responder("Nærings- og fiskeridepartementet")
    ('ngo', 'public_body')
    """
    if not name or not name.strip():
        return None
    name = " ".join(name.split())
    if _NGO.search(name):
        return "ngo"
    if _BUSINESS_ORG.search(name) or _COMPANY.search(name):
        return "business"
    if _UNION.search(name):
        return "union"
    if _PUBLIC.search(name):
        return "public_body"
    return None


def is_ncp(name: str | None) -> bool:
    """Kontaktpunktet under any of its names (the one rule: crawlers/consultees.py)."""
    return consultees.is_ncp(name)


class NoRegjeringenHoringssvarSpider(TrackerSpider):
    name = "no_regjeringen_horingssvar"
    kind = "hearing_response"
    channel = "html"
    allowed_domains = ["regjeringen.no", "www.regjeringen.no"]
    #: nothing to check is a normal day (health still says why, see start())
    may_be_empty = True

    def __init__(self, *args: Any, hearings: dict | str | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if isinstance(hearings, str):
            try:
                hearings = json.loads(hearings)
            except ValueError:
                hearings = None
                self.note("red", "spider argument `hearings` is not valid JSON")
        self.hearings: dict[str, dict] = self._hearings_to_check(hearings or {}, self.known)
        #: the hearings whose answer list was read to its last page (a blocked or failed page
        #: leaves its hearing out: the store logs only these as checked, the others come first
        #: next time)
        self.read: set[str] = set()

    @staticmethod
    def _hearings_to_check(hearings: dict, known: dict) -> dict[str, dict]:
        out: dict[str, dict] = {}
        for native_id, info in known.items():
            info = info or {}
            if info.get("status") == "closed" and str(native_id).isdigit():
                out[str(native_id)] = {"url": info.get("url") or f"{BASE}/no/dokumenter/id{native_id}/"}
        for native_id, info in hearings.items():
            info = info or {}
            url = info.get("url") or (f"{BASE}/no/dokumenter/id{native_id}/" if str(native_id).isdigit() else None)
            if url:
                out[str(native_id)] = {**info, "url": url}
        return out

    async def start(self) -> AsyncIterator[scrapy.Request]:
        if not self.hearings:
            self.note("amber", "no closed hearings given to check (run `ncp-tracker answers`, "
                               "which passes them from the store)")  # fmt: skip
            return
        for native_id, info in sorted(self.hearings.items()):
            yield self._list_request(native_id, info["url"], 1)

    def _list_request(self, hearing_id: str, detail_url: str, page: int) -> scrapy.Request:
        base = detail_url.split("?", 1)[0].split("#", 1)[0]
        return scrapy.Request(
            base + LIST_QUERY.format(page=page), callback=self.parse,
            cb_kwargs={"hearing_id": hearing_id, "detail_url": base, "page": page},
            errback=self.list_failed, dont_filter=True,
        )  # fmt: skip

    # ------------------------------------------------------------------ list pages

    def parse(self, response: Response, hearing_id: str = "", detail_url: str = "", page: int = 1,
              **kwargs: Any) -> Iterator[Any]:
        """One page of a hearing's published answers; follows the next page when linked."""
        if self.is_blocked(response):
            # health counts them and names the first few by their hearing's title (one line)
            self.page_blocked(page_name(self.hearings.get(hearing_id, {}).get("title"), response.url))
            self.note("amber", ANSWER_LISTS_BLOCKED)
            return
        if response.status >= 400:
            self.count("list_failed")
            self.note("amber", f"some answer lists failed (HTTP {response.status})")
            return
        entries = self._parse_entries(response)
        if entries is None:
            return
        self.count("hearings_checked" if page == 1 else "list_pages_extra")
        if not entries and page == 1:
            self.count("hearings_without_answers")
        for entry in entries:
            item = self._item(entry, hearing_id, detail_url)
            if item is not None:
                yield item
        if entries and self._has_next(response, page):
            if page < MAX_PAGES:
                yield self._list_request(hearing_id, detail_url, page + 1)
                return
            # never a silent stop: the answers past this page are not read
            self.note("amber", f"hearing {hearing_id}: the answers list has more than {MAX_PAGES} "
                               f"pages; only the first {MAX_PAGES} were read")
        self.read.add(hearing_id)

    def report_args(self) -> dict[str, Any]:
        """The hearings given to check and those whose answer list was read (tracker.jobs.storing)."""
        return {"hearings": self.hearings, "read": sorted(self.read)}

    def _parse_entries(self, response: Response) -> list[dict[str, Any]] | None:
        rows = response.css("ul[data-horingssvar-list] > li[data-instans], [data-horingssvar-list] li[data-instans]")
        entries = []
        if rows:
            for li in rows:
                entry = self._parse_row(response, li)
                if entry:
                    entries.append(entry)
                else:
                    self.parse_error("answer row without a link", response.url)
            return entries
        if response.css("[data-horingssvar-list]"):
            return []  # the list is there and empty: nobody answered (yet)
        # fallback: the documented list is missing; read answer links from the main content
        root = response.css("main, #mainContent, article") or response.css("body")
        links = root[0].css('a[href^="?uid="], a[href*="&uid="], a[href*="/contentassets/"][href*=".pdf"]') if root else []
        if not links:
            if "showSvar" in response.url and b"ringssvar" not in response.body:
                self.parse_error("page is not an answer list", response.url)
                return None
            return []
        self.note("amber", "answer list markup not recognised (ul[data-horingssvar-list] missing); "
                           "links read by fallback")  # fmt: skip
        for link in links:
            entry = self._entry_from_link(response, link, None)
            if entry:
                entries.append(entry)
        return entries

    def _parse_row(self, response: Response, li: Any) -> dict[str, Any] | None:
        link = li.css('a[href^="?uid="], a[href*="uid="], a[href*="/contentassets/"]')
        if not link:
            link = li.css("a[href]")
        if not link:
            return None
        return self._entry_from_link(response, link[0], li)

    def _entry_from_link(self, response: Response, link: Any, li: Any | None) -> dict[str, Any] | None:
        href = (link.attrib.get("href") or "").strip()
        if not href:
            return None
        url = response.urljoin(href)
        link_text = " ".join(" ".join(link.css("::text").getall()).split())
        responder = self._parse_responder(li, link_text, url)
        text = " ".join(" ".join((li or link).css("::text").getall()).split())
        return {
            "url": url,
            "responder": responder,
            "date": self._parse_date(li, text),
            "format": "pdf" if ".pdf" in urlsplit(url).path.lower() else "html",
            "key": self._parse_key(url),
        }

    @staticmethod
    def _parse_responder(li: Any | None, link_text: str, url: str) -> str | None:
        if li is not None and (name := (li.attrib.get("data-instans") or "").strip()):
            return " ".join(name.split())
        name = _PREFIX.sub("", link_text).strip()
        if name:
            return name
        uid = parse_qs(urlsplit(url).query).get("uid", [None])[0]
        return uid if uid and not re.fullmatch(r"[0-9a-fA-F-]{32,36}", uid) else None

    def _parse_date(self, li: Any | None, text: str) -> str | None:
        if li is not None:
            stamp = li.css("time::attr(datetime)").get()
            if stamp and (dt := parse_date(stamp)):
                return iso(dt)
        m = _DATE.search(text)
        return iso(parse_date(m.group(1))) if m else None

    @staticmethod
    def _parse_key(url: str) -> str:
        parts = urlsplit(url)
        uid = parse_qs(parts.query).get("uid", [None])[0]
        if uid and ".pdf" not in parts.path.lower():
            return uid
        return parts.path.rsplit("/", 2)[-2] + "/" + parts.path.rsplit("/", 1)[-1] if "/" in parts.path else url

    @staticmethod
    def _has_next(response: Response, page: int) -> bool:
        nxt = f"page={page + 1}"
        return any(nxt in (h or "") for h in response.css("a::attr(href)").getall())

    def _item(self, entry: dict[str, Any], hearing_id: str, detail_url: str) -> Any | None:
        responder = entry["responder"]
        if not responder:
            self.parse_error("answer without a readable responder", entry["url"])
            return None
        return self.make_item(
            native_id=f"{hearing_id}:{entry['key']}",
            url=entry["url"],
            title=f"Høringssvar fra {responder}",
            published=entry["date"],
            extra={
                "hearing_id": hearing_id, "hearing_url": detail_url, "responder": responder,
                "responder_type": classify_responder(responder), "is_ncp": is_ncp(responder),
                "format": entry["format"],
            },
        )  # fmt: skip

    def list_failed(self, failure: Any) -> Iterator[Any]:
        if self.robots_blocked(failure):
            # regjeringen.no's robots.txt decides; an answer list it forbids is never fetched
            self.note("amber", "answer lists blocked by robots.txt (not fetched): answers cannot be read "
                               f"for these hearings, e.g. {failure.request.url}"[:300])
            return iter(())
        self.count("list_failed")
        self.note("amber", f"some answer lists failed ({failure.type.__name__})")
        return iter(())
