"""Snapshot of the day-2 digest (Markdown, nb and en) on the small replay-like store.

The store is filled through `tracker.store.merge.apply_scrape` exactly as two replayed days would be
(see test_digest_world.py); day 1's digest is written first so day 2 shows "since the previous
digest". Update deliberately with `UPDATE_SNAPSHOTS=1 pytest tests/test_digest_snapshot.py`
and review the diff.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from test_digest_world import DAY1, DAY2, build_world

import tracker.digest as digest

SNAPSHOTS = Path(__file__).parent / "snapshots"


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_day2_digest_matches_the_snapshot(db, tmp_path, lang):
    build_world(db, days=1)
    digest.write_for_run(db, as_of=DAY1, out_dir=tmp_path)
    build_world_day2(db)
    text = digest.render_markdown(digest.build_digest(db, as_of=DAY2, profile="ncp", lang=lang))
    path = SNAPSHOTS / f"digest-ncp-day2.{lang}.md"
    if os.environ.get("UPDATE_SNAPSHOTS"):
        path.write_text(text, "utf-8")
    if not path.exists():
        pytest.fail(f"no snapshot {path.name}: run with UPDATE_SNAPSHOTS=1 and review it")
    assert text == path.read_text("utf-8")


def build_world_day2(db):
    from test_digest_world import EU, RG, ST, crawl_day, day2_items, tag

    crawl_day(db, DAY2, day2_items(), health_status={RG: ("green", 10), ST: ("red", 0), EU: ("amber", 1)})
    tag(db)
