"""tracker.links.gpfg: actors, stages, ordering, committee-hearing links and the digest sections."""

from __future__ import annotations

from datetime import datetime

from support import put_evidence

from crawlers.dates import OSLO
from tracker.links import gpfg
from tracker.store import merge as store

DAY1 = datetime(2026, 11, 23, 6, tzinfo=OSLO)
DAY2 = datetime(2026, 11, 24, 6, tzinfo=OSLO)


def _put(db, as_of, source, items, *, backfill=False):
    run = store.start_run(db, as_of=as_of, mode="test", sources=[source], backfill=backfill)
    store.apply_scrape(db, run_id=run, as_of=as_of, source=source,
                       items=[{"source": source, "url": f"https://example.org/{source}/{i['native_id']}", **i}
                              for i in items])


def _seed(db):
    _put(db, DAY1, "no_finansdep", [
        {"native_id": "1", "kind": "hearing", "title": "Høring – NOU 2026: 14 Etisk rammeverk for SPU",
         "owner": "Finansdepartementet", "published": "2026-10-05T11:00:00+02:00"},
        {"native_id": "2", "kind": "gpfg_document", "title": "Midlertidige etiske retningslinjer for Statens pensjonsfond utland",
         "owner": "Finansdepartementet", "published": "2025-11-07T15:00:00+01:00", "extra": {"doc_type": "Retningslinjer"}},
        {"native_id": "3", "kind": "gpfg_document", "title": "Meld. St. 22 (2024–2025) - Statens pensjonsfond 2025",
         "owner": "Finansdepartementet", "published": "2025-04-04T10:00:00+02:00"},
        {"native_id": "4", "kind": "gpfg_document", "title": "NOU 2026: 14 Etisk rammeverk", "owner": "Finansdepartementet",
         "published": "2026-10-01T12:00:00+02:00"},
    ])
    _put(db, DAY1, "no_etikkradet", [
        {"native_id": "8870", "kind": "gpfg_recommendation", "title": "Tilrådning om utelukkelse av Caterpillar Inc.",
         "owner": "Etikkrådet", "published": "2025-08-25T10:00:00+00:00", "extra": {"action": "exclusion"}}])
    _put(db, DAY1, "no_nbim", [
        {"native_id": "2025/x", "kind": "gpfg_decision", "title": "Decision on exclusion of Caterpillar Inc.",
         "owner": "Norges Bank", "published": "2025-08-25T09:30:00+02:00", "extra": {"decision": "exclusion"}}])
    _put(db, DAY1, "no_stortinget_spu", [
        {"native_id": "107131", "kind": "storting_case", "title": "Statens pensjonsfond utland – etisk rammeverk",
         "owner": "Finanskomiteen", "reference": "Meld. St. 8 (2026-2027)", "published": "2026-11-06T00:00:00+01:00"}])
    _put(db, DAY1, "no_stortinget_horinger", [
        {"native_id": "sak-107131", "kind": "committee_hearing", "owner": "Finanskomiteen",
         "title": "Komitéhøring: etisk rammeverk – Meld. St. 8 (2026-2027)", "deadline": "2026-12-04T23:59:59+01:00",
         "extra": {"case_ids": ["107131"]}},
        {"native_id": "sak-1", "kind": "committee_hearing", "owner": "Helse- og omsorgskomiteen",
         "title": "Komitéhøring: Statsbudsjettet 2027 (helse- og omsorgskomiteen) – Prop. 1 S (2026-2027)"}])
    _put(db, DAY1, "no_forbrukertilsynet", [
        {"native_id": "41220", "kind": "regulator_news", "title": "Oppdatert veiledning om aktsomhetsvurderinger",
         "published": "2026-11-19T09:00:00+00:00", "extra": {"topic": "åpenhetsloven"}},
        {"native_id": "41201", "kind": "regulator_news", "title": "Villedende miljøpåstander",
         "published": "2026-11-20T11:00:00+00:00", "extra": {"topic": None}}])


def test_actor_of():
    assert gpfg.actor_of({"source": "no_nbim"}) == "Norges Bank"
    assert gpfg.actor_of({"source": "no_regjeringen_horinger", "owner": "Finansdepartementet"}) == "Finansdepartementet"
    assert gpfg.actor_of({"source": "x", "kind": "committee_hearing"}) == "Stortinget"
    assert gpfg.actor_of({"source": "x", "owner": "Klima- og miljødepartementet"}) == "Andre"


def test_stages(db):
    _seed(db)
    stages = {i["title"][:25]: i["stage"] for i in gpfg.gpfg_items(db)}
    assert stages == {
        "Høring – NOU 2026: 14 Eti": "hearing", "Midlertidige etiske retni": "decision",
        "Meld. St. 22 (2024–2025) ": "white_paper", "NOU 2026: 14 Etisk rammev": "proposal",
        "Tilrådning om utelukkelse": "proposal", "Decision on exclusion of ": "decision",
        "Statens pensjonsfond utla": "storting", "Komitéhøring: etisk ramme": "storting"}


def test_unrelated_committee_hearing_and_regulator_news_excluded(db):
    _seed(db)
    ids = {i["id"] for i in gpfg.gpfg_items(db)}
    assert "no_stortinget_horinger:sak-1" not in ids and not any(i.startswith("no_forbruker") for i in ids)


def test_order_by_actor_then_stage_newest_first(db):
    _seed(db)
    fin = [(i["stage"], i["published"][:10]) for i in gpfg.gpfg_items(db, actor="Finansdepartementet")]
    assert fin == [("proposal", "2026-10-01"), ("hearing", "2026-10-05"), ("decision", "2025-11-07"),
                   ("white_paper", "2025-04-04")]
    actors = [i["actor"] for i in gpfg.gpfg_items(db)]
    assert actors == sorted(actors, key=gpfg.ACTORS.index)


def test_by_stage(db):
    _seed(db)
    stages = [i["stage"] for i in gpfg.gpfg_items(db, by="stage")]
    assert stages == sorted(stages, key=gpfg.STAGES.index)


def test_committee_hearing_linked_to_case(db):
    _seed(db)
    items = {i["id"]: i for i in gpfg.gpfg_items(db, actor="Stortinget")}
    assert items["no_stortinget_spu:107131"]["related"] == ["no_stortinget_horinger:sak-107131"]
    assert items["no_stortinget_horinger:sak-107131"]["related"] == ["no_stortinget_spu:107131"]


def test_tagged_item_from_another_source_included(db):
    _seed(db)
    _put(db, DAY1, "eu_oeil", [{"native_id": "z", "kind": "eu_procedure", "title": "Something on sovereign funds"}])
    put_evidence(db, "eu_oeil:z", "gpfg", 1.0, [])
    assert any(i["id"] == "eu_oeil:z" and i["actor"] == "Andre" for i in gpfg.gpfg_items(db))


def test_digest_section_only_changes_since(db):
    _seed(db)
    _put(db, DAY2, "no_nbim", [
        {"native_id": "2026/sub", "kind": "gpfg_decision", "title": "Norges Bank's submission on NOU 2026: 14",
         "owner": "Norges Bank", "published": "2026-11-23T00:00:00+01:00"}])
    section = gpfg.digest_section(db, since=DAY1, as_of=DAY2)
    assert [(s["id"], s["actor"], s["stage"], s["change"]) for s in section] == [
        ("no_nbim:2026/sub", "Norges Bank", "hearing", "new")]
    assert set(section[0]) >= {"id", "title", "url", "actor", "stage", "published", "status"}
    assert len(gpfg.digest_section(db, since="2026-11-22", as_of=DAY1)) == 8


def test_a_backfill_of_the_funds_history_is_not_news_in_its_sections(db):
    """`ncp-tracker backfill` walks regjeringen.no's hearings back to 2015 and stores the fund's
    old hearings: items entering the store today, but history (a backfill run's events), which the
    digest's GPFG and åpenhetsloven sections must not list as new or changed since yesterday."""
    _seed(db)
    _put(db, DAY2, "no_regjeringen_horinger", [
        {"native_id": "2019", "kind": "hearing", "title": "Høring – endringer i mandatet for Statens pensjonsfond utland",
         "owner": "Finansdepartementet", "published": "2019-03-01T10:00:00+01:00"},
        {"native_id": "2021", "kind": "hearing", "title": "Høring – forslag til lov om virksomheters åpenhet",
         "owner": "Barne- og familiedepartementet", "published": "2021-01-15T10:00:00+01:00"},
        # the walk's first page: a hearing of yesterday is news, whoever stored it first
        {"native_id": "2026", "kind": "hearing", "title": "Høring – retningslinjer for observasjon og utelukkelse",
         "owner": "Finansdepartementet", "published": "2026-11-23T12:00:00+01:00"}], backfill=True)
    put_evidence(db, "no_regjeringen_horinger:2019", "gpfg", 1.0, [])
    put_evidence(db, "no_regjeringen_horinger:2021", "apenhetsloven", 1.0, [])
    put_evidence(db, "no_regjeringen_horinger:2026", "gpfg", 1.0, [])
    assert any(i["id"] == "no_regjeringen_horinger:2019" for i in gpfg.gpfg_items(db))  # followed, as history
    assert [(s["id"], s["change"]) for s in gpfg.digest_section(db, since=DAY1, as_of=DAY2)] == [
        ("no_regjeringen_horinger:2026", "new")]
    assert gpfg.apenhetsloven_section(db, since=DAY1, as_of=DAY2) == []


def test_apenhetsloven_section_holds_the_items_about_the_act(db):
    """The regulator's news not about the act (green claims here) is not listed: an item is there
    when its spider marked it (its own words name the act) or the tagger labelled it."""
    _seed(db)
    section = gpfg.apenhetsloven_section(db, since="2026-11-22", as_of=DAY1)
    assert [s["id"] for s in section] == ["no_forbrukertilsynet:41220"]
    put_evidence(db, "no_forbrukertilsynet:41201", "apenhetsloven", 1.0, [])
    assert [s["id"] for s in gpfg.apenhetsloven_section(db, "2026-11-22", DAY1)] == [
        "no_forbrukertilsynet:41201", "no_forbrukertilsynet:41220"]  # newest first
    assert gpfg.apenhetsloven_section(db, since=DAY1, as_of=DAY2) == []


def test_digest_sections_of_an_earlier_day_show_the_items_as_they_stood(db):
    """Day 1's SPU section written after day 2 gave the hearing's day-2 deadline and title."""
    from tracker.store.queries import last_event_id

    _seed(db)
    hearing = {"native_id": "1", "kind": "hearing", "title": "Høring – NOU 2026: 14 Etisk rammeverk for SPU",
               "owner": "Finansdepartementet", "published": "2026-10-05T11:00:00+02:00"}
    _put(db, DAY1, "no_finansdep", [{**hearing, "deadline": "2027-01-13T23:59:59+01:00"}])
    upto = last_event_id(db, DAY1)
    _put(db, DAY2, "no_finansdep", [{**hearing, "deadline": "2027-02-01T23:59:59+01:00",
                                     "title": hearing["title"] + " (utsatt frist)"}])

    def entry(**kw):
        return next(s for s in gpfg.digest_section(db, since="2026-11-22", as_of=DAY1, **kw)
                    if s["id"] == "no_finansdep:1")

    assert (entry(upto=upto)["deadline"], entry(upto=upto)["title"]) == ("2027-01-13T23:59:59+01:00", hearing["title"])
    assert entry()["deadline"] == "2027-02-01T23:59:59+01:00"  # as it stands


def test_names_fund_is_the_fund_regex_found_faster():
    """`names_fund` tests for a word every FUND match holds before the case-insensitive regex (it
    was most of /gpfg's time on a large store): the same answer as FUND alone, on the development
    sets' texts and on spellings made to try the words' edges."""
    from support import devset_texts

    texts = devset_texts()
    phrases = ["Statens pensjonsfond utland", "pensjonsfondet", "Oljefondet", "SPU", "GPFG", "the Government Pension Fund",
               "Etikkrådet", "Council on Ethics", "etiske retningslinjer", "Ethical Guidelines", "forvaltningsmandatet"]
    for p in phrases:
        texts += [p, p.upper(), p.lower(), p.replace(" ", "\n"), p.replace(" ", "\u00a0"), f"x{p}", f"{p}x",
                  f"({p})", p.replace("å", "Å"), p[:-1], p[1:], p.upper().replace("I", "İ"), p.replace("i", "ı")]
    texts += ["spurte", "Spunnet", "pensjon", "pension scheme", "ethically", "etisk", ""]
    disagree = [(t, gpfg.names_fund(t)) for t in texts if gpfg.names_fund(t) != (gpfg.FUND.search(t) is not None)]
    assert disagree == []
    found = sum(gpfg.names_fund(t) for t in texts)
    assert 50 < found < len(texts) - 1000  # the texts try both answers


def test_the_letters_casefold_misses_are_all_the_regexes_take_for_a_word_letter():
    """`might_match` sends a text to the regex when a word is in its casefold() or it holds a letter
    of FOLD_MISSES: enough only if every character a case-insensitive regex takes for a letter of
    the words either folds to that letter or is listed. Checked over every Unicode character for
    the words of names_fund and the action plan's themes (ETİKKRÅDET, with the dotted capital İ,
    was no fund: casefold gives "i" and a combining dot)."""
    import re

    from tracker.links import FOLD_MISSES, might_match
    from tracker.links.action_plan import THEMES

    words = set(gpfg._FUND_WORDS) | {w for theme in THEMES.values() for w in theme["words"]}
    everything = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF)
    missed = {m.group() for letter in sorted(set("".join(words)))
              for m in re.finditer(re.escape(letter), everything, re.I) if m.group().casefold() != letter}
    assert missed == set(FOLD_MISSES)
    assert gpfg.names_fund("ETİKKRÅDET") and gpfg.names_fund("etıkkrådet")
    assert not might_match("Etisk regnskap", "etisk regnskap", ("etikkråd",))
