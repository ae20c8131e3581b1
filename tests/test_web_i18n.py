"""Every web page and both kinds of draft, rendered in Bokmål and in English, say nothing a person
should not read: no Python reprs (``object at 0x``, ``<built-in``, ``None``, ``nan``), no raw codes
(label codes such as ``oecd-iv``/``apenhetsloven``, ``snake_case`` states, sources and events),
and no text of the other language outside the items' own content.

"The other language" is taken from the catalogues themselves: on an English page no Bokmål
translation (that differs from the English one) may appear, and on a Bokmål page no English
message (that differs from its Bokmål translation) — besides a short list of Bokmål words people
would notice at once. Item content (titles, summaries, bodies, names … everything stored in the
database) is removed first, and a phrase made only of words found in that content is not
counted, so a Norwegian hearing title on an English page is fine but a Norwegian button is not.
"""

from __future__ import annotations

import io
import json
import re
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from crawlers.dates import OSLO
from tests.browser.seed import COMMITTEE, EU, HEARING, HEARING_OLD, seed
from tracker import i18n
from tracker.store.db import open_db
from tracker.web.app import create_app

AS_OF = datetime(2026, 11, 24, 6, tzinfo=OSLO)

JUNK = re.compile(r"object at 0x|<built-in|\bNone\b|\bnan\b|\bNaN\b|\bTrue\b|\bFalse\b|\{\{|\{%|%\(\w+\)[sd]")
RAW_CODES = re.compile(r"(?<![\w-])(?:oecd-(?:ii|iii|iv|v|vi|vii|viii|ix|x|xi)|apenhetsloven|gpfg)(?![\w-])"
                       r"|\b[a-z]+(?:_[a-z]+)+\b")
#: Bokmål words a reader of an English page notices at once (besides the catalogue's own strings)
BOKMAL_WORDS = ("Frist", "Høring", "Høringsfrist", "Lagre", "Søk", "Innboks", "Ansvarlig", "Avsender",
                "Oppfølging", "Historikk", "Ingen", "Ukjent", "Kontaktpunktets", "Utkast", "Publisert",
                "Lenke", "Endret", "Merker", "Kilde", "Sak", "Saker", "ennå", "fra", "til", "og", "ikke")

BLOCK = {"p", "div", "li", "tr", "td", "th", "h1", "h2", "h3", "h4", "dt", "dd", "option", "br", "section",
         "ul", "ol", "table", "form", "label", "button", "summary", "footer", "header", "nav", "title",
         "select", "article", "main", "body", "thead", "tbody", "details", "a", "input", "textarea"}
ATTRS = ("title", "placeholder", "aria-label", "alt")


class _Text(HTMLParser):
    """What a person reads: text outside <script>/<style>/<code>, plus tooltip/placeholder/label
    attributes; block elements separate lines, inline ones (<mark>, <ins>) do not."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "code"):
            self.skip += 1
        if tag in BLOCK:
            self.parts.append("\n")
        for name, value in attrs:
            if name in ATTRS and value:
                self.parts.append(f"\n{value}\n")

    def handle_endtag(self, tag):
        if tag in ("script", "style", "code"):
            self.skip = max(0, self.skip - 1)
        if tag in BLOCK:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    lines = (" ".join(line.split()) for line in "".join(parser.parts).splitlines())
    return "\n".join(line for line in lines if line)


def _strings(value, out: set[str]) -> None:
    if isinstance(value, str):
        try:
            decoded = json.loads(value) if value[:1] in "[{" else None
        except ValueError:
            decoded = None
        if decoded is not None:
            _strings(decoded, out)
        out.add(" ".join(value.split()))
    elif isinstance(value, dict):
        for v in value.values():
            _strings(v, out)
    elif isinstance(value, list | tuple):
        for v in value:
            _strings(v, out)


def stored_content(db_path: str) -> tuple[list[str], set[str]]:
    """Every text stored in the database (longest first) and every word in it."""
    db = open_db(db_path, migrate=False)
    found: set[str] = set()
    for table in db.table_names():
        if table.startswith(("sqlite_", "_")) or "fts" in table:
            continue
        for row in db.execute(f"select * from [{table}]").fetchall():
            for value in row:
                _strings(value, found)
    db.close()
    from tracker.links.watchlist import load  # the EU watchlist's own (English) names and notes

    for entry in load():
        _strings([v for v in vars(entry).values() if isinstance(v, str)], found)
    values = sorted((v for v in found if len(v) >= 4), key=len, reverse=True)
    words = {w for v in found for w in re.findall(r"\w+", v)}
    return values, words


def _fragments(text: str) -> list[str]:
    """The literal pieces of a message (placeholders cut out), each at least 3 letters long."""
    pieces = re.split(r"%\(\w+\)[sd]|%%", text)
    return [p.strip(" .,:;–—()«»“”") for p in pieces if len(re.sub(r"\W", "", p)) >= 3]


def _catalogue(lang: str) -> dict:
    catalog = read_po(io.StringIO(i18n.po_text(lang)), locale=lang)
    out = {}
    for m in catalog:
        if m.id:
            key = tuple(m.id) if isinstance(m.id, list | tuple) else m.id
            out[key] = tuple(m.string) if isinstance(m.string, list | tuple) else (m.string,)
    return out


@pytest.fixture(scope="module")
def other_language() -> dict[str, set[str]]:
    """{page language: fragments that belong only to the other language}."""
    from nlp.labels import LABEL_NAMES, LABEL_NAMES_EN

    nb, en = _catalogue("nb"), _catalogue("en")
    nb_frags = {f for k in nb for s in nb[k] for f in _fragments(s)}
    en_frags = {f for k in en for s in en[k] for f in _fragments(s)}
    nb_frags |= {n for n in LABEL_NAMES.values()}
    en_frags |= {n for n in LABEL_NAMES_EN.values()}
    only_nb = {f for f in nb_frags if f not in en_frags} | set(BOKMAL_WORDS)
    only_en = {f for f in en_frags if f not in nb_frags}
    # a source whose Bokmål name is its English one with more («Norges Bank Investment Management
    # (NBIM)»): a proper name, in both
    from tracker.i18n import gettext
    from tracker.vocabulary import SOURCE_NAMES

    only_en -= {name for name in SOURCE_NAMES.values() if gettext("nb", name).startswith(name + " (")}
    return {"en": only_nb, "nb": only_en}


def find_problems(html: str, lang: str, content: tuple[list[str], set[str]], other: dict[str, set[str]]) -> list[str]:
    text = re.sub(r"https?://\S+", " ", visible_text(html))
    problems = [f"junk {m.group(0)!r} in …{text[max(0, m.start() - 40):m.end() + 40]!r}" for m in JUNK.finditer(text)]
    problems += [f"raw code {m.group(0)!r} in …{text[max(0, m.start() - 40):m.end() + 40]!r}"
                 for m in RAW_CODES.finditer(text)]
    values, words = content
    stripped = "\n".join(line for line in text.splitlines())
    for value in values:
        if value in stripped:
            stripped = stripped.replace(value, "\n")
    for fragment in other[lang]:
        for m in re.finditer(r"(?<!\w)" + re.escape(fragment) + r"(?!\w)", stripped):
            if all(w in words for w in re.findall(r"\w+", fragment)):
                continue  # only words of the items' own content
            line = stripped[max(0, m.start() - 40):m.end() + 40].replace("\n", " ¶ ")
            problems.append(f"{'Bokmål' if lang == 'en' else 'English'} {fragment!r} in …{line!r}")
            break
    return problems


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """A seeded database with triage history, a draft and an NCP answer, and one with an account."""
    folder = tmp_path_factory.mktemp("web-i18n")
    path = folder / "w.db"
    db = open_db(path)
    seed(db)
    db.close()
    app = create_app(str(path), as_of=AS_OF, data_dir=folder / "data")
    client = app.test_client()
    html = client.get(f"/item/{HEARING}").get_data(as_text=True)
    token = re.search(r'name="csrf" value="([^"]+)"', html).group(1)
    for state, owner in (("respond", ""), ("assigned", "Kari")):
        assert client.post(f"/item/{HEARING}/triage", data={"csrf": token, "state": state, "owner": owner,
                                                            "by": "kari", "note": "Svar sammen med BFD"}).status_code == 302
    draft_md = client.post(f"/item/{HEARING}/draft", data={"csrf": token, "format": "md", "by": "kari"})
    eu_md = client.post(f"/item/{EU}/draft", data={"csrf": token, "format": "md", "by": "kari"})
    assert draft_md.status_code == eu_md.status_code == 303
    committee_md = client.post(f"/item/{COMMITTEE}/draft", data={"csrf": token, "format": "md", "by": "kari"})

    accounts_path = folder / "a.db"
    db = open_db(accounts_path)
    seed(db)
    from tracker.workbench import accounts

    accounts.add_user(db, "anne", "korrekt-hest-batteri", "admin")
    db.close()
    team = create_app(str(accounts_path), as_of=AS_OF, data_dir=folder / "data-a")
    return {"path": str(path), "client": client, "token": token, "team": team,
            "drafts": {"nb": draft_md.location, "en": eu_md.location, "committee": committee_md.location},
            "content": stored_content(str(path))}


PAGES = [
    ("/", 200), (f"/item/{HEARING}", 200), (f"/item/{HEARING_OLD}", 200), (f"/item/{COMMITTEE}", 200),
    (f"/item/{EU}", 200), ("/search?q=%C3%A5penhetsloven", 200), ("/search?label=oecd-ii&status=open", 200),
    ("/search?q=%22unbalanced", 200), ("/watchlist", 200), ("/gpfg", 200), ("/gpfg?by=stage", 200),
    ("/companies", 200), ("/companies?name=Equinor", 200), ("/horizon", 200), ("/horizon?weeks=abc&all=1", 200),
    ("/health", 200), ("/account", 200), ("/item/regjeringen:999", 404), ("/nowhere", 404),
    ("/export?format=pdf", 404),
]  # fmt: skip


def _get(client, url: str, lang: str):
    return client.get(url + ("&" if "?" in url else "?") + f"lang={lang}")


@pytest.mark.parametrize("lang", ["nb", "en"])
@pytest.mark.parametrize(("url", "status"), PAGES)
def test_every_page_reads_cleanly_in_both_languages(world, other_language, url, status, lang):
    r = _get(world["client"], url, lang)
    html = r.get_data(as_text=True)
    assert r.status_code == status, html[:500]
    assert f'<html lang="{lang}">' in html
    assert find_problems(html, lang, world["content"], other_language) == []


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_error_400_login_and_accounts_pages_read_cleanly(world, other_language, lang):
    client = world["client"]
    r = client.post(f"/item/{HEARING}/triage?lang={lang}", data={"state": "respond"})  # no CSRF token
    assert r.status_code == 400
    pages = [r.get_data(as_text=True), _get(client, f"/item/{HEARING}?lang=xx", lang).get_data(as_text=True)]
    team = world["team"].test_client()
    login = team.get(f"/login?lang={lang}")
    assert login.status_code == 200
    pages.append(login.get_data(as_text=True))
    token = re.search(r'name="csrf" value="([^"]+)"', pages[-1]).group(1)
    wrong = team.post(f"/login?lang={lang}", data={"csrf": token, "name": "anne", "password": "wrong-password"})
    assert wrong.status_code == 401
    pages.append(wrong.get_data(as_text=True))
    assert team.post("/login", data={"csrf": token, "name": "anne",
                                     "password": "korrekt-hest-batteri"}).status_code == 302
    for url in ("/admin/users", "/account", "/"):
        answer = _get(team, url, lang)
        assert answer.status_code == 200
        pages.append(answer.get_data(as_text=True))
    token = re.search(r'name="csrf" value="([^"]+)"', pages[-1]).group(1)
    refused = team.post("/admin/users", data={"csrf": token, "name": "Per", "password": "kort", "role": "reader"})
    assert refused.status_code == 422  # the form again, as filled in
    page = refused.get_data(as_text=True)  # the accounts module's refusal, translated
    assert ("Passordet må ha minst 10 tegn." if lang == "nb" else "The password must have at least 10 characters.") in page
    pages.append(page)
    for html in pages:
        assert find_problems(html, lang, world["content"], other_language) == []


def test_the_language_is_chosen_per_request_and_remembered(world):
    client = world["client"].application.test_client()
    assert '<html lang="nb">' in client.get("/").get_data(as_text=True)  # Bokmål by default
    english = client.get("/?lang=en")
    assert "ncp_lang=en" in english.headers.get("Set-Cookie", "")
    page = client.get(f"/item/{HEARING}").get_data(as_text=True)  # remembered by the cookie
    assert '<html lang="en">' in page and ">Follow-up<" in page and ">Save<" in page
    assert 'id="triage-state">assigned<' in page
    page = client.get(f"/item/{HEARING}?lang=nb").get_data(as_text=True)
    assert ">Oppfølging<" in page and ">Lagre<" in page and 'id="triage-state">tildelt<' in page
    bad = client.get("/?lang=se")
    assert bad.status_code == 400 and "Ukjent språk 'se' (kjente: nb, en)." in visible_text(bad.get_data(as_text=True))


@pytest.mark.parametrize(("lang", "said"), [("nb", "Et anførselstegn er ikke lukket"), ("en", "A quote is not closed")])
def test_search_refusals_in_the_readers_language(world, lang, said):
    page = _get(world["client"], "/search?q=%22unbalanced", lang).get_data(as_text=True)
    assert said in visible_text(page) and "unbalanced quote" not in page


@pytest.mark.parametrize(("lang", "said"), [("nb", "«fra» må være en dato (ÅÅÅÅ-MM-DD), ikke '2026-02-30'."),
                                            ("en", "“from” must be a date (YYYY-MM-DD), not '2026-02-30'.")])
def test_a_bad_date_in_the_search_form_is_named_as_the_form_names_it(world, lang, said):
    """"--from must be a date YYYY-MM-DD, not '2026-02-30'" (the command line's wording) stood on
    the Bokmål search page: its pattern took a word, and "--from" is none."""
    page = _get(world["client"], "/search?q=klima&from=2026-02-30", lang).get_data(as_text=True)
    assert said in visible_text(page).replace("&#39;", "'") and "--from" not in page


@pytest.mark.parametrize(("url", "said"), [
    ("/search?status=nope", "status:nope — status er en av åpen (open), lukket (closed)"),
    ("/search?q=klima&source=nope", "source:nope — gyldige verdier er EU-tidende (Cellar; eu_cellar), EU: Si din"),
    ("/search?q=h%C3%B8ring+kind%3Ah%C3%B8rin", "kind:hørin — gyldige verdier er Høring (hearing), Komitéhøring"),
])
def test_a_filter_no_item_can_pass_is_refused_on_the_page(world, url, said):
    """/search?status=nope showed a blank page and /search?q=klima&source=nope "Ingen treff."."""
    page = _get(world["client"], url, "nb").get_data(as_text=True)
    assert said in visible_text(page) and "Ingen treff" not in page


def _refusals(module: str, error: str) -> list[str]:
    """Every message `raise <error>(...)` in tracker/workbench/<module>.py can give, its
    placeholders filled with samples of their kind (a string with a condition: both ways)."""
    import ast

    src = Path(__file__).resolve().parent.parent / "tracker" / "workbench" / f"{module}.py"

    def sample(expr: ast.AST, conversion: int) -> str:
        code = ast.unparse(expr)
        number = "MAX" in code or "MIN" in code or "len(" in code
        value = "32" if number else "label" if code.endswith(".column") else "x"
        return repr(value) if conversion == ord("r") else value

    def texts(node: ast.AST) -> list[str]:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return [node.value]
        if isinstance(node, ast.JoinedStr):
            return ["".join(v.value if isinstance(v, ast.Constant) else sample(v.value, v.conversion)
                            for v in node.values)]
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            return [a + b for a in texts(node.left) for b in texts(node.right)]
        if isinstance(node, ast.IfExp):
            return texts(node.body) + texts(node.orelse)
        return []  # str(exc): another message, checked where it is made

    out = []
    for node in ast.walk(ast.parse(src.read_text("utf-8"))):
        if (isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call)
                and getattr(node.exc.func, "id", "") == error and node.exc.args):
            out += texts(node.exc.args[0])
    return out


def test_every_search_triage_and_account_refusal_reads_in_bokmal():
    """The web translated six of the search's forty refusals: "NEAR( is not closed" and "unknown
    label 'x'; valid labels: …" stood in English on a Bokmål page. Each is now in the catalogue,
    as are the triage's and the accounts'; a new or reworded refusal without a translation fails
    here."""
    from nlp.labels import parse_label
    from tracker.vocabulary import REFUSALS, match_message

    found = (_refusals("search", "SearchError") + _refusals("triage", "TriageError")
             + _refusals("accounts", "AccountError"))
    assert sum(text.startswith(("the account", "no account", "the password")) for text in found) == 5
    with pytest.raises(ValueError) as label_error:
        parse_label("nope")
    found.append(str(label_error.value))
    assert len(found) > 45
    untranslated = [text for text in found if match_message(REFUSALS, text, "nb") is None]
    assert untranslated == []
    english = [text for text in found if match_message(REFUSALS, text, "nb") == match_message(REFUSALS, text, "en")]
    assert english == []


def test_dates_on_the_item_page_are_norwegian_and_never_sliced(world):
    page = world["client"].get(f"/item/{HEARING}?lang=nb").get_data(as_text=True)
    text = visible_text(page)
    assert "Publisert\nto. 01.10.2026" not in text  # (weekday abbreviations come from tracker.i18n)
    assert "tor. 01.10.2026" in text and "tir. 24.11.2026 kl. 06.00" in text
    assert not re.search(r"\b20\d\d-\d\d-\d\d", text)  # no ISO day anywhere a person reads
    english = visible_text(world["client"].get(f"/item/{HEARING}?lang=en").get_data(as_text=True))
    assert "Thu 1 Oct 2026" in english and not re.search(r"\b20\d\d-\d\d-\d\d", english)


@pytest.mark.parametrize("which", ["nb", "en", "committee"])
def test_drafts_read_cleanly_in_their_language(world, other_language, which):
    r = world["client"].get(world["drafts"][which])
    assert r.status_code == 200
    md = r.get_data(as_text=True)
    lang = "en" if which == "en" else "nb"
    html = "<p>" + "</p><p>".join(md.splitlines()) + "</p>"
    assert find_problems(html, lang, world["content"], other_language) == []
    assert ("Feedback period ends" in md) if lang == "en" else ("Frist og innsending" in md)


def test_the_guard_can_fail(world, other_language):
    """The checks catch what they are for: Bokmål on an English page, a repr, a raw code."""
    nb_page = world["client"].get(f"/item/{HEARING}?lang=nb").get_data(as_text=True)
    problems = find_problems(nb_page, "en", world["content"], other_language)  # a Bokmål page taken for English
    assert any("'Lagre'" in p for p in problems) and any("'Oppfølging'" in p for p in problems)
    en_page = world["client"].get(f"/item/{HEARING}?lang=en").get_data(as_text=True)
    assert any("English 'Save'" in p for p in find_problems(en_page, "nb", world["content"], other_language))
    broken = "<p>Status: None · <span>nan</span> · oecd-iv · not_relevant · <object at 0x7f></p>"
    found = " ".join(find_problems(broken, "nb", world["content"], other_language))
    for bad in ("'None'", "'nan'", "'oecd-iv'", "'not_relevant'"):
        assert bad in found


def test_every_template_string_is_a_catalogue_message():
    """No literal words in the web templates outside _()/ngettext (static check of every file)."""
    folder = Path(__file__).parent.parent / "tracker" / "web" / "templates"
    allowed = {"ncp-tracker", "CSV", "Excel", "JSON", "docx", "md", "Norsk", "English", "CELEX", "COM"}
    bad = []
    for path in sorted(folder.glob("*.html")):
        source = re.sub(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", " ", path.read_text("utf-8"), flags=re.S)
        for name, value in re.findall(r'\b(title|placeholder|aria-label|alt)="([^"]*)"', source):
            if re.search(r"[A-Za-zÆØÅæøå]{2,}", value):
                bad.append(f"{path.name}: {name}={value!r}")
        text = re.sub(r"<[^>]*>", " ", re.sub(r"<code>.*?</code>", " ", source, flags=re.S))  # commands as typed
        for word in re.findall(r"[A-Za-zÆØÅæøå][\w-]*", text):
            if word not in allowed:
                bad.append(f"{path.name}: {word!r}")
    assert bad == []


@pytest.mark.parametrize(("lang", "said"), [
    ("nb", "Ingen sak har noen gang vært tildelt ansvarlig 'nobody' (ansvarlige med saker: Kari)."),
    ("en", "No item has ever been assigned to the adviser 'nobody' (advisers with items: Kari)."),
])
def test_an_unknown_adviser_typed_into_the_inbox_address_is_refused(world, lang, said):
    """/?owner=nobody (the list offers the advisers with items; the address was edited) showed an
    empty inbox, «No open hearings need input for nobody.»: refused as the web's search refuses it."""
    page = _get(world["client"], "/?owner=nobody", lang).get_data(as_text=True)
    assert said in visible_text(page).replace("&#39;", "'") and 'id="inbox-error"' in page
    known = _get(world["client"], "/?owner=kari", lang).get_data(as_text=True)
    assert 'id="inbox-error"' not in known
