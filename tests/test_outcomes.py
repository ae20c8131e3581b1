"""Outcome memory (tracker/links/outcomes.py): answered hearing → Prop. → Innst. → act."""

from __future__ import annotations

from datetime import datetime

import pytest

from crawlers.dates import OSLO
from tracker.links.outcomes import answered, outcome_chain, outcome_chains
from tracker.links.related import update_links
from tracker.store import merge as store
from tracker.workbench import triage

AS_OF = datetime(2027, 6, 16, 6, tzinfo=OSLO)


def put(db, source, kind, native_id, title, body="", published=None):
    run = store.start_run(db, as_of=AS_OF, mode="test", sources=[source])
    store.apply_scrape(db, run_id=run, as_of=AS_OF, source=source, items=[
        {"source": source, "kind": kind, "native_id": native_id, "title": title, "body": body,
         "published": published, "url": f"https://example.org/{source}/{native_id}"}])
    return f"{source}:{native_id}"


def answer(db, item_id, at):
    for state, owner in (("respond", None), ("assigned", "Kari"), ("drafting", None), ("submitted", None)):
        triage.set_state(db, item_id, state, owner=owner, by="kari", at=at)


@pytest.fixture
def world(db):
    hearing = put(db, "no_regjeringen_horinger", "hearing", "3150100",
                  "Høring – endringer i åpenhetsloven (gjennomføring av aktsomhetsdirektivet)",
                  "Gjennomføring av direktiv (EU) 2024/1760.", "2026-01-10T10:00:00+01:00")
    db.execute("update items set labels = ? where id = ?", ['["apenhetsloven", "oecd-iv"]', hearing])
    put(db, "no_stortinget_horinger", "committee_hearing", "sak-107130",
        "Komitéhøring: Prop. 25 L (2026-2027) Endringer i åpenhetsloven", "Om direktiv (EU) 2024/1760.",
        "2026-10-20T10:00:00+02:00")
    put(db, "no_stortinget_spu", "storting_case", "innst-120",
        "Innst. 120 L (2026–2027) Innstilling fra familie- og kulturkomiteen om Prop. 25 L (2026–2027)", "",
        "2027-05-02T10:00:00+02:00")
    put(db, "no_lovdata", "law_change", "LTI/lov/2027-06-15-40", "Lov om endringer i åpenhetsloven",
        "Jf. Prop. 25 L (2026–2027) og Innst. 120 L (2026–2027).", "2027-06-15T00:00:00+02:00")
    # answered, tied only by its title (no shared reference)
    titled = put(db, "no_regjeringen_horinger", "hearing", "3160000",
                 "Høring – forslag til lov om virksomheters plikt til bærekraftsrapportering i verdikjeden", "",
                 "2026-02-01T10:00:00+01:00")
    put(db, "no_stortinget_horinger", "committee_hearing", "sak-107200",
        "Komitéhøring: Lov om virksomheters plikt til bærekraftsrapportering i verdikjeden – Prop. 40 L (2026-2027)",
        "", "2026-11-01T10:00:00+01:00")
    lonely = put(db, "no_regjeringen_horinger", "hearing", "3170000", "Høring – endringer i vegtrafikkloven")
    unanswered = put(db, "no_regjeringen_horinger", "hearing", "3180000", "Høring – endringer i åpenhetsloven § 5")
    update_links(db, entries=[])
    answer(db, hearing, "2026-03-12T14:00:00+01:00")
    answer(db, titled, "2026-04-02T14:00:00+02:00")
    answer(db, lonely, "2026-05-02T14:00:00+02:00")
    return {"hearing": hearing, "titled": titled, "lonely": lonely, "unanswered": unanswered}


def test_full_chain(db, world):
    chain = outcome_chain(db, world["hearing"])
    assert [s["what"] for s in chain["steps"]] == ["answer", "prop", "innst", "act"]
    assert chain["text"] == ("Kontaktpunktets svar 12.03.2026 → Prop. 25 L (2026–2027) → Innst. 120 L (2026–2027)"
                             " → lov vedtatt 15.06.2027")
    assert chain["complete"] and chain["steps"][1]["how"] == "reference"
    assert chain["steps"][3]["item_id"] == "no_lovdata:LTI/lov/2027-06-15-40"


def test_chain_in_english_and_days_in_oslo(db, world):
    chain = outcome_chain(db, world["hearing"], "en")
    # the English pages' dates ("The NCP's answer 12.03.2026" was the Norwegian form)
    assert chain["text"].startswith("The NCP's answer Thu 12 Mar 2026 → Prop. 25 L")
    assert chain["text"].endswith("→ act adopted Tue 15 Jun 2027")
    # an answer given at 00:30 Oslo time is stored as 23:30 UTC the day before: shown on its Oslo day
    late = put(db, "no_regjeringen_horinger", "hearing", "3190000", "Høring – endringer i åpenhetsloven § 6")
    answer(db, late, "2026-03-13T00:30:00+01:00")
    assert next(db.query("select at from triage_history where item_id = ? limit 1", [late]))["at"] == \
        "2026-03-12T23:30:00+00:00"
    assert outcome_chain(db, late)["text"].startswith("Kontaktpunktets svar 13.03.2026")


def test_chain_by_title_is_marked(db, world):
    chain = outcome_chain(db, world["titled"])
    assert [(s["what"], s["how"]) for s in chain["steps"]] == [("answer", "triage"), ("prop", "title")]
    assert not chain["complete"]


def test_answered_without_outcome_and_unanswered(db, world):
    assert outcome_chain(db, world["lonely"])["text"] == "Kontaktpunktets svar 02.05.2026"
    assert outcome_chain(db, world["unanswered"]) is None and answered(db, world["unanswered"]) is None


def test_published_ncp_answer_counts(db, world):
    db["answers"].insert({"item_id": world["unanswered"], "url": "https://example.org/svar.pdf",
                          "responder": "Kontaktpunktet", "date": "2026-09-01", "is_ncp": 1})
    assert answered(db, world["unanswered"]) == {"date": "2026-09-01", "how": "published",
                                                 "url": "https://example.org/svar.pdf"}


def test_searchable_by_chapter(db, world):
    assert [c["hearing"]["id"] for c in outcome_chains(db, chapter="oecd-iv")] == [world["hearing"]]
    assert len(outcome_chains(db)) == 3
    assert outcome_chains(db, chapter="oecd-xi") == []


def test_cli_outcomes_by_chapter(db, world, tmp_path):
    from click.testing import CliRunner

    from tracker.cli import main

    path = db.conn.execute("pragma database_list").fetchone()[2]
    db.conn.commit()
    result = CliRunner().invoke(main, ["--db", path, "outcomes", "--chapter", "apenhetsloven"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "→ lov vedtatt 15.06.2027" in result.output and "vegtrafikkloven" not in result.output
    none = CliRunner().invoke(main, ["--db", path, "outcomes", "--chapter", "oecd-xi"], catch_exceptions=False)
    assert none.output.startswith("ingen besvarte høringer med merket oecd-xi")
    # the label's usual spellings are understood; a mistyped one is refused (it said "no answered
    # hearings labelled oecd-xx", as if there were none)
    spelled = CliRunner().invoke(main, ["--db", path, "outcomes", "--chapter", "Åpenhetsloven"], catch_exceptions=False)
    assert spelled.output == result.output
    bad = CliRunner().invoke(main, ["--db", path, "outcomes", "--chapter", "oecd-xx"], catch_exceptions=False)
    assert bad.exit_code == 2 and "ugyldig verdi for --chapter: ukjent merke 'oecd-xx'" in bad.output


def test_a_proposition_older_than_the_hearing_is_not_its_outcome(db, world, tmp_path):
    """A hearing of 2026 showed «→ Prop. 57 L (2023–2024)» as its outcome, through a 2021 EØS-notat
    sharing its CELEX number: a step dated before the hearing was published is left out; one
    dated after it stays (also when before the answer: the triage step may be recorded late)."""
    from click.testing import CliRunner

    from tracker.cli import main

    hearing = put(db, "no_regjeringen_horinger", "hearing", "3150137",
                  "Høring – endringer i regnskapsloven om bærekraftsrapportering som følge av Omnibus I",
                  "Gjennomføring av direktiv (EU) 2022/2464.", "2026-10-02T14:00:00+02:00")
    put(db, "no_eos_notater", "eea_note", "2951730", "Bærekraftsrapportering (CSRD)",
        "Direktiv (EU) 2022/2464. Gjennomført ved Prop. 57 L (2023–2024) og Innst. 400 L (2023–2024).",
        "2021-05-04T00:00:00+02:00")
    put(db, "no_lovdata", "law_change", "LTI/lov/2024-06-21-42", "Lov om endringer i regnskapsloven",
        "Direktiv (EU) 2022/2464. Jf. Prop. 57 L (2023–2024).", "2024-06-21T00:00:00+02:00")
    put(db, "no_stortinget_horinger", "committee_hearing", "sak-107132",
        "Komitéhøring: Endringer i regnskapsloven (bærekraftsrapportering, Omnibus I) – Prop. 31 LS (2026-2027)",
        "Om direktiv (EU) 2022/2464.", "2026-11-23T06:00:00+01:00")
    update_links(db, entries=[])
    answer(db, hearing, "2026-12-07T10:00:00+01:00")
    chain = outcome_chain(db, hearing)
    assert chain["text"] == "Kontaktpunktets svar 07.12.2026 → Prop. 31 LS (2026–2027)"
    assert [s["label"] for s in chain["steps"]] == ["Kontaktpunktets svar", "Prop. 31 LS (2026–2027)"]
    assert not chain["complete"]  # the 2024 act is the old proposition's, not this hearing's
    assert outcome_chain(db, hearing, "en")["text"] == "The NCP's answer Mon 7 Dec 2026 → Prop. 31 LS (2026–2027)"
    path = db.conn.execute("pragma database_list").fetchone()[2]
    db.conn.commit()
    out = CliRunner().invoke(main, ["--db", path, "outcomes"], catch_exceptions=False).output
    assert "  Kontaktpunktets svar 07.12.2026 → Prop. 31 LS (2026–2027)\n" in out and "Prop. 57 L" not in out
    en = CliRunner().invoke(main, ["--db", path, "outcomes", "--lang", "en"], catch_exceptions=False).output
    assert "  The NCP's answer Mon 7 Dec 2026 → Prop. 31 LS (2026–2027)\n" in en
    # the item page's «Hva ble svaret til?»
    from tracker.web.app import create_app

    client = create_app(path, as_of=AS_OF, data_dir=tmp_path / "data").test_client()
    page = client.get(f"/item/{hearing}").get_data(as_text=True)
    assert '<p class="chain" id="outcome-chain">Kontaktpunktets svar 07.12.2026 → Prop. 31 LS (2026–2027)</p>' in page
    page_en = client.get(f"/item/{hearing}?lang=en").get_data(as_text=True)
    assert "The NCP&#39;s answer Mon 7 Dec 2026 → Prop. 31 LS (2026–2027)</p>" in page_en
    assert "Prop. 57 L" not in page and "Prop. 57 L" not in page_en
    # the world's chain, whose steps all come after its hearing, keeps them all
    assert [s["what"] for s in outcome_chain(db, world["hearing"])["steps"]] == ["answer", "prop", "innst", "act"]


def test_a_hearing_without_a_date_is_bounded_by_the_answer(db, world):
    """Without the hearing's own date, a step before the NCP's answer is older than the answer (and
    the Innst. and act that follow that older Prop. are its outcome, not this hearing's)."""
    undated = put(db, "no_regjeringen_horinger", "hearing", "3150200",
                  "Høring – endringer i åpenhetsloven (gjennomføring av aktsomhetsdirektivet) del 2",
                  "Gjennomføring av direktiv (EU) 2024/1760.")
    db.execute("update items set published = null where id = ?", [undated])
    update_links(db, entries=[])
    answer(db, undated, "2027-01-10T10:00:00+01:00")  # after the committee hearing (2026), before the Innst. (2027)
    assert outcome_chain(db, undated)["text"] == "Kontaktpunktets svar 10.01.2027"
    assert outcome_chain(db, world["hearing"])["text"].endswith("→ Innst. 120 L (2026–2027) → lov vedtatt 15.06.2027")


@pytest.mark.parametrize(("published", "old_session_kept"), [
    ("2026-09-30T14:00:00+02:00", True),  # the last day of the 2025–2026 session
    ("2026-10-01T09:00:00+02:00", False),  # the first of 2026–2027: 2025–2026 has ended
])
def test_a_proposition_of_a_session_over_before_the_hearing_is_not_its_outcome(db, world, published,
                                                                                old_session_kept):
    """A Prop. or Innst. carried by an item without a date (an EØS-notat whose page gives none: its
    first seen is the crawl's, after the hearing) was kept as the outcome of a hearing published
    after its session («(2025–2026)») had ended. Its session now says it is older than the hearing,
    dated or not; one of the hearing's own session or a later one stays, also undated."""
    hearing = put(db, "no_regjeringen_horinger", "hearing", "3150300",
                  "Høring – endringer i regnskapsloven om bærekraftsrapportering (Omnibus I)",
                  "Gjennomføring av direktiv (EU) 2022/2464.", published)
    put(db, "no_eos_notater", "eea_note", "2951731", "Bærekraftsrapportering (CSRD)",
        "Direktiv (EU) 2022/2464. Gjennomført ved Prop. 57 L (2025–2026) og Innst. 400 L (2025–2026).")
    put(db, "no_stortinget_horinger", "committee_hearing", "sak-107133",
        "Komitéhøring: Endringer i regnskapsloven (Omnibus I) – Prop. 31 LS (2026-2027)",
        "Om direktiv (EU) 2022/2464.")
    update_links(db, entries=[])
    assert all(db["items"].get(i)["published"] is None for i in ("no_eos_notater:2951731",
                                                                  "no_stortinget_horinger:sak-107133"))
    answer(db, hearing, "2026-12-07T10:00:00+01:00")
    chain = outcome_chain(db, hearing)
    old = ["Prop. 57 L (2025–2026)", "Innst. 400 L (2025–2026)"]
    labels = [s["label"] for s in chain["steps"]]
    assert "Prop. 31 LS (2026–2027)" in labels  # of its own session: kept, undated
    assert all((label in labels) == old_session_kept for label in old), labels
    if not old_session_kept:
        assert chain["text"] == "Kontaktpunktets svar 07.12.2026 → Prop. 31 LS (2026–2027)"
