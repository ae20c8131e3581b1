"""The house: `config` (effective settings and their origin), `init` (a starter configuration and
data directory), `migrate` (bring a database's schema up to date)."""

from __future__ import annotations

import json
from pathlib import Path

import click

from tracker.cli.support import (
    ReaderCommand,
    TrackerError,
    check_out_dir,
    digest_profile,
    lang_option,
    open_db,
    print_table,
    reader_lang,
)


@click.command("config", cls=ReaderCommand)
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl"]), default="table", show_default=True)
@lang_option
@click.pass_context
def config(ctx: click.Context, fmt: str, lang: str | None) -> None:
    """Print the effective configuration: every setting, its value and where it came from.

    Example: ncp-tracker --config /etc/ncp-tracker.toml config
    """
    from tracker.i18n import Translator

    cfg = ctx.obj["config"]
    # [digest] profile names a profile of the profiles file: checked there, as `digest` and `run` check it
    digest_profile(ctx, lang=reader_lang(ctx))
    rows = cfg.rows()
    if fmt == "jsonl":
        for row in rows:
            click.echo(json.dumps(row, ensure_ascii=False))
        return
    from tracker.config import SECRETS
    from tracker.vocabulary import config_origin

    _ = Translator(reader_lang(ctx))
    click.echo(_("configuration file: %(path)s", path=str(cfg.path)) if cfg.path
               else _("configuration file: (none: built-in defaults)"))
    # in the reader's words: the headers and where each setting came from (jsonl keeps its codes);
    # a long path shortened from the left, its file name and line whole (the line above has it all)
    # and whether a secret is set («(ikke satt)»: jsonl keeps «(not set)»)
    secret_values = {"(set)": _("(set)"), "(not set)": _("(not set)")}
    shown = [{**row, "value": secret_values[row["value"]] if row["setting"] in SECRETS else row["value"],
              "from_": left_cut(config_origin(row["from"], _.lang), ORIGIN_WIDTH)} for row in rows]
    print_table(shown, ["setting", "value", "from_"],
                widths={"value": 60, "from_": max(len(row["from_"]) for row in shown)},
                headers={"setting": _("Setting"), "value": _("Value"), "from_": _("From")})


#: the width of the `config` table's «Fra» column a long path is shortened to (`left_cut`)
ORIGIN_WIDTH = 50


def left_cut(text: str, width: int) -> str:
    """`text` (a path, perhaps with «, linje 2» after it) in at most `width` characters where it can
    be: its start replaced by «…» at a folder boundary, so the file name and what follows it stay
    whole («…/etc/ncp/c.toml, linje 2»); a file name longer than that whole, after «…/»."""
    if len(text) <= width:
        return text
    slashes = [i for i, char in enumerate(text) if char == "/"]
    if not slashes:
        return text
    for at in slashes:  # the longest tail that fits, starting at a "/"
        if len(text) - at + 1 <= width:
            return "…" + text[at:]
    return "…" + text[slashes[-1]:]


STARTER = """# ncp-tracker configuration (see `ncp-tracker config` for every setting and its origin).
# Secrets never go here: the SMTP password is read from $NCP_TRACKER_SMTP_PASSWORD only.

[tracker]
db = "{db}"
data_dir = "{data_dir}"

[crawl]
# required for live crawls: the address sites can write to about this crawler
contact = ""

[smtp]
host = ""          # the mail server `digest --send` uses
port = 587
starttls = true
from = "ncp-tracker <ncp-tracker@localhost>"

[web]
# the workbench's address as advisers open it (https://ncp.example.org): the digest, its
# calendar and feed link each item to its page there
public_url = ""

[digest]
profile = "ncp"
lang = "nb"
"""


@click.command("init", cls=ReaderCommand)
@click.argument("directory", type=click.Path(file_okay=False), default=".")
@click.option("--force", is_flag=True, help="Overwrite files that already exist.")
def init(directory: str, force: bool) -> None:
    """Write a starter ncp-tracker.toml and a data directory with editable copies of the shipped
    profiles, watchlist and company exceptions into DIRECTORY (default: here).

    Example: ncp-tracker init /srv/ncp-tracker
    """
    from tracker.i18n import gettext
    from tracker.resources import SHIPPED, shipped
    from tracker.store.files import write_whole
    from tracker.vocabulary import os_error

    lang = reader_lang()

    root = Path(directory).expanduser()
    data_dir = root / "data"
    check_out_dir(data_dir, lang)  # a file where DIRECTORY or its data folder would be: what was typed, exit 2
    check_out_dir(root, lang, option="DIRECTORY")  # «init ncp-tracker.toml»: a file's name, exit 2
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise TrackerError(gettext(lang, "cannot create the folder %(path)s: %(error)s", path=str(data_dir),
                                   error=os_error(exc, lang)), lang) from exc
    written, kept = [], []
    targets = {root / "ncp-tracker.toml": STARTER.format(db=(data_dir / "tracker.db").resolve(),
                                                          data_dir=data_dir.resolve()).encode("utf-8")}
    for name in SHIPPED:
        targets[data_dir / name] = shipped(name).read_bytes()  # bytes: the draft template is a .docx
    for path, data in targets.items():
        if path.exists() and not force:
            kept.append(path)
            continue
        try:
            write_whole(path, data)  # --force over an edited file: the old one stays if this fails
        except OSError as exc:
            raise TrackerError(gettext(lang, "cannot write %(path)s: %(error)s", path=str(path),
                                       error=os_error(exc, lang)), lang) from exc
        written.append(path)
    for path in written:
        click.echo(gettext(lang, "wrote %(path)s", path=str(path)))
    for path in kept:
        click.echo(gettext(lang, "kept %(path)s (it exists; --force overwrites it)", path=str(path)))
    command = f"cd {root} && ncp-tracker config"
    click.echo(gettext(lang, "next: %(command)s", command=command))


@click.command("migrate", cls=ReaderCommand)
@click.pass_context
def migrate(ctx: click.Context) -> None:
    """Bring the database's schema up to date (commands that write do this themselves).

    Example: ncp-tracker --db data/tracker.db migrate
    """
    from tracker.i18n import gettext

    open_db(ctx, write=True).close()  # refuses a database of a newer ncp-tracker (tracker.store.db)
    click.echo(gettext(reader_lang(ctx), "schema up to date: %(path)s", path=str(ctx.obj["db"])))
