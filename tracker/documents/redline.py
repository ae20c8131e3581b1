"""Section-level comparison of two versions of a document: which sections were added, removed or
changed, and inside a changed section which words — tagged sections first. Shown on the item page
(HTML with <ins>/<del>) and written as a .docx with real tracked changes (w:ins / w:del), which Word
and LibreOffice show as tracked changes to accept or reject.
"""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from io import BytesIO
from typing import Any

import sqlite_utils

from tracker.documents.store import sections_with_text
from tracker.i18n import gettext
from tracker.vocabulary import N_, label_name


@dataclass
class SectionChange:
    kind: str  # added | removed | changed
    number: str | None
    heading: str
    page_before: int | None
    page_after: int | None
    labels: list[str]
    #: (op, text) with op "=", "+", "-": word-level diff of the section text
    ops: list[tuple[str, str]] = field(default_factory=list)
    #: the paired section's number and heading in the older version (renumbered or retitled)
    number_before: str | None = None
    heading_before: str | None = None

    @property
    def renumbered(self) -> bool:
        return self.kind == "changed" and self.number_before != self.number

    @property
    def retitled(self) -> bool:
        return self.kind == "changed" and self.heading_before is not None and self.heading_before != self.heading

    @property
    def tagged(self) -> bool:
        return bool(self.labels)


#: how alike two section titles must be (difflib ratio) to pair two sections under other numbers
TITLE_SIMILARITY = 0.8


def _title(section: dict[str, Any]) -> str:
    """The heading without its number ("Article 8 Identifying …" → "identifying …"), normalised."""
    from tracker.documents.extract import heading_number

    heading = section.get("heading") or ""
    parsed = heading_number(heading)
    return re.sub(r"\W+", " ", (parsed[1] if parsed else heading).lower()).strip()


def _pair(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> dict[int, dict[str, Any]]:
    """new section index → the old section it continues. In turn: the same number and title; the
    same title under another number (an article renumbered between a proposal and the adopted act:
    proposal Article 6 "Identifying actual and potential adverse impacts" is Article 8 in the act);
    the same number (a section retitled); the unnumbered first sections (title and preamble)."""
    pairs: dict[int, dict[str, Any]] = {}
    used: set[int] = set()

    def match(key) -> None:
        index: dict[Any, list[int]] = {}
        for j, o in enumerate(old):
            if j not in used and (k := key(o)) is not None:
                index.setdefault(k, []).append(j)
        for i, n in enumerate(new):
            if i in pairs or (k := key(n)) is None or not index.get(k):
                continue
            j = index[k].pop(0)
            pairs[i] = old[j]
            used.add(j)

    match(lambda s: (s["number"], _title(s)) if s.get("number") else None)
    match(lambda s: _title(s) or None)
    # a title reworded ("Identifying actual …" → "Identifying and assessing actual …"): the most
    # similar remaining title, when similar enough
    for i, n in enumerate(new):
        if i in pairs or not (t := _title(n)):
            continue
        best = max(((difflib.SequenceMatcher(a=t, b=_title(o)).ratio(), j) for j, o in enumerate(old)
                    if j not in used and _title(o)), default=(0.0, -1))
        if best[0] < TITLE_SIMILARITY:  # "Civil liability" → "Civil liability of companies and …"
            best = next(((1.0, j) for j, o in enumerate(old) if j not in used and len(_title(o).split()) >= 2
                         and (t.startswith(_title(o) + " ") or _title(o).startswith(t + " "))), best)
        if best[0] >= TITLE_SIMILARITY:
            pairs[i] = old[best[1]]
            used.add(best[1])
    match(lambda s: s.get("number") or None)
    if new and old and 0 not in pairs and 0 not in used and not new[0].get("number") and not old[0].get("number"):
        pairs[0] = old[0]
        used.add(0)
    return pairs


def _plain(text: str | None) -> str:
    """Text without its layout: a paragraph broken by a page in one version is the same text."""
    return " ".join((text or "").split())


def word_ops(before: str, after: str) -> list[tuple[str, str]]:
    a, b = re.findall(r"\S+\s*", before), re.findall(r"\S+\s*", after)
    ops: list[tuple[str, str]] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if tag == "equal":
            ops.append(("=", "".join(a[i1:i2])))
        else:
            if i2 > i1:
                ops.append(("-", "".join(a[i1:i2])))
            if j2 > j1:
                ops.append(("+", "".join(b[j1:j2])))
    return ops


def compare(db: sqlite_utils.Database, old_sha: str, new_sha: str) -> list[SectionChange]:
    """The changed sections from `old_sha` to `new_sha`, tagged sections first, then in document order."""
    old, new = sections_with_text(db, old_sha), sections_with_text(db, new_sha)
    pairs = _pair(old, new)
    paired_old = {id(o) for o in pairs.values()}
    changes: list[tuple[int, SectionChange]] = []
    for order, s in enumerate(new):
        labels = json.loads(s["labels"] or "[]")
        prev = pairs.get(order)
        if prev is None:
            changes.append((order, SectionChange("added", s["number"], s["heading"], None, s["page"], labels,
                                                 [("+", s["text"])])))
        elif _plain(prev["text"]) != _plain(s["text"]) or _plain(prev["heading"]) != _plain(s["heading"]):
            labels = list(dict.fromkeys(labels + json.loads(prev["labels"] or "[]")))
            changes.append((order, SectionChange("changed", s["number"], s["heading"], prev["page"], s["page"],
                                                 labels, word_ops(prev["text"], s["text"]),
                                                 number_before=prev["number"], heading_before=prev["heading"])))
    for s in old:
        if id(s) not in paired_old:
            changes.append((len(new), SectionChange("removed", s["number"], s["heading"], s["page"], None,
                                                    json.loads(s["labels"] or "[]"), [("-", s["text"])])))
    # tagged numbered sections (articles, points) first, then the other tagged ones (a title, a preamble)
    changes.sort(key=lambda oc: (not oc[1].tagged, oc[1].tagged and not oc[1].number, oc[0]))
    return [c for _, c in changes]


def latest_change(db: sqlite_utils.Database, item_id: str) -> list[dict[str, Any]]:
    """Each of the item's links that has an earlier version: (link, old sha, new sha, the new
    version's language), newest first."""
    if "document_versions" not in db.table_names():
        return []
    return list(db.query(
        """select v.item_id, v.url, v.previous as old, v.sha256 as new, v.seen_at, d.title, d.type, f.language
             from document_versions v left join documents d on d.item_id = v.item_id and d.url = v.url
             left join document_files f on f.sha256 = v.sha256
            where v.item_id = ? and v.previous is not null
              and v.id = (select max(id) from document_versions w where w.item_id = v.item_id and w.url = v.url)
            order by v.id desc""", [item_id]))


#: a change's kind in the documents' words (Bokmål msgids are the English words: tracker.i18n)
KIND_NAMES = {"added": N_("new"), "removed": N_("removed"), "changed": N_("changed")}


def to_docx(title: str, changes: list[SectionChange], *, author: str = "ncp-tracker",
            when: datetime | None = None, intro: str | None = None, lang: str = "nb",
            text_lang: str | None = None) -> bytes:
    """A .docx of the changed sections, each change a tracked insertion or deletion, in `lang`
    (its headings' kinds and topics by name; the sections' own text as the document has it, in
    `text_lang`, the document's language when known: its headings and text are marked with it
    where it is not `lang`, for Word's and LibreOffice's spell-check)."""
    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    from tracker.docx_language import LANGUAGE_TAGS, add_runs, mark_run, set_default_language
    from tracker.i18n import part_lang

    own = part_lang(text_lang, lang)
    # w:date is UTC ("Z"): the local clock written with a Z put the changes an hour or two off in Oslo
    now = (when or datetime.now(UTC)).astimezone(UTC)
    when_s = now.strftime("%Y-%m-%dT%H:%M:%SZ")
    document = docx.Document()
    # python-docx's blank document is US English by "python-docx": a Bokmål redline was
    # spell-checked as English, and its properties named python-docx as author
    set_default_language(document, lang)
    props = document.core_properties
    props.title, props.author, props.last_modified_by = title, author, author
    props.language = LANGUAGE_TAGS[lang]
    props.created = props.modified = now.replace(tzinfo=None, microsecond=0)
    props.revision, props.comments, props.subject, props.keywords = 1, "", "", ""
    document.add_heading(title, level=1)
    document.add_paragraph(intro or gettext(
        lang, "Changes per section between two versions; tagged (topical) sections first. The changes are "
              "tracked changes: accept or reject them in Word or LibreOffice."))
    counter = [1]

    def run(text: str, deleted: bool = False):
        r = OxmlElement("w:r")
        t = OxmlElement("w:delText" if deleted else "w:t")
        t.set(qn("xml:space"), "preserve")
        t.text = text
        r.append(t)
        if own:
            mark_run(r, own)
        return r

    def tracked(tag: str, text: str):
        el = OxmlElement(tag)
        el.set(qn("w:id"), str(counter[0]))
        el.set(qn("w:author"), author)
        el.set(qn("w:date"), when_s)
        counter[0] += 1
        el.append(run(text, deleted=tag == "w:del"))
        return el

    for c in changes:
        heading = c.heading or c.number or gettext(lang, "(no heading)")
        head = f"{heading} — {gettext(lang, KIND_NAMES[c.kind])}"
        # what the section was: its number when renumbered (Article 6 → 8), its heading when retitled
        # (it said the old heading of a section only renumbered, and «(was None)» for one unnumbered before)
        before = " ".join(x for x in (c.number_before if c.renumbered else None,
                                      c.heading_before if c.retitled else None) if x)
        if before:
            head += " " + gettext(lang, "(was %(before)s)", before=before)
        if c.labels:
            head += f" [{', '.join(label_name(lab, lang) for lab in c.labels)}]"
        # the section's own words in the document's language («(no heading)» is the reader's)
        own_words = ([heading] + ([c.heading_before] if c.retitled else [])) if c.heading or c.number else []
        add_runs(document.add_heading("", level=2), head, [(words, own) for words in own_words])
        for chunk in _paragraph_chunks(c.ops):
            p = document.add_paragraph()
            for op, text in chunk:
                if op == "=":
                    p._p.append(run(text))
                else:
                    p._p.append(tracked("w:ins" if op == "+" else "w:del", text))
    buf = BytesIO()
    document.save(buf)
    return buf.getvalue()


def _paragraph_chunks(ops: list[tuple[str, str]]) -> list[list[tuple[str, str]]]:
    """Split the ops at paragraph breaks ("\\n\\n") so each paragraph is one .docx paragraph."""
    chunks: list[list[tuple[str, str]]] = [[]]
    for op, text in ops:
        parts = text.split("\n\n")
        for i, part in enumerate(parts):
            if i:
                chunks.append([])
            if part:
                chunks[-1].append((op, part))
    return [c for c in chunks if c]
