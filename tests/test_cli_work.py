"""The workbench commands end to end through the CLI (click's runner, a seeded store)."""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner
from docx import Document

from tests.browser.seed import COMMITTEE, HEARING, seed
from tracker.cli import main
from tracker.store.db import open_db


@pytest.fixture
def env(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NCP_TRACKER_DB", str(tmp_path / "t.db"))
    monkeypatch.setenv("NCP_TRACKER_USER", "kari")
    db = open_db(tmp_path / "t.db")
    seed(db)
    db.close()
    return tmp_path


def run(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_digest_to_assigned_item_to_docx(env):
    """The adviser's path: inbox → triage → assign → draft, without leaving ncp-tracker."""
    inbox = run("inbox", "--as-of", "2026-11-24")
    assert inbox.exit_code == 0 and HEARING in inbox.output
    assert run("triage", HEARING, "--state", "respond", "--note", "Svarer sammen med BFD").exit_code == 0
    r = run("triage", HEARING, "--state", "assigned", "--owner", "per", "--deadline", "2026-12-01")
    assert r.exit_code == 0 and "assigned (owner per)" in r.output
    mine = run("inbox", "--owner", "per", "--as-of", "2026-11-24")
    assert HEARING in mine.output and COMMITTEE not in mine.output
    r = run("draft", HEARING, "--out", "utkast")
    assert r.exit_code == 0
    docx = env / "utkast" / "regjeringen_3150001-horingssvar-{}.docx".format(r.output.split("horingssvar-")[1][:10])
    assert docx.exists()
    assert any(p.style.name == "Quote" for p in Document(str(docx)).paragraphs)
    hist = run("triage", HEARING, "--history")
    assert "new" in hist.output and "respond" in hist.output and "kari" in hist.output


def test_triage_errors_are_clear(env):
    r = CliRunner().invoke(main, ["triage", "nope:1", "--state", "respond"])
    assert r.exit_code == 1 and "unknown item id: 'nope:1'" in r.output
    r = CliRunner().invoke(main, ["triage", HEARING, "--state", "published"])
    assert r.exit_code == 1 and "illegal transition new → published" in r.output
    r = CliRunner().invoke(main, ["triage", HEARING, "--state", "respond", "--by", "ola"])
    assert r.exit_code == 0
    db = open_db(env / "t.db")
    assert [h["by"] for h in db.query("select by from triage_history")] == ["ola"]


def test_search_command(env):
    r = run("search", "hoering", "--label", "apenhetsloven")
    assert r.exit_code == 0 and HEARING in r.output
    r = run("search", 'NEAR( "*', "--format", "jsonl")
    assert r.exit_code == 0
    r = CliRunner().invoke(main, ["search", '"*"'])
    assert r.exit_code == 1 and "no words" in r.output
    r = CliRunner().invoke(main, ["search", "høring", "--from", "yesterday"])
    assert r.exit_code == 1 and "--from" in r.output


def test_export_command(env):
    r = run("export", "--format", "csv", "--status", "open")
    rows = list(csv.DictReader(io.StringIO(r.output)))
    assert {row["status"] for row in rows} == {"open"} and len(rows) == 4
    r = run("export", "--format", "json", "--out", "exp/items.json")
    assert r.exit_code == 0
    assert len(json.loads((env / "exp" / "items.json").read_text("utf-8"))) == 5
    r = CliRunner().invoke(main, ["export", "--format", "xlsx"])
    assert r.exit_code == 1 and "needs --out" in r.output
    r = CliRunner().invoke(main, ["export", "--format", "csv", "--out", "../../etc/x.csv"])
    assert r.exit_code == 1 and "outside the working tree" in r.output


def test_draft_errors(env):
    r = CliRunner().invoke(main, ["draft", "nope:1", "--out", "newdir"])
    assert r.exit_code == 1 and "unknown item id" in r.output
    assert not (env / "newdir").exists()
    r = CliRunner().invoke(main, ["draft", HEARING, "--out", "../../etc"])
    assert r.exit_code == 1 and "outside the working tree" in r.output


def test_calibrate_needs_feedback(env):
    r = CliRunner().invoke(main, ["calibrate", "--dry-run"])
    assert r.exit_code == 1 and "not enough feedback" in r.output


def test_close_unanswered_command(env):
    run("triage", COMMITTEE, "--state", "respond")
    r = run("close-unanswered", "--as-of", "2026-12-04")
    assert COMMITTEE in r.output
    assert "closed_unanswered" in run("triage", COMMITTEE).output


def test_answers_for_item(env):
    r = run("answers", "--item", "regjeringen:2477095")
    assert "Norsk Hydro ASA" in r.output and "business" in r.output
