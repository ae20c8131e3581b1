"""crawlers/text.py on real regjeringen.no pages and awkward fragments: the text helpers read text
nodes with lxml directly, and must give exactly what parsel's Selector API gives."""

from __future__ import annotations

from pathlib import Path

import pytest
import scrapy
from scrapy.http import HtmlResponse

from crawlers.regjeringen import parse_body
from crawlers.text import page_lines, strip_html, text_nodes

REAL = Path(__file__).parent / "fixtures" / "real"
PAGES = sorted(REAL.glob("*/*.html"))


def _response(path: Path) -> HtmlResponse:
    return HtmlResponse(url="https://www.regjeringen.no/x", body=path.read_bytes(), encoding="utf-8")


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.name)
def test_text_nodes_are_what_the_selector_api_gives(path):
    response = _response(path)
    for xpath in (".//text()", ".//text()[not(ancestor::script) and not(ancestor::style)]"):
        assert text_nodes(response.selector, xpath) == response.xpath(xpath).getall()
    body = response.css(".article-body")
    if body:
        assert parse_body(response)
    assert page_lines(response)


@pytest.mark.parametrize("fragment, text", [
    ("<p>Høring om <b>åpenhetsloven</b></p>\n<p>Frist 1. mars</p>", "Høring om åpenhetsloven Frist 1. mars"),
    ("Uten &amp; markup", "Uten &amp; markup"),  # no "<": taken as text, whitespace collapsed
    ("a<br>b<!-- note -->c", "a b c"),
    ("<p>unclosed <i>tags", "unclosed tags"),
    ("<script>x()</script>tekst", "x() tekst"),  # as parsel's ::text: every text node
    ("", ""),
    (None, ""),
])
def test_strip_html(fragment, text):
    assert strip_html(fragment) == text
    if fragment and "<" in fragment:
        sel = scrapy.Selector(text=f"<div>{fragment}</div>")
        assert strip_html(fragment) == " ".join(" ".join(sel.css("::text").getall()).split())
