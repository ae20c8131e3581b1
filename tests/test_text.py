"""crawlers/text.py on real regjeringen.no pages and awkward fragments: the text helpers read text
nodes with lxml directly, and must give exactly what parsel's Selector API gives."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import scrapy
from scrapy.http import HtmlResponse

from crawlers.regjeringen import NOT_BODY, parse_body
from crawlers.text import PAGE_EXCLUDED, decode_body, page_lines, strip_html, texts_outside

REAL = Path(__file__).parent / "fixtures" / "real"
PAGES = sorted(REAL.glob("*/*.html"))


def _response(path: Path) -> HtmlResponse:
    return HtmlResponse(url="https://www.regjeringen.no/x", body=path.read_bytes(), encoding="utf-8")


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.name)
def test_real_pages_give_body_and_page_text(path):
    response = _response(path)
    body = response.css(".article-body")
    if body:
        assert parse_body(response)
    assert page_lines(response)


def test_strip_html_keeps_a_text_node_over_ten_megabytes():
    """lxml drops such a node silently unless huge_tree is set (parsel sets it)."""
    assert strip_html("<p>" + "a" * 11_000_000 + "</p> b") == "a" * 11_000_000 + " b"


@pytest.mark.parametrize("fragment, text", [
    ("<p>Høring om <b>åpenhetsloven</b></p>\n<p>Frist 1. mars</p>", "Høring om åpenhetsloven Frist 1. mars"),
    ("Uten &amp; markup", "Uten &amp; markup"),  # no "<": taken as text, whitespace collapsed
    ("a<br>b<!-- note -->c", "a b c"),
    ("<p>unclosed <i>tags", "unclosed tags"),
    ("<script>x()</script>tekst", "x() tekst"),  # as parsel's ::text: every text node
    ("a\x00b<i>c</i>", "ab c"),  # parsel removes NUL before parsing
    ("", ""),
    (None, ""),
])
def test_strip_html(fragment, text):
    assert strip_html(fragment) == text
    if fragment and "<" in fragment:
        sel = scrapy.Selector(text=f"<div>{fragment}</div>")
        assert strip_html(fragment) == " ".join(" ".join(sel.css("::text").getall()).split())


#: every recorded HTML page: real captures, the replay days and the spiders' fixtures
ROOT = Path(__file__).parent.parent
HTML_PAGES = sorted(p for folder in (REAL, ROOT / "data" / "replay", ROOT / "tests" / "fixtures")
                    for p in folder.rglob("*.htm*"))
#: what the walk replaces: XPaths that test each text node's ancestors (as the spiders had them)
BODY_XPATH = ".//text()[not(ancestor::script) and not(ancestor::style) and not(ancestor::*[@id='horingsinstanser'" \
             " or contains(concat(' ', @class, ' '), ' horing-cta ') or (contains(concat(' ', @class, ' '), ' factbox ')" \
             " and .//*[@id='horingsinstanser'])])]"
PAGE_XPATH = ".//text()[not(ancestor::script) and not(ancestor::style) and not(ancestor::nav)]"


def test_texts_outside_is_what_the_ancestor_xpaths_select_on_every_recorded_page():
    bodies = 0
    assert len(HTML_PAGES) >= 250
    for path in HTML_PAGES:
        response = _response(path)
        for root in response.css("main, #mainContent, article, body")[:2]:
            assert texts_outside(root.root, PAGE_EXCLUDED) == root.xpath(PAGE_XPATH).getall(), path
        for body in response.css(".article-body"):
            bodies += 1
            assert texts_outside(body.root, NOT_BODY) == body.xpath(BODY_XPATH).getall(), path
    assert bodies >= 200


@pytest.mark.parametrize("html", [
    # the consultee list in a factbox (the factbox goes), a factbox without it (stays), the answer
    # button, a script, a comment, text after each of them (tails stay)
    "<div class='article-body'>a<div class='factbox x'><p>f</p><div id='horingsinstanser'><p>NHO</p>"
    "</div></div>b<div class='factbox'>c</div><p class='horing-cta'>Send</p>d<script>s()</script>e"
    "<!-- k -->f<style>p{}</style><b>g</b>h<nav>n</nav>i</div>",
    # the body itself inside what is not body text: nothing
    "<div id='horingsinstanser'><div class='article-body'>x<p>y</p></div></div>",
    "<div class='horing-cta'><div class='article-body'>x</div></div>",
    "<nav><div class='article-body'>x</div></nav>",
    "<div class='article-body horing-cta'>x</div>",
    # nested deeper than Python's recursion limit (lxml parses it)
    "<div class='article-body'>" + "<div>a<script>s</script>b" * 1200 + "</div>" * 1200 + "c</div>",
])
def test_texts_outside_matches_the_xpaths_on_awkward_markup(html):
    response = HtmlResponse(url="https://www.regjeringen.no/x", body=f"<html><body>{html}</body></html>".encode(),
                            encoding="utf-8")
    body = response.css(".article-body")[0]
    assert texts_outside(body.root, NOT_BODY) == body.xpath(BODY_XPATH).getall()
    assert texts_outside(body.root, PAGE_EXCLUDED) == body.xpath(PAGE_XPATH).getall()


@pytest.mark.parametrize(("body", "declared", "expected"), [
    ("Brødrene Ærø & Søn ASA".encode(), "utf-8", (None, "ok")),
    ("Brødrene Ærø & Søn ASA".encode("cp1252"), "utf-8", ("Brødrene Ærø & Søn ASA", "windows-1252")),
    # a page mostly UTF-8 with one paragraph pasted in windows-1252: each part read as it is
    ("Compañía ".encode() + "Río".encode("cp1252"), "utf-8", ("Compañía Río", "windows-1252")),
    (b"Compa\xf1\x81a", "utf-8", (None, "undecodable")),  # 0x81: no windows-1252 character either
    (b"Compa\x81a", "cp1252", (None, "undecodable")),
    ("Søn".encode("cp1252"), "cp1252", (None, "ok")),
    # a single-byte Western label over UTF-8 bytes (read so, «Ã¥penhetsloven» without an error): UTF-8,
    # whichever name the label goes by
    ("åpenhetsloven".encode(), "ISO-8859-1", ("åpenhetsloven", "utf-8")),
    ("åpenhetsloven".encode(), "latin-1", ("åpenhetsloven", "utf-8")),
    ("åpenhetsloven".encode(), "iso-8859-15", ("åpenhetsloven", "utf-8")),
    ("åpenhetsloven".encode(), "windows-1252", ("åpenhetsloven", "utf-8")),
    ("Ýmir".encode(), "cp1252", ("Ýmir", "utf-8")),  # 0x9d: no windows-1252 character, it was undecodable
    # genuine Latin-1 (0xE5 for «å»: not UTF-8), pure ASCII (the same in both), another label: as declared
    ("åpenhetsloven".encode("latin-1"), "ISO-8859-1", (None, "ok")),
    ("åpenhetsloven".encode("cp1252"), "windows-1252", (None, "ok")),
    (b"apenhetsloven", "ISO-8859-1", (None, "ok")),
    ("åpenhetsloven".encode(), "iso-8859-2", (None, "ok")),
])  # fmt: skip
def test_a_body_is_decoded_strictly_in_its_declared_encoding(body, declared, expected):
    assert decode_body(body, declared) == expected


# ---------------------------------------------------------------- is this answer a web page?

XHTML = (b'<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" '
         b'"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">\n<html xmlns="http://www.w3.org/1999/xhtml"><head>'
         b'<title>Just a moment...</title></head><body>Checking your browser</body></html>')


@pytest.mark.parametrize(("body", "content_type", "page"), [
    (b"<!DOCTYPE html><html><body>Just a moment...</body></html>", "", True),
    (b"\xef\xbb\xbf\r\n  <html lang='no'><head></head></html>", None, True),
    (b"<HTML><BODY>Request Rejected</BODY></HTML>", "", True),
    (XHTML, "application/xml", True),  # an XHTML page after an XML declaration
    (b"<!-- proxy --><html><body>login</body></html>", "", True),
    (b'{"x": 1}', "text/html; charset=utf-8", True),  # served as HTML: a web page whatever it holds
    (b'{"description": "<html><body>a fragment</body></html>"}', "application/json", False),
    (b'<?xml version="1.0"?><saker_oversikt xmlns="http://data.stortinget.no"><headline/></saker_oversikt>',
     "application/xml", False),
    (b"%PDF-1.7\n<html>", "application/pdf", False),
    (b"", None, False), (None, None, False),
])  # fmt: skip
def test_a_web_page_is_told_from_the_data_asked_for(body, content_type, page):
    from crawlers.text import is_web_page

    assert is_web_page(body, content_type) is page


def test_the_three_readers_of_an_answer_ask_the_one_test():
    """The Stortinget export, Have your say's API and a document each had their own test of "a web
    page instead of the data" (a BOM, an XHTML page or markup after a comment passed one and not
    another). They ask crawlers.text.is_web_page now, and no other crawler module tests it."""
    from pathlib import Path

    from crawlers.spiders.documents import sniff
    from crawlers.stortinget import read, refused

    crawlers = Path(__file__).parent.parent / "crawlers"
    copies = [p.relative_to(crawlers).as_posix() for p in crawlers.rglob("*.py")
              if p.name != "text.py" and re.search(r'b"<!doctype html|b"<html|body\[:1\] == b"<"', p.read_text("utf-8"))]
    assert copies == []
    assert sniff(XHTML) == "html" and sniff(b"\xef\xbb\xbf<!DOCTYPE html><p>x") == "html"
    # an XHTML challenge page served as XML is no export (it read as one: «no saker_liste in the answer»)
    response = scrapy.http.Response("https://data.stortinget.no/eksport/saker?sesjonid=2025-2026", status=200,
                                    body=XHTML, headers={"Content-Type": "application/xml"})
    assert read(XHTML)[1] is None
    assert refused(response, blocked=False) == "answered an HTML page instead of the JSON export (HTTP 200)"
