"""Message catalogues: every user-facing string of the digest, mail, feeds, web and drafts.

Catalogues are gettext ``.po`` files (msgid in English) under ``tracker/locale/<lang>/LC_MESSAGES/
messages.po``, Bokmål (``nb``, the default) and English (``en``). They are read **at run time**
with Babel's ``read_po`` (no compiled ``.mo`` files): a clean clone, an editable install and a
wheel all carry the same ``.po`` package data, so there is no compile step to forget and nothing
stale to ship. Reading both catalogues takes a few milliseconds and happens once per process.

Use from Python::

    from tracker.i18n import gettext, ngettext
    gettext("nb", "Needs input")                                   # "Trenger innspill"
    ngettext("nb", "%(num)d source failing", "%(num)d sources failing", 2)

and from Jinja2 (``{{ _("Needs input") }}``, ``{% trans %}``, ``ngettext``)::

    env = Environment(extensions=["jinja2.ext.i18n"]); install_jinja(env, "nb")

Placeholders are ``%(name)s`` (Jinja2's new-style gettext): ``gettext(lang, "Deadline %(day)s",
day=…)``. A msgid missing from a catalogue falls back to the msgid itself; `tests/test_i18n.py`
fails on any string used in the code or templates that a catalogue lacks.

Numbers are written the reader's way by `format_number` (``2 768 896``, ``0,5``) and
`format_decimal` (a fixed number of decimals).

Dates are written the Norwegian way in Bokmål (``fre. 11.12.2026``, ``fredag 11. desember 2026``,
``kl. 12.00``) by `format_date`, `format_long_date`, `format_time` and `format_datetime`.
"""

from __future__ import annotations

import contextlib
import gettext as _gettext
from collections.abc import Callable, Collection, Iterator
from datetime import date, datetime
from functools import cache
from importlib import resources
from typing import Any

LANGS: tuple[str, ...] = ("nb", "en")
DEFAULT_LANG = "nb"
DOMAIN = "messages"

_MONTHS = {
    "nb": ["januar", "februar", "mars", "april", "mai", "juni", "juli", "august", "september",
           "oktober", "november", "desember"],
    "en": ["January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December"],
}  # fmt: skip
_WEEKDAYS = {"nb": ["mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag"],
             "en": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]}


class Catalogue(_gettext.NullTranslations):
    """A gettext translations object filled from a ``.po`` file (``gettext``/``ngettext``/
    ``pgettext``/``npgettext``, as Jinja2's i18n extension and the stdlib expect)."""

    def __init__(self, lang: str, messages: dict[Any, Any], plural) -> None:
        super().__init__()
        self.lang = lang
        self._messages = messages
        self._plural = plural

    def msgids(self) -> set[Any]:
        return set(self._messages)

    def gettext(self, message: str) -> str:
        found = self._messages.get(message)
        return found if isinstance(found, str) and found else message

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        found = self._messages.get((msgid1, msgid2))
        if isinstance(found, tuple) and all(found):
            index = self._plural(n)
            return found[min(index, len(found) - 1)]
        return msgid1 if n == 1 else msgid2

    def pgettext(self, context: str, message: str) -> str:
        found = self._messages.get(f"{context}\x04{message}")
        return found if isinstance(found, str) and found else message

    def npgettext(self, context: str, msgid1: str, msgid2: str, n: int) -> str:
        found = self._messages.get((f"{context}\x04{msgid1}", msgid2))
        if isinstance(found, tuple) and all(found):
            return found[min(self._plural(n), len(found) - 1)]
        return msgid1 if n == 1 else msgid2


#: the languages an item's own text is stored in (items.language; tracker.workbench.search's
#: `language:` filter takes the same)
TEXT_LANGS: tuple[str, ...] = ("nb", "nn", "en")


def part_lang(text_lang: str | None, page_lang: str) -> str:
    """The `lang` attribute an item's own text (its title, summary, a quote of it) needs on a page in
    `page_lang`: its language when it is known and not the page's — an EU item's English on a Bokmål
    page, a Nynorsk hearing's title, a Norwegian title on an English page — else "" (the page's
    language holds). WCAG 3.1.2, language of parts: a screen reader reads it in its language, and the
    browser hyphenates and spell-checks it as such."""
    return text_lang if text_lang in TEXT_LANGS and text_lang != page_lang else ""


def _check(lang: str) -> str:
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r} (known: {', '.join(LANGS)})")
    return lang


def po_text(lang: str) -> str:
    """The raw ``.po`` text of a catalogue (package data)."""
    path = resources.files("tracker") / "locale" / _check(lang) / "LC_MESSAGES" / f"{DOMAIN}.po"
    return path.read_text("utf-8")


@cache
def translations(lang: str) -> Catalogue:
    """The catalogue of `lang`, read once per process."""
    import io

    from babel.messages.pofile import read_po

    catalog = read_po(io.StringIO(po_text(lang)), locale=lang)
    messages: dict[Any, Any] = {}
    for message in catalog:
        if not message.id:
            continue
        key: Any
        if isinstance(message.id, tuple | list):
            singular = f"{message.context}\x04{message.id[0]}" if message.context else message.id[0]
            key = (singular, message.id[1])
            value: Any = tuple(message.string) if isinstance(message.string, tuple | list) else (message.string,)
        else:
            key = f"{message.context}\x04{message.id}" if message.context else message.id
            value = message.string
        messages[key] = value
    plural = _gettext.c2py(catalog.plural_expr or "(n != 1)")
    return Catalogue(lang, messages, plural)


def _fmt(text: str, values: dict[str, Any]) -> str:
    return text % values if values else text


def gettext(lang: str, msgid: str, **values: Any) -> str:
    """`msgid` in `lang`, with ``%(name)s`` placeholders filled from `values`."""
    return _fmt(translations(_check(lang)).gettext(msgid), values)


def ngettext(lang: str, singular: str, plural: str, num: int, /, **values: Any) -> str:
    """The singular or plural form for `num` (``%(num)d`` is filled with it, unless `values`
    has its own `num`)."""
    return _fmt(translations(_check(lang)).ngettext(singular, plural, num), {"num": num, **values})


def pgettext(lang: str, context: str, msgid: str, **values: Any) -> str:
    return _fmt(translations(_check(lang)).pgettext(context, msgid), values)


class Translator:
    """``_ = Translator(lang)``: ``_("Needs input")``, ``_.n(sing, plur, n)``, ``_.p(ctx, msg)``."""

    def __init__(self, lang: str) -> None:
        self.lang = _check(lang)

    def __call__(self, msgid: str, **values: Any) -> str:
        return gettext(self.lang, msgid, **values)

    def n(self, singular: str, plural: str, num: int, **values: Any) -> str:
        return ngettext(self.lang, singular, plural, num, **values)

    def p(self, context: str, msgid: str, **values: Any) -> str:
        return pgettext(self.lang, context, msgid, **values)


@contextlib.contextmanager
def stdlib_gettext(lang: Callable[[], str | None], msgids: Collection[Any]) -> Iterator[None]:
    """While inside, the standard library's module-level ``gettext()`` and ``ngettext()`` — what a
    library calls after ``from gettext import gettext as _`` (click does, for its own words, and
    ships no catalogue) — answer `msgids` (a msgid, or a plural's (singular, plural)) from our
    catalogue in ``lang()``, asked at each call (None: the library's own words); every other message
    is answered as before.

    The standard library finds only compiled ``.mo`` files by the machine's locale and installs
    them for the whole process (``textdomain``); these catalogues are ``.po`` files read at run
    time, in the reader's language. Its ``gettext(m)`` is ``dgettext(<current domain>, m)`` (and
    ``ngettext`` ``dngettext``), looked up in its module at each call, so those two answer our
    messages of the current domain while inside and are put back on the way out
    (`tests/test_i18n.py` checks this on the functions click imported)."""
    wanted = frozenset(msgids)
    dgettext, dngettext = _gettext.dgettext, _gettext.dngettext

    def ours(domain: str, key: Any) -> str | None:
        if domain != _gettext.textdomain() or key not in wanted:
            return None
        return lang()

    def our_dgettext(domain: str, message: str) -> str:
        found = ours(domain, message)
        return dgettext(domain, message) if found is None else translations(_check(found)).gettext(message)

    def our_dngettext(domain: str, msgid1: str, msgid2: str, n: int) -> str:
        found = ours(domain, (msgid1, msgid2))
        return dngettext(domain, msgid1, msgid2, n) if found is None else \
            translations(_check(found)).ngettext(msgid1, msgid2, n)

    _gettext.dgettext, _gettext.dngettext = our_dgettext, our_dngettext
    try:
        yield
    finally:
        _gettext.dgettext, _gettext.dngettext = dgettext, dngettext


def install_jinja(env: Any, lang: str | Callable[[], str]) -> None:
    """Give a Jinja2 environment `lang`'s catalogue (adds the i18n extension if missing) and the
    date filters (`date`, `longdate`, `time`, `datetime`).

    `lang` is a language code, or a function returning the current one (the web: a language per
    request), looked up on every call."""
    if "jinja2.ext.InternationalizationExtension" not in env.extensions:
        env.add_extension("jinja2.ext.i18n")
    if callable(lang):
        current = lang
        env.install_gettext_callables(
            lambda message: translations(_check(current())).gettext(message),
            lambda singular, plural, num: translations(_check(current())).ngettext(singular, plural, num),
            newstyle=True,
            pgettext=lambda context, message: translations(_check(current())).pgettext(context, message),
            npgettext=lambda context, singular, plural, num: translations(_check(current())).npgettext(
                context, singular, plural, num),
        )  # fmt: skip
    else:
        env.install_gettext_translations(translations(_check(lang)), newstyle=True)
        fixed = lang

        def current() -> str:
            return fixed

    env.filters["date"] = lambda value: format_date(value, current())
    env.filters["longdate"] = lambda value: format_long_date(value, current())
    env.filters["time"] = lambda value: format_time(value, current())
    env.filters["datetime"] = lambda value: format_datetime(value, current())


# ---------------------------------------------------------------------------- dates


def _as_date(value: date | datetime | str | None) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, datetime) or len(str(value)) > 10:
        parsed = _as_datetime(value)
        if parsed is not None:
            return parsed.date()
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def local_day(value: date | datetime | str | None) -> date | None:
    """The day of a date or instant in Oslo (an instant stored in UTC keeps its Norwegian day)."""
    return _as_date(value)


def _as_datetime(value: datetime | str | None) -> datetime | None:
    """In Oslo time, read as the store reads instants and deadlines (naive values are Oslo time)."""
    from tracker.store.deadlines import to_datetime

    return to_datetime(value)


def weekday_name(day: date, lang: str = DEFAULT_LANG) -> str:
    """'tirsdag' / 'Tuesday' (never the machine's locale, which strftime('%A') follows)."""
    return _WEEKDAYS[_check(lang)][day.weekday()]


def format_date(value: date | datetime | str | None, lang: str = DEFAULT_LANG) -> str:
    """Short date: 'fre. 11.12.2026' / 'Fri 11 Dec 2026' ('' for none)."""
    day = _as_date(value)
    if day is None:
        return "" if value is None else str(value)  # not a date: shown as it came
    if lang == "en":
        return f"{_WEEKDAYS['en'][day.weekday()][:3]} {day.day} {_MONTHS['en'][day.month - 1][:3]} {day.year}"
    return f"{_WEEKDAYS['nb'][day.weekday()][:3]}. {day:%d.%m.%Y}"


def format_long_date(value: date | datetime | str | None, lang: str = DEFAULT_LANG) -> str:
    """'tirsdag 24. november 2026' / 'Tuesday 24 November 2026'."""
    day = _as_date(value)
    if day is None:
        return ""
    if lang == "en":
        return f"{_WEEKDAYS['en'][day.weekday()]} {day.day} {_MONTHS['en'][day.month - 1]} {day.year}"
    return f"{_WEEKDAYS['nb'][day.weekday()]} {day.day}. {_MONTHS['nb'][day.month - 1]} {day.year}"


def format_letter_date(value: date | datetime | str | None, lang: str = DEFAULT_LANG) -> str:
    """A date as a letter writes it: '01.12.2026' / '1 December 2026' ('' for none)."""
    day = _as_date(value)
    if day is None:
        return ""
    if lang == "en":
        return f"{day.day} {_MONTHS['en'][day.month - 1]} {day.year}"
    return f"{day:%d.%m.%Y}"


def format_decimal(value: float, lang: str = DEFAULT_LANG, spec: str = ".2f") -> str:
    """A number with the reader's decimal mark: '0,8696' / '0.8696' (`spec` as `format`'s)."""
    text = format(value, spec)
    return text.replace(".", ",") if lang == "nb" else text


def format_number(value: float, lang: str = DEFAULT_LANG) -> str:
    """A count or measure the reader's way (Babel's number format of the language): thousands
    grouped, the decimal mark, as many decimals as it has (up to three): '2 768 896' (a no-break
    space), '0,5' / '2,768,896', '0.5'."""
    from babel.numbers import format_decimal as babel_decimal

    return babel_decimal(value, locale=_check(lang))


def format_score(value: float, lang: str = DEFAULT_LANG) -> str:
    """A score with two decimals: '0,86' / '0.86' (relevance, strength, similarity)."""
    return format_decimal(value, lang, ".2f")


def format_time(value: datetime | str | None, lang: str = DEFAULT_LANG) -> str:
    """'kl. 12.00' / '12:00' (Oslo time)."""
    when = _as_datetime(value)
    if when is None:
        return ""
    return f"kl. {when:%H.%M}" if lang == "nb" else f"{when:%H:%M}"


def format_datetime(value: datetime | str | None, lang: str = DEFAULT_LANG) -> str:
    """'fre. 11.12.2026 kl. 12.00' / 'Fri 11 Dec 2026 12:00' (Oslo time)."""
    when = _as_datetime(value)
    if when is None:
        return ""
    return f"{format_date(when, lang)} {format_time(when, lang)}"
