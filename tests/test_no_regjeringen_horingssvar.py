"""Offline tests of the answers spider (constructed fixtures; structure unverified, see README there)."""

from __future__ import annotations

import asyncio
import json

import pytest
import scrapy

from crawlers.spiders.no_regjeringen_horingssvar import (
    NoRegjeringenHoringssvarSpider,
    classify_responder,
    is_ncp,
)
from tests.conftest import file_response, make_spider

DETAIL = "https://www.regjeringen.no/no/dokumenter/hoyring---evalueringen-av-offentleglova/id2477095/"
PAGE1 = DETAIL + "?showSvar=true&consterm=&page=1&isFilterOpen=true"
PAGE2 = DETAIL + "?showSvar=true&consterm=&page=2&isFilterOpen=true"
HEARINGS = {"2477095": {"url": DETAIL, "status": "closed"}}


def _spider(**kwargs):
    return make_spider(NoRegjeringenHoringssvarSpider, hearings=HEARINGS, **kwargs)


def _run(spider, fixture, url, page=1, status=200):
    response = file_response(f"no_regjeringen_horingssvar/{fixture}", url, status=status)
    return list(spider.parse(response, hearing_id="2477095", detail_url=DETAIL, page=page))


@pytest.fixture(scope="module")
def page1():
    spider = _spider()
    out = _run(spider, "list_page1.html", PAGE1)
    return spider, [o for o in out if not isinstance(o, scrapy.Request)], [o for o in out if isinstance(o, scrapy.Request)]


def test_one_item_per_answer(page1):
    _, items, _ = page1
    assert len(items) == 4


def test_responder(page1):
    _, items, _ = page1
    assert [i["extra"]["responder"] for i in items] == [
        "Norsk Hydro ASA", "Landsorganisasjonen i Norge (LO)", "Amnesty International Norge",
        "Norges nasjonale kontaktpunkt for ansvarlig næringsliv",
    ]


def test_responder_type(page1):
    _, items, _ = page1
    assert [i["extra"]["responder_type"] for i in items] == ["business", "union", "ngo", "public_body"]


def test_html_answer_url_keeps_hearing_path(page1):
    _, items, _ = page1
    assert items[0]["url"] == DETAIL + "?uid=4f1c2a9e-1b7d-4c55-9a0e-2f6b8c1d3e01"
    assert items[0]["extra"]["format"] == "html"


def test_pdf_answer_url(page1):
    _, items, _ = page1
    assert items[1]["url"].startswith("https://www.regjeringen.no/contentassets/8a1b2c3d4e5f60718293a4b5c6d7e8f9/lo.pdf")
    assert items[1]["extra"]["format"] == "pdf"


def test_date_from_text_and_time_element(page1):
    _, items, _ = page1
    assert items[0]["published"].startswith("2016-05-20")
    assert items[2]["published"].startswith("2016-05-25")


def test_native_id_is_stable_and_per_hearing(page1):
    _, items, _ = page1
    assert items[0]["native_id"] == "2477095:4f1c2a9e-1b7d-4c55-9a0e-2f6b8c1d3e01"
    assert items[1]["native_id"] == "2477095:8a1b2c3d4e5f60718293a4b5c6d7e8f9/lo.pdf"
    assert len({i["native_id"] for i in items}) == 4


def test_ncp_answer_is_marked(page1):
    _, items, _ = page1
    assert [i["extra"]["is_ncp"] for i in items] == [False, False, False, True]


def test_follows_next_page(page1):
    _, _, requests = page1
    assert [r.url for r in requests] == [PAGE2]
    assert requests[0].cb_kwargs["page"] == 2


def test_a_list_longer_than_max_pages_stops_there_and_says_so(monkeypatch):
    from crawlers.spiders import no_regjeringen_horingssvar as mod

    monkeypatch.setattr(mod, "MAX_PAGES", 1)
    spider = _spider()
    out = _run(spider, "list_page1.html", PAGE1)
    assert not [o for o in out if isinstance(o, scrapy.Request)]  # page 2 exists but is not read
    assert len(out) == 4  # the page's answers are kept
    assert spider.notes == [("amber", "hearing 2477095: the answers list has more than 1 pages; only the "
                                      "first 1 were read")]


def test_last_page_no_next_and_row_without_link_is_parse_error():
    spider = _spider()
    out = _run(spider, "list_page2.html", PAGE2, page=2)
    assert not [o for o in out if isinstance(o, scrapy.Request)]
    assert [o["extra"]["responder_type"] for o in out] == ["public_body", "public_body"]
    assert spider.crawler.stats.get_value("tracker/parse_errors") == 1


def test_empty_list_is_not_an_error():
    spider = _spider()
    assert _run(spider, "list_empty.html", PAGE1) == []
    assert spider.notes == []
    assert spider.crawler.stats.get_value("tracker/parse_errors") is None
    assert spider.crawler.stats.get_value("tracker/hearings_without_answers") == 1


def test_fallback_markup_reads_links_and_turns_amber():
    spider = _spider()
    items = _run(spider, "list_fallback.html", PAGE1)
    assert [(i["extra"]["responder"], i["extra"]["responder_type"]) for i in items] == [
        ("Fellesforbundet", "union"), ("NHO", "business")]
    assert spider.notes and spider.notes[0][0] == "amber"


def test_blocked_page_is_amber_not_silent():
    spider = _spider()
    assert _run(spider, "challenge.html", PAGE1, status=403) == []
    assert spider.notes[0][0] == "amber" and "blocked" in spider.notes[0][1]


def test_page_that_is_not_a_list_is_a_parse_error():
    spider = _spider()
    assert _run(spider, "not_a_list.html", PAGE1) == []
    assert spider.crawler.stats.get_value("tracker/parse_errors") == 1


@pytest.mark.parametrize(("pages", "read"), [
    ([("list_page1.html", PAGE1, 1, 200)], set()),  # page 2 still to come
    ([("list_page1.html", PAGE1, 1, 200), ("list_page2.html", PAGE2, 2, 200)], {"2477095"}),
    ([("list_page1.html", PAGE1, 1, 200), ("challenge.html", PAGE2, 2, 403)], set()),  # cut short
    ([("challenge.html", PAGE1, 1, 403)], set()),
    ([("not_a_list.html", PAGE1, 1, 200)], set()),
    ([("list_empty.html", PAGE1, 1, 200)], {"2477095"}),  # read: nobody answered
])
def test_a_hearing_counts_as_read_only_when_its_answer_list_was_read_to_the_end(pages, read):
    """Every hearing handed to the spider was logged as checked that day, also when its answer
    list was blocked: it went to the back of the queue, and a check blocked after its last chance
    (60 days past the deadline) meant its answers were never read."""
    spider = _spider()
    for fixture, url, page, status in pages:
        _run(spider, fixture, url, page=page, status=status)
    assert spider.read == read
    assert spider.report_args() == {"hearings": spider.hearings, "read": sorted(read)}


def test_a_list_cut_at_max_pages_counts_as_read(monkeypatch):
    from crawlers.spiders import no_regjeringen_horingssvar as mod

    monkeypatch.setattr(mod, "MAX_PAGES", 1)
    spider = _spider()
    _run(spider, "list_page1.html", PAGE1)
    assert spider.read == {"2477095"}  # the rest cannot be read (said amber): not again and again


def _start(spider):
    async def collect():
        return [r async for r in spider.start()]

    return asyncio.run(collect())


def test_start_requests_one_list_per_closed_hearing_from_known_and_argument():
    spider = make_spider(NoRegjeringenHoringssvarSpider, hearings=json.dumps({"2477095": {"url": DETAIL}}),
                         known={"3144080": {"status": "closed"}, "3143082": {"status": "open"}})
    urls = sorted(r.url for r in _start(spider))
    assert urls == [
        "https://www.regjeringen.no/no/dokumenter/hoyring---evalueringen-av-offentleglova/id2477095/"
        "?showSvar=true&consterm=&page=1&isFilterOpen=true",
        "https://www.regjeringen.no/no/dokumenter/id3144080/?showSvar=true&consterm=&page=1&isFilterOpen=true",
    ]


def test_nothing_to_check_says_so():
    spider = make_spider(NoRegjeringenHoringssvarSpider)
    assert _start(spider) == []
    assert spider.notes and spider.notes[0][0] == "amber"


@pytest.mark.parametrize(("name", "kind"), [
    ("Equinor ASA", "business"), ("Telenor Norge AS", "business"), ("NHO", "business"),
    ("Norges Rederiforbund", "business"), ("Fellesforbundet", "union"), ("LO Stat", "union"),
    ("Naturvernforbundet", "ngo"), ("Framtiden i våre hender", "ngo"), ("Kirkens Nødhjelp", "ngo"),
    ("ForUM", "ngo"), ("Barne- og familiedepartementet", "public_body"),
    ("Utlendingsdirektoratet", "public_body"), ("Forbrukertilsynet", "public_body"),
    ("Bergen kommune", "public_body"), ("Ola Nordmann", None), ("", None),
])
def test_classify_responder(name, kind):
    assert classify_responder(name) == kind


def test_is_ncp():
    assert is_ncp("Norges nasjonale kontaktpunkt for ansvarlig næringsliv")
    assert is_ncp("Kontaktpunktet for ansvarlig næringsliv")
    assert not is_ncp("Forbrukertilsynet")


def _answers_world(tmp_path, responses: list[tuple[str, int, str]]):
    """A replayed day of answer lists (url, status, fixture) and a store holding the closed
    hearing; returns (run, db_path): run() runs `ncp-tracker answers` on the day."""
    import shutil
    import subprocess
    import sys
    from pathlib import Path

    from tests.conftest import FIXTURES, ROOT
    from tracker.store.db import open_db

    day = tmp_path / "replay" / "2026-11-24"
    folder = day / "no_regjeringen_horingssvar"
    folder.mkdir(parents=True)
    for _url, _status, name in responses:
        shutil.copy(Path(FIXTURES) / "no_regjeringen_horingssvar" / name, folder / name)
    html = {"Content-Type": "text/html; charset=utf-8"}
    (folder / "manifest.json").write_text(json.dumps({
        "source": "no_regjeringen_horingssvar", "recorded_at": "2026-11-24T06:00:00+01:00", "constructed": True,
        "responses": [{"url": url, "method": "GET", "status": status, "headers": html, "file": name}
                      for url, status, name in responses],
    }), encoding="utf-8")  # fmt: skip
    db_path = tmp_path / "t.db"
    db = open_db(db_path)
    db["items"].insert({"id": "regjeringen:2477095", "source": "no_regjeringen_horinger", "kind": "hearing",
                        "native_id": "2477095", "title": "Høyring - evalueringen av offentleglova", "url": DETAIL,
                        "deadline": "2016-05-25T23:59:59+02:00", "status": "closed"})  # fmt: skip
    db.close()
    env = {**__import__("os").environ, "NCP_TRACKER_DB": str(db_path), "NCP_TRACKER_HTTPCACHE": "0"}

    def run():
        return subprocess.run([sys.executable, "-m", "tracker", "answers", "--replay", str(day)], cwd=ROOT,
                              env=env, capture_output=True, text=True, timeout=180)  # fmt: skip

    return run, db_path


@pytest.mark.parametrize(("state", "after"), [
    ("submitted", ["published"]), ("drafting", ["submitted", "published"]),
    ("closed_unanswered", ["submitted", "published"]),
    ("respond", []), ("watching", []), ("not_relevant", []), (None, []),
])
def test_the_ncps_published_answer_moves_its_hearing_to_published(db, state, after):
    """The NCP's own answer among a hearing's published answers left its triage at «submitted»
    (or «drafting», when nobody marked it sent); an item no adviser took up is left alone."""
    from datetime import datetime

    from crawlers.dates import OSLO
    from tracker.workbench import answers, triage

    item = "regjeringen:2477095"
    db["items"].insert({"id": item, "source": "no_regjeringen_horinger", "kind": "hearing", "native_id": "2477095",
                        "title": "Høyring - evalueringen av offentleglova", "url": DETAIL, "status": "closed",
                        "deadline": "2016-05-25T23:59:59+02:00"})
    path = {"submitted": ["respond", "assigned", "drafting", "submitted"], "drafting": ["respond", "assigned", "drafting"],
            "closed_unanswered": ["respond", "closed_unanswered"], "respond": ["respond"], "watching": ["watching"],
            "not_relevant": ["not_relevant"], None: []}[state]
    for s in path:
        triage.set_state(db, item, s, owner="kari" if s == "assigned" else None, by="kari")
    before = len(triage.history(db, item))
    ncp_url = "https://www.regjeringen.no/no/dokumenter/hoyring/id2477095/?uid=ncp"
    scraped = [{"url": ncp_url, "published": "2016-06-01", "extra": {
        "hearing_id": "2477095", "hearing_url": DETAIL, "responder": "Kontaktpunktet for ansvarlig næringsliv",
        "responder_type": "public_body", "is_ncp": True, "format": "html"}}]
    answers.store(db, scraped, as_of=datetime(2026, 11, 24, 6, tzinfo=OSLO),
                  checked={"2477095": {"url": DETAIL, "item_id": item}})
    moves = triage.history(db, item)[before:]
    assert [m["state_after"] for m in moves] == after
    assert all(m["by"] == triage.SYSTEM_USER and ncp_url in m["note"] for m in moves)
    answers.store(db, scraped, as_of=datetime(2026, 11, 25, 6, tzinfo=OSLO), checked={})
    assert len(triage.history(db, item)) == before + len(after)  # once


@pytest.mark.slow
def test_answers_command_end_to_end_with_the_real_engine(tmp_path):
    """`ncp-tracker answers --replay` runs the spider in Scrapy, stores answers, records health."""
    from tracker.store.db import open_db

    run, db_path = _answers_world(tmp_path, [(PAGE1, 200, "list_page1.html"), (PAGE2, 200, "list_page2.html")])
    from tracker.workbench import triage

    db = open_db(db_path)
    for state, owner in (("respond", None), ("assigned", "kari"), ("drafting", None), ("submitted", None)):
        triage.set_state(db, "regjeringen:2477095", state, owner=owner, by="kari")
    db.close()
    out = run()
    assert out.returncode == 0, out.stderr[-2000:]
    assert "(lest svarlisten for 1 av 1 høring)" in out.stdout
    db = open_db(db_path)
    rows = list(db.query("select responder, responder_type, is_ncp from answers where item_id = ? order by responder",
                         ["regjeringen:2477095"]))  # fmt: skip
    assert len(rows) == 6
    assert {"responder": "Norges nasjonale kontaktpunkt for ansvarlig næringsliv", "responder_type": "public_body",
            "is_ncp": 1} in rows  # fmt: skip
    health = db.execute("select status, items_seen, parse_errors from health where source = ?",
                        ["no_regjeringen_horingssvar"]).fetchone()  # fmt: skip
    assert health == ("amber", 6, 1)  # the row without a link on page 2 is counted, not hidden
    assert db.execute("select answers from answer_checks where item_id = 'regjeringen:2477095'").fetchone() == (6,)
    # the NCP's answer is among them: the hearing it was sent to is now «published»
    last = triage.history(db, "regjeringen:2477095")[-1]
    assert (last["state_before"], last["state_after"], last["by"]) == ("submitted", "published", triage.SYSTEM_USER)
    # read once today: a second run checks nothing
    assert "(lest svarlistene for 0 av 0 høringer)" in run().stdout


@pytest.mark.slow
def test_a_blocked_answer_list_is_not_logged_as_checked(tmp_path):
    """A hearing whose answer list answered 403 was logged as checked that day with no answers,
    like one nobody had answered; now it is not logged and the next run checks it again. Every
    list blocked is nothing read: red, exit 2 (it said amber, exit 0), saying they were blocked."""
    from tracker.store.db import open_db
    from tracker.vocabulary import health_reason

    run, db_path = _answers_world(tmp_path, [(PAGE1, 403, "challenge.html")])
    out = run()
    assert out.returncode == 2, out.stdout + out.stderr[-2000:]
    assert out.stdout.startswith("Høringssvar (regjeringen.no; no_regjeringen_horingssvar): FEILER — ")
    assert ("ingen svarliste kunne leses (0 av 1 høring): blokkert (HTTP 403/429/robotsjekk eller robots.txt)"
            in out.stdout and "lest" not in out.stdout), out.stdout  # the counts once, not twice
    db = open_db(db_path)
    assert db.execute("select count(*) from answer_checks").fetchone() == (0,)
    status, reason = db.execute("select status, reason from health where source = 'no_regjeringen_horingssvar'").fetchone()
    db.close()
    assert status == "red"
    assert ("ingen svarliste kunne leses (0 av 1 høring): blokkert (HTTP 403/429/robotsjekk eller robots.txt)"
            in health_reason(reason, "nb"))  # as the digest's and the workbench's health say it
    again = run()
    assert again.returncode == 2 and "ingen svarliste kunne leses (0 av 1 høring)" in again.stdout  # asked again, the same day


def test_answer_lists_all_blocked_are_red_some_blocked_amber(db, as_of):
    """Every list blocked (HTTP 403/429/challenge, or robots.txt) is nothing read: red, saying so
    (it was amber: the `answers` run exited 0); a blocked list beside lists read stays amber."""
    from tracker.jobs.storing import Report, store_crawl
    from tracker.store import merge as store

    two = {**HEARINGS, "2477096": {"url": DETAIL.replace("2477095", "2477096"), "status": "closed"}}
    robots = ("amber", "answer lists blocked by robots.txt (not fetched): answers cannot be read for these "
                       f"hearings, e.g. {PAGE1}")
    challenge = ("amber", "answer lists blocked (HTTP 403/429/challenge): answers not updated")

    def health(notes, stats, hearings, read) -> dict:
        run = store.start_run(db, as_of=as_of, mode="test", sources=["no_regjeringen_horingssvar"])
        report = Report(source="no_regjeringen_horingssvar", notes=notes, stats=stats, may_be_empty=True,
                        args={"hearings": hearings, "read": read})
        return store_crawl(db, run_id=run, as_of=as_of, report=report, items=[])

    blocked = "no answer list could be read (0 of 2 hearings): blocked (HTTP 403/429/challenge or robots.txt)"
    row = health([robots], {"tracker/robots_blocked": 2}, two, [])
    assert row["status"] == "red" and blocked in row["reason"], row
    row = health([challenge, robots], {"tracker/detail_blocked": 1, "tracker/robots_blocked": 1}, two, [])
    assert row["status"] == "red" and blocked in row["reason"], row
    row = health([challenge], {"tracker/detail_blocked": 1}, two, ["2477096"])
    assert row["status"] == "amber" and "could be read" not in row["reason"], row


@pytest.mark.slow
def test_answers_that_read_nothing_from_a_recording_are_red(tmp_path):
    """`answers --replay` of a day whose recording holds none of the answer lists asked for (0 of 25
    read, every request not in the recording) said amber and exited 0; the same failure live is red
    with exit 2. Now red, exit 2, the health row says why."""
    from tracker.store.db import open_db

    run, db_path = _answers_world(tmp_path, [(PAGE2, 200, "list_page2.html")])  # page 1 not recorded
    out = run()
    assert out.returncode == 2, out.stdout + out.stderr[-2000:]
    assert out.stdout.startswith("Høringssvar (regjeringen.no; no_regjeringen_horingssvar): FEILER — ingen svarliste kunne "
                                 "leses (0 av 1 høring)")
    db = open_db(db_path)
    assert db.execute("select status from health where source = 'no_regjeringen_horingssvar'").fetchone() == ("red",)
    db.close()


@pytest.mark.parametrize("limit", ["0", "-3"])
def test_answers_limit_must_be_positive(tmp_path, limit):
    from click.testing import CliRunner

    from tracker.cli import main

    result = CliRunner().invoke(main, ["--db", str(tmp_path / "t.db"), "answers", "--limit", limit])
    assert result.exit_code == 2 and f"feil: ugyldig verdi for '--limit': {limit} er utenfor det tillatte området x>=1." in result.stderr
    assert not (tmp_path / "t.db").exists()


# ------------------------------------------------------------------ robots.txt, through the engine

ROBOTS_REAL = "real/no_regjeringen_horinger/quaat_robots_2026-07-04.txt"
HTML = {"Content-Type": "text/html; charset=utf-8"}


def _engine(tmp_path, robots: str):
    from support import run_spider

    return run_spider("no_regjeringen_horingssvar", [
        {"url": "https://www.regjeringen.no/robots.txt", "file": robots, "headers": {"Content-Type": "text/plain"}},
        {"url": PAGE1, "file": "no_regjeringen_horingssvar/list_page1.html", "headers": HTML},
        {"url": PAGE2, "file": "no_regjeringen_horingssvar/list_page2.html", "headers": HTML},
    ], tmp_path, as_of="2026-11-24T06:00:00+01:00", args={"hearings": json.dumps(HEARINGS)})  # fmt: skip


@pytest.mark.slow
def test_real_robots_allows_the_answer_list_and_no_uid_page_is_fetched(tmp_path):
    from protego import Protego

    from tests.conftest import FIXTURES

    robots = Protego.parse((FIXTURES / ROBOTS_REAL).read_text("utf-8"))
    run = _engine(tmp_path, ROBOTS_REAL)
    assert run["requested"] == ["https://www.regjeringen.no/robots.txt", PAGE1, PAGE2]
    assert all(robots.can_fetch(u, "ncp-tracker") for u in run["requested"])
    uid_links = [i["url"] for i in run["items"] if "/?uid=" in i["url"]]  # the HTML answer pages
    assert uid_links and not any(robots.can_fetch(u, "ncp-tracker") for u in uid_links)  # listed, never fetched
    assert not [n for n in run["notes"] if "robots" in n[1]]


@pytest.mark.slow
def test_answer_list_forbidden_by_robots_is_never_fetched_and_says_so(tmp_path):
    from tests.conftest import FIXTURES

    robots = tmp_path / "robots.txt"
    robots.write_text((FIXTURES / ROBOTS_REAL).read_text("utf-8") + "Disallow: /*?showSvar\n", "utf-8")
    run = _engine(tmp_path, str(robots))
    assert run["requested"] == ["https://www.regjeringen.no/robots.txt"]
    assert run["items"] == []
    (note,) = run["notes"]
    assert note[0] == "amber" and note[1].startswith("answer lists blocked by robots.txt (not fetched)")
    assert run["stats"]["tracker/robots_blocked"] == 1


def test_the_hearings_to_check_carry_their_title_which_names_a_blocked_list(db, as_of):
    """`ncp-tracker answers` passes each hearing's title, so health names a blocked answer list by
    its hearing (test_health: «2 svarlister blokkert …: «Høyring …»»), not by its address."""
    from tracker.workbench.answers import hearings_to_check

    db["items"].insert({"id": "regjeringen:2477095", "source": "no_regjeringen_horinger", "kind": "hearing",
                        "native_id": "2477095", "title": "Høyring - evalueringen av offentleglova", "url": DETAIL,
                        "deadline": "2016-05-25T23:59:59+02:00", "status": "closed"})  # fmt: skip
    todo = hearings_to_check(db, as_of)
    assert todo["2477095"]["title"] == "Høyring - evalueringen av offentleglova"
    spider = make_spider(NoRegjeringenHoringssvarSpider, hearings=todo)
    list(spider.parse(file_response("no_regjeringen_horingssvar/challenge.html", PAGE1, status=403),
                      hearing_id="2477095", detail_url=DETAIL))
    assert spider.crawler.stats.get_value("tracker/detail_blocked_pages") == ["«Høyring - evalueringen av offentleglova»"]
