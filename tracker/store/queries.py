"""Small named read queries shared by the CLI, the digest and the workbench."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import Any

import sqlite_utils

#: SQLite's bound-parameter limit is 32,766 (older builds: 999); `select_in` stays far below it
IN_CHUNK = 500


def select_in(db: sqlite_utils.Database, sql: str, values: Sequence[Any], *,
              before: Sequence[Any] = (), after: Sequence[Any] = ()) -> Iterator[dict[str, Any]]:
    """Rows of `sql` for any number of `values`, queried in chunks.

    `sql` holds ``{marks}`` where the values' placeholders go (it may hold it more than once,
    e.g. ``id in ({marks}) or url in ({marks})``); `before` and `after` are the parameters that
    stand before and after them.
    """
    values = list(values)
    repeat = sql.count("{marks}")
    for start in range(0, len(values), IN_CHUNK):
        chunk = values[start : start + IN_CHUNK]
        yield from db.query(sql.format(marks=",".join("?" * len(chunk))), [*before, *(chunk * repeat), *after])


def list_items(db: sqlite_utils.Database, *, source: str | None = None, kind: str | None = None,
               status: str | None = None) -> list[dict[str, Any]]:
    where, params = [], []
    for column, value in (("source", source), ("kind", kind), ("status", status)):
        if value:
            where.append(f"{column} = ?")
            params.append(value)
    sql = "select * from items" + (" where " + " and ".join(where) if where else "")
    sql += " order by coalesce(deadline, '9999') , id"
    rows = []
    for row in db.query(sql, params):
        for key in ("documents", "extra", "labels"):
            if row.get(key):
                row[key] = json.loads(row[key])
        row["relevant"] = bool(row["relevant"]) if row.get("relevant") is not None else None
        rows.append(row)
    return rows


def list_events(db: sqlite_utils.Database, *, since: str | None = None, kind: str | None = None,
                item_id: str | None = None) -> list[dict[str, Any]]:
    where, params = [], []
    if since:
        where.append("at >= ?")
        params.append(since)
    if kind:
        where.append("kind = ?")
        params.append(kind)
    if item_id:
        where.append("item_id = ?")
        params.append(item_id)
    sql = "select id, item_id, run_id, at, kind, field, before, after from events"
    sql += (" where " + " and ".join(where) if where else "") + " order by id"
    rows = []
    for row in db.query(sql, params):
        for key in ("before", "after"):
            value = row[key]
            if value and value[:1] in "[{":
                row[key] = json.loads(value)
        rows.append(row)
    return rows
