"""The one item schema every spider yields."""

from __future__ import annotations

import re

import scrapy

#: kinds of items; a kind says what an item is, not where it came from
KINDS = (
    "hearing",  # government public hearing (høring)
    "committee_hearing",  # Storting committee hearing
    "eu_consultation",  # EU "Have your say" feedback period
    "eu_act_update",  # new version / amendment / corrigendum of a watched EU act
    "eu_procedure",  # Legislative Observatory procedure file
    "eea_note",  # EØS-notat
    "gpfg_document",  # Finansdepartementet document on the fund
    "gpfg_recommendation",  # Etikkrådet recommendation / news
    "gpfg_decision",  # Norges Bank decision
    "storting_case",  # Storting case (sak)
    "regulator_news",  # Forbrukertilsynet
    "law_change",  # Lovdata
    "ncp_case",  # another country's NCP case (OECD database of specific instances)
)

#: kinds that are consultations an adviser can answer
CONSULTATION_KINDS = ("hearing", "committee_hearing", "eu_consultation")

#: spiders whose `summary` is a sentence they write themselves from the source's facts, not the
#: source's own text: Stortinget's hearings ("Høring i Finanskomiteen om <sak> (<ref>)."), the
#: Legislative Observatory ("Stage: … Last key event: …"), EUR-Lex/Cellar ("Amends <act>; …").
#: Such a summary is never quoted as what the source says (tracker.workbench.drafts).
COMPOSED_SUMMARY_SOURCES = ("no_stortinget_horinger", "eu_oeil", "eu_cellar")

#: the `extra["detail"]` states of an item whose own (detail) page was not read on its last
#: attempt, as the spiders write them (crawlers/spiders/base.py: "blocked 403", "http 500",
#: "error TimeoutError"; a spider's "pending" before and "unreadable" after). "blocked by
#: robots.txt" is not read either, and never fetched again. The store keeps when the page was last
#: read (`extra["detail_read"]`, tracker.store.merge), so "never read" is `detail_never_read`.
UNREAD_DETAIL = re.compile(r"pending|unreadable|blocked \d|http \d|error ")


#: the `extra` key of an item whose deadline could not be read on the last run although the source
#: has one (its answer changed: Have your say's period without `feedbackEndDate`), saying why
#: ("feedbackEndDate missing"); "" when it was read, which clears it (a key the scrape leaves None
#: keeps the stored value, tracker.store.merge). Without a deadline, the reader is told it could not
#: be read, not that none is known (tracker.digest.wording.deadline_text)
DEADLINE_UNREAD = "deadline_unread"


def detail_never_read(detail: str | None, read: str | None) -> bool:
    """Whether an item's own page was never read (its last attempt failed, `detail`, and no
    attempt ever succeeded, `read`) and is worth fetching again: a closed item's page is then
    fetched again, and the item page says its deadline, status and documents may be missing."""
    return not read and bool(UNREAD_DETAIL.match(detail or ""))


class TrackedItem(scrapy.Item):
    """One real-world consultation, act or document as seen by one spider.

    Dates are ISO 8601 strings with an offset (Europe/Oslo unless the source
    says otherwise). `status_raw` is the source's own wording; the tracker turns
    it into open/closed/withdrawn/unknown in `tracker.store.status`.
    """

    source = scrapy.Field()  # spider name
    kind = scrapy.Field()
    native_id = scrapy.Field()  # the source's own id (page id, hearing id, …)
    url = scrapy.Field()
    title = scrapy.Field()
    summary = scrapy.Field()
    body = scrapy.Field()
    language = scrapy.Field()  # nb / nn / en when the source says so
    owner = scrapy.Field()  # department or committee
    published = scrapy.Field()
    deadline = scrapy.Field()
    status_raw = scrapy.Field()
    channel = scrapy.Field()  # rss, api, html, sparql, …
    reference = scrapy.Field()  # their reference (saksnr), when known
    documents = scrapy.Field()  # [{"title", "url", "type"}]
    extra = scrapy.Field()  # source-specific facts (dict)
    consultees = scrapy.Field()  # [{"name", "orgnr" (None unless the page gives it)}] — the hearing's consultee list
    ncp_consultee = scrapy.Field()  # bool: Kontaktpunktet is itself among the consultees (only set with `consultees`)


#: the value of `CrawlReport.crawl_report`: the format of the report line in a feed export
REPORT_VERSION = 1


class CrawlReport(scrapy.Item):
    """What a spider saw besides its items, as the last item of every finished crawl.

    `crawlers.report.CrawlReportExtension` yields it when the spider has nothing left to do, so a
    feed export (`scrapy crawl X -O items.jsonl`, a Scrapyd job) carries everything the tracker
    needs to judge the crawl: `ncp-tracker ingest` stores such a file with the same change events
    and health as a crawl the tracker ran itself. A file without it is not a finished crawl.
    """

    crawl_report = scrapy.Field()  # REPORT_VERSION
    source = scrapy.Field()  # spider name
    as_of = scrapy.Field()  # the crawl's clock (ISO)
    notes = scrapy.Field()  # [[level, reason], …] (TrackerSpider.notes)
    listing = scrapy.Field()  # TrackerSpider.listing
    channel = scrapy.Field()
    may_be_empty = scrapy.Field()
    finish_reason = scrapy.Field()
    stats = scrapy.Field()  # the crawl's stats when it ran out of work (JSON-safe values)
    duration_s = scrapy.Field()
    args = scrapy.Field()  # spider facts a store needs (TrackerSpider.report_args())
