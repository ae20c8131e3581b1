"""Drafts: .docx read back with python-docx, .md, language, similar answers, bad output dirs."""

from __future__ import annotations

from datetime import date

import pytest
from docx import Document

from tests.browser.seed import COMMITTEE, EU, HEARING, HEARING_FISH, HEARING_OLD, seed
from tracker.workbench import drafts, triage

DAY = date(2026, 11, 24)


@pytest.fixture
def store(db):
    seed(db)
    return db


@pytest.fixture
def written(store, tmp_path):
    return drafts.write(store, HEARING, "drafts", base=tmp_path, by="kari", as_of=DAY)


def _paragraphs(path):
    return [(p.style.name, p.text) for p in Document(str(path)).paragraphs]


def test_files_written_inside_working_tree(written, tmp_path):
    assert written.docx.parent == tmp_path / "drafts"
    assert written.docx.name == "regjeringen_3150001-horingssvar-2026-11-24.docx"
    assert written.md.exists()


def test_docx_letterhead_addressee_reference_date(written):
    texts = [t for _, t in _paragraphs(written.docx)]
    assert texts[0] == "Norges nasjonale kontaktpunkt for ansvarlig næringsliv"
    assert "Til: Barne- og familiedepartementet" in texts
    assert "Deres ref.: 25/4711" in texts
    assert "Dato: 24.11.2026" in texts


def test_docx_subject_and_sections_are_headings(written):
    headings = [t for style, t in _paragraphs(written.docx) if style.startswith("Heading")]
    assert headings[0] == "Høringssvar – Endringer i åpenhetsloven (gjennomføring av aktsomhetsdirektivet)"
    assert headings[1:4] == ["Innledning", "Hovedsynspunkter", "Åpenhetsloven og menneskerettslig aktsomhet"]
    assert "OECDs retningslinjer kapittel II – Generelle prinsipper" in headings
    assert "OECDs retningslinjer kapittel V – Sysselsetting og forholdet mellom partene i arbeidslivet" in headings
    assert headings[-2:] == ["Kontaktpunktets tidligere høringssvar på lignende saker", "Frist og innsending"]


def test_docx_evidence_quotes_under_their_section(written):
    paras = _paragraphs(written.docx)
    quotes = [t for style, t in paras if style == "Quote"]
    assert "«Departementet ber særlig om innspill om tvangsarbeid og barnearbeid i verdikjeden.»" in quotes
    assert any("aktsomhetsvurderinger i tråd med OECDs retningslinjer" in q for q in quotes)
    # the tvangsarbeid quote sits in the labour section
    texts = [t for _, t in paras]
    labour = texts.index("OECDs retningslinjer kapittel V – Sysselsetting og forholdet mellom partene i arbeidslivet")
    assert "tvangsarbeid" in texts[labour + 2]


def test_docx_marks_adviser_places_and_mandate(written):
    doc = Document(str(written.docx))
    marked = [p for p in doc.paragraphs if p.text.startswith("[FYLL INN")]
    assert len(marked) >= 4  # main points, one per section, our ref is in meta, signature
    assert all(r.font.highlight_color is not None for p in marked for r in p.runs)
    body = "\n".join(p.text for p in doc.paragraphs)
    assert "uavhengig siden 1. mars 2011" in body and "ILOs trepartserklæring" in body


def test_deadline_and_route(written):
    body = written.md.read_text("utf-8")
    assert "Høringsfrist: 10.12.2026" in body
    assert "«Send inn høringssvar»" in body


def test_md_matches_docx(written):
    md = written.md.read_text("utf-8")
    assert "# Høringssvar – Endringer i åpenhetsloven" in md
    assert "> «Departementet ber særlig om innspill om tvangsarbeid" in md


def test_draft_is_recorded(written, store):
    rows = list(store.query("select item_id, created_by, docx_path from drafts"))
    assert rows == [{"item_id": HEARING, "created_by": "kari", "docx_path": str(written.docx)}]


def test_similar_earlier_answers(store, tmp_path):
    # the NCP answered the offentleglova hearing (answers table) and drafted on the fish hearing
    store["items"].update(HEARING_OLD, {"summary": "Evalueringen av offentleglova og åpenhetsloven."})
    drafts.write(store, HEARING_FISH, "d", base=tmp_path, as_of=DAY)
    similar = drafts.similar_answers(store, drafts.load_item(store, HEARING))
    assert HEARING_OLD in [s["item_id"] for s in similar]
    md = drafts.write(store, HEARING, "d", base=tmp_path, as_of=DAY).md.read_text("utf-8")
    assert "Høyring - evalueringen av offentleglova (published, 2016-05-25)" in md


def test_submitted_answer_counts_as_earlier_answer(store):
    store["items"].update(EU, {"summary": "Guidelines under the CSDDD (aktsomhetsdirektivet)."})
    assert EU not in [s["item_id"] for s in drafts.similar_answers(store, drafts.load_item(store, HEARING))]
    triage.set_state(store, EU, "respond")
    triage.set_state(store, EU, "assigned", owner="kari")
    triage.set_state(store, EU, "drafting")
    triage.set_state(store, EU, "submitted")
    similar = drafts.similar_answers(store, drafts.load_item(store, HEARING))
    assert [s["kind"] for s in similar if s["item_id"] == EU] == ["submitted"]


def test_english_for_eu_consultations(store):
    d = drafts.build(store, EU, as_of=DAY)
    md = drafts.render_markdown(d)
    assert d.language == "en"
    assert "# Consultation response – Corporate sustainability due diligence" in md
    assert "Have your say" in md and "To: DG JUST" in md
    assert "OECD Guidelines Chapter II – General Policies" in d.sections


def test_committee_addressee_and_route(store):
    md = drafts.render_markdown(drafts.build(store, COMMITTEE, as_of=DAY))
    assert "Til: Stortinget – Finanskomiteen" in md
    assert "Skriftlig innspill" in md and "anmodning om å delta" in md


def test_unlabelled_item_gets_one_general_section(store):
    d = drafts.build(store, HEARING_OLD, as_of=DAY)
    assert d.sections == ["Kontaktpunktets merknader"]


def test_unknown_item_is_a_clear_error_and_writes_nothing(store, tmp_path):
    with pytest.raises(drafts.DraftError, match="unknown item id"):
        drafts.write(store, "no_such:1", "new-dir", base=tmp_path)
    assert not (tmp_path / "new-dir").exists()


def test_missing_dir_inside_tree_is_created(store, tmp_path):
    w = drafts.write(store, HEARING, "a/b/c", base=tmp_path, as_of=DAY)
    assert w.docx.parent == tmp_path / "a" / "b" / "c"


@pytest.mark.parametrize("out", ["../../etc", "../outside", "/etc", "a/../../x"])
def test_escaping_dir_is_refused_and_nothing_written(store, tmp_path, out):
    base = tmp_path / "tree"
    base.mkdir()
    before = {p for p in tmp_path.rglob("*")}
    with pytest.raises(drafts.DraftError, match="outside the working tree"):
        drafts.write(store, HEARING, out, base=base, as_of=DAY)
    assert {p for p in tmp_path.rglob("*")} == before
    assert store.execute("select count(*) from drafts").fetchone()[0] == 0


def test_symlink_out_of_tree_is_refused(store, tmp_path):
    base = tmp_path / "tree"
    base.mkdir()
    (base / "link").symlink_to(tmp_path)
    with pytest.raises(drafts.DraftError, match="outside the working tree"):
        drafts.write(store, HEARING, "link", base=base, as_of=DAY)


def test_out_that_is_a_file_is_refused(store, tmp_path):
    (tmp_path / "f").write_text("x")
    with pytest.raises(drafts.DraftError, match="not a directory"):
        drafts.write(store, HEARING, "f", base=tmp_path, as_of=DAY)
