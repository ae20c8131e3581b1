"""`scrapy crawl X -O items.jsonl` + `ncp-tracker ingest` stores the same as `ncp-tracker crawl`:
the same items, change events and health; a file that is not such output is refused, storing nothing."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from support import ROOT

pytestmark = pytest.mark.slow

DAYS = ("2026-11-23", "2026-11-24")
SOURCE = "no_regjeringen_horinger"


def run(*args: str, db: Path | None = None, module: str = "tracker") -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "NCP_TRACKER_CONTACT"}
    if db is not None:
        env["NCP_TRACKER_DB"] = str(db)
    return subprocess.run([sys.executable, "-m", module, *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=300)


def scrapy_crawl(day: str, out: Path, source: str = SOURCE) -> Path:
    done = run("crawl", source, "-s", f"REPLAY_DIR={ROOT / 'data' / 'replay' / day}", "-s", "LOG_LEVEL=ERROR",
               "-a", f"as_of={day}T06:00:00+01:00", "-O", str(out), module="scrapy")
    assert done.returncode == 0, done.stderr[-2000:]
    return out


@pytest.fixture(scope="module")
def feeds(tmp_path_factory) -> dict[str, Path]:
    tmp = tmp_path_factory.mktemp("feeds")
    return {day: scrapy_crawl(day, tmp / f"{day}.jsonl") for day in DAYS}


def rows(db: Path, sql: str) -> list[tuple]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


EVENTS = "select item_id, kind, field, before, after, at from events order by item_id, kind, field, at"
HEALTH = ("select r.as_of, h.source, h.status, h.reason, h.channel, h.items_seen, h.items_new, h.items_changed, "
          "h.parse_errors from health h join runs r on r.id = h.run_id order by r.id")
ITEMS = "select id, title, deadline, status, owner, url, vanished_at from items order by id"


def test_ingest_gives_the_same_events_and_health_as_a_crawl(feeds, tmp_path):
    crawled, ingested = tmp_path / "crawled.db", tmp_path / "ingested.db"
    for day in DAYS:
        # no HTTP cache on either side: plain scrapy crawls have none
        done = run("crawl", "--replay", f"data/replay/{day}", "--source", SOURCE, "--no-progress", "--allow-red",
                   "-s", "HTTPCACHE_ENABLED=0", db=crawled)
        assert done.returncode == 0, done.stderr[-2000:]
        done = run("ingest", str(feeds[day]), "--source", SOURCE, db=ingested)
        assert done.returncode == 0, done.stderr[-2000:]
        assert "Kildenes helse" in done.stderr and SOURCE in done.stderr  # health printed like `crawl` does
    assert rows(ingested, ITEMS) == rows(crawled, ITEMS)
    events = rows(ingested, EVENTS)
    assert events == rows(crawled, EVENTS)
    kinds = {(e[0], e[1]) for e in events}
    assert {("regjeringen:3172240", "new"), ("regjeringen:3150100", "deadline_changed"),
            ("regjeringen:3152636", "vanished")} <= kinds  # the listing travels in the report
    health = rows(ingested, HEALTH)
    assert health == rows(crawled, HEALTH)
    assert [h[2] for h in health] == ["green", "amber"]
    modes = [m for (m,) in rows(ingested, "select mode from runs order by id")]
    assert all(m.startswith("ingest:") for m in modes)
    # like a crawl with its after-step done: both runs finished and completed
    assert rows(ingested, "select count(*) from runs where completed is null") == [(0,)]
    assert rows(crawled, "select count(*) from runs where completed is null") == [(0,)]


def _refused(path: Path, db_path: Path, source: str = SOURCE) -> str:
    """The IngestError message for `path` (in-process, the command's own function); nothing stored."""
    from tracker.jobs.ingest import IngestError, ingest_feed
    from tracker.store.db import open_db

    db = open_db(db_path)
    try:
        with pytest.raises(IngestError) as caught:
            ingest_feed(db, path, source=source)
        assert db.execute("select count(*) from runs").fetchone() == (0,)
        assert db.execute("select count(*) from items").fetchone() == (0,)
    finally:
        db.close()
    return str(caught.value)


def test_ingest_refuses_what_is_not_a_crawl_output(feeds, tmp_path):
    db = tmp_path / "t.db"
    good = feeds[DAYS[0]].read_text("utf-8").splitlines()
    cases: dict[str, tuple[str, str]] = {
        "empty": ("", "empty"),
        "blank": ("\n\n", "empty"),
        "array": (json.dumps([json.loads(line) for line in good]), "not a JSON object"),
        "garbage": ("<rss><channel/></rss>\n", "not JSON"),
        "cut short": ("\n".join(good[:-1]) + "\n", "no crawl report"),
        "foreign fields": (json.dumps({"name": "x", "price": 3}) + "\n" + good[-1] + "\n", "unknown fields"),
        "two crawls": ("\n".join(good + good) + "\n", "2 crawl reports"),
    }
    for name, (text, expected) in cases.items():
        path = tmp_path / f"{name.replace(' ', '_')}.jsonl"
        path.write_text(text, "utf-8")
        assert expected in _refused(path, db), name
    assert "no such file" in _refused(tmp_path / "missing.jsonl", db)
    # the right file, another source
    assert "not 'no_lovdata'" in _refused(feeds[DAYS[0]], db, source="no_lovdata")
    assert "unknown source" in _refused(feeds[DAYS[0]], db, source="no_such_spider")
    # the command says it and exits non-zero
    cut = tmp_path / "cut_short.jsonl"
    done = run("ingest", str(cut), "--source", SOURCE, db=tmp_path / "cli.db")
    assert done.returncode == 1 and "har ingen innhentingsrapport" in done.stderr
    assert not (tmp_path / "cli.db").exists()  # refused before any database was created


def test_plain_scrapy_live_crawl_without_contact_stops_before_any_request(tmp_path):
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    hits: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            hits.append(self.path)
            self.send_response(404)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        feed = f"http://127.0.0.1:{server.server_address[1]}/feed.xml"
        done = run("crawl", SOURCE, "-a", f"feed_url={feed}", "-O", str(tmp_path / "x.jsonl"), module="scrapy")
        assert done.returncode != 0
        assert "no contact address" in done.stderr and "-s CONTACT=" in done.stderr
        tracker = run("crawl", "--source", SOURCE, "--arg", f"feed_url={feed}", "--no-progress", db=tmp_path / "t.db")
        assert tracker.returncode != 0 and "feil: ingen kontaktadresse til innhenterens User-Agent" in tracker.stderr
        assert hits == []
    finally:
        server.shutdown()


def test_malformed_set_pair_is_a_usage_error(tmp_path):
    done = run("crawl", "--replay", f"data/replay/{DAYS[0]}", "--source", SOURCE, "-s", "NOEQUALS", db=tmp_path / "t.db")
    assert done.returncode == 2 and "feil: ugyldig verdi for -s/--set: skal være NAVN=VERDI, ikke 'NOEQUALS'" in done.stderr
    assert not (tmp_path / "t.db").exists() or rows(tmp_path / "t.db", "select count(*) from runs") == [(0,)]


def test_replay_middleware_is_always_listed_and_off_without_replay_dir():
    from scrapy.exceptions import NotConfigured
    from scrapy.utils.test import get_crawler

    from crawlers.middlewares import ReplayMiddleware
    from tracker.jobs.crawl import base_settings

    assert base_settings().getdict("DOWNLOADER_MIDDLEWARES")["crawlers.middlewares.ReplayMiddleware"] == 950
    with pytest.raises(NotConfigured):
        ReplayMiddleware.from_crawler(get_crawler(settings_dict={"REPLAY_DIR": None}))
