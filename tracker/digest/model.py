"""The digest as data: one typed model every renderer reads (Markdown, text, HTML, e-mail).

Builders (`tracker.digest.sections`) turn the store into `Section`s of `Entry`s whose every
string is already worded in the digest's language and cleaned (`tracker.digest.text.clean`),
but not yet escaped: each template escapes for its own format. A renderer never looks at a
database row, so no raw code, ISO date or Python object can reach what people read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from tracker.attention.profiles import Profile


@dataclass(frozen=True)
class Evidence:
    """The words that justify a label: `before` + **`text`** + `after` (`label` is a name)."""

    label: str
    before: str
    text: str
    after: str


@dataclass(frozen=True)
class Link:
    title: str
    url: str | None
    lang: str = ""  # the title's language when not the digest's (tracker.i18n.part_lang)


@dataclass
class Entry:
    """One item as a section shows it."""

    id: str
    title: str
    url: str | None
    kind: str = ""  # the kind's name ("Høring", "Komitéhøring", …)
    new: bool = False  # shown as "NY" / "NEW"
    star: bool = False  # relevant (in lists that also hold others)
    labels: list[str] = field(default_factory=list)  # label names, never codes
    reason: str = ""  # why it is here (one line)
    lines: list[str] = field(default_factory=list)  # facts: deadlines, draft due, sender, adviser
    warn: list[str] = field(default_factory=list)  # facts to show as a warning (draft overdue)
    evidence: Evidence | None = None
    changes: list[str] = field(default_factory=list)  # what changed, one sentence each
    links: list[Link] = field(default_factory=list)  # related items (EU ↔ Norway)
    summary: str = ""
    compact: str = ""  # a leading fact for one-line lists ("fre. 04.12.2026 (3 virkedager igjen)")
    workbench: str | None = None  # the item's page in the workbench ([web] public_url set), for triage
    #: the item's language when not the digest's (tracker.i18n.part_lang): the HTML marks its title
    #: and the quoted evidence with it (an EU item's English in a Bokmål digest, a Nynorsk title)
    lang: str = ""


@dataclass
class Group:
    heading: str  # "" for an ungrouped section
    entries: list[Entry] = field(default_factory=list)
    more: str = ""  # "+4 til i arbeidsbenken"
    more_url: str | None = None  # the workbench ([web] public_url set), where the rest are
    #: the workbench search that lists the rest (its filters), None: the inbox
    more_where: dict[str, str] | None = None


@dataclass
class Note:
    """A one-line remark under a section ("2 andre nye saker er ikke relevante … (se
    arbeidsbenken)"); `where`: the workbench search that lists what it counts (its filters; empty:
    the workbench's first page, the inbox), made a link (`url`) when the workbench's address is
    known ([web] public_url)."""

    text: str
    where: dict[str, str] | None = None
    url: str | None = None


@dataclass
class Section:
    id: str  # html id and test handle: needs-input, upcoming, new, changed, eu, gpfg, apenhetsloven, coming
    heading: str  # with its count when it has one
    groups: list[Group] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)  # one-line remarks ("12 other … not shown")
    error: str = ""
    empty: str = ""  # what to say when there are no entries ("Ingenting.")
    numbered: bool = False

    @property
    def entry_count(self) -> int:
        return sum(len(g.entries) for g in self.groups)


@dataclass(frozen=True)
class Banner:
    level: str  # "red" or "amber"
    text: str
    #: what it is about, the same all day (a feed's entry id, a calendar's UID): "problem-<n>",
    #: "failing" / "stale", or "failing-<source>" / "stale-<source>" when worded for each source
    key: str = ""


@dataclass(frozen=True)
class HealthRow:
    source: str  # the source's name
    status: str  # green / amber / red (css class)
    status_text: str  # OK / advarsel / FEILER
    count: int  # items seen
    checked: str  # worded date and time, "" if unknown
    stale: bool
    reason: str


@dataclass
class Digest:
    """Everything the morning read shows.

    `sections`, `summary`, `banners` and `health_rows` are what is rendered; the raw rows
    (`needs_input`, `upcoming`, `new`, `changed`, `coming`, `eu`, `gpfg`, `apenhetsloven`, `health`) are what
    the sections were built from (the Atom feed, the calendar and tests read them).
    """

    profile: Profile
    lang: str
    as_of: datetime
    day: date
    since: datetime | None
    baseline_event_id: int
    last_event_id: int
    title: str
    as_of_text: str
    since_text: str
    banners: list[Banner]
    summary: list[str]
    sections: list[Section]
    health_heading: str
    health_rows: list[HealthRow]
    health_empty: str
    footer: str
    #: reasons this digest must not pass for a quiet day (no run, stale data, day outside data)
    problems: list[str]
    needs_input: list[dict[str, Any]]
    new: list[dict[str, Any]]
    changed: list[dict[str, Any]]
    coming: list[tuple[str, list[dict[str, Any]]]]
    eu: dict[str, Any] | None
    gpfg: Section | None
    apenhetsloven: Section | None
    health: list[dict[str, Any]]
    red: list[dict[str, Any]]
    stale: list[dict[str, Any]]
    #: relevant consultations announced but not open yet (`tracker.attention.urgency.announced`)
    upcoming: list[dict[str, Any]] = field(default_factory=list)

    @property
    def is_red(self) -> bool:
        """A problem with the data itself: `ncp-tracker digest` exits non-zero."""
        return bool(self.problems)

    def section(self, section_id: str) -> Section | None:
        return next((s for s in self.sections if s.id == section_id), None)
