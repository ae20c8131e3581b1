"""regjeringen.no EØS-notater (the government's notes on EU proposals and acts, "EØS-notatbasen").

Channel: regjeringen.no's RSS generator, as for hearings. **The feed URL is
UNVERIFIED**: the ``documentType`` value for EØS-notater is not known (docs/sources.md
§8 and §10.6; guessed listing feeds gave 404 to another project). The default
below follows the working hearing feed's form; set the spider argument
``feed_url`` or ``$NCP_TRACKER_EOS_FEED`` to change it without code. Because a wrong
``documentType`` may make the generator answer with some *other* document feed,
only entries whose link lies under ``/eos-notatbasen/`` are kept, and a feed
with entries but no EØS-notat at all is red ("documentType wrong?"), never a
silent zero.

Each note's page is fetched **best effort** (regjeringen.no HTML sits behind
Cloudflare; a blocked page keeps the feed's item and turns the source amber).
The page structure is known only from one excerpt (sources.md Appendix A.3), so
the parser reads the labels from the page text: Sakstrinn, Opprettet,
Spesialutvalg, Dato sist behandlet i spesialutvalg, Hovedansvarlig(e)
departement(er), Vedlegg/protokoll i EØS-avtalen, Kapittel i EØS-avtalen,
Status, Sammendrag av innhold (and the later sections, kept in the body). A page without one
of the labels the item stands on (``EXPECTED_LABELS``: renamed, a changed layout) is red, naming
the label and the first such page, and nothing of it is used: the store keeps what it knew. A
page not read (blocked, failed, such a page) leaves the item as the feed gave it, without the
feed's date for a note read before (the feed's pubDate is not «Opprettet»).

Items: kind ``eea_note``, native id = the page id, owner = the lead ministry,
published = Opprettet, body = the English proposal title, Status and Sammendrag
(the text the reference linker reads for "direktiv (EU) 2024/1760", "COM(2025) 81" …).
"""

from __future__ import annotations

import os
import re
from collections.abc import AsyncIterator, Iterator
from typing import Any

import scrapy
from scrapy.http import Response

from crawlers import regjeringen
from crawlers.dates import iso, parse_date
from crawlers.spiders.base import TrackerSpider
from crawlers.text import page_lines

ENV_FEED = "NCP_TRACKER_EOS_FEED"
#: UNVERIFIED documentType value (see the module docstring)
DEFAULT_FEED_URL = "https://www.regjeringen.no/no/rss/Rss/2581966/?documentType=eos-notat"
NOTE_PATH = "/eos-notatbasen/"

#: field labels of an EØS-notat page (Appendix A.3), longest first where one is a prefix of another
LABELS: tuple[tuple[str, str], ...] = (
    ("sakstrinn", r"Sakstrinn"),
    ("opprettet", r"Opprettet"),
    ("sist_behandlet", r"Dato sist behandlet i spesialutvalg"),
    ("spesialutvalg", r"Spesialutvalg"),
    ("departement", r"Hovedansvarlig(?:e)?\s*(?:\(e\))?\s*departement(?:\(er\)|er)?"),
    ("vedlegg", r"Vedlegg\s*/\s*protokoll i EØS-avtalen"),
    ("kapittel", r"Kapittel i EØS-avtalen"),
    ("status", r"Status"),
    ("sammendrag", r"Sammendrag av innhold"),
    ("merknader", r"Merknader"),
    ("konsekvenser", r"(?:Rettslige|Økonomiske og administrative) konsekvenser"),
    ("sakkyndige", r"Sakkyndige instansers merknader"),
    ("vurdering", r"Vurdering"),
    ("andre", r"Andre opplysninger"),
)  # fmt: skip
#: the labels every EØS-notat page has (Appendix A.3) and the item's fields stand on (published, owner,
#: body, stage): a page without one is a changed layout — red, and nothing of the page is used
EXPECTED_LABELS = {"sakstrinn": "Sakstrinn", "opprettet": "Opprettet",
                   "departement": "Hovedansvarlig(e) departement(er)", "status": "Status",
                   "sammendrag": "Sammendrag av innhold"}  # fmt: skip
_LABEL_RE = re.compile(r"^(?:" + "|".join(f"(?P<{key}>{pattern})" for key, pattern in LABELS) + r")\s*:?\s*(?P<rest>.*)$", re.I)


class NoEosNotaterSpider(TrackerSpider):
    name = "no_eos_notater"
    kind = "eea_note"
    channel = "rss"

    def __init__(self, *args: Any, feed_url: str | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.feed_url = feed_url or os.environ.get(ENV_FEED) or DEFAULT_FEED_URL
        #: the expected labels already noted missing (one note each, naming the first page; None: any)
        self.missing_labels: set[str | None] = set()

    async def start(self) -> AsyncIterator[scrapy.Request]:
        yield self.revalidate(self.feed_url, self.parse, dont_filter=True)

    # ------------------------------------------------------------------ feed

    def parse(self, response: Response, **kwargs: Any) -> Iterator[Any]:
        if response.status == 304:
            self.count("feed_not_modified")
            return
        entries, problem = self.parse_feed(response, "EØS-notat RSS")
        if problem:
            self.note("red", f"{problem} — feed URL unverified: {self.feed_url}")
            return
        notes = [e for e in entries if NOTE_PATH in (e.get("link") or "")]
        if not notes:
            self.note("red", f"the feed holds {len(entries)} entries but no EØS-notat "
                             f"(no link under {NOTE_PATH}): documentType value wrong? {self.feed_url}")
            return
        if skipped := len(entries) - len(notes):
            self.count("feed_entries_not_notes", skipped)
        published = []
        for entry in notes:
            item = self._item_from_entry(entry)
            if item is None:
                continue
            if item.get("published"):
                published.append(item["published"])
            yield self.follow_detail(item)
        self.set_listing(complete=False, since=min(published) if published else None, channel="rss")

    def _item_from_entry(self, entry: Any) -> Any | None:
        fields = self.feed_entry(entry, self.feed_url)
        native_id = regjeringen.page_id(fields.url, fields.guid) if fields else None
        if fields is None or native_id is None:
            if fields is not None:
                self.parse_error("EØS-notat RSS item without a page id", fields.url)
            return None
        return self.make_item(native_id=native_id, url=regjeringen.clean_link(fields.url), title=fields.title,
                              summary=fields.summary or None, published=iso(fields.published), language="nb",
                              extra={"detail": "pending"})

    # ------------------------------------------------------------------ detail

    def parse_detail(self, response: Response, item: Any) -> Iterator[Any]:
        if not self.detail_usable(response, item, "EØS-notat pages"):
            yield self._page_not_read(item)
            return
        lines = page_lines(response)
        fields, seen = self._parse_fields(lines)
        if not seen:
            self.parse_error("EØS-notat page without any known label", response.url)
            self._labels_missing(None, response.url)
        for key, label in EXPECTED_LABELS.items():
            if seen and key not in seen:
                self._labels_missing(label, response.url)
        if not seen or any(key not in seen for key in EXPECTED_LABELS):
            item["extra"] = {**item["extra"], "detail": "unreadable"}
            yield self._page_not_read(item)
            return
        created = parse_date(fields.get("opprettet"))
        if created:
            item["published"] = iso(created)
        if fields.get("departement"):
            item["owner"] = fields["departement"]
        english = self._parse_english_title(lines)
        body = [english] if english else []
        for key, heading in (("status", "Status"), ("sammendrag", "Sammendrag av innhold"),
                             ("merknader", "Merknader"), ("vurdering", "Vurdering")):
            if fields.get(key):
                body.append(f"{heading}: {fields[key]}")
        if body:
            item["body"] = "\n\n".join(body)
        if fields.get("sammendrag") and not item.get("summary"):
            item["summary"] = fields["sammendrag"][:500]
        item["extra"] = {
            **item["extra"], "detail": "ok",
            "sakstrinn": fields.get("sakstrinn"), "spesialutvalg": fields.get("spesialutvalg"),
            "sist_behandlet": fields.get("sist_behandlet"), "status_text": fields.get("status"),
            "eea_annex": fields.get("vedlegg"), "eea_chapter": fields.get("kapittel"),
            "english_title": english,
        }
        yield item

    def _labels_missing(self, label: str | None, url: str) -> None:
        """A page without the expected `label` (None: without any label): red once a label,
        naming the first page."""
        self.count("detail_labels_missing")
        if label in self.missing_labels:
            return
        self.missing_labels.add(label)
        if label:
            self.note("red", f"EØS-notat pages without the label '{label}' (first: {url}), stored fields kept: "
                             "page layout changed?")
        else:
            self.note("red", f"EØS-notat pages without any known label (first: {url}), stored fields kept: "
                             "page layout changed?")

    def detail_failed(self, failure: Any) -> Iterator[Any]:
        for item in super().detail_failed(failure):
            yield self._page_not_read(item)

    def _page_not_read(self, item: Any) -> Any:
        """`item` as the feed gave it, when its page was not read (blocked, failed, unreadable):
        the feed's pubDate is not the note's «Opprettet», so a note whose page was read before keeps
        the stored date (the store keeps a field the scrape did not observe) — no false «published»
        change on a day the pages are blocked."""
        if self.page_read_before(item.get("native_id")) and "published" in item:
            del item["published"]
        return item

    @staticmethod
    def _parse_fields(lines: list[str]) -> tuple[dict[str, str], set[str]]:
        """(label → text up to the next label, the labels found — with or without a text)."""
        fields: dict[str, list[str]] = {}
        current: str | None = None
        for line in lines:
            m = _LABEL_RE.match(line)
            if m:
                current = next(key for key, _ in LABELS if m.group(key))
                if current in fields:  # a label repeated (e.g. "Status" in a menu): keep the first
                    current = None
                    continue
                fields[current] = [m.group("rest")] if m.group("rest") else []
            elif current:
                fields[current].append(line)
        return {k: " ".join(v).strip() for k, v in fields.items() if " ".join(v).strip()}, set(fields)

    @staticmethod
    def _parse_english_title(lines: list[str]) -> str | None:
        for line in lines[:12]:
            if re.match(r"^(?:Proposal for|Commission (?:Delegated|Implementing)|Regulation|Directive)\b", line):
                return line
        return None
