"""no_finansdep: fund documents and hearings from the regjeringen.no RSS generator (owner filter)."""

from __future__ import annotations

import scrapy

from crawlers.spiders.no_finansdep import DEFAULT_OWNER, NoFinansdepSpider, feed_url
from tests.conftest import file_response

HEARINGS_URL = feed_url(DEFAULT_OWNER, "dokumenter/høringer")
DOCS_URL = feed_url(DEFAULT_OWNER)
HEARING_URL = "https://www.regjeringen.no/no/dokumenter/horing-nou-2026-14/id3161402/"
GUIDELINES_URL = "https://www.regjeringen.no/no/dokumenter/midlertidige-etiske-retningslinjer-for-statens-pensjonsfond-utland/id3138527/"


def _parse_feeds(spider=None):
    spider = spider or _spider()
    out = list(spider.parse(file_response("no_finansdep/hearings.rss", HEARINGS_URL), hearings_feed=True))
    out += list(spider.parse(file_response("no_finansdep/documents.rss", DOCS_URL), hearings_feed=False))
    return spider, out


def _spider(**kwargs):
    from tests.conftest import make_spider

    return make_spider(NoFinansdepSpider, **kwargs)


spider, requests = _parse_feeds()
items = {r.cb_kwargs["item"]["native_id"]: r.cb_kwargs["item"] for r in requests}
hearing = next(iter(spider.parse_detail(file_response("no_finansdep/detail_hearing.html", HEARING_URL),
                                        item=items["3161402"].copy())))
document = next(iter(spider.parse_detail(file_response("no_finansdep/detail_document.html", GUIDELINES_URL),
                                         item=items["3138527"].copy())))


def test_feed_urls_carry_the_configurable_owner():
    assert "owner=216" in DOCS_URL and "documentType=dokumenter/h%C3%B8ringer" in HEARINGS_URL
    assert all("owner=999" in u for u in _spider(owner="999").feed_urls)


def test_keyword_filter_keeps_fund_items_only():
    assert set(items) == {"3161402", "3138527", "3095855"}
    assert spider.crawler.stats.get_value("tracker/filtered_out") == 2


def test_item_in_both_feeds_is_requested_once():
    assert [r.cb_kwargs["item"]["native_id"] for r in requests].count("3161402") == 1
    assert spider.crawler.stats.get_value("tracker/duplicates_skipped") == 1


def test_every_request_is_a_detail_page():
    assert all(isinstance(r, scrapy.Request) and r.callback == spider.parse_detail for r in requests)


def test_native_ids_stable_when_feed_repeats():
    _, again = _parse_feeds()
    assert sorted(r.cb_kwargs["item"]["native_id"] for r in again) == sorted(items)


def test_kind_hearing_vs_document():
    assert items["3161402"]["kind"] == "hearing"
    assert items["3138527"]["kind"] == "gpfg_document"
    assert items["3095855"]["kind"] == "gpfg_document"


def test_url_drops_tracking_params():
    assert items["3161402"]["url"] == HEARING_URL


def test_published_from_pubdate():
    assert items["3138527"]["published"] == "2025-11-07T15:00:00+01:00"


def test_item_without_pubdate_kept_undated():
    assert "published" not in items["3095855"]


def test_item_without_page_id_is_a_parse_error():
    assert spider.crawler.stats.get_value("tracker/parse_errors") == 1


def test_owner_is_the_department():
    assert items["3138527"]["owner"] == "Finansdepartementet"


def test_hearing_deadline_from_norwegian_date_words():
    assert hearing["deadline"] == "2027-03-01T23:59:59+01:00"


def test_hearing_status_raw():
    assert hearing["status_raw"] == "På høring"


def test_hearing_documents():
    types = [d["type"] for d in hearing["documents"]]
    assert types == ["nou", "høringsbrev", "høringsinstanser"]
    assert hearing["documents"][0]["url"].startswith("https://www.regjeringen.no/contentassets/")


def test_hearing_body_names_a_company():
    assert "Caterpillar Inc." in hearing["body"]


def test_document_type_and_no_deadline():
    assert document["extra"]["doc_type"] == "Retningslinjer"
    assert "deadline" not in document or document["deadline"] is None


def test_document_owner_from_metadata_line():
    assert document["owner"] == "Finansdepartementet"


def test_undated_page_takes_no_date_and_keeps_item():
    sp = _spider()
    item = sp.make_item(native_id="x", url="https://www.regjeringen.no/no/dokumenter/brev-til-norges-bank/",
                        title="Brev", kind="gpfg_document", extra={})
    out = next(iter(sp.parse_detail(file_response("no_finansdep/detail_undated.html", item["url"]), item=item)))
    assert "published" not in out and out["extra"]["detail"] == "ok"


def test_blocked_detail_keeps_item_and_turns_amber():
    sp = _spider()
    item = items["3138527"].copy()
    resp = file_response("no_finansdep/challenge.html", GUIDELINES_URL, status=403)
    out = list(sp.parse_detail(resp, item=item))
    assert out[0]["title"].startswith("Midlertidige") and out[0]["extra"]["detail"] == "blocked 403"
    assert sp.notes[0][0] == "amber"


def test_feed_404_is_red():
    sp = _spider()
    assert list(sp.parse(file_response("no_finansdep/challenge.html", DOCS_URL, status=404))) == []
    assert sp.notes[0][0] == "red" and "owner=216" in sp.notes[0][1]


def test_closed_hearing_detail_not_downloaded():
    sp = _spider(known={"3161402": {"status": "closed"}})
    out = list(sp.parse(file_response("no_finansdep/hearings.rss", HEARINGS_URL), hearings_feed=True))
    assert out[0]["extra"]["detail"] == "skipped"


def test_hearing_reference():
    assert hearing["reference"] == "26/4512"
