"""What the spiders and the tracker's health both know of health notes — the HTTP statuses a site
blocks with, the shape of a tally of causes (imports nothing heavy: tracker.store.health uses it,
and the web and `--help` import that)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

#: the HTTP statuses a site blocks with (crawlers.spiders.base.TrackerSpider.is_blocked; the
#: tracker's health tells them from a challenge page answered 200)
BLOCKING_STATUSES = (401, 403, 429, 503)


def tally(counts: Iterable[tuple[str, int]]) -> str:
    """Causes with how often each happened, as a health reason names them, most first: one cause
    alone ("HTTP 403"), several with their counts ("HTTP 500 ×4, challenge page ×3").
    tracker.vocabulary reads this shape (`causes`)."""
    ordered = sorted(counts, key=lambda cause: (-cause[1], cause[0]))
    return ", ".join(cause if len(ordered) == 1 else f"{cause} ×{n}" for cause, n in ordered)


#: how many pages a health note names before it counts the rest ("… and 4 more")
PAGES_NAMED = 3
#: the stats key of the pages a crawl found blocked (their titles, else URLs), beside the count
#: `tracker/detail_blocked`: health names the first few of them
BLOCKED_PAGES_STAT = "tracker/detail_blocked_pages"
#: the note of a detail page refused (crawlers.spiders.base: `detail_usable`, after "{what} "): the
#: count of blocked pages that tracker.store.health writes says it, so health leaves it out
DETAIL_BLOCKED = "blocked (HTTP 403/429/challenge): fields kept from the listing and earlier runs"
#: the notes of pages refused that say what was not updated instead of "fields kept" (the spider's
#: note → the noun of its pages and what their block left out): health writes each such note once,
#: with how many pages and the first few named ("2 answer lists blocked (403/challenge), answers not
#: updated: «A», «B»"), in place of the note and of the count of "detail pages" beside it
ANSWER_LISTS_BLOCKED = "answer lists blocked (HTTP 403/429/challenge): answers not updated"
OEIL_BLOCKED = "OEIL procedure files blocked (HTTP 403/429/challenge): stage not updated"
BLOCKED_KINDS: dict[str, tuple[str, str]] = {
    ANSWER_LISTS_BLOCKED: ("answer list", "answers not updated"),
    OEIL_BLOCKED: ("OEIL procedure file", "stage not updated"),
}
#: the shape `first_few` writes, for the tracker to read it back in the reader's language
FIRST_FEW = re.compile(r"(?P<names>.+) and (?P<more>\d+) more")


def first_few(names: Sequence[str], total: int | None = None, shown: int = PAGES_NAMED) -> str:
    """The first `shown` of `names` and how many more there are, on one line: "a, b, c and 4 more"
    (`total` when more happened than were named; default: as many as `names`). One shape for every
    note naming pages (tracker.vocabulary translates the "and N more")."""
    distinct = list(dict.fromkeys(names))
    named = distinct[:shown]
    more = max((len(distinct) if total is None else total) - len(named), 0)
    return ", ".join(named) + (f" and {more} more" if more else "")


def page_name(title: str | None, url: str | None = None, width: int = 60) -> str:
    """A page as a health note names it: its title in «», cut to `width` characters and on one line
    (no "; ", which separates a reason's parts), else its URL."""
    text = " ".join(str(title or "").split()).replace("; ", ", ")
    if not text:
        return str(url or "?")
    if len(text) > width:  # cut at a word's end
        cut = text[: width - 1]
        text = (cut.rsplit(" ", 1)[0] if " " in cut else cut).rstrip(" ,.:–-") + "…"
    return f"«{text}»"
