"""Export items with their triage as CSV, JSON or XLSX (the same filters as search).

Columns are fixed and documented in `COLUMNS` (with Norwegian and English headers in
`HEADERS`); rows are ordered by item id (or by search rank when a query is given), so two
exports of the same store are identical. ``owner`` is the adviser who owns the answer (triage);
the department/committee is ``department``.

CSV is written for Norwegian Excel by default (dialect ``excel-nb``: ``;`` between fields,
UTF-8 with a byte-order mark, CRLF, Norwegian headers, dates as ``dd.mm.åååå tt:mm`` and
decimal commas — what Excel with Norwegian regional settings opens without the import wizard).
Other dialects: ``excel`` (``,``, BOM, English headers; the default of an English export,
`dialect_for`), ``rfc4180`` (``,``, no BOM, column keys and ISO dates, for programs). The .xlsx has real dates, Norwegian headers, an autofilter, a
frozen header row, fitted column widths and clickable links.

The files for people (``excel-nb``, ``excel``, .xlsx) name the source, kind, status, labels and
triage state as the digest does ("Høringer (regjeringen.no)", "Kap. IV Menneskerettigheter",
"tildelt"); ``rfc4180`` and JSON keep the codes ("no_regjeringen_horinger", "oecd-iv", "assigned").
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import sqlite_utils

from tracker.workbench.search import Filters, filtered, search

COLUMNS = (
    "id", "source", "kind", "status", "title", "url", "department", "reference", "published",
    "deadline", "labels", "relevance", "state", "owner", "internal_deadline", "triage_updated_at",
)  # fmt: skip
HEADERS = {
    "nb": ("ID", "Kilde", "Type", "Status", "Tittel", "Lenke", "Departement/komité", "Referanse",
           "Publisert", "Frist", "Merker", "Relevans", "Oppfølging", "Ansvarlig",
           "Intern frist", "Oppfølging endret"),
    "en": ("ID", "Source", "Kind", "Status", "Title", "Link", "Department/committee", "Reference",
           "Published", "Deadline", "Labels", "Relevance", "Triage state", "Adviser",
           "Internal deadline", "Triage updated"),
}  # fmt: skip
DATE_COLUMNS = ("published", "deadline", "internal_deadline", "triage_updated_at")
FORMATS = ("csv", "json", "xlsx")
#: the format a file's name ending stands for: an export to «x.xlsx» without a format is a workbook
#: (it was CSV text that no spreadsheet opened as one), one to a name ending otherwise is CSV
EXTENSIONS = {".csv": "csv", ".json": "json", ".xlsx": "xlsx"}
DEFAULT_FORMAT = "csv"


@dataclass(frozen=True)
class Dialect:
    delimiter: str
    bom: bool
    headers: str | None  # "nb", "en" or None (column keys)
    local_dates: bool  # dd.mm.yyyy [hh:mm] in Oslo time instead of ISO
    decimal_comma: bool
    lineterminator: str = "\r\n"


DIALECTS = {
    "excel-nb": Dialect(";", True, "nb", True, True),
    "excel": Dialect(",", True, "en", True, False),
    "rfc4180": Dialect(",", False, None, False, False),
}
DEFAULT_DIALECT = "excel-nb"
#: the CSV dialect of an export in each language, where none is asked for (the CLI's `export
#: --lang`, the workbench's export in the language it is read in): Excel with that language's headers
LANG_DIALECTS = {"nb": "excel-nb", "en": "excel"}


def dialect_for(lang: str) -> str:
    """The CSV dialect of an export in `lang` (`LANG_DIALECTS`; Norwegian Excel for any other)."""
    return LANG_DIALECTS.get(lang, DEFAULT_DIALECT)
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


def local_datetime(value: Any) -> datetime | None:
    """An ISO date/datetime string as a naive Oslo-time datetime (None if it is not one):
    spreadsheet cells hold no time zone. Read by tracker.store.deadlines.to_datetime."""
    from tracker.store.deadlines import to_datetime

    if not isinstance(value, str):
        return None
    dt = to_datetime(value)
    return dt.replace(tzinfo=None) if dt is not None else None


def _has_time(dt: datetime) -> bool:
    return (dt.hour, dt.minute, dt.second) != (0, 0, 0)


def _guard(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value  # CSV injection guard (OWASP)
    return value


def _namers() -> dict[str, Any]:
    """The columns holding a code, and the vocabulary function that names it."""
    from tracker.vocabulary import kind_name, label_name, source_name, status_name, triage_name

    return {"source": source_name, "kind": kind_name, "status": status_name, "labels": label_name,
            "state": triage_name}


def _named(column: str, value: Any, lang: str, namers: dict[str, Any]) -> Any:
    """`value` of `column` as a person reads it in `lang` (codes named; other values unchanged)."""
    name = namers.get(column)
    if name is None or value is None:
        return value
    if isinstance(value, list):
        return [name(v, lang) for v in value]
    return name(value, lang)


def _csv_value(column: str, value: Any, dialect: Dialect) -> Any:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) if dialect.headers else ";".join(str(v) for v in value)
    if value is None:
        return ""
    if column in DATE_COLUMNS and dialect.local_dates:
        dt = local_datetime(value)
        if dt is not None:
            return dt.strftime("%d.%m.%Y %H:%M" if _has_time(dt) else "%d.%m.%Y")
    if isinstance(value, float) and dialect.decimal_comma:
        return f"{value:g}".replace(".", ",")
    return _guard(value)


def to_csv(data: list[dict[str, Any]], dialect: str = DEFAULT_DIALECT) -> str:
    """CSV text in `dialect` (the BOM, when the dialect has one, is the text's first character)."""
    try:
        d = DIALECTS[dialect]
    except KeyError:
        raise ValueError(f"unknown CSV dialect {dialect!r}; dialects: {', '.join(DIALECTS)}") from None
    buf = io.StringIO()
    if d.bom:
        buf.write("\ufeff")
    writer = csv.writer(buf, delimiter=d.delimiter, lineterminator=d.lineterminator)
    writer.writerow(HEADERS[d.headers] if d.headers else COLUMNS)
    namers = _namers() if d.headers else {}
    for row in data:
        writer.writerow([_csv_value(k, _named(k, row[k], d.headers or "", namers), d) for k in COLUMNS])
    return buf.getvalue()


def to_json(data: list[dict[str, Any]]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


#: column widths are fitted to the content, within these bounds (characters)
MIN_WIDTH, MAX_WIDTH = 8, 70


def to_xlsx(data: list[dict[str, Any]], lang: str = "nb") -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = "Saker" if lang == "nb" else "Items"
    headers = HEADERS.get(lang, HEADERS["nb"])
    ws.append(list(headers))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    widths = [len(h) + 3 for h in headers]  # room for the filter button
    link_font = Font(color="0563C1", underline="single")
    namers = _namers()
    for row in data:
        values: list[Any] = []
        for k in COLUMNS:
            v = _named(k, row[k], lang, namers)
            if k == "labels":
                v = ", ".join(v)
            elif k in DATE_COLUMNS:
                v = local_datetime(v) or v
            values.append(v)
        ws.append(values)
        r = ws.max_row
        for n, (k, cell) in enumerate(zip(COLUMNS, ws[r], strict=True)):
            v = cell.value
            if isinstance(v, str) and v.startswith(_FORMULA_START):
                cell.data_type = "s"  # text, never a formula
            if isinstance(v, datetime):
                cell.number_format = "dd.mm.yyyy hh:mm" if _has_time(v) else "dd.mm.yyyy"
                shown = 16 if _has_time(v) else 10
            elif k == "relevance" and isinstance(v, float):
                cell.number_format = "0.00"
                shown = 5
            else:
                shown = len(str(v)) if v is not None else 0
            if k == "url" and isinstance(v, str) and v.startswith(("http://", "https://")):
                cell.hyperlink = v
                cell.font = link_font
            widths[n] = max(widths[n], shown + 2)
    for n, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(n)].width = max(MIN_WIDTH, min(MAX_WIDTH, w))
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{max(1, ws.max_row)}"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def render(data: list[dict[str, Any]], fmt: str, *, dialect: str | None = None,
           lang: str = "nb") -> str | bytes:
    """The export in `fmt`, its headers and names in `lang` (CSV: in `dialect`, by default the
    language's, `dialect_for`)."""
    if fmt == "csv":
        return to_csv(data, dialect or dialect_for(lang))
    if fmt == "json":
        return to_json(data)
    if fmt == "xlsx":
        return to_xlsx(data, lang)
    raise ValueError(f"unknown export format {fmt!r}; formats: {', '.join(FORMATS)}")


def write(data: list[dict[str, Any]], fmt: str, out: str | Path, base: str | Path | None = None, *,
          dialect: str | None = None, lang: str = "nb") -> Path:
    """Write an export file where the user said (absolute, ``~`` or relative to `base`/cwd)."""
    from tracker.store.files import write_whole
    from tracker.workbench.outputs import OutputError, output_file

    payload = render(data, fmt, dialect=dialect, lang=lang)  # a bad format fails before any folder
    target = output_file(out, base)
    # whole or not at all: an interrupted write leaves the previous export, not half a file
    try:
        write_whole(target, payload if isinstance(payload, bytes) else payload.encode("utf-8"))
    except OSError as exc:
        raise OutputError(f"cannot write {target}: {exc.strerror or exc}") from exc
    return target
