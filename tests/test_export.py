"""Exports read back: CSV, JSON, XLSX with stable ids, labels, owner, state and deadline."""

from __future__ import annotations

import csv
import io
import json

import pytest

from tests.browser.seed import HEARING, seed
from tracker.workbench import export, triage
from tracker.workbench.drafts import DraftError
from tracker.workbench.search import Filters


@pytest.fixture
def store(db):
    seed(db)
    triage.set_state(db, HEARING, "respond")
    triage.set_state(db, HEARING, "assigned", owner="kari", internal_deadline="2026-12-01")
    return db


def test_csv_reads_back(store):
    rows = list(csv.DictReader(io.StringIO(export.to_csv(export.rows(store)))))
    assert [r["id"] for r in rows] == sorted(r["id"] for r in rows)  # stable order
    assert tuple(rows[0]) == export.COLUMNS
    row = next(r for r in rows if r["id"] == HEARING)
    assert (row["state"], row["owner"], row["internal_deadline"]) == ("assigned", "kari", "2026-12-01")
    assert row["labels"] == "apenhetsloven;oecd-ii;oecd-v"
    assert row["deadline"] == "2026-12-10T23:59:59+01:00"
    assert row["department"] == "Barne- og familiedepartementet"


def test_json_reads_back_with_label_lists(store, tmp_path):
    path = export.write(export.rows(store, Filters(label="apenhetsloven")), "json", "out/e.json", base=tmp_path)
    data = json.loads(path.read_text("utf-8"))
    assert {d["id"] for d in data} == {HEARING, "eu_haveyoursay:14567"}
    assert next(d for d in data if d["id"] == HEARING)["labels"] == ["apenhetsloven", "oecd-ii", "oecd-v"]


def test_xlsx_reads_back(store, tmp_path):
    from openpyxl import load_workbook

    path = export.write(export.rows(store), "xlsx", "e.xlsx", base=tmp_path)
    ws = load_workbook(path).active
    values = list(ws.iter_rows(values_only=True))
    assert values[0] == export.COLUMNS
    by_id = {r[0]: dict(zip(export.COLUMNS, r, strict=True)) for r in values[1:]}
    assert by_id[HEARING]["owner"] == "kari" and by_id[HEARING]["state"] == "assigned"
    assert by_id[HEARING]["title"].startswith("Høring - endringer i åpenhetsloven")
    assert len(by_id) == 5


def test_formula_titles_stay_text(store, tmp_path):
    from openpyxl import load_workbook

    store["items"].update(HEARING, {"title": "=HYPERLINK(\"http://x\")"})
    data = export.rows(store, Filters(source="no_regjeringen_horinger"))
    ws = load_workbook(export.write(data, "xlsx", "f.xlsx", base=tmp_path)).active
    cell = next(r for r in ws.iter_rows() if r[0].value == HEARING)[4]
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")
    assert "'=HYPERLINK" in export.to_csv(data)


def test_query_export_is_ranked(store):
    assert [r["id"] for r in export.rows(store, query="tvangsarbeid")] == [HEARING]


def test_out_outside_working_tree_is_refused(store, tmp_path):
    with pytest.raises(DraftError, match="outside the working tree"):
        export.write(export.rows(store), "csv", "../../etc/x.csv", base=tmp_path)
    assert not (tmp_path.parent.parent / "etc" / "x.csv").exists()
