"""The web workbench under a team's load: N simulated advisers (default 20) browse and triage
for S seconds (default 30) against the production server (waitress, [web] threads) on
127.0.0.1, while a replayed crawl writes through the store's merge path and a backup is taken
halfway. Prints one JSON line: requests, requests/s, median and p95 page time, acknowledged
triage writes, 5xx answers and "database is locked" pages (both must be 0).

    python bench/web_load.py [--seconds 30] [--advisers 20] [--threads 8]

Everything runs in a temporary directory and on 127.0.0.1 only; the loops stop by themselves.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import threading
from datetime import datetime
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "tests")]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=30.0)
    ap.add_argument("--advisers", type=int, default=20)
    ap.add_argument("--threads", type=int, default=8)
    args = ap.parse_args()

    from web_support import make_accounts, run_load, running, seeded_db, summary

    from crawlers.dates import OSLO
    from tests.browser.seed import COMMITTEE, EU, HEARING, HEARING_FISH, HEARING_OLD
    from tracker.store.backup import backup
    from tracker.web.app import create_app

    as_of = datetime(2026, 11, 24, 6, tzinfo=OSLO)
    names = [f"radgiver{n:02d}" for n in range(1, args.advisers + 1)]
    with tempfile.TemporaryDirectory(prefix="ncp-web-bench-") as tmpdir:
        tmp = Path(tmpdir)
        db_path = tmp / "bench.db"
        db = seeded_db(db_path)
        make_accounts(db, [(n, "adviser") for n in names])
        db.close()
        app = create_app(str(db_path), as_of=as_of, data_dir=tmp / "data", login_max_attempts=10 * len(names))
        backups: list[float] = []

        def take_backup(result, lock: threading.Lock) -> None:
            import time

            start = time.perf_counter()
            backup(db_path, tmp / "backups", keep=2)
            backups.append(time.perf_counter() - start)

        with running(app, threads=args.threads) as base:
            result = run_load(base, str(db_path), names, [HEARING, HEARING_FISH, COMMITTEE, EU, HEARING_OLD],
                              args.seconds, as_of=as_of, during=take_backup)
    out = json.loads(summary(result, args.seconds))
    out.update(seconds=args.seconds, advisers=args.advisers, threads=args.threads,
               backup_s=round(backups[0], 2) if backups else None)
    print(json.dumps(out))
    return 0 if not result.server_errors and not result.locked else 1


if __name__ == "__main__":
    raise SystemExit(main())
