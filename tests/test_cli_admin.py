"""`users`, `serve`, `backup` and `restore` through the real CLI (and `serve` as a real process)."""

from __future__ import annotations

import os
import re
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from web_support import PASSWORD, Client, seeded_db

from tracker.cli.main import main


@pytest.fixture
def env(tmp_path, monkeypatch):
    db_path = tmp_path / "cli.db"
    seeded_db(db_path).close()
    monkeypatch.setenv("NCP_TRACKER_DB", str(db_path))
    monkeypatch.chdir(tmp_path)
    return db_path


def run(*args, input=None):
    result = CliRunner().invoke(main, list(args), input=input)
    return result


def test_every_users_command_takes_lang(env):
    """`users …` spoke only the configuration's language: `--lang en` was «no such option». Each
    subcommand takes it now, its lines and refusals in that language."""
    r = run("users", "add", "kari", "--password-stdin", "--lang", "en", input=PASSWORD + "\n")
    assert r.exit_code == 0, r.output
    r = run("users", "list", "--lang", "en")
    assert r.exit_code == 0 and r.stdout.splitlines()[0].split() == ["Name", "Role", "Status", "Feed", "Created"]
    assert run("users", "list").stdout.splitlines()[0].split()[:2] == ["Navn", "Rolle"]
    for args in (("disable", "nobody"), ("enable", "nobody"), ("reset-password", "nobody", "--password-stdin")):
        r = run("users", *args, "--lang", "en", input=PASSWORD + "\n")
        assert (r.exit_code, r.stderr) == (2, "error: No account is called 'nobody'.\n"), (args, r.output)
    assert run("users", "disable", "nobody").stderr == "feil: Ingen konto heter 'nobody'.\n"


def test_users_add_list_disable_reset(env):
    r = run("users", "add", "Kari", "--role", "admin", "--password-stdin", input=PASSWORD + "\n")
    assert r.exit_code == 0, r.output
    assert PASSWORD not in r.output
    assert r.stdout == "Kari: lagt til (administrator)\n"
    r = run("users", "add", "kari", "--password-stdin", input=PASSWORD + "\n")
    assert (r.exit_code, r.stderr) == (2, "feil: Kontoen 'kari' finnes allerede.\n")  # names are case-insensitive
    r = run("users", "add", "per", "--password-stdin", input="kort\n")
    assert (r.exit_code, r.stderr) == (2, "feil: Passordet må ha minst 10 tegn.\n")  # bad input, as all: exit 2
    r = run("users", "add", "x", "--password-stdin", input=PASSWORD + "\n")
    assert (r.exit_code, r.stderr) == (2, "feil: Ugyldig brukernavn 'x': 2–40 tegn, bokstaver, sifre, punktum, - "
                                          "eller _.\n")
    r = run("users", "add", "per", "--password-stdin", input="")
    assert (r.exit_code, r.stderr) == (2, "feil: --password-stdin: det kom ikke noe passord på standard input\n")
    r = run("users", "add", "per", "--role", "boss", "--password-stdin", input=PASSWORD + "\n")
    assert r.exit_code == 2  # an unknown role is a usage error
    assert run("users", "add", "per", "--role", "reader", "--password-stdin", input=PASSWORD + "\n").exit_code == 0
    listing = run("users", "list").output
    assert listing.startswith("Navn  Rolle          Status  Abonnement  Opprettet\n")
    assert re.search(r"Kari\s+administrator\s+aktiv", listing) and re.search(r"per\s+leser\s+aktiv", listing)
    conn = sqlite3.connect(env)
    hashes = [h for (h,) in conn.execute("select password_hash from users")]
    conn.close()
    assert all(h.startswith("$argon2id$") and PASSWORD not in h for h in hashes)

    r = run("users", "disable", "PER")
    assert (r.exit_code, r.stdout) == (0, "per: deaktivert\n")
    assert re.search(r"per\s+leser\s+deaktivert", run("users", "list").output)
    r = run("users", "reset-password", "per", "--role", "adviser", "--password-stdin", input="nytt-passord-99\n")
    assert (r.exit_code, r.stdout) == (0, "per: nytt passord (rådgiver)\n")
    from tracker.store.db import open_db
    from tracker.workbench import accounts

    db = open_db(env)
    assert accounts.authenticate(db, "per", "nytt-passord-99") is None  # still disabled
    accounts.enable(db, "per")
    assert accounts.authenticate(db, "per", "nytt-passord-99")["role"] == "adviser"
    assert accounts.authenticate(db, "per", PASSWORD) is None
    db.close()
    r = run("users", "enable", "per")
    assert (r.exit_code, r.stdout) == (0, "per: aktiv\n")
    r = run("users", "disable", "nobody")  # a mistyped name: bad input, exit 2
    assert (r.exit_code, r.stderr) == (2, "feil: Ingen konto heter 'nobody'.\n")


def test_users_list_without_accounts_writes_nothing(tmp_path, monkeypatch):
    db_path = tmp_path / "old.db"
    conn = sqlite3.connect(db_path)  # a database from before accounts existed
    conn.execute("create table items (id text primary key)")
    conn.commit()
    conn.close()
    monkeypatch.setenv("NCP_TRACKER_DB", str(db_path))
    before = db_path.read_bytes()
    r = run("users", "list")
    assert r.exit_code == 0 and r.output == "(ingen brukerkontoer: arbeidsbenken betjener én person på 127.0.0.1)\n"
    assert db_path.read_bytes() == before


def test_a_backup_folder_that_cannot_be_used_is_a_clear_error(env, tmp_path):
    """A file where the backup folder should be ended the nightly backup with a traceback."""
    (tmp_path / "blocked").write_text("not a folder", "utf-8")
    r = run("backup", str(tmp_path / "blocked" / "backups"))
    assert r.exit_code == 1 and "Traceback" not in r.output
    assert r.stderr == (f"feil: Kan ikke lagre sikkerhetskopier i {tmp_path / 'blocked' / 'backups'}: en del av stien "
                        "er ikke en mappe.\n")  # no English detail in Bokmål



@pytest.mark.parametrize("name", ["kopi.db", "natt/tracker.sqlite3"])
def test_a_backup_to_a_file_name_is_refused_and_makes_no_folder(env, tmp_path, name):
    """`backup kopi.db` made a folder named kopi.db with the copy inside it (exit 0): DIRECTORY is
    the folder the copies are kept in, each named by its time. Now the file's name is refused as
    bad input (exit 2), no folder made; a folder that is there under such a name is used."""
    r = run("backup", str(tmp_path / name))
    assert r.exit_code == 2, r.output
    assert r.stderr == (f"feil: {tmp_path / name} er et filnavn; sikkerhetskopiene legges i en mappe, hver navngitt "
                        "etter tidspunktet (som cli-<time>.db).\n")
    assert not (tmp_path / name).exists() and not (tmp_path / "natt").exists()
    (tmp_path / name).mkdir(parents=True)
    r = run("backup", str(tmp_path / name))
    assert r.exit_code == 0 and Path(r.stdout.strip()).parent == tmp_path / name

def test_backup_keeps_generations_and_restore_round_trips(env, tmp_path):
    folder = tmp_path / "backups"
    made = []
    for _ in range(4):
        r = run("backup", str(folder), "--keep", "2")
        assert r.exit_code == 0, r.output
        made.append(Path(r.output.strip().splitlines()[0]))
    kept = sorted(p.name for p in folder.iterdir())
    assert kept == sorted(p.name for p in made[-2:])  # the two newest
    # change the database, then restore the backup
    conn = sqlite3.connect(env)
    conn.execute("delete from items")
    conn.commit()
    conn.close()
    r = run("restore", str(made[-1]), "--yes")
    assert r.exit_code == 0, r.output
    assert re.fullmatch(rf"{re.escape(str(env))} er gjenopprettet fra {re.escape(str(made[-1]))} \(den gamle databasen er "
                        rf"tatt vare på som {re.escape(str(env))}\.before-restore-\d{{8}}T\d+Z\)\n", r.stdout), r.stdout
    conn = sqlite3.connect(env)
    assert conn.execute("select count(*) from items").fetchone()[0] == 5
    conn.close()
    safety = list(env.parent.glob("cli.db.before-restore-*"))
    assert len(safety) == 1
    conn = sqlite3.connect(safety[0])
    assert conn.execute("select count(*) from items").fetchone()[0] == 0  # the replaced state is kept
    conn.close()


def test_restore_refuses_newer_damaged_and_foreign_files(env, tmp_path):
    r = run("backup", str(tmp_path / "b"))
    copy = Path(r.output.strip().splitlines()[0])
    newer = tmp_path / "newer.db"
    newer.write_bytes(copy.read_bytes())
    conn = sqlite3.connect(newer)
    conn.execute("insert into _sqlite_migrations (migration_set, name, applied_at) "
                 "values ('ncp_tracker.core', 'm9999_from_the_future', '2030-01-01')")
    conn.commit()
    conn.close()
    before = sqlite3.connect(env).execute("select count(*) from items").fetchone()
    r = run("restore", str(newer), "--yes")
    assert r.exit_code == 2 and "er skrevet av en nyere ncp-tracker" in r.output and "m9999_from_the_future" in r.output
    damaged = tmp_path / "damaged.db"
    damaged.write_bytes(b"SQLite format 3\x00" + b"\x00" * 100)
    r = run("restore", str(damaged), "--yes")
    assert r.exit_code == 2 and r.stderr == (f"feil: {damaged} er ikke en intakt SQLite-database: filen er ikke en "
                                             "database.\n")
    foreign = tmp_path / "foreign.db"
    sqlite3.connect(foreign).execute("create table x (a)").connection.commit()
    r = run("restore", str(foreign), "--yes")
    assert r.exit_code == 2 and "er ikke en ncp-tracker-database" in r.output
    assert sqlite3.connect(env).execute("select count(*) from items").fetchone() == before
    assert not list(env.parent.glob("cli.db.before-restore-*"))  # nothing was touched


def test_backup_and_restore_speak_the_readers_language(env, tmp_path):
    """`backup` and `restore` said «no backup file at …», «N bytes, integrity ok; …» and «… restored
    from …» in English to a Bokmål reader; a --keep below 1 was refused with exit 1. A FILE that is no
    backup to restore is bad input (exit 2; it was 1); a restore declined at the question exits 1."""
    r = run("backup", str(tmp_path / "b"))
    assert r.exit_code == 0
    size = Path(r.stdout.strip()).stat().st_size
    # the size the Norwegian way, thousands grouped by a (no-break) space: «2 768 896 byte»
    grouped = f"{size:,}".replace(",", "\N{NO-BREAK SPACE}")
    assert size > 1000 and r.stderr == f"{grouped} byte, integriteten er i orden; 0 gamle kopier slettet\n"
    r = run("restore", str(tmp_path / "nope.db"), "--yes")
    assert (r.exit_code, r.stderr) == (2, f"feil: Ingen sikkerhetskopi i {tmp_path / 'nope.db'}.\n")
    r = run("restore", r"b/nope.db", input="n\n")  # asked in the reader's words only when there is a backup
    assert r.exit_code == 2 and "Erstatte" not in r.output
    copy = next((tmp_path / "b").iterdir())
    r = run("restore", str(copy), input="n\n")
    assert r.exit_code == 1 and f"Erstatte {env} med {copy}?" in r.output
    r = run("backup", str(tmp_path / "b"), "--keep", "0")  # bad input: exit 2, as click's own
    assert r.exit_code == 2 and "feil: ugyldig verdi for '--keep': 0 er utenfor det tillatte området x>=1." in r.stderr
    config = tmp_path / "en.toml"
    config.write_text('[digest]\nlang = "en"\n', "utf-8")
    r = run("--config", str(config), "restore", str(tmp_path / "nope.db"), "--yes")
    assert (r.exit_code, r.stderr) == (2, f"error: No backup file at {tmp_path / 'nope.db'}.\n")
    r = run("--config", str(config), "backup", str(tmp_path / "b"), "--keep", "1")
    assert r.stderr == f"{size:,} bytes, integrity ok; 1 old copy removed\n"


def test_restore_asks_and_answers_in_the_readers_language(env, tmp_path):
    """`restore` asked «Erstatte …? [y/N]» and, on no or no answer at all, said «Aborted!» (click's
    English). Now «[j/N]», j/ja/y/yes go on, n/nei/no, an empty answer or the end of input stop it
    with «Avbrutt.» (exit 1, nothing changed), anything else is asked again; in English as click said
    it but «Aborted.»."""
    copy = Path(run("backup", str(tmp_path / "b")).stdout.strip())
    conn = sqlite3.connect(env)
    conn.execute("delete from items")
    conn.commit()
    conn.close()

    def items() -> int:
        return sqlite3.connect(env).execute("select count(*) from items").fetchone()[0]

    question = f"Erstatte {env} med {copy}? [j/N]: "
    # (the test's terminal echoes what is typed after the question)
    for answer in ("n\n", "nei\n", "NO\n", "\n"):
        r = run("restore", str(copy), input=answer)
        assert (r.exit_code, r.stdout, r.stderr) == (1, question + answer, "Avbrutt.\n"), (answer, r.output)
        assert items() == 0 and not list(env.parent.glob("cli.db.before-restore-*"))  # nothing changed
    r = run("restore", str(copy), input="")  # stdin at its end (a script, cron): the question's line ended
    assert (r.exit_code, r.stdout, r.stderr) == (1, question, "\nAvbrutt.\n"), r.output
    assert items() == 0 and not list(env.parent.glob("cli.db.before-restore-*"))
    r = run("restore", str(copy), input="kanskje\nnei\n")
    assert (r.exit_code, r.stdout, r.stderr) == (1, f"{question}kanskje\n{question}nei\n",
                                                 "Svar j eller n.\nAvbrutt.\n"), r.output
    for answer in ("j\n", "ja\n", "y\n", "Yes\n"):
        r = run("restore", str(copy), input=answer)
        assert r.exit_code == 0 and r.stdout.startswith(f"{question}{answer}{env} er gjenopprettet fra {copy}"), \
            r.output
        assert items() == 5
    config = tmp_path / "en.toml"
    config.write_text('[digest]\nlang = "en"\n', "utf-8")
    r = run("--config", str(config), "restore", str(copy), input="ja\nn\n")  # Bokmål words are not English
    asked = f"Replace {env} by {copy}? [y/N]: "
    assert (r.exit_code, r.stdout, r.stderr) == (1, f"{asked}ja\n{asked}n\n", "Answer y or n.\nAborted.\n"), r.output
    r = run("--config", str(config), "restore", str(copy), input="yes\n")
    assert r.exit_code == 0 and f"{env} restored from {copy}" in r.stdout, r.output
    # a password asked at the end of input ends the same way, in the reader's words
    r = run("users", "add", "per", input="")
    assert (r.exit_code, r.stderr.strip()) == (1, "Avbrutt."), r.output
    assert "Aborted" not in r.output


def test_restore_migrates_an_older_backup(env, tmp_path):
    from tracker.store.backup import backup, restore

    result = backup(env, tmp_path / "b")
    conn = sqlite3.connect(result.path)  # as if made before accounts existed
    conn.execute("drop table users")
    conn.execute("delete from _sqlite_migrations where name = 'm0501_users'")
    conn.commit()
    conn.close()
    target = tmp_path / "fresh.db"
    restore(result.path, target)
    conn = sqlite3.connect(target)
    assert conn.execute("select count(*) from users").fetchone() == (0,)
    assert conn.execute("pragma journal_mode").fetchone() == ("wal",)
    conn.close()


def test_serve_refuses_a_public_address_without_accounts(env):
    """Refused in English in a Bokmål terminal («feil: --host 0.0.0.0 needs accounts: …»), exit 1;
    the address typed is bad input (exit 2), said in the reader's words."""
    r = run("serve", "--host", "0.0.0.0")
    assert r.exit_code == 2 and r.stderr == (
        "feil: --host 0.0.0.0 krever kontoer: legg til én med `ncp-tracker users add NAVN --role admin` (uten kontoer "
        "betjener arbeidsbenken én person på 127.0.0.1).\n"), r.output


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve(env, *args) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "tracker", "serve", "--port", str(port), *args],
                            stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True,
                            env={**os.environ, "NCP_TRACKER_DB": str(env)}, cwd=env.parent)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return proc, f"http://127.0.0.1:{port}"
        except OSError:
            if proc.poll() is not None:
                break
            time.sleep(0.2)
    proc.kill()
    raise AssertionError(f"serve did not start: {proc.stderr.read()}")


def _stop(proc: subprocess.Popen) -> str:
    proc.terminate()
    try:
        _, err = proc.communicate(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        _, err = proc.communicate()
    return err


@pytest.mark.parametrize("option, message", [
    (["--port", "99999"], "ugyldig verdi for '--port': 99999 er utenfor det tillatte området 1<=x<=65535."),
    (["--port", "0"], "ugyldig verdi for '--port': 0 er utenfor det tillatte området 1<=x<=65535."),
    (["--port=-1"], "ugyldig verdi for '--port': -1 er utenfor det tillatte området 1<=x<=65535."),
    (["--threads", "0"], "ugyldig verdi for '--threads': 0 er utenfor det tillatte området x>=1."),
])
def test_serve_refuses_a_port_or_thread_count_it_cannot_have(env, option, message):
    """`serve --port 99999` gave a traceback, `--port 0` printed a URL of port 0 and served elsewhere."""
    r = run("serve", *option)
    assert r.exit_code == 2 and r.stderr.endswith(f"feil: {message}\n"), r.output


def test_serve_runs_waitress_and_says_which_mode(env):
    proc, base = _serve(env, "--threads", "4")
    try:
        r = Client(base).get("/")
        assert r.status == 200 and "Trenger innspill" in r.text
        assert r.headers["server"] == "ncp-tracker"  # waitress, not Werkzeug's development server
    finally:
        err = _stop(proc)
    # what it says at start-up in the reader's language (it said «ncp-tracker workbench on … — no accounts: …»)
    assert f"ncp-tracker-arbeidsbenken på {base}/ — ingen brukerkontoer: bare for én person på denne maskinen (legg " \
           "til kontoer med `ncp-tracker users add NAME --role admin`); 4 tråder (Ctrl-C stopper)" in err, err
    assert (env.parent / "data" / "web-secret.key").stat().st_mode & 0o777 == 0o600

    assert run("users", "add", "kari", "--password-stdin", input=PASSWORD + "\n").exit_code == 0
    proc, base = _serve(env)
    try:
        assert Client(base).get("/").status == 302
        kari = Client(base)
        assert kari.login("kari").status == 302 and kari.get("/").status == 200
    finally:
        err = _stop(proc)
    assert f"ncp-tracker-arbeidsbenken på {base}/ — 1 aktiv konto; innlogging kreves; " in err, err
    assert PASSWORD not in err


def test_serve_on_a_port_in_use_is_a_clear_error_and_says_nothing_of_serving(env):
    """A second workbench on a taken port first said "workbench on http://…" and then died with
    waitress's traceback."""
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        out = subprocess.run([sys.executable, "-m", "tracker", "serve", "--port", str(port)], capture_output=True,
                             text=True, timeout=60, env={**os.environ, "NCP_TRACKER_DB": str(env)}, cwd=env.parent)
    assert out.returncode == 1 and "Traceback" not in out.stderr
    assert out.stderr.strip() == (f"feil: arbeidsbenken kan ikke startes på 127.0.0.1:{port}: adressen er allerede i "
                                  "bruk; et annet program, eller en annen arbeidsbenk, kan "
                                  "bruke porten: prøv --port")


def test_no_command_writes_into_a_database_of_a_newer_ncp_tracker(env, tmp_path):
    """Read commands refused a database with a migration this version does not know, but `triage`,
    `tag --all`, `digest`, `backup`, `migrate` … wrote into it with exit 0."""
    conn = sqlite3.connect(env)
    item = conn.execute("select id from items order by id limit 1").fetchone()[0]
    conn.execute("insert into _sqlite_migrations (migration_set, name, applied_at) "
                 "values ('ncp_tracker.core', 'm9999_from_the_future', '2030-01-01')")
    conn.commit()
    state = conn.execute("select (select count(*) from triage_history), (select count(*) from digests)").fetchone()
    conn.close()
    out = tmp_path / "digest.md"
    for args in (["items"], ["triage", item, "--state", "watching"], ["tag", "--all"],
                 ["digest", "--out", str(out)], ["backup", str(tmp_path / "b")], ["migrate"]):
        r = run(*args)
        assert r.exit_code == 1, (args, r.output)
        assert "er skrevet av en nyere ncp-tracker" in r.output and "m9999_from_the_future" in r.output, args
        assert "Traceback" not in r.output
    assert not out.exists() and not (tmp_path / "b").exists()
    conn = sqlite3.connect(env)
    assert conn.execute("select (select count(*) from triage_history), (select count(*) from digests)").fetchone() == state
    conn.close()


def test_no_command_turns_another_programs_database_into_a_tracker_database(tmp_path, monkeypatch):
    """`migrate` (and every command that writes) filled an SQLite file of another program — a
    mistyped --db — with thirty tracker tables beside its own, «skjemaet er oppdatert», exit 0;
    read commands invited exactly that («har et eldre skjema … kjør `ncp-tracker migrate`»).
    `restore` refused the same file. An empty file is a new database, as before."""
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("create table notes (body text)")
    conn.execute("insert into notes values ('mine')")
    conn.commit()
    conn.close()
    monkeypatch.setenv("NCP_TRACKER_DB", str(other))
    said = f"feil: {other} er ikke en ncp-tracker-database (den har ingen items-tabell eller skjemaoversikt).\n"
    for args in (["migrate"], ["items"], ["triage", "x:1", "--state", "watching"], ["tag", "--all"]):
        r = run(*args)
        assert r.exit_code == 1 and r.stderr == said, (args, r.output)
    conn = sqlite3.connect(other)
    assert [t for (t,) in conn.execute("select name from sqlite_master where type = 'table'")] == ["notes"]
    assert conn.execute("pragma journal_mode").fetchone()[0] == "delete"  # not made WAL either
    conn.close()
    empty = tmp_path / "empty.db"
    empty.touch()
    monkeypatch.setenv("NCP_TRACKER_DB", str(empty))
    assert run("migrate").exit_code == 0 and run("items").exit_code == 0


def test_users_list_refuses_a_database_of_a_newer_ncp_tracker_as_every_read_command(env):
    """`users list` read a database with a migration this version does not know and listed its
    accounts, exit 0, where `items` (and every other read command) refused it."""
    assert run("users", "add", "Kari", "--role", "admin", "--password-stdin", input=PASSWORD + "\n").exit_code == 0
    conn = sqlite3.connect(env)
    conn.execute("insert into _sqlite_migrations (migration_set, name, applied_at) "
                 "values ('ncp_tracker.core', 'm9999_from_the_future', '2030-01-01')")
    conn.commit()
    conn.close()
    before = env.read_bytes()
    items, listed = run("items"), run("users", "list")
    assert listed.exit_code == items.exit_code == 1, listed.output
    assert listed.stderr == items.stderr == (f"feil: Databasen {env} er skrevet av en nyere ncp-tracker (ukjente "
                                             "migreringer: ncp_tracker.core.m9999_from_the_future): oppgrader "
                                             "ncp-tracker.\n")
    assert "Kari" not in listed.stdout and env.read_bytes() == before


def test_backups_of_another_database_leave_this_ones_copies_alone(env, tmp_path):
    """`backup DIR --keep 2` named every copy tracker-<time>.db and pruned every file of that
    pattern: two backups of another database into the same folder deleted the real ones."""
    folder = tmp_path / "backups"
    old = folder / "cli-20261101T050000Z.db"  # this database's copies, made earlier
    made = [Path(run("backup", str(folder)).output.strip().splitlines()[0]) for _ in range(2)]
    assert all(p.name.startswith("cli-") for p in made)
    old.write_bytes(made[0].read_bytes())
    other = tmp_path / "other.db"
    seeded_db(other).close()
    for _ in range(3):
        r = run("--db", str(other), "backup", str(folder), "--keep", "2")
        assert r.exit_code == 0, r.output
        assert r.output.strip().splitlines()[0].startswith(str(folder / "other-"))
    names = sorted(p.name for p in folder.iterdir())
    assert [n for n in names if n.startswith("cli-")] == sorted(p.name for p in [old, *made])
    assert len([n for n in names if n.startswith("other-")]) == 2
    r = run("backup", str(folder), "--keep", "2")  # this database's pruning counts its own copies only
    assert r.exit_code == 0 and not old.exists() and not made[0].exists() and made[1].exists()
    assert len([p for p in folder.iterdir() if p.name.startswith("other-")]) == 2


def test_old_tracker_copies_count_as_tracker_db_s(tmp_path, monkeypatch):
    db = tmp_path / "tracker.db"
    seeded_db(db).close()
    monkeypatch.setenv("NCP_TRACKER_DB", str(db))
    folder = tmp_path / "b"
    folder.mkdir()
    old = folder / "tracker-20261101T050000Z.db"
    old.write_bytes(db.read_bytes())
    r = run("backup", str(folder), "--keep", "1")
    assert r.exit_code == 0 and not old.exists() and "1 gammel kopi slettet" in r.output


def test_backup_goes_to_the_data_directory_by_default(env, tmp_path, monkeypatch):
    """The default [backup] dir was data/backups of the current directory, whatever data_dir said."""
    config = tmp_path / "ncp-tracker.toml"
    config.write_text(f'[tracker]\ndata_dir = "{tmp_path / "srv" / "data"}"\n', "utf-8")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    r = run("--config", str(config), "backup")
    assert r.exit_code == 0, r.output
    assert Path(r.output.strip().splitlines()[0]).parent == tmp_path / "srv" / "data" / "backups"
    assert not (elsewhere / "data").exists()


def test_backup_of_a_missing_database_is_refused_as_every_command_refuses_it(tmp_path, monkeypatch):
    """`backup` said «feil: no database at …» in English where every other command says «Ingen
    database i …: kjør `ncp-tracker run` …» (tracker.store.db.no_database, one wording); `users
    list` too."""
    missing = tmp_path / "nowhere.db"
    monkeypatch.setenv("NCP_TRACKER_DB", str(missing))
    said = run("items").stderr
    assert said.startswith(f"feil: Ingen database i {missing}: kjør `ncp-tracker run`"), said
    for args in (["backup", str(tmp_path / "copies")], ["users", "list"]):
        r = run(*args)
        assert r.exit_code == 1 and r.stderr == said, (args, r.stderr)
    assert not (tmp_path / "copies").exists() and not missing.exists()


def test_a_password_typed_twice_differently_is_asked_again_in_the_readers_words(env):
    """click's own confirmation prompt said «Error: The two entered values do not match.» in
    English; the two passwords are now compared here and the difference said as every error is."""
    r = run("users", "add", "per", input=f"{PASSWORD}\nannet-passord-77\n{PASSWORD}\n{PASSWORD}\n")
    assert r.exit_code == 0, r.output
    assert r.stderr == "feil: de to passordene er ulike; skriv dem inn på nytt\n", r.output
    assert "do not match" not in r.output
    assert r.stdout.count("Passord: ") == 2 and r.stdout.count("Gjenta passordet: ") == 2, r.stdout
    listed = run("users", "list").stdout
    assert re.search(r"^per\b", listed, re.M), listed


def test_ctrl_c_in_a_command_ends_it_in_the_readers_words(env, monkeypatch):
    """Ctrl-C outside a prompt (a long listing, a backup) ended with click's English «Aborted!»."""
    import tracker.cli.admin as admin

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    assert run("users", "add", "per", "--password-stdin", input=PASSWORD + "\n").exit_code == 0
    monkeypatch.setattr(admin, "print_table", interrupted)
    r = run("users", "list")
    assert (r.exit_code, r.stderr) == (1, "\nAvbrutt.\n"), r.output
    assert "Aborted" not in r.output
