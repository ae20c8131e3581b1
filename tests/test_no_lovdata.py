"""no_lovdata: Norsk Lovtidend's feed filtered to åpenhetsloven and its regulations."""

from __future__ import annotations

from crawlers.spiders.no_lovdata import FEED_URL, LAW_ID, NoLovdataSpider
from tests.conftest import file_response, make_spider

spider = make_spider(NoLovdataSpider)
items = list(spider.parse(file_response("no_lovdata/feed.xml", FEED_URL)))
by_id = {i["native_id"]: i for i in items}


def test_only_apenhetsloven_items():
    assert set(by_id) == {"LTI/forskrift/2026-11-20-2101", "LTI/lov/2026-11-13-80"}
    assert spider.crawler.stats.get_value("tracker/filtered_out") == 1


def test_law_matched_by_its_full_title():
    assert by_id["LTI/lov/2026-11-13-80"]["title"].startswith("Lov om endringer i lov 18. juni 2021 nr. 99")


def test_url_https():
    assert by_id["LTI/lov/2026-11-13-80"]["url"] == "https://lovdata.no/dokument/LTI/lov/2026-11-13-80"


def test_kind_and_reference():
    assert {i["kind"] for i in items} == {"law_change"} and {i["reference"] for i in items} == {LAW_ID}


def test_act_kind():
    assert by_id["LTI/forskrift/2026-11-20-2101"]["extra"]["act"] == "forskrift"
    assert by_id["LTI/lov/2026-11-13-80"]["extra"]["act"] == "lov"


def test_published_rfc822_and_numeric():
    assert by_id["LTI/forskrift/2026-11-20-2101"]["published"] == "2026-11-20T14:00:00+01:00"
    assert by_id["LTI/lov/2026-11-13-80"]["published"] == "2026-11-13T00:00:00+01:00"


def test_owner_from_description():
    assert by_id["LTI/lov/2026-11-13-80"]["owner"] == "Barne- og familiedepartementet"


def test_topic():
    assert {i["extra"]["topic"] for i in items} == {"åpenhetsloven"}


def test_unrelated_feed_is_an_empty_but_normal_day():
    sp = make_spider(NoLovdataSpider)
    assert list(sp.parse(file_response("no_lovdata/unrelated.xml", FEED_URL))) == []
    assert sp.notes == [] and NoLovdataSpider.may_be_empty


def test_feed_without_items_is_red():
    sp = make_spider(NoLovdataSpider)
    assert list(sp.parse(file_response("no_lovdata/empty.xml", FEED_URL))) == []
    assert sp.notes[0][0] == "red"


def test_feed_404_is_red():
    sp = make_spider(NoLovdataSpider)
    assert list(sp.parse(file_response("no_lovdata/notfound.html", FEED_URL, status=404))) == []
    assert sp.notes[0][0] == "red"
