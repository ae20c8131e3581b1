"""Text helpers every spider shares: HTML to text, whitespace, mojibake repair."""

from __future__ import annotations

import functools
import re

import ftfy
import scrapy
from lxml import etree
from scrapy.http import Response

# C0/C1 control characters except tab and newline
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_SPACE = re.compile(r"[ \t\u00a0]+")
_MOJIBAKE = re.compile(r"Ã[\x80-\xbf¸¥¦Å˜…]|Ã¦|Ã¸|Ã¥|Ã\u0098|â€")


def clean_text(value: str | None, *, single_line: bool = False) -> tuple[str | None, bool]:
    """Whitespace and control characters out, mojibake (UTF-8 read as Latin-1) repaired.

    Returns the cleaned text and whether mojibake was repaired, so the spider's
    health can count it.
    """
    if value is None:
        return None, False
    text = str(value)
    repaired = False
    if _MOJIBAKE.search(text):
        fixed = ftfy.fix_text(text)
        repaired = fixed != text
        text = fixed
    text = _CONTROL.sub(" ", text)
    if single_line:
        text = " ".join(text.split())
    else:
        text = "\n".join(_SPACE.sub(" ", line).strip() for line in text.splitlines()).strip()
        text = re.sub(r"\n{3,}", "\n\n", text)
    return (text or None), repaired


def strip_html(value: str | None) -> str:
    """Text of an HTML fragment (a feed's description), whitespace collapsed."""
    if not value:
        return ""
    if "<" not in value:
        return " ".join(value.split())
    root = scrapy.Selector(text=f"<div>{value}</div>").root
    return " ".join(" ".join(_TEXT_NODES(root)).split())


def text_nodes(selector: scrapy.Selector, xpath: str) -> list[str]:
    """The strings of the text nodes ``xpath`` selects under ``selector`` — what
    ``selector.xpath(xpath).getall()`` gives, without a Selector object per text node (a
    regjeringen.no page has thousands)."""
    return _compiled(xpath)(selector.root)


@functools.lru_cache(maxsize=64)
def _compiled(xpath: str) -> etree.XPath:
    return etree.XPath(xpath, smart_strings=False)


#: what parsel's css("::text") selects, as plain strings
_TEXT_NODES = etree.XPath("descendant-or-self::text()", smart_strings=False)


def first_text(values: list[str]) -> str | None:
    """The first non-blank string, whitespace collapsed."""
    for value in values:
        if value and value.strip():
            return " ".join(value.split())
    return None


def page_lines(response: Response) -> list[str]:
    """The main content's text nodes (no scripts, styles or navigation), one per line."""
    root = response.css("main, #mainContent, article") or response.css("body")
    if not root:
        return []
    texts = text_nodes(root[0], ".//text()[not(ancestor::script) and not(ancestor::style)"
                                " and not(ancestor::nav)]")
    return [t for t in (" ".join(x.split()) for x in texts) if t]


def page_text(response: Response) -> str:
    """`page_lines` joined by newlines, with mojibake repaired (labels are then searchable)."""
    text, _ = clean_text("\n".join(page_lines(response)))
    return text or ""
