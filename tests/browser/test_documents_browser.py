"""In a real headless Chromium: the item page's documents — sections with labels and pages, the
strongest paragraphs, a scanned letter flagged, the redline of a changed høringsnotat and its
.docx with tracked changes."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from tests.browser.downloads import wait_for_file
from tests.browser.seed import HEARING

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

pytestmark = pytest.mark.browser

LONG = ("Departementet foreslår at virksomheter skal gjennomføre aktsomhetsvurderinger i leverandørkjeden "
        "i samsvar med OECDs retningslinjer for flernasjonale virksomheter.")


def _spec(version: int):
    from docgen import Spec

    s2 = [f"Etter åpenhetsloven § 4 skal virksomheten utføre aktsomhetsvurderinger. {LONG}"]
    if version == 2:
        s2 = [f"Etter åpenhetsloven § 4 skal virksomheten også vurdere miljø. {LONG}"]
    return Spec("Høringsnotat – åpenhetsloven", [
        ("1", "Innledning", ["Forslaget har begrensede økonomiske konsekvenser."]),
        ("2", "Aktsomhetsvurderinger i leverandørkjeden", s2),
    ])


def _add_documents(db_path: Path, root: Path) -> None:
    from docgen import Spec, write_pdf

    from nlp.tagger import default_tagger
    from tracker.documents import provisions, read
    from tracker.documents import store as dstore
    from tracker.store.db import open_db

    db = open_db(db_path)
    for at, body, url in (("2026-11-23T06:00:00+01:00", write_pdf(_spec(1)), "https://x.no/notat.pdf"),
                          ("2026-11-24T06:00:00+01:00", write_pdf(_spec(2)), "https://x.no/notat.pdf"),
                          ("2026-11-24T06:00:00+01:00", write_pdf(Spec("Høringsbrev", [], scanned_page=True)),
                           "https://x.no/brev.pdf")):
        dstore.record_fetch(db, {"item_id": HEARING, "url": url, "status": "ok", "kind": "pdf", "body": body,
                                 "title": "Høringsnotat" if "notat" in url else "Høringsbrev",
                                 "type": "høringsnotat" if "notat" in url else "høringsbrev",
                                 "content_type": "application/pdf", "http_status": 200}, root=root, at=at)
    read.read_pending(db, tagger=default_tagger())
    read.find_provisions(db, provisions.load(), at="2026-11-24T06:00:00+01:00")
    db.close()


def test_item_page_shows_sections_pages_and_redline(server, browser, tmp_path):
    import subprocess

    from docx import Document
    from selenium.webdriver.common.by import By

    base, db_path = server
    # read in a child process: the tagger (~270 MB) must not stay in the test process, whose memory
    # later tests measure
    done = subprocess.run([sys.executable, __file__, str(db_path), str(tmp_path / "documents")],
                          capture_output=True, text=True, timeout=180,
                          env={**os.environ, "PYTHONPATH": os.pathsep.join(
                              str(Path(__file__).resolve().parents[i]) for i in (2, 1))})
    assert done.returncode == 0, done.stderr[-2000:]
    browser.get(f"{base}/item/{HEARING}")
    section = browser.find_element(By.ID, "documents")
    text = section.text
    assert "Høringsnotat" in text and "lest, 1 side" in text
    rows = section.find_elements(By.CSS_SELECTOR, "tr.section")
    by_heading = {r.find_element(By.TAG_NAME, "td").text: r for r in rows}
    row = by_heading["2 Aktsomhetsvurderinger i leverandørkjeden"]
    assert row.find_element(By.CSS_SELECTOR, "td.page").text == "s. 1"
    assert row.find_elements(By.CSS_SELECTOR, "span.label")  # tagged
    assert "s. 1:" in row.text and row.find_elements(By.CSS_SELECTOR, "mark.ev")
    # the scanned letter is flagged, not an empty document, in Bokmål (it ended "(no text layer:
    # scanned pages 1 need OCR)", the stored English reason)
    scanned = next(ln for ln in text.splitlines() if ln.startswith("skannet"))
    assert scanned == "skannet – ingen tekst å lese (side 2 er skannet og må tolkes med OCR)", scanned
    # the redline: the changed section, with what was added and removed
    red = section.find_element(By.CSS_SELECTOR, ".redline")
    assert "2 Aktsomhetsvurderinger i leverandørkjeden" in red.text and "endret" in red.text
    assert "miljø" in " ".join(e.text for e in red.find_elements(By.TAG_NAME, "ins"))
    assert red.find_elements(By.TAG_NAME, "del")
    red.find_element(By.LINK_TEXT, "Last ned endringene (.docx)").click()
    path = wait_for_file(browser.downloads, ".docx")
    xml = Document(str(path)).element.body.xml
    assert "<w:ins " in xml and "<w:del " in xml and "miljø" in xml


def _add_family(db_path: Path, data: Path) -> None:
    """The CSDDD procedure from its (constructed) OEIL page, its four stage documents fetched by the
    documents spider from tests/fixtures/documents/eu_family and read."""
    from datetime import datetime

    from scrapy.http import HtmlResponse, Request

    from crawlers.dates import OSLO
    from crawlers.spiders.eu_oeil import EuOeilSpider, procedure_url
    from nlp.tagger import default_tagger
    from tests.support import FIXTURES, make_spider
    from tracker.documents import family
    from tracker.documents.fetch import fetch_in_child, pending_links
    from tracker.documents.pipeline import read_and_match
    from tracker.store import merge as store
    from tracker.store.db import open_db

    as_of = datetime(2026, 11, 24, 6, tzinfo=OSLO)
    ref = "2022/0051(COD)"
    url = procedure_url(ref)
    body = (FIXTURES / "documents" / "eu_family" / "procedure.html").read_bytes()
    spider = make_spider(EuOeilSpider, procedures=ref)
    items = [dict(i) for i in spider.parse(HtmlResponse(url, body=body, encoding="utf-8", request=Request(url)),
                                           reference=ref)]
    db = open_db(db_path)
    run = store.start_run(db, as_of=as_of, mode="replay", sources=["eu_oeil"])
    store.apply_scrape(db, run_id=run, as_of=as_of, source="eu_oeil",
                       items=[{**i, "extra": {**i["extra"], "watch": "csddd"}} for i in items])
    family.sync(db, at=as_of.isoformat())
    links = [lk for lk in pending_links(db) if lk["item_id"] == f"eu_oeil:{ref}"]
    db.close()
    config = data / "c.toml"
    data.mkdir(parents=True, exist_ok=True)
    config.write_text(f'[tracker]\ndata_dir = "{data}"\n', "utf-8")
    fetch_in_child(db_path, links, as_of=as_of, replay_dir=str(FIXTURES / "documents" / "eu_family"),
                   data_dir=data, config_path=str(config))
    db = open_db(db_path)
    read_and_match(db, at=as_of.isoformat(), tagger=default_tagger(), provisions=[])
    db.close()


def test_eu_file_stage_by_stage_with_tagged_articles_first(server, browser, tmp_path):
    import subprocess

    from docx import Document
    from selenium.webdriver.common.by import By

    base, db_path = server
    done = subprocess.run([sys.executable, __file__, str(db_path), str(tmp_path / "data"), "--family"],
                          capture_output=True, text=True, timeout=300,
                          env={**os.environ, "PYTHONPATH": os.pathsep.join(
                              str(Path(__file__).resolve().parents[i]) for i in (2, 1))})
    assert done.returncode == 0, done.stderr[-2000:]
    browser.get(f"{base}/item/eu_oeil:2022/0051(COD)")
    fam = browser.find_element(By.ID, "family")
    stages = fam.find_elements(By.CSS_SELECTOR, "li.stage h3")
    assert [h.text.split(":")[0] for h in stages] == ["Kommisjonens forslag", "Rådets mandat",
                                                      "Parlamentets posisjon", "Vedtatt rettsakt"]
    council = fam.find_element(By.ID, "family-1-stage-council_mandate")
    assert "Mot Kommisjonens forslag: 7 artikler endret" in council.text
    changes = council.find_elements(By.CSS_SELECTOR, "details.change")
    # tagged articles first, open; the others closed until clicked
    tagged = [c.get_attribute("open") is not None for c in changes]
    assert tagged[0] and tagged == sorted(tagged, reverse=True) and not tagged[-1]
    scope = next(c for c in changes if "Article 2 Scope" in c.text)
    assert not scope.find_element(By.TAG_NAME, "ins").is_displayed()
    scope.find_element(By.TAG_NAME, "summary").click()
    assert scope.find_element(By.TAG_NAME, "ins").text.strip() == "1000"
    duty = next(c for c in changes if "Directors' duty of care" in c.text)
    assert "fjernet" in duty.find_element(By.TAG_NAME, "summary").text
    ep = fam.find_element(By.ID, "family-1-stage-ep_position")
    assert "(var artikkel 6)" in ep.text and "(var artikkel 22)" in ep.text
    assert "Ingen artikler er endret." in fam.find_element(By.ID, "family-1-stage-adopted").text
    council.find_element(By.LINK_TEXT, "Last ned endringene (.docx)").click()
    path = wait_for_file(browser.downloads, ".docx")
    document = Document(str(path))
    xml = document.element.body.xml
    assert xml.count("<w:ins ") >= 3 and xml.count("<w:del ") >= 3
    assert document.paragraphs[0].text == "Kommisjonens forslag → Rådets mandat"


if __name__ == "__main__":
    if sys.argv[3:] == ["--family"]:
        _add_family(Path(sys.argv[1]), Path(sys.argv[2]))
    else:
        _add_documents(Path(sys.argv[1]), Path(sys.argv[2]))
