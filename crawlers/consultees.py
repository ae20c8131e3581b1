"""Consultee lists (høringsinstanser) as data, and whether the NCP itself is one of them.

A regjeringen.no hearing page lists its consultees inline in the factbox ``#horingsinstanser``:
one ``<p>`` per organisation (bokmål page id3167072) or one ``<p>`` with the names separated by
``<br />`` (nynorsk page id3168525) — both real. Older pages link a PDF list instead; then the
names are not on the page and the list is unknown (None), never an empty list, until the file is
read: `parse_consultee_lines` takes the names from its lines (tracker/documents reads the file; a
list file is never tagged, so its names are no evidence either).

Each consultee is ``{"name": str, "orgnr": str | None}``. There is no offline register of
organisation numbers, so ``orgnr`` is filled only when the page itself gives one next to the
name ("Foo AS (org.nr. 123 456 789)"); otherwise it is None.

``is_ncp(name)`` recognises Kontaktpunktet (Norway's OECD National Contact Point for Responsible
Business Conduct) under its names in bokmål, nynorsk and English, old and new; other "kontaktpunkt"
bodies (Nasjonalt kontaktpunkt for helsetjenester …) are not it.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from lxml import etree
from scrapy.http import Response

from crawlers.text import strip_html

_ORGNR = re.compile(r"[(,\s]*\b(?:org(?:anisasjons)?\.?\s*(?:nr|nummer)\.?|orgnr\.?)\s*:?\s*(\d{3})\s?(\d{3})\s?(\d{3})\b\)?",
                    re.I)
_BREAK = re.compile(r"<br\s*/?>", re.I)
#: a whole "name" that is no organisation: a file, a placeholder, a heading
_NOT_A_NAME = re.compile(r"^(?:\(?pdf\)?|\(?docx?\)?|høy?ringsinstans(?:er|ar)?:?|liste over .*|se vedlegg.*)$", re.I)
#: a line of a list file that is no organisation: the list's title, a page number, a date, a
#: reference, a heading ending in a colon, an address (a post box, a postcode and place, an
#: e-mail or web address) where a list gives them
_NOT_A_NAME_LINE = re.compile(
    r"^(?:høy?ringsliste.*|adresseliste.*|mottak(?:ere|arar)\b.*|side \d+(?: av \d+)?|\d+(?: ?/ ?\d+)?"
    r"|\d{1,2}\. ?\d{1,2}\. ?\d{2,4}|dato\b.*|(?:vår|deres) ref\b.*|.*:"
    r"|(?:postboks|pb\.?|boks)\s+\d.*|\d{4}(?:\s+[^\W\d]+){1,3}(?<!\bas)(?<!\basa)|\S+@\S+|(?:https?://|www\.)\S*)$",
    re.I)
#: a list item's marker ("1.", "•", "–") before the name
_MARKER = re.compile(r"^(?:\d{1,3}[.)]\s+|[•·▪\-–*]\s*)")
#: a line that does not end a name: it ends in a word that joins it to the next line
_JOINS_NEXT = re.compile(r"(?:\b(?:for|og|i|av|til|med|om|på|under|eller|the|of|and)|[&,–]| -)$", re.I)
MAX_NAME = 200


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    text = text.replace("’", "'").replace("-", " ").replace("–", " ")
    return " ".join(re.sub(r"[^\w' ]+", " ", text).split())


def is_ncp(name: str | None) -> bool:
    """True when `name` is Kontaktpunktet (nb/nn/en, current and former names).

    >>> is_ncp("Kontaktpunktet for ansvarlig næringsliv"), is_ncp("Nasjonalt kontaktpunkt for ansvarleg næringsliv")
    (True, True)
    >>> is_ncp("OECDs kontaktpunkt for ansvarlig næringsliv"), is_ncp("Norway's National Contact Point for RBC")
    (True, True)
    >>> is_ncp("Nasjonalt kontaktpunkt for helsetjenester"), is_ncp("Næringslivets hovedorganisasjon")
    (False, False)
    """
    if not name:
        return False
    f = _fold(name)
    if "kontaktpunkt" in f:
        if f in ("kontaktpunktet", "kontaktpunkt", "oecd kontaktpunktet", "oecd kontaktpunkt"):
            return True
        return "oecd" in f or bool(re.search(r"ansvarl[ei]g\w* næringsliv", f))
    if "contact point" in f:
        return "oecd" in f or "responsible business" in f or bool(re.search(r"\brbc\b", f)) or "norw" in f
    return bool(re.search(r"\bncp\b", f) and re.search(r"norw|norge|noreg|oecd|\brbc\b", f))


def split_orgnr(text: str) -> tuple[str, str | None]:
    """("Foo AS", "123456789") from "Foo AS (org.nr. 123 456 789)"; (text, None) without one."""
    m = _ORGNR.search(text)
    if not m:
        return text, None
    name = (text[: m.start()] + " " + text[m.end():]).strip(" ,;-–")
    return " ".join(name.split()), "".join(m.groups())


def _add_name(text: str, out: list[dict[str, Any]], seen: set[str]) -> None:
    """`text` as a consultee of `out` unless it is no name or one already there (case, dashes and
    punctuation aside)."""
    text = " ".join(text.split()).strip(" ,;•·-–")
    if not text or len(text) > MAX_NAME or _NOT_A_NAME.match(text):
        return
    name, orgnr = split_orgnr(text)
    key = _fold(name)
    if not key or key in seen:
        return
    seen.add(key)
    out.append({"name": name, "orgnr": orgnr})


def parse_consultee_names(block_html: list[str]) -> list[dict[str, Any]]:
    """Consultees from the HTML of the list's blocks (one name per block or per <br> line)."""
    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    for html in block_html:
        for part in _BREAK.split(html):
            _add_name(strip_html(part), out, seen)
    return out


def parse_consultee_lines(lines: list[str]) -> list[dict[str, Any]]:
    """Consultees from the text lines of a list file (a PDF's lines, a .docx's paragraphs; its
    headings left out by the caller): one name a line, a name that runs over two lines joined
    («Kontaktpunktet for ansvarlig» + «næringsliv»; «Arbeids- og» + «inkluderingsdepartementet»;
    a word hyphenated at the line's end; an abbreviation in parentheses), list markers, page
    numbers, dates and the list's title dropped. A name broken before a capitalised word after
    one that joins nothing («WWF – Norge, Verdens» / «Naturfond») stays two entries: nothing in
    the lines tells it from two names. Kontaktpunktet's Norwegian names break only before
    lower-case words or after «for», so it is recognised wherever its name is broken.

    >>> [c["name"] for c in parse_consultee_lines(["Høringsliste", "1. Datatilsynet",
    ...     "Kontaktpunktet for ansvarlig", "næringsliv", "Side 1 av 2", "Arbeids- og",
    ...     "inkluderingsdepartementet", "Norges Rederi-", "forbund"])]
    ['Datatilsynet', 'Kontaktpunktet for ansvarlig næringsliv', 'Arbeids- og inkluderingsdepartementet', 'Norges Rederiforbund']
    >>> [c["name"] for c in parse_consultee_lines(["Norad", "Postboks 1303 Vika", "0112 Oslo",
    ...     "post@norad.no", "www.norad.no", "3M Norge AS"])]
    ['Norad', '3M Norge AS']
    """
    joined: list[str] = []
    for raw in lines:
        line = _MARKER.sub("", " ".join(str(raw).split()))
        if not line or _NOT_A_NAME_LINE.match(line):
            continue
        prev = joined[-1] if joined else ""
        if prev.endswith("-") and len(prev) > 1 and prev[-2].isalpha() and line[:1].islower() \
                and not re.match(r"(?:og|eller)\b", line):
            joined[-1] = prev[:-1] + line  # a word hyphenated at the line's end
        elif prev and (line[:1].islower() or line[:1] == "(" or prev.endswith("-") or _JOINS_NEXT.search(prev)):
            joined[-1] = f"{prev} {line}"  # the name goes on ("næringsliv", "(NHO)", "Arbeids- og" + …)
        else:
            joined.append(line)
    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    for text in joined:
        _add_name(text, out, seen)
    return out


def reads_as_a_list(found: list[dict[str, Any]]) -> bool:
    """Whether names taken from a file's lines are a list of organisations, not the lines of a
    letter or a note linked in the list's place: at most a third of them long (over 90
    characters) or ending like a sentence.

    >>> reads_as_a_list([{"name": "Datatilsynet"}, {"name": "Norad"}])
    True
    >>> reads_as_a_list([{"name": "Departementet sender med dette forslaget på høring."}, {"name": "Norad"}])
    False
    """
    prose = sum(1 for c in found if len(c["name"]) > 90 or c["name"].rstrip().endswith((".", "!", "?", ";")))
    return bool(found) and prose * 3 <= len(found)


def parse_consultees(response: Response) -> list[dict[str, Any]] | None:
    """The consultees of a regjeringen.no hearing page, or None when the page does not list them
    inline (no ``#horingsinstanser``, or only a linked file)."""
    root = response.css("#horingsinstanser")
    if not root:
        return None
    blocks = block_html(root[0].root)
    if not blocks:
        return None
    names = parse_consultee_names(blocks)
    return names or None


#: the list's blocks: paragraphs and list items that do not link a file
_BLOCKS = etree.XPath(".//p[not(.//a[contains(@href, '/contentassets/')])]"
                      " | .//li[not(.//a[contains(@href, '/contentassets/')])]")


def block_html(root: etree._Element) -> list[str]:
    """The HTML of each block of the list under `root`, as parsel's ``.xpath(…).getall()`` gives
    it, without a Selector per block (a list has hundreds)."""
    return [etree.tostring(b, method="html", encoding="unicode", with_tail=False) for b in _BLOCKS(root)]


def ncp_consultee(consultees: list[dict[str, Any]] | None) -> bool | None:
    """True/False when the list is known; None when it is not."""
    if consultees is None:
        return None
    return any(is_ncp(c.get("name")) for c in consultees)
