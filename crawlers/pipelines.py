"""Item pipelines that belong to crawling itself (cleaning and validation).

Storing is the tracker's business: its store pipeline (tracker/jobs/storing.py) is added by the
tracker's runner, so `scrapy crawl` works without a database. The crawl report
(`crawlers.items.CrawlReport`) passes through untouched.
"""

from __future__ import annotations

from itemadapter import ItemAdapter
from scrapy.exceptions import DropItem

from crawlers.items import CrawlReport
from crawlers.text import clean_text

TEXT_FIELDS = ("title", "summary", "body", "owner", "status_raw", "reference")


class CleanItemPipeline:
    """Normalises text fields and drops items that cannot be tracked (no title or no URL)."""

    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_item(self, item):
        if isinstance(item, CrawlReport):
            return item
        adapter = ItemAdapter(item)
        stats = self.crawler.stats
        for field in TEXT_FIELDS:
            if field in adapter:
                value, repaired = clean_text(adapter.get(field), single_line=field in ("title", "owner", "status_raw", "reference"))
                adapter[field] = value
                if repaired:
                    stats.inc_value("tracker/mojibake_repaired")
        if not adapter.get("title") or not adapter.get("url"):
            stats.inc_value("tracker/parse_errors")
            raise DropItem(f"item without title or url: {adapter.get('url') or adapter.get('native_id')}")
        return item
