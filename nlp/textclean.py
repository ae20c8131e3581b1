"""Clean-up of field text for matching, with evidence offsets that still point into the original.

1. ``clean``: HTML tags, entities and control characters become spaces of the same length; a
   list of consultees (a "Høringsinstanser" / "Høyringsinstansar" section) is blanked too, so it
   never counts as evidence. Length-preserving.
2. ``normalize``: NFC (a decomposed "å" becomes one character); soft hyphens, zero-width and
   bidi control characters are removed. Returns a :class:`SpanMap` back to the input offsets.
3. ``repair``: mojibake (``Ã¥``) is fixed with ftfy; an :class:`OffsetMap` maps back.

The stored text is never changed: only the text that is matched.
"""

from __future__ import annotations

import bisect
import difflib
import re
import unicodedata
from typing import Any

#: characters of title / summary / text that go through the spaCy pipelines; longer text is
#: still scanned for register instruments in full (see nlp.tagger), and a log line says so.
MAX_CHARS = {"title": 2_000, "summary": 10_000, "text": 100_000}

_TAG = re.compile(r"<[^<>]{0,300}>|&(?:[a-zA-Z]{2,8}|#\d{1,6}|#x[0-9a-fA-F]{1,6});")
_CTRL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
_MOJIBAKE = re.compile(r"[ÃÂâ][\x80-\xbf¤¥¦§¨©ª«¬®¯°±²³´µ¶·¸¹º»¼½¾¿€™œžŸ]")
_INVISIBLE = "\u00ad\u200b\u200c\u200d\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff"
_COMBINING = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
_SPECIAL = re.compile(f"[{_INVISIBLE}]|.[{_COMBINING}]+", re.DOTALL)
_ANY_FIX = re.compile(f"[{_INVISIBLE}{_COMBINING}]|" + _MOJIBAKE.pattern)
_CONSULTEES = re.compile(
    r"(?im)^[ \t#*]*(?:høringsinstanser|høyringsinstansar|hoeringsinstanser|høringsliste|"
    r"høyringsliste|adresseliste|liste over høringsinstanser)\b[^\n]*$")
_PROSE_WORDS = 12


def _blank(m: re.Match[str]) -> str:
    return " " * len(m.group(0))


def blank_consultees(text: str) -> str:
    """Blank a consultee list: its heading line and the following short lines (names of bodies),
    up to the first line of prose (more than 12 words). Length-preserving."""
    low = text.lower()
    if "instans" not in low and "liste" not in low:
        return text
    out = text
    for m in list(_CONSULTEES.finditer(text)):
        end = m.end()
        pos = end
        while pos < len(text):
            nl = text.find("\n", pos + 1)
            line_end = len(text) if nl < 0 else nl
            line = text[pos:line_end]
            if len(line.split()) > _PROSE_WORDS:
                break
            end = line_end
            pos = line_end
            if nl < 0:
                break
        out = out[: m.start()] + re.sub(r"[^\n]", " ", out[m.start():end]) + out[end:]
    return out


def clean(text: object, field: str) -> str:
    """Return the cleaned text; same length as the original (no cap: see ``MAX_CHARS``)."""
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    text = _CTRL.sub(" ", text)
    text = _TAG.sub(_blank, text)
    if field == "text":
        text = blank_consultees(text)
    return text


class SpanMap:
    """Maps spans of a normalized text back to the text it was made from (piecewise blocks)."""

    def __init__(self, blocks: list[tuple[int, int, int, int]], out_len: int, in_len: int) -> None:
        self.blocks = blocks  # (out_start, in_start, out_len, in_len); identity when lens equal
        self.starts = [b[0] for b in blocks]
        self.out_len, self.in_len = out_len, in_len

    def _block(self, p: int) -> tuple[int, int, int, int] | None:
        i = bisect.bisect_right(self.starts, p) - 1
        return self.blocks[i] if i >= 0 else None

    def span(self, s: int, e: int) -> tuple[int, int]:
        if s >= self.out_len:
            return self.in_len, self.in_len
        b = self._block(s)
        assert b is not None
        os_, is_, ol, il = b
        start = is_ + (s - os_) if ol == il else is_
        b = self._block(max(e - 1, s))
        assert b is not None
        os_, is_, ol, il = b
        end = is_ + (max(e - 1, s) - os_) + 1 if ol == il else is_ + il
        return start, max(start, end)


def normalize(text: str) -> tuple[str, SpanMap | None]:
    """NFC + removal of soft hyphens, zero-width and bidi characters; (text, map or None)."""
    if not _SPECIAL.search(text):
        return text, None
    parts: list[str] = []
    blocks: list[tuple[int, int, int, int]] = []
    out = last = 0
    for m in _SPECIAL.finditer(text):
        if m.start() > last:
            n = m.start() - last
            parts.append(text[last:m.start()])
            blocks.append((out, last, n, n))
            out += n
        seg = m.group(0)
        if len(seg) > 1 or seg not in INVISIBLE_CHARACTERS:
            seg = "".join(c for c in seg if c not in INVISIBLE_CHARACTERS)
            norm = unicodedata.normalize("NFC", seg)
            if norm:
                parts.append(norm)
                blocks.append((out, m.start(), len(norm), m.end() - m.start())
                              if len(norm) != m.end() - m.start()
                              else (out, m.start(), len(norm), len(norm)))
                out += len(norm)
        last = m.end()
    if last < len(text):
        n = len(text) - last
        parts.append(text[last:])
        blocks.append((out, last, n, n))
        out += n
    return "".join(parts), SpanMap(blocks, out, len(text))


#: the characters `normalize` removes (soft hyphen, zero-width, bidi controls, BOM); the search
#: index reads words through them too (tracker.store.textindex)
INVISIBLE_CHARACTERS = frozenset({
    chr(c) for c in [0xAD, 0x200B, 0x200C, 0x200D, 0x200E, 0x200F, *range(0x202A, 0x202F),
                     *range(0x2060, 0x2065), *range(0x2066, 0x206A), 0xFEFF]})


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

    def span(self, s: int, e: int) -> tuple[int, int]:
        return self(s), self(e)


class ChainMap:
    """Applies span maps in order (innermost text first)."""

    def __init__(self, *maps: Any) -> None:
        self.maps = [m for m in maps if m is not None]

    def span(self, s: int, e: int) -> tuple[int, int]:
        for m in self.maps:
            s, e = m.span(s, e)
        return s, e


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


#: one character class (a fast scan) for every character that clean, normalize or repair could
#: act on: control characters, tags and entities, invisible and combining characters, the first
#: character of mojibake; a text without any needs none of them (the common case)
_ANY_WORK = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff<&ÃÂâ{_INVISIBLE}{_COMBINING}]")


def prepare(raw: object, field: str) -> tuple[str, ChainMap | None]:
    """clean -> normalize -> repair: (text for matching, map back to ``raw`` or None)."""
    if isinstance(raw, str) and not _ANY_WORK.search(raw):  # nothing to clean or map
        return (blank_consultees(raw) if field == "text" else raw), None
    cleaned = clean(raw, field)
    if not cleaned or not _ANY_FIX.search(cleaned):
        return cleaned, None  # nothing to normalize or repair (the common case)
    normed, nmap = normalize(cleaned)
    fixed, rmap = repair(normed)
    if nmap is None and rmap is None:
        return fixed, None
    return fixed, ChainMap(rmap, nmap)
