"""A crawl killed with SIGKILL, a 50 MB answer and an XML entity-expansion bomb — real engine,
server on 127.0.0.1."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from .conftest import (
    FIXTURES,
    LISTING_PATH,
    REGJERINGEN,
    ROOT,
    crawl,
    health,
    query,
    regjeringen_feed,
    regjeringen_listing,
    send,
    serve_regjeringen,
    set_args,
)

pytestmark = pytest.mark.slow


def _slow(page: bytes, seconds: float):
    def handler(h):
        time.sleep(seconds)
        send(h, 200, page)

    return handler


def test_sigkill_mid_crawl_leaves_a_consistent_store_and_the_next_run_completes(site, tmp_path):
    page = (FIXTURES / REGJERINGEN / "detail_csddd.html").read_bytes()
    arg = serve_regjeringen(site)
    db = tmp_path / "t.db"
    # a first, complete run: the store holds 5 hearings
    assert crawl(db, "--source", REGJERINGEN, "--arg", arg, as_of="2026-11-23T06:00:00+01:00").returncode == 0
    before = query(db, "select * from items order by id")
    events_before = query(db, "select count(*) n from events")[0]["n"]
    # the next morning the detail pages are slow; the process is killed while they load. The
    # hearings listing (the spider's cross-check) shows the new deadline from that morning on
    listing = regjeringen_listing(regjeringen_feed(site.base), site.base).replace("11.12.2026", "18.12.2026")
    site.routes[LISTING_PATH] = _slow(listing.encode(), 0)
    for path in [p for p in site.routes if "/id" in p and p != LISTING_PATH]:
        site.routes[path] = _slow(page.replace(b"11.12.2026", b"18.12.2026"), 0.5)
    env = {**os.environ, "NCP_TRACKER_DB": str(db)}
    proc = subprocess.Popen([sys.executable, "-m", "tracker", "crawl", "--as-of", "2026-11-24T06:00:00+01:00",
                             "--no-progress", *set_args(), "--source", REGJERINGEN, "--arg", arg], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while len([p for _, p in site.log if "/id" in p and p != LISTING_PATH]) <= 5 and time.monotonic() < deadline:
        time.sleep(0.05)  # wait until the second run is fetching detail pages
    proc.send_signal(signal.SIGKILL)
    assert proc.wait(timeout=30) == -signal.SIGKILL
    assert query(db, "pragma integrity_check") == [{"integrity_check": "ok"}]
    assert query(db, "select * from items order by id") == before  # nothing half-written
    assert query(db, "select count(*) n from events")[0]["n"] == events_before
    unfinished = query(db, "select * from runs where finished is null")
    assert len(unfinished) == 1  # the killed run is visible as unfinished
    # the next run completes and records what changed
    for path in [p for p in site.routes if "/id" in p and p != LISTING_PATH]:
        site.routes[path] = _slow(page.replace(b"11.12.2026", b"18.12.2026"), 0)
    again = crawl(db, "--source", REGJERINGEN, "--arg", arg, as_of="2026-11-24T06:00:00+01:00")
    assert again.returncode == 0, again.stderr[-2000:]
    assert query(db, "pragma integrity_check") == [{"integrity_check": "ok"}]
    after = query(db, "select * from items order by id")
    assert [r["id"] for r in after] == [r["id"] for r in before]
    assert all(r["deadline"] == "2026-12-18T23:59:59+01:00" for r in after), (after, again.stderr[-3000:])
    moved = query(db, "select count(*) n from events where kind = 'deadline_changed'")[0]["n"]
    assert moved == 5
    assert health(db)[REGJERINGEN]["status"] == "green"


def _huge(size: int):
    chunk = b"<!-- padding -->" * 4096

    def handler(h):
        h.send_response(200)
        h.send_header("Content-Type", "application/rss+xml")
        h.send_header("Content-Length", str(size))
        h.end_headers()
        sent = 0
        try:
            while sent < size:
                h.wfile.write(chunk[: size - sent])
                sent += len(chunk)
        except OSError:  # the client hung up: exactly what should happen
            pass

    return handler


def test_a_50_mb_feed_is_refused_with_a_clear_error(site, tmp_path):
    # the whole site answers 50 MB (else the hearings listing, the second channel, takes over)
    arg = serve_regjeringen(site, feed_handler=_huge(50 * 1024 * 1024), listing=False)
    db = tmp_path / "t.db"
    t0 = time.monotonic()
    out = crawl(db, "--source", REGJERINGEN, "--arg", arg)
    assert time.monotonic() - t0 < 60
    assert out.returncode == 2
    assert "larger than download max size" in out.stderr  # the log says why
    h = health(db)[REGJERINGEN]
    assert h["status"] == "red"
    assert "larger than download max size" in h["reason"], h["reason"]
    assert h["stats"].get("downloader/response_status_count/200", 0) == 0  # (the listing answered 404)


BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE rss [
<!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
<!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
<!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
<!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">
<!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;">
<!ENTITY h "&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;">
]>
<rss version="2.0"><channel><title>Hearings</title>
<item><title>Bomb &h;</title><link>BASE/no/dokumenter/bomb/id3100001/</link><guid>3100001</guid>
<description>&h;</description><pubDate>Mon, 23 Nov 2026 09:00:00 +0100</pubDate></item>
</channel></rss>"""


def test_an_entity_expansion_bomb_is_not_expanded(site, tmp_path):
    """feedparser's strict (expat) pass stops at the undefined-looking entity and its lenient pass
    never expands DTD entities; the feed is reported as not well-formed, memory stays flat."""
    body = BOMB.replace(b"BASE", site.base.encode())
    arg = serve_regjeringen(site, feed_handler=lambda h: send(h, 200, body, "application/rss+xml"))
    site.routes["/no/dokumenter/bomb/id3100001/"] = lambda h: send(
        h, 200, (FIXTURES / REGJERINGEN / "detail_csddd.html").read_bytes())
    db = tmp_path / "t.db"
    t0 = time.monotonic()
    out = crawl(db, "--source", REGJERINGEN, "--arg", arg, own_memory=True)  # memusage/max is the crawl's
    assert time.monotonic() - t0 < 60
    h = health(db)[REGJERINGEN]
    assert h["status"] in ("amber", "red")
    assert "not well-formed" in h["reason"] or "unreadable" in h["reason"], h["reason"]
    assert h["stats"]["memusage/max"] < 400 * 1024 * 1024
    for item in query(db, "select title, summary, body from items"):
        assert sum(len(item[k] or "") for k in ("title", "summary", "body")) < 100_000  # 24^7 × 72 if expanded
    assert out.returncode in (0, 2)
