"""Workbench commands: triage, inbox, search, export, draft, calibrate, answers (serve: tracker/cli/admin.py).

Registered on the main group in tracker/cli/main.py. Only click is imported at
module level (heavy imports live inside the commands) so `ncp-tracker --help` stays fast.
"""

from __future__ import annotations

import sys
from datetime import datetime

import click

from tracker.cli.support import (
    BAD_INPUT_EXIT,
    QueryCommand,
    ReaderCommand,
    TrackerError,
    check_item,
    chosen_lang,
    file_refused,
    lang_option,
    now_or,
    open_db,
    out_format,
    print_table,
    reader_lang,
    refused,
    say,
    say_crawl_log,
    say_if_not_current,
    say_untrusted,
    source_with_code,
    waiting_for_crawl,
    write_refused,
)

_filters = [
    click.option("--label", help="Only items with this label (e.g. apenhetsloven, oecd-iv)."),
    click.option("--source", help="Only this source."),
    click.option("--status", help="Only items of this status (open, closed, withdrawn, upcoming, unknown; also by the name the tables show)."),
    click.option("--from", "date_from", metavar="YYYY-MM-DD", help="Items dated (published, else first seen) on or after."),
    click.option("--to", "date_to", metavar="YYYY-MM-DD", help="Items dated on or before."),
    click.option("--owner", help="Only items this adviser owns (triage)."),
    click.option("--state", help="Only items in this triage state (new, watching, respond, …)."),
    click.option("--new-since", "new_since", metavar="WHEN",
                 help="Only items first seen after WHEN (ISO date or date and time; the digest's «Nytt»)."),
    click.option("--changed-since", "changed_since", metavar="WHEN",
                 help="Only items changed after WHEN and seen before it (the digest's «Endret»)."),
    click.option("--relevant-to", "relevant_to", metavar="PROFILE",
                 help="Only items in PROFILE's scope that its digest lists as relevant."),
    click.option("--not-relevant-to", "not_relevant_to", metavar="PROFILE",
                 help="Only items in PROFILE's scope that its digest does not list as relevant (what its notes count)."),
    click.option("--followed-by", "followed_by", metavar="PROFILE",
                 help="Only items in PROFILE's scope that are relevant to it or followed by an adviser (watching, "
                      "respond, assigned, drafting): those whose changes its digest lists."),
    click.option("--not-followed-by", "not_followed_by", metavar="PROFILE",
                 help="Only items in PROFILE's scope that are neither (what the note under «Endret» counts)."),
    click.option("--open-consultations", "open_consultations", is_flag=True,
                 help="Only open consultations whose deadline has not passed (as the digest's coming deadlines "
                      "count them, now)."),
]  # fmt: skip


def with_filters(fn):
    for option in reversed(_filters):
        fn = option(fn)
    return fn


def _make_filters(label, source, status, date_from, date_to, owner, state, new_since, changed_since,
                  relevant_to, not_relevant_to, followed_by, not_followed_by, open_consultations):
    """The options of `with_filters` as search filters (label, source and state checked here: a
    wrong one is named with its option)."""
    from tracker.cli.support import check_label, check_source, check_state, check_status
    from tracker.workbench.search import Filters

    label, source, state, status = check_label(label), check_source(source), check_state(state), check_status(status)
    return Filters(label=label, source=source, status=status, date_from=date_from, date_to=date_to,
                   owner=owner, state=state, new_since=new_since, changed_since=changed_since,
                   relevant_to=relevant_to, not_relevant_to=not_relevant_to, followed_by=followed_by,
                   not_followed_by=not_followed_by, open_consultations=open_consultations)


# ---------------------------------------------------------------------------- triage


@click.command(cls=ReaderCommand, empty_ok=("owner", "note", "internal_deadline"))  # '': none
@click.argument("item_id", metavar="ITEM")
@click.option("--state", help="New state: watching, not_relevant, respond, assigned, drafting, submitted, published.")
@click.option("--owner", help="The adviser who owns the answer.")
@click.option("--note", help="A note (plain text).")
@click.option("--deadline", "internal_deadline", metavar="YYYY-MM-DD", help="Internal deadline for the draft.")
@click.option("--by", help="Who makes the change (default: the OS user).")
@click.option("--label", "labels", multiple=True, metavar="+LABEL|-LABEL",
              help="Add (+) or remove (-) a label the tagger got wrong, in any spelling: +oecd-iv, '-Kap. V', "
                   "+åpenhetsloven (repeatable; calibration learns from it).")
@click.option("--history", "show_history", is_flag=True, help="Show the item's triage history.")
@click.option("--as-of", "as_of", help="Clock (ISO) of the change; default now (a --deadline before its day is refused).")
@lang_option
@click.pass_context
def triage(ctx, item_id, state, owner, note, internal_deadline, by, labels, show_history, as_of, lang) -> None:
    """Set an item's triage state, owner, note, internal deadline or label marks (every change is kept).

    What it prints is in the digest's language unless --lang; the states, topics and days by name,
    as the web shows them (--state takes the codes its line lists).
    Example: ncp-tracker triage regjeringen:3144080 --state respond --owner kari --label +oecd-iv
    """
    from tracker.digest.wording import day_off
    from tracker.i18n import Translator, format_date, format_datetime
    from tracker.store.db import write_transaction
    from tracker.vocabulary import TRIAGE_NAMES, code_of, label_name, triage_name, triage_note
    from tracker.workbench import triage as tri

    state = code_of(state, TRIAGE_NAMES) if state else state  # a state by its name too («tildelt»)
    _ = Translator(chosen_lang(ctx, lang))
    when = now_or(as_of, writes=True)  # a clock to come would let a day already passed through
    eves = False
    if internal_deadline is not None:
        # its day-off warning counts the days as the draft-due days are computed (urgency: the
        # default profile), read before anything is written, as `draft` reads its profile
        from tracker.attention.profiles import ProfileError, default_profile

        try:
            eves = default_profile().eves_are_working_days
        except ProfileError as exc:
            raise file_refused(exc, _.lang) from exc
    db = open_db(ctx, write=True)
    try:
        tri.parse_label_marks(labels)  # a bad mark stops before anything is written
        changes = state or owner is not None or note is not None or internal_deadline is not None
        marks = None
        if changes or labels:
            # state, owner, note, day and marks in one transaction, as the web saves a form: a
            # change that fails half-way leaves none of them written
            with write_transaction(db):
                before = tri.get(db, item_id)
                row = (tri.set_state(db, item_id, state, owner=owner, note=note,
                                     internal_deadline=internal_deadline, by=by, today=when.date(),
                                     at=when.isoformat() if as_of else None)
                       if changes else tri.get(db, check_item(db, item_id)))
                marked_before = tri.label_marks(db, item_id) if labels else None
                marks = (tri.mark_labels(db, item_id, labels, by=by, at=when.isoformat() if as_of else None)
                         if labels else None)
        else:
            row = tri.get(db, check_item(db, item_id))
        # a state, adviser or day asked for that the item had already: nothing written, said so (as
        # the web's «Ingen endring» and the marks' line below); a note is always kept
        kept = ("state", "owner", "internal_deadline")
        unchanged = bool(changes) and note is None and all(row[k] == before[k] for k in kept)
        if marks is not None:  # the item's marks, each topic by name as the web names it
            click.echo(f"{item_id}: " + _("topic marks: %(marks)s", marks=", ".join(
                f"{m}{label_name(label, _.lang)}" for label, m in marks.items()))
                + (" (" + _("nothing changed") + ")" if marks == marked_before else ""))
    except tri.TriageError as exc:  # the change asked for is refused: exit 2, as bad input
        raise refused(exc, _.lang, input_error=True) from exc
    if internal_deadline and (off := day_off(row["internal_deadline"], _.lang, eves_are_working_days=eves)):  # said
        say("warning", _("the draft is due on a day off: %(day)s (%(why)s)",
                         day=format_date(row["internal_deadline"], _.lang), why=off), _.lang)
    # the states by name, as inbox and the web name them; --state takes the codes after them
    moves = tri.allowed(row["state"])
    click.echo(f"{row['item_id']}: {triage_name(row['state'], _.lang)}"
               + (" (" + _("adviser %(owner)s", owner=row["owner"]) + ")" if row["owner"] else "")
               + (", " + _("draft due %(day)s", day=format_date(row["internal_deadline"], _.lang))
                  if row["internal_deadline"] else "")
               + " — " + (_("next: %(states)s (--state %(codes)s)",
                            states=", ".join(triage_name(m, _.lang) for m in moves), codes=", ".join(moves))
                          if moves else _("final status"))
               + (" (" + _("nothing changed") + ")" if unchanged else ""))
    if show_history:
        changes = tri.history(db, item_id)
        if not changes:
            click.echo(_("No follow-up changes yet."))
            return
        for change in changes:  # what else changed: the draft-by day, a label marked
            before, after = change["internal_deadline_before"], change["internal_deadline_after"]
            # «– → ons. 20.01.2027», with the arrow and dash the states' changes and the web write
            change["draft_by"] = (f"{format_date(before, _.lang) or '–'} → {format_date(after, _.lang) or '–'}"
                                  if before != after else None)
            mark = change["label_mark"]
            change["label"] = mark[:1] + label_name(mark[1:], _.lang) if mark else None
            if mark:  # a topic marked: no state changed (it read «tildelt  tildelt», as a move to itself)
                change["state_before"] = change["state_after"] = ""
            else:
                change["state_before"] = triage_name(change["state_before"], _.lang)
                change["state_after"] = triage_name(change["state_after"], _.lang)
            change["note"] = triage_note(change["note"], _.lang)  # the system's notes in the reader's language
            change["at_"] = format_datetime(change["at"], _.lang)  # Oslo time, as the item's page says it
        print_table(changes, ["at_", "by", "state_before", "state_after", "owner", "draft_by", "label", "note"],
                    widths={"note": 60, "label": 60},
                    headers={"at_": _("When"), "by": _("Who"), "state_before": _("From"), "state_after": _("To"),
                             "owner": _("Adviser"), "draft_by": _("Draft due"), "label": _("Topics"),
                             "note": _("Note")})


@click.command("close-unanswered", cls=ReaderCommand)
@click.option("--as-of", "as_of", help="Clock (ISO); default now.")
@lang_option
@click.pass_context
def close_unanswered(ctx, as_of, lang) -> None:
    """Mark items whose deadline passed while an answer was planned as closed_unanswered, and
    reopen those it closed whose deadline was extended since (as every run does).

    Example: ncp-tracker close-unanswered
    """
    from tracker.i18n import Translator
    from tracker.vocabulary import triage_name
    from tracker.workbench import triage as tri

    when = now_or(as_of, writes=True)  # a clock to come would close hearings for good
    db = open_db(ctx, write=True)
    _ = Translator(reader_lang(ctx))
    reopened = tri.reopen_extended(db, when)
    for item_id in reopened:  # the states by name, as inbox and the web name them
        click.echo(f"{item_id}: " + _("%(state)s (deadline extended)",
                                      state=triage_name(tri.get(db, item_id)["state"], _.lang)))
    moved = tri.close_unanswered(db, when)
    for item_id in moved:
        click.echo(f"{item_id}: {triage_name('closed_unanswered', _.lang)}")
    click.echo(_("%(closed)s closed unanswered, %(reopened)s reopened", closed=len(moved), reopened=len(reopened)),
               err=True)


@click.command(cls=ReaderCommand)
@click.option("--owner", help="Only this adviser's items.")
@lang_option
@click.option("--as-of", "as_of", help="Clock (ISO); default now.")
@click.pass_context
def inbox(ctx, owner, lang, as_of) -> None:
    """Consultations that need the NCP's input, most urgent first.

    Like the digest, it says first when its data cannot be taken as current (no crawl, no
    successful or recent one: exit 2) and which sources are failing or unchecked.
    In the digest's language unless --lang (Bokmål by default).
    Example: ncp-tracker inbox --owner kari
    """
    lang = chosen_lang(ctx, lang)
    db = open_db(ctx)
    now = now_or(as_of)
    from tracker.attention.urgency import rank_relevance
    from tracker.i18n import Translator, format_date, format_score
    from tracker.store.deadlines import oslo_date, to_datetime
    from tracker.vocabulary import triage_name, window_name
    from tracker.workbench.search import SearchError, check_owner
    from tracker.workbench.triage import inbox_rows
    from tracker.workbench.triage import owners as assigned_owners

    _ = Translator(lang)
    try:  # an adviser no item has ever had: refused (exit 2), as search and export refuse it
        check_owner(db, owner)
    except SearchError as exc:
        raise refused(exc, lang, input_error=True) from exc
    untrusted = say_untrusted(db, now, lang=lang)
    rows, announced = inbox_rows(db, now, owner)
    if not rows and owner:  # "(nothing)" read the same for a typo as for a free adviser
        owners = assigned_owners(db)  # a name items had once, none now
        if owners:
            click.echo(_("no consultation needs input for adviser %(owner)s (advisers with items: %(owners)s)",
                         owner=repr(owner), owners=", ".join(owners)))
        else:
            click.echo(_("no consultation needs input for adviser %(owner)s (no item is assigned to anyone)",
                         owner=repr(owner)))
        _print_announced(announced, now, lang)  # theirs once it opens
        if untrusted:
            ctx.exit(2)
        return
    for r in rows:  # the days as the digest writes them («tir. 24.11.2026»), not ISO
        r["due"] = format_date(r.get("draft_due"), lang) + (" !" if r.get("draft_overdue") else " " + _("today")
                                                             if r.get("draft_due_today") else "")
        r["days"] = r.get("working_days_to_next_due")  # as the week: to what is due first
        r["deadline_"] = format_date(r.get("deadline_day"), lang)
        if r.get("next_due_what") == "request_to_speak":  # why a hearing due next week is this week's
            ask = format_date(oslo_date(to_datetime(r["next_due"])), lang)  # its day as the deadline's
            r["deadline_"] += " (" + _("request to speak by %(when)s", when=ask) + ")"
        r["week"] = window_name(r["window"], lang).lower()  # the order: the next due time's week, then relevance
        # the NCP named as a consultee counts as 1.00
        r["rel"] = _("NCP") if r.get("ncp_consultee") else format_score(rank_relevance(r), lang)
        r["state_"] = triage_name(r.get("triage_state") or "new", lang)
    print_table(rows, ["week", "rel", "days", "deadline_", "due", "state_", "triage_owner", "id", "title"],
                widths={"title": 60, "deadline_": 60},  # a day to ask to take part beside it
                headers={"week": _("Week"), "rel": _("Relevance"), "days": _("Working days"),
                         "deadline_": _("Deadline"), "due": _("Draft due"), "state_": _("Follow-up"),
                         "triage_owner": _("Adviser"), "id": _("Id"), "title": _("Title")},
                empty=_("No open hearings need input."))
    if any(r.get("draft_overdue") for r in rows):  # what the mark after a draft-by day means
        click.echo(_("! the day the draft was due has passed"))
    _print_announced(announced, now, lang)
    if untrusted:
        ctx.exit(2)


def _print_announced(rows: list[dict], now: datetime, lang: str) -> None:
    """`inbox`'s second table: the consultations announced, not open yet, that will need input
    (`triage.inbox_rows`' second list, as the digest's «Varslet, ikke åpnet ennå»), by the day they open;
    nothing when there are none."""
    if not rows:
        return
    from tracker.digest.wording import opening_cell
    from tracker.i18n import Translator, format_date
    from tracker.store.deadlines import oslo_date
    from tracker.vocabulary import triage_name

    _ = Translator(lang)
    today = oslo_date(now)
    for r in rows:
        r["opens_"] = opening_cell(r.get("opens"), today, lang)
        r["deadline_"] = format_date(r.get("deadline_day"), lang)
        r["due"] = format_date(r.get("draft_due"), lang)
        r["state_"] = triage_name(r.get("triage_state") or "new", lang)
    click.echo()
    click.secho(f"{_('Announced, not open yet')} ({len(rows)})", bold=True)
    print_table(rows, ["opens_", "deadline_", "due", "state_", "triage_owner", "id", "title"],
                widths={"title": 60, "opens_": 60},
                headers={"opens_": _("Opens"), "deadline_": _("Deadline"), "due": _("Draft due"),
                         "state_": _("Follow-up"), "triage_owner": _("Adviser"), "id": _("Id"), "title": _("Title")})


# ---------------------------------------------------------------------------- search / export


@click.command(cls=QueryCommand)
@click.argument("words", nargs=-1, required=True, metavar="QUERY")
@with_filters
@click.option("--limit", type=click.IntRange(1, None), default=30, show_default=True)
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl"]), default="table", show_default=True)
@lang_option
@click.pass_context
def search(ctx, words, limit, fmt, lang, **filters) -> None:
    """Full-text search, best first. All words must match (stemmed: høringer finds høring; ASCII
    spellings: hoering finds høring).

    \b
    klima OR miljø        either word          miljø -klima   without klima (or: NOT klima)
    "due diligence"       the phrase           høring*        prefix
    NEAR(klima risiko, 5) words close together  (a OR b) c    grouping
    title:… summary:… body:…                   words in one field
    source:… label:… status:… kind:…           filters (label: any spelling, e.g. "OECD IV")
    kildestatus:Avbrutt                        the source's own status word

    Example: ncp-tracker search 'aapenhetsloven aktsomhet -"norsk rett"' --status open
    """
    import json

    from tracker.i18n import Translator, gettext
    from tracker.vocabulary import label_name, status_name, triage_name
    from tracker.workbench.search import (
        SearchError,
        SearchIndexMissing,
        plain_snippet,
        prefix_suggestion,
    )
    from tracker.workbench.search import search as run_search

    query = " ".join(words)  # `search åpenhetsloven -aktsomhet` as `search 'åpenhetsloven -aktsomhet'`
    db = open_db(ctx)
    try:
        made = _make_filters(**filters)  # checked once: the search, and the suggestion after an empty list
        rows = run_search(db, query, made, limit=limit + 1)  # one more: a cut list says so
    except SearchError as exc:  # a query or filter it cannot read: exit 2, as bad input (a missing index: 1)
        raise refused(exc, input_error=not isinstance(exc, SearchIndexMissing)) from exc
    lang = chosen_lang(ctx, lang)  # the labels by name, as the digest and the web name them
    say_if_not_current(db, lang)
    if len(rows) > limit:
        rows = rows[:limit]
        click.echo(gettext(lang, "the first %(num)s hits, best first: there are more (--limit N shows more; export "
                                 "--query gives them all)", num=limit), err=True)
    # «taksonomi» found nothing where «taksonomi*» finds «taksonomiforordningen»: said after the list
    widened = None if rows else prefix_suggestion(db, query, made)
    for r in rows:
        r["snippet"] = plain_snippet(r.get("snippet"))
        r["labels_"] = ",".join(r["labels"])
    if fmt == "jsonl":
        for r in rows:
            click.echo(json.dumps(r, ensure_ascii=False))
        _say_widened(widened, lang)
        return
    _ = Translator(lang)
    for r in rows:  # the status, the follow-up state and the labels by name, as the web names them
        r["labels_"] = ", ".join(label_name(code, lang) for code in r["labels"])
        r["status_"], r["state_"] = status_name(r["status"], lang), triage_name(r["triage_state"], lang)
    print_table(rows, ["id", "status_", "state_", "labels_", "title", "snippet"],
                widths={"title": 50, "snippet": 70, "labels_": 60},
                headers={"id": _("Id"), "status_": _("Status"), "state_": _("Follow-up"), "labels_": _("Topics"),
                         "title": _("Title"), "snippet": _("Excerpt")})
    _say_widened(widened, lang)


def _say_widened(widened: tuple[str, int] | None, lang: str) -> None:
    """On stderr, after an empty list: the query as prefixes and what it finds (`prefix_suggestion`)."""
    if widened:
        from tracker.i18n import ngettext

        click.echo(ngettext(lang, "no hits; «%(query)s» (words that begin with them, compounds too) finds %(num)s item",
                            "no hits; «%(query)s» (words that begin with them, compounds too) finds %(num)s items",
                            widened[1], query=widened[0], num=widened[1]), err=True)


@click.command(cls=ReaderCommand)
@click.option("--format", "fmt", type=click.Choice(["csv", "json", "xlsx"]),
              help="Default: the one the --out file's name ends in (.csv, .json, .xlsx), else csv.")
@click.option("--dialect", type=click.Choice(["excel-nb", "excel", "rfc4180"]), default=None,
              help="CSV for Norwegian Excel (; and BOM), for English Excel (, and BOM), or plain RFC 4180 "
                   "for programs (, no BOM, column keys, ISO dates). Default: Excel in the language of "
                   "--lang (excel-nb, or excel with --lang en).")
@lang_option
@click.option("--query", "query", help="Only items matching this search (same syntax as `search`).")
@with_filters
@click.option("--out", "out", type=click.Path(dir_okay=False),
              help="File to write: absolute, ~/… or relative to here (folders are created; required "
                   "for xlsx; default stdout).")
@click.pass_context
def export(ctx, fmt, dialect, lang, query, out, **filters) -> None:
    """Export items with labels, owner, triage state and deadlines as CSV, JSON or XLSX.

    Example: ncp-tracker export --format xlsx --status open --out ~/Dokumenter/apne-horinger.xlsx
    """
    from tracker.i18n import gettext, ngettext
    from tracker.workbench import export as ex
    from tracker.workbench.outputs import OutputError
    from tracker.workbench.search import SearchError, SearchIndexMissing

    lang = chosen_lang(ctx, lang)
    fmt = out_format(fmt, out, ex.EXTENSIONS, ex.DEFAULT_FORMAT, lang)  # «--out apne.xlsx» is a workbook
    db = open_db(ctx)
    try:
        data = ex.rows(db, _make_filters(**filters), query)
        if out:
            path = ex.write(data, fmt, out, dialect=dialect, lang=lang)
            say_if_not_current(db, lang)
            click.echo(ngettext(lang, "%(num)s item → %(path)s", "%(num)s items → %(path)s", len(data),
                                path=str(path)), err=True)
            return
    except SearchError as exc:  # a query or filter it cannot read: exit 2, as bad input (a missing index: 1)
        raise refused(exc, lang, input_error=not isinstance(exc, SearchIndexMissing)) from exc
    except OutputError as exc:  # an --out it cannot write: typed wrong (exit 2), or the system's refusal (1)
        raise file_refused(exc, lang) from exc
    except ValueError as exc:
        raise refused(exc, lang) from exc
    if fmt == "xlsx":  # options that cannot go together: exit 2, as bad input
        raise TrackerError(gettext(lang, "xlsx needs --out FILE"), lang, exit_code=BAD_INPUT_EXIT)
    text = ex.render(data, fmt, dialect=dialect, lang=lang)
    say_if_not_current(db, lang)
    sys.stdout.write(text)
    click.echo(ngettext(lang, "%(num)s item", "%(num)s items", len(data)), err=True)  # as with --out: an empty export says so


# ---------------------------------------------------------------------------- drafts


@click.command(cls=ReaderCommand)
@click.argument("item_id", metavar="ITEM")
@click.option("--out", "out_dir", default="data/drafts", show_default=True,
              help="Folder to write to: absolute, ~/… or relative to here (created if missing).")
@click.option("--no-comments", is_flag=True,
              help="The short answer: «Kontaktpunktet har ingen merknader» (no sections).")
@click.option("--force", is_flag=True, help="Overwrite the latest version instead of writing the next (-v2, -v3, …).")
@click.option("--by", help="Who drafts (default: the OS user).")
@click.option("--versions", "list_versions", is_flag=True, help="List the drafts written for ITEM; write nothing.")
@lang_option
@click.pass_context
def draft(ctx, item_id, out_dir, no_comments, force, by, list_versions, lang) -> None:
    """Write a response draft (.docx from the secretariat's template, and .md) for ITEM.

    A hearing gets a letter to the ministry, a Stortinget hearing a written input to the
    committee, an EU consultation the "Have your say" feedback form; other kinds (acts, procedures,
    news) are not consultations and have no draft. An existing draft is never
    overwritten: the next version (-v2, -v3, …) is written unless --force.
    Example: ncp-tracker draft regjeringen:3144080 --out ~/Dokumenter/horingssvar
    """
    from tracker.i18n import format_datetime, gettext
    from tracker.workbench import drafts

    lang = reader_lang(ctx)
    if list_versions:
        db = open_db(ctx)
        check_item(db, item_id)  # a mistyped id: exit 2, not «no drafts written for …»
        found = drafts.versions(db, item_id)
        for v in found:  # whole paths (a table would cut them); a web workbench draft is not versioned
            when = format_datetime(v.created_at, lang)  # Oslo time, as the rest of the CLI shows instants
            click.echo(f"{f'v{v.version}' if v.version else 'web'}\t{when}\t{v.created_by or ''}\t{v.docx_path}"
                       + ("" if v.exists else "\t" + gettext(lang, "(file missing)")))
        if not found:
            click.echo(gettext(lang, "no drafts written for %(item)s", item=item_id), err=True)
        return
    from tracker.attention.profiles import ProfileError, load_profile

    db = open_db(ctx, write=True)
    check_item(db, item_id)  # a mistyped id: exit 2, as bad input
    try:  # the profile its warnings are read by, before any file is written (not refused after)
        profile = load_profile("ncp")
    except ProfileError as exc:
        raise file_refused(exc, lang) from exc
    try:
        written = drafts.write(db, item_id, out_dir, by=by, no_comments=no_comments, force=force)
    except drafts.NotAConsultation as exc:  # an id the reader typed that has nothing to answer: bad input
        raise refused(exc, lang, input_error=True) from exc
    except drafts.DraftError as exc:  # an --out typed wrong, a broken template (exit 2); the system's refusal (1)
        raise file_refused(exc, lang) from exc
    # the banners of `inbox` when the store's data is old or missing — as warnings: the draft is
    # written from what the store holds and stands (exit 0)
    say_untrusted(db, now_or(None), lang=lang, profile=profile, warn_only=True)
    for caution in written.draft.cautions:  # in the reader's language (the document keeps the draft's)
        say("warning", caution.text(lang), lang)
    if written.overwritten:
        click.echo(gettext(lang, "overwrote version %(num)s (--force)", num=written.version), err=True)
    elif written.version > 1:
        click.echo(gettext(lang, "version %(num)s (earlier versions kept)", num=written.version), err=True)
    click.echo(str(written.docx))
    click.echo(str(written.md))


# ---------------------------------------------------------------------------- calibration


@click.command(cls=ReaderCommand)
@click.option("--dry-run", is_flag=True, help="Show what would change; write nothing.")
@click.option("--weights", "weights_path", type=click.Path(dir_okay=False),
              help="Weights file to write (default: weights.toml in the data directory, [tracker] data_dir).")
@lang_option
@click.pass_context
def calibrate(ctx, dry_run, weights_path, lang) -> None:
    """Refit the tagger's label weights and threshold from advisers' triage marks.

    not_relevant marks are negatives; watching/respond (and later stages) are positives.
    Prints what changed and precision/recall per label and per source, before and after, in the
    digest's language unless --lang (Bokmål by default).
    Example: ncp-tracker calibrate --dry-run
    """
    from tracker.workbench import calibration

    lang = chosen_lang(ctx, lang)
    db = open_db(ctx, write=True)
    try:
        result = calibration.run(db, dry_run=dry_run, weights_path=weights_path)
    except calibration.CalibrationError as exc:  # in the reader's words (vocabulary.COMMAND_REFUSALS)
        raise refused(exc, lang) from exc
    click.echo(calibration.format_report(result, lang))


# ---------------------------------------------------------------------------- answers


@click.command(cls=ReaderCommand)
@click.option("--replay", "replay_dir", type=click.Path(file_okay=False), help="Answer from a recorded day.")
@click.option("--as-of", "as_of", help="Clock (ISO); default now, or the recorded day.")
@click.option("--limit", default=25, show_default=True, type=click.IntRange(min=1),
              help="At most this many hearings per run.")
@click.option("--item", "item_id", help="Show the stored answers of this hearing instead of crawling.")
@click.argument("item_arg", required=False, metavar="[ITEM]")
@click.pass_context
def answers(ctx, replay_dir, as_of, limit, item_id, item_arg) -> None:
    """Fetch other actors' published answers to closed regjeringen.no hearings; exits 2 (red)
    when no answer list could be read (every one failed or was blocked). With ITEM (or --item),
    show the stored answers of that hearing instead.

    Example: ncp-tracker answers && ncp-tracker answers regjeringen:2477095
    """
    from tracker.i18n import Translator
    from tracker.workbench import answers as ans

    _ = Translator(reader_lang(ctx))
    if item_arg and item_id and item_arg != item_id:  # two hearings asked for: which one?
        raise TrackerError(_("give the hearing once: ITEM or --item, not both (%(a)s, %(b)s)", a=item_arg, b=item_id),
                           _.lang, exit_code=BAD_INPUT_EXIT)
    item_id = item_id or item_arg  # `answers regjeringen:3150100`, as `draft` and `documents show` take it
    if item_id:
        db = open_db(ctx)
        rows = ans.for_item(db, check_item(db, item_id))  # a mistyped id listed "(nothing)"
        if not rows:
            click.echo(_("no published answers stored for %(item)s (they are fetched for closed regjeringen.no "
                         "hearings by `ncp-tracker answers`)", item=item_id))
            return
        from tracker.i18n import format_date
        from tracker.vocabulary import responder_name

        # as the item's page lists them: who by kind, the day as the reader writes it, headed in the reader's words
        shown = [{**r, "type_": responder_name(r["responder_type"], _.lang) if r["responder_type"] else _("unknown"),
                  "date_": format_date(r["date"], _.lang)} for r in rows]
        print_table(shown, ["responder", "type_", "date_", "format", "url"], widths={"url": 90},
                    headers={"responder": _("From"), "type_": _("Type"), "date_": _("Date"), "format": _("Format"),
                             "url": _("Link")})
        return
    when = now_or(as_of, writes=True)
    if replay_dir and not as_of:
        from pathlib import Path

        from tracker.jobs.crawl import replay_as_of

        try:
            when = replay_as_of(Path(replay_dir))
        except ValueError as exc:  # as `run --replay` says it (vocabulary.COMMAND_REFUSALS)
            raise refused(exc) from exc
    from tracker.jobs.crawl import LogUnwritable
    from tracker.store.runlock import RunLocked

    try:
        row = ans.crawl(ctx.obj.get("db") if ctx.obj else None, as_of=when, replay_dir=replay_dir, limit=limit,
                        waiting=waiting_for_crawl(_.lang))  # whom it waits for, in the reader's words
    except LogUnwritable as exc:  # said before anything is crawled
        raise write_refused(exc.filename, exc.__cause__ or exc, _.lang) from exc
    except (ValueError, RunLocked) as exc:  # no contact for a live crawl, an unknown spider, a crawl running
        raise refused(exc) from exc
    from tracker.vocabulary import health_name, health_reason

    # as a crawl's health line says it: the source by its name (its code beside it), its status
    # and reason in the words of `health` and the digest
    # and how many lists were read, unless the reason says it («no answer list could be read (0 of 25 …)»)
    line = f"{source_with_code(ans.SPIDER, _.lang)}: {health_name(row['status'], _.lang)} — " \
           f"{health_reason(row['reason'], _.lang)}"
    if not (row["reason"] or "").startswith("no answer list could be read"):
        line += " " + _.n("(%(read)s of %(num)s hearing's answer list read)",
                          "(%(read)s of %(num)s hearings' answer lists read)", row["hearings_checked"],
                          read=row["hearings_read"])
    click.echo(line)
    say_crawl_log(row["log_path"], row["log_warnings"], row["log_errors"], _.lang)
    if row["status"] == "red":
        ctx.exit(2)
