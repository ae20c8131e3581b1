"""What the values of the item schema's fields mean (`crawlers.items`): the kinds, the spiders
whose summary is their own sentence, the states of an unread detail page, the key of a deadline
that could not be read. No Scrapy here: the tracker reads these without importing Scrapy (~0.3 s
of a command such as `ncp-tracker items`); `crawlers.items` re-exports them."""

from __future__ import annotations

import re

#: kinds of items; a kind says what an item is, not where it came from
KINDS = (
    "hearing",  # government public hearing (høring)
    "committee_hearing",  # Storting committee hearing
    "eu_consultation",  # EU "Have your say" feedback period
    "eu_act_update",  # new version / amendment / corrigendum of a watched EU act
    "eu_procedure",  # Legislative Observatory procedure file
    "eea_note",  # EØS-notat
    "gpfg_document",  # Finansdepartementet document on the fund
    "gpfg_recommendation",  # Etikkrådet recommendation / news
    "gpfg_decision",  # Norges Bank decision
    "storting_case",  # Storting case (sak)
    "regulator_news",  # Forbrukertilsynet
    "law_change",  # Lovdata
    "ncp_case",  # another country's NCP case (OECD database of specific instances)
)

#: spiders that are no source of items: `documents` fetches the documents items link to (the
#: run's documents step gives it its links); never a --source, a profile's or a search's source
NOT_ITEM_SPIDERS = ("documents",)

#: spiders that no `ncp-tracker run` crawls, each run by its own command (`documents fetch` and a
#: run's documents step; `answers`): every other spider of crawlers.spiders is a scheduled source,
#: which a daily run crawls and the sources' health expects (tracker.attention.profiles.scheduled_sources)
UNSCHEDULED_SPIDERS = ("documents", "no_regjeringen_horingssvar")

#: kinds that are consultations an adviser can answer
CONSULTATION_KINDS = ("hearing", "committee_hearing", "eu_consultation")

#: spiders whose `summary` is a sentence they write themselves from the source's facts, not the
#: source's own text: Stortinget's hearings ("Høring i Finanskomiteen om <sak> (<ref>)."), the
#: Legislative Observatory ("Stage: … Last key event: …"), EUR-Lex/Cellar ("Amends <act>; …").
#: Such a summary is never quoted as what the source says (tracker.workbench.drafts).
COMPOSED_SUMMARY_SOURCES = ("no_stortinget_horinger", "eu_oeil", "eu_cellar")

#: the `extra["detail"]` states of an item whose own (detail) page was not read on its last
#: attempt, as the spiders write them (crawlers/spiders/base.py: "blocked 403", "http 500",
#: "error TimeoutError"; a spider's "pending" before and "unreadable" after). "blocked by
#: robots.txt" is not read either, and never fetched again. The store keeps when the page was last
#: read (`extra["detail_read"]`, tracker.store.merge), so "never read" is `detail_never_read`.
UNREAD_DETAIL = re.compile(r"pending|unreadable|blocked \d|http \d|error ")


#: the `extra` key of an item whose deadline could not be read on the last run although the source
#: has one (its answer changed: Have your say's period without `feedbackEndDate`), saying why
#: ("feedbackEndDate missing"); "" when it was read, which clears it (a key the scrape leaves None
#: keeps the stored value, tracker.store.merge). Without a deadline, the reader is told it could not
#: be read, not that none is known (tracker.digest.wording.deadline_text)
DEADLINE_UNREAD = "deadline_unread"


def detail_never_read(detail: str | None, read: str | None) -> bool:
    """Whether an item's own page was never read (its last attempt failed, `detail`, and no
    attempt ever succeeded, `read`) and is worth fetching again: a closed item's page is then
    fetched again, and the item page says its deadline, status and documents may be missing."""
    return not read and bool(UNREAD_DETAIL.match(detail or ""))
