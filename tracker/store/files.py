"""Files the tracker writes whole or not at all: digests, exports, drafts, redlines, the starter
configuration, fetched documents and their provenance."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

#: the endings of the files the tracker writes and reads (drafts, digests, exports, databases): a
#: folder the reader names is seldom called so, and one that is not there yet is a file meant
FILE_SUFFIXES = (".docx", ".doc", ".odt", ".rtf", ".pdf", ".md", ".txt", ".html", ".htm", ".eml", ".ics",
                 ".atom", ".xml", ".json", ".jsonl", ".csv", ".xlsx", ".db", ".sqlite", ".sqlite3", ".bak", ".toml")


def file_name_as_folder(path: str | os.PathLike) -> bool:
    """Is `path`, given where a folder goes (`draft --out`, `run --out`, `backup DIR`), a file's name
    — «svar.docx», «oversikt.html», «kopi.db» — with nothing there yet? Taken as a folder it became
    one, the files inside it (exit 0): the commands refuse it, naming what they write there. A
    folder there is used; a file there is refused as a file in the way (`outputs.blocked_folder`)."""
    return Path(path).suffix.lower() in FILE_SUFFIXES and not os.path.lexists(Path(path).expanduser())


def write_whole(path: Path, data: bytes) -> None:
    """`data` into `path` atomically, through a temporary file of this writer's own in the same
    folder, renamed into place: a reader never sees half a file, an interrupted write leaves the
    previous file, and two processes writing the same path do not collide on one temporary name.

    A symbolic link is written through (its target is replaced, the link stays). A name for one of
    this process's descriptors (``/dev/stdout``, ``/dev/fd/N``, ``/proc/self/fd/N``) and a path
    that is no regular file (a pipe, a terminal) are appended to directly: renaming over them would
    replace the name, not write to what it stands for — and ``/dev/stdout`` sent to a file by the
    shell (``>> log``) must reach that file through the descriptor, after what is there."""
    path = Path(path)
    if _names_a_descriptor(path) or (path.exists() and not path.is_file()):
        with open(path, "ab") as out:
            out.write(data)
        return
    if path.is_symlink():
        path = Path(os.path.realpath(path))
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.part")
    try:
        with open(tmp, "xb") as out:
            out.write(data)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _names_a_descriptor(path: Path) -> bool:
    """Whether `path` (or the link it is) lies in a /proc/<pid>/fd folder."""
    names = [path]
    if path.is_symlink():
        target = Path(os.readlink(path))
        names.append(target if target.is_absolute() else path.parent / target)
    for name in names:
        folder = Path(os.path.realpath(name.parent)).parts
        if len(folder) == 4 and folder[1] == "proc" and folder[3] == "fd":
            return True
    return False
