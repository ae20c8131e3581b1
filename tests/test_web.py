"""Web workbench through Flask's test client (one person on loopback, no accounts): pages, CSRF,
escaping, host, drafts, the remembered name, read-only database, watchlist/GPFG/companies pages."""

from __future__ import annotations

import html as html_lib
import io
import json
import re
from datetime import datetime
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from docx import Document
from web_support import AS_OF, make_app

from crawlers.dates import OSLO
from tests.browser.seed import ANNOUNCED_TITLE as ANNOUNCED
from tests.browser.seed import COMMITTEE, EU, HEARING, HEARING_FISH, HEARING_OLD, announce
from tracker.store.db import open_db
from tracker.web.app import WebConfigError, create_app, highlight, word_diff


@pytest.fixture
def client(db_path):
    return make_app(db_path).test_client()


def _csrf(client, url):
    html = client.get(url).get_data(as_text=True)
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


def test_inbox_lists_needs_input_by_urgency(client):
    html = client.get("/").get_data(as_text=True)
    assert "Endringer i regnskapsloven" in html
    assert html.index("Endringer i regnskapsloven") < html.index("Høring - endringer i åpenhetsloven")
    assert HEARING_OLD not in html  # closed


def test_inbox_heads_a_committee_hearing_by_its_deadline_to_ask_to_speak(db_path):
    """Written input by Thursday next week, asking to speak by Thursday this week: the web inbox
    lists the hearing under "Denne uken", with the asking deadline first in its deadline cell."""
    import json

    def window_of(html: str) -> str:
        at = html.index("Endringer i regnskapsloven")
        return re.findall(r'<tbody class="window" id="window-(\w+)">', html[:at])[-1]

    assert window_of(make_app(db_path).test_client().get("/").get_data(as_text=True)) == "next_week"
    db = open_db(db_path)
    with db.conn:
        db["items"].update(COMMITTEE, {"extra": json.dumps({
            "deadline_basis": "innspillsfrist", "anmodningsfrist": "2026-11-26T12:00:00+01:00",
            "innspillsfrist": "2026-12-03T12:00:00+01:00"})})
    db.close()
    html = make_app(db_path).test_client().get("/").get_data(as_text=True)
    assert window_of(html) == "this_week"
    at = html.index("Endringer i regnskapsloven")
    cell = html[html.rindex("<tr", 0, at):at]
    assert re.search(r'<td class="deadline"[^>]*><div class="deadline-line">Be om å delta innen: tor\. 26\.11\.2026 kl\. 12\.00</div>', cell)
    assert '<td class="num" data-label="Virkedager">2</td>' in cell  # to the asking deadline, as the week


@pytest.mark.parametrize(("day", "shown"), [(datetime(2026, 11, 30, 6, tzinfo=OSLO), "tor. 03.12.2026 kl. 12.00"),
                                            (datetime(2026, 12, 3, 9, tzinfo=OSLO), "frist i dag kl. 12.00")])
def test_deadlines_are_said_on_the_workbenchs_clock(db_path, day, shown):
    """The deadline text ("frist i dag") was said of the machine's day, not the workbench's
    (`as_of`): a store served on another day said "today" of a deadline three working days ahead."""
    html = make_app(db_path, as_of=day).test_client().get(f"/item/{COMMITTEE}").get_data(as_text=True)
    assert re.search(r'<dd id="deadlines">(.*?)</dd>', html, re.S).group(1) == f'<div class="deadline-line">{shown}</div>'


def test_an_item_page_with_two_eu_families_has_each_id_once(db_path):
    """An item of two watched EU files (regjeringen:3150137 in the demo has three) showed each
    family's stages as id="stage-proposal" …, once per family: an anchor led to the first, and a
    screen reader's or a test's look-up by id found the wrong family's stage."""
    from html.parser import HTMLParser

    db = open_db(db_path)
    with db.conn:
        extra = json.loads(db["items"].get(HEARING)["extra"] or "{}")
        db["items"].update(HEARING, {"extra": json.dumps({**extra, "watch": ["csddd", "csrd"]})})
        for proc, watch, number in (("eu_oeil:2022/0051(COD)", "csddd", 71), ("eu_oeil:2021/0104(COD)", "csrd", 189)):
            for seq, stage in enumerate(("proposal", "ep_position")):
                db["document_stages"].insert({
                    "item_id": proc, "url": f"https://eur-lex.europa.eu/{watch}/{stage}", "watch": watch,
                    "stage": stage, "seq": seq, "reference": f"COM(2022)0{number}", "date": "2022-02-23",
                    "event": "Legislative proposal published", "title": watch, "found_at": "2026-11-20T05:00:00+00:00"})
    db.close()
    page = make_app(db_path).test_client().get(f"/item/{HEARING}").get_data(as_text=True)

    class Ids(HTMLParser):
        def __init__(self):
            super().__init__()
            self.ids: list[str] = []

        def handle_starttag(self, tag, attrs):
            self.ids += [v for k, v in attrs if k == "id"]

    parser = Ids()
    parser.feed(page)
    assert [i for i in parser.ids if parser.ids.count(i) > 1] == []
    stages = [i for i in parser.ids if "stage-" in i]
    assert stages == ["family-1-stage-proposal", "family-1-stage-ep_position", "family-2-stage-proposal",
                      "family-2-stage-ep_position"]
    # the Observatory's own words for the stage's event, English on a Bokmål page: marked so
    from test_language_of_parts import langs_of

    assert langs_of(page, "Legislative proposal published") == {"en"}


def test_item_page_shows_evidence_history_answers(client):
    html = client.get(f"/item/{HEARING}").get_data(as_text=True)
    assert '<mark class="ev" title="Kap. V Arbeidsliv">tvangsarbeid</mark>' in html  # the label by name
    assert "<ins>" in html and ">frist endret<" in html  # readable diff of changes, the change by name
    assert ">deadline_changed<" not in html and "<del>tir. 01.12.2026</del> <ins>tor. 10.12.2026</ins>" in html
    assert "Lag utkast (.docx)" in html
    old = client.get(f"/item/{HEARING_OLD}").get_data(as_text=True)
    assert "Norsk Hydro ASA" in old and ">næringsliv<" in old  # the responder type by name


def test_the_item_page_shows_the_sources_own_status_word(db_path):
    """The health note names a status word the store does not know ("1 sak med ukjent statusord
    ('Avbrutt')"); the item's page says which status the tracker derived and what the source
    wrote, so an adviser can see the derived "åpen" stands on the deadline alone."""
    db = open_db(db_path)
    db["items"].update(HEARING, {"status_raw": "Avbrutt <b>", "status": "open"})
    db.conn.commit()
    db.close()
    client = make_app(db_path).test_client()
    html = client.get(f"/item/{HEARING}").get_data(as_text=True)
    status = html.split('id="status">', 1)[1].split("</dd>", 1)[0]
    assert status.startswith("åpen ") and "(kilden skriver «Avbrutt &lt;b&gt;»)" in status
    # the word links to the search for every item whose source says the same
    href = html_lib.unescape(re.search(r'id="status-raw"><a href="([^"]+)"', status).group(1))
    assert parse_qs(urlsplit(href).query)["q"] == ['kildestatus:"Avbrutt <b>"']
    found = client.get(href).get_data(as_text=True)
    assert f"/item/{HEARING}" in found and f"/item/{HEARING_FISH}" not in found


def test_the_health_page_lists_the_unknown_status_words_with_their_items(db_path):
    """The health note says "1 sak med ukjent statusord ('Avbrutt')"; the health page names each
    such word of the source's stored items with a search for them, and no known word."""
    db = open_db(db_path)
    db["items"].update(HEARING, {"status_raw": "Avbrutt"})
    db["items"].update(HEARING_FISH, {"status_raw": "På høring"})
    db["items"].update(EU, {"status_raw": "Suspended"})  # a green source's latest run: not listed
    db.conn.commit()
    db.close()
    client = make_app(db_path).test_client()
    html = client.get("/health").get_data(as_text=True)
    row = next(r for r in html.split("<tr")[1:] if "Høringer (regjeringen.no)" in r)
    words = row.split('class="meta unknown-words">', 1)[1].split("</div>", 1)[0]
    assert words.startswith("Ukjente statusord: <a href=") and "«Avbrutt»</a> (1)" in words
    assert "På høring" not in words and "Suspended" not in html
    href = html_lib.unescape(re.search(r'<a href="([^"]+)">«Avbrutt»', words).group(1))
    assert parse_qs(urlsplit(href).query)["q"] == ['kilde:no_regjeringen_horinger kildestatus:"Avbrutt"']
    found = client.get(href).get_data(as_text=True)
    assert f"/item/{HEARING}" in found and f"/item/{HEARING_FISH}" not in found
    # on the English page in English quotation marks (it said «Avbrutt» in both languages)
    english = make_app(db_path).test_client().get("/health?lang=en").get_data(as_text=True)
    row = next(r for r in english.split("<tr")[1:] if "Government hearings (regjeringen.no)" in r)
    assert "“Avbrutt”</a> (1)" in row and "«" not in row


def test_an_eu_items_documents_are_named_not_coded(db_path):
    """Have your say's publications read "CALL_FOR_EVIDENCE Ares(2026)7131684" with "call_for_evidence"
    beside them: the portal's codes. The stage is named (its title in English, as the rest of an
    EU item; its type in the page's language); a document of another source is as it came."""
    db = open_db(db_path)
    db["items"].update(EU, {"documents": json.dumps([
        {"title": "CALL_FOR_EVIDENCE Ares(2026)7131684", "type": "call_for_evidence",
         "url": "https://ec.europa.eu/info/law/better-regulation/have-your-say/initiatives/14567#publication-1"},
        {"title": "COM_DRAFT Ares(2026)1", "type": "com_draft", "url": "https://example.org/#p2"}])})
    db["items"].update(HEARING, {"documents": json.dumps([
        {"title": "Høringsnotat", "type": "høringsnotat", "url": "https://www.regjeringen.no/x.pdf"}])})
    db.conn.commit()
    db.close()
    client = make_app(db_path).test_client()
    page = client.get(f"/item/{EU}").get_data(as_text=True)
    docs = page.split("<h3>Dokumenter</h3>", 1)[1].split("</ul>", 1)[0]
    assert '>Call for evidence Ares(2026)7131684</a> <span class="meta">Innspillsrunde (call for evidence)</span>' in docs
    assert "CALL_FOR_EVIDENCE" not in docs and "call_for_evidence" not in docs
    assert ">COM_DRAFT Ares(2026)1</a>" in docs  # a type not named: as the portal wrote it, no guess
    hearing = client.get(f"/item/{HEARING}").get_data(as_text=True)
    assert '>Høringsnotat</a> <span class="meta">høringsnotat</span>' in hearing


def test_an_item_without_deadlines_has_no_deadline_row(db_path):
    """An EU act's page said "Status: ukjent" and "Frist: ingen frist kjent"; acts, notes and
    decisions have neither. A consultation whose deadline is not known still says so."""
    db = open_db(db_path)
    db["items"].insert({"id": "eu_cellar:32024L1760", "source": "eu_cellar", "kind": "eu_act_update",
                        "native_id": "32024L1760", "url": "https://eur-lex.europa.eu/eli/dir/2024/1760/oj",
                        "title": "Directive (EU) 2024/1760", "status": "unknown",
                        "first_seen": "2026-11-23T05:00:00+00:00", "last_seen": "2026-11-23T05:00:00+00:00"})
    db["items"].update(EU, {"deadline": None})
    db.conn.commit()
    db.close()
    client = make_app(db_path).test_client()
    act = client.get("/item/eu_cellar:32024L1760").get_data(as_text=True)
    assert 'id="deadlines"' not in act and "ingen frist kjent" not in act
    assert 'id="status"' not in act and ">ukjent<" not in act  # nor "Status: ukjent"
    consultation = client.get(f"/item/{EU}").get_data(as_text=True)
    assert '<dd id="deadlines"><div class="deadline-line">ingen frist kjent</div></dd>' in consultation
    assert '<dd id="status">åpen</dd>' in consultation


def test_company_identifiers_are_named(db_path):
    """The companies page showed the store's codes: "isin CL0000000019", "orgnr 923609016"."""
    from tracker.links.companies import update_companies

    db = open_db(db_path)
    db["items"].update(HEARING, {"body": "Nestlé S.A. (ISIN CH0038863350) og Brødrene Ærø & Søn ASA "
                                         "(org.nr. 923 609 016) er nevnt."})
    update_companies(db)
    db.conn.commit()
    db.close()
    client = make_app(db_path).test_client()
    nb = client.get("/companies").get_data(as_text=True)
    assert '<span class="meta">ISIN CH0038863350</span>' in nb and '<span class="meta">org.nr. 923609016</span>' in nb
    en = client.get("/companies?lang=en").get_data(as_text=True)
    assert '<span class="meta">org. no. 923609016</span>' in en and ">orgnr " not in en and ">isin " not in nb
    # a misspelt name: the names it may have meant, each a link to its list
    page = html_lib.unescape(client.get("/companies?name=nestel&lang=nb").get_data(as_text=True))
    assert 'Mente du: <a href="/companies?name=Nestl%C3%A9+S.A.">Nestlé S.A.</a>?' in page


def test_the_draft_form_asks_for_the_name_once(client):
    """Two forms, one per format, each asked for "ditt navn": one form now, its buttons pick the
    format, and either makes a draft."""
    html = client.get(f"/item/{HEARING}").get_data(as_text=True)
    form = re.search(r'<form [^>]*id="draft-form">(.*?)</form>', html, re.S).group(1)
    assert form.count('name="by"') == 1 and html.count('name="by" placeholder') == 2  # and the triage form's
    assert '<button type="submit" name="format" value="md" id="draft-md">' in form
    token = _csrf(client, f"/item/{HEARING}")
    made = client.post(f"/item/{HEARING}/draft", data={"csrf": token, "by": "kari", "format": "md"})
    assert made.status_code == 303


def test_only_a_hearing_calls_its_reference_deres_ref(client):
    """A committee hearing's "Prop. 57 L" or an EU act's CELEX number stood under "Deres ref." (the
    ministry's case number an answer to a hearing cites)."""
    def ref_row(item_id):
        html = client.get(f"/item/{item_id}").get_data(as_text=True)
        return re.search(r"<dt>(Deres ref\.|Referanse)</dt><dd>([^<]*)</dd>", html).groups()

    assert ref_row(HEARING) == ("Deres ref.", "25/4711")
    assert ref_row(COMMITTEE)[0] == "Referanse" and ref_row(EU)[0] == "Referanse"


def _history_after(db_path: str, item_id: str, kind: str, field: str, before, after, lang: str = "nb") -> str:
    """The item page (in `lang`) once one change event (as the store writes it) is recorded."""
    db = open_db(db_path)
    with db.conn:
        db["events"].insert({"item_id": item_id, "run_id": 1, "at": "2026-11-24T05:00:00+00:00",
                             "kind": kind, "field": field, "before": before, "after": after})
    db.close()
    response = make_app(db_path).test_client().get(f"/item/{item_id}?lang={lang}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_a_storting_cases_hearing_deadline_reads_as_a_day_in_the_history(db_path):
    """A case's saksgang date (a day, given at 00:00): its day, never «kl. 00.00»."""
    html = _history_after(db_path, COMMITTEE, "times_changed", "hearing_deadline", None, "2026-12-07T00:00:00+01:00")
    assert ">høringstider endret<" in html and '<span class="meta">høringsfrist i saken:</span>' in html
    assert "<ins>man. 07.12.2026</ins>" in html and "kl. 00.00" not in html


def test_a_moved_committee_hearing_reads_in_the_items_history(db_path):
    html = _history_after(db_path, COMMITTEE, "times_changed", "hearing_start",
                          "2026-12-01T09:30:00+01:00", "2026-12-03T10:00:00+01:00")
    assert ">høringstider endret<" in html and '<span class="meta">høringen:</span>' in html
    assert "<del>tir. 01.12.2026</del> <ins>tor. 03.12.2026</ins> kl. <del>09.30</del> <ins>10.00</ins>" in html


def test_a_committee_hearings_changed_sittings_read_in_the_items_history(db_path):
    hall = {"sted": "Høringssal 1", "tidspunkt": "2026-12-03T09:00:00+01:00"}
    html = _history_after(db_path, COMMITTEE, "times_changed", "hearing_times", json.dumps([hall]),
                          json.dumps([{**hall, "sted": "Høringssal 2"}]))
    assert '<span class="meta">høringsmøter:</span>' in html
    assert "tor. 03.12.2026 kl. 09.00, Høringssal <del>1</del> <ins>2</ins>" in html


def test_an_eu_procedures_changed_forecasts_read_in_the_items_history(db_path):
    """A forecasts_changed event (an EU procedure's plenary date moved) reads as the two lists of
    dated forecasts, the changed date marked, under its own name."""
    vote = {"date": "2026-12-15", "event": "Indicative plenary sitting date"}
    html = _history_after(db_path, COMMITTEE, "forecasts_changed", "forecasts", json.dumps([vote]),
                          json.dumps([{**vote, "date": "2027-01-20"}]))
    assert ">prognoser endret<" in html and '<span class="meta">prognoser:</span>' in html
    assert "<del>tir. 15.12.2026</del> <ins>ons. 20.01.2027</ins> Indicative plenary sitting date" in html


def test_a_watched_provision_reads_by_name_in_the_items_history(db_path):
    """By its name in the page's language, as `ncp-tracker events` says it (tracker.digest.wording
    .event_values): the English page said the Bokmål label the hit stored."""
    html = _history_after(db_path, HEARING, "provision_hit", "apenhetsloven-4", None, "åpenhetsloven § 4")
    assert ">overvåket bestemmelse berørt<" in html
    assert '<span class="meta">bestemmelse:</span> <ins>åpenhetsloven § 4</ins>' in html
    assert ">provision_hit<" not in html and "apenhetsloven-4" not in html  # (a class name may hold it)
    html = _history_after(db_path, HEARING, "provision_hit", "apenhetsloven-4", None, "åpenhetsloven § 4", "en")
    assert '<span class="meta">provision:</span> <ins>Transparency Act section 4</ins>' in html


def test_a_changed_document_reads_by_title_in_the_items_history(db_path):
    """The history showed a changed document as its address and two SHA-256 hashes."""
    db = open_db(db_path)
    url = "https://www.regjeringen.no/contentassets/abc/horingsnotat.pdf"
    with db.conn:
        db["items"].update(HEARING, {"documents": f'[{{"title": "Høringsnotat", "url": "{url}"}}]'})
        db["events"].insert({"item_id": HEARING, "run_id": 1, "at": "2026-11-24T05:00:00+00:00",
                             "kind": "documents_changed", "field": url, "before": "a" * 64, "after": "b" * 64})
    db.close()
    html = make_app(db_path).test_client().get(f"/item/{HEARING}").get_data(as_text=True)
    history = html[html.index('id="history"'):]
    assert ">dokument endret<" in history
    assert '<span class="meta">Høringsnotat:</span> <ins>innholdet er endret</ins>' in history
    assert "b" * 64 not in history and url not in history


def test_a_themes_evidence_names_each_wording_once(db_path):
    """"Kap. II … — aktsomhetsdirektivet, (EU) 2024/1760, åpenhetsloven, (EU) 2024/1760, …": the same
    words found in the title and the text were listed once per place."""
    from support import put_evidence

    db = open_db(db_path)
    spans = [{"field": f, "start": s, "end": s + 9, "text": t} for f, s, t in
             (("title", 0, "CSDDD-lov"), ("text", 5, "CSDDD-lov"), ("text", 40, "csddd-lov"), ("text", 60, "verdikjede"))]
    put_evidence(db, HEARING, "oecd-ii", 2.0, spans)
    db.close()
    html = make_app(db_path).test_client().get(f"/item/{HEARING}").get_data(as_text=True)
    theme = next(li for li in re.findall(r"<li><span class=\"label\">.*?</li>", html, re.S) if "Generelle prinsipper" in li)
    assert re.findall(r'<mark class="ev">([^<]*)</mark>', theme) == ["CSDDD-lov", "verdikjede"]


def test_a_draft_due_today_is_said_so_in_the_inbox(db_path):
    day = datetime(2026, 11, 26, 8, tzinfo=OSLO)  # the committee hearing's draft is due today
    html = make_app(db_path, as_of=day).test_client().get("/").get_data(as_text=True)
    row = next(r for r in re.findall(r"<tr.*?</tr>", html, re.S) if f"/item/{COMMITTEE}" in r)
    assert "26.11.2026 <strong>i dag</strong>" in row


def test_triage_post_with_csrf_and_escaped_note(client):
    token = _csrf(client, f"/item/{HEARING}")
    r = client.post(f"/item/{HEARING}/triage", data={"csrf": token, "state": "respond", "by": "kari",
                                                     "note": "<script>alert(1)</script>"})
    assert r.status_code == 302
    html = client.get(r.location).get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'id="triage-state">skal svares<' in html  # the state by name, never its code


def test_post_without_csrf_is_refused_and_changes_nothing(client, db_path):
    client.get(f"/item/{HEARING}")
    r = client.post(f"/item/{HEARING}/triage", data={"state": "respond"})
    assert r.status_code == 400
    r = client.post(f"/item/{HEARING}/triage", data={"state": "respond", "csrf": "forged"})
    assert r.status_code == 400
    db = open_db(db_path)
    assert db.execute("select count(*) from triage").fetchone()[0] == 0


def test_illegal_transition_shows_error(client):
    token = _csrf(client, f"/item/{HEARING}")
    r = client.post(f"/item/{HEARING}/triage", data={"csrf": token, "state": "published", "by": "kari"})
    assert r.status_code == 422  # the form comes back, filled in, with the reason
    html = r.get_data(as_text=True)
    assert "Statusen kan ikke gå fra «ny» til «publisert»; fra «ny» kan den gå til: " in html


def test_unknown_item_is_404(client):
    assert client.get("/item/no_such:1").status_code == 404
    token = _csrf(client, f"/item/{HEARING}")
    assert client.post("/item/no_such:1/draft", data={"csrf": token, "by": "kari"}).status_code == 404
    assert client.post("/item/no_such:1/triage", data={"csrf": token, "state": "respond"}).status_code == 404
    assert client.get("/drafts/999.docx").status_code == 404


def test_draft_is_made_by_post_and_every_version_downloads(client, db_path):
    assert client.get(f"/item/{HEARING}/draft.docx").status_code == 404  # no GET writes a draft
    assert client.get(f"/item/{HEARING}/draft").status_code == 404
    db = open_db(db_path)
    assert db.execute("select count(*) from drafts").fetchone()[0] == 0
    db.close()
    token = _csrf(client, f"/item/{HEARING}")
    r = client.post(f"/item/{HEARING}/draft", data={"csrf": token, "format": "docx", "by": "Kari"})
    assert r.status_code == 303 and r.location.endswith(".docx")
    first = client.get(r.location)
    assert 'filename="regjeringen_3150001-horingssvar-' in first.headers["Content-Disposition"]
    doc = Document(io.BytesIO(first.data))
    assert doc.sections[0].header.paragraphs[0].text == "Norges nasjonale kontaktpunkt for ansvarlig næringsliv"
    r2 = client.post(f"/item/{HEARING}/draft", data={"csrf": token, "format": "md"})  # the name is remembered
    assert r2.status_code == 303 and r2.location.endswith(".md")
    md_file = client.get(r2.location)
    assert md_file.headers["Content-Type"] == "text/markdown; charset=utf-8"
    md = md_file.get_data(as_text=True)
    assert "Høringssvar" in md
    html = client.get(f"/item/{HEARING}").get_data(as_text=True)
    versions = re.findall(r'href="(/drafts/\d+\.docx)"', html)
    assert len(versions) == 2  # both versions listed, each downloadable
    for href in versions:
        Document(io.BytesIO(client.get(href).data))
    db = open_db(db_path)
    assert [r[0] for r in db.execute("select created_by from drafts")] == ["Kari", "Kari"]
    names = [Path(r[0]).name for r in db.execute("select docx_path from drafts")]
    db.close()
    # named on the workbench's clock (its as_of), day and time alike, made unique by a random part
    assert all(re.fullmatch(r"regjeringen_3150001-horingssvar-2026-11-24-060000-[0-9a-f]{6}\.docx", n) for n in names)
    assert len(set(names)) == 2


def test_an_item_that_is_not_a_consultation_offers_no_draft(db_path):
    """An adopted regulation (law_change) offered «Lag utkast» and got a «Høringssvar» to a hearing
    letter that never was: its page offers no draft, and the URL is refused in the page's language."""
    item = "no_lovdata:LTI/forskrift/2026-11-19-2101"
    db = open_db(db_path)
    db["items"].insert({"id": item, "source": "no_lovdata", "kind": "law_change", "native_id": "x",
                        "title": "Forskrift om endring i forskrift om overtredelsesgebyr",
                        "url": "https://lovdata.no/x", "published": "2026-11-19T00:00:00+01:00"}, alter=True)
    db.close()
    client = make_app(db_path).test_client()
    page = client.get(f"/item/{item}").get_data(as_text=True)
    assert "Forskrift om endring" in page
    assert 'id="draft-form"' not in page and "Lag utkast" not in page
    assert 'id="draft-form"' in client.get(f"/item/{HEARING}").get_data(as_text=True)
    token = _csrf(client, f"/item/{HEARING}")
    r = client.post(f"/item/{item}/draft", data={"csrf": token, "format": "md", "by": "Kari"})
    assert r.status_code == 400
    html = html_lib.unescape(r.get_data(as_text=True))
    assert "Det kan ikke lages utkast for denne saken: den er av typen «Lovendring», ikke en høring." in html
    r = client.post(f"/item/{item}/draft?lang=en", data={"csrf": token, "format": "md", "by": "Kari"})
    html = html_lib.unescape(r.get_data(as_text=True))
    assert r.status_code == 400 and "its kind is “Law change”, not a consultation" in html
    db = open_db(db_path)
    assert db.execute("select count(*) from drafts").fetchone()[0] == 0
    db.close()


@pytest.mark.parametrize(("item", "word"), [(EU, "feedback"), (COMMITTEE, "innspill")])
def test_a_downloaded_draft_is_named_by_its_form(client, item, word):
    """An EU draft is a feedback form, a Stortinget one a written input (as `ncp-tracker draft`
    names them); the download called every one a høringssvar."""
    token = _csrf(client, f"/item/{item}")
    r = client.post(f"/item/{item}/draft", data={"csrf": token, "format": "md", "by": "Kari"})
    assert r.status_code == 303
    name = re.search(r'filename="([^"]+)"', client.get(r.location).headers["Content-Disposition"]).group(1)
    assert re.fullmatch(rf"[A-Za-z0-9_.-]+-{word}-\d{{4}}-\d\d-\d\d-\d+\.md", name), name


def test_writes_need_a_name_without_accounts(client, db_path):
    token = _csrf(client, f"/item/{HEARING}")
    r = client.post(f"/item/{HEARING}/triage", data={"csrf": token, "state": "respond"})
    assert "Skriv navnet ditt i «Endret av»" in html_lib.unescape(r.get_data(as_text=True))
    db = open_db(db_path)
    assert db.execute("select count(*) from triage").fetchone()[0] == 0
    db.close()
    client.post(f"/item/{HEARING}/triage", data={"csrf": token, "state": "respond", "by": "Kari"})
    html = client.get(f"/item/{HEARING}").get_data(as_text=True)
    assert 'id="by" value="Kari"' in html  # remembered
    client.post(f"/item/{HEARING}/triage", data={"csrf": token, "state": "assigned", "owner": "Kari"})
    db = open_db(db_path)
    assert [r[0] for r in db.execute("select by from triage_history order by id")] == ["Kari", "Kari"]
    db.close()
    # owners are matched case-insensitively
    inbox = client.get("/?owner=kari").get_data(as_text=True)
    assert HEARING in inbox and '<option value="Kari" selected>' in inbox


def test_read_only_database_is_reported_before_anything_is_written(client, db_path, tmp_path):
    import os

    token = _csrf(client, f"/item/{HEARING}")
    os.chmod(db_path, 0o444)
    try:
        html = client.get(f"/item/{HEARING}").get_data(as_text=True)
        assert "skrivebeskyttet" in html and 'id="draft-docx"' not in html
        r = client.post(f"/item/{HEARING}/draft", data={"csrf": token, "format": "docx", "by": "Kari"})
        assert r.status_code == 503 and "skrivebeskyttet" in r.get_data(as_text=True)
        r = client.post(f"/item/{HEARING}/triage", data={"csrf": token, "state": "respond", "by": "Kari"})
        assert r.status_code == 503 and "Ingenting ble lagret" in r.get_data(as_text=True)
    finally:
        os.chmod(db_path, 0o644)
    drafts_dir = tmp_path / "data" / "drafts"
    assert not drafts_dir.exists() or not list(drafts_dir.iterdir())  # no .docx left behind
    db = open_db(db_path)
    assert db.execute("select count(*) from drafts").fetchone()[0] == 0
    db.close()


def test_export_from_the_web(client):
    r = client.get("/export", query_string={"format": "csv", "q": "aapenhetsloven"})
    assert r.status_code == 200 and "attachment" in r.headers["Content-Disposition"]
    assert r.headers["Content-Type"] == "text/csv; charset=utf-8"  # one charset (it said it twice)
    assert HEARING in r.get_data(as_text=True)
    assert client.get("/export", query_string={"format": "json"}).headers["Content-Type"] == "application/json"
    assert client.get("/export", query_string={"format": "exe"}).status_code == 404


def test_an_export_from_the_english_workbench_is_english(client):
    """/export?format=xlsx&lang=en gave the sheet «Saker», headers «ID, Kilde, Type, Status, Tittel,
    …» and values «åpen», «Kap. II …»; the CSV was Norwegian Excel's whatever the language. Now as
    `export --lang en` gives it: English headers and names, and English Excel's CSV (`,`)."""
    from openpyxl import load_workbook

    r = client.get("/export", query_string={"format": "xlsx", "status": "open", "lang": "en"})
    sheet = load_workbook(io.BytesIO(r.data)).active
    assert r.status_code == 200 and sheet.title == "Items"
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:5] == ("ID", "Source", "Kind", "Status", "Title")
    assert {row[3] for row in rows[1:]} == {"open"}
    labels = " ".join(str(row[10] or "") for row in rows[1:])
    assert "Ch. " in labels and "Kap. " not in labels
    text = client.get("/export", query_string={"format": "csv", "status": "open", "lang": "en"}).get_data(as_text=True)
    assert text.startswith("\ufeffID,Source,Kind,Status,Title,") and ",open," in text and ",åpen," not in text
    # Bokmål as before
    nb = client.get("/export", query_string={"format": "csv", "status": "open", "lang": "nb"}).get_data(as_text=True)
    assert nb.startswith("\ufeffID;Kilde;Type;Status;Tittel;") and ";åpen;" in nb
    sheet = load_workbook(io.BytesIO(client.get("/export", query_string={"format": "xlsx", "lang": "nb"}).data)).active
    assert sheet.title == "Saker" and next(sheet.iter_rows(values_only=True))[1] == "Kilde"


def fingerprint(db_path) -> str:
    """A digest of the database's whole content (schema and rows), WAL included."""
    import hashlib
    import sqlite3

    conn = sqlite3.connect(db_path)
    try:
        return hashlib.sha256("\n".join(conn.iterdump()).encode()).hexdigest()
    finally:
        conn.close()


def test_watchlist_gpfg_companies_pages_read_only(client, db_path):
    before = fingerprint(db_path)
    for url in ("/watchlist", "/gpfg", "/gpfg?by=stage", "/companies", "/companies?name=hydro"):
        r = client.get(url)
        assert r.status_code == 200, url
    watchlist = client.get("/watchlist").get_data(as_text=True)
    assert "EU-saker" in watchlist
    assert "· COM(2022) 71 ·" in watchlist and "COM COM(" not in watchlist  # it read "COM COM(2022) 71"
    assert fingerprint(db_path) == before


def test_the_web_gpfg_page_never_calls_a_bad_filter_an_empty_fund(tmp_path):
    """`/gpfg?actor=x` matched nothing and said "Ingen saker om SPU ennå." over a store full
    of them: an actor the form does not offer is no filter (as a stage is not); a real filter that
    matches nothing says so."""
    from test_cli_gpfg import _seed

    path = tmp_path / "t.db"
    _seed(path)
    client = create_app(str(path), as_of=datetime(2026, 11, 24, 9, tzinfo=OSLO), data_dir=tmp_path / "d").test_client()
    page = client.get("/gpfg?actor=x").get_data(as_text=True)
    assert "Tilrådning om observasjon av Nestlé S.A." in page and "SPU ennå" not in page
    assert "Nestlé" in client.get("/gpfg?actor=etikkr%C3%A5det").get_data(as_text=True)
    empty = client.get("/gpfg?actor=Stortinget&stage=decision").get_data(as_text=True)
    assert "Ingen saker om SPU passer til denne aktøren og fasen." in empty


def test_the_gpfg_page_gives_a_storting_cases_hearing_deadline(tmp_path):
    """As the digest's GPFG section: the case's hearing deadline (a saksgang day at 00:00: that day)."""
    from support import crawled

    path = tmp_path / "t.db"
    db = open_db(path)
    crawled(db, datetime(2026, 11, 24, 6, tzinfo=OSLO), "no_stortinget_spu", [
        {"kind": "storting_case", "native_id": "107095", "status_raw": "til behandling",
         "title": "Representantforslag om å gjeninnføre Etikkrådets tilrådninger om utelukkelse fra Statens pensjonsfond utland",
         "url": "https://www.stortinget.no/no/Saker-og-publikasjoner/Saker/Sak/?p=107095",
         "published": "2026-11-10T00:00:00+01:00", "extra": {"topic": "gpfg", "hearing_deadline": "2026-12-07T00:00:00+01:00"}}])
    db.close()
    client = create_app(str(path), as_of=datetime(2026, 11, 24, 9, tzinfo=OSLO), data_dir=tmp_path / "d").test_client()
    text = html_lib.unescape(re.sub(r"<[^>]+>", "", client.get("/gpfg").get_data(as_text=True)))
    assert "Representantforslag om å gjeninnføre" in text and "Høringsfrist i saken: man. 07.12.2026" in text
    english = html_lib.unescape(client.get("/gpfg?lang=en").get_data(as_text=True))
    assert "Hearing deadline of the case: Mon 7 Dec 2026" in english


def test_the_gpfg_page_says_which_date_it_gives(tmp_path):
    """A committee hearing on the fund read «… Meld. St. 8 (2026-2027) fre. 04.12.2026 ·
    Stortingets komitéhøringer» where the other rows gave their publication day in the same place:
    that date was its deadline. Each date says what it is, and a hearing gives both."""
    from support import crawled

    path = tmp_path / "t.db"
    db = open_db(path)
    as_of = datetime(2026, 11, 24, 6, tzinfo=OSLO)
    crawled(db, as_of, "no_stortinget_horinger", [
        {"kind": "committee_hearing", "native_id": "sak-107131", "owner": "Finanskomiteen", "status_raw": "Planlagt",
         "title": "Komitéhøring: Statens pensjonsfond utland – etisk rammeverk – Meld. St. 8 (2026-2027)",
         "url": "https://www.stortinget.no/no/Hva-skjer-pa-Stortinget/Horing/?p=10006202",
         "deadline": "2026-12-04T12:00:00+01:00", "extra": {"deadline_basis": "innspillsfrist"}}])
    crawled(db, as_of, "no_regjeringen_horinger", [
        {"kind": "hearing", "native_id": "3150248", "owner": "Finansdepartementet", "status_raw": "På høring",
         "title": "Høring – NOU 2026: 14 Etisk rammeverk for Statens pensjonsfond utland",
         "url": "https://www.regjeringen.no/no/dokumenter/horing-nou-2026-14/id3150248/",
         "published": "2026-10-21T10:00:00+02:00", "deadline": "2027-01-13T23:59:00+01:00"}])
    db.close()
    client = create_app(str(path), as_of=datetime(2026, 11, 24, 9, tzinfo=OSLO), data_dir=tmp_path / "d").test_client()

    def text(url):
        return re.sub(r"\s+", " ", html_lib.unescape(re.sub(r"<[^>]+>", " ", client.get(url).get_data(as_text=True))))

    page = text("/gpfg")
    assert "Meld. St. 8 (2026-2027) frist fre. 04.12.2026 kl. 12.00 · Stortingets komitéhøringer" in page
    assert "pensjonsfond utland publisert ons. 21.10.2026 · frist ons. 13.01.2027 · Høringer" in page
    english = text("/gpfg?lang=en")
    assert "(2026-2027) deadline Fri 4 Dec 2026 12:00 ·" in english
    assert "published Wed 21 Oct 2026 · deadline Wed 13 Jan 2027 ·" in english


def test_the_gpfg_page_shows_the_newest_of_each_group_and_leads_to_all(tmp_path):
    """Every item about the fund on one page: a decade of the bank's decisions was hundreds of
    lines under one heading. Each actor's stage shows its newest 25 and a link to all of them."""
    from support import crawled

    from tracker.web.app import GPFG_GROUP_CAP

    path = tmp_path / "t.db"
    db = open_db(path)
    crawled(db, datetime(2026, 11, 24, 6, tzinfo=OSLO), "no_nbim", [
        {"kind": "gpfg_decision", "native_id": f"2026/{n}",
         "title": f"Decision on exclusion of Company {n:02d} Inc.", "url": f"https://example.org/{n}",
         "published": f"2026-{1 + n // 28:02d}-{1 + n % 28:02d}T10:00:00+01:00"} for n in range(30)])
    db.close()
    client = create_app(str(path), as_of=datetime(2026, 11, 24, 9, tzinfo=OSLO), data_dir=tmp_path / "d").test_client()
    page = client.get("/gpfg").get_data(as_text=True)
    shown = re.findall(r"Decision on exclusion of Company (\d+) Inc\.", page)
    assert len(shown) == GPFG_GROUP_CAP == 25 and shown[0] == "29" and "00" not in shown  # the newest
    more = re.search(r'<li class="more"><a href="([^"]+)">\+5 til \(alle 30\)</a>', page)
    assert more is not None
    everything = client.get(html_lib.unescape(more.group(1))).get_data(as_text=True)
    assert len(re.findall(r"Decision on exclusion of Company \d+ Inc\.", everything)) == 30
    assert 'class="more"' not in everything


def test_the_watchlist_says_a_status_only_when_there_is_one(db_path):
    """Every EU act on the watchlist page read "EU-tidende (Cellar) · ukjent": an act has no status."""
    from tracker.links.related import update_links

    db = open_db(db_path)
    db["items"].insert({"id": "eu_cellar:32024L1760", "source": "eu_cellar", "kind": "eu_act_update",
                        "native_id": "32024L1760", "url": "https://eur-lex.europa.eu/eli/dir/2024/1760/oj",
                        "title": "Directive (EU) 2024/1760 on corporate sustainability "
                        "due diligence", "reference": "CELEX:32024L1760", "status": "unknown",
                        "first_seen": "2026-11-23T05:00:00+00:00", "last_seen": "2026-11-23T05:00:00+00:00"})
    update_links(db)
    db.close()
    html = make_app(db_path).test_client().get("/watchlist").get_data(as_text=True)
    line = re.search(r'<a href="/item/eu_cellar:32024L1760">[^<]*</a> <span class="meta">([^<]*)</span>', html)
    assert line is not None and line.group(1) == "EU-tidende (Cellar)"


def test_the_watchlist_notes_read_in_the_pages_language(client):
    """The watched files' notes were English on the Bokmål page: it shows each Bokmål note, the
    English page the English one (both from the watchlist, note_nb beside note)."""
    import html as html_lib

    from tracker.links.watchlist import load

    noted = [e for e in load() if e.note]
    nb = html_lib.unescape(client.get("/watchlist").get_data(as_text=True))
    en = html_lib.unescape(client.get("/watchlist?lang=en").get_data(as_text=True))
    assert noted and all(f'<p class="note">{e.note_nb}</p>' in nb and e.note not in nb for e in noted)
    assert all(f'<p class="note">{e.note}</p>' in en and e.note_nb not in en for e in noted)
    assert "Omnibus I: gjelder foretak med over 5 000 ansatte og over 1,5 mrd. euro i omsetning" in nb


@pytest.mark.parametrize("q", ['"', "NEAR(", "*", "hoering\" OR *"])
def test_search_with_fts_syntax(client, q):
    r = client.get("/search", query_string={"q": q})
    assert r.status_code == 200


def test_a_search_result_says_a_status_only_when_there_is_one(db_path):
    """Every regulator's news item read "ukjent · Forbrukertilsynet": news has no status."""
    db = open_db(db_path)
    with db.conn:
        db["items"].update(HEARING, {"status": "unknown"})
    db.close()
    html = make_app(db_path).test_client().get("/search", query_string={"q": "åpenhetsloven"}).get_data(as_text=True)
    item = html[html.index(f'href="/item/{HEARING}"'):]
    meta = re.search(r'<span class="meta">(.*?)</span>', item, re.S).group(1)
    assert not meta.startswith("ukjent") and meta.startswith("tor. 10.12.2026 · "), meta


def test_search_ascii_spelling(client):
    html = client.get("/search", query_string={"q": "aapenhetsloven"}).get_data(as_text=True)
    assert f"/item/{HEARING}" in html and "<mark>" in html


def test_the_topic_list_has_every_label_in_the_guidelines_order(client):
    """The search page read its topics from every item's labels (a scan of the whole store on each
    search: 1.4 s at a million items) and offered only those some item had."""
    html = client.get("/search").get_data(as_text=True)
    select = html.split('name="label"', 1)[1].split("</select>", 1)[0]
    values = re.findall(r'<option value="([^"]*)"', select)
    assert values == ["", "oecd-ii", "oecd-iii", "oecd-iv", "oecd-v", "oecd-vi", "oecd-vii", "oecd-viii", "oecd-ix",
                      "oecd-x", "oecd-xi", "apenhetsloven", "gpfg"]
    assert ">Kap. X Konkurranse<" in select  # no item has it


def test_health_page(client):
    html = client.get("/health").get_data(as_text=True)
    assert "Høringer (regjeringen.no)" in html and "detaljsider blokkert" in html
    assert "no_regjeringen_horinger" not in html and "detail pages blocked" not in html


def test_health_page_shows_the_checks_clock_and_failing_sources_first(db_path):
    """The page said "last: today 18:19" (when a replay happened to run on this machine) above a
    banner saying no source was checked for 36 hours: it now shows, as the digest does, the clock
    of the run that checked each source, says when that is too long ago, and lists warnings and
    failures before the sources that are fine."""
    def rows(app):
        html = app.test_client().get("/health").get_data(as_text=True)
        body = html.split('<table class="list" id="health">', 1)[1].split("</table>", 1)[0]
        return re.findall(r'<tr class="health-(\w+)">.*?<td class="checked">(.*?)</td>', body, re.S)

    fresh = rows(make_app(db_path, as_of=datetime(2026, 11, 24, 9, tzinfo=OSLO)))
    assert [status for status, _ in fresh] == ["amber"] + ["green"] * 12  # the seeded run checked every source
    assert all(checked == "tir. 24.11.2026 kl. 06.00" for _, checked in fresh)
    week = rows(make_app(db_path, as_of=datetime(2026, 12, 1, 9, tzinfo=OSLO)))
    assert all(checked.startswith("tir. 24.11.2026 kl. 06.00 <strong class=\"stale\">(ikke sjekket på over 36 timer)")
               for _, checked in week)
    # and none of them is "OK" in green a week later: out of date, in red, with what its last check said
    assert {status for status, _ in week} == {"red"} and len(week) == 13
    html = make_app(db_path, as_of=datetime(2026, 12, 1, 9, tzinfo=OSLO)).test_client().get("/health").get_data(as_text=True)
    assert '<span class="badge badge-red">utdatert</span> <span class="meta">(siste sjekk: OK)</span>' in html
    assert "badge-green" not in html


def test_security_headers(client):
    r = client.get("/")
    assert "default-src 'self'" in r.headers["Content-Security-Policy"]
    assert r.headers["X-Frame-Options"] == "DENY"


def test_foreign_host_header_is_refused_on_loopback(client):
    assert client.get("/", headers={"Host": "attacker.example"}).status_code == 400


def test_public_bind_requires_accounts(db_path):
    with pytest.raises(WebConfigError, match="users add"):
        make_app(db_path, host="0.0.0.0")
    with pytest.raises(WebConfigError, match="users add"):
        make_app(db_path, host="127.0.0.1", trusted_proxies=1)


def test_public_bind_with_accounts_sets_a_secure_cookie(db_path):
    from tracker.workbench import accounts

    db = open_db(db_path)
    accounts.add_user(db, "kari", "riktig-passord-1", "adviser")
    db.close()
    c = make_app(db_path, host="0.0.0.0").test_client()
    r = c.get("/", headers={"Host": "ncp.example.org"})
    assert r.status_code == 302 and "/login" in r.location
    cookie = r.headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert r.headers["Strict-Transport-Security"]


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_the_subscription_feeds_say_a_failing_source(db_path, lang):
    """A subscribed calendar (/feed/<token>.ics) showed a quiet day while the workbench's banner and
    the digest said «1 kilde feiler: Forbrukertilsynet (nyhetsstrømmen svarte HTTP 503)»: the
    calendar and the Atom feed now carry that banner, in the subscription's language."""
    import feedparser
    import icalendar

    from tracker.workbench import accounts

    db = open_db(db_path)
    db["health"].upsert({"run_id": 1, "source": "no_forbrukertilsynet", "status": "red", "channel": "rss",
                         "reason": "feed answered HTTP 503", "items_seen": 0, "items_new": 0, "items_changed": 0,
                         "parse_errors": 0, "requests": 1, "finished": "2026-11-24T05:00:00+00:00", "notes": "[]"},
                        pk=("run_id", "source"))
    user = accounts.add_user(db, "kari", "riktig-passord-1", "adviser")
    token = accounts.new_feed_token(db, user["id"])
    db.close()
    c = make_app(db_path).test_client()
    said = ("1 kilde feiler: Forbrukertilsynet (nyhetsstrømmen svarte HTTP 503)" if lang == "nb"
            else "1 source is failing: Consumer Authority (feed answered HTTP 503)")
    cal = icalendar.Calendar.from_ical(c.get(f"/feed/{token}.ics?lang={lang}").data)
    warnings = [e for e in cal.walk("VEVENT") if str(e["UID"]).startswith("warning-")]
    assert [(str(e["UID"]), str(e["SUMMARY"])) for e in warnings] == [
        ("warning-2026-11-24-failing-no_forbrukertilsynet-ncp@ncp-tracker", f"⚠ ncp-tracker: {said}")]
    feed = feedparser.parse(c.get(f"/feed/{token}.atom?lang={lang}").data)
    assert feed.entries[0].title == f"⚠ {said}"


def test_highlight_escapes_and_marks():
    out = str(highlight("a <b> tvangsarbeid & c", [{"start": 6, "end": 18, "label": "oecd-v"}]))
    assert out == 'a &lt;b&gt; <mark class="ev" title="oecd-v">tvangsarbeid</mark> &amp; c'


def test_word_diff():
    assert str(word_diff("frist 1. desember", "frist 10. desember")) == "frist <del>1.</del> <ins>10.</ins> desember"


def test_related_items_shown_when_links_exist(db_path):
    """Each related item names the reference it shares as people cite it; the page showed the
    store's keys ("meldst:8:2026-2027", "watch:sfdr")."""
    db = open_db(db_path)
    db["links"].insert_all([{"a": HEARING, "b": EU, "ref": "celex:32024L1760", "how": "text"},
                            {"a": HEARING, "b": COMMITTEE, "ref": "meldst:8:2026-2027", "how": "text"},
                            {"a": HEARING, "b": HEARING_OLD, "ref": "watch:sfdr", "how": "watchlist"}])
    db.conn.commit()
    db.close()
    html = make_app(db_path).test_client().get(f"/item/{HEARING}").get_data(as_text=True)
    section = html[html.index('id="related"'):html.index('id="history"')]
    assert f"/item/{EU}" in section and "· CELEX 32024L1760</span>" in section
    assert "· Meld. St. 8 (2026–2027)</span>" in section and "· overvåket EU-sak: SFDR</span>" in section
    assert not re.search(r"\b(?:celex|meldst|watch):", section)


def test_single_user_mode_has_no_accounts_pages(client):
    html = client.get("/account").get_data(as_text=True)
    assert "uten kontoer" in html and "users add" in html
    assert client.get("/admin/users").status_code == 403
    assert client.get("/login").status_code == 302  # nothing to log in to
    token = _csrf(client, f"/item/{HEARING}")
    assert client.post("/account/feed-token", data={"csrf": token}).status_code == 403


def test_an_adviser_marks_a_label_on_the_item_page(client, db_path):
    token = _csrf(client, f"/item/{HEARING}")
    html = client.get(f"/item/{HEARING}").get_data(as_text=True)
    assert 'id="label-form"' in html and "Kap. IV Menneskerettigheter" in html  # names, not codes
    r = client.post(f"/item/{HEARING}/labels", data={"csrf": token, "mark": "+", "label": "oecd-iv", "by": "Kari"})
    assert r.status_code in (302, 303)
    page = client.get(f"/item/{HEARING}").get_data(as_text=True)
    assert 'id="label-marks"' in page and "+Kap. IV Menneskerettigheter" in page
    bad = client.post(f"/item/{HEARING}/labels", data={"csrf": token, "mark": "+", "label": "kapittel tolv"})
    refused = client.get(bad.location).get_data(as_text=True)
    assert "Ukjent merke &#39;kapittel tolv&#39;; gyldige merker:" in refused  # in the page's language
    assert "unknown label" not in refused
    db = open_db(db_path)
    assert [(r["label"], r["mark"], r["by"]) for r in db.query("select * from label_marks")] == [("oecd-iv", "+", "Kari")]
    db.close()
    no_csrf = client.post(f"/item/{HEARING}/labels", data={"mark": "-", "label": "oecd-iv"})
    assert no_csrf.status_code in (400, 403)


def test_the_search_pages_since_filters_are_said_and_a_bad_one_is_refused(client):
    """The digest's links open the search with new_since / changed_since: the page says which
    (with a link without it), an empty answer says "Ingen treff." (it said nothing without a
    query), and a value that is no time is a message, not an empty list."""
    page = client.get("/search?new_since=2026-11-24T07:00:00%2B01:00").get_data(as_text=True)
    assert "Bare saker først sett etter tir. 24.11.2026 kl. 07.00" in page
    assert 'id="no-hits"' in page and "Ingen treff." in page
    assert 'href="/search"' in page  # the same search without the filter
    assert 'name="new_since" value="2026-11-24T07:00:00+01:00"' in page  # kept by the form
    # a day after today (a year mistyped): nothing can be new since then — said, not «Ingen treff.»
    page = html_lib.unescape(client.get("/search?new_since=2099-01-01T06:00:00%2B01:00").get_data(as_text=True))
    assert "«new_since» '2099-01-01T06:00:00+01:00' er etter i dag: ingenting er nytt eller endret siden da." in page
    assert 'id="no-hits"' not in page
    page = client.get("/search?changed_since=i+g%C3%A5r").get_data(as_text=True)
    assert "«changed_since» må være en dato eller et tidspunkt (ISO 8601), ikke 'i går'." in html_lib.unescape(page)
    assert 'id="no-hits"' not in page


def test_the_search_page_refuses_an_adviser_no_item_ever_had(client):
    """/search?owner=nobody listed «Ingen treff.», as if the adviser had nothing to do."""
    page = html_lib.unescape(client.get("/search?q=h%C3%B8ring&owner=nobody").get_data(as_text=True))
    assert "Ingen sak har noen gang vært tildelt ansvarlig 'nobody' (ingen sak er tildelt noen ennå)." in page
    assert 'id="no-hits"' not in page


def test_the_search_page_and_export_refuse_a_reversed_date_range(client):
    """/search?from=2026-12-01&to=2026-11-01 said «Ingen treff.»: no day is in that range."""
    page = html_lib.unescape(client.get("/search?q=h%C3%B8ring&from=2026-12-01&to=2026-11-01").get_data(as_text=True))
    assert "«Fra» tir. 01.12.2026 er etter «til» søn. 01.11.2026: ingen dag ligger mellom dem." in page
    assert 'id="no-hits"' not in page
    assert client.get("/export?format=csv&from=2026-12-01&to=2026-11-01").status_code == 400


def test_the_search_page_says_a_profiles_filter_and_refuses_an_unknown_profile(client):
    page = client.get("/search?not_relevant_to=ncp&new_since=2026-11-23").get_data(as_text=True)
    said = html_lib.unescape(page)
    assert "Bare saker profilen «Kontaktpunktet: morgenoversikt» ikke regner som relevante" in said
    assert 'href="/search?new_since=2026-11-23"' in page  # the same search without it
    assert 'name="not_relevant_to" value="ncp"' in page  # kept by the form
    page = html_lib.unescape(client.get("/search?relevant_to=ncp").get_data(as_text=True))
    assert "Bare saker profilen «Kontaktpunktet: morgenoversikt» regner som relevante" in page
    page = client.get("/search?not_relevant_to=nope").get_data(as_text=True)
    assert "Ukjent profil «nope» (kjente: " in html_lib.unescape(page)
    assert 'id="filter-not_relevant_to"' not in page
    page = html_lib.unescape(client.get("/search?followed_by=ncp").get_data(as_text=True))
    assert "Bare saker profilen «Kontaktpunktet: morgenoversikt» regner som relevante, eller en rådgiver følger" in page
    page = html_lib.unescape(client.get("/search?not_followed_by=ncp&changed_since=2026-11-23").get_data(as_text=True))
    assert ("Bare saker profilen «Kontaktpunktet: morgenoversikt» ikke regner som relevante, og som ingen "
            "rådgiver følger") in page
    assert 'href="/search?changed_since=2026-11-23"' in page and 'name="not_followed_by" value="ncp"' in page


def test_the_search_pages_adviser_and_status_filters_are_said_and_kept(client):
    """/search?q=høring&state=respond found the items to answer, but the page did not say so nor
    keep the filter in its form: searching again from the form widened the search without a
    word, while the export link kept the filter."""
    token = _csrf(client, f"/item/{HEARING}")
    assert client.post(f"/item/{HEARING}/triage", data={"csrf": token, "state": "respond", "owner": "Kari",
                                                        "by": "Kari"}).status_code == 302
    page = client.get("/search?q=h%C3%B8ring&state=respond&owner=kari").get_data(as_text=True)
    said = html_lib.unescape(page)
    assert re.search(r'id="filter-state">Bare saker med oppfølgingsstatus «skal svares»', said)
    assert re.search(r'id="filter-owner">Bare saker kari er ansvarlig for', said)
    form = re.search(r'<form method="get" class="filters" id="search-form">.*?</form>', page, re.S).group(0)
    assert 'name="state" value="respond"' in form and 'name="owner" value="kari"' in form  # kept by the form
    assert 'href="/search?q=h%C3%B8ring&amp;owner=kari"' in page  # the same search without the status
    assert 'href="/search?q=h%C3%B8ring&amp;state=respond"' in page
    hits = re.findall(r'<li><a href="/item/([^"]+)"', page)
    assert hits == [HEARING]
    export = re.search(r'id="export-csv"', page) and re.search(r'href="([^"]+)" id="export-csv"', page).group(1)
    assert "state=respond" in export and "owner=kari" in export
    # the status by its name too (oppfølging:skal svares is the search's own word for it)
    english = html_lib.unescape(client.get("/search?state=skal+svares&lang=en").get_data(as_text=True))
    assert "Only items whose follow-up status is “to answer”" in english and 'id="search-error"' not in english


def test_a_cut_list_says_it_is_cut_and_a_filter_only_list_is_best_first(db_path):
    """The search page showed the first 200 items of a filter-only list (100 of a search) as
    "200 treff", read as all there are; a filter-only list came in id order."""
    db = open_db(db_path)
    with db.conn:
        db["items"].insert_all([{"id": f"no_lovdata:x{n:03d}", "source": "no_lovdata", "kind": "law_change",
                                 "native_id": f"x{n:03d}", "url": f"https://lovdata.no/x{n}", "title": f"Endring {n}",
                                 "status": "open", "relevance": n / 1000, "first_seen": "2026-11-24T05:00:00+00:00",
                                 "last_seen": "2026-11-24T05:00:00+00:00", "last_changed": "2026-11-24T05:00:00+00:00"}
                                for n in range(250)])
    db.close()
    client = make_app(db_path).test_client()
    page = client.get("/search?source=no_lovdata").get_data(as_text=True)
    assert "De første 200 treffene, de beste først: det finnes flere" in page
    listed = re.findall(r'href="/item/no_lovdata:(x\d+)"', page)
    assert len(listed) == 200 and listed[0] == "x249" and listed[-1] == "x050"  # the most relevant first
    page = client.get("/search?source=no_lovdata&status=open&from=2026-11-24").get_data(as_text=True)
    assert 'id="cut"' in page
    page = client.get("/search?q=endring").get_data(as_text=True)
    assert 'id="cut"' in page and len(re.findall(r'href="/item/no_lovdata:x\d+"', page)) == 100
    page = client.get("/search?source=no_lovdata&to=2020-01-01").get_data(as_text=True)
    assert 'id="cut"' not in page and "Ingen treff." in page


@pytest.mark.parametrize(("detail", "nb", "en"), [
    ("blocked 403", "Sakens egen side er ikke lest (blokkert, HTTP 403): frist, status og dokumenter er det "
                    "oversikten ga, og kan mangle.",
     "The item's own page was not read (blocked, HTTP 403): its deadline, status and documents are what the "
     "listing gave, and may be missing."),
    ("error TimeoutError", "(feil: TimeoutError)", "(error: TimeoutError)"),
    ("blocked by robots.txt", "(robots.txt forbyr det)", "(robots.txt forbids it)"),
    ("pending", "(ikke hentet ennå)", "(not fetched yet)"),
    ("ok", None, None), ("skipped", None, None), (None, None, None),
    (("blocked 403", "2026-11-23T05:00:00+00:00"),
     "Sakens egen side kunne ikke leses sist (blokkert, HTTP 403): frist, status og dokumenter er fra siste "
     "lesing, man. 23.11.2026.",
     "The item's own page could not be read on the last attempt (blocked, HTTP 403): its deadline, status and "
     "documents are from the last reading, Mon 23 Nov 2026."),
])
def test_an_item_whose_own_page_was_never_read_says_so(db_path, detail, nb, en):
    """A hearing whose detail page was blocked showed no deadline and no documents on its page,
    with nothing to say why: the adviser could take the gaps for the hearing's. One read before
    and blocked since says what it shows is from the last reading."""
    db = open_db(db_path)
    extra = json.loads(db["items"].get(HEARING)["extra"] or "{}")
    if isinstance(detail, tuple):
        detail, read = detail
        extra = {**extra, "detail_read": read}
    with db.conn:
        db["items"].update(HEARING, {"extra": json.dumps({**extra, "detail": detail} if detail else extra)})
    db.close()
    client = make_app(db_path).test_client()
    for lang, words in (("nb", nb), ("en", en)):
        html = html_lib.unescape(client.get(f"/item/{HEARING}?lang={lang}").get_data(as_text=True))
        if words is None:
            assert 'id="detail-unread"' not in html
        else:
            assert 'id="detail-unread"' in html and words in html, html[:3000]


def test_a_refused_triage_form_comes_back_as_it_was_filled_in(client, db_path):
    """A note over the limit: the page says how long it was and the limit, and shows the form
    again with the state, adviser, draft-by day, note and name typed (the note box was empty)."""
    token = _csrf(client, f"/item/{HEARING}")
    note = "Viktig for kontaktpunktet. " * 160
    r = client.post(f"/item/{HEARING}/triage", data={
        "csrf": token, "state": "respond", "owner": "Ola", "internal_deadline": "2026-11-30",
        "note": note, "by": "Kari"})
    assert r.status_code == 422
    page = html_lib.unescape(r.get_data(as_text=True))
    assert f"Notatet er for langt ({len(note.strip())} tegn, høyst 4000)." in page
    assert f">{note}</textarea>" in page and 'maxlength="4000"' in page
    assert '<option value="respond" selected>' in page
    assert 'id="owner" value="Ola"' in page and 'id="internal_deadline" value="2026-11-30"' in page
    assert 'id="by" value="Kari"' in page
    db = open_db(db_path)
    assert db.execute("select count(*) from triage").fetchone()[0] == 0
    db.close()


def test_a_browsers_line_breaks_count_once_against_the_note_limit(client, db_path):
    token = _csrf(client, f"/item/{HEARING}")
    note = "\r\n".join(["a" * 99] * 40)  # 3999 characters as the textarea counts them
    r = client.post(f"/item/{HEARING}/triage", data={"csrf": token, "state": "respond", "note": note, "by": "Kari"})
    assert r.status_code == 302
    db = open_db(db_path)
    assert db.execute("select note from triage").fetchone()[0] == note.replace("\r\n", "\n")
    db.close()


@pytest.mark.parametrize(("name", "said"), [
    ("Ola/Kari", "Navnet i «Endret av» kan ikke inneholde «/»: bruk bokstaver, sifre, mellomrom og . , ' @ -"),
    ("K" * 81, "Navnet i «Endret av» er for langt (81 tegn, høyst 80)."),
])
def test_a_refused_name_is_named_and_the_form_is_kept(client, db_path, name, said):
    token = _csrf(client, f"/item/{HEARING}")
    r = client.post(f"/item/{HEARING}/triage", data={"csrf": token, "state": "watching", "note": "Følg med",
                                                     "by": name})
    assert r.status_code == 422
    page = html_lib.unescape(r.get_data(as_text=True))
    assert said in page and "Skriv navnet ditt" not in page
    assert ">Følg med</textarea>" in page and '<option value="watching" selected>' in page
    assert f'id="by" value="{name}"' in page
    db = open_db(db_path)
    assert db.execute("select count(*) from triage").fetchone()[0] == 0
    db.close()


def test_a_surname_first_name_is_a_name(client, db_path):
    token = _csrf(client, f"/item/{HEARING}")
    r = client.post(f"/item/{HEARING}/triage", data={"csrf": token, "state": "watching", "by": "Nordmann, Kari"})
    assert r.status_code == 302
    db = open_db(db_path)
    assert db.execute("select by from triage_history").fetchone()[0] == "Nordmann, Kari"
    db.close()


def test_the_draft_by_day_is_removed_when_the_field_is_emptied(client, db_path):
    """The form shows the day there is; sent empty, the adviser removed it (it said «Lagret»
    and kept the day)."""
    token = _csrf(client, f"/item/{HEARING}")
    client.post(f"/item/{HEARING}/triage", data={"csrf": token, "state": "respond", "internal_deadline": "2026-12-01",
                                                 "by": "Kari"})
    assert 'id="internal_deadline" value="2026-12-01"' in client.get(f"/item/{HEARING}").get_data(as_text=True)
    r = client.post(f"/item/{HEARING}/triage", data={"csrf": token, "state": "", "owner": "", "internal_deadline": "",
                                                     "note": "", "by": "Kari"})
    assert r.status_code == 302
    assert 'id="internal_deadline" value=""' in client.get(f"/item/{HEARING}").get_data(as_text=True)
    db = open_db(db_path)
    assert db.execute("select internal_deadline from triage").fetchone()[0] is None
    db.close()


@pytest.mark.parametrize(("owner", "said"), [
    ("Kari\u200b", "Navnet under «Ansvarlig» kan ikke inneholde «'\\u200b'»: bruk bokstaver, sifre, mellomrom og "
                   ". , ' @ -"),
    ("K" * 300, "Navnet under «Ansvarlig» er for langt (300 tegn, høyst 80)."),
    ("<b>Kari</b>", "Navnet under «Ansvarlig» kan ikke inneholde «< > /»: bruk bokstaver, sifre, mellomrom og "
                    ". , ' @ -"),
])
def test_an_adviser_that_is_no_name_is_refused_with_the_form_kept(client, db_path, owner, said):
    """300 characters or «Kari» with a zero-width space pasted after it were saved as the item's
    adviser (the inbox's list then showed two «Kari»): refused as «Endret av» refuses them."""
    token = _csrf(client, f"/item/{HEARING}")
    r = client.post(f"/item/{HEARING}/triage", data={"csrf": token, "state": "respond", "owner": owner,
                                                     "note": "Vi svarer", "by": "Kari"})
    assert r.status_code == 422
    page = r.get_data(as_text=True)
    assert re.search(r'id="flash-error">(.*?)</p>', html_lib.unescape(page), re.S).group(1) == said
    form = re.search(r'<form[^>]*id="triage-form".*?</form>', page, re.S).group(0)
    assert html_lib.unescape(re.search(r'name="owner" id="owner" value="([^"]*)"', form).group(1)) == owner
    assert '<option value="respond" selected>' in form and ">Vi svarer</textarea>" in form
    db = open_db(db_path)
    assert db.execute("select count(*) from triage").fetchone()[0] == 0
    db.close()


def test_a_draft_by_day_after_the_deadline_is_refused_naming_the_deadline(client, db_path):
    token = _csrf(client, f"/item/{HEARING}")
    r = client.post(f"/item/{HEARING}/triage", data={"csrf": token, "state": "respond", "internal_deadline": "2026-12-14",
                                                     "by": "Kari"})
    assert r.status_code == 422
    page = html_lib.unescape(r.get_data(as_text=True))
    assert ("«Utkast innen» man. 14.12.2026 er etter sakens frist tor. 10.12.2026: et utkast må være klart før "
            "fristen.") in page
    assert 'id="internal_deadline" value="2026-12-14"' in page
    r = client.post(f"/item/{HEARING}/triage", data={"csrf": token, "internal_deadline": "2026-12-10garbage"})
    assert "«Utkast innen» må være en dato (ÅÅÅÅ-MM-DD), ikke '2026-12-10garbage'." in html_lib.unescape(r.get_data(as_text=True))
    # a day before the workbench's today (24.11.2026) was stored: a draft due on a day that has passed
    r = client.post(f"/item/{HEARING}/triage", data={"csrf": token, "state": "respond", "internal_deadline": "2026-11-23",
                                                     "by": "Kari"})
    assert r.status_code == 422 and ("«Utkast innen» man. 23.11.2026 er før i dag (tir. 24.11.2026): et utkast kan "
                                     "ikke ha frist på en dag som er passert.") in html_lib.unescape(r.get_data(as_text=True))
    db = open_db(db_path)
    assert db.execute("select count(*) from triage").fetchone()[0] == 0
    db.close()


def _history_rows(html: str) -> list[str]:
    table = re.search(r'<table class="list" id="triage-history">.*?</table>', html, re.S).group(0)
    return [re.sub(r"\s+", " ", html_lib.unescape(re.sub(r"<(?!/?(del|ins)\b)[^>]+>", " ", row))).strip()
            for row in re.findall(r"<tr><td>.*?</tr>", table, re.S)]


def test_the_triage_history_says_a_topic_marked_and_a_draft_by_day_changed(client, db_path):
    """A label mark read as the owner removed («<del>Kari Nordmann</del> –») and the note
    replaced; a new draft-by day as «skal svares → skal svares» with nothing saying what."""
    token = _csrf(client, f"/item/{HEARING}")
    client.post(f"/item/{HEARING}/triage", data={"csrf": token, "state": "respond", "owner": "Kari Nordmann",
                                                 "note": "Svar sammen med BFD", "internal_deadline": "2026-12-01",
                                                 "by": "Kari"})
    client.post(f"/item/{HEARING}/labels", data={"csrf": token, "mark": "+", "label": "oecd-vii", "by": "Kari"})
    client.post(f"/item/{HEARING}/triage", data={"csrf": token, "owner": "Kari Nordmann",
                                                 "internal_deadline": "2026-12-08", "by": "Kari"})
    client.post(f"/item/{HEARING}/labels", data={"csrf": token, "mark": "-", "label": "oecd-vii", "by": "Kari"})
    html = client.get(f"/item/{HEARING}").get_data(as_text=True)
    newest, day, added, first = _history_rows(html)
    assert "Merke fjernet: Kap. VII Korrupsjon" in newest and "Kari Nordmann" not in newest
    assert "Utkast innen: tir. 01.12.2026 → tir. 08.12.2026" in day and "skal svares → skal svares" not in day
    assert "<del>" not in day and "Kari Nordmann" in day  # the owner as it was, not put back
    assert "Merke lagt til: Kap. VII Korrupsjon" in added and "<del>" not in added
    assert "Svar sammen med BFD" in first and "ny → skal svares" in first
    assert "Utkast innen: – → tir. 01.12.2026" in first
    assert 'id="triage-note">Svar sammen med BFD<' in html  # the item's note stays
    english = client.get(f"/item/{HEARING}?lang=en").get_data(as_text=True)
    assert "Topic removed: Ch. VII Combating Bribery and Other Forms of Corruption" in english


def test_label_marks_made_before_read_as_marks_after_the_migration(db_path):
    from tracker.store.migrations import m2500_triage_history_changes

    db = open_db(db_path)
    with db.conn:
        db["triage_history"].insert_all([
            {"item_id": HEARING, "at": "2026-11-20T10:00:00+00:00", "by": "Kari", "state_before": "new",
             "state_after": "respond", "owner": "Kari", "note": "Svar"},
            {"item_id": HEARING, "at": "2026-11-21T10:00:00+00:00", "by": "Kari", "state_before": "respond",
             "state_after": "respond", "owner": None, "note": "label +oecd-vii"}])
        db.execute("update triage_history set label_mark = null")
    m2500_triage_history_changes(db)
    db.close()
    html = make_app(db_path).test_client().get(f"/item/{HEARING}").get_data(as_text=True)
    mark, first = _history_rows(html)
    assert "Merke lagt til: Kap. VII Korrupsjon" in mark and "<del>" not in mark and "label" not in mark
    assert "Svar" in first


def test_what_a_save_did_is_said_once_in_the_pages_language_and_never_read_from_the_address(client):
    """After a save the address carried ?msg=Lagret%3A+skal+svares: said again on every reload
    and bookmark, in Bokmål after switching to English, and any ?msg=/?err= text was shown as
    if the workbench said it."""
    token = _csrf(client, f"/item/{HEARING}")
    r = client.post(f"/item/{HEARING}/triage", data={"csrf": token, "state": "respond", "by": "Kari"})
    assert r.status_code == 302 and "?" not in r.location
    page = client.get(r.location).get_data(as_text=True)
    assert '<p class="ok" id="flash">Lagret: skal svares</p>' in page
    assert 'id="flash"' not in client.get(r.location).get_data(as_text=True)  # once
    client.get(f"/item/{HEARING}?lang=en")
    r = client.post(f"/item/{HEARING}/triage", data={"csrf": token, "state": "watching"})
    assert '<p class="ok" id="flash">Saved: watching</p>' in client.get(r.location).get_data(as_text=True)
    forged = client.get(f"/item/{HEARING}?msg=Saken+er+slettet&err=Logg+inn+p%C3%A5+evil.example").get_data(as_text=True)
    assert 'id="flash' not in forged and "Saken er slettet</p>" not in forged
    r = client.post(f"/item/{HEARING}/labels", data={"csrf": token, "mark": "+", "label": "kapittel tolv"})
    assert r.status_code == 302 and "?" not in r.location
    assert 'id="flash-error">Unknown label' in client.get(r.location).get_data(as_text=True)


def _flash(client, r) -> str:
    assert r.status_code == 302, r.get_data(as_text=True)[:300]
    page = client.get(r.location).get_data(as_text=True)
    return html_lib.unescape(re.search(r'<p class="ok" id="flash">(.*?)</p>', page, re.S).group(1))


def test_a_save_that_changed_nothing_says_so_and_one_that_did_names_what(client, db_path):
    """«Lagret: skal svares» was said of a form sent with nothing changed (set_state wrote
    nothing), of a topic the item was marked with already (mark_labels skipped it), and of a
    change of only the adviser or the draft-by day (the status it kept)."""
    token = _csrf(client, f"/item/{HEARING}")

    def triage(**fields):
        return _flash(client, client.post(f"/item/{HEARING}/triage", data={
            "csrf": token, "state": "", "owner": "", "internal_deadline": "", "note": "", "by": "Kari", **fields}))

    assert triage(state="respond") == "Lagret: skal svares"
    assert triage() == "Ingen endring"
    assert triage(owner="Kari Nordmann") == "Lagret: ansvarlig Kari Nordmann"
    assert triage(owner="Kari Nordmann", internal_deadline="2026-12-09") == "Lagret: utkast innen ons. 09.12.2026"
    assert triage(owner="Kari Nordmann", internal_deadline="2026-12-09") == "Ingen endring"
    assert triage(internal_deadline="2026-12-09") == "Lagret: ingen ansvarlig"
    assert triage(note="Svar med BFD " * 10) == "Lagret: ingen utkastfrist, notat: «" + ("Svar med BFD " * 10)[:80] + " …»"
    db = open_db(db_path)
    assert db.execute("select count(*) from triage_history").fetchone()[0] == 5
    db.close()

    def label(mark):
        return _flash(client, client.post(f"/item/{HEARING}/labels", data={"csrf": token, "mark": mark,
                                                                            "label": "oecd-vii", "by": "Kari"}))

    assert label("+") == "Lagret: +Kap. VII Korrupsjon"
    assert label("+") == "Ingen endring"  # as `triage --label` says «ingen endring»
    assert label("-") == "Lagret: -Kap. VII Korrupsjon"
    client.get(f"/item/{HEARING}?lang=en")
    assert label("-") == "Nothing changed"
    assert triage(state="watching") == "Saved: watching"


def test_what_a_save_did_is_said_on_its_own_page_in_that_pages_language(client):
    token = _csrf(client, f"/item/{HEARING}")
    r = client.post(f"/item/{HEARING}/triage", data={"csrf": token, "state": "respond", "by": "Kari"})
    assert 'id="flash"' not in client.get(f"/item/{EU}").get_data(as_text=True)  # another page: not said there
    page = client.get(r.location + "?lang=en").get_data(as_text=True)  # switched to English before reading it
    assert '<p class="ok" id="flash">Saved: to answer</p>' in page and "Lagret" not in page


@pytest.mark.parametrize(("lang", "said"), [
    ("nb", "<del>akseptert for videre behandling</del> <ins>sluttuttalelse</ins>"),
    ("en", "<del>accepted for further examination</del> <ins>final statement</ins>"),
])
def test_an_ncp_cases_stage_reads_by_name_in_the_items_history(db_path, lang, said):
    """«fase endret — fase: final_statement» in both languages: the stage's code, not its name."""
    db = open_db(db_path)
    with db.conn:
        db["events"].insert({"item_id": HEARING, "run_id": 1, "at": "2026-11-24T05:00:00+00:00",
                             "kind": "stage_changed", "field": "stage", "before": "accepted",
                             "after": "final_statement"})
    db.close()
    html = make_app(db_path).test_client().get(f"/item/{HEARING}?lang={lang}").get_data(as_text=True)
    assert said in html and "final_statement" not in html


@pytest.mark.parametrize(("lang", "said"), [
    ("nb", "<ins>Bortfalt eller trukket tilbake</ins>"),
    ("en", "<ins>Procedure lapsed or withdrawn</ins>"),
])
def test_an_eu_procedures_stage_reads_in_the_pages_language_in_the_items_history(db_path, lang, said):
    """OEIL's stage stayed in English on a Bokmål page («Procedure lapsed or withdrawn»)."""
    html = _history_after(db_path, EU, "stage_changed", "stage", "Awaiting Council's 1st reading position",
                          "Procedure lapsed or withdrawn", lang)
    assert said in html
    assert ("Procedure lapsed" in html) is (lang == "en")


def test_the_search_page_passes_over_a_paragraph_sign(client):
    page = html_lib.unescape(client.get("/search", query_string={"q": "åpenhetsloven § tvangsarbeid"}).get_data(as_text=True))
    assert "har ingen bokstaver eller sifre" not in page and f"/item/{HEARING}" in page


@pytest.mark.parametrize(("lang", "nav", "title"), [
    ("nb", "SPU", "Statens pensjonsfond utland – styring"),
    ("en", "GPFG", "Government Pension Fund Global – governance"),
])
def test_the_fund_is_named_as_the_digest_names_it(tmp_path, lang, nav, title):
    """The menu and the page title said «Oljefondet» while the page's heading and the digest say
    «Statens pensjonsfond utland» / «SPU», the official name: one name for one fund."""
    from test_cli_gpfg import _seed

    path = tmp_path / "t.db"
    _seed(path)
    client = create_app(str(path), as_of=datetime(2026, 11, 24, 9, tzinfo=OSLO), data_dir=tmp_path / "d").test_client()
    page = html_lib.unescape(client.get(f"/gpfg?lang={lang}").get_data(as_text=True))
    assert f'id="nav-gpfg">{nav}</a>' in page and f"<title>{title}" in page and f"<h1>{title}</h1>" in page
    assert "oljefond" not in page.casefold() and "oil fund" not in page.casefold()
    empty = html_lib.unescape(client.get(f"/gpfg?actor=Stortinget&stage=decision&lang={lang}").get_data(as_text=True))
    assert "oljefond" not in empty.casefold() and "oil fund" not in empty.casefold()


@pytest.mark.parametrize(("lang", "said"), [("nb", "Kontaktpunktet i Storbritannia"), ("en", "NCP United Kingdom")])
def test_an_ncp_cases_sender_is_its_countrys_ncp_in_the_pages_language(db_path, lang, said):
    """«Avsender NCP United Kingdom» on a Bokmål page: the lead NCP's country in English."""
    from tracker.store import merge as store

    db = open_db(db_path)
    run = store.start_run(db, as_of=AS_OF, mode="test", sources=["oecd_ncp_cases"])
    store.apply_scrape(db, run_id=run, as_of=AS_OF, source="oecd_ncp_cases", items=[{
        "source": "oecd_ncp_cases", "kind": "ncp_case", "native_id": "uk0112", "owner": "NCP United Kingdom",
        "title": "Coastal Communities Alliance vs. Kestrel Offshore Holdings Ltd", "language": "en",
        "url": "https://mneguidelines.oecd.org/database/instances/uk0112.htm",
        "extra": {"lead_ncp": "United Kingdom", "supporting_ncps": ["Norway"], "stage": "accepted"}}])
    db.close()
    html = make_app(db_path).test_client().get(f"/item/oecd_ncp_cases:uk0112?lang={lang}").get_data(as_text=True)
    assert f'<dd id="sender">{said}</dd>' in html
    assert ("United Kingdom" in html) is (lang == "en")


def test_the_sources_status_word_reads_as_words_not_a_code(db_path):
    """«(kilden skriver «til_behandling»)» on a Storting case: the export's code, underscore and all."""
    from tracker.store import merge as store

    db = open_db(db_path)
    run = store.start_run(db, as_of=AS_OF, mode="test", sources=["no_stortinget_spu"])
    store.apply_scrape(db, run_id=run, as_of=AS_OF, source="no_stortinget_spu", items=[{
        "source": "no_stortinget_spu", "kind": "storting_case", "native_id": "107095", "status_raw": "til_behandling",
        "title": "Representantforslag om å gjeninnføre Etikkrådets tilrådninger", "owner": "Finanskomiteen",
        "url": "https://www.stortinget.no/no/Saker-og-publikasjoner/Saker/Sak/?p=107095"}])
    db.close()
    html = make_app(db_path).test_client().get("/item/no_stortinget_spu:107095").get_data(as_text=True)
    status = re.search(r'<dd id="status">(.*?)</dd>', html, re.S).group(1)
    assert "(kilden skriver «til behandling»)" in html_lib.unescape(re.sub(r"<[^>]+>", "", status))
    assert "til_behandling" not in re.sub(r'href="[^"]*"', "", status)  # the search link keeps the source's word


@pytest.mark.parametrize(("lang", "timed", "day"), [
    ("nb", "tor. 03.12.2026 kl. 12.00", "tor. 10.12.2026"),
    ("en", "Thu 3 Dec 2026 12:00", "Thu 10 Dec 2026"),
])
def test_a_deadline_in_search_results_has_its_time_when_it_has_one(client, lang, timed, day):
    """The search results gave a committee hearing's 12:00 deadline as its day alone («tor.
    03.12.2026»), where its page and the digest say «kl. 12.00»; a day's deadline stays a day."""
    page = html_lib.unescape(client.get(f"/search?q=regnskapsloven&lang={lang}").get_data(as_text=True))
    assert f"{timed} · " in page, page
    hearing = html_lib.unescape(client.get(f"/search?q=endring&lang={lang}").get_data(as_text=True))
    assert f"{day} · " in hearing and f"{day} kl." not in hearing and f"{day} 23:59" not in hearing


def test_the_draft_button_of_a_withdrawn_hearing_says_it_is_withdrawn(db_path):
    """The page said «Status trukket» and offered «Lag utkast (.docx)» with no word beside it."""
    db = open_db(db_path)
    db["items"].update(HEARING, {"status": "withdrawn", "status_raw": "Trukket"})
    db.close()
    client = make_app(db_path).test_client()
    html = html_lib.unescape(client.get(f"/item/{HEARING}").get_data(as_text=True))
    section = re.search(r'<section class="draft" id="draft">(.*?)</section>', html, re.S).group(1)
    assert 'id="draft-docx"' in section
    assert "⚠ Høringen er trukket tilbake: kilden oppgir «Trukket»." in section
    html = html_lib.unescape(client.get(f"/item/{HEARING}?lang=en").get_data(as_text=True))
    assert "⚠ The consultation has been withdrawn: the source says “Trukket”." in html
    assert "draft-caution" not in client.get(f"/item/{HEARING_FISH}").get_data(as_text=True)


def test_the_horizon_shows_the_watchlist_note_in_the_pages_language(client):
    """/horizon (nb) showed EUDR's English note «Applies 30 Dec 2026 (large) …» though the watchlist
    has a Bokmål one: each page shows the note of its language (WatchEntry.note_in)."""
    nb = html_lib.unescape(client.get("/horizon?weeks=12&all=1").get_data(as_text=True))
    en = html_lib.unescape(client.get("/horizon?weeks=12&all=1&lang=en").get_data(as_text=True))
    assert "EUDR: Deforestation Regulation" in nb and "EUDR: Deforestation Regulation" in en
    assert "<small>Gjelder fra 30. desember 2026 (store foretak) og 30. juni 2027 (mikro- og småforetak)" in nb
    assert "Applies 30 Dec 2026" not in nb
    assert "<small>Applies 30 Dec 2026 (large) and 30 June 2027 (micro/small)" in en and "Gjelder fra" not in en


def test_the_watchlist_page_gives_the_eea_status_in_the_pages_language(client):
    """The Bokmål /watchlist printed the English EEA text («EØS: Given effect through …»): each
    watched file's eea_nb on the Bokmål page, its eea on the English one."""
    from tracker.links.watchlist import load

    noted = [e for e in load() if e.eea]
    def text(url):  # the words as read (an English status is in a span marked lang="en")
        return re.sub(r"</?span[^>]*>", "", html_lib.unescape(client.get(url).get_data(as_text=True)))

    nb, en = text("/watchlist"), text("/watchlist?lang=en")
    assert noted and all(f"EØS: {e.eea_nb}</p>" in nb and e.eea not in nb for e in noted)
    assert all(f"EEA: {e.eea}</p>" in en and e.eea_nb not in en for e in noted)
    assert "EØS: Gjennomført i forskrift til regnskapsloven; status for de reviderte ESRS i Norge er ukjent.</p>" in nb


@pytest.mark.parametrize(("query", "nb_error", "en_error"), [
    ("by=xyz", "«Grupper» må være «per uke» eller «per måned», ikke 'xyz'",
     "“Group” must be “per week” or “per month”, not 'xyz'"),
    ("weeks=abc", "«Uker fremover» må være et helt tall fra 1 til 104, ikke 'abc'",
     "“Weeks ahead” must be a whole number from 1 to 104, not 'abc'"),
    ("weeks=0", "«Uker fremover» må være et helt tall fra 1 til 104, ikke '0'",
     "“Weeks ahead” must be a whole number from 1 to 104, not '0'"),
])
def test_a_bad_horizon_parameter_is_named_as_the_form_names_it(client, query, nb_error, en_error):
    """/horizon?by=xyz said «by må være week eller month, ikke 'xyz'»: the Bokmål error named the
    parameter and its values in English code words; both languages now use the form's words."""
    nb = html_lib.unescape(client.get(f"/horizon?{query}").get_data(as_text=True))
    en = html_lib.unescape(client.get(f"/horizon?{query}&lang=en").get_data(as_text=True))
    assert f'<p class="error" id="horizon-error">{nb_error}</p>' in nb
    assert f'<p class="error" id="horizon-error">{en_error}</p>' in en
    assert '<select name="by"><option value="week" selected>' in nb  # the page shows its defaults


def _announce(db_path: str, **kw) -> None:
    db = open_db(db_path)
    announce(db, **kw)
    db.close()


@pytest.mark.parametrize(("as_of", "lang", "said"), [
    (datetime(2026, 11, 24, 6, tzinfo=OSLO), "nb", ("Åpner", "tir. 01.12.2026")),
    (datetime(2026, 12, 7, 9, tzinfo=OSLO), "nb", ("Skulle åpne", "tir. 01.12.2026 (ikke sett åpnet ennå)")),
    (datetime(2026, 12, 7, 9, tzinfo=OSLO), "en", ("Was to open", "Tue 1 Dec 2026 (not seen open yet)")),
])
def test_an_announced_consultations_page_says_when_it_opens(db_path, as_of, lang, said):
    """The item page of a consultation announced but not open yet said «Status: kommende» and
    «Publisert: tir. 01.12.2026» — nowhere that it opens for input that day, nor, once the day
    had passed and the source still called it announced, that it had not opened: the digest
    said both. Now the page says it as the digest does (`wording.opening`)."""
    _announce(db_path)
    html = make_app(db_path, as_of=as_of).test_client().get(
        f"/item/eu_haveyoursay:18911?lang={lang}").get_data(as_text=True)
    assert f'<dt>{said[0]}</dt><dd id="opens">{said[1]}</dd>' in html
    # its «published» is the day it is to open (Have your say): not said again as «Publisert»
    assert "<dt>Publisert</dt>" not in html and "<dt>Published</dt>" not in html
    other = make_app(db_path, as_of=as_of).test_client().get("/").get_data(as_text=True)
    first = re.search(r'href="(/item/[^"]+)"', other).group(1)  # an open item: no such line
    assert 'id="opens"' not in make_app(db_path, as_of=as_of).test_client().get(first).get_data(as_text=True)



def test_the_inbox_lists_the_consultations_announced_but_not_open_yet(db_path):
    """The web inbox listed the open consultations only: one that will need input once it opens
    (announced, relevant) was in the digest's «Varslet, ikke åpnet ennå» and nowhere in the
    workbench's inbox. Now it has its table under «Trenger innspill», with the day it opens (or
    that it was to open), its deadline and draft-due day; an adviser's inbox shows their own."""
    _announce(db_path)
    page = make_app(db_path).test_client().get("/").get_data(as_text=True)
    assert '<h2 id="announced-heading">Varslet, ikke åpnet ennå (1)</h2>' in page
    table = page[page.index('<table class="list cards" id="announced">'):].split("</table>", 1)[0]
    assert ANNOUNCED in table and '<td class="opens" data-label="Åpner">tir. 01.12.2026</td>' in table
    assert "tir. 26.01.2027" in table and "tir. 19.01.2027" in table  # its deadline, its draft due
    assert page.index('id="inbox"') < page.index('id="announced"')
    late = make_app(db_path, as_of=datetime(2026, 12, 7, 9, tzinfo=OSLO)).test_client().get("/?lang=en")
    assert ("<td class=\"opens\" data-label=\"Opens\">Was to open: Tue 1 Dec 2026 (not seen open yet)</td>"
            in late.get_data(as_text=True))
    db = open_db(db_path)
    with db.conn:  # Kari follows it up; Ola another item
        db["triage"].upsert({"item_id": "eu_haveyoursay:18911", "state": "assigned", "owner": "Kari",
                             "updated_at": "2026-11-24T09:00:00+01:00"}, pk="item_id")
        db["triage"].upsert({"item_id": HEARING, "state": "assigned", "owner": "Ola",
                             "updated_at": "2026-11-24T09:00:00+01:00"}, pk="item_id")
    db.close()
    assert ANNOUNCED in make_app(db_path).test_client().get("/?owner=kari").get_data(as_text=True)
    ola = make_app(db_path).test_client().get("/?owner=ola").get_data(as_text=True)
    assert 'id="inbox"' in ola and 'id="announced"' not in ola  # not Ola's
    _announce(db_path, labels="[]", relevance=0.05)  # not relevant: not listed
    assert 'id="announced"' not in make_app(db_path).test_client().get("/").get_data(as_text=True)


def test_a_search_that_finds_nothing_links_the_words_as_prefixes(client):
    """«Ingen treff.» for «leverandør» while an item speaks of «leverandørkjeden»: the page now
    offers the words as prefixes, linked, with how many they find (the other filters kept)."""
    page = client.get("/search?q=leverandør&status=open").get_data(as_text=True)
    said = re.search(r'<p class="empty" id="no-hits">(.*?)</p>', page, re.S).group(1)
    assert said.startswith("Ingen treff.")
    link = re.search(r'<span id="widened"><a href="([^"]+)">leverandør\*</a> \(ord som begynner med dem, også '
                     r'sammensatte ord\) finner 1 sak\.</span>', said)
    assert link, said
    target = urlsplit(html_lib.unescape(link.group(1)))
    assert target.path == "/search" and parse_qs(target.query) == {"q": ["leverandør*"], "status": ["open"]}
    assert HEARING in client.get(html_lib.unescape(link.group(1))).get_data(as_text=True)
    assert 'id="widened"' not in client.get("/search?q=xyzzy").get_data(as_text=True)


def test_the_item_page_says_when_a_draft_is_due_on_a_day_off(client, db_path):
    """An internal deadline on a Sunday or a public holiday read like any other day on the item
    page; it now says which day off it is (the terminal warns when it is set)."""
    from tracker.workbench import triage

    db = open_db(db_path)
    triage.set_state(db, HEARING, "respond", internal_deadline="2026-11-29", by="kari",
                     today=datetime(2026, 11, 24).date())
    db.close()
    page = client.get(f"/item/{HEARING}").get_data(as_text=True)
    due = re.search(r'<span id="triage-due">(.*?)</span>', page, re.S).group(1)
    assert re.sub(r"<[^>]+>", "", due) == "søn. 29.11.2026 (en fridag: søndag)"
    db = open_db(db_path)
    triage.set_state(db, HEARING, None, internal_deadline="2026-12-07", by="kari", today=datetime(2026, 11, 24).date())
    db.close()
    page = client.get(f"/item/{HEARING}").get_data(as_text=True)
    assert re.search(r'<span id="triage-due">man\. 07\.12\.2026</span>', page)



def test_the_item_page_counts_christmas_eve_as_the_profile_does(data_dir, db_path, client):
    """Christmas Eve is a day off by default; where the ncp profile (by which the workbench computes
    draft-due days) says `eves_are_working_days`, the page no longer calls it «en fridag». (The data
    directory first: the app reads the configuration naming it when it is made.)"""
    from tracker.workbench import triage

    db = open_db(db_path)
    db.execute("update items set deadline = '2027-01-15T23:59:59+01:00' where id = ?", [HEARING])
    db.conn.commit()
    triage.set_state(db, HEARING, "respond", internal_deadline="2026-12-24", by="kari",
                     today=datetime(2026, 11, 24).date())
    db.close()

    def due() -> str:
        page = client.get(f"/item/{HEARING}").get_data(as_text=True)
        return re.sub(r"<[^>]+>", "", re.search(r'<span id="triage-due">(.*?)</span>', page, re.S).group(1))

    assert due() == "tor. 24.12.2026 (en fridag: Julaften)"
    (data_dir / "profiles.toml").write_text("[profiles.ncp]\neves_are_working_days = true\n", "utf-8")
    assert due() == "tor. 24.12.2026"


def test_the_watchlist_page_says_which_numbers_are_not_verified(client):
    """`watchlist` says «(ikke kontrollert: prosedyrenummer, COM-nummer)» of an entry whose numbers
    were not checked against the source; the web's page showed them as if checked."""
    from tracker.links.watchlist import load

    entry = next(e for e in load() if e.unverified)
    page = client.get("/watchlist").get_data(as_text=True)
    said = re.search(rf'<p class="meta unverified" id="unverified-{entry.id}">(.*?)</p>', page).group(1)
    from tracker.vocabulary import watch_field_name

    assert said == "(ikke kontrollert: " + ", ".join(watch_field_name(f, "nb") for f in entry.unverified) + ")"
    assert "procedure" not in said and "com," not in said
