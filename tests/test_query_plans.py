"""Queries that join the advisers' triage to the items: SQLite must let the few triage rows lead.

With statistics that show many items and no triage rows (a store after ANALYZE; the bench's
million-item store), SQLite chose to scan every item and look each up in triage: 12 s for the
horizon's internal deadlines and 1.5 s for `close_unanswered` at a million items. The queries
say CROSS JOIN, so the triage rows lead whatever the statistics say.
"""

from __future__ import annotations

from datetime import datetime

from crawlers.dates import OSLO


def _plans_of_triage_queries(db, run) -> list[tuple[str, list[str]]]:
    """(sql, plan steps) of every statement `run` executes that reads triage joined to items."""
    seen: list[str] = []
    db.conn.set_trace_callback(seen.append)
    try:
        run()
    finally:
        db.conn.set_trace_callback(None)
    out = []
    for sql in seen:
        if "triage t" in sql and "items i" in sql and sql.lstrip().lower().startswith("select"):
            out.append((sql, [row[3] for row in db.execute("explain query plan " + sql).fetchall()]))
    return out


def test_triage_leads_where_it_is_joined_to_the_items(db):
    from tracker.attention.horizon import horizon
    from tracker.workbench import triage

    db["items"].insert_all([{"id": f"x:{n}", "source": "no_lovdata", "kind": "hearing", "native_id": str(n),
                             "url": f"https://lovdata.no/{n}", "title": "t", "status": "open",
                             "deadline": "2026-12-10T23:59:59+01:00", "first_seen": "2026-11-24T05:00:00+00:00",
                             "last_seen": "2026-11-24T05:00:00+00:00"} for n in range(3000)])
    db.execute("ANALYZE")  # statistics: many items, no triage rows
    as_of = datetime(2026, 11, 24, 9, tzinfo=OSLO)
    plans = (_plans_of_triage_queries(db, lambda: horizon(db, as_of, watch_entries=[]))
             + _plans_of_triage_queries(db, lambda: triage.close_unanswered(db, as_of))
             + _plans_of_triage_queries(db, lambda: triage.reopen_extended(db, as_of)))
    assert len(plans) == 3, [sql for sql, _ in plans]
    for sql, steps in plans:
        assert steps[0].startswith("SCAN t"), (sql, steps)
        assert not any(step.startswith("SCAN i") for step in steps), (sql, steps)



def test_a_digest_of_an_earlier_day_reads_the_events_of_its_own_days(db, monkeypatch):
    """A first digest of an earlier day read every event of the store from the first one (17 s at
    5,000,000 events), and finding the day's last event parsed every later one in Python (11 s seven
    years back). The window now starts at the first event of its days (the `at` index), and the
    day's last event is found newest first by id in SQL (not by the `at` index, which made SQLite
    sort every event before taking one)."""
    from tracker.digest.build import window_events
    from tracker.store import queries
    from tracker.store.queries import last_event_id

    run = db["runs"].insert({"as_of": "2026-11-01T05:00:00+00:00"}).last_pk
    days = [f"2026-11-{d:02d}T05:00:00+00:00" for d in range(1, 25)]
    db["events"].insert_all([{"item_id": None, "run_id": run, "at": days[n // 200], "kind": "updated"}
                             for n in range(24 * 200)])
    db.execute("ANALYZE")
    asked: list[tuple[int, int]] = []
    real = queries.digest_visible_events
    monkeypatch.setattr(queries, "digest_visible_events",
                        lambda db_, after, upto: asked.append((after, upto)) or real(db_, after, upto))
    seen: list[str] = []
    db.conn.set_trace_callback(seen.append)
    try:
        upto = last_event_id(db, datetime(2026, 11, 10, 6, tzinfo=OSLO))
        events = window_events(db, 0, upto, since=datetime(2026, 11, 9, 6, tzinfo=OSLO))
    finally:
        db.conn.set_trace_callback(None)
    assert upto == 10 * 200 and {e["at"] for e in events} == {days[9]} and len(events) == 200
    # from the first event of 7 November (two days' margin before the window), not from the first event
    assert asked == [(6 * 200, upto)]
    for sql in seen:
        if "from events" in sql and sql.lstrip().lower().startswith("select"):
            steps = [row[3] for row in db.execute("explain query plan " + sql).fetchall()]
            assert not any("TEMP B-TREE" in step for step in steps), (sql, steps)


def test_the_since_filters_of_the_workbench_read_a_range_of_an_index(db):
    """The digest's notes link to the workbench's "first seen after" / "changed after" lists; at a
    million items each was a scan of the table (0.4 s), where the items of one day are a range of an
    index on `first_seen` / `last_changed`."""
    from tracker.workbench.search import Filters, filtered

    days = [f"2026-10-{d:02d}T05:00:00+00:00" for d in range(1, 31)]
    db["items"].insert_all([{"id": f"no-{n}", "source": "no_regjeringen_horinger", "kind": "hearing",
                             "title": f"Høring {n}", "url": f"https://www.regjeringen.no/id{n}/",
                             "status": "closed", "relevance": n % 7 / 7,
                             "first_seen": days[n % 30], "last_changed": days[min(29, n % 30 + n % 3)]}
                            for n in range(3000)])
    db.execute("ANALYZE")
    seen: list[str] = []
    db.conn.set_trace_callback(seen.append)
    try:
        new = filtered(db, Filters(new_since="2026-10-29T06:00"), order="relevance")
        changed = filtered(db, Filters(changed_since="2026-10-29T06:00"), order="relevance")
    finally:
        db.conn.set_trace_callback(None)
    assert {r["id"] for r in new} == {f"no-{n}" for n in range(3000) if n % 30 == 29}
    assert {r["id"] for r in changed} == {f"no-{n}" for n in range(3000)
                                          if n % 30 < 29 and min(29, n % 30 + n % 3) == 29}
    plans = [[row[3] for row in db.execute("explain query plan " + sql).fetchall()]
             for sql in seen if "from items i" in sql and sql.lstrip().lower().startswith("select")]
    assert len(plans) == 2
    for steps in plans:
        assert any(step.startswith(("SEARCH i USING INDEX idx_items_first_seen",
                                    "SEARCH i USING INDEX idx_items_last_changed")) for step in steps), steps
        assert not any(step.startswith("SCAN i") for step in steps), steps


def test_what_a_spider_knows_is_read_by_index_not_by_a_scan_of_every_item(db):
    """Every crawl of every source reads `known_items`: its own items, and those it saw that
    another source owns (`extra.also_seen_by`). The second part was a LIKE on every item's
    `extra`: a scan of the whole table per spider (0.7 s for NBIM's 20,000 of a million items).
    Now both parts are index searches, and the answer is the same."""
    from tracker.store import merge

    rows = [{"id": f"x:{n}", "source": "no_lovdata", "kind": "hearing", "native_id": str(n),
             "url": f"https://lovdata.no/{n}", "title": "t", "status": "open", "extra": "{}"} for n in range(2000)]
    rows.append({"id": "regjeringen:1", "source": "no_regjeringen_horinger", "kind": "hearing", "native_id": "1",
                 "url": "https://www.regjeringen.no/id1/", "title": "t", "status": "open",
                 "extra": '{"also_seen_by": ["no_finansdep"], "detail": "ok"}'})
    rows.append({"id": "x:named", "source": "no_lovdata", "kind": "hearing", "native_id": "named",
                 "url": "https://lovdata.no/named", "title": "no_finansdep", "status": "open",
                 "extra": '{"note": "\\"no_finansdep\\" in passing", "also_seen_by": []}'})
    db["items"].insert_all(rows)
    db.execute("ANALYZE")
    seen: list[str] = []
    db.conn.set_trace_callback(seen.append)
    try:
        known = merge.known_items(db, "no_finansdep")
    finally:
        db.conn.set_trace_callback(None)
    assert list(known) == ["1"] and known["1"]["detail"] == "ok"
    assert len(merge.known_items(db, "no_lovdata")) == 2001
    (sql,) = [s for s in seen if "from items" in s]
    plan = [row[3] for row in db.execute("explain query plan " + sql).fetchall()]
    assert not any(step.startswith("SCAN items") and "INDEX" not in step for step in plan), plan
    assert any("idx_items_seen_by_others" in step for step in plan), plan
