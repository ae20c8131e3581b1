"""The one item schema every spider yields."""

from __future__ import annotations

import scrapy

from crawlers.fields import (  # noqa: F401 - the schema's words, re-exported: spiders import them from here
    COMPOSED_SUMMARY_SOURCES,
    CONSULTATION_KINDS,
    DEADLINE_UNREAD,
    KINDS,
    UNREAD_DETAIL,
    detail_never_read,
)


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
