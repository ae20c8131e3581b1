"""Other actors' published answers to closed hearings: which hearings to check, and storing them.

The spider ``no_regjeringen_horingssvar`` yields one item per published answer. Those items are
*not* consultations, so they are stored here, in the ``answers`` table
(``item_id`` = the hearing's item id, ``url``, responder, responder type, date, format, is_ncp),
never in ``items`` — the digest, search and inbox stay about consultations.

`ncp-tracker answers` runs the spider with the closed hearings of ``no_regjeringen_horinger``
(passed as the spider argument ``hearings``, since the generic runner passes a spider only its
own source's `known` map) through the one crawl path (tracker.jobs.crawl.run_plan, whose store
pipeline calls `store` here for this spider), records the run's health like any source, and
logs in ``answer_checks`` each hearing whose answer list was read (a blocked one is asked
again first next time). When the NCP's own answer is among them, the hearing's triage moves to
``published`` (`mark_published`). Answers keep appearing for weeks after a deadline, so a
closed hearing is re-checked until `RECHECK_DAYS` after its deadline, at most `MAX_PER_RUN`
hearings per run (least recently checked first).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import sqlite_utils

from tracker.store import ids
from tracker.store.deadlines import deadline_time, to_datetime
from tracker.store.instants import stored
from tracker.vocabulary import NOTE_PUBLISHED, system_note

SPIDER = "no_regjeringen_horingssvar"
HEARINGS_SOURCE = "no_regjeringen_horinger"
RECHECK_DAYS = 60
MAX_PER_RUN = 25


def hearings_to_check(db: sqlite_utils.Database, as_of: datetime, *, limit: int = MAX_PER_RUN,
                      recheck_days: int = RECHECK_DAYS) -> dict[str, dict[str, Any]]:
    """Closed hearings whose answer list should be read now: ``native_id -> {url, status, item_id,
    title}`` (the title names a blocked list in health)."""
    rows = db.query(
        """select i.id, i.native_id, i.url, i.title, i.deadline, c.checked_at
           from items i left join answer_checks c on c.item_id = i.id
           where i.source = ? and i.status = 'closed' and i.native_id is not null
           order by coalesce(c.checked_at, '') , i.deadline desc, i.id""",
        [HEARINGS_SOURCE],
    )  # fmt: skip
    out: dict[str, dict[str, Any]] = {}
    for row in rows:
        deadline = deadline_time(row["deadline"])
        checked = to_datetime(row["checked_at"])
        if checked and deadline and checked > deadline + timedelta(days=recheck_days):
            continue  # read once after the answers stopped coming
        if checked and checked.date() >= as_of.date():
            continue  # already read today
        out[row["native_id"]] = {"url": row["url"], "status": "closed", "item_id": row["id"], "title": row["title"]}
        if len(out) >= limit:
            break
    return out


def store(db: sqlite_utils.Database, scraped: list[dict[str, Any]], *, as_of: datetime,
          checked: dict[str, dict[str, Any]] | None = None, run_id: int | None = None) -> int:
    """Upsert the spider's answer items into ``answers``; log the hearings `checked` (those whose
    answer list was read: one that was blocked or failed is not logged, so it stays first in line
    for the next check and is never taken for read after its last chance). Returns rows stored."""
    at = stored(as_of)
    count: dict[str, int] = {}
    #: the hearing's own item id as the store holds it (else decided by tracker.store.ids, as the store would)
    known_ids = {str(k): v["item_id"] for k, v in (checked or {}).items() if v.get("item_id")}
    with db.conn:
        for item in scraped:
            extra = item.get("extra") or {}
            hearing = str(extra.get("hearing_id") or "")
            if not hearing or not item.get("url"):
                continue
            item_id = known_ids.get(hearing) or ids.item_id(HEARINGS_SOURCE, hearing,
                                                             extra.get("hearing_url") or item["url"])
            existing = db.execute("select first_seen from answers where item_id = ? and url = ?",
                                  [item_id, item["url"]]).fetchone()  # fmt: skip
            db["answers"].upsert({
                "item_id": item_id, "url": item["url"], "hearing_native_id": hearing,
                "responder": extra.get("responder"), "responder_type": extra.get("responder_type"),
                "date": item.get("published"), "format": extra.get("format"),
                "is_ncp": int(bool(extra.get("is_ncp"))),
                "first_seen": existing[0] if existing else at, "last_seen": at,
            }, pk=("item_id", "url"))  # fmt: skip
            count[item_id] = count.get(item_id, 0) + 1
        for native_id, info in (checked or {}).items():
            item_id = info.get("item_id") or ids.item_id(HEARINGS_SOURCE, native_id, info.get("url") or "")
            db["answer_checks"].upsert({"item_id": item_id, "checked_at": at,
                                        "answers": count.get(item_id, 0), "run_id": run_id},
                                       pk="item_id")  # fmt: skip
    mark_published(db, as_of)
    return sum(count.values())


#: the path to `published` the store takes by itself when the NCP's answer is published (each a
#: legal move of tracker.workbench.triage): sent, or being drafted or closed unanswered and so sent
#: after all (the published answer shows it)
_TO_PUBLISHED = {"submitted": ("published",), "drafting": ("submitted", "published"),
                 "closed_unanswered": ("submitted", "published")}


def mark_published(db: sqlite_utils.Database, as_of: datetime) -> list[str]:
    """Items whose published answers include the NCP's own (``answers.is_ncp``) and whose triage
    still says it is being written, was sent or closed unanswered: moved to ``published`` (through
    ``submitted``), by the system, with the answer's address. An item no adviser took up (new,
    watching, respond, assigned, not relevant) is left to the advisers. Returns the items moved."""
    from tracker.workbench import triage

    rows = list(db.query(
        "select t.item_id, t.state, (select a.url from answers a where a.item_id = t.item_id and a.is_ncp = 1 "
        "order by coalesce(a.date, ''), a.url limit 1) as url from triage t "
        f"where t.state in ({', '.join('?' for _ in _TO_PUBLISHED)}) and t.item_id in "
        "(select item_id from answers where is_ncp = 1)", list(_TO_PUBLISHED),
    ))  # fmt: skip
    at = stored(as_of)
    for row in rows:
        for state in _TO_PUBLISHED[row["state"]]:
            triage.set_state(db, row["item_id"], state, by=triage.SYSTEM_USER, at=at, keep_note=True,
                             note=system_note(NOTE_PUBLISHED, url=row["url"]))
    return [r["item_id"] for r in rows]


def for_item(db: sqlite_utils.Database, item_id: str) -> list[dict[str, Any]]:
    """Published answers to a hearing, the NCP's first, then by date and responder."""
    return list(db.query(
        "select responder, responder_type, url, date, format, is_ncp, first_seen from answers "
        "where item_id = ? order by is_ncp desc, coalesce(date, ''), responder", [item_id],
    ))  # fmt: skip


def crawl(db_path: str | None, *, as_of: datetime, replay_dir: str | None = None,
          limit: int = MAX_PER_RUN, hearings: dict[str, dict[str, Any]] | None = None,
          settings: dict[str, Any] | None = None, waiting: Callable[[str], None] | None = None) -> dict[str, Any]:
    """Run the answers spider in this process through the tracker's one crawl path
    (tracker.jobs.crawl.run_plan; its store pipeline puts the answers into `answers`, see
    tracker.jobs.storing) and return its health row. `waiting(holder)`: what it says while
    another crawl holds the database (run_plan's)."""
    from tracker.jobs.crawl import Step, run_plan
    from tracker.store.db import open_db

    db = open_db(db_path)
    try:
        todo = hearings if hearings is not None else hearings_to_check(db, as_of, limit=limit)
    finally:
        db.close()
    step = Step([SPIDER], as_of, replay_dir=replay_dir, label="answers", spider_args={"hearings": todo})
    (result,) = run_plan(db_path, [step], progress=False, settings=settings, waiting=waiting)
    row = dict(result.health[0]) if result.health else {"source": SPIDER, "status": "red",
                                                         "reason": "the crawl left no health row"}
    row["hearings_checked"] = len(todo)
    # where the crawl's own log lines went, and how many warnings and errors (run_plan's StepResult)
    row["log_path"], row["log_warnings"], row["log_errors"] = result.log_path, result.log_warnings, result.log_errors
    # of those, the ones whose answer list was read (logged by `store` at this run's clock)
    db = open_db(db_path)
    try:
        asked = [info["item_id"] for info in todo.values() if info.get("item_id")]
        row["hearings_read"] = db.execute(
            "select count(*) from answer_checks where checked_at = ? and item_id in (select value from json_each(?))",
            [stored(as_of), json.dumps(asked)]).fetchone()[0] if asked and db["answer_checks"].exists() else 0
    finally:
        db.close()
    return row
