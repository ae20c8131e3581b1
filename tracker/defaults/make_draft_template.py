"""Build the shipped hearing-response template ``horingssvar-mal.docx`` (python-docx).

``python -m tracker.defaults.make_draft_template [OUT]`` writes the template (default: next to this
file, where it is shipped from). The secretariat owns the result: a copy of the same name in the
data directory (``ncp-tracker init`` or by hand) wins over the shipped one, and may be edited in
Word — `ncp-tracker draft` uses its page setup, styles, header/footer and document properties
and replaces only the body.

What the template sets: A4 with 2.5 cm margins; Norwegian Bokmål (nb-NO) as the language of every
style; Normal, Heading 1/2, Quote, List Bullet and the character style "Fyll inn" (what the adviser
must complete); a letterhead in the page header and page numbers in the footer; core properties
(author and last editor "Kontaktpunktet for ansvarlig næringsliv", language nb-NO).
"""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

AUTHOR = "Kontaktpunktet for ansvarlig næringsliv"
LETTERHEAD = "Norges nasjonale kontaktpunkt for ansvarlig næringsliv"
WEBSITE = "www.responsiblebusiness.no"
NAME = "horingssvar-mal.docx"
FONT = "Arial"  # present in Word everywhere; LibreOffice maps it to Liberation Sans


def _set_language(style_or_rpr_parent, lang: str = "nb-NO") -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    rpr = style_or_rpr_parent.get_or_add_rPr()
    for old in rpr.findall(qn("w:lang")):
        rpr.remove(old)
    el = OxmlElement("w:lang")
    el.set(qn("w:val"), lang)
    el.set(qn("w:eastAsia"), lang)
    el.set(qn("w:bidi"), "ar-SA")
    rpr.append(el)


def _page_field(paragraph) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        elif text == "1":
            el = OxmlElement("w:t")
            el.text = text
        else:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        run._r.append(el)


def build(out: str | Path) -> Path:
    from docx import Document
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt, RGBColor

    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.5)
    section.top_margin, section.bottom_margin = Cm(2.5), Cm(2.0)
    section.header_distance = section.footer_distance = Cm(1.25)

    # document-wide defaults: font and language (every style inherits them)
    rpr_default = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    for old in rpr_default.findall(qn("w:lang")):
        rpr_default.remove(old)

    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "nb-NO")
    lang.set(qn("w:eastAsia"), "nb-NO")
    lang.set(qn("w:bidi"), "ar-SA")
    rpr_default.append(lang)

    styles = doc.styles
    normal = styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(11)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.15
    for name, size, before in (("Heading 1", 15, 12), ("Heading 2", 12.5, 12), ("Title", 18, 0)):
        st = styles[name]
        st.font.name, st.font.size, st.font.bold = FONT, Pt(size), True
        st.font.color.rgb = RGBColor(0x1F, 0x3A, 0x5F)
        st.paragraph_format.space_before, st.paragraph_format.space_after = Pt(before), Pt(4)
        st.paragraph_format.keep_with_next = True
    quote = styles["Quote"]
    quote.font.name, quote.font.size, quote.font.italic = FONT, Pt(10.5), True
    quote.font.color.rgb = RGBColor(0x33, 0x33, 0x33)
    quote.paragraph_format.left_indent = Cm(1.0)
    quote.paragraph_format.right_indent = Cm(0.5)
    styles["List Bullet"].font.name = FONT
    for name in ("Normal", "Heading 1", "Heading 2", "Title", "Quote", "List Bullet"):
        _set_language(styles[name].element)

    fill = styles.add_style("Fyll inn", WD_STYLE_TYPE.CHARACTER)
    fill.font.bold = True
    fill.font.highlight_color = WD_COLOR_INDEX.YELLOW
    shading = OxmlElement("w:shd")  # LibreOffice shows a style's shading, not its highlight
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), "FFFF00")
    fill.element.get_or_add_rPr().append(shading)
    source = styles.add_style("Kilde", WD_STYLE_TYPE.CHARACTER)
    source.font.italic, source.font.size = False, Pt(9)
    source.font.color.rgb = RGBColor(0x59, 0x59, 0x59)
    warning = styles.add_style("Advarsel", WD_STYLE_TYPE.PARAGRAPH)
    warning.base_style = normal
    warning.font.bold = True
    warning.font.color.rgb = RGBColor(0xB0, 0x00, 0x20)
    meta = styles.add_style("Brevhode", WD_STYLE_TYPE.PARAGRAPH)
    meta.base_style = normal
    meta.paragraph_format.space_after = Pt(0)

    header = section.header.paragraphs[0]
    header.text = ""
    run = header.add_run(LETTERHEAD)
    run.bold, run.font.name, run.font.size = True, FONT, Pt(12)
    run.font.color.rgb = RGBColor(0x1F, 0x3A, 0x5F)
    web = section.header.add_paragraph()
    r2 = web.add_run(WEBSITE)
    r2.font.name, r2.font.size = FONT, Pt(9)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _page_field(footer)

    # the body is replaced by `ncp-tracker draft`; this line says so to whoever opens the template
    doc.add_paragraph("Mal for Kontaktpunktets høringssvar. Innholdet her erstattes av "
                      "«ncp-tracker draft»; stiler, topptekst, bunntekst og sideoppsett brukes.")
    props = doc.core_properties
    props.author = props.last_modified_by = AUTHOR
    props.language = "nb-NO"
    props.title = "Høringssvar"
    props.subject = "Mal for høringssvar"
    props.keywords = "høringssvar; Kontaktpunktet"
    props.comments = "Laget av tracker/defaults/make_draft_template.py"
    props.revision = 1
    fixed = datetime(2026, 1, 1)  # the same bytes in the same run of the generator, year after year
    props.created = props.modified = fixed
    target = Path(out)
    doc.save(str(target))
    return target


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    out = Path(args[0]) if args else Path(__file__).with_name(NAME)
    print(build(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
