"""EU "Have your say" (Better Regulation portal): initiatives open for feedback.

Channel: the portal's public JSON API ``brpapi`` (undocumented, described as
stable by several public projects; docs/sources.md §3 and Appendix A.2).

- Listing: ``searchInitiatives?page=N&size=100&language=EN&feedbackStatus=OPEN``,
  every page. **All open feedback periods are fetched, not a topic subset**: the
  portal's topic codes are too coarse to find sustainability items reliably (they
  sit under ENV, JUST, FISMA, GROW, TRADE, …), so relevance is left to the tagger.
  The listing is therefore complete for open initiatives, and an open initiative
  that disappears before its deadline is reported as vanished.
- Both documented response shapes are read: the current
  ``initiativeResultDtoPage.content[]`` and the legacy ``_embedded.initiativeResultDtoes[]``.
- Detail ``groupInitiatives/{id}``, best effort: DG, summary (plain text with
  newlines in the real answer), policy areas (``{id, code, label}`` objects), the
  COM references of the publications when there are any (real publications carry
  Ares references: ``extra.ares``), and the *published* stages as documents —
  planned stages (``publishedDate: null``, e.g. INIT_PLANNED, REG_DEL_DRAFT) are
  listed in ``extra.planned_stages``, not as documents. A failed detail keeps the
  listing's item (amber). Real answers (tests/fixtures/real/eu_haveyoursay/): the
  listing is a Spring ``Page`` inside ``initiativeResultDtoPage``; an initiative
  may lack ``currentStatuses`` or have a null ``feedbackEndDate`` (kept, without
  a deadline). A deadline the listing cannot give because the answer changed (no
  initiative has ``currentStatuses``, or a period lacks ``feedbackEndDate``) is read from
  the detail, else the item says it could not be read (``extra.deadline_unread``), never
  "no deadline known".
- **A changed answer is red, never "the field became empty".** The real answers
  carry every field the items are made of (null when empty), so a field that no
  initiative of the listing has, or a detail lacks (``LISTING_FIELDS``,
  ``STATUS_FIELDS``, ``DETAIL_FIELDS``, ``PUBLICATION_FIELDS``), is a renamed or
  dropped field: red, naming it, and what it would have given is left unobserved
  (None), so the store keeps its deadlines, status and references. A listing
  that holds fewer initiatives than it announces (a page's ``numberOfElements``,
  the listing's ``totalElements``) is incomplete: nothing is marked vanished,
  and health says so (a cut page 0 is red, like any broken page 0).

Items: kind ``eu_consultation``; deadline = ``feedbackEndDate`` at the end of that
day in Brussels (``deadline_at(…, BRUSSELS)``); ``status_raw`` = the current
status's ``receivingFeedbackStatus`` (OPEN / CLOSED / …), or the initiative's own
``initiativeStatus`` when that ends it (``INITIATIVE_ENDED``: CLOSED) and no feedback
period is open (`status_word`); ``extra.opens`` =
``feedbackStartDate`` (the store derives *upcoming* from it); language ``en``.

**Access is disputed** (sources.md A.2): one project found that plain HTTP
clients only get the Angular single-page-app shell or a WAF challenge, and that
brpapi needs a browser context; others call it directly. Whatever answers HTML
or a challenge instead of JSON is reported red with that reason — never a
silent zero. A browser (Playwright) fallback is not built.
"""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator, Iterator
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

import scrapy
from scrapy.http import Response

from crawlers.dates import BRUSSELS, deadline_at, iso, parse_date
from crawlers.items import DEADLINE_UNREAD
from crawlers.spiders.base import TrackerSpider
from crawlers.text import is_web_page, strip_html

API = "https://ec.europa.eu/info/law/better-regulation/brpapi/"
HUMAN = "https://ec.europa.eu/info/law/better-regulation/have-your-say/initiatives/{id}-{slug}_en"
PAGE_SIZE = 100
#: never follow more pages than this (100 × 20 = 2,000 open initiatives; there are a few hundred)
MAX_PAGES = 20
#: the fields of a search result, and of each of its feedback periods (``currentStatuses``), that
#: the items are made of. The real answer (2026-09-01) carries each, null when empty, although an
#: initiative may lack ``currentStatuses`` or ``foreseenActType``: a field that *no* initiative of
#: the listing has is a changed answer (renamed or dropped), red
LISTING_FIELDS = ("id", "shortTitle", "reference", "initiativeStatus", "foreseenActType", "topics",
                  "currentStatuses")
STATUS_FIELDS = ("frontEndStage", "receivingFeedbackStatus", "feedbackStartDate", "feedbackEndDate", "isCurrent")
#: why an initiative's deadline could not be read (`DEADLINE_UNREAD`) when no initiative of the
#: listing has `currentStatuses`: the listing's shape changed, not "no feedback period"
PERIODS_MISSING = "currentStatuses missing"
#: the fields of a ``groupInitiatives`` answer, and of its publications (a field none of them has),
#: that the detail reads; the real answer of 18805 carries each (null when empty)
DETAIL_FIELDS = ("dg", "dossierSummary", "policyAreas", "publications", "reference")
PUBLICATION_FIELDS = ("id", "type", "reference", "publishedDate")
_COM = re.compile(r"COM\s*\(\s*\d{4}\s*\)\s*\d+", re.I)
_ARES = re.compile(r"^Ares\(\d{4}\)\d+$")


def search_url(page: int, size: int = PAGE_SIZE) -> str:
    query = {"page": page, "size": size, "language": "EN", "feedbackStatus": "OPEN"}
    return API + "searchInitiatives?" + urlencode(query)


def detail_url(initiative_id: str) -> str:
    return f"{API}groupInitiatives/{initiative_id}"


#: the keys a group detail and a search result share (the real pair for initiative 18805,
#: 2026-09-01: the same values in both)
_SHARED_KEYS = ("id", "shortTitle", "initiativeStatus", "reference", "foreseenActType", "topics")


#: the `initiativeStatus` words that say the initiative is over, whatever its periods say — used as
#: its status word when no feedback period is open (`status_word`). Seen: ACTIVE (real captures:
#: open and closed periods alike, so it says nothing of the consultation) and CLOSED (the recorded
#: history); any other word (UPCOMING, SUSPENDED …) is left to the feedback period.
INITIATIVE_ENDED = frozenset({"CLOSED"})


def status_word(period: dict[str, Any], initiative_status: Any) -> str | None:
    """The status word of an initiative (`status_raw`; tracker.store.status decides what it
    means): its current feedback period's ``receivingFeedbackStatus``, or its ``initiativeStatus``
    when that says it is over (INITIATIVE_ENDED) and no period is open — an initiative CLOSED
    without a current period is closed, not of unknown status.

    >>> status_word({}, "CLOSED"), status_word({"receivingFeedbackStatus": "DISABLED"}, "CLOSED")
    ('CLOSED', 'CLOSED')
    >>> status_word({"receivingFeedbackStatus": "OPEN"}, "CLOSED"), status_word({}, "ACTIVE")
    ('OPEN', None)
    """
    period_word = period.get("receivingFeedbackStatus")
    if period_word != "OPEN" and isinstance(initiative_status, str) and initiative_status.strip().upper() in INITIATIVE_ENDED:
        return initiative_status.strip()
    return period_word


def as_search_result(detail: dict[str, Any]) -> dict[str, Any]:
    """A ``groupInitiatives`` answer in the shape of a ``searchInitiatives`` result (what
    ``EuHaveyoursaySpider._item`` reads), for an initiative known only by its id (a backfill
    reading again a detail that failed). Each *published* publication is one of its statuses:
    its ``frontEndStage``, ``receivingFeedbackStatus`` and ``isCurrent``, ``publishedDate`` as
    ``feedbackStartDate`` and ``endDate`` as ``feedbackEndDate`` — so the real pair for
    initiative 18805 (2026-09-01) says: its current publication's values are the search result's
    one status. Only one pair is captured: for an initiative with no current publication the
    status picked (an open one, else the last published) is the same rule as the search
    result's, on what may be more statuses than it lists."""
    # a publication without `isCurrent` (a renamed field) gives a status without it, not False: the
    # period is then picked by its dates (EuHaveyoursaySpider._parse_current_status)
    statuses = [{"frontEndStage": pub.get("frontEndStage"), "receivingFeedbackStatus": pub.get("receivingFeedbackStatus"),
                 "feedbackStartDate": pub.get("publishedDate"), "feedbackEndDate": pub.get("endDate"),
                 **({"isCurrent": bool(pub["isCurrent"])} if "isCurrent" in pub else {})}
                for pub in detail.get("publications") or [] if isinstance(pub, dict) and pub.get("publishedDate")]
    return {**{key: detail.get(key) for key in _SHARED_KEYS}, "currentStatuses": statuses}


def _period_by_dates(statuses: list[dict], as_of: datetime) -> dict | None:
    """The feedback period that matters on `as_of`, by its dates alone (when `isCurrent` is
    missing; never by its place in the list): the one open that day (started, not ended; of several,
    the one started last), else the next to open, else the one that ended last. None when no period
    has a readable date."""
    dated = []
    for status in statuses:
        start = parse_date(status.get("feedbackStartDate"), BRUSSELS) if status.get("feedbackStartDate") else None
        end = parse_date(status.get("feedbackEndDate"), BRUSSELS) if status.get("feedbackEndDate") else None
        if start is not None or end is not None:
            dated.append((start, deadline_at(end, BRUSSELS) if end else None, status))
    open_now = [d for d in dated if (d[0] is None or d[0] <= as_of) and (d[1] is None or as_of <= d[1])]
    if open_now:
        return max(open_now, key=lambda d: (d[0] or as_of, d[1] or as_of))[2]
    upcoming = [d for d in dated if d[0] is not None and d[0] > as_of]
    if upcoming:
        return min(upcoming, key=lambda d: d[0])[2]
    ended = [d for d in dated if d[1] is not None]
    return max(ended, key=lambda d: d[1])[2] if ended else None


def slug(title: str) -> str:
    text = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")
    return text[:80].rstrip("-") or "initiative"


class EuHaveyoursaySpider(TrackerSpider):
    name = "eu_haveyoursay"
    kind = "eu_consultation"
    channel = "api"
    allowed_domains = ["ec.europa.eu"]

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        #: the listing so far: initiatives and feedback periods read, and how many had each field
        self._read_total, self._periods = 0, 0
        self._fields: dict[str, int] = {}
        #: a page held fewer initiatives than it says it holds (numberOfElements)
        self._cut_pages: list[int] = []
        #: detail fields already named in a note (one note per field)
        self._detail_missing: set[str] = set()
        #: initiatives whose current feedback period was picked by its dates (no `isCurrent`)
        self._picked_by_dates = 0

    async def start(self) -> AsyncIterator[scrapy.Request]:
        yield self.revalidate(search_url(0), self.parse, cb_kwargs={"page": 0},
                              headers={"Accept": "application/json"}, dont_filter=True)

    # ------------------------------------------------------------------ listing

    def parse(self, response: Response, page: int = 0, **kwargs: Any) -> Iterator[Any]:
        data = self._json(response, f"searchInitiatives page {page}", level="red" if page == 0 else "amber")
        if data is None:
            self._check_listing_fields()
            self.set_listing(complete=False, channel="api")
            return
        initiatives, total_pages = self._parse_page(data)
        if initiatives is None:
            keys = ", ".join(sorted(data)[:8]) if isinstance(data, dict) else type(data).__name__
            self.note("red" if page == 0 else "amber",
                      f"searchInitiatives: unknown response shape (keys: {keys}); neither "
                      "initiativeResultDtoPage.content nor _embedded.initiativeResultDtoes")
            self._check_listing_fields()
            return
        if page == 0 and not initiatives:
            self.note("amber", "searchInitiatives returned no open initiatives")
        total_elements, on_page = self._parse_counts(data)
        if on_page is not None and len(initiatives) < on_page:
            # the answer contradicts itself: cut short on the way (a proxy, a broken body)
            self._cut_pages.append(page)
            self.note("red" if page == 0 else "amber",
                      f"searchInitiatives page {page} holds {len(initiatives)} initiatives but says "
                      f"numberOfElements {on_page} (cut short?): none marked vanished")
        self._count_fields(initiatives)
        for raw in initiatives:
            item = self._item(raw)
            if item is None:
                continue
            yield self.follow_detail(item, url=detail_url(item["native_id"]),
                                     headers={"Accept": "application/json"})
        if total_pages is not None and page + 1 < min(total_pages, MAX_PAGES) and initiatives:
            yield self.revalidate(search_url(page + 1), self.parse, cb_kwargs={"page": page + 1},
                                  headers={"Accept": "application/json"}, dont_filter=True)
        else:
            # pages are read one after another: reaching the last one means all were read
            complete = total_pages is None or page + 1 >= total_pages
            if not complete:
                why = (f"only {MAX_PAGES} read" if page + 1 >= MAX_PAGES
                       else f"page {page + 1} was empty, so the pages after it were not read")
                self.note("amber", f"searchInitiatives has {total_pages} pages; {why}")
            elif total_elements is not None and self._read_total < total_elements:
                # every page read, yet fewer initiatives than the listing announces: those missing
                # are not gone from the portal, so none may be marked vanished
                complete = False
                self.note("amber", f"searchInitiatives: {self._read_total} of the {total_elements} initiatives it "
                                   "announces (totalElements) read: listing incomplete, none marked vanished")
            self._check_listing_fields()
            self.set_listing(complete=complete and not self._cut_pages, channel="api")

    def _count_fields(self, initiatives: list[Any]) -> None:
        """Count, for the listing's field check, which fields this page's initiatives have."""
        for raw in initiatives:
            if not isinstance(raw, dict):
                continue
            self._read_total += 1
            for key in LISTING_FIELDS:
                self._fields[key] = self._fields.get(key, 0) + (key in raw)
            statuses = raw.get("currentStatuses")
            for status in statuses if isinstance(statuses, list) else []:
                if isinstance(status, dict):
                    self._periods += 1
                    for key in STATUS_FIELDS:
                        name = f"currentStatuses[].{key}"
                        self._fields[name] = self._fields.get(name, 0) + (key in status)

    def _check_listing_fields(self) -> None:
        """Red for each expected field no initiative (or feedback period) of the listing has: the
        answer changed, and its values are unknown this run — not gone (the store keeps them)."""
        if self._read_total:
            for key in LISTING_FIELDS:
                if not self._fields.get(key):
                    self.note("red", f"searchInitiatives: no initiative read has the field '{key}' "
                                     "(schema changed?): stored values kept")
        if self._periods:
            for key in STATUS_FIELDS:
                if not self._fields.get(f"currentStatuses[].{key}"):
                    self.note("red", f"searchInitiatives: no feedback period (currentStatuses) read has the "
                                     f"field '{key}' (schema changed?): stored values kept")
        if self._picked_by_dates:  # red: a changed answer, and health shows a red source's red notes only
            self.note("red", f"searchInitiatives: without 'isCurrent', the current feedback period of "
                               f"{self._picked_by_dates} initiative(s) with several was picked by its dates as of "
                               f"{self.today.isoformat()}")

    @staticmethod
    def _parse_counts(data: dict) -> tuple[int | None, int | None]:
        """(the listing's totalElements, this page's numberOfElements) as the answer states them,
        None where it does not (the HAL shape gives no numberOfElements)."""
        current = data.get("initiativeResultDtoPage")
        page = current if isinstance(current, dict) else data.get("page") if isinstance(data.get("page"), dict) else data

        def number(key: str) -> int | None:
            value = page.get(key)
            return int(value) if isinstance(value, int | float) and not isinstance(value, bool) else None

        return number("totalElements"), number("numberOfElements")

    def _json(self, response: Response, what: str, level: str) -> Any | None:
        """The response's JSON, or None with a note saying why (blocked, HTML shell, broken JSON)."""
        if response.status == 304:
            self.note("amber", f"{what}: 304 Not Modified without a cached copy")
            return None
        if self.is_blocked(response):
            self.count("blocked")
            self.note(level, f"{what}: blocked (HTTP {response.status}"
                             f"{', WAF/bot challenge page' if response.status == 200 else ''}); "
                             "brpapi access is disputed and may need a browser context")
            return None
        if response.status >= 400:
            self.note(level, f"{what}: HTTP {response.status}")
            return None
        if is_web_page(response.body, response.headers.get(b"Content-Type", b"").decode("latin-1")):
            self.count("blocked")
            self.note(level, f"{what}: answered HTML instead of JSON (single-page-app shell or WAF "
                             "page); brpapi may need a browser context (disputed access, docs/sources.md A.2)")
            return None
        try:
            return json.loads(response.body)
        except ValueError as exc:
            self.note(level, f"{what}: malformed JSON ({exc})"[:200])
            return None

    @staticmethod
    def _parse_page(data: Any) -> tuple[list[dict] | None, int | None]:
        """(initiatives, total pages) from either documented shape; (None, None) if neither."""
        if not isinstance(data, dict):
            return None, None
        current = data.get("initiativeResultDtoPage")
        if not isinstance(current, dict) and isinstance(data.get("content"), list) and "pageable" in data:
            current = data  # a bare Spring Page
        if isinstance(current, dict) and isinstance(current.get("content"), list):
            total = current.get("totalPages")
            return current["content"], int(total) if isinstance(total, int | float) else None
        embedded = data.get("_embedded")
        if isinstance(embedded, dict) and isinstance(embedded.get("initiativeResultDtoes"), list):
            page = data.get("page") if isinstance(data.get("page"), dict) else {}
            total = page.get("totalPages")
            return embedded["initiativeResultDtoes"], int(total) if isinstance(total, int | float) else None
        if isinstance(data.get("_embedded"), dict) or data.get("page", {}).get("totalElements") == 0:
            return [], None  # HAL page without items
        return None, None

    def _item(self, raw: dict) -> Any | None:
        try:
            native_id = str(int(float(raw["id"])))
            title = (raw.get("shortTitle") or "").strip()
        except (KeyError, TypeError, ValueError):
            self.parse_error("initiative without a numeric id", None)
            return None
        if not title:
            self.parse_error(f"initiative {native_id} without shortTitle", None)
            return None
        status, by_dates = self._parse_current_status(raw.get("currentStatuses") or [], self.as_of)
        self._picked_by_dates += by_dates
        if status is None:
            # several periods, none marked current (`isCurrent` renamed) and none their dates place:
            # which one's deadline and status are meant is unknown, not "none"
            status, unread = {}, "period unclear"
        elif "currentStatuses" not in raw and self._listing_lacks_periods():
            # not an initiative without a feedback period (as some real ones are) but a listing
            # without the field (a changed answer: red, see _check_listing_fields): the deadline is
            # unknown, the stored one is kept, and the detail may give it (_deadline_from_detail)
            self.count("current_statuses_field_missing")
            unread = PERIODS_MISSING
        elif status and "feedbackEndDate" not in status:
            # not a null deadline but a period without the field (a changed answer: red, see
            # _check_listing_fields): the deadline is unknown, and the stored one is kept; the
            # initiative's detail may still give it (_deadline_from_detail)
            self.count("feedback_end_date_field_missing")
            unread = "feedbackEndDate missing"
        else:
            unread = ""
        deadline = self._parse_deadline(status)
        opens = parse_date(status.get("feedbackStartDate"), BRUSSELS) if status.get("feedbackStartDate") else None
        if unread:  # neither "no deadline known" nor a parse error: said above, and in health
            pass
        elif not status or not status.get("feedbackEndDate"):
            # real: some initiatives have no currentStatuses, some a null feedbackEndDate — no
            # deadline is known, which is not a parse error (the item is kept without one)
            self.count("no_feedback_end_date")
        elif deadline is None:
            self.parse_error(f"initiative {native_id}: unreadable feedbackEndDate {status.get('feedbackEndDate')!r}", None)
        # a missing field is not an empty list of topics: None keeps the stored ones
        topics = ([t.get("label") or t.get("code") for t in raw["topics"] if isinstance(t, dict)]
                  if isinstance(raw.get("topics"), list) else None)
        return self.make_item(
            native_id=native_id,
            url=HUMAN.format(id=native_id, slug=slug(title)),
            title=title,
            language="en",
            deadline=iso(deadline),
            published=iso(opens),
            status_raw=status_word(status, raw.get("initiativeStatus")),
            reference=raw.get("reference"),
            extra={
                "opens": iso(opens),
                "stage": status.get("frontEndStage"),
                "act_type": raw.get("foreseenActType"),
                "initiative_status": raw.get("initiativeStatus"),
                "topics": [t for t in topics if t] if topics is not None else None,
                "detail": "pending",
                # why the deadline could not be read this run ("" when it could: a later run clears it)
                DEADLINE_UNREAD: unread,
            },
        )

    def _listing_lacks_periods(self) -> bool:
        """Whether no initiative of the listing read so far has `currentStatuses` (renamed or
        dropped). Pages are read one after another and each page's initiatives are counted before
        they are made items, so on a changed answer this holds for every one of them; on the real
        answer an initiative may lack the field, never all of them."""
        return self._read_total > 0 and not self._fields.get("currentStatuses")

    @staticmethod
    def _parse_current_status(statuses: list[dict], as_of: datetime) -> tuple[dict | None, bool]:
        """(the status of the feedback period that matters now, whether its dates picked it):
        isCurrent, else an open one, else the last. When no period has the field `isCurrent`
        (renamed or dropped) and there are several, their order says nothing: the period is picked
        by its dates as of the crawl (`_period_by_dates`; None when they cannot tell either)."""
        statuses = [s for s in statuses if isinstance(s, dict)]
        if len(statuses) > 1 and not any("isCurrent" in s for s in statuses):
            return _period_by_dates(statuses, as_of), True
        for pick in (lambda s: s.get("isCurrent"), lambda s: s.get("receivingFeedbackStatus") == "OPEN"):
            found = [s for s in statuses if pick(s)]
            if found:
                return found[-1], False
        return (statuses[-1] if statuses else {}), False

    @staticmethod
    def _parse_deadline(status: dict):
        end = parse_date(status.get("feedbackEndDate"), BRUSSELS) if status.get("feedbackEndDate") else None
        return deadline_at(end, BRUSSELS)

    # ------------------------------------------------------------------ detail

    def parse_detail(self, response: Response, item: Any) -> Iterator[Any]:
        if not self.detail_usable(response, item, "initiative details (COM references, DG)"):
            yield item
            return
        try:
            data = json.loads(response.body)
        except ValueError:
            self.parse_error("groupInitiatives: not JSON", response.url)
            item["extra"] = {**item["extra"], "detail": "unreadable"}
            yield item
            return
        if not isinstance(data, dict):
            self.parse_error("groupInitiatives: unexpected JSON", response.url)
            yield item
            return
        missing = self._missing_detail_fields(data)
        for key in missing:
            if key not in self._detail_missing:  # one note per field, naming the first answer
                self._detail_missing.add(key)
                self.note("red", f"groupInitiatives: the answer for initiative {item['native_id']} lacks the "
                                 f"field '{key}' (schema changed?): stored values kept")
        # what a missing field would have given is unknown this run (None), not empty: the store
        # keeps the references, documents and stages it holds
        publications_read = not any(k == "publications" or k.startswith("publications[]") for k in missing)
        coms = self._parse_com_references(data) if publications_read else None
        summary = _clean(data.get("dossierSummary"))
        if summary:
            item["summary"] = summary
        if data.get("dg"):
            item["owner"] = f"European Commission, {data['dg']}"
        if coms:
            item["body"] = "Commission documents: " + "; ".join(coms)
        documents = self._parse_documents(data, item["url"]) if publications_read else None
        if documents:
            item["documents"] = documents
        planned = [str(p.get("type")) for p in data.get("publications") or []
                   if isinstance(p, dict) and not p.get("publishedDate")] if publications_read else None
        ares = (self._parse_ares_references(data) if publications_read and "reference" not in missing
                else None)
        item["extra"] = {**item["extra"], "detail": "ok", "com": coms, "ares": ares,
                         "planned_stages": planned or None,
                         "policy_areas": self._parse_policy_areas(data.get("policyAreas"))}
        if item["extra"].get(DEADLINE_UNREAD) and publications_read:
            self._deadline_from_detail(item, data)
        yield item

    def _deadline_from_detail(self, item: Any, data: dict) -> None:
        """The deadline the listing's period did not give (its `feedbackEndDate` missing, or the
        listing's `currentStatuses`: `_listing_lacks_periods`, and then the status word, opening day
        and stage of the period too), from the same initiative's detail:
        the `endDate` of its current publication, the period picked as the backfill picks it from a
        detail alone (`as_search_result`, `_parse_current_status`).
        Health says the deadlines were read there (red, as the changed answer it stands beside: a red
        source's health shows its red notes only); when the detail cannot give it either, the item
        keeps saying its deadline could not be read."""
        status, by_dates = self._parse_current_status(as_search_result(data)["currentStatuses"], self.as_of)
        if status and item["extra"][DEADLINE_UNREAD] == PERIODS_MISSING:
            # the listing gave no period at all: its status word, opening day and stage are the
            # detail's too (a period missing only its end date kept the listing's)
            opens = parse_date(status.get("feedbackStartDate"), BRUSSELS) if status.get("feedbackStartDate") else None
            item["status_raw"] = status_word(status, item["extra"].get("initiative_status"))
            item["published"] = iso(opens)
            item["extra"] = {**item["extra"], "opens": iso(opens), "stage": status.get("frontEndStage")}
        deadline = self._parse_deadline(status or {})
        if deadline is None:
            self.count("deadline_unread_in_detail")
            return
        item["deadline"] = iso(deadline)
        self.count("deadline_from_detail")
        without = ("initiatives without 'currentStatuses'" if item["extra"][DEADLINE_UNREAD] == PERIODS_MISSING
                   else "feedback periods without 'feedbackEndDate'")
        item["extra"] = {**item["extra"], DEADLINE_UNREAD: ""}
        self.note("red", f"searchInitiatives: {without}: deadlines read from "
                           "each initiative's groupInitiatives answer (publications[].endDate) instead"
                  + (f", the current publication picked by its dates as of {self.today.isoformat()} (no "
                     "'isCurrent')" if by_dates else ""))

    @staticmethod
    def _missing_detail_fields(data: dict) -> list[str]:
        """The expected fields a ``groupInitiatives`` answer lacks (DETAIL_FIELDS), and those none of
        its publications has (``publications[].<field>``, PUBLICATION_FIELDS)."""
        missing = [key for key in DETAIL_FIELDS if key not in data]
        publications = [p for p in data.get("publications") or [] if isinstance(p, dict)]
        if publications:
            missing += [f"publications[].{key}" for key in PUBLICATION_FIELDS
                        if not any(key in p for p in publications)]
        return missing

    @staticmethod
    def _parse_policy_areas(value: Any) -> list[str] | None:
        """Real details carry `[{id, code, label}]`; older descriptions a list of strings."""
        areas = []
        for area in value or []:
            if isinstance(area, dict):
                areas.append(area.get("label") or area.get("code"))
            elif isinstance(area, str):
                areas.append(area)
        return [a for a in areas if a] or None

    @staticmethod
    def _parse_ares_references(data: dict) -> list[str]:
        """The Ares registration numbers of the initiative and its published stages (real
        publications carry these, not COM numbers)."""
        refs = [data.get("reference")] + [p.get("reference") for p in data.get("publications") or []
                                          if isinstance(p, dict) and p.get("publishedDate")]
        return list(dict.fromkeys(r for r in refs if isinstance(r, str) and _ARES.match(r)))

    @staticmethod
    def _parse_com_references(data: dict) -> list[str]:
        found: list[str] = []
        for pub in data.get("publications") or []:
            if isinstance(pub, dict):
                found += _COM.findall(str(pub.get("reference") or ""))
        return list(dict.fromkeys(" ".join(c.split()) for c in found))

    @staticmethod
    def _parse_documents(data: dict, url: str) -> list[dict[str, str]]:
        docs = []
        for pub in data.get("publications") or []:
            # a planned stage (publishedDate null: INIT_PLANNED, REG_DEL_DRAFT …) is no document yet
            if isinstance(pub, dict) and pub.get("id") is not None and pub.get("publishedDate"):
                title = " ".join(str(x) for x in (pub.get("type"), pub.get("reference")) if x) or "publication"
                docs.append({"title": title, "url": f"{url}#publication-{int(float(pub['id']))}",
                             "type": str(pub.get("type") or "publication").lower()})
        return docs


def _clean(value: Any) -> str | None:
    """Text of an HTML or plain-text field; plain text keeps its paragraphs (real dossierSummary
    is plain text with newlines)."""
    if not value:
        return None
    text = str(value)
    if "<" not in text:
        lines = (" ".join(line.split()) for line in text.splitlines())
        return "\n".join(line for line in lines if line) or None
    return strip_html(text) or None
