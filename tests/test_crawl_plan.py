"""tracker.jobs.crawl.run_plan's after-step thread: Ctrl-C while it runs stops the reactor at once,
the step still ends before run_plan returns (never cut off by the interpreter's exit), and the plan
and the run's row say it was interrupted."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest
from support import ROOT

#: argv: a marker folder. The after-step writes "started", waits for the reactor to stop, tries a
#: crawl (it must fail: the reactor is gone), sleeps a little and writes "ended".
_SCRIPT = """
import json, sys, time
from pathlib import Path
from tracker.jobs.crawl import Step, bundled_days, replay_as_of, replay_days, run_plan, running_crawls

marks = Path(sys.argv[1])
def after(result):
    crawls = running_crawls()
    (marks / "started").write_text("x")
    while crawls.reactor.running:
        time.sleep(0.05)
    try:
        crawls.crawl("documents", None)
        outcome = "crawled"
    except RuntimeError as exc:
        outcome = str(exc)
    time.sleep(0.5)
    (marks / "ended").write_text(outcome)
days = replay_days(bundled_days())[:2]
plan = [Step(["no_lovdata"], replay_as_of(d), replay_dir=str(d)) for d in days]
results = run_plan(marks / "t.db", plan, after_step=after, progress=False)
import sqlite_utils
runs = sqlite_utils.Database(marks / "t.db").query("select exit_code, completed from runs")
print(json.dumps([[r["exit_code"], r["completed"]] for r in runs]))
print(json.dumps([r.finished for r in results]))
"""


def test_ctrl_c_during_the_after_step_lets_it_end_and_marks_the_plan_unfinished(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("NCP_TRACKER_")}
    proc = subprocess.Popen([sys.executable, "-c", _SCRIPT, str(tmp_path)], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 120
        while not (tmp_path / "started").exists() and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert (tmp_path / "started").exists(), proc.communicate(timeout=5)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err[-3000:]
    # the step ran to its end before run_plan returned; the crawl it asked for failed clearly
    assert (tmp_path / "ended").read_text() == "the crawl was stopped (the reactor is no longer running)"
    # the first day's after-step did not finish, the second day never started
    assert json.loads(out.strip().splitlines()[-1]) == [False]
    # its crawl ended (exit code written, which the digest's freshness check reads) but the run is
    # not completed: `demo` replays that day again instead of skipping it as done
    assert json.loads(out.strip().splitlines()[-2]) == [[0, None]]
    assert "Traceback" not in err, err[-3000:]


def test_console_log_lines_stay_readable():
    """Scrapy's "Gave up retrying <GET …sparql?query=…>" printed a 1,500-character URL (the whole
    encoded SPARQL query) on the console of `run` and `demo`: a URL is cut after 160 characters,
    a traceback becomes its error's one line, and any other record passes unchanged."""
    import logging

    from tracker.jobs.crawl import _NoTraceback

    query = "https://publications.europa.eu/webapi/rdf/sparql?query=" + "PREFIX+cdm%3A+%3Chttp%3A" * 60
    record = logging.LogRecord("scrapy.downloadermiddlewares.retry", logging.ERROR, __file__, 1,
                               "Gave up retrying %(request)s (failed %(retry_times)d times): %(reason)s",
                               ({"request": f"<GET {query}>", "retry_times": 4, "reason": "500 Internal Server Error"},),
                               None)
    assert _NoTraceback().filter(record)
    line = record.getMessage()
    assert line == f"Gave up retrying <GET {query[:160]}…> (failed 4 times): 500 Internal Server Error"
    try:
        raise OSError("DNS lookup failed")
    except OSError:
        import sys

        failed = logging.LogRecord("x", logging.ERROR, __file__, 1, "fetch %s failed", ("https://x.no/a",), sys.exc_info())
    _NoTraceback().filter(failed)
    assert failed.getMessage() == "fetch https://x.no/a failed (OSError: DNS lookup failed)" and failed.exc_info is None
    plain = logging.LogRecord("x", logging.WARNING, __file__, 1, "%d pages", (3,), None)
    _NoTraceback().filter(plain)
    assert (plain.msg, plain.args) == ("%d pages", (3,))


def test_the_crawl_log_lives_beside_its_database_and_is_rotated(tmp_path, monkeypatch):
    """`<db>.log` unless LOG_FILE is given (given empty: the console); a log grown past
    LOG_ROTATE_BYTES is moved to `<log>.1` at a run's start (the one before it dropped), so that
    years of daily runs do not fill the disk."""
    from tracker.jobs import crawl

    assert crawl.crawl_log_path(tmp_path / "t.db", {}) == tmp_path / "t.log"
    assert crawl.crawl_log_path(tmp_path / "t.db", {"LOG_FILE": str(tmp_path / "x.txt")}) == tmp_path / "x.txt"
    assert crawl.crawl_log_path(tmp_path / "t.db", {"LOG_FILE": ""}) is None
    log = tmp_path / "t.log"
    monkeypatch.setattr(crawl, "LOG_ROTATE_BYTES", 100)
    crawl.open_crawl_log(log, "---- run 1")
    log.write_text("x" * 101 + "\n", "utf-8")
    (tmp_path / "t.log.1").write_text("the oldest\n", "utf-8")
    crawl.open_crawl_log(log, "---- run 2\n")
    assert log.read_text("utf-8") == "---- run 2\n"
    assert (tmp_path / "t.log.1").read_text("utf-8") == "x" * 101 + "\n"
    crawl.open_crawl_log(log, "---- run 3")
    assert log.read_text("utf-8") == "---- run 2\n---- run 3\n"
    (tmp_path / "ro").mkdir()
    with pytest.raises(crawl.LogUnwritable) as caught:
        crawl.open_crawl_log(tmp_path / "ro", "----")
    assert caught.value.filename == str(tmp_path / "ro") and isinstance(caught.value.__cause__, IsADirectoryError)
