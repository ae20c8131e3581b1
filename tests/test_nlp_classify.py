"""JSON Lines classification: nlp.classify_stream and python -m nlp.classify."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from nlp import classify_stream
from nlp.tagger import default_tagger

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def tagger():
    return default_tagger()


def test_jsonl_in_out_with_broken_lines(tagger):
    lines = [
        json.dumps({"id": "a", "title": "Høring – endringer i åpenhetsloven"}),
        '{"id": "b", "title": broken',
        "",
        json.dumps({"id": "c", "title": "Consultation on school meals"}),
        "[1, 2, 3]",
        json.dumps({"id": "d", "title": "Etikkrådet", "body": "<p>utelukkelse</p>"}),
        json.dumps({"id": "e", "headline": "Høring om åpenhetsloven", "content": "…"}),
        json.dumps({"id": "f", "title": ""}),  # a text key, empty: an item with no text
    ]
    out, err = io.StringIO(), io.StringIO()
    counts = classify_stream(io.StringIO("\n".join(lines) + "\n"), out, err, tagger=tagger)
    assert counts == (4, 3)
    rows = [json.loads(x) for x in out.getvalue().splitlines()]
    assert [r["id"] for r in rows] == ["a", "c", "d", "f"]
    assert rows[0]["labels"] == ["apenhetsloven", "oecd-ii", "oecd-iv", "oecd-v"]
    assert rows[0]["relevant"] is True and "Åpenhetsloven" in rows[0]["reason"]
    assert rows[1]["labels"] == [] and rows[1]["relevant"] is False
    assert set(rows[0]) == {"id", "language", "labels", "relevant", "relevance", "reason",
                            "reason_en", "evidence"}
    assert "Transparency Act (åpenhetsloven) mentioned" in rows[0]["reason_en"]
    assert {e["instrument"] for e in rows[0]["evidence"]} == {"apenhetsloven"}
    msg = err.getvalue()
    assert "line 2" in msg and "line 5" in msg and "line 4" not in msg
    # a record in another crawler's field names is not read as an empty, irrelevant item
    assert "line 7: no text to classify (none of the keys title, summary, description, text, body)" in msg


def test_empty_input(tagger):
    out, err = io.StringIO(), io.StringIO()
    assert classify_stream(io.StringIO(""), out, err, tagger=tagger) == (0, 0)
    assert out.getvalue() == "" and err.getvalue() == ""


@pytest.mark.parametrize("text", ["", "\n\n"])
def test_empty_input_is_not_a_quiet_success(tmp_path, text):
    """An empty batch exited 0 with no output: it passed for a batch with nothing relevant."""
    from click.testing import CliRunner

    from tracker.cli import main

    result = CliRunner().invoke(main, ["classify"], input=text)
    assert result.exit_code == 1
    assert result.stdout == "" and "no records in the input" in result.stderr
    f = tmp_path / "empty.jsonl"
    f.write_text(text, "utf-8")
    proc = subprocess.run([sys.executable, "-m", "nlp.classify", str(f)], capture_output=True,
                          text=True, cwd=REPO)
    assert proc.returncode == 1 and "no records in the input" in proc.stderr


def test_module_entry_point(tmp_path):
    f = tmp_path / "in.jsonl"
    f.write_text(json.dumps({"id": 1, "title": "Forced labour regulation"}) + "\n{oops\n",
                 encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "nlp.classify", str(f)], capture_output=True,
                          text=True, cwd=REPO)
    assert proc.returncode == 1
    assert sorted(json.loads(proc.stdout.splitlines()[0])["labels"]) == ["oecd-iv", "oecd-v"]
    assert "line 2" in proc.stderr
