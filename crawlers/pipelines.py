"""Item pipelines that belong to crawling itself (cleaning and validation).

Storing is the tracker's business: `tracker.pipeline.StorePipeline` is added by
`ncp-tracker run`, so `scrapy crawl` works without a database.
"""

from __future__ import annotations

import re

import ftfy
from itemadapter import ItemAdapter
from scrapy.exceptions import DropItem

# C0/C1 control characters except tab and newline
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_SPACE = re.compile(r"[ \t\u00a0]+")
_MOJIBAKE = re.compile(r"Ã[\x80-\xbf¸¥¦Å˜…]|Ã¦|Ã¸|Ã¥|Ã\u0098|â€")

TEXT_FIELDS = ("title", "summary", "body", "owner", "status_raw", "reference")


def clean_text(value: str | None, *, single_line: bool = False) -> tuple[str | None, bool]:
    """Whitespace and control characters out, mojibake (UTF-8 read as Latin-1) repaired.

    Returns the cleaned text and whether mojibake was repaired, so the spider's
    health can count it.
    """
    if value is None:
        return None, False
    text = str(value)
    repaired = False
    if _MOJIBAKE.search(text):
        fixed = ftfy.fix_text(text)
        repaired = fixed != text
        text = fixed
    text = _CONTROL.sub(" ", text)
    if single_line:
        text = " ".join(text.split())
    else:
        text = "\n".join(_SPACE.sub(" ", line).strip() for line in text.splitlines()).strip()
        text = re.sub(r"\n{3,}", "\n\n", text)
    return (text or None), repaired


class CleanItemPipeline:
    """Normalises text fields and drops items that cannot be tracked (no title or no URL)."""

    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_item(self, item):
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
