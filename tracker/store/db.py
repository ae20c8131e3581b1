"""Opening the database: path resolution, WAL, busy timeout and migrations."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import sqlite_utils

DEFAULT_DB = Path("data") / "tracker.store.db"
ENV_DB = "NCP_TRACKER_DB"


class StoreError(Exception):
    """A problem with the database that the user must fix (bad path, not a database, …)."""


def resolve_path(path: str | os.PathLike | None = None) -> Path:
    """--db beats $NCP_TRACKER_DB beats data/tracker.store.db."""
    return Path(path or os.environ.get(ENV_DB) or DEFAULT_DB)


def open_db(path: str | os.PathLike | None = None, *, migrate: bool = True) -> sqlite_utils.Database:
    """Open (and create, and migrate) the tracker database.

    WAL lets the web workbench read while a crawl writes; the busy timeout lets a
    second writer wait instead of failing.
    """
    target = resolve_path(path)
    if str(target) != ":memory:":
        if target.is_dir():
            raise StoreError(f"database path is a directory: {target}")
        target.parent.mkdir(parents=True, exist_ok=True)
    try:
        conn = sqlite3.connect(str(target), timeout=30)
        from tracker.store.textindex import register

        register(conn)  # the search-index triggers call ncp_norm (m0401)
        db = sqlite_utils.Database(conn)
        db.execute("PRAGMA busy_timeout = 30000")
        if str(target) != ":memory:":
            db.enable_wal()
        db.execute("PRAGMA foreign_keys = ON")
        if migrate:
            from tracker.store.migrations import apply_all

            apply_all(db)
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"cannot open database {target}: {exc}") from exc
    return db
