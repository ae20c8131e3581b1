"""Pipeline commands: run, crawl, record, ingest, demo, health, items, events, tag, classify.

Heavy libraries (Scrapy, spaCy) are imported inside the commands that need them,
so `ncp-tracker --help` stays fast.
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import datetime
from pathlib import Path

import click

from tracker.cli.support import (
    BAD_INPUT_EXIT,
    ReaderCommand,
    TrackerError,
    bad_input,
    check_event_kind,
    check_item,
    check_kind,
    check_out_dir,
    check_source,
    check_status,
    chosen_lang,
    digest_profile,
    file_refused,
    lang_option,
    now_or,
    open_db,
    parse_as_of,
    past_as_of,
    print_table,
    reader_lang,
    refused,
    refused_value,
    say,
    say_crawl_log,
    say_if_not_current,
    say_untrusted,
    source_with_code,
    terminal_columns,
    waiting_for_crawl,
    whole_words,
    write_refused,
)
from tracker.i18n import format_date, gettext, ngettext
from tracker.store.instants import stored

# ---------------------------------------------------------------------------- crawling


def _spider_args(pairs: tuple[str, ...]) -> dict[str, str]:
    args = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.isidentifier():
            from tracker.vocabulary import N_

            raise bad_input(N_("expected NAME=VALUE, got %(value)s"), "--arg", value=repr(pair))
        args[key] = value
    return args


def _plan(replay: str | None, as_of: datetime | None, sources: tuple[str, ...], record: str | None,
          args: tuple[str, ...] = ()):
    from crawlers.dates import OSLO
    from tracker.attention.profiles import scheduled_sources
    from tracker.jobs.crawl import Step, replay_as_of, replay_days

    sources = tuple(check_source(name) for name in sources)  # by code or name: the codes from here on
    # the sources a run expects, live or replayed alike: those asked for, else every scheduled one
    expected = list(sources) or scheduled_sources()
    if replay:
        try:
            days = replay_days(replay)
        except FileNotFoundError as exc:  # the folder typed: bad input, in the reader's words (COMMAND_REFUSALS)
            raise refused(exc, input_error=True) from exc
        # a recorded day also holds what unscheduled spiders fetched (documents): not a source
        scheduled = set(scheduled_sources())
        steps = []
        for day in days:
            day_sources = sorted(p.parent.name for p in day.glob("*/manifest.json"))
            chosen = [s for s in expected if s in day_sources]
            if not chosen:  # crawling nothing would write an empty digest and exit 0
                lang = reader_lang()
                recorded = ", ".join(s for s in day_sources if s in scheduled) or gettext(lang, "none")
                asked = ", ".join(sources) if sources else gettext(lang, "any source")
                raise TrackerError(gettext(lang, "%(day)s: no recording of %(sources)s (recorded sources: %(recorded)s)",
                                           day=str(day), sources=asked, recorded=recorded), lang)
            try:
                clock = as_of or replay_as_of(day)
            except ValueError as exc:
                raise refused(exc) from exc
            # an expected source the day has no recording of is red that day (run_plan), as a
            # live source that did not run is, never quietly left at its last health
            steps.append(Step(chosen, clock, replay_dir=str(day), label=day.name,
                              spider_args=_spider_args(args),
                              unrecorded=[s for s in expected if s not in day_sources]))
        return steps
    now = as_of or datetime.now(OSLO)
    record_dir = str(Path(record) / now.date().isoformat()) if record else None
    return [Step(expected, now, record_dir=record_dir, label="live" if not record else "record",
                 spider_args=_spider_args(args))]


def _settings(pairs: tuple[str, ...], *, fresh: bool = False) -> dict:
    """The configuration's Scrapy settings, then --fresh, then the `-s NAME=VALUE` pairs."""
    from tracker.config import ConfigError
    from tracker.jobs.crawl import parse_setting_pairs, tracker_settings

    try:
        overrides = {**({"MIN_REFETCH_HOURS": 0} if fresh else {}), **parse_setting_pairs(pairs)}
        return tracker_settings(overrides)
    except ValueError as exc:
        raise refused_value(exc, "-s/--set") from exc
    except ConfigError as exc:  # in the reader's words (vocabulary.COMMAND_REFUSALS); exit 2
        raise file_refused(exc) from exc


def _crawl(ctx, plan, *, allow_red: bool, progress: bool, after_step: _AfterStep | None = None, fresh: bool = False,
           sets: tuple[str, ...] = (), allow_older: bool = False) -> list:
    from tracker.jobs.crawl import LogUnwritable, run_plan
    from tracker.store.runlock import RunLocked

    settings = _settings(sets, fresh=fresh)
    lang = reader_lang(ctx)
    try:
        results = run_plan(ctx.obj["db"], plan, after_step=after_step, progress=progress, settings=settings,
                           refuse_older=not allow_older, waiting=waiting_for_crawl(lang), lang=lang)
    except LogUnwritable as exc:  # said before anything is crawled
        raise write_refused(exc.filename, exc.__cause__ or exc, lang) from exc
    except (ValueError, FileNotFoundError, AfterCrawlFailed, RunLocked) as exc:  # in the reader's words if known
        raise refused(exc, lang) from exc
    from tracker.vocabulary import step_name

    for result in results:  # the step by name («direkte innhenting», «opptak», a replayed day's date)
        _print_health(result.health, lang,
                      title=step_name(result.step.label, lang) or format_date(result.step.as_of, lang))
        if after_step is not None and result.run_id in after_step.said:  # items tagged, under the day's table
            click.echo("  " + after_step.said[result.run_id], err=True)
        say_crawl_log(result.log_path, result.log_warnings, result.log_errors, lang)
    done = sum(r.finished for r in results)
    if done < len(plan):  # Ctrl-C: the reactor stopped before the plan's end
        say("error", ngettext(lang, "interrupted: %(done)s of %(num)s step finished (crawl, tagging, documents, "
                                    "digest); run again to go on",
                              "interrupted: %(done)s of %(num)s steps finished (crawl, tagging, documents, "
                              "digest); run again to go on", len(plan), done=done, num=len(plan)), lang)
        ctx.exit(130)
    red = sorted({s for r in results for s in r.red})
    if red and not allow_red:
        _say_red(red, lang)
        ctx.exit(2)
    return results


_source_opt = click.option("--source", "sources", multiple=True, metavar="NAME",
                           help="Only these sources (repeatable). Default: all.")
_arg_opt = click.option("--arg", "args", multiple=True, metavar="NAME=VALUE",
                        help="Spider argument (like scrapy crawl -a), e.g. feed_url=… (repeatable).")
_fresh_opt = click.option("--fresh", is_flag=True,
                          help="Download pages without ETag/Last-Modified again even if fetched in the last 12 hours.")
_set_opt = click.option("-s", "--set", "sets", multiple=True, metavar="NAME=VALUE",
                        help="Scrapy setting, as with scrapy crawl -s (repeatable), e.g. -s CONTACT=you@example.org.")
_allow_older_opt = click.option(
    "--allow-older", is_flag=True,
    help="Replay a day, or crawl live at an --as-of, older than the store's latest run (refused by default: "
         "it rolls the items back).")
_progress_opt = click.option("--progress/--no-progress", default=None,
                             help="Progress bars (default: when stderr is a terminal).")


@click.command(cls=ReaderCommand)
@click.option("--replay", type=click.Path(file_okay=False), help="Replay recorded day(s) from DIR instead of crawling live.")
@click.option("--as-of", "as_of", help="Clock of the run (ISO date/datetime); default now, or the recorded day.")
@_source_opt
@click.option("--allow-red", is_flag=True, help="Exit 0 even when a source is red.")
@_arg_opt
@click.option("--no-tag", is_flag=True, help="Skip tagging new and changed items.")
@click.option("--no-digest", is_flag=True, help="Skip writing the default profile's digest.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False),
              help="Where the digest is written (default: [digest] out_dir, data/digests).")
@_fresh_opt
@_set_opt
@_allow_older_opt
@_progress_opt
@lang_option
@click.pass_context
def run(ctx, replay, as_of, sources, allow_red, args, no_tag, no_digest, out_dir, fresh, sets, allow_older,
        progress, lang) -> None:
    """Crawl (live by default), store changes, tag, and write today's digest.

    Example: ncp-tracker run --replay data/replay/2026-11-24
    """
    plan = _plan(replay, past_as_of(as_of), sources, None, args)
    out_dir = out_dir or ctx.obj["config"].get("digest", "out_dir")
    if not no_digest:
        _check_digest_profile(ctx)
        check_out_dir(out_dir, reader_lang(ctx))  # a file in the way: said now, not after the crawl
    _check_watchlist(ctx)
    _check_lists(ctx)
    written: list[Path] = []
    after = _AfterStep(ctx, tag=not no_tag, digest_dir=None if no_digest else Path(out_dir), written=written)
    try:
        _crawl(ctx, plan, allow_red=allow_red, progress=_progress(progress), after_step=after, fresh=fresh,
               sets=sets, allow_older=allow_older)
    finally:  # where the digests went, also when a red source makes it exit 2 (as demo says it)
        _say_digests(written, reader_lang(ctx))


@click.command(cls=ReaderCommand)
@click.option("--replay", type=click.Path(file_okay=False), help="Replay recorded day(s) from DIR.")
@click.option("--as-of", "as_of", help="Clock of the run (ISO date/datetime).")
@_source_opt
@click.option("--allow-red", is_flag=True, help="Exit 0 even when a source is red.")
@_arg_opt
@_fresh_opt
@_set_opt
@_allow_older_opt
@_progress_opt
@lang_option
@click.pass_context
def crawl(ctx, replay, as_of, sources, allow_red, args, fresh, sets, allow_older, progress, lang) -> None:
    """Crawl and store changes only (no tagging, no digest).

    Example: ncp-tracker crawl --source no_stortinget_horinger
    """
    _crawl(ctx, _plan(replay, past_as_of(as_of), sources, None, args), allow_red=allow_red,
           progress=_progress(progress), fresh=fresh, sets=sets, allow_older=allow_older)


@click.command(cls=ReaderCommand)
@click.argument("directory", type=click.Path(file_okay=False))
@_source_opt
@click.option("--allow-red", is_flag=True, help="Exit 0 even when a source is red.")
@_arg_opt
@_set_opt
@_allow_older_opt
@_progress_opt
@click.pass_context
def record(ctx, directory, sources, allow_red, args, sets, allow_older, progress) -> None:
    """Crawl live and save every response under DIRECTORY/<date>/ in the replay format.

    What the spiders see is recorded, also pages the HTTP cache answered, so a warm cache still
    gives a complete recording.
    Example: ncp-tracker record data/records && ncp-tracker run --replay data/records/2026-11-25
    """
    check_out_dir(directory, reader_lang(ctx), option="DIRECTORY")  # said now, not after the crawl
    plan = _plan(None, None, sources, directory, args)
    results = _crawl(ctx, plan, allow_red=allow_red, progress=_progress(progress), sets=sets,
                     allow_older=allow_older)
    gaps = [gap for result in results for gap in result.recording_gaps()]
    if gaps:  # each source's gap in the reader's words (vocabulary.COMMAND_REFUSALS)
        from tracker.vocabulary import refusal_text

        lang = reader_lang(ctx)
        raise TrackerError("\n  ".join([gettext(lang, "the recording is incomplete and cannot be replayed:"),
                                         *(refusal_text(gap, lang, command_line=True) for gap in gaps)]), lang)
    click.echo(plan[0].record_dir)


@click.command(cls=ReaderCommand)
@click.argument("feed", type=click.Path(exists=True, dir_okay=False))
@click.option("--source", required=True, metavar="NAME", help="The spider that wrote FEED.")
@click.option("--as-of", "as_of", help="Clock of the crawl (ISO); default the one in FEED's crawl report.")
@click.option("--allow-red", is_flag=True, help="Exit 0 even when the source is red.")
@click.pass_context
def ingest(ctx, feed, source, as_of, allow_red) -> None:
    """Store the JSON Lines output of a plain Scrapy crawl (scrapy crawl NAME -O FEED, or a Scrapyd
    job's items) with the same change events and health as `crawl`.

    FEED must be one spider's complete output: its items and the crawl report that ends every
    finished crawl. A file that is empty, not such output, cut short, of another source, or older
    than the store's latest run of the source is refused and nothing is stored. An item's date
    that cannot be read is left out (a warning; the source is amber) and the item stored.
    Example: scrapy crawl no_regjeringen_horinger -O items.jsonl && ncp-tracker ingest items.jsonl --source no_regjeringen_horinger
    """
    from tracker.jobs.ingest import IngestError, check_feed, store_checked

    source = check_source(source)  # a FEED or --source typed wrong is bad input (exit 2), as click's own
    try:  # every check of the file before the database is opened (or created): a refused file changes nothing
        checked = check_feed(Path(feed), source=source, as_of=past_as_of(as_of))
    except IngestError as exc:  # what the crawl wrote is not a complete crawl: exit 1 (README), in the reader's words
        raise refused(exc) from exc
    db = open_db(ctx, create=True)
    try:
        row = store_checked(db, checked)
    except IngestError as exc:  # older than what the store holds: nothing stored
        raise refused(exc) from exc
    finally:
        db.close()
    lang = reader_lang(ctx)
    for warning in checked.warnings:  # what was left out of the stored items (the source is amber)
        say("warning", warning, lang)
    _print_health([row], lang, title=gettext(lang, "ingest %(file)s", file=Path(feed).name))
    if row["status"] == "red" and not allow_red:
        _say_red([source], lang)
        ctx.exit(2)


@click.command(cls=ReaderCommand)
@click.option("--replay", "replay_root", type=click.Path(file_okay=False),
              help="Folder of recorded days (default: the days bundled with the program, data/replay).")
@click.option("--out", "out_dir", type=click.Path(file_okay=False), default="data/demo-out",
              show_default=True, help="Where the digests are written.")
@click.option("--allow-red", is_flag=True, help="Exit 0 even when a source is red on a replayed day.")
@_progress_opt
@click.pass_context
def demo(ctx, replay_root, out_dir, allow_red, progress) -> None:
    """Replay every bundled day in order into data/demo.db (unless --db) and write the digests.

    Days already replayed into that database are skipped, so running it twice changes nothing.
    A red source on any day makes it exit 2 (the bundled days have none: a red one means a
    spider no longer reads its recorded page).
    Example: ncp-tracker demo
    """
    from tracker.jobs.crawl import bundled_days, replay_days

    given = replay_root is not None  # a folder typed (bad input) or the bundled days (the installation's)
    replay_root = replay_root or str(bundled_days())
    config = ctx.obj["config"]
    if config.origin["tracker"]["db"] == "default":  # no --db, $NCP_TRACKER_DB or config: its own file
        config.set("tracker", "db", "data/demo.db", "demo's default")
        ctx.obj["db"] = "data/demo.db"
    check_out_dir(out_dir, reader_lang(ctx))  # a file in the way: said now, not after the replay
    db = open_db(ctx, create=True)
    done = {r["replay_dir"] for r in db.query("select replay_dir from runs where replay_dir is not null"
                                              " and completed is not null")}
    try:
        days = replay_days(replay_root)
    except FileNotFoundError as exc:
        raise refused(exc, input_error=given) from exc
    plan = [s for s in _plan(replay_root, None, (), None) if s.replay_dir not in done]
    _check_demo_store(db, plan, ctx.obj["db"], reader_lang(ctx))
    db.close()
    _check_digest_profile(ctx)
    _check_watchlist(ctx)
    _check_lists(ctx)
    lang = reader_lang(ctx)
    for day in days:
        if str(day) in done:
            click.echo(gettext(lang, "%(day)s: already replayed into %(db)s, skipped", day=day.name, db=ctx.obj["db"]))
    written: list[Path] = []
    after = _AfterStep(ctx, tag=True, digest_dir=Path(out_dir), written=written)
    if plan:
        results = _crawl(ctx, plan, allow_red=True, progress=_progress(progress), after_step=after)
    else:
        db = open_db(ctx, write=True)
        as_of, label = _last_run(db)  # its digest, where the run that replayed it wrote it
        written.extend(_write_digests(ctx, db, as_of, Path(out_dir) / label))
        db.close()
    click.echo(gettext(lang, "database: %(path)s", path=ctx.obj["db"]))
    _say_digests(written, lang)
    red = sorted({f"{r.step.label}: {s}" for r in (results if plan else []) for s in r.red})
    if red and not allow_red:
        _say_red(red, lang)
        ctx.exit(2)


def _say_digests(paths: list[Path], lang: str) -> None:
    """Where `run` and `demo` wrote the digests, one line each («oversikt: …», the word for every profile's digest)."""
    for path in paths:
        click.echo(gettext(lang, "digest: %(path)s", path=str(path)))


def _last_run(db) -> tuple[datetime, str]:
    """The clock of the latest run and its digests' folder name (its replayed day, as
    `_AfterStep` names it)."""
    from crawlers.dates import OSLO
    from tracker.store.deadlines import to_datetime

    row = next(db.query("select as_of, replay_dir from runs order by as_of desc limit 1"), None)
    if not row or not row["as_of"]:
        return datetime.now(OSLO), "live"
    return to_datetime(row["as_of"]), Path(row["replay_dir"]).name if row["replay_dir"] else "live"


def _progress(flag: bool | None) -> bool:
    return sys.stderr.isatty() if flag is None else flag


class AfterCrawlFailed(Exception):
    """What follows a day's crawl (tagging, documents, links, the digest) failed; the crawl itself
    is stored. `_crawl` says so as a clear error instead of a traceback."""


class _AfterStep:
    """What follows each day's crawl in `run` and `demo` (tagging, documents, links, the digest), run
    by run_plan after the day's crawl; what it says of a day (how many items it tagged) is kept in
    `said` by the day's run id and printed under that day's health table (`_crawl`): printed at
    once, a two-day `demo` said both days' counts before either day's table."""

    def __init__(self, ctx: click.Context, *, tag: bool, digest_dir: Path | None, written: list | None = None):
        self.ctx, self.tag, self.digest_dir, self.written = ctx, tag, digest_dir, written
        self.said: dict[int, str] = {}

    def __call__(self, result) -> None:
        try:
            self._after(result)
        except Exception as exc:
            from tracker.vocabulary import step_name

            logging.getLogger(__name__).debug("after the crawl", exc_info=True)  # LOG_LEVEL=DEBUG
            lang = reader_lang(self.ctx)
            label = step_name(result.step.label, lang) or format_date(result.step.as_of, lang)
            cause = f"{type(exc).__name__}: {exc}"
            if self.digest_dir is not None:
                message = gettext(lang, "%(step)s: the crawl is stored, but what follows it failed (%(cause)s); no "
                                        "digest was written for it. Fix the cause, then run `ncp-tracker tag` and "
                                        "`ncp-tracker digest`", step=label, cause=cause)
            else:
                message = gettext(lang, "%(step)s: the crawl is stored, but what follows it failed (%(cause)s). Fix "
                                        "the cause, then run `ncp-tracker tag`", step=label, cause=cause)
            raise AfterCrawlFailed(message) from exc

    def _after(self, result) -> None:
        from tracker.jobs.daily import after_crawl

        db = open_db(self.ctx, write=True)
        try:
            summary = after_crawl(db, result.step.as_of, tag=self.tag)
            if row := summary["documents"].get("health"):  # printed and counted with the sources'
                result.health.append(row)
            if "tagging" in summary:
                self.said[result.run_id] = tagged_text(summary["tagging"], reader_lang(self.ctx))
            if self.digest_dir is not None:
                paths = _write_digests(self.ctx, db, result.step.as_of,
                                       self.digest_dir / (result.step.label or "live"))
                if self.written is not None:
                    self.written.extend(paths)
        finally:
            db.close()


def _check_demo_store(db, plan: list, path: str, lang: str) -> None:
    """`demo` into a database whose latest daily run is later than a day it would replay (the
    adviser's own store, chosen by --db, $NCP_TRACKER_DB or [tracker] db): refused before anything is
    written, as a crawl is (tracker.jobs.crawl.check_replay_order), but with the advice that fits
    `demo`, which has no --allow-older: a database of its own. Bad input, exit 2."""
    from tracker.i18n import format_datetime
    from tracker.store.queries import latest_daily_clock

    latest = latest_daily_clock(db)
    older = [step for step in plan if not step.backfill and latest is not None and step.as_of < latest]
    if older:
        raise TrackerError(gettext(
            lang, "the database %(db)s already holds a daily run at %(latest)s, later than the bundled day "
                  "%(day)s: replaying it there would roll its items back. The demo replays into a database of "
                  "its own: give another --db (without --db, $NCP_TRACKER_DB or [tracker] db it writes "
                  "data/demo.db)",
            db=path, latest=format_datetime(latest, lang), day=older[0].label), lang, exit_code=BAD_INPUT_EXIT)


def _check_digest_profile(ctx) -> None:
    """The profile the run's digest is written for ([digest] profile), read before anything is
    crawled: a profiles file written wrongly, or a profile that is not in it, is refused at once in
    the reader's words (exit 2, as `digest` refuses it), not found after the whole crawl as a failure
    of what follows it."""
    digest_profile(ctx, lang=reader_lang(ctx))


def _check_watchlist(ctx) -> None:
    """The watchlist of EU files, which the links after every crawl read (and the EU spiders and the
    horizon mails), read before anything is crawled: a file written wrongly, a folder or a file it
    cannot read is refused at once with its file and line, in the reader's words (exit 2, as
    `watchlist` refuses it; 1 when the system cannot read it), not met after the whole crawl as a
    failure of what follows it."""
    from tracker.links.watchlist import WatchlistError, load

    try:
        load()
    except WatchlistError as exc:
        raise file_refused(exc, reader_lang(ctx)) from exc


def _check_lists(ctx) -> None:
    """The lists the steps after every crawl read — the watched provisions (provisions.toml) and the
    names that are never companies (companies_exceptions.txt) — read before anything is crawled: a
    copy in the data directory that cannot be read or used (a folder, a link to nothing, a file the
    system may not read) is refused at once with its file, in the reader's words, not met after the
    whole crawl as a failure of what follows it."""
    from tracker.documents.provisions import ProvisionError
    from tracker.documents.provisions import load as load_provisions
    from tracker.links.companies import ExceptionsFileError, load_exceptions

    try:
        load_provisions()
        load_exceptions()
    except (ProvisionError, ExceptionsFileError) as exc:
        raise file_refused(exc, reader_lang(ctx)) from exc


def _write_digests(ctx, db, as_of: datetime, out_dir: Path) -> list[Path]:
    """The day's digest of the configured profile, in the configured language ([digest]), its
    items linked to the workbench ([web] public_url)."""
    from tracker.digest import write_for_run

    config = ctx.obj["config"]
    return write_for_run(db, as_of=as_of, out_dir=out_dir, profile=config.get("digest", "profile"),
                         lang=config.get("digest", "lang"), workbench_url=config.get("web", "public_url"))


# ---------------------------------------------------------------------------- reading


def _say_red(red: list[str], lang: str) -> None:
    """The red sources that make a crawl exit 2 (their health lines are above)."""
    say("error", gettext(lang, "source(s) red: %(sources)s (see health above; --allow-red to exit 0)",
                         sources=", ".join(red)), lang)


def _print_health(rows: list[dict], lang: str, title: str = "", width: int | None = None) -> None:
    """A crawl's health lines on stderr, in the reader's language: the source by its name (its code
    beside it), the status and an amber or red source's reason in the words of `health` and the
    digest (vocabulary.source_name, health_name, health_reason). In a terminal narrower than a line
    (`width`, default stderr's: `terminal_columns`) the counts go on the line under the name, and
    the reason on the lines under them, wrapped at the terminal's edge: the terminal broke them
    anywhere, their words under the table's columns; a word longer than a line (a link) whole."""
    from tracker.vocabulary import health_mark, health_name, health_reason

    width = width if width is not None else terminal_columns(err=True)
    click.echo(gettext(lang, "Source health") + (f" — {title}" if title else ""), err=True)
    names = {h["source"]: source_with_code(h["source"], lang) for h in rows}
    name_width = max(map(len, names.values()), default=0)
    # the status and the channel as wide as their longest and one more: «advarsel» filled its 8
    # («advarsel saker:»), «sparql» its 6 (one space from the reason), where every column has two
    status_width = max([8, *(len(health_name(h["status"], lang)) + 1 for h in rows)])
    channel_width = max([6, *(len(h["channel"] or "-") + 1 for h in rows)])
    words = {"items": gettext(lang, "items:"), "new": gettext(lang, "new:"), "changed": gettext(lang, "changed:"),
             "via": gettext(lang, "via:")}
    for h in rows:
        mark = health_mark(h["status"], lang)
        color = {"green": "green", "amber": "yellow", "red": "red"}.get(h["status"])
        # each count after its word and a colon: "items 100 new 98 changed 0" was read as
        # "100 new, 98 changed"; a green source's reason is those counts again (store.health.assess),
        # so only an amber or red one's reason follows them
        head = f"  [{mark:<4}] {names[h['source']]:<{name_width}}  {health_name(h['status'], lang):<{status_width}}"
        counts = (f"{words['items']} "
                  f"{h['items_seen']:>4}  {words['new']} {h['items_new']:>3}  {words['changed']} {h['items_changed']:>3}"
                  f"  {words['via']} {h['channel'] or '-':<{channel_width}}")
        line = f"{head} {counts}"
        if width and len(line.rstrip()) >= width:  # the counts under the name (the terminal broke the line)
            line = head.rstrip() + "\n" + " " * 9 + counts
        reason = "" if h["status"] == "green" else health_reason(h["reason"], lang)
        if reason and width and len(line.rsplit("\n", 1)[-1]) + 1 + len(reason) > width:  # under it, wrapped
            line = line.rstrip() + "\n" + "\n".join(whole_words(reason, max(width - 1, 30), first=" " * 9,
                                                                hang=" " * 9))
        elif reason:
            line = f"{line} {reason}"
        click.secho(line.rstrip(), fg=color, err=True, bold=h["status"] == "red")


def _health_style(row: dict) -> dict:
    """A source's row in a terminal as its health line after a crawl: red and bold when it failed,
    yellow with a warning (`_print_health`)."""
    return {"amber": {"fg": "yellow"}, "red": {"fg": "red", "bold": True}}.get(row["status"], {})


@click.command(cls=ReaderCommand)
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl"]), default="table", show_default=True)
@lang_option
@click.option("--as-of", "as_of", help="Clock (ISO); default now.")
@click.pass_context
def health(ctx, fmt, lang, as_of) -> None:
    """Latest health of every source (green/amber/red with the reason).

    Exits 2 when a source is red, and, with the digest's banners on stderr, when no crawl has run,
    none succeeded or the latest successful one is older than the digest allows (a daily job that
    stopped leaves every source green). The table and banners are in the digest's language unless
    --lang (Bokmål by default); jsonl keeps its keys and codes (green/amber/red).
    Example: ncp-tracker health --format jsonl
    """
    from tracker.digest.build import health as source_health
    from tracker.i18n import Translator, format_datetime
    from tracker.store.health import first_clock
    from tracker.store.instants import stored
    from tracker.vocabulary import health_name, health_reason, source_name

    lang = chosen_lang(ctx, lang)
    _ = Translator(lang)
    when = now_or(as_of)
    db = open_db(ctx)
    try:
        untrusted = say_untrusted(db, when, lang=lang)
        # as the digest lists them: failing sources first, each with the clock of the run that
        # checked it (`checked`: a replayed day's, where `finished` is the machine's) and `stale`
        rows, _stale = source_health(db, when)
        first = first_clock(db)
    finally:
        db.close()
    shown = []
    # a source not checked for 36 hours is marked in its row; when none was, the banner above says
    # it, naming each, and the mark in every row said it again
    marked = not all(row["stale"] for row in rows if not row.get("never_checked"))
    for row in rows:
        local = format_datetime(row["checked"], lang) if row["checked"] else ""  # as the digest writes it
        row["checked"] = stored(row["checked"]) if row["checked"] else None
        # the table's copies, in the reader's words and Oslo time (the health page's)
        stale = " (" + _("not checked for over 36 hours") + ")" if row["stale"] and marked else ""
        shown.append({**row, "name_": source_name(row["source"], lang), "status_": health_name(row["status"], lang),
                      "reason_": health_reason(row["reason"], lang), "checked_": local + stale})
    if fmt == "jsonl":
        for row in rows:
            click.echo(json.dumps(row, ensure_ascii=False))
    elif not rows and first is not None and first > when:  # every run's clock is later than this one: said above
        click.echo(_("no source health before %(clock)s, the first run's clock (see --as-of)",
                     clock=format_datetime(first, lang)))  # as the banner above says it
    elif not rows and first is not None:  # runs before it, none daily: a backfill's health is not the sources'
        click.echo(_("No daily crawl has run yet: the store holds backfill runs only (try %(command)s).",
                     command="`ncp-tracker run`"))
    elif not rows:
        click.echo(_("No crawl has run yet (try %(command)s).", command="`ncp-tracker demo`"))
    else:
        # the source by its name, as the digest and the web name it; its code beside it (--source, jsonl)
        print_table(shown, ["name_", "source", "status_", "channel", "items_seen", "items_new", "items_changed",
                            "parse_errors", "requests", "checked_", "reason_"],
                    widths={"checked_": 70, "name_": 45, "reason_": 400}, wrap="reason_",
                    headers={"name_": _("Source"), "source": _("Code"), "status_": _("Status"), "channel": _("Channel"),
                             "items_seen": _("Seen"), "items_new": _("New"), "items_changed": _("Changed"),
                             "parse_errors": _("Parse errors"), "requests": _("Requests"),
                             "checked_": _("Checked"), "reason_": _("Reason")},
                    style=_health_style)
    if untrusted or any(r["status"] == "red" for r in rows):
        ctx.exit(2)


ITEM_FIELDS = ["id", "source", "kind", "title", "url", "owner", "published", "deadline", "status",
               "first_seen", "last_seen", "last_changed", "language", "labels", "relevance", "relevant"]


@click.command(cls=ReaderCommand)
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl"]), default="table", show_default=True)
@click.option("--source", help="Only this source.")
@click.option("--kind", help="Only this kind (hearing, committee_hearing, …).")
@click.option("--status", help="Only items of this status (open, closed, withdrawn, upcoming, unknown; also by the name the tables show).")
@lang_option
@click.pass_context
def items(ctx, fmt, source, kind, status, lang) -> None:
    """List stored items (what it says in the digest's language unless --lang).

    Example: ncp-tracker items --format jsonl --status open
    """
    from tracker.i18n import Translator
    from tracker.store.queries import list_items
    from tracker.vocabulary import status_name

    source = check_source(source)  # by its code or its name, as the tables show it
    kind, status = check_kind(kind), check_status(status)  # by their names too («høring», «åpen»)
    _ = Translator(chosen_lang(ctx, lang))
    db = open_db(ctx)
    rows = list_items(db, source=source, kind=kind, status=status)
    say_if_not_current(db, _.lang)
    if fmt == "jsonl":
        # imported only here: its imports cost the table view ~0.1 s
        from tracker.links.related import related_map

        related = related_map(db)
        for row in rows:
            row["related"] = related.get(row["id"], [])
            click.echo(json.dumps(row, ensure_ascii=False))
    else:
        # in the reader's words, the status and the source by name as the web names them (--source takes
        # the name too), the deadline as the web and the digest write it (its day, its time when it
        # has one, Oslo time)
        from tracker.digest.wording import deadline_text
        from tracker.vocabulary import source_name

        shown = [{**row, "status_": status_name(row["status"], _.lang), "source_": source_name(row["source"], _.lang),
                  "deadline_": deadline_text(row, None, _.lang) if row.get("deadline") else ""} for row in rows]
        print_table(shown, ["id", "status_", "deadline_", "source_", "title"], widths={"title": 70, "source_": 45},
                    headers={"id": _("Id"), "status_": _("Status"), "deadline_": _("Deadline"), "source_": _("Source"),
                             "title": _("Title")})


@click.command(cls=ReaderCommand)
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl"]), default="table", show_default=True)
@click.option("--since", help="Only events at or after this ISO date/datetime.")
@click.option("--kind", "event_kind", help="Only this event kind (new, deadline_changed, …).")
@click.option("--item", "item_id", metavar="ITEM", help="Only this item's events: its history, oldest first.")
@click.option("--no-backfill", is_flag=True,
              help="Leave out what backfill runs found (history), as the digest does: this week's items and a "
                   "live consultation's changes that a backfill saw first are kept.")
@lang_option
@click.pass_context
def events(ctx, fmt, since, event_kind, item_id, no_backfill, lang) -> None:
    """List change events (item_id, at, kind, field, before, after; backfill: written by a backfill
    run). The table is in the digest's language unless --lang, kinds and fields by name; jsonl
    keeps its keys and codes.

    Example: ncp-tracker events --since 2026-11-24 --no-backfill --format jsonl;
    ncp-tracker events --item regjeringen:3150137
    """
    from tracker.digest.wording import event_values
    from tracker.i18n import Translator, format_datetime
    from tracker.store.queries import list_events
    from tracker.vocabulary import event_name, field_name

    event_kind = check_event_kind(event_kind)
    _ = Translator(chosen_lang(ctx, lang))
    db = open_db(ctx)
    if item_id is not None:
        check_item(db, item_id)  # a mistyped id: exit 2, not an empty history
    rows = list_events(db, since=stored(parse_as_of(since, "--since")) if since else None, kind=event_kind,
                       item_id=item_id, backfill=not no_backfill)
    say_if_not_current(db, _.lang)
    if fmt == "jsonl":
        for row in rows:
            click.echo(json.dumps(row, ensure_ascii=False))
    else:
        def cell(value):  # an `updated` event's fields by name ("tekst: …"), not a Python dict
            if isinstance(value, dict):
                return "; ".join(f"{field_name(k, _.lang)}: {v}" for k, v in value.items())
            return value

        def item_of(row: dict) -> dict | None:  # a changed document is named by the item's list of them
            if row["kind"] != "documents_changed":
                return None
            found = db.execute("select documents from items where id = ?", [row["item_id"]]).fetchone()
            return {"documents": found[0]} if found else None

        def values(row: dict) -> dict:  # a deadline, time, status, document … as the item's page says it
            said = event_values(row, _.lang, item_of(row))
            if said is None:
                return {"field_": field_name(row["field"], _.lang), "before": cell(row["before"]),
                        "after": cell(row["after"])}
            field, before, after = said
            return {"field_": field_name(field, _.lang), "before": before, "after": after}

        # as the item's page shows its changes: the kind and the field by name, what a backfill run
        # found marked in the page's words; jsonl keeps the codes
        found_later = _("found later, in the source's history")
        shown = [{**row, "at_": format_datetime(row["at"], _.lang),  # Oslo time, as the item's page says it
                  "kind_": event_name(row["kind"], _.lang), "backfill": found_later if row["backfill"] else "",
                  **values(row)} for row in rows]
        print_table(shown, ["at_", "kind_", "backfill", "item_id", "field_", "before", "after"],
                    widths={"before": 50, "after": 50},  # a document's title and type, the vanished sentence
                    headers={"at_": _("When"), "kind_": _("What"), "backfill": "", "item_id": _("Item"),
                             "field_": _("Field"), "before": _("Before"), "after": _("After")})


@click.command(cls=ReaderCommand)
@click.option("--all", "force", is_flag=True, help="Re-tag every item, not only new and changed ones.")
@lang_option
@click.pass_context
def tag(ctx, force, lang) -> None:
    """Tag new and changed items with OECD chapters, åpenhetsloven and GPFG labels.

    Example: ncp-tracker tag --all
    """
    from tracker.jobs.tagging import tag_store

    db = open_db(ctx, write=True)
    try:
        counts = tag_store(db, force=force)
    except ValueError as exc:  # a weights file that cannot be read (what was tagged is kept)
        raise refused(exc) from exc
    finally:
        db.close()
    click.echo(tagged_text(counts, reader_lang(ctx)))


def tagged_text(counts: dict, lang: str) -> str:
    """What a tagging did (`tag`, and `run` after each crawl), in the reader's language."""
    return ngettext(lang, "tagged %(num)s item (%(relevant)s relevant)", "tagged %(num)s items (%(relevant)s relevant)",
                    counts["tagged"], relevant=counts["relevant"])


@click.command(cls=ReaderCommand)
@click.argument("source", type=click.File("rb"), default="-")
@lang_option
@click.pass_context
def classify(ctx, source, lang) -> None:
    """Classify JSON Lines (id, title, summary/description, text, language, source) to JSON Lines.

    A broken line (not UTF-8, not JSON, with none of the text keys, or a text key that is not a
    string) is reported on stderr with its line number; the rest is still classified. Exit 1 when a line was skipped or there was no record.
    Example: echo '{"id": "1", "title": "Høring om åpenhetsloven"}' | ncp-tracker classify
    """
    from nlp.classify import classify_command
    from tracker.vocabulary import classify_problem

    lang = reader_lang(ctx)
    ctx.exit(classify_command(source, sys.stdout, sys.stderr, words=lambda text: classify_problem(text, lang)))
