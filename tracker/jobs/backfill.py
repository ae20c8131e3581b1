"""`ncp-tracker backfill`: a source's history, unit by unit, stored as the daily run stores.

The history of a source is cut into units (a Storting session, a listing page, a watched act …:
crawlers/backfill.py), newest first. Each unit is one crawl of the source's backfill spider through
the same runner and store pipeline as the daily run (tracker/jobs/crawl.py, tracker/jobs/storing.py),
in a run marked ``runs.backfill = 1``: its events are history, and no digest reports them as news
(tracker.store.queries.digest_visible_events).

A unit that ends without a red health row is checkpointed (`backfill_checkpoints`, one row per
source and unit); a backfill that is interrupted, or finds a unit red, starts again with the
units not yet checkpointed. A paged history (regjeringen.no's hearings listing, Have your say's
register) is walked page after page: the next page's step is added to the running plan when a
page finishes green and says the walk goes on (`walk_goes_on`); a red page stops that source's
walk (run again to retry it). A unit whose content depends on --since (a watched act's works
since the year, the sitemap's pages changed since it) counts as done only for a --since no
earlier than the one it was crawled for. A retry unit (``details`` of regjeringen.no and Have your
say: the pages of stored items never read) is never done for good: it is planned whenever the
store has work for it. Politeness (POLITE_SETTINGS): one request at a time per site, at
least DOWNLOAD_DELAY seconds apart (AutoThrottle may only slow down), robots.txt obeyed, one
source and unit at a time; `-s NAME=VALUE` overrides, as for every crawl.
"""

from __future__ import annotations

import functools
import sys
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


def walk_goes_on(checkpoint: dict[str, Any], since: int) -> bool:
    """After this finished page, is there more history for `since`? When the listing links a next
    page and this page's oldest item is not older than 1 January of `since` (a page without dates
    — an unsorted register — goes on while there are pages)."""
    if not checkpoint.get("has_next"):
        return False
    oldest = checkpoint.get("oldest")
    return not oldest or oldest >= f"{since:04d}-01-01"


def _counts(checkpoint: dict[str, Any], since: int, cls: type) -> bool:
    return not cls.since_bound(checkpoint["unit"]) or int(checkpoint.get("since") or 0) <= since


@dataclass
class BackfillPlan:
    steps: list[Step]
    #: units already checkpointed, skipped: (source, unit)
    done: list[tuple[str, str]] = field(default_factory=list)
    #: per paged source, the steps expected after its step in `steps` (pages not yet found, its
    #: final units), for the progress bar's total and so its ETA
    expected: dict[str, int] = field(default_factory=dict)
    #: per paged source whose walk goes on, the listing pages estimated after its step in `steps`
    #: (`estimate_pages_left`); None while no page of it has been read: the listing alone says how
    #: many there are
    pages_left: dict[str, int | None] = field(default_factory=dict)


def _step(source: str, cls: type, unit: str, *, since: int, as_of: datetime,
          replay_dir: str | Path | None) -> Step:
    return Step(
        [source], as_of, replay_dir=str(replay_dir) if replay_dir else None,
        label=f"{source} {cls.label(unit)}", spider_args={"unit": unit, "since": str(since)},
        backfill=True, spider_classes={source: cls},
    )  # fmt: skip


def unit_text(source: str, unit: str, lang: str = "nb") -> str:
    """A backfill unit as people read it: the source's code (what --source takes) and the unit in
    the reader's words («no_regjeringen_horinger side 3», «eu_cellar rettsakt 32024L1760»). A
    step's `label` stays the code its crawl run is stored under."""
    from tracker.vocabulary import backfill_unit_name

    kind, which = spiders()[source].label_parts(unit)
    return " ".join(p for p in (source, backfill_unit_name(kind, lang), which) if p)


def step_text(step: Step, lang: str = "nb") -> str:
    """`unit_text` of a backfill step."""
    return unit_text(step.sources[0], step.spider_args["unit"], lang)


def _page_walk(source: str, cls: type, done: dict[tuple[str, str], dict[str, Any]], since: int) -> tuple[int | None, list[str]]:
    """(the next page to read, or None when the walk is over for `since`; the pages checkpointed)."""
    from crawlers.backfill import page_unit

    page, seen = 1, []
    while (source, page_unit(page)) in done:
        seen.append(page_unit(page))
        if not walk_goes_on(done[(source, page_unit(page))], since):
            return None, seen
        page += 1
    return page, seen


def estimate_pages_left(rows: list[dict[str, Any]], since: int) -> int:
    """How many more pages a walk will read for `since`, from the pages read so far (newest first):
    the days the pages covered per page, and the days left back to 1 January of `since`, capped by
    the page count the listing gave. 1 when nothing can be told yet."""
    if not rows:
        return 1
    last = rows[-1]
    total = max((int(r["pages"]) for r in rows if r.get("pages")), default=None)
    if not last.get("has_next"):
        return 0
    left_by_count = total - len(rows) if total else None
    newest = next((r["newest"] for r in rows if r.get("newest")), None)
    oldest = last.get("oldest")
    if newest and oldest:
        covered = (date.fromisoformat(newest) - date.fromisoformat(oldest)).days
        remaining = (date.fromisoformat(oldest) - date(since, 1, 1)).days
        if remaining <= 0:
            return 0
        per_page = max(covered / len(rows), 0.5)
        guess = int(remaining / per_page) + 1
        return min(guess, left_by_count) if left_by_count is not None else guess
    return left_by_count if left_by_count is not None else 1


class BackfillInputError(ValueError):
    """What `plan` cannot use of what was asked: a year out of range, a source without a backfill."""


def recorded_sources(replay_dir: str | Path) -> set[str]:
    """The sources a recorded history holds (`--replay DIR`: ``DIR/<source>/manifest.json``, the
    layout crawlers.middlewares.ReplayDay reads)."""
    return {m.parent.name for m in Path(replay_dir).glob("*/manifest.json") if m.is_file()}


def check_request(*, since: int, sources: list[str] | tuple[str, ...] = (), today: date,
                  replay_dir: str | Path | None = None) -> list[str]:
    """The sources a backfill of `sources` since `since` walks (every source with a backfill when
    none is named), checked before anything is opened or written: BackfillInputError (a ValueError)
    for a year out of range, a source without a backfill spider, or a recorded history
    (`replay_dir`) that holds none for some of them (what was typed); ValueError for a source with
    nothing to backfill (its configuration)."""
    if not FIRST_YEAR <= since <= today.year:
        raise BackfillInputError(f"--since must be a year from {FIRST_YEAR} to {today.year}, got {since}")
    available = spiders()
    unknown = [s for s in sources if s not in available]
    if unknown:
        raise BackfillInputError(f"no backfill for source(s): {', '.join(unknown)} "
                         f"(backfill exists for: {', '.join(sorted(available))})")
    chosen = list(sources or sorted(available))
    if replay_dir is not None:
        # an empty folder, or one of recorded days (data/replay), replayed every unit as a failing
        # site (HTTP 404 from the replay) and stored a red backfill run for each
        missing = [s for s in chosen if s not in recorded_sources(replay_dir)]
        if missing:
            raise BackfillInputError(f"no recorded history in {replay_dir} for: {', '.join(missing)} "
                                     "(a recording holds <source>/manifest.json)")
    for source in chosen:
        cls = available[source]
        if not cls.paged and not list(cls.units(since, today)):
            raise ValueError(f"{source}: no units of history to backfill (for {source!r} check its "
                             "configuration, e.g. the watchlist)")
    return chosen


def plan(db: sqlite_utils.Database, *, since: int, sources: list[str] | tuple[str, ...] = (),
         as_of: datetime, today: date | None = None, replay_dir: str | Path | None = None) -> BackfillPlan:
    """One step per source and unit not yet checkpointed, newest unit first; for a paged source
    the next page of its walk (or its final units once the walk is over, and its retry units while
    the store has work for them: `_retries`). What was asked is checked first (`check_request`:
    BackfillInputError or ValueError)."""
    from crawlers.backfill import page_unit

    today = today or as_of.date()
    chosen = check_request(since=since, sources=sources, today=today, replay_dir=replay_dir)
    available = spiders()
    done = checkpoints(db)
    result = BackfillPlan(steps=[])
    for source in chosen:
        cls = available[source]
        units = list(cls.units(since, today))
        if cls.paged:
            page, seen = _page_walk(source, cls, done, since)
            result.done += [(source, unit) for unit in seen]
            if page is not None:
                units.insert(0, page_unit(page))
                rows = [done[(source, u)] for u in seen]
                left = max(estimate_pages_left(rows, since) - 1, 0)
                result.expected[source] = left + len(cls.final_units)
                result.pages_left[source] = left if rows else None
            else:
                units += list(cls.final_units) + _retries(db, source, cls)
        for unit in units:
            if (source, unit) in done and _counts(done[(source, unit)], since, cls) and unit not in cls.retry_units:
                result.done.append((source, unit))
                continue
            result.steps.append(_step(source, cls, unit, since=since, as_of=as_of, replay_dir=replay_dir))
    return result


def record_checkpoint(db: sqlite_utils.Database, result: StepResult, *, since: int) -> dict[str, Any] | None:
    """Checkpoint the unit `result` crawled unless its source is red; the checkpoint row, or None."""
    import json

    from tracker.store.instants import now_iso

    if result.red:
        return None
    unit = result.step.spider_args["unit"]
    row = None
    with db.conn:
        for h in result.health:
            stats = json.loads(h.get("stats") or "{}")
            row = {"source": h["source"], "unit": unit, "since": since, "run_id": result.run_id,
                   "finished": now_iso(), "items_seen": h["items_seen"], "items_new": h["items_new"],
                   "has_next": stats.get("tracker/backfill_has_next"),
                   "oldest": stats.get("tracker/backfill_oldest"), "newest": stats.get("tracker/backfill_newest"),
                   "pages": stats.get("tracker/backfill_pages")}  # fmt: skip
            db["backfill_checkpoints"].upsert(row, pk=("source", "unit"), alter=False)
    return row


def next_steps(db: sqlite_utils.Database, result: StepResult, *, since: int) -> tuple[list[Step], int]:
    """After a green page of a paged history: (the steps that follow it — the next page, or the
    source's final units when the walk is over — and the pages still expected after them)."""
    from crawlers.backfill import page_unit

    step = result.step
    source = step.sources[0]
    cls = step.spider_classes.get(source)
    unit = step.spider_args.get("unit", "")
    if cls is None or not cls.paged or unit in cls.final_units + cls.retry_units:
        return [], 0
    done = checkpoints(db, source)
    page, seen = _page_walk(source, cls, done, since)
    make = functools.partial(_step, source, cls, since=since, as_of=step.as_of, replay_dir=step.replay_dir)
    if page is not None:
        rows = [done[(source, u)] for u in seen]
        return [make(page_unit(page))], max(estimate_pages_left(rows, since) - 1, 0) + len(cls.final_units)
    return [make(u) for u in cls.final_units
            if not ((source, u) in done and _counts(done[(source, u)], since, cls))] + [
        make(u) for u in _retries(db, source, cls)], 0


def _retries(db: sqlite_utils.Database, source: str, cls: type) -> list[str]:
    """The retry units of `source` (crawlers.backfill.BackfillMixin.retry_units) that have work now:
    a page walk's stored items whose pages were never read (blocked or failed)."""
    from tracker.store.merge import unread_details

    return list(cls.retry_units) if cls.retry_units and unread_details(db, source) else []


def run(db_path: str | Path | None, backfill: BackfillPlan, *, since: int, settings: dict[str, Any],
        progress: bool = True, on_unit: Callable[[StepResult, bool], None] | None = None,
        max_units: int | None = None, waiting: Callable[[str], None] | None = None,
        lang: str = "nb") -> list[StepResult]:
    """Crawl every step of `backfill`, checkpointing each unit as it finishes, and growing the plan
    with the next page of each paged history as its pages finish. A progress bar (units done of
    all known and estimated, with an ETA from the time the units so far took) when `progress`.
    `max_units`: stop after that many units (the rest waits for the next run, as after Ctrl-C).
    `waiting(holder)`: what it says while another crawl holds the database (run_plan's). `lang`:
    the words of the progress bar."""
    from tqdm import tqdm

    from tracker.i18n import gettext
    from tracker.jobs.crawl import run_plan
    from tracker.store.db import open_db

    steps = backfill.steps
    if max_units is not None:
        del steps[max_units:]
    expected = dict(backfill.expected)
    bar = tqdm(total=len(steps) + sum(expected.values()), desc=gettext(lang, "backfill"), unit=gettext(lang, " units"),
               disable=not progress, dynamic_ncols=True, file=sys.stderr)

    def after(result: StepResult) -> None:
        db = open_db(db_path)
        try:
            row = record_checkpoint(db, result, since=since)
            following, more = next_steps(db, result, since=since) if row is not None else ([], 0)
        finally:
            db.close()
        room = None if max_units is None else max(max_units - len(steps), 0)
        # run_plan iterates this very list: a step appended here is crawled after the ones before it
        steps.extend(following if room is None else following[:room])
        source = result.step.sources[0]
        if source in expected:  # a paged source: what its walk still expects (none after a red page)
            expected[source] = more if following else 0
        if on_unit is not None:  # its line above the bar (the bar cleared, then drawn again below it)
            with tqdm.external_write_mode(file=sys.stderr):
                on_unit(result, row is not None)
        bar.total = len(steps) + sum(expected.values())
        bar.set_postfix_str(step_text(result.step, lang)
                            + ("" if row is not None else " (" + gettext(lang, "red: not checkpointed") + ")"),
                            refresh=False)
        bar.update(1)

    try:
        return run_plan(db_path, steps, after_step=after, progress=False, settings=settings, waiting=waiting)
    finally:
        bar.close()
