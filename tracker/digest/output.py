"""Writing a digest: one format as bytes, files for a run, and the `digests` record that is the
next day's "since" point."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import sqlite_utils

from tracker.attention.profiles import Profile, load_profile
from tracker.digest.build import build_digest
from tracker.digest.feeds import render_atom, render_ics
from tracker.digest.model import Digest
from tracker.digest.rendering import render_email, render_html, render_markdown, render_text
from tracker.store.files import write_whole
from tracker.store.instants import now_iso

FORMATS = ("md", "html", "txt", "eml", "atom", "ics")
EXTENSIONS = {"md": "md", "html": "html", "txt": "txt", "eml": "eml", "atom": "atom.xml", "ics": "ics"}
#: a file name's ending → the digest format it holds (`digest --out` without --format:
#: tracker.cli.support.out_format)
FILE_ENDINGS = {".md": "md", ".markdown": "md", ".html": "html", ".htm": "html", ".txt": "txt", ".eml": "eml",
                ".atom": "atom", ".xml": "atom", ".ics": "ics"}


def render(db: sqlite_utils.Database, fmt: str, *, as_of: datetime, profile: Profile | str = "ncp",
           lang: str = "nb", digest: Digest | None = None, sender: str | None = None,
           recipients: list[str] | tuple[str, ...] | None = None, workbench_url: str = "") -> bytes:
    """The digest in one format, as bytes ready to write. `workbench_url` ([web] public_url):
    items link to their pages in the workbench (a given `digest` was built with its own)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r} (known: {', '.join(FORMATS)})")
    if isinstance(profile, str):
        profile = load_profile(profile)
    if fmt in ("atom", "ics") and not profile.has_feed:
        raise ValueError(f"the {profile.name} profile has no {fmt} form: it shows {', '.join(profile.sections)}, "
                         "not the items a feed or calendar holds (needs input, new, changed)")
    if fmt == "atom":
        return render_atom(db, as_of=as_of, profile=profile, lang=lang, workbench_url=workbench_url).encode("utf-8")
    if fmt == "ics":
        return render_ics(db, as_of=as_of, profile=profile, lang=lang, workbench_url=workbench_url)
    d = digest or build_digest(db, as_of=as_of, profile=profile, lang=lang, workbench_url=workbench_url)
    if fmt == "md":
        return render_markdown(d).encode("utf-8")
    if fmt == "txt":
        return render_text(d).encode("utf-8")
    if fmt == "html":
        return render_html(d).encode("utf-8")
    from email.policy import compat32

    from tracker.digest.mailer import default_sender

    message = render_email(d, sender=sender or default_sender(),
                           recipients=list(recipients if recipients is not None else profile.recipients))
    return message.as_bytes(policy=compat32.clone(linesep="\r\n"))  # RFC 5322 line ends


def record(db: sqlite_utils.Database, d: Digest, fmt: str, path: str) -> None:
    """Remember a written (or sent) digest: the next day's "since" point."""
    with db.conn:
        db["digests"].insert({
            "profile": d.profile.name, "date": d.day.isoformat(),
            "generated_at": now_iso(),
            "last_event_id": d.last_event_id, "format": fmt, "path": path,
        })  # fmt: skip


def sent_to(db: sqlite_utils.Database, profile: str, day: date) -> set[str]:
    """The addresses (lower-cased) the profile's digest of `day` was already delivered to."""
    if not db["digests"].exists():
        return set()
    out: set[str] = set()
    for row in db.query("select path from digests where profile = ? and date = ? and format = 'email'",
                        [profile, day.isoformat()]):
        out |= {a.strip().lower() for a in (row["path"] or "").removeprefix("mailto:").split(",") if a.strip()}
    return out


def output_name(profile: str, day: date, fmt: str) -> str:
    return f"digest-{profile}-{day.isoformat()}.{EXTENSIONS[fmt]}"


def write_for_run(db: sqlite_utils.Database, *, as_of: datetime, out_dir: Path, profile: str = "ncp",
                  formats: tuple[str, ...] | list[str] = ("md", "html"), lang: str = "nb",
                  workbench_url: str = "") -> list[Path]:
    """Write the profile's digest for `as_of` in each format to `out_dir`, record it, return the
    paths. `workbench_url`: as `build_digest`'s."""
    prof = load_profile(profile)
    d = build_digest(db, as_of=as_of, profile=prof, lang=lang, workbench_url=workbench_url)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for fmt in formats:
        data = render(db, fmt, as_of=as_of, profile=prof, lang=lang, digest=d, workbench_url=workbench_url)
        path = out_dir / output_name(prof.name, d.day, fmt)
        write_whole(path, data)
        record(db, d, fmt, str(path))
        paths.append(path)
    return paths
