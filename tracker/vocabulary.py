"""One vocabulary: the names people read for codes (sources, kinds, statuses, triage states,
labels, health), the same in the digest, mail, feeds, web and drafts.

Every name is a catalogue message (English msgid, Bokmål in tracker/locale/nb); label names come
from `nlp.labels.LABEL_NAMES`. An unknown code is shown as it is — the i18n test renders every
known code in both languages so that never happens for a code the tracker produces.

Words fixed here (one meaning each, the same in the digest and on the web): *Avsender* /
*Sender* is the ministry, committee or body that sent a consultation (items.owner); *Ansvarlig* /
*Adviser* is the NCP adviser who owns the answer (triage owner), never a ministry; *Utkast innen*
/ *Draft due* is the internal draft deadline.
"""

from __future__ import annotations

import errno
import functools
import os
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any, NamedTuple

from crawlers.notes import FIRST_FEW
from tracker.i18n import format_date, gettext, ngettext


def N_(message: str) -> str:
    """Mark a message for the catalogue without translating it here (gettext_noop)."""
    return message


class Plural(NamedTuple):
    """A message with a singular and a plural form, the form chosen by the number in the
    pattern's named group `count` ("1 detail page blocked", "2 detail pages blocked")."""

    singular: str
    plural: str
    count: str


def NP_(singular: str, plural: str, count: str) -> Plural:
    """Mark a singular/plural pair for the catalogue without translating it here (the
    extractor reads the first two arguments, as of ngettext)."""
    return Plural(singular, plural, count)


SOURCE_NAMES: dict[str, str] = {
    "eu_cellar": N_("EU Official Journal (Cellar)"),
    "eu_haveyoursay": N_("EU Have your say"),
    "eu_oeil": N_("European Parliament Legislative Observatory"),
    "no_eos_notater": N_("EEA notes (regjeringen.no)"),
    "no_etikkradet": N_("Council on Ethics"),
    "no_finansdep": N_("Ministry of Finance (GPFG)"),
    "no_forbrukertilsynet": N_("Consumer Authority"),
    "no_lovdata": N_("Lovdata"),
    "no_nbim": N_("Norges Bank Investment Management"),
    "no_regjeringen_horinger": N_("Government hearings (regjeringen.no)"),
    "no_regjeringen_horingssvar": N_("Hearing responses (regjeringen.no)"),
    "no_stortinget_horinger": N_("Storting committee hearings"),
    "no_stortinget_spu": N_("Storting: GPFG cases"),
    "oecd_ncp_cases": N_("OECD: other NCPs' cases"),
    "documents": N_("Documents of the items"),  # not a spider: tracker/documents/pipeline.py
}

KIND_NAMES: dict[str, str] = {
    "hearing": N_("Hearing"),
    "committee_hearing": N_("Committee hearing"),
    "eu_consultation": N_("EU consultation"),
    "eu_act_update": N_("EU act"),
    "eu_procedure": N_("EU procedure"),
    "eea_note": N_("EEA note"),
    "gpfg_document": N_("GPFG document"),
    "gpfg_recommendation": N_("Council on Ethics"),
    "gpfg_decision": N_("Norges Bank"),
    "storting_case": N_("Storting case"),
    "regulator_news": N_("Regulator"),
    "law_change": N_("Law change"),
    "ncp_case": N_("NCP case"),
}

STATUS_NAMES: dict[str, str] = {
    "open": N_("open"),
    "closed": N_("closed"),
    "withdrawn": N_("withdrawn"),
    "upcoming": N_("upcoming"),
    "unknown": N_("unknown"),
}

TRIAGE_NAMES: dict[str, str] = {
    "new": N_("new"),
    "watching": N_("watching"),
    "respond": N_("to answer"),
    "assigned": N_("assigned"),
    "drafting": N_("drafting"),
    "submitted": N_("submitted"),
    "published": N_("published"),
    "not_relevant": N_("not relevant"),
    "closed_unanswered": N_("closed unanswered"),
}

#: change events (tracker.store events.kind) as a person reads them in a history
EVENT_NAMES: dict[str, str] = {
    "new": N_("new"),
    "updated": N_("updated"),
    "deadline_changed": N_("deadline changed"),
    "status_changed": N_("status changed"),
    "stage_changed": N_("stage changed"),
    "times_changed": N_("hearing times changed"),  # a hearing moved, its sittings, a case's hearing deadline
    "forecasts_changed": N_("forecasts changed"),
    "documents_added": N_("documents added"),
    "documents_removed": N_("documents no longer linked"),
    "documents_changed": N_("document changed"),
    "provision_hit": N_("watched provision touched"),
    "vanished": N_("vanished"),
    "reappeared": N_("reappeared"),
}

#: who answered a hearing (crawlers.answers classify_responder: answers.responder_type)
RESPONDER_NAMES: dict[str, str] = {"public_body": N_("public body"), "business": N_("business"),
                                   "ngo": N_("organisation"), "union": N_("trade union")}  # fmt: skip

#: workbench account roles (tracker.workbench.accounts.ROLES)
ROLE_NAMES: dict[str, str] = {"reader": N_("reader"), "adviser": N_("adviser"), "admin": N_("administrator")}

#: GPFG governance stages and actors (tracker.links.gpfg.STAGES, ACTORS): the web, the digest, the CLI
GPFG_STAGE_NAMES: dict[str, str] = {
    "proposal": N_("Proposal / study"), "hearing": N_("Hearing"), "decision": N_("Decision"),
    "white_paper": N_("White paper"), "storting": N_("The Storting"), "other": N_("Other"),
}  # fmt: skip
GPFG_ACTOR_NAMES: dict[str, str] = {
    "Finansdepartementet": N_("Ministry of Finance"), "Etikkrådet": N_("Council on Ethics"),
    "Norges Bank": N_("Norges Bank"), "Stortinget": N_("The Storting"), "Andre": N_("Others"),
}  # fmt: skip

HEALTH_NAMES: dict[str, str] = {"green": N_("OK"), "amber": N_("warning"), "red": N_("FAILING")}
#: a health line's mark at its left edge, four characters at most (`run`'s «[FEIL] Etikkrådet …»:
#: what a log or a cron mail without colours is scanned by); in the reader's language
HEALTH_MARKS: dict[str, str] = {"green": N_("OK"), "amber": N_("WARN"), "red": N_("FAIL")}
#: a crawl's step as its health lines are headed (tracker.jobs.crawl.Step.label, a code that also
#: names the step's digest folder): crawled live, or live and recorded; a replayed day is its date
STEP_NAMES: dict[str, str] = {"live": N_("live"), "record": N_("record")}
#: what one unit of a backfill is (crawlers.backfill: a spider's unit_name, final and retry units;
#: `label_parts`), as its progress lines say it («side 3», «sesjon 2019-2020», «nettstedskart»)
BACKFILL_UNIT_NAMES: dict[str, str] = {
    "page": N_("page"), "session": N_("session"), "act": N_("act"), "unit": N_("unit"),
    "sitemap": N_("sitemap"), "details": N_("detail pages"),
}  # fmt: skip
#: the deadline windows of "needs input" (tracker.attention.urgency.WINDOWS), in their order
WINDOW_NAMES: dict[str, str] = {"this_week": N_("This week"), "next_week": N_("Next week"), "later": N_("Later")}

FIELD_NAMES: dict[str, str] = {
    "title": N_("title"),
    "summary": N_("summary"),
    "body": N_("text"),
    "owner": N_("sender"),
    "reference": N_("reference"),
    "url": N_("link"),
    "published": N_("published"),
    "kind": N_("kind"),
    "deadline": N_("deadline"),
    "status": N_("status"),
    "documents": N_("documents"),
    "stage": N_("stage"),
    "hearing_start": N_("hearing"),
    "anmodningsfrist": N_("deadline to ask to take part"),
    "hearing_times": N_("hearing sittings"),
    "hearing_deadline": N_("hearing deadline of the case"),
    "hearing": N_("hearing"),
    "forecasts": N_("forecasts"),
    "consultees": N_("consultees"),
    "provision": N_("provision"),  # a watched provision a document touches (provision_hit)
}


#: the health reasons of tracker.store.health and the note shapes the spiders use (crawlers/spiders,
#: which cannot import the catalogue), one "; "-separated part each, most specific first. What
#: the spider measured (URL, HTTP status, exception, counts) is kept verbatim; a note of another
#: shape is shown as the spider wrote it.
#: text of a known shape → its catalogue message: (compiled pattern, msgid) pairs
MessageTable = tuple[tuple[re.Pattern[str], str | Plural], ...]


def message_table(pairs: tuple[tuple[str, str | Plural], ...]) -> MessageTable:
    """(regex, msgid) pairs compiled, for `match_message`."""
    return tuple((re.compile(p), m) for p, m in pairs)


def match_message(table: MessageTable, text: str, lang: str,
                  name_values: Callable[[dict[str, str], str], dict[str, str]] | None = None, *,
                  own_words_at: int | None = None) -> str | None:
    """`text` in `lang` when it fully matches a pattern of `table` — the first that does — with the
    pattern's named groups as the message's values (after `name_values`, which names codes); None
    when no pattern matches. With `own_words_at`, a pattern matches only where that position of
    `text` is the pattern's own words, not one of its values (the "; " joining two notes)."""
    for pattern, msgid in table:
        match = pattern.fullmatch(text)
        if match and own_words_at is not None and any(s <= own_words_at < e for s, e in match.regs[1:]):
            match = None
        if match:
            values = match.groupdict()
            shown = name_values(values, lang) if name_values else values
            if isinstance(msgid, Plural):
                return ngettext(lang, msgid.singular, msgid.plural, int(values[msgid.count]), **shown)
            return gettext(lang, msgid, **shown)
    return None


HEALTH_REASONS: MessageTable = message_table((
    (r"(?P<seen>\d+) items?, (?P<new>\d+) new, (?P<changed>\d+) changed",
     NP_("%(seen)s item, %(new)s new, %(changed)s changed", "%(seen)s items, %(new)s new, %(changed)s changed",
         "seen")),
    (r"(?P<seen>\d+) documents?, (?P<new>\d+) new, (?P<changed>\d+) changed",
     NP_("%(seen)s document, %(new)s new, %(changed)s changed",
         "%(seen)s documents, %(new)s new, %(changed)s changed", "seen")),
    (r"no documents to fetch", N_("no documents to fetch")),
    (r"never checked by a daily crawl", N_("never checked by a daily crawl")),  # tracker.digest.build.health
    (r"(?P<seen>\d+) items?, usually about (?P<usual>\d+) \(a changed page\?\)",
     NP_("%(seen)s item, usually about %(usual)s (a changed page?)",
         "%(seen)s items, usually about %(usual)s (a changed page?)", "seen")),
    (r"(?P<num>\d+) detail pages? blocked \(403/challenge\): (?P<pages>.+)",
     NP_("%(num)s detail page blocked (403/challenge): %(pages)s",
         "%(num)s detail pages blocked (403/challenge): %(pages)s", "num")),
    (r"(?P<num>\d+) detail pages? blocked \(403/challenge\)",
     NP_("%(num)s detail page blocked (403/challenge)", "%(num)s detail pages blocked (403/challenge)", "num")),
    # pages of a kind whose block left something not updated (crawlers.notes.BLOCKED_KINDS), counted
    (r"(?P<num>\d+) answer lists? blocked \(403/challenge\), answers not updated: (?P<pages>.+)",
     NP_("%(num)s answer list blocked (403/challenge), answers not updated: %(pages)s",
         "%(num)s answer lists blocked (403/challenge), answers not updated: %(pages)s", "num")),
    (r"(?P<num>\d+) answer lists? blocked \(403/challenge\), answers not updated",
     NP_("%(num)s answer list blocked (403/challenge), answers not updated",
         "%(num)s answer lists blocked (403/challenge), answers not updated", "num")),
    (r"(?P<num>\d+) OEIL procedure files? blocked \(403/challenge\), stage not updated: (?P<pages>.+)",
     NP_("%(num)s procedure file of the Legislative Observatory blocked (403/challenge), stage not updated: %(pages)s",
         "%(num)s procedure files of the Legislative Observatory blocked (403/challenge), stages not updated: "
         "%(pages)s", "num")),
    (r"(?P<num>\d+) OEIL procedure files? blocked \(403/challenge\), stage not updated",
     NP_("%(num)s procedure file of the Legislative Observatory blocked (403/challenge), stage not updated",
         "%(num)s procedure files of the Legislative Observatory blocked (403/challenge), stages not updated", "num")),
    (r"OEIL procedure files blocked \(HTTP 403/429/challenge\): stage not updated",
     N_("procedure files of the Legislative Observatory blocked (HTTP 403/429/challenge): stages not updated")),
    (r"(?P<num>\d+) spider errors?", NP_("%(num)s error while crawling", "%(num)s errors while crawling", "num")),
    (r"(?P<num>\d+) parse errors?", NP_("%(num)s parse error", "%(num)s parse errors", "num")),
    (r"(?P<num>\d+) unreadable date\(s\) left out \(line numbers (?P<lines>.+)\)",  # tracker.jobs.ingest
     NP_("%(num)s unreadable date left out (line numbers %(lines)s)", "%(num)s unreadable dates left out (line numbers %(lines)s)",
         "num")),
    (r"parse errors (?P<errors>\d+)/(?P<attempts>\d+) \((?P<share>\d+%)\)",
     N_("parse errors %(errors)s/%(attempts)s (%(share)s)")),
    (r"(?P<num>\d+) requests? not in the recording",
     NP_("%(num)s request not in the recording", "%(num)s requests not in the recording", "num")),
    (r"zero items \(no items; (?P<num>\d+) responses\)", N_("zero items (no items; %(num)s responses)")),
    (r"zero items \((?P<errors>\d+) spider errors?; (?P<num>\d+) responses\)",
     NP_("zero items (%(errors)s spider error; %(num)s responses)",
         "zero items (%(errors)s spider errors; %(num)s responses)", "errors")),
    (r"zero items \((?P<bad>\d+) of (?P<num>\d+) responses: (?P<causes>.+)\)",  # tracker.store.health
     N_("zero items (%(bad)s of %(num)s responses: %(causes)s)")),
    (r"zero items \((?P<detail>.*)\)", N_("zero items (%(detail)s)")),
    (r"crawl ended early: (?P<why>.*)", N_("crawl ended early: %(why)s")),
    (r"storing failed: (?P<error>.*)", N_("storing failed: %(error)s")),
    # the day named as the folder `--replay` is given (its ISO `folder`), and as the digest writes days
    (r"no recorded responses: the replayed day (?P<folder>\S+) has no recording of this source",  # tracker.jobs.crawl
     N_("no recorded responses: the replayed day %(folder)s (%(day)s) has no recording of this source")),
    (r"vanish guard: (?P<num>\d+) of (?P<total>\d+) open items missing from the listing; none marked vanished "
     r"\(broken page\?\)",
     N_("vanish guard: %(num)s of %(total)s open items missing from the listing; none marked vanished (a broken "
        "page?)")),
    (r"start of the listing window unreadable: (?P<since>.*), none marked vanished",  # tracker.store.merge
     N_("start of the listing window unreadable: %(since)s, none marked vanished")),
    (r"(?P<num>\d+) items? with an unrecognised status word \((?P<words>.*)\): status from the deadline alone",
     NP_("%(num)s item with an unrecognised status word (%(words)s): status from the deadline alone",
         "%(num)s items with an unrecognised status word (%(words)s): status from the deadline alone", "num")),
    # the documents' row (tracker/documents/pipeline.py: record_health)
    (r"fetching documents failed: (?P<error>.*)", N_("fetching documents failed: %(error)s")),
    (r"(?P<failed>\d+) of (?P<num>\d+) documents could not be stored: (?P<error>.*)",
     N_("%(failed)s of %(num)s documents could not be stored: %(error)s")),
    (r"none of (?P<num>\d+) documents gave a result", N_("none of %(num)s documents gave a result")),
    (r"(?P<failed>\d+) of (?P<num>\d+) documents could not be fetched \((?P<why>.*)\)",
     N_("%(failed)s of %(num)s documents could not be fetched (%(why)s)")),
    (r"(?P<missing>\d+) of (?P<num>\d+) documents not in the recording",
     N_("%(missing)s of %(num)s documents not in the recording")),
    (r"(?P<missing>\d+) of (?P<num>\d+) documents gave no result",
     N_("%(missing)s of %(num)s documents gave no result")),
    (r"no items; last download error: (?P<download>.*)", N_("no items; last download error: %(download)s")),
    # eu_cellar: a watched act's SPARQL query failing, the OJ RSS taking over
    (r"SPARQL for (?P<act>\S+ \([^)]*\)):? timed out \((?P<detail>.+)\)",
     N_("SPARQL query for %(act)s: timed out (%(detail)s)")),
    (r"SPARQL for (?P<act>\S+ \([^)]*\)) failed \((?P<error>.+)\)", N_("SPARQL query for %(act)s failed (%(error)s)")),
    (r"SPARQL for (?P<act>\S+ \([^)]*\)): HTTP (?P<status>\d{3})", N_("SPARQL query for %(act)s: HTTP %(status)s")),
    (r"SPARQL for (?P<act>\S+ \([^)]*\)): malformed SPARQL JSON \((?P<error>.+)\)",
     N_("SPARQL query for %(act)s: malformed answer (%(error)s)")),
    (r"OJ RSS used as fallback", N_("the Official Journal's RSS used instead")),
    (r"SPARQL endpoint failed for every watched act \((?P<num>\d+) queries: (?P<causes>.+)\): OJ RSS is the only "
     r"channel",
     N_("the SPARQL endpoint failed for every watched act (%(num)s queries: %(causes)s): the Official Journal's RSS "
        "is the only channel")),
    # the fallbacks of the two main sources failing too (red); `inner` is itself a reason
    (r"fallback failed too: (?P<inner>.+)", N_("the fallback failed too: %(inner)s")),
    # regjeringen.no's hearings listing (the feed's fallback and second channel) and why it failed
    (r"the hearings listing \(fallback\) (?P<inner>.+)", N_("the hearings listing (fallback) %(inner)s")),
    (r"hearings listing \(fallback\) (?P<inner>.+): only (?P<num>\d+) page\(s\) read",
     N_("the hearings listing (fallback) %(inner)s: only %(num)s page(s) read")),
    (r"hearings listing \(second channel\) (?P<inner>.+): deadlines and status not cross-checked",
     N_("the hearings listing (second channel) %(inner)s: deadlines and status not cross-checked")),
    (r"gave no answer \((?P<inner>.+)\)", N_("gave no answer (%(inner)s)")),
    (r"answered HTTP (?P<status>\d{3}) \(bot challenge\) on page (?P<page>\d+)",
     N_("answered HTTP %(status)s (bot challenge) on page %(page)s")),
    (r"answered HTTP (?P<status>\d{3}) on page (?P<page>\d+)", N_("answered HTTP %(status)s on page %(page)s")),
    (r"page (?P<page>\d+) has no hearings \(li\.listItem\) — markup changed\?",
     N_("page %(page)s has no hearings (li.listItem): has the markup changed?")),
    # other spiders' red notes (a page's structure changed, a feed or a watchlist unusable)
    (r"watchlist invalid: (?P<error>.+)", N_("the list of watched EU files is invalid: %(error)s")),
    (r"(?P<inner>.+) — feed URL unverified: (?P<url>\S+)", N_("%(inner)s — the feed's address is unverified: %(url)s")),
    (r"the feed holds (?P<num>\d+) entries but no EØS-notat \(no link under (?P<path>\S+)\): documentType value "
     r"wrong\? (?P<url>\S+)",
     N_("the feed holds %(num)s entries but no EEA note (no link under %(path)s): is its documentType wrong? %(url)s")),
    (r"(?P<inner>.+) \(feed URL unverified\); using the front page listing",
     N_("%(inner)s (the feed's address is unverified); the front page listing is used instead")),
    (r"front page listing has no recognisable posts", N_("the front page listing has no recognisable posts")),
    (r"press release listing has no (?P<selector>\S+) \(page structure changed\?\)",
     N_("the press release listing has no %(selector)s: has the page's structure changed?")),
    (r"case listing has no links to (?P<path>\S+) pages \(layout unverified, changed\?\)",
     N_("the case listing has no links to %(path)s pages: has the layout changed?")),
    (r"spider argument `hearings` is not valid JSON", N_("the spider argument `hearings` is not valid JSON")),
    # the frequent amber notes: Stortinget's fallback channel, regjeringen.no's truncated feed, EU files
    (r"fallback channel in use: eksport/saker \+ eksport/sak HOERFRIST \((?P<inner>.+)\)",
     N_("the fallback channel is in use: eksport/saker + eksport/sak HOERFRIST (%(inner)s)")),
    (r"fallback: only the (?P<num>\d+) most recently updated of (?P<total>\d+) pending cases checked",
     N_("fallback: only the %(num)s most recently updated of %(total)s pending cases checked")),
    (r"fallback: some eksport/sak requests failed \((?P<error>.+?)\); hearings of those cases missing this run",
     N_("fallback: some eksport/sak requests failed (%(error)s); the hearings of those cases are missing this run")),
    (r"RSS feed looks truncated \((?P<num>\d+) items\): (?P<missing>\d+) hearing\(s\) on listing page (?P<page>\d+) "
     r"are missing from it \(kept from the listing\)",
     N_("the RSS feed looks truncated (%(num)s items): %(missing)s hearing(s) on listing page %(page)s are missing "
        "from it (kept from the listing)")),
    (r"OJ RSS failed \((?P<error>\w+)\)", N_("the Official Journal's RSS failed (%(error)s)")),
    (r"SPARQL for (?P<act>\S+ \([^)]*\)) answered nothing, not even the act: typo in data/watchlist\.toml, not "
     r"published yet, or an endpoint problem\?",
     N_("SPARQL query for %(act)s answered nothing, not even the act: a typo in data/watchlist.toml, not published "
        "yet, or a problem of the endpoint?")),
    (r"watchlist CELEX (?P<act>\S+ \([^)]*\)) not found in Cellar \((?P<num>\d+) related works, but not the act "
     r"itself\)",
     N_("watched CELEX %(act)s not found in Cellar (%(num)s related works, but not the act itself)")),
    (r"OEIL blocked \(HTTP (?P<status>\d{3})\) for (?P<ref>\S+): stage not updated",
     N_("the Legislative Observatory blocked the request (HTTP %(status)s) for %(ref)s: stage not updated")),
    (r"OEIL has no procedure file for (?P<ref>\S+) \(404\): check the watchlist reference",
     N_("the Legislative Observatory has no procedure file for %(ref)s (404): check the watchlist's reference")),
    (r"OEIL answered HTTP (?P<status>\d{3}) for (?P<ref>\S+)",
     N_("the Legislative Observatory answered HTTP %(status)s for %(ref)s")),
    (r"OEIL request failed for (?P<ref>\S+) \((?P<error>\w+)\)",
     N_("the request to the Legislative Observatory for %(ref)s failed (%(error)s)")),
    # regjeringen.no: the detail page and the listing disagreeing, the listing read instead of the feed
    (r"hearing (?P<id>\S+): deadline (?P<detail>\S+) on the detail page, (?P<listing>\S+) in the listing",
     N_("hearing %(id)s: deadline %(detail)s on the detail page, %(listing)s in the listing")),
    (r"hearing (?P<id>\S+): status (?P<detail>.+) on the detail page, (?P<listing>.+) in the listing",
     N_("hearing %(id)s: status %(detail)s on the detail page, %(listing)s in the listing")),
    (r"hearings published before (?P<day>\S+) not checked for vanishing \(truncated feed\)",
     N_("hearings published before %(day)s not checked for vanishing (truncated feed)")),
    (r"no hearing checked for vanishing \(truncated feed\)", N_("no hearing checked for vanishing (truncated feed)")),
    # regjeringen.no: a hearing page whose Høringsfrist could not be read (the page and its words named)
    (r"hearing (?P<id>\S+): unreadable Høringsfrist (?P<words>.*) on its page (?P<url>\S+): deadline not read from it",
     N_("hearing %(id)s: unreadable Høringsfrist %(words)s on its page %(url)s: deadline not read from it")),
    (r"hearing (?P<id>\S+): no Høringsfrist on its page (?P<url>\S+): deadline not read from it",
     N_("hearing %(id)s: no Høringsfrist on its page %(url)s: deadline not read from it")),
    (r"hearing (?P<id>\S+): the time in Høringsfrist (?P<words>.*) on its page (?P<url>\S+) is no time of day: "
     r"deadline taken as the end of (?P<day>\S+)",
     N_("hearing %(id)s: the time in Høringsfrist %(words)s on its page %(url)s is no time of day: the deadline is "
        "taken as the end of %(day)s")),
    (r"hearing (?P<id>\S+): deadline (?P<day>\S+) taken from the listing instead",
     N_("hearing %(id)s: deadline %(day)s taken from the listing instead")),
    (r"hearings read from the listing instead \((?P<num>\d+) page\(s\)\)",
     N_("the hearings were read from the listing instead (%(num)s page(s))")),
    (r"hearings listing: still new hearings on page (?P<page>\d+), the last one read \((?P<setting>.+)\)",
     N_("hearings listing: still new hearings on page %(page)s, the last one read (%(setting)s)")),
    # the backfill's spiders (crawlers/backfill.py): pages of history, the retry of pages never read
    (r"(?P<what>.+?) never read failed again \((?P<why>.+)\): the next backfill tries again",
     N_("%(what)s never read failed again (%(why)s): the next backfill tries again")),
    (r"(?P<num>\d+) stored (?P<what>.+?) never read: (?P<limit>\d+) read now, the next backfill goes on",
     N_("%(num)s stored %(what)s never read: %(limit)s read now, the next backfill goes on")),
    (r"hearings listing page (?P<page>\d+) answered HTTP (?P<status>\d{3}) \(bot challenge\): this page of history "
     r"was not read",
     N_("the hearings listing's page %(page)s answered HTTP %(status)s (bot challenge): this page of history was not "
        "read")),
    (r"hearings listing page (?P<page>\d+) answered HTTP (?P<status>\d{3}): this page of history was not read",
     N_("the hearings listing's page %(page)s answered HTTP %(status)s: this page of history was not read")),
    (r"hearings listing page (?P<page>\d+) holds (?P<num>\d+) hearings but says it shows (?P<said>\d+) "
     r"\((?P<words>[^)]*)\): cut short\?",
     N_("the hearings listing's page %(page)s holds %(num)s hearings but says it shows %(said)s (%(words)s): was it "
        "cut short?")),
    (r"hearings listing page (?P<page>\d+) holds (?P<num>\d+) hearings, without saying how many it shows, and no "
     r"pagination: cut short\?",
     N_("the hearings listing's page %(page)s holds %(num)s hearings, without saying how many it shows, and has no "
        "pagination: was it cut short?")),
    (r"hearings listing page (?P<page>\d+) holds (?P<num>\d+) hearings, without saying how many it shows, and page "
     r"(?P<same>\d+) of (?P<pages>\d+): cut short\?",
     N_("the hearings listing's page %(page)s holds %(num)s hearings, without saying how many it shows, and is page "
        "%(same)s of %(pages)s: was it cut short?")),
    (r"hearings listing page (?P<page>\d+) has no hearings \(li\.listItem\) — markup changed\?",
     N_("the hearings listing's page %(page)s has no hearings (li.listItem): has the markup changed?")),
    (r"robots\.txt answered HTTP (?P<status>\d{3}): the sitemap it names was not read",
     N_("robots.txt answered HTTP %(status)s: the sitemap it names was not read")),
    (r"robots\.txt names no sitemap \(no 'Sitemap:' line\)", N_("robots.txt names no sitemap (no 'Sitemap:' line)")),
    (r"sitemap (?P<url>\S+) is neither a urlset nor a sitemapindex \((?P<type>.*)\)",
     N_("the sitemap %(url)s is neither a urlset nor a sitemapindex (%(type)s)")),
    (r"detail pages of hearings found only in the sitemap failed \((?P<why>.+)\): not stored, the next backfill "
     r"tries again",
     N_("the detail pages of hearings found only in the sitemap failed (%(why)s): not stored, the next backfill "
        "tries again")),
    (r"searchInitiatives page (?P<page>\d+) \(history\): unknown response shape \((?P<keys>.*)\)",
     N_("searchInitiatives page %(page)s (history): an answer of unknown shape (%(keys)s)")),
    (r"searchInitiatives page (?P<page>\d+) \(history\) holds no initiatives",
     N_("searchInitiatives page %(page)s (history) holds no initiatives")),
    (r"CELEX (?P<celex>\S+) is not in the watchlist \(any more\): nothing to backfill",
     N_("CELEX %(celex)s is not in the list of watched EU files (any more): no history to fetch")),
    # a backfill's page of an act's history that could not be read (after the query's own reason)
    (r"history of this act not read \(rows from (?P<offset>\d+) on\)",
     N_("the history of this act was not read (from row %(offset)s on)")),
    (r"SPARQL for (?P<celex>\S+) timed out \((?P<why>.+)\): history of this act not read",
     N_("SPARQL query for %(celex)s: timed out (%(why)s): the history of this act was not read")),
    (r"SPARQL for (?P<celex>\S+) failed \((?P<why>.+)\): history of this act not read",
     N_("SPARQL query for %(celex)s failed (%(why)s): the history of this act was not read")),
    # a recording (`ncp-tracker record`) that could not keep an answer
    (r"recording incomplete: a 304 without a cached body was not recorded",
     N_("the recording is incomplete: a 304 answer without a cached copy was not recorded")),
    # regjeringen.no's published answers (høringssvar), whose pages may answer 403 to bots
    (r"no answer list could be read \(0 of (?P<num>\d+) hearings?\): blocked \(HTTP 403/429/challenge or "
     r"robots\.txt\)",
     NP_("no answer list could be read (0 of %(num)s hearing): blocked (HTTP 403/429/challenge or robots.txt)",
         "no answer list could be read (0 of %(num)s hearings): blocked (HTTP 403/429/challenge or robots.txt)",
         "num")),
    (r"no answer list could be read \(0 of (?P<num>\d+) hearings?\)",
     NP_("no answer list could be read (0 of %(num)s hearing)", "no answer list could be read (0 of %(num)s hearings)",
         "num")),
    (r"answer lists blocked \(HTTP 403/429/challenge\): answers not updated",
     N_("the answer lists blocked (HTTP 403/429/challenge): answers not updated")),
    (r"answer lists blocked by robots\.txt \(not fetched\): answers cannot be read for these hearings, "
     r"e\.g\. (?P<url>\S+)",
     N_("the answer lists blocked by robots.txt (not fetched): answers cannot be read for these hearings, "
        "e.g. %(url)s")),
    # Have your say's paging
    (r"searchInitiatives has (?P<total>\d+) pages", N_("searchInitiatives has %(total)s pages")),
    (r"searchInitiatives page (?P<page>\d+) holds (?P<num>\d+) initiatives but says numberOfElements (?P<said>\d+) "
     r"\(cut short\?\): none marked vanished",
     N_("searchInitiatives page %(page)s holds %(num)s initiatives but says it holds %(said)s (numberOfElements; cut "
        "short?): none is marked as vanished")),
    (r"searchInitiatives: (?P<num>\d+) of the (?P<total>\d+) initiatives it announces \(totalElements\) read: "
     r"listing incomplete, none marked vanished",
     N_("searchInitiatives: %(num)s of the %(total)s initiatives it announces (totalElements) were read: the listing "
        "is incomplete, none is marked as vanished")),
    (r"only (?P<num>\d+) read", N_("only %(num)s read")),
    (r"page (?P<page>\d+) was empty, so the pages after it were not read",
     N_("page %(page)s was empty, so the pages after it were not read")),
    # Stortinget's committee hearings: the export without a key it had (schema drift), a web page for the export
    (r"eksport/horinger: field\(s\) missing from every hearing \((?P<num>\d+)\): (?P<fields>.+?) \(has the export "
     r"changed\?\): their stored values are kept",
     N_("eksport/horinger: field(s) missing from every hearing (%(num)s): %(fields)s (has the export changed?): their "
        "stored values are kept")),
    (r"eksport/horinger: field\(s\) missing from every hearing \((?P<num>\d+)\): (?P<fields>.+?) \(has the export "
     r"changed\?\): no hearing read, the stored ones are kept",
     N_("eksport/horinger: field(s) missing from every hearing (%(num)s): %(fields)s (has the export changed?): no "
        "hearing read, the stored ones are kept")),
    # …and a hearing's or case's status or type of a shape or word the export did not give (stortinget.drift)
    (r"(?P<what>eksport/\S+): unknown values of '(?P<field>[^']+)': (?P<values>.+) \(has the export changed\?\)",
     N_("%(what)s: unknown values of '%(field)s': %(values)s (has the export changed?)")),
    (r"(?P<what>eksport/\S+): the field '(?P<field>[^']+)' is missing from every entry \((?P<num>\d+)\) \(has the "
     r"export changed\?\)",
     N_("%(what)s: the field '%(field)s' is missing from every entry (%(num)s) (has the export changed?)")),
    (r"(?P<what>.+?) answered a bot challenge page instead of the JSON export \(HTTP (?P<status>\d{3})\)",
     N_("%(what)s answered a bot challenge page instead of the JSON export (HTTP %(status)s)")),
    (r"(?P<what>.+?) answered an HTML page instead of the JSON export \(HTTP (?P<status>\d{3})\)",
     N_("%(what)s answered an HTML page instead of the JSON export (HTTP %(status)s)")),
    # …and the same as why a session's list failed (no_stortinget_spu: `why`, `every`)
    (r"answered a bot challenge page instead of the JSON export \(HTTP (?P<status>\d{3})\)",
     N_("answered a bot challenge page instead of the JSON export (HTTP %(status)s)")),
    (r"answered an HTML page instead of the JSON export \(HTTP (?P<status>\d{3})\)",
     N_("answered an HTML page instead of the JSON export (HTTP %(status)s)")),
    (r"kept the list's fields", N_("the list's fields were kept")),
    # the rarer notes: Stortinget's sessions, hearing programmes and cases
    (r"(?P<inner>eksport/sesjoner .+): session computed from as_of \((?P<session>[^)]+)\)",
     N_("%(inner)s: the session was computed from the run's date (%(session)s)")),
    (r"some hearing programmes failed \(eksport/horingsprogram HTTP (?P<status>\d{3})\)",
     N_("some hearing programmes failed (eksport/horingsprogram HTTP %(status)s)")),
    (r"some hearing programmes unreadable \(eksport/horingsprogram\)",
     N_("some hearing programmes unreadable (eksport/horingsprogram)")),
    (r"hearings kept", N_("the hearings were kept")),
    (r"hearings of those cases missing this run", N_("the hearings of those cases are missing this run")),
    (r"eksport/saker for session (?P<session>\S+) failed \((?P<why>.+)\)",
     N_("eksport/saker for session %(session)s failed (%(why)s)")),
    (r"eksport/saker failed for every session \((?P<every>.+)\)",
     N_("eksport/saker failed for every session (%(every)s)")),
    (r"some eksport/sak answers failed \(HTTP (?P<status>\d{3})\): kept the list's fields",
     N_("some eksport/sak answers failed (HTTP %(status)s): the list's fields were kept")),
    (r"eksport/saker has no cases", N_("eksport/saker has no cases")),
    # …and why one session's list was not read (no_stortinget_spu: `why`; the reader's reason, `error`)
    (r"unreadable: (?P<error>.+)", N_("the answer is unreadable: %(error)s")),
    (r"no saker_liste in the answer", N_("the answer holds no saker_liste")),
    # the watchlist's entries, Have your say's and the answers' rarer notes, the OECD case pages
    (r"watchlist CELEX (?P<celex>'[^']*') \((?P<id>[^)]*)\) is not a CELEX number: not queried",
     N_("watched CELEX %(celex)s (%(id)s) is not a CELEX number: not queried")),
    (r"no CELEX numbers in the watchlist", N_("no CELEX numbers in the list of watched EU files")),
    (r"no procedure references in the watchlist", N_("no procedure references in the list of watched EU files")),
    (r"searchInitiatives returned no open initiatives", N_("searchInitiatives returned no open initiatives")),
    (r"(?P<what>.+?): 304 Not Modified without a cached copy", N_("%(what)s: 304 Not Modified without a cached copy")),
    (r"(?P<what>.+?): HTTP (?P<status>\d{3})", N_("%(what)s answered HTTP %(status)s")),
    (r"no closed hearings given to check \(run `ncp-tracker answers`, which passes them from the store\)",
     N_("no closed hearings given to check (run `ncp-tracker answers`, which passes them from the store)")),
    (r"hearing (?P<id>\S+): the answers list has more than (?P<max>\d+) pages; only the first (?P<num>\d+) were read",
     N_("hearing %(id)s: the answers list has more than %(max)s pages; only the first %(num)s were read")),
    (r"answer list markup not recognised \(ul\[data-horingssvar-list\] missing\); links read by fallback",
     N_("answer list markup not recognised (ul[data-horingssvar-list] missing); links read by the fallback")),
    (r"case page without a title: (?P<url>\S+)", N_("case page without a title: %(url)s")),
    (r"case pages without (?P<needed>'[^']*') \(first: (?P<url>\S+)\); layout unverified",
     N_("case pages without %(needed)s (first: %(url)s); layout unverified")),
    # an EØS-notat page whose labels changed (no_eos_notater: EXPECTED_LABELS)
    (r"EØS-notat pages without the label '(?P<label>[^']+)' \(first: (?P<url>\S+)\), stored fields kept: page "
     r"layout changed\?",
     N_("EEA note pages without the label '%(label)s' (first: %(url)s), stored fields kept: has the page's layout "
        "changed?")),
    (r"EØS-notat pages without any known label \(first: (?P<url>\S+)\), stored fields kept: page layout changed\?",
     N_("EEA note pages without any known label (first: %(url)s), stored fields kept: has the page's layout "
        "changed?")),
    # an HTML page whose bytes are not its declared encoding (crawlers.middlewares.DeclaredEncodingMiddleware),
    # the pages named (crawlers.notes.first_few); then the shape of before, which named the first only
    (r"pages not in their declared encoding \((?P<declared>[^)]+)\), read as (?P<fallback>\S+): (?P<pages>.+)",
     N_("pages not in their declared encoding (%(declared)s), read as %(fallback)s: %(pages)s")),
    (r"pages declared (?P<declared>\S+) but in UTF-8, read as UTF-8: (?P<pages>.+)",
     N_("pages declared %(declared)s but in UTF-8, read as UTF-8: %(pages)s")),
    (r"pages undecodable in (?P<declared>\S+) \(declared\) or (?P<fallback>\S+), not read: (?P<pages>.+)",
     N_("pages undecodable in %(declared)s (as declared) or %(fallback)s, not read: %(pages)s")),
    (r"pages undecodable in (?P<declared>\S+) \(declared\), not read: (?P<pages>.+)",
     N_("pages undecodable in %(declared)s (as declared), not read: %(pages)s")),
    (r"pages not in their declared encoding \((?P<declared>[^)]+)\), read as (?P<fallback>\S+) \(first: (?P<url>\S+)\)",
     N_("pages not in their declared encoding (%(declared)s), read as %(fallback)s (first: %(url)s)")),
    (r"pages undecodable in (?P<declared>\S+) \(declared\) or (?P<fallback>\S+), not read \(first: (?P<url>\S+)\)",
     N_("pages undecodable in %(declared)s (as declared) or %(fallback)s, not read (first: %(url)s)")),
    (r"pages undecodable in (?P<declared>\S+) \(declared\), not read \(first: (?P<url>\S+)\)",
     N_("pages undecodable in %(declared)s (as declared), not read (first: %(url)s)")),
    # eu_haveyoursay's API answering something else than its JSON, or JSON of a changed shape
    (r"searchInitiatives: no initiative read has the field '(?P<field>[^']+)' \(schema changed\?\): stored values "
     r"kept",
     N_("searchInitiatives: no initiative read has the field '%(field)s' (has the answer changed?): the stored "
        "values are kept")),
    (r"searchInitiatives: no feedback period \(currentStatuses\) read has the field '(?P<field>[^']+)' \(schema "
     r"changed\?\): stored values kept",
     N_("searchInitiatives: no feedback period (currentStatuses) read has the field '%(field)s' (has the answer "
        "changed?): the stored values are kept")),
    (r"searchInitiatives: without 'isCurrent', the current feedback period of (?P<num>\d+) initiative\(s\) with "
     r"several was picked by its dates as of (?P<day>\S+)",
     NP_("searchInitiatives: without 'isCurrent', the current feedback period of %(num)s initiative with several "
         "periods was picked by its dates as of %(day)s",
         "searchInitiatives: without 'isCurrent', the current feedback period of %(num)s initiatives with several "
         "periods was picked by its dates as of %(day)s", "num")),
    (r"searchInitiatives: feedback periods without 'feedbackEndDate': deadlines read from each initiative's "
     r"groupInitiatives answer \(publications\[\]\.endDate\) instead, the current publication picked by its dates "
     r"as of (?P<day>\S+) \(no 'isCurrent'\)",
     N_("searchInitiatives: feedback periods without 'feedbackEndDate': the deadlines were read from each "
        "initiative's groupInitiatives answer (publications[].endDate) instead, the current publication picked by "
        "its dates as of %(day)s (no 'isCurrent')")),
    (r"searchInitiatives: feedback periods without 'feedbackEndDate': deadlines read from each initiative's "
     r"groupInitiatives answer \(publications\[\]\.endDate\) instead",
     N_("searchInitiatives: feedback periods without 'feedbackEndDate': the deadlines were read from each "
        "initiative's groupInitiatives answer (publications[].endDate) instead")),
    (r"searchInitiatives: initiatives without 'currentStatuses': deadlines read from each initiative's "
     r"groupInitiatives answer \(publications\[\]\.endDate\) instead, the current publication picked by its dates "
     r"as of (?P<day>\S+) \(no 'isCurrent'\)",
     N_("searchInitiatives: initiatives without 'currentStatuses': the deadlines were read from each initiative's "
        "groupInitiatives answer (publications[].endDate) instead, the current publication picked by its dates as "
        "of %(day)s (no 'isCurrent')")),
    (r"searchInitiatives: initiatives without 'currentStatuses': deadlines read from each initiative's "
     r"groupInitiatives answer \(publications\[\]\.endDate\) instead",
     N_("searchInitiatives: initiatives without 'currentStatuses': the deadlines were read from each initiative's "
        "groupInitiatives answer (publications[].endDate) instead")),
    (r"groupInitiatives: the answer for initiative (?P<id>\S+) lacks the field '(?P<field>[^']+)' \(schema "
     r"changed\?\): stored values kept",
     N_("groupInitiatives: the answer for initiative %(id)s lacks the field '%(field)s' (has the answer changed?): "
        "the stored values are kept")),
    (r"(?P<what>.+?): unknown response shape \((?P<keys>.+)\); neither (?P<a>\S+) nor (?P<b>\S+)",
     N_("%(what)s: an answer of unknown shape (%(keys)s); neither %(a)s nor %(b)s")),
    (r"(?P<what>.+?): blocked \(HTTP (?P<status>\d{3}), WAF/bot challenge page\)",
     N_("%(what)s: blocked (HTTP %(status)s, a WAF or bot challenge page)")),
    (r"(?P<what>.+?): blocked \(HTTP (?P<status>\d{3})\)", N_("%(what)s: blocked (HTTP %(status)s)")),
    (r"brpapi access is disputed and may need a browser context",
     N_("access to brpapi is disputed and may need a browser")),
    (r"(?P<what>.+?): answered HTML instead of JSON \(single-page-app shell or WAF page\)",
     N_("%(what)s: answered HTML instead of JSON (an empty web-app page or a WAF page)")),
    (r"brpapi may need a browser context \(disputed access, docs/sources\.md A\.2\)",
     N_("brpapi may need a browser (disputed access, docs/sources.md A.2)")),
    (r"(?P<what>.+?): malformed JSON \((?P<error>.+)\)", N_("%(what)s: malformed JSON (%(error)s)")),
    # the spiders' common notes (crawlers/spiders/base.py and the spiders using its wording)
    (r"blocked by robots\.txt \(not fetched\): (?P<url>\S+)", N_("blocked by robots.txt (not fetched): %(url)s")),
    (r"detail pages blocked by robots\.txt \(not fetched\): fields kept from the listing",
     N_("detail pages blocked by robots.txt (not fetched): fields kept from the listing")),
    (r"(?P<what>.+?) blocked \(HTTP 403/429/challenge\): fields kept from the listing and earlier runs",
     N_("%(what)s blocked (HTTP 403/429/challenge): fields kept from the listing and earlier runs")),
    (r"(?P<what>.+?) answered HTTP (?P<status>\d{3}) \(bot challenge\)",
     N_("%(what)s answered HTTP %(status)s (bot challenge)")),
    (r"(?P<what>.+?) answered HTTP (?P<status>\d{3})", N_("%(what)s answered HTTP %(status)s")),
    (r"(?P<what>.+?) unreadable \((?P<error>.+)\)", N_("%(what)s unreadable (%(error)s)")),
    (r"(?P<what>.+?) has no items", N_("%(what)s has no items")),
    (r"(?P<what>.+?) not well-formed, parsed leniently", N_("%(what)s not well-formed, parsed leniently")),
    (r"some (?P<what>.+?) failed \(HTTP (?P<status>\d{3})\)", N_("some %(what)s failed (HTTP %(status)s)")),
    (r"some (?P<what>.+?) failed \((?P<error>\w+)\)", N_("some %(what)s failed (%(error)s)")),
    (r"(?P<url>https?://\S+) failed \((?P<error>.+)\)", N_("%(url)s failed (%(error)s)")),
    (r"feed (?P<url>https?://\S+) failed \((?P<error>.+)\)", N_("feed %(url)s failed (%(error)s)")),
    (r"(?P<what>[\w /-]+?) failed \((?P<error>\w+)\)", N_("%(what)s failed (%(error)s)")),
))

#: what a spider's note is about (the `what` of the shapes above); other words are kept as written
HEALTH_SUBJECTS: dict[str, str] = {
    "feed": N_("feed"), "listing": N_("listing"), "detail pages": N_("detail pages"),
    "case pages": N_("case pages"), "answer lists": N_("answer lists"), "case listing": N_("case listing"),
    "press release listing": N_("press release listing"), "front page": N_("front page"),
    "hearing programmes": N_("hearing programmes"), "Lovtidend feed": N_("Lovtidend feed"),
    # the backfill's (crawlers/backfill.py): the pages its retry unit reads, the stored ones never read
    "pages of stored hearings": N_("pages of stored hearings"),
    "details of stored initiatives": N_("details of stored initiatives"),
    "pages of stored items": N_("pages of stored items"),
    "hearings' pages": N_("hearings' pages"), "initiatives' details": N_("initiatives' details"),
}  # fmt: skip


#: the `what`s of the shapes above that hold a number (a page of Have your say's search, live or
#: of a backfill's history: «searchInitiatives page 2 (history) answered HTTP 404»)
HEALTH_SUBJECT_SHAPES: MessageTable = message_table((
    (r"searchInitiatives page (?P<page>\d+) \(history\)", N_("searchInitiatives page %(page)s (history)")),
    (r"searchInitiatives page (?P<page>\d+)", N_("searchInitiatives page %(page)s")),
))


def _reason_parts(text: str) -> list[str]:
    """`text` split at "; " outside parentheses (a part's own detail may hold "; ")."""
    parts, depth, start = [], 0, 0
    for pos, char in enumerate(text):
        if char == "(":
            depth += 1
        elif char == ")":
            depth = max(0, depth - 1)
        elif depth == 0 and text.startswith("; ", pos):
            parts.append(text[start:pos])
            start = pos + 2
    parts.append(text[start:])
    return parts


#: what a response that was not a page answered (tracker.store.health.failed_responses), or what a
#: failed query got (crawlers/spiders/eu_cellar.py); an HTTP status or an exception is kept as it is
RESPONSE_CAUSES: dict[str, str] = {
    "challenge page": N_("challenge page"), "not in the recording": N_("not in the recording"),
    # eu_cellar's queries when none gave a result
    "timed out": N_("timed out"), "malformed answer": N_("malformed answer"), "no results": N_("no results"),
}


def _response_cause(cause: str, lang: str) -> str:
    """ "challenge page ×2" in `lang`; "HTTP 403 ×15" as it is."""
    what, times, count = cause.partition(" ×")
    return gettext(lang, RESPONSE_CAUSES[what]) + times + count if what in RESPONSE_CAUSES else cause


def named_pages(text: str, lang: str) -> str:
    """Pages a note names as `crawlers.notes.first_few` wrote them ("«A», «B» and 4 more") in `lang`
    (««A», «B» og 4 til»); the names as written."""
    if match := FIRST_FEW.fullmatch(text):
        return gettext(lang, "%(names)s and %(num)s more", names=match["names"], num=match["more"])
    return text


#: a day as the spiders' notes write it (ISO), shown in the reader's form
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


#: why an answer of the Stortinget export could not be read, in its reader's own words
#: (crawlers.stortinget.read); a parser's message after "JSON: " or "XML: " is kept as it is
ANSWER_ERRORS: dict[str, str] = {
    "empty body": N_("an empty answer"), "JSON: not an object": N_("the JSON is not an object"),
    "XML: no root element": N_("the XML has no root element"),
}


#: a download's failure as crawlers/middlewares.py records it («Type: message», Twisted's words) →
#: what it means for the reader; the exception's name stays in brackets (what the log says)
NETWORK_ERRORS: MessageTable = message_table((
    (r"(?P<kind>CannotResolveHostError|DNSLookupError): DNS lookup failed: .*?(?P<host>[\w.-]+?)\.?",
     N_("the address of %(host)s was not found (%(kind)s: is the machine on the network?)")),
    (r"(?P<kind>TCPTimedOutError|TimeoutError): .*",
     N_("no answer in time (%(kind)s)")),
    (r"(?P<kind>ConnectionRefusedError): .*", N_("the connection was refused (%(kind)s)")),
    (r"(?P<kind>ConnectionLost|ResponseNeverReceived|ConnectionDone): .*",
     N_("the connection broke off before an answer (%(kind)s)")),
))


def network_error(text: str, lang: str) -> str:
    """A download's failure in the reader's words (NETWORK_ERRORS), else as written."""
    return match_message(NETWORK_ERRORS, text, lang) or text


def _health_values(values: dict[str, str], lang: str) -> dict[str, str]:
    from tracker.i18n import format_date

    for key, value in values.items():  # «tir. 20.10.2026», as the digest writes days
        if value and key != "folder" and _ISO_DAY.fullmatch(value):
            values[key] = format_date(value, lang) or value
    if values.get("folder"):  # a folder's name, as a person types it (`--replay 2026-11-24`), and its day
        values["day"] = format_date(values["folder"], lang) or values["folder"]
    for key in ("pages", "values"):  # "«A», «B» and 4 more"
        if values.get(key):
            values[key] = named_pages(values[key], lang)
    if values.get("causes"):
        values["causes"] = ", ".join(_response_cause(c, lang) for c in values["causes"].split(", "))
    if values.get("error") in ANSWER_ERRORS:
        values["error"] = gettext(lang, ANSWER_ERRORS[values["error"]])
    if values.get("download"):  # a download's failure («CannotResolveHostError: DNS lookup failed: …»)
        values["download"] = network_error(values["download"], lang)
    if values.get("what") in HEALTH_SUBJECTS:
        values["what"] = gettext(lang, HEALTH_SUBJECTS[values["what"]])
    elif values.get("what"):
        values["what"] = match_message(HEALTH_SUBJECT_SHAPES, values["what"], lang) or values["what"]
    if values.get("inner"):  # a reason inside a reason
        values["inner"] = _reason_part(values["inner"], lang) or values["inner"]
    if values.get("why"):  # why something failed, when it is a reason of a known shape
        values["why"] = _reason_part(values["why"], lang) or values["why"]
    if values.get("every"):  # each session's why ("2025-2026: HTTP 503; 2026-2027: answered …")
        values["every"] = "; ".join(f"{session}: {_reason_part(why, lang) or why}" if why else session
                                    for session, _, why in (p.partition(": ") for p in values["every"].split("; ")))
    return values


def _reason_part(part: str, lang: str, own_words_at: int | None = None) -> str | None:
    return match_message(HEALTH_REASONS, part, lang, _health_values, own_words_at=own_words_at)


def health_reason(text: str | None, lang: str = "nb") -> str:
    """A health reason in `lang`: the tracker's own phrases and the spiders' common note shapes
    translated (URLs, HTTP statuses, errors and counts verbatim); any other note kept as written.
    Two "; "-joined parts are one phrase only where a pattern's own words hold that "; " ("… (feed
    URL unverified); using the front page listing"), never where one of its values would swallow a
    note of its own (an unknown note before "front page answered HTTP 500")."""
    parts, out, pos = _reason_parts(str(text or "")), [], 0
    while pos < len(parts):
        shown, end = None, pos + 1
        if pos + 1 < len(parts):
            shown = _reason_part(f"{parts[pos]}; {parts[pos + 1]}", lang, own_words_at=len(parts[pos]))
            end = pos + 2
        if shown is None:
            shown, end = _reason_part(parts[pos], lang), pos + 1
        out.append(parts[pos] if shown is None else shown)
        pos = end
    return "; ".join(p for p in out if p)


#: a document's fetch error as crawlers/spiders/documents.py writes it → its catalogue message
#: (an HTTP status, an exception and a URL stay verbatim inside it)
DOCUMENT_ERRORS: MessageTable = message_table((
    (r"not in the recording", N_("not in the recording")),
    (r"HTTP (?P<status>\d+) \(blocked\)", N_("HTTP %(status)s (blocked)")),
    (r"larger than the limit \((?P<size>\d+) > (?P<limit>\d+) bytes\)",
     N_("larger than the limit (%(size)s > %(limit)s bytes)")),
    (r"not a document: served as (?P<served>.+?), content looks like (?P<looks>.+)",
     N_("not a document: served as %(served)s, content looks like %(looks)s")),
    (r"not a fetchable URL: (?P<url>.+)", N_("not a fetchable URL: %(url)s")),
))
_DOCUMENT_WORDS = {"no type": N_("no type"), "neither PDF, .docx nor HTML": N_("neither PDF, .docx nor HTML")}


def _document_values(values: dict[str, str], lang: str) -> dict[str, str]:
    return {k: gettext(lang, _DOCUMENT_WORDS[v]) if v in _DOCUMENT_WORDS else v for k, v in values.items()}


def document_error(text: str | None, lang: str = "nb") -> str:
    """A document's fetch error in `lang`: the documents spider's own phrases translated, any
    other error (an HTTP status, an exception) as written."""
    text = str(text or "")
    return match_message(DOCUMENT_ERRORS, text, lang, _document_values) or text


#: the notes the system writes into an item's triage history (tracker.workbench.triage and
#: .answers): stored in English (the msgid filled in: `system_note`), shown in the reader's language
#: (`triage_note`); an adviser's note is shown as written
NOTE_CLOSED = N_("deadline %(deadline)s passed without an answer")
NOTE_REOPENED = N_("deadline moved to %(deadline)s after it was closed unanswered: open again")
NOTE_PUBLISHED = N_("the NCP's answer is published: %(url)s")
NOTE_RECONSIDERED = N_("the NCP was named a consultee after the item was marked not relevant: to be looked at again")


def system_note(msgid: str, **values: str) -> str:
    """A system note as stored: `msgid` (one of the NOTE_ messages) in English, filled in."""
    return msgid % values


def _note_pattern(msgid: str) -> str:
    """The stored form of a NOTE_ message as a regex: each value one run of non-spaces."""
    return re.sub(r"%\\\((\w+)\\\)s", r"(?P<\1>\\S+)", re.escape(msgid))


TRIAGE_NOTES: MessageTable = message_table(tuple(
    (_note_pattern(m), m) for m in (NOTE_CLOSED, NOTE_REOPENED, NOTE_PUBLISHED, NOTE_RECONSIDERED)))


def _note_values(values: dict[str, str], lang: str) -> dict[str, str]:
    from tracker.i18n import format_datetime

    if values.get("deadline"):
        values["deadline"] = format_datetime(values["deadline"], lang) or values["deadline"]
    return values


def triage_note(text: str | None, lang: str = "nb") -> str:
    """A note of the system's in an item's triage history in `lang` (dates in the reader's form);
    any other note as written."""
    text = str(text or "")
    return match_message(TRIAGE_NOTES, text, lang, _note_values) or text


#: why an item's own page was not read (its `extra["detail"]` state, crawlers.items.UNREAD_DETAIL),
#: as (pattern, msgid)
DETAIL_STATES: MessageTable = message_table((
    (r"blocked (?P<status>\d+)", N_("blocked, HTTP %(status)s")),
    (r"blocked by robots\.txt", N_("robots.txt forbids it")),
    (r"http (?P<status>\d+)", N_("HTTP %(status)s")),
    (r"error (?P<error>.+)", N_("error: %(error)s")),
    (r"pending", N_("not fetched yet")),
    (r"unreadable", N_("its content could not be read")),
))


def detail_why(extra: Any, lang: str = "nb", *, never_read: bool = False) -> str | None:
    """Why the last attempt to read an item's own (detail) page failed ("blokkert, HTTP 403"),
    from its `extra` (`detail`, `detail_read`); None when it was read, skipped (a closed item read
    before) or the source has none — and, with `never_read`, when it was read at some time."""
    from crawlers.fields import UNREAD_DETAIL

    extra = extra if isinstance(extra, dict) else {}
    text, read = str(extra.get("detail") or ""), extra.get("detail_read")
    failed = bool(UNREAD_DETAIL.match(text)) or text == "blocked by robots.txt"  # the last attempt
    if not failed or (never_read and read):
        return None
    return match_message(DETAIL_STATES, text, lang) or text


def detail_note(extra: Any, lang: str = "nb") -> str | None:
    """What the item page says of an item whose own page was not read on the last attempt: why
    (:func:`detail_why`), and that its deadline, status and documents are the listing's and may be
    missing (never read), or are from the last reading (read before). None otherwise."""
    why = detail_why(extra, lang)
    if why is None:
        return None
    read = extra.get("detail_read") if isinstance(extra, dict) else None
    if read:
        from tracker.i18n import format_date

        return gettext(lang, "The item's own page could not be read on the last attempt (%(why)s): its deadline, "
                             "status and documents are from the last reading, %(day)s.",
                       why=why, day=format_date(read, lang))
    return gettext(lang, "The item's own page was not read (%(why)s): its deadline, status and documents are "
                         "what the listing gave, and may be missing.", why=why)


#: the workbench's refusals (TriageError, SearchError, AccountError, a DraftError: worded once, in
#: English) as the reader reads them, on the web and on the command line (`refusal_text`); any
#: other refusal is shown as it is
REFUSALS: MessageTable = message_table((
    (r"illegal transition (?P<before>\w+) → (?P<target>\w+) for .+; allowed from \w+: none \(final state\)",
     N_("The status cannot go from “%(before)s” to “%(target)s”: “%(before)s” is final.")),
    (r"illegal transition (?P<before>\w+) → (?P<target>\w+) for .+; allowed from \w+: (?P<moves>[\w, ]+)",
     N_("The status cannot go from “%(before)s” to “%(target)s”; from “%(before)s” it can go to: %(moves)s.")),
    (r"state (?P<target>\w+) needs an owner \(--owner NAME\)",
     N_("The status “%(target)s” needs an adviser: write a name under “Adviser”.")),
    (r"note too long \((?P<num>\d+) characters, at most (?P<max>\d+)\)",
     N_("The note is too long (%(num)s characters, at most %(max)s).")),
    (r"owner name too long \((?P<num>\d+) characters, at most (?P<max>\d+)\)",
     N_("The name under “Adviser” is too long (%(num)s characters, at most %(max)s).")),
    (r"owner name cannot contain (?P<chars>.+): use letters, digits, spaces and \. , ' @ -",
     N_("The name under “Adviser” cannot contain “%(chars)s”: use letters, digits, spaces and . , ' @ -")),
    (r"internal deadline must be a date YYYY-MM-DD, not (?P<value>.+)",
     N_("“Draft due” must be a date (YYYY-MM-DD), not %(value)s.")),
    (r"internal deadline (?P<day>\S+) is after the item's deadline (?P<deadline>\S+)",
     N_("“Draft due” %(day)s is after the item's deadline %(deadline)s: a draft is due before the deadline.")),
    (r"internal deadline (?P<day>\S+) is before today (?P<until>\S+)",
     N_("“Draft due” %(day)s is before today (%(until)s): a draft cannot be due on a day that has passed.")),
    (r"unknown state (?P<state>.+?); states: .*", N_("Unknown status %(state)s.")),
    (r"unknown item id: (?P<id>.+?) \(see `ncp-tracker search` or `items`\)", N_("Unknown item: %(id)s")),
    # tracker.workbench.drafts.NotAConsultation
    (r"no draft for .+?: its kind (?P<kind>\w+) is not a consultation; drafts are written for the kinds .+",
     N_("No draft can be made for this item: its kind is “%(kind)s”, not a consultation. Drafts are made for "
        "hearings, Storting committee hearings and EU consultations.")),
    (r"a label mark is \+LABEL or -LABEL \(e\.g\. \+oecd-iv, -Kap\. V\), not (?P<mark>.+)",
     N_("A label mark is +LABEL or -LABEL, not %(mark)s.")),
    # tracker.workbench.search.SearchError
    (r'unbalanced quote: a phrase needs a closing "', N_("A quote is not closed: a phrase needs a closing \".")),
    (r"cannot read the query at (?P<at>.+)", N_("The search cannot be read at %(at)s.")),
    (r"nothing to search for: the query is empty", N_("Nothing to search for: the search is empty.")),
    (r"unexpected (?P<what>.+?) \(no matching '\('\)", N_("Unexpected %(what)s (no matching “(”).")),
    (r"unexpected (?P<what>.+)", N_("Unexpected %(what)s.")),
    (r"OR needs a word after it", N_("OR needs a word after it.")),
    (r"OR needs a word before it", N_("OR needs a word before it.")),
    (r"AND needs a word on both sides", N_("AND needs a word on both sides.")),
    (r"(?P<name>[\w-]+) must be a date YYYY-MM-DD, not (?P<value>.+)",
     N_("“%(name)s” must be a date (YYYY-MM-DD), not %(value)s.")),
    (r"--from (?P<day>\S+) is after --to (?P<until>\S+): no day lies between them",
     N_("“From” %(day)s is after “to” %(until)s: no day lies between them.")),
    (r"(?P<name>[\w-]+) must be a date or a date and time \(ISO 8601\), not (?P<value>.+)",
     N_("“%(name)s” must be a date or a date and time (ISO 8601), not %(value)s.")),
    (r"(?P<name>[\w-]+): the year must be from (?P<low>\d+) to (?P<high>\d+), not (?P<value>.+)",
     N_("“%(name)s”: the year must be from %(low)s to %(high)s, not %(value)s.")),
    (r"(?P<name>[\w-]+) (?P<value>.+) is after today: nothing is new or changed since then",
     N_("“%(name)s” %(value)s is after today: nothing is new or changed since then.")),
    (r"NOT needs a word before it \(or write -word\)", N_("NOT needs a word before it (or write -word).")),
    (r"NOT needs a word after it", N_("NOT needs a word after it.")),
    (r"empty group: nothing to search for", N_("An empty group: nothing to search for.")),
    (r"'-' needs a word after it", N_("“-” needs a word after it.")),
    (r"unbalanced parentheses: a '\(' is not closed", N_("A “(” is not closed.")),
    (r"unbalanced parentheses: '\)' without '\('", N_("A “)” without a “(”.")),
    (r"a comma only separates NEAR's distance: NEAR\(a b, 5\)",
     N_("A comma only separates NEAR's distance: NEAR(a b, 5).")),
    (r"'\*' only ends a word \(prefix search\), as in høring\*: (?P<text>.+)",
     N_("“*” only ends a word (prefix search), as in høring*: %(text)s.")),
    (r"(?P<text>.+) has no letters or digits to search for", N_("%(text)s has no letters or digits to search for.")),
    (r"prefix search needs one word: (?P<text>.+)", N_("A prefix search needs one word: %(text)s.")),
    (r"a prefix needs at least two letters: (?P<text>.+)", N_("A prefix needs at least two letters: %(text)s.")),
    (r'the phrase "(?P<text>.*)" has no words', N_("The phrase “%(text)s” has no words.")),
    (r"unknown profile '(?P<name>.+?)' \(known profiles: (?P<known>[^)]*)\).*",
     N_("Unknown profile “%(name)s” (known: %(known)s).")),
    (r"(?P<name>\w+): needs a value", N_("%(name)s: needs a value.")),
    (r"(?P<name>\w+): needs its value right after the colon \((?P=name):…\); to search for the word, put it in "
     r"quotes: (?P<quoted>.+)",
     N_("%(name)s: needs its value right after the colon (%(name)s:…); to search for the word, put it in quotes: "
        "%(quoted)s.")),
    (r"unknown field (?P<name>\w+): \(fields: (?P<fields>[^)]*)\); to search for the text, put it in quotes: "
     r"(?P<quoted>.+)",
     N_("Unknown field %(name)s: (fields: %(fields)s); to search for the text, put it in quotes: %(quoted)s.")),
    (r"NEAR is written NEAR\(word word\) or NEAR\(word word, 5\)",
     N_("NEAR is written NEAR(word word) or NEAR(word word, 5).")),
    (r"NEAR\( is not closed", N_("NEAR( is not closed.")),
    (r"NEAR's distance is a number: NEAR\(a b, 5\)", N_("NEAR's distance is a number: NEAR(a b, 5).")),
    (r"NEAR\(a b, 5\): '\)' expected after the distance", N_("NEAR(a b, 5): “)” is expected after the distance.")),
    (r"NEAR\( takes words only, not (?P<text>.+)", N_("NEAR( takes words only, not %(text)s.")),
    (r"NEAR needs at least two words: NEAR\(klima risiko\)", N_("NEAR needs at least two words: NEAR(klima risiko).")),
    (r"a double negation \(- NOT\) is not a search", N_("A double negation (- NOT) is not a search.")),
    (r"too many words: at most (?P<num>\d+) in one search", N_("Too many words: at most %(num)s in one search.")),
    (r"a side of OR has only excluded words: write \(a OR b\) -c instead",
     N_("A side of OR has only excluded words: write (a OR b) -c instead.")),
    (r"a group has only excluded words: say what to look for as well",
     N_("A group has only excluded words: say what to look for as well.")),
    (r"a query of only excluded words lists everything else: add a word to look for",
     N_("A search of only excluded words lists everything else: add a word to look for.")),
    (r"(?P<name>\w+): filters apply to the whole query; they cannot stand inside OR or parentheses",
     N_("%(name)s: filters apply to the whole search; they cannot stand inside OR or parentheses.")),
    (r"cannot search for (?P<text>.+)", N_("Cannot search for %(text)s.")),
    (r"(?P<name>status):(?P<value>\S*) — status is one of (?P<valid>.+)",
     N_("status:%(value)s — the status is one of %(valid)s.")),
    # tracker.workbench.search._one_of: source:, kind:, language:, state: (as typed in a query)
    (r"(?P<name>\w+):(?P<value>\S*) — (?P=name) is one of (?P<valid>.+)",
     N_("%(name)s:%(value)s — the valid values are %(valid)s.")),
    # tracker.workbench.search.check_owner: an owner filter (search, export, inbox, the web's)
    (r"no item has ever been assigned to adviser (?P<owner>.+) \(advisers with items: (?P<owners>.+)\)",
     N_("No item has ever been assigned to the adviser %(owner)s (advisers with items: %(owners)s).")),
    (r"no item has ever been assigned to adviser (?P<owner>.+) \(no item is assigned to anyone\)",
     N_("No item has ever been assigned to the adviser %(owner)s (no item is assigned to anyone yet).")),
    (r"nothing to search for in the text", N_("Nothing to search for in the text.")),
    (r"the search index \(items_norm\) is not in this database yet: .*",
     N_("The search index is not in this database yet: it is built when the database is next opened for "
        "writing (e.g. `ncp-tracker run`).")),
    (r"the search index cannot run this query: (?P<error>.+)", N_("The search index cannot run this search: %(error)s.")),
    # nlp.labels.parse_label (a label: filter, a label mark): the valid ones in the reader's language
    (r"unknown label (?P<label>.+?); valid labels: (?P<valid>.*)",
     N_("Unknown label %(label)s; valid labels: %(valid)s.")),
    # tracker.workbench.accounts.AccountError
    (r"invalid user name (?P<name>.+): 2–40 characters, letters, digits, full stop, - or _",
     N_("Invalid user name %(name)s: 2–40 characters, letters, digits, full stop, - or _.")),
    (r"unknown role (?P<role>.+?); roles: .*", N_("Unknown role %(role)s.")),
    (r"the password must have at least (?P<num>\d+) characters", N_("The password must have at least %(num)s characters.")),
    (r"the password can have at most (?P<num>\d+) characters", N_("The password can have at most %(num)s characters.")),
    (r"no account is called (?P<name>.+) \(see `ncp-tracker users list`\)", N_("No account is called %(name)s.")),
    (r"the account (?P<name>.+) exists already", N_("The account %(name)s already exists.")),
))


#: a search filter whose values have names (tracker.workbench.search.code): its refusal lists them so
FILTER_NAMES: dict[str, dict[str, str]] = {"status": STATUS_NAMES, "kind": KIND_NAMES, "state": TRIAGE_NAMES,
                                           "source": SOURCE_NAMES}  # fmt: skip


def _refusal_values(values: dict[str, str], lang: str, fields: Mapping[str, str]) -> dict[str, str]:
    names = FILTER_NAMES.get(values.get("name", ""))
    if names and "valid" in values:  # «status:x — status is one of open, …»: as the reader types them
        values["valid"] = names_with_codes(names, [v.strip() for v in values["valid"].split(",")], lang)
    if values.get("name") in fields:
        values["name"] = gettext(lang, fields[values["name"]])
    for key in ("before", "target"):
        if key in values:
            values[key] = triage_name(values[key], lang)
    if "kind" in values:
        values["kind"] = kind_name(values["kind"], lang)
    for key in ("day", "deadline", "until"):  # days as the reader writes them
        if key in values:
            from tracker.i18n import format_date

            values[key] = format_date(values[key], lang)
    clocks = [key for key in ("clock", "latest_clock") if key in values]
    if clocks:  # instants as the reader writes them; to the second (ISO) where two of them share a minute
        from tracker.i18n import format_datetime

        shown = {key: format_datetime(values[key], lang) or values[key] for key in clocks}
        if len(set(shown.values())) == len(shown):
            values.update(shown)
    if "wait" in values and lang == "nb":  # seconds, with the reader's decimal mark
        values["wait"] = values["wait"].replace(".", ",")
    if "holder" in values:
        values["holder"] = lock_holder(values["holder"], lang)
    if "sqlite" in values:
        values["sqlite"] = sqlite_error(values["sqlite"], lang)
    if "oserror" in values:
        values["error"] = os_error(values.pop("oserror"), lang)
    if "moves" in values:
        values["moves"] = ", ".join(triage_name(m.strip(), lang) for m in values["moves"].split(","))
    if "label" in values and "valid" in values:  # an unknown label: the valid ones by code and name in
        from nlp.labels import LABELS  # the reader's language (nlp.labels lists their Bokmål names)

        values["valid"] = ", ".join(f"{code} ({label_name(code, lang)})" for code in LABELS)
    if "problem" in values:
        values["problem"] = match_message(WATCHLIST_PROBLEMS, values["problem"], lang, _toml_type_values) \
            or values["problem"]
    return values


#: what a TOML value is, by the name of the Python type `tomllib` reads it as (a watched file's
#: «must be a string, not int»: the reader wrote a number, not Python's «int»)
TOML_TYPE_NAMES: dict[str, str] = {
    "int": N_("a number"),
    "float": N_("a decimal number"),
    "bool": N_("true or false"),
    "list": N_("a list"),
    "dict": N_("a table"),
    "datetime": N_("a date and time"),
    "date": N_("a date"),
    "time": N_("a time of day"),
}


def _toml_type_values(values: dict[str, str], lang: str) -> dict[str, str]:
    if values.get("type") in TOML_TYPE_NAMES:
        values["type"] = gettext(lang, TOML_TYPE_NAMES[values["type"]])
    return values


#: what is wrong with a field of one watched EU file (crawlers.watchlist_file.parse: the part of a
#: WatchlistError after "file 'ID' field 'NAME': "), for `COMMAND_REFUSALS`
WATCHLIST_PROBLEMS: MessageTable = message_table((
    (r"unknown field \(known: (?P<known>.*)\)", N_("unknown field (known: %(known)s)")),
    (r"required field missing or empty", N_("the field is required, and is missing or empty")),
    (r"must be a string, not (?P<type>\w+)", N_("must be a text in quotes, not %(type)s")),
    (r"must be a list of strings", N_("must be a list of texts in quotes")),
    (r"(?P<value>'.*') must be lower-case letters, digits and _",
     N_("%(value)s may have only lower-case letters, digits and _")),
    (r"duplicate id \(first used in entry #(?P<num>\d+)\)", N_("the id is used twice (first in entry #%(num)s)")),
    (r"(?P<value>'.*') is not a CELEX number \(e\.g\. (?P<example>\S+)\)",
     N_("%(value)s is not a CELEX number (e.g. %(example)s)")),
    (r"(?P<value>'.*') is not a procedure reference \(e\.g\. (?P<example>.+)\)",
     N_("%(value)s is not a procedure reference (e.g. %(example)s)")),
    (r"(?P<value>'.*') is not a COM number \(e\.g\. (?P<example>.+)\)",
     N_("%(value)s is not a COM number (e.g. %(example)s)")),
    (r"names unknown field (?P<value>'.*')", N_("names an unknown field %(value)s")),
))


#: what `classify` says of a line it skips, or of an input without records (nlp.classify, which
#: cannot import the catalogue); a JSON parser's own detail is kept in parentheses
CLASSIFY_PROBLEMS: MessageTable = message_table((
    (r"line (?P<line>\d+): not UTF-8 text \(byte (?P<byte>0x[0-9a-f]{2}) at byte (?P<at>\d+)\); save the file as "
     r"UTF-8", N_("line %(line)s: not UTF-8 text (byte %(byte)s at byte %(at)s); save the file as UTF-8")),
    (r"line (?P<line>\d+): invalid JSON: (?P<error>.*)", N_("line %(line)s: not valid JSON (%(error)s)")),
    (r"line (?P<line>\d+): expected a JSON object, got (?P<type>\w+)",
     N_("line %(line)s: expected a JSON object, not %(type)s")),
    (r"line (?P<line>\d+): (?P<key>\w+) must be a string, not (?P<type>\w+)",
     N_("line %(line)s: %(key)s must be a text in quotes, not %(type)s")),
    (r"line (?P<line>\d+): no text to classify \(none of the keys (?P<keys>.*)\)",
     N_("line %(line)s: no text to classify (none of the keys %(keys)s)")),
    (r"no records in the input: nothing was classified", N_("no records in the input: nothing was classified")),
))


def classify_problem(text: str, lang: str = "nb") -> str:
    """A line `classify` writes on stderr (`CLASSIFY_PROBLEMS`) in `lang`; JSON's types by name
    («a number», «a list»); another text as it is."""
    return match_message(CLASSIFY_PROBLEMS, text, lang, _json_type_values) or text


#: a JSON value's type as Python reads it (json.loads), by the words of `TOML_TYPE_NAMES`
_JSON_TYPES = {"str": N_("a text"), "NoneType": N_("null")}


def _json_type_values(values: dict[str, str], lang: str) -> dict[str, str]:
    if values.get("type") in _JSON_TYPES:
        values["type"] = gettext(lang, _JSON_TYPES[values["type"]])
        return values
    return _toml_type_values(values, lang)


#: the few refusals whose web wording names a field of a form (“Adviser”, “Draft due”) or leaves out
#: what a list box shows (the states), as the command line says them: its options, the valid codes
COMMAND_REFUSALS: MessageTable = message_table((
    # tracker.web.app.create_app: serving beyond this machine without accounts
    (r"--host (?P<host>\S+) needs accounts: add one with `ncp-tracker users add NAME --role admin` \(without "
     r"accounts the workbench serves one person on 127\.0\.0\.1 only\)",
     N_("--host %(host)s needs accounts: add one with `ncp-tracker users add NAME --role admin` (without accounts "
        "the workbench serves one person on 127.0.0.1 only).")),
    (r"behind a proxy \(web\.trusted_proxies\) needs accounts: add one with `ncp-tracker users add NAME --role "
     r"admin` \(without accounts the workbench serves one person on 127\.0\.0\.1 only\)",
     N_("Behind a proxy (web.trusted_proxies) the workbench needs accounts: add one with `ncp-tracker users add "
        "NAME --role admin` (without accounts it serves one person on 127.0.0.1 only).")),
    (r"state (?P<target>\w+) needs an owner \(--owner NAME\)",
     N_("The status “%(target)s” needs an adviser (--owner NAME).")),
    (r"owner name too long \((?P<num>\d+) characters, at most (?P<max>\d+)\)",
     N_("--owner is too long (%(num)s characters, at most %(max)s).")),
    (r"owner name cannot contain (?P<chars>.+): use letters, digits, spaces and \. , ' @ -",
     N_("--owner cannot contain “%(chars)s”: use letters, digits, spaces and . , ' @ -")),
    (r"internal deadline must be a date YYYY-MM-DD, not (?P<value>.+)",
     N_("--deadline must be a date (YYYY-MM-DD), not %(value)s.")),
    (r"internal deadline (?P<day>\S+) is before today (?P<until>\S+)",
     N_("--deadline %(day)s is before today (%(until)s): a draft cannot be due on a day that has passed.")),
    (r"unknown state (?P<state>.+?); states: (?P<valid>.*)", N_("Unknown status %(state)s (valid: %(valid)s).")),
    (r"unknown item id: (?P<id>.+?) \(see `ncp-tracker search` or `items`\)",
     N_("Unknown item id: %(id)s (see `ncp-tracker search` or `items`).")),
    (r"--from (?P<day>\S+) is after --to (?P<until>\S+): no day lies between them",
     N_("--from %(day)s is after --to %(until)s: no day lies between them.")),
    # the database the command opens (tracker.store.db.open_db: StoreError)
    (r"no database at (?P<path>.+?): run `ncp-tracker run` \(or `ncp-tracker demo`\) to create one, or name an "
     r"existing one with --db, \$NCP_TRACKER_DB or \[tracker\] db",
     N_("No database at %(path)s: run `ncp-tracker run` (or `ncp-tracker demo`) to create one, or name an existing "
        "one with --db, $NCP_TRACKER_DB or [tracker] db.")),
    (r"database path is a directory: (?P<path>.+)", N_("The database path is a folder: %(path)s.")),
    (r"database (?P<path>.+?) has an older schema \((?P<num>\d+) migrations pending\): run `ncp-tracker migrate` "
     r"once", N_("The database %(path)s has an older schema (%(num)s migrations pending): run `ncp-tracker migrate` "
                 "once.")),
    (r"database (?P<path>.+?) was written by a newer ncp-tracker \(unknown migrations: (?P<names>.+)\); upgrade "
     r"ncp-tracker", N_("The database %(path)s was written by a newer ncp-tracker (unknown migrations: %(names)s): "
                        "upgrade ncp-tracker.")),
    (r"cannot open database (?P<path>.+?): (?P<sqlite>.+)", N_("Cannot open the database %(path)s: %(sqlite)s.")),
    (r"the database (?P<path>.+?) cannot be used now: (?P<sqlite>.+)",
     N_("The database %(path)s cannot be used now: %(sqlite)s.")),
    (r"cannot copy (?P<path>.+?): (?P<sqlite>.+)", N_("Cannot copy %(path)s: %(sqlite)s.")),
    # a backup or a restore (tracker.store.backup.BackupError)
    (r"keep must be at least 1, not (?P<value>.+)", N_("--keep must be at least 1, not %(value)s.")),
    (r"cannot keep backups in (?P<path>.+?): (?P<oserror>.+)", N_("Cannot keep backups in %(path)s: %(error)s.")),
    (r"(?P<path>.+) is a file name; the backups are kept in a folder, each named by its time \(as (?P<name>.+)\)",
     N_("%(path)s is a file name; the backups are kept in a folder, each named by its time (as %(name)s).")),
    (r"(?P<path>.+) already exists", N_("%(path)s already exists.")),
    (r"the copy of (?P<path>.+?) failed PRAGMA integrity_check: (?P<sqlite>.+)",
     N_("The copy of %(path)s failed SQLite's integrity check: %(sqlite)s.")),
    (r"no backup file at (?P<path>.+)", N_("No backup file at %(path)s.")),
    (r"(?P<path>.+?) is not an intact SQLite database: (?P<sqlite>.+)",
     N_("%(path)s is not an intact SQLite database: %(sqlite)s.")),
    (r"(?P<path>.+?) is not an ncp-tracker database \(no items table or schema record\)",
     N_("%(path)s is not an ncp-tracker database (it has no items table or schema record).")),
    (r"(?P<path>.+?) was written by a newer ncp-tracker \(schema steps this version does not know: (?P<names>.+)\); "
     r"upgrade ncp-tracker before restoring it",
     N_("%(path)s was written by a newer ncp-tracker (schema steps this version does not know: %(names)s): upgrade "
        "ncp-tracker before restoring it.")),
    (r"cannot restore into (?P<path>.+?): (?P<sqlite>.+) \(the old database is kept as (?P<kept>.+)\)",
     N_("Cannot restore into %(path)s: %(sqlite)s (the old database is kept as %(kept)s).")),
    (r"cannot restore into (?P<path>.+?): (?P<sqlite>.+)", N_("Cannot restore into %(path)s: %(sqlite)s.")),
    # a lock another process holds (tracker.store.runlock): a send of the same digest, a crawl of the database
    (r"another crawl is writing (?P<path>.+?) now \((?P<holder>.*)\) \(waited (?P<wait>[\d.]+) s\); wait until it ends, "
     r"or stop it — two crawls at once would fetch and store the same day twice",
     N_("another crawl is writing %(path)s now (%(holder)s), and it did not end within %(wait)s seconds: wait until "
        "it ends, or stop it — two crawls at once would fetch and store the same day twice")),
    (r"another crawl is writing (?P<path>.+?) now \((?P<holder>.*)\); wait until it ends, or stop it — two crawls "
     r"at once would fetch and store the same day twice",
     N_("another crawl is writing %(path)s now (%(holder)s): wait until it ends, or stop it — two crawls at once "
        "would fetch and store the same day twice")),
    (r"another `digest --send` of the (?P<profile>.+?) digest is sending now \((?P<holder>.*)\) \(waited (?P<wait>[\d.]+) s\); "
     r"run it again when that one has ended; it then mails only those not reached",
     N_("another `digest --send` of the %(profile)s digest is sending now (%(holder)s), and it did not end within "
        "%(wait)s seconds: run it again when that one has ended; it then mails only those not reached")),
    (r"another `digest --send` of the (?P<profile>.+?) digest is sending now \((?P<holder>.*)\); "
     r"run it again when that one has ended; it then mails only those not reached",
     N_("another `digest --send` of the %(profile)s digest is sending now (%(holder)s): run it again when that one "
        "has ended; it then mails only those not reached")),
    # a file the command could not write (tracker.workbench: export, drafts, outputs): the system's text in
    # the reader's words
    # an --out whose folder part runs through a file, that names a file as its folder, or a folder as its file
    # (tracker.workbench.outputs; the CLI's digest, redline, run and demo alike)
    (r"cannot write (?P<path>.+?): (?P<file>.+) is a file, not a folder",
     N_("cannot write %(path)s: %(file)s is a file, not a folder")),
    (r"cannot create the folder (?P<path>.+?): (?P<file>.+) is a file, not a folder",
     N_("cannot create the folder %(path)s: %(file)s is a file, not a folder")),
    (r"(?P<path>.+) is a file, not a folder", N_("%(path)s is a file, not a folder")),
    (r"(?P<path>.+) is a directory; give a file name", N_("%(path)s is a folder: give a file name")),
    (r"(?P<path>.+) is a file name; --out is the folder the draft is written to \(as (?P<name>.+)\)",
     N_("%(path)s is a file name; --out is the folder the draft is written to (as %(name)s)")),
    # the secretariat's draft template (tracker.workbench.drafts.template_document): broken, or not readable
    (r"the draft template (?P<path>.+?) cannot be read as \.docx: (?P<error>.*)",
     N_("the draft template %(path)s cannot be read as a Word document (.docx): %(error)s")),
    (r"cannot read the draft template (?P<path>.+?): (?P<oserror>.+)",
     N_("cannot read the draft template %(path)s: %(error)s")),
    (r"cannot write the draft in (?P<path>.+?): (?P<oserror>.+)", N_("cannot write the draft in %(path)s: %(error)s")),
    (r"cannot create the output directory (?P<path>.+?): (?P<oserror>.+)",
     N_("cannot create the folder %(path)s: %(error)s")),
    (r"cannot write (?P<path>.+?): (?P<oserror>.+)", N_("cannot write %(path)s: %(error)s")),
    # a folder of recorded days `run`/`crawl`/`demo --replay` cannot replay (tracker.jobs.crawl: replay_days,
    # replay_as_of; Python's own text of a clock it cannot read kept as the detail)
    (r"replay directory not found: (?P<path>.+)", N_("the replay folder %(path)s does not exist")),
    (r"no recorded days \(YYYY-MM-DD folders\) in (?P<path>.+)",
     N_("no recorded days (folders named YYYY-MM-DD) in %(path)s")),
    (r"(?P<path>.+?): not a day's clock \((?P<error>.*)\); it holds \{\"as_of\": \"(?P<example>[^\"]+)\"\}",
     N_("%(path)s does not hold a day's clock (%(error)s); it should hold {\"as_of\": \"%(example)s\"}")),
    (r"(?P<path>.+?): a recorded day's clock comes from its folder's name \(YYYY-MM-DD\) or its day\.json "
     r"\(as_of\); this folder has neither \(or give --as-of\)",
     N_("%(path)s: a recorded day's clock comes from its folder's name (YYYY-MM-DD) or its day.json (as_of); this "
        "folder has neither (or give --as-of)")),
    # what `run`/`crawl`/`record`/`demo` refuse before crawling (tracker.jobs.crawl: check_replay_order,
    # check_contact, run_plan; `documents fetch`: tracker.documents.fetch), the clocks as the reader writes them
    (r"refusing to replay (?P<what>.+?) at (?P<clock>\S+): the store's latest daily run is at (?P<latest_clock>\S+), "
     r"later \(replaying an older day would roll its items back\); use another --db, or --allow-older to replay it "
     r"anyway",
     N_("refusing to replay %(what)s at %(clock)s: the database's latest daily run is at %(latest_clock)s, later "
        "(replaying an older day would roll its items back); use another --db, or --allow-older to replay it "
        "anyway")),
    (r"refusing to crawl at (?P<clock>\S+): the store's latest daily run is at (?P<latest_clock>\S+), later \(a crawl "
     r"stored at an earlier clock would roll its items back\); use another --db, or --allow-older to crawl at that "
     r"clock anyway",
     N_("refusing to crawl at %(clock)s: the database's latest daily run is at %(latest_clock)s, later (a crawl "
        "stored at an earlier clock would roll its items back); use another --db, or --allow-older to crawl at "
        "that clock anyway")),
    (r"no contact address for the crawler's User-Agent: a live crawl needs one\. Set `contact` in the \[crawl\] table "
     r"of ncp-tracker\.toml, \$NCP_TRACKER_CONTACT, or pass -s CONTACT=you@example\.org \(replays need none\)\.",
     N_("no contact address for the crawler's User-Agent: a live crawl needs one. Set `contact` in the [crawl] table "
        "of ncp-tracker.toml, $NCP_TRACKER_CONTACT, or give -s CONTACT=you@example.org (replays need none).")),
    (r"no contact address for the crawler's User-Agent: a live fetch needs one \(`\[crawl\] contact` in "
     r"ncp-tracker\.toml or -s CONTACT=you@example\.org\)",
     N_("no contact address for the crawler's User-Agent: fetching documents from the web needs one (`[crawl] contact` in "
        "ncp-tracker.toml, or $NCP_TRACKER_CONTACT)")),
    (r"unknown source\(s\): (?P<name>.+?) \(known: (?P<valid>.*)\)", N_("unknown source %(name)s (valid: %(valid)s)")),
    # a `-s NAME=VALUE` Scrapy could not use (tracker.jobs.crawl.setting_value)
    (r"(?P<setting>[A-Z][A-Z0-9_]*) must be true or false \(1 or 0\), not (?P<value>.+)",
     N_("%(setting)s must be true or false (1 or 0), not %(value)s")),
    (r"(?P<setting>[A-Z][A-Z0-9_]*) must be a whole number, not (?P<value>.+)",
     N_("%(setting)s must be a whole number, not %(value)s")),
    (r"(?P<setting>[A-Z][A-Z0-9_]*) must be a number, not (?P<value>.+)",
     N_("%(setting)s must be a number, not %(value)s")),
    (r"(?P<setting>[A-Z][A-Z0-9_]*) must be at least (?P<low>-?\d+), not (?P<value>.+)",
     N_("%(setting)s must be at least %(low)s, not %(value)s")),
    (r"LOG_LEVEL must be one of (?P<valid>.+), not (?P<value>.+)",
     N_("LOG_LEVEL must be one of %(valid)s, not %(value)s")),
    (r"TRACKER_LOCK_WAIT must be a number of seconds, not (?P<value>.+)",
     N_("TRACKER_LOCK_WAIT must be a number of seconds, not %(value)s")),
    # a source whose recording `record` could not finish (tracker.jobs.crawl.CrawlResult.recording_gaps)
    (r"(?P<source>\S+): (?P<num>\d+) responses recorded, but (?P<path>.+?) cannot be read \((?P<error>.*)\)",
     NP_("%(source)s: %(num)s response recorded, but %(path)s cannot be read (%(error)s)",
         "%(source)s: %(num)s responses recorded, but %(path)s cannot be read (%(error)s)", "num")),
    # what `backfill` cannot plan (tracker.jobs.backfill.plan)
    (r"--since must be a year from (?P<first>\d+) to (?P<last>\d+), got (?P<value>.+)",
     N_("--since must be a year from %(first)s to %(last)s, not %(value)s")),
    (r"no backfill for source\(s\): (?P<sources>.+?) \(backfill exists for: (?P<valid>.*)\)",
     N_("no backfill for %(sources)s (there is one for: %(valid)s)")),
    (r"no recorded history in (?P<path>.+?) for: (?P<sources>.+?) \(a recording holds <source>/manifest\.json\)",
     N_("no recorded history in %(path)s for %(sources)s (a recording holds <source>/manifest.json)")),
    (r"(?P<source>\S+): no units of history to backfill \(for '(?P=source)' check its configuration, e\.g\. the "
     r"watchlist\)",
     N_("%(source)s: no units of history to backfill (check its configuration, e.g. the watchlist)")),
    # a configuration file the commands cannot use (tracker.config.ConfigError: file, line and key at fault)
    (r"configuration file not found: (?P<path>.+?) \(from \$(?P<env>\w+)\)",
     N_("the configuration file %(path)s does not exist (named by $%(env)s)")),
    (r"configuration file not found: (?P<path>.+)", N_("the configuration file %(path)s does not exist")),
    (r"(?P<path>.+?): cannot read: (?P<oserror>.+)", N_("cannot read %(path)s: %(error)s")),
    # an editable default's copy in the data directory (tracker.resources.unreadable), the watchlist
    (r"(?P<path>.+?): a link to (?P<target>.+), which does not exist",
     N_("%(path)s is a symbolic link to %(target)s, which does not exist")),
    (r"(?P<path>.+?): not UTF-8 text \(byte (?P<num>\d+)\); save it as UTF-8",
     N_("%(path)s is not UTF-8 text (byte %(num)s): save it as UTF-8")),
    (r"(?P<path>.+?):(?P<line>\d+): unknown table \[(?P<table>\w+)\] \(known: (?P<known>.*)\)",
     N_("%(path)s, line %(line)s: unknown table [%(table)s] (known: %(known)s)")),
    (r"(?P<path>.+?):(?P<line>\d+): unknown key (?P<key>\S+) \(known in \[(?P<table>\w+)\]: (?P<known>[^)]*)\); "
     r"secrets are read only from \$(?P<env>\w+)",
     N_("%(path)s, line %(line)s: unknown key %(key)s (known in [%(table)s]: %(known)s); secrets are read only from "
        "$%(env)s")),
    (r"(?P<path>.+?):(?P<line>\d+): unknown key (?P<key>\S+) \(known in \[(?P<table>\w+)\]: (?P<known>[^)]*)\)",
     N_("%(path)s, line %(line)s: unknown key %(key)s (known in [%(table)s]: %(known)s)")),
    (r"(?P<path>.+?):(?P<line>\d+): (?P<key>\w+\.\w+) must be a string, not (?P<value>.+)",
     N_("%(path)s, line %(line)s: %(key)s must be a text in quotes, not %(value)s")),
    (r"(?P<path>.+?):(?P<line>\d+): (?P<key>\w+\.\w+) must be an integer, not (?P<value>.+)",
     N_("%(path)s, line %(line)s: %(key)s must be a whole number, not %(value)s")),
    (r"(?P<path>.+?):(?P<line>\d+): (?P<key>\w+\.\w+) must be a number, not (?P<value>.+)",
     N_("%(path)s, line %(line)s: %(key)s must be a number, not %(value)s")),
    (r"(?P<path>.+?):(?P<line>\d+): (?P<key>\w+\.\w+) must be true or false, not (?P<value>.+)",
     N_("%(path)s, line %(line)s: %(key)s must be true or false, not %(value)s")),
    (r"(?P<path>.+?):(?P<line>\d+): (?P<key>\w+\.\w+) must be one of (?P<valid>.+), not (?P<value>.+)",
     N_("%(path)s, line %(line)s: %(key)s must be one of %(valid)s, not %(value)s")),
    # an environment variable's value its setting refuses (tracker.config.ENV_OVERRIDES: log_level)
    (r"\$(?P<env>\w+): (?P<key>\w+\.\w+) must be one of (?P<valid>.+), not (?P<value>.+)",
     N_("$%(env)s: %(key)s must be one of %(valid)s, not %(value)s")),
    # a value of the right type that a setting's check refuses (tracker.config: _in_range, _site_address)
    (r"(?P<path>.+?):(?P<line>\d+): (?P<key>\w+\.\w+) must be a port between (?P<low>\d+) and (?P<high>\d+), "
     r"not (?P<value>.+)",
     N_("%(path)s, line %(line)s: %(key)s must be a port number from %(low)s to %(high)s, not %(value)s")),
    (r"(?P<path>.+?):(?P<line>\d+): (?P<key>\w+\.\w+) must be at least (?P<low>-?\d+), not (?P<value>.+)",
     N_("%(path)s, line %(line)s: %(key)s must be at least %(low)s, not %(value)s")),
    (r"(?P<path>.+?):(?P<line>\d+): (?P<key>\w+\.\w+) must be one e-mail address, e\.g\. \"(?P<example>[^\"]+)\", "
     r"not (?P<value>.+)",
     N_("%(path)s, line %(line)s: %(key)s must be one e-mail address (e.g. %(example)s), not %(value)s")),
    (r"(?P<path>.+?):(?P<line>\d+): (?P<key>\w+\.\w+) must be the workbench's address as advisers open it, "
     r"e\.g\. \"(?P<example>[^\"]+)\", not (?P<value>.+)",
     N_("%(path)s, line %(line)s: %(key)s must be the workbench's address as advisers open it (e.g. %(example)s), "
        "not %(value)s")),
    # a TOML file that is not TOML: the configuration, a profiles file (ProfileError), the watchlist
    # (WatchlistError); the parser's own text kept as the detail
    (r"profiles file (?P<path>.+?) is not valid TOML: (?P<error>.+)",
     N_("the profiles file %(path)s is not valid TOML: %(error)s")),
    (r"(?P<path>.+?):(?P<line>\d+): not valid TOML: (?P<error>.+)",
     N_("%(path)s, line %(line)s: not valid TOML: %(error)s")),
    (r"(?P<path>.+?): not valid TOML: (?P<error>.+)", N_("%(path)s is not valid TOML: %(error)s")),
    # the watched provisions written wrongly (tracker.documents.provisions.ProvisionError)
    (r"(?P<path>.+?): unknown key (?P<value>'[^']*') \(expected \[\[provision\]\] tables\)",
     N_("%(path)s: unknown key %(value)s (the file holds [[provision]] tables)")),
    (r"(?P<path>.+?): expected \[\[provision\]\] tables", N_("%(path)s: the file must hold [[provision]] tables")),
    (r"(?P<path>.+?): provision (?P<num>\d+): unknown field (?P<value>'[^']*') \(valid: (?P<valid>.*)\)",
     N_("%(path)s: provision %(num)s: unknown field %(value)s (valid: %(valid)s)")),
    (r"(?P<path>.+?): provision (?P<num>\d+): needs `key` and `label`",
     N_("%(path)s: provision %(num)s needs `key` and `label`")),
    (r"(?P<path>.+?): provision (?P<num>\d+): key (?P<value>'[^']*') used twice",
     N_("%(path)s: provision %(num)s: the key %(value)s is used twice")),
    (r"(?P<path>.+?): provision (?P<num>\d+) \((?P<key>[^)]*)\): `label_en` must be a text \(the name in English\)",
     N_("%(path)s: provision %(num)s (%(key)s): `label_en` must be a text in quotes (the name in English)")),
    (r"(?P<path>.+?): provision (?P<num>\d+) \((?P<key>[^)]*)\): give exactly one of reference, act \(\+ article\) "
     r"or terms",
     N_("%(path)s: provision %(num)s (%(key)s): give exactly one of reference, act (with article) or terms")),
    (r"(?P<path>.+?): provision (?P<num>\d+) \((?P<key>[^)]*)\): reference (?P<value>.+?) is not a reference the "
     r"resolver knows \(e\.g\. (?P<example>.+)\)",
     N_("%(path)s: provision %(num)s (%(key)s): %(value)s is no reference the program knows (e.g. %(example)s)")),
    (r"(?P<path>.+?): provision (?P<num>\d+) \((?P<key>[^)]*)\): act (?P<value>.+?) is not an act number the "
     r"resolver knows",
     N_("%(path)s: provision %(num)s (%(key)s): %(value)s is no act number the program knows")),
    (r"(?P<path>.+?): provision (?P<num>\d+) \((?P<key>[^)]*)\): `act` needs `article`",
     N_("%(path)s: provision %(num)s (%(key)s): `act` needs `article`")),
    (r"(?P<path>.+?): not UTF-8 text: (?P<error>.+)", N_("%(path)s is not UTF-8 text: %(error)s")),
    # a profile the profiles file defines wrongly (tracker.attention.profiles.ProfileError)
    (r"profile '(?P<profile>[^']+)': unknown field\(s\) (?P<names>.+?) \(valid: (?P<valid>.*)\)",
     N_("the profile “%(profile)s” has unknown fields %(names)s (valid: %(valid)s)")),
    (r"profile '(?P<profile>[^']+)': unknown source (?P<value>.+?) \(valid: (?P<valid>.*)\)",
     N_("the profile “%(profile)s”: unknown source %(value)s (valid: %(valid)s)")),
    (r"profile '(?P<profile>[^']+)': unknown kind (?P<value>.+?) \(valid: (?P<valid>.*)\)",
     N_("the profile “%(profile)s”: unknown kind %(value)s (valid: %(valid)s)")),
    (r"profile '(?P<profile>[^']+)': unknown section (?P<value>.+?) \(valid: (?P<valid>.*)\)",
     N_("the profile “%(profile)s”: unknown section %(value)s (valid: %(valid)s)")),
    (r"profile '(?P<profile>[^']+)': unknown due (?P<value>.+?) \(valid: (?P<valid>.*)\)",
     N_("the profile “%(profile)s”: unknown due %(value)s (valid: %(valid)s)")),
    # a label nlp.labels.parse_label does not know; the valid ones by code and name in the reader's
    # language (`_refusal_values`), as the command line's --label lists them
    (r"profile '(?P<profile>[^']+)': unknown label (?P<label>.+?); valid labels: (?P<valid>.*)",
     N_("the profile “%(profile)s”: unknown label %(label)s (valid: %(valid)s)")),
    (r"profile '(?P<profile>[^']+)' must be a table",
     N_("the profile “%(profile)s” must be a table ([profiles.%(profile)s])")),
    (r"profile '(?P<profile>[^']+)': (?P<field>\w+) must be a list of strings",
     N_("the profile “%(profile)s”: %(field)s must be a list of texts in quotes")),
    (r"profile '(?P<profile>[^']+)': recipients: not an e-mail address: (?P<values>.+)",
     N_("the profile “%(profile)s”: recipients: not an e-mail address: %(values)s (name@example.org, or several "
        "separated by commas)")),
    (r"profile '(?P<profile>[^']+)': threshold must be a number in \[0, 1\]",
     N_("the profile “%(profile)s”: threshold must be a number from 0 to 1")),
    (r"profile '(?P<profile>[^']+)': (?P<field>\w+) must be a whole number ≥ (?P<low>\d+)",
     N_("the profile “%(profile)s”: %(field)s must be a whole number of at least %(low)s")),
    (r"profile '(?P<profile>[^']+)': (?P<field>\w+) must be a number ≥ (?P<low>\d+)",
     N_("the profile “%(profile)s”: %(field)s must be a number of at least %(low)s")),
    (r"profile '(?P<profile>[^']+)': (?P<field>\w+) must be a number > (?P<low>\d+)",
     N_("the profile “%(profile)s”: %(field)s must be a number greater than %(low)s")),
    (r"profile '(?P<profile>[^']+)': (?P<field>\w+) must be true or false",
     N_("the profile “%(profile)s”: %(field)s must be true or false")),
    (r"profile '(?P<profile>[^']+)': give horizon_weeks or horizon_months, not both",
     N_("the profile “%(profile)s”: give horizon_weeks or horizon_months, not both")),
    (r"profile '(?P<profile>[^']+)': (?P<field>\w+) must be a whole number from (?P<low>\d+) to (?P<high>\d+)",
     N_("the profile “%(profile)s”: %(field)s must be a whole number from %(low)s to %(high)s")),
    (r"profile '(?P<profile>[^']+)': horizon_by must be 'week' or 'month', not (?P<value>.+)",
     N_("the profile “%(profile)s”: horizon_by must be 'week' or 'month', not %(value)s")),
    (r"profile '(?P<profile>[^']+)': sections is empty \(valid: (?P<valid>.*)\)",
     N_("the profile “%(profile)s”: sections is empty (valid: %(valid)s)")),
    (r"profile '(?P<profile>[^']+)': the horizon section needs horizon_weeks or horizon_months",
     N_("the profile “%(profile)s”: the horizon section needs horizon_weeks or horizon_months")),
    (r"no \[profiles\.<name>\] tables in (?P<path>.+)", N_("%(path)s has no [profiles.<name>] tables")),
    # the watchlist of EU files (crawlers.watchlist_file.WatchlistError: file, line and field at fault)
    (r"(?P<path>.+?):(?P<line>\d+): unknown top-level key (?P<key>'[^']*') \(expected \[\[file\]\] tables\)",
     N_("%(path)s, line %(line)s: unknown key %(key)s (the watchlist has only [[file]] tables)")),
    (r"(?P<path>.+?):(?P<line>\d+): no \[\[file\]\] entries", N_("the watchlist %(path)s has no [[file]] entries")),
    # a field of one watched file (WatchlistError: "PATH:LINE: file 'ID' field 'NAME': PROBLEM"), the
    # problem in the reader's words by `WATCHLIST_PROBLEMS`
    (r"(?P<path>.+?):(?P<line>\d+): file '(?P<entry>[^']*)' field '(?P<field>[^']*)': (?P<problem>.+)",
     N_("%(path)s, line %(line)s: the EU file “%(entry)s”, field “%(field)s”: %(problem)s")),
    (r"(?P<path>.+?): file '(?P<entry>[^']*)' field '(?P<field>[^']*)': (?P<problem>.+)",
     N_("%(path)s: the EU file “%(entry)s”, field “%(field)s”: %(problem)s")),
    (r"(?P<path>.+?): watchlist file not found", N_("the watchlist %(path)s does not exist")),
    (r"(?P<path>.+?): no \[\[file\]\] entries", N_("the watchlist %(path)s has no [[file]] entries")),
    (r"(?P<path>.+?): not UTF-8 text: (?P<error>.+)", N_("%(path)s is not UTF-8 text (%(error)s): save it as UTF-8")),
    # a feed `ingest` cannot store (tracker.jobs.ingest.IngestError: nothing stored)
    (r"(?P<path>.+?): no such file", N_("the file %(path)s does not exist")),
    (r"(?P<path>.+?): the file is empty \(a crawl's output holds at least its crawl report\)",
     N_("%(path)s is empty (a crawl's output holds at least its crawl report)")),
    (r"unknown source (?P<name>'[^']*') \(known: (?P<valid>.*)\)", N_("unknown source %(name)s (valid: %(valid)s)")),
    (r"(?P<path>.+?): no crawl report: not the complete output of a finished crawl \((?P<num>\d+) items; the crawl "
     r"was cut short, or the file was written by something else\)",
     NP_("%(path)s has no crawl report: it is not the complete output of a finished crawl (%(num)s item; the crawl "
         "was cut short, or something else wrote the file)",
         "%(path)s has no crawl report: it is not the complete output of a finished crawl (%(num)s items; the crawl "
         "was cut short, or something else wrote the file)", "num")),
    (r"(?P<path>.+?): the crawl's as_of (?P<as_of>\S+) is earlier than the store's latest run of (?P<source>\S+) "
     r"\((?P<latest>\S+)\); an older crawl cannot be stored after a newer one",
     N_("%(path)s: the crawl's clock (%(as_of)s) is earlier than the store's latest run of %(source)s (%(latest)s); "
        "an older crawl cannot be stored after a newer one")),
    (r"(?P<path>.+?):(?P<line>\d+): not JSON \((?P<error>.*)\); expected JSON Lines as `scrapy crawl NAME -O "
     r"items\.jsonl` writes them",
     N_("%(path)s, line %(line)s: not JSON (%(error)s); expected JSON Lines as `scrapy crawl NAME -O items.jsonl` "
        "writes them")),
    (r"(?P<path>.+?):(?P<line>\d+): item of source (?P<found>'[^']*'|None), not (?P<source>'[^']*')",
     N_("%(path)s, line %(line)s: an item of the source %(found)s, not %(source)s")),
    (r"(?P<path>.+?): the crawl report has no as_of; pass --as-of",
     N_("%(path)s: the crawl report has no clock (as_of); give --as-of")),
    (r"(?P<path>.+?): the crawl report's as_of (?P<value>.+?) is not a date and time \(ISO 8601\); pass --as-of",
     N_("%(path)s: the crawl report's clock (as_of) %(value)s is not a date and time (ISO 8601); give --as-of")),
    (r"(?P<path>.+?): cannot read it as UTF-8 text \((?P<error>.*)\)",
     N_("%(path)s cannot be read as UTF-8 text (%(error)s)")),
    (r"(?P<path>.+?):(?P<line>\d+): not a JSON object; expected JSON Lines as `scrapy crawl NAME -O items\.jsonl` "
     r"writes them",
     N_("%(path)s, line %(line)s: not a JSON object; expected JSON Lines as `scrapy crawl NAME -O items.jsonl` "
        "writes them")),
    (r"(?P<path>.+?):(?P<line>\d+): not a crawl report of this version \(crawl_report=(?P<version>.*), unknown "
     r"fields: (?P<names>.*)\)",
     N_("%(path)s, line %(line)s: not a crawl report of this version of ncp-tracker (crawl_report=%(version)s, "
        "unknown fields: %(names)s)")),
    (r"(?P<path>.+?):(?P<line>\d+): the crawl report is of source (?P<found>'[^']*'|None), not (?P<source>'[^']*')",
     N_("%(path)s, line %(line)s: the crawl report is of the source %(found)s, not %(source)s")),
    (r"(?P<path>.+?):(?P<line>\d+): not an item of ncp-tracker's spiders \(unknown fields: (?P<names>.*)\)",
     N_("%(path)s, line %(line)s: not an item of ncp-tracker's spiders (unknown fields: %(names)s)")),
    (r"(?P<path>.+?):(?P<line>\d+): item without title or url",
     N_("%(path)s, line %(line)s: an item without a title or url")),
    (r"(?P<path>.+?): (?P<num>\d+) crawl reports: the output of several crawls in one file",
     N_("%(path)s has %(num)s crawl reports: the output of several crawls in one file")),
    # what `calibrate` and `tag` cannot do (tracker.workbench.calibration, tracker.jobs.tagging)
    (r"not enough feedback to calibrate: (?P<pos>\d+) relevant and (?P<neg>\d+) not_relevant marks, (?P<labelled>\d+) "
     r"with label marks \(need at least (?P<num>\d+) in all, .*",
     N_("not enough feedback to calibrate: %(pos)s marked relevant and %(neg)s not relevant, %(labelled)s with label "
        "marks (at least %(num)s are needed in all, and label marks or some of each kind of relevance mark; mark "
        "items with `ncp-tracker triage ITEM --state not_relevant|watching|respond` or `--label +oecd-iv`)")),
    (r"weights file (?P<path>.+?) cannot be read \((?P<error>.*)\); it is written by `ncp-tracker calibrate`: "
     r"restore it, or remove it to tag with the shipped weights",
     N_("the weights file %(path)s cannot be read (%(error)s); `ncp-tracker calibrate` writes it: restore it, or "
        "remove it to tag with the shipped weights")),
    # why `digest --send` sent nothing, or not to all (tracker.digest.mailer.MailError); the SMTP
    # server's own reply is kept as it wrote it
    (r"no SMTP server configured: set \[smtp\] host in the configuration",
     N_("no SMTP server is configured: set [smtp] host in the configuration")),
    (r"no recipients: give --to or set recipients in the profile",
     N_("no recipients: give --to or set recipients in the profile")),
    (r"SMTP server (?P<where>.+?) does not offer STARTTLS \(set \[smtp\] starttls = false only for a trusted local "
     r"relay\)", N_("the SMTP server %(where)s does not offer STARTTLS (set [smtp] starttls = false only for a trusted "
                    "local relay)")),
    (r"sending to (?P<where>.+?) failed: all recipients refused \((?P<refused>.*)\)",
     N_("sending to %(where)s failed: every recipient was refused (%(refused)s)")),
    (r"sending to (?P<where>.+?) failed: (?P<error>.*)", N_("sending to %(where)s failed: %(error)s")),
    (r"sent to (?P<accepted>.*?) but refused for (?P<refused>.*)",
     N_("sent to %(accepted)s, but refused for %(refused)s")),
    # a name=value pair of `crawl --arg` and `-s/--set` (tracker.jobs.crawl.parse_setting_pairs)
    (r"expected (?:-s )?NAME=VALUE, got (?P<value>.+)", N_("expected NAME=VALUE, got %(value)s")),
    # click's own words of an input it refuses (click.types, click.parser, click.core: its gettext
    # msgids as it formats them; click ships no catalogue), shown by tracker.cli.support.usage_text
    (r"(?P<value>.+?) is not one of (?P<choices>.+)\.", N_("%(value)s is not one of %(choices)s.")),
    (r"(?P<value>.+?) is not a valid integer(?: range)?\.", N_("%(value)s is not a valid integer.")),
    (r"(?P<value>.+?) is not a valid float(?: range)?\.", N_("%(value)s is not a valid number.")),
    (r"(?P<value>.+?) is not in the range (?P<range>.+)\.", N_("%(value)s is not in the range %(range)s.")),
    (r"Option (?P<name>.+) requires an argument\.", N_("option %(name)s requires a value")),
    (r"Option (?P<name>.+) does not take a value\.", N_("option %(name)s does not take a value")),
    (r"Got unexpected extra argument \((?P<args>.*)\)", N_("unexpected extra argument (%(args)s)")),
    (r"Got unexpected extra arguments \((?P<args>.*)\)", N_("unexpected extra arguments (%(args)s)")),
    (r"Missing command\.", N_("missing command")),
    (r"File (?P<path>.+) does not exist\.", N_("the file %(path)s does not exist")),
    (r"Directory (?P<path>.+) does not exist\.", N_("the folder %(path)s does not exist")),
    (r"Path (?P<path>.+) does not exist\.", N_("the path %(path)s does not exist")),
    (r"File (?P<path>.+) is a directory\.", N_("%(path)s is a folder, not a file")),
    (r"Directory (?P<path>.+) is a file\.", N_("%(path)s is a file, not a folder")),
    (r"(?P<path>'.+'): (?P<oserror>.+)", N_("%(path)s: %(error)s")),  # a click.File it cannot open
))

#: what SQLite says of a database it cannot open or read (sqlite3.DatabaseError's text), in the
#: reader's words; in English SQLite's text is kept after them as the detail (`with_detail`)
SQLITE_ERRORS: dict[str, str] = {
    "file is not a database": N_("the file is not a database"),
    "database is locked": N_("another program is writing to it (the database is locked)"),
    "attempt to write a readonly database": N_("the database is read-only"),
    "unable to open database file": N_("the file cannot be opened (no access, or its folder is missing)"),
    "database or disk is full": N_("the disk is full"),
    "database disk image is malformed": N_("the database file is damaged"),
}

#: what the operating system says of a file it cannot write or read (or of an address `serve`
#: cannot listen on: an OSError's errno), in the reader's words; in English the system's own text
#: is kept after them as the detail (`with_detail`)
OS_ERRORS: dict[int, str] = {
    errno.EACCES: N_("permission denied"),
    errno.EPERM: N_("permission denied"),
    errno.ENOENT: N_("no such file or folder"),
    errno.ENOSPC: N_("the disk is full"),
    errno.EDQUOT: N_("the disk quota is used up"),
    errno.EROFS: N_("the file system is read-only"),
    errno.EISDIR: N_("it is a folder"),
    errno.ENOTDIR: N_("a part of the path is not a folder"),
    errno.EADDRINUSE: N_("the address is already in use"),  # `serve` on a port that is taken
    errno.EADDRNOTAVAIL: N_("the address is not this machine's"),
}


def with_detail(words: str, detail: str, lang: str) -> str:
    """The reader's words; in English the system's own text after them in parentheses, unless they
    say it already. In Bokmål the words alone: the system writes English, which a Bokmål line
    would have in the middle of it."""
    if lang != "en" or detail.casefold() in words.casefold():
        return words
    return f"{words} ({detail})"


def sqlite_error(text: str, lang: str = "nb") -> str:
    """SQLite's error text in the reader's words for the common cases (not a database, locked,
    read-only, cannot open, disk full, damaged), in English «sqlite: …» after them; other texts as
    they are."""
    msgid = SQLITE_ERRORS.get(text.strip().rstrip(".").casefold())
    return text if msgid is None else with_detail(gettext(lang, msgid), f"sqlite: {text}", lang)


#: OS_ERRORS by the system's text (what a refusal worded in English keeps of an OSError: its strerror)
_OS_TEXTS = {os.strerror(code): msgid for code, msgid in OS_ERRORS.items()}


def os_error(error: OSError | str, lang: str = "nb") -> str:
    """What went wrong with a file, in the reader's words for the common cases (permission denied,
    no such folder, disk full, read-only …), in English the system's text after them; an OSError, or its
    strerror as a refusal kept it. Others as the system says them."""
    if isinstance(error, OSError):
        text = error.strerror or str(error)
        msgid = OS_ERRORS.get(error.errno) if error.errno is not None else None
    else:
        text, msgid = error, _OS_TEXTS.get(error)
    return text if msgid is None else with_detail(gettext(lang, msgid), text, lang)


#: who holds a lock (tracker.store.runlock: what the holder wrote into it, or that nobody did)
LOCK_HOLDERS: MessageTable = message_table((
    (r"another process", N_("another process")),
    (r"pid (?P<pid>\d+), `(?P<command>.*)`, started (?P<started>\S+)",
     N_("process %(pid)s, `%(command)s`, started %(started)s")),
))


def lock_holder(text: str, lang: str = "nb") -> str:
    """Who holds a lock (`runlock`'s «pid 12, `ncp-tracker run`, started …»), in `lang`, its start
    as the reader writes a time; an unknown text as written."""

    def values(found: dict[str, str], lang: str) -> dict[str, str]:
        if found.get("started"):
            from tracker.i18n import format_datetime

            found["started"] = format_datetime(found["started"], lang) or found["started"]
        return found

    return match_message(LOCK_HOLDERS, text, lang, values) or text


#: where a setting of `ncp-tracker config` came from (tracker.config.Config.origin): its default, a
#: line of the configuration file, an environment variable, an option
CONFIG_ORIGINS: MessageTable = message_table((
    (r"default", N_("default")),
    (r"demo's default", N_("demo's default")),
    (r"env (?P<env>\w+)", N_("environment variable %(env)s")),
    (r"(?P<path>.+):(?P<line>\d+)", N_("%(path)s, line %(line)s")),
))


def config_origin(text: str, lang: str = "nb") -> str:
    """Where a setting came from (`Config.origin`: «default», «ncp-tracker.toml:3», «env
    NCP_TRACKER_DB», «--db») in `lang`; an option as it is written."""
    return match_message(CONFIG_ORIGINS, text, lang) or text


def refusal_text(text: str, lang: str = "nb", *, fields: Mapping[str, str] | None = None,
                 command_line: bool = False) -> str:
    """A workbench refusal (`REFUSALS`) in `lang`, states and kinds by name, days as the reader
    writes them; any other text unchanged. `fields`: an option's name in the refusal → its
    catalogue name (the web's form calls --from «fra»). `command_line`: as the terminal says it
    (`COMMAND_REFUSALS` first: its options, not the form's fields)."""

    def values(found: dict[str, str], lang: str) -> dict[str, str]:
        return _refusal_values(found, lang, fields or {})

    shown = match_message(COMMAND_REFUSALS, text, lang, values) if command_line else None
    if shown is None:
        shown = match_message(REFUSALS, text, lang, values)
    return text if shown is None else shown


def _name(table: dict[str, str], code: str | None, lang: str) -> str:
    if code is None or code == "":
        return ""
    msgid = table.get(str(code))
    return gettext(lang, msgid) if msgid else str(code)


def folded(text: str) -> str:
    """A value as the reader may type it, compared: case and spaces ignored, «_» as a space, and
    æ/ø/å as their ASCII spellings ae/oe/aa (also typed a/o: «Etikkradet»), other accents left off
    («komitehøring» for «Komitéhøring»)."""
    import unicodedata

    text = " ".join(text.casefold().replace("_", " ").split())
    text = unicodedata.normalize("NFKD", unicodedata.normalize("NFC", text).replace("æ", "ae").replace("ø", "oe")
                                 .replace("å", "aa"))
    return "".join(c for c in text if not unicodedata.combining(c))


def _plain(text: str) -> str:
    """A `folded` value with aa/oe/ae written a/o/a, as «Etikkradet» spells «Etikkrådet»."""
    return text.replace("aa", "a").replace("oe", "o").replace("ae", "a")


def code_of(name: str, names: Mapping[str, str]) -> str:
    """The code `name` is, or names in Bokmål or English (`names`: code → msgid, as the tables
    here keep them), as the output shows it — any case, æ/ø/å or their ASCII spellings; `name`
    itself when none is. One reading of a typed value for the command line's options and the
    search's filters (status:åpen, kind:høring, --state tildelt)."""
    from tracker.i18n import LANGS

    wanted = folded(name)
    for code, msgid in names.items():
        shown = {folded(code), *(folded(gettext(lang, msgid)) for lang in LANGS)}
        shown |= {_plain(s) for s in set(shown)}
        if wanted in shown or _plain(wanted) in shown:
            return code
    return name


def close_names(typed: str, names: Mapping[str, str], codes: Sequence[str], lang: str) -> list[str]:
    """What the reader may have meant by `typed`, a value none of `codes` is: the names in `lang`
    (else the codes) of those closest to it — by their code or their name in either language, as
    `code_of` takes them — compared as `folded` (at most three)."""
    import difflib

    from tracker.i18n import LANGS

    by_folded: dict[str, str] = {}  # the code and the names, folded → the name in `lang`
    for code in codes:
        name = _name(names, code, lang)
        for spelling in (name, code, *(_name(names, code, other) for other in LANGS)):
            by_folded.setdefault(folded(spelling), name)
    matches = difflib.get_close_matches(folded(typed), list(by_folded), n=3, cutoff=0.75)
    return list(dict.fromkeys(by_folded[m] for m in matches))


def names_with_codes(names: Mapping[str, str], codes: list[str] | tuple[str, ...], lang: str) -> str:
    """The values `codes` as the reader types them: each by its name in `lang`, its code beside it
    («åpen (open), lukket (closed)»; «open», not «open (open)»); a code without a name as it is."""

    return ", ".join(with_code(_name(names, code, lang), code) for code in codes)


def with_code(name: str, code: str) -> str:
    """A name with its code beside it, the two ways a reader may type it: «Etikkrådet
    (no_etikkradet)»; a name ending in a bracket takes the code inside it, not a second bracket
    («EU-tidende (Cellar; eu_cellar)»); a name that is its code («open») as it is."""
    if folded(name) == folded(code):
        return name
    if name.endswith(")"):
        return f"{name[:-1]}; {code})"
    return f"{name} ({code})"


def source_name(code: str | None, lang: str = "nb") -> str:
    return _name(SOURCE_NAMES, code, lang)


def kind_name(code: str | None, lang: str = "nb") -> str:
    return _name(KIND_NAMES, code, lang)


def status_name(code: str | None, lang: str = "nb") -> str:
    return _name(STATUS_NAMES, code, lang)


def source_status(word: str | None, lang: str = "nb") -> str:
    """The status word a source gives (items.status_raw) as words: an API's code written with
    underscores (Stortinget's "til_behandling") as «til behandling»; the source's own language
    either way (`lang` is the filters' signature)."""
    return " ".join(str(word or "").replace("_", " ").split())


def triage_name(code: str | None, lang: str = "nb") -> str:
    return _name(TRIAGE_NAMES, code, lang)


#: an EU file's stages, one table for the digest, the feeds and the web: the stages of its document
#: family (tracker.documents.family.STAGES, by code) and the stage OEIL's procedure file says it has
#: reached (its "Status" / "Stage reached in procedure", in OEIL's own English words, which are the
#: msgids: the English name is the source's). The OEIL phrases are those public code lists as the
#: Observatory's values (2026). A stage not named here is shown as the source words it
EU_STAGE_NAMES: dict[str, str] = {
    "proposal": N_("Commission proposal"), "council_mandate": N_("Council mandate"),
    "ep_position": N_("Parliament position"), "adopted": N_("Adopted act"),
    "Preparatory phase in Parliament": N_("Preparatory phase in Parliament"),
    "Awaiting committee decision": N_("Awaiting committee decision"),
    "Awaiting Parliament's position in 1st reading": N_("Awaiting Parliament's position in 1st reading"),
    "Awaiting Parliament 1st reading / single reading / budget 1st stage":
        N_("Awaiting Parliament 1st reading / single reading / budget 1st stage"),
    "Awaiting Council's 1st reading position": N_("Awaiting Council's 1st reading position"),
    "Political agreement in Council on its 1st reading position":
        N_("Political agreement in Council on its 1st reading position"),
    "Awaiting Parliament 2nd reading": N_("Awaiting Parliament 2nd reading"),
    "Awaiting plenary debate/vote": N_("Awaiting plenary debate/vote"),
    "Awaiting Parliament's vote": N_("Awaiting Parliament's vote"),
    "Awaiting Parliament's position on the draft budget": N_("Awaiting Parliament's position on the draft budget"),
    "Awaiting Council decision": N_("Awaiting Council decision"),
    "Awaiting final decision": N_("Awaiting final decision"),
    "Awaiting signature of act": N_("Awaiting signature of act"),
    "Procedure completed": N_("Procedure completed"),
    "Procedure completed, awaiting publication in Official Journal":
        N_("Procedure completed, awaiting publication in Official Journal"),
    "Procedure completed - delegated act enters into force": N_("Procedure completed - delegated act enters into force"),
    "Procedure rejected": N_("Procedure rejected"),
    "Procedure lapsed or withdrawn": N_("Procedure lapsed or withdrawn"),
}  # fmt: skip


def _stage_key(text: str) -> str:
    """A stage as looked up: case, spacing, a closing full stop and the kind of apostrophe and dash
    ignored ("Awaiting Council’s 1st reading position." is OEIL's stage too)."""
    text = text.replace("’", "'").replace("–", "-").strip().rstrip(".")
    return " ".join(text.casefold().split())


_EU_STAGES = {_stage_key(code): msgid for code, msgid in EU_STAGE_NAMES.items()}


def eu_stage_name(stage: str | None, lang: str = "nb") -> str:
    """An EU file's stage by its name in `lang` (`EU_STAGE_NAMES`): a document family's stage code
    ("council_mandate" → «Rådets mandat») or OEIL's words ("Procedure completed" → «Behandlingen er
    avsluttet»); a stage the table does not know as the source words it."""
    if stage is None or str(stage).strip() == "":
        return ""
    msgid = _EU_STAGES.get(_stage_key(str(stage)))
    return gettext(lang, msgid) if msgid else str(stage)


#: linked documents' types that are codes, by name: an EU file's stage documents
#: (tracker/documents/family.py) and Have your say's publication types (its API's ``type``,
#: lower-cased by the spider; the real captures have INIT_PLANNED and CALL_FOR_EVIDENCE). A type
#: not named here is shown as it came: a regjeringen.no "høringsnotat", or a portal code whose
#: name would be a guess
DOCUMENT_TYPE_NAMES: dict[str, str] = {
    **{f"eu_{code}": EU_STAGE_NAMES[code] for code in ("proposal", "council_mandate", "ep_position", "adopted")},
    "call_for_evidence": N_("Call for evidence"), "opc_launched": N_("Public consultation"),
    "init_planned": N_("Planned initiative"), "proposal": N_("Proposal"),
    "prop_reg_draft": N_("Proposal for a regulation"), "prop_dir_draft": N_("Proposal for a directive"),
    "reg_del_draft": N_("Draft delegated act"), "reg_del": N_("Delegated act"),
    "reg_impl_draft": N_("Draft implementing act"), "reg_impl": N_("Implementing act"),
}  # fmt: skip


def document_type_name(code: str | None, lang: str = "nb") -> str:
    """A linked document's type as people say it ("Utkast til delegert rettsakt"); a type the
    table does not name (a regjeringen.no "høringsnotat", a Storting "sak") as it came."""
    return _name(DOCUMENT_TYPE_NAMES, code, lang)


def document_title(doc: dict[str, Any]) -> str:
    """A linked document's title; a Have your say publication's, which the spider makes of its
    type code and reference ("CALL_FOR_EVIDENCE Ares(2026)7131684"), with the type's name in
    English, as the rest of an EU item ("Call for evidence Ares(2026)7131684")."""
    title = str(doc.get("title") or "")
    code = str(doc.get("type") or "")
    name = DOCUMENT_TYPE_NAMES.get(code)
    if name and (title == code.upper() or title.startswith(code.upper() + " ")):
        return name + title[len(code):]
    return title


#: countries a source names otherwise than CLDR's English names do (the OECD's names of its NCPs'
#: countries: "Korea", "Slovak Republic" …), by ISO code
COUNTRY_ALIASES: dict[str, str] = {"korea": "KR", "republic of korea": "KR", "slovak republic": "SK",
                                   "czech republic": "CZ", "turkey": "TR", "united states of america": "US",
                                   "uk": "GB", "great britain": "GB"}  # fmt: skip


@functools.cache
def _country_codes() -> dict[str, str]:
    """A country's English name (case folded) → its ISO code, from Babel's CLDR data."""
    from babel import Locale

    names = {name.casefold(): code for code, name in Locale("en").territories.items()
             if len(code) == 2 and code.isalpha()}
    return {**names, **COUNTRY_ALIASES}


@functools.cache
def _country_names(lang: str) -> dict[str, str]:
    from babel import Locale

    return dict(Locale.parse(lang).territories)


def country_name(name: str | None, lang: str = "nb") -> str:
    """A country a source names in English ("United Kingdom") by its name in `lang` («Storbritannia»,
    from Babel's CLDR data); in English, and for a name it does not know, as the source gives it."""
    text = " ".join(str(name or "").split())
    code = _country_codes().get(text.casefold())
    if lang == "en" or code is None:
        return text
    return _country_names(lang).get(code, text)


#: the Norwegian bodies that send what the sources list (regjeringen.no's ministries, Stortinget's
#: standing committees, the regulators and the fund's), by the name the source gives, with the name
#: they give themselves in English (regjeringen.no's and stortinget.no's English pages)
SENDERS_EN: dict[str, str] = {
    "Arbeids- og inkluderingsdepartementet": "Ministry of Labour and Social Inclusion",
    "Barne- og familiedepartementet": "Ministry of Children and Families",
    "Digitaliserings- og forvaltningsdepartementet": "Ministry of Digitalisation and Public Governance",
    "Energidepartementet": "Ministry of Energy",
    "Finansdepartementet": "Ministry of Finance",
    "Forsvarsdepartementet": "Ministry of Defence",
    "Helse- og omsorgsdepartementet": "Ministry of Health and Care Services",
    "Justis- og beredskapsdepartementet": "Ministry of Justice and Public Security",
    "Klima- og miljødepartementet": "Ministry of Climate and Environment",
    "Kommunal- og distriktsdepartementet": "Ministry of Local Government and Regional Development",
    "Kultur- og likestillingsdepartementet": "Ministry of Culture and Equality",
    "Kunnskapsdepartementet": "Ministry of Education and Research",
    "Landbruks- og matdepartementet": "Ministry of Agriculture and Food",
    "Nærings- og fiskeridepartementet": "Ministry of Trade, Industry and Fisheries",
    "Samferdselsdepartementet": "Ministry of Transport",
    "Utenriksdepartementet": "Ministry of Foreign Affairs",
    "Statsministerens kontor": "Office of the Prime Minister",
    "Arbeids- og sosialkomiteen": "Standing Committee on Labour and Social Affairs",
    "Energi- og miljøkomiteen": "Standing Committee on Energy and the Environment",
    "Familie- og kulturkomiteen": "Standing Committee on Family and Cultural Affairs",
    "Finanskomiteen": "Standing Committee on Finance and Economic Affairs",
    "Helse- og omsorgskomiteen": "Standing Committee on Health and Care Services",
    "Justiskomiteen": "Standing Committee on Justice",
    "Kommunal- og forvaltningskomiteen": "Standing Committee on Local Government and Public Administration",
    "Kontroll- og konstitusjonskomiteen": "Standing Committee on Scrutiny and Constitutional Affairs",
    "Næringskomiteen": "Standing Committee on Business and Industry",
    "Transport- og kommunikasjonskomiteen": "Standing Committee on Transport and Communications",
    "Utdannings- og forskningskomiteen": "Standing Committee on Education and Research",
    "Utenriks- og forsvarskomiteen": "Standing Committee on Foreign Affairs and Defence",
    "Etikkrådet": "Council on Ethics",
    "Etikkrådet for Statens pensjonsfond utland": "Council on Ethics for the Government Pension Fund Global",
    "Forbrukertilsynet": "Norwegian Consumer Authority",
}


def sender_name(item: Mapping[str, Any], lang: str = "nb") -> str:
    """Who sent an item (items.owner) as the reader's language says it: another country's NCP case
    by its lead NCP's country in `lang` («Kontaktpunktet i Storbritannia»; the spider writes
    "NCP United Kingdom"); a Norwegian ministry, committee or regulator in English by its English
    name (`SENDERS_EN`: «Sender: Finansdepartementet» under «Ministry of Finance»); any other sender
    as the source names it. The one reading of a sender for the digest, the feeds, the horizon and
    the workbench."""
    if item.get("kind") == "ncp_case":
        from tracker.store.queries import loads_json

        extra = loads_json(item.get("extra"), None)
        lead = extra.get("lead_ncp") if isinstance(extra, dict) else None
        if isinstance(lead, str) and lead.strip():
            return gettext(lang, "NCP %(country)s", country=country_name(lead, lang))
    owner = " ".join(str(item.get("owner") or "").split())
    return SENDERS_EN.get(owner, owner) if lang == "en" else owner


#: company identifiers (tracker.links.companies.VALIDATORS)
IDENTIFIER_NAMES: dict[str, str] = {"isin": N_("ISIN"), "orgnr": N_("org. no.")}


def identifier_name(code: str | None, lang: str = "nb") -> str:
    return _name(IDENTIFIER_NAMES, code, lang)


def health_name(code: str | None, lang: str = "nb") -> str:
    return _name(HEALTH_NAMES, code, lang)


def health_mark(code: str | None, lang: str = "nb") -> str:
    """A health line's mark («FEIL», "FAIL"); "?" for a status it does not know."""
    return _name(HEALTH_MARKS, code, lang) if code in HEALTH_MARKS else "?"


def step_name(code: str | None, lang: str = "nb") -> str:
    """A crawl step by name («direkte innhenting» / «live»); a replayed day's label (its ISO date)
    as the digest writes days («tir. 24.11.2026»); another label as it is."""
    from datetime import date

    try:
        return format_date(date.fromisoformat(str(code)), lang)
    except ValueError:
        return _name(STEP_NAMES, code, lang)


def backfill_unit_name(kind: str, lang: str = "nb") -> str:
    """A kind of backfill unit by name («side», «sesjon», «rettsakt»); another kind as it is."""
    return _name(BACKFILL_UNIT_NAMES, kind, lang)


def window_name(code: str | None, lang: str = "nb") -> str:
    return _name(WINDOW_NAMES, code, lang)


def field_name(code: str | None, lang: str = "nb") -> str:
    return _name(FIELD_NAMES, code, lang)


#: the fields of a watchlist entry (crawlers.watchlist_file) that its `unverified` names, as
#: `watchlist` says them («ikke kontrollert: prosedyrenummer, COM-nummer», not the keys)
WATCH_FIELD_NAMES: dict[str, str] = {
    "id": N_("id"),
    "name": N_("name"),
    "name_nb": N_("name in Bokmål"),
    "title": N_("title"),
    "act": N_("act citation"),
    "celex": N_("CELEX number"),
    "procedure": N_("procedure number"),
    "com": N_("COM number"),
    "note": N_("note"),
    "note_nb": N_("note in Bokmål"),
    "eea": N_("EEA status"),
    "eea_nb": N_("EEA status in Bokmål"),
    "refs": N_("references"),
    "labels": N_("labels"),
    "unverified": N_("unverified fields"),
}


def watch_field_name(code: str | None, lang: str = "nb") -> str:
    return _name(WATCH_FIELD_NAMES, code, lang)


def event_name(code: str | None, lang: str = "nb") -> str:
    return _name(EVENT_NAMES, code, lang)


def responder_name(code: str | None, lang: str = "nb") -> str:
    return _name(RESPONDER_NAMES, code, lang)


def role_name(code: str | None, lang: str = "nb") -> str:
    return _name(ROLE_NAMES, code, lang)


def gpfg_stage_name(code: str | None, lang: str = "nb") -> str:
    return _name(GPFG_STAGE_NAMES, code, lang)


def gpfg_actor_name(code: str | None, lang: str = "nb") -> str:
    return _name(GPFG_ACTOR_NAMES, code, lang)


def label_name(code: str | None, lang: str = "nb") -> str:
    """A label's name (docs/labelling.md) from `nlp.labels`: Bokmål, or English with "en"."""
    from nlp.labels import LABEL_NAMES, LABEL_NAMES_EN

    if not code:
        return ""
    names = LABEL_NAMES_EN if lang == "en" else LABEL_NAMES
    return names.get(str(code)) or str(code)


def install_jinja_filters(env, lang: str | Callable[[], str]) -> None:
    """Filters `source_name`, `kind_name`, `status_name`, `triage_name`, `label_name`,
    `health_name`, `health_reason`, `event_name`, `field_name`, `window_name` … for `lang` (a code,
    or a function returning the current one)."""
    current = lang if callable(lang) else (lambda: lang)
    for func in (source_name, kind_name, status_name, triage_name, label_name, health_name, health_reason,
                 event_name, field_name, responder_name, role_name, gpfg_stage_name, gpfg_actor_name,
                 window_name, identifier_name, document_type_name, document_error, detail_note, eu_stage_name,
                 sender_name, source_status, watch_field_name):
        env.filters[func.__name__] = lambda code, _f=func: _f(code, current())
    env.filters["document_title"] = document_title
