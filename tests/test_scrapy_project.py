"""`scrapy list` and `scrapy crawl <name>` work from the repository root (offline, on a replay day)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from support import ROOT

pytestmark = pytest.mark.slow


def scrapy(*args, env=None):
    return subprocess.run([sys.executable, "-m", "scrapy", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=120, env={**os.environ, **(env or {})})


def test_scrapy_list_names_every_spider_module():
    out = scrapy("list")
    assert out.returncode == 0, out.stderr
    names = set(out.stdout.split())
    modules = {p.stem for p in (ROOT / "crawlers" / "spiders").glob("*.py") if p.stem not in ("__init__", "base")}
    assert names == modules


def test_scrapy_crawl_on_a_replay_day(tmp_path):
    out_file = tmp_path / "items.jsonl"
    out = scrapy("crawl", "no_regjeringen_horinger", "-O", str(out_file), "-s", "LOG_LEVEL=ERROR",
                 "-s", f"REPLAY_DIR={ROOT / 'data' / 'replay' / '2026-11-24'}")
    assert out.returncode == 0, out.stderr
    lines = [json.loads(line) for line in out_file.read_text("utf-8").splitlines()]
    items = [i for i in lines if "crawl_report" not in i]
    (report,) = [i for i in lines if "crawl_report" in i]
    assert lines[-1] is report and report["source"] == "no_regjeringen_horinger"
    assert any("blocked" in reason for _, reason in report["notes"])
    assert len(items) == 100
    assert sum(1 for i in items if i.get("deadline")) >= 99  # one detail page answers 403 that day
