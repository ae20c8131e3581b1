"""Every format read back by an independent reader: feedparser, icalendar, the email parser."""

from __future__ import annotations

import email
import json
import re
from datetime import date, timedelta
from email import policy
from html.parser import HTMLParser
from urllib.parse import unquote

import feedparser
import icalendar
import pytest
from test_digest_world import DAY1, DAY2, build_world, iid

import tracker.digest as digest
from tracker.store import merge as store
from tracker.store.instants import stored


def _atom(db, **kw):
    return feedparser.parse(digest.render_atom(db, as_of=kw.pop("as_of", DAY2), profile=kw.pop("profile", "ncp"), **kw))


def _ics(db, **kw):
    return icalendar.Calendar.from_ical(digest.render_ics(db, as_of=kw.pop("as_of", DAY2), profile=kw.pop("profile", "ncp"), **kw))


def _events(cal):
    return {str(e["UID"]): e for e in cal.walk("VEVENT")}


def test_atom_is_valid_with_needs_input_then_changes(db):
    build_world(db)
    feed = _atom(db)
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert feed.version == "atom10"
    titles = [e.title for e in feed.entries]
    # first what the digest's banner says (a source failing that day), then the items
    assert titles[0].startswith("⚠ 1 kilde feiler: ")
    assert titles[1].startswith("Trenger innspill: Høring – NOU 2026: 9 Menneskerettigheter")
    assert any(t.startswith("Endret: Høring – endringer i åpenhetsloven") for t in titles)
    assert any(t.startswith("Ny: ") for t in titles)
    assert len({e.id for e in feed.entries}) == len(feed.entries)
    hostile = next(e for e in feed.entries if "script" in e.title)
    assert hostile.title.startswith('Trenger innspill: <script>alert("x")</script> Høring & «test»')
    # a consultation sent on a new hearing says so, as in the digest
    resent = next(e for e in feed.entries if e.title.startswith("Trenger innspill: Høring – forslag til lov om "
                                                                "ansvarlige leverandørkjeder i offentlige anskaffelser (ny høring)"))
    assert "Sendt på ny høring; forrige: «Høring – forslag til lov om ansvarlige leverandørkjeder" in resent.summary
    # a new consultation that needs input is listed once, as in the digest: its needs-input entry
    # (new to a reader that day), not also «Ny:» (it was in the feed twice)
    needing = {t.removeprefix("Trenger innspill: ") for t in titles if t.startswith("Trenger innspill: ")}
    assert resent.published.startswith("2026-11-24")  # first seen on day 2: new to a reader
    assert not needing & {t.removeprefix("Ny: ") for t in titles if t.startswith("Ny: ")}
    assert "links" not in hostile or all(link.href.startswith("http") for link in hostile.links)


def test_the_workbench_inbox_says_a_consultation_was_sent_on_a_new_hearing(db, data_dir, tmp_path):
    """The digest said «Sendt på ny høring; forrige: …» and the inbox, where an adviser works the
    list, did not: the earlier hearing may have been answered already."""
    import html

    from tracker.web.app import create_app

    build_world(db)
    page = html.unescape(create_app(str(tmp_path / "test.db"), as_of=DAY2, data_dir=data_dir)
                         .test_client().get("/").get_data(as_text=True))
    assert page.count("Sendt på ny høring; forrige: «Høring – forslag til lov om ansvarlige leverandørkjeder i "
                      "offentlige anskaffelser» (frist fre. 18.12.2026)") == 1


def test_the_feed_names_a_changed_document_by_its_title(db):
    """The feed (and the digest's EU section) said "Dokument endret: https://…/horingsnotat.pdf"."""
    from tracker.store.instants import stored

    build_world(db)
    item = iid("3100001")
    url = "https://www.regjeringen.no/contentassets/abc/horingsnotat.pdf"
    run = max(r["id"] for r in db.query("select id from runs"))
    with db.conn:
        db["events"].insert({"item_id": item, "run_id": run, "at": stored(DAY2), "kind": "documents_changed",
                             "field": url, "before": "a" * 64, "after": "b" * 64})
    entry = next(e for e in _atom(db).entries if e.title.startswith("Endret: Høring – endringer i åpenhetsloven")
                 and "Dokument endret" in e.summary)
    assert "Dokument endret: Høringsnotat" in entry.summary and url not in entry.summary


def test_a_new_item_without_a_deadline_is_no_consultation_without_one(db):
    """Every new EU act, EEA note or fund decision in the feed read "Frist: ingen frist kjent"; a
    new committee hearing gave its written-input deadline only, not its three times."""
    from test_digest_world import ST, crawl_day, day2_items

    build_world(db, days=1)
    act = {"source": "eu_cellar", "kind": "eu_act_update", "native_id": "32026R2201",
           "title": "Commission Delegated Regulation (EU) 2026/2201", "url": "https://eur-lex.europa.eu/eli/reg_del/2026/2201/oj",
           "channel": "sparql", "language": "en"}
    hearing = {"source": ST, "kind": "committee_hearing", "native_id": "sak-99003",
               "title": "Komitéhøring: Endringer i åpenhetsloven – Prop. 30 L (2026–2027)",
               "url": "https://www.stortinget.no/no/Hva-skjer-pa-Stortinget/Horing/?p=99003",
               "owner": "Familie- og kulturkomiteen", "deadline": "2026-12-08T12:00:00+01:00",
               "status_raw": "Planlagt", "channel": "api",
               "extra": {"anmodningsfrist": "2026-11-30T12:00:00+01:00", "innspillsfrist": "2026-12-08T12:00:00+01:00"}}
    crawl_day(db, DAY2, [*day2_items(), hearing])
    run = store.start_run(db, as_of=DAY2, mode="replay", sources=["eu_cellar"])
    store.apply_scrape(db, run_id=run, as_of=DAY2, source="eu_cellar", items=[act])
    store.finish_run(db, run, 0)
    with db.conn:  # relevant, as the tagger makes them (the feed lists the new items the digest does)
        db.execute("update items set relevance = 0.8, relevant = 1, labels = '[\"oecd-vi\"]' "
                   "where native_id in ('32026R2201', 'sak-99003')")
    entries = {e.title: e for e in _atom(db).entries}
    new_act = entries["Ny: Commission Delegated Regulation (EU) 2026/2201"]
    assert new_act.summary == "EU-rettsakt" and "frist" not in new_act.summary.lower()
    # the new committee hearing needs input: listed once, under its needs-input entry, with its times
    title = "Komitéhøring: Endringer i åpenhetsloven – Prop. 30 L (2026–2027)"
    assert "Ny: " + title not in entries
    assert entries["Trenger innspill: " + title].summary.splitlines()[:2] == [
        "Be om å delta innen: man. 30.11.2026 kl. 12.00", "Skriftlige innspill innen: tir. 08.12.2026 kl. 12.00"]
    # answered already (set aside): no longer needing input, it is new in the feed, with its times
    with db.conn:
        db["triage"].insert({"item_id": "no_stortinget_horinger:sak-99003", "state": "submitted",
                             "updated_at": "2026-11-24T05:00:00+00:00"}, replace=True)
    entries = {e.title: e for e in _atom(db).entries}
    assert "Trenger innspill: " + title not in entries
    assert entries["Ny: " + title].summary.splitlines() == [
        "Komitéhøring · Familie- og kulturkomiteen", "Be om å delta innen: man. 30.11.2026 kl. 12.00",
        "Skriftlige innspill innen: tir. 08.12.2026 kl. 12.00"]
    new_hearings = [e for t, e in entries.items() if t.startswith("Ny: Høring")]
    assert new_hearings and all("Frist: " in e.summary for e in new_hearings)


def test_the_feed_lists_the_new_and_changed_items_the_digest_lists(db):
    """The feed had an entry for every new or changed item in the profile's scope: on a first day
    every hearing regjeringen.no lists, most of them no business of the NCP's. Now a new item when
    it is relevant to the profile, a change when the profile follows the item (relevant, or an
    adviser works on it), as the digest's «Nytt» and «Endret»."""
    from tracker.attention.profiles import load_profile
    from tracker.digest.build import items_by_id

    build_world(db)
    entries = _atom(db).entries
    titles = [e.title for e in entries]
    hunting = "Høring – endringer i forskrift om utøvelse av jakt, felling og fangst"
    assert not any(hunting in t for t in titles)  # closed on day 2, not relevant
    profile = load_profile("ncp")
    ids = [r["item_id"] for r in db.query("select distinct item_id from events")]
    items = items_by_id(db, ids)
    new = {e.title.removeprefix("Ny: ") for e in entries if e.title.startswith("Ny: ")}
    assert new and all(profile.relevant(i) for i in items.values() if i["title"] in new)
    assert any(not profile.relevant(i) for i in items.values())  # the world has items the feed leaves out
    # an adviser follows it: its change is in the feed again
    with db.conn:
        db["triage"].insert({"item_id": iid("3100003"), "state": "watching", "updated_at": "2026-11-24T05:00:00+00:00"},
                            replace=True)
    assert any(t.startswith("Endret: " + hunting) for t in (e.title for e in _atom(db).entries))


def test_the_feed_lists_no_change_recorded_with_an_items_first_sight(db):
    """A new consultation's documents, read by the crawl that first saw it, touched a watched
    provision: the feed had it as «Trenger innspill» and as «Endret» the same morning, while the
    digest said «Endret (0) Ingenting.» (the demo's day 1: regjeringen:3150100 and 3150137; day 2:
    regjeringen:3172240, 15 changes for the 24th against the digest's 14). Now the feed's «Endret»
    of a day is the digest's: a change recorded with an item's first sight is no entry of its own,
    a later one is."""
    from test_digest_world import crawl_day, day2_items, tag

    from tracker.attention.profiles import load_profile

    def provision_hit(native_id, run_id, as_of):  # as tracker.documents.read records one
        with db.conn:
            db["events"].insert({"item_id": iid(native_id), "run_id": run_id, "at": stored(as_of),
                                 "kind": "provision_hit", "field": "apenhetsloven-4", "before": None,
                                 "after": "åpenhetsloven § 4"})

    def changed(feed):
        return {e.title.removeprefix("Endret: ") for e in feed.entries if e.title.startswith("Endret: ")}

    def digest_changed(as_of):
        d = digest.build_digest(db, as_of=as_of, profile="ncp")
        return {r["title"] for r in d.changed if load_profile("ncp").follows(r)}

    build_world(db, days=1)
    provision_hit("3100001", db.execute("select max(id) from runs").fetchone()[0], DAY1)
    title = db["items"].get(iid("3100001"))["title"]
    day1 = _atom(db, as_of=DAY1)
    assert f"Trenger innspill: {title}" in [e.title for e in day1.entries]
    assert changed(day1) == digest_changed(DAY1) == set()
    run_id = crawl_day(db, DAY2, day2_items())
    tag(db)
    provision_hit("3100010", run_id, DAY2)  # new on day 2, needs input
    provision_hit("3100001", run_id, DAY2)  # day 2's news of an item seen on day 1: a change
    day2 = _atom(db)
    new = db["items"].get(iid("3100010"))["title"]
    assert f"Trenger innspill: {new}" in [e.title for e in day2.entries] and new not in changed(day2)
    assert title in changed(day2) and changed(day2) == digest_changed(DAY2)
    (entry,) = [e for e in day2.entries if e.title == f"Endret: {title}"]  # day 2's, not day 1's hit
    assert entry.updated.startswith("2026-11-24") and "åpenhetsloven § 4" in entry.summary


def test_atom_ids_are_stable_across_runs_and_databases(db, tmp_path):
    from tracker.store.db import open_db

    build_world(db)
    first = [e.id for e in _atom(db).entries]
    assert first == [e.id for e in _atom(db).entries]
    other = open_db(tmp_path / "other.db")
    build_world(other)
    assert [e.id for e in _atom(other).entries] == first
    other.close()


def test_an_entry_whose_data_did_not_change_reads_the_same_the_next_day(db):
    """A feed reader shows an entry again only when its `updated` moves: the entry of a hearing
    whose data did not change said «Frist: tir. 24.11.2026 (1 virkedag igjen)» one day and «Frist i
    dag» the next under the same `updated`, so the reader kept yesterday's words on the deadline
    day. The feed says the dates (and the calendar's descriptions likewise); «i dag» and «N
    virkedager igjen» are the day's digest's."""
    from datetime import timedelta

    build_world(db)
    today, tomorrow = _atom(db), _atom(db, as_of=DAY2 + timedelta(days=1))
    same = {e.id: e for e in today.entries}
    pairs = [(same[e.id], e) for e in tomorrow.entries if e.id in same and same[e.id].updated == e.updated]
    assert len(pairs) >= 5
    for before, after in pairs:
        assert before.summary == after.summary, (before.title, before.summary, after.summary)
    words = "\n".join(e.summary for e in today.entries)
    assert "Frist: " in words and "virkedag" not in words and "Frist i dag" not in words
    cal = [str(e["DESCRIPTION"]) for e in _ics(db).walk("VEVENT")]
    assert cal and not [d for d in cal if "i dag" in d or "passert" in d or "virkedag" in d]


def test_ics_is_valid_with_deadline_and_draft_events(db):
    build_world(db)
    cal = _ics(db)
    assert str(cal["VERSION"]) == "2.0" and cal["PRODID"]
    events = _events(cal)
    for event in events.values():
        for prop in ("UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY", "SEQUENCE", "STATUS"):
            assert prop in event, prop
    deadline = events[f"deadline-{iid('3100010')}-ncp@ncp-tracker"]
    assert deadline["DTSTART"].dt == date(2026, 11, 27) and deadline["DTEND"].dt == date(2026, 11, 28)
    assert str(deadline["SUMMARY"]).startswith("Frist: Høring – NOU 2026: 9")
    draft = events[f"draft-{iid('3100010')}-ncp@ncp-tracker"]
    assert draft["DTSTART"].dt == date(2026, 11, 20)
    eu = events[f"deadline-{iid('14567')}-ncp@ncp-tracker"]
    assert eu["DTSTART"].dt == date(2026, 12, 10)
    # marked not relevant by an adviser: its events stay, cancelled (an imported copy drops them)
    not_relevant = [events[f"{k}-{iid('3100006')}-ncp@ncp-tracker"] for k in ("deadline", "draft")]
    assert [str(e["STATUS"]) for e in not_relevant] == ["CANCELLED", "CANCELLED"]
    assert "Status: ikke relevant" in str(not_relevant[0]["DESCRIPTION"]).splitlines()
    assert f"deadline-{iid('3100003')}-ncp@ncp-tracker" not in events  # below the threshold


def test_ics_sequence_grows_when_a_deadline_moves_and_withdrawn_is_cancelled(db):
    build_world(db, days=1)
    day1 = _events(_ics(db, as_of=DAY1))
    moved_uid = f"deadline-{iid('3100001')}-ncp@ncp-tracker"
    withdrawn_uid = f"deadline-{iid('3100004')}-ncp@ncp-tracker"
    assert int(day1[moved_uid]["SEQUENCE"]) == 0 and day1[moved_uid]["DTSTART"].dt == date(2026, 12, 4)
    assert str(day1[withdrawn_uid]["STATUS"]) == "CONFIRMED"
    build_world_day2(db)
    day2 = _events(_ics(db))
    assert int(day2[moved_uid]["SEQUENCE"]) == 1 and day2[moved_uid]["DTSTART"].dt == date(2026, 12, 11)
    assert str(day2[withdrawn_uid]["STATUS"]) == "CANCELLED" and int(day2[withdrawn_uid]["SEQUENCE"]) == 1
    # regenerating gives the same calendar, byte for byte
    assert digest.render_ics(db, as_of=DAY2, profile="ncp") == digest.render_ics(db, as_of=DAY2, profile="ncp")


def test_ics_has_no_cancelled_copy_of_a_hearing_first_seen_withdrawn(db):
    """A hearing the crawl first saw already withdrawn («Trukket») was in the calendar as
    STATUS:CANCELLED: no calendar ever had it, and a cancelled event never confirmed shows in some
    clients as a struck-out meeting. Left out; one withdrawn after it was seen stays cancelled."""
    from test_digest_world import crawl_day, day2_items, hearing

    from tracker.store import ids

    build_world(db)
    first_seen_withdrawn = hearing("3100099", "Høring – forslag til lov om ansvarlige leverandørkjeder (trukket)",
                                   "2026-12-18T23:59:59+01:00", status_raw="Trukket")
    crawl_day(db, DAY2 + timedelta(days=1), [*day2_items(), first_seen_withdrawn])
    new_id = ids.item_id(first_seen_withdrawn["source"], "3100099", first_seen_withdrawn["url"])
    with db.conn:  # as relevant as the hearing it repeats: the calendar would list it
        db.execute("update items set labels = '[\"oecd-ii\"]', relevant = 1, relevance = 0.8 where id = ?",
                   [new_id])
    assert db["items"].get(new_id)["status"] == "withdrawn"
    events = _events(_ics(db, as_of=DAY2 + timedelta(days=1)))
    assert not [uid for uid in events if new_id in uid]
    assert str(events[f"deadline-{iid('3100004')}-ncp@ncp-tracker"]["STATUS"]) == "CANCELLED"


def test_ics_sequence_grows_when_the_internal_deadline_moves_and_never_goes_back(db):
    """The draft event is dated by the adviser's internal deadline, but SEQUENCE counted only the
    source's deadline moves and DTSTAMP was the item's last change: a moved internal deadline kept
    both, so a calendar that had imported the event could keep the old day. And SEQUENCE fell back
    by one when a withdrawn hearing came back."""
    from tracker.workbench import triage

    build_world(db)
    item = iid("3100010")
    draft_uid = f"draft-{item}-ncp@ncp-tracker"
    before = _events(_ics(db))[draft_uid]
    assert before["DTSTART"].dt == date(2026, 11, 20)
    triage.set_state(db, item, internal_deadline="2026-11-25", by="kari", at="2026-11-24T10:00:00+01:00")
    after = _events(_ics(db))
    moved = after[draft_uid]
    assert moved["DTSTART"].dt == date(2026, 11, 25)
    assert int(moved["SEQUENCE"]) > int(before["SEQUENCE"])
    assert moved["DTSTAMP"].dt > before["DTSTAMP"].dt and moved["LAST-MODIFIED"].dt == moved["DTSTAMP"].dt
    deadline_uid = f"deadline-{item}-ncp@ncp-tracker"
    assert int(after[deadline_uid]["SEQUENCE"]) == int(moved["SEQUENCE"])  # one number per item
    # a withdrawn hearing that comes back: its events are confirmed again, with a higher SEQUENCE
    withdrawn_uid = f"deadline-{iid('3100004')}-ncp@ncp-tracker"
    cancelled = after[withdrawn_uid]
    assert str(cancelled["STATUS"]) == "CANCELLED"
    from test_digest_world import crawl_day, day2_items

    day3 = [{**i, "status_raw": "Åpen"} if i["native_id"] == "3100004" else i for i in day2_items()]
    crawl_day(db, DAY2 + timedelta(days=1), day3)
    assert db["items"].get(iid("3100004"))["status"] == "open"
    back = _events(_ics(db, as_of=DAY2 + timedelta(days=1)))[withdrawn_uid]
    assert str(back["STATUS"]) == "CONFIRMED" and int(back["SEQUENCE"]) > int(cancelled["SEQUENCE"])


def test_ics_cancels_what_triage_sets_aside_instead_of_dropping_it(db):
    """An item marked not relevant lost its events, and an answered one its draft-due event, from
    one calendar to the next: a subscribed calendar dropped them, but one that had imported the
    events kept "Utkast klart" and the deadline for ever. Now they stay as CANCELLED with a higher
    SEQUENCE; the answered item's deadline stays confirmed, and each event names the state."""
    from tracker.workbench import triage

    build_world(db)
    answered, dropped = iid("3100010"), iid("3100001")
    before = _events(_ics(db))
    uids = {(k, i): f"{k}-{i}-ncp@ncp-tracker" for k in ("deadline", "draft") for i in (answered, dropped)}
    assert all(str(before[u]["STATUS"]) == "CONFIRMED" for u in uids.values())
    for n, state in enumerate(("respond", "assigned", "drafting", "submitted")):
        triage.set_state(db, answered, state, owner="kari" if state == "assigned" else None, by="kari",
                         at=f"2026-11-24T10:0{n}:00+01:00")
    triage.set_state(db, dropped, "not_relevant", by="kari", at="2026-11-24T10:05:00+01:00")
    after = _events(_ics(db))
    status = {key: str(after[u]["STATUS"]) for key, u in uids.items()}
    assert status == {("deadline", answered): "CONFIRMED", ("draft", answered): "CANCELLED",
                      ("deadline", dropped): "CANCELLED", ("draft", dropped): "CANCELLED"}
    assert all(int(after[u]["SEQUENCE"]) > int(before[u]["SEQUENCE"]) for u in uids.values())
    assert "Status: sendt" in str(after[uids["draft", answered]]["DESCRIPTION"]).splitlines()


def test_ics_sequence_grows_when_a_committee_hearing_moves(db):
    """A committee hearing's own time is in `extra`: its move was no event, so the calendar's hearing
    event changed day with the same SEQUENCE."""
    from test_digest_world import crawl_day, day1_items, tag

    def with_hearing(start):
        return [{**i, "extra": {"hearing_start": start, "deadline_basis": "innspillsfrist"}}
                if i["native_id"] == "h-1042" else i for i in day1_items()]

    crawl_day(db, DAY1, with_hearing("2026-11-30T09:30:00+01:00"))
    tag(db)
    uid = f"hearing-{iid('h-1042')}-ncp@ncp-tracker"
    first = _events(_ics(db, as_of=DAY1))[uid]
    crawl_day(db, DAY2, with_hearing("2026-12-02T10:00:00+01:00"))
    tag(db)
    moved = _events(_ics(db))[uid]
    assert moved["DTSTART"].dt.isoformat() == "2026-12-02T10:00:00+01:00"
    assert int(moved["SEQUENCE"]) == int(first["SEQUENCE"]) + 1


def test_a_committee_hearings_time_known_only_by_its_day_is_an_all_day_event(db):
    """The Storting's written-input deadline is a day (stored at 23:59, as every deadline known
    by its day): the calendar made it a quarter-hour meeting from 23:59 into the next day, where
    the digest says «Skriftlige innspill innen: tir. 01.12.2026». A time given stays a time."""
    from datetime import date

    from test_digest_world import crawl_day, day1_items, tag

    items = [{**i, "extra": {"hearing_start": "2026-12-03T09:30:00+01:00", "deadline_basis": "innspillsfrist",
                             "innspillsfrist": "2026-12-01T23:59:00+01:00",
                             "anmodningsfrist": "2026-11-26T12:00:00+01:00"}}
             if i["native_id"] == "h-1042" else i for i in day1_items()]
    crawl_day(db, DAY1, items)
    tag(db)
    events = _events(_ics(db, as_of=DAY1))
    written = events[f"written-{iid('h-1042')}-ncp@ncp-tracker"]
    assert written.decoded("DTSTART") == date(2026, 12, 1) and written.decoded("DTEND") == date(2026, 12, 2)
    ask = events[f"ask-{iid('h-1042')}-ncp@ncp-tracker"]
    assert ask.decoded("DTSTART").isoformat() == "2026-11-26T12:00:00+01:00"
    hearing = events[f"hearing-{iid('h-1042')}-ncp@ncp-tracker"]
    assert hearing.decoded("DTSTART").isoformat() == "2026-12-03T09:30:00+01:00"


def test_where_a_committee_hearing_is_held_is_said_in_the_digest_and_the_calendar(db):
    """The Storting gives each sitting's place («Stortingets komitéhus, Høringssal 1»); the digest
    and the calendar said only when — an adviser going there looked it up. The place of the
    sitting at the hearing's start, and each further day it sits with its own place: the digest,
    the calendar and the draft named the first day only."""
    from test_digest_world import crawl_day, day1_items, tag

    sittings = [{"sted": "Høringssal 2", "tidspunkt": "2026-12-04T09:00:00+01:00"},
                {"sted": "Stortingets komitéhus, Høringssal 1", "tidspunkt": "2026-12-03T09:30:00+01:00"}]
    items = [{**i, "extra": {"hearing_start": "2026-12-03T09:30:00+01:00", "deadline_basis": "innspillsfrist",
                             "hearing_times": sittings}} if i["native_id"] == "h-1042" else i for i in day1_items()]
    crawl_day(db, DAY1, items)
    tag(db)
    md = digest.render_markdown(digest.build_digest(db, as_of=DAY1, profile="ncp"))
    assert ("Høringen holdes: tor. 03.12.2026 kl. 09.30, Stortingets komitéhus, Høringssal 1; "
            "fre. 04.12.2026 kl. 09.00, Høringssal 2\n") in md
    events = _events(_ics(db, as_of=DAY1))
    uid = f"hearing-{iid('h-1042')}-ncp@ncp-tracker"
    second = f"hearing-2026-12-04-{iid('h-1042')}-ncp@ncp-tracker"
    assert str(events[uid]["LOCATION"]) == "Stortingets komitéhus, Høringssal 1"
    assert str(events[second]["LOCATION"]) == "Høringssal 2"
    assert events[second].decoded("DTSTART").isoformat() == "2026-12-04T09:00:00+01:00"
    assert str(events[second]["SUMMARY"]) == str(events[uid]["SUMMARY"])
    assert sorted(u for u, e in events.items() if "LOCATION" in e) == sorted([uid, second])  # a deadline has no place


def test_ics_cancels_a_committee_hearings_time_the_storting_no_longer_gives(db):
    """The export stopped giving the deadline to ask to speak ("" from the spider: removed): its
    event left the calendar without a word, so a calendar that had imported it kept the old time.
    Now it stays, at its last known time, as CANCELLED with a higher SEQUENCE; the hearing itself
    and the written input stay confirmed."""
    from test_digest_world import crawl_day, day1_items, tag

    def with_times(ask):
        return [{**i, "extra": {"hearing_start": "2026-12-03T09:30:00+01:00", "anmodningsfrist": ask,
                                "innspillsfrist": "2026-12-01T12:00:00+01:00", "deadline_basis": "innspillsfrist"}}
                if i["native_id"] == "h-1042" else i for i in day1_items()]

    crawl_day(db, DAY1, with_times("2026-11-27T12:00:00+01:00"))
    tag(db)
    ask_uid = f"ask-{iid('h-1042')}-ncp@ncp-tracker"
    hearing_uid = f"hearing-{iid('h-1042')}-ncp@ncp-tracker"
    first = _events(_ics(db, as_of=DAY1))
    assert str(first[ask_uid]["STATUS"]) == "CONFIRMED"
    crawl_day(db, DAY2, with_times(""))
    tag(db)
    assert json.loads(db["items"].get(iid("h-1042"))["extra"])["anmodningsfrist"] == ""
    after = _events(_ics(db))
    gone = after[ask_uid]
    assert str(gone["STATUS"]) == "CANCELLED"
    assert gone["DTSTART"].dt.isoformat() == "2026-11-27T12:00:00+01:00"
    assert int(gone["SEQUENCE"]) > int(first[ask_uid]["SEQUENCE"])
    assert str(after[hearing_uid]["STATUS"]) == "CONFIRMED"
    assert str(after[f"written-{iid('h-1042')}-ncp@ncp-tracker"]["STATUS"]) == "CONFIRMED"
    # given again: confirmed again, at the new time
    crawl_day(db, DAY2 + timedelta(days=1), with_times("2026-11-30T12:00:00+01:00"))
    back = _events(_ics(db, as_of=DAY2 + timedelta(days=1)))[ask_uid]
    assert str(back["STATUS"]) == "CONFIRMED" and back["DTSTART"].dt.isoformat() == "2026-11-30T12:00:00+01:00"
    # a month and more after the removed time, the cancelled event is gone like any past one
    assert ask_uid not in _events(_ics(db, as_of=DAY2 + timedelta(days=45)))


def test_the_calendar_of_an_earlier_day_is_the_store_as_it_stood_then(db):
    """`digest --date 2026-11-23 --format ics` was the store of today: the 24th's deadlines (a
    moved one at its new day) and the items first seen on the 24th, where the Markdown of the
    23rd has that day's. The same facts in every format of one day."""
    build_world(db)
    day1 = _events(_ics(db, as_of=DAY1))
    day2 = _events(_ics(db))
    md1 = digest.render_markdown(digest.build_digest(db, as_of=DAY1, profile="ncp"))
    assert set(day1) != set(day2)
    first_seen_later = {r["id"] for r in db.query("select id from items where first_seen > ?", ["2026-11-23T12:00:00Z"])}
    assert first_seen_later and not [u for u in day1 if any(f"-{i}-" in u for i in first_seen_later)]
    moved = list(db.query("select item_id, before, after from events where kind = 'deadline_changed'"))
    assert moved
    for m in moved:
        uid = f"deadline-{m['item_id']}-ncp@ncp-tracker"
        if uid in day1 and uid in day2:
            assert day1[uid].decoded("DTSTART").isoformat() == m["before"][:10]
            assert day2[uid].decoded("DTSTART").isoformat() == m["after"][:10]
            title = str(day1[uid]["SUMMARY"]).split(": ", 1)[1][:40]
            assert title in md1
            break
    else:
        raise AssertionError("no moved deadline in both calendars")


def test_ics_has_a_storting_cases_hearing_deadline_until_a_committee_hearing_holds_the_case(db):
    """A representantforslag on the fund had its hearing deadline on the horizon and in the digest
    but not in the subscribed calendar. Now an all-day event on its day (a saksgang date at 00:00 is
    that day); cancelled, not dropped, once a committee hearing item holds the case (its own events
    then say it once) or when the saksgang no longer gives the date."""
    build_world(db)

    def crawl(source, as_of, item):
        run = store.start_run(db, as_of=as_of, mode="test", sources=[source])
        store.apply_scrape(db, run_id=run, as_of=as_of, source=source, items=[{"source": source, **item}])
        store.finish_run(db, run, 0)

    case = {"kind": "storting_case", "native_id": "107095", "status_raw": "til behandling", "owner": "Finanskomiteen",
            "title": "Representantforslag om å gjeninnføre Etikkrådets tilrådninger om utelukkelse fra SPU",
            "url": "https://www.stortinget.no/no/Saker-og-publikasjoner/Saker/Sak/?p=107095",
            "extra": {"hearing_deadline": "2026-12-07T00:00:00+01:00"}}
    crawl("no_stortinget_spu", DAY2, case)
    with db.conn:
        db.execute("update items set labels = '[\"gpfg\"]', relevant = 1, relevance = 0.8 where native_id = '107095'")
    uid = "case_deadline-no_stortinget_spu:107095-ncp@ncp-tracker"
    first = _events(_ics(db))[uid]
    assert str(first["STATUS"]) == "CONFIRMED" and first["DTSTART"].dt == date(2026, 12, 7)
    assert str(first["SUMMARY"]).startswith("Høringsfrist i saken, Stortinget: Representantforslag om å gjeninnføre")
    assert "Høringsfrist i saken: man. 07.12.2026" in str(first["DESCRIPTION"])
    english = _events(_ics(db, lang="en"))[uid]
    assert str(english["SUMMARY"]).startswith("Storting: hearing deadline of the case: ")
    # the saksgang no longer gives it (""): cancelled at its last known day, SEQUENCE up
    crawl("no_stortinget_spu", DAY2 + timedelta(hours=1), {**case, "extra": {"hearing_deadline": ""}})
    gone = _events(_ics(db, as_of=DAY2 + timedelta(hours=1)))[uid]
    assert str(gone["STATUS"]) == "CANCELLED" and gone["DTSTART"].dt == date(2026, 12, 7)
    assert int(gone["SEQUENCE"]) > int(first["SEQUENCE"])
    # given again, then the committee publishes a hearing for the case: its events, the case's cancelled
    crawl("no_stortinget_spu", DAY2 + timedelta(hours=2), case)
    assert str(_events(_ics(db, as_of=DAY2 + timedelta(hours=2)))[uid]["STATUS"]) == "CONFIRMED"
    crawl("no_stortinget_horinger", DAY2 + timedelta(hours=3), {
        "kind": "committee_hearing", "native_id": "sak-107095", "owner": "Finanskomiteen",
        "title": "Komitéhøring: Representantforslag om å gjeninnføre Etikkrådets tilrådninger",
        "url": "https://www.stortinget.no/no/Hva-skjer-pa-Stortinget/Horing/?p=99095",
        "deadline": "2026-12-07T12:00:00+01:00", "status_raw": "Planlagt",
        "extra": {"case_ids": ["107095"], "deadline_basis": "innspillsfrist", "innspillsfrist": "2026-12-07T12:00:00+01:00"}})
    with db.conn:
        db.execute("update items set labels = '[\"gpfg\"]', relevant = 1, relevance = 0.8 where native_id = 'sak-107095'")
    held = _events(_ics(db, as_of=DAY2 + timedelta(hours=3)))
    assert str(held[uid]["STATUS"]) == "CANCELLED"
    # the calendar of the first hour is the store as it stood then: the case's date given
    assert str(_events(_ics(db))[uid]["STATUS"]) == "CONFIRMED"
    assert str(held["written-no_stortinget_horinger:sak-107095-ncp@ncp-tracker"]["STATUS"]) == "CONFIRMED"


def test_ics_has_no_cancelled_copy_of_a_storting_case_date_it_never_gave(db):
    """The demo's first calendar (the 23rd) had «Komitéhøring: Statens pensjonsfond utland – …» on
    08.12 and «Høringsfrist i saken, Stortinget: …» on 04.12 as STATUS:CANCELLED beside the confirmed
    committee hearing: a committee hearing item held the case from the crawl that first saw it, so
    no calendar ever had the case's dates. A cancelled event is for one a subscriber may hold; a
    date the calendar never gave is left out (one it gave stays cancelled: the test above)."""
    build_world(db)

    def crawl(source, as_of, item):
        run = store.start_run(db, as_of=as_of, mode="test", sources=[source])
        store.apply_scrape(db, run_id=run, as_of=as_of, source=source, items=[{"source": source, **item}])
        store.finish_run(db, run, 0)

    def case(native_id, status_raw="til behandling", **extra):
        return {"kind": "storting_case", "native_id": native_id, "status_raw": status_raw, "owner": "Finanskomiteen",
                "title": f"Statens pensjonsfond utland – etisk rammeverk etter gjennomgangen i 2026 ({native_id})",
                "url": f"https://www.stortinget.no/no/Saker-og-publikasjoner/Saker/Sak/?p={native_id}", "extra": extra}

    def relevant():
        with db.conn:
            db.execute("update items set labels = '[\"gpfg\"]', relevant = 1, relevance = 0.8 "
                       "where native_id in ('107131', 'sak-107131', '107200', '107300')")

    dates = {"hearing_deadline": "2026-12-04T00:00:00+01:00", "hearing": "2026-12-08T00:00:00+01:00"}
    # a case and the committee hearing that holds it, first seen by one crawl
    run = store.start_run(db, as_of=DAY2, mode="test", sources=["no_stortinget_spu", "no_stortinget_horinger"])
    store.apply_scrape(db, run_id=run, as_of=DAY2, source="no_stortinget_spu",
                       items=[{"source": "no_stortinget_spu", **case("107131", **dates)}])
    store.apply_scrape(db, run_id=run, as_of=DAY2, source="no_stortinget_horinger", items=[{
        "source": "no_stortinget_horinger", "kind": "committee_hearing", "native_id": "sak-107131",
        "owner": "Finanskomiteen", "title": "Komitéhøring: Statens pensjonsfond utland – etisk rammeverk – Meld. St. 8",
        "url": "https://www.stortinget.no/no/Hva-skjer-pa-Stortinget/Horing/?p=10006202",
        "deadline": "2026-12-04T12:00:00+01:00", "status_raw": "Planlagt",
        "extra": {"case_ids": ["107131"], "deadline_basis": "innspillsfrist", "innspillsfrist": "2026-12-04T12:00:00+01:00",
                  "hearing_start": "2026-12-08T10:00:00+01:00"}}])
    store.finish_run(db, run, 0)
    # a case first seen withdrawn, with its dates
    crawl("no_stortinget_spu", DAY2, case("107200", status_raw="trukket", **dates))
    relevant()
    later = DAY2 + timedelta(hours=1)
    crawl("no_stortinget_spu", later, case("107300"))  # a case known without dates
    relevant()
    for as_of in (DAY2, later, DAY2 + timedelta(days=1)):
        cal = _ics(db, as_of=as_of)
        uids = set(_events(cal))
        assert not [u for u in uids if u.startswith(("case_deadline-", "case_hearing-"))
                    and any(n in u for n in ("107131", "107200"))], as_of
        assert str(_events(cal)["hearing-no_stortinget_horinger:sak-107131-ncp@ncp-tracker"]["STATUS"]) == "CONFIRMED"
        cancelled = [str(e["SUMMARY"]) for e in cal.walk("VEVENT") if str(e["STATUS"]) == "CANCELLED"]
        assert not [t for t in cancelled if "etisk rammeverk" in t], cancelled
    # its dates come once a hearing holds it (a hearing of it recorded first): never given either
    crawl("no_stortinget_horinger", later + timedelta(hours=1), {
        "kind": "committee_hearing", "native_id": "sak-107300", "owner": "Finanskomiteen",
        "title": "Komitéhøring: en annen sak", "url": "https://www.stortinget.no/no/Hva-skjer-pa-Stortinget/Horing/?p=1",
        "deadline": "2026-12-04T12:00:00+01:00", "status_raw": "Planlagt", "extra": {"case_ids": ["107300"]}})
    crawl("no_stortinget_spu", later + timedelta(hours=2), case("107300", **dates))
    relevant()
    uids = set(_events(_ics(db, as_of=later + timedelta(hours=2))))
    assert not [u for u in uids if u.startswith(("case_deadline-", "case_hearing-")) and "107300" in u]


def test_ics_cancels_a_further_day_a_committee_hearing_no_longer_sits(db):
    """A hearing over two days cut to one: the second day's event left the calendar without a word
    (a calendar that had imported it kept it). It stays, cancelled, at its time and room; given
    again, it is confirmed again."""
    from test_digest_world import crawl_day, day1_items, tag

    day1 = {"sted": "Høringssal 1", "tidspunkt": "2026-12-03T09:30:00+01:00"}
    day2 = {"sted": "Høringssal 2", "tidspunkt": "2026-12-04T09:00:00+01:00"}

    def with_sittings(sittings):
        return [{**i, "extra": {"hearing_start": day1["tidspunkt"], "deadline_basis": "innspillsfrist",
                                "hearing_times": sittings}} if i["native_id"] == "h-1042" else i for i in day1_items()]

    second = f"hearing-2026-12-04-{iid('h-1042')}-ncp@ncp-tracker"
    crawl_day(db, DAY1, with_sittings([day1, day2]))
    tag(db)
    assert str(_events(_ics(db, as_of=DAY1))[second]["STATUS"]) == "CONFIRMED"
    crawl_day(db, DAY2, with_sittings([day1]))
    tag(db)
    events = _events(_ics(db))
    gone = events[second]
    assert str(gone["STATUS"]) == "CANCELLED" and str(gone["LOCATION"]) == "Høringssal 2"
    assert gone.decoded("DTSTART").isoformat() == "2026-12-04T09:00:00+01:00"
    assert str(events[f"hearing-{iid('h-1042')}-ncp@ncp-tracker"]["STATUS"]) == "CONFIRMED"
    crawl_day(db, DAY2 + timedelta(days=1), with_sittings([day1, day2]))
    assert str(_events(_ics(db, as_of=DAY2 + timedelta(days=1)))[second]["STATUS"]) == "CONFIRMED"


def build_world_day2(db):
    from test_digest_world import EU, RG, ST, crawl_day, day2_items, tag

    crawl_day(db, DAY2, day2_items(), health_status={RG: ("green", 10), ST: ("red", 0), EU: ("amber", 1)})
    tag(db)


def test_ics_keeps_recent_past_deadlines_and_drops_old_ones(db):
    build_world(db)
    later = _events(_ics(db, as_of=DAY2 + timedelta(days=10)))
    assert f"deadline-{iid('3100010')}-ncp@ncp-tracker" in later
    much_later = _events(_ics(db, as_of=DAY2 + timedelta(days=45)))
    assert f"deadline-{iid('3100010')}-ncp@ncp-tracker" not in much_later


def test_empty_calendar_and_feed_are_still_valid_and_say_why(db):
    """No crawl has run: a subscribed calendar or feed says so instead of looking like a quiet
    month (it used to be empty)."""
    cal = _ics(db)
    (event,) = cal.walk("VEVENT")
    assert str(event["SUMMARY"]) == "⚠ ncp-tracker: Ingen innhenting er kjørt ennå: det finnes ingen data å vise."
    assert event.decoded("DTSTART") == DAY2.date() and list(cal.walk("VTIMEZONE"))
    feed = _atom(db)
    assert feed.bozo == 0 and [e.title for e in feed.entries] == [
        "⚠ Ingen innhenting er kjørt ennå: det finnes ingen data å vise."]


def test_calendar_and_feed_say_first_when_the_crawl_stopped(db):
    build_world(db, red_on_day2=False)
    assert not [e for e in _ics(db).walk("VEVENT") if str(e["UID"]).startswith("warning-")]  # fresh
    later = DAY2 + timedelta(days=3)
    events = list(_ics(db, as_of=later).walk("VEVENT"))
    warning = next(e for e in events if str(e["UID"]).startswith("warning-"))
    assert "Siste vellykkede innhenting var tir. 24.11.2026 kl. 06.00, for mer enn 36 timer siden" in str(warning["SUMMARY"])
    assert warning.decoded("DTSTART") == later.date()
    assert str(warning["UID"]) in {str(e["UID"]) for e in _ics(db, as_of=later).walk("VEVENT")}  # stable that day
    feed = _atom(db, as_of=later, lang="en")
    assert feed.entries[0].title.startswith("⚠ The latest successful crawl was Tue 24 Nov 2026 06:00")
    assert feed.entries[0].id == _atom(db, as_of=later, lang="en").entries[0].id


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_calendar_and_feed_say_a_failing_source_as_the_digest_does(db, lang):
    """On a day Forbrukertilsynet answered 503 the digest (html, md, txt, eml) said «1 kilde feiler:
    Forbrukertilsynet (nyhetsstrømmen svarte HTTP 503)» but the calendar and the Atom feed had
    nothing (they took only the no-crawl / too-old problems): a subscribed calendar showed a quiet
    day. Now an event and an entry for each failing source, worded as the digest's banner, in the
    feed's language, the UID and id the day's and the source's: read again, the same one."""
    from test_digest_world import EU, RG, ST, crawl_day, day2_items, tag

    build_world(db, days=1)
    crawl_day(db, DAY2, day2_items(), health_status={RG: ("red", 0), ST: ("red", 0), EU: ("green", 1)})
    tag(db)
    d = digest.build_digest(db, as_of=DAY2, profile="ncp", lang=lang)
    rg, st = (("Høringer (regjeringen.no)", "Stortingets komitéhøringer") if lang == "nb" else
              ("Government hearings (regjeringen.no)", "Storting committee hearings"))
    assert not d.problems and [b.text for b in d.banners] == [
        ("2 kilder feiler: " if lang == "nb" else "2 sources are failing: ") + f"{rg} (feed answered 404), {st} (feed answered 404)"]
    one = "1 kilde feiler: " if lang == "nb" else "1 source is failing: "
    worded = {RG: f"{one}{rg} (feed answered 404)", ST: f"{one}{st} (feed answered 404)"}
    warnings = {uid: e for uid, e in _events(_ics(db, lang=lang)).items() if uid.startswith("warning-")}
    assert {uid: str(e["SUMMARY"]) for uid, e in warnings.items()} == {
        f"warning-2026-11-24-failing-{source}-ncp@ncp-tracker": f"⚠ ncp-tracker: {text}" for source, text in worded.items()}
    assert all(e.decoded("DTSTART") == DAY2.date() and str(e["STATUS"]) == "CONFIRMED" for e in warnings.values())
    feed = _atom(db, lang=lang)
    assert feed.bozo == 0 and [e.title for e in feed.entries[:2]] == [f"⚠ {worded[RG]}", f"⚠ {worded[ST]}"]
    assert feed.entries[2].title.startswith("Trenger innspill: " if lang == "nb" else "Needs input: ")
    ids = {e.title: e.id for e in feed.entries[:2]}
    # later that day regjeringen.no answers again: Stortinget's event and entry are the same ones
    # (a calendar does not pile a copy), regjeringen.no's are gone
    crawl_day(db, DAY2 + timedelta(hours=2), day2_items(), health_status={RG: ("green", 10), ST: ("red", 0), EU: ("green", 1)})
    later = DAY2 + timedelta(hours=2, minutes=5)
    assert [uid for uid in _events(_ics(db, as_of=later, lang=lang)) if uid.startswith("warning-")] == [
        f"warning-2026-11-24-failing-{ST}-ncp@ncp-tracker"]
    again = _atom(db, as_of=later, lang=lang)
    assert [(e.title, e.id) for e in again.entries if e.title.startswith("⚠")] == [(f"⚠ {worded[ST]}", ids[f"⚠ {worded[ST]}"])]
    # the next day the same source failing is that day's event
    crawl_day(db, DAY2 + timedelta(days=1), day2_items(), health_status={RG: ("green", 10), ST: ("red", 0), EU: ("green", 1)})
    assert f"warning-2026-11-25-failing-{ST}-ncp@ncp-tracker" in _events(_ics(db, as_of=DAY2 + timedelta(days=1), lang=lang))


def test_eml_is_multipart_alternative_and_parses(db):
    build_world(db)
    raw = digest.render(db, "eml", as_of=DAY2, profile="ncp", recipients=["radgiver@example.org"])
    msg = email.message_from_bytes(raw, policy=policy.default)
    assert msg.get_content_type() == "multipart/alternative"
    assert msg["Subject"] == "[1 kilde feiler] Kontaktpunktet: morgenoversikt tir. 24.11.2026: 8 høringer trenger innspill"
    assert msg["To"] == "radgiver@example.org" and msg["Date"] and msg["Message-ID"] and msg["From"]
    text = msg.get_body(("plain",)).get_content()
    html = msg.get_body(("html",)).get_content()
    assert "TRENGER INNSPILL (8)" in text and '<script>alert("x")</script>' in text
    assert "&lt;script&gt;" in html and "<script>" not in html


def _note_lines_and_headings(text: str, d) -> None:
    """Each section's notes one to a line (with their workbench link), and a blank line before
    each heading, as the plain text reads."""
    lines = text.splitlines()
    notes = [f"{n.text}: {n.url}" if n.url else n.text for s in d.sections for n in s.notes]
    assert len(notes) >= 3  # "new", "changed" and "coming deadlines" each have one
    for note in notes:
        assert note in lines, note
    headings = [s.heading.upper() for s in d.sections] + [d.health_heading.upper()]
    for heading in headings:
        at = lines.index(heading)
        assert lines[at - 1] == "", (lines[at - 1], heading)


@pytest.mark.parametrize("lang", ["nb", "en"])
@pytest.mark.parametrize("workbench", ["", "https://ncp.example.org"])
def test_the_plain_text_puts_each_note_on_its_own_line_and_a_blank_line_before_each_heading(db, lang, workbench):
    """A note without a link used to run into the next note or heading («… (merket NY).1 annen ny
    sak …» then «ENDRET (16)» on the next line): the template's `{% endif %}` ate the line end."""
    build_world(db)
    d = digest.build_digest(db, as_of=DAY2, profile="ncp", lang=lang, workbench_url=workbench)
    text = digest.render_text(d)
    _note_lines_and_headings(text, d)
    raw = digest.render(db, "eml", as_of=DAY2, profile="ncp", lang=lang, digest=d, recipients=["a@example.org"])
    part = email.message_from_bytes(raw, policy=policy.default).get_body(("plain",)).get_content()
    _note_lines_and_headings(part.replace("\r\n", "\n"), d)


def test_english_eml_subject_and_profile_recipients(db):
    build_world(db)
    raw = digest.render(db, "eml", as_of=DAY2, profile="eu", lang="en")
    msg = email.message_from_bytes(raw, policy=policy.default)
    assert msg["Subject"] == "[1 source failing] EU and EEA: consultations and acts Tue 24 Nov 2026: 1 consultation needs input"
    assert msg["To"] == "ncp-eu@example.org"


def test_write_for_run_writes_every_format(db, tmp_path):
    build_world(db)
    out = tmp_path / "digests"  # the database lives in tmp_path itself
    paths = digest.write_for_run(db, as_of=DAY2, out_dir=out, formats=digest.FORMATS)
    assert [p.name for p in paths] == [f"digest-ncp-2026-11-24.{ext}" for ext in
                                       ("md", "html", "txt", "eml", "atom.xml", "ics")]
    assert all(p.stat().st_size > 200 for p in paths)
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in paths)  # no temporary left


def test_store_unchanged_by_rendering(db):
    build_world(db)
    before = (db["items"].count, db["events"].count)
    for fmt in ("atom", "ics", "md"):
        digest.render(db, fmt, as_of=DAY2, profile="ncp")
    assert (db["items"].count, db["events"].count) == before
    assert store  # the write path used by build_world


class _Anchors(HTMLParser):
    """Every <a>: (href, class, text), as a browser would follow them."""

    def __init__(self):
        super().__init__()
        self.found: list[list[str]] = []

        self.inside = False

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            a = dict(attrs)
            self.found.append([a.get("href") or "", a.get("class") or "", ""])
            self.inside = True

    def handle_endtag(self, tag):
        if tag == "a":
            self.inside = False

    def handle_data(self, data):
        if self.inside:
            self.found[-1][2] += data


def _anchors(html: str) -> list[list[str]]:
    parser = _Anchors()
    parser.feed(html)
    return parser.found


def test_with_a_public_workbench_address_every_item_links_to_its_page_there(db, data_dir):
    """[web] public_url: an adviser reading the mail opens the item's page to triage it, and
    "+3 til i arbeidsbenken" leads to the workbench, in every format the mail and files carry."""
    (data_dir / "profiles.toml").write_text("[profiles.ncp]\nneeds_input_cap = 2\n", "utf-8")
    build_world(db)
    d = digest.build_digest(db, as_of=DAY2, profile="ncp", workbench_url="https://ncp.example.org/")
    entries = [e for s in d.sections for g in s.groups for e in g.entries]
    page = {e.id: f"https://ncp.example.org/item/{e.id}" for e in entries if e.id}
    first = d.section("needs-input").groups[0].entries[0]
    assert first.workbench == page[first.id] and ":" in first.id  # "regjeringen:3100001": ':' kept
    assert len(page) > 8  # needs input, new, changed, coming …

    raw = digest.render(db, "eml", as_of=DAY2, profile="ncp", digest=d, recipients=["radgiver@example.org"])
    msg = email.message_from_bytes(raw, policy=policy.default)
    html = msg.get_body(("html",)).get_content()
    text = msg.get_body(("plain",)).get_content()
    anchors = _anchors(html)
    workbench = {href for href, cls, label in anchors if cls == "workbench" and label == "Åpne i arbeidsbenken"}
    assert workbench == set(page.values())
    assert ["https://ncp.example.org/", "", "+3 til i arbeidsbenken"] in anchors
    lines = {line.strip() for line in text.splitlines()}
    for url in page.values():  # on a line of its own, also under a one-line entry (coming deadlines)
        assert f"Arbeidsbenken: {url}" in lines, url
    assert "+3 til i arbeidsbenken: https://ncp.example.org/" in text
    md = digest.render_markdown(d)
    assert f"[Åpne i arbeidsbenken](<{page[first.id]}>)" in md
    assert "_[+3 til i arbeidsbenken](<https://ncp.example.org/>)_" in md

    # the calendar and the feed written beside it (`run`'s formats) too
    events = [e for e in _ics(db, workbench_url="https://ncp.example.org").walk("VEVENT")
              if not str(e["UID"]).startswith("warning-")]  # a source failing that day: no item's page
    described = {str(e["DESCRIPTION"]).splitlines()[-1] for e in events}
    assert f"Arbeidsbenken: {page[first.id]}" in described
    assert all(line.startswith("Arbeidsbenken: https://ncp.example.org/item/") for line in described)
    related = {link.href for e in _atom(db, workbench_url="https://ncp.example.org").entries for link in e.get("links", [])
               if link.rel == "related"}
    assert page[first.id] in related
    assert "Arbeidsbenken" not in str(_ics(db).to_ical(), "utf-8")
    assert not any(link.rel == "related" for e in _atom(db).entries for link in e.get("links", []))

    plain = digest.build_digest(db, as_of=DAY2, profile="ncp")  # no address: no such links
    assert not [a for a in _anchors(digest.render_html(plain)) if "arbeidsbenken" in a[2]]
    assert "Arbeidsbenken:" not in digest.render_text(plain)



def test_the_notes_link_to_the_workbench_search_that_lists_what_they_count(db, data_dir, tmp_path):
    """"3 andre nye saker er ikke relevante for denne profilen (se arbeidsbenken)" was plain text:
    the adviser had to find those items. With [web] public_url each such note leads to the
    workbench's search for what it counts, and that page lists those items."""
    from urllib.parse import urlsplit

    from tracker.web.app import create_app

    def listed(url: str, app) -> tuple[set[str], str]:
        parts = urlsplit(url)
        page = app.test_client().get(f"{parts.path}?{parts.query}").get_data(as_text=True)
        return {unquote(i) for i in re.findall(r'href="/item/([^"]+)"', page)}, page

    build_world(db, days=1)
    d1 = digest.build_digest(db, as_of=DAY1, profile="ncp", workbench_url="https://ncp.example.org/")
    (note,) = [n for n in d1.section("new").notes if "ikke relevant" in n.text]
    assert note.url.startswith("https://ncp.example.org/search?new_since=")
    md, html, text = digest.render_markdown(d1), digest.render_html(d1), digest.render_text(d1)
    assert f"_[{note.text}](<{note.url}>)_" in md
    assert [note.url, "", note.text] in _anchors(html)
    assert f"{note.text}: {note.url}" in text
    others = {r["id"] for r in d1.new if not r.get("passes")}
    assert others and iid("3100003") in others  # relevance 0.04
    app1 = create_app(str(tmp_path / "test.db"), as_of=DAY1, data_dir=data_dir)
    ids, page = listed(note.url, app1)
    assert others == ids  # what it counts, not among the rest
    assert "Bare saker først sett etter søn. 22.11.2026 kl. 06.00" in page  # the first digest: 24 hours
    # "+N til i arbeidsbenken" under «Nytt» leads to the relevant ones (those listed and the rest;
    # here a closed hearing made relevant: in «Nytt», not under «Trenger innspill»)
    with db.conn:
        db["items"].update(iid("3100008"), {"relevance": 0.9, "relevant": 1})
    d1b = digest.build_digest(db, as_of=DAY1, profile="ncp", workbench_url="https://ncp.example.org/")
    (group,) = d1b.section("new").groups
    assert group.more_where == {"new_since": note.where["new_since"], "relevant_to": "ncp"}
    from tracker.digest.text import workbench_link

    ids, _page = listed(workbench_link("https://ncp.example.org/", where=group.more_where), app1)
    assert ids == {r["id"] for r in d1b.new if r.get("passes")} and iid("3100008") in ids
    with db.conn:
        db["items"].update(iid("3100008"), {"relevance": 0.3, "relevant": 0})

    digest.write_for_run(db, as_of=DAY1, out_dir=tmp_path / "out")  # day 2 reports since day 1
    from test_digest import build_world_day2

    build_world_day2(db)
    d2 = digest.build_digest(db, as_of=DAY2, profile="ncp", workbench_url="https://ncp.example.org/")
    below = sorted(r["id"] for r in d2.changed if not r.get("passes"))
    assert len(below) >= 2
    # an adviser follows one of the changed items below the threshold: «Endret» shows it, so the
    # note neither counts nor lists it, and "+N til i arbeidsbenken" leads to it
    from tracker.workbench import triage

    triage.set_state(db, below[0], "watching", by="kari", at="2026-11-24T05:00:00+01:00")
    d2 = digest.build_digest(db, as_of=DAY2, profile="ncp", workbench_url="https://ncp.example.org/")
    (note,) = [n for n in d2.section("changed").notes if "ikke relevant" in n.text]
    assert note.url.startswith("https://ncp.example.org/search?changed_since=")
    others = {r["id"] for r in d2.changed if not r.get("passes")} - {below[0]}
    app2 = create_app(str(tmp_path / "test.db"), as_of=DAY2, data_dir=data_dir)
    ids, page = listed(note.url, app2)
    assert others and others == ids and str(len(others)) in note.text
    assert iid("3100010") not in ids  # first seen on day 2: new, not changed
    assert "Bare saker endret etter man. 23.11.2026 kl. 06.00 (sett før det)" in page
    assert "som ingen rådgiver følger" in page
    (group,) = d2.section("changed").groups
    assert group.more_where == {"changed_since": note.where["changed_since"], "followed_by": "ncp"}
    shown = {r["id"] for r in d2.changed if r.get("passes")} | {below[0]}
    assert {e.id for e in group.entries} <= shown
    ids, page = listed(workbench_link("https://ncp.example.org/", where=group.more_where), app2)
    assert ids == shown and below[0] in ids and "eller en rådgiver følger" in page
    # without an address the notes stay text
    plain = digest.build_digest(db, as_of=DAY2, profile="ncp")
    assert all(n.url is None for s in plain.sections for n in s.notes)


def test_the_rest_of_new_and_changed_leads_to_the_search_that_lists_them():
    """"+N til i arbeidsbenken" under Nytt and Endret led to the inbox, which lists neither."""
    from tracker.digest.model import Group, Section
    from tracker.digest.sections import link_workbench

    sections = [Section("needs-input", "", [Group("", [], more="+3")]),
                Section("new", "", [Group("", [], more="+2", more_where={"new_since": "2026-11-23T05:00:00+00:00"})])]
    link_workbench(sections, "https://ncp.example.org")
    assert sections[0].groups[0].more_url == "https://ncp.example.org/"
    assert sections[1].groups[0].more_url == "https://ncp.example.org/search?new_since=2026-11-23T05%3A00%3A00%2B00%3A00"


def test_the_feed_of_an_earlier_day_has_no_date_after_it(db):
    """`digest --date 2026-11-23 --format atom` had entries updated on the 24th (the items' last
    change now), and so a feed <updated> a day after the feed's own day."""
    build_world(db)
    feed = _atom(db, as_of=DAY1)
    assert feed.entries
    stamps = [e.updated_parsed for e in feed.entries] + [feed.feed.updated_parsed]
    assert max(stamps)[:3] <= (2026, 11, 23), [e.updated for e in feed.entries if e.updated_parsed[:3] > (2026, 11, 23)]
    # the day's own feed still has the day's changes
    assert max(e.updated_parsed for e in _atom(db).entries)[:3] == (2026, 11, 24)
