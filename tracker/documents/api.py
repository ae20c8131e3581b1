"""What other parts of the tracker read from the documents (the digest and drafts call these; they
only read).

- `provision_hits(db, since_event_id=…)` → `ProvisionHit`s, for a digest line
  "Nytt forslag berører åpenhetsloven § 4 – høringsnotat s. 22" (`ProvisionHit.line(lang)`);
- `strongest_paragraphs(db, item_id, label=None, limit=3)` → `Paragraph`s with document title,
  section number and page, for drafts: "(høringsnotatet punkt 5.2, s. 14)" (`Paragraph.citation(lang)`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlite_utils

from tracker.store.instants import stored

#: an EU file's stage documents (tracker/documents/family.py) are called by their stage
STAGE_WORDS = {"eu_proposal": "forslag", "eu_council_mandate": "rådsmandat", "eu_ep_position": "parlamentsposisjon",
               "eu_adopted": "rettsakt"}
STAGE_WORDS_EN = {"eu_proposal": "proposal", "eu_council_mandate": "Council mandate",
                  "eu_ep_position": "Parliament position", "eu_adopted": "act"}

STAGE_NAMES_NB = {"eu_proposal": "forslaget", "eu_council_mandate": "rådsmandatet",
                  "eu_ep_position": "parlamentsposisjonen", "eu_adopted": "rettsakten"}
STAGE_NAMES_EN = {"eu_proposal": "the proposal", "eu_council_mandate": "the Council mandate",
                  "eu_ep_position": "the Parliament position", "eu_adopted": "the act"}


def doc_word(title: str | None, doc_type: str | None, lang: str = "nb") -> str:
    """What the document is called in a line: an EU stage document by its stage in `lang`
    ("rettsakt", "act"), else the first word of its title, the document's own word in either
    language ("Tilleggsnotat om …" → "tilleggsnotat"), else its type, else "dokument"/"document"."""
    if doc_type in STAGE_WORDS:
        return (STAGE_WORDS_EN if lang == "en" else STAGE_WORDS)[doc_type]
    first = (title or "").split(" ", 1)[0].strip(":,;.–-").lower()
    if first and not first.startswith("http") and first.isalpha():
        return first
    return (doc_type or ("document" if lang == "en" else "dokument")).lower()


@dataclass(frozen=True)
class ProvisionHit:
    item_id: str
    item_title: str
    provision: str  # key in provisions.toml
    label: str  # "åpenhetsloven § 4"
    document_title: str
    document_type: str | None
    url: str
    page: int | None
    section_number: str | None
    excerpt: str
    found_at: str
    event_id: int
    #: the item was first seen in the same run the hit was found in (a new proposal)
    new_item: bool

    def line(self, lang: str = "nb") -> str:
        """"Nytt forslag berører åpenhetsloven § 4 – høringsnotat s. 22"; in English the provision's
        English name (provisions.toml `label_en`) and the document's word in English."""
        from tracker.documents.provisions import label_of

        what = doc_word(self.document_title, self.document_type, lang)
        label = label_of(self.provision, lang, self.label)
        where = f" s. {self.page}" if self.page else ""
        if lang == "en":
            lead = "New proposal touches" if self.new_item else "Proposal touches"
            return f"{lead} {label} – {what}{where.replace(' s.', ' p.')}"
        lead = "Nytt forslag berører" if self.new_item else "Forslag berører"
        return f"{lead} {label} – {what}{where}"


@dataclass(frozen=True)
class Paragraph:
    item_id: str
    text: str
    page: int | None
    section_number: str | None
    section_heading: str
    document_title: str
    document_type: str | None
    url: str
    labels: list[str]
    score: float
    evidence: list[dict[str, Any]]
    language: str | None = None  # the document's (`document_files.language`), None when not known

    def citation(self, lang: str = "nb") -> str:
        """"(høringsnotatet punkt 5.2, s. 14)"."""
        doc = doc_word(self.document_title, self.document_type)
        if self.document_type in STAGE_WORDS:  # "(rettsakten artikkel 8, s. 2)", "(the act, Article 8, p. 2)"
            if lang == "en":
                parts = [STAGE_NAMES_EN[self.document_type]] + (
                    [f"Article {self.section_number}"] if self.section_number else []) + (
                    [f"p. {self.page}"] if self.page else [])
                return "(" + ", ".join(parts) + ")"
            head = STAGE_NAMES_NB[self.document_type] + (f" artikkel {self.section_number}" if self.section_number else "")
            return "(" + ", ".join([head] + ([f"s. {self.page}"] if self.page else [])) + ")"
        if lang == "en":
            parts = [f"the {doc}"] + ([f"section {self.section_number}"] if self.section_number else []) \
                + ([f"p. {self.page}"] if self.page else [])
            return "(" + ", ".join(parts) + ")"
        definite = doc + ("et" if doc.endswith(("notat", "brev")) else "")
        head = definite + (f" punkt {self.section_number}" if self.section_number else "")
        return "(" + ", ".join([head] + ([f"s. {self.page}"] if self.page else [])) + ")"


def _has_tables(db: sqlite_utils.Database) -> bool:
    return "provision_hits" in db.table_names()


def provision_hits(db: sqlite_utils.Database, since_event_id: int | None = None,
                   as_of: datetime | str | None = None) -> list[ProvisionHit]:
    """Watched-provision hits found after event `since_event_id` (the digest's last event), or on or
    after `as_of`; all when neither is given. Oldest first."""
    if not _has_tables(db):
        return []
    where, params = [], []
    if since_event_id is not None:
        where.append("h.event_id > ?")
        params.append(since_event_id)
    if as_of is not None:
        where.append("h.found_at >= ?")
        params.append(stored(as_of) if isinstance(as_of, datetime) else as_of)
    sql = f"""select h.*, i.title as item_title, i.first_seen, d.title as doc_title, d.type as doc_type
                from provision_hits h join items i on i.id = h.item_id
                left join documents d on d.item_id = h.item_id and d.url = h.url
               {'where ' + ' and '.join(where) if where else ''} order by h.event_id"""
    return [ProvisionHit(
        item_id=r["item_id"], item_title=r["item_title"], provision=r["provision"], label=r["label"],
        document_title=r["doc_title"] or r["url"], document_type=r["doc_type"], url=r["url"], page=r["page"],
        section_number=r["section_number"], excerpt=r["excerpt"] or "", found_at=r["found_at"],
        event_id=r["event_id"], new_item=(r["first_seen"] or "") >= (r["found_at"] or "~"),
    ) for r in db.query(sql, params)]  # fmt: skip


def strongest_paragraphs(db: sqlite_utils.Database, item_id: str, label: str | None = None,
                         limit: int = 3) -> list[Paragraph]:
    """The item's documents' paragraphs with the strongest evidence (for `label` only, when given),
    strongest first; the current copy of each document we hold (also when its last check failed)
    that the item's page still links (tracker.documents.store.listed)."""
    from tracker.documents.store import listed

    if not _has_tables(db):
        return []
    rows = db.query(
        f"""select p.*, s.number, s.heading, d.title as doc_title, d.type as doc_type, d.url, f.language
             from documents d join document_paragraphs p on p.sha256 = d.sha256
             join document_sections s on s.sha256 = p.sha256 and s.seq = p.section_seq
             join document_files f on f.sha256 = d.sha256
            where d.item_id = ? and p.score > 0 and {listed("d")}
            order by p.score desc, p.seq""", [item_id])
    out: list[Paragraph] = []
    for r in rows:
        labels = json.loads(r["labels"] or "[]")
        if label is not None and label not in labels:
            continue
        out.append(Paragraph(item_id=item_id, text=r["text"], page=r["page"], section_number=r["number"],
                             section_heading=r["heading"] or "", document_title=r["doc_title"] or r["url"],
                             document_type=r["doc_type"], url=r["url"], labels=labels, score=r["score"],
                             evidence=json.loads(r["evidence"] or "[]"), language=r["language"]))
        if len(out) >= limit:
            break
    return out


def event_text(db: sqlite_utils.Database, event: dict[str, Any], lang: str = "nb") -> str | None:
    """The digest's words for the two event kinds this package writes (None for any other kind):
    `documents_changed` ("Høringsnotat er endret: 2 avsnitt (5.2 endret, 5.3 nytt)") and
    `provision_hit` (the hit's `line`)."""
    kind = event.get("kind")
    if kind == "provision_hit":
        hit = next((h for h in provision_hits(db, since_event_id=int(event["id"]) - 1)
                    if h.event_id == event["id"]), None)
        return hit.line(lang) if hit else None
    if kind != "documents_changed":
        return None
    from tracker.documents import redline

    row = next(iter(db.query("select title, type from documents where item_id = ? and url = ?",
                             [event["item_id"], event["field"]])), None)
    title = (row["title"] if row else None) or event["field"]
    try:
        changes = redline.compare(db, event["before"], event["after"])
    except Exception:  # noqa: BLE001 - versions not read yet: say that it changed
        changes = []
    words_nb = {"added": "nytt", "removed": "fjernet", "changed": "endret"}
    words_en = {"added": "new", "removed": "removed", "changed": "changed"}
    words = words_en if lang == "en" else words_nb
    parts = ", ".join(f"{c.number or c.heading} {words[c.kind]}" for c in changes[:4])
    if lang == "en":
        return f"{title} changed" + (f": {len(changes)} sections ({parts})" if changes else "")
    return f"{title} er endret" + (f": {len(changes)} avsnitt ({parts})" if changes else "")
