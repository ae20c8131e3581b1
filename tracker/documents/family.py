"""A watched EU file's document family: the Commission proposal → the Council mandate (general
approach) → the Parliament position → the adopted act, each stage's document redlined against the
previous stage's at article level, tagged articles first.

Where the documents come from: the file's OEIL procedure item (`eu_oeil`, one per watched
procedure in crawlers/watchlist.toml) lists the key events with their references; each stage is the
latest key event of its kind, and its reference names the document:

| stage | OEIL key event (examples) | reference → document |
|---|---|---|
| proposal | "Legislative proposal published" | COM(2022)0071 → EUR-Lex HTML of CELEX 52022PC0071 |
| council_mandate | "Council general approach", "Council position …", "mandate" | 15024/1/22 REV 1 → the Council register's PDF ST-15024-2022-REV-1 |
| ep_position | "Decision by Parliament, 1st reading", "Text adopted by Parliament" | T9-0329/2024 → the EP's PDF TA-9-2024-0329 |
| adopted | "Final act published in Official Journal" | Directive (EU) 2024/1760 → EUR-Lex HTML of CELEX 32024L1760 |

`sync(db)` writes these links to `document_stages` (the fetcher's `pending_links` picks them up as
links of the procedure item); fetching, storing versions and reading are the same as for any
document. `family(db, item_id)` gives the stages in order with the redline of each against the
previous stage that was read; items of the same watched file (the Cellar act, Have your say
initiatives) show the family of their file's procedure.

The reference → URL rules are the documented URL patterns of EUR-Lex, the Council register and
the EP's document server; none was checked against a live answer here (no network).
"""

from __future__ import annotations

import json
import re
from typing import Any

import sqlite_utils

#: the stages, in the order of the ordinary legislative procedure
STAGES: tuple[str, ...] = ("proposal", "council_mandate", "ep_position", "adopted")
#: the `documents.type` of a stage's document (what pending_links fetches)
DOC_TYPES: tuple[str, ...] = tuple(f"eu_{s}" for s in STAGES)

EURLEX_HTML = "https://eur-lex.europa.eu/legal-content/EN/TXT/HTML/?uri=CELEX:{celex}"
#: the language every stage's document is read in (the English versions above and below)
TEXT_LANG = "en"
COUNCIL_PDF = "https://data.consilium.europa.eu/doc/document/ST-{num}-{year}-{version}/en/pdf"
EP_TEXT_PDF = "https://www.europarl.europa.eu/doceo/document/TA-{term}-{year}-{num:04d}_EN.pdf"

_EVENT_STAGE: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("proposal", re.compile(r"legislative proposal published|commission proposal", re.I)),
    ("council_mandate", re.compile(r"council (?:general approach|mandate|position)|general approach|"
                                   r"mandate for negotiations", re.I)),
    ("ep_position", re.compile(r"decision by parliament|text adopted by parliament|parliament'?s? position|"
                               r"ep position", re.I)),
    ("adopted", re.compile(r"final act published in official journal|final act published", re.I)),
)
_COM = re.compile(r"^COM\s*\(\s*(\d{4})\s*\)\s*0*(\d{1,4})$", re.I)
_COUNCIL = re.compile(r"^(?:ST\s*)?(\d{3,5})/(?:(\d{1,2})/)?(\d{2})(?:\s+(REV|COR|ADD)\s*(\d+))?$", re.I)
_EP_TEXT = re.compile(r"^T(\d{1,2})-0*(\d{1,4})/(\d{4})$", re.I)
_ACT = re.compile(r"^(?:Commission\s+|Council\s+)?(Regulation|Directive|Decision)\s*\(EU(?:, Euratom)?\)\s*"
                  r"(\d{4})/(\d{1,4})$", re.I)


class FamilyError(Exception):
    """A stage's reference cannot be turned into a document address."""


def stage_of(event: str) -> str | None:
    """The stage an OEIL key event starts, or None ("Final act signed", "Committee referral" …)."""
    for stage, pattern in _EVENT_STAGE:
        if pattern.search(event or ""):
            return stage
    return None


def document_url(stage: str, reference: str) -> str:
    """The address of the stage's document named by an OEIL reference. Raises FamilyError for a
    reference of the wrong shape (never guesses)."""
    ref = " ".join((reference or "").split())
    if stage == "proposal" and (m := _COM.match(ref)):
        return EURLEX_HTML.format(celex=f"5{m.group(1)}PC{int(m.group(2)):04d}")
    if stage == "council_mandate" and (m := _COUNCIL.match(ref)):
        num, _rev, yy, kind, n = m.groups()
        version = f"{kind.upper()}-{n}" if kind else "INIT"
        return COUNCIL_PDF.format(num=num, year=2000 + int(yy), version=version)
    if stage == "ep_position" and (m := _EP_TEXT.match(ref)):
        return EP_TEXT_PDF.format(term=int(m.group(1)), year=m.group(3), num=int(m.group(2)))
    if stage == "adopted" and (m := _ACT.match(ref)):
        letter = {"regulation": "R", "directive": "L", "decision": "D"}[m.group(1).lower()]
        return EURLEX_HTML.format(celex=f"3{m.group(2)}{letter}{int(m.group(3)):04d}")
    raise FamilyError(f"{stage}: {reference!r} is not a reference this stage's document can be found by")


def stage_links(procedure_item: dict[str, Any]) -> tuple[list[dict[str, Any]], list[str]]:
    """(the stage links of one OEIL procedure item in stage order, problems). Each stage is its
    latest key event with a reference; an unusable reference is a problem, not a guess."""
    try:
        extra = json.loads(procedure_item.get("extra") or "{}")
    except ValueError:
        return [], [f"{procedure_item['id']}: extra is not JSON"]
    latest: dict[str, dict[str, Any]] = {}
    for event in extra.get("key_events") or []:
        stage = stage_of(str(event.get("event") or ""))
        if stage and event.get("reference"):
            latest[stage] = event  # key events are in date order: the last one wins
    links, problems = [], []
    for seq, stage in enumerate(STAGES):
        event = latest.get(stage)
        if event is None:
            continue
        try:
            url = document_url(stage, event["reference"])
        except FamilyError as exc:
            problems.append(f"{procedure_item['id']}: {exc}")
            continue
        links.append({"item_id": procedure_item["id"], "url": url, "watch": extra.get("watch"), "stage": stage,
                      "seq": seq, "reference": event["reference"], "date": event.get("date"),
                      "event": event.get("event"), "title": f"{event['reference']} – {event.get('event')}",
                      "type": f"eu_{stage}"})
    return links, problems


def sync(db: sqlite_utils.Database, *, at: str) -> dict[str, Any]:
    """Write the stage links of every OEIL procedure item to `document_stages` (a stage whose key
    event changed gets its new document; a stage no longer listed is dropped). Returns counts and
    problems."""
    if "document_stages" not in db.table_names():
        raise RuntimeError("the database lacks document_stages: run `ncp-tracker migrate`")
    found: list[dict[str, Any]] = []
    problems: list[str] = []
    items = list(db.query("select id, extra from items where source = 'eu_oeil' and vanished_at is null"))
    for item in items:
        links, bad = stage_links(item)
        found.extend(links)
        problems.extend(bad)
    keep = {(link["item_id"], link["url"]) for link in found}
    with db.conn:
        for row in list(db.query("select item_id, url from document_stages")):
            if (row["item_id"], row["url"]) not in keep and row["item_id"] in {i["id"] for i in items}:
                db["document_stages"].delete((row["item_id"], row["url"]))
        for link in found:
            old = next(iter(db.query("select found_at from document_stages where item_id = ? and url = ?",
                                     [link["item_id"], link["url"]])), None)
            db["document_stages"].upsert({k: link[k] for k in ("item_id", "url", "watch", "stage", "seq", "reference",
                                                               "date", "event", "title")}
                                         | {"found_at": old["found_at"] if old else at}, pk=("item_id", "url"))
    return {"procedures": len(items), "stages": len(found), "problems": problems}


def pending_stage_links(db: sqlite_utils.Database) -> list[dict[str, Any]]:
    """The stage documents as links of their procedure items ({item_id, url, title, type}) for the
    fetcher."""
    if "document_stages" not in db.table_names():
        return []
    return [{"item_id": r["item_id"], "url": r["url"], "title": r["title"], "type": f"eu_{r['stage']}"}
            for r in db.query("select * from document_stages order by item_id, seq")]


def procedure_items(db: sqlite_utils.Database, item_id: str) -> list[str]:
    """The OEIL procedure items whose family belongs on `item_id`'s page: the item itself when it is
    one, else the procedures of the watched files the item belongs to (a Cellar act's
    `relations[].watch`, or an item linked to the procedure item in `links`)."""
    if "document_stages" not in db.table_names():
        return []
    row = next(iter(db.query("select id, source, extra from items where id = ?", [item_id])), None)
    if row is None:
        return []
    if row["source"] == "eu_oeil":
        return [item_id]
    watches: set[str] = set()
    try:
        extra = json.loads(row["extra"] or "{}")
    except ValueError:
        extra = {}
    for rel in extra.get("relations") or []:
        if isinstance(rel, dict) and rel.get("watch") and rel.get("relation") == "self":
            watches.add(rel["watch"])
    watch = extra.get("watch")
    for w in watch if isinstance(watch, list) else [watch]:
        if isinstance(w, str) and w:
            watches.add(w)
    out = [r["item_id"] for r in db.query(
        "select distinct item_id from document_stages where watch in (select value from json_each(?))",
        [json.dumps(sorted(watches))])]
    if not out and "links" in db.table_names():  # no watched file of its own: the linked procedures
        linked = db.query("""select distinct s.item_id from links l join document_stages s
                              on s.item_id = case when l.a = ? then l.b else l.a end
                             where l.a = ? or l.b = ?""", [item_id, item_id, item_id])
        out += [r["item_id"] for r in linked if r["item_id"] not in out]
    return out


def family(db: sqlite_utils.Database, procedure_item: str) -> list[dict[str, Any]]:
    """The stages of one procedure item in order: the stage, its key event, the document's fetch
    and read state, and `changes` (the article-level redline against the previous stage that was
    read, tagged articles first; None for the first one read)."""
    from tracker.documents import redline

    if "document_stages" not in db.table_names():
        return []
    rows = list(db.query(
        """select s.*, d.status, d.error, d.sha256, d.http_status, d.checked_at, d.fetched_at, f.read_status, f.read_error, f.kind, f.pages
             from document_stages s
             left join documents d on d.item_id = s.item_id and d.url = s.url
             left join document_files f on f.sha256 = d.sha256
            where s.item_id = ? order by s.seq""", [procedure_item]))
    out: list[dict[str, Any]] = []
    previous: dict[str, Any] | None = None
    for r in rows:
        readable = r["read_status"] == "read" and r["sha256"]  # a copy we hold, whatever the last check said
        stage = dict(r, changes=None, against=None, articles=0, articles_changed=0)
        if readable:
            stage["articles"] = db.execute(
                "select count(*) from document_sections where sha256 = ? and number is not null",
                [r["sha256"]]).fetchone()[0]
            if previous is not None:
                stage["changes"] = redline.compare(db, previous["sha256"], r["sha256"])
                stage["articles_changed"] = sum(1 for c in stage["changes"] if c.number or c.number_before)
                stage["against"] = previous["stage"]
            previous = stage
        out.append(stage)
    return out


def stage_pair(db: sqlite_utils.Database, procedure_item: str, stage: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """(previous stage, `stage`) of a procedure's family, both read; LookupError when there is none."""
    stages = family(db, procedure_item)
    for i, s in enumerate(stages):
        if s["stage"] == stage and s["changes"] is not None:
            prev = next(p for p in reversed(stages[:i]) if p["stage"] == s["against"])
            return prev, s
    raise LookupError(f"no redline for stage {stage!r} of {procedure_item}")


def for_page(db: sqlite_utils.Database, item_id: str) -> list[dict[str, Any]]:
    """The families to show on `item_id`'s page: per procedure item, its title (and its language)
    and its stages, and the language their documents are read in (`text_lang`)."""
    out = []
    for proc in procedure_items(db, item_id):
        stages = family(db, proc)
        if not stages:
            continue
        row = next(iter(db.query("select title, language from items where id = ?", [proc])),
                   {"title": proc, "language": None})
        out.append({"item_id": proc, "title": row["title"], "language": row["language"], "watch": stages[0]["watch"],
                    "stages": stages, "own": proc == item_id, "text_lang": TEXT_LANG})
    return out
