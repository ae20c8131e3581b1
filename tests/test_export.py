"""Exports read back: CSV, JSON, XLSX with stable ids, labels, owner, state and deadline."""

from __future__ import annotations

import csv
import io
import json

import pytest

from tests.browser.seed import HEARING, seed
from tracker.workbench import export, triage
from tracker.workbench.search import Filters


@pytest.fixture
def store(db):
    seed(db)
    triage.set_state(db, HEARING, "respond")
    triage.set_state(db, HEARING, "assigned", owner="kari", internal_deadline="2026-12-01")
    return db


def test_csv_is_for_norwegian_excel_by_default(store):
    text = export.to_csv(export.rows(store))
    assert text.startswith("\ufeff")  # UTF-8 BOM: Excel reads æøå right
    rows = list(csv.reader(io.StringIO(text[1:]), delimiter=";"))
    assert rows[0] == list(export.HEADERS["nb"]) and rows[0][4] == "Tittel"
    # the names the terminal and the workbench give them (it said Etiketter, Behandling, Saksbehandler)
    assert rows[0][10:16] == ["Merker", "Relevans", "Oppfølging", "Ansvarlig", "Intern frist", "Oppfølging endret"]
    assert "\r\n" in text
    by_id = {r[0]: dict(zip(export.COLUMNS, r, strict=True)) for r in rows[1:]}
    assert [r[0] for r in rows[1:]] == sorted(by_id)  # stable order
    row = by_id[HEARING]
    assert (row["state"], row["owner"], row["internal_deadline"]) == ("tildelt", "kari", "01.12.2026")
    # codes named as the digest names them (the file is for people: it read "assigned", "oecd-ii")
    assert row["labels"] == "Åpenhetsloven, Kap. II Generelle prinsipper, Kap. V Arbeidsliv"
    assert (row["source"], row["kind"], row["status"]) == ("Høringer (regjeringen.no)", "Høring", "åpen")
    english = {r[0]: r for r in csv.reader(io.StringIO(export.to_csv(export.rows(store), "excel")[1:]))}
    assert english[HEARING][3:4] == ["open"] and english[HEARING][12] == "assigned"
    assert row["deadline"] == "10.12.2026 23:59"  # Oslo time, as Norwegian Excel reads dates
    assert row["department"] == "Barne- og familiedepartementet"
    assert row["title"].startswith("Høring - endringer i åpenhetsloven")
    assert "," in row["relevance"] and "." not in row["relevance"]  # decimal comma


def test_csv_dialect_for_programs(store):
    text = export.to_csv(export.rows(store), "rfc4180")
    assert not text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert tuple(rows[0]) == export.COLUMNS
    row = next(r for r in rows if r["id"] == HEARING)
    assert row["deadline"] == "2026-12-10T23:59:59+01:00" and row["labels"] == "apenhetsloven;oecd-ii;oecd-v"
    with pytest.raises(ValueError, match="dialects"):
        export.to_csv([], "semicolon-please")


def test_csv_file_has_the_bom_once(store, tmp_path):
    path = export.write(export.rows(store), "csv", "e.csv", base=tmp_path)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and raw.count(b"\xef\xbb\xbf") == 1
    assert raw.decode("utf-8-sig").splitlines()[0].startswith("ID;Kilde;Type")


def test_json_reads_back_with_label_lists(store, tmp_path):
    path = export.write(export.rows(store, Filters(label="apenhetsloven")), "json", "out/e.json", base=tmp_path)
    data = json.loads(path.read_text("utf-8"))
    assert {d["id"] for d in data} == {HEARING, "eu_haveyoursay:14567"}
    assert next(d for d in data if d["id"] == HEARING)["labels"] == ["apenhetsloven", "oecd-ii", "oecd-v"]


def test_xlsx_is_for_people(store, tmp_path):
    from datetime import datetime

    from openpyxl import load_workbook

    path = export.write(export.rows(store), "xlsx", "e.xlsx", base=tmp_path)
    ws = load_workbook(path).active
    values = list(ws.iter_rows(values_only=True))
    assert values[0] == export.HEADERS["nb"] and "Frist" in values[0]
    by_id = {r[0]: dict(zip(export.COLUMNS, r, strict=True)) for r in values[1:]}
    assert len(by_id) == 5
    row = by_id[HEARING]
    assert row["owner"] == "kari" and row["state"] == "tildelt"
    assert row["labels"] == "Åpenhetsloven, Kap. II Generelle prinsipper, Kap. V Arbeidsliv"
    assert row["title"].startswith("Høring - endringer i åpenhetsloven")
    assert row["deadline"] == datetime(2026, 12, 10, 23, 59, 59)  # a real date (Oslo time)
    assert row["internal_deadline"] == datetime(2026, 12, 1)
    cells = {c.value: c for c in ws[1]}
    col = {k: n for n, k in enumerate(export.COLUMNS)}
    hearing_row = next(r for r in ws.iter_rows(min_row=2) if r[0].value == HEARING)
    assert hearing_row[col["deadline"]].number_format == "dd.mm.yyyy hh:mm"
    assert hearing_row[col["internal_deadline"]].number_format == "dd.mm.yyyy"
    link = hearing_row[col["url"]]
    assert link.hyperlink is not None and link.hyperlink.target == link.value
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == f"A1:P{len(values)}"
    widths = {k: ws.column_dimensions[chr(ord("A") + n)].width for k, n in col.items()}
    assert widths["title"] > widths["status"] and widths["url"] > widths["relevance"]
    assert all(export.MIN_WIDTH <= w <= export.MAX_WIDTH for w in widths.values())
    assert cells["Tittel"].font.bold


def test_formula_titles_stay_text(store, tmp_path):
    from openpyxl import load_workbook

    store["items"].update(HEARING, {"title": "=HYPERLINK(\"http://x\")"})
    data = export.rows(store, Filters(source="no_regjeringen_horinger"))
    ws = load_workbook(export.write(data, "xlsx", "f.xlsx", base=tmp_path)).active
    cell = next(r for r in ws.iter_rows() if r[0].value == HEARING)[4]
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")
    assert "'=HYPERLINK" in export.to_csv(data)
    assert "'=HYPERLINK" in export.to_csv(data, "rfc4180")


def test_query_export_is_ranked(store):
    assert [r["id"] for r in export.rows(store, query="tvangsarbeid")] == [HEARING]


def test_user_named_paths_are_allowed_anywhere(store, tmp_path, monkeypatch):
    elsewhere = tmp_path / "elsewhere"
    tree = tmp_path / "tree"
    tree.mkdir()
    # relative to where the command runs, going up is the user's choice
    path = export.write(export.rows(store), "csv", "../elsewhere/x.csv", base=tree)
    assert path.resolve() == (elsewhere / "x.csv").resolve() and path.exists()
    # absolute
    assert export.write(export.rows(store), "json", str(tmp_path / "abs" / "y.json")).exists()
    # ~ is the user's home
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert export.write(export.rows(store), "csv", "~/Dokumenter/z.csv").parent == tmp_path / "home" / "Dokumenter"


def test_out_that_is_a_folder_is_refused(store, tmp_path):
    from tracker.workbench.outputs import OutputError

    (tmp_path / "d").mkdir()
    with pytest.raises(OutputError, match="directory"):
        export.write(export.rows(store), "csv", "d", base=tmp_path)


def test_an_interrupted_export_keeps_the_previous_file(store, tmp_path, monkeypatch):
    import os

    out = tmp_path / "exports"  # the store's database lives in tmp_path itself
    path = export.write(export.rows(store), "csv", "e.csv", base=out)
    before = path.read_bytes()

    def full_disk(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full_disk)
    with pytest.raises(ValueError, match="cannot write .*e.csv: No space left on device"):
        export.write(export.rows(store), "json", "e.csv", base=out)
    assert path.read_bytes() == before and [p.name for p in out.iterdir()] == ["e.csv"]
