"""The horizon (tracker/attention/horizon.py), its two e-mail profiles (uka_som_kommer, neste_tre_maneder) and
`ncp-tracker horizon`, on the bundled days; there too, the other terminal views (`inbox`, `health`, `gpfg`,
`watchlist`) in Bokmål and English."""

from __future__ import annotations

import email
import json
import os
import re
import subprocess
import sys
from datetime import date, datetime
from email import policy
from html import escape

import pytest
from click.testing import CliRunner
from support import ROOT
from test_digest_output_guard import CODES, JUNK, URL, visible
from test_mailer import Inbox, smtp_server  # noqa: F401 - fixture

from crawlers.dates import OSLO
from tracker.attention.horizon import DUE, WHAT, Dated, grouped, horizon, watchlist_dates
from tracker.attention.profiles import load_profile
from tracker.cli import main
from tracker.i18n import format_date, format_long_date
from tracker.links.watchlist import load as load_watchlist
from tracker.store.db import open_db

pytestmark = pytest.mark.slow
DAY2 = datetime(2026, 11, 24, 6, tzinfo=OSLO)


@pytest.fixture(scope="module")
def replayed(tmp_path_factory):
    """Every bundled day (23 and 24 Nov 2026) replayed by `ncp-tracker demo` through the real engine."""
    folder = tmp_path_factory.mktemp("horizon")
    path = folder / "h.db"
    args = [sys.executable, "-m", "tracker", "--db", str(path), "demo", "--out", str(folder / "out"), "--no-progress"]
    done = subprocess.run(args, cwd=ROOT, env=dict(os.environ), capture_output=True, text=True, timeout=600)
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
    # every kind, also those the query finds by an item's kind and extra (a committee hearing's
    # times, a consultation's opening day, an EU procedure's forecasts)
    assert {"hearing_deadline", "storting_deadline", "storting_hearing", "storting_request", "eu_feedback",
            "eu_feedback_opens", "eu_forecast", "application"} <= kinds
    hearing = next(e for e in entries if e.what == "storting_hearing" and "åpenhetsloven" in e.title)
    assert hearing.day == date(2026, 12, 3) and "Høringssal" in hearing.detail
    # the deadline to ask to speak at it was not on the horizon (nor in the week mail) at all
    ask = next(e for e in entries if e.what == "storting_request" and "åpenhetsloven" in e.title)
    assert ask.day == date(2026, 11, 26) and ask.label("nb") == "Frist for å be om å delta, Stortinget"


@pytest.mark.parametrize("whats", [frozenset({w}) for w in WHAT] + [DUE], ids=lambda w: "+".join(sorted(w)))
def test_the_dates_of_some_kinds_are_those_of_every_date_of_those_kinds(db, whats):
    """`horizon(whats=…)` (the digest's GPFG section asks for due dates only) gives exactly the dates of
    those kinds the whole horizon gives — and reads only the items that can have one: the due
    dates' query has no part for hearing times, opening days or forecasts (at a million items
    those parts were most of the digest's GPFG section)."""
    every = horizon(db, DAY2, weeks=12, followed_only=False)
    queries: list[str] = []
    db.conn.set_trace_callback(queries.append)
    try:
        some = horizon(db, DAY2, weeks=12, followed_only=False, whats=whats)
    finally:
        db.conn.set_trace_callback(None)
    assert some == [e for e in every if e.what in whats]
    if whats == DUE:
        assert some and {e.what for e in some} >= {"hearing_deadline", "storting_request", "eu_feedback"}
        read = next(q for q in queries if "from items where" in q)
        assert "forecasts" not in read and '"opens"' not in read


def test_a_storting_cases_hearing_deadline_without_a_committee_hearing_item(db):
    """A representantforslag on the fund had its hearing deadline («Høringsfrist i saken»,
    its saksgang's HOERFRIST) only as a line of its text: the committee had published no hearing
    for it, so no date of it was on the horizon, in the week mail or the digest's dates ahead."""
    entries = horizon(db, DAY2, weeks=12)
    case = [(e.day, e.what, e.label("nb"), e.label("en")) for e in entries if e.item_id == "no_stortinget_spu:107095"]
    assert case == [(date(2026, 12, 7), "storting_case_deadline", "Høringsfrist i saken, Stortinget",
                     "Storting: hearing deadline of the case")]
    # a case whose hearing a committee hearing item holds (extra.case_ids): its dates once, that item's
    both = db.execute("select extra from items where id = 'no_stortinget_spu:107131'").fetchone()[0]
    assert '"hearing_deadline"' in both and '"hearing"' in both
    assert not [e for e in entries if e.item_id == "no_stortinget_spu:107131"]
    assert any(e.item_id == "no_stortinget_horinger:sak-107131" and e.what == "storting_hearing" for e in entries)


def test_which_cases_a_committee_hearing_item_holds_as_known_on_a_day(db):
    """The one rule the horizon and the calendar share: a committee hearing's `extra.case_ids`,
    among the hearings known once event `upto` was recorded (a hearing first recorded later holds
    nothing yet)."""
    from tracker.store.queries import cases_with_hearing_items

    assert cases_with_hearing_items(db, ["107131", "107095", "nope"]) == {"107131"}
    assert cases_with_hearing_items(db, []) == set()
    (new_at,) = db.execute("select id from events where item_id = 'no_stortinget_horinger:sak-107131' "
                           "and kind = 'new'").fetchone()
    assert cases_with_hearing_items(db, ["107131"], upto=new_at - 1) == set()
    assert cases_with_hearing_items(db, ["107131"], upto=new_at) == {"107131"}


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


def test_an_item_an_adviser_set_aside_as_not_relevant_leaves_the_horizon(replayed, tmp_path):
    """An EU consultation an adviser marked «ikke relevant» stayed among the dates «blant det
    Kontaktpunktet følger» (and in the week mail), though the digest, search and the calendar
    leave it out; an item an adviser follows is on it, relevant or not."""
    import shutil

    from tracker.workbench import triage

    path = tmp_path / "h.db"
    shutil.copy(replayed, path)
    db = open_db(path, migrate=False)
    try:
        before = horizon(db, DAY2, weeks=12)
        assert any(e.item_id == "eu_haveyoursay:18830" for e in before)
        triage.set_state(db, "eu_haveyoursay:18830", "not_relevant", by="Kari")
        after = horizon(db, DAY2, weeks=12)
        assert not [e for e in after if e.item_id == "eu_haveyoursay:18830"]
        assert [e for e in horizon(db, DAY2, weeks=12, followed_only=False) if e.item_id == "eu_haveyoursay:18830"]
        everything = horizon(db, DAY2, weeks=12, followed_only=False)
        unfollowed = sorted({e.item_id for e in everything if e.item_id} - {e.item_id for e in after if e.item_id})
        assert unfollowed
        triage.set_state(db, unfollowed[0], "respond", owner="Kari", by="Kari")
        assert any(e.item_id == unfollowed[0] for e in horizon(db, DAY2, weeks=12))
    finally:
        db.close()


def test_an_advisers_internal_deadline_is_on_the_horizon_and_in_the_week_mail(replayed, tmp_path):
    """The Monday mail listed every source's date but not the one an adviser set herself ("utkast
    til Kari innen tirsdag"): the internal deadline is now a date ahead while the item is worked on."""
    import shutil

    from tracker.workbench import triage

    path = tmp_path / "h.db"
    shutil.copy(replayed, path)
    db = open_db(path)
    mine, dropped = "regjeringen:3150100", "regjeringen:3172240"
    triage.set_state(db, mine, "respond", by="kari")
    triage.set_state(db, mine, "assigned", owner="Kari", internal_deadline="2026-12-01", by="kari")
    triage.set_state(db, dropped, "not_relevant", internal_deadline="2026-12-02", by="kari")  # set aside: no date
    entries = [e for e in horizon(db, DAY2, weeks=2) if e.what == "internal_deadline"]
    assert [(e.item_id, e.day, e.label("nb"), e.label("en")) for e in entries] == [
        (mine, date(2026, 12, 1), "Utkast innen (Kari)", "Draft due (Kari)")]
    monday = datetime(2026, 11, 30, 6, tzinfo=OSLO)
    import tracker.digest as digest

    text = digest.render_text(digest.build_digest(db, as_of=monday, profile="uka_som_kommer"))
    assert "- tir. 01.12.2026 – Utkast innen (Kari) — Høring – gjennomføring av aktsomhetsdirektivet" in text
    db.close()


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



def test_the_watchlist_dates_read_in_the_readers_language():
    """The Bokmål horizon showed EUDR's English note «Applies 30 Dec 2026 (large) …» beside a Bokmål
    one: each date's clause in the reader's note (the dates still read from the English note)."""
    nb = {(e.title.split(":")[0], e.day): e.detail for e in watchlist_dates(load_watchlist(), "nb")}
    en = {(e.title.split(":")[0], e.day): e.detail for e in watchlist_dates(load_watchlist(), "en")}
    assert sorted(day for _, day in nb) == sorted(day for _, day in en)
    eudr = ("Gjelder fra 30. desember 2026 (store foretak) og 30. juni 2027 (mikro- og småforetak) etter den andre "
            "utsettelsen og den målrettede revisjonen (desember 2025)")
    assert nb[("EUDR", date(2026, 12, 30))] == nb[("EUDR", date(2027, 6, 30))] == eudr
    assert en[("EUDR", date(2026, 12, 30))].startswith("Applies 30 Dec 2026 (large) and 30 June 2027")
    assert nb[("CSDDD", date(2028, 7, 26))] == "gjennomføringsfrist 26. juli 2028, anvendes fra juli 2029"
    assert en[("CSDDD", date(2028, 7, 26))] == "transposition 26 July 2028, application July 2029"
    # the file by its name in the reader's words (it was «Forced Labour Regulation: …» in Bokmål too)
    assert nb[("Tvangsarbeidsforordningen", date(2027, 12, 14))] == "gjelder fra 14. desember 2027"
    assert en[("Forced Labour Regulation", date(2027, 12, 14))] == "applies 14 Dec 2027"
    # titled «Tvangsarbeidsforordningen: Regulation on prohibiting …» in Bokmål, unmarked: now by the
    # Bokmål name alone; a file without one by its name and the EU's title, said to be English
    titles = {(e.title, e.language) for e in watchlist_dates(load_watchlist(), "nb")}
    assert ("Tvangsarbeidsforordningen", None) in titles and ("EUDR: Deforestation Regulation", "en") in titles
    assert not any(t.startswith("Forced Labour") for t, _ in titles)
    english = {(e.title, e.language) for e in watchlist_dates(load_watchlist(), "en")}
    assert ("Forced Labour Regulation: Regulation on prohibiting products made with forced labour on the Union "
            "market", "en") in english
    # a watchlist without Bokmål notes: the English clause
    from crawlers.watchlist_file import parse

    (old,) = parse('[[file]]\nid = "x"\nname = "X"\ncelex = "32024L1760"\nnote = "Applies 14 Dec 2027."\n')
    assert [(e.day, e.detail) for e in watchlist_dates([old], "nb")] == [(date(2027, 12, 14), "Applies 14 Dec 2027")]


def test_the_terminal_horizon_and_the_three_month_mail_give_the_bokmal_note(replayed):
    """`horizon` and the nb neste_tre_maneder mail printed «Applies 30 Dec 2026 (large) …»."""
    nb = cli(replayed, "horizon", "--as-of", "2026-11-24T07:00", "--all")
    en = cli(replayed, "horizon", "--as-of", "2026-11-24T07:00", "--all", "--lang", "en")
    assert "              Gjelder fra 30. desember 2026 (store foretak) og 30. juni 2027" in nb.stdout
    assert "Applies 30 Dec" not in nb.stdout and "Gjelder fra" not in en.stdout
    assert "              Applies 30 Dec 2026 (large) and 30 June 2027 (micro/small)" in en.stdout
    mail = cli(replayed, "digest", "--profile", "neste_tre_maneder", "--date", "2026-11-24", "--format", "md")
    assert mail.exit_code == 0, mail.output
    assert "Gjelder fra 30. desember 2026 (store foretak)" in mail.output and "Applies 30 Dec" not in mail.output


MONDAY = date(2026, 11, 23)  # a bundled day, and a Monday


def cli(path, *args, env=None):
    return CliRunner().invoke(main, ["--db", str(path), *args], env=env or {}, catch_exceptions=False)


def mail_parts(raw: bytes):
    msg = email.message_from_bytes(raw, policy=policy.default)
    return msg, msg.get_body(("plain",)).get_content(), msg.get_body(("html",)).get_content()


def expected(db, profile: str, day: date):
    """The horizon's dates for the profile's span, computed here from tracker.attention.horizon, from
    the items as they stood at 06:00 that day (the mail of a day before the last crawl is that day's)."""
    from tracker.store.queries import last_event_id

    prof = load_profile(profile)
    start, end = prof.horizon_span(day)
    as_of = datetime.combine(day, datetime.min.time(), OSLO).replace(hour=6)
    return horizon(db, as_of, profile=prof, end=end, upto=last_event_id(db, as_of))


def test_the_week_mail_on_a_monday_has_the_weeks_dates_in_both_parts(replayed, db, tmp_path):
    out = tmp_path / "uka.eml"
    result = cli(replayed, "digest", "--profile", "uka_som_kommer", "--date", MONDAY.isoformat(), "--format", "eml",
                 "--out", str(out))
    assert result.exit_code == 0, result.output
    msg, text, html = mail_parts(out.read_bytes())
    dates = expected(db, "uka_som_kommer", MONDAY)
    assert dates and all(MONDAY <= d.day < date(2026, 11, 30) for d in dates)
    assert str(msg["Subject"]) == f"Uka som kommer man. 23.11.2026: {len(dates)} datoer fremover"
    assert f"Uke 48 (23. nov – 29. nov) ({len(dates)})" in text and f"Uke 48 (23. nov – 29. nov) ({len(dates)})" in html
    for d in dates:  # every date of the week, with its day (and time) and what it is, in both parts
        day = "i dag" if d.day == MONDAY else re.escape(format_date(d.day, "nb"))
        line = day + r"(?: kl\. \d\d\.\d\d)? – " + re.escape(d.label("nb"))
        assert re.search(line + " — " + re.escape(d.title), text), line
        assert re.search(line, html) and (d.title in html or escape(d.title) in html), line
    # nothing of the next week (the Storting hearing on 3 December), and none of the morning digest's sections
    assert "Høring i Stortinget" not in text and "TRENGER INNSPILL" not in text and "Trenger innspill" not in html
    assert "Datoer i EØS-komiteen er ikke med" in text  # what the horizon cannot show is said
    for fmt, body in (("txt", text), ("html", html.encode())):
        seen = visible(fmt, body if isinstance(body, bytes) else body.encode())
        assert not JUNK.search(URL.sub("", seen)) and not CODES.search(URL.sub("", seen)), fmt


def test_the_terminal_views_of_an_earlier_day_show_the_items_as_they_stood(replayed):
    """`horizon --as-of` and `inbox --as-of` a day back gave today's items: a hearing first seen the
    next day, deadlines moved since, and not the consultations closed since."""
    result = cli(replayed, "horizon", "--as-of", "2026-11-23T07:00", "--weeks", "1", "--format", "jsonl")
    assert result.exit_code == 0, result.output
    dates = [json.loads(line) for line in result.output.splitlines()]
    titles = {d["title"] for d in dates if d["day"] == "2026-11-23"}
    assert any(t.startswith("Conflict minerals") for t in titles), titles  # closed on the 24th
    result = cli(replayed, "inbox", "--as-of", "2026-11-23T07:00")
    assert result.exit_code == 0, result.output
    batteries = next(line for line in result.output.splitlines() if "eu_haveyoursay:18834" in line)
    assert "tor. 03.12.2026" in batteries  # moved to the 17th on the 24th
    assert "regjeringen:3150692" in result.output  # closed on the 24th
    assert "regjeringen:3172240" not in result.output  # first seen on the 24th
    now = cli(replayed, "inbox", "--as-of", "2026-11-24T07:00")
    assert "regjeringen:3172240" in now.output and "regjeringen:3150692" not in now.output


def test_the_week_mail_in_english(replayed):
    result = cli(replayed, "digest", "--profile", "uka_som_kommer", "--date", MONDAY.isoformat(), "--format", "txt",
                 "--lang", "en")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("The week ahead – Monday 23 November 2026")
    # as things stood that Monday: two consultations closed on the Tuesday were due that day
    assert "Week 48 (23 Nov – 29 Nov) (5)" in result.output
    assert "- today – EU feedback deadline — Conflict minerals – review of the Regulation" in result.output
    assert "- Thu 26 Nov 2026 12:00 – Storting: deadline to ask to speak — Komitéhøring: Endringer i åpenhetsloven" in result.output
    assert "- Tue 24 Nov 2026 – Consultation deadline — Høring – endringer i verdipapirhandelloven" in result.output
    assert "EEA Joint Committee dates are not included" in result.output


def test_the_three_month_profile_groups_by_month(replayed, db):
    day = date(2026, 11, 24)
    dates = expected(db, "neste_tre_maneder", day)
    assert max(d.day for d in dates) < date(2027, 2, 1) and any(d.day.month == 1 for d in dates)
    for lang, months in (("nb", ["november 2026", "desember 2026", "januar 2027"]),
                         ("en", ["November 2026", "December 2026", "January 2027"])):
        result = cli(replayed, "digest", "--profile", "neste_tre_maneder", "--date", day.isoformat(), "--format", "md",
                     "--lang", lang)
        assert result.exit_code == 0, result.output
        headings = [line[4:] for line in result.output.splitlines() if line.startswith("### ")]
        counts = [sum(1 for d in dates if d.day.month == m) for m in (11, 12, 1)]
        assert headings == [f"{m} ({n})" for m, n in zip(months, counts, strict=True)]
        assert "Uke " not in result.output and "Week " not in result.output


def test_send_on_monday_to_a_local_server(replayed, smtp_server, tmp_path):  # noqa: F811
    inbox = Inbox()
    controller = smtp_server(inbox)
    config = tmp_path / "smtp.toml"
    config.write_text(f'[smtp]\nhost = "127.0.0.1"\nport = {controller.port}\nstarttls = false\n', "utf-8")
    env = {"NCP_TRACKER_CONFIG": str(config)}
    result = cli(replayed, "digest", "--profile", "uka_som_kommer", "--date", MONDAY.isoformat(), "--send",
                 "--to", "radgiver@example.org", env=env)
    assert result.exit_code == 0, result.output
    assert "sendt til radgiver@example.org" in result.output
    [(_, rcpts, raw)] = inbox.messages
    msg, text, html = mail_parts(raw)
    assert rcpts == ["radgiver@example.org"] and str(msg["Subject"]).startswith("Uka som kommer man. 23.11.2026: 5 datoer")
    assert "tir. 24.11.2026 – Høringsfrist" in text
    assert "Uke 48 (23. nov – 29. nov) (5)" in visible("html", html.encode()) and "<h3 " in html

    # Tuesday: not due. A daily cron line sends nothing, says so, and exits 0 (not a failure)
    result = cli(replayed, "digest", "--profile", "uka_som_kommer", "--date", "2026-11-24", "--send", env=env)
    assert result.exit_code == 0, result.output
    assert ("uka_som_kommer sendes på mandager; tir. 24.11.2026 er ikke en slik dag: ingenting sendt (--any-day "
            "sender likevel)\n") in result.output
    assert len(inbox.messages) == 1
    # --any-day sends it anyway
    result = cli(replayed, "digest", "--profile", "uka_som_kommer", "--date", "2026-11-24", "--send", "--any-day",
                 "--to", "radgiver@example.org", env=env)
    assert result.exit_code == 0 and len(inbox.messages) == 2, result.output
    # the 1st of the month is due for the three-month mail, but a week after the last crawl the data is
    # out of date: red, exit 2, nothing sent
    result = cli(replayed, "digest", "--profile", "neste_tre_maneder", "--date", "2026-12-01", "--send", env=env)
    assert result.exit_code == 2 and "oversikten er ikke sendt" in result.output and len(inbox.messages) == 2


def test_without_date_a_scheduled_mail_is_todays(replayed, data_dir):
    """No --date: the week mail is of today (the bundled data is from November 2026, so on its due day
    it is out of date and refused; on any other day it is not due)."""
    today = datetime.now(OSLO).date()
    result = cli(replayed, "digest", "--profile", "uka_som_kommer", "--send")
    if today.weekday() == 0:
        assert result.exit_code == 2 and "oversikten er ikke sendt" in result.output, result.output
    else:
        assert result.exit_code == 0, result.output
        from tracker.i18n import format_date

        assert f"sendes på mandager; {format_date(today, 'nb')} er ikke en slik dag: ingenting sendt" in result.output
    shown = cli(replayed, "digest", "--profile", "uka_som_kommer", "--format", "txt")
    assert shown.exit_code == 2 and format_long_date(today, "nb") in shown.output.splitlines()[0]


def test_send_without_smtp_is_an_error(replayed, data_dir):
    result = cli(replayed, "digest", "--profile", "uka_som_kommer", "--date", MONDAY.isoformat(), "--send")
    assert result.exit_code != 0 and "ingen SMTP-server er satt opp" in result.output


def test_cli_by_month_and_jsonl(replayed):
    result = cli(replayed, "horizon", "--as-of", "2026-11-24", "--by", "month")
    assert result.exit_code == 0, result.output
    assert "november 2026" in result.output and "desember 2026" in result.output
    lines = cli(replayed, "horizon", "--as-of", "2026-11-24", "--format", "jsonl", "--weeks", "2").output.splitlines()
    assert lines and all('"label"' in line for line in lines)


def test_the_terminal_horizon_cuts_a_title_with_a_mark_and_keeps_its_columns(replayed):
    """`horizon` cut titles at 90 characters without a word: «… – Prop. 25 (Familie- og
    kulturkomiteen)» where the reference is «Prop. 25 L (2026-2027)», «… gjennomgangen i 2026 – M
    (Finanskomiteen)»; and «Frist for å be om å delta, Stortinget» (37 characters) pushed its
    title out of the 30-character column. A title is cut after a whole word with « …»; the
    titles start in one column."""
    for lang in ("nb", "en"):
        result = cli(replayed, "horizon", "--as-of", "2026-11-24T08:00", "--lang", lang)
        assert result.exit_code == 0, result.output
        rows = [line for line in result.output.splitlines()
                if re.match(r"  (\w+\. \d\d\.\d\d\.\d{4}|\w{3} \d{1,2} \w{3} \d{4})  ", line)]
        dates = [json.loads(line) for line in cli(replayed, "horizon", "--as-of", "2026-11-24T08:00", "--lang", lang,
                                                 "--format", "jsonl").output.splitlines()]
        assert len(rows) == len(dates) > 20
        starts = set()
        for row, d in zip(rows, dates, strict=True):
            start = row.index(d["label"]) + len(d["label"])
            start += len(row[start:]) - len(row[start:].lstrip(" "))
            starts.add(start)
            # the longest label too: «Frist for å be om å delta, Stortinget Komitéhøring: …» was one space from its title
            assert row[start - 2:start] == "  ", row
            shown = row[start:].removesuffix(f" ({d['owner']})" if d["owner"] else "")
            if shown != d["title"]:  # cut: whole words, then « …»
                assert shown.endswith(" …") and d["title"].startswith(shown[:-2]), (shown, d["title"])
                assert d["title"][len(shown) - 2] == " " and len(shown) <= 100
        assert len(starts) == 1, starts
    # (the English run's: the committee by its English name, vocabulary.sender_name)
    assert "– Prop. 25 L … (Standing Committee on Family and Cultural Affairs)" in result.output
    assert "– Prop. 25 (" not in result.output and "2026 – M (" not in result.output


def test_the_horizon_command_no_longer_mails(replayed):
    """One way to send mail: the horizon e-mails are digest profiles."""
    result = CliRunner().invoke(main, ["--db", str(replayed), "horizon", "--send"])
    assert result.exit_code == 2 and "feil: ingen valg heter '--send'" in result.output


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


def _consultation(opens: str) -> dict:
    return {"source": "eu_haveyoursay", "kind": "eu_consultation", "native_id": "19001",
            "title": "Corporate sustainability due diligence – guidance on stakeholder engagement",
            "url": "https://ec.europa.eu/info/law/better-regulation/have-your-say/initiatives/19001_en",
            "owner": "European Commission", "status_raw": "upcoming", "published": opens,
            "deadline": "2027-01-20T23:59:59+01:00", "extra": {"opens": opens}, "channel": "api"}


def _procedure(vote: str) -> dict:
    return {"source": "eu_oeil", "kind": "eu_procedure", "native_id": "2022/0051(COD)",
            "title": "Corporate sustainability due diligence – 2022/0051(COD)",
            "url": "https://oeil.secure.europarl.europa.eu/oeil/en/procedure-file?reference=2022/0051(COD)",
            "summary": "Stage: awaiting plenary.", "body": f"Forecasts:\n{vote} Indicative plenary sitting date",
            "extra": {"stage": "Awaiting plenary", "forecasts": [{"date": vote, "event": "Indicative plenary sitting date"}]},
            "channel": "html"}


@pytest.mark.parametrize(("make", "what", "day1_value", "day2_value"), [
    # an EU consultation's opening day: read from extra.opens, which no event sets back; now from
    # `published`, the same day (the spider's), whose change is recorded
    (_consultation, "eu_feedback_opens", "2026-12-01T00:00:00+01:00", "2026-12-15T00:00:00+01:00"),
    # an EU procedure's planned plenary vote: its forecasts had no change event (forecasts_changed now)
    (_procedure, "eu_forecast", "2026-12-15", "2027-01-20"),
])
def test_a_digest_of_an_earlier_day_has_the_dates_of_then(tmp_path, make, what, day1_value, day2_value):
    """A date moved on day 2: the horizon of day 1 (a digest written again later) gave day 2's."""
    from datetime import timedelta

    from tracker.store import merge as store
    from tracker.store.queries import last_event_id

    database = open_db(tmp_path / "t.db")
    day1 = DAY2 - timedelta(days=1)
    for at, value in ((day1, day1_value), (DAY2, day2_value)):
        item = make(value)
        run = store.start_run(database, as_of=at, mode="test", sources=[item["source"]])
        store.apply_scrape(database, run_id=run, as_of=at, source=item["source"], items=[item])
        store.finish_run(database, run, 0)
        if at == day1:
            upto = last_event_id(database, day1)

    def days(**kw) -> list[date]:
        return [e.day for e in horizon(database, day1, weeks=12, followed_only=False, watch_entries=[], **kw)
                if e.what == what]

    assert days(upto=upto) == [date.fromisoformat(day1_value[:10])]
    assert days() == [date.fromisoformat(day2_value[:10])]
    database.close()


# ---------------------------------------------------------------------------- the terminal views' language
# `inbox`, `health`, `gpfg` and `watchlist` printed English only (headings, columns, words, banners) while
# `horizon` and `action-plan` read in Bokmål: now all are Bokmål by default ([digest] lang), English with
# --lang en; their machine formats keep their keys.

FRESH, OLD = "2026-11-24T07:00", "2026-12-01T07:00"  # two hours after day 2's crawl; a week later


def columns(line: str) -> list[str]:
    return re.split(r"\s{2,}", line.strip())


def test_inbox_reads_in_bokmal_by_default_and_in_english_with_lang_en(replayed, tmp_path):
    said = {}
    for lang, header, starts, deadline, today, new in (
            ("nb", ["Uke", "Relevans", "Virkedager", "Frist", "Utkast innen", "Oppfølging", "Ansvarlig", "Id", "Tittel"],
             "denne uken  0,86 ", "tir. 01.12.2026 (be om å delta innen tor. 26.11.2026)", "tir. 24.11.2026 i dag", " ny "),
            ("en", ["Week", "Relevance", "Working days", "Deadline", "Draft due", "Follow-up", "Adviser", "Id", "Title"],
             "this week  0.86 ", "Tue 1 Dec 2026 (request to speak by Thu 26 Nov 2026)", "Tue 24 Nov 2026 today", " new ")):
        result = cli(replayed, "inbox", "--as-of", FRESH, *(["--lang", "en"] if lang == "en" else []))
        assert result.exit_code == 0 and result.stderr == "", result.output
        said[lang] = result.stdout
        lines = result.stdout.splitlines()
        assert columns(lines[0]) == header
        hearing = next(line for line in lines if "no_stortinget_horinger:sak-107130" in line)
        assert hearing.startswith(starts) and deadline in hearing and today in hearing and new in hearing
    assert any(line.startswith("senere      Kontaktpunktet ") for line in said["nb"].splitlines())  # a consultee: 1.00
    # the configuration's [digest] lang is the default, as for `horizon`
    config = tmp_path / "en.toml"
    config.write_text('[digest]\nlang = "en"\n', "utf-8")
    assert cli(replayed, "inbox", "--as-of", FRESH, env={"NCP_TRACKER_CONFIG": str(config)}).stdout == said["en"]
    # a week later: the same rows, and the banner in the reader's language (exit 2, as before)
    old = cli(replayed, "inbox", "--as-of", OLD)
    assert old.exit_code == 2 and old.stderr.startswith("feil: Siste vellykkede innhenting var tir. 24.11.2026")
    old_en = cli(replayed, "inbox", "--as-of", OLD, "--lang", "en")
    assert old_en.exit_code == 2 and old_en.stderr.startswith("error: The latest successful crawl was Tue 24 Nov 2026")


def test_health_reads_in_bokmal_by_default_and_in_english_with_lang_en(replayed):
    nb = cli(replayed, "health", "--as-of", FRESH)
    assert nb.exit_code == 0 and nb.stderr == "", nb.output
    lines = nb.stdout.splitlines()
    assert columns(lines[0]) == ["Kilde", "Kode", "Status", "Kanal", "Sett", "Ny", "Endret", "Tolkningsfeil",
                                 "Forespørsler", "Sjekket", "Årsak"]
    # the health page's words: the source by its name (its code beside it), the status, and the
    # reason as the digest gives it, naming the blocked page (not cut)
    finansdep = next(line for line in lines if " no_finansdep " in line)
    assert columns(finansdep)[:3] == ["Finansdepartementet (SPU)", "no_finansdep", "advarsel"]
    assert finansdep.endswith("1 detaljside blokkert (403/utfordring): «Redegjørelse i Stortinget 23. oktober»")
    assert columns(next(line for line in lines if " no_lovdata " in line))[:3] == ["Lovdata", "no_lovdata", "OK"]
    en = cli(replayed, "health", "--as-of", FRESH, "--lang", "en")
    assert en.exit_code == 0, en.output
    lines = en.stdout.splitlines()
    assert columns(lines[0]) == ["Source", "Code", "Status", "Channel", "Seen", "New", "Changed", "Parse errors",
                                 "Requests", "Checked", "Reason"]
    finansdep = next(line for line in lines if " no_finansdep " in line)
    assert columns(finansdep)[:3] == ["Ministry of Finance (GPFG)", "no_finansdep", "warning"]
    assert finansdep.endswith("1 detail page blocked (403/challenge): «Redegjørelse i Stortinget 23. oktober»")
    # a week later: not checked since, said in the banners (exit 2, as before), each source named
    # once there, not again in every row of the table
    old = cli(replayed, "health", "--as-of", OLD)
    assert old.exit_code == 2 and "tir. 24.11.2026 kl. 06.00" in old.stdout and "(ikke sjekket" not in old.stdout
    assert "advarsel: Ikke sjekket på over 36 timer: " in old.stderr
    assert old.stderr.startswith("feil: Siste vellykkede innhenting var tir. 24.11.2026")
    old_en = cli(replayed, "health", "--as-of", OLD, "--lang", "en")
    assert old_en.exit_code == 2 and "Tue 24 Nov 2026 06:00" in old_en.stdout and "(not checked" not in old_en.stdout
    assert old_en.stderr.startswith("error: The latest successful crawl was Tue 24 Nov 2026")
    # the machine format keeps its keys and codes in either language
    rows = [json.loads(line) for line in cli(replayed, "health", "--as-of", FRESH, "--format", "jsonl").stdout.splitlines()]
    assert {r["status"] for r in rows} == {"green", "amber"} and "status_" not in rows[0] and "checked_" not in rows[0]
    assert rows == [json.loads(line) for line in cli(replayed, "health", "--as-of", FRESH, "--format", "jsonl",
                                                     "--lang", "en").stdout.splitlines()]


def test_gpfg_reads_in_bokmal_by_default_and_in_english_with_lang_en(replayed):
    nb = cli(replayed, "gpfg", "--as-of", FRESH)
    assert nb.exit_code == 0 and nb.stderr == "", nb.output
    lines = nb.stdout.splitlines()
    # the GPFG page's names of actors and stages, the item's status and deadline in Bokmål
    assert lines[:2] == ["Finansdepartementet", "  Forslag / utredning"]
    assert "  Høring" in lines and "  Beslutning" in lines and "  Stortingsmelding" in lines and "Stortinget" in lines
    assert any(line.endswith("[åpen]  frist ons. 13.01.2027") for line in lines), lines
    assert any(re.match(r"\(uten dato\) {2,}Komitéhøring:", line.strip()) for line in lines)  # two spaces at least
    assert any(line.strip().startswith("relaterte saker: no_stortinget_spu:") for line in lines)
    en = cli(replayed, "gpfg", "--as-of", FRESH, "--lang", "en")
    assert en.exit_code == 0, en.output
    lines = en.stdout.splitlines()
    assert lines[:2] == ["Ministry of Finance (Finansdepartementet)", "  Proposal / study"]
    assert "  Hearing" in lines and "  White paper" in lines and "The Storting (Stortinget)" in lines
    assert any(line.endswith("[open]  deadline Wed 13 Jan 2027") for line in lines), lines
    assert any(line.strip().startswith("related: no_stortinget_spu:") for line in lines)
    # an empty filter says what it filtered, in the reader's words
    none = cli(replayed, "gpfg", "--as-of", FRESH, "--actor", "andre", "--stage", "white_paper")
    assert none.stdout == "ingen saker om styringen av SPU fra Andre i fasen stortingsmelding\n"
    none = cli(replayed, "gpfg", "--as-of", FRESH, "--actor", "andre", "--stage", "white_paper", "--lang", "en")
    assert none.stdout == "no GPFG governance items of Andre at stage white paper\n"
    old = cli(replayed, "gpfg", "--as-of", OLD)
    assert old.exit_code == 2 and old.stderr.startswith("feil: Siste vellykkede innhenting var tir. 24.11.2026")
    old_en = cli(replayed, "gpfg", "--as-of", OLD, "--lang", "en")
    assert old_en.exit_code == 2 and old_en.stderr.startswith("error: The latest successful crawl was Tue 24 Nov 2026")
    # the machine format keeps its keys and codes
    rows = [json.loads(line) for line in cli(replayed, "gpfg", "--as-of", FRESH, "--format", "jsonl").stdout.splitlines()]
    assert {r["stage"] for r in rows} >= {"proposal", "hearing", "decision"} and rows[0]["actor"] == "Finansdepartementet"


def test_watchlist_reads_in_bokmal_by_default_and_in_english_with_lang_en(replayed):
    nb = cli(replayed, "watchlist", "--as-of", FRESH)
    assert nb.exit_code == 0 and nb.stderr == "", nb.output
    csrd = nb.stdout.split("ESRS [esrs]")[0].splitlines()
    # the fields not checked by name, not the file's keys («ikke kontrollert: procedure, com»)
    assert csrd[1] == "  CELEX 32022L2464 · 2021/0104(COD) · COM(2021) 189  (ikke kontrollert: prosedyrenummer, COM-nummer)"
    assert "  fase: Behandlingen er avsluttet (siste nøkkelhendelse fre. 16.12.2022)" in csrd  # OEIL's stage by name, as events say it
    assert any(line.startswith("  siste hendelse: tir. 24.11.2026 ny: Consolidated text") for line in csrd), csrd
    assert "  Norsk sak: Bærekraftsrapportering (CSRD) — EØS-notater (regjeringen.no)" in csrd
    # a file named in words by its Bokmål name (an abbreviation reads the same: «CSRD [csrd]»)
    assert "Tvangsarbeidsforordningen [forced_labour]" in nb.stdout and "Forced Labour" not in nb.stdout
    sfdr = [line for line in nb.stdout.split("SFDR 2.0 (forslag) [sfdr_revision]")[1].split("\n", 6)[1:6]
            if not line.startswith("  merknad: ")]  # its note: below
    assert sfdr == ["  (ennå ikke CELEX-, prosedyre- eller COM-nummer)", "  fase: (ingen prosedyre)",
                    "  siste hendelse: —", "  Norsk sak: (ingen knyttet til ennå)"]
    en = cli(replayed, "watchlist", "--as-of", FRESH, "--lang", "en")
    assert en.exit_code == 0, en.output
    csrd = en.stdout.split("ESRS [esrs]")[0].splitlines()
    assert csrd[1] == "  CELEX 32022L2464 · 2021/0104(COD) · COM(2021) 189  (unverified: procedure number, COM number)"
    assert "  stage: Procedure completed (last key event Fri 16 Dec 2022)" in csrd
    assert any(line.startswith("  last event: Tue 24 Nov 2026 new: Consolidated text") for line in csrd), csrd
    assert "  NO: Bærekraftsrapportering (CSRD) — EEA notes (regjeringen.no)" in csrd
    sfdr = [line for line in en.stdout.split("SFDR 2.0 proposal [sfdr_revision]")[1].split("\n", 6)[1:6]
            if not line.startswith("  note: ")]
    assert sfdr == ["  (no CELEX, procedure or COM number yet)", "  stage: (no procedure)", "  last event: —",
                    "  NO: (no Norwegian item linked yet)"]
    old = cli(replayed, "watchlist", "--as-of", OLD)
    assert old.exit_code == 2 and old.stderr.startswith("feil: Siste vellykkede innhenting var tir. 24.11.2026")
    old_en = cli(replayed, "watchlist", "--as-of", OLD, "--lang", "en")
    assert old_en.exit_code == 2 and old_en.stderr.startswith("error: The latest successful crawl was Tue 24 Nov 2026")
    # the machine format keeps its keys and codes
    rows = [json.loads(line) for line in cli(replayed, "watchlist", "--as-of", FRESH, "--format", "jsonl").stdout.splitlines()]
    assert rows[0]["id"] == "csrd" and rows[0]["last_event"]["kind"] == "new" and rows[0]["norwegian"][0]["source"] == "no_eos_notater"


def test_the_watchlist_notes_read_in_bokmal_by_default_and_in_english_with_lang_en(replayed):
    """`watchlist` showed no note, the web's Bokmål page the English one: both now give the note in
    the reader's language (note_nb beside note in the watchlist)."""
    nb = cli(replayed, "watchlist", "--as-of", FRESH).stdout.splitlines()
    en = cli(replayed, "watchlist", "--as-of", FRESH, "--lang", "en").stdout.splitlines()
    csddd = nb.index("CSDDD [csddd]")
    assert nb[csddd + 2] == ("  merknad: Omnibus I: gjelder foretak med over 5 000 ansatte og over 1,5 mrd. euro i "
                             "omsetning; gjennomføringsfrist 26. juli 2028, anvendes fra juli 2029.")
    csddd = en.index("CSDDD [csddd]")
    assert en[csddd + 2] == ("  note: Omnibus I: scope >5,000 employees and >EUR 1.5 bn; transposition 26 July 2028, "
                             "application July 2029.")
    assert not [line for line in nb if line.startswith("  note:")]
    assert len([line for line in nb if line.startswith("  merknad: ")]) == len([e for e in load_watchlist() if e.note])


def test_no_dates_ahead_is_said_in_the_readers_language(replayed):
    """«no dates ahead among what the NCP follows (try --all)» stood in English under Bokmål banners."""
    far = "2027-09-01T07:00"  # after every date of the replayed days: nothing ahead (and the data old: exit 2)
    nb = cli(replayed, "horizon", "--as-of", far, "--weeks", "1")
    assert nb.exit_code == 2 and nb.stdout == "ingen datoer fremover blant det Kontaktpunktet følger (prøv --all)\n"
    en = cli(replayed, "horizon", "--as-of", far, "--weeks", "1", "--all", "--lang", "en")
    assert en.exit_code == 2 and en.stdout == "no dates ahead\n"


@pytest.mark.parametrize("command", [["horizon", "--as-of", "2026-11-24T08:00"], ["gpfg", "--as-of", "2026-11-24T08:00"],
                                     ["companies"], ["watchlist"], ["action-plan", "--as-of", "2026-11-24T08:00"]])
def test_the_terminal_views_wrap_between_words_in_a_narrow_terminal(replayed, monkeypatch, command):
    """At 80 columns the lines of `horizon` (177 characters), `gpfg`, `companies` and `watchlist`
    ran past the terminal's edge, which broke them anywhere, under the columns. Now a line longer
    than the terminal wraps between words, its next lines under the column its text goes on in (or
    under the day, where that leaves too little); the same words, none broken (a link longer than
    the terminal stays whole, on its own line), and piped, one line as before."""
    import tracker.cli.support as support

    piped = CliRunner().invoke(main, ["--db", str(replayed), *command]).stdout.splitlines()
    assert max(map(len, piped)) >= 80, piped
    monkeypatch.setattr(support, "terminal_columns", lambda err=False: 80)
    lines = CliRunner().invoke(main, ["--db", str(replayed), *command]).stdout.splitlines()
    assert len(lines) > len(piped)
    assert all(len(line) < 80 or len(line.split()) == 1 for line in lines), [x for x in lines if len(x) >= 80]
    assert " ".join(lines).split() == " ".join(piped).split()  # the same words, in order
    if command[0] == "horizon":  # the day and the label on a line, the title under them (at 80 the
        # title column left it ~20 characters)
        day = next(line for line in lines if line.startswith("  tir. 24.11.2026"))
        assert day.split() == ["tir.", "24.11.2026", "Høringsfrist"], day
        assert lines[lines.index(day) + 1].startswith(" " * 19 + "Høring – endringer i verdipapirhandelloven")
    # each piped line is a terminal line and the lines under it, indented, that finish its words
    pos = 0
    for whole in piped:
        said = lines[pos].split()
        pos += 1
        while said != whole.split():
            assert lines[pos].startswith("    ") and len(said) < len(whole.split()), (whole, lines[pos])
            said += lines[pos].split()
            pos += 1
    assert pos == len(lines)
