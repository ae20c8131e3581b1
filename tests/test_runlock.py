"""One crawl at a time per database (tracker.store.runlock): a second crawl of the same store waits
for the first to end, then runs; when the wait is over (or `lock_wait` is 0) it is refused, saying
who holds it, and writes nothing; a killed crawl leaves no lock."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import threading
import time
from typing import Any

import pytest
from support import ROOT

from tracker.store.db import open_db
from tracker.store.runlock import RunLocked, exclusive_run, lock_path

DAY1 = ROOT / "crawlers" / "recorded" / "2026-11-23"

HOLD = """
import sys, time
from tracker.store.runlock import exclusive_run
with exclusive_run(sys.argv[1]):
    print("held", flush=True)
    if sys.argv[2] == "until-told":  # until a line comes on stdin (or it closes)
        sys.stdin.readline()
    else:
        time.sleep(float(sys.argv[2]))
"""


def cli(*args: str, db, lock_wait: int | None = None, wait: bool = True) -> Any:
    """The command's CompletedProcess; with `wait=False` the running Popen (stdout and stderr piped)."""
    config = db.parent / "ncp-tracker.toml"
    crawl = "" if lock_wait is None else f"[crawl]\nlock_wait = {lock_wait}\n"
    config.write_text(f'[tracker]\ndata_dir = "{db.parent / "data"}"\n{crawl}', "utf-8")
    env = {**os.environ, "NCP_TRACKER_DB": str(db), "NCP_TRACKER_CONFIG": str(config)}
    command = [sys.executable, "-m", "tracker", *args]
    if not wait:
        return subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)


def test_a_second_holder_is_refused_with_who_holds_it(tmp_path):
    db = tmp_path / "tracker.db"
    with exclusive_run(db):
        with pytest.raises(RunLocked) as refused, exclusive_run(db):
            pytest.fail("two holders of one database's run lock")
        assert str(db) in str(refused.value) and f"pid {os.getpid()}" in str(refused.value)
        assert lock_path(db).read_text("utf-8").startswith(f"pid {os.getpid()}, `")
    with exclusive_run(db):  # released at the end of the block
        pass
    with exclusive_run(tmp_path / "other.db"), exclusive_run(db):  # one lock per database
        pass
    with exclusive_run(":memory:"), exclusive_run(":memory:"):  # no other writer: no lock
        pass


def test_a_waiting_holder_gets_the_lock_when_the_first_ends_or_gives_up(tmp_path):
    db, said = tmp_path / "tracker.db", []
    first_in, release = threading.Event(), threading.Event()

    def first():
        with exclusive_run(db):
            first_in.set()
            release.wait(10)

    thread = threading.Thread(target=first)
    thread.start()
    assert first_in.wait(10)
    with pytest.raises(RunLocked, match=r"\(waited 0\.3 s\)"), exclusive_run(db, wait=0.3, waiting=said.append):
        pytest.fail("the lock was taken while held")
    assert len(said) == 1 and said[0].startswith(f"pid {os.getpid()}, `")  # said once, with whom
    threading.Timer(0.5, release.set).start()
    began = time.monotonic()
    with exclusive_run(db, wait=10, waiting=said.append):
        assert 0.3 < time.monotonic() - began < 9  # waited for the first to end, not for the whole wait
    thread.join()
    assert len(said) == 2


def test_a_crawl_beside_a_running_one_waits_or_is_refused_and_writes_nothing(tmp_path):
    db = tmp_path / "tracker.db"
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(db), "120"], cwd=ROOT, stdout=subprocess.PIPE,
                              text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        for command, wait in ((["run", "--replay", str(DAY1), "--no-progress"], 0),
                              (["crawl", "--replay", str(DAY1), "--source", "no_lovdata", "--no-progress",
                                "-s", "TRACKER_LOCK_WAIT=1"], None)):
            refused = cli(*command, db=db, lock_wait=wait)
            assert refused.returncode == 1, refused.stderr[-2000:]
            assert f"feil: en annen innhenting skriver til {db} nå (prosess {holder.pid}, `" in refused.stderr
            assert "Traceback" not in refused.stderr
        assert not db.exists()  # refused before the store was opened: nothing created or written
        answers = cli("answers", "--replay", str(DAY1), db=db, lock_wait=0)  # its crawl too
        assert answers.returncode == 1 and f"(prosess {holder.pid}, `" in answers.stderr, answers.stderr[-2000:]
        assert "Traceback" not in answers.stderr
        store = open_db(db)  # a hearing with a document to fetch: `documents fetch` crawls for it
        store["items"].insert({"id": "regjeringen:1", "source": "no_regjeringen_horinger", "kind": "hearing",
                               "title": "Høring", "url": "https://www.regjeringen.no/id1/", "status": "open",
                               "documents": json.dumps([{"title": "Høringsnotat", "type": "høringsnotat",
                                                         "url": "https://www.regjeringen.no/h.pdf"}])})
        store.close()
        documents = cli("documents", "fetch", "--replay", str(DAY1), db=db, lock_wait=0)
        assert documents.returncode == 1 and f"(prosess {holder.pid}, `" in documents.stderr, documents.stderr[-2000:]
    finally:
        holder.kill()  # as a crawl killed by the OOM killer or a reboot: no stale lock is left
        holder.wait()
    # the cron job that starts while an adviser's crawl runs: it waits, says so, then crawls
    # (the holder lets go once the crawl has said it waits, not after a fixed time: on a loaded
    # machine the crawl's start-up alone took longer than the two seconds it used to hold)
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(db), "until-told"], cwd=ROOT,
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "held"
    crawl = cli("crawl", "--replay", str(DAY1), "--source", "no_lovdata", "--no-progress", db=db, lock_wait=60,
                wait=False)  # a crawl that never says it waits is refused after a minute, failing here
    said = []
    try:
        for line in crawl.stderr:  # what it says before it crawls: that it waits, and for whom
            said.append(line)
            if "venter på at innhentingen som skriver til denne databasen, skal bli ferdig" in line:
                break
    finally:
        holder.communicate("go\n", timeout=60)
    _, rest = crawl.communicate(timeout=300)
    said.append(rest)
    assert crawl.returncode == 0, "".join(said)[-2000:]
    assert f"venter på at innhentingen som skriver til denne databasen, skal bli ferdig (prosess {holder.pid}, `" in said[-2]
    with sqlite3.connect(db) as conn:
        assert conn.execute("select count(*) from runs").fetchone()[0] == 1  # none of the refused ones
        assert conn.execute("select count(*) from items where source = 'no_lovdata'").fetchone()[0] > 0
    last = lock_path(db).read_text("utf-8")  # who held it last: that crawl, as its user typed it
    assert f"pid {holder.pid}" not in last and "`python -m tracker crawl --replay " in last


def test_a_lock_whose_holder_wrote_nothing_is_named_in_the_readers_words(tmp_path):
    """A held lock without its holder's line was «another process», and the refusal English:
    «feil: another crawl is writing … now (another process); wait until it ends …»."""
    import fcntl

    from click.testing import CliRunner

    from tracker.cli import main

    db = tmp_path / "tracker.db"
    with open(lock_path(db), "w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        r = CliRunner().invoke(main, ["--db", str(db), "crawl", "--replay", str(DAY1), "--source", "no_lovdata",
                                      "--no-progress", "-s", "TRACKER_LOCK_WAIT=0"])
    assert r.exit_code == 1, r.output
    assert r.stderr == (f"feil: en annen innhenting skriver til {db} nå (en annen prosess): vent til den er ferdig, "
                        "eller stopp den — to innhentinger samtidig ville hente og lagre samme dag to ganger\n")


def test_answers_and_backfill_say_whom_they_wait_for_in_the_readers_words(tmp_path):
    """`answers` and `backfill` said «waiting for the crawl that is writing this database to end
    (another process) …» in English while `run` and `crawl` said it in Bokmål: now all of them."""
    import fcntl

    db = tmp_path / "tracker.db"
    history = ROOT / "tests" / "fixtures" / "backfill"
    with open(lock_path(db), "w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        for command in (["answers", "--replay", str(DAY1)],
                        ["backfill", "--since", "2026", "--source", "no_stortinget_horinger", "--replay", str(history),
                         "--as-of", "2026-11-24", "--no-progress"]):
            r = cli(*command, db=db, lock_wait=1)
            assert r.returncode == 1, r.stderr[-2000:]
            assert ("venter på at innhentingen som skriver til denne databasen, skal bli ferdig (en annen prosess) …\n"
                    in r.stderr), (command, r.stderr[-2000:])
            assert "waiting for" not in r.stderr and "Traceback" not in r.stderr
