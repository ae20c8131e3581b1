"""`ncp-tracker companies` and `ncp-tracker gpfg` (registered at the end of tracker/cli.py).

Only click is imported at import time; the database and the feature modules are
imported inside the commands, so `ncp-tracker --help` stays fast.
"""

from __future__ import annotations

import json

import click

from tracker.cli.support import (
    ReaderCommand,
    check_named,
    chosen_lang,
    echo_fitted,
    file_refused,
    lang_option,
    now_or,
    open_db,
    say_untrusted,
)


@click.command("companies", cls=ReaderCommand)
@click.argument("name", required=False)
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl"]), default="table", show_default=True)
@click.option("--refresh", is_flag=True, help="Re-extract company mentions first (a write; `run` does it after every crawl).")
@lang_option
@click.pass_context
def companies(ctx: click.Context, name: str | None, fmt: str, refresh: bool, lang: str | None) -> None:
    """Companies named in any item (GPFG decisions, hearings, regulator news), with those items.

    NAME filters by part of the company name (case and accents ignored). In the digest's language
    unless --lang; jsonl keeps its keys.
    Example: ncp-tracker companies caterpillar
    """
    from tracker.digest.text import shorten
    from tracker.i18n import Translator, format_date
    from tracker.links.companies import (
        ExceptionsFileError,
        close_names,
        list_companies,
        update_companies,
    )
    from tracker.vocabulary import identifier_name, source_name

    _ = Translator(chosen_lang(ctx, lang))

    db = open_db(ctx, write=refresh)
    try:
        if refresh:
            update_companies(db)
        rows = list_companies(db, name)
        close = close_names(db, name) if name and not rows else []  # a misspelt name: what it may have meant
    except ExceptionsFileError as exc:  # the list of names that are never companies: said with its file
        raise file_refused(exc, chosen_lang(ctx, lang)) from exc
    finally:
        db.close()
    if fmt == "jsonl":
        for row in rows:
            click.echo(json.dumps(row, ensure_ascii=False))
        return
    if not rows:
        click.echo(_("no company named %(name)s in any item", name=repr(name))
                   + (" " + _("(did you mean %(names)s?)", names=", ".join(map(repr, close))) if close else "")
                   if name else _("no companies found in any item"))
        return
    for row in rows:
        ids = "; ".join(f"{identifier_name(k, _.lang)}: {', '.join(v)}"  # «ISIN», not the key «isin»
                        for k, v in sorted(row["identifiers"].items()) if v)
        count = _.n("%(num)d item", "%(num)d items", row["n_items"])
        echo_fitted(f"{row['name']}" + (f"  [{ids}]" if ids else "") + f"  — {count}", 2, bold=True)
        for item in row["items"]:
            date = format_date(item["published"], _.lang) or _("(no date)")  # the day, as the digest writes it
            # the source by its name after the title, as the web's list says it («· Etikkrådet»; it
            # was a column of codes: «no_etikkradet»)
            echo_fitted(f"  {date:<15}  {shorten(item['title'], 90)} · {source_name(item['source'], _.lang)}", 19)
            click.echo(f"                   {item['url']}")


@click.command("gpfg", cls=ReaderCommand)
@click.option("--actor", help="Only this actor (Finansdepartementet, Etikkrådet, Norges Bank, Stortinget, Andre).")
@click.option("--stage", help="Only this stage (proposal, hearing, decision, white_paper, storting, other), or its name "
                              "as the output shows it (Stortingsmelding).")
@click.option("--by", type=click.Choice(["actor", "stage"]), default="actor", show_default=True,
              help="Group by actor (then stage) or by stage (then actor).")
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl"]), default="table", show_default=True)
@lang_option
@click.option("--as-of", "as_of", help="Clock (ISO); default now.")
@click.pass_context
def gpfg(ctx: click.Context, actor: str | None, stage: str | None, by: str, fmt: str, lang: str | None,
         as_of: str | None) -> None:
    """GPFG governance items by actor and stage (proposal → hearing → decision → white paper → Storting), newest first.

    Like the digest, it says first when its data cannot be taken as current (no crawl, no
    successful or recent one: exit 2) and which sources are failing or unchecked. In the
    digest's language unless --lang (Bokmål by default); jsonl keeps its keys and codes.
    Example: ncp-tracker gpfg --by stage
    """
    from tracker.i18n import Translator
    from tracker.links.gpfg import ACTORS, STAGES, gpfg_items
    from tracker.vocabulary import (
        GPFG_ACTOR_NAMES,
        GPFG_STAGE_NAMES,
        N_,
        gpfg_stage_name,
    )

    lang = chosen_lang(ctx, lang)
    _ = Translator(lang)
    if actor is not None:  # a mistyped actor matched nothing and was told to run the demo
        # any case, «Etikkradet», «Council on Ethics»
        actor = check_named(actor, GPFG_ACTOR_NAMES, ACTORS, N_("unknown actor %(name)s (valid: %(valid)s)"),
                            "--actor")
    if stage is not None:  # by its code or the name the output shows («Stortingsmelding»)
        stage = check_named(stage, GPFG_STAGE_NAMES, STAGES, N_("unknown stage %(name)s (valid: %(valid)s)"),
                            "--stage")
    db = open_db(ctx)
    try:
        untrusted = say_untrusted(db, now_or(as_of), lang=lang)
        items = gpfg_items(db, actor=actor, stage=stage, by=by)
    finally:
        db.close()
    stage_words = gpfg_stage_name(stage, lang).lower()  # as the GPFG page names it
    if fmt == "jsonl":
        for item in items:
            click.echo(json.dumps(item, ensure_ascii=False))
    elif not items and actor and stage:
        click.echo(_("no GPFG governance items of %(actor)s at stage %(stage)s", actor=actor, stage=stage_words))
    elif not items and actor:
        click.echo(_("no GPFG governance items of %(actor)s", actor=actor))
    elif not items and stage:
        click.echo(_("no GPFG governance items at stage %(stage)s", stage=stage_words))
    elif not items:
        click.echo(_("no GPFG governance items: run `ncp-tracker demo` or crawl the GPFG sources"))
    else:
        _print_gpfg(items, by, lang)
    if untrusted:
        ctx.exit(2)


def _print_gpfg(items: list[dict], by: str, lang: str) -> None:
    """The groups in the reader's words (the GPFG page's); an actor whose name is not its code as
    --actor names it too ("Ministry of Finance (Finansdepartementet)")."""
    from tracker.digest.text import shorten
    from tracker.i18n import Translator, format_date
    from tracker.links.gpfg import grouped
    from tracker.store.deadlines import deadline_day
    from tracker.vocabulary import gpfg_actor_name, gpfg_stage_name, status_name, with_code

    _ = Translator(lang)

    def actor(code: str) -> str:
        return with_code(gpfg_actor_name(code, lang), code)

    for outer, inner_groups in grouped(items, by):
        click.secho(gpfg_stage_name(outer, lang) if by == "stage" else actor(outer), bold=True)
        for inner, group in inner_groups:
            click.secho(f"  {gpfg_stage_name(inner, lang) if by == 'actor' else actor(inner)}", underline=True)
            for item in group:
                # the days as the digest writes them («tir. 24.11.2026»), not ISO
                date = format_date(item["published"], lang) or _("(no date)")
                # its deadline day as the digest's GPFG section says it (midnight sharp: the day before)
                extra = ("  " + _("deadline %(day)s", day=format_date(deadline_day(item["deadline"]), lang))
                         if item.get("deadline") else "")
                known = item.get("status") and item["status"] != "unknown"
                status = f" [{status_name(item['status'], lang)}]" if known else ""
                echo_fitted(f"    {date:<15}  {shorten(item['title'], 95)}{status}{extra}", 21)  # two spaces, as every column
                click.echo(f"                     {item['url']}")
                if item["related"]:
                    click.echo("                     " + _("related: %(ids)s", ids=", ".join(item["related"])))
