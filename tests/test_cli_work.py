"""The workbench commands end to end through the CLI (click's runner, a seeded store)."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document

from tests.browser.seed import COMMITTEE, EU, HEARING, seed
from tracker.cli import main
from tracker.store.db import open_db


@pytest.fixture
def env(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NCP_TRACKER_DB", str(tmp_path / "t.db"))
    db = open_db(tmp_path / "t.db")
    seed(db)
    db.close()
    return tmp_path


def run(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_digest_to_assigned_item_to_docx(env):
    """The adviser's path: inbox → triage → assign → draft, without leaving ncp-tracker."""
    inbox = run("inbox", "--as-of", "2026-11-24")
    assert inbox.exit_code == 0 and HEARING in inbox.output
    # the order can be read: the deadline's week, then the relevance that ranks it (in Bokmål by default)
    lines = inbox.stdout.splitlines()
    assert re.split(r"\s{2,}", lines[0]) == ["Uke", "Relevans", "Virkedager", "Frist", "Utkast innen", "Oppfølging",
                                             "Ansvarlig", "Id", "Tittel"]
    hearing = next(line for line in lines if HEARING in line)
    assert hearing.startswith("senere     0,92 ")
    assert run("triage", HEARING, "--state", "respond", "--note", "Svarer sammen med BFD", "--by", "kari").exit_code == 0
    r = run("triage", HEARING, "--state", "assigned", "--owner", "per", "--deadline", "2026-12-01", "--as-of", "2026-11-24")
    assert r.exit_code == 0 and "tildelt (ansvarlig per), utkast innen tir. 01.12.2026 — neste: " in r.output
    mine = run("inbox", "--owner", "per", "--as-of", "2026-11-24")
    assert HEARING in mine.output and COMMITTEE not in mine.output
    # a name no item has ever had is refused, naming who has items ("(nothing)" read the same for a
    # typo), in inbox as in search and export (exit 2: bad input)
    for command in (["inbox", "--as-of", "2026-11-24"], ["search", "høring"], ["export"]):
        nobody = run(*command, "--owner", "pr")
        assert nobody.exit_code == 2 and nobody.stdout == ""
        assert nobody.stderr == "feil: Ingen sak har noen gang vært tildelt ansvarlig 'pr' (ansvarlige med saker: per).\n"
        nobody = run(*command, "--owner", "pr", "--lang", "en")
        assert nobody.exit_code == 2 and nobody.stderr == ("error: No item has ever been assigned to the adviser 'pr' "
                                                           "(advisers with items: per).\n")
    r = run("draft", HEARING, "--out", "utkast")
    assert r.exit_code == 0
    docx = env / "utkast" / "regjeringen_3150001-horingssvar.docx"
    assert docx.exists() and str(docx) in r.output
    assert any(p.style.name == "Quote" for p in Document(str(docx)).paragraphs)
    r = CliRunner().invoke(main, ["draft", HEARING, "--out", "utkast"])
    assert r.exit_code == 0 and "versjon 2 (tidligere versjoner er beholdt)" in r.stderr
    assert (env / "utkast" / "regjeringen_3150001-horingssvar-v2.docx").exists()
    listed = run("draft", HEARING, "--versions").output
    assert "regjeringen_3150001-horingssvar.docx" in listed and "regjeringen_3150001-horingssvar-v2.docx" in listed
    hist = run("triage", HEARING, "--history")
    assert " ny " in hist.output and "skal svares" in hist.output and "kari" in hist.output


def test_inbox_says_why_a_committee_hearing_is_this_weeks(env):
    """A committee hearing whose written-input deadline is next week, but whose deadline to ask to
    speak is this week, is listed this week, and its deadline cell says why."""
    db = open_db(env / "t.db")
    with db.conn:
        db["items"].update(COMMITTEE, {"extra": json.dumps({
            "deadline_basis": "innspillsfrist", "anmodningsfrist": "2026-11-26T12:00:00+01:00",
            "innspillsfrist": "2026-12-03T12:00:00+01:00"})})
    db.close()
    inbox = run("inbox", "--as-of", "2026-11-24T06:00")
    line = next(line for line in inbox.stdout.splitlines() if COMMITTEE in line)
    assert line.startswith("denne uken  0,70      2  ") and " tor. 03.12.2026 (be om å delta innen tor. 26.11.2026) " in line


def test_inbox_lists_the_consultations_announced_but_not_open_yet_under_its_table(env):
    """`inbox` listed the open consultations only: one that will need input once it opens was in
    the digest's «Varslet, ikke åpnet ennå» and not here. Now a second table under the first, by
    the day they open (or that one was to open and has not been seen open); an adviser's inbox
    lists theirs, also when nothing open is theirs."""
    from tests.browser.seed import ANNOUNCED, announce

    db = open_db(env / "t.db")
    announce(db)
    db.close()
    lines = run("inbox", "--as-of", "2026-11-24").stdout.splitlines()
    at = lines.index("Varslet, ikke åpnet ennå (1)")
    assert re.split(r"\s{2,}", lines[at + 1]) == ["Åpner", "Frist", "Utkast innen", "Oppfølging", "Ansvarlig", "Id",
                                                  "Tittel"]
    assert re.split(r"\s{2,}", lines[at + 2])[:4] == ["tir. 01.12.2026", "tir. 26.01.2027", "tir. 19.01.2027", "ny"]
    assert ANNOUNCED in lines[at + 2] and lines[at - 1] == ""
    late = run("inbox", "--as-of", "2026-12-07", "--lang", "en").stdout.splitlines()
    assert re.split(r"\s{2,}", late[late.index("Announced, not open yet (1)") + 2])[0] == (
        "Was to open: Tue 1 Dec 2026 (not seen open yet)")
    db = open_db(env / "t.db")
    with db.conn:
        db["triage"].upsert({"item_id": ANNOUNCED, "state": "assigned", "owner": "Kari",
                             "updated_at": "2026-11-24T09:00:00+01:00"}, pk="item_id")
    db.close()
    kari = run("inbox", "--as-of", "2026-11-24", "--owner", "kari").stdout  # nothing open is Kari's
    assert kari.splitlines()[0].startswith("ingen høring trenger innspill for ansvarlig 'kari'")
    assert "Varslet, ikke åpnet ennå (1)" in kari and ANNOUNCED in kari

def test_inbox_writes_days_as_the_digest_and_says_what_its_mark_means(env):
    """inbox wrote its days in ISO («2026-12-10», «2026-12-03 !») and never said what «!» means: now
    as the digest writes days, and a line under the table says it when a row has it."""
    inbox = run("inbox", "--as-of", "2026-12-05")
    line = next(line for line in inbox.stdout.splitlines() if HEARING in line)
    assert "  tor. 10.12.2026  " in line and "  tor. 03.12.2026 !  " in line and "2026-12" not in line
    assert inbox.stdout.endswith("\n! betyr at fristen for utkastet er passert\n")
    english = run("inbox", "--as-of", "2026-12-05", "--lang", "en").stdout
    assert "  Thu 3 Dec 2026 !  " in english and english.endswith("\n! the day the draft was due has passed\n")
    assert "passert" not in run("inbox", "--as-of", "2026-11-24").stdout  # no mark, no line


def test_triage_errors_are_clear(env):
    r = CliRunner().invoke(main, ["triage", "nope:1", "--state", "respond"])
    assert r.exit_code == 2 and "Ukjent saks-id: 'nope:1'" in r.output
    r = CliRunner().invoke(main, ["triage", "nope:1", "--history"])
    assert r.exit_code == 2 and "Ukjent saks-id: 'nope:1'" in r.output
    # an item nobody has followed up yet says so ("(nothing)" read like a failed look-up)
    r = run("triage", COMMITTEE, "--history")
    assert r.output == (f"{COMMITTEE}: ny — neste: følges, ikke relevant, skal svares (--state watching, "
                        "not_relevant, respond)\nIngen endringer i oppfølgingen ennå.\n")
    r = CliRunner().invoke(main, ["triage", HEARING, "--state", "published"])
    assert r.exit_code == 2 and "Statusen kan ikke gå fra «ny» til «publisert»" in r.output
    r = CliRunner().invoke(main, ["triage", HEARING, "--state", "respond", "--by", "ola"])
    assert r.exit_code == 0
    db = open_db(env / "t.db")
    assert [h["by"] for h in db.query("select by from triage_history")] == ["ola"]


def test_search_command(env):
    r = run("search", "hoering", "--label", "apenhetsloven")
    assert r.exit_code == 0 and HEARING in r.output
    r = run("search", "hoering label:apenhetsloven", "--format", "jsonl")
    assert r.exit_code == 0 and [json.loads(x)["id"] for x in r.stdout.splitlines()] == [HEARING]
    r = run("search", "markedsavgiften OR tvangsarbeid", "--format", "jsonl")
    assert len(r.stdout.splitlines()) == 2
    for bad, message in (('NEAR( "*', "anførselstegn"), ('"*"', "har ingen ord"), ("klima OR", "OR")):
        r = CliRunner().invoke(main, ["search", bad])
        assert r.exit_code == 2 and message in r.output, (bad, r.output)
    r = CliRunner().invoke(main, ["search", "høring", "--from", "yesterday"])
    assert r.exit_code == 2 and "--from" in r.output


def test_a_reversed_date_range_is_refused_by_search_and_export(env):
    """`search høring --from 2026-12-01 --to 2026-11-01` said «(ingen)» and export «0 saker», exit 0."""
    for command in (["search", "høring"], ["export"]):
        r = run(*command, "--from", "2026-12-01", "--to", "2026-11-01")
        assert r.exit_code == 2 and r.stdout == ""
        assert r.stderr == "feil: --from tir. 01.12.2026 er etter --to søn. 01.11.2026: ingen dag ligger mellom dem.\n"
        r = run(*command, "--from", "2026-12-01", "--to", "2026-11-01", "--lang", "en")
        assert r.stderr == "error: --from Tue 1 Dec 2026 is after --to Sun 1 Nov 2026: no day lies between them.\n"


def test_search_and_triage_refusals_read_in_the_readers_language(env):
    """`search`'s syntax errors and triage's refusals stood in English after the Bokmål head
    («feil: empty group: nothing to search for»); they are now worded as the web words them (one
    table, tracker.vocabulary.REFUSALS), with the command line's options where the web names its
    form's fields."""
    said = {bad: CliRunner().invoke(main, ["search", bad]) for bad in ("()", 'NEAR( "*', "klima OR")}
    assert said["()"].exit_code == 2 and said["()"].stderr == "feil: En tom gruppe: ingenting å søke etter.\n"
    assert said['NEAR( "*'].stderr == "feil: Et anførselstegn er ikke lukket: en frase trenger et avsluttende \".\n"
    assert said["klima OR"].stderr == "feil: OR trenger et ord etter seg.\n"
    english = CliRunner().invoke(main, ["search", "()", "--lang", "en"])
    assert english.exit_code == 2 and english.stderr == "error: An empty group: nothing to search for.\n"
    assert run("triage", HEARING, "--state", "respond").exit_code == 0
    r = CliRunner().invoke(main, ["triage", HEARING, "--state", "assigned"])
    assert r.exit_code == 2 and r.stderr == "feil: Statusen «tildelt» krever en ansvarlig (--owner NAVN).\n"
    r = CliRunner().invoke(main, ["triage", HEARING, "--deadline", "snart"])
    assert r.exit_code == 2 and r.stderr == "feil: --deadline må være en dato (ÅÅÅÅ-MM-DD), ikke 'snart'.\n"
    r = CliRunner().invoke(main, ["export", "--query", "høring OR"])
    assert r.exit_code == 2 and r.stderr == "feil: OR trenger et ord etter seg.\n"


def test_a_database_without_its_search_index_exits_1_not_2(env):
    """«Søkeindeksen finnes ikke i denne databasen ennå» exited 2, as a search typed wrong; it is the
    state of the database (fixed by the next write), exit 1 as every such problem."""
    import sqlite3

    conn = sqlite3.connect(env / "t.db")
    conn.execute("drop table items_norm")
    conn.commit()
    conn.close()
    for args in (["search", "åpenhetsloven"], ["export", "--query", "åpenhetsloven"]):
        r = CliRunner().invoke(main, args)
        assert r.exit_code == 1, args
        assert r.stderr == ("feil: Søkeindeksen finnes ikke i denne databasen ennå: den bygges neste gang databasen "
                            "åpnes for skriving (f.eks. `ncp-tracker run`).\n")


def test_search_shows_labels_by_name_and_keeps_codes_in_jsonl(env):
    """The table's labels were codes («apenhetsloven,oecd-ii,oecd-iv,…»)."""
    r = run("search", "hoering", "--label", "apenhetsloven")
    (line,) = [ln for ln in r.stdout.splitlines() if ln.startswith(HEARING)]
    assert "Åpenhetsloven" in line and "apenhetsloven" not in line and "oecd-" not in line
    r = run("search", "hoering", "--label", "apenhetsloven", "--format", "jsonl")
    assert "apenhetsloven" in json.loads(r.stdout.splitlines()[0])["labels"]


def test_search_table_is_headed_in_the_readers_words(env):
    """The table was headed «id  status  triage_state  labels  title  snippet» over «open  new»;
    now in the reader's words, the status and the follow-up state by name (jsonl keeps codes)."""
    lines = run("search", "hoering", "--label", "apenhetsloven").stdout.splitlines()
    assert re.split(r"\s{2,}", lines[0]) == ["Id", "Status", "Oppfølging", "Merker", "Tittel", "Utdrag"]
    assert re.split(r"\s{2,}", next(ln for ln in lines if ln.startswith(HEARING)))[1:3] == ["åpen", "ny"]
    lines = run("search", "hoering", "--label", "apenhetsloven", "--lang", "en").stdout.splitlines()
    assert re.split(r"\s{2,}", lines[0]) == ["Id", "Status", "Follow-up", "Topics", "Title", "Excerpt"]
    assert re.split(r"\s{2,}", next(ln for ln in lines if ln.startswith(HEARING)))[1:3] == ["open", "new"]
    row = json.loads(run("search", "hoering", "--label", "apenhetsloven", "--format", "jsonl").stdout.splitlines()[0])
    assert (row["status"], row["triage_state"]) == ("open", "new")


def test_export_command(env, monkeypatch):
    r = run("export", "--format", "csv", "--status", "open", "--dialect", "rfc4180")
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert {row["status"] for row in rows} == {"open"} and len(rows) == 4
    assert r.stderr.splitlines()[-1] == "4 saker"  # the count beside the data, as with --out, in the reader's language
    r = run("export", "--format", "csv", "--status", "open")
    assert r.stdout.startswith("\ufeffID;Kilde;Type;Status;Tittel")
    # a mistyped triage state matched nothing and exported an empty file, exit 0
    r = CliRunner().invoke(main, ["export", "--state", "repsond"])
    assert r.exit_code == 2 and "ukjent oppfølgingsstatus 'repsond'" in r.stderr and "respond" in r.stderr
    assert r.stdout == ""
    r = run("export", "--state", "respond")
    assert r.exit_code == 0 and r.stderr.splitlines()[-1] == "0 saker"
    r = CliRunner().invoke(main, ["search", "høring", "--state", "repsond"])  # search shares the filters
    assert r.exit_code == 2 and "ukjent oppfølgingsstatus 'repsond'" in r.stderr
    r = run("export", "--format", "json", "--out", "exp/items.json")
    assert r.exit_code == 0
    assert len(json.loads((env / "exp" / "items.json").read_text("utf-8"))) == 5
    r = CliRunner().invoke(main, ["export", "--format", "xlsx"])
    assert r.exit_code == 2 and r.stderr == "feil: xlsx krever --out FIL\n"
    # a path the user names is the user's: ~, and outside the working directory
    monkeypatch.setenv("HOME", str(env / "home"))
    r = run("export", "--format", "xlsx", "--out", "~/Dokumenter/apne.xlsx", "--query", "høring")
    assert r.exit_code == 0 and (env / "home" / "Dokumenter" / "apne.xlsx").exists()
    (env / "work").mkdir()
    monkeypatch.chdir(env / "work")
    r = run("export", "--out", "../utenfor/x.csv")
    assert r.exit_code == 0 and (env / "utenfor" / "x.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    r = CliRunner().invoke(main, ["export", "--query", "høring OR"])
    assert r.exit_code == 2 and "OR" in r.output


def test_draft_errors_and_paths(env, monkeypatch):
    r = CliRunner().invoke(main, ["draft", "nope:1", "--out", "newdir"])
    assert r.exit_code == 2 and "Ukjent saks-id" in r.output
    assert not (env / "newdir").exists()
    monkeypatch.setenv("HOME", str(env / "home"))
    r = run("draft", HEARING, "--out", "~/Dokumenter/utkast")
    assert r.exit_code == 0 and (env / "home" / "Dokumenter" / "utkast" / "regjeringen_3150001-horingssvar.docx").exists()
    (env / "f").write_text("x")
    r = CliRunner().invoke(main, ["draft", HEARING, "--out", "f"])  # was English, exit 1: what was typed is wrong
    assert r.exit_code == 2 and f"feil: {env / 'f'} er en fil, ikke en mappe" in r.output



@pytest.mark.parametrize("out", ["svar.docx", "utkast/Svar.DOCX", "svar.md"])
def test_draft_out_given_a_file_name_is_refused_and_writes_nothing(env, out):
    """`draft ITEM --out svar.docx` (as `export` and `documents redline` take a file) made a folder
    named svar.docx with the draft inside it, exit 0: `--out` is the folder. Now the name is
    refused (bad input, exit 2) with the folder it means and the file's name; no folder made, no
    draft recorded. A folder that is there under such a name is still a folder."""
    before = open_db(env / "t.db")["drafts"].count
    r = CliRunner().invoke(main, ["draft", HEARING, "--out", out])
    assert r.exit_code == 2, r.output
    assert r.stderr == (f"feil: {out} er et filnavn; --out er mappen utkastet skrives i "
                        "(som regjeringen_3150001-horingssvar.docx)\n")
    assert not (env / out).exists() and not (env / "utkast").exists()
    assert open_db(env / "t.db")["drafts"].count == before
    (env / "mappe.docx").mkdir()
    r = CliRunner().invoke(main, ["draft", HEARING, "--out", "mappe.docx", "--lang", "en"])
    assert r.exit_code == 0 and (env / "mappe.docx" / "regjeringen_3150001-horingssvar.docx").is_file()

@pytest.mark.parametrize(("item_id", "kind"), [("no_lovdata:LTI/forskrift/2026-11-19-2101", "law_change"),
                                            ("eu_oeil:2022/0051(COD)", "eu_procedure")])
def test_draft_of_an_item_that_is_not_a_consultation_is_refused(env, item_id, kind):
    """An adopted regulation got a «Høringssvar» referring to a hearing letter that never was, an
    EU procedure a letter "To: the responsible ministry": only consultations have a draft. The id the
    reader typed is refused as bad input, exit 2 (it exited 1, the code of the house's own state,
    while the web answers 400 and an unknown id exits 2)."""
    db = open_db(env / "t.db")
    db["items"].insert({"id": item_id, "source": item_id.split(":")[0], "kind": kind, "native_id": "x",
                        "title": "Forskrift om endring", "url": "https://example.org/x",
                        "published": "2026-11-19T00:00:00+01:00"}, alter=True)
    db.close()
    r = CliRunner().invoke(main, ["draft", item_id, "--out", "d"])
    assert r.exit_code == 2 and r.output.count("\n") == 1
    from tracker.vocabulary import kind_name

    assert f"feil: Det kan ikke lages utkast for denne saken: den er av typen «{kind_name(kind)}», ikke en høring." in r.output
    assert "Utkast lages for høringer, komitéhøringer på Stortinget og EU-konsultasjoner." in r.output
    assert not (env / "d").exists()


def test_draft_no_comments_and_passed_deadline_warning(env):
    db = open_db(env / "t.db")
    db["items"].update(HEARING, {"deadline": "2026-01-10T23:59:59+01:00"})
    db.close()
    r = CliRunner().invoke(main, ["draft", HEARING, "--out", "d", "--no-comments"])
    assert r.exit_code == 0 and "advarsel: Høringsfristen gikk ut 10.01.2026" in r.stderr
    texts = [p.text for p in Document(str(env / "d" / "regjeringen_3150001-horingssvar.docx")).paragraphs]
    assert any(t.endswith("Kontaktpunktet har ingen merknader til høringen.") for t in texts)


def test_calibrate_needs_feedback(env):
    r = CliRunner().invoke(main, ["calibrate", "--dry-run"])
    assert r.exit_code == 1 and "for lite tilbakemelding til å kalibrere" in r.output


def test_close_unanswered_command(env):
    run("triage", COMMITTEE, "--state", "respond")
    r = run("close-unanswered", "--as-of", "2026-12-04")
    assert COMMITTEE in r.output
    assert "lukket uten svar" in run("triage", COMMITTEE).output


def test_a_clock_to_come_is_refused_by_commands_that_write(env):
    """`close-unanswered --as-of <a future day>` closed open hearings for good: the close was stamped
    in the future, so `reopen_extended` never reopened them. Every command that writes state at a
    given clock now refuses one later than now."""
    from datetime import datetime, timedelta

    from crawlers.dates import OSLO

    run("triage", HEARING, "--state", "respond")
    later = (datetime.now(OSLO) + timedelta(days=400)).date().isoformat()
    feed = env / "items.jsonl"
    feed.write_text("", "utf-8")
    for args in (["close-unanswered"], ["crawl", "--source", "no_lovdata", "--no-progress"],
                 ["run", "--source", "no_lovdata", "--no-progress"], ["answers"], ["documents", "fetch"],
                 ["backfill", "--since", "2020"], ["ingest", str(feed), "--source", "no_lovdata"]):
        r = CliRunner().invoke(main, [*args, "--as-of", later])
        assert r.exit_code == 2, (args, r.output)
        assert f"ugyldig verdi for --as-of: '{later}' er senere enn nå" in r.stderr, (args, r.stderr)
        # now as the reader writes it (it said «nå (2026-12-07T13:52+01:00)»)
        assert re.search(r"senere enn nå \(\w{3}\. \d\d\.\d\d\.\d{4} kl\. \d\d\.\d\d\)", r.stderr), r.stderr
    assert "skal svares — neste:" in run("triage", HEARING).output
    r = CliRunner().invoke(main, ["close-unanswered", "--as-of", datetime.now(OSLO).isoformat()])
    assert r.exit_code == 0, r.output  # now is no clock to come


def test_answers_and_close_unanswered_say_it_in_the_readers_language(env, monkeypatch):
    """`answers` printed «no_regjeringen_horingssvar: red — no answer list could be read … (0 of 1
    hearings' answer lists read)» and `close-unanswered` «0 item(s) closed unanswered, 0 reopened»
    under a Bokmål terminal; now the source by its name, the status and reason as `health` says
    them, and the counts, in the reader's language."""
    row = {"source": "no_regjeringen_horingssvar", "status": "red", "hearings_read": 0, "hearings_checked": 1,
           "reason": "no answer list could be read (0 of 1 hearings): blocked (HTTP 403/429/challenge or robots.txt)",
           "log_path": Path("/x/t.log"), "log_warnings": 2, "log_errors": 0}
    monkeypatch.setattr("tracker.workbench.answers.crawl", lambda *a, **k: dict(row))
    r = CliRunner().invoke(main, ["answers", "--as-of", "2026-11-24"])
    assert r.exit_code == 2 and r.stdout == (
        "Høringssvar (regjeringen.no; no_regjeringen_horingssvar): FEILER — ingen svarliste kunne leses (0 av 1 "
        "høring): blokkert (HTTP 403/429/robotsjekk eller robots.txt)\n")  # the counts once, not twice
    # where the crawl's own (English) log lines went, as `run` says it
    assert r.stderr == "  innhentingen logget 2 advarsler (loggen er på engelsk): /x/t.log\n"
    r = CliRunner().invoke(main, ["answers", "--as-of", "2026-11-24", "--item", HEARING])
    assert r.stdout.startswith(f"ingen publiserte høringssvar er lagret for {HEARING} (de hentes for avsluttede")
    r = CliRunner().invoke(main, ["close-unanswered", "--as-of", "2026-11-24"])
    assert r.exit_code == 0 and r.stderr == "0 lukket uten svar, 0 gjenåpnet\n"


def test_answers_for_item(env):
    r = run("answers", "--item", "regjeringen:2477095")
    assert "Norsk Hydro ASA" in r.output and "næringsliv" in r.output
    # headed and worded as the item's page lists them (it said «responder responder_type date format url»
    # and «business» whatever the reader's language)
    assert r.output.splitlines()[0].split() == ["Fra", "Type", "Dato", "Format", "Lenke"]
    assert "business" not in r.output
    r = run("--config", str(_english(env)), "answers", "--item", "regjeringen:2477095")
    assert r.output.splitlines()[0].split() == ["From", "Type", "Date", "Format", "Link"]
    assert "Norsk Hydro ASA" in r.output and "business" in r.output
    # a mistyped id listed "(nothing)" and exited 0
    r = CliRunner().invoke(main, ["answers", "--item", "regjeringen:247709"])
    assert r.exit_code == 2 and "Ukjent saks-id: 'regjeringen:247709'" in r.output
    r = run("answers", "--item", HEARING)
    assert r.exit_code == 0 and r.output.startswith(f"ingen publiserte høringssvar er lagret for {HEARING}")



def test_answers_takes_the_hearing_as_its_argument_too(env):
    """`answers regjeringen:2477095` — the item as an argument, as `draft` and `documents show` take
    it — said «ett argument for mye»; it shows that hearing's stored answers, as `--item` does.
    Two different hearings asked for are refused, exit 2."""
    by_argument = run("answers", "regjeringen:2477095")
    assert by_argument.exit_code == 0 and "Norsk Hydro ASA" in by_argument.output
    assert by_argument.output == run("answers", "--item", "regjeringen:2477095").output
    both = CliRunner().invoke(main, ["answers", "regjeringen:2477095", "--item", HEARING])
    assert both.exit_code == 2 and both.stderr == (
        f"feil: oppgi høringen én gang: ITEM eller --item, ikke begge (regjeringen:2477095, {HEARING})\n")
    unknown = CliRunner().invoke(main, ["answers", "regjeringen:247709"])
    assert unknown.exit_code == 2 and "Ukjent saks-id: 'regjeringen:247709'" in unknown.output


def test_search_and_export_new_since_and_changed_since(env):
    """The digest's «Nytt» and «Endret» as filters in the terminal too (the web's search has them)."""
    db = open_db(env / "t.db")
    with db.conn:
        db["items"].update(HEARING, {"first_seen": "2026-11-24T05:00:00+00:00", "last_changed": "2026-11-24T05:00:00+00:00"})
        db["items"].update(COMMITTEE, {"first_seen": "2026-11-20T05:00:00+00:00",
                                       "last_changed": "2026-11-24T05:00:00+00:00"})
    db.close()
    r = run("search", "høring", "--new-since", "2026-11-23", "--format", "jsonl")
    found = [json.loads(x)["id"] for x in r.stdout.splitlines()]
    assert HEARING in found and COMMITTEE not in found
    r = run("export", "--format", "json", "--changed-since", "2026-11-23T06:00")
    assert COMMITTEE in {row["id"] for row in json.loads(r.stdout)} and HEARING not in r.stdout
    r = CliRunner().invoke(main, ["search", "høring", "--new-since", "i går"])
    assert r.exit_code == 2 and "feil: «--new-since» må være en dato eller et tidspunkt (ISO 8601), ikke" in r.output


def test_export_not_relevant_to_a_profile(env):
    """What a digest's note counts ("… not relevant to this profile"), in the terminal too."""
    db = open_db(env / "t.db")
    with db.conn:
        db.execute("update items set relevance = 0.1, relevant = 0, ncp_consultee = 0")
        db["items"].update(HEARING, {"relevance": 0.9, "relevant": 1})
    db.close()
    r = run("export", "--format", "json", "--not-relevant-to", "ncp")
    listed = {row["id"] for row in json.loads(r.stdout)}
    assert COMMITTEE in listed and HEARING not in listed
    r = run("export", "--format", "json", "--relevant-to", "ncp")
    assert {row["id"] for row in json.loads(r.stdout)} == {HEARING}
    r = CliRunner().invoke(main, ["export", "--format", "json", "--not-relevant-to", "nope"])
    assert r.exit_code == 2 and "feil: Ukjent profil «nope» (kjente: " in r.output
    # «Endret»: what the profile finds relevant and what an adviser follows, and the rest
    run("triage", COMMITTEE, "--state", "watching")
    r = run("export", "--format", "json", "--followed-by", "ncp")
    assert {row["id"] for row in json.loads(r.stdout)} == {HEARING, COMMITTEE}
    r = run("export", "--format", "json", "--not-followed-by", "ncp")
    listed = {row["id"] for row in json.loads(r.stdout)}
    assert listed and not listed & {HEARING, COMMITTEE}


def test_a_cut_search_says_so_on_stderr(env):
    """`search --limit N` printed N rows and nothing else: as many as there are, as far as anyone
    could tell."""
    r = CliRunner().invoke(main, ["search", "høring", "--limit", "1", "--format", "jsonl"])
    assert r.exit_code == 0 and len(r.stdout.splitlines()) == 1
    assert "de første 1 treffene, beste først: det finnes flere" in r.stderr
    r = CliRunner().invoke(main, ["search", "høring", "--limit", "1000", "--format", "jsonl"])
    assert r.exit_code == 0 and "there are more" not in r.stderr
    assert CliRunner().invoke(main, ["search", "høring", "--limit", "0"]).exit_code == 2


def test_triage_refuses_a_draft_by_day_with_junk_or_after_the_deadline(env):
    r = CliRunner().invoke(main, ["triage", HEARING, "--state", "respond", "--deadline", "2026-12-10garbage"])
    assert r.exit_code == 2 and "feil: --deadline må være en dato (ÅÅÅÅ-MM-DD), ikke '2026-12-10garbage'." in r.output
    # at the store's day: without --as-of the machine's clock would, from 15 December 2026 on, refuse the
    # day as passed before it is found after the deadline
    r = CliRunner().invoke(main, ["triage", HEARING, "--state", "respond", "--deadline", "2026-12-14",
                                  "--as-of", "2026-11-24"])
    assert r.exit_code == 2 and "feil: «Utkast innen» man. 14.12.2026 er etter sakens frist tor. 10.12.2026" in r.output
    assert "Traceback" not in r.output
    db = open_db(env / "t.db")
    assert db.execute("select count(*) from triage").fetchone()[0] == 0
    db.close()


def test_triage_refuses_an_owner_that_is_no_name(env):
    """`triage --owner` stored 300 characters, or «Kari» with a zero-width space pasted after it
    (a second «Kari» in the inbox's list of advisers): refused as the web's «Endret av» refuses
    them; an owner kept as it is is not asked again."""
    r = run("triage", HEARING, "--state", "respond", "--owner", "Kari\u200b")
    assert r.exit_code == 2 and r.stdout == ""
    assert r.stderr == ("feil: --owner kan ikke inneholde «'\\u200b'»: bruk bokstaver, sifre, mellomrom og "
                        ". , ' @ -\n")
    r = run("triage", HEARING, "--owner", "K" * 300, "--lang", "en")
    assert r.exit_code == 2 and r.stderr == "error: --owner is too long (300 characters, at most 80).\n"
    db = open_db(env / "t.db")
    assert db.execute("select count(*) from triage").fetchone()[0] == 0
    with db.conn:  # an owner stored before the rule: kept, not refused again
        db["triage"].insert({"item_id": HEARING, "state": "respond", "owner": "Kari\u200b"})
    db.close()
    assert run("triage", HEARING, "--owner", "Kari\u200b", "--note", "ok").exit_code == 0
    assert run("triage", HEARING, "--owner", "Kari Nordmann-Olsen, NCP").exit_code == 0


def test_triage_refuses_a_draft_by_day_already_passed(env):
    """`triage … --deadline 2020-01-01` was stored: a draft due on a day that has passed."""
    r = run("triage", HEARING, "--state", "respond", "--deadline", "2026-11-23", "--as-of", "2026-11-24T08:00")
    assert r.exit_code == 2 and r.stdout == ""
    assert r.stderr == ("feil: --deadline man. 23.11.2026 er før i dag (tir. 24.11.2026): et utkast kan ikke ha frist "
                        "på en dag som er passert.\n")
    r = run("triage", HEARING, "--deadline", "2020-01-01", "--lang", "en")  # the machine's clock without --as-of
    assert r.exit_code == 2 and r.stderr.startswith("error: --deadline Wed 1 Jan 2020 is before today (")
    db = open_db(env / "t.db")
    assert db.execute("select count(*) from triage").fetchone()[0] == 0
    db.close()
    assert run("triage", HEARING, "--state", "respond", "--deadline", "2026-11-24", "--as-of", "2026-11-24").exit_code == 0


def test_a_triage_that_fails_half_way_writes_nothing(env):
    """`triage --state … --owner … --note … --deadline … --label …` wrote the state, owner, note and
    day in one transaction and the label marks in a second: when the marks could not be stored, the
    item stayed «skal svares» with its owner and note and no marks. Now all of it is one transaction,
    as the web saves a form: nothing of it is written."""
    db = open_db(env / "t.db")
    with db.conn:  # the marks cannot be stored (as a full disk, a lock taken by another writer)
        db.execute("create trigger no_marks before insert on label_marks begin select raise(abort, 'disk full'); end")
    db.close()
    r = CliRunner().invoke(main, ["triage", HEARING, "--state", "respond", "--owner", "kari", "--note", "Svar",
                                  "--deadline", "2026-12-08", "--as-of", "2026-11-24", "--label", "+oecd-vii", "--by", "kari"])
    assert r.exit_code != 0 and "disk full" in str(r.exception)
    assert run("triage", HEARING, "--history").output == (
        f"{HEARING}: ny — neste: følges, ikke relevant, skal svares (--state watching, not_relevant, respond)\n"
        "Ingen endringer i oppfølgingen ennå.\n")
    db = open_db(env / "t.db")
    assert db.execute("select count(*) from triage").fetchone()[0] == 0
    assert db.execute("select count(*) from triage_history").fetchone()[0] == 0
    db.execute("drop trigger no_marks")
    db.close()
    # the same change stored whole once it can be
    assert run("triage", HEARING, "--state", "respond", "--owner", "kari", "--note", "Svar", "--deadline", "2026-12-08", "--as-of", "2026-11-24",
               "--label", "+oecd-vii", "--by", "kari").exit_code == 0
    lines = run("triage", HEARING, "--history").output.splitlines()
    assert len(lines) == 4 and "Kap. VII Korrupsjon" in lines[3]


def test_triage_history_shows_a_label_mark_and_a_draft_by_day_changed(env):
    """A label mark was a row without its owner and with the note «label +oecd-vii»; a new
    draft-by day a row saying nothing of it."""
    assert run("triage", HEARING, "--state", "respond", "--owner", "kari", "--note", "Svar", "--by", "kari").exit_code == 0
    assert run("triage", HEARING, "--deadline", "2026-12-08", "--as-of", "2026-11-24", "--label", "+oecd-vii", "--by", "kari").exit_code == 0
    lines = run("triage", HEARING, "--history", "--lang", "en").output.splitlines()
    assert re.split(r"\s{2,}", lines[-4]) == ["When", "Who", "From", "To", "Adviser", "Draft due", "Topics", "Note"]
    assert re.split(r"\s{2,}", lines[-2])[1:] == ["kari", "to answer", "to answer", "kari", "– → Tue 8 Dec 2026"]
    # a topic marked changes no state: From and To empty (it read «to answer  to answer», a move to itself)
    assert re.split(r"\s{2,}", lines[-1])[1:] == ["kari", "kari", "+Ch. VII Combating Bribery and Other Forms of Corruption"]
    # the same mark again changes nothing: said, and no row written
    r = run("triage", HEARING, "--label", "+oecd-vii", "--by", "kari")
    assert r.exit_code == 0 and r.output.startswith(f"{HEARING}: merkerettelser: +Kap. VII Korrupsjon (ingen endring)\n")
    assert run("triage", HEARING, "--history", "--lang", "en").output.splitlines() == lines


def test_triage_lines_read_in_the_readers_language(env):
    """triage said «respond (owner kari), internal deadline 2026-12-08 — next: assigned, watching, …»,
    «label marks +oecd-vii», «no follow-up changes yet» and headed its history «at  by  state_before …»
    under a Bokmål «feil:»; now in the reader's language, states and topics by name as the web
    names them, the codes --state takes after them."""
    r = run("triage", HEARING, "--state", "respond", "--owner", "kari", "--deadline", "2026-12-08", "--as-of", "2026-11-24", "--label",
            "+oecd-vii", "--note", "Svar", "--by", "kari")
    assert r.output == (f"{HEARING}: merkerettelser: +Kap. VII Korrupsjon\n"
                        f"{HEARING}: skal svares (ansvarlig kari), utkast innen tir. 08.12.2026 — neste: tildelt, "
                        "følges, ikke relevant, lukket uten svar (--state assigned, watching, not_relevant, "
                        "closed_unanswered)\n")
    r = run("triage", HEARING, "--label", "-oecd-vii", "--lang", "en")
    assert r.output.startswith(f"{HEARING}: topic marks: -Ch. VII Combating Bribery and Other Forms of Corruption\n{HEARING}: to answer (adviser "
                               "kari), draft due Tue 8 Dec 2026 — next: assigned, watching, not relevant, closed "
                               "unanswered (--state assigned, ")
    lines = run("triage", HEARING, "--history").output.splitlines()
    assert re.split(r"\s{2,}", lines[1]) == ["Når", "Hvem", "Fra", "Til", "Ansvarlig", "Utkast innen", "Merker", "Notat"]
    assert re.split(r"\s{2,}", lines[2])[1:] == ["kari", "ny", "skal svares", "kari", "– → tir. 08.12.2026", "Svar"]
    for state in ("assigned", "drafting", "submitted", "published"):
        assert run("triage", HEARING, "--state", state).exit_code == 0
    r = run("triage", HEARING, "--lang", "en")
    assert r.output.endswith(": published (adviser kari), draft due Tue 8 Dec 2026 — final status\n")


def test_items_events_and_triage_history_say_days_and_times_as_the_web(env):
    """`items` printed its deadline as stored («2026-12-03T12:00:00+01:00»), `events` and `triage
    --history` their times in UTC ISO («2026-11-23T05:00:00+00:00»), where the web and the digest
    say «tor. 03.12.2026 kl. 12.00» in Oslo time: now the same words (the web's `deadline` and
    `datetime` filters: tracker.digest.wording.deadline_text, tracker.i18n.format_datetime)."""
    items = {line.split()[0]: line for line in run("items").stdout.splitlines()[1:]}
    assert "  tor. 03.12.2026 kl. 12.00  " in items[COMMITTEE]  # a time of day: said
    assert "  tor. 10.12.2026  " in items[HEARING] and "23.59" not in items[HEARING]  # a day's end: the day
    english = {line.split()[0]: line for line in run("items", "--lang", "en").stdout.splitlines()[1:]}
    assert "  Thu 3 Dec 2026 12:00  " in english[COMMITTEE]
    events = run("events").stdout.splitlines()
    assert events[1].startswith("man. 23.11.2026 kl. 06.00  ny ")  # 05:00 UTC is 06.00 in Oslo
    assert not any("+00:00" in line for line in events)
    assert run("triage", HEARING, "--state", "respond", "--by", "ola").exit_code == 0
    history = run("triage", HEARING, "--history").stdout.splitlines()
    assert re.match(r"\w{3}\. \d\d\.\d\d\.\d{4} kl\. \d\d\.\d\d +ola +ny ", history[2]), history


def test_events_say_documents_provisions_and_vanished_items_as_the_items_page(env):
    """`events` showed raw data: new documents as a Python list («[{'title': 'Notat', …»), a changed
    document as its address and two content hashes, a watched provision by its key
    («apenhetsloven-4»), a vanished item's clock in UTC ISO. Now as the item's page says them
    (tracker.digest.wording.event_values); jsonl stays raw."""
    url = "https://www.regjeringen.no/contentassets/abc/horingsnotat.pdf"
    db = open_db(env / "t.db")
    with db.conn:
        db["items"].update(HEARING, {"documents": json.dumps([{"title": "Høringsnotat", "url": url}])})
        for kind, field, before, after in (
                ("documents_added", "documents", None, json.dumps([{"title": "Notat", "type": "pdf", "url": url}])),
                ("documents_changed", url, "a" * 64, "b" * 64),
                ("provision_hit", "apenhetsloven-4", None, "åpenhetsloven § 4"),
                ("vanished", None, None, "2026-11-24T05:00:00+00:00")):
            db["events"].insert({"item_id": HEARING, "run_id": 1, "at": "2026-11-24T05:00:00+00:00", "kind": kind,
                                 "field": field, "before": before, "after": after})
    db.close()
    table = run("events", "--since", "2026-11-24").stdout
    rows = {re.split(r"\s{2,}", line)[1]: re.split(r"\s{2,}", line)[3:] for line in table.splitlines()[1:]}
    assert rows["nye dokumenter"] == ["dokumenter", "Notat (pdf)"]
    assert rows["dokument endret"] == ["Høringsnotat", "innholdet er endret"]
    assert rows["overvåket bestemmelse berørt"] == ["bestemmelse", "åpenhetsloven § 4"]
    assert rows["forsvant"] == ["Forsvant fra kildens liste (beholdt her)"]
    assert "{'title'" not in table and "b" * 20 not in table and url not in table and "+00:00" not in table
    english = run("events", "--since", "2026-11-24", "--lang", "en").stdout
    assert "  provision  " in english and "Transparency Act section 4" in english
    raw = [json.loads(line) for line in run("events", "--since", "2026-11-24", "--format", "jsonl").stdout.splitlines()]
    assert {r["kind"]: r["field"] for r in raw}["provision_hit"] == "apenhetsloven-4"


def test_export_speaks_the_digest_language_unless_lang(env, monkeypatch):
    """`export --lang` defaulted to nb where every other command's --lang follows [digest] lang;
    and its count («4 items») was English after a Bokmål export."""
    (env / "en.toml").write_text('[digest]\nlang = "en"\n', "utf-8")
    monkeypatch.setenv("NCP_TRACKER_CONFIG", str(env / "en.toml"))
    from openpyxl import load_workbook

    r = run("export", "--format", "xlsx", "--status", "open", "--out", "open.xlsx")
    assert r.exit_code == 0 and r.stderr.splitlines()[-1] == f"4 items → {env / 'open.xlsx'}", r.stderr
    assert load_workbook(env / "open.xlsx").active.title == "Items"
    r = run("export", "--format", "xlsx", "--status", "open", "--out", "apne.xlsx", "--lang", "nb")
    assert r.stderr.splitlines()[-1] == f"4 saker → {env / 'apne.xlsx'}" and load_workbook(env / "apne.xlsx").active.title == "Saker"
    # the CSV too: English Excel's (`,`, English headers and names), not Norwegian Excel's
    r = run("export", "--status", "open")
    assert r.stdout.startswith("\ufeffID,Source,Kind,Status,Title,") and ",open," in r.stdout and ",åpen," not in r.stdout
    r = run("export", "--status", "open", "--lang", "nb")
    assert r.stdout.startswith("\ufeffID;Kilde;Type;Status;Tittel;") and ";åpen;" in r.stdout
    assert run("export", "--status", "open", "--dialect", "excel-nb").stdout.startswith("\ufeffID;Kilde;")


def test_a_missing_draft_file_is_said_in_the_readers_language(env):
    """`draft --versions` marked a draft whose file is gone «(missing)» in a Bokmål listing."""
    assert run("draft", HEARING, "--out", "utkast").exit_code == 0
    (env / "utkast" / "regjeringen_3150001-horingssvar.docx").unlink()
    listed = run("draft", HEARING, "--versions").stdout.splitlines()
    assert listed[0].endswith("regjeringen_3150001-horingssvar.docx\t(filen mangler)"), listed


def _english(env):
    """A configuration whose readers read English ([digest] lang = "en")."""
    config = env / "en.toml"
    config.write_text('[digest]\nlang = "en"\n', "utf-8")
    return config


def test_a_draft_for_a_withdrawn_hearing_says_so_on_the_terminal(env):
    """A hearing the source marks «Trukket» was drafted silently, exit 0, as if live."""
    db = open_db(env / "t.db")
    db["items"].update(HEARING, {"status": "withdrawn", "status_raw": "Trukket"})
    db.close()
    r = CliRunner().invoke(main, ["draft", HEARING, "--out", "d"])
    assert r.exit_code == 0  # the draft is written, and the warning is loud
    assert "advarsel: Høringen er trukket tilbake: kilden oppgir «Trukket»." in r.stderr


def test_a_drafts_warnings_are_said_in_the_readers_language(env):
    """A Bokmål reader got «advarsel: The feedback period ended on …» for an EU item, an English
    reader «warning: Høringsfristen gikk ut …»: the draft's language after the reader's prefix.
    The terminal now says the warning in the reader's language; the document keeps the draft's."""
    db = open_db(env / "t.db")
    for item in (HEARING, EU):
        db["items"].update(item, {"deadline": "2026-01-10T23:59:59+01:00"})
    db.close()
    r = CliRunner().invoke(main, ["draft", EU, "--out", "d"])
    assert r.exit_code == 0
    assert "advarsel: Innspillsperioden gikk ut 10.01.2026. Avklar med DG JUST om innspill fortsatt tas imot" in r.stderr
    assert "The feedback period ended" not in r.stderr
    md = (env / "d" / "eu_haveyoursay_14567-feedback.md").read_text("utf-8")
    assert "⚠ The feedback period ended on 10 January 2026. Check with DG JUST" in md  # the document: English
    r = CliRunner().invoke(main, ["--config", str(_english(env)), "draft", HEARING, "--out", "d"])
    assert r.exit_code == 0
    assert ("warning: The consultation deadline passed on 10 January 2026. Check with Barne- og "
            "familiedepartementet whether a response is still accepted before it is sent.") in r.stderr
    assert "Høringsfristen gikk ut 10.01.2026" in (env / "d" / "regjeringen_3150001-horingssvar.md").read_text("utf-8")


def test_a_draft_from_old_data_says_so_as_inbox_does_and_still_exits_0(env):
    """`draft` on a store whose latest crawl is days old said nothing, where `inbox` and the web
    show the out-of-date banner. Now it prints the same banners, as warnings: the draft is written
    (exit 0, scripts keep working)."""
    from datetime import datetime

    from crawlers.dates import OSLO
    from tracker.digest.build import trust_banners

    found, banners = trust_banners(open_db(env / "t.db"), as_of=datetime.now(OSLO), profile="ncp", lang="nb")
    assert found  # the seeded crawl is of 24 November 2026: old by now
    r = CliRunner().invoke(main, ["draft", HEARING, "--out", "d"])
    assert r.exit_code == 0 and (env / "d" / "regjeringen_3150001-horingssvar.docx").exists()
    for banner in banners:
        assert f"advarsel: {banner.text}" in r.stderr
    assert "feil:" not in r.stderr
    assert "for mer enn 36 timer siden: det som vises, kan være utdatert." in r.stderr


def test_draft_versions_of_an_unknown_item_is_refused_and_times_are_oslo(env):
    """`draft nope:1 --versions` said «ingen utkast er skrevet for nope:1», exit 0 (without
    --versions: «feil: Ukjent saks-id», exit 2); its times were raw UTC («2026-12-07T03:33:44+00:00»)."""
    r = CliRunner().invoke(main, ["draft", "nope:1", "--versions"])
    assert r.exit_code == 2 and "feil: Ukjent saks-id: 'nope:1'" in r.stderr and "ingen utkast" not in r.output
    assert run("draft", HEARING, "--out", "utkast").exit_code == 0
    db = open_db(env / "t.db")
    db.execute("update drafts set created_at = '2026-12-07T03:33:44+00:00'")
    db.conn.commit()
    db.close()
    listed = run("draft", HEARING, "--versions").stdout.splitlines()
    assert listed[0].split("\t")[:2] == ["v1", "man. 07.12.2026 kl. 04.33"], listed
    assert "+00:00" not in listed[0]


@pytest.mark.parametrize(("lang", "said"), [
    ("nb", "feil: Databasen {path} kan ikke brukes nå: et annet program skriver til den (databasen er låst)"
           ".\n"),
    ("en", "error: The database {path} cannot be used now: another program is writing to it (the database is "
           "locked) (sqlite: database is locked).\n"),
])
def test_a_database_another_writer_holds_past_the_wait_is_said_with_its_file_not_a_traceback(env, monkeypatch,
                                                                                            lang, said):
    """`triage` while another program held the database's write lock (a crawl storing, a backup)
    for longer than the wait ended in a Python traceback («sqlite3.OperationalError: database is
    locked»); now one line naming the file and why, exit 1, nothing written."""
    import sqlite3

    import tracker.store.db as store_db

    monkeypatch.setattr(store_db, "BUSY_WAIT_S", 0.2)
    other = sqlite3.connect(env / "t.db", isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another writer, in the middle of its transaction
    try:
        r = CliRunner().invoke(main, ["triage", HEARING, "--state", "respond", "--by", "kari", "--lang", lang])
    finally:
        other.rollback()
        other.close()
    assert r.exit_code == 1 and "Traceback" not in r.output, r.output
    assert r.output == said.format(path=env / "t.db")
    assert run("triage", HEARING, "--history").output.endswith("Ingen endringer i oppfølgingen ennå.\n")


def test_states_are_taken_by_the_names_the_output_shows(env):
    """`triage … --state følges` said «Ukjent status 'følges'»: only the codes were taken, while every
    line shows the names. Bokmål and English names, any case, æøå typed as ASCII."""
    r = run("triage", HEARING, "--state", "Følges")
    assert r.exit_code == 0 and r.output.startswith(f"{HEARING}: følges — ")
    assert run("triage", HEARING, "--state", "skal svares").output.startswith(f"{HEARING}: skal svares — ")
    assert run("search", "høring", "--state", "Skal_svares", "--format", "jsonl").exit_code == 0
    assert run("search", "høring", "--state", "to answer", "--format", "jsonl").exit_code == 0
    assert run("search", "høring", "--state", "tildel").exit_code == 2


def test_a_draft_due_on_christmas_eve_follows_the_profiles_calendar(env, data_dir):
    """Christmas Eve is a day off by default, and the warning names it; where the ncp profile — by
    which the inbox computes the draft-due days — says `eves_are_working_days`, it is a working day,
    but the warning said «Julaften» there too (it read the default calendar). A profiles file it
    cannot read is refused before the day is written, as `draft` refuses it."""
    item = HEARING
    db = open_db(env / "t.db")  # its deadline after New Year: a draft may be due at Christmas
    db.execute("update items set deadline = '2027-01-15T23:59:59+01:00' where id = ?", [item])
    db.conn.commit()
    db.close()

    def due(day: str):
        return run("triage", item, "--as-of", "2026-11-24T09:00", "--deadline", day)

    r = due("2026-12-24")
    assert r.exit_code == 0 and r.stderr == "advarsel: utkastet skal være klart på en fridag: tor. 24.12.2026 (Julaften)\n"
    (data_dir / "profiles.toml").write_text("[profiles.ncp]\neves_are_working_days = true\n", "utf-8")
    r = due("2026-12-31")
    assert r.exit_code == 0 and r.stderr == "", r.stderr
    assert due("2026-12-25").stderr.endswith("(Første juledag)\n")  # a public holiday stays one
    (data_dir / "profiles.toml").write_text("[profiles.ncp]\neves_are_working_days = 1\n", "utf-8")
    r = due("2026-12-28")
    assert r.exit_code == 2 and "eves_are_working_days må være true eller false" in r.stderr
    assert "utkast innen fre. 25.12.2026" in run("triage", item).stdout  # not written


def test_search_that_finds_nothing_offers_the_words_as_prefixes(env):
    """`search leverandør` printed «(ingen)»: the text has «leverandørkjeden» (one compound word,
    matched by its stem only). After the empty list it now says, on stderr, what the words as
    prefixes find; the list on stdout is as before (jsonl: empty)."""
    r = run("search", "leverandør")
    assert r.exit_code == 0 and r.stdout == "(ingen)\n"
    assert r.stderr.splitlines()[-1] == ("ingen treff; «leverandør*» (ord som begynner med dem, også sammensatte "
                                         "ord) finner 1 sak")
    r = run("search", "leverandør", "--format", "jsonl", "--lang", "en")
    assert r.stdout == "" and r.stderr.splitlines()[-1] == (
        "no hits; «leverandør*» (words that begin with them, compounds too) finds 1 item")
    assert "treff" not in run("search", "xyzzy").stderr  # nothing to offer: nothing said


def test_a_draft_due_on_a_day_off_is_said_not_refused(env):
    """`triage ITEM --deadline 2026-12-20` took a Sunday for the internal deadline without a word
    (the inbox and the digest count working days; «Utkast innen» then fell on no working day). It
    is still taken — an adviser may mean it — with a warning naming the day off; a working day is
    taken quietly."""
    r = run("triage", HEARING, "--as-of", "2026-11-24T09:00", "--deadline", "2026-11-29")
    assert r.exit_code == 0 and "utkast innen søn. 29.11.2026" in r.stdout
    assert r.stderr == "advarsel: utkastet skal være klart på en fridag: søn. 29.11.2026 (søndag)\n"
    r = run("triage", HEARING, "--as-of", "2026-11-24T09:00", "--deadline", "2026-12-05", "--lang", "en")
    assert r.stderr == "warning: the draft is due on a day off: Sat 5 Dec 2026 (Saturday)\n"
    r = run("triage", HEARING, "--as-of", "2026-11-24T09:00", "--deadline", "2026-12-07")
    assert r.exit_code == 0 and r.stderr == ""
    from tracker.digest.wording import day_off  # a public holiday by its name

    assert day_off("2026-12-25", "nb") == "Første juledag" and day_off("2026-12-23", "nb") is None


def test_triage_says_when_a_state_adviser_or_day_asked_for_changes_nothing(env):
    """`triage X --state respond` on an item that was «skal svares» already wrote nothing and said
    the state line as after a change, where its marks' line and the web say «ingen endring»."""
    first = run("triage", HEARING, "--state", "respond", "--owner", "Kari")
    assert first.exit_code == 0 and "ingen endring" not in first.output, first.output
    for args in (["--state", "respond"], ["--owner", "Kari"], ["--state", "respond", "--owner", "Kari"]):
        again = run("triage", HEARING, *args)
        assert again.exit_code == 0 and again.output.rstrip().endswith("(ingen endring)"), (args, again.output)
    moved = run("triage", HEARING, "--owner", "Per")
    assert "ansvarlig Per" in moved.output and "ingen endring" not in moved.output
    noted = run("triage", HEARING, "--note", "Vi skriver")  # a note is always kept: a change
    assert "ingen endring" not in noted.output
