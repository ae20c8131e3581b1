"""`ncp-tracker backfill`: a source's history since a year, politely, resumable (tracker/jobs/backfill.py)."""

from __future__ import annotations

import sys

import click

from tracker.cli.support import (
    ReaderCommand,
    file_refused,
    now_or,
    open_db,
    reader_lang,
    refused,
    refused_value,
    say_crawl_log,
    waiting_for_crawl,
    write_refused,
)


@click.command(cls=ReaderCommand)
@click.option("--since", type=int, required=True, metavar="YEAR", help="Walk back to this year (e.g. 2015).")
@click.option("--source", "sources", multiple=True, metavar="NAME",
              help="Only these sources (repeatable). Default: every source with a backfill.")
@click.option("--replay", type=click.Path(file_okay=False),
              help="Replay a recorded history from DIR (a folder with <source>/manifest.json) instead of crawling live.")
@click.option("--as-of", "as_of", help="Clock of the backfill (ISO date/datetime); default now.")
@click.option("-s", "--set", "sets", multiple=True, metavar="NAME=VALUE",
              help="Scrapy setting (repeatable); beats the polite defaults, e.g. -s DOWNLOAD_DELAY=5.")
@click.option("--allow-red", is_flag=True, help="Exit 0 even when a unit is red.")
@click.option("--max-units", type=click.IntRange(min=1), metavar="N",
              help="Stop after N units (a slice of history a night); run again to go on.")
@click.option("--progress/--no-progress", default=None, help="Progress bar with ETA (default: when stderr is a terminal).")
@click.pass_context
def backfill(ctx, since, sources, replay, as_of, sets, allow_red, max_units, progress) -> None:
    """Fill the store with a source's history since YEAR, newest first, one unit (a Storting
    session, a listing page, a watched act, …) at a time. Stored like the daily run, but marked as
    backfill: no digest reports it as new. Each finished unit is checkpointed; run the same
    command again to resume.

    Polite by default: one request at a time per site, at least 3 s apart, AutoThrottle, robots.txt
    obeyed, the configured contact in the User-Agent (a live backfill without one does not start).
    Example: ncp-tracker backfill --since 2015 --source no_regjeringen_horinger
    """
    from tracker.config import ConfigError
    from tracker.jobs import backfill as job
    from tracker.jobs.crawl import parse_setting_pairs, tracker_settings
    from tracker.vocabulary import SOURCE_NAMES, code_of

    clock = now_or(as_of, writes=True)
    # a source by its code or its name as the tables show it («Høringer (regjeringen.no)»): the code;
    # one that names no source goes on as typed, to be refused with those that have a backfill
    sources = tuple(code_of(name, SOURCE_NAMES) for name in sources)
    if replay:
        from tracker.jobs.crawl import replay_folder

        try:  # a folder typed that is not there: bad input, said before anything runs (COMMAND_REFUSALS)
            replay_folder(replay)
        except FileNotFoundError as exc:
            raise refused(exc, input_error=True) from exc
    try:
        overrides = parse_setting_pairs(sets)
    except ValueError as exc:
        raise refused_value(exc, "-s/--set") from exc
    try:
        settings = job.polite_settings(tracker_settings(), overrides)
    except ConfigError as exc:  # in the reader's words (vocabulary.COMMAND_REFUSALS); exit 2
        raise file_refused(exc) from exc
    db = None
    try:
        # what was asked, before the store is opened: a refused backfill leaves no database behind
        job.check_request(since=since, sources=sources, today=clock.date(), replay_dir=replay)
        db = open_db(ctx, write=True, create=True)
        the_plan = job.plan(db, since=since, sources=sources, as_of=clock, replay_dir=replay)
    except ValueError as exc:  # in the reader's words (vocabulary.COMMAND_REFUSALS); a year or source typed: exit 2
        raise refused(exc, input_error=isinstance(exc, job.BackfillInputError)) from exc
    finally:
        if db is not None:
            db.close()
    # what it does, in the reader's language; the health of a unit by its name and reason, as `health` says them
    from tracker.i18n import Translator, format_number
    from tracker.vocabulary import health_name, health_reason

    _ = Translator(reader_lang(ctx))
    for source, unit in the_plan.done:
        click.echo(_("%(unit)s: done before (checkpoint)", unit=job.unit_text(source, unit, _.lang)), err=True)
    if not the_plan.steps:
        click.echo(_.n("backfill since %(year)s: nothing left to do (%(num)s unit checkpointed)",
                       "backfill since %(year)s: nothing left to do (%(num)s units checkpointed)", len(the_plan.done),
                       year=since))
        return
    # how many listing pages a walk still has is known once its first page is read (its page count,
    # the days a page covers): never «about 0» or «about 1» before that
    left = the_plan.pages_left.values()
    pages = (" " + _("(+ the listing pages, their number known once the first page is read)") if None in left
             else " " + _.n("(+ about %(num)s listing page to find)", "(+ about %(num)s listing pages to find)",
                            sum(left)) if sum(left) else "")
    # each count with its noun in the singular or plural («1 enhet», «2 enheter»)
    steps = _.n("%(num)s unit to crawl", "%(num)s units to crawl", len(the_plan.steps))
    per_site = int(settings.get("CONCURRENT_REQUESTS_PER_DOMAIN") or 0)
    requests = _.n("%(num)s request at a time per site", "%(num)s requests at a time per site", per_site)
    click.echo(_("backfill since %(year)s: %(steps)s%(pages)s, %(done)s checkpointed before; delay %(delay)s s, "
                 "%(requests)s", year=since, steps=steps, pages=pages, done=len(the_plan.done),
                 delay=format_number(settings.get("DOWNLOAD_DELAY") or 0, _.lang), requests=requests), err=True)
    red: list[str] = []

    def on_unit(result, ok: bool) -> None:
        h = result.health[0] if result.health else {}
        # the unit's health is said here (the digest shows the daily runs'): a warning's reason
        # too, not only a failure's
        reason = health_reason(h.get("reason", ""), _.lang)
        said = (" — " + _("NOT checkpointed (%(reason)s)", reason=reason) if not ok
                else f" — {reason}" if h.get("status") == "amber" else "")
        line = _("%(unit)s: %(status)s, items %(seen)s, new %(new)s", unit=job.step_text(result.step, _.lang),
                 status=health_name(h.get("status"), _.lang) or "?", seen=h.get("items_seen", 0),
                 new=h.get("items_new", 0)) + said
        click.echo(line, err=True)
        if not ok:
            red.append(job.step_text(result.step, _.lang))

    from tracker.jobs.crawl import LogUnwritable
    from tracker.store.runlock import RunLocked

    show = sys.stderr.isatty() if progress is None else progress
    try:
        results = job.run(ctx.obj["db"], the_plan, since=since, settings=settings, progress=show, on_unit=on_unit,
                          max_units=max_units, waiting=waiting_for_crawl(_.lang), lang=_.lang)  # in the reader's words
    except LogUnwritable as exc:  # said before anything is crawled
        raise write_refused(exc.filename, exc.__cause__ or exc, _.lang) from exc
    except (ValueError, FileNotFoundError, RunLocked) as exc:  # in the reader's words if known
        raise refused(exc) from exc
    if results:  # the crawl's own (English) log lines went to a file: where, and how many
        say_crawl_log(results[0].log_path, sum(r.log_warnings for r in results), sum(r.log_errors for r in results),
                      _.lang)
    stopped = max_units is not None and len(results) >= max_units
    # the plan grows as pages are found: units planned but not crawled mean the walk was stopped (Ctrl-C)
    interrupted = len(results) < len(the_plan.steps) or not all(r.finished for r in results)
    click.echo(_.n("backfill since %(year)s: %(done)s of %(num)s unit done",
                   "backfill since %(year)s: %(done)s of %(num)s units done", len(the_plan.steps), year=since,
                   done=len(results) - len(red))
               + ("; " + _("failing (run again to retry): %(units)s", units=", ".join(red)) if red else "")
               + ("; " + _("--max-units %(num)s reached (run again to go on)", num=max_units) if stopped else "")
               + ("; " + _.n("interrupted before %(num)s unit (run again to go on)",
                             "interrupted before %(num)s units (run again to go on)",
                             len(the_plan.steps) - len(results)) if interrupted else ""))
    if interrupted:
        ctx.exit(130)
    if red and not allow_red:
        ctx.exit(2)
