"""The watchlist as the tracker sees it: watched files and the reference keys that belong to each.

Parsing and validation live in `crawlers.watchlist_file` (the EU spiders read the
same file and may not import `tracker/`); this module adds what only the tracker
needs: each file's reference keys (`tracker.links.references`), and which files an
item's references belong to.
"""

from __future__ import annotations

import os
from pathlib import Path

from crawlers.watchlist_file import ENV_WATCHLIST, WatchEntry, WatchlistError
from crawlers.watchlist_file import load as _load
from tracker.links import references

__all__ = ["WatchEntry", "WatchlistError", "configured_path", "entry_keys", "load", "match", "watch_key"]


def configured_path() -> Path:
    """The watchlist the tracker and its crawls read: $NCP_TRACKER_WATCHLIST, else the data
    directory's watchlist.toml (`data_dir`, as for every editable default), else the shipped one."""
    if env := os.environ.get(ENV_WATCHLIST):
        return Path(env)
    from tracker.resources import locate

    return Path(str(locate("watchlist.toml")))


def load(path: str | Path | None = None) -> list[WatchEntry]:
    """The validated watchlist (`path`, default :func:`configured_path`).

    Raises `WatchlistError` with the line and field at fault.
    """
    return _load(path or configured_path())


def watch_key(entry: WatchEntry | str) -> str:
    """The reference key that says "belongs to this watched file": ``watch:csddd``."""
    return f"watch:{entry if isinstance(entry, str) else entry.id}"


def entry_keys(entry: WatchEntry) -> set[str]:
    """Every reference key that identifies `entry` (CELEX, act number, COM, procedure, `refs`)."""
    keys: set[str] = set()
    if entry.celex and (key := references.celex_key(entry.celex)):
        keys |= references.expand(key)
    for value in (entry.act, entry.procedure, entry.com, *entry.refs):
        if not value:
            continue
        for key in references.extract(value):
            keys |= references.expand(key)
    return keys


def match(keys: set[str], entries: list[WatchEntry]) -> list[WatchEntry]:
    """The watched files whose keys meet `keys` (already expanded)."""
    return [e for e in entries if entry_keys(e) & keys]
