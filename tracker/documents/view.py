"""An item's documents as people read them (the item page and `ncp-tracker documents show`):
fetch state in words, sections with labels and pages, the strongest paragraphs, and the redline
of the last change."""

from __future__ import annotations

import json
from typing import Any

import sqlite_utils

STATE_NB = {"ok": "hentet", "not_modified": "uendret", "failed": "kunne ikke hentes", "refused": "avvist"}


def _state(d: dict[str, Any]) -> str:
    if d["status"] != "ok":
        return f"{STATE_NB.get(d['status'], d['status'])}: {d['error'] or 'ukjent feil'}"
    if d["read_status"] == "scanned":
        return f"skannet – ingen tekst å lese ({d['read_error']})"
    if d["read_status"] == "unreadable":
        return f"kunne ikke leses: {d['read_error']}"
    if d["read_status"] is None:
        return "hentet, ikke lest ennå"
    pages = f"{d['pages']} sider" if d["pages"] else "uten sidetall"
    extra = f"; {d['read_error']}" if d["read_error"] else ""
    return f"lest, {pages}{extra}"


#: an EU file's stage documents (tracker/documents/family.py) by the names the item page gives them
STAGE_LABELS = {"eu_proposal": "Commission proposal", "eu_council_mandate": "Council mandate",
                "eu_ep_position": "Parliament position", "eu_adopted": "Adopted act"}


def _type_label(doc_type: str | None, lang: str = "nb") -> str | None:
    from tracker.i18n import gettext

    return gettext(lang, STAGE_LABELS[doc_type]) if doc_type in STAGE_LABELS else doc_type


def item_documents(db: sqlite_utils.Database, item_id: str, *, paragraphs: int = 3) -> list[dict[str, Any]]:
    if "documents" not in db.table_names():
        return []
    from tracker.documents import redline as rl

    docs = list(db.query(
        """select d.*, f.read_status, f.read_error, f.pages, f.kind from documents d
             left join document_files f on f.sha256 = d.sha256
            where d.item_id = ? order by d.type = 'høringsnotat' desc, d.url""", [item_id]))
    changes = {c["url"]: c for c in rl.latest_change(db, item_id)}
    out = []
    for d in docs:
        sections = []
        if d["sha256"] and d["read_status"] == "read":
            for s in db.query("select * from document_sections where sha256 = ? order by seq", [d["sha256"]]):
                labels = json.loads(s["labels"] or "[]")
                top = [dict(p, evidence=json.loads(p["evidence"] or "[]")) for p in db.query(
                    """select seq, page, text, score, evidence from document_paragraphs
                        where sha256 = ? and section_seq = ? and score > 0 order by score desc, seq limit ?""",
                    [d["sha256"], s["seq"], paragraphs])]
                sections.append({"number": s["number"] or "", "heading": s["heading"], "page": s["page"],
                                 "labels": ", ".join(labels), "label_list": labels,
                                 "relevant": bool(s["relevant"]), "paragraphs": top})
        change = changes.get(d["url"])
        redline = None
        if change is not None:
            redline = {"seen_at": change["seen_at"], "sections": rl.compare(db, change["old"], change["new"])}
        out.append({**d, "state": _state(d), "sections": sections, "redline": redline,
                    "title": d["title"] or d["url"], "type": _type_label(d["type"])})
    return out
