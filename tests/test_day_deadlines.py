"""A deadline given as a day alone («2026-11-24»: a feed from elsewhere, a store older than the
spiders' rule) is open all that day, everywhere it is read: the stored status, «Trenger innspill»
and the inbox, the digest's words and working days, the calendar, the horizon, triage — each reads
it through `tracker.store.deadlines.deadline_time` (the end of the day in Oslo, as
`crawlers.dates.deadline_at` writes it). The rows here are stored as given (`apply_scrape`): what
an older database holds."""

from __future__ import annotations

from datetime import datetime

import icalendar
import pytest
from test_digest_world import DAY2, RG, ST, hearing

import tracker.digest as digest
from crawlers.dates import OSLO
from tracker.attention.horizon import horizon
from tracker.attention.profiles import Profile
from tracker.attention.urgency import needs_input, open_consultation, open_consultation_sql
from tracker.digest.wording import deadline_text, stortinget_times
from tracker.store import merge as store

NCP = Profile(name="ncp")
DAY3 = datetime(2026, 11, 25, 6, 0, tzinfo=OSLO)  # Wednesday, the day after
TODAY, FRIDAY, TIMED = "2026-11-24", "2026-11-27", "2026-11-24T23:59:59+01:00"


def _store(db, items: list[dict], *, as_of: datetime = DAY2, source: str = RG) -> dict[str, str]:
    """Store `items` as one run of `source`, relevant; {native id: item id}."""
    run = store.start_run(db, as_of=as_of, mode="test", sources=[source])
    store.apply_scrape(db, run_id=run, as_of=as_of, source=source, items=items)
    ids = {r["native_id"]: r["id"] for r in db.query("select id, native_id from items")}
    for item_id in ids.values():
        db["items"].update(item_id, {"relevance": 0.9, "relevant": 1, "labels": "[]"})
    return ids


@pytest.fixture
def three(db) -> dict[str, str]:
    """The reviewer's three hearings: due today as a day, on Friday as a day, due today at 23:59:59."""
    return _store(db, [hearing("900001", "Høring – frist i dag som dag", TODAY),
                       hearing("900002", "Høring – frist fredag som dag", FRIDAY),
                       hearing("900003", "Høring – frist i dag med klokkeslett", TIMED)])


def _status(db, item_id: str) -> str:
    return db["items"].get(item_id)["status"]


def test_the_store_keeps_it_open_on_its_day_and_closes_it_the_day_after(db, three):
    """«2026-11-24» was stored `closed` at 06:00 on the 24th: read as 00:00, it had passed."""
    assert [_status(db, three[n]) for n in ("900001", "900002", "900003")] == ["open"] * 3
    # a run the next morning that does not see them closes the day's two (store.merge._age_unseen)
    _store(db, [], as_of=DAY3)
    assert [_status(db, three[n]) for n in ("900001", "900002", "900003")] == ["closed", "open", "closed"]


def test_needs_input_and_the_inbox_count_to_the_end_of_the_day(db, three):
    """«2026-11-24» was left out of «Trenger innspill»; «2026-11-27» counted 2 working days to its
    next due time (the inbox's column: read as the 26th) beside the digest's 3."""
    rows = {r["native_id"]: r for r in needs_input(db, as_of=DAY2, profile=NCP)}
    assert set(rows) == {"900001", "900002", "900003"}
    for native in ("900001", "900003"):
        row = rows[native]
        assert (row["deadline_day"], row["working_days_left"], row["working_days_to_next_due"]) == (TODAY, 0, 0)
        assert row["window"] == "this_week" and row["next_due"] == TIMED
    friday = rows["900002"]
    assert (friday["deadline_day"], friday["working_days_left"], friday["working_days_to_next_due"]) == (FRIDAY, 3, 3)
    assert friday["next_due"] == "2026-11-27T23:59:59+01:00" and friday["draft_due"] == "2026-11-20"
    # the workbench's search for open consultations selects what the digest counts (SQL ncp_deadline)
    clause, params = open_consultation_sql("i", DAY2)
    found = {r["native_id"] for r in db.query(f"select native_id from items i where {clause}", params)}
    assert found == {r["native_id"] for r in db.query("select * from items") if open_consultation(r, DAY2)}
    assert found == {"900001", "900002", "900003"}
    late = datetime(2026, 11, 24, 23, 59, 30, tzinfo=OSLO)  # still that day
    assert {r["native_id"] for r in needs_input(db, as_of=late, profile=NCP)} == {"900001", "900002", "900003"}


def test_the_digest_says_the_day_itself_as_the_calendar_does(db, three):
    """The digest listed «2026-11-24» under «Nytt» with «Frist: man. 23.11.2026» and «2026-11-27»
    as «tor. 26.11.2026», while the calendar said 24.11 and 27.11."""
    text = digest.render_text(digest.build_digest(db, as_of=DAY2, profile="ncp"))
    needs = text[text.index("TRENGER INNSPILL"):text.index("NYTT SISTE DØGN")]
    assert needs.count("Frist i dag") == 2 and "Frist: fre. 27.11.2026 (3 virkedager igjen)" in needs
    assert "frist i dag som dag" in needs
    assert "23.11.2026" not in text and "26.11.2026" not in text
    cal = icalendar.Calendar.from_ical(digest.render_ics(db, as_of=DAY2, profile="ncp"))
    days = sorted((str(e["uid"]).split("-")[0], e.decoded("dtstart").isoformat()) for e in cal.walk("VEVENT")
                  if str(e["uid"]).startswith("deadline-"))
    assert days == [("deadline", "2026-11-24"), ("deadline", "2026-11-24"), ("deadline", "2026-11-27")]
    # the facts every section's row gets (digest.build.decorate): today's has 0 working days left,
    # not none as a passed one
    from tracker.attention.urgency import item_labels
    from tracker.digest.build import Context, decorate

    ctx = Context(db=db, as_of=DAY2, profile=NCP, lang="nb", today=DAY2.date(), since=None, first=True, events=[])
    for native, left in (("900001", 0), ("900002", 3)):
        row = dict(db["items"].get(three[native]))
        row["labels"] = item_labels(row)
        assert decorate(row, ctx)["working_days_left"] == left, native
    # the words alone, as a feed entry and the web's lists say them
    assert deadline_text({"deadline": FRIDAY}, None, "nb") == "fre. 27.11.2026"
    assert deadline_text({"deadline": TODAY}, DAY2, "nb") == "frist i dag"
    assert deadline_text({"deadline": TODAY}, None, "en") == "Tue 24 Nov 2026"


def test_the_horizon_lists_it_on_its_day(db, three):
    dated = [(d.day.isoformat(), d.item_id) for d in horizon(db, DAY2, profile=NCP, followed_only=False,
                                                             watch_entries=[]) if d.what == "hearing_deadline"]
    assert dated == [(TODAY, three["900001"]), (TODAY, three["900003"]), (FRIDAY, three["900002"])]


def test_the_horizon_says_a_deadlines_day_as_the_inbox_does(db):
    """The horizon read a deadline's day on its own (the Oslo date of the stored time): midnight
    sharp, the end of the day before for the inbox, the digest and the calendar
    (`deadlines.deadline_day`), was a day later on the horizon."""
    ids = _store(db, [hearing("1", "Høring – frist ved midnatt", "2026-12-11T00:00:00+01:00")])
    (row,) = needs_input(db, as_of=DAY2, profile=NCP)
    dated = [d.day.isoformat() for d in horizon(db, DAY2, profile=NCP, followed_only=False, watch_entries=[])
             if d.item_id == ids["1"]]
    assert dated == [row["deadline_day"]] == ["2026-12-10"]


def test_triage_closes_an_intended_answer_only_after_its_day(db, three):
    """close_unanswered moved an answer due «2026-11-24» to «closed unanswered» at 06:00 that day."""
    from tracker.workbench.triage import RESPOND, close_unanswered, set_state

    set_state(db, three["900001"], RESPOND, by="kari", at="2026-11-23T09:00:00+00:00")
    assert close_unanswered(db, DAY2) == []
    assert close_unanswered(db, DAY3) == [three["900001"]]


def test_a_committee_hearings_deadline_to_ask_to_speak_given_as_a_day(db):
    """A day alone to ask to speak («anmodningsfrist») is due that whole day: the hearing is due
    today for it, and the digest does not call it passed at dawn."""
    ids = _store(db, [{
        "source": ST, "kind": "committee_hearing", "native_id": "sak-99002",
        "title": "Komitéhøring: Endringer i åpenhetsloven – Prop. 25 L (2026–2027)",
        "url": "https://www.stortinget.no/no/Hva-skjer-pa-Stortinget/Horing/?p=99002",
        "owner": "Familie- og kulturkomiteen", "deadline": "2026-12-01", "status_raw": "Planlagt", "channel": "api",
        "extra": {"deadline_basis": "innspillsfrist", "anmodningsfrist": TODAY, "innspillsfrist": "2026-12-01"}}],
        source=ST)  # fmt: skip
    (row,) = needs_input(db, as_of=DAY2, profile=NCP)
    assert (row["next_due_what"], row["next_due"], row["window"]) == ("request_to_speak", TIMED, "this_week")
    assert row["working_days_to_next_due"] == 0 and row["deadline_day"] == "2026-12-01"
    lines = stortinget_times(db["items"].get(ids["sak-99002"]), DAY2, "nb")
    assert lines[0] == "Be om å delta: frist i dag" and "passert" not in " ".join(lines)
    assert lines[-1] == "Skriftlige innspill innen: tir. 01.12.2026"


def test_answer_lists_are_read_for_as_long_after_a_days_end_as_after_a_timed_deadline(db):
    """`hearings_to_check` reads a closed hearing's answers up to 60 days after its deadline: from
    00:00 for a day alone, its last read on day 60 came after the window and was the last."""
    from tracker.workbench.answers import RECHECK_DAYS, hearings_to_check

    for native, deadline in (("1", "2026-09-25"), ("2", "2026-09-25T23:59:59+02:00")):
        db["items"].insert({"id": f"regjeringen:{native}", "source": RG, "kind": "hearing", "native_id": native,
                            "title": f"Høring {native}", "url": f"https://www.regjeringen.no/id{native}/",
                            "deadline": deadline, "status": "closed"})
        # read at 06:00 on the 60th day after the deadline's day
        db["answer_checks"].insert({"item_id": f"regjeringen:{native}", "checked_at": "2026-11-24T05:00:00+00:00"})
    assert RECHECK_DAYS == 60
    assert sorted(hearings_to_check(db, DAY3)) == ["1", "2"]


def _reviewers_feed(path) -> None:
    """The reviewer's reproduction: three hearings on åpenhetsloven, due «2026-11-24» (a day),
    «2026-11-27» (a day) and «2026-11-24T23:59:59+01:00», read at 06:00 on Tuesday 24 November."""
    import json

    def item(native: str, deadline: str) -> dict:
        return {"source": RG, "kind": "hearing", "native_id": native,
                "url": f"https://www.regjeringen.no/no/dokumenter/horing/id{native}/",
                "title": f"Høring om endringer i åpenhetsloven og aktsomhetsvurderinger i leverandørkjeden {native}",
                "status_raw": "På høring", "published": "2026-11-01T00:00:00+01:00", "deadline": deadline}

    report = {"crawl_report": 1, "source": RG, "as_of": "2026-11-24T06:00:00+01:00", "notes": [],
              "listing": {"complete": False}, "channel": "html", "may_be_empty": False,
              "finish_reason": "finished", "stats": {}, "duration_s": 1.0, "args": {}}
    rows = [item("900001", TODAY), item("900002", FRIDAY), item("900003", TIMED), report]
    path.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in rows), "utf-8")


def _block(text: str, native: str) -> str:
    """The lines of a digest's entry for hearing `native` (its title line up to the next entry)."""
    start = text.index(f"leverandørkjeden {native}")
    end = text.find("\n\n", start)
    return text[start:end if end >= 0 else len(text)]


@pytest.mark.parametrize("stored", ["as_ingested", "as_an_older_version_stored_it"])
def test_the_reviewers_feed_agrees_in_the_store_digest_calendar_and_inbox(tmp_path, stored):
    """ingest → tag → digest (md, txt, ics) → inbox: «2026-11-24» was stored closed and listed under
    «Nytt» with «Frist: man. 23.11.2026» (the calendar: 24.11); «2026-11-27» was «tor. 26.11.2026
    (3 virkedager igjen)» in the digest and fre. 27.11 with 2 working days in the inbox. Whether
    the store holds the end of the day (ingest now) or the day alone (an older version's ingest)."""
    import sqlite3

    from click.testing import CliRunner

    from tracker.cli import main

    db, feed = tmp_path / "i.db", tmp_path / "feed.jsonl"
    _reviewers_feed(feed)

    def cli(*args: str) -> str:
        result = CliRunner().invoke(main, ["--db", str(db), *args])
        assert result.exit_code == 0, result.output
        return result.stdout

    cli("ingest", str(feed), "--source", RG)
    if stored == "as_an_older_version_stored_it":
        conn = sqlite3.connect(db)
        with conn:
            conn.execute("update items set deadline = ? where native_id = '900001'", [TODAY])
            conn.execute("update items set deadline = ? where native_id = '900002'", [FRIDAY])
        conn.close()
    cli("tag")
    conn = sqlite3.connect(db)
    assert conn.execute("select native_id, status from items order by native_id").fetchall() == [
        ("900001", "open"), ("900002", "open"), ("900003", "open")]
    conn.close()
    for fmt, needs, new, changed in (("md", "## Trenger innspill (3)", "## Nytt siste døgn", "## Endret"),
                                     ("txt", "TRENGER INNSPILL (3)", "NYTT SISTE DØGN", "ENDRET (")):
        text = cli("digest", "--date", TODAY, "--format", fmt)
        section = text[text.index(needs):text.index(new)]
        for native in ("900001", "900003"):
            assert "Frist i dag" in _block(section, native), (fmt, native)
        assert "Frist: fre. 27.11.2026 (3 virkedager igjen)" in _block(section, "900002"), fmt
        assert "leverandørkjeden 9000" not in text[text.index(new):text.index(changed)], fmt  # none under «Nytt»
        assert "23.11.2026" not in text and "26.11.2026" not in text, fmt
    cal = icalendar.Calendar.from_ical(cli("digest", "--date", TODAY, "--format", "ics"))
    due = {str(e["uid"]).split(":")[1].split("-")[0]: e.decoded("dtstart").isoformat() for e in cal.walk("VEVENT")
           if str(e["uid"]).startswith("deadline-")}
    assert due == {"900001": TODAY, "900002": FRIDAY, "900003": TODAY}
    # the inbox's columns: week (two words), relevance, working days, deadline (weekday, date), …
    inbox = {}
    for line in cli("inbox", "--as-of", "2026-11-24T06:00:00+01:00").splitlines():
        words = line.split()
        if found := [w for w in words if w.startswith("regjeringen:")]:
            inbox[found[0].removeprefix("regjeringen:")] = words[3:6]
    assert inbox == {"900001": ["0", "tir.", "24.11.2026"], "900002": ["3", "fre.", "27.11.2026"],
                     "900003": ["0", "tir.", "24.11.2026"]}
