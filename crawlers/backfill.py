"""Backfill spiders: a source's history, one unit (a Storting session, a listing page, …) per crawl.

Each class here is a source's own spider with the same `name` (so its items, health and crawl
report belong to that source), changed in two ways only:

- it crawls one *unit* of history, given as the spider argument ``unit`` (with ``since``, the
  first year wanted), instead of what the source shows today;
- it never declares its listing complete: a page of history must not mark today's open items as
  vanished.

Two kinds of history:

- **listed units**, known before the walk starts (``units(since, today)``, newest first): the
  Storting sessions, the watched acts of the Cellar;
- **paged units** (``paged = True``): a listing read page by page, newest first — ``page-1``,
  ``page-2``, … found one after another. Each page crawl reports what it saw about the rest in its
  crawl stats (``page_facts``: is there a next page, the oldest and newest item dates on it, the
  page count when the listing says one); the backfill job goes on to the next page while the
  listing has one and the page still reaches into ``--since``. Whole pages are units: the last
  page of a walk keeps the hearings on it older than ``--since`` too. ``final_units`` are read
  once the page walk of a source is done (regjeringen.no's sitemap).

They live outside ``crawlers/spiders`` so the spider loader (and a daily run) never lists them;
`ncp-tracker backfill` (tracker/jobs/backfill.py) passes them to the crawl runner explicitly
(``process.crawl(RegjeringenHearingsHistory, unit="page-3", since="2015")`` works in plain Scrapy too).
"""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import AsyncIterator, Iterator
from datetime import date, datetime
from typing import Any, ClassVar
from urllib.parse import urlencode, urlsplit, urlunsplit

import scrapy
from scrapy.http import Response

from crawlers import regjeringen
from crawlers.dates import iso, parse_date
from crawlers.spiders.eu_cellar import _CELEX_OK, EuCellarSpider, sparql_url
from crawlers.spiders.eu_haveyoursay import API as HYS_API
from crawlers.spiders.eu_haveyoursay import EuHaveyoursaySpider, as_search_result, detail_url
from crawlers.spiders.no_regjeringen_horinger import NoRegjeringenHoringerSpider
from crawlers.spiders.no_stortinget_horinger import NoStortingetHoringerSpider, session_for
from crawlers.watchlist_file import WatchlistError
from crawlers.watchlist_file import load as load_watchlist

_SESSION = re.compile(r"^(\d{4})-(\d{4})$")
_PAGE = re.compile(r"^page-([1-9]\d{0,5})$")


def page_unit(page: int) -> str:
    return f"page-{page}"


def page_number(unit: str | None) -> int:
    """The page of a paged unit ("page-3" → 3); ValueError for anything else."""
    match = _PAGE.match(unit or "")
    if not match:
        raise ValueError(f"unit must be a listing page like page-3, got {unit!r}")
    return int(match.group(1))


def _day(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    parsed = parse_date(str(value)) if value else None
    return parsed.date() if parsed else None


class BackfillMixin:
    """What every backfill spider shares: the ``unit`` and ``since`` arguments, a listing never
    complete, and the facts a page of a paged history reports."""

    #: what one unit of history is, for people ("session", "page", "act", …)
    unit_name: ClassVar[str] = "unit"
    #: units are listing pages found one after another (page-1, page-2, …)
    paged: ClassVar[bool] = False
    #: units read once the page walk of the source is done
    final_units: ClassVar[tuple[str, ...]] = ()
    #: units that redo what earlier units could not (never done for good: planned whenever the
    #: store has work for them, tracker/jobs/backfill.py)
    retry_units: ClassVar[tuple[str, ...]] = ()
    #: the pages are sorted newest first, so the walk can stop at --since (else: every page)
    newest_first: ClassVar[bool] = True
    #: what the retry unit's pages are, in its notes
    unread_words: ClassVar[str] = "pages of stored items"

    def __init__(self, *args: Any, since: int | str | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if since not in (None, "") and not str(since).isdigit():
            raise ValueError(f"since must be a year, got {since!r}")
        #: the first year wanted (None: no limit)
        self.since: int | None = int(since) if since not in (None, "") else None

    @property
    def since_day(self) -> date | None:
        return date(self.since, 1, 1) if self.since else None

    def set_listing(self, *, complete: bool, since: str | None = None, channel: str | None = None) -> None:
        super().set_listing(complete=False, since=since, channel=channel)  # type: ignore[misc]

    @classmethod
    def units(cls, since: int, today: date) -> list[str]:
        """The units known up front, newest first (paged histories: none)."""
        return []

    @classmethod
    def since_bound(cls, unit: str) -> bool:
        """True when what `unit` holds depends on --since: its checkpoint then counts only for a
        backfill whose --since is not earlier than the one it was crawled for."""
        return False

    @classmethod
    def label_parts(cls, unit: str) -> tuple[str, str]:
        """(what kind of unit, which one): ("page", "3"), ("session", "2019-2020"), ("sitemap", "")
        — the kind is a unit name or a final or retry unit, which the tracker names for people."""
        if cls.paged and _PAGE.match(unit):
            return "page", str(page_number(unit))
        return (unit, "") if unit in cls.final_units + cls.retry_units else (cls.unit_name, unit)

    @classmethod
    def label(cls, unit: str) -> str:
        """The unit as its checkpoints and crawl runs name it («page 3», «session 2019-2020»)."""
        return " ".join(p for p in cls.label_parts(unit) if p)

    def page_facts(self, *, has_next: bool, dates: list[Any], pages: int | None = None) -> None:
        """What this page of a paged history says about the rest (read by tracker/jobs/backfill.py
        from the crawl stats of the health row)."""
        stats = self.crawler.stats  # type: ignore[attr-defined]
        stats.set_value("tracker/backfill_has_next", int(bool(has_next)))
        days = sorted(d for d in (_day(v) for v in dates) if d)
        if days and self.newest_first:
            stats.set_value("tracker/backfill_oldest", days[0].isoformat())
            stats.set_value("tracker/backfill_newest", days[-1].isoformat())
        if pages:
            stats.set_value("tracker/backfill_pages", int(pages))

    def report_args(self) -> dict[str, Any]:
        return {**super().report_args(), "unit": getattr(self, "unit", None), "since": self.since}  # type: ignore[misc]

    def unread_failed_again(self, why: str) -> None:
        """A page of the retry unit ``details`` was not read again (`why`: "HTTP 403", the
        failure): counted, and an amber note naming the pages (`unread_words`)."""
        self.count("detail_failed")  # type: ignore[attr-defined]
        self.note("amber", f"{self.unread_words} never read failed again ({why}): "  # type: ignore[attr-defined]
                           "the next backfill tries again")

    def unread_request_failed(self, failure: Any) -> None:
        """The errback of the retry unit's requests."""
        self.unread_failed_again(self.failure_reason(failure))  # type: ignore[attr-defined]

    def never_read(self, setting: str, what: str) -> list[tuple[str, str]]:
        """The stored items whose own page was never read (the store passes them in `known` with
        their address: tracker.store.merge.known_items), as (native id, address), newest ids first,
        at most the setting `setting` (default 500) a run; `what` names them in the amber note that
        says the rest waits for the next backfill. For the retry unit ``details``."""
        known = self.known  # type: ignore[attr-defined]
        todo = sorted(((nid, info["url"]) for nid, info in known.items()
                       if info.get("url") and not self.page_read_before(nid)),  # type: ignore[attr-defined]
                      key=lambda pair: (len(pair[0]), pair[0]), reverse=True)
        limit = self.settings.getint(setting, 500)  # type: ignore[attr-defined]
        self.count("details_unread", len(todo))  # type: ignore[attr-defined]
        if len(todo) > limit:
            self.note("amber", f"{len(todo)} stored {what} never read: {limit} read now, "  # type: ignore[attr-defined]
                               "the next backfill goes on")
        return todo[:limit]


# --------------------------------------------------------------------------- Stortinget


class StortingetSessionHearings(BackfillMixin, NoStortingetHoringerSpider):
    """Committee hearings of one past session: ``eksport/horinger?sesjonid=UNIT`` and the
    hearing programmes it needs (the source's fallback, ``eksport/saker``, when that fails).
    The session list itself (``eksport/sesjoner``) is not needed: sessions start on 1 October."""

    unit_name = "session"

    def __init__(self, *args: Any, unit: str | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        match = _SESSION.match(unit or "")
        if not match or int(match.group(2)) != int(match.group(1)) + 1:
            raise ValueError(f"unit must be a Storting session like 2019-2020, got {unit!r}")
        self.unit = unit

    async def start(self) -> AsyncIterator[scrapy.Request]:
        yield self._hearings_request(self.unit)

    @classmethod
    def units(cls, since: int, today: date) -> list[str]:
        """Every session that has a day in year `since` or later, up to today's, newest first."""
        current = int(session_for(today)[:4])
        return [f"{y}-{y + 1}" for y in range(current, since - 2, -1)]


# --------------------------------------------------------------------------- regjeringen.no


class RegjeringenHearingsHistory(BackfillMixin, NoRegjeringenHoringerSpider):
    """regjeringen.no hearings, history: the hearings listing (``/no/dokument/hoyringar/id1763/?page=N``,
    20 a page, newest first, ~350 pages) one page per unit, each hearing's detail page through the
    daily spider's own item path (parse_detail, cross-checked against its listing row); then the
    unit ``sitemap``: robots.txt, the sitemap it names (``Sitemap: …/globalassets/sitemap/sitemap.xml``
    in the real robots.txt), and the detail pages of hearing-like document URLs changed since
    --since that neither the walk nor the store has (a page counts only when it says it is a
    "Høring"/"Høyring"). The RSS feed is today's, not history: it is not read. The unit ``details``
    reads again the pages of stored hearings that were never read (blocked or failed: the store
    passes them in `known` with their address), at most REGJERINGEN_BACKFILL_DETAILS_MAX a run,
    newest first; it is planned by every backfill while there are such hearings."""

    unit_name = "page"
    paged = True
    final_units = ("sitemap",)
    retry_units = ("details",)
    unread_words = "pages of stored hearings"

    def __init__(self, *args: Any, unit: str | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.unit = unit
        if unit == "sitemap":
            if self.since is None:
                raise ValueError("the sitemap unit needs since (a year)")
            self.page: int | None = None
            # the sitemap only adds what the listing walk missed: none is a normal answer
            self.may_be_empty = True
        elif unit == "details":
            self.page = None
            self.may_be_empty = True  # every page read already (another process did it): none left
        else:
            self.page = page_number(unit)
        parts = urlsplit(self.listing_url)
        self.robots_url = urlunsplit((parts.scheme, parts.netloc, "/robots.txt", "", ""))
        self._sitemap_failed = 0

    @classmethod
    def since_bound(cls, unit: str) -> bool:
        return unit == "sitemap"

    async def start(self) -> AsyncIterator[scrapy.Request]:
        if self.unit == "details":
            for request in self._unread_detail_requests():
                yield request
            return
        if self.page is None:
            yield self.revalidate(self.robots_url, self.parse_robots, errback=self.feed_failed, dont_filter=True)
            return
        url = self.listing_url if self.page <= 1 else f"{self.listing_url}?page={self.page}"
        yield self.revalidate(url, self.parse_history_page, cb_kwargs={"page": self.page},
                              errback=self.feed_failed, dont_filter=True)

    # ------------------------------------------------------------------ listing pages

    def parse_history_page(self, response: Response, page: int) -> Iterator[Any]:
        """One listing page: every hearing on it, its detail page followed (closed ones the store
        has are not fetched again)."""
        if self.is_blocked(response) or response.status >= 400:
            challenge = " (bot challenge)" if response.status == 200 else ""
            self.note("red", f"hearings listing page {page} answered HTTP {response.status}{challenge}: "
                             "this page of history was not read")
            return
        parsed = regjeringen.parse_listing(response, self.today)
        if parsed is None:
            self.parse_error("hearings listing page without listItem rows", response.url)
            self.note("red", f"hearings listing page {page} has no hearings (li.listItem) — markup changed?")
            return
        rows, problems = parsed
        for problem in problems:
            self.parse_error(problem, response.url)
        if short := regjeringen.listing_shortfall(response, len(rows), page):
            # red: this page of history is not checkpointed, and the next backfill reads it again
            self.note("red", short)
        self.count("listing_pages")
        self.page_facts(has_next=regjeringen.listing_has_next(response, page),
                        dates=[r["published"] for r in rows], pages=regjeringen.listing_page_count(response))
        for row in rows:
            self._listing_rows[row["native_id"]] = row
            self.count("listing_items")
            yield from self._follow(self._item_from_row(row, known=row["native_id"] in self.known))

    # ------------------------------------------------------------------ the sitemap

    def parse_robots(self, response: Response) -> Iterator[Any]:
        from scrapy.utils.sitemap import sitemap_urls_from_robots

        if self.is_blocked(response) or response.status >= 400:
            self.note("red", f"robots.txt answered HTTP {response.status}: the sitemap it names was not read")
            return
        urls = list(sitemap_urls_from_robots(response.body, base_url=response.url))
        if not urls:
            self.note("red", "robots.txt names no sitemap (no 'Sitemap:' line)")
            return
        self.count("sitemaps_named", len(urls))
        for url in urls:
            yield self.revalidate(url, self.parse_sitemap, errback=self.feed_failed, dont_filter=True)

    def parse_sitemap(self, response: Response) -> Iterator[Any]:
        from scrapy.utils.sitemap import Sitemap

        if self.is_blocked(response) or response.status >= 400:
            self.note("red", f"sitemap {response.url} answered HTTP {response.status}")
            return
        body = response.body
        if body[:2] == b"\x1f\x8b":
            body = gzip.decompress(body)
        try:
            sitemap = Sitemap(body)
        except Exception as exc:  # lxml's errors
            self.note("red", f"sitemap {response.url} unreadable ({type(exc).__name__})")
            return
        self.count("sitemaps_read")
        if sitemap.type == "sitemapindex":
            for entry in sitemap:
                if self._before_since(entry.get("lastmod")):
                    self.count("sitemaps_before_since")
                    continue
                yield self.revalidate(entry["loc"], self.parse_sitemap, errback=self.feed_failed, dont_filter=True)
            return
        if sitemap.type != "urlset":
            self.note("red", f"sitemap {response.url} is neither a urlset nor a sitemapindex ({sitemap.type})")
            return
        for entry in sitemap:
            native_id = regjeringen.sitemap_hearing_url(entry.get("loc", ""))
            if native_id is None:
                continue
            if self._before_since(entry.get("lastmod")):
                self.count("sitemap_before_since")
                continue
            if native_id in self.known or native_id in self._followed:
                self.count("sitemap_known")
                continue
            self._followed.add(native_id)
            self.count("sitemap_candidates")
            yield self.revalidate(entry["loc"], self.parse_sitemap_detail, cb_kwargs={"native_id": native_id},
                                  errback=self._sitemap_detail_failed, dont_filter=True)

    def _before_since(self, lastmod: str | None) -> bool:
        day = _day(lastmod)
        return bool(day and self.since_day and day < self.since_day)

    def parse_sitemap_detail(self, response: Response, native_id: str) -> Iterator[Any]:
        """A hearing the listing walk did not give: kept only when its page says it is a hearing."""
        if self.is_blocked(response) or response.status >= 400:
            self._sitemap_failed += 1
            self.count("detail_failed")
            self.note("amber", f"detail pages of hearings found only in the sitemap failed "
                               f"(HTTP {response.status}): not stored, the next backfill tries again")
            return
        yield from self._item_from_page(response, native_id, "sitemap", channel="sitemap", extra={"sitemap": True})

    # ------------------------------------------------------------------ pages never read

    def _unread_detail_requests(self) -> Iterator[scrapy.Request]:
        for native_id, url in self.never_read("REGJERINGEN_BACKFILL_DETAILS_MAX", "hearings' pages"):
            yield self.revalidate(url, self.parse_unread_detail, cb_kwargs={"native_id": native_id},
                                  errback=self.unread_request_failed, dont_filter=True)

    def parse_unread_detail(self, response: Response, native_id: str) -> Iterator[Any]:
        """A stored hearing's page never read before: read now through the daily item path (the
        stored item keeps what the page does not say, and its channel)."""
        if self.is_blocked(response) or response.status >= 400:
            self.unread_failed_again(f"HTTP {response.status}")
            return
        self.count("details_read")
        yield from self._item_from_page(response, native_id, "details", channel=None, extra={})

    def _item_from_page(self, response: Response, native_id: str, what: str, *, channel: str | None,
                        extra: dict[str, Any]) -> Iterator[Any]:
        """A hearing from its page alone (no listing row): kept only when the page says it is one
        (`what`: the unit, in the stats and errors)."""
        if not regjeringen.is_hearing_page(response):
            self.count(f"{what}_not_a_hearing")
            return
        title = regjeringen.detail_title(response)
        if not title:
            self.parse_error(f"{what} hearing page without a title (h1)", response.url)
            return
        kind = regjeringen.detail_type(response) or ""
        item = self.make_item(
            native_id=native_id, url=response.url, title=title,
            published=iso(regjeringen.detail_published(response, self.today)),
            language="nn" if kind.startswith("Høyring") or regjeringen.is_nynorsk_title(title) else None,
            channel=channel, extra={"detail": "pending", **extra},
        )  # fmt: skip
        yield from self.parse_detail(response, item)

    def _sitemap_detail_failed(self, failure: Any) -> None:
        self._sitemap_failed += 1
        self.note("amber", f"detail pages of hearings found only in the sitemap failed "
                           f"({self.failure_reason(failure)}): not stored, the next backfill tries again")


# --------------------------------------------------------------------------- Have your say


def history_url(page: int, size: int) -> str:
    """The whole register of initiatives (every feedback status), 0-based `page` of `size`."""
    return HYS_API + "searchInitiatives?" + urlencode({"page": page, "size": size, "language": "EN"})


class HaveyoursayHistory(BackfillMixin, EuHaveyoursaySpider):
    """Have your say, history: the whole register (``searchInitiatives`` without
    ``feedbackStatus``, 4,101 initiatives in the real answer of 2026-09-01), one page per unit
    (``page-1`` is the API's ``page=0``), HAVEYOURSAY_BACKFILL_PAGE_SIZE a page (default 100).
    The register does not say it is sorted (real answer: ``sort.unsorted: true``), so every page
    is read to the last; initiatives whose feedback period opened before --since are dropped
    (``tracker/backfill_before_since``); those without any date are kept. Each kept initiative's
    detail (``groupInitiatives/{id}``) goes through the daily spider's own item path. The unit
    ``details`` reads again the details of stored initiatives that were never read (blocked or
    failed), at most HAVEYOURSAY_BACKFILL_DETAILS_MAX a run, newest first: the detail alone makes
    the item (``as_search_result``: its published stages as the search result's statuses); it is
    planned by every backfill while there are such initiatives."""

    unit_name = "page"
    paged = True
    newest_first = False
    retry_units = ("details",)
    unread_words = "details of stored initiatives"

    def __init__(self, *args: Any, unit: str | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.unit = unit
        if unit == "details":
            self.page: int | None = None
            self.may_be_empty = True  # every detail read already (another process did it): none left
        else:
            self.page = page_number(unit)

    async def start(self) -> AsyncIterator[scrapy.Request]:
        if self.page is None:
            for native_id, _url in self.never_read("HAVEYOURSAY_BACKFILL_DETAILS_MAX", "initiatives' details"):
                yield self.revalidate(detail_url(native_id), self.parse_unread_detail,
                                      cb_kwargs={"native_id": native_id}, headers={"Accept": "application/json"},
                                      errback=self.unread_request_failed, dont_filter=True)
            return
        size = self.settings.getint("HAVEYOURSAY_BACKFILL_PAGE_SIZE", 100)
        yield self.revalidate(history_url(self.page - 1, size), self.parse_history, cb_kwargs={"page": self.page},
                              headers={"Accept": "application/json"}, errback=self.feed_failed, dont_filter=True)

    def parse_history(self, response: Response, page: int) -> Iterator[Any]:
        data = self._json(response, f"searchInitiatives page {page} (history)", level="red")
        if data is None:
            return
        initiatives, total_pages = self._parse_page(data)
        if initiatives is None:
            keys = ", ".join(sorted(data)[:8]) if isinstance(data, dict) else type(data).__name__
            self.note("red", f"searchInitiatives page {page} (history): unknown response shape (keys: {keys})")
            return
        if not initiatives:
            self.note("red", f"searchInitiatives page {page} (history) holds no initiatives")
            return
        self.count("listing_pages")
        dates, older = [], 0
        for raw in initiatives:
            item = self._item(raw)
            if item is None:
                continue
            day = _day(item.get("published")) or _day(item.get("deadline"))
            dates.append(day)
            if day and self.since_day and day < self.since_day:
                older += 1
                self.count("backfill_before_since")
                continue
            yield self.follow_detail(item, url=detail_url(item["native_id"]), headers={"Accept": "application/json"})
        if older == len(initiatives):
            self.may_be_empty = True  # every initiative on the page is older than --since: an honest zero
        self.page_facts(has_next=total_pages is not None and page < total_pages, dates=dates, pages=total_pages)

    def parse_unread_detail(self, response: Response, native_id: str) -> Iterator[Any]:
        """A stored initiative's detail never read before: the item from the detail alone, then
        through the daily spider's detail path (the stored item keeps what it does not say)."""
        if self.is_blocked(response) or response.status >= 400:
            self.unread_failed_again(f"HTTP {response.status}")
            return
        try:
            data = json.loads(response.body)
        except ValueError:
            data = None
        if not isinstance(data, dict):
            self.parse_error(f"groupInitiatives/{native_id}: not a JSON object", response.url)
            return
        item = self._item(as_search_result(data))
        if item is None:
            return
        if item["native_id"] != native_id:
            self.parse_error(f"groupInitiatives/{native_id} answered for initiative {item['native_id']}", response.url)
            return
        self.count("details_read")
        yield from self.parse_detail(response, item)


# --------------------------------------------------------------------------- Cellar


class CellarActHistory(BackfillMixin, EuCellarSpider):
    """EU acts on the watchlist, history: one watched act (its CELEX number) per unit, its
    SPARQL query limited to works dated from 1 January of --since on (the act itself always),
    read in pages of CELLAR_BACKFILL_ROWS rows (default 500) while a page comes back full.
    The OJ RSS is today's, not history: it is not read. A failed query is red: it is the only
    channel here."""

    unit_name = "act"

    def __init__(self, *args: Any, unit: str | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if not unit or not _CELEX_OK.match(unit):
            raise ValueError(f"unit must be a CELEX number of the watchlist, got {unit!r}")
        if self.since is None:
            raise ValueError("a Cellar backfill needs since (a year)")
        self.unit = unit
        self._rows: list[dict] = []

    @classmethod
    def units(cls, since: int, today: date) -> list[str]:
        """The watched acts' CELEX numbers, in watchlist order (a broken watchlist gives none: the
        plan says so when it is asked for this source)."""
        try:
            entries = load_watchlist()
        except WatchlistError:
            return []
        return list(dict.fromkeys(e.celex for e in entries if e.celex and _CELEX_OK.match(e.celex)))

    @classmethod
    def since_bound(cls, unit: str) -> bool:
        return True

    @property
    def rows_per_query(self) -> int:
        return max(1, self.settings.getint("CELLAR_BACKFILL_ROWS", 500))

    async def start(self) -> AsyncIterator[scrapy.Request]:
        try:
            entries = load_watchlist(self.watchlist_path)
        except WatchlistError as exc:
            self.note("red", f"watchlist invalid: {exc}")
            return
        # every watched act, as the daily crawl knows them: the work's other relations are cited and
        # ordered as its summary says them (EuCellarSpider._items)
        self.watched = {e.id: e for e in entries if e.celex}
        self.entries = [e for e in entries if e.celex == self.unit][:1]
        if not self.entries:
            self.note("red", f"CELEX {self.unit} is not in the watchlist (any more): nothing to backfill")
            return
        yield self._history_request(0)

    def _history_request(self, offset: int) -> scrapy.Request:
        url = sparql_url(self.unit, since=self.since, limit=self.rows_per_query, offset=offset)
        return scrapy.Request(url, callback=self.parse_history, errback=self.history_failed,
                              cb_kwargs={"offset": offset}, headers={"Accept": "application/sparql-results+json"},
                              dont_filter=True)

    def parse_history(self, response: Response, offset: int) -> Iterator[Any]:
        entry = self.entries[0]
        bindings = self._bindings(response, entry, level="red",
                                  consequence=f"history of this act not read (rows from {offset} on)")
        if bindings is None:
            return
        self.count("sparql_pages")
        self._rows.extend(bindings)
        if len(bindings) >= self.rows_per_query:
            yield self._history_request(offset + len(bindings))
            return
        self.answered.add(entry.id)  # every page read: the act's history in the window, whole
        self._add_bindings(entry, self._rows)
        yield from self._items()

    def history_failed(self, failure: Any) -> None:
        timeout = "timed out" if "Timeout" in failure.type.__name__ else "failed"
        self.note("red", f"SPARQL for {self.unit} {timeout} ({self.failure_reason(failure)}): "
                         "history of this act not read")


#: source → its backfill spider
BACKFILL_SPIDERS: dict[str, type] = {
    cls.name: cls
    for cls in (StortingetSessionHearings, RegjeringenHearingsHistory, HaveyoursayHistory, CellarActHistory)
}
