"""The Scrapyd set-up end to end on 127.0.0.1: start scrapyd (free port, temp dir), deploy the project
egg with scrapyd-deploy and the committed scrapy.cfg target, schedule a replayed crawl, ingest its
feed export with `ncp-tracker ingest`, and check the stored items and health."""

from __future__ import annotations

import configparser
import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from support import ROOT

pytestmark = pytest.mark.slow

pytest.importorskip("scrapyd", reason="scrapyd is not installed (pip install -e '.[dev]')")
pytest.importorskip("scrapyd_client", reason="scrapyd-client is not installed (pip install -e '.[dev]')")

SOURCE = "no_regjeringen_horinger"
DAY = ROOT / "data" / "replay" / "2026-11-24"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def api(base: str, path: str, data: list[tuple[str, str]] | None = None) -> dict:
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    with urllib.request.urlopen(f"{base}/{path}", data=body, timeout=10) as response:
        return json.loads(response.read())


def tool(name: str) -> str:
    found = Path(sys.executable).parent / name
    return str(found) if found.exists() else (shutil.which(name) or name)


@pytest.fixture
def scrapyd(tmp_path):
    """A scrapyd of this test's own, with its eggs, logs, items and queues in tmp_path."""
    home = tmp_path / "scrapyd"
    home.mkdir()
    port = free_port()
    (home / "scrapyd.conf").write_text(
        "[scrapyd]\n"
        f"bind_address = 127.0.0.1\nhttp_port = {port}\npoll_interval = 0.2\n"
        f"eggs_dir = {home / 'eggs'}\nlogs_dir = {home / 'logs'}\nitems_dir = {home / 'items'}\n"
        f"dbs_dir = {home / 'dbs'}\n", "utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SCRAPY_", "NCP_TRACKER_"))}
    proc = subprocess.Popen([tool("scrapyd")], cwd=home, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                if api(base, "daemonstatus.json")["status"] == "ok":
                    break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"scrapyd did not start: {proc.stderr.read() if proc.poll() is not None else ''}")
            time.sleep(0.2)
        yield base, home, port
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def test_deploy_schedule_and_ingest(scrapyd, tmp_path):
    base, home, port = scrapyd
    # the project as scrapyd-deploy sees it, in a copy so the build leaves nothing in the checkout
    project = tmp_path / "project"
    shutil.copytree(ROOT / "crawlers", project / "crawlers", ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, project / name)
    cfg = configparser.ConfigParser()
    cfg.read(ROOT / "scrapy.cfg")
    assert cfg["deploy:local"]["project"] == "ncp_tracker"
    cfg["deploy:local"]["url"] = f"http://127.0.0.1:{port}/"  # the committed target, on this test's port
    with (project / "scrapy.cfg").open("w") as handle:
        cfg.write(handle)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SCRAPY_", "NCP_TRACKER_"))}
    deploy = subprocess.run([tool("scrapyd-deploy"), "local", "-v", "1"], cwd=project, env=env,
                            capture_output=True, text=True, timeout=120)
    assert deploy.returncode == 0, deploy.stderr[-3000:]
    assert SOURCE in api(base, "listspiders.json?project=ncp_tracker")["spiders"]

    job = api(base, "schedule.json", [("project", "ncp_tracker"), ("spider", SOURCE),
                                      ("setting", f"REPLAY_DIR={DAY}"), ("setting", "LOG_LEVEL=WARNING"),
                                      ("as_of", "2026-11-24T06:00:00+01:00")])
    assert job["status"] == "ok", job
    deadline = time.monotonic() + 90
    while not any(j["id"] == job["jobid"] for j in api(base, "listjobs.json?project=ncp_tracker")["finished"]):
        assert time.monotonic() < deadline, "the scheduled crawl did not finish"
        time.sleep(0.3)
    feed = home / "items" / "ncp_tracker" / SOURCE / f"{job['jobid']}.jl"
    log = home / "logs" / "ncp_tracker" / SOURCE / f"{job['jobid']}.log"
    assert feed.exists(), log.read_text("utf-8")[-3000:] if log.exists() else "no log"

    db = tmp_path / "t.db"
    done = subprocess.run([sys.executable, "-m", "tracker", "ingest", str(feed), "--source", SOURCE], cwd=ROOT,
                          env={**env, "NCP_TRACKER_DB": str(db)}, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    conn = sqlite3.connect(db)
    try:
        items = conn.execute("select id, deadline from items where source = ?", [SOURCE]).fetchall()
        (status, reason, seen) = conn.execute("select status, reason, items_seen from health").fetchone()
    finally:
        conn.close()
    assert len(items) == 100
    assert "regjeringen:3172240" in dict(items)  # the hearing new on that day
    assert sum(1 for _, deadline in items if deadline) >= 99
    assert (status, seen) == ("amber", 100) and "blocked" in reason  # the day's 403 detail page, as in a run
