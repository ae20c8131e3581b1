"""`ncp-tracker backfill`: a source's history, unit by unit, stored as the daily run stores.

The history of a source is cut into units (a Storting session, …: crawlers/backfill.py), newest
first. Each unit is one crawl of the source's backfill spider through the same runner and store
pipeline as the daily run (tracker/jobs/crawl.py, tracker/jobs/storing.py), in a run marked
``runs.backfill = 1``: its events are history, and no digest reports them as news
(tracker.store.queries.digest_visible_events).

A unit that ends without a red health row is checkpointed (`backfill_checkpoints`, one row per
source and unit); a backfill that is interrupted, or finds a unit red, starts again with the
units not yet checkpointed. Politeness (POLITE_SETTINGS): one request at a time per site, at
least DOWNLOAD_DELAY seconds apart (AutoThrottle may only slow down), robots.txt obeyed, one
source and unit at a time; `-s NAME=VALUE` overrides, as for every crawl.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import sqlite_utils

from tracker.jobs.crawl import Step, StepResult

#: the polite defaults of a backfill (on top of crawlers/settings.py; `-s` pairs win)
POLITE_SETTINGS: dict[str, Any] = {
    "DOWNLOAD_DELAY": 3.0,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 1,
    "AUTOTHROTTLE_ENABLED": True,
    "AUTOTHROTTLE_START_DELAY": 3.0,
    "AUTOTHROTTLE_TARGET_CONCURRENCY": 1.0,
    "ROBOTSTXT_OBEY": True,
}
#: the oldest year a backfill may start from
FIRST_YEAR = 2000


def polite_settings(configured: dict[str, Any], overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """Scrapy settings of a backfill: the configuration's (`configured`), made at least as polite
    as POLITE_SETTINGS (a longer configured delay stays), then the `-s` pairs (`overrides`)."""
    out = dict(configured)
    for key, value in POLITE_SETTINGS.items():
        if key in ("DOWNLOAD_DELAY", "AUTOTHROTTLE_START_DELAY"):
            out[key] = max(float(out.get(key) or 0.0), value)
        elif key == "CONCURRENT_REQUESTS_PER_DOMAIN":
            out[key] = min(int(out.get(key) or value), value)
        else:
            out[key] = value
    overrides = dict(overrides or {})
    if "DOWNLOAD_DELAY" in overrides and "AUTOTHROTTLE_START_DELAY" not in overrides:
        overrides["AUTOTHROTTLE_START_DELAY"] = overrides["DOWNLOAD_DELAY"]  # AutoThrottle starts there
    return {**out, **overrides}


def spiders() -> dict[str, type]:
    """Source → backfill spider class (imports Scrapy)."""
    from crawlers.backfill import BACKFILL_SPIDERS

    return dict(BACKFILL_SPIDERS)


def checkpoints(db: sqlite_utils.Database, source: str | None = None) -> dict[tuple[str, str], dict[str, Any]]:
    """Finished units: (source, unit) → checkpoint row. Reads only."""
    if "backfill_checkpoints" not in db.table_names():
        return {}
    sql, params = "select * from backfill_checkpoints", []
    if source:
        sql, params = sql + " where source = ?", [source]
    return {(r["source"], r["unit"]): r for r in db.query(sql, params)}


@dataclass
class BackfillPlan:
    steps: list[Step]
    #: units already checkpointed, skipped: (source, unit)
    done: list[tuple[str, str]] = field(default_factory=list)


def plan(db: sqlite_utils.Database, *, since: int, sources: list[str] | tuple[str, ...] = (),
         as_of: datetime, today: date | None = None, replay_dir: str | Path | None = None) -> BackfillPlan:
    """One step per source and unit not yet checkpointed, newest unit first (ValueError for a
    source without a backfill spider or a year out of range)."""
    today = today or as_of.date()
    if not FIRST_YEAR <= since <= today.year:
        raise ValueError(f"--since must be a year from {FIRST_YEAR} to {today.year}, got {since}")
    available = spiders()
    unknown = [s for s in sources if s not in available]
    if unknown:
        raise ValueError(f"no backfill for source(s): {', '.join(unknown)} "
                         f"(backfill exists for: {', '.join(sorted(available))})")
    done = checkpoints(db)
    result = BackfillPlan(steps=[])
    for source in sources or sorted(available):
        cls = available[source]
        for unit in cls.units(since, today):
            if (source, unit) in done:
                result.done.append((source, unit))
                continue
            result.steps.append(Step(
                [source], as_of, replay_dir=str(replay_dir) if replay_dir else None,
                label=f"{source} {cls.unit_name} {unit}", spider_args={"unit": unit},
                backfill=True, spider_classes={source: cls},
            ))  # fmt: skip
    return result


def record_checkpoint(db: sqlite_utils.Database, result: StepResult, *, since: int) -> bool:
    """Checkpoint the unit `result` crawled unless its source is red; True when checkpointed."""
    from tracker.store.instants import now_iso

    if result.red:
        return False
    unit = result.step.spider_args["unit"]
    with db.conn:
        for h in result.health:
            db["backfill_checkpoints"].upsert(
                {"source": h["source"], "unit": unit, "since": since, "run_id": result.run_id,
                 "finished": now_iso(), "items_seen": h["items_seen"], "items_new": h["items_new"]},
                pk=("source", "unit"),
            )  # fmt: skip
    return True


def run(db_path: str | Path | None, backfill: BackfillPlan, *, since: int, settings: dict[str, Any],
        progress: bool = True, on_unit: Callable[[StepResult, bool], None] | None = None) -> list[StepResult]:
    """Crawl every step of `backfill`, checkpointing each unit as it finishes. A progress bar
    (units done of all, with an ETA from the time the units so far took) when `progress`."""
    from tqdm import tqdm

    from tracker.jobs.crawl import run_plan
    from tracker.store.db import open_db

    bar = tqdm(total=len(backfill.steps), desc="backfill", unit=" units", disable=not progress,
               dynamic_ncols=True)

    def after(result: StepResult) -> None:
        db = open_db(db_path)
        try:
            ok = record_checkpoint(db, result, since=since)
        finally:
            db.close()
        bar.update(1)
        bar.set_postfix_str(result.step.label + ("" if ok else " (red: not checkpointed)"))
        if on_unit is not None:
            on_unit(result, ok)

    try:
        return run_plan(db_path, backfill.steps, after_step=after, progress=False, settings=settings)
    finally:
        bar.close()
