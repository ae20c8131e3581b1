"""Workbench accounts: names, roles, argon2 password hashes, session epochs, feed tokens.

Roles, each including the ones before it: ``reader`` (sees everything), ``adviser`` (triages and
drafts), ``admin`` (manages accounts). Passwords are hashed with argon2id (argon2-cffi, the
maintained reference binding) and are never stored, logged or echoed. Names are unique regardless
of case ("Kari" and "kari" are one account).

``session_epoch`` is part of every signed session cookie; raising it (logout, disable, password
reset) ends every session of that account at once, without the server keeping session rows.
Calendar and feed subscription URLs carry a per-account token; only its SHA-256 is stored, and
a new token (or revoking it) makes the old URL useless.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import sqlite3
import unicodedata
from typing import Any

import sqlite_utils

from tracker.store.instants import now_iso

ROLES = ("reader", "adviser", "admin")
RANK = {role: n for n, role in enumerate(ROLES)}
MIN_PASSWORD = 10
MAX_PASSWORD = 1024
NAME_RE = re.compile(r"^[A-Za-zÆØÅæøåÄÖäöÉé0-9][A-Za-zÆØÅæøåÄÖäöÉé0-9._-]{1,39}$")
PUBLIC_COLUMNS = "id, name, role, disabled, created_at, updated_at, session_epoch, feed_token_hash"


class AccountError(ValueError):
    """An account change that cannot be made (bad name, weak password, unknown account …)."""


def _hasher():
    from argon2 import PasswordHasher

    return PasswordHasher()


_DUMMY_HASH: str | None = None


def _dummy_hash() -> str:
    """A hash to verify against when the account does not exist (same work, same time)."""
    global _DUMMY_HASH
    if _DUMMY_HASH is None:
        _DUMMY_HASH = _hasher().hash(secrets.token_urlsafe(16))
    return _DUMMY_HASH


def name_key(name: str) -> str:
    return unicodedata.normalize("NFC", name.strip()).casefold()


def check_name(name: str) -> str:
    """A user name as stored: composed (NFC: «Kåre» typed on a Mac, «Ka\u030are», is «Kåre»)."""
    name = unicodedata.normalize("NFC", (name or "").strip())
    if not NAME_RE.match(name):
        raise AccountError(f"invalid user name {name!r}: 2–40 characters, letters, digits, full stop, - or _")
    return name


def check_role(role: str) -> str:
    role = (role or "").strip().lower()
    if role not in ROLES:
        raise AccountError(f"unknown role {role!r}; roles: {', '.join(ROLES)}")
    return role


def check_password(password: str) -> str:
    if not isinstance(password, str) or len(password) < MIN_PASSWORD:
        raise AccountError(f"the password must have at least {MIN_PASSWORD} characters")
    if len(password) > MAX_PASSWORD:
        raise AccountError(f"the password can have at most {MAX_PASSWORD} characters")
    return password


def table_exists(db: sqlite_utils.Database) -> bool:
    return db.execute("select 1 from sqlite_master where type = 'table' and name = 'users'").fetchone() is not None


def has_users(db: sqlite_utils.Database) -> bool:
    """True once any account exists (also a disabled one): then every page needs a login."""
    return table_exists(db) and db.execute("select 1 from users limit 1").fetchone() is not None


def _public(row: dict[str, Any] | None) -> dict[str, Any] | None:
    if row is None:
        return None
    row = dict(row)
    row.pop("password_hash", None)
    row.pop("name_key", None)
    row["has_feed_token"] = bool(row.pop("feed_token_hash", None))
    row["disabled"] = bool(row.get("disabled"))
    return row


def get_user(db: sqlite_utils.Database, name: str) -> dict[str, Any] | None:
    if not table_exists(db):
        return None
    rows = list(db.query(f"select {PUBLIC_COLUMNS} from users where name_key = ?", [name_key(name)]))
    return _public(rows[0]) if rows else None


def get_by_id(db: sqlite_utils.Database, user_id: int) -> dict[str, Any] | None:
    if not table_exists(db):
        return None
    rows = list(db.query(f"select {PUBLIC_COLUMNS} from users where id = ?", [user_id]))
    return _public(rows[0]) if rows else None


def list_users(db: sqlite_utils.Database) -> list[dict[str, Any]]:
    if not table_exists(db):
        return []
    return [_public(r) for r in db.query(f"select {PUBLIC_COLUMNS} from users order by name_key")]


def check_free(db: sqlite_utils.Database, name: str) -> None:
    """Raises `AccountError` when an account has this name (names are case-insensitive)."""
    if get_user(db, name) is not None:
        raise AccountError(f"the account {name!r} exists already")


def require(db: sqlite_utils.Database, name: str) -> dict[str, Any]:
    """The account called `name`; raises `AccountError` when there is none."""
    user = get_user(db, name)
    if user is None:
        raise AccountError(f"no account is called {name!r} (see `ncp-tracker users list`)")
    return user


def add_user(db: sqlite_utils.Database, name: str, password: str, role: str = "adviser") -> dict[str, Any]:
    """Create an account; raises `AccountError` for a taken name, a bad role or a short password."""
    name, role, password = check_name(name), check_role(role), check_password(password)
    check_free(db, name)
    now = now_iso()
    try:
        with db.conn:
            db["users"].insert({"name": name, "name_key": name_key(name), "password_hash": _hasher().hash(password),
                                "role": role, "disabled": 0, "created_at": now, "updated_at": now,
                                "session_epoch": 0, "feed_token_hash": None})  # fmt: skip
    except sqlite3.IntegrityError as exc:  # a concurrent add of the same name
        raise AccountError(f"the account {name!r} exists already") from exc
    return require(db, name)


def _update(db: sqlite_utils.Database, user_id: int, sql: str, params: list[Any]) -> None:
    with db.conn:
        db.execute(f"update users set {sql}, updated_at = ?, session_epoch = session_epoch + 1 where id = ?",
                   [*params, now_iso(), user_id])


def disable(db: sqlite_utils.Database, name: str) -> dict[str, Any]:
    """Disable an account: its sessions end now and its feed token stops working."""
    user = require(db, name)
    _update(db, user["id"], "disabled = 1, feed_token_hash = null", [])
    return require(db, name)


def enable(db: sqlite_utils.Database, name: str) -> dict[str, Any]:
    user = require(db, name)
    _update(db, user["id"], "disabled = 0", [])
    return require(db, name)


def set_role(db: sqlite_utils.Database, name: str, role: str) -> dict[str, Any]:
    user = require(db, name)
    _update(db, user["id"], "role = ?", [check_role(role)])
    return require(db, name)


def reset_password(db: sqlite_utils.Database, name: str, password: str) -> dict[str, Any]:
    """A new password; every session of the account ends."""
    user = require(db, name)
    _update(db, user["id"], "password_hash = ?", [_hasher().hash(check_password(password))])
    return require(db, name)


def end_sessions(db: sqlite_utils.Database, user_id: int) -> None:
    """Log the account out everywhere (raise its session epoch)."""
    with db.conn:
        db.execute("update users set session_epoch = session_epoch + 1 where id = ?", [user_id])


def authenticate(db: sqlite_utils.Database, name: str, password: str) -> dict[str, Any] | None:
    """The active account if the password is right, else None (unknown names cost the same)."""
    from argon2.exceptions import InvalidHashError, VerificationError

    row = None
    if table_exists(db) and name and len(name) <= 80:
        rows = list(db.query("select id, password_hash, disabled from users where name_key = ?", [name_key(name)]))
        row = rows[0] if rows else None
    if not isinstance(password, str) or not password or len(password) > MAX_PASSWORD:
        return None
    hasher = _hasher()
    try:
        hasher.verify(row["password_hash"] if row else _dummy_hash(), password)
    except (VerificationError, InvalidHashError):
        return None
    if row is None or row["disabled"]:
        return None
    return get_by_id(db, row["id"])


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_feed_token(db: sqlite_utils.Database, user_id: int) -> str:
    """A new calendar/feed token for the account (the old one stops working); shown once."""
    token = secrets.token_urlsafe(32)
    with db.conn:
        db.execute("update users set feed_token_hash = ?, updated_at = ? where id = ? and disabled = 0",
                   [_token_hash(token), now_iso(), user_id])
    return token


def revoke_feed_token(db: sqlite_utils.Database, user_id: int) -> None:
    with db.conn:
        db.execute("update users set feed_token_hash = null, updated_at = ? where id = ?", [now_iso(), user_id])


def user_by_feed_token(db: sqlite_utils.Database, token: str) -> dict[str, Any] | None:
    if not token or len(token) > 200 or not table_exists(db):
        return None
    rows = list(db.query(f"select {PUBLIC_COLUMNS} from users where feed_token_hash = ? and disabled = 0",
                         [_token_hash(token)]))
    return _public(rows[0]) if rows else None


def may(role: str | None, needed: str) -> bool:
    """Whether `role` includes `needed` (reader < adviser < admin)."""
    return role in RANK and RANK[role] >= RANK[needed]
