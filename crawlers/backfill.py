"""Backfill spiders: a source's history, one unit (a Storting session, …) per crawl.

Each class here is a source's own spider with the same `name` (so its items, health and crawl
report belong to that source), changed in two ways only:

- it crawls one *unit* of history, given as the spider argument ``unit`` (``units(since, today)``
  lists them, newest first), instead of what the source shows today;
- it never declares its listing complete: a page of history must not mark today's open items as
  vanished.

They live outside ``crawlers/spiders`` so the spider loader (and a daily run) never lists them;
`ncp-tracker backfill` (tracker/jobs/backfill.py) passes them to the crawl runner explicitly
(``process.crawl(StortingetSessionHearings, unit="2019-2020")`` works in plain Scrapy too).

Sources without a backfill spider (yet), and why:

- ``no_regjeringen_horinger``: the hearings listing pages (newest first, ~7,000 hearings) and the
  sitemap are being added to crawlers/regjeringen.py in parallel; a backfill spider belongs on top
  of that channel.
- ``eu_haveyoursay``: its spider is being changed in parallel.
- ``eu_cellar``: the daily SPARQL query of each watched act has no date limit — it already
  returns the act's history (amendments, corrigenda, consolidations) since adoption.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import date
from typing import Any, ClassVar

import scrapy

from crawlers.spiders.no_stortinget_horinger import NoStortingetHoringerSpider, session_for

_SESSION = re.compile(r"^(\d{4})-(\d{4})$")


class BackfillMixin:
    """What every backfill spider shares: the ``unit`` argument and a listing never complete."""

    #: never part of a scheduled run
    scheduled: ClassVar[bool] = False
    #: what one unit of history is, for people ("session", "year", …)
    unit_name: ClassVar[str] = "unit"

    def set_listing(self, *, complete: bool, since: str | None = None, channel: str | None = None) -> None:
        super().set_listing(complete=False, since=since, channel=channel)  # type: ignore[misc]

    @classmethod
    def units(cls, since: int, today: date) -> list[str]:  # pragma: no cover - abstract
        raise NotImplementedError


class StortingetSessionHearings(BackfillMixin, NoStortingetHoringerSpider):
    """Committee hearings of one past session: ``eksport/horinger?sesjonid=UNIT`` and the
    hearing programmes it needs (the source's fallback, ``eksport/saker``, when that fails).
    The session list itself (``eksport/sesjoner``) is not needed: sessions start on 1 October."""

    unit_name = "session"

    def __init__(self, *args: Any, unit: str | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        match = _SESSION.match(unit or "")
        if not match or int(match.group(2)) != int(match.group(1)) + 1:
            raise ValueError(f"unit must be a Storting session like 2019-2020, got {unit!r}")
        self.unit = unit

    async def start(self) -> AsyncIterator[scrapy.Request]:
        yield self._hearings_request(self.unit)

    def report_args(self) -> dict[str, Any]:
        return {**super().report_args(), "unit": self.unit}

    @classmethod
    def units(cls, since: int, today: date) -> list[str]:
        """Every session that has a day in year `since` or later, up to today's, newest first."""
        current = int(session_for(today)[:4])
        return [f"{y}-{y + 1}" for y in range(current, since - 2, -1)]


#: source name → its backfill spider
BACKFILL_SPIDERS: dict[str, type] = {
    StortingetSessionHearings.name: StortingetSessionHearings,
}
