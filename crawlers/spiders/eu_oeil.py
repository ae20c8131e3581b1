"""European Parliament Legislative Observatory (OEIL): procedure files of the watchlist.

One request per watched procedure (``procedure`` in data/watchlist.toml) to the
current form ``https://oeil.secure.europarl.europa.eu/oeil/en/procedure-file?reference=<ref>``
(the legacy ``popups/ficheprocedure.do`` gives 404 for recent procedures, docs/sources.md §5).

**The page structure is UNVERIFIED**: no saved page of the new OEIL layout has
been published, so the parser reads labels and tables rather than fixed
selectors:

- stage: the value after a "Stage reached in procedure" or "Status" label
  (same line or the next text);
- key events: the rows of the table (or row-like blocks) under a heading
  containing "Key events" whose first cell is a date (dd/mm/yyyy or ISO);
  if there is no such heading, any table row that starts with a date;
- forecasts: rows under a "Forecasts" heading.

A page without a readable stage or key events counts as a parse error (health
shows it) rather than crashing. A 404 (unknown procedure) or a blocked page is an
amber note naming the procedure; the other procedures go on.

One item per procedure (kind ``eu_procedure``, native id = the reference). The
stage is put into ``summary`` ("Stage: … Last key event: …") and
``extra["stage"]``, and the key events into ``body``, so a stage change or a
new key event is an ``updated`` event in the store.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import quote, unquote

import scrapy
from scrapy.http import Response

from crawlers.dates import BRUSSELS, iso, parse_date
from crawlers.notes import OEIL_BLOCKED
from crawlers.spiders.base import TrackerSpider
from crawlers.text import texts_outside
from crawlers.watchlist_file import WATCHLIST_SETTING, WatchlistError
from crawlers.watchlist_file import load as load_watchlist

PROCEDURE_URL = "https://oeil.secure.europarl.europa.eu/oeil/en/procedure-file?reference={ref}"
_DATE_CELL = re.compile(r"^\s*(\d{2}/\d{2}/\d{4}|\d{4}-\d{2}-\d{2})\s*$")
_STAGE_LABEL = re.compile(r"^(?:Stage reached in procedure|Status|Procedure status)\s*:?\s*(.*)$", re.I)
_TITLE_SUFFIX = re.compile(r"\s*[|–-]\s*(?:Legislative Observatory|European Parliament|OEIL).*$", re.I)


def procedure_url(reference: str) -> str:
    return PROCEDURE_URL.format(ref=quote(reference, safe="/()"))


class EuOeilSpider(TrackerSpider):
    name = "eu_oeil"
    kind = "eu_procedure"
    channel = "html"
    allowed_domains = ["oeil.secure.europarl.europa.eu", "europarl.europa.eu"]

    def __init__(self, *args: Any, watchlist: str | None = None, procedures: str | list | None = None,
                 **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.watchlist_path = watchlist
        #: {reference: (watch id, watch name)}; `procedures` (comma-separated) overrides the watchlist
        self.procedures: dict[str, tuple[str | None, str | None]] = {}
        if procedures:
            refs = procedures.split(",") if isinstance(procedures, str) else procedures
            self.procedures = {r.strip(): (None, None) for r in refs if r.strip()}

    async def start(self) -> AsyncIterator[scrapy.Request]:
        if not self.procedures:
            try:
                entries = load_watchlist(self.watchlist_path or self.settings.get(WATCHLIST_SETTING))
            except WatchlistError as exc:
                self.note("red", f"watchlist invalid: {exc}")
                return
            self.procedures = {e.procedure: (e.id, e.name) for e in entries if e.procedure}
        if not self.procedures:
            self.note("amber", "no procedure references in the watchlist")
            return
        for ref in self.procedures:
            yield scrapy.Request(procedure_url(ref), callback=self.parse, cb_kwargs={"reference": ref},
                                 errback=self.failed, dont_filter=True)

    def parse(self, response: Response, reference: str = "", **kwargs: Any) -> Iterator[Any]:
        reference = reference or _reference_from_url(response.url)
        if self.is_blocked(response):
            self.page_blocked(reference)  # health counts them and names the first few (one line)
            self.note("amber", OEIL_BLOCKED)
            return
        if response.status == 404:
            self.note("amber", f"OEIL has no procedure file for {reference} (404): check the watchlist reference")
            return
        if response.status >= 400:
            self.note("amber", f"OEIL answered HTTP {response.status} for {reference}")
            return
        lines = _text_lines(response)
        stage = self._parse_stage(lines)
        events = self._parse_key_events(response)
        forecasts = self._parse_section_rows(response, "forecast")
        title = self._parse_title(response, reference)
        if not stage:
            self.parse_error(f"{reference}: no stage found", response.url)
        if not events:
            self.parse_error(f"{reference}: no key events found", response.url)
        if not stage and not events:
            return  # nothing of this page could be read: do not overwrite what is stored
        watch_id, watch_name = self.procedures.get(reference, (None, None))
        last = events[-1] if events else None
        summary = f"Stage: {stage or 'unknown'}."
        if last:
            summary += f" Last key event: {last['date']} {last['event']}."
        body_lines = ["Key events:"] + [_event_line(e) for e in events]
        if forecasts:
            body_lines += ["Forecasts:"] + [_event_line(e) for e in forecasts]
        yield self.make_item(
            native_id=reference,
            url=procedure_url(reference),
            title=f"{title} – {reference}" if title else reference,
            summary=summary,
            body="\n".join(body_lines),
            reference=reference,
            # the stage is not a consultation status ("Awaiting European Parliament's position" would
            # read as open in tracker.store.status); only a withdrawn/lapsed procedure says so
            status_raw="withdrawn" if stage and re.search(r"withdrawn|lapsed", stage, re.I) else None,
            published=iso(parse_date(events[0]["date"], BRUSSELS)) if events else None,
            language="en",
            extra={"stage": stage, "key_events": events, "forecasts": forecasts,
                   "watch": watch_id, "watch_name": watch_name},
        )

    def failed(self, failure: Any) -> None:
        ref = failure.request.cb_kwargs.get("reference")
        self.count("detail_failed")
        self.note("amber", f"OEIL request failed for {ref} ({failure.type.__name__})")

    # ------------------------------------------------------------------ fields

    @staticmethod
    def _parse_stage(lines: list[str]) -> str | None:
        for i, line in enumerate(lines):
            m = _STAGE_LABEL.match(line)
            if not m:
                continue
            value = m.group(1).strip(" :")
            if not value and i + 1 < len(lines):
                value = lines[i + 1].strip()
            if value and not _STAGE_LABEL.match(value):
                return value
        return None

    @staticmethod
    def _parse_title(response: Response, reference: str) -> str | None:
        generic = {"procedure file", "legislative observatory", "basic information", reference.lower()}
        for text in response.css("h1 ::text, h2 ::text, .erpl_title-h1 ::text, .erpl_title-h2 ::text").getall():
            text = " ".join(text.split())
            if len(text) > 3 and text.lower() not in generic and not text.lower().startswith("key events"):
                return text
        title = " ".join(" ".join(response.css("title ::text").getall()).split())
        title = _TITLE_SUFFIX.sub("", title).replace(reference, "").strip(" -–|")
        return title or None

    def _parse_key_events(self, response: Response) -> list[dict[str, str]]:
        events = self._parse_section_rows(response, "key event")
        if events:
            return events
        # no "Key events" heading: any table row that starts with a date
        return _dated_rows(response.css("tr"))

    @staticmethod
    def _parse_section_rows(response: Response, heading: str) -> list[dict[str, str]]:
        """Dated rows of the section whose heading contains `heading` (case-insensitive)."""
        xpath = ("//*[self::h2 or self::h3 or self::h4 or self::button or self::span or self::div]"
                 f"[contains(translate(normalize-space(text()), 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', "
                 f"'abcdefghijklmnopqrstuvwxyz'), '{heading}')]")
        for head in response.xpath(xpath):
            # the section is the nearest ancestor that holds dated rows
            for scope in head.xpath("ancestor-or-self::*[position() <= 4]")[::-1]:
                rows = scope.css("tr") or scope.xpath(".//*[contains(@class, 'row')]")
                found = _dated_rows(rows)
                if found:
                    return found
            following = head.xpath("following::table[1]//tr")
            if found := _dated_rows(following):
                return found
        return []


def _dated_rows(rows) -> list[dict[str, str]]:
    out: list[dict[str, str]] = []
    seen: set[tuple[str, str]] = set()
    for row in rows:
        cells = [" ".join(" ".join(c.css("::text").getall()).split()) for c in row.xpath("./td | ./th | ./div")]
        cells = [c for c in cells if c]
        if len(cells) < 2 or not _DATE_CELL.match(cells[0]):
            continue
        day = parse_date(cells[0].replace("/", "."), BRUSSELS) if "/" in cells[0] else parse_date(cells[0], BRUSSELS)
        if day is None:
            continue
        event = {"date": day.date().isoformat(), "event": cells[1]}
        if len(cells) > 2:
            event["reference"] = cells[2]
        if len(cells) > 3:
            event["summary"] = cells[3]
        if (event["date"], event["event"]) not in seen:
            seen.add((event["date"], event["event"]))
            out.append(event)
    out.sort(key=lambda e: e["date"])
    return out


def _event_line(event: dict[str, str]) -> str:
    return " ".join(x for x in (event["date"], event["event"], event.get("reference")) if x)


def _text_lines(response: Response) -> list[str]:
    """The body's text nodes outside scripts and styles, whitespace collapsed, one per line: what
    ``//body//text()[not(ancestor::script) and not(ancestor::style)]`` selects, read from lxml's
    tree (that XPath made a Selector object per text node: 2.7 × slower on the recorded pages)."""
    texts = [x for body in response.xpath("//body") for x in texts_outside(body.root, "self::script or self::style")]
    return [t for t in (" ".join(x.split()) for x in texts) if t]


def _reference_from_url(url: str) -> str:
    m = re.search(r"reference=([^&]+)", url)
    return unquote(m.group(1)) if m else url
