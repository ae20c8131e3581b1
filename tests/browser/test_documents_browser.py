"""In a real headless Chromium: the item page's documents — sections with labels and pages, the
strongest paragraphs, a scanned letter flagged, the redline of a changed høringsnotat and its
.docx with tracked changes."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pytest

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


def _wait_for_file(folder, suffix, timeout=20.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        done = [p for p in folder.iterdir() if p.name.endswith(suffix)]
        if done and not any(p.name.endswith(".crdownload") for p in folder.iterdir()):
            return done[0]
        time.sleep(0.1)
    raise AssertionError(f"no {suffix} downloaded into {folder}: {list(folder.iterdir())}")


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
    # the scanned letter is flagged, not an empty document
    assert "skannet – ingen tekst å lese" in text
    # the redline: the changed section, with what was added and removed
    red = section.find_element(By.CSS_SELECTOR, ".redline")
    assert "2 Aktsomhetsvurderinger i leverandørkjeden" in red.text and "endret" in red.text
    assert "miljø" in " ".join(e.text for e in red.find_elements(By.TAG_NAME, "ins"))
    assert red.find_elements(By.TAG_NAME, "del")
    red.find_element(By.LINK_TEXT, "Last ned endringene (.docx)").click()
    path = _wait_for_file(browser.downloads, ".docx")
    xml = Document(str(path)).element.body.xml
    assert "<w:ins " in xml and "<w:del " in xml and "miljø" in xml


if __name__ == "__main__":
    _add_documents(Path(sys.argv[1]), Path(sys.argv[2]))
