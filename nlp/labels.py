"""Label codes, their display names (nb, en) and a forgiving parser for what people type.

Pure Python, no spaCy::

    from nlp.labels import LABEL_NAMES, parse_label
    parse_label("Kap. IV")        # -> "oecd-iv"
    parse_label("aapenhetsloven") # -> "apenhetsloven"
"""

from __future__ import annotations

import re
import unicodedata

LABELS = (
    "oecd-ii", "oecd-iii", "oecd-iv", "oecd-v", "oecd-vi", "oecd-vii", "oecd-viii", "oecd-ix",
    "oecd-x", "oecd-xi", "apenhetsloven", "gpfg",
)  # fmt: skip

#: Norwegian (Bokmål) names from docs/labelling.md: show these to people.
LABEL_NAMES = {
    "oecd-ii": "Kap. II Generelle prinsipper",
    "oecd-iii": "Kap. III Offentliggjøring",
    "oecd-iv": "Kap. IV Menneskerettigheter",
    "oecd-v": "Kap. V Arbeidsliv",
    "oecd-vi": "Kap. VI Miljø",
    "oecd-vii": "Kap. VII Korrupsjon",
    "oecd-viii": "Kap. VIII Forbrukerinteresser",
    "oecd-ix": "Kap. IX Vitenskap, teknologi og innovasjon",
    "oecd-x": "Kap. X Konkurranse",
    "oecd-xi": "Kap. XI Beskatning",
    "apenhetsloven": "Åpenhetsloven",
    "gpfg": "Statens pensjonsfond utland",
}

LABEL_NAMES_EN = {
    "oecd-ii": "Ch. II General Policies",
    "oecd-iii": "Ch. III Disclosure",
    "oecd-iv": "Ch. IV Human Rights",
    "oecd-v": "Ch. V Employment and Industrial Relations",
    "oecd-vi": "Ch. VI Environment",
    "oecd-vii": "Ch. VII Combating Bribery and Other Forms of Corruption",
    "oecd-viii": "Ch. VIII Consumer Interests",
    "oecd-ix": "Ch. IX Science, Technology and Innovation",
    "oecd-x": "Ch. X Competition",
    "oecd-xi": "Ch. XI Taxation",
    "apenhetsloven": "Transparency Act (åpenhetsloven)",
    "gpfg": "Government Pension Fund Global",
}

_ROMAN = ("ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi")
_ALIASES = {
    "apenhetsloven": "apenhetsloven", "åpenhetsloven": "apenhetsloven",
    "aapenhetsloven": "apenhetsloven", "apenhetslova": "apenhetsloven",
    "åpenhetslova": "apenhetsloven", "openheitslova": "apenhetsloven",
    "openheitslov": "apenhetsloven", "åpenhetslov": "apenhetsloven",
    "transparencyact": "apenhetsloven", "thetransparencyact": "apenhetsloven",
    "apl": "apenhetsloven",
    "gpfg": "gpfg", "spu": "gpfg", "oljefondet": "gpfg", "oljefond": "gpfg",
    "statenspensjonsfondutland": "gpfg", "governmentpensionfundglobal": "gpfg",
    "pensjonsfondet": "gpfg",
}
_NAME_KEYS: dict[str, str] = {}


def _key(text: str) -> str:
    t = unicodedata.normalize("NFC", text).strip().lower()
    return re.sub(r"[\s._:\-–()]+", "", t)


def parse_label(text: str) -> str:
    """Return the label code for any usual spelling: the code (``oecd-iv``), a chapter
    (``IV``, ``Kap. IV``, ``kap iv``, ``chapter 4``, ``Ch. IV``), a name (``Åpenhetsloven``,
    ``aapenhetsloven``, ``SPU``, ``oljefondet``, ``Kap. IV Menneskerettigheter``).
    Raises ValueError listing the valid values otherwise."""
    if not isinstance(text, str) or not text.strip():
        raise ValueError(_invalid(text))
    if not _NAME_KEYS:
        for code in LABELS:
            _NAME_KEYS[_key(LABEL_NAMES[code])] = code
            _NAME_KEYS[_key(LABEL_NAMES_EN[code])] = code
    k = _key(text)
    if k in _ALIASES:
        return _ALIASES[k]
    if k in _NAME_KEYS:
        return _NAME_KEYS[k]
    m = re.fullmatch(r"(?:oecd|kap(?:ittel)?|chapter|ch|kapittel)?([ivx]+|\d{1,2})([a-zæøå]*)", k)
    if m:
        num = m.group(1)
        if num.isdigit():
            n = int(num)
            num = _ROMAN[n - 2] if 2 <= n <= 11 else ""
        if num in _ROMAN:
            code = f"oecd-{num}"
            rest = m.group(2)
            if not rest or _key(LABEL_NAMES[code]).endswith(rest) or _key(
                    LABEL_NAMES_EN[code]).endswith(rest):
                return code
    raise ValueError(_invalid(text))


def _invalid(text: object) -> str:
    valid = ", ".join(f"{c} ({LABEL_NAMES[c]})" for c in LABELS)
    return f"unknown label {text!r}; valid labels: {valid}"
