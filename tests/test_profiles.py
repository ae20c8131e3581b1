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


def test_the_data_directory_copy_wins_over_the_shipped_file(data_dir):
    other = data_dir / "profiles.toml"
    other.write_text('[profiles.solo]\nlabels = ["oecd-iv"]\nlead_days = 3\n', "utf-8")
    assert load_profile("solo").lead_days == 3
    with pytest.raises(ProfileError, match="known profiles: solo"):
        load_profile("ncp")
