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


def test_a_plain_word_that_finds_nothing_is_offered_as_a_prefix(store):
    """«leverandør» finds nothing (a word is a word, by its stem: the text has «leverandørkjeden»,
    one Norwegian compound) and the reader saw an empty list; `prefix_suggestion` offers the words
    as prefixes and what they find — never for a query that finds something, for the reader's own
    syntax, for words under four letters alone, or when the prefixes find nothing either."""
    from tracker.workbench.search import prefix_suggestion

    assert prefix_suggestion(store, "leverandør") == ("leverandør*", 1)
    assert prefix_suggestion(store, "leverandør tvangsarbeid") == ("leverandør* tvangsarbeid*", 1)
    assert prefix_suggestion(store, "leverandør", Filters(status="closed")) is None  # the filters count
    for query in ("leverandør*", '"leverandør"', "leverandør OR klima", "title:leverandør", "lov", "xyzzy",
                  "leverandør -tvangsarbeid", "leverandør-kjeden", "l'leverandør"):  # a prefix is one word
        assert prefix_suggestion(store, query) is None, query


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
    assert ids(search(store, 'høring label:"OECD kapittel V"')) == [HEARING]
    assert ids(search(store, "høring label:oecd-v")) == [HEARING]
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
    # a value no item can have matched nothing, as "no hits" (the module's own example read
    # source:regjeringen_horinger); it is refused with the valid ones
    ("høring source:regjeringen_horinger", "source is one of eu_cellar, eu_haveyoursay"),
    ("høring kind:hørings", "kind is one of"), ("høring language:no", "language is one of nb, nn, en"),
    # a filter without its value searched for the word "status" and found nothing
    ("status: open", "status: needs its value right after the colon"),
    ("høring kildestatus:", "kildestatus: needs its value"), ("Tittel: klima", "Tittel: needs"),
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


@pytest.mark.parametrize("hidden", ["\u00ad", "\u200b", "\u2060", "\u200d"])
def test_a_soft_hyphen_or_zero_width_character_inside_a_word_does_not_split_it(store, hidden):
    """regjeringen.no's pages hold soft hyphens inside long words («menneske\u00adrettigheter»), kept
    in the stored text; the index read one as the end of a word, so «menneskerettigheter» did not
    find the item, and a word pasted from a PDF with one in it found nothing (exit 0, «(ingen)»)."""
    from tracker.workbench.search import plain_snippet

    store.execute("update items set title = ? where id = ?",
                  [f"Høring om menneske{hidden}rettigheter i leverandørkjeden", HEARING_FISH])
    assert ids(search(store, "menneskerettigheter")) == [HEARING_FISH]
    assert ids(search(store, f"menneske{hidden}rettigheter")) == [HEARING_FISH]  # typed (pasted) with it
    assert ids(search(store, '"om menneskerettigheter i"')) == [HEARING_FISH]  # one word in a phrase
    assert ids(search(store, "menneskerett*")) == [HEARING_FISH]
    assert HEARING_FISH not in ids(search(store, "rettigheter"))  # not two words
    shown = plain_snippet(search(store, "menneskerettigheter")[0]["snippet"])
    assert f"[menneske{hidden}rettigheter]" in shown  # the stored text, marked whole


def test_the_migration_indexes_again_the_items_with_a_hidden_character(tmp_path):
    """A store indexed before: its items holding such a character are indexed again (m2900)."""
    from tracker.store import migrations
    from tracker.store.db import open_db

    db = open_db(tmp_path / "old.db")
    seed(db)
    db.execute("update items set title = ? where id = ?", ["Høring om menneske\u00adrettigheter", HEARING_FISH])
    # as the old index read it: two words
    db.execute("update items_norm set title = 'horing om mennesk rettighet' where rowid = "
               "(select rowid from items where id = ?)", [HEARING_FISH])
    assert ids(search(db, "menneskerettigheter")) == []
    migrations.m2900_search_words_through_invisible_characters(db)
    assert ids(search(db, "menneskerettigheter")) == [HEARING_FISH]


def test_filters(store):
    assert ids(search(store, "høring", Filters(source="no_stortinget_horinger"))) == [COMMITTEE]
    assert HEARING_OLD in ids(search(store, "offentleglova", Filters(status="closed")))
    assert ids(search(store, "offentleglova", Filters(status="open"))) == []
    assert ids(search(store, "høring", Filters(label="apenhetsloven"))) == [HEARING]
    assert set(ids(search(store, "høring", Filters(date_from="2026-11-01")))) == {HEARING_FISH, COMMITTEE}
    assert ids(search(store, "høring", Filters(date_to="2026-10-31"))) == [HEARING]
    assert ids(search(store, "stakeholder", Filters(label="oecd-ii"))) == [EU]


def test_the_sources_own_status_word_is_a_filter(store):
    """A health note says "1 item with an unrecognised status word ('Avbrutt')": this is how an
    adviser lists those items. Case, spacing and æøå are folded (SQLite's lower() would leave
    "Å" alone); a word no item has finds nothing, as any word may be a source's."""
    store.execute("update items set status_raw = 'Avbrutt' where id = ?", [HEARING_FISH])
    store.execute("update items set status_raw = 'Åpen for innspill' where id = ?", [HEARING])
    store.execute("update items set status_raw = 'Ferdigbehandlet' where id = ?", [HEARING_OLD])
    assert ids(search(store, "kildestatus:avbrutt")) == [HEARING_FISH]
    assert ids(search(store, "source_status:AVBRUTT høring")) == [HEARING_FISH]
    assert ids(search(store, 'kildestatus:"åpen  FOR innspill"')) == [HEARING]
    assert ids(search(store, 'kildestatus:"Aapen for innspill"')) == [HEARING]
    assert ids(search(store, "kildestatus:Avbrutt markedsavgiften")) == [HEARING_FISH]
    assert ids(search(store, "kildestatus:trukket")) == []
    # excluded: every other item, those without a word of their own too
    assert set(ids(search(store, "høring -kildestatus:avbrutt"))) == {HEARING, COMMITTEE}


def test_the_status_word_query_the_pages_link_to(store):
    """The item and health pages link to this search; a word the query language cannot quote
    (it holds a '"') gets no link rather than a search that means something else."""
    from tracker.workbench.search import status_word_query

    store.execute("update items set status_raw = 'Under behandling' where id = ?", [HEARING_FISH])
    assert ids(search(store, status_word_query("Under behandling"))) == [HEARING_FISH]
    assert ids(search(store, status_word_query("Under behandling", "no_regjeringen_horinger"))) == [HEARING_FISH]
    assert ids(search(store, status_word_query("Under behandling", "eu_haveyoursay"))) == []
    assert status_word_query('Status "ukjent"') is None


def test_filters_take_the_names_the_output_shows(store):
    """`search 'høring status:åpen'` was refused («status er en av open, closed…») and kind:høring
    too: the query took only codes while the output shows names. A status, kind, source and
    follow-up state are read by the name shown in Bokmål or English, any case, æøå or aa/oe/ae."""
    assert ids(search(store, "status:lukket offentleglova")) == [HEARING_OLD]
    assert ids(search(store, "status:Closed offentleglova")) == [HEARING_OLD]
    assert ids(search(store, "høring kind:komitéhøring")) == [COMMITTEE]
    assert ids(search(store, 'høring kind:"Committee hearing"')) == [COMMITTEE]
    assert ids(search(store, "høring kind:komitehoering")) == [COMMITTEE]
    assert ids(search(store, "høring kilde:Stortingets_komitéhøringer")) == [COMMITTEE]
    assert COMMITTEE not in ids(search(store, "høring -kind:Komitéhøring"))
    triage.set_state(store, HEARING, "watching")
    assert ids(search(store, "høring oppfølging:følges")) == [HEARING]
    assert ids(search(store, "høring state:foelges")) == [HEARING]
    assert ids(search(store, "høring state:watching")) == [HEARING]
    assert HEARING not in ids(search(store, "høring oppfolging:ny"))
    assert ids(search(store, "offentleglova", Filters(status="lukket"))) == [HEARING_OLD]
    assert ids(search(store, "høring", Filters(state="følges"))) == [HEARING]
    # a name with a space, typed as the table shows it, without quotes (it was refused as «state:ikke»)
    triage.set_state(store, HEARING, "not_relevant")
    assert ids(search(store, "høring oppfølging:ikke relevant")) == [HEARING]
    assert ids(search(store, "oppfølging:ikke relevant høring")) == [HEARING]
    assert ids(search(store, "høring kilde:Stortingets komitéhøringer")) == [COMMITTEE]


@pytest.mark.parametrize(("lang", "said"), [
    ("nb", "status:x — status er en av åpen (open), lukket (closed), trukket (withdrawn)"),
    ("en", "status:x — the status is one of open, closed, withdrawn, upcoming, unknown."),
    ("nb", "kind:x — gyldige verdier er Høring (hearing), Komitéhøring (committee_hearing)"),
    ("en", "state:x — the valid values are new, watching, not relevant, to answer (respond), assigned"),
])
def test_a_refused_filter_lists_its_values_by_name(store, lang, said):
    """The refusal listed codes only (open, closed…) where the output shows «åpen»: now the names,
    the code beside a name that is not it."""
    from tracker.vocabulary import refusal_text

    with pytest.raises(SearchError) as caught:
        search(store, "høring " + said.split(" — ")[0])
    assert said in refusal_text(str(caught.value), lang, command_line=True)


def test_owner_and_state_filters(store):
    triage.set_state(store, HEARING, "respond")
    triage.set_state(store, HEARING, "assigned", owner="kari")
    assert ids(search(store, "høring", Filters(owner="kari"))) == [HEARING]
    assert ids(search(store, "høring", Filters(owner=" KARI "))) == [HEARING]  # names match case-insensitively
    assert HEARING not in ids(search(store, "høring", Filters(state="new")))


def test_an_owner_no_item_ever_had_is_refused_naming_the_advisers(store):
    """`search … --owner nobody` listed «(ingen)» and `export --owner nobody` «0 saker», exit 0: a
    typo read as an adviser with nothing to do. Refused, naming who has items."""
    from tracker.workbench.search import filtered

    with pytest.raises(SearchError, match=r"adviser 'nobody' \(no item is assigned to anyone\)"):
        search(store, "høring", Filters(owner="nobody"))
    triage.set_state(store, HEARING, "respond")
    triage.set_state(store, HEARING, "assigned", owner="Kari")
    for run in (lambda f: search(store, "høring", f), lambda f: filtered(store, f)):
        with pytest.raises(SearchError, match=r"adviser 'nobody' \(advisers with items: Kari\)"):
            run(Filters(owner="nobody"))
    # an adviser items had once, none now, is no typo: her list is empty
    triage.set_state(store, HEARING, "respond", owner="")
    triage.set_state(store, HEARING, "assigned", owner="Per")
    assert ids(filtered(store, Filters(owner="kari"))) == []


def test_a_reversed_date_range_is_refused(store):
    """--from after --to listed «(ingen)», exit 0: no day is in it, and "no hits" read as an answer."""
    from tracker.workbench.search import filtered

    with pytest.raises(SearchError, match="--from 2026-12-01 is after --to 2026-11-01"):
        search(store, "høring", Filters(date_from="2026-12-01", date_to="2026-11-01"))
    with pytest.raises(SearchError, match="--from 2026-12-01 is after --to 2026-11-30"):
        filtered(store, Filters(date_from="2026-12-01", date_to="2026-11-30T12:00"))
    filtered(store, Filters(date_from="2026-12-01", date_to="2026-12-01"))  # one day is a range


def test_bad_date_filter(store):
    with pytest.raises(SearchError, match="--from"):
        search(store, "høring", Filters(date_from="i går"))


@pytest.mark.parametrize(("filters", "message"), [
    (Filters(source="regjeringen"), "source is one of"), (Filters(status="nope"), "status is one of open"),
    (Filters(state="nye"), "state is one of new"),
])
def test_a_filter_no_item_can_pass_is_refused(store, filters, message):
    """The web's search and export take these from the address: /search?status=nope showed a blank
    page, with a word "Ingen treff."; the command line checked them, the workbench did not."""
    from tracker.workbench.search import filtered

    with pytest.raises(SearchError, match=message):
        search(store, "høring", filters)
    with pytest.raises(SearchError, match=message):
        filtered(store, filters)


def test_snippet_marks_the_match(store):
    from tracker.workbench.search import plain_snippet

    snippet = plain_snippet(search(store, "tvangsarbeid")[0]["snippet"])
    assert "[tvangsarbeid]" in snippet


@pytest.fixture
def climate(db):
    rows = [
        ("k1", "Høring om klimaloven", "Klimamål for 2035 og rapportering om klimarisiko."),
        ("k2", "Høring om miljøinformasjonsloven", "Retten til miljøinformasjon og klima i leverandørkjeden."),
        ("k3", "Endringer i naturmangfoldloven", "Miljøhensyn og vern av natur."),
        ("k4", "Menneskerettighetsloven", "Menneskerettigheter og aktsomhet i næringslivet."),
        ("k5", "Veileder om menneskerettighet", "En menneskerettighet er universell."),
    ]
    db["items"].insert_all([{"id": i, "source": "s", "kind": "hearing", "title": t, "summary": s,
                             "url": f"https://example.org/{i}"} for i, t, s in rows], pk="id")
    return db


def test_the_issues_examples_on_norwegian_text(climate):
    # Snowball strips "-loven": klimaloven is a klima word (k1), as miljøinformasjonsloven is miljøinformasjon
    assert set(ids(search(climate, "klima OR miljøhensyn"))) == {"k1", "k2", "k3"}
    assert set(ids(search(climate, "klima"))) == {"k1", "k2"}
    assert set(ids(search(climate, "klima*"))) == {"k1", "k2"}
    assert set(ids(search(climate, "miljøinformasjon -klima"))) == set()
    assert set(ids(search(climate, "miljøinformasjon"))) == {"k2"}
    assert set(ids(search(climate, "natur -klima"))) == {"k3"}
    assert set(ids(search(climate, "natur NOT klima"))) == {"k3"}
    assert set(ids(search(climate, "klima natur"))) == set()  # AND: no item has both
    assert set(ids(search(climate, "NEAR(klima leverandørkjeden, 3)"))) == {"k2"}
    assert set(ids(search(climate, "NEAR(retten leverandørkjeden, 2)"))) == set()
    # stemming: singular and plural give the same hits
    assert set(ids(search(climate, "menneskerettighet"))) == set(ids(search(climate, "menneskerettigheter"))) \
        == {"k4", "k5"}
    # snippets mark the word as written in the text
    from tracker.workbench.search import plain_snippet

    row = next(r for r in search(climate, "menneskerettighet") if r["id"] == "k4")
    assert "[Menneskerettigheter]" in plain_snippet(row["snippet"])


def test_ranking_pool_keeps_the_newest_matches_and_export_gets_all(db, monkeypatch):
    from tracker.workbench import export
    from tracker.workbench import search as search_module

    db["items"].insert_all([{"id": f"n{n:02d}", "source": "s", "kind": "hearing", "url": f"https://e.org/{n}",
                             "title": "Høring om åpenhetsloven" if n == 0 else f"Sak {n} om åpenhetsloven"}
                            for n in range(30)], pk="id")
    monkeypatch.setattr(search_module, "RANK_POOL", 10)
    found = ids(search(db, "åpenhetsloven", limit=5))
    assert len(found) == 5 and set(found) <= {f"n{n:02d}" for n in range(20, 30)}  # the newest ten only
    assert len(search(db, "åpenhetsloven", limit=50)) == 30  # asking for more than the pool: all of them
    assert len(export.rows(db, query="åpenhetsloven")) == 30
    # filters that leave fewer than asked for widen the pool: the oldest items are still found
    db.execute("update items set source = 'no_lovdata' where id in ('n00', 'n01', 'n02')")
    assert set(ids(search(db, "åpenhetsloven source:no_lovdata", limit=5))) == {"n00", "n01", "n02"}
    assert ids(search(db, "åpenhetsloven", Filters(source="no_lovdata"), limit=5))[0] == "n00"  # title "Høring om …"


def test_an_open_consultation_comes_before_equally_matching_news(db):
    # the demo's case: short news titles about the act scored a little above the open hearing on
    # it, which came 9th. Open and upcoming items rank as if OPEN_BOOST times as relevant …
    rows = [("news1", "regulator_news", None, "Tilsyn etter åpenhetsloven"),
            ("news2", "regulator_news", None, "Veiledning om åpenhetsloven"),
            ("open", "hearing", "open", "Høring – forslag til endringer i åpenhetsloven (utvidelse til miljø)"),
            ("soon", "hearing", "upcoming", "Høring – ny forskrift til åpenhetsloven om offentliggjøring"),
            ("done", "hearing", "closed", "Høring – forskrift til åpenhetsloven om redegjørelser i fjor")]
    db["items"].insert_all([{"id": i, "source": "s", "kind": k, "status": st, "title": t,
                             "url": f"https://e.org/{i}"} for i, k, st, t in rows], pk="id")
    found = search(db, "åpenhetsloven")
    assert ids(found)[:2] in (["open", "soon"], ["soon", "open"])
    assert set(ids(found)[2:]) == {"news1", "news2", "done"}
    assert ids(found)[-1] == "done"  # long title, not open: last
    # … no more: an open item that matches far worse (only in its body) stays below a title match
    db["items"].insert({"id": "weak", "source": "s", "kind": "hearing", "status": "open", "url": "https://e.org/w",
                        "title": "Høring om regnskapsregler", "body": "Forholdet til åpenhetsloven er omtalt. " * 3})
    assert ids(search(db, "åpenhetsloven"))[-1] == "weak"
    # the same order without and with a filter (a filter no longer changes how the pool is cut)
    assert ids(search(db, "åpenhetsloven kind:hearing"))[:2] == ids(found)[:2]


def test_not_relevant_to_a_profile(store):
    """The digest's notes ("3 other new items are not relevant to this profile") link to the items
    they count: in the profile's scope, not listed by it (tracker.attention.profiles)."""
    from tracker.attention.profiles import load_profile
    from tracker.workbench.search import filtered

    with store.conn:
        store.execute("update items set relevance = 0.1, relevant = 0, ncp_consultee = 0")
        store["items"].update(HEARING, {"relevance": 0.9, "relevant": 1})
        store["items"].update(COMMITTEE, {"ncp_consultee": 1})  # the NCP is a consultee: listed
    triage.set_state(store, HEARING_FISH, "watching")
    listed = ids(filtered(store, Filters(not_relevant_to="ncp")))
    assert HEARING not in listed and COMMITTEE not in listed and HEARING_FISH in listed
    profile = load_profile("ncp")
    every = [dict(r, triage_state=None) for r in store.query("select * from items")]
    assert sorted(listed) == sorted(r["id"] for r in every if profile.in_scope(r) and not profile.relevant(r))
    triage.set_state(store, HEARING, "not_relevant")  # an adviser's "not relevant" is not listed by it
    assert HEARING in ids(filtered(store, Filters(not_relevant_to="ncp")))
    assert HEARING in ids(search(store, "åpenhetsloven", Filters(not_relevant_to="ncp")))
    with pytest.raises(SearchError, match="unknown profile 'nope' \\(known profiles: "):
        filtered(store, Filters(not_relevant_to="nope"))
    # and what it lists: the rest of the profile's scope ("+12 more in the workbench")
    relevant = ids(filtered(store, Filters(relevant_to="ncp")))
    assert COMMITTEE in relevant and HEARING not in relevant
    assert sorted(relevant + ids(filtered(store, Filters(not_relevant_to="ncp")))) == sorted(
        r["id"] for r in store.query("select id from items"))  # ncp covers everything: one or the other
    with pytest.raises(SearchError, match="unknown profile 'nope'"):
        filtered(store, Filters(relevant_to="nope"))
    # «Endret» lists what the profile finds relevant and what an adviser follows (HEARING_FISH,
    # watching): its "+N" leads to both, its note to neither
    followed = ids(filtered(store, Filters(followed_by="ncp")))
    assert sorted(followed) == sorted(relevant + [HEARING_FISH])
    assert sorted(ids(filtered(store, Filters(not_followed_by="ncp")))) == sorted(
        r["id"] for r in store.query("select id from items") if r["id"] not in followed)
    for name in ("followed_by", "not_followed_by"):
        with pytest.raises(SearchError, match="unknown profile 'nope'"):
            filtered(store, Filters(**{name: "nope"}))


def test_new_since_and_changed_since(store):
    """The digest's "se arbeidsbenken" links: items first seen after an instant, and items changed
    after it that were seen before it (stored instants: UTC, compared as text; any offset given)."""
    from tracker.workbench.search import filtered

    with store.conn:
        store["items"].update(HEARING, {"first_seen": "2026-11-20T05:00:00+00:00",
                                        "last_changed": "2026-11-24T05:00:00+00:00"})
        store["items"].update(HEARING_FISH, {"first_seen": "2026-11-24T05:00:00+00:00",
                                             "last_changed": "2026-11-24T05:00:00+00:00"})
        store["items"].update(COMMITTEE, {"first_seen": "2026-11-20T05:00:00+00:00",
                                          "last_changed": "2026-11-20T05:00:00+00:00"})
    new = ids(filtered(store, Filters(new_since="2026-11-23T06:00+01:00")))
    assert HEARING_FISH in new and HEARING not in new and COMMITTEE not in new
    changed = ids(filtered(store, Filters(changed_since="2026-11-23T05:00:00+00:00")))
    assert HEARING in changed and HEARING_FISH not in changed and COMMITTEE not in changed
    assert HEARING_FISH in ids(search(store, "høring", Filters(new_since="2026-11-23")))
    with pytest.raises(SearchError, match="new_since must be a date or a date and time"):
        filtered(store, Filters(new_since="i går"))


def test_a_since_day_after_today_is_refused_not_an_empty_list(store):
    """«--new-since 2062-11-24» (a year mistyped) listed nothing, exit 0, as a quiet week would:
    nothing is new or changed since a day still to come. Today's day is a day like any other."""
    from datetime import datetime

    from crawlers.dates import OSLO
    from tracker.workbench.search import filtered

    for filters in (Filters(new_since="2062-11-24"), Filters(changed_since="2062-11-24T06:00"),
                    Filters(new_since="2026-11-25", as_of=datetime(2026, 11, 24, 9, tzinfo=OSLO))):
        with pytest.raises(SearchError, match="is after today: nothing is new or changed since then"):
            filtered(store, filters)
    with pytest.raises(SearchError, match="is after today"):
        search(store, "høring", Filters(new_since="2062-11-24"))
    assert isinstance(filtered(store, Filters(new_since="2026-11-24T23:00",
                                              as_of=datetime(2026, 11, 24, 9, tzinfo=OSLO))), list)


def test_the_since_lists_leave_out_what_a_backfill_found(store):
    """The digest's «3 andre nye saker er ikke relevante (se arbeidsbenken)» linked to a list of
    every item first seen since — after `ncp-tracker backfill --since 2015` thousands of hearings of
    past years, which the digest itself rightly did not count as new. Those lists now leave out
    what a backfill brought in (but for an item published in the week before: news, as in the
    digest), and items whose changes since are all a backfill's."""
    from datetime import datetime

    from crawlers.dates import OSLO
    from tracker.store import merge
    from tracker.workbench.search import filtered

    since = "2026-11-24T05:00:00+00:00"

    def scrape(when, items, backfill=False):
        as_of = datetime.fromisoformat(when).astimezone(OSLO)
        run = merge.start_run(store, as_of=as_of, mode="test", sources=["no_regjeringen_horinger"], backfill=backfill)
        merge.apply_scrape(store, run_id=run, as_of=as_of, source="no_regjeringen_horinger", items=items)

    def hearing(n, title):
        return {"source": "no_regjeringen_horinger", "kind": "hearing", "native_id": str(n), "title": title,
                "url": f"https://www.regjeringen.no/no/dokumenter/h/id{n}/"}

    scrape("2026-11-20T05:00:00+00:00", [hearing(3100001, "Høring A"), hearing(3100002, "Høring B")])
    scrape("2026-11-24T06:00:00+00:00", [hearing(3100003, "Høring C (ny i dag)"),
                                         hearing(3100002, "Høring B, endret i dag")])
    scrape("2026-11-24T09:00:00+00:00", [{**hearing(2019001, "Høring fra 2019"), "published": "2019-05-02T10:00:00+02:00"},
                                         hearing(3100001, "Høring A, rettet"),
                                         # the walk's first page: published yesterday, news whoever stored it
                                         {**hearing(3172399, "Høring D"), "published": "2026-11-23T10:00:00+01:00"}],
           backfill=True)
    new = ids(filtered(store, Filters(new_since=since)))
    assert "regjeringen:3100003" in new and "regjeringen:2019001" not in new and "regjeringen:3172399" in new
    changed = ids(filtered(store, Filters(changed_since=since)))
    assert "regjeringen:3100002" in changed and "regjeringen:3100001" not in changed


def test_a_sign_without_letters_is_passed_over_when_words_remain(store):
    """«åpenhetsloven § 4» was refused («'§' has no letters or digits») while «åpenhetsloven §4»
    searched; the sign is refused only when nothing else is left to search for."""
    found = ids(search(store, "åpenhetsloven § tvangsarbeid"))
    assert found == [HEARING] and found == ids(search(store, "åpenhetsloven §tvangsarbeid"))
    assert ids(search(store, "åpenhetsloven – høring")) == ids(search(store, "åpenhetsloven høring"))
    for nothing in ("§", "§ –", "( § )"):
        with pytest.raises(SearchError, match="has no letters or digits"):
            search(store, nothing)


#: every prefix of «åpenhetsloven» from the letters after its stem (apen) to the whole word
APENHETSLOVEN_PREFIXES = [f"{'åpenhetsloven'[:n]}*" for n in range(8, 14)]


@pytest.fixture
def transparency(db):
    rows = [
        ("a1", "Høring – endringer i åpenhetsloven", "Forslag om å utvide åpenhetsloven.", "nb"),
        ("a2", "Tilsyn etter Åpenhetslovens § 4", "Forbrukertilsynets veileder.", "nb"),
        ("a3", "The Norwegian Transparency Act", "Due diligence under the åpenhetsloven.", "en"),
        ("a4", "Delegering etter lov om virksomheters åpenhet", "Forbrukertilsynet fører tilsyn.", "nb"),
        ("a5", "Åpen høring om fiskeriloven", "Innspill til høringen.", "nb"),
    ]
    db["items"].insert_all([{"id": i, "source": "s", "kind": "hearing", "title": t, "summary": s, "language": lang,
                             "url": f"https://example.org/{i}"} for i, t, s, lang in rows], pk="id")
    return db


@pytest.mark.parametrize("query", [*APENHETSLOVEN_PREFIXES, "aapenhets*", "apenhetsl*", "AAPENHETSLOV*"])
def test_a_prefix_finds_the_words_that_begin_with_it_not_only_stems(transparency, query):
    """«åpenhets*» and «åpenhetsl*» found nothing («Ingen treff»): åpenhetsloven's key is its stem
    «apen», and a prefix was matched against keys. It now matches the words that begin with it,
    in any spelling the search accepts for a word."""
    assert set(ids(search(transparency, query))) == {"a1", "a2", "a3"}


def test_a_shorter_prefix_finds_more_words_and_filters_and_phrases_still_hold(transparency):
    assert set(ids(search(transparency, "åpenhet*"))) == {"a1", "a2", "a3", "a4"}
    assert set(ids(search(transparency, "åpen*"))) == {"a1", "a2", "a3", "a4", "a5"}
    assert {"a1", "a2", "a3"} <= set(ids(search(transparency, "åpenhetsloven")))  # the stem: the word's forms
    assert set(ids(search(transparency, "title:åpenhets*"))) == {"a1", "a2"}
    assert set(ids(search(transparency, "åpenhets* -tilsyn"))) == {"a1", "a3"}
    assert set(ids(search(transparency, "åpenhets* OR fiskeriloven"))) == {"a1", "a2", "a3", "a5"}
    # a word's form is no key: phrases, NEAR and whole words see the keys only
    assert ids(search(transparency, '"endringer i åpenhetsloven"')) == ["a1"]
    assert ids(search(transparency, "NEAR(utvide åpenhetsloven, 1)")) == ["a1"]
    assert ids(search(transparency, "åpenhets")) == []  # a word is a word; a prefix says so
    # snippets mark the words the prefix found
    from tracker.workbench.search import plain_snippet

    snippets = {r["id"]: plain_snippet(r["snippet"]) for r in search(transparency, "åpenhets*")}
    assert "[åpenhetsloven]" in snippets["a1"] and "[Åpenhetslovens]" in snippets["a2"]


def test_the_terminal_and_the_page_find_a_prefix_on_a_stems_middle(transparency, tmp_path):
    from datetime import datetime

    from click.testing import CliRunner

    from crawlers.dates import OSLO
    from tracker.cli import main
    from tracker.web.app import create_app

    path = transparency.conn.execute("pragma database_list").fetchone()[2]
    transparency.conn.commit()
    out = CliRunner().invoke(main, ["--db", path, "search", "åpenhets*"], catch_exceptions=False)
    assert out.exit_code == 0 and "(ingen)" not in out.stdout, out.output
    assert "Høring – endringer i åpenhetsloven" in out.stdout and "Tilsyn etter Åpenhetslovens § 4" in out.stdout
    client = create_app(path, as_of=datetime(2026, 11, 24, 9, tzinfo=OSLO), data_dir=tmp_path / "d").test_client()
    page = client.get("/search?q=%C3%A5penhetsl*").get_data(as_text=True)
    assert "Ingen treff" not in page and "Høring – endringer i åpenhetsloven" in page


def test_an_index_built_before_the_word_forms_is_rebuilt_by_the_migration(transparency):
    """A store indexed by keys only (before m2700) gets its rows written again on migration."""
    from tracker.store.migrations import m2700_search_word_forms
    from tracker.store.textindex import norm_text

    for row in list(transparency.query("select rowid, title, summary, body, language from items")):
        transparency.execute("delete from items_norm where rowid = ?", [row["rowid"]])
        transparency.execute("insert into items_norm (rowid, title, summary, body) values (?, ?, ?, ?)",
                             [row["rowid"], *(norm_text(row[c], row["language"]) for c in ("title", "summary", "body"))])
    # as the old index answered: only the English item, whose (English) key is the whole word
    assert ids(search(transparency, "åpenhets*")) == ["a3"]
    m2700_search_word_forms(transparency)
    assert set(ids(search(transparency, "åpenhets*"))) == {"a1", "a2", "a3"}


def _filter_names() -> list[tuple[str, str, str]]:
    """(column, code, name) for every name the tables show for a filter's value, both languages."""
    from tracker.i18n import gettext
    from tracker.vocabulary import FILTER_NAMES
    from tracker.workbench.search import _valid

    return sorted({(column, code, gettext(lang, msgid)) for column, names in FILTER_NAMES.items()
                   for code, msgid in names.items() for lang in ("nb", "en") if code in _valid(column)})


FIELD_OF = {"state": "oppfølging", "status": "status", "kind": "type", "source": "kilde"}


@pytest.mark.parametrize(("column", "code", "name"), _filter_names())
def test_a_filters_name_is_read_whole_without_quotes(column, code, name):
    """«oppfølging:ikke relevant» was refused as «state:ikke — gyldige verdier er … ikke relevant
    (not_relevant) …»: the words after an unquoted value that, with it, name a value are taken
    with it — every name the tables show, in both languages (brackets and colons too: «kilde:EU:
    Si din mening (Have your say)»); the word after it is still searched for."""
    from tracker.workbench.search import ItemFilter, Term, parse
    from tracker.workbench.search import code as code_of

    node = parse(f"{FIELD_OF[column]}:{name} klima")
    first, rest = node.children[0], node.children[1:]
    assert isinstance(first, ItemFilter) and first.column == column and first.value == name
    assert code_of(first.value, column) == code
    assert rest == [Term("klima", False, None)]


def test_an_unquoted_value_takes_the_words_after_it_only_when_they_make_a_name():
    from tracker.workbench.search import And, ItemFilter, Or, Term, compile_query, parse

    # a value that names one alone keeps the next word a word («åpen» is a status; «relevant» a word)
    assert parse("status:åpen relevant") == And([ItemFilter("status", "åpen"), Term("relevant", False, None)])
    # words that make no name with it are left alone: the refusal names the value as typed
    assert parse("kilde:Høringer (klima)") == And([ItemFilter("source", "Høringer"), Term("klima", False, None)])
    with pytest.raises(SearchError, match=r"state:ikke — state is one of"):
        compile_query("oppfølging:ikke")
    assert parse("-oppfølging:ikke relevant OR status:åpen") == Or(
        [ItemFilter("state", "ikke relevant", negated=True), ItemFilter("status", "åpen")])
