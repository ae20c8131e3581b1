"""Stortinget: the Storting's cases on the Government Pension Fund (SPU/GPFG).

Channel: the open data API ``https://data.stortinget.no/eksport/saker?sesjonid=<id>&format=json``
(list key ``saker_liste``; docs/sources.md §2), for the current session and the
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
hearing deadline (``HOERFRIST``) and hearing (``HOER``) go to ``extra``, and
publication references become ``documents``. The JSON shape of ``sak`` is
**unverified** beyond the field list in sources.md, so events are collected
from any ``saksgang_hendelse_liste`` wherever it sits.

Committee hearings themselves are the ``no_stortinget_horinger`` spider's
items; this spider does not duplicate them. The two are linked by the case's
``henvisning`` ("Meld. St. 22 (2024-2025), Innst. 463 S (2024-2025)"), kept in
``reference`` here and in the hearing's ``horing_sak_info.sak_henvisning``.
"""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator, Iterator
from typing import Any

import scrapy
from scrapy.http import Response

from crawlers.dates import iso, parse_ms_date, parse_stortinget_datetime
from crawlers.spiders.base import TrackerSpider

API = "https://data.stortinget.no/eksport"
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
        self._sessions_failed: list[str] = []
        self._seen: set[str] = set()

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for session in self.sessions:
            yield self.revalidate(f"{API}/saker?sesjonid={session}&format=json", self.parse,
                                  cb_kwargs={"session": session}, errback=self.session_failed, dont_filter=True)

    # ------------------------------------------------------------------ list

    def parse(self, response: Response, session: str = "", **kwargs: Any) -> Iterator[Any]:
        """One session's case list, filtered to the fund."""
        if response.status == 304:
            self.count("list_not_modified")
            self._sessions_ok.append(session)
            return
        if response.status >= 400:
            self._failed(session, f"HTTP {response.status}")
            return
        try:
            data = json.loads(response.text)
        except ValueError:
            self._failed(session, "not JSON")
            return
        cases = data.get("saker_liste") if isinstance(data, dict) else None
        if cases is None:
            self._failed(session, "no saker_liste in the answer")
            return
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
            if (case.get("status") or "").lower() in FINISHED and item["native_id"] in self.known:
                self.count("detail_skipped_finished")
                yield item
                continue
            yield scrapy.Request(f"{API}/sak?sakid={item['native_id']}&format=json", callback=self.parse_case,
                                 cb_kwargs={"item": item}, errback=self.case_failed, dont_filter=True)

    def session_failed(self, failure: Any) -> None:
        self._failed(failure.request.cb_kwargs.get("session", "?"), failure.type.__name__)

    def _failed(self, session: str, why: str) -> None:
        self._sessions_failed.append(session)
        level = "red" if len(self._sessions_failed) == len(self.sessions) else "amber"
        self.note(level, f"eksport/saker for session {session} failed ({why})")

    def _parse_match(self, case: dict[str, Any]) -> str | None:
        topics = " ".join(str(e.get("navn") or "") for e in case.get("emne_liste") or [] if isinstance(e, dict))
        if FUND_TOPIC.search(topics):
            return "emne"
        title = f"{case.get('tittel') or ''} {case.get('korttittel') or ''}"
        if FUND_TITLE.search(title):
            return "title"
        committee = (case.get("komite") or {}).get("id") if isinstance(case.get("komite"), dict) else None
        if committee == FINANCE_COMMITTEE and FINANCE_TITLE.search(title):
            return "komite"
        return None

    def _item_from_case(self, case: dict[str, Any], session: str, matched_by: str) -> Any | None:
        case_id = str(case.get("id") or "").strip()
        title = " ".join(str(case.get("tittel") or case.get("korttittel") or "").split())
        if not case_id.isdigit() or not title:
            self.parse_error("case without id or title", f"saker {session}")
            return None
        committee = case.get("komite") if isinstance(case.get("komite"), dict) else {}
        updated = parse_ms_date(case.get("sist_oppdatert_dato"))
        short = " ".join(str(case.get("korttittel") or "").split())
        return self.make_item(
            native_id=case_id,
            url=CASE_URL.format(id=case_id),
            title=title,
            summary=short if short and short != title else None,
            owner=committee.get("navn") or None,
            reference=(case.get("henvisning") or "").strip() or None,
            status_raw=case.get("status") or None,
            language="nb",
            extra={
                "session": session, "matched_by": matched_by, "type": case.get("type"),
                "dokumentgruppe": case.get("dokumentgruppe"), "committee_id": committee.get("id"),
                "updated": iso(updated), "topics": [e.get("navn") for e in case.get("emne_liste") or []
                                                    if isinstance(e, dict) and e.get("navn")],
                "detail": "pending", "topic": "gpfg",
            },
        )

    # ------------------------------------------------------------------ case

    def parse_case(self, response: Response, item: Any) -> Iterator[Any]:
        """Saksgang dates and publications; a failed case page keeps the list's item."""
        if response.status >= 400:
            self.count("detail_failed")
            self.note("amber", f"some eksport/sak answers failed (HTTP {response.status}): kept the list's fields")
            item["extra"] = {**item["extra"], "detail": f"http {response.status}"}
            yield item
            return
        try:
            data = json.loads(response.text)
        except ValueError:
            self.parse_error("eksport/sak answer is not JSON", response.url)
            yield item
            return
        events = self._parse_events(data)
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
        if documents := self._parse_documents(data):
            item["documents"] = documents
        decision = data.get("kortvedtak") if isinstance(data, dict) else None
        item["body"] = self._summarise(item, extra, decision)
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
        for key, label in (("hearing_deadline", "Frist for å be om høring"), ("hearing", "Høring i komiteen"),
                           ("decided", "Vedtatt")):
            if extra.get(key):
                lines.append(f"{label}: {extra[key][:10]}")
        if decision and str(decision).strip():
            lines.append(f"Vedtak: {' '.join(str(decision).split())}")
        return "\n".join(lines)

    @staticmethod
    def _parse_events(data: Any) -> list[dict[str, Any]]:
        """Every saksgang event ({id, dato}) wherever the answer nests them."""
        events: list[dict[str, Any]] = []

        def walk(node: Any) -> None:
            if isinstance(node, dict):
                for key, value in node.items():
                    if key == "saksgang_hendelse_liste" and isinstance(value, list):
                        for event in value:
                            if isinstance(event, dict) and event.get("id"):
                                raw = event.get("dato")
                                dt = parse_ms_date(raw) if raw and "/Date(" in str(raw) else parse_stortinget_datetime(raw)
                                events.append({"id": str(event["id"]), "dato": iso(dt)})
                    else:
                        walk(value)
            elif isinstance(node, list):
                for value in node:
                    walk(value)

        walk(data)
        return events

    @staticmethod
    def _parse_documents(data: Any) -> list[dict[str, str]]:
        refs = data.get("publikasjon_referanse_liste") if isinstance(data, dict) else None
        docs = []
        for ref in refs or []:
            if isinstance(ref, dict) and ref.get("lenke_url"):
                docs.append({"title": ref.get("lenke_tekst") or ref["lenke_url"], "url": ref["lenke_url"],
                             "type": ref.get("type") or "publikasjon"})
        return docs
