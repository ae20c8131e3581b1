"""The fault suite's tools: a programmable HTTP server on 127.0.0.1 and the real CLI in a subprocess.

Every fault test drives the real engine (`python -m tracker crawl …` in a subprocess, Scrapy's
downloader, our middlewares, spiders, pipelines and store) against a server the test starts,
or against a copy of the bundled replay files. Politeness waits are shrunk with Scrapy settings
(`crawl -s NAME=VALUE`) so the suite stays fast.
"""

from __future__ import annotations

import html
import json
import os
import re
import socket
import sqlite3
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
REGJERINGEN = "no_regjeringen_horinger"

#: fast but real: retries happen, backoff and Retry-After are honoured (scaled down)
FAST_SETTINGS = {
    "DOWNLOAD_DELAY": "0",
    "AUTOTHROTTLE_ENABLED": "0",  # its start delay (1.5 s) would apply despite DOWNLOAD_DELAY=0
    "RETRY_TIMES": "2",
    "RETRY_BACKOFF_BASE": "0.2",
    "RETRY_AFTER_MAX": "5",
    "DOWNLOAD_TIMEOUT": "2",
    "ROBOTSTXT_OBEY": "0",
    "CONTACT": "faults@example.org",
}


def set_args(settings: dict[str, str] | None = None) -> list[str]:
    """FAST_SETTINGS with `settings` on top, as `-s NAME=VALUE` arguments."""
    return [arg for name, value in {**FAST_SETTINGS, **(settings or {})}.items() for arg in ("-s", f"{name}={value}")]

Handler = Callable[[BaseHTTPRequestHandler], None]


class Site:
    """A local web site: path → handler; every request is logged with its time."""

    def __init__(self) -> None:
        self.routes: dict[str, Handler] = {}
        self.log: list[tuple[float, str]] = []
        self.stop = threading.Event()
        site = self

        class H(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # quiet
                pass

            def do_GET(self):  # noqa: N802 - http.server's name
                site.log.append((time.monotonic(), self.path))
                handler = site.routes.get(self.path.split("?")[0]) or site.routes.get("*")
                if handler is None:
                    send(self, 404, b"not found", "text/plain")
                    return
                handler(self)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), H)
        self.server.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def hits(self, path: str) -> list[float]:
        return [t for t, p in self.log if p.split("?")[0] == path]

    def close(self) -> None:
        self.stop.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def site():
    s = Site()
    yield s
    s.close()


# ---------------------------------------------------------------------------- responses


def send(h: BaseHTTPRequestHandler, status: int, body: bytes, ctype: str = "text/html; charset=utf-8",
         headers: dict[str, str] | None = None) -> None:
    h.send_response(status)
    h.send_header("Content-Type", ctype)
    h.send_header("Content-Length", str(len(body)))
    for key, value in (headers or {}).items():
        h.send_header(key, value)
    h.end_headers()
    h.wfile.write(body)


def static(body: bytes | str, status: int = 200, ctype: str = "text/html; charset=utf-8",
           headers: dict[str, str] | None = None) -> Handler:
    data = body.encode("utf-8") if isinstance(body, str) else body
    return lambda h: send(h, status, data, ctype, headers)


def reset(h: BaseHTTPRequestHandler) -> None:
    """Abort the connection with a TCP RST (SO_LINGER 0), before any byte of a response."""
    h.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    h.connection.close()
    h.close_connection = True


def never_ends(site: Site) -> Handler:
    """Headers and the start of a body, then nothing, until the test ends."""

    def handler(h: BaseHTTPRequestHandler) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "text/html; charset=utf-8")
        h.send_header("Content-Length", "100000")
        h.end_headers()
        h.wfile.write(b"<html><body><main>")
        h.wfile.flush()
        site.stop.wait(60)
        h.close_connection = True

    return handler


def sequence(*handlers: Handler) -> Handler:
    """The n-th request gets the n-th handler (the last one repeats)."""
    calls = [0]
    lock = threading.Lock()

    def handler(h: BaseHTTPRequestHandler) -> None:
        with lock:
            n = calls[0]
            calls[0] += 1
        handlers[min(n, len(handlers) - 1)](h)

    return handler


# ---------------------------------------------------------------------------- the regjeringen site


def regjeringen_feed(base: str, *, limit: int | None = None, titles: dict[int, str] | None = None) -> str:
    """The fixture RSS feed pointed at the local site (optionally the first `limit` items)."""
    feed = (FIXTURES / REGJERINGEN / "feed.xml").read_text("utf-8").replace("https://www.regjeringen.no", base)
    if limit is not None:
        head, *items = re.split(r"(?=<item>)", feed)
        tail = items[-1][items[-1].index("</item>") + len("</item>"):] if items else ""
        items = [i[: i.index("</item>") + len("</item>")] for i in items][:limit]
        feed = head + "".join(items) + tail
    return feed


def detail_paths(feed: str, base: str) -> list[str]:
    return sorted(set(re.findall(re.escape(base) + r"(/no/[^?<]+/)", feed)))


LISTING_PATH = "/no/dokument/hoyringar/id1763/"


def regjeringen_listing(feed: str, base: str) -> str:
    """The hearings listing (real structure) holding the feed's hearings, each with the CSDDD fixture
    page's deadline and status (every detail page of this site is that page: no disagreement)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("regjeringen_markup", ROOT / "data/replay/tools/regjeringen_markup.py")
    markup = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(markup)
    from datetime import date

    rows = []
    for title, link in re.findall(r"<item>\s*<title>([^<]+)</title>\s*<link>([^<]+)</link>", feed):
        rows.append(markup.listing_row(path=link.split("?")[0].replace(base, ""), title=html.unescape(title),
                                       published=date(2026, 11, 16), nynorsk=False, dep_name="Barne- og familiedepartementet",
                                       excerpt="", deadline=date(2026, 12, 11), status="På høring"))  # fmt: skip
    return markup.listing_page(rows, page=1, pages=1, total=len(rows))


def serve_regjeringen(site: Site, *, detail: Handler | None = None, feed_handler: Handler | None = None,
                      limit: int | None = None, listing: Handler | bool = True) -> str:
    """Feed at /feed.xml, every detail page answered by `detail` (default: the CSDDD fixture page),
    the hearings listing (the spider's second channel) at its real path unless `listing=False`
    (the whole site down but the feed) or a handler."""
    feed = regjeringen_feed(site.base, limit=limit)
    site.routes["/feed.xml"] = feed_handler or static(feed, ctype="application/rss+xml; charset=utf-8")
    page = (FIXTURES / REGJERINGEN / "detail_csddd.html").read_text("utf-8")
    for path in detail_paths(feed, site.base):
        site.routes[path] = detail or static(page)
    if listing is True:
        site.routes[LISTING_PATH] = static(regjeringen_listing(feed, site.base))
    elif listing:
        site.routes[LISTING_PATH] = listing
    return f"feed_url={site.base}/feed.xml"


# ---------------------------------------------------------------------------- the CLI and the store


def cli(*args: str, db: Path, env: dict[str, str] | None = None, timeout: float = 120,
        own_memory: bool = False) -> subprocess.CompletedProcess:
    """`python -m tracker *args` on `db`. With `own_memory`, started by a small shell that waits
    for it: on Linux a process's peak RSS (`ru_maxrss`, what Scrapy's `memusage/max` reads)
    starts from its parent's when it is forked from it directly — here a pytest worker holding
    hundreds of MB."""
    full_env = {**os.environ, "NCP_TRACKER_DB": str(db), **(env or {})}
    command = [sys.executable, "-m", "tracker", *args]
    if own_memory:
        command = ["/bin/sh", "-c", '"$@"; exit $?', "sh", *command]
    return subprocess.run(command, cwd=ROOT, env=full_env, capture_output=True, text=True, timeout=timeout)


def crawl(db: Path, *args: str, as_of: str = "2026-11-24T06:00:00+01:00", settings: dict[str, str] | None = None,
          timeout: float = 120, own_memory: bool = False) -> subprocess.CompletedProcess:
    return cli("crawl", "--as-of", as_of, "--no-progress", *set_args(settings), *args, db=db, timeout=timeout,
               own_memory=own_memory)


def query(db: Path, sql: str, params: tuple = ()) -> list[dict]:
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in conn.execute(sql, params)]
    finally:
        conn.close()


def health(db: Path) -> dict[str, dict]:
    """The latest health row per source, with its stats decoded."""
    rows = query(db, """select h.* from health h join (select source, max(run_id) r from health group by source) l
                        on l.source = h.source and l.r = h.run_id""")
    for row in rows:
        row["stats"] = json.loads(row["stats"] or "{}")
    return {r["source"]: r for r in rows}
