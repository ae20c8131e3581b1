"""Search: Norwegian text, ASCII spellings, ranking, filters, FTS syntax in user input."""

from __future__ import annotations

import contextlib

import pytest

from tests.browser.seed import COMMITTEE, EU, HEARING, HEARING_FISH, HEARING_OLD, seed
from tracker.workbench import triage
from tracker.workbench.search import Filters, SearchError, fts_query, search


@pytest.fixture
def store(db):
    seed(db)
    return db


def ids(rows):
    return [r["id"] for r in rows]


@pytest.mark.parametrize("query", ["åpenhetsloven", "aapenhetsloven", "apenhetsloven", "ÅPENHETSLOVEN"])
def test_apenhetsloven_in_any_spelling(store, query):
    assert ids(search(store, query))[0] == HEARING


@pytest.mark.parametrize("query", ["høring", "hoering", "horing", "høringer", "HØRING"])
def test_horing_spellings_and_forms_find_the_same_items(store, query):
    found = set(ids(search(store, query)))
    assert {HEARING, HEARING_FISH, COMMITTEE} <= found


def test_stemming_joins_singular_and_plural(store):
    # only "aktsomhetsvurderinger" (plural) is in the text
    assert ids(search(store, "aktsomhetsvurdering")) == ids(search(store, "aktsomhetsvurderinger")) == [HEARING]
    # English stems for English items: "guideline" finds "guidelines"
    assert ids(search(store, "guideline")) == [EU]


def test_stemmed_keys_are_indexed_not_scanned():
    assert fts_query(None, "menneskerettighet") == fts_query(None, "menneskerettigheter")
    assert '"horing"' in fts_query(None, "hoeringer")
    assert "horing" in fts_query(None, "høringene")


def test_prefix_is_explicit(store):
    # "leverandør" is only in the text as part of "leverandørkjeden": a word is a word …
    assert ids(search(store, "leverandør")) == []
    # … and a prefix says so
    assert ids(search(store, "leverandør*")) == [HEARING]
    assert ids(search(store, "leverandor*")) == [HEARING]


def test_and_is_the_default(store):
    assert ids(search(store, "åpenhetsloven markedsavgiften")) == []
    assert ids(search(store, "åpenhetsloven AND markedsavgiften")) == []
    assert ids(search(store, "tvangsarbeid barnearbeid")) == [HEARING]


def test_or(store):
    assert set(ids(search(store, "markedsavgiften OR tvangsarbeid"))) == {HEARING, HEARING_FISH}
    assert set(ids(search(store, "(markedsavgiften OR tvangsarbeid) høring"))) == {HEARING, HEARING_FISH}


def test_minus_and_not_exclude(store):
    with_both = set(ids(search(store, "høring")))
    without = set(ids(search(store, "høring -åpenhetsloven")))
    assert HEARING in with_both and HEARING not in without and HEARING_FISH in without
    assert set(ids(search(store, "høring NOT åpenhetsloven"))) == without
    # "miljø -klima" is not "klima miljø"
    assert set(ids(search(store, "høring åpenhetsloven"))) == {HEARING}


def test_phrase_means_adjacent_words(store):
    assert ids(search(store, '"norsk rett"')) == [HEARING]
    assert ids(search(store, '"rett norsk"')) == []
    assert ids(search(store, '"due diligence"')) == [EU]


def test_near(store):
    assert ids(search(store, "NEAR(tvangsarbeid verdikjeden, 5)")) == [HEARING]
    assert ids(search(store, "NEAR(barne tvangsarbeid, 3)")) == []


def test_field_filters(store):
    assert ids(search(store, "title:aktsomhetsdirektivet")) == [HEARING]
    assert ids(search(store, "title:tvangsarbeid")) == []  # body only
    assert ids(search(store, "body:tvangsarbeid")) == [HEARING]
    assert ids(search(store, "høring source:no_stortinget_horinger")) == [COMMITTEE]
    assert COMMITTEE not in ids(search(store, "høring -source:no_stortinget_horinger"))
    assert ids(search(store, "status:closed offentleglova")) == [HEARING_OLD]
    # any spelling of a label
    for spelling in ("apenhetsloven", "Åpenhetsloven"):
        assert ids(search(store, f"høring label:{spelling}")) == [HEARING]
    # filters alone list the filtered items
    assert ids(search(store, "source:eu_haveyoursay")) == [EU]


@pytest.mark.parametrize(("query", "message"), [
    ('"høring', "quote"), ("(høring", "parenthes"), ("høring)", "no matching"), ("OR høring", "OR"),
    ("høring OR", "OR"), ("høring AND", "AND"), ("NOT høring", "NOT"), ("-høring", "excluded"),
    ("NEAR(høring)", "two words"), ("NEAR(høring åpen, x)", "number"), ("foo:bar", "unknown field"),
    ("label:nonsense høring", "label"), ("status:shut høring", "status"), ("*", "letters"),
    ("h*ring", "prefix"), ("høring OR source:eu_haveyoursay", "filters"), ("", "empty"),
])  # fmt: skip
def test_invalid_syntax_is_a_message_never_an_empty_list(store, query, message):
    with pytest.raises(SearchError, match=message):
        search(store, query)


@pytest.mark.parametrize("query", ["'; drop table items; --", "^høring", "høring:", "a-b", "co2-avgift"])
def test_odd_input_is_words_not_sql(store, query):
    with contextlib.suppress(SearchError):  # a message is fine; SQL or an FTS5 crash is not
        assert isinstance(search(store, query), list)
    assert store.execute("select count(*) from items").fetchone()[0] == 5


def test_index_follows_updates_and_deletes(store):
    store.execute("update items set title = 'Høring om menneskerettigheter' where id = ?", [HEARING_FISH])
    assert ids(search(store, "menneskerettighet")) == [HEARING_FISH]
    assert ids(search(store, "pelagiske")) == []
    store.execute("delete from items where id = ?", [HEARING_FISH])
    assert ids(search(store, "menneskerettighet")) == []


def test_filters(store):
    assert ids(search(store, "høring", Filters(source="no_stortinget_horinger"))) == [COMMITTEE]
    assert HEARING_OLD in ids(search(store, "offentleglova", Filters(status="closed")))
    assert ids(search(store, "offentleglova", Filters(status="open"))) == []
    assert ids(search(store, "høring", Filters(label="apenhetsloven"))) == [HEARING]
    assert set(ids(search(store, "høring", Filters(date_from="2026-11-01")))) == {HEARING_FISH, COMMITTEE}
    assert ids(search(store, "høring", Filters(date_to="2026-10-31"))) == [HEARING]
    assert ids(search(store, "stakeholder", Filters(label="oecd-ii"))) == [EU]


def test_owner_and_state_filters(store):
    triage.set_state(store, HEARING, "respond")
    triage.set_state(store, HEARING, "assigned", owner="kari")
    assert ids(search(store, "høring", Filters(owner="kari"))) == [HEARING]
    assert HEARING not in ids(search(store, "høring", Filters(state="new")))


def test_bad_date_filter(store):
    with pytest.raises(SearchError, match="--from"):
        search(store, "høring", Filters(date_from="i går"))


def test_snippet_marks_the_match(store):
    from tracker.workbench.search import plain_snippet

    snippet = plain_snippet(search(store, "tvangsarbeid")[0]["snippet"])
    assert "[tvangsarbeid]" in snippet
