"""links"""

from __future__ import annotations

#: the letters a case-insensitive regex takes for "i" that `str.casefold` does not give: the dotted
#: capital İ (folded to "i" and a combining dot) and the dotless ı (kept). No other character
#: differs so for the words of `might_match`'s callers (tests/test_gpfg.py checks every one)
FOLD_MISSES = ("İ", "ı")


def might_match(text: str, folded: str, words: tuple[str, ...]) -> bool:
    """Whether a case-insensitive regex, every match of which holds one of `words` (case-folded),
    can match `text` (`folded` is ``text.casefold()``): `in` on the folded text finds that far
    faster than the regex, which then decides. A text with a letter the fold misses goes to the
    regex too."""
    return any(w in folded for w in words) or FOLD_MISSES[0] in text or FOLD_MISSES[1] in text
