"""What `tag` stores: labels once, each with strength, evidence and the instrument that implied it,
and the tagger's one-line reason."""

from __future__ import annotations

import json

from tracker.jobs.tagging import tag_store
from tracker.store.queries import label_evidence


def test_reason_and_instrument_evidence_are_stored(db):
    db["items"].insert_all([
        {"id": "t:1", "source": "no_regjeringen_horinger", "kind": "hearing", "url": "u1", "content_hash": "h1",
         "title": "Høring – gjennomføring av CSDDD i norsk rett"},
        {"id": "t:2", "source": "no_regjeringen_horinger", "kind": "hearing", "url": "u2", "content_hash": "h2",
         "title": "Høring om endringer i reglene for skolefritidsordningen"},
    ])
    counts = tag_store(db)
    assert counts == {"tagged": 2, "relevant": 1}
    csddd = db["items"].get("t:1")
    assert csddd["relevant"] == 1 and csddd["relevance_reason"]
    tags = {t["label"]: t for t in label_evidence(csddd)}
    assert {"oecd-ii", "oecd-iv", "oecd-vi", "apenhetsloven"} <= set(tags)  # rule 4 and 5: Norwegian side
    assert all(t["evidence"] for t in tags.values())
    assert tags["oecd-iv"]["instrument"] and "CSDDD" in tags["oecd-iv"]["evidence"][0]["text"]
    school = db["items"].get("t:2")
    assert school["relevant"] == 0 and json.loads(school["labels"]) == [] and school["relevance_reason"]
    assert "tags" not in db.table_names()  # labels are stored once
