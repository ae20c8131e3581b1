"""Reading and validating ``data/watchlist.toml`` (the EU acts and procedures the NCP follows).

This is the one parser of the watchlist. It lives in ``crawlers/`` because the
EU spiders need it and spiders import nothing from ``tracker/``;
``tracker.links.watchlist`` builds on it (reference keys, matching items to files).

A watchlist that cannot be read fails fast with the line and field at fault::

    data/watchlist.toml:42: file 'csddd': field 'celex': '3202L1760' is not a CELEX number

Format (one ``[[file]]`` table per watched file; unknown fields are errors, so a
typo never silently drops a CELEX number)::

    [[file]]
    id = "csddd"                      # required: a-z, 0-9, _ ; unique
    name = "CSDDD"                    # required: short name (in English, or an abbreviation) …
    name_nb = "…"                     # … and in Bokmål where it is words ("Batteriforordningen")
    title = "Corporate Sustainability Due Diligence Directive"
    act = "Directive (EU) 2024/1760"  # the act's own citation
    celex = "32024L1760"              # CELEX of the act (or of the proposal, 5yyyyPCnnnn)
    procedure = "2022/0051(COD)"      # OEIL procedure reference
    com = "COM(2022) 71"              # Commission proposal
    refs = ["åpenhetsloven § 4"]      # other references that belong to this file (Norwegian afterlife)
    labels = ["csddd", "due_diligence"]
    unverified = ["procedure"]        # fields not checked against the source
    note = "…"                        # what the NCP should know of it, in English …
    note_nb = "…"                     # … and in Bokmål (shown to Bokmål readers; without it, the English)
    eea = "…"                         # its EEA/Norway status, in English …
    eea_nb = "…"                      # … and in Bokmål (as note_nb)

An entry without ``celex``, ``procedure`` and ``com`` is allowed (a file whose numbers are
not known yet); the spiders then have nothing to ask for and `ncp-tracker watchlist` says so.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

ENV_WATCHLIST = "NCP_TRACKER_WATCHLIST"
#: the Scrapy setting that names the watchlist file for the EU spiders (the tracker sets it to the
#: data directory's copy; a spider's own `-a watchlist=FILE` wins)
WATCHLIST_SETTING = "WATCHLIST_FILE"
DEFAULT_WATCHLIST = Path("data") / "watchlist.toml"

CELEX_RE = re.compile(r"^[0-9][0-9]{4}[A-Z]{1,2}[0-9]{4}(?:\([0-9]{2}\))?$")
PROCEDURE_RE = re.compile(r"^[0-9]{4}/[0-9]{4}\((?:COD|CNS|APP|NLE|INI|BUD|DEC|INL|RSP|SYN|AVC|DEA|RPS)\)$")
COM_RE = re.compile(r"^COM\s*\([0-9]{4}\)\s*[0-9]{1,4}(?:\s+final)?$")
ID_RE = re.compile(r"^[a-z0-9_]+$")

STRING_FIELDS = ("id", "name", "name_nb", "title", "act", "celex", "procedure", "com", "note", "note_nb", "eea",
                 "eea_nb")
LIST_FIELDS = ("refs", "labels", "unverified")
REQUIRED = ("id", "name")
IDENTIFYING = ("celex", "procedure", "com")


class WatchlistError(ValueError):
    """An invalid watchlist: the message names the file, line and field at fault."""

    def __init__(self, message: str, *, path: str | Path | None = None, line: int | None = None,
                 entry: str | None = None, field: str | None = None):
        self.path, self.line, self.entry, self.field = path, line, entry, field
        where = f"{path}:{line}" if line else str(path or "watchlist")
        what = " ".join(p for p in (f"file {entry!r}" if entry else "", f"field {field!r}" if field else "") if p)
        super().__init__(f"{where}: {what + ': ' if what else ''}{message}")


@dataclass(frozen=True)
class WatchEntry:
    """One watched EU file (an act, its proposal and its procedure)."""

    id: str
    name: str
    name_nb: str | None = None
    title: str | None = None
    act: str | None = None
    celex: str | None = None
    procedure: str | None = None
    com: str | None = None
    refs: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()
    unverified: tuple[str, ...] = ()
    note: str | None = None
    note_nb: str | None = None
    eea: str | None = None
    eea_nb: str | None = None
    line: int | None = field(default=None, compare=False)

    def is_verified(self, name: str) -> bool:
        return name not in self.unverified

    def name_in(self, lang: str) -> str:
        """The file's name for a reader of `lang`: `name_nb` in Bokmål where it has one (a name in
        words: «Batteriforordningen»), else `name` (an abbreviation reads the same: «CSRD»)."""
        return (self.name_nb or self.name) if lang == "nb" else self.name

    def note_in(self, lang: str) -> str | None:
        """The note for a reader of `lang` ("nb" or "en"): `note_nb` in Bokmål, else `note` (the
        English one, also what a watchlist without Bokmål notes shows; the horizon reads its dates
        from `note`)."""
        return (self.note_nb or self.note) if lang == "nb" else self.note

    def eea_in(self, lang: str) -> str | None:
        """The EEA status for a reader of `lang`, chosen as `note_in` chooses the note."""
        return (self.eea_nb or self.eea) if lang == "nb" else self.eea


def default_path() -> Path:
    """$NCP_TRACKER_WATCHLIST, else data/watchlist.toml in the working directory (the user's copy:
    whatever is there under the name, a link to nothing too, which `load` then says), else the copy
    shipped in this package."""
    if env := os.environ.get(ENV_WATCHLIST):
        return Path(env)
    if os.path.lexists(DEFAULT_WATCHLIST):
        return DEFAULT_WATCHLIST
    return Path(__file__).resolve().parent / "watchlist.toml"


def _entry_lines(text: str) -> list[int]:
    """1-based line numbers of each ``[[file]]`` header, in order."""
    return [i for i, line in enumerate(text.splitlines(), 1) if re.match(r"^\s*\[\[\s*file\s*\]\]", line)]


def _field_line(text: str, start: int | None, name: str) -> int | None:
    """The line of `name = …` inside the entry that starts at line `start`."""
    if start is None:
        return None
    lines = text.splitlines()
    for i in range(start, len(lines)):  # lines[start] is the line after the header
        if re.match(r"^\s*\[", lines[i]):
            break
        if re.match(rf"^\s*{re.escape(name)}\s*=", lines[i]):
            return i + 1
    return start


def parse(text: str, path: str | Path = "watchlist.toml") -> list[WatchEntry]:
    """Parse and validate watchlist text; raises `WatchlistError` naming line and field."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"line (\d+)", str(exc))
        raise WatchlistError(f"not valid TOML: {exc}", path=path, line=int(m.group(1)) if m else None) from exc
    unknown_top = [k for k in data if k != "file"]
    if unknown_top:
        key = unknown_top[0]
        line = next((i for i, ln in enumerate(text.splitlines(), 1) if re.match(rf"^\s*\[*\s*{re.escape(key)}\b", ln)), None)
        raise WatchlistError(f"unknown top-level key {key!r} (expected [[file]] tables)", path=path, line=line)
    raw = data.get("file", [])
    if not isinstance(raw, list) or not raw:
        raise WatchlistError("no [[file]] entries", path=path, line=1)
    starts = _entry_lines(text)
    entries: list[WatchEntry] = []
    seen: dict[str, int] = {}
    for index, item in enumerate(raw):
        start = starts[index] if index < len(starts) else None
        name = item.get("id") if isinstance(item.get("id"), str) else f"#{index + 1}"

        def fail(message: str, fld: str | None = None, _start=start, _name=name) -> None:
            raise WatchlistError(message, path=path, line=_field_line(text, _start, fld) if fld else _start,
                                 entry=_name, field=fld)

        for key in item:
            if key not in STRING_FIELDS and key not in LIST_FIELDS:
                fail(f"unknown field (known: {', '.join(STRING_FIELDS + LIST_FIELDS)})", key)
        for key in REQUIRED:
            if not item.get(key):
                fail("required field missing or empty", key)
        for key in STRING_FIELDS:
            if key in item and not isinstance(item[key], str):
                fail(f"must be a string, not {type(item[key]).__name__}", key)
        for key in LIST_FIELDS:
            if key in item and (not isinstance(item[key], list) or not all(isinstance(v, str) for v in item[key])):
                fail("must be a list of strings", key)
        if not ID_RE.match(item["id"]):
            fail(f"{item['id']!r} must be lower-case letters, digits and _", "id")
        if item["id"] in seen:
            fail(f"duplicate id (first used in entry #{seen[item['id']]})", "id")
        seen[item["id"]] = index + 1
        if item.get("celex") and not CELEX_RE.match(item["celex"]):
            fail(f"{item['celex']!r} is not a CELEX number (e.g. 32024L1760)", "celex")
        if item.get("procedure") and not PROCEDURE_RE.match(item["procedure"]):
            fail(f"{item['procedure']!r} is not a procedure reference (e.g. 2022/0051(COD))", "procedure")
        if item.get("com") and not COM_RE.match(item["com"]):
            fail(f"{item['com']!r} is not a COM number (e.g. COM(2025) 81)", "com")
        for flagged in item.get("unverified", []):
            if flagged not in STRING_FIELDS + LIST_FIELDS:
                fail(f"names unknown field {flagged!r}", "unverified")
        entries.append(WatchEntry(
            **{k: item.get(k) for k in STRING_FIELDS},
            **{k: tuple(item.get(k, [])) for k in LIST_FIELDS},
            line=start,
        ))
    return entries


def load(path: str | Path | None = None) -> list[WatchEntry]:
    """Read and validate the watchlist file (default: `default_path()`)."""
    target = Path(path) if path else default_path()
    try:  # a byte-order mark some editors write is dropped, as the configuration's is
        text = target.read_text("utf-8").removeprefix("\ufeff")
    except FileNotFoundError as exc:
        if target.is_symlink():  # the name is there: what it points to is not
            raise WatchlistError(f"a link to {os.readlink(target)}, which does not exist", path=target) from exc
        raise WatchlistError("watchlist file not found", path=target) from exc
    except UnicodeDecodeError as exc:
        raise WatchlistError(f"not UTF-8 text: {exc}", path=target) from exc
    except OSError as exc:  # a folder, a file it may not read: said, never a traceback
        raise WatchlistError(f"cannot read: {exc.strerror or exc}", path=target) from exc
    return parse(text, target)
