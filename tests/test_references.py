"""The reference resolver against a table of real-looking citations (EU, EEA and Norwegian)."""

from __future__ import annotations

import pytest

from tracker.links.references import celex_key, expand, extract, label, normalise

#: (text as it appears in a title or body, the keys expected in order)
TABLE: list[tuple[str, list[str]]] = [
    # CELEX numbers
    ("CELEX 32022L2464", ["celex:32022L2464"]),
    ("https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:32024L1760", ["celex:32024L1760"]),
    ("konsolidert tekst 02022L2464-20250417", ["celex:32022L2464"]),
    ("forslag 52025PC0081", ["com:2025:81"]),
    ("Regulation text 32023R1115 and 32024R3015", ["celex:32023R1115", "celex:32024R3015"]),
    ("https://eur-lex.europa.eu/eli/dir/2024/1760/oj", ["celex:32024L1760"]),
    ("eli/reg/2023/1542/oj", ["celex:32023R1542"]),
    # EU act numbers with a type word (English)
    ("Directive (EU) 2022/2464 of the European Parliament and of the Council", ["celex:32022L2464"]),
    ("Regulation (EU) 2024/3015 on prohibiting products made with forced labour", ["celex:32024R3015"]),
    ("Commission Delegated Regulation (EU) 2023/2772", ["celex:32023R2772"]),
    ("Regulation (EU) 2019/2088 on sustainability-related disclosures", ["celex:32019R2088"]),
    ("Regulation (EU) No 995/2010 (Timber Regulation)", ["celex:32010R0995"]),
    ("Regulation (EC) No 1907/2006 (REACH)", ["celex:32006R1907"]),
    ("amending Directives 2006/43/EC, 2013/34/EU, (EU) 2022/2464 and (EU) 2024/1760",
     ["celex:32006L0043", "celex:32013L0034", "celex:32022L2464", "celex:32024L1760"]),
    ("Decision (EU) 2022/591 on a General Union Environment Action Programme", ["celex:32022D0591"]),
    # … and Norwegian
    ("direktiv 2024/1760 om aktsomhetsvurderinger", ["celex:32024L1760"]),
    ("direktiv (EU) 2024/1760", ["celex:32024L1760"]),
    ("forordning (EU) 2023/1115 om avskogingsfrie produkter", ["celex:32023R1115"]),
    ("forordning (EF) nr. 1907/2006", ["celex:32006R1907"]),
    ("Europaparlaments- og rådsdirektiv (EU) 2022/2464", ["celex:32022L2464"]),
    ("gjennomføring av direktivet (EU) 2022/2464 i regnskapsloven", ["celex:32022L2464"]),
    ("delegert forordning (EU) 2023/2772 (ESRS)", ["celex:32023R2772"]),
    ("EUs batteriforordning, forordning (EU) 2023/1542", ["celex:32023R1542"]),
    # act number without type
    ("endringer i (EU) 2024/1760 og (EU) 2022/2464", ["eu:2024/1760", "eu:2022/2464"]),
    # COM numbers
    ("COM(2025) 81", ["com:2025:81"]),
    ("COM(2025)81 final", ["com:2025:81"]),
    ("COM (2025) 80", ["com:2025:80"]),
    ("COM/2025/80 final", ["com:2025:80"]),
    ("Norway's non-paper on COM(2025)81, August 2025", ["com:2025:81"]),
    # procedure references
    ("2022/0051(COD)", ["proc:2022/0051(COD)"]),
    ("procedure 2025/0045 (COD)", ["proc:2025/0045(COD)"]),
    ("2018/0178(cod)", ["proc:2018/0178(COD)"]),
    # Norwegian parliamentary documents
    ("Prop. 57 L (2023–2024)", ["prop:57L:2023-2024"]),
    ("Prop. 57 L (2023-2024)", ["prop:57L:2023-2024"]),
    ("Prop.57 L(2023–2024)", ["prop:57L:2023-2024"]),
    ("Prop. 150 L (2020–2021) om åpenhetsloven", ["prop:150L:2020-2021"]),
    ("Prop. 46 LS (2024–2025)", ["prop:46LS:2024-2025"]),
    ("Prop. 1 S (2025–26)", ["prop:1S:2025-2026"]),
    ("NOU 2023: 15", ["nou:2023:15"]),
    ("NOU 2023:15 Lov om bærekraftsrapportering", ["nou:2023:15"]),
    ("NOU 2025: 3 - Ny kulturmiljølov", ["nou:2025:3"]),
    ("Meld. St. 22 (2024–2025) Statens pensjonsfond 2025", ["meldst:22:2024-2025"]),
    ("Meld.St. 35 (2024-2025)", ["meldst:35:2024-2025"]),
    ("St.meld. nr. 20 (2007–2008)", ["meldst:20:2007-2008"]),
    ("Innst. 463 S (2024–2025)", ["innst:463S:2024-2025"]),
    ("Innst. 50 S (2025-2026)", ["innst:50S:2025-2026"]),
    ("Innst. 12 L (2023 – 2024)", ["innst:12L:2023-2024"]),
    # Norwegian law sections
    ("åpenhetsloven § 4", ["law:apenhetsloven§4"]),
    ("plikten etter åpenhetsloven §5", ["law:apenhetsloven§5"]),
    ("brudd på § 7 i åpenhetsloven", ["law:apenhetsloven§7"]),
    ("regnskapsloven § 2-3", ["law:regnskapsloven§2-3"]),
    # several in one text
    ("NOU 2023: 15 ble fulgt opp i Prop. 57 L (2023–2024), som gjennomfører direktiv (EU) 2022/2464.",
     ["nou:2023:15", "prop:57L:2023-2024", "celex:32022L2464"]),
    # false positives: none of these is a reference
    ("budsjettåret 2024/25", []),
    ("saksnr. 2024/1760 (vår ref.)", []),
    ("Ring 22 24 90 90 eller 2024/1760-3", []),
    ("Høringsfrist 15.12.2026 kl. 23:59", []),
    ("sesongen 2023–2024", []),
    ("Telefon +47 22 24 20 35, org.nr. 972 417 807", []),
    ("EØS-notat 2024/12 om kapittel 3", []),
    ("COMMUNICATION from 2025", []),
    ("EØS-komiteens beslutning nr. 123/2023", []),
    ("Decision of the EEA Joint Committee No 45/2022", []),
]


@pytest.mark.parametrize(("text", "keys"), TABLE, ids=[t[:40] for t, _ in TABLE])
def test_extract_table(text, keys):
    assert extract(text) == keys


def test_table_is_large_enough():
    assert sum(len(keys) for _, keys in TABLE) >= 40


def test_extract_empty():
    assert extract(None) == []
    assert extract("") == []


def test_extract_deduplicates_in_order():
    text = "COM(2025) 81 … COM(2025)81 … NOU 2023: 15 … COM/2025/81"
    assert extract(text) == ["com:2025:81", "nou:2023:15"]


def test_celex_key_consolidated_and_proposal():
    assert celex_key("02024L1760-20250417") == "celex:32024L1760"
    assert celex_key("52025PC0080") == "com:2025:80"
    assert celex_key("not a celex") is None


def test_expand_links_celex_and_act_number():
    assert expand("celex:32024L1760") == {"celex:32024L1760", "eu:2024/1760"}
    # before 2015 each act type had its own sequence: no act-number key
    assert expand("celex:32013L0034") == {"celex:32013L0034"}
    assert expand("celex:52025PC0081") == {"celex:52025PC0081", "com:2025:81"}
    assert expand("nou:2023:15") == {"nou:2023:15"}


def test_normalise_watchlist_values():
    assert normalise("32024L1760") == "celex:32024L1760"
    assert normalise("2022/0051(COD)") == "proc:2022/0051(COD)"
    assert normalise("COM(2025)81") == "com:2025:81"
    assert normalise("Prop. 57 L (2023–2024)") == "prop:57L:2023-2024"
    assert normalise("nothing") is None


@pytest.mark.parametrize(("key", "text"), [
    ("celex:32024L1760", "CELEX 32024L1760"),
    ("com:2025:81", "COM(2025) 81"),
    ("prop:57L:2023-2024", "Prop. 57 L (2023–2024)"),
    ("meldst:22:2024-2025", "Meld. St. 22 (2024–2025)"),
    ("nou:2023:15", "NOU 2023: 15"),
    ("proc:2022/0051(COD)", "2022/0051(COD)"),
])
def test_label_round_trips(key, text):
    assert label(key) == text
    assert normalise(text) == key
