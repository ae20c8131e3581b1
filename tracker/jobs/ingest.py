"""`ncp-tracker ingest`: store the feed export of a plain Scrapy crawl as if the tracker had run it.

    scrapy crawl no_regjeringen_horinger -s CONTACT=you@example.org -O items.jsonl
    ncp-tracker ingest items.jsonl --source no_regjeringen_horinger

The file is JSON Lines: the spider's items, and the crawl report (crawlers/report.py) that ends
every finished crawl. Everything is checked before anything is stored — one source, known
fields, a report — and the items then go through `tracker.jobs.storing.store_crawl`, the same
function the store pipeline of a tracker crawl calls: same change events, same health.

A deadline given as a day alone («2026-11-24») is stored as the end of that day in Oslo, as a
spider writes it (`crawlers.dates.deadline_at`): the item's, and those in ``extra``
(`tracker.store.deadlines.DEADLINE_EXTRAS`).

An item's date (``published``, ``deadline``, and the dates and times in ``extra`` the tracker reads:
`EXTRA_DATE_FIELDS`, `EXTRA_DATE_LISTS`) that cannot be read is left out of the item, not the
item refused: the consultation, its title, link and text are still tracked (a stored date is kept:
a field the scrape did not give is not changed), and the run notes it (amber: the source said
something the tracker could not read) besides the line-by-line warnings `Checked.warnings`. A
crawl report whose ``as_of`` is not a date and time, or is earlier than the store's latest run of
the source (its items would have been last seen before they were first seen), is refused.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import sqlite_utils

from crawlers.dates import parse_date
from crawlers.items import REPORT_VERSION, CrawlReport, TrackedItem
from tracker.attention.profiles import known_sources
from tracker.jobs.storing import Report, store_crawl
from tracker.store import health
from tracker.store import merge as store
from tracker.store.changes import CASE_TIMES, FORECASTS, HEARING_TIMES, SITTINGS
from tracker.store.deadlines import DEADLINE_EXTRAS, stored_deadline, to_datetime


class IngestError(Exception):
    """A file that cannot be ingested; the message says why. Nothing was stored."""


#: the item fields that hold a date: ISO 8601 with an offset, as the spiders write them (crawlers.dates.iso)
DATE_FIELDS = ("published", "deadline")
#: the dates and times in `extra` that the tracker reads as such: a committee hearing's times, a
#: Storting case's saksgang days (tracker.store.changes), the deadline for written input, the day
#: Have your say opens for feedback (tracker.store.merge)
EXTRA_DATE_FIELDS = (*HEARING_TIMES, "innspillsfrist", *CASE_TIMES, "opens")
#: lists in `extra` whose entries carry a date or time: a committee hearing's sittings, an EU
#: procedure's forecasts and key events (OEIL) — the list key → its entries' date key
EXTRA_DATE_LISTS = {SITTINGS: "tidspunkt", FORECASTS: "date", "key_events": "date"}


def read_date(value: Any) -> datetime | None:
    """`value` as the store reads a stored date (tracker.store.deadlines.to_datetime: ISO 8601, naive
    in Oslo time), and only a date the spiders would accept (crawlers.dates: a year 1990–2100)."""
    if not isinstance(value, str) or parse_date(value) is None:
        return None
    return to_datetime(value)


def _unreadable_dates(path: Path, number: int, data: dict[str, Any]) -> list[str]:
    """Leave out the dates of an item that cannot be read; a warning for each. A list in `extra`
    with an unreadable date (EXTRA_DATE_LISTS) is left out as a whole: what the store holds of it
    is kept, as for any field the crawl did not give (tracker.store.merge)."""
    out = []
    for name in DATE_FIELDS:
        value = data.get(name)
        if value not in (None, "") and read_date(value) is None:
            del data[name]
            out.append(f"{path}:{number}: {name} {value!r} is not a date (ISO 8601); left out, the item is stored")
    extra = data.get("extra")
    if not isinstance(extra, dict):
        return out
    for name in EXTRA_DATE_FIELDS:
        value = extra.get(name)
        if value not in (None, "") and read_date(value) is None:
            del extra[name]
            out.append(f"{path}:{number}: extra.{name} {value!r} is not a date (ISO 8601); left out, "
                       "the item is stored")
    for name, key in EXTRA_DATE_LISTS.items():
        rows = extra.get(name)
        bad = [(i, row[key]) for i, row in enumerate(rows) if isinstance(row, dict)
               and row.get(key) not in (None, "") and read_date(row[key]) is None] if isinstance(rows, list) else []
        if bad:
            del extra[name]
            out += [f"{path}:{number}: extra.{name}[{i}].{key} {value!r} is not a date (ISO 8601); extra.{name} "
                    "left out, the item is stored" for i, value in bad]
    return out


def _deadlines_as_stored(data: dict[str, Any]) -> None:
    """An item's deadlines given as a day alone («2026-11-24») as a spider gives them: the end of
    that day in Oslo (`tracker.store.deadlines.stored_deadline`, `crawlers.dates.deadline_at`) —
    the deadline, and those in `extra` (`DEADLINE_EXTRAS`). A feed from elsewhere is stored as a
    crawl's own output would be."""
    if data.get("deadline"):
        data["deadline"] = stored_deadline(data["deadline"])
    extra = data.get("extra")
    for name in DEADLINE_EXTRAS if isinstance(extra, dict) else ():
        if extra.get(name):
            extra[name] = stored_deadline(extra[name])


def read_feed(path: Path, source: str, warnings: list[str] | None = None
              ) -> tuple[list[dict[str, Any]], Report, str | None]:
    """(items, report, the report's as_of) of a feed export of `source`, or IngestError.

    An item's date that cannot be read is left out, with a line in `warnings` and an amber note
    in the report."""
    warnings = [] if warnings is None else warnings
    bad_dates: list[int] = []
    if not path.is_file():
        raise IngestError(f"{path}: no such file")
    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise IngestError(f"{path}: cannot read it as UTF-8 text ({exc})") from exc
    if not text.strip():
        raise IngestError(f"{path}: the file is empty (a crawl's output holds at least its crawl report)")
    item_fields, report_fields = set(TrackedItem.fields), set(CrawlReport.fields)
    items: list[dict[str, Any]] = []
    reports: list[dict[str, Any]] = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except ValueError as exc:
            raise IngestError(f"{path}:{number}: not JSON ({exc}); expected JSON Lines as "
                              "`scrapy crawl NAME -O items.jsonl` writes them") from exc
        if not isinstance(data, dict):
            raise IngestError(f"{path}:{number}: not a JSON object; expected JSON Lines as "
                              "`scrapy crawl NAME -O items.jsonl` writes them")
        if "crawl_report" in data:
            unknown = set(data) - report_fields
            if unknown or data.get("crawl_report") != REPORT_VERSION:
                raise IngestError(f"{path}:{number}: not a crawl report of this version "
                                  f"(crawl_report={data.get('crawl_report')!r}, unknown fields: {sorted(unknown)})")
            if data.get("source") != source:
                raise IngestError(f"{path}:{number}: the crawl report is of source {data.get('source')!r}, "
                                  f"not {source!r}")
            reports.append(data)
            continue
        unknown = set(data) - item_fields
        if unknown:
            raise IngestError(f"{path}:{number}: not an item of ncp-tracker's spiders "
                              f"(unknown fields: {', '.join(sorted(unknown))})")
        if data.get("source") != source:
            raise IngestError(f"{path}:{number}: item of source {data.get('source')!r}, not {source!r}")
        if not data.get("title") or not data.get("url"):
            raise IngestError(f"{path}:{number}: item without title or url")
        found = _unreadable_dates(path, number, data)
        _deadlines_as_stored(data)
        warnings += found
        bad_dates += [number] * len(found)
        items.append(data)
    if not reports:
        raise IngestError(f"{path}: no crawl report: not the complete output of a finished crawl "
                          f"({len(items)} items; the crawl was cut short, or the file was written by something else)")
    if len(reports) > 1:
        raise IngestError(f"{path}: {len(reports)} crawl reports: the output of several crawls in one file")
    report = Report.from_item(reports[0])
    if bad_dates:
        lines = ", ".join(str(n) for n in sorted(set(bad_dates)))
        report.notes.append(("amber", f"{len(bad_dates)} unreadable date(s) left out (line numbers {lines})"))
    return items, report, reports[0].get("as_of")


@dataclass
class Checked:
    """A feed export that passed every check, ready to store."""

    path: Path
    source: str
    as_of: datetime
    items: list[dict[str, Any]]
    report: Report
    warnings: list[str]  # what was left out of the items (unreadable dates), line by line


def check_feed(path: Path, *, source: str, as_of: datetime | None = None) -> Checked:
    """Every check of `ingest`, before any database is opened (IngestError says what is wrong)."""
    sources = known_sources()
    if source not in sources:
        raise IngestError(f"unknown source {source!r} (known: {', '.join(sources)})")
    warnings: list[str] = []
    items, report, report_as_of = read_feed(path, source, warnings)
    if as_of is None:
        if not report_as_of:
            raise IngestError(f"{path}: the crawl report has no as_of; pass --as-of")
        as_of = read_date(report_as_of)
        if as_of is None:
            raise IngestError(f"{path}: the crawl report's as_of {report_as_of!r} is not a date and time "
                              "(ISO 8601); pass --as-of")
    return Checked(path, source, as_of, items, report, warnings)


def _shown(when: datetime) -> str:
    return to_datetime(when).isoformat(timespec="seconds")  # Oslo time, as the user passes --as-of


def latest_run(db: sqlite_utils.Database, source: str) -> datetime | None:
    """The clock (as_of) of the store's latest run of `source`; None when it has none."""
    if not db["runs"].exists() or not db["health"].exists():
        return None
    row = db.execute("select max(r.as_of) from runs r join health h on h.run_id = r.id where h.source = ?",
                     [source]).fetchone()
    return to_datetime(row[0]) if row and row[0] else None


def store_checked(db: sqlite_utils.Database, checked: Checked) -> dict[str, Any]:
    """Store a checked feed as one run of its source; returns the health row. A feed older than
    the store's latest run of the source is refused (IngestError; nothing stored)."""
    latest = latest_run(db, checked.source)
    if latest is not None and checked.as_of < latest:
        raise IngestError(f"{checked.path}: the crawl's as_of {_shown(checked.as_of)} is earlier than the "
                          f"store's latest run of {checked.source} ({_shown(latest)}); an older crawl cannot be "
                          "stored after a newer one")
    run_id = store.start_run(db, as_of=checked.as_of, mode=f"ingest:{checked.path}", sources=[checked.source])
    row = store_crawl(db, run_id=run_id, as_of=checked.as_of, report=checked.report, items=checked.items)
    store.finish_run(db, run_id, 1 if row["status"] == health.RED else 0)
    store.complete_run(db, run_id)  # nothing runs after an ingest's store
    return row


def ingest_feed(db: sqlite_utils.Database, path: Path, *, source: str, as_of: datetime | None = None) -> dict[str, Any]:
    """Check `path` and store it as one run of `source`; returns the health row (IngestError: nothing stored)."""
    return store_checked(db, check_feed(path, source=source, as_of=as_of))
