"""What the web pages show for codes, dates and deadlines: the same vocabulary and catalogue as
the digest (`tracker.vocabulary`, `tracker.i18n`), as Jinja2 filters and globals.

``install(app, lang="nb")`` gives the app's templates ``_()``/``ngettext`` (the catalogue),
the date filters (``date``, ``longdate``, ``time``, ``datetime``), the name filters
(``source_name``, ``kind_name``, ``status_name``, ``triage_name``, ``label_name``) and
``deadline_lines(item)``: an item's deadline as people act on it — for a Storting committee
hearing the deadline to ask to speak, the hearing and the written-input deadline, each with
its time; for others the deadline day (with its time when it has one), or "ingen frist kjent"
(a consultation; nothing for an item of a kind that has no deadline);
``status_known(status)`` (lists leave "ukjent" out) and ``statuses`` (the search form's choices);
``status_word_query(word, source)``: the search for the items whose source says that word;
``why(item)``: the digest's "why" — the tagger's reason with the relevance that ranks the item;
``resent(previous)``: the digest's line for a consultation sent on a new hearing.
:func:`reference_texts` names the references related items share.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from tracker.i18n import install_jinja
from tracker.store.status import STATUSES, UNKNOWN
from tracker.vocabulary import install_jinja_filters


def status_word_query(word: str, source: str | None = None) -> str | None:
    """The search for the items whose source says `word` (tracker.workbench.search, imported
    when used)."""
    from tracker.workbench.search import status_word_query as query

    return query(word, source)


def why(item: dict[str, Any], lang: str = "nb") -> str:
    """The digest's "why" of an item (tracker.digest.wording.reason_text, imported when used)."""
    from tracker.digest.wording import reason_text

    return reason_text(item, lang)


def resent(previous: dict[str, Any], lang: str = "nb") -> str:
    """The digest's line for a consultation sent on a new hearing (tracker.digest.wording.resent_text)."""
    from tracker.digest.wording import resent_text

    return resent_text(previous, lang)


def is_consultation(item: dict[str, Any]) -> bool:
    """A consultation an adviser can answer (it has a deadline and a status, known or not); an act,
    a note, news or a fund decision has neither, and its page says nothing of them."""
    from crawlers.fields import CONSULTATION_KINDS

    return item.get("kind") in CONSULTATION_KINDS


def status_known(status: str | None) -> bool:
    """Whether a status says something (lists leave out "ukjent"; tracker.store.status decides)."""
    return bool(status) and status != UNKNOWN


def deadline_lines(item: dict[str, Any], lang: str = "nb", now: datetime | None = None) -> list[str]:
    from crawlers.dates import OSLO
    from crawlers.fields import DEADLINE_UNREAD
    from tracker.digest.wording import deadline_text, extra, stortinget_times

    now = now or datetime.now(OSLO)
    lines = stortinget_times(item, now, lang)
    if lines:
        return lines
    if not item.get("deadline") and not is_consultation(item):
        return []  # an act, a note or a decision has no deadline: no "ingen frist kjent" for it
    # of the item's own page's state, only that its deadline could not be read (the page says the rest)
    unread = extra(item).get(DEADLINE_UNREAD)
    return [deadline_text({"deadline": item.get("deadline"), "working_days_left": None,
                           "extra": {DEADLINE_UNREAD: unread}}, now, lang)]


def opening_fact(item: dict[str, Any], lang: str = "nb", now: datetime | None = None) -> tuple[str, str] | None:
    """When an announced consultation (status upcoming) opens for input, as the digest says it:
    («Åpner», «tir. 01.12.2026») or («Skulle åpne», «… (ikke sett åpnet ennå)») once the day has
    passed (`wording.opening`); None for any other item."""
    from tracker.attention.urgency import opens
    from tracker.digest.wording import opening
    from tracker.store.status import UPCOMING

    if item.get("status") != UPCOMING:
        return None
    return opening(opens(item), _today(now), lang)


def opening_cell(row: dict[str, Any], lang: str = "nb", now: datetime | None = None) -> str:
    """An announced consultation's opening in the inbox's «Åpner» column (`wording.opening_cell`)."""
    from tracker.digest.wording import opening_cell as cell

    return cell(row.get("opens"), _today(now), lang)


def _today(now: datetime | None) -> date:
    """The day in Oslo of the page's clock (`now`, else the machine's)."""
    from crawlers.dates import OSLO
    from tracker.store.deadlines import oslo_date

    return oslo_date(now or datetime.now(OSLO))


def _day_off(day: Any, lang: str) -> str | None:
    """`wording.day_off` by the calendar of the profile the workbench's draft-due days are computed
    with (`urgency`: the default profile, `ncp`): Christmas Eve is a working day where it says so.
    A profiles file it cannot read counts the eves off (the page's banner says the file is broken)."""
    from tracker.attention.profiles import ProfileError, default_profile
    from tracker.digest.wording import day_off

    try:
        eves = default_profile().eves_are_working_days
    except ProfileError:
        eves = False
    return day_off(day, lang, eves_are_working_days=eves)


def lang_attr(text_lang: str | None, page_lang: str) -> Any:
    """` lang="en"` for an element holding an item's own text in another language than the page's
    (`tracker.i18n.part_lang`), else nothing: ``<a href="…"{{ lang_attr(item.language) }}>``."""
    from markupsafe import Markup

    from tracker.i18n import part_lang

    code = part_lang(text_lang, page_lang)
    return Markup(f' lang="{code}"') if code else Markup("")


def reference_texts(keys: set[str], lang: str = "nb") -> dict[str, str]:
    """Shared reference keys as people cite them: ``meldst:8:2026-2027`` → "Meld. St. 8
    (2026–2027)", ``celex:32019R2088`` → "CELEX 32019R2088", ``watch:sfdr`` → "fulgt EU-sak:
    SFDR" (the watched file's name, its id when the watchlist cannot be read; it is read once)."""
    from tracker.i18n import gettext
    from tracker.links.references import label

    out = {key: label(key) for key in keys if not key.startswith("watch:")}
    watched = {key.removeprefix("watch:") for key in keys if key.startswith("watch:")}
    if watched:
        from tracker.links.watchlist import WatchlistError, load

        try:
            names = {e.id: e.name_in(lang) for e in load() if e.id in watched}
        except (WatchlistError, OSError):
            names = {}
        for wid in watched:
            out["watch:" + wid] = gettext(lang, "watched EU file: %(name)s", name=names.get(wid, wid))
    return out


def deadline_day(value: Any, lang: str = "nb") -> str:
    """A deadline in a list (the `deadline` filter): its day, and its time when it has one («tir.
    01.12.2026 kl. 12.00»), as the digest and the item page say it — `|date` dropped the time."""
    from tracker.digest.wording import deadline_text

    return deadline_text({"deadline": value}, None, lang)


def install(app: Any, lang: str | Callable[[], str] = "nb",
            now: Callable[[], datetime] | None = None) -> None:
    """Register the catalogue, date and name filters and `deadline_lines` on a Flask app.

    `lang` is a language code or a function returning the request's language (looked up on
    every call, so one app serves Bokmål and English side by side); `now` the app's clock
    (its `as_of` when it has one: "frist i dag" must be said of the app's day, not the machine's)."""
    env = app.jinja_env
    install_jinja(env, lang)
    install_jinja_filters(env, lang)
    current = lang if callable(lang) else (lambda: lang)
    env.globals["deadline_lines"] = lambda item: deadline_lines(item, current(), now() if now else None)
    env.globals["opening_fact"] = lambda item: opening_fact(item, current(), now() if now else None)
    env.globals["opening_cell"] = lambda row: opening_cell(row, current(), now() if now else None)
    env.globals["day_off"] = lambda day: _day_off(day, current())
    env.globals["lang_attr"] = lambda text_lang: lang_attr(text_lang, current())
    env.filters["deadline"] = lambda value: deadline_day(value, current())
    env.globals["why"] = lambda item: why(item, current())
    env.globals["resent"] = lambda previous: resent(previous, current())
    env.globals["is_consultation"] = is_consultation
    env.globals["status_known"] = status_known
    env.globals["statuses"] = STATUSES
    env.globals["UNKNOWN_STATUS"] = UNKNOWN
    env.globals["status_word_query"] = status_word_query
