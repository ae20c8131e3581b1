"""Sentences the digest, mail, feed and calendar share: deadlines (with Stortinget's three
times), days left, changes. Every word comes from the catalogue (`tracker.i18n`)."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from crawlers.fields import DEADLINE_UNREAD
from tracker.digest.text import clean
from tracker.i18n import (
    Translator,
    format_date,
    format_datetime,
    format_long_date,
    format_score,
    format_time,
)
from tracker.links.ncp_cases import stage_name
from tracker.store import deadlines
from tracker.store.changes import (
    CASE_TIMES,
    SITTINGS,
    forecast_moves,
    hearing_place,
    later_sitting_days,
)
from tracker.vocabulary import N_, detail_why, document_title, field_name, status_name


def _json(value: Any) -> Any:
    if value is None or not isinstance(value, str):
        return value
    if value[:1] in "[{":
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def extra(row: dict[str, Any]) -> dict[str, Any]:
    value = _json(row.get("extra"))
    return value if isinstance(value, dict) else {}


def document_name(row: dict[str, Any], url: str | None) -> str:
    """A linked document as a person names it: its title in the item's documents, else the last
    part of its address ("horingsnotat.pdf"), else the address."""
    docs = _json(row.get("documents"))
    for doc in docs if isinstance(docs, list) else []:
        if isinstance(doc, dict) and doc.get("url") == url and doc.get("title"):
            return clean(document_title(doc), 120)
    tail = (url or "").rstrip("/").rsplit("/", 1)[-1]
    return clean(tail or url or "", 120)


def _on_the_day(when: datetime, lang: str, timed: str, untimed: str) -> str:
    """A time due today, said with its time (`timed`, with %(time)s) when it has one of its own,
    else by the day alone (`untimed`): a day's deadline is never given an invented "kl. 23.59"
    (`deadlines.has_time`). Both messages are marked with N_ where they are written."""
    _ = Translator(lang)
    return _(timed, time=format_time(when, lang)) if deadlines.has_time(when) else _(untimed)


def when_text(value: str | datetime | None, today: date | None, lang: str) -> str:
    """'fre. 04.12.2026 kl. 12.00', or 'i dag kl. 12.00' / 'today 12:00' on the day itself."""
    _ = Translator(lang)
    when = deadlines.to_datetime(value)
    if when is None:
        return ""
    day = deadlines.oslo_date(when)
    if day == today:
        return _on_the_day(when, lang, N_("today %(time)s"), N_("today"))
    return format_datetime(when, lang) if deadlines.has_time(when) else format_date(day, lang)


def days_left_text(n: int | None, lang: str) -> str:
    _ = Translator(lang)
    if n is None:
        return ""
    if n <= 0:
        return _("due today")
    return _.n("%(num)d working day left", "%(num)d working days left", n)


def deadline_text(row: dict[str, Any], as_of: datetime | None, lang: str) -> str:
    """'fre. 04.12.2026 (3 virkedager igjen)', 'frist i dag kl. 12.00', 'ingen frist kjent' (with
    why, when the item's own page was never read: 'ingen frist kjent – sakens egen side er ikke lest
    (blokkert, HTTP 403)'), or 'kunne ikke leses fra kilden' when the source has a deadline that
    could not be read (its answer changed: `extra.deadline_unread`, crawlers.items.DEADLINE_UNREAD)
    — never "none known" for that. Without `as_of`, the date alone ('fre. 04.12.2026'): words that
    change from day to day with the same data ("i dag", "3 virkedager igjen") are for a day's read,
    not for a feed entry whose `updated` says when it changed."""
    _ = Translator(lang)
    when = deadlines.deadline_time(row.get("deadline"))
    if when is None:
        if extra(row).get(DEADLINE_UNREAD):
            return _("could not be read from the source")
        why = detail_why(extra(row), lang, never_read=True)
        if why:
            return _("no deadline known – the item's own page was not read (%(why)s)", why=why)
        return _("no deadline known")
    today = deadlines.oslo_date(as_of) if as_of is not None else None
    if deadlines.deadline_day(when) == today:
        return _on_the_day(when, lang, N_("due today %(time)s"), N_("due today"))
    text = format_datetime(when, lang) if deadlines.has_time(when) else format_date(deadlines.deadline_day(when), lang)
    left = days_left_text(row.get("working_days_left"), lang) if as_of is not None else ""
    return f"{text} ({left})" if left else text


def day_off(value: str | date | None, lang: str, *, eves_are_working_days: bool = False) -> str | None:
    """Why a day an adviser chose (a draft-due day) is no working day — «søndag», «lørdag» or the
    day off's name («Første juledag») — or None for a working day (or no day). Christmas Eve and
    New Year's Eve are days off unless the profile says `eves_are_working_days` (as the draft-due
    days the inbox and the digest compute from it)."""
    day = value
    if isinstance(value, str):
        try:
            day = date.fromisoformat(value[:10])
        except ValueError:
            return None
    if not isinstance(day, date) or deadlines.is_working_day(day, eves_are_working_days=eves_are_working_days):
        return None
    name = deadlines.holiday_name(day, eves_are_working_days=eves_are_working_days)
    if name:
        return name
    return format_long_date(day, lang).split()[0].rstrip(",")  # «søndag», «Sunday»


def opening_day(opens: str | datetime | None) -> date | None:
    """The day (Oslo) an announced consultation opens for input (`urgency.opens`), when known."""
    when = deadlines.to_datetime(opens)
    return deadlines.oslo_date(when) if when is not None else None


def opens_late(opens: str | datetime | None, today: date) -> bool:
    """Was an announced consultation to open before `today`? The source, when last read, still
    called it announced: it opens late (or the source was not read since)."""
    day = opening_day(opens)
    return day is not None and day < today


def opening(opens: str | datetime | None, today: date, lang: str) -> tuple[str, str]:
    """When an announced consultation opens for input, as (heading, value): «Åpner», «tir.
    01.12.2026»; late (`opens_late`): «Skulle åpne», «tir. 01.12.2026 (ikke sett åpnet ennå)»;
    «Åpner», «ikke kjent ennå». The digest's «Varslet, ikke åpnet ennå» and the item page say it so."""
    _ = Translator(lang)
    day = opening_day(opens)
    if day is None:
        return _("Opens"), _("not known yet")
    if opens_late(opens, today):
        return _("Was to open"), _("%(day)s (not seen open yet)", day=format_date(day, lang))
    return _("Opens"), format_date(day, lang)


def opening_cell(opens: str | datetime | None, today: date, lang: str) -> str:
    """`opening` in a column headed «Åpner» (the inbox's): its value — «tir. 01.12.2026» — or, for
    a late opening, its heading too: «Skulle åpne: tir. 01.12.2026 (ikke sett åpnet ennå)»."""
    heading, value = opening(opens, today, lang)
    return f"{heading}: {value}" if opens_late(opens, today) else value


def next_due_text(row: dict[str, Any], as_of: datetime, lang: str) -> str:
    """What a "needs input" row is next due for, for the summary: its deadline
    (:func:`deadline_text`), or a committee hearing's deadline to ask to speak ("be om å delta
    innen tor. 26.11.2026 kl. 12.00", "be om å delta: frist i dag kl. 12.00"); see
    ``tracker.attention.urgency.next_due``."""
    if row.get("next_due_what") != "request_to_speak":
        return deadline_text(row, as_of, lang)
    _ = Translator(lang)
    when = deadlines.to_datetime(row.get("next_due"))
    if when is not None and deadlines.oslo_date(when) == deadlines.oslo_date(as_of):
        return _on_the_day(when, lang, N_("request to speak: due today %(time)s"), N_("request to speak: due today"))
    return _("request to speak by %(when)s", when=when_text(when, deadlines.oslo_date(as_of), lang))


def deadline_line(row: dict[str, Any], as_of: datetime | None, lang: str) -> str:
    """'Frist: fre. 04.12.2026 (3 virkedager igjen)', or 'Frist i dag kl. 12.00' on the day
    (without `as_of`: 'Frist: fre. 04.12.2026', see `deadline_text`)."""
    _ = Translator(lang)
    when = deadlines.deadline_time(row.get("deadline"))
    if when is not None and as_of is not None and deadlines.deadline_day(when) == deadlines.oslo_date(as_of):
        text = deadline_text(row, as_of, lang)
        return text[:1].upper() + text[1:]
    return _("Deadline: %(when)s", when=deadline_text(row, as_of, lang))


def stortinget_times(row: dict[str, Any], as_of: datetime | None, lang: str) -> list[str]:
    """A Storting committee hearing's three times, each on its own line (those that are known):
    the deadline to ask to speak (anmodningsfrist), the hearing itself, written input. Without
    `as_of`, by their dates alone (no "i dag", no "passert": see `deadline_text`)."""
    if row.get("kind") != "committee_hearing":
        return []
    _ = Translator(lang)
    ex = extra(row)
    today = deadlines.oslo_date(as_of) if as_of is not None else None
    out = []
    ask = deadlines.deadline_time(ex.get("anmodningsfrist"))
    if ask is not None and as_of is not None and ask < as_of:  # the hearing may still take written input
        out.append(_("Request to speak by: %(when)s (passed)", when=when_text(ask, today, lang)))
    elif ask is not None and deadlines.oslo_date(ask) == today:  # a day without a time: none invented
        out.append(_on_the_day(ask, lang, N_("Request to speak: due today %(time)s"), N_("Request to speak: due today")))
    elif ask is not None:
        out.append(_("Request to speak by: %(when)s", when=when_text(ask, today, lang)))
    if held := when_text(ex.get("hearing_start"), today, lang):  # and where, for those who go
        sittings = [(held, hearing_place(ex))]  # and each further day it sits
        sittings += [(when_text(when, today, lang), place) for when, place in later_sitting_days(ex)]
        out.append(_("Hearing: %(when)s", when="; ".join(
            when + (f", {clean(place, 80)}" if place else "") for when, place in sittings)))
    written = deadlines.deadline_time(ex.get("innspillsfrist"))
    if written is not None and deadlines.oslo_date(written) == today:
        out.append(_on_the_day(written, lang, N_("Written input: due today %(time)s"), N_("Written input: due today")))
    elif written is not None:
        out.append(_("Written input by: %(when)s", when=when_text(written, today, lang)))
    return out


#: a committee hearing's three times as the calendar's event keys and the `extra` fields they come from
STORTINGET_EVENT_FIELDS = (("ask", "anmodningsfrist"), ("hearing", "hearing_start"), ("written", "innspillsfrist"))


def stortinget_events(row: dict[str, Any]) -> list[tuple[str, datetime]]:
    """(key, time) of a committee hearing's three times (for the calendar): ``ask``, ``hearing``,
    ``written``."""
    if row.get("kind") != "committee_hearing":
        return []
    ex = extra(row)
    out = []
    for key, field in STORTINGET_EVENT_FIELDS:
        # the two deadlines as deadlines (a day alone: its end), the hearing as the time it sits
        when = (deadlines.deadline_time if field in deadlines.DEADLINE_EXTRAS else deadlines.to_datetime)(ex.get(field))
        if when is not None:
            out.append((key, when))
    return out


def reason_text(row: dict[str, Any], lang: str) -> str:
    """Why an item is listed, with the relevance that ranks it ("Åpenhetsloven nevnt; verdikjede
    (relevans 0,86)"): the digest's "Why" and the workbench's."""
    _ = Translator(lang)
    # the tagger writes both; an item not tagged since the English line came has the Bokmål one only
    reason = clean((lang == "en" and row.get("relevance_reason_en")) or row.get("relevance_reason"), 200)
    if row.get("ncp_consultee"):  # listed whatever its score; the score still ranks it and is shown
        reason = _("The NCP is a consultee") + (f"; {reason}" if reason else "")
    if row.get("relevance") is None:
        return reason
    score = _("relevance %(score)s", score=format_score(float(row["relevance"]), lang))
    return f"{reason} ({score})" if reason else score[:1].upper() + score[1:]


#: at most this many words of a changed passage are quoted
PASSAGE_WORDS = 25
#: a changed middle longer than this many words is not diffed (the first change is quoted)
DIFF_WORDS = 4000
#: changes at most this many unchanged words apart are quoted as one passage
MERGE_GAP = 3


def changed_passage(old: Any, new: Any, max_words: int = PASSAGE_WORDS) -> tuple[str, str] | None:
    """The passage that changed from `old` to `new`, by words: of the changes between their common
    beginning and end (changes at most `MERGE_GAP` words apart count as one), the one that changes
    the most words — its new words, or the removed ones when text was only taken out — at most
    `max_words` words, with "…" where it is cut or does not start the text.
    ``("new", words)`` or ``("removed", words)``; None when the words are the same (spacing or line
    breaks only). A middle over `DIFF_WORDS` words is not diffed: its first change is quoted."""
    from difflib import SequenceMatcher

    a = str(old or "").split()
    b = str(new or "").split()
    start = 0
    while start < min(len(a), len(b)) and a[start] == b[start]:
        start += 1
    end = 0
    while end < min(len(a), len(b)) - start and a[-1 - end] == b[-1 - end]:
        end += 1
    mid_a, mid_b = a[start:len(a) - end], b[start:len(b) - end]
    if not mid_a and not mid_b:
        return None
    if len(mid_a) + len(mid_b) > DIFF_WORDS or not mid_a or not mid_b:
        how, at, words = ("new", start, mid_b) if mid_b else ("removed", start, mid_a)
    else:
        # the changes, with the few unchanged words between close ones kept (a phrase, not
        # fragments of it); the group that changes the most words is quoted
        groups: list[list[int]] = []  # [i1, i2, j1, j2, words changed]
        for tag, i1, i2, j1, j2 in SequenceMatcher(None, mid_a, mid_b, autojunk=False).get_opcodes():
            if tag == "equal":
                continue
            if groups and j1 - groups[-1][3] <= MERGE_GAP and i1 - groups[-1][1] <= MERGE_GAP:
                g = groups[-1]
                g[1], g[3], g[4] = i2, j2, g[4] + (i2 - i1) + (j2 - j1)
            else:
                groups.append([i1, i2, j1, j2, (i2 - i1) + (j2 - j1)])
        i1, i2, j1, j2, _n = max(groups, key=lambda g: g[4])
        how, at, words = ("new", start + j1, mid_b[j1:j2]) if j2 > j1 else ("removed", start + i1, mid_a[i1:i2])
    text = " ".join(words[:max_words]) + (" …" if len(words) > max_words else "")
    return how, clean(("… " if at else "") + text, 400)


def sittings_text(sittings: Any, lang: str, shown: int = 3) -> str:
    """A committee hearing's sittings (`extra["hearing_times"]`) in a line: "tor. 03.12.2026 kl.
    09.00, Høringssal 1; …" (the first `shown`, then how many more)."""
    value = _json(sittings)
    rows = [s for s in value if isinstance(s, dict)] if isinstance(value, list) else []
    parts = []
    for s in rows[:shown]:
        when = format_datetime(s.get("tidspunkt"), lang) if s.get("tidspunkt") else ""
        parts.append(", ".join(p for p in (when, clean(s.get("sted"), 80)) if p) or "–")
    return "; ".join(parts) + (f" (+{len(rows) - shown})" if len(rows) > shown else "")


def documents_said(docs: Any, lang: str) -> str | None:
    """Linked documents as a person names them: each by its title and its type ("Tilleggsnotat om
    … (høringsnotat)"), "; " between them (None: none). A type the title already says ("Call for
    evidence Ares(…)") is not said twice."""
    from tracker.vocabulary import document_type_name

    said, listed = [], _json(docs)
    for doc in listed if isinstance(listed, list) else []:
        if not isinstance(doc, dict):
            continue
        title = clean(document_title(doc) or document_name({}, doc.get("url")), 120)
        kind = document_type_name(doc.get("type"), lang)
        said.append(f"{title} ({kind})" if kind and not title.casefold().startswith(kind.casefold()) else title)
    return "; ".join(said) or None


def event_values(event: dict[str, Any], lang: str,
                 item: dict[str, Any] | None = None) -> tuple[str, str | None, str | None] | None:
    """A change event's field and its values before and after as the reader reads them, as the
    item's page (word by word) and `ncp-tracker events` show them: a deadline by its day, a time in
    Oslo time, a committee hearing's sittings and an EU procedure's forecasts as lines, a status and
    an NCP case's stage by name, documents by title and type, a changed document by its title
    (`item`: the item it belongs to) and that its content changed (never its address and hashes), a
    watched provision by its name in `lang`, a vanished item by what it means (None: no value
    before, or after). None for a kind whose values are not said this way (new, updated): each
    view shows those as its own."""
    _ = Translator(lang)
    kind, field = event["kind"], event.get("field")
    before, after = event.get("before"), event.get("after")
    if kind == "documents_added":
        return "documents", None, documents_said(after, lang)
    if kind == "documents_removed":  # no longer linked from the page: before, not after
        return "documents", documents_said(after, lang), None
    if kind == "documents_changed":  # its address is the field, its hashes the values
        return document_name(item or {}, field), None, _("content changed")
    if kind == "provision_hit":  # by its name in `lang` (a hit stores its Bokmål label)
        from tracker.documents.provisions import label_of

        return "provision", None, clean(label_of(field, lang, str(after or field or "")), 120)
    if kind == "vanished":  # its value is the clock it vanished at: the event's own
        return "", None, _("Vanished from the source's listing (kept here)")
    if kind == "deadline_changed":
        return field or "deadline", _deadline_day(before, lang), _deadline_day(after, lang)
    if kind == "times_changed" and field == SITTINGS:  # its sittings: time and room
        return SITTINGS, sittings_text(before, lang) or None, sittings_text(after, lang) or None
    if kind == "forecasts_changed":  # an EU procedure's forecasts: "date event" a line
        return "forecasts", forecasts_lines(before, lang) or None, forecasts_lines(after, lang) or None
    if kind == "times_changed" and field in CASE_TIMES:  # a Storting case's day
        return field or "", case_day(before, lang) if before else None, case_day(after, lang) if after else None
    if kind == "times_changed":  # a committee hearing's time: its day and hour
        return (field or "", format_datetime(before, lang) if before else None,
                format_datetime(after, lang) if after else None)
    if kind == "status_changed":
        return (field or "status", status_name(before, lang) if before else None,
                status_name(after, lang) if after else None)
    if kind == "stage_changed":  # an NCP case's stage by its name, not its code
        return (field or "stage", stage_name(before, lang) if before else None,
                stage_name(after, lang) if after else None)
    return None


def _deadline_day(value: Any, lang: str) -> str | None:
    """A stored deadline as the digest writes it (its day); as stored when it is not one."""
    if not value:
        return None
    day = deadlines.deadline_day(value)
    return format_date(day, lang) if day else str(value)


def _published_move(before: Any, after: Any, lang: str) -> tuple[str, str] | None:
    """An `updated` event's publication day, before and after, as the digest writes days (None
    when the event did not move it from one known day to another)."""
    if not (isinstance(before, dict) and isinstance(after, dict) and before.get("published") and after.get("published")):
        return None
    old, new = (deadlines.to_datetime(str(x["published"])) for x in (before, after))
    if old is None or new is None:
        return None
    old_day, new_day = deadlines.oslo_date(old), deadlines.oslo_date(new)
    return None if old_day == new_day else (format_date(old_day, lang), format_date(new_day, lang))


def describe_change(change: dict[str, Any], lang: str, item: dict[str, Any] | None = None) -> str:
    """One change as a plain sentence (not yet escaped); `item`: the item it belongs to (names a
    changed document by its title)."""
    _ = Translator(lang)
    kind, before, after = change["kind"], change.get("before"), change.get("after")
    if kind == "deadline_changed":
        old = format_date(deadlines.deadline_day(before), lang) if before else None
        new = format_date(deadlines.deadline_day(after), lang) if after else None
        if old and new:
            return _("Deadline moved: %(old)s → %(new)s", old=old, new=new)
        if new:
            return _("Deadline set: %(new)s", new=new)
        return _("Deadline removed, was %(old)s", old=old or "–")
    if kind == "status_changed":
        if after == "withdrawn":
            return _("Withdrawn")
        if after == "closed":
            return _("Closed")
        return _("Status: %(old)s → %(new)s", old=status_name(str(before), lang) or "–",
                 new=status_name(str(after), lang) or "–")
    if kind in ("documents_added", "documents_removed"):
        docs = after if isinstance(after, list) else []
        titles = [clean(document_title(d) or d.get("url"), 80) for d in docs if isinstance(d, dict)]
        shown = "; ".join(titles[:3]) + (f" (+{len(titles) - 3})" if len(titles) > 3 else "")
        if kind == "documents_removed":
            return _("No longer linked from the page (%(num)d): %(titles)s", num=len(titles), titles=shown)
        return _("New documents (%(num)d): %(titles)s", num=len(titles), titles=shown)
    if kind == "forecasts_changed":  # an EU procedure's forecasts (OEIL)
        return forecasts_text(before, after, lang)
    if kind == "times_changed" and change.get("field") == SITTINGS:  # a committee hearing's sittings
        if not after:
            return _("No hearing sittings any more (was %(old)s)", old=sittings_text(before, lang) or "–")
        return _("Hearing sittings: %(old)s → %(new)s", old=sittings_text(before, lang) or "–",
                 new=sittings_text(after, lang))
    if kind == "times_changed" and change.get("field") in CASE_TIMES:  # a Storting case's saksgang day
        return case_time_text(change.get("field"), before, after, lang)
    if kind == "times_changed":
        old, new = format_datetime(before, lang) if before else "–", format_datetime(after, lang) if after else "–"
        if not after:  # the source now gives none (a dropped deadline, a written-only hearing)
            if change.get("field") == "anmodningsfrist":
                return _("No deadline to ask to take part any more (was %(old)s)", old=old)
            return _("No hearing time any more (was %(old)s)", old=old)
        if change.get("field") == "anmodningsfrist":
            return _("Deadline to ask to take part moved: %(old)s → %(new)s", old=old, new=new)
        return _("Hearing moved: %(old)s → %(new)s", old=old, new=new)
    if kind == "stage_changed":  # an NCP case's stage by its name, not its code (as the workbench)
        if before:
            return _("New stage: %(old)s → %(new)s", old=clean(stage_name(before, lang), 120),
                     new=clean(stage_name(after, lang), 120))
        return _("New stage: %(new)s", new=clean(stage_name(after, lang), 120))
    if kind == "vanished":
        return _("Vanished from the source's listing (kept here)")
    if kind == "reappeared":
        return _("Reappeared in the source's listing")
    if kind == "provision_hit":  # a linked document names a watched provision (tracker/documents):
        from tracker.documents.provisions import label_of  # by its name in `lang` (Bokmål stored)

        return _("A document touches %(provision)s",
                 provision=clean(label_of(change.get("field"), lang, str(after or change.get("field") or "")), 120))
    if kind == "documents_changed":  # the document's title, else its file's name: never its address
        return _("Document changed: %(doc)s", doc=document_name(item or {}, change.get("field")))
    if kind == "new":
        return _("New")
    if kind == "updated":
        names = [f for f in str(change.get("field") or "").split(",") if f]
        moved = _published_move(before, after, lang)
        if names == ["published"] and moved and (item or {}).get("kind") == "eu_consultation":
            # Have your say's "published" is the day the feedback period opens (extra `opens`)
            return _("Opening for feedback moved: %(old)s → %(new)s", old=moved[0], new=moved[1])
        text = _("Updated: %(fields)s", fields=", ".join(field_name(f, lang) for f in names))
        if moved:  # the day, not only that it changed
            text += " " + _("(published %(old)s → %(new)s)", old=moved[0], new=moved[1])
        if isinstance(before, dict) and isinstance(after, dict) and "title" in after:
            text += " " + _("(was «%(title)s»)", title=clean(before.get("title"), 120))
        elif isinstance(before, dict) and isinstance(after, dict):
            # what changed, not only where: the first text field's changed passage
            for name in ("summary", "body"):
                if name in after and (passage := changed_passage(before.get(name), after.get(name))):
                    how, words = passage
                    text += ". " + (_("New wording: «%(passage)s»", passage=words) if how == "new"
                                    else _("Removed: «%(passage)s»", passage=words))
                    break
        if "consultees" in names and isinstance(before, dict) and isinstance(after, dict):
            # the one change of a consultee list that is news: Kontaktpunktet asked by name, or no more
            from crawlers.consultees import ncp_consultee
            from tracker.store.queries import consultee_list

            was, now = (ncp_consultee(consultee_list(side.get("consultees"))) for side in (before, after))
            if now and not was:
                text += ". " + _("The NCP is now listed as a consultee")
            elif was and now is False:
                text += ". " + _("The NCP is no longer listed as a consultee")
        return text
    return _("Changed")


def case_day(value: Any, lang: str) -> str:
    """A Storting case's saksgang date (a day, given at 00:00) as its day, "–" when none."""
    when = deadlines.to_datetime(value)
    return format_date(deadlines.oslo_date(when), lang) if when is not None else "–"


def case_time_line(field: str, day: date, lang: str) -> str:
    """A Storting case's hearing deadline or hearing day (`CASE_TIMES`) as a line of its own."""
    _ = Translator(lang)
    if field == "hearing_deadline":
        return _("Hearing deadline of the case: %(when)s", when=format_date(day, lang))
    return _("Hearing: %(when)s", when=format_date(day, lang))


def case_time_text(field: str | None, before: Any, after: Any, lang: str) -> str:
    """A Storting case's hearing deadline or hearing set, moved or removed (`CASE_TIMES`)."""
    _ = Translator(lang)
    old, new = case_day(before, lang), case_day(after, lang)
    if field == "hearing_deadline":
        if not before:
            return _("Hearing deadline of the case set: %(new)s", new=new)
        if not after:
            return _("No hearing deadline in the case any more (was %(old)s)", old=old)
        return _("Hearing deadline of the case moved: %(old)s → %(new)s", old=old, new=new)
    if not before:
        return _("Committee hearing set: %(new)s", new=new)
    if not after:
        return _("No hearing time any more (was %(old)s)", old=old)
    return _("Hearing moved: %(old)s → %(new)s", old=old, new=new)


def resent_text(previous: dict[str, Any], lang: str) -> str:
    """A new consultation that repeats an earlier one (`tracker.attention.urgency.resent`), said on its
    own entry: "Sendt på ny høring; forrige: «…» (frist …)"."""
    _ = Translator(lang)
    when = format_date(deadlines.deadline_day(previous.get("deadline")), lang) if previous.get("deadline") else "–"
    return _("Sent on a new hearing; previous: «%(title)s» (deadline %(day)s)",
             title=clean(previous.get("title"), 120), day=when)


def forecasts_text(before: Any, after: Any, lang: str = "nb") -> str:
    """An EU procedure's changed forecasts in one line: «Prognoser: Indicative plenary sitting
    date: tir. 15.12.2026 → ons. 20.01.2027; Application: ny, …» (the event names are OEIL's)."""
    _ = Translator(lang)
    old, new = _json(before), _json(after)
    parts = []
    for event, was, now in forecast_moves(old if isinstance(old, list) else [], new if isinstance(new, list) else []):
        name = clean(event, 120)
        if was is None:
            parts.append(_("%(event)s: %(new)s (new)", event=name, new=format_date(now, lang) or "–"))
        elif now is None:
            parts.append(_("%(event)s: no longer forecast (was %(old)s)", event=name, old=format_date(was, lang)))
        else:
            parts.append(_("%(event)s: %(old)s → %(new)s", event=name, old=format_date(was, lang),
                           new=format_date(now, lang)))
    return _("Forecasts: %(changes)s", changes="; ".join(parts) or "–")


def forecasts_lines(forecasts: Any, lang: str = "nb") -> str:
    """An EU procedure's forecasts (`extra["forecasts"]`) as text: "tir. 15.12.2026 Indicative
    plenary sitting date; …" ("" for none)."""
    value = _json(forecasts)
    rows = [f for f in value if isinstance(f, dict)] if isinstance(value, list) else []
    return "; ".join(" ".join(p for p in (format_date(f.get("date"), lang), clean(f.get("event"), 120)) if p)
                     for f in rows)
