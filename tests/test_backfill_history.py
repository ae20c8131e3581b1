"""`ncp-tracker backfill` of the paged and per-act histories: regjeringen.no (hearings listing pages
newest first, then the sitemap robots.txt names), Have your say (the whole register page by page)
and the Cellar (each watched act's works since YEAR, paged) — the real spiders through the replay
middleware on the recorded histories of tests/fixtures/backfill (built by its build.py; what is
real and what constructed: its README.md). Interrupting and resuming, red pages, the digest after
a backfill, the ETA estimate, and a live backfill without a contact."""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
from datetime import datetime

import pytest
from support import ROOT
from test_backfill import cli, rows

from crawlers.backfill import CellarActHistory, HaveyoursayHistory, RegjeringenHearingsHistory
from crawlers.dates import OSLO
from tracker.jobs import backfill as job
from tracker.store.db import open_db
from tracker.store.queries import digest_visible_events

HISTORY = ROOT / "tests" / "fixtures" / "backfill"
AS_OF = "2026-11-24"
REGJ = "no_regjeringen_horinger"
FAST = ("-s", "DOWNLOAD_DELAY=0", "-s", "HAVEYOURSAY_BACKFILL_PAGE_SIZE=3", "-s", "CELLAR_BACKFILL_ROWS=2")


def backfill(db, since: int, source: str, *extra: str, replay=HISTORY):
    # each store its own HTTP cache: a cached copy would stand in for a page that fails (stale-if-error)
    return cli(db, "backfill", "--since", str(since), "--source", source, "--replay", str(replay),
               "--as-of", AS_OF, *FAST, "-s", f"HTTPCACHE_DIR={db}.httpcache", "--no-progress", *extra)


def checkpoints(db, source: str) -> list[tuple]:
    return rows(db, "select unit, since, items_seen, has_next from backfill_checkpoints where source = ? "
                    "order by finished, unit", (source,))


def runs_of(db, label: str) -> int:
    return rows(db, "select count(*) from runs where mode like ?", (f"backfill:{label}+%",))[0][0]


def broken_copy(tmp_path, source: str, url_part: str, **change) -> str:
    """The recorded history with the response of the URL containing `url_part` changed."""
    target = tmp_path / "history"
    shutil.copytree(HISTORY, target)
    # real bodies are read where they are, relative to the fixture folder: keep them reachable
    shutil.copytree(HISTORY.parent / "real", tmp_path / "real")
    manifest = target / source / "manifest.json"
    data = json.loads(manifest.read_text("utf-8"))
    hits = [e for e in data["responses"] if url_part in e["url"] or url_part == e.get("file")]
    assert len(hits) == 1, url_part
    hits[0].update(change)
    manifest.write_text(json.dumps(data), "utf-8")
    return str(target)


# --------------------------------------------------------------------------- regjeringen.no


@pytest.fixture(scope="module")
def regjeringen(tmp_path_factory):
    """Interrupted after 2 pages (--max-units 2), resumed, then taken further back to 2023."""
    db = tmp_path_factory.mktemp("regj") / "t.db"
    first = backfill(db, 2025, REGJ, "--max-units", "2")
    assert first.returncode == 0, first.stderr
    after_first = checkpoints(db, REGJ)
    items_after_first = rows(db, "select count(*) from items where source = ?", (REGJ,))[0][0]
    second = backfill(db, 2025, REGJ)
    assert second.returncode == 0, second.stderr
    after_second = checkpoints(db, REGJ)
    third = backfill(db, 2023, REGJ)
    assert third.returncode == 0, third.stderr
    return db, first, after_first, items_after_first, second, after_second, third


def test_the_opening_line_does_not_guess_the_listing_pages_before_one_is_read(regjeringen, tmp_path):
    """It said «1 units to crawl (+ about 1 listing pages to find)» with ~350 pages live (the one
    being the sitemap), and «(+ about 0 listing pages to find)» for Have your say before reading 4."""
    _db, first, _, _, second, *_ = regjeringen
    unknown = "(+ the listing pages, their number known once the first page is read)"
    assert f"backfill since 2025: 1 unit to crawl {unknown}, 0 checkpointed before" in first.stderr
    # resumed after two pages: an estimate from the days they covered and the listing's page count
    assert re.search(r"backfill since 2025: 1 unit to crawl \(\+ about \d+ listing pages to find\), 2 checkpointed "
                     "before", second.stderr), second.stderr
    out = backfill(tmp_path / "t.db", 2025, "eu_haveyoursay")
    assert f"1 unit to crawl {unknown}" in out.stderr and "about 0" not in out.stderr
    out = backfill(tmp_path / "u.db", 2021, "eu_haveyoursay", "--max-units", "1")
    out = backfill(tmp_path / "u.db", 2021, "eu_haveyoursay")
    assert "1 unit to crawl (+ about 2 listing pages to find), 1 checkpointed before" in out.stderr


def test_regjeringen_walks_the_listing_newest_first_and_resumes_where_it_stopped(regjeringen):
    db, first, after_first, items_after_first, second, after_second, third = regjeringen
    # interrupted: the real page 1 (20 hearings) and page 2 are checkpointed, nothing else
    assert "page 1: OK, items 20, new 20" in first.stderr and "page 2: OK, items 4, new 4" in first.stderr
    assert [(u, s, n) for u, s, n, _ in after_first] == [("page-1", 2025, 20), ("page-2", 2025, 4)]
    assert items_after_first == 24
    assert "--max-units 2 reached" in first.stdout
    # resumed: the finished pages are not fetched again, the walk goes on to page 3 (whose oldest
    # hearing is from 2024: the last page for --since 2025), then the sitemap
    assert f"{REGJ} page 1: done before (checkpoint)" in second.stderr  # as its run names it
    assert "page 1: OK" not in second.stderr and "page 2: OK" not in second.stderr
    assert "page 3: OK, items 4, new 4" in second.stderr
    assert "sitemap: OK, items 1, new 1" in second.stderr
    assert [u for u, *_ in after_second] == ["page-1", "page-2", "page-3", "sitemap"]
    assert runs_of(db, f"{REGJ} page 1") == 1 and runs_of(db, f"{REGJ} page 2") == 1
    # further back: only pages 4 and 5 (the last: no next page) and the sitemap for the longer window
    assert "page 3: OK" not in third.stderr
    assert "page 4: OK, items 4, new 4" in third.stderr and "page 5: OK, items 4, new 4" in third.stderr
    assert "sitemap: OK, items 0, new 0" in third.stderr  # nothing the walk missed since 2023
    assert third.stderr.index("page 5: OK") < third.stderr.index("sitemap: OK")
    # no duplicates: one item and one "new" event per hearing
    assert rows(db, "select count(*), count(distinct native_id) from items where source = ?", (REGJ,)) == [(37, 37)]
    assert rows(db, "select count(*) from events e join items i on i.id = e.item_id "
                    "where i.source = ? and e.kind = 'new'", (REGJ,)) == [(37,)]
    assert rows(db, "select count(*), sum(backfill) from runs") == [(7, 7)]  # 2 + 2 + 3 units, one run each
    store = open_db(db)
    again = job.plan(store, since=2023, sources=[REGJ], as_of=datetime(2026, 11, 24, 6, tzinfo=OSLO))
    store.close()
    assert again.steps == [] and len(again.done) == 6


def test_regjeringen_history_goes_through_the_daily_item_path(regjeringen):
    db = regjeringen[0]
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    try:
        old = conn.execute("select * from items where id = ?", ("regjeringen:3069998",)).fetchone()
        # a hearing of page 3 (22.12.2024): its listing row and its detail page (deadline, owner, reference,
        # documents, the consultee list as data)
        assert old["title"] == "Høring – endringer i åpenhetsloven"
        assert old["status"] == "closed" and old["deadline"].startswith("2025-03-")
        assert old["owner"] == "Barne- og familiedepartementet" and old["reference"] == "24/9998"
        assert "Kontaktpunktet for ansvarlig næringsliv" in old["consultees"]
        assert json.loads(old["documents"])[0]["type"] == "høringsnotat"
        # the sitemap found one hearing the walk did not; a "Høringssvar" letter with a hearing-like
        # slug is no hearing and was not kept; a hearing changed in 2018 was not fetched
        found = conn.execute("select title, channel from items where native_id = '3050001'").fetchone()
        assert tuple(found) == ("Høring – rapport om ansvarlig næringsliv i statlig eierskap", "sitemap")
        assert conn.execute("select count(*) from items where native_id in ('3050002', '2600001')").fetchone()[0] == 0
        # a real hearing of page 1 (nynorsk) with its real row's deadline
        real = conn.execute("select language, deadline from items where native_id = '3168525'").fetchone()
        assert real["language"] == "nn" and real["deadline"].startswith("2026-08-14")
        # the listing never marked today's hearings as vanished
        assert conn.execute("select count(*) from events where kind = 'vanished'").fetchone()[0] == 0
        sitemap = conn.execute("select stats from health h join runs r on r.id = h.run_id "
                               "where r.mode like 'backfill:no_regjeringen_horinger sitemap+%' order by r.id").fetchone()
        stats = json.loads(sitemap["stats"])
        assert stats["tracker/sitemap_not_a_hearing"] == 1 and stats["tracker/sitemaps_before_since"] == 1
        assert stats["tracker/sitemap_known"] == 3  # pages of the walk: not fetched again
    finally:
        conn.close()


@pytest.mark.parametrize(("change", "reason", "said"), [
    ({"status": 503}, "hearings listing page 2 answered HTTP 503", "the hearings listing's page 2 answered HTTP 503"),
    ({"file": "../no_regjeringen_horinger/sitemap.xml"}, "hearings listing page 2 has no hearings (li.listItem)",
     "the hearings listing's page 2 has no hearings (li.listItem)"),
])
def test_a_failing_history_page_turns_the_source_red_and_is_retried(tmp_path, change, reason, said):
    replay = broken_copy(tmp_path, REGJ, "?page=2", **change)
    db = tmp_path / "t.db"
    out = backfill(db, 2025, REGJ, replay=replay)
    assert out.returncode == 2
    # the reason as `health` says it (tracker.vocabulary.health_reason); stored as the spider wrote it
    assert f"{REGJ} page 2: FAILING, items 0, new 0 — NOT checkpointed ({said}" in out.stderr
    assert "failing (run again to retry): no_regjeringen_horinger page 2" in out.stdout
    # the walk stops at the red page: page 3 and the sitemap wait for the retry
    assert [u for u, *_ in checkpoints(db, REGJ)] == ["page-1"]
    assert rows(db, "select status, reason from health where status = 'red'")[0][1].startswith(reason)
    # the site answers again (a fresh HTTP cache: a page is not fetched twice within min_refetch_hours)
    again = backfill(db, 2025, REGJ, "-s", f"HTTPCACHE_DIR={tmp_path / 'later.httpcache'}")
    assert again.returncode == 0, again.stderr
    assert "page 2: OK" in again.stderr and "page 1: OK" not in again.stderr
    assert [u for u, *_ in checkpoints(db, REGJ)] == ["page-1", "page-2", "page-3", "sitemap"]


def test_a_sitemap_that_fails_is_red_not_an_empty_green(tmp_path):
    replay = broken_copy(tmp_path, REGJ, "/globalassets/sitemap/sitemap.xml", status=500)
    db = tmp_path / "t.db"
    out = backfill(db, 2025, REGJ, replay=replay)
    assert out.returncode == 2
    assert "sitemap: FAILING" in out.stderr and "sitemap https://www.regjeringen.no/globalassets/sitemap/sitemap.xml " \
                                              "answered HTTP 500" in out.stderr
    assert "sitemap" not in [u for u, *_ in checkpoints(db, REGJ)]


# --------------------------------------------------------------------------- Have your say


def test_haveyoursay_reads_the_whole_register_and_keeps_what_is_since(tmp_path):
    db = tmp_path / "t.db"
    out = backfill(db, 2025, "eu_haveyoursay")
    assert out.returncode == 0, out.stderr
    # the register is not sorted: every page to the last, whatever its dates
    for page, seen in ((1, 3), (2, 2), (3, 2), (4, 0)):
        assert f"eu_haveyoursay page {page}: OK, items {seen}, new {seen}" in out.stderr
    ids = {r[0] for r in rows(db, "select native_id from items where source = 'eu_haveyoursay'")}
    # the real page's three, 2026 and 2025 consultations, one without any date; none opened before 2025
    assert ids == {"18805", "18806", "14778", "17001", "16002", "16104", "13306"}
    real = rows(db, "select owner, status from items where native_id = '18805'")[0]
    assert real[0].startswith("European Commission, ")
    assert rows(db, "select status from items where native_id = '16002'") == [("closed",)]
    last = json.loads(rows(db, "select stats from health order by run_id desc limit 1")[0][0])
    assert last["tracker/backfill_before_since"] == 3 and last["tracker/backfill_has_next"] == 0
    assert [(u, h) for u, _, _, h in checkpoints(db, "eu_haveyoursay")] == [
        ("page-1", 1), ("page-2", 1), ("page-3", 1), ("page-4", 0)]


def _needs_input_and_coming(db) -> tuple[str, str]:
    """What `inbox` and the digest's text («Trenger innspill», «Kommende frister») say the day after."""
    assert cli(db, "tag").returncode == 0
    inbox = cli(db, "inbox", "--as-of", "2026-11-24T12:00", lang="nb")
    digest = cli(db, "digest", "--date", "2026-11-24", "--allow-red", "--format", "txt", lang="nb")
    assert digest.returncode == 0, digest.stderr
    return inbox.stdout, digest.stdout


def test_a_closed_initiative_without_a_feedback_period_is_closed_not_open_without_a_deadline(tmp_path):
    """13306 «Conflict minerals – evaluation»: CLOSED in the register and its detail
    (initiativeStatus), with no feedback period. It was stored of unknown status, and so listed for
    months as an open consultation needing input, «ingen frist kjent»."""
    db = tmp_path / "t.db"
    assert backfill(db, 2021, "eu_haveyoursay").returncode == 0
    assert rows(db, "select status, status_raw from items where native_id = '13306'") == [("closed", "CLOSED")]
    inbox, digest = _needs_input_and_coming(db)
    assert "13306" not in inbox and "Conflict minerals" not in digest
    assert "KOMMENDE FRISTER\n\nIngenting." in digest


def test_an_item_of_unknown_status_a_backfill_found_is_not_taken_for_open(tmp_path):
    """An item of unknown status and no publication day counts as open while first seen within
    UNKNOWN_STATUS_WINDOW_DAYS (a hearing whose page was blocked must not vanish) — but a backfill
    first sees the past today: what it found is not recent for that."""
    db = tmp_path / "t.db"
    assert backfill(db, 2021, "eu_haveyoursay").returncode == 0
    # as an initiative no word of its own says anything of (the backfill's first_seen: today)
    conn = sqlite3.connect(db)
    with conn:
        conn.execute("update items set status = 'unknown', status_raw = null where native_id = '13306'")
    conn.close()
    inbox, digest = _needs_input_and_coming(db)
    assert "13306" not in inbox and "ingen frist kjent" not in digest
    # the same item first seen by a daily run is still taken for open
    conn = sqlite3.connect(db)
    with conn:
        conn.execute("update runs set backfill = 0")
    conn.close()
    inbox, digest = _needs_input_and_coming(db)
    assert "eu_haveyoursay:13306" in inbox
    assert "ingen frist kjent — Conflict minerals – evaluation" in digest


def test_haveyoursay_answering_html_is_red(tmp_path):
    replay = broken_copy(tmp_path, "eu_haveyoursay", "searchInitiatives?page=1&",
                         headers={"Content-Type": "text/html"}, file="../../real/no_regjeringen_horinger/"
                         "quaat_listing_hoyringar_id1763_2026-07-04.html")
    db = tmp_path / "t.db"
    out = backfill(db, 2025, "eu_haveyoursay")
    assert out.returncode == 0  # the recorded history itself is fine …
    out = backfill(tmp_path / "u.db", 2025, "eu_haveyoursay", replay=replay)
    assert out.returncode == 2  # … the one that answers HTML for page 2 is not
    assert "eu_haveyoursay page 2: FAILING, items 0, new 0 — NOT checkpointed (searchInitiatives page 2 (history): " \
           "answered HTML instead of JSON" in out.stderr


def test_initiatives_whose_detail_was_never_read_are_read_by_the_next_backfill(tmp_path):
    """An initiative whose detail (groupInitiatives) was blocked during a backfill kept no summary,
    DG, documents or stages for good: its page of the register was checkpointed, and today's
    listing shows only open initiatives. Now each backfill reads the details never read (the
    `details` unit), the item made from the detail alone: the real detail of 18805 gives the item
    the register's page gave."""
    fields = ("title, deadline, published, status_raw, status, reference, owner, summary, documents, "
              "json_extract(extra, '$.stage'), json_extract(extra, '$.act_type'), json_extract(extra, '$.opens'), "
              "json_extract(extra, '$.initiative_status'), json_extract(extra, '$.topics'), "
              "json_extract(extra, '$.ares'), json_extract(extra, '$.detail')")
    whole = tmp_path / "whole.db"
    assert backfill(whole, 2025, "eu_haveyoursay").returncode == 0
    (read_in_walk,) = rows(whole, f"select {fields} from items where native_id = '18805'")

    blocked = broken_copy(tmp_path, "eu_haveyoursay", "groupInitiatives/18805", status=403)
    db = tmp_path / "t.db"
    first = backfill(db, 2025, "eu_haveyoursay", replay=blocked)
    assert first.returncode == 0, first.stderr
    (unread,) = rows(db, f"select {fields} from items where native_id = '18805'")
    assert unread[-1] == "blocked 403" and unread[7] is None  # no summary
    # the walk's own retry, the same day, is blocked again: amber, and it stays to do
    assert "eu_haveyoursay detail pages: warning" in first.stderr
    assert "details of stored initiatives never read failed again (HTTP 403)" in first.stderr
    second = backfill(db, 2025, "eu_haveyoursay")
    assert second.returncode == 0, second.stderr
    assert "page 1: OK" not in second.stderr  # the walk is done; only the detail never read
    assert "eu_haveyoursay detail pages: OK, items 1, new 0" in second.stderr, second.stderr
    assert rows(db, f"select {fields} from items where native_id = '18805'") == [read_in_walk]
    store = open_db(db)
    assert job.plan(store, since=2025, sources=["eu_haveyoursay"],
                    as_of=datetime(2026, 11, 24, 6, tzinfo=OSLO)).steps == []
    store.close()


# --------------------------------------------------------------------------- Cellar


@pytest.mark.parametrize("source", ["eu_cellar", "eu_haveyoursay"])
def test_the_next_daily_replay_after_a_backfill_changes_nothing_it_recorded(tmp_path, source):
    """The recorded history and the bundled daily recordings (data/replay) disagreed: 13 watched
    acts had made-up titles and dates (YYYY-06-01, the watchlist's short name), and Have your say
    18805 was the real NGT-plants act in one and an invented forced-labour initiative in the other.
    The daily replay after a backfill then «updated» each (fake changes in `events` and the
    digest). Now both say the same (tests/fixtures/backfill/README.md)."""
    db = tmp_path / "t.db"
    assert backfill(db, 2025, source).returncode == 0
    daily = cli(db, "crawl", "--replay", str(ROOT / "data" / "replay" / "2026-11-24"), "--source", source,
                "--as-of", "2026-11-25T06:00", "--no-progress")
    assert daily.returncode == 0, daily.stderr
    events = cli(db, "events", "--since", "2026-11-25", "--format", "jsonl").stdout
    changed = [e for e in map(json.loads, events.splitlines()) if e["kind"] != "new"]
    assert not [e for e in changed if set((e.get("field") or e["kind"]).split(",")) - {"summary"}], changed
    # a Cellar work reached through several watched acts was summed up by the backfill's unit that
    # read it last (one act's history: «Watched act: Directive (EU) 2025/794 …»), and the daily
    # crawl «changed» it to all of its relations; a crawl now adds what it finds to the relations
    # the store holds (dropping only those a whole answer for their act no longer names: none
    # here), so a summary only gains (here the recorded history lacks one relation the daily
    # recording has: 32026L0470 amends CSDDD too)
    for event in changed:
        parts = [set(e["summary"].rstrip(".").split("; ")) for e in (event["before"], event["after"])]
        assert source == "eu_cellar" and parts[0] < parts[1], event
    assert len(changed) <= 1, changed


def test_cellar_backfills_each_watched_act_since_the_year(tmp_path):
    db = tmp_path / "t.db"
    out = backfill(db, 2025, "eu_cellar")
    assert out.returncode == 0, out.stderr
    acts = CellarActHistory.units(2025, datetime(2026, 11, 24).date())
    assert len(acts) == 16 and all(f"eu_cellar act {a}: OK" in out.stderr for a in acts)
    csddd = rows(db, "select h.stats from health h join runs r on r.id = h.run_id "
                     "where r.mode like 'backfill:eu_cellar act 32024L1760+%'")[0][0]
    assert json.loads(csddd)["tracker/sparql_pages"] == 2  # 2 + 1 rows: read while a page comes back full
    works = {r[0] for r in rows(db, "select native_id from items where source = 'eu_cellar'")}
    assert {"32024L1760", "32025L0794", "02024L1760-20250417"} <= works
    # CSDDD's works since 2025 (the stop-the-clock directive, its 2025 consolidated text), the act
    # itself; the 2024 corrigendum is outside the window
    assert {"32024L1760", "32025L0794"} <= works
    assert not any(w.startswith("32024L1760R") for w in works)
    store = open_db(db)
    try:  # a checkpoint of a window counts for a shorter window, not for a longer one
        later = job.plan(store, since=2026, sources=["eu_cellar"], as_of=datetime(2026, 11, 24, 6, tzinfo=OSLO))
        earlier = job.plan(store, since=2024, sources=["eu_cellar"], as_of=datetime(2026, 11, 24, 6, tzinfo=OSLO))
    finally:
        store.close()
    assert later.steps == [] and len(later.done) == 16
    assert len(earlier.steps) == 16 and earlier.steps[0].spider_args == {"unit": acts[0], "since": "2024"}


def test_a_failed_cellar_query_is_red(tmp_path):
    replay = broken_copy(tmp_path, "eu_cellar", "sparql-32024L1760-2.json", status=504)
    db = tmp_path / "t.db"
    out = backfill(db, 2025, "eu_cellar", replay=replay)
    assert out.returncode == 2
    assert "eu_cellar act 32024L1760: FAILING, items 0, new 0 — NOT checkpointed (SPARQL query for 32024L1760 (csddd): " \
           "HTTP 504; the history of this act was not read (from row 2 on))" in out.stderr  # its second page
    assert len(checkpoints(db, "eu_cellar")) == 15


# --------------------------------------------------------------------------- digest, ETA, contact


def test_the_digest_after_a_backfill_shows_no_history_as_new(regjeringen, tmp_path):
    db_path = tmp_path / "t.db"
    shutil.copy(regjeringen[0], db_path)
    assert backfill(db_path, 2025, "eu_haveyoursay").returncode == 0
    db = open_db(db_path)
    top = db.execute("select max(id) from events").fetchone()[0]
    assert db.execute("select count(*) from events where kind = 'new'").fetchone()[0] == 44
    assert digest_visible_events(db, 0, top) == []
    db.close()
    # a daily run afterwards, then the digest a person reads
    daily = cli(db_path, "crawl", "--replay", str(ROOT / "data" / "replay" / "2026-11-24"), "--source", "no_lovdata",
                "--no-progress")
    assert daily.returncode == 0, daily.stderr
    digest = cli(db_path, "digest", "--format", "md", "--lang", "en", "--allow-red")
    assert digest.returncode == 0, digest.stderr
    for title in ("rapport om ansvarlig næringsliv i statlig eierskap", "endringer i åpenhetsloven",
                  "Corporate sustainability due diligence – review of the value chain provisions"):
        assert title not in digest.stdout


def test_the_eta_estimate_follows_the_pages_read():
    page = {"has_next": 1, "newest": "2026-07-03", "oldest": "2026-06-24", "pages": 348}
    # 9 days a page, 539 days back from 2026-06-24 to 2025-01-01 → 60 pages more
    assert job.estimate_pages_left([page], 2025) == 60
    assert job.estimate_pages_left([page], 2000) == 347  # never more than the listing says it has
    assert job.estimate_pages_left([{**page, "has_next": 0}], 2000) == 0
    assert job.estimate_pages_left([{**page, "oldest": "2024-12-01"}], 2025) == 0
    assert job.estimate_pages_left([{"has_next": 1, "pages": 4}], 2025) == 3  # an unsorted register
    assert job.estimate_pages_left([], 2025) == 1


def test_units_and_their_window():
    assert RegjeringenHearingsHistory.label("page-3") == "page 3" and RegjeringenHearingsHistory.label("sitemap") == "sitemap"
    assert RegjeringenHearingsHistory.since_bound("sitemap") and not RegjeringenHearingsHistory.since_bound("page-3")
    assert CellarActHistory.since_bound("32024L1760") and HaveyoursayHistory.paged
    for cls, unit in ((RegjeringenHearingsHistory, "3"), (HaveyoursayHistory, "page-0"), (CellarActHistory, "x y")):
        with pytest.raises(ValueError, match="unit must be"):
            cls(unit=unit, since="2025")
    with pytest.raises(ValueError, match="since"):
        CellarActHistory(unit="32024L1760")
    assert job.walk_goes_on({"has_next": 1, "oldest": "2025-01-01"}, 2025)
    assert not job.walk_goes_on({"has_next": 1, "oldest": "2024-12-31"}, 2025)
    assert job.walk_goes_on({"has_next": 1, "oldest": None}, 2025) and not job.walk_goes_on({"has_next": 0}, 2000)


def test_a_live_backfill_without_a_contact_does_not_start(tmp_path):
    db = tmp_path / "t.db"
    out = cli(db, "backfill", "--since", "2025", "--source", REGJ, "--no-progress")
    assert out.returncode != 0
    assert "error: no contact address for the crawler's User-Agent: a live crawl needs one" in out.stderr
    assert rows(db, "select count(*) from runs") == [(0,)]
    # in the reader's words (it was English after «feil:»)
    out = cli(db, "backfill", "--since", "2025", "--source", REGJ, "--no-progress", lang="nb")
    assert out.returncode != 0
    assert "feil: ingen kontaktadresse til innhenterens User-Agent: en innhenting fra nettet må ha en" in out.stderr
    assert rows(db, "select count(*) from runs") == [(0,)]


def test_robots_txt_is_obeyed_in_a_backfill(tmp_path):
    """The recorded robots.txt is the real one (it allows `?page=N`); a site that disallowed the
    listing would get no request for it, and the page is red, never an empty green."""
    replay = broken_copy(tmp_path, REGJ, "/robots.txt", file="robots-disallowing-the-listing.txt")
    (tmp_path / "history" / REGJ / "robots-disallowing-the-listing.txt").write_text(
        "User-agent: *\nDisallow: /no/dokument/hoyringar/\n", "utf-8")
    db = tmp_path / "t.db"
    out = backfill(db, 2025, REGJ, replay=replay)
    assert out.returncode == 2
    assert (f"{REGJ} page 1: FAILING, items 0, new 0 — NOT checkpointed (blocked by robots.txt (not fetched): "
            "https://www.regjeringen.no/no/dokument/hoyringar/id1763/") in out.stderr
    stats = json.loads(rows(db, "select stats from health")[0][0])
    assert stats["tracker/robots_blocked"] == 1 and stats.get("replay/hit", 0) == 1  # robots.txt only


def test_ctrl_c_in_the_middle_of_a_walk_then_resume(tmp_path):
    """Ctrl-C (SIGINT) as soon as page 1 is checkpointed: a page being read then is not
    checkpointed; the next run fetches no finished page again and stores no hearing twice."""
    import os
    import signal
    import subprocess
    import sys
    import time

    db = tmp_path / "t.db"
    env = {k: v for k, v in os.environ.items() if not k.startswith("NCP_TRACKER_")}
    (tmp_path / "en.toml").write_text('[digest]\nlang = "en"\n', "utf-8")  # its words in English, as `cli`
    env["NCP_TRACKER_CONFIG"] = str(tmp_path / "en.toml")
    args = [sys.executable, "-m", "tracker", "--db", str(db), "backfill", "--since", "2025", "--source", REGJ,
            "--replay", str(HISTORY), "--as-of", AS_OF, *FAST, "-s", f"HTTPCACHE_DIR={db}.httpcache", "--no-progress"]
    proc = subprocess.Popen(args, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    try:
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                conn = sqlite3.connect(db, timeout=1)
                done = conn.execute("select count(*) from backfill_checkpoints").fetchone()[0]
                conn.close()
            except sqlite3.Error:
                done = 0
            if done:
                break
            time.sleep(0.02)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
    # the interrupt came mid-walk: between two units, or inside one ("crawl ended early: shutdown",
    # that unit red and not checkpointed); either way the walk did not finish
    assert "interrupted before" in out or "crawl ended early: shutdown" in err, (out, err[-2000:])
    assert proc.returncode in (2, 130)
    assert "ReactorNotRunning" not in err and "Traceback" not in err, err[-2000:]
    finished = [u for u, *_ in checkpoints(db, REGJ)]
    assert finished[0] == "page-1" and "sitemap" not in finished
    resumed = backfill(db, 2025, REGJ)
    assert resumed.returncode == 0, resumed.stderr
    for unit in finished:
        assert f"{REGJ} {unit.replace('-', ' ')}: done before (checkpoint)" in resumed.stderr
        assert runs_of(db, f"{REGJ} {unit.replace('-', ' ')}") == 1  # fetched once, by the first run
    assert [u for u, *_ in checkpoints(db, REGJ)] == ["page-1", "page-2", "page-3", "sitemap"]
    assert rows(db, "select count(*), count(distinct native_id) from items where source = ?", (REGJ,)) == [(29, 29)]
    assert rows(db, "select count(*) from events where kind = 'new'") == [(29,)]


def test_pages_of_stored_hearings_never_read_are_read_by_the_next_backfill(tmp_path):
    """A detail page blocked during a backfill left its hearing without its deadline, documents and
    text for good: every unit was checkpointed, and the next backfill had nothing to do. Now each
    backfill reads the pages never read (the `details` unit) until none is left."""
    blocked = broken_copy(tmp_path, REGJ, "/id3168004/", status=403)
    db = tmp_path / "t.db"
    item = "regjeringen:3168004"

    def stored():
        return rows(db, "select json_extract(extra, '$.detail'), body is not null, documents is not null "
                        "from items where id = ?", (item,))[0]

    first = backfill(db, 2025, REGJ, replay=blocked)
    assert first.returncode == 0, first.stderr
    assert stored() == ("blocked 403", 0, 0)
    # the walk's own retry, the same day, is blocked again: amber, and it stays to do
    [line] = [s for s in first.stderr.splitlines() if "detail pages: warning" in s]
    assert "never read failed again (HTTP 403)" in line  # its reason on the unit's line
    second = backfill(db, 2025, REGJ)
    assert second.returncode == 0, second.stderr
    assert "page 1: OK" not in second.stderr  # the walk is done; only the page never read
    assert "detail pages: OK, items 1, new 0" in second.stderr, second.stderr
    assert stored() == ("ok", 1, 1)
    store = open_db(db)
    assert job.plan(store, since=2025, sources=[REGJ], as_of=datetime(2026, 11, 24, 6, tzinfo=OSLO)).steps == []
    store.close()
