"""The item page's documents section: its data, and the redline .docx download."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask, Response, abort


def item_documents(db: Any, item_id: str) -> list[dict[str, Any]]:
    """The item's documents for the template (never fails the page: an error is shown instead)."""
    from tracker.documents.view import item_documents as view

    try:
        return view(db, item_id)
    except Exception as exc:  # noqa: BLE001 - a broken documents table must not hide the item
        return [{"title": "(dokumentene kan ikke vises)", "state": str(exc), "url": "", "type": None,
                 "sections": [], "redline": None}]


def register(app: Flask, db: Callable[[], Any]) -> None:
    @app.get("/item/<path:item_id>/redline.docx")
    def redline_docx(item_id: str):
        from tracker.documents import redline as rl

        changes = rl.latest_change(db(), item_id)
        if not changes:
            abort(404, f"no changed document for {item_id}")
        c = changes[0]
        body = rl.to_docx(f"{c['title'] or c['url']}: endringer", rl.compare(db(), c["old"], c["new"]))
        safe = "".join(ch if ch.isalnum() else "-" for ch in item_id)
        return Response(body, mimetype="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                        headers={"Content-Disposition": f'attachment; filename="endringer-{safe}.docx"'})
