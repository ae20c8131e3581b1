"""Files the tracker writes whole or not at all: digests, exports, drafts, redlines, the starter
configuration, fetched documents and their provenance."""

from __future__ import annotations

import os
import secrets
from pathlib import Path


def write_whole(path: Path, data: bytes) -> None:
    """`data` into `path` atomically, through a temporary file of this writer's own in the same
    folder, renamed into place: a reader never sees half a file, an interrupted write leaves the
    previous file, and two processes writing the same path do not collide on one temporary name.

    A symbolic link is written through (its target is replaced, the link stays), and a path that
    exists but is no regular file — a pipe, a terminal, ``/dev/stdout`` — is written to directly:
    there is nothing to replace there, and renaming over it would replace the device itself."""
    path = Path(path)
    if path.is_symlink():
        path = Path(os.path.realpath(path))
    if path.exists() and not path.is_file():
        with open(path, "wb") as out:
            out.write(data)
        return
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.part")
    try:
        with open(tmp, "xb") as out:
            out.write(data)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
