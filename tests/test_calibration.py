"""Calibration from triage marks moves the tagger's weights in the expected direction."""

from __future__ import annotations

import pytest

from tracker.workbench import calibration, triage

LABOUR = [
    ("a1", "Høring - endringer i arbeidsmiljøloven om innleie fra bemanningsforetak"),
    ("a2", "Høring om arbeidstid for sjåfører i arbeidsmiljøloven"),
    ("a3", "Endringer i arbeidsmiljøloven - varsling"),
]
KEEP = [
    ("k1", "Høring - endringer i åpenhetsloven", "respond"),
    ("k2", "Høring om menneskerettigheter i leverandørkjeden", "watching"),
]


@pytest.fixture(scope="module")
def tagger():
    from nlp import Tagger

    return Tagger.load()


@pytest.fixture
def store(db):
    rows = [{"id": f"t:{i}", "source": "no_regjeringen_horinger", "kind": "hearing", "title": t,
             "url": f"https://example.invalid/{i}", "status": "open"} for i, t in LABOUR]
    rows += [{"id": f"t:{i}", "source": "no_stortinget_horinger", "kind": "committee_hearing", "title": t,
              "url": f"https://example.invalid/{i}", "status": "open"} for i, t, _ in KEEP]
    db["items"].insert_all(rows)
    for i, _ in LABOUR:
        triage.set_state(db, f"t:{i}", "not_relevant", by="kari")
    for i, _, state in KEEP:
        triage.set_state(db, f"t:{i}", state, by="kari")
    return db


def test_not_relevant_marks_lower_the_label_weight(store, tagger, tmp_path):
    target = tmp_path / "weights.toml"
    result = calibration.run(store, dry_run=False, weights_path=target, tagger=tagger)
    old, new = result.changes["oecd-v.weight"]
    assert new < old
    assert "apenhetsloven.weight" not in result.changes and "oecd-iv.weight" not in result.changes
    # the labour items were false positives before and are not after
    assert result.before["oecd-v"][0] == 0.0
    assert result.after["relevance"][0] > result.before["relevance"][0]
    assert result.after["relevance"][1] == 1.0  # the items advisers kept stay relevant
    assert "source:no_regjeringen_horinger" in result.before
    # written, and a tagger loaded from the file no longer flags the labour items
    from nlp import Tagger

    assert target.exists() and result.written
    fresh = Tagger.load(weights_path=target)
    assert fresh.weights.label_weight("oecd-v") == pytest.approx(new)
    assert not fresh.tag({"id": "x", "title": LABOUR[0][1], "source": "no_regjeringen_horinger"}).relevant
    assert fresh.tag({"id": "y", "title": KEEP[0][1], "source": "no_stortinget_horinger"}).relevant


def test_dry_run_writes_nothing_and_report_says_what_changed(store, tagger, tmp_path):
    target = tmp_path / "weights.toml"
    result = calibration.run(store, dry_run=True, weights_path=target, tagger=tagger)
    assert not target.exists() and not result.written
    text = calibration.format_report(result)
    assert "oecd-v.weight" in text and "↓" in text
    assert "source:no_stortinget_horinger" in text and "P before" in text
    assert "dry run: nothing written" in text


def test_too_little_feedback_is_a_clear_error(db, tagger):
    db["items"].insert({"id": "t:1", "source": "s", "kind": "hearing", "title": "x", "url": "u"})
    triage.set_state(db, "t:1", "not_relevant")
    with pytest.raises(calibration.CalibrationError, match="not enough feedback"):
        calibration.run(db, tagger=tagger)
