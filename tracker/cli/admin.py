"""Running the workbench for a team: accounts (`users`), the production server (`serve`),
`backup` and `restore`.

Registered on the main group in tracker/cli/main.py. Only click is imported at module level.
"""

from __future__ import annotations

import sys

import click

from tracker.cli.support import (
    BAD_INPUT_EXIT,
    ReaderCommand,
    ReaderGroup,
    TrackerError,
    confirm,
    lang_option,
    open_db,
    print_table,
    reader_lang,
    refused,
    say,
)
from tracker.config import PORTS
from tracker.store.deadlines import oslo_date


def _db_path(ctx: click.Context) -> str:
    from tracker.store.db import resolve_path

    return str(resolve_path((ctx.obj or {}).get("db")))


def _read_password(from_stdin: bool) -> str:
    """A new password: one line from stdin (scripts), else asked twice without echo."""
    from tracker.i18n import gettext

    lang = reader_lang()
    if from_stdin:
        line = sys.stdin.readline()
        if not line:  # what the command was given: bad input, exit 2
            raise TrackerError(gettext(lang, "--password-stdin: no password on standard input"), lang,
                               exit_code=BAD_INPUT_EXIT)
        return line.rstrip("\r\n")
    while True:  # click's own confirmation said «Error: The two entered values do not match.» in English
        password = click.prompt(gettext(lang, "Password"), hide_input=True)
        if click.prompt(gettext(lang, "Repeat the password"), hide_input=True) == password:
            return password
        say("error", gettext(lang, "the two passwords differ; type them again"), lang)


def _account_refused(exc: Exception) -> TrackerError:
    """An AccountError (a name or password that cannot be used, a name taken or unknown): what the
    reader typed, refused in the reader's words, exit 2 as every bad input."""
    return refused(exc, input_error=True)


def _said(user: dict, what: str) -> None:
    """What a `users` command did to `user` («kari: lagt til (administrator)»), in the reader's words."""
    from tracker.i18n import gettext
    from tracker.vocabulary import N_, role_name

    msgid = {"added": N_("%(name)s: added (%(role)s)"), "disabled": N_("%(name)s: disabled"),
             "active": N_("%(name)s: active"), "new password": N_("%(name)s: new password (%(role)s)")}[what]
    lang = reader_lang()
    click.echo(gettext(lang, msgid, name=user["name"], role=role_name(user["role"], lang)))


# ---------------------------------------------------------------------------- users


@click.group(cls=ReaderGroup)
def users() -> None:
    """Workbench accounts: add, list, disable, enable, reset-password.

    Roles: reader (sees), adviser (triages and drafts), admin (also manages accounts).
    Example: ncp-tracker users add kari --role admin
    """


@users.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice(["reader", "adviser", "admin"]), default="adviser", show_default=True)
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input (one line).")
@lang_option
@click.pass_context
def users_add(ctx, name, role, password_stdin, lang) -> None:
    """Add an account (the password is asked for, never given on the command line)."""
    from tracker.workbench import accounts

    db = open_db(ctx, write=True)
    try:
        accounts.check_name(name)
        accounts.check_free(db, name)  # before the password is asked for
        user = accounts.add_user(db, name, _read_password(password_stdin), role)
    except accounts.AccountError as exc:
        raise _account_refused(exc) from exc
    finally:  # closed now, not whenever the collector gets to it (its WAL checkpointed then)
        db.close()
    _said(user, "added")


@users.command("list")
@lang_option
@click.pass_context
def users_list(ctx, lang) -> None:
    """Every account with its role and whether it is active."""
    import sqlite3
    from pathlib import Path

    import sqlite_utils

    from tracker.store.db import StoreError, check_not_newer, no_database
    from tracker.workbench import accounts

    path = Path(_db_path(ctx))
    if not path.is_file():
        raise refused(no_database(path))
    try:  # a read command opens the file read-only: no migration, no WAL switch, nothing written
        db = sqlite_utils.Database(sqlite3.connect(f"file:{path}?mode=ro", uri=True))
        check_not_newer(db.conn, path)  # refused as every read command refuses it (tracker.store.db)
        rows = accounts.list_users(db)
    except StoreError as exc:
        raise refused(exc) from exc
    except sqlite3.DatabaseError as exc:
        raise refused(f"cannot open database {path}: {exc}") from exc  # SQLite's words in the reader's
    from tracker.i18n import Translator, format_date
    from tracker.vocabulary import role_name

    _ = Translator(reader_lang())
    for r in rows:  # as the web's account list says it (admin_users.html)
        r["role_"] = role_name(r["role"], _.lang)
        r["status"] = _("disabled") if r["disabled"] else _("active")
        r["feed"] = _("yes") if r["has_feed_token"] else ""
        r["created"] = format_date(oslo_date(r["created_at"]), _.lang) if r.get("created_at") else ""
    if not rows:
        click.echo(_("(no accounts: the workbench serves one person on 127.0.0.1 only)"))
        return
    print_table(rows, ["name", "role_", "status", "feed", "created"],
                headers={"name": _("Name"), "role_": _("Role"), "status": _("Status"), "feed": _("Feed"),
                         "created": _("Created")})


def _change(ctx, name: str, action) -> dict:
    from tracker.workbench import accounts

    db = open_db(ctx, write=True)
    try:
        return action(db, name)
    except accounts.AccountError as exc:
        raise _account_refused(exc) from exc
    finally:
        db.close()


@users.command("disable")
@click.argument("name")
@lang_option
@click.pass_context
def users_disable(ctx, name, lang) -> None:
    """Disable an account: its sessions and its calendar/feed addresses stop working at once."""
    from tracker.workbench import accounts

    user = _change(ctx, name, accounts.disable)
    _said(user, "disabled")


@users.command("enable")
@click.argument("name")
@lang_option
@click.pass_context
def users_enable(ctx, name, lang) -> None:
    """Enable a disabled account again."""
    from tracker.workbench import accounts

    user = _change(ctx, name, accounts.enable)
    _said(user, "active")


@users.command("reset-password")
@click.argument("name")
@click.option("--role", type=click.Choice(["reader", "adviser", "admin"]), help="Also change the role.")
@click.option("--password-stdin", is_flag=True, help="Read the new password from standard input (one line).")
@lang_option
@click.pass_context
def users_reset_password(ctx, name, role, password_stdin, lang) -> None:
    """Set a new password (every session of the account ends)."""
    from tracker.workbench import accounts

    db = open_db(ctx, write=True)
    try:
        accounts.require(db, name)  # before the password is asked for
        user = accounts.reset_password(db, name, _read_password(password_stdin))
        if role:
            user = accounts.set_role(db, name, role)
    except accounts.AccountError as exc:
        raise _account_refused(exc) from exc
    finally:
        db.close()
    _said(user, "new password")


# ---------------------------------------------------------------------------- serve


@click.command(cls=ReaderCommand)
@click.option("--host", help="Address to listen on (default [web] host: 127.0.0.1).")
@click.option("--port", type=click.IntRange(*PORTS), help="Port (default [web] port: 8000).")
@click.option("--threads", type=click.IntRange(min=1), help="Worker threads (default [web] threads).")
@click.pass_context
def serve(ctx, host, port, threads) -> None:
    """Run the web workbench with a production WSGI server (waitress).

    Without accounts it serves one person on 127.0.0.1 only; with accounts every page needs a
    login. Put it behind a TLS reverse proxy for a team (see README, "Running it for a team").
    Example: ncp-tracker serve --port 8000
    """
    from tracker.config import get_config
    from tracker.store.db import StoreError
    from tracker.web.app import WebConfigError, create_app, is_loopback, server_options
    from tracker.workbench import accounts

    cfg = get_config()
    host = host or cfg.get("web", "host")
    port = port if port is not None else cfg.get("web", "port")
    threads = threads if threads is not None else cfg.get("web", "threads")
    try:
        app = create_app((ctx.obj or {}).get("db"), host=host)
        db = open_db(ctx, write=True)
        active = [u for u in accounts.list_users(db) if not u["disabled"]]
        with_accounts = accounts.has_users(db)
        db.close()
    except WebConfigError as exc:  # the address or the configuration asked for: bad input, exit 2
        raise refused(exc, input_error=True) from exc
    except StoreError as exc:
        raise refused(exc) from exc
    from tracker.i18n import Translator
    from tracker.vocabulary import os_error

    _ = Translator(reader_lang(ctx))
    shown = f"[{host}]" if ":" in host else host
    address, url = f"{shown}:{port}", f"http://{shown}:{port}/"
    proxies = cfg.get("web", "trusted_proxies")
    if with_accounts:
        mode = _.n("%(num)s active account; login required", "%(num)s active accounts; login required", len(active))
        if proxies:
            mode += "; " + _.n("X-Forwarded-* trusted from %(num)s proxy", "X-Forwarded-* trusted from %(num)s proxies",
                               proxies)
    else:
        mode = _("no accounts: for one person on this machine only (add accounts with `%(command)s`)",
                 command="ncp-tracker users add NAME --role admin")
    import waitress

    try:  # bound before it says where it serves
        server = waitress.create_server(app, host=host, port=port, threads=threads, ident="ncp-tracker",
                                        **server_options(app))
    except OSError as exc:  # the port is taken, the address is not this machine's, …
        raise TrackerError(_("cannot serve on %(address)s: %(error)s; another program, or another workbench, may use "
                             "the port: try --port", address=address, error=os_error(exc, _.lang)),
                           _.lang) from exc
    click.echo(_.n("ncp-tracker workbench on %(url)s — %(mode)s; %(num)s thread (Ctrl-C stops)",
                   "ncp-tracker workbench on %(url)s — %(mode)s; %(num)s threads (Ctrl-C stops)", threads,
                   url=url, mode=mode), err=True)
    if not is_loopback(host) and not proxies:
        click.echo(_("note: plain HTTP on a public address; put a TLS reverse proxy in front (session cookies are "
                     "Secure and will not be sent over plain HTTP)"), err=True)
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()


# ---------------------------------------------------------------------------- backup / restore


@click.command(cls=ReaderCommand)
@click.argument("directory", required=False, type=click.Path(file_okay=False))
@click.option("--keep", type=click.IntRange(min=1), help="Generations of this database's copies to keep (default [backup] keep).")
@lang_option
@click.pass_context
def backup(ctx, directory, keep, lang) -> None:
    """Take a consistent online copy of the database (also while a crawl or the server writes),
    verify it and keep the newest N copies of it.

    DIRECTORY defaults to [backup] dir, else backups/ in the data directory. A copy is named
    after its database (<db name>-<UTC time>.db); other databases' copies there are left alone.

    Example: ncp-tracker backup /srv/ncp-tracker/backups --keep 14
    """
    from tracker.config import get_config
    from tracker.store.backup import BackupError, BackupInputError
    from tracker.store.backup import backup as take

    cfg = get_config()
    try:
        result = take(_db_path(ctx), directory or cfg.backup_dir,
                      keep=keep if keep is not None else cfg.get("backup", "keep"))
    except BackupError as exc:  # what was typed (exit 2), else the state of the machine or the store (1)
        raise refused(exc, input_error=isinstance(exc, BackupInputError)) from exc
    click.echo(str(result.path))
    from tracker.i18n import format_number, ngettext

    lang = reader_lang()
    click.echo(ngettext(lang, "%(size)s bytes, integrity ok; %(num)s old copy removed",
                        "%(size)s bytes, integrity ok; %(num)s old copies removed", len(result.removed),
                        size=format_number(result.size, lang)), err=True)  # «2 768 896 byte»


@click.command(cls=ReaderCommand)
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--yes", is_flag=True, help="Do not ask before replacing the database.")
@click.pass_context
def restore(ctx, file, yes) -> None:
    """Replace the database by a backup (refused if it is damaged or from a newer ncp-tracker).

    The current database is first kept beside itself as <db>.before-restore-<time>.
    Example: ncp-tracker restore data/backups/tracker-20261124T050000123456Z.db
    """
    from tracker.i18n import gettext
    from tracker.store.backup import BackupError, check_restorable
    from tracker.store.backup import restore as put_back

    lang = reader_lang()
    target = _db_path(ctx)
    try:
        check_restorable(file)
    except BackupError as exc:  # the FILE given is no backup to restore (not there, damaged, not ours): exit 2
        raise refused(exc, lang, input_error=True) from exc
    if not yes:
        confirm(gettext(lang, "Replace %(target)s by %(file)s?", target=target, file=file), lang)
    try:
        safety = put_back(file, target)
    except BackupError as exc:  # the system could not put it back (copy, disk): exit 1
        raise refused(exc, lang) from exc
    if safety:
        click.echo(gettext(lang, "%(target)s restored from %(file)s (the old database is kept as %(kept)s)",
                           target=target, file=file, kept=str(safety)))
    else:
        click.echo(gettext(lang, "%(target)s restored from %(file)s", target=target, file=file))
