"""Extraction quality on documents from a second real writer: LibreOffice converting a .docx (heading
styles, a two-column section, a running header and a footer with a page field, soft hyphens that
break long words at line ends, a scanned page) — the way most høringsnotater are made — and the
character error rate against the generated source text."""

from __future__ import annotations

import shutil

import pytest
from docgen import Spec, cer, source_text, write_pdf, write_pdf_libreoffice
from test_documents import LONG, ROUTINE, spec

from tracker.documents import extract as ex

pytestmark = pytest.mark.skipif(shutil.which("soffice") is None and shutil.which("libreoffice") is None,
                                reason="LibreOffice is not installed (the project's machines have it)")


def _long_spec() -> Spec:
    s = spec(two_column={"2"}, scanned_page=True)
    s.sections[1] = ("2", "Gjeldende rett", [LONG, ROUTINE, LONG] * 4)  # fills both columns of a page
    return s


@pytest.fixture(scope="module")
def libreoffice_pdf(tmp_path_factory):
    s = _long_spec()
    return s, write_pdf_libreoffice(s, tmp_path_factory.mktemp("lo") / "notat.pdf")


def test_libreoffice_pdf_has_the_hard_cases_in_it(libreoffice_pdf):
    """The file really has two columns, line-end hyphens and furniture (else the next test proves nothing)."""
    from pdfminer.high_level import extract_pages, extract_text
    from pdfminer.layout import LTTextBox

    _, data = libreoffice_pdf
    import io

    raw = extract_text(io.BytesIO(data))
    assert "-\n" in raw  # words broken at soft hyphens
    assert "Side 2" in raw and "Departementet" in raw  # the footer with its page field
    page2 = list(extract_pages(io.BytesIO(data)))[1]
    lefts = {round(b.x0) for b in page2 if isinstance(b, LTTextBox) and b.y0 > 100 and b.y1 < page2.height - 80}
    assert len(lefts) == 2  # two columns


def test_libreoffice_pdf_sections_columns_furniture_hyphens_and_scan(libreoffice_pdf):
    s, data = libreoffice_pdf
    doc = ex.extract_pdf(data)
    by = {x.number: x for x in doc.sections if x.number}
    # headings set by a word processor sit in one text box with the paragraph after them: split off
    assert list(by) == ["1", "2", "3", "4"]
    assert by["3"].heading == "3 Aktsomhetsvurderinger" and by["2"].page == 2
    # two columns read column by column, broken words whole, no soft hyphen left
    assert [p.text for p in by["2"].paragraphs] == [LONG, ROUTINE, LONG] * 4
    text = doc.plain_text()
    assert "\u00ad" not in text and "aktsom-" not in text and "menneskerettighetsvurderingene" in text
    assert "Side 1" not in text and "Side 2" not in text  # header and footer are not text
    assert doc.scanned_pages == [doc.pages] and not doc.scanned
    assert cer(source_text(s), text) < 0.005


def test_cer_counts_what_extraction_gets_wrong():
    ref = "Aktsomhetsvurderinger i leverandørkjeden.\n\nForslaget har konsekvenser."
    assert cer(ref, ref.replace("\n\n", " ")) == 0.0  # layout is not characters
    assert cer(ref, ref.replace("leverandørkjeden", "leverandør- kjeden")) == pytest.approx(2 / 69, abs=0.01)
    assert cer(ref, "Forslaget har konsekvenser.") > 0.5


def test_reportlab_and_libreoffice_give_the_same_sections(libreoffice_pdf):
    s = spec(two_column={"2"})
    a = ex.extract_pdf(write_pdf(s))
    b = ex.extract_pdf(libreoffice_pdf[1])
    assert [x.heading for x in a.sections if x.number] == [x.heading for x in b.sections if x.number]
