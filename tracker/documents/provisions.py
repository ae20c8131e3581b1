"""The watch list of provisions (provisions.toml, user copy in the data directory wins) and
matching it against a paragraph's text through the reference resolver (tracker/links/references.py)."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from importlib.resources.abc import Traversable
from pathlib import Path

from tracker.links import references


class ProvisionError(ValueError):
    """The watch list of provisions cannot be used as written."""


@dataclass(frozen=True)
class Provision:
    key: str
    #: what the digest shows, in Bokmål; `label_en` in English (the Bokmål one when not given)
    label: str
    #: reference keys that are this provision (law:apenhetsloven§4) or its act (celex:…, eu:…)
    ref_keys: frozenset[str] = frozenset()
    article: str | None = None
    names: tuple[str, ...] = ()
    terms: tuple[str, ...] = ()
    _patterns: tuple[re.Pattern, ...] = field(default=(), compare=False)
    label_en: str | None = None

    def label_in(self, lang: str = "nb") -> str:
        """The provision's name in `lang`."""
        return self.label_en if lang == "en" and self.label_en else self.label

    def match(self, text: str, keys: set[str] | None = None) -> bool:
        """Does `text` (with its already extracted reference keys, if known) refer to this provision?"""
        if keys is None:
            keys = {k2 for k in references.extract(text) for k2 in references.expand(k)}
        if self.terms:
            return any(p.search(text) for p in self._patterns)
        if self.article is None:
            return bool(self.ref_keys & keys)
        act = bool(self.ref_keys & keys) or any(p.search(text) for p in self._patterns)
        return act and re.search(rf"(?<!\w)(?:artikkel|artikler|art\.|article|articles)\s*{re.escape(self.article)}(?![\d\w])",
                                 text, re.IGNORECASE) is not None


def _word_start(word: str) -> re.Pattern:
    return re.compile(rf"(?<![\w-]){re.escape(word)}", re.IGNORECASE)


#: the fields a [[provision]] table may have
FIELDS = ("key", "label", "label_en", "reference", "act", "article", "names", "terms")


def parse(data: dict, origin: str = "provisions.toml") -> list[Provision]:
    """The provisions of a provisions file's tables (`origin`: its path, for the errors). A key it
    does not know — at the top (`[[provisions]]`: no provision watched at all) or in a table (`name`
    for `names`: silently unused) — is refused, as the watchlist's are."""
    out: list[Provision] = []
    unknown = [k for k in data if k != "provision"]
    if unknown:
        raise ProvisionError(f"{origin}: unknown key {unknown[0]!r} (expected [[provision]] tables)")
    entries = data.get("provision", [])
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise ProvisionError(f"{origin}: expected [[provision]] tables")
    seen: set[str] = set()
    for i, entry in enumerate(entries, 1):
        where = f"{origin}: provision {i}"
        odd = [k for k in entry if k not in FIELDS]
        if odd:
            raise ProvisionError(f"{where}: unknown field {odd[0]!r} (valid: {', '.join(FIELDS)})")
        key, label, label_en = entry.get("key"), entry.get("label"), entry.get("label_en")
        if not key or not label:
            raise ProvisionError(f"{where}: needs `key` and `label`")
        if label_en is not None and (not isinstance(label_en, str) or not label_en.strip()):
            raise ProvisionError(f"{where} ({key}): `label_en` must be a text (the name in English)")
        if key in seen:
            raise ProvisionError(f"{where}: key {key!r} used twice")
        seen.add(key)
        ways = [w for w in ("reference", "act", "terms") if entry.get(w)]
        if len(ways) != 1:
            raise ProvisionError(f"{where} ({key}): give exactly one of reference, act (+ article) or terms")
        if entry.get("reference"):
            ref = references.normalise(entry["reference"])
            if ref is None:
                raise ProvisionError(f"{where} ({key}): reference {entry['reference']!r} is not a reference "
                                     "the resolver knows (e.g. 'åpenhetsloven § 4', 'direktiv (EU) 2024/1760')")
            out.append(Provision(key, label, frozenset(references.expand(ref)), label_en=label_en))
        elif entry.get("act"):
            ref = references.normalise(entry["act"])
            if ref is None:
                raise ProvisionError(f"{where} ({key}): act {entry['act']!r} is not an act number the resolver knows")
            if not entry.get("article"):
                raise ProvisionError(f"{where} ({key}): `act` needs `article`")
            names = tuple(entry.get("names") or ())
            out.append(Provision(key, label, frozenset(references.expand(ref)), article=str(entry["article"]),
                                 names=names, _patterns=tuple(_word_start(n) for n in names), label_en=label_en))
        else:
            terms = entry["terms"]
            terms = (terms,) if isinstance(terms, str) else tuple(terms)
            out.append(Provision(key, label, terms=terms, _patterns=tuple(_word_start(t) for t in terms),
                                 label_en=label_en))
    return out


def load(path: str | Path | None = None) -> list[Provision]:
    """The watch list: `path`, else the user's copy in the data directory, else the shipped default."""
    if path is None:
        from tracker.resources import locate

        return _read(locate("provisions.toml"))
    return _read(Path(path))


def _read(source: Path | Traversable) -> list[Provision]:
    origin = str(source)
    try:  # a byte-order mark some editors write is dropped, as the configuration's is
        text = source.read_text("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        raise ProvisionError(f"{origin}: not UTF-8 text: {exc}") from exc
    except OSError as exc:  # a folder, a link to nothing, a file it may not read: said with its file
        from tracker.resources import unreadable

        raise ProvisionError(unreadable(source, exc)) from exc
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:  # with its line, as the watchlist's and the configuration's
        line = re.search(r"line (\d+)", str(exc))
        raise ProvisionError(f"{origin}:{line.group(1)}: not valid TOML: {exc}" if line
                             else f"{origin}: not valid TOML: {exc}") from exc
    return parse(data, origin)


#: the watch list `label_of` read last, per file: (its modification time and size, the provisions
#: by key, or None when it could not be used)
_LISTED: dict[str, tuple[tuple[int, int] | None, dict[str, Provision] | None]] = {}


def _listed() -> dict[str, Provision] | None:
    """The watch list as `load` gives it now, by key — parsed again only when its file changed (its
    path, modification time or size did): a digest names a provision for every line it renders.
    None when it cannot be used."""
    from tracker.resources import locate

    source = locate("provisions.toml")
    try:  # a shipped default inside an archive has no time of its own, and does not change
        stamp = (info.st_mtime_ns, info.st_size) if isinstance(source, Path) and (info := source.stat()) else None
        if (cached := _LISTED.get(str(source))) and cached[0] == stamp:
            return cached[1]
        listed: dict[str, Provision] | None = {p.key: p for p in _read(source)}
    except ProvisionError:
        listed = None
    except OSError:
        return None
    _LISTED[str(source)] = (stamp, listed)
    return listed


def label_of(key: str | None, lang: str, default: str) -> str:
    """The name in `lang` of the watched provision `key` as the watch list (`load`) gives it now; a
    hit stores its Bokmål label when found, so a provision no longer listed, or a watch list that
    cannot be read, gives `default` (what was stored): a digest never fails for it."""
    found = (_listed() or {}).get(str(key or ""))
    return found.label_in(lang) if found else default


def matches(text: str, provisions: list[Provision]) -> list[Provision]:
    keys = {k2 for k in references.extract(text) for k2 in references.expand(k)}
    return [p for p in provisions if p.match(text, keys)]
