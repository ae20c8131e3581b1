"""What the commands write says what they did: the file a format names, this run's counts, whole
item ids, columns apart (`export --out`, `documents fetch`, the tables)."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest
from click.testing import CliRunner
from support import ROOT
from test_cli import _health_db, scrape

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
        row = re.split(r"\s{2,}", result.stdout.splitlines()[1])
        assert row[0] == LONG_ID, (args, row)
        assert "…" in result.output and title.strip() not in result.output  # the title is cut
    assert invoke("documents", "show", LONG_ID, db=db).exit_code == 1  # the id taken whole: no documents


def test_tables_fit_the_readers_terminal_by_cutting_the_title(tmp_path, as_of, monkeypatch):
    """In a terminal the tables ran past its width (search 263 columns, inbox 224: every row
    wrapped). Now the title and the snippet are cut to fit it — the id and the other columns whole;
    piped (no terminal), the whole cells as before."""
    import tracker.cli.support as support

    db = tmp_path / "long.db"
    title = "Høring – åpenhetsloven og " + "en svært lang tittel " * 6
    scrape(db, as_of, native_id=LONG_NATIVE, url="https://lovdata.no/LTI/delegering/2026-11-23-2130", title=title)
    piped = invoke("search", "åpenhetsloven", db=db).stdout.splitlines()
    assert max(map(len, piped)) > 160
    monkeypatch.setattr(support, "terminal_columns", lambda err=False: 160)
    for args in (("items",), ("search", "åpenhetsloven")):
        lines = invoke(*args, db=db).stdout.splitlines()
        assert max(map(len, lines)) <= 160, (args, lines)
        row = re.split(r"\s{2,}", lines[1])
        assert row[0] == LONG_ID and any(cell.endswith("…") and cell.startswith("Høring – åpenhetsloven")
                                         for cell in row), row


@pytest.mark.parametrize("columns", [80, 30])
def test_a_table_too_wide_for_the_terminal_is_shown_a_row_at_a_time(tmp_path, as_of, monkeypatch, columns):
    """Where even the cut title left a table wider than the terminal (`inbox` ~200 columns, `items`
    at 30), the terminal broke every row anywhere: at 80 columns an inbox row read as two lines of
    columns no heading stood over, the title cut to 20 characters. Now a row at a time: the title
    whole, wrapped between words, then each other column as «Heading: value», never broken
    between lines (the id whole), every line within the terminal."""
    import tracker.cli.support as support

    db = tmp_path / "long.db"
    title = "Høring – åpenhetsloven og " + "en svært lang tittel " * 6
    scrape(db, as_of, native_id=LONG_NATIVE, url="https://lovdata.no/LTI/delegering/2026-11-23-2130", title=title)
    monkeypatch.setattr(support, "terminal_columns", lambda err=False: columns)
    for args in (("items",), ("search", "åpenhetsloven")):
        lines = invoke(*args, db=db).stdout.splitlines()
        # within the terminal, but a pair of one word too long for it (at 30: the id, the source)
        assert all(len(line) < columns or " " not in line.strip().split(": ", 1)[-1] for line in lines), lines
        heading = [line for line in lines if not line.startswith(" ")]
        assert " ".join(heading) == title.strip(), lines  # one row: its title, whole
        pairs = [pair for line in lines if line.startswith("    ") for pair in line.strip().split(" · ")]
        assert f"Id: {LONG_ID}" in pairs, pairs
        assert not any(line.startswith(("Id ", "Tittel ")) for line in lines)  # no header row
    seeded = _health_db(tmp_path)  # an inbox of four hearings
    lines = invoke("inbox", "--as-of", "2026-11-24T08:00", db=seeded).stdout.splitlines()
    assert all(len(line) < columns or " " not in line.strip().split(": ", 1)[-1] for line in lines), lines
    if columns == 80:  # each title on a line, its columns under it
        assert [line for line in lines if not line.startswith(" ")][:2] == [
            "Endringer i regnskapsloven (bærekraftsrapportering)",
            "Høring - endringer i åpenhetsloven (gjennomføring av aktsomhetsdirektivet)"], lines
        assert lines[1].startswith("    Uke: neste uke · Relevans: 0,70 · "), lines
    assert any(line.strip() == "Id: no_stortinget_horinger:10423" for line in lines), lines


def test_export_writes_the_format_its_file_name_ends_in(tmp_path, as_of):
    """`export --out x.xlsx` without --format wrote CSV text into x.xlsx and said «1 sak → x.xlsx»,
    exit 0: no spreadsheet opened it as a workbook. Now the name's ending is the format (.xlsx,
    .json, .csv; any other: csv, as before)."""
    from openpyxl import load_workbook

    db = tmp_path / "x.db"
    scrape(db, as_of)
    book = tmp_path / "apne.xlsx"
    result = invoke("export", "--out", str(book), db=db)
    assert (result.exit_code, result.stderr.splitlines()[-1]) == (0, f"1 sak → {book}")
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


def test_the_digest_writes_the_format_its_file_name_ends_in(tmp_path, as_of):
    """`digest --out i-dag.html` without --format wrote Markdown into i-dag.html (a browser showed
    «# Kontaktpunktet …» as text); now the name's ending is the format, and a --format the name
    contradicts is refused (exit 2), nothing written."""
    db = tmp_path / "x.db"
    scrape(db, as_of)
    page = tmp_path / "i-dag.html"
    result = invoke("digest", "--date", "2026-11-24", "--out", str(page), "--allow-red", db=db)
    assert result.exit_code == 0, result.output
    assert page.read_text("utf-8").lstrip().lower().startswith("<!doctype html>")
    text = tmp_path / "i-dag.txt"
    assert invoke("digest", "--date", "2026-11-24", "--out", str(text), "--allow-red", db=db).exit_code == 0
    assert text.read_text("utf-8").startswith("Kontaktpunktet: morgenoversikt")
    plain = tmp_path / "i-dag"  # no format's ending: Markdown, the default
    assert invoke("digest", "--date", "2026-11-24", "--out", str(plain), "--allow-red", db=db).exit_code == 0
    assert plain.read_text("utf-8").startswith("# Kontaktpunktet: morgenoversikt")
    wrong = tmp_path / "feil.html"
    result = invoke("digest", "--date", "2026-11-24", "--format", "md", "--out", str(wrong), "--allow-red", db=db)
    assert (result.exit_code, result.stderr) == (
        2, f"feil: --format md passer ikke til filnavnet {wrong} (en .html-fil): sløyf --format for å skrive html, "
           "eller la filnavnet slutte på .md\n")
    assert not wrong.exists()


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


def test_documents_fetch_says_this_runs_counts_and_what_was_asked(tmp_path, data_dir):
    """`documents fetch --item X` said «0 lenker sjekket; dokumenter: 81 kunne ikke hentes, 9
    hentet; …»: the whole database's documents in a sentence about this run. Now the sentence counts
    the links this run checked; how the item's documents stand (with --item), or the store's (without),
    follows on its own line, named as such."""
    from tracker.store.db import open_db

    db_path = tmp_path / "t.db"
    db = open_db(db_path)
    base = "https://www.regjeringen.no/contentassets/abc"
    at = "2026-11-23T05:00:00+00:00"

    def item(item_id, status, docs):
        db["items"].insert({"id": item_id, "source": "no_regjeringen_horinger", "kind": "hearing", "title": item_id,
                            "url": f"https://x.no/{item_id}", "status": status, "first_seen": at,
                            "last_changed": at, "relevance": 0.05, "relevant": 0, "labels": "[]",
                            "documents": json.dumps([{"title": f, "url": f"{base}/{f}", "type": "høringsnotat"}
                                                     for f in docs])}, pk="id")

    item("regjeringen:1", "open", ["horingsnotat.pdf", "borte.pdf"])
    item("regjeringen:2", "open", ["feil.pdf"])
    # another item's document that failed long ago (a closed hearing's: never fetched again)
    item("regjeringen:3", "closed", ["gammel.pdf"])
    db["documents"].insert({"item_id": "regjeringen:3", "url": f"{base}/gammel.pdf", "status": "failed",
                            "checked_at": at, "http_status": 503}, alter=True)
    db.close()
    replay = str(ROOT / "tests" / "fixtures" / "documents" / "day")

    english = tmp_path / "en.toml"
    english.write_text(f'[tracker]\ndata_dir = "{data_dir}"\n[digest]\nlang = "en"\n', "utf-8")

    def fetch(*args, config=None):  # a process each: a crawl's reactor runs once per process
        return subprocess.run([sys.executable, "-m", "tracker", *(("--config", str(config)) if config else ()),
                               "--db", str(db_path), "documents", "fetch", "--replay", replay, "--as-of",
                               "2026-11-24T06:00", *args], cwd=ROOT, capture_output=True, text=True, timeout=300)

    first = fetch("--item", "regjeringen:1")
    assert first.returncode == 0, first.stderr[-2000:]
    did, stands = first.stdout.splitlines()
    assert did.startswith("2 lenker sjekket; dokumenter: 1 kunne ikke hentes, 1 hentet; lest 1, "), did
    assert stands == "alle dokumentene til regjeringen:1 nå: 1 kunne ikke hentes, 1 hentet"
    again = fetch("--item", "regjeringen:1", config=english)  # nothing left to fetch: nothing counted as done
    assert again.stdout.splitlines() == [
        "0 links checked; documents: none; read 0, scanned 0, unreadable 0; 0 new provision hits; 0 items raised",
        "all documents of regjeringen:1 now: 1 could not be fetched, 1 fetched"], again.stderr[-2000:]
    rest = fetch()  # every live item's: the other item's one link; the whole store on its own line
    assert rest.stdout.splitlines()[0].startswith("1 lenke sjekket; dokumenter: 1 avvist; "), rest.stderr[-2000:]
    assert rest.stdout.splitlines()[1:] == ["alle dokumentene i databasen nå: 2 kunne ikke hentes, 1 hentet, 1 avvist"]


def test_the_companies_list_keeps_two_spaces_after_the_longest_source(tmp_path):
    """`companies` gave the source 24 characters and one space: «no_regjeringen_horingssvar» (26)
    ran into its title. Now the column is as wide as its longest code, two spaces from the titles."""
    from datetime import datetime

    from crawlers.dates import OSLO
    from tracker.links.companies import update_companies
    from tracker.store import merge as store
    from tracker.store.db import open_db

    path = tmp_path / "c.db"
    db = open_db(path)
    as_of = datetime(2026, 11, 24, 6, tzinfo=OSLO)
    for source, nid, title in (("no_regjeringen_horingssvar", "svar-1", "Høringssvar fra Caterpillar Inc."),
                               ("no_nbim", "2025/x", "Decision on exclusion of Caterpillar Inc.")):
        run = store.start_run(db, as_of=as_of, mode="test", sources=[source])
        store.apply_scrape(db, run_id=run, as_of=as_of, source=source, items=[
            {"source": source, "kind": "news", "native_id": nid, "title": title, "body": "",
             "published": "2026-11-20T10:00:00+01:00", "url": f"https://example.org/{nid}"}])
        store.finish_run(db, run, 0)
    update_companies(db)
    db.close()
    result = invoke("companies", "caterpillar", db=path)
    assert result.exit_code == 0, result.output
    rows = [line for line in result.output.splitlines() if line.startswith("  fre. 20.11.2026")]
    assert len(rows) == 2, result.output
    starts = {row.index(title) for row, title in zip(sorted(rows), ("Decision", "Høringssvar"), strict=True)}
    assert len(starts) == 1, rows  # the titles in one column
    assert all(row[min(starts) - 2:min(starts)] == "  " for row in rows), rows


def test_calibrations_changes_keep_two_spaces_after_the_longest_setting(tmp_path):
    """«what changed» gave the setting's name 28 characters or its own length, and one space: a
    weight's long name (a chapter's) ran into its figures. Now two spaces, the longest's too."""
    from tracker.workbench import calibration

    result = calibration.CalibrationResult(
        positives=3, negatives=2, before={"relevance": (0.5, 1.0)}, after={"relevance": (0.75, 1.0)},
        changes={"relevance_threshold": (0.35, 0.4), "oecd-ix.weight": (1.0, 1.5)},
        weights_path=tmp_path / "weights.toml", written=False, dry_run=True, per_source_counts={"no_lovdata": 5},
        skipped={}, changed_items=[])
    text = calibration.format_report(result, "nb")
    rows = [line for line in text.splitlines() if "→" in line and line.startswith("  ")]
    assert len(rows) == 2, text
    figures = {row.index(" 1 →") + 1 if " 1 →" in row else row.index(" 0,35 →") + 1 for row in rows}
    assert len(figures) == 1 and all(row[min(figures) - 2:min(figures)] == "  " for row in rows), rows


def test_a_crawls_health_lines_keep_two_spaces_after_each_column(capsys):
    """A crawl's source health lines gave the status 8 characters and one space: «advarsel» filled
    it («advarsel saker:»), and the channel «sparql» ran into the reason. Now two spaces."""
    from tracker.cli.pipeline import _print_health

    _print_health([{"source": "eu_cellar", "status": "amber", "items_seen": 32, "items_new": 3, "items_changed": 0,
                    "channel": "sparql", "reason": "unchecked"}], "nb")
    line = capsys.readouterr().err.splitlines()[1]
    assert "  advarsel  saker:" in line and " sparql  " in line, line


def test_health_marks_a_stale_source_in_its_row_only_among_fresh_ones(tmp_path):
    """`health` of a store no crawl has checked for 36 hours said «(ikke sjekket på over 36 timer)»
    in every row, under the banner that names each of them; now a row says it only where it sets
    the source apart from the others."""
    from datetime import datetime

    from crawlers.dates import OSLO
    from tracker.store import health
    from tracker.store import merge as store
    from tracker.store.db import open_db
    from tracker.store.instants import stored

    path = tmp_path / "h.db"
    db = open_db(path)
    for source, day in (("no_lovdata", 24), ("no_nbim", 30)):
        as_of = datetime(2026, 11, day, 6, tzinfo=OSLO)
        run = store.start_run(db, as_of=as_of, mode="test", sources=[source])
        with db.conn:
            health.record(db, run, health.SourceRun(source=source, items_seen=3), stored(as_of))
        store.finish_run(db, run, 0)
    db.close()
    some = invoke("health", "--as-of", "2026-12-01T09:00", db=path)
    rows = {line.split()[0]: line for line in some.stdout.splitlines()[1:]}
    assert rows["Lovdata"].endswith("tir. 24.11.2026 kl. 06.00 (ikke sjekket på over 36 timer)  3 saker, nye: 0, endret: 0")
    assert "(ikke" not in rows["Norges"] and "advarsel: Ikke sjekket på over 36 timer: Lovdata\n" in some.stderr
    every = invoke("health", "--as-of", "2026-12-08T09:00", db=path)
    assert every.exit_code == 2 and "(ikke" not in every.stdout, every.stdout
    assert "advarsel: Ikke sjekket på over 36 timer: Lovdata, Norges Bank" in every.stderr, every.stderr


def test_a_row_at_a_time_is_headed_by_the_column_that_says_what_it_is(monkeypatch, capsys):
    """`documents provisions` in a narrow terminal headed each hit by its event number («255»),
    its text in a pair under it; a table names the column that heads its rows (the hit), else an
    item's title heads them, else the first column."""
    import tracker.cli.support as support

    monkeypatch.setattr(support, "terminal_columns", lambda err=False: 40)
    rows = [{"event": 255, "line": "Nytt forslag berører CSDDD art. 8 – høringsnotat s. 3", "item": "regjeringen:3150100"}]
    support.print_table(rows, ["event", "line", "item"], heading="line", headers={"event": "Hendelse", "line": "Treff"})
    assert capsys.readouterr().out.splitlines() == [
        "Nytt forslag berører CSDDD art. 8 –", "høringsnotat s. 3", "    Hendelse: 255", "    item: regjeringen:3150100"]
    support.print_table(rows, ["event", "line", "item"], headers={"event": "Hendelse", "line": "Treff"})
    assert capsys.readouterr().out.splitlines()[0] == "255"


def test_a_views_line_is_never_cut_inside_a_word_in_a_very_narrow_terminal(monkeypatch, capsys):
    """`echo_fitted` moves a line's text under its columns where its column leaves it too little —
    only at a column's start: a line whose next lines hang at 4 («  merknad: …») was cut inside
    its first word («  me» / «rknad: …») in a terminal under 35 columns."""
    import tracker.cli.support as support

    monkeypatch.setattr(support, "terminal_columns", lambda err=False: 30)
    support.echo_fitted("  merknad: Omnibus I gjelder foretak med over 1 000 ansatte", 4)
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("  merknad: Omnibus") and all(len(line) < 30 for line in lines), lines
    support.echo_fitted("  tir. 24.11.2026  Høringsfrist  Høring – endringer i verdipapirhandelloven", 32, narrow=19)
    assert capsys.readouterr().out.splitlines()[:2] == ["  tir. 24.11.2026  Høringsfrist",
                                                        " " * 19 + "Høring – endringer i"]
