"""Files the browser downloads (Chromium writes `*.crdownload` until a download is complete)."""

from __future__ import annotations

import time
from pathlib import Path


def wait_for_file(folder: Path, suffix: str, timeout: float = 20.0) -> Path:
    """The first file in `folder` ending in `suffix` once no download is in progress there."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        done = [p for p in folder.iterdir() if p.name.endswith(suffix)]
        if done and not any(p.name.endswith(".crdownload") for p in folder.iterdir()):
            return done[0]
        time.sleep(0.1)
    raise AssertionError(f"no {suffix} downloaded into {folder}: {list(folder.iterdir())}")
