"""Message catalogues: complete in Bokmål and English, placeholders intact, read at run time."""

from __future__ import annotations

import io
import re

import pytest
from babel.messages.pofile import read_po

from tracker import i18n
from tracker.i18n_extract import extract
from tracker.vocabulary import KIND_NAMES, SOURCE_NAMES, STATUS_NAMES, TRIAGE_NAMES

PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def _catalog(lang):
    return read_po(io.StringIO(i18n.po_text(lang)), locale=lang)


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_every_message_in_use_is_translated(lang):
    catalog = _catalog(lang)
    missing = []
    for key, where in extract().items():
        message = catalog.get(key if isinstance(key, str) else key[0])
        strings = () if message is None else (message.string if isinstance(message.string, tuple) else (message.string,))
        if message is None or not all(strings) or message.fuzzy:
            missing.append(f"{key!r} ({', '.join(where[:2])})")
    assert missing == [], f"untranslated in {lang}:\n" + "\n".join(missing)


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_placeholders_survive_translation(lang):
    for message in _catalog(lang):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = set(PLACEHOLDER.findall(ids[-1])) | set(PLACEHOLDER.findall(ids[0]))
        for string in strings:
            assert set(PLACEHOLDER.findall(string)) <= wanted, (message.id, string)
            assert set(PLACEHOLDER.findall(string)) >= set(PLACEHOLDER.findall(ids[0])) - {"num"}, (message.id, string)


def test_lookups_and_plurals():
    assert i18n.gettext("nb", "Needs input") == "Trenger innspill"
    assert i18n.gettext("en", "Needs input") == "Needs input"
    assert i18n.ngettext("nb", "%(num)d working day left", "%(num)d working days left", 1) == "1 virkedag igjen"
    assert i18n.ngettext("nb", "%(num)d working day left", "%(num)d working days left", 4) == "4 virkedager igjen"
    assert i18n.gettext("nb", "Deadline: %(when)s", when="i dag") == "Frist: i dag"
    with pytest.raises(ValueError, match="unknown language 'se'"):
        i18n.gettext("se", "Needs input")


def test_jinja_gets_the_catalogue_and_norwegian_dates():
    from jinja2 import Environment

    env = Environment(extensions=["jinja2.ext.i18n"])
    i18n.install_jinja(env, "nb")
    out = env.from_string('{{ _("Needs input") }} · {{ d|date }} · {{ d|longdate }} · {{ t|datetime }}').render(
        d="2026-12-11", t="2026-12-11T12:00:00+01:00")
    assert out == "Trenger innspill · fre. 11.12.2026 · fredag 11. desember 2026 · fre. 11.12.2026 kl. 12.00"


@pytest.mark.parametrize("table", [SOURCE_NAMES, KIND_NAMES, STATUS_NAMES, TRIAGE_NAMES])
def test_every_code_has_a_bokmal_name(table):
    from tracker import vocabulary

    for code, msgid in table.items():
        assert vocabulary._name(table, code, "nb") == i18n.gettext("nb", msgid)
        assert vocabulary._name(table, code, "en") == msgid


def test_every_label_has_names_and_any_spelling_parses():
    from nlp.labels import LABEL_NAMES, parse_label
    from tracker.vocabulary import label_name

    assert len(LABEL_NAMES) == 12
    assert label_name("oecd-iv", "nb") == "Kap. IV Menneskerettigheter"
    assert label_name("oecd-iv", "en").startswith("Ch. IV Human")
    for text, code in [("åpenhetsloven", "apenhetsloven"), ("Åpenhetsloven", "apenhetsloven"),
                       ("aapenhetsloven", "apenhetsloven"), ("Kap. IV", "oecd-iv"), ("kap iv", "oecd-iv"),
                       ("IV", "oecd-iv"), ("oecd-iv", "oecd-iv"), ("gpfg", "gpfg"), ("SPU", "gpfg"),
                       ("oljefondet", "gpfg"), ("Kap. XI Beskatning", "oecd-xi")]:
        assert parse_label(text) == code, text
    with pytest.raises(ValueError, match=r"unknown label 'kap xii'.*oecd-ii \(Kap. II Generelle prinsipper\)"):
        parse_label("kap xii")


def test_the_catalogues_are_package_data():
    """A wheel carries the .po files (read at run time, nothing to compile)."""
    import tomllib
    from pathlib import Path

    data = tomllib.loads((Path(__file__).parent.parent / "pyproject.toml").read_text("utf-8"))
    assert "*.po" in data["tool"]["setuptools"]["package-data"]["*"]


def test_no_message_is_hidden_in_an_f_string():
    """Babel cannot extract a message from inside an f-string: it would never be translated."""
    from pathlib import Path

    root = Path(__file__).parent.parent / "tracker"
    bad = []
    pattern = re.compile(r"""f(["']).*\{(?:\w+\.)?_(?:\.n|\.p)?\(""")
    for path in [*root.joinpath("digest").rglob("*.py"), *root.joinpath("web").rglob("*.py"),
                 root / "workbench" / "drafts.py",
                 root / "vocabulary.py", root / "attention" / "urgency.py"]:
        for lineno, line in enumerate(path.read_text("utf-8").splitlines(), 1):
            if pattern.search(line):
                bad.append(f"{path.name}:{lineno}: {line.strip()}")
    assert bad == []


def test_the_extractor_removes_messages_no_longer_used(tmp_path, capsys):
    """`python -m tracker.i18n_extract` only ever added: a msgid the code stopped using stayed in both
    catalogues for good (and read as if it still mattered). Now it is removed, as msgmerge does; what
    is used keeps its translation, a new message is added, and it says what it removed."""
    from tracker import i18n_extract

    root = tmp_path / "tracker"
    (root / "cli").mkdir(parents=True)
    (root / "cli" / "x.py").write_text(
        'from tracker.i18n import gettext, ngettext\n'
        'def f(lang, n):\n'
        '    return gettext(lang, "Kept"), ngettext(lang, "%(num)s kept thing", "%(num)s kept things", n), '
        'gettext(lang, "New")\n', "utf-8")
    (root / "web" / "templates").mkdir(parents=True)
    (root / "web" / "templates" / "page.html").write_text('<p>{{ _("In a template") }}</p>\n', "utf-8")
    head = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n' \
           '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n'
    po = {lang: i18n_extract.po_path(lang, root) for lang in ("nb", "en")}
    for lang, (kept, gone, things, template) in {"nb": ("Beholdt", "Borte", "ting", "I en mal"),
                                                 "en": ("Kept", "Gone", "thing", "In a template")}.items():
        po[lang].parent.mkdir(parents=True)
        po[lang].write_text(
            head + f'msgid "Kept"\nmsgstr "{kept}"\n\nmsgid "Gone"\nmsgstr "{gone}"\n\n'
            f'msgid "%(num)s kept thing"\nmsgid_plural "%(num)s kept things"\nmsgstr[0] "%(num)s {things}"\n'
            f'msgstr[1] "%(num)s {things}s"\n\n'
            f'msgid "%(num)s gone thing"\nmsgid_plural "%(num)s gone things"\nmsgstr[0] "x"\nmsgstr[1] "y"\n\n'
            f'msgid "In a template"\nmsgstr "{template}"\n', "utf-8")
    i18n_extract.main(root)
    said = capsys.readouterr().out.splitlines()
    assert said == ["nb: removed (no longer used): 'Gone'",
                    "nb: removed (no longer used): ('%(num)s gone thing', '%(num)s gone things')",
                    "nb: untranslated: 'New'",
                    "en: removed (no longer used): 'Gone'",
                    "en: removed (no longer used): ('%(num)s gone thing', '%(num)s gone things')"], said
    nb = po["nb"].read_text("utf-8")
    assert "Gone" not in nb and "Borte" not in nb and "gone thing" not in nb and "#~" not in nb
    assert 'msgid "Kept"\nmsgstr "Beholdt"' in nb and 'msgstr[0] "%(num)s ting"' in nb
    assert 'msgid "In a template"\nmsgstr "I en mal"' in nb and 'msgid "New"\nmsgstr ""' in nb
    en = po["en"].read_text("utf-8")
    assert "Gone" not in en and 'msgid "New"\nmsgstr "New"' in en
    i18n_extract.main(root)  # run again: nothing more to remove
    assert capsys.readouterr().out.splitlines() == ["nb: untranslated: 'New'"]


def test_the_extractor_reads_the_web_and_the_drafts():
    """The catalogue test above only guards what `extract` finds: it must read every template of
    the web, the web's Python code, the drafts and the vocabulary."""
    from pathlib import Path

    places = {where.split(":")[0] for wheres in extract().values() for where in wheres}
    templates = Path(__file__).parent.parent / "tracker" / "web" / "templates"
    for path in sorted(templates.glob("*.html")):
        assert f"tracker/web/templates/{path.name}" in places, path.name
    for module in ("tracker/web/app.py", "tracker/web/documents.py", "tracker/web/horizon.py",
                   "tracker/workbench/drafts.py", "tracker/vocabulary.py"):
        assert module in places, module
    messages = extract()
    assert "Save" in messages and "Consultation response" in messages  # a button, a draft's subject
    assert "The feedback period ended on %(deadline)s. Check with %(owner)s whether feedback is still accepted before sending." in messages


def _norwegian_literals(source: str, allowed_names: set[str]) -> list[tuple[int, str]]:
    """(line, text) of every string constant with Norwegian letters outside a catalogue call
    (_(), N_(), gettext(), ngettext(), n_(), .fmt()), a docstring or an assignment to an allowed name."""
    import ast

    tree = ast.parse(source)
    inside: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
            if name in ("_", "N_", "gettext", "ngettext", "n_", "fmt"):
                inside |= {id(n) for n in ast.walk(node)}
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(t, ast.Name) and t.id in allowed_names for t in targets):
                inside |= {id(n) for n in ast.walk(node)}
        if isinstance(node, ast.FunctionDef | ast.ClassDef | ast.Module) and ast.get_docstring(node):
            inside.add(id(node.body[0].value))
    return [(node.lineno, node.value) for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in inside
            and re.search(r"[æøåÆØÅ]", node.value)]


def test_no_norwegian_literal_outside_the_catalogue():
    """In the web's Python code and the drafts, a string with Norwegian letters is a catalogue
    message, a docstring, or one of the few named non-messages (the NCP's name on the
    letterhead, the words parsing needs)."""
    from pathlib import Path

    root = Path(__file__).parent.parent / "tracker"
    allowed = {"NCP_NAME_NB", "ABBREVIATIONS", "_STOP_WORDS", "_HEARING_PREFIX", "COMMON_TITLE_WORDS"}
    bad = []
    for path in [*sorted(root.joinpath("web").glob("*.py")), root / "workbench" / "drafts.py"]:
        bad += [f"{path.name}:{line}: {text[:60]!r}" for line, text in _norwegian_literals(path.read_text("utf-8"), allowed)]
    assert bad == []
    # and the check sees one
    sample = 'def f():\n    """Docstring på norsk."""\n    abort(404, "Ukjent sak")\n    return _("Søk") + "Lagret: ø"\n'
    assert _norwegian_literals(sample, allowed) == [(4, "Lagret: ø")]


@pytest.mark.parametrize(("reason", "nb", "en"), [
    ("feed answered HTTP 404", "nyhetsstrømmen svarte HTTP 404", "feed answered HTTP 404"),
    ("zero items (no items; 3 responses)", "ingen saker (ingen oppføringer; 3 svar)", "zero items (no items; 3 responses)"),
    ("https://www.nbim.no/en/rss failed (DNSLookupError: no such host)",
     "https://www.nbim.no/en/rss feilet (DNSLookupError: no such host)",
     "https://www.nbim.no/en/rss failed (DNSLookupError: no such host)"),
    ("12 items, 1 new, 0 changed", "12 saker, nye: 1, endret: 0", "12 items, 1 new, 0 changed"),
    # one of a kind is singular in both languages ("1 nye", "1 items" were not)
    ("1 item, 1 new, 0 changed", "1 sak, nye: 1, endret: 0", "1 item, 1 new, 0 changed"),
    ("1 detail page blocked (403/challenge)", "1 detaljside blokkert (403/utfordring)",
     "1 detail page blocked (403/challenge)"),
    ("3 detail pages blocked (403/challenge)", "3 detaljsider blokkert (403/utfordring)",
     "3 detail pages blocked (403/challenge)"),
    ("1 request not in the recording", "1 forespørsel mangler i opptaket", "1 request not in the recording"),
    # a day a note names, as the rest of the product writes days (it said «fristen 2026-10-20» in Bokmål)
    ("hearing 3167072: deadline 2026-10-20 taken from the listing instead",
     "høring 3167072: fristen tir. 20.10.2026 er hentet fra høringslisten i stedet",
     "hearing 3167072: deadline Tue 20 Oct 2026 taken from the listing instead"),
    ("hearing 3167072: deadline 2026-10-20 on the detail page, 2026-10-21 in the listing",
     "høring 3167072: frist tir. 20.10.2026 på detaljsiden, ons. 21.10.2026 i listen",
     "hearing 3167072: deadline Tue 20 Oct 2026 on the detail page, Wed 21 Oct 2026 in the listing"),
    ("zero items (1 spider error; 3 responses)", "ingen saker (1 feil under innhenting; 3 svar)",
     "zero items (1 spider error; 3 responses)"),
    ("no items; last download error: TimeoutError", "ingen saker; siste nedlastingsfeil: TimeoutError",
     "no items; last download error: TimeoutError"),
    # a download's failure as crawlers/middlewares.py records it (Twisted's English) said for the
    # reader: «DNS lookup failed: no results for hostname lookup: lovdata.no.» on a Bokmål page
    ("no items; last download error: CannotResolveHostError: DNS lookup failed: no results for hostname lookup: "
     "lovdata.no.",
     "ingen saker; siste nedlastingsfeil: fant ikke adressen til lovdata.no (CannotResolveHostError: er maskinen "
     "koblet til nettet?)",
     "no items; last download error: the address of lovdata.no was not found (CannotResolveHostError: is the "
     "machine on the network?)"),
    ("no items; last download error: TimeoutError: User timeout caused connection failure: Getting "
     "https://lovdata.no/feed took longer than 180.0 seconds..",
     "ingen saker; siste nedlastingsfeil: fikk ikke svar i tide (TimeoutError)",
     "no items; last download error: no answer in time (TimeoutError)"),
    ("no items; last download error: ConnectionRefusedError: Connection was refused by other side: 111: "
     "Connection refused.",
     "ingen saker; siste nedlastingsfeil: forbindelsen ble avvist (ConnectionRefusedError)",
     "no items; last download error: the connection was refused (ConnectionRefusedError)"),
    ("no items; last download error: ResponseNeverReceived: [<twisted.python.failure.Failure "
     "twisted.internet.error.ConnectionLost: Connection to the other side was lost in a non-clean fashion.>]",
     "ingen saker; siste nedlastingsfeil: forbindelsen ble brutt før svaret kom (ResponseNeverReceived)",
     "no items; last download error: the connection broke off before an answer (ResponseNeverReceived)"),
    ("storing failed: database is locked", "lagring feilet: database is locked", "storing failed: database is locked"),
    ("some detail pages failed (HTTP 500); 2 parse errors", "noen detaljsider feilet (HTTP 500); 2 tolkningsfeil",
     "some detail pages failed (HTTP 500); 2 parse errors"),
    ("blocked by robots.txt (not fetched): https://x.no/a", "blokkert av robots.txt (ikke hentet): https://x.no/a",
     "blocked by robots.txt (not fetched): https://x.no/a"),
    ("a note of a shape nobody knows (x)", "a note of a shape nobody knows (x)",
     "a note of a shape nobody knows (x)"),  # a note of another shape: as the spider wrote it
    # the two main sources' fallbacks failing too (red), with the reason inside translated as well
    ("fallback failed too: eksport/saker failed (TimeoutError)",
     "reserveløsningen feilet også: eksport/saker feilet (TimeoutError)",
     "the fallback failed too: eksport/saker failed (TimeoutError)"),
    ("the hearings listing (fallback) gave no answer (https://x.no/h failed (TimeoutError: 30 s))",
     "høringslisten (reserveløsningen) svarte ikke (https://x.no/h feilet (TimeoutError: 30 s))",
     "the hearings listing (fallback) gave no answer (https://x.no/h failed (TimeoutError: 30 s))"),
    ("3 of 9 documents could not be fetched (HTTP 503 ×3)", "3 av 9 dokumenter kunne ikke hentes (HTTP 503 ×3)",
     "3 of 9 documents could not be fetched (HTTP 503 ×3)"),
    # a subject with a name in it ("Lovtidend feed feilet" on a Bokmål page)
    ("Lovtidend feed failed (CannotResolveHostError)", "Lovtidend-strømmen feilet (CannotResolveHostError)",
     "Lovtidend feed failed (CannotResolveHostError)"),
    # eu_cellar's notes (the demo's second day has one)
    ("SPARQL for 32024R1781 (espr): timed out (HTTP 500); OJ RSS used as fallback",
     "SPARQL-spørringen for 32024R1781 (espr): tidsavbrudd (HTTP 500); EU-tidendes RSS brukt i stedet",
     "SPARQL query for 32024R1781 (espr): timed out (HTTP 500); the Official Journal's RSS used instead"),
    ("SPARQL for 32024L1760 (csddd) failed (ConnectionLost); OJ RSS used as fallback",
     "SPARQL-spørringen for 32024L1760 (csddd) feilet (ConnectionLost); EU-tidendes RSS brukt i stedet",
     "SPARQL query for 32024L1760 (csddd) failed (ConnectionLost); the Official Journal's RSS used instead"),
    # a note of another shape before a known one: each part for itself (the pair was read as one
    # «… answered HTTP 500» whose subject swallowed the first note: «x; front page svarte HTTP 500»)
    ("a note nobody knows (x); front page answered HTTP 500", "a note nobody knows (x); forsiden svarte HTTP 500",
     "a note nobody knows (x); front page answered HTTP 500"),
    ("a note nobody knows; some detail pages failed (TimeoutError)",
     "a note nobody knows; noen detaljsider feilet (TimeoutError)",
     "a note nobody knows; some detail pages failed (TimeoutError)"),
])  # fmt: skip
def test_spider_health_notes_in_the_readers_language(reason, nb, en):
    from tracker.vocabulary import health_reason

    assert health_reason(reason, "nb") == nb
    assert health_reason(reason, "en") == en


def test_the_common_spider_note_shapes_are_known():
    """The shapes `health_reason` translates are the ones crawlers/spiders/base.py writes: each
    phrase the base class uses must still match one (a reworded note would silently stay English)."""
    from pathlib import Path

    from tracker.vocabulary import HEALTH_REASONS

    crawlers = Path(__file__).parent.parent / "crawlers"  # base.py and the wordings it shares (notes.py)
    source = (crawlers / "spiders" / "base.py").read_text("utf-8") + (crawlers / "notes.py").read_text("utf-8")
    samples = {
        "answered HTTP {response.status}": "feed answered HTTP 503",
        "unreadable ({type(problem).__name__})": "feed unreadable (SAXParseException)",
        "pages undecodable in {declared} (declared), not read: {response.url}":
            "pages undecodable in utf-8 (declared), not read: https://a.no/rss",
        "has no items": "feed has no items",
        "not well-formed, parsed leniently": "feed not well-formed, parsed leniently",
        "blocked by robots.txt (not fetched): {failure.request.url}": "blocked by robots.txt (not fetched): https://a.no/",
        "failed ({failure.type.__name__}: {failure.value})": "https://a.no/ failed (TimeoutError: 30 s)",
        "blocked (HTTP 403/429/challenge): fields kept from the listing and earlier runs":
            "detail pages blocked (HTTP 403/429/challenge): fields kept from the listing and earlier runs",
        "failed (HTTP {response.status})": "some detail pages failed (HTTP 500)",
        "detail pages failed ({failure.type.__name__})": "some detail pages failed (TimeoutError)",
    }  # fmt: skip
    for phrase, sample in samples.items():
        assert phrase in source, phrase
        assert any(p.fullmatch(sample) for p, _ in HEALTH_REASONS), sample


#: (spider file, the phrase it writes, a note of that shape, the note in Bokmål)
SPIDER_NOTES = [
    ("no_regjeringen_horinger", "the hearings listing (fallback) {why}",
     "feed answered HTTP 404; the hearings listing (fallback) answered HTTP 403 (bot challenge) on page 1",
     "nyhetsstrømmen svarte HTTP 404; høringslisten (reserveløsningen) svarte HTTP 403 (robotsjekk) på side 1"),
    ("no_regjeringen_horinger", "hearings listing (second channel) {why}: deadlines and status not cross-checked",
     "hearings listing (second channel) answered HTTP 403 on page 1: deadlines and status not cross-checked",
     "høringslisten (andre kanal) svarte HTTP 403 på side 1: frister og status ikke krysskontrollert"),
    ("no_regjeringen_horinger", "gave no answer ({self.failure_reason(failure)})",
     "feed answered HTTP 404; the hearings listing (fallback) gave no answer (https://x.no/h failed (TimeoutError: 30 s))",
     "nyhetsstrømmen svarte HTTP 404; høringslisten (reserveløsningen) svarte ikke (https://x.no/h feilet (TimeoutError: 30 s))"),
    ("no_regjeringen_horinger", "page {page} has no hearings (li.listItem) — markup changed?",
     "hearings listing (fallback) page 3 has no hearings (li.listItem) — markup changed?: only 2 page(s) read",
     "høringslisten (reserveløsningen) side 3 har ingen høringer (li.listItem): er sidens oppbygning endret?: bare 2 side(r) lest"),
    ("eu_cellar", "watchlist invalid: {exc}", "watchlist invalid: line 3: bad CELEX",
     "listen over overvåkede EU-saker er ugyldig: line 3: bad CELEX"),
    ("no_eos_notater", "— feed URL unverified: {self.feed_url}", "feed answered HTTP 404 — feed URL unverified: https://x.no/rss",
     "nyhetsstrømmen svarte HTTP 404 — nyhetsstrømmens adresse er ikke bekreftet: https://x.no/rss"),
    ("no_etikkradet", "(feed URL unverified); using the front page listing",
     "feed answered HTTP 404 (feed URL unverified); using the front page listing",
     "nyhetsstrømmen svarte HTTP 404 (nyhetsstrømmens adresse er ikke bekreftet); forsidens oversikt brukes i stedet"),
    # a phrase spanning "; " is read as one before its first part alone (which read «feed unreadable
    # (…) (feed URL unverified)» as the feed's error, and left «using the front page listing» English)
    ("no_etikkradet", "(feed URL unverified); using the front page listing",
     "feed unreadable (SAXParseException) (feed URL unverified); using the front page listing",
     "nyhetsstrømmen kan ikke leses (SAXParseException) (nyhetsstrømmens adresse er ikke bekreftet); forsidens "
     "oversikt brukes i stedet"),
    ("no_etikkradet", "; front page answered HTTP {response.status}",
     "feed unreadable (SAXParseException); front page answered HTTP 503",
     "nyhetsstrømmen kan ikke leses (SAXParseException); forsiden svarte HTTP 503"),
    ("no_etikkradet", "front page listing has no recognisable posts", "feed has no items; front page listing has no recognisable posts",
     "nyhetsstrømmen har ingen oppføringer; forsidens oversikt har ingen gjenkjennelige innlegg"),
    ("no_nbim", "press release listing has no a.article-list_item (page structure changed?)",
     "press release listing has no a.article-list_item (page structure changed?)",
     "pressemeldingsoversikten har ingen a.article-list_item: er sidens oppbygning endret?"),
    ("oecd_ncp_cases", "case listing has no links to /database/instances/ pages (layout unverified, changed?)",
     "case listing has no links to /database/instances/ pages (layout unverified, changed?)",
     "saksoversikten har ingen lenker til /database/instances/-sider: er oppsettet endret?"),
    ("eu_haveyoursay", "brpapi access is disputed and may need a browser context",
     "searchInitiatives page 0: blocked (HTTP 403); brpapi access is disputed and may need a browser context",
     "searchInitiatives side 0: blokkert (HTTP 403); tilgangen til brpapi er omstridt og kan kreve en nettleser"),
    ("eu_haveyoursay", "answered HTML instead of JSON (single-page-app shell or WAF ",
     "searchInitiatives page 0: answered HTML instead of JSON (single-page-app shell or WAF page); brpapi may need a "
     "browser context (disputed access, docs/sources.md A.2)",
     "searchInitiatives side 0: svarte med HTML i stedet for JSON (en tom nettapp-side eller en WAF-side); brpapi kan "
     "kreve en nettleser (omstridt tilgang, docs/sources.md A.2)"),
    # the frequent amber ones
    ("no_stortinget_horinger", 'FALLBACK = "fallback channel in use: eksport/saker + eksport/sak HOERFRIST"',
     "fallback channel in use: eksport/saker + eksport/sak HOERFRIST (eksport/horinger answered HTTP 500)",
     "reservekanalen er i bruk: eksport/saker + eksport/sak HOERFRIST (eksport/horinger svarte HTTP 500)"),
    ("no_stortinget_horinger", "(has the export changed?): ",
     "eksport/horinger: field(s) missing from every hearing (43): innspillsfrist, komite.navn (has the export "
     "changed?): their stored values are kept",
     "eksport/horinger: felt som mangler i alle høringene (43): innspillsfrist, komite.navn (er eksporten endret?): "
     "de lagrede verdiene beholdes"),
    ("no_stortinget_horinger", "no hearing read, the stored ones are kept",
     "eksport/horinger: field(s) missing from every hearing (43): horing_sak_info_liste (has the export changed?): "
     "no hearing read, the stored ones are kept",
     "eksport/horinger: felt som mangler i alle høringene (43): horing_sak_info_liste (er eksporten endret?): ingen "
     "høringer er lest, de lagrede beholdes"),
    # the answer that is not the export, as both Stortinget spiders name it (crawlers/stortinget.py)
    ("stortinget", 'page = "a bot challenge page" if blocked else "an HTML page"',
     "fallback failed too: eksport/saker answered a bot challenge page instead of the JSON export (HTTP 200)",
     "reserveløsningen feilet også: eksport/saker svarte med en robotsjekkside i stedet for JSON-eksporten (HTTP 200)"),
    ("stortinget", "answered {page} instead of the JSON export (HTTP {response.status})",
     "fallback channel in use: eksport/saker + eksport/sak HOERFRIST (eksport/horinger answered an HTML page instead "
     "of the JSON export (HTTP 200))",
     "reservekanalen er i bruk: eksport/saker + eksport/sak HOERFRIST (eksport/horinger svarte med en HTML-side i "
     "stedet for JSON-eksporten (HTTP 200))"),
    ("no_stortinget_horinger", "hearings of those cases missing this run",
     "fallback: some eksport/sak requests failed (HTTP 503); hearings of those cases missing this run",
     "reservekanalen: noen eksport/sak-forespørsler feilet (HTTP 503); høringene i de sakene mangler denne gangen"),
    ("no_stortinget_horinger", "most recently updated of ",
     "fallback: only the 40 most recently updated of 57 pending cases checked",
     "reservekanalen: bare de 40 sist oppdaterte av 57 ventende saker er sjekket"),
    ("no_regjeringen_horinger", "are missing from it (kept from the listing)",
     "RSS feed looks truncated (20 items): 3 hearing(s) on listing page 1 are missing from it (kept from the listing)",
     "RSS-strømmen ser avkortet ut (20 oppføringer): 3 høring(er) på listeside 1 mangler i den (tatt fra listen)"),
    ("eu_cellar", "OJ RSS failed ({failure.type.__name__})", "OJ RSS failed (TimeoutError)",
     "EU-tidendes RSS feilet (TimeoutError)"),
    ("eu_cellar", "not found in Cellar ", "watchlist CELEX 32024R1781 (espr) not found in Cellar (4 related works, but not "
     "the act itself)", "overvåket CELEX 32024R1781 (espr) finnes ikke i Cellar (4 beslektede verk, men ikke selve rettsakten)"),
    ("notes", "OEIL procedure files blocked (HTTP 403/429/challenge): stage not updated",
     "OEIL procedure files blocked (HTTP 403/429/challenge): stage not updated",
     "prosedyrefiler i lovgivningsobservatoriet blokkert (HTTP 403/429/robotsjekk): stadiene er ikke oppdatert"),
    ("eu_oeil", "OEIL request failed for {ref} ({failure.type.__name__})", "OEIL request failed for 2022/0051(COD) (TimeoutError)",
     "forespørselen til lovgivningsobservatoriet for 2022/0051(COD) feilet (TimeoutError)"),
    ("no_regjeringen_horinger", "on the detail page, ", "hearing 3150100: deadline 2026-12-11 on the detail page, "
     "2026-12-10 in the listing", "høring 3150100: frist fre. 11.12.2026 på detaljsiden, tor. 10.12.2026 i listen"),
    ("no_regjeringen_horinger", "hearings read from the listing instead ({pages} page(s))",
     "feed answered HTTP 503; hearings read from the listing instead (2 page(s))",
     "nyhetsstrømmen svarte HTTP 503; høringene ble lest fra listen i stedet (2 side(r))"),
    ("notes", "answer lists blocked (HTTP 403/429/challenge): answers not updated",
     "answer lists blocked (HTTP 403/429/challenge): answers not updated",
     "svarlistene blokkert (HTTP 403/429/robotsjekk): svarene er ikke oppdatert"),
    ("eu_haveyoursay", "searchInitiatives has {total_pages} pages; {why}", "searchInitiatives has 9 pages; only 5 read",
     "searchInitiatives har 9 sider; bare 5 lest"),
    ("backfill", 'f"searchInitiatives page {page} (history)"', "searchInitiatives page 1 (history) answered HTTP 404",
     "searchInitiatives side 1 (historikk) svarte HTTP 404"),
    ("eu_haveyoursay", 'f"searchInitiatives page {page}"', "searchInitiatives page 0 answered HTTP 503",
     "searchInitiatives side 0 svarte HTTP 503"),
    ("backfill", "history of this act not read (rows from {offset} on)",
     "SPARQL for 52023PC0166 (green_claims): HTTP 404; history of this act not read (rows from 500 on)",
     "SPARQL-spørringen for 52023PC0166 (green_claims): HTTP 404; historikken til denne rettsakten ble ikke lest "
     "(fra rad 500)"),
    ("no_stortinget_spu", "eksport/saker failed for every session ({every})",
     "eksport/saker failed for every session (2026-2027: HTTP 503; 2025-2026: TimeoutError)",
     "eksport/saker feilet for alle sesjoner (2026-2027: HTTP 503; 2025-2026: TimeoutError)"),
]  # fmt: skip


@pytest.mark.parametrize(("spider", "phrase", "note", "nb"), SPIDER_NOTES)
def test_the_spiders_red_notes_read_in_bokmal(spider, phrase, note, nb):
    """A failing source's reason is the loudest line of the digest and the web: the main spiders'
    red notes and their frequent amber ones (regjeringen.no's 403s, Stortinget's fallback channel,
    the EU files') read in Bokmål. Each phrase must still be in its spider: a reworded note would
    silently stay English."""
    from pathlib import Path

    from tracker.vocabulary import health_reason

    crawlers = Path(__file__).parent.parent / "crawlers"  # a spider, or a client spiders share
    source = next(p for p in (crawlers / "spiders" / f"{spider}.py", crawlers / f"{spider}.py") if p.exists())
    assert phrase in source.read_text("utf-8"), phrase
    assert health_reason(note, "nb") == nb
    assert health_reason(note, "en") != nb


#: sample values for the placeholders of the spiders' notes, chosen by what the expression names
_NOTE_SAMPLES = [
    (("sum(", "unrecorded", "missing", "store_failed"), "2"), (("shown",), "HTTP 404 ×2"),
    (("failure_reason",), "https://x.no/a failed (TimeoutError: t)"), (("status_raw",), "'Åpen'"),
    (("status",), "503"), (("__name__",), "TimeoutError"), (("url",), "https://x.no/a"),
    (("feed_problem", "problem"), "feed answered HTTP 404"), (("why",), "only 5 read"),
    (("session",), "2025-2026"), (("celex",), "32024R1781"), ((".id",), "espr"),
    (("reference", "ref"), "2022/0051(COD)"), (("native_id", "hearing_id"), "3150100"),
    (("deadline",), "2026-12-11"), (("keys",), "keys: a, b"),
    (("len(", "pages", "page", "MAX", "max", "total", "_pages_read"), "3"),
    (("exc", "error", "reason"), "bad"), (("what", "label"), "feed"), (("needed",), "Lead NCP"),
    (("timeout",), "timed out"), (("consequence",), "OJ RSS used as fallback"),
    (("unread_words",), "pages of stored hearings"), (("challenge",), " (bot challenge)"), (("limit",), "500"),
    (("_picked_by_dates",), "2"), (("today.isoformat",), "2026-11-24"),
]  # fmt: skip


def _sample(expr: str) -> str:
    return next((value for keys, value in _NOTE_SAMPLES if any(k in expr for k in keys)), "x")


def _render(node, constants: dict[str, str]) -> str | None:
    """A note's text with its placeholders filled; None for a variable (its text comes from
    another note, checked there)."""
    import ast

    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.Subscript):  # f"…"[:300]
        return _render(node.value, constants)
    if not isinstance(node, ast.JoinedStr):
        return None
    parts = []
    for v in node.values:
        if isinstance(v, ast.Constant):
            parts.append(v.value)
        elif isinstance(v.value, ast.Name) and v.value.id in constants:  # a module constant (FALLBACK)
            parts.append(constants[v.value.id])
        else:
            value = _sample(ast.unparse(v.value))
            parts.append(f"'{value}'" if v.conversion == ord("r") and value[0] != "'" else value)
    return "".join(parts)


def _spider_notes() -> list[tuple[str, int, str]]:
    """Every note a spider writes (`self.note(level, text)`, regjeringen's `_listing_broken(why)`)
    and the tracker writes (`("red" | "amber", text)`), placeholders filled with samples of their
    kind."""
    import ast
    from pathlib import Path

    out = []
    crawlers = Path(__file__).parent.parent / "crawlers"

    def constants_of(tree: ast.Module) -> dict[str, str]:
        return {t.id: n.value.value for n in tree.body if isinstance(n, ast.Assign)
                and isinstance(n.value, ast.Constant) and isinstance(n.value.value, str)
                for t in n.targets if isinstance(t, ast.Name)}

    shared = constants_of(ast.parse((crawlers / "notes.py").read_text("utf-8")))  # wordings crawlers.notes holds
    # the spiders, the backfill's spiders (crawlers/backfill.py) and the middlewares
    for path in sorted([*crawlers.glob("*.py"), *(crawlers / "spiders").glob("*.py")]):
        tree = ast.parse(path.read_text("utf-8"))
        constants = {**shared, **constants_of(tree)}
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.args):
                continue
            if node.func.attr == "note":
                text = _render(node.args[-1], constants)
            elif node.func.attr == "_listing_broken":
                why = _render(node.args[0], constants)
                text = why and f"hearings listing (second channel) {why}: deadlines and status not cross-checked"
            else:
                continue
            if text is not None:
                out.append((path.stem, node.lineno, text))
    root = Path(__file__).parent.parent / "tracker"
    for path in sorted(root.rglob("*.py")):  # the tracker's own notes: ("red"/"amber", text) pairs
        tree = ast.parse(path.read_text("utf-8"))
        for node in ast.walk(tree):
            if (isinstance(node, ast.Tuple) and len(node.elts) == 2 and isinstance(node.elts[0], ast.Constant)
                    and node.elts[0].value in ("red", "amber")):
                text = _render(node.elts[1], {})
                if text is not None:
                    out.append((path.stem, node.lineno, text))
    return out


def test_every_note_a_spider_writes_reads_in_bokmal():
    """A new or reworded note that `health_reason` does not know stays English in the Bokmål digest
    and web: this finds it (the spiders' f-strings filled with samples of each placeholder)."""
    from tracker.vocabulary import health_reason

    notes = _spider_notes()
    assert len(notes) > 60  # the reader still finds them
    english = [f"{spider}:{line}: {text}" for spider, line, text in notes if health_reason(text, "nb") == text]
    assert not english, "\n".join(english)


def test_stdlib_gettext_answers_the_declared_messages_while_inside_only():
    """click calls the standard library's gettext (`from gettext import gettext as _`), which reads
    only compiled catalogues by the machine's locale: inside, it answers the declared msgids from
    our catalogue in the language asked at each call, other messages and other domains as before;
    outside, as before."""
    import gettext

    from click import formatting

    clicks_gettext = formatting._  # the function click imported
    assert clicks_gettext is gettext.gettext
    lang = ["nb"]
    with i18n.stdlib_gettext(lambda: lang[0], ["Needs input"]):
        assert clicks_gettext("Needs input") == "Trenger innspill"
        assert gettext.ngettext("Needs input", "x", 1) == "Needs input"  # not declared as a plural
        assert clicks_gettext("Deadline") == "Deadline"  # in the catalogue, but not declared
        assert gettext.dgettext("another-domain", "Needs input") == "Needs input"
        lang[0] = "en"
        assert clicks_gettext("Needs input") == "Needs input"
        lang[0] = None  # the library's own words
        assert clicks_gettext("Needs input") == "Needs input"
    assert clicks_gettext("Needs input") == "Needs input"
    plural = ("%(num)d working day left", "%(num)d working days left")
    with i18n.stdlib_gettext(lambda: "nb", [plural]):
        assert gettext.ngettext(*plural, 2) == "%(num)d virkedager igjen"


def test_calibrates_refusal_says_each_kind_of_mark_in_good_bokmal():
    """`calibrate` said «noen markeringer av hver slag relevans» (slag is neuter: «hvert slag»)."""
    from tracker.vocabulary import refusal_text

    text = refusal_text("not enough feedback to calibrate: 0 relevant and 0 not_relevant marks, 0 with label marks "
                        "(need at least 4 in all, and label marks or some of each)", "nb", command_line=True)
    assert "noen markeringer av hvert slag relevans;" in text



def test_every_field_of_a_watchlist_entry_has_a_name_to_say():
    """`watchlist` said «(ikke kontrollert: procedure, com)» — the file's keys in a Bokmål line.
    Each field an entry's `unverified` can name has a name in both languages."""
    from crawlers.watchlist_file import LIST_FIELDS, STRING_FIELDS
    from tracker.vocabulary import WATCH_FIELD_NAMES, watch_field_name

    assert set(WATCH_FIELD_NAMES) == set(STRING_FIELDS + LIST_FIELDS)
    assert watch_field_name("procedure", "nb") == "prosedyrenummer" and watch_field_name("com", "en") == "COM number"
