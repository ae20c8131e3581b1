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
             + _plans_of_triage_queries(db, lambda: triage.close_unanswered(db, as_of)))
    assert len(plans) == 2, [sql for sql, _ in plans]
    for sql, steps in plans:
        assert steps[0].startswith("SCAN t"), (sql, steps)
        assert not any(step.startswith("SCAN i") for step in steps), (sql, steps)
