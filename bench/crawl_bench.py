"""Replay crawl throughput: our spiders + pipelines + store vs. a bare Scrapy spider.

Each measurement runs in its own process (Scrapy's reactor starts once per process) and prints
one JSON line ``{"pages": N, "seconds": S}``:

``python bench/crawl_bench.py ours REPLAY_ROOT WORKDIR``
    `tracker.jobs.crawl.run_plan` over every recorded day under REPLAY_ROOT, in order, into a fresh
    database and HTTP cache in WORKDIR: our spiders, item pipelines, change tracking, health —
    exactly what `ncp-tracker crawl --replay` does (no tagging, no digest).

``python bench/crawl_bench.py bare REPLAY_ROOT WORKDIR``
    The baseline: per day and source, one bare spider (same name, crawlers/settings.py, the same
    ReplayMiddleware; no item pipelines, and no HTTP cache: crawlers/settings.py leaves it off and
    only the tracker's configuration turns it on, so the conditional-request cache counts as our
    crawl's work) that requests every recorded URL of that source and does nothing with the
    response. Sources of a day crawl concurrently, days in order — the same shape as `run_plan`.

``python bench/crawl_bench.py spiders REPLAY_ROOT WORKDIR``
    Where our crawl's time goes beyond the bare spider's: our own spiders, in the same shape as
    ``bare`` (per day and source, same settings and ReplayMiddleware, no item pipelines, no HTTP
    cache, no store), each day as a first crawl (no known items: every detail page is read), so
    they read the same recorded pages as the bare spider and parse them into items, nothing more.

``python bench/crawl_bench.py cached REPLAY_ROOT WORKDIR``
    ``spiders`` with the HTTP cache of conditional requests on (a fresh cache in WORKDIR, as for
    ``ours``).

Pages are the downloader's responses (`downloader/response_count`), seconds the wall time of
the crawl itself (Python and Scrapy imports excluded from both).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def warm_up() -> None:
    """Import what a crawl imports on first use — every spider module and the configured
    middlewares, pipelines and extensions — so that neither side's timing holds one-off imports
    (a daily run pays them once per process, not per page)."""
    from scrapy.spiderloader import SpiderLoader
    from scrapy.utils.misc import load_object

    from tracker.jobs.crawl import base_settings

    settings = base_settings()
    loader = SpiderLoader.from_settings(settings)
    for name in loader.list():
        loader.load(name)
    for key in ("ITEM_PIPELINES", "DOWNLOADER_MIDDLEWARES", "SPIDER_MIDDLEWARES", "EXTENSIONS",
                "DOWNLOADER_MIDDLEWARES_BASE", "SPIDER_MIDDLEWARES_BASE", "EXTENSIONS_BASE"):
        for path in settings.getdict(key):
            load_object(path)
    # the download handlers and the TLS context factory (their modules build deprecated aliases
    # with inspect.stack() on import: ~0.1 s, once per process)
    for path in {**settings.getdict("DOWNLOAD_HANDLERS_BASE"), **settings.getdict("DOWNLOAD_HANDLERS")}.values():
        if path:
            load_object(path)
    import scrapy.core.downloader.contextfactory  # noqa: F401
    import scrapy.core.downloader.tls  # noqa: F401


def ours(root: str, workdir: str) -> dict:
    from tracker.cli.pipeline import _plan
    from tracker.jobs.crawl import run_plan
    from tracker.store.db import open_db

    plan = _plan(root, None, (), None)
    warm_up()
    open_db(Path(workdir) / "ours.db").close()  # the schema: a daily run's store has it already
    t0 = time.perf_counter()
    results = run_plan(Path(workdir) / "ours.db", plan, progress=False, cache_dir=str(Path(workdir) / "cache-ours"))
    seconds = time.perf_counter() - t0
    pages = sum(h["responses"] for r in results for h in r.health)
    items = sum(h["items_seen"] for r in results for h in r.health)
    return {"pages": pages, "seconds": seconds, "items": items, "days": len(plan)}


def _each_step(root: str, workdir: str, mode: str) -> dict:
    """Crawl every recorded day under `root`, in order, one crawler per source and day, the sources
    of a day concurrently (the shape of `run_plan`): the bare spider, or ours (`spiders`, `cached`)
    without item pipelines and store."""
    import scrapy
    from scrapy.crawler import Crawler, CrawlerProcess
    from scrapy.spiderloader import SpiderLoader
    from scrapy.utils.reactor import install_reactor
    from twisted.internet import defer

    from tracker.cli.pipeline import _plan
    from tracker.jobs.crawl import base_settings, step_settings

    plan = _plan(root, None, (), None)
    warm_up()
    base = base_settings()
    base.set("ITEM_PIPELINES", {}, priority="cmdline")
    if mode == "cached":
        base.set("HTTPCACHE_ENABLED", True, priority="cmdline")
    install_reactor(base["TWISTED_REACTOR"] or "twisted.internet.asyncioreactor.AsyncioSelectorReactor")
    process = CrawlerProcess(base)
    loader = SpiderLoader.from_settings(base)
    crawlers: list = []
    cache = str(Path(workdir) / f"cache-{mode}")

    def spider_for(source: str, urls: list[str]):
        class Bare(scrapy.Spider):
            name = source

            async def start(self):
                for url in urls:
                    yield scrapy.Request(url, callback=self.parse, dont_filter=True)

            def parse(self, response, **kwargs):
                return None

        return Bare

    @defer.inlineCallbacks
    def go():
        from twisted.internet import reactor

        try:
            for step in plan:
                runs = []
                for source in step.sources:
                    if mode == "bare":
                        manifest = json.loads((Path(step.replay_dir) / source / "manifest.json").read_text("utf-8"))
                        urls = [e["url"] for e in manifest["responses"] if e.get("method", "GET") == "GET"]
                        crawler = Crawler(spider_for(source, urls), step_settings(base, step, cache))
                        runs.append(process.crawl(crawler))
                    else:
                        crawler = Crawler(step.spider_classes.get(source) or loader.load(source),
                                          step_settings(base, step, cache))
                        runs.append(process.crawl(crawler, as_of=step.as_of.isoformat(), known={},
                                                  **step.spider_args))
                    crawlers.append(crawler)
                yield defer.DeferredList(runs, consumeErrors=True)
        finally:
            reactor.stop()

    from twisted.internet import reactor

    t0 = time.perf_counter()
    reactor.callWhenRunning(go)
    process.start(stop_after_crawl=False)
    seconds = time.perf_counter() - t0
    pages = sum(int(c.stats.get_value("downloader/response_count", 0)) for c in crawlers)
    out = {"pages": pages, "seconds": seconds, "days": len(plan)}
    if mode != "bare":
        out["items"] = sum(int(c.stats.get_value("item_scraped_count", 0)) for c in crawlers)
    return out


def main() -> int:
    mode, root, workdir = sys.argv[1:4]
    Path(workdir).mkdir(parents=True, exist_ok=True)
    if mode not in ("ours", "bare", "spiders", "cached"):
        raise SystemExit(f"unknown mode {mode!r}: ours, bare, spiders or cached")
    out = ours(root, workdir) if mode == "ours" else _each_step(root, workdir, mode)
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
