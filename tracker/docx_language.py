"""The language of a Word document and of the words in it that are in another language.

Word and LibreOffice spell-check, hyphenate and read aloud each run of text in the language it
carries (``<w:lang w:val="nn-NO"/>``), else in the document's default (styles.xml's
``w:rPrDefault``). A draft (tracker/workbench/drafts.py) and a redline (tracker/documents/redline.py)
set the default to the language they are written in, and mark the words they quote from a text in
another language — a Nynorsk hearing's title in a Bokmål draft, an English annex's changes in a
Bokmål redline — so that nothing is underlined as misspelt for being in its own language.
"""

from __future__ import annotations

from typing import Any

#: the language tag of each language a document or a quote is in (Word's and LibreOffice's)
LANGUAGE_TAGS = {"nb": "nb-NO", "nn": "nn-NO", "en": "en-GB"}

#: the children of a run's properties that come after its language (OOXML's order)
_AFTER_LANG = ("w:eastAsianLayout", "w:specVanish", "w:oMath")


def set_default_language(doc: Any, lang: str) -> None:
    """`doc`'s default language (styles.xml's rPrDefault ``w:lang``, and every style that sets its
    own, as a template's may) to `lang`'s tag."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tag = LANGUAGE_TAGS[lang]
    styles = doc.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = OxmlElement("w:docDefaults")
        styles.insert(0, defaults)
    rpr_default = defaults.find(qn("w:rPrDefault"))
    if rpr_default is None:
        rpr_default = OxmlElement("w:rPrDefault")
        defaults.insert(0, rpr_default)
    rpr = rpr_default.find(qn("w:rPr"))
    if rpr is None:
        rpr = OxmlElement("w:rPr")
        rpr_default.append(rpr)
    if rpr.find(qn("w:lang")) is None:
        rpr.append(OxmlElement("w:lang"))
    for el in styles.iter(qn("w:lang")):
        el.set(qn("w:val"), tag)


def mark_run(r: Any, lang: str) -> None:
    """The run element `r` (a ``w:r``) in `lang` (``<w:lang w:val="en-GB"/>`` in its properties)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    rpr = r.find(qn("w:rPr"))
    if rpr is None:
        rpr = OxmlElement("w:rPr")
        r.insert(0, rpr)
    mark = rpr.find(qn("w:lang"))
    if mark is None:
        mark = OxmlElement("w:lang")
        following = [child for child in rpr if child.tag in {qn(t) for t in _AFTER_LANG}]
        if following:
            following[0].addprevious(mark)
        else:
            rpr.append(mark)
    mark.set(qn("w:val"), LANGUAGE_TAGS[lang])


def language_runs(text: str, langs: list[tuple[str, str]]) -> list[tuple[str, str]]:
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


def add_runs(p: Any, text: str, langs: list[tuple[str, str]] | tuple = ()) -> None:
    """`text` added to the python-docx paragraph `p`, each piece of another language
    (`language_runs`) a run of its own marked with it (`mark_run`)."""
    for said, lang in language_runs(text, list(langs)):
        if said:
            run = p.add_run(said)
            if lang:
                mark_run(run._r, lang)
