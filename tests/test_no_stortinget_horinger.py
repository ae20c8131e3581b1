"""no_stortinget_horinger: Stortinget committee hearings (eksport/horinger, fallback eksport/saker + sak).

Fixtures are constructed from docs/sources.md §2 by data/replay/tools/build_no_stortinget_horinger.py.
`as_of` is frozen at 2026-11-24 06:00 Oslo (make_spider's default).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
import scrapy
from scrapy.http import Request, TextResponse, XmlResponse
from twisted.internet.error import ConnectionLost
from twisted.python.failure import Failure

from crawlers.spiders.no_stortinget_horinger import (
    NoStortingetHoringerSpider,
    session_for,
)
from tests.conftest import FIXTURES, ROOT, file_response, make_spider
from tracker.store.health import SourceRun, assess
from tracker.vocabulary import health_reason

HERE = FIXTURES / "no_stortinget_horinger"
API = "https://data.stortinget.no/eksport"
HEARINGS = f"{API}/horinger?sesjonid=2026-2027&format=json"
PROGRAM_FIXTURE = {
    f"{API}/horingsprogram?horingid=10006201&format=json": "horingsprogram.xml",
    f"{API}/horingsprogram?horingid=10006203&format=json": "horingsprogram_empty.xml",
    f"{API}/horingsprogram?horingid=10006204&format=json": "horingsprogram_empty.xml",
}


def respond(request: Request, file: str | None, status: int = 200) -> TextResponse:
    """A response to `request` from a fixture file (None: an empty body)."""
    body = (HERE / file).read_bytes() if file else b""
    cls = XmlResponse if file and file.endswith(".xml") else TextResponse
    return cls(url=request.url, body=body, status=status, encoding="utf-8", request=request)


def drive(spider, outputs, routes: dict[str, tuple[str | None, int | str]]) -> list:
    """Run callbacks depth-first, answering each request from `routes` (else 404): items in list order."""
    items = []
    for out in outputs or []:
        if not isinstance(out, scrapy.Request):
            items.append(out)
            continue
        file, status = routes.get(out.url, (None, 404))
        if status == "reset":
            failure = Failure(ConnectionLost("reset"))
            failure.request = out
            items.extend(drive(spider, out.errback(failure), routes))
        else:
            items.extend(drive(spider, out.callback(respond(out, file, status), **out.cb_kwargs), routes))
    return items


def primary(fixture: str = "horinger.xml", program_status: int = 200, **kwargs):
    spider = make_spider(NoStortingetHoringerSpider, **kwargs)
    routes = {url: (file, program_status) for url, file in PROGRAM_FIXTURE.items()}
    first = spider.parse(file_response(HERE / fixture, url=HEARINGS))
    return spider, drive(spider, first, routes)


FALLBACK_ROUTES = {
    f"{API}/saker?sesjonid=2026-2027&format=json": ("saker.xml", 200),
    **{f"{API}/sak?sakid={p.stem.split('-')[1]}&format=json": (p.name, 200) for p in HERE.glob("sak-*.xml")},
}


def fallback(known: dict | None = None):
    spider = make_spider(NoStortingetHoringerSpider, known=known or {})
    first = spider.parse(file_response(HERE / "horinger_500.html", url=HEARINGS, status=500))
    return spider, drive(spider, first, FALLBACK_ROUTES)


spider, parsed_items = primary()
item = parsed_items[0]  # the hearing on åpenhetsloven (first in the list; its programme is fetched)


# ---------------------------------------------------------------------- the first item, field by field


def test_count():
    assert len(parsed_items) == 6


def test_native_id_is_primary_case():
    assert item["native_id"] == "sak-107130"


def test_title_built_from_case():
    assert item["title"] == (
        "Komitéhøring: Endringer i åpenhetsloven (gjennomføring av aktsomhetsdirektivet) – Prop. 25 L (2026-2027)"
    )


def test_kind_and_source():
    assert item["kind"] == "committee_hearing"
    assert item["source"] == "no_stortinget_horinger"
    assert item["channel"] == "api"


def test_owner_is_committee():
    assert item["owner"] == "Familie- og kulturkomiteen"


def test_deadline_is_innspillsfrist_end_of_day():
    assert item["deadline"] == "2026-12-01T23:59:59+01:00"
    assert item["extra"]["deadline_basis"] == "innspillsfrist"


def test_both_deadlines_kept_in_extra():
    assert item["extra"]["innspillsfrist"] == "2026-12-01T23:59:00+01:00"
    assert item["extra"]["anmodningsfrist"] == "2026-11-26T12:00:00+01:00"
    assert item["extra"]["soknadfrist"] == ""  # 0001-01-01T00:00:00: the export gives none


def test_status_raw():
    assert item["status_raw"] == "Planlagt"


def test_url_is_hearing_page():
    assert item["url"] == "https://www.stortinget.no/no/Hva-skjer-pa-Stortinget/Horing/?p=10006201"
    assert item["extra"]["hearing_page_pattern"] == "unverified"


def test_reference():
    assert item["reference"] == "Prop. 25 L (2026-2027)"


def test_documents_are_case_links():
    assert item["documents"] == [{
        "title": "Prop. 25 L (2026-2027): Endringer i åpenhetsloven (gjennomføring av aktsomhetsdirektivet)",
        "url": "https://www.stortinget.no/no/Saker-og-publikasjoner/Saker/Sak/?p=107130",
        "type": "sak",
    }]


def test_summary():
    assert item["summary"].startswith("Høring i Familie- og kulturkomiteen om Endringer i åpenhetsloven")


def test_hearing_time_and_place():
    assert item["extra"]["hearing_start"] == "2026-12-03T09:00:00+01:00"
    assert item["extra"]["hearing_times"] == [
        {"sted": "Stortingets komitéhus, Høringssal 1", "tidspunkt": "2026-12-03T09:00:00+01:00"}
    ]


def test_hearing_id_and_committee_in_extra():
    assert item["extra"]["hearing_id"] == "10006201"
    assert item["extra"]["committee_id"] == "FAMKULT"
    assert item["extra"]["written"] is False


def test_program_added():
    (program,) = item["extra"]["program"]
    assert program["dato"] == "2026-12-03T00:00:00+01:00"
    assert [e["tekst"] for e in program["elements"]][:2] == ["Næringslivets Hovedorganisasjon (NHO)", "LO"]
    assert program["elements"][0]["tid"] == "09:00 - 09:10"


def test_published_not_invented():
    assert "published" not in item


# ---------------------------------------------------------------------- other hearings of the list


def by_id(items, native_id):
    return next(i for i in items if i["native_id"] == native_id)


def test_only_anmodningsfrist_is_the_deadline_and_0001_is_empty():
    hearing = by_id(parsed_items, "sak-103533")
    assert hearing["deadline"] == "2026-11-24T12:00:00+01:00"  # a time of day is kept
    assert hearing["extra"]["deadline_basis"] == "anmodningsfrist"
    assert hearing["extra"]["innspillsfrist"] == ""


def test_written_hearing_without_anmodningsfrist():
    hearing = by_id(parsed_items, "sak-107132")
    assert hearing["deadline"] == "2026-12-10T23:59:59+01:00"
    assert hearing["extra"]["anmodningsfrist"] == ""
    assert hearing["extra"]["written"] is True
    assert hearing["summary"].startswith("Skriftlig høring i Finanskomiteen")


def test_a_time_the_export_gives_none_is_empty_and_an_unreadable_one_unknown(tmp_path):
    """"" (the export gives none: the store clears a time it had — a dropped deadline to ask to
    speak) is not None (the text could not be read: the store keeps what it has, and the source
    counts a parse error), also when the hearing has another deadline."""
    xml = (HERE / "horinger.xml").read_text("utf-8")
    broken = "<anmodningsfrist_dato_tid>torsdag kl. 12</anmodningsfrist_dato_tid>"
    (tmp_path / "horinger.xml").write_text(xml.replace(
        "<anmodningsfrist_dato_tid>2026-11-26T12:00:00</anmodningsfrist_dato_tid>", broken, 1), "utf-8")
    spider, items = primary(str(tmp_path / "horinger.xml"))
    hearing = by_id(items, item["native_id"])
    assert hearing["extra"]["deadline_basis"] == "innspillsfrist"
    assert hearing["extra"]["anmodningsfrist"] is None
    assert hearing["extra"]["soknadfrist"] == ""
    assert spider.crawler.stats.get_value("tracker/parse_errors") == 1


def test_multi_case_hearing_uses_first_case_and_lists_the_others():
    hearing = by_id(parsed_items, "sak-105210")
    assert hearing["extra"]["case_ids"] == ["105210", "105211"]
    assert hearing["reference"] == "Prop. 7 L (2025-2026)"  # not the Innst. added later
    assert "Høringen gjelder også: Endringar i folketrygdlova" in hearing["summary"]
    assert len(hearing["documents"]) == 2


def test_held_and_cancelled_hearings_skip_the_program():
    assert by_id(parsed_items, "sak-105210")["status_raw"] == "Avholdt"
    assert by_id(parsed_items, "sak-105210")["extra"]["program"] == "skipped (held or cancelled)"
    cancelled = by_id(parsed_items, "sak-104555")
    assert cancelled["status_raw"] == "Avlyst"
    assert cancelled["extra"]["status_info"] == "Høringen er avlyst."


def test_primary_listing_is_complete_and_green():
    assert spider.listing == {"complete": True, "since": None, "channel": "api"}
    assert spider.notes == []
    assert spider.crawler.stats.get_value("tracker/parse_errors") is None


def test_program_not_published_yet():
    hearing = by_id(parsed_items, "sak-103533")
    assert hearing["extra"]["program"] == [{"dato": "2026-11-26T00:00:00+01:00", "fotnote": None, "elements": []}]


def test_known_closed_hearing_skips_program():
    spider_known, items = primary(known={"sak-107130": {"status": "closed"}})
    assert by_id(items, "sak-107130")["extra"]["program"] == "skipped (closed)"


# ---------------------------------------------------------------------- XML and JSON


def comparable(items):
    return [{k: v for k, v in dict(i).items()} for i in items]


def test_json_form_gives_the_same_items():
    _, from_json = primary("horinger.json")
    assert comparable(from_json) == comparable(parsed_items)


def test_json_ms_dates():
    _, from_json = primary("horinger.json")
    assert from_json[0]["deadline"] == "2026-12-01T23:59:59+01:00"
    assert from_json[0]["extra"]["soknadfrist"] == ""  # /Date(-62135596800000)/


# ---------------------------------------------------------------------- session


def test_session_from_sesjoner_xml_and_json():
    for name in ("sesjoner.xml", "sesjoner.json"):
        s = make_spider(NoStortingetHoringerSpider)
        (request,) = s.parse_sessions(file_response(HERE / name, url=f"{API}/sesjoner?format=json"))
        assert request.url == HEARINGS
        assert s.notes == []


def test_session_computed_when_sesjoner_fails():
    s = make_spider(NoStortingetHoringerSpider, as_of="2026-09-30T12:00:00+02:00")
    (request,) = s.parse_sessions(file_response(HERE / "horinger_500.html", url=f"{API}/sesjoner?format=json", status=500))
    assert request.url == f"{API}/horinger?sesjonid=2025-2026&format=json"
    assert s.notes[0][0] == "amber" and "computed from as_of (2025-2026)" in s.notes[0][1]


def test_session_for_starts_on_1_october():
    from datetime import date

    assert session_for(date(2026, 10, 1)) == "2026-2027"
    assert session_for(date(2026, 9, 30)) == "2025-2026"


# ---------------------------------------------------------------------- fallback


def test_500_on_horinger_leads_to_the_fallback():
    s = make_spider(NoStortingetHoringerSpider)
    (request,) = s.parse(file_response(HERE / "horinger_500.html", url=HEARINGS, status=500))
    assert request.url == f"{API}/saker?sesjonid=2026-2027&format=json"


def test_fallback_gives_the_same_ids_titles_owners_and_deadlines():
    s, items = fallback()
    primary_by_id = {i["native_id"]: i for i in parsed_items}
    assert sorted(i["native_id"] for i in items) == ["sak-103533", "sak-105210", "sak-107130", "sak-107132"]
    for fb in items:
        p = primary_by_id[fb["native_id"]]
        assert (fb["title"], fb["owner"], fb["deadline"], fb["reference"]) == (
            p["title"], p["owner"], p["deadline"], p["reference"])
        assert fb["channel"] == "api-fallback"
        # the flag says which channel gave the extras; the primary channel clears a stored one
        assert fb["extra"]["fallback"] is True and p["extra"]["fallback"] is False


def test_fallback_groups_the_cases_of_one_hearing():
    _, items = fallback()
    assert by_id(items, "sak-105210")["extra"]["case_ids"] == ["105210", "105211"]


def test_fallback_prefers_the_case_id_the_store_knows():
    _, items = fallback(known={"sak-105211": {"status": "closed"}})
    ids = {i["native_id"] for i in items}
    assert "sak-105211" in ids and "sak-105210" not in ids


def test_fallback_notes_amber_and_does_not_declare_the_listing_complete():
    s, _ = fallback()
    assert s.listing["complete"] is False
    assert [level for level, _ in s.notes] == ["amber"]
    assert s.notes[0][1].startswith("fallback channel in use: eksport/saker + eksport/sak HOERFRIST")
    assert "HTTP 500" in s.notes[0][1]


def test_fallback_fetches_only_pending_cases_with_a_committee():
    s = make_spider(NoStortingetHoringerSpider)
    requests = list(s.parse_cases(file_response(HERE / "saker.xml", url=f"{API}/saker?sesjonid=2026-2027&format=json")))
    fetched = sorted(r.url.split("sakid=")[1].split("&")[0] for r in requests)
    # 107001 is behandlet, 105849 has no committee
    assert fetched == ["103533", "104555", "105210", "105211", "105929", "107130", "107132"]


def test_fallback_reads_json_saksgang_dates():
    s = make_spider(NoStortingetHoringerSpider)
    s._fallback_outstanding = 1
    request = Request(f"{API}/sak?sakid=107130&format=json")
    (fb,) = s.parse_case(respond(request, "sak-107130.json"), listed={})
    assert fb["deadline"] == "2026-12-01T23:59:59+01:00"
    assert fb["extra"]["hoerfrist"] == ["2026-11-26T12:00:00+01:00", "2026-12-01T00:00:00+01:00"]


def test_network_error_on_horinger_leads_to_the_fallback():
    s = make_spider(NoStortingetHoringerSpider)
    failure = Failure(ConnectionLost("reset"))
    failure.request = Request(HEARINGS)
    (request,) = s.hearings_failed(failure)
    assert request.url == f"{API}/saker?sesjonid=2026-2027&format=json"
    assert "ConnectionLost" in s.notes[0][1]


def test_failed_case_requests_still_flush_the_found_hearings():
    s = make_spider(NoStortingetHoringerSpider)
    routes = {**FALLBACK_ROUTES, f"{API}/sak?sakid=105929&format=json": (None, "reset")}
    first = s.parse(file_response(HERE / "horinger_500.html", url=HEARINGS, status=500))
    items = drive(s, first, routes)
    assert len(items) == 4
    assert any("some eksport/sak requests failed" in reason for _, reason in s.notes)


def test_fallback_failing_too_is_red():
    s = make_spider(NoStortingetHoringerSpider)
    routes = {f"{API}/saker?sesjonid=2026-2027&format=json": ("horinger_500.html", 500)}
    items = drive(s, s.parse(file_response(HERE / "horinger_500.html", url=HEARINGS, status=500)), routes)
    assert items == []
    assert ("red", "fallback failed too: eksport/saker answered HTTP 500") in s.notes


# ---------------------------------------------------------------------- broken input


def test_500_on_horingsprogram_keeps_the_hearing():
    s, items = primary(program_status=500)
    assert len(items) == 6
    hearing = by_id(items, "sak-107130")
    assert hearing["extra"]["program"] == "http 500"
    assert hearing["deadline"] == "2026-12-01T23:59:59+01:00"
    assert s.notes and s.notes[0][0] == "amber" and "horingsprogram" in s.notes[0][1]
    assert s.listing["complete"] is True


def test_malformed_horinger_goes_to_fallback_and_malformed_fallback_is_red():
    s = make_spider(NoStortingetHoringerSpider)
    routes = {f"{API}/saker?sesjonid=2026-2027&format=json": ("malformed.xml", 200)}
    items = drive(s, s.parse(file_response(HERE / "malformed.xml", url=HEARINGS)), routes)
    assert items == []
    assert "eksport/horinger unreadable (XML:" in s.notes[0][1]
    assert s.notes[-1][0] == "red" and "eksport/saker unreadable" in s.notes[-1][1]
    assert s.listing["complete"] is False


def test_empty_horinger_goes_to_fallback():
    s = make_spider(NoStortingetHoringerSpider)
    (request,) = s.parse(file_response(HERE / "horinger_empty.xml", url=HEARINGS))
    assert request.url.startswith(f"{API}/saker")
    assert "eksport/horinger has no hearings" in s.notes[0][1]


def test_empty_body_is_a_failure_not_a_crash():
    s = make_spider(NoStortingetHoringerSpider)
    (request,) = s.parse(TextResponse(url=HEARINGS, body=b"", status=200))
    assert "empty body" in s.notes[0][1]


def test_hearing_without_id_is_a_parse_error_and_the_listing_not_complete():
    body = (HERE / "horinger.xml").read_bytes().replace(b"<id>10006204</id>", b"", 1)
    s = make_spider(NoStortingetHoringerSpider)
    out = list(s.parse(XmlResponse(url=HEARINGS, body=body, encoding="utf-8")))
    assert len(out) == 5
    assert s.crawler.stats.get_value("tracker/parse_errors") == 1
    assert s.listing["complete"] is False


def test_same_primary_case_twice_gets_distinct_ids():
    body = (HERE / "horinger.xml").read_bytes().replace(b"<sak_id>103533</sak_id>", b"<sak_id>107130</sak_id>")
    s = make_spider(NoStortingetHoringerSpider)
    items = drive(s, s.parse(XmlResponse(url=HEARINGS, body=body, encoding="utf-8")), {})
    ids = [i["native_id"] for i in items]
    assert len(set(ids)) == 6 and "sak-107130-h10006204" in ids


# ---------------------------------------------------------------------- the export without a key it had


def doctored(edit, known: dict | None = None):
    """The JSON fixture with `edit(hearing)` applied to every hearing, through the primary channel."""
    data = json.loads((HERE / "horinger.json").read_text("utf-8"))
    for hearing in data["horinger_liste"]:
        edit(hearing)
    s = make_spider(NoStortingetHoringerSpider, known=known or {})
    response = TextResponse(url=HEARINGS, body=json.dumps(data).encode(), encoding="utf-8")
    return s, drive(s, s.parse(response), {url: (file, 200) for url, file in PROGRAM_FIXTURE.items()})


def rename(key: str, new: str, inside: str | None = None):
    def edit(hearing: dict) -> None:
        for obj in ([hearing[inside]] if inside == "komite" else hearing[inside]) if inside else [hearing]:
            if obj is not None:
                obj[new] = obj.pop(key)
    return edit


KNOWN = {i["native_id"]: {"status": "open"} for i in parsed_items}


def test_a_renamed_innspillsfrist_is_red_names_it_and_moves_no_deadline():
    """`innspillsfrist` gone from every hearing (renamed): the export changed, the written-input
    deadline is not known — not «none», and not the deadline to ask to take part in its place."""
    s, items = doctored(rename("innspillsfrist", "innspillsfrist_dato_tid"), known=KNOWN)
    assert s.notes == [("red", "eksport/horinger: field(s) missing from every hearing (6): innspillsfrist "
                               "(has the export changed?): their stored values are kept")]
    assert s.listing["complete"] is False  # nothing vanishes from a list read only in part
    assert len(items) == 6
    for hearing in items:
        assert "deadline" not in hearing  # not observed: the stored deadline is kept
        assert hearing["extra"]["innspillsfrist"] is None and hearing["extra"]["deadline_basis"] is None
    # what the renamed key does not touch is still read
    assert by_id(items, "sak-107130")["extra"]["anmodningsfrist"] == "2026-11-26T12:00:00+01:00"
    assert by_id(items, "sak-107130")["owner"] == "Familie- og kulturkomiteen"


def test_a_renamed_innspillsfrist_reads_the_same_in_the_xml_form():
    body = (HERE / "horinger.xml").read_bytes().replace(b"innspillsfrist>", b"innspillsfrist_dato_tid>")
    s = make_spider(NoStortingetHoringerSpider)
    items = drive(s, s.parse(XmlResponse(url=HEARINGS, body=body, encoding="utf-8")), {})
    assert s.notes[0][0] == "red" and ": innspillsfrist (has the export changed?)" in s.notes[0][1]
    assert all("deadline" not in i for i in items)


def test_a_renamed_komite_is_red_and_leaves_owner_summary_and_committee_as_stored():
    s, items = doctored(rename("komite", "komite_info"), known=KNOWN)
    assert [level for level, _ in s.notes] == ["red"]
    assert "every hearing (6): komite (has the export changed?)" in s.notes[0][1]
    for hearing in items:
        assert "owner" not in hearing and "summary" not in hearing
        assert hearing["extra"]["committee_id"] is None
        assert hearing["title"].startswith("Komitéhøring: ")  # read from the cases: still known
    assert by_id(items, "sak-107130")["deadline"] == "2026-12-01T23:59:59+01:00"


def test_a_renamed_key_of_the_committee_is_named_with_its_parent():
    s, items = doctored(rename("navn", "komitenavn", inside="komite"), known=KNOWN)
    assert "every hearing (6): komite.navn (has the export changed?)" in s.notes[0][1]
    assert all("owner" not in i and "summary" not in i for i in items)
    assert by_id(items, "sak-107130")["extra"]["committee_id"] == "FAMKULT"


def test_a_renamed_key_of_the_sittings_keeps_the_stored_sittings_and_start():
    s, items = doctored(rename("sted", "lokale", inside="horingstidspunkt_liste"), known=KNOWN)
    assert "every hearing (6): horingstidspunkt.sted (has the export changed?)" in s.notes[0][1]
    hearing = by_id(items, "sak-107130")
    assert hearing["extra"]["hearing_times"] is None  # not «no room any more»
    assert hearing["extra"]["hearing_start"] == "2026-12-03T09:00:00+01:00"  # start_dato is still read


def test_an_optional_key_missing_from_every_hearing_of_a_list_is_red_too():
    s, items = doctored(rename("anmodningsfrist_dato_tid", "anmodningsfrist"), known=KNOWN)
    assert "every hearing (6): anmodningsfrist_dato_tid (has the export changed?)" in s.notes[0][1]
    hearing = by_id(items, "sak-103533")  # its only deadline is the one to ask to take part
    assert "deadline" not in hearing and hearing["extra"]["anmodningsfrist"] is None
    assert by_id(items, "sak-107130")["deadline"] == "2026-12-01T23:59:59+01:00"


def test_a_key_the_id_is_read_from_missing_gives_no_items_and_vanishes_nothing():
    s, items = doctored(rename("horing_sak_info_liste", "saker"))
    assert items == []
    assert s.notes == [("red", "eksport/horinger: field(s) missing from every hearing (6): horing_sak_info_liste "
                               "(has the export changed?): no hearing read, the stored ones are kept")]
    assert s.listing["complete"] is False


def test_a_hearing_lacking_a_required_key_alone_is_a_parse_error_and_keeps_that_field():
    data = json.loads((HERE / "horinger.json").read_text("utf-8"))
    del data["horinger_liste"][0]["innspillsfrist"]
    s = make_spider(NoStortingetHoringerSpider)
    routes = {url: (file, 200) for url, file in PROGRAM_FIXTURE.items()}
    items = drive(s, s.parse(TextResponse(url=HEARINGS, body=json.dumps(data).encode(), encoding="utf-8")), routes)
    assert s.notes == []  # the other hearings have it: not a changed export
    assert s.crawler.stats.get_value("tracker/parse_errors") == 1
    first = by_id(items, "sak-107130")
    assert "deadline" not in first and first["extra"]["innspillsfrist"] is None
    assert by_id(items, "sak-105210")["deadline"] == parsed_by_id("sak-105210")["deadline"]


def test_values_given_as_null_are_empty_values_not_a_changed_export():
    """A key given as null (JSON null, XML i:nil) is the export saying «none»: no note, no parse
    error, and the time it gives none of is cleared ("") as before."""
    def nulls(hearing: dict) -> None:
        hearing["innspillsfrist"] = None
        hearing["komite"] = None
        hearing["horingstidspunkt_liste"] = None
    s, items = doctored(nulls)
    assert s.notes == [] and s.listing["complete"] is True
    assert s.crawler.stats.get_value("tracker/parse_errors") is None
    hearing = by_id(items, "sak-107130")
    assert hearing["extra"]["innspillsfrist"] == "" and hearing["extra"]["deadline_basis"] == "anmodningsfrist"
    assert hearing["extra"]["hearing_times"] == [] and "owner" not in hearing


def test_the_real_hearing_object_sources_md_quotes_is_read_without_a_note():
    """docs/sources.md §2 quotes a real hearing object of the JSON form (a public repository's
    fixture, copied from the API). It lacks `anmodningsfrist_dato_tid`, `soknadfrist_dato`, `status`,
    `type` and the cases' `sak_tittel`: a hearing may leave those out, read as null."""
    real = {"id": 10005544, "skriftlig": False, "horing_status": "Avholdt",
            "start_dato": "/Date(1761550200000+0100)/", "innspillsfrist": "/Date(1761083940000+0200)/",
            "komite": {"id": "ARBSOS", "navn": "Arbeids- og sosialkomiteen"},
            # the quote elides this time ("/Date(…)/"): the hearing's start stands in for it
            "horingstidspunkt_liste": [{"sted": "Stortingets komitéhus, Høringssal 1",
                                        "tidspunkt": "/Date(1761550200000+0100)/"}],
            "horing_sak_info_liste": [{"sak_id": 104908, "sak_korttittel": "Statsbudsjettet 2026 (arbeids- og "
                                       "sosialkomiteen)", "sak_henvisning": "Prop. 1 S (2025-2026), Innst. 15 S (2025-2026)"}]}
    s = make_spider(NoStortingetHoringerSpider, as_of="2025-10-20T06:00:00+02:00")
    body = json.dumps({"horinger_liste": [real], "sesjon_id": "2025-2026"}).encode()
    (hearing,) = drive(s, s.parse(TextResponse(url=HEARINGS, body=body, encoding="utf-8")), {})
    assert s.notes == [] and s.listing["complete"] is True
    assert s.crawler.stats.get_value("tracker/parse_errors") is None
    assert hearing["native_id"] == "sak-104908" and hearing["owner"] == "Arbeids- og sosialkomiteen"
    assert hearing["deadline"] == "2025-10-21T23:59:59+02:00"
    assert hearing["extra"]["anmodningsfrist"] == "" and hearing["extra"]["soknadfrist"] == ""


def test_an_unreadable_innspillsfrist_keeps_the_deadline_not_the_one_to_ask_to_take_part(tmp_path):
    xml = (HERE / "horinger.xml").read_text("utf-8")
    (tmp_path / "horinger.xml").write_text(xml.replace(
        "<innspillsfrist>2026-12-01T23:59:00</innspillsfrist>", "<innspillsfrist>tirsdag</innspillsfrist>", 1), "utf-8")
    s, items = primary(str(tmp_path / "horinger.xml"))
    hearing = by_id(items, item["native_id"])
    assert "deadline" not in hearing and hearing["extra"]["deadline_basis"] is None
    assert hearing["extra"]["innspillsfrist"] is None
    assert hearing["extra"]["anmodningsfrist"] == "2026-11-26T12:00:00+01:00"


def parsed_by_id(native_id: str):
    return by_id(parsed_items, native_id)


# ---------------------------------------------------------------------- a web page for the export


def test_a_bot_challenge_page_served_with_http_200_is_named_as_such():
    """A challenge page (Cloudflare's «Just a moment...») with HTTP 200 where the JSON export was
    asked for: the reason says so, in Bokmål, not «answered HTTP 200»."""
    s = make_spider(NoStortingetHoringerSpider)
    routes = {f"{API}/saker?sesjonid=2026-2027&format=json": ("challenge.html", 200)}
    items = drive(s, s.parse(file_response(HERE / "challenge.html", url=HEARINGS)), routes)
    assert items == []
    assert s.notes == [
        ("amber", "fallback channel in use: eksport/saker + eksport/sak HOERFRIST (eksport/horinger answered a bot "
                  "challenge page instead of the JSON export (HTTP 200))"),
        ("red", "fallback failed too: eksport/saker answered a bot challenge page instead of the JSON export (HTTP 200)"),
    ]
    status, reason = assess(SourceRun("no_stortinget_horinger", notes=s.notes))
    assert (status, health_reason(reason, "nb")) == (
        "red", "reserveløsningen feilet også: eksport/saker svarte med en robotsjekkside i stedet for JSON-eksporten "
               "(HTTP 200)")


def test_another_web_page_served_with_http_200_is_named_as_such():
    s = make_spider(NoStortingetHoringerSpider)
    (request,) = s.parse(file_response(HERE / "horinger_500.html", url=HEARINGS, status=200))
    assert request.url.startswith(f"{API}/saker")
    assert s.notes[0][1].endswith("(eksport/horinger answered an HTML page instead of the JSON export (HTTP 200))")


def test_a_challenge_page_for_a_hearing_programme_or_a_case_says_so_not_http_200():
    """eksport/horingsprogram and the fallback's eksport/sak answering a challenge page with HTTP
    200 said «HTTP 200» («some hearing programmes failed (eksport/horingsprogram HTTP 200)»), as if
    the export had failed with an OK: they now say what eksport/horinger says (`_refused`)."""
    s = make_spider(NoStortingetHoringerSpider)
    routes = {url: ("challenge.html", 200) for url in PROGRAM_FIXTURE}
    items = drive(s, s.parse(file_response(HERE / "horinger.xml", url=HEARINGS)), routes)
    assert items and s.crawler.stats.get_value("tracker/program_failed") == len(PROGRAM_FIXTURE)
    program = "eksport/horingsprogram answered a bot challenge page instead of the JSON export (HTTP 200); hearings kept"
    assert s.notes == [("amber", program)]
    status, reason = assess(SourceRun("no_stortinget_horinger", items_seen=len(items), notes=s.notes))
    assert (status, health_reason(reason, "nb")) == (
        "amber", "eksport/horingsprogram svarte med en robotsjekkside i stedet for JSON-eksporten (HTTP 200); "
                 "høringene er beholdt")

    s = make_spider(NoStortingetHoringerSpider)
    s._fallback_outstanding = 1
    assert list(s.parse_case(respond(Request(f"{API}/sak?sakid=107130&format=json"), "challenge.html"),
                             listed={})) == []
    assert s.notes == [("amber", "eksport/sak answered a bot challenge page instead of the JSON export (HTTP 200); "
                                 "hearings of those cases missing this run")]
    assert health_reason(s.notes[0][1], "nb") == (
        "eksport/sak svarte med en robotsjekkside i stedet for JSON-eksporten (HTTP 200); høringene i disse sakene "
        "mangler i denne kjøringen")


def test_a_challenge_page_for_the_sessions_says_so():
    s = make_spider(NoStortingetHoringerSpider)
    (request,) = s.parse_sessions(file_response(HERE / "challenge.html", url=f"{API}/sesjoner?format=json"))
    assert request.url == HEARINGS
    assert s.notes == [("amber", "eksport/sesjoner answered a bot challenge page instead of the JSON export "
                                 "(HTTP 200): session computed from as_of (2026-2027)")]


# ---------------------------------------------------------------------- the replay days through the real engine


@pytest.mark.skipif(not (ROOT / "data/replay/2026-11-24/no_stortinget_horinger").is_dir(), reason="no replay")
def test_replay_days_through_the_engine(tmp_path):
    env = {**os.environ, "NCP_TRACKER_DB": str(tmp_path / "t.db")}

    def cli(*args: str) -> str:
        done = subprocess.run([sys.executable, "-m", "tracker", *args], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr[-2000:]
        return done.stdout

    for day in ("2026-11-23", "2026-11-24"):
        cli("crawl", "--replay", f"data/replay/{day}", "--source", "no_stortinget_horinger", "--no-progress")
    items = [json.loads(line) for line in cli("items", "--format", "jsonl", "--source",
                                              "no_stortinget_horinger").splitlines() if line.strip()]
    assert len(items) >= 44  # 43 listed each day + 1 new, the vanished one kept
    events = [json.loads(line) for line in cli("events", "--format", "jsonl").splitlines() if line.strip()]
    mine = [e for e in events if str(e.get("item_id", "")).startswith("no_stortinget_horinger:")]
    day2 = {(e["kind"], e["item_id"].split(":", 1)[1]) for e in mine if str(e.get("at", "")).startswith("2026-11-24")}
    assert ("new", "sak-105422") in day2
    assert ("deadline_changed", "sak-104763") in day2
    assert ("status_changed", "sak-104555") in day2
    assert ("vanished", "sak-104004") in day2
