"""A large, realistic tracker database for the digest and search benchmarks.

``python bench/gen_db.py PATH [--items 100000] [--events 1000000]`` writes a database with the
real schema (`tracker.store.db.open_db` runs the migrations, FTS triggers included) holding ten years
of daily runs: most items closed, a few hundred open consultations with deadlines ahead, labels
and relevance filled by a plausible tagger, label evidence (items.evidence) for the open ones, one
"new" event per item plus updates, deadline moves, status changes, documents and vanishings up
to the requested number of events, health rows for every run's sources, and the previous day's
digest recorded (so the digest of the last day has a baseline, as in daily use).

Texts are recombined from the development set's real titles and descriptions, so the FTS index
holds real Norwegian/English vocabulary. Deterministic (seeded). Rows go in with executemany in
one transaction per table.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from crawlers.dates import OSLO  # noqa: E402
from tracker.store.db import refresh_statistics  # noqa: E402
from tracker.store.instants import stored  # noqa: E402

#: (source, kind, share of items, consultation?)
SOURCES = (
    ("no_regjeringen_horinger", "hearing", 0.26, True),
    ("no_stortinget_horinger", "committee_hearing", 0.06, True),
    ("eu_haveyoursay", "eu_consultation", 0.12, True),
    ("eu_cellar", "eu_act_update", 0.14, False),
    ("eu_oeil", "eu_procedure", 0.03, False),
    ("no_eos_notater", "eea_note", 0.08, False),
    ("no_finansdep", "gpfg_document", 0.04, False),
    ("no_etikkradet", "gpfg_recommendation", 0.02, False),
    ("no_nbim", "gpfg_decision", 0.02, False),
    ("no_stortinget_spu", "storting_case", 0.01, False),
    ("no_forbrukertilsynet", "regulator_news", 0.08, False),
    ("no_lovdata", "law_change", 0.14, False),
)
LABELS = ("oecd-ii", "oecd-iii", "oecd-iv", "oecd-v", "oecd-vi", "oecd-vii", "oecd-viii",
          "oecd-ix", "oecd-x", "oecd-xi", "apenhetsloven", "gpfg")  # fmt: skip
OWNERS = ("Finansdepartementet", "Nærings- og fiskeridepartementet", "Utenriksdepartementet",
          "Barne- og familiedepartementet", "Klima- og miljødepartementet",
          "Justis- og beredskapsdepartementet", "Arbeids- og inkluderingsdepartementet",
          "Finanskomiteen", "Næringskomiteen", "European Commission")  # fmt: skip
EXTRA_EVENTS = (("updated", 0.55), ("deadline_changed", 0.12), ("status_changed", 0.15),
                ("documents_added", 0.15), ("vanished", 0.02), ("reappeared", 0.01))
#: open consultations in the store on the last day (a few hundred)
OPEN_CONSULTATIONS = 320
#: items inserted per executemany (memory bound of the generator)
CHUNK = 50_000


def _reference(kind: str, day: date, n: int) -> str:
    """Committee hearings and Storting cases carry a henvisning (Prop. … L (session)), others a case number."""
    if kind in ("committee_hearing", "storting_case"):
        session = day.year if day.month >= 10 else day.year - 1
        return f"Prop. {n % 180 + 1} L ({session}–{session + 1})"
    return f"{day.year % 100}/{n}"


def _corpus() -> list[dict]:
    rows = []
    for split in ("tune", "heldout"):
        path = REPO / "data" / "devset" / f"{split}.jsonl"
        rows += [json.loads(x) for x in path.read_text("utf-8").splitlines() if x.strip()]
    return rows


def _at(day: date) -> str:
    """06:00 in Oslo on `day`, as the store keeps instants (UTC, tracker.store.instants)."""
    return stored(datetime(day.year, day.month, day.day, 6, 0, tzinfo=OSLO))


def _deadline(day: date) -> str:
    return datetime(day.year, day.month, day.day, 23, 59, 59, tzinfo=OSLO).isoformat(timespec="seconds")


def generate(path: str | Path, *, items: int = 100_000, events: int = 1_000_000,
             last_day: date = date(2026, 11, 24), years: int = 10, seed: int = 8) -> dict:
    """Write the database at `path` (must not exist); returns counts and timings."""
    from tracker.store.changes import title_key
    from tracker.store.db import open_db

    t0 = time.perf_counter()
    rng = random.Random(seed)
    corpus = _corpus()
    first_day = last_day - timedelta(days=365 * years)
    n_days = (last_day - first_day).days + 1
    at_of = {}  # day offset -> ISO timestamp (06:00 Oslo)

    def at(offset: int) -> str:
        if offset not in at_of:
            at_of[offset] = _at(first_day + timedelta(days=offset))
        return at_of[offset]

    db = open_db(path)
    db.execute("PRAGMA synchronous = OFF")
    conn = db.conn

    # ------------------------------------------------------------------ items
    weights = [s[2] for s in SOURCES]
    cols = ("id, source, kind, native_id, title, summary, body, language, url, canonical_url, owner, "
            "published, deadline, status, status_raw, channel, reference, documents, extra, first_seen, "
            "last_seen, last_changed, vanished_at, content_hash, labels, relevance, relevant, "
            "tagger_version, tagged_hash, title_key")
    marks = ",".join("?" * len(cols.split(",")))
    insert_items = f"insert into items ({cols}) values ({marks})"
    item_rows, tag_rows, item_meta = [], [], []
    n_items = 0
    conn.execute("begin")
    open_left = OPEN_CONSULTATIONS
    for n in range(items):
        source, kind, _, consultation = rng.choices(SOURCES, weights)[0]
        a, b, c = rng.choice(corpus), rng.choice(corpus), rng.choice(corpus)
        # the newest items are the open ones: the last `OPEN_CONSULTATIONS` consultations
        is_open = consultation and open_left > 0 and n >= items - OPEN_CONSULTATIONS * 3
        if is_open:
            open_left -= 1
            day0 = n_days - 1 - rng.randint(0, 60)
            deadline_day = last_day + timedelta(days=rng.randint(1, 90))
            status = "open"
        else:
            day0 = min(n_days - 1, int(n * n_days / items) + rng.randint(-20, 20))
            day0 = max(0, day0)
            deadline_day = first_day + timedelta(days=day0 + rng.randint(21, 90))
            if deadline_day > last_day:
                deadline_day = last_day - timedelta(days=1)
            status = rng.choices(("closed", "withdrawn"), (0.99, 0.01))[0] if consultation else \
                rng.choice(("closed", "unknown"))
        published = _at(first_day + timedelta(days=day0))
        relevance = round(rng.betavariate(1.2, 4.0), 3)
        labels = rng.sample(LABELS, rng.choice((0, 0, 1, 1, 2, 3))) if relevance > 0.15 else []
        item_id = f"{source.split('_', 1)[-1]}:{1_000_000 + n}"
        title = f"{a['title']} ({n})"
        summary = f"{a['description']} {b['description']}"
        body = f"{b['title']}. {c['description']} {a['description']} {c['title']}. Saksnummer {n}/26."
        last_seen = at(n_days - 1) if is_open else at(min(n_days - 1, day0 + 60))
        item_rows.append((
            item_id, source, kind, str(1_000_000 + n), title, summary, body, a.get("language") or "nb",
            f"https://example.org/{source}/{n}", f"https://example.org/{source}/{n}", rng.choice(OWNERS),
            published, _deadline(deadline_day) if consultation else None, status,
            "På høring" if is_open else "Avsluttet", "rss", _reference(kind, first_day + timedelta(days=day0), n),
            "[]", "{}", published, last_seen, last_seen, None, f"{rng.getrandbits(64):016x}",
            json.dumps(labels), relevance, int(relevance >= 0.5), "bench", None, title_key(title),
        ))  # fmt: skip
        item_meta.append((item_id, day0))
        if len(item_rows) >= CHUNK:  # memory bounded: a million items go in by chunks
            conn.executemany(insert_items, item_rows)
            n_items += len(item_rows)
            item_rows = []
        if is_open:
            for label in labels or ["oecd-ii"]:
                word = title.split()[min(2, len(title.split()) - 1)]
                start = title.find(word)
                evidence = [{"field": "title", "start": start, "end": start + len(word), "text": word}]
                tag_rows.append((item_id, label, round(rng.uniform(0.5, 3.0), 3), json.dumps(evidence)))
    conn.executemany(insert_items, item_rows)
    n_items += len(item_rows)
    conn.commit()
    del item_rows
    with conn:
        evidence: dict[str, dict] = {}
        for item_id, label, strength, spans in tag_rows:
            evidence.setdefault(item_id, {})[label] = {"strength": strength, "instrument": "",
                                                      "evidence": json.loads(spans)}
        conn.executemany("update items set evidence = ? where id = ?",
                         [(json.dumps(v, ensure_ascii=False), k) for k, v in evidence.items()])
    t_items = time.perf_counter()

    # ------------------------------------------------------------------ runs, health, events
    with conn:
        conn.executemany(
            "insert into runs (id, started, finished, as_of, mode, sources, exit_code) values (?,?,?,?,?,?,?)",
            [(d + 1, at(d), at(d), at(d), "live", json.dumps([s[0] for s in SOURCES]), 0) for d in range(n_days)],
        )
        conn.executemany(
            "insert into health (run_id, source, status, reason, channel, requests, responses, items_seen,"
            " items_new, items_changed, parse_errors, parse_attempts, duration_s, finished, notes, stats)"
            " values (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            [(d + 1, s[0], "green", "ok", "rss", 10, 10, 100, 1, 1, 0, 100, 1.0, at(d), "[]", "{}")
             for d in range(max(0, n_days - 30), n_days) for s in SOURCES],
        )  # fmt: skip
    n_events = _events(conn, rng, item_meta, events, n_days, at, first_day, last_day)
    del item_meta
    t_events = time.perf_counter()
    refresh_statistics(db.conn)  # as the daily run leaves a store (tracker/jobs/daily.py)
    db.close()
    return {"items": n_items, "events": n_events, "tags": len(tag_rows),
            "open_consultations": OPEN_CONSULTATIONS - open_left, "days": n_days,
            "seconds_items": round(t_items - t0, 1), "seconds_events": round(t_events - t_items, 1),
            "seconds_total": round(time.perf_counter() - t0, 1), "last_day": last_day.isoformat()}


def _events(conn, rng: random.Random, item_meta: list[tuple[str, int]], events: int, n_days: int, at,
            first_day: date, last_day: date) -> int:
    """One "new" event per item on its first day, then random later events up to `events` in all
    (never after the last day), sorted by day; and yesterday's digest. Returns the event count."""
    kinds = [k for k, _ in EXTRA_EVENTS]
    kind_weights = [w for _, w in EXTRA_EVENTS]
    pending = []  # (day offset, item id, kind, field, before, after)
    for item_id, day0 in item_meta:
        pending.append((day0, item_id, "new", None, None, "title"))
    extra = max(0, events - len(pending))
    made = 0
    while made < extra:
        item_id, day0 = item_meta[rng.randrange(len(item_meta))]
        day = day0 + int(rng.expovariate(1 / 30))
        if day > n_days - 1:
            # it would happen after the last day: it has not happened yet. (Clipping these to the
            # last day piled 35,667 of 5,000,000 events — 26 days' worth — on the digest's day.)
            continue
        made += 1
        kind = rng.choices(kinds, kind_weights)[0]
        if kind == "deadline_changed":
            before, after = _deadline(first_day + timedelta(days=day + 10)), _deadline(first_day + timedelta(days=day + 24))
            pending.append((day, item_id, kind, "deadline", before, after))
        elif kind == "status_changed":
            pending.append((day, item_id, kind, "status", "open", "closed"))
        elif kind == "updated":
            # as the store writes them (tracker.store.changes.compare): each field's value before and after
            name = rng.choice(("title", "summary", "body", "owner"))
            pending.append((day, item_id, kind, name, json.dumps({name: "a"}), json.dumps({name: "b"})))
        elif kind == "documents_added":
            pending.append((day, item_id, kind, "documents", None, '[{"title": "Høringsnotat"}]'))
        else:
            pending.append((day, item_id, kind, None, None, at(day)))
    pending.sort(key=lambda e: e[0])
    # streamed into executemany: the event rows are never all built at once
    event_rows = ((i + 1, e[1], e[0] + 1, at(e[0]), e[2], e[3], e[4], e[5]) for i, e in enumerate(pending))
    with conn:
        conn.executemany("insert into events (id, item_id, run_id, at, kind, field, before, after)"
                         " values (?,?,?,?,?,?,?,?)", event_rows)
        # yesterday's digest was written: today's digest reports what happened since (events are
        # sorted by day; run id = day offset + 1)
        yesterday_last = sum(1 for e in pending if e[0] + 1 <= n_days - 1)
        conn.execute("insert into digests (profile, date, generated_at, last_event_id, format, path)"
                     " values (?,?,?,?,?,?)",
                     ("ncp", (last_day - timedelta(days=1)).isoformat(), at(n_days - 2), yesterday_last, "md", ""))
    return len(pending)


def regenerate_events(path: str | Path, source: str | Path, *, events: int = 1_000_000,
                      last_day: date = date(2026, 11, 24), years: int = 10, seed: int = 9) -> dict:
    """A copy of the store `source` (from `generate`, same `last_day` and `years`) with its events
    and digests drawn again: the items and their search index (most of a million-item store's
    generation time) are kept as they are."""
    import shutil
    import sqlite3

    t0 = time.perf_counter()
    shutil.copyfile(source, path)
    rng = random.Random(seed)
    first_day = last_day - timedelta(days=365 * years)
    n_days = (last_day - first_day).days + 1
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA synchronous = OFF")
    # the events table dropped and made again from its own schema (faster than deleting rows)
    schema = [r[0] for r in conn.execute("select sql from sqlite_master where tbl_name = 'events' and sql is not null "
                                         "order by type = 'index'")]  # fmt: skip
    conn.execute("drop table events")
    for sql in schema:
        conn.execute(sql)
    with conn:
        conn.execute("delete from digests")
    item_meta = [(item_id, (datetime.fromisoformat(published).date() - first_day).days)
                 for item_id, published in conn.execute("select id, published from items order by rowid")]
    at_of: dict[int, str] = {}

    def at(offset: int) -> str:
        if offset not in at_of:
            at_of[offset] = _at(first_day + timedelta(days=offset))
        return at_of[offset]

    n_events = _events(conn, rng, item_meta, events, n_days, at, first_day, last_day)
    refresh_statistics(conn)  # as the daily run leaves a store (tracker/jobs/daily.py)
    conn.close()
    return {"items": len(item_meta), "events": n_events, "days": n_days,
            "seconds_total": round(time.perf_counter() - t0, 1), "last_day": last_day.isoformat()}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("path")
    ap.add_argument("--items", type=int, default=100_000)
    ap.add_argument("--events", type=int, default=1_000_000)
    ap.add_argument("--events-only", metavar="SOURCE",
                    help="copy the store SOURCE (written by this program) and draw only its events again")
    args = ap.parse_args()
    if Path(args.path).exists():
        ap.error(f"{args.path} exists; give a new path")
    if args.events_only:
        print(json.dumps(regenerate_events(args.path, args.events_only, events=args.events)))
    else:
        print(json.dumps(generate(args.path, items=args.items, events=args.events)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
