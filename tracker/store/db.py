"""Opening the database: path resolution, WAL, busy timeout, and the schema check.

Only write paths migrate (`migrate=True`); a read path opens the database as it is and refuses
one whose schema is older or newer than this program, with the command that fixes it.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import sqlite_utils


class StoreError(Exception):
    """A problem with the database that the user must fix (bad path, not a database, …)."""


def resolve_path(path: str | os.PathLike | None = None) -> Path:
    """`path` if given, else the configured database (--db beats $NCP_TRACKER_DB beats the config file
    beats data/tracker.db; see tracker/config.py)."""
    if path:
        return Path(path)
    from tracker.config import get_config

    return get_config().db


def newer_message(target: str | os.PathLike, unknown: list[str]) -> str:
    """What every open of a database written by a newer ncp-tracker says (its `unknown`
    migrations, from tracker.store.migrations.schema_state)."""
    return (f"database {target} was written by a newer ncp-tracker "
            f"(unknown migrations: {', '.join(unknown[:3])}); upgrade ncp-tracker")


def check_not_newer(conn: sqlite3.Connection, target: str | os.PathLike) -> None:
    """StoreError when the database on `conn` was written by a newer ncp-tracker (reads only)."""
    from tracker.store.migrations import schema_state

    _, unknown = schema_state(sqlite_utils.Database(conn))
    if unknown:
        raise StoreError(newer_message(target, unknown))


def no_database(target: Path | str) -> str:
    """What every command says of a database file that is not there (`open_db`, `backup`, `users list`)."""
    return (f"no database at {target}: run `ncp-tracker run` (or `ncp-tracker demo`) to create one, or name an "
            "existing one with --db, $NCP_TRACKER_DB or [tracker] db")


#: how long a write waits for another writer's transaction before SQLite says "database is
#: locked" (a crawl's store step, a backup), in seconds
BUSY_WAIT_S = 30


def open_db(path: str | os.PathLike | None = None, *, migrate: bool = True,
            create: bool = True) -> sqlite_utils.Database:
    """Open the tracker database.

    `create=False` refuses a path where no database exists (a mistyped --db must never look like
    an empty, quiet day). `migrate=True` brings the schema up to date (write paths only); with
    `migrate=False` a schema that is not exactly this program's is refused with a clear message.
    A database written by a newer ncp-tracker is refused either way: an older program must not
    write into a schema it does not know.
    WAL lets the web workbench read while a crawl writes; the busy timeout lets a second writer
    wait instead of failing.
    """
    target = resolve_path(path)
    memory = str(target) == ":memory:"
    if not memory:
        if target.is_dir():
            raise StoreError(f"database path is a directory: {target}")
        if not target.exists():
            if not create:
                raise StoreError(no_database(target))
            target.parent.mkdir(parents=True, exist_ok=True)
    try:
        conn = sqlite3.connect(str(target), timeout=BUSY_WAIT_S)
        from tracker.store.textindex import register

        register(conn)  # the search-index triggers call ncp_norm (m0401)
        from tracker.store import instants

        instants.register(conn)  # ncp_oslo_day: an instant's day in Oslo
        db = sqlite_utils.Database(conn)
        db.execute(f"PRAGMA busy_timeout = {int(BUSY_WAIT_S * 1000)}")
        from tracker.store.migrations import KNOWN as MIGRATIONS
        from tracker.store.migrations import apply_all, schema_state

        pending, unknown = schema_state(db)
        if len(pending) == len(MIGRATIONS) and db.execute(
                "select 1 from sqlite_master where type = 'table' and name not like 'sqlite_%'").fetchone():
            # tables, but no schema record: another program's database, which `migrate` (or any
            # command that writes) would fill with the tracker's tables beside its own — refused
            # before anything is changed in it (its journal mode neither)
            conn.close()
            raise StoreError(f"{target} is not an ncp-tracker database (no items table or schema record)")
        if not memory and db.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            db.enable_wal()
        db.execute("PRAGMA foreign_keys = ON")
        if unknown:  # never written by, nor migrated "forward" by, an older program
            conn.close()
            raise StoreError(newer_message(target, unknown))
        if migrate:
            if pending:
                apply_all(db)
        else:
            if pending:
                raise StoreError(f"database {target} has an older schema ({len(pending)} migrations "
                                 "pending): run `ncp-tracker migrate` once")
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"cannot open database {target}: {exc}") from exc
    return db


@contextlib.contextmanager
def write_transaction(db: sqlite_utils.Database) -> Iterator[sqlite_utils.Database]:
    """Changes that stand or fall together: one write transaction taken up front (BEGIN IMMEDIATE:
    it waits for a crawl's write instead of failing with "database is locked", and what is read
    inside cannot change under it), committed at the end, rolled back when anything inside fails
    (nothing half-written). The writes inside join it (`db.atomic()` nests as a savepoint; a
    `with db.conn:` would commit it half-way). The web workbench runs each change it saves in one;
    `ncp-tracker triage` its state, owner, note, day and label marks."""
    conn = db.conn
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        if conn.in_transaction:
            conn.rollback()
        raise
    if conn.in_transaction:
        conn.commit()


#: rows of each index ANALYZE reads (SQLite's analysis_limit): statistics close enough for the
#: query planner, in a fraction of a second at a million items instead of a minute
ANALYSIS_LIMIT = 1000


def refresh_statistics(conn: sqlite3.Connection) -> None:
    """The query planner's statistics (``sqlite_stat1``), brought up to date after a crawl.

    Without them SQLite guesses each table's size: the digest took three times as long on
    300,000 items (400 ms instead of 120 ms), and a join could start from the wrong table. The
    bench's generated stores are analysed the same way, so its figures are what a store gets.
    """
    conn.execute(f"PRAGMA analysis_limit = {ANALYSIS_LIMIT}")
    conn.execute("ANALYZE")
    conn.commit()
