"""no_eos_notater: RSS filtering, detail fields (Appendix A.3 labels), blocked and wrong feeds."""

from __future__ import annotations

import pytest
import scrapy
from scrapy.http import HtmlResponse

from crawlers.spiders.no_eos_notater import DEFAULT_FEED_URL, NoEosNotaterSpider
from tests.conftest import file_response, make_spider
from tests.support import FIXTURES
from tracker.vocabulary import health_reason

NOTE_URL = "https://www.regjeringen.no/no/sub/eos-notatbasen/notatene/2022/mars/aktsomhetsdirektivet-/id2918419/"


@pytest.fixture
def spider():
    return make_spider(NoEosNotaterSpider)


def _feed(spider, fixture="feed.xml", status=200):
    response = file_response(f"no_eos_notater/{fixture}", spider.feed_url, status=status)
    return list(spider.parse(response))


@pytest.fixture
def feed_items(spider):
    return {r.cb_kwargs["item"]["native_id"]: r.cb_kwargs["item"] for r in _feed(spider)
            if isinstance(r, scrapy.Request)}


@pytest.fixture
def detail(spider, feed_items):
    response = file_response("no_eos_notater/aktsomhetsdirektivet.html", NOTE_URL)
    (item,) = list(spider.parse_detail(response, item=feed_items["2918419"]))
    return item


def test_feed_url_configurable(monkeypatch):
    assert make_spider(NoEosNotaterSpider).feed_url == DEFAULT_FEED_URL
    assert make_spider(NoEosNotaterSpider, feed_url="https://x/feed").feed_url == "https://x/feed"
    monkeypatch.setenv("NCP_TRACKER_EOS_FEED", "https://y/feed")
    assert make_spider(NoEosNotaterSpider).feed_url == "https://y/feed"


def test_only_eos_notes_kept(spider, feed_items):
    assert sorted(feed_items) == ["2907670", "2918419"]
    assert spider.crawler.stats.get_value("tracker/feed_entries_not_notes") == 1


def test_feed_fields(feed_items):
    item = feed_items["2918419"]
    assert item["title"] == "Aktsomhetsdirektivet"
    assert item["kind"] == "eea_note"
    assert item["url"] == NOTE_URL
    assert item["language"] == "nb"
    assert "COM(2025) 81" in item["summary"]


def test_published_from_opprettet(detail):
    assert detail["published"] == "2022-03-15T00:00:00+01:00"


def test_owner_from_lead_ministry(detail):
    assert detail["owner"] == "Barne- og familiedepartementet"


def test_sakstrinn_and_committee(detail):
    extra = detail["extra"]
    assert extra["sakstrinn"] == "Faktanotat Foreløpig posisjonsnotat Posisjonsnotat Gjennomføringsnotat"
    assert extra["spesialutvalg"] == "Forbrukerspørsmål"
    assert extra["sist_behandlet"] == "12.11.2026"
    assert extra["eea_annex"] == "Vedlegg XXII Selskapsrett"
    assert extra["detail"] == "ok"


def test_body_holds_english_title_status_and_summary(detail):
    body = detail["body"]
    assert body.startswith("Proposal for a Directive of the European Parliament and of the Council on Corporate")
    assert "Status: Direktiv (EU) 2024/1760 ble vedtatt 13. juni 2024" in body
    assert "Sammendrag av innhold: Direktivet pålegger store selskaper" in body
    assert "Merknader: Direktivet er ventet gjennomført i norsk rett gjennom endringer i åpenhetsloven § 4." in body


def test_status_label_in_nav_is_ignored(detail):
    assert detail["extra"]["status_text"].startswith("Direktiv (EU) 2024/1760")


def test_blocked_detail_keeps_rss_item_amber(spider, feed_items):
    response = file_response("no_eos_notater/aktsomhetsdirektivet.html", NOTE_URL, status=403)
    (item,) = list(spider.parse_detail(response, item=feed_items["2918419"]))
    assert item["title"] == "Aktsomhetsdirektivet"
    assert item["extra"]["detail"] == "blocked 403"
    assert spider.notes[0][0] == "amber"
    assert spider.crawler.stats.get_value("tracker/detail_blocked") == 1


#: what the store passes for a note whose page it read on an earlier day (tracker.store.merge.known_items)
READ_BEFORE = {"2918419": {"status": "open", "detail": "ok", "detail_read": "2026-11-23T05:00:00+00:00"}}


def test_a_note_never_read_keeps_the_feeds_date_when_its_page_is_blocked(spider, feed_items):
    response = file_response("no_eos_notater/aktsomhetsdirektivet.html", NOTE_URL, status=403)
    (item,) = list(spider.parse_detail(response, item=feed_items["2918419"]))
    assert item["published"] == "2026-11-20T14:03:00+00:00"  # the feed's pubDate: the only date known


@pytest.mark.parametrize("status", [403, 500, 304])
def test_a_blocked_page_read_before_keeps_the_stored_published_date(status):
    """The feed's pubDate is not the note's «Opprettet»: on a day the pages answered 403 every note
    read before showed «Endret: publisert (tir. 15.03.2022 → fre. 20.11.2026)» in the digest."""
    spider = make_spider(NoEosNotaterSpider, known=READ_BEFORE)
    feed_items = {r.cb_kwargs["item"]["native_id"]: r.cb_kwargs["item"] for r in _feed(spider)}
    response = file_response("no_eos_notater/aktsomhetsdirektivet.html", NOTE_URL, status=status)
    (item,) = list(spider.parse_detail(response, item=feed_items["2918419"]))
    assert "published" not in item and "owner" not in item and "body" not in item  # the store keeps its own
    assert item["title"] == "Aktsomhetsdirektivet"


def test_a_failed_request_for_a_page_read_before_keeps_the_stored_published_date():
    from twisted.internet.error import TimeoutError
    from twisted.python.failure import Failure

    spider = make_spider(NoEosNotaterSpider, known=READ_BEFORE)
    request = next(r for r in _feed(spider) if r.cb_kwargs["item"]["native_id"] == "2918419")
    failure = Failure(TimeoutError())
    failure.request = request
    (item,) = list(spider.detail_failed(failure))
    assert "published" not in item and item["extra"]["detail"] == "error TimeoutError"


def _renamed(spider, old: str, new: str):
    page = (FIXTURES / "no_eos_notater/aktsomhetsdirektivet.html").read_text("utf-8").replace(old, new)
    response = HtmlResponse(url=NOTE_URL, body=page.encode(), encoding="utf-8")
    item = next(r for r in _feed(spider) if r.cb_kwargs["item"]["native_id"] == "2918419").cb_kwargs["item"]
    (item,) = list(spider.parse_detail(response, item=item))
    return item


@pytest.mark.parametrize(("old", "new", "label"), [
    ("<h2>Status</h2>", "<h2>Saksstatus</h2>", "Status"),
    ("<p>Opprettet 15.03.2022</p>", "<p>Publisert 15.03.2022</p>", "Opprettet"),
    ("Hovedansvarlig(e) departement(er):", "Ansvarlig departement:", "Hovedansvarlig(e) departement(er)"),
    ("<h2>Sammendrag av innhold</h2>", "<h2>Sammendrag</h2>", "Sammendrag av innhold"),
    ("<h2>Sakstrinn</h2>", "<h2>Behandlingstrinn</h2>", "Sakstrinn"),
])  # fmt: skip
def test_a_renamed_label_is_red_naming_it_and_nothing_of_the_page_is_used(old, new, label):
    """A renamed label left the source green while the note's status dropped out of its text
    (a false «Endret: tekst» on every note) and its date became the feed's."""
    spider = make_spider(NoEosNotaterSpider, known=READ_BEFORE)
    item = _renamed(spider, old, new)
    assert spider.notes == [("red", f"EØS-notat pages without the label '{label}' (first: {NOTE_URL}), "
                                    "stored fields kept: page layout changed?")]
    assert "published" not in item and "owner" not in item and "body" not in item
    assert item["extra"] == {"detail": "unreadable"}  # the stored sakstrinn, status text … are kept
    assert health_reason(spider.notes[0][1], "nb") == (
        f"EØS-notatsider uten overskriften «{label}» (første: {NOTE_URL}), lagrede opplysninger beholdt: "
        "er sidens oppsett endret?")


def test_a_page_without_any_known_label_is_red():
    spider = make_spider(NoEosNotaterSpider, known=READ_BEFORE)
    item = _renamed(spider, '<main id="mainContent">', '<main id="mainContent"><!--')
    assert spider.notes == [("red", f"EØS-notat pages without any known label (first: {NOTE_URL}), "
                                    "stored fields kept: page layout changed?")]
    assert "published" not in item and item["extra"] == {"detail": "unreadable"}


def test_a_label_without_text_is_not_missing(detail):
    assert detail["extra"]["eea_chapter"] is None and detail["extra"]["detail"] == "ok"  # «Kapittel i EØS-avtalen:»


def test_feed_without_notes_is_red(spider):
    assert _feed(spider, "other_feed.xml") == []
    (level, reason), = spider.notes
    assert level == "red" and "documentType value wrong?" in reason


def test_blocked_feed_is_red(spider):
    assert _feed(spider, "other_feed.xml", status=403) == []
    assert spider.notes[0][0] == "red"
    assert "HTTP 403" in spider.notes[0][1]
