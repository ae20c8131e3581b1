"""Where fetched documents go: files named by their sha256 under `<data_dir>/documents/`, each
with a provenance file beside it, and the `documents` rows that say, per item and link, what was
fetched when and what it answered.

A link whose content changes (a new sha256 for the same item and URL) gets a new
`document_versions` row and a `documents_changed` event on its item (field = URL, before/after =
the two sha256s): the redline compares those two versions.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import secrets
from pathlib import Path
from typing import Any

import sqlite_utils

from tracker.store.files import write_whole

#: what the `documents.status` column says: what the *last check* of a document gave. The copy we
#: hold (`sha256`, `fetched_at`) is another matter: a check that fails or is refused keeps it, and
#: whatever reads documents (drafts, relevance, provisions, redlines) goes on reading it; the item
#: page says both (tracker.documents.view.last_check_note)
OK, NOT_MODIFIED, FAILED, REFUSED = "ok", "not_modified", "failed", "refused"
EVENT_CHANGED = "documents_changed"
EXTENSIONS = {"pdf": ".pdf", "html": ".html", "docx": ".docx"}

log = logging.getLogger(__name__)


def sections_with_text(db: sqlite_utils.Database, sha256: str) -> list[dict[str, Any]]:
    """A read file's sections as stored (`document_sections`, in order), each with its `text`: its
    paragraphs joined by a blank line, as the tagger read the section (tracker.documents.read)."""
    sections = list(db.query("select * from document_sections where sha256 = ? order by seq", [sha256]))
    texts: dict[int, list[str]] = {}
    for p in db.query("select section_seq, text from document_paragraphs where sha256 = ? order by seq", [sha256]):
        texts.setdefault(p["section_seq"], []).append(p["text"])
    for s in sections:
        s["text"] = "\n\n".join(texts.get(s["seq"], []))
    return sections


def listed(alias: str = "d") -> str:
    """SQL that is true when the `documents` row `alias` is still linked from its item's page: not
    marked ``unlisted`` in `items.documents` (a page read in full that no longer links it:
    tracker.store.changes._merge_documents). What drafts quote, relevance and provisions read;
    the item page shows the others as no longer linked."""
    return (f"not exists (select 1 from items li, json_each(case when json_valid(li.documents) "
            f"then li.documents else '[]' end) lj where li.id = {alias}.item_id "
            f"and json_extract(lj.value, '$.url') = {alias}.url and json_extract(lj.value, '$.unlisted'))")


def documents_dir(data_dir: str | Path | None = None) -> Path:
    if data_dir is None:
        from tracker.config import get_config

        data_dir = get_config().data_dir
    return Path(data_dir) / "documents"


def file_path(root: Path, sha256: str, kind: str) -> Path:
    return root / sha256[:2] / f"{sha256}{EXTENSIONS.get(kind, '.bin')}"


def save_file(root: Path, body: bytes, kind: str, provenance: dict[str, Any]) -> tuple[str, Path]:
    """Write `body` content-addressed (once: the same bytes are never written twice) with a
    provenance file (`<sha>.json`: every URL and time it was seen at). Returns (sha256, path)."""
    sha = hashlib.sha256(body).hexdigest()
    path = file_path(root, sha, kind)
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        write_whole(path, body)
    meta_path = path.with_suffix(".json")
    meta = _read_meta(meta_path) or {"sha256": sha, "seen": []}
    if provenance not in meta["seen"]:
        meta["seen"].append(provenance)
        write_whole(meta_path, json.dumps(meta, ensure_ascii=False, indent=1).encode("utf-8"))
    return sha, path


def _read_meta(path: Path) -> dict[str, Any] | None:
    """A provenance file, or None when there is none. An unreadable one (a crash while an older
    version wrote it in place) is kept beside, renamed, and a new one is started: loud, not lost."""
    try:
        meta = json.loads(path.read_text("utf-8"))
        if isinstance(meta, dict) and isinstance(meta.get("seen"), list):
            return meta
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        pass
    broken = path.with_name(f"{path.name}.unreadable-{secrets.token_hex(4)}")
    os.replace(path, broken)
    log.warning("provenance file %s was unreadable; kept as %s, a new one is started", path, broken.name)
    return None


def record_fetch(db: sqlite_utils.Database, result: dict[str, Any], *, root: Path, at: str,
                 run_id: int | None = None) -> str:
    """Store one fetch result of the `documents` spider. Returns what happened: new, changed,
    unchanged, not_modified, failed or refused. Bad results are recorded, never dropped."""
    item_id, url = result["item_id"], result["url"]
    key = (item_id, url)
    try:
        row: dict[str, Any] | None = db["documents"].get(key)
    except sqlite_utils.db.NotFoundError:
        row = None
    base = {"item_id": item_id, "url": url, "title": result.get("title"), "type": result.get("type"),
            "checked_at": at, "http_status": result.get("http_status")}
    status = result.get("status")
    if status == NOT_MODIFIED and row and row.get("sha256"):
        db["documents"].upsert({**base, "status": OK, "error": None}, pk=("item_id", "url"))
        return "not_modified"
    if status != OK:
        db["documents"].upsert({**base, "status": status or FAILED, "error": result.get("error")},
                               pk=("item_id", "url"))
        return status or FAILED
    body: bytes = result["body"]
    kind = result["kind"]
    sha, path = save_file(root, body, kind, {"url": url, "item_id": item_id, "fetched_at": at,
                                            "content_type": result.get("content_type"),
                                            "etag": result.get("etag"), "last_modified": result.get("last_modified")})
    if not db["document_files"].exists() or not list(db["document_files"].rows_where("sha256 = ?", [sha])):
        db["document_files"].insert({"sha256": sha, "kind": kind, "content_type": result.get("content_type"),
                                     "size": len(body), "path": str(path), "first_url": url, "first_seen": at},
                                    pk="sha256", ignore=True)
    previous = row.get("sha256") if row else None
    changed = previous is not None and previous != sha
    db["documents"].upsert({**base, "status": OK, "error": None, "content_type": result.get("content_type"),
                            "sha256": sha, "etag": result.get("etag"), "last_modified": result.get("last_modified"),
                            "fetched_at": at, **({"changed_at": at} if changed else {})},
                           pk=("item_id", "url"))
    if previous != sha:
        db["document_versions"].insert({"item_id": item_id, "url": url, "sha256": sha, "seen_at": at,
                                        "previous": previous}, pk="id")
    if changed:
        db["events"].insert({"item_id": item_id, "run_id": run_id, "at": at, "kind": EVENT_CHANGED,
                             "field": url, "before": previous, "after": sha})
        return "changed"
    return "new" if previous is None else "unchanged"


def known_validators(db: sqlite_utils.Database) -> dict[tuple[str, str], dict[str, Any]]:
    """(item, url) → the validators of the copy we hold (for conditional requests)."""
    if "documents" not in db.table_names():
        return {}
    return {(r["item_id"], r["url"]): r for r in db.query(
        "select item_id, url, etag, last_modified, sha256 from documents where sha256 is not null")}


def versions(db: sqlite_utils.Database, item_id: str, url: str) -> list[dict[str, Any]]:
    return list(db.query("select * from document_versions where item_id = ? and url = ? order by id",
                         [item_id, url]))
