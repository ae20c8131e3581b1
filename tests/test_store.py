"""The store: migrations, apply_scrape (events, vanish guard, no deletion), FTS."""

import json
from datetime import timedelta

import pytest

from tracker.store import merge as store
from tracker.store.migrations import MIGRATION_SETS, apply_all, schema_state

SRC = "no_regjeringen_horinger"


def hearing(n: int, **kw):
    base = {"source": SRC, "kind": "hearing", "native_id": str(3100000 + n),
            "url": f"https://www.regjeringen.no/no/dokumenter/h{n}/id{3100000 + n}/",
            "title": f"Høring {n}", "published": f"2026-11-{10 + n % 10:02d}T10:00:00+01:00",
            "deadline": "2027-01-15T23:59:59+01:00", "status_raw": "På høring", "channel": "rss"}
    base.update(kw)
    return base


def apply(db, as_of, items, complete=True, since=None):
    run = store.start_run(db, as_of=as_of, mode="test", sources=[SRC])
    result = store.apply_scrape(db, run_id=run, as_of=as_of, source=SRC, items=items,
                                listing={"complete": complete, "since": since})
    return result, run


def events(db, run=None):
    sql = "select item_id, kind, field, before, after from events" + (f" where run_id = {run}" if run else "")
    return [tuple(r.values()) for r in db.query(sql + " order by id")]


def test_migrations_apply_twice_without_change(db):
    before = {t: db[t].columns_dict for t in db.table_names()}
    apply_all(db)
    assert {t: db[t].columns_dict for t in db.table_names()} == before
    assert all(not m.pending(db) for m in MIGRATION_SETS)


def test_an_up_to_date_store_is_checked_in_two_statements(db):
    """Every write path opens the database through apply_all (each spider's close, in a crawl of
    26): one that has every migration costs two statements, not sqlite-utils' four per set."""
    seen: list[str] = []
    db.conn.set_trace_callback(seen.append)
    try:
        apply_all(db)
    finally:
        db.conn.set_trace_callback(None)
    assert len(seen) == 2, seen
    assert schema_state(db) == ([], [])


def test_schema_state_names_pending_and_unknown_migrations(db):
    with db.conn:
        db.execute("delete from _sqlite_migrations where name = 'm1900_runs_completed'")
        db.execute("insert into _sqlite_migrations (migration_set, name, applied_at) "
                   "values ('ncp_tracker.core', 'm9999_from_the_future', '2030-01-01')")
    assert schema_state(db) == (["ncp_tracker.core.m1900_runs_completed"],
                                ["ncp_tracker.core.m9999_from_the_future"])


def test_runs_of_an_older_store_count_as_completed(db, as_of):
    """m1900 adds runs.completed; runs an older version wrote count as completed when their crawl
    finished (so `demo` does not replay an older store's days again), unfinished ones do not."""
    done = store.start_run(db, as_of=as_of, mode="test", sources=[SRC])
    store.finish_run(db, done, 0)
    cut = store.start_run(db, as_of=as_of, mode="test", sources=[SRC])  # never finished
    with db.conn:  # as an older version left it: no column, m1900 not applied
        db.execute("alter table runs drop column completed")
        db.execute("delete from _sqlite_migrations where name = 'm1900_runs_completed'")
    apply_all(db)
    rows = {r["id"]: r for r in db.query("select id, finished, completed from runs")}
    assert rows[done]["completed"] == rows[done]["finished"] is not None
    assert rows[cut]["completed"] is None
    store.complete_run(db, cut)
    assert next(db.query("select completed from runs where id = ?", [cut]))["completed"]


def test_wal_mode(db):
    assert db.execute("pragma journal_mode").fetchone()[0] == "wal"


def test_new_items_and_their_events(db, as_of):
    result, run = apply(db, as_of, [hearing(1), hearing(2)])
    assert (result.seen, result.new, result.changed) == (2, 2, 0)
    rows = list(db.query("select id, status, first_seen, last_changed from items order by id"))
    assert rows[0] == {"id": "regjeringen:3100001", "status": "open",
                       "first_seen": "2026-11-24T05:00:00+00:00", "last_changed": "2026-11-24T05:00:00+00:00"}  # 06:00 Oslo, in UTC
    assert [e[1] for e in events(db)] == ["new", "new"]


def test_a_spider_is_given_the_extra_keys_it_asks_for(db, as_of):
    """`known_items(…, extra_keys=)`: the values of the items' `extra` a spider asks for (its
    `known_extra`), whatever their type, under their names; nothing for an item without one."""
    relations = [{"relation": "amends", "watch": "csrd", "celex": "32022L2464"}]
    apply(db, as_of, [hearing(1, extra={"relations": relations, "note": "x"}), hearing(2)])
    known = store.known_items(db, SRC, extra_keys=("relations", "note"))
    assert known["3100001"]["relations"] == relations and known["3100001"]["note"] == "x"
    assert "relations" not in known["3100002"] and "note" not in known["3100002"]
    assert "relations" not in store.known_items(db, SRC)["3100001"]
    with pytest.raises(ValueError):
        store.known_items(db, SRC, extra_keys=("x') or 1 --",))


def test_same_day_twice_no_duplicates_no_events(db, as_of):
    apply(db, as_of, [hearing(1), hearing(2)])
    result, run = apply(db, as_of, [hearing(1), hearing(2)])
    assert (result.new, result.changed, result.events) == (0, 0, 0)
    assert db["items"].count == 2
    assert events(db, run) == []


def test_feed_repeating_an_item_gives_one_item(db, as_of):
    result, _ = apply(db, as_of, [hearing(1), hearing(1, summary="again")])
    assert result.seen == 1 and db["items"].count == 1


def test_deadline_moved_and_status_words(db, as_of):
    apply(db, as_of, [hearing(1), hearing(2)])
    day2 = as_of + timedelta(days=1)
    _, run = apply(db, day2, [hearing(1, deadline="2027-02-01T23:59:59+01:00"), hearing(2, status_raw="Trukket")])
    assert events(db, run) == [
        ("regjeringen:3100001", "deadline_changed", "deadline", "2027-01-15T23:59:59+01:00", "2027-02-01T23:59:59+01:00"),
        ("regjeringen:3100002", "status_changed", "status", "open", "withdrawn"),
    ]


def test_blocked_detail_keeps_stored_deadline(db, as_of):
    apply(db, as_of, [hearing(1)])
    no_detail = hearing(1)
    del no_detail["deadline"], no_detail["status_raw"]
    _, run = apply(db, as_of + timedelta(days=1), [no_detail])
    assert events(db, run) == []
    assert db["items"].get("regjeringen:3100001")["deadline"] == "2027-01-15T23:59:59+01:00"


def test_a_time_not_seen_keeps_the_stored_one_and_a_moved_hearing_is_an_event(db, as_of):
    """`extra` keys the scrape did not observe (None: the Storting fallback channel gives no
    hearing time) overwrote the stored ones, as the item's own fields never do."""
    times = {"deadline_basis": "innspillsfrist", "hearing_start": "2026-12-01T09:30:00+01:00"}
    apply(db, as_of, [hearing(1, extra=times)])
    _, run = apply(db, as_of + timedelta(days=1), [hearing(1, extra={**times, "hearing_start": None})])
    assert events(db, run) == []
    assert '"hearing_start": "2026-12-01T09:30:00+01:00"' in db["items"].get("regjeringen:3100001")["extra"]
    _, run = apply(db, as_of + timedelta(days=2), [hearing(1, extra={**times, "hearing_start": "2026-12-02T09:30:00+01:00"})])
    assert events(db, run) == [("regjeringen:3100001", "times_changed", "hearing_start",
                                "2026-12-01T09:30:00+01:00", "2026-12-02T09:30:00+01:00")]


def test_a_committee_hearings_sittings_are_events_and_an_earlier_day_shows_its_own(db, as_of):
    """A committee hearing's sittings (room, a second day) changed silently: no event, and the
    horizon of an earlier day (a digest or `horizon --as-of` written later) showed today's."""
    from tracker.attention.horizon import horizon
    from tracker.store.queries import last_event_id

    hall = {"sted": "Høringssal 1", "tidspunkt": "2026-12-03T09:00:00+01:00"}
    times = {"deadline_basis": "innspillsfrist", "hearing_start": hall["tidspunkt"], "hearing_times": [hall]}
    committee = {"kind": "committee_hearing", "title": "Komitéhøring: åpenhetsloven"}
    apply(db, as_of, [hearing(1, **committee, extra=times)])
    two_days = [{**hall, "sted": "Høringssal 2"}, {"sted": "Høringssal 2", "tidspunkt": "2026-12-04T09:00:00+01:00"}]
    _, run = apply(db, as_of + timedelta(days=1), [hearing(1, **committee, extra={**times, "hearing_times": two_days})])
    assert events(db, run) == [("regjeringen:3100001", "times_changed", "hearing_times",
                                json.dumps([hall], ensure_ascii=False, sort_keys=True),
                                json.dumps(two_days, ensure_ascii=False, sort_keys=True))]

    def sittings(upto):
        return [(d.at, d.detail) for d in horizon(db, as_of, weeks=4, followed_only=False, upto=upto,
                                                  watch_entries=[]) if d.what == "storting_hearing"]

    assert sittings(None) == [("2026-12-03T09:00:00+01:00", "Høringssal 2"), ("2026-12-04T09:00:00+01:00", "Høringssal 2")]
    assert sittings(last_event_id(db, as_of + timedelta(hours=1))) == [("2026-12-03T09:00:00+01:00", "Høringssal 1")]


def test_the_horizon_names_each_day_a_committee_hearing_sits(db, as_of):
    """The horizon listed every entry of the sittings list — one day's speaker slots as many
    hearings — and a hearing with a start but no list (the export gives `start_dato` alone) not at
    all. Now each day it sits, as the digest and the calendar name them."""
    from tracker.attention.horizon import horizon

    committee = {"kind": "committee_hearing", "title": "Komitéhøring: åpenhetsloven"}
    slots = [{"sted": "Høringssal 1", "tidspunkt": f"2026-12-03T09:{m:02d}:00+01:00"} for m in (0, 20, 40)]
    day2 = {"sted": "Høringssal 2", "tidspunkt": "2026-12-04T10:00:00+01:00"}
    apply(db, as_of, [hearing(1, **committee, extra={"hearing_start": slots[0]["tidspunkt"], "hearing_times": [*slots, day2]}),
                      hearing(2, **committee, extra={"hearing_start": "2026-12-08T09:00:00+01:00", "hearing_times": []})])

    def sittings():
        return [(d.item_id, d.at, d.detail) for d in horizon(db, as_of, weeks=4, followed_only=False, watch_entries=[])
                if d.what == "storting_hearing"]

    assert sittings() == [("regjeringen:3100001", "2026-12-03T09:00:00+01:00", "Høringssal 1"),
                          ("regjeringen:3100001", "2026-12-04T10:00:00+01:00", "Høringssal 2"),
                          ("regjeringen:3100002", "2026-12-08T09:00:00+01:00", None)]


def test_the_fallback_channels_sittings_without_places_change_nothing(db, as_of):
    """The Storting's fallback channel (eksport/saker) gives a hearing's days without their places
    (or none): a day it answers for the export must not read as "the room changed" and back."""
    hall = {"sted": "Høringssal 1", "tidspunkt": "2026-12-03T09:00:00+01:00"}
    committee = {"kind": "committee_hearing", "title": "Komitéhøring: åpenhetsloven"}
    primary = {"hearing_start": hall["tidspunkt"], "hearing_times": [hall]}
    apply(db, as_of, [hearing(1, **committee, extra=primary)])
    for n, fallback in enumerate(([{"sted": None, "tidspunkt": hall["tidspunkt"]}], []), start=1):
        _, run = apply(db, as_of + timedelta(days=n), [hearing(1, **committee, extra={"hearing_times": fallback,
                                                                                        "fallback": True})])
        assert events(db, run) == []
        assert json.loads(db["items"].get("regjeringen:3100001")["extra"])["hearing_times"] == [hall]
    _, run = apply(db, as_of + timedelta(days=3), [hearing(1, **committee, extra=primary)])
    assert events(db, run) == []
    # the primary channel seeing another room is a change
    _, run = apply(db, as_of + timedelta(days=4), [hearing(1, **committee, extra={
        **primary, "hearing_times": [{**hall, "sted": "Høringssal 3"}]})])
    assert [e[2] for e in events(db, run)] == ["hearing_times"]
    # and so is its naming no room any more (the room was kept as if the primary channel could not
    # see rooms, and the digest went on sending advisers to Høringssal 3), or no sitting at all
    gone = [{**hall, "sted": None}]
    _, run = apply(db, as_of + timedelta(days=5), [hearing(1, **committee, extra={
        **primary, "hearing_times": gone, "fallback": False})])
    assert [e[2] for e in events(db, run)] == ["hearing_times"]
    assert json.loads(db["items"].get("regjeringen:3100001")["extra"])["hearing_times"] == gone
    _, run = apply(db, as_of + timedelta(days=6), [hearing(1, **committee, extra={**primary, "hearing_times": []})])
    assert [e[2] for e in events(db, run)] == ["hearing_times"]
    assert json.loads(db["items"].get("regjeringen:3100001")["extra"])["hearing_times"] == []


def test_a_hearing_moved_with_its_sitting_is_said_once_in_the_digest_and_feed(db, as_of):
    from tracker import digest
    from tracker.digest.feeds import render_atom

    hall = {"sted": "Høringssal 1", "tidspunkt": "2026-12-03T09:00:00+01:00"}
    times = {"deadline_basis": "innspillsfrist", "hearing_start": hall["tidspunkt"], "hearing_times": [hall]}
    committee = {"kind": "committee_hearing", "title": "Komitéhøring: åpenhetsloven"}
    apply(db, as_of, [hearing(1, **committee, extra=times)])
    with db.conn:  # tagged (relevant): the digest lists its changes
        db.execute("""update items set labels = '["apenhetsloven"]', relevance = 0.9, relevant = 1""")
    moved = {**hall, "tidspunkt": "2026-12-08T10:00:00+01:00"}
    day2 = as_of + timedelta(days=1)
    apply(db, day2, [hearing(1, **committee, extra={**times, "hearing_start": moved["tidspunkt"],
                                                   "hearing_times": [moved]})])
    assert [r["field"] for r in db.query("select field from events where kind = 'times_changed'")] == [
        "hearing_start", "hearing_times"]  # both kept: the history, and the sittings of an earlier day
    text = digest.render_text(digest.build_digest(db, as_of=day2 + timedelta(minutes=5)))
    assert text.count("Høringen er flyttet: tor. 03.12.2026 kl. 09.00 → tir. 08.12.2026 kl. 10.00") == 1
    assert "Høringsmøtene" not in text
    atom = render_atom(db, as_of=day2 + timedelta(minutes=5))
    assert atom.count("Høringen er flyttet") == 1 and "Høringsmøtene" not in atom


def test_a_time_the_source_dropped_is_cleared_and_said(db, as_of):
    """The export giving no deadline to ask to speak any more ("" from the spider, unlike None:
    not read) clears the stored one: the hearing no longer waits in "this week" for a request
    nobody can make, and the change is an event."""
    from tracker.attention.urgency import next_due

    times = {"deadline_basis": "innspillsfrist", "innspillsfrist": "2026-12-08T12:00:00+01:00",
             "anmodningsfrist": "2026-11-26T12:00:00+01:00"}
    apply(db, as_of, [hearing(1, deadline="2026-12-08T12:00:00+01:00", kind="committee_hearing", extra=times)])
    item = db["items"].get("regjeringen:3100001")
    assert next_due(item, as_of)[1] == "request_to_speak"
    _, run = apply(db, as_of + timedelta(days=1), [hearing(1, deadline="2026-12-08T12:00:00+01:00",
                                                           kind="committee_hearing",
                                                           extra={**times, "anmodningsfrist": ""})])
    assert events(db, run) == [("regjeringen:3100001", "times_changed", "anmodningsfrist",
                                "2026-11-26T12:00:00+01:00", None)]
    item = db["items"].get("regjeringen:3100001")
    assert next_due(item, as_of)[1] == "deadline"


def test_unseen_item_closes_when_its_deadline_passes(db, as_of):
    apply(db, as_of, [hearing(1, deadline="2026-11-24T23:59:59+01:00")])
    _, run = apply(db, as_of + timedelta(days=1), [], complete=False)
    assert events(db, run) == [("regjeringen:3100001", "status_changed", "status", "open", "closed")]


def test_vanished_never_deleted_then_reappeared(db, as_of):
    apply(db, as_of, [hearing(n) for n in range(1, 11)])
    _, run = apply(db, as_of + timedelta(days=1), [hearing(n) for n in range(2, 11)])
    assert events(db, run) == [("regjeringen:3100001", "vanished", None, None, "2026-11-25T05:00:00+00:00")]
    assert db["items"].count == 10
    _, run3 = apply(db, as_of + timedelta(days=2), [hearing(n) for n in range(1, 11)])
    assert [e[1] for e in events(db, run3)] == ["reappeared"]
    assert db["items"].get("regjeringen:3100001")["vanished_at"] is None


def test_vanish_only_inside_the_complete_window(db, as_of):
    apply(db, as_of, [hearing(n) for n in range(1, 11)])
    since = "2026-11-13T00:00:00+01:00"  # items 1 and 2 are older than the listing window
    _, run = apply(db, as_of + timedelta(days=1), [hearing(n) for n in range(3, 11)], since=since)
    assert events(db, run) == []


def test_the_listing_window_compares_instants_not_text(db, as_of):
    """A published instant with another offset than the window's start is compared as the instant
    it is: 23:30 UTC on the 12th is 00:30 in Oslo on the 13th, inside a window from Oslo midnight
    (as text it sorts before "2026-11-13…"), and 00:30+02:00 on the 13th is 22:30 UTC on the
    12th, outside a window from 23:00 UTC (as text it sorts after)."""
    inside = hearing(1, published="2026-11-12T23:30:00+00:00")
    outside = hearing(2, published="2026-11-13T00:30:00+02:00")
    kept = [hearing(n) for n in range(3, 11)]
    apply(db, as_of, [inside, outside, *kept])
    _, run = apply(db, as_of + timedelta(days=1), kept, since="2026-11-13T00:00:00+01:00")
    assert events(db, run) == [("regjeringen:3100001", "vanished", None, None, "2026-11-25T05:00:00+00:00")]


def test_an_unreadable_listing_window_marks_nothing_vanished(db, as_of):
    apply(db, as_of, [hearing(n) for n in range(1, 11)])
    result, run = apply(db, as_of + timedelta(days=1), [hearing(n) for n in range(2, 11)],
                        since="last tuesday")
    assert events(db, run) == []
    assert any(level == "red" and "last tuesday" in text for level, text in result.notes), result.notes
    from tracker.vocabulary import health_reason
    assert health_reason(result.notes[-1][1], "nb") == ("starten på tidsrommet listen dekker kan ikke leses: "
                                                        "'last tuesday', ingen saker merket som forsvunnet")


def test_incomplete_listing_never_vanishes(db, as_of):
    apply(db, as_of, [hearing(n) for n in range(1, 11)])
    _, run = apply(db, as_of + timedelta(days=1), [hearing(5)], complete=False)
    assert events(db, run) == []


def test_vanish_guard_refuses_mass_vanishing(db, as_of):
    apply(db, as_of, [hearing(n) for n in range(1, 21)])
    result, run = apply(db, as_of + timedelta(days=1), [hearing(1)])
    assert events(db, run) == []
    assert result.notes and result.notes[0][0] == "red" and "vanish guard" in result.notes[0][1]
    assert db["items"].count == 20


def test_fts_keeps_aa_apart_from_a(db, as_of):
    apply(db, as_of, [hearing(1, title="Høring om åpenhetsloven og får"), hearing(2, title="Høring om far")])
    hits = [r["rowid"] for r in db.query("select rowid from items_fts where items_fts match ?", ["får"])]
    assert len(hits) == 1
    assert len(list(db.query("select rowid from items_fts where items_fts match ?", ["åpenhetsloven"]))) == 1


def test_fts_follows_a_changed_title_but_not_other_updates(db, as_of):
    apply(db, as_of, [hearing(1, title="Høring om åpenhetsloven")])
    apply(db, as_of + timedelta(days=1), [hearing(1, title="Høring om aktsomhetsdirektivet")])
    db.execute("update items set labels = '[]', last_seen = 'x'")

    def hits(word):
        return len(list(db.query("select rowid from items_fts where items_fts match ?", [word])))

    assert (hits("aktsomhetsdirektivet"), hits("åpenhetsloven")) == (1, 0)
    assert db.execute("insert into items_fts(items_fts) values('integrity-check')") is not None


def test_second_spider_finding_the_same_page_merges(db, as_of):
    apply(db, as_of, [hearing(1)])
    run = store.start_run(db, as_of=as_of, mode="test", sources=["no_finansdep"])
    other = hearing(1, source="no_finansdep", kind="gpfg_document", summary="Finansdepartementet")
    store.apply_scrape(db, run_id=run, as_of=as_of, source="no_finansdep", items=[other], listing={})
    row = db["items"].get("regjeringen:3100001")
    assert (row["source"], row["kind"]) == (SRC, "hearing")
    assert '"also_seen_by": ["no_finansdep"]' in row["extra"]


def test_known_items_include_pages_owned_by_another_source(db, as_of):
    apply(db, as_of, [hearing(1, status_raw="Ferdigbehandlet")])
    run = store.start_run(db, as_of=as_of, mode="test", sources=["no_finansdep"])
    store.apply_scrape(db, run_id=run, as_of=as_of, source="no_finansdep",
                       items=[hearing(1, source="no_finansdep", kind="gpfg_document")], listing={})
    assert store.known_items(db, "no_finansdep") == {"3100001": {
        "status": "closed", "content_hash": db["items"].get("regjeringen:3100001")["content_hash"],
        "deadline": "2027-01-15T23:59:59+01:00", "detail": None, "detail_read": None}}
    assert store.known_items(db, "no_etikkradet") == {}


def test_failed_write_loses_nothing(db, as_of, monkeypatch):
    apply(db, as_of, [hearing(1)])
    from tracker.store import changes

    def boom(*a, **k):
        raise RuntimeError("disk full")

    monkeypatch.setattr(changes, "compare", boom)
    with pytest.raises(RuntimeError):
        apply(db, as_of + timedelta(days=1), [hearing(1, title="changed"), hearing(2)])
    assert db["items"].count == 1
    assert db["items"].get("regjeringen:3100001")["title"] == "Høring 1"


def test_an_unrecognised_status_word_is_an_amber_note_and_the_deadline_decides(db, as_of):
    """A source that starts writing "Avbrutt" (cancelled) for a hearing: the store cannot tell
    what it means, so the item's status follows its deadline (open) — and the source's health
    says so, naming the words, instead of showing a cancelled hearing as open in silence."""
    items = [hearing(1, status_raw="Avbrutt"), hearing(2, status_raw=" Avbrutt "),
             hearing(3, status_raw="Utsatt"), hearing(4), hearing(5, status_raw="DISABLED")]
    result, _ = apply(db, as_of, items)
    assert result.notes == [("amber", "3 items with an unrecognised status word ('Avbrutt', 'Utsatt'): "
                                      "status from the deadline alone")]
    assert db["items"].get("regjeringen:3100001")["status"] == "open"
    # known words only (and DISABLED, which says nothing of open or closed): no note
    result, _ = apply(db, as_of, [hearing(n) for n in range(1, 5)] + [hearing(5, status_raw="DISABLED")])
    assert result.notes == []


def test_the_unrecognised_status_note_names_a_few_words_and_reads_in_bokmal(db, as_of):
    from tracker.jobs.storing import Report, store_crawl
    from tracker.vocabulary import health_reason

    words = ["Ord1", "Ord2", "Ord3", "Ord4", "Ord5", "Ord6"]
    run = store.start_run(db, as_of=as_of, mode="test", sources=[SRC])
    row = store_crawl(db, run_id=run, as_of=as_of, report=Report(source=SRC, channel="rss"),
                      items=[hearing(n, status_raw=w) for n, w in enumerate(words, 1)] + [hearing(9)])
    assert row["status"] == "amber"
    assert row["reason"] == ("6 items with an unrecognised status word ('Ord1', 'Ord2', 'Ord3', 'Ord4', "
                             "'Ord5', …): status from the deadline alone")
    assert health_reason(row["reason"], "nb") == (
        "6 saker med ukjent statusord ('Ord1', 'Ord2', 'Ord3', 'Ord4', 'Ord5', …): status bare ut fra "
        "fristen")
    one = store.apply_scrape(db, run_id=run, as_of=as_of, source=SRC, items=[hearing(1, status_raw="Ord1")])
    assert health_reason(one.notes[0][1], "nb") == (
        "1 sak med ukjent statusord ('Ord1'): status bare ut fra fristen")


def test_refresh_statistics_is_bounded_and_fills_sqlite_stat1(db):
    from tracker.store.db import ANALYSIS_LIMIT, refresh_statistics

    db["items"].insert_all([{"id": f"x:{n}", "source": "no_lovdata", "kind": "hearing", "native_id": str(n),
                             "url": "u", "title": "t", "status": "open", "first_seen": "2026-11-24T05:00:00+00:00",
                             "last_seen": "2026-11-24T05:00:00+00:00"} for n in range(50)])
    refresh_statistics(db.conn)
    assert db.execute("PRAGMA analysis_limit").fetchone()[0] == ANALYSIS_LIMIT
    stats = dict(db.execute("select idx, stat from sqlite_stat1 where tbl = 'items'").fetchall())
    assert stats["idx_items_status_deadline"].split()[0] == "50"


def test_a_stats_refresh_that_fails_never_fails_the_days_run(db, monkeypatch, caplog):
    """The statistics are an optimisation: a locked database at that moment is a warning, and the
    day's run (tagging done, digest next) goes on."""
    import sqlite3
    from datetime import datetime

    from crawlers.dates import OSLO
    from tracker.jobs.daily import after_crawl
    from tracker.store import db as store_db

    def locked(conn):
        raise sqlite3.OperationalError("database is locked")

    monkeypatch.setattr(store_db, "refresh_statistics", locked)
    with caplog.at_level("WARNING"):
        summary = after_crawl(db, datetime(2026, 11, 24, 6, tzinfo=OSLO), tag=False)
    assert summary["statistics"] == "not refreshed: database is locked"
    assert "statistics were not refreshed: database is locked" in caplog.text
    monkeypatch.undo()
    assert after_crawl(db, datetime(2026, 11, 24, 6, tzinfo=OSLO), tag=False)["statistics"] == "refreshed"


def test_the_store_keeps_when_an_items_own_page_was_last_read(db, as_of):
    """The last attempt's state (`extra.detail`) said «blocked 403» after a page read the day before
    was blocked: the item page then said its page was never read, and the spiders fetched it again
    as if it had never been. The store now keeps when it was last read (`detail_read`)."""
    from tracker.store.instants import stored as stored_instant
    from tracker.store.migrations import m2200_detail_read

    apply(db, as_of, [hearing(1, extra={"detail": "ok"})])
    row = json.loads(db["items"].get("regjeringen:3100001")["extra"])
    assert row["detail_read"] == stored_instant(as_of)
    apply(db, as_of + timedelta(days=1), [hearing(1, extra={"detail": "blocked 403"})])
    row = json.loads(db["items"].get("regjeringen:3100001")["extra"])
    assert (row["detail"], row["detail_read"]) == ("blocked 403", stored_instant(as_of))
    known = store.known_items(db, "no_regjeringen_horinger")["3100001"]
    assert (known["detail"], known["detail_read"], "url" in known) == ("blocked 403", stored_instant(as_of), False)
    # a store written before: a page said read has its last change as the time it was read
    with db.conn:
        db.execute("""update items set extra = json_remove(extra, '$.detail_read'),
                      extra = json_set(extra, '$.detail', 'ok')""")
    m2200_detail_read(db)
    assert json.loads(db["items"].get("regjeringen:3100001")["extra"])["detail_read"] == \
        db["items"].get("regjeringen:3100001")["last_changed"]


def test_a_second_spiders_page_state_is_not_the_owners(db, as_of):
    """Finansdepartementet's copy of a regjeringen.no hearing blocked its detail page: its
    «blocked 403» replaced the owner's «ok» in the item's `extra` (the item page then said its page
    could not be read). A second spider's own page state stays its own; its other facts still join."""
    apply(db, as_of, [hearing(1, extra={"detail": "ok"})])
    run = store.start_run(db, as_of=as_of, mode="test", sources=["no_finansdep"])
    other = hearing(1, source="no_finansdep", kind="gpfg_document", extra={"detail": "blocked 403", "topic": "gpfg"})
    store.apply_scrape(db, run_id=run, as_of=as_of + timedelta(hours=1), source="no_finansdep", items=[other],
                       listing={})
    extra = json.loads(db["items"].get("regjeringen:3100001")["extra"])
    assert (extra["detail"], extra["topic"], extra["also_seen_by"]) == ("ok", "gpfg", ["no_finansdep"])
