"""Profiles from data/profiles.toml: shipped ones, scope, threshold, clear errors."""

from __future__ import annotations

import pytest

from tracker.attention.profiles import (
    Profile,
    ProfileError,
    load_profile,
    load_profiles,
)


def test_the_shipped_profiles_load():
    profiles = load_profiles()
    assert {"ncp", "gpfg", "eu"} <= set(profiles)
    assert profiles["ncp"].covers_everything
    assert profiles["ncp"].lead_days == 5
    assert "gpfg" in profiles["gpfg"].labels
    assert "eu_consultation" in profiles["eu"].kinds
    assert all(p.recipients for p in profiles.values())


def test_unknown_profile_names_the_known_ones():
    with pytest.raises(ProfileError) as err:
        load_profile("nope")
    message = str(err.value)
    assert "nope" in message and "ncp" in message and "gpfg" in message and "eu" in message
    assert "\n" not in message


def test_scope_by_source_kind_or_label():
    p = Profile(name="x", labels=("gpfg",), sources=("no_nbim",), kinds=("gpfg_decision",))
    assert p.in_scope({"source": "no_nbim", "kind": "news", "labels": []})
    assert p.in_scope({"source": "other", "kind": "gpfg_decision", "labels": []})
    assert p.in_scope({"source": "other", "kind": "hearing", "labels": ["oecd-ii", "gpfg"]})
    assert not p.in_scope({"source": "other", "kind": "hearing", "labels": ["oecd-ii"]})
    assert Profile(name="all").in_scope({"source": "anything", "kind": "hearing", "labels": []})


def test_threshold_or_the_taggers_decision():
    numeric = Profile(name="x", threshold=0.5)
    assert numeric.passes_threshold({"relevance": 0.5})
    assert not numeric.passes_threshold({"relevance": 0.49})
    assert not numeric.passes_threshold({"relevance": None})  # not tagged yet
    tagger = Profile(name="y")
    assert tagger.passes_threshold({"relevance": 0.1, "relevant": 1})
    assert not tagger.passes_threshold({"relevance": 0.9, "relevant": 0})


def test_bad_files_are_clear_errors(tmp_path):
    bad = tmp_path / "p.toml"
    bad.write_text("[profiles.a]\nthreshold = 3\n", "utf-8")
    with pytest.raises(ProfileError, match="threshold"):
        load_profiles(bad)
    bad.write_text("not toml = = =", "utf-8")
    with pytest.raises(ProfileError, match="not valid TOML"):
        load_profiles(bad)
    with pytest.raises(ProfileError, match="not found"):
        load_profiles(tmp_path / "missing.toml")


def test_an_edited_file_counts_at_once_and_a_broken_edit_is_an_error(tmp_path):
    """Parsed profiles are kept by the file's text (the web asks on every page): an edit, even
    within the same second, is read at once, and an edit that breaks the file is an error, never
    the last good copy."""
    own = tmp_path / "p.toml"
    own.write_text("[profiles.a]\nlead_days = 3\n", "utf-8")
    assert load_profile("a", own).lead_days == 3
    assert load_profile("a", own) is load_profile("a", own)  # parsed once
    own.write_text("[profiles.a]\nlead_days = 4\n", "utf-8")
    assert load_profile("a", own).lead_days == 4
    own.write_text("[profiles.a]\nlead_days = -1\n", "utf-8")
    with pytest.raises(ProfileError, match="lead_days"):
        load_profile("a", own)
    own.write_text("[profiles.a]\nlead_days = 3\n", "utf-8")
    assert load_profile("a", own).lead_days == 3


def test_the_data_directory_copy_wins_over_the_shipped_file(data_dir):
    other = data_dir / "profiles.toml"
    other.write_text('[profiles.solo]\nlabels = ["oecd-iv"]\nlead_days = 3\n', "utf-8")
    assert load_profile("solo").lead_days == 3
    with pytest.raises(ProfileError, match="known profiles: solo"):
        load_profile("ncp")


def test_a_profile_only_the_shipped_file_has_says_how_to_add_it(data_dir):
    # a data directory made before the horizon mails existed: its own profiles.toml lacks them
    own = data_dir / "profiles.toml"
    own.write_text('[profiles.ncp]\nlead_days = 5\n', "utf-8")
    with pytest.raises(ProfileError) as err:
        load_profile("uka_som_kommer")
    assert str(err.value) == (f"unknown profile 'uka_som_kommer' (known profiles: ncp); the shipped "
                              f"profiles.toml has it: copy its [profiles.uka_som_kommer] table into {own}")
    with pytest.raises(ProfileError) as err:
        load_profile("nope")
    assert str(err.value) == "unknown profile 'nope' (known profiles: ncp)"


def test_the_two_horizon_mails_are_profiles():
    from datetime import date

    profiles = load_profiles()
    week, months = profiles["uka_som_kommer"], profiles["neste_tre_maneder"]
    assert week.sections == ("horizon",) and months.sections == ("horizon",)
    assert week.horizon_span(date(2026, 11, 30)) == (date(2026, 11, 30), date(2026, 12, 7))
    # the rest of the month and the two after it (from the 1st: three whole months)
    assert months.horizon_span(date(2026, 12, 1)) == (date(2026, 12, 1), date(2027, 3, 1))
    assert months.horizon_span(date(2026, 11, 24)) == (date(2026, 11, 24), date(2027, 2, 1))
    assert (week.horizon_by, months.horizon_by) == ("week", "month")
    assert week.is_due(date(2026, 11, 30)) and not week.is_due(date(2026, 12, 1))
    assert months.is_due(date(2026, 12, 1)) and not months.is_due(date(2026, 12, 2))
    # the morning digests: every section but the horizon, due every day
    ncp = profiles["ncp"]
    assert "horizon" not in ncp.sections and "needs-input" in ncp.sections and ncp.horizon_span(date(2026, 12, 1)) is None
    assert ncp.is_due(date(2026, 12, 5)) and ncp.due == "daily"


def test_weekdays_and_a_span_without_sections():
    from datetime import date

    p = load_profiles_from('[profiles.w]\ndue = "weekdays"\nhorizon_weeks = 2\n')["w"]
    assert p.is_due(date(2026, 12, 4)) and not p.is_due(date(2026, 12, 5))  # Friday, Saturday
    assert p.sections[-1] == "horizon" and "needs-input" in p.sections  # a span adds the horizon to the rest
    assert p.horizon_span(date(2026, 12, 4)) == (date(2026, 12, 4), date(2026, 12, 18))


def load_profiles_from(text: str):
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "p.toml"
        path.write_text(text, "utf-8")
        return load_profiles(path)


@pytest.mark.parametrize("text, message", [
    ('horizon_weeks = 1\nhorizon_months = 3', "horizon_weeks or horizon_months, not both"),
    ('horizon_weeks = 0', "horizon_weeks must be a whole number from 1 to 104"),
    ('horizon_months = "3"', "horizon_months must be a whole number"),
    ('horizon_weeks = 1\nhorizon_by = "day"', "horizon_by must be 'week' or 'month'"),
    ('due = "mondays"', "unknown due 'mondays' (valid: daily, weekdays, monday"),
    ('sections = ["horizon"]', "the horizon section needs horizon_weeks or horizon_months"),
    ('sections = ["needs_input"]', "unknown section 'needs_input' (valid: needs-input, upcoming, new, changed"),
    ('sections = []', "sections is empty"),
])
def test_bad_horizon_fields_are_clear_errors(text, message):
    with pytest.raises(ProfileError) as err:
        load_profiles_from(f"[profiles.x]\n{text}\n")
    assert message in str(err.value) and "'x'" in str(err.value) and "\n" not in str(err.value)


def test_the_section_names_are_the_digests_builders():
    from tracker.attention.profiles import SECTION_IDS
    from tracker.digest.sections import BUILDERS, SECTION_BUILDERS

    assert tuple(SECTION_BUILDERS) == SECTION_IDS and tuple(SECTION_BUILDERS.values()) == BUILDERS


def _rows() -> list[dict]:
    """Items of every combination the rule reads: source, kind, labels, relevance, the tagger's
    decision, the NCP as consultee, an adviser's "not relevant", states an adviser follows in
    (watching, drafting) and one that is neither (submitted)."""
    import itertools

    out = []
    combos = itertools.product(("no_regjeringen_horinger", "eu_haveyoursay"), ("hearing", "eu_consultation"),
                               ('["gpfg"]', '["oecd-iv"]', "[]", None), (None, 0.2, 0.5, 0.9), (None, 0, 1),
                               (None, 1), (None, "not_relevant", "submitted", "watching", "drafting"))
    for n, (source, kind, labels, relevance, relevant, consultee, state) in enumerate(combos):
        out.append({"id": f"i{n}", "source": source, "kind": kind, "labels": labels, "relevance": relevance,
                    "relevant": relevant, "ncp_consultee": consultee, "triage_state": state})
    return out


@pytest.mark.parametrize("profile", [
    Profile(name="all"),
    Profile(name="all-threshold", threshold=0.5),
    Profile(name="fund", labels=("gpfg",), threshold=0.5),
    Profile(name="eu", sources=("eu_haveyoursay",), kinds=("eu_consultation",)),
    Profile(name="mix", labels=("gpfg", "oecd-iv"), sources=("no_regjeringen_horinger",), threshold=0.3),
], ids=lambda p: p.name)
def test_what_a_profile_lists_is_one_rule_in_python_and_sql(profile):
    """The digest lists the items in a profile's scope it finds relevant and its notes count the
    others (Profile.in_scope, Profile.relevant), and under «Endret» the changed ones it finds
    relevant or an adviser follows (Profile.follows); the workbench lists each by
    Profile.relevant_sql / not_relevant_sql / follows_sql / not_follows_sql: the same items, for
    every combination of what the rule reads."""
    import json
    import sqlite3

    rows = _rows()
    conn = sqlite3.connect(":memory:")
    conn.execute("create table items (id, source, kind, labels, relevance, relevant, ncp_consultee)")
    conn.execute("create table triage (item_id, state)")
    conn.executemany("insert into items values (?, ?, ?, ?, ?, ?, ?)",
                     [(r["id"], r["source"], r["kind"], r["labels"], r["relevance"], r["relevant"],
                       r["ncp_consultee"]) for r in rows])
    conn.executemany("insert into triage values (?, ?)", [(r["id"], r["triage_state"]) for r in rows
                                                         if r["triage_state"]])
    for sql, rule, wanted in ((profile.not_relevant_sql, profile.relevant, False),
                              (profile.relevant_sql, profile.relevant, True),
                              (profile.not_follows_sql, profile.follows, False),
                              (profile.follows_sql, profile.follows, True)):
        where, params = sql("i", "t")
        got = {r[0] for r in conn.execute(
            f"select i.id from items i left join triage t on t.item_id = i.id where {where}", params)}
        expected = {r["id"] for r in rows if profile.in_scope({**r, "labels": json.loads(r["labels"] or "[]")})
                    and rule(r) is wanted}
        assert got == expected, (sql.__name__, wanted)
        assert 0 < len(expected) < len(rows)
    # an item an adviser follows is shown, relevant or not; one marked not relevant never is
    follows = {r["id"] for r in rows if profile.follows(r)}
    assert {r["id"] for r in rows if r["triage_state"] == "watching" and profile.in_scope(
        {**r, "labels": json.loads(r["labels"] or "[]")})} <= follows
    assert not any(r["triage_state"] == "not_relevant" for r in rows if r["id"] in follows)
