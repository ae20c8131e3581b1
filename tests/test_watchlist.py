"""The watchlist: the shipped file is valid, and a broken one fails with line and field."""

from __future__ import annotations

import pytest

from crawlers.watchlist_file import WatchlistError, default_path, parse
from tracker.links.watchlist import entry_keys, load, match

GOOD = """\
[[file]]
id = "csddd"
name = "CSDDD"
act = "Directive (EU) 2024/1760"
celex = "32024L1760"
procedure = "2022/0051(COD)"
refs = ["åpenhetsloven § 4"]
unverified = ["procedure"]
"""


def test_shipped_watchlist_is_valid_and_covers_the_issue_list():
    entries = load(default_path())
    ids = {e.id for e in entries}
    for wanted in ("csrd", "esrs", "csddd", "omnibus_stop_the_clock", "omnibus_content", "eudr",
                   "forced_labour", "batteries", "conflict_minerals", "taxonomy", "sfdr",
                   "sfdr_revision", "cbam", "green_claims", "espr", "crma"):
        assert wanted in ids
    assert sum(1 for e in entries if e.procedure) >= 6


def test_shipped_watchlist_marks_domain_unverified_procedures():
    csddd = next(e for e in load(default_path()) if e.id == "csddd")
    assert csddd.celex == "32024L1760"
    assert not csddd.is_verified("procedure")
    assert csddd.is_verified("celex")


def test_every_shipped_note_has_its_bokmal_note_and_a_reader_gets_the_one_of_their_language():
    """The notes were English only, also on the Bokmål pages: each has a Bokmål note beside it
    (note_nb), one source of truth for the web and `ncp-tracker watchlist`."""
    entries = load(default_path())
    noted = [e for e in entries if e.note]
    assert noted and all(e.note_nb and e.note_nb != e.note for e in noted), [e.id for e in noted if not e.note_nb]
    assert not [e.id for e in entries if e.note_nb and not e.note]  # the horizon reads its dates from `note`
    csddd = next(e for e in entries if e.id == "csddd")
    assert csddd.note_in("nb") == csddd.note_nb and "gjennomføringsfrist 26. juli 2028" in csddd.note_nb
    assert csddd.note_in("en") == csddd.note and "transposition 26 July 2028" in csddd.note
    # a watchlist without Bokmål notes (the secretariat's copy of an older one) shows its English note
    (old,) = parse(GOOD + 'note = "Applies 2027."\n')
    assert old.note_nb is None and old.note_in("nb") == old.note_in("en") == "Applies 2027."


def test_every_shipped_eea_text_has_its_bokmal_text_and_a_reader_gets_the_one_of_their_language():
    """The EEA status was English only, also on the Bokmål page: each has eea_nb beside it, read
    as the note is (WatchEntry.eea_in); a watchlist without it shows the English one."""
    entries = load(default_path())
    with_eea = [e for e in entries if e.eea]
    assert with_eea and all(e.eea_nb and e.eea_nb != e.eea for e in with_eea), [e.id for e in with_eea if not e.eea_nb]
    assert not [e.id for e in entries if e.eea_nb and not e.eea]
    esrs = next(e for e in entries if e.id == "esrs")
    assert esrs.eea_in("nb") == "Gjennomført i forskrift til regnskapsloven; status for de reviderte ESRS i Norge er ukjent."
    assert esrs.eea_in("en") == esrs.eea and esrs.eea.startswith("Given effect through")
    (old,) = parse(GOOD + 'eea = "EEA-relevant."\n')
    assert old.eea_nb is None and old.eea_in("nb") == old.eea_in("en") == "EEA-relevant."
    (both,) = parse(GOOD + 'eea = "EEA-relevant."\neea_nb = "EØS-relevant."\n')
    assert both.eea_in("nb") == "EØS-relevant." and both.eea_in("en") == "EEA-relevant."


def test_a_file_named_in_words_has_its_bokmal_name_and_an_abbreviation_reads_the_same():
    """A Bokmål reader saw «Forced Labour Regulation», «Omnibus I stop-the-clock»: every shipped file
    whose name is words has a Bokmål name (name_nb); a name that is an abbreviation («CSRD», «EUDR»)
    needs none. A watchlist without it shows the name it has."""
    import re

    entries = load(default_path())
    # words: a lower-case letter after the first (an abbreviation is capitals, digits and marks)
    worded = [e for e in entries if re.search(r"[a-zæøå]{2}", e.name)]
    assert worded and all(e.name_nb and e.name_nb != e.name for e in worded), [e.id for e in worded if not e.name_nb]
    forced = next(e for e in entries if e.id == "forced_labour")
    assert (forced.name_in("nb"), forced.name_in("en")) == ("Tvangsarbeidsforordningen", "Forced Labour Regulation")
    csrd = next(e for e in entries if e.id == "csrd")
    assert csrd.name_nb is None and csrd.name_in("nb") == csrd.name_in("en") == "CSRD"
    (old,) = parse(GOOD)
    assert old.name_in("nb") == old.name
    with pytest.raises(WatchlistError, match="field 'name_nb': must be a string"):
        parse(GOOD + "name_nb = 3\n")


def test_parse_good():
    (entry,) = parse(GOOD)
    assert entry.id == "csddd"
    assert entry.refs == ("åpenhetsloven § 4",)
    assert entry.line == 1


def test_entry_keys_cover_celex_act_number_procedure_and_refs():
    (entry,) = parse(GOOD)
    assert entry_keys(entry) == {"celex:32024L1760", "eu:2024/1760", "proc:2022/0051(COD)",
                                 "law:apenhetsloven§4"}


def test_match_by_untyped_act_number():
    entries = parse(GOOD)
    assert [e.id for e in match({"eu:2024/1760"}, entries)] == ["csddd"]
    assert match({"eu:2022/2464"}, entries) == []


@pytest.mark.parametrize(("text", "line", "field", "words"), [
    (GOOD.replace('celex = "32024L1760"', 'celex = "3202L1760"'), 5, "celex", "not a CELEX"),
    (GOOD.replace('procedure = "2022/0051(COD)"', 'procedure = "2022/51"'), 6, "procedure", "not a procedure"),
    (GOOD.replace('name = "CSDDD"\n', ''), 1, "name", "required"),
    (GOOD.replace('celex = ', 'celx = '), 5, "celx", "unknown field"),
    (GOOD.replace('refs = ["åpenhetsloven § 4"]', 'refs = "åpenhetsloven § 4"'), 7, "refs", "list of strings"),
    (GOOD.replace('unverified = ["procedure"]', 'unverified = ["procedur"]'), 8, "unverified", "unknown field"),
    (GOOD + GOOD.replace('name = "CSDDD"', 'name = "Other"'), 10, "id", "duplicate"),
    (GOOD.replace('id = "csddd"', 'id = "CSDDD 2"'), 2, "id", "lower-case"),
])
def test_invalid_watchlist_names_line_and_field(text, line, field, words):
    with pytest.raises(WatchlistError) as info:
        parse(text, "wl.toml")
    err = info.value
    assert (err.line, err.field) == (line, field)
    assert words in str(err)
    assert str(err).startswith(f"wl.toml:{line}:")


def test_toml_syntax_error_names_line():
    with pytest.raises(WatchlistError) as info:
        parse(GOOD.replace('name = "CSDDD"', 'name = "CSDDD'), "wl.toml")
    assert info.value.line == 3
    assert "not valid TOML" in str(info.value)


def test_missing_file(tmp_path):
    with pytest.raises(WatchlistError, match="not found"):
        load(tmp_path / "nope.toml")
