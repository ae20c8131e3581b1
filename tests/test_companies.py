"""tracker.links.companies: names by legal-form suffix, identifiers, exceptions, and the store tables."""

from __future__ import annotations

from datetime import datetime

from crawlers.dates import OSLO
from tracker.links.companies import (
    extract,
    extract_item,
    list_companies,
    normalise,
    update_companies,
)
from tracker.store import merge as store


def names(text: str) -> list[str]:
    return [m.name for m in extract(text)]


def test_norwegian_title():
    assert names("Tilrådning om utelukkelse av Caterpillar Inc.") == ["Caterpillar Inc."]


def test_english_title_case_words_dropped():
    assert names("Decision on Exclusion of Caterpillar Inc.") == ["Caterpillar Inc."]


def test_several_companies_in_one_decision():
    assert names("Norges Bank has decided to revoke the exclusion of Kosmos Energy Ltd and Cairn Energy Plc.") == [
        "Kosmos Energy Ltd", "Cairn Energy Plc"]


def test_comma_separated_list():
    assert names("Volkswagen AG, Siemens AG; BASF SE.") == ["Volkswagen AG", "Siemens AG", "BASF SE"]


def test_ampersand():
    assert names("follow up Procter & Gamble Co through its ownership work") == ["Procter & Gamble Co"]


def test_diacritics():
    assert names("Etikkrådet tilrår observasjon av Nestlé S.A. og Brødrene Ærø & Søn ASA") == [
        "Nestlé S.A.", "Brødrene Ærø & Søn ASA"]


def test_connector_of_inside_a_name():
    assert names("positions in Bank of America Corp were sold") == ["Bank of America Corp"]


def test_name_with_a_number():
    assert names("Overtredelsesgebyr til Lager 157 AS etter åpenhetsloven") == ["Lager 157 AS"]


def test_exceptions_are_not_companies():
    assert names("Norges Bank Investment Management AS og Statens pensjonsfond") == []


def test_exception_prefix_stripped():
    assert names("Norges Bank Caterpillar Inc.") == ["Caterpillar Inc."]


def test_no_suffix_no_company():
    assert names("Meld. St. 22 (2024–2025) - Statens pensjonsfond 2025") == []


def test_lowercase_as_is_not_a_suffix():
    assert names("Selskapet er et as med begrenset ansvar") == []


def test_normalised_name_merges_spellings():
    assert normalise("Nestlé S.A.") == normalise("Nestle SA") == "nestle sa"
    assert normalise("The Procter & Gamble Company".removeprefix("The ")) == normalise("Procter & Gamble Co")


def test_orgnr_attached_to_the_company_before_it():
    found = extract("Brødrene Ærø & Søn ASA (org.nr. 923 609 016) og Kestrel Offshore Holdings Ltd")
    assert found[0].identifiers == {"orgnr": ["923609016"]} and found[1].identifiers == {}
    # a number whose mod-11 check digit is wrong is not an organisation number
    assert extract("Brødrene Ærø & Søn ASA (org.nr. 923 609 017)")[0].identifiers == {}


def test_isin_validated():
    assert extract("Apple Inc. (ISIN US0378331006)")[0].identifiers == {}  # wrong check digit
    found = extract("Nestlé S.A. (ISIN CH0038863350) and Caterpillar Inc. (ISIN US1491231015)")
    assert [m.identifiers for m in found] == [{"isin": ["CH0038863350"]}, {"isin": ["US1491231015"]}]


def test_item_fields_one_mention_per_company():
    item = {"title": "Decision on exclusion of Caterpillar Inc.", "summary": "Caterpillar Inc. is excluded.",
            "body": "Norges Bank excludes Caterpillar Inc."}
    mentions = extract_item(item)
    assert len(mentions) == 1 and mentions[0].field == "title"


def _store(db, source: str, kind: str, native_id: str, title: str, body: str = "") -> None:
    as_of = datetime(2026, 11, 24, 6, tzinfo=OSLO)
    run = store.start_run(db, as_of=as_of, mode="test", sources=[source])
    store.apply_scrape(db, run_id=run, as_of=as_of, source=source, items=[
        {"source": source, "kind": kind, "native_id": native_id, "title": title, "body": body,
         "url": f"https://example.org/{source}/{native_id}"}])


def test_company_across_sources(db):
    _store(db, "no_regjeringen_horinger", "hearing", "1", "Høring – etisk rammeverk",
           "Bakgrunnen er salget av Caterpillar Inc. i 2025.")
    _store(db, "no_nbim", "gpfg_decision", "2025/x", "Decision on exclusion of Caterpillar Inc.")
    _store(db, "no_forbrukertilsynet", "regulator_news", "3", "Vedtak mot Lager 157 AS")
    counts = update_companies(db)
    assert counts == {"items": 3, "mentions": 3, "companies_new": 2}
    cat = list_companies(db, "caterpillar")
    assert len(cat) == 1 and {i["source"] for i in cat[0]["items"]} == {"no_regjeringen_horinger", "no_nbim"}
    assert "salget av Caterpillar Inc." in next(i for i in cat[0]["items"] if i["source"] != "no_nbim")["evidence"]


def test_update_is_idempotent_and_per_item(db):
    _store(db, "no_nbim", "gpfg_decision", "a", "Decision on exclusion of Caterpillar Inc.")
    update_companies(db)
    update_companies(db)
    assert db["companies"].count == 1 and db["company_mentions"].count == 1
    _store(db, "no_nbim", "gpfg_decision", "a", "Decision on exclusion of Nestlé S.A.")
    assert update_companies(db, ["no_nbim:a"])["items"] == 1
    assert [c["name"] for c in list_companies(db)] == ["Nestlé S.A."]  # old mention replaced, company row kept
    assert db["companies"].count == 2


def test_name_filter_ignores_accents(db):
    _store(db, "no_nbim", "gpfg_decision", "b", "Observation of Nestlé S.A.")
    update_companies(db)
    assert [c["name"] for c in list_companies(db, "NESTLE")] == ["Nestlé S.A."]
