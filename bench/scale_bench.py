"""The store at scale: a generated database of (up to) a million items and five million events.

``python bench/scale_bench.py DB [--date 2026-11-24] [--tag-seconds 120]`` (DB from
``bench/gen_db.py DB --items 1000000 --events 5000000``) prints one JSON line:

- ``open_query_before_s`` / ``plan_before``: the `items --status open` query
  (tracker.store.queries.list_items) on the database as generated, with its EXPLAIN QUERY PLAN;
  then ``migrate_s``: `ncp-tracker migrate` (this program's indexes, m0801 among them), and
  ``open_query_s`` / ``plan_after`` the same query after it;
- ``items_open_cli_s``: wall time of ``ncp-tracker items --status open`` (median of three, a new
  process each time, as a person runs it), table and ``--format jsonl``, with the CPU time
  (user + system) of the same runs (``*_cpu_s``);
- ``digest_s`` (+ ``digest_first_s``, ``breakdown``) and ``search_p95_s``/``search_p50_s``: as
  bench/digest_bench.py measures them, on this database;
- ``events_window_plan``: EXPLAIN QUERY PLAN of the digest's event window
  (tracker.store.queries.DIGEST_EVENTS_SQL);
- ``db_bytes`` / ``bytes_per_item``: the file (and WAL) size per stored item;
- ``tag_*``: one ``ncp-tracker tag --all`` over the whole store, its process tree's RSS sampled
  every 0.5 s; stopped after ``--tag-seconds`` when it has not finished (then ``tag_finished`` is
  false and ``tag_eta_s`` the time the rest would take at the measured rate). ``tag_items_per_s``
  counts items committed between the first committed batch and the end (model loading excluded;
  ``tag_startup_s`` is that part).
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import statistics
import subprocess
import sys
import time
from datetime import date, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

OPEN_SQL = "select * from items where status = ? order by coalesce(deadline, '9999') , id"


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NCP_TRACKER_")}
    env["PYTHONPATH"] = str(REPO)
    return env


def _cli(db: str, *args: str) -> list[str]:
    return [sys.executable, "-m", "tracker", "--db", db, *args]


def _plan(conn: sqlite3.Connection, sql: str, params: list) -> list[str]:
    return [row[3] for row in conn.execute("explain query plan " + sql, params)]


def open_query(db: str) -> dict:
    conn = sqlite3.connect(db)
    plan = _plan(conn, OPEN_SQL, ["open"])
    times = []
    for _ in range(3):
        t0 = time.perf_counter()
        n = len(conn.execute(OPEN_SQL, ["open"]).fetchall())
        times.append(time.perf_counter() - t0)
    conn.close()
    return {"s": statistics.median(times), "plan": plan, "rows": n}


def _wall(args: list[str], n: int = 3) -> tuple[float, float]:
    """Median wall time and median CPU time (user + system) of `args`, a new process each time
    (on a loaded machine the CPU time is the part the command itself costs)."""
    import resource

    times, cpu = [], []
    for _ in range(n):
        r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        out = subprocess.run(args, cwd=REPO, env=_env(), capture_output=True, text=True, timeout=600)
        times.append(time.perf_counter() - t0)
        r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(r1.ru_utime - r0.ru_utime + r1.ru_stime - r0.ru_stime)
        if out.returncode != 0:
            raise RuntimeError(f"{' '.join(args[3:])} failed: {out.stderr.strip()[-400:]}")
    return statistics.median(times), statistics.median(cpu)


def _tagged(db: str) -> int:
    conn = sqlite3.connect(db, timeout=30)
    try:
        return conn.execute("select count(*) from items where tagger_version is not 'bench'").fetchone()[0]
    finally:
        conn.close()


def tag_all(db: str, budget_s: float) -> dict:
    from procinfo import tree_rss_kb

    conn = sqlite3.connect(db, timeout=30)
    total = conn.execute("select count(*) from items").fetchone()[0]
    # progress is counted as items no longer marked by the generator: an earlier (stopped) run's
    # items are marked again first, or a second run would count nothing until it passed them
    with conn:
        conn.execute("update items set tagger_version = 'bench' where tagger_version is not 'bench'")
    conn.close()
    before = _tagged(db)
    proc = subprocess.Popen(_cli(db, "tag", "--all"), cwd=REPO, env=_env(), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    t0 = time.perf_counter()
    peak, samples, first = 0, [], None
    last_count = time.perf_counter()
    while proc.poll() is None:
        rss = tree_rss_kb(proc.pid)
        peak = max(peak, rss)
        now = time.perf_counter()
        if now - last_count >= 5:
            last_count = now
            done = _tagged(db) - before
            samples.append((round(now - t0, 1), done, round(rss / 1024)))
            if first is None and done > 0:
                first = (now - t0, done)
        if now - t0 > budget_s:
            proc.terminate()  # committed batches stay; the one in flight is rolled back
            break
        time.sleep(0.5)
    try:
        out, err = proc.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
    elapsed = time.perf_counter() - t0
    finished = proc.returncode == 0
    done = _tagged(db) - before
    if finished:
        tagged = int(out.split()[1]) if out.startswith("tagged ") else done
    else:
        tagged = done
    if first is None:
        first = (elapsed, 0)
    rate = (tagged - first[1]) / max(1e-9, elapsed - first[0]) if tagged > first[1] else 0.0
    return {"tag_finished": finished, "tag_items": tagged, "tag_total": total, "tag_s": round(elapsed, 1),
            "tag_startup_s": round(first[0], 1), "tag_items_per_s": round(rate, 1),
            "tag_peak_rss_mb": round(peak / 1024), "tag_rss_samples": samples[-6:],
            "tag_eta_s": None if finished or not rate else round((total - tagged) / rate),
            "tag_error": None if finished or proc.returncode in (-15, -9) else err.strip()[-300:]}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("db")
    ap.add_argument("--date", default="2026-11-24")
    ap.add_argument("--tag-seconds", type=float, default=120.0)
    ap.add_argument("--no-tag", action="store_true")
    ap.add_argument("--tag-only", action="store_true", help="only the `tag --all` measurement")
    args = ap.parse_args()
    db = str(Path(args.db).resolve())
    if args.tag_only:
        print(json.dumps(tag_all(db, args.tag_seconds), ensure_ascii=False))
        return 0
    out: dict = {}
    before = open_query(db)
    out.update(open_query_before_s=before["s"], plan_before=before["plan"], open_rows=before["rows"])
    t0 = time.perf_counter()
    migrate = subprocess.run(_cli(db, "migrate"), cwd=REPO, env=_env(), capture_output=True, text=True)
    if migrate.returncode != 0:
        raise SystemExit(f"migrate failed: {migrate.stderr[-400:]}")
    out["migrate_s"] = time.perf_counter() - t0
    after = open_query(db)
    out.update(open_query_s=after["s"], plan_after=after["plan"])
    out["items_open_cli_s"], out["items_open_cli_cpu_s"] = _wall(_cli(db, "items", "--status", "open"))
    out["items_open_jsonl_cli_s"], out["items_open_jsonl_cli_cpu_s"] = _wall(
        _cli(db, "items", "--status", "open", "--format", "jsonl"))

    from digest_bench import digest_times, search_times

    from crawlers.dates import OSLO
    from tracker.store.db import open_db
    from tracker.store.queries import DIGEST_EVENTS_SQL

    store = open_db(db, migrate=False)
    as_of = datetime.combine(date.fromisoformat(args.date), datetime.min.time(), OSLO).replace(hour=6)
    out.update(digest_times(store, as_of))
    out.update(search_times(store))
    top = store.execute("select max(id) from events").fetchone()[0]
    out["events_window_plan"] = _plan(store.conn, DIGEST_EVENTS_SQL, [top - 5000, top])
    out["items"] = store.execute("select count(*) from items").fetchone()[0]
    out["events"] = top
    store.close()
    size = sum(p.stat().st_size for p in Path(db).parent.glob(Path(db).name + "*"))
    out.update(db_bytes=size, bytes_per_item=round(size / max(1, out["items"])))
    if not args.no_tag:
        print(json.dumps(out, ensure_ascii=False), file=sys.stderr, flush=True)  # kept if tagging fails
        out.update(tag_all(db, args.tag_seconds))
    print(json.dumps(out, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
