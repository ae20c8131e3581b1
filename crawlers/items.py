"""The one item schema every spider yields."""

from __future__ import annotations

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
)

#: kinds that are consultations an adviser can answer
CONSULTATION_KINDS = ("hearing", "committee_hearing", "eu_consultation")


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
