"""Stortinget: the Storting's cases on the Government Pension Fund (SPU/GPFG).

Channel: the open data API ``https://data.stortinget.no/eksport/saker?sesjonid=<id>&format=json``
(list key ``saker_liste``; docs/sources.md §2), read through the shared Stortinget client
(crawlers/stortinget.py, also used by ``no_stortinget_horinger``; it reads the XML form too),
for the current session and the
one before it (the spring white paper "Statens pensjonsfond <year>" is treated
before the summer, so in November it sits in the previous session). The
server ignores ``komite=`` filters, so cases are chosen **client-side**: a case
is kept when one of its topics (``emne_liste``) is about the fund, when its
title names the fund (Statens pensjonsfond, oljefondet, Etikkrådet, etiske
retningslinjer …), or when it belongs to the finance committee (``FINANS``) and
names Norges Bank or its supervisory council. ``extra.matched_by`` says which.

For every kept case that can still change, ``eksport/sak?sakid=<id>&format=json``
is fetched best effort for its saksgang: the first event date becomes
``published`` (the list gives only ``sist_oppdatert_dato``), the committee's
hearing deadline (``HOERFRIST``: whether to ask to speak or for written input is unverified; the
text calls it «Høringsfrist i saken») and hearing (``HOER``) go to ``extra``, and
publication references become ``documents``. The JSON shape of ``sak`` is
**unverified** beyond the field list in sources.md, so events are collected
from any ``saksgang_hendelse_liste`` wherever it sits.

Committee hearings themselves are the ``no_stortinget_horinger`` spider's
items; this spider does not duplicate them. The two are linked by the case's
``henvisning`` ("Meld. St. 22 (2024-2025), Innst. 463 S (2024-2025)"), kept in
``reference`` here and in the hearing's ``horing_sak_info.sak_henvisning``.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator
from typing import Any

import scrapy
from scrapy.http import Response

from crawlers import stortinget as api
from crawlers.dates import iso
from crawlers.spiders.base import TrackerSpider

CASE_URL = "https://www.stortinget.no/no/Saker-og-publikasjoner/Saker/Sak/?p={id}"

FUND_TOPIC = re.compile(r"pensjonsfond|oljefond|petroleumsfond", re.I)
FUND_TITLE = re.compile(
    r"statens\s+pensjonsfond|pensjonsfondet|oljefond|\bSPU\b|etikkråd|etiske\s+retningslinjer"
    r"|forvaltningen\s+av\s+(?:statens\s+)?pensjonsfond|Government\s+Pension\s+Fund",
    re.I,
)
FINANCE_COMMITTEE = "FINANS"
FINANCE_TITLE = re.compile(r"Norges\s+Bank|representantskap|handlingsregel", re.I)
#: case statuses after which a case no longer changes (no need to re-read its saksgang)
FINISHED = ("behandlet", "trukket", "bortfalt")
#: the saksgang dates the case's text names, as (extra key, the line's words). HOERFRIST is named
#: by what is known of it, "committee hearing deadline" (docs/sources.md §0): whether it is the
#: deadline to ask to speak or for written input is unverified (no_stortinget_horinger's fallback
#: reads it as the written-input deadline, as other public code does; in the demo's case 107131 it
#: is the hearing's written-input day, the deadline to ask to speak three days before), so neither
#: is claimed: «Høringsfrist i saken», as the digest and the horizon name it
CASE_DATE_LINES = (("hearing_deadline", "Høringsfrist i saken"), ("hearing", "Høring i komiteen"),
                   ("decided", "Vedtatt"))


def date_line(label: str, when: str) -> str:
    """One dated line of a case's text, its day as Norwegian text writes it: "Vedtatt: 04.11.2025"
    (`when`: the saksgang date as stored, an ISO date or instant in Oslo time)."""
    if not (m := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", when[:10])):
        return f"{label}: {when[:10]}"  # not a stored date: as it is
    year, month, day = m.groups()
    return f"{label}: {day}.{month}.{year}"


def session_ids(as_of_year: int, as_of_month: int) -> list[str]:
    """The current session (they start in October) and the one before it."""
    start = as_of_year if as_of_month >= 10 else as_of_year - 1
    return [f"{start}-{start + 1}", f"{start - 1}-{start}"]


class NoStortingetSpuSpider(TrackerSpider):
    name = "no_stortinget_spu"
    kind = "storting_case"
    channel = "api"
    allowed_domains = ["data.stortinget.no", "stortinget.no", "www.stortinget.no"]

    def __init__(self, *args: Any, sessions: str | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.sessions = [s.strip() for s in sessions.split(",")] if sessions else session_ids(self.today.year, self.today.month)
        self._sessions_ok: list[str] = []
        self._sessions_failed: list[tuple[str, str]] = []  # (session, why)
        self._seen: set[str] = set()

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for session in self.sessions:
            yield self.revalidate(api.cases_url(session), self.parse,
                                  cb_kwargs={"session": session}, errback=self.session_failed, dont_filter=True)

    # ------------------------------------------------------------------ list

    def parse(self, response: Response, session: str = "", **kwargs: Any) -> Iterator[Any]:
        """One session's case list, filtered to the fund."""
        if response.status == 304:
            self.count("list_not_modified")
            self._sessions_ok.append(session)
            return
        if refused := api.refused(response, blocked=self.is_blocked(response), error_from=400):
            # a status as before ("HTTP 503"); a web page served instead of the export named as one
            self._failed(session, f"HTTP {response.status}" if response.status >= 400 else refused)
            return
        root, error = api.read(response.body)
        if error:
            self._failed(session, f"unreadable: {error}")
            return
        if not api.has_list(root, "saker_liste"):
            self._failed(session, "no saker_liste in the answer")
            return
        cases = api.cases(root)
        for changed in api.drift(root.items("saker_liste"), api.CASE_VALUES, "eksport/saker"):
            self.note("amber", changed)  # a case's status or kind read from a changed export
        self._sessions_ok.append(session)
        self.count("cases_listed", len(cases))
        for case in cases:
            matched_by = self._parse_match(case)
            if not matched_by:
                continue
            item = self._item_from_case(case, session, matched_by)
            if item is None or item["native_id"] in self._seen:
                continue
            self._seen.add(item["native_id"])
            if (case.status or "").lower() in FINISHED and self.page_read_before(item["native_id"]):
                self.count("detail_skipped_finished")
                item["extra"] = {**item["extra"], "detail": "skipped"}  # read before; "pending" would say never
                yield item
                continue
            yield scrapy.Request(api.case_url(item["native_id"]), callback=self.parse_case,
                                 cb_kwargs={"item": item}, errback=self.case_failed, dont_filter=True)

    def session_failed(self, failure: Any) -> None:
        self._failed(failure.request.cb_kwargs.get("session", "?"), failure.type.__name__)

    def _failed(self, session: str, why: str) -> None:
        """One session's list failed: amber; every session's: red, naming them all (the red
        reason is the one health shows: "session 2025-2026 failed" alone read as if the current
        session had answered)."""
        self._sessions_failed.append((session, why))
        if len(self._sessions_failed) < len(self.sessions):
            self.note("amber", f"eksport/saker for session {session} failed ({why})")
        else:
            every = "; ".join(f"{s}: {w}" for s, w in self._sessions_failed)
            self.note("red", f"eksport/saker failed for every session ({every})")

    def _parse_match(self, case: api.Case) -> str | None:
        topics = " ".join(t.name or "" for t in case.topics)
        if FUND_TOPIC.search(topics):
            return "emne"
        title = f"{case.title or ''} {case.short_title or ''}"
        if FUND_TITLE.search(title):
            return "title"
        committee = case.committee.id if case.committee else None
        if committee == FINANCE_COMMITTEE and FINANCE_TITLE.search(title):
            return "komite"
        return None

    def _item_from_case(self, case: api.Case, session: str, matched_by: str) -> Any | None:
        title = case.title or case.short_title or ""
        if not case.id.isdigit() or not title:
            self.parse_error("case without id or title", f"saker {session}")
            return None
        committee = case.committee or api.Committee()
        short = case.short_title or ""
        return self.make_item(
            native_id=case.id,
            url=CASE_URL.format(id=case.id),
            title=title,
            summary=short if short and short != title else None,
            owner=committee.name,
            reference=case.reference,
            status_raw=case.status,
            language="nb",
            extra={
                "session": session, "matched_by": matched_by, "type": case.type,
                "dokumentgruppe": case.document_group, "committee_id": committee.id,
                "updated": iso(case.updated), "topics": [t.name for t in case.topics if t.name],
                "detail": "pending", "topic": "gpfg",
            },
        )

    # ------------------------------------------------------------------ case

    def parse_case(self, response: Response, item: Any) -> Iterator[Any]:
        """Saksgang dates and publications; a failed case page keeps the list's item."""
        if not self.detail_usable(response, item, "case pages"):  # blocked (counted, named), failed
            yield item
            return
        if refused := api.refused(response, blocked=False):  # a web page served with HTTP 200
            self.count("detail_failed")
            self.note("amber", f"eksport/sak {refused}; kept the list's fields")
            item["extra"] = {**item["extra"], "detail": "unreadable"}
            yield item
            return
        root, error = api.read(response.body)
        if error:
            self.parse_error(f"eksport/sak answer unreadable ({error})", response.url)
            item["extra"] = {**item["extra"], "detail": "unreadable"}
            yield item
            return
        detail = api.case_detail(root)
        events = [{"id": e.id, "dato": iso(e.at)} for e in detail.events]
        if not events:
            self.count("case_without_events")
        dates = [e["dato"] for e in events if e["dato"]]
        if dates:
            item["published"] = min(dates)
        extra = {"detail": "ok", "events": events}
        for event_id, key in (("HOERFRIST", "hearing_deadline"), ("HOER", "hearing"), ("VEDTAK", "decided")):
            if found := [e["dato"] for e in events if e["id"] == event_id and e["dato"]]:
                extra[key] = max(found)
        item["extra"] = {**item["extra"], **extra}
        if documents := [{"title": p.title, "url": p.url, "type": p.type} for p in detail.publications]:
            item["documents"] = documents
        item["body"] = self._summarise(item, extra, detail.decision)
        yield item

    def case_failed(self, failure: Any) -> Iterator[Any]:
        item = failure.request.cb_kwargs["item"]
        self.count("detail_failed")
        self.note("amber", f"some eksport/sak requests failed ({failure.type.__name__})")
        item["extra"] = {**item["extra"], "detail": f"error {failure.type.__name__}"}
        yield item

    @staticmethod
    def _summarise(item: Any, extra: dict[str, Any], decision: Any) -> str:
        """A readable state of the case, so a status change or a new hearing deadline is a change event."""
        lines = [f"Status: {(item.get('status_raw') or 'ukjent').replace('_', ' ')}"]
        if item.get("owner"):
            lines.append(f"Komité: {item['owner']}")
        for key, label in CASE_DATE_LINES:
            if extra.get(key):
                lines.append(date_line(label, extra[key]))
        if decision and str(decision).strip():
            lines.append(f"Vedtak: {' '.join(str(decision).split())}")
        return "\n".join(lines)
