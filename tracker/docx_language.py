"""The language of a Word document and of the words in it that are in another language.

Word and LibreOffice spell-check, hyphenate and read aloud each run of text in the language it
carries (``<w:lang w:val="nn-NO"/>``), else in the document's default (styles.xml's
``w:rPrDefault``). A draft (tracker/workbench/drafts.py) and a redline (tracker/documents/redline.py)
set the default to the language they are written in, and mark the words they quote from a text in
another language — a Nynorsk hearing's title in a Bokmål draft, an English annex's changes in a
Bokmål redline — so that nothing is underlined as misspelt for being in its own language.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

#: the language tag of each language a document or a quote is in (Word's and LibreOffice's)
LANGUAGE_TAGS = {"nb": "nb-NO", "nn": "nn-NO", "en": "en-GB"}

#: the children of a run's properties that come after its language (OOXML's order)
_AFTER_LANG = ("w:eastAsianLayout", "w:specVanish", "w:oMath")


def _child(parent: Any, tag: str, *, first: bool = False) -> Any:
    """`parent`'s child `tag` (``"w:rPr"``), made when it has none: the first child (`first`: a run's
    properties, the document defaults' parts) or the last."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    child = parent.find(qn(tag))
    if child is None:
        child = OxmlElement(tag)
        if first:
            parent.insert(0, child)
        else:
            parent.append(child)
    return child


def _language(rpr: Any) -> Any:
    """The ``w:lang`` of run properties `rpr`, made in its place in OOXML's order when missing."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    mark = rpr.find(qn("w:lang"))
    if mark is None:
        mark = OxmlElement("w:lang")
        after = {qn(t) for t in _AFTER_LANG}
        following = [child for child in rpr if child.tag in after]
        if following:
            following[0].addprevious(mark)
        else:
            rpr.append(mark)
    return mark


def set_default_language(doc: Any, lang: str) -> None:
    """`doc`'s default language (styles.xml's rPrDefault ``w:lang``, and every style that sets its
    own, as a template's may) to `lang`'s tag."""
    from docx.oxml.ns import qn

    styles = doc.styles.element
    defaults = _child(_child(styles, "w:docDefaults", first=True), "w:rPrDefault", first=True)
    _language(_child(defaults, "w:rPr"))
    for el in styles.iter(qn("w:lang")):
        el.set(qn("w:val"), LANGUAGE_TAGS[lang])


def mark_run(r: Any, lang: str) -> None:
    """The run element `r` (a ``w:r``) in `lang` (``<w:lang w:val="en-GB"/>`` in its properties)."""
    from docx.oxml.ns import qn

    _language(_child(r, "w:rPr", first=True)).set(qn("w:val"), LANGUAGE_TAGS[lang])


def language_runs(text: str, langs: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    """`text` as runs of (words, language): each occurrence of the words of `langs` with their
    language, the rest with "" (the document's). An occurrence that overlaps an earlier one is
    left in the earlier one's language."""
    found = []
    for said, lang in langs:
        if not said or not lang:
            continue
        start = 0
        while (at := text.find(said, start)) >= 0:
            found.append((at, at + len(said), lang))
            start = at + len(said)
    runs: list[tuple[str, str]] = []
    pos = 0
    for begin, end, lang in sorted(found):
        if begin < pos:
            continue
        if begin > pos:
            runs.append((text[pos:begin], ""))
        runs.append((text[begin:end], lang))
        pos = end
    if pos < len(text) or not runs:
        runs.append((text[pos:], ""))
    return runs


def add_runs(p: Any, text: str, langs: Sequence[tuple[str, str]] = ()) -> None:
    """`text` added to the python-docx paragraph `p`, each piece of another language
    (`language_runs`) a run of its own marked with it (`mark_run`)."""
    for said, lang in language_runs(text, langs):
        if said:
            run = p.add_run(said)
            if lang:
                mark_run(run._r, lang)
