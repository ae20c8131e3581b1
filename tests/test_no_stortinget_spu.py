"""no_stortinget_spu: the Storting's fund cases from eksport/saker, filtered client-side."""

from __future__ import annotations

from crawlers.spiders.no_stortinget_spu import NoStortingetSpuSpider, session_ids
from crawlers.stortinget import API
from tests.conftest import file_response, make_spider

LIST_URL = f"{API}/saker?sesjonid=2025-2026&format=json"

spider = make_spider(NoStortingetSpuSpider)
out = list(spider.parse(file_response("no_stortinget_spu/saker_2025-2026.json", LIST_URL), session="2025-2026"))
items = {r.cb_kwargs["item"]["native_id"]: r.cb_kwargs["item"] for r in out}
case = next(iter(spider.parse_case(file_response("no_stortinget_spu/sak_105870.json", f"{API}/sak?sakid=105870&format=json"),
                                   item=items["105870"].copy())))


def test_sessions_current_and_previous():
    assert spider.sessions == ["2026-2027", "2025-2026"]
    assert session_ids(2026, 5) == ["2025-2026", "2024-2025"]


def test_filter_by_topic_title_and_committee():
    assert {k: v["extra"]["matched_by"] for k, v in items.items()} == {
        "104917": "emne", "105849": "komite", "105870": "title"}


def test_case_without_id_is_a_parse_error():
    assert spider.crawler.stats.get_value("tracker/parse_errors") == 1


def test_url():
    assert items["105849"]["url"] == "https://www.stortinget.no/no/Saker-og-publikasjoner/Saker/Sak/?p=105849"


def test_owner_is_the_committee():
    assert items["104917"]["owner"] == "Finanskomiteen"


def test_reference_is_henvisning():
    assert items["104917"]["reference"] == "Prop. 1 S (2025-2026), Innst. 5 S (2025-2026)"


def test_summary_is_short_title():
    assert items["104917"]["summary"].startswith("Tilfeldige utgifter")
    assert "summary" not in items["105849"]  # korttittel == tittel


def test_status_raw_and_kind():
    assert items["105849"]["status_raw"] == "behandlet" and items["105849"]["kind"] == "storting_case"


def test_updated_from_ms_date():
    assert items["105849"]["extra"]["updated"] == "2025-12-11T17:20:00+01:00"


def test_topics():
    assert items["104917"]["extra"]["topics"] == ["Statens pensjonsfond"]


def test_case_published_is_first_saksgang_event():
    assert case["published"] == "2025-10-28T00:00:00+01:00"


def test_case_empty_dates_ignored_and_decided():
    assert "hearing_deadline" not in case["extra"]
    assert case["extra"]["decided"] == "2025-11-04T00:00:00+01:00"


def test_case_documents_and_decision():
    assert case["documents"][0]["type"] == "dok8"
    assert case["body"].splitlines() == ["Status: behandlet", "Komité: Finanskomiteen", "Vedtatt: 2025-11-04",
                                         "Vedtak: Forslaget ble ikke vedtatt."]


def test_finished_known_case_skips_detail():
    sp = make_spider(NoStortingetSpuSpider, known={"105849": {"status": "unknown"}})
    got = list(sp.parse(file_response("no_stortinget_spu/saker_2025-2026.json", LIST_URL), session="2025-2026"))
    (skipped,) = [g for g in got if not hasattr(g, "callback") and g["native_id"] == "105849"]
    # read before: it must not say «pending» (never read; the item page would say its page was not read)
    assert skipped["extra"]["detail"] == "skipped"


def test_a_finished_case_whose_page_was_never_read_is_fetched_again():
    for known, fetched in (({"detail": "http 500"}, True), ({"detail": "pending"}, True),
                           ({"detail": "http 500", "detail_read": "2026-11-20T05:00:00+00:00"}, False)):
        sp = make_spider(NoStortingetSpuSpider, known={"105849": {"status": "unknown", **known}})
        got = list(sp.parse(file_response("no_stortinget_spu/saker_2025-2026.json", LIST_URL), session="2025-2026"))
        requested = [g.cb_kwargs["item"]["native_id"] for g in got if hasattr(g, "callback")]
        assert ("105849" in requested) is fetched, known


def test_an_unreadable_case_page_says_unreadable_not_pending():
    from scrapy.http import TextResponse

    sp = make_spider(NoStortingetSpuSpider)
    broken = TextResponse(f"{API}/sak?sakid=105870&format=json", body=b'{"sak": ', encoding="utf-8")
    got = next(iter(sp.parse_case(broken, item=items["105870"].copy())))
    assert got["extra"]["detail"] == "unreadable"


def test_empty_session_is_fine_but_failed_session_is_amber_then_red():
    sp = make_spider(NoStortingetSpuSpider)
    assert list(sp.parse(file_response("no_stortinget_spu/saker_2026-2027.json", LIST_URL), session="2026-2027")) == []
    assert sp.notes == []
    list(sp.parse(file_response("no_stortinget_spu/error.html", LIST_URL, status=500), session="2025-2026"))
    assert sp.notes == [("amber", "eksport/saker for session 2025-2026 failed (HTTP 500)")]


def test_all_sessions_failed_is_red():
    sp = make_spider(NoStortingetSpuSpider)
    for s in sp.sessions:
        list(sp.parse(file_response("no_stortinget_spu/error.html", LIST_URL, status=500), session=s))
    # the red reason (the one health shows) names every session, not the last one alone
    assert sp.notes[-1] == ("red", "eksport/saker failed for every session (2026-2027: HTTP 500; "
                                   "2025-2026: HTTP 500)")


def test_case_page_error_keeps_item():
    sp = make_spider(NoStortingetSpuSpider)
    got = next(iter(sp.parse_case(file_response("no_stortinget_spu/error.html", LIST_URL, status=500),
                                  item=items["105870"].copy())))
    assert got["title"].startswith("Representantforslag") and sp.notes[0][0] == "amber"
