"""regjeringen.no's bundled days, the second one doctored the way the real site breaks — a feed
cut short, deadline words with a time or none readable — through the real CLI and store: what the
adviser reads (health, the digest) says what was wrong, and the store is not corrupted (no false
«Forsvant fra kildens liste», no deadline moved by a text that could not be read)."""

from __future__ import annotations

import json
import re
import shutil

import pytest

from tracker.vocabulary import health_reason

from .conftest import REGJERINGEN, ROOT, cli, crawl, health, query

pytestmark = pytest.mark.slow

REPLAY = ROOT / "data" / "replay"
DAY1, DAY2 = "2026-11-23T06:00:00+01:00", "2026-11-24T06:00:00+01:00"


def _days(tmp_path):
    """Day 1 crawled clean into a new store; a copy of day 2 to doctor."""
    for day in ("2026-11-23", "2026-11-24"):
        shutil.copytree(REPLAY / day / REGJERINGEN, tmp_path / day / REGJERINGEN)
    db = tmp_path / "t.db"
    first = crawl(db, "--replay", str(tmp_path / "2026-11-23"), "--source", REGJERINGEN, as_of=DAY1)
    assert first.returncode == 0, first.stderr[-2000:]
    return db, tmp_path / "2026-11-24" / REGJERINGEN


def _rewrite(folder, url_part: str, change) -> None:
    """The recorded body whose URL holds `url_part`, changed by `change(text)`, and its validators
    dropped (a new answer, not a 304)."""
    manifest = json.loads((folder / "manifest.json").read_text("utf-8"))
    (entry,) = [e for e in manifest["responses"] if url_part in e["url"]]
    path = folder / entry["file"]
    path.write_text(change(path.read_text("utf-8")), "utf-8")
    entry["headers"] = {k: v for k, v in entry["headers"].items() if k.lower() not in ("etag", "last-modified")}
    (folder / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), "utf-8")


def _run_day2(db, tmp_path):
    out = tmp_path / "out"
    second = cli("run", "--replay", str(tmp_path / "2026-11-24"), "--source", REGJERINGEN, "--as-of", DAY2,
                 "--out", str(out), "--no-progress", "-s", "ROBOTSTXT_OBEY=0", db=db, timeout=300)
    assert second.returncode == 0, second.stdout + second.stderr[-3000:]
    digest = next(out.rglob("digest-ncp-2026-11-24.md")).read_text("utf-8")
    return second, digest


def test_a_truncated_feed_marks_nothing_vanished_that_no_complete_listing_shows_absent(tmp_path):
    db, day2 = _days(tmp_path)
    # the feed loses three hearings: 3151728 (listing page 1 shows it) and 3150729, 3150137 (older
    # than page 1); 3150396 is withdrawn for real: gone from the feed and from listing page 1
    cut = {"3151728", "3150729", "3150137", "3150396"}
    _rewrite(day2, "/Rss/", lambda text: re.sub(
        r"<item>.*?</item>\s*",
        lambda m: "" if re.search(r"<guid[^>]*>(\d+)", m.group(0)).group(1) in cut else m.group(0), text, flags=re.S))
    # (the page then says it shows one hearing fewer: one saying 20 and holding 19 is cut short)
    _rewrite(day2, "/hoyringar/id1763/", lambda text: re.sub(
        r'<li class="listItem">(?:(?!</li>).)*?/id3150396/.*?</li>\s*', "", text, flags=re.S).replace(
        "Viser 1-20 av 100 treff", "Viser 1-19 av 99 treff"))
    _, digest = _run_day2(db, tmp_path)

    vanished = {r["native_id"] for r in query(
        db, "select i.native_id from events e join items i on i.id = e.item_id where e.kind = 'vanished'")}
    # 3150396 is confirmed absent by the listing page that covers its day (and 3152636, published
    # inside that window too, is the bundled day's own withdrawal); the three cut from the feed only are not
    assert vanished == {"3150396", "3152636"}
    h = health(db)[REGJERINGEN]
    assert h["status"] == "amber"
    assert "hearings published before 2026-10-20 not checked for vanishing (truncated feed)" in h["reason"]
    assert "ikke sjekket om høringer publisert før tir. 20.10.2026 har forsvunnet (RSS-strømmen er avkortet)" in \
        health_reason(h["reason"])
    row = next(line for line in digest.splitlines() if line.startswith("| Høringer (regjeringen.no)"))
    assert "RSS-strømmen ser avkortet ut" in row and "ikke sjekket om høringer publisert før tir. 20.10.2026" in row
    entries = digest.split("\n- ")
    gone = [e for e in entries if "Forsvant fra kildens liste" in e]
    assert gone and not [e for e in gone if re.search(r"/id(3151728|3150729|3150137)/", e)]
    assert [e for e in gone if "/id3150396/" in e]


def test_deadline_words_with_a_time_are_kept_and_unreadable_ones_said_by_page_and_kept(tmp_path):
    db, day2 = _days(tmp_path)
    before = {r["native_id"]: r["deadline"] for r in query(db, "select native_id, deadline from items")}
    assert before["3151284"] == "2027-02-01T23:59:59+01:00"

    def deadline(words):
        return lambda text: re.sub(r"(Høringsfrist:</strong>)\s*[0-9.]+", rf"\1 {words}", text)

    _rewrite(day2, "id3150729", deadline("1. desember 2026 kl. 12"))
    _rewrite(day2, "id3172240", deadline("23. feb. 2027 kl. 12.00"))
    _rewrite(day2, "id3151284", deadline("snarest"))
    second, digest = _run_day2(db, tmp_path)

    after = {r["native_id"]: r["deadline"] for r in query(db, "select native_id, deadline from items")}
    assert after["3150729"] == "2026-12-01T12:00:00+01:00"
    assert after["3172240"] == "2027-02-23T12:00:00+01:00"
    assert after["3151284"] == before["3151284"]  # not read: the stored deadline stays
    moved = {r["native_id"] for r in query(db, "select i.native_id from events e join items i on i.id = e.item_id "
                                               "where e.kind = 'deadline_changed'")}
    assert "3151284" not in moved and "3150729" in moved
    h = health(db)[REGJERINGEN]
    assert h["status"] == "amber" and h["parse_errors"] == 1
    url = "https://www.regjeringen.no/no/dokumenter/horing-forslag-om-endringer-i-studiestotteforskriften/id3151284/"
    assert f"hearing 3151284: unreadable Høringsfrist 'snarest' on its page {url}: deadline not read from it" in h["reason"]
    assert f"høring 3151284: høringsfristen 'snarest' på siden {url} kunne ikke leses" in health_reason(h["reason"])
    assert "høringsfristen 'snarest'" in next(line for line in digest.splitlines()
                                              if line.startswith("| Høringer (regjeringen.no)"))
    assert "Frist: tir. 23.02.2027 kl. 12.00" in digest
