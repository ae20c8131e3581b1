"""The instrument register (nlp/lexicons/instruments.toml), label names / parse_label, and the
text normalization that keeps evidence offsets in the original text."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from nlp.instruments import InstrumentMatcher, canonical_identifier, load_register
from nlp.labels import LABEL_NAMES, LABELS, parse_label
from nlp.textclean import prepare

REPO = Path(__file__).resolve().parent.parent


def test_register_is_pure_python_and_complete():
    code = ("import sys; from nlp.instruments import load_register; r = load_register(); "
            "print(len(r), 'spacy' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO)
    n, spacy_loaded = out.stdout.split()
    assert int(n) >= 25 and spacy_loaded == "False", out.stderr
    ids = {i.id for i in load_register()}
    for required in ("apenhetsloven", "csddd", "csrd", "esrs", "taxonomy", "sfdr", "eudr",
                     "forced-labour", "batteries", "conflict-minerals", "crma", "cbam", "espr",
                     "green-claims", "ecgt", "ai-act", "global-minimum-tax", "public-cbcr",
                     "tax-cbcr", "oecd-guidelines", "ungp", "gpfg-ethical-guidelines",
                     "gpfg-mandate", "anti-bribery", "nap"):
        assert required in ids


def test_register_labels_follow_rule_4():
    reg = {i.id: i for i in load_register()}
    assert set(reg["csddd"].labels) == {"oecd-ii", "oecd-iv", "oecd-vi"}
    assert reg["csddd"].norwegian_side == ("apenhetsloven",)
    assert set(reg["apenhetsloven"].labels) == {"apenhetsloven", "oecd-ii", "oecd-iv", "oecd-v"}
    assert set(reg["forced-labour"].labels) == {"oecd-iv", "oecd-v"}
    assert set(reg["eudr"].labels) == {"oecd-ii", "oecd-vi"}
    assert set(reg["green-claims"].labels) == {"oecd-viii", "oecd-vi"}
    assert set(reg["public-cbcr"].labels) == {"oecd-iii", "oecd-xi"}
    assert set(reg["omnibus"].labels) == {"oecd-ii", "oecd-iii", "oecd-iv", "oecd-vi"}
    for ins in reg.values():
        assert set(ins.labels) <= set(LABELS) and ins.all_names()


def test_register_covers_the_watchlist_celex_numbers():
    watch = tomllib.loads((REPO / "data" / "watchlist.toml").read_text(encoding="utf-8"))
    register_ids = {canonical_identifier(x) for i in load_register() for x in i.identifiers}
    register_watch = {w for i in load_register() for w in i.watchlist}
    for f in watch.get("file", []):
        if f["id"] in register_watch and f.get("celex"):
            assert canonical_identifier(f["celex"]) in register_ids, f["id"]


@pytest.mark.parametrize("text,instrument", [
    ("Directive (EU) 2024/1760", "csddd"), ("COM(2022) 71 final", "csddd"),
    ("COM(2022)0071", "csddd"), ("procedure 2022/0051(COD)", "csddd"),
    ("CELEX 32023R1115", "eudr"), ("LOV-2021-06-18-99", "apenhetsloven"),
    ("Prop. 150 L (2020–2021)", "apenhetsloven"), ("the CSDDD-directive", "csddd"),
    ("aapenhetsloven", "apenhetsloven"), ("Openheitslova", "apenhetsloven"),
    ("EUs åpenhetslov", "csddd"), ("suppleringsskatten", "global-minimum-tax"),
])  # fmt: skip
def test_matcher_finds_names_abbreviations_and_identifiers(text, instrument):
    m = InstrumentMatcher(load_register())
    found = m.find(text)
    assert found and found[0].instrument == instrument
    assert text[found[0].start:found[0].end] == found[0].text


def test_abbreviations_are_case_sensitive():
    m = InstrumentMatcher(load_register())
    assert not m.find("a cbam-like ncp")  # lower-case words are not the abbreviations


def test_label_names_and_parse_label():
    assert set(LABEL_NAMES) == set(LABELS)
    assert LABEL_NAMES["oecd-iv"] == "Kap. IV Menneskerettigheter"
    for text, code in [("åpenhetsloven", "apenhetsloven"), ("Åpenhetsloven", "apenhetsloven"),
                       ("aapenhetsloven", "apenhetsloven"), ("Kap. IV", "oecd-iv"),
                       ("kap iv", "oecd-iv"), ("IV", "oecd-iv"), ("oecd-iv", "oecd-iv"),
                       ("gpfg", "gpfg"), ("SPU", "gpfg"), ("oljefondet", "gpfg"),
                       ("Kap. XI Beskatning", "oecd-xi"), ("chapter 2", "oecd-ii")]:
        assert parse_label(text) == code, text
    with pytest.raises(ValueError, match="valid labels: oecd-ii"):
        parse_label("kap xii")


@pytest.mark.parametrize("raw,needle", [
    ("Høring om a\u030apenhetsloven", "åpenhetsloven"),
    ("Om åpen\u00adhets\u00adloven i dag", "åpenhetsloven"),
    ("Om åpen\u200bhetsloven \u202aog\u202c mer", "åpenhetsloven"),
])
def test_normalized_offsets_point_into_the_original(raw, needle):
    text, mapping = prepare(raw, "title")
    i = text.index(needle)
    s, e = mapping.span(i, i + len(needle))
    assert raw[s:e].replace("\u00ad", "").replace("\u200b", "") != ""
    import unicodedata
    cleaned = "".join(c for c in raw[s:e] if c not in "\u00ad\u200b\u202a\u202c")
    assert unicodedata.normalize("NFC", cleaned) == needle


def test_an_empty_register_finds_nothing():
    assert InstrumentMatcher([]).find("CSDDD, (EU) 2024/1760 og åpenhetsloven") == []
