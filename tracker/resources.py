"""Files the program ships (package data) and the user's editable copies of them.

Shipped defaults live inside the packages and are read with `importlib.resources`, so a wheel
install works anywhere. A user-editable copy of the same name in the data directory (from the
configuration; `ncp-tracker init` writes the copies) wins over the shipped one.
"""

from __future__ import annotations

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
    """The user's copy of `name` in the data directory if there is one, else the shipped default."""
    if data_dir is None:
        from tracker.config import get_config

        data_dir = get_config().data_dir
    user_copy = Path(data_dir) / name
    return user_copy if user_copy.is_file() else shipped(name)
