"""Generated test documents: real PDFs (reportlab), .docx (python-docx) and HTML from a
specification of sections, so that what extraction should find is known exactly.

The PDF writer lays text out itself (reportlab's canvas) so that the hard cases are certain to be
in the file: words hyphenated across line ends, two-column pages, running headers and footers with
page numbers, and image-only ("scanned") pages with no text layer.

Used by tests/test_documents.py, bench/documents_bench.py and data/replay/tools/build_documents.py.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Spec:
    title: str
    #: (number, heading, [paragraphs])
    sections: list[tuple[str, str, list[str]]]
    header: str = "Høringsnotat"
    footer: str = "Departementet"
    #: section numbers whose text is set in two columns (each starts a new page)
    two_column: set[str] = field(default_factory=set)
    #: add one image-only page (a scanned letter) at the end
    scanned_page: bool = False
    #: paragraphs between the title and the first section (an act's citations and recitals)
    preamble: list[str] = field(default_factory=list)


def source_text(spec: Spec) -> str:
    """What a perfect extraction returns: headings and paragraphs, in order."""
    parts = [spec.title, *spec.preamble]
    for number, heading, paragraphs in spec.sections:
        parts.append(f"{number} {heading}")
        parts.extend(paragraphs)
    return "\n\n".join(parts)


def _wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """Greedy line breaking that hyphenates a long word at the line end (as typesetters do)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}".strip()
        if stringWidth(candidate, font, size) <= width:
            line = candidate
            continue
        # split a long word: as much as fits, with a hyphen
        if len(word) >= 10:
            for cut in range(len(word) - 4, 3, -1):
                head = f"{line} {word[:cut]}-".strip()
                if word[cut - 1].isalpha() and word[cut].isalpha() and stringWidth(head, font, size) <= width:
                    lines.append(head)
                    line = word[cut:]
                    break
            else:
                lines.append(line)
                line = word
            continue
        lines.append(line)
        line = word
    if line:
        lines.append(line)
    return [x for x in lines if x]


def _scan_image(text: str):
    """A grey raster image of a letter: pixels only, no text layer."""
    from PIL import Image, ImageDraw

    img = Image.new("L", (1240, 1754), 235)
    draw = ImageDraw.Draw(img)
    y = 120
    for line in text.split("\n"):
        draw.text((120, y), line, fill=30)
        y += 40
    return img


def write_pdf(spec: Spec, path: str | Path | None = None) -> bytes:
    """The PDF of `spec` (also written to `path` when given)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)  # invariant: same bytes on every run
    c.setTitle(spec.title)
    width, height = A4
    left, right, top, bottom = 60, 60, 70, 70
    page = [1]
    body, size, lead = "Helvetica", 10.5, 14

    def furniture() -> None:
        c.setFont("Helvetica", 8)
        c.drawString(left, height - 35, spec.header)
        c.drawRightString(width - right, height - 35, spec.title[:60])
        c.drawString(left, 30, spec.footer)
        c.drawRightString(width - right, 30, f"Side {page[0]}")

    def new_page() -> None:
        c.showPage()
        page[0] += 1
        furniture()

    furniture()
    y = height - top
    c.setFont("Helvetica-Bold", 18)
    for line in _wrap(spec.title, "Helvetica-Bold", 18, width - left - right):
        c.drawString(left, y, line)
        y -= 24
    y -= 12

    def one_column(paragraphs: list[str], y: float) -> float:
        """Write `paragraphs` across the page from `y` down, onto new pages as needed; the new y."""
        for para in paragraphs:
            for line in _wrap(para, body, size, width - left - right):
                if y < bottom:
                    new_page()
                    y = height - top
                c.setFont(body, size)
                c.drawString(left, y, line)
                y -= lead
            y -= 8
        return y

    y = one_column(spec.preamble, y)

    for number, heading, paragraphs in spec.sections:
        columns = number in spec.two_column
        if columns and y < height - top - 10:
            new_page()
            y = height - top
        if y < bottom + 60:
            new_page()
            y = height - top
        c.setFont("Helvetica-Bold", 13)
        c.drawString(left, y, f"{number} {heading}")
        y -= 22
        if columns:
            gap = 24
            col_w = (width - left - right - gap) / 2
            x_positions = [left, left + col_w + gap]
            col, y_top, y_col = 0, y, y
            for para in paragraphs:
                for line in _wrap(para, body, size, col_w):
                    if y_col < bottom:
                        col += 1
                        y_col = y_top
                        if col > 1:
                            new_page()
                            col, y_top = 0, height - top
                            y_col = y_top
                    c.setFont(body, size)
                    c.drawString(x_positions[col], y_col, line)
                    y_col -= lead
                y_col -= 8
            new_page()
            y = height - top
            continue
        y = one_column(paragraphs, y) - 10
    if spec.scanned_page:
        new_page()
        img = _scan_image("Skannet vedlegg\nUnderskrevet brev\n" + spec.title)
        c.drawImage(ImageReader(img), 40, 60, width=width - 80, height=height - 120)
    c.showPage()
    c.save()
    data = buf.getvalue()
    if path is not None:
        Path(path).write_bytes(data)
    return data


def write_list_pdf(title: str, groups: list[tuple[str, list[str]]], *, width_pt: float = 150,
                   path: str | Path | None = None) -> bytes:
    """A list of consultees as ministries publish it: a title (bold, larger), group headings (bold)
    and one name a line in a narrow column (`width_pt`), so that long names run over two lines —
    some hyphenated at the line's end — on as many pages as it takes, with a running header and
    a page number in the footer."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    c.setTitle(title)
    width, height = A4
    left, top, bottom = 60, 70, 70
    page = [1]

    def furniture() -> None:
        c.setFont("Helvetica", 8)
        c.drawString(left, height - 35, "Høringsliste")
        c.drawRightString(width - 60, 30, f"Side {page[0]}")

    def room(y: float, needed: float) -> float:
        """`y`, or the top of a new page when less than `needed` is left above the bottom margin."""
        if y >= bottom + needed:
            return y
        c.showPage()
        page[0] += 1
        furniture()
        return height - top

    furniture()
    y = height - top
    c.setFont("Helvetica-Bold", 16)
    c.drawString(left, y, title)
    y -= 30
    for heading, names in groups:
        y = room(y, 40)
        c.setFont("Helvetica-Bold", 11)
        c.drawString(left, y, heading)
        y -= 18
        for name in names:
            for line in _wrap(name, "Helvetica", 10, width_pt):
                y = room(y, 0)
                c.setFont("Helvetica", 10)
                c.drawString(left, y, line)
                y -= 13
        y -= 10
    c.showPage()
    c.save()
    data = buf.getvalue()
    if path is not None:
        Path(path).write_bytes(data)
    return data


def write_docx(spec: Spec, path: str | Path | None = None) -> bytes:
    import docx

    document = docx.Document()
    document.add_heading(spec.title, level=0)
    for number, heading, paragraphs in spec.sections:
        document.add_heading(f"{number} {heading}", level=number.count(".") + 1)
        for para in paragraphs:
            document.add_paragraph(para)
    buf = io.BytesIO()
    document.save(buf)
    data = buf.getvalue()
    if path is not None:
        Path(path).write_bytes(data)
    return data


def write_html(spec: Spec) -> bytes:
    from html import escape

    parts = [f"<html><head><title>{escape(spec.title)}</title></head><body><nav>Meny</nav><main>",
             f"<h1>{escape(spec.title)}</h1>"]
    for number, heading, paragraphs in spec.sections:
        parts.append(f"<h{min(6, number.count('.') + 2)}>{escape(number)} {escape(heading)}</h{min(6, number.count('.') + 2)}>")
        parts.extend(f"<p>{escape(p)}</p>" for p in paragraphs)
    parts.append("</main><footer>Bunntekst</footer></body></html>")
    return "\n".join(parts).encode("utf-8")


# --------------------------------------------------------------------------- EU acts


@dataclass
class Act:
    """An EU legislative text: title lines, citations and recitals, and articles."""
    #: e.g. ["Proposal for a", "DIRECTIVE OF THE EUROPEAN PARLIAMENT AND OF THE COUNCIL", "on …"]
    title: list[str]
    recitals: list[str]
    #: (number, title, [paragraphs]); a chapter starts where `chapters` says
    articles: list[tuple[str, str, list[str]]]
    #: article number → (chapter number, chapter title) of the chapter it opens
    chapters: dict[str, tuple[str, str]] = field(default_factory=dict)
    header: str = "EN"
    footer: str = ""


def act_spec(act: Act) -> Spec:
    """The act as a docgen Spec (for the PDF writer): "Article 8" headings, recitals in the preamble."""
    return Spec(" ".join(act.title), [(f"Article {n}", t, paras) for n, t, paras in act.articles],
                header=act.header, footer=act.footer,
                preamble=["Whereas:"] + [f"({i}) {r}" for i, r in enumerate(act.recitals, 1)])


def write_eurlex_oj(act: Act) -> bytes:
    """The act in the HTML layout of an Official Journal act on EUR-Lex (since 2023): `eli-container`,
    `oj-doc-ti` title lines, recitals as two-cell tables in `eli-subdivision` `rct_N`, chapters
    `oj-ti-section-1`/`-2`, articles `art_N` with `oj-ti-art` and `oj-sti-art`, text `oj-normal`."""
    from html import escape as e

    out = ['<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" '
           '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">',
           '<html xmlns="http://www.w3.org/1999/xhtml" lang="en"><head><meta http-equiv="Content-Type" '
           'content="text/html; charset=UTF-8"/><title>' + e(" ".join(act.title[:2])) + "</title>",
           '<link rel="stylesheet" type="text/css" href="./../../../../css/oj/oj.css"/></head><body>',
           '<table width="100%" border="0" cellspacing="0" cellpadding="0" class="oj-table"><tbody><tr>'
           '<td class="oj-left"><p class="oj-hd-date">' + e(act.footer) + '</p></td><td class="oj-right">'
           '<p class="oj-hd-oj">' + e(act.header) + "</p></td></tr></tbody></table>",
           '<div class="eli-container"><div class="eli-main-title" id="tit_1">']
    out += [f'<p class="oj-doc-ti">{e(line)}</p>' for line in act.title]
    out.append('</div><div class="eli-subdivision" id="pbl_1">')
    out.append('<p class="oj-normal">THE EUROPEAN PARLIAMENT AND THE COUNCIL OF THE EUROPEAN UNION,</p>')
    out.append('<p class="oj-normal">Whereas:</p>')
    for i, recital in enumerate(act.recitals, 1):
        out.append(f'<div class="eli-subdivision" id="rct_{i}"><table width="100%" border="0" cellspacing="0" '
                   'cellpadding="0"><col width="4%"/><col width="96%"/><tbody><tr><td valign="top">'
                   f'<p class="oj-normal">({i})</p></td><td valign="top"><p class="oj-normal">{e(recital)}</p>'
                   "</td></tr></tbody></table></div>")
    out.append('<p class="oj-normal">HAVE ADOPTED THIS DIRECTIVE:</p></div><div id="enc_1">')
    for number, title, paras in act.articles:
        if number in act.chapters:
            cn, ct = act.chapters[number]
            out.append(f'<div class="eli-subdivision" id="cpt_{e(cn)}"><p class="oj-ti-section-1">CHAPTER {e(cn)}</p>'
                       f'<div class="eli-title" id="cpt_{e(cn)}.tit_1"><p class="oj-ti-section-2">'
                       f'<span class="oj-bold">{e(ct)}</span></p></div></div>')
        out.append(f'<div class="eli-subdivision" id="art_{e(number)}"><p id="d1e{number}" class="oj-ti-art">'
                   f'Article {e(number)}</p><div class="eli-title" id="art_{e(number)}.tit_1">'
                   f'<p class="oj-sti-art">{e(title)}</p></div>')
        for i, para in enumerate(paras, 1):
            out.append(f'<div id="{int(number):03d}.{i:03d}"><p class="oj-normal">{e(para)}</p></div>')
        out.append("</div>")
    out.append("</div></div></body></html>")
    return "\n".join(out).encode("utf-8")


def write_eurlex_com(act: Act) -> bytes:
    """The act as a Commission proposal (COM document) on EUR-Lex: title lines `Typedudocument` /
    `Titreobjet`, recitals `ManualConsidrant`, articles `Titrearticle` ("Article 6<br/>title"),
    text `Normal`. (The COM layout's class names are from EUR-Lex's Word-derived HTML as documented by
    third-party parsers; no captured page was at hand.)"""
    from html import escape as e

    out = ['<!DOCTYPE html><html lang="en"><head><meta charset="UTF-8"/><title>'
           + e(" ".join(act.title)) + "</title></head><body>"]
    out += [f'<p class="{"Titreobjet" if i == len(act.title) - 1 else "Typedudocument"}">{e(line)}</p>'
            for i, line in enumerate(act.title)]
    out.append('<p class="Institutionquiagit">THE EUROPEAN PARLIAMENT AND THE COUNCIL OF THE EUROPEAN UNION,</p>')
    out.append('<p class="Normal">Whereas:</p>')
    out += [f'<p class="ManualConsidrant">({i}) <span>{e(r)}</span></p>' for i, r in enumerate(act.recitals, 1)]
    out.append('<p class="Formuledadoption">HAVE ADOPTED THIS DIRECTIVE:</p>')
    for number, title, paras in act.articles:
        if number in act.chapters:
            cn, ct = act.chapters[number]
            out.append(f'<p class="ChapterTitle">CHAPTER {e(cn)}<br/>{e(ct)}</p>')
        out.append(f'<p class="Titrearticle">Article {e(number)}<br/>{e(title)}</p>')
        out += [f'<p class="Normal">{e(para)}</p>' for para in paras]
    out.append("</body></html>")
    return "\n".join(out).encode("utf-8")


def act_text(act: Act) -> str:
    """What a perfect extraction of the act's articles returns (one block per article)."""
    return "\n\n".join(f"Article {n} {t}\n\n" + "\n\n".join(paras) for n, t, paras in act.articles)


# Constructed texts of one watched file's stages (CSDDD, procedure 2022/0051(COD)): the article
# numbers and titles follow the real proposal COM(2022) 71 and Directive (EU) 2024/1760; the wording is a
# short paraphrase written for these tests, NOT the legal text; the Council text is invented.
_CSDDD_RECITALS = [
    "The Union is founded on the values of respect for human dignity, freedom, democracy, equality, the rule "
    "of law and respect for human rights.",
    "Companies should take appropriate steps to set up and carry out due diligence measures, with respect to "
    "their own operations, those of their subsidiaries, and those of their business partners in their chains "
    "of activities, in line with the OECD Guidelines for Multinational Enterprises on Responsible Business Conduct.",
]
_ART1 = ("This Directive lays down rules on obligations for companies regarding actual and potential adverse "
         "human rights impacts and adverse environmental impacts, with respect to their own operations, the "
         "operations of their subsidiaries, and the operations carried out by their business partners.")
_ART4 = ("Member States shall ensure that companies conduct risk-based human rights and environmental due "
         "diligence by integrating due diligence into their policies and risk management systems, identifying "
         "and assessing actual or potential adverse impacts, preventing and mitigating potential adverse impacts, "
         "bringing actual adverse impacts to an end, providing remediation, carrying out meaningful engagement "
         "with stakeholders, establishing a notification mechanism and complaints procedure and monitoring the "
         "effectiveness of their due diligence policy.")
_ART6 = ("Member States shall ensure that companies take appropriate measures to identify actual and potential "
         "adverse human rights impacts and adverse environmental impacts arising from their own operations or "
         "those of their subsidiaries and, where related to their chains of activities, from the operations of "
         "their established business relationships.")
_ART15 = ("Member States shall ensure that companies adopt a plan to ensure that the business model and strategy "
          "of the company are compatible with the transition to a sustainable economy and with the limiting of "
          "global warming to 1.5 °C in line with the Paris Agreement.")
_ART22 = ("Member States shall ensure that companies are liable for damages if they failed to comply with the "
          "obligations to prevent and bring to an end adverse impacts and, as a result of this failure, an adverse "
          "impact that should have been identified, prevented, mitigated, brought to an end or minimised occurred "
          "and led to damage to a natural or legal person.")
_ART25 = ("Member States shall ensure that, when fulfilling their duty to act in the best interest of the company, "
          "directors of companies take into account the consequences of their decisions for sustainability "
          "matters, including human rights, climate change and environmental consequences.")
_EP_ART8 = _ART6.replace("take appropriate measures to identify", "take appropriate measures to identify and "
                         "assess").replace("established business relationships", "business partners") + (
    " Where it is not feasible to address all identified adverse impacts at the same time, companies shall "
    "prioritise them based on their severity and likelihood.")
_EP_ART22 = ("Member States shall ensure that companies adopt and put into effect a transition plan for climate "
             "change mitigation which aims to ensure, through best efforts, that the business model and strategy "
             "of the company are compatible with the transition to a sustainable economy and with the limiting of "
             "global warming to 1.5 °C in line with the Paris Agreement and the objective of achieving climate "
             "neutrality by 2050.")
_EP_ART29 = _ART22.replace("obligations to prevent and bring to an end adverse impacts", "obligations laid down "
                           "in Articles 10 and 11").replace("and led to damage to a natural or legal person",
                                                            "and caused damage to a natural or legal person's legal "
                                                            "interests") + (
    " A natural or legal person shall have the right to full compensation for the damage.")


def csddd_family() -> dict[str, Act]:
    """The stages of the CSDDD file as documents: proposal (COM HTML), Council general approach
    (PDF), Parliament position (PDF), adopted act (Official Journal HTML). Constructed texts."""
    proposal = Act(
        ["Proposal for a", "DIRECTIVE OF THE EUROPEAN PARLIAMENT AND OF THE COUNCIL",
         "on Corporate Sustainability Due Diligence and amending Directive (EU) 2019/1937"],
        _CSDDD_RECITALS,
        [("1", "Subject matter", [_ART1.replace("business partners", "established business relationships")]),
         ("2", "Scope", ["This Directive shall apply to companies which are formed in accordance with the legislation "
                         "of a Member State and which had more than 500 employees on average and a net worldwide "
                         "turnover of more than EUR 150 million in the last financial year."]),
         ("4", "Due diligence", [_ART4]),
         ("6", "Identifying actual and potential adverse impacts", [_ART6]),
         ("15", "Combating climate change", [_ART15]),
         ("22", "Civil liability", [_ART22]),
         ("25", "Directors' duty of care", [_ART25]),
         ("30", "Transposition", ["Member States shall adopt and publish, by [2 years after entry into force], the "
                                  "laws, regulations and administrative provisions necessary to comply with this "
                                  "Directive."])],
        header="COM(2022) 71 final", footer="2022/0051 (COD)")
    council = Act(
        ["Council of the European Union", "General approach",
         "Proposal for a Directive on Corporate Sustainability Due Diligence"],
        _CSDDD_RECITALS,
        [("1", "Subject matter", [_ART1.replace("business partners", "business partners in their chain of "
                                                "activities")]),
         ("2", "Scope", ["This Directive shall apply to companies which are formed in accordance with the legislation "
                         "of a Member State and which had more than 1000 employees on average and a net worldwide "
                         "turnover of more than EUR 300 million in the last financial year."]),
         ("4", "Due diligence", [_ART4]),
         ("6", "Identifying actual and potential adverse impacts", [_ART6 + (
             " Companies may prioritise adverse impacts based on their severity and likelihood.")]),
         ("15", "Combating climate change", [_ART15.replace("adopt a plan", "adopt and put into effect a plan")]),
         ("22", "Civil liability", [_ART22 + " A natural or legal person shall have the right to full compensation."]),
         ("30", "Transposition", ["Member States shall adopt and publish, by [3 years after entry into force], the "
                                  "laws, regulations and administrative provisions necessary to comply with this "
                                  "Directive."])],
        header="15024/1/22 REV 1", footer="JAI.A")
    ep = Act(
        ["Position of the European Parliament adopted at first reading on 24 April 2024 with a view to the adoption "
         "of Directive (EU) 2024/... on corporate sustainability due diligence"],
        _CSDDD_RECITALS,
        [("1", "Subject matter", [_ART1]),
         ("2", "Scope", ["This Directive shall apply to companies which are formed in accordance with the legislation "
                         "of a Member State and which had more than 1000 employees on average and a net worldwide "
                         "turnover of more than EUR 450 million in the last financial year."]),
         ("5", "Due diligence", [_ART4]),
         ("8", "Identifying and assessing actual and potential adverse impacts", [_EP_ART8]),
         ("22", "Combating climate change", [_EP_ART22]),
         ("29", "Civil liability of companies and right to full compensation", [_EP_ART29]),
         ("37", "Transposition", ["Member States shall adopt and publish, by 26 July 2026, the laws, regulations and "
                                  "administrative provisions necessary to comply with this Directive."])],
        header="P9_TA(2024)0329", footer="European Parliament")
    adopted = Act(
        ["DIRECTIVE (EU) 2024/1760 OF THE EUROPEAN PARLIAMENT AND OF THE COUNCIL", "of 13 June 2024",
         "on corporate sustainability due diligence and amending Directive (EU) 2019/1937 and Regulation (EU) 2023/2859"],
        _CSDDD_RECITALS, ep.articles, header="Official Journal of the European Union", footer="L series 5.7.2024")
    return {"proposal": proposal, "council_mandate": council, "ep_position": ep, "adopted": adopted}


# --------------------------------------------------------------------------- a second real writer


def soft_hyphenate(text: str, every: int = 6) -> str:
    """Soft hyphens (U+00AD) inside words of 12+ letters, as a word processor's hyphenation leaves
    them: the writer may break the word there (printing a hyphen), and otherwise shows nothing."""
    def word(w: str) -> str:
        if len(w) < 12 or not w.isalpha():
            return w
        return "\u00ad".join(w[i:i + every] for i in range(0, len(w), every))
    return " ".join(word(w) for w in text.split(" "))


def write_pdf_libreoffice(spec: Spec, path: str | Path, *, timeout: float = 180) -> bytes:
    """The PDF of `spec` as a word processor makes it: a .docx (python-docx) with heading styles,
    a running header and a footer with the page number, a two-column section for each of
    `spec.two_column`, soft hyphens in long words, and the scanned page as an image; converted by
    LibreOffice (`soffice --headless --convert-to pdf`). Raises RuntimeError when LibreOffice fails."""
    import shutil
    import subprocess
    import tempfile

    import docx
    from docx.enum.section import WD_SECTION
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm

    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise RuntimeError("LibreOffice (soffice) is not installed")
    document = docx.Document()

    def columns(section, n: int) -> None:
        cols = section._sectPr.find(qn("w:cols"))
        if cols is None:  # schema order: w:cols comes before w:docGrid
            cols = OxmlElement("w:cols")
            section._sectPr.insert_element_before(
                cols, "w:formProt", "w:vAlign", "w:noEndnote", "w:titlePg", "w:textDirection", "w:bidi",
                "w:rtlGutter", "w:docGrid", "w:printerSettings", "w:sectPrChange")
        cols.set(qn("w:num"), str(n))
        cols.set(qn("w:space"), "567")

    def furniture(section) -> None:
        section.header.is_linked_to_previous = False
        section.footer.is_linked_to_previous = False
        section.header.paragraphs[0].text = f"{spec.header}    {spec.title[:60]}"
        foot = section.footer.paragraphs[0]
        foot.text = f"{spec.footer}    Side "
        fld = OxmlElement("w:fldSimple")
        fld.set(qn("w:instr"), "PAGE")
        r = OxmlElement("w:r")
        t = OxmlElement("w:t")
        t.text = "1"
        r.append(t)
        fld.append(r)
        foot._p.append(fld)

    furniture(document.sections[0])
    document.add_heading(spec.title, level=0)
    for para in spec.preamble:
        document.add_paragraph(soft_hyphenate(para))
    for number, heading, paragraphs in spec.sections:
        two = number in spec.two_column
        if two:
            section = document.add_section(WD_SECTION.NEW_PAGE)
            columns(section, 2)
            furniture(section)
        document.add_heading(f"{number} {heading}", level=number.count(".") + 1)
        for para in paragraphs:
            document.add_paragraph(soft_hyphenate(para))
        if two:
            section = document.add_section(WD_SECTION.NEW_PAGE)
            columns(section, 1)
            furniture(section)
    if spec.scanned_page:
        section = document.add_section(WD_SECTION.NEW_PAGE)
        img = _scan_image("Skannet vedlegg\nUnderskrevet brev\n" + spec.title)
        buf = io.BytesIO()
        img.save(buf, format="PNG")
        buf.seek(0)
        document.add_picture(buf, width=Cm(15))
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "doc.docx"
        document.save(str(src))
        profile = Path(tmp) / "profile"
        out = subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                              "--outdir", tmp, str(src)], capture_output=True, text=True, timeout=timeout)
        pdf = Path(tmp) / "doc.pdf"
        if out.returncode != 0 or not pdf.exists():
            raise RuntimeError(f"LibreOffice could not convert: {out.returncode} {out.stderr[-500:]}")
        data = pdf.read_bytes()
    Path(path).write_bytes(data)
    return data


# --------------------------------------------------------------------------- quality


def _char_errors(a: str, b: str) -> int:
    import difflib

    errors = 0
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if tag != "equal":
            errors += max(i2 - i1, j2 - j1)
    return errors


def cer(reference: str, hypothesis: str) -> float:
    """Character edits ÷ len(reference), on whitespace-collapsed text. The texts are aligned
    paragraph by paragraph first (a character diff of 100,000 characters at once is quadratic);
    unequal blocks are then compared character by character."""
    import difflib

    ref = [" ".join(p.split()) for p in reference.split("\n\n") if p.strip()]
    hyp = [" ".join(p.split()) for p in hypothesis.split("\n\n") if p.strip()]
    errors = 0
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=ref, b=hyp, autojunk=False).get_opcodes():
        if tag != "equal":
            errors += _char_errors(" ".join(ref[i1:i2]), " ".join(hyp[j1:j2]))
    return errors / max(1, len(" ".join(ref)))
