"""The shared Stortinget client (crawlers/stortinget.py): both forms of the API, the real 2012 XML
capture, and both Stortinget spiders reading it."""

from __future__ import annotations

import hashlib
from dataclasses import asdict
from datetime import datetime

import pytest
import scrapy

from crawlers import stortinget as api
from crawlers.dates import OSLO
from crawlers.spiders.no_stortinget_horinger import NoStortingetHoringerSpider
from crawlers.spiders.no_stortinget_spu import NoStortingetSpuSpider
from tests.conftest import FIXTURES, file_response, make_spider

REAL = FIXTURES / "real" / "no_stortinget_horinger" / "hdo_saker_2011-2012_excerpt_2012-04.xml"
TWIN = FIXTURES / "no_stortinget_horinger" / "saker_2011-2012_excerpt.json"
HERE = FIXTURES / "no_stortinget_horinger"


def root(path) -> api.Node:
    node, error = api.read(path.read_bytes())
    assert error is None, error
    return node


@pytest.fixture(scope="module")
def real_cases() -> list[api.Case]:
    return api.cases(root(REAL))


def test_the_real_capture_is_the_verbatim_one():
    body = REAL.read_bytes()
    assert hashlib.sha256(body).hexdigest() == "92b89d3e98c6458e936e6e05b986b41fab190fa19caef9524c95c4841576bd8c"
    assert b"\r\n" in body and b'xmlns="http://data.stortinget.no"' in body


def test_every_case_of_the_real_capture_is_read(real_cases):
    assert len(real_cases) == 55
    assert all(c.id.isdigit() and c.title for c in real_cases)
    assert {c.status for c in real_cases} == {"behandlet", "mottatt", "til_behandling"}
    assert sorted({c.type for c in real_cases}) == ["alminneligsak", "budsjett", "lovsak"]


def test_real_capture_nil_minus_one_and_lists(real_cases):
    first = real_cases[0]
    assert first.id == "53520" and first.reference == "Prop. 90 S (2011-2012)"
    assert first.committee is None  # <komite i:nil="true" />
    assert first.session_treated is None  # <behandlet_sesjon_id i:nil="true" />
    assert first.recommendation_id is None  # <innstilling_id>-1</innstilling_id>
    assert [(t.name, t.main) for t in first.topics] == [
        ("UTENRIKSSAKER", True), ("TRAKTATER", False), ("NORDISK SAMARBEID", False)]
    assert first.rapporteurs == []  # <saksordfoerer_liste />
    assert first.updated == datetime(2012, 4, 20, tzinfo=OSLO)
    assert sum(1 for c in real_cases if c.recommendation_id) == 10
    assert "10780" in {c.recommendation_id for c in real_cases}


def test_real_capture_committee_and_rapporteur(real_cases):
    fund = next(c for c in real_cases if c.id == "53370")
    assert fund.title == "Forvaltningen av Statens pensjonsfond i 2011"
    assert fund.committee == api.Committee("FINANS", "Finanskomiteen")
    assert fund.rapporteurs == ["Irene Johansen (A)"]
    assert "NORGES BANK" in {t.name for t in fund.topics}


def test_a_title_broken_over_a_crlf_is_one_line(real_cases):
    report = next(c for c in real_cases if c.id == "53294")
    assert report.title == "Rapport til Stortinget fra Norges Banks representantskap for 2011"


def test_the_json_twin_reads_the_same(real_cases):
    assert [asdict(c) for c in api.cases(root(TWIN))] == [asdict(c) for c in real_cases]


@pytest.mark.parametrize(("xml", "json_"), [("horinger.xml", "horinger.json"), ("sesjoner.xml", "sesjoner.json"),
                                            ("sak-107130.xml", "sak-107130.json")])
def test_both_forms_of_the_constructed_fixtures_read_the_same(xml, json_):
    a, b = root(HERE / xml), root(HERE / json_)
    assert api.hearings(a) == api.hearings(b)
    assert api.current_session(a) == api.current_session(b)
    assert asdict(api.case_detail(a)) == asdict(api.case_detail(b))


def test_tolerant_json_variants():
    node, _ = api.read(b'{"saker_liste": {"sak": [{"id": 1, "tittel": "  A\\r\\n b ", "komite": null,'
                       b' "emne_liste": null, "innstilling_id": "-1", "sist_oppdatert_dato": "/Date(-62135596800000)/"}]}}')
    (case,) = api.cases(node)
    assert (case.id, case.title, case.committee, case.topics, case.recommendation_id, case.updated) == (
        "1", "A b", None, [], None, None)


@pytest.mark.parametrize(("body", "why"), [(b"", "empty body"), (b"[1, 2]", "not an object"),
                                           (b"{broken", "JSON"), (b"<a><b></a>", "XML")])
def test_unreadable_answers_say_why(body, why):
    node, error = api.read(body)
    assert node is None and why in error


def test_spu_spider_reads_the_real_xml_list():
    spider = make_spider(NoStortingetSpuSpider, as_of="2012-04-25T06:00:00+02:00", sessions="2011-2012")
    out = list(spider.parse(file_response(REAL, api.cases_url("2011-2012")), session="2011-2012"))
    requests = {r.url: r.cb_kwargs["item"] for r in out if isinstance(r, scrapy.Request)}
    items = {i["native_id"]: i for i in requests.values()}
    assert set(items) == {"53370", "53294"}  # the fund's white paper; Norges Bank's supervisory council
    assert items["53370"]["extra"]["matched_by"] == "title"
    assert items["53294"]["extra"]["matched_by"] == "komite"
    assert items["53370"]["owner"] == "Finanskomiteen"
    assert items["53370"]["extra"]["updated"] == "2012-04-12T00:00:00+02:00"
    assert api.case_url("53370") in requests
    assert spider.notes == []


def test_hearings_fallback_reads_the_real_xml_list():
    spider = make_spider(NoStortingetHoringerSpider, as_of="2012-04-25T06:00:00+02:00")
    requests = list(spider.parse_cases(file_response(REAL, api.cases_url("2011-2012"))))
    ids = [r.cb_kwargs["listed"].id for r in requests]
    # pending (not behandlet) cases with a committee, newest update first
    real = api.cases(root(REAL))
    expected = [c for c in real if c.status != "behandlet" and c.committee]
    assert sorted(ids) == sorted(c.id for c in expected) and len(ids) == len(expected) > 0
    updated = [next(c.updated for c in real if c.id == i) for i in ids]
    assert updated == sorted(updated, reverse=True)
    assert all(r.url.endswith("&format=json") for r in requests)


def test_a_key_given_as_nil_or_null_is_there_and_a_key_left_out_is_not():
    """The real capture gives an empty committee as ``<komite i:nil="true" />`` (its JSON twin as
    null): the key is there, its value empty. A key the answer does not have is not there — what
    `Hearing.absent` and `missing_keys` stand on (a renamed key is a changed export)."""
    for first in (root(REAL).items("saker_liste")[0], root(TWIN).items("saker_liste")[0]):
        assert first.has("komite") and first.node("komite") is None
        assert first.has("innstilling_id") and not first.has("innspillsfrist")


def test_missing_keys_tells_a_renamed_key_from_values_given_as_null():
    node, _ = api.read((HERE / "horinger.xml").read_bytes())
    assert api.missing_keys(api.hearings(node)) == []
    renamed, _ = api.read((HERE / "horinger.xml").read_bytes().replace(b"<komite>", b"<utvalg>")
                          .replace(b"</komite>", b"</utvalg>").replace(b"<komite ", b"<utvalg "))
    assert api.missing_keys(api.hearings(renamed)) == ["komite"]
    nil, _ = api.read((HERE / "horinger.xml").read_bytes().replace(b"<skriftlig>false</skriftlig>",
                                                                   b'<skriftlig i:nil="true" />'))
    assert api.missing_keys(api.hearings(nil)) == []


# ---------------------------------------------------------------- the status and type fields drifting


def test_the_real_export_gives_the_known_status_and_type_words_and_so_does_every_fixture():
    """The words the drift check knows are the real 2011-2012 `eksport/saker`'s (the ground truth),
    in both forms; no fixture or replayed day of ours gives another."""
    for path in (REAL, TWIN):
        cases = root(path).items("saker_liste")
        assert {c.text("status") for c in cases} == {"behandlet", "mottatt", "til_behandling"}
        assert {c.text("type") for c in cases} == {"alminneligsak", "budsjett", "lovsak"}
        assert api.drift(cases, api.CASE_VALUES, "eksport/saker") == []
    for path in [*FIXTURES.glob("no_stortinget_*/saker*.json"), *(FIXTURES.parent.parent / "data/replay").glob(
            "*/no_stortinget_spu/saker*.json")]:
        assert api.drift(root(path).items("saker_liste"), api.CASE_VALUES, "eksport/saker") == [], path
    assert api.drift(root(HERE / "horinger.json").items("horinger_liste"), api.HEARING_VALUES, "eksport/horinger") == []


def _changed(cases: list[dict]) -> bytes:
    import json

    return json.dumps({"sesjon_id": "2025-2026", "saker_liste": cases}).encode()


def _health(spider) -> tuple[str, str]:
    from tracker.store.health import SourceRun, assess
    from tracker.vocabulary import health_reason

    status, reason = assess(SourceRun(spider.name, items_seen=2, notes=spider.notes,
                                      stats=spider.crawler.stats.get_stats()))
    return status, health_reason(reason, "nb")


def test_a_case_status_or_type_of_a_changed_shape_or_word_turns_health_amber_naming_it():
    """`status` and `type` were read without a check: a status become an object read as none (the
    case's status silently unknown), a new word went by (the fund's cases and the fallback's
    pending cases are chosen by it), a renamed key emptied every case — the source stayed green.
    Health says which field changed and how now, in the reader's language."""
    case = {"id": 105870, "tittel": "Statens pensjonsfond utland 2026", "komite": {"id": "FINANS", "navn": "Finanskomiteen"}}
    sp = make_spider(NoStortingetSpuSpider)
    body = _changed([{**case, "status": {"id": "behandlet", "navn": "Behandlet"}, "type": "alminneligsak"},
                     {**case, "id": 105871, "status": "til_behandling", "type": "lovforslag"},
                     {**case, "id": 105872, "status": "Ferdig", "type": "lovforslag"}])
    list(sp.parse(scrapy.http.TextResponse(api.cases_url("2025-2026"), body=body, encoding="utf-8"),
                  session="2025-2026"))
    assert _health(sp) == ("amber", "eksport/saker: ukjente verdier i feltet 'status': 'Ferdig' ×1, {…} ×1 (er eksporten "
                                    "endret?); eksport/saker: ukjente verdier i feltet 'type': 'lovforslag' (er "
                                    "eksporten endret?)")
    # a renamed key: no case has it any more
    sp = make_spider(NoStortingetSpuSpider)
    body = _changed([{**case, "saksstatus": "behandlet", "type": "lovsak"}, {**case, "id": 105871, "type": "lovsak"}])
    list(sp.parse(scrapy.http.TextResponse(api.cases_url("2025-2026"), body=body, encoding="utf-8"),
                  session="2025-2026"))
    assert _health(sp) == ("amber", "eksport/saker: feltet 'status' mangler i alle oppføringene (2) (er eksporten "
                                    "endret?)")


def test_a_hearings_status_fields_of_a_changed_shape_turn_health_amber():
    """A hearing's `status`, `status_info_tekst` («Høringen er avlyst.») and `type` become objects
    read as none, silently; health names the field now. Their words are not known from any real
    answer, so only their shape is checked (text or null)."""
    import json

    data = json.loads((HERE / "horinger.json").read_text("utf-8"))
    data["horinger_liste"][0]["status_info_tekst"] = {"tekst": "Høringen er avlyst.", "kode": "AVLYST"}
    sp = make_spider(NoStortingetHoringerSpider)
    sp.session = "2025-2026"
    list(sp.parse(scrapy.http.TextResponse(api.hearings_url("2025-2026"), body=json.dumps(data).encode(),
                                           encoding="utf-8")))
    status, line = _health(sp)
    assert (status, line) == ("amber", "eksport/horinger: ukjente verdier i feltet 'status_info_tekst': {…} (er "
                                       "eksporten endret?)"), line
