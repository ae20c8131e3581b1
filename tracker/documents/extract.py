"""Text with structure from PDF, HTML and .docx: sections (numbered headings) of paragraphs with
their page numbers.

PDF goes through **pdfminer.six** rather than pypdf: its layout analysis gives each text box with
its position and each character with its font and size, which is what finding headings (larger or
bold type, "5.2 Aktsomhetsvurderinger"), reading two-column pages column by column and dropping
running headers/footers need; pypdf's `extract_text` returns a page's text as one string in content
stream order. `extract_pages` yields one page's layout at a time, so memory stays bounded by the
largest page, not the document (bench/documents_bench.py measures both on a 300-page document).

A page with no text but an image is a scanned page: it is listed in `scanned_pages`, and a document
with no text at all is `scanned` — never silently an empty document.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

#: "5.2 Aktsomhetsvurderinger", "Kapittel 3 Forslaget", "Artikkel 8 …", "§ 4 Aktsomhetsvurderinger"
_NUMBERED = re.compile(
    r"^(?:(?P<num>\d{1,2}(?:\.\d{1,2}){0,3})\.?|(?:kapittel|kap\.|del|chapter|artikkel|article)\s+"
    r"(?P<num2>\d{1,3}[a-z]?)|§\s*(?P<num3>\d{1,3}[a-z]?)\.?)\s+(?P<title>\S.{0,160})$",
    re.IGNORECASE,
)
_PAGE_NUMBER = re.compile(r"^(?:side|s\.|page)?\s*\d{1,4}(?:\s*(?:av|/|of)\s*\d{1,4})?$", re.IGNORECASE)
#: the outer share of a page's height where running headers and footers sit
MARGIN = 0.07
#: a box in the margin longer than this is body text, not a header or footer
MARGIN_MAX_CHARS = 160


class ExtractionError(Exception):
    """The file is not a readable document of the type it claims to be."""


@dataclass
class Paragraph:
    text: str
    page: int | None = None


@dataclass
class Section:
    number: str | None
    heading: str
    level: int
    page: int | None
    paragraphs: list[Paragraph] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n\n".join(p.text for p in self.paragraphs)


@dataclass
class Document:
    kind: str  # pdf | html | docx
    pages: int = 0
    sections: list[Section] = field(default_factory=list)
    scanned_pages: list[int] = field(default_factory=list)

    @property
    def scanned(self) -> bool:
        """No text layer at all: the document is there, but cannot be read without OCR."""
        return bool(self.scanned_pages) and not any(s.paragraphs for s in self.sections)

    @property
    def chars(self) -> int:
        return sum(len(p.text) for s in self.sections for p in s.paragraphs)

    def plain_text(self) -> str:
        return "\n\n".join(part for s in self.sections for part in ([s.heading] if s.heading else []) + [p.text for p in s.paragraphs])


# --------------------------------------------------------------------------- shared


def join_lines(lines: list[str]) -> str:
    """Lines of one paragraph as running text: a word hyphenated at a line end is joined
    ("aktsomhets-" + "vurdering" → "aktsomhetsvurdering"), a real hyphen before a capital or digit
    ("EU-" + "direktivet" stays "EU-direktivet") and a dash ("og –") are kept."""
    out = ""
    for raw in lines:
        line = " ".join(raw.split())
        if not line:
            continue
        if not out:
            out = line
        elif re.search(r"[a-zæøåäöü]-$", out) and line[:1].islower():
            out = out[:-1] + line
        elif out.endswith("-") and len(out) > 1 and not out[-2].isspace():
            out += line  # "EU-" + "direktivet"
        else:
            out += " " + line
    return out


def heading_number(text: str) -> tuple[str | None, str] | None:
    """(number, title) when `text` looks like a numbered heading, else None."""
    m = _NUMBERED.match(text.strip())
    if not m:
        return None
    num = m.group("num") or m.group("num2") or m.group("num3")
    title = m.group("title").strip()
    if not title[:1].isupper() and not title[:1].isdigit():
        return None
    return num, title


class _Builder:
    """Collects headings and paragraphs into sections."""

    def __init__(self) -> None:
        self.sections: list[Section] = [Section(None, "", 0, None)]

    def heading(self, text: str, page: int | None, level: int | None = None) -> None:
        parsed = heading_number(text)
        number = parsed[0] if parsed else None
        if level is None:
            level = number.count(".") + 1 if number and number[0].isdigit() else 1
        self.sections.append(Section(number, " ".join(text.split()), level, page))

    def paragraph(self, text: str, page: int | None) -> None:
        text = " ".join(text.split())
        if text:
            self.sections[-1].paragraphs.append(Paragraph(text, page))

    def result(self) -> list[Section]:
        return [s for s in self.sections if s.paragraphs or s.heading]


# --------------------------------------------------------------------------- PDF


def _box_lines(box: Any) -> list[tuple[str, float, bool]]:
    """(text, font size, bold) of each line of a pdfminer text box."""
    from pdfminer.layout import LTChar, LTTextLine

    lines = []
    for line in box:
        if not isinstance(line, LTTextLine):
            continue
        sizes: Counter[float] = Counter()
        bold = 0
        count = 0
        for ch in line:
            if isinstance(ch, LTChar) and ch.get_text().strip():
                sizes[round(ch.size, 1)] += 1
                count += 1
                if "bold" in (ch.fontname or "").lower():
                    bold += 1
        text = line.get_text().rstrip("\n")
        size = sizes.most_common(1)[0][0] if sizes else 0.0
        lines.append((text, size, count > 0 and bold * 2 > count))
    return lines


def _reading_order(boxes: list[Any], width: float) -> list[Any]:
    """Column by column: boxes spanning the middle of the page split it into bands; inside a band
    the left column is read before the right one."""
    middle = width / 2
    ordered: list[Any] = []
    band: list[Any] = []

    def flush() -> None:
        left = [b for b in band if b.x0 < middle and (b.x1 <= middle + 5)]
        right = [b for b in band if b not in left]
        ordered.extend(sorted(left, key=lambda b: -b.y1))
        ordered.extend(sorted(right, key=lambda b: -b.y1))
        band.clear()

    for box in sorted(boxes, key=lambda b: -b.y1):
        spans = box.x0 < middle - 5 and box.x1 > middle + 5
        if spans:
            flush()
            ordered.append(box)
        else:
            band.append(box)
    flush()
    return ordered


def iter_pdf_pages(source: str | Path | bytes) -> Iterator[tuple[int, list[tuple[list[tuple[str, float, bool]]]], bool]]:
    """Per page: (page number, its text boxes' lines in reading order, has an image)."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams, LTFigure, LTImage, LTTextBox
    from pdfminer.pdfparser import PDFSyntaxError

    stream: Any = io.BytesIO(source) if isinstance(source, bytes) else str(source)
    try:
        for number, page in enumerate(extract_pages(stream, laparams=LAParams()), 1):
            height = page.height or 1
            boxes, image = [], False
            for obj in page:
                if isinstance(obj, LTTextBox):
                    text = obj.get_text().strip()
                    if not text:
                        continue
                    in_margin = obj.y0 > height * (1 - MARGIN) or obj.y1 < height * MARGIN
                    if in_margin and len(text) <= MARGIN_MAX_CHARS:
                        continue  # running header / footer / page number
                    if _PAGE_NUMBER.match(text):
                        continue
                    boxes.append(obj)
                elif isinstance(obj, LTFigure | LTImage):
                    image = True
            yield number, [_box_lines(b) for b in _reading_order(boxes, page.width)], image
    except PDFSyntaxError as exc:
        raise ExtractionError(f"not a readable PDF: {exc}") from exc
    except Exception as exc:  # pdfminer raises many kinds on a damaged file
        if type(exc).__module__.startswith("pdfminer"):
            raise ExtractionError(f"not a readable PDF: {type(exc).__name__}: {exc}") from exc
        raise


def _split_heading(lines: list[tuple[str, float, bool]], body: float) -> list[list[tuple[str, float, bool]]]:
    """A text box that starts with a heading in larger or bold type and goes on with body text
    (word processors leave little space after a heading, and pdfminer groups the two) → the
    heading's lines, then the rest."""
    style = [(size, bold) for _, size, bold in lines]
    cut = next((i for i in range(1, len(lines)) if style[i] != style[0]), None)
    if cut is None or cut > 2:
        return [lines]
    size, bold = style[0]
    head_text = " ".join(t.strip() for t, _, _ in lines[:cut])
    heading_like = (bold or (body and size >= body * 1.12)) and len(head_text) <= 160 \
        and not head_text.endswith((".", ",", ";", ":"))
    rest_body = all(st != style[0] for st in style[cut:])
    return [lines[:cut], lines[cut:]] if heading_like and rest_body else [lines]


def extract_pdf(source: str | Path | bytes) -> Document:
    doc = Document("pdf")
    builder = _Builder()
    sizes: Counter[float] = Counter()  # body size = the most common size seen so far
    for number, boxes, image in iter_pdf_pages(source):
        doc.pages = number
        if not boxes:
            if image:
                doc.scanned_pages.append(number)
            continue
        blocks: list[list[tuple[str, float, bool]]] = []
        for lines in boxes:
            for _, size, _ in lines:
                sizes[size] += 1
            blocks.extend(_split_heading(lines, sizes.most_common(1)[0][0] if sizes else 0.0))
        for box_index, lines in enumerate(blocks):
            body = sizes.most_common(1)[0][0] if sizes else 0.0
            text = join_lines([t for t, _, _ in lines])
            size = max((s for _, s, _ in lines), default=0.0)
            bold = all(b for _, _, b in lines)
            short = len(lines) <= 2 and len(text) <= 160 and not text.endswith((".", ",", ";", ":"))
            larger = body and size >= body * 1.12
            numbered = len(lines) == 1 and len(text) <= 100 and heading_number(text) is not None
            last = builder.sections[-1].paragraphs
            if short and (larger or bold or numbered):
                builder.heading(text, number)
            elif (box_index == 0 and last and last[-1].page == number - 1 and text[:1].islower()
                  and not last[-1].text.endswith((".", "!", "?", ":", ";"))):
                # a paragraph running on from the previous page (or column break): one paragraph
                last[-1].text = join_lines([last[-1].text, text])
            else:
                builder.paragraph(text, number)
    doc.sections = builder.result()
    return doc


# --------------------------------------------------------------------------- HTML, .docx


def extract_html(source: str | bytes, content_type: str | None = None) -> Document:
    """`source` as text, or bytes decoded by the Content-Type's charset, a BOM or <meta charset>,
    else UTF-8 (w3lib's rules, as Scrapy decodes pages; from w3lib 2.6 on, bytes that are not UTF-8
    by the encoding a browser would guess: its `default_encoding` is deprecated there)."""
    from lxml import html as lxml_html
    from w3lib.encoding import html_to_unicode

    if isinstance(source, bytes):
        _, source = html_to_unicode(content_type, source)
    try:
        # huge_tree: without it lxml drops a text node over 10 MB and everything after it, silently
        tree = lxml_html.fromstring(source, parser=lxml_html.HTMLParser(huge_tree=True))
    except (ValueError, Exception) as exc:  # lxml's ParserError on an empty document
        raise ExtractionError(f"not readable HTML: {exc}") from exc
    for bad in tree.xpath("//script|//style|//nav|//header|//footer|//noscript"):
        bad.getparent().remove(bad)
    if tree.xpath(_EURLEX_PROBE):
        return _extract_eurlex(tree)
    root = (tree.xpath("//main") or tree.xpath("//article") or tree.xpath("//body") or [tree])[0]
    builder = _Builder()
    for el in root.iter("h1", "h2", "h3", "h4", "h5", "h6", "p", "li"):
        text = " ".join(el.text_content().split())
        if not text:
            continue
        if el.tag.startswith("h"):
            builder.heading(text, None, level=int(el.tag[1]))
        else:
            builder.paragraph(text, None)
    return Document("html", pages=0, sections=builder.result())


#: EUR-Lex's article titles and subtitles: the Official Journal's (`oj-ti-art`/`oj-sti-art`, acts
#: since 2023), the older OJ markup (`ti-art`/`sti-art`), consolidated texts
#: (`title-article-norm`/`stitle-article-norm`) and Commission proposals (COM documents:
#: `Titrearticle`, number and title in one paragraph split by <br>)
_ART_TITLE = ("oj-ti-art", "ti-art", "title-article-norm", "Titrearticle")
_ART_SUBTITLE = ("oj-sti-art", "sti-art", "stitle-article-norm")
#: chapter and section titles of an act ("CHAPTER I", "GENERAL PROVISIONS")
_ACT_PART = ("oj-ti-section-1", "oj-ti-section-2", "ti-section-1", "ti-section-2", "title-division-1",
             "title-division-2", "ChapterTitle", "SectionTitle")
_EURLEX_PROBE = "//p[" + " or ".join(f"contains(concat(' ', normalize-space(@class), ' '), ' {c} ')"
                                     for c in _ART_TITLE) + "]"
_ARTICLE = re.compile(r"^(?:article|artikkel|artikel)\s+(\d{1,3}[a-z]?)\b\.?\s*(.*)$", re.IGNORECASE)
#: a paragraph that is only a point's label: "(12)", "1.", "(a)" (the text follows in the next cell)
_POINT_LABEL = re.compile(r"^(?:\(\d{1,3}\)|\d{1,3}\.|\([a-z]{1,4}\)|[a-z]\))$")


def _classes(el: Any) -> set[str]:
    return set((el.get("class") or "").split())


def _extract_eurlex(tree: Any) -> Document:
    """An act or proposal in EUR-Lex's HTML: one section per article ("Article 8 Identifying actual
    and potential adverse impacts", number "8"), chapter titles as their own headings, the title,
    citations and recitals before Article 1 in the first section. Recitals and points laid out as
    two table cells ("(12)" | text) become one paragraph."""
    builder = _Builder()
    pending_label = ""
    article: Section | None = None
    part: Section | None = None
    for el in tree.iter("p"):
        classes = _classes(el)
        if classes & set(_ART_TITLE):
            lines = [" ".join(t.split()) for t in el.itertext()]
            text = " ".join(x for x in lines if x)
            m = _ARTICLE.match(text)
            if not m:
                builder.paragraph(text, None)
                continue
            builder.heading(text, None, level=2)
            article = builder.sections[-1]
            article.number = m.group(1)
            article.heading = f"Article {m.group(1)}" + (f" {m.group(2).strip()}" if m.group(2).strip() else "")
            continue
        text = " ".join(el.text_content().split())
        if not text:
            continue
        if classes & set(_ART_SUBTITLE) and article is not None and not article.paragraphs:
            article.heading = f"{article.heading} {text}"
            continue
        if classes & set(_ACT_PART):
            text = " ".join(" ".join(t.split()) for t in el.itertext() if t.strip())  # "CHAPTER I<br/>TITLE"
            last = builder.sections[-1]
            if part is not None and last is part and not part.paragraphs:
                part.heading = f"{part.heading} {text}"  # "CHAPTER I" + "GENERAL PROVISIONS"
            else:
                builder.heading(text, None, level=1)
                part = builder.sections[-1]
            article = None
            continue
        if _POINT_LABEL.match(text):
            pending_label = f"{pending_label} {text}".strip()
            continue
        builder.paragraph(f"{pending_label} {text}".strip(), None)
        pending_label = ""
    return Document("html", pages=0, sections=builder.result())


def extract_docx(source: str | Path | bytes) -> Document:
    import zipfile

    import docx

    try:
        document = docx.Document(io.BytesIO(source) if isinstance(source, bytes) else str(source))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise ExtractionError(f"not a readable .docx: {exc}") from exc
    builder = _Builder()
    for para in document.paragraphs:
        text = para.text.strip()
        if not text:
            continue
        style = (para.style.name if para.style is not None else "") or ""
        m = re.match(r"(?:Heading|Overskrift)\s*(\d)", style)
        if m or style == "Title":
            builder.heading(text, None, level=int(m.group(1)) if m else 1)
        else:
            builder.paragraph(text, None)
    return Document("docx", pages=0, sections=builder.result())


# --------------------------------------------------------------------------- dispatch

def extract(path: str | Path, kind: str, content_type: str | None = None) -> Document:
    """Extract the stored file `path` as `kind` (pdf, html, docx)."""
    if kind == "pdf":
        return extract_pdf(path)
    if kind == "html":
        return extract_html(Path(path).read_bytes(), content_type)
    if kind == "docx":
        return extract_docx(path)
    raise ExtractionError(f"cannot read documents of kind {kind!r}")


def list_lines(path: str | Path, kind: str, content_type: str | None = None) -> list[str]:
    """The lines of a file that is a list, one entry a line (a hearing's list of consultees): a
    PDF's text lines in reading order, without running headers, footers, page numbers and lines
    set as headings (larger than the body, or bold where the body is not); a .docx's or HTML
    page's paragraphs (their headings left out). Running text would be joined into paragraphs
    (`extract`); a list's lines are its entries."""
    if kind != "pdf":
        return [p.text for s in extract(path, kind, content_type).sections for p in s.paragraphs]
    lines = [line for _number, boxes, _image in iter_pdf_pages(path) for box in boxes for line in box]
    styles = Counter((size, bold) for text, size, bold in lines if text.strip())
    if not styles:
        return []
    body_size, body_bold = styles.most_common(1)[0][0]
    return [text.strip() for text, size, bold in lines
            if text.strip() and size < body_size * 1.12 and (body_bold or not bold)]
