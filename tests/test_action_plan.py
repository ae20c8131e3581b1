"""The national action plan on business and human rights and policy coherence (tracker/links/action_plan.py)."""

from __future__ import annotations

from datetime import datetime

from click.testing import CliRunner
from support import others_checked

from crawlers.dates import OSLO
from tracker.cli import main
from tracker.links.action_plan import grouped_items, themes_of
from tracker.store import health
from tracker.store import merge as store
from tracker.store.db import open_db
from tracker.store.instants import stored


def item(title, body="", source="no_regjeringen_horinger", url="https://www.regjeringen.no/no/dokumenter/x/id3150359/"):
    return {"id": "regjeringen:3150359" if "regjeringen" in url else f"{source}:1", "source": source,
            "title": title, "body": body, "url": url}


def test_themes_recognised():
    assert themes_of(item("Høring – strategi for næringsliv og menneskerettigheter (ny nasjonal handlingsplan)")) == ["action_plan"]
    assert themes_of(item("Regjeringens handlingsplan for ansvarlig næringsliv og menneskerettigheter")) == ["action_plan"]
    assert themes_of(item("x", "Policy coherence for sustainable development", "eu_haveyoursay", "https://ec.europa.eu/x")) \
        == ["policy_coherence"]
    assert themes_of(item("OECD Recommendation on the Role of Government in Promoting Responsible Business Conduct",
                          source="oecd", url="https://mneguidelines.oecd.org/x")) == ["policy_coherence"]


def test_action_plan_only_from_regjeringen_and_not_loose_words():
    assert themes_of(item("National action plan on business and human rights", source="eu_haveyoursay",
                          url="https://ec.europa.eu/x")) == []
    assert themes_of(item("Menneskerettigheter i næringslivet: ny veileder")) == []


def test_grouped_and_cli(tmp_path):
    path = tmp_path / "a.db"
    db = open_db(path)
    as_of = datetime(2026, 11, 24, 6, tzinfo=OSLO)
    run = store.start_run(db, as_of=as_of, mode="test", sources=["no_regjeringen_horinger"])
    store.apply_scrape(db, run_id=run, as_of=as_of, source="no_regjeringen_horinger", items=[
        {"source": "no_regjeringen_horinger", "kind": "hearing", "native_id": "3150359",
         "title": "Høring – strategi for næringsliv og menneskerettigheter (ny nasjonal handlingsplan)",
         "body": "Strategien skal styrke samstemt politikk for ansvarlig næringsliv.",
         "url": "https://www.regjeringen.no/no/dokumenter/horing/id3150359/", "deadline": "2026-12-14T23:59:59+01:00"},
        {"source": "no_regjeringen_horinger", "kind": "hearing", "native_id": "3150360",
         "title": "Høring – endringer i vegtrafikkloven", "url": "https://www.regjeringen.no/no/dokumenter/v/id3150360/"}])
    with db.conn:  # a crawl that succeeded, as the daily run leaves it
        health.record(db, run, health.SourceRun(source="no_regjeringen_horinger", items_seen=2), stored(as_of))
    others_checked(db, run, stored(as_of))
    store.finish_run(db, run, 0)
    groups = grouped_items(db)
    db.close()
    assert [i["id"] for i in groups["action_plan"]] == ["regjeringen:3150359"]
    assert [i["id"] for i in groups["policy_coherence"]] == ["regjeringen:3150359"]
    result = CliRunner().invoke(main, ["--db", str(path), "action-plan", "--as-of", "2026-11-24T09:00"],
                                catch_exceptions=False)
    assert result.exit_code == 0 and result.stderr == ""
    assert "Handlingsplan for næringsliv og menneskerettigheter (1)" in result.stdout
    assert "(ny nasjonal handlingsplan)  frist man. 14.12.2026" in result.stdout
    assert "vegtrafikkloven" not in result.stdout
    # a deadline at midnight sharp (the EU's «midnight Brussels») is the day before, as the digest and
    # `items` say it: the command printed the calendar day of the stored time, a day later than they
    db = open_db(path)
    with db.conn:
        db.execute("update items set deadline = '2026-12-15T00:00:00+01:00' where id = 'regjeringen:3150359'")
    db.close()
    midnight = CliRunner().invoke(main, ["--db", str(path), "action-plan", "--as-of", "2026-11-24T09:00"])
    assert "(ny nasjonal handlingsplan)  frist man. 14.12.2026" in midnight.stdout, midnight.stdout
    # in English throughout (it printed Bokmål only: banners, headings, «frist»)
    english = CliRunner().invoke(main, ["--db", str(path), "action-plan", "--lang", "en", "--as-of", "2026-11-24T09:00"])
    assert english.exit_code == 0 and "National action plan on business and human rights (1)" in english.stdout
    assert "(ny nasjonal handlingsplan)  deadline Mon 14 Dec 2026" in english.stdout and "frist" not in english.stdout
    assert "Policy coherence for responsible business (1)" in english.stdout
    # a week later, nothing crawled since: the same list, and it says its data is old (exit 2)
    old = CliRunner().invoke(main, ["--db", str(path), "action-plan", "--as-of", "2026-12-01"])
    assert old.exit_code == 2 and "Handlingsplan for næringsliv og menneskerettigheter (1)" in old.stdout
    assert old.stderr.startswith("feil: ") and "36 timer" in old.stderr
    old_en = CliRunner().invoke(main, ["--db", str(path), "action-plan", "--lang", "en", "--as-of", "2026-12-01"])
    assert old_en.exit_code == 2 and "36 hours" in old_en.stderr


def test_action_plan_on_a_store_no_crawl_has_filled_says_so(tmp_path):
    """"(ingen saker funnet)" under every theme, exit 0, was all it said before any crawl."""
    open_db(tmp_path / "e.db").close()
    result = CliRunner().invoke(main, ["--db", str(tmp_path / "e.db"), "action-plan"])
    assert result.exit_code == 2 and "(ingen saker funnet)" in result.stdout
    assert result.stderr.startswith("feil: ")
    english = CliRunner().invoke(main, ["--db", str(tmp_path / "e.db"), "action-plan", "--lang", "en"])
    assert english.exit_code == 2 and "(no items found)" in english.stdout


def test_every_form_the_patterns_know_is_found_through_the_text_index(tmp_path):
    """grouped_items asks the search index first (a LIKE over every item's text took 5 s at a
    million items), then the patterns decide: each wording they match must be among its hits, in
    Norwegian and English items, in title, summary or body, in any case and inflection."""
    db = open_db(tmp_path / "a.db")
    as_of = datetime(2026, 11, 24, 6, tzinfo=OSLO)
    cases = [  # (native id, source, language, field, text, theme)
        ("1", "no_regjeringen_horinger", "nb", "body", "Arbeidet med politikksamstemtheten skal styrkes.", "policy_coherence"),
        ("2", "eu_haveyoursay", "en", "summary", "Towards Policy Coherence for Development.", "policy_coherence"),
        ("3", "oecd_ncp_cases", "en", "body", "See OECD/LEGAL/0486 on the state's role.", "policy_coherence"),
        ("4", "eu_haveyoursay", "en", "title", "The Role of Government in Promoting Responsible Business Conduct",
         "policy_coherence"),
        ("5", "no_regjeringen_horinger", "en", "title", "Norway's National Action Plan on Business and Human Rights",
         "action_plan"),
        ("6", "no_regjeringen_horinger", "nb", "summary", "Ny STRATEGI FOR ANSVARLIG NÆRINGSLIV OG MENNESKERETTIGHETER.",
         "action_plan"),
        ("7", "no_regjeringen_horinger", "nb", "body", "Samstemt   politikk for utvikling.", "policy_coherence"),
    ]  # fmt: skip
    for nid, source, lang, field, text, _theme in cases:
        run = store.start_run(db, as_of=as_of, mode="test", sources=[source])
        url = (f"https://www.regjeringen.no/no/dokumenter/x/id{nid}/" if source.startswith("no_regjeringen")
               else f"https://example.org/{nid}")
        row = {"source": source, "kind": "hearing", "native_id": nid, "title": f"Sak {nid}", "url": url,
               "language": lang, field: text}
        store.apply_scrape(db, run_id=run, as_of=as_of, source=source, items=[row])
    groups = grouped_items(db)
    found = {(i["title"] if not i["title"].startswith("Sak ") else i["title"][4:], theme)
             for theme, items in groups.items() for i in items}
    wanted = {(text if field == "title" else nid, theme) for nid, _s, _l, field, text, theme in cases}
    assert wanted <= found, wanted - found


def test_each_themes_words_are_in_every_text_its_pattern_matches():
    """themes_of looks for a theme's words (case-folded) before its case-insensitive pattern (the
    patterns were most of `action-plan`'s time on a large store): a text the pattern matches always
    holds one of them, on the development sets' texts and on spellings made to try the edges."""
    from support import devset_texts

    from tracker.links import might_match
    from tracker.links.action_plan import THEMES

    texts = devset_texts()
    phrases = ["Handlingsplan for næringsliv og menneskerettigheter", "strategien for ansvarlig næringsliv og menneskerettigheter",
               "handlingsplanen om Norges oppfølging for næringslivet og menneskerettigheter",
               "National Action Plan on Business and Human Rights", "action plan on business and human rights",
               "samstemt politikk", "Politikksamstemthet", "Policy Coherence", "OECD/LEGAL/0486",
               "the role of government in promoting responsible business conduct"]
    for p in phrases:
        texts += [p, p.upper(), p.lower(), p.replace(" ", "\n"), p.replace(" ", "  "), f"({p})",
                  p.upper().replace("I", "İ"), p.replace("i", "ı")]
    matched = 0
    for name, theme in THEMES.items():
        for text in texts:
            if theme["pattern"].search(text):
                matched += 1
                assert might_match(text, text.casefold(), theme["words"]), (name, text)
    assert matched > 40
    assert themes_of({"id": "regjeringen:1", "source": "no_regjeringen_horinger", "title": phrases[0].upper()}) == [
        "action_plan"]
    # the dotted capital İ: casefold() gives "i" and a combining dot, the pattern takes it for "i"
    assert themes_of({"id": "regjeringen:1", "source": "no_regjeringen_horinger",
                      "title": "HANDLİNGSPLAN FOR NÆRİNGSLİV OG MENNESKERETTİGHETER"}) == ["action_plan"]
