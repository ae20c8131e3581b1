"""Downloader middlewares: the User-Agent with a contact, polite retries with backoff, and the
replay/record pair.

Replay sits closest to the downloader (after the HTTP cache), so a replayed day goes through
exactly the same middlewares, spiders and pipelines as a live crawl; only the bytes come from disk
instead of the network. Record sits *above* the HTTP cache: it saves what the spider sees, so a
page the cache answered (fresh, or revalidated with a 304) is recorded with its full body too.
All of them are always listed in crawlers/settings.py and switch themselves on from a setting
(REPLAY_DIR, RECORD_DIR).
"""

from __future__ import annotations

import email.utils
import functools
import hashlib
import json
import logging
import mimetypes
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from scrapy import Request, Spider, signals
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Headers, HtmlResponse, JsonResponse, Response, TextResponse, XmlResponse
from scrapy.responsetypes import responsetypes
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.error import ConnectionLost, TCPTimedOutError
from twisted.internet.task import deferLater
from w3lib.encoding import resolve_encoding
from w3lib.url import canonicalize_url

from crawlers.notes import first_few
from crawlers.text import (
    FALLBACK_ENCODING,
    MISLABELLED_UTF8,
    answer_encodings,
    as_utf8,
    charset_label,
    decode_body,
    is_utf8,
    known_encoding,
    same_encoding,
)

logger = logging.getLogger(__name__)


async def _sleep(seconds: float) -> None:
    """Wait without blocking the reactor (the reactor is imported late: Scrapy installs it)."""
    from twisted.internet import reactor

    await maybe_deferred_to_future(deferLater(reactor, seconds, lambda: None))


class ContactMissing(Exception):
    """A live crawl without a contact address for the User-Agent: it must not start."""


class ContactUserAgentMiddleware:
    """Sets the User-Agent (USER_AGENT with `{contact}` filled from CONTACT) on every request.

    A live crawl with no CONTACT stops before its first request: sites are asked to be told who
    crawls them, and no real organisation's mailbox is a safe default. A replayed crawl
    (REPLAY_DIR) sends nothing anywhere and needs no contact.
    """

    def __init__(self, crawler):
        settings = crawler.settings
        contact = (settings.get("CONTACT") or "").strip()
        if not contact and not settings.get("REPLAY_DIR"):
            raise ContactMissing(
                "no contact address for the User-Agent: a live crawl needs one. With scrapy: "
                "`scrapy crawl NAME -s CONTACT=you@example.org`; with ncp-tracker: `[crawl] contact` in "
                "ncp-tracker.toml, $NCP_TRACKER_CONTACT or `-s CONTACT=…`. A replay (REPLAY_DIR) needs none."
            )
        template = settings.get("USER_AGENT") or "ncp-tracker ({contact})"
        self.user_agent = template.replace("{contact}", contact or "replay")

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_request(self, request: Request, spider: Spider | None = None):
        request.headers.setdefault(b"User-Agent", self.user_agent)


class BackoffRetryMiddleware(RetryMiddleware):
    """RetryMiddleware that waits before retrying: `Retry-After` when the server sends one
    (capped by RETRY_AFTER_MAX), else exponential backoff from RETRY_BACKOFF_BASE seconds."""

    def __init__(self, settings):
        super().__init__(settings)
        self.backoff_base = settings.getfloat("RETRY_BACKOFF_BASE", 2.0)
        self.retry_after_max = settings.getfloat("RETRY_AFTER_MAX", 120.0)
        #: a replayed day answers at once: waiting would only slow the replay down
        self.replay = bool(settings.get("REPLAY_DIR"))

    def _delay(self, request: Request, response: Response | None) -> float:
        retries = request.meta.get("retry_times", 0)
        delay = self.backoff_base * (2**retries)
        if response is not None and (value := response.headers.get(b"Retry-After")):
            value = value.decode("latin-1").strip()
            if value.isdigit():
                delay = float(value)
            else:
                when = email.utils.parsedate_to_datetime(value) if value else None
                if when is not None:
                    delay = max(0.0, (when - datetime.now(when.tzinfo)).total_seconds())
        return 0.0 if self.replay else min(delay, self.retry_after_max)

    async def process_response(self, request: Request, response: Response, spider: Spider | None = None):
        if request.meta.get("dont_retry", False) or response.status not in self.retry_http_codes:
            return response
        stats = self.crawler.stats
        stats.inc_value(f"tracker/retry/{response.status}")
        retry = self._retry(request, f"HTTP {response.status}")
        if retry is None:
            return response
        delay = self._delay(request, response)
        if delay > 0:
            await _sleep(delay)
        return retry

    async def process_exception(self, request: Request, exception: Exception, spider: Spider | None = None):
        # the last download failure, in words (a refused 50 MB answer, a timeout): health shows it
        # when the source ends up with nothing
        self.crawler.stats.set_value("tracker/download_error", f"{type(exception).__name__}: {exception}"[:300])
        if not isinstance(exception, self.exceptions_to_retry) or request.meta.get("dont_retry", False):
            return None
        retry = self._retry(request, exception)
        if retry is not None:
            delay = self._delay(request, None)
            if delay > 0:
                await _sleep(delay)
        return retry


# --------------------------------------------------------------------------- encoding


class UndecodableResponse(IgnoreRequest):
    """A page or an answer whose bytes are neither its declared encoding nor windows-1252: not read."""


#: the media types of the machine-readable answers the spiders read, beside the classes Scrapy gives
#: them (a replayed answer's class is guessed from its bytes: the Content-Type decides)
_JSON_TYPES = ("application/json",)
_XML_TYPES = ("application/xml", "text/xml")


def answer_kind(response: Response) -> str | None:
    """"html" for a web page, "json" for a JSON answer (Have your say; Cellar's
    application/sparql-results+json, which Scrapy gives as a plain TextResponse), "xml" for an XML
    one (Stortinget's exports, RSS and Atom feeds); None for anything else (a PDF, plain text)."""
    if isinstance(response, HtmlResponse):
        return "html"
    if not isinstance(response, TextResponse):
        return None
    mime = response.headers.get(b"Content-Type", b"").decode("latin-1").split(";")[0].strip().lower()
    if isinstance(response, JsonResponse) or mime in _JSON_TYPES or mime.endswith("+json"):
        return "json"
    if isinstance(response, XmlResponse) or mime in _XML_TYPES or mime.endswith("+xml"):
        return "xml"
    return None


def declared_encoding(response: Response, kind: str) -> tuple[str, str]:
    """(declared, own) encoding of a page or an answer of `kind` (`answer_kind`): a page's is
    Scrapy's (header, BOM, meta), a JSON or XML answer's its byte order mark, HTTP charset, XML
    declaration, else UTF-8, never a guess (crawlers.text.answer_encodings); `own` is what a parser
    reading the bytes alone takes them for."""
    if kind == "html":
        return response.encoding, response.encoding
    content_type = response.headers.get(b"Content-Type", b"").decode("latin-1")
    return answer_encodings(response.body, content_type, xml=kind == "xml")


def label_given(response: Response, kind: str, declared: str) -> str:
    """`declared` as the page or answer gave it, for a note: a page's encoding is Scrapy's name for
    its label (WHATWG's: «cp1252» for a header's «ISO-8859-1»), so the header's label when it is
    that one; an answer's is its own already."""
    if kind != "html":
        return declared
    given = charset_label(response.headers.get(b"Content-Type", b"").decode("latin-1"))
    return given if given and resolve_encoding(given) == declared else declared


class DeclaredEncodingMiddleware:
    """Every HTML page, and every JSON or XML answer (RSS/Atom feeds, Stortinget's exports, Have your
    say, Cellar's SPARQL results), is read in its declared encoding strictly, never with U+FFFD put
    in for the bytes that are not (Scrapy decodes leniently: a garbled «Compa??a» reached the store
    unnoticed; and it guesses the encoding of an answer that names none, where JSON is UTF-8 and XML
    says its own, `declared_encoding`).

    A page that says UTF-8 (header or meta) but holds windows-1252 bytes is read with those bytes
    as windows-1252 and the spider's source turns amber; so is one that says ISO-8859-1,
    ISO-8859-15 or windows-1252 over UTF-8 bytes (which read as that without an error, «Ã¥» for
    «å»: crawlers.text.utf8_under_western_label), read as UTF-8; a page whose bytes are neither, or that
    declares an encoding no one can read, is not given to the spider at all (its request's errback
    gets an `UndecodableResponse`: the item keeps what the listing and earlier runs gave) and the
    source turns red. Each note names the pages as health names pages (crawlers.notes.first_few: the
    first few and how many more), kept up to date as the crawl meets more. A JSON or XML answer the
    spider is given is in the encoding its bytes say (re-encoded as UTF-8 when the HTTP charset
    said otherwise than its XML declaration): json.loads, lxml and feedparser, which read bytes,
    read what was declared. Below the record middleware and the HTTP cache, which keep the bytes
    as they came.
    """

    def __init__(self, crawler):
        self.crawler = crawler
        #: each note of this crawl (by its words before the pages) → its level, reason and pages
        self.noted: dict[str, tuple[str, str, list[str]]] = {}

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_response(self, request: Request, response: Response, spider: Spider | None = None):
        kind = answer_kind(response)
        if kind is None or not response.body:
            return response
        declared, own = declared_encoding(response, kind)
        text, how = decode_body(response.body, declared) if known_encoding(declared) else (None, "undecodable")
        if how == "ok":
            if kind == "html" or same_encoding(declared, own):
                return response
            text = response.body.decode(declared)  # the HTTP charset wins over what the bytes say
            return response.replace(body=as_utf8(text, xml=kind == "xml"), encoding="utf-8")
        if how in (FALLBACK_ENCODING, MISLABELLED_UTF8):
            if how == FALLBACK_ENCODING:
                self.crawler.stats.inc_value("tracker/pages_read_as_windows_1252")
                self._note("amber", f"pages not in their declared encoding ({declared}), read as {FALLBACK_ENCODING}",
                           response.url)
            else:
                self.crawler.stats.inc_value("tracker/pages_utf8_declared_single_byte")
                self._note("amber", f"pages declared {label_given(response, kind, declared)} but in UTF-8, read as "
                           "UTF-8", response.url)
            body = text.encode("utf-8") if kind == "html" else as_utf8(text, xml=kind == "xml")
            return response.replace(body=body, encoding="utf-8")
        self.crawler.stats.inc_value("tracker/pages_undecodable")
        if is_utf8(declared):
            self._note("red", f"pages undecodable in {declared} (declared) or {FALLBACK_ENCODING}, not read",
                       response.url)
        else:
            self._note("red", f"pages undecodable in {declared} (declared), not read", response.url)
        raise UndecodableResponse(f"bytes undecodable in {declared} (declared): {response.url}")

    def _note(self, level: str, what: str, url: str) -> None:
        """Note `what` with the pages met so far ("…: A, B, C and 2 more"): one note of each kind a
        crawl, its pages updated in place."""
        spider = self.crawler.spider
        if not hasattr(spider, "note"):
            return
        _, before, pages = self.noted.get(what, (level, None, []))
        pages = [*pages, url]
        reason = f"{what}: {first_few(pages)}"
        notes = getattr(spider, "notes", None)
        if before is not None and isinstance(notes, list) and (level, before) in notes:
            notes[notes.index((level, before))] = (level, reason)
            logger.log(logging.ERROR if level == "red" else logging.WARNING, "%s: %s", spider.name, reason)
        else:
            spider.note(level, reason)
        self.noted[what] = (level, reason, pages)


# --------------------------------------------------------------------------- replay


def replay_key(url: str, method: str = "GET") -> str:
    """How a request is matched to a recorded response: method + canonical URL."""
    return f"{method.upper()} {canonicalize_url(url, keep_fragments=False)}"


#: the flag of the 404 a replay answers for a request the recording does not hold
NOT_RECORDED = "not recorded"


class ReplayDay:
    """A recorded day: ``<day>/<source>/manifest.json`` plus the body files beside it.

    Manifest format (one per source folder)::

        {"source": "no_regjeringen_horinger", "recorded_at": "2026-11-24T06:00:00+01:00",
         "constructed": true,
         "responses": [{"url": "...", "method": "GET", "status": 200,
                        "headers": {"Content-Type": "..."}, "file": "rss.xml"},
                       {"url": "...", "error": "connection_reset"}]}
    """

    def __init__(self, path: str | Path):
        self.path = Path(path)
        if not self.path.is_dir():
            raise FileNotFoundError(f"replay day not found: {self.path}")
        #: per source: two spiders may record the same URL on the same day (with different
        #: answers, e.g. one of them blocked): each replays its own recording
        self.entries: dict[str, dict[str, dict[str, Any]]] = {}
        for manifest in sorted(self.path.glob("*/manifest.json")):
            data = json.loads(manifest.read_text("utf-8"))
            source = data.get("source") or manifest.parent.name
            table = self.entries.setdefault(source, {})
            for entry in data.get("responses", []):
                entry = dict(entry, _dir=str(manifest.parent))
                table[replay_key(entry["url"], entry.get("method", "GET"))] = entry

    @property
    def sources(self) -> list[str]:
        return sorted(self.entries)

    def lookup(self, url: str, method: str = "GET", source: str | None = None) -> dict[str, Any] | None:
        """The recording of `source` first, then any other source's recording of the same URL."""
        key = replay_key(url, method)
        if source and key in self.entries.get(source, {}):
            return self.entries[source][key]
        return next((table[key] for table in self.entries.values() if key in table), None)


@functools.lru_cache(maxsize=4)
def _replay_day(path: str) -> ReplayDay:
    """Every spider of a day shares one read of that day's manifests."""
    return ReplayDay(path)


#: misses a replayed crawl lists one by one; the rest are counted in one line at its end
MISSES_LISTED = 3


class ReplayMiddleware:
    """Answers every request from a recorded day (setting REPLAY_DIR); nothing touches the network.

    Conditional requests are honoured like a real server would: a request whose
    If-None-Match matches the recorded ETag (or whose If-Modified-Since is not
    older than Last-Modified) gets a 304, so the HTTP cache behaves as live.
    """

    def __init__(self, crawler):
        path = crawler.settings.get("REPLAY_DIR")
        if not path:
            raise NotConfigured
        self.day = _replay_day(str(path))
        self.crawler = crawler
        self.stats = crawler.stats
        self.misses = 0
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_request(self, request: Request, spider: Spider | None = None):
        if request.url.startswith("data:"):  # answered without any network (the crawl report)
            return None
        spider = self.crawler.spider
        entry = self.day.lookup(request.url, request.method, spider.name if spider else None)
        if entry is None:
            self.stats.inc_value("replay/miss")
            if not request.url.endswith("/robots.txt"):
                self.misses += 1
                if self.misses <= MISSES_LISTED:
                    logger.warning("replay: no recorded response for %s", request.url)
            return Response(url=request.url, status=404, body=b"not recorded", request=request,
                            flags=[NOT_RECORDED])
        self.stats.inc_value("replay/hit")
        error = entry.get("error")
        if error == "connection_reset":
            raise ConnectionLost("connection reset (recorded)")
        if error == "timeout":
            raise TCPTimedOutError("timed out (recorded)")
        if error:
            raise IgnoreRequest(f"recorded error: {error}")
        headers = {k: v for k, v in entry.get("headers", {}).items()}
        if self._not_modified(request, headers):
            self.stats.inc_value("replay/not_modified")
            return Response(url=request.url, status=304, headers=headers, request=request)
        body = (Path(entry["_dir"]) / entry["file"]).read_bytes() if entry.get("file") else b""
        self.stats.inc_value("replay/full_download")
        # the class by the recorded Content-Type, as a live crawl's (Scrapy reads it from Headers
        # only: a plain dict made a JSON answer a TextResponse, guessed from its bytes)
        cls = responsetypes.from_args(headers=Headers(headers), url=request.url, body=body)
        return cls(url=entry.get("final_url", request.url), status=int(entry.get("status", 200)),
                   headers=headers, body=body, request=request)

    def spider_closed(self, spider: Spider | None = None) -> None:
        """One line for the misses past the first few (each one is a 404 and counted in the
        stats, which source health reads)."""
        if self.misses > MISSES_LISTED:
            logger.warning("replay: %d requests had no recorded response (404 for each; the first "
                           "%d are listed above)", self.misses, MISSES_LISTED)

    @staticmethod
    def _not_modified(request: Request, headers: dict[str, str]) -> bool:
        lower = {k.lower(): v for k, v in headers.items()}
        inm = request.headers.get(b"If-None-Match")
        if inm:  # RFC 9110 §13.1.3: If-Modified-Since is ignored when If-None-Match is sent
            return bool(lower.get("etag")) and inm.decode("latin-1") == lower["etag"]
        ims = request.headers.get(b"If-Modified-Since")
        if ims and lower.get("last-modified"):
            try:
                since = email.utils.parsedate_to_datetime(ims.decode("latin-1"))
                modified = email.utils.parsedate_to_datetime(lower["last-modified"])
            except (TypeError, ValueError):
                return False
            return modified <= since
        return False


class RecordMiddleware:
    """Saves every response the spiders see into RECORD_DIR in the replay format.

    It sits above the HTTP cache, so with a warm cache it still records full bodies: a page the
    cache served fresh, or revalidated with a 304, reaches it as the cached 200. A 304 that still
    arrives here has no body to record: the source is noted amber ("recording incomplete"), never
    silently left out of the recording.
    """

    def __init__(self, crawler):
        path = crawler.settings.get("RECORD_DIR")
        if not path:
            raise NotConfigured
        self.root = Path(path)
        #: source → replay key → manifest entry (a retried URL keeps its last answer)
        self.entries: dict[str, dict[str, dict[str, Any]]] = {}
        self.crawler = crawler
        self.recorded_at = crawler.settings.get("TRACKER_AS_OF") or datetime.now().astimezone().isoformat(timespec="seconds")
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_response(self, request: Request, response: Response, spider: Spider | None = None):
        if request.url.startswith("data:"):
            return response
        spider = self.crawler.spider
        if response.status == 304:
            self.crawler.stats.inc_value("record/not_modified_unrecorded")
            if hasattr(spider, "note"):
                spider.note("amber", "recording incomplete: a 304 without a cached body was not recorded")
            return response
        source = spider.name
        folder = self.root / source
        folder.mkdir(parents=True, exist_ok=True)
        ctype = response.headers.get(b"Content-Type", b"").decode("latin-1").split(";")[0].strip()
        ext = mimetypes.guess_extension(ctype) or ".bin"
        key = replay_key(request.url, request.method)
        name = hashlib.sha1(key.encode()).hexdigest()[:16] + ext
        (folder / name).write_bytes(response.body)
        # the cache's own bookkeeping is not part of the answer
        headers = {k.decode("latin-1"): b", ".join(v).decode("latin-1") for k, v in response.headers.items()
                   if k.lower() != FETCHED_AT.lower()}
        entry = {"url": request.url, "method": request.method, "status": response.status,
                 "headers": headers, "file": name}
        if response.url != request.url:
            entry["final_url"] = response.url
        self.entries.setdefault(source, {})[key] = entry
        self.crawler.stats.inc_value("record/responses")
        return response

    def spider_closed(self, spider: Spider) -> None:
        for source, entries in self.entries.items():
            folder = self.root / source
            folder.mkdir(parents=True, exist_ok=True)
            manifest = {"source": source, "recorded_at": self.recorded_at, "constructed": False,
                        "responses": list(entries.values())}
            _write_replacing(folder / "manifest.json", json.dumps(manifest, ensure_ascii=False, indent=1))


def _write_replacing(path: Path, text: str) -> None:
    """Write `path` whole, through a temporary file beside it: a write cut off by a full disk or a
    Ctrl-C leaves the previous manifest of a re-recorded day, never half of one (which would fail
    that day's replay). The tracker's own writer (tracker/store/files.py) is above crawlers/."""
    part = path.with_name(f".{path.name}.{os.getpid()}.part")
    try:
        part.write_text(text, "utf-8")
        os.replace(part, path)
    finally:
        part.unlink(missing_ok=True)


# --------------------------------------------------------------------------- cache policy

FETCHED_AT = b"X-Tracker-Fetched-At"


def _clock(settings) -> datetime:
    """The crawl's clock: TRACKER_AS_OF (set for every run, replayed or live), else now."""
    value = settings.get("TRACKER_AS_OF")
    return datetime.fromisoformat(value) if value else datetime.now().astimezone()


class FetchClockMiddleware:
    """Stamps each downloaded 200 with the crawl's clock, so the cache policy can tell how old
    a copy is in the same clock the crawl runs on (a replayed day's, or now)."""

    def __init__(self, crawler):
        self.stamp = _clock(crawler.settings).isoformat(timespec="seconds").encode()

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_response(self, request: Request, response: Response, spider: Spider | None = None):
        if response.status == 200 and FETCHED_AT not in response.headers:
            response.headers[FETCHED_AT] = self.stamp
        return response


class TrackerCachePolicy:
    """RFC 2616 caching with two changes for a monitor that must be polite and honest.

    - A page whose server sends no validator (no ETag, no Last-Modified) cannot be asked "has
      it changed?", so every run would download it again. It is kept and fetched again at most
      every MIN_REFETCH_HOURS (default 12: once per daily run; `--fresh` sets 0).
    - A server error is shown to the spider, never replaced by an old copy: a source that
      answers 500 must turn red, not look fine on yesterday's data.
    """

    def __init__(self, settings):
        from scrapy.extensions.httpcache import RFC2616Policy

        self._rfc = RFC2616Policy(settings)
        self.min_refetch = settings.getfloat("MIN_REFETCH_HOURS", 12.0) * 3600
        self.now = _clock(settings)

    def should_cache_request(self, request: Request) -> bool:
        return self._rfc.should_cache_request(request)

    def should_cache_response(self, response: Response, request: Request) -> bool:
        if self._rfc.should_cache_response(response, request):
            return True
        return response.status == 200 and FETCHED_AT in response.headers and self.min_refetch > 0

    def is_cached_response_fresh(self, cachedresponse: Response, request: Request) -> bool:
        headers = cachedresponse.headers
        if b"ETag" not in headers and b"Last-Modified" not in headers and (stamp := headers.get(FETCHED_AT)):
            try:
                age = (self.now - datetime.fromisoformat(stamp.decode())).total_seconds()
            except ValueError:
                age = None
            if age is not None and 0 <= age < self.min_refetch:
                return True
        return self._rfc.is_cached_response_fresh(cachedresponse, request)

    def is_cached_response_valid(self, cachedresponse: Response, response: Response, request: Request) -> bool:
        return response.status == 304


# --------------------------------------------------------------------------- cache storage


class SqliteCacheStorage:
    """Scrapy HTTP cache storage in one SQLite file per spider (``HTTPCACHE_DIR/<spider>.sqlite``).

    Scrapy's filesystem storage writes seven files and a folder for every response; on a busy
    machine that was a third of a replayed crawl's time (bench/RESULTS.md). Here a response is one
    row (WAL, synchronous=NORMAL: no fsync per response), read back by the request fingerprint.
    Same contract as Scrapy's storages: HTTPCACHE_EXPIRATION_SECS (0: never expires), and the
    cached response carries its headers, status, final URL and body unchanged.

    The cache is disposable, and a broken one must not stop a source: a file SQLite cannot read
    (truncated, overwritten, not a database) is set aside beside it as
    ``<spider>.sqlite.unreadable-<UTC time>`` (kept, never deleted) and a new one started, with a
    warning (a file locked by another process is not broken: that error goes on); a response
    that cannot be stored (disk full, a file broken mid-crawl) is only not cached (a warning,
    stat ``httpcache/store_error``). Scrapy's middleware already treats an entry that cannot be
    read as a miss.
    """

    def __init__(self, settings):
        from scrapy.utils.project import data_path

        self.cachedir = Path(data_path(settings["HTTPCACHE_DIR"], createdir=True))
        self.expiration_secs = settings.getint("HTTPCACHE_EXPIRATION_SECS")
        self.conn = None
        self._store_errors = 0

    def open_spider(self, spider: Spider) -> None:
        import sqlite3

        self._fingerprinter = spider.crawler.request_fingerprinter
        path = self.cachedir / f"{spider.name}.sqlite"
        try:
            self.conn = self._connect(path)
        except sqlite3.DatabaseError as exc:
            # only a file SQLite finds broken; a locked one (another process) is not set aside
            if not str(getattr(exc, "sqlite_errorname", "")).startswith(("SQLITE_NOTADB", "SQLITE_CORRUPT")):
                raise
            aside = path.with_name(f"{path.name}.unreadable-{datetime.now(UTC).strftime('%Y%m%dT%H%M%SZ')}")
            for suffix in ("", "-wal", "-shm"):
                if Path(f"{path}{suffix}").exists():
                    os.replace(f"{path}{suffix}", f"{aside}{suffix}")
            logger.warning("%s: the HTTP cache %s could not be read (%s): set aside as %s, a new one started "
                           "(its pages are downloaded in full once)", spider.name, path, exc, aside.name)
            self._count(spider, "httpcache/reset")
            self.conn = self._connect(path)

    @staticmethod
    def _count(spider: Spider | None, key: str) -> None:
        stats = getattr(getattr(spider, "crawler", None), "stats", None)
        if stats is not None:
            stats.inc_value(key)

    @staticmethod
    def _connect(path: Path):
        import sqlite3

        conn = sqlite3.connect(path, timeout=30, isolation_level=None)
        try:
            conn.execute("pragma journal_mode = wal")
            conn.execute("pragma synchronous = normal")
            conn.execute("create table if not exists responses (fingerprint text primary key, stored real,"
                         " url text, status integer, headers text, body blob)")
            conn.execute("select count(*) from (select 1 from responses limit 1)").fetchone()
        except sqlite3.DatabaseError:
            conn.close()
            raise
        return conn

    def close_spider(self, spider: Spider) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def _key(self, request: Request) -> str:
        return self._fingerprinter.fingerprint(request).hex()

    def retrieve_response(self, spider: Spider, request: Request) -> Response | None:
        import time

        from scrapy.http import Headers

        row = self.conn.execute("select stored, url, status, headers, body from responses where fingerprint = ?",
                                [self._key(request)]).fetchone()
        if row is None:
            return None
        stored, url, status, headers, body = row
        if 0 < self.expiration_secs < time.time() - stored:
            return None
        request.meta["cache_timestamp"] = stored
        headers = Headers({k.encode("latin-1"): [v.encode("latin-1") for v in vs]
                           for k, vs in json.loads(headers).items()})
        cls = responsetypes.from_args(headers=headers, url=url, body=body)
        return cls(url=url, headers=headers, status=status, body=body, request=request)

    def store_response(self, spider: Spider, request: Request, response: Response) -> None:
        import sqlite3
        import time

        headers = {k.decode("latin-1"): [v.decode("latin-1") for v in vs] for k, vs in response.headers.items()}
        try:
            self.conn.execute("insert or replace into responses values (?, ?, ?, ?, ?, ?)",
                              [self._key(request), time.time(), response.url, response.status,
                               json.dumps(headers), response.body])
        except sqlite3.DatabaseError as exc:  # not cached: the next run downloads it in full
            self._store_errors += 1
            self._count(spider, "httpcache/store_error")
            if self._store_errors == 1:
                logger.warning("%s: a response could not be stored in the HTTP cache (%s); the crawl goes on "
                               "without caching it", getattr(spider, "name", "?"), exc)
