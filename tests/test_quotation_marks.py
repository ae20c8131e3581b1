"""What is quoted is quoted in the reader's quotation marks: «…» in Bokmål, “…” in English. The
Markdown and text digests quoted their evidence “…” in Bokmål too, and the inbox its evidence
«…» on an English page; the catalogue's ``“%(word)s”`` decides (the drafts' and the feeds' way)."""

from __future__ import annotations

import re
from datetime import datetime

from web_support import AS_OF, make_app

from crawlers.dates import OSLO
from tests.browser.seed import HEARING, seed
from tracker import digest
from tracker.store.db import open_db

EVIDENCE = re.compile(r"^\s*- (?:Treff|Evidence) \([^)]*\): (.*)$|^\s+(?:Treff|Evidence) \([^)]*\): (.*)$", re.M)


def _quotes(text: str) -> list[str]:
    found = [a or b for a, b in EVIDENCE.findall(text)]
    assert found, text
    return found


def test_the_markdown_and_text_digests_quote_in_the_readers_marks(tmp_path):
    db = open_db(tmp_path / "q.db")
    seed(db)
    for lang, (first, last) in {"nb": ("«", "»"), "en": ("“", "”")}.items():
        built = digest.build_digest(db, as_of=AS_OF, lang=lang)
        for text in (digest.render_markdown(built), digest.render_text(built)):
            quotes = _quotes(text)
            assert all(q.startswith(first) and q.endswith(last) for q in quotes), (lang, quotes)
    db.close()


def test_the_inbox_quotes_its_evidence_in_the_pages_marks(db_path):
    app = make_app(db_path)
    for lang, (first, last) in {"nb": ("«", "»"), "en": ("“", "”")}.items():
        html = app.test_client().get(f"/?lang={lang}").get_data(as_text=True)
        row = next(r for r in html.split("<tr")[1:] if f"/item/{HEARING}\"" in r)
        snippet = re.search(r'<div class="snippet">(.*?)</div>', row, re.S).group(1)
        # the marks are the page's; the words inside them the item's (marked with its language where another)
        assert snippet.startswith(first + "<span") and snippet.endswith("</span>" + last), (lang, snippet)


def test_a_watched_provisions_excerpt_is_quoted_in_the_readers_marks(db, tmp_path):
    """The digest's «Berørte bestemmelser» quoted the document's words «…» in English too."""
    from docgen import write_pdf
    from support import ROOT
    from test_documents import AT, _item, _record, spec

    from nlp.tagger import default_tagger
    from tracker.documents import provisions, read

    _item(db)
    _record(db, tmp_path / "documents", write_pdf(spec(1)))
    read.read_pending(db, tagger=default_tagger())
    db["runs"].insert({"started": AT, "finished": AT, "as_of": AT, "mode": "test", "sources": "[]", "exit_code": 0})
    assert read.find_provisions(db, provisions.load(ROOT / "tracker" / "defaults" / "provisions.toml"), at=AT) >= 1
    for lang, (first, last) in {"nb": ("«", "»"), "en": ("“", "”")}.items():
        text = digest.render_markdown(digest.build_digest(db, as_of=datetime(2026, 11, 24, 7, tzinfo=OSLO), lang=lang))
        section = text.split("## " + ("Berørte bestemmelser" if lang == "nb" else "Watched provisions"), 1)[1]
        quoted = re.findall(r"^  - ([«“].*)$", section.split("\n## ", 1)[0], re.M)
        assert quoted and all(q.startswith(first) and q.endswith(last) for q in quoted), (lang, quoted)
