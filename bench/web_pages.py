"""Each workbench page's time on a generated store (`bench/gen_db.py`): the first request (cold:
the page's queries and templates for the first time in this process) and the median of the
next ones (warm), through Flask's test client (no server, no network). Prints a table and one
JSON line.

    python bench/web_pages.py STORE [--date 2026-11-24] [--repeats 3]

The store is opened read-only for the pages (GET requests write nothing: tests/test_web_team.py).
Which page grows with the store, and by how much, is what this shows: no goal is set per page.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import date, datetime
from datetime import time as clock
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def pages(store: str) -> list[str]:
    """The pages an adviser opens in a morning, each with a real item of the store."""
    conn = sqlite3.connect(f"file:{store}?mode=ro", uri=True)
    try:
        item = conn.execute("select id from items where status = 'open' order by rowid limit 1").fetchone()
        gpfg = conn.execute("select id from items where source = 'no_nbim' order by rowid limit 1").fetchone()
    finally:
        conn.close()
    out = ["/", "/search?q=%C3%A5penhetsloven", "/search?q=h%C3%B8ring+label%3Aoecd-iv&status=open",
           "/horizon", "/watchlist", "/health", "/companies", "/gpfg?actor=Norges+Bank&stage=decision"]
    if item:
        out.insert(1, f"/item/{item[0]}")
    if gpfg:
        out.append(f"/item/{gpfg[0]}")
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("store")
    ap.add_argument("--date", default="2026-11-24", help="the workbench's clock (a day of the store)")
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args()

    from crawlers.dates import OSLO
    from tracker.web.app import create_app

    as_of = datetime.combine(date.fromisoformat(args.date), clock(9), tzinfo=OSLO)
    with tempfile.TemporaryDirectory() as data_dir:
        client = create_app(args.store, as_of=as_of, data_dir=Path(data_dir)).test_client()
        rows = []
        for path in pages(args.store):
            times, status, size = [], 0, 0
            for _ in range(1 + args.repeats):
                t0 = time.perf_counter()
                answer = client.get(path)
                times.append(time.perf_counter() - t0)
                status, size = answer.status_code, len(answer.data)
            rows.append({"page": path, "status": status, "cold_ms": round(times[0] * 1000),
                         "warm_ms": round(statistics.median(times[1:]) * 1000), "kb": size // 1024})
    width = max(len(r["page"]) for r in rows)
    print(f"{'page':<{width}}  status  cold ms  warm ms    KB")
    for r in rows:
        print(f"{r['page']:<{width}}  {r['status']:>6}  {r['cold_ms']:>7}  {r['warm_ms']:>7}  {r['kb']:>4}")
    print(json.dumps({"store": args.store, "date": args.date, "pages": rows}))
    return 0 if all(r["status"] == 200 for r in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
