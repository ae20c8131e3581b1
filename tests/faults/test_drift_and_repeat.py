"""A listing whose structure changed, and the same day crawled twice — on copies of the bundled
replay days, through the real engine."""

from __future__ import annotations

import json
import shutil

import pytest

from .conftest import REGJERINGEN, ROOT, cli, crawl, health, query

pytestmark = pytest.mark.slow

DAY = ROOT / "data" / "replay" / "2026-11-23"
AS_OF = "2026-11-23T06:00:00+01:00"
#: regjeringen.no after a redesign: the RSS generator answers an HTML page, no <item> left
REDESIGNED = """<!DOCTYPE html><html lang="no"><head><title>Høringer - regjeringen.no</title></head>
<body><main><div class="listing-v2"><article class="card"><h3 class="card__title">
<a href="/no/dokumenter/horing-x/id3199999/">Høring – ny side</a></h3></article></div></main></body></html>"""


#: a partial copy of a day is replayed for its sources only (without --source, a replayed day
#: expects every scheduled source, and the ones it has no recording of are red)
ONLY = ("--source", REGJERINGEN, "--source", "no_stortinget_horinger")


def _copy_day(tmp_path, sources: tuple[str, ...]):
    day = tmp_path / "2026-11-23"
    for source in sources:
        shutil.copytree(DAY / source, day / source)
    return day


def test_selector_drift_turns_that_source_red_keeps_the_others_green_and_deletes_nothing(tmp_path):
    day = _copy_day(tmp_path, (REGJERINGEN, "no_stortinget_horinger"))
    db = tmp_path / "t.db"
    first = crawl(db, "--replay", str(day), *ONLY, as_of=AS_OF)
    assert first.returncode == 0, first.stderr[-2000:]
    before = query(db, "select * from items order by id")
    assert len([r for r in before if r["source"] == REGJERINGEN]) >= 60
    # the next morning the feed URL answers the redesigned page (new validators: a real change)
    manifest_path = day / REGJERINGEN / "manifest.json"
    manifest = json.loads(manifest_path.read_text("utf-8"))
    feed = next(e for e in manifest["responses"] if e["file"] == "feed.xml")
    (day / REGJERINGEN / "feed.xml").write_text(REDESIGNED, "utf-8")
    feed["headers"] = {"Content-Type": "text/html; charset=utf-8", "ETag": '"redesign-1"'}
    # the redesign reaches the hearings listing too (else the listing, the second channel, takes over)
    listing = next(e for e in manifest["responses"] if e["file"] == "listing.html")
    (day / REGJERINGEN / "listing.html").write_text(REDESIGNED, "utf-8")
    listing["headers"] = {"Content-Type": "text/html; charset=utf-8", "ETag": '"redesign-2"'}
    manifest_path.write_text(json.dumps(manifest), "utf-8")
    second = crawl(db, "--replay", str(day), *ONLY, as_of="2026-11-24T06:00:00+01:00")
    assert second.returncode == 2, second.stdout + second.stderr[-2000:]
    assert f"kilde(r) som feiler: {REGJERINGEN}" in second.stderr
    h = health(db)
    assert h[REGJERINGEN]["status"] == "red"
    assert "RSS" in h[REGJERINGEN]["reason"], h[REGJERINGEN]["reason"]  # says which channel broke, and how
    assert h["no_stortinget_horinger"]["status"] == "green", h["no_stortinget_horinger"]["reason"]
    after = {r["id"]: r for r in query(db, "select * from items")}
    assert all(r["id"] in after for r in before), "a stored item was deleted"
    vanished = query(db, "select count(*) n from events where kind = 'vanished'")[0]["n"]
    assert vanished == 0  # a broken page is not a mass withdrawal
    for row in before:  # nothing the broken page "said" overwrote what was known
        assert after[row["id"]]["title"] == row["title"] and after[row["id"]]["deadline"] == row["deadline"]


def test_the_same_day_crawled_twice_gives_no_duplicates_and_no_new_events(tmp_path):
    day = _copy_day(tmp_path, (REGJERINGEN, "no_stortinget_horinger"))
    db = tmp_path / "t.db"
    assert crawl(db, "--replay", str(day), *ONLY, as_of=AS_OF).returncode == 0
    items = query(db, "select id, content_hash, last_changed from items order by id")
    events = query(db, "select count(*) n from events")[0]["n"]
    assert crawl(db, "--replay", str(day), *ONLY, as_of=AS_OF).returncode == 0
    assert query(db, "select id, content_hash, last_changed from items order by id") == items
    assert query(db, "select count(*) n from events")[0]["n"] == events
    dupes = query(db, "select canonical_url, count(*) n from items group by canonical_url having n > 1")
    assert dupes == []
    assert query(db, "select count(distinct run_id) n from health")[0]["n"] == 2


def test_the_sparql_endpoint_failing_turns_eu_cellar_red_and_keeps_its_acts(tmp_path):
    """Every SPARQL query answering 500: only amber, with the same summary line as an ordinary day.
    Red now, naming the endpoint's answer; the acts stored the day before are kept as they were."""
    source = "eu_cellar"
    days = tmp_path / "days"
    for day in ("2026-11-23", "2026-11-24"):
        shutil.copytree(ROOT / "data" / "replay" / day / source, days / day / source)
    manifest_path = days / "2026-11-24" / source / "manifest.json"
    manifest = json.loads(manifest_path.read_text("utf-8"))
    for entry in manifest["responses"]:
        if "/sparql" in entry["url"]:
            entry["status"], entry["headers"] = 500, {"Content-Type": "text/plain"}
    manifest_path.write_text(json.dumps(manifest), "utf-8")
    db = tmp_path / "t.db"
    first = crawl(db, "--replay", str(days / "2026-11-23"), "--source", source, as_of=AS_OF)
    assert first.returncode == 0, first.stderr[-2000:]
    before = query(db, "select * from items order by id")
    second = crawl(db, "--replay", str(days / "2026-11-24"), "--source", source)
    assert second.returncode == 2, second.stderr[-2000:]
    h = health(db)[source]
    assert h["status"] == "red" and h["channel"] == "rss"
    assert h["reason"] == ("SPARQL endpoint failed for every watched act (16 queries: HTTP 500): "
                           "OJ RSS is the only channel")
    shown = cli("health", "--as-of", "2026-11-24T12:00", db=db)
    assert shown.returncode == 2
    row = next(line for line in shown.stdout.splitlines() if f" {source} " in line)  # by its name, its code beside it
    assert "FEILER" in row and "SPARQL-tjenesten feilet" in row, shown.stdout
    after = {r["id"]: r for r in query(db, "select * from items")}
    assert all(after[r["id"]]["title"] == r["title"] and after[r["id"]]["vanished_at"] is None for r in before)
    changed = query(db, "select kind from events where at >= '2026-11-24' and kind != 'new'")
    assert changed == []


STORTINGET = "no_stortinget_horinger"


@pytest.mark.parametrize(("key", "renamed", "reason_nb"), [
    ("innspillsfrist", "innspillsfrist_dato_tid",
     "eksport/horinger: felt som mangler i alle høringene (43): innspillsfrist (er eksporten endret?): de lagrede "
     "verdiene beholdes"),
    ("komite", "komite_info",
     "eksport/horinger: felt som mangler i alle høringene (43): komite (er eksporten endret?): de lagrede "
     "verdiene beholdes"),
])  # fmt: skip
def test_a_key_gone_from_stortingets_hearings_turns_it_red_and_changes_nothing_stored(tmp_path, key, renamed,
                                                                                    reason_nb):
    """The `horinger` export renames a key of every hearing: the source is red, its reason (in
    Bokmål, as `health` says it) names the key, and nothing stored changes — no deadline moves, no
    «Endret», no hearing vanishes — as the same export without the rename would have left it."""
    day = _copy_day(tmp_path, (STORTINGET,))
    db = tmp_path / "t.db"
    assert crawl(db, "--replay", str(day), "--source", STORTINGET, as_of=AS_OF).returncode == 0
    before = {r["id"]: r for r in query(db, "select * from items")}
    manifest_path = day / STORTINGET / "manifest.json"
    manifest = json.loads(manifest_path.read_text("utf-8"))
    data = json.loads((day / STORTINGET / "horinger.json").read_text("utf-8"))
    for hearing in data["horinger_liste"]:
        hearing[renamed] = hearing.pop(key)
    (day / STORTINGET / "horinger.json").write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    entry = next(e for e in manifest["responses"] if e["file"] == "horinger.json")
    entry["headers"] = {"Content-Type": "application/json; charset=utf-8", "ETag": '"renamed-1"'}
    manifest_path.write_text(json.dumps(manifest), "utf-8")
    second = crawl(db, "--replay", str(day), "--source", STORTINGET, as_of="2026-11-23T07:00:00+01:00")
    assert second.returncode == 2, second.stdout + second.stderr[-2000:]
    assert f"kilde(r) som feiler: {STORTINGET} " in second.stderr
    assert health(db)[STORTINGET]["status"] == "red"
    shown = cli("health", "--as-of", "2026-11-23T08:00:00+01:00", db=db)
    assert f"Stortingets komitéhøringer ({reason_nb})" in shown.stderr, shown.stderr
    run = query(db, "select max(run_id) r from health")[0]["r"]
    assert query(db, "select kind, item_id, field from events where run_id = ?", (run,)) == []
    after = {r["id"]: r for r in query(db, "select * from items")}
    assert after.keys() == before.keys()
    def extra(row: dict) -> dict:  # a programme a later run skips (the hearing closed) is not read
        return {k: v for k, v in json.loads(row["extra"]).items() if k != "program"}

    for item_id, row in before.items():
        for field in ("deadline", "owner", "summary", "title", "status", "content_hash", "last_changed"):
            assert after[item_id][field] == row[field], (item_id, field)
        assert extra(after[item_id]) == extra(row), item_id
