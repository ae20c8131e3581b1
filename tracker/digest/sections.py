"""One builder per section, one interface: ``builder(ctx: Context) -> Section | None`` (None: the
section does not apply to this profile or store). `assemble` runs them in order and adds the
banners, the summary and the health table.

Sections, in order: **Needs input** (decided in `tracker.attention.urgency`; grouped by deadline
window, ranked by relevance, capped per window with "+N til i arbeidsbenken"); **Announced, not
open yet** (the relevant consultations that open on a later day, `urgency.announced`; only when
there are any); **New** (relevant new items not already under Needs input or Announced; the rest
counted); **Changed** (relevant or followed
items; the rest counted); **EU**; **GPFG** and **Åpenhetsloven** (from `tracker.links.gpfg`: what
changed, and the fund's deadlines over the weeks «Coming deadlines» covers);
**Coming deadlines** (relevant open consultations in 2 / 6 / 12 weeks; the rest counted);
**Horizon** (every date ahead among what the profile follows, over the profile's `horizon_weeks` /
`horizon_months`, by week or month: tracker/attention/horizon.py). A profile's `sections` picks
which of them it shows (the "Uka som kommer" and "Neste tre måneder" mails show the horizon only).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from tracker.attention import urgency
from tracker.digest.build import (
    APL_KINDS,
    APL_SOURCES,
    BUCKETS,
    EU_CONSULTATION_SOURCE,
    GPFG_KINDS,
    GPFG_SOURCES,
    Context,
    items_by_id,
    present,
    wants,
)
from tracker.digest.model import (
    Banner,
    Digest,
    Entry,
    Evidence,
    Group,
    HealthRow,
    Link,
    Note,
    Section,
)
from tracker.digest.text import SNIPPET_LIMIT, TITLE_LIMIT, clean, edges, safe_url, workbench_link
from tracker.digest.wording import (
    case_time_line,
    deadline_line,
    describe_change,
    extra,
    next_due_text,
    opening,
    opening_day,
    opens_late,
    reason_text,
    resent_text,
    stortinget_times,
    when_text,
)
from tracker.i18n import format_date, format_datetime, format_long_date, part_lang
from tracker.store import changes as store_changes
from tracker.store import deadlines
from tracker.store.instants import stored
from tracker.store.status import UNKNOWN
from tracker.vocabulary import (
    GPFG_STAGE_NAMES,
    N_,
    eu_stage_name,
    gpfg_actor_name,
    gpfg_stage_name,
    health_name,
    health_reason,
    kind_name,
    label_name,
    sender_name,
    source_name,
    status_name,
    triage_name,
    window_name,
)

BUCKET_NAMES = {"2w": N_("Within 2 weeks"), "6w": N_("Within 6 weeks"), "12w": N_("Within 12 weeks"),
                "later": N_("Later or no deadline known")}

#: New and Changed list at most this many entries (relevance first); the rest are counted
LIST_CAP = 12

Builder = Callable[[Context], Section | None]


def counted(heading: str, n: int) -> str:
    return f"{heading} ({n})"


def capped(rows: list[dict[str, Any]], make: Callable[[dict[str, Any]], Entry], ctx: Context,
           cap: int = LIST_CAP, where: dict[str, str] | None = None) -> Group:
    """The first `cap` rows as entries (only those are built), and "+N til i arbeidsbenken" (the
    workbench search `where` lists them all; None: the inbox)."""
    hidden = len(rows) - cap
    return Group("", [make(r) for r in rows[:cap]],
                 more=ctx._("+%(num)d more in the workbench", num=hidden) if hidden > 0 else "", more_where=where)


def _since(ctx: Context) -> str:
    """The start of the digest's window as the workbench's search reads it ("new since …")."""
    return stored(ctx.since or (ctx.as_of - timedelta(hours=24)))


# ---------------------------------------------------------------------------- entries


def _evidence(snippet: dict[str, Any] | None, lang: str) -> Evidence | None:
    if not snippet or not snippet.get("text"):
        return None
    return Evidence(label=label_name(snippet.get("label"), lang), before=edges(snippet.get("before"), 80),
                    text=clean(snippet.get("text"), SNIPPET_LIMIT), after=edges(snippet.get("after"), 80))


def _says_its_kind(title: str, kind: str) -> bool:
    """Whether the title begins with the kind's name as its heading — "Komitéhøring: …",
    regjeringen.no's "Høring – …" — so that "— Høring" after it would say it twice."""
    head, name = title.casefold(), kind.casefold()
    return bool(name) and head.startswith(name) and head[len(name):].lstrip()[:1] in (":", "–", "—", "-")


def _base(row: dict[str, Any], ctx: Context, **kw: Any) -> Entry:
    title = clean(row.get("title"), TITLE_LIMIT) or ctx._("(untitled)")
    kind = kind_name(row.get("kind"), ctx.lang)
    if _says_its_kind(title, kind):
        kind = ""
    return Entry(id=row["id"], title=title, url=safe_url(row.get("url")), kind=kind,
                 labels=[label_name(code, ctx.lang) for code in row.get("labels") or []],
                 lang=part_lang(row.get("language"), ctx.lang), **kw)


def needs_entry(row: dict[str, Any], ctx: Context) -> Entry:
    _ = ctx._
    lines = stortinget_times(row, ctx.as_of, ctx.lang) or [deadline_line(row, ctx.as_of, ctx.lang)]
    warn = []
    if row.get("draft_due"):
        due = _("Draft due: %(day)s", day=format_date(row["draft_due"], ctx.lang))
        if row.get("draft_overdue"):
            overdue = _("the draft is overdue")
            warn.append(f"{due} – {overdue}")
        elif row.get("draft_due_today"):
            warn.append(_("Draft due: today (%(day)s)", day=format_date(row["draft_due"], ctx.lang)))
        else:
            lines.append(due)
    if row.get("owner"):
        lines.append(_("Sender: %(name)s", name=clean(sender_name(row, ctx.lang), 120)))
    if previous := ctx.resent.get(row["id"]):
        lines.append(resent_text(previous, ctx.lang))
    if row.get("triage_owner"):
        lines.append(_("Adviser: %(name)s", name=clean(row["triage_owner"], 80)))
    if row.get("triage_state") and row["triage_state"] != "new":
        lines.append(_("State: %(state)s", state=triage_name(row["triage_state"], ctx.lang)))
    return _base(row, ctx, new=row["id"] in ctx.new_ids, reason=reason_text(row, ctx.lang), lines=lines, warn=warn,
                 evidence=_evidence(row.get("snippet"), ctx.lang))


def _short_facts(row: dict[str, Any], ctx: Context) -> list[str]:
    facts = []
    if row.get("owner"):  # named as in "Needs input": a bare "Forbrukertilsynet" line read as nothing
        facts.append(ctx._("Sender: %(name)s", name=clean(sender_name(row, ctx.lang), 120)))
    if row.get("deadline_day"):
        facts.append(deadline_line(row, ctx.as_of, ctx.lang))
    return facts


# ---------------------------------------------------------------------------- builders


def needs_shown(ctx: Context, window: str) -> list[dict[str, Any]]:
    """The entries a window of «Trenger innspill» shows: at most the profile's `needs_input_cap`,
    the window's new consultations taken first (an adviser has not seen them: one must never wait
    behind "+N til i arbeidsbenken" while yesterday's stay in view), then the rest by rank; listed in
    the window's order (by relevance). Only when a window holds more new ones than the cap (the
    first digest of a store: every item is new) are some of them left to the workbench, and «Nytt»
    says how many."""
    rows = [r for r in ctx.needs if r["window"] == window]
    new_ids = ctx.new_ids
    first = [r["id"] for r in rows if r["id"] in new_ids] + [r["id"] for r in rows if r["id"] not in new_ids]
    chosen = set(first[:ctx.profile.needs_input_cap])
    return [r for r in rows if r["id"] in chosen]


def needs_input(ctx: Context) -> Section:
    _ = ctx._
    rows = ctx.needs
    groups = []
    for window in urgency.WINDOWS:
        in_window = [r for r in rows if r["window"] == window]
        if not in_window:
            continue
        shown = needs_shown(ctx, window)
        hidden = len(in_window) - len(shown)
        groups.append(Group(
            heading=counted(window_name(window, ctx.lang), len(in_window)),
            entries=[needs_entry(r, ctx) for r in shown],
            more=_("+%(num)d more in the workbench", num=hidden) if hidden > 0 else "",
        ))  # fmt: skip
    notes = []
    untagged = sum(1 for _k, rs in ctx.coming for r in rs if r.get("relevance") is None and r.get("relevant") is None)
    if untagged:
        notes.append(Note(_.n("%(num)d open consultation is not tagged yet and is counted under “Coming deadlines”.",
                              "%(num)d open consultations are not tagged yet and are counted under “Coming deadlines”.",
                              untagged)))
    return Section(id="needs-input", heading=counted(_("Needs input"), len(rows)), groups=groups, notes=notes,
                   empty=_("Nothing."))


def upcoming_section(ctx: Context) -> Section | None:
    """«Varslet, ikke åpnet ennå»: the relevant consultations in scope announced but not open yet
    (`urgency.announced`), by the day they open, each as «Trenger innspill» shows an entry (the
    day it opens first; no evidence). None when there are none: a short section, shown when it has
    something to say (the summary says so too). «Trenger innspill» counts the open ones only."""
    if not ctx.upcoming:
        return None
    _ = ctx._
    entries = []
    for row in ctx.upcoming:
        entry = needs_entry(row, ctx)
        heading, value = opening(row.get("opens"), ctx.today, ctx.lang)
        entry.lines.insert(0, f"{heading}: {value}")
        entries.append(entry)
    return Section(id="upcoming", heading=counted(_("Announced, not open yet"), len(entries)),
                   groups=[Group("", entries)], empty=_("Nothing."))


def new_items(ctx: Context) -> Section:
    _ = ctx._
    listed = {r["id"] for r in ctx.needs}
    # an announced consultation is listed under its own heading when the profile shows it
    announced = {r["id"] for r in ctx.upcoming} if ctx.profile.shows("upcoming") else set()
    shown = [r for r in ctx.new if r.get("passes") and r["id"] not in listed and r["id"] not in announced]
    in_needs = sum(1 for r in ctx.new if r["id"] in listed)
    in_announced = sum(1 for r in ctx.new if r["id"] in announced)
    others = sum(1 for r in ctx.new if not r.get("passes"))

    def make(r: dict[str, Any]) -> Entry:
        lines = _short_facts(r, ctx) + ([resent_text(ctx.resent[r["id"]], ctx.lang)] if r["id"] in ctx.resent else [])
        return _base(r, ctx, new=True, lines=lines, reason=reason_text(r, ctx.lang),
                     evidence=_evidence(r.get("snippet"), ctx.lang))

    notes = []
    new_since = {"new_since": _since(ctx)}  # the window's new items: the links below narrow it by the profile
    # shown there as needs_shown decides (more new ones than a window's cap: the rest in the workbench)
    shown_new = sum(1 for w in urgency.WINDOWS for r in needs_shown(ctx, w) if r["id"] in ctx.new_ids)
    if in_needs and shown_new == in_needs:
        notes.append(Note(_.n("%(num)d new item is listed under “Needs input” (marked NEW).",
                              "%(num)d new items are listed under “Needs input” (marked NEW).", in_needs)))
    elif in_needs:
        notes.append(Note(_.n("%(num)d new item needs input: %(shown)d listed under “Needs input” (marked NEW), "
                              "the rest in the workbench.",
                              "%(num)d new items need input: %(shown)d listed under “Needs input” (marked NEW), "
                              "the rest in the workbench.", in_needs, shown=shown_new),
                          {}))  # the inbox: "Needs input" there in full, as its "+N more" lead to
    if in_announced:
        notes.append(Note(_.n("%(num)d new item is listed under “Announced, not open yet” (marked NEW).",
                              "%(num)d new items are listed under “Announced, not open yet” (marked NEW).",
                              in_announced)))
    if others:
        notes.append(Note(_.n("%(num)d other new item is not relevant to this profile (see the workbench).",
                              "%(num)d other new items are not relevant to this profile (see the workbench).", others),
                          {**new_since, "not_relevant_to": ctx.profile.name}))
    heading = _("New since the previous digest") if not ctx.first else _("New in the last 24 hours (first digest)")
    return Section(id="new", heading=counted(heading, len(shown)),
                   groups=[capped(shown, make, ctx, where={**new_since, "relevant_to": ctx.profile.name})] if shown else [],
                   notes=notes, empty=_("Nothing."))


def changed_items(ctx: Context) -> Section:
    _ = ctx._
    shown = [r for r in ctx.changed if ctx.profile.follows(r)]
    others = len(ctx.changed) - len(shown)

    def make(r: dict[str, Any]) -> Entry:
        return _base(r, ctx, star=bool(r.get("passes")), changes=[describe_change(c, ctx.lang, r) for c in r["changes"]])

    notes = []
    changed_since = {"changed_since": _since(ctx)}  # the window's changed items: the links narrow it
    if others:
        notes.append(Note(_.n("%(num)d other changed item is not relevant to this profile (see the workbench).",
                              "%(num)d other changed items are not relevant to this profile (see the workbench).",
                              others), {**changed_since, "not_followed_by": ctx.profile.name}))
    return Section(id="changed", heading=counted(_("Changed"), len(shown)),
                   groups=[capped(shown, make, ctx, where={**changed_since, "followed_by": ctx.profile.name})]
                   if shown else [], notes=notes,
                   empty=_("Nothing."))


def provisions_section(ctx: Context) -> Section | None:
    """Watched provisions (tracker/defaults/provisions.toml) that a new or changed document of an
    item touches, one line each: "Nytt forslag berører åpenhetsloven § 4 – høringsnotat s. 22"."""
    from tracker.documents.api import provision_hits

    ids = {e["id"] for e in ctx.events if e.get("kind") == "provision_hit"}
    if not ids:
        return None
    hits = [h for h in provision_hits(ctx.db, since_event_id=min(ids) - 1) if h.event_id in ids]
    urls = {r["id"]: r["url"] for r in ctx.db.query(
        "select id, url from items where id in (select value from json_each(?))",
        [json.dumps(sorted({h.item_id for h in hits}))])}
    entries = [Entry(id=h.item_id, title=clean(h.line(ctx.lang), TITLE_LIMIT), url=safe_url(urls.get(h.item_id)),
                     lines=[clean(h.item_title, TITLE_LIMIT)] + ([ctx._("“%(word)s”", word=clean(h.excerpt, SNIPPET_LIMIT))]
                                                                 if h.excerpt else []))
               for h in hits]
    return Section(id="provisions", heading=counted(ctx._("Watched provisions"), len(entries)),
                   groups=[Group("", entries)], empty=ctx._("Nothing."))


def _ncp_case_entry(case: dict[str, Any], ctx: Context) -> Entry:
    """A flagged case as what happened to it in the window — NEW when first seen in it, else its
    changes as «Endret» words them (its stage by name, `ncp_cases.stage_name`: «Nytt trinn:
    akseptert for videre behandling → sluttuttalelse», «Lukket», the final statement added) — its
    stage when no change says it, and why the NCP follows it."""
    from tracker.links.ncp_cases import stage_name

    events = [e for e in ctx.events if e.get("item_id") == case["id"]]
    new = any(e["kind"] == "new" for e in events)
    # the stage's move first: what happened to the case, then what came with it (closed, a document)
    changes = [] if new else sorted((
        {**c, "before": stage_name(c.get("before"), ctx.lang) if c.get("before") else None,
         "after": stage_name(c.get("after"), ctx.lang)} if c.get("kind") == "stage_changed" else c
        for c in store_changes.told([dict(e) for e in events])), key=lambda c: c.get("kind") != "stage_changed")
    # its stage, unless a change below says where it moved
    lines = [] if any(c.get("kind") == "stage_changed" for c in changes) else [
        ctx._("Stage: %(stage)s", stage=clean(stage_name(case.get("stage"), ctx.lang), 120))]
    return Entry(id=case["id"], title=clean(case.get("title"), TITLE_LIMIT) or ctx._("(untitled)"),
                 url=safe_url(case.get("url")), new=new, reason=clean(case.get("reason"), 300), lines=lines,
                 changes=[describe_change(c, ctx.lang, case) for c in changes],
                 lang=part_lang(case.get("language"), ctx.lang))


def ncp_cases_section(ctx: Context) -> Section | None:
    """Other countries' NCP cases, new or changed in the window, that name a company the NCP follows
    (the fund's exclusions and observations, a Norwegian company) or involve Norway's NCP."""
    from tracker.links.ncp_cases import flagged_cases

    since = stored(ctx.since or (ctx.as_of - timedelta(hours=24)))
    cases = flagged_cases(ctx.db, since, stored(ctx.as_of), ctx.lang)
    if not cases:
        return None
    # the stage as it stood at the digest's time (a digest of an earlier day: that day's)
    stood = items_by_id(ctx.db, [c["id"] for c in cases], ctx.upto)
    entries = [_ncp_case_entry({**c, "stage": extra(stood[c["id"]]).get("stage") or c["stage"]}
                               if c["id"] in stood else c, ctx) for c in cases]
    return Section(id="ncp_cases", heading=counted(ctx._("Other NCPs' cases"), len(entries)),
                   groups=[Group("", entries)], empty=ctx._("Nothing."))


def eu_section(ctx: Context) -> Section | None:
    if ctx.eu is None:
        return None
    _ = ctx._

    def links(rows: list[dict[str, Any]]) -> list[Link]:
        return [Link(clean(r.get("title"), TITLE_LIMIT), safe_url(r.get("url")), part_lang(r.get("language"), ctx.lang))
                for r in rows]

    relevant = [r for r in ctx.eu["consultations"] if r.get("passes")]
    consultations = [_base(r, ctx, new=r["id"] in ctx.new_ids,
                           lines=[deadline_line(r, ctx.as_of, ctx.lang)],
                           links=links(r.get("links") or [])) for r in relevant]
    # a file first seen this week is marked NEW (as under «Nytt»), not listed with a change «Ny»
    stage = [_base(e, ctx, lines=[_("Stage: %(stage)s", stage=clean(eu_stage_name(e["stage"], ctx.lang), 120))] if e.get("stage") else [],
                   new=any(c.get("kind") == "new" for c in e["changes"]),
                   changes=[describe_change(c, ctx.lang, e) for c in e["changes"] if c.get("kind") != "new"],
                   links=links(e.get("links") or []))
             for e in ctx.eu["stage"]]
    groups = [Group(counted(_("Open EU consultations"), len(consultations)), consultations),
              Group(counted(_("Changes to watched EU files in the last week"), len(stage)), stage)]
    notes = []
    if others := len(ctx.eu["consultations"]) - len(relevant):
        notes.append(Note(_.n("%(num)d other open EU consultation is below the profile's relevance (see the workbench).",
                              "%(num)d other open EU consultations are below the profile's relevance (see the workbench).",
                              others), {"source": EU_CONSULTATION_SOURCE, "open_consultations": "1",
                                       "not_relevant_to": ctx.profile.name}))
    return Section(id="eu", heading=_("EU"), empty=_("Nothing."), notes=notes,
                   groups=[g for g in groups if g.entries] or groups[:1])


def _linked_rows(rows: list[dict[str, Any]], ctx: Context) -> list[Group]:
    """Rows of `tracker.links.gpfg` (id, title, url, actor, stage, published, status, deadline,
    hearing_deadline, change) as groups by actor. A status is said when it is known (a decision or
    a report has none), and "new" by the entry's NEW mark, not again in its line."""
    _ = ctx._
    groups: dict[str, list[Entry]] = {}
    for r in rows:
        facts = []
        if r.get("stage") in GPFG_STAGE_NAMES:
            facts.append(gpfg_stage_name(r["stage"], ctx.lang))
        if r.get("status") and r["status"] != UNKNOWN:
            facts.append(status_name(r["status"], ctx.lang))
        if r.get("published"):
            facts.append(format_date(r["published"], ctx.lang))
        if r.get("deadline"):
            facts.append(_("Deadline: %(when)s", when=format_date(deadlines.deadline_day(r["deadline"]), ctx.lang)))
        if (heard := deadlines.to_datetime(r.get("hearing_deadline"))) is not None:
            # the day of the case's saksgang (at 00:00: a day, not the end of the day before)
            facts.append(case_time_line("hearing_deadline", deadlines.oslo_date(heard), ctx.lang))
        if r.get("change") == "changed":
            facts.append(_("changed"))
        entry = Entry(id=str(r.get("id") or ""), title=clean(r.get("title"), TITLE_LIMIT) or _("(untitled)"),
                      url=safe_url(r.get("url")), new=r.get("change") == "new", lines=[" · ".join(facts)] if facts else [],
                      lang=part_lang(r.get("language"), ctx.lang))
        # the fund's actors by their names in the digest's language (as on the web); another
        # section's (Lovdata, Forbrukertilsynet) as they are
        groups.setdefault(clean(gpfg_actor_name(r.get("actor"), ctx.lang), 120), []).append(entry)
    return [Group(name, entries) for name, entries in groups.items()]


def _guarded(section: Section, ctx: Context, build: Callable[[], Any]) -> Any:
    """What `build()` returns; None when it fails, and then the section says why (another
    module's bug must not cost the morning read, nor hide in an empty section)."""
    try:
        return build()
    except Exception as exc:  # noqa: BLE001 - see the docstring
        section.error = ctx._("This section could not be built: %(error)s",
                              error=clean(f"{type(exc).__name__}: {exc}", 200))
        return None


def _linked_section(ctx: Context, section_id: str, heading: str, func) -> Section:
    since = ctx.since or (ctx.as_of - timedelta(hours=24))
    section = Section(id=section_id, heading=heading, empty=ctx._("Nothing."))
    groups = _guarded(section, ctx, lambda: _linked_rows(func(ctx.db, since, ctx.as_of, upto=ctx.upto), ctx))
    if groups is not None:
        section.groups = groups
    return section


def gpfg_section(ctx: Context) -> Section | None:
    if not (wants(ctx.profile, GPFG_KINDS, GPFG_SOURCES, ("gpfg",)) and present(ctx.db, GPFG_KINDS, GPFG_SOURCES)):
        return None
    from tracker.links.gpfg import deadlines_ahead, digest_section

    section = _linked_section(ctx, "gpfg", ctx._("Government Pension Fund Global (GPFG)"), digest_section)
    return _with_deadlines_ahead(section, ctx, deadlines_ahead)


def _with_deadlines_ahead(section: Section, ctx: Context, func: Callable[..., list[Any]]) -> Section:
    """`section` (GPFG, åpenhetsloven: what is new or changed) and, under it, its items with a
    deadline ahead (today included) over the weeks «Kommende frister» covers (`func`: the links
    module's), each by its first such date, unless listed above as new or changed (its entry says
    its deadline): a quiet week is no «Ingenting.» while one of its deadlines is ahead."""
    if section.error:
        return section
    weeks = BUCKETS[-1][1] // 7
    dates = _guarded(section, ctx, lambda: func(
        ctx.db, ctx.as_of, end=ctx.today + timedelta(weeks=weeks, days=1), profile=ctx.profile, upto=ctx.upto))
    if dates is None:
        return section
    listed = {e.id for g in section.groups for e in g.entries}
    first: dict[str, Any] = {}
    for d in dates:
        if d.item_id not in listed:
            first.setdefault(d.item_id, d)
    if first:
        section.groups.append(Group(counted(ctx._("Deadlines in the next %(num)d weeks", num=weeks), len(first)),
                                    [_horizon_entry(d, ctx) for d in first.values()]))
    ctx.dates_ahead.extend(dates)  # also those of the items listed above as new or changed (the summary's week)
    return section


def apenhetsloven_section(ctx: Context) -> Section | None:
    profile = ctx.profile
    if not ((profile.covers_everything or "apenhetsloven" in profile.labels
             or any(s in profile.sources for s in APL_SOURCES)) and present(ctx.db, APL_KINDS, APL_SOURCES)):
        return None
    from tracker.links.gpfg import apenhetsloven_deadlines_ahead
    from tracker.links.gpfg import apenhetsloven_section as func

    section = _linked_section(ctx, "apenhetsloven", ctx._("Transparency Act (åpenhetsloven)"), func)
    return _with_deadlines_ahead(section, ctx, apenhetsloven_deadlines_ahead)


def coming_deadlines(ctx: Context) -> Section:
    _ = ctx._
    groups, others, set_aside = [], 0, 0
    for key, rows in ctx.coming:
        shown = [r for r in rows if r.get("passes")]
        set_aside += sum(1 for r in rows if r.get("set_aside"))
        others += len(rows) - len(shown)
        if shown:
            groups.append(Group(counted(_(BUCKET_NAMES[key]), len(shown)), [
                _base(r, ctx, compact=next_due_text(r, ctx.as_of, ctx.lang), new=r["id"] in ctx.new_ids,
                      lines=[clean(sender_name(r, ctx.lang), 120)] if r.get("owner") else [])
                for r in shown]))  # fmt: skip
    notes = []
    if others := others - set_aside:
        notes.append(Note(_.n("%(num)d other open consultation is below the profile's relevance (see the workbench).",
                              "%(num)d other open consultations are below the profile's relevance (see the workbench).",
                              others), {"open_consultations": "1", "not_relevant_to": ctx.profile.name}))
    if set_aside:  # relevant, but answered: not "below the relevance"
        notes.append(Note(_.n("%(num)d other open consultation is set aside in the workbench (answered).",
                              "%(num)d other open consultations are set aside in the workbench (answered).",
                              set_aside)))
    return Section(id="coming", heading=_("Coming deadlines"), groups=groups, notes=notes, empty=_("Nothing."))


def _horizon_entry(d: Any, ctx: Context) -> Entry:
    """One date ahead: "tor. 03.12.2026 kl. 10.00 – Høring i Stortinget — <title> · <owner> · <place>"."""
    when = when_text(d.at, ctx.today, ctx.lang) or format_date(d.day, ctx.lang)
    return Entry(id=d.item_id or "", title=clean(d.title, TITLE_LIMIT) or ctx._("(untitled)"), url=safe_url(d.url),
                 compact=f"{when} – {d.label(ctx.lang)}",
                 lines=[clean(text, 200) for text in (d.owner, d.detail) if clean(text)],
                 lang=part_lang(d.language, ctx.lang))


def horizon_section(ctx: Context) -> Section | None:
    """Every date ahead among what the profile follows (tracker/attention/horizon.py) from the
    digest's day over the profile's span, under week or month headings; None without a span."""
    span = ctx.profile.horizon_span(ctx.today)
    if span is None:
        return None
    from tracker.attention.horizon import grouped, horizon

    _ = ctx._
    dates = horizon(ctx.db, ctx.as_of, profile=ctx.profile, end=span[1], upto=ctx.upto, lang=ctx.lang)
    groups = [Group(counted(label, len(group)), [_horizon_entry(d, ctx) for d in group])
              for label, group in grouped(dates, ctx.profile.horizon_by, ctx.lang)]
    return Section(id="horizon", heading=counted(_("Dates ahead"), len(dates)), groups=groups,
                   notes=[Note(_("EEA Joint Committee dates are not included: no source holds them yet."))],
                   empty=_("No dates in this period."))


#: the sections by id (the names a profile's `sections` lists: tracker.attention.profiles.SECTION_IDS), in order
SECTION_BUILDERS: dict[str, Builder] = {
    "needs-input": needs_input, "upcoming": upcoming_section, "new": new_items, "changed": changed_items, "provisions": provisions_section,
    "ncp_cases": ncp_cases_section, "eu": eu_section, "gpfg": gpfg_section, "apenhetsloven": apenhetsloven_section,
    "coming": coming_deadlines, "horizon": horizon_section,
}
#: the sections, in order
BUILDERS: tuple[Builder, ...] = tuple(SECTION_BUILDERS.values())


# ---------------------------------------------------------------------------- the rest


def banners(ctx: Context, problems: list[str], *, each_source: bool = False) -> list[Banner]:
    """The red and amber banners: the problems, the failing sources with their reasons, the sources
    not checked for 36 hours. `each_source`: a banner for each failing or unchecked source, worded
    as the digest's (an entry of a feed, an event of a calendar: one per source and day)."""
    _ = ctx._
    out = [Banner("red", text, f"problem-{n}") for n, text in enumerate(problems)]
    red = [h for h in ctx.health if h["status"] == "red" and not h.get("never_checked")]
    for group in ([h] for h in red) if each_source else [red] if red else []:
        names = ", ".join(f"{source_name(h['source'], ctx.lang)} ({clean(health_reason(h['reason'], ctx.lang), 160)})"
                          for h in group)
        out.append(Banner("red", _.n("%(num)d source is failing: %(names)s", "%(num)d sources are failing: %(names)s",
                                     len(group), names=names),
                          f"failing-{group[0]['source']}" if each_source else "failing"))
    never = [h for h in ctx.health if h.get("never_checked")]
    for group in ([h] for h in never) if each_source else [never] if never else []:
        names = ", ".join(source_name(h["source"], ctx.lang) for h in group)
        out.append(Banner("red", _.n("%(num)d source never checked by a daily crawl: %(names)s",
                                     "%(num)d sources never checked by a daily crawl: %(names)s",
                                     len(group), names=names),
                          f"never-{group[0]['source']}" if each_source else "never"))
    for group in ([h] for h in ctx.stale) if each_source else [ctx.stale] if ctx.stale else []:
        names = ", ".join(source_name(h["source"], ctx.lang) for h in group)
        out.append(Banner("amber", _("Not checked for over 36 hours: %(names)s", names=names),
                          f"stale-{group[0]['source']}" if each_source else "stale"))
    return out


def summary(ctx: Context, problems: list[str], built: list[Section] | None = None) -> list[str]:
    """Three to five lines before anything else (a profile showing the horizon but not "Needs
    input" summarises the horizon)."""
    _ = ctx._
    lines = []
    if problems:
        lines.append(_("Warning: the data behind this digest is missing or out of date (see above)."))
    horizon = next((s for s in built or [] if s.id == "horizon"), None)
    if horizon is not None and not ctx.profile.shows("needs-input"):
        entries = [e for g in horizon.groups for e in g.entries]
        lines.append(_.n("%(num)d date ahead in this period.", "%(num)d dates ahead in this period.", len(entries)))
        if entries:
            lines.append(_("The first: %(when)s (%(title)s).", when=entries[0].compact,
                           title=clean(entries[0].title, 80)))
        return lines + _sources_line(ctx)
    n = len(ctx.needs)
    new = sum(1 for r in ctx.needs if r["id"] in ctx.new_ids)
    text = _.n("%(num)d consultation needs input", "%(num)d consultations need input", n)
    if new:
        text += _.n(", %(num)d of them new", ", %(num)d of them new", new)
    lines.append(text + ".")
    if ctx.upcoming and ctx.profile.shows("upcoming"):
        first = ctx.upcoming[0]  # the first to open (`urgency.announced`)
        title = clean(first.get("title"), 80)
        day = opening_day(first.get("opens"))
        if opens_late(first.get("opens"), ctx.today):
            lines.append(_.n("%(num)d relevant consultation is announced but not open yet; it was to open %(day)s "
                             "(%(title)s).",
                             "%(num)d relevant consultations are announced but not open yet; the first was to open "
                             "%(day)s (%(title)s).", len(ctx.upcoming),
                             day=format_date(day, ctx.lang), title=title))
        elif day is not None:
            lines.append(_.n("%(num)d relevant consultation is announced but not open yet; it opens %(day)s "
                             "(%(title)s).",
                             "%(num)d relevant consultations are announced but not open yet; the first opens %(day)s "
                             "(%(title)s).", len(ctx.upcoming),
                             day=format_date(day, ctx.lang), title=title))
        else:
            lines.append(_.n("%(num)d relevant consultation is announced but not open yet (%(title)s).",
                             "%(num)d relevant consultations are announced but not open yet; the first: %(title)s.",
                             len(ctx.upcoming), title=title))
    lines.append(_week_line(ctx))
    followed = [r for r in ctx.changed if ctx.profile.follows(r)]
    lines.append(_.n("%(num)d change to items the NCP follows.", "%(num)d changes to items the NCP follows.",
                     len(followed)) if followed else _("No change to items the NCP follows."))
    return lines + _sources_line(ctx)


def _week_line(ctx: Context) -> str:
    """The summary's line on this week's deadlines: those of «Trenger innspill» and the due dates
    the GPFG and åpenhetsloven sections list for this week (a Storting case's hearing deadline
    today read «Ingen frister denne uken» above them), each item once; the first by its day."""
    _ = ctx._
    listed = {r["id"] for r in ctx.needs}
    due: list[tuple[Any, str, str]] = []  # (day, when, title)
    for r in ctx.needs:
        if r["window"] == "this_week":
            when = deadlines.to_datetime(r["next_due"]) or ctx.as_of
            due.append((deadlines.oslo_date(when), next_due_text(r, ctx.as_of, ctx.lang), r.get("title")))
    dated: dict[str, Any] = {}  # each item by its first due date this week
    for d in sorted(ctx.dates_ahead, key=lambda d: d.day):
        if d.item_id not in listed and urgency.deadline_window(ctx.today, d.day) == "this_week":
            dated.setdefault(d.item_id, d)
    for d in dated.values():
        due.append((d.day, when_text(d.at, ctx.today, ctx.lang) or format_date(d.day, ctx.lang), d.title))
    if not due:
        return _("No deadline this week.")
    _day, when, title = min(due, key=lambda x: x[0])  # the first listed of a day: «Trenger innspill»'s
    return _.n("%(num)d deadline this week; the first: %(when)s (%(title)s).",
               "%(num)d deadlines this week; the first: %(when)s (%(title)s).", len(due),
               when=when, title=clean(title, 80))


#: what a source's row of «Kildenes helse» is shown as (`shown_health`)
OUT_OF_DATE = "out_of_date"
NEVER_CHECKED = "never_checked"


def shown_health(h: dict[str, Any]) -> str:
    """How a source's latest check is shown — in the health table and in the summary, decided here
    only: ``out_of_date`` (red: not checked for too long, whatever its last check said,
    `build.health`), ``never_checked`` (red: a scheduled source no daily run has checked), else its status (``red``, ``amber``, ``green``; an unknown one as ``amber``)."""
    if h.get("out_of_date"):
        return OUT_OF_DATE
    if h.get("never_checked"):
        return NEVER_CHECKED
    return h["status"] if h["status"] in ("green", "amber", "red") else "amber"


def _sources_line(ctx: Context) -> list[str]:
    """The summary's line on failing, out-of-date and warning sources, as the health table shows
    them (`shown_health`; [] before the first crawl)."""
    _ = ctx._
    names: dict[str, list[str]] = {}
    for h in ctx.health:
        names.setdefault(shown_health(h), []).append(source_name(h["source"], ctx.lang))
    parts = []
    if red := names.get("red"):
        parts.append(_.n("%(num)d failing (%(names)s)", "%(num)d failing (%(names)s)", len(red), names=", ".join(red)))
    if never := names.get(NEVER_CHECKED):
        parts.append(_.n("%(num)d never checked (%(names)s)", "%(num)d never checked (%(names)s)", len(never),
                         names=", ".join(never)))
    if old := names.get(OUT_OF_DATE):
        parts.append(_.n("%(num)d out of date (%(names)s)", "%(num)d out of date (%(names)s)", len(old),
                         names=", ".join(old)))
    if amber := names.get("amber"):
        parts.append(_.n("%(num)d with warnings (%(names)s)", "%(num)d with warnings (%(names)s)", len(amber),
                         names=", ".join(amber)))
    if parts:
        return [_("Sources: %(parts)s.", parts="; ".join(parts))]
    return [_("All sources OK.")] if ctx.health else []


def health_rows(ctx: Context) -> list[HealthRow]:
    """A source not checked for too long is out of date (red), with what its last check said."""
    rows = []
    for h in ctx.health:
        status, text = shown_health(h), health_name(h["status"], ctx.lang)
        if status == OUT_OF_DATE:
            status, text = "red", ctx._("out of date (last check: %(status)s)", status=text)
        elif status == NEVER_CHECKED:  # failing, as the terminal's and the web's tables say; the reason says why
            status = "red"
        rows.append(HealthRow(source=source_name(h["source"], ctx.lang), status=status, status_text=text,
                              count=int(h["items_seen"] or 0),
                              checked=format_datetime(h["checked"], ctx.lang) if h.get("checked") else "",
                              stale=bool(h.get("stale")), reason=clean(health_reason(h["reason"], ctx.lang), 200)))
    return rows


def link_workbench(sections: list[Section], base: str) -> None:
    """Each entry's page in the workbench at `base` (`[web] public_url`), and the workbench for
    the "+N more" of a capped list: where the adviser triages what the digest tells."""
    if not base:
        return
    for section in sections:
        for note in section.notes:
            if note.where is not None:
                note.url = workbench_link(base, where=note.where)
        for group in section.groups:
            if group.more:
                group.more_url = workbench_link(base, where=group.more_where)
            for entry in group.entries:
                if entry.id:
                    entry.workbench = workbench_link(base, entry.id)


def assemble(ctx: Context, *, base_id: int, upto: int, problems: list[str]) -> Digest:
    _ = ctx._
    built = [section for section_id, builder in SECTION_BUILDERS.items()
             if ctx.profile.shows(section_id) and (section := builder(ctx)) is not None]
    link_workbench(built, ctx.workbench_url)
    since_text = (_("Changes since the previous digest (%(when)s)", when=format_datetime(ctx.since, ctx.lang))
                  if ctx.since else _("First digest: changes in the last 24 hours"))
    if (span := ctx.profile.horizon_span(ctx.today)) and not (ctx.profile.shows("new") or ctx.profile.shows("changed")):
        since_text = _("Dates from %(start)s to %(end)s among what this profile follows",
                       start=format_date(span[0], ctx.lang), end=format_date(span[1] - timedelta(days=1), ctx.lang))
    return Digest(
        profile=ctx.profile, lang=ctx.lang, as_of=ctx.as_of, day=ctx.today, since=ctx.since,
        baseline_event_id=base_id, last_event_id=upto,
        title=f"{ctx.profile.display_title(ctx.lang)} – {format_long_date(ctx.today, ctx.lang)}",
        as_of_text=_("As of %(when)s", when=format_datetime(ctx.as_of, ctx.lang)), since_text=since_text,
        banners=banners(ctx, problems), summary=summary(ctx, problems, built), sections=built,
        health_heading=_("Source health"), health_rows=health_rows(ctx),
        health_empty=_("No crawl has run yet."),
        footer=_("Made by ncp-tracker. Titles and texts are quoted from the sources."),
        problems=problems, needs_input=ctx.needs, upcoming=ctx.upcoming, new=ctx.new, changed=ctx.changed, coming=ctx.coming,
        eu=ctx.eu, gpfg=next((s for s in built if s.id == "gpfg"), None),
        apenhetsloven=next((s for s in built if s.id == "apenhetsloven"), None),
        health=ctx.health, red=[h for h in ctx.health if h["status"] == "red"], stale=ctx.stale,
    )  # fmt: skip
