"""`ncp-tracker digest`: formats, files, unknown profile, --send to a real local SMTP server."""

from __future__ import annotations

import email
import subprocess
import sys
from datetime import datetime
from email import policy

import feedparser
import icalendar
import pytest
from click.testing import CliRunner
from support import ROOT
from test_mailer import Inbox, Refuser, smtp_server  # noqa: F401 - fixture

from tracker.cli import main
from tracker.store.db import open_db


def run(path, *args, env=None):
    return CliRunner().invoke(main, ["--db", str(path), "digest", *args], env=env or {}, catch_exceptions=False)


@pytest.mark.usefixtures("morning_after")
def test_markdown_to_stdout_defaults_to_the_latest_run(world):
    result = run(world)
    assert result.exit_code == 0, result.output
    assert "# Kontaktpunktet: morgenoversikt – tirsdag 24. november 2026" in result.output
    assert "## Trenger innspill (8)" in result.output


def test_without_a_date_a_stale_store_gives_todays_digest_red_and_sends_nothing(world, smtp_server, tmp_path):  # noqa: F811
    """The cron line's `digest --send` on a morning whose crawl never ran (the last one twelve days
    before) mailed that day's digest as today's — «frist i dag» for a deadline twelve days past —
    with exit 0: the default clock was the latest crawl, so the data was never old against it."""
    import time_machine

    from crawlers.dates import OSLO

    inbox = Inbox()
    env = _smtp_config(tmp_path, smtp_server(inbox).port)
    with time_machine.travel(datetime(2026, 12, 6, 7, 0, tzinfo=OSLO)):
        result = run(world, "--send", "--to", "radgiver@example.org", env=env)
        shown = run(world)
    assert result.exit_code == 2 and inbox.messages == []
    assert "feil: oversikten er ikke sendt" in result.stderr
    assert "Siste vellykkede innhenting var tir. 24.11.2026 kl. 06.00, mer enn 36 timer før" in result.stderr
    assert shown.exit_code == 2
    assert shown.stdout.startswith("# Kontaktpunktet: morgenoversikt – søndag 6. desember 2026")
    assert "⚠" in shown.stdout.split("## ")[0]
    # 35 hours after the crawl it is still the crawl's digest (the profile's max_age_hours is 36)
    with time_machine.travel(datetime(2026, 11, 25, 17, 0, tzinfo=OSLO)):
        fresh = run(world)
    assert fresh.exit_code == 0 and "morgenoversikt – tirsdag 24. november 2026" in fresh.stdout


def test_every_format_to_a_file(world, tmp_path):
    for fmt in ("md", "html", "txt", "eml", "atom", "ics"):
        out = tmp_path / f"d.{fmt}"
        result = run(world, "--date", "2026-11-24", "--format", fmt, "--out", str(out))
        assert result.exit_code == 0, result.output
        assert out.stat().st_size > 100
    assert feedparser.parse(str(tmp_path / "d.atom")).bozo == 0
    assert icalendar.Calendar.from_ical((tmp_path / "d.ics").read_bytes()).walk("VEVENT")
    msg = email.message_from_bytes((tmp_path / "d.eml").read_bytes(), policy=policy.default)
    assert msg.get_content_type() == "multipart/alternative"
    db = open_db(world)
    assert {r["format"] for r in db.query("select format from digests")} == {"md", "html", "txt", "eml"}
    db.close()


def test_english_and_another_day(world):
    result = run(world, "--date", "2026-11-23", "--lang", "en", "--profile", "eu")
    assert result.exit_code == 0
    assert "EU and EEA: consultations and acts – Monday 23 November 2026" in result.output


def test_unknown_profile_is_one_line_and_non_zero(world):
    result = run(world, "--profile", "nope")
    assert result.exit_code != 0
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert lines == ["feil: Ukjent profil «nope» (kjente: eu, gpfg, ncp, neste_tre_maneder, uka_som_kommer)."]


def test_bad_date(world):
    result = run(world, "--date", "24.11.2026")
    assert result.exit_code == 2 and "feil: ugyldig verdi for --date: ikke en ISO-dato (ÅÅÅÅ-MM-DD): " in result.output


def _smtp_config(tmp_path, port: int, sender: str = "") -> dict[str, str]:
    """A configuration file naming the test's SMTP server, as the environment of the command."""
    path = tmp_path / "smtp.toml"
    path.write_text(f'[smtp]\nhost = "127.0.0.1"\nport = {port}\nstarttls = false\n'
                    + (f'from = "{sender}"\n' if sender else ""), "utf-8")
    return {"NCP_TRACKER_CONFIG": str(path)}


@pytest.mark.usefixtures("morning_after")  # a send of the morning's digest: its crawl is fresh
def test_send_delivers_and_only_then_records(world, smtp_server, tmp_path):  # noqa: F811
    inbox = Inbox()
    controller = smtp_server(inbox)
    env = _smtp_config(tmp_path, controller.port, "Tracker <tracker@example.org>")
    result = run(world, "--send", "--to", "radgiver@example.org", env=env)
    assert result.exit_code == 0, result.output
    (mail_from, rcpts, content), = inbox.messages
    assert rcpts == ["radgiver@example.org"] and mail_from == "tracker@example.org"
    msg = email.message_from_bytes(content, policy=policy.default)
    assert msg["Subject"].endswith("8 høringer trenger innspill")
    assert [p.get_content_type() for p in msg.iter_parts()] == ["text/plain", "text/html"]
    db = open_db(world)
    assert [(r["format"], r["path"]) for r in db.query("select format, path from digests")] == [
        ("email", "mailto:radgiver@example.org")]
    db.close()


@pytest.mark.usefixtures("morning_after")  # a send of the morning's digest: its crawl is fresh
def test_a_refusing_server_records_nothing(world, smtp_server, tmp_path):  # noqa: F811
    controller = smtp_server(Refuser())
    env = _smtp_config(tmp_path, controller.port)
    result = run(world, "--send", env=env)
    assert result.exit_code != 0
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("feil: oversikten ble ikke sendt: sending til 127.0.0.1:")
    assert lines[0].endswith(" mislyktes: alle mottakerne ble avvist (ncp-radgivere@example.org: 550 5.7.1 Relaying "
                             "denied)")
    db = open_db(world)
    assert db["digests"].count == 0
    db.close()


@pytest.mark.usefixtures("morning_after")  # a send of the morning's digest: its crawl is fresh
def test_send_without_a_server_configured(world, data_dir):
    empty = data_dir / "profiles.toml"
    empty.write_text("[profiles.ncp]\nrecipients = ['a@example.org']\n", "utf-8")
    result = run(world, "--send")
    # in the reader's words, as the rest of the line (it was «… ikke sendt: no SMTP server configured: …»)
    assert (result.exit_code, result.stderr) == (1, "feil: oversikten ble ikke sendt: ingen SMTP-server er satt "
                                                    "opp: angi [smtp] host i konfigurasjonen\n")


@pytest.mark.usefixtures("morning_after")  # a send of the morning's digest: its crawl is fresh
def test_a_day_is_mailed_once_to_each_recipient(world, smtp_server, tmp_path):  # noqa: F811
    """The cron line run twice (a retry, a second run that day) mailed the advisers twice; after a
    partly refused send, a retry mailed those it had reached again."""
    inbox = Inbox()
    controller = smtp_server(inbox)
    env = _smtp_config(tmp_path, controller.port, "Tracker <tracker@example.org>")
    assert run(world, "--send", "--to", "kari@example.org", env=env).exit_code == 0
    again = run(world, "--send", "--to", "Kari@example.org", env=env)
    assert again.exit_code == 0 and len(inbox.messages) == 1
    assert "dagens ncp-oversikt er allerede sendt til Kari@example.org (--again sender den på nytt)" in again.stderr
    both = run(world, "--send", "--to", "kari@example.org", "--to", "per@example.org", env=env)
    assert both.exit_code == 0 and [rcpts for _, rcpts, _ in inbox.messages] == [
        ["kari@example.org"], ["per@example.org"]]
    forced = run(world, "--send", "--to", "kari@example.org", "--again", env=env)
    assert forced.exit_code == 0 and len(inbox.messages) == 3
    other_day = run(world, "--send", "--to", "kari@example.org", "--date", "2026-11-23", env=env)
    assert other_day.exit_code == 0 and len(inbox.messages) == 4


#: another `digest --send` of the same digest, holding the send lock while it mails kari
OTHER_SEND = """
import sqlite3, sys, time
from tracker.store.runlock import exclusive_send
with exclusive_send(sys.argv[1], "ncp"):
    print("held", flush=True)
    time.sleep(float(sys.argv[2]))
    with sqlite3.connect(sys.argv[1]) as conn:  # delivered to kari, and recorded
        conn.execute("insert into digests (profile, date, generated_at, format, path) values "
                     "('ncp', '2026-11-24', '2026-11-24T05:00:00+00:00', 'email', 'mailto:kari@example.org')")
"""


@pytest.mark.usefixtures("morning_after")  # a send of the morning's digest: its crawl is fresh
def test_two_sends_at_once_mail_each_recipient_once(world, smtp_server, tmp_path, monkeypatch):  # noqa: F811
    """The cron line and a person sending the same digest at the same moment each found nobody
    mailed yet: the second waits for the first, then mails only those it did not reach."""
    inbox = Inbox()
    controller = smtp_server(inbox)
    env = _smtp_config(tmp_path, controller.port, "Tracker <tracker@example.org>")
    other = subprocess.Popen([sys.executable, "-c", OTHER_SEND, str(world), "1"], cwd=ROOT,
                             stdout=subprocess.PIPE, text=True)
    assert other.stdout.readline().strip() == "held"
    result = run(world, "--send", "--to", "kari@example.org", "--to", "per@example.org", env=env)
    other.wait()
    assert result.exit_code == 0, result.output
    assert f"venter på at en annen utsending av ncp-oversikten skal bli ferdig (prosess {other.pid}, `" in result.stderr
    assert "dagens ncp-oversikt er allerede sendt til kari@example.org" in result.stderr
    assert [rcpts for _, rcpts, _ in inbox.messages] == [["per@example.org"]]
    # a send that does not end in time: a clear error, nothing mailed, nothing recorded
    monkeypatch.setattr("tracker.cli.digest.SEND_LOCK_WAIT", 0.5)
    other = subprocess.Popen([sys.executable, "-c", OTHER_SEND, str(world), "30"], cwd=ROOT,
                             stdout=subprocess.PIPE, text=True)
    try:
        assert other.stdout.readline().strip() == "held"
        late = run(world, "--send", "--to", "ola@example.org", env=env)
    finally:
        other.kill()
        other.wait()
    assert late.exit_code == 1
    # in the reader's words (it was English after «feil:»)
    assert f"feil: en annen `digest --send` sender ncp-oversikten nå (prosess {other.pid}, `" in late.stderr, late.stderr
    assert late.stderr.endswith(") og ble ikke ferdig innen 0,5 sekunder: kjør kommandoen på nytt når den er ferdig; da "
                                "sendes oversikten bare til dem som ikke har fått den\n"), late.stderr
    assert len(inbox.messages) == 1


@pytest.mark.parametrize("fmt", ["atom", "ics"])
@pytest.mark.parametrize("profile", ["uka_som_kommer", "neste_tre_maneder"])
def test_a_horizon_mail_has_no_feed_or_calendar_of_its_own(world, tmp_path, fmt, profile):
    """«Uka som kommer» is five dates of the coming week; its Atom feed was the whole morning
    digest's 116 entries and its calendar the 69 events of every consultation, months ahead: a
    subscriber got something else than the mail under its name. Refused, saying where to look."""
    out = tmp_path / f"h.{fmt}"
    result = run(world, "--profile", profile, "--format", fmt, "--out", str(out), "--date", "2026-11-23")
    assert result.exit_code == 1 and not out.exists()
    assert f"feil: profilen {profile} har ikke --format {fmt}: den viser " in result.output
    assert "--profile ncp" in result.output
    import tracker.digest as digest_mod
    from crawlers.dates import OSLO
    from tracker.attention.profiles import load_profile

    db = open_db(world)
    try:
        with pytest.raises(ValueError, match="has no"):
            digest_mod.render(db, fmt, as_of=datetime(2026, 11, 23, 6, tzinfo=OSLO), profile=load_profile(profile))
    finally:
        db.close()
    assert run(world, "--profile", "gpfg", "--format", fmt, "--date", "2026-11-24").exit_code == 0


@pytest.mark.usefixtures("morning_after")  # a send of the morning's digest: its crawl is fresh
def test_every_recipient_of_a_list_gets_the_mail_and_no_address_is_guessed(world, smtp_server, tmp_path):  # noqa: F811
    """«--to "a@b.c, d@e.f"» was sent to a@b.c alone, «sendt til a@b.c», exit 0 (parseaddr kept the
    first); «--to "not an address"» to «not», exit 0; «--to ''» exited 1. A list goes to all of it,
    the line names them all; a value that is not an address is refused, exit 2, nothing sent."""
    inbox = Inbox()
    env = _smtp_config(tmp_path, smtp_server(inbox).port, "Tracker <tracker@example.org>")
    result = run(world, "--send", "--to", "kari@example.org, Per Hansen <per@example.org>", env=env)
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines()[-1] == "sendt til kari@example.org, per@example.org"
    assert [rcpts for _, rcpts, _ in inbox.messages] == [["kari@example.org", "per@example.org"]]
    to = email.message_from_bytes(inbox.messages[0][2], policy=policy.default)["To"]
    assert [a.addr_spec for a in to.addresses] == ["kari@example.org", "per@example.org"]
    for typed, said in (("not an address", "'not an address'"), ("ola@example.org; ida@example.org",
                                                                   "'ola@example.org; ida@example.org'")):
        refused = run(world, "--send", "--to", typed, env=env)
        assert refused.exit_code == 2, refused.output
        assert refused.stderr.splitlines()[-1] == (f"feil: ugyldig verdi for --to: ikke en e-postadresse: {said} "
                                                   "(navn@example.org, eller flere skilt med komma)")
    empty = run(world, "--send", "--to", "", env=env)  # as every option typed empty (support.refuse_empty)
    assert empty.exit_code == 2 and empty.stderr.splitlines()[-1] == (
        "feil: ugyldig verdi for --to: en tom verdi (utelat valget hvis du ikke mener noen)")
    # one bad address in a list refuses the whole list: nobody is mailed
    refused = run(world, "--send", "--to", "ola@example.org, ola", "--to", "ida@", "--again", "--lang", "en", env=env)
    assert refused.exit_code == 2
    assert refused.stderr.splitlines()[-1] == ("error: invalid value for --to: not e-mail addresses: 'ola', 'ida@' "
                                               "(name@example.org, or several separated by commas)")
    assert len(inbox.messages) == 1
    db = open_db(world)
    assert [r["path"] for r in db.query("select path from digests")] == [
        "mailto:kari@example.org,per@example.org"]
    db.close()


@pytest.mark.usefixtures("morning_after")  # a send of the morning's digest: its crawl is fresh
def test_a_profiles_recipients_are_read_as_to_is(world, smtp_server, tmp_path, data_dir):  # noqa: F811
    """The profile's recipients go through --to's reading: a list in one entry is every address of
    it; an entry that is no address refuses the profile (exit 2), so nothing is sent."""
    inbox = Inbox()
    port = smtp_server(inbox).port
    config = tmp_path / "ncp-tracker.toml"  # data_dir's file, with the test's server
    config.write_text(config.read_text("utf-8") + f'[smtp]\nhost = "127.0.0.1"\nport = {port}\nstarttls = false\n',
                      "utf-8")
    profiles = data_dir / "profiles.toml"
    profiles.write_text('[profiles.ncp]\nrecipients = ["kari@example.org, per@example.org", "ida@example.org"]\n',
                        "utf-8")
    result = run(world, "--send", env={"NCP_TRACKER_CONFIG": str(config)})
    assert result.exit_code == 0, result.output
    assert [rcpts for _, rcpts, _ in inbox.messages] == [["kari@example.org", "per@example.org", "ida@example.org"]]
    profiles.write_text('[profiles.ncp]\nrecipients = ["kari@example.org", "radgiverne"]\n', "utf-8")
    result = run(world, "--send", "--again", env={"NCP_TRACKER_CONFIG": str(config)})
    assert (result.exit_code, result.stderr) == (2, "feil: profilen «ncp»: recipients: ikke en e-postadresse: "
                                                    "'radgiverne' (navn@example.org, eller flere skilt med komma)\n")
    assert len(inbox.messages) == 1
