"""The item page's documents section: its data, and the redline .docx download."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask, Response, abort

from tracker.web.lang import _, current_lang


def item_documents(db: Any, item_id: str) -> list[dict[str, Any]]:
    """The item's documents for the template, in the request's language (never fails the page:
    an error is shown instead)."""
    from tracker.documents.view import item_documents as view

    try:
        return view(db, item_id, lang=current_lang())
    except Exception as exc:  # noqa: BLE001 - a broken documents table must not hide the item
        return [{"title": _("(the documents cannot be shown)"), "state": str(exc), "url": "", "type": None,
                 "status": "failed", "read_status": None, "sections": [], "redline": None}]


def document_families(db: Any, item_id: str) -> list[dict[str, Any]]:
    """The EU document families shown on the item page (never fails the page: an error is shown)."""
    from tracker.documents.family import for_page

    try:
        return for_page(db, item_id)
    except Exception as exc:  # noqa: BLE001 - a broken stages table must not hide the item
        return [{"item_id": item_id, "title": item_id, "language": None, "watch": None, "stages": [], "own": True,
                 "error": str(exc)}]


def _docx(body: bytes, name: str) -> Response:
    """A redline download, named in the page's language («endringer-…», "changes-…")."""
    safe = "".join(ch if ch.isalnum() else "-" for ch in name)
    word = _("changes")
    return Response(body, mimetype="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                    headers={"Content-Disposition": f'attachment; filename="{word}-{safe}.docx"'})


def register(app: Flask, db: Callable[[], Any]) -> None:
    from tracker.i18n import gettext

    # the templates' `_` until the web installs the catalogues per request (then that one wins)
    app.jinja_env.globals.setdefault("_", lambda message, **kw: gettext("nb", message, **kw))
    app.jinja_env.globals["document_families"] = lambda item_id: document_families(db(), item_id)
    from tracker.documents.view import fetch_problem, last_check_note

    # a stage document's last check in the page's words (one wording with the documents section)
    app.jinja_env.globals["fetch_problem"] = lambda d: fetch_problem(d, current_lang())
    app.jinja_env.globals["last_check_note"] = lambda d: last_check_note(d, current_lang())

    @app.get("/item/<path:item_id>/stage/<stage>.docx")
    def stage_redline_docx(item_id: str, stage: str):
        from tracker.documents import family as fam
        from tracker.documents import redline as rl
        from tracker.vocabulary import eu_stage_name

        try:
            prev, cur = fam.stage_pair(db(), item_id, stage)
        except LookupError:
            abort(404, _("No changes of the stage %(stage)s of %(id)s.", stage=stage, id=item_id))
        title = f"{eu_stage_name(prev['stage'], current_lang())} → {eu_stage_name(cur['stage'], current_lang())}"
        intro = _("%(before)s → %(after)s: changes per article, tagged articles first. The changes are "
                  "tracked changes: accept or reject them in Word or LibreOffice.",
                  before=prev["reference"], after=cur["reference"])
        body = rl.to_docx(title, cur["changes"], intro=intro, lang=current_lang(), text_lang=fam.TEXT_LANG)
        return _docx(body, f"{item_id}-{stage}")

    @app.get("/item/<path:item_id>/redline.docx")
    def redline_docx(item_id: str):
        from tracker.documents import redline as rl

        changes = rl.latest_change(db(), item_id)
        if not changes:
            abort(404, _("No changed document for %(id)s.", id=item_id))
        c = changes[0]
        body = rl.to_docx(_("%(title)s: changes", title=c["title"] or c["url"]), rl.compare(db(), c["old"], c["new"]),
                          lang=current_lang(), text_lang=c["language"])
        return _docx(body, item_id)
