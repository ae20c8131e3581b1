"""Find every catalogue message used in the code and templates, and update the ``.po`` files.

``python -m tracker.i18n_extract`` adds new msgids to both catalogues (English gets the msgid
itself, Bokmål an empty msgstr marked fuzzy for a person to translate), drops none, and prints
what still needs translating; `tests/test_i18n.py` fails while anything is untranslated.

Messages are found by Babel: in Python, ``_("…")`` / ``ctx._("…")`` (a `Translator`),
``_.n("…", "…", n)``, ``N_("…")`` (marked, translated later), ``gettext(lang, "…")`` and
``ngettext(lang, "…", "…", n)``; in Jinja2 templates, ``_()``/``gettext``/``ngettext`` and
``{% trans %}``.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent
#: where messages are looked for (package-relative)
PYTHON_DIRS = ("digest", "attention", "web", "workbench", "documents", "links", "cli")
PYTHON_FILES = ("vocabulary.py", "i18n.py")
TEMPLATE_DIRS = ("digest/templates", "web/templates", "workbench/templates")
KEYWORDS: dict[str, Any] = {
    "_": None, "N_": None, "n": (1, 2), "n_": (1, 2), "NP_": (1, 2), "gettext": (2,), "ngettext": (2, 3), "pgettext": ((2, "c"), 3),
}  # fmt: skip


def extract() -> dict[Any, list[str]]:
    """{msgid or (singular, plural): [file:line, …]} for every message in use."""
    from babel.messages.extract import extract_from_file

    found: dict[Any, list[str]] = {}

    def add(path: Path, method: str, keywords: dict[str, Any]) -> None:
        for lineno, message, _comments, _context in extract_from_file(method, str(path), keywords=keywords):
            key = tuple(message) if isinstance(message, tuple | list) else message
            if isinstance(key, tuple):
                key = key[:2]
            if key:
                found.setdefault(key, []).append(f"{path.relative_to(ROOT.parent)}:{lineno}")

    for name in PYTHON_FILES:
        add(ROOT / name, "python", KEYWORDS)
    for folder in PYTHON_DIRS:
        for path in sorted((ROOT / folder).rglob("*.py")) if (ROOT / folder).exists() else []:
            add(path, "python", KEYWORDS)
    jinja_keywords = {"_": None, "gettext": None, "ngettext": (1, 2)}
    for folder in TEMPLATE_DIRS:
        for path in sorted((ROOT / folder).rglob("*")) if (ROOT / folder).exists() else []:
            if path.suffix in (".j2", ".html", ".txt") and path.is_file():
                add(path, "jinja2.ext:babel_extract", jinja_keywords)
    # the i18n module's own docstring examples are not messages
    for example in ("Needs input",):
        found.setdefault(example, [])
    return found


def po_path(lang: str) -> Path:
    return ROOT / "locale" / lang / "LC_MESSAGES" / "messages.po"


def update(langs: tuple[str, ...] = ("nb", "en")) -> dict[str, list[Any]]:
    """Add missing msgids to each catalogue; returns {lang: [untranslated msgids]}."""
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import read_po, write_po

    used = extract()
    missing: dict[str, list[Any]] = {}
    for lang in langs:
        path = po_path(lang)
        catalog = read_po(io.StringIO(path.read_text("utf-8")), locale=lang) if path.exists() else Catalog(locale=lang)
        for key in sorted(used, key=lambda k: k if isinstance(k, str) else k[0]):
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
        missing[lang] = [m.id for m in catalog if m.id and (not m.string or (isinstance(m.string, tuple) and not all(m.string)))]
    return missing


def main() -> None:
    for lang, ids in update().items():
        for msgid in ids:
            print(f"{lang}: untranslated: {msgid!r}")


if __name__ == "__main__":
    main()
