"""`ncp-tracker horizon`: everything with a date ahead (the e-mails are digest profiles); `outcomes`; `action-plan`.

Only click is imported at import time (see tracker/cli/main.py).
"""

from __future__ import annotations

import json

import click

from tracker.cli.support import (
    ReaderCommand,
    check_label,
    chosen_lang,
    echo_fitted,
    file_refused,
    lang_option,
    now_or,
    open_db,
    say_untrusted,
)


@click.command("horizon", cls=ReaderCommand)
@click.option("--weeks", type=click.IntRange(1, 104), default=12, show_default=True, help="How far ahead.")
@click.option("--by", type=click.Choice(["week", "month"]), default="week", show_default=True, help="Group by week or month.")
@click.option("--all", "show_all", is_flag=True, help="Every dated item, not only what the NCP follows.")
@click.option("--profile", default="ncp", show_default=True, help="Digest profile deciding what the NCP follows.")
@click.option("--format", "fmt", type=click.Choice(["text", "jsonl"]), default="text", show_default=True)
@lang_option
@click.option("--as-of", "as_of", help="The day the horizon starts (ISO date/datetime); default now.")
@click.pass_context
def horizon(ctx: click.Context, weeks: int, by: str, show_all: bool, profile: str, fmt: str, lang: str,
            as_of: str | None) -> None:
    """Everything with a date ahead — hearing deadlines, Stortinget hearings, EU feedback windows and
    forecasts, application dates of watched acts — by week or by month, in the terminal.

    The two horizon e-mails are digest profiles: ncp-tracker digest --profile uka_som_kommer --send
    (Mondays) and --profile neste_tre_maneder --send (the 1st). Like the digest, it says first when
    its data cannot be taken as current (no crawl, no successful or recent one: exit 2) and which
    sources are failing or unchecked.

    Example: ncp-tracker horizon --weeks 12 --by month
    """
    from tracker.attention.horizon import grouped
    from tracker.attention.horizon import horizon as build
    from tracker.attention.profiles import ProfileError, load_profile
    from tracker.links.watchlist import WatchlistError
    from tracker.store.queries import last_event_id

    when = now_or(as_of)
    lang = chosen_lang(ctx, lang)  # the horizon mails are digests
    try:
        prof = load_profile(profile)
    except ProfileError as exc:  # in the reader's words, as `digest` says it; exit 2
        raise file_refused(exc, lang) from exc
    db = open_db(ctx)
    try:
        untrusted = say_untrusted(db, when, lang=lang, profile=prof)
        # the items as they stood at --as-of (a day back: that day's dates, not today's)
        entries = build(db, when, weeks=weeks, profile=prof, followed_only=not show_all,
                        upto=last_event_id(db, when), lang=lang)
    except WatchlistError as exc:  # the watched acts' dates: a file written wrongly, as `watchlist` says it
        raise file_refused(exc, lang) from exc
    finally:
        db.close()
    if fmt == "jsonl":
        for e in entries:
            click.echo(json.dumps(e.as_dict(lang), ensure_ascii=False))
    elif not entries:
        from tracker.i18n import gettext

        click.echo(gettext(lang, "no dates ahead") if show_all
                   else gettext(lang, "no dates ahead among what the NCP follows (try --all)"))
    else:
        from tracker.digest.text import shorten
        from tracker.i18n import format_date

        # the labels' column as wide as its longest label ("Frist for å be om å delta, Stortinget"
        # pushed the titles out of line at 30), and one more: the longest was one space from its title
        # («Frist for å be om å delta, Stortinget Komitéhøring: …»), where every column has two; a
        # title cut after a whole word, and « …» says so
        width = max(len(shorten(e.label(lang), 40)) for e in entries) + 1
        for label, group in grouped(entries, by, lang):
            click.secho(label, bold=True)
            for e in group:
                owner = f" ({e.owner})" if e.owner else ""
                # the day as the digest writes it («tir. 24.11.2026»), not ISO
                # in a narrow terminal the title goes on under itself (under the label where that
                # leaves it too little), the detail under the label
                echo_fitted(f"  {format_date(e.day, lang):<15}  {shorten(e.label(lang), 40):<{width}} "
                            f"{shorten(e.title, 100)}{owner}", 19 + width + 1, narrow=19)
                if e.detail:
                    echo_fitted(f"                   {e.detail}", 19)
    if untrusted:
        ctx.exit(2)


@click.command("outcomes", cls=ReaderCommand)
@click.option("--chapter", help="Only hearings with this label (oecd-iv, apenhetsloven, …).")
@click.option("--format", "fmt", type=click.Choice(["text", "jsonl"]), default="text", show_default=True)
@lang_option
@click.pass_context
def outcomes(ctx: click.Context, chapter: str | None, fmt: str, lang: str | None) -> None:
    """What became of the hearings the NCP answered: answer → Prop. → Innst. → act (in the
    digest's language unless --lang).

    Example: ncp-tracker outcomes --chapter apenhetsloven
    """
    from tracker.i18n import gettext
    from tracker.links.outcomes import outcome_chains

    lang = chosen_lang(ctx, lang)
    chapter = check_label(chapter, "--chapter")  # "oecd-xx" matched nothing; "Kap. IV" is oecd-iv
    db = open_db(ctx)
    try:
        chains = outcome_chains(db, chapter=chapter, lang=lang)
    finally:
        db.close()
    if fmt == "jsonl":
        for chain in chains:
            click.echo(json.dumps(chain, ensure_ascii=False))
        return
    if not chains:
        click.echo(gettext(lang, "no answered hearings labelled %(label)s (a hearing counts once its triage is "
                                 "submitted/published or the NCP's answer is found)", label=chapter) if chapter
                   else gettext(lang, "no answered hearings (a hearing counts once its triage is submitted/published "
                                      "or the NCP's answer is found)"))
        return
    for chain in chains:
        click.secho(chain["hearing"]["title"], bold=True)
        click.echo(f"  {chain['text']}")
        for step in chain["steps"]:
            if step.get("how") == "title":
                click.echo("  " + gettext(lang, "(%(step)s linked by title only: check it)", step=step["label"]))


@click.command("action-plan", cls=ReaderCommand)
@click.option("--format", "fmt", type=click.Choice(["text", "jsonl"]), default="text", show_default=True)
@lang_option
@click.option("--as-of", "as_of", help="Clock (ISO); default now.")
@click.pass_context
def action_plan(ctx: click.Context, fmt: str, lang: str | None, as_of: str | None) -> None:
    """Items about the national action plan on business and human rights, and about policy coherence.

    Like the digest, it says first when its data cannot be taken as current (no crawl, no
    successful or recent one: exit 2) and which sources are failing or unchecked.
    Example: ncp-tracker action-plan
    """
    from tracker.digest.text import shorten
    from tracker.i18n import format_date, gettext
    from tracker.links.action_plan import THEMES, grouped_items
    from tracker.store.deadlines import deadline_day

    lang = chosen_lang(ctx, lang)  # as `horizon`: read beside the digest
    db = open_db(ctx)
    try:
        untrusted = say_untrusted(db, now_or(as_of), lang=lang)
        groups = grouped_items(db)
    finally:
        db.close()
    for name, items in groups.items():
        if fmt == "jsonl":
            for item in items:
                click.echo(json.dumps({"theme": name, **item}, ensure_ascii=False))
            continue
        click.secho(f"{THEMES[name]['title'][lang]} ({len(items)})", bold=True)
        if not items:
            click.echo("  " + gettext(lang, "(no items found)"))
        for item in items:
            # the days as the digest writes them («tir. 24.11.2026»), not ISO
            when = format_date(item["published"], lang) or gettext(lang, "(no date)")
            # its deadline day as the digest says it (midnight sharp: the day before)
            deadline = ("  " + gettext(lang, "deadline %(day)s", day=format_date(deadline_day(item["deadline"]), lang))
                        if item["deadline"] else "")
            echo_fitted(f"  {when:<15}  {shorten(item['title'], 100)}{deadline}", 19)
            click.echo(f"                   {item['url']}")
    if untrusted:
        ctx.exit(2)
