"""eu_oeil: tolerant parsing of procedure files (stage, key events, forecasts) and failure paths."""

from __future__ import annotations

import asyncio

import pytest

from crawlers.spiders.eu_oeil import EuOeilSpider, procedure_url
from tests.conftest import file_response, make_spider

CSDDD = "2022/0051(COD)"
GREEN = "2023/0085(COD)"


def _parse(spider, fixture, ref, status=200):
    response = file_response(f"eu_oeil/{fixture}", procedure_url(ref), status=status)
    return list(spider.parse(response, reference=ref))


@pytest.fixture
def spider():
    return make_spider(EuOeilSpider, procedures=f"{CSDDD},{GREEN}")


@pytest.fixture
def csddd(spider):
    (item,) = _parse(spider, "csddd.html", CSDDD)
    return item


def test_url_uses_current_form():
    assert procedure_url(CSDDD) == (
        "https://oeil.secure.europarl.europa.eu/oeil/en/procedure-file?reference=2022/0051(COD)")


def test_native_id_and_reference(csddd):
    assert csddd["native_id"] == CSDDD
    assert csddd["reference"] == CSDDD
    assert csddd["kind"] == "eu_procedure"


def test_title(csddd):
    assert csddd["title"] == "Corporate sustainability due diligence – 2022/0051(COD)"


def test_stage_next_to_label(csddd):
    assert csddd["extra"]["stage"] == "Procedure completed"
    assert csddd.get("status_raw") is None


def test_stage_in_summary_with_last_event(csddd):
    assert csddd["summary"] == (
        "Stage: Procedure completed. Last key event: 2024-07-05 Final act published in Official Journal.")


def test_key_events(csddd):
    events = csddd["extra"]["key_events"]
    assert [e["date"] for e in events] == ["2022-02-23", "2023-06-01", "2024-04-24", "2024-06-13", "2024-07-05"]
    assert events[0] == {"date": "2022-02-23", "event": "Legislative proposal published",
                         "reference": "COM(2022)0071", "summary": "Summary"}


def test_body_lists_events_and_forecasts(csddd):
    assert "2024-07-05 Final act published in Official Journal Directive (EU) 2024/1760" in csddd["body"]
    assert csddd["body"].endswith("Forecasts:\n2028-07-26 Deadline for transposition (as amended by Omnibus I)")


def test_published_is_first_event(csddd):
    assert csddd["published"] == "2022-02-23T00:00:00+01:00"


def test_legacy_like_layout(spider):
    (item,) = _parse(spider, "legacy_like.html", GREEN)
    assert item["extra"]["stage"] == "Awaiting Council's 1st reading position"
    assert [e["event"] for e in item["extra"]["key_events"]] == [
        "Legislative proposal published", "Decision by Parliament, 1st reading", "Debate in Council"]
    assert item["title"].startswith("Substantiation and communication of explicit environmental claims")


def test_withdrawn_stage_is_status_raw(spider, tmp_path):
    page = (tmp_path / "w.html")
    text = (file_response("eu_oeil/legacy_like.html", procedure_url(GREEN)).text
            .replace("Awaiting Council's 1st reading position", "Procedure lapsed or withdrawn"))
    page.write_text(text, "utf-8")
    (item,) = list(spider.parse(file_response(page, procedure_url(GREEN)), reference=GREEN))
    assert item["status_raw"] == "withdrawn"
    assert item["extra"]["stage"] == "Procedure lapsed or withdrawn"


def test_page_without_structure_is_parse_error_not_item(spider):
    assert _parse(spider, "no_structure.html", CSDDD) == []
    assert spider.crawler.stats.get_value("tracker/parse_errors") == 2


def test_unknown_procedure_404_is_amber(spider):
    assert _parse(spider, "no_structure.html", "2099/0001(COD)", status=404) == []
    assert spider.notes == [("amber", "OEIL has no procedure file for 2099/0001(COD) (404): check the watchlist reference")]


def test_blocked_is_amber(spider):
    assert _parse(spider, "no_structure.html", CSDDD, status=403) == []
    assert spider.notes[0][0] == "amber"
    assert "blocked" in spider.notes[0][1]


async def _requests(spider):
    return [r async for r in spider.start()]


def test_start_reads_watchlist_procedures():
    spider = make_spider(EuOeilSpider)
    urls = [r.url for r in asyncio.run(_requests(spider))]
    assert procedure_url(CSDDD) in urls
    assert spider.procedures[CSDDD] == ("csddd", "CSDDD")


def test_invalid_watchlist_is_red(tmp_path):
    bad = tmp_path / "wl.toml"
    bad.write_text('[[file]]\nid = "x"\nname = "X"\nprocedure = "2022/51"\n', "utf-8")
    spider = make_spider(EuOeilSpider, watchlist=str(bad))
    assert asyncio.run(_requests(spider)) == []
    (level, reason), = spider.notes
    assert level == "red"
    assert "wl.toml:4" in reason and "'procedure'" in reason


@pytest.mark.slow
@pytest.mark.parametrize(("status", "reason", "shown"), [
    (403, "zero items (2 of 4 responses: HTTP 403)", "ingen saker (2 av 4 svar: HTTP 403)"),
    (200, "zero items (2 of 4 responses: challenge page)", "ingen saker (2 av 4 svar: robotsjekkside)"),
])
def test_every_procedure_blocked_is_red_naming_the_block(tmp_path, status, reason, shown):
    """Every procedure file answered 403 (or a challenge page): red, but the reason said only
    «ingen saker (ingen oppføringer; 16 svar)», not why. It names the block now (robots.txt's own
    404 is no failure)."""
    from support import run_spider

    from tracker.store.health import SourceRun, assess
    from tracker.vocabulary import health_reason

    page = "no_regjeringen_horinger/challenge.html"
    got = run_spider("eu_oeil", [{"url": procedure_url(ref), "file": page, "status": status,
                                  "headers": {"Content-Type": "text/html"}} for ref in (CSDDD, GREEN)],
                     tmp_path, args={"procedures": f"{CSDDD},{GREEN}"})
    assert got["items"] == []
    run = SourceRun("eu_oeil", stats=got["stats"], notes=[tuple(n) for n in got["notes"]], items_seen=0)
    assert assess(run) == ("red", reason)
    assert health_reason(reason, "nb") == shown
