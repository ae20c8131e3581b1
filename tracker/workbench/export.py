"""Export items with their triage as CSV, JSON or XLSX (the same filters as search).

Columns are fixed and documented in `COLUMNS`; rows are ordered by item id (or by search rank
when a query is given), so two exports of the same store are identical. ``owner`` is the
adviser who owns the answer (triage); the department/committee is ``department``.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import sqlite_utils

from tracker.workbench.search import Filters, filtered, search

COLUMNS = (
    "id", "source", "kind", "status", "title", "url", "department", "reference", "published",
    "deadline", "labels", "relevance", "state", "owner", "internal_deadline", "triage_updated_at",
)  # fmt: skip
FORMATS = ("csv", "json", "xlsx")
#: a spreadsheet must never evaluate a title as a formula
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def rows(db: sqlite_utils.Database, filters: Filters | None = None, query: str | None = None,
         limit: int | None = None) -> list[dict[str, Any]]:
    """Export rows (dicts with exactly `COLUMNS`)."""
    found = search(db, query, filters, limit=limit or 100000) if query else filtered(db, filters, limit)
    out = []
    for r in found:
        out.append({
            "id": r["id"], "source": r["source"], "kind": r["kind"], "status": r["status"],
            "title": r["title"], "url": r["url"], "department": r["owner"],
            "reference": r["reference"], "published": r["published"], "deadline": r["deadline"],
            "labels": list(r["labels"]), "relevance": r["relevance"],
            "state": r["triage_state"], "owner": r["triage_owner"],
            "internal_deadline": r["internal_deadline"], "triage_updated_at": r["triage_updated_at"],
        })  # fmt: skip
    return out


def _flat(value: Any) -> Any:
    if isinstance(value, list):
        return ";".join(str(v) for v in value)
    return "" if value is None else value


def to_csv(data: list[dict[str, Any]]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in data:
        flat = {k: _flat(row[k]) for k in COLUMNS}
        for k, v in flat.items():
            if isinstance(v, str) and v.startswith(_FORMULA_START):
                flat[k] = "'" + v  # CSV injection guard (OWASP)
        writer.writerow(flat)
    return buf.getvalue()


def to_json(data: list[dict[str, Any]]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def to_xlsx(data: list[dict[str, Any]]) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "items"
    ws.append(list(COLUMNS))
    for row in data:
        ws.append([_flat(row[k]) if k == "labels" else row[k] for k in COLUMNS])
        for cell in ws[ws.max_row]:
            if isinstance(cell.value, str) and cell.value.startswith(_FORMULA_START):
                cell.data_type = "s"  # text, never a formula
    ws.freeze_panes = "A2"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def render(data: list[dict[str, Any]], fmt: str) -> str | bytes:
    if fmt == "csv":
        return to_csv(data)
    if fmt == "json":
        return to_json(data)
    if fmt == "xlsx":
        return to_xlsx(data)
    raise ValueError(f"unknown export format {fmt!r}; formats: {', '.join(FORMATS)}")


def write(data: list[dict[str, Any]], fmt: str, out: str | Path, base: str | Path | None = None) -> Path:
    """Write an export file; its folder must lie inside the working tree (created there if missing)."""
    from tracker.workbench.drafts import safe_out_dir

    out = Path(out)
    folder = safe_out_dir(out.parent if str(out.parent) else ".", base)
    target = folder / out.name
    if target.is_dir():
        raise ValueError(f"--out {out} is a directory; give a file name")
    payload = render(data, fmt)
    if isinstance(payload, bytes):
        target.write_bytes(payload)
    else:
        target.write_text(payload, encoding="utf-8")
    return target
