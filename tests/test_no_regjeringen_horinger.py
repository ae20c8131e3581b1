"""no_regjeringen_horinger through the real Scrapy engine (robots.txt, replay, callbacks, pipelines).

Real bodies (tests/fixtures/real/no_regjeringen_horinger/): two hearing pages (bokmål, nynorsk),
page 1 of the hearings listing and robots.txt. No real RSS body exists: the feeds are constructed
(`feed_2026-07-04.xml` holds the real listing's 20 hearings as the RSS generator would list them,
`feed.xml` five constructed ones); see tests/fixtures/no_regjeringen_horinger/README.md.
"""

from __future__ import annotations

import re

import pytest
from support import FIXTURES, file_response, make_spider, run_spider

from crawlers import regjeringen
from crawlers.dates import parse_date
from crawlers.items import TrackedItem
from crawlers.spiders.no_regjeringen_horinger import FEED_URL, NoRegjeringenHoringerSpider
from tracker.links import companies
from tracker.vocabulary import health_reason

pytestmark = pytest.mark.slow

SPIDER = "no_regjeringen_horinger"
REAL = "real/no_regjeringen_horinger/"
BASE = "https://www.regjeringen.no"
ROBOTS = {"url": f"{BASE}/robots.txt", "file": REAL + "quaat_robots_2026-07-04.txt", "headers": {"Content-Type": "text/plain"}}
HTML = {"Content-Type": "text/html; charset=utf-8"}
RSS = {"Content-Type": "application/rss+xml; charset=utf-8"}
LISTING = {"url": regjeringen.LISTING_URL, "file": REAL + "quaat_listing_hoyringar_id1763_2026-07-04.html", "headers": HTML}
AVSKOGING = f"{BASE}/no/dokumenter/kort-horing-avskogingsforordningen-og-forbud-mot-eksport-til-tredjeland/id3167072/"
NAV = f"{BASE}/no/dokumenter/hoyring-framlegg-om-presiseringar-i-reglane-om-nav-si-opplysingsplikt-overfor-skattestyresmaktene/id3168525/"
REAL_PAGES = [
    {"url": AVSKOGING, "file": REAL + "quaat_detail_id3167072_2026-07-04.html", "headers": HTML},
    {"url": NAV, "file": "real/no_finansdep/quaat_detail_id3168525_2026-07-04.html", "headers": HTML},
]
JULY = "2026-07-04T10:00:00+02:00"
NOV = "2026-11-24T06:00:00+01:00"


def feed(file: str = "no_regjeringen_horinger/feed_2026-07-04.xml", **kw) -> dict:
    return {"url": FEED_URL, "file": file, "headers": RSS, **kw}


def by_id(run: dict) -> dict[str, dict]:
    return {i["native_id"]: i for i in run["items"]}


@pytest.fixture(scope="module")
def real(tmp_path_factory):
    """Feed + real listing + the two real hearing pages; the other 18 pages are not recorded (404)."""
    return run_spider(SPIDER, [ROBOTS, feed(), LISTING, *REAL_PAGES], tmp_path_factory.mktemp("real"), as_of=JULY)


# ------------------------------------------------------------------ real pages, through the engine


def test_real_bokmal_hearing(real):
    item = by_id(real)["3167072"]
    assert item["extra"]["detail"] == "ok"
    assert item["deadline"] == "2026-08-07T23:59:59+02:00"
    assert item["status_raw"] == "På høring"
    assert item["owner"] == "Klima- og miljødepartementet"
    assert item["reference"] == "26/2371"
    assert item["title"] == "Kort høring - Avskogingsforordningen og forbud mot eksport til tredjeland"
    assert item["documents"] == [{
        "title": "Høringsnotat - Avskogingsforordningen – eksport til tredjeland - 03.07.2026",
        "url": "https://www.regjeringen.no/contentassets/b04cfc23c69343ef800ce6a45f8cc456/"
               "horingsnotat-avskogingsforordningen-eksport-til-tredjeland-03.07.2026.pdf",
        "type": "høringsnotat"}]  # fmt: skip
    # open hearing: no published answers link, the svar.regjeringen.no form instead
    assert "responses_url" not in item["extra"]
    assert item["extra"]["submit_url"] == "https://svar.regjeringen.no/nb/registrer_horingsuttalelse/H3167072/"


def test_real_bokmal_consultees_are_data_not_body(real):
    item = by_id(real)["3167072"]
    names = [c["name"] for c in item["consultees"]]
    assert len(names) == 134 and "Norske Skog ASA" in names and "Økokrim" in names
    assert item["ncp_consultee"] is False
    assert "Miljødirektoratets brev 19. august 2025" in item["body"]
    assert not any(n in item["body"] for n in ("Norske Skog ASA", "ASKO NORGE AS", "Bewi Food AS", "Tine AS"))
    # company extraction reads title, summary and body: no consultee becomes a "mention"
    assert companies.extract_item(item) == []


def test_real_nynorsk_hearing(real):
    item = by_id(real)["3168525"]
    assert item["language"] == "nn"
    assert item["deadline"] == "2026-08-14T23:59:59+02:00"  # "Høyringsfrist:"
    assert item["status_raw"] == "På høyring"
    assert item["owner"] == "Finansdepartementet"
    assert item["reference"] == "26/3567"
    assert [d["type"] for d in item["documents"]] == ["høringsnotat"]
    assert len(item["consultees"]) == 28  # one <p>, names split at <br />
    assert item["extra"]["submit_url"].endswith("/nn/registrer_horingsuttalelse/H3168525/")


def test_real_run_reads_listing_page_1_only_and_cross_checks_without_disagreement(real):
    listing_requests = [u for u in real["requested"] if "/hoyringar/id1763/" in u]
    assert listing_requests == [regjeringen.LISTING_URL]  # nothing new on page 1: page 2 not read
    assert real["stats"]["tracker/cross_checked"] == 2
    assert "tracker/cross_check_disagreements" not in real["stats"]
    assert not [n for n in real["notes"] if "disagree" in n[1] or "listing" in n[1]]
    # the 18 pages that have no real body answered 404: amber with the reason, items kept
    assert real["notes"] == [["amber", "some detail pages failed (HTTP 404)"]]
    assert len(real["items"]) == 20
    assert real["listing"] == {"complete": True, "since": "2026-06-24T08:00:00+02:00", "channel": "rss"}


def test_robots_txt_read_first_and_nothing_disallowed_requested(real):
    from protego import Protego

    robots = Protego.parse((FIXTURES / REAL / "quaat_robots_2026-07-04.txt").read_text("utf-8"))
    assert real["requested"][0] == f"{BASE}/robots.txt"
    assert real["stats"]["robotstxt/response_status_count/200"] == 1
    assert all(robots.can_fetch(u, "ncp-tracker") for u in real["requested"])
    assert FEED_URL in real["requested"]  # `?documentType=` (camel case) is allowed: robots is case-sensitive


def test_the_real_listing_page_parses():
    response = file_response(REAL + "quaat_listing_hoyringar_id1763_2026-07-04.html", regjeringen.LISTING_URL)
    rows, problems = regjeringen.parse_listing(response, parse_date("2026-07-04").date())
    assert problems == [] and len(rows) == 20
    first = rows[0]
    assert first["native_id"] == "3168525" and first["type"] == "Høyring" and first["owner"] == "Finansdepartementet"
    assert first["status_raw"] == "På høyring" and first["deadline"].isoformat() == "2026-08-14T23:59:59+02:00"
    assert all(r["deadline"] and r["status_raw"] for r in rows)
    assert regjeringen.listing_has_next(response, 1)


# ------------------------------------------------------------------ the listing as second channel


def test_feed_failure_falls_back_to_the_listing(tmp_path):
    run = run_spider(SPIDER, [ROBOTS, feed(status=500), LISTING, *REAL_PAGES], tmp_path, as_of=JULY,
                     args={"listing_pages": "1"}, settings={"RETRY_TIMES": 0})
    items = by_id(run)
    assert len(items) == 20  # every hearing of page 1, from the listing
    item = items["3167072"]
    assert item["channel"] == "listing" and item["extra"]["listing"] is True
    assert item["deadline"] == "2026-08-07T23:59:59+02:00" and item["extra"]["detail"] == "ok"
    unfetched = items["3168423"]  # detail page not recorded: the listing's deadline and status are kept
    assert unfetched["deadline"] == "2026-10-01T23:59:59+02:00" and unfetched["status_raw"] == "På høring"
    assert unfetched["owner"] == "Energidepartementet" and unfetched["published"].startswith("2026-07-03")
    reasons = [r for level, r in run["notes"] if level == "amber"]
    assert any("hearing RSS answered HTTP 500; hearings read from the listing instead" in r for r in reasons)
    assert any("still new hearings on page 1" in r for r in reasons)  # max pages reached, said so
    assert not [n for n in run["notes"] if n[0] == "red"]
    assert run["listing"] == {"complete": True, "since": "2026-06-25T00:00:00+02:00", "channel": "listing"}


def test_feed_and_listing_both_failing_is_red_with_both_reasons(tmp_path):
    run = run_spider(SPIDER, [ROBOTS, feed(status=500), {**LISTING, "status": 503}], tmp_path, as_of=JULY,
                     settings={"RETRY_TIMES": 0})
    assert run["items"] == []
    (red,) = [r for level, r in run["notes"] if level == "red"]
    assert "hearing RSS answered HTTP 500" in red and "listing (fallback) answered HTTP 503" in red


def test_truncated_feed_is_completed_from_the_listing(tmp_path):
    text = (FIXTURES / "no_regjeringen_horinger" / "feed_2026-07-04.xml").read_text("utf-8")
    head, *entries = re.split(r"(?=<item>)", text)
    short = tmp_path / "short.xml"
    short.write_text(head + "".join(entries[:5]).split("</channel>")[0] + "</channel>\n</rss>\n", "utf-8")
    run = run_spider(SPIDER, [ROBOTS, feed(str(short)), LISTING, *REAL_PAGES], tmp_path, as_of=JULY)
    assert len(run["items"]) == 20
    assert sum(1 for i in run["items"] if i["channel"] == "listing") == 15
    assert any("RSS feed looks truncated" in r for _, r in run["notes"])
    assert len([u for u in run["requested"] if "/hoyringar/id1763/" in u]) >= 2  # page 1 had news: page 2 asked


def test_a_truncated_feed_is_a_complete_list_only_where_the_listing_pages_read_reach(tmp_path):
    """Hearings cut out of the middle of the feed: the feed is no complete list any more, so only
    what the listing pages read cover counts as complete (an item missing elsewhere may only have
    been cut off, and is not marked vanished), and health says so."""
    text = (FIXTURES / "no_regjeringen_horinger" / "feed_2026-07-04.xml").read_text("utf-8")
    head, *entries = re.split(r"(?=<item>)", text)
    tail = "</channel>" + entries[-1].split("</channel>", 1)[1]
    entries[-1] = entries[-1].split("</channel>", 1)[0]
    short = tmp_path / "cut.xml"
    short.write_text(head + "".join(e for n, e in enumerate(entries) if n not in (5, 10)) + tail, "utf-8")
    run = run_spider(SPIDER, [ROBOTS, feed(str(short)), LISTING, *REAL_PAGES], tmp_path, as_of=JULY,
                     args={"listing_pages": "1"})
    assert len(run["items"]) == 20  # the two cut out are kept from the listing
    assert any("RSS feed looks truncated (18 items)" in r for _, r in run["notes"])
    # complete only after the oldest day listing page 1 shows (that day may go on on page 2)
    assert run["listing"] == {"complete": True, "since": "2026-06-25T00:00:00+02:00", "channel": "rss"}
    assert ["amber", "hearings published before 2026-06-25 not checked for vanishing (truncated feed)"] in run["notes"]


def test_a_whole_feed_is_a_complete_list_for_its_own_window(real):
    assert real["listing"]["complete"] is True and real["listing"]["channel"] == "rss"
    assert real["listing"]["since"].startswith("2026-06-24")  # the feed's oldest hearing
    assert not [r for _, r in real["notes"] if "vanishing" in r]


def test_known_hearings_stop_the_listing_at_page_1(tmp_path):
    known = {str(i): {"status": "open"} for i in re.findall(r"/id(\d+)/", (FIXTURES / LISTING["file"]).read_text("utf-8"))}
    run = run_spider(SPIDER, [ROBOTS, feed(status=500), LISTING, *REAL_PAGES], tmp_path, as_of=JULY,
                     args={"known": known}, settings={"RETRY_TIMES": 0})
    assert [u for u in run["requested"] if "/hoyringar/id1763/" in u] == [regjeringen.LISTING_URL]
    assert len(run["items"]) == 20
    # a known hearing's listing row does not overwrite the feed's finer date or its summary
    assert all("published" not in i and "summary" not in i for i in run["items"] if i["extra"]["detail"] != "ok")


def test_disagreement_between_detail_page_and_listing_is_amber_with_both_values(tmp_path):
    page = (FIXTURES / REAL_PAGES[0]["file"]).read_text("utf-8").replace(
        "<strong>Høringsfrist:</strong> 07.08.2026", "<strong>Høringsfrist:</strong> 21.08.2026").replace(
        "<strong>Status:</strong> P&#xE5; h&#xF8;ring", "<strong>Status:</strong> Trukket")
    changed = tmp_path / "changed.html"
    changed.write_text(page, "utf-8")
    run = run_spider(SPIDER, [ROBOTS, feed(), LISTING, {**REAL_PAGES[0], "file": str(changed)}], tmp_path, as_of=JULY)
    assert by_id(run)["3167072"]["deadline"] == "2026-08-21T23:59:59+02:00"  # the detail page's value is stored
    assert ["amber", "hearing 3167072: deadline 2026-08-21 on the detail page, 2026-08-07 in the listing"] in run["notes"]
    assert ["amber", "hearing 3167072: status 'Trukket' on the detail page, 'På høring' in the listing"] in run["notes"]
    assert run["stats"]["tracker/cross_check_disagreements"] == 2


# ------------------------------------------------------------------ robots.txt


def test_a_disallowed_feed_url_is_never_fetched_and_reported(tmp_path):
    lower = FEED_URL.replace("documentType", "documenttype")  # what robots.txt disallows
    run = run_spider(SPIDER, [ROBOTS, feed(url=lower), LISTING], tmp_path, as_of=JULY,
                     args={"feed_url": lower, "listing_pages": "1"})
    assert lower not in run["requested"]
    assert any(f"blocked by robots.txt (not fetched): {lower}" in r for _, r in run["notes"])
    assert run["stats"]["tracker/robots_blocked"] == 1 and run["stats"]["robotstxt/forbidden"] == 1
    assert len(run["items"]) == 20  # the listing (allowed) took over


def test_a_disallowed_detail_page_keeps_the_feed_item(tmp_path):
    robots = tmp_path / "robots.txt"
    robots.write_text((FIXTURES / ROBOTS["file"]).read_text("utf-8") + "Disallow: /no/dokumenter/kort-horing-*\n", "utf-8")
    run = run_spider(SPIDER, [{**ROBOTS, "file": str(robots)}, feed(), LISTING, *REAL_PAGES], tmp_path,
                     as_of=JULY)
    assert AVSKOGING not in run["requested"]
    item = by_id(run)["3167072"]
    assert item["extra"]["detail"] == "blocked by robots.txt" and "deadline" not in item
    assert ["amber", "detail pages blocked by robots.txt (not fetched): fields kept from the listing"] in run["notes"]


# ------------------------------------------------------------------ constructed pages (no real body)


@pytest.fixture(scope="module")
def constructed(tmp_path_factory):
    """The five constructed feed entries, each answered by one constructed page (README.md says why)."""
    tmp = tmp_path_factory.mktemp("constructed")
    text = (FIXTURES / "no_regjeringen_horinger" / "feed.xml").read_text("utf-8")
    urls = [u.split("?")[0].replace("&amp;", "&") for u in re.findall(r"<link>(https://www\.regjeringen\.no/no/dokument[^<]+)</link>", text)]
    pages = ["detail_csddd.html", "detail_nynorsk.html", "detail_old_markup.html", "detail_no_deadline.html",
             "detail_mojibake.html"]
    responses = [ROBOTS, feed("no_regjeringen_horinger/feed.xml")]
    responses += [{"url": u, "file": f"no_regjeringen_horinger/{p}", "headers": HTML} for u, p in zip(urls, pages, strict=True)]
    run = run_spider(SPIDER, responses, tmp, as_of=NOV, args={"listing_pages": "0"})
    return run, dict(zip(pages, [u.rsplit("/id", 1)[1].strip("/") for u in urls], strict=True))


def _page(constructed, name):
    run, ids = constructed
    return by_id(run)[ids[name]]


def test_constructed_csddd_page(constructed):
    item = _page(constructed, "detail_csddd.html")
    assert item["deadline"] == "2026-12-11T23:59:59+01:00" and item["status_raw"] == "På høring"
    assert item["owner"] == "Barne- og familiedepartementet" and item["reference"] == "26/2753"
    assert "2024/1760" in item["body"] and "Equinor" not in item["body"]
    assert item["ncp_consultee"] is True
    assert {"name": "Kontaktpunktet for ansvarlig næringsliv", "orgnr": None} in item["consultees"]
    assert companies.extract_item(item) == []  # Equinor ASA, Aker BP ASA are consultees only


def test_constructed_nynorsk_closed_page(constructed):
    item = _page(constructed, "detail_nynorsk.html")
    assert item["status_raw"] == "Under behandling" and item["deadline"] == "2026-11-19T23:59:59+01:00"
    assert item["owner"] == "Energidepartementet"
    assert "showSvar=true" in item["extra"]["responses_url"]
    assert "consultees" not in item and "ncp_consultee" not in item  # the list is a PDF: unknown
    assert [d["type"] for d in item["documents"]] == ["høringsnotat", "høringsinstanser"]


def test_constructed_old_markup_generation(constructed):
    item = _page(constructed, "detail_old_markup.html")
    assert item["deadline"] == "2016-05-25T23:59:59+02:00"
    assert item["status_raw"] == "Under behandling"
    assert item["reference"] == "16/1243 EO OKL/bj"
    assert item["owner"] == "Justis- og beredskapsdepartementet"


def test_constructed_page_without_deadline_is_a_parse_error_and_mojibake_is_repaired(constructed):
    run, _ = constructed
    assert "deadline" not in _page(constructed, "detail_no_deadline.html")
    assert run["stats"]["tracker/parse_errors"] == 1
    item = _page(constructed, "detail_mojibake.html")
    assert item["deadline"] == "2027-03-01T23:59:59+01:00" and item["status_raw"] == "På høring"
    no_deadline = f"{BASE}/no/dokumenter/nou-2024-16/id{_['detail_no_deadline.html']}/"
    # said by name: which page, and that its deadline was not read (the stored one is kept)
    assert run["notes"] == [["amber", f"hearing {_['detail_no_deadline.html']}: no Høringsfrist on its page "
                                      f"{no_deadline}: deadline not read from it"]]
    assert run["listing"]["channel"] == "rss"


def test_feed_items_keep_feed_fields_and_lose_tracking(constructed):
    item = _page(constructed, "detail_csddd.html")
    assert "utm_" not in item["url"] and item["source"] == SPIDER and item["kind"] == "hearing"
    assert item["channel"] == "rss"


@pytest.mark.parametrize("status", [403, 429])
def test_blocked_detail_keeps_feed_data_and_turns_amber(tmp_path, status):
    text = (FIXTURES / "no_regjeringen_horinger" / "feed.xml").read_text("utf-8")
    urls = [u.split("?")[0].replace("&amp;", "&") for u in re.findall(r"<link>(https://www\.regjeringen\.no/no/dokument[^<]+)</link>", text)]
    responses = [ROBOTS, feed("no_regjeringen_horinger/feed.xml")]
    responses += [{"url": u, "file": "no_regjeringen_horinger/challenge.html", "status": status, "headers": HTML} for u in urls]
    run = run_spider(SPIDER, responses, tmp_path, as_of=NOV, args={"listing_pages": "0"}, settings={"RETRY_TIMES": 0})
    assert len(run["items"]) == 5
    assert all(i["extra"]["detail"] == f"blocked {status}" and "deadline" not in i for i in run["items"])
    assert run["notes"][0][0] == "amber" and "blocked" in run["notes"][0][1]


@pytest.mark.parametrize(("detail", "read", "fetched"), [
    ("ok", "2026-11-01T05:00:00+00:00", False), ("skipped", None, False), (None, None, False),
    ("blocked by robots.txt", None, False), ("blocked 403", None, True), ("http 500", None, True),
    ("error TimeoutError", None, True), ("pending", None, True),
    ("blocked 403", "2026-11-01T05:00:00+00:00", False),  # read while it was open: the last try failed
])
def test_a_closed_hearing_whose_page_was_never_read_is_fetched_again(tmp_path, detail, read, fetched):
    """A hearing whose detail page was blocked all the time it was open was never read again once
    closed («not downloaded again»): its documents and consultees stayed unknown for good."""
    url = ("https://www.regjeringen.no/no/dokumenter/forslag-om-endring-i-forskrift-16.-desember-2021-nr.-3738-om-"
           "tilskudd-til-frivillig-aktivitet-pa-forsvars-og-sikkerhetsomradet/id3142702/")
    page = {"url": url, "file": "no_regjeringen_horinger/detail_csddd.html", "headers": HTML}
    run = run_spider(SPIDER, [ROBOTS, feed("no_regjeringen_horinger/feed.xml"), page], tmp_path, as_of=NOV,
                     args={"known": {"3142702": {"status": "closed", "detail": detail, "detail_read": read}},
                           "listing_pages": "0"})
    assert bool([u for u in run["requested"] if "id3142702" in u]) is fetched
    assert by_id(run)["3142702"]["extra"]["detail"] == ("ok" if fetched else "skipped")


def test_the_store_tells_a_spider_which_detail_pages_it_never_read(db):
    from tracker.store.merge import known_items

    db["items"].insert_all([
        {"id": f"regjeringen:{n}", "source": SPIDER, "kind": "hearing", "native_id": str(n), "title": "t",
         "url": f"https://www.regjeringen.no/id{n}/", "status": "closed", "extra": extra}
        for n, extra in ((1, '{"detail": "blocked 403"}'), (2, '{"detail": "ok"}'), (3, None), (4, "not json"))])
    assert {k: (v["detail"], "url" in v) for k, v in known_items(db, SPIDER).items()} == {
        "1": ("blocked 403", True), "2": ("ok", False), "3": (None, False), "4": (None, False)}


def test_known_closed_item_is_not_downloaded_again(tmp_path):
    run = run_spider(SPIDER, [ROBOTS, feed("no_regjeringen_horinger/feed.xml")], tmp_path, as_of=NOV,
                     args={"known": {"3142702": {"status": "closed"}}, "listing_pages": "0"})
    assert by_id(run)["3142702"]["extra"]["detail"] == "skipped"
    assert not [u for u in run["requested"] if "id3142702" in u]


def test_blocked_feed_without_listing_is_red(tmp_path):
    run = run_spider(SPIDER, [ROBOTS, feed("no_regjeringen_horinger/challenge.html", status=403, headers=HTML)],
                     tmp_path, as_of=NOV, args={"listing_pages": "0"})
    assert run["items"] == [] and run["notes"][0][0] == "red" and "403" in run["notes"][0][1]


def test_malformed_feed_parsed_leniently(tmp_path):
    run = run_spider(SPIDER, [ROBOTS, feed("no_regjeringen_horinger/feed_malformed.xml")], tmp_path, as_of=NOV,
                     args={"listing_pages": "0"})
    assert run["items"], "a malformed feed must still give the readable items"
    assert any(level == "amber" and "leniently" in r for level, r in run["notes"])


def test_empty_feed_is_red_without_listing(tmp_path):
    empty = tmp_path / "empty.xml"
    empty.write_text('<?xml version="1.0"?><rss version="2.0"><channel><title>x</title></channel></rss>')
    run = run_spider(SPIDER, [ROBOTS, feed(str(empty))], tmp_path, as_of=NOV, args={"listing_pages": "0"})
    assert run["notes"] == [["red", "hearing RSS has no items"]]


def test_fixture_readme_lists_every_constructed_file():
    readme = (FIXTURES / "no_regjeringen_horinger" / "README.md").read_text("utf-8")
    for path in (FIXTURES / "no_regjeringen_horinger").iterdir():
        if path.name != "README.md":
            assert f"`{path.name}`" in readme, path.name


def test_fallback_keeps_page_1_when_page_2_fails(tmp_path):
    run = run_spider(SPIDER, [ROBOTS, feed(status=500), LISTING], tmp_path, as_of=JULY,
                     args={"listing_pages": "3"}, settings={"RETRY_TIMES": 0})
    assert f"{regjeringen.LISTING_URL}?page=2" in run["requested"]  # not recorded: 404
    assert len(run["items"]) == 20
    assert not [n for n in run["notes"] if n[0] == "red"]
    assert ["amber", "hearings listing (fallback) answered HTTP 404 on page 2: only 1 page(s) read"] in run["notes"]
    assert run["listing"]["complete"] is True and run["listing"]["channel"] == "listing"


# ------------------------------------------------------------------ deadlines: times, unreadable words


@pytest.mark.parametrize(("words", "expected"), [
    ("07.08.2026", "2026-08-07T23:59:59+02:00"),
    ("1. desember 2026 kl. 12", "2026-12-01T12:00:00+01:00"),
    ("23. feb. 2027 kl. 12.00", "2027-02-23T12:00:00+01:00"),
    ("23. feb 2027 kl 12:00", "2027-02-23T12:00:00+01:00"),
    ("23. febr. 2027", "2027-02-23T23:59:59+01:00"),
    ("1. des. 2026 kl. 23.59", "2026-12-01T23:59:59+01:00"),
    ("01.12.2026 kl. 12", "2026-12-01T12:00:00+01:00"),
    ("fredag 4. sept. 2026 klokka 15", "2026-09-04T15:00:00+02:00"),
])
def test_deadline_words_with_abbreviated_months_and_times(words, expected):
    text = f"Status:\nPå høring\nHøringsfrist:\n{words}\nHøringsbrev\nVår ref.: 26/2371"
    deadline, read, time_unreadable = regjeringen.read_deadline(text, parse_date(JULY).date())
    assert (deadline.isoformat(), read, time_unreadable) == (expected, words, False)


@pytest.mark.parametrize(("text", "words"), [
    ("Høringsfrist:\n23. febuar 2027\nHøringsbrev", "23. febuar 2027"),
    ("Høringsfrist: snarest\n", "snarest"),
    ("Høyringsfrist:\n31.02.2027\n", "31.02.2027"),
    ("Høringsfrist:\n\nHøringsbrev\n", ""),
    ("Frister og dokumenter finner du nedenfor.", None),  # no label at all
    ("Høyringsfristen er\nfredag 14. august", None),  # the letter's prose, not the label
])
def test_a_deadline_label_whose_words_are_no_date_gives_those_words(text, words):
    assert regjeringen.read_deadline(text, parse_date(JULY).date()) == (None, words, False)


def test_a_deadline_whose_time_is_no_time_of_day_keeps_its_day_and_says_so_in_health(tmp_path):
    """«7. aug. 2026 kl. 25» made the whole Høringsfrist unreadable: the hearing lost the day its
    page gives. The day is kept, the end of it as for a day given alone, and health says (amber)
    that the time could not be read, naming the page, the words and the day."""
    from tracker.store.health import SourceRun, assess

    page = (FIXTURES / REAL_PAGES[0]["file"]).read_text("utf-8")
    timed = tmp_path / "timed.html"
    timed.write_text(page.replace("<strong>Høringsfrist:</strong> 07.08.2026",
                                  "<strong>Høringsfrist:</strong> 7. aug. 2026 kl. 25"), "utf-8")
    run = run_spider(SPIDER, [ROBOTS, feed(), LISTING, {**REAL_PAGES[0], "file": str(timed)}], tmp_path, as_of=JULY)
    assert by_id(run)["3167072"]["deadline"] == "2026-08-07T23:59:59+02:00"
    note = (f"hearing 3167072: the time in Høringsfrist '7. aug. 2026 kl. 25' on its page {AVSKOGING} is no time "
            "of day: deadline taken as the end of 2026-08-07")
    assert ["amber", note] in [list(n) for n in run["notes"]]
    status, reason = assess(SourceRun(SPIDER, items_seen=len(run["items"]), notes=[tuple(n) for n in run["notes"]]))
    assert status == "amber" and note in reason
    assert health_reason(note) == (
        f"høring 3167072: klokkeslettet i høringsfristen '7. aug. 2026 kl. 25' på siden {AVSKOGING} kunne ikke "
        "leses: fristen er satt til slutten av dagen fre. 07.08.2026")


def test_deadlines_with_a_time_keep_it_through_the_engine(tmp_path):
    page = (FIXTURES / REAL_PAGES[0]["file"]).read_text("utf-8")
    assert "<strong>Høringsfrist:</strong> 07.08.2026" in page
    timed = tmp_path / "timed.html"
    timed.write_text(page.replace("<strong>Høringsfrist:</strong> 07.08.2026",
                                  "<strong>Høringsfrist:</strong> 7. aug. 2026 kl. 12.00"), "utf-8")
    run = run_spider(SPIDER, [ROBOTS, feed(), LISTING, {**REAL_PAGES[0], "file": str(timed)}], tmp_path, as_of=JULY)
    assert by_id(run)["3167072"]["deadline"] == "2026-08-07T12:00:00+02:00"
    assert run["stats"].get("tracker/parse_errors", 0) == 0
    assert not [n for n in run["notes"] if "3167072" in n[1]]  # the listing's 07.08.2026 is the same day


UNREADABLE = "hearing 3167072: unreadable Høringsfrist '7. agust 2026' on its page " + AVSKOGING + ": deadline not read from it"


@pytest.mark.parametrize("listing_first", [False, True])
@pytest.mark.parametrize(("stored", "taken"), [
    (None, "2026-08-07T23:59:59+02:00"),  # nothing stored: the listing's day
    ("2026-08-07T12:00:00+02:00", None),  # stored that day, with a time: kept
    ("2026-08-01T23:59:59+02:00", "2026-08-07T23:59:59+02:00"),  # the listing names another day
])
def test_an_unreadable_deadline_is_said_by_page_and_words_and_the_listing_or_the_store_gives_it(
        tmp_path, listing_first, stored, taken):
    page = (FIXTURES / REAL_PAGES[0]["file"]).read_text("utf-8").replace(
        "<strong>Høringsfrist:</strong> 07.08.2026", "<strong>Høringsfrist:</strong> 7. agust 2026")
    path = tmp_path / "unreadable.html"
    path.write_text(page, "utf-8")
    known = {"3167072": {"status": "open", "deadline": stored}} if stored else {}
    spider = make_spider(NoRegjeringenHoringerSpider, as_of=JULY, known=known)
    spider._feed_ids = set(re.findall(r"<guid[^>]*>(\d+)<", (FIXTURES / feed()["file"]).read_text("utf-8")))
    item = spider.make_item(native_id="3167072", url=AVSKOGING, title="Kort høring – avskogingsforordningen",
                            extra={"detail": "pending"})
    detail = file_response(path, AVSKOGING)
    listing = file_response(LISTING["file"], regjeringen.LISTING_URL)
    steps = [lambda: spider.parse_listing(listing, page=1), lambda: spider.parse_detail(detail, item)]
    out = [x for step in (steps if listing_first else steps[::-1]) for x in step() if isinstance(x, TrackedItem)]
    assert {i["native_id"] for i in out} == {"3167072"}
    assert [i.get("deadline") for i in out if i.get("deadline")] == ([taken] if taken else [])
    assert ["amber", UNREADABLE] in [list(n) for n in spider.notes]
    listed = ["amber", "hearing 3167072: deadline 2026-08-07 taken from the listing instead"]
    assert (listed in [list(n) for n in spider.notes]) is bool(taken)
    assert spider.crawler.stats.get_value("tracker/parse_errors") == 1


def test_health_names_the_unreadable_deadline_in_bokmal():
    assert health_reason(UNREADABLE) == (
        "høring 3167072: høringsfristen '7. agust 2026' på siden " + AVSKOGING + " kunne ikke leses; "
        "fristen er ikke oppdatert fra den")
    assert health_reason("hearings published before 2026-06-25 not checked for vanishing (truncated feed)") == (
        "ikke sjekket om høringer publisert før tor. 25.06.2026 har forsvunnet (RSS-strømmen er avkortet)")


# ------------------------------------------------------------------ a listing page cut short, on any page of a walk

REAL_LISTING = "real/no_regjeringen_horinger/quaat_listing_hoyringar_id1763_2026-07-04.html"


def _cut_listing(page: int, keep: int):
    """The real listing page (20 rows, «Viser 1-20 av 6960 treff.») as page `page`, its body cut off
    after `keep` rows, as a proxy or a dropped connection leaves it."""
    import scrapy
    from scrapy.http import HtmlResponse

    body = (FIXTURES / REAL_LISTING).read_bytes()
    shown = (page - 1) * 20 + 1
    body = body.replace(b"Viser 1-20 av 6960", f"Viser {shown}-{shown + 19} av 6960".encode())
    starts = [i for i in range(len(body)) if body.startswith(b'<li class="listItem">', i)]
    url = f"https://www.regjeringen.no/no/dokument/hoyringar/id1763/?page={page}"
    return HtmlResponse(url, body=body[:starts[keep]], encoding="utf-8", request=scrapy.Request(url))


def test_a_later_listing_page_cut_short_is_red_naming_it_and_no_complete_list():
    """Page 2 of the fallback walk cut after 7 of its 20 hearings: the walk read it as the end of
    the listing, declared the hearings it covers complete (the 13 unseen ones could be marked
    vanished), and health stayed amber."""
    from support import make_spider

    spider = make_spider(NoRegjeringenHoringerSpider, as_of="2026-07-06T06:00:00+02:00")
    spider._feed_problem = "hearing RSS answered HTTP 503"  # the feed failed: the listing is the channel
    list(spider.parse_listing(_cut_listing(2, 7), page=2))
    assert ("red", "hearings listing page 2 holds 7 hearings but says it shows 20 (Viser 21-40 av 6960 treff): "
                   "cut short?") in spider.notes
    assert spider.listing["complete"] is False


def test_a_backfill_page_cut_short_is_red_naming_it():
    from support import make_spider

    from crawlers.backfill import RegjeringenHearingsHistory

    spider = make_spider(RegjeringenHearingsHistory, as_of="2026-07-06T06:00:00+02:00", unit="page-3", since="2020")
    list(spider.parse_history_page(_cut_listing(3, 12), page=3))
    # red: the page is not checkpointed (tracker.jobs.backfill.record_checkpoint), the next backfill reads it again
    assert [n for n in spider.notes if n[0] == "red"] == [
        ("red", "hearings listing page 3 holds 12 hearings but says it shows 20 (Viser 41-60 av 6960 treff): cut short?")]


def test_a_cut_listing_page_reads_in_bokmal():
    assert health_reason("hearings listing page 3 holds 12 hearings but says it shows 20 (Viser 41-60 av 6960 "
                         "treff): cut short?") == (
        "side 3 i høringslisten inneholder 12 høringer, men oppgir selv å vise 20 (Viser 41-60 av 6960 treff): er "
        "svaret avkortet?")
