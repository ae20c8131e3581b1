"""Length-preserving clean-up of field text, so evidence offsets stay valid in the original.

HTML tags, entities and control characters become spaces of the same length; very long fields are
capped (only the first ``MAX_CHARS[field]`` characters are tagged). Mojibake (``Ã¥``) is repaired
with ftfy for matching, and match offsets are mapped back to the original text.
"""

from __future__ import annotations

import difflib
import re

MAX_CHARS = {"title": 2_000, "summary": 10_000, "text": 50_000}

_TAG = re.compile(r"<[^<>]{0,300}>|&(?:[a-zA-Z]{2,8}|#\d{1,6}|#x[0-9a-fA-F]{1,6});")
_CTRL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufeff]")
_MOJIBAKE = re.compile(r"[ÃÂâ][\x80-\xbf¤¥¦§¨©ª«¬®¯°±²³´µ¶·¸¹º»¼½¾¿€™œžŸ]")


def _blank(m: re.Match[str]) -> str:
    return " " * len(m.group(0))


def clean(text: object, field: str) -> str:
    """Return the capped, cleaned text; same length as the capped original."""
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    text = text[: MAX_CHARS.get(field, MAX_CHARS["text"])]
    text = _CTRL.sub(" ", text)
    return _TAG.sub(_blank, text)


class OffsetMap:
    """Maps offsets in a repaired text back to the original text."""

    def __init__(self, original: str, repaired: str) -> None:
        self.identity = original == repaired
        self.blocks = []
        if not self.identity:
            sm = difflib.SequenceMatcher(None, repaired, original, autojunk=False)
            self.blocks = sm.get_opcodes()
        self.n = len(original)

    def __call__(self, pos: int) -> int:
        if self.identity:
            return pos
        for _tag, i1, i2, j1, j2 in self.blocks:
            if i1 <= pos < i2 or (pos == i2 and i1 < i2):
                if i2 - i1 == j2 - j1:
                    return j1 + (pos - i1)
                return j1 if pos == i1 else j2
        return self.n


def repair(text: str) -> tuple[str, OffsetMap | None]:
    """Fix mojibake if present; return (text for matching, offset map or None)."""
    if not _MOJIBAKE.search(text):
        return text, None
    try:
        import ftfy

        fixed = ftfy.fix_text(text, normalization=None)
    except Exception:  # noqa: BLE001 - a repair failure must never stop tagging
        return text, None
    if fixed == text:
        return text, None
    return fixed, OffsetMap(text, fixed)
