"""The web workbench: inbox, item page (triage, history, evidence, answers, drafts), search,
export, watchlist, GPFG, companies, health, accounts and calendar/feed subscriptions.

Flask (a small, well-kept WSGI stack on Jinja2, which the project already uses): server-rendered
pages, Jinja2 autoescaping, a per-session CSRF token on every form. Two modes:

* accounts (any row in `users`): every page needs a login (tracker.workbench.accounts); roles
  reader < adviser < admin; sessions are signed cookies (HttpOnly, SameSite=Lax, Secure unless
  the server listens on loopback without a proxy) carrying the account's session epoch, with an
  idle timeout; failed logins are limited per account and per address.
* no accounts: one person on loopback only (plus a Host-header check against DNS rebinding);
  the name written into the triage history is asked once and remembered in the session cookie.

Every state change is a POST with a CSRF token; GETs never write. Each request opens its own
database connection (WAL + busy timeout, see tracker.store.db.open_db), so crawls keep writing
while the server runs; a read-only database is reported before anything is written.
"""

from __future__ import annotations

import contextlib
import difflib
import functools
import hmac
import ipaddress
import json
import os
import secrets
import sqlite3
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from flask import Flask, Response, abort, g, redirect, render_template, request, session, url_for
from markupsafe import Markup, escape

from crawlers.dates import OSLO
from nlp.labels import LABEL_NAMES, LABELS
from tracker.vocabulary import (
    N_,
    TRIAGE_NAMES,
    code_of,
    label_name,
    refusal_text,
    role_name,
    triage_name,
)
from tracker.web import documents as web_documents
from tracker.web.auth import LoginLimiter, WebConfigError, load_secret_key, safe_next
from tracker.web.lang import LANG_COOKIE, _, asked_lang, current_lang, n_, request_lang

LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1", "[::1]")

__all__ = ["WebConfigError", "create_app", "feed_body", "highlight", "is_loopback", "server_options", "word_diff"]


def is_loopback(host: str) -> bool:
    if host in ("localhost",):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


# ---------------------------------------------------------------------------- rendering helpers


def highlight(text: str | None, spans: list[dict[str, Any]]) -> Markup:
    """`text` escaped, with each evidence span (start/end offsets) wrapped in <mark>."""
    if not text:
        return Markup("")
    out, pos = [], 0
    for span in sorted(spans, key=lambda s: (s.get("start", 0), -s.get("end", 0))):
        start, end = span.get("start"), span.get("end")
        if not isinstance(start, int) or not isinstance(end, int) or start < pos or end > len(text) or start >= end:
            continue
        out.append(escape(text[pos:start]))
        out.append(Markup('<mark class="ev" title="{}">{}</mark>').format(span.get("label", ""), text[start:end]))
        pos = end
    out.append(escape(text[pos:]))
    return Markup("").join(out)


def word_diff(before: Any, after: Any) -> Markup:
    """A readable word-level diff (difflib): removed words struck through, added words marked."""
    a = "" if before is None else str(before)
    b = "" if after is None else str(after)
    wa, wb = a.split(), b.split()
    out = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=wa, b=wb, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(escape(" ".join(wa[i1:i2])))
            continue
        if op in ("replace", "delete"):
            out.append(Markup("<del>{}</del>").format(" ".join(wa[i1:i2])))
        if op in ("replace", "insert"):
            out.append(Markup("<ins>{}</ins>").format(" ".join(wb[j1:j2])))
    return Markup(" ").join(out)


def _consultees(item: dict[str, Any]) -> list[dict[str, Any]] | None:
    """The stored consultee list (items.consultees, JSON), Kontaktpunktet marked; None when unknown."""
    from crawlers.consultees import is_ncp
    from tracker.store.queries import consultee_list

    rows = consultee_list(item.get("consultees"))
    if rows is None:
        return None
    return [{"name": str(c.get("name") or ""), "orgnr": c.get("orgnr"), "is_ncp": is_ncp(c.get("name"))}
            for c in rows if c.get("name")]


def _consultees_file(item: dict[str, Any]) -> dict[str, str] | None:
    """The list file the consultee list was read from (`extra.consultees_from`: the hearing's page
    links its list as a file), with its link and name; None when the page lists them itself."""
    from tracker.digest.build import safe_url
    from tracker.digest.wording import document_name
    from tracker.digest.wording import extra as extra_of
    from tracker.store.merge import CONSULTEES_FROM

    origin = extra_of(item).get(CONSULTEES_FROM)
    url = origin.get("url") if isinstance(origin, dict) else None
    if not isinstance(url, str) or not url:
        return None
    return {"url": safe_url(url) or "", "name": document_name(item, url)}


def _event_rows(events: list[dict[str, Any]], item: dict[str, Any]) -> list[dict[str, Any]]:
    from tracker.digest.wording import event_values

    lang = current_lang()
    rows = []
    for e in events:
        before, after = e.get("before"), e.get("after")
        # a deadline, time, status, document, provision … as `ncp-tracker events` says it
        values = event_values(e, lang, item)
        if e["kind"] == "updated" and isinstance(before, dict) and isinstance(after, dict):
            diffs = [(f, word_diff(before.get(f), after.get(f))) for f in sorted(set(before) | set(after))]
        elif values is not None:  # documents no longer linked struck out, new ones marked
            field, was, now = values
            diffs = [(field, word_diff(was, now))]
        else:
            diffs = [(e.get("field") or "", escape("" if after is None else str(after)))]
        rows.append({**e, "diffs": diffs})
    return rows


def _day_shown(value: str | None) -> str:
    """A stored day (YYYY-MM-DD) as the page writes it, in the request's language."""
    from tracker.i18n import format_date

    return format_date(value, current_lang()) if value else ""


def _triage_rows(history: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The triage history, newest first: each adviser's note as a word diff against the adviser
    note before it; the system's notes (deadline passed, answer published) in the reader's
    language (tracker.vocabulary.triage_note), outside that chain (they never replace the item's
    note: tracker.workbench.triage.set_state)."""
    from tracker.vocabulary import triage_note
    from tracker.workbench.triage import SYSTEM_USER

    rows, last_note, last_owner = [], None, None
    lang = current_lang()
    for h in history:
        if h.get("label_mark"):  # a topic added or removed: no owner, no note, no state changed
            sign, label = h["label_mark"][:1], label_name(h["label_mark"][1:], lang)
            change = _("Topic added: %(label)s", label=label) if sign == "+" else _("Topic removed: %(label)s",
                                                                                    label=label)
            rows.append({**h, "changes": [change], "note_diff": "", "owner": None, "owner_change": None})
            continue
        system = h["by"] == SYSTEM_USER
        changes = []
        day_before, day_after = h.get("internal_deadline_before"), h.get("internal_deadline_after")
        if h["state_before"] != h["state_after"] or day_before == day_after:
            changes.append(f"{triage_name(h['state_before'], lang) or '–'} → {triage_name(h['state_after'], lang)}")
        if day_before != day_after:
            changes.append(_("Draft due: %(before)s → %(after)s", before=_day_shown(day_before) or "–",
                             after=_day_shown(day_after) or "–"))
        if system:
            note_diff = escape(triage_note(h["note"], current_lang()))
        elif h["note"] and last_note:
            note_diff = word_diff(last_note, h["note"])
        else:
            note_diff = escape(h["note"] or "")
        rows.append({**h, "note_diff": note_diff, "changes": changes,
                     "owner_change": (last_owner, h["owner"]) if h["owner"] != last_owner else None})
        if h["note"] and not system:
            last_note = h["note"]
        last_owner = h["owner"]
    return list(reversed(rows))


# ---------------------------------------------------------------------------- small helpers


def feed_body(db, fmt: str, *, as_of: datetime, profile: str, lang: str, workbench_url: str) -> bytes:
    """The profile's ICS calendar or Atom feed in `lang`, from the digest renderer (the one place
    the web calls it, so a rebuilt digest package changes only this function); its items link to
    their pages at `workbench_url`."""
    from tracker.digest.output import render

    return render(db, fmt, as_of=as_of, profile=profile, lang=lang, workbench_url=workbench_url)


def _read_only_help() -> str:
    return _("Nothing was saved. Ask whoever runs ncp-tracker for write access.")


def write_problem(db_path: str | os.PathLike, *folders: str | os.PathLike) -> str | None:
    """Why nothing can be written (a read-only database file or folder), in the request's
    language; None if fine.

    A file without any write bit counts as read-only even for root (who could write it anyway):
    whoever marked it so meant it.
    """
    path = Path(db_path)
    if path.exists() and (not os.access(path, os.W_OK) or not path.stat().st_mode & 0o222):
        return _("The database %(name)s is read-only.", name=path.name) + " " + _read_only_help()
    for folder in (path.parent, *map(Path, folders)):
        probe = folder
        while not probe.exists() and probe != probe.parent:
            probe = probe.parent
        if not os.access(probe, os.W_OK) or not probe.stat().st_mode & 0o222:
            return _("The folder %(folder)s is read-only.", folder=str(folder)) + " " + _read_only_help()
    return None


def _is_read_only_error(exc: sqlite3.Error) -> bool:
    text = str(exc).lower()
    return "readonly" in text or "read-only" in text or "attempt to write" in text


def needs(role: str) -> Callable:
    """Mark a view as needing `role` (reader, adviser or admin)."""

    def mark(fn: Callable) -> Callable:
        fn.needs_role = role
        return fn

    return mark


#: the error pages' text when a view gave no reason of its own (werkzeug's default is English)
DEFAULT_ERRORS = {
    400: N_("The request was not understood."),
    401: N_("You must log in."),
    403: N_("You have no access to this."),
    404: N_("There is nothing at this address."),
    405: N_("This address does not take that kind of request."),
    429: N_("Too many requests. Wait a little and try again."),
    503: N_("The workbench cannot answer right now."),
    500: N_("Something went wrong in the workbench; the details are in the server's log."),
}


#: the search page's filters (query arguments), also handed on to its export
FILTER_ARGS = ("label", "source", "status", "from", "to", "owner", "state", "new_since", "changed_since",
               "relevant_to", "not_relevant_to", "followed_by", "not_followed_by", "open_consultations")
#: the search page shows at most this many hits of a search, or items of a filter-only list (best
#: first; the export has them all)
SEARCH_SHOWN, LIST_SHOWN = 100, 200

#: the search's options as its form names its fields ("--from must be a date …" is the form's "fra")
_FIELD_NAMES = {"--from": N_("from"), "--to": N_("to")}


def _known_profile(name: str | None) -> Any:
    """The profile of that name; None when there is none (a search names the error)."""
    from tracker.attention.profiles import ProfileError, load_profile

    try:
        return load_profile(name) if name else None
    except ProfileError:
        return None


def refusal(text: str) -> str:
    """A workbench refusal in the request's language (states by name); other text unchanged."""
    return refusal_text(text, current_lang(), fields=_FIELD_NAMES)


def file_refusal(exc: Exception) -> str:
    """A file the workbench reads and cannot use — the profiles, the watchlist, the draft's template
    (the data directory's copy, else the shipped one): a folder under its name, a link to nothing,
    a file it may not read, a file written wrongly — in the request's language, as the command line
    says it (`vocabulary.COMMAND_REFUSALS` has the files' refusals)."""
    return refusal_text(str(exc), current_lang(), command_line=True)


def strength_text(value: Any, lang: str) -> str:
    """A tag's strength with two decimals (decimal comma in Bokmål); '–' when not a number."""
    import math

    from tracker.i18n import format_score

    if not isinstance(value, int | float) or not math.isfinite(value):
        return "–"
    return format_score(value, lang)


#: messages kept in the session for the page a POST leads to (`_back`): a few, the cookie is small
SAID_KEPT = 4
#: at most this much of a note is said back when it was saved (in full in the history beside it:
#: the message waits in the session, a small cookie)
NOTE_SAID = 80

#: items shown under one actor and stage on the GPFG page unless both are chosen (newest first)
GPFG_GROUP_CAP = 25

def name_problem(name: str) -> str | None:
    """Why `name` cannot stand in «Endret av» (in the request's language); None when it can. The
    name written into the triage history without accounts (stored and shown, escaped) is a name
    as the adviser's is (tracker.workbench.triage.NAME_RE)."""
    from tracker.workbench.triage import NAME_MAX, NAME_RE, refused_chars

    if len(name) > NAME_MAX:
        return _("The name in “Changed by” is too long (%(num)s characters, at most %(max)s).",
                 num=len(name), max=NAME_MAX)
    if not NAME_RE.match(name):
        return _("The name in “Changed by” cannot contain “%(chars)s”: use letters, digits, spaces and . , ' @ -",
                 chars=refused_chars(name))
    return None


def server_options(app: Flask) -> dict[str, Any]:
    """Waitress settings that go with the app: with trusted proxies the X-Forwarded-* headers
    must reach the app (werkzeug's ProxyFix reads exactly `trusted_proxies` hops of them);
    without, waitress drops them before the app sees them."""
    return {"clear_untrusted_proxy_headers": not app.config["TRUSTED_PROXIES"]}


# ---------------------------------------------------------------------------- the app


def create_app(db_path: str | None = None, *, host: str = "127.0.0.1", as_of: datetime | None = None,
               secret_key: bytes | str | None = None, data_dir: str | os.PathLike | None = None,
               trusted_proxies: int | None = None, idle_timeout_minutes: int | None = None,
               login_max_attempts: int | None = None, login_window_minutes: int | None = None,
               profile: str | None = None) -> Flask:
    """The workbench WSGI app. Without accounts only a loopback `host` is allowed.

    Unset arguments come from the configuration ([web], [tracker], [digest]).
    """
    from tracker.config import get_config
    from tracker.store.db import open_db, resolve_path
    from tracker.workbench import accounts

    cfg = get_config()
    path = str(resolve_path(db_path))
    data = Path(data_dir) if data_dir is not None else cfg.data_dir
    proxies = cfg.get("web", "trusted_proxies") if trusted_proxies is None else trusted_proxies
    loopback = is_loopback(host) and proxies == 0
    db0 = open_db(path, create=False)  # must exist (a mistyped path is no empty workbench); migrated once
    try:
        with_accounts = accounts.has_users(db0)
    finally:
        db0.close()
    if not with_accounts and not loopback:
        where = f"--host {host}" if not is_loopback(host) else "behind a proxy (web.trusted_proxies)"
        raise WebConfigError(f"{where} needs accounts: add one with `ncp-tracker users add NAME --role admin` "
                             "(without accounts the workbench serves one person on 127.0.0.1 only)")
    if secret_key is None:
        secret_key = load_secret_key(cfg.get("web", "secret_file") or data / "web-secret.key")
    idle = idle_timeout_minutes if idle_timeout_minutes is not None else cfg.get("web", "idle_timeout_minutes")
    attempts = login_max_attempts if login_max_attempts is not None else cfg.get("web", "login_max_attempts")
    window = login_window_minutes if login_window_minutes is not None else cfg.get("web", "login_window_minutes")

    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=secret_key, DB_PATH=path, DATA_DIR=str(data), LOOPBACK=loopback, AS_OF=as_of,
        TRUSTED_PROXIES=proxies,
        IDLE_S=idle * 60, PROFILE=profile or cfg.get("digest", "profile"), LANG=cfg.get("digest", "lang"),
        SESSION_COOKIE_NAME="ncp_session", SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=not loopback, PERMANENT_SESSION_LIFETIME=timedelta(days=30),
        MAX_CONTENT_LENGTH=64 * 1024,
    )  # fmt: skip
    limiter = LoginLimiter(attempts, window * 60.0)
    app.extensions["login_limiter"] = limiter
    if proxies:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)  # type: ignore[method-assign]

    from tracker.digest.build import safe_url

    # scraped URLs become links only when they are http(s): never javascript:, data: or the like
    app.jinja_env.filters["safe_href"] = safe_url
    app.jinja_env.filters["strength"] = lambda value: strength_text(value, current_lang())

    def db():
        if "db" not in g:
            g.db = open_db(app.config["DB_PATH"], migrate=False)
        return g.db

    def now() -> datetime:
        return app.config["AS_OF"] or datetime.now(OSLO)

    from tracker.web import display

    # catalogue, dates, names for codes, Stortinget's times (on the app's clock), per request
    display.install(app, current_lang, now=now)

    def drafts_dir() -> Path:
        return Path(app.config["DATA_DIR"]) / "drafts"

    def read_only(*folders) -> str | None:
        return write_problem(app.config["DB_PATH"], *folders)

    @app.teardown_appcontext
    def _close(exc):
        conn = g.pop("db", None)
        if conn is not None:
            conn.close()

    def _current_user() -> dict | None:
        uid, epoch, seen = session.get("uid"), session.get("epoch"), session.get("seen")
        if not isinstance(uid, int) or not isinstance(epoch, int) or not isinstance(seen, (int, float)):
            return None
        if time.time() - seen > app.config["IDLE_S"]:
            g.expired = True
            return None
        user = accounts.get_by_id(db(), uid)
        if user is None or user["disabled"] or user["session_epoch"] != epoch:
            return None
        return user

    @app.before_request
    def _language():
        g.lang = request_lang()
        try:
            asked_lang()
        except ValueError:
            abort(400, _("Unknown language %(code)s (known: nb, en).", code=repr(request.args.get("lang"))))

    @app.before_request
    def _guard():
        if app.config["LOOPBACK"]:
            host_name = request.host.split("]")[0] + "]" if request.host.startswith("[") else request.host.rsplit(":", 1)[0]
            if host_name not in LOOPBACK_NAMES:
                abort(400, _("Unexpected Host header (DNS rebinding?)"))
        endpoint = request.endpoint or ""
        if endpoint in ("static", "feed"):
            return None  # the feed checks its own token
        g.accounts = accounts.has_users(db())
        g.user, g.role, g.name = None, None, None
        if g.accounts:
            user = _current_user()
            if user is None and session.get("uid") is not None:
                expired = g.get("expired", False)
                # a form sent from this session's own page after it timed out: what was typed is
                # carried through the login (checked against the old session's token first)
                ours = request.method == "POST" and endpoint != "login_post" and hmac.compare_digest(
                    request.form.get("csrf", "").encode(), str(session.get("csrf", "")).encode())
                session.clear()
                if expired and ours:
                    session["csrf"] = secrets.token_urlsafe(32)
                    carried = _carried(request.path, request.form)
                    return _login_page(next=_page_of(request.path), notice=_timed_out(), carried=carried,
                                       status=401)
                if expired:
                    session["expired"] = True  # said once, on the login page
            if user is not None:
                g.user, g.role, g.name = user, user["role"], user["name"]
                session["seen"] = int(time.time())
        elif not app.config["LOOPBACK"]:
            abort(503, _("No accounts exist: add one with `ncp-tracker users add`."))
        else:
            g.role, g.name = "adviser", session.get("by")
        if "csrf" not in session:
            session["csrf"] = secrets.token_urlsafe(32)
        if request.method == "POST":
            sent = request.form.get("csrf", "")
            if not hmac.compare_digest(sent.encode(), session["csrf"].encode()):
                abort(400, _("The CSRF token is missing or wrong (reload the page and try again)."))
        if endpoint in ("login", "login_post"):
            return None
        if g.accounts and g.user is None:
            if request.method == "GET":
                return redirect(url_for("login", next=request.full_path.rstrip("?")))
            abort(401, _("You must log in."))
        view = app.view_functions.get(endpoint)
        wanted = getattr(view, "needs_role", "reader" if request.method in ("GET", "HEAD") else "adviser")
        if not accounts.may(g.role, wanted):
            abort(403, _("Your account (%(role)s) has no access to this (needs %(wanted)s).",
                         role=role_name(g.role, current_lang()), wanted=role_name(wanted, current_lang())))
        return None

    @app.after_request
    def _headers(resp: Response) -> Response:
        resp.headers["Content-Security-Policy"] = ("default-src 'self'; style-src 'self'; img-src 'self'; "
                                                   "form-action 'self'; frame-ancestors 'none'; base-uri 'none'")  # fmt: skip
        resp.headers["X-Frame-Options"] = "DENY"
        resp.headers["X-Content-Type-Options"] = "nosniff"
        resp.headers["Referrer-Policy"] = "no-referrer"
        resp.headers.setdefault("Cache-Control", "no-store")
        asked = request.args.get("lang")
        if asked in ("nb", "en") and request.cookies.get(LANG_COOKIE) != asked:
            resp.set_cookie(LANG_COOKIE, asked, max_age=365 * 24 * 3600, samesite="Lax", httponly=True,
                            secure=not app.config["LOOPBACK"])
        if not app.config["LOOPBACK"]:
            resp.headers["Strict-Transport-Security"] = "max-age=31536000"
        return resp

    @app.context_processor
    def _globals():
        return {"csrf_token": session.get("csrf", ""), "now": now(), "user": g.get("user"),
                "role": g.get("role"), "with_accounts": g.get("accounts", False),
                "may": lambda needed: accounts.may(g.get("role"), needed), "lang": current_lang(),
                "lang_url": _lang_url, "trust_banners": _trust_banners}

    def _trust_banners() -> list[Any]:
        """The digest's banners above every page (base.html): no crawl, no successful or recent
        one, failing sources, sources not checked for 36 hours (tracker.digest.build)."""
        from tracker.attention.profiles import ProfileError
        from tracker.digest.build import trust_banners
        from tracker.digest.model import Banner

        try:
            return trust_banners(db(), as_of=now(), profile=app.config["PROFILE"], lang=current_lang())[1]
        except ProfileError as exc:  # a broken profile file must not take every page down
            return [Banner("red", file_refusal(exc))]

    def _lang_url(lang: str) -> str:
        """This page in `lang` (same path and query, ?lang= replaced). A page a form's POST answered
        (a refused triage, a failed login): the page the form is on (`_page_of`: the address it
        was sent to is no page, /item/X/triage was «Unknown item: X/triage»), the login page with
        the `next` it was sent."""
        from urllib.parse import urlencode

        if request.method in ("GET", "HEAD"):
            path, args = request.path, [(k, v) for k, v in request.args.items(multi=True) if k != "lang"]
        else:
            path, args = _page_of(request.path), []
            if path == url_for("login") and (target := safe_next(request.form.get("next"), "")):
                args = [("next", target)]
        return path + "?" + urlencode([*args, ("lang", lang)])

    @app.errorhandler(400)
    @app.errorhandler(401)
    @app.errorhandler(403)
    @app.errorhandler(404)
    @app.errorhandler(405)
    @app.errorhandler(429)
    @app.errorhandler(503)
    def _error(exc):
        message = exc.description
        if message == type(exc).description:  # werkzeug's own English text: ours instead
            message = _(DEFAULT_ERRORS.get(exc.code, "Something went wrong."))
        return render_template("error.html", code=exc.code, message=message), exc.code

    from crawlers.watchlist_file import WatchlistError
    from tracker.attention.profiles import ProfileError

    @app.errorhandler(ProfileError)
    @app.errorhandler(WatchlistError)
    def _file_error(exc):
        """A page that needs the profiles or the watchlist when it cannot be read or used: the
        error page says which file and why, in the reader's words — not «something went wrong»."""
        app.logger.error("%s: %s", request.path, exc)
        return render_template("error.html", code=500, message=file_refusal(exc)), 500

    @app.errorhandler(500)
    def _server_error(exc):
        return render_template("error.html", code=500, message=_(DEFAULT_ERRORS[500])), 500

    def _with_write_check(fn: Callable) -> Callable:
        """Answer a read-only database with a clear page, before and while writing; run the view
        in one write transaction taken up front (BEGIN IMMEDIATE: it waits for a crawl's write
        instead of failing with "database is locked", and what it read cannot change under it)."""

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            problem = read_only()
            if problem:
                abort(503, problem)
            from tracker.store.db import write_transaction

            try:
                with write_transaction(db()):
                    return fn(*args, **kwargs)
            except sqlite3.OperationalError as exc:
                if _is_read_only_error(exc):
                    abort(503, _("The database is read-only.") + " " + _read_only_help())
                raise

        return wrapper

    def _back(url: str, code: str, kind: str = "message", **args: str) -> Response:
        """To `url` after a POST, with what it did (or why not) said on that page, once: kept in
        the session as a message code and its values (`_said_text`), never in the address (a
        ?msg= was shown as if the workbench said it, again on every reload and bookmark, and in
        Bokmål after switching to English). Worded when shown, in that page's language."""
        pending = [s for s in session.get("said") or [] if isinstance(s, dict)]
        session["said"] = [*pending, {"to": url, "kind": kind, "code": code, "args": args}][-SAID_KEPT:]
        return redirect(url)

    def _said() -> dict[str, str | None]:
        """The messages `_back` left for this page (each once, taken from the session; those for
        another page stay for it), as `message` and `error`."""
        pending = [s for s in session.get("said") or [] if isinstance(s, dict)]
        here = request.script_root + request.path
        mine = [s for s in pending if s.get("to") == here]
        if not mine:
            return {"message": None, "error": None}
        if rest := [s for s in pending if s.get("to") != here]:
            session["said"] = rest
        else:
            session.pop("said", None)
        said: dict[str, list[str]] = {"message": [], "error": []}
        for s in mine:
            text = _said_text(str(s.get("code")), s.get("args") if isinstance(s.get("args"), dict) else {})
            if text and s.get("kind") in said:
                said[s["kind"]].append(text)
        return {kind: " ".join(texts) or None for kind, texts in said.items()}

    def _said_text(code: str, args: dict[str, Any]) -> str | None:
        """A message `_back` left, in the request's language; None for a code it does not know."""
        lang = current_lang()
        if code == "saved_state":  # each thing changed, in the keys `_triage_words` reads
            changed = {k: v or None for k, v in args.items() if k in ("state", "owner", "internal_deadline", "note")}
            return _("Saved: %(what)s", what=", ".join(_triage_words(changed, cut=NOTE_SAID)) or "–")
        if code == "unchanged":  # as `triage --label` says it
            text = _("nothing changed")
            return text[:1].upper() + text[1:]
        if code == "saved_label":
            marked = str(args.get("mark", "")) + label_name(args.get("label"), lang)
            return _("Saved: %(what)s", what=marked)
        if code == "refused":  # a workbench refusal as raised (worded once, for the command line)
            return refusal(str(args.get("text", "")))
        if code == "account_added":
            return _("The account %(name)s (%(role)s) was added.", name=args.get("name"),
                     role=role_name(args.get("role"), lang))
        if code == "account_disabled":
            return _("The account %(name)s was disabled.", name=args.get("name"))
        if code == "own_account":
            return _("You cannot disable your own account.")
        return None

    # ------------------------------------------------------------------ login

    def _timed_out() -> str:
        minutes = max(1, round(app.config["IDLE_S"] / 60))
        return n_("You were logged out after %(num)s minute without activity.",
                  "You were logged out after %(num)s minutes without activity.", minutes)

    #: a timed-out form's fields not carried through the login (the token is the old session's; a
    #: password is never sent back to the browser)
    NOT_CARRIED = ("csrf", "password")
    CARRIED_PREFIX = "keep:"  # the login form's own fields (name, next) are not a carried form's

    def _carried(replay: str | None, fields: Any) -> dict[str, Any] | None:
        """A form sent after the session timed out, kept to be sent again after the login: the
        address it went to (where this site takes a form) and its fields; None when there is none."""
        if not replay or safe_next(replay, "") != replay:
            return None
        try:
            endpoint, _args = app.url_map.bind("localhost").match(replay, method="POST")
        except Exception:  # noqa: BLE001 - not an address this site takes a form at
            return None
        if endpoint in ("login_post", "logout"):
            return None
        return {"replay": replay, "fields": [(k, v) for k, v in fields.items(multi=True) if k not in NOT_CARRIED]}

    def _page_of(path: str) -> str:
        """The page a form at `path` is on: an item's page for an item's forms (/item/X/triage →
        /item/X), else the path itself when it is a page, else its parent."""
        adapter = app.url_map.bind("localhost")
        with contextlib.suppress(Exception):
            _endpoint, args = adapter.match(path, method="POST")
            if "item_id" in args:
                return url_for("item", item_id=args["item_id"])
        for candidate in (path, path.rsplit("/", 1)[0] or "/"):
            try:
                adapter.match(candidate, method="GET")
                return candidate
            except Exception:  # noqa: BLE001, S112 - no page there: try the parent
                continue
        return "/"

    def _login_page(*, next: str, notice: str | None = None, error: str | None = None, name: str = "",
                    carried: dict[str, Any] | None = None, status: int = 200) -> Any:
        return render_template("login.html", next=next, error=error, notice=notice, name=name,
                               carried=carried, prefix=CARRIED_PREFIX, field_label=_carried_label), status

    def _carried_label(key: str) -> str:
        """A carried form field as its form names it."""
        names = {"state": N_("New status"), "owner": N_("Adviser"), "internal_deadline": N_("Draft due"),
                 "note": N_("Note"), "by": N_("Changed by"), "label": N_("Topic missing or wrong"),
                 "role": N_("Role")}
        return _(names[key]) if key in names else key

    def _carried_value(key: str, value: str) -> str:
        """A carried form field's value as its form shows it (a status, topic or role by name)."""
        lang = current_lang()
        named = {"state": triage_name, "label": label_name, "role": role_name}
        if key in named:
            return named[key](value, lang) or value
        return _day_shown(value) if key == "internal_deadline" else value

    @app.get("/login")
    def login():
        if not g.accounts:
            return redirect(url_for("inbox"))
        if g.user is not None:
            return redirect(safe_next(request.args.get("next")))
        notice = _timed_out() if session.pop("expired", None) else None
        return _login_page(next=safe_next(request.args.get("next")), notice=notice)

    @app.post("/login")
    def login_post():
        if not g.accounts:
            return redirect(url_for("inbox"))
        name = (request.form.get("name") or "").strip()[:80]
        password = request.form.get("password") or ""
        target = safe_next(request.form.get("next"))
        # a timed-out form, kept through a failed try too
        carried = _carried(request.form.get("replay"), type(request.form)(
            (k[len(CARRIED_PREFIX):], v) for k, v in request.form.items(multi=True) if k.startswith(CARRIED_PREFIX)))
        keys = ("account:" + accounts.name_key(name), "address:" + (request.remote_addr or "?"))
        if limiter.blocked(*keys):
            return _login_page(next=target, name=name, carried=carried, status=429,
                               error=_("Too many failed attempts. Wait a few minutes and try again."))
        user = accounts.authenticate(db(), name, password)
        if user is None:
            limiter.failed(*keys)
            return _login_page(next=target, name=name, carried=carried, status=401,
                               error=_("Wrong user name or password."))
        limiter.succeeded(keys[0])
        session.clear()  # a new session: nothing from before the login survives (fixation)
        session.permanent = True
        session.update(uid=user["id"], epoch=user["session_epoch"], seen=int(time.time()),
                       csrf=secrets.token_urlsafe(32))
        if carried:
            # sent again by the adviser, with the new session's token (the usual check), after a look
            g.user, g.role, g.name = user, user["role"], user["name"]
            return render_template("resume.html", carried=carried, back=target, field_label=_carried_label,
                                   field_value=_carried_value)
        return redirect(target)

    @app.post("/logout")
    @needs("reader")
    def logout():
        if g.user is not None:
            # this cookie (and any copy of it) stops working; on a read-only database it is still cleared
            with contextlib.suppress(sqlite3.OperationalError):
                accounts.end_sessions(db(), g.user["id"])
        session.clear()
        return redirect(url_for("login") if g.accounts else url_for("inbox"))

    # ------------------------------------------------------------------ pages

    @app.get("/")
    def inbox():
        from tracker.attention.urgency import WINDOWS
        from tracker.workbench.search import SearchError, check_owner
        from tracker.workbench.triage import inbox_rows, owners

        owner = (request.args.get("owner") or "").strip() or None
        try:  # the list offers the advisers with items; one typed into the address showed an empty inbox
            check_owner(db(), owner)
        except SearchError as exc:  # as the web's search refuses it
            return render_template("inbox.html", rows=[], announced=[], owner=owner, owners=owners(db()),
                                   owner_key=None, windows=WINDOWS, error=refusal(str(exc)))
        rows, announced = inbox_rows(db(), now(), owner)
        return render_template("inbox.html", rows=rows, announced=announced, owner=owner,
                               owners=owners(db()), owner_key=owner.casefold() if owner else None, windows=WINDOWS)

    @app.get("/item/<path:item_id>")
    def item(item_id: str):
        return _item_page(item_id, **_said())

    def _item_page(item_id: str, *, message: str | None = None, error: str | None = None,
                   typed: dict[str, str] | None = None, status: int = 200,
                   label_typed: dict[str, str] | None = None, draft_typed: dict[str, str] | None = None) -> Any:
        """The item page; `typed`: a refused triage form as the adviser filled it in (shown again,
        with the `error` saying why it was refused, nothing lost), on the version it was loaded
        with (`base`; empty: the item as it is now); `label_typed`: a refused label form's topic
        and name; `draft_typed`: a refused draft form's name and format."""
        from tracker.store.queries import list_events
        from tracker.web.horizon import outcome_context
        from tracker.workbench import answers, drafts, triage

        try:
            it = drafts.load_item(db(), item_id)
        except drafts.DraftError:
            abort(404, _("Unknown item: %(id)s", id=item_id))
        tags = drafts.item_tags(db(), it)
        spans: dict[str, list[dict]] = {"title": [], "summary": [], "text": []}
        for tag in tags:
            for ev in tag["evidence"]:
                key = "text" if ev.get("field") in ("text", "body") else ev.get("field")
                if key in spans:
                    spans[key].append({**ev, "label": label_name(tag["label"], current_lang())})
        from tracker.links.related import related as related_fn
        from tracker.web.display import reference_texts

        try:
            related = list(related_fn(db(), item_id))
        except Exception as exc:  # noqa: BLE001 - a broken links table must not hide the item
            related = [{"id": None, "title": _("(related items unavailable: %(error)s)", error=str(exc))}]
        cited = reference_texts({r["ref"] for r in related if r.get("ref")}, current_lang())
        for r in related:
            r["ref_text"] = cited.get(r.get("ref") or "")
        state = triage.get(db(), item_id)
        base = (typed or {}).get("base") or triage.version(db(), item_id)
        return render_template(
            "item.html", item=it, tags=tags, state=state, consultees=_consultees(it),
            consultees_file=_consultees_file(it),
            allowed=triage.allowed(state["state"]), states=triage.STATES,
            title_html=highlight(it.get("title"), spans["title"]),
            summary_html=highlight(it.get("summary"), spans["summary"]),
            body_html=highlight(it.get("body"), spans["text"]),
            events=_event_rows(list_events(db(), item_id=item_id), it),
            history=_triage_rows(triage.history(db(), item_id)),
            answers=answers.for_item(db(), item_id), related=related, outcome=outcome_context(db(), item_id),
            drafts=draft_versions(item_id), can_draft=drafts.can_draft(it),
            # what the draft would warn of (withdrawn, deadline passed), said beside its button
            draft_cautions=[c.text(current_lang()) for c in drafts.cautions(it, now().date())]
            if drafts.can_draft(it) else [],
            label_marks=triage.label_marks(db(), item_id), label_names=LABEL_NAMES,
            documents=web_documents.item_documents(db(), item_id),
            message=message, error=error, typed=typed, note_max=triage.NOTE_MAX, base=base,
            by=(typed or label_typed or draft_typed or {}).get("by") or g.name or "", read_only=read_only(),
            label_typed=label_typed, draft_typed=draft_typed,
        ), status  # fmt: skip

    def draft_versions(item_id: str) -> list[dict[str, Any]]:
        rows = list(db().query("select id, created_at, created_by, language, docx_path, md_path from drafts "
                               "where item_id = ? order by id desc", [item_id]))  # fmt: skip
        for r in rows:
            r["has_docx"] = bool(r["docx_path"]) and Path(r["docx_path"]).is_file()
        return rows

    def _writer_name() -> str | None:
        """Who writes: the account; without accounts the remembered (or just typed) name. A typed
        name `name_problem` refuses is no name (`_name_refused` says why)."""
        if g.accounts:
            return g.name
        typed = (request.form.get("by") or "").strip()
        if typed:
            if name_problem(typed):
                return None
            session["by"] = typed
            session.permanent = True
            return typed
        return session.get("by")

    def _writer_of(item_id: str) -> str | None:
        """Who writes to this item (404 for an unknown item); None: no name yet (no accounts)."""
        from tracker.workbench import triage

        if not triage.item_exists(db(), item_id):
            abort(404, _("Unknown item: %(id)s", id=item_id))
        return _writer_name()

    def _typed_name() -> str:
        """The name typed in «Endret av» (none with accounts: the account writes)."""
        return "" if g.accounts else (request.form.get("by") or "").strip()

    def _name_refused(typed: str, missing: str | None = None) -> str:
        """Why no name could be taken: the typed one's problem, else none was written (`missing`:
        the form's own words for that)."""
        return (name_problem(typed) if typed else None) or missing or _(
            "Write your name in “Changed by” before saving (it is remembered afterwards).")

    def _triage_words(changed: dict[str, Any], cut: int = 300) -> list[str]:
        """What a triage change did, in the request's language: «skal svares», «ansvarlig per» or
        «ingen ansvarlig», «utkast innen ons. 09.12.2026» or «ingen utkastdag», «notat: «…»» (at
        most `cut` characters of it); `changed` has a key for each thing changed (state, owner,
        internal_deadline, note), None for one removed."""
        from tracker.i18n import format_date

        lang = current_lang()
        what = []
        if "state" in changed:
            what.append(triage_name(changed["state"], lang))
        if "owner" in changed:
            what.append(_("adviser %(owner)s", owner=changed["owner"]) if changed["owner"] else _("no adviser"))
        if "internal_deadline" in changed:
            day = changed["internal_deadline"]
            what.append(_("draft due %(day)s", day=format_date(day, lang)) if day else _("no draft due day"))
        if note := changed.get("note"):
            what.append(_("note: «%(note)s»", note=note if len(note) <= cut else note[:cut] + " …"))
        return what

    def _stale_text(exc: Any) -> str:
        """What others changed on the item since the adviser's form was loaded (a
        tracker.workbench.triage.StaleTriage), one change after another, in the request's language:
        «Per endret saken kl. 10.42: skal svares, ansvarlig per …; se over og lagre på nytt.»"""
        from tracker.i18n import format_datetime, format_time, local_day
        from tracker.vocabulary import triage_note
        from tracker.workbench import triage

        lang = current_lang()
        owner = exc.owner_before
        said = []
        for h in exc.changes:
            changed: dict[str, Any] = {}
            if h["state_after"] != h["state_before"]:
                changed["state"] = h["state_after"]
            if h["owner"] != owner:
                changed["owner"] = h["owner"]
            if h["internal_deadline_after"] != h["internal_deadline_before"]:
                changed["internal_deadline"] = h["internal_deadline_after"]
            if h["note"]:
                changed["note"] = triage_note(h["note"], lang) if h["by"] == triage.SYSTEM_USER else h["note"]
            when = (format_time(h["at"], lang) if local_day(h["at"]) == now().date()
                    else format_datetime(h["at"], lang))
            said.append(_("%(who)s changed the item at %(when)s: %(what)s", who=h["by"] or "–", when=when,
                          what=", ".join(_triage_words(changed)) or "–"))
            owner = h["owner"]
        return _("%(changes)s; look them over and save again (your changes are below, not saved yet).",
                 changes="; ".join(said))

    @app.post("/item/<path:item_id>/triage")
    @needs("adviser")
    @_with_write_check
    def triage_post(item_id: str):
        from tracker.workbench import triage

        by = _writer_of(item_id)
        form = request.form
        # what the adviser typed, shown again when the form is refused (a browser sends a textarea's
        # line breaks as CRLF: its maxlength counts them as one character, and so does the limit)
        typed = {key: (form.get(key) or "").replace("\r\n", "\n")
                 for key in ("state", "owner", "note", "internal_deadline", "by", "base")}
        # the item's triage as the form was loaded (triage.version); a form without it is not checked
        base = int(typed["base"]) if typed["base"].isdigit() else None
        if typed["base"] and base is None:
            abort(400)
        if not by:
            return _item_page(item_id, error=_name_refused(_typed_name()), typed=typed, status=422)
        before = triage.get(db(), item_id)
        try:
            row = triage.set_state(
                db(), item_id, typed["state"] or None,
                owner=form.get("owner") if form.get("owner") is not None else None,
                note=typed["note"] or None,
                # the form shows the day there is: sent empty, the adviser removed it
                internal_deadline=form.get("internal_deadline"),
                by=by, base=base, today=now().date(),  # a draft-by day already passed is refused
            )  # fmt: skip
        except triage.StaleTriage as exc:
            # someone saved the item after this form was loaded: the form comes back on the item as
            # it is now (saving again is a choice made knowing what changed), with the adviser's own
            # changes and the item's values now where the form only carried what it was loaded with
            # (sent again as loaded, an empty adviser or day removed the one just set)
            return _item_page(item_id, error=_stale_text(exc), status=409,
                              typed=_rebased(typed, exc.at_base, triage.get(db(), item_id)))
        except triage.TriageError as exc:
            return _item_page(item_id, error=refusal(str(exc)), typed=typed, status=422)
        # what was saved, by name («Lagret: ansvarlig per», not the status it kept); nothing: said so
        changed = {key: row[key] or "" for key in ("state", "owner", "internal_deadline") if row[key] != before[key]}
        if note := typed["note"].strip():  # a note is always kept (set_state), the item's own or the history's
            changed["note"] = note[:NOTE_SAID + 1]  # as much as is said (one more: it is said cut)
        if not changed:
            return _back(url_for("item", item_id=item_id), "unchanged")
        return _back(url_for("item", item_id=item_id), "saved_state", **changed)

    def _rebased(typed: dict[str, str], loaded: dict[str, Any] | None, current: dict[str, Any]) -> dict[str, str]:
        """A refused stale triage form on the item as it is now (`base` empty: its version now):
        the adviser, draft-by day and status as the adviser changed them from what the form was
        loaded with (`loaded`, StaleTriage.at_base), the item's `current` ones where untouched;
        the note as typed (the form starts without one). `loaded` unknown: as typed."""
        rebased = {**typed, "base": ""}
        if loaded is None:
            return rebased
        for key in ("owner", "internal_deadline"):
            sent = request.form.get(key)
            if sent is None or sent.strip() == (loaded[key] or "").strip():
                rebased[key] = current[key] or ""
        if typed["state"] in ("", loaded["state"]):
            rebased["state"] = ""  # no move chosen: the status as it is now
        return rebased

    web_documents.register(app, db)

    @app.post("/item/<path:item_id>/labels")
    @needs("adviser")
    @_with_write_check
    def labels_post(item_id: str):
        """An adviser adds or removes a label the tagger got wrong (calibration learns from it)."""
        from tracker.workbench import triage

        by = _writer_of(item_id)
        mark, label = request.form.get("mark", ""), request.form.get("label", "")
        if not by:  # the form again with the name and topic chosen, as the triage form comes back
            return _item_page(item_id, error=_name_refused(_typed_name()), status=422,
                              label_typed={"label": label, "by": _typed_name()})
        try:
            marked_before = triage.label_marks(db(), item_id)
            marks = triage.mark_labels(db(), item_id, [f"{mark}{label}"], by=by)
        except triage.TriageError as exc:
            return _back(url_for("item", item_id=item_id), "refused", "error", text=str(exc))
        if marks == marked_before:  # marked so already: mark_labels wrote nothing («ingen endring», as `triage`)
            return _back(url_for("item", item_id=item_id), "unchanged")
        marked = triage.parse_label_marks([f"{mark}{label}"])[0]
        return _back(url_for("item", item_id=item_id), "saved_label", mark=marked[0], label=marked[1])

    @app.post("/item/<path:item_id>/draft")
    @needs("adviser")
    @_with_write_check
    def draft_post(item_id: str):
        from tracker.workbench import drafts

        fmt = request.form.get("format", "docx")
        if fmt not in ("docx", "md"):
            abort(400, _("Drafts are made as .docx or .md."))
        problem = read_only(drafts_dir())
        if problem:
            abort(503, problem)
        by = _writer_name()
        if not by:  # the form again with the name typed and the format chosen, as the label form comes back
            missing = _("Write your name in “Changed by” before making a draft.")
            return _item_page(item_id, error=_name_refused(_typed_name(), missing), status=422,
                              draft_typed={"format": fmt, "by": _typed_name()})
        try:
            d = drafts.build(db(), item_id, as_of=now().date())
            document = drafts.docx_bytes(d)
        except drafts.NotAConsultation as exc:
            abort(400, refusal(str(exc)))
        except drafts.DraftFileError as exc:  # the secretariat's template or texts: the item page says which
            return _item_page(item_id, error=file_refusal(exc), status=500, draft_typed={"format": fmt, "by": by})
        except drafts.DraftError as exc:
            abort(404, refusal(str(exc)))
        folder = drafts_dir()
        folder.mkdir(parents=True, exist_ok=True)
        stem = f"{drafts.file_stem(d, now().date())}-{now():%H%M%S}-{secrets.token_hex(3)}"
        docx_path, md_path = folder / f"{stem}.docx", folder / f"{stem}.md"
        docx_path.write_bytes(document)
        md_path.write_text(drafts.render_markdown(d), encoding="utf-8")
        try:
            draft_id = drafts.record(db(), d, by=by, docx_path=str(docx_path), md_path=str(md_path))
        except sqlite3.Error:
            docx_path.unlink(missing_ok=True)
            md_path.unlink(missing_ok=True)
            raise
        return redirect(url_for("draft_file", draft_id=draft_id, fmt=fmt), code=303)

    @app.get("/drafts/<int:draft_id>.<fmt>")
    def draft_file(draft_id: int, fmt: str):
        rows = list(db().query("select id, item_id, created_at, text, docx_path from drafts where id = ?", [draft_id]))
        if not rows or fmt not in ("docx", "md"):
            abort(404, _("Unknown draft."))
        row = rows[0]
        from tracker.i18n import local_day
        from tracker.workbench.drafts import download_stem

        day = local_day(row["created_at"])  # the day in Oslo, also for an instant stored in UTC
        kind = db().execute("select kind from items where id = ?", [row["item_id"]]).fetchone()
        stem = download_stem(row["item_id"], kind[0] if kind else None, day, row["id"])
        if fmt == "md":
            body = (row["text"] or "").encode("utf-8")
            mime = "text/markdown; charset=utf-8"
        else:
            path = Path(row["docx_path"] or "")
            if not row["docx_path"] or path.suffix != ".docx" or not path.is_file():
                abort(404, _("The Word file of this draft no longer exists; the .md version is kept in the database."))
            body = path.read_bytes()
            mime = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        return Response(body, content_type=mime, headers={"Content-Disposition": f'attachment; filename="{stem}.{fmt}"'})

    def _filters(args):
        from tracker.workbench.search import Filters

        return Filters(label=args.get("label") or None, source=args.get("source") or None,
                       status=args.get("status") or None, date_from=args.get("from") or None,
                       date_to=args.get("to") or None, owner=args.get("owner") or None,
                       state=args.get("state") or None, new_since=args.get("new_since") or None,
                       changed_since=args.get("changed_since") or None,
                       relevant_to=args.get("relevant_to") or None,
                       followed_by=args.get("followed_by") or None,
                       not_followed_by=args.get("not_followed_by") or None,
                       not_relevant_to=args.get("not_relevant_to") or None,
                       # the digest's «N other open consultations …»: as it counts them, on this clock
                       open_consultations=bool(args.get("open_consultations")), as_of=now())  # fmt: skip

    @app.get("/search")
    def search():
        from tracker.workbench.search import (
            HL_END,
            HL_START,
            SearchError,
            filtered,
            prefix_suggestion,
            since_instant,
        )
        from tracker.workbench.search import search as run_search

        args = request.args
        q = (args.get("q") or "").strip()
        rows, error = [], None
        try:
            filters = _filters(args)
            # one more than is shown: a cut list must say so ("200 treff" read as all there are)
            if q:
                rows = run_search(db(), q, filters, limit=SEARCH_SHOWN + 1)
            elif any(args.get(k) for k in FILTER_ARGS):
                rows = filtered(db(), filters, limit=LIST_SHOWN + 1, order="relevance")
        except SearchError as exc:
            error = refusal(str(exc))
        widened = None  # «taksonomi» found nothing where «taksonomi*» finds «taksonomiforordningen»: offered
        if q and not rows and error is None and (found := prefix_suggestion(db(), q, filters)):
            widened = (found[0], found[1], url_for("search", **{**{k: v for k, v in args.items() if v}, "q": found[0]}))
        shown = SEARCH_SHOWN if q else LIST_SHOWN
        cut, rows = len(rows) > shown, rows[:shown]
        for r in rows:
            snip = escape(r.get("snippet") or "")
            r["snippet_html"] = Markup(str(snip).replace(HL_START, "<mark>").replace(HL_END, "</mark>"))
        sources = [r[0] for r in db().execute("select distinct source from items order by source")]  # an index
        # every label there is, in the Guidelines' order: reading them from the items' JSON scanned
        # the whole store on each search (1.4 s at a million items)
        labels = list(LABELS)
        export_args = {k: v for k, v in args.items() if (k == "q" or k in FILTER_ARGS) and v}
        # the digest's links ("new since", "changed since", "(not) relevant to the profile"): said in
        # words, kept by the form (also when the words of the query are refused), each with a link
        # to the same search without it
        said = [(k, when) for k in ("new_since", "changed_since") if (when := since_instant(args.get(k)))]
        for key in ("relevant_to", "not_relevant_to", "followed_by", "not_followed_by"):
            if profile := _known_profile(args.get(key)):
                said.append((key, profile.display_title(current_lang())))
        if args.get("open_consultations"):
            said.append(("open_consultations", ""))
        # the follow-up's filters (an adviser, a status: the inbox's and the digest's links), said
        # and kept as those above (a search sent again from the form dropped them, the export kept them)
        if owner := (args.get("owner") or "").strip():
            said.append(("owner", owner))
        if state := (args.get("state") or "").strip():
            said.append(("state", triage_name(code_of(state, TRIAGE_NAMES), current_lang())))
        said = [(k, value, url_for("search", **{a: v for a, v in args.items() if a != k and v})) for k, value in said]
        return render_template("search.html", rows=rows, q=q, args=args, error=error, sources=sources,
                               labels=labels, export_args=export_args, said=said, cut=cut, widened=widened,
                               asked=bool(q or any(args.get(k) for k in FILTER_ARGS)))

    @app.get("/export")
    def export():
        from tracker.workbench import export as ex
        from tracker.workbench.search import SearchError

        fmt = request.args.get("format", "csv")
        if fmt not in ex.FORMATS:
            abort(404, _("Unknown export format %(format)s (known: %(known)s).", format=repr(fmt),
                         known=", ".join(ex.FORMATS)))
        try:
            data = ex.rows(db(), _filters(request.args), (request.args.get("q") or "").strip() or None)
        except (SearchError, ValueError) as exc:
            abort(400, refusal(str(exc)))
        payload = ex.render(data, fmt, lang=current_lang())  # in the workbench's language, as `export --lang`
        body = payload if isinstance(payload, bytes) else payload.encode("utf-8")
        # the type as a whole (werkzeug adds "; charset=utf-8" to a text/* mimetype, a second time)
        content_type = {"csv": "text/csv; charset=utf-8", "json": "application/json",
                        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}[fmt]
        name = f"ncp-tracker-{now():%Y-%m-%d}.{fmt}"
        return Response(body, content_type=content_type,
                        headers={"Content-Disposition": f'attachment; filename="{name}"'})

    @app.get("/watchlist")
    def watchlist():
        from tracker.links.related import items_of_watch
        from tracker.links.watchlist import WatchlistError, load

        try:
            entries = load()
        except (WatchlistError, OSError) as exc:
            return render_template("watchlist.html", rows=[], error=file_refusal(exc))
        rows = [{"entry": e, "items": items_of_watch(db(), e.id)} for e in entries]
        return render_template("watchlist.html", rows=rows, error=None)

    @app.get("/gpfg")
    def gpfg():
        from tracker.links.gpfg import ACTORS, STAGES, gpfg_items, grouped

        by = request.args.get("by", "actor")
        if by not in ("actor", "stage"):
            by = "actor"
        # as the stage, an actor the form does not offer is no filter (the form shows "alle"); it
        # matched nothing and the page said there were no items about the fund
        asked = (request.args.get("actor") or "").strip().casefold()
        actor = next((a for a in ACTORS if a.casefold() == asked), None)
        stage = request.args.get("stage") if request.args.get("stage") in STAGES else None
        groups = grouped(gpfg_items(db(), actor=actor, stage=stage, by=by), by)
        # the newest of each actor's stage; all of them once both are chosen (a decade of the bank's
        # news is hundreds of lines under one heading)
        cap = None if actor and stage else GPFG_GROUP_CAP
        return render_template("gpfg.html", groups=groups, by=by, actor=actor, stage=stage, actors=ACTORS,
                               stages=STAGES, cap=cap)

    @app.get("/companies")
    def companies():
        from tracker.links.companies import close_names, list_companies

        name = (request.args.get("name") or "").strip() or None
        rows = list_companies(db(), name)
        close = close_names(db(), name) if name and not rows else []  # a misspelt name: what it may have meant
        return render_template("companies.html", rows=rows[:200], total=len(rows), name=name or "", close=close)

    @app.get("/horizon")
    def horizon():
        from tracker.web.horizon import horizon_context

        return render_template("horizon.html", **horizon_context(db(), request.args, now()))

    @app.get("/health")
    def health():
        # as the digest shows it: failing sources first, each with the clock of the run that checked
        # it (a replayed day's, not the machine's) and whether that is too long ago
        from tracker.digest.build import health as source_health
        from tracker.store.health import GREEN, backfills, unrecognised_words

        rows, _stale = source_health(db(), now())
        for r in rows:
            try:
                r["notes"] = json.loads(r.get("notes") or "[]")
            except ValueError:
                r["notes"] = []
            # the words behind "N saker med ukjent statusord", each a search for its items (a
            # green source's latest run saw none)
            r["unknown_words"] = unrecognised_words(db(), r["source"]) if r["status"] != GREEN else []
        # the walks through the sources' past: their own table (the rows above are the daily runs')
        return render_template("health.html", rows=rows, backfills=backfills(db()))

    # ------------------------------------------------------------------ account, feeds, admin

    @app.get("/account")
    def account():
        return render_template("account.html", feed_urls=None, read_only=read_only())

    @app.post("/account/feed-token")
    @needs("reader")
    @_with_write_check
    def feed_token():
        if g.user is None:
            abort(403, _("Subscription addresses need accounts (see `ncp-tracker users add`)."))
        token = accounts.new_feed_token(db(), g.user["id"])
        # in the language the adviser reads the workbench in (a calendar program sends no cookie)
        urls = {fmt: url_for("feed", token=token, fmt=fmt, lang=current_lang(), _external=True)
                for fmt in ("ics", "atom")}
        g.user = accounts.get_by_id(db(), g.user["id"])
        return render_template("account.html", feed_urls=urls, read_only=None)

    @app.post("/account/feed-token/revoke")
    @needs("reader")
    @_with_write_check
    def feed_token_revoke():
        if g.user is None:
            abort(403, _("Subscription addresses need accounts."))
        accounts.revoke_feed_token(db(), g.user["id"])
        return redirect(url_for("account"))

    @app.get("/feed/<token>.<fmt>")
    def feed(token: str, fmt: str):
        if fmt not in ("ics", "atom"):
            abort(404, _("Unknown format."))
        user = accounts.user_by_feed_token(db(), token)
        if user is None:
            abort(404, _("Unknown or revoked subscription address."))
        # the address the subscriber reached us at (behind a trusted proxy: its host and scheme)
        body = feed_body(db(), fmt, as_of=now(), profile=app.config["PROFILE"], lang=current_lang(),
                         workbench_url=request.url_root)
        mime = "text/calendar; charset=utf-8" if fmt == "ics" else "application/atom+xml; charset=utf-8"
        return Response(body, content_type=mime)  # with its charset once (a mimetype= got a second)

    @app.get("/admin/users")
    @needs("admin")
    def admin_users():
        return render_template("admin_users.html", users=accounts.list_users(db()), roles=accounts.ROLES,
                               **_said())

    @app.post("/admin/users")
    @needs("admin")
    @_with_write_check
    def admin_users_add():
        form = request.form
        try:
            added = accounts.add_user(db(), form.get("name", ""), form.get("password", ""), form.get("role", "adviser"))
        except accounts.AccountError as exc:
            # the form again as it was filled in (never the password), with why it was refused
            typed = {"name": form.get("name", ""), "role": form.get("role", "adviser")}
            return render_template("admin_users.html", users=accounts.list_users(db()), roles=accounts.ROLES,
                                   message=None, error=refusal(str(exc)), typed=typed), 422
        return _back(url_for("admin_users"), "account_added", name=added["name"], role=added["role"])

    @app.post("/admin/users/<int:user_id>/disable")
    @needs("admin")
    @_with_write_check
    def admin_users_disable(user_id: int):
        target = accounts.get_by_id(db(), user_id)
        if target is None:
            abort(404, _("Unknown account."))
        if g.user is not None and target["id"] == g.user["id"]:
            return _back(url_for("admin_users"), "own_account", "error")
        accounts.disable(db(), target["name"])
        return _back(url_for("admin_users"), "account_disabled", name=target["name"])

    return app
