"""The horizon (tracker/attention/horizon.py), its two e-mail views and `ncp-tracker horizon`, on the bundled days."""

from __future__ import annotations

import email
import os
import subprocess
import sys
from datetime import date, datetime
from email import policy

import pytest
from click.testing import CliRunner
from support import ROOT
from test_mailer import Inbox, smtp_server  # noqa: F401 - fixture

from crawlers.dates import OSLO
from tracker.attention.horizon import Dated, grouped, horizon, watchlist_dates
from tracker.attention.horizon_views import ViewError, load_view, load_views, render
from tracker.cli import main
from tracker.links.watchlist import load as load_watchlist
from tracker.store.db import open_db

pytestmark = pytest.mark.slow
SOURCES = ("no_regjeringen_horinger", "no_stortinget_horinger", "eu_haveyoursay", "eu_oeil", "oecd_ncp_cases",
           "no_etikkradet")
DAY2 = datetime(2026, 11, 24, 6, tzinfo=OSLO)


@pytest.fixture(scope="module")
def replayed(tmp_path_factory):
    """The bundled days 23 and 24 Nov 2026 replayed (these sources) through the real engine."""
    path = tmp_path_factory.mktemp("horizon") / "h.db"
    env = {**os.environ, "NCP_TRACKER_DB": str(path)}
    for day in ("2026-11-23", "2026-11-24"):
        args = [sys.executable, "-m", "tracker", "run", "--replay", f"data/replay/{day}", "--no-digest",
                "--no-progress", "--allow-red", *[a for s in SOURCES for a in ("--source", s)]]
        done = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr[-3000:]
    return path


@pytest.fixture
def db(replayed):
    database = open_db(replayed, migrate=False)
    yield database
    database.close()


def test_dates_ahead_of_every_kind(db):
    entries = horizon(db, DAY2, weeks=12)
    assert entries and all(DAY2.date() <= e.day < date(2027, 2, 16) for e in entries)
    assert entries == sorted(entries, key=lambda e: (e.day, e.at, e.what, e.title))
    kinds = {e.what for e in entries}
    assert {"hearing_deadline", "storting_deadline", "storting_hearing", "eu_feedback", "application"} <= kinds
    hearing = next(e for e in entries if e.what == "storting_hearing" and "åpenhetsloven" in e.title)
    assert hearing.day == date(2026, 12, 3) and "Høringssal" in hearing.detail


def test_only_followed_items_unless_all(db):
    followed = horizon(db, DAY2, weeks=12)
    everything = horizon(db, DAY2, weeks=12, followed_only=False)
    assert len(everything) > len(followed)
    ids = {e.item_id for e in followed if e.item_id}
    rows = {r["id"]: r for r in db.query("select id, relevant, labels, ncp_consultee from items")}
    watched = {r["item_id"] for r in db.query("select item_id from refs where ref like 'watch:%'")}
    assert all(rows[i]["relevant"] or rows[i]["labels"] not in (None, "[]") or rows[i]["ncp_consultee"]
               or i in watched for i in ids)
    assert any(not rows[e.item_id]["relevant"] for e in everything if e.item_id)


def test_withdrawn_and_vanished_items_have_no_dates(db):
    gone = {r["id"] for r in db.query("select id from items where status = 'withdrawn' or vanished_at is not null")}
    assert gone and not gone & {e.item_id for e in horizon(db, DAY2, weeks=52, followed_only=False)}


def test_grouped_by_week_and_month():
    entries = [Dated(day=date(2026, 11, 30), at="2026-11-30", what="deadline", title="a"),
               Dated(day=date(2026, 12, 6), at="2026-12-06", what="deadline", title="b"),
               Dated(day=date(2027, 1, 4), at="2027-01-04", what="deadline", title="c")]
    assert [label for label, _ in grouped(entries, "week")] == ["Uke 49 (30. nov – 6. des)", "Uke 1 (4. jan – 10. jan)"]
    assert [label for label, _ in grouped(entries, "month", "en")] == ["November 2026", "December 2026", "January 2027"]
    assert [len(g) for _, g in grouped(entries, "week")] == [2, 1]
    assert [len(g) for _, g in grouped(entries, "month")] == [1, 1, 1]
    with pytest.raises(ValueError):
        grouped(entries, "day")


def test_watchlist_application_dates():
    dates = {(e.title.split(":")[0], e.day) for e in watchlist_dates(load_watchlist())}
    assert ("EUDR", date(2026, 12, 30)) in dates and ("EUDR", date(2027, 6, 30)) in dates


def test_week_view_text_and_html(db):
    view = load_view("uka_som_kommer")
    monday = datetime(2026, 11, 30, 7, tzinfo=OSLO)
    r = render(db, view, monday)
    assert r.subject.startswith("Uka som kommer: man. 30. november – søn. 6. desember 2026 (")
    assert all(date(2026, 11, 30) <= e.day <= date(2026, 12, 6) for e in r.entries) and r.entries
    assert "== Uke 49 (30. nov – 6. des) ==" in r.text
    assert "tor. 3. desember: Høring i Stortinget – Komitéhøring: Endringer i åpenhetsloven" in r.text
    assert "<h2>Uke 49 (30. nov – 6. des)</h2>" in r.html and "&lt;" not in r.subject


def test_month_view_english(db):
    r = render(db, load_view("neste_tre_maaneder"), datetime(2026, 12, 1, 7, tzinfo=OSLO), lang="en")
    assert r.subject.startswith("The next three months: Tue 1 December – Sun 28 February 2027")
    assert "== December 2026 ==" in r.text and "== January 2027 ==" in r.text
    assert max(e.day for e in r.entries) < date(2027, 3, 1)


def test_views_are_due_on_their_days():
    views = load_views()
    assert views["uka_som_kommer"].due(date(2026, 11, 30)) and not views["uka_som_kommer"].due(date(2026, 12, 1))
    assert views["neste_tre_maaneder"].due(date(2026, 12, 1)) and not views["neste_tre_maaneder"].due(date(2026, 12, 2))


def test_broken_views_file_is_one_clear_error(tmp_path):
    path = tmp_path / "horizon.toml"
    path.write_text('[horizon.x]\ntitle = "x"\nweeks = 1\nmonths = 2\n', "utf-8")
    with pytest.raises(ViewError, match="exactly one of weeks or months"):
        load_views(path)
    with pytest.raises(ViewError, match="known views: neste_tre_maaneder, uka_som_kommer"):
        load_view("nope")


def cli(path, *args, env=None):
    return CliRunner().invoke(main, ["--db", str(path), "horizon", *args], env=env or {}, catch_exceptions=False)


def test_cli_by_month_and_jsonl(replayed):
    result = cli(replayed, "--as-of", "2026-11-24", "--by", "month")
    assert result.exit_code == 0, result.output
    assert "november 2026" in result.output and "desember 2026" in result.output
    lines = cli(replayed, "--as-of", "2026-11-24", "--format", "jsonl", "--weeks", "2").output.splitlines()
    assert lines and all('"label"' in line for line in lines)


def test_cli_send_nothing_due_says_so(replayed):
    result = cli(replayed, "--as-of", "2026-11-24", "--send")
    assert result.exit_code == 0 and "no horizon view is due on 2026-11-24" in result.output
    assert "nothing sent" in result.output


def test_cli_send_on_monday_to_a_local_server(replayed, smtp_server, tmp_path):  # noqa: F811
    inbox = Inbox()
    controller = smtp_server(inbox)
    config = tmp_path / "smtp.toml"
    config.write_text(f'[smtp]\nhost = "127.0.0.1"\nport = {controller.port}\nstarttls = false\n', "utf-8")
    result = cli(replayed, "--as-of", "2026-11-30", "--send", "--to", "radgiver@example.org",
                 env={"NCP_TRACKER_CONFIG": str(config)})
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "sent uka_som_kommer to radgiver@example.org"
    [(_, rcpts, raw)] = inbox.messages
    msg = email.message_from_bytes(raw, policy=policy.default)
    assert rcpts == ["radgiver@example.org"] and str(msg["Subject"]).startswith("Uka som kommer: man. 30. november")
    text = msg.get_body(("plain",)).get_content()
    html = msg.get_body(("html",)).get_content()
    assert "Høring i Stortinget" in text and "<h2>Uke 49" in html


def test_cli_send_without_smtp_is_an_error(replayed, data_dir):
    result = cli(replayed, "--as-of", "2026-12-01", "--send")
    assert result.exit_code != 0 and "no SMTP server configured" in result.output


def test_oecd_cases_through_the_engine_green_with_day_two_events(db):
    health = list(db.query("select status, reason from health where source = 'oecd_ncp_cases' order by rowid desc limit 1"))
    assert health and health[0]["status"] == "green", health
    events = {(e["item_id"], e["kind"], e["after"]) for e in db.query(
        "select item_id, kind, after from events where item_id like 'oecd_ncp_cases:%' and kind != 'new'")}
    assert ("oecd_ncp_cases:uk0112", "stage_changed", "final_statement") in events
    assert ("oecd_ncp_cases:uk0112", "status_changed", "closed") in events
    assert ("oecd_ncp_cases:nl0050", "stage_changed", "accepted") in events
    new = {e["item_id"] for e in db.query("select item_id from events where kind = 'new' and at like '2026-11-24%'")}
    assert "oecd_ncp_cases:fr0021" in new


def test_flagged_cases_on_the_bundled_days(db):
    from tracker.links.ncp_cases import flagged_cases

    flagged = {c["id"]: c for c in flagged_cases(db)}
    assert set(flagged) == {"oecd_ncp_cases:cl0045", "oecd_ncp_cases:uk0112", "oecd_ncp_cases:br0019"}
    assert "identifisert for Norges Banks eierskapsutøvelse" in flagged["oecd_ncp_cases:cl0045"]["reason"]
    assert "norsk selskap" in flagged["oecd_ncp_cases:br0019"]["reason"]
    # after day 1 (06:00 Oslo = 05:00 UTC): only what day 2 brought
    assert [c["id"] for c in flagged_cases(db, since="2026-11-23T05:00:00+00:00")] == ["oecd_ncp_cases:uk0112"]
