"""`ncp-tracker digest`: the morning read in any format, to a file, stdout or by e-mail.

Only click is imported at module level (the command is registered in tracker/cli.py).
"""

from __future__ import annotations

import click

from tracker.cli.support import (
    BadInput,
    ReaderCommand,
    TrackerError,
    digest_profile,
    file_refused,
    open_db,
    out_format,
    parse_day,
    refused,
    remember_lang,
    say,
    write_refused,
)

FORMATS = ("md", "html", "txt", "eml", "atom", "ics")
#: formats that are "a digest" (recorded so the next day knows what was shown)
RECORDED = ("md", "html", "txt", "eml")


def _as_of(db, day_text: str | None, max_age_hours: float):
    """The digest's clock: the latest daily run on that day (a backfill is no morning's crawl), else
    now (today) or the end of that day. Without a day, the latest daily run's clock while it is
    recent (no more than `max_age_hours` ago), else now: a digest sent by cron after a morning whose
    crawl never ran is today's, red, not the last good day's passed off as today's."""
    from datetime import datetime, time

    from crawlers.dates import OSLO
    from tracker.store.deadlines import oslo_date, to_datetime
    from tracker.store.queries import DAILY_RUN_SQL

    runs = [to_datetime(r["as_of"]) for r in db.query(f"select as_of from runs r where as_of is not null and {DAILY_RUN_SQL}")]
    runs = [r for r in runs if r is not None]
    if not day_text:
        now = datetime.now(OSLO)
        latest = max(runs, default=None)
        return latest if latest is not None and (now - latest).total_seconds() <= max_age_hours * 3600 else now
    day = parse_day(day_text, "--date")
    same_day = [r for r in runs if oslo_date(r) == day]
    if same_day:
        return max(same_day)
    now = datetime.now(OSLO)
    if day == now.date():
        return now
    return datetime.combine(day, time(23, 59, 59), tzinfo=OSLO)


def _due_text(due: str, lang: str) -> str:
    """A profile's `due` as the reader reads it: 'on Mondays', 'on the 1st of the month', 'on
    weekdays', 'every day' in `lang`."""
    from tracker.i18n import gettext
    from tracker.vocabulary import N_

    texts = {
        "daily": N_("every day"), "weekdays": N_("on weekdays"), "first_of_month": N_("on the 1st of the month"),
        "monday": N_("on Mondays"), "tuesday": N_("on Tuesdays"), "wednesday": N_("on Wednesdays"),
        "thursday": N_("on Thursdays"), "friday": N_("on Fridays"), "saturday": N_("on Saturdays"),
        "sunday": N_("on Sundays"),
    }  # fmt: skip
    return gettext(lang, texts[due]) if due in texts else due


@click.command("digest", cls=ReaderCommand)
@click.option("--date", "day", metavar="YYYY-MM-DD",
              help="Day of the digest (default: the latest crawl's day; today, in red, when that crawl is "
                   "older than the profile's max_age_hours).")
@click.option("--profile", help="Profile from data/profiles.toml (ncp, gpfg, eu, …); default: [digest] profile (ncp).")
@click.option("--format", "fmt", type=click.Choice(FORMATS),
              help="Format; default: what the --out file's name ends in (.html, .txt, .eml, .ics, .atom), else md.")
@click.option("--out", "out", type=click.Path(dir_okay=False, allow_dash=True), help="Write to FILE (default: stdout).")
@click.option("--send", is_flag=True, help="E-mail the digest (text + HTML) over SMTP; recorded only once delivered.")
@click.option("--to", "to", multiple=True, metavar="ADDRESS",
              help="Recipient (repeatable, or several separated by commas); default: the profile's recipients.")
@click.option("--lang", type=click.Choice(["nb", "en"]), callback=remember_lang, is_eager=True,
              help="Language of the digest; default: [digest] lang (nb).")
@click.option("--allow-red", is_flag=True,
              help="Exit 0 and send even when the data is missing or out of date (the red banner stays).")
@click.option("--any-day", is_flag=True,
              help="Send even on a day the profile's mail is not due (its `due`: monday, first_of_month, …).")
@click.option("--again", is_flag=True,
              help="Send to recipients who already got this day's digest of the profile (not by default).")
@click.pass_context
def digest(ctx, day, profile, fmt, out, send, to, lang, allow_red, any_day, again) -> None:
    """The morning read: summary, needs input, new, changed, EU, GPFG, coming deadlines, source health.

    The digest is written even when its data is missing or out of date (no crawl, the latest
    successful crawl older than the profile's max_age_hours, or a day before the first crawl),
    with a red banner at the top; the command then exits 2 and --send sends nothing, unless
    --allow-red.

    A profile whose mail is due on some days only (`due` in profiles.toml: uka_som_kommer on
    Mondays, neste_tre_maneder on the 1st) is of today without --date (not of the latest crawl's
    day, so a missing crawl makes it red) and is sent by --send on its due days only: on another
    day it says so, sends nothing and exits 0, so one daily cron line per profile is enough
    (--any-day sends anyway). A digest is mailed once a day to each recipient: run again, it goes
    only to those it has not reached (--again sends it again).

    Example: ncp-tracker digest --format html --out today.html;
    ncp-tracker digest --profile uka_som_kommer --send
    """
    from datetime import datetime
    from pathlib import Path

    import tracker.digest as digest_mod
    from crawlers.dates import OSLO
    from tracker.digest import mailer
    from tracker.digest.output import FILE_ENDINGS
    from tracker.i18n import format_date, gettext
    from tracker.links.watchlist import WatchlistError
    from tracker.store.deadlines import oslo_date
    from tracker.store.files import write_whole

    config = ctx.obj["config"]
    lang = lang or config.get("digest", "lang")
    to = _recipients(to, lang)  # every one an address, before anything is built or sent
    fmt = out_format(fmt, out, FILE_ENDINGS, "md", lang)  # «--out i-dag.html» is a page, never Markdown
    workbench_url = config.get("web", "public_url")  # the items' pages in the workbench ("": none)
    prof = digest_profile(ctx, profile, lang)  # named or written wrongly: exit 2, as all bad input
    db = open_db(ctx, write=True)  # records the digest it writes or sends
    if fmt in ("atom", "ics") and not prof.has_feed:  # its mail's dates ahead are not the feed's items
        raise TrackerError(gettext(lang, "the %(profile)s profile has no --format %(format)s: it shows %(sections)s; the "
                                         "feed and the calendar hold what needs input, what is new and what changed "
                                         "(e.g. --profile ncp --format %(format)s), and its own dates are in md, html, "
                                         "txt or eml", profile=prof.name, format=fmt, sections=", ".join(prof.sections)),
                           lang)
    if day is None and prof.due != "daily":  # a scheduled mail is today's, and stale data is then red
        day = datetime.now(OSLO).date().isoformat()
    as_of = _as_of(db, day, prof.max_age_hours)
    if send and not any_day and not prof.is_due(oslo_date(as_of)):
        click.echo(gettext(lang, "%(profile)s is due %(due)s; %(day)s is not: nothing sent (--any-day sends it anyway)",
                           profile=prof.name, due=_due_text(prof.due, lang), day=format_date(oslo_date(as_of), lang)),
                   err=True)
        if not out:
            return
        send = False
    try:
        built = digest_mod.build_digest(db, as_of=as_of, profile=prof, lang=lang, workbench_url=workbench_url)
    except WatchlistError as exc:  # the horizon's watched acts: a file written wrongly, as `watchlist` says it
        raise file_refused(exc, lang) from exc

    if out or not send:
        data = digest_mod.render(db, fmt, as_of=as_of, profile=prof, lang=lang, digest=built,
                                 sender=mailer.default_sender(), recipients=list(to) or None,
                                 workbench_url=workbench_url)
        if not out or out == "-":
            click.echo(data, nl=False)
        else:
            path = Path(out)
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                write_whole(path, data)
            except OSError as exc:  # a file in its folder part said by name; exit 2 for a path typed wrong
                raise write_refused(path, exc, lang) from exc
            if fmt in RECORDED:
                digest_mod.record(db, built, fmt, str(path))
            click.echo(str(path), err=True)

    if built.is_red:
        for problem in built.problems:
            say("error", problem, lang)
        if not allow_red:
            if send:
                say("error", gettext(lang, "digest not sent (--allow-red to send it anyway)"), lang)
            ctx.exit(2)

    if send:
        from tracker.store.db import resolve_path
        from tracker.store.runlock import RunLocked, exclusive_send
        from tracker.vocabulary import lock_holder

        def waiting(holder: str) -> None:
            click.echo(gettext(lang, "waiting for another send of the %(profile)s digest to end (%(holder)s) …",
                               profile=prof.name, holder=lock_holder(holder, lang)), err=True)

        try:  # one send of a profile's digest at a time: who has it is read inside the lock
            with exclusive_send(resolve_path(ctx.obj["db"]), prof.name, wait=SEND_LOCK_WAIT, waiting=waiting):
                _send(db, built, prof.name, list(to) or list(prof.recipients), again, lang)
        except RunLocked as exc:  # in the reader's words (vocabulary.COMMAND_REFUSALS)
            raise refused(exc, lang) from exc


#: how long `digest --send` waits for another send of the same profile's digest, seconds
SEND_LOCK_WAIT = 600


def _recipients(values: tuple[str, ...], lang: str) -> list[str]:
    """The addresses of the --to options (each one address or several separated by commas); one
    that is not an address is refused, exit 2, nothing sent: «--to "a@b.c, d@e.f"» was sent to
    a@b.c alone and «--to "not an address"» to «not», both with exit 0."""
    from tracker.addresses import AddressError, recipients
    from tracker.i18n import ngettext

    try:
        return recipients(values)
    except AddressError as exc:
        raise BadInput(ngettext(lang, "not an e-mail address: %(values)s (name@example.org, or several separated by "
                                      "commas)",
                                "not e-mail addresses: %(values)s (name@example.org, or several separated by commas)",
                                len(exc.bad), values=", ".join(map(repr, exc.bad))), "--to", lang) from exc


def _send(db, built, profile: str, recipients: list[str], again: bool, lang: str) -> None:
    """Mail `built` to those of `recipients` who do not have this day's digest of `profile` yet
    (all with `again`), and record who got it — only once delivered."""
    from datetime import datetime

    import tracker.digest as digest_mod
    from crawlers.dates import OSLO
    from tracker.addresses import address_of
    from tracker.digest import mailer
    from tracker.i18n import gettext
    from tracker.vocabulary import refusal_text

    # a cron line run twice (a retry, a second run later that day) must not mail twice; after a
    # partly refused send, only those it did not reach get it
    done = set() if again else digest_mod.sent_to(db, profile, built.day)
    if skipped := [r for r in recipients if address_of(r).lower() in done]:
        recipients = [r for r in recipients if r not in skipped]
        click.echo(gettext(lang, "already sent this day's %(profile)s digest to %(recipients)s (--again sends it again)",
                           profile=profile, recipients=", ".join(skipped)), err=True)
        if not recipients:
            return
    try:
        settings = mailer.settings()
        message = digest_mod.render_email(built, sender=settings.sender, recipients=recipients,
                                          date_header=datetime.now(OSLO))
        accepted = mailer.send(message, settings)
    except mailer.MailError as exc:
        partial = getattr(exc, "accepted", None)
        if partial:
            digest_mod.record(db, built, "email", "mailto:" + ",".join(partial))
        raise TrackerError(gettext(lang, "digest not sent: %(error)s",
                                   error=refusal_text(str(exc), lang, command_line=True)), lang) from exc
    digest_mod.record(db, built, "email", "mailto:" + ",".join(accepted))
    click.echo(gettext(lang, "sent to %(recipients)s", recipients=", ".join(accepted)), err=True)
