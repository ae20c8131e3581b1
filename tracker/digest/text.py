"""Text safety: every string that comes from a source is cleaned (`clean`: control characters,
bidi overrides, lone surrogates removed; whitespace collapsed; long strings cut) before it enters
the model, and escaped by the renderer for its format (Jinja2 autoescape for HTML, `md` for
Markdown, ElementTree for Atom, icalendar for ICS). Links are only ever http(s) URLs."""

from __future__ import annotations

import re
import unicodedata
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

TITLE_LIMIT = 300
SUMMARY_LIMIT = 400
SNIPPET_LIMIT = 200

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
#: bidi embeddings, overrides and isolates (U+202A–E, U+2066–9): they can reorder the text
#: around them ("Trojan source"); the plain marks U+200E/U+200F are kept
_BIDI = re.compile(r"[\u202a-\u202e\u2066-\u2069]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_SPACE = re.compile(r"\s+")


def clean(value: Any, limit: int | None = None) -> str:
    """A scraped value made safe to show on one line in any format (not yet escaped)."""
    if value is None:
        return ""
    text = str(value)
    text = _SURROGATE.sub("\ufffd", text)
    text = unicodedata.normalize("NFC", text)
    text = _BIDI.sub("", _CONTROL.sub(" ", text))
    text = _SPACE.sub(" ", text).strip()
    if limit and len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return text


def shorten(value: Any, limit: int) -> str:
    """`clean(value)` in at most `limit` characters for a terminal line: a longer text is cut after
    its last whole word that fits, and « …» says so (a space before it: whole words are left out,
    as Bokmål writes it); a dash or comma left at the end goes, and a first word longer than the
    line is cut inside it ("…" at once)."""
    text = clean(value)
    if len(text) <= limit:
        return text
    head = text[: limit - 1]  # the words that fit with " …" after them
    if " " not in head.strip():
        return text[: limit - 1] + "…"
    if text[limit - 1] != " ":
        head = head.rsplit(" ", 1)[0]
    return head.rstrip(" –—-,;:") + " …"


def edges(value: Any, limit: int) -> str:
    """Like `clean`, but a space at either end is kept (the text around an evidence span)."""
    raw = "" if value is None else str(value)
    text = clean(raw, limit)
    if text and raw[:1].isspace():
        text = " " + text
    if text and raw[-1:].isspace():
        text += " "
    return text


def safe_url(url: Any) -> str | None:
    """An http(s) URL fit for a link, or None (javascript:, data:, relative or broken URLs)."""
    text = clean(url)
    if not text or " " in text:
        return None
    try:
        parts = urlsplit(text)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return quote(text, safe=":/?#[]@!$&'()*+,;=%~-._")


def workbench_link(base: str, item_id: str | None = None, where: dict[str, str] | None = None) -> str | None:
    """The page of `item_id` in the workbench at `base` (`[web] public_url`, or the serving
    web's own address), its search with the filters `where`, or the workbench itself; None
    without a base."""
    if not base:
        return None
    base = base.rstrip("/")
    if item_id:
        return safe_url(f"{base}/item/{quote(item_id, safe=':')}")
    return safe_url(f"{base}/search?{urlencode(where)}" if where else base + "/")


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&#])")


def md(value: Any) -> str:
    """Escape cleaned text for Markdown (CommonMark backslash escapes; edge spaces kept)."""
    return _MD_SPECIAL.sub(r"\\\1", "" if value is None else str(value))
