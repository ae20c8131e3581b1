"""Run one spider through the real Scrapy engine on a replay day and print what it yielded (JSON).

Used by `support.run_spider` in a subprocess (Scrapy's reactor starts once per process). Input: one
JSON argument {"spider", "replay_dir", "as_of", "args", "settings"}. Output on stdout: one JSON
object {"items", "notes", "listing", "stats", "requested", "finish_reason"}.
"""

from __future__ import annotations

import json
import sys
from typing import Any


def main(config: dict[str, Any]) -> dict[str, Any]:
    from itemadapter import ItemAdapter
    from scrapy import signals
    from scrapy.crawler import CrawlerProcess
    from scrapy.settings import Settings

    settings = Settings()
    settings.setmodule("crawlers.settings", priority="project")
    mws = dict(settings.getdict("DOWNLOADER_MIDDLEWARES"))
    mws["crawlers.middlewares.ReplayMiddleware"] = 950
    overrides = {
        "REPLAY_DIR": config["replay_dir"], "DOWNLOADER_MIDDLEWARES": mws, "HTTPCACHE_ENABLED": False,
        "DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False, "RETRY_BACKOFF_BASE": 0, "RETRY_AFTER_MAX": 0,
        "TRACKER_AS_OF": config["as_of"], "LOG_LEVEL": "ERROR", "ROBOTSTXT_OBEY": True,
        **config.get("settings", {}),
    }  # fmt: skip
    for key, value in overrides.items():
        settings.set(key, value, priority="cmdline")
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(config["spider"])
    out: dict[str, Any] = {"items": [], "requested": [], "finish_reason": None}

    def item_scraped(item, response, spider):
        data = dict(ItemAdapter(item).items())
        if "crawl_report" in data:  # crawlers.report's last item: what the spider saw besides items
            out["report"] = data
        else:
            out["items"].append(data)

    def reached(response, request, spider):
        if not request.url.startswith("data:"):  # crawlers.report's own request is not the site's
            out["requested"].append(request.url)

    def closed(spider, reason):
        out["finish_reason"] = reason
        out["notes"] = [list(n) for n in getattr(spider, "notes", [])]
        out["listing"] = getattr(spider, "listing", None)

    crawler.signals.connect(item_scraped, signal=signals.item_scraped)
    crawler.signals.connect(reached, signal=signals.response_received)
    crawler.signals.connect(closed, signal=signals.spider_closed)
    process.crawl(crawler, as_of=config["as_of"], **config.get("args", {}))
    process.start()
    out["stats"] = {k: v for k, v in crawler.stats.get_stats().items()
                    if isinstance(v, int | float | str) and not k.startswith(("start_time", "finish_time"))}
    return out


if __name__ == "__main__":
    result = main(json.loads(sys.argv[1]))
    sys.stdout.write(json.dumps(result, ensure_ascii=False, default=str))
