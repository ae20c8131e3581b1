"""The Atom feed and the iCalendar file of a profile (built with ElementTree and icalendar, which
escape for their formats; every word from the catalogue)."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlite_utils

from crawlers.dates import OSLO
from tracker.attention import urgency
from tracker.attention.profiles import Profile, load_profile
from tracker.digest.build import (
    Context,
    changes_by_item,
    decorate,
    items_by_id,
    trust_banners,
    window_events,
)
from tracker.digest.text import TITLE_LIMIT, clean, safe_url, workbench_link
from tracker.digest.wording import (
    STORTINGET_EVENT_FIELDS,
    case_time_line,
    deadline_line,
    describe_change,
    reason_text,
    resent_text,
    stortinget_events,
    stortinget_times,
)
from tracker.digest.wording import extra as extra_of
from tracker.i18n import Translator, format_date
from tracker.store import deadlines
from tracker.store.changes import SITTINGS, hearing_place, later_sitting_days, sitting_days, told
from tracker.store.queries import (
    as_they_stood,
    cases_with_hearing_items,
    last_event_id,
    loads_json,
    recorded_after,
    select_in,
    stood_where,
)
from tracker.vocabulary import kind_name, label_name, sender_name, triage_name

#: the Atom feed carries changes from this many days back
FEED_WINDOW_DAYS = 14
#: the calendar keeps deadlines that passed up to this many days ago
CALENDAR_PAST_DAYS = 30


def _uuid(*parts: str) -> str:
    return "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, "ncp-tracker:" + "/".join(parts)))


def _rfc3339(dt: datetime | None) -> str:
    dt = dt or datetime(1970, 1, 1, tzinfo=UTC)
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _labels(row: dict[str, Any], lang: str) -> str:
    return ", ".join(label_name(code, lang) for code in row.get("labels") or [])


def _triage_updated(db: sqlite_utils.Database, item_id: str) -> str | None:
    row = next(db.query("select updated_at from triage where item_id = ?", [item_id]), None)
    return row["updated_at"] if row else None


def _last_change_by(db: sqlite_utils.Database, item_ids: list[str], upto: int) -> dict[str, str]:
    """{item id: the time of its last event recorded by event `upto`}: an item's last change as of
    an earlier day (its `last_changed` may be a later one)."""
    return {r["item_id"]: r["at"] for r in select_in(
        db, "select item_id, max(at) as at from events where item_id in ({marks}) and id <= ? group by item_id",
        item_ids, after=[upto])}


def render_atom(db: sqlite_utils.Database, *, as_of: datetime, profile: Profile | str = "ncp",
                lang: str = "nb", workbench_url: str = "") -> str:
    """An Atom feed for the profile: needs-input items, then the changes of the last 14 days —
    of the items the digest lists them for: a new item relevant to the profile (`Profile.relevant`,
    the digest's «Nytt»; one that needs input has its needs-input entry only, as the digest lists it
    once), a change of an item it follows (`Profile.follows`, «Endret») but not one recorded by the
    crawl that first saw the item (`build.changes_by_item`, as the digest decides it); before
    them an entry for each reason the data must not pass for current (no crawl, no successful or
    recent one) and for each failing or unchecked source: the digest's banners, worded as there.
    With `workbench_url` each item's entry has a `related` link to its page in the workbench.

    Entry ids are stable: a needs-input entry is the (profile, item) pair; a change entry is the
    (profile, item, kind, time) of the event(s) — the same data gives the same feed.
    """
    import xml.etree.ElementTree as ET

    if isinstance(profile, str):
        profile = load_profile(profile)
    _ = Translator(lang)
    ns = "http://www.w3.org/2005/Atom"
    ET.register_namespace("", ns)

    def el(parent, tag, text=None, **attrs):
        node = ET.SubElement(parent, f"{{{ns}}}{tag}", {k: v for k, v in attrs.items() if v is not None})
        if text is not None:
            node.text = text
        return node

    # first, what the digest's banners say: a feed read in a reader must not pass for current, nor
    # a day a source failed for a quiet one; an entry for each problem and each failing or
    # unchecked source, its id the day's and the source's (read again that day, the same entry)
    entries: list[dict[str, Any]] = [
        {"id": _uuid(profile.name, "warning", deadlines.oslo_date(as_of).isoformat(), banner.key),
         "title": f"⚠ {banner.text}", "url": None, "updated": as_of, "published": as_of, "summary": banner.text}
        for banner in trust_banners(db, as_of=as_of, profile=profile, lang=lang, each_source=True)[1]]
    needs = list(urgency.needs_input(db, as_of=as_of, profile=profile))
    upto = last_event_id(db, as_of)
    events = window_events(db, 0, upto, since=as_of - timedelta(days=FEED_WINDOW_DAYS))
    items = items_by_id(db, [e["item_id"] for e in events], upto)  # as they stood then, as the entries above
    ctx = Context(db=db, as_of=as_of, profile=profile, lang=lang, today=deadlines.oslo_date(as_of), since=None,
                  first=False, events=events)
    needing = {row["id"] for row in needs}
    # the changes the digest lists (build.changes_by_item), crawl by crawl: what the crawl that first
    # saw an item recorded of it (its documents, a provision they touch) is part of its first
    # entry («Ny», «Trenger innspill»), not a change — it was «Endret» beside it
    crawls: dict[Any, list[dict[str, Any]]] = {}
    for e in events:
        crawls.setdefault(e["run_id"] if e.get("run_id") is not None else e["at"], []).append(e)
    changes = {e["id"] for crawl in crawls.values() for evs in changes_by_item(crawl).values() for e in evs}
    grouped: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
    for e in events:
        item = items.get(e["item_id"])
        if item is None or not profile.in_scope(item) or (e["kind"] != "new" and e["id"] not in changes):
            continue
        group = "new" if e["kind"] == "new" else "changed"
        # what the digest lists: every new hearing of regjeringen.no, most of them no business of
        # the NCP's, made the feed a list of the whole government's hearings; and as the digest
        # lists a new consultation that needs input once, under «Trenger innspill», so does the
        # feed: its needs-input entry is new to a reader that day
        if group == "new" and e["item_id"] in needing:
            continue
        if not (profile.relevant(item) if group == "new" else profile.follows(item)):
            continue
        grouped.setdefault((e["item_id"], group, e["at"]), []).append(e)
    # a new consultation that repeats an earlier one says so, as in the digest
    earlier = urgency.resent(db, [*needs, *(items[item_id] for item_id, group, _at in grouped if group == "new")])
    # an earlier day's feed (digest --date): an item's last change by then, not its last_changed
    # (a later change), and its triage changes by then
    earlier_day = recorded_after(db, upto)
    changed_then = _last_change_by(db, [row["id"] for row in needs], upto) if earlier_day else {}
    # times by their dates alone: "frist i dag", "3 virkedager igjen" change with the day, not with
    # the data, and an entry's text changing under the same `updated` is one a reader never shows
    # again (it kept «1 virkedag igjen» on the deadline day)
    for row in needs:
        lines = stortinget_times(row, None, lang) or [deadline_line(row, None, lang)]
        if row.get("draft_due"):
            lines.append(_("Draft due: %(day)s", day=format_date(row["draft_due"], lang)))
        if row.get("owner"):
            lines.append(_("Sender: %(name)s", name=clean(sender_name(row, lang), 120)))
        if row["id"] in earlier:
            lines.append(resent_text(earlier[row["id"]], lang))
        if row.get("labels"):
            lines.append(_("Labels: %(names)s", names=_labels(row, lang)))
        if why := reason_text(row, lang):  # as in the digest: the reason and the relevance that ranks it
            lines.append(_("Why: %(reason)s", reason=why))
        if ev := row.get("snippet"):
            lines.append(_("Evidence (%(label)s): “%(text)s”", label=label_name(ev.get("label"), lang),
                           text=clean(f"{ev.get('before') or ''}{ev.get('text') or ''}{ev.get('after') or ''}", 300)))
        changed = changed_then.get(row["id"]) if earlier_day else row.get("last_changed")
        triaged = deadlines.to_datetime(_triage_updated(db, row["id"]))
        if earlier_day and triaged is not None and triaged > as_of:
            triaged = None  # a triage change after that day is not that day's feed's
        updated = max(filter(None, [deadlines.to_datetime(changed), triaged]), default=None)
        entries.append({"id": _uuid(profile.name, "needs-input", row["id"]), "item_id": row["id"],
                        "title": _("Needs input: %(title)s", title=clean(row["title"], TITLE_LIMIT)),
                        "url": safe_url(row.get("url")), "updated": updated,
                        "published": deadlines.to_datetime(row.get("first_seen")), "summary": "\n".join(lines)})
    change_entries = []
    for (item_id, group, at), evs in grouped.items():
        item = decorate(items[item_id], ctx)
        if group == "new":
            summary = [kind_name(item.get("kind"), lang) + (f" · {clean(sender_name(item, lang), 120)}" if item.get("owner") else "")]
            # an act, a note or a decision has no deadline: "Frist: ingen frist kjent" only where one
            # is expected (a consultation); a committee hearing's times as in the digest
            if item.get("deadline") or item.get("kind") in urgency.CONSULTATION_KINDS:
                summary += stortinget_times(item, None, lang) or [deadline_line(item, None, lang)]
            if item_id in earlier:
                summary.append(resent_text(earlier[item_id], lang))
            title = _("New: %(title)s", title=clean(item["title"], TITLE_LIMIT))
        else:
            summary = [describe_change(e, lang, item) for e in told(evs)]
            title = _("Changed: %(title)s", title=clean(item["title"], TITLE_LIMIT))
        change_entries.append({"id": _uuid(profile.name, group, item_id, at), "item_id": item_id, "title": title,
                               "url": safe_url(item.get("url")), "updated": deadlines.to_datetime(at),
                               "published": deadlines.to_datetime(at), "summary": "\n".join(summary)})
    change_entries.sort(key=lambda e: (e["updated"] or as_of, e["id"]), reverse=True)
    entries += change_entries
    feed = ET.Element(f"{{{ns}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": lang})
    el(feed, "id", _uuid(profile.name, "feed"))
    el(feed, "title", clean(f"ncp-tracker: {profile.display_title(lang)}"))
    el(feed, "updated", _rfc3339(max((e["updated"] for e in entries if e["updated"]), default=None) or as_of))
    author = el(feed, "author")
    el(author, "name", "ncp-tracker")
    el(feed, "generator", "ncp-tracker")
    for e in entries:
        entry = el(feed, "entry")
        el(entry, "id", e["id"])
        el(entry, "title", clean(e["title"]) or "–")
        el(entry, "updated", _rfc3339(e["updated"]))
        if e["published"]:
            el(entry, "published", _rfc3339(e["published"]))
        if e["url"]:
            el(entry, "link", href=e["url"], rel="alternate")
        page = workbench_link(workbench_url, e["item_id"]) if e.get("item_id") else None  # not a warning's
        if page:
            el(entry, "link", href=page, rel="related", title=_("Open in the workbench"))
        el(entry, "summary", "\n".join(clean(line) for line in e["summary"].splitlines()), type="text")
    ET.indent(feed)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n"


_UID_SAFE = re.compile(r"[^A-Za-z0-9._:-]")
#: the kind a Storting hearing's title starts with (crawlers/spiders/no_stortinget_horinger.py)
_HEARING_PREFIX = re.compile(r"^Komitéh(?:ø|øy)ring:\s*")


def _uid(kind: str, item_id: str, profile: str) -> str:
    safe = _UID_SAFE.sub("-", item_id)
    if safe != item_id or len(safe) > 120:
        safe = uuid.uuid5(uuid.NAMESPACE_URL, item_id).hex
    return f"{kind}-{safe}-{profile}@ncp-tracker"


def render_ics(db: sqlite_utils.Database, *, as_of: datetime, profile: Profile | str = "ncp",
               lang: str = "nb", workbench_url: str = "") -> bytes:
    """A calendar for the profile: an all-day event on each deadline day and each draft-due day;
    a Storting committee hearing gets three timed events instead of its deadline day: the
    deadline to ask to speak, the hearing, and the written-input deadline (those known; one known
    only by its day, as the written input's usually is, is an all-day event on that day).

    Covered: consultations in scope that are relevant (or where the NCP is a consultee), whose
    deadline day is at most 30 days ago; and, as on the horizon, a Storting case's hearing deadline
    and hearing day (its saksgang: all-day events) while no committee hearing item holds the case.
    UIDs are stable; SEQUENCE counts what moves or cancels an item's events — its deadline's
    moves, a committee hearing's other times moving (a case's dates set, moved or removed), its
    status going to or from withdrawn, and its triage changes (the internal deadline dates the
    draft event; the adviser and a triage state other than new are named in each) — so it grows
    whenever an event changes and never goes back. What leaves the calendar stays in it as
    STATUS:CANCELLED, so that a calendar that imported the event drops it: the events of a
    withdrawn hearing or of an item an adviser marked not relevant, the draft-due event of an item
    set aside (answered, published, closed unanswered), and a committee hearing's time that the
    Storting no longer gives (the hearing, the deadline to ask to speak), at its last known time; a
    Storting case's date is cancelled only when an earlier crawl's calendar gave it (one that a
    committee hearing held, or that was withdrawn, from the first is not in the calendar at all).
    DTSTAMP is the later of the item's last change and its last triage change, so the same data
    gives the same calendar. When the data must not pass for current (no crawl, no successful or
    recent one) or a source is failing or unchecked (the digest's banners), an all-day event today
    says so, one for each problem and source. With `workbench_url` each description ends with the
    item's page in the workbench. The items are as they stood at
    `as_of` (a calendar of an earlier day: that day's deadlines and events, as its digest).
    """
    from icalendar import Calendar, Event, Timezone

    if isinstance(profile, str):
        profile = load_profile(profile)
    _ = Translator(lang)
    cal = Calendar()
    cal.add("prodid", f"-//ncp-tracker//digest {profile.name}//{lang.upper()}")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", clean(f"ncp-tracker: {profile.display_title(lang)}"))
    cal.add("x-wr-timezone", "Europe/Oslo")
    cal.add_component(Timezone.from_tzid("Europe/Oslo"))
    today = deadlines.oslo_date(as_of)
    kinds = ",".join("?" for _k in urgency.CONSULTATION_KINDS)
    # the consultations whose deadline day can be in the window (its day at most 30 days ago: the
    # stored day, two days' margin for the day before a midnight deadline and another offset;
    # checked exactly below) — a million-item store holds years of them
    # a calendar of an earlier day (digest --date) holds the items as they stood then, as the
    # day's digest does: the deadlines of then, none of the items first recorded later
    upto: int | None = last_event_id(db, as_of)
    if not recorded_after(db, upto):
        upto = None
    cutoff = (today - timedelta(days=CALENDAR_PAST_DAYS + 2)).isoformat()
    where, later = stood_where(db, f"i.kind in ({kinds}) and i.deadline is not null and i.deadline >= ?", upto, "i")
    rows = list(db.query(
        f"""select i.*, t.state as triage_state, t.owner as triage_owner, t.internal_deadline,
                   t.updated_at as triage_updated_at
            from items i left join triage t on t.item_id = i.id
            where {where}
            order by i.deadline, i.id""",
        [*urgency.CONSULTATION_KINDS, cutoff, *later],
    ))  # fmt: skip
    rows = [r for r in as_they_stood(db, rows, upto)
            if r["kind"] in urgency.CONSULTATION_KINDS and r.get("deadline") and r["deadline"] >= cutoff]
    rows.sort(key=lambda r: (r["deadline"], r["id"]))
    # an open Storting case's hearing deadline and hearing (its saksgang, no_stortinget_spu) where no
    # committee hearing item holds the case (tracker.store.queries.cases_with_hearing_items), as on the
    # horizon: all-day events, cancelled when the case is withdrawn or set aside, a date the source
    # no longer gives (at its last known day), or once a committee hearing item holds the case
    where, later = stood_where(db, """i.kind = 'storting_case' and (i.extra like '%"hearing%' or exists (
                 select 1 from events e where e.item_id = i.id and e.kind = 'times_changed'
                 and e.field in ('hearing_deadline', 'hearing')))""", upto, "i")
    cases = list(db.query(
        f"""select i.*, t.state as triage_state, t.owner as triage_owner, t.updated_at as triage_updated_at
           from items i left join triage t on t.item_id = i.id
           where {where}""", later))  # by the cases' index, each case's events by item
    cases = [r for r in as_they_stood(db, cases, upto) if r["kind"] == "storting_case"]
    # these items' events and triage changes only, each found by its item (no scan of the events)
    ids = sorted({r["id"] for r in (*rows, *cases)})
    bound = [upto if upto is not None else 2**62]  # the events recorded by then
    moves = {r["item_id"]: r["n"] for r in select_in(
        db, "select item_id, count(*) as n from events where item_id in ({marks}) and (kind in ('deadline_changed', "
            "'times_changed') or (kind = 'status_changed' and 'withdrawn' in (coalesce(before, ''), coalesce(after, ''))))"
            " and id <= ? group by item_id", ids, after=bound)}
    # the items whose source withdrew them after they were seen: only their events were ever given
    # confirmed (an item first seen withdrawn has none to cancel)
    withdrawn_later = {r["item_id"] for r in select_in(
        db, "select distinct item_id from events where item_id in ({marks}) and kind = 'status_changed' "
            "and after = 'withdrawn' and id <= ?", ids, after=bound)}
    # a committee hearing's time the source removed (times_changed, after = null; the last one
    # of a field counts: a time given again and removed again)
    removed = {(r["item_id"], r["field"]): r["before"] for r in select_in(
        db, "select item_id, field, before from events where item_id in ({marks}) and kind = 'times_changed' "
            "and after is null and id <= ? order by id", ids, after=bound)}
    # a committee hearing's sittings before each change of them: a further day it no longer sits
    # stays in the calendar, cancelled, as a removed time does
    sittings_before: dict[str, list[Any]] = {}
    for r in select_in(db, "select item_id, before from events where item_id in ({marks}) and kind = 'times_changed' "
                           "and field = ? and id <= ? order by id", ids, after=[SITTINGS, *bound]):
        sittings_before.setdefault(r["item_id"], []).append(loads_json(r["before"], []))
    triaged = {r["item_id"]: r["n"] for r in select_in(
        db, "select item_id, count(*) as n from triage_history where item_id in ({marks}) group by item_id", ids)}
    # an earlier day's item: its last change by then (its last_changed may be later)
    changed_then = _last_change_by(db, ids, upto) if upto is not None else {}
    names = {"deadline": _("Deadline"), "draft": _("Draft due"), "ask": _("Request to speak"),
             "hearing": _("Committee hearing"), "written": _("Written input"),
             "case_deadline": _("Storting: hearing deadline of the case"), "case_hearing": _("Committee hearing")}
    # first, what the digest's banners say, as events today: a subscribed calendar must not pass for
    # current when the crawl stopped, nor a day a source failed for a quiet one; an event for each
    # problem and each failing or unchecked source, its UID the day's and the source's
    for banner in trust_banners(db, as_of=as_of, profile=profile, lang=lang, each_source=True)[1]:
        event = Event()
        event.add("uid", f"warning-{today.isoformat()}-{_UID_SAFE.sub('-', banner.key)}-{profile.name}@ncp-tracker")
        event.add("dtstamp", as_of.astimezone(UTC))
        event.add("dtstart", today)
        event.add("dtend", today + timedelta(days=1))
        event.add("summary", f"⚠ ncp-tracker: {banner.text}")
        event.add("description", banner.text)
        event.add("sequence", 0)
        event.add("status", "CONFIRMED")
        event.add("transp", "TRANSPARENT")
        cal.add_component(event)

    def emit(key: str, kind: str, item_id: str, when: Any, *, cancelled: bool, stamp: datetime, desc: list[str],
             sequence: int, title: str, url: str | None, place: str | None) -> None:
        event = Event()
        event.add("uid", _uid(key, item_id, profile.name))
        event.add("dtstamp", stamp.astimezone(UTC))
        event.add("last-modified", stamp.astimezone(UTC))
        if isinstance(when, datetime) and not deadlines.has_time(when):
            when = deadlines.oslo_date(when)  # a day without a time (23:59, 00:00): the day, as the digest says it
        if isinstance(when, datetime):
            event.add("dtstart", when.astimezone(OSLO))
            event.add("dtend", when.astimezone(OSLO) + timedelta(hours=1 if kind == "hearing" else 0, minutes=0 if kind == "hearing" else 15))
        else:
            event.add("dtstart", when)
            event.add("dtend", when + timedelta(days=1))
        # the spider's titles say "Komitéhøring: …" already; the hearing's own event says it once
        event.add("summary", f"{names[kind]}: {_HEARING_PREFIX.sub('', title) if kind == 'hearing' else title}")
        event.add("description", "\n".join(desc))
        event.add("sequence", sequence)
        event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
        event.add("transp", "TRANSPARENT")
        if url:
            event.add("url", url)
        if place:
            event.add("location", clean(place, 200))
        cal.add_component(event)

    def listed(row: dict[str, Any]) -> bool:
        """In the profile's scope, and relevant to it or naming the NCP as a consultee (an item an
        adviser marked not relevant is listed: its events stay, cancelled)."""
        return profile.in_scope(row) and bool(row.get("ncp_consultee") or profile.passes_threshold(row))

    def sequence_of(row: dict[str, Any]) -> int:
        """SEQUENCE: the item's moves (deadline, times, withdrawn) and triage changes so far."""
        return int(moves.get(row["id"], 0)) + int(triaged.get(row["id"], 0))

    def stamp_of(row: dict[str, Any]) -> datetime:
        """DTSTAMP: the later of the item's last change and its last triage change."""
        changed = changed_then.get(row["id"]) if upto is not None else row.get("last_changed")
        stamp = deadlines.to_datetime(changed) or deadlines.to_datetime(row.get("first_seen")) or as_of
        if (triaged_at := deadlines.to_datetime(row.get("triage_updated_at"))) is not None:
            stamp = max(stamp, triaged_at)
        return stamp

    def about(row: dict[str, Any], state: str, url: str | None) -> list[str]:
        """The lines each event of an item ends its description with: sender, triage state,
        adviser, labels, the item's page and its page in the workbench."""
        lines = []
        if row.get("owner"):
            lines.append(_("Sender: %(name)s", name=clean(sender_name(row, lang), 120)))
        if state != "new":
            lines.append(_("State: %(state)s", state=triage_name(state, lang)))
        if row.get("triage_owner"):
            lines.append(_("Adviser: %(name)s", name=clean(row["triage_owner"], 80)))
        if row["labels"]:
            lines.append(_("Labels: %(names)s", names=_labels(row, lang)))
        if url:
            lines.append(url)
        if page := workbench_link(workbench_url, row["id"]):
            lines.append(_("Workbench: %(url)s", url=page))
        return lines

    for row in rows:
        row["labels"] = urgency.item_labels(row)
        day = deadlines.deadline_day(row["deadline"])
        if day is None or (today - day).days > CALENDAR_PAST_DAYS:
            continue
        if not listed(row):
            continue
        state = row.get("triage_state") or "new"
        if row["status"] == "withdrawn" and row["id"] not in withdrawn_later:
            continue  # withdrawn when first seen: no calendar ever had its events, no cancelled copy either
        # withdrawn, or marked not relevant by an adviser: the item's events stay, cancelled
        dropped = row["status"] == "withdrawn" or state == "not_relevant"
        sequence, stamp = sequence_of(row), stamp_of(row)
        title = clean(row["title"], TITLE_LIMIT)
        url = safe_url(row.get("url"))
        desc = (stortinget_times(row, None, lang) or [_("Deadline: %(when)s", when=format_date(day, lang))]) + about(
            row, state, url)
        internal = deadlines.to_datetime(row.get("internal_deadline"))
        due = internal.astimezone(OSLO).date() if internal else deadlines.add_working_days(
            day, -profile.lead_days, eves_are_working_days=profile.eves_are_working_days)
        timed = stortinget_events(row)
        plan: list[tuple[str, Any, bool]] = [(k, w, dropped) for k, w in timed] or [("deadline", day, dropped)]
        # nothing left to draft once set aside (answered, published, not relevant, deadline passed
        # unanswered): the draft-due event stays, cancelled
        plan.append(("draft", due, dropped or state in urgency.SET_ASIDE_STATES))
        given = {k for k, _w in timed}
        for kind, field in STORTINGET_EVENT_FIELDS if row["kind"] == "committee_hearing" else ():
            gone = deadlines.to_datetime(removed.get((row["id"], field)))
            if kind not in given and gone is not None and (today - deadlines.oslo_date(gone)).days <= CALENDAR_PAST_DAYS:
                plan.append((kind, gone, True))
        # a hearing sitting on further days: an event on each (its own uid: the day it sits)
        places = {"hearing": hearing_place(extra_of(row))}
        for when, place in later_sitting_days(extra_of(row)) if "hearing" in given else ():
            key = f"hearing-{deadlines.oslo_date(when).isoformat()}"
            places[key] = place
            plan.append((key, when, dropped))
        for before in sittings_before.get(row["id"], []):  # further days it sat on before, no more
            # that list's own days after its first (the start then is not stored with it)
            for when, place in sitting_days({SITTINGS: before})[1:]:
                key = f"hearing-{deadlines.oslo_date(when).isoformat()}"
                if key not in places and (today - deadlines.oslo_date(when)).days <= CALENDAR_PAST_DAYS:
                    places[key] = place
                    plan.append((key, when, True))
        for key, when, cancelled in plan:
            emit(key, "hearing" if key in places else key, row["id"], when, cancelled=cancelled, stamp=stamp,
                 desc=desc, sequence=sequence, title=title, url=url, place=places.get(key))
    held = cases_with_hearing_items(db, [r["native_id"] for r in cases if r.get("native_id")], upto)
    # the earlier crawls that changed each case (its events' instants before the latest crawl's,
    # newest first): the calendar's earlier states, in which a subscriber may have received its dates
    latest = db.execute("select at from events where id = (select max(id) from events where id <= ?)", bound).fetchone()
    crawled: dict[str, list[str]] = {}
    for r in select_in(db, "select distinct item_id, at from events where item_id in ({marks}) and id <= ? and at < ? "
                           "order by at desc", [r["id"] for r in cases], after=[*bound, latest[0] if latest else ""]):
        crawled.setdefault(r["item_id"], []).append(r["at"])

    def shown_before(row: dict[str, Any], field: str) -> bool:
        """Whether the case's `field` date was in the calendar, confirmed, after an earlier crawl (so
        a calendar may hold it: only then is a cancelled copy of it news): the case known, the date
        given, not withdrawn, and no committee hearing item holding the case yet (its relevance and
        triage are today's, as in a calendar of an earlier day). The demo's first calendar had the
        hearing of a case that a committee hearing held from the first crawl, cancelled."""
        for at in crawled.get(row["id"], []):
            then = last_event_id(db, deadlines.to_datetime(at) or as_of)
            old = next(iter(as_they_stood(db, [row], then)), None)
            if old is None or old["status"] == "withdrawn" or not extra_of(old).get(field):
                continue
            if not row.get("native_id") or row["native_id"] not in cases_with_hearing_items(db, [row["native_id"]], then):
                return True
        return False

    for row in cases:
        row["labels"] = urgency.item_labels(row)
        if not listed(row):
            continue
        extra = extra_of(row)
        state = row.get("triage_state") or "new"
        dropped = row["status"] == "withdrawn" or state == "not_relevant" or row.get("native_id") in held
        sequence, stamp = sequence_of(row), stamp_of(row)
        title, url = clean(row["title"], TITLE_LIMIT), safe_url(row.get("url"))
        lines = about(row, state, url)
        for key, field in (("case_deadline", "hearing_deadline"), ("case_hearing", "hearing")):
            given = deadlines.to_datetime(extra.get(field))
            when = given or deadlines.to_datetime(removed.get((row["id"], field)))
            if when is None or (today - deadlines.oslo_date(when)).days > CALENDAR_PAST_DAYS:
                continue
            cancelled = dropped or given is None
            if cancelled and not shown_before(row, field):
                continue  # never in the calendar: no cancelled copy of it either
            day = deadlines.oslo_date(when)  # a saksgang date is a day (given at 00:00)
            emit(key, key, row["id"], day, cancelled=cancelled, stamp=stamp,
                 desc=[case_time_line(field, day, lang), *lines], sequence=sequence, title=title, url=url,
                 place=None)
    return cal.to_ical()
