"""Digest profiles (`data/profiles.toml`): scope, relevance threshold, lead time, recipients.

A profile's scope is every item whose source is in `sources`, or whose kind is in `kinds`,
or that carries one of `labels`; a profile naming none of the three covers everything.
`threshold` is the relevance an open consultation needs to be listed under "Needs input";
without one, the tagger's own decision (`items.relevant`) is used.

A profile may also look ahead: `horizon_weeks` (a span of whole weeks from the digest's day) or
`horizon_months` (the rest of the digest's month and the months after it, up to that many months
counted from the 1st) adds the **horizon** section (every date ahead among what the profile
follows, tracker/attention/horizon.py), grouped by `horizon_by` ("week" or "month"). `sections`
names the sections a profile shows (default: every section but the horizon; the horizon is added
when a span is set), and `due` the days its mail is due (`daily`, `weekdays`, `monday` …
`sunday`, `first_of_month`): `ncp-tracker digest --send` sends only on a due day.

The file is ``profiles.toml`` in the data directory (configuration), else the shipped default.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from datetime import date, timedelta
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from tracker.store.deadlines import DEFAULT_LEAD_DAYS

DEFAULT_PROFILE = "ncp"
#: accepted in old profiles files; the needs-input order no longer uses it (window, then relevance)
DEFAULT_RELEVANCE_WEIGHT_DAYS = 5.0
#: a digest whose latest successful run is older than this (hours) is red
DEFAULT_MAX_AGE_HOURS = 36
#: "Needs input" shows at most this many entries per deadline window
DEFAULT_NEEDS_INPUT_CAP = 6
#: triage states of items the NCP follows: the digest shows their changes even below a profile's
#: threshold (`Profile.follows`)
FOLLOWED_STATES = ("watching", "respond", "assigned", "drafting")
#: every key a profile table may have (anything else is a typo, and an error)
FIELDS = ("title", "description", "labels", "sources", "kinds", "threshold", "lead_days",
          "relevance_weight_days", "recipients", "max_age_hours", "needs_input_cap", "eves_are_working_days",
          "sections", "horizon_weeks", "horizon_months", "horizon_by", "due")
#: the digest's sections a profile may name, in the order the digest shows them (the builders are
#: tracker/digest/sections.py's BUILDERS; tests/test_profiles.py checks the two agree)
SECTION_IDS = ("needs-input", "upcoming", "new", "changed", "provisions", "ncp_cases", "eu", "gpfg", "apenhetsloven",
               "coming", "horizon")
#: the sections of a profile that names none (the horizon joins them when the profile has a span)
DEFAULT_SECTIONS = tuple(s for s in SECTION_IDS if s != "horizon")
#: the sections whose items a feed and a calendar hold (tracker.digest.feeds)
FEED_SECTIONS = ("needs-input", "new", "changed")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
#: the days a profile's mail can be due on
DUE = ("daily", "weekdays", *WEEKDAYS, "first_of_month")


def known_sources() -> list[str]:
    """Every source of items (a spider's name): the modules of crawlers.spiders (without importing
    Scrapy), not the spiders that yield no items (`crawlers.fields.NOT_ITEM_SPIDERS`)."""
    import pkgutil

    import crawlers.spiders
    from crawlers.fields import NOT_ITEM_SPIDERS

    return sorted(m.name for m in pkgutil.iter_modules(crawlers.spiders.__path__)
                  if not m.name.startswith("_") and m.name != "base" and m.name not in NOT_ITEM_SPIDERS)


def scheduled_sources() -> list[str]:
    """Every source a daily `ncp-tracker run` crawls (not those run by their own command,
    `crawlers.fields.UNSCHEDULED_SPIDERS`): what the sources' health expects to have been checked."""
    from crawlers.fields import UNSCHEDULED_SPIDERS

    return [s for s in known_sources() if s not in UNSCHEDULED_SPIDERS]


class ProfileError(Exception):
    """An unknown profile or a broken profiles file (the message is one line for the user)."""


class ProfilesFileMissing(ProfileError):
    """There is no profiles file at all."""


class UnknownProfile(ProfileError):
    """The profiles file has no profile of that name (`known`: the names it has)."""

    def __init__(self, message: str, name: str, known: list[str]) -> None:
        super().__init__(message)
        self.name = name
        self.known = known


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
    max_age_hours: float = DEFAULT_MAX_AGE_HOURS
    needs_input_cap: int = DEFAULT_NEEDS_INPUT_CAP
    #: do Christmas Eve and New Year's Eve count as working days? (default: no)
    eves_are_working_days: bool = False
    #: the sections this profile shows (SECTION_IDS), in the digest's order
    sections: tuple[str, ...] = DEFAULT_SECTIONS
    #: how far the horizon section looks ahead: whole weeks from the day, or months from the 1st
    horizon_weeks: int | None = None
    horizon_months: int | None = None
    horizon_by: str = "week"
    #: the days the mail is due (DUE)
    due: str = "daily"

    def shows(self, section_id: str) -> bool:
        return section_id in self.sections

    @property
    def has_feed(self) -> bool:
        """Whether the Atom feed and the calendar say what this profile's mail does: they hold
        the items needing input, new and changed — a profile showing none of these (a horizon
        mail: dates ahead) has no feed or calendar of its own."""
        return any(self.shows(s) for s in FEED_SECTIONS)

    def horizon_span(self, day: date) -> tuple[date, date] | None:
        """[start, end) of the horizon section of a digest of `day` (None: no horizon)."""
        if self.horizon_months:
            y, m = divmod(day.month - 1 + self.horizon_months, 12)
            return day, date(day.year + y, m + 1, 1)
        if self.horizon_weeks:
            return day, day + timedelta(weeks=self.horizon_weeks)
        return None

    def is_due(self, day: date) -> bool:
        """Is the profile's mail due on `day` (`digest --send` sends only then)?"""
        if self.due == "daily":
            return True
        if self.due == "weekdays":
            return day.weekday() < 5
        if self.due == "first_of_month":
            return day.day == 1
        return WEEKDAYS[day.weekday()] == self.due

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

    def relevant(self, item: dict[str, Any]) -> bool:
        """What the digest lists for this profile: above its threshold (or the tagger's decision),
        or the NCP is a consultee — and not set aside as not relevant by an adviser (the item's
        `triage_state`)."""
        if item.get("triage_state") == "not_relevant":
            return False
        return bool(item.get("ncp_consultee")) or self.passes_threshold(item)

    def follows(self, item: dict[str, Any]) -> bool:
        """What the digest shows a change of: an item `relevant` to the profile, or one an adviser
        follows (its `triage_state` one of FOLLOWED_STATES) even below the profile's threshold."""
        return item.get("triage_state") in FOLLOWED_STATES or self.relevant(item)

    def relevant_sql(self, alias: str = "i", triage: str = "t") -> tuple[str, list[Any]]:
        """A where-clause (and its parameters) for the items of `alias` (joined to their triage
        row as `triage`) in this profile's scope that `relevant` says yes to: what the digest
        lists ("+12 more in the workbench"). Tested against `in_scope` and `relevant`
        (tests/test_profiles.py)."""
        scope, params = self._scope_sql(alias)
        relevant, more = self._relevant_sql(alias, triage)
        return f"{scope} and {relevant}", [*params, *more]

    def not_relevant_sql(self, alias: str = "i", triage: str = "t") -> tuple[str, list[Any]]:
        """The same for the items in scope that `relevant` says no to: what the digest's notes
        count ("3 other new items are not relevant to this profile")."""
        scope, params = self._scope_sql(alias)
        relevant, more = self._relevant_sql(alias, triage)
        return f"{scope} and not {relevant}", [*params, *more]

    def follows_sql(self, alias: str = "i", triage: str = "t") -> tuple[str, list[Any]]:
        """A where-clause for the items in scope that `follows` says yes to: the changed items the
        digest lists ("+4 more in the workbench" under «Changed»). Tested against `follows`."""
        scope, params = self._scope_sql(alias)
        follows, more = self._follows_sql(alias, triage)
        return f"{scope} and {follows}", [*params, *more]

    def not_follows_sql(self, alias: str = "i", triage: str = "t") -> tuple[str, list[Any]]:
        """The items in scope that `follows` says no to: what the note under «Changed» counts."""
        scope, params = self._scope_sql(alias)
        follows, more = self._follows_sql(alias, triage)
        return f"{scope} and not {follows}", [*params, *more]

    def _follows_sql(self, alias: str, triage: str) -> tuple[str, list[Any]]:
        relevant, params = self._relevant_sql(alias, triage)
        states = ", ".join("?" for _ in FOLLOWED_STATES)
        return f"(coalesce({triage}.state in ({states}), 0) or {relevant})", [*FOLLOWED_STATES, *params]

    def _relevant_sql(self, alias: str, triage: str) -> tuple[str, list[Any]]:
        if self.threshold is None:
            passes, params = f"coalesce({alias}.relevant, 0) != 0", []
        else:
            passes, params = f"coalesce({alias}.relevance >= ?, 0)", [self.threshold]
        return (f"(coalesce({triage}.state != 'not_relevant', 1) and "
                f"(coalesce({alias}.ncp_consultee, 0) != 0 or {passes}))"), params

    def _scope_sql(self, alias: str) -> tuple[str, list[Any]]:
        if self.covers_everything:
            return "1", []
        scope = []
        for column, values in (("source", self.sources), ("kind", self.kinds)):
            if values:
                scope.append(f"{alias}.{column} in ({', '.join('?' for _ in values)})")
        if self.labels:
            scope.append(f"exists (select 1 from json_each(case when json_valid({alias}.labels) then "
                         f"{alias}.labels else '[]' end) j where j.value in ({', '.join('?' for _ in self.labels)}))")
        return f"({' or '.join(scope)})", [*self.sources, *self.kinds, *self.labels]

    def display_title(self, lang: str) -> str:
        return self.title.get(lang) or self.title.get("nb") or self.name


def profiles_path() -> Path | Traversable:
    """The data directory's profiles.toml if the user has one, else the shipped default."""
    from tracker.resources import locate

    return locate("profiles.toml")


def _read_text(path: Path | Traversable) -> str:
    """The profiles file's text; ProfilesFileMissing when nothing is there, ProfileError (the file
    named) when what is there cannot be read — a folder, a link to nothing, a file it may not read."""
    try:  # a byte-order mark some editors write is dropped, as the configuration's is
        return path.read_text("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        raise ProfileError(f"profiles file {path} is not valid TOML: {exc}") from exc
    except OSError as exc:
        from tracker.resources import nothing_there, unreadable

        if nothing_there(path, exc):
            raise ProfilesFileMissing(f"profiles file not found: {path}") from exc
        raise ProfileError(unreadable(path, exc)) from exc


def _parse(text: str, path: Path | Traversable) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(f"profiles file {path} is not valid TOML: {exc}") from exc


def _read(path: Path | Traversable | None = None) -> dict[str, Any]:
    path = path or profiles_path()
    return _parse(_read_text(path), path)


#: the profiles of a file, by its path and its whole text: the file is read on every call (an edit
#: counts at once), parsing and checking it only when its text is new (the web workbench asks on
#: every page for its banners)
_PARSED: dict[tuple[str, str], dict[str, Profile]] = {}


def _tuple(value: Any, key: str, name: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ProfileError(f"profile {name!r}: {key} must be a list of strings")
    return tuple(value)


def _checked(values: tuple[str, ...], valid: list[str] | tuple[str, ...], what: str, name: str) -> tuple[str, ...]:
    for value in values:
        if value not in valid:
            raise ProfileError(f"profile {name!r}: unknown {what} {value!r} (valid: {', '.join(valid)})")
    return values


def _labels(values: tuple[str, ...], name: str) -> tuple[str, ...]:
    from nlp.labels import parse_label

    out = []
    for value in values:
        try:
            out.append(parse_label(value))
        except ValueError as exc:
            raise ProfileError(f"profile {name!r}: {exc}") from exc
    return tuple(out)


def _build(name: str, raw: dict[str, Any]) -> Profile:
    if not isinstance(raw, dict):
        raise ProfileError(f"profile {name!r} must be a table")
    unknown = sorted(set(raw) - set(FIELDS))
    if unknown:
        raise ProfileError(f"profile {name!r}: unknown field(s) {', '.join(map(repr, unknown))} "
                           f"(valid: {', '.join(FIELDS)})")
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
    max_age = raw.get("max_age_hours", DEFAULT_MAX_AGE_HOURS)
    if not isinstance(max_age, int | float) or isinstance(max_age, bool) or max_age <= 0:
        raise ProfileError(f"profile {name!r}: max_age_hours must be a number > 0")
    cap = raw.get("needs_input_cap", DEFAULT_NEEDS_INPUT_CAP)
    if not isinstance(cap, int) or isinstance(cap, bool) or cap < 1:
        raise ProfileError(f"profile {name!r}: needs_input_cap must be a whole number ≥ 1")
    eves = raw.get("eves_are_working_days", False)
    if not isinstance(eves, bool):
        raise ProfileError(f"profile {name!r}: eves_are_working_days must be true or false")
    span = _span(raw, name)
    from crawlers.fields import KINDS

    return Profile(
        name=name, title=dict(title), description=str(raw.get("description") or ""),
        labels=_labels(_tuple(raw.get("labels"), "labels", name), name),
        sources=_checked(_tuple(raw.get("sources"), "sources", name), known_sources(), "source", name),
        kinds=_checked(_tuple(raw.get("kinds"), "kinds", name), KINDS, "kind", name),
        threshold=None if threshold is None else float(threshold),
        lead_days=lead, relevance_weight_days=float(weight),
        recipients=_recipients(_tuple(raw.get("recipients"), "recipients", name), name),
        max_age_hours=float(max_age), needs_input_cap=cap, eves_are_working_days=eves, **span,
    )  # fmt: skip


def _recipients(values: tuple[str, ...], name: str) -> tuple[str, ...]:
    """The profile's recipients, each an address (`tracker.addresses`: one, or several separated
    by commas), as `digest --to` takes them; one that is not is an error, so nothing is sent."""
    from tracker.addresses import AddressError, recipients

    try:
        return tuple(recipients(values))
    except AddressError as exc:
        raise ProfileError(f"profile {name!r}: recipients: {exc}") from None


def _span(raw: dict[str, Any], name: str) -> dict[str, Any]:
    """The horizon and schedule fields (sections, horizon_weeks/months/by, due), checked."""
    weeks, months = raw.get("horizon_weeks"), raw.get("horizon_months")
    if weeks is not None and months is not None:
        raise ProfileError(f"profile {name!r}: give horizon_weeks or horizon_months, not both")
    for key, value in (("horizon_weeks", weeks), ("horizon_months", months)):
        if value is not None and (not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 104):
            raise ProfileError(f"profile {name!r}: {key} must be a whole number from 1 to 104")
    by = raw.get("horizon_by", "month" if months else "week")
    if by not in ("week", "month"):
        raise ProfileError(f"profile {name!r}: horizon_by must be 'week' or 'month', not {by!r}")
    due = raw.get("due", "daily")
    if due not in DUE:
        raise ProfileError(f"profile {name!r}: unknown due {due!r} (valid: {', '.join(DUE)})")
    if "sections" in raw:
        sections = _checked(_tuple(raw["sections"], "sections", name), SECTION_IDS, "section", name)
        if not sections:
            raise ProfileError(f"profile {name!r}: sections is empty (valid: {', '.join(SECTION_IDS)})")
    else:
        sections = DEFAULT_SECTIONS + (("horizon",) if weeks or months else ())
    if "horizon" in sections and not (weeks or months):
        raise ProfileError(f"profile {name!r}: the horizon section needs horizon_weeks or horizon_months")
    return {"sections": tuple(s for s in SECTION_IDS if s in sections), "horizon_weeks": weeks,
            "horizon_months": months, "horizon_by": by, "due": due}


def load_profiles(path: Path | None = None) -> dict[str, Profile]:
    """Every profile in the file, by name."""
    where = path or profiles_path()
    text = _read_text(where)
    key = (str(where), text)
    if key not in _PARSED:
        raw = _parse(text, where).get("profiles") or {}
        if not isinstance(raw, dict) or not raw:
            raise ProfileError(f"no [profiles.<name>] tables in {where}")
        built = {name: _build(name, value) for name, value in raw.items()}
        if len(_PARSED) >= 16:  # a few files and versions at a time; never grows without bound
            _PARSED.clear()
        _PARSED[key] = built
    return dict(_PARSED[key])


def load_profile(name: str | None = None, path: Path | None = None) -> Profile:
    """One profile; an unknown name is an error that lists the known ones."""
    name = name or DEFAULT_PROFILE
    profiles = load_profiles(path)
    if name not in profiles:
        known = ", ".join(sorted(profiles))
        hint = ""
        where = path or profiles_path()
        if isinstance(where, Path):  # the user's own file: the shipped one may have it (newer)
            from tracker.resources import shipped

            try:
                has = name in (_read(shipped("profiles.toml")).get("profiles") or {})
            except ProfileError:
                has = False
            if has:
                hint = (f"; the shipped profiles.toml has it: copy its [profiles.{name}] table "
                        f"into {where}")
        raise UnknownProfile(f"unknown profile {name!r} (known profiles: {known}){hint}", name, sorted(profiles))
    return profiles[name]


def default_profile() -> Profile:
    """The `ncp` profile from the file, or a built-in one covering everything if there is no file
    (a broken file is an error, never a silent fallback)."""
    try:
        return load_profile(DEFAULT_PROFILE)
    except ProfilesFileMissing:
        return Profile(name=DEFAULT_PROFILE, title={"nb": "Kontaktpunktet", "en": "NCP"})
