"""Scrapy settings: plain, polite defaults. Nothing here reads the environment.

`scrapy crawl <name>` from the repository root uses these as they are; change any of them with
`-s NAME=VALUE`, as with every Scrapy project:

    scrapy crawl no_regjeringen_horinger -s CONTACT=you@example.org -O items.jsonl
    scrapy crawl no_regjeringen_horinger -s REPLAY_DIR=data/replay/2026-11-24 -O items.jsonl

A live crawl needs a contact address for the User-Agent (`-s CONTACT=…`); without one it stops
before its first request. A replayed crawl (`-s REPLAY_DIR=<recorded day>`) needs none and touches
no network. `ncp-tracker` passes its configuration (`[crawl]` in ncp-tracker.toml, see
tracker/config.py) and its own `-s NAME=VALUE` pairs on top of these, and adds its store pipeline.
"""

BOT_NAME = "ncp_tracker"
SPIDER_MODULES = ["crawlers.spiders"]
NEWSPIDER_MODULE = "crawlers.spiders"

#: who to write to about this crawler; required for live crawls (crawlers.middlewares.ContactUserAgentMiddleware)
CONTACT = ""
#: the User-Agent; `{contact}` is replaced by CONTACT
USER_AGENT = "ncp-tracker/0.1 (monitoring public consultations; contact {contact})"

ROBOTSTXT_OBEY = True
# Protego (Scrapy's default, named here on purpose): Google's matching rules, case-sensitive paths —
# regjeringen.no's `Disallow: /*/?documenttype` does not forbid the RSS generator's `?documentType=`
# (tests/test_no_regjeringen_horinger.py checks both against the real robots.txt)
ROBOTSTXT_PARSER = "scrapy.robotstxt.ProtegoRobotParser"
# Scrapy 2.19 otherwise opens a remote-control port
REMOTE_CONTROL_ENABLED = False
TELNETCONSOLE_ENABLED = False

CONCURRENT_REQUESTS = 8
# Scrapy starts this many asyncio worker tasks for *every* response's callback output; our item
# pipelines are synchronous, so the default 100 only costs time (38,000 tasks in one replay of the
# bundled days, ~10 % of the crawl: bench/RESULTS.md). 4 keeps requests and items flowing.
CONCURRENT_ITEMS = 4
# Scrapy otherwise reads the source of every generator callback (inspect + tokenize, again for
# each new spider instance) to warn about `return value` in a generator: ~6 % of a replayed crawl.
# tests/test_scrapy_project.py makes that check once, for every spider's callbacks.
WARN_ON_GENERATOR_RETURN_VALUE = False
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 1.5
DOWNLOAD_TIMEOUT = 30
# a 50 MB answer from a consultation site is an error, not data
DOWNLOAD_MAXSIZE = 20 * 1024 * 1024
DOWNLOAD_WARNSIZE = 5 * 1024 * 1024

AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = DOWNLOAD_DELAY
AUTOTHROTTLE_MAX_DELAY = 60.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0

# a spider still running after this many seconds is closed (finish reason closespider_timeout → red)
CLOSESPIDER_TIMEOUT = 1800

RETRY_ENABLED = True
RETRY_TIMES = 3
# backoff before retry n is RETRY_BACKOFF_BASE * 2**n seconds; a Retry-After is honoured up to RETRY_AFTER_MAX
# (a replayed crawl never waits)
RETRY_BACKOFF_BASE = 2.0
RETRY_AFTER_MAX = 120.0
# 403 is not retried: a Cloudflare challenge does not go away by asking again
RETRY_HTTP_CODES = [429, 500, 502, 503, 504, 522, 524, 408]

#: a recorded day (data/replay/<day>) to answer every request from, offline; unset: live
REPLAY_DIR = None
#: save every response the spiders see into this folder, in the replay format (`ncp-tracker record`)
RECORD_DIR = None

DOWNLOADER_MIDDLEWARES = {
    # the User-Agent with CONTACT; a live crawl without a contact stops here, before any request
    "scrapy.downloadermiddlewares.useragent.UserAgentMiddleware": None,
    "crawlers.middlewares.ContactUserAgentMiddleware": 500,
    # honours Retry-After and backs off exponentially on 429/5xx (replaces the stock RetryMiddleware)
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "crawlers.middlewares.BackoffRetryMiddleware": 550,
    # reads every HTML page and JSON/XML answer (feeds, exports, SPARQL) in its declared encoding strictly
    # (windows-1252 bytes in a "UTF-8" one, and UTF-8 bytes in a "Latin-1" one, are amber, undecodable
    # bytes red); below the record
    # middleware, which keeps the bytes as they came
    "crawlers.middlewares.DeclaredEncodingMiddleware": 870,
    # above the HTTP cache (900): records what the spider sees, cached or not (needs RECORD_DIR)
    "crawlers.middlewares.RecordMiddleware": 880,
    # between the HTTP cache (900) and the replay (950): stamps what the cache stores
    "crawlers.middlewares.FetchClockMiddleware": 920,
    # next to the downloader: answers from REPLAY_DIR (does nothing when it is unset)
    "crawlers.middlewares.ReplayMiddleware": 950,
}
# let spiders see 403/404/429/5xx answers so a blocked page is reported, not silently dropped
HTTPERROR_ALLOW_ALL = True

ITEM_PIPELINES = {
    "crawlers.pipelines.CleanItemPipeline": 100,
}

EXTENSIONS = {
    # the last item of every finished crawl: notes, listing and stats (what `ncp-tracker ingest` reads)
    "crawlers.report.CrawlReportExtension": 500,
}

# Conditional requests for feeds and listings (off for plain `scrapy crawl`; the tracker turns it on,
# `[crawl] httpcache`): the cache stores ETag/Last-Modified and, because the spiders send
# `Cache-Control: max-age=0` on those requests, the RFC 2616 policy revalidates them
# (If-None-Match / If-Modified-Since) instead of trusting a stale copy.
HTTPCACHE_ENABLED = False
HTTPCACHE_POLICY = "crawlers.middlewares.TrackerCachePolicy"
# one SQLite file per spider instead of Scrapy's seven files and a folder per response
HTTPCACHE_STORAGE = "crawlers.middlewares.SqliteCacheStorage"
# pages without ETag/Last-Modified are fetched again at most this often (see TrackerCachePolicy)
MIN_REFETCH_HOURS = 12.0
HTTPCACHE_DIR = "httpcache"
HTTPCACHE_IGNORE_HTTP_CODES = [403, 404, 429, 500, 502, 503, 504]

# the regjeringen.no hearings listing (second channel): never read more pages than this in one run
REGJERINGEN_LISTING_MAX_PAGES = 5

FEED_EXPORT_ENCODING = "utf-8"
LOG_LEVEL = "WARNING"
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
