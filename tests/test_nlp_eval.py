"""The evaluation sets stay honest: the real set's split is made once and is complete, the copy
is verbatim, no held-out title is a test case, and no lexicon or register phrase occurs only in
the constructed set's held-out part."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from nlp.eval import load_real, load_split
from nlp.paths import DEVSET_DIR

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared" / "real-samples" / "labelled" / "devset-real.jsonl"


def _build_module():
    spec = importlib.util.spec_from_file_location("devset_build", DEVSET_DIR / "build.py")
    mod = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(mod)
    return mod


def test_real_split_is_disjoint_complete_and_seeded():
    split = json.loads((DEVSET_DIR / "real-split.json").read_text(encoding="utf-8"))
    tune, held = set(split["tune"]), set(split["heldout"])
    assert not tune & held and split["seed"]
    ids = {json.loads(x)["id"] for x in (DEVSET_DIR / "real" / "devset-real.jsonl").read_text(
        encoding="utf-8").splitlines() if x.strip()}
    assert tune | held == ids and len(ids) == 265
    assert len(load_real("tune")) == len(tune) and len(load_real("heldout")) == len(held)


@pytest.mark.skipif(not SHARED.exists(), reason="shared/ not mounted here")
def test_real_copy_is_verbatim():
    assert (DEVSET_DIR / "real" / "devset-real.jsonl").read_bytes() == SHARED.read_bytes()


def test_no_held_out_title_is_a_test_case():
    mod = _build_module()
    lines = set(mod.case_lines())
    for item in load_real("heldout") + load_split("heldout"):
        assert mod.norm(item["title"]) not in lines


def test_no_lexicon_phrase_occurs_only_in_constructed_heldout():
    mod = _build_module()
    tune = "\n".join(mod.norm(i["title"] + " \n " + i["description"]) for i in load_split("tune"))
    held = [mod.norm(i["title"] + " \n " + i["description"]) for i in load_split("heldout")]
    only = [p for p in mod.lexicon_phrases() if not mod.contains(tune, p)
            and any(mod.contains(h, p) for h in held)]
    assert not only, f"re-run python data/devset/build.py: {only[:5]}"
