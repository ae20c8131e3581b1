"""An item's own text in another language than the page's is marked with its `lang` (WCAG 3.1.2,
language of parts): an EU item's English title, summary and quoted evidence on a Bokmål page, a
Norwegian hearing's title on an English one — in the workbench's lists and item page, and in the
digest's HTML (the mail). Before, only <html lang> was set: a screen reader read «Corporate
sustainability due diligence» with Norwegian sounds, and the browser spell-checked and hyphenated
it as Bokmål. The page's own words, and an item in the page's language, carry no mark."""

from __future__ import annotations

import email
import email.policy
from html.parser import HTMLParser

import pytest
from web_support import AS_OF, make_app

from tests.browser.seed import EU, HEARING, seed
from tracker import digest
from tracker.i18n import part_lang
from tracker.store.db import open_db

EU_TITLE = "Corporate sustainability due diligence – guidelines on stakeholder engagement"
HEARING_TITLE = "Høring - endringer i åpenhetsloven (gjennomføring av aktsomhetsdirektivet)"


@pytest.mark.parametrize(("text_lang", "page_lang", "mark"), [
    ("en", "nb", "en"), ("nn", "nb", "nn"), ("nb", "en", "nb"), ("nn", "en", "nn"),
    ("nb", "nb", ""), ("en", "en", ""),
    (None, "nb", ""), ("", "en", ""), ("de", "nb", ""),  # unknown: the page's language holds
])  # fmt: skip
def test_part_lang(text_lang, page_lang, mark):
    assert part_lang(text_lang, page_lang) == mark


class _Langs(HTMLParser):
    """Each element's text (its own and its children's) with the nearest `lang` above it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, str | None]] = []
        self.texts: list[tuple[str, str | None, str]] = []  # (tag, lang in force, text)

    def handle_starttag(self, tag, attrs):
        if tag in ("br", "input", "meta", "link", "img", "hr"):
            return
        lang = dict(attrs).get("lang")
        self.stack.append((tag, lang if lang is not None else (self.stack[-1][1] if self.stack else None)))

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        if data.strip() and self.stack:
            self.texts.append((self.stack[-1][0], self.stack[-1][1], " ".join(data.split())))


def langs_of(html: str, text: str) -> set[str | None]:
    """The language in force wherever `text` begins a run of the page's text."""
    p = _Langs()
    p.feed(html)
    found = {lang for tag, lang, data in p.texts if data.startswith(text) and tag != "title"}  # <title>: text only
    assert found, f"{text!r} not on the page"
    return found


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    path = tmp_path_factory.mktemp("parts") / "w.db"
    db = open_db(path)
    seed(db)
    # as the tagger stores it (the seed leaves the Norwegian ones without)
    db.execute("update items set language = 'nb' where language is null")
    # the hearing and the EU consultation linked by the directive they share (tracker.links)
    db["links"].insert_all([{"a": HEARING, "b": EU, "ref": "celex:32024L1760", "how": "text"},
                            {"a": EU, "b": HEARING, "ref": "celex:32024L1760", "how": "text"}])
    db.conn.commit()
    db.close()
    return make_app(path)


def page(app, url: str) -> str:
    response = app.test_client().get(url)  # a new client: no language cookie from an earlier page
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


@pytest.mark.parametrize("url", ["/", "/search?q=due+diligence", "/horizon"])
def test_an_eu_title_on_a_bokmal_page_is_marked_english(app, url):
    html = page(app, url + ("&" if "?" in url else "?") + "lang=nb")
    assert langs_of(html, EU_TITLE[:40]) == {"en"}
    if url != "/search?q=due+diligence":  # the search for English words finds no Bokmål hearing
        assert langs_of(html, HEARING_TITLE[:40]) == {"nb"}  # the page's own: <html lang="nb">


@pytest.mark.parametrize("url", ["/", "/search?q=%C3%A5penhetsloven", "/horizon"])
def test_a_bokmal_title_on_an_english_page_is_marked_bokmal(app, url):
    html = page(app, url + ("&" if "?" in url else "?") + "lang=en")
    assert langs_of(html, HEARING_TITLE[:40]) == {"nb"}
    assert '<html lang="en">' in html
    if url != "/search?q=%C3%A5penhetsloven":
        assert langs_of(html, EU_TITLE[:40]) == {"en"}  # the page's own


def test_the_item_page_marks_title_summary_and_evidence(app):
    html = page(app, f"/item/{EU}?lang=nb")
    assert langs_of(html, EU_TITLE[:40]) == {"en"}
    assert langs_of(html, "The Commission seeks feedback") == {"en"}
    assert langs_of(html, "stakeholder engagement") == {"en"}  # the evidence quoted under Topics
    assert langs_of(html, "Kilde") == {"nb"} or langs_of(html, "Id") == {"nb"}  # the page's words: not marked
    assert langs_of(html, HEARING_TITLE[:40]) == {"nb"}  # its related Norwegian hearing: the page's own
    norwegian = page(app, f"/item/{HEARING}?lang=en")
    assert langs_of(norwegian, HEARING_TITLE[:40]) == {"nb"}  # the title, and its first event in History
    assert langs_of(norwegian, "Source") == {"en"}
    assert langs_of(page(app, f"/item/{HEARING}?lang=nb"), EU_TITLE[:40]) == {"en"}  # under «Relaterte saker»


def test_gpfg_companies_and_watchlist_mark_an_item_in_another_language(tmp_path, db_path):
    """The fund's, the companies' and the watched files' lists read the item's language too (their
    queries did not select it): NBIM's English decision among Bokmål items is marked."""
    from test_cli_gpfg import _seed_and_run

    fund = tmp_path / "fund.db"
    _seed_and_run(fund)  # a hearing, NBIM's decision on Caterpillar, the Council's recommendation
    db = open_db(fund)
    db.execute("update items set language = case source when 'no_nbim' then 'en' else 'nb' end")
    db.conn.commit()
    db.close()
    app = make_app(fund)
    for url in ("/gpfg?lang=nb", "/companies?lang=nb"):
        html = page(app, url)
        assert langs_of(html, "Decision on exclusion of Caterpillar Inc.") == {"en"}, url
        assert langs_of(html, "Høring – etisk rammeverk for Statens pensjonsfond") == {"nb"}, url
    db = open_db(db_path)  # the workbench's seeded store, its EU item and its hearing on the CSDDD file
    db.execute("update items set language = 'nb' where language is null")
    db["refs"].insert_all([{"item_id": EU, "ref": "watch:csddd"}, {"item_id": HEARING, "ref": "watch:csddd"}],
                          ignore=True)
    db.conn.commit()
    db.close()
    watched = page(make_app(db_path), "/watchlist?lang=nb")
    assert langs_of(watched, EU_TITLE[:40]) == {"en"}
    assert langs_of(watched, HEARING_TITLE[:40]) == {"nb"}


def _read_document(db, item_id, n, language, heading, text, evidence):
    """A document of `item_id` as tracker/documents/read.py leaves it: read, in `language`, its
    one section and paragraph tagged oecd-ii with `evidence` (a word of `text`)."""
    import json

    sha, url = f"{n}" * 64, f"https://www.regjeringen.no/contentassets/{n}.pdf"
    start = text.index(evidence)
    db["documents"].insert({"item_id": item_id, "url": url, "title": f"Vedlegg {n}", "type": "vedlegg", "status": "ok",
                            "sha256": sha})
    db["document_files"].insert({"sha256": sha, "kind": "pdf", "read_status": "read", "pages": 4,
                                 "language": language}, pk="sha256")
    db["document_sections"].insert({"sha256": sha, "seq": 0, "number": "2", "heading": heading, "page": 3,
                                    "labels": '["oecd-ii"]', "relevant": 1})
    db["document_paragraphs"].insert({"sha256": sha, "seq": 0, "section_seq": 0, "page": 3, "text": text,
                                      "labels": '["oecd-ii"]', "score": 1.5, "evidence": json.dumps([
                                          {"label": "oecd-ii", "start": start, "end": start + len(evidence),
                                           "text": evidence}])})


def test_a_documents_sections_are_marked_in_the_documents_language(db_path):
    """The item page's «Lest i dokumentene» showed an English annex's section, paragraphs and
    evidence under a Norwegian hearing with no mark: read and spell-checked as Bokmål. Now they
    carry the document's language (`document_files.language`); a Norwegian notat's are the page's
    own on a Bokmål page and marked on an English one."""
    db = open_db(db_path)
    db.execute("update items set language = 'nb' where language is null")
    _read_document(db, HEARING, "a", "en", "Scope of the proposal",
                   "Companies shall identify adverse impacts in their value chains.", "value chains")
    _read_document(db, HEARING, "b", "nb", "Gjeldende rett",
                   "Virksomheter skal kartlegge negative konsekvenser i leverandørkjeden.", "leverandørkjeden")
    db.conn.commit()
    db.close()
    app = make_app(db_path)
    bokmal = page(app, f"/item/{HEARING}?lang=nb")
    for text in ("Scope of the proposal", "Companies shall identify", "value chains"):
        assert langs_of(bokmal, text) == {"en"}, text
    for text in ("Gjeldende rett", "Virksomheter skal kartlegge", "leverandørkjeden"):
        assert langs_of(bokmal, text) == {"nb"}, text  # the page's own
    assert langs_of(bokmal, "s. 3") == {"nb"}  # the page's words beside them: not marked
    english = page(app, f"/item/{HEARING}?lang=en")
    assert langs_of(english, "Virksomheter skal kartlegge") == {"nb"}
    assert langs_of(english, "Companies shall identify") == {"en"}
    # a document's title is the hearing page's link text («Vedlegg a»): the hearing's language
    assert langs_of(english, "Vedlegg a") == {"nb"} and langs_of(bokmal, "Vedlegg a") == {"nb"}


def test_the_digest_html_marks_an_eu_title_and_its_evidence(tmp_path):
    path = tmp_path / "w.db"
    db = open_db(path)
    seed(db)
    db.execute("update items set language = 'nb' where language is null")
    db.conn.commit()
    built = digest.build_digest(db, as_of=AS_OF, lang="nb")
    html = digest.render_html(built)
    english = digest.render_html(digest.build_digest(db, as_of=AS_OF, lang="en"))
    db.close()
    # the mail as a mail client reads it: its HTML part, every CSS rule inlined, keeps the marks
    raw = digest.render_email(built, sender="ncp@example.org", recipients=["a@example.org"]).as_bytes()
    mailed = email.message_from_bytes(raw, policy=email.policy.default).get_body(("html",)).get_content()
    assert langs_of(mailed, EU_TITLE[:40]) == {"en"}
    assert langs_of(mailed, HEARING_TITLE[:40]) == {"nb"}
    assert langs_of(html, EU_TITLE[:40]) == {"en"}
    assert langs_of(html, HEARING_TITLE[:40]) == {"nb"}
    assert langs_of(html, "stakeholder engagement") == {"en"}  # the EU item's evidence, quoted
    assert langs_of(english, HEARING_TITLE[:40]) == {"nb"}
    assert langs_of(english, EU_TITLE[:40]) == {"en"}


def test_a_watched_file_is_named_in_the_readers_words_its_eu_title_marked_english(db_path, tmp_path, monkeypatch):
    """The Bokmål watchlist page headed «Forced Labour Regulation – Regulation on prohibiting …» and
    an item's related items said «overvåket EU-sak: Omnibus I stop-the-clock»: a file named in words
    now has its Bokmål name (`name_nb`), and the EU's English title and citation beside it carry
    `lang="en"`; an abbreviation («CSDDD») reads the same in both."""
    from tracker.web.display import reference_texts

    html = page(make_app(db_path), "/watchlist?lang=nb")
    section = html.split('id="watch-forced_labour"', 1)[1].split("</section>", 1)[0]
    assert "<h2>Tvangsarbeidsforordningen" in section and "Forced Labour Regulation" not in section
    assert langs_of(section, "Regulation on prohibiting products made with forced labour") == {"en"}
    assert langs_of(section, "Regulation (EU) 2024/3015") == {"en"}  # the act's citation
    assert langs_of(html, "Tvangsarbeidsforordningen") == {"nb"}
    english = page(make_app(db_path), "/watchlist?lang=en")
    assert "<h2>Forced Labour Regulation <span" in english
    assert langs_of(english, "Regulation on prohibiting products made with forced labour") == {"en"}
    assert reference_texts({"watch:omnibus_stop_the_clock", "watch:csddd"}, "nb") == {
        "watch:omnibus_stop_the_clock": "overvåket EU-sak: Omnibus I – utsettelsesdirektivet («stop-the-clock»)",
        "watch:csddd": "overvåket EU-sak: CSDDD"}
    assert reference_texts({"watch:omnibus_stop_the_clock"}, "en") == {
        "watch:omnibus_stop_the_clock": "watched EU file: Omnibus I stop-the-clock"}
    # the horizon's dates of the watchlist: a file without a Bokmål name by its name and the EU's
    # English title, marked English (EUDR applies 30 Dec 2026); one with a Bokmål name by it
    horizon = page(make_app(db_path), "/horizon?lang=nb&weeks=104")
    assert langs_of(horizon, "EUDR: Deforestation Regulation") == {"en"}
    assert langs_of(horizon, "Tvangsarbeidsforordningen") == {"nb"}
    # a user's watchlist without the Bokmål note and EEA status: the English ones, marked English
    own = tmp_path / "watchlist.toml"
    own.write_text('[[file]]\nid = "x"\nname = "X"\ncelex = "32024L1760"\nnote = "Applies 14 Dec 2027."\n'
                   'eea = "Considered EEA-relevant."\n[[file]]\nid = "y"\nname = "Y"\nnote = "Applies soon."\n'
                   'note_nb = "Gjelder snart."\n', "utf-8")
    monkeypatch.setenv("NCP_TRACKER_WATCHLIST", str(own))
    html = page(make_app(db_path), "/watchlist?lang=nb")
    assert langs_of(html, "Applies 14 Dec 2027.") == {"en"} and langs_of(html, "Considered EEA-relevant.") == {"en"}
    assert langs_of(html, "Gjelder snart.") == {"nb"}
    assert langs_of(page(make_app(db_path), "/watchlist?lang=en"), "Applies soon.") == {"en"}
