"""`ncp-tracker watchlist`: stage from eu_oeil, last event, Norwegian links, and a broken watchlist."""

from __future__ import annotations

import json
import re
from datetime import timedelta

from click.testing import CliRunner
from support import others_checked

from tracker.cli import main
from tracker.store import health
from tracker.store import merge as store
from tracker.store.db import open_db
from tracker.store.instants import stored

WATCH = """\
[[file]]
id = "csddd"
name = "CSDDD"
act = "Directive (EU) 2024/1760"
celex = "32024L1760"
procedure = "2022/0051(COD)"
unverified = ["procedure"]

[[file]]
id = "sfdr_revision"
name = "SFDR 2.0 proposal"
"""

ITEMS = [
    {"source": "eu_oeil", "kind": "eu_procedure", "native_id": "2022/0051(COD)",
     "title": "Corporate sustainability due diligence – 2022/0051(COD)", "reference": "2022/0051(COD)",
     "summary": "Stage: Procedure completed.",
     "url": "https://oeil.secure.europarl.europa.eu/oeil/en/procedure-file?reference=2022/0051(COD)",
     "extra": {"watch": "csddd", "stage": "Procedure completed",
               "key_events": [{"date": "2024-07-05", "event": "Final act published in Official Journal"}]}},
    {"source": "no_regjeringen_horinger", "kind": "hearing", "native_id": "3150100",
     "title": "Høring - gjennomføring av direktiv (EU) 2024/1760 i åpenhetsloven",
     "url": "https://www.regjeringen.no/no/dokumenter/horing-aktsomhet/id3150100/"},
]


def _setup(tmp_path, as_of):
    db_path, wl = tmp_path / "t.db", tmp_path / "watchlist.toml"
    wl.write_text(WATCH, "utf-8")
    db = open_db(db_path)
    run = store.start_run(db, as_of=as_of, mode="test", sources=[])
    for item in ITEMS:
        store.apply_scrape(db, run_id=run, as_of=as_of, source=item["source"], items=[item])
        with db.conn:  # a crawl that succeeded, as the daily run leaves it
            health.record(db, run, health.SourceRun(source=item["source"], items_seen=1), stored(as_of))
    others_checked(db, run, stored(as_of))
    store.finish_run(db, run, 0)
    db.close()
    return db_path, wl


#: the commands' clock: three hours after the seeded crawl (its data is current)
AS_OF = "2026-11-24T09:00"


def test_watchlist_jsonl(tmp_path, as_of):
    db_path, wl = _setup(tmp_path, as_of)
    plain = CliRunner().invoke(main, ["--db", str(db_path), "watchlist", "--file", str(wl), "--format", "jsonl",
                                      "--as-of", AS_OF])
    assert plain.exit_code == 0, plain.output
    db = open_db(db_path)
    assert db["links"].count == 0  # a read command writes nothing: links are refreshed by run or --refresh
    db.close()
    assert json.loads(plain.output.splitlines()[0])["norwegian"] == []
    result = CliRunner().invoke(main, ["--db", str(db_path), "watchlist", "--file", str(wl), "--format", "jsonl",
                                       "--refresh", "--as-of", AS_OF])
    assert result.exit_code == 0, result.output
    rows = {r["id"]: r for r in map(json.loads, result.output.splitlines())}
    csddd = rows["csddd"]
    assert csddd["stage"] == "Procedure completed"
    assert csddd["stage_date"] == "2024-07-05"
    assert [n["title"] for n in csddd["norwegian"]] == [ITEMS[1]["title"]]
    assert csddd["last_event"]["kind"] == "new"
    assert csddd["unverified"] == ["procedure"]
    assert rows["sfdr_revision"]["stage"] is None and rows["sfdr_revision"]["norwegian"] == []


def test_watchlist_table(tmp_path, as_of):
    db_path, wl = _setup(tmp_path, as_of)
    db = open_db(db_path)  # the Norwegian hearing gets its deadline an hour later: the last event
    run = store.start_run(db, as_of=as_of + timedelta(hours=1), mode="test", sources=[])
    store.apply_scrape(db, run_id=run, as_of=as_of + timedelta(hours=1), source=ITEMS[1]["source"],
                       items=[{**ITEMS[1], "deadline": "2027-01-15T23:59:59+01:00"}])
    store.finish_run(db, run, 0)
    db.close()
    result = CliRunner().invoke(main, ["--db", str(db_path), "watchlist", "--file", str(wl), "--refresh",
                                       "--as-of", AS_OF, "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert "stage: Procedure completed (last key event Fri 5 Jul 2024)" in result.output
    assert "NO: Høring - gjennomføring av direktiv (EU) 2024/1760 i åpenhetsloven" in result.output
    assert "(no CELEX, procedure or COM number yet)" in result.output
    # the last event by its name ("provision_hit:", "deadline_changed:" showed raw)
    last = [ln for ln in result.output.splitlines() if ln.startswith("  last event: ") and ln[14:15] != "—"]
    assert any(re.search(r" (status|deadline) changed: Høring - gjennomføring", ln) for ln in last), last
    assert all(re.match(r"  last event: \w{3} \d\d? \w{3} \d{4} [a-z ]+: ", ln) for ln in last), last


def test_watchlist_says_when_its_data_is_old(tmp_path, as_of):
    db_path, wl = _setup(tmp_path, as_of)
    result = CliRunner().invoke(main, ["--db", str(db_path), "watchlist", "--file", str(wl), "--as-of", "2026-12-01"])
    assert result.exit_code == 2 and "CSDDD [csddd]" in result.stdout
    assert "feil: Siste vellykkede innhenting var tir. 24.11.2026 kl. 06.00, for mer enn 36 timer siden" in result.stderr


def test_invalid_watchlist_fails_with_line_and_field(tmp_path):
    wl = tmp_path / "watchlist.toml"
    wl.write_text(WATCH.replace('celex = "32024L1760"', 'celex = 32024'), "utf-8")
    result = CliRunner().invoke(main, ["--db", str(tmp_path / "t.db"), "watchlist", "--file", str(wl)])
    assert result.exit_code == 2  # what the reader wrote: bad input
    assert f"feil: {wl}, linje 5: EU-saken «csddd», feltet «celex»: må være en tekst i anførselstegn" in result.output
