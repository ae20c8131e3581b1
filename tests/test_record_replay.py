"""`record` against a live HTTP server on 127.0.0.1, then `crawl --replay` of what it saved:
the same spider, through the real Scrapy engine, gives the same items both ways — also when the
HTTP cache is warm (the recorder sits above the cache and records what the spider sees)."""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
import sys
import threading
from datetime import datetime
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from support import FIXTURES, ROOT

pytestmark = pytest.mark.slow


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep test output clean
        pass


@pytest.fixture
def site(tmp_path):
    root = tmp_path / "site"
    root.mkdir()
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(QuietHandler, directory=str(root)))
    base = f"http://127.0.0.1:{server.server_address[1]}"
    feed = (FIXTURES / "no_regjeringen_horinger" / "feed.xml").read_text("utf-8")
    feed = feed.replace("https://www.regjeringen.no", base)
    (root / "feed.xml").write_text(feed, "utf-8")
    detail = (FIXTURES / "no_regjeringen_horinger" / "detail_csddd.html").read_text("utf-8")
    import re

    for path in re.findall(re.escape(base) + r"(/no/[^?<]+/)", feed):
        target = root / path.strip("/") / "index.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(detail, "utf-8")
    # the hearings listing (the spider's second channel), as the real site has it
    from tests.faults.conftest import LISTING_PATH, regjeringen_listing

    listing = root / LISTING_PATH.strip("/") / "index.html"
    listing.parent.mkdir(parents=True, exist_ok=True)
    listing.write_text(regjeringen_listing(feed, base), "utf-8")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield base
    server.shutdown()


#: live crawls of the local site: no politeness wait, a contact for the User-Agent
LIVE = ("-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=0", "-s", "CONTACT=tests@example.org")


def cli(*args: str, db: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "NCP_TRACKER_DB": str(db)}
    env.pop("NCP_TRACKER_CONTACT", None)
    return subprocess.run([sys.executable, "-m", "tracker", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=240)


def items(db: Path) -> list[dict]:
    out = cli("items", "--format", "jsonl", db=db)
    assert out.returncode == 0, out.stderr
    rows = [json.loads(line) for line in out.stdout.splitlines()]
    return sorted(({k: r[k] for k in ("id", "title", "deadline", "status", "owner", "url")} for r in rows),
                  key=lambda r: r["id"])


def test_record_then_replay_gives_the_same_items(site, tmp_path):
    records = tmp_path / "records"
    feed_arg = f"feed_url={site}/feed.xml"
    live = cli("record", str(records), "--source", "no_regjeringen_horinger", "--arg", feed_arg,
               "--no-progress", *LIVE, db=tmp_path / "live.db")
    assert live.returncode == 0, live.stderr
    (day,) = [p for p in records.iterdir() if p.is_dir()]
    manifest = json.loads((day / "no_regjeringen_horinger" / "manifest.json").read_text("utf-8"))
    assert manifest["constructed"] is False
    assert len(manifest["responses"]) >= 6  # feed + 5 detail pages (+ robots.txt)
    replay = cli("crawl", "--replay", str(day), "--source", "no_regjeringen_horinger", "--arg", feed_arg,
                 "--no-progress", db=tmp_path / "replay.db")
    assert replay.returncode == 0, replay.stderr
    live_items, replayed = items(tmp_path / "live.db"), items(tmp_path / "replay.db")
    assert len(live_items) == 5
    # the day is replayed at the hour it was recorded (its day.json), not at 06:00 of its date: a
    # day recorded before six replayed at an hour still to come, and its health did not count
    (recorded_at,) = runs(tmp_path / "live.db")
    assert datetime.fromisoformat(json.loads((day / "day.json").read_text("utf-8"))["as_of"]) == recorded_at
    assert runs(tmp_path / "replay.db") == [recorded_at]
    assert live_items == replayed
    assert {i["deadline"] for i in replayed} == {"2026-12-11T23:59:59+01:00"}, replayed


def runs(db: Path) -> list[datetime]:
    """The clock of each run in `db`."""
    with sqlite3.connect(db) as conn:
        return [datetime.fromisoformat(as_of) for (as_of,) in conn.execute("select as_of from runs order by id")]


def health(db: Path) -> dict[str, dict]:
    out = cli("health", "--format", "jsonl", db=db)
    return {h["source"]: h for h in map(json.loads, out.stdout.splitlines())}


def test_record_with_a_warm_cache_is_complete(site, tmp_path):
    """A crawl warms the HTTP cache (the site sends Last-Modified, so the next crawl gets 304s);
    `record` into the same database must still save every page with its body."""
    db = tmp_path / "live.db"
    feed_arg = f"feed_url={site}/feed.xml"
    first = cli("crawl", "--source", "no_regjeringen_horinger", "--arg", feed_arg, "--no-progress", *LIVE, db=db)
    assert first.returncode == 0, first.stderr
    records = tmp_path / "records"
    again = cli("record", str(records), "--source", "no_regjeringen_horinger", "--arg", feed_arg,
                "--no-progress", *LIVE, db=db)
    assert again.returncode == 0, again.stderr
    stats = json.loads(health(db)["no_regjeringen_horinger"]["stats"])
    assert stats.get("httpcache/revalidate", 0) + stats.get("httpcache/hit", 0) >= 6, stats  # the cache answered
    (day,) = [p for p in records.iterdir() if p.is_dir()]
    manifest = json.loads((day / "no_regjeringen_horinger" / "manifest.json").read_text("utf-8"))
    assert all(e["status"] == 200 for e in manifest["responses"] if "feed" in e["url"] or "/no/" in e["url"])
    assert all((day / "no_regjeringen_horinger" / e["file"]).stat().st_size > 0 for e in manifest["responses"]
               if e["status"] == 200)
    replay = cli("crawl", "--replay", str(day), "--source", "no_regjeringen_horinger", "--arg", feed_arg,
                 "--no-progress", db=tmp_path / "replay.db")
    assert replay.returncode == 0, replay.stderr
    replayed = health(tmp_path / "replay.db")["no_regjeringen_horinger"]
    assert replayed["status"] == "green", replayed
    assert "not in the recording" not in replayed["reason"]
    assert items(tmp_path / "replay.db") == items(db)
    assert len(items(db)) == 5


def test_a_manifest_that_cannot_be_written_fails_the_recording(site, tmp_path):
    """The manifest is written when the spider closes, where Scrapy only logs an error: `record`
    used to print the day's folder and exit 0 with a day that could not be replayed. Here its
    path is taken by a folder (as a full disk or a permission would refuse it)."""
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    records = tmp_path / "records"
    today = datetime.now(ZoneInfo("Europe/Oslo")).date()
    for day in (today, today + timedelta(days=1)):  # the run may start after midnight
        (records / day.isoformat() / "no_regjeringen_horinger" / "manifest.json").mkdir(parents=True)
    out = cli("record", str(records), "--source", "no_regjeringen_horinger", "--arg", f"feed_url={site}/feed.xml",
              "--no-progress", *LIVE, db=tmp_path / "live.db")
    assert out.returncode == 1, out.stdout + out.stderr
    # in the reader's words (it said «the recording is incomplete …» in English under «feil:»)
    assert "feil: opptaket er ufullstendig og kan ikke spilles av:\n  no_regjeringen_horinger: " in out.stderr
    assert re.search(r"^  no_regjeringen_horinger: \d+ svar ble tatt opp, men \S+manifest\.json kan ikke leses "
                     r"\(\w+Error: .+\)$", out.stderr, re.M), out.stderr[-2000:]


def test_a_later_recording_moves_the_day_clock_on_and_an_earlier_one_leaves_it(tmp_path):
    from crawlers.dates import OSLO
    from tracker.jobs.crawl import replay_as_of, write_day_clock

    day = tmp_path / "2026-12-05"
    early, late = datetime(2026, 12, 5, 4, 30, tzinfo=OSLO), datetime(2026, 12, 5, 9, 15, tzinfo=OSLO)
    assert replay_as_of(day) == datetime(2026, 12, 5, 6, 0, tzinfo=OSLO)  # no recording's clock yet
    write_day_clock(day, early)
    assert replay_as_of(day) == early
    write_day_clock(day, late)  # a second source recorded later the same day
    assert replay_as_of(day) == late
    write_day_clock(day, early)
    assert replay_as_of(day) == late
    (day / "day.json").write_text("not json", "utf-8")  # a broken clock is replaced, not kept
    write_day_clock(day, early)
    assert replay_as_of(day) == early


def test_a_recording_into_a_store_with_a_later_run_is_refused_unless_allow_older(site, tmp_path):
    """`record` crawls at the machine's clock and stores what it crawls: into a store whose latest
    daily run is later (one written by a machine whose clock ran ahead) it is refused like `crawl`,
    and its refusal's «--allow-older» is an option it has (it said so, then «No such option»)."""
    from datetime import timedelta

    from crawlers.dates import OSLO

    db, records = tmp_path / "live.db", tmp_path / "records"
    live = ("--source", "no_regjeringen_horinger", "--arg", f"feed_url={site}/feed.xml", "--no-progress", *LIVE)
    assert cli("crawl", *live, db=db).returncode == 0
    later = (datetime.now(OSLO) + timedelta(days=2)).isoformat()
    with sqlite3.connect(db) as conn:  # a store written by a machine whose clock ran two days ahead
        conn.execute("update runs set as_of = ?", (later,))
    refused = cli("record", str(records), *live, db=db)
    assert refused.returncode == 1 and "Traceback" not in refused.stderr, refused.stderr[-2000:]
    assert "feil: henter ikke inn med tidspunktet " in refused.stderr and "--allow-older" in refused.stderr
    assert len(runs(db)) == 1 and not any(records.glob("*/*/manifest.json"))
    allowed = cli("record", str(records), *live, "--allow-older", db=db)
    assert allowed.returncode == 0, allowed.stderr[-2000:]
    assert len(runs(db)) == 2 and any(records.glob("*/no_regjeringen_horinger/manifest.json"))


def test_a_live_crawl_at_a_past_clock_is_not_stored_into_a_newer_store(site, tmp_path):
    """`crawl`/`run --as-of` a day before the store's latest run crawled live and stored today's
    pages at that older clock, exit 0 (a replay of an older day was refused): now refused the same
    way, naming both clocks, nothing written, unless --allow-older."""
    from datetime import timedelta

    from crawlers.dates import OSLO
    from tracker.i18n import format_datetime

    db = tmp_path / "live.db"
    feed_arg = f"feed_url={site}/feed.xml"
    live = ("--source", "no_regjeringen_horinger", "--arg", feed_arg, "--no-progress", *LIVE)
    first = cli("crawl", *live, db=db)
    assert first.returncode == 0, first.stderr
    (latest,) = runs(db)
    events = cli("events", "--format", "jsonl", db=db).stdout
    past = (datetime.now(OSLO) - timedelta(days=3)).date().isoformat()
    out = tmp_path / "digests"
    for command in (["crawl"], ["run", "--out", str(out)]):
        result = cli(*command, *live, "--as-of", past, db=db)
        assert result.returncode == 1, result.stderr[-2000:]
        assert "Traceback" not in result.stderr
        # in the reader's words, the clocks as the reader writes them (it said «feil: refusing to crawl at 2026-…»)
        assert f"feil: henter ikke inn med tidspunktet {format_datetime(f'{past}T06:00')}: " in result.stderr
        assert f"databasens siste daglige kjøring er fra {format_datetime(latest)}, altså senere" in result.stderr
        assert "--allow-older" in result.stderr
    assert not out.exists()
    assert runs(db) == [latest] and cli("events", "--format", "jsonl", db=db).stdout == events  # nothing written
    allowed = cli("crawl", *live, "--as-of", past, "--allow-older", db=db)
    assert allowed.returncode == 0, allowed.stderr[-2000:]
    assert len(runs(db)) == 2
