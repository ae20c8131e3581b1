"""EU acts on the watchlist: Cellar SPARQL, with the Official Journal RSS as second channel.

Channel 1 — the Publications Office's Cellar SPARQL endpoint
(``https://publications.europa.eu/webapi/rdf/sparql``, docs/sources.md §4), one
GET per watched CELEX number (``celex`` in data/watchlist.toml; GET so each query
has its own URL, which the HTTP cache and the replay format key on). Each query
asks for the act itself and for the works that amend it, consolidate it, correct
it (corrigenda) or are based on it. Results are SPARQL JSON (``head.vars``,
``results.bindings``).

The watched act is bound directly, by its CELEX resource
(``?act owl:sameAs <http://publications.europa.eu/resource/celex/32024L1760>``): an index
lookup. (A ``FILTER(STR(?celex) = "…")`` would scan every CELEX literal in Cellar, which
Virtuoso endpoints abandon with a timeout.) ``act_consolidated_consolidates_resource_legal``
also points from the consolidated texts of acts that the watched act amends, so a consolidated
version is kept only when its CELEX derives from the watched one
(``32024L1760`` → ``02024L1760-<yyyymmdd>``); the others are counted
(``tracker/consolidated_of_other_act``) and dropped.

A query that times out (network timeout, HTTP 504/500 with a Virtuoso timeout message, or
Virtuoso's "anytime" partial answer, header ``X-SQL-State: S1TAT``) or that returns nothing
for a watched act (not even the act itself) is amber with that reason, naming the act. When not
one query gave a result — each failed, or (more than one act watched) each returned nothing —
the endpoint failed, not the watchlist: the source is red, naming what the queries got
("16 queries: HTTP 500"), and no act is called a typo.

**Unverified**: the cdm predicates other than ``resource_legal_id_celex``,
``work_date_document`` and the expression/title/language chain —
``resource_legal_amends_resource_legal``, ``act_consolidated_consolidates_resource_legal``,
``resource_legal_corrects_resource_legal``, ``resource_legal_based_on_resource_legal`` —
are taken from public projects' notes and have not been checked live. A query
that returns nothing for a watched act (not even the act itself) is reported as
an unknown CELEX (amber, naming the watchlist entry).

Channel 2 — the OJ L RSS ``https://eur-lex.europa.eu/EN/display-feed.rss?rssId=222``
(today's acts): an entry whose title or description cites a watched act's CELEX
number, act number "(EU) yyyy/n" or COM number becomes an item too. A SPARQL
error (HTTP 400/500, malformed JSON) is an amber note ("… RSS used"); the RSS is
read in any case, and if SPARQL fails entirely the RSS is the only channel (red: it finds only
today's acts, none of the amendments, consolidations and corrigenda of the past).

Items: kind ``eu_act_update``, native id = the CELEX number of the work (the
RSS entry's own act number turned into CELEX when the title names its type, else
the OJ reference). A work related to several watched acts (the stop-the-clock
directive amends both CSRD and CSDDD) is one item naming all of them.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import urlencode

import scrapy
from scrapy.http import Response

from crawlers.dates import BRUSSELS, iso, parse_date
from crawlers.notes import tally
from crawlers.spiders.base import TrackerSpider
from crawlers.watchlist_file import WATCHLIST_SETTING, WatchEntry, WatchlistError
from crawlers.watchlist_file import load as load_watchlist

SPARQL_ENDPOINT = "https://publications.europa.eu/webapi/rdf/sparql"
OJ_RSS = "https://eur-lex.europa.eu/EN/display-feed.rss?rssId=222"
EURLEX = "https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:{celex}"

CELEX_RESOURCE = "http://publications.europa.eu/resource/celex/{celex}"
#: what a CELEX number may contain (so it can be put into an IRI as it is)
_CELEX_OK = re.compile(r"^[0-9][0-9A-Z()_.\-]{5,40}$")
QUERY = """PREFIX cdm: <http://publications.europa.eu/ontology/cdm#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
SELECT DISTINCT ?relation ?celex ?date ?title WHERE {{
  ?act owl:sameAs <{resource}> .
  {{ ?work owl:sameAs <{resource}> . BIND("self" AS ?relation) }}
  UNION {{ ?work cdm:resource_legal_amends_resource_legal ?act . BIND("amends" AS ?relation) }}
  UNION {{ ?work cdm:act_consolidated_consolidates_resource_legal ?act . BIND("consolidated" AS ?relation) }}
  UNION {{ ?work cdm:resource_legal_corrects_resource_legal ?act . BIND("corrigendum" AS ?relation) }}
  UNION {{ ?work cdm:resource_legal_based_on_resource_legal ?act . BIND("based_on" AS ?relation) }}
  ?work cdm:resource_legal_id_celex ?celex .
  OPTIONAL {{ ?work cdm:work_date_document ?date }}
  OPTIONAL {{ ?expr cdm:expression_belongs_to_work ?work ;
                   cdm:expression_uses_language <http://publications.europa.eu/resource/authority/language/ENG> ;
                   cdm:expression_title ?title }}
}}
ORDER BY ?date
LIMIT 500"""
#: the daily query's LIMIT: an answer of as many rows may have been cut
QUERY_LIMIT = int(QUERY.rsplit("LIMIT", 1)[1])

RELATION_TEXT = {
    "self": "Watched act",
    "amends": "Amends",
    "consolidated": "Consolidated version of",
    "corrigendum": "Corrigendum to",
    "based_on": "Adopted on the basis of",
    "rss": "Official Journal: cites",
}
_TYPE = (("delegated regulation", "R"), ("implementing regulation", "R"), ("regulation", "R"),
         ("directive", "L"), ("decision", "D"))  # fmt: skip
_OWN_NUMBER = re.compile(r"^\s*(?:Commission\s+|Council\s+)?(?P<type>(?:Delegated |Implementing )?(?:Regulation|Directive|Decision))"
                         r"\s*\((?:EU|EU, Euratom)\)\s*(?P<year>\d{4})/(?P<num>\d{1,4})\b", re.I)
_CELEX_IN_LINK = re.compile(r"CELEX(?::|%3A)([0-9A-Z()\-]+)", re.I)
_OJ_IN_LINK = re.compile(r"uri=OJ(?::|%3A)([A-Z]_?\d{6,})", re.I)


def sparql_url(celex: str, *, since: int | None = None, limit: int = QUERY_LIMIT, offset: int = 0) -> str:
    """The GET URL of the query for one watched act (ValueError for a CELEX that cannot be one).

    The daily query is the plain QUERY. With `since` (a year: `ncp-tracker backfill`) the related
    works are limited to those dated from 1 January of that year on (the act itself, and works
    without a date, always come back), ordered for paging, `limit` rows from `offset`."""
    if not _CELEX_OK.match(celex):
        raise ValueError(f"not a CELEX number: {celex!r}")
    query = QUERY.format(resource=CELEX_RESOURCE.format(celex=celex))
    if since is not None:
        window = (f'  FILTER(?relation = "self" || !BOUND(?date) || ?date >= "{int(since):04d}-01-01"'
                  "^^<http://www.w3.org/2001/XMLSchema#date>)\n}\n")
        query = (query.replace(f"}}\nORDER BY ?date\nLIMIT {QUERY_LIMIT}", window.rstrip("\n")
                               + f"\nORDER BY ?date ?celex ?relation\nLIMIT {int(limit)}\nOFFSET {int(offset)}"))
    return SPARQL_ENDPOINT + "?" + urlencode({"query": query, "format": "application/sparql-results+json"})


def derives_from(consolidated: str, celex: str) -> bool:
    """True when `consolidated` is a consolidated text of the act `celex`: 32024L1760 → 02024L1760-20250417."""
    return len(celex) > 1 and consolidated.split("-", 1)[0] == "0" + celex[1:]


def act_number(entry: WatchEntry) -> tuple[int, int] | None:
    """(year, number) of a watched act from its CELEX (3yyyyTnnnn)."""
    if entry.celex and (m := re.match(r"^[03](\d{4})[LRD](\d{4})", entry.celex)):
        return int(m.group(1)), int(m.group(2))
    return None


def _stored_relations(known: dict[str, Any] | None) -> list[dict[str, str]]:
    """The relations the store holds for a work (its `extra.relations`, given in `known`), each a
    {"relation", "watch", "celex"} of texts; anything else there is passed over."""
    listed = (known or {}).get("relations")
    if not isinstance(listed, list):
        return []
    return [{"relation": r["relation"], "watch": r["watch"], "celex": r.get("celex") or ""} for r in listed
            if isinstance(r, dict) and isinstance(r.get("relation"), str) and isinstance(r.get("watch"), str)]


def citation(entry: WatchEntry) -> str:
    """How the watched act is cited in items: "Directive (EU) 2024/1760 (CSDDD)"."""
    base = entry.act or (entry.com if entry.com else f"CELEX {entry.celex}")
    return f"{base} ({entry.name})"


class EuCellarSpider(TrackerSpider):
    name = "eu_cellar"
    kind = "eu_act_update"
    #: a work's relations as stored: a crawl adds the ones it found to those of acts whose query did
    #: not come back whole (`_items`)
    known_extra = ("relations",)
    channel = "sparql"
    allowed_domains = ["publications.europa.eu", "eur-lex.europa.eu"]

    def __init__(self, *args: Any, watchlist: str | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.watchlist_path = watchlist
        self.entries: list[WatchEntry] = []
        #: every watched act by its id, in the watchlist's order (a backfill queries one of them)
        self.watched: dict[str, WatchEntry] = {}
        #: work CELEX -> aggregated facts
        self.works: dict[str, dict[str, Any]] = {}
        self.sparql_ok = 0
        self.sparql_failed = 0
        #: what each failed query got, in short ("HTTP 500", "timed out"): the red reason's causes
        self.sparql_causes: list[str] = []
        #: watched acts whose query answered with no row at all, judged once all are answered
        self.answered_nothing: list[WatchEntry] = []
        #: queries not yet answered; the OJ RSS is read when it reaches 0
        self.pending = 0
        #: watched acts whose query came back whole (rows, fewer than its LIMIT): the works related
        #: to them are those it named, in the ways it named (`_items`)
        self.answered: set[str] = set()

    async def start(self) -> AsyncIterator[scrapy.Request]:
        try:
            self.entries = [e for e in load_watchlist(self.watchlist_path or self.settings.get(WATCHLIST_SETTING)) if e.celex]
            self.watched = {e.id: e for e in self.entries}
        except WatchlistError as exc:
            self.note("red", f"watchlist invalid: {exc}")
            return
        for entry in [e for e in self.entries if not _CELEX_OK.match(e.celex)]:
            self.note("amber", f"watchlist CELEX {entry.celex!r} ({entry.id}) is not a CELEX number: not queried")
            self.entries.remove(entry)
        if not self.entries:
            self.note("amber", "no CELEX numbers in the watchlist")
            return
        # all queries are queued at once: Scrapy's per-domain concurrency, delay and AutoThrottle
        # keep them polite, and a chain of one-at-a-time queries would make every run wait on it
        self.pending = len(self.entries)
        for index in range(len(self.entries)):
            yield self._sparql_request(index)

    def _sparql_request(self, index: int) -> scrapy.Request:
        entry = self.entries[index]
        return scrapy.Request(sparql_url(entry.celex), callback=self.parse_sparql, errback=self.sparql_failed_err,
                              cb_kwargs={"index": index}, headers={"Accept": "application/sparql-results+json"},
                              dont_filter=True)

    def _next(self, index: int) -> Iterator[scrapy.Request]:
        """The OJ RSS, once every watched act's query has been answered (or has failed)."""
        self.pending -= 1
        if self.pending:
            return
        if not self.sparql_ok and (self.sparql_failed or len(self.answered_nothing) > 1):
            # not one watched act came back: the endpoint failed (every act a typo is not likely)
            causes = Counter(self.sparql_causes + ["no results"] * len(self.answered_nothing))
            self.note("red", f"SPARQL endpoint failed for every watched act ({causes.total()} queries: "
                             f"{tally(causes.items())}): OJ RSS is the only channel")
            self.set_listing(complete=False, channel="rss")
        else:
            for entry in self.answered_nothing:
                self._add_bindings(entry, [])  # says so, naming the act
        yield self.revalidate(OJ_RSS, self.parse_rss, errback=self.rss_failed, dont_filter=True)

    # ------------------------------------------------------------------ SPARQL

    def parse_sparql(self, response: Response, index: int) -> Iterator[Any]:
        entry = self.entries[index]
        bindings = self._bindings(response, entry)
        if bindings == []:
            self.answered_nothing.append(entry)
        elif bindings is not None:
            self.sparql_ok += 1
            if len(bindings) < QUERY_LIMIT:
                self.answered.add(entry.id)
            self._add_bindings(entry, bindings)
        yield from self._next(index)

    def sparql_failed_err(self, failure: Any) -> Iterator[Any]:
        index = failure.request.cb_kwargs["index"]
        entry = self.entries[index]
        self.sparql_failed += 1
        timeout = "timed out" if "Timeout" in failure.type.__name__ else "failed"
        self.sparql_causes.append("timed out" if timeout == "timed out" else failure.type.__name__)
        self.note("amber", f"SPARQL for {entry.celex} ({entry.id}) {timeout} ({failure.type.__name__}); "
                           "OJ RSS used as fallback")
        yield from self._next(index)

    def _bindings(self, response: Response, entry: WatchEntry, *, level: str = "amber",
                  consequence: str = "OJ RSS used as fallback") -> list[dict] | None:
        what = f"SPARQL for {entry.celex} ({entry.id})"
        problem = cause = None
        state = response.headers.get(b"X-SQL-State", b"").decode("latin-1").strip()
        if self.is_blocked(response) or response.status >= 400:
            problem = cause = f"HTTP {response.status}"
            if response.status in (500, 503, 504) and re.search(rb"(?i)time[ -]?out|S1T00|SR171", response.body[:4000]):
                problem = f"timed out (HTTP {response.status})"
        elif state == "S1TAT":  # Virtuoso's "anytime" answer: whatever it had found when time ran out
            problem, cause = "timed out (partial answer, X-SQL-State S1TAT)", "timed out"
        else:
            try:
                data = json.loads(response.body)
                bindings = data["results"]["bindings"]
                if not isinstance(bindings, list) or "vars" not in data.get("head", {}):
                    raise TypeError("no head.vars / results.bindings")
            except (ValueError, KeyError, TypeError) as exc:
                problem = f"malformed SPARQL JSON ({type(exc).__name__}: {exc})"[:160]
                cause = "malformed answer"
        if problem:
            self.sparql_failed += 1
            self.sparql_causes.append(cause or problem)
            self.note(level, f"{what}: {problem}; {consequence}")
            return None
        return bindings

    def _add_bindings(self, entry: WatchEntry, bindings: list[dict]) -> None:
        found_self = False
        for row in bindings:
            value = {k: (v.get("value") if isinstance(v, dict) else None) for k, v in row.items()}
            relation, celex = value.get("relation"), (value.get("celex") or "").strip()
            if not relation or not celex:
                self.parse_error(f"SPARQL row without relation or celex for {entry.celex}")
                continue
            found_self |= relation == "self"
            if relation == "consolidated" and not derives_from(celex, entry.celex):
                # a consolidated text of an act the watched act amends, not of the watched act
                self.count("consolidated_of_other_act")
                continue
            self._add_work(celex, relation, entry, value.get("title"), value.get("date"), channel="sparql")
        if not bindings:
            self.note("amber", f"SPARQL for {entry.celex} ({entry.id}) answered nothing, not even the act: "
                               "typo in data/watchlist.toml, not published yet, or an endpoint problem?")
        elif not found_self:
            self.note("amber", f"watchlist CELEX {entry.celex} ({entry.id}) not found in Cellar "
                               f"({len(bindings)} related works, but not the act itself)")

    def _add_work(self, celex: str, relation: str, entry: WatchEntry, title: str | None, date: str | None,
                  channel: str, url: str | None = None) -> None:
        work = self.works.setdefault(celex, {"relations": [], "title": None, "date": None, "channels": [],
                                             "url": url})
        if (relation, entry.id) not in [(r["relation"], r["watch"]) for r in work["relations"]]:
            work["relations"].append({"relation": relation, "watch": entry.id, "celex": entry.celex,
                                      "citation": citation(entry)})
        work["title"] = work["title"] or (" ".join(title.split()) if title else None)
        work["date"] = work["date"] or date
        if channel not in work["channels"]:
            work["channels"].append(channel)

    # ------------------------------------------------------------------ RSS

    def parse_rss(self, response: Response) -> Iterator[Any]:
        if response.status != 304:  # second channel: a problem here is amber, SPARQL carries the source
            entries, problem = self.parse_feed(response, "OJ RSS")
            if problem:
                self.note("amber", problem)
            for entry in entries:
                self._match_rss(entry)
        yield from self._items()

    def rss_failed(self, failure: Any) -> Iterator[Any]:
        self.note("amber", f"OJ RSS failed ({failure.type.__name__})")
        yield from self._items()

    def _match_rss(self, rss: Any) -> None:
        title = " ".join((rss.get("title") or "").split())
        text = f"{title} {rss.get('summary') or rss.get('description') or ''}"
        link = rss.get("link") or ""
        own = self._parse_own_celex(title, link)
        for entry in self.entries:
            if own and entry.celex == own:
                relation = "self"
            elif self._cites(entry, text):
                relation = "rss"
            else:
                continue
            date = rss.get("published") or rss.get("updated")
            parsed = parse_date(date, BRUSSELS) if date else None
            key = own or _oj_id(link) or link
            self._add_work(key, relation, entry, title, parsed.date().isoformat() if parsed else None,
                           channel="rss", url=link or None)

    @staticmethod
    def _parse_own_celex(title: str, link: str) -> str | None:
        if m := _CELEX_IN_LINK.search(link):
            return m.group(1)
        if m := _OWN_NUMBER.match(title):
            kind = m.group("type").lower()
            letter = next(letter for word, letter in _TYPE if word in kind)
            return f"3{m.group('year')}{letter}{int(m.group('num')):04d}"
        return None

    @staticmethod
    def _cites(entry: WatchEntry, text: str) -> bool:
        if entry.celex and re.search(rf"(?<![0-9A-Z]){re.escape(entry.celex)}(?![0-9])", text):
            return True
        if number := act_number(entry):
            year, num = number
            if re.search(rf"\((?:EU|EC)\)\s*(?:No\.?\s*)?{year}/{num}(?!\d)", text):
                return True
        m = re.search(r"\((\d{4})\)\s*(\d+)", entry.com or "")
        return bool(m and re.search(rf"COM\s*\(\s*{m.group(1)}\s*\)\s*0*{int(m.group(2))}(?!\d)", text))

    # ------------------------------------------------------------------ items

    def _items(self) -> Iterator[Any]:
        # A work's relations are the ones found and the ones the store holds for it (`known`) to
        # acts whose query did not come back whole (`answered`): each query sees a work's
        # relations to one watched act, and a crawl whose query for one act failed, or a
        # backfill's unit (one act's history), stored a part of them as the whole — a change of
        # the summary the next complete crawl reverted. A whole answer is the truth for its act: a
        # relation it no longer names goes (kept, a link Cellar corrected stayed cited for ever);
        # one the OJ RSS found («cites»: today's feed, no query's) stays. A relation to an act no
        # longer watched is left out (it cannot be cited). They are in the watchlist's order, then
        # RELATION_TEXT's, whatever order the queries came back in: all are sent at once, and in
        # the order they were answered a work related to two watched acts read «Amends A; Amends
        # B» one day and «Amends B; Amends A» the next.
        watch_order = {watch: i for i, watch in enumerate(self.watched)}
        kind_order = {kind: i for i, kind in enumerate(RELATION_TEXT)}
        for celex, work in self.works.items():
            found = {(r["relation"], r["watch"]) for r in work["relations"]}
            stored = [{**r, "citation": citation(self.watched[r["watch"]])}
                      for r in _stored_relations(self.known.get(celex))
                      if r["watch"] in self.watched and (r["relation"], r["watch"]) not in found
                      and (r["watch"] not in self.answered or r["relation"] == "rss")]
            relations = sorted(work["relations"] + stored,
                               key=lambda r: (watch_order.get(r["watch"], len(watch_order)),
                                              kind_order.get(r["relation"], len(kind_order))))
            lines = [f"{RELATION_TEXT.get(r['relation'], r['relation'])} {r['citation']}" for r in relations
                     if r["relation"] != "self"]
            self_rel = next((r for r in relations if r["relation"] == "self"), None)
            title = work["title"] or self._fallback_title(celex, relations)
            if celex.startswith("0") and "-" in celex:
                version = celex.rsplit("-", 1)[1]
                title = f"Consolidated text ({version[:4]}-{version[4:6]}-{version[6:]}): {title}"
            summary = ("Watched act: " + self_rel["citation"]) if self_rel and not lines else "; ".join(lines)
            date = parse_date(work["date"], BRUSSELS) if work["date"] else None
            yield self.make_item(
                native_id=celex,
                url=EURLEX.format(celex=celex) if re.match(r"^[0-9]{5}[A-Z]", celex) else (work["url"] or OJ_RSS),
                title=title,
                summary=summary + ".",
                body=f"CELEX {celex}" if re.match(r"^[0-9]{5}[A-Z]", celex) else None,
                published=iso(date),
                language="en",
                reference=celex,
                channel="+".join(work["channels"]),
                extra={"relations": [{"relation": r["relation"], "watch": r["watch"], "celex": r["celex"]}
                                     for r in relations],
                       "watch": sorted({r["watch"] for r in relations})},
            )

    @staticmethod
    def _fallback_title(celex: str, relations: list[dict]) -> str:
        first = relations[0]
        if first["relation"] == "self":
            return first["citation"]
        return f"{RELATION_TEXT.get(first['relation'], first['relation'])} {first['citation']} (CELEX {celex})"


def _oj_id(link: str) -> str | None:
    m = _OJ_IN_LINK.search(link)
    return f"OJ:{m.group(1)}" if m else None
