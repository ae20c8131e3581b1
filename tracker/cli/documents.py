"""`ncp-tracker documents …`: fetch and read the documents items link to, show what was read,
list watched-provision hits, write a redline .docx."""

from __future__ import annotations

from pathlib import Path

import click

from tracker.cli.support import (
    BAD_INPUT_EXIT,
    ReaderGroup,
    TrackerError,
    check_item,
    chosen_lang,
    file_refused,
    lang_option,
    now_or,
    open_db,
    print_table,
    reader_lang,
    refused,
    say_crawl_log,
    waiting_for_crawl,
    write_refused,
)
from tracker.store.instants import stored


@click.group(cls=ReaderGroup)
def documents() -> None:
    """The documents items link to: høringsnotat, proposals, case documents.

    Example: ncp-tracker documents fetch && ncp-tracker documents show regjeringen:3150100
    """


@documents.command("fetch")
@click.option("--item", "item_ids", multiple=True, help="Only this item's documents (repeatable).")
@click.option("--replay", "replay_dir", type=click.Path(file_okay=False, exists=True),
              help="Answer from a recorded day (data/replay/<day>) instead of the network.")
@click.option("--as-of", help="The fetch's clock (ISO date or datetime; default now).")
@lang_option
@click.pass_context
def fetch(ctx: click.Context, item_ids: tuple[str, ...], replay_dir: str | None, as_of: str | None, lang: str | None) -> None:
    """Fetch the documents of live items not fetched yet (or changed since), then read them.

    Example: ncp-tracker documents fetch --item regjeringen:3150100
    """
    from tracker.documents import provisions as prov
    from tracker.documents.fetch import fetch_in_process, pending_links
    from tracker.documents.pipeline import db_file, read_and_match

    when = now_or(as_of, writes=True)
    try:  # the watched provisions, read before anything is fetched: a file it cannot read is said at once
        watched = prov.load()
    except prov.ProvisionError as exc:
        raise file_refused(exc) from exc
    db = open_db(ctx, write=True)
    try:
        for item_id in item_ids:  # a mistyped id was told «alle dokumentene til X nå: ingen», exit 0
            check_item(db, item_id)
        from tracker.documents.family import sync as sync_stages

        sync_stages(db, at=stored(when))  # EU files' stage documents
        links = pending_links(db, item_ids=list(item_ids) or None)
        path = db_file(db)
    finally:
        db.close()
    lost = {"store_failed": 0, "store_error": None}  # results the store could not keep
    if links:
        from tracker.jobs.crawl import LogUnwritable
        from tracker.store.runlock import RunLocked, exclusive_run

        try:  # a crawl of its own: one at a time per database, as `run` (tracker.store.runlock)
            with exclusive_run(path, wait=ctx.obj["config"].get("crawl", "lock_wait"),
                               waiting=waiting_for_crawl(reader_lang())):
                lost = fetch_in_process(path, links, as_of=when, replay_dir=replay_dir)
        except LogUnwritable as exc:  # said before anything is fetched
            raise write_refused(exc.filename, exc.__cause__ or exc, reader_lang(ctx)) from exc
        except (ValueError, RunLocked) as exc:  # in the reader's words (vocabulary.COMMAND_REFUSALS)
            raise refused(exc) from exc
    db = open_db(ctx, write=True)
    try:
        summary = read_and_match(db, at=stored(when), provisions=watched)
        # this run's links as this run left them (a result it could not store is not counted:
        # said below); then what was asked for as it stands — the items' documents with --item,
        # else the whole store's — each on its own line, named as such
        checked = {(link["item_id"], link["url"]) for link in links}
        ran = _states(db, "where checked_at = ?", [stored(when)], only=checked)
        asked = [(item_id, _states(db, "where item_id = ?", [item_id])) for item_id in dict.fromkeys(item_ids)]
        overall = {} if item_ids else _states(db)
    finally:
        db.close()
    lang = reader_lang(ctx)
    click.echo(fetched_text(len(links), ran, summary, lang))
    for item_id, counts in asked:
        click.echo(standing_text(counts, lang, item_id))
    if overall:  # a store without documents has nothing to add to «dokumenter: ingen»
        click.echo(standing_text(overall, lang))
    if lost.get("log_path"):  # its own (English) log lines went to the crawl's log: where, how many
        say_crawl_log(Path(lost["log_path"]), lost["log_warnings"], lost["log_errors"], lang)
    if lost["store_failed"]:  # what was stored is read above; the rest is retried next time
        from tracker.i18n import gettext

        lang = reader_lang(ctx)  # as the documents' health row says it (vocabulary.HEALTH_REASONS)
        raise TrackerError(gettext(lang, "%(failed)s of %(num)s documents could not be stored: %(error)s",
                                   failed=lost["store_failed"], num=len(links),
                                   error=lost["store_error"] or gettext(lang, "unknown error")), lang)


def _states(db, where: str = "", params: list | None = None, *,
            only: set[tuple[str, str]] | None = None) -> dict[str, int]:
    """The documents (`where`: of an item, of a run's clock) by their fetch state; `only`: those of
    these (item id, url) links."""
    if "documents" not in db.table_names():
        return {}
    counts: dict[str, int] = {}
    for row in db.query(f"select item_id, url, status from documents {where}", params or []):
        if only is None or (row["item_id"], row["url"]) in only:
            counts[row["status"]] = counts.get(row["status"], 0) + 1
    return counts


def _states_text(counts: dict[str, int], lang: str) -> str:
    """«81 kunne ikke hentes, 9 hentet»: each fetch state as the item's page names it
    (tracker.documents.view.FETCH_STATES); «ingen» for none."""
    from tracker.documents.view import FETCH_STATES
    from tracker.i18n import gettext

    return ", ".join(f"{n} {gettext(lang, FETCH_STATES[status]) if status in FETCH_STATES else status}"
                     for status, n in sorted(counts.items())) or gettext(lang, "none")


def fetched_text(checked: int, counts: dict[str, int], summary: dict, lang: str) -> str:
    """What a `documents fetch` did, in the reader's language: the links it checked, those links'
    documents by their fetch state (`counts`: this run's, never the store's), what was read, the
    new provision hits and the items they raised."""
    from tracker.i18n import Translator

    _ = Translator(lang)
    return "; ".join((
        _.n("%(num)s link checked", "%(num)s links checked", checked),
        _("documents: %(states)s", states=_states_text(counts, lang)),
        _("read %(read)s, scanned %(scanned)s, unreadable %(unreadable)s", read=summary["read"],
          scanned=summary["scanned"], unreadable=summary["unreadable"]),
        _.n("%(num)s new provision hit", "%(num)s new provision hits", summary["provision_hits"]),
        _.n("%(num)s item raised", "%(num)s items raised", summary["raised"]),
    ))


def standing_text(counts: dict[str, int], lang: str, item_id: str | None = None) -> str:
    """After what a fetch did, how the documents asked for stand now, labelled as such: those of
    `item_id` (its --item), else every document in the store."""
    from tracker.i18n import gettext

    states = _states_text(counts, lang)
    return (gettext(lang, "all documents of %(id)s now: %(states)s", id=item_id, states=states) if item_id
            else gettext(lang, "all documents in the database now: %(states)s", states=states))


@documents.command("show")
@click.argument("item_id")
@lang_option
@click.pass_context
def show(ctx: click.Context, item_id: str, lang: str | None) -> None:
    """An item's documents: fetch status, pages, and each section with its labels and page.

    Example: ncp-tracker documents show regjeringen:3150100
    """
    from tracker.documents.view import item_documents
    from tracker.i18n import Translator
    from tracker.vocabulary import label_name

    lang = chosen_lang(ctx, lang)
    _ = Translator(lang)
    db = open_db(ctx)
    try:
        check_item(db, item_id)  # a mistyped id was told to fetch documents
        docs = item_documents(db, item_id, lang=lang)  # its type and state in the reader's words
    finally:
        db.close()
    if not docs:
        raise TrackerError(_("no fetched documents for %(id)s (see `%(command)s`)", id=item_id,
                             command="ncp-tracker documents fetch"), lang)
    untyped = _("document")
    for d in docs:
        click.echo(f"{d['title']} [{d['type'] or untyped}] — {d['state']}")
        click.echo(f"  {d['url']}")
        # the sections as the item's page shows them: the topics by name, the introduction named; a
        # heading keeps its number («1 Innledning», «Article 8 …»), once (a «Nr.» column repeated it)
        sections = [{**s, "heading_": s["heading"] or _("(introduction)"),
                     "labels_": ", ".join(label_name(code, lang) for code in s["label_list"])}
                    for s in d["sections"]]
        print_table(sections, ["heading_", "page", "labels_"], {"heading_": 60, "labels_": 60},
                    headers={"heading_": _("Section"), "page": _("Page"), "labels_": _("Topics")})
        click.echo("")


@documents.command("provisions")
@click.option("--since-event", type=int, help="Only hits after this event id.")
@lang_option
@click.pass_context
def provisions(ctx: click.Context, since_event: int | None, lang: str | None) -> None:
    """Watched provisions found in documents (the watch list: provisions.toml).

    Example: ncp-tracker documents provisions --since-event 120
    """
    from tracker.documents.api import provision_hits
    from tracker.i18n import Translator

    _ = Translator(chosen_lang(ctx, lang))  # [digest] lang unless --lang, as every command that prints for people
    db = open_db(ctx)
    try:
        hits = provision_hits(db, since_event_id=since_event)
    finally:
        db.close()
    print_table([{"event": h.event_id, "line": h.line(_.lang), "item": h.item_id,
                  "section": h.section_number or ""} for h in hits],
                ["event", "line", "item", "section"], {"line": 80}, heading="line",
                headers={"event": _("Event"), "line": _("Hit"), "item": _("Item"), "section": _("Section")})


@documents.command("redline")
@click.argument("item_id")
@click.option("--out", "out_path", required=True, type=click.Path(dir_okay=False), help="The .docx to write.")
@click.option("--url", help="Which of the item's documents (default: the last one that changed).")
@lang_option
@click.pass_context
def redline(ctx: click.Context, item_id: str, out_path: str, url: str | None, lang: str | None) -> None:
    """Write the section-level changes between a document's last two versions as a .docx with
    tracked changes.

    Example: ncp-tracker documents redline regjeringen:3150100 --out endringer.docx
    """
    from tracker.documents import redline as rl
    from tracker.i18n import Translator
    from tracker.store.files import write_whole

    _ = Translator(chosen_lang(ctx, lang))  # what it says and the .docx it writes, as the item's page
    if Path(out_path).suffix.lower() != ".docx":  # «--out r.pdf» was a .docx under a name no PDF reader opens
        raise TrackerError(_("%(path)s: the changes are written as a Word document (.docx); end the file name in "
                             ".docx", path=out_path), _.lang, exit_code=BAD_INPUT_EXIT)
    db = open_db(ctx)
    try:
        check_item(db, item_id)
        changes = [c for c in rl.latest_change(db, item_id) if url is None or c["url"] == url]
        if not changes:
            raise TrackerError(_("No changed document for %(id)s at %(url)s.", id=item_id, url=url) if url
                               else _("No changed document for %(id)s.", id=item_id), _.lang)
        c = changes[0]
        sections = rl.compare(db, c["old"], c["new"])
    finally:
        db.close()
    data = rl.to_docx(_("%(title)s: changes", title=c["title"] or c["url"]), sections, lang=_.lang,
                      text_lang=c["language"])
    try:
        write_whole(Path(out_path), data)
    except OSError as exc:  # a file in its folder part said by name; exit 2 for a path typed wrong
        raise write_refused(out_path, exc, _.lang) from exc
    click.echo(_.n("wrote %(path)s: %(num)s changed section", "wrote %(path)s: %(num)s changed sections",
                   len(sections), path=out_path))
