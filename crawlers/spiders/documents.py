"""The documents items link to: høringsnotat and høringsbrev PDFs on regjeringen.no, Stortinget's
case documents, EU proposal documents.

Not a source of items: it is given a list of links (spider argument `documents`: a JSON file, or a
list when run in-process, of ``{"item_id", "url", "title", "type", "etag", "last_modified"}``) and
yields one result per link:

- ``status: "ok"`` with ``content`` (the bytes), ``kind`` (pdf, html, docx), ``content_type``,
  ``etag``, ``last_modified``;
- ``status: "not_modified"`` when the server answered 304 to the conditional request built from the
  validators of the copy the tracker already holds;
- ``status: "refused"`` with ``error`` for a content type that is no document (an HTML error page
  where a PDF was linked, an image) or a body over the size limit (`max_bytes`, default DOWNLOAD_MAXSIZE; also enforced
  while downloading through Scrapy's `download_maxsize`);
- ``status: "failed"`` with ``error`` for an HTTP error, a blocked page or a download failure
  (`NOT_IN_RECORDING` on a replayed day that does not hold the document).

Politeness is the project's: one site's requests are throttled by the settings, robots.txt is
obeyed, and these requests bypass the HTTP cache (`dont_cache`), which would otherwise keep a
second copy of every PDF: the conditional request is built here instead.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import scrapy
from scrapy.http import Response

from crawlers.middlewares import NOT_RECORDED
from crawlers.spiders.base import TrackerSpider
from crawlers.text import is_web_page

PDF_TYPES = ("application/pdf", "application/x-pdf")
HTML_TYPES = ("text/html", "application/xhtml+xml")
DOCX_TYPES = ("application/vnd.openxmlformats-officedocument.wordprocessingml.document",)
#: a server that does not know what it sends: the bytes decide
GENERIC_TYPES = ("application/octet-stream", "binary/octet-stream", "application/download", "")
DEFAULT_MAX_BYTES = 20 * 1024 * 1024
#: the error of a document a replayed day does not hold (tracker/documents/pipeline.py counts them)
NOT_IN_RECORDING = "not in the recording"


def sniff(body: bytes) -> str | None:
    """What the bytes are: pdf, docx, html, or None."""
    head = body[:1024].lstrip()
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"PK\x03\x04") and b"word/" in body[:65536]:
        return "docx"
    if is_web_page(body):
        return "html"
    return None


def declared_kind(content_type: str) -> str | None:
    ctype = content_type.split(";")[0].strip().lower()
    for kind, types in (("pdf", PDF_TYPES), ("html", HTML_TYPES), ("docx", DOCX_TYPES)):
        if ctype in types:
            return kind
    return None


class DocumentsSpider(TrackerSpider):
    name = "documents"
    kind = "document"
    channel = "documents"
    may_be_empty = True

    def __init__(self, *args: Any, documents: str | list[dict[str, Any]] | None = None,
                 max_bytes: int | str | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if isinstance(documents, str):
            documents = json.loads(Path(documents).read_text("utf-8"))
        self.links: list[dict[str, Any]] = list(documents or [])
        self._max_bytes = int(max_bytes) if max_bytes else None

    @property
    def max_bytes(self) -> int:
        """The size limit: the `max_bytes` argument, else DOWNLOAD_MAXSIZE (`[crawl] download_maxsize`)."""
        if self._max_bytes:
            return self._max_bytes
        crawler = getattr(self, "crawler", None)
        return (crawler.settings.getint("DOWNLOAD_MAXSIZE") if crawler else 0) or DEFAULT_MAX_BYTES

    async def start(self):
        for link in self.links:
            if not str(link.get("url", "")).startswith(("http://", "https://")):
                yield self._result(link, "failed", error=f"not a fetchable URL: {link.get('url')!r}")
                continue
            headers = {}
            if link.get("etag"):
                headers["If-None-Match"] = link["etag"]
            elif link.get("last_modified"):
                headers["If-Modified-Since"] = link["last_modified"]
            yield scrapy.Request(
                link["url"], callback=self.parse_document, errback=self.failed, headers=headers,
                dont_filter=True, cb_kwargs={"link": link},
                meta={"dont_cache": True, "download_maxsize": self.max_bytes,
                      "download_warnsize": 0, "link": link},
            )  # fmt: skip

    def _result(self, link: dict[str, Any], status: str, **fields: Any) -> dict[str, Any]:
        url = link.get("url") or ""
        title = link.get("title") or url.rstrip("/").rsplit("/", 1)[-1] or url
        self.count(f"documents/{status}")
        return {"item_id": link.get("item_id"), "url": url, "title": title, "type": link.get("type"),
                "status": status, **fields}

    def parse_document(self, response: Response, link: dict[str, Any]):
        if response.status == 304:
            yield self._result(link, "not_modified", http_status=304)
            return
        if NOT_RECORDED in response.flags:  # a replayed day that does not hold this document
            yield self._result(link, "failed", http_status=response.status, error=NOT_IN_RECORDING)
            return
        if response.status != 200 or self.is_blocked(response):
            yield self._result(link, "failed", http_status=response.status,
                               error=f"HTTP {response.status}" + (" (blocked)" if self.is_blocked(response) else ""))
            return
        body = response.body
        ctype = response.headers.get(b"Content-Type", b"").decode("latin-1")
        declared = declared_kind(ctype)
        actual = sniff(body)
        if len(body) > self.max_bytes:
            yield self._result(link, "refused", http_status=200, content_type=ctype,
                               error=f"larger than the limit ({len(body)} > {self.max_bytes} bytes)")
            return
        generic = ctype.split(";")[0].strip().lower() in GENERIC_TYPES
        if actual is None or (declared is not None and declared != actual) or (declared is None and not generic):
            yield self._result(link, "refused", http_status=200, content_type=ctype,
                               error=f"not a document: served as {ctype or 'no type'}, "
                                     f"content looks like {actual or 'neither PDF, .docx nor HTML'}")
            return
        yield self._result(
            link, "ok", http_status=200, content=body, kind=actual, content_type=ctype,
            etag=response.headers.get(b"ETag", b"").decode("latin-1") or None,
            last_modified=response.headers.get(b"Last-Modified", b"").decode("latin-1") or None,
        )  # fmt: skip

    def failed(self, failure):
        link = failure.request.meta.get("link") or {}
        yield self._result(link, "failed", error=f"{failure.type.__name__}: {failure.value}"[:300])
