"""`tag_store` streams: bounded batches read by rowid, each committed on its own; all items tagged
once, nothing tagged twice, an unchanged store tags nothing, `--all` (force) tags everything again."""

from __future__ import annotations

import json
from datetime import datetime

import pytest

from crawlers.dates import OSLO
from nlp.tagger import default_tagger
from tracker.jobs import tagging
from tracker.store import merge as store
from tracker.store.db import open_db

TITLES = ["Høring om endringer i åpenhetsloven", "Consultation on corporate sustainability due diligence",
          "Forskrift om fiskeriregulering", "Statens pensjonsfond utland: forvaltningsmandat",
          "Høring om menneskerettigheter i leverandørkjeder", "Endring i skatteloven", "Barnehageloven",
          "Tvangsarbeid og import", "Høring om arbeidsmiljøloven"]


@pytest.fixture(scope="module")
def tagger():
    return default_tagger()


@pytest.fixture
def db(tmp_path):
    db = open_db(tmp_path / "t.db")
    as_of = datetime(2026, 11, 24, 6, tzinfo=OSLO)
    run = store.start_run(db, as_of=as_of, mode="test", sources=["no_lovdata"])
    store.apply_scrape(db, run_id=run, as_of=as_of, source="no_lovdata", items=[
        {"source": "no_lovdata", "kind": "law_change", "native_id": str(n), "title": t,
         "url": f"https://lovdata.no/{n}", "language": "en" if "Consultation" in t else "nb"}
        for n, t in enumerate(TITLES)])
    yield db
    db.close()


def test_pending_items_come_in_bounded_batches(db, tagger):
    batches = list(tagging._pending(db, tagger.version, False, batch=4))
    assert [len(b) for b in batches] == [4, 4, 1]
    ids = [r["id"] for b in batches for r in b]
    assert len(ids) == len(set(ids)) == len(TITLES)


def test_tag_store_tags_each_item_once_and_force_tags_all_again(db, tagger):
    assert tagging.tag_store(db, tagger=tagger, batch=4)["tagged"] == len(TITLES)
    rows = list(db.query("select id, title, labels, tagger_version, tagged_hash, content_hash, evidence from items"))
    assert all(r["tagger_version"] == tagger.version and r["tagged_hash"] == r["content_hash"] for r in rows)
    apl = next(r for r in rows if "åpenhetsloven" in r["title"])
    assert "apenhetsloven" in json.loads(apl["labels"])
    assert json.loads(apl["evidence"])["apenhetsloven"]["evidence"]  # spans kept beside the label
    assert tagging.tag_store(db, tagger=tagger, batch=4)["tagged"] == 0
    assert tagging.tag_store(db, tagger=tagger, batch=4, force=True)["tagged"] == len(TITLES)
    # a changed item is tagged again, alone
    db.execute("update items set content_hash = 'changed' where id = ?", [apl["id"]])
    db.conn.commit()
    assert tagging.tag_store(db, tagger=tagger, batch=4)["tagged"] == 1
