"""The one configuration: search order, provenance, errors with file, line and key, `config`, `init`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tracker.cli import main
from tracker.config import ConfigError, load_config


def test_defaults_without_a_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NCP_TRACKER_DB", raising=False)
    config = load_config()
    assert config.path is None
    assert str(config.db) == "data/tracker.db" and config.origin["tracker"]["db"] == "default"
    assert config.get("crawl", "contact") == ""  # no real organisation's mailbox by default


def test_search_order_and_provenance(tmp_path, monkeypatch):
    local = tmp_path / "ncp-tracker.toml"
    local.write_text('[tracker]\ndb = "local.db"\n', "utf-8")
    other = tmp_path / "other.toml"
    other.write_text('# a comment\n[tracker]\n\ndb = "other.db"\n', "utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NCP_TRACKER_DB", raising=False)
    assert str(load_config().db) == "local.db"
    monkeypatch.setenv("NCP_TRACKER_CONFIG", str(other))
    config = load_config()
    assert str(config.db) == "other.db" and config.origin["tracker"]["db"] == f"{other}:4"
    assert str(load_config(local).db) == "local.db"  # --config beats $NCP_TRACKER_CONFIG
    monkeypatch.setenv("NCP_TRACKER_DB", "env.db")
    assert load_config().origin["tracker"]["db"] == "env NCP_TRACKER_DB"
    assert str(load_config(db="flag.db").db) == "flag.db"  # --db beats everything


@pytest.mark.parametrize("text, message", [
    ('[tracker]\ndb = "x.db"\n\n[crawl]\ncontakt = "a@b"\n', r":5: unknown key crawl.contakt"),
    ('[smtp]\nport = "587"\n', r":2: smtp.port must be an integer"),
    ('[crawl]\nrobotstxt_obey = "no"\n', r":2: crawl.robotstxt_obey must be true or false"),
    ('[tracker]\ndb = "x"\n[webb]\nport = 1\n', r":3: unknown table \[webb\]"),
    ('[tracker\n', r"not valid TOML"),
    ('[digest]\nlang = "no"\n', r":2: digest.lang must be one of nb, en, not 'no'"),
    # every item in the digest would link to a page that cannot open
    ('[web]\nport = 8000\npublic_url = "ncp.example.org"\n', r":3: web.public_url must be the workbench's address"),
    ('[web]\npublic_url = "javascript:alert(1)"\n', r":2: web.public_url must be"),
    ('[web]\npublic_url = "https://ncp.example.org/?x=1"\n', r":2: web.public_url must be"),
    # `serve` printed a URL of a port it could not have, or ran on no thread
    ('[web]\nport = 99999\n', r":2: web.port must be a port between 1 and 65535, not 99999"),
    ('[web]\nport = 0\n', r":2: web.port must be a port between 1 and 65535, not 0"),
    ('[web]\nthreads = 0\n', r":2: web.threads must be at least 1, not 0"),
    ('[smtp]\nport = -1\n', r":2: smtp.port must be a port between 1 and 65535, not -1"),
    # numbers out of range passed `config` and failed later, some with the wrong words and exit 1
    # (`backup`: «--keep må være minst 1, ikke 0», an option nobody typed)
    ('[backup]\nkeep = 0\n', r":2: backup.keep must be at least 1, not 0"),
    ('[crawl]\nlock_wait = -5\n', r":2: crawl.lock_wait must be at least 0, not -5"),
    ('[crawl]\nconcurrency_per_domain = 0\n', r":2: crawl.concurrency_per_domain must be at least 1, not 0"),
    ('[crawl]\ndownload_delay = -1.5\n', r":2: crawl.download_delay must be at least 0, not -1.5"),
    ('[crawl]\ndownload_delay = nan\n', r":2: crawl.download_delay must be a number, not nan"),
    ('[crawl]\nretry_after_max = inf\n', r":2: crawl.retry_after_max must be a number, not inf"),
    ('[crawl]\nregjeringen_listing_pages = 0\n', r":2: crawl.regjeringen_listing_pages must be at least 1, not 0"),
    ('[web]\nlogin_max_attempts = 0\n', r":2: web.login_max_attempts must be at least 1, not 0"),
    ('[web]\ntrusted_proxies = -1\n', r":2: web.trusted_proxies must be at least 0, not -1"),
    # every crawl died on it with a TypeError (CrawlLog compared 30 with «Level LOUD»)
    ('[tracker]\nlog_level = "LOUD"\n',
     r":2: tracker.log_level must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL, not 'LOUD'"),
])
def test_bad_files_name_file_line_and_key(tmp_path, text, message):
    path = tmp_path / "c.toml"
    path.write_text(text, "utf-8")
    with pytest.raises(ConfigError, match=message) as info:
        load_config(path)
    assert str(path) in str(info.value)


def test_a_file_not_in_utf8_is_a_clear_error_and_a_bom_is_accepted(tmp_path):
    """A Latin-1 file ended in a traceback; a UTF-8 byte-order mark (Notepad) gave "Invalid
    statement (at line 1, column 1)" without saying why."""
    path = tmp_path / "c.toml"
    path.write_bytes('[tracker]\ndb = "høringer.db"\n'.encode("latin-1"))
    result = CliRunner().invoke(main, ["--config", str(path), "config"])
    assert result.exit_code == 2 and "Traceback" not in result.output  # what the reader saved: bad input
    assert result.stderr == f"feil: {path} er ikke UTF-8-tekst (byte 18): lagre filen som UTF-8\n"
    path.write_bytes('\ufeff[tracker]\ndb = "høringer.db"\n'.encode("utf-8"))
    config = load_config(path)
    assert str(config.db) == "høringer.db" and config.origin["tracker"]["db"] == f"{path}:2"


def test_missing_explicit_file_is_an_error(tmp_path):
    with pytest.raises(ConfigError, match="not found"):
        load_config(tmp_path / "nope.toml")
    result = CliRunner().invoke(main, ["--config", str(tmp_path / "nope.toml"), "config"])
    assert (result.exit_code, result.stderr) == (2, f"feil: konfigurasjonsfilen {tmp_path / 'nope.toml'} finnes ikke\n")


def test_config_command_shows_values_and_origins(tmp_path, monkeypatch):
    path = tmp_path / "c.toml"
    path.write_text('[crawl]\ncontact = "ops@example.org"\n', "utf-8")
    monkeypatch.setenv("NCP_TRACKER_SMTP_PASSWORD", "hunter2")
    result = CliRunner().invoke(main, ["--config", str(path), "--db", "x.db", "config", "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    rows = {r["setting"]: r for r in map(json.loads, result.output.splitlines())}
    assert rows["crawl.contact"] == {"setting": "crawl.contact", "value": "ops@example.org", "from": f"{path}:2"}
    assert rows["tracker.db"]["from"] == "--db"
    assert rows["smtp_password"]["value"] == "(set)" and "hunter2" not in result.output


def test_init_writes_a_working_configuration_and_editable_copies(tmp_path, monkeypatch):
    target = tmp_path / "srv"
    result = CliRunner().invoke(main, ["init", str(target)])
    assert result.exit_code == 0, result.output
    for name in ("ncp-tracker.toml", "data/profiles.toml", "data/watchlist.toml", "data/companies_exceptions.txt",
                 "data/horingssvar-mal.docx", "data/horingssvar-mandat.nb.txt"):
        assert (target / name).is_file(), name
    from docx import Document

    assert Document(str(target / "data" / "horingssvar-mal.docx")).sections[0].page_width is not None
    config = load_config(target / "ncp-tracker.toml")
    assert config.data_dir == (target / "data").resolve()
    assert config.origin["web"]["public_url"].startswith(f"{target / 'ncp-tracker.toml'}:")  # there to fill in
    assert config.get("web", "public_url") == ""  # empty: no links
    # what it did in the reader's language (it said «wrote …», «kept …», «next: …»)
    assert result.output.splitlines()[0] == f"skrev {target / 'ncp-tracker.toml'}"
    assert result.output.endswith(f"\nneste: cd {target} && ncp-tracker config\n")
    again = CliRunner().invoke(main, ["init", str(target)])
    # an adviser's edited copies are never overwritten silently
    assert again.output.splitlines()[0] == f"beholdt {target / 'ncp-tracker.toml'} (finnes allerede; --force skriver over den)"
    # the data directory's copy wins over the shipped file
    (target / "data" / "profiles.toml").write_text('[profiles.solo]\nlead_days = 2\n', "utf-8")
    monkeypatch.setenv("NCP_TRACKER_CONFIG", str(target / "ncp-tracker.toml"))
    from tracker.attention.profiles import load_profile
    from tracker.config import set_config

    set_config(None)
    assert load_profile("solo").lead_days == 2


def test_init_into_a_place_it_cannot_write_says_so(tmp_path):
    """A DIRECTORY through a file is what the reader typed: the file named, exit 2 (it was «en del
    av stien er ikke en mappe», exit 1, as if the system had refused)."""
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", "utf-8")
    result = CliRunner().invoke(main, ["init", str(blocker / "srv")])
    assert result.exit_code == 2 and isinstance(result.exception, SystemExit)  # an error, no traceback
    assert result.stderr == f"feil: kan ikke opprette mappen {blocker / 'srv' / 'data'}: {blocker} er en fil, ikke en mappe\n"


def test_http_cache_dir_beside_the_database_unless_configured_or_given(tmp_path, monkeypatch):
    from tracker.config import load_config, set_config
    from tracker.jobs.crawl import http_cache_dir, parse_setting_pairs, tracker_settings

    monkeypatch.chdir(tmp_path)
    db = tmp_path / "a" / "tracker.db"
    set_config(load_config(None))
    assert http_cache_dir(db, tracker_settings()) == str(tmp_path / "a" / "tracker.httpcache")
    (tmp_path / "ncp-tracker.toml").write_text('[crawl]\nhttpcache_dir = "cache/http"\n', "utf-8")
    set_config(load_config(None))
    assert http_cache_dir(db, tracker_settings()) == str(tmp_path / "cache" / "http")
    given = tracker_settings(parse_setting_pairs([f"HTTPCACHE_DIR={tmp_path / 'given'}"]))
    assert http_cache_dir(db, given) == str(tmp_path / "given")


def _seeded_with_config(tmp_path, config: str):
    """A seeded store and a configuration file with `config`: (database path, configuration path)."""
    from tests.browser.seed import seed
    from tracker.store.db import open_db

    db_path = tmp_path / "t.db"
    db = open_db(db_path)
    seed(db)
    db.close()
    path = tmp_path / "ncp-tracker.toml"
    path.write_text(config, "utf-8")
    return db_path, path


@pytest.mark.usefixtures("morning_after")  # the digest of the seeded day, its crawl fresh
def test_the_digest_settings_are_the_ones_the_commands_use(tmp_path):
    """`[digest] lang`, `profile` and `out_dir` were shown by `ncp-tracker config` and used by no
    command but the web's profile: `digest` and `run` wrote the ncp profile in Bokmål to
    data/digests whatever the file said, and the web opened in Bokmål."""
    from datetime import datetime

    from crawlers.dates import OSLO
    from tracker.web.app import create_app

    db_path, path = _seeded_with_config(tmp_path, '[digest]\nlang = "en"\nprofile = "eu"\n')
    result = CliRunner().invoke(main, ["--config", str(path), "--db", str(db_path), "digest", "--allow-red"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("# EU and EEA: consultations and acts – Tuesday 24 November 2026")
    nb = CliRunner().invoke(main, ["--config", str(path), "--db", str(db_path), "digest", "--allow-red",
                                   "--lang", "nb", "--profile", "ncp"])  # the options still win
    assert nb.stdout.startswith("# Kontaktpunktet: morgenoversikt")
    from tracker.config import load_config, set_config

    set_config(load_config(path, db=str(db_path)))
    try:
        app = create_app(str(db_path), as_of=datetime(2026, 11, 24, 9, tzinfo=OSLO), data_dir=tmp_path / "data")
        page = app.test_client().get("/").get_data(as_text=True)
        assert '<html lang="en">' in page and "Needs input" in page
        again = app.test_client().get("/?lang=nb").get_data(as_text=True)  # a reader's choice still wins
        assert '<html lang="nb">' in again
    finally:
        set_config(None)


@pytest.mark.usefixtures("morning_after")  # the seeded day's digest: a later machine clock makes it today's, red
def test_the_digest_links_to_the_workbench_at_its_public_address(tmp_path):
    """`[web] public_url`: `digest` (and `run`, through the same helper) link each item to its
    page in the workbench; without it the digest has no such links."""
    db_path, path = _seeded_with_config(tmp_path, '[web]\npublic_url = "https://ncp.example.org/arbeid/"\n')
    assert load_config(path).get("web", "public_url") == "https://ncp.example.org/arbeid/"
    result = CliRunner().invoke(main, ["--config", str(path), "--db", str(db_path), "digest", "--allow-red",
                                       "--format", "html"])
    assert result.exit_code == 0, result.output
    assert 'class="workbench" href="https://ncp.example.org/arbeid/item/' in result.stdout
    plain = CliRunner().invoke(main, ["--db", str(db_path), "digest", "--allow-red", "--format", "html"])
    assert plain.exit_code == 0 and 'class="workbench"' not in plain.stdout


def test_the_horizon_speaks_the_digest_language(tmp_path):
    """`horizon` (the horizon mails' view in the terminal) wrote Bokmål whatever `[digest] lang`
    said; it now follows it as the digest does, and --lang still wins."""
    db_path, path = _seeded_with_config(tmp_path, '[digest]\nlang = "en"\n')
    args = ["--config", str(path), "--db", str(db_path), "horizon", "--all", "--as-of", "2026-11-24T09:00"]
    en = CliRunner().invoke(main, args)
    assert en.exit_code == 0, en.output
    assert "Week " in en.stdout and "Uke " not in en.stdout
    nb = CliRunner().invoke(main, [*args, "--lang", "nb"])
    assert "Uke " in nb.stdout and "Week " not in nb.stdout


def test_a_leading_tilde_in_a_path_setting_is_the_home_folder(tmp_path, monkeypatch):
    """`[tracker] db = "~/x.db"` made a folder literally named `~` in the current directory."""
    from tracker.store.db import open_db

    home, work = tmp_path / "home", tmp_path / "work"
    home.mkdir()
    work.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.chdir(work)
    open_db(home / "x.db").close()
    path = tmp_path / "c.toml"
    path.write_text('[tracker]\ndb = "~/x.db"\ndata_dir = "~/data"\n[backup]\ndir = "~/backups"\n'
                    '[digest]\nout_dir = "~/digests"\n', "utf-8")
    config = load_config(path)
    assert (config.db, config.data_dir, config.backup_dir) == (home / "x.db", home / "data", home / "backups")
    assert config.get("digest", "out_dir") == str(home / "digests")
    result = CliRunner().invoke(main, ["--config", str(path), "backup"])
    assert result.exit_code == 0, result.output
    assert [p.parent for p in (home / "backups").iterdir()] == [home / "backups"]
    assert list(work.iterdir()) == []  # no folder named "~"
    monkeypatch.setenv("NCP_TRACKER_DB", "~/y.db")
    assert load_config(path).db == home / "y.db"


def test_config_and_migrate_say_what_they_did_in_the_readers_language(tmp_path, monkeypatch):
    """`config` headed its table «configuration file: …» and `migrate` said «schema up to date: …»
    in English under a Bokmål terminal; now in the reader's language ([digest] lang)."""
    from tracker.store.db import open_db

    db = tmp_path / "t.db"
    open_db(db).close()
    path = tmp_path / "c.toml"
    path.write_text('[crawl]\ncontact = "ops@example.org"\n', "utf-8")
    shown = CliRunner().invoke(main, ["--config", str(path), "config"])
    assert shown.output.startswith(f"konfigurasjonsfil: {path}\n"), shown.output
    migrated = CliRunner().invoke(main, ["--config", str(path), "--db", str(db), "migrate"])
    assert (migrated.exit_code, migrated.output) == (0, f"skjemaet er oppdatert: {db}\n")
    path.write_text('[digest]\nlang = "en"\n', "utf-8")
    assert CliRunner().invoke(main, ["--config", str(path), "config"]).output.startswith(
        f"configuration file: {path}\n")
    assert CliRunner().invoke(main, ["--config", str(path), "--db", str(db), "migrate"]).output == \
        f"schema up to date: {db}\n"
    monkeypatch.chdir(tmp_path)  # no file in the search order: the built-in defaults
    monkeypatch.delenv("NCP_TRACKER_CONFIG", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    bare = CliRunner().invoke(main, ["config"])
    assert bare.output.startswith("konfigurasjonsfil: (ingen: innebygde standardverdier)\n"), bare.output


def test_the_config_table_says_its_headers_and_origins_in_the_readers_words(tmp_path, monkeypatch):
    """`config` headed its table «setting value from» and said where a setting came from as
    «default», «c.toml:2», «env NCP_TRACKER_DB» under a Bokmål first line; now in the reader's
    words ([digest] lang), an option (--db) as it is written; jsonl keeps its codes."""
    monkeypatch.chdir(tmp_path)  # a short path: the column cuts a long one
    path = Path("c.toml")
    path.write_text('[crawl]\ncontact = "ops@example.org"\n', "utf-8")
    monkeypatch.setenv("NCP_TRACKER_DB", str(tmp_path / "env.db"))
    shown = CliRunner().invoke(main, ["--config", str(path), "config"])
    assert shown.exit_code == 0, shown.output
    lines = shown.output.splitlines()
    assert lines[1].split() == ["Innstilling", "Verdi", "Fra"]
    rows = {line.split()[0]: line for line in lines[2:]}
    assert rows["tracker.db"].endswith("miljøvariabelen NCP_TRACKER_DB")
    assert rows["crawl.contact"].endswith(f"{path}, linje 2")
    assert rows["tracker.data_dir"].endswith("  standard")
    assert rows["smtp_password"].split()[1:3] == ["(ikke", "satt)"]  # was «(not set)»
    assert CliRunner().invoke(main, ["--config", str(path), "--db", "x.db", "config"]).output.splitlines()[2] \
        .endswith("  --db")
    path.write_text('[digest]\nlang = "en"\n', "utf-8")
    english = CliRunner().invoke(main, ["--config", str(path), "config"]).output.splitlines()
    assert english[1].split() == ["Setting", "Value", "From"]
    rows = {line.split()[0]: line for line in english[2:]}
    assert rows["digest.lang"].endswith(f"{path}, line 2") and rows["tracker.data_dir"].endswith("  default")
    assert rows["tracker.db"].endswith("environment variable NCP_TRACKER_DB")
    assert rows["smtp_password"].split()[1:3] == ["(not", "set)"]
    jsonl = CliRunner().invoke(main, ["--config", str(path), "config", "--format", "jsonl"]).output
    assert json.loads(jsonl.splitlines()[0])["from"] == "env NCP_TRACKER_DB"


def test_a_log_level_from_the_environment_is_checked_as_the_files_is(monkeypatch):
    """`NCP_TRACKER_LOG_LEVEL=verbose` passed `config` and crashed every crawl (the cron `run` too);
    any case of a level's name is taken, as before."""
    monkeypatch.setenv("NCP_TRACKER_LOG_LEVEL", "verbose")
    with pytest.raises(ConfigError, match=r"^\$NCP_TRACKER_LOG_LEVEL: tracker.log_level must be one of DEBUG, INFO, "
                                          r"WARNING, ERROR, CRITICAL, not 'verbose'$"):
        load_config()
    monkeypatch.setenv("NCP_TRACKER_LOG_LEVEL", "info")
    assert load_config().scrapy_settings()["LOG_LEVEL"] == "INFO"


def test_every_number_of_the_schema_has_its_range():
    """Every numeric setting says what it may be: a number out of range is the file's line and key,
    never found later by what uses it."""
    from tracker.config import SCHEMA

    unchecked = [f"{table}.{key}" for table, keys in SCHEMA.items() for key, setting in keys.items()
                 if setting.type in (int, float) and setting.check is None and not setting.choices]
    assert unchecked == []
    for table, keys in SCHEMA.items():  # and the defaults pass their own checks
        for key, setting in keys.items():
            assert not (setting.check and setting.check(setting.default)), f"{table}.{key}"
