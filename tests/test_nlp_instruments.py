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
    watch = tomllib.loads((REPO / "crawlers" / "watchlist.toml").read_text(encoding="utf-8"))
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


# -- the scan's gate (nlp/instruments.py: _gate_regex) -------------------------------------------
# find() looks for the next place a mention can start with a cheaper regex and lets the full one
# decide there; it must find exactly what the full regex alone finds.

def _stress_texts(n: int = 20000, seed: int = 11) -> list[str]:
    """Register names, abbreviations and identifiers in every spelling the scan allows (and some
    it does not), glued to each other and to boundary characters, digits and words."""
    import random

    rng = random.Random(seed)
    pieces = [p for ins in load_register()
              for p in (*ins.all_names(), *ins.abbreviations, *ins.identifiers)]

    def spelling(p: str) -> str:
        return rng.choice([
            p, p.upper(), p.lower(), p.title(), p.replace("å", "aa").replace("ø", "oe").replace("æ", "ae"),
            p.replace(" ", "\u00a0"), p.replace(" ", "-"), p.replace("-", ""), p.replace("-", "–"),
            p + "s", p + "’s", p + "ene", p[:-1], p[1:], "x" + p, p.replace("/", " / ")])

    filler = ["og", "the", "/", "-", "(", ")", "2024", "12345", "1/2", "æ", "å", "\u00a0", "–", "’",
              "COM", "(EU)", "nr.", "No.", "Prop.", "Innst.", "NOU", "LOV-", "(COD)", ",", ".", ":",
              "\n", "_", "ª", "²", "×", "\u200b", "Ωmega", "İ"]
    out = []
    for _ in range(n):
        parts = [spelling(rng.choice(pieces)) if rng.random() < 0.5 else rng.choice(filler)
                 for _ in range(rng.randint(1, 6))]
        out.append(rng.choice([" ", "", "/", "-", "\u00a0", "\0", "\n"]).join(parts))
    return out


def test_gated_scan_finds_exactly_what_the_full_regex_finds():
    m = InstrumentMatcher(load_register())
    from support import devset_texts

    texts = devset_texts() + _stress_texts()
    checked = mentions = 0
    for text in texts:
        padded = " " + text.lower()
        expected = [(x.span(), x.groupdict()) for x in m._re_lower.finditer(padded)]
        assert [(x.span(), x.groupdict()) for x in m._gated(padded)] == expected, text
        checked += 1
        mentions += len(expected)
    assert checked > 20000 and mentions > 10000  # the texts do exercise the scan


def test_gate_boundary_class_holds_every_character_before_a_mention():
    import re

    from nlp.instruments import _GATE_BOUNDARY

    gate, full = re.compile(_GATE_BOUNDARY), re.compile(r"[^\w/]")
    missing = [hex(cp) for cp in range(sys.maxunicode + 1)
               if full.match(chr(cp)) and not gate.match(chr(cp))]
    assert missing == []
