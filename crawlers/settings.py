"""Scrapy settings: polite by default, every knob overridable from the environment.

`scrapy crawl <name>` from the repository root uses these as they are (items go
wherever `-O` says). `ncp-tracker run` adds the store pipeline, the health
extension and, for offline days, the replay middleware on top.
"""

import os

BOT_NAME = "ncp_tracker"
SPIDER_MODULES = ["crawlers.spiders"]
NEWSPIDER_MODULE = "crawlers.spiders"

CONTACT = os.getenv("NCP_TRACKER_CONTACT", "postmottak@ansvarlignaringsliv.no")
USER_AGENT = os.getenv(
    "NCP_TRACKER_USER_AGENT",
    f"ncp-tracker/0.1 (+https://www.responsiblebusiness.no; monitoring public consultations; contact {CONTACT})",
)

ROBOTSTXT_OBEY = os.getenv("NCP_TRACKER_ROBOTSTXT_OBEY", "1") != "0"
# Protego (Scrapy's default, named here on purpose): Google's matching rules, case-sensitive paths —
# regjeringen.no's `Disallow: /*/?documenttype` does not forbid the RSS generator's `?documentType=`
# (tests/test_no_regjeringen_horinger.py checks both against the real robots.txt)
ROBOTSTXT_PARSER = "scrapy.robotstxt.ProtegoRobotParser"
# Scrapy 2.19 otherwise opens a remote-control port
REMOTE_CONTROL_ENABLED = False
TELNETCONSOLE_ENABLED = False

CONCURRENT_REQUESTS = 8
CONCURRENT_REQUESTS_PER_DOMAIN = int(os.getenv("NCP_TRACKER_CONCURRENCY", "2"))
DOWNLOAD_DELAY = float(os.getenv("NCP_TRACKER_DOWNLOAD_DELAY", "1.5"))
DOWNLOAD_TIMEOUT = int(os.getenv("NCP_TRACKER_DOWNLOAD_TIMEOUT", "30"))
# a 50 MB answer from a consultation site is an error, not data
DOWNLOAD_MAXSIZE = int(os.getenv("NCP_TRACKER_DOWNLOAD_MAXSIZE", str(20 * 1024 * 1024)))
DOWNLOAD_WARNSIZE = 5 * 1024 * 1024

AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = DOWNLOAD_DELAY
AUTOTHROTTLE_MAX_DELAY = float(os.getenv("NCP_TRACKER_AUTOTHROTTLE_MAX_DELAY", "60"))
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0

# a spider still running after this many seconds is closed (finish reason closespider_timeout → red)
CLOSESPIDER_TIMEOUT = int(os.getenv("NCP_TRACKER_SPIDER_TIMEOUT", "1800"))

RETRY_ENABLED = True
RETRY_TIMES = int(os.getenv("NCP_TRACKER_RETRY_TIMES", "3"))
# backoff before retry n is RETRY_BACKOFF_BASE * 2**n seconds; a Retry-After is honoured up to RETRY_AFTER_MAX
RETRY_BACKOFF_BASE = float(os.getenv("NCP_TRACKER_RETRY_BACKOFF_BASE", "2"))
RETRY_AFTER_MAX = float(os.getenv("NCP_TRACKER_RETRY_AFTER_MAX", "120"))
# 403 is not retried: a Cloudflare challenge does not go away by asking again
RETRY_HTTP_CODES = [429, 500, 502, 503, 504, 522, 524, 408]

DOWNLOADER_MIDDLEWARES = {
    # honours Retry-After and backs off exponentially on 429/5xx (replaces the stock RetryMiddleware)
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "crawlers.middlewares.BackoffRetryMiddleware": 550,
    # between the HTTP cache (900) and the replay (950): stamps what the cache stores
    "crawlers.middlewares.FetchClockMiddleware": 920,
}
# let spiders see 403/404/429/5xx answers so a blocked page is reported, not silently dropped
HTTPERROR_ALLOW_ALL = True

ITEM_PIPELINES = {
    "crawlers.pipelines.CleanItemPipeline": 100,
}

# Conditional requests for feeds and listings: the cache stores ETag/Last-Modified and,
# because the spiders send `Cache-Control: max-age=0` on those requests, the RFC 2616 policy
# revalidates them (If-None-Match / If-Modified-Since) instead of trusting a stale copy.
HTTPCACHE_ENABLED = os.getenv("NCP_TRACKER_HTTPCACHE", "1") != "0"
HTTPCACHE_POLICY = "crawlers.middlewares.TrackerCachePolicy"
# pages without ETag/Last-Modified are fetched again at most this often (see TrackerCachePolicy)
MIN_REFETCH_HOURS = float(os.getenv("NCP_TRACKER_MIN_REFETCH_HOURS", "12"))
HTTPCACHE_DIR = os.getenv("NCP_TRACKER_HTTPCACHE_DIR", os.path.abspath("data/httpcache"))
HTTPCACHE_IGNORE_HTTP_CODES = [403, 404, 429, 500, 502, 503, 504]

# the regjeringen.no hearings listing (second channel): never read more pages than this in one run
REGJERINGEN_LISTING_MAX_PAGES = 5

FEED_EXPORT_ENCODING = "utf-8"
LOG_LEVEL = os.getenv("NCP_TRACKER_LOG_LEVEL", "WARNING")
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"

# `NCP_TRACKER_REPLAY_DIR=data/replay/2026-11-24 scrapy crawl no_regjeringen_horinger -O out.jsonl`
# replays a recorded day with plain Scrapy, offline (`ncp-tracker run --replay` sets the same).
REPLAY_DIR = os.getenv("NCP_TRACKER_REPLAY_DIR") or None
if REPLAY_DIR:
    DOWNLOADER_MIDDLEWARES["crawlers.middlewares.ReplayMiddleware"] = 950
    DOWNLOAD_DELAY = 0
    AUTOTHROTTLE_ENABLED = False
    HTTPCACHE_ENABLED = False
