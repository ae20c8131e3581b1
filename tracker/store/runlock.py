"""One crawl at a time per database.

Two crawls writing one store at once — the 06:15 cron job still running when an adviser types
`ncp-tracker run`, or a `backfill` started beside the daily run — would each record a run and
fetch the same pages twice, and the morning read would come from whichever finished last. So
every crawl (`run`, `crawl`, `record`, `demo`, `backfill`, `answers`: all go through
`tracker.jobs.crawl.run_plan`; and `documents fetch`) holds an exclusive lock on
``<database>.run-lock`` while it runs.
A second one waits for the first to end (``[crawl] lock_wait`` seconds, default an hour; it says
once whom it waits for), then runs — so the cron job still crawls and mails after an adviser's
run — and gives up with RunLocked, naming the holder, when the wait is over (0: at once).

The lock is the operating system's (``flock``): it goes with the process, so a crawl that is
killed or loses its machine leaves no stale lock behind, only the file (which says who held it
last). Readers — the digest, the web workbench, every listing — never take it.

Sending a digest (`digest --send`) has a lock of its own per profile (``exclusive_send``): the
cron line and a person sending the same digest at once would each find nobody mailed yet.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import shlex
import sys
import time
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

#: how often a waiting crawl tries the lock again, seconds
POLL_SECONDS = 0.5


class RunLocked(RuntimeError):
    """Another process holds the lock (a crawl of this database, a send of this digest), and did
    not end within the wait."""


def lock_path(db_path: Path, purpose: str = "run") -> Path:
    """``<database>.run-lock`` (crawls), ``<database>.send-<profile>-lock`` (sending a digest)."""
    safe = re.sub(r"[^\w.-]", "_", purpose)
    return db_path.with_name(f"{db_path.name}.{safe}-lock")


def _take(fd: int) -> bool:
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _holder(fd: int) -> str:
    return os.pread(fd, 1000, 0).decode("utf-8", "replace").strip() or "another process"


def _command() -> str:
    """This process's command line as its user typed it ("ncp-tracker run", "python -m tracker run")."""
    if not sys.argv or not sys.argv[0]:
        return "?"
    program = Path(sys.argv[0])
    name = f"python -m {program.parent.name}" if program.name == "__main__.py" else program.name
    return f"{name} {shlex.join(sys.argv[1:])}"[:300] if sys.argv[1:] else name


def exclusive_run(db_path: str | os.PathLike[str], *, wait: float = 0.0,
                  waiting: Callable[[str], None] | None = None) -> contextlib.AbstractContextManager[None]:
    """Hold the database's run lock for the block. When another process holds it, call
    `waiting(holder)` once and try again for up to `wait` seconds; RunLocked after that. An
    in-memory database (":memory:") has no other writer and takes no lock."""
    return _exclusive(db_path, "run", wait, waiting,
                      lambda holder: f"another crawl is writing {db_path} now ({holder})",
                      "wait until it ends, or stop it — two crawls at once would fetch and store the "
                      "same day twice")


def exclusive_send(db_path: str | os.PathLike[str], profile: str, *, wait: float = 0.0,
                   waiting: Callable[[str], None] | None = None) -> contextlib.AbstractContextManager[None]:
    """Hold the lock of sending `profile`'s digest from this database (`digest --send`): two
    sends at once — the cron line and a person — would each find nobody mailed yet and mail
    everybody twice. The second waits, then reads who has it already (RunLocked after `wait`)."""
    return _exclusive(db_path, f"send-{profile}", wait, waiting,
                      lambda holder: f"another `digest --send` of the {profile} digest is sending now ({holder})",
                      "run it again when that one has ended; it then mails only those not reached")


@contextlib.contextmanager
def _exclusive(db_path: str | os.PathLike[str], purpose: str, wait: float,
               waiting: Callable[[str], None] | None, busy: Callable[[str], str], advice: str) -> Iterator[None]:
    if str(db_path) == ":memory:":
        yield
        return
    path = lock_path(Path(db_path), purpose)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        if not _take(fd):
            holder = _holder(fd)
            if wait > 0 and waiting is not None:
                waiting(holder)
            give_up = time.monotonic() + wait
            while True:
                if time.monotonic() >= give_up:
                    waited = f" (waited {wait:g} s)" if wait > 0 else ""
                    raise RunLocked(f"{busy(_holder(fd))}{waited}; {advice}")
                time.sleep(min(POLL_SECONDS, max(0.0, give_up - time.monotonic())))
                if _take(fd):
                    break
        started = datetime.now().astimezone().isoformat(timespec="seconds")
        command = _command()
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"pid {os.getpid()}, `{command}`, started {started}\n".encode(), 0)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
