"""regjeringen.no public hearings (høringer).

The HTML site sits behind Cloudflare and answers 403 to most automated clients,
so the **RSS generator is the primary channel** (about 100 newest hearings, with
title, link, description, numeric guid and pubDate — but no deadline, status or
department). Each hearing's detail page is then fetched *best effort* for
Høringsfrist, Status, department, reference and documents. A blocked detail page
never loses the item: it is kept with what the feed gave, and the source turns
amber with the reason. Detail-page structure is **unverified**: see
`crawlers/regjeringen.py`; a page without a deadline counts as a parse error.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy.http import Response

from crawlers import regjeringen
from crawlers.dates import iso
from crawlers.spiders.base import TrackerSpider
from crawlers.text import page_text

FEED_URL = regjeringen.RSS_BASE + "?documentType=dokumenter/h%C3%B8ringer"


class NoRegjeringenHoringerSpider(TrackerSpider):
    name = "no_regjeringen_horinger"
    kind = "hearing"
    channel = "rss"
    feed_url = FEED_URL

    async def start(self) -> AsyncIterator[scrapy.Request]:
        yield self.revalidate(self.feed_url, self.parse, dont_filter=True, errback=self.feed_failed)

    def parse(self, response: Response, **kwargs: Any) -> Iterator[Any]:
        """The feed; each hearing's detail page unless it can no longer change."""
        entries = self.read_feed(response, "hearing RSS")
        if entries is None:
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
            yield self.follow_detail(item)
        # the feed holds the newest ~100 hearings: it is complete for hearings published since its oldest item
        self.set_listing(complete=True, since=min(published) if published else None, channel="rss")

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

    def parse_detail(self, response: Response, item: Any) -> Iterator[Any]:
        if not self.detail_usable(response, item):
            yield item
            return
        text = page_text(response)
        deadline = regjeringen.parse_deadline(text, self.today)
        if deadline is None:
            self.parse_error("detail page without a readable Høringsfrist", response.url)
        fields = {
            "deadline": iso(deadline),
            "status_raw": regjeringen.parse_status(text),
            "owner": regjeringen.parse_owner(response, text),
            "reference": regjeringen.parse_reference(text),
            "documents": regjeringen.parse_documents(response),
            "body": regjeringen.parse_body(response),
            "summary": item.get("summary") or regjeringen.parse_ingress(response),
        }
        for key, value in fields.items():
            if value:
                item[key] = value
        answers = regjeringen.responses_url(response)
        item["extra"] = {**item.get("extra", {}), "detail": "ok", **({"responses_url": answers} if answers else {})}
        yield item
