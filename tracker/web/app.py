"""The web workbench: inbox, item page (triage, history, evidence, answers, drafts), search, health.

Flask (a small, well-kept WSGI stack on Jinja2, which the project already uses): server-rendered
pages, Jinja2 autoescaping, a per-session CSRF token on every form, loopback by default and a
required access token on any other address (plus a Host-header check on loopback against DNS
rebinding). Each request opens its own database connection (WAL + busy timeout, see
tracker.store.db.open_db), so crawls keep writing while the server runs.
"""

from __future__ import annotations

import difflib
import hmac
import ipaddress
import json
import secrets
from datetime import datetime
from typing import Any

from flask import Flask, Response, abort, g, redirect, render_template, request, session, url_for
from markupsafe import Markup, escape

from crawlers.dates import OSLO
from tracker.web import documents as web_documents

LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1", "[::1]")


class WebConfigError(ValueError):
    """The server cannot start with this configuration (e.g. public address without a token)."""


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


def _event_rows(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    rows = []
    for e in events:
        before, after = e.get("before"), e.get("after")
        if e["kind"] == "updated" and isinstance(before, dict) and isinstance(after, dict):
            diffs = [(f, word_diff(before.get(f), after.get(f))) for f in sorted(set(before) | set(after))]
        elif e["kind"] in ("deadline_changed", "status_changed"):
            diffs = [(e.get("field") or e["kind"], word_diff(before, after))]
        elif e["kind"] == "documents_added" and isinstance(after, list):
            diffs = [("documents", Markup("<ins>{}</ins>").format(", ".join(d.get("title") or d.get("url", "") for d in after)))]
        else:
            diffs = [(e.get("field") or "", escape("" if after is None else str(after)))]
        rows.append({**e, "diffs": diffs})
    return rows


def _triage_rows(history: list[dict[str, Any]]) -> list[dict[str, Any]]:
    rows, last_note, last_owner = [], None, None
    for h in history:
        note_diff = word_diff(last_note, h["note"]) if h["note"] and last_note else (escape(h["note"] or ""))
        rows.append({**h, "note_diff": note_diff,
                     "owner_change": (last_owner, h["owner"]) if h["owner"] != last_owner else None})
        if h["note"]:
            last_note = h["note"]
        last_owner = h["owner"]
    return list(reversed(rows))


# ---------------------------------------------------------------------------- the app


def create_app(db_path: str | None = None, *, host: str = "127.0.0.1", token: str | None = None,
               as_of: datetime | None = None, secret_key: str | None = None) -> Flask:
    """The workbench WSGI app. A non-loopback `host` requires a `token`."""
    from tracker.store.db import open_db, resolve_path

    if not is_loopback(host) and not token:
        raise WebConfigError(f"--host {host} is not a loopback address: a --token (or $NCP_TRACKER_TOKEN) is required")
    if token is not None and len(token) < 12:
        raise WebConfigError("the access token must be at least 12 characters")
    path = str(resolve_path(db_path))
    open_db(path).close()  # create/migrate once, not per request

    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=secret_key or secrets.token_hex(32), DB_PATH=path, TOKEN=token,
        LOOPBACK=is_loopback(host), AS_OF=as_of,
        SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Strict",
        MAX_CONTENT_LENGTH=64 * 1024,
    )  # fmt: skip

    from tracker.digest.build import safe_url

    # scraped URLs become links only when they are http(s): never javascript:, data: or the like
    app.jinja_env.filters["safe_href"] = safe_url

    def db():
        if "db" not in g:
            g.db = open_db(app.config["DB_PATH"], migrate=False)
        return g.db

    def now() -> datetime:
        return app.config["AS_OF"] or datetime.now(OSLO)

    @app.teardown_appcontext
    def _close(exc):
        conn = g.pop("db", None)
        if conn is not None:
            conn.close()

    @app.before_request
    def _guard():
        host_name = request.host.split("]")[0] + "]" if request.host.startswith("[") else request.host.rsplit(":", 1)[0]
        if app.config["LOOPBACK"] and host_name not in LOOPBACK_NAMES:
            abort(400, "unexpected Host header (DNS rebinding?)")
        expected = app.config["TOKEN"]
        if expected and not session.get("authed"):
            given = request.args.get("token") or request.headers.get("Authorization", "").removeprefix("Bearer ")
            if not given or not hmac.compare_digest(given.encode(), expected.encode()):
                abort(401)
            session["authed"] = True
            if request.args.get("token"):
                args = {k: v for k, v in request.args.items() if k != "token"}
                return redirect(url_for(request.endpoint, **(request.view_args or {}), **args))
        if "csrf" not in session:
            session["csrf"] = secrets.token_urlsafe(32)
        if request.method == "POST":
            sent = request.form.get("csrf", "")
            if not hmac.compare_digest(sent.encode(), session["csrf"].encode()):
                abort(400, "missing or wrong CSRF token (reload the page and try again)")
        return None

    @app.after_request
    def _headers(resp: Response) -> Response:
        resp.headers["Content-Security-Policy"] = ("default-src 'self'; style-src 'self'; img-src 'self'; "
                                                   "form-action 'self'; frame-ancestors 'none'")  # fmt: skip
        resp.headers["X-Frame-Options"] = "DENY"
        resp.headers["X-Content-Type-Options"] = "nosniff"
        resp.headers["Referrer-Policy"] = "no-referrer"
        return resp

    @app.context_processor
    def _globals():
        return {"csrf_token": session.get("csrf", ""), "now": now()}

    @app.errorhandler(400)
    @app.errorhandler(401)
    @app.errorhandler(404)
    def _error(exc):
        return render_template("error.html", code=exc.code, message=exc.description), exc.code

    # ------------------------------------------------------------------ pages

    @app.get("/")
    def inbox():
        from tracker.workbench.triage import inbox_rows

        owner = request.args.get("owner") or None
        rows = inbox_rows(db(), now(), owner)
        owners = [r[0] for r in db().execute("select distinct owner from triage where owner is not null order by owner")]
        return render_template("inbox.html", rows=rows, owner=owner, owners=owners)

    @app.get("/item/<path:item_id>")
    def item(item_id: str):
        from tracker.store.queries import list_events
        from tracker.workbench import answers, drafts, triage

        try:
            it = drafts.load_item(db(), item_id)
        except drafts.DraftError:
            abort(404, f"unknown item id: {item_id}")
        tags = drafts.item_tags(db(), it)
        spans: dict[str, list[dict]] = {"title": [], "summary": [], "text": []}
        for tag in tags:
            for ev in tag["evidence"]:
                key = "text" if ev.get("field") in ("text", "body") else ev.get("field")
                if key in spans:
                    spans[key].append({**ev, "label": tag["label"]})
        related = []
        try:
            from tracker.links.related import related as related_fn
        except ImportError:
            related_fn = None
        if related_fn is not None:
            try:
                related = list(related_fn(db(), item_id))
            except Exception as exc:  # noqa: BLE001 - a broken links table must not hide the item
                related = [{"id": None, "title": f"(related items unavailable: {exc})"}]
        state = triage.get(db(), item_id)
        return render_template(
            "item.html", item=it, tags=tags, state=state,
            allowed=triage.allowed(state["state"]), states=triage.STATES,
            title_html=highlight(it.get("title"), spans["title"]),
            summary_html=highlight(it.get("summary"), spans["summary"]),
            body_html=highlight(it.get("body"), spans["text"]),
            events=_event_rows(list_events(db(), item_id=item_id)),
            history=_triage_rows(triage.history(db(), item_id)),
            answers=answers.for_item(db(), item_id), related=related,
            documents=web_documents.item_documents(db(), item_id),
            drafts=list(db().query("select id, created_at, created_by, language from drafts "
                                   "where item_id = ? order by id desc", [item_id])),
            message=request.args.get("msg"), error=request.args.get("err"),
            by=session.get("by", ""),
        )  # fmt: skip

    @app.post("/item/<path:item_id>/triage")
    def triage_post(item_id: str):
        from tracker.workbench import triage

        form = request.form
        by = (form.get("by") or "").strip()[:80] or session.get("by") or None
        if by:
            session["by"] = by
        try:
            row = triage.set_state(
                db(), item_id, form.get("state") or None,
                owner=form.get("owner") if form.get("owner") is not None else None,
                note=form.get("note") or None,
                internal_deadline=form.get("internal_deadline") if form.get("internal_deadline") else None,
                by=by,
            )  # fmt: skip
        except triage.TriageError as exc:
            if not triage.item_exists(db(), item_id):
                abort(404, str(exc))
            return redirect(url_for("item", item_id=item_id, err=str(exc)))
        return redirect(url_for("item", item_id=item_id, msg=f"saved: {row['state']}"))

    web_documents.register(app, db)

    @app.get("/item/<path:item_id>/draft.<fmt>")
    def draft(item_id: str, fmt: str):
        from tracker.workbench import drafts

        if fmt not in ("docx", "md"):
            abort(404, "drafts are .docx or .md")
        try:
            d = drafts.build(db(), item_id, as_of=now().date())
        except drafts.DraftError as exc:
            abort(404, str(exc))
        name = drafts.file_stem(d, now().date())
        if fmt == "docx":
            drafts.record(db(), d, by=session.get("by") or None)
            body = drafts.docx_bytes(d)
            mime = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        else:
            body = drafts.render_markdown(d).encode("utf-8")
            mime = "text/markdown; charset=utf-8"
        return Response(body, mimetype=mime,
                        headers={"Content-Disposition": f'attachment; filename="{name}.{fmt}"'})

    @app.get("/search")
    def search():
        from tracker.workbench.search import HL_END, HL_START, Filters, SearchError, filtered
        from tracker.workbench.search import search as run_search

        args = request.args
        q = (args.get("q") or "").strip()
        filters = Filters(label=args.get("label") or None, source=args.get("source") or None,
                          status=args.get("status") or None, date_from=args.get("from") or None,
                          date_to=args.get("to") or None, owner=args.get("owner") or None,
                          state=args.get("state") or None)  # fmt: skip
        rows, error = [], None
        try:
            if q:
                rows = run_search(db(), q, filters, limit=100)
            elif any(args.get(k) for k in ("label", "source", "status", "from", "to", "owner", "state")):
                rows = filtered(db(), filters, limit=200)
        except SearchError as exc:
            error = str(exc)
        for r in rows:
            snip = escape(r.get("snippet") or "")
            r["snippet_html"] = Markup(str(snip).replace(HL_START, "<mark>").replace(HL_END, "</mark>"))
        sources = [r[0] for r in db().execute("select distinct source from items order by source")]
        labels = [r[0] for r in db().execute(
            "select distinct j.value from items, json_each(case when json_valid(items.labels) "
            "then items.labels else '[]' end) j order by j.value")]
        return render_template("search.html", rows=rows, q=q, args=args, error=error,
                               sources=sources, labels=labels)

    @app.get("/health")
    def health():
        from tracker.store.health import latest

        rows = latest(db())
        for r in rows:
            try:
                r["notes"] = json.loads(r.get("notes") or "[]")
            except ValueError:
                r["notes"] = []
        return render_template("health.html", rows=rows)

    return app
