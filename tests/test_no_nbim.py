"""no_nbim: Norges Bank's press releases on exclusion, observation, revocation and ownership."""

from __future__ import annotations

from crawlers.spiders.no_nbim import LISTING_URL, NoNbimSpider
from tests.conftest import file_response, make_spider

BASE = "https://www.nbim.no/en/news-and-insights/the-press/press-releases/"
MULTI = BASE + "2026/decision-on-observation-and-exclusion-of-companies/"
REVOKE = BASE + "2026/revocation-of-exclusion/"

spider = make_spider(NoNbimSpider)
requests = list(spider.parse(file_response("no_nbim/listing.html", LISTING_URL)))
items = {r.cb_kwargs["item"]["native_id"]: r.cb_kwargs["item"] for r in requests}
multi = next(iter(spider.parse_detail(file_response("no_nbim/detail_multi.html", MULTI),
                                      item=items["2026/decision-on-observation-and-exclusion-of-companies"].copy())))


def test_governance_releases_only():
    assert set(items) == {"2026/decision-on-observation-and-exclusion-of-companies",
                          "2025/decision-on-exclusion-caterpillar", "2026/revocation-of-exclusion"}
    assert spider.crawler.stats.get_value("tracker/filtered_out") == 1


def test_repeated_link_is_one_request():
    assert len(requests) == 3


def test_link_without_title_is_a_parse_error():
    assert spider.crawler.stats.get_value("tracker/parse_errors") == 1


def test_title():
    assert items["2025/decision-on-exclusion-caterpillar"]["title"] == "Decision on exclusion of Caterpillar Inc."


def test_url_absolute():
    assert items["2026/revocation-of-exclusion"]["url"] == REVOKE


def test_published_from_time_tag():
    assert items["2025/decision-on-exclusion-caterpillar"]["published"] == "2025-08-25T09:30:00+02:00"


def test_published_from_english_date_text():
    assert items["2026/decision-on-observation-and-exclusion-of-companies"]["published"] == "2026-11-23T00:00:00+01:00"


def test_undated_listing_entry_kept():
    assert "published" not in items["2026/revocation-of-exclusion"]
    assert spider.crawler.stats.get_value("tracker/undated") == 1


def test_decision_kind():
    assert items["2025/decision-on-exclusion-caterpillar"]["extra"]["decision"] == "exclusion"
    assert items["2026/revocation-of-exclusion"]["extra"]["decision"] == "revocation"
    assert items["2026/decision-on-observation-and-exclusion-of-companies"]["extra"]["decision"] == "ownership"


def test_kind_and_owner():
    assert {i["kind"] for i in items.values()} == {"gpfg_decision"}
    assert {i["owner"] for i in items.values()} == {"Norges Bank"}


def test_detail_body_names_several_companies():
    assert "Brødrene Ærø & Søn ASA" in multi["body"] and "Procter & Gamble Co" in multi["body"]


def test_detail_date_from_meta_when_listing_had_none():
    sp = make_spider(NoNbimSpider)
    out = next(iter(sp.parse_detail(file_response("no_nbim/detail_undated.html", REVOKE),
                                    item=items["2026/revocation-of-exclusion"].copy())))
    assert out["published"] == "2026-03-02T10:00:00+01:00"


def test_page_without_any_date_kept():
    sp = make_spider(NoNbimSpider)
    out = next(iter(sp.parse_detail(file_response("no_nbim/detail_nodate.html", REVOKE),
                                    item=items["2026/revocation-of-exclusion"].copy())))
    assert "published" not in out and out["extra"]["detail"] == "ok"
    assert sp.crawler.stats.get_value("tracker/undated_detail") == 1


def test_known_release_not_downloaded_again():
    sp = make_spider(NoNbimSpider, known={"2025/decision-on-exclusion-caterpillar": {"status": "unknown"}})
    out = list(sp.parse(file_response("no_nbim/listing.html", LISTING_URL)))
    assert any(not hasattr(o, "callback") and o["extra"]["detail"] == "skipped" for o in out)


def test_a_known_release_whose_page_was_never_read_is_fetched_again():
    """A release whose page was blocked the first time was «known» ever after and never read: the
    decision's grounds (the chapter a GPFG item gets) stayed unknown for good."""
    caterpillar = "2025/decision-on-exclusion-caterpillar"
    for known, fetched in (({"detail": "blocked 403"}, True),
                           ({"detail": "blocked 403", "detail_read": "2026-11-20T05:00:00+00:00"}, False),
                           ({"detail": "ok", "detail_read": "2026-11-20T05:00:00+00:00"}, False)):
        sp = make_spider(NoNbimSpider, known={caterpillar: {"status": "unknown", **known}})
        out = list(sp.parse(file_response("no_nbim/listing.html", LISTING_URL)))
        requested = [o.cb_kwargs["item"]["native_id"] for o in out if hasattr(o, "callback")]
        assert (caterpillar in requested) is fetched, known


def test_blocked_detail_keeps_item_amber():
    sp = make_spider(NoNbimSpider)
    out = next(iter(sp.parse_detail(file_response("no_nbim/detail_nodate.html", REVOKE, status=403),
                                    item=items["2026/revocation-of-exclusion"].copy())))
    assert out["title"] == "Revocation of exclusion" and sp.notes[0][0] == "amber"


def test_listing_without_article_links_is_red():
    sp = make_spider(NoNbimSpider)
    assert list(sp.parse(file_response("no_nbim/detail_nodate.html", LISTING_URL))) == []
    assert sp.notes[0][0] == "red"
