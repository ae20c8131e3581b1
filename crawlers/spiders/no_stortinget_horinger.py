"""Stortinget committee hearings (komitéhøringer) from data.stortinget.no.

Channels (docs/sources.md §2):

1. **Primary** — ``eksport/sesjoner`` (current session, ``innevaerende_sesjon``), then
   ``eksport/horinger?sesjonid=<session>``: every hearing of the session with committee,
   status (``horing_status``), deadlines (``innspillsfrist`` for written input,
   ``anmodningsfrist_dato_tid`` to ask to take part), hearing time/place and the cases
   (``horing_sak_info_liste``). For hearings not yet held, ``eksport/horingsprogram?horingid=``
   is fetched *best effort*: a failure there turns the source amber, never loses the hearing.
   The list is complete for the session, so the spider declares a complete listing and
   hearings that disappear from it are reported as vanished by the tracker.
2. **Fallback** — when ``horinger`` fails (HTTP 5xx/4xx, network error, unreadable body or an
   empty list; a July 2026 report had HTTP 500 for every ``sesjonid``): ``eksport/saker`` for
   the session, then ``eksport/sak?sakid=`` only for cases still pending (status not
   ``behandlet``/``trukket``/``bortfalt``, with a committee, not ``ferdigbehandlet``). A case
   whose saksgang has a ``HOERFRIST`` event becomes a hearing item; with several HOERFRIST
   events the last one is used (the written-input deadline, as other public code does). The
   source turns amber ("fallback channel in use: …") and the listing is *not* declared
   complete: a partial channel must never mark hearings as vanished.

Identity: a hearing has no title and the fallback channel knows only case ids, so the
native id is the hearing's **primary case id** (``sak-<first sak_id>``) on both channels and
the hearing id is kept in ``extra["hearing_id"]``. In fallback mode the cases of one hearing
(same committee, same HOERFRIST and HOER dates) are grouped into one item whose id is the
case id the store already knows (``known``), else the lowest case id (a guess: the primary
channel's first case). Limits: a second hearing on the same primary case in one session
gets ``sak-<id>-h<hearing id>``; a hearing without any case gets ``horing-<hearing id>``
(the fallback can never produce those); in fallback mode the item URL is the case page
(the hearing id is unknown there), which the tracker records as one ``updated`` event, and
a deadline given with a time of day on one channel but as a day on the other shows as a
``deadline_changed``.

A key the export leaves out is not a value it gives as empty (``null``, ``i:nil``,
``/Date(-62135596800000)/``): a key of the hearing (`stortinget.HEARING_KEYS`) that no hearing of
the list has any more — renamed or dropped — turns the source red naming it, the listing is not
complete, and every field read from it is left unobserved (None: the store keeps what it holds; no
deadline moves, no «Endret»). A key that decides the item's id (`IDENTITY_KEYS`) missing so gives
no items at all. A required key one hearing lacks is a parse error and leaves that hearing's fields
from it unobserved; an optional one (absent from the real hearing object sources.md quotes) a
hearing lacks is read as null. An answer that is a web page (a bot challenge page served with HTTP
200) is a failed answer that says so, never "HTTP 200".

The spider asks for the JSON form (``&format=json``) and reads every answer through the shared
Stortinget client (crawlers/stortinget.py, also used by ``no_stortinget_spu``), which reads the
XML form too (namespace ``http://data.stortinget.no``, ``*_liste`` lists, ``i:nil``).
``01.01.0001`` / ``0001-01-01T00:00:00`` / ``/Date(-62135596800000)/`` mean "no date".

**Unverified** (no raw response has been published; fixtures and replay files are built
from the field lists in sources.md): the XML date format (ISO local time is assumed; every
documented format is accepted), ``horing_status`` values other than ``Avholdt`` (e.g.
``Planlagt``, ``Avlyst``), the layout of ``horingsprogram`` (every ``horingsprogram``
element is read), the meaning of ``HOERFRIST`` versus ``innspillsfrist`` /
``anmodningsfrist``, and the human hearing page URL pattern
``https://www.stortinget.no/no/Hva-skjer-pa-Stortinget/Horing/?p=<id>``.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator
from collections.abc import Set as AbstractSet
from datetime import datetime
from typing import Any
from urllib.parse import parse_qs, urlsplit

import scrapy
from scrapy.http import Response

from crawlers import stortinget as api
from crawlers.dates import OSLO, deadline_at, iso, session_for
from crawlers.spiders.base import TrackerSpider
from crawlers.stortinget import CaseRef, Hearing

#: human pages; the hearing page pattern is **unverified** (sources.md §2)
HEARING_PAGE = "https://www.stortinget.no/no/Hva-skjer-pa-Stortinget/Horing/?p={hearing_id}"
CASE_PAGE = "https://www.stortinget.no/no/Saker-og-publikasjoner/Saker/Sak/?p={case_id}"

_SESSION_ID = re.compile(r"^\d{4}-\d{4}$")
#: case statuses of `eksport/saker` that mean the case can no longer get a hearing
CASE_DONE = ("behandlet", "trukket", "bortfalt")
#: hearing statuses after which the programme can no longer change
HEARING_DONE = ("avholdt", "avlyst")
FALLBACK = "fallback channel in use: eksport/saker + eksport/sak HOERFRIST"
#: the keys of a hearing its item's id is read from: a list that lacks one gives no items
IDENTITY_KEYS = ("id", "horing_sak_info_liste", "horing_sak_info.sak_id")
#: the item's fields, and the keys of the hearing (stortinget.HEARING_KEYS) each is read from: a key
#: the export left out (or a date it gave that cannot be read) leaves the field unobserved
READ_FROM: dict[str, tuple[str, ...]] = {
    "title": ("horing_sak_info.sak_korttittel", "horing_sak_info.sak_tittel", "horing_sak_info.sak_henvisning"),
    "owner": ("komite", "komite.navn"),
    "status_raw": ("horing_status",),
    "reference": ("horing_sak_info.sak_henvisning",),
    "documents": ("horing_sak_info.sak_korttittel", "horing_sak_info.sak_tittel",
                  "horing_sak_info.sak_henvisning", "horing_sak_info.sak_publikasjon"),
    "summary": ("komite", "komite.navn", "skriftlig", "horing_sak_info.sak_korttittel",
                "horing_sak_info.sak_tittel", "horing_sak_info.sak_henvisning"),
    # extra
    "committee_id": ("komite", "komite.id"),
    "written": ("skriftlig",),
    "hearing_times": ("horingstidspunkt_liste", "horingstidspunkt.sted", "horingstidspunkt.tidspunkt"),
    "case_references": ("horing_sak_info.sak_henvisning",),
}  # fmt: skip


class NoStortingetHoringerSpider(TrackerSpider):
    name = "no_stortinget_horinger"
    kind = "committee_hearing"
    channel = "api"
    allowed_domains = ["data.stortinget.no"]
    #: at most this many `eksport/sak` requests in fallback mode (newest-updated cases first)
    fallback_max_cases = 400

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.session: str | None = None
        #: native ids given out in this run (a second hearing on the same primary case)
        self._used_ids: set[str] = set()
        #: the keys no hearing of this run's list has (stortinget.missing_keys)
        self._missing: list[str] = []
        #: fallback: `eksport/sak` requests still out, and the hearings found so far
        self._fallback_outstanding = 0
        self._fallback_found: list[dict[str, Any]] = []

    async def start(self) -> AsyncIterator[scrapy.Request]:
        yield self.revalidate(api.sessions_url(), self.parse_sessions, errback=self.sessions_failed,
                              dont_filter=True)

    # ------------------------------------------------------------------ session

    def parse_sessions(self, response: Response, **kwargs: Any) -> Iterator[Any]:
        """Read `innevaerende_sesjon.id`; compute the session from `as_of` if that fails."""
        session = None
        if not (problem := self._refused(response, error_from=400)):
            root, error = api.read(response.body)
            if error:
                problem = f"unreadable ({error})"
            else:
                session = api.current_session(root) or ""
                if not _SESSION_ID.match(session):
                    problem, session = f"no usable innevaerende_sesjon ({session or 'missing'})", None
        if session is None:
            session = session_for(self.today)
            self.note("amber", f"eksport/sesjoner {problem}: session computed from as_of ({session})")
        yield self._hearings_request(session)

    def sessions_failed(self, failure: Any) -> Iterator[Any]:
        session = session_for(self.today)
        self.note("amber", f"eksport/sesjoner failed ({failure.type.__name__}): session computed from as_of ({session})")
        yield self._hearings_request(session)

    def _hearings_request(self, session: str) -> scrapy.Request:
        self.session = session
        return self.revalidate(api.hearings_url(session), self.parse,
                               errback=self.hearings_failed, dont_filter=True)

    # ------------------------------------------------------------------ primary: horinger

    def parse(self, response: Response, **kwargs: Any) -> Iterator[Any]:
        """The session's hearing list; any failure here switches to the fallback channel."""
        session = self._session_of(response.url)
        hearings: list[Hearing] = []
        if not (problem := self._refused(response)):
            root, error = api.read(response.body)
            if error:
                problem = f"unreadable ({error})"
            else:
                hearings = api.hearings(root)
                if not hearings:
                    problem = "has no hearings"
        if problem:
            yield from self._start_fallback(session, f"eksport/horinger {problem}")
            return
        for changed in api.drift(root.items("horinger_liste"), api.HEARING_VALUES, "eksport/horinger"):
            self.note("amber", changed)  # a hearing's status or type read from a changed export
        self._missing = api.missing_keys(hearings)
        if self._missing:
            # the export changed (a key renamed or dropped): what was read from it is not known
            unread = any(k in IDENTITY_KEYS for k in self._missing)
            self.note("red", f"eksport/horinger: field(s) missing from every hearing ({len(hearings)}): "
                             f"{', '.join(self._missing)} (has the export changed?): "
                             + ("no hearing read, the stored ones are kept" if unread else "their stored values are kept"))
            if unread:  # the items' ids cannot be told: none is given, none vanishes
                self.set_listing(complete=False, since=None, channel="api")
                return
        # with a key missing, the list is not what the spider can read in full: nothing vanishes from it
        complete = not self._missing
        for hearing in hearings:
            if not self._check_hearing(hearing, response.url):
                complete = False
                continue
            item = self._hearing_item(hearing)
            if self._needs_program(hearing, item):
                yield self.revalidate(
                    api.program_url(hearing.id), self.parse_program,
                    cb_kwargs={"item": item}, errback=self.program_failed, dont_filter=True,
                )
            else:
                yield item
        # the list holds every hearing of the session; with an unparseable entry it is not complete
        self.set_listing(complete=complete, since=None, channel="api")

    def hearings_failed(self, failure: Any) -> Iterator[Any]:
        session = self._session_of(failure.request.url)
        yield from self._start_fallback(session, f"eksport/horinger failed ({failure.type.__name__})")

    def _check_hearing(self, hearing: Hearing, url: str) -> bool:
        """False (a parse error) for a hearing without id or without a key its id is read from; a
        hearing without cases, or without a required key the other hearings have (its fields from
        it stay as stored), is counted too."""
        if not hearing.id:
            self.parse_error("hearing without id", url)
            return False
        if lacking := sorted(k for k in hearing.absent if api.HEARING_KEYS[k] and k not in self._missing):
            self.parse_error(f"hearing {hearing.id} lacks {', '.join(lacking)}", url)
            if any(k in IDENTITY_KEYS for k in lacking):
                return False  # its id cannot be told (not the case it is about): left out, nothing vanishes
        if not hearing.cases:
            self.parse_error(f"hearing {hearing.id} has no case (horing_sak_info_liste empty)", url)
        return True

    def _unobserved(self, hearing: Hearing) -> set[str]:
        """The keys of `hearing` whose values are not known: missing from the whole list, a required
        one it lacks, or a date it gives that cannot be read. An optional key a hearing lacks is a
        null (the real hearing object of sources.md lacks them)."""
        lacking = {k for k in hearing.absent if api.HEARING_KEYS[k] or k in self._missing}
        return lacking | set(hearing.unreadable)

    def _refused(self, response: Response, *, error_from: int = 300) -> str | None:
        """What an answer that is not the export was (`api.refused`); None for the export."""
        return api.refused(response, blocked=self.is_blocked(response), error_from=error_from)

    def _hearing_item(self, hearing: Hearing) -> Any:
        unobserved = self._unobserved(hearing)
        deadline, basis = self._parse_deadline(hearing, unobserved)
        cases = hearing.cases
        native_id = self._parse_native_id(hearing)
        fields = {
            "title": self._parse_title(cases, hearing),
            "owner": self._parse_owner(hearing),
            "status_raw": self._parse_status(hearing),
            "reference": self._parse_reference(cases),
            "documents": self._parse_documents(cases),
            "summary": self._parse_summary(hearing),
        }
        extra = self._parse_extra(hearing, basis, unobserved)
        # a field read from a key the export left out is not observed: the store keeps what it has
        # (a hearing it does not know yet gets the title that can be read, an item needs one)
        for name, keys in READ_FROM.items():
            if name == "title" and not cases:
                keys = READ_FROM["owner"]
            if unobserved.intersection(keys) and not (name == "title" and native_id not in self.known):
                if name in fields:
                    fields[name] = None
                else:
                    extra[name] = None
        return self.make_item(
            native_id=native_id,
            deadline=iso(deadline),
            url=HEARING_PAGE.format(hearing_id=hearing.id),
            channel="api",
            extra=extra,
            **fields,
        )

    def _parse_native_id(self, hearing: Hearing) -> str:
        """`sak-<primary case id>`, the id the fallback channel can also produce."""
        cases = hearing.cases
        native = f"sak-{cases[0].sak_id}" if cases else f"horing-{hearing.id}"
        if native in self._used_ids:
            native = f"{native}-h{hearing.id}"
        self._used_ids.add(native)
        return native

    @staticmethod
    def _parse_title(cases: list[CaseRef], hearing: Hearing | None = None) -> str:
        """A hearing has no title: 'Komitéhøring: <case short title> – <document reference>'."""
        if not cases:
            committee = _committee_name(hearing) or "Stortinget"
            return f"Komitéhøring {hearing.id if hearing else ''} ({committee})"
        first = cases[0]
        name = first.short_title or first.title or f"sak {first.sak_id}"
        ref = _document_reference(first.reference)
        return f"Komitéhøring: {name} – {ref}" if ref else f"Komitéhøring: {name}"

    @staticmethod
    def _parse_owner(hearing: Hearing) -> str | None:
        return _committee_name(hearing)

    def _parse_deadline(self, hearing: Hearing, unobserved: AbstractSet[str] = frozenset()) -> tuple[datetime | None, str | None]:
        """Written-input deadline when there is one, else the deadline to ask to take part. Every
        date of the hearing that could not be read is a parse error (the source turns amber; the
        stored time is kept, see _parse_extra). A written-input deadline that is not known (its
        key missing, its text unreadable) leaves the deadline unknown (None: the stored one is
        kept), never the deadline to ask to take part in its place."""
        for field, text in hearing.unreadable.items():
            self.parse_error(f"hearing {hearing.id}: unreadable {field} {text!r}")
        for when, key, basis in ((hearing.innspillsfrist, "innspillsfrist", "innspillsfrist"),
                                 (hearing.anmodningsfrist, "anmodningsfrist_dato_tid", "anmodningsfrist")):
            if key in unobserved:
                return None, None
            if when is not None:
                return _deadline(when), basis
        return None, None

    @staticmethod
    def _parse_status(hearing: Hearing) -> str | None:
        return hearing.hearing_status

    @staticmethod
    def _parse_reference(cases: list[CaseRef]) -> str | None:
        return _document_reference(cases[0].reference) if cases else None

    @staticmethod
    def _parse_documents(cases: list[CaseRef]) -> list[dict[str, str]]:
        docs = []
        for case in cases:
            label = case.short_title or case.title or f"sak {case.sak_id}"
            if ref := _document_reference(case.reference):
                label = f"{ref}: {label}"
            docs.append({"title": label, "url": CASE_PAGE.format(case_id=case.sak_id), "type": "sak"})
            if (pub := case.publication) and pub.startswith("http"):
                docs.append({"title": f"Publikasjon: {label}", "url": pub, "type": "publikasjon"})
        return docs

    @staticmethod
    def _parse_summary(hearing: Hearing) -> str | None:
        cases = hearing.cases
        committee = _committee_name(hearing) or "komiteen"
        kind = "Skriftlig høring" if hearing.written else "Høring"
        if not cases:
            return f"{kind} i {committee}."
        first = cases[0]
        text = f"{kind} i {committee} om {first.title or first.short_title}"
        if ref := _document_reference(first.reference):
            text += f" ({ref})"
        text += "."
        if len(cases) > 1:
            others = "; ".join(c.short_title or c.title or c.sak_id for c in cases[1:])
            text += f" Høringen gjelder også: {others}."
        return text

    @staticmethod
    def _parse_extra(hearing: Hearing, basis: str | None, unobserved: AbstractSet[str]) -> dict[str, Any]:
        """`unobserved`: the keys whose values are not known (`_unobserved`: unreadable dates too)."""
        times = [{"sted": t.place, "tidspunkt": iso(t.at)} for t in hearing.times]
        start = iso(hearing.start) or next((t["tidspunkt"] for t in times if t["tidspunkt"]), None)
        if "start_dato" in unobserved or (not hearing.start and unobserved.intersection(READ_FROM["hearing_times"])):
            start = None  # the start is not known: not given readably, or read from sittings not known

        def observed(value: str | None, field: str) -> str | None:
            """The export's time; "" when it gives none (a deadline to ask to speak that was
            dropped, a hearing made written-only: the stored time is cleared); None when its text
            could not be read or its key is missing (the stored time is kept: tracker.store.merge)."""
            return value or (None if field in unobserved else "")

        return {
            "hearing_id": hearing.id,
            "committee_id": hearing.committee.id if hearing.committee else None,
            "deadline_basis": basis,
            "innspillsfrist": observed(iso(hearing.innspillsfrist), "innspillsfrist"),
            "anmodningsfrist": observed(iso(hearing.anmodningsfrist), "anmodningsfrist_dato_tid"),
            "soknadfrist": observed(iso(hearing.soknadfrist), "soknadfrist_dato"),
            "hearing_start": observed(start, "start_dato"),
            "hearing_times": times,
            "written": hearing.written,
            "hearing_type": hearing.type,
            "publication_status": hearing.publication_status,
            "status_info": hearing.status_info,
            "case_ids": [c.sak_id for c in hearing.cases],
            "case_references": [c.reference for c in hearing.cases],
            "hearing_page_pattern": "unverified",
            "program": "pending",
            "fallback": False,  # the primary channel: a stored item's flag from a fallback day is cleared
        }

    def _needs_program(self, hearing: Hearing, item: Any) -> bool:
        """Only hearings not yet held (and not known to be closed) get their programme fetched."""
        if (item.get("status_raw") or "").strip().lower() in HEARING_DONE:
            item["extra"]["program"] = "skipped (held or cancelled)"
            return False
        if self.known.get(item["native_id"], {}).get("status") in ("closed", "withdrawn"):
            self.count("program_skipped_closed")
            item["extra"]["program"] = "skipped (closed)"
            return False
        start = item["extra"].get("hearing_start")
        if start and datetime.fromisoformat(start).astimezone(OSLO).date() < self.today:
            item["extra"]["program"] = "skipped (hearing date passed)"
            return False
        return True

    # ------------------------------------------------------------------ horingsprogram (best effort)

    def parse_program(self, response: Response, item: Any) -> Iterator[Any]:
        """Add the hearing programme to `extra`; any failure keeps the hearing as it is."""
        if refused := self._refused(response, error_from=400):
            self.count("program_failed")
            self.note("amber", f"some hearing programmes failed (eksport/horingsprogram HTTP {response.status}); hearings kept"
                      if response.status >= 400 else f"eksport/horingsprogram {refused}; hearings kept")
            item["extra"]["program"] = f"http {response.status}"
            yield item
            return
        if response.status == 304:
            item["extra"]["program"] = "not modified"
            yield item
            return
        root, error = api.read(response.body)
        if error:
            self.count("program_failed")
            self.note("amber", "some hearing programmes unreadable (eksport/horingsprogram); hearings kept")
            item["extra"]["program"] = f"unreadable: {error}"[:120]
            yield item
            return
        item["extra"]["program"] = self._parse_program(root)
        yield item

    def program_failed(self, failure: Any) -> Iterator[Any]:
        item = failure.request.cb_kwargs["item"]
        self.count("program_failed")
        self.note("amber", f"some hearing programmes failed ({failure.type.__name__}); hearings kept")
        item["extra"]["program"] = f"error {failure.type.__name__}"
        yield item

    @staticmethod
    def _parse_program(root: api.Node) -> list[dict[str, Any]]:
        """Every `horingsprogram` (date, footnote, ordered speakers) wherever it sits."""
        return [{"dato": iso(p.date), "fotnote": p.footnote,
                 "elements": [{"nr": e.nr, "tekst": e.text, "tid": e.time} for e in p.elements]}
                for p in api.programs(root)]  # fmt: skip

    # ------------------------------------------------------------------ fallback: saker + sak

    def _start_fallback(self, session: str, reason: str) -> Iterator[Any]:
        self.note("amber", f"{FALLBACK} ({reason})")
        # a partial channel: nothing may be marked vanished from it
        self.set_listing(complete=False, since=None, channel="api-fallback")
        yield self.revalidate(api.cases_url(session), self.parse_cases,
                              errback=self.cases_failed, dont_filter=True)

    def parse_cases(self, response: Response, **kwargs: Any) -> Iterator[Any]:
        """The session's cases; fetch the detail of every case still pending in a committee."""
        if refused := self._refused(response):
            self.note("red", f"fallback failed too: eksport/saker {refused}")
            return
        root, error = api.read(response.body)
        if error:
            self.note("red", f"fallback failed too: eksport/saker unreadable ({error})")
            return
        cases = [c for c in api.cases(root) if c.id]
        for changed in api.drift(root.items("saker_liste"), api.CASE_VALUES, "eksport/saker"):
            self.note("amber", changed)  # which cases are pending is read from `status`
        if not cases:
            self.note("red", "fallback failed too: eksport/saker has no cases")
            return
        # the committee filter is ignored server-side (sources.md §2): filter here
        pending = [c for c in cases if _is_pending(c)]
        pending.sort(key=lambda c: c.updated.isoformat() if c.updated else "", reverse=True)
        self.count("fallback_cases_listed", len(cases))
        self.count("fallback_cases_pending", len(pending))
        if len(pending) > self.fallback_max_cases:
            self.note("amber", f"fallback: only the {self.fallback_max_cases} most recently updated of "
                               f"{len(pending)} pending cases checked")
            pending = pending[: self.fallback_max_cases]
        self._fallback_outstanding = len(pending)
        for case in pending:
            yield self.revalidate(api.case_url(case.id), self.parse_case,
                                  cb_kwargs={"listed": case}, errback=self.case_failed, dont_filter=True)

    def cases_failed(self, failure: Any) -> Iterator[Any]:
        self.note("red", f"fallback failed too: eksport/saker failed ({failure.type.__name__})")
        return iter(())

    def parse_case(self, response: Response, listed: api.Case) -> Iterator[Any]:
        """One case's saksgang: a HOERFRIST event means a committee hearing.

        Cases are collected and turned into items when the last case has answered, so
        that the cases of one hearing (same committee, same HOERFRIST and HOER dates)
        become one item, as on the primary channel.
        """
        candidate = self._parse_case(response, listed)
        if candidate is not None:
            self._fallback_found.append(candidate)
        yield from self._case_done()

    def case_failed(self, failure: Any) -> Iterator[Any]:
        self.count("fallback_case_failed")
        self.note("amber", f"fallback: some eksport/sak requests failed ({failure.type.__name__}); "
                           "hearings of those cases missing this run")
        yield from self._case_done()

    def _case_done(self) -> Iterator[Any]:
        self._fallback_outstanding -= 1
        if self._fallback_outstanding <= 0:
            found, self._fallback_found = self._fallback_found, []
            yield from self._fallback_items(found)

    def _parse_case(self, response: Response, listed: api.Case) -> dict[str, Any] | None:
        if refused := self._refused(response):
            self.count("fallback_case_failed")
            self.note("amber", f"fallback: some eksport/sak requests failed (HTTP {response.status}); "
                               "hearings of those cases missing this run" if response.status >= 300
                      else f"eksport/sak {refused}; hearings of those cases missing this run")
            return None
        root, error = api.read(response.body)
        if error:
            self.parse_error(f"eksport/sak unreadable ({error})", response.url)
            return None
        detail = api.case_detail(root)
        if detail.finished:
            self.count("fallback_case_finished")
            return None
        deadlines = sorted(e.at for e in detail.events if e.id == "HOERFRIST" and e.at is not None)
        held = sorted(e.at for e in detail.events if e.id == "HOER" and e.at is not None)
        if not deadlines:
            self.count("fallback_case_without_hearing")
            return None
        case_id = detail.id or listed.id
        if not case_id:
            self.parse_error("eksport/sak without id", response.url)
            return None
        case = CaseRef(case_id, detail.short_title or listed.short_title, detail.title or listed.title,
                       detail.reference or listed.reference)
        committee = detail.committee or listed.committee or api.Committee()
        return {
            "case": case,
            "committee_id": committee.id,
            "committee": committee.name,
            "deadlines": deadlines,
            "held": held,
            "case_status": detail.status or listed.status,
        }

    def _fallback_items(self, found: list[dict[str, Any]]) -> Iterator[Any]:
        """One item per hearing: cases with the same committee and hearing dates are grouped.

        The item's id is `sak-<id>` of the case the store already knows for that hearing
        (the primary channel's first case) or, failing that, of the lowest case id.
        """
        groups: dict[tuple, list[dict[str, Any]]] = {}
        for cand in found:
            key = (cand["committee_id"], tuple(cand["deadlines"]), tuple(cand["held"]))
            groups.setdefault(key, []).append(cand)
        for members in groups.values():
            members.sort(key=lambda c: (f"sak-{c['case'].sak_id}" not in self.known,
                                        int(c["case"].sak_id) if c["case"].sak_id.isdigit() else 0,
                                        c["case"].sak_id))
            lead = members[0]
            cases = [m["case"] for m in members]
            native = f"sak-{lead['case'].sak_id}"
            self._used_ids.add(native)
            yield self.make_item(
                native_id=native,
                title=self._parse_title(cases),
                owner=lead["committee"],
                deadline=iso(_deadline(lead["deadlines"][-1])),
                url=CASE_PAGE.format(case_id=lead["case"].sak_id),
                reference=self._parse_reference(cases),
                documents=self._parse_documents(cases),
                channel="api-fallback",
                extra={
                    "committee_id": lead["committee_id"],
                    "deadline_basis": "HOERFRIST",
                    "hoerfrist": [iso(d) for d in lead["deadlines"]],
                    "hearing_times": [{"sted": None, "tidspunkt": iso(d)} for d in lead["held"]],
                    "case_ids": [c.sak_id for c in cases],
                    "case_status": lead["case_status"],
                    "fallback": True,
                },
            )

    # ------------------------------------------------------------------ helpers

    def _session_of(self, url: str) -> str:
        values = parse_qs(urlsplit(url).query).get("sesjonid")
        return values[0] if values else (self.session or session_for(self.today))


# ---------------------------------------------------------------------- module helpers


def _deadline(when: datetime) -> datetime | None:
    """In Oslo time, by the one deadline rule (23:59 or midnight: the end of that day)."""
    return deadline_at(when.astimezone(OSLO))


def _committee_name(hearing: Hearing | None) -> str | None:
    return hearing.committee.name if hearing is not None and hearing.committee else None


def _document_reference(henvisning: str | None) -> str | None:
    """The case's own document: 'Prop. 1 S (2025-2026), Innst. 15 S …' → 'Prop. 1 S (2025-2026)'."""
    if not henvisning:
        return None
    first = henvisning.split(",")[0].strip()
    return first or None


def _is_pending(case: api.Case) -> bool:
    status = (case.status or "").lower()
    has_committee = case.committee is not None and bool(case.committee.id or case.committee.name)
    return status not in CASE_DONE and has_committee
