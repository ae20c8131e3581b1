"""Label codes and their display names (docs/labelling.md): codes are for files and filters,
names are what people read.

`parse_label` accepts the spellings people use ("åpenhetsloven", "aapenhetsloven",
"Kap. IV", "kap iv", "IV", "oecd-iv", "SPU", "oljefondet", …) and raises ValueError listing the
valid values for anything else.
"""

from __future__ import annotations

import re
import unicodedata

_ROMAN = ("ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi")
_CHAPTERS_NB = {
    "ii": "Generelle prinsipper", "iii": "Offentliggjøring", "iv": "Menneskerettigheter",
    "v": "Arbeidsliv", "vi": "Miljø", "vii": "Korrupsjon", "viii": "Forbrukerinteresser",
    "ix": "Vitenskap, teknologi og innovasjon", "x": "Konkurranse", "xi": "Beskatning",
}  # fmt: skip
_CHAPTERS_EN = {
    "ii": "General policies", "iii": "Disclosure", "iv": "Human rights", "v": "Employment and industrial relations",
    "vi": "Environment", "vii": "Combating bribery", "viii": "Consumer interests",
    "ix": "Science, technology and innovation", "x": "Competition", "xi": "Taxation",
}  # fmt: skip

#: code → {"nb": name, "en": name}
LABEL_NAMES: dict[str, dict[str, str]] = {
    **{f"oecd-{r}": {"nb": f"Kap. {r.upper()} {_CHAPTERS_NB[r]}", "en": f"Ch. {r.upper()} {_CHAPTERS_EN[r]}"}
       for r in _ROMAN},
    "apenhetsloven": {"nb": "Åpenhetsloven", "en": "Transparency Act"},
    "gpfg": {"nb": "Statens pensjonsfond utland", "en": "Government Pension Fund Global"},
}

_ALIASES = {
    "apenhetsloven": "apenhetsloven", "aapenhetsloven": "apenhetsloven", "transparencyact": "apenhetsloven",
    "transparency": "apenhetsloven", "gpfg": "gpfg", "spu": "gpfg", "oljefondet": "gpfg",
    "statenspensjonsfondutland": "gpfg", "governmentpensionfundglobal": "gpfg", "pensjonsfondet": "gpfg",
}  # fmt: skip


def _key(text: str) -> str:
    text = text.strip().casefold().replace("å", "a").replace("æ", "ae").replace("ø", "o")
    text = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in text if ch.isalnum())


def parse_label(text: str) -> str:
    """The label code for any usual spelling of a label; ValueError (listing the codes) otherwise."""
    raw = str(text or "")
    key = _key(raw)
    if key in _ALIASES:
        return _ALIASES[key]
    for code, names in LABEL_NAMES.items():
        if key in (_key(code), _key(names["nb"]), _key(names["en"])):
            return code
    roman = re.fullmatch(r"(?:oecd|kap|kapittel|ch|chapter)?([ivx]+)", key)
    if roman and roman.group(1) in _ROMAN:
        return f"oecd-{roman.group(1)}"
    valid = ", ".join(f"{code} ({names['nb']})" for code, names in LABEL_NAMES.items())
    raise ValueError(f"unknown label {raw!r} (valid: {valid})")


def label_name(code: str, lang: str = "nb") -> str:
    """The display name of a code (an unknown code is returned as it is)."""
    names = LABEL_NAMES.get(code)
    return names.get(lang, names["nb"]) if names else code
