"""Other NCPs' cases flagged against the company register and the fund (tracker/links/ncp_cases.py)."""

from __future__ import annotations

from datetime import datetime

import pytest

from crawlers.dates import OSLO
from crawlers.spiders.oecd_ncp_cases import LISTING_URL, OecdNcpCasesSpider
from tests.conftest import file_response, make_spider
from tracker.links.companies import update_companies
from tracker.links.ncp_cases import flagged_cases
from tracker.store import merge as store
from tracker.store.instants import stored

DAY1 = datetime(2026, 11, 23, 6, tzinfo=OSLO)
DAY2 = datetime(2026, 11, 24, 6, tzinfo=OSLO)


def cases(*names: str) -> list[dict]:
    spider = make_spider(OecdNcpCasesSpider)
    out = []
    for name in names:
        response = file_response(f"oecd_ncp_cases/{name}.html", f"{LISTING_URL}instances/{name}.htm")
        out += [dict(i) for i in spider.parse_case(response, native_id=name)]
    return out


def put(db, as_of, source, items):
    run = store.start_run(db, as_of=as_of, mode="test", sources=[source])
    store.apply_scrape(db, run_id=run, as_of=as_of, source=source, items=items)


def fill(db):
    put(db, DAY1, "no_etikkradet", [
        {"source": "no_etikkradet", "kind": "gpfg_recommendation", "native_id": "9290",
         "url": "https://etikkradet.no/x/", "title": "Selskaper identifisert for Norges Banks eierskapsutøvelse",
         "body": "Etikkrådet har identifisert Compania Minera Rio Azul SA og Kestrel Offshore Holdings Ltd.",
         "extra": {"action": "ownership_flag"}},
        {"source": "no_etikkradet", "kind": "gpfg_recommendation", "native_id": "9100",
         "url": "https://etikkradet.no/y/", "title": "Nyhetsbrev", "body": "Om Rheinwerk Chemie AG.",
         "extra": {"action": "news"}},
    ])
    put(db, DAY1, "oecd_ncp_cases", cases("cl0045_day1", "nl0050", "br0019", "de0033"))
    put(db, DAY2, "oecd_ncp_cases", cases("uk0112"))
    update_companies(db)


def test_flagged_cases_with_reasons(db):
    fill(db)
    got = {c["id"]: c for c in flagged_cases(db)}
    assert set(got) == {"oecd_ncp_cases:cl0045_day1", "oecd_ncp_cases:br0019", "oecd_ncp_cases:uk0112",
                        "oecd_ncp_cases:de0033"}
    # spelled differently in the Etikkrådet post: one company in the register
    rio = got["oecd_ncp_cases:cl0045_day1"]
    assert [f["code"] for f in rio["flags"]] == ["gpfg", "norway_ncp"]
    assert "identifisert for Norges Banks eierskapsutøvelse" in rio["reason"]
    assert "Kontaktpunktet i Norge er støttende kontaktpunkt (ledende: Chile)" in rio["reason"]
    assert [f["code"] for f in got["oecd_ncp_cases:br0019"]["flags"]] == ["norwegian", "norway_ncp"]
    assert got["oecd_ncp_cases:de0033"]["reason"].startswith("Rheinwerk Chemie AG: nevnt i en sak om SPU")
    assert got["oecd_ncp_cases:uk0112"]["stage"] == "final_statement"
    assert got["oecd_ncp_cases:uk0112"]["chapters"] == ["oecd-iii", "oecd-vi"]


def test_unrelated_case_is_not_flagged(db):
    fill(db)
    assert "oecd_ncp_cases:nl0050" not in {c["id"] for c in flagged_cases(db)}


def test_since_keeps_only_new_or_changed(db):
    fill(db)
    # the window after day 1's run: day 2's new case only; a case changed at the bound is not re-shown
    assert [c["id"] for c in flagged_cases(db, since=stored(DAY1))] == ["oecd_ncp_cases:uk0112"]
    assert flagged_cases(db, since=stored(DAY2)) == []


def test_the_reasons_are_in_the_digests_language(db):
    """The English digest read «Kestrel Offshore Holdings Ltd: identifisert for Norges Banks
    eierskapsutøvelse (…)»: the reasons were Norwegian strings. They come from the catalogue now,
    the Bokmål ones as they were."""
    import re

    fill(db)
    nb = {c["id"]: c for c in flagged_cases(db)}
    en = {c["id"]: c for c in flagged_cases(db, lang="en")}
    rio, brazil = en["oecd_ncp_cases:cl0045_day1"], en["oecd_ncp_cases:br0019"]
    assert "identified for Norges Bank's ownership work («Selskaper identifisert" in rio["reason"]
    assert "Norway's NCP is a supporting NCP (lead: Chile)" in rio["reason"]
    assert "is a Norwegian company" in brazil["reason"]
    assert en["oecd_ncp_cases:de0033"]["reason"].startswith("Rheinwerk Chemie AG: named in a fund item")
    assert en["oecd_ncp_cases:uk0112"]["stage_text"] == "final statement"
    assert nb["oecd_ncp_cases:uk0112"]["stage_text"] == "sluttuttalelse"
    assert "er et norsk selskap" in nb["oecd_ncp_cases:br0019"]["reason"]
    # nothing Norwegian in the English reasons but the names and the quoted titles
    for case in en.values():
        outside = re.sub(r"«[^»]*»", "", case["reason"])
        assert not re.search(r"\b(?:er|et|norsk|selskap|saken|leder|støtter|nevnt|sak|om|av|fra)\b", outside), outside


def _case_section(md: str) -> str:
    heading = next(h for h in ("## Andre lands kontaktpunkter", "## Other NCPs' cases") if h in md)
    return md.split(heading, 1)[1].split("\n## ", 1)[0]


@pytest.mark.parametrize(("lang", "moved", "closed", "document", "stage_then", "new"), [
    ("nb", "Nytt trinn: akseptert for videre behandling → sluttuttalelse", "Lukket",
     "Nye dokumenter (1): Final statement", "Trinn: akseptert for videre behandling", "**NY**"),
    ("en", "New stage: accepted for further examination → final statement", "Closed",
     "New documents (1): Final statement", "Stage: accepted for further examination", "**NEW**"),
])
def test_the_digest_says_what_became_of_a_flagged_case(db, tmp_path, lang, moved, closed, document, stage_then, new):
    """On 24.11 case uk0112 went from «akseptert» to «sluttuttalelse» (closed, its final statement
    added), but «Andre lands kontaktpunkter» read word for word as on 23.11 — «Kestrel Offshore
    Holdings Ltd: identifisert for Norges Banks eierskapsutøvelse (…)» — with no NY, no change: the
    flag's reason only. Now a new case is NEW with its stage, a changed one says what changed."""
    import tracker.digest as digest

    (final,) = cases("uk0112")
    accepted = {**final, "status_raw": "In progress", "documents": final["documents"][:1],
                "extra": {**final["extra"], "stage": "accepted"}}
    put(db, DAY1, "no_etikkradet", [
        {"source": "no_etikkradet", "kind": "gpfg_recommendation", "native_id": "9290",
         "url": "https://etikkradet.no/x/", "title": "Selskaper identifisert for Norges Banks eierskapsutøvelse",
         "body": "Etikkrådet har identifisert Kestrel Offshore Holdings Ltd.", "extra": {"action": "ownership_flag"}}])
    put(db, DAY1, "oecd_ncp_cases", [accepted])
    update_companies(db)
    digest.write_for_run(db, as_of=DAY1, out_dir=tmp_path, lang=lang)
    put(db, DAY2, "oecd_ncp_cases", [final])

    day1 = _case_section(digest.render_markdown(digest.build_digest(db, as_of=DAY1, lang=lang)))
    assert f"- {new} **[Coastal Communities Alliance vs. Kestrel" in day1 and f"  - {stage_then}\n" in day1
    day2 = _case_section(digest.render_markdown(digest.build_digest(db, as_of=DAY2, lang=lang)))
    assert new not in day2
    lines = [line.strip()[2:] for line in day2.splitlines() if line.startswith("  - ")]
    assert lines[1:] == [moved, closed, document], day2  # after the reason: what happened, the stage's move first
    assert "final_statement" not in day2 and "accepted" not in day2.replace("accepted for further", "")

    html = digest.render_html(digest.build_digest(db, as_of=DAY2, lang=lang))
    assert moved.replace("→", "&rarr;") in html or moved in html


@pytest.mark.parametrize(("lang", "role", "sided"), [
    ("nb", "Kontaktpunktet i Norge er støttende kontaktpunkt (ledende: Chile)", "støtter saken"),
    ("en", "Norway's NCP is a supporting NCP (lead: Chile)", "supports the case"),
])
def test_a_supporting_ncp_reads_as_its_role_not_as_backing_the_complaint(db, tmp_path, lang, role, sided):
    """«Kontaktpunktet i Norge støtter saken» (en «Norway's NCP supports the case») for a case with
    `supporting_ncps: ['Norway']` read as the NCP backing the complaint; an impartial NCP must never
    appear so. It is the supporting NCP beside the lead, in the digest (Markdown and HTML)."""
    import html

    import tracker.digest as digest

    fill(db)
    for text in (digest.render_markdown(digest.build_digest(db, as_of=DAY1, lang=lang)),
                 html.unescape(digest.render_html(digest.build_digest(db, as_of=DAY1, lang=lang)))):
        assert role in text and sided not in text


@pytest.mark.parametrize(("lang", "said"), [
    ("nb", "Kontaktpunktet i Norge er støttende kontaktpunkt (ledende: Storbritannia)"),
    ("en", "Norway's NCP is a supporting NCP (lead: United Kingdom)"),
])
def test_the_lead_ncps_country_is_named_in_the_readers_language(db, lang, said):
    """«… (ledende: United Kingdom)» in the Bokmål digest: the OECD database's English name, where
    the item page already said «Kontaktpunktet i Storbritannia» (tracker.vocabulary.country_name)."""
    from tracker.links.ncp_cases import case_flags

    item = {"id": "oecd_ncp_cases:uk0200", "source": "oecd_ncp_cases", "kind": "ncp_case",
            "extra": {"lead_ncp": "United Kingdom", "supporting_ncps": ["Norway"]}}
    assert [f["text"] for f in case_flags(db, item, lang) if f["code"] == "norway_ncp"] == [said]
