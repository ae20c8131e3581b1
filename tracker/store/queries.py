"""Small named read queries shared by the CLI, the digest and the workbench."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from typing import Any

import sqlite_utils

from tracker.store.changes import revert
from tracker.store.instants import stored
from tracker.store.status import OPEN, UPCOMING


def select_in(db: sqlite_utils.Database, sql: str, values: Sequence[Any], *,
              before: Sequence[Any] = (), after: Sequence[Any] = ()) -> Iterator[dict[str, Any]]:
    """Rows of `sql` for any number of `values`, in one query: the values travel as one JSON
    array read by ``json_each`` (no placeholder lists, no chunking, no parameter limit).

    `sql` holds ``{marks}`` where the list goes (``id in ({marks})``; it may hold it more than
    once); `before` and `after` are the parameters that stand before and after them.
    """
    values = list(values)
    if not values:
        return
    repeat = sql.count("{marks}")
    packed = json.dumps(values, ensure_ascii=False)
    yield from db.query(sql.format(marks="select value from json_each(?)"), [*before, *([packed] * repeat), *after])


def loads_json(value: Any, default: Any) -> Any:
    """A stored JSON column as Python: an already-decoded list/dict as it is, `default` for NULL,
    empty or unreadable text."""
    if isinstance(value, dict | list):
        return value
    try:
        return json.loads(value) if value else default
    except (TypeError, ValueError):
        return default


def consultee_list(value: Any) -> list[dict[str, Any]] | None:
    """A stored consultee list (`items.consultees`, or the same field in an event's before/after:
    JSON text or a decoded list) as its entries; None when the list is not known (NULL, empty or
    unreadable text, not a list)."""
    listed = loads_json(value, None)
    return [c for c in listed if isinstance(c, dict)] if isinstance(listed, list) else None


def label_evidence(item: dict[str, Any]) -> list[dict[str, Any]]:
    """An item's labels, strongest first: ``{"label", "strength", "instrument", "evidence": [spans]}``.

    Read from the item's `labels` and `evidence` columns (the one place labels are stored); a label
    without an evidence entry (tagged before evidence was kept) is listed with no spans. A span
    inside a longer span of the same field is left out: a lexicon word inside an instrument's name
    ("Carbon" in "Carbon Border Adjustment Mechanism") says nothing the name does not.
    """
    labels = [x for x in loads_json(item.get("labels"), []) if isinstance(x, str)]
    evidence = loads_json(item.get("evidence"), {})
    evidence = evidence if isinstance(evidence, dict) else {}
    out = []
    for label in labels:
        entry = evidence.get(label) if isinstance(evidence.get(label), dict) else {}
        spans = _outermost(entry.get("evidence") if isinstance(entry.get("evidence"), list) else [])
        out.append({"label": label, "strength": entry.get("strength"),
                    "instrument": entry.get("instrument") or "", "evidence": spans})
    out.sort(key=lambda t: (-(t["strength"] or 0.0), t["label"]))
    return out


def _outermost(spans: list[Any]) -> list[Any]:
    """`spans` without those inside a longer span of the same field (order kept; spans without
    usable offsets are kept as they are)."""
    def reach(span: Any) -> tuple[Any, int, int] | None:
        if isinstance(span, dict) and isinstance(span.get("start"), int) and isinstance(span.get("end"), int):
            return span.get("field"), span["start"], span["end"]
        return None

    reaches = [reach(span) for span in spans]
    placed = [r for r in reaches if r is not None]
    if len(placed) < 2:
        return spans
    return [span for span, r in zip(spans, reaches, strict=True) if r is None or not any(
        f == r[0] and s <= r[1] and r[2] <= e and e - s > r[2] - r[1] for f, s, e in placed)]


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


#: THE test of an event `e` written by a backfill run (`runs.backfill` = 1, `ncp-tracker
#: backfill`): history found later, not news — but see HISTORY_EVENT_SQL
BACKFILL_EVENT_SQL = "exists (select 1 from runs r where r.id = e.run_id and r.backfill = 1)"


def found_by_backfill_sql(alias: str = "i") -> str:
    """THE test of an item (`alias` in the query) first recorded by a backfill run, its "new" event
    a backfill's: its `first_seen` is the walk's clock, which says nothing of when it appeared."""
    return (f"exists (select 1 from events e where e.item_id = {alias}.id and e.kind = 'new' "
            f"and {BACKFILL_EVENT_SQL})")


#: a backfill walks its source newest first: its first page holds the hearings of the last days,
#: which it may store before the next daily run sees them (that run then finds them known). The
#: "new" event `e` of an item published at most this many days before it is news, whoever wrote it
BACKFILL_NEWS_DAYS = 7
RECENT_NEW_EVENT_SQL = (f"(e.kind = 'new' and exists (select 1 from items ni where ni.id = e.item_id "
                        f"and substr(ni.published, 1, 10) >= date(e.at, '-{BACKFILL_NEWS_DAYS} days')))")
#: likewise a backfill that re-reads a live consultation's page (the walk's newest page, the retry
#: of pages never read, the current Storting session) may see a change before the daily run, which
#: then finds it known: a change of a live consultation's status (closed early, withdrawn,
#: reopened), and a move of its deadline or times or a document added or removed while it is live —
#: open now, or its deadline not passed on the event's day (a digest of that day made again after
#: it closed says the same) — are news whoever wrote them (its text's changes stay history: another
#: channel's wording of the same page is no change to report)
_LIVE = f"('{OPEN}', '{UPCOMING}')"
LIVE_CHANGE_EVENT_SQL = (f"((e.kind = 'status_changed' and (e.before in {_LIVE} or e.after in {_LIVE}))"
                         " or (e.kind in ('deadline_changed', 'times_changed', 'documents_added', 'documents_removed')"
                         " and exists (select 1 from items li where li.id = e.item_id"
                         f" and (li.status in {_LIVE} or substr(li.deadline, 1, 10) >= substr(e.at, 1, 10)))))")
#: THE test of an event `e` that is history, not news: a backfill run's, but for the "new" event of
#: an item published in the week before it (RECENT_NEW_EVENT_SQL) and a live consultation's changes
#: (LIVE_CHANGE_EVENT_SQL) — what no digest, digest section or since-list of the workbench shows
HISTORY_EVENT_SQL = f"({BACKFILL_EVENT_SQL} and not {RECENT_NEW_EVENT_SQL} and not {LIVE_CHANGE_EVENT_SQL})"
#: THE test of a daily run (`runs` as ``r``): not a backfill's walk through a source's past, whose
#: success says nothing of today's news — the sources' health, the freshness of the data and the
#: digest's clock are the daily runs'
DAILY_RUN_SQL = "not coalesce(r.backfill, 0)"


def latest_daily_clock(db: sqlite_utils.Database) -> datetime | None:
    """The clock (`as_of`, in Oslo) of the store's latest daily run (DAILY_RUN_SQL), or None when it
    has none: the day the store's items stand at. A replay of an earlier day would roll them back."""
    from tracker.store.deadlines import to_datetime

    if "runs" not in db.table_names():
        return None
    row = next(db.query(f"select max(as_of) as latest from runs r where as_of is not null and {DAILY_RUN_SQL}"), None)
    return to_datetime(row["latest"]) if row and row["latest"] else None


def list_events(db: sqlite_utils.Database, *, since: str | None = None, kind: str | None = None,
                item_id: str | None = None, backfill: bool = True) -> list[dict[str, Any]]:
    """Change events, oldest first; each says whether a backfill run wrote it (`backfill`: found by
    a walk through the source's history) and whether it is history (`history`: what the digest
    leaves out, HISTORY_EVENT_SQL — a backfill's events but this week's items and a live
    consultation's changes that the walk saw first). ``backfill=False`` leaves out history."""
    where, params = [], []
    if since:
        where.append("e.at >= ?")
        params.append(since)
    if kind:
        where.append("e.kind = ?")
        params.append(kind)
    if item_id:
        where.append("e.item_id = ?")
        params.append(item_id)
    if not backfill:
        where.append(f"not {HISTORY_EVENT_SQL}")
    sql = (f"select e.id, e.item_id, e.run_id, e.at, e.kind, e.field, e.before, e.after,"
           f" {BACKFILL_EVENT_SQL} as backfill, {HISTORY_EVENT_SQL} as history from events e")
    sql += (" where " + " and ".join(where) if where else "") + " order by e.id"
    rows = []
    for row in db.query(sql, params):
        for key in ("before", "after"):
            value = row[key]
            if value and value[:1] in "[{":
                row[key] = json.loads(value)
        row["backfill"], row["history"] = bool(row["backfill"]), bool(row["history"])
        rows.append(row)
    return rows


#: THE query for the events a digest reports: those in an id window, except history (the events
#: of backfill runs, HISTORY_EVENT_SQL): history found today is not news.
DIGEST_EVENTS_SQL = f"""select e.* from events e
  where e.id > ? and e.id <= ?
    and not {HISTORY_EVENT_SQL}
  order by e.id"""


def digest_visible_events(db: sqlite_utils.Database, after_id: int, upto_id: int) -> list[dict[str, Any]]:
    """Events with ``after_id < id <= upto_id`` that a digest may report (as new, changed, …):
    every event but those written by a backfill run. `before`/`after` are returned as stored."""
    return list(db.query(DIGEST_EVENTS_SQL, [after_id, upto_id]))


def last_event_id(db: sqlite_utils.Database, as_of: datetime) -> int:
    """The id of the last event recorded at or before `as_of` (0 if none): the newest first, compared
    as stored instants (one form, UTC: text order is time order). It read every later event in
    Python, 11 s for a digest of a day seven years back in 5,000,000 events."""
    # NOT INDEXED: newest first by id, stopping at the first (the at index made SQLite sort them all)
    row = db.execute("select id from events not indexed where at <= ? order by id desc limit 1",
                     [stored(as_of)]).fetchone()
    return int(row[0]) if row else 0


def recorded_after(db: sqlite_utils.Database, upto: int | None) -> bool:
    """Were events recorded after event `upto`? (None: the present, nothing after it.)"""
    return upto is not None and bool(db.execute("select exists(select 1 from events where id > ?)",
                                                [upto]).fetchone()[0])


#: the kinds of event that change what an item was (its fields, status, deadline, presence)
STATE_EVENT_KINDS = ("updated", "deadline_changed", "status_changed", "stage_changed", "times_changed",
                     "forecasts_changed", "vanished", "reappeared")


def stood_where(db: sqlite_utils.Database, now: str, upto: int | None,
                alias: str = "items") -> tuple[str, list[Any]]:
    """A where-clause for the items that met `now` (a condition on `items` as they stand) once event
    `upto` was recorded, and its parameters after those of `now`: also the items a later event
    changed (they may have met it then), never those first recorded later. Check `now` again on
    the rows `as_they_stood` gives. `upto` None, or no later event: `now` itself."""
    if not recorded_after(db, upto):
        return now, []
    kinds = ", ".join(f"'{k}'" for k in STATE_EVENT_KINDS)
    return (f"(({now}) or {alias}.id in (select item_id from events where id > ? and kind in ({kinds}))) "
            f"and not exists (select 1 from events n where n.item_id = {alias}.id and n.kind = 'new' "
            f"and n.id > ?)"), [upto, upto]


def cases_with_hearing_items(db: sqlite_utils.Database, case_ids: Iterable[str],
                             upto: int | None = None) -> set[str]:
    """The Storting cases among `case_ids` (native ids of no_stortinget_spu) that a committee
    hearing item holds (its `extra.case_ids`), known once event `upto` was recorded (None: now).
    Such a case's hearing dates are that item's: the horizon and the calendar give them once."""
    # a hearing first recorded later was unknown then (as stood_where: its `new` event by item)
    later = recorded_after(db, upto)
    return {str(r["value"]) for r in select_in(
        db, "select j.value from items h, json_each(case when json_valid(h.extra) then h.extra else '{{}}' end, "
            "'$.case_ids') j where h.kind = 'committee_hearing' and h.extra like '%case_ids%' "
            "and cast(j.value as text) in ({marks})"
            + (" and not exists (select 1 from events n where n.item_id = h.id and n.kind = 'new' and n.id > ?)"
               if later else ""),
        sorted({str(c) for c in case_ids}), after=[upto] if later else [])}


def recorded_later(db: sqlite_utils.Database, upto: int | None) -> set[str]:
    """The items first recorded after event `upto` (unknown as things stood then; None: none)."""
    if not recorded_after(db, upto):
        return set()
    return {r[0] for r in db.execute("select item_id from events where id > ? and kind = 'new'", [upto])}


def as_they_stood(db: sqlite_utils.Database, rows: list[dict[str, Any]],
                  upto: int | None) -> list[dict[str, Any]]:
    """`rows` of `items` as they stood once event `upto` was recorded (a digest of an earlier
    day): every field a later event changed set back (`tracker.store.changes.revert`), the items
    first recorded later left out. `upto` None, or no later event: `rows` as they are."""
    if not recorded_after(db, upto):
        return rows
    later: dict[str, list[dict[str, Any]]] = {}
    for e in select_in(db, "select * from events where id > ? and item_id in ({marks}) order by id",
                       sorted({r["id"] for r in rows}), before=[upto]):
        later.setdefault(e["item_id"], []).append(e)
    out = []
    for row in rows:
        old = revert(row, later[row["id"]]) if row["id"] in later else row
        if old is not None:
            out.append(old)
    return out
