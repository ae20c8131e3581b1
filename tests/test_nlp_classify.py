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
    assert result.stdout == "" and result.stderr == "ingen poster i inndataene: ingenting ble klassifisert\n"
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


def test_a_line_that_is_not_utf8_is_reported_and_the_rest_classified(tmp_path):
    """A Latin-1 line was a UnicodeDecodeError traceback, and the good line before it got no output."""
    from click.testing import CliRunner

    from tracker.cli import main

    data = ('{"id": "a", "title": "Høring om åpenhetsloven"}\n'.encode() + b'{"id": "b", "title": "H\xf8ring"}\n'
            + b'{"id": "c", "title": "Consultation on forced labour"}\n')
    result = CliRunner().invoke(main, ["classify"], input=data)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert [json.loads(x)["id"] for x in result.stdout.splitlines()] == ["a", "c"]
    assert result.stderr == "linje 2: ikke UTF-8-tekst (byte 0xf8 på plass 24); lagre filen som UTF-8\n"
    f = tmp_path / "latin1.jsonl"
    f.write_bytes(data)
    proc = subprocess.run([sys.executable, "-m", "nlp.classify", str(f)], capture_output=True,
                          text=True, cwd=REPO)
    assert proc.returncode == 1 and "line 2: not UTF-8 text" in proc.stderr
    assert [json.loads(x)["id"] for x in proc.stdout.splitlines()] == ["a", "c"]


def test_a_byte_order_mark_is_read_past(tmp_path):
    """A file saved by Excel or Notepad starts with a UTF-8 BOM: "Unexpected UTF-8 BOM" on line 1."""
    from click.testing import CliRunner

    from tracker.cli import main

    data = b"\xef\xbb\xbf" + '{"id": "a", "title": "Høring om åpenhetsloven"}\n'.encode()
    result = CliRunner().invoke(main, ["classify"], input=data)
    assert result.exit_code == 0 and result.stderr == ""
    assert json.loads(result.stdout)["labels"][0] == "apenhetsloven"
    f = tmp_path / "bom.jsonl"
    f.write_bytes(data)
    proc = subprocess.run([sys.executable, "-m", "nlp.classify", str(f)], capture_output=True,
                          text=True, cwd=REPO)
    assert proc.returncode == 0 and json.loads(proc.stdout)["id"] == "a"


@pytest.mark.parametrize(("record", "message"), [
    ({"id": "1", "title": 123}, "line 1: title must be a string, not int"),
    ({"id": "1", "title": "Høring", "summary": ["a", "b"]}, "line 1: summary must be a string, not list"),
    ({"id": "1", "body": {"p": "x"}}, "line 1: body must be a string, not dict"),
    ({"id": "1", "title": None}, "line 1: no text to classify"),
])
def test_a_text_field_that_is_not_a_string_is_a_bad_line(tagger, record, message):
    """{"title": 123} was classified "not relevant" with exit 0: a number read as text."""
    out, err = io.StringIO(), io.StringIO()
    counts = classify_stream(io.StringIO(json.dumps(record) + "\n"), out, err, tagger=tagger)
    assert counts == (0, 1) and out.getvalue() == ""
    assert err.getvalue().startswith(message)


def test_classify_says_its_problems_in_the_readers_language(tmp_path):
    """`ncp-tracker classify` wrote every line of its stderr in English under a Bokmål terminal
    («line 2: invalid JSON: …», «no text to classify …», «'nope.jsonl': No such file or directory»)."""
    from click.testing import CliRunner

    from tracker.cli import main

    lines = '{"a": 1}\nnotjson\n[1]\n{"title": 5}\n'
    result = CliRunner().invoke(main, ["classify"], input=lines)
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr.splitlines() == [
        "linje 1: ingen tekst å klassifisere (ingen av nøklene title, summary, description, text, body)",
        "linje 2: ikke gyldig JSON (Expecting value: line 1 column 1 (char 0))",
        "linje 3: ventet et JSON-objekt, ikke en liste",
        "linje 4: title må være en tekst i anførselstegn, ikke et tall",
    ]
    missing = CliRunner().invoke(main, ["classify", str(tmp_path / "nope.jsonl")])
    assert missing.exit_code == 2
    assert missing.stderr.splitlines()[-1] == (f"feil: ugyldig verdi for '[SOURCE]': '{tmp_path}/nope.jsonl': filen "
                                               "eller mappen finnes ikke")
    folder = CliRunner().invoke(main, ["classify", str(tmp_path)])
    assert folder.stderr.splitlines()[-1] == f"feil: ugyldig verdi for '[SOURCE]': '{tmp_path}': det er en mappe"
