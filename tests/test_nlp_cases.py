"""Runs every self-describing case in tests/nlp_cases/*.txt.

Format: header lines ``Description: ...``, ``Expect: {json}`` and optionally ``Field: title|summary|
text``, ``Language: nb``, ``Source: ...``; a blank line; then the text. Without ``Field`` the first
text line is the title and the rest the summary, up to a line ``---`` after which the rest is the
body (``text``). Expect keys: labels, labels_include,
labels_exclude, relevant, language, evidence_text_include, reason_include; and, for what the
lexicons match before the relevance decision (rule 1 drops labels of irrelevant items):
matches_include, matches_exclude, match_text_include.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nlp.tagger import default_tagger

CASES = sorted((Path(__file__).parent / "nlp_cases").glob("*.txt"))


def parse_case(path: Path) -> tuple[dict, dict, str]:
    raw = path.read_text(encoding="utf-8")
    head, _, body = raw.partition("\n\n")
    headers = {}
    for line in head.splitlines():
        key, _, value = line.partition(":")
        headers[key.strip().lower()] = value.strip()
    assert "description" in headers and "expect" in headers, f"{path.name}: missing headers"
    expect = json.loads(headers["expect"])
    body = body.rstrip("\n")
    record: dict = {"id": path.stem}
    if "field" in headers:
        record[headers["field"]] = body
    else:
        title, _, rest = body.partition("\n")
        summary, sep, text = rest.partition("\n---\n")
        record["title"], record["summary"] = title, summary
        if sep:
            record["text"] = text
    for key in ("language", "source"):
        if key in headers:
            record[key] = headers[key]
    return record, expect, headers["description"]


@pytest.fixture(scope="module")
def tagger():
    return default_tagger()


def test_cases_exist():
    assert len(CASES) >= 30


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_case(path: Path, tagger) -> None:
    record, expect, description = parse_case(path)
    res = tagger.tag(record)
    msg = f"{description}: got {res.to_json()}"
    if "labels" in expect:
        assert sorted(res.labels) == sorted(expect["labels"]), msg
    for lab in expect.get("labels_include", []):
        assert lab in res.labels, msg
    for lab in expect.get("labels_exclude", []):
        assert lab not in res.labels, msg
    if "relevant" in expect:
        assert res.relevant is expect["relevant"], msg
    if "language" in expect:
        assert res.language == expect["language"], msg
    if "reason_include" in expect:
        assert expect["reason_include"] in res.reason, msg
    if any(k.startswith("match") for k in expect):
        analysis = next(tagger.analyse_many([record]))
        matched = {h.label for h in analysis.hits}
        assert set(expect.get("matches_include", [])) <= matched, f"{msg} / matched {matched}"
        assert not set(expect.get("matches_exclude", [])) & matched, f"{msg} / matched {matched}"
        hit_texts = [h.text for h in analysis.hits]
        for t in expect.get("match_text_include", []):
            assert t in hit_texts, f"{msg} / matched {hit_texts}"
    texts = [e.text for e in res.evidence]
    for t in expect.get("evidence_text_include", []):
        assert t in texts, msg
    for ev in res.evidence:
        original = record.get(ev.field, "")
        assert original[ev.start : ev.end] == ev.text, msg
