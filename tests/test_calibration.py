"""Calibration learns from advisers' label marks, by label, cross-validated, into the data directory."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

from tracker.cli import main
from tracker.workbench import calibration, triage

#: consumer-authority items on green claims: the tagger gives VIII + VI (rule 4); these advisers
#: decided that, for them, only VIII applies, and removed VI on each
GREEN = [
    "Forbrukertilsynet: villedende miljøpåstander i markedsføring av klær",
    "Grønnvasking: bærekraftspåstander i reklame for flyreiser",
    "Veiledning om bærekraftspåstander i markedsføring",
    "Forbrukertilsynet om klimanøytral-påstander i reklame",
    "Miljøpåstander i markedsføringen av tekstiler",
    "Bærekraftspåstander om produkter: ny veiledning fra Forbrukertilsynet",
    "Grønne påstander i markedsføring av elbiler",
]


@pytest.fixture(scope="module")
def tagger():
    from nlp import Tagger

    return Tagger.load()


@pytest.fixture
def store(db, tagger):
    for n, title in enumerate(GREEN):
        result = tagger.tag({"id": n, "title": title, "source": "no_forbrukertilsynet"})
        assert {"oecd-vi", "oecd-viii"} <= set(result.labels)  # the premise of these tests
        db["items"].insert({"id": f"g:{n}", "source": "no_forbrukertilsynet", "kind": "news", "title": title,
                            "url": f"https://example.invalid/{n}", "labels": json.dumps(result.labels),
                            "relevant": int(result.relevant)})
        triage.set_state(db, f"g:{n}", "watching", by="kari")
        triage.mark_labels(db, f"g:{n}", ["-Kap. VI"], by="kari")
    return db


def test_label_marks_lower_that_label_weight_and_nothing_else(store, tagger, tmp_path):
    target = tmp_path / "weights.toml"
    result = calibration.run(store, dry_run=False, weights_path=target, tagger=tagger)
    old, new = result.changes["oecd-vi.weight"]
    assert new < old
    assert set(result.changes) == {"oecd-vi.weight"}
    assert {item for item, _ in result.changed_items} <= {f"g:{n}" for n in range(len(GREEN))}
    assert result.changed_items and all(what == "-oecd-vi" for _, what in result.changed_items)
    from nlp import Tagger

    assert target.exists() and result.written
    fresh = Tagger.load(weights_path=target)
    changed = fresh.tag({"id": "x", "title": GREEN[0], "source": "no_forbrukertilsynet"})
    assert "oecd-vi" not in changed.labels and "oecd-viii" in changed.labels and changed.relevant


def test_dry_run_writes_nothing_and_the_report_is_readable(store, tagger, tmp_path):
    target = tmp_path / "weights.toml"
    result = calibration.run(store, dry_run=True, weights_path=target, tagger=tagger)
    assert not target.exists() and not result.written
    text = calibration.format_report(result)
    assert "oecd-vi.weight" in text and "↓" in text and "dry run: nothing written" in text
    assert "n/a" in text and "nan" not in text  # undefined recall is said, not printed as a float
    assert "items whose decision would change" in text and "g:0: -oecd-vi" in text


def test_too_little_feedback_is_a_clear_error(db, tagger):
    db["items"].insert({"id": "t:1", "source": "s", "kind": "hearing", "title": "x", "url": "u"})
    triage.set_state(db, "t:1", "not_relevant")
    with pytest.raises(calibration.CalibrationError, match="not enough feedback"):
        calibration.run(db, tagger=tagger)


def test_label_marks_in_any_spelling_and_a_bad_one_writes_nothing(db):
    db["items"].insert({"id": "t:1", "source": "s", "kind": "hearing", "title": "x", "url": "u"})
    assert triage.mark_labels(db, "t:1", ["+åpenhetsloven", "+Kap. IV", "-oecd-v"], by="kari") == {
        "apenhetsloven": "+", "oecd-iv": "+", "oecd-v": "-"}
    with pytest.raises(triage.TriageError, match="oecd-iv"):  # the message lists the valid labels
        triage.mark_labels(db, "t:1", ["+kapittel tolv"])
    with pytest.raises(triage.TriageError, match=r"\+LABEL or -LABEL"):
        triage.mark_labels(db, "t:1", ["oecd-iv"])
    assert db["label_marks"].count == 3
    marks = [(r["label_mark"], r["note"]) for r in triage.history(db, "t:1")]
    assert ("+apenhetsloven", None) in marks and ("-oecd-v", None) in marks  # the item's note is not replaced


def test_cli_marks_labels_and_calibrate_writes_to_the_data_directory(store, data_dir, tmp_path):
    db_path = tmp_path / "cli.db"
    store.conn.commit()
    import sqlite3

    backup = sqlite3.connect(db_path)
    store.conn.backup(backup)
    backup.close()
    marked = CliRunner().invoke(main, ["--db", str(db_path), "triage", "g:0", "--label", "+oecd-ii"])
    assert marked.exit_code == 0, marked.output
    assert marked.output.startswith("g:0: temamarkeringer: +Kap. II Generelle prinsipper")
    bad = CliRunner().invoke(main, ["--db", str(db_path), "triage", "g:0", "--state", "respond", "--label", "+xyz"])
    assert bad.exit_code != 0 and "feil: ukjent tema 'xyz'; gyldige temaer: " in bad.output.lower()
    result = CliRunner().invoke(main, ["--db", str(db_path), "calibrate"])
    assert result.exit_code == 0, result.output
    assert (data_dir / "weights.toml").exists() and str(data_dir / "weights.toml") in result.output


def test_a_weights_file_that_cannot_be_read_is_a_clear_error_everywhere(store, data_dir, tmp_path):
    """A broken weights.toml (a hand edit, a restore gone wrong) stopped `tag` with a traceback,
    `run` with "Error: Invalid value (at line 1, column 5)" naming no file, and `calibrate` with
    a traceback. Each names the file and says what to do; nothing tagged before is lost."""
    import sqlite3

    from nlp.lexicon import load_weights

    db_path = tmp_path / "cli.db"
    store.conn.commit()
    backup = sqlite3.connect(db_path)
    store.conn.backup(backup)
    backup.close()
    weights = data_dir / "weights.toml"
    for broken, why in (("x = = =", "TOMLDecodeError"), ('[scoring]\nlabel_min = "high"\n', "ValueError")):
        weights.write_text(broken, "utf-8")
        with pytest.raises(ValueError, match=f"weights file {re.escape(str(weights))} cannot be read \\({why}"):
            load_weights(weights)
        for command in (["tag"], ["calibrate"]):
            result = CliRunner().invoke(main, ["--db", str(db_path), *command])
            assert result.exit_code == 1, result.output
            assert str(weights) in result.stderr and "Traceback" not in result.output
            assert "gjenopprett den, eller fjern den for å merke med de medfølgende vektene" in result.stderr
    assert weights.read_text("utf-8") == broken  # never overwritten by calibrate


def test_an_advisers_marks_are_the_items_labels_and_a_new_tagging_keeps_them(store, tagger):
    """«Tema som mangler eller er feil» changed nothing an adviser could see: a removed topic stayed
    in the item's topics, the inbox, search's label filter, exports and drafts (the marks fed
    calibration only). The item's labels are now the tagger's as marked, at once, and a new
    tagging (a new lexicon, `tag --all`) keeps the marks."""
    from tracker.jobs.tagging import tag_store
    from tracker.store.migrations import m2400_labels_as_marked

    def labels(item_id: str) -> list[str]:
        return json.loads(store["items"].get(item_id)["labels"])

    assert "oecd-vi" not in labels("g:0") and "oecd-viii" in labels("g:0")  # marked -Kap. VI in the fixture
    triage.mark_labels(store, "g:0", ["+Kap. VII"], by="kari")
    assert labels("g:0")[-1] == "oecd-vii"
    assert tag_store(store, tagger=tagger, force=True)["tagged"] == len(GREEN)
    after = store["items"].get("g:0")
    assert "oecd-vi" not in json.loads(after["labels"]) and "oecd-vii" in json.loads(after["labels"])
    assert "oecd-vi" not in json.loads(after["evidence"])  # no evidence for a topic removed
    # marked again the other way: the latest mark counts
    triage.mark_labels(store, "g:0", ["+oecd-vi", "-oecd-vii"], by="per")
    assert "oecd-vi" in labels("g:0") and "oecd-vii" not in labels("g:0")
    # a store whose marks were made before: applied once by the migration
    with store.conn:
        store.execute("update items set labels = ? where id = 'g:1'", [json.dumps(["oecd-viii", "oecd-vi"])])
    m2400_labels_as_marked(store)
    assert labels("g:1") == ["oecd-viii"]
