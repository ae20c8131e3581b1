"""The schema, as migrations (sqlite-utils' built-in `Migrations`).

The whole schema lives in this one module, in order. Four named sets exist because databases
created before the sets were merged here record those names; `apply_all` applies them in order and
only the write paths (`open_db(..., migrate=True)`) call it.
"""

from __future__ import annotations

import sqlite3

import sqlite_utils
from sqlite_utils import Migrations

core = Migrations("ncp_tracker.core")

#: FTS5 must not fold å→a (får ≠ far), so diacritics are kept
FTS_TOKENIZE = "unicode61 remove_diacritics 0"
#: the condition of the partial index of the items another source saw too (`extra.also_seen_by`,
#: tracker.store.merge): a query that names this very expression reads those few rows by the index
SEEN_BY_OTHERS = "(case when json_valid(extra) then json_extract(extra, '$.also_seen_by') end) != '[]'"

ITEM_COLUMNS = {
    "id": str, "source": str, "kind": str, "native_id": str,
    "title": str, "summary": str, "body": str, "language": str,
    "url": str, "canonical_url": str, "owner": str,
    "published": str, "deadline": str, "status": str, "status_raw": str,
    "channel": str, "reference": str, "documents": str, "extra": str,
    "first_seen": str, "last_seen": str, "last_changed": str, "vanished_at": str,
    "content_hash": str,
    # tagging (filled by `ncp-tracker tag`)
    "labels": str, "relevance": float, "relevant": int, "tagger_version": str, "tagged_hash": str,
}  # fmt: skip


@core()
def m001_items(db: sqlite_utils.Database) -> None:
    db["items"].create(ITEM_COLUMNS, pk="id", not_null={"source", "kind", "title", "url"})
    db["items"].create_index(["source", "status"])
    db["items"].create_index(["deadline"])
    db["items"].create_index(["canonical_url"])
    db["items"].enable_fts(["title", "summary", "body"], create_triggers=True, tokenize=FTS_TOKENIZE)


@core()
def m002_events_runs_health(db: sqlite_utils.Database) -> None:
    db["runs"].create(
        {"id": int, "started": str, "finished": str, "as_of": str, "mode": str,
         "replay_dir": str, "sources": str, "exit_code": int, "note": str},
        pk="id",
    )  # fmt: skip
    db["events"].create(
        {"id": int, "item_id": str, "run_id": int, "at": str, "kind": str,
         "field": str, "before": str, "after": str},
        pk="id",
        foreign_keys=[("item_id", "items", "id"), ("run_id", "runs", "id")],
    )  # fmt: skip
    db["events"].create_index(["item_id"])
    db["events"].create_index(["at"])
    db["events"].create_index(["run_id"])
    db["health"].create(
        {"run_id": int, "source": str, "status": str, "reason": str, "channel": str,
         "requests": int, "responses": int, "items_seen": int, "items_new": int,
         "items_changed": int, "parse_errors": int, "parse_attempts": int,
         "duration_s": float, "finished": str, "notes": str, "stats": str},
        pk=("run_id", "source"),
        foreign_keys=[("run_id", "runs", "id")],
    )  # fmt: skip


@core()
def m003_tags_digests(db: sqlite_utils.Database) -> None:
    db["tags"].create(
        {"item_id": str, "label": str, "strength": float, "evidence": str},
        pk=("item_id", "label"),
        foreign_keys=[("item_id", "items", "id")],
    )
    db["tags"].create_index(["label"])
    db["digests"].create(
        {"id": int, "profile": str, "date": str, "generated_at": str,
         "last_event_id": int, "format": str, "path": str},
        pk="id",
    )  # fmt: skip


@core()
def m004_triage(db: sqlite_utils.Database) -> None:
    """Advisers' decisions on items (the workbench writes them; the digest honours them)."""
    db["triage"].create(
        {"item_id": str, "state": str, "owner": str, "note": str,
         "internal_deadline": str, "updated_at": str, "updated_by": str},
        pk="item_id",
        foreign_keys=[("item_id", "items", "id")],
    )  # fmt: skip
    db["triage_history"].create(
        {"id": int, "item_id": str, "at": str, "by": str, "state_before": str,
         "state_after": str, "owner": str, "note": str},
        pk="id",
        foreign_keys=[("item_id", "items", "id")],
    )  # fmt: skip
    db["triage_history"].create_index(["item_id"])


@core()
def m005_fts_trigger_on_text_only(db: sqlite_utils.Database) -> None:
    """Reindex an item's full text only when its text changes, not on every `last_seen` or tag update."""
    db.execute("drop trigger if exists items_au")
    db.execute(
        """create trigger items_au after update of title, summary, body on items begin
             insert into items_fts (items_fts, rowid, title, summary, body)
               values ('delete', old.rowid, old.title, old.summary, old.body);
             insert into items_fts (rowid, title, summary, body)
               values (new.rowid, new.title, new.summary, new.body);
           end"""
    )


@core()
def m006_title_key(db: sqlite_utils.Database) -> None:
    """`title_key`: the title reduced to its words, for finding consultations sent out again."""
    from tracker.store.changes import title_key

    db["items"].add_column("title_key", str)
    rows = db.execute("select id, title from items").fetchall()
    db.conn.executemany("update items set title_key = ? where id = ?", [(title_key(t), i) for i, t in rows])
    db["items"].create_index(["title_key"])



@core()
def m007_labels_once_reason_consultees(db: sqlite_utils.Database) -> None:
    """Labels stored once: each item's labels (`labels`, JSON list of codes) and, beside them, their
    strength, evidence spans and implying instrument (`evidence`, JSON {label: {...}}); the `tags`
    table that held a second copy is folded in and dropped. Also the tagger's one-line reason and
    the consultee list of a hearing (with `ncp_consultee`: Kontaktpunktet is itself a consultee)."""
    import json

    for column, kind in (("evidence", str), ("relevance_reason", str), ("consultees", str),
                         ("ncp_consultee", int)):
        db["items"].add_column(column, kind)
    if "tags" in db.table_names():
        grouped: dict[str, dict[str, dict]] = {}
        for item_id, label, strength, evidence in db.execute(
                "select item_id, label, strength, evidence from tags order by item_id, label"):
            try:
                spans = json.loads(evidence or "[]")
            except ValueError:
                spans = []
            grouped.setdefault(item_id, {})[label] = {
                "strength": strength, "instrument": "", "evidence": spans if isinstance(spans, list) else []}
        db.conn.executemany("update items set evidence = ? where id = ?",
                            [(json.dumps(v, ensure_ascii=False), k) for k, v in grouped.items()])
        db["tags"].drop()


@core()
def m008_label_marks(db: sqlite_utils.Database) -> None:
    """Advisers' label marks: a label added to (`+`) or removed from (`-`) the tagger's result;
    the latest mark per item and label counts (history in triage_history). Calibration learns
    from them."""
    db["label_marks"].create(
        {"item_id": str, "label": str, "mark": str, "at": str, "by": str},
        pk=("item_id", "label"),
        foreign_keys=[("item_id", "items", "id")],
    )


@core()
def m0501_users(db: sqlite_utils.Database) -> None:
    """Workbench accounts (tracker.workbench.accounts): argon2 password hashes, a role, a disabled
    flag, a session epoch (raised by logout, disable and password reset, which ends every cookie
    session of the account) and the SHA-256 of the account's calendar/feed token."""
    db["users"].create(
        {"id": int, "name": str, "name_key": str, "password_hash": str, "role": str,
         "disabled": int, "created_at": str, "updated_at": str, "session_epoch": int,
         "feed_token_hash": str},
        pk="id", not_null={"name", "name_key", "password_hash", "role"},
        defaults={"disabled": 0, "session_epoch": 0},
    )  # fmt: skip
    db["users"].create_index(["name_key"], unique=True)
    db["users"].create_index(["feed_token_hash"], unique=True)


@core()
def m0401_search_keys(db: sqlite_utils.Database) -> None:
    """`items_norm`: the items' text as search keys (Snowball stem + ASCII folding, one key per
    word; tracker/store/textindex.py), kept in step with `items` by triggers that call the SQL
    function ``ncp_norm`` (registered by `open_db` on every connection)."""
    from tracker.store.textindex import register

    register(db.conn)
    db.execute("create virtual table items_norm using fts5(title, summary, body, "
               "tokenize = 'unicode61 remove_diacritics 0')")
    db.execute("""insert into items_norm (rowid, title, summary, body)
                  select rowid, ncp_norm(title, language), ncp_norm(summary, language),
                         ncp_norm(body, language) from items""")
    db.execute("""create trigger items_norm_ai after insert on items begin
                    insert into items_norm (rowid, title, summary, body)
                    values (new.rowid, ncp_norm(new.title, new.language),
                            ncp_norm(new.summary, new.language), ncp_norm(new.body, new.language));
                  end""")
    db.execute("""create trigger items_norm_ad after delete on items begin
                    delete from items_norm where rowid = old.rowid;
                  end""")
    db.execute("""create trigger items_norm_au after update of title, summary, body, language on items
                  begin
                    delete from items_norm where rowid = old.rowid;
                    insert into items_norm (rowid, title, summary, body)
                    values (new.rowid, ncp_norm(new.title, new.language),
                            ncp_norm(new.summary, new.language), ncp_norm(new.body, new.language));
                  end""")


@core()
def m0300_items_kind_status_index(db: sqlite_utils.Database) -> None:
    """The digest and needs-input read items by kind and status (open consultations, EU
    consultations, "is there any GPFG item"): an index instead of a scan of every item."""
    db["items"].create_index(["kind", "status"], if_not_exists=True)


@core()
def m0800_backfill(db: sqlite_utils.Database) -> None:
    """Backfill (`ncp-tracker backfill`): `runs.backfill` = 1 marks a run that walked a source's
    history, so its events never reach a digest as news (tracker.store.queries.digest_visible_events);
    `backfill_checkpoints` holds one row per source and unit of history (a Storting session, …)
    finished, so an interrupted backfill resumes where it stopped."""
    db["runs"].add_column("backfill", int, not_null_default=0)
    db["backfill_checkpoints"].create(
        {"source": str, "unit": str, "since": int, "run_id": int, "finished": str,
         "items_seen": int, "items_new": int},
        pk=("source", "unit"),
    )  # fmt: skip


@core()
def m0801_items_status_index(db: sqlite_utils.Database) -> None:
    """`items --status open` (and every "open items" query) searches this index instead of scanning
    the table: at a million items the scan read every body (EXPLAIN QUERY PLAN in bench/RESULTS.md)."""
    db["items"].create_index(["status", "deadline"], if_not_exists=True)


@core()
def m0600_documents(db: sqlite_utils.Database) -> None:
    """The documents items link to (tracker/documents): each link's fetch state, the files
    (content-addressed by sha256, stored under <data_dir>/documents), every version an item's link
    has had, the sections and paragraphs read from each file with their pages and labels, and the
    watched provisions found in them."""
    db["documents"].create(
        {"item_id": str, "url": str, "title": str, "type": str, "status": str, "http_status": int,
         "content_type": str, "sha256": str, "etag": str, "last_modified": str, "checked_at": str,
         "fetched_at": str, "changed_at": str, "error": str},
        pk=("item_id", "url"),
    )  # fmt: skip
    db["documents"].create_index(["sha256"])
    db["document_files"].create(
        {"sha256": str, "kind": str, "content_type": str, "size": int, "path": str, "first_url": str,
         "first_seen": str, "pages": int, "chars": int, "scanned_pages": str, "read_status": str,
         "read_error": str, "tagger_version": str, "read_at": str},
        pk="sha256",
    )  # fmt: skip
    db["document_versions"].create(
        {"id": int, "item_id": str, "url": str, "sha256": str, "seen_at": str, "previous": str},
        pk="id",
    )  # fmt: skip
    db["document_versions"].create_index(["item_id", "url"])
    db["document_sections"].create(
        {"sha256": str, "seq": int, "number": str, "heading": str, "level": int, "page": int,
         "labels": str, "relevance": float, "relevant": int, "reason": str},
        pk=("sha256", "seq"),
    )  # fmt: skip
    db["document_paragraphs"].create(
        {"sha256": str, "seq": int, "section_seq": int, "page": int, "text": str, "labels": str,
         "score": float, "evidence": str},
        pk=("sha256", "seq"),
    )  # fmt: skip
    db["provision_hits"].create(
        {"id": int, "item_id": str, "url": str, "sha256": str, "provision": str, "label": str,
         "page": int, "section_number": str, "section_heading": str, "excerpt": str,
         "found_at": str, "event_id": int},
        pk="id",
    )  # fmt: skip
    db["provision_hits"].create_index(["item_id", "url", "provision"], unique=True)


@core()
def m0900_instants_utc(db: sqlite_utils.Database) -> None:
    """Instants in UTC (tracker.store.instants): databases written before stored them with an Oslo
    offset (+01:00/+02:00), which text comparison orders wrongly across summer time. Every instant
    column of every table that exists is rewritten in the stored form; other values are kept."""
    from tracker.store.instants import INSTANT_COLUMNS, to_stored_text

    db.conn.create_function("ncp_utc", 1, to_stored_text, deterministic=True)
    tables = set(db.table_names())
    for table, columns in INSTANT_COLUMNS.items():
        if table not in tables:
            continue
        present = [c for c in columns if c in db[table].columns_dict]
        if present:
            sets = ", ".join(f"[{c}] = ncp_utc([{c}])" for c in present)
            db.execute(f"update [{table}] set {sets}")


@core()
def m1800_document_stages(db: sqlite_utils.Database) -> None:
    """The documents of a watched EU file's stages (tracker/documents/family): the Commission
    proposal, the Council mandate, the Parliament position and the adopted act, in order, each a
    link of the file's OEIL procedure item (its fetch state and versions are in `documents`)."""
    db["document_stages"].create(
        {"item_id": str, "url": str, "watch": str, "stage": str, "seq": int, "reference": str,
         "date": str, "event": str, "title": str, "found_at": str},
        pk=("item_id", "url"),
    )  # fmt: skip
    db["document_stages"].create_index(["watch", "seq"])


@core()
def m1750_storting_cases_index(db: sqlite_utils.Database) -> None:
    """The digest's GPFG section links committee hearings to the fund's Storting cases by case id or
    henvisning: a covering index of the cases only (partial), so reading them never walks the item
    rows' bodies (`reference` and `owner` sit after `body`: overflow pages; EXPLAIN QUERY PLAN in
    bench/RESULTS.md)."""
    db.execute("create index if not exists idx_items_storting_cases on items "
               "(kind, source, id, native_id, reference, owner) where kind = 'storting_case'")


@core()
def m1700_backfill_pages(db: sqlite_utils.Database) -> None:
    """Backfill of paged histories (a listing read page by page, newest first: regjeringen.no,
    Have your say): what a finished page said about the pages after it — `has_next` (the listing
    links a next page), `oldest` / `newest` (the oldest and newest item dates on the page, ISO
    dates), `pages` (the listing's page count when it says one) — so a resumed backfill knows
    whether the walk goes on for its `--since` without fetching the page again."""
    table = db["backfill_checkpoints"]
    for name, kind in (("has_next", int), ("oldest", str), ("newest", str), ("pages", int)):
        if name not in table.columns_dict:
            table.add_column(name, kind)

@core()
def m1900_runs_completed(db: sqlite_utils.Database) -> None:
    """`runs.completed`: when everything after the run's crawl (tagging, documents, digest) ended.
    `finished` and `exit_code` are written when the crawl ends, before the digest (which checks
    them); a run whose after-step was interrupted keeps `completed` empty, so `demo` replays its
    day again instead of skipping it as done. Runs written before this column existed count as
    completed when their crawl finished (what `demo` assumed then): otherwise a store made by an
    older version would have its recorded days replayed again, out of order after the newest."""
    if "completed" not in db["runs"].columns_dict:
        db["runs"].add_column("completed", str)
        db.execute("update runs set completed = finished where exit_code is not null")


@core()
def m2000_reason_en(db: sqlite_utils.Database) -> None:
    """`items.relevance_reason_en`: the tagger's one-line reason in English, beside the Bokmål
    one (`relevance_reason`), for the English digest and workbench. Empty until the item is tagged
    again (a new tagger version re-tags every item); readers fall back to the Bokmål line."""
    if "relevance_reason_en" not in db["items"].columns_dict:
        db["items"].add_column("relevance_reason_en", str)


@core()
def m2100_items_seen_indexes(db: sqlite_utils.Database) -> None:
    """The workbench's "first seen after" and "changed after" filters (the digest's notes link to
    them: the new items, the changed ones) read a range of these indexes: at a million items each
    was a scan of the table (about 0.4 s; 4 and 13 ms with them, bench/RESULTS.md)."""
    db["items"].create_index(["first_seen"], if_not_exists=True)
    db["items"].create_index(["last_changed"], if_not_exists=True)


@core()
def m2200_detail_read(db: sqlite_utils.Database) -> None:
    """`extra.detail_read`: when an item's own page was last read (tracker.store.merge sets it on
    every read). Items whose page says it was read ("ok") get their last change as that time, so
    that a later failed attempt is not taken for a page never read."""
    db.execute("""update items set extra = json_set(extra, '$.detail_read', coalesce(last_changed, last_seen))
                  where json_valid(extra) and json_extract(extra, '$.detail') = 'ok'
                    and json_extract(extra, '$.detail_read') is null""")


@core()
def m2300_items_seen_by_others(db: sqlite_utils.Database) -> None:
    """What a spider knows of the store (`merge.known_items`, at every crawl of every source) is
    its own items and those it saw that another source owns: the second part was a `LIKE` on every
    item's `extra`, a scan of the table per spider (0.7 s for NBIM's 20,000 of a million items). A
    partial index holds the few items seen by more than one source: NBIM's 0.1 s; the twelve
    sources' together 11.6 s → 4.6 s, what is left their own items (bench/RESULTS.md)."""
    db.execute(f"create index if not exists idx_items_seen_by_others on items(source) where {SEEN_BY_OTHERS}")


@core()
def m2400_labels_as_marked(db: sqlite_utils.Database) -> None:
    """`items.labels` are the tagger's labels as advisers marked them (tracker.store.labels); the
    marks made before were kept for calibration only, so the item's lists, search and drafts
    still showed a topic an adviser had removed. Applied once to the items marked."""
    import json

    from tracker.store.labels import marks_of, with_marks
    from tracker.store.queries import loads_json

    if not db["label_marks"].exists():
        return
    ids = [r[0] for r in db.execute("select distinct item_id from label_marks")]
    marked = marks_of(db, ids)
    for row in db.query("select id, labels from items where id in (select item_id from label_marks)"):
        labels = loads_json(row["labels"], [])
        db.execute("update items set labels = ? where id = ?",
                   [json.dumps(with_marks(labels if isinstance(labels, list) else [], marked.get(row["id"], {}))),
                    row["id"]])


@core()
def m2500_triage_history_changes(db: sqlite_utils.Database) -> None:
    """`triage_history.label_mark` (``+oecd-vii``: an adviser's label mark, tracker.workbench.
    triage.mark_labels) and `internal_deadline_before`/`_after` (the draft-by day around the
    change). A label mark was a row with no owner and the note ``label +oecd-vii``: the item's
    history showed the owner removed and the note replaced; a draft-by day changed read as
    «skal svares → skal svares» with nothing saying what. The earlier marks move to their column
    (their days were not kept: those rows say no day changed)."""
    columns = db["triage_history"].columns_dict
    for name in ("label_mark", "internal_deadline_before", "internal_deadline_after"):
        if name not in columns:
            db["triage_history"].add_column(name, str)
    db.execute("""update triage_history set label_mark = substr(note, 7), note = null
                  where label_mark is null and owner is null and state_before = state_after
                    and [by] != 'ncp-tracker' and note glob 'label [+-][a-z]*' and instr(substr(note, 7), ' ') = 0""")


@core()
def m2600_storting_case_text_wording(db: sqlite_utils.Database) -> None:
    """A Storting case's text (no_stortinget_spu writes it from the saksgang) named its HOERFRIST
    date «Frist for å be om høring» — not what it is known to be — and wrote its days as ISO dates
    («Frist for å be om høring: 2026-12-07»); it now says «Høringsfrist i saken: 07.12.2026»
    (`crawlers.spiders.no_stortinget_spu.date_line`). The stored texts, their content hash and the
    text in their `updated` events are rewritten to the new wording, so that the next crawl sees
    no change in every case (a flood of «Endret: tekst») and a digest of an earlier day quotes the
    same words. The tagger reads the rewritten texts again (their hash changed)."""
    import json
    import re

    from crawlers.spiders.no_stortinget_spu import CASE_DATE_LINES, date_line
    from tracker.store.changes import content_hash

    labels = dict(CASE_DATE_LINES)
    before = {"Frist for å be om høring": "hearing_deadline", "Høring i komiteen": "hearing", "Vedtatt": "decided"}
    line = re.compile(r"^(" + "|".join(map(re.escape, before)) + r"): (\d{4}-\d{2}-\d{2})$", re.M)

    def reworded(text: str | None) -> str | None:
        return line.sub(lambda m: date_line(labels[before[m.group(1)]], m.group(2)), text) if text else text

    for row in list(db.query("select * from items where source = 'no_stortinget_spu' and body is not null")):
        body = reworded(row["body"])
        if body != row["body"]:
            db.execute("update items set body = ?, content_hash = ? where id = ?",
                       [body, content_hash({**row, "body": body}), row["id"]])
    for event in list(db.query("""select id, before, after from events where kind = 'updated' and item_id in
                                  (select id from items where source = 'no_stortinget_spu')""")):
        sides = []
        for side in (event["before"], event["after"]):
            try:
                value = json.loads(side) if side else None
            except ValueError:
                value = None
            if isinstance(value, dict) and isinstance(value.get("body"), str) and (
                    body := reworded(value["body"])) != value["body"]:
                side = json.dumps({**value, "body": body}, ensure_ascii=False, sort_keys=True)
            sides.append(side)
        if sides != [event["before"], event["after"]]:
            db.execute("update events set before = ?, after = ? where id = ?", [*sides, event["id"]])



@core()
def m2700_search_word_forms(db: sqlite_utils.Database) -> None:
    """`items_norm` again with the words' forms beside their keys (`textindex.index_text`): a
    prefix search on a stem's middle (åpenhets*: åpenhetsloven's key is apen) found nothing. The
    triggers already call ``ncp_norm``; the rows indexed before are written again."""
    from tracker.store.textindex import register

    register(db.conn)
    db.execute("delete from items_norm")
    db.execute("""insert into items_norm (rowid, title, summary, body)
                  select rowid, ncp_norm(title, language), ncp_norm(summary, language),
                         ncp_norm(body, language) from items""")
    db.execute("insert into items_norm (items_norm) values ('optimize')")


@core()
def m2800_document_language(db: sqlite_utils.Database) -> None:
    """`document_files.language`: the language a read file is written in (the tagger's, by the
    most of its sections' text), so that pages and drafts mark its sections and quotes in it — an
    English annex under a Norwegian hearing. Files read before are NULL until the next reading
    detects it from their stored sections (tracker.documents.read.fill_languages)."""
    if "document_files" in db.table_names() and "language" not in db["document_files"].columns_dict:
        db["document_files"].add_column("language", str)


@core()
def m2900_search_words_through_invisible_characters(db: sqlite_utils.Database) -> None:
    """The search index read a soft hyphen, zero-width or bidi character inside a word as the end
    of a word (regjeringen.no's «menneske\u00adrettigheter» was two words: «menneskerettigheter»
    did not find it). `textindex.WORD` now reads the word whole; the items holding such a
    character are indexed again (the triggers already call ``ncp_norm``)."""
    from nlp.textclean import INVISIBLE_CHARACTERS
    from tracker.store.textindex import register

    if "items_norm" not in db.table_names():
        return
    register(db.conn)
    holds = " or ".join(f"instr(coalesce(title, '') || coalesce(summary, '') || coalesce(body, ''), char({ord(c)})) > 0"
                        for c in sorted(INVISIBLE_CHARACTERS))
    rowids = [r[0] for r in db.execute(f"select rowid from items where {holds}").fetchall()]
    for rowid in rowids:
        db.execute("delete from items_norm where rowid = ?", [rowid])
        db.execute("""insert into items_norm (rowid, title, summary, body)
                      select rowid, ncp_norm(title, language), ncp_norm(summary, language),
                             ncp_norm(body, language) from items where rowid = ?""", [rowid])


workbench = Migrations("ncp_tracker.workbench")


@workbench()
def m001_drafts(db: sqlite_utils.Database) -> None:
    db["drafts"].create(
        {"id": int, "item_id": str, "created_at": str, "created_by": str, "language": str,
         "title": str, "text": str, "docx_path": str, "md_path": str},
        pk="id",
        foreign_keys=[("item_id", "items", "id")],
    )  # fmt: skip
    db["drafts"].create_index(["item_id"])
    db["drafts"].enable_fts(["title", "text"], create_triggers=True,
                            tokenize="unicode61 remove_diacritics 0")


@workbench()
def m002_answers(db: sqlite_utils.Database) -> None:
    """Other actors' published answers to closed hearings (see tracker/answers.py)."""
    db["answers"].create(
        {"item_id": str, "url": str, "hearing_native_id": str, "responder": str,
         "responder_type": str, "date": str, "format": str, "is_ncp": int,
         "first_seen": str, "last_seen": str},
        pk=("item_id", "url"),
    )  # fmt: skip
    db["answers"].create_index(["item_id"])


@workbench()
def m003_answer_checks(db: sqlite_utils.Database) -> None:
    """When each closed hearing's answer list was last read (also when it had no answers)."""
    db["answer_checks"].create(
        {"item_id": str, "checked_at": str, "answers": int, "run_id": int}, pk="item_id",
    )  # fmt: skip


links = Migrations("ncp_tracker.links")


@links()
def m001_refs_links(db: sqlite_utils.Database) -> None:
    db["refs"].create({"item_id": str, "ref": str}, pk=("item_id", "ref"),
                      foreign_keys=[("item_id", "items", "id")])
    db["refs"].create_index(["ref"])
    db["links"].create({"a": str, "b": str, "ref": str, "how": str}, pk=("a", "b", "ref"),
                       foreign_keys=[("a", "items", "id"), ("b", "items", "id")])
    db["links"].create_index(["b"])


companies = Migrations("ncp_tracker.companies")


@companies()
def m001_companies(db: sqlite_utils.Database) -> None:
    db["companies"].create(
        {"id": int, "name": str, "normalised_name": str, "identifiers": str, "first_seen": str},
        pk="id",
    )
    db["companies"].create_index(["normalised_name"], unique=True)
    db["company_mentions"].create(
        {"company_id": int, "item_id": str, "evidence": str, "field": str},
        pk=("company_id", "item_id"),
        foreign_keys=[("company_id", "companies", "id"), ("item_id", "items", "id")],
    )
    db["company_mentions"].create_index(["item_id"])


#: every migration set, in the order they are applied (the set names are stored in each database's
#: `_sqlite_migrations` table, so they never change; a new migration goes at the end of its set)
MIGRATION_SETS: tuple[Migrations, ...] = (core, workbench, links, companies)


#: (set, migration) of every migration this program has
KNOWN: frozenset[tuple[str, str]] = frozenset(
    (s.name, m.name) for s in MIGRATION_SETS for m in s._migrations)


def applied_migrations(conn: sqlite3.Connection) -> set[tuple[str, str]]:
    """(set, migration) of every migration the database records (none in a new database)."""
    has = conn.execute("select 1 from sqlite_master where type = 'table' and name = ?",
                       [Migrations.migrations_table]).fetchone()
    if not has:
        return set()
    return set(conn.execute(f"select migration_set, name from [{Migrations.migrations_table}]"))


def apply_all(db: sqlite_utils.Database) -> None:
    """Apply every pending migration. A database that has them all — every write path but the
    first opens one — is left after two queries: sqlite-utils' own check costs four per set
    (about 2 ms, and each spider's close opens the database)."""
    if applied_migrations(db.conn) >= KNOWN:
        return
    for migrations in MIGRATION_SETS:
        migrations.apply(db)


def schema_state(db: sqlite_utils.Database) -> tuple[list[str], list[str]]:
    """(migrations this program has that the database lacks, in order; migrations the database has
    that this program does not know — written by a newer version, sorted). Reads only."""
    applied = applied_migrations(db.conn)
    pending = [f"{s.name}.{m.name}" for s in MIGRATION_SETS for m in s._migrations
               if (s.name, m.name) not in applied]
    unknown = [f"{s}.{n}" for s, n in sorted(applied - KNOWN)]
    return pending, unknown
