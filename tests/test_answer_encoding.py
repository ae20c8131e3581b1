"""The machine-readable answers the spiders read — Stortinget's XML exports, RSS/Atom feeds, Have your
say's JSON, Cellar's SPARQL results — are read in their declared encoding strictly, by the same
middleware and in the same words as HTML pages (crawlers.middlewares.DeclaredEncodingMiddleware):
an answer whose bytes are not its declared encoding was read leniently, by a guessed encoding or
not at all under another name ("malformed JSON", "parsed leniently"), and reached the store with
mojibake or went unnamed; now it is not read, its source is red and health names it."""

from __future__ import annotations

import json

import pytest
from scrapy.http import HtmlResponse, Request, TextResponse, XmlResponse
from support import FIXTURES, file_response, make_spider, run_spider

from crawlers import stortinget
from crawlers.middlewares import (
    DeclaredEncodingMiddleware,
    UndecodableResponse,
    answer_kind,
    declared_encoding,
)
from crawlers.spiders.eu_cellar import EuCellarSpider, sparql_url
from crawlers.spiders.eu_haveyoursay import detail_url, search_url
from crawlers.spiders.no_eos_notater import NoEosNotaterSpider
from crawlers.spiders.no_lovdata import FEED_URL as LOVDATA_URL
from crawlers.spiders.no_regjeringen_horinger import FEED_URL, NoRegjeringenHoringerSpider
from crawlers.text import answer_encodings
from tracker.vocabulary import health_reason

#: a real data.stortinget.no answer (tests/fixtures/real/no_stortinget_horinger/PROVENANCE.md): its XML
#: declaration says utf-8; the export is served as text/xml (docs/sources.md)
REAL_SAKER = FIXTURES / "real/no_stortinget_horinger/hdo_saker_2011-2012_excerpt_2012-04.xml"
REAL_HYS = "real/eu_haveyoursay/"


def _undecodable(text: str, where: str) -> bytes:
    """`text` as windows-1252 bytes (so not UTF-8) with a byte windows-1252 leaves undefined (0x81)
    put in after the first `where`: bytes neither UTF-8 nor windows-1252."""
    assert where in text
    return text.encode("cp1252", "replace").replace(where.encode("cp1252"), where.encode("cp1252") + b"\x81", 1)


def _nb(url: str, fallback: bool = True) -> str:
    """The red health line an adviser reads for an answer refused (Bokmål)."""
    if fallback:
        return f"sider som verken kan leses som utf-8 (oppgitt) eller windows-1252, er ikke lest: {url}"
    return f"sider som ikke kan leses som utf-8 (oppgitt), er ikke lest: {url}"


def _reds(run: dict) -> list[str]:
    return [reason for level, reason in run["notes"] if level == "red"]


# ------------------------------------------------------------------ which encoding an answer declares


@pytest.mark.parametrize(("body", "content_type", "xml", "expected"), [
    # JSON with no charset is UTF-8 (RFC 8259), never a guess
    (b'{"a": "bl\xc3\xa5"}', "application/json", False, ("utf-8", "utf-8")),
    (b'{"a": "bl\xe5"}', "application/json", False, ("utf-8", "utf-8")),
    # a charset on JSON is no part of it (RFC 8259): UTF-8 bytes under a Latin-1 label are read right
    (b'{"a": "bl\xc3\xa5"}', "application/json; charset=ISO-8859-1", False, ("utf-8", "utf-8")),
    (b'{"a": 1}', "application/sparql-results+json; charset=windows-1252", False, ("utf-8", "utf-8")),
    (b'\xef\xbb\xbf{"a": 1}', "application/json; charset=iso-8859-1", False, ("utf-8", "utf-8")),  # BOM first
    # XML: its declaration (or UTF-8), the HTTP charset first where given
    (b'<?xml version="1.0" encoding="utf-8"?>\r\n<a/>', "text/xml", True, ("utf-8", "utf-8")),
    (b"<?xml version='1.0' encoding='ISO-8859-1'?><a/>", "application/rss+xml", True, ("iso-8859-1", "iso-8859-1")),
    (b'<?xml version="1.0" encoding="utf-8"?><a/>', "text/xml; charset=iso-8859-1", True, ("iso-8859-1", "utf-8")),
    (b"<a/>", "text/xml", True, ("utf-8", "utf-8")),
    (b'\xff\xfe<\x00a\x00/\x00>\x00', "text/xml; charset=utf-8", True, ("utf-16", "utf-16")),
])  # fmt: skip
def test_the_encoding_an_answer_declares(body, content_type, xml, expected):
    assert answer_encodings(body, content_type, xml) == expected


def test_a_json_answer_with_no_charset_is_utf8_where_scrapy_guesses():
    """Scrapy reads a JSON answer that names no charset in an encoding it guesses from the bytes."""
    response = TextResponse("https://x.eu/a", body='{"t": "Blåbær æøå"}'.encode("cp1252"),
                            headers={"Content-Type": "application/json"})
    assert response.encoding != "utf-8"  # what Scrapy guesses
    assert answer_kind(response) == "json" and declared_encoding(response, "json")[0] == "utf-8"


# ------------------------------------------------------------------ XML: Stortinget's exports, through the engine


@pytest.mark.slow
def test_stortinget_xml_read_in_its_declared_encoding_and_an_undecodable_one_refused(tmp_path):
    """Three sessions' eksport/saker: the real answer as served (text/xml, its XML declaration says
    utf-8); the same answer in ISO-8859-1 as its HTTP charset says while its declaration still says
    utf-8 (the HTTP charset wins: it was refused as malformed XML); and one whose bytes are neither
    its declared UTF-8 nor windows-1252 (it was «unreadable: XML: …», not named as such)."""
    text = REAL_SAKER.read_text("utf-8")
    assert "ø" in text
    latin = tmp_path / "latin.xml"
    latin.write_bytes(text.encode("iso-8859-1"))
    broken = tmp_path / "broken.xml"
    broken.write_bytes(_undecodable(text, "<saker_liste>"))
    good, in_latin, bad = "2011-2012", "2010-2011", "2009-2010"
    run = run_spider("no_stortinget_spu", [
        {"url": stortinget.cases_url(good), "file": str(REAL_SAKER), "headers": {"Content-Type": "text/xml"}},
        {"url": stortinget.cases_url(in_latin), "file": str(latin),
         "headers": {"Content-Type": "text/xml; charset=iso-8859-1"}},
        {"url": stortinget.cases_url(bad), "file": str(broken), "headers": {"Content-Type": "text/xml; charset=utf-8"}},
    ], tmp_path, as_of="2012-04-27T12:00:00+02:00", args={"sessions": f"{good},{in_latin},{bad}"})  # fmt: skip
    assert run["stats"]["tracker/cases_listed"] == 110  # the two readable answers, 55 cases each
    assert _reds(run) == [f"pages undecodable in utf-8 (declared) or windows-1252, not read: "
                          f"{stortinget.cases_url(bad)}"]
    assert health_reason(_reds(run)[0], "nb") == _nb(stortinget.cases_url(bad))
    assert not any("\ufffd" in str(item) or "Ã" in str(item) for item in run["items"])
    assert not any(f"session {in_latin}" in reason for _, reason in run["notes"])


# ------------------------------------------------------------------ JSON: Have your say, through the engine


@pytest.mark.slow
def test_have_your_say_json_undecodable_detail_refused_and_the_listing_still_read(tmp_path):
    """The real listing (no charset: UTF-8) is read; the real detail answer whose bytes are not its
    declared UTF-8 (nor windows-1252) is not read: the initiative keeps what the listing gave, and
    health names the answer (json.loads' error was only counted as a parse error, the source green)."""
    detail = (FIXTURES / REAL_HYS / "parlmonitor_hys-detail-18805_2026-09-01.json").read_text("utf-8")
    broken = tmp_path / "detail.json"
    broken.write_bytes(_undecodable(detail, '"unit":"'))
    run = run_spider("eu_haveyoursay", [
        {"url": search_url(0), "file": REAL_HYS + "parlmonitor_hys-initiatives_2026-09-01.json",
         "headers": {"Content-Type": "application/json"}},
        {"url": detail_url("18805"), "file": str(broken), "headers": {"Content-Type": "application/json;charset=UTF-8"}},
    ], tmp_path, as_of="2026-09-01T12:00:00+02:00")  # fmt: skip
    items = {i["native_id"]: i for i in run["items"]}
    assert set(items) == {"18805", "18806", "14778"}
    assert items["18805"]["extra"]["detail"] == "error UndecodableResponse"
    assert items["18805"]["title"].startswith("Plants obtained by new genomic techniques")
    assert _reds(run) == [f"pages undecodable in utf-8 (declared) or windows-1252, not read: {detail_url('18805')}"]
    assert health_reason(_reds(run)[0], "nb") == _nb(detail_url("18805"))


@pytest.mark.slow
def test_have_your_say_json_listing_undecodable_is_red_and_nothing_vanishes(tmp_path):
    listing = (FIXTURES / REAL_HYS / "parlmonitor_hys-initiatives_2026-09-01.json").read_text("utf-8")
    broken = tmp_path / "listing.json"
    broken.write_bytes(_undecodable(listing.encode("ascii", "ignore").decode(), '"content":'))
    run = run_spider("eu_haveyoursay", [
        {"url": search_url(0), "file": str(broken), "headers": {"Content-Type": "application/json"}},
    ], tmp_path, as_of="2026-09-01T12:00:00+02:00")
    assert run["items"] == [] and run["listing"]["complete"] is False
    assert _reds(run) == [f"pages undecodable in utf-8 (declared) or windows-1252, not read: {search_url(0)}"]


# ------------------------------------------------------------------ SPARQL results (a plain TextResponse)


def _sparql(body: bytes, content_type: str = "application/sparql-results+json"
            ) -> tuple[EuCellarSpider, DeclaredEncodingMiddleware, TextResponse]:
    spider = make_spider(EuCellarSpider)
    url = sparql_url("32024L1760")
    response = TextResponse(url, body=body, headers={"Content-Type": content_type}, request=Request(url))
    return spider, DeclaredEncodingMiddleware(spider.crawler), response


SPARQL = '{"head": {"vars": ["celex", "title"]}, "results": {"bindings": [{"title": {"type": "literal", ' \
         '"value": "Direktiv om aktsomhetsvurderinger for bærekraft – endring"}}]}}'


def test_sparql_results_undecodable_in_utf8_are_refused_and_named():
    """Cellar answers application/sparql-results+json with no charset (UTF-8): bytes that are not
    were given to json.loads ("malformed SPARQL JSON", amber) and never named as undecodable."""
    spider, middleware, response = _sparql(_undecodable(SPARQL, "Direktiv"))
    with pytest.raises(UndecodableResponse):
        middleware.process_response(response.request, response)
    assert spider.notes == [("red", f"pages undecodable in utf-8 (declared) or windows-1252, not read: {response.url}")]
    assert health_reason(spider.notes[0][1], "nb") == _nb(response.url)
    # a good answer passes as it is
    spider, middleware, response = _sparql(SPARQL.encode("utf-8"))
    assert middleware.process_response(response.request, response) is response
    assert spider.notes == []


def test_a_json_answer_labelled_latin1_is_read_as_the_utf8_it_is():
    """A charset on JSON has no effect (RFC 8259): UTF-8 bytes under «charset=ISO-8859-1» were
    re-read as Latin-1 («bÃ¦rekraft» stored, no note); now they pass as they are, and Latin-1
    bytes under that label are read as windows-1252 and amber, as an HTML page's would be."""
    spider, middleware, response = _sparql(SPARQL.encode("utf-8"), "application/sparql-results+json; charset=ISO-8859-1")
    assert middleware.process_response(response.request, response) is response
    assert spider.notes == []
    spider, middleware, response = _sparql(SPARQL.encode("latin-1", "replace"),
                                           "application/sparql-results+json; charset=ISO-8859-1")
    read = middleware.process_response(response.request, response)
    assert "bærekraft" in read.text and [level for level, _ in spider.notes] == ["amber"]


# ------------------------------------------------------------------ RSS/Atom feeds


REG_FEED = FIXTURES / "no_regjeringen_horinger/feed_2026-07-04.xml"


def _feed(body: bytes) -> XmlResponse:
    return XmlResponse(FEED_URL, body=body, headers={"Content-Type": "application/rss+xml; charset=utf-8"},
                       request=Request(FEED_URL))


def test_a_feed_undecodable_in_its_declared_encoding_is_refused_and_named():
    spider = make_spider(NoRegjeringenHoringerSpider)
    middleware = DeclaredEncodingMiddleware(spider.crawler)
    response = _feed(_undecodable(REG_FEED.read_text("utf-8"), "<title>"))
    with pytest.raises(UndecodableResponse):
        middleware.process_response(response.request, response)
    assert spider.notes == [("red", f"pages undecodable in utf-8 (declared) or windows-1252, not read: {FEED_URL}")]


def test_a_feed_in_windows_1252_that_says_utf8_is_read_right_and_amber():
    """It was «hearing RSS not well-formed, parsed leniently»: feedparser's CharacterEncodingOverride."""
    spider = make_spider(NoRegjeringenHoringerSpider)
    middleware = DeclaredEncodingMiddleware(spider.crawler)
    response = middleware.process_response(None, _feed(REG_FEED.read_text("utf-8").encode("cp1252")))
    entries, problem = spider.parse_feed(response, "hearing RSS")
    assert problem is None and entries
    assert any("ø" in e.title for e in entries)
    assert spider.notes == [("amber", f"pages not in their declared encoding (utf-8), read as windows-1252: {FEED_URL}")]


# ------------------------------------------------------------------ feedparser's bozo: encoding or not


def test_feedparser_reading_a_feed_in_another_encoding_than_it_declares_is_refused_not_lenient():
    """A feed feedparser could not read in its declared encoding (CharacterEncodingOverride: it read
    it as iso-8859-2, «Ă¸» for «ø») was «parsed leniently» (amber) and its entries stored."""
    spider = make_spider(NoRegjeringenHoringerSpider)
    entries, problem = spider.parse_feed(_feed(_undecodable(REG_FEED.read_text("utf-8"), "<title>")), "hearing RSS")
    assert entries == []
    assert problem == f"pages undecodable in utf-8 (declared), not read: {FEED_URL}"
    assert health_reason(problem, "nb") == _nb(FEED_URL, fallback=False)
    assert spider.notes == []  # the caller says it (red, or its fallback channel): not "parsed leniently"


def test_feedparser_content_type_mismatch_alone_is_not_a_problem(monkeypatch):
    """NonXMLContentType (a feed served as another media type, read all the same) is no sign of a
    broken feed: it was amber «parsed leniently»."""
    import feedparser
    from feedparser.exceptions import NonXMLContentType

    real = feedparser.parse

    def parse(body, **kw):
        result = real(body, **kw)
        result["bozo"], result["bozo_exception"] = True, NonXMLContentType("text/plain is not an XML media type")
        return result

    monkeypatch.setattr(feedparser, "parse", parse)
    spider = make_spider(NoRegjeringenHoringerSpider)
    entries, problem = spider.parse_feed(_feed(REG_FEED.read_bytes()), "hearing RSS")
    assert problem is None and entries and spider.notes == []
    # a feed that is not well-formed is still parsed leniently, amber
    monkeypatch.setattr(feedparser, "parse", real)
    spider = make_spider(NoRegjeringenHoringerSpider)
    body = REG_FEED.read_bytes().replace(b"</channel>", b"<br></channel>", 1)
    entries, problem = spider.parse_feed(_feed(body), "hearing RSS")
    assert problem is None and entries
    assert spider.notes == [("amber", "hearing RSS not well-formed, parsed leniently")]


# ------------------------------------------------------------------ a single-byte label over UTF-8 bytes


LOVDATA_FEED = FIXTURES / "no_lovdata/feed.xml"
EOS_NOTE = FIXTURES / "no_eos_notater/aktsomhetsdirektivet.html"
EOS_NOTE_URL = "https://www.regjeringen.no/no/sub/eos-notatbasen/notatene/2022/mars/aktsomhetsdirektivet-/id2918419/"
LOVDATA_ITEM = "LTI/forskrift/2026-11-20-2101"


def _as_latin1_declared(text: str) -> str:
    """`text` (an RSS feed or a page) with its own declaration saying ISO-8859-1 instead of UTF-8."""
    return text.replace('encoding="UTF-8"', 'encoding="ISO-8859-1"', 1).replace('charset="utf-8"',
                                                                                'charset="ISO-8859-1"', 1)


@pytest.mark.slow
@pytest.mark.parametrize("where", ["HTTP charset", "XML declaration"])
def test_a_feed_labelled_latin1_over_utf8_bytes_is_read_as_utf8_and_amber(tmp_path, where):
    """A server saying ISO-8859-1 (in its Content-Type, or the feed in its XML declaration) over
    bytes that are UTF-8: they read as Latin-1 without an error, so Lovtidend's «… etter
    åpenhetsloven» was «… etter Ã¥penhetsloven», the spider's filter did not know it and the
    regulation was dropped, the source green. Now it is read as UTF-8, and amber naming the feed."""
    text = LOVDATA_FEED.read_text("utf-8")
    if where == "HTTP charset":
        headers, body = {"Content-Type": "application/rss+xml; charset=ISO-8859-1"}, text.encode()
    else:
        headers, body = {"Content-Type": "application/rss+xml"}, _as_latin1_declared(text).encode()
    feed = tmp_path / "feed.xml"
    feed.write_bytes(body)
    run = run_spider("no_lovdata", [{"url": LOVDATA_URL, "file": str(feed), "headers": headers}], tmp_path,
                     as_of="2026-11-24T06:00:00+01:00")
    items = {i["native_id"]: i for i in run["items"]}
    assert items[LOVDATA_ITEM]["title"] == ("Forskrift om endring i forskrift om utmåling av overtredelsesgebyr etter "
                                            "åpenhetsloven")
    assert not any("Ã" in str(item) for item in run["items"])
    assert run["notes"] == [["amber", f"pages declared iso-8859-1 but in UTF-8, read as UTF-8: {LOVDATA_URL}"]]
    assert run["stats"]["tracker/pages_utf8_declared_single_byte"] == 1
    assert health_reason(run["notes"][0][1], "nb") == (
        f"sider oppgitt som iso-8859-1, men i UTF-8, lest som UTF-8: {LOVDATA_URL}")


@pytest.mark.slow
def test_a_feed_genuinely_in_latin1_is_read_as_latin1_without_a_note(tmp_path):
    feed = tmp_path / "feed.xml"
    feed.write_bytes(_as_latin1_declared(LOVDATA_FEED.read_text("utf-8")).encode("latin-1"))
    run = run_spider("no_lovdata", [{"url": LOVDATA_URL, "file": str(feed),
                                     "headers": {"Content-Type": "application/rss+xml; charset=ISO-8859-1"}}],
                     tmp_path, as_of="2026-11-24T06:00:00+01:00")
    items = {i["native_id"]: i for i in run["items"]}
    assert items[LOVDATA_ITEM]["title"].endswith(" etter åpenhetsloven")
    assert run["notes"] == []


def _eos_note(body: bytes, content_type: str):
    """The EØS note's page as served with `content_type`, through the encoding middleware and the
    spider's reading of it: (the item, the spider's notes)."""
    spider = make_spider(NoEosNotaterSpider)
    feed = file_response("no_eos_notater/feed.xml", spider.feed_url)
    item = next(r.cb_kwargs["item"] for r in spider.parse(feed) if getattr(r, "cb_kwargs", {}).get("item", {})
                .get("native_id") == "2918419")
    response = HtmlResponse(EOS_NOTE_URL, body=body, headers={"Content-Type": content_type},
                            request=Request(EOS_NOTE_URL))
    response = DeclaredEncodingMiddleware(spider.crawler).process_response(response.request, response)
    (item,) = list(spider.parse_detail(response, item=item))
    return item, spider.notes


def test_a_page_labelled_latin1_over_utf8_bytes_is_read_as_utf8_and_amber():
    """An HTML page served as ISO-8859-1 (header and meta) whose bytes are UTF-8 was read as
    windows-1252 (Scrapy's name for that label) in silence: «Ã¥penhetsloven», «ForelÃ¸pig»."""
    page = _as_latin1_declared(EOS_NOTE.read_text("utf-8"))
    item, notes = _eos_note(page.encode(), "text/html; charset=ISO-8859-1")
    assert "endringer i åpenhetsloven § 4" in item["body"]
    assert "Ã" not in json.dumps(dict(item), ensure_ascii=False)
    assert notes == [("amber", f"pages declared iso-8859-1 but in UTF-8, read as UTF-8: {EOS_NOTE_URL}")]
    assert health_reason(notes[0][1], "nb") == (
        f"sider oppgitt som iso-8859-1, men i UTF-8, lest som UTF-8: {EOS_NOTE_URL}")


def test_a_page_genuinely_in_latin1_or_in_ascii_is_read_as_declared_without_a_note():
    page = _as_latin1_declared(EOS_NOTE.read_text("utf-8"))
    item, notes = _eos_note(page.encode("latin-1", "replace"), "text/html; charset=ISO-8859-1")  # «–»: «?»
    assert "endringer i åpenhetsloven § 4" in item["body"] and notes == []
    ascii_page = page.encode("ascii", "ignore")
    item, notes = _eos_note(ascii_page, "text/html; charset=ISO-8859-1")
    assert "endringer i penhetsloven 4." in item["body"] and notes == []
