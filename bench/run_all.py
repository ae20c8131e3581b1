"""`make bench`: every benchmark of the tracker in one run, printed as one table.

Each figure is measured in this run on this machine, as a ratio to a baseline measured in the
same run where the issue asks for one:

- tagging words/s ÷ spaCy's blank tokenizer (and ÷ a naive substring keyword loop), from
  `bench/tagger.py` (run as a subprocess, its ratio line parsed);
- replay crawl pages/s through our spiders, pipelines and store ÷ a bare Scrapy spider that only
  reads the same recorded pages through the same ReplayMiddleware, and our spiders alone (no
  pipelines, HTTP cache or store) ÷ the bare spider: the first's ceiling (`bench/crawl_bench.py`,
  best of three runs each, alternating);
- a second crawl of an unchanged replay day through the real CLI, with the database and HTTP
  cache of the first: full downloads ÷ the first run's (`replay/full_download` stats);
- digest generation and full-text search on a generated database of 100,000 items and
  1,000,000 events (`bench/gen_db.py`, `bench/digest_bench.py`);
- `ncp-tracker --help` wall time (median of five; `python -m tracker` and the venv's console
  script when there is one);
- peak RSS of a full `ncp-tracker demo` (os.wait4 of that one child);
- the web workbench's p95 page time with 20 advisers for 30 s while a replayed crawl writes
  (`bench/web_load.py`; no 5xx and no "database is locked" is the goal).

``python bench/run_all.py [--record]``: ``--record`` also writes the table, with the machine
described, to bench/RESULTS.md. Everything runs in a temporary directory; nothing in the
repository is touched (except RESULTS.md with --record).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PY = sys.executable
REPLAY = REPO / "data" / "replay"


@dataclass
class Row:
    name: str
    measured: str
    goal: str
    met: bool | None  # None: no goal
    why: str = ""


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NCP_TRACKER_")}
    env["NCP_TRACKER_DOWNLOAD_DELAY"] = "0"
    env["PYTHONPATH"] = str(REPO)
    return env


def _run(args: list[str], timeout: float = 600, **kw) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=REPO, env=_env(), capture_output=True, text=True, timeout=timeout, **kw)


def _json_line(out: subprocess.CompletedProcess, what: str) -> dict:
    if out.returncode != 0:
        raise RuntimeError(f"{what} failed (exit {out.returncode}): {out.stderr.strip()[-800:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def _say(msg: str) -> None:
    print(f"… {msg}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------- measurements


def tagging() -> list[Row]:
    _say("tagging throughput (bench/tagger.py)")
    out = _run([PY, "bench/tagger.py"])
    m = re.search(r"full tagging / tokenizer = ([0-9.]+).*?full tagging / naive loop = ([0-9.]+)", out.stdout)
    if out.returncode != 0 or not m:
        why = (out.stderr.strip() or out.stdout.strip())[-300:]
        return [Row("tagging ÷ spaCy tokenizer (words/s)", "error", "≥ 0.30", False, f"bench/tagger.py: {why}")]
    tok, naive = float(m.group(1)), float(m.group(2))
    corpus = re.search(r"corpus: .*", out.stdout)
    rates = {n: w for n, w in re.findall(r"^(spaCy blank\('nb'\) tokenizer|naive substring loop|our full tagging)"
                                         r"\s+[0-9.]+\s+([0-9,]+)", out.stdout, re.M)}
    tokenizer_rate = rates.get("spaCy blank('nb') tokenizer", "?")
    detail = f"{rates.get('our full tagging', '?')} vs {tokenizer_rate} words/s"
    why = ""
    if tok < 0.3:
        why = (f"tagging runs {detail} ({corpus.group(0) if corpus else ''}); the tagger "
               "tokenizes, then lemmatizes, matches phrases and detects the language (function words, word forms, lingua for the few texts they leave open); the tokenizer alone is the limit's unit, so ≥ 0.3 means ≤ 3.3× its cost")
    rows = [Row("tagging ÷ spaCy blank tokenizer (words/s)", f"{tok:.2f}", "≥ 0.30", tok >= 0.3, why),
            Row("tagging ÷ naive substring keyword loop", f"{naive:.2f}", "—", None)]
    # bench/tagger.py prints one line per state: "instrument register cost[, warm]: X% … (the
    # measurement's noise): Y%"
    for state, label in (("", "cold (register full vs empty, same tagger)"),
                         (", warm", "warm (caches filled: a long re-tag)")):
        m = re.search(rf"instrument register cost{state}: ([+-][0-9.]+)% of throughput.*?"
                      r"\(the measurement's noise\): ([+-][0-9.]+)%", out.stdout)
        if m:
            cost, noise = float(m.group(1)), float(m.group(2))
            rows.append(Row(f"instrument register's cost, {label}",
                            f"{cost:+.1f} % of throughput (A/A {noise:+.1f} %)", "≤ 10 %", cost <= 10.0,
                            "" if cost <= 10.0 else "measured on one tagger instance per round "
                            "with its register full or empty slice by slice (the A/A figure is the "
                            "full register against itself; identical code moves about ±3 points "
                            "between runs); measured (bench/RESULTS.md), about seven tenths is its "
                            "regex scan for names, abbreviations and identifiers (instruments.find, "
                            "a gate regex then the full one: title and summary, the body only when "
                            "they name none), the rest result() for the items it makes relevant and "
                            "the mention bookkeeping"))
    mem = re.search(r"resident memory: (.*)", out.stdout)
    if mem:
        rows.append(Row("tagger resident memory (bench/tagger.py)", mem.group(1).strip(), "—", None))
    return rows


def crawl_throughput(tmp: Path, repeats: int = 3) -> list[Row]:
    _say(f"replay crawl throughput: ours vs bare Scrapy (and our spiders alone, without and with the "
         f"HTTP cache), best of {repeats}")
    best: dict[str, dict] = {}
    for n in range(repeats):
        for mode in ("ours", "bare", "spiders", "cached"):
            work = tmp / f"crawl-{mode}-{n}"
            res = _json_line(_run([PY, "bench/crawl_bench.py", mode, str(REPLAY), str(work)]), f"crawl_bench {mode}")
            res["rate"] = res["pages"] / res["seconds"]
            if mode not in best or res["rate"] > best[mode]["rate"]:
                best[mode] = res
    ours, bare, spiders, cached = best["ours"], best["bare"], best["spiders"], best["cached"]
    ratio = ours["rate"] / bare["rate"]
    ceiling, with_cache = spiders["rate"] / bare["rate"], cached["rate"] / bare["rate"]
    measured = (f"{ratio:.2f} ({ours['pages']} pages in {ours['seconds']:.2f} s vs "
                f"{bare['pages']} in {bare['seconds']:.2f} s)")
    why = ""
    if ratio < 0.7:
        why = (f"measured in this run (bench/crawl_bench.py spiders, cached): our spiders alone, parsing the "
               f"same {spiders['pages']} recorded pages as the bare spider into {spiders['items']} items with "
               f"no item pipelines, HTTP cache or store, reach {ceiling:.2f} × bare — about the ceiling for our crawl "
               f"before any of its other work; with the HTTP cache of conditional requests {with_cache:.2f}; "
               f"the full crawl (item pipelines, change tracking and storing at spider close) {ratio:.2f}. "
               "Profiled (bench/RESULTS.md): in the spiders, regjeringen.no's detail pages and feedparser are "
               "the largest parts; settings copies per crawler and the replay middleware both sides pay. "
               "Timings on the shared 2-core machine vary by ±30 %")
    return [Row("replay crawl ÷ bare Scrapy spider (pages/s)", measured, "≥ 0.70", ratio >= 0.7, why),
            Row("replay crawl, our spiders alone (no pipelines, cache or store) ÷ bare",
                f"{ceiling:.2f} ({spiders['pages']} pages, {spiders['items']} items in {spiders['seconds']:.2f} s); "
                f"with the HTTP cache {with_cache:.2f}", "—", None)]


def second_run(tmp: Path) -> list[Row]:
    day = sorted(p for p in REPLAY.iterdir() if p.is_dir() and p.name[:4].isdigit())[-1]
    _say(f"second crawl of an unchanged day ({day.name}) through the CLI")
    db = tmp / "twice.db"  # the HTTP cache lives beside it (twice.httpcache), as in production
    for n in (1, 2):
        out = _run([PY, "-m", "tracker", "--db", str(db), "crawl", "--replay", str(day), "--no-progress",
                    "--allow-red"])
        if out.returncode != 0:
            raise RuntimeError(f"crawl {n} failed: {out.stderr.strip()[-800:]}")
    import sqlite3

    conn = sqlite3.connect(db)
    per_run: dict[int, dict[str, int]] = {}
    for run_id, source, stats in conn.execute("select run_id, source, stats from health order by run_id"):
        per_run.setdefault(run_id, {})[source] = int(json.loads(stats or "{}").get("replay/full_download", 0))
    conn.close()
    first, second = (per_run[r] for r in sorted(per_run)[:2])
    ratio = sum(second.values()) / max(1, sum(first.values()))
    measured = f"{ratio:.3f} ({sum(second.values())} of {sum(first.values())} pages)"
    why = ""
    if ratio > 0.05:
        def unvalidated(source: str) -> str:
            path = day / source / "manifest.json"
            if not path.exists():
                return "?"
            entries = json.loads(path.read_text("utf-8")).get("responses", [])
            bare = [e for e in entries if not {k.lower() for k in e.get("headers", {})} & {"etag", "last-modified"}]
            return f"{len(bare)}/{len(entries)}"

        culprits = ", ".join(f"{s} {n}/{first.get(s, 0)} (recorded without ETag/Last-Modified: {unvalidated(s)})"
                             for s, n in sorted(second.items(), key=lambda kv: -kv[1]) if n)
        why = ("re-downloaded on the second run: " + culprits + ". A response recorded without ETag or "
               "Last-Modified cannot be revalidated, so the HTTP cache fetches it again; 403/5xx answers "
               "are never cached. The sources' spiders and replay recordings (not the cache) decide this")
    return [Row("2nd run of an unchanged day: full downloads ÷ 1st run's", measured, "≤ 0.05", ratio <= 0.05, why)]


def digest_and_search(tmp: Path) -> list[Row]:
    db = tmp / "big.db"
    _say("generating 100,000 items and 1,000,000 events (bench/gen_db.py)")
    gen = _json_line(_run([PY, "bench/gen_db.py", str(db)]), "gen_db")
    _say(f"generated in {gen['seconds_total']} s; timing digest and search (bench/digest_bench.py)")
    res = _json_line(_run([PY, "bench/digest_bench.py", str(db), "--date", gen["last_day"]]), "digest_bench")
    secs = res["digest_s"]
    why = ""
    if secs > 1.0:
        steps = ", ".join(f"{k} {v:.2f} s" for k, v in res["breakdown"].items() if not k.startswith("total"))
        why = (f"one build: {steps}. These steps read every candidate row into Python (GPFG/åpenhetsloven "
               "sections scan all fund/committee/Finansdepartementet items; 'sent on again' compares every "
               "new consultation's normalised title with every earlier consultation's)")
    rows = [Row(f"digest (build + md + html), {res['items']:,} items / {res['events']:,} events",
                f"{secs:.2f} s (first {res['digest_first_s']:.2f} s)", "≤ 1 s", secs <= 1.0, why)]
    rows.append(Row("full-text search p95 (tracker.workbench.search, limit 100)",
                    f"{res['search_p95_s'] * 1000:.0f} ms warm (p50 {res['search_p50_s'] * 1000:.0f} ms; first, cold "
                    f"round p95 {res.get('search_cold_p95_s', 0) * 1000:.0f} ms; "
                    f"LIKE-scan p95 {res['like_p95_s'] * 1000:.0f} ms)", "≤ 20 ms",
                    res["search_p95_s"] <= 0.020,
                    "" if res["search_p95_s"] <= 0.020 else
                    f"slowest queries: {', '.join(res.get('slowest', []))}. bm25 scores the newest "
                    "2,000 matches of each query (more when filters leave fewer than 100); on a busy "
                    "machine compare with the LIKE scan measured in the same run"))
    return rows


def scale(tmp: Path, items: int, events: int, tag_seconds: float, reuse: str | None = None) -> list[Row]:
    """Issue 17 part 2: the store at a million items (bench/gen_db.py, bench/scale_bench.py).
    `reuse`: a database bench/gen_db.py wrote before (generating a million takes minutes); it is
    measured as it is, and `tag --all` writes to it."""
    if reuse:
        db = Path(reuse)
        gen = {"last_day": "2026-11-24"}
        _say(f"measuring the generated database {db} (bench/scale_bench.py)")
    else:
        db = tmp / "scale.db"
        _say(f"generating {items:,} items and {events:,} events (bench/gen_db.py; minutes at a million)")
        gen = _json_line(_run([PY, "bench/gen_db.py", str(db), "--items", str(items), "--events", str(events)],
                              timeout=7200), "gen_db")
        _say(f"generated in {gen['seconds_total']} s; measuring (bench/scale_bench.py, tag --all ≤ {tag_seconds:.0f} s)")
    res = _json_line(_run([PY, "bench/scale_bench.py", str(db), "--date", gen["last_day"], "--tag-seconds",
                           str(tag_seconds)], timeout=7200), "scale_bench")
    print(json.dumps(res, ensure_ascii=False), file=sys.stderr)
    n = f"{res['items']:,} items / {res['events']:,} events"
    rows = []
    secs = res["digest_s"]
    why = ""
    if secs > 1.5:
        steps = ", ".join(f"{k} {v:.2f} s" for k, v in res["breakdown"].items() if not k.startswith("total"))
        why = (f"one build: {steps}; {res.get('window_events', 0):,} events in the digest's window, "
               f"{res.get('new', '?')} new and {res.get('changed', '?')} changed items listed "
               f"(event window: {'; '.join(res['events_window_plan'])})")
    rows.append(Row(f"digest (build + md + html), {n}", f"{secs:.2f} s (first {res['digest_first_s']:.2f} s)",
                    "≤ 1.5 s", secs <= 1.5, why))
    p95 = res["search_p95_s"] * 1000
    why = ""
    if p95 > 50:
        parts = "; ".join(
            f"{p['query']}: {p['search_ms']:.0f} ms — FTS match of the ranking pool {p['pool_match_ms']:.0f} ms, "
            f"with bm25 {p['pool_bm25_ms']:.0f} ms ({p['matches']:,} matching items)"
            for p in res.get("slow_parts", []) if "search_ms" in p)
        why = (f"slowest queries, best of three: {parts}. FTS5's bm25 first counts every match of each phrase in "
               "the whole index (its IDF, through xQueryPhrase) before it scores the pool of the newest 2,000 "
               "matches, so a word in half the store costs a walk of half the index per query; a prefix "
               "(høring*) merges the doclists of every word it starts. The rest is reading the 100 item rows "
               "and their snippets")
    rows.append(Row(f"full-text search p95, {res['items']:,} items",
                    f"{p95:.0f} ms warm (p50 {res['search_p50_s'] * 1000:.0f} ms; first, cold round p95 "
                    f"{res.get('search_cold_p95_s', 0) * 1000:.0f} ms; LIKE-scan p95 {res['like_p95_s'] * 1000:.0f} ms)",
                    "≤ 50 ms", p95 <= 50, why))
    cli, cpu = res["items_open_cli_s"], res["items_open_cli_cpu_s"]
    why = ""
    if cli > 1.0:
        why = (f"the query itself takes {res['open_query_s'] * 1000:.0f} ms ({'; '.join(res['plan_after'])}; before "
               f"m0801: {res['open_query_before_s'] * 1000:.0f} ms, {'; '.join(res['plan_before'])}); the rest is "
               f"starting Python and importing the CLI: {cpu:.2f} s of CPU — the wall time is the machine's load")
    rows.append(Row(f"`items --status open`, {res['items']:,} items ({res['open_rows']} rows)",
                    f"{cli:.2f} s wall, {cpu:.2f} s CPU (query {res['open_query_s'] * 1000:.0f} ms)", "≤ 1 s",
                    cli <= 1.0, why))
    if res.get("tag_items") is not None:
        done = "whole store" if res["tag_finished"] else (
            f"{res['tag_items']:,} of {res['tag_total']:,} in {res['tag_s']:.0f} s, stopped; the rest would take "
            f"{(res['tag_eta_s'] or 0) / 60:.0f} min at this rate")
        rows.append(Row("`tag --all`: items/s, peak RSS (streamed, batches of 200)",
                        f"{res['tag_items_per_s']:.0f} items/s, peak {res['tag_peak_rss_mb']} MB ({done})", "—", None,
                        f"RSS (s, items, MB) samples: {res['tag_rss_samples']}; startup (models) {res['tag_startup_s']} s"))
    rows.append(Row("database size per item", f"{res['bytes_per_item']:,} bytes ({res['db_bytes'] / 2**30:.2f} GiB; "
                    f"items, events, FTS index)", "—", None))
    return rows


def _median_wall(args: list[str], n: int = 5) -> float:
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        out = _run(args)
        times.append(time.perf_counter() - t0)
        if out.returncode != 0:
            raise RuntimeError(f"{' '.join(args)} failed: {out.stderr.strip()[-300:]}")
    return statistics.median(times)


def help_time() -> list[Row]:
    _say("--help wall time")
    bare = _median_wall([PY, "-c", "pass"])
    rows = []
    forms = [("python -m tracker --help", [PY, "-m", "tracker", "--help"])]
    script = REPO / ".venv" / "bin" / "ncp-tracker"
    if script.exists():
        forms.append((".venv/bin/ncp-tracker --help", [str(script), "--help"]))
    for name, args in forms:
        secs = _median_wall(args)
        why = ""
        if secs > 0.3:
            why = "run `python -X importtime -m tracker --help` to see which module import costs"
        rows.append(Row(f"`{name}` wall time", f"{secs:.3f} s (bare python {bare:.3f} s)", "≤ 0.3 s",
                        secs <= 0.3, why))
    return rows


def demo_rss(tmp: Path) -> list[Row]:
    """Peak memory of a full demo: the demo process itself (wait4) and its whole process tree
    (any child process included), sampled every 20 ms from /proc. (On Linux a child's
    ru_maxrss starts from its parent's peak; this process stays far below the demo's, so wait4's
    figure is the demo's own — tests/faults/conftest.py `cli(own_memory=True)` has the details.)"""
    from procinfo import tree_rss_kb

    _say("peak RSS of a full demo run")
    proc = subprocess.Popen([PY, "-m", "tracker", "--db", str(tmp / "demo.db"), "demo", "--out",
                             str(tmp / "demo-out"), "--no-progress"], cwd=REPO, env=_env(),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    t0 = time.perf_counter()
    tree_peak = 0
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        tree_peak = max(tree_peak, tree_rss_kb(proc.pid))
        time.sleep(0.02)
    proc.returncode = os.waitstatus_to_exitcode(status)
    secs = time.perf_counter() - t0
    mb = usage.ru_maxrss / 1024  # Linux: kilobytes
    tree_mb = tree_peak / 1024
    if proc.returncode != 0:
        return [Row("peak RSS of `ncp-tracker demo`", f"demo failed (exit {proc.returncode})", "≤ 300 MB", False)]
    peak = max(mb, tree_mb)
    why = "" if peak <= 300 else (
        "one process since the documents are fetched on the crawl's own reactor (no child); "
        "measured step by step in a fresh process on 2026-12-02: Python + Scrapy + the tracker's "
        "modules 88 MB, spaCy 50 MB, the two pipelines 8 MB, the Norsk Ordbank tries ~5 MB, "
        "lingua's low-accuracy models ~11 MB; a figure above that is the crawl or the documents")
    return [Row("peak RSS of `ncp-tracker demo` (process tree)",
                f"{tree_mb:.0f} MB tree, {mb:.0f} MB main process ({secs:.1f} s)", "≤ 300 MB", peak <= 300, why)]


# ---------------------------------------------------------------------------- output


def _first_line(path: str, prefix: str, sep: str) -> str | None:
    try:
        text = Path(path).read_text("utf-8")
    except OSError:
        return None
    return next((line.split(sep, 1)[1].strip() for line in text.splitlines() if line.startswith(prefix)), None)


def machine(load_start: tuple[float, float, float] | None = None) -> str:
    cpu = _first_line("/proc/cpuinfo", "model name", ":") or "unknown CPU"
    mem = _first_line("/proc/meminfo", "MemTotal", ":")
    ram = f"{int(mem.split()[0]) / 1024 / 1024:.1f} GiB" if mem else "?"
    pretty = _first_line("/etc/os-release", "PRETTY_NAME", "=")
    osname = f"{pretty.strip(chr(34))} (Linux {platform.release()})" if pretty else platform.platform()
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    return (f"{os.cpu_count()} CPUs (nproc), {cpu}, {ram} RAM, Python {platform.python_version()}, "
            f"{osname}; load average (1, 5, 15 min) "
            + (f"at the start {' '.join(f'{x:.2f}' for x in load_start)}, " if load_start else "")
            + f"at the end {load} (other engineers' jobs share the machine)")


def table(rows: list[Row]) -> str:
    head = ("measure", "measured", "goal", "met")
    cells = [(r.name, r.measured, r.goal, "—" if r.met is None else "met" if r.met else "NOT MET") for r in rows]
    widths = [max(len(head[i]), *(len(c[i]) for c in cells)) for i in range(4)]
    line = "| " + " | ".join(h.ljust(w) for h, w in zip(head, widths, strict=True)) + " |"
    out = [line, "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
    out += ["| " + " | ".join(c.ljust(w) for c, w in zip(cell, widths, strict=True)) + " |" for cell in cells]
    notes = [f"- {r.name}: {r.why}" for r in rows if r.why and r.met is not True]
    if notes:
        out += ["", "Where a goal is not met (or there is none):", *notes]
    return "\n".join(out)


def web_load() -> list[Row]:
    _say("web workbench: 20 advisers for 30 s while a replayed crawl writes (bench/web_load.py)")
    res = _json_line(_run([PY, "bench/web_load.py", "--seconds", "30"]), "web_load")
    measured = (f"p95 {res['p95_ms']:.0f} ms, median {res['median_ms']:.0f} ms ({res['requests']} requests, "
                f"{res['triage_writes_acknowledged']} triage writes, {res['server_errors']} 5xx, "
                f"{res['database_locked']} locked)")
    ok = res["server_errors"] == 0 and res["database_locked"] == 0
    return [Row("web: page time under 20 advisers + crawl", measured, "no 5xx, no locked", ok,
                "" if ok else "see bench/web_load.py output")]


def main() -> int:
    ap = argparse.ArgumentParser(description="Run every benchmark and print one table.")
    ap.add_argument("--record", action="store_true", help="also write the table to bench/RESULTS.md")
    ap.add_argument("--scale-items", type=int, default=1_000_000, help="items of the scale step (default a million)")
    ap.add_argument("--scale-events", type=int, default=5_000_000, help="events of the scale step")
    ap.add_argument("--tag-seconds", type=float, default=300.0,
                    help="stop `tag --all` of the scale step after this long (its rate and ETA are reported)")
    ap.add_argument("--scale-db", help="measure this database from bench/gen_db.py instead of generating one")
    ap.add_argument("--only", help="comma-separated steps to run (tagging,crawl,second,digest,scale,help,demo)")
    args = ap.parse_args()
    started = time.perf_counter()
    load_start = os.getloadavg()
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="ncp-bench-") as tmpdir:
        tmp = Path(tmpdir)
        steps = {"tagging": tagging, "crawl": lambda: crawl_throughput(tmp), "second": lambda: second_run(tmp),
                 "digest": lambda: digest_and_search(tmp),
                 "scale": lambda: scale(tmp, args.scale_items, args.scale_events, args.tag_seconds, args.scale_db),
                 "help": help_time, "demo": lambda: demo_rss(tmp), "web": web_load}
        chosen = args.only.split(",") if args.only else list(steps)
        unknown = [c for c in chosen if c not in steps]
        if unknown:
            ap.error(f"unknown step(s): {', '.join(unknown)} (steps: {', '.join(steps)})")
        for name in chosen:
            step = steps[name]
            try:
                rows += step()
            except Exception as exc:  # one broken benchmark must not hide the others
                rows.append(Row(name, "error", "—", False, str(exc)[:400]))
    elapsed = time.perf_counter() - started
    text = table(rows)
    desc = machine(load_start)
    print(text)
    print(f"\nmachine: {desc}\nbench wall time: {elapsed:.0f} s")
    if args.record:  # the new run on top; earlier runs stay below it
        stamp = time.strftime("%Y-%m-%d %H:%M %Z")
        path = REPO / "bench" / "RESULTS.md"
        earlier = path.read_text("utf-8").removeprefix("# Benchmark results\n").strip() if path.exists() else ""
        path.write_text(
            "# Benchmark results\n\n"
            f"## `make bench` (`python bench/run_all.py {' '.join(sys.argv[1:])}`), {stamp}\n\n"
            f"Machine: {desc}.\n\nBench wall time: {elapsed:.0f} s.\n\n{text}\n"
            + (f"\n\n{earlier}\n" if earlier else ""), "utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
