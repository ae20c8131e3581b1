"""The item page's documents section: its data, and the redline .docx download."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask, Response, abort

from tracker.vocabulary import N_
from tracker.web.lang import _, n_


def item_documents(db: Any, item_id: str) -> list[dict[str, Any]]:
    """The item's documents for the template (never fails the page: an error is shown instead)."""
    from tracker.documents.view import item_documents as view

    try:
        docs = view(db, item_id)
    except Exception as exc:  # noqa: BLE001 - a broken documents table must not hide the item
        return [{"title": _("(the documents cannot be shown)"), "state": str(exc), "url": "", "type": None,
                 "status": "failed", "read_status": None, "sections": [], "redline": None}]
    for d in docs:
        d["state"] = document_state(d)
    return docs


#: a document's fetch status (documents.status) in words
FETCH_STATES = {"ok": N_("fetched"), "not_modified": N_("unchanged"), "failed": N_("could not be fetched"),
                "refused": N_("refused")}


def document_state(d: dict[str, Any]) -> str:
    """Whether a document was fetched and read, in the request's language (the raw error verbatim)."""
    status, read = d.get("status"), d.get("read_status")
    if status != "ok":
        what = _(FETCH_STATES[status]) if status in FETCH_STATES else str(status)
        return _("%(state)s: %(error)s", state=what, error=d.get("error") or _("unknown error"))
    if read == "scanned":
        return _("scanned – no text to read (%(error)s)", error=d.get("read_error") or "")
    if read == "unreadable":
        return _("could not be read: %(error)s", error=d.get("read_error") or "")
    if read is None:
        return _("fetched, not read yet")
    pages = n_("%(num)d page", "%(num)d pages", d["pages"]) if d.get("pages") else _("no page count")
    extra = f"; {d['read_error']}" if d.get("read_error") else ""
    return _("read, %(pages)s", pages=pages) + extra


def document_families(db: Any, item_id: str) -> list[dict[str, Any]]:
    """The EU document families shown on the item page (never fails the page: an error is shown)."""
    from tracker.documents.family import for_page

    try:
        return for_page(db, item_id)
    except Exception as exc:  # noqa: BLE001 - a broken stages table must not hide the item
        return [{"item_id": item_id, "title": item_id, "watch": None, "stages": [], "own": True, "error": str(exc)}]


def register(app: Flask, db: Callable[[], Any]) -> None:
    from tracker.i18n import gettext

    # the templates' `_` until the web installs the catalogues per request (then that one wins)
    app.jinja_env.globals.setdefault("_", lambda message, **kw: gettext("nb", message, **kw))
    app.jinja_env.globals["document_families"] = lambda item_id: document_families(db(), item_id)

    @app.get("/item/<path:item_id>/stage/<stage>.docx")
    def stage_redline_docx(item_id: str, stage: str):
        from tracker.documents import family as fam
        from tracker.documents import redline as rl

        try:
            prev, cur = fam.stage_pair(db(), item_id, stage)
        except LookupError:
            abort(404, f"no redline for stage {stage} of {item_id}")
        names = {"proposal": gettext("nb", "Commission proposal"), "council_mandate": gettext("nb", "Council mandate"),
                 "ep_position": gettext("nb", "Parliament position"), "adopted": gettext("nb", "Adopted act")}
        title = f"{names.get(prev['stage'], prev['stage'])} → {names.get(cur['stage'], cur['stage'])}"
        intro = gettext("nb", "%(before)s → %(after)s: changes per article, tagged articles first. The changes are "
                              "tracked changes: accept or reject them in Word or LibreOffice.",
                        before=prev["reference"], after=cur["reference"])
        body = rl.to_docx(title, cur["changes"], intro=intro)
        safe = "".join(ch if ch.isalnum() else "-" for ch in f"{item_id}-{stage}")
        return Response(body, mimetype="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                        headers={"Content-Disposition": f'attachment; filename="endringer-{safe}.docx"'})

    @app.get("/item/<path:item_id>/redline.docx")
    def redline_docx(item_id: str):
        from tracker.documents import redline as rl

        changes = rl.latest_change(db(), item_id)
        if not changes:
            abort(404, _("No changed document for %(id)s.", id=item_id))
        c = changes[0]
        body = rl.to_docx(_("%(title)s: changes", title=c["title"] or c["url"]), rl.compare(db(), c["old"], c["new"]))
        safe = "".join(ch if ch.isalnum() else "-" for ch in item_id)
        return Response(body, mimetype="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                        headers={"Content-Disposition": f'attachment; filename="endringer-{safe}.docx"'})
