"""Instants are stored in UTC and shown in Oslo time (tracker.store.instants)."""

from __future__ import annotations

from datetime import date, datetime

from crawlers.dates import OSLO
from tracker.i18n import format_date, format_datetime
from tracker.store import merge
from tracker.store.db import open_db
from tracker.store.deadlines import oslo_date, to_datetime
from tracker.store.instants import now_iso, stored, to_stored_text
from tracker.store.queries import list_events
from tracker.workbench.search import Filters, search


def test_stored_form_is_utc_in_winter_and_summer():
    assert stored(datetime(2026, 11, 23, 6, 0, tzinfo=OSLO)) == "2026-11-23T05:00:00+00:00"
    assert stored(datetime(2026, 6, 23, 6, 0, tzinfo=OSLO)) == "2026-06-23T04:00:00+00:00"
    assert stored(datetime(2026, 11, 23, 6, 0)) == "2026-11-23T05:00:00+00:00"  # naive: Oslo time
    assert stored(date(2026, 11, 24)) == "2026-11-23T23:00:00+00:00"  # a day: its Oslo midnight
    assert now_iso().endswith("+00:00") and len(now_iso()) == 25


def test_old_forms_become_the_stored_form_and_other_text_is_kept():
    assert to_stored_text("2026-11-23T06:00:00+01:00") == "2026-11-23T05:00:00+00:00"
    assert to_stored_text("2026-11-23T05:00:00Z") == "2026-11-23T05:00:00+00:00"
    assert to_stored_text(None) is None
    assert to_stored_text("2026-11-23") == "2026-11-23"  # a day is no instant: left alone
    assert to_stored_text("ikke en dato") == "ikke en dato"


def test_read_back_in_oslo_time():
    late = "2026-11-23T23:30:00+00:00"  # 00:30 on the 24th in Oslo
    assert to_datetime(late).utcoffset().total_seconds() == 3600
    assert oslo_date(late) == date(2026, 11, 24)
    assert format_date(late) == "tir. 24.11.2026"
    assert format_datetime(late) == "tir. 24.11.2026 kl. 00.30"


def test_events_across_the_autumn_clock_change_compare_in_order(tmp_path):
    """02:30 summer time comes before 02:10 winter time on 25 Oct 2026; as Oslo-offset text it
    sorted after it, so `events --since` lost the later event."""
    db = open_db(tmp_path / "t.db")
    before = datetime.fromisoformat("2026-10-25T02:30:00+02:00")
    after = datetime.fromisoformat("2026-10-25T02:10:00+01:00")
    item = {"source": "no_lovdata", "kind": "law_change", "native_id": "x", "title": "Forskrift",
            "url": "https://lovdata.no/x", "language": "nb"}
    for when, title in ((before, "Forskrift"), (after, "Forskrift om endring")):
        run_id = merge.start_run(db, as_of=when, mode="test", sources=["no_lovdata"])
        merge.apply_scrape(db, run_id=run_id, as_of=when, source="no_lovdata", items=[{**item, "title": title}])
    since = stored(datetime.fromisoformat("2026-10-25T02:50:00+02:00"))  # 00:50 UTC: between the two
    got = [e["kind"] for e in list_events(db, since=since)]
    assert got == ["updated"], got
    ordered = [r["at"] for r in db.query("select at from events order by at")]
    assert ordered == sorted(ordered) and ordered[0] < ordered[-1]
    assert [r["at"] for r in db.query("select at from events order by id")] == ordered


def test_migration_moves_an_older_database_to_utc(tmp_path):
    path = tmp_path / "old.db"
    db = open_db(path)
    run_id = merge.start_run(db, as_of=datetime(2026, 7, 1, 6, tzinfo=OSLO), mode="test", sources=["no_lovdata"])
    merge.apply_scrape(db, run_id=run_id, as_of=datetime(2026, 7, 1, 6, tzinfo=OSLO), source="no_lovdata",
                       items=[{"source": "no_lovdata", "kind": "law_change", "native_id": "x", "title": "T",
                               "url": "https://lovdata.no/x", "language": "nb",
                               "published": "2026-06-30T14:00:00+02:00", "deadline": "2026-08-01T12:00:00+02:00"}])
    # as an older version wrote it: Oslo offsets, and m0900 not yet applied
    with db.conn:
        db.execute("update items set first_seen = '2026-07-01T06:00:00+02:00', last_changed = '2026-07-01T06:00:00+02:00'")
        db.execute("update events set at = '2026-07-01T06:00:00+02:00'")
        db.execute("update runs set as_of = '2026-07-01T06:00:00+02:00', started = '2026-07-01T06:00:01+02:00'")
        db.execute("delete from _sqlite_migrations where name = 'm0900_instants_utc'")
    db.close()
    db = open_db(path)  # a write path migrates
    item = next(db.query("select * from items"))
    assert item["first_seen"] == item["last_changed"] == "2026-07-01T04:00:00+00:00"
    assert item["published"] == "2026-06-30T14:00:00+02:00"  # as published: not an instant of ours
    assert item["deadline"] == "2026-08-01T12:00:00+02:00"
    assert {r["at"] for r in db.query("select at from events")} == {"2026-07-01T04:00:00+00:00"}
    run = next(db.query("select as_of, started from runs"))
    assert run == {"as_of": "2026-07-01T04:00:00+00:00", "started": "2026-07-01T04:00:01+00:00"}


def test_search_date_filter_uses_the_oslo_day_of_first_seen(tmp_path):
    db = open_db(tmp_path / "s.db")
    when = datetime(2026, 11, 24, 0, 30, tzinfo=OSLO)  # 23:30 UTC on the 23rd
    run_id = merge.start_run(db, as_of=when, mode="test", sources=["no_lovdata"])
    merge.apply_scrape(db, run_id=run_id, as_of=when, source="no_lovdata",
                       items=[{"source": "no_lovdata", "kind": "law_change", "native_id": "x",
                               "title": "Forskrift om åpenhet", "url": "https://lovdata.no/x", "language": "nb"}])
    assert next(db.query("select first_seen from items"))["first_seen"] == "2026-11-23T23:30:00+00:00"
    assert [r["id"] for r in search(db, "forskrift", Filters(date_from="2026-11-24"))] == ["no_lovdata:x"]
    assert search(db, "forskrift", Filters(date_to="2026-11-23")) == []
