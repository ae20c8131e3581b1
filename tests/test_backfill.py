"""`ncp-tracker backfill`: a recorded three-session history of Stortinget hearings in replay
(tests/fixtures/backfill, built by its build.py), checkpoints and resuming, backfill runs kept
out of the digest's news, and the polite defaults."""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from support import ROOT

from crawlers.backfill import BACKFILL_SPIDERS, StortingetSessionHearings
from crawlers.dates import OSLO
from tracker.cli import main
from tracker.jobs import backfill as job
from tracker.store import merge as store
from tracker.store.db import open_db
from tracker.store.queries import digest_visible_events

HISTORY = ROOT / "tests" / "fixtures" / "backfill"
AS_OF = "2026-11-24"


def cli(db, *args: str, lang: str = "en") -> subprocess.CompletedProcess:
    """The real command in its own process (Scrapy's reactor starts once per process), in English
    unless `lang` ([digest] lang): what it says of each unit is read here in the words the spiders'
    notes have."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("NCP_TRACKER_")}
    env["PYTHONPATH"] = str(ROOT)
    config = Path(f"{db}.toml")
    config.write_text(f'[digest]\nlang = "{lang}"\n', "utf-8")
    env["NCP_TRACKER_CONFIG"] = str(config)
    return subprocess.run([sys.executable, "-m", "tracker", "--db", str(db), *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)


def backfill(db, since: int, *extra: str, source: str = "no_stortinget_horinger",
             lang: str = "en") -> subprocess.CompletedProcess:
    return cli(db, "backfill", "--since", str(since), "--source", source, "--replay", str(HISTORY), "--as-of", AS_OF,
               "-s", "DOWNLOAD_DELAY=0", "--no-progress", *extra, lang=lang)


def rows(db, sql: str, params=()) -> list[tuple]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def test_sessions_since_a_year_newest_first():
    units = StortingetSessionHearings.units(2015, date(2026, 11, 24))
    assert units[0] == "2026-2027" and units[-1] == "2014-2015"  # 2014-2015 has its spring in 2015
    assert len(units) == 13
    # before 1 October a day belongs to the session that started the year before
    assert StortingetSessionHearings.units(2026, date(2026, 9, 30)) == ["2025-2026"]


@pytest.mark.parametrize("unit", [None, "2019", "2019-2021", "x-y"])
def test_a_session_spider_refuses_a_unit_that_is_not_a_session(unit):
    with pytest.raises(ValueError, match="Storting session"):
        StortingetSessionHearings(unit=unit)


@pytest.fixture(scope="module")
def history(tmp_path_factory):
    """A store after `backfill --since 2026`, then `--since 2025` (the two commands' output kept)."""
    db = tmp_path_factory.mktemp("backfill") / "t.db"
    first = backfill(db, 2026)
    assert first.returncode == 0, first.stderr
    checkpoints_after_first = rows(db, "select unit, items_seen from backfill_checkpoints order by unit")
    second = backfill(db, 2025)
    assert second.returncode == 0, second.stderr
    return db, first, checkpoints_after_first, second


def test_backfill_walks_history_and_resumes_from_its_checkpoints(history):
    db, first, after_first, second = history
    # since 2026: the current session and the one whose spring is in 2026, newest first
    assert "session 2026-2027: OK, items 43, new 43" in first.stderr
    assert "session 2025-2026: OK, items 25, new 25" in first.stderr
    assert first.stderr.index("2026-2027: OK") < first.stderr.index("2025-2026: OK")
    assert after_first == [("2025-2026", 25), ("2026-2027", 43)]
    # further back: only the session not checkpointed is crawled
    assert "2026-2027: done before (checkpoint)" in second.stderr
    assert "session 2024-2025: OK, items 25, new 25" in second.stderr
    assert "2026-2027: OK" not in second.stderr
    assert rows(db, "select count(*), sum(backfill) from runs") == [(3, 3)]
    assert rows(db, "select count(*) from items where source = 'no_stortinget_horinger'") == [(93,)]
    # the old sessions' hearings are closed history, each with its session in the reference
    assert rows(db, "select count(*) from items where reference like '%(2024-2025)%' and status = 'closed'")[0][0] > 0
    # a third time: nothing left
    store_db = open_db(db)
    again = job.plan(store_db, since=2025, sources=["no_stortinget_horinger"], as_of=datetime(2026, 11, 24, 6, tzinfo=OSLO))
    store_db.close()
    assert again.steps == [] and len(again.done) == 3


def test_backfill_says_what_it_does_in_the_readers_language(tmp_path):
    """Its plan, each unit's line and its summary were English after a Bokmål «feil:» («backfill
    since 2026: 2 units to crawl …», «green items 43 new 43», «2 of 2 units done»): now in the
    reader's language, each unit's health by the name `health` gives it."""
    db = tmp_path / "t.db"
    out = backfill(db, 2026, lang="nb")
    assert out.returncode == 0, out.stderr
    assert out.stderr.startswith("innhenting av historikk fra 2026: 2 enheter å hente, 0 med sjekkpunkt fra før; "
                                 "pause 0 s, 1 forespørsel om gangen per nettsted\n"), out.stderr
    # the unit in Bokmål too («sesjon», not «session»), before and after its checkpoint alike
    assert "no_stortinget_horinger sesjon 2026-2027: OK, saker 43, nye 43\n" in out.stderr
    assert out.stdout == "innhenting av historikk fra 2026: 2 av 2 enheter ferdig\n"
    again = backfill(db, 2026, lang="nb")
    assert "no_stortinget_horinger sesjon 2026-2027: gjort tidligere (sjekkpunkt)\n" in again.stderr
    assert again.stdout == "innhenting av historikk fra 2026: ingenting igjen å gjøre (2 enheter med sjekkpunkt)\n"


def test_the_progress_bar_leaves_each_units_line_whole(tmp_path):
    """With the progress bar (stderr a terminal, or --progress), each unit's line was written after
    the bar's text, on its line («historikk:  50%|…| 1/2 […, no_stortinget_horinger session
    2026-2027]no_stortinget_horinger session 2026-2027: OK, …»), and a red unit's mark in the bar was
    English («(red: not checkpointed)»). Now the bar is cleared, the line written, the bar drawn
    again below it; its words are the reader's."""
    db = tmp_path / "t.db"
    # since 2024: three recorded sessions, then 2023-2024 (spring 2024), not recorded: red
    out = cli(db, "backfill", "--since", "2024", "--source", "no_stortinget_horinger", "--replay", str(HISTORY),
              "--as-of", AS_OF, "-s", "DOWNLOAD_DELAY=0", "--progress", lang="nb")
    assert out.returncode == 2, out.stderr
    segments = re.split(r"[\r\n]", out.stderr)  # what a terminal shows: a "\r" starts the line again
    for line in ("no_stortinget_horinger sesjon 2026-2027: OK, saker 43, nye 43",
                 "no_stortinget_horinger sesjon 2025-2026: OK, saker 25, nye 25",
                 "no_stortinget_horinger sesjon 2024-2025: OK, saker 25, nye 25"):
        assert line in segments, out.stderr
    assert any(s.startswith("no_stortinget_horinger sesjon 2023-2024: FEILER") for s in segments), out.stderr
    bars = [s for s in segments if s.startswith("historikk:")]
    assert bars and all("saker" not in s for s in bars), out.stderr
    assert "sesjon 2023-2024 (rød: ikke lagret som sjekkpunkt)]" in bars[-1]
    assert "(red: not checkpointed)" not in out.stderr and " session " not in out.stderr


@pytest.mark.parametrize(("lang", "plan", "done"), [
    ("nb", "innhenting av historikk fra 2026: 1 enhet å hente, 1 med sjekkpunkt fra før; pause 0 s, "
           "1 forespørsel om gangen per nettsted\n", "innhenting av historikk fra 2026: 1 av 1 enhet ferdig\n"),
    ("en", "backfill since 2026: 1 unit to crawl, 1 checkpointed before; delay 0 s, 1 request at a time per site\n",
           "backfill since 2026: 1 of 1 unit done\n"),
])
def test_backfill_counts_one_unit_in_the_singular(tmp_path, lang, plan, done):
    """«1 enheter å hente», «1 forespørsel(er) om gangen», «1 av 1 enheter ferdig»: each count of
    backfill's plan and summary now has its noun in the singular or plural, as the rest of the
    command line («1 enhet», «2 enheter»)."""
    db = tmp_path / "t.db"
    first = backfill(db, 2026, "--max-units", "1", lang=lang)
    assert first.returncode == 0, first.stderr
    again = backfill(db, 2026, lang=lang)
    assert again.returncode == 0, again.stderr
    assert plan in again.stderr.splitlines(keepends=True), again.stderr
    assert again.stdout == done
    for wrong in ("1 enheter", "1 units", "(er)", "(s)"):
        assert wrong not in again.stderr + again.stdout


def test_backfill_events_never_reach_a_digest_as_new(history, tmp_path):
    import shutil

    db_path = tmp_path / "t.db"
    shutil.copy(history[0], db_path)
    db = open_db(db_path)
    top = db.execute("select max(id) from events").fetchone()[0]
    assert top and rows(db_path, "select count(*) from events where kind = 'new'")[0][0] == 93
    assert digest_visible_events(db, 0, top) == []
    # a daily run's event afterwards is news
    as_of = datetime(2026, 11, 25, 6, tzinfo=OSLO)
    run = store.start_run(db, as_of=as_of, mode="test", sources=["no_lovdata"])
    store.apply_scrape(db, run_id=run, as_of=as_of, source="no_lovdata", items=[
        {"source": "no_lovdata", "kind": "law_change", "native_id": "x1", "title": "Endring i åpenhetsloven",
         "url": "https://lovdata.no/x1"}])
    visible = digest_visible_events(db, 0, db.execute("select max(id) from events").fetchone()[0])
    assert [(e["item_id"], e["kind"]) for e in visible] == [("no_lovdata:x1", "new")]
    db.close()


def test_backfill_events_are_marked_wherever_events_are_listed(history, tmp_path):
    """A backfill's "new" events are old items entering the store, not news: the events query,
    `ncp-tracker events` and an item's history on the workbench say so, and --no-backfill hides
    them; a daily run's event afterwards is unmarked."""
    import json
    import shutil

    from tracker.store.queries import list_events
    from tracker.web.app import create_app

    db_path = tmp_path / "t.db"
    shutil.copy(history[0], db_path)
    db = open_db(db_path)
    as_of = datetime(2026, 11, 25, 6, tzinfo=OSLO)
    run = store.start_run(db, as_of=as_of, mode="test", sources=["no_lovdata"])
    store.apply_scrape(db, run_id=run, as_of=as_of, source="no_lovdata", items=[
        {"source": "no_lovdata", "kind": "law_change", "native_id": "x1", "title": "Endring i åpenhetsloven",
         "url": "https://lovdata.no/x1"}])
    every = list_events(db)
    assert len(every) == 94 and sum(e["backfill"] for e in every) == 93
    daily = list_events(db, backfill=False)
    assert [(e["item_id"], e["kind"], e["backfill"]) for e in daily] == [("no_lovdata:x1", "new", False)]
    old_item = next(e["item_id"] for e in every if e["backfill"])
    db.close()

    jsonl = CliRunner().invoke(main, ["--db", str(db_path), "events", "--no-backfill", "--format", "jsonl"])
    assert jsonl.exit_code == 0, jsonl.output
    assert [json.loads(line)["item_id"] for line in jsonl.stdout.splitlines()] == ["no_lovdata:x1"]
    table = CliRunner().invoke(main, ["--db", str(db_path), "events", "--kind", "new"])
    assert table.exit_code == 0, table.output
    lines = table.stdout.splitlines()
    # what a backfill run found is marked in the words of the item's page («backfill» before)
    assert lines[0].split()[:3] == ["Når", "Hva", "Sak"]
    assert sum(" funnet senere, i kildens historikk " in line for line in lines[1:]) == 93
    assert "kildens historikk" not in next(line for line in lines if "no_lovdata:x1" in line)
    assert "backfill" not in table.output

    app = create_app(str(db_path), data_dir=tmp_path / "data")
    page = app.test_client().get(f"/item/{old_item}").get_data(as_text=True)
    assert "funnet senere, i kildens historikk" in page
    fresh = app.test_client().get("/item/no_lovdata:x1").get_data(as_text=True)
    assert "kildens historikk" not in fresh


def test_a_red_unit_is_not_checkpointed_and_today_is_never_vanished(tmp_path):
    db = tmp_path / "t.db"
    daily = cli(db, "crawl", "--replay", str(ROOT / "data" / "replay" / "2026-11-24"),
                "--source", "no_stortinget_horinger", "--no-progress")
    assert daily.returncode == 0, daily.stderr
    open_before = rows(db, "select count(*) from items where status = 'open' and vanished_at is null")[0][0]
    assert open_before > 5
    out = backfill(db, 2024)  # 2023-2024 is not in the recording: that unit fails
    assert out.returncode == 2
    assert "2023-2024" in out.stdout and "failing (run again to retry)" in out.stdout
    done = {u for (u,) in rows(db, "select unit from backfill_checkpoints")}
    assert done == {"2026-2027", "2025-2026", "2024-2025"}
    # the past sessions list none of today's open hearings: a complete listing would vanish them
    assert rows(db, "select count(*) from events where kind = 'vanished'") == [(0,)]
    assert rows(db, "select count(*) from items where status = 'open' and vanished_at is null")[0][0] == open_before
    again = backfill(db, 2024, "--allow-red")
    assert again.returncode == 0
    assert "session 2023-2024" in again.stderr and "session 2024-2025: OK" not in again.stderr


def test_polite_defaults_and_overrides():
    configured = {"DOWNLOAD_DELAY": 1.5, "AUTOTHROTTLE_START_DELAY": 1.5, "CONCURRENT_REQUESTS_PER_DOMAIN": 2}
    polite = job.polite_settings(configured)
    assert polite["DOWNLOAD_DELAY"] == 3.0 and polite["CONCURRENT_REQUESTS_PER_DOMAIN"] == 1
    assert polite["ROBOTSTXT_OBEY"] is True and polite["AUTOTHROTTLE_ENABLED"] is True
    assert job.polite_settings({**configured, "DOWNLOAD_DELAY": 10.0})["DOWNLOAD_DELAY"] == 10.0
    fast = job.polite_settings(configured, {"DOWNLOAD_DELAY": "0"})
    assert fast["DOWNLOAD_DELAY"] == "0" and fast["AUTOTHROTTLE_START_DELAY"] == "0"


@pytest.mark.parametrize(("args", "message", "english"), [
    (["--since", "1999"], "feil: --since må være et årstall fra 2000 til ", "error: --since must be a year from 2000 to "),
    (["--since", "2015", "--source", "no_lovdata"], "feil: ingen innhenting av historikk for no_lovdata (finnes for: eu_",
     "error: no backfill for no_lovdata (there is one for: eu_"),
    # a source by its name, as the tables show it: its code
    (["--since", "2015", "--source", "Lovdata"], "feil: ingen innhenting av historikk for no_lovdata (finnes for: eu_",
     "error: no backfill for no_lovdata (there is one for: eu_"),
    (["--since", "2025", "--source", "no_stortinget_horinger", "--replay", "/nonexistent/history"],
     "feil: opptaksmappen /nonexistent/history finnes ikke\n", "error: the replay folder /nonexistent/history does not exist\n"),
])
def test_wrong_input_is_refused_before_anything_runs(tmp_path, args, message, english):
    """In the reader's words (it said «--since must be a year …», «no backfill for source(s): …» in
    English under a Bokmål «feil:»); bad input, exit 2 (it was 1). A --replay folder that is not
    there crawled every unit red, with a traceback, and exited 2 as a failing crawl. Nothing is
    written: a refused backfill made an empty database at a mistyped --db path."""
    db = tmp_path / "t.db"
    result = CliRunner().invoke(main, ["--db", str(db), "backfill", *args])
    assert result.exit_code == 2
    assert result.stderr.startswith(message), result.stderr
    assert not db.exists()
    config = tmp_path / "en.toml"
    config.write_text('[digest]\nlang = "en"\n', "utf-8")
    result = CliRunner().invoke(main, ["--config", str(config), "--db", str(db), "backfill", *args])
    assert result.exit_code == 2 and result.stderr.startswith(english), result.stderr


@pytest.mark.parametrize("folder", ["empty", "days"])
def test_a_replay_folder_without_a_recorded_history_is_refused(tmp_path, folder):
    """An empty folder, or data/replay (recorded days, not a history), replayed every unit as a
    failing site (HTTP 404 from the replay), exited 2 as red sources and stored a red backfill run
    for each («Historikk hentet inn» red). Now refused at once, naming the sources without one."""
    replay = tmp_path / "empty" if folder == "empty" else ROOT / "data" / "replay"
    if folder == "empty":
        replay.mkdir()
    db = tmp_path / "t.db"
    result = CliRunner().invoke(main, ["--db", str(db), "backfill", "--since", "2025", "--replay", str(replay)])
    assert result.exit_code == 2
    assert result.stderr == (f"feil: ingen innspilt historikk i {replay} for eu_cellar, eu_haveyoursay, "
                             "no_regjeringen_horinger, no_stortinget_horinger (et opptak har filen "
                             "<kilde>/manifest.json)\n"), result.stderr
    assert not db.exists()
    # a history that holds some sources: those it lacks are named
    history = tmp_path / "history"
    shutil.copytree(HISTORY / "eu_haveyoursay", history / "eu_haveyoursay")
    result = CliRunner().invoke(main, ["--db", str(db), "backfill", "--since", "2025", "--replay", str(history),
                                       "--source", "eu_haveyoursay", "--source", "eu_cellar"])
    assert result.exit_code == 2 and "for eu_cellar (" in result.stderr, result.stderr
    assert not db.exists()


def test_every_backfill_spider_is_its_sources_spider():
    from scrapy.spiderloader import SpiderLoader

    from tracker.jobs.crawl import base_settings

    loader = SpiderLoader.from_settings(base_settings())
    for name, cls in BACKFILL_SPIDERS.items():
        assert issubclass(cls, loader.load(name)) and cls.name == name
    assert sorted(BACKFILL_SPIDERS) == ["eu_cellar", "eu_haveyoursay", "no_regjeringen_horinger", "no_stortinget_horinger"]


def test_backfill_writes_its_delay_the_readers_way(tmp_path):
    """The plan said «pause 0.5 s» in a Bokmål line; now «pause 0,5 s» (and «delay 0.5 s» in English)."""
    out = backfill(tmp_path / "t.db", 2026, "-s", "DOWNLOAD_DELAY=0.5", lang="nb")
    assert out.returncode == 0, out.stderr
    assert "; pause 0,5 s, 1 forespørsel om gangen per nettsted\n" in out.stderr, out.stderr
