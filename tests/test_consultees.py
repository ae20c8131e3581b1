"""Consultee lists as data: parsed from real pages, Kontaktpunktet recognised, stored in
items.consultees / items.ncp_consultee, never read by company extraction or tagging."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest
from support import file_response

from crawlers import consultees, regjeringen
from crawlers.dates import OSLO
from tracker.links import companies
from tracker.store import merge as store
from tracker.store.db import open_db

REAL = "real/no_regjeringen_horinger/quaat_detail_id3167072_2026-07-04.html"
REAL_NN = "real/no_finansdep/quaat_detail_id3168525_2026-07-04.html"
URL = "https://www.regjeringen.no/no/dokumenter/x/id3167072/"


@pytest.mark.parametrize("name", [
    "Kontaktpunktet for ansvarlig næringsliv", "Norges kontaktpunkt for ansvarlig næringsliv",
    "Nasjonalt kontaktpunkt for ansvarlig næringsliv", "Nasjonalt kontaktpunkt for ansvarleg næringsliv",
    "OECDs kontaktpunkt for ansvarlig næringsliv", "OECD-kontaktpunktet", "Kontaktpunktet",
    "Norges nasjonale kontaktpunkt for OECDs retningslinjer for flernasjonale selskaper",
    "KONTAKTPUNKTET FOR ANSVARLIG NÆRINGSLIV", "Kontaktpunktet for ansvarlig  næringsliv (OECD)",
    "National Contact Point for Responsible Business Conduct Norway", "OECD National Contact Point of Norway",
    "Norwegian NCP for Responsible Business Conduct",
])  # fmt: skip
def test_kontaktpunktet_is_recognised_in_every_spelling(name):
    assert consultees.is_ncp(name)


@pytest.mark.parametrize("name", [
    "Nasjonalt kontaktpunkt for helsetjenester", "Næringslivets hovedorganisasjon (NHO)", "Norad",
    "Forbrukertilsynet", "Kontaktpunkt for pasientrettigheter", "Ansvarlig Næringsliv AS", "",
    "Nasjonalt kontaktpunkt for Horisont Europa",
])  # fmt: skip
def test_other_bodies_are_not_kontaktpunktet(name):
    assert not consultees.is_ncp(name)


def test_real_bokmal_list_one_p_per_organisation():
    found = consultees.parse_consultees(file_response(REAL, URL))
    names = [c["name"] for c in found]
    assert len(names) == 134  # 135 paragraphs, "NORAD" and "Norad" are one organisation
    assert names[:3] == ["Animalia", "Apotek 1", "Apotekerforeningen"]
    assert "Solberg & Hansen AS" in names  # the entity decoded, one name
    assert "WWF – Norge, Verdens Naturfond" in names
    assert all(c["orgnr"] is None for c in found)  # the page gives no org numbers
    assert consultees.ncp_consultee(found) is False


def test_real_nynorsk_list_split_at_line_breaks():
    found = consultees.parse_consultees(file_response(REAL_NN, URL))
    names = [c["name"] for c in found]
    assert len(names) == 28
    assert names[0] == "Arbeids- og inkluderingsdepartementet"
    assert "Kommunal- og distriktsdepartementet" in names  # trailing space inside the <br> line
    assert names[-1] == "Økonomiforbundet"
    assert not any("<" in n or "\n" in n for n in names)


def test_org_number_on_the_page_is_kept_and_names_without_one_get_none():
    html = ('<div id="horingsinstanser"><p>Brødrene Ærø &amp; Søn ASA (org.nr. 987 654 321)</p>'
            "<p>Kontaktpunktet for ansvarlig næringsliv<br>Datatilsynet</p></div>")
    found = consultees.parse_consultees(_page(html))
    assert found == [{"name": "Brødrene Ærø & Søn ASA", "orgnr": "987654321"},
                     {"name": "Kontaktpunktet for ansvarlig næringsliv", "orgnr": None},
                     {"name": "Datatilsynet", "orgnr": None}]
    assert consultees.ncp_consultee(found) is True


def test_a_linked_pdf_list_is_unknown_not_empty():
    html = '<div id="horingsinstanser"><p><a href="/contentassets/ab/liste.pdf">Liste over høringsinstanser</a> (pdf)</p></div>'
    assert consultees.parse_consultees(_page(html)) is None
    assert consultees.parse_consultees(_page("<p>no list</p>")) is None
    assert consultees.ncp_consultee(None) is None


def _page(fragment: str):
    from scrapy.http import HtmlResponse

    body = f"<html><body><main><div class='article-body'>{fragment}</div></main></body></html>"
    return HtmlResponse(url=URL, body=body.encode(), encoding="utf-8")


def test_consultees_stay_out_of_body_so_companies_are_only_those_in_the_text():
    response = file_response(REAL, URL)
    body = regjeringen.parse_body(response)
    assert "Vi viser til Miljødirektoratets brev" in body
    for consultee in ("ASKO NORGE AS", "Norske Skog ASA", "Tine AS", "Animalia", "Øst politidistrikt"):
        assert consultee not in body
    assert "Send inn høringssvar" not in body
    assert companies.extract_item({"title": "Kort høring", "summary": "", "body": body}) == []
    # the same page read as before (the whole article body) made ~30 "companies" of the consultees
    whole = "\n".join(t.strip() for t in response.css(".article-body ::text").getall() if t.strip())
    assert len(companies.extract_item({"title": "", "summary": "", "body": whole})) >= 20


# ------------------------------------------------------------------ the store

AS_OF = datetime(2026, 11, 24, 6, tzinfo=OSLO)


def _scrape(db, items, as_of=AS_OF):
    run = store.start_run(db, as_of=as_of, mode="test", sources=["no_regjeringen_horinger"])
    store.apply_scrape(db, run_id=run, as_of=as_of, source="no_regjeringen_horinger", items=items,
                       listing={"complete": False})
    return run


def _hearing(names, ncp):
    return {"source": "no_regjeringen_horinger", "kind": "hearing", "native_id": "3150100",
            "url": "https://www.regjeringen.no/no/dokumenter/csddd/id3150100/", "title": "Høring – CSDDD",
            "deadline": "2027-01-15T23:59:59+01:00", "status_raw": "På høring",
            "consultees": [{"name": n, "orgnr": None} for n in names], "ncp_consultee": ncp}


def test_stored_with_ncp_consultee_and_a_changed_list_is_an_updated_event(tmp_path):
    db = open_db(tmp_path / "t.db")
    _scrape(db, [_hearing(["Datatilsynet", "Kontaktpunktet for ansvarlig næringsliv"], True)])
    row = db["items"].get("regjeringen:3150100")
    assert row["ncp_consultee"] == 1
    assert json.loads(row["consultees"])[1] == {"name": "Kontaktpunktet for ansvarlig næringsliv", "orgnr": None}
    first_hash = row["content_hash"]
    # same list again: nothing happens
    run = _scrape(db, [_hearing(["Datatilsynet", "Kontaktpunktet for ansvarlig næringsliv"], True)],
                  AS_OF + timedelta(days=1))
    assert list(db.query("select kind from events where run_id = ?", [run])) == []
    # Kontaktpunktet dropped from the list: an `updated` event on consultees; not a content change
    run = _scrape(db, [_hearing(["Datatilsynet"], False)], AS_OF + timedelta(days=2))
    (event,) = db.query("select kind, field, before, after from events where run_id = ?", [run])
    assert (event["kind"], event["field"]) == ("updated", "consultees")
    assert "Kontaktpunktet" in event["before"] and "Kontaktpunktet" not in event["after"]
    row = db["items"].get("regjeringen:3150100")
    assert row["ncp_consultee"] == 0 and row["content_hash"] == first_hash


def test_an_item_without_a_list_keeps_the_stored_one(tmp_path):
    db = open_db(tmp_path / "t.db")
    _scrape(db, [_hearing(["Kontaktpunktet"], True)])
    blocked = {k: v for k, v in _hearing([], None).items() if k not in ("consultees", "ncp_consultee")}
    run = _scrape(db, [blocked], AS_OF + timedelta(days=1))
    assert list(db.query("select kind from events where run_id = ?", [run])) == []
    assert db["items"].get("regjeringen:3150100")["ncp_consultee"] == 1


def test_block_html_is_what_parsel_gives_on_every_recorded_page():
    """The list's blocks are read with lxml directly; the HTML must be parsel's, byte for byte."""
    from pathlib import Path

    from scrapy.http import HtmlResponse

    root = Path(__file__).resolve().parent.parent
    xpath = (".//p[not(.//a[contains(@href, '/contentassets/')])]"
             " | .//li[not(.//a[contains(@href, '/contentassets/')])]")
    lists = 0
    for path in sorted(p for d in (root / "data" / "replay", root / "tests" / "fixtures") for p in d.rglob("*.htm*")):
        response = HtmlResponse(url=URL, body=path.read_bytes(), encoding="utf-8")
        for box in response.css("#horingsinstanser"):
            lists += 1
            assert consultees.block_html(box.root) == [b.get() for b in box.xpath(xpath)], path
    assert lists >= 100


# ------------------------------------------------------------------ a list linked as a file


def _real_names() -> list[str]:
    """The 134 organisations of the real bokmål list (id3167072)."""
    return [c["name"] for c in consultees.parse_consultees(file_response(REAL, URL))]


@pytest.mark.parametrize(("lines", "names"), [
    # a name over two lines: a lower-case start, a joining word, «Arbeids- og», a hyphenated word
    (["Kontaktpunktet for ansvarlig", "næringsliv"], ["Kontaktpunktet for ansvarlig næringsliv"]),
    (["Nasjonalt kontaktpunkt for", "ansvarlig næringsliv"], ["Nasjonalt kontaktpunkt for ansvarlig næringsliv"]),
    (["Arbeids- og", "inkluderingsdepartementet"], ["Arbeids- og inkluderingsdepartementet"]),
    (["Nærings-", "og fiskeridepartementet"], ["Nærings- og fiskeridepartementet"]),
    (["Norges Rederi-", "forbund"], ["Norges Rederiforbund"]),
    (["Næringslivets hovedorganisasjon", "(NHO)"], ["Næringslivets hovedorganisasjon (NHO)"]),
    # markers, the title, page numbers, dates, references and headings ending in a colon dropped
    (["Høringsliste", "1. Datatilsynet", "• Norad", "– Sametinget", "Side 2 av 3", "3", "24.11.2026",
      "Vår ref.: 26/3318", "Departementer:"], ["Datatilsynet", "Norad", "Sametinget"]),
    # addresses, where a list gives them; a company whose name starts with digits is kept
    (["Norad", "Postboks 1303 Vika", "0112 Oslo", "post@norad.no", "www.norad.no", "3M Norge AS", "1881 AS"],
     ["Norad", "3M Norge AS", "1881 AS"]),
    # the same organisation twice (case, dashes) once; an org number split off
    (["NORAD", "Norad", "Foo AS (org.nr. 123 456 789)"], ["NORAD", "Foo AS"]),
])  # fmt: skip
def test_names_from_the_lines_of_a_list_file(lines, names):
    assert [c["name"] for c in consultees.parse_consultee_lines(lines)] == names


def test_lines_that_read_as_prose_are_no_list():
    names = consultees.parse_consultee_lines(["Departementet sender med dette forslaget på høring.", "Norad"])
    assert not consultees.reads_as_a_list(names) and not consultees.reads_as_a_list([])
    assert consultees.reads_as_a_list(consultees.parse_consultee_lines(["Datatilsynet", "Norad", "Sametinget"]))


def test_names_from_the_lines_of_a_list_file_real_names_in_a_generated_pdf(tmp_path):
    """A list file as ministries lay it out (title and group headings in bold, one name a line,
    a page number in the footer), with the 134 real names of id3167072 and Kontaktpunktet: every
    name comes back whole and in order — none of the headings, page numbers or the title."""
    from docgen import write_list_pdf

    from tracker.documents.extract import list_lines

    names = _real_names()
    names.insert(70, "Kontaktpunktet for ansvarlig næringsliv")
    path = tmp_path / "liste.pdf"
    write_list_pdf("Høringsinstanser", [("Departementene", names[:20]), ("Organisasjoner og virksomheter", names[20:])],
                   width_pt=230, path=path)
    found = consultees.parse_consultee_lines(list_lines(path, "pdf"))
    assert [c["name"] for c in found] == names
    assert consultees.ncp_consultee(found) is True
    # in a narrow column, Kontaktpunktet's name runs over lines and is still one name
    write_list_pdf("Høringsinstanser", [("Organisasjoner", ["Datatilsynet", "Kontaktpunktet for ansvarlig næringsliv",
                                                          "Næringslivets hovedorganisasjon (NHO)"])],
                   width_pt=90, path=path)
    lines = list_lines(path, "pdf")
    assert "Kontaktpunktet for ansvarlig næringsliv" not in lines  # broken over lines in the file
    assert [c["name"] for c in consultees.parse_consultee_lines(lines)] == [
        "Datatilsynet", "Kontaktpunktet for ansvarlig næringsliv", "Næringslivets hovedorganisasjon (NHO)"]


def test_a_hearing_whose_list_is_only_a_file_needs_input_when_the_file_names_the_ncp(tmp_path):
    """An older regjeringen.no page links «Liste over høringsinstanser» (PDF) instead of listing the
    names: the NCP was never known to be a consultee, and a hearing on a subject the tagger finds
    weak stayed out of «Trenger innspill». Now the list file is fetched and read for its names
    (never tagged: a list of names is no evidence), the item gets the list with an `updated`
    event, and the morning read says «Kontaktpunktet er høringsinstans». A page that later lists
    the names itself wins; a new version of the file is read again."""
    from docgen import write_list_pdf

    import tracker.digest as digest
    from tracker.documents import pipeline
    from tracker.documents import store as dstore
    from tracker.jobs.tagging import tag_store

    db = open_db(tmp_path / "t.db")
    link = regjeringen.parse_documents(_page(
        '<div class="factbox"><div id="horingsinstanser"><h2>Høringsinstanser</h2>'
        '<p><a href="/contentassets/ab/liste.pdf">Liste over høringsinstanser</a> (pdf)</p></div></div>'))
    assert consultees.parse_consultees(_page('<div id="horingsinstanser"><p><a href="/contentassets/ab/liste.pdf">'
                                             'Liste over høringsinstanser</a></p></div>')) is None
    hearing = {"source": "no_regjeringen_horinger", "kind": "hearing", "native_id": "2477095",
               "url": "https://www.regjeringen.no/no/dokumenter/hoyring/id2477095/",
               "title": "Høring – endringer i forskrift om offentlige anskaffelser (terskelverdier)",
               "deadline": "2026-12-18T23:59:59+01:00", "status_raw": "På høring", "documents": link,
               "extra": {"detail": "ok"}}
    _scrape(db, [hearing])
    tag_store(db)
    item = db["items"].get("regjeringen:2477095")
    assert item["consultees"] is None and item["ncp_consultee"] is None and not item["relevant"]
    from tracker.documents.fetch import pending_links

    assert [x["url"] for x in pending_links(db)] == [link[0]["url"]]
    root = tmp_path / "documents"

    def fetched(names, at):
        body = write_list_pdf("Høringsinstanser", [("Organisasjoner", names)], width_pt=230)
        dstore.record_fetch(db, {"item_id": "regjeringen:2477095", "url": link[0]["url"], "title": link[0]["title"],
                                 "type": "høringsinstanser", "status": "ok", "kind": "pdf", "body": body,
                                 "content_type": "application/pdf", "etag": None, "http_status": 200},
                            root=root, at=at)
        return pipeline.read_and_match(db, at=at, run_id=None, provisions=[])

    names = _real_names()[:40] + ["Kontaktpunktet for ansvarlig næringsliv"]
    assert fetched(names, "2026-11-24T05:10:00+00:00")["consultee_lists"] == 1
    item = db["items"].get("regjeringen:2477095")
    assert item["ncp_consultee"] == 1 and len(json.loads(item["consultees"])) == 41
    assert json.loads(item["extra"])["consultees_from"]["url"] == link[0]["url"]
    (event,) = db.query("select kind, field, before, after from events where item_id = ? and kind = 'updated'",
                        ["regjeringen:2477095"])
    assert event["field"] == "consultees" and "Kontaktpunktet" in event["after"]
    # the list was read, not tagged: no labels, no evidence, the item's relevance as it was
    sections = list(db.query("select labels, relevant from document_sections"))
    assert sections and all(s["labels"] == "[]" and not s["relevant"] for s in sections)
    # nor given a language (a list of names; "": none, not a file read before languages were kept)
    assert [r["language"] for r in db.query("select language from document_files")] == [""]
    assert db["items"].get("regjeringen:2477095")["relevance"] == item["relevance"] and not item["relevant"]
    from tracker.documents.view import item_documents

    (doc,) = item_documents(db, "regjeringen:2477095")
    assert doc["state"] == "lest for navnene (en liste over høringsinstanser, ikke merket), 1 side"
    md = digest.render_markdown(digest.build_digest(db, as_of=AS_OF + timedelta(hours=1)))
    needs = md.split("## Trenger innspill", 1)[1].split("\n## ", 1)[0]
    assert "terskelverdier" in needs and "Kontaktpunktet er høringsinstans" in needs
    # the same file again: nothing; the next crawl of the page (no names on it) keeps the list
    assert fetched(names, "2026-11-25T05:10:00+00:00")["consultee_lists"] == 0
    _scrape(db, [hearing], AS_OF + timedelta(days=2))
    assert db["items"].get("regjeringen:2477095")["ncp_consultee"] == 1
    # a new version of the file without Kontaktpunktet: read again, an updated event
    assert fetched(names[:40], "2026-11-27T05:10:00+00:00")["consultee_lists"] == 1
    assert db["items"].get("regjeringen:2477095")["ncp_consultee"] == 0
    # the page lists the names itself: its list wins, the file is not read over it
    inline = {**hearing, "consultees": [{"name": "Datatilsynet", "orgnr": None},
                                        {"name": "Kontaktpunktet", "orgnr": None}], "ncp_consultee": True}
    _scrape(db, [inline], AS_OF + timedelta(days=4))
    assert "consultees_from" not in json.loads(db["items"].get("regjeringen:2477095")["extra"])
    assert fetched(names[:10], "2026-11-29T05:10:00+00:00")["consultee_lists"] == 0
    item = db["items"].get("regjeringen:2477095")
    assert item["ncp_consultee"] == 1 and len(json.loads(item["consultees"])) == 2


def test_a_letter_linked_in_the_lists_place_leaves_the_list_unknown(tmp_path):
    """A file linked as the list that is running text (a letter, a note) gives no consultees: its
    lines are not names, and Kontaktpunktet mentioned in the text is not Kontaktpunktet asked."""
    from docgen import Spec, write_pdf

    from tracker.documents import pipeline
    from tracker.documents import store as dstore

    db = open_db(tmp_path / "t.db")
    url = "https://www.regjeringen.no/contentassets/ab/liste.pdf"
    _scrape(db, [{"source": "no_regjeringen_horinger", "kind": "hearing", "native_id": "3100001", "title": "Høring – x",
                  "url": "https://www.regjeringen.no/no/dokumenter/x/id3100001/", "status_raw": "På høring",
                  "documents": [{"title": "Liste over høringsinstanser", "url": url, "type": "høringsinstanser"}]}])
    letter = Spec("Høringsbrev", [("1", "Innledning", [
        "Departementet sender med dette på høring et forslag til endringer i åpenhetsloven. Kontaktpunktet "
        "for ansvarlig næringsliv har bidratt i arbeidet med veiledningen, og vi ber om merknader innen fristen.",
        "Forslaget gjennomfører deler av direktivet om aktsomhetsvurderinger. Høringsnotatet ligger ved."])])
    dstore.record_fetch(db, {"item_id": "regjeringen:3100001", "url": url, "title": "Liste over høringsinstanser",
                             "type": "høringsinstanser", "status": "ok", "kind": "pdf", "body": write_pdf(letter),
                             "content_type": "application/pdf", "etag": None, "http_status": 200},
                        root=tmp_path / "documents", at="2026-11-24T05:10:00+00:00")
    assert pipeline.read_and_match(db, at="2026-11-24T05:10:00+00:00", provisions=[])["consultee_lists"] == 0
    item = db["items"].get("regjeringen:3100001")
    assert item["consultees"] is None and item["ncp_consultee"] is None
