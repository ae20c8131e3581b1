"""Backups and restores of the tracker database.

`backup()` takes a consistent online copy with SQLite's backup API (a crawl or the web server may
be writing: the copy is one snapshot, WAL included), checks it with ``PRAGMA integrity_check``,
and only then gives it its final name ``<db name>-YYYYMMDDTHHMMSSffffffZ.db`` in the backup directory
(``tracker-….db`` for ``tracker.db``); the oldest copies of the same database beyond `keep` are
removed (only files of that name pattern are ever touched: another database's copies in the same
folder are left alone).

`restore()` refuses a file that is not an intact tracker database, or one written by a newer
ncp-tracker (it has migrations this version does not know); it first copies the current
database beside itself (``<db>.before-restore-<time>``), then copies the backup in with the same
backup API (so a server that is running sees either the old or the new database, never half of
each) and migrates an older backup forward.
"""

from __future__ import annotations

import os
import re
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from tracker.store.db import StoreError, check_not_newer
from tracker.store.files import file_name_as_folder

#: the UTC time in a copy's name (microseconds since 2026; older copies have seconds only)
STAMP_RE = r"\d{8}T\d{6}(?:\d{6})?Z"


def copy_name(db_path: str | os.PathLike, stamp: str) -> str:
    """A copy's file name: its database's name (file stem) and the time, ``tracker-<time>.db`` for
    ``tracker.db`` — so copies of two databases in one folder never count as each other's."""
    return f"{Path(db_path).stem}-{stamp}.db"


def copy_re(db_path: str | os.PathLike) -> re.Pattern[str]:
    """The names of `db_path`'s copies (copy_name), and only theirs."""
    return re.compile(rf"^{re.escape(Path(db_path).stem)}-({STAMP_RE})\.db$")


class BackupError(Exception):
    """A backup or restore that cannot be made; the message says why and what to do."""


class BackupInputError(BackupError):
    """What the reader typed cannot be used (a file's name as the backups' folder): bad input."""


@dataclass
class BackupResult:
    path: Path
    size: int
    removed: list[Path]


def _stamp(when: datetime | None = None) -> str:
    return (when or datetime.now(UTC)).astimezone(UTC).strftime("%Y%m%dT%H%M%S%fZ")


def _connect_existing(path: Path) -> sqlite3.Connection:
    if not path.is_file():
        from tracker.store.db import no_database

        raise BackupError(no_database(path))
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)
    conn.execute("PRAGMA busy_timeout = 30000")
    return conn


def integrity(path: Path) -> str:
    """``ok`` or SQLite's description of what is broken."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            rows = conn.execute("PRAGMA integrity_check").fetchall()
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        return str(exc)
    return "; ".join(str(r[0]) for r in rows[:5])


def backups(directory: str | os.PathLike, db_path: str | os.PathLike) -> list[Path]:
    """The backups of the database `db_path` in `directory`, oldest first (not those of another
    database kept in the same folder)."""
    folder = Path(directory)
    if not folder.is_dir():
        return []
    mine = copy_re(db_path)
    return sorted(p for p in folder.iterdir() if p.is_file() and mine.match(p.name))


def backup(db_path: str | os.PathLike, directory: str | os.PathLike, *, keep: int = 7,
           when: datetime | None = None) -> BackupResult:
    """Copy the database into `directory` (consistent, verified) and keep the newest `keep` copies."""
    if keep < 1:
        raise BackupError(f"keep must be at least 1, not {keep}")
    source = Path(db_path)
    folder = Path(directory)
    if file_name_as_folder(folder):
        # `backup kopi.db` made a folder named kopi.db with the copy inside it
        raise BackupInputError(f"{directory} is a file name; the backups are kept in a folder, each named "
                          f"by its time (as {copy_name(source, '<time>')})")
    src = _connect_existing(source)
    try:
        try:
            check_not_newer(src, source)  # its copies are a newer program's to take (and prune)
        except StoreError as exc:
            raise BackupError(str(exc)) from exc
        except sqlite3.DatabaseError as exc:
            raise BackupError(f"cannot copy {source}: {exc}") from exc
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:  # a file in the way, no permission, a read-only disk
            raise BackupError(f"cannot keep backups in {folder}: {exc.strerror or exc}") from exc
        final = folder / copy_name(source, _stamp(when))
        if final.exists():
            raise BackupError(f"{final} already exists")
    except BackupError:
        src.close()
        raise
    partial = folder / f".{final.name}.partial"
    try:
        dst = sqlite3.connect(str(partial))
        try:
            src.backup(dst)  # one consistent snapshot, also while others write (they wait or retry)
            dst.execute("PRAGMA journal_mode = DELETE")  # the copy is one self-contained file
        finally:
            dst.close()
    except sqlite3.DatabaseError as exc:
        partial.unlink(missing_ok=True)
        raise BackupError(f"cannot copy {source}: {exc}") from exc
    finally:
        src.close()
    verdict = integrity(partial)
    if verdict != "ok":
        partial.unlink(missing_ok=True)
        raise BackupError(f"the copy of {source} failed PRAGMA integrity_check: {verdict}")
    os.replace(partial, final)
    removed = []
    existing = backups(folder, source)
    for old in existing[: max(0, len(existing) - keep)]:
        old.unlink()
        removed.append(old)
    return BackupResult(final, final.stat().st_size, removed)


def check_restorable(path: str | os.PathLike) -> set[tuple[str, str]]:
    """The backup's migrations, after checking it is an intact tracker database no newer than us."""
    from tracker.store.migrations import KNOWN, applied_migrations

    file = Path(path)
    if not file.is_file():
        raise BackupError(f"no backup file at {file}")
    verdict = integrity(file)
    if verdict != "ok":
        raise BackupError(f"{file} is not an intact SQLite database: {verdict}")
    conn = sqlite3.connect(f"file:{file}?mode=ro", uri=True)
    try:
        applied = applied_migrations(conn)
        has_items = conn.execute("select 1 from sqlite_master where type = 'table' and name = 'items'").fetchone()
    finally:
        conn.close()
    if not applied or not has_items:
        raise BackupError(f"{file} is not an ncp-tracker database (no items table or schema record)")
    unknown = sorted(applied - KNOWN)
    if unknown:
        names = ", ".join(f"{s}/{n}" for s, n in unknown[:5])
        raise BackupError(f"{file} was written by a newer ncp-tracker (schema steps this version does not "
                          f"know: {names}); upgrade ncp-tracker before restoring it")
    return applied


def restore(backup_file: str | os.PathLike, db_path: str | os.PathLike) -> Path | None:
    """Replace the database at `db_path` by the backup; returns the safety copy of the old one."""
    check_restorable(backup_file)
    target = Path(db_path)
    safety = None
    if target.exists():
        safety = backup(target, target.parent, keep=10**6).path
        safety = safety.rename(target.parent / f"{target.name}.before-restore-{_stamp()}")
    target.parent.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(f"file:{Path(backup_file)}?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(str(target), timeout=30)
        try:
            dst.execute("PRAGMA busy_timeout = 30000")
            src.backup(dst)
        finally:
            dst.close()
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"cannot restore into {target}: {exc}"
                          + (f" (the old database is kept as {safety})" if safety else "")) from exc
    finally:
        src.close()
    from tracker.store.db import open_db

    open_db(target).close()  # WAL again, and an older backup is migrated forward
    return safety
