"""What the commands write says what they did: the file a format names, this run's counts, whole
item ids, columns apart (`export --out`, `documents fetch`, the tables)."""

from __future__ import annotations

import json
import re

from click.testing import CliRunner
from test_cli import scrape

from tracker.cli import main


def invoke(*args, db):
    return CliRunner().invoke(main, ["--db", str(db), *args])


#: an item id as long as Lovdata's («no_lovdata:LTI/delegering/2026-11-23-2130»): longer than the 40
#: characters a table cell was cut at
LONG_NATIVE = "LTI/delegering/2026-11-23-2130"
LONG_ID = f"no_regjeringen_horinger:{LONG_NATIVE}"


def test_tables_never_cut_an_item_id(tmp_path, as_of):
    """`items` and `search` cut the id, the handle `triage`, `draft` and `documents show` take, to
    40 characters («no_lovdata:LTI/delegering/2026-11-23-21…» for …-2130); now the id is whole
    and the title is what is cut."""
    db = tmp_path / "long.db"
    title = "Høring – åpenhetsloven og " + "en svært lang tittel " * 6
    scrape(db, as_of, native_id=LONG_NATIVE, url="https://lovdata.no/LTI/delegering/2026-11-23-2130", title=title)
    for args in (("items",), ("search", "åpenhetsloven")):
        result = invoke(*args, db=db)
        assert result.exit_code == 0, result.output
        row = re.split(r"\s{2,}", result.output.splitlines()[1])
        assert row[0] == LONG_ID, (args, row)
        assert "…" in result.output and title.strip() not in result.output  # the title is cut
    assert invoke("documents", "show", LONG_ID, db=db).exit_code == 1  # the id taken whole: no documents


def test_export_writes_the_format_its_file_name_ends_in(tmp_path, as_of):
    """`export --out x.xlsx` without --format wrote CSV text into x.xlsx and said «1 sak → x.xlsx»,
    exit 0: no spreadsheet opened it as a workbook. Now the name's ending is the format (.xlsx,
    .json, .csv; any other: csv, as before)."""
    from openpyxl import load_workbook

    db = tmp_path / "x.db"
    scrape(db, as_of)
    book = tmp_path / "apne.xlsx"
    result = invoke("export", "--out", str(book), db=db)
    assert (result.exit_code, result.stderr) == (0, f"1 sak → {book}\n")
    sheet = load_workbook(book).active
    assert [cell.value for cell in sheet[1]][:2] == ["ID", "Kilde"]
    assert sheet["A2"].value == "regjeringen:3100001"
    shouting = tmp_path / "APNE.XLSX"
    assert invoke("export", "--out", str(shouting), db=db).exit_code == 0
    assert load_workbook(shouting).active["A2"].value == "regjeringen:3100001"
    data = tmp_path / "apne.json"
    assert invoke("export", "--out", str(data), db=db).exit_code == 0
    assert [row["id"] for row in json.loads(data.read_text("utf-8"))] == ["regjeringen:3100001"]
    text = tmp_path / "apne.txt"  # no format's ending: CSV, the default
    assert invoke("export", "--out", str(text), db=db).exit_code == 0
    assert text.read_text("utf-8-sig").startswith("ID;Kilde;")


def test_export_refuses_a_format_its_file_name_contradicts(tmp_path, as_of):
    """`export --format csv --out x.xlsx` wrote CSV text under a workbook's name; now refused,
    exit 2, in the reader's words, and nothing is written."""
    db = tmp_path / "x.db"
    scrape(db, as_of)
    book = tmp_path / "apne.xlsx"
    result = invoke("export", "--format", "csv", "--out", str(book), db=db)
    assert (result.exit_code, result.stderr) == (
        2, f"feil: --format csv passer ikke til filnavnet {book} (en .xlsx-fil): sløyf --format for å skrive xlsx, "
           "eller la filnavnet slutte på .csv\n")
    assert not book.exists()
    english = invoke("export", "--format", "xlsx", "--out", str(tmp_path / "a.json"), "--lang", "en", db=db)
    assert (english.exit_code, english.stderr) == (
        2, f"error: --format xlsx does not fit the file name {tmp_path / 'a.json'} (a .json file): leave out --format "
           "to write json, or end the file name in .xlsx\n")
    assert invoke("export", "--format", "xlsx", "--out", str(book), db=db).exit_code == 0  # agreeing: written
    assert invoke("export", "--format", "json", "--out", str(tmp_path / "a.jsonl"), db=db).exit_code == 0


def test_a_redline_is_refused_under_a_name_that_is_no_docx(tmp_path, as_of):
    """`documents redline ID --out r.pdf` wrote a .docx into r.pdf (no PDF reader opens it); now
    refused before any work, exit 2, in the reader's words."""
    db = tmp_path / "x.db"
    scrape(db, as_of)
    pdf = tmp_path / "r.pdf"
    result = invoke("documents", "redline", "regjeringen:3100001", "--out", str(pdf), db=db)
    assert (result.exit_code, result.stderr) == (
        2, f"feil: {pdf}: endringene skrives som et Word-dokument (.docx); la filnavnet slutte på .docx\n")
    assert not pdf.exists()
    english = invoke("documents", "redline", "regjeringen:3100001", "--out", "r", "--lang", "en", db=db)
    assert (english.exit_code, english.stderr) == (
        2, "error: r: the changes are written as a Word document (.docx); end the file name in .docx\n")
    docx = invoke("documents", "redline", "regjeringen:3100001", "--out", str(tmp_path / "r.DOCX"), db=db)
    assert docx.exit_code == 1 and "Word" not in docx.stderr, docx.stderr  # past the name: no change to write
