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


def source_text(spec: Spec) -> str:
    """What a perfect extraction returns: headings and paragraphs, in order."""
    parts = [spec.title]
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
        for para in paragraphs:
            for line in _wrap(para, body, size, width - left - right):
                if y < bottom:
                    new_page()
                    y = height - top
                c.setFont(body, size)
                c.drawString(left, y, line)
                y -= lead
            y -= 8
        y -= 10
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
