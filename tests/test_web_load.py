"""A bounded load test against the real server (waitress on 127.0.0.1): 20 simulated advisers
browse and triage for ~10 s while a replayed crawl writes through the store's merge path, and a
backup is taken halfway. No 5xx, no "database is locked" shown to anyone, no acknowledged triage
write lost, and the backup restores to a database holding every write acknowledged before it
started. (`python bench/web_load.py` runs the same for 30 s and reports the p95 page time.)"""

from __future__ import annotations

import sqlite3
import threading
import time
from datetime import datetime

from web_support import make_accounts, run_load, running, seeded_db, summary

from crawlers.dates import OSLO
from tests.browser.seed import COMMITTEE, EU, HEARING, HEARING_FISH, HEARING_OLD
from tracker.web.app import create_app

AS_OF = datetime(2026, 11, 24, 6, tzinfo=OSLO)
SECONDS = 10.0
ADVISERS = [f"radgiver{n:02d}" for n in range(1, 21)]


def test_twenty_advisers_while_a_crawl_writes_and_a_backup_is_taken(tmp_path):
    from tracker.store.backup import backup, restore

    db_path = tmp_path / "load.db"
    db = seeded_db(db_path)
    make_accounts(db, [(name, "adviser") for name in ADVISERS])
    db.close()
    app = create_app(str(db_path), as_of=AS_OF, data_dir=tmp_path / "data", login_max_attempts=50)
    taken: dict = {}

    def take_backup(result, lock: threading.Lock) -> None:
        with lock:
            taken["acknowledged_before"] = list(result.acknowledged)
        started = time.monotonic()
        taken["result"] = backup(db_path, tmp_path / "backups", keep=3)
        taken["seconds"] = time.monotonic() - started

    with running(app, threads=8) as base:
        result = run_load(base, str(db_path), ADVISERS, [HEARING, HEARING_FISH, COMMITTEE, EU, HEARING_OLD],
                          SECONDS, as_of=AS_OF, during=take_backup)
    print("\nweb load:", summary(result, SECONDS), f"backup {taken['seconds']:.2f}s")

    assert result.server_errors == []
    assert result.locked == []
    assert len(result.acknowledged) >= 40  # the load really happened
    assert result.crawl_rounds >= 3  # and so did the crawl

    conn = sqlite3.connect(db_path)
    stored = {note for (note,) in conn.execute("select note from triage_history where note is not null")}
    conn.close()
    missing = [note for _, _, note in result.acknowledged if note not in stored]
    assert missing == [], f"{len(missing)} acknowledged triage writes lost"

    restored = tmp_path / "restored.db"
    restore(taken["result"].path, restored)
    conn = sqlite3.connect(restored)
    in_backup = {note for (note,) in conn.execute("select note from triage_history where note is not null")}
    rows = conn.execute("select count(*) from items where source = 'no_regjeringen_horinger'").fetchone()[0]
    conn.close()
    before = [note for _, _, note in taken["acknowledged_before"]]
    assert before, "the backup was taken before any write was acknowledged"
    assert [n for n in before if n not in in_backup] == []
    assert rows >= 3
