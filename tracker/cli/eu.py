"""`ncp-tracker watchlist`: the watched EU files with their stage, last event and Norwegian links.

Only click is imported at module level (the CLI's rule); the store, links and
watchlist modules are imported inside the command.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import click

from tracker.cli.support import (
    ReaderCommand,
    chosen_lang,
    echo_fitted,
    file_refused,
    lang_option,
    now_or,
    open_db,
    say_untrusted,
)
from tracker.store.deadlines import oslo_date
from tracker.vocabulary import eu_stage_name, event_name, source_name, watch_field_name

if TYPE_CHECKING:
    from crawlers.watchlist_file import WatchEntry


@click.command("watchlist", cls=ReaderCommand)
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl"]), default="table", show_default=True)
@click.option("--file", "path", type=click.Path(dir_okay=False),
              help="Watchlist file (default: the data directory's watchlist.toml, else the shipped one; env NCP_TRACKER_WATCHLIST).")
@click.pass_context
@click.option("--refresh", is_flag=True,
              help="Re-link items to the watched files first (a write; `run` does it after every crawl).")
@lang_option
@click.option("--as-of", "as_of", help="Clock (ISO); default now.")
def watchlist(ctx: click.Context, fmt: str, path: str | None, refresh: bool, lang: str | None,
              as_of: str | None) -> None:
    """List the watched EU files: CELEX, procedure, current stage, last event, Norwegian links.

    Like the digest, it says first when its data cannot be taken as current (no crawl, no
    successful or recent one: exit 2) and which sources are failing or unchecked. In the
    digest's language unless --lang (Bokmål by default); jsonl keeps its keys and codes.
    Example: ncp-tracker watchlist --format jsonl
    """
    from tracker.links.watchlist import WatchlistError, load

    lang = chosen_lang(ctx, lang)
    try:
        entries = load(path)
    except WatchlistError as exc:  # in the reader's words (vocabulary.COMMAND_REFUSALS)
        raise file_refused(exc, lang) from exc  # exit 2: what the reader wrote or named
    db = open_db(ctx, write=refresh)
    try:
        if refresh:
            from tracker.links.related import update_links

            update_links(db, entries=entries)
        untrusted = say_untrusted(db, now_or(as_of), lang=lang)
        rows = watchlist_rows(db, entries)
    finally:
        db.close()
    if fmt == "jsonl":
        for row in rows:
            click.echo(json.dumps(row, ensure_ascii=False))
    else:
        _print_watchlist(rows, {e.id: e for e in entries}, lang)
    if untrusted:
        ctx.exit(2)


def _print_watchlist(rows: list[dict], entries: dict[str, WatchEntry], lang: str) -> None:
    """Each watched file by its name and with its note in the reader's language (`entries` by id:
    WatchEntry.name_in, note_in)."""
    from tracker.i18n import Translator, format_date

    _ = Translator(lang)
    for row in rows:
        ids = " · ".join(x for x in (row["celex"] and f"CELEX {row['celex']}", row["procedure"], row["com"]) if x)
        entry = entries[row["id"]]
        click.secho(f"{entry.name_in(lang)} [{row['id']}]", bold=True)
        unverified = "  " + _("(unverified: %(fields)s)", fields=", ".join(
            watch_field_name(f, lang) for f in row["unverified"])) if row["unverified"] else ""
        echo_fitted("  " + (ids or _("(no CELEX, procedure or COM number yet)")) + unverified, 4)
        if note := entry.note_in(lang):
            echo_fitted("  " + _("note: %(note)s", note=note), 4)
        # OEIL's words by name, as `events` and the web say them («Behandlingen er avsluttet»)
        stage = eu_stage_name(row["stage"], lang) or (_("(not crawled yet)") if row["procedure"] else _("(no procedure)"))
        key_event = " " + _("(last key event %(day)s)", day=format_date(row["stage_date"], lang)) if row["stage_date"] else ""
        echo_fitted("  " + _("stage: %(stage)s", stage=stage) + key_event, 4)
        last = row["last_event"]
        if last:
            echo_fitted("  " + _("last event: %(day)s %(event)s: %(title)s", day=format_date(oslo_date(last["at"]), lang),
                                 event=event_name(last["kind"], lang), title=last["title"]), 4)
        else:
            click.echo("  " + _("last event: —"))
        if row["norwegian"]:
            for link in row["norwegian"][:5]:
                echo_fitted("  " + _("NO: %(title)s — %(source)s", title=link["title"],
                                     source=source_name(link["source"], lang)), 4)
            if len(row["norwegian"]) > 5:
                click.echo("  " + _("NO: … and %(num)d more", num=len(row["norwegian"]) - 5))
        else:
            click.echo("  " + _("NO: (no Norwegian item linked yet)"))


def watchlist_rows(db, entries) -> list[dict]:
    """One dict per watched file (reads only; links are refreshed by `run` or `watchlist --refresh`)."""
    from tracker.links.related import items_of_watch

    rows = []
    for entry in entries:
        stage = stage_date = None
        if entry.procedure:
            found = list(db.query("select extra from items where source = 'eu_oeil' and native_id = ?",
                                  [entry.procedure]))
            if found:
                extra = json.loads(found[0]["extra"] or "{}")
                stage = extra.get("stage")
                events = extra.get("key_events") or []
                stage_date = events[-1]["date"] if events else None
        members = items_of_watch(db, entry.id)
        ids = [m["id"] for m in members]
        last = None
        if ids:
            marks = ",".join("?" for _ in ids)
            last_rows = list(db.query(
                f"""select e.at, e.kind, e.field, i.title, i.source from events e join items i on i.id = e.item_id
                    where e.item_id in ({marks}) order by e.at desc, e.id desc limit 1""", ids))
            last = last_rows[0] if last_rows else None
        rows.append({
            "id": entry.id, "name": entry.name, "name_nb": entry.name_nb, "celex": entry.celex, "procedure": entry.procedure,
            "com": entry.com, "unverified": list(entry.unverified), "stage": stage, "stage_date": stage_date,
            "last_event": last, "items": len(members),
            "norwegian": [{"id": m["id"], "title": m["title"], "source": m["source"], "url": m["url"]}
                          for m in members if (m["source"] or "").startswith("no_")],
        })
    return rows
