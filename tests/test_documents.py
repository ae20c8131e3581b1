"""Documents: the fetcher (spider + store), extraction from generated PDF/HTML/.docx, reading with
the real tagger, watched provisions, redlines, and what the digest and drafts read (api)."""

from __future__ import annotations

import json
import os
import re
from datetime import datetime
from pathlib import Path

import pytest
from docgen import Spec, source_text, write_docx, write_html, write_pdf
from scrapy.http import Request, Response
from support import FIXTURES, ROOT, fodt_span_languages, libreoffice_fodt, make_spider

from crawlers.dates import OSLO
from crawlers.spiders.documents import DocumentsSpider
from tracker.documents import api, provisions, read, redline
from tracker.documents import extract as ex
from tracker.documents import store as dstore

AT = "2026-11-24T05:00:00+00:00"  # 06:00 in Oslo, stored in UTC (tracker.store.instants)
LONG = ("Departementet foreslår at virksomheter skal gjennomføre aktsomhetsvurderinger i leverandørkjeden "
        "i samsvar med OECDs retningslinjer for flernasjonale virksomheter, og at menneskerettighetsvurderingene "
        "dokumenteres årlig.")
ROUTINE = "Forslaget har begrensede økonomiske og administrative konsekvenser for det offentlige."


def spec(version: int = 1, **kw) -> Spec:
    s3 = [f"Etter åpenhetsloven § 4 skal virksomheten utføre aktsomhetsvurderinger. {LONG}"]
    if version == 2:
        s3 = [f"Etter § 4 i åpenhetsloven skal virksomheten utføre aktsomhetsvurderinger for miljø. {LONG}"]
    sections = [("1", "Innledning", [ROUTINE, "Kort avsnitt om bakgrunnen."]),
                ("2", "Gjeldende rett", [LONG, ROUTINE, LONG]),
                ("3", "Aktsomhetsvurderinger", s3),
                ("4", "Konsekvenser", [ROUTINE])]
    if version == 2:
        sections.append(("5", "Ikrafttredelse", ["Loven trer i kraft 1. juli 2027."]))
    return Spec("Høringsnotat – endringer i åpenhetsloven", sections, **kw)


@pytest.fixture(scope="module")
def tagger():
    from nlp.tagger import default_tagger

    return default_tagger()


# --------------------------------------------------------------------------- extraction


def test_pdf_sections_pages_headings_and_hyphenation():
    doc = ex.extract_pdf(write_pdf(spec(two_column={"2"})))
    numbers = [s.number for s in doc.sections if s.number]
    assert numbers == ["1", "2", "3", "4"]
    by = {s.number: s for s in doc.sections}
    assert by["3"].heading == "3 Aktsomhetsvurderinger"
    assert by["1"].page == 1 and by["2"].page == 2  # the two-column section starts a new page
    text = doc.plain_text()
    # words hyphenated at line ends (docgen splits long words) are whole again
    assert "menneskerettighetsvurderingene" in text and "menneskerettighets- " not in text
    # running headers/footers and page numbers are not text
    assert "Side 1" not in text and "Side 2" not in text
    # two columns are read column by column: each paragraph comes out whole and in order
    assert [p.text for p in by["2"].paragraphs] == [LONG, ROUTINE, LONG]


def test_pdf_scanned_page_is_flagged_and_an_image_only_pdf_is_scanned():
    doc = ex.extract_pdf(write_pdf(spec(scanned_page=True)))
    assert doc.scanned_pages == [doc.pages] and not doc.scanned
    only_image = ex.extract_pdf(write_pdf(Spec("x", [], scanned_page=True)))
    assert only_image.scanned_pages and only_image.chars == 0
    assert only_image.scanned


def test_html_and_docx_give_the_same_sections():
    s = spec()
    html = ex.extract_html(write_html(s))
    docx_doc = ex.extract_docx(write_docx(s))
    for doc in (html, docx_doc):
        numbers = [x.number for x in doc.sections if x.number]
        assert numbers == ["1", "2", "3", "4"]
        assert doc.plain_text().count(LONG) == 3
        assert "Meny" not in doc.plain_text()  # navigation is not text


def test_html_bytes_are_decoded_without_a_deprecated_call():
    """A fresh install resolves w3lib 2.6, where `html_to_unicode`'s default_encoding is
    deprecated: every HTML document read warned (and a later w3lib will refuse it). Bytes with no
    declared charset that are UTF-8 are read as UTF-8, as before."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error", DeprecationWarning)
        doc = ex.extract_html("<html><body><h1>1 Formål</h1><p>Åpenhetsloven gjelder større virksomheter."
                              "</p></body></html>".encode())
    assert "Åpenhetsloven gjelder større virksomheter." in doc.plain_text()


def test_extraction_character_error_rate_is_low():
    s = spec()
    text = ex.extract_pdf(write_pdf(s)).plain_text()
    import difflib

    ref = source_text(s)
    ratio = difflib.SequenceMatcher(a=ref, b=text, autojunk=False).ratio()
    assert ratio > 0.97, (ratio, text[:500])


def test_not_a_pdf_is_a_clear_error():
    with pytest.raises(ex.ExtractionError):
        ex.extract_pdf(b"<html>not a pdf</html>")
    with pytest.raises(ex.ExtractionError):
        ex.extract_docx(b"PK\x03\x04 broken")


def test_an_html_document_with_a_paragraph_over_ten_megabytes_is_read_to_its_end():
    """lxml's HTML parser drops a text node over 10 MB, and all after it, unless huge_tree is set."""
    long = "ord " * 2_800_000
    doc = ex.extract_html(f"<html><body><main><h1>Notat</h1><p>{long}</p><p>Siste avsnitt.</p></main></body></html>")
    text = doc.plain_text()
    assert long.strip() in text and text.rstrip().endswith("Siste avsnitt.")


def test_join_lines_keeps_real_hyphens():
    assert ex.join_lines(["aktsomhets-", "vurderinger"]) == "aktsomhetsvurderinger"
    assert ex.join_lines(["gjennomføring av EU-", "direktivet"]) == "gjennomføring av EU-direktivet"
    assert ex.join_lines(["miljø –", "og klima"]) == "miljø – og klima"


# --------------------------------------------------------------------------- the spider


def _response(url, status=200, body=b"", headers=None):
    return Response(url=url, status=status, body=body, headers=headers or {}, request=Request(url))


def test_spider_results_ok_not_modified_refused_failed(tmp_path):
    link = {"item_id": "regjeringen:1", "url": "https://x.no/a.pdf", "title": "Høringsnotat", "type": "høringsnotat"}
    spider = make_spider(DocumentsSpider, documents=[link], max_bytes=50_000)
    pdf = write_pdf(spec())
    (ok,) = spider.parse_document(_response(link["url"], body=pdf, headers={"Content-Type": "application/pdf",
                                                                               "ETag": '"e1"'}), link)
    assert ok["status"] == "ok" and ok["kind"] == "pdf" and ok["content"] == pdf and ok["etag"] == '"e1"'
    (nm,) = spider.parse_document(_response(link["url"], 304), link)
    assert nm["status"] == "not_modified"
    (html_as_pdf,) = spider.parse_document(_response(link["url"], body=b"<!DOCTYPE html><html><body>404</body></html>",
                                                     headers={"Content-Type": "application/pdf"}), link)
    assert html_as_pdf["status"] == "refused" and "not a document" in html_as_pdf["error"]
    (big,) = spider.parse_document(_response(link["url"], body=pdf + b"0" * 60_000,
                                             headers={"Content-Type": "application/pdf"}), link)
    assert big["status"] == "refused" and "larger than the limit" in big["error"]
    (gone,) = spider.parse_document(_response(link["url"], 404, b"nope"), link)
    assert gone["status"] == "failed" and gone["error"] == "HTTP 404"
    # the 404 a replay answers for what its day does not hold says so (the documents' health counts it)
    from scrapy.utils.test import get_crawler

    from crawlers.middlewares import ReplayMiddleware
    from crawlers.spiders.documents import NOT_IN_RECORDING

    crawler = get_crawler(DocumentsSpider, {"REPLAY_DIR": str(tmp_path)})  # a day holding nothing
    crawler.spider = spider
    crawler.stats.open_spider()
    miss = ReplayMiddleware.from_crawler(crawler).process_request(Request(link["url"]))
    (unrecorded,) = spider.parse_document(miss, link)
    assert unrecorded["status"] == "failed" and unrecorded["error"] == NOT_IN_RECORDING


def test_spider_sends_conditional_requests_and_bypasses_the_cache():
    import asyncio

    links = [{"item_id": "a", "url": "https://x.no/a.pdf", "etag": '"e1"'},
             {"item_id": "b", "url": "https://x.no/b.pdf", "last_modified": "Mon, 23 Nov 2026 05:30:00 GMT"},
             {"item_id": "c", "url": "mailto:x@y.no"}]
    spider = make_spider(DocumentsSpider, documents=links)

    async def collect():
        return [r async for r in spider.start()]

    a, b, c = asyncio.run(collect())
    assert a.headers[b"If-None-Match"] == b'"e1"' and a.meta["dont_cache"]
    assert b.headers[b"If-Modified-Since"].startswith(b"Mon, 23 Nov")
    assert c["status"] == "failed" and "not a fetchable URL" in c["error"]


# --------------------------------------------------------------------------- store


def _record(db, root, body, *, item="regjeringen:1", url="https://x.no/notat.pdf", at=AT):
    return dstore.record_fetch(db, {"item_id": item, "url": url, "title": "Høringsnotat", "type": "høringsnotat",
                                    "status": "ok", "kind": "pdf", "body": body, "content_type": "application/pdf",
                                    "etag": None, "http_status": 200}, root=root, at=at)


def _item(db, item_id="regjeringen:1", title="Høring – endringer i forskrift om hundehold", **kw):
    db["items"].insert({"id": item_id, "source": "no_regjeringen_horinger", "kind": "hearing", "title": title,
                        "url": f"https://x.no/{item_id}", "status": "open", "first_seen": AT, "last_changed": AT,
                        "relevance": 0.05, "relevant": 0, "labels": "[]",
                        "documents": json.dumps([{"title": "Høringsnotat", "url": "https://x.no/notat.pdf",
                                                  "type": "høringsnotat"}]), **kw}, pk="id")


def test_store_is_content_addressed_with_provenance_and_change_events(db, tmp_path):
    _item(db)
    root = tmp_path / "documents"
    v1, v2 = write_pdf(spec(1)), write_pdf(spec(2))
    assert _record(db, root, v1) == "new"
    assert _record(db, root, v1, at="2026-11-25T05:00:00+00:00") == "unchanged"
    assert _record(db, root, v2, at="2026-11-26T05:00:00+00:00") == "changed"
    import hashlib

    sha1, sha2 = hashlib.sha256(v1).hexdigest(), hashlib.sha256(v2).hexdigest()
    assert (root / sha1[:2] / f"{sha1}.pdf").read_bytes() == v1
    meta = json.loads((root / sha1[:2] / f"{sha1}.json").read_text("utf-8"))
    assert {s["fetched_at"] for s in meta["seen"]} == {AT, "2026-11-25T05:00:00+00:00"}
    (event,) = db.query("select * from events where kind = 'documents_changed'")
    assert (event["before"], event["after"], event["field"]) == (sha1, sha2, "https://x.no/notat.pdf")
    assert [v["sha256"] for v in dstore.versions(db, "regjeringen:1", "https://x.no/notat.pdf")] == [sha1, sha2]
    # a failure is recorded, and keeps the copy we have
    dstore.record_fetch(db, {"item_id": "regjeringen:1", "url": "https://x.no/notat.pdf", "status": "failed",
                             "error": "HTTP 503", "http_status": 503}, root=root, at=AT)
    row = db["documents"].get(("regjeringen:1", "https://x.no/notat.pdf"))
    assert row["status"] == "failed" and row["sha256"] == sha2 and row["error"] == "HTTP 503"


# --------------------------------------------------------------------------- provisions


def _links(*urls, item="regjeringen:1"):
    return [{"item_id": item, "url": u, "title": "Høringsnotat", "type": "høringsnotat"} for u in urls]


def _run(db):
    from tracker.store import merge

    return merge.start_run(db, as_of=datetime(2026, 11, 24, 6, tzinfo=OSLO), mode="test", sources=[])


def test_the_documents_have_a_health_row_of_their_own(db, tmp_path):
    """The documents of the items turn amber or red like a source (the digest and `health` show
    them): a fetch that failed as a whole, or recorded nothing, used to be only a log line."""
    from tracker.documents.pipeline import record_health

    _item(db)
    root = tmp_path / "documents"
    run = _run(db)
    nothing = record_health(db, run, [], at=AT)
    assert (nothing["status"], nothing["reason"]) == ("green", "no documents to fetch")
    a, b, c = "https://x.no/a.pdf", "https://x.no/b.pdf", "https://x.no/c.pdf"
    _record(db, root, write_pdf(spec(1)), url=a)
    row = record_health(db, run, _links(a), at=AT)
    assert (row["status"], row["reason"], row["items_new"]) == ("green", "1 document, 1 new, 0 changed", 1)
    for url in (b, c):
        dstore.record_fetch(db, {"item_id": "regjeringen:1", "url": url, "status": "failed", "error": "HTTP 404",
                                 "http_status": 404}, root=root, at=AT)
    row = record_health(db, run, _links(a, b, c), at=AT)
    assert (row["status"], row["reason"]) == ("amber", "2 of 3 documents could not be fetched (HTTP 404 ×2)")
    dstore.record_fetch(db, {"item_id": "regjeringen:1", "url": "https://x.no/d.pdf", "status": "failed",
                             "error": "not in the recording", "http_status": 404}, root=root, at=AT)
    row = record_health(db, run, _links(a, "https://x.no/d.pdf"), at=AT)
    assert (row["status"], row["reason"]) == ("amber", "1 of 2 documents not in the recording")
    row = record_health(db, run, _links(a, "https://x.no/never.pdf"), at=AT)
    assert (row["status"], row["reason"]) == ("amber", "1 of 2 documents gave no result")
    row = record_health(db, run, _links("https://x.no/never.pdf"), at=AT)
    assert (row["status"], row["reason"]) == ("red", "none of 1 documents gave a result")
    # two results the store could not keep left no row: counted as lost in storing, red, not "no result"
    row = record_health(db, run, _links(a, "https://x.no/e.pdf", "https://x.no/f.pdf"), at=AT, store_failed=2,
                        store_error="OSError: [Errno 28] No space left on device")
    assert (row["status"], row["reason"]) == (
        "red", "2 of 3 documents could not be stored: OSError: [Errno 28] No space left on device")
    row = record_health(db, run, _links(a), at=AT, error="fetching documents failed (exit -9): killed")
    assert row["status"] == "red" and row["reason"].startswith("fetching documents failed: fetching documents")
    from tracker.vocabulary import health_reason

    assert health_reason("2 of 3 documents could not be fetched (HTTP 404 ×2)", "nb") == (
        "2 av 3 dokumenter kunne ikke hentes (HTTP 404 ×2)")
    assert health_reason("7 documents, 2 new, 1 changed", "nb") == "7 dokumenter, nye: 2, endret: 1"
    assert health_reason("2 of 3 documents could not be stored: OSError: disk full", "nb") == (
        "2 av 3 dokumenter kunne ikke lagres: OSError: disk full")
    assert health_reason("no documents to fetch", "nb") == "ingen dokumenter å hente"


def test_the_documents_row_never_makes_a_failed_crawl_look_successful(db):
    """Every source red and nothing to fetch (a green documents row): still no successful crawl."""
    from tracker.attention.freshness import problems
    from tracker.attention.profiles import load_profile
    from tracker.documents.pipeline import record_health
    from tracker.store import health, merge

    run = _run(db)
    with db.conn:
        health.record(db, run, health.SourceRun(source="no_regjeringen_horinger", finish_reason="crashed"), AT)
    assert record_health(db, run, [], at=AT)["status"] == "green"
    merge.finish_run(db, run, 1)
    when = datetime(2026, 11, 24, 9, tzinfo=OSLO)
    assert problems(db, when, load_profile("ncp"), "en") == [
        "No successful crawl before this digest: its data cannot be trusted."]


def test_a_document_fetch_that_fails_as_a_whole_is_red_after_the_crawl(db, tmp_path, monkeypatch):
    """`after_crawl` (run, demo) records the documents' row in the newest run: red with the error
    when the fetcher process fails."""
    from tracker.documents import fetch, pipeline

    _item(db)
    run = _run(db)

    def killed(*args, **kwargs):
        raise RuntimeError("fetching documents failed (exit -9): ")

    monkeypatch.setattr(fetch, "fetch_in_child", killed)
    monkeypatch.setattr(pipeline, "db_file", lambda db: str(tmp_path / "test.db"))
    summary = pipeline.after_crawl(db, datetime(2026, 11, 24, 6, tzinfo=OSLO), data_dir=tmp_path)
    row = summary["health"]
    assert (row["run_id"], row["source"], row["status"]) == (run, "documents", "red")
    assert "fetching documents failed (exit -9)" in row["reason"]


def test_two_writers_saving_the_same_document_do_not_collide(tmp_path):
    """Both wrote one shared `<sha>.pdf.part` and renamed it: the second rename found it gone."""
    import hashlib

    from support import run_together

    body = os.urandom(3_000_000)
    sha = hashlib.sha256(body).hexdigest()
    _, errors = run_together(
        lambda n: dstore.save_file(tmp_path, body, "pdf", {"url": f"https://x.no/{n}.pdf"}), 6)
    assert errors == []
    assert (tmp_path / sha[:2] / f"{sha}.pdf").read_bytes() == body
    assert sorted(p.name for p in (tmp_path / sha[:2]).iterdir()) == [f"{sha}.json", f"{sha}.pdf"]  # no .part


def test_an_unreadable_provenance_file_is_kept_aside_not_fatal(tmp_path, caplog):
    body = b"%PDF-1.4 x"
    sha, path = dstore.save_file(tmp_path, body, "pdf", {"url": "https://x.no/a.pdf"})
    meta = path.with_suffix(".json")
    meta.write_text('{"sha256": "' + sha + '", "seen": [{"url": "https://x.no/a.pd', "utf-8")  # cut off
    with caplog.at_level("WARNING", logger="tracker.documents.store"):
        dstore.save_file(tmp_path, body, "pdf", {"url": "https://x.no/b.pdf"})
    assert json.loads(meta.read_text("utf-8"))["seen"] == [{"url": "https://x.no/b.pdf"}]
    (kept,) = path.parent.glob(f"{sha}.json.unreadable-*")
    assert kept.read_text("utf-8").endswith("a.pd")  # the broken copy is kept as it was
    assert "unreadable" in caplog.text


def test_provisions_match_through_the_reference_resolver():
    watch = provisions.load(ROOT / "tracker" / "defaults" / "provisions.toml")
    keys = lambda text: [p.key for p in provisions.matches(text, watch)]  # noqa: E731
    assert "apenhetsloven-4" in keys("Etter § 4 i åpenhetsloven skal virksomheten …")
    assert "apenhetsloven-4" not in keys("Etter åpenhetsloven § 5 skal virksomheten …")
    assert "csddd-art-8" in keys("Aktsomhetsdirektivet artikkel 8 pålegger …")
    assert "csddd-art-8" in keys("Direktiv (EU) 2024/1760 art. 8 …")
    assert "csddd-art-8" not in keys("Direktiv (EU) 2024/1760 artikkel 18 …")
    assert "aktsomhetsvurdering" in keys("Aktsomhetsvurderingene skal dokumenteres.")


def test_a_wrong_watch_list_is_a_clear_error(tmp_path):
    bad = tmp_path / "p.toml"
    bad.write_text('[[provision]]\nkey = "x"\nlabel = "X"\nreference = "noe tull"\n', "utf-8")
    with pytest.raises(provisions.ProvisionError, match="not a reference"):
        provisions.load(bad)
    bad.write_text('[[provision]]\nkey = "x"\nlabel = "X"\n', "utf-8")
    with pytest.raises(provisions.ProvisionError, match="exactly one of"):
        provisions.load(bad)
    bad.write_text('[[provision]]\nkey = "x"\nlabel = "X"\nlabel_en = 4\nterms = ["x"]\n', "utf-8")
    with pytest.raises(provisions.ProvisionError, match="`label_en` must be a text"):
        provisions.load(bad)


def test_a_provision_is_named_in_the_readers_language_from_the_watch_list(data_dir):
    """The English digest said «A document touches aktsomhetsvurdering (begrep)»: the watch list had
    only a Bokmål label (stored with each hit). Its `label_en` names it in English; a list without
    one, or a provision no longer in it, keeps the stored label."""
    from tracker.digest.wording import describe_change

    hit = {"kind": "provision_hit", "field": "aktsomhetsvurdering", "after": "aktsomhetsvurdering (begrep)"}
    assert describe_change(hit, "en") == "A document touches due diligence (term)"
    assert describe_change(hit, "nb") == "Et dokument i saken berører aktsomhetsvurdering (begrep)"
    assert describe_change({**hit, "field": "gone", "after": "fjernet (begrep)"}, "en") == (
        "A document touches fjernet (begrep)")
    (data_dir / "provisions.toml").write_text('[[provision]]\nkey = "aktsomhetsvurdering"\nlabel = "aktsomhet"\n'
                                              'terms = ["aktsomhet"]\n', "utf-8")
    assert describe_change(hit, "en") == "A document touches aktsomhet"
    (data_dir / "provisions.toml").write_text("not toml [", "utf-8")
    assert describe_change(hit, "en") == "A document touches aktsomhetsvurdering (begrep)"


@pytest.mark.parametrize(("body", "said"), [
    ("x = = ", "feil: {path}, linje 1: ikke gyldig TOML: Invalid value (at line 1, column 5)"),
    # a misspelt table name watched nothing at all, silently; a misspelt field was silently unused
    ('[[provisions]]\nkey = "x"\n', "feil: {path}: ukjent nøkkel 'provisions' (filen består av [[provision]]-tabeller)"),
    ('[[provision]]\nkey = "x"\nlabel = "y"\nterm = "a"\n',
     "feil: {path}: bestemmelse nr. 1: ukjent felt 'term' (gyldige: key, label, label_en, reference, act, article, "
     "names, terms)"),
    ("provision = [1]\n", "feil: {path}: filen må bestå av [[provision]]-tabeller"),
    ('[[provision]]\nkey = "x"\n', "feil: {path}: bestemmelse nr. 1 trenger `key` og `label`"),
    ('[[provision]]\nkey = "x"\nlabel = "y"\nreference = "zz"\n',
     "feil: {path}: bestemmelse nr. 1 (x): 'zz' er ikke en henvisning programmet kjenner (f.eks. 'åpenhetsloven § 4', "
     "'direktiv (EU) 2024/1760')"),
])
def test_a_watch_list_written_wrongly_is_said_in_the_readers_words(data_dir, tmp_path, body, said):
    """`documents fetch` with the data directory's provisions.toml written wrongly said it in English
    after «feil:» («provision 1: needs `key` and `label`», tomllib's bare text without «not valid
    TOML»), and took a misspelt table or field silently: each is refused, in Bokmål, exit 2,
    before anything is fetched."""
    from click.testing import CliRunner

    from tracker.cli.main import main

    watch = data_dir / "provisions.toml"
    watch.write_text(body, "utf-8")
    from tracker.store.db import open_db

    open_db(tmp_path / "t.db").close()
    result = CliRunner().invoke(main, ["--db", str(tmp_path / "t.db"), "documents", "fetch"])
    assert result.exit_code == 2, result.output
    assert result.stderr == said.format(path=watch) + "\n"


def test_the_watch_list_is_parsed_once_per_version_of_its_file(data_dir, monkeypatch):
    """A digest names a provision for every line it renders, and each name read and parsed the
    watch list again. It is parsed once per version of the file now: an unchanged list is not parsed
    twice, an edited one (even to the same size, a second later) is read again."""
    from tracker.digest.wording import describe_change

    parsed = []
    real_parse = provisions.parse
    monkeypatch.setattr(provisions, "parse", lambda data, origin="": parsed.append(origin) or real_parse(data, origin))
    watch = data_dir / "provisions.toml"
    watch.write_text('[[provision]]\nkey = "aktsomhet"\nlabel = "aktsomhet"\nlabel_en = "due care"\n'
                     'terms = ["aktsomhet"]\n', "utf-8")
    hit = {"kind": "provision_hit", "field": "aktsomhet", "after": "aktsomhet"}
    lines = [describe_change(hit, "en") for _ in range(3)]
    assert lines == ["A document touches due care"] * 3 and parsed == [str(watch)]
    watch.write_text(watch.read_text("utf-8").replace("due care", "diligence"), "utf-8")
    assert describe_change(hit, "en") == "A document touches diligence" and len(parsed) == 2
    # the same size, a second later: read again too
    watch.write_text(watch.read_text("utf-8").replace("diligence", "vigilance"), "utf-8")
    later = watch.stat().st_mtime_ns + 1_000_000_000
    os.utime(watch, ns=(later, later))
    assert describe_change(hit, "en") == "A document touches vigilance" and len(parsed) == 3
    assert describe_change(hit, "en") == "A document touches vigilance" and len(parsed) == 3


def test_user_copy_of_the_watch_list_wins(data_dir):
    (data_dir / "provisions.toml").write_text('[[provision]]\nkey = "hvitvask"\nlabel = "hvitvaskingsloven § 4"\n'
                                              'reference = "hvitvaskingsloven § 4"\n', "utf-8")
    assert [p.key for p in provisions.load()] == ["hvitvask"]


# --------------------------------------------------------------------------- reading (real tagger)


def test_read_tag_provisions_relevance_api_and_redline(db, tmp_path, tagger):
    _item(db)
    root = tmp_path / "documents"
    _record(db, root, write_pdf(spec(1)))
    assert read.read_pending(db, tagger=tagger) == {"read": 1, "scanned": 0, "unreadable": 0}
    sections = list(db.query("select * from document_sections order by seq"))
    s3 = next(s for s in sections if s["number"] == "3")
    assert s3["relevant"] and json.loads(s3["labels"]) and s3["page"] >= 1
    # per-paragraph evidence with the page
    para = next(db.query("select * from document_paragraphs where section_seq = ?", [s3["seq"]]))
    evidence = json.loads(para["evidence"])
    assert evidence and all(para["text"][e["start"]:e["end"]] == e["text"] for e in evidence)

    watch = provisions.load(ROOT / "tracker" / "defaults" / "provisions.toml")
    assert read.find_provisions(db, watch, at=AT) >= 2
    assert read.find_provisions(db, watch, at=AT) == 0  # once
    hits = {h.provision: h for h in api.provision_hits(db)}
    h = hits["apenhetsloven-4"]
    assert h.section_number == "3" and h.page == s3["page"]
    assert h.line() == f"Nytt forslag berører åpenhetsloven § 4 – høringsnotat s. {s3['page']}"
    # in English the provision's English name (it read «New proposal touches åpenhetsloven § 4»)
    assert h.line("en") == f"New proposal touches Transparency Act section 4 – høringsnotat p. {s3['page']}"
    assert api.provision_hits(db, since_event_id=max(x.event_id for x in hits.values())) == []

    # the listing said nothing (a dog-keeping regulation): the document raises the item
    assert read.raise_relevance(db) == 1
    item = db["items"].get("regjeringen:1")
    assert item["relevant"] == 1 and item["relevance"] > 0.5
    assert item["relevance_reason"].startswith("høringsnotat s. ")
    assert read.raise_relevance(db) == 0

    top = api.strongest_paragraphs(db, "regjeringen:1", limit=2)
    assert len(top) == 2 and top[0].score >= top[1].score
    assert top[0].citation().startswith("(høringsnotatet punkt ") and f"s. {top[0].page})" in top[0].citation()
    label = top[0].labels[0]
    only = api.strongest_paragraphs(db, "regjeringen:1", label=label, limit=5)
    assert only and all(label in p.labels for p in only)
    assert api.strongest_paragraphs(db, "regjeringen:1", label="gpfg") == []

    # a new version: section-level redline, tagged sections first
    _record(db, root, write_pdf(spec(2)), at="2026-11-25T05:00:00+00:00")
    read.read_pending(db, tagger=tagger)
    (change,) = redline.latest_change(db, "regjeringen:1")
    changes = redline.compare(db, change["old"], change["new"])
    kinds = {c.number: c.kind for c in changes}
    assert kinds == {"3": "changed", "5": "added"}
    assert changes[0].number == "3" and changes[0].tagged  # tagged first
    assert ("+", "for miljø. ") in changes[0].ops or any(op == "+" and "miljø" in t for op, t in changes[0].ops)
    # the moved hit follows the new version without a second event
    assert read.find_provisions(db, watch, at="2026-11-25T05:00:00+00:00") == 0

    import docx

    data = redline.to_docx("Høringsnotat: endringer", changes)
    path = tmp_path / "r.docx"
    path.write_bytes(data)
    document = docx.Document(str(path))
    xml = document.element.body.xml
    assert xml.count("<w:ins ") >= 2 and "<w:del " in xml
    assert "miljø" in "".join(t.text or "" for t in document.element.body.iter(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}t"))


def test_a_copy_we_hold_stays_in_use_when_a_later_check_fails(db, tmp_path, tagger):
    """A document we hold whose re-check failed one morning (a 403; it is re-checked whenever its
    item changes) kept its copy in the store, but everything that reads documents asked for a
    successful *last check*: the draft lost its quotes, the item lost the relevance its document
    gave it (re-tagged from a changed listing the same morning, it fell out of «trenger innspill»)
    and the item page said «kunne ikke hentes» as if there were nothing to read."""
    from tracker.documents.view import document_state

    _item(db)
    root = tmp_path / "documents"
    _record(db, root, write_pdf(spec(1)))
    read.read_pending(db, tagger=tagger)
    assert read.raise_relevance(db) == 1
    quotes = api.strongest_paragraphs(db, "regjeringen:1", limit=3)
    assert quotes
    # the next morning the listing changed (the item is tagged again from it alone) and the
    # re-check of the document is refused
    db["items"].update("regjeringen:1", {"relevance": 0.05, "relevant": 0, "labels": "[]"})
    day2 = "2026-11-25T05:00:00+00:00"
    assert dstore.record_fetch(db, {"item_id": "regjeringen:1", "url": "https://x.no/notat.pdf", "status": "failed",
                                    "title": "Høringsnotat", "type": "høringsnotat",
                                    "error": "HTTP 403 (blocked)", "http_status": 403},
                               root=root, at=day2) == "failed"
    assert api.strongest_paragraphs(db, "regjeringen:1", limit=3) == quotes
    # an adviser removed a topic the document gives: the document's relevance does not bring it back
    from tracker.workbench import triage

    given = set(json.loads(next(db.query("select labels from document_sections where relevant = 1 "
                                        "order by relevance desc limit 1"))["labels"]))
    assert given
    removed = sorted(given)[0]
    triage.mark_labels(db, "regjeringen:1", [f"-{removed}"], by="kari")
    assert read.raise_relevance(db) == 1
    assert db["items"].get("regjeringen:1")["relevant"] == 1
    assert removed not in json.loads(db["items"].get("regjeringen:1")["labels"])
    row = next(db.query("""select d.*, f.read_status, f.read_error, f.scanned_pages, f.pages from documents d
                           join document_files f on f.sha256 = d.sha256"""))
    nb, en = document_state({**row, "status": "ok"}, "nb"), document_state({**row, "status": "ok"}, "en")
    assert nb.startswith("lest, 1 side") and en.startswith("read, 1 page")
    assert (document_state(row, "nb"), document_state(row, "en")) == (
        f"{nb} – siste sjekk ons. 25.11.2026: kunne ikke hentes: HTTP 403 (blokkert); kopien fra tir. 24.11.2026 brukes",
        f"{en} – last check Wed 25 Nov 2026: could not be fetched: HTTP 403 (blocked); the copy of Tue 24 Nov 2026 "
        "is used")
    # without a copy, the failure is all there is to say
    assert document_state({**row, "sha256": None}, "nb") == "kunne ikke hentes: HTTP 403 (blokkert)"


HEARING = "regjeringen:3172250"


def _scraped(db, day, detail, *urls):
    """A crawl of hearing HEARING on `day` whose own page gave `detail` ("ok": read in
    full) and linked these documents."""
    from tracker.store import merge

    as_of = datetime(2026, 11, day, 6, tzinfo=OSLO)
    run = merge.start_run(db, as_of=as_of, mode="test", sources=["no_regjeringen_horinger"])
    merge.apply_scrape(db, run_id=run, as_of=as_of, source="no_regjeringen_horinger", items=[{
        "source": "no_regjeringen_horinger", "kind": "hearing", "native_id": "3172250",
        "url": "https://www.regjeringen.no/no/dokumenter/horing/id3172250/", "status_raw": "På høring",
        "title": "Høring – endringer i forskrift om hundehold", "deadline": "2026-12-14T23:59:59+01:00",
        "extra": {"detail": detail},
        "documents": [{"title": "Høringsnotat", "url": u, "type": "høringsnotat"} for u in urls]}])
    merge.finish_run(db, run, 0)


def test_a_document_the_page_no_longer_links_is_not_quoted(db, tmp_path, tagger):
    """The ministry replaced its høringsnotat with a corrected one at a new address. The old one
    stayed among the item's documents as if current: the draft quoted it, its sections raised the
    item's relevance and its provisions were hits. Now, once the item's page (read in full) no
    longer links it, nothing reads it but the item page, which says so; a blocked page or a feed
    changes nothing, and a document linked again is read again."""
    from tracker.documents.fetch import pending_links
    from tracker.documents.view import item_documents

    old, new = "https://x.no/notat.pdf", "https://x.no/notat-revidert.pdf"
    _scraped(db, 24, "ok", old)
    root = tmp_path / "documents"
    _record(db, root, write_pdf(spec(1)), item=HEARING, url=old)
    read.read_pending(db, tagger=tagger)
    watch = provisions.load(ROOT / "tracker" / "defaults" / "provisions.toml")
    quotes = api.strongest_paragraphs(db, HEARING, limit=3)
    assert quotes and all(q.url == old for q in quotes)

    _scraped(db, 25, "ok", new)  # the corrected one replaces it
    assert api.strongest_paragraphs(db, HEARING, limit=3) == []
    assert [link["url"] for link in pending_links(db)] == [new]
    assert read.raise_relevance(db) == 0 and not db["items"].get(HEARING)["relevant"]
    assert read.find_provisions(db, watch, at=AT) == 0
    (shown,) = item_documents(db, HEARING, lang="nb")
    assert shown["unlisted"] and shown["state"].endswith(
        "– ikke lenger lenket fra sakens side: siteres ikke i utkast")
    assert item_documents(db, HEARING, lang="en")[0]["state"].endswith(
        "– no longer linked from the item's page: not quoted in drafts")
    from tracker.web.app import create_app

    db.conn.commit()
    path = db.conn.execute("pragma database_list").fetchone()[2]
    page = create_app(path, as_of=datetime(2026, 11, 25, 7, tzinfo=OSLO), data_dir=tmp_path / "data"
                      ).test_client().get(f"/item/{HEARING}").get_data(as_text=True)
    state = page[page.index('id="documents"'):].split('<p class="doc-state warn">', 1)[1].split("</p>")[0]
    assert state.endswith("ikke lenger lenket fra sakens side: siteres ikke i utkast")
    # a change, once: the digest's «Endret» and the item's history say so
    from tracker.digest.wording import describe_change

    (removed,) = db.query("select * from events where item_id = ? and kind = 'documents_removed'", [HEARING])
    assert describe_change({"kind": removed["kind"], "after": json.loads(removed["after"])}, "nb") == (
        "Ikke lenger lenket fra sakens side (1): Høringsnotat")
    assert "<del>Høringsnotat</del>" in page

    _scraped(db, 26, "blocked 403")  # a blocked page lists nothing: nothing changes
    assert api.strongest_paragraphs(db, HEARING, limit=3) == []
    _scraped(db, 27, "ok", old, new)  # linked again
    assert api.strongest_paragraphs(db, HEARING, limit=3) == quotes
    assert not item_documents(db, HEARING)[0]["unlisted"]


def test_a_document_no_longer_linked_stops_raising_the_items_relevance(db, tmp_path, tagger):
    """A høringsnotat whose sections made a dog-keeping hearing relevant is taken off the page (the
    letter stays): the item is tagged again from what it says and what its page links now."""
    from tracker.jobs.tagging import tag_store

    notat, letter = "https://x.no/notat.pdf", "https://x.no/brev.pdf"
    _scraped(db, 24, "ok", notat, letter)
    _record(db, tmp_path / "documents", write_pdf(spec(1)), item=HEARING, url=notat)
    read.read_pending(db, tagger=tagger)
    tag_store(db, tagger=tagger)
    assert read.raise_relevance(db) == 1 and db["items"].get(HEARING)["relevant"] == 1
    _scraped(db, 25, "ok", letter)
    tag_store(db, tagger=tagger)
    assert read.raise_relevance(db) == 0
    item = db["items"].get(HEARING)
    assert item["relevant"] == 0 and not (item["relevance_reason"] or "").startswith("høringsnotat")


def test_a_redlines_change_times_are_utc(monkeypatch):
    """w:date is UTC ("Z"); the machine's local clock was written with a Z, an hour or two off on a
    machine set to Oslo time."""
    import io
    import re
    import time
    import zipfile
    from datetime import UTC

    change = redline.SectionChange(kind="changed", number="1", heading="Formål", page_before=1, page_after=1,
                                   labels=[], ops=[("=", "gammel "), ("+", "ny tekst")])

    def dates(data: bytes) -> list[bytes]:
        return re.findall(rb'w:date="([^"]+)"', zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml"))

    assert set(dates(redline.to_docx("t", [change], when=datetime(2026, 11, 25, 6, tzinfo=OSLO)))) == {
        b"2026-11-25T05:00:00Z"}
    monkeypatch.setenv("TZ", "Europe/Oslo")
    time.tzset()
    try:
        before = datetime.now(UTC).replace(microsecond=0)
        (stamp,) = set(dates(redline.to_docx("t", [change])))
        after = datetime.now(UTC)
    finally:
        monkeypatch.undo()
        time.tzset()
    assert before <= datetime.strptime(stamp.decode(), "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC) <= after


def test_a_redline_is_in_the_readers_language_and_marks_the_documents_words(tmp_path):
    """A redline .docx was python-docx's blank document: US English, author «python-docx». A
    Bokmål høringsnotat's changes were spell-checked as English in Word, every word underlined. Now
    the document is in the reader's language (the page's, the command's `--lang`) and the
    document's own words — the changed sections' headings and text — carry the document's language
    where it is another."""
    import io
    import zipfile

    from docx import Document
    from lxml import etree

    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    change = redline.SectionChange(kind="changed", number="8", heading="Identifying adverse impacts", page_before=3,
                                   page_after=4, labels=["oecd-ii"],
                                   ops=[("=", "Member States shall "), ("-", "require"), ("+", "ensure")],
                                   number_before="8", heading_before="Identifying adverse impacts")

    def read(data: bytes):
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            styles, body = z.read("word/styles.xml").decode(), etree.fromstring(z.read("word/document.xml"))
        default = re.search(r"<w:rPrDefault>.*?</w:rPrDefault>", styles, re.S).group(0)
        runs = [("".join(t.text or "" for t in r.iter(f"{w}t", f"{w}delText")),
                 r.find(f"{w}rPr/{w}lang").get(f"{w}val") if r.find(f"{w}rPr/{w}lang") is not None else "")
                for r in body.iter(f"{w}r")]
        return re.search(r'<w:lang [^>]*w:val="([^"]+)"', default).group(1), runs, Document(io.BytesIO(data)).core_properties

    default, runs, props = read(redline.to_docx("Annex: endringer", [change], lang="nb", text_lang="en"))
    assert default == "nb-NO" and props.language == "nb-NO"
    assert props.author == "ncp-tracker" and props.title == "Annex: endringer"
    marked = {text: lang for text, lang in runs if lang}
    assert marked == {"Identifying adverse impacts": "en-GB", "Member States shall ": "en-GB", "require": "en-GB",
                      "ensure": "en-GB"}
    assert (" — endret [Kap. II Generelle prinsipper]", "") in runs  # the reader's words
    # renumbered (Article 6 of the proposal is 8 in the act): the number it had; retitled: the heading
    # (it gave the heading for a renumbered article, and «(var None)» for one unnumbered before)
    moved = redline.SectionChange(**{**change.__dict__, "number_before": "6"})
    retitled = redline.SectionChange(**{**change.__dict__, "heading_before": "Identifying actual adverse impacts"})
    unnumbered = redline.SectionChange(**{**change.__dict__, "number_before": None})
    data = redline.to_docx("t", [moved, retitled, unnumbered], lang="nb", text_lang="en")
    topics = "[Kap. II Generelle prinsipper]"
    assert [p.text for p in Document(io.BytesIO(data)).paragraphs if p.style.name == "Heading 2"] == [
        f"Identifying adverse impacts — endret (var 6) {topics}",
        f"Identifying adverse impacts — endret (var Identifying actual adverse impacts) {topics}",
        f"Identifying adverse impacts — endret {topics}"]
    assert ("Identifying actual adverse impacts", "en-GB") in read(data)[1]  # the heading it had: its language
    default, runs, _ = read(redline.to_docx("Annex: changes", [change], lang="en", text_lang="en"))
    assert default == "en-GB" and not any(lang for _, lang in runs)  # all the reader's language
    default, runs, _ = read(redline.to_docx("Notat: endringer", [change], lang="nb"))  # read before: unknown
    assert default == "nb-NO" and not any(lang for _, lang in runs)
    # what LibreOffice reads: the inserted word in English in a Bokmål document
    path = tmp_path / "r.docx"
    path.write_bytes(redline.to_docx("Annex: endringer", [change], lang="nb", text_lang="en"))
    fodt = libreoffice_fodt(path, tmp_path)
    assert fodt_span_languages(fodt).get("ensure") == "en" and 'fo:language="nb"' in fodt


def test_a_scanned_document_is_flagged_not_empty(db, tmp_path, tagger):
    _item(db)
    _record(db, tmp_path / "d", write_pdf(Spec("Høringsbrev", [], scanned_page=True)))
    assert read.read_pending(db, tagger=tagger)["scanned"] == 1
    (row,) = db.query("select read_status, read_error from document_files")
    assert row["read_status"] == "scanned" and "OCR" in row["read_error"]
    from tracker.documents.view import item_documents

    (doc,) = item_documents(db, "regjeringen:1")
    assert doc["state"].startswith("skannet")


def test_a_documents_type_and_a_portal_title_are_named_where_they_are_read(db, tmp_path):
    """«Lest i dokumentene» showed the types as codes ("eu_proposal" was named, "call_for_evidence"
    not) and a Have your say publication's title as "CALL_FOR_EVIDENCE Ares(…)"."""
    from tracker.documents.view import item_documents

    _item(db, "eu_haveyoursay:1", title="Call for evidence", source="eu_haveyoursay")
    body = write_pdf(spec(1))
    for url, title, kind in (("https://x.eu/cfe.pdf", "CALL_FOR_EVIDENCE Ares(2026)8283054", "call_for_evidence"),
                             ("https://x.eu/com.pdf", "COM(2022) 71", "eu_proposal"),
                             ("https://x.eu/odd.pdf", "EVL_DRAFT Ares(2026)1", "evl_draft")):
        dstore.record_fetch(db, {"item_id": "eu_haveyoursay:1", "url": url, "title": title, "type": kind,
                                 "status": "ok", "kind": "pdf", "body": body, "content_type": "application/pdf",
                                 "etag": None, "http_status": 200}, root=tmp_path / "d", at=AT)
    shown = {d["url"]: (d["title"], d["type"]) for d in item_documents(db, "eu_haveyoursay:1")}
    assert shown == {"https://x.eu/cfe.pdf": ("Call for evidence Ares(2026)8283054", "Innspillsrunde (call for evidence)"),
                     "https://x.eu/com.pdf": ("COM(2022) 71", "Kommisjonens forslag"),
                     "https://x.eu/odd.pdf": ("EVL_DRAFT Ares(2026)1", "evl_draft")}  # not named: as it came


# --------------------------------------------------------------------------- the fetcher end to end


#: run_plan over one small recorded source, fetching the documents from its after-step thread on
#: the plan's reactor (no child process: fetch_in_child would fail); argv: db, links JSON, data dir
_IN_REACTOR = """
import json, sys, threading
from datetime import datetime
from pathlib import Path
from crawlers.dates import OSLO
from tracker.documents import fetch
from tracker.jobs.crawl import Step, bundled_days, replay_as_of, replay_days, run_plan, running_crawls

db_path, links, data_dir, replay = Path(sys.argv[1]), json.loads(sys.argv[2]), sys.argv[3], sys.argv[4]
def no_child(*args, **kwargs):
    raise AssertionError("a child process was started")
fetch.fetch_in_child = no_child
seen = {}
def after(result):
    seen["own_thread"] = threading.current_thread() is not threading.main_thread()
    crawls = running_crawls()
    fetch.fetch_in_reactor(crawls, db_path, links, as_of=datetime(2026, 11, 24, 6, tzinfo=OSLO),
                           replay_dir=replay, data_dir=data_dir)
day = replay_days(bundled_days())[0]
run_plan(db_path.with_name("crawl.db"), [Step(["no_lovdata"], replay_as_of(day), replay_dir=str(day))],
         after_step=after, progress=False)
seen["none_outside"] = running_crawls() is None
print(json.dumps(seen))
"""


@pytest.mark.parametrize("how", ["child process", "crawl plan's reactor"])
def test_fetch_from_a_replayed_day_stores_files_and_refuses_bad_answers(tmp_path, how):
    import subprocess
    import sys

    from tracker.documents.fetch import fetch_in_child, pending_links
    from tracker.store.db import open_db

    db_path = tmp_path / "t.db"
    db = open_db(db_path)
    base = "https://www.regjeringen.no/contentassets/abc"
    docs = [{"title": t, "url": f"{base}/{f}", "type": "høringsnotat"}
            for t, f in (("Høringsnotat", "horingsnotat.pdf"), ("Feil", "feil.pdf"), ("Borte", "borte.pdf"),
                         ("Ukjent", "ukjent.pdf"))]
    docs.append({"title": "Liste over høringsinstanser", "url": f"{base}/liste.pdf", "type": "høringsinstanser"})
    docs.append({"title": "Pressemelding", "url": f"{base}/pressemelding.pdf", "type": "dokument"})
    _item(db, documents=json.dumps(docs))
    links = pending_links(db)
    # a press release is not a type that is read; the list of consultees is (for its names)
    assert sorted(link["url"].rsplit("/", 1)[-1] for link in links) == [
        "borte.pdf", "feil.pdf", "horingsnotat.pdf", "liste.pdf", "ukjent.pdf"]
    db.close()
    config = tmp_path / "c.toml"
    config.write_text(f'[tracker]\ndata_dir = "{tmp_path / "data"}"\n', "utf-8")
    replay = str(FIXTURES / "documents" / "day")
    if how == "child process":
        fetch_in_child(db_path, links, as_of=datetime(2026, 11, 24, 6, tzinfo=OSLO),
                       replay_dir=replay, data_dir=tmp_path / "data", config_path=str(config))
    else:
        out = subprocess.run([sys.executable, "-c", _IN_REACTOR, str(db_path), json.dumps(links),
                              str(tmp_path / "data"), replay], capture_output=True, text=True,
                             cwd=ROOT, timeout=300, env={**os.environ, "NCP_TRACKER_CONFIG": str(config)})
        assert out.returncode == 0, out.stderr[-3000:]
        assert json.loads(out.stdout.strip().splitlines()[-1]) == {"own_thread": True,
                                                                   "none_outside": True}
    db = open_db(db_path)
    rows = {r["url"].rsplit("/", 1)[-1]: r for r in db.query("select * from documents")}
    assert rows["horingsnotat.pdf"]["status"] == "ok" and rows["horingsnotat.pdf"]["etag"] == '"v1"'
    sha = rows["horingsnotat.pdf"]["sha256"]
    stored = tmp_path / "data" / "documents" / sha[:2] / f"{sha}.pdf"
    assert stored.read_bytes() == (FIXTURES / "documents" / "day" / "documents" / "notat.pdf").read_bytes()
    assert rows["feil.pdf"]["status"] == "refused"
    assert rows["borte.pdf"]["status"] == "failed" and rows["borte.pdf"]["http_status"] == 404
    assert rows["ukjent.pdf"]["status"] == "failed"  # not recorded: the replay answers 404
    # nothing to fetch again until the item changes; the copy we have is asked for conditionally
    assert [link["url"] for link in pending_links(db)] == []
    db["items"].update("regjeringen:1", {"last_changed": "2026-11-25T05:00:00+00:00"})
    again = {link["url"].rsplit("/", 1)[-1]: link for link in pending_links(db)}
    assert again["horingsnotat.pdf"]["etag"] == '"v1"'
    db.close()


def test_cli_show_provisions_and_redline(tmp_path, tagger):
    from tracker.store.db import open_db

    db_path = tmp_path / "t.db"
    db = open_db(db_path)
    _item(db)
    _record(db, tmp_path / "d", write_pdf(spec(1)))
    _record(db, tmp_path / "d", write_pdf(spec(2)), at="2026-11-25T05:00:00+00:00")
    read.read_pending(db, tagger=tagger)
    read.find_provisions(db, provisions.load(ROOT / "tracker" / "defaults" / "provisions.toml"), at=AT)
    db.close()
    from click.testing import CliRunner

    from tracker.cli.main import main

    def cli(*args):
        return CliRunner().invoke(main, ["--db", str(db_path), "documents", *args])

    shown = cli("show", "regjeringen:1")
    assert shown.exit_code == 0, shown.output
    assert "3 Aktsomhetsvurderinger" in shown.output and "lest, " in shown.output
    hits = cli("provisions")
    assert "åpenhetsloven § 4 – høringsnotat s." in hits.output
    out = tmp_path / "r.docx"
    made = cli("redline", "regjeringen:1", "--out", str(out))
    assert made.exit_code == 0 and out.exists() and made.output == f"skrev {out}: 2 endrede avsnitt\n"
    # what the fetch did in the reader's words (it checked no link: no document is its own), then the
    # store's documents by their state as the item's page names it, on a line of their own
    fetched = cli("fetch", "--as-of", "2026-11-25")
    assert (fetched.exit_code, fetched.output) == (0, "0 lenker sjekket; dokumenter: ingen; lest 0, skannet 0, "
                                                      "uleselige 0; 0 nye treff på overvåkede bestemmelser; 1 sak "
                                                      "fikk høyere relevans\nalle dokumentene i databasen nå: 1 hentet\n")
    missing = cli("redline", "regjeringen:nope", "--out", str(tmp_path / "x.docx"))
    assert missing.exit_code == 2 and "Ukjent saks-id: 'regjeringen:nope'" in missing.output
    # a mistyped id was told "no fetched documents … (see `ncp-tracker documents fetch`)"
    unknown = cli("show", "regjeringen:2")
    assert unknown.exit_code == 2 and "Ukjent saks-id: 'regjeringen:2'" in unknown.output
    assert not Path(tmp_path / "x.docx").exists()
    nowhere = cli("redline", "regjeringen:1", "--out", str(tmp_path / "no-such-folder" / "r.docx"))
    assert nowhere.exit_code == 2 and isinstance(nowhere.exception, SystemExit)  # bad input (the folder typed), no traceback
    # what happened in the reader's words (in English the system's text as the detail)
    assert nowhere.stderr == (f"feil: kan ikke skrive {tmp_path / 'no-such-folder' / 'r.docx'}: filen eller mappen "
                              "finnes ikke\n"), nowhere.stderr


def test_a_failed_fetch_after_a_crawl_is_reported_not_raised(tmp_path, monkeypatch):
    """A live run without a contact address: the child refuses to fetch; the crawl's after-step
    goes on and says why (the items stay as they were stored)."""
    from tracker.documents.pipeline import after_crawl
    from tracker.store.db import open_db

    config = tmp_path / "c.toml"
    config.write_text(f'[tracker]\ndata_dir = "{tmp_path / "data"}"\n', "utf-8")
    monkeypatch.setenv("NCP_TRACKER_CONFIG", str(config))
    monkeypatch.delenv("NCP_TRACKER_CONTACT", raising=False)
    db = open_db(tmp_path / "t.db")
    _item(db)
    db["runs"].insert({"started": AT, "as_of": AT, "mode": "live"}, pk="id")
    summary = after_crawl(db, datetime(2026, 11, 24, 6, tzinfo=OSLO))
    assert summary["fetched_links"] == 1 and "no contact address" in summary["fetch_error"]
    assert db["items"].get("regjeringen:1")["title"].startswith("Høring")
    db.close()


def test_page_anchors_are_not_fetched(db):
    _item(db, documents=json.dumps([{"title": "Proposal", "type": "proposal",
                                     "url": "https://ec.europa.eu/x/initiatives/1#publication-5"},
                                    {"title": "Proposal", "type": "proposal", "url": "https://x.no/p.pdf"}]))
    from tracker.documents.fetch import pending_links

    assert [link["url"] for link in pending_links(db)] == ["https://x.no/p.pdf"]


@pytest.mark.parametrize(("row", "nb", "en"), [
    ({"status": "ok", "read_status": "scanned", "scanned_pages": "[1, 2]",
      "read_error": "no text layer: scanned pages 1, 2 need OCR"},
     "skannet – ingen tekst å lese (side 1, 2 er skannet og må tolkes med OCR)",
     "scanned – no text to read (scanned pages 1, 2 need OCR)"),
    ({"status": "ok", "read_status": "read", "pages": 3, "scanned_pages": "[3]",
      "read_error": "pages without text (scanned): 3"},
     "lest, 3 sider; sider uten tekst (skannet): 3", "read, 3 pages; pages without text (scanned): 3"),
    ({"status": "ok", "read_status": "unreadable", "scanned_pages": None, "read_error": "PdfReadError: EOF"},
     "kunne ikke leses: PdfReadError: EOF", "could not be read: PdfReadError: EOF"),
    # the documents spider's own fetch errors in the reader's language; HTTP statuses, sizes,
    # content types and exceptions as they are
    ({"status": "failed", "error": "not in the recording"},
     "kunne ikke hentes: mangler i opptaket", "could not be fetched: not in the recording"),
    ({"status": "failed", "error": "HTTP 403 (blocked)"},
     "kunne ikke hentes: HTTP 403 (blokkert)", "could not be fetched: HTTP 403 (blocked)"),
    ({"status": "refused", "error": "larger than the limit (52428801 > 52428800 bytes)"},
     "avvist: større enn grensen (52428801 > 52428800 byte)",
     "refused: larger than the limit (52428801 > 52428800 bytes)"),
    ({"status": "refused", "error": "not a document: served as no type, content looks like neither PDF, .docx nor HTML"},
     "avvist: ikke et dokument: levert som ingen type, innholdet ser ut som verken PDF, .docx eller HTML",
     "refused: not a document: served as no type, content looks like neither PDF, .docx nor HTML"),
    ({"status": "refused", "error": "not a document: served as text/html, content looks like pdf"},
     "avvist: ikke et dokument: levert som text/html, innholdet ser ut som pdf",
     "refused: not a document: served as text/html, content looks like pdf"),
    ({"status": "failed", "error": "not a fetchable URL: 'mailto:x@y.no'"},
     "kunne ikke hentes: ikke en adresse som kan hentes: 'mailto:x@y.no'",
     "could not be fetched: not a fetchable URL: 'mailto:x@y.no'"),
    ({"status": "failed", "error": "HTTP 404"}, "kunne ikke hentes: HTTP 404", "could not be fetched: HTTP 404"),
    ({"status": "failed", "error": "TimeoutError: User timeout caused connection failure."},
     "kunne ikke hentes: TimeoutError: User timeout caused connection failure.",
     "could not be fetched: TimeoutError: User timeout caused connection failure."),
])
def test_a_documents_state_is_said_in_the_readers_language(row, nb, en):
    """The item page said a scanned document's pages in the stored English reason on Bokmål pages
    ("skannet – ingen tekst å lese (no text layer: …)"), and the documents spider's own fetch
    errors in English ("kunne ikke hentes: not in the recording"); a read error stays verbatim."""
    from tracker.documents.view import document_state

    assert (document_state(row, "nb"), document_state(row, "en")) == (nb, en)


def test_every_fetch_error_the_documents_spider_writes_has_a_wording():
    """A reworded fetch error of crawlers/spiders/documents.py would silently stay English on a
    Bokmål page: each phrase it writes must still be in the spider and match a pattern."""
    from crawlers.spiders.documents import NOT_IN_RECORDING
    from tracker.vocabulary import DOCUMENT_ERRORS

    source = (Path(__file__).parent.parent / "crawlers" / "spiders" / "documents.py").read_text("utf-8")
    samples = {
        'error=NOT_IN_RECORDING': NOT_IN_RECORDING,
        'error=f"HTTP {response.status}" + (" (blocked)"': "HTTP 403 (blocked)",
        'error=f"larger than the limit ({len(body)} > {self.max_bytes} bytes)"': "larger than the limit (9 > 8 bytes)",
        'error=f"not a document: served as {ctype or \'no type\'}, "':
            "not a document: served as no type, content looks like neither PDF, .docx nor HTML",
        'error=f"not a fetchable URL: {link.get(\'url\')!r}"': "not a fetchable URL: 'ftp://x.no/a.pdf'",
    }
    for phrase, sample in samples.items():
        assert phrase in source, phrase
        assert any(p.fullmatch(sample) for p, _ in DOCUMENT_ERRORS), sample


def test_a_reason_from_a_document_reads_whole_in_both_languages(db, tmp_path, tagger):
    """«Hvorfor: forslag: Corporate Sustainability Due Diligence and (relevans 0,96)», and in
    English «Why: forslag: Corporate Sustainability Due Diligence and»: five words of the document
    cut off with nothing saying so, and the Bokmål word in the English line. Now «…» stands where
    the text goes on, and an EU stage document is named in the reader's language; a reason stored
    in the old wording is said as now by the next run, without re-tagging."""
    from datetime import datetime

    import tracker.digest as digest
    from crawlers.dates import OSLO

    assert read.excerpt("on Corporate Sustainability Due Diligence and amending Directive (EU) 2019/1937", 3) == (
        "… Corporate Sustainability Due Diligence and …")
    assert read.excerpt("Aktsomhetsvurderinger i leverandørkjeden.", 0) == "Aktsomhetsvurderinger i leverandørkjeden"
    assert read.document_reason("COM(2022)0071 – Legislative proposal published", "eu_proposal", None,
                                "… Corporate Sustainability Due Diligence and …", "en") == (
        "proposal: … Corporate Sustainability Due Diligence and …")
    assert read.document_reason("COM(2022)0071", "eu_proposal", 3, "x", "nb") == "forslag s. 3: x"

    _item(db)
    _record(db, tmp_path / "documents", write_pdf(spec(1)))
    read.read_pending(db, tagger=tagger)
    assert read.raise_relevance(db) == 1
    item = db["items"].get("regjeringen:1")
    nb, en = item["relevance_reason"], item["relevance_reason_en"]
    assert nb.startswith("høringsnotat s. ") and en.startswith("høringsnotat p. ") and nb.endswith(" …")
    as_of = datetime(2026, 11, 24, 7, tzinfo=OSLO)
    for lang, why in (("nb", "Hvorfor"), ("en", "Why")):
        md = digest.render_markdown(digest.build_digest(db, as_of=as_of, lang=lang))
        line = next(line for line in md.splitlines() if line.startswith(f"  - {why}: "))
        assert line.startswith(f"  - {why}: {(nb if lang == 'nb' else en)} (")

    # raised before this wording: the stored reason is said as now, the relevance left as it is
    old = nb.removesuffix(" …").removeprefix("… ")
    db["items"].update("regjeringen:1", {"relevance_reason": old, "relevance_reason_en": old.replace(" s. ", " p. ")})
    assert read.raise_relevance(db) == 0
    again = db["items"].get("regjeringen:1")
    assert (again["relevance_reason"], again["relevance_reason_en"]) == (nb, en)
    assert again["relevance"] == item["relevance"]
    # an item relevant by its own text keeps the tagger's reason
    db["items"].update("regjeringen:1", {"relevance_reason": "Åpenhetsloven nevnt", "relevance_reason_en": ""})
    assert read.raise_relevance(db) == 0
    assert db["items"].get("regjeringen:1")["relevance_reason"] == "Åpenhetsloven nevnt"


def test_cli_show_speaks_the_readers_language(tmp_path, tagger):
    """`documents show` headed its sections «number heading page labels», named the topics by code
    and said the document's type and state in Bokmål whatever the reader's language (`--lang en`,
    [digest] lang = "en"); now all of it in the reader's words, as the item's page says them."""
    from click.testing import CliRunner

    from tracker.cli.main import main
    from tracker.store.db import open_db

    db_path = tmp_path / "t.db"
    db = open_db(db_path)
    _item(db)
    _record(db, tmp_path / "d", write_pdf(spec(1)))
    read.read_pending(db, tagger=tagger)
    db.close()
    config = tmp_path / "en.toml"
    config.write_text('[digest]\nlang = "en"\n', "utf-8")

    def cli(*args, config_path=None):
        head = ["--config", str(config_path)] if config_path else []
        return CliRunner().invoke(main, [*head, "--db", str(db_path), "documents", "show", "regjeringen:1", *args])

    bokmal = cli()
    assert bokmal.exit_code == 0, bokmal.output
    lines = bokmal.output.splitlines()
    assert lines[0] == "Høringsnotat [høringsnotat] — lest, 1 side"
    assert lines[2].split() == ["Punkt", "Side", "Merker"]  # the number once, in the heading (a «Nr.» column repeated it)
    assert re.split(r"\s{2,}", lines[5]) == ["2 Gjeldende rett", "1", "Kap. II Generelle prinsipper"]
    for english in (cli("--lang", "en"), cli(config_path=config)):
        assert english.exit_code == 0, english.output
        lines = english.output.splitlines()
        assert lines[0] == "Høringsnotat [høringsnotat] — read, 1 page"
        assert lines[2].split() == ["Section", "Page", "Topics"]
        assert re.split(r"\s{2,}", lines[5]) == ["2 Gjeldende rett", "1", "Ch. II General Policies"]


def test_cli_redline_and_a_lost_fetch_speak_the_readers_language(tmp_path, tagger, monkeypatch):
    """`documents redline` of an item without a changed document said «no changed document for …»
    and `documents fetch` that could not store some documents «2 of 3 documents could not be
    stored: …», in English under a Bokmål «feil:»; now in the reader's words, as the item's page
    and the documents' health row say them."""
    from click.testing import CliRunner

    from tracker.cli.main import main
    from tracker.documents import fetch as dfetch
    from tracker.store.db import open_db

    db_path = tmp_path / "t.db"
    db = open_db(db_path)
    _item(db)
    _record(db, tmp_path / "d", write_pdf(spec(1)))  # one version: nothing changed
    read.read_pending(db, tagger=tagger)
    db.close()

    def cli(*args):
        return CliRunner().invoke(main, ["--db", str(db_path), "documents", *args])

    out = str(tmp_path / "r.docx")
    unchanged = cli("redline", "regjeringen:1", "--out", out)
    assert (unchanged.exit_code, unchanged.stderr) == (1, "feil: Ingen endrede dokumenter for regjeringen:1.\n")
    unchanged = cli("redline", "regjeringen:1", "--out", out, "--url", "https://x.no/a.pdf", "--lang", "en")
    assert (unchanged.exit_code, unchanged.stderr) == (
        1, "error: No changed document for regjeringen:1 at https://x.no/a.pdf.\n")
    assert not Path(out).exists()

    links = [{"item_id": "regjeringen:1", "url": f"https://x.no/{n}.pdf"} for n in range(3)]
    monkeypatch.setattr(dfetch, "pending_links", lambda db, item_ids=None: links)
    monkeypatch.setattr(dfetch, "fetch_in_process", lambda path, links, **kw: {
        "store_failed": 2, "store_error": "NotADirectoryError: [Errno 20] Not a directory"})
    lost = cli("fetch", "--as-of", "2026-11-25")
    assert lost.exit_code == 1
    assert lost.stderr == "feil: 2 av 3 dokumenter kunne ikke lagres: NotADirectoryError: [Errno 20] Not a directory\n"
    config = tmp_path / "en.toml"
    config.write_text('[digest]\nlang = "en"\n', "utf-8")
    lost = CliRunner().invoke(main, ["--config", str(config), "--db", str(db_path), "documents", "fetch",
                                     "--as-of", "2026-11-25"])
    assert (lost.exit_code, lost.stderr) == (
        1, "error: 2 of 3 documents could not be stored: NotADirectoryError: [Errno 20] Not a directory\n")


def test_cli_provisions_speak_the_readers_language(tmp_path, tagger):
    """`documents provisions` headed its hits «event line item section» and said them in Bokmål
    unless --lang en, whatever [digest] lang said; now headed in the reader's words, and the
    [digest] lang is its default as every command's that prints for people."""
    from click.testing import CliRunner

    from tracker.cli.main import main
    from tracker.store.db import open_db

    db_path = tmp_path / "t.db"
    db = open_db(db_path)
    _item(db)
    _record(db, tmp_path / "d", write_pdf(spec(1)))
    read.read_pending(db, tagger=tagger)
    read.find_provisions(db, provisions.load(ROOT / "tracker" / "defaults" / "provisions.toml"), at=AT)
    db.close()
    config = tmp_path / "en.toml"
    config.write_text('[digest]\nlang = "en"\n', "utf-8")

    def cli(*args):
        return CliRunner().invoke(main, [*args, "--db", str(db_path), "documents", "provisions"])

    bokmal = cli()
    assert bokmal.exit_code == 0, bokmal.output
    assert bokmal.output.splitlines()[0].split() == ["Hendelse", "Treff", "Sak", "Punkt"]
    assert "Nytt forslag berører åpenhetsloven § 4 – høringsnotat s." in bokmal.output
    english = cli("--config", str(config))
    assert english.exit_code == 0, english.output
    assert english.output.splitlines()[0].split() == ["Event", "Hit", "Item", "Section"]
    assert "touches" in english.output and "berører" not in english.output


def test_a_document_is_read_in_its_own_language(db, tmp_path, tagger):
    """An English annex under a Norwegian hearing (and a Norwegian notat under it): each file's
    language is the tagger's for most of its text (`document_files.language`), which the item page
    and the drafts mark its sections and quotes in; a short heading's guess does not decide it."""
    english = Spec("Annex – proposal for a directive", [
        ("1", "Scope", ["This Directive lays down rules on obligations for companies regarding actual and "
                        "potential adverse human rights impacts and environmental impacts."]),
        ("2", "Due diligence", ["Member States shall ensure that companies conduct risk-based human rights and "
                                "environmental due diligence in their own operations, the operations of their "
                                "subsidiaries and their chains of activities."])],
        header="Annex", footer="European Commission")
    _item(db, documents=json.dumps([{"title": "Høringsnotat", "url": "https://x.no/notat.pdf", "type": "høringsnotat"},
                                    {"title": "Annex", "url": "https://x.no/annex.pdf", "type": "vedlegg"}]))
    root = tmp_path / "documents"
    _record(db, root, write_pdf(spec(1)))
    _record(db, root, write_pdf(english), url="https://x.no/annex.pdf")
    read.read_pending(db, tagger=tagger)
    languages = {r["url"]: r["language"] for r in db.query(
        "select d.url, f.language from documents d join document_files f on f.sha256 = d.sha256")}
    assert languages == {"https://x.no/notat.pdf": "nb", "https://x.no/annex.pdf": "en"}
    assert {p.language for p in api.strongest_paragraphs(db, "regjeringen:1", limit=20)} == {"nb", "en"}
    # files an older version read (their language NULL after the migration): the next reading
    # detects it from their stored sections, as their tagging would, without tagging them again
    db.execute("update document_files set language = null")
    read_at = {r["sha256"]: r["read_at"] for r in db.query("select sha256, read_at from document_files")}
    assert read.read_pending(db, tagger=tagger) == {"read": 0, "scanned": 0, "unreadable": 0}
    assert {r["url"]: r["language"] for r in db.query(
        "select d.url, f.language from documents d join document_files f on f.sha256 = d.sha256")} == languages
    assert {r["sha256"]: r["read_at"] for r in db.query("select sha256, read_at from document_files")} == read_at
    # its next version's redline (the page's and `documents redline`'s) is in that language
    english.sections.append(("3", "Civil liability", ["Member States shall ensure that a company can be held liable "
                                                      "for damage caused to a natural or legal person."]))
    _record(db, root, write_pdf(english), url="https://x.no/annex.pdf", at="2026-11-25T05:00:00+00:00")
    read.read_pending(db, tagger=tagger)
    assert [(c["url"], c["language"]) for c in redline.latest_change(db, "regjeringen:1")] == [
        ("https://x.no/annex.pdf", "en")]
    # by the most text: a Nynorsk heading of 20 characters over 400 of Bokmål is a Bokmål document
    assert read.document_language([(20, "nn"), (400, "nb"), (0, "en")]) == "nb"
    assert read.document_language([(200, "nn"), (100, "nb"), (150, "nb")]) == "nb"  # summed per language
    assert read.document_language([(10, None), (0, "nb")]) is None  # a list file (untagged), no text
