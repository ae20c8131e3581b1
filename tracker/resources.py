"""Files the program ships (package data) and the user's editable copies of them.

Shipped defaults live inside the packages and are read with `importlib.resources`, so a wheel
install works anywhere. A user-editable copy of the same name in the data directory (from the
configuration; `ncp-tracker init` writes the copies) wins over the shipped one.
"""

from __future__ import annotations

import os
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

#: shipped file name → the package that ships it
SHIPPED: dict[str, str] = {
    "profiles.toml": "tracker.defaults",
    "companies_exceptions.txt": "tracker.defaults",
    "watchlist.toml": "crawlers",
    # hearing-response drafts (tracker/workbench/drafts.py): the secretariat's template and texts
    "horingssvar-mal.docx": "tracker.defaults",
    "horingssvar-mandat.nb.txt": "tracker.defaults",
    "horingssvar-mandat.en.txt": "tracker.defaults",
    "horingssvar-signatur.nb.txt": "tracker.defaults",
    "horingssvar-signatur.en.txt": "tracker.defaults",
    "provisions.toml": "tracker.defaults",
}


def shipped(name: str) -> Traversable:
    """The packaged default of `name` (one of SHIPPED)."""
    return resources.files(SHIPPED[name]) / name


def locate(name: str, data_dir: str | Path | None = None) -> Path | Traversable:
    """The user's copy of `name` in the data directory whenever something is there under that name
    — a file, but also a folder, a link to nothing, a file it may not read: its reader then fails
    with the file named (each reader's typed error), never passing the shipped default off as the
    adviser's edits; the shipped default only when nothing is there."""
    if data_dir is None:
        from tracker.config import get_config

        data_dir = get_config().data_dir
    user_copy = Path(data_dir) / name
    return user_copy if os.path.lexists(user_copy) else shipped(name)


def nothing_there(path: str | Path | Traversable, exc: OSError) -> bool:
    """Whether reading `path` failed (`exc`) because nothing at all is under its name — not a link
    to nothing, not a folder: a reader may then take "no file", where anything else is `unreadable`."""
    return isinstance(exc, FileNotFoundError) and not (isinstance(path, Path) and os.path.lexists(path))


def unreadable(path: str | Path | Traversable, exc: OSError) -> str:
    """What a reader says (in English, as its typed error; `vocabulary.COMMAND_REFUSALS` words it for
    the reader) of a file that is there but cannot be read: «PATH: cannot read: <the system's
    text>» (a folder, no permission …), or «PATH: a link to TARGET, which does not exist»."""
    if isinstance(exc, FileNotFoundError) and isinstance(path, Path) and path.is_symlink():
        return f"{path}: a link to {os.readlink(path)}, which does not exist"
    return f"{path}: cannot read: {exc.strerror or exc}"
