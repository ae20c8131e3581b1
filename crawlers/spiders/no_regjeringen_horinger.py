"""regjeringen.no public hearings (høringer).

Two channels:

- the **RSS generator** (primary): about 100 newest hearings, with title, link, description,
  numeric guid and pubDate — but no deadline, status or department;
- the **hearings listing** `/no/dokument/hoyringar/id1763/?page=N` (real structure,
  crawlers/regjeringen.py): 20 hearings a page, newest first, each with deadline and status.
  It is read *after* the feed, page by page, and only as far as it shows something new: on a
  normal day page 1 holds nothing the feed lacks and is the only page read. It is used
  (a) as the **fallback** when the feed fails (every hearing is then read from the listing, amber),
  (b) to find hearings a **truncated feed** lacks (amber, the hearings are kept; the feed is then no
      complete list: only the hearings the listing pages read cover are checked for vanishing, and
      health says which), and
  (c) as a **cross-check** of each hearing's deadline and status against its detail page
  (a disagreement is amber with both values; the detail page's value is stored).
  At most `listing_pages` pages are read (spider argument; default the Scrapy setting
  REGJERINGEN_LISTING_MAX_PAGES, 5).

Each hearing's detail page is then fetched *best effort* for Høringsfrist, Status, department,
reference, documents and the consultee list (`consultees`, `ncp_consultee`: the list is data,
never body text). A blocked detail page never loses the item: it is kept with what the feed or
listing gave, and the source turns amber with the reason. A page without a readable deadline
counts as a parse error and is amber naming the page and its words: the hearing keeps its stored
deadline, or takes the listing's when the store has none or the listing names another day (a
listing row gives only the day: it never replaces a stored time of that same day). robots.txt is honoured (Scrapy's RobotsTxtMiddleware, Protego: case-sensitive,
so the feed's `?documentType=` is allowed): a refused URL is never fetched and health says
"blocked by robots.txt".
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import scrapy
from scrapy.http import Response

from crawlers import consultees, regjeringen
from crawlers.dates import iso
from crawlers.spiders.base import TrackerSpider
from crawlers.text import page_text

FEED_URL = regjeringen.RSS_BASE + "?documentType=dokumenter/h%C3%B8ringer"
DEFAULT_LISTING_PAGES = 5


def _same(a: str | None, b: str | None) -> bool:
    return " ".join((a or "").casefold().split()) == " ".join((b or "").casefold().split())


class NoRegjeringenHoringerSpider(TrackerSpider):
    name = "no_regjeringen_horinger"
    kind = "hearing"
    channel = "rss"
    feed_url = FEED_URL

    def __init__(self, *args: Any, listing_url: str | None = None, listing_pages: int | str | None = None,
                 **kwargs: Any):
        super().__init__(*args, **kwargs)
        if listing_url is None:
            # a feed served elsewhere (a test site, a mirror): its listing is on the same host
            parts = urlsplit(self.feed_url)
            listing_url = urlunsplit((parts.scheme, parts.netloc, urlsplit(regjeringen.LISTING_URL).path, "", ""))
        self.listing_url = listing_url
        self._listing_pages = int(listing_pages) if listing_pages not in (None, "") else None
        self._feed_ids: set[str] = set()
        self._feed_problem: str | None = None
        self._feed_since: str | None = None
        self._listing_rows: dict[str, dict] = {}
        self._details: dict[str, dict] = {}
        self._followed: set[str] = set()
        self._listing_oldest = None
        self._pages_read = 0
        #: the listing showed hearings missing from the feed inside its window: the feed is no complete list
        self._truncated = False
        #: a listing page of the walk held fewer hearings than it says it shows (cut short)
        self._listing_cut = False
        #: items yielded from a detail page whose deadline could not be read, waiting for their listing row
        self._deadline_unread: dict[str, Any] = {}

    @property
    def max_listing_pages(self) -> int:
        if self._listing_pages is not None:
            return self._listing_pages
        return self.settings.getint("REGJERINGEN_LISTING_MAX_PAGES", DEFAULT_LISTING_PAGES)

    async def start(self) -> AsyncIterator[scrapy.Request]:
        yield self.revalidate(self.feed_url, self.parse, dont_filter=True, errback=self._feed_errback)

    # ------------------------------------------------------------------ the feed

    def parse(self, response: Response, **kwargs: Any) -> Iterator[Any]:
        """The feed; each hearing's detail page unless it can no longer change; then the listing."""
        if response.status == 304:
            self.count("feed_not_modified")
            return
        entries, problem = self.parse_feed(response, "hearing RSS")
        if problem:
            yield from self._fall_back(problem)
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
            self._feed_ids.add(item["native_id"])
            yield from self._follow(item)
        # the feed holds the newest ~100 hearings: it is complete for hearings published since its oldest item
        self._feed_since = min(published) if published else None
        self.set_listing(complete=True, since=self._feed_since, channel="rss")
        if self.max_listing_pages > 0:
            yield self._listing_request(1)

    def _feed_errback(self, failure: Any) -> Iterator[Any]:
        yield from self._fall_back(self.failure_reason(failure))

    def _fall_back(self, problem: str) -> Iterator[Any]:
        self._feed_problem = problem
        self.set_listing(complete=False, channel="listing")
        if self.max_listing_pages <= 0:
            self.note("red", problem)
            return
        yield self._listing_request(1)

    def _item_from_entry(self, entry: Any, feed_url: str) -> Any | None:
        fields = self.feed_entry(entry, feed_url)
        native_id = regjeringen.page_id(fields.url, fields.guid) if fields else None
        if fields is None or native_id is None:
            if fields is not None:
                self.parse_error("RSS item without a page id", fields.url)
            return None
        return self.make_item(
            native_id=native_id,
            url=regjeringen.clean_link(fields.url),
            title=fields.title,
            summary=fields.summary or None,
            published=iso(fields.published),
            language="nn" if regjeringen.is_nynorsk_title(fields.title) else None,
            extra={"detail": "pending"},
        )

    def _follow(self, item: Any) -> Iterator[Any]:
        if item["native_id"] in self._followed:
            return
        self._followed.add(item["native_id"])
        yield self.follow_detail(item)

    # ------------------------------------------------------------------ the listing

    def _listing_request(self, page: int) -> scrapy.Request:
        url = self.listing_url if page <= 1 else f"{self.listing_url}?page={page}"
        return self.revalidate(url, self.parse_listing, cb_kwargs={"page": page}, dont_filter=True,
                               errback=self._listing_errback)

    @property
    def _fallback(self) -> bool:
        return self._feed_problem is not None

    def _listing_broken(self, why: str) -> None:
        if self._fallback and self._pages_read:
            # later pages failed: what the first pages gave is kept, and complete for their window
            self.note("amber", f"hearings listing (fallback) {why}: only {self._pages_read} page(s) read")
            self._finish_fallback(self._pages_read)
        elif self._fallback:
            self.note("red", f"{self._feed_problem}; the hearings listing (fallback) {why}")
        else:
            self.note("amber", f"hearings listing (second channel) {why}: deadlines and status not cross-checked")
            if self._truncated:
                self._finish_truncated()

    def _listing_errback(self, failure: Any) -> None:
        self._listing_broken(f"gave no answer ({self.failure_reason(failure)})")

    def parse_listing(self, response: Response, page: int = 1) -> Iterator[Any]:
        """One listing page, newest first: cross-check what the detail pages said, keep what the feed
        lacks, and read the next page only while this one showed something new."""
        if self.is_blocked(response) or response.status >= 400:
            challenge = " (bot challenge)" if response.status == 200 else ""
            self._listing_broken(f"answered HTTP {response.status}{challenge} on page {page}")
            return
        parsed = regjeringen.parse_listing(response, self.today)
        if parsed is None:
            self.parse_error("hearings listing page without listItem rows", response.url)
            self._listing_broken(f"page {page} has no hearings (li.listItem) — markup changed?")
            return
        rows, problems = parsed
        for problem in problems:
            self.parse_error(problem, response.url)
        if short := regjeringen.listing_shortfall(response, len(rows), page):
            # any page of the walk, not only the first: the hearings after the cut are unseen, so
            # the pages read are no complete list (nothing marked vanished by them)
            self._listing_cut = True
            self.note("red", short)
        self.count("listing_pages")
        self._pages_read += 1
        new = []
        for row in rows:
            native_id = row["native_id"]
            self._listing_rows[native_id] = row
            self._cross_check(native_id)
            if (waiting := self._deadline_unread.pop(native_id, None)) is not None:
                # its detail page came first and had no readable deadline: the item again, with the row's
                again = waiting.copy()
                if self._deadline_from_listing(again):
                    yield again
            if row["published"] and (self._listing_oldest is None or row["published"] < self._listing_oldest):
                self._listing_oldest = row["published"]
            is_new = native_id not in self._feed_ids and native_id not in self.known
            if is_new:
                new.append(native_id)
            if (self._fallback or native_id not in self._feed_ids) and native_id not in self._followed:
                self.count("listing_items")
                yield from self._follow(self._item_from_row(row, known=native_id in self.known))
        # the feed looks truncated when the listing shows hearings it lacks inside the feed's own
        # window, or when it holds fewer items than one listing page (it normally holds ~100)
        missing = [r for r in rows if r["native_id"] not in self._feed_ids]
        in_window = [r for r in missing if self._feed_since and r["published"]
                     and iso(r["published"]) >= self._feed_since[:10]]
        if not self._fallback and missing and (in_window or len(self._feed_ids) < len(rows)):
            self._truncated = True
            self.note("amber", f"RSS feed looks truncated ({len(self._feed_ids)} items): {len(missing)} "
                               f"hearing(s) on listing page {page} are missing from it (kept from the listing)")
        if new and page < self.max_listing_pages and regjeringen.listing_has_next(response, page):
            yield self._listing_request(page + 1)
            return
        if new and page >= self.max_listing_pages and regjeringen.listing_has_next(response, page):
            self.note("amber", f"hearings listing: still new hearings on page {page}, the last one read "
                               "(listing_pages / REGJERINGEN_LISTING_MAX_PAGES)")
        if self._fallback:
            self._finish_fallback(page)
        elif self._truncated:
            self._finish_truncated()

    def _finish_fallback(self, pages: int) -> None:
        self.note("amber", f"{self._feed_problem}; hearings read from the listing instead ({pages} page(s))")
        since = self._listing_covers()
        self.set_listing(complete=since is not None and not self._listing_cut, since=iso(since), channel="listing")

    def _listing_covers(self) -> datetime | None:
        """From when the listing pages read show every hearing: pages are read newest first without
        gaps, so every hearing published after the oldest day shown was seen (that day itself may
        continue on the next page); None when no page showed a dated hearing."""
        return self._listing_oldest + timedelta(days=1) if self._listing_oldest else None

    def _finish_truncated(self) -> None:
        """The feed lacks hearings inside its own window, so it is no complete list: an item missing
        from it may only have been cut off. Complete is only what the listing pages read cover —
        they are read newest first without gaps, and every hearing on them was kept — so only the
        hearings published after the oldest day they show are checked for vanishing."""
        since = self._listing_covers()
        self.set_listing(complete=since is not None and not self._listing_cut, since=iso(since), channel="rss")
        if since is None:
            self.note("amber", "no hearing checked for vanishing (truncated feed)")
        else:
            self.note("amber", f"hearings published before {since.date().isoformat()} not checked for vanishing "
                               "(truncated feed)")

    def _listing_deadline(self, native_id: str, deadline: str | None) -> str | None:
        """A listing row's deadline for the item, or None when the store already holds a deadline on
        that day: the row gives only the day, and a time the detail page gave ("kl. 12") is finer."""
        stored = (self.known.get(native_id) or {}).get("deadline")
        if deadline and stored and str(stored)[:10] == deadline[:10]:
            return None
        return deadline

    def _item_from_row(self, row: dict, *, known: bool) -> Any:
        """An item from a listing row; for a hearing the store already has, only what the listing
        says better than the feed did (its date is a day, its excerpt may differ from the feed's)."""
        language = "nn" if (row.get("type") or "").startswith("Høyring") or regjeringen.is_nynorsk_title(row["title"]) else None
        return self.make_item(
            native_id=row["native_id"], url=row["url"], title=row["title"],
            summary=None if known else row.get("summary"),
            published=None if known else iso(row.get("published")),
            owner=row.get("owner"), deadline=self._listing_deadline(row["native_id"], iso(row.get("deadline"))),
            status_raw=row.get("status_raw"),
            language=language, channel="listing",
            extra={"detail": "pending", "listing": True},
        )  # fmt: skip

    def _cross_check(self, native_id: str) -> None:
        """Detail page and listing on deadline and status: a disagreement is amber with both values."""
        row, detail = self._listing_rows.get(native_id), self._details.get(native_id)
        if not row or not detail:
            return
        self.count("cross_checked")
        listing_deadline = iso(row.get("deadline"))
        if detail.get("deadline") and listing_deadline and detail["deadline"][:10] != listing_deadline[:10]:
            self.count("cross_check_disagreements")
            self.note("amber", f"hearing {native_id}: deadline {detail['deadline'][:10]} on the detail page, "
                               f"{listing_deadline[:10]} in the listing")
        if detail.get("status_raw") and row.get("status_raw") and not _same(detail["status_raw"], row["status_raw"]):
            self.count("cross_check_disagreements")
            self.note("amber", f"hearing {native_id}: status {detail['status_raw']!r} on the detail page, "
                               f"{row['status_raw']!r} in the listing")

    # ------------------------------------------------------------------ detail pages

    def parse_detail(self, response: Response, item: Any) -> Iterator[Any]:
        if not self.detail_usable(response, item):
            yield item
            return
        text = page_text(response)
        read = regjeringen.read_deadline(text, self.today)
        deadline, words = read.when, read.words
        if read.time_unreadable:  # the day kept, the time said
            self.note("amber", regjeringen.deadline_time_note(item["native_id"], read, response.url))
        listed = consultees.parse_consultees(response)
        fields = {
            "deadline": iso(deadline),
            "status_raw": regjeringen.parse_status(text),
            "owner": regjeringen.parse_owner(response, text),
            "reference": regjeringen.parse_reference(text),
            "documents": regjeringen.parse_documents(response),
            "body": regjeringen.parse_body(response),
            "summary": item.get("summary") or regjeringen.parse_ingress(response),
            "consultees": listed,
        }
        for key, value in fields.items():
            if value:
                item[key] = value
        if listed is not None:
            item["ncp_consultee"] = consultees.ncp_consultee(listed)
        links = {"responses_url": regjeringen.responses_url(response), "submit_url": regjeringen.submit_url(response)}
        item["extra"] = {**item.get("extra", {}), "detail": "ok", **{k: v for k, v in links.items() if v}}
        if deadline is None:
            self._deadline_unreadable(item, words, response.url)
        self._details[item["native_id"]] = {"deadline": item.get("deadline"), "status_raw": item.get("status_raw")}
        self._cross_check(item["native_id"])
        yield item

    def _deadline_unreadable(self, item: Any, words: str | None, url: str) -> None:
        """A detail page without a readable Høringsfrist: a parse error, and amber naming the page and
        its words. The item carries no deadline from it, so the store keeps the one it has; the
        listing's is taken when it has one the store lacks (now, or when its row is read later)."""
        native_id = item["native_id"]
        self.parse_error("detail page without a Høringsfrist" if words is None
                         else f"detail page with an unreadable Høringsfrist {words!r}", url)
        self.note("amber", regjeringen.deadline_note(native_id, words, url))
        if item.get("deadline"):  # a listing row's, given when the item was made from it
            self.note("amber", f"hearing {native_id}: deadline {item['deadline'][:10]} taken from the listing instead")
        elif native_id in self._listing_rows:
            self._deadline_from_listing(item)
        else:
            self._deadline_unread[native_id] = item

    def _deadline_from_listing(self, item: Any) -> bool:
        """The item's deadline from its listing row (see `_listing_deadline`); whether it took one."""
        row = self._listing_rows[item["native_id"]]
        deadline = self._listing_deadline(item["native_id"], iso(row.get("deadline")))
        if not deadline:
            return False
        item["deadline"] = deadline
        self.note("amber", f"hearing {item['native_id']}: deadline {deadline[:10]} taken from the listing instead")
        return True
