"""select_in: any number of values, placeholders repeated, parameters before and after."""

import sqlite_utils

from tracker.store.queries import select_in


def _db():
    db = sqlite_utils.Database(memory=True)
    db["t"].insert_all([{"id": f"i{n}", "url": f"u{n}", "kind": "a" if n % 2 else "b"} for n in range(1300)], pk="id")
    return db


def test_more_values_than_sqlites_old_parameter_limit():
    db = _db()
    wanted = [f"i{n}" for n in range(0, 1300, 1)]
    assert len(wanted) > 999
    rows = list(select_in(db, "select id from t where id in ({marks})", wanted))
    assert len(rows) == 1300


def test_repeated_marks_and_surrounding_parameters():
    db = _db()
    rows = list(select_in(db, "select id from t where kind = ? and (id in ({marks}) or url in ({marks})) and id != ?",
                          ["i1", "u3", "i2", "u5"], before=["a"], after=["i5"]))
    assert sorted(r["id"] for r in rows) == ["i1", "i3"]


def test_no_values_no_query():
    assert list(select_in(_db(), "select id from t where id in ({marks})", [])) == []


def test_events_without_backfill_leave_out_what_the_digest_leaves_out(db):
    """`ncp-tracker events --no-backfill` (a feed for other tools) left out every event of a backfill
    run, also a hearing of this week that the walk stored before the morning run: what the digest
    reports (tracker.store.queries.HISTORY_EVENT_SQL) is what it keeps."""
    from datetime import datetime

    from crawlers.dates import OSLO
    from tracker.store import merge
    from tracker.store.queries import list_events

    as_of = datetime(2026, 11, 24, 14, tzinfo=OSLO)
    run = merge.start_run(db, as_of=as_of, mode="test", sources=["no_regjeringen_horinger"], backfill=True)
    merge.apply_scrape(db, run_id=run, as_of=as_of, source="no_regjeringen_horinger", items=[
        {"source": "no_regjeringen_horinger", "kind": "hearing", "native_id": n, "title": f"Høring {n}",
         "url": f"https://www.regjeringen.no/no/dokumenter/h/id{n}/", "published": published}
        for n, published in (("3172399", "2026-11-23T10:00:00+01:00"), ("2477095", "2016-03-01T10:00:00+01:00"))])
    every = list_events(db)
    assert [(e["item_id"], e["backfill"], e["history"]) for e in every] == [
        ("regjeringen:3172399", True, False), ("regjeringen:2477095", True, True)]
    assert [e["item_id"] for e in list_events(db, backfill=False)] == ["regjeringen:3172399"]
    # the item page marks history only: this week's hearing is news there too, as in the digest
    from tracker.web.app import create_app

    path = next(p for _, name, p in db.execute("pragma database_list").fetchall() if name == "main")
    client = create_app(path, data_dir=f"{path}.data").test_client()
    assert "funnet senere, i kildens historikk" in client.get("/item/regjeringen:2477095").get_data(as_text=True)
    assert "kildens historikk" not in client.get("/item/regjeringen:3172399").get_data(as_text=True)
