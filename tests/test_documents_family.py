"""A watched EU file's document family (proposal → Council mandate → EP position → adopted act),
EUR-Lex's act and proposal layouts, and Stortinget case documents, each through the `documents`
spider (replayed, constructed fixtures: tests/fixtures/documents/README.md) and read with the real
tagger; what a person sees on the item page and in the .docx."""

from __future__ import annotations

import json
import re
from datetime import datetime
from html import unescape

import pytest
from docgen import Act, act_spec, csddd_family, write_eurlex_com, write_eurlex_oj, write_pdf
from support import FIXTURES, file_response, make_spider

from crawlers.dates import OSLO
from tracker.documents import extract as ex
from tracker.documents import family

AS_OF = datetime(2026, 11, 24, 6, tzinfo=OSLO)
CSDDD = "2022/0051(COD)"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def tagger():
    from nlp.tagger import default_tagger

    return default_tagger()


# --------------------------------------------------------------------------- stages and addresses


def test_key_events_name_stages_and_references_name_documents():
    assert family.stage_of("Legislative proposal published") == "proposal"
    assert family.stage_of("Council general approach") == "council_mandate"
    assert family.stage_of("Decision by Parliament, 1st reading") == "ep_position"
    assert family.stage_of("Final act published in Official Journal") == "adopted"
    assert family.stage_of("Final act signed") is None
    assert family.stage_of("Committee referral announced in Parliament") is None
    url = family.document_url
    assert url("proposal", "COM(2022)0071").endswith("uri=CELEX:52022PC0071")
    assert url("council_mandate", "15024/1/22 REV 1").endswith("/ST-15024-2022-REV-1/en/pdf")
    assert url("council_mandate", "9870/25").endswith("/ST-9870-2025-INIT/en/pdf")
    assert url("ep_position", "T9-0329/2024").endswith("/TA-9-2024-0329_EN.pdf")
    assert url("adopted", "Directive (EU) 2024/1760").endswith("uri=CELEX:32024L1760")
    assert url("adopted", "Regulation (EU) 2023/956").endswith("uri=CELEX:32023R0956")
    for stage, ref in (("proposal", "C(2026)8044"), ("adopted", "COM(2022)0071"), ("ep_position", "A9-0184/2023")):
        with pytest.raises(family.FamilyError, match="not a reference"):
            url(stage, ref)


def test_stage_links_take_the_latest_event_per_stage_and_report_bad_references():
    extra = {"watch": "csddd", "key_events": [
        {"date": "2022-02-23", "event": "Legislative proposal published", "reference": "COM(2022)0071"},
        {"date": "2023-06-01", "event": "Decision by Parliament, 1st reading", "reference": "T9-0209/2023"},
        {"date": "2024-04-24", "event": "Decision by Parliament, 1st reading", "reference": "T9-0329/2024"},
        {"date": "2024-05-01", "event": "Council general approach", "reference": "see press release"},
        {"date": "2024-06-13", "event": "Final act signed", "reference": None}]}
    links, problems = family.stage_links({"id": "eu_oeil:x", "extra": json.dumps(extra)})
    assert [(lk["stage"], lk["reference"]) for lk in links] == [("proposal", "COM(2022)0071"),
                                                                ("ep_position", "T9-0329/2024")]
    assert len(problems) == 1 and "see press release" in problems[0]


# --------------------------------------------------------------------------- EUR-Lex layouts


def test_official_journal_act_layout_is_read_article_by_article():
    act = Act(["REGULATION (EU) 2099/1 OF THE EUROPEAN PARLIAMENT AND OF THE COUNCIL", "of 1 January 2099",
               "on testing"], ["First recital.", "Second recital."],
              [("1", "Subject matter", ["1. This Regulation lays down rules.", "2. It applies to all."]),
               ("2", "Definitions", ["For the purposes of this Regulation, the following definitions apply."]),
               ("12", "Entry into force", ["This Regulation shall enter into force on the twentieth day."])],
              chapters={"1": ("I", "GENERAL PROVISIONS"), "12": ("II", "FINAL PROVISIONS")})
    doc = ex.extract_html(write_eurlex_oj(act))
    heads = [(s.number, s.heading) for s in doc.sections]
    assert heads == [(None, ""), (None, "CHAPTER I GENERAL PROVISIONS"), ("1", "Article 1 Subject matter"),
                     ("2", "Article 2 Definitions"), (None, "CHAPTER II FINAL PROVISIONS"),
                     ("12", "Article 12 Entry into force")]
    preamble = [p.text for p in doc.sections[0].paragraphs]
    assert "(1) First recital." in preamble and "(2) Second recital." in preamble  # label cell + text cell
    assert [p.text for p in doc.sections[2].paragraphs] == ["1. This Regulation lays down rules.", "2. It applies to all."]


def test_commission_proposal_layout_and_pdf_give_the_same_articles():
    f = csddd_family()
    com = ex.extract_html(write_eurlex_com(f["proposal"]))
    pdf = ex.extract_pdf(write_pdf(act_spec(f["proposal"])))
    for doc in (com, pdf):
        arts = {s.number: s for s in doc.sections if s.number}
        assert list(arts) == [n for n, _, _ in f["proposal"].articles]
        assert arts["6"].heading == "Article 6 Identifying actual and potential adverse impacts"
        assert arts["6"].text == f["proposal"].articles[3][2][0]


# --------------------------------------------------------------------------- the family end to end


def _store_procedure(db, html_name="procedure.html"):
    from crawlers.spiders.eu_oeil import EuOeilSpider, procedure_url
    from tracker.store import merge as store

    spider = make_spider(EuOeilSpider, procedures=CSDDD)
    items = list(spider.parse(file_response(FIXTURES / "documents" / "eu_family" / html_name, procedure_url(CSDDD)),
                              reference=CSDDD))
    for it in items:
        it = dict(it)
        it["extra"] = {**it["extra"], "watch": "csddd"}
        run = store.start_run(db, as_of=AS_OF, mode="replay", sources=["eu_oeil"])
        store.apply_scrape(db, run_id=run, as_of=AS_OF, source="eu_oeil", items=[it])
    return f"eu_oeil:{CSDDD}"


@pytest.fixture(scope="module")
def fetched(tmp_path_factory, tagger):
    """The CSDDD procedure stored from its OEIL page, its four stage documents fetched through the
    documents spider from the replay and read."""
    from tracker.documents.fetch import fetch_in_child, pending_links
    from tracker.documents.pipeline import read_and_match
    from tracker.store.db import open_db

    tmp = tmp_path_factory.mktemp("family")
    db_path = tmp / "t.db"
    db = open_db(db_path)
    item_id = _store_procedure(db)
    summary = family.sync(db, at=AS_OF.isoformat())
    assert summary["stages"] == 4 and summary["problems"] == []
    links = [lk for lk in pending_links(db) if lk["item_id"] == item_id]
    assert [lk["type"] for lk in links] == ["eu_proposal", "eu_council_mandate", "eu_ep_position", "eu_adopted"]
    db.close()
    config = tmp / "c.toml"
    config.write_text(f'[tracker]\ndata_dir = "{tmp / "data"}"\n', "utf-8")
    fetch_in_child(db_path, links, as_of=AS_OF, replay_dir=str(FIXTURES / "documents" / "eu_family"),
                   data_dir=tmp / "data", config_path=str(config))
    db = open_db(db_path)
    read_and_match(db, at=AS_OF.isoformat(), tagger=tagger, provisions=[])
    yield db, db_path, item_id, tmp
    db.close()


def test_family_stages_in_order_each_redlined_against_the_previous(fetched):
    db, _, item_id, _ = fetched
    stages = family.family(db, item_id)
    assert [(s["stage"], s["status"], s["read_status"]) for s in stages] == [
        ("proposal", "ok", "read"), ("council_mandate", "ok", "read"), ("ep_position", "ok", "read"),
        ("adopted", "ok", "read")]
    assert [s["kind"] for s in stages] == ["html", "pdf", "pdf", "html"]
    assert stages[0]["changes"] is None and [s["against"] for s in stages[1:]] == [
        "proposal", "council_mandate", "ep_position"]

    council = {c.number or c.number_before: c for c in stages[1]["changes"]}
    # the Council deleted the directors' duty of care and raised the thresholds
    removed = [c for c in stages[1]["changes"] if c.kind == "removed"]
    assert [c.heading for c in removed] == ["Article 25 Directors' duty of care"]
    assert ("+", "1000 ") in council["2"].ops and ("-", "500 ") in council["2"].ops
    assert "4" not in council  # unchanged article: not listed

    ep = stages[2]["changes"]
    renumbered = {c.number_before: c.number for c in ep if c.renumbered}
    # the final numbering: proposal Article 6 is Article 8, Civil liability 22 → 29, climate 15 → 22
    assert renumbered["6"] == "8" and renumbered["22"] == "29" and renumbered["15"] == "22"
    art8 = next(c for c in ep if c.number == "8")
    assert art8.heading_before == "Article 6 Identifying actual and potential adverse impacts"
    assert any(op == "+" and "assess" in t for op, t in art8.ops)

    # tagged articles first, then the others; the title/recitals after the tagged articles
    for changes in (stages[1]["changes"], ep):
        tagged = [c.tagged for c in changes]
        assert tagged == sorted(tagged, reverse=True) and tagged[0]
        assert changes[0].number is not None
    # the adopted act is the Parliament's position as published: no article changed
    assert [c.number for c in stages[3]["changes"]] == [None]


def test_family_on_the_item_page_and_as_docx(fetched):
    from tracker.web.app import create_app

    _, db_path, item_id, tmp = fetched
    client = create_app(str(db_path), as_of=AS_OF, data_dir=tmp / "data").test_client()
    page = client.get(f"/item/{item_id}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    section = html[html.index('id="family"'):]
    text = unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", section)))
    for words in ("Saken trinn for trinn", "Kommisjonens forslag: COM(2022)0071", "Rådets mandat: 15024/1/22 REV 1",
                  "Parlamentets posisjon: T9-0329/2024", "Vedtatt rettsakt: Directive (EU) 2024/1760",
                  "Mot Kommisjonens forslag:", "Article 25 Directors' duty of care — fjernet",
                  "(var artikkel 6)", "Ingen artikler er endret.", "Merkede artikler", "Andre artikler"):
        assert words in text, words
    assert "<del>500 </del>" in section and "<ins>1000 </ins>" in section
    # the acts' English (their English versions are read) is marked so on the Bokmål page, the
    # page's own words are not (WCAG 3.1.2: a screen reader reads each in its language)
    assert re.search(r'<strong lang="en">[^<]*duty of care', section)
    assert '<p class="diff" lang="en">' in section and '<p class="diff">' not in section
    assert '<h2>Saken trinn for trinn</h2>' in section
    # a tagged article's topics by name, never the label codes
    labels = re.findall(r'<span class="label">([^<]*)</span>', section)
    assert labels and not [x for x in labels if x.startswith(("oecd-", "apenhetsloven", "gpfg"))], labels
    # the tagged articles come before the other articles in what the reader sees
    council = section[section.index('id="family-1-stage-council_mandate"'):section.index('id="family-1-stage-ep_position"')]
    assert council.index("Merkede artikler") < council.index("Andre artikler")

    docx_url = f"/item/{item_id}/stage/council_mandate.docx"
    assert docx_url.replace("(", "%28").replace(")", "%29") in section or docx_url in section
    got = client.get(docx_url)
    assert got.status_code == 200 and got.data[:2] == b"PK"
    path = tmp / "council.docx"
    path.write_bytes(got.data)
    import docx

    body = docx.Document(str(path)).element.body
    assert body.xml.count("<w:ins ") >= 2 and body.xml.count("<w:del ") >= 2
    deleted = "".join(t.text or "" for t in body.iter(f"{W}delText"))
    assert "directors of companies take into account" in deleted
    headings = [p.text for p in docx.Document(str(path)).paragraphs if p.style.name.startswith("Heading")]
    assert headings[0] == "Kommisjonens forslag → Rådets mandat"
    assert got.headers["Content-Disposition"].startswith('attachment; filename="endringer-')
    assert not [h for h in headings if "oecd-" in h], headings  # topics by name, as on the page
    assert any("Kap. " in h for h in headings) and any(h.endswith("— endret") or "— endret " in h for h in headings)
    # the English page's download is English: title, intro, kinds, topics and the file's name
    client.set_cookie("ncp_lang", "en")
    got = client.get(docx_url)
    assert got.headers["Content-Disposition"].startswith('attachment; filename="changes-')
    path.write_bytes(got.data)
    doc = docx.Document(str(path))
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert headings[0] == "Commission proposal → Council mandate"
    assert any("Ch. " in h for h in headings) and any("— changed" in h for h in headings), headings
    assert not [h for h in headings if "endret" in h or "Kap. " in h], headings
    assert "changes per article" in doc.paragraphs[1].text
    assert client.get(f"/item/{item_id}/stage/proposal.docx").status_code == 404  # the first stage has no redline


def test_the_acts_other_items_show_the_family_and_a_wrong_stage_is_a_clear_failure(fetched):
    db, _, item_id, _ = fetched
    from tracker.store import merge as store

    run = store.start_run(db, as_of=AS_OF, mode="replay", sources=["eu_cellar"])
    store.apply_scrape(db, run_id=run, as_of=AS_OF, source="eu_cellar", items=[{
        "source": "eu_cellar", "native_id": "32024L1760", "kind": "eu_act", "title": "Directive (EU) 2024/1760",
        "url": "https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:32024L1760",
        "extra": {"relations": [{"relation": "self", "watch": "csddd", "celex": "32024L1760"}]}}])
    assert family.procedure_items(db, "eu_cellar:32024L1760") == [item_id]
    assert family.procedure_items(db, "eu_cellar:nothing") == []
    with pytest.raises(LookupError):
        family.stage_pair(db, item_id, "proposal")


def test_a_stage_whose_key_event_changes_gets_its_new_document(tmp_path):
    from tracker.store.db import open_db

    db = open_db(tmp_path / "t.db")
    item_id = _store_procedure(db)
    family.sync(db, at=AS_OF.isoformat())
    extra = json.loads(db["items"].get(item_id)["extra"])
    extra["key_events"] = [e for e in extra["key_events"] if "Council" not in e["event"]]
    db["items"].update(item_id, {"extra": json.dumps(extra)})
    family.sync(db, at=AS_OF.isoformat())
    assert [r["stage"] for r in db.query("select stage from document_stages order by seq")] == [
        "proposal", "ep_position", "adopted"]


# --------------------------------------------------------------------------- Stortinget case documents


def test_stortinget_case_publications_are_fetched_and_read_through_the_spider(tmp_path, tagger):
    """A Stortinget hearing's case links its publication (`sak_publikasjon`): the proposition (PDF)
    and a committee recommendation (HTML) are fetched by the documents spider and read."""
    from scrapy import Request
    from scrapy.http import TextResponse

    from crawlers.spiders.no_stortinget_horinger import NoStortingetHoringerSpider
    from tracker.documents.fetch import fetch_in_child, pending_links
    from tracker.documents.pipeline import read_and_match
    from tracker.documents.view import item_documents
    from tracker.store import merge as store
    from tracker.store.db import open_db

    manifest = json.loads((FIXTURES / "documents" / "stortinget" / "documents" / "manifest.json").read_text("utf-8"))
    pub = {r["file"]: r["url"] for r in manifest["responses"]}
    data = json.loads((FIXTURES / "no_stortinget_horinger" / "horinger.json").read_text("utf-8"))
    for hearing in data["horinger_liste"]:
        for case in hearing.get("horing_sak_info_liste") or []:
            if case["sak_id"] == 107130:
                case["sak_publikasjon"] = pub["prop-25-l.pdf"]
            if case["sak_id"] == 107132:
                case["sak_publikasjon"] = pub["innst.html"]
    listing = tmp_path / "horinger.json"
    listing.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    url = "https://data.stortinget.no/eksport/horinger?sesjonid=2026-2027&format=json"
    spider = make_spider(NoStortingetHoringerSpider)

    def drive(outputs):  # the hearing programmes are not part of this test: each answers 404
        for out in outputs or []:
            if isinstance(out, Request):
                yield from drive(out.callback(TextResponse(out.url, status=404, body=b"", request=out), **out.cb_kwargs))
            else:
                yield dict(out)

    items = list(drive(spider.parse(file_response(listing, url=url))))
    items = [x for x in items if x.get("native_id") in ("sak-107130", "sak-107132")]
    assert len(items) == 2
    docs = {x["native_id"]: {d["type"]: d["url"] for d in x["documents"]} for x in items}
    assert docs["sak-107130"]["publikasjon"] == pub["prop-25-l.pdf"]
    assert docs["sak-107132"]["publikasjon"] == pub["innst.html"]

    db_path = tmp_path / "t.db"
    db = open_db(db_path)
    run = store.start_run(db, as_of=AS_OF, mode="replay", sources=["no_stortinget_horinger"])
    store.apply_scrape(db, run_id=run, as_of=AS_OF, source="no_stortinget_horinger", items=items)
    ids = [r["id"] for r in db.query("select id from items order by id")]
    links = pending_links(db, item_ids=ids)
    assert sorted(lk["url"] for lk in links) == sorted(pub.values())  # the case pages are not documents
    db.close()
    config = tmp_path / "c.toml"
    config.write_text(f'[tracker]\ndata_dir = "{tmp_path / "data"}"\n', "utf-8")
    fetch_in_child(db_path, links, as_of=AS_OF, replay_dir=str(FIXTURES / "documents" / "stortinget"),
                   data_dir=tmp_path / "data", config_path=str(config))
    db = open_db(db_path)
    summary = read_and_match(db, at=AS_OF.isoformat(), tagger=tagger)
    assert summary["read"] == 2 and summary["scanned"] == 0
    by_url = {r["url"]: r["item_id"] for r in db.query("select item_id, url from documents")}
    (prop,) = item_documents(db, by_url[pub["prop-25-l.pdf"]])
    assert prop["state"].startswith("lest, ") and prop["kind"] == "pdf"
    heads = [s["heading"] for s in prop["sections"]]
    assert "2 Aktsomhetsvurderinger" in heads
    s2 = prop["sections"][heads.index("2 Aktsomhetsvurderinger")]
    assert s2["relevant"] and s2["label_list"] and s2["page"] == 2  # the two-column section starts page 2
    assert summary["provision_hits"] >= 1  # åpenhetsloven § 4 in the proposition
    (innst,) = item_documents(db, by_url[pub["innst.html"]])
    assert innst["kind"] == "html" and "2 Komiteens merknader" in [s["heading"] for s in innst["sections"]]
    db.close()


def test_stage_documents_are_called_by_their_stage_in_lines_and_citations():
    from tracker.documents.api import Paragraph, ProvisionHit, doc_word

    assert doc_word("Directive (EU) 2024/1760 – Final act published in Official Journal", "eu_adopted") == "rettsakt"
    assert doc_word("COM(2022)0071 – Legislative proposal published", "eu_proposal") == "forslag"
    para = Paragraph("eu_oeil:x", "…", 2, "8", "Article 8 Identifying …", "T9-0329/2024", "eu_ep_position", "u",
                     ["oecd-ii"], 1.0, [])
    assert para.citation() == "(parlamentsposisjonen artikkel 8, s. 2)"
    assert para.citation("en") == "(the Parliament position, Article 8, p. 2)"
    hit = ProvisionHit("eu_oeil:x", "CSDDD", "csddd-art-8", "CSDDD art. 8", "Directive (EU) 2024/1760", "eu_adopted",
                       "u", None, "8", "…", "2026-11-24", 1, False)
    assert hit.line() == "Forslag berører CSDDD art. 8 – rettsakt"
    # in English: no Bokmål (it read «Proposal touches CSDDD art. 8 – rettsakt»)
    assert hit.line("en") == "Proposal touches CSDDD Article 8 – act"
    assert doc_word("COM(2022)0071 – Legislative proposal published", "eu_proposal", "en") == "proposal"


def test_a_stage_whose_document_is_not_in_the_recording_says_so_in_bokmal(fetched, tmp_path):
    """The demo's item page said «kunne ikke hentes: not in the recording»: the documents spider's
    own error phrase was shown as stored, in English, on a Bokmål page. And a stage whose copy we
    hold lost its articles and its redline when a later check failed (it still reads the copy, and
    says so); a refused document without a copy was said «kunne ikke hentes» (now «avvist»)."""
    import shutil

    from tracker.store.db import open_db
    from tracker.web.app import create_app

    db, db_path, item_id, tmp = fetched
    db.conn.execute("pragma wal_checkpoint(truncate)")

    def page(lang: str, change: str, stage: str, after: str) -> str:
        copy = tmp_path / f"{stage}-{lang}.db"
        shutil.copy(db_path, copy)
        other = open_db(copy)
        url = next(s["url"] for s in family.family(other, item_id) if s["stage"] == stage)
        other.execute(change, [url])
        other.conn.commit()
        other.close()
        client = create_app(str(copy), as_of=AS_OF, data_dir=tmp / "data").test_client()
        html = client.get(f"/item/{item_id}?lang={lang}").get_data(as_text=True)
        section = html[html.index(f'id="family-1-stage-{stage}"'):html.index(f'id="family-1-stage-{after}"')]
        return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", section)))

    held = ("update documents set status = 'failed', error = 'not in the recording', http_status = 404, "
            "checked_at = '2026-11-25T05:00:00+00:00' where url = ?")
    for lang, words, articles in (
            ("nb", "siste sjekk ons. 25.11.2026: kunne ikke hentes: mangler i opptaket; kopien fra ", "lest: "),
            ("en", "last check Wed 25 Nov 2026: could not be fetched: not in the recording; the copy of ",
             "read: ")):
        text = page(lang, held, "council_mandate", "ep_position")
        assert words in text and articles in text, text
        # the copy still has its redline against the proposal
        assert re.search(r"(Against|Mot) .+: \d+ (articles changed|artikler endret)", text), text
    refused = ("update documents set status = 'refused', sha256 = null, http_status = 200, "
               "error = 'larger than the limit (52428801 > 52428800 bytes)' where url = ?")
    for lang, words in (("nb", "avvist: større enn grensen (52428801 > 52428800 byte)"),
                        ("en", "refused: larger than the limit (52428801 > 52428800 bytes)")):
        text = page(lang, refused, "council_mandate", "ep_position")
        assert words in text and "siste sjekk" not in text and "last check" not in text, text


def test_the_english_reason_calls_a_stage_document_by_its_stage_in_english(fetched):
    """The item's English reason began «rettsakt s. …» before: the tracker's Bokmål word for the stage."""
    db, _, item_id, _ = fetched
    item = db["items"].get(item_id)
    word = item["relevance_reason"].split(" ", 1)[0]
    assert word in ("forslag", "rådsmandat", "parlamentsposisjon", "rettsakt")
    english = {"forslag": "proposal", "rådsmandat": "Council mandate", "parlamentsposisjon": "Parliament position",
               "rettsakt": "act"}[word]
    assert item["relevance_reason_en"].startswith(f"{english} p. ")
