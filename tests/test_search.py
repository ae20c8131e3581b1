"""Search: Norwegian text, ASCII spellings, ranking, filters, FTS syntax in user input."""

from __future__ import annotations

import pytest

from tests.browser.seed import COMMITTEE, EU, HEARING, HEARING_FISH, HEARING_OLD, seed
from tracker.workbench import triage
from tracker.workbench.search import Filters, SearchError, fts_query, search, skeleton, spellings


@pytest.fixture
def store(db):
    seed(db)
    return db


def ids(rows):
    return [r["id"] for r in rows]


@pytest.mark.parametrize("query", ["åpenhetsloven", "aapenhetsloven", "apenhetsloven", "ÅPENHETSLOVEN"])
def test_apenhetsloven_in_any_spelling(store, query):
    assert ids(search(store, query))[0] == HEARING


@pytest.mark.parametrize("query", ["høring", "hoering", "horing"])
def test_horing_spellings_find_the_same_items(store, query):
    found = set(ids(search(store, query)))
    assert {HEARING, HEARING_FISH, COMMITTEE} <= found


def test_diacritics_are_not_folded_when_typed():
    # å typed by the user means å: no ASCII alternatives are added
    assert spellings("får") == ["får"]
    assert "far" not in fts_query(None, "får")


def test_skeleton_joins_spellings():
    assert skeleton("høring") == skeleton("hoering") == skeleton("horing")
    assert skeleton("åpenhet") == skeleton("aapenhet")
    assert skeleton("næring") == skeleton("naering")


def test_prefix_finds_norwegian_compounds(store):
    # "leverandør" is only in the text as part of "leverandørkjeden"
    assert ids(search(store, "leverandør")) == [HEARING]


def test_all_words_must_match(store):
    assert ids(search(store, "åpenhetsloven markedsavgiften")) == []
    assert ids(search(store, "tvangsarbeid barnearbeid")) == [HEARING]


def test_title_ranks_above_body(store):
    # "markedsavgiften" in a title beats nothing; "åpenhetsloven" is in HEARING's title and body
    rows = search(store, "aktsomhetsdirektivet")
    assert rows[0]["id"] == HEARING and rows[0]["rank"] < 0


@pytest.mark.parametrize("query", ['"', '*', 'NEAR(', 'høring"', '"høring', 'åpen*', 'NEAR(høring, åpen)',
                                   'høring AND', 'OR', 'NOT høring', 'title:høring', '^høring', '(((', "'; drop table items; --"])
def test_fts_syntax_in_user_input_never_crashes(store, query):
    try:
        rows = search(store, query)
    except SearchError as exc:
        assert "no words" in str(exc)
        return
    assert isinstance(rows, list)
    assert store.execute("select count(*) from items").fetchone()[0] == 5


def test_near_is_a_word_not_an_operator(store):
    assert ids(search(store, "NEAR(høring, åpenhetsloven)")) == []  # "near" is not in any item


def test_empty_query_is_a_clear_error(store):
    with pytest.raises(SearchError, match="no words"):
        search(store, '"*"')


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
