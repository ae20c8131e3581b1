"""no_finansdep: fund documents and hearings from the regjeringen.no RSS generator (owner filter)."""

from __future__ import annotations

import pytest
from support import FIXTURES, run_spider

from crawlers.spiders.no_finansdep import DEFAULT_OWNER, NoFinansdepSpider, feed_url
from tests.conftest import file_response

pytestmark = pytest.mark.slow

HEARINGS_URL = feed_url(DEFAULT_OWNER, "dokumenter/høringer")
DOCS_URL = feed_url(DEFAULT_OWNER)
HEARING_URL = "https://www.regjeringen.no/no/dokumenter/horing-nou-2026-14/id3161402/"
GUIDELINES_URL = "https://www.regjeringen.no/no/dokumenter/midlertidige-etiske-retningslinjer-for-statens-pensjonsfond-utland/id3138527/"


REAL_NN = "real/no_finansdep/quaat_detail_id3168525_2026-07-04.html"
NAV_URL = "https://www.regjeringen.no/no/dokumenter/hoyring-framlegg-om-presiseringar-i-reglane-om-nav-si-opplysingsplikt-overfor-skattestyresmaktene/id3168525/"
MELD_URL = "https://www.regjeringen.no/no/dokumenter/meld.-st.-22-20242025/id3095855/"
HTML = {"Content-Type": "text/html; charset=utf-8"}
RSS = {"Content-Type": "application/rss+xml; charset=utf-8"}
ROBOTS = {"url": "https://www.regjeringen.no/robots.txt", "file": "real/no_regjeringen_horinger/quaat_robots_2026-07-04.txt",
          "headers": {"Content-Type": "text/plain"}}


def _spider(**kwargs):
    from tests.conftest import make_spider

    return make_spider(NoFinansdepSpider, **kwargs)


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    """Both constructed feeds and their fund items' pages, through the Scrapy engine (real robots.txt)."""
    return run_spider("no_finansdep", [
        ROBOTS,
        {"url": HEARINGS_URL, "file": "no_finansdep/hearings.rss", "headers": RSS},
        {"url": DOCS_URL, "file": "no_finansdep/documents.rss", "headers": RSS},
        {"url": HEARING_URL, "file": "no_finansdep/detail_hearing.html", "headers": HTML},
        {"url": GUIDELINES_URL, "file": "no_finansdep/detail_document.html", "headers": HTML},
        {"url": MELD_URL, "file": "no_finansdep/detail_undated.html", "headers": HTML},
        {"url": NAV_URL, "file": REAL_NN, "headers": HTML},
    ], tmp_path_factory.mktemp("finansdep"), as_of="2026-11-24T06:00:00+01:00")  # fmt: skip


@pytest.fixture(scope="module")
def items(run):
    return {i["native_id"]: i for i in run["items"]}


@pytest.fixture(scope="module")
def hearing(items):
    return items["3161402"]


@pytest.fixture(scope="module")
def document(items):
    return items["3138527"]


def test_feed_urls_carry_the_configurable_owner():
    assert "owner=216" in DOCS_URL and "documentType=dokumenter/h%C3%B8ringer" in HEARINGS_URL
    assert all("owner=999" in u for u in _spider(owner="999").feed_urls)


def test_keyword_filter_keeps_fund_items_only(run, items):
    assert set(items) == {"3161402", "3138527", "3095855"}
    assert run["stats"]["tracker/filtered_out"] == 2


def test_item_in_both_feeds_is_requested_once(run):
    assert [u for u in run["requested"] if u == HEARING_URL] == [HEARING_URL]
    assert run["stats"]["tracker/duplicates_skipped"] == 1


def test_filtered_items_are_never_fetched(run):
    # the real nynorsk Finansdepartementet hearing (id3168525) is no fund item: never requested
    assert NAV_URL not in run["requested"] and "id3160011" not in " ".join(run["requested"])
    assert run["requested"][0] == "https://www.regjeringen.no/robots.txt"


def test_run_is_green(run):
    assert run["notes"] == [] and run["finish_reason"] == "finished"


def test_kind_hearing_vs_document(items):
    assert items["3161402"]["kind"] == "hearing"
    assert items["3138527"]["kind"] == "gpfg_document"
    assert items["3095855"]["kind"] == "gpfg_document"


def test_url_drops_tracking_params(items):
    assert items["3161402"]["url"] == HEARING_URL


def test_published_from_pubdate(items):
    assert items["3138527"]["published"] == "2025-11-07T15:00:00+01:00"


def test_item_without_pubdate_kept_undated(items):
    assert "published" not in items["3095855"]


def test_item_without_page_id_is_a_parse_error(run):
    assert run["stats"]["tracker/parse_errors"] == 1


def test_owner_is_the_department(items):
    assert items["3138527"]["owner"] == "Finansdepartementet"


def test_hearing_deadline(hearing):
    assert hearing["deadline"] == "2027-03-01T23:59:59+01:00"


def test_hearing_status_raw(hearing):
    assert hearing["status_raw"] == "På høring"


def test_hearing_documents(hearing):
    types = [d["type"] for d in hearing["documents"]]
    assert types == ["nou"]  # the letter and the consultee list are inline (real structure)
    assert hearing["documents"][0]["url"].startswith("https://www.regjeringen.no/contentassets/")


def test_hearing_body_names_a_company(hearing):
    assert "Caterpillar Inc." in hearing["body"]


def test_document_type_and_no_deadline(document):
    assert document["extra"]["doc_type"] == "Retningslinjer"
    assert "deadline" not in document or document["deadline"] is None


def test_document_owner_from_metadata_line(document):
    assert document["owner"] == "Finansdepartementet"


def test_undated_page_takes_no_date_and_keeps_item(items):
    out = items["3095855"]  # the Meld. St. entry has no pubDate; its (undated) page gives none either
    assert "published" not in out and out["extra"]["detail"] == "ok"


def test_hearing_consultees_with_kontaktpunktet(hearing):
    assert hearing["ncp_consultee"] is True
    assert {"name": "Nasjonalt kontaktpunkt for ansvarlig næringsliv", "orgnr": None} in hearing["consultees"]
    assert "Norsk Hydro" not in hearing["body"]


def test_real_nynorsk_hearing_page_parses():
    """The real Finansdepartementet page is no fund item, so the engine never fetches it (above);
    its detail parse is checked directly."""
    sp = _spider()
    item = sp.make_item(native_id="3168525", url=NAV_URL, title="Høyring – Nav", kind="hearing", extra={})
    out = next(iter(sp.parse_detail(file_response(REAL_NN, NAV_URL), item=item)))
    assert out["kind"] == "hearing" and out["extra"]["doc_type"] == "Høyring"
    assert out["deadline"] == "2026-08-14T23:59:59+02:00" and out["status_raw"] == "På høyring"
    assert out["owner"] == "Finansdepartementet" and out["reference"] == "26/3567"
    assert len(out["consultees"]) == 28 and out["ncp_consultee"] is False


def test_blocked_detail_keeps_item_and_turns_amber(tmp_path):
    out = run_spider("no_finansdep", [
        ROBOTS, {"url": DOCS_URL, "file": "no_finansdep/documents.rss", "headers": RSS},
        {"url": GUIDELINES_URL, "file": "no_finansdep/challenge.html", "status": 403, "headers": HTML},
    ], tmp_path, as_of="2026-11-24T06:00:00+01:00")  # fmt: skip
    item = next(i for i in out["items"] if i["native_id"] == "3138527")
    assert item["title"].startswith("Midlertidige") and item["extra"]["detail"] == "blocked 403"
    assert ["amber", "detail pages blocked (HTTP 403/429/challenge): fields kept from the listing and earlier runs"] in out["notes"]


def test_feed_404_is_red(tmp_path):
    out = run_spider("no_finansdep", [ROBOTS, {"url": HEARINGS_URL, "file": "no_finansdep/hearings.rss", "headers": RSS},
                                      {"url": DOCS_URL, "file": "no_finansdep/challenge.html", "status": 404, "headers": HTML}],
                     tmp_path, as_of="2026-11-24T06:00:00+01:00")
    reds = [r for level, r in out["notes"] if level == "red"]
    assert reds and "owner=216" in reds[0] and "404" in reds[0]


def test_closed_hearing_detail_not_downloaded(tmp_path):
    out = run_spider("no_finansdep", [ROBOTS, {"url": HEARINGS_URL, "file": "no_finansdep/hearings.rss", "headers": RSS}],
                     tmp_path, as_of="2026-11-24T06:00:00+01:00", args={"known": {"3161402": {"status": "closed"}}})
    assert next(i for i in out["items"] if i["native_id"] == "3161402")["extra"]["detail"] == "skipped"
    assert HEARING_URL not in out["requested"]


def test_hearing_reference(hearing):
    assert hearing["reference"] == "26/4512"


def test_an_unreadable_hearing_deadline_is_named_and_never_taken_as_none(tmp_path):
    """A fund hearing whose «Høringsfrist: snarest» could not be read was one parse error among the
    source's, naming neither the hearing nor the words; regjeringen.no's hearings name both. Now
    amber with the page and the words, and the item carries no deadline (the store keeps its own)."""
    page = tmp_path / "detail_hearing.html"
    page.write_text((FIXTURES / "no_finansdep" / "detail_hearing.html").read_text("utf-8").replace(
        "<strong>Høringsfrist:</strong> 01.03.2027", "<strong>Høringsfrist:</strong> snarest"), "utf-8")
    out = run_spider("no_finansdep", [
        ROBOTS, {"url": HEARINGS_URL, "file": "no_finansdep/hearings.rss", "headers": RSS},
        {"url": HEARING_URL, "file": str(page), "headers": HTML},
    ], tmp_path, as_of="2026-11-24T06:00:00+01:00")  # fmt: skip
    item = next(i for i in out["items"] if i["native_id"] == "3161402")
    assert item["kind"] == "hearing" and not item.get("deadline")
    assert ["amber", f"hearing 3161402: unreadable Høringsfrist 'snarest' on its page {HEARING_URL}: deadline not "
                     "read from it"] in out["notes"]
