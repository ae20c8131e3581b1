"""Where the workbench writes files (drafts, exports).

A path the user names is the user's choice: absolute, ``~/…`` or relative to where the command
runs, and missing folders are created. Only names the program computes from scraped data (an
item id in a draft's file name) are sanitised, so that they cannot leave the folder they are
written into.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path


class OutputError(ValueError):
    """An output path that cannot be used (a file where a folder is needed, or the reverse)."""


def user_path(path: str | Path, base: str | Path | None = None) -> Path:
    """A path the user typed: ``~`` expanded, a relative path taken from `base` (default: cwd)."""
    raw = Path(path).expanduser()
    if raw.is_absolute():
        return raw
    return Path(base).expanduser() / raw if base is not None else Path.cwd() / raw


def file_in_the_way(path: str | Path) -> Path | None:
    """The file (anything but a folder) that `path`, or a folder it runs through, already is: no
    folder can be made there. None when there is none."""
    for part in (Path(path), *Path(path).parents):
        if part.exists():
            return None if part.is_dir() else part
    return None


def blocked_folder(path: str | Path) -> str | None:
    """Why no folder can be at `path` — a file is there, or where one of its folders would be — in
    the words of an OutputError (the file named); None when nothing is in the way."""
    blocker = file_in_the_way(path)
    if blocker is None:
        return None
    if blocker == Path(path):
        return f"{blocker} is a file, not a folder"
    return f"cannot create the folder {path}: {blocker} is a file, not a folder"


def blocked_file(path: str | Path) -> str | None:
    """Why no file can be written at `path` because a file is where one of its folders would be, in
    the words of an OutputError (that file named); None when nothing is in the way."""
    blocker = file_in_the_way(Path(path).parent)
    return None if blocker is None else f"cannot write {path}: {blocker} is a file, not a folder"


def output_dir(path: str | Path, base: str | Path | None = None, *, create: bool = True) -> Path:
    """The folder the user named (created with its parents when missing); a file where it or one
    of its folders would be is refused by name (`blocked_folder`)."""
    target = user_path(path, base)
    if not target.exists() and not create:
        raise OutputError(f"output directory {path!s} does not exist")
    blocked = blocked_folder(target)
    if blocked is not None:
        raise OutputError(blocked)
    if not target.exists():
        try:
            target.mkdir(parents=True)
        except OSError as exc:
            raise OutputError(f"cannot create the output directory {target}: {exc.strerror or exc}") from exc
    return target


def output_file(path: str | Path, base: str | Path | None = None) -> Path:
    """The file the user named (its folder created when missing); never an existing folder."""
    target = user_path(path, base)
    if target.is_dir() or str(path).endswith(("/", "\\")):
        raise OutputError(f"{path!s} is a directory; give a file name")
    blocked = blocked_file(target)
    if blocked is not None:
        raise OutputError(blocked)
    output_dir(target.parent)
    return target


_UNSAFE = re.compile(r"[^\w.-]+", re.UNICODE)


def safe_name(name: str, *, fallback: str = "item", max_len: int = 120) -> str:
    """A file name computed from scraped data, reduced to letters, digits, ``_ . -``.

    No separators, no leading dot, never empty, never ``.``/``..``: it stays inside the folder.
    """
    s = unicodedata.normalize("NFC", str(name))
    s = _UNSAFE.sub("_", s).strip("._-")[:max_len].strip("._-")
    return s or fallback


def inside(folder: Path, name: str) -> Path:
    """`folder`/`name` for a computed `name`, checked to stay in `folder`."""
    target = folder / name
    if target.parent != folder or name in ("", ".", "..") or "/" in name or "\\" in name:
        raise OutputError(f"computed file name {name!r} would leave {folder}")
    return target
