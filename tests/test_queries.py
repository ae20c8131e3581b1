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
