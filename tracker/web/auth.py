"""What the web app needs for logins: the persistent signing key, the login limiter, safe redirects.

Account data (names, roles, hashes) lives in tracker.workbench.accounts; this module only holds
the request-side pieces.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
import threading
import time
from collections import deque
from pathlib import Path
from urllib.parse import urlsplit


class WebConfigError(ValueError):
    """The server cannot start with this configuration (public address without accounts, …)."""


def load_secret_key(path: str | os.PathLike) -> bytes:
    """The session signing key from `path`, created (64 random bytes, mode 0600) on first use.

    A key file that others may read is refused: whoever reads it can forge any session.
    """
    file = Path(path)
    file.parent.mkdir(parents=True, exist_ok=True)
    if not file.exists():
        # written whole under a temporary name, then linked into place: a process starting at the
        # same moment never reads a key file that exists but is still empty, and the first link
        # wins (os.link never replaces an existing file)
        key = os.urandom(64)
        fd, tmp = tempfile.mkstemp(dir=file.parent, prefix=f".{file.name}.")  # mode 0600
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(key)
            try:
                os.link(tmp, file)
            except FileExistsError:
                pass
            except OSError:  # a file system without hard links: created in place, exclusively
                with contextlib.suppress(FileExistsError), \
                        os.fdopen(os.open(file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as out:
                    out.write(key)
        finally:
            os.unlink(tmp)
    info = file.stat()
    if not stat.S_ISREG(info.st_mode):
        raise WebConfigError(f"the session key {file} is not a regular file")
    if info.st_mode & 0o077:
        raise WebConfigError(f"the session key {file} is readable by others (mode {oct(info.st_mode & 0o777)}): "
                             f"run `chmod 600 {file}`")
    key = file.read_bytes()
    if len(key) < 32:
        raise WebConfigError(f"the session key {file} is too short ({len(key)} bytes); delete it to make a new one")
    return key


class LoginLimiter:
    """At most `max_attempts` failed logins per account and per address within `window_s` seconds.

    Kept in the server's memory (one waitress process serves every thread); a restart forgets
    it, which an attacker cannot cause from outside.
    """

    def __init__(self, max_attempts: int = 5, window_s: float = 900.0) -> None:
        if max_attempts < 1:
            raise WebConfigError("web.login_max_attempts must be at least 1")
        self.max_attempts = max_attempts
        self.window_s = window_s
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> deque[float]:
        q = self._failures.setdefault(key, deque())
        while q and q[0] <= now - self.window_s:
            q.popleft()
        return q

    def blocked(self, *keys: str) -> bool:
        now = time.monotonic()
        with self._lock:
            return any(len(self._recent(k, now)) >= self.max_attempts for k in keys)

    def failed(self, *keys: str) -> None:
        now = time.monotonic()
        with self._lock:
            for k in keys:
                self._recent(k, now).append(now)
            if len(self._failures) > 100_000:  # bounded memory under a spray of names
                for k in [k for k, q in self._failures.items() if not q][:50_000]:
                    del self._failures[k]

    def succeeded(self, key: str) -> None:
        with self._lock:
            self._failures.pop(key, None)


def safe_next(target: str | None, default: str = "/") -> str:
    """A redirect target after login: a path on this site only (no scheme, host or '//')."""
    if not target or not isinstance(target, str):
        return default
    if any(c in target for c in ("\\", "\r", "\n", "\t")) or not target.startswith("/") or target.startswith("//"):
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return default
    return target
