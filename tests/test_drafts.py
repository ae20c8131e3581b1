"""Drafts as an adviser receives them: the .docx read back with python-docx and opened by
LibreOffice, the template's page and styles, the opening sentence, whole unique quotes, the
three forms (hearing, Stortinget, EU), versions, warnings, similar answers, output paths."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from datetime import UTC, date, datetime

import pytest
from docx import Document
from docx.shared import Cm
from support import fodt_span_languages, libreoffice_fodt, put_evidence

from tests.browser.seed import BODY, COMMITTEE, EU, HEARING, HEARING_FISH, HEARING_OLD, seed
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


def test_files_and_names(written, tmp_path):
    assert written.docx.parent == tmp_path / "drafts"
    assert written.docx.name == "regjeringen_3150001-horingssvar.docx"
    assert written.md.name == "regjeringen_3150001-horingssvar.md" and written.md.exists()
    assert written.version == 1 and not written.overwritten


def test_docx_is_a4_with_the_templates_styles_and_properties(written):
    doc = Document(str(written.docx))
    section = doc.sections[0]
    assert abs(section.page_width - Cm(21.0)) < Cm(0.05) and abs(section.page_height - Cm(29.7)) < Cm(0.05)
    assert abs(section.left_margin - Cm(2.5)) < Cm(0.05)
    props = doc.core_properties
    assert props.author == "Kontaktpunktet for ansvarlig næringsliv"  # not "python-docx"
    # written as UTC ("Z"): the time it was made, not an hour or two later in Oslo's winter or summer
    made = datetime.fromtimestamp(written.docx.stat().st_mtime, UTC)
    created = props.created if props.created.tzinfo else props.created.replace(tzinfo=UTC)
    assert abs((created - made).total_seconds()) < 120 and props.modified == props.created
    assert props.language == "nb-NO"
    assert props.title.startswith("Høringssvar – Endringer i åpenhetsloven")
    styles = {s.name for s in doc.styles}
    assert {"Fyll inn", "Kilde", "Advarsel", "Brevhode"} <= styles  # the template's own styles
    assert doc.styles["Normal"].font.name == "Arial"
    # the letterhead is the template's page header, not body text
    assert "Norges nasjonale kontaktpunkt for ansvarlig næringsliv" in section.header.paragraphs[0].text
    texts = [t for _, t in _paragraphs(written.docx)]
    assert "Til: Barne- og familiedepartementet" in texts
    assert "Deres ref.: 25/4711" in texts and "Dato: 24.11.2026" in texts


def test_opening_sentence_from_the_hearings_data(store, tmp_path):
    texts = [t for _, t in _paragraphs(drafts.write(store, HEARING_FISH, "d", base=tmp_path, as_of=DAY).docx)]
    assert "Vi viser til høringsbrev av 02.11.2026 med høringsfrist 20.12.2026." in texts


def test_a_deadline_moved_after_the_letter_is_not_the_letters(written, store):
    """The letter cited a deadline it did not contain: «Vi viser til høringsbrev av 01.10.2026 med
    høringsfrist 10.12.2026.» for a hearing whose deadline was 01.12.2026 until it was moved (its
    history, a deadline_changed event). Now the move is said as such."""
    opening = "Vi viser til høringsbrev av 01.10.2026. Høringsfristen er utsatt til 10.12.2026."
    assert opening in [t for _, t in _paragraphs(written.docx)]
    assert opening in written.md.read_text("utf-8") and "med høringsfrist 10.12.2026" not in written.md.read_text("utf-8")
    # moved to an earlier day: changed, not extended
    store.execute("update events set before = '2026-12-20T23:59:59+01:00' where item_id = ? and kind = "
                  "'deadline_changed'", [HEARING])
    md = drafts.render_markdown(drafts.build(store, HEARING, as_of=DAY))
    assert "Vi viser til høringsbrev av 01.10.2026. Høringsfristen er endret til 10.12.2026." in md
    # moved and moved back: the deadline is the letter's again
    store.execute("update events set before = ? where item_id = ? and kind = 'deadline_changed'",
                  ["2026-12-10T23:59:59+01:00", HEARING])
    md = drafts.render_markdown(drafts.build(store, HEARING, as_of=DAY))
    assert "Vi viser til høringsbrev av 01.10.2026 med høringsfrist 10.12.2026." in md
    # a deadline first given later is no move: nothing was known of the letter's deadline
    store.execute("update events set before = null where item_id = ? and kind = 'deadline_changed'", [HEARING])
    md = drafts.render_markdown(drafts.build(store, HEARING, as_of=DAY))
    assert "Vi viser til høringsbrev av 01.10.2026 med høringsfrist 10.12.2026." in md


def test_headings(written):
    headings = [t for style, t in _paragraphs(written.docx) if style.startswith("Heading")]
    assert headings[0] == "Høringssvar – Endringer i åpenhetsloven (gjennomføring av aktsomhetsdirektivet)"
    assert headings[1:3] == ["Om Kontaktpunktet", "Hovedsynspunkter"]
    # the chapters in the Guidelines' order, then åpenhetsloven (not strongest first: åpenhetsloven, II, V)
    assert headings[3:6] == ["OECDs retningslinjer kapittel II – Generelle prinsipper",
                             "OECDs retningslinjer kapittel V – Sysselsetting og forholdet mellom partene i arbeidslivet",
                             "Åpenhetsloven og menneskerettslig aktsomhet"]
    assert headings[-2:] == ["Kontaktpunktets tidligere svar på lignende saker", "Frist og innsending"]


def test_quotes_are_whole_sentences_quoted_once_with_their_source(written):
    quotes = [t for style, t in _paragraphs(written.docx) if style == "Quote"]
    sentences = [s.strip() for s in BODY.replace(". ", ".\n").splitlines()]
    assert "«" + sentences[0] + "» (teksten på høringssiden)" in quotes  # "Barne- …", not "arne- …"
    assert "«" + sentences[3] + "» (teksten på høringssiden)" in quotes
    # two pieces of oecd-ii evidence in one sentence: quoted once
    assert sum(sentences[2] in q for q in quotes) == 1
    assert len(quotes) == len(set(quotes))
    assert not any("…" in q for q in quotes)
    # the summary sentence, with its source
    assert any(q.endswith("(sammendraget)") and q.startswith("«Forslag om å gjennomføre") for q in quotes)


def test_quotes_of_the_page_are_not_headed_as_the_consultation_documents(written):
    """«Fra høringsdokumentene:» headed sentences quoted from the hearing's page and its summary
    («(teksten på høringssiden)»): no document's words. They are «Utdrag»; the heading stays over
    a topic quoting only paragraphs of the høringsnotat."""
    paragraphs = [t for _, t in _paragraphs(written.docx)]
    first = next(n for n, t in enumerate(paragraphs) if t.endswith("(teksten på høringssiden)"))
    assert paragraphs[first - 1] == "Utdrag:", paragraphs[first - 3:first + 1]
    assert "Fra høringsdokumentene:" not in paragraphs


def test_a_sentence_is_quoted_once_even_for_two_labels(store, tmp_path):
    start = BODY.index("tvangsarbeid")
    put_evidence(store, HEARING, "oecd-iv", 0.5, [{"field": "text", "start": start, "end": start + 12,
                                                   "text": "tvangsarbeid"}])
    d = drafts.build(store, HEARING, as_of=DAY)
    quotes = [b.text for b in d.blocks if b.kind == "quote"]
    assert sum("tvangsarbeid" in q for q in quotes) == 1
    md = drafts.render_markdown(d)
    assert "er sitert under «OECDs retningslinjer kapittel IV – Menneskerettigheter»" in md


def test_abbreviations_do_not_end_a_quote(store):
    summary = "Departementet følger opp Prop. 57 L (2025–2026). Neste setning."
    store["items"].update(HEARING_FISH, {"summary": summary})
    start = summary.index("57 L")
    put_evidence(store, HEARING_FISH, "oecd-iii", 1.0, [{"field": "summary", "start": start, "end": start + 4,
                                                         "text": "57 L"}])
    quotes = [b.text for b in drafts.build(store, HEARING_FISH, as_of=DAY).blocks if b.kind == "quote"]
    assert quotes == ["Departementet følger opp Prop. 57 L (2025–2026)."]


PAGE_TEXT = ("Status:\nPå høring\nHøringsfrist:\n23.02.2027\nHøringsbrev\nVår ref.: 26/3318\n"
             "Departementet foreslår å utvide åpenhetsloven til miljø, i tråd med direktiv (EU) 2024/1760.\n"
             "Høringsinstansene bes om å sende sine merknader innen fristen. Alle kan avgi høringsuttalelse.\n"
             "Forslaget bygger på en evaluering av loven som viser at virksomhetene i\n"
             "stor grad har gjennomført aktsomhetsvurderinger av leverandørkjeden sin, men\n"
             "at rapporteringen varierer mye.\n")


def test_a_quote_is_the_sentence_not_the_page_around_it(store):
    """The body quote ran from the page's "Status: På høring Høringsfrist: 23.02.2027 Høringsbrev
    Vår ref.: …" through the next sentence: lines without a full stop, and "2024/1760." (a number's
    full stop, for spaCy), did not end it. Hard-wrapped prose still quotes its whole sentence."""
    store["items"].update(HEARING_FISH, {"body": PAGE_TEXT, "summary": ""})
    first, wrapped = PAGE_TEXT.index("utvide åpenhetsloven"), PAGE_TEXT.index("aktsomhetsvurderinger")
    put_evidence(store, HEARING_FISH, "apenhetsloven", 1.0, [
        {"field": "text", "start": first, "end": first + 20, "text": "utvide åpenhetsloven"},
        {"field": "text", "start": wrapped, "end": wrapped + 21, "text": "aktsomhetsvurderinger"}])
    quotes = [b.text for b in drafts.build(store, HEARING_FISH, as_of=DAY).blocks if b.kind == "quote"]
    assert quotes == [
        "Departementet foreslår å utvide åpenhetsloven til miljø, i tråd med direktiv (EU) 2024/1760.",
        "Forslaget bygger på en evaluering av loven som viser at virksomhetene i stor grad har gjennomført "
        "aktsomhetsvurderinger av leverandørkjeden sin, men at rapporteringen varierer mye."]


def test_evidence_that_does_not_fit_the_text_is_not_quoted(store):
    put_evidence(store, HEARING_FISH, "oecd-vi", 1.0, [{"field": "text", "start": 5, "end": 9, "text": "xyzzy"}])
    d = drafts.build(store, HEARING_FISH, as_of=DAY)
    assert [b for b in d.blocks if b.kind == "quote"] == []
    assert "Ingen tekstutdrag ble funnet for dette temaet." in drafts.render_markdown(d)


def test_adviser_places_are_marked_in_the_templates_style(written):
    doc = Document(str(written.docx))
    marked = [r for p in doc.paragraphs for r in p.runs if r.text.startswith("[FYLL INN")]
    assert len(marked) >= 4  # our ref, main points, one per section, signature
    assert all(r.style.name == "Fyll inn" for r in marked)


def test_mandate_and_signature_come_from_the_text_files(store, tmp_path, data_dir):
    (data_dir / "horingssvar-mandat.nb.txt").write_text("Kontaktpunktet har et nytt mandat fra 2027.\n", "utf-8")
    (data_dir / "horingssvar-signatur.nb.txt").write_text("Vennlig hilsen\nKari Nordmann\n", "utf-8")
    texts = [t for _, t in _paragraphs(drafts.write(store, HEARING, "d", base=tmp_path, as_of=DAY).docx)]
    assert "Kontaktpunktet har et nytt mandat fra 2027." in texts
    assert texts[-2:] == ["Vennlig hilsen", "Kari Nordmann"]
    assert not any("uavhengig siden 1. mars 2011" in t for t in texts)


def test_shipped_mandate_text(written):
    body = "\n".join(t for _, t in _paragraphs(written.docx))
    assert "uavhengig siden 1. mars 2011" in body and "ILOs trepartserklæring" in body


def test_a_users_template_wins(store, tmp_path, data_dir):
    from tracker.defaults import make_draft_template

    path = make_draft_template.build(data_dir / "horingssvar-mal.docx")
    doc = Document(str(path))
    doc.sections[0].header.paragraphs[0].text = "Kontaktpunktet – egen brevmal"
    doc.save(str(path))
    out = drafts.write(store, HEARING, "d", base=tmp_path, as_of=DAY).docx
    assert Document(str(out)).sections[0].header.paragraphs[0].text == "Kontaktpunktet – egen brevmal"


def test_a_broken_template_is_a_clear_error(store, tmp_path, data_dir):
    (data_dir / "horingssvar-mal.docx").write_text("not a docx", "utf-8")
    with pytest.raises(drafts.DraftError, match="template"):
        drafts.write(store, HEARING, "d", base=tmp_path, as_of=DAY)
    assert not (tmp_path / "d").exists()


def test_no_comments_is_the_short_answer(store, tmp_path):
    w = drafts.write(store, HEARING, "d", base=tmp_path, as_of=DAY, no_comments=True)
    texts = [t for _, t in _paragraphs(w.docx)]
    assert ("Vi viser til høringsbrev av 01.10.2026. Høringsfristen er utsatt til 10.12.2026. "
            "Kontaktpunktet har ingen merknader til høringen.") in texts
    assert not any(style == "Quote" for style, _ in _paragraphs(w.docx))
    assert w.draft.sections == []


def test_committee_gets_written_input_with_its_deadlines(store):
    store["items"].update(COMMITTEE, {"extra": '{"innspillsfrist": "2026-12-03T12:00:00+01:00", '
                                               '"anmodningsfrist": "2026-12-01T12:00:00+01:00", '
                                               '"hearing_start": "2026-12-05T09:00:00+01:00", '
                                               '"hearing_times": [{"sted": "Stortinget", "tidspunkt": null}]}'})
    d = drafts.build(store, COMMITTEE, as_of=DAY)
    md = drafts.render_markdown(d)
    assert d.subject == "Innspill til Finanskomiteen – Endringer i regnskapsloven (bærekraftsrapportering)"
    assert "Høringssvar" not in d.subject and "Komitéhøring" not in md
    assert "Til: Stortinget – Finanskomiteen" in md
    # times as the digest and the web write them ("kl. 12.00"; the drafts wrote "kl. 12:00")
    assert "Frist for å be om å delta i høringen: 01.12.2026 kl. 12.00" in md
    assert "Frist for skriftlige innspill: 03.12.2026 kl. 12.00" in md
    assert "Høringen holdes: 05.12.2026 kl. 09.00, Stortinget" in md
    assert ("Kontaktpunktet viser til Finanskomiteens høring 05.12.2026 kl. 09.00 om endringer i regnskapsloven "
            "(bærekraftsrapportering) og sender med dette et skriftlig innspill.") in md
    assert drafts.file_stem(d) == "no_stortinget_horinger_10423-innspill"
    # a hearing that sits a second day, in another room: the draft's facts name both days
    store["items"].update(COMMITTEE, {"extra": '{"hearing_start": "2026-12-05T09:00:00+01:00", '
                                               '"hearing_times": [{"sted": "Høringssal 1", "tidspunkt": "2026-12-05T09:00:00+01:00"}, '
                                               '{"sted": "Høringssal 2", "tidspunkt": "2026-12-07T10:00:00+01:00"}]}'})
    md = drafts.render_markdown(drafts.build(store, COMMITTEE, as_of=DAY))
    assert "Høringen holdes: 05.12.2026 kl. 09.00, Høringssal 1; 07.12.2026 kl. 10.00, Høringssal 2" in md


def test_a_written_only_committee_hearing_has_no_oral_hearing(store, tmp_path):
    """Stortinget's written hearings (``extra.written``) have no request deadline and no sitting:
    the draft said «Høringen holdes: ikke oppgitt» and told the NCP to ask to take part orally."""
    store["items"].update(COMMITTEE, {"extra": '{"written": true, "anmodningsfrist": "", "hearing_start": "", '
                                               '"hearing_times": [], "innspillsfrist": "2026-12-10T23:59:00+01:00"}'})
    w = drafts.write(store, COMMITTEE, "d", base=tmp_path, as_of=DAY)
    docx_text = "\n".join(t for _, t in _paragraphs(w.docx))
    for text in (w.md.read_text(encoding="utf-8"), docx_text):
        assert "Høringsform: Skriftlig høring (ingen muntlig høring)" in text
        assert "Frist for skriftlige innspill: 10.12.2026" in text
        assert "Kontaktpunktet viser til Finanskomiteens skriftlige høring om endringer i regnskapsloven" in text
        assert "Frist for å be om å delta" not in text and "Høringen holdes" not in text
        assert "muntlig, må det sendes" not in text and "anmodningsfristen" not in text
        assert "Dette er en skriftlig høring: komiteen holder ingen muntlig høring." in text
    store["items"].update(COMMITTEE, {"language": "en"})
    md = drafts.render_markdown(drafts.build(store, COMMITTEE, as_of=DAY))
    assert "Form of hearing: Written hearing (no oral hearing)" in md
    assert "Deadline for written input: 10 December 2026" in md
    assert "Deadline to ask to take part" not in md and "The hearing is held" not in md
    assert "take part orally" not in md and "This is a written hearing" in md


GPFG_TITLE = ("Komitéhøring: Statens pensjonsfond utland – etisk rammeverk etter gjennomgangen i 2026 – "
              "Meld. St. 8 (2026-2027)")
#: the summary crawlers/spiders/no_stortinget_horinger.py writes itself (not Stortinget's words)
GPFG_SUMMARY = ("Høring i Finanskomiteen om Statens pensjonsfond utland – etisk rammeverk etter gjennomgangen i "
                "2026 (Meld. St. 8 (2026-2027)).")


def _gpfg_committee(store, **changes):
    """The demo's committee hearing on the fund: its GPFG evidence in the title and the spider's summary only."""
    store["items"].update(COMMITTEE, {"title": GPFG_TITLE, "summary": GPFG_SUMMARY, "evidence": "{}", "labels": "[]",
                                      "extra": '{"hearing_start": "2026-12-08T10:00:00+01:00"}', **changes})
    name = "Statens pensjonsfond utland"
    put_evidence(store, COMMITTEE, "gpfg", 1.0, [
        {"field": field, "start": text.index(name), "end": text.index(name) + len(name), "text": name}
        for field, text in (("title", GPFG_TITLE), ("summary", GPFG_SUMMARY))])


def test_a_name_keeps_its_capital_and_the_hearings_time_reads_as_a_sentence(store, tmp_path):
    """«Kontaktpunktet viser til Finanskomiteens høring om statens pensjonsfond utland – … – Meld. St. 8
    (2026-2027) 08.12.2026 kl. 10.00 og sender …»: the fund's name lost its capital, and the time
    trailed the case's title."""
    _gpfg_committee(store)
    w = drafts.write(store, COMMITTEE, "d", base=tmp_path, as_of=DAY)
    opening = ("Kontaktpunktet viser til Finanskomiteens høring 08.12.2026 kl. 10.00 om Statens pensjonsfond "
               "utland – etisk rammeverk etter gjennomgangen i 2026 – Meld. St. 8 (2026-2027) og sender med "
               "dette et skriftlig innspill.")
    assert opening in [t for _, t in _paragraphs(w.docx)] and opening in w.md.read_text("utf-8")
    # no time known: no time in the sentence (and nothing left dangling)
    store["items"].update(COMMITTEE, {"extra": "{}"})
    md = drafts.render_markdown(drafts.build(store, COMMITTEE, as_of=DAY))
    assert ("Kontaktpunktet viser til Finanskomiteens høring om Statens pensjonsfond utland – etisk rammeverk "
            "etter gjennomgangen i 2026 – Meld. St. 8 (2026-2027) og sender med dette et skriftlig innspill.") in md
    # the same in English, with an English genitive (it read «Finanskomiteens hearing»)
    _gpfg_committee(store, language="en")
    md = drafts.render_markdown(drafts.build(store, COMMITTEE, as_of=DAY))
    assert ("The NCP refers to Finanskomiteen's hearing of 8 December 2026, 10:00 on Statens pensjonsfond utland – "
            "etisk rammeverk etter gjennomgangen i 2026 – Meld. St. 8 (2026-2027) and hereby submits written "
            "input.") in md


@pytest.mark.parametrize("title, expected", [
    ("Statens pensjonsfond utland – etisk rammeverk", "Statens pensjonsfond utland – etisk rammeverk"),
    ("Meld. St. 8 (2026-2027) Statens pensjonsfond 2026", "Meld. St. 8 (2026-2027) Statens pensjonsfond 2026"),
    ("EU-kommisjonens forslag om batterier", "EU-kommisjonens forslag om batterier"),
    ("OECDs retningslinjer i norsk rett", "OECDs retningslinjer i norsk rett"),
    ("EØS-avtalen og aktsomhetsdirektivet", "EØS-avtalen og aktsomhetsdirektivet"),
    ("Norges Banks forvaltning av fondet", "Norges Banks forvaltning av fondet"),
    ("Nasjonal transportplan 2029–2040", "Nasjonal transportplan 2029–2040"),
    ("Endringer i regnskapsloven (bærekraftsrapportering)", "endringer i regnskapsloven (bærekraftsrapportering)"),
    ("Lov om inkassovirksomhet (inkassoloven)", "lov om inkassovirksomhet (inkassoloven)"),
    ("Representantforslag om resultatmåling", "representantforslag om resultatmåling"),
    ("Forvaltningen av Statens pensjonsfond i 2025", "forvaltningen av Statens pensjonsfond i 2025"),
])  # fmt: skip
def test_a_titles_first_word_is_lower_cased_only_when_it_is_a_common_word(title, expected):
    assert drafts.title_in_sentence(title) == expected


def test_only_the_sources_own_words_are_quoted_as_evidence(store, tmp_path):
    """The committee draft quoted the hearing's title («Komitéhøring: Statens pensjonsfond utland …»
    (tittelen)) and the summary the spider writes itself («Høring i Finanskomiteen om …»
    (sammendraget)) under «Fra høringsdokumentene». Neither is quoted now; a topic found only there
    says so in words."""
    _gpfg_committee(store)
    w = drafts.write(store, COMMITTEE, "d", base=tmp_path, as_of=DAY)
    paras = _paragraphs(w.docx)
    for text in (w.md.read_text("utf-8"), "\n".join(t for _, t in paras)):
        assert "(tittelen)" not in text and "(sammendraget)" not in text and "Høring i Finanskomiteen" not in text
        assert "Fra høringsdokumentene" not in text
    assert not any(style == "Quote" for style, _ in paras)
    heading = ("Heading 2", "Statens pensjonsfond utland – ansvarlig forvaltning")
    assert paras[paras.index(heading) + 1] == ("Normal", "Temaet er bare nevnt i tittelen på høringen.")
    # a hearing's title is not quoted beside its page text; its own summary still is
    title = store["items"].get(HEARING)["title"]
    put_evidence(store, HEARING, "oecd-ii", 1.6, [
        {"field": "title", "start": title.index("aktsomhetsdirektivet"), "end": title.index("aktsomhetsdirektivet") + 20,
         "text": "aktsomhetsdirektivet"},
        {"field": "text", "start": BODY.index("leverandørkjeden"), "end": BODY.index("leverandørkjeden") + 16,
         "text": "leverandørkjeden"}])
    md = drafts.render_markdown(drafts.build(store, HEARING, as_of=DAY))
    assert "(tittelen)" not in md and f"«{title}»" not in md
    assert "(teksten på høringssiden)" in md and "(sammendraget)" in md
    # the English feedback form: the initiative's title is not quoted, its own summary is
    eu = store["items"].get(EU)
    put_evidence(store, EU, "oecd-iv", 1.0, [{"field": "title", "start": 0, "end": 26, "text": eu["title"][:26]}])
    md = drafts.render_markdown(drafts.build(store, EU, as_of=DAY))
    assert "(the title)" not in md and "(the summary)" in md
    assert "The topic is named only in the title of the consultation." in md


def test_committee_subject_from_a_real_stortinget_title(store):
    title = "Komitéhøring: Endringer i åpenhetsloven (gjennomføring av aktsomhetsdirektivet) – Prop. 25 L (2026-2027)"
    store["items"].update(COMMITTEE, {"title": title})
    d = drafts.build(store, COMMITTEE, as_of=DAY)
    assert d.subject == ("Innspill til Finanskomiteen – Endringer i åpenhetsloven (gjennomføring av "
                         "aktsomhetsdirektivet) – Prop. 25 L (2026-2027)")


def test_eu_gets_the_english_feedback_form(store):
    d = drafts.build(store, EU, as_of=DAY)
    md = drafts.render_markdown(d)
    assert d.language == "en" and d.form == "eu"
    assert "# Feedback – Corporate sustainability due diligence" in md
    assert "## Have your say – feedback form" in md
    assert "I am giving my contribution as: Public authority" in md
    assert "Feedback period ends: 18 December 2026" in md
    assert "OECD Guidelines Chapter II – General Policies" in d.sections
    assert "Yours sincerely" in md


def test_a_letters_dates_and_times_are_the_houses_not_the_locales():
    """The drafts wrote "kl. 12:00" where the digest and the web write "kl. 12.00", and English
    month names through strftime (which follows LC_TIME once anything in the process calls
    locale.setlocale; nothing does today)."""
    from tracker.i18n import format_letter_date

    assert (format_letter_date("2026-12-01T12:00:00+01:00", "nb"), format_letter_date("2026-12-01", "en")) == (
        "01.12.2026", "1 December 2026")
    assert drafts._fmt_time("2026-12-01T12:00:00+01:00", "nb") == "01.12.2026 kl. 12.00"
    assert drafts._fmt_time("2026-12-01T12:00:00+01:00", "en") == "1 December 2026, 12:00"
    assert drafts._fmt_time("2026-12-01T00:00:00+01:00", "nb") == "01.12.2026"


def test_passed_deadline_is_a_warning_in_the_document(store, tmp_path):
    w = drafts.write(store, HEARING, "d", base=tmp_path, as_of=date(2026, 12, 11))
    assert w.draft.warnings == ["Høringsfristen gikk ut 10.12.2026. Avklar med Barne- og "
                                "familiedepartementet om et svar fortsatt tas imot før det sendes."]
    paras = _paragraphs(w.docx)
    assert ("Advarsel", "⚠ " + w.draft.warnings[0]) in paras
    assert drafts.build(store, HEARING, as_of=date(2026, 12, 10)).warnings == []  # the deadline day itself


def test_deadline_passed_reads_the_deadline_day_in_oslo():
    # 00:00 sharp ends the day before; an instant stored in UTC is an Oslo day
    midnight = {"deadline": "2026-12-11T00:00:00+01:00"}
    assert drafts.deadline_passed(midnight, date(2026, 12, 11))
    assert not drafts.deadline_passed(midnight, date(2026, 12, 10))
    late_utc = {"deadline": "2026-12-10T23:30:00Z"}  # 00:30 on 11 December in Oslo
    assert not drafts.deadline_passed(late_utc, date(2026, 12, 11))
    assert drafts.deadline_passed(late_utc, date(2026, 12, 12))
    assert not drafts.deadline_passed({"deadline": "not a date"}, date(2026, 12, 12))


def test_versions_never_overwrite(store, tmp_path):
    first = drafts.write(store, HEARING, "d", base=tmp_path, as_of=DAY)
    edited = Document(str(first.docx))
    edited.add_paragraph("Rådgiverens egen tekst.")
    edited.save(str(first.docx))
    second = drafts.write(store, HEARING, "d", base=tmp_path, as_of=DAY)
    assert second.docx.name == "regjeringen_3150001-horingssvar-v2.docx" and second.version == 2
    assert "Rådgiverens egen tekst." in [p.text for p in Document(str(first.docx)).paragraphs]
    third = drafts.write(store, HEARING, "d", base=tmp_path, as_of=DAY)
    assert third.docx.name.endswith("-v3.docx")
    forced = drafts.write(store, HEARING, "d", base=tmp_path, as_of=DAY, force=True)
    assert forced.docx == third.docx and forced.overwritten
    listed = drafts.versions(store, HEARING)
    assert [(v.version, v.docx_path.name) for v in listed] == [
        (1, "regjeringen_3150001-horingssvar.docx"), (2, "regjeringen_3150001-horingssvar-v2.docx"),
        (3, "regjeringen_3150001-horingssvar-v3.docx")]
    assert all(v.exists and v.md_path.exists() for v in listed)
    first.docx.unlink()
    assert [v.exists for v in drafts.versions(store, HEARING)] == [False, True, True]


def test_a_web_draft_is_listed_as_such_not_as_version_1(store, tmp_path):
    """`draft --versions` numbered every draft by its file name, so each draft made in the web
    workbench (dated, unique names) was listed as "v1" beside the CLI's own v1."""
    from click.testing import CliRunner

    from tracker.cli import main

    drafts.write(store, HEARING, "d", base=tmp_path, as_of=DAY)
    made = drafts.build(store, HEARING, as_of=DAY)
    web = tmp_path / "web" / f"{drafts.file_stem(made, DAY)}-061500-a1b2c3.docx"  # as the web names it
    web.parent.mkdir()
    web.write_bytes(drafts.docx_bytes(made))
    drafts.record(store, made, by="kari", docx_path=str(web))
    drafts.write(store, HEARING, "d", base=tmp_path, as_of=DAY)
    assert [v.version for v in drafts.versions(store, HEARING)] == [1, None, 2]
    path = store.execute("pragma database_list").fetchone()[2]
    listed = CliRunner().invoke(main, ["--db", path, "draft", HEARING, "--versions"])
    assert listed.exit_code == 0, listed.output
    assert [line.split("\t")[0] for line in listed.output.splitlines()] == ["v1", "web", "v2"]
    assert drafts.version_of("x-innspill-v4.docx") == 4 and drafts.version_of("x-feedback.md") == 1


def test_draft_is_recorded(written, store):
    rows = list(store.query("select item_id, created_by, docx_path from drafts"))
    assert rows == [{"item_id": HEARING, "created_by": "kari", "docx_path": str(written.docx)}]


def test_similar_answers_are_ranked_by_labels_and_text_with_a_score(store, tmp_path):
    # the NCP answered the offentleglova hearing (answers table); a draft exists for the fish hearing
    store["items"].update(HEARING_OLD, {"summary": "Evalueringen av offentleglova og åpenhetsloven.",
                                        "labels": '["apenhetsloven"]'})
    drafts.write(store, HEARING_FISH, "d", base=tmp_path, as_of=DAY)
    similar = drafts.similar_answers(store, drafts.load_item(store, HEARING))
    assert [s["item_id"] for s in similar] == [HEARING_OLD]  # the fish draft shares nothing: left out
    assert similar[0]["shared"] == ["apenhetsloven"] and 0.15 <= similar[0]["score"] <= 1
    md = drafts.write(store, HEARING, "d", base=tmp_path, as_of=DAY).md.read_text("utf-8")
    line = next(x for x in md.splitlines() if x.startswith("- Høyring - evalueringen av offentleglova"))
    assert "(publisert, 25.05.2016) — likhet 0," in line and "felles etiketter: Åpenhetsloven" in line


def test_unrelated_drafts_are_not_similar(store, tmp_path):
    drafts.write(store, HEARING_FISH, "d", base=tmp_path, as_of=DAY)
    assert drafts.similar_answers(store, drafts.load_item(store, HEARING)) == []
    assert "Ingen tidligere svar" in drafts.render_markdown(drafts.build(store, HEARING, as_of=DAY))


def test_submitted_answer_counts_as_earlier_answer(store):
    store["items"].update(EU, {"summary": "Guidelines under the CSDDD (aktsomhetsdirektivet)."})
    assert EU not in [s["item_id"] for s in drafts.similar_answers(store, drafts.load_item(store, HEARING))]
    for state in ("respond", "assigned", "drafting", "submitted"):
        triage.set_state(store, EU, state, owner="kari" if state == "assigned" else None)
    similar = drafts.similar_answers(store, drafts.load_item(store, HEARING))
    assert [s["kind"] for s in similar if s["item_id"] == EU] == ["submitted"]


def test_unlabelled_item_gets_one_general_section(store):
    assert drafts.build(store, HEARING_OLD, as_of=DAY).sections == ["Kontaktpunktets merknader"]


def test_unknown_item_is_a_clear_error_and_writes_nothing(store, tmp_path):
    with pytest.raises(drafts.DraftError, match="unknown item id"):
        drafts.write(store, "no_such:1", "new-dir", base=tmp_path)
    assert not (tmp_path / "new-dir").exists()


@pytest.mark.parametrize("out", ["../elsewhere", "a/../../up", "{abs}/absolute/dir", "~/Dokumenter/utkast"])
def test_user_named_folders_are_allowed(store, tmp_path, monkeypatch, out):
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    base = tmp_path / "tree"
    base.mkdir()
    w = drafts.write(store, HEARING, out.format(abs=tmp_path), base=base, as_of=DAY)
    expected = {"../elsewhere": tmp_path / "elsewhere", "a/../../up": tmp_path / "up",
                "{abs}/absolute/dir": tmp_path / "absolute" / "dir",
                "~/Dokumenter/utkast": tmp_path / "home" / "Dokumenter" / "utkast"}[out]
    assert w.docx.parent.resolve() == expected.resolve() and w.docx.exists()


def test_computed_names_cannot_leave_the_folder(store, tmp_path):
    store.execute("insert into items (id, source, kind, title, url) values (?, ?, ?, ?, ?)",
                  ["../../evil/../x", "s", "hearing", "Høring om noe", "https://example.org/x"])
    w = drafts.write(store, "../../evil/../x", "d", base=tmp_path, as_of=DAY)
    assert w.docx.parent == tmp_path / "d" and w.docx.name == "evil_.._x-horingssvar.docx"


def test_out_that_is_a_file_is_refused(store, tmp_path):
    (tmp_path / "f").write_text("x")
    with pytest.raises(drafts.DraftError, match="f is a file, not a folder"):
        drafts.write(store, HEARING, "f", base=tmp_path, as_of=DAY)


def test_libreoffice_opens_the_docx(written, tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        if os.geteuid() != 0:
            pytest.skip("LibreOffice (soffice) is not installed and this is not root: "
                        "run `sudo make office-deps` to open the .docx in LibreOffice")
        pytest.fail("soffice missing although running as root: `make office-deps` installs it")
    out = tmp_path / "pdf"
    profile = tmp_path / "lo-profile"
    result = subprocess.run(
        [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(out), str(written.docx)],
        capture_output=True, text=True, timeout=180,
    )
    pdf = out / (written.docx.stem + ".pdf")
    assert result.returncode == 0, result.stderr
    assert pdf.exists() and pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 5000


def test_an_interrupted_forced_rewrite_keeps_the_previous_draft(store, tmp_path, monkeypatch):
    """`--force` overwrites the latest version: a disk that fills (or a Ctrl-C) half-way used to
    leave a cut-off .docx in its place. Now the new file is renamed into place only when whole."""
    import os

    first = drafts.write(store, HEARING, "d", base=tmp_path, as_of=DAY)
    before = first.docx.read_bytes(), first.md.read_bytes()

    def full_disk(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full_disk)
    with pytest.raises(drafts.DraftError, match="cannot write the draft in .*No space left on device"):
        drafts.write(store, HEARING, "d", base=tmp_path, as_of=DAY, force=True)
    assert (first.docx.read_bytes(), first.md.read_bytes()) == before
    assert sorted(p.name for p in first.docx.parent.iterdir()) == sorted([first.docx.name, first.md.name])


def test_a_draft_form_for_every_consultation_kind_and_no_other():
    """Every kind an adviser can answer has its form; any other kind (an act, a procedure) has none."""
    from crawlers.items import CONSULTATION_KINDS, KINDS

    assert set(drafts.FORMS) == set(CONSULTATION_KINDS)
    for kind in set(KINDS) - set(CONSULTATION_KINDS):
        with pytest.raises(drafts.NotAConsultation, match=f"its kind {kind} is not a consultation"):
            drafts.form_of({"id": "x:1", "kind": kind})


def _withdraw(store, item_id, raw, **extra):
    store["items"].update(item_id, {"status": "withdrawn", "status_raw": raw,
                                    **({"extra": json.dumps(extra)} if extra else {})})


def test_a_withdrawn_or_cancelled_consultation_is_a_warning_in_the_document(store, tmp_path):
    """A hearing regjeringen.no marks «Trukket», a committee hearing Stortinget marks «Avlyst»,
    got a draft that read as a live hearing: no word of it in the letter."""
    _withdraw(store, HEARING, "Trukket")
    w = drafts.write(store, HEARING, "d", base=tmp_path, as_of=DAY)
    said = ("Høringen er trukket tilbake: kilden oppgir «Trukket». Avklar med Barne- og familiedepartementet "
            "om et svar fortsatt er ønsket før noe sendes.")
    assert ("Advarsel", "⚠ " + said) in _paragraphs(w.docx)
    assert f"> **⚠ {said}**" in w.md.read_text("utf-8")
    _withdraw(store, COMMITTEE, "Avlyst", status_info="Høringen er avlyst.")
    w = drafts.write(store, COMMITTEE, "d", base=tmp_path, as_of=DAY)
    assert ("Advarsel", "⚠ Høringen er avlyst: Stortinget oppgir «Avlyst» («Høringen er avlyst.»). Avklar med "
            "komiteens sekretariat om innspill fortsatt er ønsket før noe sendes.") in _paragraphs(w.docx)
    assert drafts.build(store, HEARING_FISH, as_of=DAY).warnings == []  # an open hearing: none
    _withdraw(store, HEARING, None)  # a stored status without the source's word: no empty quotes
    assert drafts.build(store, HEARING, as_of=DAY).warnings == [
        "Høringen er trukket tilbake. Avklar med Barne- og familiedepartementet om et svar fortsatt er ønsket før "
        "noe sendes."]


def test_a_committee_hearings_deadline_to_ask_to_take_part_is_not_the_written_deadline(store, tmp_path):
    """When the item's deadline is the deadline to ask to take part (extra.deadline_basis) and no
    written-input deadline is given, the draft said «Frist for skriftlige innspill: 03.12.2026 kl.
    12.00» — the deadline to ask, shown as the deadline for written input."""
    store["items"].update(COMMITTEE, {"extra": json.dumps({
        "deadline_basis": "anmodningsfrist", "innspillsfrist": "", "anmodningsfrist": "2026-12-03T12:00:00+01:00",
        "hearing_page_pattern": "unverified"})})
    w = drafts.write(store, COMMITTEE, "d", base=tmp_path, as_of=DAY)
    texts = [t for _, t in _paragraphs(w.docx)]
    assert texts.count("Frist for skriftlige innspill: ikke oppgitt") == 2  # the facts and «Frist og innsending»
    assert texts.count("Frist for å be om å delta i høringen: 03.12.2026 kl. 12.00") == 2
    assert "03.12.2026" not in " ".join(t for t in texts if t.startswith("Frist for skriftlige innspill"))
    late = drafts.build(store, COMMITTEE, as_of=date(2026, 12, 4))  # and a passed one is named as what it is
    assert late.warnings == ["Fristen for å be om å delta i høringen gikk ut 03.12.2026. Avklar med komiteens "
                             "sekretariat om et innspill fortsatt tas imot."]


def test_how_to_submit_uses_the_form_address_the_page_links_and_flags_a_built_hearing_page(store, tmp_path):
    """Every regjeringen.no draft said «Adressen til selve skjemaet er ikke bekreftet» though the
    hearing's page gave the form's address (extra.submit_url); a committee hearing's page address,
    built from a pattern the store marks unverified, was stated without a caveat."""
    form = "https://svar.regjeringen.no/nb/registrer_horingsuttalelse/H3150001/"
    store["items"].update(HEARING, {"extra": json.dumps({"submit_url": form})})
    md = drafts.write(store, HEARING, "d", base=tmp_path, as_of=DAY).md.read_text("utf-8")
    route = next(line for line in md.splitlines() if line.startswith("Innsending:"))
    assert route.startswith(f"Innsending: Via skjemaet «Send inn høringssvar»: {form} (lenket fra høringssiden ")
    assert "ikke bekreftet" not in route
    store["items"].update(HEARING, {"extra": json.dumps({})})  # no address on the page: the caveat
    md = drafts.write(store, HEARING, "d", base=tmp_path, as_of=DAY).md.read_text("utf-8")
    assert "Adressen til selve skjemaet er ikke bekreftet — bruk knappen på høringssiden." in md
    store["items"].update(COMMITTEE, {"extra": json.dumps({"hearing_page_pattern": "unverified"})})
    texts = [t for _, t in _paragraphs(drafts.write(store, COMMITTEE, "d", base=tmp_path, as_of=DAY).docx)]
    route = next(t for t in texts if t.startswith("Innsending:"))
    assert route.endswith("Adressen til høringssiden er satt sammen av trackeren og ikke bekreftet: kontroller den "
                          "på stortinget.no før innspillet sendes.")


def _soffice():
    return shutil.which("soffice") or shutil.which("libreoffice")


def test_an_english_draft_is_english_for_word_and_libreoffice(store, tmp_path):
    """An EU "Have your say" draft was tagged Norwegian (styles.xml's <w:lang w:val="nb-NO">: Word
    and LibreOffice spell-checked the English as Norwegian), quoted «…», had the keywords
    «høringssvar; Kontaktpunktet» and the Norwegian name alone in its letterhead."""
    import zipfile

    w = drafts.write(store, EU, "d", base=tmp_path, as_of=DAY)
    with zipfile.ZipFile(w.docx) as z:
        styles, header = z.read("word/styles.xml").decode(), z.read("word/header1.xml").decode()
    default = re.search(r"<w:rPrDefault>.*?</w:rPrDefault>", styles, re.S).group(0)
    assert 'w:val="en-GB"' in default and "nb-NO" not in re.findall(r'<w:lang [^>]*w:val="([^"]+)"', styles)
    doc = Document(str(w.docx))
    assert doc.core_properties.language == "en-GB" and doc.core_properties.keywords == "consultation response; NCP"
    assert "Norwegian National Contact Point for Responsible Business Conduct" in header
    assert "Norges nasjonale" not in header
    quotes = [p.text for p in doc.paragraphs if p.style.name == "Quote"]
    assert quotes and all(q.startswith("“") and "«" not in q for q in quotes)
    assert "«" not in w.md.read_text("utf-8")
    # a Bokmål draft stays Bokmål
    nb = drafts.write(store, HEARING, "d", base=tmp_path, as_of=DAY)
    with zipfile.ZipFile(nb.docx) as z:
        assert set(re.findall(r'<w:lang [^>]*w:val="([^"]+)"', z.read("word/styles.xml").decode())) == {"nb-NO"}
    assert Document(str(nb.docx)).core_properties.keywords == "høringssvar; Kontaktpunktet"
    assert any(p.text.startswith("«") for p in Document(str(nb.docx)).paragraphs if p.style.name == "Quote")
    fodt = libreoffice_fodt(w.docx, tmp_path)
    assert 'fo:language="en"' in fodt and 'fo:language="nb"' not in fodt


def _run_languages(path):
    """Each run of the document body as (its text, the language it carries: "" when the
    document's default holds), read from the .docx's XML as Word reads it."""
    import zipfile

    from lxml import etree

    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    with zipfile.ZipFile(path) as z:
        body = etree.fromstring(z.read("word/document.xml"))
    runs = []
    for r in body.iter(f"{w}r"):
        lang = r.find(f"{w}rPr/{w}lang")
        runs.append(("".join(t.text or "" for t in r.iter(f"{w}t")), "" if lang is None else lang.get(f"{w}val")))
    return runs


def _english_annex(store, item_id, text):
    """An English annex of `item_id`, read (its one paragraph tagged oecd-ii), as
    tracker/documents/read.py stores it."""
    sha = "e" * 64
    url = "https://www.regjeringen.no/contentassets/annex-en.pdf"
    store["items"].update(item_id, {"documents": json.dumps([{"title": "Annex", "url": url, "type": "vedlegg"}])})
    store["documents"].insert({"item_id": item_id, "url": url, "title": "Annex", "type": "vedlegg", "status": "ok",
                               "sha256": sha})
    store["document_files"].insert({"sha256": sha, "kind": "pdf", "read_status": "read", "language": "en"},
                                   pk="sha256")
    store["document_sections"].insert({"sha256": sha, "seq": 0, "number": "2", "heading": "Scope",
                                       "labels": '["oecd-ii"]', "relevant": 1})
    store["document_paragraphs"].insert({"sha256": sha, "seq": 0, "section_seq": 0, "page": 3, "text": text,
                                         "labels": '["oecd-ii"]', "score": 1.5, "evidence": "[]"})


def test_words_of_another_language_are_marked_as_such_for_word_and_libreoffice(store, tmp_path):
    """A Bokmål draft of a Nynorsk hearing quoting an English annex set one language for the
    whole document (nb-NO): Word and LibreOffice spell-checked the Nynorsk title and quotes and
    the English annex as Bokmål, red underlines under most of what the adviser quotes. Now each
    such piece is a run of its own with its language (`w:lang`)."""
    title = "Endringar i åpenheitslova (gjennomføring av aktsemdsdirektivet)"
    store["items"].update(HEARING, {"title": "Høyring - " + title, "language": "nn"})
    annex = "Companies shall identify and assess adverse impacts in their own operations and value chains."
    _english_annex(store, HEARING, annex)
    store["items"].update(EU, {"summary": "Guidelines under the CSDDD (aktsomhetsdirektivet)."})
    for state in ("respond", "assigned", "drafting", "submitted"):  # an earlier answer, in English
        triage.set_state(store, EU, state, owner="kari" if state == "assigned" else None)
    w = drafts.write(store, HEARING, "d", base=tmp_path, as_of=DAY)
    assert w.draft.language == "nb"
    runs = _run_languages(w.docx)
    marked = {text: lang for text, lang in runs if lang}
    assert ("Høringssvar – ", "") in runs and marked[title] == "nn-NO"  # the heading: the title alone
    sentences = [s.strip() for s in BODY.replace(". ", ".\n").splitlines()]
    assert marked[sentences[0]] == "nn-NO"  # a quote of the hearing's text, its marks «» not marked
    assert marked[annex] == "en-GB"
    eu_title = "Corporate sustainability due diligence – guidelines on stakeholder engagement"
    assert marked[eu_title] == "en-GB"  # the earlier answer's title, in the list of earlier answers
    # the draft's own words stay in the document's language
    assert not any(lang for text, lang in runs if text.startswith(("Høringssvar", "Vi viser til", "«", "»")))
    assert {lang for _, lang in runs} == {"", "nn-NO", "en-GB"}
    # the markdown copy is the same text
    md = w.md.read_text("utf-8")
    assert f"«{annex}» (" in md and f"# Høringssvar – {title}" in md
    # a Nynorsk committee hearing's case: its title wherever the letter names it — the «Sak» row,
    # the heading and inside the opening sentence (there lower-cased)
    case = "Endringar i rekneskapslova (berekraftsrapportering)"
    store["items"].update(COMMITTEE, {"title": case, "language": "nn", "reference": None})
    runs = _run_languages(drafts.write(store, COMMITTEE, "d", base=tmp_path, as_of=DAY).docx)
    assert [text for text, lang in runs if lang == "nn-NO"][:3] == [case, case, "e" + case[1:]]
    assert ("Kontaktpunktet viser til Finanskomiteens høring om ", "") in runs
    # a Bokmål hearing's draft marks nothing of its own
    store["items"].update(HEARING, {"language": "nb"})
    runs = _run_languages(drafts.write(store, HEARING, "d", base=tmp_path, as_of=DAY).docx)
    assert {lang for _, lang in runs} == {"", "en-GB"}
    # LibreOffice's own reading: the text styles of the marked runs carry their language
    langs = fodt_span_languages(libreoffice_fodt(w.docx, tmp_path))
    assert langs.get(title) == "nn" and langs.get(annex) == "en" and langs.get(sentences[0]) == "nn"
