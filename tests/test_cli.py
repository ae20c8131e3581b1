"""The CLI: every command has help with an example; core commands against a small store."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from support import ROOT, others_checked

from tracker.cli import main
from tracker.store import merge as store


def commands():
    return sorted(main.commands)


@pytest.mark.parametrize("name", commands())
def test_every_command_has_help_with_an_example(name):
    result = CliRunner().invoke(main, [name, "--help"])
    assert result.exit_code == 0, result.output
    assert "Eksempel:" in result.output, f"{name} --help lacks a one-line example"  # Bokmål by default


@pytest.mark.parametrize("name", commands())
def test_every_command_is_in_the_readme(name):
    assert f"`{name}" in (ROOT / "README.md").read_text("utf-8"), f"README does not mention {name}"


def test_readme_opens_with_the_two_commands():
    head = (ROOT / "README.md").read_text("utf-8").split("\n", 8)[:8]
    assert any(line.startswith("make demo") for line in head)
    assert any(line.startswith("make test") for line in head)


#: the one hearing of `filled`
HEARING = {"source": "no_regjeringen_horinger", "kind": "hearing", "native_id": "3100001",
           "url": "https://www.regjeringen.no/no/dokumenter/a/id3100001/", "title": "Høring – åpenhetsloven",
           "deadline": "2027-01-15T23:59:59+01:00", "status_raw": "På høring", "owner": "BFD"}


def scrape(db_path, as_of, **changed) -> None:
    """A run at `as_of` that scrapes HEARING, with the fields `changed` (its title, deadline …)."""
    from tracker.store.db import open_db

    db = open_db(db_path)
    run = store.start_run(db, as_of=as_of, mode="test", sources=["no_regjeringen_horinger"])
    store.apply_scrape(db, run_id=run, as_of=as_of, source="no_regjeringen_horinger",
                       items=[{**HEARING, **changed}], listing={})
    db.close()


@pytest.fixture
def filled(tmp_path, as_of):
    path = tmp_path / "cli.db"
    scrape(path, as_of)
    return path


def invoke(*args, db):
    return CliRunner().invoke(main, ["--db", str(db), *args])


def test_items_jsonl(filled):
    result = invoke("items", "--format", "jsonl", db=filled)
    assert result.exit_code == 0, result.output
    (row,) = [json.loads(line) for line in result.stdout.splitlines()]
    assert row["id"] == "regjeringen:3100001"
    assert row["status"] == "open" and row["owner"] == "BFD" and row["related"] == []
    for key in ("source", "kind", "title", "url", "published", "deadline", "first_seen", "last_changed"):
        assert key in row


def test_db_and_config_are_taken_after_the_command_too(filled, tmp_path):
    """Every command's help speaks of «--db» («… inn i data/demo.db (med mindre --db er gitt)»), but
    `ncp-tracker items --db x.db` was refused («ingen valg heter '--db' (mente du '--kind'?)»): the
    group's --db and --config are taken after the command as before it."""
    from tracker.cli.main import hoisted

    after = CliRunner().invoke(main, ["items", "--format", "jsonl", "--db", str(filled)])
    assert after.exit_code == 0, after.output
    assert [json.loads(line)["id"] for line in after.stdout.splitlines()] == ["regjeringen:3100001"]
    config = tmp_path / "c.toml"
    config.write_text("[digest]\nlang = \"en\"\n", "utf-8")
    wrong = CliRunner().invoke(main, ["items", f"--config={config}", "--status", "nope", f"--db={filled}"])
    # in English: the configuration typed after the command was read
    assert wrong.exit_code == 2 and "error: invalid value for --status: unknown status 'nope'" in wrong.stderr, \
        wrong.stderr

    def valued(command: str) -> frozenset[str]:
        return frozenset({"--note", "--status"}) if command == "triage" else frozenset()

    assert hoisted(["triage", "x", "--db", "a.db", "--state", "new"], valued) == \
        ["--db", "a.db", "triage", "x", "--state", "new"]
    # an option's own value, what follows `--`, and the group's options before the command stay
    assert hoisted(["triage", "x", "--note", "--db", "a.db"], valued) == ["triage", "x", "--note", "--db", "a.db"]
    assert hoisted(["search", "--", "--db", "a.db"], valued) == ["search", "--", "--db", "a.db"]
    assert hoisted(["--config", "c.toml", "items", "--db=a.db"], valued) == \
        ["--config", "c.toml", "--db=a.db", "items"]
    assert hoisted(["--db", "a.db"], valued) == ["--db", "a.db"]


def test_a_search_query_is_its_words_and_a_negation_is_no_option(filled):
    """`search åpenhetsloven -klima` was refused («ingen valg heter '-k'») and `search høring
    åpenhetsloven` said «ett argument for mye»: the query had to be one quoted argument, a negation
    first after `--`. Now the words are the query, a word beginning with one «-» one of its words;
    the command's own options are read wherever they stand."""
    def ids(*args):
        result = invoke("search", "--format", "jsonl", *args, db=filled)
        assert result.exit_code == 0, result.output
        return [json.loads(line)["id"] for line in result.stdout.splitlines()]

    assert ids("åpenhetsloven", "-klima") == ids("åpenhetsloven -klima") == ["regjeringen:3100001"]
    assert ids("høring", "åpenhetsloven") == ["regjeringen:3100001"]
    assert ids("åpenhetsloven", "-høring") == ids("--status", "open", "åpenhetsloven", '-"høring"') == []
    assert ids("-kind:eu_consultation", "åpenhetsloven") == ["regjeringen:3100001"]
    assert ids("--", "åpenhetsloven", "--status") == []  # after `--` every word is the query's, as before
    helped = invoke("search", "-h", db=filled)
    assert helped.exit_code == 0 and helped.stdout.startswith("Bruk: main search [VALG] QUERY\n")
    typo = invoke("search", "åpenhetsloven", "--limt", "3", db=filled)  # a long option mistyped: still said
    assert typo.exit_code == 2 and typo.stderr.endswith("feil: ingen valg heter '--limt' (mente du '--limit', "
                                                        "'--to'?)\n"), typo.stderr


def test_a_crawls_health_reason_is_wrapped_under_its_line_in_a_narrow_terminal(capsys):
    """In an 80-column terminal a warning's reason ran on after the counts and the terminal broke
    it anywhere, under the table's columns: it goes on the lines under its source, indented, cut
    between words; piped (no terminal width), each source stays one line for grep."""
    from tracker.cli.pipeline import _print_health

    reason = ("1 detail page blocked (403/challenge): «Forslag om endring i forskrift 16. desember 2021 nr. 3738 "
              "om krav til bærekraftsrapportering»")
    rows = [{"source": "no_regjeringen_horinger", "status": "amber", "items_seen": 100, "items_new": 1,
             "items_changed": 3, "channel": "rss", "reason": reason},
            {"source": "no_lovdata", "status": "green", "items_seen": 2, "items_new": 1, "items_changed": 0,
             "channel": "rss", "reason": "2 items, new: 1, changed: 0"}]
    _print_health(rows, "nb", title="tir. 24.11.2026", width=80)
    lines = capsys.readouterr().err.splitlines()
    # a source's line (~115 characters) was broken by the terminal too: its counts go under its name
    assert lines[1] == "  [OBS ] Høringer (regjeringen.no; no_regjeringen_horinger)  advarsel"
    assert lines[2] == "         saker:  100  nye:   1  endret:   3  via: rss"
    assert all(len(line) <= 79 for line in lines)
    wrapped = lines[3:-2]
    assert len(wrapped) >= 2 and all(line.startswith(" " * 9) and line[9] != " " for line in wrapped)
    assert " ".join(line.strip() for line in wrapped).startswith("1 detaljside blokkert (403/utfordring): «Forslag")
    assert lines[-2].startswith("  [OK  ] Lovdata (no_lovdata)") and lines[-1].startswith("         saker:    2  nye:")
    _print_health(rows, "nb", width=130)  # wide enough for the line, not for its reason
    wide = capsys.readouterr().err.splitlines()
    assert wide[1].startswith("  [OBS ] Høringer (regjeringen.no; no_regjeringen_horinger)  advarsel  saker:")
    assert wide[1].endswith("via: rss") and wide[2].startswith(" " * 9 + "1 detaljside blokkert")
    _print_health(rows, "nb", width=0)  # no terminal: one line a source, as before
    piped = capsys.readouterr().err.splitlines()
    assert len(piped) == 3 and piped[1].endswith("«Forslag om endring i forskrift 16. desember 2021 nr. 3738 om "
                                                 "krav til bærekraftsrapportering»")



LONG_LINK = ("https://www.regjeringen.no/no/dokument/hoyringar/id1763/?ownerid=668&term=&isFilterOpen=true"
             "&documentType=hoyring&from=2026-11-01&to=2026-11-30&sort=date&page=2&pageSize=50")  # 167 characters


def test_a_link_in_a_health_reason_is_never_broken_in_a_narrow_terminal(monkeypatch, tmp_path, capsys):
    """A reason that names a link longer than the terminal's line: the crawl's health lines and
    `health`'s reason column wrapped it like any word, cut in two at the edge (neither half opens,
    nor copies whole). Now it stands whole on a line of its own, as every other wrap in the
    terminal keeps a word."""
    from tracker.cli.pipeline import _print_health

    reason = f"the hearings listing moved: {LONG_LINK} answered 404"
    _print_health([{"source": "no_regjeringen_horinger", "status": "red", "items_seen": 0, "items_new": 0,
                    "items_changed": 0, "channel": "rss", "reason": reason}], "en", width=80)
    lines = capsys.readouterr().err.splitlines()
    assert " " * 9 + LONG_LINK in lines, lines
    assert " ".join(line.strip() for line in lines[3:]) == reason
    path = _health_db(tmp_path, red=reason)
    monkeypatch.setattr("tracker.cli.support.terminal_columns", lambda err=False: 160)
    out = CliRunner().invoke(main, ["--db", str(path), "--", "health", "--as-of", "2026-11-24T08:00",
                                    "--lang", "en"]).stdout.splitlines()
    assert "    " + LONG_LINK in out, out

def test_health_of_a_store_with_backfill_runs_only_says_no_daily_crawl_has_run(tmp_path, as_of):
    """A store a backfill has filled, before its first daily run: `health` said «ingen helsestatus
    for kildene før man. 07.12.2026 kl. 19.59, klokkeslettet for den første kjøringen (se
    --as-of)» at 20.05 — a clock before which nothing was asked. A backfill's health is not the
    sources' (`store.health.latest`): it now says that no daily crawl has run, and which command
    starts one (exit 2, as with no crawl at all)."""
    from tracker.store import health
    from tracker.store.db import open_db
    from tracker.store.instants import stored

    path = tmp_path / "b.db"
    db = open_db(path)
    run = store.start_run(db, as_of=as_of, mode="backfill:no_regjeringen_horinger page 1+2015", sources=[
        "no_regjeringen_horinger"], backfill=True)
    with db.conn:
        health.record(db, run, health.SourceRun(source="no_regjeringen_horinger", items_seen=20), stored(as_of))
    store.finish_run(db, run, 0)
    db.close()
    later = invoke("health", "--as-of", "2026-11-24T09:00", db=path)
    assert later.exit_code == 2
    assert later.stdout == ("Ingen daglig innhenting er kjørt ennå: databasen har bare innhentinger av historikk "
                            "(prøv `ncp-tracker run`).\n")
    early = invoke("health", "--as-of", "2026-11-24T05:00", "--lang", "en", db=path)  # before it: as before
    assert "no source health before Tue 24 Nov 2026 06:00, the first run's clock" in early.stdout

def _health_db(tmp_path: Path, red: str = "HTTP 503 on every request") -> Path:
    """A store whose last run found eu_cellar amber (a long reason) and no_nbim red (`red`)."""
    from datetime import datetime

    from crawlers.dates import OSLO
    from tests.browser.seed import seed
    from tracker.store import health as store_health
    from tracker.store.db import open_db

    path = tmp_path / "h.db"
    db = open_db(path)
    seed(db)
    run = store.start_run(db, as_of=datetime(2026, 11, 24, 6, tzinfo=OSLO), mode="test",
                          sources=["eu_cellar", "no_nbim"])
    reason = "SPARQL for 32024R1781 (espr): timed out (HTTP 500); OJ RSS used as fallback"
    with db.conn:
        store_health.record(db, run, store_health.SourceRun(source="eu_cellar", items_seen=32, notes=[("amber", reason)]),
                            "2026-11-24T05:00:00+00:00")
        store_health.record(db, run, store_health.SourceRun(source="no_nbim", items_seen=0,
                                                            notes=[("red", red)]),
                            "2026-11-24T05:00:00+00:00")
    db.close()
    return path


@pytest.mark.parametrize("columns", [230, 160, 100, 80])
def test_the_health_tables_reason_wraps_in_a_terminal_too_narrow_for_it(monkeypatch, tmp_path, columns):
    """`health` in a terminal: a reason (never cut: it is what a row says) ran past the edge and the
    terminal broke it anywhere; it wraps between words under its column, or, where the columns
    leave it less than 20 characters, on the lines under its row. Where even the columns are
    wider than the terminal (its rows are ~150 characters: at 80 or 100 the terminal broke every
    row in two) a source is shown a row at a time: its name, then «Heading: value» pairs, each
    whole, as many to a line as fit, then its reason, wrapped."""
    path = _health_db(tmp_path)
    monkeypatch.setattr("tracker.cli.support.terminal_columns", lambda err=False: columns)
    out = CliRunner().invoke(main, ["--db", str(path), "health", "--as-of", "2026-11-24T08:00"]).stdout.splitlines()
    assert all(len(line) < columns for line in out), out
    row = next(i for i, line in enumerate(out) if line.startswith("EU-tidende (Cellar)"))
    said = "SPARQL-spørringen for 32024R1781 (espr): tidsavbrudd (HTTP 500); EU-tidendes RSS brukt i stedet"
    if columns == 230:  # under its column: the row's first line ends with its first words
        start = out[0].index("Årsak")
        rest = [line[start:] for line in out[row + 1:] if line[:start].strip() == ""]
        assert " ".join([out[row][start:], *rest]) == said
    elif columns == 160:  # on the lines under the row, indented, as its heading under the others
        assert out[row].endswith("kl. 06.00") and out[row + 1] == "    " + said
        assert out[0].startswith("Kilde ") and out[0].endswith("Sjekket") and out[1] == "    Årsak"
    else:  # a row at a time
        assert out[row] == "EU-tidende (Cellar)" and not any(line.startswith("Kilde ") for line in out)
        block = out[row + 1: next(i for i in range(row + 1, len(out)) if not out[i].startswith("    "))]
        pairs = [pair for line in block for pair in line.strip().split(" · ")]
        assert pairs[:4] == ["Kode: eu_cellar", "Status: advarsel", "Sett: 32", "Ny: 0"], pairs
        assert "Sjekket: tir. 24.11.2026 kl. 06.00" in pairs
        reason = block[next(i for i, line in enumerate(block) if line.startswith("    Årsak: ")):]
        assert " ".join(line.strip() for line in reason) == "Årsak: " + said and len(reason) >= 2


def test_a_red_source_is_red_in_the_health_table_of_a_terminal(monkeypatch, tmp_path):
    """`health` showed a failed source in the same plain text as a working one — only the word
    «feil» in its status column told them apart, where the crawl's own health lines are red; now
    its row is red and bold, an amber one's yellow, in a terminal (piped: no escape codes)."""
    path = _health_db(tmp_path)
    args = ["--db", str(path), "health", "--as-of", "2026-11-24T08:00"]
    for columns in (230, 80):
        monkeypatch.setattr("tracker.cli.support.terminal_columns", lambda err=False, c=columns: c)
        out = CliRunner().invoke(main, args, color=True).stdout.splitlines()
        red = [line for line in out if "HTTP 503" in line or line.startswith("\x1b[31m\x1b[1mNorges Bank")]
        assert red and all(line.startswith("\x1b[31m\x1b[1m") for line in red), out
        amber = next(line for line in out if "EU-tidende (Cellar)" in line)
        assert amber.startswith("\x1b[33m"), amber
        green = next(line for line in out if "EU: Si din mening" in line)  # no colour (at 80 its name in bold)
        assert green.removeprefix("\x1b[1m").startswith("EU: Si din mening") and "\x1b[3" not in green, out
    plain = CliRunner().invoke(main, args).stdout
    assert "\x1b[" not in plain and "Norges Bank Investment Management (NBIM)" in plain


def test_a_long_banner_wraps_between_words_in_a_terminal(monkeypatch, tmp_path):
    """The banners of a stale store («advarsel: Ikke sjekket på over 36 timer: » and every source's
    name) ran on for hundreds of characters and the terminal broke them anywhere; in a terminal
    they wrap between words, the next lines under the text, and say the same words."""
    import tracker.cli.support as support

    path = _health_db(tmp_path)
    args = ["--db", str(path), "health", "--as-of", "2026-11-27T08:00"]
    piped = CliRunner().invoke(main, args).stderr.splitlines()
    assert max(map(len, piped)) > 80, piped
    monkeypatch.setattr(support, "terminal_columns", lambda err=False: 80)
    lines = CliRunner().invoke(main, args).stderr.splitlines()
    assert len(lines) > len(piped) and all(len(line) < 80 for line in lines), lines
    said: list[str] = []
    for line in lines:
        if line.startswith(("feil: ", "advarsel: ")):
            said.append(line)
        else:
            indent = len(said[-1].split(":")[0]) + 2
            assert line.startswith(" " * indent) and line[indent] != " ", line
            said[-1] += " " + line.strip()
    assert said == piped


def test_items_filters(filled):
    assert invoke("items", "--format", "jsonl", "--status", "closed", db=filled).stdout == ""
    assert invoke("items", "--format", "jsonl", "--kind", "hearing", db=filled).stdout.count("\n") == 1


def test_a_value_typed_by_name_is_taken_and_a_mistyped_one_lists_the_names(filled):
    """`items --status åpen` was refused (a click.Choice of the English codes) though the table shows
    «åpen»; a mistyped --kind, --status, --state or event kind listed codes only («gyldige: hearing,
    committee_hearing, …»): now the names the tables show, each code beside it, and what the reader
    may have meant."""
    by_name = invoke("items", "--format", "jsonl", "--status", "Åpen", db=filled)
    assert by_name.exit_code == 0 and [json.loads(line)["id"] for line in by_name.stdout.splitlines()] == \
        ["regjeringen:3100001"]
    wrong = invoke("items", "--status", "apenn", db=filled)
    assert wrong.exit_code == 2 and wrong.stderr.endswith(
        "feil: ugyldig verdi for --status: ukjent status 'apenn' (gyldige: åpen (open), lukket (closed), trukket "
        "(withdrawn), kommende (upcoming), ukjent (unknown)) (mente du 'åpen'?)\n"), wrong.stderr
    kind = invoke("items", "--kind", "høringg", db=filled)
    assert kind.exit_code == 2 and "(gyldige: Høring (hearing), Komitéhøring (committee_hearing), " in kind.stderr
    assert kind.stderr.endswith(" (mente du 'Høring'?)\n"), kind.stderr
    state = invoke("search", "x", "--state", "tildelt2", "--lang", "en", db=filled)
    assert state.exit_code == 2 and state.stderr.endswith(
        "error: invalid value for --state: unknown triage state 'tildelt2' (valid: new, watching, not relevant, to "
        "answer (respond), assigned, drafting, submitted, published, closed unanswered) (did you mean 'assigned'?)\n"), \
        state.stderr
    source = invoke("items", "--source", "no_nbimm", db=filled)  # the sources by name, as the tables show them
    assert source.exit_code == 2 and source.stderr.endswith(
        "OECD: andre lands kontaktpunkter (oecd_ncp_cases)) (mente du 'Norges Bank Investment Management (NBIM)'?)\n"), \
        source.stderr
    # and taken by name («Høringer (regjeringen.no)», as `items` and `search kilde:` show it), any case
    assert invoke("items", "--source", "høringer (Regjeringen.no)", db=filled).stdout == \
        invoke("items", "--source", "no_regjeringen_horinger", db=filled).stdout
    nothing_close = invoke("events", "--kind", "zzz", db=filled)
    assert nothing_close.exit_code == 2 and "mente du" not in nothing_close.stderr
    assert "(gyldige: ny (new), oppdatert (updated), frist endret (deadline_changed)," in nothing_close.stderr


@pytest.mark.parametrize("command", [("items",), ("events",), ("search", "åpenhetsloven"), ("export",),
                                     ("items", "--format", "jsonl")])
def test_a_lookup_of_a_store_that_is_not_current_says_so(command, tmp_path, as_of):
    """`items`, `events`, `search` and `export` listed an old or never-crawled store's items (or
    «(ingen)») with exit 0 and no word, where `inbox` and the digest say why the data cannot pass
    for current: now the same reasons (tracker.attention.freshness) as «advarsel:» on stderr — what is
    listed stands, exit 0, stdout unchanged for a machine format."""
    from tracker.store.db import open_db

    empty = tmp_path / "empty.db"
    open_db(empty).close()  # migrated, never crawled
    result = invoke(*command, db=empty)
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith("advarsel: Ingen innhenting er kjørt ennå: det finnes ingen data å vise.\n"), \
        result.stderr
    assert "advarsel" not in result.stdout
    stored = tmp_path / "stored.db"
    scrape(stored, as_of)  # items stored by a run with no health, never finished: no crawl that succeeded
    result = invoke(*command, "--lang", "en", db=stored)
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith(
        "warning: The crawl of Tue 24 Nov 2026 06:00 did not finish (it was stopped, or is still running): what is "
        "shown is what the crawls before it found.\nwarning: No crawl has succeeded yet: what is shown cannot be "
        "trusted.\n"), result.stderr
    if command[-1] == "jsonl":
        assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == ["regjeringen:3100001"]


def test_events_jsonl(filled):
    result = invoke("events", "--format", "jsonl", db=filled)
    (event,) = [json.loads(line) for line in result.stdout.splitlines()]
    assert (event["item_id"], event["kind"], event["after"]) == ("regjeringen:3100001", "new", "Høring – åpenhetsloven")
    assert invoke("events", "--format", "jsonl", "--since", "2027-01-01", db=filled).stdout == ""
    bad = invoke("events", "--since", "2026-02-30", db=filled)  # the error named --as-of, not the option given
    assert bad.exit_code == 2 and "ugyldig verdi for --since: ikke en dato eller et tidspunkt i ISO-format: '2026-02-30'" in bad.output


@pytest.mark.parametrize("command, value", [
    (("digest", "--date"), "0001-01-01"), (("horizon", "--as-of"), "9999-12-31"), (("events", "--since"), "0001-01-01"),
    (("inbox", "--as-of"), "0001-01-01T06:00"), (("health", "--as-of"), "2101-01-01"),
    (("close-unanswered", "--as-of"), "0001-01-01"),
])
def test_a_day_at_the_calendars_edge_is_refused_not_a_traceback(filled, command, value):
    """`digest --date 0001-01-01` and `horizon --as-of 9999-12-31` ended in «OverflowError: date value
    out of range» (a week before, months after): every date or clock the commands take is of a year
    the tracker reads dates in (crawlers.dates: 1990–2100), else bad input, exit 2."""
    result = invoke(*command, value, db=filled)
    assert (result.exit_code, result.stderr.splitlines()[-1]) == (
        2, f"feil: ugyldig verdi for {command[1]}: året må være fra 1990 til 2100, ikke '{value}'"), result.output
    english = invoke(*command, value, "--lang", "en", db=filled) if command[0] != "close-unanswered" else None
    if english is not None:
        assert (english.exit_code, english.stderr.splitlines()[-1]) == (
            2, f"error: invalid value for {command[1]}: the year must be from 1990 to 2100, not '{value}'")


@pytest.mark.parametrize("command", [("search", "høring"), ("export",)])
def test_a_since_filter_at_the_calendars_edge_is_refused_not_a_traceback(filled, command):
    """`search x --new-since 0001-01-01` ended in «OverflowError: date value out of range» (its UTC
    instant is in the year 0)."""
    for option, value in (("--new-since", "0001-01-01"), ("--changed-since", "9999-12-31T23:59")):
        result = invoke(*command, option, value, db=filled)
        assert (result.exit_code, result.stderr.splitlines()[-1]) == (
            2, f"feil: «{option}»: året må være fra 1990 til 2100, ikke '{value}'."), result.output
    assert invoke(*command, "--new-since", "1990-01-01", db=filled).exit_code == 0


def test_events_of_one_item_are_its_history(filled, as_of):
    """`events` listed every item's changes with no way to ask for one item's history (only the
    web's item page showed it): `--item ITEM` gives that item's events, oldest first; an id the
    store does not have is refused (exit 2), not an empty history."""
    from tracker.store.db import open_db

    other = {**HEARING, "native_id": "3100002", "url": "https://www.regjeringen.no/no/dokumenter/annen/id3100002/",
             "title": "Høring – noe annet"}
    db = open_db(filled)
    run = store.start_run(db, as_of=as_of + timedelta(days=1), mode="test", sources=["no_regjeringen_horinger"])
    store.apply_scrape(db, run_id=run, as_of=as_of + timedelta(days=1), source="no_regjeringen_horinger",
                       items=[{**HEARING, "title": "Høring – åpenhetsloven (endret)"}, other], listing={})
    db.close()
    every = [json.loads(line) for line in invoke("events", "--format", "jsonl", db=filled).stdout.splitlines()]
    assert {e["item_id"] for e in every} == {"regjeringen:3100001", "regjeringen:3100002"}
    mine = invoke("events", "--format", "jsonl", "--item", "regjeringen:3100001", db=filled)
    assert [(e["item_id"], e["kind"]) for e in map(json.loads, mine.stdout.splitlines())] == [
        ("regjeringen:3100001", "new"), ("regjeringen:3100001", "updated")]
    table = invoke("events", "--item", "regjeringen:3100001", db=filled).stdout
    assert "tittel: Høring – åpenhetsloven" in table and "3100002" not in table
    bad = invoke("events", "--item", "regjeringen:3100003", db=filled)
    assert bad.exit_code == 2 and bad.stderr == ("feil: Ukjent saks-id: 'regjeringen:3100003' (se `ncp-tracker search` "
                                                 "eller `items`).\n")

def test_events_table_shows_an_updates_fields_not_a_dict(filled, as_of):
    """The table showed an `updated` event as "{'title': 'Høring – …'}"."""
    scrape(filled, as_of + timedelta(days=1), title="Høring – åpenhetsloven (endret)")
    table = invoke("events", "--kind", "updated", db=filled).output
    assert "tittel: Høring – åpenhetsloven" in table and "{'title'" not in table


def test_events_refuse_an_unknown_kind(filled):
    """`events --kind deadine_changed` listed nothing and exited 0: a typo passed for a quiet week."""
    result = invoke("events", "--kind", "deadine_changed", db=filled)
    assert result.exit_code == 2
    assert "ukjent hendelsestype 'deadine_changed'" in result.output and "deadline_changed" in result.output
    ok = invoke("events", "--format", "jsonl", "--kind", "new", db=filled)
    assert ok.exit_code == 0 and ok.stdout.count("\n") == 1


def test_items_table(filled):
    result = invoke("items", db=filled)
    assert "Høring – åpenhetsloven" in result.output


def test_items_and_events_tables_are_headed_in_the_readers_words(filled):
    """The tables were headed by field keys («id  status  deadline  source  title», «at  kind
    backfill  item_id …») and showed codes («open», «new») under them; now the reader's words,
    the status and the event's kind by name as the web names them; jsonl keeps keys and codes."""
    lines = invoke("items", db=filled).stdout.splitlines()
    assert re.split(r"\s{2,}", lines[0]) == ["Id", "Status", "Frist", "Kilde", "Tittel"]
    assert re.split(r"\s{2,}", lines[1])[:2] == ["regjeringen:3100001", "åpen"]
    assert "Høringer (regjeringen.no)" in re.split(r"\s{2,}", lines[1])  # the source by name (was no_regjeringen_…)
    english = invoke("items", "--lang", "en", db=filled).stdout.splitlines()
    assert re.split(r"\s{2,}", english[0]) == ["Id", "Status", "Deadline", "Source", "Title"]
    assert re.split(r"\s{2,}", english[1])[:2] == ["regjeringen:3100001", "open"]
    assert "Government hearings (regjeringen.no)" in re.split(r"\s{2,}", english[1])
    lines = invoke("events", db=filled).stdout.splitlines()
    assert re.split(r"\s{2,}", lines[0]) == ["Når", "Hva", "Sak", "Felt", "Før", "Etter"]
    assert re.split(r"\s{2,}", lines[1])[1:3] == ["ny", "regjeringen:3100001"]
    english = invoke("events", "--lang", "en", db=filled).stdout.splitlines()
    assert re.split(r"\s{2,}", english[0]) == ["When", "What", "Item", "Field", "Before", "After"]
    (event,) = [json.loads(line) for line in invoke("events", "--format", "jsonl", db=filled).stdout.splitlines()]
    assert event["kind"] == "new" and "at" in event and "backfill" in event


def test_a_missing_database_is_an_error_not_an_empty_one(tmp_path):
    missing = tmp_path / "typo" / "tracker.db"
    for command in (["health"], ["items"], ["events"], ["digest"], ["inbox"], ["search", "klima"],
                    ["watchlist"], ["gpfg"], ["companies"], ["triage", "x", "--state", "watching"]):
        result = invoke(*command, db=missing)
        assert result.exit_code != 0, command
        assert f"Ingen database i {missing}" in result.output and "ncp-tracker demo" in result.output, command
    assert not missing.exists() and not missing.parent.exists()


def test_health_without_runs_says_what_to_do(tmp_path):
    invoke("migrate", db=tmp_path / "empty.db")  # migrate refuses a missing database too
    assert not (tmp_path / "empty.db").exists()
    from tracker.store.db import open_db

    open_db(tmp_path / "empty.db").close()
    result = invoke("health", db=tmp_path / "empty.db")
    assert result.exit_code == 2 and "ncp-tracker demo" in result.stdout
    assert "feil: Ingen innhenting er kjørt ennå" in result.stderr
    english = invoke("health", "--lang", "en", db=tmp_path / "empty.db")
    assert english.exit_code == 2 and english.stdout == "No crawl has run yet (try `ncp-tracker demo`).\n"
    assert "error: No crawl has run yet" in english.stderr


def test_the_health_lines_tie_each_count_to_its_word(capsys):
    """The crawl's health lines: "items 100 new 98 changed 0" was read as "100 new, 98 changed";
    each count now follows its word and a colon."""
    from tracker.cli.pipeline import _print_health

    _print_health([{"source": "no_regjeringen_horinger", "status": "green", "items_seen": 100,
                    "items_new": 98, "items_changed": 0, "channel": "rss",
                    "reason": "100 items, 98 new, 0 changed"}], "en")
    line = capsys.readouterr().err.splitlines()[1]
    assert "items:  100" in line and "new:  98" in line and "changed:   0" in line, line
    assert "via: rss" in line and "100 new" not in line and "98 changed" not in line, line


def test_a_health_line_says_its_counts_once_and_an_amber_or_red_reason_after_them(capsys):
    """A green source's reason is its counts in words: the line said «items: 7 new: 1 changed: 1
    via: rss    7 items, 1 new, 1 changed». Only an amber or red source's reason follows."""
    from tracker.cli.pipeline import _print_health

    _print_health([
        {"source": "no_etikkradet", "status": "green", "items_seen": 7, "items_new": 1,
         "items_changed": 1, "channel": "rss", "reason": "7 items, 1 new, 1 changed"},
        {"source": "no_finansdep", "status": "amber", "items_seen": 8, "items_new": 1,
         "items_changed": 0, "channel": "rss", "reason": "1 detail page blocked (403/challenge)"},
        {"source": "eu_cellar", "status": "red", "items_seen": 0, "items_new": 0,
         "items_changed": 0, "channel": None, "reason": "zero items (no items; 3 responses)"}], "en")
    green, amber, red = capsys.readouterr().err.splitlines()[1:]
    assert green.endswith("via: rss") and "7 items" not in green, green
    assert amber.endswith("via: rss    1 detail page blocked (403/challenge)"), amber
    assert red.endswith("via: -      zero items (no items; 3 responses)"), red


def test_health_exits_2_on_a_red_source_or_a_stopped_daily_job_in_both_formats(tmp_path):
    """A monitor runs `health`: a daily job that stopped a week ago left every source green, and
    exit 0 said all was well; `--format jsonl` exited 0 even with a red source."""
    from datetime import datetime

    from crawlers.dates import OSLO
    from tracker.store import health
    from tracker.store.db import open_db
    from tracker.store.instants import stored

    path = tmp_path / "h.db"
    db = open_db(path)
    as_of = datetime(2026, 11, 24, 6, tzinfo=OSLO)
    run = store.start_run(db, as_of=as_of, mode="test", sources=["no_lovdata", "no_nbim"])
    with db.conn:
        health.record(db, run, health.SourceRun(source="no_lovdata", items_seen=3), stored(as_of))
    others_checked(db, run, stored(as_of))  # the daily run checks every scheduled source
    store.finish_run(db, run, 0)
    db.close()
    for fmt in ("table", "jsonl"):
        fresh = invoke("health", "--format", fmt, "--as-of", "2026-11-24T09:00", db=path)
        assert fresh.exit_code == 0 and fresh.stderr == "" and "no_lovdata" in fresh.stdout
        week = invoke("health", "--format", fmt, "--as-of", "2026-12-01T09:00", db=path)
        assert week.exit_code == 2 and "no_lovdata" in week.stdout
        # each source says when it was checked: the run's clock (a replayed day's), and whether too long ago
        if fmt == "jsonl":
            row = json.loads(week.stdout.splitlines()[0])
            assert (row["checked"], row["stale"]) == ("2026-11-24T05:00:00+00:00", True)
            assert json.loads(fresh.stdout.splitlines()[0])["stale"] is False
        else:
            # every source that old: the banner says so, naming each, not each row again (test_cli_outputs)
            assert "tir. 24.11.2026 kl. 06.00" in week.stdout and "(ikke" not in week.stdout + fresh.stdout
            assert "advarsel: Ikke sjekket på over 36 timer: EU-tidende (Cellar), " in week.stderr, week.stderr
            assert ", Lovdata, " in week.stderr.split("Ikke sjekket på over 36 timer:")[1].splitlines()[0]
        assert week.stderr.startswith("feil: Siste vellykkede innhenting var tir. 24.11.2026 kl. 06.00, for mer enn 36 timer siden")
    db = open_db(path)
    with db.conn:
        health.record(db, run, health.SourceRun(source="no_nbim", finish_reason="crashed"), stored(as_of))
    db.close()
    # a clock before the only run (a run replayed at a clock still to come, or `--as-of` too
    # early): it said "no crawl has run yet: try `ncp-tracker demo`"
    early = invoke("health", "--as-of", "2026-11-24T05:00", "--lang", "en", db=path)
    assert early.exit_code == 2 and "No crawl has run yet" not in early.stdout
    # the first run's clock said as the banner says it (it read «2026-11-24 06:00» above «Tue 24 Nov 2026 06:00»)
    assert "no source health before Tue 24 Nov 2026 06:00, the first run's clock" in early.stdout
    assert early.stderr.startswith("error: The first crawl's clock (Tue 24 Nov 2026 06:00) is later than this one")
    red = invoke("health", "--format", "jsonl", "--as-of", "2026-11-24T09:00", db=path)
    assert red.exit_code == 2
    shown = [(json.loads(line)["source"], json.loads(line)["status"]) for line in red.stdout.splitlines()]
    assert shown[0] == ("no_nbim", "red") and ("no_lovdata", "green") in shown  # failing first, as the digest lists them
    assert {status for _source, status in shown[1:]} == {"green"}


def test_db_path_that_is_a_directory_is_a_clear_error(tmp_path):
    result = invoke("items", db=tmp_path)
    assert result.exit_code != 0
    assert f"'{tmp_path}' er en mappe, ikke en fil" in result.output and "Traceback" not in result.output


def test_not_a_database_is_a_clear_error(tmp_path):
    bogus = tmp_path / "bogus.db"
    bogus.write_text("this is not sqlite " * 100)
    result = invoke("items", db=bogus)
    assert result.exit_code != 0 and "Kan ikke åpne databasen" in result.output
    assert bogus.read_text().startswith("this is not sqlite")  # nothing overwritten


def test_env_var_selects_the_database(filled, monkeypatch):
    monkeypatch.setenv("NCP_TRACKER_DB", str(filled))
    result = CliRunner().invoke(main, ["items", "--format", "jsonl"])
    assert "regjeringen:3100001" in result.output


def test_unknown_source_is_a_clear_error(tmp_path):
    result = invoke("crawl", "--source", "no_such_spider", "--no-progress", db=tmp_path / "x.db")
    assert result.exit_code != 0 and "ukjent kilde" in result.output


def test_missing_replay_dir_is_a_clear_error(tmp_path):
    result = invoke("crawl", "--replay", str(tmp_path / "nope"), db=tmp_path / "x.db")
    assert result.exit_code != 0 and "finnes ikke" in result.output  # in the reader's words


@pytest.mark.parametrize("command", [("items",), ("search", "x"), ("ingest", "FEED"), ("crawl",)])
def test_the_documents_spider_is_no_source_of_items(command, tmp_path, filled):
    """`documents` fetches the documents items link to and yields no items: it was offered as a
    valid --source (`ingest --source documents`, `items --source documents`: an empty list, exit 0)."""
    feed = tmp_path / "feed.jsonl"
    feed.write_text("", "utf-8")
    args = [str(feed) if a == "FEED" else a for a in command]
    result = invoke(*args, "--source", "documents", db=filled)
    assert result.exit_code == 2, result.output
    assert "feil: ugyldig verdi for --source: ukjent kilde 'documents' (gyldige: EU-tidende (Cellar; eu_cellar), " in result.stderr
    assert "documents" not in result.stderr.split("gyldige:")[1]


def test_a_replayed_day_expects_the_sources_a_live_run_would_crawl(tmp_path):
    """Which sources a replayed day expects is decided as for a live run: those asked for, else
    every scheduled one. One the day has no recording of is not crawled and is listed as
    unrecorded (run_plan makes it red), no longer dropped without a word."""
    import shutil

    from tracker.attention.profiles import scheduled_sources
    from tracker.cli.pipeline import _plan

    day = tmp_path / "days" / "2026-11-24"
    for source in ("no_lovdata", "no_nbim", "documents"):
        shutil.copytree(ROOT / "data/replay/2026-11-24" / source, day / source)
    (step,) = _plan(str(day), None, (), None)
    assert step.sources == ["no_lovdata", "no_nbim"]
    assert step.unrecorded == [s for s in scheduled_sources() if s not in ("no_lovdata", "no_nbim")]
    assert "no_forbrukertilsynet" in step.unrecorded and "documents" not in step.unrecorded
    (step,) = _plan(str(day), None, ("no_nbim", "no_etikkradet"), None)
    assert (step.sources, step.unrecorded) == (["no_nbim"], ["no_etikkradet"])
    # a source asked for by its name, as the tables show it: its code from there on
    (step,) = _plan(str(day), None, ("Norges Bank Investment Management (NBIM)", "Etikkrådet"), None)
    assert (step.sources, step.unrecorded) == (["no_nbim"], ["no_etikkradet"])
    (live,) = _plan(None, None, (), None)
    assert live.sources == scheduled_sources() and live.unrecorded == []


def test_the_scheduled_sources_are_every_spider_but_those_run_by_their_own_command():
    """One list (crawlers.fields.UNSCHEDULED_SPIDERS) says which spiders a daily run leaves to their
    own command; the run's plan and the sources' health (which expects the others) read it."""
    from scrapy.spiderloader import SpiderLoader

    from crawlers.fields import UNSCHEDULED_SPIDERS
    from tracker.attention.profiles import scheduled_sources
    from tracker.jobs.crawl import base_settings

    spiders = SpiderLoader.from_settings(base_settings()).list()
    assert set(UNSCHEDULED_SPIDERS) <= set(spiders)
    assert scheduled_sources() == sorted(set(spiders) - set(UNSCHEDULED_SPIDERS))
    assert "no_regjeringen_horingssvar" not in scheduled_sources() and "no_nbim" in scheduled_sources()


def test_a_replay_that_would_crawl_nothing_is_a_clear_error(tmp_path):
    """`run --replay DAY --source X` on a day without X's recording crawled nothing, wrote an empty
    digest and exited 0; a folder not named by its date gave a traceback."""
    import shutil

    day = tmp_path / "days" / "2026-11-23"
    day.mkdir(parents=True)
    shutil.copytree(ROOT / "data/replay/2026-11-23/no_lovdata", day / "no_lovdata")
    for command in ("run", "crawl"):
        result = invoke(command, "--replay", str(day), "--source", "no_nbim", "--no-progress", db=tmp_path / "x.db")
        assert result.exit_code == 1, result.output
        assert result.stderr == f"feil: {day}: ingen opptak av no_nbim (kilder med opptak: no_lovdata)\n"
    (day / "no_lovdata").rename(day / "documents")  # a day holding only what no source wrote
    result = invoke("run", "--replay", str(day.parent), "--no-progress", db=tmp_path / "x.db")
    assert result.exit_code == 1 and "ingen opptak av noen kilde (kilder med opptak: ingen)" in result.stderr
    undated = tmp_path / "recorded"
    shutil.copytree(ROOT / "data/replay/2026-11-23/no_lovdata", undated / "no_lovdata")
    result = invoke("run", "--replay", str(undated), "--no-progress", db=tmp_path / "x.db")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "ÅÅÅÅ-MM-DD" in result.stderr and "--as-of" in result.stderr
    (undated / "day.json").write_text('{"as_of": "tomorrow"}', "utf-8")
    result = invoke("run", "--replay", str(undated), "--no-progress", db=tmp_path / "x.db")
    assert result.exit_code == 1 and "day.json har ikke et gyldig tidspunkt for dagen" in result.stderr


def test_a_replay_folder_that_cannot_be_replayed_is_said_in_the_readers_language(tmp_path):
    """`run`/`crawl --replay` of a missing folder, of one without recorded days, or of a day
    without a clock said so in English («replay directory not found: …», «…: not a day's clock
    …») under a Bokmål «feil:»; now in the reader's words, its `--lang`-less [digest] lang. A
    folder typed that is missing or holds no recorded days is bad input: exit 2 (it was 1)."""
    import shutil

    db = tmp_path / "x.db"
    missing = tmp_path / "nowhere"
    for command in ("run", "crawl"):
        result = invoke(command, "--replay", str(missing), "--no-progress", db=db)
        assert (result.exit_code, result.stderr) == (2, f"feil: opptaksmappen {missing} finnes ikke\n")
    result = invoke("demo", "--replay", str(missing), "--out", str(tmp_path / "out"), "--no-progress", db=db)
    assert (result.exit_code, result.stderr) == (2, f"feil: opptaksmappen {missing} finnes ikke\n")
    empty = tmp_path / "empty"
    empty.mkdir()
    result = invoke("run", "--replay", str(empty), "--no-progress", db=db)
    assert (result.exit_code, result.stderr) == (2, f"feil: ingen innspilte dager (mapper med navn ÅÅÅÅ-MM-DD) i "
                                                    f"{empty}\n")
    undated = tmp_path / "recorded"
    shutil.copytree(ROOT / "data/replay/2026-11-23/no_lovdata", undated / "no_lovdata")
    result = invoke("crawl", "--replay", str(undated), "--no-progress", db=db)
    assert (result.exit_code, result.stderr) == (
        1, f"feil: {undated}: tidspunktet for en innspilt dag hentes fra mappenavnet (ÅÅÅÅ-MM-DD) eller fra day.json "
           "(as_of); denne mappen har ingen av delene (eller oppgi --as-of)\n")
    # `answers --replay` takes its clock from the recorded day as `run` does, and says so alike
    result = invoke("answers", "--replay", str(undated), db=db)
    assert result.exit_code == 1 and result.stderr.startswith(f"feil: {undated}: tidspunktet for en innspilt dag")
    (undated / "day.json").write_text('{"as_of": "tomorrow"}', "utf-8")
    result = invoke("run", "--replay", str(undated), "--no-progress", db=db)
    assert result.exit_code == 1
    assert re.fullmatch(rf"feil: {re.escape(str(undated / 'day.json'))} har ikke et gyldig tidspunkt for dagen \(.+\); "
                        r'filen skal inneholde \{"as_of": "2026-11-24T06:00:00\+01:00"\}\n', result.stderr), result.stderr
    config = tmp_path / "en.toml"
    config.write_text('[digest]\nlang = "en"\n', "utf-8")
    english = CliRunner().invoke(main, ["--config", str(config), "--db", str(db), "run", "--replay", str(missing),
                                        "--no-progress"])
    assert (english.exit_code, english.stderr) == (2, f"error: the replay folder {missing} does not exist\n")
    english = CliRunner().invoke(main, ["--config", str(config), "--db", str(db), "run", "--replay", str(undated),
                                        "--no-progress"])
    assert english.exit_code == 1
    assert english.stderr.startswith(f"error: {undated / 'day.json'} does not hold a day's clock (")


@pytest.fixture
def no_reactor(monkeypatch):
    """run_plan up to its refusals, in this process: no reactor installed (they all come before one
    is used)."""
    import scrapy.utils.reactor

    monkeypatch.setattr(scrapy.utils.reactor, "install_reactor", lambda *args, **kwargs: None)


def english_config(tmp_path) -> str:
    config = tmp_path / "en.toml"
    config.write_text('[digest]\nlang = "en"\n', "utf-8")
    return str(config)


def test_a_crawl_at_an_older_clock_than_the_store_is_refused_in_the_readers_words(tmp_path, as_of, no_reactor):
    """`crawl --replay` of a day before the store's latest run, and `crawl --as-of` a past day,
    said «feil: refusing to replay 2026-11-23 at 2026-11-23T06:00:00+01:00: the store's latest daily
    run is at …» in English; now in the reader's words, the clocks as the reader writes them; exit 1."""
    db = tmp_path / "x.db"
    scrape(db, as_of)  # the store's latest daily run: Tue 24 Nov 2026 06:00
    day = str(ROOT / "data/replay/2026-11-23")
    result = invoke("crawl", "--replay", day, "--source", "no_lovdata", "--no-progress", db=db)
    assert (result.exit_code, result.stderr) == (
        1, "feil: spiller ikke av 2026-11-23 med tidspunktet man. 23.11.2026 kl. 06.00: databasens siste daglige "
           "kjøring er fra tir. 24.11.2026 kl. 06.00, altså senere (å spille av en eldre dag ville rulle sakene "
           "tilbake); bruk en annen --db, eller --allow-older for å spille den av likevel\n")
    live = ("--source", "no_lovdata", "--no-progress", "-s", "CONTACT=ncp@example.org")
    result = invoke("crawl", *live, "--as-of", "2026-11-20T09:30", db=db)
    assert (result.exit_code, result.stderr) == (
        1, "feil: henter ikke inn med tidspunktet fre. 20.11.2026 kl. 09.30: databasens siste daglige kjøring er fra "
           "tir. 24.11.2026 kl. 06.00, altså senere (en innhenting lagret med et tidligere tidspunkt ville rulle "
           "sakene tilbake); bruk en annen --db, eller --allow-older for å hente inn med det tidspunktet likevel\n")
    english = CliRunner().invoke(main, ["--config", english_config(tmp_path), "--db", str(db), "crawl", "--replay",
                                        day, "--source", "no_lovdata", "--no-progress"])
    assert (english.exit_code, english.stderr) == (
        1, "error: refusing to replay 2026-11-23 at Mon 23 Nov 2026 06:00: the database's latest daily run is at "
           "Tue 24 Nov 2026 06:00, later (replaying an older day would roll its items back); use another --db, or "
           "--allow-older to replay it anyway\n")
    scrape(tmp_path / "y.db", as_of.replace(second=45))  # the same minute: both clocks to the second, as they are
    result = invoke("crawl", *live, "--as-of", "2026-11-24T06:00:10", db=tmp_path / "y.db")
    assert result.exit_code == 1
    assert result.stderr.startswith("feil: henter ikke inn med tidspunktet 2026-11-24T06:00:10+01:00: databasens siste "
                                    "daglige kjøring er fra 2026-11-24T06:00:45+01:00, altså senere ("), result.stderr


def test_demo_into_a_store_with_a_later_day_names_another_db_not_allow_older(tmp_path, as_of, no_reactor):
    """`demo --db` the adviser's store, whose latest run is later than the bundled days: it was
    refused by the crawl's check, whose advice «--allow-older» `demo` does not have. Now `demo`'s
    own refusal, before anything is written: another --db; bad input, exit 2."""
    db = tmp_path / "mine.db"
    scrape(db, as_of.replace(day=30))  # the adviser's store: a daily run on Mon 30 Nov 2026
    before = db.stat().st_size, db.stat().st_mtime_ns
    result = invoke("demo", "--no-progress", "--out", str(tmp_path / "out"), db=db)
    assert (result.exit_code, result.stderr) == (
        2, f"feil: databasen {db} har allerede en daglig kjøring fra man. 30.11.2026 kl. 06.00, senere enn den "
           "medfølgende dagen 2026-11-23: å spille den av der ville rulle sakene tilbake. Demoen spiller av i en egen "
           "database: oppgi en annen --db (uten --db, $NCP_TRACKER_DB eller [tracker] db skriver den til "
           "data/demo.db)\n"), result.stderr
    assert "--allow-older" not in result.stderr and (db.stat().st_size, db.stat().st_mtime_ns) == before
    english = CliRunner().invoke(main, ["--config", english_config(tmp_path), "--db", str(db), "demo", "--no-progress",
                                        "--out", str(tmp_path / "out")])
    assert english.exit_code == 2 and english.stderr.startswith(
        f"error: the database {db} already holds a daily run at Mon 30 Nov 2026 06:00, later than the bundled day "
        "2026-11-23: "), english.stderr


def test_a_live_crawl_without_a_contact_is_refused_in_the_readers_words(tmp_path, no_reactor, monkeypatch):
    monkeypatch.delenv("NCP_TRACKER_CONTACT", raising=False)
    live = ("crawl", "--source", "no_lovdata", "--no-progress", "-s", "CONTACT=")
    result = invoke(*live, db=tmp_path / "x.db")
    assert (result.exit_code, result.stderr) == (
        1, "feil: ingen kontaktadresse til innhenterens User-Agent: en innhenting fra nettet må ha en. Sett `contact` "
           "i tabellen [crawl] i ncp-tracker.toml eller $NCP_TRACKER_CONTACT, eller oppgi -s CONTACT=deg@example.org "
           "(en avspilling trenger ingen).\n")
    english = CliRunner().invoke(main, ["--config", english_config(tmp_path), "--db", str(tmp_path / "x.db"), *live])
    assert (english.exit_code, english.stderr) == (
        1, "error: no contact address for the crawler's User-Agent: a live crawl needs one. Set `contact` in the "
           "[crawl] table of ncp-tracker.toml, $NCP_TRACKER_CONTACT, or give -s CONTACT=you@example.org (replays "
           "need none).\n")


def test_documents_fetch_without_a_contact_is_refused_in_the_readers_words(tmp_path, as_of, monkeypatch):
    import tracker.documents.fetch as fetch

    monkeypatch.setattr(fetch, "pending_links", lambda db, **kwargs: [{"url": "https://example.org/a.pdf"}])
    monkeypatch.delenv("NCP_TRACKER_CONTACT", raising=False)
    db = tmp_path / "x.db"
    scrape(db, as_of)
    result = invoke("documents", "fetch", db=db)
    assert (result.exit_code, result.stderr) == (
        1, "feil: ingen kontaktadresse til innhenterens User-Agent: å hente dokumenter fra nettet krever en "
           "(`[crawl] contact` i ncp-tracker.toml, eller $NCP_TRACKER_CONTACT)\n")
    english = CliRunner().invoke(main, ["--config", english_config(tmp_path), "--db", str(db), "documents", "fetch"])
    assert (english.exit_code, english.stderr) == (
        1, "error: no contact address for the crawler's User-Agent: fetching documents from the web needs one "
           "(`[crawl] contact` in ncp-tracker.toml, or $NCP_TRACKER_CONTACT)\n")


def test_a_lock_wait_that_is_no_number_is_refused_in_the_readers_words(tmp_path, no_reactor):
    """`-s TRACKER_LOCK_WAIT=soon` is what the reader typed: refused as its -s value, exit 2 (it was
    1, found only when the crawl took its lock)."""
    replay = ("crawl", "--replay", str(ROOT / "data/replay/2026-11-23"), "--source", "no_lovdata", "--no-progress",
              "-s", "TRACKER_LOCK_WAIT=soon")
    result = invoke(*replay, db=tmp_path / "x.db")
    assert (result.exit_code, result.stderr.splitlines()[-1]) == (
        2, "feil: ugyldig verdi for -s/--set: TRACKER_LOCK_WAIT må være et antall sekunder, ikke 'soon'")
    english = CliRunner().invoke(main, ["--config", english_config(tmp_path), "--db", str(tmp_path / "x.db"), *replay])
    assert (english.exit_code, english.stderr.splitlines()[-1]) == (
        2, "error: invalid value for -s/--set: TRACKER_LOCK_WAIT must be a number of seconds, not 'soon'")


def test_a_scrapy_setting_scrapy_cannot_read_is_refused_before_the_crawl(tmp_path, no_reactor):
    """`crawl --replay … -s DOWNLOAD_DELAY=abc` ran and recorded Etikkrådet red, «crashed:
    ValueError(…)»: a -s value of a number or true/false setting the project sets or documents
    that Scrapy cannot read is refused, exit 2, nothing recorded (no database is made)."""
    db = tmp_path / "x.db"
    replay = ("crawl", "--replay", str(ROOT / "data/replay/2026-11-23"), "--source", "no_etikkradet", "--no-progress")
    for pair, said in (("DOWNLOAD_DELAY=abc", "DOWNLOAD_DELAY må være et tall, ikke 'abc'"),
                       ("RETRY_TIMES=2.5", "RETRY_TIMES må være et heltall, ikke '2.5'"),
                       ("ROBOTSTXT_OBEY=yes", "ROBOTSTXT_OBEY må være true eller false (1 eller 0), ikke 'yes'"),
                       ("DOWNLOAD_DELAY=-1", "DOWNLOAD_DELAY må være minst 0, ikke '-1'"),  # [crawl]'s range
                       ("CLOSESPIDER_TIMEOUT=nan", "CLOSESPIDER_TIMEOUT må være et tall, ikke 'nan'")):
        result = invoke(*replay, "-s", pair, db=db)
        assert (result.exit_code, result.stderr.splitlines()[-1]) == (2, f"feil: ugyldig verdi for -s/--set: {said}")
    result = invoke("backfill", "--since", "2020", "--source", "no_etikkradet", "-s", "CELLAR_BACKFILL_ROWS=many",
                    db=db)
    assert (result.exit_code, result.stderr.splitlines()[-1]) == (
        2, "feil: ugyldig verdi for -s/--set: CELLAR_BACKFILL_ROWS må være et heltall, ikke 'many'")
    assert list(tmp_path.iterdir()) == []


def test_the_settings_scrapy_reads_as_numbers_are_read_so_from_the_command_line():
    """Every number or true/false of crawlers/settings.py is in SETTING_TYPES, and -s gives each the
    value Scrapy reads (what Scrapy's getbool takes: 0/1, True/False, true/false)."""
    import crawlers.settings as project
    from tracker.jobs.crawl import SETTING_TYPES, parse_setting_pairs

    typed = {name for name, value in vars(project).items() if name.isupper() and isinstance(value, (bool, int, float))}
    assert typed - set(SETTING_TYPES) == set()
    assert parse_setting_pairs(["DOWNLOAD_DELAY=0.5", "RETRY_TIMES=2", "ROBOTSTXT_OBEY=false", "HTTPCACHE_ENABLED=1",
                                "LOG_LEVEL=info", "CONTACT=a@example.org", "LOG_FILE="]) == {
        "DOWNLOAD_DELAY": 0.5, "RETRY_TIMES": 2, "ROBOTSTXT_OBEY": False, "HTTPCACHE_ENABLED": True,
        "LOG_LEVEL": "INFO", "CONTACT": "a@example.org", "LOG_FILE": ""}


def test_a_log_level_logging_does_not_know_stops_the_crawl_before_it_starts(tmp_path, monkeypatch):
    """`NCP_TRACKER_LOG_LEVEL=verbose` (or `[tracker] log_level = "LOUD"`, or `-s LOG_LEVEL=verbose`)
    ended every crawl in «TypeError: '>' not supported between instances of 'int' and 'str'», exit 1:
    the cron `run` died and no digest was written. Refused as bad input, exit 2, nothing written."""
    db = tmp_path / "x.db"
    replay = ("crawl", "--replay", str(ROOT / "data/replay/2026-11-23"), "--source", "no_etikkradet", "--no-progress")
    result = invoke(*replay, "-s", "LOG_LEVEL=verbose", db=db)
    assert (result.exit_code, result.stderr.splitlines()[-1]) == (
        2, "feil: ugyldig verdi for -s/--set: LOG_LEVEL må være en av DEBUG, INFO, WARNING, ERROR, CRITICAL, "
           "ikke 'verbose'")
    monkeypatch.setenv("NCP_TRACKER_LOG_LEVEL", "verbose")
    result = invoke(*replay, db=db)
    assert (result.exit_code, result.stderr) == (
        2, "feil: $NCP_TRACKER_LOG_LEVEL: tracker.log_level må være en av DEBUG, INFO, WARNING, ERROR, CRITICAL, "
           "ikke 'verbose'\n")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("lang, said", [
    ("nb", "ukjent kilde no_such, no_other (gyldige: "), ("en", "unknown source no_such, no_other (valid: ")])
def test_a_source_the_crawl_does_not_know_is_said_in_the_readers_words(tmp_path, as_of, no_reactor, lang, said):
    """run_plan's own check (the commands check --source before it: `answers`, `backfill` and a
    spider the crawl's loader does not list reach it) said «unknown source(s): … (known: …)»."""
    from tracker.cli.support import refused
    from tracker.jobs.crawl import Step, run_plan

    with pytest.raises(ValueError) as caught:
        run_plan(tmp_path / "x.db", [Step(["no_such", "no_other"], as_of, replay_dir="x")], settings={})
    shown = refused(caught.value, lang)
    assert shown.exit_code == 1 and shown.message.startswith(said), shown.message
    assert "no_lovdata" in shown.message


def test_bad_spider_argument(tmp_path):
    result = invoke("crawl", "--arg", "novalue", "--replay", str(ROOT / "data/replay/2026-11-23"), db=tmp_path / "x.db")
    assert result.exit_code == 2 and "feil: ugyldig verdi for --arg: skal være NAVN=VERDI, ikke 'novalue'" in result.output


def test_classify_reads_stdin():
    result = CliRunner().invoke(main, ["classify"], input='{"id": "1", "title": "Høring om endringer i åpenhetsloven"}\n')
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert out["id"] == "1" and "apenhetsloven" in out["labels"]


def test_python_dash_m_and_fast_help():
    start = time.perf_counter()
    out = subprocess.run([sys.executable, "-m", "tracker", "--help"], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0 and "Kommandoer:" in out.stdout
    # heavy libraries are imported only by the commands that use them
    probe = subprocess.run(
        [sys.executable, "-c", "import sys, tracker.cli; print(sorted(m for m in ('scrapy', 'spacy', 'flask', 'docx', 'holidays') if m in sys.modules))"],
        cwd=ROOT, capture_output=True, text=True)
    assert probe.stdout.strip() == "[]", probe.stdout + probe.stderr
    assert time.perf_counter() - start < 30


CRASH = """
import faulthandler, sys
import click
from tracker.cli import main

@main.command("crash-here")
def crash_here():
    faulthandler._sigsegv()  # what a fault in an extension module does

main(["crash-here"])
"""


def test_a_native_crash_prints_where_it_happened(tmp_path):
    """A segmentation fault in native code ends the process (exit -11) but first prints the
    Python stack of every thread to stderr, so a cron mail or CI log says where it was."""
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "NCP_TRACKER_DB": str(tmp_path / "t.db"),
           "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", CRASH], cwd=tmp_path, env=env, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == -11
    assert "Fatal Python error: Segmentation fault" in done.stderr
    assert "crash_here" in done.stderr  # the frame that crashed, by name


def test_errors_and_empty_lists_read_in_bokmal_by_default_and_in_english_with_lang_en(filled, tmp_path):
    """An adviser's `items --source nope` said «Error: Invalid value for --source: unknown source
    'nope'», an empty list «(nothing)» and `companies`/`outcomes` their English lines, under
    Bokmål banners «error: Ingen innhenting …»: the heads «feil:»/«advarsel:» and these lines are in
    the digest's language unless --lang, as `health` is; the exit codes are as before."""
    bad = invoke("items", "--source", "nope", db=filled)
    assert bad.exit_code == 2
    assert "Se 'main items --help' for hjelp." in bad.stderr  # CliRunner's program name
    assert "feil: ugyldig verdi for --source: ukjent kilde 'nope' (gyldige: EU-tidende (Cellar; eu_cellar), " in bad.stderr, bad.stderr
    english = invoke("items", "--source", "nope", "--lang", "en", db=filled)
    assert english.exit_code == 2
    assert "error: invalid value for --source: unknown source 'nope' (valid: EU Official Journal (Cellar; eu_cellar), " in english.stderr
    kind = invoke("events", "--kind", "nytt", db=filled)
    assert kind.exit_code == 2 and "feil: ugyldig verdi for --kind: ukjent hendelsestype 'nytt'" in kind.stderr
    since = invoke("search", "åpenhetsloven", "--lang", "en", "--new-since", "x", db=filled)
    assert since.exit_code == 2 and since.stderr.startswith("error: "), since.stderr
    assert invoke("items", "--status", "closed", db=filled).stdout == "(ingen)\n"
    assert invoke("items", "--status", "closed", "--lang", "en", db=filled).stdout == "(nothing)\n"
    assert invoke("search", "klimarisiko", db=filled).stdout == "(ingen)\n"
    assert invoke("companies", "equinor", db=filled).stdout == "ingen sak nevner et selskap ved navn 'equinor'\n"
    assert invoke("companies", db=filled).stdout == "ingen selskaper er nevnt i noen sak\n"
    assert invoke("outcomes", db=filled).stdout.startswith("ingen besvarte høringer (en høring telles med når")
    assert invoke("outcomes", "--lang", "en", db=filled).stdout.startswith("no answered hearings (a hearing counts")
    label = invoke("outcomes", "--chapter", "kap. 99", db=filled)
    assert label.exit_code == 2 and "feil: ugyldig verdi for --chapter: ukjent merke 'kap. 99'; gyldige merker: " in label.stderr
    # a command's own error (TrackerError) is headed the same way
    missing = invoke("items", db=tmp_path / "typo.db")
    assert missing.exit_code == 1 and missing.stderr.startswith("feil: Ingen database i "), missing.stderr


def test_a_database_that_cannot_be_opened_is_said_in_the_readers_language(tmp_path):
    """The first thing a new user may meet — a mistyped --db, a folder, a file that is no database —
    was said in English after «feil:» («no database at …: run `ncp-tracker run` …»); now in the
    reader's language, with the commands and options to type kept as they are typed."""
    typo = tmp_path / "typo.db"
    missing = invoke("items", db=typo)
    assert missing.exit_code == 1
    assert missing.stderr == (f"feil: Ingen database i {typo}: kjør `ncp-tracker run` (eller `ncp-tracker demo`) "
                              "for å lage en, eller oppgi en som finnes med --db, $NCP_TRACKER_DB eller "
                              "[tracker] db.\n")
    english = invoke("items", "--lang", "en", db=typo)
    assert english.stderr.startswith(f"error: No database at {typo}: run `ncp-tracker run`"), english.stderr
    # --db refuses a folder itself (click.Path); $NCP_TRACKER_DB reaches the store's own check
    folder = CliRunner().invoke(main, ["items"], env={"NCP_TRACKER_DB": str(tmp_path)})
    assert folder.stderr == f"feil: Databasestien er en mappe: {tmp_path}.\n", folder.stderr
    junk = tmp_path / "junk.db"
    junk.write_text("not a database", "utf-8")
    broken = invoke("items", db=junk)
    assert broken.stderr == (f"feil: Kan ikke åpne databasen {junk}: filen er ikke en database.\n"), \
        broken.stderr  # the words alone: «(sqlite: file is not a database)» was English in a Bokmål line


def test_a_crawls_health_lines_name_each_source_as_health_does_with_its_code_beside_it(capsys):
    """`health` names a source («Finansdepartementet (SPU)», its code in a column beside it); a
    crawl's health lines showed the code alone («no_finansdep»). Now the name, then the code, the
    columns after them aligned on the longest of the crawl's sources."""
    from tracker.cli.pipeline import _print_health

    counts = {"items_seen": 8, "items_new": 1, "items_changed": 0, "channel": "rss"}
    _print_health([{"source": "no_finansdep", "status": "green", "reason": "", **counts},
                   {"source": "no_lovdata", "status": "amber", "reason": "1 detail page blocked (403/challenge)",
                    **counts}], "nb")
    spu, lovdata = capsys.readouterr().err.splitlines()[1:]
    assert spu.startswith("  [OK  ] Finansdepartementet (SPU; no_finansdep)  OK ")
    assert lovdata.startswith("  [OBS ] Lovdata (no_lovdata)" + " " * 21 + "advarsel  saker:")  # two spaces, as every column
    assert spu.index("saker:") == lovdata.index("saker:") and len(spu) < 110


@pytest.mark.parametrize("name, code, shown", [
    ("Etikkrådet", "no_etikkradet", "Etikkrådet (no_etikkradet)"),
    ("EU-tidende (Cellar)", "eu_cellar", "EU-tidende (Cellar; eu_cellar)"),
    ("Norges Bank Investment Management (NBIM)", "nbim", "Norges Bank Investment Management (NBIM; nbim)"),
    ("open", "open", "open"), ("Lovdata", "no_lovdata", "Lovdata (no_lovdata)")])
def test_a_name_ending_in_a_bracket_takes_its_code_inside_it(name, code, shown):
    """«EU-tidende (Cellar) (eu_cellar)» in the health lines, the refusals' lists of valid values and
    `gpfg`'s actors: two brackets in a row. One rule for the terminal and the web's refusals."""
    from tracker.vocabulary import with_code

    assert with_code(name, code) == shown


def test_a_replayed_days_health_lines_are_headed_by_the_day_as_the_digest_writes_it():
    """`run`/`crawl` of a replayed day headed its health lines «Kildenes helse — 2026-11-24»."""
    from tracker.vocabulary import step_name

    assert step_name("2026-11-24", "nb") == "tir. 24.11.2026" and step_name("2026-11-24", "en") == "Tue 24 Nov 2026"
    assert step_name("live", "nb") == "direkte innhenting" and step_name("mine", "nb") == "mine"


def test_a_crawls_health_lines_read_as_health_and_the_digest_say_them(capsys):
    """`run`, `crawl` and `ingest` printed «[FAIL] no_etikkradet red … feed answered HTTP 404» where
    `health` and the digest say «FEILER … nyhetsstrømmen svarte HTTP 404»: the same words now, in the
    reader's language."""
    from tracker.cli.pipeline import _print_health

    rows = [{"source": "no_etikkradet", "status": "red", "items_seen": 0, "items_new": 0, "items_changed": 0,
             "channel": "rss", "reason": "feed answered HTTP 404; front page answered HTTP 503"}]
    _print_health(rows, "nb", title="2026-11-24")
    title, line = capsys.readouterr().err.splitlines()
    assert title == "Kildenes helse — 2026-11-24"
    assert line.startswith("  [FEIL] Etikkrådet (no_etikkradet)  FEILER ") and "saker:    0" in line, line
    assert line.endswith("via: rss    nyhetsstrømmen svarte HTTP 404; forsiden svarte HTTP 503"), line
    _print_health(rows, "en")
    title, line = capsys.readouterr().err.splitlines()
    assert title == "Source health" and line.startswith("  [FAIL] Council on Ethics (no_etikkradet)  FAILING "), line
    assert line.endswith("via: rss    feed answered HTTP 404; front page answered HTTP 503"), line


def test_a_crawls_health_is_headed_by_its_step_in_the_readers_words(tmp_path, monkeypatch):
    """`run`/`crawl` headed their health lines «Kildenes helse — live», `record` «… — record» and
    `ingest` «… — ingest items.jsonl», in English under a Bokmål heading. The step is said in the
    reader's language; what is stored (runs.mode, the digest folder «live») keeps its code."""
    import tracker.jobs.crawl as crawl

    row = {"source": "no_lovdata", "status": "green", "items_seen": 1, "items_new": 1, "items_changed": 0,
           "channel": "rss", "reason": ""}
    monkeypatch.setattr(crawl, "run_plan", lambda db, plan, **kw: [
        crawl.StepResult(step, 1, [dict(row)], finished=True) for step in plan])  # no network in a test
    db = tmp_path / "t.db"

    def title(*args: str) -> str:
        result = CliRunner().invoke(main, ["--db", str(db), *args])
        assert result.exit_code == 0, result.output
        return result.stderr.splitlines()[0]

    assert title("crawl", "--source", "no_lovdata") == "Kildenes helse — direkte innhenting"
    assert title("record", str(tmp_path / "rec"), "--source", "no_lovdata") == "Kildenes helse — innhenting med opptak"
    config = tmp_path / "en.toml"
    config.write_text('[digest]\nlang = "en"\n', "utf-8")
    assert title("--config", str(config), "crawl", "--source", "no_lovdata") == "Source health — live"
    assert title("--config", str(config), "record", str(tmp_path / "rec"), "--source", "no_lovdata") == \
        "Source health — record"

    monkeypatch.undo()
    feed = tmp_path / "items.jsonl"
    report = {"crawl_report": 1, "source": "no_lovdata", "as_of": "2026-11-24T06:00:00+01:00", "notes": [],
              "listing": {"complete": False}, "channel": "rss", "may_be_empty": True, "finish_reason": "finished",
              "stats": {}, "duration_s": 1.0, "args": {}}
    feed.write_text(json.dumps(report) + "\n", "utf-8")
    ingested = tmp_path / "ingested.db"
    result = CliRunner().invoke(main, ["--db", str(ingested), "ingest", str(feed), "--source", "no_lovdata"])
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines()[0] == "Kildenes helse — innlesing av items.jsonl", result.stderr
    result = CliRunner().invoke(main, ["--config", str(config), "--db", str(tmp_path / "en.db"), "ingest", str(feed),
                                       "--source", "no_lovdata"])
    assert result.stderr.splitlines()[0] == "Source health — ingest items.jsonl", result.stderr
    import sqlite3

    assert sqlite3.connect(ingested).execute("select mode from runs").fetchall() == [(f"ingest:{feed}",)]


def test_clicks_own_input_errors_are_said_as_every_error_is(filled):
    """A mistyped command, an unknown option, a missing argument or a value click's type refuses
    printed click's English «Error: No such command 'itemz'. Did you mean 'items'?» under «Try
    'ncp-tracker --help' for help.»; now headed «feil:» and, where click's exception names what
    it is about, said in the reader's language."""
    said = {tuple(args): invoke(*args, db=filled) for args in (["itemz"], ["items", "--bogus"], ["triage"],
                                                               ["events", "--format", "x"], ["users", "nope"])}
    assert all(r.exit_code == 2 for r in said.values())
    assert said["itemz",].stderr == ("Bruk: main [VALG] KOMMANDO [ARGUMENTER]...\n"  # the runner's program name
                                    "Se 'main --help' for hjelp.\n\n"
                                    "feil: ingen kommando heter 'itemz' (mente du 'items'?)\n")
    assert said["items", "--bogus"].stderr.endswith("Se 'main items --help' for hjelp.\n\n"
                                                    "feil: ingen valg heter '--bogus'\n")
    assert said["triage",].stderr.endswith("\nfeil: argumentet 'ITEM' mangler\n")
    assert said["events", "--format", "x"].stderr.endswith("\nfeil: ugyldig verdi for '--format': 'x' er ikke en "
                                                           "gyldig verdi (gyldige: 'table', 'jsonl').\n")
    assert said["users", "nope"].stderr.endswith("Se 'main users --help' for hjelp.\n\n"
                                                 "feil: ingen kommando heter 'nope'\n")
    assert not any("Error:" in r.output or "Try '" in r.output for r in said.values())
    missing = invoke("backfill", db=filled)
    assert missing.exit_code == 2 and missing.stderr.endswith("\nfeil: valget '--since' mangler\n")
    english = invoke("items", "--lang", "en", "--format", "x", db=filled)
    assert english.exit_code == 2 and english.stderr.endswith("Try 'main items --help' for help.\n\nerror: invalid value "
                                                              "for '--format': 'x' is not one of 'table', 'jsonl'.\n")



def test_clicks_own_words_are_said_in_the_readers_language(filled, tmp_path, monkeypatch):
    """After «feil: ugyldig verdi for '--weeks':» click's own English followed («'x' is not a valid
    integer», «is not one of …»), and its rarer messages stood in English after «feil:» («Option
    '--status' requires an argument.», «Got unexpected extra argument (x)»): now all in the
    reader's language, English with --lang en, exit 2 as before."""
    said = {tuple(args): invoke(*args, db=filled) for args in (
        ["horizon", "--weeks", "x"], ["horizon", "--weeks", "0"], ["items", "--status"], ["items", "extra"],
        ["triage", "a", "b", "c"], ["items", "--format", "csv"], ["backup", "--keep", "many"])}
    assert all(r.exit_code == 2 for r in said.values()), {k: r.output for k, r in said.items()}
    last = {args: r.stderr.splitlines()[-1] for args, r in said.items()}
    assert last["horizon", "--weeks", "x"] == "feil: ugyldig verdi for '--weeks': 'x' er ikke et heltall."
    assert last["horizon", "--weeks", "0"] == "feil: ugyldig verdi for '--weeks': 0 er utenfor det tillatte området 1<=x<=104."
    assert last["items", "--status"] == "feil: valget '--status' mangler en verdi"
    assert last["items", "extra"] == "feil: ett argument for mye (extra)"
    assert last["triage", "a", "b", "c"] == "feil: argumenter for mye (b c)"
    assert last["items", "--format", "csv"] == ("feil: ugyldig verdi for '--format': 'csv' er ikke en gyldig verdi "
                                                "(gyldige: 'table', 'jsonl').")
    assert last["backup", "--keep", "many"] == "feil: ugyldig verdi for '--keep': 'many' er ikke et heltall."
    english = invoke("horizon", "--lang", "en", "--weeks", "x", db=filled)
    assert english.exit_code == 2 and english.stderr.endswith("error: invalid value for '--weeks': 'x' is not a valid "
                                                              "integer.\n")
    # an option without its value stops click while it reads the command line, before any value
    # (--lang too): said in the [digest] lang, Bokmål here
    early = invoke("items", "--lang", "en", "--status", db=filled)
    assert early.exit_code == 2 and early.stderr.endswith("feil: valget '--status' mangler en verdi\n")


def test_a_click_error_is_said_wholly_in_the_lang_given_or_the_digest_language(filled, tmp_path, monkeypatch):
    """click checks --lang before the other values (eager), wherever it stands on the line: a bad
    value is said, wholly, in the --lang given — never its head in one language and click's words
    in another; an unknown command (found before the configuration was read) in the
    configuration's [digest] lang (Bokmål unless set)."""
    before = invoke("items", "--format", "x", "--lang", "en", db=filled)
    assert before.exit_code == 2 and before.stderr.startswith("Usage: main items [OPTIONS]\n") and before.stderr.endswith(
        "error: invalid value for '--format': 'x' is not one of 'table', 'jsonl'.\n"), before.stderr
    config = tmp_path / "en.toml"
    config.write_text('[digest]\nlang = "en"\n', "utf-8")
    monkeypatch.setenv("NCP_TRACKER_CONFIG", str(config))
    before = invoke("items", "--format", "x", "--lang", "nb", db=filled)
    assert before.exit_code == 2 and before.stderr.endswith(
        "Se 'main items --help' for hjelp.\n\nfeil: ugyldig verdi for '--format': 'x' er ikke en gyldig verdi "
        "(gyldige: 'table', 'jsonl').\n"), before.stderr
    unknown = invoke("itemz", db=filled)
    assert unknown.exit_code == 2 and unknown.stderr == ("Usage: main [OPTIONS] COMMAND [ARGS]...\n"
                                                         "Try 'main --help' for help.\n\n"
                                                         "error: no such command 'itemz' (did you mean 'items'?)\n")
    group = CliRunner().invoke(main, ["--config", str(config), "--bogus"])
    assert group.exit_code == 2 and group.stderr.endswith("error: no such option '--bogus'\n"), group.stderr


def test_our_own_refused_values_and_summaries_are_in_the_readers_language(filled):
    """`-s x` said «feil: ugyldig verdi for -s/--set: expected -s NAME=VALUE, got 'x'» and `tag`
    «tagged 1 items (0 relevant)»: now in the reader's language."""
    bad = invoke("crawl", "-s", "x", "--replay", str(ROOT / "data/replay/2026-11-23"), db=filled)
    assert bad.exit_code == 2 and bad.stderr.endswith("feil: ugyldig verdi for -s/--set: skal være NAVN=VERDI, ikke "
                                                      "'x'\n"), bad.stderr
    tagged = invoke("tag", "--all", db=filled)
    assert tagged.exit_code == 0 and re.fullmatch(r"1 sak merket \(relevante: \d\)\n", tagged.stdout), \
        tagged.stdout


def test_events_show_a_vanished_items_sentence_whole(filled, as_of):
    """`events` cut Før/Etter at 30 characters: the vanished sentence read «Forsvant fra kildens liste
    (b…», a document's title lost its type."""
    from tracker.store.db import open_db

    db = open_db(filled)
    with db.conn:
        db["events"].insert({"item_id": "regjeringen:3100001", "at": "2026-11-25T05:00:00+00:00", "kind": "vanished",
                             "field": None, "before": None, "after": "2026-11-25T05:00:00+00:00"}, alter=False)
    db.close()
    result = invoke("events", "--kind", "vanished", db=filled)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[1].endswith("Forsvant fra kildens liste (beholdt her)"), result.stdout


def test_events_say_a_moved_deadline_as_the_items_page_does(filled, as_of):
    """`events` showed a moved deadline as stored («2027-01-15T23:59:59+01:00 → 2027-02-01T…»), where
    the item's page says «fre. 15.01.2027» → «man. 01.02.2027»: now the same words (one function,
    tracker.digest.wording.event_values, for both); jsonl keeps what is stored."""
    scrape(filled, as_of + timedelta(days=1), deadline="2027-02-01T23:59:59+01:00")
    result = invoke("events", "--kind", "deadline_changed", db=filled)
    assert result.exit_code == 0, result.output
    (line,) = result.stdout.splitlines()[1:]
    assert re.split(r"\s{2,}", line)[2:] == ["regjeringen:3100001", "frist", "fre. 15.01.2027", "man. 01.02.2027"]
    assert "2027-01-15" not in result.output
    english = invoke("events", "--kind", "deadline_changed", "--lang", "en", db=filled).stdout.splitlines()
    assert re.split(r"\s{2,}", english[1])[4:] == ["Fri 15 Jan 2027", "Mon 1 Feb 2027"]
    (event,) = [json.loads(line) for line in
                invoke("events", "--kind", "deadline_changed", "--format", "jsonl", db=filled).stdout.splitlines()]
    assert (event["before"], event["after"]) == ("2027-01-15T23:59:59+01:00", "2027-02-01T23:59:59+01:00")


def test_documents_fetch_and_show_speak_the_readers_language(filled, tmp_path):
    """`documents fetch` ended with «0 links checked; documents by status: {}; read 0, …» and `documents
    show` of an item without documents said «no fetched documents for …» under a Bokmål «feil:»;
    now both in the reader's language ([digest] lang)."""
    fetched = invoke("documents", "fetch", db=filled)
    assert (fetched.exit_code, fetched.output) == (0, "0 lenker sjekket; dokumenter: ingen; lest 0, skannet 0, "
                                                      "uleselige 0; 0 nye treff på overvåkede bestemmelser; 0 saker "
                                                      "fikk høyere relevans\n")
    shown = invoke("documents", "show", "regjeringen:3100001", db=filled)
    assert (shown.exit_code, shown.stderr) == (1, "feil: ingen hentede dokumenter for regjeringen:3100001 (se "
                                                  "`ncp-tracker documents fetch`)\n")
    config = tmp_path / "en.toml"
    config.write_text('[digest]\nlang = "en"\n', "utf-8")
    english = CliRunner().invoke(main, ["--config", str(config), "--db", str(filled), "documents", "fetch"])
    assert english.output == ("0 links checked; documents: none; read 0, scanned 0, unreadable 0; 0 new provision "
                              "hits; 0 items raised\n")
    shown = CliRunner().invoke(main, ["--config", str(config), "--db", str(filled), "documents", "show",
                                      "regjeringen:3100001"])
    assert shown.stderr == ("error: no fetched documents for regjeringen:3100001 (see `ncp-tracker documents "
                            "fetch`)\n")


def test_documents_fetch_of_an_unknown_item_is_refused_as_show_refuses_it(filled, tmp_path):
    """`documents fetch --item nope:1` said «alle dokumentene til nope:1 nå: ingen», exit 0: a typo
    read as an item without documents. Refused as `documents show` refuses it, exit 2."""
    fetched = invoke("documents", "fetch", "--item", "regjeringen:3100001", "--item", "nope:1", db=filled)
    shown = invoke("documents", "show", "nope:1", db=filled)
    assert (fetched.exit_code, fetched.stdout) == (2, "")
    assert fetched.stderr == shown.stderr == ("feil: Ukjent saks-id: 'nope:1' (se `ncp-tracker search` eller "
                                              "`items`).\n")
    config = tmp_path / "en.toml"
    config.write_text('[digest]\nlang = "en"\n', "utf-8")
    english = CliRunner().invoke(main, ["--config", str(config), "--db", str(filled), "documents", "fetch", "--item",
                                        "nope:1"])
    assert english.exit_code == 2 and "error: Unknown item id: 'nope:1'" in english.stderr


def test_a_configuration_profile_watchlist_feed_or_weights_refused_is_said_in_the_readers_words(tmp_path, filled):
    """A configuration, profile, watchlist, feed, calibration or weights file the commands could
    not use was passed through as written, in English under a Bokmål «feil:» («configuration file
    not found: …», «unknown profile 'x' …», «…: no such file», «not enough feedback …»); now in the
    reader's words (vocabulary.COMMAND_REFUSALS); what the reader wrote or typed exits 2, as all bad
    input, a feed that is not a complete crawl 1 (tests/test_cli_file_refusals.py has every shape)."""
    missing = tmp_path / "nowhere.toml"
    result = CliRunner().invoke(main, ["--config", str(missing), "config"])
    assert (result.exit_code, result.stderr) == (2, f"feil: konfigurasjonsfilen {missing} finnes ikke\n")
    wrong = tmp_path / "wrong.toml"
    wrong.write_text('[tracker]\ndb = "x.db"\ncolour = 1\n', "utf-8")
    result = CliRunner().invoke(main, ["--config", str(wrong), "config"])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"feil: {wrong}, linje 3: ukjent nøkkel tracker.colour (kjente i [tracker]: "), \
        result.stderr
    wrong.write_text('[digest]\nlang = "de"\n', "utf-8")
    result = CliRunner().invoke(main, ["--config", str(wrong), "config"])
    assert (result.exit_code, result.stderr) == (2, f"feil: {wrong}, linje 2: digest.lang må være en av nb, en, ikke "
                                                    "'de'\n")

    result = invoke("horizon", "--profile", "nosuch", db=filled)
    assert result.exit_code == 2 and result.stderr.startswith("feil: Ukjent profil «nosuch» (kjente: "), result.stderr
    result = invoke("watchlist", "--file", str(tmp_path / "watch.toml"), db=filled)
    assert (result.exit_code, result.stderr) == (2, f"feil: overvåkingslisten {tmp_path / 'watch.toml'} finnes ikke\n")
    feed = tmp_path / "items.jsonl"
    result = invoke("ingest", str(feed), "--source", "no_lovdata", db=filled)
    assert result.exit_code == 2 and result.stderr.endswith(f"feil: ugyldig verdi for 'FEED': filen '{feed}' finnes "
                                                            "ikke\n"), result.stderr
    feed.write_text("", "utf-8")
    result = invoke("ingest", str(feed), "--source", "no_lovdata", db=filled)
    assert (result.exit_code, result.stderr) == (1, f"feil: {feed} er tom (utdataene fra en innhenting inneholder "
                                                    "minst innhentingsrapporten)\n")

    result = invoke("calibrate", "--dry-run", db=filled)
    assert result.exit_code == 1 and result.stderr.startswith("feil: for lite tilbakemelding til å kalibrere: "), \
        result.stderr
    data = tmp_path / "data"
    data.mkdir()
    (data / "weights.toml").write_text("[not toml", "utf-8")
    config = tmp_path / "data.toml"
    config.write_text(f'[tracker]\ndata_dir = "{data}"\n', "utf-8")
    result = CliRunner().invoke(main, ["--config", str(config), "--db", str(filled), "tag"])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"feil: vektfilen {data / 'weights.toml'} kan ikke leses ("), result.stderr
    config.write_text(f'[tracker]\ndata_dir = "{data}"\n[digest]\nlang = "en"\n', "utf-8")
    result = CliRunner().invoke(main, ["--config", str(config), "--db", str(filled), "tag"])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: the weights file {data / 'weights.toml'} cannot be read ("), result.stderr


@pytest.mark.parametrize("lang, days, done, said", [
    ("nb", "2026-11-23", 0, "feil: avbrutt: 0 av 1 trinn fullført (innhenting, tematisk merking, dokumenter, oversikt); "
                            "kjør på nytt for å fortsette"),
    ("nb", "", 1, "feil: avbrutt: 1 av 2 trinn fullført (innhenting, tematisk merking, dokumenter, oversikt); "
                  "kjør på nytt for å fortsette"),
    ("en", "2026-11-23", 0, "error: interrupted: 0 of 1 step finished (crawl, tagging, documents, digest); "
                            "run again to go on"),
    ("en", "", 1, "error: interrupted: 1 of 2 steps finished (crawl, tagging, documents, digest); run again to go on"),
])
def test_an_interrupted_crawl_says_how_many_of_its_steps_finished(tmp_path, monkeypatch, lang, days, done, said):
    """A crawl stopped part-way (Ctrl-C) says how many of its steps — one per replayed day — finished,
    in the reader's language and in the singular or the plural of the steps planned; exit 130."""
    import tracker.jobs.crawl as crawl

    def stopped(db, plan, **kwargs):  # the reactor stopped after `done` of the plan's steps
        return [crawl.StepResult(step, run_id=1, finished=True) for step in plan[:done]]

    monkeypatch.setattr(crawl, "run_plan", stopped)
    config = tmp_path / "ncp-tracker.toml"
    config.write_text(f'[tracker]\ndb = "{tmp_path / "t.db"}"\n[digest]\nlang = "{lang}"\n', "utf-8")
    replay = ROOT / "data" / "replay" / days if days else ROOT / "data" / "replay"
    result = CliRunner().invoke(main, ["--config", str(config), "crawl", "--replay", str(replay),
                                       "--source", "no_lovdata", "--no-progress"])
    assert result.exit_code == 130, result.output
    assert result.stderr.splitlines()[-1] == said
