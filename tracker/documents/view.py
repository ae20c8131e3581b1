"""An item's documents as people read them (the item page and `ncp-tracker documents show`):
fetch state in words, sections with labels and pages, the strongest paragraphs, and the redline
of the last change."""

from __future__ import annotations

import json
from typing import Any

import sqlite_utils

from tracker.i18n import format_date, gettext, ngettext
from tracker.vocabulary import N_, document_error, document_title, document_type_name

#: a document's fetch status (documents.status) in words (catalogue msgids)
FETCH_STATES = {"ok": N_("fetched"), "not_modified": N_("unchanged"), "failed": N_("could not be fetched"),
                "refused": N_("refused")}


def _scanned_pages(d: dict[str, Any]) -> str:
    """The scanned pages of a document (document_files.scanned_pages, JSON), "2, 5"; "" if unknown."""
    try:
        pages = json.loads(d.get("scanned_pages") or "[]")
    except ValueError:
        return ""
    return ", ".join(str(p) for p in pages) if isinstance(pages, list) else ""


def fetch_problem(d: dict[str, Any], lang: str = "nb") -> str | None:
    """What the last check of a document said when it did not fetch it ("could not be fetched:
    HTTP 403 (blocked)", "refused: …"), in `lang`; None when it did (or it was never checked)."""
    status = d.get("status")
    if status is None or status == "ok":
        return None
    what = gettext(lang, FETCH_STATES[status]) if status in FETCH_STATES else str(status)
    error = document_error(d.get("error"), lang) if d.get("error") else gettext(lang, "unknown error")
    return gettext(lang, "%(state)s: %(error)s", state=what, error=error)


def last_check_note(d: dict[str, Any], lang: str = "nb") -> str | None:
    """For a document we hold a copy of (`sha256`) whose last check did not fetch it: that check,
    and that the copy is what is read ("last check Wed 25 Nov 2026: could not be fetched: HTTP 403;
    the copy of Tue 24 Nov 2026 is used"). None otherwise. A failed check never takes a copy out of
    use (tracker.documents.store): the drafts, the relevance and the redlines go on reading it."""
    return _check_note(d, fetch_problem(d, lang), lang)


def _check_note(d: dict[str, Any], problem: str | None, lang: str) -> str | None:
    """`last_check_note` for the last check's `problem` (`fetch_problem`), already worded."""
    if problem is None or not d.get("sha256"):
        return None
    return gettext(lang, "last check %(day)s: %(problem)s; the copy of %(fetched)s is used",
                   day=format_date(d.get("checked_at"), lang) or "?", problem=problem,
                   fetched=format_date(d.get("fetched_at"), lang) or "?")


def document_state(d: dict[str, Any], lang: str = "nb") -> str:
    """Whether a document was fetched and read, in `lang` (the documents spider's own fetch errors
    in `lang`, other fetch and read errors verbatim; scanned pages in `lang`: the stored
    read_error says them in English). A copy we hold is described as read, with its last failed
    check after it (:func:`last_check_note`); a document the item's page no longer links
    (`unlisted`, tracker.documents.store.listed) says so last."""
    problem = fetch_problem(d, lang)
    if problem is not None and not d.get("sha256"):
        state = problem
    else:
        state = _copy_state(d, lang)
        note = _check_note(d, problem, lang)
        state = f"{state} – {note}" if note else state
    if d.get("unlisted"):
        state += " – " + gettext(lang, "no longer linked from the item's page: not quoted in drafts")
    return state


def _copy_state(d: dict[str, Any], lang: str) -> str:
    """The state of the copy we hold: read (pages), scanned, unreadable or not read yet."""
    read = d.get("read_status")
    scanned = _scanned_pages(d)
    if read == "scanned" and scanned:
        return gettext(lang, "scanned – no text to read (scanned pages %(pages)s need OCR)", pages=scanned)
    if read == "scanned":
        return gettext(lang, "scanned – no text to read (%(error)s)", error=d.get("read_error") or "")
    if read == "unreadable":
        return gettext(lang, "could not be read: %(error)s", error=d.get("read_error") or "")
    if read is None:
        return gettext(lang, "fetched, not read yet")
    pages = (ngettext(lang, "%(num)d page", "%(num)d pages", d["pages"]) if d.get("pages")
             else gettext(lang, "no page count"))
    if scanned:
        extra = "; " + gettext(lang, "pages without text (scanned): %(pages)s", pages=scanned)
    else:
        extra = f"; {d['read_error']}" if d.get("read_error") else ""
    from tracker.documents.read import UNTAGGED

    if d.get("tagger_version") == UNTAGGED:  # a list of consultees: read for its names only
        return gettext(lang, "read for its names (a list of consultees, not tagged), %(pages)s", pages=pages) + extra
    return gettext(lang, "read, %(pages)s", pages=pages) + extra


def item_documents(db: sqlite_utils.Database, item_id: str, *, paragraphs: int = 3,
                   lang: str = "nb") -> list[dict[str, Any]]:
    """The item's documents, each with its state, sections, strongest paragraphs and last redline
    (in `lang`); those the item's page still links first."""
    if "documents" not in db.table_names():
        return []
    from tracker.documents import redline as rl
    from tracker.documents.store import listed

    docs = list(db.query(
        f"""select d.*, f.read_status, f.read_error, f.scanned_pages, f.pages, f.kind, f.tagger_version, f.language,
                   not {listed("d")} as unlisted from documents d
             left join document_files f on f.sha256 = d.sha256
            where d.item_id = ? order by unlisted, d.type = 'høringsnotat' desc, d.url""", [item_id]))
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
        out.append({**d, "state": document_state(d, lang), "sections": sections, "redline": redline,
                    "title": document_title(d) or d["url"], "type": document_type_name(d["type"], lang) or None})
    return out
