"""What a command says of a file the reader wrote or named and it cannot use — the configuration,
a profile, the watchlist, a feed to ingest: in the reader's words (vocabulary.COMMAND_REFUSALS),
one test per message shape, with its exit code (2: what the reader wrote or typed; 1: a feed a
crawl wrote that is not a complete crawl, as the README says)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tracker.cli import main


def invoke(*args: str):
    return CliRunner().invoke(main, list(args))


# --------------------------------------------------------------------------- the configuration


def test_a_config_file_that_is_not_there_is_bad_input_named_in_bokmal(tmp_path, monkeypatch):
    """`--config` naming no file exited 1, as a failure of the house; it is what the reader typed."""
    missing = tmp_path / "etc" / "nope.toml"
    result = invoke("--config", str(missing), "config")
    assert (result.exit_code, result.stderr) == (2, f"feil: konfigurasjonsfilen {missing} finnes ikke\n")
    monkeypatch.setenv("NCP_TRACKER_CONFIG", str(missing))
    result = invoke("config")
    assert (result.exit_code, result.stderr) == (
        2, f"feil: konfigurasjonsfilen {missing} finnes ikke (angitt i $NCP_TRACKER_CONFIG)\n")


@pytest.mark.parametrize("text, said", [
    # _in_range(a port): web.port and smtp.port (it was «web.port must be a port between 1 and 65535, …»)
    ('[web]\nport = 0\n', "linje 2: web.port må være et portnummer fra 1 til 65535, ikke 0"),
    ('[smtp]\nhost = "mail"\nport = 70000\n', "linje 3: smtp.port må være et portnummer fra 1 til 65535, ikke 70000"),
    # _in_range(1): web.threads
    ('[web]\nthreads = 0\n', "linje 2: web.threads må være minst 1, ikke 0"),
    # _site_address: web.public_url
    ('[web]\npublic_url = "ncp.example.org"\n',
     "linje 2: web.public_url må være adressen til arbeidsbenken slik rådgiverne åpner den (f.eks. "
     "https://ncp.example.org), ikke 'ncp.example.org'"),
    # sender_problem: smtp.from (an address the server would be given as the envelope's sender)
    ('[smtp]\nfrom = "ncp-tracker"\n',
     "linje 2: smtp.from må være én e-postadresse (f.eks. ncp-tracker <ncp-tracker@example.org>), ikke 'ncp-tracker'"),
    # the shapes translated before: now exit 2 as well
    ('[digest]\nlang = "de"\n', "linje 2: digest.lang må være en av nb, en, ikke 'de'"),
    ('[smtp]\nport = "587"\n', "linje 2: smtp.port må være et heltall, ikke '587'"),
    # log_level_problem: a level logging does not know (every crawl died on it)
    ('[tracker]\nlog_level = "LOUD"\n',
     "linje 2: tracker.log_level må være en av DEBUG, INFO, WARNING, ERROR, CRITICAL, ikke 'LOUD'"),
])
def test_a_setting_refused_by_its_check_is_said_in_bokmal_and_exits_2(tmp_path, text, said):
    config = tmp_path / "c.toml"
    config.write_text(text, "utf-8")
    result = invoke("--config", str(config), "config")
    assert (result.exit_code, result.stderr) == (2, f"feil: {config}, {said}\n")


def test_a_setting_from_the_environment_its_check_refuses_names_the_variable(monkeypatch):
    monkeypatch.setenv("NCP_TRACKER_LOG_LEVEL", "verbose")
    result = invoke("config")
    assert (result.exit_code, result.stderr) == (2, "feil: $NCP_TRACKER_LOG_LEVEL: tracker.log_level må være en av "
                                                    "DEBUG, INFO, WARNING, ERROR, CRITICAL, ikke 'verbose'\n")


def test_a_setting_out_of_range_is_the_files_not_the_commands_option(tmp_path):
    """`[backup] keep = 0` passed `config`; `backup` then said «feil: --keep må være minst 1, ikke 0»,
    exit 1: an option nobody typed, and no file or line."""
    config = tmp_path / "k.toml"
    config.write_text("[backup]\nkeep = 0\n", "utf-8")
    for command in (("config",), ("backup", str(tmp_path / "rbk"))):
        result = invoke("--config", str(config), "--db", str(tmp_path / "x.db"), *command)
        assert (result.exit_code, result.stderr) == (2, f"feil: {config}, linje 2: backup.keep må være minst 1, "
                                                        "ikke 0\n")
    assert not (tmp_path / "rbk").exists()


def test_a_configured_profile_the_profiles_file_lacks_names_the_configurations_line(tmp_path, data_dir):
    """`[digest] profile = "nope"` passed `config`; `digest` and `run` then said «Ukjent profil
    «nope»», a profile nobody had typed there. Now the configuration's file, line and key, exit 2,
    wherever the setting is read (`config`, `digest`, `run`); a --profile typed is said as typed."""
    config = tmp_path / "ncp-tracker.toml"  # data_dir's file ($NCP_TRACKER_CONFIG)
    config.write_text(config.read_text("utf-8") + '\n[digest]\nprofile = "nope"\n', "utf-8")
    said = (f"feil: {config}, linje 5: digest.profile må være en av eu, gpfg, ncp, neste_tre_maneder, "
            "uka_som_kommer, ikke 'nope'\n")
    db = tmp_path / "x.db"
    for command in (("config",), ("digest",), ("run", "--replay", str(Path(__file__).parent.parent / "data/replay"))):
        result = invoke("--db", str(db), *command)
        assert (result.exit_code, result.stderr) == (2, said), command
    assert not db.exists()
    typed = invoke("--db", str(db), "digest", "--profile", "nope2")
    assert (typed.exit_code, typed.stderr) == (
        2, "feil: Ukjent profil «nope2» (kjente: eu, gpfg, ncp, neste_tre_maneder, uka_som_kommer).\n")
    (data_dir / "profiles.toml").write_text("[profiles.nope]\n", "utf-8")  # the user's file has it
    assert invoke("config").exit_code == 0


# --------------------------------------------------------------------------- a profile


@pytest.mark.parametrize("profile, said", [
    ("threshold = 2", "profilen «ncp»: threshold må være et tall fra 0 til 1"),
    ('labels = ["oecd-xx"]', "profilen «ncp»: ukjent merke 'oecd-xx' (gyldige: oecd-ii (Kap. II Generelle prinsipper), "),
    ("labels = 3", "profilen «ncp»: labels må være en liste av tekster i anførselstegn"),
    ("lead_days = -1", "profilen «ncp»: lead_days må være et heltall på minst 0"),
    ("needs_input_cap = 0", "profilen «ncp»: needs_input_cap må være et heltall på minst 1"),
    ("relevance_weight_days = -1", "profilen «ncp»: relevance_weight_days må være et tall på minst 0"),
    ("max_age_hours = 0", "profilen «ncp»: max_age_hours må være et tall større enn 0"),
    ("eves_are_working_days = 1", "profilen «ncp»: eves_are_working_days må være true eller false"),
    ("horizon_weeks = 1\nhorizon_months = 1", "profilen «ncp»: oppgi horizon_weeks eller horizon_months, ikke begge"),
    ("horizon_weeks = 200", "profilen «ncp»: horizon_weeks må være et heltall fra 1 til 104"),
    ('horizon_by = "day"', "profilen «ncp»: horizon_by må være 'week' eller 'month', ikke 'day'"),
    ('due = "x"', "profilen «ncp»: ukjent due 'x' (gyldige: daily, weekdays, monday, "),
    ("sections = []", "profilen «ncp»: sections er tom (gyldige: needs-input, "),
    ('sections = ["horizon"]', "profilen «ncp»: seksjonen horizon krever horizon_weeks eller horizon_months"),
])
def test_a_profile_written_wrongly_is_said_in_bokmal_and_exits_2(data_dir, profile, said):
    (data_dir / "profiles.toml").write_text(f"[profiles.ncp]\n{profile}\n", "utf-8")
    result = invoke("horizon")
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith(f"feil: {said}"), result.stderr
    assert "Traceback" not in result.output


@pytest.mark.parametrize("text, said", [
    ("[profiles]\nncp = 1\n", "feil: profilen «ncp» må være en tabell ([profiles.ncp])\n"),
    ("x = 1\n", "feil: {path} har ingen [profiles.<navn>]-tabeller\n"),
])
def test_a_profiles_file_without_profiles_is_said_in_bokmal(data_dir, text, said):
    path = data_dir / "profiles.toml"
    path.write_text(text, "utf-8")
    result = invoke("horizon")
    assert (result.exit_code, result.stderr) == (2, said.format(path=path))


def test_a_profile_refused_in_english(data_dir):
    """--lang en: the English wording, the valid labels by their English names (the list nlp
    writes has the Bokmål ones)."""
    (data_dir / "profiles.toml").write_text('[profiles.ncp]\nlabels = ["oecd-xx"]\n', "utf-8")
    result = invoke("horizon", "--lang", "en")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: the profile “ncp”: unknown label 'oecd-xx' (valid: oecd-ii (Ch. II "
                                    "General Policies), "), result.stderr
    (data_dir / "profiles.toml").write_text("[profiles.ncp]\nthreshold = 2\n", "utf-8")
    result = invoke("horizon", "--lang", "en")
    assert (result.exit_code, result.stderr) == (2, "error: the profile “ncp”: threshold must be a number from 0 to 1\n")


@pytest.mark.parametrize("command", [("inbox",), ("health",), ("gpfg",), ("watchlist",)])
def test_views_with_the_trust_banners_say_a_broken_profile_instead_of_a_traceback(data_dir, tmp_path, db, command):
    """inbox, health, gpfg and watchlist read the profile for their banners: a profile written
    wrongly ended them in a Python traceback."""
    (data_dir / "profiles.toml").write_text("[profiles.ncp]\nthreshold = 2\n", "utf-8")
    result = invoke("--db", str(tmp_path / "test.db"), *command)
    assert (result.exit_code, result.stderr) == (2, "feil: profilen «ncp»: threshold må være et tall fra 0 til 1\n")


def test_an_unknown_profile_typed_is_bad_input(data_dir):
    result = invoke("horizon", "--profile", "nosuch")
    assert result.exit_code == 2 and result.stderr.startswith("feil: Ukjent profil «nosuch» (kjente: "), result.stderr


# --------------------------------------------------------------------------- the watchlist

ENTRY = '[[file]]\nid = "a"\nname = "A"\n'


@pytest.mark.parametrize("text, said", [
    ("[[file]\n", "linje 1: ikke gyldig TOML: Expected ']]' at the end of an array declaration (at line 1, column 7)"),
    ("x = 1\n", "linje 1: ukjent nøkkel 'x' (overvåkingslisten har bare [[file]]-tabeller)"),
    (ENTRY + "foo = 1\n", "linje 4: EU-saken «a», feltet «foo»: ukjent felt (kjente: id, name, name_nb, title, "),
    ('[[file]]\nid = "a"\n', "linje 1: EU-saken «a», feltet «name»: feltet er påkrevd, men mangler eller er tomt"),
    ('[[file]]\nid = "a"\nname = 3\n',
     "linje 3: EU-saken «a», feltet «name»: må være en tekst i anførselstegn, ikke et tall"),
    ('[[file]]\nid = "a"\nname = ["A"]\n',
     "linje 3: EU-saken «a», feltet «name»: må være en tekst i anførselstegn, ikke en liste"),
    ('[[file]]\nid = "a"\nname = true\n',
     "linje 3: EU-saken «a», feltet «name»: må være en tekst i anførselstegn, ikke true eller false"),
    (ENTRY + 'refs = "x"\n', "linje 4: EU-saken «a», feltet «refs»: må være en liste av tekster i anførselstegn"),
    ('[[file]]\nid = "A-b"\nname = "A"\n', "linje 2: EU-saken «A-b», feltet «id»: 'A-b' kan bare ha små bokstaver, sifre og _"),
    (ENTRY + ENTRY, "linje 5: EU-saken «a», feltet «id»: id-en er brukt to ganger (første gang i oppføring nr. 1)"),
    (ENTRY + 'celex = "x"\n', "linje 4: EU-saken «a», feltet «celex»: 'x' er ikke et CELEX-nummer (f.eks. 32024L1760)"),
    (ENTRY + 'procedure = "x"\n',
     "linje 4: EU-saken «a», feltet «procedure»: 'x' er ikke en prosedyrereferanse (f.eks. 2022/0051(COD))"),
    (ENTRY + 'com = "x"\n', "linje 4: EU-saken «a», feltet «com»: 'x' er ikke et COM-nummer (f.eks. COM(2025) 81)"),
    (ENTRY + 'unverified = ["zz"]\n', "linje 4: EU-saken «a», feltet «unverified»: nevner et ukjent felt 'zz'"),
])
def test_a_watchlist_written_wrongly_is_said_in_bokmal_and_exits_2(tmp_path, text, said):
    path = tmp_path / "watchlist.toml"
    path.write_text(text, "utf-8")
    result = invoke("watchlist", "--file", str(path))
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith(f"feil: {path}, {said}"), result.stderr


def test_a_watchlist_entry_without_a_header_line_and_one_without_entries(tmp_path):
    path = tmp_path / "watchlist.toml"
    path.write_text('file = [{id = "a", name = 3}]\n', "utf-8")
    result = invoke("watchlist", "--file", str(path))
    assert (result.exit_code, result.stderr) == (
        2, f"feil: {path}: EU-saken «a», feltet «name»: må være en tekst i anførselstegn, ikke et tall\n")
    path.write_text("file = 1\n", "utf-8")
    result = invoke("watchlist", "--file", str(path))
    assert (result.exit_code, result.stderr) == (2, f"feil: overvåkingslisten {path} har ingen [[file]]-oppføringer\n")
    result = invoke("watchlist", "--file", str(tmp_path / "nope.toml"))
    assert (result.exit_code, result.stderr) == (2, f"feil: overvåkingslisten {tmp_path / 'nope.toml'} finnes ikke\n")


def test_a_watchlist_refused_in_english(tmp_path):
    path = tmp_path / "watchlist.toml"
    path.write_text(ENTRY + 'celex = "x"\n', "utf-8")
    result = invoke("watchlist", "--file", str(path), "--lang", "en")
    assert (result.exit_code, result.stderr) == (
        2, f"error: {path}, line 4: the EU file “a”, field “celex”: 'x' is not a CELEX number (e.g. 32024L1760)\n")
    path.write_text('[[file]]\nid = "a"\nname = 3\n', "utf-8")
    result = invoke("watchlist", "--file", str(path), "--lang", "en")
    assert (result.exit_code, result.stderr) == (
        2, f"error: {path}, line 3: the EU file “a”, field “name”: must be a text in quotes, not a number\n")


BROKEN = '[[file]]\nid = "a"\nname = = "A"\n'


@pytest.mark.parametrize("command", [
    ("horizon", "--as-of", "2026-11-24"),
    ("digest", "--date", "2026-11-24", "--profile", "uka_som_kommer", "--format", "md"),
])
def test_the_horizon_and_its_mails_say_a_broken_watchlist_instead_of_a_traceback(data_dir, db, tmp_path, command):
    """`horizon` and the horizon mails read the watched acts' dates from the watchlist: one written
    wrongly ended them in a Python traceback (WatchlistError), exit 1."""
    (data_dir / "watchlist.toml").write_text(BROKEN, "utf-8")
    result = invoke("--db", str(tmp_path / "test.db"), *command)
    assert (result.exit_code, result.stderr.splitlines()[-1]) == (
        2, f"feil: {data_dir / 'watchlist.toml'}, linje 3: ikke gyldig TOML: Invalid value (at line 3, column 8)")
    result = invoke("--db", str(tmp_path / "test.db"), *command, "--lang", "en")
    assert (result.exit_code, result.stderr.splitlines()[-1]) == (
        2, f"error: {data_dir / 'watchlist.toml'}, line 3: not valid TOML: Invalid value (at line 3, column 8)")


def test_a_watchlist_that_cannot_be_read_is_said_not_a_traceback(tmp_path, monkeypatch, db):
    """A folder named as the watchlist ($NCP_TRACKER_WATCHLIST), or a file the system may not read,
    ended `watchlist` (and every command reading it) in a Python traceback (IsADirectoryError,
    PermissionError). Said in the reader's words: a folder is bad input, exit 2; a file that is
    there but cannot be read is the machine's state, exit 1 (as for every file, README)."""
    folder = tmp_path / "watchlist.toml"
    folder.mkdir()
    monkeypatch.setenv("NCP_TRACKER_WATCHLIST", str(folder))
    result = invoke("--db", str(tmp_path / "test.db"), "watchlist")
    assert (result.exit_code, result.stderr) == (2, f"feil: kan ikke lese {folder}: det er en mappe\n")
    result = invoke("--db", str(tmp_path / "test.db"), "watchlist", "--lang", "en")
    assert (result.exit_code, result.stderr) == (2, f"error: cannot read {folder}: it is a folder (Is a directory)\n")
    locked = tmp_path / "locked.toml"
    locked.write_text(ENTRY, "utf-8")
    read_text = Path.read_text

    def refused(self, *args, **kwargs):  # as for a file without read permission (the tests may run as root)
        if self == locked:
            raise PermissionError(13, "Permission denied", str(self))
        return read_text(self, *args, **kwargs)

    monkeypatch.setattr(Path, "read_text", refused)
    result = invoke("--db", str(tmp_path / "test.db"), "watchlist", "--file", str(locked))
    assert (result.exit_code, result.stderr) == (1, f"feil: kan ikke lese {locked}: ingen tilgang\n")


# --------------------------------------------------------------------------- a feed to ingest

REPORT = {"crawl_report": 1, "source": "no_lovdata", "as_of": "2026-11-24T06:00:00+01:00"}


def lines(*rows: object) -> str:
    return "".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in rows)


@pytest.mark.parametrize("text, said", [
    (lines("[1]"), "{feed}, linje 1: ikke et JSON-objekt; forventet JSON Lines slik `scrapy crawl NAME -O items.jsonl` "
                   "skriver dem"),
    (lines({"crawl_report": 99}),
     "{feed}, linje 1: ikke en innhentingsrapport fra denne versjonen av ncp-tracker (crawl_report=99, ukjente felt: [])"),
    (lines({**REPORT, "source": "no_nbim"}),
     "{feed}, linje 1: innhentingsrapporten gjelder kilden 'no_nbim', ikke 'no_lovdata'"),
    (lines({"zz": 1}), "{feed}, linje 1: ikke en sak fra innhenterne til ncp-tracker (ukjente felt: zz)"),
    (lines({"source": "no_lovdata"}), "{feed}, linje 1: en sak uten tittel eller url"),
    (lines(REPORT, REPORT), "{feed} har 2 innhentingsrapporter: utdataene fra flere innhentinger i én fil"),
    (lines({**REPORT, "as_of": "x"}),
     "{feed}: tidspunktet (as_of) 'x' i innhentingsrapporten er ikke en dato og et klokkeslett (ISO 8601); oppgi --as-of"),
])
def test_a_feed_that_is_not_a_complete_crawl_is_said_in_bokmal_and_exits_1(tmp_path, text, said):
    feed = tmp_path / "items.jsonl"
    feed.write_text(text, "utf-8")
    result = invoke("--db", str(tmp_path / "t.db"), "ingest", str(feed), "--source", "no_lovdata")
    assert (result.exit_code, result.stderr) == (1, "feil: " + said.format(feed=feed) + "\n")
    assert not (tmp_path / "t.db").exists()  # nothing stored, no database made


def test_a_feed_not_in_utf8_is_said_in_bokmal_and_english(tmp_path):
    feed = tmp_path / "items.jsonl"
    feed.write_bytes(b"\xff\n")
    result = invoke("--db", str(tmp_path / "t.db"), "ingest", str(feed), "--source", "no_lovdata")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"feil: {feed} kan ikke leses som UTF-8-tekst ('utf-8' codec "), result.stderr
    config = tmp_path / "en.toml"
    config.write_text('[digest]\nlang = "en"\n', "utf-8")
    feed.write_text(lines({"source": "no_lovdata"}), "utf-8")
    result = invoke("--config", str(config), "--db", str(tmp_path / "t.db"), "ingest", str(feed), "--source", "no_lovdata")
    assert (result.exit_code, result.stderr) == (1, f"error: {feed}, line 1: an item without a title or url\n")


def test_a_feed_or_source_typed_wrong_is_bad_input(tmp_path):
    """A FEED that is not there and an unknown --source are what the reader typed: exit 2, with
    the usage, as every option's bad value (they exited 1)."""
    feed = tmp_path / "items.jsonl"
    result = invoke("--db", str(tmp_path / "t.db"), "ingest", str(feed), "--source", "no_lovdata")
    assert result.exit_code == 2 and result.stderr.endswith(f"feil: ugyldig verdi for 'FEED': filen '{feed}' "
                                                            "finnes ikke\n"), result.stderr
    feed.write_text(lines(REPORT), "utf-8")
    result = invoke("--db", str(tmp_path / "t.db"), "ingest", str(feed), "--source", "nope")
    assert result.exit_code == 2
    assert "feil: ugyldig verdi for --source: ukjent kilde 'nope' (gyldige: " in result.stderr, result.stderr
    assert not (tmp_path / "t.db").exists()


# --------------------------------------------------------------------------- the config table


def test_the_config_table_keeps_the_file_name_of_a_long_path(tmp_path):
    """«Fra» was cut at 50 characters from the right («/tmp/…/a/very/long/path/to/some/…»): the
    file and line were lost. Now shortened from the left, the file name and line whole."""
    folder = tmp_path / "a-rather-long-folder-name" / "another-long-folder-name" / "etc" / "ncp"
    folder.mkdir(parents=True)
    config = folder / "c.toml"
    config.write_text('[crawl]\ncontact = "ops@example.org"\n', "utf-8")
    result = invoke("--config", str(config), "config")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == f"konfigurasjonsfil: {config}"
    row = next(line for line in result.output.splitlines() if line.startswith("crawl.contact"))
    origin = row.split("ops@example.org", 1)[1].strip()
    assert origin.startswith("…/") and origin.endswith("/etc/ncp/c.toml, linje 2"), origin
    assert len(origin) <= 50 and f"{config}, linje 2".endswith(origin[1:])
    short = tmp_path / "c.toml"
    short.write_text('[crawl]\ncontact = "ops@example.org"\n', "utf-8")
    result = invoke("--config", str(short), "config")
    if len(f"{short}, linje 2") <= 50:  # a short path is shown whole
        assert f"{short}, linje 2" in result.output


def test_left_cut_keeps_a_long_file_name_whole():
    from tracker.cli.house import left_cut

    assert left_cut("/srv/x/" + "n" * 60 + ".toml, linje 2", 50) == "…/" + "n" * 60 + ".toml, linje 2"
    assert left_cut("standard", 50) == "standard"
    assert left_cut("/a/b/c.toml, linje 2", 50) == "/a/b/c.toml, linje 2"


# --------------------------------------------------------------------------- an --out the command cannot write


@pytest.fixture
def store(tmp_path, as_of) -> Path:
    """A store with one hearing (what `draft` answers), and a file where a folder is asked for."""
    from test_cli import scrape

    path = tmp_path / "t.db"
    scrape(path, as_of)
    (tmp_path / "notes.txt").write_text("a file, not a folder\n", "utf-8")
    return path


def with_changed_document(monkeypatch) -> None:
    """`documents redline` as if the hearing's document had a new version (no documents in a test)."""
    from tracker.documents import redline

    monkeypatch.setattr(redline, "latest_change", lambda db, item_id: [
        {"url": "https://example.org/notat.pdf", "title": "Høringsnotat", "old": 1, "new": 2,
         "language": "nb"}])
    monkeypatch.setattr(redline, "compare", lambda db, old, new: [])


#: each command that writes where --out says, with a file (notes.txt) in the --out's folder part
THROUGH_A_FILE = [
    (("digest", "--allow-red", "--out", "{tmp}/notes.txt/digest.md"), "kan ikke skrive {tmp}/notes.txt/digest.md"),
    (("export", "--out", "{tmp}/notes.txt/x/items.csv"), "kan ikke skrive {tmp}/notes.txt/x/items.csv"),
    (("documents", "redline", "regjeringen:3100001", "--out", "{tmp}/notes.txt/endringer.docx"),
     "kan ikke skrive {tmp}/notes.txt/endringer.docx"),
    (("draft", "regjeringen:3100001", "--out", "{tmp}/notes.txt/svar"), "kan ikke opprette mappen {tmp}/notes.txt/svar"),
    (("run", "--replay", "data/replay/2026-11-23", "--source", "no_lovdata", "--no-progress", "--out",
      "{tmp}/notes.txt/digests"), "kan ikke opprette mappen {tmp}/notes.txt/digests"),
    (("demo", "--no-progress", "--out", "{tmp}/notes.txt/demo"), "kan ikke opprette mappen {tmp}/notes.txt/demo"),
]


@pytest.mark.parametrize("args, said", THROUGH_A_FILE, ids=[a[0] + (a[1] if a[0] == "documents" else "")
                                                             for a, _ in THROUGH_A_FILE])
def test_an_out_whose_folder_part_is_a_file_is_named_and_bad_input(store, tmp_path, monkeypatch, args, said):
    """`digest --out notes.txt/x.md` said «kan ikke skrive …: File exists» (exit 1), `export` and
    `draft` «output path … exists and is not a directory» in English (exit 1), `run` and `demo`
    crawled the whole day, then failed writing its digest (NotADirectoryError). Now one line naming
    the file in the way, before any work, exit 2: the path typed is wrong."""
    from support import ROOT

    monkeypatch.chdir(ROOT)  # run's --replay as typed from the repository
    with_changed_document(monkeypatch)
    result = invoke("--db", str(store), *(a.format(tmp=tmp_path) for a in args))
    assert (result.exit_code, result.stderr) == (
        2, f"feil: {said.format(tmp=tmp_path)}: {tmp_path}/notes.txt er en fil, ikke en mappe\n")
    assert not (tmp_path / "notes.txt").is_dir() and len(runs(store)) == 1  # nothing crawled


#: each command that writes into a folder, given a file's name for it (nothing there yet)
FILE_NAME_AS_FOLDER = [
    (("run", "--replay", "data/replay/2026-11-23", "--source", "no_lovdata", "--no-progress", "--out",
      "{tmp}/oversikt.html"), "{tmp}/oversikt.html er et filnavn; --out er mappen filene skrives i"),
    (("demo", "--no-progress", "--out", "{tmp}/demo.md"), "{tmp}/demo.md er et filnavn; --out er mappen filene skrives i"),
    (("init", "{tmp}/ncp-tracker.toml"), "{tmp}/ncp-tracker.toml er et filnavn; DIRECTORY er mappen filene skrives i"),
    (("record", "--source", "no_lovdata", "--no-progress", "{tmp}/opptak.json"),
     "{tmp}/opptak.json er et filnavn; DIRECTORY er mappen filene skrives i"),
    (("draft", "regjeringen:3100001", "--out", "{tmp}/svar.docx"),
     "{tmp}/svar.docx er et filnavn; --out er mappen utkastet skrives i (som regjeringen_3100001-horingssvar.docx)"),
    (("backup", "{tmp}/kopi.db"), "{tmp}/kopi.db er et filnavn; sikkerhetskopiene legges i en mappe, hver navngitt "
                                  "etter tidspunktet (som t-<time>.db)."),
]


@pytest.mark.parametrize("args, said", FILE_NAME_AS_FOLDER, ids=[a[0] for a, _ in FILE_NAME_AS_FOLDER])
def test_a_file_name_given_for_a_folder_is_refused_before_any_work(store, tmp_path, monkeypatch, args, said):
    """`run --out oversikt.html` crawled the day and wrote its digests into a new folder named
    oversikt.html (exit 0) — as `demo --out demo.md`, `init ncp-tracker.toml`, `draft --out
    svar.docx` and `backup kopi.db` made a folder of the file's name. Now the name is refused at
    once (exit 2: what was typed), saying what the folder is for; nothing crawled, no folder made."""
    from support import ROOT

    monkeypatch.chdir(ROOT)  # run's --replay as typed from the repository
    result = invoke("--db", str(store), *(a.format(tmp=tmp_path) for a in args))
    assert (result.exit_code, result.stderr) == (2, f"feil: {said.format(tmp=tmp_path)}\n")
    name = Path(args[-1].format(tmp=tmp_path)).name
    assert not (tmp_path / name).exists() and len(runs(store)) == 1  # nothing crawled, nothing made

def runs(db: Path) -> list:
    import sqlite3

    with sqlite3.connect(db) as conn:
        return conn.execute("select id from runs").fetchall()


def test_an_out_that_cannot_be_used_is_said_in_english(store, tmp_path, monkeypatch):
    with_changed_document(monkeypatch)
    config = tmp_path / "en.toml"
    config.write_text('[digest]\nlang = "en"\n', "utf-8")
    result = invoke("--config", str(config), "--db", str(store), "documents", "redline", "regjeringen:3100001", "--out",
                    f"{tmp_path}/notes.txt/endringer.docx")
    assert (result.exit_code, result.stderr) == (
        2, f"error: cannot write {tmp_path}/notes.txt/endringer.docx: {tmp_path}/notes.txt is a file, not a folder\n")
    result = invoke("--config", str(config), "--db", str(store), "draft", "regjeringen:3100001", "--out",
                    str(tmp_path / "notes.txt"))
    assert (result.exit_code, result.stderr) == (2, f"error: {tmp_path}/notes.txt is a file, not a folder\n")
    result = invoke("--config", str(config), "--db", str(store), "run", "--no-digest", "--out", f"{tmp_path}/new/",
                    "--replay", str(tmp_path / "nowhere"))  # --no-digest: its --out is not looked at
    assert result.stderr == f"error: the replay folder {tmp_path / 'nowhere'} does not exist\n"
    result = invoke("--config", str(config), "--db", str(store), "export", "--out", f"{tmp_path}/new/")
    assert (result.exit_code, result.stderr) == (2, f"error: {tmp_path}/new/ is a folder: give a file name\n")


def test_a_file_named_as_the_drafts_folder_and_a_folder_as_the_exports_file(store, tmp_path):
    """`draft --out notes.txt` said «output path notes.txt exists and is not a directory» in English
    (exit 1); `export --out new/` «new/ is a directory; give a file name»."""
    result = invoke("--db", str(store), "draft", "regjeringen:3100001", "--out", str(tmp_path / "notes.txt"))
    assert (result.exit_code, result.stderr) == (2, f"feil: {tmp_path}/notes.txt er en fil, ikke en mappe\n")
    result = invoke("--db", str(store), "export", "--out", f"{tmp_path}/new/")
    assert (result.exit_code, result.stderr) == (2, f"feil: {tmp_path}/new/ er en mappe: oppgi et filnavn\n")
    assert not (tmp_path / "new").exists()


def test_a_file_the_system_will_not_let_be_written_is_the_machines_state(store, tmp_path, monkeypatch):
    """No permission, the disk full: said in the reader's words, exit 1 (not what was typed); a
    folder that is not there is what was typed: exit 2 (`redline` said it with exit 1)."""
    import tracker.store.files

    with_changed_document(monkeypatch)
    result = invoke("--db", str(store), "documents", "redline", "regjeringen:3100001", "--out",
                    str(tmp_path / "missing" / "endringer.docx"))
    assert (result.exit_code, result.stderr) == (
        2, f"feil: kan ikke skrive {tmp_path}/missing/endringer.docx: filen eller mappen finnes ikke\n")

    def refused(path, data):
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(tracker.store.files, "write_whole", refused)
    result = invoke("--db", str(store), "digest", "--allow-red", "--out", str(tmp_path / "digest.md"))
    assert (result.exit_code, result.stderr) == (
        1, f"feil: kan ikke skrive {tmp_path}/digest.md: ingen tilgang\n")
    result = invoke("--db", str(store), "documents", "redline", "regjeringen:3100001", "--out",
                    str(tmp_path / "missing" / "endringer.docx"))
    assert result.exit_code == 1 and result.stderr.startswith(f"feil: kan ikke skrive {tmp_path}/missing/endringer.docx: ")


def test_a_broken_draft_template_is_bad_input_and_an_unreadable_one_the_machines(store, data_dir, tmp_path, monkeypatch):
    """The secretariat's template in the data folder, not a .docx: «the draft template … cannot be
    read as .docx: File is not a zip file» in English, exit 1; now in the reader's words, exit 2 (a
    file the reader wrote, as a profile written wrongly). One the system will not let be read: exit 1."""
    template = data_dir / "horingssvar-mal.docx"
    template.write_text("not a Word document", "utf-8")
    draft = ("--db", str(store), "draft", "regjeringen:3100001", "--out", str(tmp_path / "svar"))
    result = invoke(*draft)
    assert (result.exit_code, result.stderr) == (
        2, f"feil: malen for høringssvar {template} kan ikke leses som et Word-dokument (.docx): File is not a zip "
           "file\n")
    read_bytes = Path.read_bytes

    def refused(self):  # as for a file without read permission (the tests may run as root)
        if self == template:
            raise PermissionError(13, "Permission denied", str(self))
        return read_bytes(self)

    monkeypatch.setattr(Path, "read_bytes", refused)
    result = invoke(*draft)
    assert (result.exit_code, result.stderr) == (
        1, f"feil: kan ikke lese malen for høringssvar {template}: ingen tilgang\n")
    config = tmp_path / "ncp-tracker.toml"  # data_dir's configuration, in English
    config.write_text(config.read_text("utf-8") + '[digest]\nlang = "en"\n', "utf-8")
    result = invoke(*draft)
    assert (result.exit_code, result.stderr) == (
        1, f"error: cannot read the draft template {template}: permission denied\n")
    assert not (tmp_path / "svar").exists()


@pytest.mark.parametrize("kind", ["profiles", "watchlist", "companies", "provisions"])
def test_a_users_file_with_a_byte_order_mark_reads_as_without(tmp_path, kind):
    """A profiles.toml saved by an editor that writes a byte-order mark (Notepad) was refused as
    «Invalid statement (at line 1, column 1)» while the configuration file accepts one; the
    watchlist, the list of names that are no companies and the provisions likewise. Each reads as
    the same file without it."""
    from support import ROOT

    from crawlers import watchlist_file
    from tracker.attention import profiles
    from tracker.documents import provisions
    from tracker.links import companies

    shipped = {"profiles": ROOT / "tracker/defaults/profiles.toml", "watchlist": ROOT / "crawlers/watchlist.toml",
               "companies": ROOT / "tracker/defaults/companies_exceptions.txt",
               "provisions": ROOT / "tracker/defaults/provisions.toml"}[kind]
    read = {"profiles": profiles.load_profiles, "watchlist": watchlist_file.load,
            "companies": companies.load_exceptions, "provisions": provisions.load}[kind]
    plain, marked = tmp_path / f"plain-{shipped.name}", tmp_path / f"marked-{shipped.name}"
    plain.write_bytes(shipped.read_bytes())
    marked.write_bytes("\ufeff".encode() + shipped.read_bytes())
    assert read(marked) == read(plain)
