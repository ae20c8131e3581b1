"""Digest profiles (`data/profiles.toml`): scope, relevance threshold, lead time, recipients.

A profile's scope is every item whose source is in `sources`, or whose kind is in `kinds`,
or that carries one of `labels`; a profile naming none of the three covers everything.
`threshold` is the relevance an open consultation needs to be listed under "Needs input";
without one, the tagger's own decision (`items.relevant`) is used.

The file is ``profiles.toml`` in the data directory (configuration), else the shipped default.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from tracker.store.deadlines import DEFAULT_LEAD_DAYS

DEFAULT_PROFILE = "ncp"
#: a relevance of 1.0 is worth this many working days in the urgency order
DEFAULT_RELEVANCE_WEIGHT_DAYS = 5.0


class ProfileError(Exception):
    """An unknown profile or a broken profiles file (the message is one line for the user)."""


@dataclass(frozen=True)
class Profile:
    name: str
    title: dict[str, str] = field(default_factory=dict)
    description: str = ""
    labels: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    threshold: float | None = None
    lead_days: int = DEFAULT_LEAD_DAYS
    relevance_weight_days: float = DEFAULT_RELEVANCE_WEIGHT_DAYS
    recipients: tuple[str, ...] = ()

    @property
    def covers_everything(self) -> bool:
        return not (self.labels or self.sources or self.kinds)

    def in_scope(self, item: dict[str, Any]) -> bool:
        """Is this item (a row with source, kind and labels as a list) in the profile's scope?"""
        if self.covers_everything:
            return True
        if item.get("source") in self.sources or item.get("kind") in self.kinds:
            return True
        labels = item.get("labels") or []
        return any(label in self.labels for label in labels)

    def passes_threshold(self, item: dict[str, Any]) -> bool:
        """Relevance at or above the threshold (or the tagger's decision when there is none)."""
        if self.threshold is None:
            return bool(item.get("relevant"))
        relevance = item.get("relevance")
        return relevance is not None and float(relevance) >= self.threshold

    def display_title(self, lang: str) -> str:
        return self.title.get(lang) or self.title.get("nb") or self.name


def profiles_path() -> Path | Traversable:
    """The data directory's profiles.toml if the user has one, else the shipped default."""
    from tracker.resources import locate

    return locate("profiles.toml")


def _read(path: Path | Traversable | None = None) -> dict[str, Any]:
    path = path or profiles_path()
    try:
        return tomllib.loads(path.read_text("utf-8"))
    except FileNotFoundError as exc:
        raise ProfileError(f"profiles file not found: {path}") from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ProfileError(f"profiles file {path} is not valid TOML: {exc}") from exc


def _tuple(value: Any, key: str, name: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ProfileError(f"profile {name!r}: {key} must be a list of strings")
    return tuple(value)


def _build(name: str, raw: dict[str, Any]) -> Profile:
    if not isinstance(raw, dict):
        raise ProfileError(f"profile {name!r} must be a table")
    title = raw.get("title") or {}
    if isinstance(title, str):
        title = {"nb": title, "en": title}
    threshold = raw.get("threshold")
    if threshold is not None and (not isinstance(threshold, int | float) or not 0 <= threshold <= 1):
        raise ProfileError(f"profile {name!r}: threshold must be a number in [0, 1]")
    lead = raw.get("lead_days", DEFAULT_LEAD_DAYS)
    if not isinstance(lead, int) or lead < 0:
        raise ProfileError(f"profile {name!r}: lead_days must be a whole number ≥ 0")
    weight = raw.get("relevance_weight_days", DEFAULT_RELEVANCE_WEIGHT_DAYS)
    if not isinstance(weight, int | float) or weight < 0:
        raise ProfileError(f"profile {name!r}: relevance_weight_days must be a number ≥ 0")
    return Profile(
        name=name, title=dict(title), description=str(raw.get("description") or ""),
        labels=_tuple(raw.get("labels"), "labels", name),
        sources=_tuple(raw.get("sources"), "sources", name),
        kinds=_tuple(raw.get("kinds"), "kinds", name),
        threshold=None if threshold is None else float(threshold),
        lead_days=lead, relevance_weight_days=float(weight),
        recipients=_tuple(raw.get("recipients"), "recipients", name),
    )  # fmt: skip


def load_profiles(path: Path | None = None) -> dict[str, Profile]:
    """Every profile in the file, by name."""
    data = _read(path)
    raw = data.get("profiles") or {}
    if not isinstance(raw, dict) or not raw:
        raise ProfileError(f"no [profiles.<name>] tables in {path or profiles_path()}")
    return {name: _build(name, value) for name, value in raw.items()}


def load_profile(name: str | None = None, path: Path | None = None) -> Profile:
    """One profile; an unknown name is an error that lists the known ones."""
    name = name or DEFAULT_PROFILE
    profiles = load_profiles(path)
    if name not in profiles:
        known = ", ".join(sorted(profiles))
        raise ProfileError(f"unknown profile {name!r} (known profiles: {known})")
    return profiles[name]


def default_profile() -> Profile:
    """The `ncp` profile from the file, or a built-in one covering everything if the file is missing."""
    try:
        return load_profile(DEFAULT_PROFILE)
    except ProfileError:
        return Profile(name=DEFAULT_PROFILE, title={"nb": "Kontaktpunktet", "en": "NCP"})
