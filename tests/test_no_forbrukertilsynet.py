"""no_forbrukertilsynet: every feed item, those about åpenhetsloven marked."""

from __future__ import annotations

from crawlers.spiders.no_forbrukertilsynet import FEED_URL, NoForbrukertilsynetSpider
from tests.conftest import file_response, make_spider

spider = make_spider(NoForbrukertilsynetSpider)
items = list(spider.parse(file_response("no_forbrukertilsynet/feed.xml", FEED_URL)))
by_id = {i["native_id"]: i for i in items}


def test_all_items_kept_repeat_dropped():
    assert [i["native_id"] for i in items] == ["41220", "41201", "36142", "uten-dato"]


def test_native_id_stable_across_www_and_repeats():
    again = list(make_spider(NoForbrukertilsynetSpider).parse(file_response("no_forbrukertilsynet/feed.xml", FEED_URL)))
    assert [i["native_id"] for i in again] == [i["native_id"] for i in items]


def test_kind_owner():
    assert {i["kind"] for i in items} == {"regulator_news"} and by_id["41220"]["owner"] == "Forbrukertilsynet"


def test_topic_apenhetsloven_marked():
    assert by_id["41220"]["extra"]["topic"] == "åpenhetsloven"
    assert by_id["36142"]["extra"]["topic"] == "åpenhetsloven"  # informasjonskrav


def test_other_topics_unmarked():
    assert by_id["41201"]["extra"]["topic"] is None


def test_published():
    assert by_id["41220"]["published"] == "2026-11-19T09:00:00+00:00"


def test_item_without_date_kept():
    assert "published" not in by_id["uten-dato"]


def test_summary_plain_text():
    assert by_id["41201"]["summary"] == "Tilsynet har sett på bærekraftspåstander fra klesbransjen."


def test_categories():
    assert by_id["41220"]["extra"]["categories"] == ["Åpenhetsloven"]


def test_feed_error_red():
    sp = make_spider(NoForbrukertilsynetSpider)
    assert list(sp.parse(file_response("no_lovdata/notfound.html", FEED_URL, status=404))) == []
    assert sp.notes[0][0] == "red"


def test_empty_feed_red():
    sp = make_spider(NoForbrukertilsynetSpider)
    assert list(sp.parse(file_response("no_lovdata/empty.xml", FEED_URL))) == []
    assert sp.notes == [("red", "feed has no items")]
