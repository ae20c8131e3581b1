"""Hostile strings in every field: stored exactly as scraped, escaped in every output.

The store keeps what the scrape gave, byte for byte (crawling's CleanItemPipeline is what turns
control characters such as NUL into spaces before storing; here items go straight into
`store.apply_scrape`, so the store itself is checked). Every output — the digest as Markdown,
HTML, text, e-mail, Atom and iCalendar, and the workbench pages — must show them as text:
no markup, no script, no javascript: link, no header or calendar-line injection, well-formed XML.
"""

from __future__ import annotations

import email
import email.policy
import json
import re
import xml.etree.ElementTree as ET
from datetime import datetime

import icalendar
import lxml.html
import pytest
from support import put_evidence

from crawlers.dates import OSLO
from tracker.digest import build as digest
from tracker.store import merge as store

AS_OF = datetime(2026, 11, 24, 6, 0, tzinfo=OSLO)
SCRIPT = '<script>alert("x")</script><img src=x onerror=alert(1)>'
MD = "[click](javascript:alert(1)) **bold** `code` | cell |"
RTL = "\u202eevil\u202c مشاورة عامة עברית \u2067isolate\u2069"
NUL = "nul\x00byte\x07bell"
CRLF = "line\r\nBcc: victim@example.org\r\n\r\nBEGIN:VEVENT\nSUMMARY:injected\nEND:VEVENT"
HEADING = "x\n# Injected heading\n<!-- comment -->"
HUGE = "Å" * 100_000

HOSTILE = {
    "t1": {"title": f"Høring {SCRIPT}", "summary": MD, "owner": RTL, "body": NUL, "url": "https://example.org/a?x=<b>&y=\"q\""},
    "t2": {"title": f"Høring {CRLF}", "summary": HEADING, "owner": SCRIPT, "body": CRLF, "url": "javascript:alert(document.cookie)"},
    "t3": {"title": f"Høring {HUGE}", "summary": HUGE, "owner": MD, "body": HUGE * 3, "url": "https://example.org/huge"},
    "t4": {"title": f"Høring {RTL} {NUL}", "summary": SCRIPT, "owner": HEADING, "body": RTL, "url": "https://example.org/rtl"},
}  # fmt: skip


@pytest.fixture
def hostile_db(db):
    run_id = store.start_run(db, as_of=AS_OF, mode="test", sources=["no_regjeringen_horinger"])
    items = [{"source": "no_regjeringen_horinger", "kind": "hearing", "native_id": f"31000{n}",
              "deadline": "2026-12-18T23:59:59+01:00", "status_raw": "På høring",
              "published": "2026-11-23T09:00:00+01:00", "reference": SCRIPT, "channel": "rss",
              "documents": [{"title": SCRIPT, "url": "javascript:alert(2)", "type": "høringsnotat"}],
              **fields} for n, fields in enumerate(HOSTILE.values())]
    result = store.apply_scrape(db, run_id=run_id, as_of=AS_OF, source="no_regjeringen_horinger", items=items)
    assert result.new == 4
    with db.conn:  # tagged and relevant, so they appear in every section, evidence included
        db.execute("update items set labels = ?, relevance = 0.9, relevant = 1", [json.dumps(["oecd-iv"])])
        for row in db.query("select id, title from items"):
            put_evidence(db, row["id"], "oecd-iv", 2.0, [{"field": "title", "start": 0, "end": 6,
                                                          "text": row["title"][:6]}])
    store.finish_run(db, run_id, 0)
    return db


def test_hostile_strings_are_stored_intact(hostile_db):
    rows = {r["native_id"]: r for r in hostile_db.query("select * from items")}
    for n, fields in enumerate(HOSTILE.values()):
        row = rows[f"31000{n}"]
        for key, value in fields.items():
            assert row[key] == value, key
        assert row["reference"] == SCRIPT
    assert len(rows["310002"]["body"]) == 300_000


def _all_formats(db) -> dict[str, bytes]:
    return {fmt: digest.render(db, fmt, as_of=AS_OF, profile="ncp", sender="ncp@example.org",
                               recipients=["a@example.org"]) for fmt in digest.FORMATS}


def test_every_digest_format_escapes_hostile_strings(hostile_db):
    out = _all_formats(hostile_db)
    for fmt, data in out.items():
        text = data.decode("utf-8", errors="replace")
        assert "\x00" not in text and "\x07" not in text, fmt
        assert "\u202e" not in text and "\u2067" not in text, fmt  # bidi overrides removed
        if fmt == "md":  # CommonMark: markup characters are backslash-escaped
            assert not re.search(r"(?<!\\)<(script|img)", text), fmt
        elif fmt in ("html", "atom"):  # markup formats (txt and ics are plain text; eml's HTML: below)
            assert "<script>" not in text and "<img src=x" not in text, fmt
        assert len(text) < 2_000_000, fmt  # 100 kB strings are cut, not repeated everywhere
    assert "Høring" in out["md"].decode() and "مشاورة عامة" in out["html"].decode()

    md = out["md"].decode()
    assert not re.search(r"(?<!\\)\]\(<?javascript:", md)  # escaped brackets: text, not a link
    assert not any(line.startswith("# Injected") for line in md.splitlines())
    assert not any(line.startswith("Bcc:") for line in md.splitlines())

    doc = lxml.html.fromstring(out["html"])
    assert doc.xpath("//script") == [] and doc.xpath("//img[@onerror]") == [] and doc.xpath("//*[@onerror]") == []
    assert all(not h.strip().lower().startswith("javascript:") for h in doc.xpath("//a/@href"))
    assert any(SCRIPT[:20] in t for t in doc.xpath("//text()"))  # shown as text

    feed = ET.fromstring(out["atom"])  # well-formed despite NUL, CR and markup in the data
    titles = [e.text or "" for e in feed.iter("{http://www.w3.org/2005/Atom}title")]
    assert any("<script>" in t for t in titles)  # the title is text, escaped by the XML writer
    hrefs = [e.get("href", "") for e in feed.iter("{http://www.w3.org/2005/Atom}link")]
    assert hrefs and all(h.startswith(("http://", "https://", "urn:")) for h in hrefs), hrefs

    cal = icalendar.Calendar.from_ical(out["ics"])
    events = [c for c in cal.walk() if c.name == "VEVENT"]
    assert events and not any(str(e.get("SUMMARY", "")).strip() == "injected" for e in events)
    assert all("\n" not in str(e.get("SUMMARY", "")) for e in events)

    message = email.message_from_bytes(out["eml"], policy=email.policy.default)
    assert message["Bcc"] is None
    assert "\n" not in str(message["Subject"])
    html_part = message.get_body(("html",))
    assert html_part is not None and "<script>" not in html_part.get_content()


def test_the_workbench_pages_escape_hostile_strings(hostile_db, tmp_path):
    from tracker.web.app import create_app

    app = create_app(str(tmp_path / "test.db"), as_of=AS_OF, data_dir=tmp_path / "data")
    client = app.test_client()
    for row in hostile_db.query("select id from items"):
        page = client.get(f"/item/{row['id']}")
        assert page.status_code == 200
        doc = lxml.html.fromstring(page.data)
        assert doc.xpath("//script[contains(., 'alert')]") == [] and doc.xpath("//*[@onerror]") == []
        assert all(not h.strip().lower().startswith("javascript:") for h in doc.xpath("//a/@href"))
    listing = client.get("/")
    assert listing.status_code == 200 and b"<script>alert" not in listing.data
    found = client.get("/search", query_string={"q": "Høring"})
    assert found.status_code == 200 and b"<script>alert" not in found.data
