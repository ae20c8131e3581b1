"""Helpers shared by test modules (import as `from support import …`; `conftest` is ambiguous
because tests/browser has its own)."""

from __future__ import annotations

from pathlib import Path

from scrapy.http import HtmlResponse, Request, TextResponse, XmlResponse
from scrapy.utils.test import get_crawler

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def file_response(path: str | Path, url: str, status: int = 200, headers: dict | None = None,
                  meta: dict | None = None) -> TextResponse:
    """A Scrapy response built from a fixture file (City Bureau's `file_response`)."""
    path = Path(path)
    if not path.is_absolute():
        path = FIXTURES / path
    body = path.read_bytes()
    suffix = path.suffix.lower()
    cls = HtmlResponse if suffix in (".html", ".htm") else XmlResponse if suffix in (".xml", ".rss") else TextResponse
    return cls(url=url, body=body, status=status, headers=headers or {}, encoding="utf-8",
               request=Request(url=url, meta=meta or {}))


def make_spider(spider_cls, as_of: str = "2026-11-24T06:00:00+01:00", **kwargs):
    """A spider bound to a test crawler (stats work), with a frozen `as_of`."""
    crawler = get_crawler(spider_cls)
    spider = spider_cls.from_crawler(crawler, as_of=as_of, **kwargs)
    crawler.spider = spider
    return spider


def put_evidence(db, item_id: str, label: str, strength: float | None, spans) -> None:
    """Write one label's strength and evidence spans into ``items.evidence`` as the tagger does
    (``spans`` is a list, or a JSON string of one), adding the label to ``items.labels``."""
    import json

    row = db["items"].get(item_id)
    evidence = json.loads(row.get("evidence") or "{}")
    if isinstance(spans, str):
        try:
            spans = json.loads(spans)
        except ValueError:
            spans = []
    evidence[label] = {"strength": strength, "instrument": "", "evidence": spans if isinstance(spans, list) else []}
    labels = json.loads(row.get("labels") or "[]")
    if label not in labels:
        labels.append(label)
    db["items"].update(item_id, {"evidence": json.dumps(evidence, ensure_ascii=False),
                                 "labels": json.dumps(labels)})
