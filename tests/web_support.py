"""The workbench on a real server for tests and the bench: waitress on 127.0.0.1 (a free port, a
thread), a small cookie-keeping HTTP client that never follows redirects, and the bounded load
of simulated advisers (plus a crawl writing through the store's real merge path).

Every request goes to 127.0.0.1 only; every loop is bounded in time and count.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import re
import statistics
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from crawlers.dates import OSLO

PASSWORD = "korrekt-hest-batteri"
#: the web tests' clock: Tuesday 24 November 2026, 06:00 in Oslo (the seeded store's morning)
AS_OF = datetime(2026, 11, 24, 6, tzinfo=OSLO)


def make_app(db_path: str | Path, as_of: datetime = AS_OF, **kw):
    """The workbench on `db_path` (the `db_path` fixture's store) at `as_of`, its data directory
    beside the database."""
    from tracker.web.app import create_app

    return create_app(db_path, as_of=as_of, data_dir=Path(db_path).parent / "data", **kw)


@contextlib.contextmanager
def running(app, threads: int = 8):
    """Serve `app` with waitress on 127.0.0.1:<free port>; yields the base URL."""
    from waitress.server import create_server

    from tracker.web.app import server_options

    server = create_server(app, host="127.0.0.1", port=0, threads=threads, asyncore_loop_timeout=0.2,
                           **server_options(app))
    stopping = threading.Event()

    def serve() -> None:
        try:
            server.run()
        except (OSError, ValueError):
            if not stopping.is_set():
                raise

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.effective_port}"
    finally:
        stopping.set()
        server.task_dispatcher.shutdown()
        server.close()
        for channel in list(server._map.values()):
            with contextlib.suppress(Exception):
                channel.close()
        thread.join(timeout=10)


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes
    elapsed: float = 0.0

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    @property
    def location(self) -> str:
        return self.headers.get("location", "")


@dataclass
class Client:
    """One browser: keeps its cookies, sends what it is told, follows no redirect."""

    base: str
    cookies: dict[str, str] = field(default_factory=dict)

    def request(self, method: str, path: str, data: dict | None = None, headers: dict | None = None) -> Answer:
        parts = urlsplit(self.base)
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
        sent = dict(headers or {})
        body = None
        if data is not None:
            body = urlencode(data)
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        start = time.perf_counter()
        try:
            conn.request(method, path, body=body, headers=sent)
            resp = conn.getresponse()
            payload = resp.read()
            for header in resp.msg.get_all("Set-Cookie") or []:
                name, _, rest = header.partition("=")
                value = rest.split(";", 1)[0]
                if value and "expires=thu, 01 jan 1970" not in header.lower():
                    self.cookies[name.strip()] = value
                else:
                    self.cookies.pop(name.strip(), None)
            return Answer(resp.status, {k.lower(): v for k, v in resp.getheaders()}, payload,
                          time.perf_counter() - start)
        finally:
            conn.close()

    def get(self, path: str, **kw) -> Answer:
        return self.request("GET", path, **kw)

    def post(self, path: str, data: dict | None = None, **kw) -> Answer:
        return self.request("POST", path, data=data or {}, **kw)

    def csrf(self, path: str = "/login") -> str:
        page = self.get(path)
        found = re.search(r'name="csrf" value="([^"]+)"', page.text)
        if not found:
            raise AssertionError(f"no CSRF token on {path} ({page.status}): {page.text[:300]}")
        return found.group(1)

    def login(self, name: str, password: str = PASSWORD, next_: str = "/") -> Answer:
        token = self.csrf("/login")
        return self.post("/login", {"csrf": token, "name": name, "password": password, "next": next_})


def make_accounts(db, names_roles: list[tuple[str, str]], password: str = PASSWORD) -> None:
    """Accounts as `users add` makes them; all after the first reuse its argon2 hash (the same
    password, a valid hash: it only spares the tests the deliberate slowness of hashing)."""
    from tracker.workbench import accounts

    first, *rest = names_roles
    accounts.add_user(db, first[0], password, first[1])
    template = db.execute("select * from users where name = ?", [first[0]]).fetchone()
    columns = [d[0] for d in db.execute("select * from users limit 0").description]
    row = dict(zip(columns, template, strict=True))
    with db.conn:
        for name, role in rest:
            accounts.check_name(name)
            db["users"].insert({**row, "id": None, "name": name, "name_key": accounts.name_key(name),
                                "role": accounts.check_role(role)})


# ---------------------------------------------------------------------------- the load


def crawl_writer(db_path: str, stop: threading.Event, as_of: datetime, counter: list[int]) -> None:
    """A replayed crawl: rounds of 40 hearings stored through the store's real merge path
    (tracker.store.merge.apply_scrape), each round changing their summaries, until `stop`."""
    from tracker.store import merge
    from tracker.store.db import open_db

    db = open_db(db_path, migrate=False)
    try:
        round_no = 0
        while not stop.is_set() and round_no < 10_000:
            round_no += 1
            when = as_of + timedelta(minutes=round_no)
            run_id = merge.start_run(db, as_of=when, mode="replay", sources=["no_regjeringen_horinger"])
            items = [{
                "source": "no_regjeringen_horinger", "kind": "hearing", "native_id": str(4_000_000 + n),
                "title": f"Høring om lastprøve nummer {n}",
                "summary": f"Runde {round_no}: departementet ber om innspill til forslag {n}.",
                "url": f"https://www.regjeringen.no/no/dokumenter/lastprove/id{4_000_000 + n}/",
                "owner": "Nærings- og fiskeridepartementet", "deadline": "2026-12-30T23:59:59+01:00",
                "status_raw": "Åpen",
            } for n in range(40)]  # fmt: skip
            merge.apply_scrape(db, run_id=run_id, as_of=when, source="no_regjeringen_horinger", items=items)
            merge.finish_run(db, run_id, 0)
            counter[0] += 1
            time.sleep(0.3)  # a replay crawl parses between its writes
    finally:
        db.close()


@dataclass
class LoadResult:
    requests: int = 0
    times: list[float] = field(default_factory=list)
    server_errors: list[str] = field(default_factory=list)
    locked: list[str] = field(default_factory=list)
    acknowledged: list[tuple[float, str, str]] = field(default_factory=list)  # (ack time, item, note)
    refused: int = 0
    crawl_rounds: int = 0

    def p95(self) -> float:
        if len(self.times) < 2:
            return self.times[0] if self.times else 0.0
        return statistics.quantiles(self.times, n=20)[-1]


def adviser(base: str, name: str, items: list[str], seconds: float, result: LoadResult, lock: threading.Lock,
            start: threading.Barrier) -> None:
    """One adviser: log in (before the clock starts: argon2 is slow on purpose, and a team does
    not log in all at once), then browse (inbox, an item, search) and triage (notes and moves)."""
    client = Client(base)
    answer = client.login(name)
    start.wait(timeout=120)
    if answer.status != 302:
        with lock:
            result.server_errors.append(f"{name}: login answered {answer.status}")
        return
    until = time.monotonic() + seconds
    n = 0
    moves = ("watching", "respond", "watching", "not_relevant", "watching")
    while time.monotonic() < until and n < 100_000:
        n += 1
        item = items[n % len(items)]
        seen: list[Answer] = [client.get("/"), client.get(f"/item/{item}")]
        page = seen[-1].text
        token = re.search(r'name="csrf" value="([^"]+)"', page)
        note = f"{name}-{n}"
        data = {"csrf": token.group(1) if token else "", "note": note}
        if n % 3 == 0:
            data["state"] = moves[(n // 3) % len(moves)]
        posted = client.post(f"/item/{item}/triage", data)
        seen.append(posted)
        if n % 4 == 0:
            seen.append(client.get("/search?q=h%C3%B8ring"))
        with lock:
            result.requests += len(seen)
            result.times.extend(a.elapsed for a in seen)
            for a in seen:
                if a.status >= 500:
                    result.server_errors.append(f"{a.status}: {a.text[:200]}")
                if "database is locked" in a.text:
                    result.locked.append(a.text[:200])
            if posted.status == 302:  # saved: said on the item's page (never in the address)
                result.acknowledged.append((time.monotonic(), item, note))
            elif posted.status == 422 and 'id="flash-error"' in posted.text:
                # an illegal move (another adviser moved the item first): the form back with the reason
                result.refused += 1
            else:
                result.server_errors.append(f"triage POST answered {posted.status} {posted.location}")


def run_load(base: str, db_path: str, names: list[str], items: list[str], seconds: float, *,
             as_of: datetime, during=None) -> LoadResult:
    """`names` advisers browsing and triaging `items` for `seconds` while a crawl writes;
    `during(result)` (if given) runs in this thread halfway through (e.g. a backup)."""
    result = LoadResult()
    lock = threading.Lock()
    stop = threading.Event()
    rounds = [0]
    start = threading.Barrier(len(names) + 1)
    workers = [threading.Thread(target=adviser, args=(base, n, items, seconds, result, lock, start), daemon=True)
               for n in names]
    for w in workers:
        w.start()
    start.wait(timeout=120)  # everyone is logged in: the clock starts
    writer = threading.Thread(target=crawl_writer, args=(db_path, stop, as_of, rounds), daemon=True)
    writer.start()
    if during is not None:
        time.sleep(seconds / 2)
        during(result, lock)
    for w in workers:
        w.join(timeout=seconds + 120)
    stop.set()
    writer.join(timeout=60)
    result.crawl_rounds = rounds[0]
    return result


def summary(result: LoadResult, seconds: float) -> str:
    return json.dumps({
        "requests": result.requests, "per_second": round(result.requests / seconds, 1),
        "p95_ms": round(result.p95() * 1000, 1),
        "median_ms": round(statistics.median(result.times) * 1000, 1) if result.times else None,
        "triage_writes_acknowledged": len(result.acknowledged), "illegal_moves_refused": result.refused,
        "server_errors": len(result.server_errors), "database_locked": len(result.locked),
        "crawl_rounds": result.crawl_rounds,
    })  # fmt: skip


def seeded_db(path: Path):
    """A seeded database (tests/browser/seed.py) at `path`."""
    from tests.browser.seed import seed
    from tracker.store.db import open_db

    db = open_db(path)
    seed(db)
    return db
