"""Links: items citing the same reference (or the same watched file) are related, both ways."""

from __future__ import annotations

import pytest

from crawlers.watchlist_file import WatchlistError, parse
from tracker.links.related import item_refs, related, related_map, update_links
from tracker.store import ids
from tracker.store import merge as store

WATCH = parse("""\
[[file]]
id = "csddd"
name = "CSDDD"
act = "Directive (EU) 2024/1760"
celex = "32024L1760"
procedure = "2022/0051(COD)"

[[file]]
id = "csrd"
name = "CSRD"
celex = "32022L2464"
refs = ["NOU 2023: 15", "Prop. 57 L (2023–2024)"]
""")

ITEMS = [
    {"source": "no_regjeringen_horinger", "kind": "hearing", "native_id": "3150100",
     "title": "Høring - gjennomføring av aktsomhetsdirektivet (direktiv (EU) 2024/1760) i åpenhetsloven",
     "url": "https://www.regjeringen.no/no/dokumenter/horing-aktsomhet/id3150100/"},
    {"source": "eu_oeil", "kind": "eu_procedure", "native_id": "2022/0051(COD)",
     "title": "Corporate sustainability due diligence – 2022/0051(COD)", "reference": "2022/0051(COD)",
     "url": "https://oeil.secure.europarl.europa.eu/oeil/en/procedure-file?reference=2022/0051(COD)",
     "extra": {"watch": "csddd"}},
    {"source": "eu_cellar", "kind": "eu_act_update", "native_id": "32024L1760",
     "title": "Directive (EU) 2024/1760 on corporate sustainability due diligence",
     "url": "https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:32024L1760"},
    {"source": "no_eos_notater", "kind": "eea_note", "native_id": "2951111",
     "title": "Bærekraftsrapportering", "body": "Gjennomført ved Prop. 57 L (2023-2024).",
     "url": "https://www.regjeringen.no/no/sub/eos-notatbasen/notatene/2021/apr/x/id2951111/"},
    {"source": "eu_haveyoursay", "kind": "eu_consultation", "native_id": "18812",
     "title": "Sustainability reporting – revised ESRS", "body": "Commission documents: COM(2025)81",
     "url": "https://ec.europa.eu/info/law/better-regulation/have-your-say/initiatives/18812-x_en"},
    {"source": "no_regjeringen_horinger", "kind": "hearing", "native_id": "3150200",
     "title": "Høring - endringer i politiloven", "url": "https://www.regjeringen.no/no/dokumenter/x/id3150200/"},
]


def iid(n: int) -> str:
    """The store's id of ITEMS[n] (decided by tracker.store.ids, not by this test)."""
    item = ITEMS[n]
    return ids.item_id(item["source"], item["native_id"], item["url"])


HEARING, PROC, ACT, NOTE, HYS, OTHER = (iid(n) for n in range(6))


@pytest.fixture
def filled(db, as_of):
    run = store.start_run(db, as_of=as_of, mode="test", sources=[])
    for source in {i["source"] for i in ITEMS}:
        store.apply_scrape(db, run_id=run, as_of=as_of, source=source,
                           items=[i for i in ITEMS if i["source"] == source])
    update_links(db, entries=WATCH)
    return db


def test_item_refs_text_and_watch():
    refs = item_refs(ITEMS[0], WATCH)
    assert refs == {"celex:32024L1760", "eu:2024/1760", "watch:csddd"}


def test_item_refs_from_extra_watch():
    assert "watch:csddd" in item_refs(ITEMS[1], WATCH)


def test_hearing_related_to_eu_act_and_procedure(filled):
    rel = {r["id"]: r for r in related(filled, HEARING)}
    assert set(rel) == {ACT, PROC}
    act = rel[ACT]
    assert act["ref"] == "celex:32024L1760"
    assert act["how"] == "text"
    assert {k: act[k] for k in ("title", "kind", "source", "url")} == {
        "title": ITEMS[2]["title"], "kind": "eu_act_update", "source": "eu_cellar", "url": ITEMS[2]["url"]}
    # the procedure shares only the watched file
    assert rel[PROC]["ref"] == "watch:csddd"
    assert rel[PROC]["how"] == "watchlist"


def test_links_both_directions(filled):
    back = [r["id"] for r in related(filled, ACT)]
    assert HEARING in back


def test_watch_refs_link_norwegian_prop_to_csrd(filled):
    rel = related(filled, NOTE)
    assert rel == []  # nothing else cites CSRD in this set
    refs = [r for (r,) in filled.execute("select ref from refs where item_id = ?", [NOTE])]
    assert sorted(refs) == ["prop:57L:2023-2024", "watch:csrd"]


def test_unrelated_item_has_no_links(filled):
    assert related(filled, OTHER) == []


def test_related_map(filled):
    mapping = related_map(filled)
    assert mapping[HEARING] == sorted([ACT, PROC])
    assert OTHER not in mapping


def test_incremental_update_adds_and_removes(filled, as_of):
    db = filled
    run = store.start_run(db, as_of=as_of, mode="test", sources=[])
    changed = dict(ITEMS[5], body="Høringen gjelder også forordning (EU) 2024/1760? Nei: direktiv 2024/1760.")
    store.apply_scrape(db, run_id=run, as_of=as_of, source=changed["source"], items=[changed, ITEMS[0]])
    update_links(db, [OTHER], entries=WATCH)
    ids = {r["id"] for r in related(db, OTHER)}
    assert ACT in ids
    assert OTHER in {r["id"] for r in related(db, ACT)}
    # and back: the reference removed, the link goes
    store.apply_scrape(db, run_id=run, as_of=as_of, source=changed["source"],
                       items=[dict(ITEMS[5], body="Ingen EU-referanser lenger."), ITEMS[0]])
    db.execute("update items set body = 'Ingen EU-referanser.' where id = ?", [OTHER])
    update_links(db, [OTHER], entries=WATCH)
    assert related(db, OTHER) == []


def test_full_rebuild_is_idempotent(filled):
    before = sorted(filled.execute("select a, b, ref from links").fetchall())
    update_links(filled, entries=WATCH)
    assert sorted(filled.execute("select a, b, ref from links").fetchall()) == before


def test_invalid_watchlist_raises(filled, tmp_path):
    bad = tmp_path / "w.toml"
    bad.write_text('[[file]]\nid = "x"\n', "utf-8")
    with pytest.raises(WatchlistError, match="w.toml:1"):
        update_links(filled, watchlist=bad)


def test_missing_watchlist_raises_and_keeps_the_links(filled, tmp_path, monkeypatch):
    """$NCP_TRACKER_WATCHLIST naming a file that is not there is an error, not an empty
    watchlist: read as empty, every watch: link would vanish and the run would look fine."""
    before = sorted(filled.execute("select a, b, ref from links").fetchall())
    assert any(ref.startswith("watch:") for _a, _b, ref in before)
    missing = tmp_path / "moved" / "watchlist.toml"
    monkeypatch.setenv("NCP_TRACKER_WATCHLIST", str(missing))
    with pytest.raises(WatchlistError, match="watchlist file not found") as err:
        update_links(filled)
    assert str(missing) in str(err.value)
    assert sorted(filled.execute("select a, b, ref from links").fetchall()) == before
