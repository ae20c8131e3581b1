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
                 root / "vocabulary.py", root / "attention" / "urgency.py"]:
        for lineno, line in enumerate(path.read_text("utf-8").splitlines(), 1):
            if pattern.search(line):
                bad.append(f"{path.name}:{lineno}: {line.strip()}")
    assert bad == []
