"""References resolved in text: the one module every source's text goes through.

`extract(text)` finds the references an adviser would recognise and returns
them as normalised keys, so that the same act cited in different ways by
different sources becomes the same key:

| cited as | key |
|---|---|
| ``32022L2464``, ``CELEX:32022L2464``, ``eli/dir/2022/2464/oj`` | ``celex:32022L2464`` |
| ``Directive (EU) 2022/2464``, ``direktiv 2024/1760``, ``forordning (EU) 2023/1115`` | ``celex:3yyyyTnnnn`` (T: L directive, R regulation, D decision) |
| ``(EU) 2024/1760`` without a type word | ``eu:2024/1760`` |
| ``Directive 2013/34/EU``, ``Regulation (EC) No 1907/2006`` (pre-2015 numbering) | ``celex:32013L0034``, ``celex:32006R1907`` |
| ``COM(2025) 81``, ``COM(2025)81``, ``COM/2025/81``, CELEX ``52025PC0081`` | ``com:2025:81`` |
| ``2022/0051(COD)`` | ``proc:2022/0051(COD)`` |
| ``Prop. 57 L (2023–2024)`` | ``prop:57L:2023-2024`` |
| ``NOU 2023: 15`` | ``nou:2023:15`` |
| ``Meld. St. 22 (2024–2025)`` | ``meldst:22:2024-2025`` |
| ``Innst. 463 S (2024–2025)`` | ``innst:463S:2024-2025`` |
| ``åpenhetsloven § 4`` | ``law:apenhetsloven§4`` |

Bare ``yyyy/nnnn`` numbers are never taken for acts (Norwegian case numbers,
sessions like 2024/25); an act number needs ``(EU)``/``(EC)``/``(EF)`` or a type
word in front of it.

`expand(key)` gives the keys that denote the same thing: since 2015 every act in
the OJ L series has one number sequence, so ``celex:32024L1760`` and
``eu:2024/1760`` are the same act, and a proposal's CELEX ``52025PC0081`` is
``com:2025:81``.
"""

from __future__ import annotations

import re
import unicodedata

#: words that say what kind of EU act follows (English and Norwegian, with inflections)
_TYPE_WORDS: tuple[tuple[str, str], ...] = (
    (r"delegated\s+regulations?|implementing\s+regulations?|regulations?", "R"),
    (r"(?:delegerte?\s+)?[a-zæøå]*forordning(?:en|er|ene)?", "R"),
    (r"(?:delegated\s+|implementing\s+)?directives?", "L"),
    (r"[a-zæøå]*direktiv(?:et|er|ene)?", "L"),
    (r"(?:delegated\s+|implementing\s+)?decisions?", "D"),
    (r"[a-zæøå]*beslutning(?:en|er)?", "D"),
)  # fmt: skip
_TYPE_ALT = "|".join(f"(?P<t{i}>{pattern})" for i, (pattern, _) in enumerate(_TYPE_WORDS))

_ORIGIN = r"\((?:EU|EC|EF|EEC|EØF|EU,\s*Euratom|Euratom)\)"
_NO = r"(?:No\.?|nr\.?|Nr\.?)"
# one act number: "(EU) 2024/1760", "(EU) No 995/2010", "2013/34/EU", "2024/1760"
_ACT_NUMBER = (
    rf"(?:{_ORIGIN}\s*(?:{_NO}\s*)?)?"
    r"(?P<a>\d{2,4})/(?P<b>\d{1,4})(?:/(?P<suffix>EU|EC|EF|EEC|EØF|EF|Euratom))?(?![\d/])"
)
_ACT_NUMBER_RE = re.compile(_ACT_NUMBER)
_ACT_NUMBER_ANON = re.sub(r"\(\?P<\w+>", "(?:", _ACT_NUMBER)
_LIST_SEP = r"(?:\s*,\s*|\s+(?:and|og|or|eller|&)\s+|\s*,\s*(?:and|og)\s+)"
_TYPED = re.compile(
    rf"(?<![\w-])(?:{_TYPE_ALT})\s+(?P<list>{_ACT_NUMBER_ANON}(?:{_LIST_SEP}{_ACT_NUMBER_ANON})*)",
    re.IGNORECASE,
)
# "(EU) 2024/1760" with no type word (the typed form is found first and wins)
_UNTYPED = re.compile(rf"{_ORIGIN}\s*(?:{_NO}\s*)?(?P<a>\d{{1,4}})/(?P<b>\d{{1,4}})(?![\d/])")

_CELEX = re.compile(
    r"(?<![A-Za-z0-9])(?P<sector>[0-9CE])(?P<year>(?:19|20)\d{2})(?P<type>[A-Z]{1,2})(?P<num>\d{4})"
    r"(?:\((?P<sub>\d{2})\))?(?:-(?P<date>\d{8}))?(?![0-9])"
)
_ELI = re.compile(r"eli/(?P<type>dir|reg|dec|reg_del|reg_impl|dir_del|dir_impl|dec_impl|dec_del)/(?P<year>\d{4})/(?P<num>\d{1,4})(?!\d)", re.I)
_EEA_DECISION = re.compile(r"EØS-komiteens|EEA\s+Joint\s+Committee|EØS-komitébeslutning", re.I)
_ELI_TYPE = {"dir": "L", "reg": "R", "dec": "D"}
_COM = re.compile(r"\bCOM\s*(?:\(\s*(?P<y1>\d{4})\s*\)|/\s*(?P<y2>\d{4})\s*/)\s*(?P<n>\d{1,4})(?!\d)", re.I)
_PROC = re.compile(r"(?<![\d/])(?P<y>\d{4})/(?P<n>\d{4})\s*\(\s*(?P<t>COD|CNS|APP|NLE|INI|BUD|DEC|INL|RSP|RSO|ACI|DEA|RPS|IMM|SYN|AVC|COS|REG|DCE|INS)\s*\)", re.I)
_DASH = r"\s*[-–—‐‑/]\s*"
_SESSION = rf"\(\s*(?P<s1>\d{{4}}){_DASH}(?P<s2>\d{{2}}|\d{{4}})\s*\)"
_PROP = re.compile(rf"\bProp\.?\s*(?P<n>\d{{1,4}})\s*(?P<suffix>LS|L|S)\b\s*{_SESSION}")
_MELDST = re.compile(rf"\b(?:Meld\.?\s*St\.?|St\.?\s*meld\.?)\s*(?:nr\.?\s*)?(?P<n>\d{{1,3}})\s*{_SESSION}", re.I)
_INNST = re.compile(rf"\bInnst\.?\s*(?P<n>\d{{1,4}})\s*(?P<suffix>LS|L|S|O)\b\s*{_SESSION}")
_NOU = re.compile(r"\bNOU\s*(?P<y>(?:19|20)\d{2})\s*:\s*(?P<n>\d{1,3})(?!\d)")
_LAW = re.compile(r"\b(?P<name>[a-zæøå][a-zæøå-]{2,}?(?:loven|lova|lov))\s*§\s*(?P<sec>\d{1,3}(?:\s*-\s*\d{1,3})?\s?[a-z]?)\b", re.I)
# the section first: "§ 4 i åpenhetsloven"
_LAW_REV = re.compile(r"§\s*(?P<sec>\d{1,3}(?:\s*-\s*\d{1,3})?\s?[a-z]?)\s+(?:i|in|of)\s+(?P<name>[a-zæøå][a-zæøå-]{2,}?(?:loven|lova))\b", re.I)


def _type_letter(match: re.Match) -> str:
    for i, (_, letter) in enumerate(_TYPE_WORDS):
        if match.group(f"t{i}"):
            return letter
    raise AssertionError("no type group matched")


def _year4(value: str) -> int | None:
    if len(value) == 4:
        year = int(value)
    elif len(value) == 2:
        year = int(value) + (1900 if int(value) >= 50 else 2000)
    else:
        return None
    return year if 1950 <= year <= 2100 else None


def celex(year: int, letter: str, number: int, sector: int = 3) -> str:
    """``celex(2024, "L", 1760)`` → ``"32024L1760"``."""
    return f"{sector}{year:04d}{letter}{number:04d}"


def _act_key(a: str, b: str, suffix: str | None, letter: str | None, old_style: bool) -> str | None:
    """Key of one act number.

    ``2013/34/EU`` (suffix) and ``(EU) 2024/1760`` are year/number; ``(EC) No 1907/2006``
    (`old_style`: "No"/"nr." in front) and ``995/2010`` are number/year.
    """
    x, y = int(a), int(b)
    if suffix:
        year, number = _year4(a), y
    elif not old_style and len(a) == 4 and 1950 <= x <= 2100:
        year, number = x, y
    elif len(b) == 4 and 1950 <= y <= 2100:
        year, number = y, x
    else:
        return None
    if year is None or number == 0:
        return None
    if letter:
        return "celex:" + celex(year, letter, number)
    return f"eu:{year}/{number}"


def _ascii(name: str) -> str:
    table = str.maketrans({"å": "a", "ø": "o", "æ": "ae", "Å": "a", "Ø": "o", "Æ": "ae"})
    folded = unicodedata.normalize("NFKC", name).translate(table).lower()
    return re.sub(r"[^a-z0-9]", "", folded)


def _session(m: re.Match) -> str | None:
    start = int(m.group("s1"))
    end = _year4(m.group("s2")) if len(m.group("s2")) == 4 else (start // 100) * 100 + int(m.group("s2"))
    if end is None or end != start + 1:
        return None
    return f"{start}-{end}"


def extract(text: str | None) -> list[str]:
    """Normalised reference keys found in `text`, in order of first appearance, without repeats."""
    if not text:
        return []
    found: list[tuple[int, str]] = []
    taken: list[tuple[int, int]] = []

    def add(pos: int, key: str | None, span: tuple[int, int] | None = None) -> None:
        if key:
            found.append((pos, key))
            if span:
                taken.append(span)

    for m in _TYPED.finditer(text):
        if _EEA_DECISION.search(text[max(0, m.start() - 40):m.start() + 12]):
            continue  # an EEA Joint Committee decision is not an EU act
        letter = _type_letter(m)
        start = m.start("list")
        for act in _ACT_NUMBER_RE.finditer(m.group("list")):
            old_style = bool(re.search(_NO, act.group(0)))
            add(start + act.start(), _act_key(act.group("a"), act.group("b"), act.group("suffix"), letter, old_style),
                (start + act.start(), start + act.end()))
    for m in _UNTYPED.finditer(text):
        if any(s <= m.start() < e for s, e in taken):
            continue
        add(m.start(), _act_key(m.group("a"), m.group("b"), None, None, bool(re.search(_NO, m.group(0)))))
    for m in _CELEX.finditer(text):
        add(m.start(), celex_key(m.group(0)))
    for m in _ELI.finditer(text):
        letter = _ELI_TYPE.get(m.group("type").lower().split("_")[0])
        if letter:
            add(m.start(), "celex:" + celex(int(m.group("year")), letter, int(m.group("num"))))
    for m in _COM.finditer(text):
        add(m.start(), f"com:{m.group('y1') or m.group('y2')}:{int(m.group('n'))}")
    for m in _PROC.finditer(text):
        add(m.start(), f"proc:{m.group('y')}/{m.group('n')}({m.group('t').upper()})")
    for m in _PROP.finditer(text):
        if session := _session(m):
            add(m.start(), f"prop:{int(m.group('n'))}{m.group('suffix')}:{session}")
    for m in _MELDST.finditer(text):
        if session := _session(m):
            add(m.start(), f"meldst:{int(m.group('n'))}:{session}")
    for m in _INNST.finditer(text):
        if session := _session(m):
            add(m.start(), f"innst:{int(m.group('n'))}{m.group('suffix')}:{session}")
    for m in _NOU.finditer(text):
        add(m.start(), f"nou:{m.group('y')}:{int(m.group('n'))}")
    for pattern in (_LAW, _LAW_REV):
        for m in pattern.finditer(text):
            section = re.sub(r"\s+", "", m.group("sec")).lower()
            add(m.start(), f"law:{_ascii(m.group('name'))}§{section}")
    found.sort(key=lambda pair: pair[0])
    return list(dict.fromkeys(key for _, key in found))


def celex_key(value: str) -> str | None:
    """Key of a CELEX number; a consolidated version (``02022L2464-20250417``) is its base act,
    a Commission proposal (``52025PC0081``) its COM number."""
    m = _CELEX.fullmatch(value.strip().removeprefix("CELEX:").removeprefix("celex:"))
    if not m:
        return None
    sector, year, kind, num = m.group("sector"), m.group("year"), m.group("type"), m.group("num")
    if sector == "5" and kind == "PC":
        return f"com:{year}:{int(num)}"
    if sector == "0":  # consolidated text of a legislative act
        sector = "3"
    sub = f"({m.group('sub')})" if m.group("sub") else ""
    return f"celex:{sector}{year}{kind}{num}{sub}"


def expand(key: str) -> set[str]:
    """All keys that denote the same thing as `key` (itself included)."""
    keys = {key}
    if m := re.fullmatch(r"celex:3(\d{4})([LRD])(\d{4})", key):
        year = int(m.group(1))
        if year >= 2015:
            keys.add(f"eu:{year}/{int(m.group(3))}")
    elif m := re.fullmatch(r"celex:5(\d{4})PC(\d{4})", key):
        keys.add(f"com:{m.group(1)}:{int(m.group(2))}")
    return keys


def normalise(reference: str) -> str | None:
    """The key of one reference given on its own (watchlist fields): the first key found in it."""
    if key := celex_key(reference):
        return key
    keys = extract(reference)
    return keys[0] if keys else None


def label(key: str) -> str:
    """A human form of a key: ``celex:32024L1760`` → ``CELEX 32024L1760``, ``com:2025:81`` → ``COM(2025) 81``."""
    kind, _, rest = key.partition(":")
    if kind == "celex":
        return f"CELEX {rest}"
    if kind == "com":
        year, number = rest.split(":")
        return f"COM({year}) {number}"
    if kind == "eu":
        return f"(EU) {rest}"
    if kind == "proc":
        return rest
    if kind in ("prop", "innst"):
        number, session = rest.split(":")
        digits = re.match(r"\d+", number).group(0)
        return f"{'Prop.' if kind == 'prop' else 'Innst.'} {digits} {number[len(digits):]} ({session.replace('-', '–')})"
    if kind == "meldst":
        number, session = rest.split(":")
        return f"Meld. St. {number} ({session.replace('-', '–')})"
    if kind == "nou":
        year, number = rest.split(":")
        return f"NOU {year}: {number}"
    if kind == "law":
        name, _, section = rest.partition("§")
        return f"{name} § {section}"
    return key
