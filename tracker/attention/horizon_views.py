"""The two horizon e-mails: "Uka som kommer" (Mondays) and "Neste tre måneder" (the 1st of the month).

Views are read from ``horizon.toml`` (the user's copy in the data directory wins over the
shipped tracker/defaults/horizon.toml); each is rendered as text and HTML from the Jinja
templates in tracker/attention/templates/ and mailed through tracker/digest/mailer.py.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
import sqlite_utils

from crawlers.dates import OSLO
from tracker.attention.horizon import MONTHS_EN, MONTHS_NB, Dated, grouped, horizon
from tracker.attention.profiles import load_profile

WHEN = ("monday", "first_of_month")


class ViewError(Exception):
    """A broken or unknown horizon view (one line for the user)."""


@dataclass(frozen=True)
class View:
    name: str
    title: dict[str, str]
    profile: str = "ncp"
    weeks: int | None = None
    months: int | None = None
    by: str = "week"
    when: str = "monday"
    recipients: tuple[str, ...] = field(default_factory=tuple)

    def span(self, day: date) -> tuple[date, date]:
        """[start, end) of the dates this view shows when sent on `day`."""
        if self.months:
            first = day.replace(day=1)
            y, m = divmod(first.month - 1 + self.months, 12)
            return day, date(first.year + y, m + 1, 1)
        return day, day + timedelta(weeks=self.weeks or 1)

    def due(self, day: date) -> bool:
        return day.weekday() == 0 if self.when == "monday" else day.day == 1


def _build(name: str, raw: Any) -> View:
    if not isinstance(raw, dict):
        raise ViewError(f"horizon view {name!r} must be a table")
    title = raw.get("title") or {"nb": name, "en": name}
    if isinstance(title, str):
        title = {"nb": title, "en": title}
    weeks, months = raw.get("weeks"), raw.get("months")
    if (weeks is None) == (months is None):
        raise ViewError(f"horizon view {name!r}: give exactly one of weeks or months")
    for key, value in (("weeks", weeks), ("months", months)):
        if value is not None and (not isinstance(value, int) or value < 1):
            raise ViewError(f"horizon view {name!r}: {key} must be a whole number ≥ 1")
    if raw.get("by", "week") not in ("week", "month"):
        raise ViewError(f"horizon view {name!r}: by must be 'week' or 'month'")
    if raw.get("when", "monday") not in WHEN:
        raise ViewError(f"horizon view {name!r}: when must be one of {', '.join(WHEN)}")
    recipients = raw.get("recipients") or []
    if not isinstance(recipients, list) or not all(isinstance(r, str) for r in recipients):
        raise ViewError(f"horizon view {name!r}: recipients must be a list of addresses")
    return View(name=name, title=dict(title), profile=str(raw.get("profile") or "ncp"), weeks=weeks, months=months,
                by=raw.get("by", "week"), when=raw.get("when", "monday"), recipients=tuple(recipients))


def load_views(path: Path | None = None) -> dict[str, View]:
    """Every view in horizon.toml, by name."""
    if path is None:
        from tracker.resources import locate

        source: Any = locate("horizon.toml")
    else:
        source = path
    try:
        data = tomllib.loads(source.read_text("utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ViewError(f"cannot read {source}: {exc}") from exc
    raw = data.get("horizon")
    if not isinstance(raw, dict) or not raw:
        raise ViewError(f"no [horizon.<name>] tables in {source}")
    return {name: _build(name, value) for name, value in raw.items()}


def load_view(name: str, path: Path | None = None) -> View:
    views = load_views(path)
    if name not in views:
        raise ViewError(f"unknown horizon view {name!r} (known views: {', '.join(sorted(views))})")
    return views[name]


def _env() -> jinja2.Environment:
    folder = resources.files("tracker.attention") / "templates"
    return jinja2.Environment(loader=jinja2.FunctionLoader(lambda n: (folder / n).read_text("utf-8")),
                              autoescape=jinja2.select_autoescape(["html.j2"]), trim_blocks=True,
                              lstrip_blocks=True, undefined=jinja2.StrictUndefined)


def day_text(day: date, lang: str = "nb") -> str:
    if lang == "en":
        return f"{day.strftime('%a')} {day.day} {MONTHS_EN[day.month - 1]}"
    weekday = ("man.", "tir.", "ons.", "tor.", "fre.", "lør.", "søn.")[day.weekday()]
    return f"{weekday} {day.day}. {MONTHS_NB[day.month - 1]}"


@dataclass
class Rendered:
    subject: str
    text: str
    html: str
    entries: list[Dated]


def render(db: sqlite_utils.Database, view: View, as_of: datetime, *, lang: str = "nb") -> Rendered:
    """The view's text and HTML for the day of `as_of`."""
    day = as_of.astimezone(OSLO).date()
    start, end = view.span(day)
    entries = horizon(db, as_of, profile=load_profile(view.profile), end=end)
    groups = grouped(entries, view.by, lang)
    title = view.title.get(lang) or view.title.get("nb") or view.name
    last = end - timedelta(days=1)
    span = f"{day_text(start, lang)} – {day_text(last, lang)} {last.year}"
    count = {"nb": f"{len(entries)} datoer", "en": f"{len(entries)} dates"}[lang]
    subject = f"{title}: {span} ({count})"
    context = {"title": title, "span": span, "groups": groups, "lang": lang, "day_text": day_text,
               "empty": not entries, "as_of": day.isoformat()}
    env = _env()
    return Rendered(subject=subject, text=env.get_template("horizon.txt.j2").render(context),
                    html=env.get_template("horizon.html.j2").render(context), entries=entries)
