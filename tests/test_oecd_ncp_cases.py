"""oecd_ncp_cases: the OECD database of specific instances (constructed fixtures; layout unverified)."""

from __future__ import annotations

import json
import re

import scrapy

from crawlers.spiders.oecd_ncp_cases import LISTING_URL, OecdNcpCasesSpider, chapters_of, stage_of
from tests.conftest import file_response, make_spider
from tests.support import FIXTURES, run_spider
from tracker.vocabulary import health_reason


def case(name: str, spider=None):
    spider = spider or make_spider(OecdNcpCasesSpider)
    url = f"{LISTING_URL}instances/{name}.htm"
    return list(spider.parse_case(file_response(f"oecd_ncp_cases/{name}.html", url), native_id=name)), spider


def test_listing_requests_every_case_page_once():
    spider = make_spider(OecdNcpCasesSpider)
    out = list(spider.parse(file_response("oecd_ncp_cases/listing.html", LISTING_URL)))
    assert all(isinstance(r, scrapy.Request) for r in out)
    assert [r.cb_kwargs["native_id"] for r in out] == ["cl0045", "uk0112", "br0019", "nl0050", "de0033"]
    assert spider.listing["complete"] is False and not spider.notes


def test_listing_without_case_links_is_red():
    spider = make_spider(OecdNcpCasesSpider)
    assert list(spider.parse(file_response("oecd_ncp_cases/empty_listing.html", LISTING_URL))) == []
    assert spider.notes and spider.notes[0][0] == "red" and "no links" in spider.notes[0][1]


def test_blocked_listing_is_red():
    spider = make_spider(OecdNcpCasesSpider)
    list(spider.parse(file_response("oecd_ncp_cases/empty_listing.html", LISTING_URL, status=403)))
    assert spider.notes == [("red", "case listing answered HTTP 403")]


def test_case_fields():
    [item], spider = case("cl0045")
    extra = item["extra"]
    assert item["kind"] == "ncp_case" and item["native_id"] == "cl0045" and item["language"] == "en"
    assert item["owner"] == "NCP Chile" and item["status_raw"] == "In progress"
    assert item["published"].startswith("2026-09-14")
    assert extra["supporting_ncps"] == ["Norway"] and extra["host_countries"] == ["Chile"]
    assert extra["themes"] == ["Human rights", "Employment and industrial relations", "Environment"]
    assert extra["chapters"] == ["oecd-iv", "oecd-v", "oecd-vi"]
    assert extra["company"] == "Compañía Minera Río Azul S.A."
    assert extra["keywords"] == ["due diligence", "water", "freedom of association"]
    assert extra["sector"] == "Mining and quarrying" and extra["submitter_type"] == "Trade union"
    assert extra["stage"] == "accepted"
    assert "freedom of association" in item["body"] and "good offices" in item["summary"]
    assert not spider.notes


def test_the_body_carries_the_cases_ncps_and_themes():
    """The tagger reads title, summary and body only: the case's themes (the database's chapters) and
    its NCPs were in `extra` alone, so a case read as «ingen treff på ansvarlig næringsliv»."""
    [item], _ = case("cl0045")
    lines = item["body"].splitlines()
    assert "Lead NCP: Chile" in lines and "Supporting NCPs: Norway" in lines
    assert "Themes: Human rights; Employment and industrial relations; Environment" in lines
    [item], _ = case("nl0050")  # no supporting NCP: no empty line for it
    assert "Themes: Employment and industrial relations" in item["body"].splitlines()
    assert "Supporting NCPs" not in item["body"]


def test_final_statement_is_the_stage_and_a_document():
    [item], _ = case("uk0112")
    assert item["extra"]["stage"] == "final_statement" and item["status_raw"] == "Concluded"
    assert [d["title"] for d in item["documents"]] == ["Initial assessment", "Final statement"]


def test_not_accepted_and_submitted():
    assert case("de0033")[0][0]["extra"]["stage"] == "not_accepted"
    assert case("br0019")[0][0]["extra"]["stage"] == "filed"


def test_layout_variant_table_and_strong_labels():
    [item], spider = case("variant_table")
    assert item["extra"]["lead_ncp"] == "Netherlands" and item["status_raw"] == "Submitted"
    assert item["published"].startswith("2026-10-20")
    assert item["extra"]["company"] == "Tulpenveld Logistics B.V."
    assert spider.crawler.stats.get_value("tracker/unknown_labels") == 1  # "Case reference"


def test_page_without_labels_is_kept_and_amber_once_per_field():
    spider = make_spider(OecdNcpCasesSpider)
    [item], _ = case("no_labels", spider)
    case("no_labels", spider)
    assert item["title"] == "Some case" and "status_raw" not in item
    assert sorted(n[1].split("'")[1] for n in spider.notes) == ["lead_ncp", "status"]
    assert all(level == "amber" for level, _ in spider.notes)
    assert spider.crawler.stats.get_value("tracker/cases_without_status") == 2


def test_failed_case_page_is_amber():
    spider = make_spider(OecdNcpCasesSpider)
    url = f"{LISTING_URL}instances/xx0001.htm"
    assert list(spider.parse_case(file_response("oecd_ncp_cases/no_labels.html", url, status=500), native_id="x")) == []
    assert spider.notes[0][0] == "amber" and "HTTP 500" in spider.notes[0][1]


def test_chapters_and_stages():
    assert chapters_of(["Combating bribery", "Taxation", "General policies"]) == ["oecd-ii", "oecd-vii", "oecd-xi"]
    assert stage_of("Closed", []) == "closed"
    assert stage_of("", [{"title": "Initial assessment"}]) == "accepted"
    assert stage_of("In progress", [{"title": "Final statement"}]) == "final_statement"


def test_status_words_map_to_item_status():
    from datetime import datetime

    from tracker.store.status import derive_status

    now = datetime.fromisoformat("2026-11-24T06:00:00+01:00")
    assert derive_status("Concluded", None, now) == "closed"
    assert derive_status("Not accepted", None, now) == "closed"
    assert derive_status("In progress", None, now) == "open"


def _cp1252_day(tmp_path, undecodable: tuple[str, ...] = ()) -> list[dict]:
    """The listing and its case pages through the engine, the pages' bytes windows-1252 while the
    header and the page's meta still say UTF-8 (an export with the wrong declaration); the pages
    `undecodable` also hold a byte windows-1252 does not define."""
    html = {"Content-Type": "text/html; charset=utf-8"}
    entries = [{"url": LISTING_URL, "file": "oecd_ncp_cases/listing.html", "headers": html}]
    for name in ("cl0045", "uk0112", "br0019", "nl0050", "de0033"):
        body = (FIXTURES / f"oecd_ncp_cases/{name}.html").read_text("utf-8").encode("cp1252")
        if name in undecodable:
            body = body.replace(b"</h1>", b"\x81</h1>")
        (tmp_path / f"{name}.html").write_bytes(body)
        entries.append({"url": f"{LISTING_URL}instances/{name}.htm", "file": str(tmp_path / f"{name}.html"),
                        "headers": html})
    return entries


def test_case_pages_in_windows_1252_are_read_right_and_amber(tmp_path):
    """A page whose bytes are windows-1252 while it says UTF-8 was read with U+FFFD for every
    letter outside ASCII («Compa��a», «Br�drene �r� & S�n ASA») and the source stayed green."""
    out = run_spider("oecd_ncp_cases", _cp1252_day(tmp_path), tmp_path, as_of="2026-11-24T06:00:00+01:00")
    items = {i["native_id"]: i for i in out["items"]}
    assert items["cl0045"]["title"] == "Sindicato de Trabajadores Mineros del Loa vs. Compañía Minera Río Azul S.A."
    assert items["br0019"]["extra"]["company"] == "Brødrene Ærø & Søn ASA"
    assert not any("\ufffd" in json.dumps(i, ensure_ascii=False) for i in out["items"])
    [(level, reason)] = out["notes"]  # one note, naming the pages
    # the two pages with letters outside ASCII (the others' bytes are the same in both encodings), in
    # the order the crawl met them
    pages = re.fullmatch(r"pages not in their declared encoding \(utf-8\), read as windows-1252: (\S+), (\S+)", reason)
    assert level == "amber" and pages
    assert set(pages.groups()) == {f"{LISTING_URL}instances/{n}.htm" for n in ("cl0045", "br0019")}
    assert out["stats"]["tracker/pages_read_as_windows_1252"] == 2
    assert health_reason(reason, "nb") == (
        f"sider i en annen tegnkoding enn oppgitt (utf-8), lest som windows-1252: {pages[1]}, {pages[2]}")


def test_an_undecodable_case_page_is_red_naming_it_and_not_read(tmp_path):
    out = run_spider("oecd_ncp_cases", _cp1252_day(tmp_path, undecodable=("uk0112",)), tmp_path,
                     as_of="2026-11-24T06:00:00+01:00")
    assert sorted(i["native_id"] for i in out["items"]) == ["br0019", "cl0045", "de0033", "nl0050"]
    assert not any("\ufffd" in json.dumps(i, ensure_ascii=False) for i in out["items"])
    reds = [reason for level, reason in out["notes"] if level == "red"]
    assert reds == [f"pages undecodable in utf-8 (declared) or windows-1252, not read: {LISTING_URL}instances/uk0112.htm"]
    assert health_reason(reds[0], "nb") == (
        "sider som verken kan leses som utf-8 (oppgitt) eller windows-1252, er ikke lest: "
        "https://mneguidelines.oecd.org/database/instances/uk0112.htm")


def test_undecodable_case_pages_are_named_the_first_three_and_how_many_more(tmp_path):
    """Four undecodable pages were one red note naming the first only («første: …»): the adviser
    could not tell that three more were not read. The note names three and counts the rest, in
    the reader's language, as health names blocked pages."""
    bad = ("cl0045", "uk0112", "br0019", "nl0050")
    out = run_spider("oecd_ncp_cases", _cp1252_day(tmp_path, undecodable=bad), tmp_path,
                     as_of="2026-11-24T06:00:00+01:00")
    [red] = [reason for level, reason in out["notes"] if level == "red"]
    named = re.fullmatch(r"pages undecodable in utf-8 \(declared\) or windows-1252, not read: (\S+), (\S+), (\S+) "
                         r"and 1 more", red)
    assert named and set(named.groups()) < {f"{LISTING_URL}instances/{n}.htm" for n in bad}, red
    assert health_reason(red, "nb") == ("sider som verken kan leses som utf-8 (oppgitt) eller windows-1252, er ikke "
                                        f"lest: {named[1]}, {named[2]}, {named[3]} og 1 til")
    assert health_reason(red, "en").endswith(f"not read: {named[1]}, {named[2]}, {named[3]} and 1 more")
