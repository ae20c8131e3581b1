"""Issue 13: a quiet digest must mean a quiet day. Every way of getting an empty, successful-looking
answer from wrong input is an error with a message (exit ≠ 0)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from test_mailer import Inbox, smtp_server  # noqa: F401 - fixture

from tracker.cli import main
from tracker.store.db import open_db


def cli(*args, env=None):
    return CliRunner().invoke(main, list(args), env=env or {}, catch_exceptions=False)


@pytest.mark.parametrize("command", [["digest"], ["items"], ["health"], ["inbox"], ["events"],
                                     ["search", "åpenhetsloven"], ["serve", "--port", "1"]])
def test_a_database_that_does_not_exist_is_refused_not_created(tmp_path, command):
    missing = tmp_path / "typo" / "trakcer.db"
    result = cli("--db", str(missing), *command)
    assert result.exit_code != 0
    assert f"Ingen database i {missing}" in result.output
    assert not missing.exists() and not missing.parent.exists()


def test_run_with_an_unknown_source_lists_the_valid_ones(tmp_path):
    result = cli("--db", str(tmp_path / "new.db"), "run", "--source", "no_stortinget_horingar", "--no-digest")
    assert result.exit_code != 0
    assert "ukjent kilde 'no_stortinget_horingar'" in result.output and "no_stortinget_horinger" in result.output


@pytest.mark.parametrize(("args", "hint"), [
    (["export", "--owner", "", "--format", "json"], "--owner"), (["search", "høring", "--owner", " "], "--owner"),
    (["export", "--query", ""], "--query"), (["export", "--new-since", ""], "--new-since"),
    (["triage", "regjeringen:3100001", "--state", ""], "--state"), (["digest", "--profile", ""], "--profile"),
    (["digest", "--date", ""], "--date"), (["events", "--since", ""], "--since"), (["inbox", "--as-of", ""], "--as-of"),
    (["draft", "regjeringen:3100001", "--out", ""], "--out"), (["answers", ""], "[ITEM]"),
])  # fmt: skip
def test_a_value_typed_empty_is_refused_not_read_as_the_option_left_out(world, args, hint):
    """«--owner ''» listed every adviser's items, «export --query ''» exported every item, «--date ''»
    was today's digest, «answers ''» started a live fetch of every answer — each exit 0. An empty
    value is refused, exit 2, nothing done."""
    result = cli("--db", str(world), *args)
    assert result.exit_code == 2, result.output
    assert result.stderr.splitlines()[-1] == f"feil: ugyldig verdi for {hint}: en tom verdi (utelat valget hvis du ikke mener noen)"


def test_an_empty_owner_of_triage_is_none(world):
    """`triage --owner ''` means no adviser (its `empty_ok`), as the web's empty field."""
    assert cli("--db", str(world), "triage", "regjeringen:3100001", "--state", "respond", "--owner", "Kari").exit_code == 0
    cleared = cli("--db", str(world), "triage", "regjeringen:3100001", "--owner", "")
    assert cleared.exit_code == 0 and "Kari" not in cleared.stdout, cleared.output


def test_an_adviser_typed_decomposed_is_the_same_adviser(world):
    """«Kåre» typed on a Mac arrives decomposed (a + combining ring): it was refused as an owner
    name with «'̊'» in it (or, before that, stored as a second «Kåre»: `inbox --owner Kåre` listed
    half of his items), and `users add` refused it as an invalid name. A name is composed (NFC)."""
    import json

    from tracker.workbench import accounts

    decomposed, composed = "Ka\u030are", "Kåre"
    assert cli("--db", str(world), "triage", "regjeringen:3100001", "--state", "respond", "--owner", decomposed).exit_code == 0
    assert cli("--db", str(world), "triage", "regjeringen:3100002", "--state", "respond", "--owner", composed).exit_code == 0
    for typed in (decomposed, composed):
        listed = cli("--db", str(world), "export", "--owner", typed, "--format", "json")
        assert listed.exit_code == 0, listed.output
        assert sorted(row["id"] for row in json.loads(listed.stdout)) == ["regjeringen:3100001", "regjeringen:3100002"]
    db = open_db(world)
    try:
        user = accounts.add_user(db, decomposed, "riktig-passord-1", "adviser")
        assert user["name"] == composed and accounts.require(db, composed)["id"] == user["id"]
    finally:
        db.close()


def test_items_with_an_unknown_source_or_kind(world):
    result = cli("--db", str(world), "items", "--source", "eu_celar")
    assert result.exit_code != 0 and "eu_cellar" in result.output
    result = cli("--db", str(world), "items", "--kind", "hearings")
    assert result.exit_code != 0 and "committee_hearing" in result.output


@pytest.mark.parametrize("spelling", ["åpenhetsloven", "Åpenhetsloven", "aapenhetsloven", "apenhetsloven"])
def test_a_label_filter_in_any_spelling_finds_the_items(world, spelling):
    result = cli("--db", str(world), "search", "åpenhetsloven", "--label", spelling, "--format", "jsonl")
    assert result.exit_code == 0, result.output
    assert "endringer i åpenhetsloven" in result.output


def test_an_unknown_label_lists_the_valid_ones(world):
    result = cli("--db", str(world), "search", "høring", "--label", "miljøet")
    assert result.exit_code != 0
    assert "ukjent merke 'miljøet'" in result.output and "oecd-vi (Kap. VI Miljø)" in result.output


@pytest.mark.parametrize(("profile", "message"), [
    ("sources = ['no_regjeringen_horingar']", "ukjent kilde 'no_regjeringen_horingar'"),
    ("kinds = ['hearings']", "ukjent sakstype 'hearings'"),
    ("labels = ['miljøet']", "ukjent merke 'miljøet'"),
    ("treshold = 0.5", "har ukjente felt 'treshold'"),
])  # fmt: skip
def test_a_misspelt_profile_is_an_error(world, data_dir, profile, message):
    (data_dir / "profiles.toml").write_text(f"[profiles.ncp]\n{profile}\n", "utf-8")
    result = cli("--db", str(world), "digest")
    assert result.exit_code != 0 and message in result.output


@pytest.mark.usefixtures("morning_after")
def test_profile_labels_are_accepted_in_any_spelling(world, data_dir):
    (data_dir / "profiles.toml").write_text("[profiles.apl]\nlabels = ['Åpenhetsloven', 'Kap. IV']\n", "utf-8")
    from tracker.attention.profiles import load_profile

    assert load_profile("apl").labels == ("apenhetsloven", "oecd-iv")
    result = cli("--db", str(world), "digest", "--profile", "apl")
    assert result.exit_code == 0, result.output


@pytest.mark.usefixtures("morning_after")
def test_a_fresh_digest_exits_zero(world):
    result = cli("--db", str(world), "digest")
    assert result.exit_code == 0, result.output
    assert "Siste vellykkede innhenting" not in result.output


@pytest.mark.parametrize(("day", "words"), [
    ("2026-11-30", "Siste vellykkede innhenting var tir. 24.11.2026 kl. 06.00, mer enn 36 timer før"),
    ("2026-11-01", "Oversiktens dag er før første innhenting"),
])  # fmt: skip
def test_stale_data_or_a_day_outside_the_data_is_red_and_exits_non_zero(world, day, words):
    result = cli("--db", str(world), "digest", "--date", day)
    assert result.exit_code == 2
    banner = result.stdout.split("## ")[0]
    assert words in banner and "⚠" in banner
    assert f"feil: {words}" in result.stderr
    allowed = cli("--db", str(world), "digest", "--date", day, "--allow-red")
    assert allowed.exit_code == 0 and words in allowed.stdout


@pytest.mark.usefixtures("morning_after")
def test_a_backfill_is_not_a_fresh_crawl(world):
    """The daily runs stopped on 24 November; on the 30th an adviser walks a source's history
    (`ncp-tracker backfill`), which succeeds. The news is still six days old: the digest of the
    30th must say so (exit 2), not pass the backfill off as the morning's crawl."""
    from datetime import datetime

    from crawlers.dates import OSLO
    from tracker.jobs.storing import Report, store_crawl
    from tracker.store import merge as store

    when = datetime(2026, 11, 30, 5, tzinfo=OSLO)
    db = open_db(world)
    run = store.start_run(db, as_of=when, mode="test", sources=["no_stortinget_horinger"], backfill=True)
    store_crawl(db, run_id=run, as_of=when, report=Report(source="no_stortinget_horinger", channel="api"),
                items=[{"source": "no_stortinget_horinger", "kind": "committee_hearing", "native_id": "2019-1",
                        "url": "https://www.stortinget.no/h/2019-1", "title": "Høring 2019"}])
    store.finish_run(db, run, 0)
    store.complete_run(db, run)
    db.close()
    result = cli("--db", str(world), "digest", "--date", "2026-11-30")
    assert result.exit_code == 2, result.output
    assert "Siste vellykkede innhenting var tir. 24.11.2026 kl. 06.00" in result.stderr
    # nor is the backfill the digest's clock: the latest morning run is
    latest = cli("--db", str(world), "digest", "--allow-red")
    assert "_Stand tir. 24.11.2026 kl. 06.00" in latest.stdout, latest.stdout[:300]


@pytest.mark.parametrize(("command", "words"), [
    (["inbox"], "for mer enn 36 timer siden: det som vises, kan være utdatert"),
    (["inbox", "--lang", "en"], "more than 36 hours ago: what is shown may be out of date"),
    (["horizon"], "for mer enn 36 timer siden: det som vises, kan være utdatert"),
    (["horizon", "--format", "jsonl"], "for mer enn 36 timer siden"),
])  # fmt: skip
def test_inbox_and_horizon_say_when_their_data_is_old(world, command, words):
    """They showed a week-old picture as quietly as today's: like the digest, they say first that
    the data is old (exit 2), and still show it."""
    old = cli("--db", str(world), *command, "--as-of", "2026-11-30")
    assert old.exit_code == 2, old.output
    assert "feil: Siste vellykkede" in old.stderr or "error: The latest successful crawl" in old.stderr
    assert words in old.stderr and old.stdout.strip()
    fresh = cli("--db", str(world), *command, "--as-of", "2026-11-24T09:00")
    assert fresh.exit_code == 0 and "error:" not in fresh.stderr, fresh.stderr


def test_inbox_names_a_failing_source(world):
    db = open_db(world)
    with db.conn:
        db.execute("update health set status = 'red', reason = 'feed answered HTTP 503' "
                   "where run_id = (select max(run_id) from health) and source = 'eu_haveyoursay'")
    db.close()
    result = cli("--db", str(world), "inbox", "--as-of", "2026-11-24T09:00")
    assert result.exit_code == 0  # as the digest: a failing source is said, the data is current
    assert "advarsel: 2 kilder feiler: EU: Si din mening (Have your say) (nyhetsstrømmen svarte HTTP 503), " in result.stderr
    english = cli("--db", str(world), "inbox", "--as-of", "2026-11-24T09:00", "--lang", "en")
    assert "warning: 2 sources are failing: EU Have your say (feed answered HTTP 503), " in english.stderr


def test_a_database_without_any_run_is_red(tmp_path):
    path = tmp_path / "empty.db"
    open_db(path).close()
    result = cli("--db", str(path), "digest")
    assert result.exit_code == 2
    assert "Ingen innhenting er kjørt ennå: denne oversikten viser ingen data." in result.stdout


def test_a_stale_digest_is_not_sent(world, smtp_server, tmp_path):  # noqa: F811
    from test_cli_digest import _smtp_config

    inbox = Inbox()
    controller = smtp_server(inbox)
    env = _smtp_config(tmp_path, controller.port)
    result = cli("--db", str(world), "digest", "--date", "2026-11-30", "--send", "--to", "a@example.org", env=env)
    assert result.exit_code == 2 and "oversikten er ikke sendt" in result.stderr
    assert inbox.messages == []
    result = cli("--db", str(world), "digest", "--date", "2026-11-30", "--send", "--to", "a@example.org",
                 "--allow-red", env=env)
    assert result.exit_code == 0 and len(inbox.messages) == 1


def test_a_crawl_that_never_finished_is_not_passed_off_as_this_mornings(world):
    """A morning's crawl killed half-way (a reboot, the OOM killer) left its run without an exit
    code and the digest took its clock: «Stand ons. 25.11.2026 kl. 06.00», «Ingen endringer», no
    banner, exit 0 — yesterday's data as this morning's. Now the digest is red (exit 2, nothing
    sent without --allow-red), and inbox, health and the workbench say it too."""
    from datetime import datetime

    from crawlers.dates import OSLO
    from tracker.store import merge as store

    db = open_db(world)
    store.start_run(db, as_of=datetime(2026, 11, 25, 6, tzinfo=OSLO), mode="live", sources=["no_nbim"])
    db.close()
    said = ("Innhentingen ons. 25.11.2026 kl. 06.00 ble ikke fullført (den ble stoppet, eller den pågår ennå): "
            "denne oversikten viser det innhentingene før den fant.")
    digest = cli("--db", str(world), "digest", "--date", "2026-11-25")
    assert digest.exit_code == 2, digest.output
    assert said in digest.stdout.split("## ")[0] and f"feil: {said}" in digest.stderr
    for command in (["inbox"], ["health"]):
        shown = cli("--db", str(world), *command, "--as-of", "2026-11-25T08:00")
        assert shown.exit_code == 2 and "ble ikke fullført (den ble stoppet, eller den pågår ennå): det som vises, " \
            "er det innhentingene før den fant." in shown.stderr, shown.output
    english = cli("--db", str(world), "digest", "--date", "2026-11-25", "--lang", "en")
    assert "The crawl of Wed 25 Nov 2026 06:00 did not finish (it was stopped, or is still running)" in english.stdout


def test_sources_no_daily_crawl_has_checked_are_red_not_left_out(tmp_path):
    """A store crawled only with --source (or whose daily runs never reached some sources) said
    «Alle kilder OK» of the sources it had never checked, with an empty digest, exit 0: the sources
    never checked were nowhere. Now each is a failing row of the health tables «never checked by a
    daily crawl», and the digest, inbox and health say so."""
    from datetime import datetime

    from crawlers.dates import OSLO
    from tracker.attention.profiles import scheduled_sources
    from tracker.store import health as store_health
    from tracker.store import merge as store

    path = tmp_path / "one.db"
    db = open_db(path)
    clock = datetime(2026, 11, 24, 6, tzinfo=OSLO)
    run = store.start_run(db, as_of=clock, mode="test", sources=["no_lovdata"])
    with db.conn:
        store_health.record(db, run, store_health.SourceRun(source="no_lovdata", items_seen=2),
                            "2026-11-24T05:00:00+00:00")
    store.finish_run(db, run, 0)
    db.close()
    never = [s for s in scheduled_sources() if s != "no_lovdata"]
    digest = cli("--db", str(path), "digest", "--date", "2026-11-24", "--format", "md")
    assert digest.exit_code == 0, digest.output
    top = digest.stdout.split("## ")[0]
    assert f"{len(never)} kilder er aldri sjekket av en daglig innhenting: EU-tidende (Cellar), " in top
    assert f"Kilder: {len(never)} aldri sjekket (EU-tidende (Cellar), " in top and "Alle kilder OK" not in top
    table = digest.stdout.split("## Kildenes helse")[1]
    assert "| Etikkrådet | **FEILER** | 0 |  | aldri sjekket av en daglig innhenting |" in table
    health = cli("--db", str(path), "health", "--as-of", "2026-11-24T08:00", "--format", "jsonl")
    assert health.exit_code == 2
    import json

    rows = {r["source"]: r for r in map(json.loads, health.stdout.splitlines())}
    assert sorted(s for s, r in rows.items() if r.get("never_checked")) == never
    assert rows["no_etikkradet"]["status"] == "red" and rows["no_lovdata"]["status"] == "green"
    english = cli("--db", str(path), "digest", "--date", "2026-11-24", "--lang", "en")
    assert f"{len(never)} sources never checked by a daily crawl: EU Official Journal (Cellar), " in english.stdout
    # once every scheduled source has been checked, none is
    db = open_db(path)
    run = store.start_run(db, as_of=clock, mode="test", sources=never)
    with db.conn:
        for source in never:
            store_health.record(db, run, store_health.SourceRun(source=source, items_seen=1),
                                "2026-11-24T05:00:00+00:00")
    store.finish_run(db, run, 0)
    db.close()
    again = cli("--db", str(path), "digest", "--date", "2026-11-24", "--format", "md")
    assert "aldri sjekket" not in again.stdout and "Alle kilder OK." in again.stdout, again.stdout[:1500]


def test_the_latest_good_crawl_is_the_latest_finished_one_with_a_source_not_red_before_the_day(db):
    """What "the latest successful crawl" means, read from the runs in SQL (every web page asks):
    finished, not after the digest's clock, and at least one source not red — the documents' row
    is no source."""
    from datetime import datetime

    from crawlers.dates import OSLO
    from tracker.attention.freshness import problems
    from tracker.attention.profiles import load_profile
    from tracker.store.instants import stored

    def at(day: int, hour: int) -> datetime:
        return datetime(2026, 11, day, hour, tzinfo=OSLO)

    runs = [(1, at(23, 6), 0, [("eu_haveyoursay", "green")]),
            (2, at(24, 6), 2, [("eu_haveyoursay", "red"), ("documents", "green")]),  # every source red
            (3, at(24, 7), None, [("eu_haveyoursay", "green")]),  # never finished
            (4, at(27, 6), 0, [("eu_haveyoursay", "amber")])]
    with db.conn:
        for run_id, clock, code, rows in runs:
            db["runs"].insert({"id": run_id, "started": stored(clock), "as_of": stored(clock), "mode": "live",
                               "exit_code": code, "sources": "[]"})
            for source, status in rows:
                db["health"].insert({"run_id": run_id, "source": source, "status": status, "reason": "",
                                     "finished": stored(clock)}, pk=("run_id", "source"))
    ncp = load_profile("ncp")
    # the latest run, 07:00 on the 24th, never finished: said (it was taken for a quiet morning
    # before); the latest successful one is run 1, 27 hours before
    unfinished = ("The crawl of Tue 24 Nov 2026 07:00 did not finish (it was stopped, or is still running): what "
                  "is shown is what the crawls before it found.")
    assert problems(db, at(24, 9), ncp, "en", digest=False) == [unfinished]
    assert problems(db, at(24, 6), ncp, "en", digest=False) == []  # run 2 (its sources red) is the latest: run 1 then
    assert problems(db, at(26, 9), ncp, "en", digest=False) == [unfinished,
        "The latest successful crawl was Mon 23 Nov 2026 06:00, more than 36 hours ago: what is shown may be "
        "out of date."]  # fmt: skip
    assert problems(db, at(27, 9), ncp, "en", digest=False) == []  # run 4: amber is a successful crawl
    assert problems(db, at(22, 9), ncp, "en")[0].startswith("The digest's day is before the first crawl")
    with db.conn:
        db.execute("update runs set exit_code = null where id = 1")
    assert problems(db, at(24, 9), ncp, "en", digest=False) == [unfinished,
        "No crawl has succeeded yet: what is shown cannot be trusted."]  # fmt: skip
