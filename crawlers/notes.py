"""What the spiders and the tracker's health both know of health notes — the HTTP statuses a site
blocks with, the shape of a tally of causes (imports nothing heavy: tracker.store.health uses it,
and the web and `--help` import that)."""

from __future__ import annotations

from collections.abc import Iterable

#: the HTTP statuses a site blocks with (crawlers.spiders.base.TrackerSpider.is_blocked; the
#: tracker's health tells them from a challenge page answered 200)
BLOCKING_STATUSES = (401, 403, 429, 503)


def tally(counts: Iterable[tuple[str, int]]) -> str:
    """Causes with how often each happened, as a health reason names them, most first: one cause
    alone ("HTTP 403"), several with their counts ("HTTP 500 ×4, challenge page ×3").
    tracker.vocabulary reads this shape (`causes`)."""
    ordered = sorted(counts, key=lambda cause: (-cause[1], cause[0]))
    return ", ".join(cause if len(ordered) == 1 else f"{cause} ×{n}" for cause, n in ordered)
