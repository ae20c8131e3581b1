"""Find every catalogue message used in the code and templates, and update the ``.po`` files.

``python -m tracker.i18n_extract`` adds new msgids to both catalogues (English gets the msgid
itself, Bokmål an empty msgstr for a person to translate), removes the entries whose msgid the
code and templates no longer use (as gettext's ``msgmerge`` does; nothing here reads ``#~``
obsolete entries, so none are kept), and prints what it removed and what still needs
translating; `tests/test_i18n.py` fails while anything is untranslated.

Messages are found by Babel: in Python, ``_("…")`` / ``ctx._("…")`` (a `Translator`),
``_.n("…", "…", n)``, ``N_("…")`` (marked, translated later), ``gettext(lang, "…")`` and
``ngettext(lang, "…", "…", n)``; in Jinja2 templates, ``_()``/``gettext``/``ngettext`` and
``{% trans %}``; in the command line (``cli/``), every help text: a command's docstring (the
function a ``@….command``/``@….group`` decorator makes a command of) and every ``help=`` /
``short_help=`` given as a string literal (`help_texts`), which `tracker.cli.support` shows in the
reader's language. click's own words are kept by their ``N_`` marks (``cli/click_words.py``).
"""

from __future__ import annotations

import ast
import inspect
import io
from pathlib import Path
from typing import Any, NamedTuple

ROOT = Path(__file__).resolve().parent
#: where messages are looked for (package-relative)
PYTHON_DIRS = ("digest", "attention", "web", "workbench", "documents", "links", "cli", "jobs")
PYTHON_FILES = ("vocabulary.py", "i18n.py")
TEMPLATE_DIRS = ("digest/templates", "web/templates", "workbench/templates")
KEYWORDS: dict[str, Any] = {
    "_": None, "N_": None, "n": (1, 2), "n_": (1, 2), "NP_": (1, 2), "gettext": (2,), "ngettext": (2, 3), "pgettext": ((2, "c"), 3),
}  # fmt: skip


def extract(root: Path = ROOT) -> dict[Any, list[str]]:
    """{msgid or (singular, plural): [file:line, …]} for every message in use under `root` (the
    package)."""
    from babel.messages.extract import extract_from_file

    found: dict[Any, list[str]] = {}

    def add(path: Path, method: str, keywords: dict[str, Any]) -> None:
        for lineno, message, _comments, _context in extract_from_file(method, str(path), keywords=keywords):
            key = tuple(message) if isinstance(message, tuple | list) else message
            if isinstance(key, tuple):
                key = key[:2]
            if key:
                found.setdefault(key, []).append(f"{path.relative_to(root.parent)}:{lineno}")

    for name in PYTHON_FILES:
        if (root / name).is_file():
            add(root / name, "python", KEYWORDS)
    for folder in PYTHON_DIRS:
        for path in sorted((root / folder).rglob("*.py")) if (root / folder).exists() else []:
            add(path, "python", KEYWORDS)
    for path in sorted((root / "cli").rglob("*.py")) if (root / "cli").exists() else []:
        for lineno, text in help_texts(path):
            found.setdefault(text, []).append(f"{path.relative_to(root.parent)}:{lineno}")
    jinja_keywords = {"_": None, "gettext": None, "ngettext": (1, 2)}
    for folder in TEMPLATE_DIRS:
        for path in sorted((root / folder).rglob("*")) if (root / folder).exists() else []:
            if path.suffix in (".j2", ".html", ".txt") and path.is_file():
                add(path, "jinja2.ext:babel_extract", jinja_keywords)
    # the i18n module's docstring examples are kept in the catalogues (it shows them translated)
    for example in ("Needs input",) if (root / "i18n.py").is_file() else ():
        found.setdefault(example, [])
    return found


def _is_command_decorator(node: ast.expr) -> bool:
    """``@click.command(…)``, ``@users.command("add")``, ``@click.group(…)`` (called or not)."""
    target = node.func if isinstance(node, ast.Call) else node
    return isinstance(target, ast.Attribute) and target.attr in ("command", "group")


def help_texts(path: Path) -> list[tuple[int, str]]:
    """(line, text) of every help text of the commands in `path`: docstrings of the functions made
    commands (cleaned as click and `inspect.cleandoc` clean them) and string-literal ``help=`` /
    ``short_help=`` arguments."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"), str(path))):
        if isinstance(node, ast.FunctionDef) and any(_is_command_decorator(d) for d in node.decorator_list):
            doc = ast.get_docstring(node, clean=False)
            if doc:
                found.append((node.body[0].lineno, inspect.cleandoc(doc)))
        elif isinstance(node, ast.Call):
            for keyword in node.keywords:
                if keyword.arg in ("help", "short_help") and isinstance(keyword.value, ast.Constant) \
                        and isinstance(keyword.value.value, str) and keyword.value.value:
                    found.append((keyword.value.lineno, inspect.cleandoc(keyword.value.value)))
    return found


def po_path(lang: str, root: Path = ROOT) -> Path:
    return root / "locale" / lang / "LC_MESSAGES" / "messages.po"


class Updated(NamedTuple):
    """What `update` did to one catalogue."""

    #: msgids (or (singular, plural)) no longer used anywhere, removed from the catalogue
    removed: list[Any]
    #: msgids in use that the catalogue has no translation of
    untranslated: list[Any]


def _singular(key: Any) -> str:
    """A catalogue's key of a message: its msgid, a plural's singular (as Babel's Catalog keys it)."""
    return key if isinstance(key, str) else key[0]


def update(langs: tuple[str, ...] = ("nb", "en"), root: Path = ROOT) -> dict[str, Updated]:
    """Add missing msgids to each catalogue under `root` and remove those no longer used; returns
    {lang: Updated(removed, untranslated)}."""
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import read_po, write_po

    used = extract(root)
    in_use = {_singular(key) for key in used}
    done: dict[str, Updated] = {}
    for lang in langs:
        path = po_path(lang, root)
        catalog = read_po(io.StringIO(path.read_text("utf-8")), locale=lang) if path.exists() else Catalog(locale=lang)
        removed = [m.id for m in catalog if m.id and _singular(m.id) not in in_use]
        for msgid in removed:
            catalog.delete(msgid)
        for key in sorted(used, key=_singular):
            if key in catalog:
                continue
            if lang == "en":
                string: Any = key
            else:
                string = ("", "") if isinstance(key, tuple) else ""
            catalog.add(key, string)
        out = io.BytesIO()
        write_po(out, catalog, width=0, omit_header=False, sort_output=True)
        path.write_bytes(out.getvalue())
        untranslated = [m.id for m in catalog
                        if m.id and (not m.string or (isinstance(m.string, tuple) and not all(m.string)))]
        done[lang] = Updated(removed, untranslated)
    return done


def main(root: Path = ROOT) -> None:
    for lang, updated in update(root=root).items():
        for msgid in updated.removed:
            print(f"{lang}: removed (no longer used): {msgid!r}")
        for msgid in updated.untranslated:
            print(f"{lang}: untranslated: {msgid!r}")


if __name__ == "__main__":
    main()
