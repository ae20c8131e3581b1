"""Every real capture under tests/fixtures/real/ is verbatim (sha256 = its capturer's sidecar) and is
used by a test: the real bodies decide the structures the parsers rely on."""

from __future__ import annotations

import hashlib
import json

import pytest
from support import FIXTURES, ROOT

REAL = FIXTURES / "real"
BODIES = sorted(p for p in REAL.rglob("*") if p.is_file() and not p.name.endswith((".fetch.json", ".md")))


def test_there_are_real_bodies_for_each_of_my_sources():
    assert {p.parent.name for p in BODIES} >= {"no_regjeringen_horinger", "no_finansdep", "eu_haveyoursay"}
    for folder in {p.parent for p in BODIES}:
        assert (folder / "PROVENANCE.md").is_file(), folder


@pytest.mark.parametrize("body", BODIES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_real_body_is_verbatim_and_used_by_a_test(body):
    sidecar = body.with_name(body.name + ".fetch.json")
    if sidecar.exists():
        assert hashlib.sha256(body.read_bytes()).hexdigest() == json.loads(sidecar.read_text("utf-8"))["sha256"]
    elif body.suffix == ".json":
        json.loads(body.read_text("utf-8"))  # the Have your say answers (no sidecar): valid JSON, as copied
    else:
        import xml.etree.ElementTree as ET

        ET.parse(body)  # the Stortinget excerpt (no sidecar): well-formed XML, as copied
    tests = "".join(p.read_text("utf-8") for p in (ROOT / "tests").glob("test_*.py"))
    assert body.name in tests, f"{body} is not used by any test"
