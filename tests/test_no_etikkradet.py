"""no_etikkradet: the Council on Ethics' WordPress feed, with the front page as fallback."""

from __future__ import annotations

import scrapy

from crawlers.spiders.no_etikkradet import FEED_URL, FRONT_URL, NoEtikkradetSpider
from tests.conftest import file_response, make_spider

spider = make_spider(NoEtikkradetSpider)
items = list(spider.parse(file_response("no_etikkradet/feed.xml", FEED_URL)))
by_id = {i["native_id"]: i for i in items}

front_spider = make_spider(NoEtikkradetSpider, as_of="2026-01-20T06:00:00+01:00")
front = list(front_spider.parse_front(file_response("no_etikkradet/front.html", FRONT_URL), problem="feed answered HTTP 404"))
front_by_id = {i["native_id"]: i for i in front}


def test_native_id_is_the_wordpress_post_id():
    assert set(by_id) == {"9412", "8870", "4410", "9001", "9100"}


def test_repeated_item_is_one_item_with_the_same_id():
    assert [i["native_id"] for i in items].count("8870") == 2  # the store merges repeats by id
    again = list(make_spider(NoEtikkradetSpider).parse(file_response("no_etikkradet/feed.xml", FEED_URL)))
    assert [i["native_id"] for i in again] == [i["native_id"] for i in items]


def test_kind_and_owner():
    assert {i["kind"] for i in items} == {"gpfg_recommendation"} and by_id["8870"]["owner"] == "Etikkrådet"


def test_title_keeps_ampersand_and_diacritics():
    assert "Brødrene Ærø & Søn ASA" in by_id["9412"]["title"]
    assert "Compañía Minera Río Azul S.A." in by_id["9412"]["title"]


def test_published():
    assert by_id["8870"]["published"] == "2025-08-25T10:00:00+00:00"


def test_unparseable_pubdate_kept_and_counted():
    assert "published" not in by_id["9100"]
    assert spider.crawler.stats.get_value("tracker/parse_errors") == 1


def test_body_from_content_encoded():
    assert "org.nr. 987 654 321" in by_id["9412"]["body"]


def test_summary_is_plain_text():
    assert by_id["8870"]["summary"] == "Etikkrådet anbefaler å utelukke Caterpillar Inc. fra SPU."


def test_action_interim_ownership_flag():
    assert by_id["9412"]["extra"]["action"] == "ownership_flag"


def test_action_exclusion_revocation_interim_news():
    assert by_id["8870"]["extra"]["action"] == "exclusion"
    assert by_id["4410"]["extra"]["action"] == "revocation"
    assert by_id["9001"]["extra"]["action"] == "interim_regime"
    assert by_id["9100"]["extra"]["action"] == "news"


def test_categories():
    assert by_id["9412"]["extra"]["categories"] == ["Tilrådninger"]


def test_feed_404_falls_back_to_front_page_with_amber():
    sp = make_spider(NoEtikkradetSpider)
    out = list(sp.parse(file_response("no_etikkradet/empty_front.html", FEED_URL, status=404)))
    assert isinstance(out[0], scrapy.Request) and out[0].url == FRONT_URL
    assert sp.notes[0][0] == "amber" and "front page" in sp.notes[0][1]


def test_front_page_posts_and_non_posts():
    assert set(front_by_id) == {"horingsuttalelse-nou-2026-14", "caterpillar-inc-2", "arsmelding-2024", "nestle-s-a-observasjon"}
    assert {i["channel"] for i in front} == {"html"}


def test_front_page_date_without_year_resolved_to_nearest():
    assert front_by_id["horingsuttalelse-nou-2026-14"]["published"] == "2026-02-02T00:00:00+01:00"


def test_front_page_norwegian_date_words_and_time_tag():
    assert front_by_id["arsmelding-2024"]["published"] == "2025-03-01T00:00:00+01:00"
    assert front_by_id["caterpillar-inc-2"]["published"] == "2025-08-25T12:00:00+02:00"


def test_front_page_post_without_date_kept():
    assert "published" not in front_by_id["nestle-s-a-observasjon"]
    assert front_spider.crawler.stats.get_value("tracker/undated_posts") == 1


def test_front_page_same_id_as_feed_for_slug_posts():
    # a post seen via the fallback keeps the slug id; via the feed it has the post id
    assert front_by_id["caterpillar-inc-2"]["url"] == by_id["8870"]["url"]


def test_empty_front_page_is_red():
    sp = make_spider(NoEtikkradetSpider)
    assert list(sp.parse_front(file_response("no_etikkradet/empty_front.html", FRONT_URL), problem="feed 404")) == []
    assert sp.notes[-1][0] == "red"
