"""The one place source health is decided: green, amber or red, with a one-line reason.

A source is never silently fine: zero items, a high parse-error rate, a
fallback channel or blocked pages always show, and `run` exits non-zero on red.
Nor is a source that finds far fewer items than it usually does: a page whose layout changed
often still parses without an error and yields a few items instead of forty. Such a run is amber
("3 items, usually about 40 (a changed page?)"), and it does not count towards what is usual, so
a page that stays broken stays amber — for two weeks (USUAL_DAYS), after which a level that
lasted is the new usual.
"""

from __future__ import annotations

import json
import statistics
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import sqlite_utils

from crawlers.notes import (
    BLOCKED_KINDS,
    BLOCKED_PAGES_STAT,
    BLOCKING_STATUSES,
    DETAIL_BLOCKED,
    first_few,
    tally,
)
from tracker.store.deadlines import to_datetime
from tracker.store.instants import stored
from tracker.store.queries import DAILY_RUN_SQL

GREEN, AMBER, RED = "green", "amber", "red"
#: the row of the documents of a run's items (tracker/documents/pipeline.py), beside the sources'
#: rows; not a crawl of its own: it never makes a run count as a successful crawl
DOCUMENTS = "documents"
#: above this share of failed parses the source is red
PARSE_ERROR_RED = 0.2
#: a run that sees fewer than this share of the source's usual items is amber: the usual is the
#: median of its last USUAL_RUNS ordinary runs of the USUAL_DAYS before it (same channel, not red,
#: not a backfill, not low themselves), judged once there are USUAL_MIN_RUNS of them and the usual
#: is DROP_MIN or more. A drop that lasts (a new Storting session's few hearings) is amber for
#: USUAL_DAYS, then the new level is the usual
DROP_SHARE, USUAL_RUNS, USUAL_MIN_RUNS, DROP_MIN, USUAL_DAYS = 0.5, 7, 3, 6, 14
#: the health row's stats keys that record the judgement (the low runs are left out of the usual)
USUAL_STAT, LOW_STAT = "tracker/usual_items", "tracker/fewer_than_usual"


@dataclass
class SourceRun:
    """Everything known about one source in one run, from the spider and the store."""

    source: str
    finish_reason: str = "finished"
    stats: dict[str, Any] = field(default_factory=dict)
    notes: list[tuple[str, str]] = field(default_factory=list)
    channel: str | None = None
    items_seen: int = 0
    items_new: int = 0
    items_changed: int = 0
    may_be_empty: bool = False
    duration_s: float = 0.0
    #: the items this source usually sees (`usual_items`); None when not known
    usual_items: int | None = None

    @property
    def fewer_than_usual(self) -> bool:
        usual = self.usual_items
        return (not self.may_be_empty and usual is not None and usual >= DROP_MIN
                and 0 < self.items_seen < usual * DROP_SHARE)


def counted(n: int, noun: str) -> str:
    """ "1 item", "2 items": the reason reads right in English, and the catalogue's singular and
    plural forms (tracker.vocabulary: HEALTH_REASONS) read it in Bokmål."""
    return f"{n} {noun}" + ("" if n == 1 else "s")


def unrecorded_requests(stats: dict[str, Any]) -> int:
    """Replayed requests with no recorded answer (answered 404 "not recorded" by
    crawlers.middlewares), robots.txt's own left out: a site without one is not a failure."""
    return int(stats.get("replay/miss", 0) or 0) - int(stats.get("robotstxt/response_status_count/404", 0) or 0)


def failed_responses(stats: dict[str, Any]) -> list[tuple[str, int]]:
    """What a crawl's responses that were not pages answered, from its Scrapy stats:
    ("HTTP 403", 15), ("challenge page", 2) (a block page answered 200, counted by the spider as
    a blocked page), ("not in the recording", 1) (a replayed request with no recorded answer).
    robots.txt's own answers are left out: a site without one is not a failure."""
    def n(key: str) -> int:
        return int(stats.get(key, 0) or 0)

    prefix = "downloader/response_status_count/"
    statuses = {int(key[len(prefix):]): n(key) - n(f"robotstxt/response_status_count/{key[len(prefix):]}")
                for key in stats if key.startswith(prefix) and key[len(prefix):].isdigit()}
    unrecorded = unrecorded_requests(stats)  # answered 404 "not recorded"
    statuses[404] = statuses.get(404, 0) - max(unrecorded, 0)
    failed = [(f"HTTP {code}", count) for code, count in statuses.items() if code >= 400 and count > 0]
    challenges = n("tracker/detail_blocked") - sum(statuses.get(code, 0) for code in BLOCKING_STATUSES)
    failed += [("challenge page", challenges)] if challenges > 0 else []
    failed += [("not in the recording", unrecorded)] if unrecorded > 0 else []
    return failed


def blocked_pages(blocked: int, names: list[str], kind: tuple[str, str] | None = None) -> str:
    """The reason of `blocked` pages refused (HTTP 403/429/challenge), naming the first few the
    spider kept (crawlers.notes.first_few: "3 detail pages blocked (403/challenge): «A», «B» and 1
    more"); only the count when it kept none (a crawl report of before they were kept). `kind`: the
    noun of the pages and what was not updated (crawlers.notes.BLOCKED_KINDS), default detail pages
    whose fields were kept ("2 answer lists blocked (403/challenge), answers not updated: …")."""
    noun, left_out = kind or ("detail page", "")
    reason = f"{counted(blocked, noun)} blocked (403/challenge)" + (f", {left_out}" if left_out else "")
    return f"{reason}: {first_few(names, total=blocked)}" if names else reason


def blocked_notes(ambers: list[str], blocked: int, names: Any = None) -> list[str]:
    """`ambers` with the count of `blocked` pages (`blocked_pages`) in place of the notes that say
    no more than it: a detail page's "… blocked (HTTP 403/429/challenge): fields kept from the
    listing and earlier runs", and the note of a kind of page that says what was not updated (the
    answer lists', OEIL's: crawlers.notes.BLOCKED_KINDS), which becomes one line saying both. Every
    other note stays (a listing page or robots.txt blocking); the count is left out when those
    notes name each page it counts themselves (OEIL's of before, one per procedure)."""
    kept = [a for a in ambers if not a.endswith(f" {DETAIL_BLOCKED}")]
    named = [str(n) for n in names] if isinstance(names, list) else []
    kinds = [a for a in kept if a in BLOCKED_KINDS]
    if len(kinds) == 1 and len(kept) == len(ambers):  # the pages counted are all of this kind
        return [blocked_pages(blocked, named, BLOCKED_KINDS[a]) if a in BLOCKED_KINDS else a for a in kept]
    told = [a for a in kept if "blocked" in a]
    if named and len(told) >= blocked and all(any(n in a for a in told) for n in named):
        return kept
    return [*kept, blocked_pages(blocked, named)]


def assess(run: SourceRun) -> tuple[str, str]:
    """(status, reason) for one source run."""
    s = run.stats
    errors = int(s.get("tracker/parse_errors", 0))
    attempts = int(s.get("tracker/parse_attempts", 0)) or (run.items_seen + errors)
    exceptions = sum(v for k, v in s.items() if k.startswith("spider_exceptions/"))
    reds = [reason for level, reason in run.notes if level == "red"]
    ambers = [reason for level, reason in run.notes if level == "amber"]
    if run.finish_reason not in ("finished", None):
        return RED, f"crawl ended early: {run.finish_reason}"
    if reds:
        return RED, "; ".join(reds)
    if run.items_seen == 0 and not run.may_be_empty:
        responses = int(s.get("downloader/response_count", 0))
        if not exceptions and (failed := failed_responses(s)):  # what the site answered instead
            return RED, f"zero items ({sum(n for _, n in failed)} of {responses} responses: {tally(failed)})"
        why = counted(exceptions, "spider error") if exceptions else "no items"
        return RED, f"zero items ({why}; {responses} responses)"
    if attempts and errors / attempts > PARSE_ERROR_RED:
        return RED, f"parse errors {errors}/{attempts} ({errors / attempts:.0%})"
    if run.fewer_than_usual:
        ambers.append(f"{counted(run.items_seen, 'item')}, usually about {run.usual_items} (a changed page?)")
    if exceptions:
        ambers.append(counted(exceptions, "spider error"))
    if errors:
        ambers.append(counted(errors, "parse error"))
    if blocked := int(s.get("tracker/detail_blocked", 0)):
        ambers = blocked_notes(ambers, blocked, s.get(BLOCKED_PAGES_STAT))
    if (misses := unrecorded_requests(s)) > 0:
        ambers.append(f"{counted(misses, 'request')} not in the recording")
    if ambers:
        return AMBER, "; ".join(dict.fromkeys(ambers))
    if run.source == DOCUMENTS:  # documents, not items; none seen when none was pending
        if not run.items_seen:
            return GREEN, "no documents to fetch"
        return GREEN, f"{counted(run.items_seen, 'document')}, {run.items_new} new, {run.items_changed} changed"
    return GREEN, f"{counted(run.items_seen, 'item')}, {run.items_new} new, {run.items_changed} changed"


def unrecognised_words(db: sqlite_utils.Database, source: str) -> list[tuple[str, int]]:
    """The status words of `source`'s stored items that `tracker.store.status` does not know
    (their status follows the deadline alone), each with how many items say it, most first:
    what a health note's "unrecognised status word" stands on, for the health page to list."""
    from tracker.store.status import unrecognised

    rows = db.execute("select trim(status_raw), count(*) from items where source = ? and status_raw is not null "
                      "and trim(status_raw) != '' group by trim(status_raw)", [source]).fetchall()
    return sorted(((word, n) for word, n in rows if unrecognised(word)), key=lambda wn: (-wn[1], wn[0]))


def record(db: sqlite_utils.Database, run_id: int, run: SourceRun, finished: str) -> dict[str, Any]:
    status, reason = assess(run)
    s = run.stats
    row = {
        "run_id": run_id, "source": run.source, "status": status, "reason": reason,
        "channel": run.channel,
        "requests": int(s.get("downloader/request_count", 0)),
        "responses": int(s.get("downloader/response_count", 0)),
        "items_seen": run.items_seen, "items_new": run.items_new, "items_changed": run.items_changed,
        "parse_errors": int(s.get("tracker/parse_errors", 0)),
        "parse_attempts": int(s.get("tracker/parse_attempts", 0)),
        "duration_s": round(run.duration_s, 2), "finished": finished,
        "notes": json.dumps(run.notes, ensure_ascii=False),
        "stats": json.dumps({**{k: v for k, v in s.items() if isinstance(v, int | float | str)},
                             **({USUAL_STAT: run.usual_items} if run.usual_items is not None else {}),
                             **({LOW_STAT: 1} if run.fewer_than_usual else {})}, default=str),
    }  # fmt: skip
    db["health"].upsert(row, pk=("run_id", "source"))
    return row


def usual_items(db: sqlite_utils.Database, source: str, channel: str | None, before_run: int) -> int | None:
    """How many items `source` usually sees on `channel`: the median over its last USUAL_RUNS
    ordinary runs of the USUAL_DAYS before run `before_run` (not red, not a backfill, not
    themselves low); None with fewer than USUAL_MIN_RUNS of them, and for a backfill run (its
    units are pages of the past)."""
    this = db.execute("select as_of, backfill from runs where id = ?", [before_run]).fetchone()
    if this is None or this[1] or not this[0]:
        return None
    since = stored(to_datetime(this[0]) - timedelta(days=USUAL_DAYS))
    seen = [row[0] for row in db.execute(
        f"""select h.items_seen from health h join runs r on r.id = h.run_id
            where h.source = ? and h.run_id < ? and h.status != '{RED}' and {DAILY_RUN_SQL}
              and r.as_of >= ? and coalesce(h.channel, '') = coalesce(?, '')
              and json_extract(h.stats, '$."{LOW_STAT}"') is null
            order by h.run_id desc limit {USUAL_RUNS}""", [source, before_run, since, channel])]
    if len(seen) < USUAL_MIN_RUNS:
        return None
    return int(statistics.median(seen))


def first_clock(db: sqlite_utils.Database) -> datetime | None:
    """The clock of the store's first run (None before any): what is known starts there. Runs'
    clocks are stored instants (UTC, one form), so SQL finds it as text."""
    return to_datetime(db.execute("select min(as_of) from runs where as_of > ''").fetchone()[0])


def latest(db: sqlite_utils.Database, upto: datetime) -> list[dict[str, Any]]:
    """The latest health row of every source crawled by a daily run whose clock is not after `upto`
    (a digest of an earlier day shows that day's checks, not later ones), with that run's clock as
    `run_as_of`. A backfill's rows are not the source's health: a green walk through its past
    must not hide that this morning's crawl failed (`ncp-tracker backfill` reports its own)."""
    return _latest_rows(db, f"r.as_of <= ? and {DAILY_RUN_SQL}", [stored(upto)])


def _latest_rows(db: sqlite_utils.Database, runs: str, params: list[Any]) -> list[dict[str, Any]]:
    """Each source's health row of the latest run (`runs r`) meeting the condition `runs`, with that
    run's clock as `run_as_of`, by source."""
    return list(db.query(
        f"""select h.*, r.as_of as run_as_of from health h
           join (select h2.source, max(h2.run_id) as run_id from health h2 join runs r on r.id = h2.run_id
                 where {runs} group by h2.source) l
             on h.source = l.source and h.run_id = l.run_id
           join runs r on r.id = h.run_id
           order by h.source""", params
    ))  # fmt: skip


def backfills(db: sqlite_utils.Database) -> list[dict[str, Any]]:
    """Every source walked by `ncp-tracker backfill`, by source: how far its history is filled —
    `units` checkpointed, the earliest year asked (`since`), the oldest day a checkpointed page
    reached (`oldest`, paged sources), `items_new` (items the walk brought into the store) — and
    its latest backfill unit's health (`status`, `reason`, `run_as_of`: that run's clock). The
    sources' health (`latest`) is the daily runs'; the health page shows the backfills' here."""
    if not db["backfill_checkpoints"].exists():
        return []
    done = {r["source"]: r for r in db.query(
        """select source, count(*) as units, min(since) as since, min(oldest) as oldest,
                  sum(coalesce(items_new, 0)) as items_new
             from backfill_checkpoints group by source""")}
    last = {r["source"]: r for r in _latest_rows(db, f"not {DAILY_RUN_SQL}", [])}
    out = []
    for source in sorted(set(done) | set(last)):
        d, h = done.get(source, {}), last.get(source, {})
        out.append({"source": source, "units": d.get("units", 0), "since": d.get("since"),
                    "oldest": d.get("oldest"), "items_new": d.get("items_new", 0),
                    "status": h.get("status"), "reason": h.get("reason"),
                    "run_as_of": to_datetime(h.get("run_as_of"))})
    return out
