"""The language of one web request: Bokmål unless the reader chose English.

``?lang=en`` (or ``?lang=nb``) on any page chooses the language and remembers it in the
``ncp_lang`` cookie (a preference, not a secret: it survives logging in and out); without the
parameter the cookie decides, and without the cookie the page is in Bokmål. An unknown
``?lang=`` is refused with a 400 page naming the known languages, never quietly ignored.

``_("…")`` in the web's Python code translates into the request's language (the catalogue of
`tracker.i18n`); templates get the same through `tracker.web.display.install`.
"""

from __future__ import annotations

from typing import Any

from flask import current_app, g, has_request_context, request

from tracker.i18n import DEFAULT_LANG, LANGS, gettext, ngettext

LANG_COOKIE = "ncp_lang"


def asked_lang() -> str | None:
    """The ``?lang=`` of this request ('' when absent); raises ValueError for an unknown one."""
    asked = request.args.get("lang")
    if asked is None or asked == "":
        return None
    if asked not in LANGS:
        raise ValueError(asked)
    return asked


def request_lang() -> str:
    """The language of this request: ?lang=, else the cookie, else the configured one ([digest]
    lang, Bokmål by default; no error raised)."""
    asked = request.args.get("lang")
    if asked in LANGS:
        return asked
    cookie = request.cookies.get(LANG_COOKIE)
    if cookie in LANGS:
        return cookie
    configured = current_app.config.get("LANG")
    return configured if configured in LANGS else DEFAULT_LANG


def current_lang() -> str:
    """The language to render in now (Bokmål outside a request)."""
    if not has_request_context():
        return DEFAULT_LANG
    return g.get("lang") or request_lang()


def _(msgid: str, **values: Any) -> str:
    """`msgid` from the catalogue, in the request's language."""
    return gettext(current_lang(), msgid, **values)


def n_(singular: str, plural: str, num: int, **values: Any) -> str:
    return ngettext(current_lang(), singular, plural, num, **values)
