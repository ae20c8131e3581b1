"""Reading fetched documents: extract, split into sections and paragraphs, tag each section with
the `nlp` tagger, keep per-paragraph evidence with pages, find watched provisions, and let a
document's strongest paragraphs raise its item's relevance with their reason.

Sections and paragraphs are stored per file (sha256): two items linking the same file share them,
and every version of a document keeps its own, which is what the redline compares.

A hearing's list of consultees linked as a file (type ``høringsinstanser``: older regjeringen.no
pages have no list on the page) is read but never tagged — a list of names is no evidence of what
the hearing is about — and gives the item its consultee list (`read_consultee_lists`), so that a
hearing naming Kontaktpunktet only in its list file still reaches «Trenger innspill».
"""

from __future__ import annotations

import json
import logging
from typing import Any

import sqlite_utils

from tracker.documents import extract as ex
from tracker.documents import provisions as prov
from tracker.documents.store import listed, sections_with_text
from tracker.store.labels import marks_of, with_marks

logger = logging.getLogger(__name__)

#: a paragraph counts as evidence for the item's relevance from this score on
MIN_SCORE = 0.2
EVENT_PROVISION = "provision_hit"
#: the link type of a hearing's list of consultees (crawlers/regjeringen.py FACTBOX_TYPES)
CONSULTEE_LIST = "høringsinstanser"
#: `document_files.tagger_version` of a list file: read, never tagged (no re-read for a new tagger)
UNTAGGED = "untagged list"


class _Untagged:
    """The tagger's result for a section of a list file: no labels, no evidence, not relevant."""

    labels: list[str] = []
    evidence: list[Any] = []
    strengths: dict[str, float] = {}
    relevance, relevant, reason = 0.0, False, None
    language: str | None = None


def _now() -> str:
    from tracker.store.instants import now_iso

    return now_iso()


def excerpt(text: str, start: int, words: int = 5) -> str:
    """A few words of `text` from `start` (the evidence), cut at word boundaries, with "…" where
    the text goes on: before them (they do not begin it) and after (more follows in the sentence)."""
    head = text[:start].rsplit(" ", 1)
    begin = start if len(head) == 1 and start == 0 else len(head[0]) + (1 if len(head) > 1 else 0)
    if begin > start:
        begin = start
    tail = text[begin:].split()
    shown = " ".join(tail[:words]).rstrip(".,;:")
    if len(tail) > words and not tail[words - 1].endswith((".", "!", "?")):
        shown += " …"
    return ("… " if text[:begin].strip() else "") + shown


def document_reason(title: str | None, doc_type: str | None, page: int | None, snippet: str,
                    lang: str = "nb") -> str:
    """Why a document raised its item, in `lang`: "høringsnotat s. 14: aktsomhetsvurderinger i
    leverandørkjeden …", "proposal p. 3: … Corporate Sustainability Due Diligence and …"."""
    from tracker.documents.api import doc_word

    where = (f" p. {page}" if lang == "en" else f" s. {page}") if page else ""
    return f"{doc_word(title, doc_type, lang)}{where}: {snippet}"


def _section_record(sha256: str, seq: int, heading: str | None, text: str, source: str) -> dict[str, Any]:
    """A section as the tagger reads it (and `fill_languages` detects its language)."""
    return {"id": f"{sha256}:{seq}", "title": heading, "summary": "", "text": text, "language": None,
            "source": source}


def fill_languages(db: sqlite_utils.Database, *, tagger: Any = None) -> int:
    """The language of each file read before `document_files.language` was kept (NULL): from its
    stored sections, detected as their tagging would (`Tagger.languages`) and weighed as
    `read_file` does; "" for a list file (not tagged) or one without text. Returns how many."""
    rows = list(db.query(
        """select f.sha256, f.tagger_version, (select i.source from documents d join items i on i.id = d.item_id
                                                where d.sha256 = f.sha256 limit 1) as source
             from document_files f where f.language is null and f.read_status in ('read', 'scanned')"""))
    for row in rows:
        sha256, language = row["sha256"], None
        if row["tagger_version"] != UNTAGGED:
            sections = sections_with_text(db, sha256)
            found = []
            if sections:
                tagger = tagger or _tagger()
                found = tagger.languages([_section_record(sha256, s["seq"], s["heading"], s["text"], row["source"] or "")
                                          for s in sections])
            language = document_language([(len(s["text"]), lang) for s, lang in zip(sections, found, strict=True)])
        with db.conn:
            db["document_files"].update(sha256, {"language": language or ""})
    return len(rows)


def document_language(sections: list[tuple[int, str | None]]) -> str | None:
    """The language a document is written in: of its sections' (length, the tagger's language),
    the language of the most text; None when no section's language is known (a list file, which
    is not tagged, or no text). A short section's guess weighs little against the body's."""
    from tracker.i18n import TEXT_LANGS

    weight: dict[str, int] = {}
    for length, lang in sections:
        if lang in TEXT_LANGS and length > 0:
            weight[lang] = weight.get(lang, 0) + length
    return max(weight, key=lambda lang: (weight[lang], lang)) if weight else None


def read_file(db: sqlite_utils.Database, sha256: str, *, tagger: Any = None, source: str = "",
              tag: bool = True) -> str:
    """Extract and tag one stored file (`tag=False`: a list file, read but not tagged); returns its
    read status (read, scanned, unreadable)."""
    row = db["document_files"].get(sha256)
    try:
        doc = ex.extract(row["path"], row["kind"], row.get("content_type"))
    except (ex.ExtractionError, OSError) as exc:
        with db.conn:
            db["document_files"].update(sha256, {"read_status": "unreadable", "read_error": str(exc)[:500],
                                                 "read_at": _now()})
        return "unreadable"
    sections = doc.sections
    if tag:
        tagger = tagger or _tagger()
        records = [_section_record(sha256, i, s.heading, s.text, source) for i, s in enumerate(sections)]
        results: list[Any] = list(tagger.tag_many(records)) if records else []
    else:
        results = [_Untagged()] * len(sections)
    section_rows, para_rows = [], []
    pseq = 0
    for i, (section, res) in enumerate(zip(sections, results, strict=True)):
        # where each paragraph starts in the section text the tagger saw
        bounds, pos = [], 0
        for p in section.paragraphs:
            bounds.append((pos, pos + len(p.text)))
            pos += len(p.text) + 2
        per_para: list[list[dict[str, Any]]] = [[] for _ in section.paragraphs]
        for ev in res.evidence:
            if ev.field not in ("text", "body") or ev.label not in res.labels:
                continue
            for j, (a, b) in enumerate(bounds):
                if a <= ev.start < b:
                    per_para[j].append({"label": ev.label, "start": ev.start - a, "end": ev.end - a,
                                        "text": ev.text, "strength": round(res.strengths.get(ev.label, 0.0), 4)})
                    break
        section_rows.append({
            "sha256": sha256, "seq": i, "number": section.number, "heading": section.heading,
            "level": section.level, "page": section.page, "labels": json.dumps(res.labels),
            "relevance": round(res.relevance, 4), "relevant": int(res.relevant),
            "reason": getattr(res, "reason", None)})  # fmt: skip
        for p, evs in zip(section.paragraphs, per_para, strict=True):
            labels = sorted({e["label"] for e in evs})
            score = sum(res.strengths.get(lab, 0.0) for lab in labels) + 0.1 * len(evs)
            para_rows.append({"sha256": sha256, "seq": pseq, "section_seq": i, "page": p.page, "text": p.text,
                              "labels": json.dumps(labels), "score": round(score, 4),
                              "evidence": json.dumps(evs, ensure_ascii=False)})
            pseq += 1
    status = "scanned" if doc.scanned else "read"
    language = document_language([(len(s.text), r.language) for s, r in zip(sections, results, strict=True)])
    with db.conn:
        db.execute("delete from document_sections where sha256 = ?", [sha256])
        db.execute("delete from document_paragraphs where sha256 = ?", [sha256])
        if section_rows:
            db["document_sections"].insert_all(section_rows, pk=("sha256", "seq"))
        if para_rows:
            db["document_paragraphs"].insert_all(para_rows, pk=("sha256", "seq"), batch_size=500)
        db["document_files"].update(sha256, {
            "pages": doc.pages, "chars": doc.chars, "scanned_pages": json.dumps(doc.scanned_pages),
            "read_status": status, "tagger_version": tagger.version if tag else UNTAGGED, "read_at": _now(),
            "language": language or "",  # "" known to have none; NULL: read before the column
            "read_error": (f"no text layer: scanned pages {_pages(doc.scanned_pages)} need OCR"
                           if doc.scanned else (f"pages without text (scanned): {_pages(doc.scanned_pages)}"
                                                if doc.scanned_pages else None))})  # fmt: skip
    return status


def _pages(pages: list[int]) -> str:
    return ", ".join(str(p) for p in pages)


def _tagger() -> Any:
    from nlp.tagger import default_tagger
    from tracker.jobs.tagging import nlp_options

    return default_tagger(nlp_options())


def read_pending(db: sqlite_utils.Database, *, tagger: Any = None) -> dict[str, int]:
    """Read every stored file not yet read (or read by another tagger version)."""
    counts = {"read": 0, "scanned": 0, "unreadable": 0}
    # a file every item links as its list of consultees is a list file: read, never tagged
    rows = list(db.query(
        """select f.sha256, f.tagger_version, f.read_status,
                  (select i.source from documents d join items i on i.id = d.item_id
                    where d.sha256 = f.sha256 limit 1) as source,
                  not exists (select 1 from documents d where d.sha256 = f.sha256 and d.type is not ?)
                    as list_file
             from document_files f""", [CONSULTEE_LIST]))
    if not rows:
        return counts
    pending = [r for r in rows if r["read_status"] is None]
    # the tagger is loaded only for files it reads, or may have to read again (another version)
    if any(r["read_status"] in (None, "read", "scanned") for r in rows if not r["list_file"]):
        tagger = tagger or _tagger()
        pending = [r for r in rows if r["read_status"] is None
                   or (r["read_status"] in ("read", "scanned")
                       and r["tagger_version"] != (UNTAGGED if r["list_file"] else tagger.version))]
    for r in pending:
        status = read_file(db, r["sha256"], tagger=tagger, source=r["source"] or "", tag=not r["list_file"])
        counts[status] += 1
    fill_languages(db, tagger=tagger)  # the files an older version read before their language was kept
    return counts


def read_consultee_lists(db: sqlite_utils.Database, *, at: str, run_id: int | None = None) -> int:
    """Give each hearing whose page links its list of consultees as a file (and lists none itself)
    the names in that file (`tracker.store.merge.set_consultees`: `consultees`, `ncp_consultee`,
    an `updated` event when the list changed). A file is read again only in a new version; a
    file that yields no name, or lines that read as prose (a letter linked in the list's place),
    leaves the list unknown. Returns the items whose list changed."""
    from crawlers.consultees import parse_consultee_lines, reads_as_a_list
    from tracker.store.merge import CONSULTEES_FROM, set_consultees
    from tracker.store.queries import loads_json

    rows = list(db.query(
        f"""select d.item_id, d.url, d.sha256, f.path, f.kind, f.content_type, i.consultees,
                   case when json_valid(i.extra) then json_extract(i.extra, '$.{CONSULTEES_FROM}') end as origin
              from documents d join document_files f on f.sha256 = d.sha256 join items i on i.id = d.item_id
             where d.type = ? and f.read_status = 'read' and {listed("d")}
             order by d.item_id, d.url""", [CONSULTEE_LIST]))
    changed = 0
    done: set[str] = set()
    for r in rows:
        origin = loads_json(r["origin"], None)
        if r["item_id"] in done or (r["consultees"] is not None and origin is None):
            continue  # the page lists them itself, or the item's first list file gave them
        done.add(r["item_id"])
        if origin == {"url": r["url"], "sha256": r["sha256"]}:
            continue  # this version of the file was read
        try:
            names = parse_consultee_lines(ex.list_lines(r["path"], r["kind"], r["content_type"]))
        except (ex.ExtractionError, OSError) as exc:
            logger.warning("the consultee list %s of %s could not be read: %s", r["url"], r["item_id"], exc)
            continue
        if not reads_as_a_list(names):  # none, or the lines of a letter linked in the list's place
            logger.warning("the consultee list %s of %s does not read as a list of names: the list stays unknown",
                           r["url"], r["item_id"])
            continue
        changed += set_consultees(db, r["item_id"], names, origin={"url": r["url"], "sha256": r["sha256"]},
                                  run_id=run_id, at=at)
    return changed


def find_provisions(db: sqlite_utils.Database, provisions: list[prov.Provision], *, at: str,
                    run_id: int | None = None) -> int:
    """Record each watched provision a document the item's page still links refers to (the first
    paragraph it is in) with a `provision_hit` event: once per item, link and provision. A new
    version of a document that still refers to it moves the hit to the new version (page,
    section) without a new event. Returns the new hits."""
    if not provisions:
        return 0
    new = 0
    docs = list(db.query(f"""select d.item_id, d.url, d.sha256 from documents d
                             join document_files f on f.sha256 = d.sha256
                             where f.read_status = 'read' and {listed("d")}"""))
    held = {(r["item_id"], r["url"], r["provision"]): r
            for r in db.query("select id, item_id, url, sha256, provision from provision_hits")}
    for d in docs:
        wanted = [p for p in provisions
                  if (h := held.get((d["item_id"], d["url"], p.key))) is None or h["sha256"] != d["sha256"]]
        if not wanted:
            continue
        found: dict[str, dict[str, Any]] = {}
        for para in db.query(
                """select p.text, p.page, s.number, s.heading from document_paragraphs p
                   join document_sections s on s.sha256 = p.sha256 and s.seq = p.section_seq
                   where p.sha256 = ? order by p.seq""", [d["sha256"]]):
            for p in prov.matches(para["text"], [w for w in wanted if w.key not in found]):
                found[p.key] = {"provision": p, **para}
            if len(found) == len(wanted):
                break
        with db.conn:
            for key, hit in found.items():
                p = hit["provision"]
                row = {"item_id": d["item_id"], "url": d["url"], "sha256": d["sha256"], "provision": key,
                       "label": p.label, "page": hit["page"], "section_number": hit["number"],
                       "section_heading": hit["heading"], "excerpt": hit["text"][:400]}
                if (old := held.get((d["item_id"], d["url"], key))) is not None:
                    db["provision_hits"].update(old["id"], row)
                    continue
                event_id = db["events"].insert({"item_id": d["item_id"], "run_id": run_id, "at": at,
                                                "kind": EVENT_PROVISION, "field": key, "before": None,
                                                "after": p.label}).last_pk
                db["provision_hits"].insert({**row, "found_at": at, "event_id": event_id}, pk="id")
                new += 1
    return new


def raise_relevance(db: sqlite_utils.Database) -> int:
    """Let each item's documents raise its relevance: the strongest relevant section of a document
    the item's page still links (`listed`) sets relevance (when higher), adds its labels, and
    gives the reason ("høringsnotat s. 14: aktsomhetsvurderinger i leverandørkjeden …",
    `document_reason`, in Bokmål and English). An item its document raised before keeps its
    relevance and gets the reason as it is worded now (one stored as "forslag: Corporate
    Sustainability Due Diligence and", with no "…" and a Bokmål word in English: the next run
    rewords it, no re-tagging needed). Returns items raised."""
    from tracker.documents.api import doc_word

    raised = 0
    rows = list(db.query(
        f"""select d.item_id, d.title as doc_title, d.type as doc_type, s.sha256, s.seq, s.relevance,
                  s.labels, i.relevance as item_relevance, i.relevant as item_relevant, i.labels as item_labels,
                  i.evidence as item_evidence, i.relevance_reason as item_reason,
                  i.relevance_reason_en as item_reason_en
             from documents d join document_sections s on s.sha256 = d.sha256
             join items i on i.id = d.item_id
            where s.relevant = 1 and {listed("d")}
            order by d.item_id, s.relevance desc"""))
    best: dict[str, dict[str, Any]] = {}
    for r in rows:
        best.setdefault(r["item_id"], r)
    for item_id, r in best.items():
        raised_before = (r["item_relevance"] or 0) >= r["relevance"] and r["item_relevant"]
        word = doc_word(r["doc_title"], r["doc_type"])
        if raised_before and not (r["item_reason"] or "").startswith((f"{word}: ", f"{word} s. ")):
            continue  # relevant by its own text (the tagger's reason), or by another document
        para = next(iter(db.query(
            "select * from document_paragraphs where sha256 = ? and section_seq = ? order by score desc, seq limit 1",
            [r["sha256"], r["seq"]])), None)
        if para is None or para["score"] < MIN_SCORE:
            continue
        evs = json.loads(para["evidence"] or "[]")
        snippet = excerpt(para["text"], evs[0]["start"] if evs else 0)
        reason, reason_en = (document_reason(r["doc_title"], r["doc_type"], para["page"], snippet, lang)
                             for lang in ("nb", "en"))
        if raised_before:  # this document's reason, perhaps in an older wording: said as now
            if (r["item_reason"], r["item_reason_en"]) != (reason, reason_en):
                with db.conn:
                    db["items"].update(item_id, {"relevance_reason": reason, "relevance_reason_en": reason_en})
            continue
        labels = with_marks(dict.fromkeys(json.loads(r["item_labels"] or "[]") + json.loads(r["labels"] or "[]")),
                            marks_of(db, [item_id]).get(item_id, {}))  # an adviser's marks stay
        try:
            evidence = json.loads(r["item_evidence"] or "{}")
        except ValueError:
            evidence = {}
        for e in evs:
            entry = evidence.setdefault(e["label"], {"strength": e["strength"], "instrument": "", "evidence": []})
            entry["evidence"].append({"field": "document", "start": e["start"], "end": e["end"], "text": e["text"],
                                      "page": para["page"], "document": r["doc_title"]})
        with db.conn:
            db["items"].update(item_id, {"relevance": max(r["relevance"], r["item_relevance"] or 0), "relevant": 1,
                                         "labels": json.dumps(labels), "relevance_reason": reason,
                                         "relevance_reason_en": reason_en,
                                         "evidence": json.dumps(evidence, ensure_ascii=False)})
        raised += 1
    return raised
