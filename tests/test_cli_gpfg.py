"""`ncp-tracker companies` and `ncp-tracker gpfg` on a small store."""

from __future__ import annotations

import json
from datetime import datetime

import pytest
from click.testing import CliRunner

from crawlers.dates import OSLO
from tracker.cli import main
from tracker.store import health
from tracker.store import merge as store
from tracker.store.db import open_db
from tracker.store.instants import stored


def _seed(path):
    db = open_db(path)
    as_of = datetime(2026, 11, 24, 6, tzinfo=OSLO)
    for source, kind, nid, title, body in (
        ("no_regjeringen_horinger", "hearing", "1", "Høring – etisk rammeverk for Statens pensjonsfond utland",
         "Salget av Caterpillar Inc. i august 2025."),
        ("no_nbim", "gpfg_decision", "2025/x", "Decision on exclusion of Caterpillar Inc.", ""),
        ("no_etikkradet", "gpfg_recommendation", "9", "Tilrådning om observasjon av Nestlé S.A.", ""),
    ):
        run = store.start_run(db, as_of=as_of, mode="test", sources=[source])
        store.apply_scrape(db, run_id=run, as_of=as_of, source=source, items=[
            {"source": source, "kind": kind, "native_id": nid, "title": title, "body": body,
             "owner": "Finansdepartementet" if kind == "hearing" else None,
             "published": "2026-11-20T10:00:00+01:00", "url": f"https://example.org/{nid}",
             "deadline": "2027-01-13" if kind == "hearing" else None}])
        with db.conn:  # a crawl that succeeded, as the daily run leaves it
            health.record(db, run, health.SourceRun(source=source, items_seen=1), stored(as_of))
        store.finish_run(db, run, 0)
    db.close()


#: the clock of the commands: three hours after the seeded crawl (its data is current)
AS_OF = "2026-11-24T09:00"


def _seed_and_run(path):
    """The store after a run: `run` extracts company mentions after every crawl."""
    from tracker.links.companies import update_companies

    _seed(path)
    db = open_db(path)
    update_companies(db)
    db.close()


def test_companies_lists_items_across_sources(tmp_path):
    path = tmp_path / "t.db"
    _seed(path)
    before = CliRunner().invoke(main, ["--db", str(path), "companies", "caterpillar"])
    assert before.exit_code == 0 and "ingen sak nevner et selskap ved navn 'caterpillar'" in before.output  # a read writes nothing
    result = CliRunner().invoke(main, ["--db", str(path), "companies", "caterpillar", "--refresh"])
    assert result.exit_code == 0, result.output
    assert "Caterpillar Inc." in result.output and "Nestlé" not in result.output
    # each item's source by its name after its title, as the web's list (it was a column of codes)
    sources = {line.rsplit(" · ", 1)[1] for line in result.output.splitlines() if line.startswith("  ") and " · " in line}
    assert sources == {"Norges Bank Investment Management (NBIM)", "Høringer (regjeringen.no)"}, result.output
    assert "no_nbim" not in result.output and "no_regjeringen_horinger" not in result.output
    english = CliRunner().invoke(main, ["--db", str(path), "companies", "caterpillar", "--lang", "en"]).output
    assert "· Government hearings (regjeringen.no)" in english


def test_companies_jsonl(tmp_path):
    path = tmp_path / "t.db"
    _seed_and_run(path)
    result = CliRunner().invoke(main, ["--db", str(path), "companies", "--format", "jsonl"])
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert {r["name"] for r in rows} == {"Caterpillar Inc.", "Nestlé S.A."}


def test_companies_unknown_name(tmp_path):
    path = tmp_path / "t.db"
    _seed(path)
    result = CliRunner().invoke(main, ["--db", str(path), "companies", "equinor"])
    assert result.exit_code == 0 and "ingen sak nevner et selskap ved navn 'equinor'" in result.output


def test_companies_suggests_the_names_a_misspelt_one_may_mean(tmp_path):
    """`companies caterpilar` said «ingen sak nevner et selskap ved navn 'caterpilar'» and nothing
    more: the store knows Caterpillar Inc."""
    path = tmp_path / "t.db"
    _seed_and_run(path)
    result = CliRunner().invoke(main, ["--db", str(path), "companies", "caterpilar"])
    assert result.exit_code == 0
    assert result.output == "ingen sak nevner et selskap ved navn 'caterpilar' (mente du 'Caterpillar Inc.'?)\n"
    result = CliRunner().invoke(main, ["--db", str(path), "companies", "nestle sa", "--lang", "en"])
    assert "Nestlé S.A." in result.output and "did you mean" not in result.output  # a match is listed
    result = CliRunner().invoke(main, ["--db", str(path), "companies", "nestel", "--lang", "en"])
    assert result.output == "no company named 'nestel' in any item (did you mean 'Nestlé S.A.'?)\n"
    result = CliRunner().invoke(main, ["--db", str(path), "companies", "equinor"])
    assert result.output == "ingen sak nevner et selskap ved navn 'equinor'\n"  # nothing close: nothing offered


def test_gpfg_groups_by_actor_and_stage(tmp_path):
    path = tmp_path / "t.db"
    _seed(path)
    result = CliRunner().invoke(main, ["--db", str(path), "gpfg", "--as-of", AS_OF])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    # in Bokmål, as the GPFG page names actors and stages
    assert lines.index("Finansdepartementet") < lines.index("Etikkrådet") < lines.index("Norges Bank")
    assert "  Høring" in lines and "  Beslutning" in lines
    assert any(line.endswith("[åpen]  frist ons. 13.01.2027") for line in lines), lines
    by_stage = CliRunner().invoke(main, ["--db", str(path), "gpfg", "--by", "stage", "--as-of", AS_OF]).output
    assert "Høring\n  Finansdepartementet\n" in by_stage
    # in English, each actor also as --actor names it
    english = CliRunner().invoke(main, ["--db", str(path), "gpfg", "--as-of", AS_OF, "--lang", "en"])
    lines = english.output.splitlines()
    assert (lines.index("Ministry of Finance (Finansdepartementet)") < lines.index("Council on Ethics (Etikkrådet)")
            < lines.index("Norges Bank"))
    assert "  Hearing" in lines and "  Decision" in lines
    assert any(line.endswith("[open]  deadline Wed 13 Jan 2027") for line in lines), lines
    by_stage = CliRunner().invoke(main, ["--db", str(path), "gpfg", "--by", "stage", "--as-of", AS_OF,
                                         "--lang", "en"]).output
    assert "Hearing\n  Ministry of Finance (Finansdepartementet)\n" in by_stage
    # a deadline at midnight sharp is the day before, as the digest's GPFG section says it (the
    # command printed the calendar day of the stored time, a day after the digest's)
    db = open_db(path)
    with db.conn:
        db.execute("update items set deadline = '2027-01-14T00:00:00+01:00' where kind = 'hearing'")
    db.close()
    midnight = CliRunner().invoke(main, ["--db", str(path), "gpfg", "--as-of", AS_OF]).output.splitlines()
    assert any(line.endswith("[åpen]  frist ons. 13.01.2027") for line in midnight), midnight


def test_gpfg_jsonl_filters(tmp_path):
    path = tmp_path / "t.db"
    _seed(path)
    result = CliRunner().invoke(main, ["--db", str(path), "gpfg", "--format", "jsonl", "--stage", "decision",
                                       "--as-of", AS_OF])
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(r["actor"], r["stage"]) for r in rows] == [("Norges Bank", "decision")]


def test_gpfg_empty_store(tmp_path):
    """No crawl has run: it says so (exit 2), not only that there are no items."""
    open_db(tmp_path / "e.db").close()
    result = CliRunner().invoke(main, ["--db", str(tmp_path / "e.db"), "gpfg"])
    assert result.exit_code == 2 and "ingen saker om styringen av SPU: kjør `ncp-tracker demo`" in result.stdout
    assert "feil: Ingen innhenting er kjørt ennå: det finnes ingen data å vise." in result.stderr
    english = CliRunner().invoke(main, ["--db", str(tmp_path / "e.db"), "gpfg", "--lang", "en"])
    assert english.exit_code == 2 and "no GPFG governance items" in english.stdout
    assert "error: No crawl has run yet: there is no data to show." in english.stderr


def test_gpfg_says_when_its_data_is_old(tmp_path):
    path = tmp_path / "t.db"
    _seed(path)
    result = CliRunner().invoke(main, ["--db", str(path), "gpfg", "--as-of", "2026-12-01"])
    assert result.exit_code == 2 and "Etikkrådet" in result.stdout
    assert "feil: Siste vellykkede innhenting var tir. 24.11.2026 kl. 06.00, for mer enn 36 timer siden" in result.stderr


def test_gpfg_actor_is_checked_and_an_empty_filter_says_what_it_filtered(tmp_path):
    """A mistyped actor matched nothing and was told "run `ncp-tracker demo`" on a full store."""
    path = tmp_path / "t.db"
    _seed(path)
    bad = CliRunner().invoke(main, ["--db", str(path), "gpfg", "--actor", "Etikkrådt", "--as-of", AS_OF])
    assert bad.exit_code == 2 and bad.stderr.endswith(
        "feil: ugyldig verdi for --actor: ukjent aktør 'Etikkrådt' (gyldige: Finansdepartementet, Etikkrådet, Norges "
        "Bank, Stortinget, Andre) (mente du 'Etikkrådet'?)\n"), bad.stderr
    ok = CliRunner().invoke(main, ["--db", str(path), "gpfg", "--actor", "etikkrådet", "--format", "jsonl",
                                   "--as-of", AS_OF])
    assert ok.exit_code == 0 and {json.loads(x)["actor"] for x in ok.stdout.splitlines()} == {"Etikkrådet"}
    none = CliRunner().invoke(main, ["--db", str(path), "gpfg", "--actor", "Stortinget", "--stage", "decision",
                                     "--as-of", AS_OF])
    assert none.exit_code == 0 and none.stdout == "ingen saker om styringen av SPU fra Stortinget i fasen beslutning\n"
    none = CliRunner().invoke(main, ["--db", str(path), "gpfg", "--actor", "Stortinget", "--stage", "decision",
                                     "--as-of", AS_OF, "--lang", "en"])
    assert none.exit_code == 0 and none.stdout == "no GPFG governance items of Stortinget at stage decision\n"



def test_a_long_title_is_cut_after_a_whole_word_and_says_so(tmp_path):
    """`gpfg` cut a title at 95 characters in the middle of a word and without a mark («… utland om
    e»), so a cut title read as whole; `horizon` already cut after a whole word with « …»."""
    path = tmp_path / "t.db"
    _seed(path)
    db = open_db(path)
    as_of = datetime(2026, 11, 24, 6, tzinfo=OSLO)
    title = ("Høring – forslag til endringer i mandatet for forvaltningen av Statens pensjonsfond utland "
             "om etiske retningslinjer og observasjon")
    run = store.start_run(db, as_of=as_of, mode="test", sources=["no_finansdep"])
    store.apply_scrape(db, run_id=run, as_of=as_of, source="no_finansdep", items=[
        {"source": "no_finansdep", "kind": "hearing", "native_id": "long", "title": title,
         "published": "2026-11-20T10:00:00+01:00", "url": "https://example.org/long"}])
    with db.conn:
        health.record(db, run, health.SourceRun(source="no_finansdep", items_seen=1), stored(as_of))
    store.finish_run(db, run, 0)
    db.close()
    result = CliRunner().invoke(main, ["--db", str(path), "gpfg", "--as-of", AS_OF])
    assert result.exit_code == 0, result.output
    (line,) = [line for line in result.output.splitlines() if "mandatet for forvaltningen" in line]
    assert line.endswith("Statens pensjonsfond utland om …"), line


def test_companies_names_an_identifier_as_the_reader_knows_it(tmp_path, monkeypatch):
    """A company's identifiers were headed by their keys: «[isin: CL0000000019]»; now «ISIN»."""
    path = tmp_path / "t.db"
    _seed(path)
    row = {"name": "Compañía Minera Río Azul S.A.", "identifiers": {"isin": ["CL0000000019"]}, "n_items": 1,
           "items": [{"published": "2026-11-23", "source": "no_etikkradet", "title": "Tilrådning", "url": "https://x"}]}
    monkeypatch.setattr("tracker.links.companies.list_companies", lambda db, name: [row])
    result = CliRunner().invoke(main, ["--db", str(path), "companies"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == "Compañía Minera Río Azul S.A.  [ISIN: CL0000000019]  — 1 sak"


@pytest.mark.parametrize(("actor", "stage"), [("Norges Bank", "decision"), ("NORGES BANK", "Beslutning"),
                                              ("Norges Bank", "Decision")])
def test_gpfg_takes_the_names_the_output_shows(tmp_path, actor, stage):
    """`--stage Beslutning` was refused (codes only) though the output heads the stage so."""
    path = tmp_path / "t.db"
    _seed(path)
    result = CliRunner().invoke(main, ["--db", str(path), "gpfg", "--format", "jsonl", "--actor", actor,
                                       "--stage", stage, "--as-of", AS_OF])
    assert result.exit_code == 0, result.output
    assert [json.loads(line)["stage"] for line in result.stdout.splitlines()] == ["decision"]


@pytest.mark.parametrize("actor", ["Etikkradet", "etikkraadet", "Council on Ethics"])
def test_gpfg_actor_folds_ascii_spellings(tmp_path, actor):
    """`gpfg --actor Etikkradet` was refused (ukjent aktør) while search folds ASCII spellings."""
    path = tmp_path / "t.db"
    _seed(path)
    result = CliRunner().invoke(main, ["--db", str(path), "gpfg", "--format", "jsonl", "--actor", actor,
                                       "--as-of", AS_OF])
    assert result.exit_code == 0, result.output
    assert {json.loads(line)["actor"] for line in result.stdout.splitlines()} == {"Etikkrådet"}


@pytest.mark.parametrize(("lang", "said"), [("nb", "ukjent fase 'x' (gyldige: Forslag / utredning (proposal)"),
                                            ("en", "unknown stage 'x' (valid: Proposal / study (proposal), Hearing")])
def test_gpfg_unknown_stage_lists_the_stages_by_name(tmp_path, lang, said):
    path = tmp_path / "t.db"
    _seed(path)
    result = CliRunner().invoke(main, ["--db", str(path), "gpfg", "--stage", "x", "--lang", lang, "--as-of", AS_OF])
    assert result.exit_code == 2 and said in result.output
