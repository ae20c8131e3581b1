"""`ncp-tracker ingest` and the values inside a feed: an item's date that cannot be read, a crawl
report's as_of that is not a time, a crawl older than the store's latest run of its source.
(Hand-made feeds in the spiders' item shape; tests/test_ingest.py runs real Scrapy crawls.)"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from click.testing import CliRunner

from tracker.cli import main

SOURCE = "no_regjeringen_horinger"


def _item(native_id: str, **fields: str) -> dict[str, str]:
    return {"source": SOURCE, "kind": "hearing", "native_id": native_id,
            "url": f"https://www.regjeringen.no/no/dokumenter/horing/id{native_id}/",
            "title": f"Høring om endringer i åpenhetsloven {native_id}", "status_raw": "På høring",
            "published": "2026-11-20T00:00:00+01:00", "deadline": "2026-12-20T23:59:59+01:00", **fields}


def _feed(path: Path, as_of: str, items: list[dict], source: str = SOURCE) -> Path:
    report = {"crawl_report": 1, "source": source, "as_of": as_of, "notes": [], "listing": {"complete": False},
              "channel": "html", "may_be_empty": False, "finish_reason": "finished", "stats": {},
              "duration_s": 1.0, "args": {}}
    path.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in [*items, report]), "utf-8")
    return path


def _ingest(db: Path, feed: Path, source: str = SOURCE):
    return CliRunner().invoke(main, ["--db", str(db), "ingest", str(feed), "--source", source])


def _rows(db: Path, sql: str) -> list[tuple]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def test_an_unreadable_date_is_left_out_loudly_and_the_item_kept(tmp_path):
    """"deadline": "2026-13-45" was dropped in silence and "published": "yesterday" stored (the
    digest showed «- yesterday»), green, exit 0."""
    db = tmp_path / "t.db"
    assert _ingest(db, _feed(tmp_path / "a.jsonl", "2026-11-23T06:00:00+01:00", [_item("2")])).exit_code == 0
    feed = _feed(tmp_path / "b.jsonl", "2026-11-24T06:00:00+01:00",
                 [_item("1", published="yesterday"), _item("2", deadline="2026-13-45")])
    r = _ingest(db, feed)
    assert r.exit_code == 0, r.output
    assert f"advarsel: {feed}:1: published 'yesterday' is not a date (ISO 8601); left out, the item is stored" in r.stderr
    assert f"advarsel: {feed}:2: deadline '2026-13-45' is not a date (ISO 8601); left out, the item is stored" in r.stderr
    # the items are kept; the unreadable value is not stored, a stored deadline is kept
    assert _rows(db, "select native_id, published, deadline from items order by native_id") == [
        ("1", None, "2026-12-20T23:59:59+01:00"),
        ("2", "2026-11-20T00:00:00+01:00", "2026-12-20T23:59:59+01:00")]
    status, reason = _rows(db, "select status, reason from health order by run_id desc limit 1")[0]
    assert status == "amber" and "2 unreadable date(s) left out (line numbers 1, 2)" in reason
    from tracker.vocabulary import health_reason

    assert "2 datoer som ikke kunne leses, er utelatt (linjenr. 1, 2)" in health_reason(reason, "nb")
    assert "2 unreadable dates left out (line numbers 1, 2)" in health_reason(reason, "en")


def test_unreadable_times_in_extra_are_left_out_loudly_and_the_item_kept(tmp_path):
    """A committee hearing's "hearing_start": "neste torsdag", "anmodningsfrist": "2026-13-45…" and a
    sitting at "snart" were stored in silence, green, exit 0 — times_changed events «2026-12-03 →
    neste torsdag» — where an unreadable `published`/`deadline` was left out, amber. Now the same."""
    db, source = tmp_path / "t.db", "no_stortinget_horinger"

    def hearing(**extra) -> dict:
        return {"source": source, "kind": "committee_hearing", "native_id": "1", "title": "Høring i komiteen",
                "url": "https://www.stortinget.no/no/Hva-skjer-pa-Stortinget/Horing/horing/?h=1",
                "deadline": "2026-12-20T12:00:00+01:00", "extra": extra}

    good = {"hearing_start": "2026-12-03T09:00:00+01:00", "anmodningsfrist": "2026-12-01T12:00:00+01:00",
            "hearing_times": [{"tidspunkt": "2026-12-03T09:00:00+01:00", "sted": "Høringssal 1"}]}
    assert _ingest(db, _feed(tmp_path / "a.jsonl", "2026-11-23T06:00:00+01:00", [hearing(**good)], source),
                   source).exit_code == 0
    feed = _feed(tmp_path / "b.jsonl", "2026-11-24T06:00:00+01:00", [hearing(
        hearing_start="neste torsdag", anmodningsfrist="2026-13-45T12:00:00+01:00", innspillsfrist=20261210,
        hearing_times=[{"tidspunkt": "2026-12-03T09:00:00+01:00", "sted": "Høringssal 2"},
                       {"tidspunkt": "snart", "sted": "Høringssal 1"}])], source)
    r = _ingest(db, feed, source)
    assert r.exit_code == 0, r.output
    for line in (":1: extra.hearing_start 'neste torsdag' is not a date (ISO 8601); left out, the item is stored",
                 ":1: extra.anmodningsfrist '2026-13-45T12:00:00+01:00' is not a date (ISO 8601); left out, the item "
                 "is stored",
                 ":1: extra.innspillsfrist 20261210 is not a date (ISO 8601); left out, the item is stored",
                 ":1: extra.hearing_times[1].tidspunkt 'snart' is not a date (ISO 8601); extra.hearing_times left out, "
                 "the item is stored"):
        assert f"advarsel: {feed}{line}" in r.stderr, r.stderr
    assert "[OBS ] Stortingets komitéhøringer (no_stortinget_horinger)" in r.stderr and "4 datoer som ikke kunne leses, er utelatt (linjenr. 1)" in r.stderr
    # the item is stored; what the store held of the times is kept, and no change is made of them
    (extra,) = [json.loads(e) for (e,) in _rows(db, "select extra from items")]
    assert {k: extra[k] for k in good} == good and "innspillsfrist" not in extra
    assert _rows(db, "select kind from events where kind != 'new'") == []
    # an EU procedure's forecast on a day that is no day: its forecasts left out, the rest stored
    oeil = {"source": "eu_oeil", "kind": "eu_procedure", "native_id": "2022/0051(COD)", "title": "CSDDD",
            "url": "https://oeil.secure.europarl.europa.eu/oeil/en/procedure-file?reference=2022/0051(COD)",
            "extra": {"stage": "Awaiting Council's 1st reading position",
                      "forecasts": [{"date": "2026-31-12", "event": "Indicative plenary sitting date"}],
                      "key_events": [{"date": "2022-02-23", "event": "Legislative proposal published"}]}}
    feed = _feed(tmp_path / "c.jsonl", "2026-11-24T06:00:00+01:00", [oeil], "eu_oeil")
    r = _ingest(db, feed, "eu_oeil")
    assert r.exit_code == 0, r.output
    assert (f"advarsel: {feed}:1: extra.forecasts[0].date '2026-31-12' is not a date (ISO 8601); extra.forecasts "
            "left out, the item is stored") in r.stderr
    (extra,) = [json.loads(e) for (e,) in _rows(db, "select extra from items where source = 'eu_oeil'")]
    assert "forecasts" not in extra and extra["key_events"] == oeil["extra"]["key_events"]


def test_a_report_as_of_that_is_not_a_time_is_a_clear_error(tmp_path):
    """"as_of": "garbage" was a datetime.fromisoformat traceback."""
    db = tmp_path / "t.db"
    for bad in ("garbage", "2026-13-45T06:00:00+01:00", 20261124):
        r = _ingest(db, _feed(tmp_path / "a.jsonl", bad, [_item("1")]))
        assert r.exit_code == 1, r.output
        assert (f"tidspunktet (as_of) {bad!r} i innhentingsrapporten er ikke en dato og et klokkeslett (ISO 8601); "
                "oppgi --as-of") in r.output
        assert "Traceback" not in r.output
    assert not db.exists()  # refused before any database was made


def test_a_crawl_older_than_the_stores_latest_run_is_refused(tmp_path):
    """A feed whose as_of was earlier than the store's latest run was stored: its items were last
    seen before they were first seen."""
    db = tmp_path / "t.db"
    assert _ingest(db, _feed(tmp_path / "new.jsonl", "2026-11-24T06:00:00+01:00", [_item("1")])).exit_code == 0
    before = _rows(db, "select id, first_seen, last_seen from items"), _rows(db, "select count(*) from runs")
    r = _ingest(db, _feed(tmp_path / "old.jsonl", "2026-11-20T06:00:00+01:00", [_item("1")]))
    assert r.exit_code == 1
    assert ("tidspunktet for innhentingen (2026-11-20T06:00:00+01:00) er tidligere enn databasens siste kjøring av "
            f"{SOURCE} (2026-11-24T06:00:00+01:00)") in r.output
    assert (_rows(db, "select id, first_seen, last_seen from items"), _rows(db, "select count(*) from runs")) == before
    # the same clock again, or a later one, is fine
    assert _ingest(db, _feed(tmp_path / "same.jsonl", "2026-11-24T06:00:00+01:00", [_item("1")])).exit_code == 0
    assert _ingest(db, _feed(tmp_path / "later.jsonl", "2026-11-25T06:00:00+01:00", [_item("1")])).exit_code == 0


def test_a_deadline_given_as_a_day_is_stored_as_the_end_of_that_day(tmp_path):
    """"deadline": "2026-11-24" was stored as given, where a spider writes the end of the day
    (crawlers.dates.deadline_at): read as 00:00, it was stored `closed` at 06:00 on its own day. The
    deadlines in extra likewise; a Storting case's saksgang day (hearing_deadline) is a day, kept."""
    db = tmp_path / "t.db"
    feed = _feed(tmp_path / "a.jsonl", "2026-11-24T06:00:00+01:00", [_item("1", deadline="2026-11-24"),
                                                                     _item("2", deadline="2026-11-27T12:00:00+01:00")])
    assert _ingest(db, feed).exit_code == 0
    assert _rows(db, "select native_id, deadline, status from items order by native_id") == [
        ("1", "2026-11-24T23:59:59+01:00", "open"), ("2", "2026-11-27T12:00:00+01:00", "open")]
    source = "no_stortinget_horinger"
    hearing = {"source": source, "kind": "committee_hearing", "native_id": "sak-1", "title": "Høring i komiteen",
               "url": "https://www.stortinget.no/no/Hva-skjer-pa-Stortinget/Horing/horing/?h=1",
               "deadline": "2026-12-01", "status_raw": "Planlagt",
               "extra": {"deadline_basis": "innspillsfrist", "anmodningsfrist": "2026-11-26",
                         "innspillsfrist": "2026-12-01", "hearing_start": "2026-11-30T09:00:00+01:00"}}
    feed = _feed(tmp_path / "b.jsonl", "2026-11-24T06:00:00+01:00", [hearing], source)
    assert _ingest(db, feed, source).exit_code == 0
    ((deadline, extra),) = _rows(db, f"select deadline, extra from items where source = '{source}'")
    extra = json.loads(extra)
    assert (deadline, extra["innspillsfrist"], extra["anmodningsfrist"], extra["hearing_start"]) == (
        "2026-12-01T23:59:59+01:00", "2026-12-01T23:59:59+01:00", "2026-11-26T23:59:59+01:00",
        "2026-11-30T09:00:00+01:00")
    case = {"source": "no_stortinget_spu", "kind": "storting_case", "native_id": "sak-2", "title": "Sak om SPU",
            "url": "https://www.stortinget.no/no/Saker-og-publikasjoner/Saker/Sak/?p=2",
            "extra": {"hearing_deadline": "2026-12-03"}}
    assert _ingest(db, _feed(tmp_path / "c.jsonl", "2026-11-24T06:00:00+01:00", [case], "no_stortinget_spu"),
                   "no_stortinget_spu").exit_code == 0
    ((extra,),) = _rows(db, "select extra from items where source = 'no_stortinget_spu'")
    assert json.loads(extra)["hearing_deadline"] == "2026-12-03"


def test_a_day_stored_by_an_older_version_is_no_moved_deadline_when_it_comes_again(tmp_path):
    """A store holding «2026-11-27» (as an older ingest kept it) that reads the same hearing again
    — now «2026-11-27T23:59:59+01:00» — recorded «Frist flyttet: fre. 27.11.2026 → fre. 27.11.2026»;
    so too a committee hearing's deadline to ask to speak («Fristen for å be om å delta flyttet»)."""
    db = tmp_path / "t.db"
    source = "no_stortinget_horinger"
    hearing = {"source": source, "kind": "committee_hearing", "native_id": "sak-1", "title": "Høring i komiteen",
               "url": "https://www.stortinget.no/no/Hva-skjer-pa-Stortinget/Horing/horing/?h=1",
               "deadline": "2026-12-01T23:59:59+01:00", "status_raw": "Planlagt",
               "extra": {"deadline_basis": "innspillsfrist", "anmodningsfrist": "2026-11-26T23:59:59+01:00"}}
    assert _ingest(db, _feed(tmp_path / "a.jsonl", "2026-11-23T06:00:00+01:00", [_item("1", deadline="2026-11-27")])
                   ).exit_code == 0
    assert _ingest(db, _feed(tmp_path / "b.jsonl", "2026-11-23T06:00:00+01:00", [hearing], source), source).exit_code == 0
    conn = sqlite3.connect(db)  # as an older version stored them: the days alone
    with conn:
        conn.execute("update items set deadline = substr(deadline, 1, 10),"
                     " extra = json_set(extra, '$.anmodningsfrist', '2026-11-26')")
    conn.close()
    assert _ingest(db, _feed(tmp_path / "c.jsonl", "2026-11-24T06:00:00+01:00", [_item("1", deadline="2026-11-27")])
                   ).exit_code == 0
    hearing["extra"]["anmodningsfrist"] = "2026-11-26"
    assert _ingest(db, _feed(tmp_path / "d.jsonl", "2026-11-24T06:00:00+01:00", [hearing], source), source).exit_code == 0
    assert _rows(db, "select kind, field from events where kind != 'new'") == []
    assert _rows(db, "select deadline, status from items order by id") == [
        ("2026-11-27T23:59:59+01:00", "open"), ("2026-12-01T23:59:59+01:00", "open")]
    # a real move is still one
    assert _ingest(db, _feed(tmp_path / "e.jsonl", "2026-11-25T06:00:00+01:00", [_item("1", deadline="2026-11-30")])
                   ).exit_code == 0
    assert _rows(db, "select kind, before, after from events where kind = 'deadline_changed'") == [
        ("deadline_changed", "2026-11-27T23:59:59+01:00", "2026-11-30T23:59:59+01:00")]
