"""no_regjeringen_horinger: RSS feed first, detail pages best effort (fixtures follow docs/sources.md §1)."""

from __future__ import annotations

import pytest
from support import file_response, make_spider

from crawlers.items import TrackedItem
from crawlers.spiders.no_regjeringen_horinger import FEED_URL, NoRegjeringenHoringerSpider

DETAIL_URL = "https://www.regjeringen.no/no/dokumenter/x/id3150100/"


@pytest.fixture
def spider():
    return make_spider(NoRegjeringenHoringerSpider)


@pytest.fixture
def feed_output(spider):
    return list(spider.parse(file_response("no_regjeringen_horinger/feed.xml", FEED_URL)))


def _detail(spider, fixture: str, status: int = 200, url: str = DETAIL_URL) -> TrackedItem:
    item = spider.make_item(native_id="3150100", url=url, title="from the feed", summary="feed summary")
    out = list(spider.parse_detail(file_response(f"no_regjeringen_horinger/{fixture}", url, status=status), item=item))
    assert len(out) == 1
    return out[0]


def test_feed_yields_one_detail_request_per_item(feed_output):
    assert len(feed_output) == 5
    assert all(r.callback.__name__ == "parse_detail" for r in feed_output)


def test_feed_requests_revalidate(feed_output):
    assert feed_output[0].headers.get("Cache-Control") == b"max-age=0"


def test_feed_item_url_without_tracking(feed_output):
    item = feed_output[0].cb_kwargs["item"]
    assert "utm_" not in item["url"]
    assert item["url"].endswith("/id3142702/")


def test_feed_item_native_id_is_guid(feed_output):
    assert feed_output[0].cb_kwargs["item"]["native_id"] == "3142702"


def test_feed_item_published_keeps_time_and_offset(feed_output):
    assert feed_output[0].cb_kwargs["item"]["published"] == "2026-11-18T09:00:00+01:00"


def test_feed_item_kind_source_channel(feed_output):
    item = feed_output[0].cb_kwargs["item"]
    assert (item["kind"], item["source"], item["channel"]) == ("hearing", "no_regjeringen_horinger", "rss")


def test_feed_declares_complete_listing_since_oldest_item(spider, feed_output):
    assert spider.listing["complete"] is True
    assert spider.listing["since"].startswith("2026-11-1")


def test_known_closed_item_is_not_downloaded_again():
    spider = make_spider(NoRegjeringenHoringerSpider, known={"3142702": {"status": "closed"}})
    out = list(spider.parse(file_response("no_regjeringen_horinger/feed.xml", FEED_URL)))
    assert isinstance(out[0], TrackedItem) and out[0]["extra"]["detail"] == "skipped"
    assert len([o for o in out if not isinstance(o, TrackedItem)]) == 4


def test_detail_deadline_is_end_of_day_oslo(spider):
    assert _detail(spider, "detail_csddd.html")["deadline"] == "2026-12-11T23:59:59+01:00"


def test_detail_status(spider):
    assert _detail(spider, "detail_csddd.html")["status_raw"] == "På høring"


def test_detail_owner_from_metadata_line(spider):
    assert _detail(spider, "detail_csddd.html")["owner"] == "Barne- og familiedepartementet"


def test_detail_reference(spider):
    assert _detail(spider, "detail_csddd.html")["reference"].startswith("26/")


def test_detail_documents_classified(spider):
    docs = _detail(spider, "detail_csddd.html")["documents"]
    assert [d["type"] for d in docs] == ["høringsbrev", "høringsnotat", "høringsinstanser"]
    assert all(d["url"].startswith("https://www.regjeringen.no/contentassets/") for d in docs)


def test_detail_body_and_responses_link(spider):
    item = _detail(spider, "detail_csddd.html")
    assert "2024/1760" in item["body"]
    assert "showSvar=true" in item["extra"]["responses_url"]


def test_detail_keeps_feed_summary(spider):
    assert _detail(spider, "detail_csddd.html")["summary"] == "feed summary"


def test_nynorsk_detail(spider):
    item = _detail(spider, "detail_nynorsk.html")
    assert item["status_raw"] == "Under behandling"
    assert item["deadline"] == "2026-11-19T23:59:59+01:00"
    assert item["owner"] == "Energidepartementet"


def test_old_markup_generation(spider):
    item = _detail(spider, "detail_old_markup.html")
    assert item["deadline"] == "2016-05-25T23:59:59+02:00"
    assert item["status_raw"] == "Under behandling"
    assert item["reference"] == "16/1243 EO OKL/bj"
    assert item["owner"] == "Justis- og beredskapsdepartementet"


def test_changed_structure_keeps_item_and_counts_parse_error(spider):
    item = _detail(spider, "detail_no_deadline.html")
    assert "deadline" not in item
    assert item["title"] == "from the feed"
    assert spider.crawler.stats.get_value("tracker/parse_errors") == 1


def test_mojibake_detail_is_repaired(spider):
    item = _detail(spider, "detail_mojibake.html")
    assert item["deadline"] == "2027-03-01T23:59:59+01:00"
    assert item["status_raw"] == "På høring"


@pytest.mark.parametrize("status", [403, 429])
def test_blocked_detail_keeps_feed_data_and_turns_amber(spider, status):
    item = _detail(spider, "challenge.html", status=status)
    assert item["title"] == "from the feed" and "deadline" not in item
    assert item["extra"]["detail"] == f"blocked {status}"
    assert spider.notes and spider.notes[0][0] == "amber"


def test_challenge_page_with_200_is_detected(spider):
    item = _detail(spider, "challenge.html", status=200)
    assert item["extra"]["detail"].startswith("blocked")


def test_blocked_feed_is_red(spider):
    out = list(spider.parse(file_response("no_regjeringen_horinger/challenge.html", FEED_URL, status=403)))
    assert out == []
    assert spider.notes[0][0] == "red"


def test_malformed_feed_parsed_leniently(spider):
    out = list(spider.parse(file_response("no_regjeringen_horinger/feed_malformed.xml", FEED_URL)))
    assert out, "a malformed feed must still give the readable items"
    assert any(level == "amber" for level, _ in spider.notes)


def test_empty_feed_is_red(spider, tmp_path):
    empty = tmp_path / "empty.xml"
    empty.write_text('<?xml version="1.0"?><rss version="2.0"><channel><title>x</title></channel></rss>')
    assert list(spider.parse(file_response(empty, FEED_URL))) == []
    assert spider.notes == [("red", "hearing RSS has no items")]
