"""Files the tracker writes whole or not at all (digests, fetched documents, their provenance)."""

from __future__ import annotations

import os
import secrets
from pathlib import Path


def write_whole(path: Path, data: bytes) -> None:
    """`data` into `path` atomically, through a temporary file of this writer's own in the same
    folder, renamed into place: a reader never sees half a file, an interrupted write leaves the
    previous file, and two processes writing the same path do not collide on one temporary name."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.part")
    try:
        with open(tmp, "xb") as out:
            out.write(data)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
